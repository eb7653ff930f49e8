//! Participants: the list and search, intake and the profile, her record
//! page, status changes (intake, pause, exit…) and handover; HTML and API.

pub(crate) mod api;
pub(crate) mod form;
pub(crate) mod list;
pub(crate) mod show;
pub(crate) mod status;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;

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

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/participants",
            get(api::participants).post(api::create_participant),
        )
        .route(
            "/participants/{id}",
            get(api::participant).patch(api::update_participant),
        )
        .route("/participants/search", post(api::search_participants))
        .route("/participants/{id}/intake", post(api::intake))
        .route("/participants/{id}/exit", post(api::exit))
        .route("/participants/{id}/transitions", post(api::transition))
        .route("/participants/{id}/handover", post(api::handover))
}
