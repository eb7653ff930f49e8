//! Referrals through the pages and the API: refer her (refused without a
//! consent that covers the receiving partner, sent with the one she gives
//! now), answer, see the outcome from the other side; routines; errors.

use crate::support::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_referral_is_sent_answered_and_seen_by_both_partners() {
    let t = TestApp::new().await;
    let [coach, hm] = t.browsers([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let [coach_token, hm_token] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let kommun = t.org_of(&coach_token).await;
    let hela = t.org_of(&hm_token).await;
    // Ayan has consented to nothing beyond taking part.
    let ayan = t
        .register(&coach_token, &new_participant(kommun, "Ayan"))
        .await;

    let new = format!("/participants/{ayan}/referrals/new");
    let form = t.page(&coach, &new).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Remiss för Ayan Testsson"));
    let hela_id = hela.to_string();
    let fields = [
        ("source", "partner"),
        ("to_organisation_id", hela_id.as_str()),
        ("purpose", "assessment"),
        ("intervention_id", ""),
        ("reason", "Vill komma vidare mot arbete."),
        ("asked", "Ett första samtal."),
        ("sent_on", "2026-11-25"),
        ("consent_method", ""),
        ("consent_given_on", "2026-11-25"),
    ];
    // Without a consent that covers Hela Människan: the form again, with
    // what she wrote and the reason.
    let refused = t.post_invalid(&coach, &new, &fields).await;
    assert!(refused
        .body
        .contains("Hennes samtycke till informationsdelning omfattar inte mottagaren."));
    assert!(refused.body.contains("Vill komma vidare mot arbete."));
    let mut with_consent = fields.to_vec();
    with_consent.retain(|(k, _)| *k != "consent_method");
    with_consent.push(("record_consent", "on"));
    with_consent.push(("consent_method", "signed_paper"));
    let to = t.post_redirect(&coach, &new, &with_consent).await;
    assert!(to.ends_with("?done=sent"), "{to}");
    let id: i64 = to
        .trim_start_matches("/referrals/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("the referral's id");

    // Hela Människan finds it among its incoming referrals, in the pages
    // and the API, with the day the answer is due.
    let list = t.page(&hm, "/referrals").await;
    assert!(list.body.contains(&format!("href=\"/referrals/{id}\"")));
    assert!(list.body.contains("Ayan Testsson"));
    let r = t
        .get(
            "/api/v1/referrals?side=incoming&state=waiting",
            Some(&hm_token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let item = r.json()["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id).cloned())
        .expect("listed");
    assert_eq!(item["state"], "sent");
    assert_eq!(item["due_on"], "2026-12-02");
    assert_eq!(item["stale"], false);

    // A step the API cannot take names its field; one of the wrong type too.
    let steps = format!("/api/v1/referrals/{id}/steps");
    t.json(
        "POST",
        &steps,
        &hm_token,
        r#"{"state":"declined","on_date":"2026-11-25"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reason"]);
    t.json("POST", &steps, &hm_token, r#"{"state":5}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["state"]);
    // The referrer does not answer her own referral.
    let r = t
        .json(
            "POST",
            &steps,
            &coach_token,
            r#"{"state":"received","on_date":"2026-11-25"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Accepted in the pages; the referrer sees it at once.
    let step_form = t.page(&hm, &format!("/referrals/{id}/step")).await;
    assert_eq!(step_form.status, StatusCode::OK);
    let to = t
        .post_redirect(
            &hm,
            &format!("/referrals/{id}/step"),
            &[
                ("state", "accepted"),
                ("on_date", "2026-11-25"),
                ("reason", ""),
                ("note", ""),
                ("enrolment_id", ""),
                ("to_organisation_id", ""),
            ],
        )
        .await;
    assert!(to.ends_with("?done=step"), "{to}");
    let seen = t.page(&coach, &format!("/referrals/{id}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("Antagen"));
    assert!(!seen.body.contains(&format!("/referrals/{id}/step")));
    let r = t
        .get(&format!("/api/v1/referrals/{id}"), Some(&coach_token))
        .await;
    assert_eq!(r.json()["referral"]["state"], "accepted", "{}", r.body);
    assert_eq!(r.json()["steps"].as_array().map(Vec::len), Some(2));
    assert_eq!(r.json()["may_answer"], false);
    let r = t
        .get(
            &format!("/api/v1/participants/{ayan}/referrals"),
            Some(&coach_token),
        )
        .await;
    assert_eq!(r.json()["items"][0]["id"], id, "{}", r.body);

    // Notes are attached by id; anything else names the field.
    t.json(
        "POST",
        &format!("/api/v1/participants/{ayan}/referrals"),
        &coach_token,
        &serde_json::json!({"note_ids": "alla"}).to_string(),
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["note_ids"]);

    // Unknown or out of reach: not found; an evaluator lists none.
    assert_eq!(
        t.get("/api/v1/referrals/99999", Some(&hm_token))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let evaluator = t.token(EVALUATOR).await;
    assert_eq!(
        t.get("/api/v1/referrals", Some(&evaluator)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn partners_agree_their_answer_time() {
    let t = TestApp::new().await;
    let [hm] = t.browsers([COORDINATOR]).await;
    let [hm_token, coach_token] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let hela = t.org_of(&hm_token).await;
    let page = t.page(&hm, "/referral-routines").await;
    assert!(page.body.contains("Rutiner för remisser"));
    assert!(page.body.contains("5 (inte avtalad ännu)"));
    let path = format!("/api/v1/organisations/{hela}/referral-routine");
    t.json("PUT", &path, &hm_token, r#"{"answer_days":0}"#)
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["answer_days"]);
    let r = t
        .json(
            "PUT",
            &path,
            &hm_token,
            r#"{"answer_days":3,"contact":"Mottagningen"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["answer_days"], 3);
    assert_eq!(r.json()["agreed"], true);
    let r = t
        .json("PUT", &path, &coach_token, r#"{"answer_days":4}"#)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The form keeps a bad value with its message.
    let bad = t
        .post_invalid(
            &hm,
            &format!("/organisations/{hela}/referral-routine"),
            &[("answer_days", "tre"), ("contact", "Mottagningen")],
        )
        .await;
    assert!(bad
        .body
        .contains("Ange ett helt antal arbetsdagar från 1 till 60."));
    assert!(bad.body.contains("value=\"tre\""));
}

#[tokio::test]
async fn a_woman_not_yet_registered_is_registered_and_referred_at_once() {
    let t = TestApp::new().await;
    let [coach] = t.browsers([KOMMUN_CASEWORKER]).await;
    let [coach_token, hm_token] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let kommun = t.org_of(&coach_token).await;
    let hela = t.org_of(&hm_token).await;
    let form = t.page(&coach, "/referrals/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("Remiss för en kvinna som inte är registrerad"));
    // An empty form names the fields of both halves.
    let empty = t
        .post_invalid(&coach, "/referrals/new", &[("reason", "Behöver stöd.")])
        .await;
    assert!(empty.body.contains("id=\"f-given_name-error\""));
    assert!(empty.body.contains("id=\"f-asked-error\""));
    assert!(empty.body.contains("Behöver stöd."));

    let mut body = serde_json::json!({
        "given_name": "Dahabo",
        "family_name": "Remissdotter",
        "identity_kind": "birth_date",
        "birth_date": "1984-06-01",
        "gender": "woman",
        "referral_source": "municipality",
        "responsible_organisation_id": kommun,
        "referred_on": "2026-11-20",
        "languages": ["somaliska"],
        "source": "partner",
        "to_organisation_id": hela,
        "purpose": "intake",
        "reason": "Vill börja i arbetsträning.",
        "asked": "Inskrivning.",
    });
    // Her consent does not cover Hela Människan: neither is recorded.
    let r = t
        .json("POST", "/api/v1/referrals", &coach_token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["to_organisation_id"]);
    body["sharing_organisation_ids"] = serde_json::json!([hela]);
    body["consent_method"] = serde_json::json!("signed_paper");
    let r = t
        .json("POST", "/api/v1/referrals", &coach_token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["referral"]["sent_on"], "2026-11-20");
    assert_eq!(
        r.json()["referral"]["participant_name"],
        "Dahabo Remissdotter"
    );
    let pid = r.json()["referral"]["participant_id"]
        .as_i64()
        .expect("her id");
    let her = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&coach_token))
        .await;
    assert_eq!(her.json()["status"], "referred", "{}", her.body);
}

#[tokio::test]
async fn the_referral_report_counts_by_partner_and_month() {
    let t = TestApp::new().await;
    let [hm] = t.browsers([COORDINATOR]).await;
    let token = t.token(COORDINATOR).await;
    let page = t.page(&hm, "/reports/referrals").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Remisser per part och månad"));
    assert!(page.body.contains("Median arbetsdagar till svar"));
    // A day that is not one: the page again with it and the reason.
    let bad = t
        .page(&hm, "/reports/referrals?from=2021-02-30&to=2021-03-31")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("value=\"2021-02-30\""));
    assert!(bad.body.contains("Från och med:"));
    let r = t
        .get(
            "/api/v1/reports/referrals?from=2026-10-01&to=2026-11-30",
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lines = r.json()["lines"].as_array().cloned().expect("lines");
    // The demo's six waiting referrals, sent in the three weeks before the
    // demo's day (2026-11-25 here), by month.
    let sent: i64 = lines
        .iter()
        .filter(|l| l["to_name"] == "Hela Människan")
        .filter_map(|l| l["sent"].as_i64())
        .sum();
    assert_eq!(sent, 6, "{lines:?}");
    // Tillväxt Kvinna's last year: Hela Människan's busiest month.
    let r = t
        .get(
            "/api/v1/reports/referrals?from=2021-01-01&to=2021-10-31",
            Some(&token),
        )
        .await;
    let lines = r.json()["lines"].as_array().cloned().expect("lines");
    let hela = lines
        .iter()
        .filter(|l| l["to_name"] == "Hela Människan")
        .max_by_key(|l| l["sent"].as_i64())
        .cloned()
        .expect("referrals sent in 2021");
    assert!(hela["sent"].as_i64().is_some_and(|n| n >= 2), "{hela}");
    let month = hela["month"].as_str().expect("its month").to_string();

    // Each figure of Hela Människan's own line opens the referrals behind
    // it: as many as the figure says, in the API and the page.
    for (figure, reached) in [
        ("sent", ""),
        ("answered", "answered"),
        ("accepted", "accepted"),
        ("started", "started"),
    ] {
        let path = format!("/api/v1/referrals?side=incoming&month={month}&reached={reached}");
        let list = t.get(&path, Some(&token)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.json()["total"], hela[figure], "{figure}");
    }
    let report = t
        .page(&hm, "/reports/referrals?from=2021-01-01&to=2021-10-31")
        .await;
    let link = format!("href=\"/referrals?side=incoming&#38;month={month}\"");
    assert!(report.body.contains(&link), "the sent figure is a link");
    let list = t
        .page(&hm, &format!("/referrals?side=incoming&month={month}"))
        .await;
    assert!(list.body.contains(&format!(
        "Ur remissrapporten: skickade {month}, alla skickade."
    )));
    assert!(list.body.contains(&format!("{} remisser", hela["sent"])));
    for bad in ["month=2021-13", "reached=halfway"] {
        let field = bad.split('=').next().expect("a word");
        t.get(&format!("/api/v1/referrals?{bad}"), Some(&token))
            .await
            .assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
}

#[tokio::test]
async fn no_referral_form_is_offered_for_a_woman_she_may_not_change() {
    let t = TestApp::new().await;
    let coach = t.browser(KOMMUN_CASEWORKER).await;
    let [coach_token, hm_token] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let hela = t.org_of(&hm_token).await;
    // A woman Hela Människan is responsible for, whom the coach sees.
    let list = t
        .get(
            &format!("/api/v1/participants?organisation_id={hela}&status=active"),
            Some(&coach_token),
        )
        .await
        .json();
    let pid = list["items"][0]["id"].as_i64().expect("one she sees");
    let page = t
        .page(&coach, &format!("/participants/{pid}/referrals"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("/referrals/new"),
        "no link to refer her"
    );
    let form = t
        .page(&coach, &format!("/participants/{pid}/referrals/new"))
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    // Her own: the link is there.
    let kommun = t.org_of(&coach_token).await;
    let own = t
        .register(&coach_token, &new_participant(kommun, "Ayan"))
        .await;
    let page = t
        .page(&coach, &format!("/participants/{own}/referrals"))
        .await;
    assert!(page
        .body
        .contains(&format!("href=\"/participants/{own}/referrals/new\"")));
}
