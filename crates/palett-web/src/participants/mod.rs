//! Participants: the list and search, intake and the profile, her record
//! page, status changes (intake, pause, exit…) and handover; HTML and API.

pub(crate) mod api;
pub(crate) mod dto;
pub(crate) mod form;
pub(crate) mod list;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod summary;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/participants",
            get(list::participants).post(list::participants_search),
        )
        .route(
            "/participants/new",
            get(form::intake_form).post(form::intake),
        )
        .route("/participants/{id}", get(show::participant))
        .route(
            "/participants/{id}/edit",
            get(form::edit_form).post(form::edit),
        )
        .route(
            "/participants/{id}/status/{kind}",
            get(status::transition_form).post(status::transition),
        )
        .route(
            "/participants/{id}/handover",
            get(status::handover_form).post(status::handover),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::participants, api::create_participant))
        .routes(routes!(api::participant, api::update_participant))
        .routes(routes!(api::search_participants))
        .routes(routes!(api::intake))
        .routes(routes!(api::exit))
        .routes(routes!(api::transition))
        .routes(routes!(api::handover))
}
