//! Projects: the list, creating and editing one, and the API's summary.

pub(crate) mod api;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(pages::projects))
        .route(
            "/projects/new",
            get(pages::project_form).post(pages::project_create),
        )
        .route(
            "/projects/{id}/edit",
            get(pages::project_edit_form).post(pages::project_update),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::projects, api::create_project))
        .routes(routes!(api::project, api::update_project))
        .routes(routes!(api::project_summary))
}
