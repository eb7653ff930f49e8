use crate::consents::pages::input;
use crate::http::caller::Caller;
use crate::http::error::ApiError;
use crate::http::forms::{JsonObject, JsonType};
use crate::http::id;
use crate::http::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use palett_app::AppError;
use palett_domain::consent::Consent;
use serde_json::{json, Value};

pub(crate) fn consent_json(k: &Consent, in_force: bool) -> Value {
    json!({
        "id": k.id,
        "kind": k.kind,
        "method": k.method,
        "witness": k.witness,
        "given_on": k.given_on.to_string(),
        "expires_on": k.expires_on.map(|d| d.to_string()),
        "note": k.note,
        "organisations": k.organisations.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "recorded_by": k.recorded_by,
        "recorded_at": k.recorded_at.to_string(),
        "withdrawn_at": k.withdrawn_at.map(|t| t.to_string()),
        "withdrawn_by": k.withdrawn_by,
        "in_force": in_force,
    })
}

pub async fn api_list(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    match s.app.consents(&c.ctx(), pid).await {
        Ok(list) => Json(
            json!({"items": list.iter().map(|(k, f)| consent_json(k, *f)).collect::<Vec<_>>()}),
        )
        .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[
        ("kind", JsonType::Text),
        ("method", JsonType::Text),
        ("witness", JsonType::Text),
        ("given_on", JsonType::Text),
        ("expires_on", JsonType::Text),
        ("note", JsonType::Text),
        ("organisation_ids", JsonType::Integers),
    ]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s.app.give_consent(&c.ctx(), pid, &input(&f)).await {
        Ok(cid) => (StatusCode::CREATED, Json(json!({"id": cid}))).into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_withdraw(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(cid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[("note", JsonType::Text)]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s.app.withdraw_consent(&c.ctx(), cid, &f.get("note")).await {
        Ok(pid) => api_list(State(s), c, Path(pid.to_string())).await,
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_notes(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    match s.app.notes(&c.ctx(), pid).await {
        Ok(list) => Json(json!({"items": list.iter().map(|n| json!({
            "id": n.id, "author": n.author, "organisation": n.organisation, "visibility": n.visibility,
            "body": n.body, "created_at": n.created_at.to_string(),
        })).collect::<Vec<_>>()}))
        .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_add_note(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[("body", JsonType::Text), ("visibility", JsonType::Text)]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s
        .app
        .add_note(&c.ctx(), pid, &f.get("body"), &f.get("visibility"))
        .await
    {
        Ok(nid) => (StatusCode::CREATED, Json(json!({"id": nid}))).into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

/// `{"restricted": true, "reason": "…"}` or `{"restricted": false}`.
pub async fn api_restriction(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[
        ("restricted", JsonType::Boolean),
        ("reason", JsonType::Text),
    ]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    let restricted = match f.get("restricted").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return ApiError::field(
                c.tr(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "restricted",
                "error-choice",
            )
            .into_response()
        }
    };
    let reason = f.get("reason");
    match s
        .app
        .restrict_processing(&c.ctx(), pid, restricted.then_some(reason.as_str()))
        .await
    {
        Ok(()) => Json(json!({"participant_id": pid, "processing_restricted": restricted}))
            .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}
