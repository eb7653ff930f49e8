use crate::http::caller::Caller;
use crate::http::error::Answer;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

pub async fn me(c: Caller) -> Answer {
    Ok(Json(json!({
        "id": c.signed.user.id,
        "display_name": c.signed.user.display_name,
        "email": c.signed.user.email,
        "organisation": {"id": c.signed.user.organisation_id, "name": c.signed.user.organisation_name},
        "partnership_id": c.signed.actor.partnership_id,
        "roles": c.signed.actor.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    }))
    .into_response())
}
