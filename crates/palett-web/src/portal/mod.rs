//! The participant portal (`/portal…`): her own pages in her language.
//! Signing in (`sign_in.rs`: her login name and password, the invitation
//! code, the language switch), her pages (`pages.rs`: plan, schedule,
//! time, consents, self-assessment, her data) and the staff side
//! (`staff.rs`: the invitation her caseworker prints; `api.rs`: the same
//! in the API). A participant's
//! session reaches nothing outside `/portal` (`http::caller::resolve`).

pub(crate) mod api;
mod assessment;
mod calendar;
mod data;
mod pages;
mod passkeys;
mod questionnaires;
mod sign_in;
pub mod staff;
mod withdraw;

use crate::http::caller::Visitor;
use crate::http::AppState;
use crate::i18n::Tr;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use palett_app::portal::Her;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(pages::home))
        .route(
            "/portal/login",
            get(sign_in::login_form).post(sign_in::login),
        )
        .route("/portal/logout", post(sign_in::logout))
        .route(
            "/portal/invite",
            get(sign_in::invite_form).post(sign_in::invite),
        )
        .route("/portal/lang/{code}", get(sign_in::set_lang))
        .route("/portal/passkey/setup/start", post(passkeys::setup_start))
        .route("/portal/passkey/setup/finish", post(passkeys::setup_finish))
        .route(
            "/portal/passkey/sign-in/start",
            post(passkeys::sign_in_start),
        )
        .route(
            "/portal/passkey/sign-in/finish",
            post(passkeys::sign_in_finish),
        )
        .route("/portal/plan", get(pages::plan))
        .route("/portal/schedule", get(pages::schedule))
        .route("/portal/calendar", post(pages::make_calendar))
        .route("/portal/calendar/revoke", post(calendar::revoke))
        .route("/portal/time", get(pages::time))
        .route("/portal/time/{month}", post(pages::confirm_month))
        .route("/portal/consents", get(pages::consents))
        .route("/portal/consents/{id}/withdraw", post(withdraw::withdraw))
        .route("/portal/consents/ask", post(pages::ask_about_consent))
        .route(
            "/portal/assessment",
            get(assessment::assessment).post(assessment::record_assessment),
        )
        .route("/portal/questionnaires", get(questionnaires::list))
        .route(
            "/portal/questionnaires/{id}",
            get(questionnaires::form).post(questionnaires::save),
        )
        .route("/portal/data", get(data::data))
        .route("/portal/data.pdf", get(data::data_pdf))
        .route(
            "/participants/{id}/portal",
            get(staff::access).post(staff::invite),
        )
}

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::access))
        .routes(routes!(api::invite))
}

/// Outside the session layer: her calendar feed, whose address holds its
/// secret.
pub fn public_routes() -> Router<AppState> {
    Router::new().route("/calendar/her/{file}", get(calendar::feed))
}

/// A participant signed in to her portal; anyone else is sent to the
/// portal's sign-in page.
pub struct InPortal {
    pub her: Her,
    pub cookie: String,
    pub visitor: Visitor,
}

impl InPortal {
    pub fn tr(&self) -> Tr {
        self.visitor.portal_tr()
    }

    pub fn ip(&self) -> &str {
        &self.visitor.ip
    }
}

impl<S: Send + Sync> FromRequestParts<S> for InPortal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, s).await?;
        match visitor.her.clone() {
            Some((her, cookie)) if visitor.signed.is_none() => Ok(InPortal {
                her,
                cookie,
                visitor,
            }),
            _ => Err(Redirect::to("/portal/login").into_response()),
        }
    }
}
