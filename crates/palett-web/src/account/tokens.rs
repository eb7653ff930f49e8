use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, local_time, render, FormSpec};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use palett_app::auth::TokenInput;
use palett_domain::token::DEFAULT_DAYS;
use palett_domain::FieldErrors;

// ---------------------------------------------------------------- tokens

pub(crate) async fn tokens_page(
    s: &AppState,
    c: &Caller,
    blocks: Vec<Block>,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    let list = s.app.tokens(&c.ctx()).await?;
    let when = |secs: Option<i64>| {
        secs.and_then(|s| jiff::Timestamp::from_second(s).ok())
            .map(local_time)
            .unwrap_or_else(|| "–".into())
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("nav-tokens"), "tokens", "/tokens"),
    );
    p.intro = Some(t.get("tokens-intro"));
    p.links
        .push(("/tokens/new".into(), t.get("token-new-limited")));
    p.blocks = blocks;
    let now = s.app.now();
    p.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-created"),
            t.get("field-last-used"),
            t.get("token-access"),
            t.get("token-areas"),
            t.get("token-expires"),
            t.get("field-status"),
            t.get("actions"),
        ],
        rows: list
            .into_iter()
            .map(|k| {
                let live = k.revoked_at.is_none() && now < k.expires_at;
                vec![
                    Cell::text(k.name),
                    Cell::text(when(Some(k.created_at))),
                    Cell::text(when(k.last_used_at)),
                    Cell::text(t.get(if k.read_only {
                        "token-read-only"
                    } else {
                        "token-read-write"
                    })),
                    Cell::text(if k.areas.is_empty() {
                        t.get("token-all-areas")
                    } else {
                        k.areas.join(", ")
                    }),
                    Cell::text(when(Some(k.expires_at))),
                    Cell::text(if k.revoked_at.is_some() {
                        t.get("token-revoked")
                    } else if !live {
                        t.get("token-expired")
                    } else {
                        t.get("token-active")
                    }),
                    if k.revoked_at.is_none() {
                        Cell::button(t.get("token-revoke"), format!("/tokens/{}/revoke", k.id))
                    } else {
                        Cell::text("")
                    },
                ]
            })
            .collect(),
    });
    let mut resp = render(p);
    if !errors.is_empty() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The form that creates a token, its name's error with it.
pub(crate) fn token_form(t: Tr, errors: &FieldErrors) -> Block {
    Block::Form(FormBlock {
        action: "/tokens".into(),
        inputs: vec![Input::new("name", t.get("field-token-name"), "text").error(t, errors)],
        submit: t.get("token-create"),
        ..FormBlock::default()
    })
}

pub async fn tokens(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let none = FieldErrors::new();
    tokens_page(&s, &c, vec![token_form(t, &none)], &none).await
}

/// The form of a token with its limits: read-only, areas, days.
pub(crate) fn limited_spec(t: Tr) -> FormSpec {
    let areas = crate::http::scope::installed()
        .names()
        .iter()
        .map(|a| (a.clone(), a.clone()))
        .collect();
    let fields = vec![
        FieldView::new(t, "name", "field-token-name", "text").required(),
        FieldView::new(t, "days", "token-days", "number").hint(t, "hint-token-days"),
        FieldView::new(t, "read_only", "token-read-only-choice", "checkbox"),
        FieldView::new(t, "areas", "token-areas", "multi")
            .hint(t, "hint-token-areas")
            .options(areas),
    ];
    let mut spec = admin_spec(
        t,
        t.get("token-new-limited"),
        "tokens",
        "/tokens/new".into(),
        fields,
        "/tokens",
    );
    spec.submit = t.get("token-create");
    spec
}

pub async fn token_new(c: Caller) -> Answer {
    let t = c.tr();
    let defaults = FormData(vec![("days".into(), DEFAULT_DAYS.to_string())]);
    Ok(limited_spec(t).blank(&c, &defaults))
}

/// The new token's secret, shown this once on the list of tokens.
async fn created(s: &AppState, c: &Caller, secret: String) -> Answer {
    let t = c.tr();
    let shown = vec![Block::Text(t.get("token-created")), Block::Code(secret)];
    let mut resp = tokens_page(s, c, shown, &FieldErrors::new()).await?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Create the caller's token within the API's areas and her own token's
/// limits: the token and its secret, or what is wrong with the input.
async fn create(
    s: &AppState,
    c: &Caller,
    input: &TokenInput,
) -> Answer<Result<(palett_app::auth::TokenRow, String), palett_domain::FieldErrors>> {
    s.app
        .create_token(
            &c.ctx(),
            input,
            crate::http::scope::installed().names(),
            c.token_limit(),
        )
        .await
        .or_invalid()
}

/// A token from the full form, with its limits.
pub async fn token_create_limited(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    match create(&s, &c, &form.input::<TokenInput>()).await? {
        Ok((_, secret)) => created(&s, &c, secret).await,
        Err(errors) => Ok(limited_spec(c.tr()).invalid(&c, &form, &errors)),
    }
}

/// A token from the list's short form: its name only (every area, read
/// and change, [`DEFAULT_DAYS`]).
pub async fn token_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let t = c.tr();
    let input = TokenInput {
        name: form.get("name"),
        ..TokenInput::default()
    };
    match create(&s, &c, &input).await? {
        Ok((_, secret)) => created(&s, &c, secret).await,
        Err(errors) => {
            let blocks = vec![
                Block::Errors(vec![t.get("error-token-name")]),
                token_form(t, &errors),
            ];
            tokens_page(&s, &c, blocks, &errors).await
        }
    }
}

/// Revoke an API key once confirmed on the page that says what it means;
/// unconfirmed, that page (nothing changes).
pub async fn token_revoke(State(s): State<AppState>, c: Caller, Id(id): Id, f: FormData) -> Answer {
    if !f.confirmed() {
        let t = c.tr();
        let name = s
            .app
            .tokens(&c.ctx())
            .await?
            .into_iter()
            .find(|k| k.id == id && k.revoked_at.is_none())
            .map(|k| k.name)
            .ok_or(palett_app::AppError::NotFound)?;
        return Ok(crate::ui::confirm_spec(
            t.get("token-revoke"),
            "tokens",
            format!("/tokens/{id}/revoke"),
            (
                t.with("confirm-token-revoke", &[("name", name)]),
                t.get("token-revoke"),
            ),
            "/tokens",
        )
        .blank(&c, &f));
    }
    s.app.revoke_token(&c.ctx(), id).await?;
    Ok(Redirect::to("/tokens?done=token-revoked").into_response())
}
