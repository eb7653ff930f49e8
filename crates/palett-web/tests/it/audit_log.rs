//! The audit log as people read it: actions and roles in their language,
//! a search by names, action and period, participants named only for
//! those who may see them; and the subject access export as a page and a
//! PDF.

use crate::reports::read_with;
use crate::support::*;
use axum::http::StatusCode;
use palett_web::i18n::{Lang, Tr};

/// The id of the first participant in the list `b` sees.
async fn first_listed(t: &TestApp, b: &Browser) -> String {
    let list = t.page(b, "/participants").await;
    list.body
        .split("href=\"/participants/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        .expect("a participant in the list")
        .to_string()
}

/// The table of entries (the search form's choices left out).
fn entries(body: &str) -> &str {
    body.split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_audit_log_reads_in_the_users_language() {
    let t = TestApp::new().await;
    // Signing in writes the first entry; reading a record the second.
    let b = t.browser(COORDINATOR).await;
    let first = first_listed(&t, &b).await;
    assert_eq!(
        t.page(&b, &format!("/participants/{first}")).await.status,
        StatusCode::OK
    );
    let log = t.page(&b, "/audit").await;
    assert_eq!(log.status, StatusCode::OK);
    let rows = entries(&log.body);
    assert!(
        rows.contains("Loggade in <code>session.create</code>"),
        "a sign-in reads as one: {rows}"
    );
    assert!(
        rows.contains("Läste deltagarens uppgifter <code>participant.read</code>"),
        "{rows}"
    );
    assert!(rows.contains("<td>Samordnare</td>"), "roles in Swedish");
    assert!(!rows.contains("<td>coordinator</td>"));
    // The record read names her, linked to her record.
    assert!(
        rows.contains(&format!("<a href=\"/participants/{first}\">")),
        "{rows}"
    );
    // The action choice offers every action in words.
    assert!(log
        .body
        .contains("<option value=\"session.create\">Loggade in</option>"));

    let en = t.page_in(&b, "/audit", "en").await;
    let rows = entries(&en.body);
    assert!(
        rows.contains("Signed in <code>session.create</code>"),
        "{rows}"
    );
    assert!(rows.contains("Read the participant"));
    assert!(rows.contains("<td>Coordinator</td>"));
    assert!(en.body.contains("User (name)"));
}

#[tokio::test]
async fn the_log_is_narrowed_by_name_action_and_day() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let kim = t.browser(KOMMUN_CASEWORKER).await;
    let first = first_listed(&t, &kim).await;
    t.page(&kim, &format!("/participants/{first}")).await;

    // By the name of whoever acted, in any case.
    let kims = t.page(&b, "/audit?user_name=kim").await;
    assert_eq!(kims.status, StatusCode::OK);
    let rows = entries(&kims.body);
    assert!(rows.contains("Kim Coach") && rows.contains("Läste deltagarens uppgifter"));
    assert!(!rows.contains("Sara Samordnare"), "{rows}");
    // The whole log holds both.
    let all = entries(&t.page(&b, "/audit").await.body).to_string();
    assert!(all.contains("Kim Coach") && all.contains("Sara Samordnare"));

    // By action.
    let sign_ins = t.page(&b, "/audit?action=session.create").await;
    let rows = entries(&sign_ins.body);
    assert_eq!(
        rows.matches("<tr>").count(),
        rows.matches("<code>session.create</code>").count()
    );
    assert!(rows.matches("<tr>").count() >= 2, "both sign-ins: {rows}");

    // By day: today's entries, none in 2020.
    let today = t.app.today().to_string();
    let todays = t
        .page(&b, &format!("/audit?from={today}&to={today}&user_name=kim"))
        .await;
    assert_eq!(todays.status, StatusCode::OK);
    assert!(entries(&todays.body).contains("Kim Coach"));
    let long_ago = t.page(&b, "/audit?from=2020-01-01&to=2020-12-31").await;
    assert_eq!(long_ago.status, StatusCode::OK);
    assert!(long_ago.body.contains("0 händelser"), "{}", long_ago.body);
    assert!(entries(&long_ago.body).is_empty());

    // By her name, among those the reader may see.
    let first = first_listed(&t, &b).await;
    let record = t.page(&b, &format!("/participants/{first}")).await;
    let name = record
        .body
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("her name as the record's heading")
        .trim()
        .to_string();
    let family = name.split_whitespace().last().expect("a family name");
    let hers = t
        .page(
            &b,
            &format!("/audit?participant_name={}", family.to_lowercase()),
        )
        .await;
    let rows = entries(&hers.body);
    assert!(rows.contains(&format!("/participants/{first}")), "{rows}");

    // Bad input is asked again, field by field, never a failure.
    let bad = t
        .page(&b, "/audit?from=2026-13-45&to=2026-11-01&action=no.such")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Ange datumet som ÅÅÅÅ-MM-DD."));
    assert!(bad.body.contains("id=\"f-from-error\""));
    assert!(bad.body.contains("id=\"f-action-error\""));
    assert!(
        bad.body.contains("value=\"2026-13-45\""),
        "her input is kept"
    );
    let backwards = t
        .page(&b, "/audit?from=2026-11-20&to=2026-11-01&organisation=x")
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("id=\"f-to-error\""));
    assert!(backwards.body.contains("id=\"f-organisation-error\""));
    // The legacy id filters still work.
    let by_id = t.page(&b, &format!("/audit?participant={first}")).await;
    assert_eq!(by_id.status, StatusCode::OK);
    assert!(by_id.body.contains("Visar bara händelser om"));
    // Caseworkers still may not read it, bad input or not.
    assert_eq!(
        t.page_status(&kim, "/audit?from=nonsense").await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_participant_the_reader_may_not_see_is_not_named() {
    let t = TestApp::new().await;
    let coach = t.token(KOMMUN_CASEWORKER).await;
    let kommun = t.org_of(&coach).await;
    // Registered by the kommun without a sharing consent: Hela Människan's
    // coordinator may not see her.
    let pid = t
        .register(&coach, &new_participant(kommun, "Xiomara"))
        .await;
    let r = t
        .get(&format!("/api/v1/participants/{pid}"), Some(&coach))
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let hm = t.browser(COORDINATOR).await;
    assert_eq!(
        t.page_status(&hm, &format!("/participants/{pid}")).await,
        StatusCode::NOT_FOUND
    );
    let log = t.page(&hm, "/audit?user_name=Kim").await;
    assert_eq!(log.status, StatusCode::OK);
    let rows = entries(&log.body);
    assert!(rows.contains("Registrerade en deltagare"), "{rows}");
    assert!(rows.contains("En deltagare"));
    assert!(!log.body.contains("Xiomara"), "not named");
    assert!(!log.body.contains(&format!("/participants/{pid}\"")));
    let by_name = t.page(&hm, "/audit?participant_name=Xiomara").await;
    assert!(by_name.body.contains("0 händelser"));
    assert!(entries(&by_name.body).is_empty());
    let by_id = t.page(&hm, &format!("/audit?participant={pid}")).await;
    assert!(by_id.body.contains("Visar bara händelser om en deltagare."));
    assert!(!by_id.body.contains("Xiomara"));

    // The kommun's coordinator, responsible for her, sees her name.
    let kc = t.browser("samordnare@botkyrka.example").await;
    let hers = t.page(&kc, "/audit?participant_name=xiomara").await;
    let rows = entries(&hers.body);
    assert!(rows.contains("Xiomara Testsson"), "{rows}");
    assert!(rows.contains(&format!("<a href=\"/participants/{pid}\">")));
}

#[tokio::test]
async fn the_subject_access_export_is_a_page_and_a_pdf() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Ubah")).await;
    let b = t.browser(COORDINATOR).await;

    let record = t.page(&b, &format!("/participants/{pid}")).await;
    assert!(record
        .body
        .contains(&format!("href=\"/participants/{pid}/export.pdf\"")));

    let page = t.page(&b, &format!("/participants/{pid}/export")).await;
    assert_eq!(page.status, StatusCode::OK);
    let sv = Tr::new(Lang::Sv);
    assert!(page.body.contains("Registerutdrag för Ubah Testsson"));
    for heading in [
        "profile",
        "consents",
        "plan-title",
        "enrolments",
        "notes",
        "export-log",
    ] {
        assert!(
            page.body.contains(&format!("<h2>{}</h2>", sv.get(heading))),
            "{heading}"
        );
    }
    assert!(
        page.body.contains("Registrerade en deltagare"),
        "the log in words"
    );
    assert!(page
        .body
        .contains(&format!("/participants/{pid}/export.pdf")));
    let en = t
        .page_in(&b, &format!("/participants/{pid}/export"), "en")
        .await;
    assert!(en.body.contains("Subject access export for Ubah Testsson"));
    assert!(en.body.contains("Registered a participant"));

    let pdf = t.page(&b, &format!("/participants/{pid}/export.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let text = read_with("pdftotext", &["-", "-"], &pdf.bytes);
    for needle in [
        "Registerutdrag för Ubah Testsson",
        "Samtycken",
        "Loggade läsningar och ändringar",
        "Registrerade en deltagare",
        "Sida 1 av",
    ] {
        assert!(text.contains(needle), "the PDF lacks {needle}:\n{text}");
    }

    // Both are audited as exports, as the JSON is.
    let log = t
        .page(&b, "/audit?action=participant.export&participant_name=ubah")
        .await;
    assert_eq!(
        entries(&log.body)
            .matches("<code>participant.export</code>")
            .count(),
        3,
        "the page twice and the PDF once"
    );
    // Whoever may not export her gets what the page gives: not found.
    let kim = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&kim, &format!("/participants/{pid}/export.pdf"))
            .await,
        StatusCode::NOT_FOUND
    );
}
