//! Idempotency keys for creating API requests: a client that sends a POST
//! with an `Idempotency-Key` header and retries it (after a timeout, a
//! dropped connection) gets the first answer again instead of creating the
//! thing twice. The web claims the key before the request runs and keeps
//! its answer after (`http::idempotency`); this module decides.
//!
//! Keys are the caller's own (per user), kept 24 hours. Bookkeeping, not a
//! change of a record: the request itself is audited as usual.

use crate::work::bookkeeping;
use crate::{App, Ctx, Result};
use palett_domain::FieldErrors;
use palett_store::idempotency as store;

pub use palett_store::idempotency::Answer;

/// How long a key and its answer are kept.
pub const KEPT_FOR_SECS: i64 = 24 * 60 * 60;

/// A claimed key whose request has given no answer for this long is taken
/// to be abandoned (the process stopped while it ran) and may run again.
/// A request runs to its end even when its client hangs up, so only a
/// stopped process leaves one.
pub const ABANDONED_AFTER_SECS: i64 = 5 * 60;

/// The field that names the header in errors.
pub const FIELD: &str = "Idempotency-Key";

/// A client's key: 1–255 visible ASCII characters (a UUID is usual).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(s: &str) -> std::result::Result<Self, FieldErrors> {
        let ok = (1..=255).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(FieldErrors::single(FIELD, "error-idempotency-key"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What to do with a request that carries a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's: run it, then keep its answer.
    Run,
    /// The key answered this request before: send that answer again.
    Replay(Answer),
    /// The first request with this key is still running.
    InFlight,
    /// The key was used for another request (another path or body).
    Reused,
}

impl App {
    /// Claim `key` for the caller's request, which `parts` identify (method,
    /// path and body: a retry must be the same request). Keys older than
    /// [`KEPT_FOR_SECS`] are forgotten first.
    pub async fn claim_idempotency_key(
        &self,
        ctx: &Ctx,
        key: &IdempotencyKey,
        parts: &[&[u8]],
    ) -> Result<Claim> {
        let fingerprint = fingerprint(parts);
        let now = self.now();
        let user = ctx.actor.user_id;
        let mut tx = bookkeeping(self).await?;
        store::purge(&mut tx, now - KEPT_FOR_SECS).await?;
        let claim = if store::claim(&mut tx, user, key.as_str(), &fingerprint, now).await? {
            Claim::Run
        } else {
            match store::kept(&mut tx, user, key.as_str()).await? {
                None => Claim::InFlight,
                Some(k) if k.fingerprint != fingerprint => Claim::Reused,
                Some(store::Kept {
                    answer: Some(a), ..
                }) => Claim::Replay(a),
                Some(k) if k.created_at < now - ABANDONED_AFTER_SECS => {
                    store::retake(&mut tx, user, key.as_str(), now).await?;
                    Claim::Run
                }
                Some(_) => Claim::InFlight,
            }
        };
        tx.commit().await?;
        Ok(claim)
    }

    /// The request that claimed `key` has answered: keep `answer` for a
    /// retry, or, with `None` (our failure, an answer that is not kept),
    /// free the key so that a retry runs again.
    pub async fn settle_idempotency_key(
        &self,
        ctx: &Ctx,
        key: &IdempotencyKey,
        answer: Option<&Answer>,
    ) -> Result<()> {
        let user = ctx.actor.user_id;
        let mut tx = bookkeeping(self).await?;
        match answer {
            Some(a) => store::complete(&mut tx, user, key.as_str(), a).await?,
            None => store::release(&mut tx, user, key.as_str()).await?,
        }
        tx.commit().await?;
        Ok(())
    }
}

/// SHA-256 over the parts, each preceded by its length (so that moving a
/// byte from one part to the next changes it).
fn fingerprint(parts: &[&[u8]]) -> String {
    let mut joined = Vec::new();
    for p in parts {
        joined.extend_from_slice(&(p.len() as u64).to_be_bytes());
        joined.extend_from_slice(p);
    }
    crate::secret::sha256_bytes_hex(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(IdempotencyKey::parse("4f1c2a9e-7d0b-4c55-9b1e-2f6d8a3c1e77").is_ok());
        for bad in ["", " ", "a b", "nyckel-å", &"k".repeat(256)] {
            let e = IdempotencyKey::parse(bad).expect_err(bad);
            assert_eq!(e.for_field(FIELD), Some("error-idempotency-key"), "{bad:?}");
        }
    }

    #[test]
    fn the_fingerprint_tells_requests_apart() {
        let a = fingerprint(&[b"POST", b"/api/v1/participants", b"{\"a\":1}"]);
        assert_eq!(
            a,
            fingerprint(&[b"POST", b"/api/v1/participants", b"{\"a\":1}"])
        );
        assert_ne!(
            a,
            fingerprint(&[b"POST", b"/api/v1/participants", b"{\"a\":2}"])
        );
        assert_ne!(
            fingerprint(&[b"ab", b"c"]),
            fingerprint(&[b"a", b"bc"]),
            "parts are delimited"
        );
    }
}
