//! Follow-ups and self-assessments over HTTP: the list of those due, a
//! participant's follow-ups and self-assessments, and their forms with
//! their errors.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_follow_up_is_recorded_through_the_form() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    // The follow-ups of the demo's seed years are done or closed as not
    // reached: the one due is of a woman who ended lately.
    let list = t.page(&b, "/follow-ups").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Uppföljningar att göra"));
    assert!(
        list.body
            .contains("1 uppföljningar som har förfallit eller förfaller inom två veckor"),
        "{}",
        list.body
    );
    for year in ["2019", "2020", "2021", "2022"] {
        assert!(
            !list.body.contains(&format!(">{year}-")),
            "nothing due from {year}"
        );
    }
    // One more who ended in August is due: the list shows her too.
    let token = t.token(COORDINATOR).await;
    ended_in_august(&t, &token, "Ayan").await;
    let list = t.page(&b, "/follow-ups").await;
    assert!(list.body.contains("2 uppföljningar som har förfallit"));
    assert!(list.body.contains("Ayan Uppföljd"));
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

/// A caseworker's woman who ended on 10 August: her 3-month follow-up
/// fell due on 10 November. Her id and that follow-up's id.
async fn ended_in_august(t: &TestApp, token: &str, given: &str) -> (i64, i64) {
    let org = t.org_of(token).await;
    let body = serde_json::json!({
        "given_name": given,
        "family_name": "Uppföljd",
        "identity_kind": "birth_date",
        "birth_date": "1984-04-04",
        "gender": "woman",
        "referral_source": "municipality",
        "responsible_organisation_id": org,
        "referred_on": "2026-02-20",
        "intake_date": "2026-03-02",
    });
    let id = t.register(token, &body.to_string()).await;
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/exit"),
            token,
            r#"{"exit_date": "2026-08-10", "exit_outcome": "job_seeking"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = t
        .get(
            &format!("/api/v1/participants/{id}/follow-ups"),
            Some(token),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let first = &list.json()["items"][0];
    assert_eq!(
        (first["months_after"].as_i64(), first["state"].as_str()),
        (Some(3), Some("open"))
    );
    (id, first["id"].as_i64().expect("follow-up id"))
}

#[tokio::test]
async fn a_follow_up_she_could_not_be_reached_for_is_closed_through_the_form() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let (pid, fid) = ended_in_august(&t, &token, "Sahra").await;
    let due = t.page(&b, "/follow-ups").await;
    assert!(due.body.contains("Sahra Uppföljd"), "due: she is listed");

    let path = format!("/participants/{pid}/follow-ups/{fid}");
    let form = t.page(&b, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    // Both: what she said, or that she could not be reached.
    assert!(form.body.contains("Registrera vad hon berättade"));
    assert!(form
        .body
        .contains("<h2 id=\"not-reached-h\">Kunde inte nås</h2>"));
    assert!(form
        .body
        .contains(&format!("action=\"{path}/not-reached\"")));
    assert!(form
        .body
        .contains("type=\"text\" inputmode=\"numeric\" class=\"date\" id=\"f-tried_on\""));

    // A day in the future and a day before her exit: asked again per field,
    // what she typed kept.
    let not_reached = format!("{path}/not-reached");
    let r = t
        .post_invalid(
            &b,
            &not_reached,
            &[("tried_on", "2026-12-01"), ("note", "Ringt två gånger")],
        )
        .await;
    assert!(r.body.contains("Datumet får inte ligga i framtiden."));
    assert!(
        r.body.contains("href=\"#f-tried_on\""),
        "the summary links the field"
    );
    assert!(r.body.contains("value=\"2026-12-01\""));
    assert!(r.body.contains("value=\"Ringt två gånger\""));
    let r = t
        .post_invalid(
            &b,
            &not_reached,
            &[("tried_on", "2026-08-01"), ("note", "")],
        )
        .await;
    assert!(r
        .body
        .contains("Uppföljningen kan inte vara gjord före avslutet."));

    let back = t
        .post_redirect(
            &b,
            &not_reached,
            &[
                ("tried_on", "2026-11-12"),
                ("note", "Ringt två gånger, sms utan svar"),
            ],
        )
        .await;
    assert_eq!(
        back,
        format!("/participants/{pid}/follow-ups?done=follow-up-not-reached")
    );
    let page = t.page(&b, &back).await;
    assert!(
        page.body
            .contains("Uppföljningen är markerad: kunde inte nås."),
        "the notice"
    );
    assert!(page
        .body
        .contains("Kunde inte nås (2026-11-12): Ringt två gånger, sms utan svar"));
    // The list of follow-ups due no longer lists her.
    let due = t.page(&b, "/follow-ups").await;
    assert!(!due.body.contains("Sahra Uppföljd"), "off the due list");
    // The follow-up's page says so, and still lets her be recorded.
    let form = t.page(&b, &path).await;
    assert!(form.body.contains("Kunde inte nås (2026-11-12)"));
    assert!(form
        .body
        .contains("value=\"Ringt två gånger, sms utan svar\""));
    t.post_redirect(
        &b,
        &path,
        &[
            ("done_on", "2026-11-20"),
            ("employment", "part_time"),
            ("studies", "no"),
            ("income_source", "salary"),
        ],
    )
    .await;
    let page = t.page(&b, &format!("/participants/{pid}/follow-ups")).await;
    assert!(page.body.contains("2026-11-20"));
    assert!(
        !page.body.contains("Kunde inte nås ("),
        "the record replaced the mark"
    );
    // Once she was reached, the page offers no "not reached" form.
    let form = t.page(&b, &path).await;
    assert!(!form.body.contains("not-reached-h"));
    // And a "not reached" sent anyway is refused in words.
    let r = t
        .post_invalid(
            &b,
            &not_reached,
            &[("tried_on", "2026-11-21"), ("note", "")],
        )
        .await;
    assert!(r
        .body
        .contains("Uppföljningen är redan gjord: hon har nåtts."));
}

#[tokio::test]
async fn a_follow_up_is_closed_as_not_reached_through_the_api() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let (pid, fid) = ended_in_august(&t, &token, "Hibo").await;
    let path = format!("/api/v1/participants/{pid}/follow-ups/{fid}/not-reached");
    let put = |body: &'static str| {
        let (t, token, path) = (&t, &token, &path);
        async move { t.json("PUT", path, token, body).await }
    };
    // A bad date is refused naming the field.
    let r = put(r#"{"tried_on": "2026-13-01"}"#).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["tried_on"]);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error-date");
    put(r#"{"tried_on": "2030-01-01"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["tried_on"]);
    put(r#"{"tried_on": "2026-08-09"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["tried_on"]);
    put(r#"{"tried_on": 20261112}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["tried_on"]);
    put(r#"{"tried_on": "2026-11-12", "reason": "x"}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reason"]);

    let r = put(r#"{"tried_on": "2026-11-12", "note": "Brev utan svar"}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (
            j["state"].as_str(),
            j["not_reached_on"].as_str(),
            j["not_reached_note"].as_str(),
            j["done_on"].as_str()
        ),
        (
            Some("not_reached"),
            Some("2026-11-12"),
            Some("Brev utan svar"),
            None
        )
    );
    // She gets in touch: recorded, the mark is gone.
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{pid}/follow-ups/{fid}"),
            &token,
            r#"{"done_on": "2026-11-20", "employment": "none", "studies": "yes", "income_source": "student_aid"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (
            j["state"].as_str(),
            j["not_reached_on"].as_str(),
            j["studies"].as_str()
        ),
        (Some("done"), None, Some("yes"))
    );
    // A follow-up done cannot be marked not reached.
    let r = put(r#"{"tried_on": "2026-11-21"}"#).await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["tried_on"]);
    assert_eq!(
        r.json()["error"]["fields"][0]["code"],
        "error-follow-up-already-done"
    );
    // Unknown follow-ups are 404s.
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{pid}/follow-ups/999999/not-reached"),
            &token,
            r#"{"tried_on": "2026-11-12"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}
