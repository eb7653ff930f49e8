//! Openings: what the registry's employers offer (internships, jobs,
//! study visits, work training). The list with its filters, one opening,
//! the forms that add one to an employer, change it and set its status,
//! and the API, with the occupation catalogue.

pub(crate) mod api;
pub(crate) mod dto;
pub(crate) mod forms;
pub(crate) mod matching;
pub(crate) mod pages;
pub(crate) mod proposals;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openings", get(pages::openings))
        .route(
            "/employers/{id}/openings/new",
            get(forms::opening_form).post(forms::opening_create),
        )
        .route("/openings/{id}", get(pages::opening))
        .route(
            "/openings/{id}/edit",
            get(forms::opening_edit_form).post(forms::opening_update),
        )
        .route(
            "/openings/{id}/status/{status}",
            post(forms::opening_status),
        )
        .route("/openings/{id}/candidates", get(matching::candidates))
        .route(
            "/participants/{id}/openings",
            get(matching::for_participant),
        )
        .route(
            "/openings/{id}/propose/{participant}",
            post(proposals::propose),
        )
        .route("/proposals/{id}", get(proposals::proposal))
        .route(
            "/proposals/{id}/step",
            get(proposals::step_form).post(proposals::step_save),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::openings))
        .routes(routes!(api::opening, api::update_opening))
        .routes(routes!(api::create_opening))
        .routes(routes!(api::set_opening_status))
        .routes(routes!(api::occupations))
        .routes(routes!(api::candidates))
        .routes(routes!(api::for_participant))
        .routes(routes!(api::opening_proposals, api::propose))
        .routes(routes!(api::proposal))
        .routes(routes!(api::take_step))
        .routes(routes!(api::participant_proposals))
}
