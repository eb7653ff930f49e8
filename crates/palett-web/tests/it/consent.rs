use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn consents_are_recorded_listed_and_withdrawn_in_the_ui_and_the_api() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Samtycka")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let form = format!("/participants/{pid}/consents/new");
    assert_eq!(t.page_status(&b, &form).await, StatusCode::OK);
    // Oral without a witness, and sharing without partners, are refused by field.
    let o = org.to_string();
    let r = t
        .post_invalid(
            &b,
            &form,
            &[
                ("kind", "sharing"),
                ("method", "oral_with_witness"),
                ("given_on", "2026-11-20"),
            ],
        )
        .await;
    assert!(r.body.contains("Ange vittnet") && r.body.contains("Välj minst en part"));
    t.post_redirect(
        &b,
        &form,
        &[
            ("kind", "sharing"),
            ("method", "signed_paper"),
            ("given_on", "2026-11-20"),
            ("organisation_ids", o.as_str()),
        ],
    )
    .await;
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(
        page.body.contains("Uppgiftsutbyte med namngivna parter") && page.body.contains("Gäller")
    );
    // The API sees it, and withdraws it.
    let list = t
        .get(
            &format!("/api/v1/participants/{pid}/consents"),
            Some(&token),
        )
        .await
        .json();
    let cid = list["items"][0]["id"].as_i64().expect("id");
    assert_eq!(list["items"][0]["in_force"], true);
    assert_eq!(list["items"][0]["organisations"][0]["id"], org);
    let r = t
        .post_json(
            &format!("/api/v1/consents/{cid}/withdraw"),
            &token,
            r#"{"note": "Återkallat muntligt"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["items"][0]["in_force"], false);
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(page.body.contains("Återkallat"));
    // Bad JSON names the field; strangers get 404.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/consents"),
            &token,
            &json!({"kind": "research", "method": "digital", "given_on": "2099-01-01"}).to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["given_on"]);
    let af = t.token(AF_CASEWORKER).await;
    assert_eq!(
        t.get(&format!("/api/v1/participants/{pid}/consents"), Some(&af))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn shared_with_the_municipality_not_the_employment_service_in_ui_api_and_lists() {
    let t = TestApp::new().await;
    let hanna = t.token("handledare@helamanniskan.example").await;
    let [kim, ali] = t.tokens([KOMMUN_CASEWORKER, AF_CASEWORKER]).await;
    let me = |token: String| {
        let t = &t;
        async move { t.get("/api/v1/me", Some(&token)).await.json() }
    };
    let (h, k, a) = (
        me(hanna.clone()).await,
        me(kim.clone()).await,
        me(ali.clone()).await,
    );
    let body = json!({
        "given_name": "Delad", "family_name": "Kommunsson", "identity_kind": "birth_date",
        "birth_date": "1984-05-05", "gender": "woman", "referral_source": "municipality",
        "responsible_organisation_id": h["organisation"]["id"], "referred_on": "2026-11-19", "intake_date": "2026-11-20",
        "sharing_organisation_ids": [h["organisation"]["id"], k["organisation"]["id"]],
        "consent_method": "signed_paper",
        "caseworker_ids": [h["id"], k["id"], a["id"]],
    });
    let pid = t.register(&hanna, &body.to_string()).await;
    let search = r#"{"q": "Kommunsson"}"#;
    // The municipality: API, list, search, count and the page.
    assert_eq!(
        t.get(&format!("/api/v1/participants/{pid}"), Some(&kim))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        t.post_json("/api/v1/participants/search", &kim, search)
            .await
            .json()["total"],
        1
    );
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&kb, &format!("/participants/{pid}")).await,
        StatusCode::OK
    );
    let list = t
        .post_form(&kb, "/participants", &[("q", "Kommunsson")])
        .await;
    assert!(list.body.contains("1 deltagare"));
    // The employment service: as if she did not exist.
    let hidden = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&ali))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hidden.body,
        t.get("/api/v1/participants/99999999", Some(&ali))
            .await
            .body
    );
    assert_eq!(
        t.post_json("/api/v1/participants/search", &ali, search)
            .await
            .json()["total"],
        0
    );
    let ab = t.browser(AF_CASEWORKER).await;
    assert_eq!(
        t.page_status(&ab, &format!("/participants/{pid}")).await,
        StatusCode::NOT_FOUND
    );
    // Withdrawn: gone for the municipality at once.
    let consents = t
        .get(
            &format!("/api/v1/participants/{pid}/consents"),
            Some(&hanna),
        )
        .await
        .json();
    let sharing = consents["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["kind"] == "sharing")
        .expect("sharing")["id"]
        .as_i64()
        .expect("id");
    let r = t
        .post_json(
            &format!("/api/v1/consents/{sharing}/withdraw"),
            &hanna,
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        t.get(&format!("/api/v1/participants/{pid}"), Some(&kim))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.post_json("/api/v1/participants/search", &kim, search)
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        t.page_status(&kb, &format!("/participants/{pid}")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_restricted_group_is_hidden_in_html_json_and_exports() {
    let t = TestApp::new().await;
    let [kim, coordinator] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let org = t.org_of(&kim).await;
    let me = t.org_of(&coordinator).await;
    let body = json!({
        "given_name": "Känslig", "family_name": "Uppgiftsson", "identity_kind": "birth_date",
        "birth_date": "1979-09-09", "gender": "woman", "referral_source": "municipality",
        "responsible_organisation_id": org, "referred_on": "2026-11-19", "intake_date": "2026-11-20",
        "sharing_organisation_ids": [org, me], "consent_method": "digital",
        "health_notes": "Astma", "support_needs": "Behöver skriftliga instruktioner",
    });
    let pid = t.register(&kim, &body.to_string()).await;
    // Kim (responsible) sees the group everywhere.
    let full = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&kim))
        .await
        .json();
    assert_eq!(full["restricted"]["health_notes"], "Astma");
    // The coordinator of another organisation sees her through sharing only.
    let shared = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&coordinator))
        .await
        .json();
    assert_eq!(shared["family_name"], "Uppgiftsson");
    assert!(shared["restricted"].is_null());
    let b = t.browser(COORDINATOR).await;
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(!page.body.contains("Astma") && page.body.contains("Dolda:"));
    let export = t
        .get(
            &format!("/api/v1/participants/{pid}/export"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(!export.body.contains("Astma") && !export.body.contains("skriftliga"));
    let html_export = t.page(&b, &format!("/participants/{pid}/export")).await;
    assert!(html_export.status == StatusCode::OK && !html_export.body.contains("Astma"));
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    assert!(t
        .page(&kb, &format!("/participants/{pid}/export"))
        .await
        .body
        .contains("Astma"));
    // Her edit form lacks the group, and saving it keeps what is stored.
    let edit = t.page(&b, &format!("/participants/{pid}/edit")).await;
    assert!(!edit.body.contains("f-health_notes"));
    let kim_edit = t.page(&kb, &format!("/participants/{pid}/edit")).await;
    assert!(kim_edit.body.contains("f-health_notes") && kim_edit.body.contains("Astma"));
}

#[tokio::test]
async fn notes_from_the_participant_page_and_in_the_export() {
    let t = TestApp::new().await;
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Notera")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let r = t
        .post_form(
            &b,
            &format!("/participants/{pid}/notes"),
            &[
                ("body", "Första samtalet gick bra."),
                ("visibility", "shared"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    t.post_invalid(
        &b,
        &format!("/participants/{pid}/notes"),
        &[("body", ""), ("visibility", "shared")],
    )
    .await;
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(
        page.body.contains("Första samtalet gick bra.") && page.body.contains("Delad med parterna")
    );
    let api = t
        .post_json(
            &format!("/api/v1/participants/{pid}/notes"),
            &kim,
            r#"{"body": "Via API", "visibility": "own_organisation"}"#,
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED);
    let list = t
        .get(&format!("/api/v1/participants/{pid}/notes"), Some(&kim))
        .await
        .json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    let export = t
        .get(&format!("/api/v1/participants/{pid}/export"), Some(&kim))
        .await
        .json();
    assert_eq!(export["notes"].as_array().map(Vec::len), Some(2));
    assert!(export["consents"].is_array() && export["log"].is_array());
}

#[tokio::test]
async fn a_demo_participants_export_holds_consents_plan_attendance_notes_and_reads() {
    let t = TestApp::new().await;
    let leader = t.token("cirkelledare@bilda.example").await;
    let coordinator = t.token(COORDINATOR).await;
    // Someone in a language group with attendance, read by the coordinator.
    let palette = t.get("/api/v1/palette", Some(&coordinator)).await.json();
    let lang = palette["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Språkträning"))
        })
        .expect("lang")["id"]
        .clone();
    let groups = t
        .get(&format!("/api/v1/palette/{lang}"), Some(&coordinator))
        .await
        .json();
    let gid = groups["groups"][0]["id"].as_i64().expect("group");
    let sessions = t
        .get(&format!("/api/v1/groups/{gid}"), Some(&leader))
        .await
        .json();
    let mut pid = None;
    for s in sessions["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["status"] == "scheduled")
    {
        let sheet = t
            .get(
                &format!("/api/v1/sessions/{}/attendance", s["id"]),
                Some(&leader),
            )
            .await
            .json();
        if let Some(p) = sheet["roster"]
            .as_array()
            .and_then(|r| r.iter().find(|p| p["status"].is_string()))
        {
            let id = p["participant_id"].as_i64().expect("id");
            let notes = t
                .get(
                    &format!("/api/v1/participants/{id}/notes"),
                    Some(&coordinator),
                )
                .await
                .json();
            if notes["items"].as_array().is_some_and(|n| !n.is_empty()) {
                pid = Some(id);
                break;
            }
        }
    }
    let pid = pid.expect("a demo participant with attendance and notes");
    let maja = t.token("samordnare@botkyrka.example").await;
    let read = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&maja))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let x = t
        .get(
            &format!("/api/v1/participants/{pid}/export"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let x = x.json();
    assert!(x["consents"]
        .as_array()
        .is_some_and(|c| c.iter().any(|k| k["kind"] == "sharing")));
    assert!(x["plans"]
        .as_array()
        .is_some_and(|p| !p.is_empty() && !p[0]["goals"].as_array().expect("goals").is_empty()));
    assert!(x["attendance"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(x["notes"].as_array().is_some_and(|n| !n.is_empty()));
    assert!(x["log"].as_array().is_some_and(|l| l
        .iter()
        .any(|e| e["action"] == "participant.read" && e["user"] == "Maja Samordnare")));
}

#[tokio::test]
async fn the_research_export_from_the_ui_and_the_api() {
    let t = TestApp::new().await;
    let b = t.browser(EVALUATOR).await;
    assert_eq!(t.page_status(&b, "/exports/research").await, StatusCode::OK);
    let r = t
        .post_invalid(&b, "/exports/research", &[("key", "kort"), ("k", "5")])
        .await;
    assert!(
        r.body.contains("minst 12 tecken") && !r.body.contains("value=\"kort\""),
        "the key is not echoed"
    );
    let key = "utvärderingens nyckel";
    let r = t
        .post_form(&b, "/exports/research", &[("key", key), ("k", "5")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("rader; k = 5;"));
    let csv = t
        .post_form(&b, "/exports/research/csv", &[("key", key), ("k", "5")])
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let first = csv.body.lines().nth(1).expect("a row");
    assert_eq!(first.split(';').count(), 9);
    assert!(
        !csv.body.contains("Abdi") && !csv.body.contains("Ahmed"),
        "no names"
    );
    let token = t.token(EVALUATOR).await;
    let j = t
        .post_json(
            "/api/v1/exports/research",
            &token,
            &json!({"key": key, "k": 5}).to_string(),
        )
        .await
        .json();
    assert_eq!(j["k"], 5);
    let rows = j["rows"].as_array().expect("rows");
    assert!(!rows.is_empty());
    // The k-anonymity check holds on what is delivered.
    let mut cells = std::collections::HashMap::new();
    for r in rows.iter().filter(|r| r["age_group"] != "*") {
        let q: Vec<String> = ["age_group", "region", "gender", "intake_year"]
            .iter()
            .map(|f| r[*f].as_str().unwrap_or_default().to_string())
            .collect();
        *cells.entry(q).or_insert(0) += 1;
    }
    assert!(!cells.is_empty() && cells.values().all(|n| *n >= 5));
    // No demo participant's name or identity number anywhere in the export.
    let coordinator = t.token(COORDINATOR).await;
    let json_text = j.to_string();
    let (mut searched, mut numbers) = (0, 0);
    for page in 1.. {
        let list = t
            .get(
                &format!("/api/v1/participants?page={page}&per_page=100"),
                Some(&coordinator),
            )
            .await
            .json();
        let items = list["items"].as_array().expect("items").clone();
        for i in &items {
            let one = t
                .get(
                    &format!("/api/v1/participants/{}", i["id"]),
                    Some(&coordinator),
                )
                .await
                .json();
            let mut needles = vec![
                one["given_name"].as_str().expect("given").to_string(),
                one["family_name"].as_str().expect("family").to_string(),
            ];
            if let Some(n) = one["identity_number"].as_str() {
                needles.push(n.to_string());
                needles.push(n.replace('-', ""));
            }
            // Demo participants are identified by birth date, not a number.
            if let Some(d) = one["birth_date"].as_str() {
                needles.push(d.to_string());
                needles.push(d.replace('-', ""));
                numbers += 1;
            }
            for n in needles.iter().filter(|n| n.len() > 2) {
                assert!(
                    !csv.body.contains(n.as_str()) && !json_text.contains(n.as_str()),
                    "participant {} appears in the research export",
                    i["id"]
                );
            }
            searched += 1;
        }
        if items.len() < 100 {
            break;
        }
    }
    assert_eq!(searched, list_total(&t, &coordinator).await);
    assert!(
        numbers > 100,
        "identity numbers and birth dates were searched for too"
    );
    let sara = t.browser(COORDINATOR).await;
    assert_eq!(
        t.page_status(&sara, "/exports/research").await,
        StatusCode::FORBIDDEN,
        "the pseudonymised export is the evaluators'"
    );
    assert!(!t
        .page(&sara, "/reports")
        .await
        .body
        .contains("/exports/research"));
    let coach = t.token(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.post_json(
            "/api/v1/exports/research",
            &coach,
            &json!({"key": key}).to_string()
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn restricting_processing_from_the_participant_page() {
    let t = TestApp::new().await;
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Begränsa")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let path = format!("/participants/{pid}/restriction");
    let reason = [("reason", "Begäran enligt artikel 18")];
    // Asked first, with her reason kept; nothing is restricted yet.
    let ask = t
        .asks_first(
            &b,
            &path,
            &reason,
            "ingår inte i närvaro eller forskningsexport förrän begränsningen hävs",
        )
        .await;
    assert!(ask.body.contains(">Begäran enligt artikel 18</textarea>"));
    let j = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&kim))
        .await
        .json();
    assert!(j["processing_restricted"].is_null(), "{j}");
    // Confirmed without a reason: the page again, saying so.
    let none = t
        .post_invalid(&b, &path, &[("reason", ""), ("confirm", "yes")])
        .await;
    assert!(
        none.body.contains("Fältet måste fyllas i."),
        "{}",
        none.body
    );
    let to = t.confirmed(&b, &path, &reason).await;
    assert_eq!(to, format!("/participants/{pid}?done=restricted"));
    let page = t.page(&b, &to).await;
    assert!(
        page.body.contains("Behandlingen är begränsad."),
        "the save is confirmed"
    );
    assert!(
        page.body
            .contains("Behandlingen av uppgifterna är begränsad")
            && page.body.contains("Begäran enligt artikel 18")
    );
    let j = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&kim))
        .await
        .json();
    assert_eq!(j["processing_restricted"], "Begäran enligt artikel 18");
    let r = t
        .patch_json(
            &format!("/api/v1/participants/{pid}"),
            &kim,
            r#"{"phone": "08-123"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["participant"]);
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/restriction"),
            &kim,
            r#"{"restricted": false}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .patch_json(
            &format!("/api/v1/participants/{pid}"),
            &kim,
            r#"{"phone": "08-123"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn list_total(t: &TestApp, token: &str) -> i64 {
    t.get("/api/v1/participants?per_page=1", Some(token))
        .await
        .json()["total"]
        .as_i64()
        .expect("total")
}

#[tokio::test]
async fn a_duplicate_consent_is_refused_with_the_one_in_force_named_and_linked() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Dubblett")).await;
    let path = format!("/api/v1/participants/{pid}/consents");
    let body =
        json!({"kind": "research", "method": "digital", "given_on": "2026-11-20"}).to_string();
    let r = t.post_json(&path, &token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = r.json()["id"].as_i64().expect("id");
    // The API: a 422 on `kind` with the existing consent's id and date.
    let r = t.post_json(&path, &token, &body).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["kind"]);
    let f = &r.json()["error"]["fields"][0];
    assert_eq!(f["code"], "error-consent-duplicate");
    assert_eq!(f["existing_id"], first);
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("2026-11-20"),
        "{f}"
    );
    // The form: the message on the field, with a link to it on her page.
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let r = t
        .post_invalid(
            &b,
            &format!("/participants/{pid}/consents/new"),
            &[
                ("kind", "research"),
                ("method", "signed_paper"),
                ("given_on", "2026-11-22"),
            ],
        )
        .await;
    let error = r
        .body
        .split("id=\"f-kind-error\">")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_else(|| panic!("no error on kind: {}", r.body));
    assert!(error.contains("2026-11-20"), "{error}");
    let href = format!("/participants/{pid}#consent-{first}");
    assert!(error.contains(&format!("href=\"{href}\"")), "{error}");
    // … where that consent's row carries the anchor.
    let page = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(page.body.contains(&format!("id=\"consent-{first}\"")));
    // Withdrawn, it no longer blocks a new one.
    let r = t
        .post_json(&format!("/api/v1/consents/{first}/withdraw"), &token, "{}")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t.post_json(&path, &token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}
