//! Exports: a participant's subject-access export (page, PDF and JSON) and the
//! pseudonymised research export.

pub(crate) mod dto;
pub(crate) mod research;
pub(crate) mod subject_access;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/participants/{id}/export", get(subject_access::page))
        .route("/participants/{id}/export.pdf", get(subject_access::pdf))
        .route(
            "/exports/research",
            get(research::research_form).post(research::research),
        )
        .route("/exports/research/csv", post(research::research_download))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(research::research_json))
        .routes(routes!(subject_access::json))
}
