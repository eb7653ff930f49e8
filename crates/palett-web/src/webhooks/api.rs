//! Webhooks in the API (administrators).

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::webhooks::{WebhookDelivery, WebhookEndpoint};
use palett_domain::webhook::EndpointInput;

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A webhook endpoint (its secret is shown only when it is created).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WebhookDto {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    /// Event kinds: participant_registered, participant_enrolled,
    /// participant_exited, enrolment_changed, referral_changed,
    /// consent_withdrawn.
    pub kinds: Vec<String>,
    pub active: bool,
    /// RFC 3339.
    pub created_at: String,
    pub delivered: i64,
    pub pending: i64,
    pub failed: i64,
}

impl From<&WebhookEndpoint> for WebhookDto {
    fn from(e: &WebhookEndpoint) -> Self {
        Self {
            id: e.id,
            url: e.url.clone(),
            description: e.description.clone(),
            kinds: e.kinds.iter().map(|k| k.as_str().into()).collect(),
            active: e.active,
            created_at: rfc3339(e.created_at),
            delivered: e.delivered,
            pending: e.pending,
            failed: e.failed,
        }
    }
}

/// One delivery: the event (kind and the id of what it is about) and
/// where it stands.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryDto {
    pub id: i64,
    pub kind: String,
    pub subject_id: i64,
    /// RFC 3339.
    pub occurred_at: String,
    /// pending, delivered or failed (given up).
    pub status: String,
    pub attempts: i64,
    /// When it is tried next (pending only), RFC 3339.
    pub next_attempt_at: Option<String>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
}

impl From<&WebhookDelivery> for DeliveryDto {
    fn from(d: &WebhookDelivery) -> Self {
        Self {
            id: d.id,
            kind: d.kind.as_str().into(),
            subject_id: d.subject_id,
            occurred_at: rfc3339(d.occurred_at),
            status: d.status.as_str().into(),
            attempts: d.attempts,
            next_attempt_at: (d.status == palett_domain::webhook::DeliveryStatus::Pending)
                .then(|| rfc3339(d.next_attempt_at)),
            last_status_code: d.last_status_code,
            last_error: d.last_error.clone(),
            delivered_at: d.delivered_at.map(rfc3339),
        }
    }
}

/// An endpoint and its latest deliveries, newest first.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WebhookDetail {
    pub webhook: WebhookDto,
    pub deliveries: Vec<DeliveryDto>,
}

/// A new endpoint and its signing secret, shown this once.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    pub id: i64,
    /// Signs every delivery: `Palett-Signature: t=<unix>,v1=<hex
    /// HMAC-SHA256 over "<t>.<body>">`.
    pub secret: String,
}

const ENDPOINT_FIELDS: Spec = &[
    ("url", T::Text),
    ("kinds", T::Texts),
    ("description", T::Text),
];

json_body!(
    /// An endpoint: an https URL, the event kinds it receives (at least
    /// one) and an optional description.
    NewWebhook = ENDPOINT_FIELDS
);

/// The partnership's webhook endpoints (administrators)
#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookDto>), (status = 403)))]
pub async fn list(State(s): State<AppState>, c: Caller) -> Answer<Json<Vec<WebhookDto>>> {
    let list = s.app.webhooks(&c.ctx()).await?;
    Ok(Json(list.iter().map(WebhookDto::from).collect()))
}

/// Register an endpoint; the answer holds its secret, this once
#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = CreatedWebhook), (status = 422), (status = 403)))]
pub async fn create(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewWebhook::spec())?;
    let hook = s
        .app
        .create_webhook(&c.ctx(), &f.input::<EndpointInput>())
        .await?;
    Ok(crate::http::idempotency::secret_once(
        (
            StatusCode::CREATED,
            [(
                axum::http::header::LOCATION,
                format!("/api/v1/webhooks/{}", hook.id),
            )],
            Json(CreatedWebhook {
                id: hook.id,
                secret: hook.secret,
            }),
        )
            .into_response(),
    ))
}

/// An endpoint and its latest deliveries with their status
#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = WebhookDetail), (status = 404)))]
pub async fn show(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer<Json<WebhookDetail>> {
    let (e, d) = s.app.webhook(&c.ctx(), id).await?;
    Ok(Json(WebhookDetail {
        webhook: WebhookDto::from(&e),
        deliveries: d.iter().map(DeliveryDto::from).collect(),
    }))
}

/// Deactivate an endpoint: no new deliveries; those waiting are given up
#[utoipa::path(post, path = "/webhooks/{id}/deactivate", tag = "webhooks",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
pub async fn deactivate(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.deactivate_webhook(&c.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Try a waiting or given-up delivery again now
#[utoipa::path(post, path = "/webhooks/deliveries/{id}/retry", tag = "webhooks",
    params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 422)))]
pub async fn retry(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.retry_webhook_delivery(&c.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
