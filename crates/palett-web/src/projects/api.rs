use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Overlay, Spec};
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::admin::ProjectInput;
use palett_domain::model::Project;
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

impl From<&Project> for ProjectDto {
    fn from(p: &Project) -> Self {
        Self {
            id: p.id,
            name: p.name.clone(),
            funder: p.funder.clone(),
            start_date: p.start_date.to_string(),
            end_date: p.end_date.to_string(),
            participant_target: p.participant_target,
            job_or_studies_target: p.job_or_studies_target,
        }
    }
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
        items: list.iter().map(ProjectDto::from).collect(),
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

/// A project of the caller's partnership (404 for any other).
async fn project_of(s: &AppState, c: &Caller, id: i64) -> Answer<ProjectDto> {
    s.app
        .projects(&c.ctx())
        .await?
        .iter()
        .find(|p| p.id == id)
        .map(ProjectDto::from)
        .ok_or_else(WebError::not_found)
}

/// A project
#[utoipa::path(get, path = "/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectDto), (status = 404)))]
pub async fn project(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer<Json<ProjectDto>> {
    Ok(Json(project_of(&s, &c, id).await?))
}

const PROJECT_FIELDS: Spec = &[
    ("name", T::Text),
    ("funder", T::Text),
    ("start_date", T::Text),
    ("end_date", T::Text),
    ("participant_target", T::Integer),
    ("job_or_studies_target", T::Decimal),
];

json_body!(
    /// A project: name, funder, period (`start_date`, `end_date`,
    /// YYYY-MM-DD) and optional targets (participants; percent to job or
    /// studies). In a PATCH, only the fields sent change.
    ProjectBody = PROJECT_FIELDS
);

/// Add a project (coordinators and administrators)
#[utoipa::path(post, path = "/projects", tag = "projects", request_body = ProjectBody,
    responses((status = 201, body = ProjectDto), (status = 403), (status = 422)))]
pub async fn create_project(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&ProjectBody::spec())?;
    let id = s
        .app
        .create_project(&c.ctx(), f.input::<ProjectInput>().parse())
        .await?;
    let p = project_of(&s, &c, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/projects/{id}"))],
        Json(p),
    )
        .into_response())
}

/// Change a project's name, funder, period or targets (coordinators and
/// administrators); only the fields sent change
#[utoipa::path(patch, path = "/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    request_body = ProjectBody,
    responses((status = 200, body = ProjectDto), (status = 403), (status = 404), (status = 422)))]
pub async fn update_project(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<ProjectDto>> {
    let patch = body.to_form(&ProjectBody::spec())?;
    let base = s.app.project_input(&c.ctx(), id).await?;
    let merged = <ProjectInput as palett_domain::values::FromFields>::from_fields(&Overlay {
        sent: &body,
        patch: &patch,
        base: &base,
    });
    s.app.update_project(&c.ctx(), id, merged.parse()).await?;
    Ok(Json(project_of(&s, &c, id).await?))
}
