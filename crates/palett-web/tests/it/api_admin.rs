//! The administration half of the API: tokens with their limits, projects
//! and their goals, partners and memberships, users and roles.

use crate::support::*;
use axum::http::StatusCode;
use palett_app::auth::TokenInput;

/// A token for `email` with these limits, made as the CLI makes one.
pub(crate) async fn limited(
    t: &TestApp,
    email: &str,
    read_only: bool,
    areas: &[&str],
    days: &str,
) -> String {
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

pub(crate) fn code(r: &Resp) -> String {
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
    // An address written otherwise reaches no other area either.
    for other in [
        "/api/v1/%70articipants",
        "/api/v1//participants",
        "/api/v1/participants/",
    ] {
        let r = t.get(other, Some(&token)).await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{other}: {}",
            r.status
        );
    }
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
    for a in [
        "participants",
        "projects",
        "tokens",
        "partners",
        "users",
        "data_protection",
    ] {
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

#[tokio::test]
async fn projects_are_created_read_and_changed_through_the_api() {
    let t = TestApp::new().await;
    let [coord, coach] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let body = r#"{"name": "Vägen vidare", "funder": "ESF+", "start_date": "2026-01-01",
        "end_date": "2027-12-31", "participant_target": 40, "job_or_studies_target": 35.5}"#;
    let r = t.post_json("/api/v1/projects", &coord, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.location(), format!("/api/v1/projects/{id}"));
    let p = t
        .get(&format!("/api/v1/projects/{id}"), Some(&coord))
        .await
        .json();
    assert_eq!(
        (p["name"].as_str(), p["participant_target"].as_i64()),
        (Some("Vägen vidare"), Some(40))
    );
    let r = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            &coord,
            r#"{"name": "Vägen framåt"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = r.json();
    assert_eq!(
        (
            p["name"].as_str(),
            p["funder"].as_str(),
            p["end_date"].as_str()
        ),
        (Some("Vägen framåt"), Some("ESF+"), Some("2027-12-31"))
    );
    let r = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            &coord,
            r#"{"end_date": "2025-01-01"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["end_date"]);
    let r = t
        .patch_json(
            &format!("/api/v1/projects/{id}"),
            &coord,
            r#"{"participant_target": "40"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["participant_target"]);
    assert_eq!(
        t.post_json("/api/v1/projects", &coach, body).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.patch_json(
            &format!("/api/v1/projects/{id}"),
            &coach,
            r#"{"name": "X"}"#
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/api/v1/projects/999999", Some(&coord)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn goals_of_a_project_are_listed_added_and_removed() {
    let t = TestApp::new().await;
    let [coord, coach] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let project = t.get("/api/v1/projects", Some(&coord)).await.json()["items"][0]["id"]
        .as_i64()
        .expect("a project");
    let path = format!("/api/v1/projects/{project}/goals");
    let body = r#"{"indicator": "share_job_or_studies", "target": 40, "period_start": "2026-01-01", "period_end": "2026-12-31"}"#;
    let r = t.post_json(&path, &coord, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let goal = r.json();
    let id = goal["id"].as_i64().expect("id");
    assert_eq!(
        (goal["indicator"].as_str(), goal["target"].as_f64()),
        (Some("share_job_or_studies"), Some(40.0))
    );
    let list = t.get(&path, Some(&coord)).await.json();
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|g| g["id"] == id));
    let r = t.post_json(&path, &coord, r#"{"indicator": "share_job_or_studies", "target": 140, "period_start": "2026-01-01", "period_end": "2026-12-31"}"#).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["target"]);
    assert_eq!(
        t.post_json(&path, &coach, body).await.status,
        StatusCode::FORBIDDEN
    );
    let one = format!("{path}/{id}");
    assert_eq!(
        t.json("DELETE", &one, &coach, "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.json("DELETE", &one, &coord, "").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.json("DELETE", &one, &coord, "").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!t
        .get(&path, Some(&coord))
        .await
        .body
        .contains(&format!("\"id\":{id},")));
}

#[tokio::test]
async fn partners_and_memberships_through_the_api() {
    let t = TestApp::new().await;
    let [admin, coord] = t.tokens([ADMIN, COORDINATOR]).await;
    let partners = t.get("/api/v1/memberships", Some(&coord)).await;
    assert_eq!(partners.status, StatusCode::OK);
    let before = partners.json()["total"].as_i64().expect("total");
    let r = t
        .post_json(
            "/api/v1/organisations",
            &admin,
            r#"{"name": "Studieförbundet Syd", "kind": "civil_society", "joined_on": "2026-11-01",
               "responsibility_areas": ["Studiecirklar", "Språkcafé"]}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let org = r.json()["id"].as_i64().expect("id");
    let list = t.get("/api/v1/memberships", Some(&coord)).await.json();
    assert_eq!(list["total"].as_i64(), Some(before + 1));
    let m = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["organisation"]["id"] == org)
        .expect("the new partner's membership")
        .clone();
    assert_eq!(
        m["responsibility_areas"],
        serde_json::json!(["Studiecirklar", "Språkcafé"])
    );
    let mid = m["id"].as_i64().expect("id");
    let again = format!(r#"{{"organisation_id": {org}, "joined_on": "2026-11-02"}}"#);
    let r = t.post_json("/api/v1/memberships", &admin, &again).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["organisation_id"]);
    let end = format!("/api/v1/memberships/{mid}/end");
    t.post_json(&end, &admin, r#"{"left_on": "2026-10-01"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["left_on"]);
    assert_eq!(
        t.post_json(&end, &coord, r#"{"left_on": "2026-11-20"}"#)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = t
        .post_json(&end, &admin, r#"{"left_on": "2026-11-20"}"#)
        .await;
    assert_eq!(
        (r.status, r.json()["left_on"].as_str()),
        (StatusCode::OK, Some("2026-11-20"))
    );
    let r = t.post_json("/api/v1/memberships", &admin, &again).await;
    assert_eq!(r.status, StatusCode::CREATED, "joins again: {}", r.body);
    assert_eq!(
        t.get("/api/v1/organisations", Some(&coord)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/api/v1/organisations", Some(&admin)).await.status,
        StatusCode::OK
    );
    let r = t
        .post_json(
            "/api/v1/organisations",
            &admin,
            r#"{"name": 5, "kind": "club"}"#,
        )
        .await;
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        (r.status, fields),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["name".to_string()])
    );
}

#[tokio::test]
async fn users_and_roles_through_the_api() {
    let t = TestApp::new().await;
    let [admin, coord] = t.tokens([ADMIN, COORDINATOR]).await;
    let org = t.org_of(&coord).await;
    let body = format!(
        r#"{{"email": "vera.api@helamanniskan.example", "display_name": "Vera Api",
            "password": "ett långt lösenord för vera", "organisation_id": {org},
            "roles": ["caseworker", "evaluator"]}}"#
    );
    assert_eq!(
        t.post_json("/api/v1/users", &coord, &body).await.status,
        StatusCode::FORBIDDEN
    );
    let r = t.post_json("/api/v1/users", &admin, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let keys: Vec<String> = r
        .json()
        .as_object()
        .expect("a user")
        .keys()
        .cloned()
        .collect();
    assert!(
        !keys.iter().any(|k| k.contains("hash") || k == "password")
            && !r.body.contains("argon2")
            && !r.body.contains("ett långt lösenord"),
        "no password: {}",
        r.body
    );
    let u = r.json();
    let id = u["id"].as_i64().expect("id");
    assert_eq!(u["must_change_password"], true, "she chooses her own first");
    assert_eq!(
        u["pending_roles"],
        serde_json::json!(["caseworker"]),
        "participant access waits"
    );
    let r = t.post_json("/api/v1/users", &admin, &body).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["email"]);
    let list = t.get("/api/v1/users", Some(&admin)).await.json();
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|x| x["id"] == id));
    assert_eq!(
        t.get("/api/v1/users", Some(&coord)).await.status,
        StatusCode::FORBIDDEN
    );
    let requests = t.get("/api/v1/role-requests", Some(&admin)).await.json();
    let request = requests["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|q| q["user"]["id"] == id)
        .expect("her request")
        .clone();
    assert_eq!(request["may_approve"], false, "not by the one who asked");
    let rid = request["id"].as_i64().expect("id");
    t.post_json(&format!("/api/v1/role-requests/{rid}/approve"), &admin, "")
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["request"]);
    assert_eq!(
        t.post_json(&format!("/api/v1/role-requests/{rid}/reject"), &admin, "")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let roles = format!("/api/v1/users/{id}/roles");
    let r = t
        .json(
            "PUT",
            &roles,
            &admin,
            r#"{"roles": ["coordinator", "nobody"]}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["roles"]);
    let r = t
        .json("PUT", &roles, &admin, r#"{"roles": ["evaluator"]}"#)
        .await;
    assert_eq!(
        (r.status, r.json()["roles"].clone()),
        (StatusCode::OK, serde_json::json!(["evaluator"]))
    );
    // A new password chosen for her: typed, checked, and hers to change.
    let password = format!("/api/v1/users/{id}/password");
    t.post_json(&password, &admin, r#"{"password": "kort"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["password"]);
    let new = r#"{"password": "ett annat långt lösenord"}"#;
    assert_eq!(
        t.post_json(&password, &coord, new).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.post_json(&password, &admin, new).await.status,
        StatusCode::NO_CONTENT
    );
    assert!(t
        .app
        .sign_in(
            "vera.api@helamanniskan.example",
            "ett annat långt lösenord",
            "127.0.0.1"
        )
        .await
        .is_ok());
    assert_eq!(
        t.post_json(
            &format!("/api/v1/users/{id}/second-factor/reset"),
            &admin,
            ""
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let deactivate = format!("/api/v1/users/{id}/deactivate");
    assert_eq!(
        t.post_json(&deactivate, &coord, "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.post_json(&deactivate, &admin, "").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.get(&format!("/api/v1/users/{id}"), Some(&admin))
            .await
            .json()["active"],
        false
    );
    assert_eq!(
        t.get("/api/v1/users/999999", Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
}
