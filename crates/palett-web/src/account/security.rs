use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::ui::views::{Block, FormBlock, Input};
use crate::ui::views::{Layout, TablePage};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::totp::SecondFactor;
use palett_app::AppError;

/// The one-time code input.
pub(crate) fn code_input(t: crate::i18n::Tr, errors: &palett_domain::FieldErrors) -> Input {
    Input {
        autocomplete: Some("one-time-code"),
        numeric: true,
        maxlength: Some(8),
        ..Input::new("code", t.get("field-second-factor-code"), "text").error(t, errors)
    }
}

/// Her password, asked again before she turns the second factor on or off.
pub(crate) fn password_input(t: crate::i18n::Tr, errors: &palett_domain::FieldErrors) -> Input {
    Input {
        autocomplete: Some("current-password"),
        ..Input::new("password", t.get("field-password-again"), "password").error(t, errors)
    }
}

pub(crate) async fn page(
    s: &AppState,
    c: &Caller,
    status: StatusCode,
    errors: &palett_domain::FieldErrors,
) -> Answer {
    let t = c.tr();
    let ctx = c.ctx();
    let state = s.app.second_factor(&ctx).await?;
    let required = c.signed.second_factor_required;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            c,
            t.get("second-factor-title"),
            "",
            "/account/second-factor",
        ),
    );
    if c.signed.must_set_up_second_factor() {
        p.blocks.push(Block::Alert(t.get("second-factor-must")));
    }
    match state {
        SecondFactor::On => {
            p.intro = Some(t.get("second-factor-on"));
            if !(required && c.signed.actor.reads_sensitive_data()) {
                p.blocks.push(Block::Form(FormBlock {
                    action: "/account/second-factor".into(),
                    hidden: vec![("action".into(), "disable".into())],
                    inputs: vec![password_input(t, errors), code_input(t, errors)],
                    submit: t.get("second-factor-disable"),
                    secondary: true,
                    ..FormBlock::default()
                }));
            }
        }
        SecondFactor::Setup { secret, uri } => {
            p.intro = Some(t.get("second-factor-intro"));
            let grouped: Vec<String> = secret
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).to_string())
                .collect();
            p.blocks.push(Block::Text(t.get("second-factor-step-scan")));
            if let Some(src) = crate::ui::qr::image(&uri) {
                p.blocks.push(Block::Image {
                    src,
                    alt: t.get("second-factor-qr-alt"),
                });
            }
            p.blocks.push(Block::Text(t.get("second-factor-or-key")));
            p.blocks.push(Block::Steps(vec![
                (t.get("second-factor-step-app"), None),
                (t.get("second-factor-step-key"), Some(grouped.join(" "))),
                (t.get("second-factor-step-code"), None),
            ]));
            p.blocks.push(Block::Text(t.get("second-factor-uri")));
            p.blocks.push(Block::Code(uri));
            p.blocks.push(Block::Form(FormBlock {
                action: "/account/second-factor".into(),
                hidden: vec![("action".into(), "enable".into())],
                inputs: vec![password_input(t, errors), code_input(t, errors)],
                submit: t.get("second-factor-enable"),
                ..FormBlock::default()
            }));
        }
    }
    if c.signed.actor.can_administer() {
        p.blocks.push(Block::Heading(t.get("second-factor-policy")));
        p.blocks.push(Block::Text(t.get(if required {
            "second-factor-policy-on"
        } else {
            "second-factor-policy-off"
        })));
        p.blocks.push(Block::Form(FormBlock {
            action: "/account/second-factor".into(),
            hidden: vec![
                ("action".into(), "require".into()),
                ("required".into(), (!required).to_string()),
            ],
            submit: t.get(if required {
                "second-factor-policy-lift"
            } else {
                "second-factor-policy-set"
            }),
            secondary: true,
            ..FormBlock::default()
        }));
    }
    Ok((status, crate::ui::render(p)).into_response())
}

pub async fn show(State(s): State<AppState>, c: Caller) -> Answer {
    page(&s, &c, StatusCode::OK, &palett_domain::FieldErrors::new()).await
}

pub async fn change(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
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
    Ok(match result {
        Ok(()) => Redirect::to("/account/second-factor").into_response(),
        Err(AppError::Invalid(mut e)) => {
            if e.for_field("code").is_none() && e.for_field("password").is_none() {
                e.push("code", "error-invalid");
            }
            page(&s, &c, StatusCode::UNPROCESSABLE_ENTITY, &e).await?
        }
        Err(e) => return Err(e.into()),
    })
}

// ------------------------------------------------------------ passwords

/// A password input with its label and error.
pub(crate) fn secret_input(
    t: crate::i18n::Tr,
    name: &str,
    label: &str,
    autocomplete: &'static str,
    errors: &palett_domain::FieldErrors,
) -> Input {
    Input {
        autocomplete: Some(autocomplete),
        ..Input::new(name, t.get(label), "password").error(t, errors)
    }
}

pub(crate) fn password_page(
    c: &Caller,
    status: StatusCode,
    errors: &palett_domain::FieldErrors,
) -> Response {
    let t = c.tr();
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("password-change-title"), "", "/account/password"),
    );
    p.intro = Some(t.get("password-change-intro"));
    if c.signed.user.must_change_password {
        p.blocks.push(Block::Alert(t.get("password-change-must")));
    }
    p.blocks.push(Block::Form(FormBlock {
        action: "/account/password".into(),
        inputs: vec![
            secret_input(
                t,
                "password",
                "field-current-password",
                "current-password",
                errors,
            ),
            secret_input(
                t,
                "new_password",
                "field-new-password",
                "new-password",
                errors,
            ),
            secret_input(
                t,
                "new_password_again",
                "field-new-password-again",
                "new-password",
                errors,
            ),
        ],
        hint: Some(t.get("hint-password-strong")),
        submit: t.get("password-change-submit"),
        ..FormBlock::default()
    }));
    (status, crate::ui::render(p)).into_response()
}

pub async fn password_form(c: Caller) -> Answer {
    Ok(password_page(
        &c,
        StatusCode::OK,
        &palett_domain::FieldErrors::new(),
    ))
}

/// Change her own password; then on to the start page.
pub async fn password_change(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    if f.get("new_password") != f.get("new_password_again") {
        let e = palett_domain::FieldErrors::single("new_password_again", "error-password-mismatch");
        return Ok(password_page(&c, StatusCode::UNPROCESSABLE_ENTITY, &e));
    }
    Ok(
        match s
            .app
            .change_password(&c.ctx(), &f.get("password"), &f.get("new_password"))
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to("/").into_response(),
            Err(e) => password_page(&c, StatusCode::UNPROCESSABLE_ENTITY, &e),
        },
    )
}
