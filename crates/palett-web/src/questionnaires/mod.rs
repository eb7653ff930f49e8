//! Questionnaires for the evaluation: instruments uploaded as XLSForms and
//! published as versions that never change, the waves projects schedule
//! them in, filling one in with her, the results, and the research export
//! of the answers with its codebook.

pub(crate) mod answers_api;
pub(crate) mod api;
pub(crate) mod discard;
pub(crate) mod dto;
pub(crate) mod fill;
pub(crate) mod instruments;
pub(crate) mod results;
pub(crate) mod schedules_api;
pub(crate) mod versions_api;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/questionnaires", get(instruments::list))
        .route(
            "/questionnaires/upload",
            get(instruments::upload_form).post(instruments::upload),
        )
        .route("/questionnaires/due", get(fill::due))
        .route("/questionnaires/{id}", get(instruments::instrument))
        .route(
            "/questionnaires/{id}/schedule",
            get(instruments::schedule_form).post(instruments::schedule),
        )
        .route("/questionnaires/{id}/results", get(results::page))
        .route(
            "/questionnaires/{id}/versions/{version}",
            get(instruments::preview),
        )
        .route(
            "/questionnaires/{id}/versions/{version}/xlsform",
            get(instruments::download),
        )
        .route(
            "/questionnaires/{id}/versions/{version}/publish",
            post(instruments::publish),
        )
        .route(
            "/questionnaires/{id}/versions/{version}/discard",
            post(discard::discard),
        )
        .route(
            "/participants/{id}/questionnaires",
            get(fill::of_participant),
        )
        .route(
            "/participants/{id}/questionnaires/{instrument}",
            get(fill::form).post(fill::save),
        )
        .route(
            "/exports/research/answers",
            get(results::answers_form).post(results::answers),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::instruments, versions_api::upload))
        .routes(routes!(schedules_api::instrument_view))
        .routes(routes!(schedules_api::schedule_instrument))
        .routes(routes!(api::version))
        .routes(routes!(api::results))
        .routes(routes!(api::due))
        .routes(routes!(versions_api::xlsform))
        .routes(routes!(answers_api::research_answers))
        .routes(routes!(versions_api::publish_version))
        .routes(routes!(versions_api::discard_version))
        .routes(routes!(api::of_participant))
        .routes(routes!(api::record))
}
