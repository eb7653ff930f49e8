//! Signing in and out, sessions, and personal access tokens.
//!
//! Sessions live in the database; the browser holds only a random id whose
//! SHA-256 is the key. Each session carries a CSRF token for unsafe
//! requests. Sign-in is throttled per account, with a delay that grows with
//! each failure since the last success (so nobody can lock another out for
//! long by guessing), and per client address.

use crate::audit::Action;
pub use crate::secret::random_token;
use crate::secret::{self, sha256_hex};
use crate::work::{bookkeeping, Change};
use crate::{App, AppError, Ctx, Result};
use palett_domain::model::User;
use palett_domain::policy::{Actor, Role, Standing};
pub use palett_domain::token::TokenInput;
pub use palett_domain::token::TokenLimit;
use palett_domain::token::{TokenScope, WIDER_ERROR};
use palett_domain::values::Email;
pub use palett_store::auth::TokenRow;
use palett_store::auth::{self as store, SessionRow};
use palett_store::AnyConnection;

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Signed {
    pub user: User,
    pub actor: Actor,
    /// For sessions: the token forms must echo. `None` for bearer tokens.
    pub csrf_token: Option<String>,
    /// The partnerships the user holds roles in (id, name).
    pub partnerships: Vec<(i64, String)>,
    /// Her current partnership requires a second factor of staff who read
    /// sensitive data.
    pub second_factor_required: bool,
    /// How many of her inbox messages are unread (0 for API tokens).
    pub unread: i64,
}

impl Signed {
    /// Her partnership requires a second factor of her and she has none
    /// yet: until she sets one up, only that page is open to her.
    pub fn must_set_up_second_factor(&self) -> bool {
        self.second_factor_required && self.actor.reads_sensitive_data() && !self.user.second_factor
    }

    pub fn ctx(&self, ip: &str) -> Ctx {
        Ctx {
            actor: self.actor.clone(),
            ip: ip.to_string(),
        }
    }
}

/// What a bearer token presented turns out to be.
#[derive(Clone, Debug)]
pub enum Bearer {
    /// Valid: its user, and what the token may do until when.
    Valid(Box<Signed>, TokenLimit),
    /// It was valid but has ended.
    Expired,
    /// No such token, revoked, or its user may no longer sign in.
    Unknown,
}

impl Bearer {
    /// The caller, when the token is valid.
    pub fn signed(self) -> Option<Signed> {
        match self {
            Bearer::Valid(s, _) => Some(*s),
            _ => None,
        }
    }
}

/// A new session: the cookie value (shown once) and its CSRF token.
pub struct NewSession {
    pub cookie_value: String,
    pub csrf_token: String,
    pub max_age_secs: i64,
}

/// The actor of `user` in the partnership she asks for (or her first), with
/// her organisation's membership standing on `today`.
async fn actor_for(
    c: &mut AnyConnection,
    user: &User,
    wanted: Option<i64>,
    today: jiff::civil::Date,
) -> Result<Option<(Actor, Vec<(i64, String)>, bool)>> {
    let grants = store::roles_of(c, user.id).await?;
    let mut ids: Vec<i64> = grants.iter().map(|(p, _)| *p).collect();
    ids.dedup();
    let Some(first) = ids.first().copied() else {
        return Ok(None);
    };
    let partnership_id = wanted.filter(|w| ids.contains(w)).unwrap_or(first);
    let roles: Vec<Role> = grants
        .iter()
        .filter(|(p, _)| *p == partnership_id)
        .map(|(_, r)| *r)
        .collect();
    let mut partnerships = Vec::new();
    let mut required = false;
    for id in ids {
        if let Some(p) = palett_store::org::partnership_by_id(c, id).await? {
            required |= p.id == partnership_id && p.require_second_factor;
            partnerships.push((p.id, p.name));
        }
    }
    let periods = palett_store::org::periods_of(c, partnership_id, user.organisation_id).await?;
    let actor = Actor {
        user_id: user.id,
        organisation_id: user.organisation_id,
        partnership_id,
        roles,
        standing: Standing::on(&periods, today),
        participant: None,
    };
    Ok(Some((actor, partnerships, required)))
}

impl App {
    /// Check e-mail and password (for accounts without a second factor).
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str, ip: &str) -> Result<NewSession> {
        self.sign_in_with_code(email, password, "", ip).await
    }

    /// Refuse an attempt while the account must wait after its failures or
    /// the client address has too many of them; the error says how long.
    pub(crate) async fn throttle(
        &self,
        c: &mut AnyConnection,
        email: &str,
        ip: &str,
        now: i64,
    ) -> Result<()> {
        let cfg = &self.config;
        let account =
            store::account_failures(c, email, now - cfg.account_failure_memory_secs).await?;
        let account_wait = account
            .at
            .map_or(0, |l| l + cfg.account_delay_secs(account.count) - now);
        let address = store::address_failures(c, ip, now - cfg.throttle_window_secs + 1).await?;
        let address_wait = if address.count >= cfg.max_failures_per_address {
            address.at.map_or(cfg.throttle_window_secs, |e| {
                e + cfg.throttle_window_secs - now
            })
        } else {
            0
        };
        let wait = account_wait.max(address_wait);
        if wait > 0 {
            Err(AppError::Throttled {
                retry_after_secs: wait,
            })
        } else {
            Ok(())
        }
    }

    /// Record a failed attempt (a wrong password or code) for throttling.
    pub(crate) async fn record_failure(&self, email: &str, ip: &str) -> Result<()> {
        let mut tx = bookkeeping(self).await?;
        store::record_login_attempt(&mut tx, email, ip, false, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The signed-in user's e-mail, refused while she is throttled.
    pub(crate) async fn throttle_caller(&self, ctx: &Ctx) -> Result<String> {
        let mut c = self.db.read().await?;
        let user = store::user_by_id(&mut c, ctx.actor.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.throttle(&mut c, &user.email, &ctx.ip, self.now())
            .await?;
        Ok(user.email)
    }

    /// Ask the signed-in user for her password again, before a change to
    /// how she signs in. A wrong one is an error on `password` and counts
    /// towards throttling like a wrong sign-in.
    pub(crate) async fn confirm_password(&self, ctx: &Ctx, password: &str) -> Result<()> {
        let email = self.throttle_caller(ctx).await?;
        let hash = {
            let mut c = self.db.read().await?;
            let (_, hash) = store::credentials_by_email(&mut c, &email)
                .await?
                .ok_or(AppError::NotFound)?;
            hash
        };
        if password.is_empty() || !secret::verify_password_async(password.to_string(), hash).await {
            self.record_failure(&email, &ctx.ip).await?;
            return Err(
                palett_domain::FieldErrors::single("password", "error-password-wrong").into(),
            );
        }
        Ok(())
    }

    /// Check e-mail, password and, when she has set one up, the code from
    /// her authenticator app; on success a new session. A code is accepted
    /// once; wrong codes count towards throttling like wrong passwords.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_code(
        &self,
        email: &str,
        password: &str,
        code: &str,
        ip: &str,
    ) -> Result<NewSession> {
        let now = self.now();
        let email_key = Email::parse(email)
            .map(|e| e.as_str().to_string())
            .unwrap_or_else(|_| {
                // Not an address any account has; keep it harmless for SQL.
                email
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(254)
                    .collect::<String>()
                    .to_lowercase()
            });
        let creds = {
            let mut c = self.db.read().await?;
            // Even the right password waits out the delay.
            self.throttle(&mut c, &email_key, ip, now).await?;
            store::credentials_by_email(&mut c, &email_key).await?
        };
        let (user, hash) = match creds {
            Some((u, h)) => (Some(u), h),
            None => (None, secret::dummy_hash().to_string()),
        };
        let ok = secret::verify_password_async(password.to_string(), hash).await;
        let mut tx = bookkeeping(self).await?;
        let user = match user {
            Some(u) if ok && u.active => u,
            _ => {
                store::record_login_attempt(&mut tx, &email_key, ip, false, now).await?;
                tx.commit().await?;
                return Err(AppError::Unauthenticated);
            }
        };
        let Some((actor, _, _)) = actor_for(&mut tx, &user, None, self.today()).await? else {
            store::record_login_attempt(&mut tx, &email_key, ip, false, now).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        if user.second_factor {
            let store::TotpState {
                secret,
                last_step: last,
                ..
            } = store::totp_state(&mut tx, self.sealer(), user.id).await?;
            let step = secret.and_then(|s| crate::totp::check(&s, code, now, last));
            let used = match step {
                Some(step) => store::use_totp_step(&mut tx, user.id, step).await?,
                None => false,
            };
            if !used {
                if !code.trim().is_empty() {
                    store::record_login_attempt(&mut tx, &email_key, ip, false, now).await?;
                }
                tx.commit().await?;
                return Err(AppError::SecondFactorNeeded);
            }
        }
        store::record_login_attempt(&mut tx, &email_key, ip, true, now).await?;
        let cookie_value = random_token()?;
        let csrf_token = random_token()?;
        let expires_at = now + self.config.session_absolute_secs;
        store::insert_session(
            &mut tx,
            &sha256_hex(&cookie_value),
            &SessionRow {
                user_id: user.id,
                partnership_id: actor.partnership_id,
                csrf_token: csrf_token.clone(),
                expires_at,
                last_seen_at: now,
                unread: 0,
            },
            now,
        )
        .await?;
        let ctx = Ctx {
            actor,
            ip: ip.to_string(),
        };
        Change::adopt(tx, &ctx, now)
            .done(Action::SignIn, "session", None, None)
            .await?;
        Ok(NewSession {
            cookie_value,
            csrf_token,
            max_age_secs: self.config.session_absolute_secs,
        })
    }

    /// The context of an active user for palett's own work on her behalf
    /// (her daily digest, her calendar): her first partnership, no
    /// address. None for an inactive user or one without roles.
    pub(crate) async fn user_ctx(
        &self,
        c: &mut AnyConnection,
        user_id: i64,
    ) -> Result<Option<(User, Ctx)>> {
        let Some(user) = store::user_by_id(c, user_id).await?.filter(|u| u.active) else {
            return Ok(None);
        };
        let Some((actor, _, _)) = actor_for(c, &user, None, self.today()).await? else {
            return Ok(None);
        };
        let ctx = Ctx {
            actor,
            ip: "system".into(),
        };
        Ok(Some((user, ctx)))
    }

    /// The caller behind a session cookie, if the session is alive.
    #[tracing::instrument(skip_all)]
    pub async fn session(&self, cookie_value: &str) -> Result<Option<Signed>> {
        let now = self.now();
        let key = sha256_hex(cookie_value);
        let mut c = self.db.read().await?;
        let Some(s) = store::session(&mut c, &key).await? else {
            return Ok(None);
        };
        if self.config.session_ended(s.expires_at, s.last_seen_at, now) {
            store::delete_session(&mut c, &key).await?;
            return Ok(None);
        }
        let Some(user) = store::user_by_id(&mut c, s.user_id)
            .await?
            .filter(|u| u.active)
        else {
            return Ok(None);
        };
        let Some((actor, partnerships, second_factor_required)) =
            actor_for(&mut c, &user, Some(s.partnership_id), self.today()).await?
        else {
            return Ok(None);
        };
        if self.config.session_touch_due(s.last_seen_at, now) {
            store::touch_session(&mut c, &key, now).await?;
        }
        Ok(Some(Signed {
            user,
            actor,
            csrf_token: Some(s.csrf_token),
            partnerships,
            second_factor_required,
            unread: s.unread,
        }))
    }

    #[tracing::instrument(skip_all)]
    pub async fn sign_out(&self, cookie_value: &str, signed: &Signed, ip: &str) -> Result<()> {
        let ctx = signed.ctx(ip);
        let mut tx = Change::begin(self, &ctx).await?;
        store::delete_session(&mut tx, &sha256_hex(cookie_value)).await?;
        tx.done(Action::SignOut, "session", None, None).await?;
        Ok(())
    }

    /// The caller behind a bearer token and what the token may do, if it
    /// is valid; an ended token is told apart from an unknown one.
    #[tracing::instrument(skip_all)]
    pub async fn bearer(&self, token: &str) -> Result<Bearer> {
        let mut c = self.db.read().await?;
        let Some(t) = store::token_by_hash(&mut c, &sha256_hex(token)).await? else {
            return Ok(Bearer::Unknown);
        };
        if t.revoked_at.is_some() {
            return Ok(Bearer::Unknown);
        }
        let now = self.now();
        if now >= t.expires_at {
            return Ok(Bearer::Expired);
        }
        let Some(user) = store::user_by_id(&mut c, t.user_id)
            .await?
            .filter(|u| u.active)
        else {
            return Ok(Bearer::Unknown);
        };
        let Some((actor, partnerships, second_factor_required)) =
            actor_for(&mut c, &user, None, self.today()).await?
        else {
            return Ok(Bearer::Unknown);
        };
        if t.last_used_at.is_none_or(|l| now - l >= 60) {
            store::touch_token(&mut c, t.id, now).await?;
        }
        let signed = Signed {
            user,
            actor,
            csrf_token: None,
            partnerships,
            second_factor_required,
            unread: 0,
        };
        let limit = TokenLimit {
            scope: TokenScope {
                read_only: t.read_only,
                areas: t.areas,
            },
            expires_at: t.expires_at,
        };
        Ok(Bearer::Valid(Box::new(signed), limit))
    }

    /// Create a personal access token for the caller, limited as asked
    /// (`known_areas`: the areas the API has); the secret is returned once
    /// and only its hash is kept. Asked for with a token (`by`), the new
    /// one is no wider than it and ends no later.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_token(
        &self,
        ctx: &Ctx,
        input: &TokenInput,
        known_areas: &[String],
        by: Option<&TokenLimit>,
    ) -> Result<(TokenRow, String)> {
        let new = input.parse(known_areas)?;
        if by.is_some_and(|l| !l.scope.covers(&new.scope)) {
            return Err(palett_domain::FieldErrors::single("areas", WIDER_ERROR).into());
        }
        let secret = format!("plt_{}", random_token()?);
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let asked = now + new.days * 86_400;
        let expires_at = by.map_or(asked, |l| asked.min(l.expires_at));
        let id = store::insert_token(
            &mut tx,
            ctx.actor.user_id,
            &new.name,
            &sha256_hex(&secret),
            &new.scope,
            now,
            expires_at,
        )
        .await?;
        tx.done(Action::TokenCreate, "api_token", Some(id), None)
            .await?;
        let row = TokenRow {
            id,
            user_id: ctx.actor.user_id,
            name: new.name,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
            read_only: new.scope.read_only,
            areas: new.scope.areas,
            expires_at,
        };
        Ok((row, secret))
    }

    /// Create a token for the user with this e-mail (the CLI, run by the
    /// operator on the server).
    #[tracing::instrument(skip_all)]
    pub async fn create_token_for_email(
        &self,
        email: &str,
        input: &TokenInput,
        known_areas: &[String],
    ) -> Result<String> {
        let ctx = self.ctx_for_email(email).await?;
        self.create_token(&ctx, input, known_areas, None)
            .await
            .map(|(_, s)| s)
    }

    /// The context of a user acting from the command line (no session).
    #[tracing::instrument(skip_all)]
    pub async fn ctx_for_email(&self, email: &str) -> Result<Ctx> {
        let email =
            Email::parse(email).map_err(|c| palett_domain::FieldErrors::single("email", c))?;
        let user = {
            let mut c = self.db.read().await?;
            store::credentials_by_email(&mut c, email.as_str())
                .await?
                .map(|(u, _)| u)
        }
        .ok_or(AppError::NotFound)?;
        let actor = {
            let mut c = self.db.read().await?;
            actor_for(&mut c, &user, None, self.today())
                .await?
                .map(|(a, _, _)| a)
        }
        .ok_or(AppError::Forbidden)?;
        Ok(Ctx {
            actor,
            ip: "cli".into(),
        })
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn tokens(&self, ctx: &Ctx) -> Result<Vec<TokenRow>> {
        let mut c = self.db.read().await?;
        Ok(store::tokens_of(&mut c, ctx.actor.user_id).await?)
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn revoke_token(&self, ctx: &Ctx, id: i64) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        if !store::revoke_token(&mut tx, ctx.actor.user_id, id, now).await? {
            return Err(AppError::NotFound);
        }
        tx.done(Action::TokenRevoke, "api_token", Some(id), None)
            .await?;
        Ok(())
    }
}
