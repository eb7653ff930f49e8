//! A project's shared goals in the API: list (whoever sees the project's
//! figures), add and remove (coordinators and administrators), through
//! the same use cases as the goals page.

use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id, Segment};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_app::dashboard::GoalInput;
use palett_domain::indicators::Goal;
use serde::Serialize;
use utoipa::ToSchema;

/// A goal: an indicator's target over a period.
#[derive(Serialize, ToSchema)]
#[schema(as = ProjectGoal)]
pub struct GoalDto {
    pub id: i64,
    pub project_id: Option<i64>,
    #[schema(value_type = vocab::Indicator)]
    pub indicator: String,
    /// In the indicator's unit (a count, percent 0–100, days…).
    pub target: f64,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
}

impl From<&Goal> for GoalDto {
    fn from(g: &Goal) -> Self {
        Self {
            id: g.id,
            project_id: g.project_id,
            indicator: g.indicator.as_str().to_string(),
            target: g.target,
            period_start: g.period.start.to_string(),
            period_end: g.period.end.to_string(),
        }
    }
}

/// A project's goals (not paginated: a project has few).
#[derive(Serialize, ToSchema)]
pub struct GoalList {
    pub items: Vec<GoalDto>,
    pub total: usize,
}

const GOAL_FIELDS: Spec = &[
    ("indicator", T::Text),
    ("target", T::Decimal),
    ("period_start", T::Text),
    ("period_end", T::Text),
];

json_body!(
    /// A goal: the indicator, its target (at most 100 for a share) and
    /// the period (YYYY-MM-DD).
    NewGoal = GOAL_FIELDS
);

/// A project's goals
#[utoipa::path(get, path = "/projects/{id}/goals", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = GoalList), (status = 404)))]
pub async fn project_goals(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
) -> Answer<Json<GoalList>> {
    let (_, goals) = s.app.project_goals(&c.ctx(), p).await?;
    Ok(Json(GoalList {
        total: goals.len(),
        items: goals.iter().map(GoalDto::from).collect(),
    }))
}

/// Set a goal for a project (coordinators and administrators)
#[utoipa::path(post, path = "/projects/{id}/goals", tag = "projects", params(("id" = i64, Path)),
    request_body = NewGoal,
    responses((status = 201, body = GoalDto), (status = 403), (status = 404), (status = 422)))]
pub async fn add_project_goal(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewGoal::spec())?;
    let id = s
        .app
        .add_goal(&c.ctx(), Some(p), f.input::<GoalInput>().parse())
        .await?;
    let (_, goals) = s.app.project_goals(&c.ctx(), p).await?;
    let goal = goals
        .iter()
        .find(|g| g.id == id)
        .map(GoalDto::from)
        .ok_or_else(WebError::not_found)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/projects/{p}/goals/{id}"))],
        Json(goal),
    )
        .into_response())
}

/// Remove a goal of a project (coordinators and administrators)
#[utoipa::path(delete, path = "/projects/{id}/goals/{goal}", tag = "projects",
    params(("id" = i64, Path), ("goal" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_project_goal(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    goal: Segment,
) -> Answer {
    let g = goal.id()?;
    if !c.signed.actor.can_manage_goals() {
        return Err(palett_app::AppError::Forbidden.into());
    }
    // Only a goal of this project: any other is not found here.
    let (_, goals) = s.app.project_goals(&c.ctx(), p).await?;
    if !goals.iter().any(|x| x.id == g) {
        return Err(WebError::not_found());
    }
    s.app.delete_goal(&c.ctx(), g).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
