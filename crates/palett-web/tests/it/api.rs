use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

async fn org_of(t: &TestApp, token: &str) -> i64 {
    t.get("/api/v1/me", Some(token)).await.json()["organisation"]["id"]
        .as_i64()
        .expect("org id")
}

#[tokio::test]
async fn healthz_answers_without_signing_in() {
    let t = TestApp::new().await;
    let r = t.get("/healthz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn the_demo_summary_of_tillvaxt_kvinna() {
    let t = TestApp::new().await;
    let token = t.token(EVALUATOR).await;
    let id = t.tillvaxt_kvinna(&token).await;
    let s = t
        .get(&format!("/api/v1/projects/{id}/summary"), Some(&token))
        .await;
    assert_eq!(s.status, StatusCode::OK);
    let j = s.json();
    assert_eq!(j["enrolled"], 267);
    assert_eq!(j["participant_target"], 360);
    assert_eq!(j["ended"], 247);
    assert_eq!(j["ended_to_job_or_studies"], 42);
    assert_eq!(j["share_to_job_or_studies"], 17.0);
    assert_eq!(j["job_or_studies_target"], 20.0);
    assert_eq!(j["enrolled_of_target"], 74.2);
    // An unknown project is a 404 with a JSON body.
    let r = t.get("/api/v1/projects/999999/summary", Some(&token)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not-found");
}

#[tokio::test]
async fn the_api_refuses_callers_without_a_valid_token() {
    let t = TestApp::new().await;
    let r = t.get("/api/v1/projects", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
    let r = t.get("/api/v1/projects", Some("plt_not-a-token")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A revoked token stops working.
    let (id, secret) = {
        let s = t
            .app
            .session(&t.browser(COORDINATOR).await.cookie)
            .await
            .expect("ok")
            .expect("session");
        t.app
            .create_token(&s.ctx("127.0.0.1"), "revoke me")
            .await
            .expect("token")
    };
    assert_eq!(
        t.get("/api/v1/projects", Some(&secret)).await.status,
        StatusCode::OK
    );
    let s = t
        .app
        .session(&t.browser(COORDINATOR).await.cookie)
        .await
        .expect("ok")
        .expect("session");
    t.app
        .revoke_token(&s.ctx("127.0.0.1"), id)
        .await
        .expect("revoke");
    assert_eq!(
        t.get("/api/v1/projects", Some(&secret)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_json_input_gets_4xx_naming_the_field() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = org_of(&t, &token).await;

    // Malformed JSON.
    let r = t
        .json("POST", "/api/v1/participants", &token, "{\"given_name\": ")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_fields(), vec!["body"]);

    // A JSON array instead of an object.
    let r = t
        .json("POST", "/api/v1/participants", &token, "[1,2]")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_fields(), vec!["body"]);

    // Wrong content type.
    let req = Request::post("/api/v1/participants")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(new_participant(org, "Anna")))
        .expect("request");
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json()["error"]["code"], "content-type");

    // Empty names and a personnummer with a wrong check digit.
    let body = serde_json::json!({
        "given_name": "", "family_name": "  ", "identity_kind": "personnummer",
        "identity_number": "19121212-1213", "gender": "woman", "referral_source": "self",
        "responsible_organisation_id": org,
    });
    let r = t
        .json("POST", "/api/v1/participants", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_fields(),
        vec!["given_name", "family_name", "identity_number"]
    );
    let j = r.json();
    assert_eq!(j["error"]["fields"][2]["code"], "error-pin-checksum");
    assert!(j["error"]["fields"][2]["message"]
        .as_str()
        .expect("message")
        .contains("Kontrollsiffran"));

    // A 10 MB field is refused by name, not with a 500.
    let huge = "a".repeat(10 * 1024 * 1024);
    let body = serde_json::json!({
        "given_name": huge, "family_name": "Testsson", "identity_kind": "birth_date",
        "birth_date": "1980-01-01", "gender": "woman", "referral_source": "self",
        "responsible_organisation_id": org,
    });
    let r = t
        .json("POST", "/api/v1/participants", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["given_name"]);

    // Wrong types and unknown fields are named too.
    let r = t
        .json(
            "POST",
            "/api/v1/participants",
            &token,
            r#"{"given_name": {"a": 1}, "shoe_size": 38}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["given_name", "shoe_size"]);

    // Bad query parameters.
    let r = t.get("/api/v1/participants?page=abc", Some(&token)).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::BAD_REQUEST, vec!["page".to_string()])
    );
}

#[tokio::test]
async fn lifecycle_through_the_api_with_an_exit_before_intake_refused() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = org_of(&t, &token).await;
    let id = t.register(&token, &new_participant(org, "Ayan")).await;
    let p = t
        .get(&format!("/api/v1/participants/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(p["status"], "enrolled");
    assert_eq!(p["languages"], serde_json::json!(["somaliska", "svenska"]));

    let r = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/exit"),
            &token,
            r#"{"exit_date": "2026-10-01", "exit_outcome": "studies"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["exit_date"]);
    assert_eq!(
        r.json()["error"]["fields"][0]["code"],
        "error-exit-before-intake"
    );

    let r = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/intake"),
            &token,
            r#"{"intake_date": "2026-11-03"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), vec!["intake_date"]);

    let r = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/transitions"),
            &token,
            r#"{"kind": "start", "date": "2026-11-03"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/exit"),
            &token,
            r#"{"exit_date": "2026-11-20", "exit_outcome": "studies"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (j["status"].as_str(), j["exit_outcome"].as_str()),
        (Some("ended"), Some("studies"))
    );
    let kinds: Vec<&str> = j["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["kind"].as_str())
        .collect();
    assert_eq!(kinds, vec!["referral", "intake", "start", "exit"]);

    // Reopening is for coordinators only.
    let r = t
        .json(
            "POST",
            &format!("/api/v1/participants/{id}/transitions"),
            &token,
            r#"{"kind": "reopen", "date": "2026-11-21", "reason": "Studierna avbröts"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_refuses_stale_versions() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = org_of(&t, &token).await;
    let id = t.register(&token, &new_participant(org, "Hodan")).await;
    let r = t
        .json(
            "PATCH",
            &format!("/api/v1/participants/{id}"),
            &token,
            r#"{"phone": "070-123 45 67", "version": 1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (
            j["phone"].as_str(),
            j["given_name"].as_str(),
            j["version"].as_i64()
        ),
        (Some("070-123 45 67"), Some("Hodan"), Some(2))
    );
    let r = t
        .json(
            "PATCH",
            &format!("/api/v1/participants/{id}"),
            &token,
            r#"{"phone": "08-1", "version": 1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .json(
            "PATCH",
            &format!("/api/v1/participants/{id}"),
            &token,
            r#"{"email": "not-an-email"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["email".to_string()])
    );
}

#[tokio::test]
async fn another_organisations_caseworker_gets_404_and_the_log_shows_only_real_reads() {
    let t = TestApp::new().await;
    let kommun = t.token(KOMMUN_CASEWORKER).await;
    let af = t.token(AF_CASEWORKER).await;
    let org = org_of(&t, &kommun).await;
    let id = t.register(&kommun, &new_participant(org, "Samira")).await;

    // API: 404 exactly like an id that does not exist.
    let hidden = t
        .get(&format!("/api/v1/participants/{id}"), Some(&af))
        .await;
    let missing = t.get("/api/v1/participants/99999999", Some(&af)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
    let r = t.get("/api/v1/participants/not-a-number", Some(&af)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nor in lists or counts.
    let search = r#"{"q": "Samira Testsson"}"#;
    let list = t
        .json("POST", "/api/v1/participants/search", &af, search)
        .await
        .json();
    assert_eq!(list["total"], 0);
    let list = t
        .json("POST", "/api/v1/participants/search", &kommun, search)
        .await
        .json();
    assert_eq!(list["total"], 1);
    // A name in the URL is refused, by field.
    let r = t.get("/api/v1/participants?q=Samira", Some(&kommun)).await;
    assert_eq!(
        (r.status, r.error_fields()),
        (StatusCode::BAD_REQUEST, vec!["q".to_string()])
    );

    // HTML: the same 404.
    let b = t.browser(AF_CASEWORKER).await;
    assert_eq!(
        t.page(&b, &format!("/participants/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page(&kb, &format!("/participants/{id}")).await.status,
        StatusCode::OK
    );

    // The audit log shows the kommun caseworker's reads and none by AF.
    let coord = t.token(COORDINATOR).await;
    let me_kommun = t.get("/api/v1/me", Some(&kommun)).await.json()["id"]
        .as_i64()
        .expect("id");
    let me_af = t.get("/api/v1/me", Some(&af)).await.json()["id"]
        .as_i64()
        .expect("id");
    let cb = t.browser(COORDINATOR).await;
    let page = t.page(&cb, &format!("/audit?participant={id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("participant.read"));
    assert!(page.body.contains("Kim Coach"));
    assert!(
        !page.body.contains("Ali Handläggare"),
        "AF made no read of her"
    );
    let _ = (coord, me_kommun, me_af);
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let t = TestApp::new().await;
    let r = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in [
        ("/projects", vec!["get"]),
        ("/projects/{id}/summary", vec!["get"]),
        ("/participants", vec!["get", "post"]),
        ("/participants/search", vec!["post"]),
        ("/participants/{id}", vec!["get", "patch"]),
        ("/participants/{id}/intake", vec!["post"]),
        ("/participants/{id}/exit", vec!["post"]),
        ("/participants/{id}/transitions", vec!["post"]),
        ("/me", vec!["get"]),
    ] {
        for m in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(m)).is_some(),
                "{m} {path} missing from openapi.json"
            );
        }
    }
    // And the router source lists no API route the document lacks: every
    // `.route("…"` of the `api` router, however rustfmt wraps it.
    let src = include_str!("../../src/lib.rs");
    let block = src
        .split("let api = Router::new()")
        .nth(1)
        .and_then(|b| b.split(';').next())
        .expect("the api router");
    let routes: Vec<&str> = block
        .split(".route(")
        .skip(1)
        .filter_map(|r| r.split('"').nth(1))
        .collect();
    assert!(routes.len() >= 9, "found the API routes: {routes:?}");
    let mut missing: Vec<&str> = routes
        .into_iter()
        .filter(|p| *p != "/openapi.json" && !paths.contains_key(*p))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "routes not in openapi.json: {missing:?}"
    );
}
