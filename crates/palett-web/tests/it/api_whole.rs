//! The rest of what the HTML offers, in the API (issue 17): the
//! questionnaires due and an instrument's results, retiring an
//! intervention, inviting her to the portal, and the archive hold; each
//! against the use case or page that offers it, with its refusals.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use palett_app::auth::TokenInput;
use serde_json::json;

/// A read-only token for `email`.
async fn read_only(t: &TestApp, email: &str) -> String {
    let input = TokenInput {
        name: "bara läsa".into(),
        read_only: "true".into(),
        ..Default::default()
    };
    t.app
        .create_token_for_email(email, &input, palett_web::api_areas())
        .await
        .expect("a read-only token")
}

/// `path` as `token`'s user, asserting 200; its JSON.
async fn ok(t: &TestApp, path: &str, token: &str) -> serde_json::Value {
    let r = t.get(path, Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()
}

fn code(r: &Resp) -> String {
    r.json()["error"]["code"].as_str().unwrap_or("").to_string()
}

/// How many entries of `action` the log holds about `pid`.
async fn logged(t: &TestApp, action: &str, pid: i64) -> serde_json::Value {
    let token = t.token(COORDINATOR).await;
    ok(
        t,
        &format!("/api/v1/audit?action={action}&participant_id={pid}"),
        &token,
    )
    .await["total"]
        .clone()
}

/// The context of a signed-in user, for asking the app directly.
async fn ctx(t: &TestApp, email: &str) -> palett_app::Ctx {
    t.app
        .session(&t.browser(email).await.cookie)
        .await
        .expect("ok")
        .expect("a session")
        .ctx("127.0.0.1")
}

#[tokio::test]
async fn the_questionnaires_due_are_the_pages_paged() {
    let t = TestApp::new().await;
    let [coach, evaluator] = t.tokens([KOMMUN_CASEWORKER, EVALUATOR]).await;
    let due = t
        .app
        .questionnaires_due(&ctx(&t, KOMMUN_CASEWORKER).await)
        .await
        .expect("her list");
    assert!(due.len() > 1, "the demo has questionnaires due");
    let all = ok(&t, "/api/v1/questionnaires/due?per_page=100", &coach).await;
    assert_eq!(all["total"], due.len(), "{all}");
    let items = all["items"].as_array().expect("items");
    assert_eq!(items.len(), due.len().min(100));
    for (i, d) in items.iter().zip(&due) {
        assert_eq!(i["participant_id"], d.participant_id);
        assert_eq!(i["name"], d.name.as_str());
        assert_eq!(i["instrument_id"], d.instrument_id);
        assert_eq!(i["wave"], d.wave.as_string().as_str());
        assert_eq!(i["due"], d.due.to_string().as_str());
        assert_eq!(i["open"], d.open);
    }
    // The page says how many, and names the first she sees.
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let page = t.page(&b, "/questionnaires/due").await;
    assert!(
        page.body
            .contains(&format!("{} enkäter väntar på svar", due.len())),
        "{}",
        page.body
    );
    assert!(page.body.contains(&due[0].name));
    // One at a time: the second is the second.
    let second = ok(&t, "/api/v1/questionnaires/due?page=2&per_page=1", &coach).await;
    assert_eq!(second["items"][0]["participant_id"], due[1].participant_id);
    assert_eq!(
        (second["page"].clone(), second["per_page"].clone()),
        (json!(2), json!(1))
    );
    // Bad paging is named; who sees no participants is refused.
    for (query, field) in [
        ("page=0", "page"),
        ("per_page=101", "per_page"),
        ("page=x", "page"),
    ] {
        t.get(&format!("/api/v1/questionnaires/due?{query}"), Some(&coach))
            .await
            .assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
    assert_eq!(
        t.get("/api/v1/questionnaires/due", Some(&evaluator))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_instruments_results_are_the_pages_and_keep_k() {
    let t = TestApp::new().await;
    let [evaluator, coach] = t.tokens([EVALUATOR, KOMMUN_CASEWORKER]).await;
    let list = ok(&t, "/api/v1/instruments", &evaluator).await;
    let egenmakt = list
        .as_array()
        .and_then(|a| a.iter().find(|i| i["title"] == "Egenmakt och livsutrymme"))
        .and_then(|i| i["id"].as_i64())
        .expect("the demo's egenmakt instrument");
    let path = format!("/api/v1/instruments/{egenmakt}/results");
    let r = ok(&t, &format!("{path}?by=age_group"), &evaluator).await;
    let by = palett_app::questionnaire_results::By::parse("age_group");
    let want = t
        .app
        .questionnaire_results(&ctx(&t, EVALUATOR).await, egenmakt, by)
        .await
        .expect("the results");
    assert_eq!(r["title"], "Egenmakt och livsutrymme");
    assert_eq!(
        (r["k"].clone(), r["by"].clone()),
        (json!(5), json!("age_group"))
    );
    let waves = r["waves"].as_array().expect("waves");
    assert_eq!(waves.len(), want.waves.len());
    for (w, x) in waves.iter().zip(&want.waves) {
        assert_eq!(w["wave"], json!(x.wave.as_ref().map(|k| k.as_string())));
        assert_eq!(w["fallen_due"], json!(x.fallen_due));
        assert_eq!(w["items"].as_array().map(Vec::len), Some(x.items.len()));
        assert_eq!(w["scores"].as_array().map(Vec::len), Some(x.scores.len()));
    }
    assert_eq!(
        r["change"].as_array().map(Vec::len),
        Some(want.change.len())
    );
    assert!(
        want.change.iter().any(|c| c.group.is_some()),
        "broken down by age group"
    );
    // No count between none and k is ever shown; some are "fewer than k".
    fn counts(v: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
        match v {
            serde_json::Value::Object(m) if m.contains_key("fewer_than_k") => out.push(v.clone()),
            serde_json::Value::Object(m) => m.values().for_each(|v| counts(v, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|v| counts(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    counts(&r, &mut all);
    assert!(!all.is_empty());
    for c in &all {
        match c["count"].as_i64() {
            Some(n) => assert!(n == 0 || n >= 5, "{c}"),
            None => assert_eq!(c["fewer_than_k"], true, "{c}"),
        }
    }
    // The page shows the same waves.
    let b = t.browser(EVALUATOR).await;
    let page = t
        .page(
            &b,
            &format!("/questionnaires/{egenmakt}/results?by=age_group"),
        )
        .await;
    assert!(page.body.contains("Svarsfrekvens per våg"));
    // Anyone who sees the figures may read them; a bad breakdown is
    // named, an unknown instrument is not there.
    ok(&t, &path, &coach).await;
    t.get(&format!("{path}?by=shoe_size"), Some(&evaluator))
        .await
        .assert_fields(StatusCode::BAD_REQUEST, &["by"]);
    for missing in [
        "/api/v1/instruments/999999/results",
        "/api/v1/instruments/x/results",
    ] {
        assert_eq!(
            t.get(missing, Some(&evaluator)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn an_intervention_is_retired_once_confirmed_by_a_coordinator() {
    let t = TestApp::new().await;
    let [coordinator, coach] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let looking = read_only(&t, COORDINATOR).await;
    let palette = ok(&t, "/api/v1/palette", &coordinator).await;
    let id = palette["items"][0]["id"].as_i64().expect("an intervention");
    let path = format!("/api/v1/palette/{id}/retire");
    let yes = r#"{"confirm": true}"#;

    // Refused: a read-only token, a caseworker, an unknown id, and a body
    // that does not confirm; nothing changes.
    let r = t.post_json(&path, &looking, yes).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    assert_eq!(
        t.post_json(&path, &coach, yes).await.status,
        StatusCode::FORBIDDEN
    );
    for missing in ["/api/v1/palette/999999/retire", "/api/v1/palette/x/retire"] {
        assert_eq!(
            t.post_json(missing, &coordinator, yes).await.status,
            StatusCode::NOT_FOUND
        );
    }
    for (body, field) in [
        ("{}", "confirm"),
        (r#"{"confirm": false}"#, "confirm"),
        (r#"{"confirm": "yes"}"#, "confirm"),
        (r#"{"confirm": true, "reason": "old"}"#, "reason"),
    ] {
        t.post_json(&path, &coordinator, body)
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &[field]);
    }
    let one = ok(&t, &format!("/api/v1/palette/{id}"), &coordinator).await;
    assert!(one["retired_on"].is_null(), "{one}");

    // Retired today: off the palette, its history kept, audited.
    let r = t.post_json(&path, &coordinator, yes).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["id"], id);
    assert_eq!(r.json()["retired_on"], "2026-11-25");
    let after = ok(&t, "/api/v1/palette", &coordinator).await;
    assert!(after["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["id"] != id));
    let one = ok(&t, &format!("/api/v1/palette/{id}"), &coordinator).await;
    assert_eq!(one["retired_on"], "2026-11-25", "{one}");
    let log = ok(&t, "/api/v1/audit?action=intervention.retire", &coordinator).await;
    assert_eq!(log["total"], 1, "{log}");
    // Again: nothing more to do, still retired that day.
    let r = t.post_json(&path, &coordinator, yes).await;
    assert_eq!(r.json()["retired_on"], "2026-11-25");
}

/// A participant the municipality's coach registered; her id and the
/// coach's token.
async fn hers(t: &TestApp) -> (i64, String) {
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Inbjuden")).await;
    (pid, token)
}

#[tokio::test]
async fn her_caseworker_invites_her_to_the_portal_and_sees_the_code_once() {
    let t = TestApp::new().await;
    let (pid, coach) = hers(&t).await;
    let [other] = t.tokens([AF_CASEWORKER]).await;
    let looking = read_only(&t, KOMMUN_CASEWORKER).await;
    let access = format!("/api/v1/participants/{pid}/portal");
    let invite = format!("{access}/invitations");

    let before = ok(&t, &access, &coach).await;
    assert!(before["account"].is_null(), "{before}");
    assert!(before["invitation_expires_at"].is_null());

    // Refused: read-only, another organisation's caseworker, unknown ids.
    let r = t.post_json(&invite, &looking, "{}").await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    for (path, token) in [
        (&invite, &other),
        (
            &"/api/v1/participants/999999/portal/invitations".to_string(),
            &coach,
        ),
        (
            &"/api/v1/participants/x/portal/invitations".to_string(),
            &coach,
        ),
    ] {
        assert_eq!(
            t.post_json(path, token, "{}").await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        t.get(&access, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(ok(&t, &access, &coach).await["account"].is_null());

    // The invitation: the code in the body, never in the address, never
    // kept by a cache; with it she reaches the form that lets her in.
    let r = t.post_json(&invite, &coach, "{}").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(r.location(), access);
    let made = r.json();
    let code_ = made["code"].as_str().expect("the code").to_string();
    assert_eq!(code_.len(), 14, "XXXX-XXXX-XXXX: {code_}");
    let login = made["login_name"].as_str().expect("login").to_string();
    assert!(made["address"]
        .as_str()
        .is_some_and(|a| a.ends_with("/portal/invite") && !a.contains(&code_[..4])));
    assert_eq!(
        t.app
            .check_portal_code(&code_, "127.0.0.1")
            .await
            .expect("the code opens"),
        login
    );
    let now = ok(&t, &access, &coach).await;
    assert_eq!(now["account"]["login_name"], login.as_str());
    assert_eq!(now["account"]["way_in"], "not_set_up");
    assert_eq!(now["invitation_expires_at"], made["expires_at"]);
    assert!(!now.to_string().contains(&code_), "never shown again");
    assert_eq!(logged(&t, "portal.invite", pid).await, 1);

    // A retry with the same key is not answered from a kept copy (the code
    // is kept nowhere): it makes a new invitation, which ends the first.
    let with_key = || {
        Request::post(&invite)
            .header(header::AUTHORIZATION, format!("Bearer {coach}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", "invite-once-7d1f")
            .body(Body::from("{}"))
            .expect("request")
    };
    let first = t.send(with_key()).await;
    let again = t.send(with_key()).await;
    assert_eq!(
        (first.status, again.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert!(again.headers.get("idempotent-replayed").is_none());
    let (a, b) = (first.json()["code"].clone(), again.json()["code"].clone());
    assert_ne!(a, b);
    assert!(t
        .app
        .check_portal_code(a.as_str().expect("code"), "127.0.0.1")
        .await
        .is_err());
    assert_eq!(logged(&t, "portal.invite", pid).await, 3);
}

#[tokio::test]
async fn the_archive_hold_is_set_and_cleared_as_on_her_record() {
    let t = TestApp::new().await;
    let (pid, coach) = hers(&t).await;
    let [other] = t.tokens([AF_CASEWORKER]).await;
    let looking = read_only(&t, KOMMUN_CASEWORKER).await;
    let path = format!("/api/v1/participants/{pid}/archive-hold");
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let record = format!("/participants/{pid}");
    let kept = "Uppgifterna bevaras enligt arkivregel och gallras inte.";

    let r = t.post_json(&path, &looking, r#"{"hold": true}"#).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    for (p, token) in [
        (path.as_str(), &other),
        ("/api/v1/participants/999999/archive-hold", &coach),
        ("/api/v1/participants/x/archive-hold", &coach),
    ] {
        assert_eq!(
            t.post_json(p, token, r#"{"hold": true}"#).await.status,
            StatusCode::NOT_FOUND,
            "{p}"
        );
    }
    for (body, field) in [
        ("{}", "hold"),
        (r#"{"hold": null}"#, "hold"),
        (r#"{"hold": "true"}"#, "hold"),
        (r#"{"hold": true, "confirm": true}"#, "confirm"),
    ] {
        t.post_json(&path, &coach, body)
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &[field]);
    }
    assert!(!t.page(&b, &record).await.body.contains(kept));
    assert_eq!(logged(&t, "participant.archive_hold", pid).await, 0);

    let r = t.post_json(&path, &coach, r#"{"hold": true}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"participant_id": pid, "archive_hold": true})
    );
    assert!(t.page(&b, &record).await.body.contains(kept));
    let r = t.post_json(&path, &coach, r#"{"hold": false}"#).await;
    assert_eq!(r.json()["archive_hold"], false);
    assert!(!t.page(&b, &record).await.body.contains(kept));
    assert_eq!(logged(&t, "participant.archive_hold", pid).await, 2);
}

/// A new token's secret, a new endpoint's signing secret and a new
/// calendar feed's secret address are shown
/// once: never cached on the way, never kept for an `Idempotency-Key`
/// (a retry with the same key makes another, with a secret of its own,
/// instead of showing the first one again).
#[tokio::test]
async fn a_secret_is_shown_once_and_never_kept_for_a_retry() {
    let t = TestApp::new().await;
    let [admin] = t.tokens([ADMIN]).await;
    for (path, body, secret) in [
        ("/api/v1/tokens", r#"{"name":"import"}"#, "secret"),
        ("/api/v1/me/calendar-feed", "{}", "url"),
        (
            "/api/v1/webhooks",
            r#"{"url":"https://x.example/in","kinds":["referral_changed"]}"#,
            "secret",
        ),
    ] {
        let with_key = || {
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", "secret-once-5e2a")
                .body(Body::from(body))
                .expect("request")
        };
        let first = t.send(with_key()).await;
        let again = t.send(with_key()).await;
        for r in [&first, &again] {
            assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.body);
            assert_eq!(
                r.headers.get(header::CACHE_CONTROL).map(|v| v.as_bytes()),
                Some(&b"no-store"[..]),
                "{path}"
            );
            assert!(r.headers.get("idempotent-replayed").is_none(), "{path}");
        }
        let (a, b) = (first.json()[secret].clone(), again.json()[secret].clone());
        assert!(a.as_str().is_some_and(|s| s.len() > 16), "{path}: {a}");
        assert_ne!(a, b, "{path}: the first secret is shown only once");
    }
}
