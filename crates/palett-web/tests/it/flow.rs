//! Feedback and flow on the pages and the API: an intake that starts her at
//! once, plan steps that enrol her, an enrolment that becomes a plan step.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::json;

/// Her status and the kinds of her status history, from the API.
async fn status_and_history(t: &TestApp, token: &str, id: &str) -> (String, Vec<String>) {
    let v = t
        .get(&format!("/api/v1/participants/{id}"), Some(token))
        .await
        .json();
    let kinds = v["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_string))
        .collect();
    (v["status"].as_str().unwrap_or_default().to_string(), kinds)
}

fn intake_fields<'a>(org: &'a str, family: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("given_name", "Ubah"),
        ("family_name", family),
        ("identity_kind", "birth_date"),
        ("birth_date", "1984-03-03"),
        ("gender", "woman"),
        ("referral_source", "municipality"),
        ("responsible_organisation_id", org),
        ("referred_on", "2026-11-01"),
        ("intake_date", "2026-11-20"),
    ]
}

#[tokio::test]
async fn an_intake_form_may_start_her_at_once() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await.to_string();
    let form = t.page(&b, "/participants/new").await;
    assert!(form.body.contains("Starta direkt"), "the choice is offered");
    assert!(form.body.contains("name=\"start_on\""));

    // Ticked, the day left empty: started on the intake day, and the
    // notice says so.
    let mut fields = intake_fields(&org, "Direktsson");
    fields.push(("start_now", "true"));
    let location = t.post_redirect(&b, "/participants/new", &fields).await;
    assert!(location.ends_with("?done=started"), "{location}");
    let page = t.page(&b, &location).await;
    assert!(page.body.contains("Hon är inskriven och startad."));
    let id = location
        .trim_start_matches("/participants/")
        .split('?')
        .next()
        .expect("id")
        .to_string();
    assert_eq!(
        status_and_history(&t, &token, &id).await,
        (
            "active".to_string(),
            vec!["referral".into(), "intake".into(), "start".into()]
        )
    );

    // A day before the intake: the field says so, her values stay and
    // nothing is saved.
    let mut fields = intake_fields(&org, "Tidigsson");
    fields.extend([("start_now", "true"), ("start_on", "2026-11-19")]);
    let r = t.post_invalid(&b, "/participants/new", &fields).await;
    assert!(r.body.contains("id=\"f-start_on-error\""), "{}", r.body);
    assert!(r
        .body
        .contains("Datumet kan inte vara före inskrivningsdatumet."));
    assert!(r.body.contains("value=\"2026-11-19\""));
    let list = t
        .post_form(&b, "/participants", &[("q", "Tidigsson")])
        .await;
    assert!(list.body.contains("0 deltagare"), "{}", list.body);

    // A day in a field whose box is not ticked starts no one: she is
    // enrolled, as without the choice.
    let mut fields = intake_fields(&org, "Vanligsson");
    fields.push(("start_on", "2026-11-21"));
    let location = t.post_redirect(&b, "/participants/new", &fields).await;
    assert!(!location.contains("done=started"));
    let id = location.trim_start_matches("/participants/").to_string();
    assert_eq!(status_and_history(&t, &token, &id).await.0, "enrolled");
}

#[tokio::test]
async fn the_status_forms_intake_may_start_her_at_once() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let mut body: serde_json::Value =
        serde_json::from_str(&new_participant(org, "Remitterad")).expect("json");
    body.as_object_mut().expect("object").remove("intake_date");
    let id = t.register(&token, &body.to_string()).await;
    let path = format!("/participants/{id}/status/intake");
    let form = t.page(&b, &path).await;
    assert!(form.body.contains("Starta direkt"));
    let r = t
        .post_invalid(
            &b,
            &path,
            &[
                ("intake_date", "2026-11-20"),
                ("start_now", "true"),
                ("start_on", "2026-11-26"),
            ],
        )
        .await;
    assert!(r.body.contains("Datumet får inte ligga i framtiden."));
    assert_eq!(
        status_and_history(&t, &token, &id.to_string()).await.0,
        "referred",
        "neither the intake nor the start is kept"
    );
    let location = t
        .post_redirect(
            &b,
            &path,
            &[("intake_date", "2026-11-20"), ("start_now", "true")],
        )
        .await;
    assert!(location.ends_with("?done=started"), "{location}");
    assert_eq!(
        status_and_history(&t, &token, &id.to_string()).await,
        (
            "active".to_string(),
            vec!["referral".into(), "intake".into(), "start".into()]
        )
    );
}

#[tokio::test]
async fn the_api_takes_a_typed_start_day_at_intake() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let with = |start: serde_json::Value, given: &str| {
        let mut body: serde_json::Value =
            serde_json::from_str(&new_participant(org, given)).expect("json");
        body["start_on"] = start;
        body.to_string()
    };
    // Wrong type, bad date, before the intake: 422 naming the field.
    for bad in [json!(20261102), json!("igår"), json!("2026-11-01")] {
        let r = t
            .post_json("/api/v1/participants", &token, &with(bad, "Fel"))
            .await;
        r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["start_on"]);
    }
    let r = t
        .post_json(
            "/api/v1/participants",
            &token,
            &with(json!("2026-11-03"), "Rätt"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["status"], "active");
    // Without it, as before.
    let id = t.register(&token, &new_participant(org, "Utan")).await;
    assert_eq!(
        status_and_history(&t, &token, &id.to_string()).await.0,
        "enrolled"
    );

    // The intake of one referred takes it too.
    let mut body: serde_json::Value =
        serde_json::from_str(&new_participant(org, "Remiss")).expect("json");
    body.as_object_mut().expect("object").remove("intake_date");
    let id = t.register(&token, &body.to_string()).await;
    let path = format!("/api/v1/participants/{id}/intake");
    let r = t
        .post_json(
            &path,
            &token,
            &json!({"intake_date": "2026-11-20", "start_on": 5}).to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["start_on"]);
    let r = t
        .post_json(
            &path,
            &token,
            &json!({"intake_date": "2026-11-20", "start_on": "2026-11-22"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "active");
}

/// A new intervention of the caseworker's organisation (by the
/// coordinator), with `capacity` places; its id.
async fn new_intervention(t: &TestApp, coordinator: &str, org: i64, name: &str) -> i64 {
    let r = t
        .post_json(
            "/api/v1/palette",
            coordinator,
            &json!({"name": name, "kind": "course", "provider_organisation_id": org}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

/// Her enrolments' intervention ids, from the API.
async fn enrolled_in(t: &TestApp, token: &str, pid: i64) -> Vec<i64> {
    t.get(
        &format!("/api/v1/participants/{pid}/enrolments"),
        Some(token),
    )
    .await
    .json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["intervention_id"].as_i64())
        .collect()
}

#[tokio::test]
async fn a_plan_step_enrols_her_once() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let [coordinator, token] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let org = t.org_of(&token).await;
    let course = new_intervention(&t, &coordinator, org, "Flödeskurs").await;
    let walk = new_intervention(&t, &coordinator, org, "Flödespromenad").await;
    let pid = t.register(&token, &new_participant(org, "Planerad")).await;
    let (course_s, walk_s, org_s) = (course.to_string(), walk.to_string(), org.to_string());

    // The plan form offers "enrol her also", ticked.
    let form = t.page(&b, &format!("/participants/{pid}/plan/edit")).await;
    assert!(form.body.contains("Anmäl henne också till insatsen"));
    assert!(form.body.contains("name=\"enrol_steps\" value=\"true\""));
    assert!(form
        .body
        .contains("aria-describedby=\"f-enrol_steps-hint\" checked"));
    // Saved unticked: a step, no enrolment.
    let location = t
        .post_redirect(
            &b,
            &format!("/participants/{pid}/plan/edit"),
            &[
                ("step_intervention", &course_s),
                ("step_start", "2026-12-01"),
                ("step_end", "2027-02-01"),
                ("step_organisation", &org_s),
            ],
        )
        .await;
    assert!(location.ends_with("?done=plan"), "{location}");
    assert!(enrolled_in(&t, &token, pid).await.is_empty());

    // The plan page offers to enrol her from the step.
    let plan = t.page(&b, &format!("/participants/{pid}/plan")).await;
    assert!(plan.body.contains("Anmäl till insatsen"), "{}", plan.body);
    let enrol = format!("/participants/{pid}/plan/enrol");
    let location = t
        .post_redirect(&b, &enrol, &[("intervention_id", &course_s)])
        .await;
    assert!(location.ends_with("?done=plan-step-enrolled"), "{location}");
    let page = t.page(&b, &location).await;
    assert!(page.body.contains("Hon är anmäld till insatsen."));
    assert!(
        !page.body.contains("Anmäl till insatsen<"),
        "offered no more"
    );
    let enrolments = t
        .get(
            &format!("/api/v1/participants/{pid}/enrolments"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(enrolments["items"][0]["start_date"], "2026-12-01");
    assert_eq!(enrolments["items"][0]["end_date"], "2027-02-01");
    // Twice: refused at the step, still one enrolment.
    let r = t
        .post_invalid(&b, &enrol, &[("intervention_id", &course_s)])
        .await;
    assert!(r.body.contains("Deltagaren är redan anmäld till insatsen."));
    assert!(r.body.contains("error-summary"));
    assert_eq!(enrolled_in(&t, &token, pid).await, [course]);
    // The API alike.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/plan/enrolments"),
            &token,
            &json!({"intervention_id": course}).to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["intervention_id"]);
    assert_eq!(enrolled_in(&t, &token, pid).await, [course]);

    // A step added with the box ticked is enrolled in the same save.
    let location = t
        .post_redirect(
            &b,
            &format!("/participants/{pid}/plan/edit"),
            &[
                ("step_intervention", &course_s),
                ("step_start", "2026-12-01"),
                ("step_end", "2027-02-01"),
                ("step_organisation", &org_s),
                ("step_intervention", &walk_s),
                ("step_start", ""),
                ("step_end", ""),
                ("step_organisation", &org_s),
                ("enrol_steps", "true"),
            ],
        )
        .await;
    assert!(location.ends_with("?done=plan-enrolled"), "{location}");
    let mut mine = enrolled_in(&t, &token, pid).await;
    mine.sort_unstable();
    let mut both = vec![course, walk];
    both.sort_unstable();
    assert_eq!(mine, both, "each intervention once");

    // Through the API: a plan with `enrol_steps` answers the enrolments.
    let other = t.register(&token, &new_participant(org, "Apiplan")).await;
    let body = json!({
        "steps": [{"intervention_id": walk, "planned_start": "2026-12-05",
                   "responsible_organisation_id": org}],
        "enrol_steps": true,
    });
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{other}/plan"),
            &token,
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["enrolled"].as_array().map(Vec::len), Some(1));
    assert_eq!(enrolled_in(&t, &token, other).await, [walk]);
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{other}/plan"),
            &token,
            &json!({"steps": [], "goals": [{"text": "Mål", "category": "work"}], "enrol_steps": "ja"})
                .to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["enrol_steps"]);
}

#[tokio::test]
async fn an_enrolment_adds_its_step_to_her_plan() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let [coordinator, token] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let org = t.org_of(&token).await;
    let course = new_intervention(&t, &coordinator, org, "Stegkurs").await;
    let walk = new_intervention(&t, &coordinator, org, "Stegpromenad").await;
    let pid = t.register(&token, &new_participant(org, "Stegvis")).await;
    let path = format!("/participants/{pid}/enrolments/new");
    let plan_steps = |who: i64| {
        let (t, token) = (&t, &token);
        async move {
            let v = t
                .get(&format!("/api/v1/participants/{who}/plan"), Some(token))
                .await
                .json();
            let latest = &v["versions"][0];
            (
                latest["version"].as_i64(),
                latest["steps"]
                    .as_array()
                    .map(|s| {
                        s.iter()
                            .map(|s| {
                                (
                                    s["intervention_id"].as_i64().unwrap_or_default(),
                                    s["planned_start"].as_str().unwrap_or_default().to_string(),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            )
        }
    };

    // Without a plan the box is offered unticked.
    let form = t.page(&b, &path).await;
    assert!(form.body.contains("Lägg till som steg i hennes plan"));
    assert!(!form
        .body
        .contains("name=\"add_to_plan\" value=\"true\" checked"));
    // Ticked: enrolled, and her first plan version has the step.
    let location = t
        .post_redirect(
            &b,
            &path,
            &[
                ("intervention_id", &course.to_string()),
                ("start_date", "2026-12-01"),
                ("add_to_plan", "true"),
            ],
        )
        .await;
    assert!(location.ends_with("?done=enrolment-planned"), "{location}");
    let page = t.page(&b, &location).await;
    assert!(page.body.contains("insatsen är ett steg i hennes plan"));
    assert_eq!(
        plan_steps(pid).await,
        (Some(1), vec![(course, "2026-12-01".to_string())])
    );
    // With a plan the box is ticked by default.
    let form = t.page(&b, &path).await;
    assert!(
        form.body
            .contains("name=\"add_to_plan\" value=\"true\" checked"),
        "{}",
        form.body
    );

    // The API alike: a new version with both steps.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/enrolments"),
            &token,
            &json!({"intervention_id": walk, "add_to_plan": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (version, steps) = plan_steps(pid).await;
    assert_eq!(version, Some(2));
    assert_eq!(
        steps.iter().map(|s| s.0).collect::<Vec<_>>(),
        [course, walk]
    );
    // A wrong type is named.
    let r = t
        .post_json(
            &format!("/api/v1/participants/{pid}/enrolments"),
            &token,
            &json!({"intervention_id": walk, "add_to_plan": "kanske"}).to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["add_to_plan"]);
    // A refused enrolment adds no step.
    let r = t
        .post_invalid(
            &b,
            &path,
            &[
                ("intervention_id", &walk.to_string()),
                ("add_to_plan", "true"),
            ],
        )
        .await;
    assert!(r.body.contains("Deltagaren är redan anmäld till insatsen."));
    assert_eq!(plan_steps(pid).await.0, Some(2));
}
