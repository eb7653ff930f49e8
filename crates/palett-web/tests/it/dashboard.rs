//! The dashboards over HTTP: figures, charts with their tables, the list
//! behind a figure, the goals form, and the JSON.

use crate::support::*;
use axum::http::{header, StatusCode};

/// The first `href` in `body` that starts with `prefix`, unescaped.
fn href_starting(body: &str, prefix: &str) -> String {
    let body = body.replace("&#38;", "&").replace("&amp;", "&");
    let at = body
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix}"));
    body[at + 6..].split('"').next().expect("href").to_string()
}

#[tokio::test]
async fn the_dashboard_shows_the_seeds_figures_and_opens_the_participants_behind_them() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let page = t.page(&b, &format!("/projects/{tk}/dashboard")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for needle in [
        "Mål och uppföljning: Tillväxt Kvinna",
        ">267<",
        ">247<",
        "17\u{a0}%",
        "(42 av 247)",
        "(74\u{a0}% av målet 360)",
        "≥ 360",
        "≥ 20\u{a0}%",
        "Ej uppnått",
        "Inflöde mot plan (ackumulerat)",
        "Tid till arbete eller studier",
        "Utfall efter tid i insatsen",
        // The definition is written beside the figure.
        "Deltagare med inskrivningsdatum inom perioden",
        "Närvaro",
        "Timmar per deltagare",
        "Andel med handlingsplan inom 30 dagar",
        "Andel till arbete eller studier över tid mot målet",
    ] {
        assert!(body.contains(needle), "missing {needle}");
    }
    // Charts are labelled images with their data tables beside them.
    assert!(body.matches("<svg class=\"chart\"").count() >= 4);
    assert!(body.contains("role=\"img\" aria-labelledby=\"inflow-chart-title inflow-chart-desc\""));
    // The 2020 dip, month by month against the plan of ten a month.
    assert!(body.contains("<td>2020-05</td>"));
    // Each chart's table is folded under a summary naming it and its
    // length, and stays in the page.
    assert_eq!(
        body.matches("<details class=\"fold\">").count(),
        body.matches("class=\"chart-block\"").count()
    );
    assert!(body.contains("<summary>Tabell: Inflöde mot plan (ackumulerat) (36 rader)</summary>"));
    // The curve of a project that has ended stops where her time in it
    // could: no month after the project's 36.
    let survival = &body[body.find("id=\"survival-h\"").expect("the curve")..];
    let survival = &survival[..survival.find("</section>").expect("its end")];
    assert!(survival.matches("<tr>").count() <= 37, "{survival}");

    // The share to job or studies opens the women behind it.
    let href = href_starting(
        body,
        &format!("/projects/{tk}/dashboard/participants?indicator=share_job_or_studies"),
    );
    let list = t.page(&b, &href).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list
        .body
        .contains("Deltagarna bakom: Andel till arbete eller studier"));
    let rows = list.body.matches("<td><a href=\"/participants/").count();
    assert!((1..=25).contains(&rows), "{rows}");
    // A month of the inflow table opens that month's intakes.
    let month = href_starting(
        body,
        &format!("/projects/{tk}/dashboard/participants?indicator=enrolled&group=intake_month"),
    );
    let list = t.page(&b, &month).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/participants/"));

    // By intake month, the curves are drawn per cohort (intake year).
    let cohorts = t
        .page(&b, &format!("/projects/{tk}/dashboard?by=intake_month"))
        .await;
    assert_eq!(cohorts.status, StatusCode::OK);
    for needle in [
        "Tid till arbete eller studier efter Inskrivningsår (kohort)",
        "<td>2019</td>",
        "<td>2020</td>",
        "aria-labelledby=\"survival-by-chart-title survival-by-chart-desc\"",
        // A long breakdown (36 months) is folded; a short one is not.
        "<details class=\"fold\"><summary>Tabell: Inskrivna efter inskrivningsmånad (36 rader)",
    ] {
        assert!(cohorts.body.contains(needle), "missing {needle}");
    }
    // By intervention, each named, each opening those who took part.
    let by = t
        .page(
            &b,
            &format!("/projects/{tk}/dashboard?by=intervention&indicator=attendance_rate"),
        )
        .await;
    assert_eq!(by.status, StatusCode::OK);
    assert!(by.body.contains("Språkträning i svenska – språkcafé"));
    let after_form = &by.body[by.body.find("id=\"breakdown-h\"").expect("breakdown")..];
    assert!(
        !after_form.contains("<details class=\"fold\">"),
        "twelve rows stay open"
    );
    let group = href_starting(
        &by.body,
        &format!(
            "/projects/{tk}/dashboard/participants?indicator=attendance_rate&group=intervention"
        ),
    );
    let list = t.page(&b, &group).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/participants/"));

    // Unknown projects and unknown figure keys are 404s.
    for path in [
        "/projects/999999/dashboard".to_string(),
        "/projects/x/dashboard".to_string(),
        format!("/projects/{tk}/dashboard/participants?indicator=happiness"),
        format!("/projects/{tk}/dashboard/participants?indicator=enrolled&group=gender:robot"),
        format!("/projects/{tk}/dashboard/participants?indicator=enrolled&group=intake_year:99999"),
        format!("/projects/{tk}/dashboard/participants?indicator=enrolled&group=project:x"),
        format!("/projects/{tk}/dashboard/participants"),
    ] {
        assert_eq!(
            t.page_status(&b, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The partnership's dashboard counts every project's participants.
    let all = t.page(&b, "/dashboard").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("hela partnerskapet"));
    // With the partnership's employers and openings, each leading to the
    // list it counts: the card's figure is that list's count.
    assert!(all.body.contains("Aktiva arbetsgivare"));
    let api = t.get("/api/v1/dashboard", Some(&token)).await;
    let figures = api.json()["employer_figures"].clone();
    for (i, list, from, to, count_text) in [
        (
            0,
            "/employers",
            "active_from",
            "active_to",
            "employers-count",
        ),
        (1, "/openings", "filled_from", "filled_to", "openings-count"),
    ] {
        let f = &figures[i];
        let (start, end) = (
            f["period"]["start"].as_str().expect("a start"),
            f["period"]["end"].as_str().expect("an end"),
        );
        // (The template escapes the `&` between the two.)
        let (href, and_to) = (
            format!("href=\"{list}?{from}={start}&"),
            format!("{to}={end}\""),
        );
        assert!(
            all.body.contains(&href) && all.body.contains(&and_to),
            "{count_text}: {href}"
        );
        let api_list = t
            .get(
                &format!("/api/v1{list}?{from}={start}&{to}={end}"),
                Some(&token),
            )
            .await;
        assert_eq!(api_list.json()["total"], f["count"], "{}", api_list.body);
    }
    let r = t
        .get(
            "/api/v1/employers?active_from=2021-05-01&active_to=2021-04-01",
            Some(&token),
        )
        .await;
    r.assert_fields(StatusCode::BAD_REQUEST, &["active_to"]);
}

#[tokio::test]
async fn coordinators_set_goals_with_field_errors_and_others_may_not() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let path = format!("/projects/{tk}/goals");
    let form = t.page(&b, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"2018-11-01\""),
        "the period defaults to the project's"
    );
    let r = t
        .post_invalid(
            &b,
            &path,
            &[
                ("indicator", "share_job"),
                ("target", "140 %"),
                ("period_start", "2019-01-01"),
                ("period_end", "2018-01-01"),
            ],
        )
        .await;
    assert!(
        r.body.contains("value=\"140 %\""),
        "the entered value stays"
    );
    assert!(r.body.contains("Ange en andel mellan 0 och 100 procent."));
    assert!(r
        .body
        .contains("Slutdatumet får inte vara före startdatumet."));
    t.post_redirect(
        &b,
        &path,
        &[
            ("indicator", "share_job"),
            ("target", "12,5"),
            ("period_start", "2018-11-01"),
            ("period_end", "2021-10-31"),
        ],
    )
    .await;
    let dash = t.page(&b, &format!("/projects/{tk}/dashboard")).await;
    assert!(dash.body.contains("≥ 12,5\u{a0}%") || dash.body.contains("≥ 13\u{a0}%"));
    let j = t
        .get(&format!("/api/v1/projects/{tk}/dashboard"), Some(&token))
        .await
        .json();
    let goal = j["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .find(|g| g["indicator"] == "share_job")
        .expect("the new goal")
        .clone();
    assert_eq!(goal["target"], 12.5);
    let id = goal["id"].as_i64().expect("id");
    // Removing asks first and says what will happen; unconfirmed, nothing
    // is removed.
    let delete = format!("/projects/{tk}/goals/{id}/delete");
    let ask = t.page(&b, &delete).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Ta bort målet?"));
    assert!(ask.body.contains("Det går inte att ångra"));
    assert!(ask.body.contains("name=\"confirm\" value=\"yes\""));
    let r = t.post_form(&b, &delete, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "asked again, not removed");
    assert!(r.body.contains("Ta bort målet?"));
    let still = t
        .get(&format!("/api/v1/projects/{tk}/dashboard"), Some(&token))
        .await
        .json();
    assert!(still["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .any(|g| g["id"] == id));
    let r = t.post_form(&b, &delete, &[("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers[header::LOCATION].to_str().expect("location"),
        format!("/projects/{tk}/dashboard#goals")
    );
    let j = t
        .get(&format!("/api/v1/projects/{tk}/dashboard"), Some(&token))
        .await
        .json();
    assert!(j["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .all(|g| g["indicator"] != "share_job"));

    // A caseworker sees the dashboard but may not set goals.
    let coach = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&coach, &format!("/projects/{tk}/dashboard"))
            .await,
        StatusCode::OK
    );
    assert_eq!(t.page_status(&coach, &path).await, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_dashboard_as_json() {
    let t = TestApp::new().await;
    let token = t.token(EVALUATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let r = t
        .get(
            &format!("/api/v1/projects/{tk}/dashboard?by=organisation"),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    let figure = |name: &str| {
        j["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .find(|f| f["indicator"] == name)
            .expect("figure")
            .clone()
    };
    assert_eq!(figure("enrolled")["value"], 267.0);
    assert_eq!(figure("share_job_or_studies")["value"], 17.0);
    assert_eq!(figure("share_job_or_studies")["base"], 247);
    assert_eq!(j["goals"][0]["state"], "missed");
    assert_eq!(j["breakdown"]["by"], "organisation");
    assert!(j["time_to_job_or_studies"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert_eq!(j["inflow"].as_array().map(|a| a.len()), Some(36));
    // The share over time runs against the goal of 20 % and ends at 17 %.
    assert_eq!(j["share_over_time"]["goal"], 20.0);
    let months = j["share_over_time"]["months"].as_array().expect("months");
    assert_eq!(months.last().map(|m| m["ended"].clone()), Some(247.into()));
    assert_eq!(months.last().map(|m| m["share"].clone()), Some(17.0.into()));
    // One curve per partner.
    assert!(j["time_to_job_or_studies_by_group"]
        .as_array()
        .is_some_and(|a| a.len() >= 2
            && a.iter().all(|c| c["group"]
                .as_str()
                .is_some_and(|g| g.starts_with("organisation:")))));
    let bad = t
        .get(
            &format!("/api/v1/projects/{tk}/dashboard?by=shoe"),
            Some(&token),
        )
        .await;
    bad.assert_fields(StatusCode::BAD_REQUEST, &["by"]);
    for path in [
        "/api/v1/projects/999999/dashboard",
        "/api/v1/projects/x/dashboard",
    ] {
        let r = t.get(path, Some(&token)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["error"]["code"], "not-found");
    }
    assert_eq!(
        t.get("/api/v1/dashboard", Some(&token)).await.status,
        StatusCode::OK
    );
}

/// The start page on the demo's day: the project running now comes first,
/// the seeds' projects after it, each marked as ended, with their figures.
#[tokio::test]
async fn the_start_page_shows_the_running_project_first_and_marks_the_ended() {
    let t = TestApp::new().await;
    let b = t.browser("samordnare@helamanniskan.example").await;
    let page = t.page(&b, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s}: {body}"));
    assert!(at(">Vidare mot arbete</h3>") < at(">Tillväxt Kvinna</h3>"));
    let card = |name: &str| {
        let from = at(&format!(">{name}</h3>"));
        body[from..]
            .split("</section>")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(card("Tillväxt Kvinna").contains("2018-11-01 – 2021-10-31</span> · Avslutat"));
    assert!(!card("Vidare mot arbete").contains("Avslutat"));
    for figure in ["267", "360", "247", "42"] {
        assert!(card("Tillväxt Kvinna").contains(figure), "{figure}");
    }
    let en = t.page_in(&b, "/", "en").await;
    assert!(en.body.contains("2018-11-01 – 2021-10-31</span> · Ended"));
}
