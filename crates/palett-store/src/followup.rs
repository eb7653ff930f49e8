//! Follow-ups after exit: scheduling, recording, closing as not reached,
//! and the list of those due within the caller's scope.
//!
//! A row is open while `done_on` and `not_reached_on` are both empty; done
//! (`done_on` and what she said) and not reached (`not_reached_on`, a
//! note) never stand together: each write clears the other. Every figure
//! that counts a follow-up as followed up reads `done_on IS NOT NULL`, so a
//! follow-up closed as not reached never counts as one.

use crate::participant::{bind_all, where_clause, Filter};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::followup::{
    due_dates, Employment, FollowUp, FollowUpRecord, IncomeSource, NotReached, StudyStatus,
};
use palett_domain::policy::ParticipantScope;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

fn follow_up(r: &AnyRow) -> Result<FollowUp> {
    let done = match opt_date(r, "done_on")? {
        None => None,
        Some(done_on) => Some(FollowUpRecord {
            done_on,
            employment: vocab(r, "employment", Employment::parse)?,
            studies: vocab(r, "studies", StudyStatus::parse)?,
            income_source: vocab(r, "income_source", IncomeSource::parse)?,
        }),
    };
    let not_reached = match opt_date(r, "not_reached_on")? {
        Some(tried_on) if done.is_none() => Some(NotReached {
            tried_on,
            note: opt_text(r, "not_reached_note")?,
        }),
        _ => None,
    };
    Ok(FollowUp {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        months_after: i8::try_from(i64_(r, "months_after")?)
            .map_err(|_| crate::StoreError::Corrupt("months_after"))?,
        due_on: date(r, "due_on")?,
        done,
        not_reached,
    })
}

const COLUMNS: &str =
    "f.id, f.participant_id, f.months_after, f.due_on, f.done_on, f.employment, f.studies, f.income_source, \
     f.not_reached_on, f.not_reached_note";

/// Schedule her follow-ups for an exit on `exit` (those already scheduled
/// stay as they are).
pub async fn schedule(c: &mut AnyConnection, participant_id: i64, exit: Date) -> Result<()> {
    for (months, due) in due_dates(exit) {
        sqlx::query(
            "INSERT INTO follow_ups (participant_id, months_after, due_on) VALUES ($1, $2, $3) \
             ON CONFLICT (participant_id, months_after) DO NOTHING",
        )
        .bind(participant_id)
        .bind(i64::from(months))
        .bind(due.to_string())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Remove her follow-ups not yet done (she has been reopened), those
/// closed as not reached too: they were tried after the exit she has come
/// back from, and her next exit schedules them anew.
pub async fn cancel_open(c: &mut AnyConnection, participant_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM follow_ups WHERE participant_id = $1 AND done_on IS NULL")
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn of_participant(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<FollowUp>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM follow_ups f WHERE f.participant_id = $1 ORDER BY f.months_after"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(follow_up)
    .collect()
}

/// Record what a follow-up of this participant found (replacing a mark
/// that she could not be reached); `false` when she has no such follow-up.
pub async fn record(
    c: &mut AnyConnection,
    participant_id: i64,
    id: i64,
    rec: &FollowUpRecord,
    by: i64,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE follow_ups SET done_on = $1, employment = $2, studies = $3, income_source = $4, \
         not_reached_on = NULL, not_reached_note = NULL, \
         recorded_by = $5, recorded_at = $6 WHERE id = $7 AND participant_id = $8",
    )
    .bind(rec.done_on.to_string())
    .bind(rec.employment.as_str())
    .bind(rec.studies.as_str())
    .bind(rec.income_source.as_str())
    .bind(by)
    .bind(now)
    .bind(id)
    .bind(participant_id)
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

/// Close a follow-up of this participant not yet done as not reached (or
/// change the day and note of that mark); `false` when she has no such
/// follow-up or it is done.
pub async fn mark_not_reached(
    c: &mut AnyConnection,
    participant_id: i64,
    id: i64,
    mark: &NotReached,
    by: i64,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE follow_ups SET not_reached_on = $1, not_reached_note = $2, \
         recorded_by = $3, recorded_at = $4 \
         WHERE id = $5 AND participant_id = $6 AND done_on IS NULL",
    )
    .bind(mark.tried_on.to_string())
    .bind(mark.note.as_deref())
    .bind(by)
    .bind(now)
    .bind(id)
    .bind(participant_id)
    .execute(c)
    .await?
    .rows_affected()
        == 1)
}

/// A follow-up due, with whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub follow_up: FollowUp,
    pub given_name: String,
    pub family_name: String,
    pub exit_date: Option<Date>,
}

/// The tables and conditions of the follow-ups due within the conditions
/// `w` (whose parameters come first; the last day due is the next): open
/// ones, neither done nor closed as not reached.
fn due_sql(w: &crate::participant::Sql) -> (&'static str, String) {
    (
        "FROM follow_ups f JOIN participants p ON p.id = f.participant_id",
        format!(
            "{} AND f.done_on IS NULL AND f.not_reached_on IS NULL AND f.due_on <= ${}",
            w.conditions(),
            w.args.len() + 1
        ),
    )
}

/// How many follow-ups [`due`] lists, as a part of a
/// [`Tally`](crate::tally::Tally); none when the scope holds no one.
pub fn due_count_part(scope: ParticipantScope, until: Date) -> Option<crate::tally::Part> {
    let w = where_clause(scope, &Filter::default())?;
    let (from, cond) = due_sql(&w);
    let mut args = w.args;
    args.push(crate::participant::Arg::Text(until.to_string()));
    Some(crate::tally::Part::new(
        format!("SELECT COUNT(*) AS n {from} WHERE {cond}"),
        args,
        1,
    ))
}

/// Follow-ups open (not done, not closed as not reached) and due on or
/// before `until`, of participants
/// within the scope, oldest first; one page and the total.
pub async fn due(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    until: Date,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Due>, i64)> {
    let Some(w) = where_clause(scope, &Filter::default()) else {
        return Ok((Vec::new(), 0));
    };
    let (from, cond) = due_sql(&w);
    let n = w.args.len();
    let total = match due_count_part(scope, until) {
        Some(part) => part.run(c).await?.first().copied().unwrap_or(0),
        None => 0,
    };
    let rows = bind_all(
        sqlx::query(&format!(
            "SELECT {COLUMNS}, p.given_name, p.family_name, p.exit_date {from} WHERE {cond} \
             ORDER BY f.due_on, f.id LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        )),
        &w.args,
    )
    .bind(until.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *c)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Due {
                follow_up: follow_up(r)?,
                given_name: text(r, "given_name")?,
                family_name: text(r, "family_name")?,
                exit_date: opt_date(r, "exit_date")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((items, total))
}
