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
mod exports;
mod followups;
pub mod http;
pub mod i18n;
mod palette;
mod participants;
mod projects;
mod reports;
pub mod ui;

pub use http::{proxy, AppState};

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{middleware, Router};
use http::{caller, observe};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The JSON API under /api/v1: every feature's `api_routes`.
fn api_routes() -> Router<AppState> {
    Router::new()
        .merge(account::api_routes())
        .merge(participants::api_routes())
        .merge(projects::api_routes())
        .merge(consents::api_routes())
        .merge(palette::api_routes())
        .merge(dashboards::api_routes())
        .merge(exports::api_routes())
}

/// Every route of palett: each feature's pages and API, then the layers
/// every request passes (outermost last).
pub fn router(state: AppState) -> Router {
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
        .nest("/api/v1", api_routes())
        .fallback(account::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caller::resolve,
        ))
        .layer(middleware::from_fn(ui::failures::render_failures))
        .route("/healthz", get(http::healthz))
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
