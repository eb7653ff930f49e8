//! Projects and their summary figures.

use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::model::Project;
use palett_domain::summary::SummaryCounts;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;

fn project(r: &AnyRow) -> Result<Project> {
    Ok(Project {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        name: text(r, "name")?,
        funder: text(r, "funder")?,
        start_date: date(r, "start_date")?,
        end_date: date(r, "end_date")?,
        participant_target: opt_i64(r, "participant_target")?,
        job_or_studies_target: opt_i64(r, "job_or_studies_target_permille")?
            .map(|p| p as f64 / 10.0),
    })
}

const COLUMNS: &str = "id, partnership_id, name, funder, start_date, end_date, \
                       participant_target, job_or_studies_target_permille";

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    name: &str,
    funder: &str,
    start: Date,
    end: Date,
    participant_target: Option<i64>,
    job_or_studies_target_percent: Option<f64>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO projects (partnership_id, name, funder, start_date, end_date, \
         participant_target, job_or_studies_target_permille) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(partnership_id)
    .bind(name)
    .bind(funder)
    .bind(start.to_string())
    .bind(end.to_string())
    .bind(participant_target)
    .bind(job_or_studies_target_percent.map(|p| (p * 10.0).round() as i64))
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Project>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM projects WHERE id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(project)
        .transpose()
}

pub async fn list(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Project>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM projects WHERE partnership_id = $1 ORDER BY start_date, name LIMIT 500"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(project)
    .collect()
}

/// Summary counts for every project of a partnership, in one statement.
/// *Enrolled*: intake date within the project's period. *Ended*: has an exit
/// date. *To job or studies*: ended with an employment or studies outcome.
pub async fn summary_counts(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<HashMap<i64, SummaryCounts>> {
    let outcomes = ExitOutcome::job_or_studies_texts();
    let sql = format!(
        "SELECT pr.id AS project_id, \
           COUNT(CASE WHEN p.intake_date >= pr.start_date AND p.intake_date <= pr.end_date THEN 1 END) AS enrolled, \
           COUNT(CASE WHEN p.exit_date IS NOT NULL THEN 1 END) AS ended, \
           COUNT(CASE WHEN p.exit_date IS NOT NULL AND p.exit_outcome IN ({}) THEN 1 END) AS to_job_or_studies, \
           COUNT(CASE WHEN p.status IN ('enrolled', 'active', 'paused') THEN 1 END) AS active \
         FROM projects pr \
         JOIN participant_projects pp ON pp.project_id = pr.id \
         JOIN participants p ON p.id = pp.participant_id \
         WHERE pr.partnership_id = $1 \
         GROUP BY pr.id",
        (0..outcomes.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut q = sqlx::query(&sql).bind(partnership_id);
    for o in &outcomes {
        q = q.bind(*o);
    }
    q.fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok((
                i64_(r, "project_id")?,
                SummaryCounts {
                    enrolled: i64_(r, "enrolled")?,
                    ended: i64_(r, "ended")?,
                    ended_to_job_or_studies: i64_(r, "to_job_or_studies")?,
                    active: i64_(r, "active")?,
                },
            ))
        })
        .collect()
}
