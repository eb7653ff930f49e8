//! The caller's own API tokens in the API: list, create (the secret in the
//! answer, this once) and revoke. A token asked for with a token is no
//! wider than it and ends no later.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_app::auth::{TokenInput, TokenRow};
use serde::Serialize;
use utoipa::ToSchema;

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// One of the caller's API tokens (never its secret).
#[derive(Serialize, ToSchema)]
#[schema(as = ApiToken)]
pub struct TokenDto {
    pub id: i64,
    pub name: String,
    /// Only GET (any change answers 403).
    pub read_only: bool,
    /// The areas of the API it reaches (the document's tags, spaces as
    /// `_`); empty: every area.
    pub areas: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// When it stops working, RFC 3339.
    pub expires_at: String,
    pub revoked_at: Option<String>,
    /// Neither revoked nor ended.
    pub active: bool,
}

impl TokenDto {
    fn new(k: &TokenRow, now: i64) -> Self {
        Self {
            id: k.id,
            name: k.name.clone(),
            read_only: k.read_only,
            areas: k.areas.clone(),
            created_at: rfc3339(k.created_at),
            last_used_at: k.last_used_at.map(rfc3339),
            expires_at: rfc3339(k.expires_at),
            revoked_at: k.revoked_at.map(rfc3339),
            active: k.revoked_at.is_none() && now < k.expires_at,
        }
    }
}

/// The caller's tokens, newest first (not paginated: at most 200).
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenDto>,
    pub total: usize,
}

/// A new token: its record and its secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: TokenDto,
    /// `Authorization: Bearer <secret>`. Only its SHA-256 is kept.
    pub secret: String,
}

const TOKEN_FIELDS: Spec = &[
    ("name", T::Text),
    ("read_only", T::Boolean),
    ("areas", T::Texts),
    ("days", T::Integer),
];

json_body!(
    /// A token: its name; `read_only` (default false); `areas`, the areas
    /// of the API it is limited to (default: all); `days` it lasts (1 to
    /// 365, default 90).
    NewToken = TOKEN_FIELDS
);

/// The caller's API tokens
#[utoipa::path(get, path = "/tokens", tag = "tokens", responses((status = 200, body = TokenList)))]
pub async fn list_tokens(State(s): State<AppState>, c: Caller) -> Answer<Json<TokenList>> {
    let list = s.app.tokens(&c.ctx()).await?;
    let now = s.app.now();
    Ok(Json(TokenList {
        total: list.len(),
        items: list.iter().map(|k| TokenDto::new(k, now)).collect(),
    }))
}

/// Create a token for the caller; the answer holds its secret, this once
#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 422)))]
pub async fn create_token(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewToken::spec())?;
    let input = f.input::<TokenInput>();
    let known = crate::http::scope::installed().names();
    let (row, secret) = s
        .app
        .create_token(&c.ctx(), &input, known, c.token_limit())
        .await?;
    let resp = (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/tokens/{}", row.id))],
        Json(CreatedToken {
            token: TokenDto::new(&row, s.app.now()),
            secret,
        }),
    )
        .into_response();
    Ok(crate::http::idempotency::secret_once(resp))
}

/// One of the caller's tokens
#[utoipa::path(get, path = "/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 200, body = TokenDto), (status = 404)))]
pub async fn show_token(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<TokenDto>> {
    let now = s.app.now();
    s.app
        .tokens(&c.ctx())
        .await?
        .iter()
        .find(|k| k.id == id)
        .map(|k| Json(TokenDto::new(k, now)))
        .ok_or_else(crate::http::error::WebError::not_found)
}

/// Revoke one of the caller's tokens: it stops working at once
#[utoipa::path(post, path = "/tokens/{id}/revoke", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 404)))]
pub async fn revoke_token(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.revoke_token(&c.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
