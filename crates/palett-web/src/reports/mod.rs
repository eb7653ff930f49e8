//! A project's reports to its funder (final report, Finsam, ESF+, before
//! and after) as PDF, XLSX or CSV, and the ESF+ monthly participant files.

pub(crate) mod documents;
pub(crate) mod esf;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects/{id}/reports/{file}", get(documents::report))
        .route("/projects/{id}/esf-months", get(esf::esf_months))
        .route("/projects/{id}/esf-months/{file}", get(esf::esf_month_file))
}
