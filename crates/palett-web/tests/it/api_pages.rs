//! The API routes that give what the pages gave alone (issue 17, "the
//! whole API"): the follow-ups due, the caller's sessions, her worklist,
//! the inbox's "mark all read" and calendar feed, her month's attestation;
//! and a read-only token's search.

use crate::api_admin::{code, limited};
use crate::support::*;
use axum::http::StatusCode;

/// The areas a token may be limited to that the route is not in.
const PROJECTS_ONLY: &[&str] = &["projects"];

#[tokio::test]
async fn the_follow_ups_due_are_in_the_api_as_on_their_page() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b = t.browser(COORDINATOR).await;
    let r = t.get("/api/v1/follow-ups", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let due = r.json();
    // The page says how many; the API counts the same and lists each.
    let page = t.page(&b, "/follow-ups").await;
    let total = due["total"].as_i64().expect("a total");
    assert!(total >= 1, "{}", r.body);
    assert!(page.body.contains(&format!(
        "{total} uppföljningar som har förfallit eller förfaller inom två veckor"
    )));
    let items = due["items"].as_array().expect("items");
    assert_eq!(items.len() as i64, total.min(25));
    for item in items {
        let f = &item["follow_up"];
        assert_eq!(f["state"], "open", "{item}");
        let name = format!(
            "{} {}",
            item["given_name"].as_str().expect("her name"),
            item["family_name"].as_str().expect("her name")
        );
        assert!(page.body.contains(&name), "{name} on the page too");
        assert!(page.body.contains(&format!(
            "/participants/{}/follow-ups/{}",
            f["participant_id"], f["id"]
        )));
        assert!(item["exit_date"].is_string());
    }
    assert_eq!(
        (due["page"].as_i64(), due["per_page"].as_i64()),
        (Some(1), Some(25))
    );
    // Paged: a page past the end is empty, the total the same.
    let past = t
        .get(
            &format!("/api/v1/follow-ups?per_page=1&page={}", total + 1),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(past["items"], serde_json::json!([]));
    assert_eq!(past["total"], total);
    // A bad page is refused by name.
    for (query, field) in [
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("page=x", "page"),
    ] {
        t.get(&format!("/api/v1/follow-ups?{query}"), Some(&token))
            .await
            .assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
    // A token outside the area, and a reader who sees no participants,
    // are refused.
    let other = limited(&t, COORDINATOR, false, PROJECTS_ONLY, "").await;
    let r = t.get("/api/v1/follow-ups", Some(&other)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    let evaluator = t.token(EVALUATOR).await;
    let r = t.get("/api/v1/follow-ups", Some(&evaluator)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn my_sessions_in_the_api_are_those_of_the_page() {
    let t = TestApp::new().await;
    let leader = "larare@folkhogskola.example";
    let token = t.token(leader).await;
    let b = t.browser(leader).await;
    let r = t.get("/api/v1/my-sessions", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mine = r.json();
    let page = t.page(&b, "/my-sessions").await;
    let coming = mine["coming"].as_array().expect("coming");
    assert!(!coming.is_empty(), "her groups meet: {}", r.body);
    for s in coming
        .iter()
        .chain(mine["to_record"].as_array().expect("to record"))
    {
        assert!(
            page.body.contains(&format!("/groups/{}", s["group_id"])),
            "{s}"
        );
        assert!(
            s["date"].as_str().is_some_and(|d| page.body.contains(d)),
            "{s}"
        );
        assert!(s.get("participants").is_none(), "no participant in it");
    }
    for s in mine["to_record"].as_array().expect("to record") {
        assert_eq!(s["recorded"], false);
        assert!(page
            .body
            .contains(&format!("/sessions/{}/attendance", s["id"])));
    }
    // Her sessions are hers: another leader's list has none of them.
    let other = t.token(COORDINATOR).await;
    let theirs = t.get("/api/v1/my-sessions", Some(&other)).await.json();
    for s in theirs["coming"].as_array().expect("coming") {
        assert!(!coming.iter().any(|m| m["id"] == s["id"]), "{s}");
    }
    // In the palette's area; refused outside it and to an evaluator.
    let palette = limited(&t, leader, true, &["palette"], "").await;
    assert_eq!(
        t.get("/api/v1/my-sessions", Some(&palette)).await.status,
        StatusCode::OK
    );
    let projects = limited(&t, leader, false, PROJECTS_ONLY, "").await;
    let r = t.get("/api/v1/my-sessions", Some(&projects)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    let evaluator = t.token(EVALUATOR).await;
    let r = t.get("/api/v1/my-sessions", Some(&evaluator)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn the_worklist_in_the_api_is_the_start_pages() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b = t.browser(COORDINATOR).await;
    let r = t.get("/api/v1/worklist", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    let items = list["items"].as_array().expect("items");
    let start = t.page(&b, "/").await;
    // Each line with something waiting is on the start page, with its
    // words and its link; a line at 0 is in the API only.
    let waiting: Vec<_> = items
        .iter()
        .filter(|l| l["count"].as_i64() > Some(0))
        .collect();
    assert!(!waiting.is_empty(), "{}", r.body);
    for l in &waiting {
        let text = l["text"].as_str().expect("its words");
        assert!(start.body.contains(text), "{text} on the start page");
        let link = l["link"].as_str().expect("its link").replace('&', "&#38;");
        assert!(start.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // The follow-ups line counts what the list of those due lists.
    let line = items
        .iter()
        .find(|l| l["item"] == "follow_ups_due")
        .expect("a coordinator's follow-ups line");
    let due = t.get("/api/v1/follow-ups", Some(&token)).await.json();
    assert_eq!(line["count"], due["total"]);
    assert_eq!(line["link"], "/follow-ups");
    // A token limited to another area is refused.
    let other = limited(&t, COORDINATOR, false, PROJECTS_ONLY, "").await;
    let r = t.get("/api/v1/worklist", Some(&other)).await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    // Not signed in: 401.
    assert_eq!(
        t.get("/api/v1/worklist", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_inbox_is_marked_read_and_the_calendar_feed_made_and_revoked_in_the_api() {
    let t = TestApp::new().await;
    let [coach, hm] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let kommun = t.org_of(&coach).await;
    let hela = t.org_of(&hm).await;
    for given in ["Ayan", "Hodan"] {
        let her = t.register(&coach, &new_participant(kommun, given)).await;
        t.refer(&coach, her, hela, "2026-11-25").await;
    }
    let unread = |token: &str| {
        let t = &t;
        let token = token.to_string();
        async move { t.get("/api/v1/inbox", Some(&token)).await.json()["unread"].as_i64() }
    };
    let before = unread(&hm).await.expect("a count");
    assert!(before >= 2);
    // A read-only token may not mark them; one limited elsewhere neither.
    let read_only = limited(&t, COORDINATOR, true, &[], "").await;
    let r = t
        .post_json("/api/v1/inbox/read-all", &read_only, "{}")
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let other = limited(&t, COORDINATOR, false, PROJECTS_ONLY, "").await;
    let r = t.post_json("/api/v1/inbox/read-all", &other, "{}").await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
    assert_eq!(unread(&hm).await, Some(before));
    // Hers are all read; the coach's are not touched.
    let coach_before = unread(&coach).await;
    let r = t.post_json("/api/v1/inbox/read-all", &hm, "{}").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["marked"].as_i64(), Some(before));
    assert_eq!(unread(&hm).await, Some(0));
    assert_eq!(unread(&coach).await, coach_before);
    let again = t.post_json("/api/v1/inbox/read-all", &hm, "{}").await;
    assert_eq!(again.json()["marked"], 0);

    // A calendar feed: its address once, not to be cached; it serves her
    // sessions until revoked.
    let leader = t.token("larare@folkhogskola.example").await;
    let r = t.post_json("/api/v1/me/calendar-feed", &leader, "{}").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.headers["cache-control"], "no-store");
    let url = r.json()["url"].as_str().expect("its address").to_string();
    let path = &url[url.find("/calendar/").expect("a feed address")..];
    assert!(path.ends_with(".ics"), "{url}");
    let feed = t.get(path, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"));
    let settings = t.get("/api/v1/me/reminders", Some(&leader)).await.json();
    assert!(settings["calendar_feed_since"].is_string(), "{settings}");
    // A new one replaces it: the old address stops working.
    let r = t.post_json("/api/v1/me/calendar-feed", &leader, "{}").await;
    let newer = r.json()["url"].as_str().expect("its address").to_string();
    assert_ne!(newer, url);
    assert_eq!(t.get(path, None).await.status, StatusCode::NOT_FOUND);
    let path = &newer[newer.find("/calendar/").expect("a feed address")..];
    // Revoked, the address is gone; revoking what she has not is 404.
    let read_only = limited(&t, "larare@folkhogskola.example", true, &[], "").await;
    let r = t
        .json("DELETE", "/api/v1/me/calendar-feed", &read_only, "")
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let r = t
        .json("DELETE", "/api/v1/me/calendar-feed", &leader, "")
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(t.get(path, None).await.status, StatusCode::NOT_FOUND);
    let r = t
        .json("DELETE", "/api/v1/me/calendar-feed", &leader, "")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let settings = t.get("/api/v1/me/reminders", Some(&leader)).await.json();
    assert!(settings["calendar_feed_since"].is_null(), "{settings}");
}

#[tokio::test]
async fn her_month_is_attested_in_the_api() {
    let t = TestApp::new().await;
    let coordinator = "samordnare@botkyrka.example";
    let token = t.token(coordinator).await;
    let b = t.browser(coordinator).await;
    // One of the municipality's own, whose October waits for attestation.
    let mut mine = None;
    for (her, _) in crate::palette::october_walkers(&t, &token).await {
        let page = t
            .page(&b, &format!("/participants/{her}/time?month=2026-10"))
            .await;
        if page.body.contains("Attestera 2026-10") {
            mine = Some(her);
            break;
        }
    }
    let her = mine.expect("one of the municipality's own in the walk");
    let attest = |month: &str| format!("/api/v1/participants/{her}/time/{month}/attest");
    // The running month, or no month at all, is refused on `month`.
    for month in ["2026-11", "oktober"] {
        t.post_json(&attest(month), &token, "{}")
            .await
            .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["month"]);
    }
    // Nobody outside her responsible organisation may; an unknown woman is
    // not found; a read-only token may not.
    let af = t.token(AF_CASEWORKER).await;
    let r = t.post_json(&attest("2026-10"), &af, "{}").await;
    assert!(
        matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        r.status
    );
    let r = t
        .post_json(
            "/api/v1/participants/999999/time/2026-10/attest",
            &token,
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let read_only = limited(&t, coordinator, true, &[], "").await;
    let r = t.post_json(&attest("2026-10"), &read_only, "{}").await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    // Attested, her time page says so.
    let r = t.post_json(&attest("2026-10"), &token, "{}").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let page = t
        .page(&b, &format!("/participants/{her}/time?month=2026-10"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Attestera 2026-10"), "attested once");
    // Attested again without a correction, the same minutes: still fine.
    let r = t.post_json(&attest("2026-10"), &token, "{}").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}

#[tokio::test]
async fn a_read_only_token_may_search_but_still_not_create() {
    let t = TestApp::new().await;
    let token = limited(&t, COORDINATOR, true, &[], "").await;
    let full = t.token(COORDINATOR).await;
    let everyone = t
        .get("/api/v1/participants?per_page=1", Some(&full))
        .await
        .json();
    let r = t
        .post_json("/api/v1/participants/search", &token, r#"{"q": "a"}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let found = r.json();
    assert!(found["total"].as_i64() > Some(0), "{}", r.body);
    assert!(found["total"].as_i64() <= everyone["total"].as_i64());
    // Its refusals are a search's: by field.
    t.post_json("/api/v1/participants/search", &token, r#"{"q": 7}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["q"]);
    // The audit log's search by names is a read too.
    let r = t
        .post_json("/api/v1/audit/search", &token, r#"{"per_page": 5}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Registering someone is still a change.
    let org = t.org_of(&full).await;
    let r = t
        .post_json("/api/v1/participants", &token, &new_participant(org, "Läs"))
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let after = t
        .get("/api/v1/participants?per_page=1", Some(&full))
        .await
        .json();
    assert_eq!(after["total"], everyone["total"], "nobody was registered");
    // The reads sent by POST are marked so in the document, and only they.
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let mut reads = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if op["x-palett-reads"] == true {
                reads.push(format!("{method} {path}"));
            }
        }
    }
    reads.sort();
    assert_eq!(reads, ["post /audit/search", "post /participants/search"]);
    // A search limited to another area is refused as before.
    let other = limited(&t, COORDINATOR, true, PROJECTS_ONLY, "").await;
    let r = t
        .post_json("/api/v1/participants/search", &other, r#"{"q": "a"}"#)
        .await;
    assert_eq!(
        (r.status, code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
}
