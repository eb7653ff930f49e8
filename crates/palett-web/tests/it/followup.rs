//! Follow-ups over HTTP: the list of those due, a participant's
//! follow-ups, and the form with its errors.

use crate::support::*;
use axum::http::{header, StatusCode};

#[tokio::test]
async fn a_follow_up_is_recorded_through_the_form() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    // The demo holds follow-ups never done: the list shows them.
    let list = t.page(&b, "/follow-ups").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Uppföljningar att göra"));
    // The first follow-up to record.
    let record = list
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("/follow-ups/"))
        .expect("a follow-up to record")
        .to_string();
    let form = t.page(&b, &record).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Huvudsaklig försörjning"));
    let r = t
        .post_form(
            &b,
            &record,
            &[
                ("done_on", "2030-01-01"),
                ("employment", "full_time"),
                ("studies", ""),
                ("income_source", "salary"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Datumet får inte ligga i framtiden."));
    assert!(r.body.contains("Fältet måste fyllas i."));
    assert!(
        r.body.contains("value=\"2030-01-01\""),
        "the entered date stays"
    );
    let r = t
        .post_form(
            &b,
            &record,
            &[
                ("done_on", "2026-11-20"),
                ("employment", "full_time"),
                ("studies", "no"),
                ("income_source", "salary"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    let page = t.page(&b, &back).await;
    assert!(page.body.contains("2026-11-20"));
    assert!(page.body.contains("Anställning heltid"));
    // Unknown follow-ups and participants are 404s.
    let (pid, _) = record
        .trim_start_matches("/participants/")
        .split_once('/')
        .expect("path");
    for path in [
        format!("/participants/{pid}/follow-ups/999999"),
        "/participants/999999/follow-ups".to_string(),
        "/participants/x/follow-ups/1".to_string(),
    ] {
        assert_eq!(
            t.page(&b, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
