//! A questionnaire's draft published or discarded through the API, as the
//! buttons on its page do.

use crate::api_admin::{code, limited};
use crate::questionnaires::{fixture, instrument_id, upload};
use crate::support::*;
use axum::http::StatusCode;

/// The trygghet form uploaded as a draft by the evaluator; its id.
async fn draft(t: &TestApp) -> i64 {
    let evaluator = t.browser(EVALUATOR).await;
    let r = upload(t, &evaluator, &fixture("trygghet.xlsx"), true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    instrument_id(&r.location())
}

#[tokio::test]
async fn a_draft_is_published_through_the_api_once() {
    let t = TestApp::new().await;
    let id = draft(&t).await;
    let token = t.token(EVALUATOR).await;
    let publish = format!("/api/v1/instruments/{id}/versions/1/publish");
    // Unknown instruments and versions are not found; who may not design
    // instruments, or a token for another area or only to read, is refused.
    for path in [
        "/api/v1/instruments/999999/versions/1/publish".to_string(),
        format!("/api/v1/instruments/{id}/versions/9/publish"),
        format!("/api/v1/instruments/{id}/versions/x/publish"),
    ] {
        let r = t.post_json(&path, &token, "{}").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    let r = t.post_json(&publish, &caseworker, "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let other = limited(&t, EVALUATOR, false, &["projects"], "").await;
    let r = t.post_json(&publish, &other, "{}").await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    let read_only = limited(&t, EVALUATOR, true, &[], "").await;
    let r = t.post_json(&publish, &read_only, "{}").await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let version = format!("/api/v1/instruments/{id}/versions/1");
    assert_eq!(
        t.get(&version, Some(&token)).await.json()["published"],
        false
    );

    let r = t.post_json(&publish, &token, "{}").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["published"], true);
    assert_eq!(r.json()["version"], 1);
    assert_eq!(
        t.get(&version, Some(&token)).await.json()["published"],
        true
    );
    // Published, it is published: again is refused on `version`, and it
    // cannot be discarded.
    t.post_json(&publish, &token, "{}")
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["version"]);
    t.post_json(
        &format!("/api/v1/instruments/{id}/versions/1/discard"),
        &token,
        r#"{"confirm": true}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["version"]);
    assert_eq!(t.get(&version, Some(&token)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_draft_is_discarded_through_the_api_only_when_confirmed() {
    let t = TestApp::new().await;
    let id = draft(&t).await;
    let token = t.token(EVALUATOR).await;
    let discard = format!("/api/v1/instruments/{id}/versions/1/discard");
    let version = format!("/api/v1/instruments/{id}/versions/1");
    // Unconfirmed, or confirmed with the wrong type, nothing happens.
    for (body, status) in [
        ("{}", StatusCode::UNPROCESSABLE_ENTITY),
        (r#"{"confirm": false}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (r#"{"confirm": "yes"}"#, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        t.post_json(&discard, &token, body)
            .await
            .assert_fields(status, &["confirm"]);
    }
    assert_eq!(t.get(&version, Some(&token)).await.status, StatusCode::OK);
    // An unknown draft is not found; who may not design instruments is
    // refused, whatever the body.
    let r = t
        .post_json(
            &format!("/api/v1/instruments/{id}/versions/9/discard"),
            &token,
            r#"{"confirm": true}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    let r = t.post_json(&discard, &caseworker, "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.post_json(&discard, &token, r#"{"confirm": true}"#).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        t.get(&version, Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
    // Gone, it is not found again.
    let r = t.post_json(&discard, &token, r#"{"confirm": true}"#).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

#[tokio::test]
async fn an_xlsform_is_uploaded_through_the_api_its_problems_named_by_cell() {
    use base64::Engine;
    let t = TestApp::new().await;
    let token = t.token(EVALUATOR).await;
    let body = |file: &[u8]| {
        serde_json::json!({
            "file_name": "form.xlsx",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(file),
        })
        .to_string()
    };
    let good = body(&fixture("trygghet.xlsx"));
    // Who may not design instruments, or a read-only token, is refused.
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    let r = t.post_json("/api/v1/instruments", &caseworker, &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let read_only = limited(&t, EVALUATOR, true, &[], "").await;
    let r = t.post_json("/api/v1/instruments", &read_only, &good).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    // A broken workbook: every problem by sheet, row and column, as the
    // page lists them; nothing is kept.
    let before = t.get("/api/v1/instruments", Some(&token)).await.json();
    let r = t
        .post_json(
            "/api/v1/instruments",
            &token,
            &body(&fixture("trasig.xlsx")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = r.error_fields();
    assert!(!fields.is_empty());
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("survey/") && f.matches('/').count() == 2),
        "{fields:?}"
    );
    assert_eq!(
        t.get("/api/v1/instruments", Some(&token)).await.json(),
        before
    );
    // Not a workbook, or not base64, or no file: on `content_base64`;
    // a wrong type by name.
    for bad in [
        body(b"just text"),
        r#"{"file_name": "a.xlsx", "content_base64": "%%%"}"#.to_string(),
        r#"{"file_name": "a.xlsx", "content_base64": ""}"#.to_string(),
    ] {
        t.post_json("/api/v1/instruments", &token, &bad)
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["content_base64"]);
    }
    t.post_json("/api/v1/instruments", &token, r#"{"content_base64": 7}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["content_base64"]);
    // The good one is a draft, version 1, then replaced while unpublished.
    let r = t.post_json("/api/v1/instruments", &token, &good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = r.json();
    assert_eq!(
        (made["version"].as_i64(), made["replaced_draft"].as_bool()),
        (Some(1), Some(false))
    );
    let version = t.get(&r.location(), Some(&token)).await.json();
    assert_eq!(version["published"], false);
    let again = t
        .post_json("/api/v1/instruments", &token, &good)
        .await
        .json();
    assert_eq!(again["instrument_id"], made["instrument_id"]);
    assert_eq!(again["replaced_draft"], true);
}

#[tokio::test]
async fn an_instrument_and_its_schedules_are_read_and_set_through_the_api() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b = t.browser(COORDINATOR).await;
    let project = t.tillvaxt_kvinna(&token).await;
    let list = t.get("/api/v1/instruments", Some(&token)).await.json();
    let id = list[0]["id"].as_i64().expect("an instrument in the demo");
    let path = format!("/api/v1/instruments/{id}");
    let r = t.get(&path, Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let shown = r.json();
    assert_eq!(shown["instrument"], list[0]);
    let versions = shown["versions"].as_array().expect("versions");
    assert!(!versions.is_empty());
    let page = t.page(&b, &format!("/questionnaires/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let title = shown["instrument"]["title"].as_str().expect("a title");
    assert!(page.body.contains(title), "{title}");
    // Unknown instruments are not found; a token for another area is
    // refused.
    for (who, at) in [
        (&token, "/api/v1/instruments/999999"),
        (&token, "/api/v1/instruments/x"),
    ] {
        assert_eq!(
            t.get(at, Some(who)).await.status,
            StatusCode::NOT_FOUND,
            "{at}"
        );
    }
    let other = limited(&t, COORDINATOR, true, &["projects"], "").await;
    let r = t.get(&path, Some(&other)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    let caseworker = t.token(KOMMUN_CASEWORKER).await;

    // A schedule: refused by field, and by who may not, before it is set.
    let schedule = format!("{path}/schedule");
    for (body, fields) in [
        (serde_json::json!({"at_intake": true}), vec!["project"]),
        (
            serde_json::json!({"project": 999999, "at_intake": true}),
            vec!["project"],
        ),
        (serde_json::json!({"project": project}), vec!["at_intake"]),
        (
            serde_json::json!({"project": project, "every_months": 99}),
            vec!["every_months"],
        ),
        (
            serde_json::json!({"project": project, "at_exit": "ja"}),
            vec!["at_exit"],
        ),
    ] {
        t.json("PUT", &schedule, &token, &body.to_string())
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &fields);
    }
    let good =
        serde_json::json!({"project": project, "at_intake": true, "every_months": 6}).to_string();
    let r = t.json("PUT", &schedule, &caseworker, &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let read_only = limited(&t, COORDINATOR, true, &[], "").await;
    let r = t.json("PUT", &schedule, &read_only, &good).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let r = t
        .json("PUT", "/api/v1/instruments/999999/schedule", &token, &good)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let scheduled = |v: &serde_json::Value| {
        v["schedules"]
            .as_array()
            .expect("schedules")
            .iter()
            .find(|s| s["project_id"] == project)
            .cloned()
    };
    // The demo's project asks at intake, at exit and six months after; and
    // nothing above changed that.
    let before = scheduled(&t.get(&path, Some(&token)).await.json());
    assert_eq!(
        before.as_ref().map(|s| (&s["every_months"], &s["at_exit"])),
        Some((&serde_json::Value::Null, &serde_json::json!(true)))
    );

    let r = t.json("PUT", &schedule, &token, &good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let set = scheduled(&r.json()).expect("scheduled in the project");
    assert_eq!(
        (
            &set["at_intake"],
            &set["every_months"],
            &set["at_exit"],
            &set["follow_up_months"]
        ),
        (
            &serde_json::json!(true),
            &serde_json::json!(6),
            &serde_json::json!(false),
            &serde_json::Value::Null
        )
    );
    // Removed, the project asks no more.
    let remove = serde_json::json!({"project": project, "remove": true}).to_string();
    let r = t.json("PUT", &schedule, &token, &remove).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(scheduled(&r.json()), None);
}

#[tokio::test]
async fn the_answers_research_export_in_the_api_is_the_pages_file() {
    let t = TestApp::new().await;
    let token = t.token(EVALUATOR).await;
    let b = t.browser(EVALUATOR).await;
    let list = t.get("/api/v1/instruments", Some(&token)).await.json();
    let egenmakt = list
        .as_array()
        .expect("instruments")
        .iter()
        .find(|i| i["title"] == "Egenmakt och livsutrymme")
        .and_then(|i| i["id"].as_i64())
        .expect("the demo's egenmakt instrument");
    let key = "följeforskningens nyckel 2026";
    let api = |format: &str| {
        serde_json::json!({"instrument": egenmakt, "key": key, "format": format}).to_string()
    };
    for format in ["wide", "codebook", "stata"] {
        let r = t
            .post_json("/api/v1/exports/research/answers", &token, &api(format))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.body);
        let fields = [
            ("instrument", egenmakt.to_string()),
            ("key", key.to_string()),
            ("k", "5".to_string()),
            ("format", format.to_string()),
        ];
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = t.post_form(&b, "/exports/research/answers", &refs).await;
        assert_eq!(page.status, StatusCode::OK, "{format}");
        assert_eq!(r.bytes, page.bytes, "{format}: the page's file");
        assert_eq!(
            r.headers["content-disposition"],
            page.headers["content-disposition"]
        );
    }
    // Refused by field: an unknown instrument or format, a short key, a
    // k below 5.
    for (body, field) in [
        (
            serde_json::json!({"instrument": 999999, "key": key, "format": "wide"}),
            "instrument",
        ),
        (
            serde_json::json!({"instrument": egenmakt, "key": key, "format": "pdf"}),
            "format",
        ),
        (
            serde_json::json!({"instrument": egenmakt, "key": "kort", "format": "wide"}),
            "key",
        ),
        (
            serde_json::json!({"instrument": egenmakt, "key": key, "k": 2, "format": "wide"}),
            "k",
        ),
    ] {
        t.post_json(
            "/api/v1/exports/research/answers",
            &token,
            &body.to_string(),
        )
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &[field]);
    }
    // Evaluators only; a token for another area is refused.
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    let r = t
        .post_json(
            "/api/v1/exports/research/answers",
            &caseworker,
            &api("wide"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let other = limited(&t, EVALUATOR, false, &["questionnaires"], "").await;
    let r = t
        .post_json("/api/v1/exports/research/answers", &other, &api("wide"))
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
}
