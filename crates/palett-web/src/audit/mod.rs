//! The audit log: searching it, and the signed periodic log review; its
//! words (actions and roles in the reader's language).

pub(crate) mod log;
pub(crate) mod review;
pub(crate) mod words;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(log::audit)).route(
        "/audit/review",
        get(review::log_review).post(review::sign_log_review),
    )
}
