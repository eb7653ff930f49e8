//! Consent records and their withdrawal.

use crate::row::*;
use crate::Result;
use palett_domain::consent::{Consent, ConsentKind, ConsentMethod, ConsentSpec};
use sqlx::AnyConnection;

/// The SQL twin of `Consent::in_force`, written once: the consent `k` is
/// in force on some day from `from` to `to` (parameters such as `$2`; the
/// same one for a single day): not withdrawn, given by `to` and not
/// expired before `from`.
pub(crate) fn in_force_sql(from: &str, to: &str) -> String {
    format!(
        "k.withdrawn_at IS NULL AND k.given_on <= {to} \
         AND (k.expires_on IS NULL OR k.expires_on >= {from})"
    )
}

pub async fn insert(
    c: &mut AnyConnection,
    participant_id: i64,
    s: &ConsentSpec,
    by: i64,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO consents (participant_id, kind, method, witness, given_on, expires_on, note, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(participant_id)
    .bind(s.kind.as_str())
    .bind(s.method.as_str())
    .bind(s.witness.as_deref())
    .bind(s.given_on.to_string())
    .bind(s.expires_on.map(|d| d.to_string()))
    .bind(s.note.as_deref())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let id = i64_(&row, "id")?;
    for o in &s.organisation_ids {
        sqlx::query(
            "INSERT INTO consent_organisations (consent_id, organisation_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(o)
        .execute(&mut *c)
        .await?;
    }
    Ok(id)
}

/// Hold the participant's row until the transaction ends, so that checks
/// over her consents and the insert that follows are not interleaved with
/// another request's (a no-op update: a row lock on PostgreSQL; SQLite's
/// write transactions are serial already).
pub async fn lock_participant(c: &mut AnyConnection, participant_id: i64) -> Result<()> {
    sqlx::query("UPDATE participants SET version = version WHERE id = $1")
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Withdraw a consent not yet withdrawn; `false` if it already was.
pub async fn withdraw(
    c: &mut AnyConnection,
    id: i64,
    by: Option<i64>,
    note: Option<&str>,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, withdrawal_note = $3, \
         withdrawn_by_participant = $5 WHERE id = $4 AND withdrawn_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(note)
    .bind(id)
    .bind(i64::from(by.is_none()))
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

/// The participant a consent belongs to.
pub async fn participant_of(c: &mut AnyConnection, id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT participant_id FROM consents WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Every consent of a participant, newest first, with the organisations
/// each sharing consent covers (two statements).
pub async fn of_participant(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<Consent>> {
    let rows = sqlx::query(
        "SELECT k.id, k.participant_id, k.kind, k.method, k.witness, k.given_on, k.expires_on, k.note, \
         COALESCE(u.display_name, '') AS recorded_by, k.recorded_at, k.withdrawn_at, \
         w.display_name AS withdrawn_by, k.withdrawn_by_participant, k.withdrawal_note FROM consents k \
         LEFT JOIN users u ON u.id = k.recorded_by LEFT JOIN users w ON w.id = k.withdrawn_by \
         WHERE k.participant_id = $1 ORDER BY k.id DESC LIMIT 500",
    )
    .bind(participant_id)
    .fetch_all(&mut *c)
    .await?;
    let orgs = sqlx::query(
        "SELECT co.consent_id, o.id, o.name FROM consent_organisations co \
         JOIN consents k ON k.id = co.consent_id JOIN organisations o ON o.id = co.organisation_id \
         WHERE k.participant_id = $1 ORDER BY o.name",
    )
    .bind(participant_id)
    .fetch_all(&mut *c)
    .await?;
    let orgs: Vec<(i64, i64, String)> = orgs
        .iter()
        .map(|r| Ok((i64_(r, "consent_id")?, i64_(r, "id")?, text(r, "name")?)))
        .collect::<Result<_>>()?;
    rows.iter()
        .map(|r| {
            let id = i64_(r, "id")?;
            Ok(Consent {
                id,
                participant_id: i64_(r, "participant_id")?,
                kind: vocab(r, "kind", ConsentKind::parse)?,
                method: vocab(r, "method", ConsentMethod::parse)?,
                witness: opt_text(r, "witness")?,
                given_on: date(r, "given_on")?,
                expires_on: opt_date(r, "expires_on")?,
                note: opt_text(r, "note")?,
                organisations: orgs
                    .iter()
                    .filter(|o| o.0 == id)
                    .map(|o| (o.1, o.2.clone()))
                    .collect(),
                recorded_by: text(r, "recorded_by")?,
                recorded_at: moment(r, "recorded_at")?,
                withdrawn_at: opt_i64(r, "withdrawn_at")?
                    .map(|s| {
                        jiff::Timestamp::from_second(s)
                            .map_err(|_| crate::StoreError::Corrupt("withdrawn_at"))
                    })
                    .transpose()?,
                withdrawn_by: opt_text(r, "withdrawn_by")?,
                withdrawal_note: opt_text(r, "withdrawal_note")?,
                withdrawn_by_her: flag(r, "withdrawn_by_participant")?,
            })
        })
        .collect()
}
