//! palett's HTTP layer: the only crate that knows HTTP, HTML and JSON.
//! [`router`] lists every route in one place.

// Handlers return early with a ready `Response`, axum's idiom; its size is
// irrelevant next to the request it answers.
#![allow(clippy::result_large_err)]

mod account;
mod admin;
mod audit;
mod consents;
mod dashboards;
pub mod document;
mod employers;
mod exports;
mod followups;
pub mod http;
pub mod i18n;
mod imports;
mod openings;
mod palette;
mod participants;
mod placements;
mod portal;
mod projects;
mod questionnaires;
mod referrals;
pub mod reminders;
mod reports;
pub mod ui;
mod webhooks;

pub use http::{proxy, AppState};

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{middleware, Router};
use http::{caller, observe};
use std::sync::OnceLock;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The JSON API under /api/v1 and its OpenAPI document, both from every
/// feature's `api_routes`: an API route is registered with its annotation
/// (`routes!`) or not at all, so none can be left out of the document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(http::openapi::base())
        .routes(routes!(openapi_json))
        .merge(account::api_routes())
        .merge(participants::api_routes())
        .merge(projects::api_routes())
        .merge(consents::api_routes())
        .merge(palette::api_routes())
        .merge(dashboards::api_routes())
        .merge(exports::api_routes())
        .merge(employers::api_routes())
        .merge(openings::api_routes())
        .merge(placements::api_routes())
        .merge(referrals::api_routes())
        .merge(reminders::api_routes())
        .merge(questionnaires::api_routes())
        .merge(portal::api_routes())
        .merge(followups::api_routes())
        .merge(imports::api_routes())
        .merge(webhooks::api_routes())
        .merge(reports::api_routes())
        .merge(audit::api_routes())
        .merge(admin::retention_api::api_routes())
        .merge(admin::api_routes())
        .split_for_parts();
    (router, http::openapi::finish(doc))
}

/// The areas of the API (its operations' tags) with each operation's
/// area, made once from the generated document: what a token may be
/// limited to.
fn token_areas() -> &'static http::scope::Areas {
    static AREAS: OnceLock<http::scope::Areas> = OnceLock::new();
    AREAS.get_or_init(|| http::scope::Areas::from_openapi(&api().1, "/api/v1"))
}

/// The names of the areas a token may be limited to (sorted).
pub fn api_areas() -> &'static [String] {
    token_areas().names()
}

/// The API's OpenAPI 3.1 document (JSON), generated from the code once:
/// served at `/api/v1/openapi.json` and printed by `palett openapi`.
pub fn openapi() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        api()
            .1
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
    })
}

/// The API's description: this document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", content_type = "application/json"))
)]
async fn openapi_json() -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi(),
    )
        .into_response()
}

/// Every route of palett: each feature's pages and API, then the layers
/// every request passes (outermost last).
pub fn router(state: AppState) -> Router {
    http::scope::install(token_areas());
    Router::new()
        .merge(account::routes())
        .merge(participants::routes())
        .merge(admin::routes())
        .merge(projects::routes())
        .merge(audit::routes())
        .merge(consents::routes())
        .merge(palette::routes())
        .merge(dashboards::routes())
        .merge(reports::routes())
        .merge(exports::routes())
        .merge(followups::routes())
        .merge(employers::routes())
        .merge(openings::routes())
        .merge(placements::routes())
        .merge(referrals::routes())
        .merge(reminders::routes())
        .merge(portal::routes())
        .merge(questionnaires::routes())
        .merge(imports::routes())
        .merge(webhooks::routes())
        .nest(
            "/api/v1",
            api().0.layer(middleware::from_fn_with_state(
                state.clone(),
                http::idempotency::layer,
            )),
        )
        .fallback(account::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caller::resolve,
        ))
        .layer(middleware::from_fn(ui::failures::render_failures))
        .merge(reminders::public_routes())
        .merge(portal::public_routes())
        .route("/healthz", get(http::healthz))
        .route("/readyz", get(http::readyz))
        .route("/static/{name}", get(http::static_file))
        .layer(DefaultBodyLimit::max(caller::BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), http::headers))
        // Outermost last: the client's request id is dropped, ours is set,
        // the response carries it, and the span (inside) records it.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(observe::span)
                .on_response(observe::on_response),
        )
        .layer(PropagateRequestIdLayer::new(observe::REQUEST_ID))
        .layer(SetRequestIdLayer::new(
            observe::REQUEST_ID,
            observe::RandomRequestId,
        ))
        .layer(middleware::map_request(observe::drop_client_request_id))
        .with_state(state)
}

/// Serve until Ctrl-C.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
