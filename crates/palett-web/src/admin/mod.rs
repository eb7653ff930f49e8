//! Administration: partner organisations and memberships, users and their
//! roles (with separation of duties), password and second-factor resets,
//! and the retention rules.

pub(crate) mod partners;
pub(crate) mod partners_api;
pub(crate) mod retention;
pub(crate) mod retention_api;
pub(crate) mod translations;
pub(crate) mod users;
pub(crate) mod users_api;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/partners", get(partners::partners))
        .route(
            "/admin/organisations/new",
            get(partners::org_form).post(partners::org_create),
        )
        .route(
            "/admin/memberships/new",
            get(partners::membership_form).post(partners::membership_create),
        )
        .route(
            "/admin/memberships/{id}/end",
            get(partners::membership_end_form).post(partners::membership_end),
        )
        .route("/admin/users", get(users::users))
        .route(
            "/admin/users/new",
            get(users::user_form).post(users::user_create),
        )
        .route(
            "/admin/users/{id}/roles",
            get(users::roles_form).post(users::roles_update),
        )
        .route("/admin/users/{id}/deactivate", post(users::user_deactivate))
        .route(
            "/admin/users/{id}/password",
            get(users::reset_form).post(users::reset),
        )
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(users::user_second_factor_reset),
        )
        .route(
            "/admin/role-requests/{id}/{decision}",
            post(users::decide_role),
        )
        .route(
            "/admin/retention",
            get(retention::retention).post(retention::set_retention),
        )
        .route("/admin/retention/run", post(retention::run_retention))
        .route("/translations", get(translations::translations))
}

/// Partners, memberships, users and roles in the API.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            partners_api::organisations,
            partners_api::create_organisation
        ))
        .routes(routes!(
            partners_api::memberships,
            partners_api::add_membership
        ))
        .routes(routes!(partners_api::membership))
        .routes(routes!(partners_api::end_membership))
        .routes(routes!(users_api::users, users_api::create_user))
        .routes(routes!(users_api::user))
        .routes(routes!(users_api::set_user_roles))
        .routes(routes!(users_api::deactivate_user))
        .routes(routes!(users_api::reset_user_password))
        .routes(routes!(users_api::reset_user_second_factor))
        .routes(routes!(users_api::role_requests))
        .routes(routes!(users_api::approve_role_request))
        .routes(routes!(users_api::reject_role_request))
}
