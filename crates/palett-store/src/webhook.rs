//! Webhooks: a partnership's endpoints (the secret sealed), the outbox of
//! deliveries written in the change that they tell of, and the attempts.

use crate::row::*;
use crate::sealing::Sealer;
use crate::Result;
use palett_domain::webhook::{DeliveryStatus, EndpointSpec, EventKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The sealing column of an endpoint's secret.
const SECRET: &str = "webhook_endpoints.secret";

/// A registered endpoint (its secret is never read back for display).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub description: Option<String>,
    pub kinds: Vec<EventKind>,
    pub active: bool,
    pub created_at: i64,
    /// Deliveries waiting, delivered and given up.
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// One delivery of the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub kind: EventKind,
    pub subject_id: i64,
    pub occurred_at: i64,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

/// A delivery due now, with where it goes and the secret to sign with.
#[derive(Clone, Debug)]
pub struct Due {
    pub delivery: Delivery,
    pub partnership_id: i64,
    pub url: String,
    pub secret: String,
}

fn kinds_text(kinds: &[EventKind]) -> String {
    let mut s = String::from(",");
    for k in kinds {
        s.push_str(k.as_str());
        s.push(',');
    }
    s
}

/// Register an endpoint with its (plain) secret, sealed here.
pub async fn insert_endpoint(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    partnership_id: i64,
    spec: &EndpointSpec,
    secret: &str,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO webhook_endpoints \
         (partnership_id, url, description, secret, kinds, active, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(partnership_id)
    .bind(&spec.url)
    .bind(spec.description.as_deref())
    .bind(s.seal(SECRET, secret)?)
    .bind(kinds_text(&spec.kinds))
    .bind(by)
    .bind(now)
    .fetch_one(c)
    .await?)
}

const ENDPOINT_COLUMNS: &str = "e.id, e.url, e.description, e.kinds, e.active, e.created_at, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.endpoint_id = e.id AND o.status = 'pending') AS pending, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.endpoint_id = e.id AND o.status = 'delivered') AS delivered, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.endpoint_id = e.id AND o.status = 'failed') AS failed";

fn endpoint(r: &AnyRow) -> Result<Endpoint> {
    Ok(Endpoint {
        id: i64_(r, "id")?,
        url: text(r, "url")?,
        description: opt_text(r, "description")?,
        kinds: text(r, "kinds")?
            .split(',')
            .filter_map(EventKind::parse)
            .collect(),
        active: flag(r, "active")?,
        created_at: i64_(r, "created_at")?,
        pending: i64_(r, "pending")?,
        delivered: i64_(r, "delivered")?,
        failed: i64_(r, "failed")?,
    })
}

/// The partnership's endpoints, active first, newest first.
pub async fn endpoints(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Endpoint>> {
    sqlx::query(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.partnership_id = $1 \
         ORDER BY e.active DESC, e.id DESC"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(endpoint)
    .collect()
}

/// One endpoint of the partnership.
pub async fn endpoint_of(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Endpoint>> {
    sqlx::query(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e \
         WHERE e.partnership_id = $1 AND e.id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(endpoint)
    .transpose()
}

/// Deactivate an endpoint: it gets no new deliveries, and those waiting
/// are given up. False when it was not active.
pub async fn deactivate(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    now: i64,
) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE webhook_endpoints SET active = 0, deactivated_at = $3 \
         WHERE partnership_id = $1 AND id = $2 AND active = 1",
    )
    .bind(partnership_id)
    .bind(id)
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected();
    if n > 0 {
        sqlx::query(
            "UPDATE webhook_outbox SET status = 'failed', last_error = 'endpoint deactivated' \
             WHERE endpoint_id = $1 AND status = 'pending'",
        )
        .bind(id)
        .execute(c)
        .await?;
    }
    Ok(n > 0)
}

/// Write the outbox rows of one event: one per active endpoint of the
/// partnership subscribed to `kind`, due at once. In the caller's
/// transaction, so they exist exactly when the change does.
pub async fn enqueue(
    c: &mut AnyConnection,
    partnership_id: i64,
    kind: EventKind,
    subject_id: i64,
    now: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO webhook_outbox \
         (endpoint_id, partnership_id, kind, subject_id, occurred_at, status, attempts, next_attempt_at) \
         SELECT e.id, $1, $2, $3, $4, 'pending', 0, $4 FROM webhook_endpoints e \
         WHERE e.partnership_id = $1 AND e.active = 1 AND e.kinds LIKE $5",
    )
    .bind(partnership_id)
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(now)
    .bind(format!("%,{},%", kind.as_str()))
    .execute(c)
    .await?
    .rows_affected())
}

const DELIVERY_COLUMNS: &str =
    "o.id, o.endpoint_id, o.kind, o.subject_id, o.occurred_at, o.status, \
     o.attempts, o.next_attempt_at, o.last_status_code, o.last_error, o.delivered_at";

fn delivery(r: &AnyRow) -> Result<Delivery> {
    Ok(Delivery {
        id: i64_(r, "id")?,
        endpoint_id: i64_(r, "endpoint_id")?,
        kind: vocab(r, "kind", EventKind::parse)?,
        subject_id: i64_(r, "subject_id")?,
        occurred_at: i64_(r, "occurred_at")?,
        status: vocab(r, "status", DeliveryStatus::parse)?,
        attempts: i64_(r, "attempts")?,
        next_attempt_at: i64_(r, "next_attempt_at")?,
        last_status_code: opt_i64(r, "last_status_code")?,
        last_error: opt_text(r, "last_error")?,
        delivered_at: opt_i64(r, "delivered_at")?,
    })
}

/// An endpoint's deliveries, newest first, at most `limit`.
pub async fn deliveries(
    c: &mut AnyConnection,
    partnership_id: i64,
    endpoint_id: i64,
    limit: i64,
) -> Result<Vec<Delivery>> {
    sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_outbox o \
         WHERE o.partnership_id = $1 AND o.endpoint_id = $2 ORDER BY o.id DESC LIMIT $3"
    ))
    .bind(partnership_id)
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(delivery)
    .collect()
}

/// One delivery of the partnership.
pub async fn delivery_of(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Delivery>> {
    sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_outbox o WHERE o.partnership_id = $1 AND o.id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(delivery)
    .transpose()
}

/// Deliveries due at `now` (pending, their time come, endpoint active),
/// oldest first, at most `limit`, with their URL and opened secret.
pub async fn due(c: &mut AnyConnection, s: &dyn Sealer, now: i64, limit: i64) -> Result<Vec<Due>> {
    sqlx::query(&format!(
        "SELECT {DELIVERY_COLUMNS}, o.partnership_id, e.url, e.secret FROM webhook_outbox o \
         JOIN webhook_endpoints e ON e.id = o.endpoint_id \
         WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND e.active = 1 \
         ORDER BY o.next_attempt_at, o.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Due {
            delivery: delivery(r)?,
            partnership_id: i64_(r, "partnership_id")?,
            url: text(r, "url")?,
            secret: s.open(SECRET, &text(r, "secret")?)?,
        })
    })
    .collect()
}

/// Claim a due delivery for an attempt: move its next attempt to `until`
/// (a lease, so that a second server does not send it too). False when
/// someone else claimed it first.
pub async fn claim(c: &mut AnyConnection, d: &Delivery, until: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_outbox SET next_attempt_at = $3 \
         WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2",
    )
    .bind(d.id)
    .bind(d.next_attempt_at)
    .bind(until)
    .execute(c)
    .await?
    .rows_affected()
        > 0)
}

/// What one attempt came to.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    /// The delivery's status after it, and when to try again (pending).
    pub status: DeliveryStatus,
    pub next_attempt_at: i64,
}

/// Record an attempt of delivery `id` and its outcome.
pub async fn record_attempt(c: &mut AnyConnection, id: i64, a: &Attempt) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, error) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(a.at)
    .bind(a.status_code)
    .bind(a.error.as_deref())
    .execute(&mut *c)
    .await?;
    let delivered = (a.status == DeliveryStatus::Delivered).then_some(a.at);
    sqlx::query(
        "UPDATE webhook_outbox SET attempts = attempts + 1, status = $2, next_attempt_at = $3, \
         last_status_code = $4, last_error = $5, delivered_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(a.status.as_str())
    .bind(a.next_attempt_at)
    .bind(a.status_code)
    .bind(a.error.as_deref())
    .bind(delivered)
    .execute(c)
    .await?;
    Ok(())
}

/// Make a delivery that waits or was given up due at `now` again (an
/// administrator's "retry now"). False when it was delivered already or
/// its endpoint is inactive.
pub async fn retry_now(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
    now: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE webhook_outbox SET status = 'pending', next_attempt_at = $3 \
         WHERE partnership_id = $1 AND id = $2 AND status <> 'delivered' \
         AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE active = 1)",
    )
    .bind(partnership_id)
    .bind(id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
        > 0)
}

/// How many attempts delivery `id` has had (for tests and the page).
pub async fn attempts(c: &mut AnyConnection, id: i64) -> Result<Vec<(i64, Option<i64>)>> {
    Ok(sqlx::query(
        "SELECT attempted_at, status_code FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<i64, _>("attempted_at")?,
            r.try_get::<Option<i64>, _>("status_code")?,
        ))
    })
    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?)
}
