//! The answers kept for `Idempotency-Key` (migration 0022): one row per
//! user and key, claimed before the request runs and completed with its
//! answer.

use crate::row::{i64_, opt_i64, opt_text, text};
use crate::Result;
use sqlx::AnyConnection;

/// A key as stored: the request it was first used for (its fingerprint),
/// when, and its answer once the request has run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub fingerprint: String,
    pub created_at: i64,
    pub answer: Option<Answer>,
}

/// The first answer to a request, replayed for a retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// Claim `key` for `user`'s request: `true` when it was free (the row is
/// now this request's, answer pending), `false` when it is already taken.
/// Two claims at once: one wins, the other waits for it and sees it taken.
pub async fn claim(
    c: &mut AnyConnection,
    user_id: i64,
    key: &str,
    fingerprint: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, idempotency_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(fingerprint)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The key as stored, if it is.
pub async fn kept(c: &mut AnyConnection, user_id: i64, key: &str) -> Result<Option<Kept>> {
    let row = sqlx::query(
        "SELECT fingerprint, created_at, status, location, body FROM idempotency_keys \
         WHERE user_id = $1 AND idempotency_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(&mut *c)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let answer = match opt_i64(&r, "status")? {
        Some(status) => Some(Answer {
            status: u16::try_from(status).map_err(|_| crate::StoreError::Corrupt("status"))?,
            location: opt_text(&r, "location")?,
            body: opt_text(&r, "body")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Some(Kept {
        fingerprint: text(&r, "fingerprint")?,
        created_at: i64_(&r, "created_at")?,
        answer,
    }))
}

/// Take over a key whose first request never answered (the process
/// stopped while it ran): it is this request's from `now`.
pub async fn retake(c: &mut AnyConnection, user_id: i64, key: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET created_at = $1 \
         WHERE user_id = $2 AND idempotency_key = $3 AND status IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(key)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Keep the answer of the request that claimed the key.
pub async fn complete(
    c: &mut AnyConnection,
    user_id: i64,
    key: &str,
    answer: &Answer,
) -> Result<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, location = $2, body = $3 \
         WHERE user_id = $4 AND idempotency_key = $5",
    )
    .bind(i64::from(answer.status))
    .bind(answer.location.as_deref())
    .bind(&answer.body)
    .bind(user_id)
    .bind(key)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Free the key (its request failed on our side, or gave an answer that
/// is not kept): a retry runs again.
pub async fn release(c: &mut AnyConnection, user_id: i64, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2")
        .bind(user_id)
        .bind(key)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Delete the keys claimed before `before`.
pub async fn purge(c: &mut AnyConnection, before: i64) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(before)
            .execute(&mut *c)
            .await?
            .rows_affected(),
    )
}
