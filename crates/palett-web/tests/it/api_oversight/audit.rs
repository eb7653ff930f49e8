//! The audit log, its review and retention in the API.

use super::ok;
use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn the_audit_log_is_filtered_and_searched_by_name_within_what_the_reader_sees() {
    let t = TestApp::new().await;
    let [token, kim, kc] = t
        .tokens([
            COORDINATOR,
            KOMMUN_CASEWORKER,
            "samordnare@botkyrka.example",
        ])
        .await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Xiomara")).await;

    // By id and action: her registration, not named to whom may not see her.
    let path = format!("/api/v1/audit?participant_id={pid}&action=participant.create");
    let log = ok(&t, &path, &token).await;
    assert_eq!(log["total"], 1, "{log}");
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "participant.create");
    assert_eq!(entry["action_text"], "Registrerade en deltagare");
    assert!(entry["participant_name"].is_null());
    assert!(entry["user_name"]
        .as_str()
        .is_some_and(|n| n.contains("Kim")));
    let theirs = ok(&t, &path, &kc).await;
    assert_eq!(theirs["items"][0]["participant_name"], "Xiomara Testsson");

    // A search by name is a POST; in the URL it is refused.
    let r = t
        .get("/api/v1/audit?participant_name=Xiomara", Some(&token))
        .await;
    r.assert_fields(StatusCode::BAD_REQUEST, &["participant_name"]);
    let search = |who: &str| {
        let who = who.to_string();
        let t = &t;
        async move {
            let r = t
                .post_json(
                    "/api/v1/audit/search",
                    &who,
                    r#"{"participant_name": "xiomara", "per_page": 100}"#,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    assert_eq!(search(&token).await["total"], 0, "not found by her name");
    let found = search(&kc).await;
    assert!(found["total"].as_i64().is_some_and(|n| n >= 1), "{found}");
    let by_user = t
        .post_json(
            "/api/v1/audit/search",
            &token,
            r#"{"user_name": "kim", "per_page": 5}"#,
        )
        .await
        .json();
    assert!(by_user["items"].as_array().is_some_and(|a| !a.is_empty()
        && a.iter().all(|e| e["user_name"]
            .as_str()
            .is_some_and(|n| n.to_lowercase().contains("kim")))));

    // Bad filters are named: 400 in the URL, 422 in a body.
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("action=participant.dance", "action"),
        ("user_id=kim", "user_id"),
        ("per_page=0", "per_page"),
    ] {
        let r = t.get(&format!("/api/v1/audit?{query}"), Some(&token)).await;
        r.assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
    let r = t
        .post_json(
            "/api/v1/audit/search",
            &token,
            r#"{"user_id": "7", "when": 1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Caseworkers may not read the log.
    assert_eq!(
        t.get("/api/v1/audit", Some(&kim)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/api/v1/audit/review", Some(&kim)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_log_review_is_due_until_one_is_signed() {
    let t = TestApp::new().await;
    let [token, kim] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    // Reads to sample, and an emergency access with its reason.
    let b = t.browser(KOMMUN_CASEWORKER).await;
    for n in 1..4 {
        let id = t.listed_participant(&b, n).await;
        t.get(&format!("/api/v1/participants/{id}"), Some(&kim))
            .await;
    }
    let org = t.org_of(&kim).await;
    let hidden = t.register(&kim, &new_participant(org, "Nödläge")).await;
    let body =
        format!(r#"{{"participant_id": {hidden}, "reason": "Akut oro för hennes säkerhet"}}"#);
    let r = t
        .post_json("/api/v1/emergency-accesses", &token, &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let review = ok(&t, "/api/v1/audit/review", &token).await;
    assert_eq!(review["due"], true);
    assert_eq!(review["from"], "2026-10-26");
    assert_eq!(review["to"], "2026-11-25");
    assert!(review["emergency"].as_array().is_some_and(|a| a
        .iter()
        .any(|e| e["reason"] == "Akut oro för hennes säkerhet")));
    let sample: Vec<i64> = review["sample"]
        .as_array()
        .expect("sample")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(!sample.is_empty());
    assert!(review["sample"]
        .as_array()
        .is_some_and(|a| a.iter().all(|e| e["action"] == "participant.read")));

    // Refused by field: no note, a sample not of reads in the period.
    let sign = |sample: &[i64], note: &str| {
        serde_json::json!({"from": "2026-10-26", "to": "2026-11-25", "sample": sample, "note": note})
            .to_string()
    };
    let r = t
        .post_json("/api/v1/audit/reviews", &token, &sign(&sample, ""))
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["note"]);
    let r = t
        .post_json(
            "/api/v1/audit/reviews",
            &token,
            &sign(&[999_999], "Granskat."),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["sample"]);
    let r = t
        .post_json(
            "/api/v1/audit/reviews",
            &token,
            r#"{"from": "2026-10-26", "to": "igår", "sample": [], "note": "Granskat."}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["to"]);
    assert_eq!(
        t.post_json("/api/v1/audit/reviews", &kim, &sign(&sample, "Granskat."))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let r = t
        .post_json(
            "/api/v1/audit/reviews",
            &token,
            &sign(&sample, "Granskat, inga avvikelser."),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].clone();
    let review = ok(&t, "/api/v1/audit/review", &token).await;
    assert_eq!(review["due"], false, "signed now");
    let signed = &review["reviews"][0];
    assert_eq!(signed["id"], id);
    assert_eq!(signed["note"], "Granskat, inga avvikelser.");
    let mut sorted = sample.clone();
    sorted.sort_unstable();
    assert_eq!(signed["sample"], serde_json::json!(sorted));
    assert_eq!(signed["signed_at"], "2026-11-25T10:00:00Z");
    // The page lists it too.
    let page = t.page(&t.browser(COORDINATOR).await, "/audit/review").await;
    assert!(page.body.contains("Granskat, inga avvikelser."));
    let bad = t
        .get("/api/v1/audit/review?from=förra-månaden", Some(&token))
        .await;
    bad.assert_fields(StatusCode::BAD_REQUEST, &["from"]);
}

#[tokio::test]
async fn retention_is_read_set_dry_run_and_run_only_when_confirmed() {
    let t = TestApp::new().await;
    let [admin, token] = t.tokens([ADMIN, COORDINATOR]).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let before = ok(&t, &format!("/api/v1/projects/{tk}/dashboard"), &token).await;

    // Administrators only.
    for (method, path, body) in [
        ("GET", "/api/v1/retention", ""),
        ("PUT", "/api/v1/retention", r#"{"years_after_exit": 3}"#),
        ("GET", "/api/v1/retention/dry-run", ""),
        ("POST", "/api/v1/retention/run", r#"{"confirm": true}"#),
    ] {
        let r = if method == "GET" {
            t.get(path, Some(&token)).await
        } else {
            t.json(method, path, &token, body).await
        };
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
    }

    let policy = ok(&t, "/api/v1/retention", &admin).await;
    assert!(policy["years_after_exit"].is_null(), "{policy}");
    let dry = ok(&t, "/api/v1/retention/dry-run", &admin).await;
    assert_eq!(dry["total"], 0, "no policy, nothing due");
    assert!(dry["cutoff"].is_null());

    // Refused by field.
    for body in [r#"{"years_after_exit": 0}"#, r#"{"years_after_exit": 51}"#] {
        t.json("PUT", "/api/v1/retention", &admin, body)
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["years_after_exit"]);
    }
    let r = t
        .json(
            "PUT",
            "/api/v1/retention",
            &admin,
            r#"{"years_after_exit": "3"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["years_after_exit"]);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error-json-integer");
    let r = t
        .json(
            "PUT",
            "/api/v1/retention",
            &admin,
            r#"{"years_after_exit": 3}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["years_after_exit"], 3);
    assert_eq!(
        ok(&t, "/api/v1/retention", &admin).await["years_after_exit"],
        3
    );

    // The dry run lists those who ended more than three years ago and
    // changes nothing.
    let dry = ok(&t, "/api/v1/retention/dry-run?per_page=100", &admin).await;
    assert_eq!(dry["cutoff"], "2023-11-25");
    let due = dry["total"].as_i64().expect("total");
    assert!(due >= 247, "{dry}");
    assert_eq!(dry["items"].as_array().map(Vec::len), Some(100));
    assert!(dry["items"].as_array().is_some_and(|a| a
        .iter()
        .all(|i| i["exit_date"].as_str() <= Some("2023-11-25"))));
    let one = dry["items"][0]["participant_id"].as_i64().expect("an id");
    let record = format!("/api/v1/participants/{one}");
    let name = ok(&t, &record, &token).await["given_name"].clone();
    assert_ne!(name, "Gallrad");
    assert_eq!(
        ok(&t, "/api/v1/retention/dry-run", &admin).await["total"],
        due,
        "a dry run erases no one"
    );
    assert_eq!(ok(&t, &record, &token).await["given_name"], name);

    // The run asks for an explicit confirmation.
    for body in ["{}", r#"{"confirm": false}"#, r#"{"confirm": null}"#] {
        t.post_json("/api/v1/retention/run", &admin, body)
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["confirm"]);
    }
    t.post_json("/api/v1/retention/run", &admin, r#"{"confirm": "yes"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["confirm"]);
    assert_eq!(ok(&t, &record, &token).await["given_name"], name);

    let r = t
        .post_json("/api/v1/retention/run", &admin, r#"{"confirm": true}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["anonymised"], due);
    assert_eq!(ok(&t, &record, &token).await["given_name"], "Gallrad");
    assert_eq!(
        ok(&t, "/api/v1/retention/dry-run", &admin).await["total"],
        0
    );
    // The figures stay.
    let after = ok(&t, &format!("/api/v1/projects/{tk}/dashboard"), &token).await;
    assert_eq!(after["figures"], before["figures"]);
}
