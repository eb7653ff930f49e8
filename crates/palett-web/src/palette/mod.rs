//! The palette of interventions and each participant's path through it:
//! interventions and modules, groups, sessions and attendance, the
//! individual plan, enrolments, the participation period, activities and
//! time, the caller's own sessions, attested time, and the palette reports; HTML and API.

pub(crate) mod api;
pub(crate) mod api_path;
pub(crate) mod attendance;
pub(crate) mod attestation;
pub(crate) mod dto;
pub(crate) mod dto_path;
pub(crate) mod groups;
pub(crate) mod interventions;
pub(crate) mod month_time;
pub(crate) mod my_sessions;
pub(crate) mod path;
pub(crate) mod plan;
pub(crate) mod reports;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/palette", get(interventions::palette))
        .route(
            "/palette/new",
            get(interventions::intervention_form).post(interventions::intervention_create),
        )
        .route("/palette/{id}", get(interventions::intervention))
        .route("/palette/{id}/retire", post(interventions::retire))
        .route(
            "/palette/{id}/modules/new",
            get(interventions::module_form).post(interventions::module_create),
        )
        .route(
            "/palette/{id}/groups/new",
            get(groups::group_form).post(groups::group_create),
        )
        .route("/groups/{id}", get(groups::group))
        .route("/my-sessions", get(my_sessions::my_sessions))
        .route("/time-attestation", get(attestation::page))
        .route("/time-attestation/{month}", post(attestation::attest))
        .route(
            "/groups/{id}/schedule",
            get(groups::schedule_form).post(groups::schedule),
        )
        .route(
            "/sessions/{id}/attendance",
            get(attendance::attendance_form).post(attendance::attendance_save),
        )
        .route(
            "/sessions/{id}/{what}",
            get(groups::session_form).post(groups::session_change),
        )
        .route("/participants/{id}/plan", get(plan::plan))
        .route("/participants/{id}/plan/enrol", post(plan::plan_enrol))
        .route(
            "/participants/{id}/plan/edit",
            get(plan::plan_form).post(plan::plan_save),
        )
        .route(
            "/participants/{id}/enrolments/new",
            get(path::enrol_form).post(path::enrol),
        )
        .route(
            "/participants/{id}/period",
            get(path::period_form).post(path::period_save),
        )
        .route(
            "/participants/{id}/activities/new",
            get(path::activity_form).post(path::activity_save),
        )
        .route("/participants/{id}/time", get(month_time::time))
        .route(
            "/participants/{id}/time/{month}/attest",
            post(month_time::attest),
        )
        .route(
            "/enrolments/{id}/status",
            get(path::enrolment_form).post(path::enrolment_change),
        )
        .route("/reports", get(reports::reports))
        .route("/reports/{file}", get(reports::report_csv))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_path::plan, api_path::save_plan))
        .routes(routes!(api_path::enrol_from_plan))
        .routes(routes!(api_path::enrolments, api_path::enrol))
        .routes(routes!(api_path::period, api_path::set_period))
        .routes(routes!(api_path::record_activity))
        .routes(routes!(api_path::time))
        .routes(routes!(api_path::attest_month))
        .routes(routes!(api_path::timeline))
        .routes(routes!(attestation::time_attestation))
        .routes(routes!(attestation::attest_time))
        .routes(routes!(api_path::change_enrolment))
        .routes(routes!(api::palette, api::create_intervention))
        .routes(routes!(api::intervention))
        .routes(routes!(api::retire))
        .routes(routes!(api::create_group))
        .routes(routes!(api::group))
        .routes(routes!(api::schedule))
        .routes(routes!(api::attendance, api::record_attendance))
        .routes(routes!(api::cancel_session))
        .routes(routes!(api::move_session))
        .routes(routes!(api::reports))
        .routes(routes!(api::my_sessions))
}
