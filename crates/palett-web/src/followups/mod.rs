//! After the path: follow-ups at 3, 6 and 12 months, and the participant's
//! own self-assessments.

pub(crate) mod follow_ups;
pub(crate) mod self_assessments;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/follow-ups", get(follow_ups::due))
        .route(
            "/participants/{id}/follow-ups",
            get(follow_ups::of_participant),
        )
        .route(
            "/participants/{id}/follow-ups/{follow_up}",
            get(follow_ups::form).post(follow_ups::save),
        )
        .route(
            "/participants/{id}/self-assessments",
            get(self_assessments::of_participant),
        )
        .route(
            "/participants/{id}/self-assessments/new",
            get(self_assessments::form).post(self_assessments::save),
        )
}
