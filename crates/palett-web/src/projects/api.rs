use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A project of the partnership.
#[derive(Serialize, ToSchema)]
#[schema(as = Project)]
pub struct ProjectDto {
    pub id: i64,
    pub name: String,
    pub funder: String,
    #[schema(format = Date)]
    pub start_date: String,
    #[schema(format = Date)]
    pub end_date: String,
    pub participant_target: Option<i64>,
    /// Percent.
    pub job_or_studies_target: Option<f64>,
}

/// The projects (not paginated: a partnership has few).
#[derive(Serialize, ToSchema)]
pub struct ProjectList {
    pub items: Vec<ProjectDto>,
    pub total: usize,
}

/// A project's goals against outcomes; percentages 0–100 with one
/// decimal, `null` when undefined.
#[derive(Serialize, ToSchema)]
#[schema(as = ProjectSummary)]
pub struct ProjectSummaryDto {
    pub project_id: i64,
    pub name: String,
    pub enrolled: i64,
    pub participant_target: Option<i64>,
    pub enrolled_of_target: Option<f64>,
    pub ended: i64,
    pub ended_to_job_or_studies: i64,
    pub share_to_job_or_studies: Option<f64>,
    pub job_or_studies_target: Option<f64>,
    pub active: i64,
}

/// Projects of the caller's partnership
#[utoipa::path(get, path = "/projects", tag = "projects", responses((status = 200, body = ProjectList)))]
pub async fn projects(State(s): State<AppState>, c: Caller) -> Answer<Json<ProjectList>> {
    let list = s.app.projects(&c.ctx()).await?;
    Ok(Json(ProjectList {
        items: list
            .iter()
            .map(|p| ProjectDto {
                id: p.id,
                name: p.name.clone(),
                funder: p.funder.clone(),
                start_date: p.start_date.to_string(),
                end_date: p.end_date.to_string(),
                participant_target: p.participant_target,
                job_or_studies_target: p.job_or_studies_target,
            })
            .collect(),
        total: list.len(),
    }))
}

/// A project's goals against outcomes
#[utoipa::path(get, path = "/projects/{id}/summary", tag = "projects",
    responses((status = 200, body = ProjectSummaryDto)))]
pub async fn project_summary(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ProjectSummaryDto>> {
    let (p, sum) = s.app.project_summary(&c.ctx(), id).await?;
    Ok(Json(ProjectSummaryDto {
        project_id: p.id,
        name: p.name,
        enrolled: sum.enrolled,
        participant_target: sum.participant_target,
        enrolled_of_target: sum.enrolled_of_target,
        ended: sum.ended,
        ended_to_job_or_studies: sum.ended_to_job_or_studies,
        share_to_job_or_studies: sum.share_to_job_or_studies,
        job_or_studies_target: sum.job_or_studies_target,
        active: sum.active,
    }))
}
