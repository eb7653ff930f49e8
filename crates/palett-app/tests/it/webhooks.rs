//! Webhooks: an administrator registers an endpoint; a registration and an
//! exit write their outbox rows in their own change; the worker delivers
//! them signed to a server this test runs, retries a failure with backoff,
//! and the deliveries are listed with their status.

use crate::harness::*;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use jiff::civil::date;
use palett_app::AppError;
use palett_domain::lifecycle::{ExitOutcome, Transition};
use palett_domain::webhook::{
    verify, DeliveryStatus, EndpointInput, Payload, SIGNATURE_HEADER, TOLERANCE_SECS,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the receiver got: the signature header and the raw body.
#[derive(Clone, Debug)]
struct Received {
    signature: String,
    body: Vec<u8>,
}

/// A receiver on 127.0.0.1 that answers 500 to its first `failures`
/// requests and 200 after; its URL and what it received.
async fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/palett-hooks",
        listener.local_addr().expect("addr")
    );
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::new(AtomicUsize::new(0));
    let kept = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (got, seen) = (kept.clone(), seen.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let (got, seen) = (got.clone(), seen.clone());
                    async move {
                        let signature = req
                            .headers()
                            .get(SIGNATURE_HEADER)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string();
                        let body = req.into_body().collect().await?.to_bytes().to_vec();
                        got.lock().expect("lock").push(Received { signature, body });
                        let status = if seen.fetch_add(1, Ordering::SeqCst) < failures {
                            500
                        } else {
                            200
                        };
                        let mut res =
                            Response::new(http_body_util::Empty::<hyper::body::Bytes>::new());
                        *res.status_mut() = hyper::StatusCode::from_u16(status).expect("status");
                        Ok::<_, hyper::Error>(res)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, got)
}

async fn outbox_rows(h: &H) -> i64 {
    let mut c = h.app.raw_db().read().await.expect("read");
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_outbox")
        .fetch_one(&mut *c)
        .await
        .expect("count")
}

fn endpoint(url: &str, kinds: &[&str]) -> EndpointInput {
    EndpointInput {
        url: url.into(),
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
        description: "Case system of the municipality".into(),
    }
}

pub(crate) async fn webhooks_are_written_with_the_change_signed_retried_and_listed(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let coordinator = h.ctx(COORDINATOR).await;
    let (url, received) = receiver(1).await;
    let kinds = ["participant_registered", "participant_exited"];

    // Only administrators; only HTTPS unless local delivery is allowed.
    assert!(matches!(
        h.app
            .create_webhook(&coordinator, &endpoint(&url, &kinds))
            .await,
        Err(AppError::Forbidden)
    ));
    match h.app.create_webhook(&admin, &endpoint(&url, &kinds)).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.for_field("url"), Some("error-webhook-https")),
        other => panic!("plain HTTP is refused by default: {other:?}"),
    }
    let mut app = h.app.clone();
    app.config.webhooks_allow_local = true;
    let hook = app
        .create_webhook(&admin, &endpoint(&url, &kinds))
        .await
        .expect("a local endpoint for the test");
    assert!(hook.secret.starts_with("whsec_") && hook.secret.len() > 30);
    // An endpoint for another kind gets nothing of these events.
    app.create_webhook(&admin, &endpoint(&url, &["referral_changed"]))
        .await
        .expect("another endpoint");

    // Her registration and her exit: one outbox row each, in their change.
    let org = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let form = palett_domain::model::ParticipantInput {
        intake_date: "2026-11-20".into(),
        ..h.input("Warda", "Webbkrok", &pnr("19900505", 505), org)
    };
    let id = h.register(&coordinator, &form).await;
    assert_eq!(outbox_rows(&h).await, 1, "the registration's row");
    let exit = Transition::Exit {
        on: date(2026, 11, 24),
        outcome: ExitOutcome::EmploymentUnsubsidised,
    };
    h.app
        .transition(&coordinator, id, exit.clone())
        .await
        .expect("exit");
    assert_eq!(outbox_rows(&h).await, 2, "the exit's row");
    // A change that fails writes none: exiting her again is refused.
    assert!(h.app.transition(&coordinator, id, exit).await.is_err());
    assert_eq!(outbox_rows(&h).await, 2, "a refused change writes no row");

    // The worker's first run: the first answer is 500, the second 200.
    assert_eq!(app.deliver_webhooks().await.expect("deliver"), 1);
    let (_, deliveries) = h.app.webhook(&admin, hook.id).await.expect("deliveries");
    let registered = deliveries
        .iter()
        .find(|d| d.subject_id == id && d.kind.as_str() == "participant_registered")
        .expect("registered");
    assert_eq!(registered.status, DeliveryStatus::Pending);
    assert_eq!(registered.attempts, 1);
    assert_eq!(registered.last_status_code, Some(500));
    assert_eq!(
        registered.next_attempt_at,
        h.app.now() + 60,
        "retried in a minute"
    );

    // Not due again until the minute has passed.
    assert_eq!(app.deliver_webhooks().await.expect("deliver"), 0);
    h.advance_secs(61);
    assert_eq!(app.deliver_webhooks().await.expect("deliver"), 1);

    // The receiver got three requests, each signed with the secret at a
    // fresh timestamp; the payload holds ids and kinds, no name.
    let got = received.lock().expect("lock").clone();
    assert_eq!(got.len(), 3);
    let mut kinds_got = Vec::new();
    for r in &got {
        verify(
            &hook.secret,
            &r.signature,
            &r.body,
            h.app.now(),
            TOLERANCE_SECS,
        )
        .expect("a valid signature");
        assert!(verify(
            "whsec_other",
            &r.signature,
            &r.body,
            h.app.now(),
            TOLERANCE_SECS
        )
        .is_err());
        let text = String::from_utf8(r.body.clone()).expect("utf-8");
        assert!(
            !text.contains("Warda") && !text.contains("Webbkrok") && !text.contains("19900505"),
            "{text}"
        );
        let p: Payload = serde_json::from_str(&text).expect("payload");
        assert_eq!(p.subject_id, id);
        assert!(p.occurred_at.ends_with('Z'), "{}", p.occurred_at);
        kinds_got.push(p.kind);
    }
    kinds_got.sort();
    assert_eq!(
        kinds_got,
        [
            "participant_exited",
            "participant_registered",
            "participant_registered"
        ]
    );

    // Listed with their status: both delivered, the first on its second try.
    let (e, deliveries) = h.app.webhook(&admin, hook.id).await.expect("deliveries");
    assert_eq!((e.delivered, e.pending, e.failed), (2, 0, 0));
    let mut tries: Vec<(&str, i64, DeliveryStatus)> = deliveries
        .iter()
        .map(|d| (d.kind.as_str(), d.attempts, d.status))
        .collect();
    tries.sort();
    assert_eq!(
        tries,
        [
            ("participant_exited", 1, DeliveryStatus::Delivered),
            ("participant_registered", 2, DeliveryStatus::Delivered),
        ]
    );
    // A delivered one is not sent again on request.
    assert!(h
        .app
        .retry_webhook_delivery(&admin, deliveries[0].id)
        .await
        .is_err());

    // Deactivated, the endpoint gets nothing more.
    h.app
        .deactivate_webhook(&admin, hook.id)
        .await
        .expect("deactivate");
    let other = h.input("Wilma", "Webbkrok", &pnr("19910606", 606), org);
    h.register(&coordinator, &other).await;
    assert_eq!(outbox_rows(&h).await, 2);
    assert!(!h
        .app
        .webhooks(&admin)
        .await
        .expect("list")
        .iter()
        .any(|e| e.id == hook.id && e.active));
}
