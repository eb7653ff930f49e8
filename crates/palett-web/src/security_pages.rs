//! The second factor: setting it up, turning it off, and (administrators)
//! requiring it in the partnership.

use crate::caller::Caller;
use crate::forms::FormData;
use crate::pages::app_error;
use crate::views::{Layout, TablePage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::totp::SecondFactor;
use palett_app::AppError;

use crate::views::escape;

/// The code field, with its error when there is one.
fn code_field(t: crate::i18n::Tr, id: &str, error: Option<&str>) -> String {
    let (invalid, described, message) = match error {
        Some(e) => (
            " aria-invalid=\"true\"",
            format!(" aria-describedby=\"{id}-error\""),
            format!(
                "<p class=\"error\" id=\"{id}-error\">{}</p>",
                escape(&t.get(e))
            ),
        ),
        None => ("", String::new(), String::new()),
    };
    format!(
        "<div class=\"field{}\"><label for=\"{id}\">{}</label>{message}\
         <input type=\"text\" id=\"{id}\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
         maxlength=\"8\" required{invalid}{described}></div>",
        if error.is_some() { " has-error" } else { "" },
        escape(&t.get("field-second-factor-code")),
    )
}

/// Her password, asked again before she turns the second factor on or off.
fn password_field(t: crate::i18n::Tr, error: Option<&str>) -> String {
    let (invalid, described, message) = match error {
        Some(e) => (
            " aria-invalid=\"true\"",
            " aria-describedby=\"password-error\"",
            format!(
                "<p class=\"error\" id=\"password-error\">{}</p>",
                escape(&t.get(e))
            ),
        ),
        None => ("", "", String::new()),
    };
    format!(
        "<div class=\"field{}\"><label for=\"password\">{}</label>{message}\
         <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" \
         required{invalid}{described}></div>",
        if error.is_some() { " has-error" } else { "" },
        escape(&t.get("field-password-again")),
    )
}

async fn page(
    s: &AppState,
    c: &Caller,
    status: StatusCode,
    errors: &palett_domain::FieldErrors,
) -> Response {
    let error = errors.for_field("code");
    let t = c.tr();
    let ctx = c.ctx();
    let state = match s.app.second_factor(&ctx).await {
        Ok(x) => x,
        Err(e) => return app_error(c, e),
    };
    let required = c.signed.second_factor_required;
    let csrf = escape(&c.signed.csrf_token.clone().unwrap_or_default());
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            c,
            t.get("second-factor-title"),
            "",
            "/account/second-factor",
        ),
    );
    let mut html = String::new();
    if c.signed.must_set_up_second_factor() {
        html.push_str(&format!(
            "<p class=\"error-summary\" role=\"alert\">{}</p>",
            escape(&t.get("second-factor-must"))
        ));
    }
    match state {
        SecondFactor::On => {
            p.intro = Some(t.get("second-factor-on"));
            if !(required && c.signed.actor.reads_sensitive_data()) {
                html.push_str(&format!(
                    "<form method=\"post\" action=\"/account/second-factor\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
                     <input type=\"hidden\" name=\"action\" value=\"disable\">{}{}<button type=\"submit\" class=\"secondary\">{}</button></form>",
                    password_field(t, errors.for_field("password")),
                    code_field(t, "code", error),
                    escape(&t.get("second-factor-disable")),
                ));
            }
        }
        SecondFactor::Setup { secret, uri } => {
            p.intro = Some(t.get("second-factor-intro"));
            let grouped: Vec<String> = secret
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).to_string())
                .collect();
            html.push_str(&format!(
                "<ol><li>{}</li><li>{}<br><code class=\"secret\">{}</code></li><li>{}</li></ol>\
                 <p class=\"hint\">{} <code>{}</code></p>\
                 <form method=\"post\" action=\"/account/second-factor\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
                 <input type=\"hidden\" name=\"action\" value=\"enable\">{}{}<button type=\"submit\">{}</button></form>",
                escape(&t.get("second-factor-step-app")),
                escape(&t.get("second-factor-step-key")),
                escape(&grouped.join(" ")),
                escape(&t.get("second-factor-step-code")),
                escape(&t.get("second-factor-uri")),
                escape(&uri),
                password_field(t, errors.for_field("password")),
                code_field(t, "code", error),
                escape(&t.get("second-factor-enable")),
            ));
        }
    }
    if c.signed.actor.can_administer() {
        html.push_str(&format!(
            "<h2>{}</h2><p>{}</p><form method=\"post\" action=\"/account/second-factor\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
             <input type=\"hidden\" name=\"action\" value=\"require\"><input type=\"hidden\" name=\"required\" value=\"{}\">\
             <button type=\"submit\" class=\"secondary\">{}</button></form>",
            escape(&t.get("second-factor-policy")),
            escape(&t.get(if required {
                "second-factor-policy-on"
            } else {
                "second-factor-policy-off"
            })),
            !required,
            escape(&t.get(if required {
                "second-factor-policy-lift"
            } else {
                "second-factor-policy-set"
            })),
        ));
    }
    p.notice = Some(html);
    (status, crate::pages::render(p)).into_response()
}

pub async fn show(State(s): State<AppState>, c: Caller) -> Response {
    page(&s, &c, StatusCode::OK, &palett_domain::FieldErrors::new()).await
}

pub async fn change(State(s): State<AppState>, c: Caller, f: FormData) -> Response {
    let ctx = c.ctx();
    let result = match f.get("action").as_str() {
        "enable" => {
            s.app
                .enable_second_factor(&ctx, &f.get("password"), &f.get("code"))
                .await
        }
        "disable" => {
            s.app
                .disable_second_factor(&ctx, &f.get("password"), &f.get("code"))
                .await
        }
        "require" => {
            s.app
                .set_require_second_factor(&ctx, f.get("required") == "true")
                .await
        }
        _ => Err(palett_domain::FieldErrors::single("action", "error-choice").into()),
    };
    match result {
        Ok(()) => Redirect::to("/account/second-factor").into_response(),
        Err(AppError::Invalid(mut e)) => {
            if e.for_field("code").is_none() && e.for_field("password").is_none() {
                e.push("code", "error-invalid");
            }
            page(&s, &c, StatusCode::UNPROCESSABLE_ENTITY, &e).await
        }
        Err(e) => app_error(&c, e),
    }
}

// ------------------------------------------------------------ passwords

/// A password input with its label and error.
fn secret_field(
    t: crate::i18n::Tr,
    name: &str,
    label: &str,
    autocomplete: &str,
    errors: &palett_domain::FieldErrors,
) -> String {
    let error = errors.for_field(name);
    let (invalid, described, message) = match error {
        Some(e) => (
            " aria-invalid=\"true\"".to_string(),
            format!(" aria-describedby=\"{name}-error\""),
            format!(
                "<p class=\"error\" id=\"{name}-error\">{}</p>",
                escape(&t.get(e))
            ),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    format!(
        "<div class=\"field{}\"><label for=\"{name}\">{}</label>{message}\
         <input type=\"password\" id=\"{name}\" name=\"{name}\" autocomplete=\"{autocomplete}\" \
         required{invalid}{described}></div>",
        if error.is_some() { " has-error" } else { "" },
        escape(&t.get(label)),
    )
}

fn password_page(c: &Caller, status: StatusCode, errors: &palett_domain::FieldErrors) -> Response {
    let t = c.tr();
    let csrf = escape(&c.signed.csrf_token.clone().unwrap_or_default());
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("password-change-title"), "", "/account/password"),
    );
    p.intro = Some(t.get("password-change-intro"));
    let mut html = String::new();
    if c.signed.user.must_change_password {
        html.push_str(&format!(
            "<p class=\"error-summary\" role=\"alert\">{}</p>",
            escape(&t.get("password-change-must"))
        ));
    }
    html.push_str(&format!(
        "<form method=\"post\" action=\"/account/password\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
         {}{}{}<p class=\"hint\">{}</p><button type=\"submit\">{}</button></form>",
        secret_field(t, "password", "field-current-password", "current-password", errors),
        secret_field(t, "new_password", "field-new-password", "new-password", errors),
        secret_field(t, "new_password_again", "field-new-password-again", "new-password", errors),
        escape(&t.get("hint-password-strong")),
        escape(&t.get("password-change-submit")),
    ));
    p.notice = Some(html);
    (status, crate::pages::render(p)).into_response()
}

pub async fn password_form(c: Caller) -> Response {
    password_page(&c, StatusCode::OK, &palett_domain::FieldErrors::new())
}

/// Change her own password; then on to the start page.
pub async fn password_change(State(s): State<AppState>, c: Caller, f: FormData) -> Response {
    if f.get("new_password") != f.get("new_password_again") {
        let e = palett_domain::FieldErrors::single("new_password_again", "error-password-mismatch");
        return password_page(&c, StatusCode::UNPROCESSABLE_ENTITY, &e);
    }
    match s
        .app
        .change_password(&c.ctx(), &f.get("password"), &f.get("new_password"))
        .await
    {
        Ok(()) => Redirect::to("/").into_response(),
        Err(AppError::Invalid(e)) => password_page(&c, StatusCode::UNPROCESSABLE_ENTITY, &e),
        Err(e) => app_error(&c, e),
    }
}

fn reset_page(
    c: &Caller,
    uid: i64,
    status: StatusCode,
    errors: &palett_domain::FieldErrors,
) -> Response {
    let t = c.tr();
    let csrf = escape(&c.signed.csrf_token.clone().unwrap_or_default());
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("password-reset-title"), "admin", "/admin/users"),
    );
    p.intro = Some(t.get("password-reset-intro"));
    p.notice = Some(format!(
        "<form method=\"post\" action=\"/admin/users/{uid}/password\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
         {}<p class=\"hint\">{}</p><button type=\"submit\">{}</button></form>",
        secret_field(t, "password", "field-new-password", "new-password", errors),
        escape(&t.get("hint-password-strong")),
        escape(&t.get("password-reset-submit")),
    ));
    (status, crate::pages::render(p)).into_response()
}

pub async fn reset_form(c: Caller, Path(id): Path<String>) -> Response {
    match id.parse::<i64>() {
        Ok(uid) if c.signed.actor.can_administer() => {
            reset_page(&c, uid, StatusCode::OK, &palett_domain::FieldErrors::new())
        }
        Ok(_) => app_error(&c, AppError::Forbidden),
        Err(_) => app_error(&c, AppError::NotFound),
    }
}

/// An administrator sets a password for a user, who must then change it.
pub async fn reset(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    f: FormData,
) -> Response {
    let Ok(uid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .reset_password(&c.ctx(), uid, &f.get("password"))
        .await
    {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(e)) => reset_page(&c, uid, StatusCode::UNPROCESSABLE_ENTITY, &e),
        Err(e) => app_error(&c, e),
    }
}

// ------------------------------------------------------------ role approvals

/// Approve or reject a pending role grant (another administrator).
pub async fn decide_role(
    State(s): State<AppState>,
    c: Caller,
    Path((id, decision)): Path<(String, String)>,
) -> Response {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return app_error(&c, AppError::NotFound),
    };
    let Ok(rid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.decide_role_request(&c.ctx(), rid, approve).await {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(e)) => {
            let t = c.tr();
            let mut p = TablePage::new(
                t,
                Layout::for_caller(&c, t.get("role-requests"), "admin", "/admin/users"),
            );
            p.notice = Some(format!(
                "<p class=\"error-summary\" role=\"alert\">{}</p><p><a href=\"/admin/users\">{}</a></p>",
                escape(&t.get(e.for_field("request").unwrap_or("error-invalid"))),
                escape(&t.get("nav-admin")),
            ));
            (StatusCode::UNPROCESSABLE_ENTITY, crate::pages::render(p)).into_response()
        }
        Err(e) => app_error(&c, e),
    }
}
