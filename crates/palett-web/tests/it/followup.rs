//! Follow-ups and self-assessments over HTTP: the list of those due, a
//! participant's follow-ups and self-assessments, and their forms with
//! their errors.

use crate::support::*;
use axum::http::StatusCode;

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
    // A date is typed in the one format palett reads, which its hint says
    // (not the browser's date field in whatever format its locale has).
    assert!(form
        .body
        .contains("type=\"text\" inputmode=\"numeric\" class=\"date\" id=\"f-done_on\""));
    assert!(form
        .body
        .contains("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-05-31."));
    let r = t
        .post_invalid(
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
    assert!(r.body.contains("Datumet får inte ligga i framtiden."));
    assert!(r.body.contains("Fältet måste fyllas i."));
    assert!(
        r.body.contains("value=\"2030-01-01\""),
        "the entered date stays"
    );
    let back = t
        .post_redirect(
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
            t.page_status(&b, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_self_assessment_is_recorded_through_the_form() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let pid = t.listed_participant(&b, 3).await;
    let list_path = format!("/participants/{pid}/self-assessments");
    let list = t.page(&b, &list_path).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Självskattning"));
    let before = list.body.matches("<tr>").count();
    let new = format!("{list_path}/new");
    let form = t.page(&b, &new).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("Jag kan göra mig förstådd på svenska i vardagen"));
    assert!(form.body.contains("5 – Stämmer helt"));
    let r = t
        .post_invalid(
            &b,
            &new,
            &[
                ("on", "2026-11-20"),
                ("swedish", "4"),
                ("health", "9"),
                ("confidence", ""),
                ("work_readiness", "3"),
                ("network", "3"),
                ("everyday_life", "3"),
            ],
        )
        .await;
    assert!(r.body.contains("Fältet måste fyllas i."));
    assert!(
        r.body.contains("<option value=\"4\" selected"),
        "the chosen score stays"
    );
    assert_eq!(
        t.post_redirect(
            &b,
            &new,
            &[
                ("on", "2026-11-20"),
                ("swedish", "4"),
                ("health", "5"),
                ("confidence", "4"),
                ("work_readiness", "3"),
                ("network", "3"),
                ("everyday_life", "3"),
            ],
        )
        .await,
        list_path.as_str()
    );
    let after = t.page(&b, &list_path).await;
    assert_eq!(after.body.matches("<tr>").count(), before + 1);
    assert!(after.body.contains("<td>2026-11-20</td>"));
    assert!(
        after.body.contains("<td data-label=\"Summa\">22</td>"),
        "the total, labelled for the stacked rows of a narrow screen"
    );
    // Unknown participants are 404s; an evaluator gets no form.
    for path in [
        "/participants/999999/self-assessments".to_string(),
        "/participants/x/self-assessments/new".to_string(),
    ] {
        assert_eq!(
            t.page_status(&b, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let evaluator = t.browser(EVALUATOR).await;
    assert_eq!(t.page_status(&evaluator, &new).await, StatusCode::NOT_FOUND);
}
