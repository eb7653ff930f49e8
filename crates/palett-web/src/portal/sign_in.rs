//! Signing in to the portal: her login name and password, the invitation
//! code with which she chooses her password, signing out, her language.

use super::InPortal;
use crate::account::sign_in::{
    pre_session_value, safe_next, with_cookies, with_pre_session, BackQuery,
};
use crate::http::caller::{
    portal_cookie_name, site_cookie, Visitor, LANG_COOKIE, PRE_SESSION_COOKIE,
};
use crate::http::error::{with_retry_after, Answer, WebError};
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::{Lang, Tr};
use crate::ui::failures::throttled_message;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::auth::NewSession;
use palett_app::AppError;

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
struct SignInPage {
    t: Tr,
    layout: PortalLayout,
    error: Option<String>,
    login: String,
}

#[derive(Template)]
#[template(path = "portal/invite.html")]
struct InvitePage {
    t: Tr,
    layout: PortalLayout,
    /// Her login name, once the code was accepted.
    login: Option<String>,
    code: String,
    errors: Vec<(String, String)>,
}

impl InvitePage {
    fn error_of(&self, field: &str) -> Option<&String> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }
}

fn sign_in_page(v: &Visitor, status: StatusCode, error: Option<String>, login: String) -> Response {
    let t = v.portal_tr();
    let pre = pre_session_value(v);
    let mut layout = PortalLayout::new(v, t.get("portal-sign-in-title"), "", "/portal/login");
    layout.csrf = pre.clone();
    let page = SignInPage {
        t,
        layout,
        error,
        login,
    };
    with_pre_session(v, pre, (status, render(page)).into_response())
}

pub async fn login_form(v: Visitor) -> Answer {
    if v.in_portal() {
        return Ok(Redirect::to("/portal").into_response());
    }
    Ok(sign_in_page(&v, StatusCode::OK, None, String::new()))
}

/// Signed in: on to `to` with her session cookie.
fn signed_in(v: &Visitor, session: NewSession, to: &str) -> Response {
    with_her_session(v, session, Redirect::to(to).into_response())
}

/// `resp` with her new session's cookie, the sign-in form's value gone.
pub(super) fn with_her_session(v: &Visitor, session: NewSession, resp: Response) -> Response {
    with_cookies(
        resp,
        [
            site_cookie(
                portal_cookie_name(v.secure),
                session.cookie_value,
                session.max_age_secs,
                v.secure,
                true,
            ),
            site_cookie(PRE_SESSION_COOKIE, String::new(), 0, v.secure, true),
        ],
    )
}

pub async fn login(State(s): State<AppState>, v: Visitor, form: FormData) -> Answer {
    let t = v.portal_tr();
    let login = form.get("login").trim().to_string();
    Ok(
        match s
            .app
            .portal_sign_in(&login, &form.get("password"), &v.ip)
            .await
        {
            Ok(session) => signed_in(&v, session, "/portal"),
            Err(AppError::Throttled { retry_after_secs }) => with_retry_after(
                sign_in_page(
                    &v,
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(throttled_message(t, retry_after_secs)),
                    login,
                ),
                Some(retry_after_secs),
            ),
            Err(AppError::Unauthenticated) => sign_in_page(
                &v,
                StatusCode::UNAUTHORIZED,
                Some(t.get("portal-sign-in-failed")),
                login,
            ),
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn logout(State(s): State<AppState>, p: InPortal) -> Answer {
    s.app.portal_sign_out(&p.cookie, &p.her, p.ip()).await?;
    Ok(with_cookies(
        Redirect::to("/portal/login").into_response(),
        [site_cookie(
            portal_cookie_name(p.visitor.secure),
            String::new(),
            0,
            p.visitor.secure,
            true,
        )],
    ))
}

fn invite_page(
    v: &Visitor,
    status: StatusCode,
    login: Option<String>,
    code: String,
    errors: Vec<(String, String)>,
) -> Response {
    let t = v.portal_tr();
    let pre = pre_session_value(v);
    let mut layout = PortalLayout::new(v, t.get("portal-invite-title"), "", "/portal/invite");
    layout.csrf = pre.clone();
    let page = InvitePage {
        t,
        layout,
        login,
        code,
        errors,
    };
    with_pre_session(v, pre, (status, render(page)).into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct CodeQuery {
    code: Option<String>,
}

/// The code form, filled in when she came from the invitation's QR code.
pub async fn invite_form(v: Visitor, Query(q): Query<CodeQuery>) -> Answer {
    let code = palett_app::portal::normalise_code(q.code.as_deref().unwrap_or(""));
    Ok(invite_page(&v, StatusCode::OK, None, code, Vec::new()))
}

/// The code first (is it an open invitation?), then her new password.
pub async fn invite(State(s): State<AppState>, v: Visitor, form: FormData) -> Answer {
    let t = v.portal_tr();
    let code = form.get("code").trim().to_string();
    let messages = |e: &palett_domain::FieldErrors| -> Vec<(String, String)> {
        e.0.iter()
            .map(|f| (f.field.clone(), t.field_message(f)))
            .collect()
    };
    let login = match s.app.check_portal_code(&code, &v.ip).await {
        Ok(login) => login,
        Err(AppError::Invalid(e)) => {
            return Ok(invite_page(
                &v,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                code,
                messages(&e),
            ))
        }
        Err(AppError::Throttled { retry_after_secs }) => {
            let errors = vec![("code".into(), throttled_message(t, retry_after_secs))];
            return Ok(with_retry_after(
                invite_page(&v, StatusCode::TOO_MANY_REQUESTS, None, code, errors),
                Some(retry_after_secs),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if form.get("step") != "password" {
        return Ok(invite_page(
            &v,
            StatusCode::OK,
            Some(login),
            code,
            Vec::new(),
        ));
    }
    match s
        .app
        .set_up_portal_password(
            &code,
            &form.get("password"),
            &form.get("password_again"),
            &v.ip,
        )
        .await
    {
        Ok(session) => Ok(signed_in(&v, session, "/portal?done=welcome")),
        Err(AppError::Invalid(e)) => Ok(invite_page(
            &v,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(login),
            code,
            messages(&e),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Her language: kept in a cookie, and in her account when signed in.
pub async fn set_lang(
    State(s): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<BackQuery>,
) -> Answer {
    let lang = Lang::parse(&code).ok_or_else(WebError::not_found)?;
    if let (true, Some((her, _))) = (v.in_portal(), &v.her) {
        s.app.set_portal_language(her, &v.ip, lang.code()).await?;
    }
    let back = safe_next(q.back.as_deref().unwrap_or("/portal"));
    let back = if back.starts_with("/portal") {
        back
    } else {
        "/portal".into()
    };
    Ok(with_cookies(
        Redirect::to(&back).into_response(),
        [site_cookie(
            LANG_COOKIE,
            lang.code().to_string(),
            31_536_000,
            v.secure,
            false,
        )],
    ))
}
