use crate::consents::pages::input;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{JsonObject, JsonType};
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::consent::Consent;
use palett_domain::record::{parse_restriction, parse_withdrawal_note, NoteInput};
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

pub async fn api_list(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let list = s.app.consents(&c.ctx(), pid).await?;
    Ok(
        Json(json!({"items": list.iter().map(|(k, f)| consent_json(k, *f)).collect::<Vec<_>>()}))
            .into_response(),
    )
}

pub async fn api_create(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[
        ("kind", JsonType::Text),
        ("method", JsonType::Text),
        ("witness", JsonType::Text),
        ("given_on", JsonType::Text),
        ("expires_on", JsonType::Text),
        ("note", JsonType::Text),
        ("organisation_ids", JsonType::Integers),
    ])?;
    let spec = input(&f).parse(s.app.today())?;
    let cid = s.app.give_consent(&c.ctx(), pid, &spec).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": cid}))).into_response())
}

pub async fn api_withdraw(
    State(s): State<AppState>,
    c: Caller,
    Id(cid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("note", JsonType::Text)])?;
    let note = parse_withdrawal_note(&f.get("note"))?;
    let pid = s
        .app
        .withdraw_consent(&c.ctx(), cid, note.as_deref())
        .await?;
    api_list(State(s), c, Id(pid)).await
}

pub async fn api_notes(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let list = s.app.notes(&c.ctx(), pid).await?;
    Ok(Json(json!({"items": list.iter().map(|n| json!({
            "id": n.id, "author": n.author, "organisation": n.organisation, "visibility": n.visibility,
            "body": n.body, "created_at": n.created_at.to_string(),
        })).collect::<Vec<_>>()}))
        .into_response())
}

pub async fn api_add_note(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("body", JsonType::Text), ("visibility", JsonType::Text)])?;
    let note = f.input::<NoteInput>().parse()?;
    let nid = s.app.add_note(&c.ctx(), pid, &note).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": nid}))).into_response())
}

/// `{"restricted": true, "reason": "…"}` or `{"restricted": false}`.
pub async fn api_restriction(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[
        ("restricted", JsonType::Boolean),
        ("reason", JsonType::Text),
    ])?;
    let restricted = match f.get("restricted").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(WebError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "restricted",
                "error-choice",
            ))
        }
    };
    let reason = parse_restriction(restricted, &f.get("reason"))?;
    s.app
        .restrict_processing(&c.ctx(), pid, reason.as_deref())
        .await?;
    Ok(Json(json!({"participant_id": pid, "processing_restricted": restricted})).into_response())
}
