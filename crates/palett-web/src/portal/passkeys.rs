//! Passkeys in the portal, called by `static/passkey.js`: with her
//! invitation's code she makes a passkey instead of a password, and she
//! signs in with it. Each ceremony is a challenge (`…/start`) and the
//! authenticator's answer (`…/finish`); the sign-in pages' double-submit
//! value travels in the `X-CSRF-Token` header.

use crate::http::caller::Visitor;
use crate::http::error::{Answer, WebError};
use crate::http::forms::JsonObject;
use crate::http::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_app::auth::NewSession;
use palett_app::passkeys::{Challenge, RelyingParty};
use serde_json::{json, Value};

/// The site as this request reached it (host without port, and origin).
fn relying_party(s: &AppState, headers: &HeaderMap) -> RelyingParty {
    let origin = crate::http::origin(s, headers);
    let host = origin.split("://").nth(1).unwrap_or_default();
    let id = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    RelyingParty {
        id: id.to_string(),
        origin,
    }
}

fn text(body: &JsonObject, field: &'static str) -> Result<String, WebError> {
    match body.0.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
            "error-required",
        )),
    }
}

fn credential(body: &JsonObject) -> Result<Value, WebError> {
    match body.0.get("credential") {
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        _ => Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "credential",
            "error-required",
        )),
    }
}

fn challenge(c: Challenge) -> Answer {
    Ok(Json(json!({ "ceremony": c.ceremony, "options": c.options })).into_response())
}

/// Signed in: where to go, and her session cookie.
fn signed_in(v: &Visitor, session: NewSession, next: &str) -> Answer {
    Ok(super::sign_in::with_her_session(
        v,
        session,
        Json(json!({ "next": next })).into_response(),
    ))
}

pub async fn setup_start(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    body: JsonObject,
) -> Answer {
    let rp = relying_party(&s, &headers);
    challenge(
        s.app
            .start_portal_passkey(&text(&body, "code")?, &rp, &v.ip)
            .await?,
    )
}

pub async fn setup_finish(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    body: JsonObject,
) -> Answer {
    let rp = relying_party(&s, &headers);
    let session = s
        .app
        .finish_portal_passkey(
            &text(&body, "code")?,
            &text(&body, "ceremony")?,
            credential(&body)?,
            &rp,
            &v.ip,
        )
        .await?;
    signed_in(&v, session, "/portal?done=welcome")
}

pub async fn sign_in_start(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    body: JsonObject,
) -> Answer {
    let rp = relying_party(&s, &headers);
    challenge(
        s.app
            .start_portal_passkey_sign_in(&text(&body, "login")?, &rp, &v.ip)
            .await?,
    )
}

pub async fn sign_in_finish(
    State(s): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    body: JsonObject,
) -> Answer {
    let rp = relying_party(&s, &headers);
    let session = s
        .app
        .finish_portal_passkey_sign_in(&text(&body, "ceremony")?, credential(&body)?, &rp, &v.ip)
        .await?;
    signed_in(&v, session, "/portal")
}
