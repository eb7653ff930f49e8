//! Reminders: the inbox, the caller's choices (the daily digest, her
//! calendar feed), the feed itself and the digest's text; HTML and API.

pub(crate) mod api;
pub(crate) mod calendar;
pub mod digest;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(pages::inbox))
        .route("/inbox/read-all", post(pages::read_all))
        .route("/inbox/{id}/open", post(pages::open))
        .route("/account/reminders", get(pages::reminders))
        .route("/account/reminders/digest", post(pages::set_digest))
        .route("/account/calendar", post(pages::new_feed))
        .route("/account/calendar/revoke", post(pages::revoke_feed))
}

/// The calendar feed: outside the session layer (a calendar program holds
/// no session); its secret is its access.
pub fn public_routes() -> Router<AppState> {
    Router::new().route("/calendar/{file}", get(calendar::feed))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::inbox))
        .routes(routes!(api::read_message))
        .routes(routes!(api::read_all))
        .routes(routes!(api::new_calendar_feed, api::revoke_calendar_feed))
        .routes(routes!(api::reminders, api::set_reminders))
}
