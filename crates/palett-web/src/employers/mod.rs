//! The employer registry: the list, one employer with its contact people
//! and contact log, the forms that register and change employers, add and
//! remove contact people and log contacts, and the API.

pub(crate) mod api;
pub(crate) mod dto;
pub(crate) mod forms;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers", get(pages::employers))
        .route(
            "/employers/new",
            get(forms::employer_form).post(forms::employer_create),
        )
        .route("/employers/{id}", get(pages::employer))
        .route(
            "/employers/{id}/edit",
            get(forms::employer_edit_form).post(forms::employer_update),
        )
        .route("/employers/{id}/deactivate", post(forms::deactivate))
        .route("/employers/{id}/activate", post(forms::activate))
        .route(
            "/employers/{id}/contacts/new",
            get(forms::contact_form).post(forms::contact_create),
        )
        .route(
            "/employers/{id}/contacts/{contact}/remove",
            get(forms::contact_remove_form).post(forms::contact_remove),
        )
        .route(
            "/employers/{id}/log/new",
            get(forms::log_form).post(forms::log_create),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::employers, api::create_employer))
        .routes(routes!(api::employer, api::update_employer))
        .routes(routes!(api::set_employer_status))
        .routes(routes!(api::add_contact))
        .routes(routes!(api::remove_contact))
        .routes(routes!(api::log_contact))
}
