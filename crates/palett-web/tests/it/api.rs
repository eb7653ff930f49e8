use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test]
async fn healthz_answers_without_signing_in() {
    let t = TestApp::new().await;
    let r = t.get("/healthz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
}

/// `/readyz` says whether a write can begin and commit: while another
/// holds SQLite's write lock past the deadline it answers 503, and 200
/// again once the lock is released (`/healthz` answers 200 throughout).
#[tokio::test]
async fn readyz_answers_whether_the_database_can_be_written() {
    use sqlx::Connection;
    let t = TestApp::new().await;
    let r = t.get("/readyz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));

    let url = format!("sqlite://{}", t.path.display());
    let mut other = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("a second connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("taking the write lock");
    let r = t.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.body, "database cannot be written");
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);

    sqlx::query("ROLLBACK")
        .execute(&mut other)
        .await
        .expect("releasing it");
    let r = t.get("/readyz", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));
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
        let (row, secret) = t
            .app
            .create_token(&s.ctx("127.0.0.1"), &token_named("revoke me"), &[], None)
            .await
            .expect("token");
        (row.id, secret)
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
    let org = t.org_of(&token).await;

    // Malformed JSON.
    let r = t
        .post_json("/api/v1/participants", &token, "{\"given_name\": ")
        .await;
    r.assert_fields(StatusCode::BAD_REQUEST, &["body"]);

    // A JSON array instead of an object.
    let r = t.post_json("/api/v1/participants", &token, "[1,2]").await;
    r.assert_fields(StatusCode::BAD_REQUEST, &["body"]);

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
        .post_json("/api/v1/participants", &token, &body.to_string())
        .await;
    r.assert_fields(
        StatusCode::UNPROCESSABLE_ENTITY,
        &["given_name", "family_name", "identity_number"],
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
        .post_json("/api/v1/participants", &token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["given_name"]);

    // Wrong types and unknown fields are named too.
    let r = t
        .post_json(
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
    r.assert_fields(StatusCode::BAD_REQUEST, &["page"]);
}

#[tokio::test]
async fn lifecycle_through_the_api_with_an_exit_before_intake_refused() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let id = t.register(&token, &new_participant(org, "Ayan")).await;
    let p = t
        .get(&format!("/api/v1/participants/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(p["status"], "enrolled");
    assert_eq!(p["languages"], serde_json::json!(["somaliska", "svenska"]));

    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/exit"),
            &token,
            r#"{"exit_date": "2026-10-01", "exit_outcome": "studies"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["exit_date"]);
    assert_eq!(
        r.json()["error"]["fields"][0]["code"],
        "error-exit-before-intake"
    );

    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/intake"),
            &token,
            r#"{"intake_date": "2026-11-03"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["intake_date"]);

    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/transitions"),
            &token,
            r#"{"kind": "start", "date": "2026-11-03"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .post_json(
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
        .post_json(
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
    let org = t.org_of(&token).await;
    let id = t.register(&token, &new_participant(org, "Hodan")).await;
    let r = t
        .patch_json(
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
        .patch_json(
            &format!("/api/v1/participants/{id}"),
            &token,
            r#"{"phone": "08-1", "version": 1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .patch_json(
            &format!("/api/v1/participants/{id}"),
            &token,
            r#"{"email": "not-an-email"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["email"]);
}

#[tokio::test]
async fn another_organisations_caseworker_gets_404_and_the_log_shows_only_real_reads() {
    let t = TestApp::new().await;
    let [kommun, af] = t.tokens([KOMMUN_CASEWORKER, AF_CASEWORKER]).await;
    let org = t.org_of(&kommun).await;
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
        .post_json("/api/v1/participants/search", &af, search)
        .await
        .json();
    assert_eq!(list["total"], 0);
    let list = t
        .post_json("/api/v1/participants/search", &kommun, search)
        .await
        .json();
    assert_eq!(list["total"], 1);
    // A name in the URL is refused, by field.
    let r = t.get("/api/v1/participants?q=Samira", Some(&kommun)).await;
    r.assert_fields(StatusCode::BAD_REQUEST, &["q"]);

    // HTML: the same 404.
    let b = t.browser(AF_CASEWORKER).await;
    assert_eq!(
        t.page_status(&b, &format!("/participants/{id}")).await,
        StatusCode::NOT_FOUND
    );
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&kb, &format!("/participants/{id}")).await,
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
    // The entries (the search offers every user's name to pick).
    let rows = page
        .body
        .split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .expect("the log's entries");
    assert!(rows.contains("participant.read"));
    assert!(rows.contains("Läste deltagarens uppgifter"));
    assert!(rows.contains("Kim Coach"));
    assert!(!rows.contains("Ali Handläggare"), "AF made no read of her");
    let _ = (coord, me_kommun, me_af);
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let t = TestApp::new().await;
    let r = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
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
    // And every API route is in it: each feature's `api_routes()` registers
    // its handlers only through `routes!` (which takes their annotations),
    // never with a bare `.route(`, and each handler it names is an
    // operation of the document, however rustfmt wraps the calls.
    let sources = rust_files(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let blocks: Vec<&str> = sources
        .iter()
        .filter_map(|src| src.split("fn api_routes()").nth(1))
        .filter_map(|b| b.split("\n}").next())
        .collect();
    assert!(blocks.len() >= 7, "found the api_routes: {blocks:?}");
    for block in &blocks {
        assert!(
            !block.contains(".route("),
            "an API route registered without its annotation: {block}"
        );
    }
    let handlers: Vec<&str> = blocks
        .iter()
        .flat_map(|block| block.split("routes!(").skip(1))
        .flat_map(|r| r.split(')').next().unwrap_or("").split(','))
        .filter_map(|h| h.trim().rsplit("::").next())
        .filter(|h| !h.is_empty())
        .collect();
    assert!(handlers.len() >= 40, "found the API handlers: {handlers:?}");
    let operations: Vec<(&str, &str, &serde_json::Value)> = paths
        .iter()
        .flat_map(|(path, item)| {
            let ops = item.as_object().expect("a path item");
            ops.iter()
                .filter(|(m, _)| *m != "parameters")
                .map(move |(m, op)| (path.as_str(), m.as_str(), op))
        })
        .collect();
    // Each operation has an id of its own (clients generate names from it).
    let mut ids: Vec<&str> = operations
        .iter()
        .filter_map(|(_, _, op)| op["operationId"].as_str())
        .collect();
    ids.sort_unstable();
    let twice: Vec<&&str> = ids
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    assert!(twice.is_empty(), "operation ids used twice: {twice:?}");
    let mut missing: Vec<&str> = handlers
        .iter()
        .copied()
        .filter(|h| !operations.iter().any(|(_, _, op)| op["operationId"] == *h))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "handlers not in openapi.json: {missing:?}"
    );
    // The other way round: each documented operation is served. Without
    // credentials each answers 401 (an unknown route would be 404, another
    // method 405), or 200 for the document itself, which needs none.
    assert!(operations.len() > handlers.len(), "and the document itself");
    for (path, method, op) in operations {
        let open = op["security"] == serde_json::json!([{}]);
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(format!("/api/v1{}", path.replace("{id}", "1")))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .expect("request");
        let want = if open {
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(t.send(req).await.status, want, "{method} {path}");
    }
}

/// The properties a schema of the document gives an object, following
/// `$ref` and `allOf` (a flattened part).
fn properties(doc: &serde_json::Value, schema: &serde_json::Value) -> Vec<String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().expect("a schema name");
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut out: Vec<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        out.extend(properties(doc, part));
    }
    out
}

/// The schema of the named component.
fn component<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "no schema {name}");
    s
}

#[tokio::test]
async fn the_openapi_document_shows_the_fields_the_api_sends_and_reads() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let id = t
        .register(&token, &new_participant(org, "Dokumenterad"))
        .await;
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/transitions"),
            &token,
            r#"{"kind": "start", "date": "2026-11-03"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Her record as sent: every field of it, and of a status history row,
    // is a property of the documented schema of the answer.
    let record = t
        .get(&format!("/api/v1/participants/{id}"), Some(&token))
        .await
        .json();
    let op = &doc["paths"]["/participants/{id}"]["get"];
    let documented = properties(
        &doc,
        &op["responses"]["200"]["content"]["application/json"]["schema"],
    );
    let sent: Vec<&String> = record.as_object().expect("an object").keys().collect();
    assert!(sent.len() > 20, "{sent:?}");
    for field in sent {
        assert!(documented.contains(field), "{field} is not documented");
    }
    let history = record["history"].as_array().expect("her history");
    assert!(!history.is_empty());
    let row = properties(&doc, component(&doc, "StatusEvent"));
    for field in history[0].as_object().expect("a row").keys() {
        assert!(row.contains(field), "history's {field} is not documented");
    }
    // A field only the type knows is in its schema.
    assert!(properties(&doc, component(&doc, "Participant"))
        .contains(&"processing_restricted".to_string()));
    // The request body is documented from the spec the handler reads:
    // `pause_kind`, which the hand-written document lacked, is there, and
    // no other field is accepted.
    let body = component(&doc, "TransitionBody");
    let mut fields = properties(&doc, body);
    fields.sort();
    assert_eq!(fields, ["date", "kind", "pause_kind", "reason"]);
    assert_eq!(body["additionalProperties"], false);
    assert_eq!(
        doc["paths"]["/participants/{id}/transitions"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"]["$ref"],
        "#/components/schemas/TransitionBody"
    );
    // Errors are documented once and referenced by every operation.
    assert_eq!(
        op["responses"]["404"]["$ref"],
        "#/components/responses/NotFound"
    );
    assert!(properties(&doc, component(&doc, "FieldError")).contains(&"existing_id".to_string()));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

/// The text of every Rust file below `dir`.
fn rust_files(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            out.extend(rust_files(path.to_str().expect("a UTF-8 path")));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).expect("a readable source"));
        }
    }
    out
}

/// The code of the error on `field` in a JSON error body.
fn field_code(r: &Resp, field: &str) -> String {
    r.json()["error"]["fields"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["field"] == field))
        .and_then(|f| f["code"].as_str())
        .unwrap_or_else(|| panic!("no error on {field}: {}", r.body))
        .to_string()
}

#[tokio::test]
async fn json_values_of_the_wrong_type_are_refused_by_field_not_coerced() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let valid: serde_json::Value =
        serde_json::from_str(&new_participant(org, "Typad")).expect("json");
    let with = |k: &str, v: serde_json::Value| {
        let mut b = valid.clone();
        b[k] = v;
        b.to_string()
    };
    // Each wrong type answers 422 naming the field and the type it wants.
    for (field, value, code) in [
        ("given_name", serde_json::json!(123), "error-json-string"),
        (
            "interpreter_needed",
            serde_json::json!("yes"),
            "error-json-boolean",
        ),
        (
            "interpreter_needed",
            serde_json::json!("true"),
            "error-json-boolean",
        ),
        (
            "responsible_organisation_id",
            serde_json::json!(org.to_string()),
            "error-json-integer",
        ),
        (
            "arrival_year",
            serde_json::json!(2001.5),
            "error-json-integer",
        ),
        (
            "caseworker_ids",
            serde_json::json!(["1"]),
            "error-json-integer-list",
        ),
        ("languages", serde_json::json!([1, 2]), "error-json-string"),
        (
            "protected_identity",
            serde_json::json!(1),
            "error-json-boolean",
        ),
    ] {
        let r = t
            .post_json("/api/v1/participants", &token, &with(field, value.clone()))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {}",
            r.body
        );
        assert_eq!(r.error_fields(), vec![field.to_string()], "{field}={value}");
        assert_eq!(field_code(&r, field), code, "{field}={value}");
        assert_eq!(r.json()["error"]["code"], "invalid");
    }
    // Nothing of these was registered; the valid body still is.
    let r = t
        .post_json("/api/v1/participants/search", &token, r#"{"q": "Typad"}"#)
        .await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    let id = t.register(&token, &valid.to_string()).await;
    // Unknown fields stay refused, next to type errors.
    let r = t
        .post_json(
            "/api/v1/participants",
            &token,
            &with("shoe_size", serde_json::json!(38)),
        )
        .await;
    assert_eq!(
        (r.status, field_code(&r, "shoe_size")),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-unknown-field".into()
        )
    );
    // PATCH, the search and the transitions check types too.
    for (path, method, body, field, code) in [
        (
            format!("/api/v1/participants/{id}"),
            "PATCH",
            r#"{"version": "1"}"#,
            "version",
            "error-json-integer",
        ),
        (
            format!("/api/v1/participants/{id}"),
            "PATCH",
            r#"{"family_name": false}"#,
            "family_name",
            "error-json-string",
        ),
        (
            "/api/v1/participants/search".into(),
            "POST",
            r#"{"organisation_id": "3"}"#,
            "organisation_id",
            "error-json-integer",
        ),
        (
            format!("/api/v1/participants/{id}/transitions"),
            "POST",
            r#"{"kind": 1, "date": "2026-11-03"}"#,
            "kind",
            "error-json-string",
        ),
        (
            format!("/api/v1/participants/{id}/notes"),
            "POST",
            r#"{"body": ["a"], "visibility": "shared"}"#,
            "body",
            "error-json-string",
        ),
        (
            format!("/api/v1/participants/{id}/restriction"),
            "POST",
            r#"{"restricted": "true", "reason": "Hon bestrider uppgifterna"}"#,
            "restricted",
            "error-json-boolean",
        ),
    ] {
        let r = t.json(method, &path, &token, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {path} {body}: {}",
            r.body
        );
        assert_eq!(field_code(&r, field), code, "{method} {path} {body}");
    }
    // The palette: capacity a number, group_based a boolean, hours a number or text.
    let coordinator = t.token(COORDINATOR).await;
    let r = t.post_json("/api/v1/palette",
            &coordinator,
            &serde_json::json!({"name": "Typkurs", "kind": "course", "provider_organisation_id": org,
                "capacity": "12", "group_based": "yes"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (field_code(&r, "capacity"), field_code(&r, "group_based")),
        ("error-json-integer".into(), "error-json-boolean".into())
    );
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/activities"),
            &token,
            r#"{"intervention_id": 1, "on_date": "2026-11-20", "hours": true}"#,
        )
        .await;
    assert_eq!(field_code(&r, "hours"), "error-json-number");
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{id}/plan"),
            &token,
            &serde_json::json!({"goals": [{"text": 5, "category": "work"}],
                "steps": [{"intervention_id": "1", "responsible_organisation_id": org}]})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        (
            field_code(&r, "goals[0].text"),
            field_code(&r, "steps[0].intervention_id")
        ),
        ("error-json-string".into(), "error-json-integer".into())
    );
    // The research export: k is a number, not the text "5".
    let evaluator = t.token(EVALUATOR).await;
    let r = t
        .post_json(
            "/api/v1/exports/research",
            &evaluator,
            r#"{"key": "utvärderingens nyckel", "k": "5"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.error_fields(), field_code(&r, "k")),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["k".to_string()],
            "error-json-integer".into()
        )
    );
    // And the message says what is wanted, in the caller's language.
    assert!(r.json()["error"]["fields"][0]["message"]
        .as_str()
        .expect("message")
        .contains("heltal"));
}

#[tokio::test]
async fn paging_out_of_range_is_refused_naming_the_parameter() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    for (query, field, code) in [
        ("page=0", "page", "error-page"),
        ("page=-1", "page", "error-page"),
        ("page=abc", "page", "error-page"),
        ("page=1.5", "page", "error-page"),
        ("per_page=1000", "per_page", "error-per-page"),
        ("per_page=101", "per_page", "error-per-page"),
        ("per_page=0", "per_page", "error-per-page"),
        ("per_page=x", "per_page", "error-per-page"),
    ] {
        let r = t
            .get(&format!("/api/v1/participants?{query}"), Some(&token))
            .await;
        assert_eq!(
            (r.status, r.error_fields()),
            (StatusCode::BAD_REQUEST, vec![field.to_string()]),
            "{query}: {}",
            r.body
        );
        assert_eq!(field_code(&r, field), code, "{query}");
    }
    // In a search body the same values are a 422 on the field.
    let r = t
        .post_json(
            "/api/v1/participants/search",
            &token,
            r#"{"page": 0, "per_page": 1000}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["page"]);
    // The edges are accepted, as documented.
    let r = t
        .get("/api/v1/participants?page=2&per_page=100", Some(&token))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (j["page"].as_i64(), j["per_page"].as_i64()),
        (Some(2), Some(100))
    );
    let r = t.get("/api/v1/participants?per_page=1", Some(&token)).await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_name_with_nul_and_a_note_with_a_noncharacter_get_their_field_errors() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    // API: the name with NUL.
    let mut body: serde_json::Value =
        serde_json::from_str(&new_participant(org, "Nul")).expect("json");
    body["given_name"] = serde_json::json!("An\u{0}na");
    let r = t
        .post_json("/api/v1/participants", &token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["given_name"]);
    assert_eq!(field_code(&r, "given_name"), "error-control-characters");
    // A name that reverses itself on screen, and one on two lines.
    body["given_name"] = serde_json::json!("Anna\u{202E}nimda");
    let r = t
        .post_json("/api/v1/participants", &token, &body.to_string())
        .await;
    assert_eq!(field_code(&r, "given_name"), "error-text-bidi");
    body["given_name"] = serde_json::json!("Anna\nBerg");
    let r = t
        .post_json("/api/v1/participants", &token, &body.to_string())
        .await;
    assert_eq!(field_code(&r, "given_name"), "error-text-line-break");
    // HTML: the same name in the intake form, re-shown with its message.
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let org_s = org.to_string();
    let r = t
        .post_invalid(
            &b,
            "/participants/new",
            &[
                ("given_name", "An\u{0}na"),
                ("family_name", "Formsson"),
                ("identity_kind", "birth_date"),
                ("birth_date", "1980-04-02"),
                ("gender", "woman"),
                ("referral_source", "municipality"),
                ("responsible_organisation_id", org_s.as_str()),
            ],
        )
        .await;
    let error = r
        .body
        .split("id=\"f-given_name-error\">")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_else(|| panic!("no error on given_name: {}", r.body));
    assert!(error.contains("styrtecken"), "{error}");
    assert!(!r.body.contains("f-family_name-error"));

    // A note with U+FFFF, which would break the XLSX export.
    let pid = t.register(&token, &new_participant(org, "Anteckna")).await;
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/notes"),
            &token,
            &serde_json::json!({"body": "Samtal\u{FFFF} idag", "visibility": "shared"}).to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["body"]);
    assert_eq!(field_code(&r, "body"), "error-text-noncharacter");
    let r = t
        .post_invalid(
            &b,
            &format!("/participants/{pid}/notes"),
            &[("body", "Samtal\u{FFFF} idag"), ("visibility", "shared")],
        )
        .await;
    let error = r
        .body
        .split("id=\"f-body-error\">")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_else(|| panic!("no error on body: {}", r.body));
    assert!(error.contains("U+FFFF"), "{error}");
    // Line breaks in a note are kept, with \r\n made \n.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/notes"),
            &token,
            &serde_json::json!({"body": "Rad ett\r\nRad två", "visibility": "shared"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let notes = t
        .get(&format!("/api/v1/participants/{pid}/notes"), Some(&token))
        .await
        .json();
    assert_eq!(notes["items"][0]["body"], "Rad ett\nRad två");
}

/// A POST with the key, through the API as the token's user.
async fn keyed(t: &TestApp, token: &str, key: &str, path: &str, body: &str) -> Resp {
    let req = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", key)
        .body(Body::from(body.to_string()))
        .expect("request");
    t.send(req).await
}

/// How many participants the user's search finds by this name (a search
/// is a POST without a key, so it is never replayed).
async fn named(t: &TestApp, token: &str, name: &str) -> serde_json::Value {
    let q = serde_json::json!({ "q": name }).to_string();
    t.post_json("/api/v1/participants/search", token, &q)
        .await
        .json()["total"]
        .clone()
}

/// Issue 18: a client that retries an intake with the same
/// `Idempotency-Key` gets the first answer again, marked as replayed, and
/// she is registered once; the key used for another body is refused; a
/// refused request frees its key; keys are each user's own.
#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_creates_nothing_twice() {
    let t = TestApp::new().await;
    let [kommun, other_user] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let org = t.org_of(&kommun).await;
    let body = new_participant(org, "Idempotenta");
    let key = "3f0c1c9e-0b9a-4a57-8d7e-6f2b1e4c9a10";

    let first = keyed(&t, &kommun, key, "/api/v1/participants", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(!first.headers.contains_key("idempotent-replayed"));
    let again = keyed(&t, &kommun, key, "/api/v1/participants", &body).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(again.location(), first.location());
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(
        named(&t, &kommun, "Idempotenta").await,
        1,
        "registered once"
    );

    // The same key for another request: refused, nothing created.
    let other = new_participant(org, "Andra");
    let r = keyed(&t, &kommun, key, "/api/v1/participants", &other).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["Idempotency-Key"]);
    assert_eq!(named(&t, &kommun, "Andra").await, 0);

    // A refused request frees its key: corrected, it runs.
    let key2 = "retry-after-a-field-error";
    let bad = body.replace("\"1980-04-02\"", "\"1980-02-31\"");
    let r = keyed(&t, &kommun, key2, "/api/v1/participants", &bad).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["birth_date"]);
    let fixed = new_participant(org, "Rättade");
    let r = keyed(&t, &kommun, key2, "/api/v1/participants", &fixed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(named(&t, &kommun, "Rättade").await, 1);

    // Another user's same key is hers: it runs for her.
    let other_org = t.org_of(&other_user).await;
    let hers = new_participant(other_org, "Egna");
    let r = keyed(&t, &other_user, key, "/api/v1/participants", &hers).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!r.headers.contains_key("idempotent-replayed"));

    // A key that is not one: 400 naming the header.
    for bad_key in ["", "två ord", &"k".repeat(256)] {
        let r = keyed(&t, &kommun, bad_key, "/api/v1/participants", &body).await;
        r.assert_fields(StatusCode::BAD_REQUEST, &["Idempotency-Key"]);
    }
    // Without signing in, the key changes nothing: 401.
    let req = Request::post("/api/v1/participants")
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", key)
        .body(Body::from(body.clone()))
        .expect("request");
    assert_eq!(t.send(req).await.status, StatusCode::UNAUTHORIZED);
}

/// The same keyed request sent eight times at once: one runs; every other
/// gets its answer again or is told it still runs (409), and she is
/// registered once.
#[tokio::test]
async fn the_same_idempotent_request_at_once_runs_once() {
    let t = std::sync::Arc::new(TestApp::new().await);
    let kommun = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kommun).await;
    let body = new_participant(org, "Samtidiga");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (t, kommun, body) = (t.clone(), kommun.clone(), body.clone());
            tokio::spawn(async move {
                keyed(&t, &kommun, "same-time", "/api/v1/participants", &body).await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        let r = task.await.expect("task");
        match r.status {
            StatusCode::CREATED => ids.push(r.json()["id"].as_i64().expect("id")),
            StatusCode::CONFLICT => {
                assert_eq!(
                    r.json()["error"]["code"],
                    "idempotency-in-flight",
                    "{}",
                    r.body
                )
            }
            other => panic!("{other}: {}", r.body),
        }
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one participant answered: {ids:?}");
    assert_eq!(named(&t, &kommun, "Samtidiga").await, 1);
}
