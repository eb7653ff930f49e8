//! The palette of interventions and each participant's path through it:
//! interventions and modules, groups, sessions and attendance, the
//! individual plan, enrolments, the participation period, activities and
//! time, and the palette reports; HTML and API.

pub(crate) mod api;
pub(crate) mod api_path;
pub(crate) mod attendance;
pub(crate) mod groups;
pub(crate) mod interventions;
pub(crate) mod path;
pub(crate) mod plan;
pub(crate) mod reports;

use crate::http::AppState;
use axum::routing::{get, patch, post};
use axum::Router;

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
        .route("/participants/{id}/time", get(path::time))
        .route(
            "/enrolments/{id}/status",
            get(path::enrolment_form).post(path::enrolment_change),
        )
        .route("/reports", get(reports::reports))
        .route("/reports/{file}", get(reports::report_csv))
}

pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/participants/{id}/plan",
            get(api_path::plan).put(api_path::save_plan),
        )
        .route(
            "/participants/{id}/enrolments",
            get(api_path::enrolments).post(api_path::enrol),
        )
        .route(
            "/participants/{id}/period",
            get(api_path::period).put(api_path::set_period),
        )
        .route(
            "/participants/{id}/activities",
            post(api_path::record_activity),
        )
        .route("/participants/{id}/time", get(api_path::time))
        .route("/participants/{id}/timeline", get(api_path::timeline))
        .route("/enrolments/{id}", patch(api_path::change_enrolment))
        .route("/palette", get(api::palette).post(api::create_intervention))
        .route("/palette/{id}", get(api::intervention))
        .route("/palette/{id}/groups", post(api::create_group))
        .route("/groups/{id}", get(api::group))
        .route("/groups/{id}/sessions", post(api::schedule))
        .route(
            "/sessions/{id}/attendance",
            get(api::attendance).put(api::record_attendance),
        )
        .route("/sessions/{id}/cancel", post(api::cancel_session))
        .route("/sessions/{id}/move", post(api::move_session))
        .route("/reports/palette", get(api::reports))
}
