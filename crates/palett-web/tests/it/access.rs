//! Moving the responsibility for a participant (a handover), and refused
//! requests for participant resources counted for the log review.

use crate::support::*;
use axum::http::StatusCode;

const KOMMUN_COORDINATOR: &str = "samordnare@botkyrka.example";

#[tokio::test]
async fn responsibility_moves_by_a_handover_page_and_endpoint_not_by_an_edit() {
    let t = TestApp::new().await;
    let [kim, maja, sara] = t
        .tokens([KOMMUN_CASEWORKER, KOMMUN_COORDINATOR, COORDINATOR])
        .await;
    let kommun = t.org_of(&kim).await;
    let hm = t.org_of(&sara).await;
    let id = t.register(&kim, &new_participant(kommun, "Flytta")).await;

    // PATCH refuses the field, for the caseworker and her coordinator alike.
    for token in [&kim, &maja] {
        let r = t
            .patch_json(
                &format!("/api/v1/participants/{id}"),
                token,
                &format!(r#"{{"responsible_organisation_id": {hm}}}"#),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json()["error"]["fields"][0]["code"],
            "error-use-handover",
            "{}",
            r.body
        );
    }
    // The edit form says how it is done instead.
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    let edit = t.page(&kb, &format!("/participants/{id}/edit")).await;
    assert!(edit.body.contains("Ansvaret flyttas med Flytta ansvar"));
    // Only the giving organisation's coordinator is offered the handover.
    let page = t.page(&kb, &format!("/participants/{id}")).await;
    assert!(!page.body.contains(&format!("/participants/{id}/handover")));
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/handover"),
            &kim,
            &format!(r#"{{"organisation_id": {hm}, "reason": "Flytt"}}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    let mb = t.browser(KOMMUN_COORDINATOR).await;
    let page = t.page(&mb, &format!("/participants/{id}")).await;
    assert!(page.body.contains(&format!("/participants/{id}/handover")));
    let form = t.page(&mb, &format!("/participants/{id}/handover")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Hela Människan"));
    assert!(
        !form.body.contains("Arbetsförmedlingen"),
        "a former member is not offered"
    );
    let r = t
        .post_invalid(
            &mb,
            &format!("/participants/{id}/handover"),
            &[("organisation_id", &hm.to_string()), ("reason", "")],
        )
        .await;
    assert!(r.body.contains("f-reason"), "the reason is named");
    let r = t
        .post_form(
            &mb,
            &format!("/participants/{id}/handover"),
            &[
                ("organisation_id", &hm.to_string()),
                ("reason", "Till jobbmatchningen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/participants"),
        "the kommun no longer sees her (no sharing consent)"
    );

    // Her history shows it, to the receiving organisation.
    let sb = t.browser(COORDINATOR).await;
    let page = t.page(&sb, &format!("/participants/{id}")).await;
    assert!(page
        .body
        .contains("Ansvaret flyttat från Botkyrka kommun till Hela Människan"));
    assert!(page.body.contains("Till jobbmatchningen"));
    // And back through the API, by the new responsible organisation.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/handover"),
            &sara,
            &format!(r#"{{"organisation_id": {kommun}, "reason": "Tillbaka"}}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        (
            &j["from_organisation"]["id"],
            &j["to_organisation"]["id"],
            &j["reason"],
            &j["still_visible"]
        ),
        (
            &hm.into(),
            &kommun.into(),
            &"Tillbaka".into(),
            &false.into()
        ),
        "Hela Människan has no sharing consent: she is no longer theirs to see"
    );
    assert_eq!(
        t.get(&format!("/api/v1/participants/{id}"), Some(&sara))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let j = t
        .get(&format!("/api/v1/participants/{id}"), Some(&maja))
        .await
        .json();
    assert_eq!(j["responsible_organisation"]["id"], kommun);
    let moves = j["handovers"].as_array().expect("handovers");
    assert_eq!(moves.len(), 2);
    assert_eq!(moves[0]["to_organisation"]["id"], hm);
    assert_eq!(moves[1]["from_organisation"]["id"], hm);
    // Bad input is a field error (a text where an id belongs is the wrong
    // type), unknown fields are refused.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{id}/handover"),
            &maja,
            r#"{"organisation_id": "x", "reason": "Flytt", "extra": 1}"#,
        )
        .await;
    r.assert_fields(
        StatusCode::UNPROCESSABLE_ENTITY,
        &["extra", "organisation_id"],
    );
}

#[tokio::test]
async fn refused_requests_for_participants_are_counted_for_the_log_review() {
    let t = TestApp::new().await;
    let [sara, kim] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let hm = t.org_of(&sara).await;
    // Hela Människan's, with no sharing consent: hidden from the kommun.
    let id = t.register(&sara, &new_participant(hm, "Dold")).await;
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    let refused = [
        t.get(&format!("/api/v1/participants/{id}"), Some(&kim))
            .await,
        t.get(&format!("/api/v1/participants/{id}/plan"), Some(&kim))
            .await,
        t.get("/api/v1/participants/99999999", Some(&kim)).await,
        t.page(&kb, &format!("/participants/{id}")).await,
        t.page(&kb, &format!("/participants/{id}/export")).await,
    ];
    for r in &refused {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
    // Not counted: what is not a participant's resource, and what she may see.
    assert_eq!(
        t.get("/api/v1/participants/not-a-number", Some(&kim))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let own = t
        .register(&kim, &new_participant(t.org_of(&kim).await, "Egen"))
        .await;
    assert_eq!(
        t.get(&format!("/api/v1/participants/{own}"), Some(&kim))
            .await
            .status,
        StatusCode::OK
    );

    let sb = t.browser(COORDINATOR).await;
    let page = t.page(&sb, "/audit/review").await;
    assert_eq!(page.status, StatusCode::OK);
    let table = page
        .body
        .split("Nekade försök att nå deltagare")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the refusals table");
    assert!(table.contains("Kim Coach"), "{table}");
    assert!(table.contains(">5<"), "five refusals: {table}");
    assert!(!table.contains("Sara"), "{table}");
    // The ids she tried are not in the log against her.
    // (The log's search offers every user's name; her entries are none.)
    let log = t.page(&sb, &format!("/audit?participant={id}")).await;
    assert_eq!(log.status, StatusCode::OK);
    let rows = log.body.split("<tbody>").nth(1).unwrap_or_default();
    assert!(!rows.contains("Kim Coach"), "{rows}");
}

#[tokio::test]
async fn a_former_members_caseworker_reads_her_own_records_and_is_offered_no_changes() {
    let t = TestApp::new().await;
    // Arbetsförmedlingen left the demo partnership on 2020-06-30.
    let ali = t.token(AF_CASEWORKER).await;
    let af = t.org_of(&ali).await;
    let list = t.get("/api/v1/participants?per_page=100", Some(&ali)).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json()["items"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty(), "she keeps her organisation's records");
    assert!(
        items
            .iter()
            .all(|i| i["responsible_organisation"] == "Arbetsförmedlingen Huddinge Botkyrka Salem"),
        "and nothing else"
    );
    let id = items[0]["id"].as_i64().expect("id");
    let b = t.browser(AF_CASEWORKER).await;
    let page = t.page(&b, &format!("/participants/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for offered in [
        format!("/participants/{id}/edit"),
        format!("/participants/{id}/notes"),
        format!("/participants/{id}/consents/new"),
        "href=\"/participants/new\"".to_string(),
    ] {
        assert!(!page.body.contains(&offered), "{offered} is not offered");
    }
    assert_eq!(
        t.page_status(&b, "/participants/new").await,
        StatusCode::FORBIDDEN
    );
    let r = t
        .post_json("/api/v1/participants", &ali, &new_participant(af, "Ny"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A member's caseworker is offered them.
    let kb = t.browser(KOMMUN_CASEWORKER).await;
    assert!(t
        .page(&kb, "/participants")
        .await
        .body
        .contains("href=\"/participants/new\""));
}
