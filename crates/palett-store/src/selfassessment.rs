//! Self-assessments: recording one, reading hers, and keeping the count and
//! the change from first to latest on her record.

use crate::row::*;
use crate::{Result, StoreError};
use jiff::civil::Date;
use palett_domain::selfassessment::{change, SelfAssessment};
use sqlx::AnyConnection;

/// The score columns, in `Aspect::ALL` order (the names are the aspects').
const SCORES: [&str; 6] = [
    "swedish",
    "health",
    "confidence",
    "work_readiness",
    "network",
    "everyday_life",
];

/// Store one (scores in `Aspect::ALL` order) and recount what her record
/// keeps; returns its id. `by` is the user who recorded it, `None` when
/// she filled it in herself in her portal.
pub async fn insert(
    c: &mut AnyConnection,
    participant_id: i64,
    on: Date,
    scores: &[i16],
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    if scores.len() != SCORES.len() {
        return Err(StoreError::Corrupt("self-assessment scores"));
    }
    let marks: Vec<String> = (4..4 + SCORES.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO self_assessments (participant_id, on_date, recorded_at, {}, recorded_by, \
         by_participant) VALUES ($1, $2, $3, {}, ${}, ${}) RETURNING id",
        SCORES.join(", "),
        marks.join(", "),
        4 + SCORES.len(),
        5 + SCORES.len()
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql)
        .bind(participant_id)
        .bind(on.to_string())
        .bind(now);
    for s in scores {
        q = q.bind(i64::from(*s));
    }
    let id = q
        .bind(by)
        .bind(i64::from(by.is_none()))
        .fetch_one(&mut *c)
        .await?;
    let all = of_participant(c, participant_id).await?;
    sqlx::query(
        "UPDATE participants SET self_assessments = $1, self_assessment_change = $2 WHERE id = $3",
    )
    .bind(all.len() as i64)
    .bind(change(&all))
    .bind(participant_id)
    .execute(c)
    .await?;
    Ok(id)
}

/// Hers, oldest first.
pub async fn of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<SelfAssessment>> {
    sqlx::query(&format!(
        "SELECT id, on_date, by_participant, {} FROM self_assessments WHERE participant_id = $1 \
         ORDER BY on_date, id LIMIT 500",
        SCORES.join(", ")
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        let scores = SCORES
            .iter()
            .map(|col| {
                i16::try_from(i64_(r, col)?).map_err(|_| StoreError::Corrupt("self-assessment"))
            })
            .collect::<Result<Vec<i16>>>()?;
        Ok(SelfAssessment {
            id: i64_(r, "id")?,
            on: date(r, "on_date")?,
            scores,
            by_participant: flag(r, "by_participant")?,
        })
    })
    .collect()
}
