use crate::http::caller::{
    session_cookie_name, site_cookie, Caller, Visitor, LANG_COOKIE, PRE_SESSION_COOKIE,
};
use crate::http::error::status_of;
use crate::http::error::with_retry_after;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::Lang;
use crate::i18n::Tr;
use crate::ui::failures::throttled_message;
use crate::ui::views::*;
use crate::ui::{error_page, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use palett_app::AppError;

/// The response with these cookies set on it.
pub(crate) fn with_cookies(
    resp: Response,
    cookies: impl IntoIterator<Item = Cookie<'static>>,
) -> Response {
    let jar = cookies.into_iter().fold(CookieJar::new(), CookieJar::add);
    (jar, resp).into_response()
}

// ---------------------------------------------------------------- sign-in

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    pub(crate) next: Option<String>,
}

pub(crate) fn safe_next(n: &str) -> String {
    // Only our own paths: ids, letters, digits, '/', '-' and '_'. Anything
    // else (tabs, backslashes, '//' …) could lead a browser elsewhere.
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && n.len() <= 200
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-' || b == b'_');
    if ok {
        n.to_string()
    } else {
        "/".to_string()
    }
}

pub(crate) fn login_page(
    v: &Visitor,
    status: StatusCode,
    error: Option<String>,
    email: String,
    next: String,
) -> Response {
    let pre = pre_session_value(v);
    let t = v.tr();
    let page = LoginPage {
        t,
        layout: Layout::for_visitor(v, t.get("sign-in-title"), "/login", pre.clone()),
        error,
        email,
        next,
    };
    with_pre_session(v, pre, (status, render(page)).into_response())
}

/// The double-submit value of a sign-in form (staff or portal): the
/// visitor's pre-session cookie, or a new one.
pub(crate) fn pre_session_value(v: &Visitor) -> String {
    v.pre_session
        .clone()
        .filter(|p| p.len() == 64)
        .or_else(|| palett_app::auth::random_token().ok())
        .unwrap_or_default()
}

/// A sign-in form's answer with its pre-session cookie (for an hour).
pub(crate) fn with_pre_session(v: &Visitor, pre: String, resp: Response) -> Response {
    with_cookies(
        resp,
        [site_cookie(PRE_SESSION_COOKIE, pre, 3600, v.secure, true)],
    )
}

pub async fn login_form(v: Visitor, Query(q): Query<NextQuery>) -> Answer {
    if v.signed.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(login_page(
        &v,
        StatusCode::OK,
        None,
        String::new(),
        safe_next(q.next.as_deref().unwrap_or("/")),
    ))
}

pub async fn login(State(s): State<AppState>, v: Visitor, form: FormData) -> Answer {
    let t = v.tr();
    let email = form.get("email");
    let next = safe_next(&form.get("next"));
    Ok(
        match s
            .app
            .sign_in_with_code(&email, &form.get("password"), &form.get("code"), &v.ip)
            .await
        {
            Ok(session) => with_cookies(
                Redirect::to(&next).into_response(),
                [
                    site_cookie(
                        session_cookie_name(v.secure),
                        session.cookie_value,
                        session.max_age_secs,
                        v.secure,
                        true,
                    ),
                    site_cookie(PRE_SESSION_COOKIE, String::new(), 0, v.secure, true),
                ],
            ),
            Err(AppError::Throttled { retry_after_secs }) => with_retry_after(
                login_page(
                    &v,
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(throttled_message(t, retry_after_secs)),
                    email,
                    next,
                ),
                Some(retry_after_secs),
            ),
            Err(AppError::Unauthenticated) => login_page(
                &v,
                StatusCode::UNAUTHORIZED,
                Some(t.get("error-sign-in")),
                email,
                next,
            ),
            Err(AppError::SecondFactorNeeded) => login_page(
                &v,
                StatusCode::UNAUTHORIZED,
                Some(t.get("error-second-factor-sign-in")),
                email,
                next,
            ),
            Err(e) => {
                let (status, id) = status_of(&e);
                error_page(t, status, id)
            }
        },
    )
}

pub async fn logout(State(s): State<AppState>, c: Caller) -> Answer {
    if let crate::http::caller::Via::Session(value) = &c.via {
        s.app.sign_out(value, &c.signed, &c.visitor.ip).await?;
    }
    let secure = c.visitor.secure;
    Ok(with_cookies(
        Redirect::to("/login").into_response(),
        [site_cookie(
            session_cookie_name(secure),
            String::new(),
            0,
            secure,
            true,
        )],
    ))
}

#[derive(serde::Deserialize)]
pub struct BackQuery {
    pub(crate) back: Option<String>,
}

pub async fn set_lang(v: Visitor, Path(code): Path<String>, Query(q): Query<BackQuery>) -> Answer {
    let lang = Lang::parse(&code).unwrap_or(Lang::Sv);
    // Not HttpOnly: only a language, nothing to protect from scripts.
    Ok(with_cookies(
        Redirect::to(&safe_next(q.back.as_deref().unwrap_or("/"))).into_response(),
        [site_cookie(
            LANG_COOKIE,
            lang.code().to_string(),
            31_536_000,
            v.secure,
            false,
        )],
    ))
}

pub async fn not_found(v: Visitor) -> Answer {
    if v.is_api {
        return Err(WebError::not_found());
    }
    Ok(error_page(v.tr(), StatusCode::NOT_FOUND, "error-not-found"))
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub t: Tr,
    pub layout: Layout,
    pub error: Option<String>,
    pub email: String,
    pub next: String,
}
