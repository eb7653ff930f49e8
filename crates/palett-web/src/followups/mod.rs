//! After the path: follow-ups at 3 and 6 months (done, or closed as not
//! reached), and the participant's own self-assessments; their API.

pub(crate) mod api;
pub(crate) mod follow_ups;
pub(crate) mod self_assessments;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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
            "/participants/{id}/follow-ups/{follow_up}/not-reached",
            post(follow_ups::save_not_reached),
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

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::due_follow_ups))
        .routes(routes!(api::participant_follow_ups))
        .routes(routes!(api::record_follow_up))
        .routes(routes!(api::mark_follow_up_not_reached))
        .routes(routes!(
            api::participant_self_assessments,
            api::record_self_assessment
        ))
}
