//! Openings over HTTP: offered from an employer's page, listed with
//! filters, marked filled; the API with typed bodies and the occupation
//! catalogue.

use crate::support::*;
use axum::http::StatusCode;

const TEACHER: &str = "larare@folkhogskola.example";

/// The id of the demo employer whose name contains `part`, from the API.
async fn employer(t: &TestApp, token: &str, part: &str) -> i64 {
    let r = t
        .get(&format!("/api/v1/employers?q={part}"), Some(token))
        .await;
    r.json()["items"][0]["id"]
        .as_i64()
        .expect("a demo employer")
}

#[tokio::test]
async fn an_opening_is_offered_from_its_employer_and_marked_filled() {
    let t = TestApp::new().await;
    let [coordinator, evaluator] = t.browsers([COORDINATOR, EVALUATOR]).await;
    let token = t.token(COORDINATOR).await;
    let org = t.org_of(&token).await.to_string();
    let tumba = employer(&t, &token, "tumba").await;

    let page = t.page(&coordinator, &format!("/employers/{tumba}")).await;
    assert!(
        page.body.contains("Praktik i butik, Svenska i butik"),
        "its openings"
    );
    assert!(page
        .body
        .contains(&format!("/employers/{tumba}/openings/new")));

    let path = format!("/employers/{tumba}/openings/new");
    let form = t.page(&coordinator, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("Kassapersonal m.fl. (5230)"),
        "occupations by name and code"
    );
    let mut fields = vec![
        ("kind", "job"),
        ("employment_form", ""),
        ("title", "Kassabiträde"),
        ("ssyk", "5230"),
        ("places", "2"),
        ("start_date", "2027-01-10"),
        ("end_date", "2027-01-09"),
        ("hours_per_week", "37,5"),
        ("swedish_level", "intermediate"),
        ("physical_demands", ""),
        ("working_hours", "evenings"),
        ("place", ""),
        ("description", "Kvällar och helger."),
        ("responsible_organisation_id", org.as_str()),
    ];
    let bad = t.post_invalid(&coordinator, &path, &fields).await;
    assert!(bad.body.contains("id=\"f-employment_form-error\""));
    assert!(bad.body.contains("id=\"f-end_date-error\""));
    assert!(bad.body.contains("value=\"37,5\""), "what she typed stays");
    fields[1] = ("employment_form", "nystartsjobb");
    fields[6] = ("end_date", "");
    let to = t.post_redirect(&coordinator, &path, &fields).await;
    assert!(to.ends_with("?done=created"), "{to}");
    let page = t.page(&coordinator, &to).await;
    assert!(page.body.contains("Erbjudandet är registrerat och öppet."));
    assert!(page.body.contains("Jobb: Nystartsjobb"));
    assert!(page.body.contains("Kassapersonal m.fl. (5230)"));
    assert!(page.body.contains("37.5"));
    let id = to
        .trim_start_matches("/openings/")
        .split('?')
        .next()
        .expect("an id")
        .to_string();

    let list = t.page(&coordinator, "/openings?area=sales&kind=job").await;
    assert!(list.body.contains("Kassabiträde"), "{}", list.body);
    assert!(!list.body.contains("vårdbiträde"));
    let to = t
        .post_redirect(&coordinator, &format!("/openings/{id}/status/filled"), &[])
        .await;
    assert!(to.ends_with("?done=filled"));
    assert!(!t
        .page(&coordinator, "/openings")
        .await
        .body
        .contains("Kassabiträde"));
    assert!(t
        .page(&coordinator, "/openings?status=filled")
        .await
        .body
        .contains("Kassabiträde"));
    assert_eq!(
        t.post_form(&coordinator, &format!("/openings/{id}/status/taken"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.page_status(&evaluator, "/openings").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.page_status(&coordinator, "/openings/99999").await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_offers_and_changes_openings_with_typed_bodies() {
    let t = TestApp::new().await;
    let [teacher, caseworker] = t.tokens([TEACHER, KOMMUN_CASEWORKER]).await;
    let school = t.org_of(&teacher).await;
    let tumba = employer(&t, &teacher, "tumba").await;
    let path = format!("/api/v1/employers/{tumba}/openings");
    let body = format!(
        r#"{{"kind":"internship","title":"Praktik i kassan","ssyk":"5230","places":2,
            "hours_per_week":25,"driving_licence":false,"responsible_organisation_id":{school}}}"#
    );
    let r = t.post_json(&path, &teacher, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["opening"]["id"].as_i64().expect("an id");
    assert_eq!(r.json()["opening"]["area"], "sales");
    assert_eq!(r.json()["opening"]["hours_per_week"], 25.0);
    assert_eq!(r.json()["opening"]["status"], "open");

    t.post_json(
        &path,
        &teacher,
        &body.replace("\"places\":2", "\"places\":\"2\""),
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["places"]);
    t.post_json(&path, &teacher, &body.replace("false", "\"no\""))
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["driving_licence"]);
    t.post_json(&path, &teacher, &body.replace("5230", "1"))
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["ssyk"]);

    let one = format!("/api/v1/openings/{id}");
    let r = t.patch_json(&one, &teacher, r#"{"places":4}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["opening"]["places"], 4);
    assert_eq!(r.json()["opening"]["title"], "Praktik i kassan");
    assert_eq!(
        t.patch_json(&one, &caseworker, r#"{"places":5}"#)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = t
        .json(
            "PUT",
            &format!("{one}/status"),
            &teacher,
            r#"{"status":"closed"}"#,
        )
        .await;
    assert_eq!(r.json()["opening"]["status"], "closed", "{}", r.body);

    let r = t
        .get(
            &format!("/api/v1/openings?status=closed&employer_id={tumba}"),
            Some(&caseworker),
        )
        .await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);
    t.get("/api/v1/openings?area=nowhere", Some(&caseworker))
        .await
        .assert_fields(StatusCode::BAD_REQUEST, &["area"]);
    t.get("/api/v1/openings?status=taken", Some(&caseworker))
        .await
        .assert_fields(StatusCode::BAD_REQUEST, &["status"]);

    let r = t.get("/api/v1/occupations", Some(&caseworker)).await;
    let areas = r.json()["areas"].as_array().cloned().expect("areas");
    assert!(areas.len() >= 20);
    let sales = areas.iter().find(|a| a["code"] == "sales").expect("sales");
    assert!(sales["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .any(|g| g["ssyk"] == "5230"));
}

#[tokio::test]
async fn candidates_and_her_openings_come_with_reasons_in_words_and_json() {
    let t = TestApp::new().await;
    let [coordinator] = t.browsers([COORDINATOR]).await;
    let token = t.token(COORDINATOR).await;
    // A demo opening that is open, in sales.
    let r = t
        .get("/api/v1/openings?status=open&area=cleaning", Some(&token))
        .await;
    let opening = r.json()["items"][0]["id"]
        .as_i64()
        .expect("an open opening");
    let page = t
        .page(&coordinator, &format!("/openings/{opening}/candidates"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Poäng") && page.body.contains("Varför"));
    assert!(
        page.body
            .contains("Yrkesområdet finns bland intressena i hennes plan (+3)."),
        "some demo women name cleaning in their plans"
    );
    let r = t
        .get(
            &format!("/api/v1/openings/{opening}/candidates?per_page=5"),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.json()["items"].as_array().cloned().expect("items");
    assert!(!items.is_empty() && items.len() <= 5);
    let scores: Vec<i64> = items
        .iter()
        .map(|i| i["match"]["score"].as_i64().expect("a score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    assert_eq!(items[0]["match"]["reasons"][0], "interested");

    // Her plan's interests, set in the plan form, rank her openings.
    let first = items[0]["participant_id"].as_i64().expect("an id");
    let form = t
        .page(&coordinator, &format!("/participants/{first}/plan/edit"))
        .await;
    assert!(form
        .body
        .contains("name=\"interest\" value=\"cleaning\" checked"));
    let bad = t
        .post_invalid(
            &coordinator,
            &format!("/participants/{first}/plan/edit"),
            &[("interest", "astronaut")],
        )
        .await;
    assert!(bad.body.contains("id=\"f-interest-error\""));
    // The places she can reach: the registry's municipalities to tick, and
    // one to type; a name that is not one comes back with its error.
    assert!(form
        .body
        .contains("name=\"reach\" value=\"Botkyrka\" checked"));
    assert!(form.body.contains("name=\"reach\" value=\"Stockholm\">"));
    assert!(form
        .body
        .contains("id=\"f-reach-0\" name=\"reach\" value=\"\""));
    let bad = t
        .post_invalid(
            &coordinator,
            &format!("/participants/{first}/plan/edit"),
            &[("reach", "Salem"), ("reach", "Tum\u{202e}ba")],
        )
        .await;
    assert!(bad.body.contains("id=\"f-reach-0-error\""));
    assert!(bad
        .body
        .contains("name=\"reach\" value=\"Tum\u{202e}ba\" aria-invalid=\"true\""));
    assert!(bad.body.contains("name=\"reach\" value=\"Salem\" checked"));
    t.json(
        "PUT",
        &format!("/api/v1/participants/{first}/plan"),
        &token,
        r#"{"reach":"Botkyrka"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reach"]);
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{first}/plan"),
            &token,
            r#"{"interests":["hospitality"],"reach":["Huddinge","botkyrka"]}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    t.json(
        "PUT",
        &format!("/api/v1/participants/{first}/plan"),
        &token,
        r#"{"interests":"hospitality"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["interests"]);
    let r = t
        .get(
            &format!("/api/v1/participants/{first}/openings"),
            Some(&token),
        )
        .await;
    assert_eq!(
        r.json()["interests"],
        serde_json::json!(["hospitality"]),
        "{}",
        r.body
    );
    assert_eq!(
        r.json()["reach"],
        serde_json::json!(["botkyrka", "Huddinge"])
    );
    assert_eq!(r.json()["may_be_proposed"], true);
    let within = r.json()["items"]
        .as_array()
        .cloned()
        .expect("items")
        .into_iter()
        .find(|i| i["opening"]["employer_municipality"] == "Botkyrka")
        .expect("an opening in Botkyrka");
    assert!(
        within["match"]["reasons"]
            .as_array()
            .is_some_and(|r| r.contains(&serde_json::json!("within_reach"))),
        "{within}"
    );
    let page = t
        .page(&coordinator, &format!("/participants/{first}/openings"))
        .await;
    assert!(page
        .body
        .contains("Intressen i hennes plan: Hotell, restaurang, storhushåll."));
    assert!(page
        .body
        .contains("Kommuner hon kan ta sig till: botkyrka, Huddinge."));
    assert!(page.body.contains(
        "Arbetsgivaren finns i en kommun som hennes plan säger att hon kan ta sig till (+1)."
    ));
}

#[tokio::test]
async fn a_candidate_is_proposed_presented_and_placed_through_the_pages_and_the_api() {
    let t = TestApp::new().await;
    let [coordinator] = t.browsers([COORDINATOR]).await;
    let token = t.token(COORDINATOR).await;
    let (opening, candidates) = t.cleaning_candidates(&token, 2).await;
    let (first, second) = (candidates[0], candidates[1]);

    // From the candidates page: propose her; once more shows the same one.
    let page = t
        .page(&coordinator, &format!("/openings/{opening}/candidates"))
        .await;
    let propose = format!("/openings/{opening}/propose/{first}");
    assert!(page.body.contains(&propose), "a button per candidate");
    let to = t.post_redirect(&coordinator, &propose, &[]).await;
    assert!(to.ends_with("?done=proposed"), "{to}");
    let again = t.post_redirect(&coordinator, &propose, &[]).await;
    assert_eq!(again, to.trim_end_matches("?done=proposed"));
    let path = again;
    let page = t.page(&coordinator, &path).await;
    assert!(page.body.contains("Föreslagen") && page.body.contains("Registrera nästa steg"));

    // The step form offers only what may follow; a skipped step is refused.
    let form = t.page(&coordinator, &format!("{path}/step")).await;
    assert!(form.body.contains("value=\"agreed\"") && !form.body.contains("value=\"placed\""));
    let bad = t
        .post_invalid(
            &coordinator,
            &format!("{path}/step"),
            &[
                ("stage", "placed"),
                ("on_date", "2026-11-25"),
                ("reason", ""),
                ("note", ""),
            ],
        )
        .await;
    assert!(bad
        .body
        .contains("Det steget kan inte följa på det nuvarande."));
    for stage in ["agreed", "presented"] {
        let to = t
            .post_redirect(
                &coordinator,
                &format!("{path}/step"),
                &[
                    ("stage", stage),
                    ("on_date", "2026-11-25"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert!(to.ends_with("?done=step"));
    }
    let page = t.page(&coordinator, &path).await;
    assert!(page.body.contains("Presenterad för arbetsgivaren"));
    let opening_page = t.page(&coordinator, &format!("/openings/{opening}")).await;
    assert!(
        opening_page.body.contains(&format!("href=\"{path}\"")),
        "listed on the opening"
    );

    // The API: propose the second, then the whole pipeline.
    let r = t
        .post_json(
            &format!("/api/v1/openings/{opening}/proposals"),
            &token,
            &format!(r#"{{"participant_id":{second}}}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["proposal"]["id"].as_i64().expect("an id");
    t.post_json(
        &format!("/api/v1/openings/{opening}/proposals"),
        &token,
        r#"{"participant_id":"x"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["participant_id"]);
    let steps = format!("/api/v1/proposals/{id}/steps");
    for (stage, reason) in [("agreed", ""), ("presented", ""), ("interview", "")] {
        let body = format!(r#"{{"stage":"{stage}","on_date":"2026-11-25","reason":"{reason}"}}"#);
        let r = t.post_json(&steps, &token, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    t.post_json(
        &steps,
        &token,
        r#"{"stage":"not_placed","on_date":"2026-11-25"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reason"]);
    let r = t
        .post_json(
            &steps,
            &token,
            r#"{"stage":"not_placed","on_date":"2026-11-25","reason":"employer_declined"}"#,
        )
        .await;
    assert_eq!(r.json()["proposal"]["stage"], "not_placed", "{}", r.body);
    assert_eq!(r.json()["steps"].as_array().map(Vec::len), Some(5));
    let r = t
        .get(
            &format!("/api/v1/participants/{second}/proposals"),
            Some(&token),
        )
        .await;
    assert_eq!(r.json()["items"][0]["id"], id, "{}", r.body);
    // Her export names the employer she was presented to.
    let export = t
        .get(
            &format!("/api/v1/participants/{second}/export"),
            Some(&token),
        )
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(export.json()["proposals"][0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .any(|s| s["stage"] == "presented"));
}
