//! Exports: a participant's subject-access export (page and JSON) and the
//! pseudonymised research export.

pub(crate) mod research;
pub(crate) mod subject_access;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/participants/{id}/export", get(subject_access::page))
        .route(
            "/exports/research",
            get(research::research_form).post(research::research),
        )
        .route("/exports/research/csv", post(research::research_download))
}

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/exports/research", post(research::research_json))
        .route("/participants/{id}/export", get(subject_access::json))
}
