//! Navigation by task (issue 16): "no access" said as such where a page's
//! existence is no secret, forms offered only to who may submit them, the
//! menu by role, and names as links.

use crate::support::*;
use axum::http::StatusCode;

const HM_CASEWORKER: &str = "handledare@helamanniskan.example";

/// A refusal is the layout's "no access" page saying whom to ask.
#[track_caller]
fn no_access(r: &Resp, path: &str) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    assert!(r.body.contains("Ingen behörighet"), "{path}: {}", r.body);
    assert!(
        r.body.contains("be en samordnare i din organisation"),
        "{path} says whom to ask: {}",
        r.body
    );
}

#[tokio::test]
async fn pages_no_role_may_use_say_no_access_and_records_stay_not_found() {
    let t = TestApp::new().await;
    let [evaluator, admin, caseworker] = t.browsers([EVALUATOR, ADMIN, KOMMUN_CASEWORKER]).await;
    // Pages whose existence is no secret: refused as such.
    for path in [
        "/participants/new",
        "/participants",
        "/follow-ups",
        "/questionnaires/due",
        "/my-sessions",
        "/projects/new",
        "/groups/1/schedule",
        "/referrals",
        "/referrals/1",
        "/referrals/999999",
        "/employers",
        "/admin/users",
    ] {
        no_access(&t.page(&evaluator, path).await, path);
    }
    for path in ["/participants", "/referrals/1", "/groups/1/schedule"] {
        no_access(&t.page(&admin, path).await, path);
    }
    for path in [
        "/admin/users",
        "/audit",
        "/palette/new",
        "/time-attestation",
    ] {
        no_access(&t.page(&caseworker, path).await, path);
    }
    // In English too.
    let en = t.page_in(&evaluator, "/participants/new", "en").await;
    assert_eq!(en.status, StatusCode::FORBIDDEN);
    assert!(en.body.contains("No access"), "{}", en.body);
    assert!(en.body.contains("ask a coordinator"), "{}", en.body);

    // A participant's record stays "not found", alike for one that exists
    // and one that does not.
    let [coord_token, caseworker_token] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let pid = hidden_from(&t, &coord_token, &caseworker_token).await;
    let hidden = t.page(&caseworker, &format!("/participants/{pid}")).await;
    let none = t.page(&caseworker, "/participants/999999").await;
    let from_evaluator = t.page(&evaluator, &format!("/participants/{pid}")).await;
    for r in [&hidden, &none, &from_evaluator] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert!(r.body.contains("Hittades inte"));
        assert!(!r.body.contains("Ingen behörighet"));
    }
}

#[tokio::test]
async fn the_api_refuses_with_a_json_error_and_hides_records() {
    let t = TestApp::new().await;
    let [evaluator, coordinator, caseworker] =
        t.tokens([EVALUATOR, COORDINATOR, KOMMUN_CASEWORKER]).await;
    for path in [
        "/api/v1/participants",
        "/api/v1/referrals",
        "/api/v1/employers",
    ] {
        let r = t.get(path, Some(&evaluator)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "forbidden", "{path}");
    }
    let r = t
        .post_json(
            "/api/v1/participants",
            &evaluator,
            &new_participant(1, "Ny"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    // Her record: not found, for the evaluator and a caseworker out of scope.
    let hidden = hidden_from(&t, &coordinator, &caseworker).await;
    for token in [&evaluator, &caseworker] {
        let r = t
            .get(&format!("/api/v1/participants/{hidden}"), Some(token))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], "not-found");
    }
    let _ = HM_CASEWORKER;
}

/// The id of a participant the coordinator sees and the caseworker does not.
async fn hidden_from(t: &TestApp, coordinator: &str, caseworker: &str) -> i64 {
    let ids = async |token: &str| -> Vec<i64> {
        t.get("/api/v1/participants?per_page=100", Some(token))
            .await
            .json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|p| p["id"].as_i64())
            .collect()
    };
    let seen = ids(caseworker).await;
    ids(coordinator)
        .await
        .into_iter()
        .find(|id| !seen.contains(id))
        .expect("one the caseworker does not see")
}

/// The links of the header menu `b` sees on the start page.
async fn menu(t: &TestApp, b: &Browser) -> Vec<String> {
    let start = t.page(b, "/").await;
    assert_eq!(start.status, StatusCode::OK);
    start
        .body
        .split("<nav aria-label=\"Huvudmeny\">")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .expect("the menu")
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn each_role_sees_the_menu_of_its_work_and_every_entry_opens() {
    let t = TestApp::new().await;
    let cases: [(&str, &[&str]); 4] = [
        (
            COORDINATOR,
            &[
                "/",
                "/inbox",
                "/participants",
                "/participants/new",
                "/follow-ups",
                "/my-sessions",
                "/referrals",
                "/employers",
                "/openings",
                "/palette",
                "/time-attestation",
                "/reports",
                "/questionnaires",
                "/partners",
                "/dashboard",
                "/projects",
                "/audit",
            ],
        ),
        (
            HM_CASEWORKER,
            &[
                "/",
                "/inbox",
                "/participants",
                "/participants/new",
                "/follow-ups",
                "/my-sessions",
                "/referrals",
                "/employers",
                "/openings",
                "/palette",
                "/reports",
                "/questionnaires",
                "/partners",
                "/dashboard",
                "/projects",
            ],
        ),
        (
            EVALUATOR,
            &[
                "/",
                "/palette",
                "/reports",
                "/exports/research",
                "/questionnaires",
                "/partners",
                "/dashboard",
                "/projects",
            ],
        ),
        (
            ADMIN,
            &[
                "/",
                "/palette",
                "/reports",
                "/questionnaires",
                "/partners",
                "/dashboard",
                "/projects",
                "/audit",
                "/admin/users",
            ],
        ),
    ];
    for (who, expected) in cases {
        let b = t.browser(who).await;
        let links = menu(&t, &b).await;
        assert_eq!(links, expected.to_vec(), "{who}'s menu");
        for link in &links {
            assert_eq!(
                t.page_status(&b, link).await,
                StatusCode::OK,
                "{who}: {link}"
            );
        }
    }
    // Her day's work is on the start page of those who have one.
    let [evaluator, caseworker] = t.browsers([EVALUATOR, HM_CASEWORKER]).await;
    assert!(!t.page(&evaluator, "/").await.body.contains("Din dag"));
    assert!(t.page(&caseworker, "/").await.body.contains("Din dag"));
}

#[tokio::test]
async fn forms_and_links_are_offered_only_to_who_may_use_them() {
    let t = TestApp::new().await;
    let [evaluator, admin, coordinator] = t.browsers([EVALUATOR, ADMIN, COORDINATOR]).await;
    // The evaluator: no intake in her menu, and the form refused as such.
    assert!(!menu(&t, &evaluator)
        .await
        .contains(&"/participants/new".to_string()));
    no_access(
        &t.page(&evaluator, "/participants/new").await,
        "/participants/new",
    );
    // No new project for her; the administrator has it.
    let projects = t.page(&evaluator, "/projects").await;
    assert!(!projects.body.contains("href=\"/projects/new\""));
    no_access(&t.page(&evaluator, "/projects/new").await, "/projects/new");
    assert!(t
        .page(&admin, "/projects")
        .await
        .body
        .contains("href=\"/projects/new\""));
    assert_eq!(t.page_status(&admin, "/projects/new").await, StatusCode::OK);
    // A group's sessions are scheduled by who runs it, not the administrator.
    let group = t.page(&admin, "/groups/1").await;
    assert_eq!(group.status, StatusCode::OK);
    assert!(!group.body.contains("/groups/1/schedule"), "{}", group.body);
    no_access(
        &t.page(&admin, "/groups/1/schedule").await,
        "/groups/1/schedule",
    );
    assert!(t
        .page(&coordinator, "/groups/1")
        .await
        .body
        .contains("href=\"/groups/1/schedule\""));
    // The figures open the list behind them for the coordinator only.
    let dash = t.page(&evaluator, "/dashboard").await;
    assert!(
        !dash.body.contains("/dashboard/participants"),
        "{}",
        dash.body
    );
    let dash = t.page(&coordinator, "/dashboard").await;
    assert!(dash
        .body
        .contains("href=\"/dashboard/participants?indicator=enrolled\""));
}

#[tokio::test]
async fn numbers_are_written_as_the_users_language_writes_them() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let path = format!("/projects/{tk}/dashboard");
    let sv = t.page_in(&b, &path, "sv").await;
    let en = t.page_in(&b, &path, "en").await;
    // Tillväxt Kvinna: 267 enrolled, 74 % of its goal; decimals with the
    // language's sign.
    assert!(sv.body.contains("<span class=\"big\">267</span>") || sv.body.contains(">267<"));
    assert!(
        sv.body.contains("74\u{a0}%") && !sv.body.contains("74%"),
        "sv"
    );
    assert!(
        en.body.contains("74%") && !en.body.contains("74\u{a0}%"),
        "en"
    );
    assert!(sv.body.contains(">7,4 per månad<") && en.body.contains(">7.4 a month<"));
    // The hours by partner: grouped by three digits on the page, plain in
    // the CSV a program reads.
    let [rep_sv, rep_en] = [
        t.page_in(&b, "/reports", "sv").await,
        t.page_in(&b, "/reports", "en").await,
    ];
    assert!(rep_sv.body.contains(">31\u{a0}343<"), "{}", rep_sv.body);
    assert!(rep_en.body.contains(">31,343<"), "{}", rep_en.body);
    let csv = t.page_in(&b, "/reports/hours-by-partner.csv", "sv").await;
    assert!(
        csv.body.contains("Hela Människan;31343;0;31343"),
        "{}",
        csv.body
    );
    // The start page's cards.
    let start = t.page_in(&b, "/", "en").await;
    assert!(start.body.contains("<span class=\"big\">267</span>"));
    assert!(start.body.contains("(74%)"), "{}", start.body);
}

#[tokio::test]
async fn her_name_links_to_her_record_where_the_viewer_may_open_it() {
    let t = TestApp::new().await;
    let coordinator = t.browser(COORDINATOR).await;
    let token = t.token(COORDINATOR).await;
    // The pipelines of an opening: her name opens her record, the
    // employer its page.
    let (opening, candidates) = t.cleaning_candidates(&token, 1).await;
    let first = candidates[0];
    t.post_redirect(
        &coordinator,
        &format!("/openings/{opening}/propose/{first}"),
        &[],
    )
    .await;
    let page = t.page(&coordinator, &format!("/openings/{opening}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/participants/{first}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/employers/"), "{}", page.body);
    // The attendance sheet: each name opens her record.
    let group = t.page(&coordinator, "/groups/1").await;
    let sheet = group
        .body
        .split("href=\"/sessions/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|s| format!("/sessions/{s}"))
        .expect("a session's sheet");
    let sheet = t.page(&coordinator, &sheet).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let row = sheet
        .body
        .split("<th scope=\"row\"")
        .nth(1)
        .expect("a row of the sheet");
    let id = row
        .split("id=\"p-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("her id");
    assert!(
        row.contains(&format!("<a href=\"/participants/{id}\">")),
        "{row}"
    );
}
