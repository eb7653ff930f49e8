//! Her record opens on a summary (status, next step, what is left of her
//! period, contact, who is responsible, warnings) with the rest folded in
//! sections a sub-navigation reaches.

use crate::support::*;
use axum::http::StatusCode;

/// The summary at the top of a record page.
fn summary_of(body: &str) -> &str {
    let start = body
        .find("aria-labelledby=\"summary-h\"")
        .expect("a summary");
    let end = start + body[start..].find("</section>").expect("its end");
    &body[start..end]
}

#[tokio::test]
async fn the_summary_shows_status_period_left_and_a_restriction() {
    let t = TestApp::new().await;
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Summa")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let record = format!("/participants/{pid}");
    // Nothing to warn about yet; no planned end.
    let page = t.page(&b, &record).await;
    assert_eq!(page.status, StatusCode::OK);
    let summary = summary_of(&page.body);
    assert!(
        summary.contains("<span class=\"badge\">Inskriven</span>"),
        "{summary}"
    );
    assert!(summary.contains("Inget planerat slut"), "{summary}");
    assert!(summary.contains("Varningar</dt><dd>Inga</dd>"), "{summary}");
    // Her intake was 2026-11-02, today is 2026-11-25: 23 days in, 7 left
    // of 30.
    let r = t
        .post_form(
            &b,
            &format!("{record}/period"),
            &[("planned_end", "2026-12-02")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.page(&b, &record).await;
    let summary = summary_of(&page.body);
    assert!(
        summary.contains("7 dagar kvar (planerat slut 2026-12-02)"),
        "{summary}"
    );
    // Restricted: the summary warns, with her reason.
    let reason = "Begäran enligt artikel 18";
    t.confirmed(&b, &format!("{record}/restriction"), &[("reason", reason)])
        .await;
    let page = t.page(&b, &record).await;
    let summary = summary_of(&page.body);
    assert!(
        summary.contains("Behandlingen av uppgifterna är begränsad") && summary.contains(reason),
        "{summary}"
    );
    assert!(summary.contains("summary-warnings warn"), "{summary}");
    // And in English.
    let page = t.page_in(&b, &record, "en").await;
    let summary = summary_of(&page.body);
    assert!(
        summary.contains("7 days left (planned end 2026-12-02)"),
        "{summary}"
    );
    assert!(
        summary.contains("Processing of this record is restricted"),
        "{summary}"
    );
}

#[tokio::test]
async fn a_passed_period_is_a_warning() {
    let t = TestApp::new().await;
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Förbi")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let record = format!("/participants/{pid}");
    // 18 planned days, 23 gone.
    let r = t
        .post_form(
            &b,
            &format!("{record}/period"),
            &[("planned_end", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.page(&b, &record).await;
    let summary = summary_of(&page.body);
    assert!(summary.contains("Passerat med 5 dagar"), "{summary}");
    assert!(
        summary.contains("Den planerade deltagarperioden har passerats med 5 dagar."),
        "{summary}"
    );
}

#[tokio::test]
async fn the_sections_fold_and_a_saved_note_lands_on_the_open_notes() {
    let t = TestApp::new().await;
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let pid = t.register(&kim, &new_participant(org, "Vika")).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let record = format!("/participants/{pid}");
    let page = t.page(&b, &record).await;
    let body = &page.body;
    // A sub-navigation reaches each section by its heading.
    for id in [
        "profile-h",
        "consents-h",
        "path-h",
        "history-h",
        "notes-h",
        "timeline-h",
    ] {
        assert!(body.contains(&format!("<a href=\"#{id}\">")), "{id}");
        assert!(
            body.contains(&format!("<summary><h2 id=\"{id}\">")),
            "{id} folds under its heading"
        );
    }
    assert!(body.contains("<a href=\"#serious-h\">"));
    assert!(
        !body.contains("<details class=\"fold\" open>"),
        "all folded"
    );
    // A note saved lands on the notes, open.
    let to = t
        .post_redirect(
            &b,
            &format!("{record}/notes"),
            &[
                ("body", "Ringde om tider"),
                ("visibility", "own_organisation"),
            ],
        )
        .await;
    assert_eq!(to, format!("{record}?done=note#notes-h"));
    let page = t.page(&b, &to).await;
    let open = page
        .body
        .find("<details class=\"fold\" open>")
        .expect("a section open");
    assert!(page.body[open..]
        .starts_with("<details class=\"fold\" open>\n<summary><h2 id=\"notes-h\">"));
    assert!(page.body.contains("Ringde om tider"));
}
