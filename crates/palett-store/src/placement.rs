//! Placements, their reviews and the hours recorded at them.

use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::placement::{Placement, PlacementResult, PlacementSpec, Review, ReviewKind};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

const COLUMNS: &str = "pl.id, pl.participant_id, p.given_name, p.family_name, pl.proposal_id, \
     o.employer_id, e.name AS employer_name, o.title AS opening_title, pl.intervention_id, \
     i.name AS intervention_name, pl.supervisor_id, s.name AS supervisor_name, pl.start_date, \
     pl.end_date, pl.minutes_per_week, pl.result, pl.result_on, \
     CAST(COALESCE((SELECT SUM(a.minutes) FROM activity_records a \
       WHERE a.placement_id = pl.id), 0) AS BIGINT) AS minutes_recorded";

const FROM: &str = "FROM placements pl JOIN participants p ON p.id = pl.participant_id \
     JOIN proposals r ON r.id = pl.proposal_id JOIN openings o ON o.id = r.opening_id \
     JOIN employers e ON e.id = o.employer_id JOIN interventions i ON i.id = pl.intervention_id \
     LEFT JOIN employer_contacts s ON s.id = pl.supervisor_id";

fn placement(r: &AnyRow) -> Result<Placement> {
    Ok(Placement {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        participant_name: format!("{} {}", text(r, "given_name")?, text(r, "family_name")?),
        proposal_id: i64_(r, "proposal_id")?,
        employer_id: i64_(r, "employer_id")?,
        employer_name: text(r, "employer_name")?,
        opening_title: text(r, "opening_title")?,
        intervention_id: i64_(r, "intervention_id")?,
        intervention_name: text(r, "intervention_name")?,
        supervisor_id: opt_i64(r, "supervisor_id")?,
        supervisor_name: opt_text(r, "supervisor_name")?,
        start_date: date(r, "start_date")?,
        end_date: date(r, "end_date")?,
        minutes_per_week: opt_i64(r, "minutes_per_week")?,
        result: opt_vocab(r, "result", PlacementResult::parse)?,
        result_on: opt_date(r, "result_on")?,
        minutes_recorded: i64_(r, "minutes_recorded")?,
    })
}

pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    proposal_id: i64,
    participant_id: i64,
    v: &PlacementSpec,
    user_id: i64,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO placements (partnership_id, proposal_id, participant_id, intervention_id, \
         supervisor_id, start_date, end_date, minutes_per_week, created_by, created_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT o.kind FROM proposals r \
         JOIN openings o ON o.id = r.opening_id WHERE r.id = $2)) RETURNING id",
    )
    .bind(partnership_id)
    .bind(proposal_id)
    .bind(participant_id)
    .bind(v.intervention_id)
    .bind(v.supervisor_id)
    .bind(v.start_date.to_string())
    .bind(v.end_date.to_string())
    .bind(v.minutes_per_week)
    .bind(user_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Placement>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE pl.id = $1 AND pl.partnership_id = $2"
    ))
    .bind(id)
    .bind(partnership_id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(placement)
    .transpose()
}

/// The placement a pipeline led to, if any.
pub async fn id_of_proposal(c: &mut AnyConnection, proposal_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM placements WHERE proposal_id = $1")
            .bind(proposal_id)
            .fetch_optional(c)
            .await?,
    )
}

/// Her placements, latest first (at most 200).
pub async fn of_participant(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<Placement>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE pl.participant_id = $1 \
         ORDER BY pl.start_date DESC, pl.id DESC LIMIT 200"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(placement)
    .collect()
}

pub async fn set_result(
    c: &mut AnyConnection,
    id: i64,
    result: PlacementResult,
    on: Date,
) -> Result<()> {
    sqlx::query("UPDATE placements SET result = $1, result_on = $2 WHERE id = $3")
        .bind(result.as_str())
        .bind(on.to_string())
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn insert_review(
    c: &mut AnyConnection,
    placement_id: i64,
    r: &Review,
    user_id: i64,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO placement_reviews (placement_id, kind, on_date, attendance, tasks, swedish, \
         readiness, comment, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(placement_id)
    .bind(r.kind.as_str())
    .bind(r.on.to_string())
    .bind(r.attendance)
    .bind(r.tasks)
    .bind(r.swedish)
    .bind(r.readiness)
    .bind(r.comment.as_deref())
    .bind(user_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// A placement's reviews, oldest first.
pub async fn reviews(c: &mut AnyConnection, placement_id: i64) -> Result<Vec<Review>> {
    sqlx::query(
        "SELECT v.kind, v.on_date, v.attendance, v.tasks, v.swedish, v.readiness, v.comment, \
         u.display_name FROM placement_reviews v LEFT JOIN users u ON u.id = v.user_id \
         WHERE v.placement_id = $1 ORDER BY v.on_date, v.id LIMIT 50",
    )
    .bind(placement_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Review {
            kind: vocab(r, "kind", ReviewKind::parse)?,
            on: date(r, "on_date")?,
            attendance: i64_(r, "attendance")?,
            tasks: i64_(r, "tasks")?,
            swedish: i64_(r, "swedish")?,
            readiness: i64_(r, "readiness")?,
            comment: opt_text(r, "comment")?,
            by: opt_text(r, "display_name")?,
        })
    })
    .collect()
}
