//! Placements: recorded from a pipeline that ended in placed, their hours,
//! reviews with the employer and result; pages and API.

pub(crate) mod api;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/proposals/{id}/placement/new",
            get(pages::placement_form).post(pages::placement_create),
        )
        .route("/placements/{id}", get(pages::placement))
        .route(
            "/placements/{id}/hours/new",
            get(pages::hours_form).post(pages::hours_save),
        )
        .route(
            "/placements/{id}/reviews/new",
            get(pages::review_form).post(pages::review_save),
        )
        .route(
            "/placements/{id}/result",
            get(pages::result_form).post(pages::result_save),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create_placement))
        .routes(routes!(api::placement))
        .routes(routes!(api::record_hours))
        .routes(routes!(api::review))
        .routes(routes!(api::set_result))
        .routes(routes!(api::participant_placements))
}
