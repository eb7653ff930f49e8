//! The administrators' webhook pages and API: a bad address is refused on
//! its field, the secret is shown once, deactivating asks first, and no
//! one else reaches them.

use crate::support::*;
use axum::http::StatusCode;

const HOOK: &str = "https://hooks.example.org/palett";

#[tokio::test]
async fn an_administrator_registers_sees_the_secret_once_and_deactivates_after_asking() {
    let t = TestApp::new().await;
    let [admin, coordinator] = t.browsers([ADMIN, COORDINATOR]).await;

    // Linked from the administration, and for administrators only.
    assert!(t
        .page(&admin, "/admin/users")
        .await
        .body
        .contains("href=\"/admin/webhooks\""));
    assert_eq!(
        t.page_status(&coordinator, "/admin/webhooks").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.page_status(&coordinator, "/admin/webhooks/new").await,
        StatusCode::FORBIDDEN
    );
    let form = t.page(&admin, "/admin/webhooks/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"participant_exited\""),
        "{}",
        form.body
    );

    // Plain HTTP is refused on its field, her values kept; so is no event.
    let r = t
        .post_invalid(
            &admin,
            "/admin/webhooks",
            &[
                ("url", "http://hooks.example.org/palett"),
                ("kinds", "participant_exited"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"f-url-error\""), "{}", r.body);
    assert!(
        r.body.contains("Adressen måste börja med https://"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"http://hooks.example.org/palett\""),
        "{}",
        r.body
    );
    let r = t
        .post_invalid(&admin, "/admin/webhooks", &[("url", HOOK)])
        .await;
    assert!(r.body.contains("id=\"f-kinds-error\""), "{}", r.body);

    // Saved: the secret is on the answer, not kept by the browser, and on
    // no page after.
    let r = t
        .post_form(
            &admin,
            "/admin/webhooks",
            &[
                ("url", HOOK),
                ("kinds", "participant_registered"),
                ("kinds", "participant_exited"),
                ("description", "Kommunens verksamhetssystem"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["cache-control"], "no-store");
    let secret: String = r
        .body
        .split("whsec_")
        .nth(1)
        .expect("the secret shown")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert!(secret.len() >= 20, "{secret}");
    let href = r
        .body
        .split("href=\"/admin/webhooks/")
        .nth(1)
        .expect("link")
        .split('"')
        .next()
        .expect("id")
        .to_string();
    let id: i64 = href.parse().expect("the endpoint's id");
    let list = t.page(&admin, "/admin/webhooks").await;
    assert!(
        list.body.contains(HOOK) && list.body.contains("Deltagare avslutad"),
        "{}",
        list.body
    );
    assert!(!list.body.contains(&secret));
    let detail = t.page(&admin, &format!("/admin/webhooks/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(!detail.body.contains(&secret));

    // Deactivating asks first, and changes nothing until confirmed.
    let path = format!("/admin/webhooks/{id}/deactivate");
    t.asks_first(&admin, &path, &[], HOOK).await;
    assert!(t
        .page(&admin, "/admin/webhooks")
        .await
        .body
        .contains(">Aktiv<"));
    assert_eq!(t.confirmed(&admin, &path, &[]).await, "/admin/webhooks");
    let list = t.page(&admin, "/admin/webhooks").await;
    assert!(
        list.body.contains("Avaktiverad") && !list.body.contains(">Aktiv<"),
        "{}",
        list.body
    );
}

#[tokio::test]
async fn the_api_registers_lists_and_refuses_a_bad_address() {
    let t = TestApp::new().await;
    let [admin, coordinator] = t.tokens([ADMIN, COORDINATOR]).await;
    let r = t
        .post_json(
            "/api/v1/webhooks",
            &admin,
            r#"{"url":"ftp://x.example","kinds":["participant_exited"]}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["url"]);
    let r = t
        .post_json(
            "/api/v1/webhooks",
            &admin,
            r#"{"url":"https://x.example/in","kinds":["referral_changed"]}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    assert!(created["secret"]
        .as_str()
        .expect("secret")
        .starts_with("whsec_"));
    let id = created["id"].as_i64().expect("id");
    let list = t.get("/api/v1/webhooks", Some(&admin)).await.json();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["kinds"], serde_json::json!(["referral_changed"]));
    assert!(list[0].get("secret").is_none());
    let detail = t
        .get(&format!("/api/v1/webhooks/{id}"), Some(&admin))
        .await
        .json();
    assert_eq!(detail["deliveries"], serde_json::json!([]));
    assert_eq!(
        t.get("/api/v1/webhooks", Some(&coordinator)).await.status,
        StatusCode::FORBIDDEN
    );
}
