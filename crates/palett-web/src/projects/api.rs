use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

pub async fn projects(State(s): State<AppState>, c: Caller) -> Answer<Json<Value>> {
    let list = s.app.projects(&c.ctx()).await?;
    Ok(Json(json!({
        "items": list.iter().map(|p| json!({
            "id": p.id,
            "name": p.name,
            "funder": p.funder,
            "start_date": p.start_date.to_string(),
            "end_date": p.end_date.to_string(),
            "participant_target": p.participant_target,
            "job_or_studies_target": p.job_or_studies_target,
        })).collect::<Vec<_>>(),
        "total": list.len(),
    })))
}

pub async fn project_summary(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<Value>> {
    let (p, sum) = s.app.project_summary(&c.ctx(), id).await?;
    Ok(Json(json!({
        "project_id": p.id,
        "name": p.name,
        "enrolled": sum.enrolled,
        "participant_target": sum.participant_target,
        "enrolled_of_target": sum.enrolled_of_target,
        "ended": sum.ended,
        "ended_to_job_or_studies": sum.ended_to_job_or_studies,
        "share_to_job_or_studies": sum.share_to_job_or_studies,
        "job_or_studies_target": sum.job_or_studies_target,
        "active": sum.active,
    })))
}
