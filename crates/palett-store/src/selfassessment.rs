//! Self-assessments: the responses to the partnership's built-in
//! self-assessment instrument (see `questionnaire`), read and recorded in
//! the six-score shape the record, the portal and the indicators use, and
//! the count and change from first to latest kept on her record.

use crate::questionnaire::{self, NewResponse, SELF_ASSESSMENT, SELF_ASSESSMENT_DEFINITION};
use crate::row::*;
use crate::{Result, StoreError};
use jiff::civil::Date;
use palett_domain::selfassessment::{change, SelfAssessment};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The items, in `Aspect::ALL` order (the names are the aspects').
const SCORES: [&str; 6] = [
    "swedish",
    "health",
    "confidence",
    "work_readiness",
    "network",
    "everyday_life",
];

/// The built-in instrument of her partnership and its version 1, made
/// when the partnership has none yet.
async fn instrument(c: &mut AnyConnection, participant_id: i64, now: i64) -> Result<(i64, i64)> {
    let partnership_id: i64 =
        sqlx::query_scalar("SELECT partnership_id FROM participants WHERE id = $1")
            .bind(participant_id)
            .fetch_one(&mut *c)
            .await?;
    let found = sqlx::query(
        "SELECT i.id, v.id AS version_id FROM instruments i \
         JOIN instrument_versions v ON v.instrument_id = i.id AND v.version = 1 \
         WHERE i.partnership_id = $1 AND i.builtin = $2",
    )
    .bind(partnership_id)
    .bind(SELF_ASSESSMENT)
    .fetch_optional(&mut *c)
    .await?;
    if let Some(r) = found {
        return Ok((i64_(&r, "id")?, i64_(&r, "version_id")?));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO instruments (partnership_id, name, builtin, created_at) \
         VALUES ($1, $2, $2, $3) RETURNING id",
    )
    .bind(partnership_id)
    .bind(SELF_ASSESSMENT)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO instrument_versions (instrument_id, version, title, definition, created_at, \
         published_at) VALUES ($1, 1, 'Självskattning', $2, $3, $3) RETURNING id",
    )
    .bind(id)
    .bind(SELF_ASSESSMENT_DEFINITION)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok((id, version))
}

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
    let (instrument_id, version_id) = instrument(c, participant_id, now).await?;
    let answers: BTreeMap<String, String> = SCORES
        .iter()
        .zip(scores)
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect();
    let id = questionnaire::insert_response(
        &mut *c,
        &NewResponse {
            participant_id,
            instrument_id,
            version_id,
            wave: None,
            on,
            language: "sv",
            mode: if by.is_none() {
                "herself"
            } else {
                "with_staff"
            },
            recorded_by: by,
        },
        &answers,
        &[],
        now,
    )
    .await?;
    recount(c, participant_id).await?;
    Ok(id)
}

/// Recount the self-assessments her record keeps (how many, and the change
/// in total from the first to the latest).
pub async fn recount(c: &mut AnyConnection, participant_id: i64) -> Result<()> {
    let all = of_participant(c, participant_id).await?;
    sqlx::query(
        "UPDATE participants SET self_assessments = $1, self_assessment_change = $2 WHERE id = $3",
    )
    .bind(all.len() as i64)
    .bind(change(&all))
    .bind(participant_id)
    .execute(c)
    .await?;
    Ok(())
}

/// Hers, oldest first (at most 500).
pub async fn of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<SelfAssessment>> {
    let rows = sqlx::query(
        "SELECT r.id, r.on_date, r.mode, a.item, a.value FROM questionnaire_responses r \
         JOIN instruments i ON i.id = r.instrument_id AND i.builtin = $2 \
         JOIN questionnaire_answers a ON a.response_id = r.id \
         WHERE r.participant_id = $1 ORDER BY r.on_date, r.id LIMIT 3000",
    )
    .bind(participant_id)
    .bind(SELF_ASSESSMENT)
    .fetch_all(c)
    .await?;
    let mut out: Vec<(SelfAssessment, [Option<i16>; 6])> = Vec::new();
    for r in &rows {
        let id = i64_(r, "id")?;
        if out.last().map(|(s, _)| s.id) != Some(id) {
            out.push((
                SelfAssessment {
                    id,
                    on: date(r, "on_date")?,
                    scores: Vec::new(),
                    by_participant: text(r, "mode")? == "herself",
                },
                [None; 6],
            ));
        }
        let item = text(r, "item")?;
        if let (Some(k), Some((_, scores))) =
            (SCORES.iter().position(|s| *s == item), out.last_mut())
        {
            scores[k] = Some(
                text(r, "value")?
                    .parse()
                    .map_err(|_| StoreError::Corrupt("self-assessment"))?,
            );
        }
    }
    out.into_iter()
        .take(500)
        .map(|(mut s, scores)| {
            s.scores = scores
                .into_iter()
                .collect::<Option<Vec<i16>>>()
                .ok_or(StoreError::Corrupt("self-assessment"))?;
            Ok(s)
        })
        .collect()
}
