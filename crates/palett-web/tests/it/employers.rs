//! The employer registry over HTTP: the pages and forms as a coordinator
//! uses them, and the JSON API with its typed bodies and errors.

use crate::support::*;
use axum::http::StatusCode;

const CASEWORKER: &str = "handledare@helamanniskan.example";

#[tokio::test]
async fn a_coordinator_registers_an_employer_and_logs_a_contact_in_the_browser() {
    let t = TestApp::new().await;
    let [coordinator, evaluator] = t.browsers([COORDINATOR, EVALUATOR]).await;
    let list = t.page(&coordinator, "/employers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Tumba Livs AB"), "the demo's employers");
    assert!(
        !list.body.contains("Salems Bageri AB"),
        "inactive ones hidden"
    );
    assert!(list
        .body
        .contains("href=\"/employers\" aria-current=\"page\""));
    let with_inactive = t.page(&coordinator, "/employers?inactive=1").await;
    assert!(with_inactive.body.contains("Salems Bageri AB"));
    // Searching by a part of the name or the number.
    let found = t.page(&coordinator, "/employers?q=tumba").await;
    assert!(found.body.contains("Tumba Livs AB") && !found.body.contains("Återbruket"));
    let found = t.page(&coordinator, "/employers?q=559900-5").await;
    assert!(found.body.contains("Norsborgs Kök AB") && !found.body.contains("Tumba"));

    // A bad number and a missing industry keep everything typed.
    let me = t.token(COORDINATOR).await;
    let org = t.org_of(&me).await.to_string();
    let mut fields = vec![
        ("name", "Kassa & Kaffe AB"),
        ("org_number", "212000-0143"),
        ("industry", ""),
        ("municipality", "Botkyrka"),
        ("address", "Tumbavägen 1"),
        ("owner_organisation_id", org.as_str()),
    ];
    let bad = t
        .post_invalid(&coordinator, "/employers/new", &fields)
        .await;
    assert!(
        bad.body.contains("value=\"Kassa &#38; Kaffe AB\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"212000-0143\""));
    assert!(
        bad.body.contains("Organisationsnumret"),
        "the number's message"
    );
    assert!(
        bad.body.contains("id=\"f-industry-error\""),
        "the industry's message"
    );

    fields[1] = ("org_number", "2120000142");
    fields[2] = ("industry", "I");
    let to = t
        .post_redirect(&coordinator, "/employers/new", &fields)
        .await;
    assert!(to.ends_with("?done=created"), "{to}");
    let page = t.page(&coordinator, &to).await;
    assert!(page.body.contains("Arbetsgivaren är registrerad."));
    assert!(page.body.contains("212000-0142"));
    assert!(page.body.contains("I Hotell- och restaurangverksamhet"));
    let id = to
        .trim_start_matches("/employers/")
        .split('?')
        .next()
        .expect("an id")
        .to_string();

    // The same number again points to the employer that has it.
    let again = t
        .post_invalid(&coordinator, "/employers/new", &fields)
        .await;
    assert!(again.body.contains("finns redan i registret"));
    assert!(again.body.contains(&format!("href=\"/employers/{id}\"")));

    // A contact person, a contact with her, then her removal, confirmed.
    let to = t
        .post_redirect(
            &coordinator,
            &format!("/employers/{id}/contacts/new"),
            &[
                ("name", "Mona Exempel"),
                ("title", "Butikschef"),
                ("phone", "070-174 06 20"),
                ("email", ""),
            ],
        )
        .await;
    assert!(to.ends_with("?done=contact-added"));
    let page = t.page(&coordinator, &format!("/employers/{id}")).await;
    let remove = page
        .body
        .split(&format!("href=\"/employers/{id}/contacts/"))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/remove"))
        .expect("a link to remove her")
        .to_string();
    let person = remove.trim_end_matches("/remove").to_string();
    let form = t
        .page(&coordinator, &format!("/employers/{id}/log/new"))
        .await;
    assert!(form.body.contains("Mona Exempel") && form.body.contains("value=\"2026-11-25\""));
    let bad = t
        .post_invalid(
            &coordinator,
            &format!("/employers/{id}/log/new"),
            &[
                ("kind", "visit"),
                ("on_date", "2026-11-25"),
                ("contact_person_id", &person),
                ("summary", ""),
            ],
        )
        .await;
    assert!(bad.body.contains("id=\"f-summary-error\""));
    t.post_redirect(
        &coordinator,
        &format!("/employers/{id}/log/new"),
        &[
            ("kind", "visit"),
            ("on_date", "2026-11-25"),
            ("contact_person_id", &person),
            ("summary", "Två praktikplatser i januari."),
        ],
    )
    .await;
    let confirm = t
        .page(&coordinator, &format!("/employers/{id}/contacts/{remove}"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Hennes uppgifter raderas"));
    // Posted without the confirmation the page carries: asked again, and
    // she is still there.
    let path = format!("/employers/{id}/contacts/{remove}");
    t.asks_first(&coordinator, &path, &[], "Hennes uppgifter raderas")
        .await;
    assert!(t
        .page(&coordinator, &format!("/employers/{id}"))
        .await
        .body
        .contains("Mona Exempel"));
    let to = t.confirmed(&coordinator, &path, &[]).await;
    assert!(to.ends_with("?done=contact-removed"));
    let page = t.page(&coordinator, &format!("/employers/{id}")).await;
    assert!(!page.body.contains("Mona Exempel"));
    assert!(page.body.contains("Två praktikplatser i januari."));
    assert!(page.body.contains("Kontaktlogg: en kontakt"));

    // Marked inactive once confirmed on the page that says what it means.
    let path = format!("/employers/{id}/deactivate");
    t.asks_first(
        &coordinator,
        &path,
        &[],
        "platser föreslås inte längre i matchningen",
    )
    .await;
    assert!(
        t.page(&coordinator, &format!("/employers/{id}"))
            .await
            .body
            .contains("/deactivate"),
        "still active"
    );
    let to = t.confirmed(&coordinator, &path, &[]).await;
    assert!(to.ends_with("?done=deactivated"));
    assert!(t
        .page(&coordinator, &format!("/employers/{id}"))
        .await
        .body
        .contains("Inaktiv sedan 2026-11-25"));

    // The evaluator has no registry: no menu entry, and 403 on its pages.
    assert!(!t
        .page(&evaluator, "/")
        .await
        .body
        .contains("href=\"/employers\""));
    assert_eq!(
        t.page_status(&evaluator, "/employers").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.page_status(&coordinator, "/employers/99999").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.page_status(&coordinator, "/employers/abc").await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn another_partners_caseworker_sees_but_does_not_change_an_employer() {
    let t = TestApp::new().await;
    let [coordinator, caseworker] = t.browsers([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let me = t.token(COORDINATOR).await;
    let org = t.org_of(&me).await.to_string();
    let to = t
        .post_redirect(
            &coordinator,
            "/employers/new",
            &[
                ("name", "Kassa & Kaffe AB"),
                ("org_number", "212000-0142"),
                ("industry", "I"),
                ("municipality", "Botkyrka"),
                ("address", ""),
                ("owner_organisation_id", org.as_str()),
            ],
        )
        .await;
    let id = to
        .trim_start_matches("/employers/")
        .split('?')
        .next()
        .expect("an id")
        .to_string();
    let page = t.page(&caseworker, &format!("/employers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/employers/{id}/log/new")));
    assert!(!page.body.contains(&format!("/employers/{id}/edit")));
    assert!(!page.body.contains("/deactivate"));
    assert_eq!(
        t.page_status(&caseworker, &format!("/employers/{id}/edit"))
            .await,
        StatusCode::FORBIDDEN
    );
    for fields in [&[][..], &[("confirm", "yes")][..]] {
        let r = t
            .post_form(&caseworker, &format!("/employers/{id}/deactivate"), fields)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_api_registers_lists_and_changes_employers_with_typed_bodies() {
    let t = TestApp::new().await;
    let [token, caseworker, evaluator] = t.tokens([CASEWORKER, KOMMUN_CASEWORKER, EVALUATOR]).await;
    let org = t.org_of(&token).await;
    let body = format!(
        r#"{{"name":"Kassa & Kaffe AB","org_number":"212000-0142","industry":"I",
            "municipality":"Botkyrka","owner_organisation_id":{org}}}"#
    );
    let r = t.post_json("/api/v1/employers", &token, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["employer"]["id"].as_i64().expect("an id");
    assert_eq!(r.location(), format!("/api/v1/employers/{id}"));
    assert_eq!(r.json()["employer"]["industry"], "I");
    assert_eq!(r.json()["employer"]["active"], true);
    assert_eq!(r.json()["may_change"], true);

    // Types are not coerced, and every problem names its field.
    t.post_json(
        "/api/v1/employers",
        &token,
        &format!(r#"{{"name":123,"org_number":"212000-0142","industry":"I","municipality":"Botkyrka","owner_organisation_id":{org}}}"#),
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["name"]);
    t.post_json(
        "/api/v1/employers",
        &token,
        &format!(r#"{{"name":"X","org_number":"212000-0142","industry":"I","municipality":"Botkyrka","owner_organisation_id":"{org}"}}"#),
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["owner_organisation_id"]);
    let dup = t.post_json("/api/v1/employers", &caseworker, &body).await;
    dup.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["org_number"]);
    assert_eq!(dup.json()["error"]["fields"][0]["existing_id"], id);
    assert_eq!(
        dup.json()["error"]["fields"][0]["code"],
        "error-employer-duplicate"
    );

    // The list, filtered and paged; bad filters are refused by name.
    let r = t.get("/api/v1/employers?q=kaffe", Some(&caseworker)).await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);
    let r = t
        .get("/api/v1/employers?industry=G&per_page=2", Some(&caseworker))
        .await;
    assert_eq!(
        (
            r.json()["total"].as_i64(),
            r.json()["items"].as_array().map(Vec::len)
        ),
        (Some(3), Some(2))
    );
    t.get("/api/v1/employers?industry=g", Some(&caseworker))
        .await
        .assert_fields(StatusCode::BAD_REQUEST, &["industry"]);
    t.get("/api/v1/employers?per_page=101", Some(&caseworker))
        .await
        .assert_fields(StatusCode::BAD_REQUEST, &["per_page"]);
    assert_eq!(
        t.get("/api/v1/employers", Some(&evaluator)).await.status,
        StatusCode::FORBIDDEN
    );

    // A patch changes what it sends; others may not.
    let path = format!("/api/v1/employers/{id}");
    let r = t
        .patch_json(&path, &token, r#"{"municipality":"Huddinge"}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["employer"]["municipality"], "Huddinge");
    assert_eq!(r.json()["employer"]["name"], "Kassa & Kaffe AB");
    assert_eq!(
        t.patch_json(&path, &caseworker, r#"{"municipality":"Salem"}"#)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    t.json(
        "PUT",
        &format!("{path}/status"),
        &token,
        r#"{"active":"no"}"#,
    )
    .await
    .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["active"]);
    let r = t
        .json(
            "PUT",
            &format!("{path}/status"),
            &token,
            r#"{"active":false}"#,
        )
        .await;
    assert_eq!(
        r.json()["employer"]["inactive_since"],
        "2026-11-25",
        "{}",
        r.body
    );

    // Contact people and the log.
    let r = t
        .post_json(
            &format!("{path}/contacts"),
            &token,
            r#"{"name":"Mona Exempel","email":"mona@kassa.example"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let person = r.json()["id"].as_i64().expect("her id");
    let r = t
        .post_json(
            &format!("{path}/log"),
            &caseworker,
            &format!(r#"{{"kind":"call","on_date":"2026-11-24","contact_person_id":{person},"summary":"Ring igen i januari."}}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    t.post_json(
        &format!("{path}/log"),
        &caseworker,
        r#"{"kind":"lunch","on_date":"2030-01-01","summary":""}"#,
    )
    .await
    .assert_fields(
        StatusCode::UNPROCESSABLE_ENTITY,
        &["kind", "on_date", "summary"],
    );
    let r = t.get(&path, Some(&caseworker)).await;
    assert_eq!(r.json()["log_total"], 1);
    assert_eq!(r.json()["log"][0]["contact_person_name"], "Mona Exempel");
    assert_eq!(r.json()["may_change"], false);
    let r = t
        .json("DELETE", &format!("{path}/contacts/{person}"), &token, "")
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = t
        .json("DELETE", &format!("{path}/contacts/{person}"), &token, "")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get("/api/v1/employers/99999", Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
}
