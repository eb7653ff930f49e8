//! What the log holds: a span per request with its route template and the
//! request id the response carries, internal errors with their source chain
//! inside that span, and never a participant's personal data, whatever the
//! level. This binary holds a single test because it installs a
//! process-wide tracing subscriber.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::io::Write;
use std::sync::{Arc, Mutex};
use support::*;

/// Everything logged, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const GIVEN: &str = "Loggvilja";
const FAMILY: &str = "Spårlösdotter";
const PNR: &str = "19730914-2383";
const EMAIL: &str = "loggvilja.sparlos@example.se";
const PHONE: &str = "070-4417321";
const NOTE: &str = "Berättade om sin skilsmässa";

fn request_id(r: &Resp) -> String {
    r.headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("the response carries x-request-id")
        .to_string()
}

#[tokio::test]
async fn request_spans_are_logged_and_personal_data_never_is() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(log.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.get("/api/v1/me", Some(&token)).await.json()["organisation"]["id"]
        .as_i64()
        .expect("org id");

    // Register her with everything that identifies her.
    let body = serde_json::json!({
        "given_name": GIVEN,
        "family_name": FAMILY,
        "identity_kind": "personnummer",
        "identity_number": PNR,
        "gender": "woman",
        "referral_source": "municipality",
        "responsible_organisation_id": org,
        "referred_on": "2026-11-01",
        "phone": PHONE,
        "email": EMAIL,
        "address": "Loggatan 7, 147 91 Grödinge",
        "health_notes": "Ryggbesvär sedan olyckan",
    })
    .to_string();
    let created = t.post_json("/api/v1/participants", &token, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("id");
    let created_id = request_id(&created);

    // A client's own request id is not taken over.
    let req = Request::get(format!("/api/v1/participants/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-request-id", GIVEN)
        .body(Body::empty())
        .expect("request");
    let read = t.send(req).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["family_name"], FAMILY);
    assert_ne!(request_id(&read), GIVEN);
    assert_ne!(request_id(&read), created_id, "a new id per request");

    // Search by name and identity number, through the API and the page.
    for q in [FAMILY, PNR] {
        let found = t
            .post_json(
                "/api/v1/participants/search",
                &token,
                &serde_json::json!({ "q": q }).to_string(),
            )
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        assert!(found.body.contains(FAMILY), "{q} finds her");
    }
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let page = t.post_form(&b, "/participants", &[("q", GIVEN)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(FAMILY));
    // A query string someone typed is not logged either.
    let page = t.page(&b, &format!("/participants?q={GIVEN}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = t.page(&b, &format!("/participants/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);

    // Record a note about her.
    let note = t
        .post_json(
            &format!("/api/v1/participants/{id}/notes"),
            &token,
            &serde_json::json!({"body": NOTE, "visibility": "shared"}).to_string(),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);

    // Bad input is refused per field; the value refused is not logged.
    let bad = t
        .patch_json(
            &format!("/api/v1/participants/{id}"),
            &token,
            &serde_json::json!({"email": format!("{GIVEN} at home"), "version": 1}).to_string(),
        )
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.body);

    // An internal error: the audit log cannot be written, so her record
    // cannot be read.
    rename_table(&t, "audit_log", "audit_log_away").await;
    let broken = t
        .get(&format!("/api/v1/participants/{id}"), Some(&token))
        .await;
    rename_table(&t, "audit_log_away", "audit_log").await;
    assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!broken.body.contains("audit"), "the cause is not shown");
    let broken_id = request_id(&broken);

    let text = log.text();
    // The request spans: method, route template, status, request id.
    let span_of = |rid: &str| {
        text.lines()
            .find(|l| l.contains(rid) && l.contains("request done"))
            .unwrap_or_else(|| panic!("no finished request span with id {rid}:\n{text}"))
            .to_string()
    };
    let line = span_of(&created_id);
    for part in [
        "method=POST",
        "route=/api/v1/participants",
        "status=201",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
    // The use case's span inside it names the actor, not the participant.
    assert!(
        text.lines().any(|l| l.contains(&created_id)
            && l.contains("register_participant{user=")
            && l.contains("roles=")),
        "the use case's span in the request's:\n{text}"
    );
    let line = span_of(&request_id(&read));
    assert!(line.contains("route=/api/v1/participants/{id}"), "{line}");
    assert!(line.contains("status=200"), "{line}");
    assert!(
        text.contains("method=GET route=/participants request_id="),
        "the page's route without its query string:\n{text}"
    );
    // The internal error: logged with its source chain, in its request's
    // span.
    let error = text
        .lines()
        .find(|l| l.contains("internal error") && l.contains(&broken_id))
        .unwrap_or_else(|| panic!("the internal error in its span:\n{text}"));
    assert!(error.contains("audit write failed: "), "{error}");
    assert!(error.contains("ERROR"), "{error}");
    assert!(span_of(&broken_id).contains("status=500"));

    // Never her personal data, in any form.
    let digits: String = PNR.chars().filter(char::is_ascii_digit).collect();
    let forbidden = [
        GIVEN.to_string(),
        FAMILY.to_string(),
        PNR.to_string(),
        digits.clone(),
        digits[2..].to_string(),
        format!("{}-{}", &digits[2..8], &digits[8..]),
        format!("{}+{}", &digits[2..8], &digits[8..]),
        EMAIL.to_string(),
        PHONE.to_string(),
        PHONE.replace('-', ""),
        "Loggatan".to_string(),
        "Ryggbesvär".to_string(),
        NOTE.to_string(),
        "skilsmässa".to_string(),
    ];
    let lower = text.to_lowercase();
    for f in &forbidden {
        assert!(
            !lower.contains(&f.to_lowercase()),
            "{f} in the log:\n{}",
            text.lines()
                .filter(|l| l.to_lowercase().contains(&f.to_lowercase()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

async fn rename_table(t: &TestApp, from: &str, to: &str) {
    let mut tx = t.app.raw_db().write().await.expect("transaction");
    sqlx::query(&format!("ALTER TABLE {from} RENAME TO {to}"))
        .execute(&mut *tx)
        .await
        .expect("rename");
    tx.commit().await.expect("commit");
}
