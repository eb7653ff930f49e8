//! The audit log: searching it, and the signed periodic log review; its
//! words (actions and roles in the reader's language); both in the API.

pub(crate) mod api;
pub(crate) mod log;
pub(crate) mod review;
pub(crate) mod words;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(log::audit)).route(
        "/audit/review",
        get(review::log_review).post(review::sign_log_review),
    )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::api_audit_log))
        .routes(routes!(api::api_audit_search))
        .routes(routes!(api::api_log_review))
        .routes(routes!(api::api_sign_log_review))
}
