//! palett's HTTP layer: the only crate that knows HTTP, HTML and JSON.
//! [`router`] lists every route in one place.

// Handlers return early with a ready `Response`, axum's idiom; its size is
// irrelevant next to the request it answers.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod api_palette;
pub mod caller;
pub mod charts;
pub mod consent_pages;
pub mod dashboard_pages;
pub mod document;
pub mod error;
pub mod export_pages;
pub mod followup_pages;
pub mod forms;
pub mod i18n;
pub mod observe;
pub mod pages;
pub mod palette_pages;
pub mod proxy;
pub mod report_pages;
pub mod security_pages;
pub mod selfassessment_pages;
pub mod views;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{middleware, Router};
use palett_app::App;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies Secure (set when served over TLS, directly or behind a
    /// proxy); the session cookie then has the `__Host-` prefix and every
    /// response asks browsers to use HTTPS only (HSTS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: proxy::TrustedProxies,
}

impl AppState {
    /// Plain HTTP, no trusted proxies (tests and local use).
    pub fn new(app: App) -> Self {
        Self {
            app,
            secure_cookies: false,
            trusted_proxies: proxy::TrustedProxies::none(),
        }
    }
}

const STYLE: &str = include_str!("../static/style.css");
const HTMX: &str = include_str!("../static/htmx.min.js");
const ATTENDANCE_JS: &str = include_str!("../static/attendance.js");

async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (body, ty) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "attendance.js" => (ATTENDANCE_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ty),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn healthz(axum::extract::State(s): axum::extract::State<AppState>) -> Response {
    if s.app.db.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

/// Security headers on every response; pages are never cached (they show
/// personal data). Served over TLS, browsers are told to keep to HTTPS.
async fn headers(
    axum::extract::State(s): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if s.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Every route of palett.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(api::openapi))
        .route("/me", get(api::me))
        .route("/projects", get(api::projects))
        .route("/projects/{id}/summary", get(api::project_summary))
        .route(
            "/projects/{id}/dashboard",
            get(dashboard_pages::api_project_dashboard),
        )
        .route(
            "/dashboard",
            get(dashboard_pages::api_partnership_dashboard),
        )
        .route(
            "/participants",
            get(api::participants).post(api::create_participant),
        )
        .route(
            "/participants/{id}",
            get(api::participant).patch(api::update_participant),
        )
        .route("/participants/search", post(api::search_participants))
        .route("/participants/{id}/intake", post(api::intake))
        .route("/participants/{id}/exit", post(api::exit))
        .route("/participants/{id}/transitions", post(api::transition))
        .route("/participants/{id}/handover", post(api::handover))
        .route(
            "/participants/{id}/plan",
            get(api_palette::plan).put(api_palette::save_plan),
        )
        .route(
            "/participants/{id}/enrolments",
            get(api_palette::enrolments).post(api_palette::enrol),
        )
        .route(
            "/participants/{id}/period",
            get(api_palette::period).put(api_palette::set_period),
        )
        .route(
            "/participants/{id}/activities",
            post(api_palette::record_activity),
        )
        .route("/participants/{id}/time", get(api_palette::time))
        .route("/participants/{id}/timeline", get(api_palette::timeline))
        .route("/enrolments/{id}", patch(api_palette::change_enrolment))
        .route(
            "/palette",
            get(api_palette::palette).post(api_palette::create_intervention),
        )
        .route("/palette/{id}", get(api_palette::intervention))
        .route("/palette/{id}/groups", post(api_palette::create_group))
        .route("/groups/{id}", get(api_palette::group))
        .route("/groups/{id}/sessions", post(api_palette::schedule))
        .route(
            "/sessions/{id}/attendance",
            get(api_palette::attendance).put(api_palette::record_attendance),
        )
        .route("/sessions/{id}/cancel", post(api_palette::cancel_session))
        .route("/sessions/{id}/move", post(api_palette::move_session))
        .route("/reports/palette", get(api_palette::reports))
        .route("/exports/research", post(export_pages::research_json))
        .route(
            "/participants/{id}/restriction",
            post(consent_pages::api_restriction),
        )
        .route(
            "/participants/{id}/consents",
            get(consent_pages::api_list).post(consent_pages::api_create),
        )
        .route("/consents/{id}/withdraw", post(consent_pages::api_withdraw))
        .route(
            "/participants/{id}/notes",
            get(consent_pages::api_notes).post(consent_pages::api_add_note),
        )
        .route("/participants/{id}/export", get(export_pages::json));
    Router::new()
        .route("/", get(pages::start))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route(
            "/account/second-factor",
            get(security_pages::show).post(security_pages::change),
        )
        .route("/lang/{code}", get(pages::set_lang))
        .route(
            "/participants",
            get(pages::participants).post(pages::participants_search),
        )
        .route(
            "/participants/new",
            get(pages::intake_form).post(pages::intake),
        )
        .route("/participants/{id}", get(pages::participant))
        .route(
            "/participants/{id}/edit",
            get(pages::edit_form).post(pages::edit),
        )
        .route(
            "/participants/{id}/status/{kind}",
            get(pages::transition_form).post(pages::transition),
        )
        .route(
            "/participants/{id}/handover",
            get(pages::handover_form).post(pages::handover),
        )
        .route(
            "/participants/{id}/self-assessments",
            get(selfassessment_pages::of_participant),
        )
        .route(
            "/participants/{id}/self-assessments/new",
            get(selfassessment_pages::form).post(selfassessment_pages::save),
        )
        .route("/follow-ups", get(followup_pages::due))
        .route(
            "/participants/{id}/follow-ups",
            get(followup_pages::of_participant),
        )
        .route(
            "/participants/{id}/follow-ups/{follow_up}",
            get(followup_pages::form).post(followup_pages::save),
        )
        .route("/partners", get(pages::partners))
        .route("/projects", get(pages::projects))
        .route("/dashboard", get(dashboard_pages::partnership_dashboard))
        .route(
            "/dashboard/participants",
            get(dashboard_pages::partnership_figure),
        )
        .route(
            "/projects/{id}/dashboard",
            get(dashboard_pages::project_dashboard),
        )
        .route(
            "/projects/{id}/dashboard/participants",
            get(dashboard_pages::project_figure),
        )
        .route("/projects/{id}/reports/{file}", get(report_pages::report))
        .route("/projects/{id}/esf-months", get(report_pages::esf_months))
        .route(
            "/projects/{id}/esf-months/{file}",
            get(report_pages::esf_month_file),
        )
        .route(
            "/projects/{id}/goals",
            get(dashboard_pages::goals_form).post(dashboard_pages::goal_create),
        )
        .route(
            "/projects/{id}/goals/{goal}/delete",
            post(dashboard_pages::goal_delete),
        )
        .route(
            "/projects/new",
            get(pages::project_form).post(pages::project_create),
        )
        .route(
            "/projects/{id}/edit",
            get(pages::project_edit_form).post(pages::project_update),
        )
        .route("/audit", get(pages::audit))
        .route("/admin/users", get(pages::users))
        .route(
            "/admin/users/new",
            get(pages::user_form).post(pages::user_create),
        )
        .route(
            "/admin/users/{id}/roles",
            get(pages::roles_form).post(pages::roles_update),
        )
        .route(
            "/admin/organisations/new",
            get(pages::org_form).post(pages::org_create),
        )
        .route("/admin/users/{id}/deactivate", post(pages::user_deactivate))
        .route(
            "/admin/users/{id}/password",
            get(security_pages::reset_form).post(security_pages::reset),
        )
        .route(
            "/admin/role-requests/{id}/{decision}",
            post(security_pages::decide_role),
        )
        .route(
            "/account/password",
            get(security_pages::password_form).post(security_pages::password_change),
        )
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(pages::user_second_factor_reset),
        )
        .route(
            "/admin/memberships/new",
            get(pages::membership_form).post(pages::membership_create),
        )
        .route(
            "/admin/memberships/{id}/end",
            get(pages::membership_end_form).post(pages::membership_end),
        )
        .route("/palette", get(palette_pages::palette))
        .route(
            "/palette/new",
            get(palette_pages::intervention_form).post(palette_pages::intervention_create),
        )
        .route("/palette/{id}", get(palette_pages::intervention))
        .route("/palette/{id}/retire", post(palette_pages::retire))
        .route(
            "/palette/{id}/modules/new",
            get(palette_pages::module_form).post(palette_pages::module_create),
        )
        .route(
            "/palette/{id}/groups/new",
            get(palette_pages::group_form).post(palette_pages::group_create),
        )
        .route("/groups/{id}", get(palette_pages::group))
        .route(
            "/groups/{id}/schedule",
            get(palette_pages::schedule_form).post(palette_pages::schedule),
        )
        .route(
            "/sessions/{id}/attendance",
            get(palette_pages::attendance_form).post(palette_pages::attendance_save),
        )
        .route(
            "/sessions/{id}/{what}",
            get(palette_pages::session_form).post(palette_pages::session_change),
        )
        .route("/participants/{id}/plan", get(palette_pages::plan))
        .route(
            "/participants/{id}/plan/edit",
            get(palette_pages::plan_form).post(palette_pages::plan_save),
        )
        .route(
            "/participants/{id}/enrolments/new",
            get(palette_pages::enrol_form).post(palette_pages::enrol),
        )
        .route(
            "/participants/{id}/period",
            get(palette_pages::period_form).post(palette_pages::period_save),
        )
        .route(
            "/participants/{id}/activities/new",
            get(palette_pages::activity_form).post(palette_pages::activity_save),
        )
        .route("/participants/{id}/time", get(palette_pages::time))
        .route(
            "/enrolments/{id}/status",
            get(palette_pages::enrolment_form).post(palette_pages::enrolment_change),
        )
        .route("/reports", get(palette_pages::reports))
        .route("/participants/{id}/export", get(export_pages::page))
        .route(
            "/emergency",
            get(consent_pages::emergency_form).post(consent_pages::emergency),
        )
        .route(
            "/admin/retention",
            get(consent_pages::retention).post(consent_pages::set_retention),
        )
        .route("/admin/retention/run", post(consent_pages::run_retention))
        .route(
            "/exports/research",
            get(export_pages::research_form).post(export_pages::research),
        )
        .route(
            "/exports/research/csv",
            post(export_pages::research_download),
        )
        .route("/participants/{id}/notes", post(consent_pages::add_note))
        .route(
            "/participants/{id}/restriction",
            post(consent_pages::restriction),
        )
        .route(
            "/participants/{id}/archive-hold",
            post(consent_pages::archive_hold),
        )
        .route(
            "/audit/review",
            get(consent_pages::log_review).post(consent_pages::sign_log_review),
        )
        .route(
            "/participants/{id}/consents/new",
            get(consent_pages::form).post(consent_pages::create),
        )
        .route(
            "/consents/{id}/withdraw",
            get(consent_pages::withdraw_form).post(consent_pages::withdraw),
        )
        .route("/reports/{file}", get(palette_pages::report_csv))
        .route("/tokens", get(pages::tokens).post(pages::token_create))
        .route("/tokens/{id}/revoke", post(pages::token_revoke))
        .nest("/api/v1", api)
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caller::resolve,
        ))
        .route("/healthz", get(healthz))
        .route("/static/{name}", get(static_file))
        .layer(DefaultBodyLimit::max(caller::BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), headers))
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
