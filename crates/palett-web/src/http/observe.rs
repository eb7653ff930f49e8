//! One span per request, with a request id that the response carries in
//! `x-request-id`. The span names the route template (`/participants/{id}`),
//! never the path that was asked for, so that neither ids nor query strings
//! reach the log; it records the method, the status and the latency.
//! A request id sent by the client is replaced: it is text we did not make
//! and could carry anything.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Response};
use std::time::Duration;
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing::Span;

/// The header that carries the request id, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// 16 random bytes in hex.
#[derive(Clone, Copy, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).ok()?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&hex).ok().map(RequestId::new)
    }
}

/// Forget any request id the client sent; ours is made next.
pub async fn drop_client_request_id(mut req: Request) -> Request {
    req.headers_mut().remove(REQUEST_ID);
    req
}

/// The request's span: method, route template and request id now; status
/// and latency when the response is ready.
pub fn span<B>(req: &axum::http::Request<B>) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        route = %route,
        request_id = %request_id,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Record status and latency in the span and say that the request is done.
pub fn on_response<B>(resp: &Response<B>, latency: Duration, span: &Span) {
    let status = resp.status().as_u16();
    let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    span.record("status", status);
    span.record("latency_ms", latency_ms);
    tracing::info!("request done");
}
