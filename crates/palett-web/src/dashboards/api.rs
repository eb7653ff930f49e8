use super::dto::DashboardDto;
use crate::dashboards::page::DashQuery;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::AppState;
use crate::http::Id;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::indicators::{Breakdown, Indicator};

/// A project's dashboard
///
/// Goals with status and projection, key figures, inflow against plan,
/// exits, time to job or studies, outcome by time, a breakdown. Figures
/// only; no participant is named.
#[utoipa::path(get, path = "/projects/{id}/dashboard", tag = "projects", params(DashQuery),
    responses((status = 200, body = DashboardDto)))]
pub async fn api_project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Query(q): Query<DashQuery>,
) -> Answer {
    api_dashboard_of(&s, &c, Some(p), q).await
}

/// The partnership's dashboard
///
/// Every participant of the partnership, over the span of its projects.
#[utoipa::path(get, path = "/dashboard", tag = "projects", params(DashQuery),
    responses((status = 200, body = DashboardDto)))]
pub async fn api_partnership_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DashQuery>,
) -> Answer {
    api_dashboard_of(&s, &c, None, q).await
}

pub(crate) async fn api_dashboard_of(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: DashQuery,
) -> Answer {
    let by = match q.by.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Breakdown::parse(v) {
            Some(b) => Some(b),
            None => {
                return Err(WebError::field(
                    StatusCode::BAD_REQUEST,
                    "by",
                    "error-choice",
                ))
            }
        },
    };
    let indicator = match q.indicator.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Indicator::parse(v) {
            Some(i) => Some(i),
            None => {
                return Err(WebError::field(
                    StatusCode::BAD_REQUEST,
                    "indicator",
                    "error-choice",
                ))
            }
        },
    };
    let d = s.app.dashboard(&c.ctx(), project_id, by, indicator).await?;
    Ok(Json(DashboardDto::from(&d)).into_response())
}
