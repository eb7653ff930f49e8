//! TOTP second factor (RFC 6238, SHA-1, 30-second steps, six digits — what
//! every authenticator app accepts): setting it up, checking a code once,
//! and a partnership's requirement of it.

use crate::audit::Action;
use crate::secret::{hmac_sha1, same_secret};
use crate::work::{bookkeeping, Change};
use crate::{App, AppError, Ctx, Result};
use palett_domain::FieldErrors;
use palett_store::auth as store;

pub const STEP_SECS: i64 = 30;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for b in bytes {
        buf = (buf << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The HOTP value (RFC 4226) with `digits` digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mac = hmac_sha1(key, &counter.to_be_bytes());
    let offset = (mac[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

/// The six-digit code for a moment (Unix seconds).
pub fn code_at(secret_b32: &str, unix: i64) -> Option<String> {
    let key = base32_decode(secret_b32)?;
    Some(format!("{:06}", hotp(&key, (unix / STEP_SECS) as u64, 6)))
}

/// The step a code belongs to, if it is valid now (one step of clock drift
/// either way) and newer than the last one used.
pub fn check(secret_b32: &str, code: &str, now: i64, last_step: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let key = base32_decode(secret_b32)?;
    let now_step = now / STEP_SECS;
    (now_step - 1..=now_step + 1)
        .filter(|s| *s > last_step && *s >= 0)
        .find(|s| {
            same_secret(
                format!("{:06}", hotp(&key, *s as u64, 6)).as_bytes(),
                code.as_bytes(),
            )
        })
}

/// What the set-up page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// Set up and in use.
    On,
    /// Not yet: the secret to enter in an authenticator app, and its
    /// `otpauth://` address.
    Setup { secret: String, uri: String },
}

impl App {
    /// The caller's second factor, or a fresh secret to set it up with (kept
    /// until confirmed by a code; a new visit gives a new secret).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn second_factor(&self, ctx: &Ctx) -> Result<SecondFactor> {
        // A pending secret changes nothing until a code confirms it.
        let mut tx = bookkeeping(self).await?;
        let store::TotpState {
            secret, pending, ..
        } = store::totp_state(&mut tx, self.sealer(), ctx.actor.user_id).await?;
        if secret.is_some() {
            return Ok(SecondFactor::On);
        }
        // The same secret until it is confirmed, so a wrong code does not
        // invalidate what she has already entered in her app.
        let secret = match pending {
            Some(p) => p,
            None => {
                let secret = base32(&crate::secret::random_bytes::<20>()?);
                store::set_totp_pending(&mut tx, self.sealer(), ctx.actor.user_id, &secret).await?;
                secret
            }
        };
        let user = store::user_by_id(&mut tx, ctx.actor.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let label: String = user
            .email
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c.to_string()
                } else {
                    format!("%{:02X}", c as u32 & 0xff)
                }
            })
            .collect();
        Ok(SecondFactor::Setup {
            uri: format!(
                "otpauth://totp/palett:{label}?secret={secret}&issuer=palett&algorithm=SHA1&digits=6&period=30"
            ),
            secret,
        })
    }

    /// Confirm the pending secret with a code from the app, her password
    /// asked again first (a session left open must not be enough to tie
    /// her account to someone else's phone).
    /// A wrong code counts towards throttling like a wrong password.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn enable_second_factor(&self, ctx: &Ctx, password: &str, code: &str) -> Result<()> {
        self.confirm_password(ctx, password).await?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let store::TotpState {
            secret: current,
            pending,
            last_step: last,
        } = store::totp_state(&mut tx, self.sealer(), ctx.actor.user_id).await?;
        if current.is_some() {
            return Ok(());
        }
        let Some(step) = pending.and_then(|p| check(&p, code, now, last).map(|s| (p, s))) else {
            drop(tx);
            return self.wrong_code(ctx).await;
        };
        let (pending, step) = step;
        store::set_totp(
            &mut tx,
            self.sealer(),
            ctx.actor.user_id,
            Some(&pending),
            step,
        )
        .await?;
        self.record_success(&mut tx, ctx, now).await?;
        tx.done(
            Action::SecondFactorOn,
            "user",
            Some(ctx.actor.user_id),
            None,
        )
        .await?;
        Ok(())
    }

    /// Password and code were both right: the failures before are forgotten.
    async fn record_success(
        &self,
        c: &mut palett_store::AnyConnection,
        ctx: &Ctx,
        now: i64,
    ) -> Result<()> {
        let user = store::user_by_id(c, ctx.actor.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        store::record_login_attempt(c, &user.email, &ctx.ip, true, now).await?;
        Ok(())
    }

    /// Record a wrong code towards throttling and say so on `code`.
    async fn wrong_code(&self, ctx: &Ctx) -> Result<()> {
        let email = palett_store::auth::user_by_id(&mut *self.db.read().await?, ctx.actor.user_id)
            .await?
            .ok_or(AppError::NotFound)?
            .email;
        self.record_failure(&email, &ctx.ip).await?;
        Err(FieldErrors::single("code", "error-second-factor-code").into())
    }

    /// Turn the second factor off with her password and a current code,
    /// unless the partnership requires it of her. Wrong ones count towards
    /// throttling.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn disable_second_factor(&self, ctx: &Ctx, password: &str, code: &str) -> Result<()> {
        self.confirm_password(ctx, password).await?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let required = palett_store::org::partnership_by_id(&mut tx, ctx.actor.partnership_id)
            .await?
            .is_some_and(|p| p.require_second_factor)
            && ctx.actor.reads_sensitive_data();
        if required {
            return Err(FieldErrors::single("code", "error-second-factor-required").into());
        }
        let store::TotpState {
            secret: current,
            last_step: last,
            ..
        } = store::totp_state(&mut tx, self.sealer(), ctx.actor.user_id).await?;
        let Some(current) = current else {
            return Ok(());
        };
        let Some(step) = check(&current, code, now, last) else {
            drop(tx);
            return self.wrong_code(ctx).await;
        };
        if !store::use_totp_step(&mut tx, ctx.actor.user_id, step).await? {
            drop(tx);
            return self.wrong_code(ctx).await;
        }
        store::set_totp(&mut tx, self.sealer(), ctx.actor.user_id, None, 0).await?;
        self.record_success(&mut tx, ctx, now).await?;
        tx.done(
            Action::SecondFactorOff,
            "user",
            Some(ctx.actor.user_id),
            None,
        )
        .await?;
        Ok(())
    }

    /// Reset a user's second factor (she lost her phone): administrators of
    /// her partnership. She sets it up again at her next visit.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn reset_second_factor(&self, ctx: &Ctx, user_id: i64) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let staff = store::users_of_partnership(&mut tx, ctx.actor.partnership_id).await?;
        if !staff.iter().any(|(u, _)| u.id == user_id) {
            return Err(AppError::NotFound);
        }
        store::set_totp(&mut tx, self.sealer(), user_id, None, 0).await?;
        tx.done(Action::SecondFactorReset, "user", Some(user_id), None)
            .await?;
        Ok(())
    }

    /// Require (or stop requiring) a second factor of the partnership's
    /// staff who read sensitive data. Administrators.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_require_second_factor(&self, ctx: &Ctx, required: bool) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        palett_store::org::set_require_second_factor(&mut tx, ctx.actor.partnership_id, required)
            .await?;
        tx.done(
            Action::SecondFactorPolicy,
            "partnership",
            Some(ctx.actor.partnership_id),
            None,
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(
            base32_decode("mzxw 6ytb oi").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(base32_decode("MZ1"), None);
    }

    #[test]
    fn totp_matches_rfc_6238_sha1_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(hotp(key, 59 / 30, 8), 94287082);
        assert_eq!(hotp(key, 1111111109 / 30, 8), 7081804);
        assert_eq!(hotp(key, 20000000000 / 30, 8), 65353130);
        assert_eq!(hotp(key, 1, 6), 287082);
    }

    #[test]
    fn a_code_counts_once_and_only_near_its_time() {
        let secret = base32(b"12345678901234567890");
        let now = 1_700_000_000;
        let code = code_at(&secret, now).expect("code");
        let step = check(&secret, &code, now, 0).expect("valid now");
        assert_eq!(check(&secret, &code, now, step), None, "not twice");
        assert!(
            check(&secret, &code, now + 30, 0).is_some(),
            "a step of drift"
        );
        assert_eq!(check(&secret, &code, now + 120, 0), None, "too late");
        assert_eq!(check(&secret, "12345", now, 0), None);
        assert_eq!(check(&secret, "abcdef", now, 0), None);
    }
}
