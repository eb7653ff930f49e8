//! Projects and their summary figures.

use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::admin::ProjectSpec;
use palett_domain::model::Project;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

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

/// Change a project of the partnership; `false` when it has none by `id`.
pub async fn update(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    v: &ProjectSpec,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE projects SET name = $1, funder = $2, start_date = $3, end_date = $4, \
         participant_target = $5, job_or_studies_target_permille = $6 \
         WHERE id = $7 AND partnership_id = $8",
    )
    .bind(&v.name)
    .bind(&v.funder)
    .bind(v.start.to_string())
    .bind(v.end.to_string())
    .bind(v.participant_target)
    .bind(v.job_or_studies_target.map(|p| (p * 10.0).round() as i64))
    .bind(id)
    .bind(partnership_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}
