//! The participant list pages by keyset, in the API and on the page: the
//! cursors are ids (no name in a URL), the walk forwards and backwards
//! gives what the numbered pages give, and a bad cursor is named.

use crate::support::*;
use axum::http::StatusCode;

/// The ids of a page of the API's list, and its cursors.
fn ids(page: &serde_json::Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("an id"))
        .collect()
}

#[tokio::test]
async fn the_participant_list_pages_by_keyset_in_the_api_and_on_the_page() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    // The reference: every page by its number.
    let mut all = Vec::new();
    for n in 1.. {
        let numbered = t
            .get(
                &format!("/api/v1/participants?per_page=100&page={n}"),
                Some(&token),
            )
            .await
            .json();
        all.extend(ids(&numbered));
        assert_eq!(numbered["more"], false);
        if numbered["next_after"].is_null() {
            assert_eq!(numbered["total"].as_i64(), Some(all.len() as i64));
            break;
        }
    }
    assert!(all.len() > 30, "{}", all.len());

    // Forwards, seven a page, by each page's `next_after`.
    let mut path = "/api/v1/participants?per_page=7".to_string();
    let (mut forward, mut pages) = (Vec::new(), Vec::new());
    loop {
        let r = t.get(&path, Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let page = r.json();
        forward.extend(ids(&page));
        pages.push(page.clone());
        match page["next_after"].as_i64() {
            Some(after) => path = format!("/api/v1/participants?per_page=7&after={after}"),
            None => break,
        }
    }
    assert_eq!(forward, all);
    // Backwards from the last page, by each page's `prev_before`.
    let mut backward = vec![ids(pages.last().expect("a page"))];
    let mut before = pages.last().expect("a page")["prev_before"].as_i64();
    while let Some(b) = before {
        let page = t
            .get(
                &format!("/api/v1/participants?per_page=7&before={b}"),
                Some(&token),
            )
            .await
            .json();
        backward.push(ids(&page));
        before = page["prev_before"].as_i64();
    }
    backward.reverse();
    assert_eq!(backward.concat(), all);

    // Bad cursors are named: not an id, two at once, a cursor with a page
    // number, and a participant who is not in her list.
    for (query, field) in [
        ("after=x", "after"),
        ("before=0", "before"),
        ("after=1&before=2", "before"),
        ("page=2&after=1", "page"),
    ] {
        t.get(&format!("/api/v1/participants?{query}"), Some(&token))
            .await
            .assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
    t.get("/api/v1/participants?after=999999999", Some(&token))
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["after"]);
    t.post_json(
        "/api/v1/participants/search",
        &token,
        r#"{"q": "a", "after": "12"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["after"]);

    // The page links to the next page by the id of its last row, and the
    // next page starts where the first ended.
    let b = t.browser(COORDINATOR).await;
    let first = t.page(&b, "/participants").await;
    assert_eq!(first.status, StatusCode::OK);
    let next = format!("/participants?after={}", all[24]);
    assert!(
        first.body.contains(&format!("href=\"{next}\"")),
        "{}",
        first.body
    );
    assert!(!first.body.contains("Första sidan"));
    let second = t.page(&b, &next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second
        .body
        .contains(&format!("href=\"/participants/{}\"", all[25])));
    assert!(!second
        .body
        .contains(&format!("href=\"/participants/{}\"", all[24])));
    assert!(second
        .body
        .contains(&format!("href=\"/participants?before={}\"", all[25])));
    assert!(second.body.contains("Första sidan"));
    // A link from a participant no longer in the list starts from the top.
    let stale = t.page(&b, "/participants?after=999999999").await;
    assert_eq!(stale.status, StatusCode::OK);
    assert!(stale
        .body
        .contains(&format!("href=\"/participants/{}\"", all[0])));
}
