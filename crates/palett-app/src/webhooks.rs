//! Webhooks: other systems told of events. An administrator
//! (`Actor::can_manage_webhooks`) registers an endpoint (its secret shown
//! once), lists, deactivates, sees deliveries and retries one now. The
//! use cases that change something write outbox rows in their own change
//! (`Change::emit`); [`App::deliver_webhooks`], run by `serve` every few
//! seconds, sends what is due, signed, and retries with backoff. The
//! worker's claims and attempts are bookkeeping: no user acts and no
//! record changes (palett itself, `Actor::system`, is the sender).

use crate::action::Action;
use crate::work::{bookkeeping, Change};
use crate::{App, AppError, Ctx, Result};
use palett_domain::webhook::{
    next_attempt, DeliveryStatus, EndpointInput, Payload, SIGNATURE_HEADER,
};
use palett_store::webhook::{self as store, Attempt, Delivery, Endpoint};
use std::time::Duration;

pub use palett_store::webhook::{Delivery as WebhookDelivery, Endpoint as WebhookEndpoint};

/// A newly registered endpoint and its secret, shown this once.
#[derive(Clone, Debug)]
pub struct NewWebhook {
    pub id: i64,
    pub secret: String,
}

/// How long one delivery may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is left alone by other workers.
const LEASE_SECS: i64 = 120;
/// Deliveries sent per run.
const BATCH: i64 = 50;
/// Deliveries listed per endpoint.
const LISTED: i64 = 100;

impl App {
    fn may_manage_webhooks(ctx: &Ctx) -> Result<()> {
        if ctx.actor.can_manage_webhooks() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Register an endpoint; its secret is returned this once (stored
    /// sealed, used to sign every delivery).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn create_webhook(&self, ctx: &Ctx, input: &EndpointInput) -> Result<NewWebhook> {
        Self::may_manage_webhooks(ctx)?;
        let spec = input.parse(self.config.webhooks_allow_local)?;
        let secret = format!("whsec_{}", crate::secret::random_token()?);
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let by = tx.by();
        let id = store::insert_endpoint(
            &mut tx,
            self.sealer(),
            ctx.actor.partnership_id,
            &spec,
            &secret,
            by,
            now,
        )
        .await?;
        tx.done(Action::WebhookCreate, "webhook", Some(id), None)
            .await?;
        Ok(NewWebhook { id, secret })
    }

    /// The partnership's endpoints with their deliveries' counts.
    pub async fn webhooks(&self, ctx: &Ctx) -> Result<Vec<Endpoint>> {
        Self::may_manage_webhooks(ctx)?;
        let mut c = self.db.read().await?;
        Ok(store::endpoints(&mut c, ctx.actor.partnership_id).await?)
    }

    /// One endpoint and its latest deliveries, newest first.
    pub async fn webhook(&self, ctx: &Ctx, id: i64) -> Result<(Endpoint, Vec<Delivery>)> {
        Self::may_manage_webhooks(ctx)?;
        let mut c = self.db.read().await?;
        let pid = ctx.actor.partnership_id;
        let e = store::endpoint_of(&mut c, pid, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let d = store::deliveries(&mut c, pid, id, LISTED).await?;
        Ok((e, d))
    }

    /// Deactivate an endpoint: no new deliveries, those waiting given up.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn deactivate_webhook(&self, ctx: &Ctx, id: i64) -> Result<()> {
        Self::may_manage_webhooks(ctx)?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let pid = ctx.actor.partnership_id;
        if store::endpoint_of(&mut tx, pid, id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        if !store::deactivate(&mut tx, pid, id, now).await? {
            return Ok(());
        }
        tx.done(Action::WebhookDeactivate, "webhook", Some(id), None)
            .await
    }

    /// Make a waiting or given-up delivery due now; returns its endpoint.
    /// A delivered one, or one of an inactive endpoint, is refused.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn retry_webhook_delivery(&self, ctx: &Ctx, delivery_id: i64) -> Result<i64> {
        Self::may_manage_webhooks(ctx)?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let pid = ctx.actor.partnership_id;
        let d = store::delivery_of(&mut tx, pid, delivery_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::retry_now(&mut tx, pid, delivery_id, now).await? {
            return Err(palett_domain::FieldErrors::single(
                "delivery",
                "error-webhook-not-retryable",
            )
            .into());
        }
        tx.done(
            Action::WebhookRetry,
            "webhook_delivery",
            Some(delivery_id),
            None,
        )
        .await?;
        Ok(d.endpoint_id)
    }

    /// Send the deliveries due now, each signed with its endpoint's secret;
    /// a failure (no answer, or a status other than 2xx) waits by the
    /// backoff schedule, and after the last attempt is given up. Returns
    /// how many were delivered.
    pub async fn deliver_webhooks(&self) -> Result<usize> {
        let due = {
            let mut c = self.db.read().await?;
            store::due(&mut c, self.sealer(), self.now(), BATCH).await?
        };
        let mut delivered = 0;
        for d in due {
            let mut tx = bookkeeping(self).await?;
            let claimed = store::claim(&mut tx, &d.delivery, self.now() + LEASE_SECS).await?;
            tx.commit().await?;
            if !claimed {
                continue;
            }
            let occurred_at = jiff::Timestamp::from_second(d.delivery.occurred_at)
                .map_err(|e| AppError::internal_from("a delivery's time", e))?
                .to_string();
            let body = Payload {
                id: d.delivery.id,
                kind: d.delivery.kind.as_str().to_string(),
                partnership_id: d.partnership_id,
                subject_id: d.delivery.subject_id,
                occurred_at,
            }
            .body();
            let t = self.now();
            let signature = palett_domain::webhook::sign(&d.secret, t, body.as_bytes());
            let headers = [
                (SIGNATURE_HEADER, signature),
                ("Palett-Delivery", d.delivery.id.to_string()),
            ];
            let answer = crate::webhook_client::post(
                &d.url,
                &headers,
                body,
                TIMEOUT,
                self.config.webhooks_allow_local,
            )
            .await;
            let at = self.now();
            let attempts = d.delivery.attempts + 1;
            let (status_code, error) = match &answer {
                Ok(code) => (Some(i64::from(*code)), None),
                Err(e) => (None, Some(e.clone())),
            };
            let ok = matches!(answer, Ok(200..=299));
            let (status, next) = if ok {
                (DeliveryStatus::Delivered, at)
            } else {
                match next_attempt(attempts, at) {
                    Some(next) => (DeliveryStatus::Pending, next),
                    None => (DeliveryStatus::Failed, at),
                }
            };
            if ok {
                delivered += 1;
            } else {
                tracing::warn!(
                    delivery = d.delivery.id,
                    status = ?status_code,
                    error = error.as_deref().unwrap_or(""),
                    "webhook delivery failed"
                );
            }
            let mut tx = bookkeeping(self).await?;
            store::record_attempt(
                &mut tx,
                d.delivery.id,
                &Attempt {
                    at,
                    status_code,
                    error,
                    status,
                    next_attempt_at: next,
                },
            )
            .await?;
            tx.commit().await?;
        }
        Ok(delivered)
    }
}
