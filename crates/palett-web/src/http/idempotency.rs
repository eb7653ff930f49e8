//! `Idempotency-Key` on the API's POSTs: a client that retries a request
//! with the same key gets the first answer again (with the header
//! `Idempotent-Replayed: true`) instead of creating the thing twice. The
//! decisions are the app's (`palett_app::idempotency`); this layer reads
//! the header and the body, and keeps the answer.
//!
//! Only a success is kept: a refused request (a field error, a conflict)
//! created nothing, so its key is freed and a retry runs again. A request
//! with a key runs to its end in a task of its own even when its client
//! hangs up, so that the retry finds its answer.

use super::caller::{Visitor, BODY_LIMIT};
use super::error::WebError;
use super::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use palett_app::idempotency::{Answer, Claim, IdempotencyKey, FIELD};
use tracing::Instrument;

/// The header a client sends.
pub const HEADER: &str = "idempotency-key";
/// The header on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";

/// Marks an answer that holds a secret shown once (a response extension):
/// it is not kept for its key, so a retry runs again instead of showing
/// the secret a second time, and the secret is never stored.
#[derive(Clone, Copy, Debug)]
pub struct HoldsSecret;

/// An answer that shows a secret this once (a new token, an endpoint's
/// signing secret, a portal invitation's code): never cached on the way
/// (`no-store`) and never kept for an `Idempotency-Key`.
pub fn secret_once(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.extensions_mut().insert(HoldsSecret);
    resp
}

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    // Not signed in: the handler refuses it (401) as without a key.
    let Some(ctx) = req
        .extensions()
        .get::<Visitor>()
        .and_then(|v| v.signed.as_ref().map(|(s, _)| s.ctx(&v.ip)))
    else {
        return next.run(req).await;
    };
    let key = match raw.to_str().map(IdempotencyKey::parse) {
        Ok(Ok(key)) => key,
        _ => {
            return WebError::field(StatusCode::BAD_REQUEST, FIELD, "error-idempotency-key")
                .into_response()
        }
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "error-too-large").into_response();
    };
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let request: [&[u8]; 3] = [parts.method.as_str().as_bytes(), target.as_bytes(), &bytes];
    match s.app.claim_idempotency_key(&ctx, &key, &request).await {
        Err(e) => return WebError::from(e).into_response(),
        Ok(Claim::Replay(answer)) => return replay(answer),
        Ok(Claim::InFlight) => {
            return WebError::new(StatusCode::CONFLICT, "error-idempotency-in-flight")
                .into_response()
        }
        Ok(Claim::Reused) => {
            return WebError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                FIELD,
                "error-idempotency-key-reused",
            )
            .into_response()
        }
        Ok(Claim::Run) => {}
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let app = s.app.clone();
    let run = async move {
        let (parts, body) = next.run(req).await.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
        let is_json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let keep = is_json && parts.extensions.get::<HoldsSecret>().is_none();
        let answer = match std::str::from_utf8(&bytes) {
            Ok(text) if parts.status.is_success() && keep => Some(Answer {
                status: parts.status.as_u16(),
                location: parts
                    .headers
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
                body: text.to_string(),
            }),
            _ => None,
        };
        if let Err(e) = app
            .settle_idempotency_key(&ctx, &key, answer.as_ref())
            .await
        {
            // The request's own answer stands; a retry within five minutes
            // is told the first is still running.
            tracing::error!(error = %e.chain(), "keeping an idempotent answer");
        }
        Response::from_parts(parts, Body::from(bytes))
    };
    match tokio::spawn(run.instrument(tracing::Span::current())).await {
        Ok(resp) => resp,
        Err(e) => {
            tracing::error!(error = %e, "an idempotent request's task failed");
            WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "error-internal").into_response()
        }
    }
}

/// The first answer, again.
fn replay(a: Answer) -> Response {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, a.body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(REPLAYED, HeaderValue::from_static("true"));
    if let Some(location) = a.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, location);
    }
    resp
}
