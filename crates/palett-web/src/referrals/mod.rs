//! Referrals between partners: the partner's incoming and outgoing
//! referrals, one referral with its steps and the form for the next, the
//! form that refers her, the partners' agreed routines, and the API.

pub(crate) mod api;
pub(crate) mod dto;
pub(crate) mod forms;
pub(crate) mod pages;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/referrals", get(pages::referrals))
        .route(
            "/referrals/new",
            get(forms::new_woman_form).post(forms::new_woman),
        )
        .route("/referrals/{id}", get(pages::referral))
        .route(
            "/referrals/{id}/step",
            get(forms::step_form).post(forms::step_save),
        )
        .route("/participants/{id}/referrals", get(pages::of_participant))
        .route(
            "/participants/{id}/referrals/new",
            get(forms::new_form).post(forms::create),
        )
        .route("/referral-routines", get(pages::routines))
        .route("/reports/referrals", get(pages::report))
        .route(
            "/organisations/{id}/referral-routine",
            get(forms::routine_form).post(forms::routine_save),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::referrals, api::register_and_refer))
        .routes(routes!(api::referral))
        .routes(routes!(api::participant_referrals, api::refer))
        .routes(routes!(api::take_referral_step))
        .routes(routes!(api::routines))
        .routes(routes!(api::set_routine))
        .routes(routes!(api::referral_report))
}
