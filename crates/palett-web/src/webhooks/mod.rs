//! Webhooks (issue 17): administrators register the partnership's
//! endpoints, see each one's deliveries with their status, retry one now
//! and deactivate an endpoint (asked first); HTML under /admin/webhooks
//! and the same in the API under /api/v1/webhooks.

pub(crate) mod api;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(pages::list).post(pages::create))
        .route("/admin/webhooks/new", get(pages::new))
        .route("/admin/webhooks/{id}", get(pages::show))
        .route("/admin/webhooks/{id}/deactivate", post(pages::deactivate))
        .route("/admin/webhooks/deliveries/{id}/retry", post(pages::retry))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list, api::create))
        .routes(routes!(api::show))
        .routes(routes!(api::deactivate))
        .routes(routes!(api::retry))
}

/// A moment as the pages show it.
pub(crate) fn when(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(crate::ui::local_time)
        .unwrap_or_else(|_| "–".into())
}
