//! Users, role grants, sessions, personal access tokens and login attempts.
//! Secrets are stored only as hashes: the caller passes hashes in.

use crate::row::*;
use crate::sealing::{is_sealed, open_opt, seal_opt, Sealer};
use crate::Result;
use palett_domain::model::{RoleGrant, User};
use palett_domain::policy::Role;
use palett_domain::token::TokenScope;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

const USER_COLUMNS: &str =
    "u.id, u.organisation_id, o.name AS organisation_name, u.email, u.display_name, u.active, \
     CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS second_factor, \
     u.must_change_password";

fn user(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: i64_(r, "id")?,
        organisation_id: i64_(r, "organisation_id")?,
        organisation_name: text(r, "organisation_name")?,
        email: text(r, "email")?,
        display_name: text(r, "display_name")?,
        active: flag(r, "active")?,
        second_factor: flag(r, "second_factor")?,
        must_change_password: flag(r, "must_change_password")?,
    })
}

pub async fn insert_user(
    c: &mut AnyConnection,
    organisation_id: i64,
    email: &str,
    display_name: &str,
    password_hash: &str,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (organisation_id, email, display_name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
    )
    .bind(organisation_id)
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn user_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<User>> {
    sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(user)
    .transpose()
}

/// A user and her password hash, for signing in.
pub async fn credentials_by_email(
    c: &mut AnyConnection,
    email: &str,
) -> Result<Option<(User, String)>> {
    sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u \
         JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1"
    ))
    .bind(email)
    .fetch_optional(c)
    .await?
    .map(|r| Ok((user(&r)?, text(&r, "password_hash")?)))
    .transpose()
}

/// Set a user's password hash; `must_change` when someone else chose it.
pub async fn set_password_hash(
    c: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    must_change: bool,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_must_change_password(
    c: &mut AnyConnection,
    user_id: i64,
    must: bool,
) -> Result<()> {
    sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
        .bind(i64::from(must))
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_active(c: &mut AnyConnection, user_id: i64, active: bool) -> Result<()> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Users who hold any role in the partnership, with their roles there.
pub async fn users_of_partnership(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<(User, Vec<Role>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, g.role FROM users u \
         JOIN organisations o ON o.id = u.organisation_id \
         JOIN role_grants g ON g.user_id = u.id AND g.partnership_id = $1 \
         ORDER BY u.display_name, u.id, g.role LIMIT 5000"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?;
    let mut out: Vec<(User, Vec<Role>)> = Vec::new();
    for r in &rows {
        let u = user(r)?;
        let role = vocab(r, "role", Role::parse)?;
        match out.last_mut() {
            Some((last, roles)) if last.id == u.id => roles.push(role),
            _ => out.push((u, vec![role])),
        }
    }
    Ok(out)
}

pub async fn grant(c: &mut AnyConnection, g: &RoleGrant) -> Result<()> {
    sqlx::query(
        "INSERT INTO role_grants (user_id, partnership_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(g.user_id)
    .bind(g.partnership_id)
    .bind(g.role.as_str())
    .execute(c)
    .await?;
    Ok(())
}

pub async fn revoke_all(c: &mut AnyConnection, user_id: i64, partnership_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM role_grants WHERE user_id = $1 AND partnership_id = $2")
        .bind(user_id)
        .bind(partnership_id)
        .execute(c)
        .await?;
    Ok(())
}

/// The partnerships a user holds roles in, with the roles, by partnership id.
pub async fn roles_of(c: &mut AnyConnection, user_id: i64) -> Result<Vec<(i64, Role)>> {
    sqlx::query("SELECT partnership_id, role FROM role_grants WHERE user_id = $1 ORDER BY partnership_id, role")
        .bind(user_id)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((i64_(r, "partnership_id")?, vocab(r, "role", Role::parse)?)))
        .collect()
}

/// A stored session, found by the hash of its cookie value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub user_id: i64,
    pub partnership_id: i64,
    pub csrf_token: String,
    pub expires_at: i64,
    pub last_seen_at: i64,
    /// How many of her inbox messages in the session's partnership are
    /// unread (read with the session: the menu shows it on every page).
    pub unread: i64,
}

pub async fn insert_session(
    c: &mut AnyConnection,
    id_hash: &str,
    s: &SessionRow,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, partnership_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id_hash)
    .bind(s.user_id)
    .bind(s.partnership_id)
    .bind(&s.csrf_token)
    .bind(now)
    .bind(s.last_seen_at)
    .bind(s.expires_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn session(c: &mut AnyConnection, id_hash: &str) -> Result<Option<SessionRow>> {
    sqlx::query(
        "SELECT s.user_id, s.partnership_id, s.csrf_token, s.expires_at, s.last_seen_at, \
         (SELECT COUNT(*) FROM inbox_messages m WHERE m.user_id = s.user_id \
         AND m.partnership_id = s.partnership_id AND m.read_at IS NULL) AS unread \
         FROM sessions s WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await?
    .map(|r| {
        Ok(SessionRow {
            user_id: i64_(&r, "user_id")?,
            partnership_id: i64_(&r, "partnership_id")?,
            csrf_token: text(&r, "csrf_token")?,
            expires_at: i64_(&r, "expires_at")?,
            last_seen_at: i64_(&r, "last_seen_at")?,
            unread: i64_(&r, "unread")?,
        })
    })
    .transpose()
}

pub async fn touch_session(c: &mut AnyConnection, id_hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_sessions_of(c: &mut AnyConnection, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_expired_sessions(c: &mut AnyConnection, now: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(c)
        .await?
        .rows_affected())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub read_only: bool,
    /// The areas of the API it reaches; empty: every area.
    pub areas: Vec<String>,
    pub expires_at: i64,
}

fn token(r: &AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: i64_(r, "id")?,
        user_id: i64_(r, "user_id")?,
        name: text(r, "name")?,
        created_at: i64_(r, "created_at")?,
        last_used_at: opt_i64(r, "last_used_at")?,
        revoked_at: opt_i64(r, "revoked_at")?,
        read_only: i64_(r, "read_only")? != 0,
        areas: TokenScope::areas_from_stored(&text(r, "areas")?),
        expires_at: i64_(r, "expires_at")?,
    })
}

/// A new token with its limits; it ends at `expires_at` (unix seconds).
pub async fn insert_token(
    c: &mut AnyConnection,
    user_id: i64,
    name: &str,
    token_hash: &str,
    scope: &TokenScope,
    now: i64,
    expires_at: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, read_only, areas, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .bind(i64::from(scope.read_only))
    .bind(scope.stored_areas())
    .bind(expires_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn token_by_hash(c: &mut AnyConnection, token_hash: &str) -> Result<Option<TokenRow>> {
    sqlx::query(
        "SELECT id, user_id, name, created_at, last_used_at, revoked_at, read_only, areas, expires_at FROM api_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(token)
    .transpose()
}

pub async fn tokens_of(c: &mut AnyConnection, user_id: i64) -> Result<Vec<TokenRow>> {
    sqlx::query(
        "SELECT id, user_id, name, created_at, last_used_at, revoked_at, read_only, areas, expires_at FROM api_tokens \
         WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(token)
    .collect()
}

pub async fn touch_token(c: &mut AnyConnection, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn revoke_token(c: &mut AnyConnection, user_id: i64, id: i64, now: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

pub async fn record_login_attempt(
    c: &mut AnyConnection,
    email: &str,
    ip: &str,
    success: bool,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO login_attempts (email, ip, at, success) VALUES ($1, $2, $3, $4)")
        .bind(email)
        .bind(ip)
        .bind(now)
        .bind(i64::from(success))
        .execute(c)
        .await?;
    Ok(())
}

/// Failed sign-in attempts counted for throttling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    /// The latest failure (an account's) or the earliest (an address's
    /// window), as a Unix time; `None` when there are none.
    pub at: Option<i64>,
}

/// The account's failed attempts since its last successful one (and not
/// before `since`): how many, and when the latest was.
pub async fn account_failures(c: &mut AnyConnection, email: &str, since: i64) -> Result<Failures> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(at) AS latest FROM login_attempts \
         WHERE email = $1 AND success = 0 AND at >= $2 AND id > COALESCE( \
           (SELECT MAX(id) FROM login_attempts WHERE email = $1 AND success = 1), 0)",
    )
    .bind(email)
    .bind(since)
    .fetch_one(&mut *c)
    .await?;
    Ok(Failures {
        count: i64_(&r, "n")?,
        at: opt_i64(&r, "latest")?,
    })
}

/// The address's failed attempts since `since`: how many, and when the
/// earliest of them was.
pub async fn address_failures(c: &mut AnyConnection, ip: &str, since: i64) -> Result<Failures> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS earliest FROM login_attempts \
         WHERE ip = $1 AND at >= $2 AND success = 0",
    )
    .bind(ip)
    .bind(since)
    .fetch_one(&mut *c)
    .await?;
    Ok(Failures {
        count: i64_(&r, "n")?,
        at: opt_i64(&r, "earliest")?,
    })
}

/// The columns that hold TOTP secrets, sealed under the data key (the
/// column name is the associated data).
pub const TOTP_SECRET: &str = "users.totp_secret";
pub const TOTP_PENDING: &str = "users.totp_pending";

/// A user's TOTP state, its secrets opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpState {
    /// The confirmed secret: the second factor is on.
    pub secret: Option<String>,
    /// A secret awaiting its first code.
    pub pending: Option<String>,
    /// The last time step used (a code is good once).
    pub last_step: i64,
}

pub async fn totp_state(c: &mut AnyConnection, s: &dyn Sealer, user_id: i64) -> Result<TotpState> {
    let r =
        sqlx::query("SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(c)
            .await?;
    Ok(TotpState {
        secret: open_opt(s, TOTP_SECRET, opt_text(&r, "totp_secret")?)?,
        pending: open_opt(s, TOTP_PENDING, opt_text(&r, "totp_pending")?)?,
        last_step: i64_(&r, "totp_last_step")?,
    })
}

pub async fn set_totp_pending(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    user_id: i64,
    secret: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
        .bind(s.seal(TOTP_PENDING, secret)?)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Turn the pending secret into the confirmed one (or, with `None`, turn the
/// second factor off), remembering the step just used.
pub async fn set_totp(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    user_id: i64,
    secret: Option<&str>,
    step: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2 WHERE id = $3",
    )
    .bind(seal_opt(s, TOTP_SECRET, secret)?)
    .bind(step)
    .bind(user_id)
    .execute(c)
    .await?;
    Ok(())
}

/// Seal TOTP secrets still stored in clear (from before they were sealed);
/// how many users' rows it sealed.
pub async fn seal_legacy_totp(c: &mut AnyConnection, s: &dyn Sealer) -> Result<u64> {
    let rows = sqlx::query(
        "SELECT id, totp_secret, totp_pending FROM users \
         WHERE (totp_secret IS NOT NULL AND totp_secret NOT LIKE 'enc1:%') \
         OR (totp_pending IS NOT NULL AND totp_pending NOT LIKE 'enc1:%')",
    )
    .fetch_all(&mut *c)
    .await?;
    for r in &rows {
        let reseal = |column: &str, v: Option<String>| -> Result<Option<String>> {
            match v {
                Some(v) if !is_sealed(&v) => Ok(Some(s.seal(column, &v)?)),
                other => Ok(other),
            }
        };
        sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = $2 WHERE id = $3")
            .bind(reseal(TOTP_SECRET, opt_text(r, "totp_secret")?)?)
            .bind(reseal(TOTP_PENDING, opt_text(r, "totp_pending")?)?)
            .bind(i64_(r, "id")?)
            .execute(&mut *c)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// Mark a time step used; false when it (or a later one) already was, so
/// two sign-ins racing with one code cannot both succeed.
pub async fn use_totp_step(c: &mut AnyConnection, user_id: i64, step: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user_id)
            .execute(c)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A role grant that needs a second administrator (one that reads
/// participant data, or the administrator role), pending or decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRequest {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub role: Role,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_at: i64,
    /// Who approved or rejected it, when, and whether approved.
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub approved: Option<bool>,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.user_id, u.display_name AS user_name, r.role, \
     r.requested_by, b.display_name AS requested_by_name, r.requested_at, \
     d.display_name AS decided_by_name, r.decided_at, r.approved \
     FROM role_requests r JOIN users u ON u.id = r.user_id \
     JOIN users b ON b.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by";

fn role_request(r: &AnyRow) -> Result<RoleRequest> {
    Ok(RoleRequest {
        id: i64_(r, "id")?,
        user_id: i64_(r, "user_id")?,
        user_name: text(r, "user_name")?,
        role: vocab(r, "role", Role::parse)?,
        requested_by: i64_(r, "requested_by")?,
        requested_by_name: text(r, "requested_by_name")?,
        requested_at: i64_(r, "requested_at")?,
        decided_by_name: opt_text(r, "decided_by_name")?,
        decided_at: opt_i64(r, "decided_at")?,
        approved: opt_i64(r, "approved")?.map(|a| a == 1),
    })
}

/// Ask for `role` for the user; the id of the (new or already pending)
/// request.
pub async fn request_role(
    c: &mut AnyConnection,
    partnership_id: i64,
    user_id: i64,
    role: Role,
    requested_by: i64,
    now: i64,
) -> Result<i64> {
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM role_requests WHERE partnership_id = $1 AND user_id = $2 AND role = $3 \
         AND decided_at IS NULL",
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(role.as_str())
    .fetch_optional(&mut *c)
    .await?;
    if let Some(id) = pending {
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO role_requests (partnership_id, user_id, role, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(requested_by)
    .bind(now)
    .fetch_one(&mut *c)
    .await?)
}

/// The partnership's requests still waiting for a decision, oldest first.
pub async fn pending_role_requests(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<RoleRequest>> {
    sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE r.partnership_id = $1 AND r.decided_at IS NULL ORDER BY r.id LIMIT 500"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(role_request)
    .collect()
}

/// One of the partnership's requests.
pub async fn role_request_by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<RoleRequest>> {
    sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE r.partnership_id = $1 AND r.id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(role_request)
    .transpose()
}

/// Decide a pending request; false when it was decided already.
pub async fn decide_role_request(
    c: &mut AnyConnection,
    id: i64,
    decided_by: i64,
    approved: bool,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE role_requests SET decided_by = $1, decided_at = $2, approved = $3 \
         WHERE id = $4 AND decided_at IS NULL",
    )
    .bind(decided_by)
    .bind(now)
    .bind(i64::from(approved))
    .bind(id)
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

/// Requests approved in [from, to): the role changes that gave access to
/// participant data (or administration), for the log review.
pub async fn approved_role_requests(
    c: &mut AnyConnection,
    partnership_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<RoleRequest>> {
    sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE r.partnership_id = $1 AND r.approved = 1 \
         AND r.decided_at >= $2 AND r.decided_at < $3 ORDER BY r.decided_at, r.id LIMIT 500"
    ))
    .bind(partnership_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?
    .iter()
    .map(role_request)
    .collect()
}
