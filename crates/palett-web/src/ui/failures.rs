//! The one place a handler's [`WebError`] becomes what the caller sees: an
//! HTML page in her language (sign-in for an expired session, a wait with
//! `Retry-After` when throttled), or under /api/ the JSON error body.

use super::render;
use super::views::{ErrorPage, Layout};
use crate::http::caller::{Caller, Visitor, VisitorSlot};
use crate::http::error::{with_retry_after, WebError};
use crate::i18n::{Lang, Tr};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Middleware outside the caller resolution: it leaves a slot for the
/// visitor, runs the request, and renders an error the answer carries.
pub async fn render_failures(mut req: Request, next: Next) -> Response {
    let slot = VisitorSlot::default();
    req.extensions_mut().insert(slot.clone());
    let is_api = req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    let Some(e) = resp.extensions_mut().remove::<WebError>() else {
        return resp;
    };
    let visitor = slot.get();
    if is_api {
        let tr = visitor.map(|v| v.tr()).unwrap_or(Tr::new(Lang::Sv));
        return e.json(tr);
    }
    page(visitor, e)
}

/// "Too many failed attempts; try again in N seconds."
pub fn throttled_message(t: Tr, retry_after_secs: i64) -> String {
    t.with(
        "error-throttled-wait",
        &[("seconds", retry_after_secs.max(1).to_string())],
    )
}

/// The error page for this visitor (signed in or not).
fn page(visitor: Option<Visitor>, e: WebError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED && e.code == "error-unauthenticated" {
        return Redirect::to("/login").into_response();
    }
    let visitor = visitor.unwrap_or_else(|| Visitor {
        done: None,
        signed: None,
        her: None,
        lang: Lang::Sv,
        ip: String::new(),
        is_api: false,
        portal_path: false,
        secure: false,
        pre_session: None,
    });
    // A participant, or anyone in the portal, sees it in the portal's way.
    if visitor.in_portal() || visitor.signed.is_none() && visitor.portal_path {
        return with_retry_after(super::portal::error_page(&visitor, &e), e.retry_after_secs);
    }
    let t = visitor.tr();
    let (title, message) = match e.retry_after_secs {
        Some(secs) => (t.get("error-throttled-title"), throttled_message(t, secs)),
        None => (t.get(&format!("{}-title", e.code)), t.get(e.code)),
    };
    let layout = match visitor.signed.clone() {
        Some((signed, via)) => Layout::for_caller(
            &Caller {
                signed,
                via,
                visitor,
            },
            title,
            "",
            "/",
        ),
        None => Layout::for_visitor(&visitor, title, "/", String::new()),
    };
    let whom = (e.status == StatusCode::FORBIDDEN).then(|| t.get("error-forbidden-whom"));
    let page = ErrorPage {
        t,
        layout,
        message,
        whom,
    };
    with_retry_after((e.status, render(page)).into_response(), e.retry_after_secs)
}
