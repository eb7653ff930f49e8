//! The participant portal's layout: her language (any of seven, right to
//! left for Arabic and Dari), a language switch on every page, her menu.
//! Kept in the kit because an error must be shown in it too.

use super::render;
use crate::http::caller::Visitor;
use crate::http::error::WebError;
use crate::i18n::{Lang, Tr};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One language of the switch.
pub struct LangLink {
    pub code: &'static str,
    pub html_lang: &'static str,
    pub dir: &'static str,
    pub name: &'static str,
    pub current: bool,
}

pub struct PortalLayout {
    pub title: String,
    /// Her menu's current item (`home`, `plan` …); empty outside it.
    pub section: &'static str,
    pub html_lang: &'static str,
    pub dir: &'static str,
    /// Her given name when she is signed in.
    pub her: Option<String>,
    /// The CSRF token her forms echo (her session's, or the sign-in
    /// form's double-submit value).
    pub csrf: String,
    /// The current path, for the language switch to come back to.
    pub path: String,
    pub langs: Vec<LangLink>,
    /// Her menu: (address, section, text).
    pub menu: Vec<(&'static str, &'static str, String)>,
}

impl PortalLayout {
    pub fn new(v: &Visitor, title: String, section: &'static str, path: &str) -> Self {
        let t = v.portal_tr();
        let her = v.her.as_ref().map(|(h, _)| h);
        let menu = if her.is_some() {
            [
                ("/portal", "home", "portal-nav-home"),
                ("/portal/plan", "plan", "portal-nav-plan"),
                ("/portal/schedule", "schedule", "portal-nav-schedule"),
                ("/portal/time", "time", "portal-nav-time"),
                ("/portal/consents", "consents", "portal-nav-consents"),
                ("/portal/assessment", "assessment", "portal-nav-assessment"),
                (
                    "/portal/questionnaires",
                    "questionnaires",
                    "portal-nav-questionnaires",
                ),
                ("/portal/data", "data", "portal-nav-data"),
            ]
            .into_iter()
            .map(|(href, s, id)| (href, s, t.get(id)))
            .collect()
        } else {
            Vec::new()
        };
        Self {
            title,
            section,
            html_lang: v.lang.html_lang(),
            dir: v.lang.dir(),
            her: her.map(|h| h.given_name.clone()),
            csrf: her.map(|h| h.csrf_token.clone()).unwrap_or_default(),
            path: path.to_string(),
            langs: Lang::PORTAL
                .into_iter()
                .map(|l| LangLink {
                    code: l.code(),
                    html_lang: l.html_lang(),
                    dir: l.dir(),
                    name: l.native_name(),
                    current: l == v.lang,
                })
                .collect(),
            menu,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/error.html")]
struct PortalErrorPage {
    t: Tr,
    layout: PortalLayout,
    message: String,
}

/// An error in the portal, or met by a participant anywhere: a page in her
/// language and her layout.
pub fn error_page(v: &Visitor, e: &WebError) -> Response {
    let t = v.portal_tr();
    let (title, message) = match e.retry_after_secs {
        Some(secs) => (
            t.get("error-throttled-title"),
            super::failures::throttled_message(t, secs),
        ),
        None => (t.get(&format!("{}-title", e.code)), t.get(e.code)),
    };
    let page = PortalErrorPage {
        t,
        layout: PortalLayout::new(v, title, "", "/portal"),
        message,
    };
    let status = if e.status.is_client_error() || e.status.is_server_error() {
        e.status
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    (status, render(page)).into_response()
}
