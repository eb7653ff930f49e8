//! Importing participants, their enrolments and their time from a
//! spreadsheet: the upload page, the
//! preview with a row per line of the file, the commit, the result with
//! its undo, the templates to download, and the same through the API.

pub(crate) mod api;
pub(crate) mod pages;

use crate::http::AppState;
use crate::i18n::{Lang, Tr};
use axum::routing::{get, post};
use axum::Router;
use palett_domain::import::{ImportKind, Labels};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports", get(pages::index))
        .route("/imports/preview", post(pages::preview))
        .route("/imports/template.csv", get(pages::template_csv))
        .route("/imports/template.xlsx", get(pages::template_xlsx))
        .route("/imports/{id}", get(pages::result))
        .route("/imports/{id}/commit", post(pages::commit))
        .route("/imports/{id}/undo", post(pages::undo))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::preview))
        .routes(routes!(api::commit))
        .routes(routes!(api::import))
        .routes(routes!(api::undo))
}

/// The vocabularies' labels in every staff language, so that a cell may
/// say "Kvinna" or "Woman" as well as `woman`.
pub(crate) fn labels() -> Labels {
    let mut l = Labels::default();
    for lang in Lang::STAFF {
        let t = Tr::new(lang);
        l.add(|id| t.get(id));
    }
    l
}

/// A column's header in the reader's language: Swedish, or the field name.
pub(crate) fn column_name(t: Tr, kind: ImportKind, field: &str) -> String {
    match (t.lang, kind.columns().iter().find(|(f, _)| *f == field)) {
        (Lang::Sv, Some((_, sv))) => (*sv).to_string(),
        _ => field.replace('_', " "),
    }
}
