//! The dashboards of the partnership and of each project: figures against
//! goals, breakdowns, time to job or studies, the participants behind a
//! figure, and the project's goals; HTML and API.

pub(crate) mod api;
pub(crate) mod build;
pub(crate) mod charts;
pub(crate) mod dto;
pub(crate) mod figures;
pub(crate) mod goals;
pub(crate) mod goals_api;
pub(crate) mod page;

use crate::http::AppState;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(page::partnership_dashboard))
        .route("/dashboard/participants", get(figures::partnership_figure))
        .route("/projects/{id}/dashboard", get(page::project_dashboard))
        .route(
            "/projects/{id}/dashboard/participants",
            get(figures::project_figure),
        )
        .route(
            "/projects/{id}/goals",
            get(goals::goals_form).post(goals::goal_create),
        )
        .route(
            "/projects/{id}/goals/{goal}/delete",
            get(goals::goal_delete_form).post(goals::goal_delete),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::api_project_dashboard))
        .routes(routes!(api::api_partnership_dashboard))
        .routes(routes!(api::api_project_figure_participants))
        .routes(routes!(api::api_partnership_figure_participants))
        .routes(routes!(
            goals_api::project_goals,
            goals_api::add_project_goal
        ))
        .routes(routes!(goals_api::delete_project_goal))
}
