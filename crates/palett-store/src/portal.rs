//! The participant portal: her account, the invitations her caseworker
//! makes (only the code's SHA-256 is kept), her sessions (only the cookie's
//! SHA-256), and the months of her time she confirmed.

use crate::row::*;
use crate::Result;
use sqlx::AnyConnection;

/// Her portal account as staff and she see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub participant_id: i64,
    pub login_name: String,
    pub has_password: bool,
    /// The language she chose in the portal (a code), if any.
    pub lang: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// When her calendar feed was made, if she has one.
    pub calendar_made_at: Option<i64>,
}

/// What the staff side shows of her portal access.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Access {
    pub account: Option<Account>,
    /// How many passkeys she has set up.
    pub passkeys: i64,
    /// The months of her time she confirmed, latest first: (month, minutes
    /// confirmed, when).
    pub confirmed: Vec<(String, i64, i64)>,
    /// When the newest invitation not yet used runs out, if one is open.
    pub invitation_expires_at: Option<i64>,
}

fn account(r: &sqlx::any::AnyRow) -> Result<Account> {
    Ok(Account {
        participant_id: i64_(r, "participant_id")?,
        login_name: text(r, "login_name")?,
        has_password: opt_text(r, "password_hash")?.is_some(),
        lang: opt_text(r, "lang")?,
        created_at: i64_(r, "created_at")?,
        last_used_at: opt_i64(r, "last_used_at")?,
        calendar_made_at: opt_i64(r, "calendar_made_at")?,
    })
}

const ACCOUNT: &str =
    "SELECT participant_id, login_name, password_hash, lang, created_at, last_used_at, \
     calendar_made_at FROM portal_accounts";

/// Her access: the account, and an invitation still open at `now`.
pub async fn access(c: &mut AnyConnection, participant_id: i64, now: i64) -> Result<Access> {
    let account = sqlx::query(&format!("{ACCOUNT} WHERE participant_id = $1"))
        .bind(participant_id)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| account(&r))
        .transpose()?;
    let invitation_expires_at: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(expires_at) FROM portal_invitations \
         WHERE participant_id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(participant_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let passkeys: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM portal_passkeys WHERE participant_id = $1")
            .bind(participant_id)
            .fetch_one(&mut *c)
            .await?;
    let confirmed = sqlx::query(
        "SELECT month, minutes, confirmed_at FROM time_confirmations WHERE participant_id = $1 \
         ORDER BY month DESC LIMIT 24",
    )
    .bind(participant_id)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            text(r, "month")?,
            i64_(r, "minutes")?,
            i64_(r, "confirmed_at")?,
        ))
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(Access {
        account,
        passkeys,
        confirmed,
        invitation_expires_at,
    })
}

/// Her account, made with `login_name` if she has none yet; her login name.
pub async fn ensure_account(
    c: &mut AnyConnection,
    participant_id: i64,
    login_name: &str,
    now: i64,
) -> Result<String> {
    sqlx::query(
        "INSERT INTO portal_accounts (participant_id, login_name, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (participant_id) DO NOTHING",
    )
    .bind(participant_id)
    .bind(login_name)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT login_name FROM portal_accounts WHERE participant_id = $1")
            .bind(participant_id)
            .fetch_one(c)
            .await?,
    )
}

/// Whether a login name is taken.
pub async fn login_name_taken(c: &mut AnyConnection, login_name: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM portal_accounts WHERE login_name = $1")
        .bind(login_name)
        .fetch_one(c)
        .await?;
    Ok(n > 0)
}

/// A new invitation; the ones she had that were not used end with it.
pub async fn insert_invitation(
    c: &mut AnyConnection,
    participant_id: i64,
    code_hash: &str,
    by: i64,
    now: i64,
    expires_at: i64,
) -> Result<i64> {
    sqlx::query("DELETE FROM portal_invitations WHERE participant_id = $1 AND used_at IS NULL")
        .bind(participant_id)
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO portal_invitations (participant_id, code_hash, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(participant_id)
    .bind(code_hash)
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(c)
    .await?)
}

/// An open invitation by its code's hash: its id, her id and partnership.
pub async fn open_invitation(
    c: &mut AnyConnection,
    code_hash: &str,
    now: i64,
) -> Result<Option<(i64, i64, i64)>> {
    sqlx::query(
        "SELECT i.id, i.participant_id, p.partnership_id FROM portal_invitations i \
         JOIN participants p ON p.id = i.participant_id \
         WHERE i.code_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 \
         AND p.anonymised_at IS NULL",
    )
    .bind(code_hash)
    .bind(now)
    .fetch_optional(c)
    .await?
    .map(|r| {
        Ok((
            i64_(&r, "id")?,
            i64_(&r, "participant_id")?,
            i64_(&r, "partnership_id")?,
        ))
    })
    .transpose()
}

/// Use an invitation: true the first time only.
pub async fn use_invitation(c: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE portal_invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(c)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Her new way in replaces the old: the password (or none), every
/// passkey and every session go.
pub async fn replace_credentials(
    c: &mut AnyConnection,
    participant_id: i64,
    password_hash: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE portal_accounts SET password_hash = $1 WHERE participant_id = $2")
        .bind(password_hash)
        .bind(participant_id)
        .execute(&mut *c)
        .await?;
    for sql in [
        "DELETE FROM portal_passkeys WHERE participant_id = $1",
        "DELETE FROM portal_sessions WHERE participant_id = $1",
        "DELETE FROM portal_ceremonies WHERE participant_id = $1",
    ] {
        sqlx::query(sql)
            .bind(participant_id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn set_lang(c: &mut AnyConnection, participant_id: i64, lang: &str) -> Result<()> {
    sqlx::query("UPDATE portal_accounts SET lang = $1 WHERE participant_id = $2")
        .bind(lang)
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

/// How she signs in: her account as sign-in reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    pub participant_id: i64,
    pub partnership_id: i64,
    pub login_name: String,
    pub password_hash: Option<String>,
    /// The random user handle her passkeys carry.
    pub user_handle: Option<String>,
}

/// Which account to read for a sign-in.
#[derive(Clone, Copy, Debug)]
pub enum LoginKey<'a> {
    Name(&'a str),
    Participant(i64),
}

/// Her account for a sign-in, by login name or by her id: only of a
/// participant not anonymised.
pub async fn login(c: &mut AnyConnection, key: LoginKey<'_>) -> Result<Option<Login>> {
    let by = match key {
        LoginKey::Name(_) => "a.login_name = $1",
        LoginKey::Participant(_) => "a.participant_id = $1",
    };
    let sql = format!(
        "SELECT a.participant_id, p.partnership_id, a.login_name, a.password_hash, a.user_handle \
         FROM portal_accounts a JOIN participants p ON p.id = a.participant_id \
         WHERE {by} AND p.anonymised_at IS NULL"
    );
    let q = sqlx::query(&sql);
    let q = match key {
        LoginKey::Name(name) => q.bind(name.to_string()),
        LoginKey::Participant(id) => q.bind(id),
    };
    q.fetch_optional(c)
        .await?
        .map(|r| {
            Ok(Login {
                participant_id: i64_(&r, "participant_id")?,
                partnership_id: i64_(&r, "partnership_id")?,
                login_name: text(&r, "login_name")?,
                password_hash: opt_text(&r, "password_hash")?,
                user_handle: opt_text(&r, "user_handle")?,
            })
        })
        .transpose()
}

pub async fn set_user_handle(
    c: &mut AnyConnection,
    participant_id: i64,
    handle: &str,
) -> Result<()> {
    sqlx::query("UPDATE portal_accounts SET user_handle = $1 WHERE participant_id = $2")
        .bind(handle)
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

// ------------------------------------------------------------ passkeys

/// Keep a ceremony's state (`kind`: `register` or `sign_in`) until
/// `expires_at`; ceremonies run out are removed on the way.
pub async fn insert_ceremony(
    c: &mut AnyConnection,
    id_hash: &str,
    kind: &str,
    participant_id: i64,
    state: &str,
    (now, expires_at): (i64, i64),
) -> Result<()> {
    sqlx::query("DELETE FROM portal_ceremonies WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO portal_ceremonies (id_hash, kind, participant_id, state, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(kind)
    .bind(participant_id)
    .bind(state)
    .bind(expires_at)
    .execute(c)
    .await?;
    Ok(())
}

/// Take a ceremony once: its participant and state, if it is of `kind`
/// and has not run out.
pub async fn take_ceremony(
    c: &mut AnyConnection,
    id_hash: &str,
    kind: &str,
    now: i64,
) -> Result<Option<(i64, String)>> {
    sqlx::query(
        "DELETE FROM portal_ceremonies WHERE id_hash = $1 AND kind = $2 AND expires_at > $3 \
         RETURNING participant_id, state",
    )
    .bind(id_hash)
    .bind(kind)
    .bind(now)
    .fetch_optional(c)
    .await?
    .map(|r| Ok((i64_(&r, "participant_id")?, text(&r, "state")?)))
    .transpose()
}

/// Her passkeys: (credential id, the passkey as webauthn-rs stores it).
pub async fn passkeys_of(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<(String, String)>> {
    sqlx::query(
        "SELECT credential_id, passkey FROM portal_passkeys WHERE participant_id = $1 ORDER BY id",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((text(r, "credential_id")?, text(r, "passkey")?)))
    .collect()
}

pub async fn insert_passkey(
    c: &mut AnyConnection,
    participant_id: i64,
    credential_id: &str,
    passkey: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO portal_passkeys (participant_id, credential_id, passkey, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(participant_id)
    .bind(credential_id)
    .bind(passkey)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// A passkey after use: its counter and state as updated, and the time.
pub async fn used_passkey(
    c: &mut AnyConnection,
    credential_id: &str,
    passkey: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE portal_passkeys SET passkey = COALESCE($1, passkey), last_used_at = $2 \
         WHERE credential_id = $3",
    )
    .bind(passkey)
    .bind(now)
    .bind(credential_id)
    .execute(c)
    .await?;
    Ok(())
}

// ------------------------------------------------------------ sessions

/// A stored portal session, found by the hash of its cookie value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalSession {
    pub participant_id: i64,
    pub partnership_id: i64,
    pub given_name: String,
    pub lang: Option<String>,
    pub csrf_token: String,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(
    c: &mut AnyConnection,
    id_hash: &str,
    participant_id: i64,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO portal_sessions (id_hash, participant_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(id_hash)
    .bind(participant_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *c)
    .await?;
    sqlx::query("UPDATE portal_accounts SET last_used_at = $1 WHERE participant_id = $2")
        .bind(now)
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

/// A session of a participant not anonymised.
pub async fn session(c: &mut AnyConnection, id_hash: &str) -> Result<Option<PortalSession>> {
    sqlx::query(
        "SELECT s.participant_id, p.partnership_id, p.given_name, a.lang, s.csrf_token, \
         s.expires_at, s.last_seen_at FROM portal_sessions s \
         JOIN participants p ON p.id = s.participant_id \
         JOIN portal_accounts a ON a.participant_id = s.participant_id \
         WHERE s.id_hash = $1 AND p.anonymised_at IS NULL",
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await?
    .map(|r| {
        Ok(PortalSession {
            participant_id: i64_(&r, "participant_id")?,
            partnership_id: i64_(&r, "partnership_id")?,
            given_name: text(&r, "given_name")?,
            lang: opt_text(&r, "lang")?,
            csrf_token: text(&r, "csrf_token")?,
            expires_at: i64_(&r, "expires_at")?,
            last_seen_at: i64_(&r, "last_seen_at")?,
        })
    })
    .transpose()
}

/// Slide the idle timeout, and note when she last used the portal.
pub async fn touch_session(
    c: &mut AnyConnection,
    id_hash: &str,
    participant_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE portal_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE portal_accounts SET last_used_at = $1 WHERE participant_id = $2")
        .bind(now)
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM portal_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

// ------------------------------------------------------------ her calendar

/// Her calendar feed's secret hash (a new one replaces the old), or none.
pub async fn set_calendar(
    c: &mut AnyConnection,
    participant_id: i64,
    secret_hash: Option<&str>,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE portal_accounts SET calendar_hash = $1, \
         calendar_made_at = CASE WHEN $1 IS NULL THEN NULL ELSE $2 END WHERE participant_id = $3",
    )
    .bind(secret_hash)
    .bind(now)
    .bind(participant_id)
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

/// When her calendar feed was made, if she has one.
pub async fn calendar_made(c: &mut AnyConnection, participant_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, Option<i64>>(
        "SELECT calendar_made_at FROM portal_accounts WHERE participant_id = $1",
    )
    .bind(participant_id)
    .fetch_optional(c)
    .await?
    .flatten())
}

/// Whose calendar feed a secret hash opens (a participant not anonymised).
pub async fn calendar_owner(c: &mut AnyConnection, secret_hash: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT a.participant_id FROM portal_accounts a JOIN participants p ON p.id = a.participant_id \
         WHERE a.calendar_hash = $1 AND p.anonymised_at IS NULL",
    )
    .bind(secret_hash)
    .fetch_optional(c)
    .await?)
}

// ------------------------------------------------------------ her time

/// One month of her time: minutes present at sessions held and recorded
/// activities, and what she confirmed of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HerMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub minutes: i64,
    /// The minutes she confirmed and when; `None`: not confirmed.
    pub confirmed: Option<(i64, i64)>,
}

/// Her minutes by month (`$1` her, `$2` and `$3` the first and last month).
const HER_MONTHS: &str = "SELECT t.month, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM ( \
     SELECT SUBSTR(s.on_date, 1, 7) AS month, a.minutes FROM attendance a \
       JOIN group_sessions s ON s.id = a.session_id \
       WHERE a.participant_id = $1 AND s.status = 'scheduled' AND a.status = 'present' \
     UNION ALL SELECT SUBSTR(r.on_date, 1, 7), r.minutes FROM activity_records r \
       WHERE r.participant_id = $1 \
   ) t WHERE t.month >= $2 AND t.month <= $3 GROUP BY t.month";

/// The months from `months.0` to `months.1` with time of hers, latest
/// first, each with her confirmation.
pub async fn her_months(
    c: &mut AnyConnection,
    participant_id: i64,
    months: (&str, &str),
) -> Result<Vec<HerMonth>> {
    sqlx::query(&format!(
        "SELECT m.month, m.minutes, k.minutes AS confirmed_minutes, k.confirmed_at \
         FROM ({HER_MONTHS}) m LEFT JOIN time_confirmations k \
         ON k.participant_id = $1 AND k.month = m.month ORDER BY m.month DESC"
    ))
    .bind(participant_id)
    .bind(months.0)
    .bind(months.1)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        let confirmed = match opt_i64(r, "confirmed_minutes")? {
            Some(m) => Some((m, i64_(r, "confirmed_at")?)),
            None => None,
        };
        Ok(HerMonth {
            month: text(r, "month")?,
            minutes: i64_(r, "minutes")?,
            confirmed,
        })
    })
    .collect()
}

/// She confirms `month` with the `minutes` she saw (again, when changed).
pub async fn confirm_month(
    c: &mut AnyConnection,
    participant_id: i64,
    month: &str,
    minutes: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO time_confirmations (participant_id, month, minutes, confirmed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (participant_id, month) DO UPDATE SET \
         minutes = excluded.minutes, confirmed_at = excluded.confirmed_at",
    )
    .bind(participant_id)
    .bind(month)
    .bind(minutes)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Her coming group sessions from `from` (inclusive), first first: date,
/// start time, minutes, place, the intervention's and the group's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HerSession {
    pub id: i64,
    pub on: String,
    pub start: String,
    pub minutes: i64,
    pub place: String,
    pub intervention: String,
    pub group: String,
}

pub async fn her_sessions(
    c: &mut AnyConnection,
    participant_id: i64,
    (from, to): (&str, &str),
    limit: i64,
) -> Result<Vec<HerSession>> {
    sqlx::query(&format!(
        "SELECT s.id, s.on_date, s.start_time, s.minutes, s.place, i.name AS intervention, g.name AS grp \
         FROM enrolments e JOIN activity_groups g ON g.id = e.group_id \
         JOIN interventions i ON i.id = g.intervention_id \
         JOIN group_sessions s ON s.group_id = g.id \
         WHERE e.participant_id = $1 AND e.status IN ('offered', 'planned', 'ongoing') \
         AND s.status = 'scheduled' AND s.on_date >= $2 AND s.on_date <= $3 \
         AND (e.end_date IS NULL OR s.on_date <= e.end_date) \
         ORDER BY s.on_date, s.start_time LIMIT {limit}"
    ))
    .bind(participant_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(HerSession {
            id: i64_(r, "id")?,
            on: text(r, "on_date")?,
            start: text(r, "start_time")?,
            minutes: i64_(r, "minutes")?,
            place: text(r, "place")?,
            intervention: text(r, "intervention")?,
            group: text(r, "grp")?,
        })
    })
    .collect()
}
