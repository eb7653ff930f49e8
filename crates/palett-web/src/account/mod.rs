//! Signing in and out, the language, the start page, the caller's own
//! password, second factor and API tokens.

pub(crate) mod api;
pub(crate) mod security;
pub(crate) mod sign_in;
pub(crate) mod start;
pub(crate) mod tokens;
pub(crate) mod tokens_api;

use crate::http::AppState;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) use sign_in::not_found;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(start::start))
        .route("/login", get(sign_in::login_form).post(sign_in::login))
        .route("/logout", post(sign_in::logout))
        .route("/lang/{code}", get(sign_in::set_lang))
        .route(
            "/account/second-factor",
            get(security::show).post(security::change),
        )
        .route(
            "/account/password",
            get(security::password_form).post(security::password_change),
        )
        .route("/tokens", get(tokens::tokens).post(tokens::token_create))
        .route(
            "/tokens/new",
            get(tokens::token_new).post(tokens::token_create_limited),
        )
        .route("/tokens/{id}/revoke", post(tokens::token_revoke))
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::me))
        .routes(routes!(api::worklist))
        .routes(routes!(tokens_api::list_tokens, tokens_api::create_token))
        .routes(routes!(tokens_api::show_token))
        .routes(routes!(tokens_api::revoke_token))
}
