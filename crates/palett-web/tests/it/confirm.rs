//! Destructive and serious actions ask first, on a page that says what
//! will happen, and do nothing without the confirmation it carries (the
//! others are asked in the tests of their features: ending participation
//! and memberships, deactivating users, resetting a second factor, running
//! erasure, employers and their contacts, restricting processing, the
//! calendar feed, discarding a questionnaire draft, removing a goal).

use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;

/// A participant registered by the municipality's coach, with her record's
/// address, the coach's token and browser.
async fn hers() -> (TestApp, i64, String, Browser) {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Allvar")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    (t, pid, token, b)
}

#[tokio::test]
async fn the_record_keeps_serious_actions_apart_and_marked() {
    let (t, pid, _, b) = hers().await;
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    let body = &page.body;
    let serious = body.find("id=\"serious-h\"").expect("a section of its own");
    // Ending her participation, restricting processing and the archive
    // rule are there, and only there.
    for action in ["/status/exit\"", "/restriction\"", "/archive-hold\""] {
        let at = body
            .find(action)
            .unwrap_or_else(|| panic!("{action}: {body}"));
        assert!(at > serious, "{action} is among the serious actions");
    }
    assert!(body[serious..].contains("class=\"button danger\""));
}

#[tokio::test]
async fn keeping_her_data_under_the_archive_rule_and_stopping_ask_first() {
    let (t, pid, _, b) = hers().await;
    let path = format!("/participants/{pid}/archive-hold");
    let record = format!("/participants/{pid}");
    t.asks_first(&b, &path, &[("hold", "true")], "undantas från gallring")
        .await;
    assert!(t
        .page(&b, &record)
        .await
        .body
        .contains("Uppgifterna gallras enligt partnerskapets gallringsregel."));
    let to = t.confirmed(&b, &path, &[("hold", "true")]).await;
    let page = t.page(&b, &to).await;
    assert!(page
        .body
        .contains("Uppgifterna bevaras enligt arkivregel och gallras inte."));
    assert!(
        page.body.contains("Uppgifterna bevaras enligt arkivregel."),
        "confirmed"
    );
    // Stopping says that erasure follows and cannot be undone.
    t.asks_first(&b, &path, &[("hold", "false")], "det går inte att ångra")
        .await;
    assert!(t
        .page(&b, &record)
        .await
        .body
        .contains("Uppgifterna bevaras enligt arkivregel och gallras inte."));
    t.confirmed(&b, &path, &[("hold", "false")]).await;
    assert!(t
        .page(&b, &record)
        .await
        .body
        .contains("Uppgifterna gallras enligt partnerskapets gallringsregel."));
}

#[tokio::test]
async fn lifting_a_restriction_asks_first() {
    let (t, pid, token, b) = hers().await;
    let path = format!("/participants/{pid}/restriction");
    t.confirmed(&b, &path, &[("reason", "Begäran enligt artikel 18")])
        .await;
    t.asks_first(&b, &path, &[("lift", "true")], "kan ändras igen")
        .await;
    let j = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&token))
        .await
        .json();
    assert_eq!(j["processing_restricted"], "Begäran enligt artikel 18");
    let to = t.confirmed(&b, &path, &[("lift", "true")]).await;
    assert!(t
        .page(&b, &to)
        .await
        .body
        .contains("Begränsningen är hävd."));
    let j = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&token))
        .await
        .json();
    assert!(j["processing_restricted"].is_null(), "{j}");
}

#[tokio::test]
async fn withdrawing_a_consent_asks_first_and_keeps_the_note() {
    let (t, pid, token, b) = hers().await;
    let body = json!({"kind": "research", "method": "digital", "given_on": "2026-11-20"});
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/consents"),
            &token,
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cid = r.json()["id"].as_i64().expect("id");
    let path = format!("/consents/{cid}/withdraw");
    let form = t.page(&b, &path).await;
    assert!(form.body.contains("Samtycket slutar gälla i dag"));
    let note = [("note", "Ringde och tog tillbaka det")];
    let ask = t
        .asks_first(&b, &path, &note, "Samtycket slutar gälla i dag")
        .await;
    assert!(ask.body.contains(">Ringde och tog tillbaka det</textarea>"));
    let in_force = |j: serde_json::Value| {
        j["items"]
            .as_array()
            .and_then(|a| a.iter().find(|k| k["id"] == cid).cloned())
            .map(|k| k["in_force"] == true)
    };
    let list = format!("/api/v1/participants/{pid}/consents");
    assert_eq!(
        in_force(t.get(&list, Some(&token)).await.json()),
        Some(true)
    );
    let to = t.confirmed(&b, &path, &note).await;
    assert_eq!(to, format!("/participants/{pid}?done=consent-withdrawn"));
    assert!(t
        .page(&b, &to)
        .await
        .body
        .contains("Samtycket är återkallat."));
    assert_eq!(
        in_force(t.get(&list, Some(&token)).await.json()),
        Some(false)
    );
}

#[tokio::test]
async fn cancelling_a_session_asks_first() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let palette = t.get("/api/v1/palette", Some(&token)).await.json();
    let walk = palette["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == "Promenad och hälsa"))
        .and_then(|i| i["id"].as_i64())
        .expect("the demo's walk");
    let walk = t
        .get(&format!("/api/v1/palette/{walk}"), Some(&token))
        .await
        .json();
    let gid = walk["groups"][0]["id"].as_i64().expect("its group");
    let group = format!("/api/v1/groups/{gid}");
    let coming = |g: serde_json::Value| {
        g["sessions"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|s| s["date"].as_str() > Some("2026-11-26") && s["status"] == "scheduled")
                    .cloned()
            })
            .expect("a coming session")
    };
    let session = coming(t.get(&group, Some(&token)).await.json());
    let sid = session["id"].as_i64().expect("id");
    let path = format!("/sessions/{sid}/cancel");
    let reason = [("reason", "Ledaren är sjuk")];
    t.asks_first(&b, &path, &reason, "Träffen ställs in för hela gruppen")
        .await;
    let g = t.get(&group, Some(&token)).await.json();
    let still = g["sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == sid).cloned())
        .expect("the session");
    assert_eq!(still["status"], "scheduled");
    let to = t.confirmed(&b, &path, &reason).await;
    assert_eq!(to, format!("/groups/{gid}?done=session"));
    let g = t.get(&group, Some(&token)).await.json();
    let cancelled = g["sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == sid).cloned())
        .expect("the session");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Ledaren är sjuk");
}

#[tokio::test]
async fn retiring_an_intervention_asks_first() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b = t.browser(COORDINATOR).await;
    let palette = t.get("/api/v1/palette", Some(&token)).await.json();
    let item = palette["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["retired_on"].is_null()).cloned())
        .expect("an intervention in use");
    let (iid, name) = (
        item["id"].as_i64().expect("id"),
        item["name"].as_str().expect("name").to_string(),
    );
    let path = format!("/palette/{iid}/retire");
    t.asks_first(&b, &path, &[], &format!("{name} avvecklas"))
        .await;
    let read = |j: serde_json::Value| j["retired_on"].clone();
    let one = format!("/api/v1/palette/{iid}");
    assert!(read(t.get(&one, Some(&token)).await.json()).is_null());
    let to = t.confirmed(&b, &path, &[]).await;
    assert!(t
        .page(&b, &to)
        .await
        .body
        .contains("Insatsen är avvecklad."));
    assert!(!read(t.get(&one, Some(&token)).await.json()).is_null());
}

#[tokio::test]
async fn revoking_an_api_key_asks_first() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let made = t
        .post_form(&b, "/tokens", &[("name", "Rapportverktyget")])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let list = t.page(&b, "/tokens").await.body;
    let revoke = list
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .expect("the key's revoke button")
        .to_string();
    t.asks_first(
        &b,
        &revoke,
        &[],
        "API-nyckeln Rapportverktyget slutar gälla direkt",
    )
    .await;
    assert!(
        t.page(&b, "/tokens").await.body.contains(&revoke),
        "still in use"
    );
    let to = t.confirmed(&b, &revoke, &[]).await;
    let page = t.page(&b, &to).await;
    assert!(page.body.contains("API-nyckeln är återkallad."));
    assert!(!page.body.contains(&revoke));
}
