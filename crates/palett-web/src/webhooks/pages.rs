//! The administrators' webhook pages.

use super::when;
use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, confirm_spec, render, FormSpec};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect};
use palett_app::webhooks::WebhookDelivery;
use palett_domain::webhook::{DeliveryStatus, EndpointInput, EventKind};

/// The form that registers an endpoint.
fn endpoint_spec(t: Tr) -> FormSpec {
    admin_spec(
        t,
        t.get("webhook-new"),
        "admin",
        "/admin/webhooks".into(),
        vec![
            FieldView::new(t, "url", "field-webhook-url", "text")
                .required()
                .hint(t, "hint-webhook-url"),
            FieldView::new(t, "kinds", "field-webhook-kinds", "multi")
                .required()
                .options(
                    EventKind::ALL
                        .iter()
                        .map(|k| (k.as_str().to_string(), t.get(&k.message_id())))
                        .collect(),
                ),
            FieldView::new(t, "description", "field-description", "text"),
        ],
        "/admin/webhooks",
    )
    .intro(t.get("webhook-new-intro"))
}

/// The partnership's endpoints.
pub async fn list(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let endpoints = s.app.webhooks(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("webhooks-title"), "admin", "/admin/webhooks"),
    );
    p.intro = Some(t.get("webhooks-intro"));
    p.links = vec![("/admin/webhooks/new".into(), t.get("webhook-new"))];
    p.tables.push(Table::headed(
        t,
        "webhooks-title",
        &[
            "field-webhook-url",
            "field-description",
            "field-webhook-kinds",
            "field-status",
            "webhook-deliveries",
            "actions",
        ],
        endpoints
            .into_iter()
            .map(|e| {
                let kinds: Vec<String> = e.kinds.iter().map(|k| t.get(&k.message_id())).collect();
                vec![
                    Cell::link(e.url.clone(), format!("/admin/webhooks/{}", e.id)),
                    Cell::text(e.description.clone().unwrap_or_default()),
                    Cell::text(kinds.join(", ")),
                    Cell::text(t.get(if e.active {
                        "webhook-active"
                    } else {
                        "webhook-inactive"
                    })),
                    Cell::text(t.with(
                        "webhook-counts",
                        &[
                            ("delivered", e.delivered.to_string()),
                            ("pending", e.pending.to_string()),
                            ("failed", e.failed.to_string()),
                        ],
                    )),
                    if e.active {
                        Cell::button(
                            t.get("webhook-deactivate"),
                            format!("/admin/webhooks/{}/deactivate", e.id),
                        )
                    } else {
                        Cell::text("")
                    },
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

/// The blank form.
pub async fn new(c: Caller) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_manage_webhooks() {
        return Err(palett_app::AppError::Forbidden.into());
    }
    Ok(endpoint_spec(t).blank(&c, &FormData(Vec::new())))
}

/// Register; the secret is shown on the answer, this once.
pub async fn create(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    let t = c.tr();
    match s
        .app
        .create_webhook(&c.ctx(), &f.input::<EndpointInput>())
        .await
        .or_invalid()?
    {
        Ok(hook) => {
            let mut p = TablePage::new(
                t,
                Layout::for_caller(
                    &c,
                    t.get("webhook-created-title"),
                    "admin",
                    "/admin/webhooks",
                ),
            );
            p.blocks = vec![
                Block::Alert(t.get("webhook-created")),
                Block::Code(hook.secret),
                Block::Text(t.get("webhook-signature-help")),
                Block::Link {
                    href: format!("/admin/webhooks/{}", hook.id),
                    text: t.get("webhook-deliveries"),
                },
            ];
            let mut resp = render(p);
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(resp)
        }
        Err(errors) => Ok(endpoint_spec(t).invalid(&c, &f, &errors)),
    }
}

fn status_text(t: Tr, d: &WebhookDelivery) -> String {
    let s = t.get(&d.status.message_id());
    match (d.last_status_code, &d.last_error) {
        (Some(code), _) => format!("{s} (HTTP {code})"),
        (None, Some(_)) => format!("{s} ({})", t.get("webhook-no-answer")),
        _ => s,
    }
}

/// One endpoint and its deliveries.
pub async fn show(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    let (e, deliveries) = s.app.webhook(&c.ctx(), id).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, e.url.clone(), "admin", &format!("/admin/webhooks/{id}")),
    );
    p.intro = Some(t.get("webhook-deliveries-intro"));
    p.links = vec![("/admin/webhooks".into(), t.get("webhooks-title"))];
    p.tables.push(Table::headed(
        t,
        "webhook-deliveries",
        &[
            "webhook-delivery-id",
            "field-webhook-kind",
            "webhook-subject",
            "webhook-occurred",
            "field-status",
            "webhook-attempts",
            "webhook-next-attempt",
            "actions",
        ],
        deliveries
            .iter()
            .map(|d| {
                vec![
                    Cell::text(d.id.to_string()),
                    Cell::text(t.get(&d.kind.message_id())),
                    Cell::text(d.subject_id.to_string()),
                    Cell::text(when(d.occurred_at)),
                    Cell::text(status_text(t, d)),
                    Cell::text(d.attempts.to_string()),
                    Cell::text(if d.status == DeliveryStatus::Pending {
                        when(d.next_attempt_at)
                    } else {
                        "–".into()
                    }),
                    if d.status != DeliveryStatus::Delivered && e.active {
                        Cell::button(
                            t.get("webhook-retry"),
                            format!("/admin/webhooks/deliveries/{}/retry", d.id),
                        )
                    } else {
                        Cell::text("")
                    },
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

/// Deactivate once confirmed; unconfirmed, the page that asks.
pub async fn deactivate(State(s): State<AppState>, c: Caller, Id(id): Id, f: FormData) -> Answer {
    let t = c.tr();
    if !f.confirmed() {
        let (e, _) = s.app.webhook(&c.ctx(), id).await?;
        return Ok(confirm_spec(
            t.get("webhook-deactivate"),
            "admin",
            format!("/admin/webhooks/{id}/deactivate"),
            (
                t.with("confirm-webhook-deactivate", &[("url", e.url)]),
                t.get("webhook-deactivate"),
            ),
            "/admin/webhooks",
        )
        .blank(&c, &f));
    }
    s.app.deactivate_webhook(&c.ctx(), id).await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

/// Retry a delivery now (the worker sends it on its next round).
pub async fn retry(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let endpoint = s.app.retry_webhook_delivery(&c.ctx(), id).await?;
    Ok(Redirect::to(&format!("/admin/webhooks/{endpoint}")).into_response())
}
