//! The administration half of the API: tokens with their limits.

use crate::support::*;
use axum::http::StatusCode;
use palett_app::auth::TokenInput;

/// A token for `email` with these limits, made as the CLI makes one.
async fn limited(t: &TestApp, email: &str, read_only: bool, areas: &[&str], days: &str) -> String {
    let input = TokenInput {
        name: "begränsad".into(),
        read_only: read_only.to_string(),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        days: days.into(),
    };
    t.app
        .create_token_for_email(email, &input, palett_web::api_areas())
        .await
        .expect("a limited token")
}

fn code(r: &Resp) -> String {
    r.json()["error"]["code"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn an_expired_token_is_refused_saying_so() {
    let t = TestApp::new().await;
    let token = limited(&t, COORDINATOR, false, &[], "1").await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::OK
    );
    t.clock.advance(jiff::SignedDuration::from_hours(25));
    let r = t.get("/api/v1/projects", Some(&token)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::UNAUTHORIZED, "token-expired".into())
    );
    // An unknown token is told apart from an ended one.
    let r = t.get("/api/v1/projects", Some("plt_none")).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::UNAUTHORIZED, "bad-token".into())
    );
}

#[tokio::test]
async fn a_read_only_token_reads_but_a_change_answers_403() {
    let t = TestApp::new().await;
    let token = limited(&t, COORDINATOR, true, &[], "").await;
    let before = t.get("/api/v1/tokens", Some(&token)).await;
    assert_eq!(before.status, StatusCode::OK);
    let body = r#"{"name": "Ny", "read_only": true}"#;
    let r = t.post_json("/api/v1/tokens", &token, body).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let after = t.get("/api/v1/tokens", Some(&token)).await.json();
    assert_eq!(
        after["total"],
        before.json()["total"],
        "nothing was created"
    );
    // The same change with a token that may change goes through.
    let full = t.token(COORDINATOR).await;
    assert_eq!(
        t.post_json("/api/v1/tokens", &full, body).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_area_token_reaches_its_area_and_gets_403_elsewhere() {
    let t = TestApp::new().await;
    let token = limited(&t, COORDINATOR, false, &["projects"], "30").await;
    assert_eq!(
        t.get("/api/v1/projects", Some(&token)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.get("/api/v1/projects/1/summary", Some(&token))
            .await
            .status,
        StatusCode::OK
    );
    let r = t.get("/api/v1/participants", Some(&token)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("participants"),
        "{}",
        r.body
    );
    let r = t.get("/api/v1/me", Some(&token)).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the session area is another"
    );
    // The document needs no token, so no area.
    assert_eq!(
        t.get("/api/v1/openapi.json", Some(&token)).await.status,
        StatusCode::OK
    );
    // The areas are the document's tags.
    let areas = palett_web::api_areas();
    for a in ["participants", "projects", "tokens", "data_protection"] {
        assert!(areas.iter().any(|x| x == a), "{a} in {areas:?}");
    }
}

#[tokio::test]
async fn the_html_form_creates_a_scoped_token() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let form = t.page(&b, "/tokens/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="read_only""#) && form.body.contains(r#"value="projects""#));
    let bad = t
        .post_form(&b, "/tokens/new", &[("name", "Rapport"), ("days", "400")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("1 till 365"), "the days' error is shown");
    let r = t
        .post_form(
            &b,
            "/tokens/new",
            &[
                ("name", "Rapport"),
                ("days", "7"),
                ("read_only", "true"),
                ("areas", "projects"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let secret = r
        .body
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .expect("the secret shown once")
        .to_string();
    assert!(secret.starts_with("plt_"));
    assert!(
        r.body.contains("Bara läsa") && r.body.contains("2026-12-02"),
        "listed with its limits"
    );
    assert_eq!(
        t.get("/api/v1/projects", Some(&secret)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.get("/api/v1/participants", Some(&secret)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = t.post_json("/api/v1/projects/1/goals", &secret, "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn tokens_are_listed_created_and_revoked_through_the_api() {
    let t = TestApp::new().await;
    let token = limited(&t, COORDINATOR, false, &["tokens", "projects"], "").await;
    let r = t
        .post_json(
            "/api/v1/tokens",
            &token,
            r#"{"name": "Export", "read_only": true, "areas": ["projects"], "days": 30}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    let secret = created["secret"]
        .as_str()
        .expect("the secret, once")
        .to_string();
    let id = created["token"]["id"].as_i64().expect("id");
    assert_eq!(r.location(), format!("/api/v1/tokens/{id}"));
    assert_eq!(created["token"]["read_only"], true);
    assert_eq!(created["token"]["areas"], serde_json::json!(["projects"]));
    assert_eq!(created["token"]["expires_at"], "2026-12-25T10:00:00Z");
    assert_eq!(
        t.get("/api/v1/projects", Some(&secret)).await.status,
        StatusCode::OK
    );
    let list = t.get("/api/v1/tokens", Some(&token)).await.json();
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|k| k["id"] == id));
    assert!(
        !list.to_string().contains(&secret),
        "a secret is shown once only"
    );
    // Not wider than the token asking, and typed fields.
    let r = t
        .post_json("/api/v1/tokens", &token, r#"{"name": "Allt"}"#)
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["areas"]);
    let r = t
        .post_json(
            "/api/v1/tokens",
            &token,
            r#"{"name": "X", "days": "90", "scope": 1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["days", "scope"]);
    let r = t
        .post_json(
            "/api/v1/tokens",
            &token,
            r#"{"name": "X", "areas": ["projects"], "days": 366}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["days"]);
    // Revoked, it stops at once; someone else's is not found.
    let other = t.token(ADMIN).await;
    assert_eq!(
        t.post_json(&format!("/api/v1/tokens/{id}/revoke"), &other, "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.post_json(&format!("/api/v1/tokens/{id}/revoke"), &token, "")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.get("/api/v1/projects", Some(&secret)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let shown = t
        .get(&format!("/api/v1/tokens/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(shown["active"], false);
}
