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
use palett_app::dashboard::{group_key, Dashboard};
use palett_domain::indicators::{Breakdown, Figure, Indicator};
use serde_json::json;

// ------------------------------------------------------------------ API

pub(crate) fn figure_json(f: &Figure) -> serde_json::Value {
    json!({
        "indicator": f.indicator,
        "unit": f.indicator.unit(),
        "value": f.value,
        "count": f.count,
        "base": f.base,
    })
}

/// `GET /api/v1/projects/{id}/dashboard` and `GET /api/v1/dashboard`.
pub(crate) fn dashboard_json(d: &Dashboard) -> serde_json::Value {
    json!({
        "project_id": d.project.as_ref().map(|p| p.id),
        "period": {"start": d.period.start.to_string(), "end": d.period.end.to_string()},
        "goals": d.goals.iter().map(|g| json!({
            "id": g.goal.id,
            "indicator": g.goal.indicator,
            "target": g.goal.target,
            "period": {"start": g.goal.period.start.to_string(), "end": g.goal.period.end.to_string()},
            "value": g.figure.value,
            "expected_by_now": g.expected_by_now,
            "projection": g.projection,
            "state": g.state,
            "warning": g.warning(),
        })).collect::<Vec<_>>(),
        "figures": d.figures.iter().map(figure_json).collect::<Vec<_>>(),
        "inflow": d.inflow,
        "exits": d.exits.iter().map(|(o, n)| json!({"outcome": o, "count": n})).collect::<Vec<_>>(),
        "time_to_job_or_studies": d.survival,
        "time_to_job_or_studies_by_group": d.survival_by.iter().map(|(g, points)| json!({
            "group": group_key(*g),
            "points": points,
        })).collect::<Vec<_>>(),
        "share_over_time": {"goal": d.share_goal, "months": d.share_over_time},
        "outcome_by_time": d.by_time,
        "breakdown": {
            "by": d.breakdown_by,
            "indicator": d.breakdown_indicator,
            "groups": d.breakdown.iter().map(|(g, f)| {
                let mut v = figure_json(f);
                v["group"] = json!(group_key(*g));
                v
            }).collect::<Vec<_>>(),
        },
    })
}

pub async fn api_project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Query(q): Query<DashQuery>,
) -> Answer {
    api_dashboard_of(&s, &c, Some(p), q).await
}

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
    Ok(Json(dashboard_json(&d)).into_response())
}
