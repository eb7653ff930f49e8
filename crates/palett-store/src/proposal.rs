//! Proposals: a participant's pipeline for one opening and its steps.

use crate::participant::{bind_all, where_clause, Arg, Filter};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::policy::ParticipantScope;
use palett_domain::proposal::{NewStep, NotPlacedReason, Proposal, ProposalStep, Stage};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

const COLUMNS: &str = "r.id, r.opening_id, o.title AS opening_title, o.employer_id, \
     e.name AS employer_name, r.participant_id, p.given_name, p.family_name, r.stage, r.stage_on";

const FROM: &str = "FROM proposals r JOIN openings o ON o.id = r.opening_id \
     JOIN employers e ON e.id = o.employer_id JOIN participants p ON p.id = r.participant_id";

fn proposal(r: &AnyRow) -> Result<Proposal> {
    Ok(Proposal {
        id: i64_(r, "id")?,
        opening_id: i64_(r, "opening_id")?,
        opening_title: text(r, "opening_title")?,
        employer_id: i64_(r, "employer_id")?,
        employer_name: text(r, "employer_name")?,
        participant_id: i64_(r, "participant_id")?,
        participant_name: format!("{} {}", text(r, "given_name")?, text(r, "family_name")?),
        stage: vocab(r, "stage", Stage::parse)?,
        stage_on: date(r, "stage_on")?,
    })
}

/// Propose her for the opening: the pipeline and its first step.
pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    opening_id: i64,
    participant_id: i64,
    on: Date,
    user_id: i64,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO proposals (partnership_id, opening_id, participant_id, stage, stage_on, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(partnership_id)
    .bind(opening_id)
    .bind(participant_id)
    .bind(Stage::Proposed.as_str())
    .bind(on.to_string())
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let first = NewStep {
        stage: Stage::Proposed,
        on,
        reason: None,
        note: None,
    };
    insert_step(c, id, &first, user_id, now).await?;
    Ok(id)
}

async fn insert_step(
    c: &mut AnyConnection,
    proposal_id: i64,
    s: &NewStep,
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO proposal_steps (proposal_id, stage, on_date, reason, note, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(proposal_id)
    .bind(s.stage.as_str())
    .bind(s.on.to_string())
    .bind(s.reason.map(NotPlacedReason::as_str))
    .bind(s.note.as_deref())
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Take a step: record it and move the pipeline to its stage.
pub async fn add_step(
    c: &mut AnyConnection,
    proposal_id: i64,
    s: &NewStep,
    user_id: i64,
    now: i64,
) -> Result<()> {
    insert_step(c, proposal_id, s, user_id, now).await?;
    sqlx::query("UPDATE proposals SET stage = $1, stage_on = $2 WHERE id = $3")
        .bind(s.stage.as_str())
        .bind(s.on.to_string())
        .bind(proposal_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Proposal>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE r.id = $1 AND r.partnership_id = $2"
    ))
    .bind(id)
    .bind(partnership_id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(proposal)
    .transpose()
}

/// The pipeline of this pair, if there is one.
pub async fn id_of_pair(
    c: &mut AnyConnection,
    opening_id: i64,
    participant_id: i64,
) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT id FROM proposals WHERE opening_id = $1 AND participant_id = $2",
        )
        .bind(opening_id)
        .bind(participant_id)
        .fetch_optional(c)
        .await?,
    )
}

/// The opening's pipelines of participants in `scope`, latest first (at
/// most 500).
pub async fn of_opening(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    opening_id: i64,
) -> Result<Vec<Proposal>> {
    let Some(mut w) = where_clause(scope, &Filter::default()) else {
        return Ok(Vec::new());
    };
    w.args.push(Arg::Int(opening_id));
    w.clauses.push(format!("r.opening_id = ${}", w.args.len()));
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {} ORDER BY r.stage_on DESC, r.id DESC LIMIT 500",
        w.clauses.join(" AND ")
    );
    bind_all(sqlx::query(&sql), &w.args)
        .fetch_all(c)
        .await?
        .iter()
        .map(proposal)
        .collect()
}

/// Her pipelines, latest first (at most 500).
pub async fn of_participant(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<Proposal>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE r.participant_id = $1 \
         ORDER BY r.stage_on DESC, r.id DESC LIMIT 500"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(proposal)
    .collect()
}

/// A pipeline's steps, oldest first.
pub async fn steps(c: &mut AnyConnection, proposal_id: i64) -> Result<Vec<ProposalStep>> {
    sqlx::query(
        "SELECT s.stage, s.on_date, s.reason, s.note, u.display_name, s.at \
         FROM proposal_steps s LEFT JOIN users u ON u.id = s.user_id \
         WHERE s.proposal_id = $1 ORDER BY s.id LIMIT 100",
    )
    .bind(proposal_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(ProposalStep {
            stage: vocab(r, "stage", Stage::parse)?,
            on: date(r, "on_date")?,
            reason: opt_vocab(r, "reason", NotPlacedReason::parse)?,
            note: opt_text(r, "note")?,
            by: opt_text(r, "display_name")?,
            at: moment(r, "at")?,
        })
    })
    .collect()
}
