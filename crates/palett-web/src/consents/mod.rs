//! Consents and what protects a record: consents and their withdrawal,
//! notes with their visibility, restriction of processing, archive holds
//! and emergency access.

pub(crate) mod api;
pub(crate) mod dto;
pub(crate) mod emergency;
pub(crate) mod pages;
pub(crate) mod record;

pub(crate) use pages::ConsentLine;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/participants/{id}/consents/new",
            get(pages::form).post(pages::create),
        )
        .route(
            "/consents/{id}/withdraw",
            get(pages::withdraw_form).post(pages::withdraw),
        )
        .route("/participants/{id}/notes", post(record::add_note))
        .route("/participants/{id}/restriction", post(record::restriction))
        .route(
            "/participants/{id}/archive-hold",
            post(record::archive_hold),
        )
        .route(
            "/emergency",
            get(emergency::emergency_form).post(emergency::emergency),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::api_restriction))
        .routes(routes!(api::api_archive_hold))
        .routes(routes!(api::api_list, api::api_create))
        .routes(routes!(api::api_withdraw))
        .routes(routes!(api::api_notes, api::api_add_note))
        .routes(routes!(
            api::api_emergency_accesses,
            api::api_break_the_glass
        ))
}
