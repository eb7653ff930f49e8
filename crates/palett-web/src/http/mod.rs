//! What every feature needs from HTTP, and nothing about pages: the shared
//! state, the caller (`caller`), typed extractors (`Id`, `forms`), the error
//! policy (`error`), the proxy rule, request tracing, and the responses that
//! belong to no feature (static files, health, security headers).
//! Nothing here imports from `ui` or from a feature.

pub mod caller;
pub mod error;
pub mod forms;
pub mod idempotency;
pub mod observe;
pub mod openapi;
pub mod proxy;
pub mod scope;

use axum::extract::{FromRequestParts, Path, RawPathParams, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use error::WebError;
use palett_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies Secure (set when served over TLS, directly or behind a
    /// proxy); the session cookie then has the `__Host-` prefix and every
    /// response asks browsers to use HTTPS only (HSTS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: proxy::TrustedProxies,
}

impl AppState {
    /// Plain HTTP, no trusted proxies (tests and local use).
    pub fn new(app: App) -> Self {
        Self {
            app,
            secure_cookies: false,
            trusted_proxies: proxy::TrustedProxies::none(),
        }
    }
}

/// Another record named in an answer: its id and its name.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

impl Named {
    pub fn new(id: i64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
        }
    }
}

/// The answer to a creation: the new record's id.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The record id of the path (its `{id}` segment). Anything but a whole
/// number is an unknown record: 404, as for an id that does not exist.
#[derive(Clone, Copy, Debug)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let raw = path_segment(parts, s, |k| k == "id").await?;
        raw.parse().map(Id).map_err(|_| WebError::not_found())
    }
}

/// The text of the path's first segment whose name `pick` accepts; none
/// (or a path that cannot be read) is an unknown record: 404.
async fn path_segment<S: Send + Sync>(
    parts: &mut Parts,
    s: &S,
    pick: impl Fn(&str) -> bool,
) -> Result<String, WebError> {
    let params = RawPathParams::from_request_parts(parts, s)
        .await
        .map_err(|_| WebError::not_found())?;
    params
        .iter()
        .find(|(k, _)| pick(k))
        .map(|(_, v)| v.to_string())
        .ok_or_else(WebError::not_found)
}

/// A numeric id from the path; anything else is treated as unknown (404).
pub(crate) fn id(raw: &str) -> Option<i64> {
    raw.parse().ok()
}

/// The path's segment after the id (`{kind}`, `{file}`, `{decision}`…),
/// as text; the feature decides what it may be.
#[derive(Clone, Debug)]
pub struct Segment(pub String);

impl Segment {
    /// The segment as a second record id (`{follow_up}`, `{goal}`…);
    /// anything but a whole number is an unknown record: 404.
    pub fn id(&self) -> Result<i64, WebError> {
        id(&self.0).ok_or_else(WebError::not_found)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        path_segment(parts, s, |k| k != "id").await.map(Segment)
    }
}

const STYLE: &str = include_str!("../../static/style.css");
const HTMX: &str = include_str!("../../static/htmx.min.js");
const PORTAL: &str = include_str!("../../static/portal.css");
const PASSKEY: &str = include_str!("../../static/passkey.js");
const ATTENDANCE_JS: &str = include_str!("../../static/attendance.js");
const QUESTIONNAIRE_JS: &str = include_str!("../../static/questionnaire.js");

pub async fn static_file(Path(name): Path<String>) -> Response {
    let (body, ty) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "portal.css" => (PORTAL, "text/css; charset=utf-8"),
        "passkey.js" => (PASSKEY, "text/javascript; charset=utf-8"),
        "attendance.js" => (ATTENDANCE_JS, "text/javascript; charset=utf-8"),
        "questionnaire.js" => (QUESTIONNAIRE_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ty),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// Liveness: the process answers and the database answers a query.
pub async fn healthz(State(s): State<AppState>) -> Response {
    if s.app.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

/// Readiness: a write transaction begins and commits within its deadline
/// (a load balancer sends no users to an instance that cannot write).
pub async fn readyz(State(s): State<AppState>) -> Response {
    if s.app.ready().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database cannot be written",
        )
            .into_response()
    }
}

/// Security headers on every response; pages are never cached (they show
/// personal data). Served over TLS, browsers are told to keep to HTTPS.
pub async fn headers(
    State(s): State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if s.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Where palett is reached, as the browser asked for it: the addresses palett
/// hands out to be opened elsewhere (a calendar feed, an invitation's QR
/// code) start with it.
pub fn origin(s: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    let scheme = if s.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The secret of a calendar feed's address (`<secret>.ics`), if it can be
/// one.
pub fn feed_secret(file: &str) -> Option<&str> {
    file.strip_suffix(".ics")
        .filter(|s| !s.is_empty() && s.len() <= 100)
}

/// A calendar feed's answer: its text as `text/calendar`, never cached;
/// not found when there is none.
pub fn calendar_answer(text: Option<String>) -> Response {
    let Some(text) = text else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut resp = text.into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
