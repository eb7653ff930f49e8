//! A project's reports to its funder (final report, Finsam, ESF+, before
//! and after) as PDF, XLSX or CSV, and the ESF+ monthly participant files;
//! both also in the API (JSON and files).

pub(crate) mod api;
pub(crate) mod documents;
pub(crate) mod esf;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/reports/{file}", get(documents::report))
        .route("/projects/{id}/esf-months", get(esf::esf_months))
        .route("/projects/{id}/esf-months/{file}", get(esf::esf_month_file))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::api_funder_report))
        .routes(routes!(api::api_funder_report_file))
        .routes(routes!(api::api_esf_month))
        .routes(routes!(api::api_esf_month_file))
}
