//! The reading and oversight half of the API: the participants behind a
//! figure, self-assessments, funder reports as JSON and files, emergency
//! access, the audit log and its review, and retention; each against what
//! the HTML shows or does.

mod audit;

use crate::support::*;
use axum::http::{header, StatusCode};

/// `path` as `token`'s user, asserting 200; its JSON.
pub(super) async fn ok(t: &TestApp, path: &str, token: &str) -> serde_json::Value {
    let r = t.get(path, Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()
}

fn ids(j: &serde_json::Value) -> Vec<i64> {
    j["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect()
}

#[tokio::test]
async fn the_participants_behind_a_figure_are_the_dashboards_and_only_those_the_caller_sees() {
    let t = TestApp::new().await;
    let [token, evaluator] = t.tokens([COORDINATOR, EVALUATOR]).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let base = format!("/api/v1/projects/{tk}/figures");

    // The share to job or studies, as its page lists it: the same count
    // of those the caller may see, the same people in the same order.
    let b = t.browser(COORDINATOR).await;
    let shown = |body: &str| -> i64 {
        let at = body
            .find(" deltagare som du har behörighet att se")
            .expect("the count");
        body[..at]
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a number")
    };
    let html = format!("/projects/{tk}/dashboard/participants");
    let share = ok(
        &t,
        &format!("{base}/share_job_or_studies/participants"),
        &token,
    )
    .await;
    let page = t
        .page(&b, &format!("{html}?indicator=share_job_or_studies"))
        .await;
    assert_eq!(share["total"], shown(&page.body), "{share}");
    assert!(share["total"].as_i64().is_some_and(|n| n > 25 && n <= 42));
    assert_eq!(share["per_page"], 25);
    let listed: Vec<String> = page
        .body
        .split("<td><a href=\"/participants/")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    let api_listed: Vec<String> = ids(&share).iter().map(i64::to_string).collect();
    assert_eq!(
        listed, api_listed,
        "the same participants, in the same order"
    );
    // Its base, a page of 100 at a time.
    let of = ok(
        &t,
        &format!("{base}/share_job_or_studies/participants?base=true&per_page=100&page=2"),
        &token,
    )
    .await;
    let page = t
        .page(&b, &format!("{html}?indicator=share_job_or_studies&base=1"))
        .await;
    let all = shown(&page.body);
    assert_eq!(of["total"], all);
    assert!(all > 100 && all <= 247, "{all}");
    assert_eq!(
        of["items"].as_array().map(Vec::len),
        Some(usize::try_from(all.min(200) - 100).expect("a length"))
    );
    // Those who ended by an outcome, as the exits table's link lists them.
    let report = ok(&t, &format!("/api/v1/projects/{tk}/reports/final"), &token).await;
    let exits = report["final_figures"]["exits"]
        .as_array()
        .expect("exits")
        .clone();
    let mut sum = 0;
    for e in &exits {
        let outcome = e["outcome"].as_str().expect("an outcome");
        let api = ok(
            &t,
            &format!("{base}/ended/participants?outcome={outcome}"),
            &token,
        )
        .await;
        let page = t.page(&b, &format!("{html}?outcome={outcome}")).await;
        assert_eq!(api["total"], shown(&page.body), "{outcome}");
        assert!(api["total"].as_i64() <= e["count"].as_i64(), "{outcome}");
        sum += api["total"].as_i64().expect("total");
    }
    let ended = ok(&t, &format!("{base}/ended/participants"), &token).await;
    assert_eq!(
        ended["total"], sum,
        "the outcomes add up to those who ended"
    );

    // Bad parameters are named; an unknown figure or project is 404.
    for (query, field) in [
        ("enrolled/participants?group=gender:robot", "group"),
        ("enrolled/participants?base=yes", "base"),
        ("enrolled/participants?outcome=employment", "outcome"),
        ("ended/participants?outcome=flying", "outcome"),
        ("enrolled/participants?page=0", "page"),
        ("enrolled/participants?per_page=101", "per_page"),
    ] {
        let r = t.get(&format!("{base}/{query}"), Some(&token)).await;
        r.assert_fields(StatusCode::BAD_REQUEST, &[field]);
    }
    for path in [
        format!("{base}/happiness/participants"),
        "/api/v1/projects/999999/figures/enrolled/participants".into(),
    ] {
        assert_eq!(
            t.get(&path, Some(&token)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The evaluator sees the figures, never the participants behind them.
    assert_eq!(
        t.get(&format!("{base}/enrolled/participants"), Some(&evaluator))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Someone the coordinator may not see is not behind her figures, though
    // she is behind the caseworker's who registered her.
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let hidden = t.register(&kim, &new_participant(org, "Yrsa")).await;
    let path = "/api/v1/figures/enrolled/participants?group=intake_month:2026-11&per_page=100";
    assert!(ids(&ok(&t, path, &kim).await).contains(&hidden));
    assert!(!ids(&ok(&t, path, &token).await).contains(&hidden));
}

#[tokio::test]
async fn self_assessments_are_listed_with_the_change_and_recorded() {
    let t = TestApp::new().await;
    let [token, evaluator] = t.tokens([COORDINATOR, EVALUATOR]).await;
    let b = t.browser(COORDINATOR).await;
    let pid = t.listed_participant(&b, 3).await;
    let path = format!("/api/v1/participants/{pid}/self-assessments");
    let before = ok(&t, &path, &token).await;
    let n = before["items"].as_array().expect("items").len();

    let scores = |on: &str, s: [i64; 6]| {
        serde_json::json!({"on": on, "swedish": s[0], "health": s[1], "confidence": s[2],
            "work_readiness": s[3], "network": s[4], "everyday_life": s[5]})
        .to_string()
    };
    let r = t
        .post_json(&path, &token, &scores("2026-11-20", [4, 5, 4, 3, 3, 3]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = r.json();
    assert_eq!(made["total"], 22);
    assert_eq!(made["scores"]["health"], 5);
    assert_eq!(made["by_participant"], false);
    let r = t
        .post_json(&path, &token, &scores("2026-11-24", [5, 5, 5, 4, 4, 4]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let after = ok(&t, &path, &token).await;
    let items = after["items"].as_array().expect("items");
    assert_eq!(items.len(), n + 2);
    // Oldest first; the change runs from the first to the latest.
    let totals: Vec<i64> = items.iter().filter_map(|i| i["total"].as_i64()).collect();
    let change = totals.last().expect("latest") - totals.first().expect("first");
    assert_eq!(after["change"], change);
    assert_eq!(
        items.last().map(|i| i["on"].clone()),
        Some("2026-11-24".into())
    );
    // The page shows the same.
    let page = t
        .page(&b, &format!("/participants/{pid}/self-assessments"))
        .await;
    assert!(page.body.contains("<td>2026-11-24</td>"));
    let intro = format!(
        "{} självskattningar. Summan har ändrats med {} ",
        n + 2,
        change.abs()
    );
    assert!(page.body.contains(&intro), "{}", page.body);

    // Refused by field: off the scale, missing, of the wrong type, unknown.
    let r = t
        .post_json(
            &path,
            &token,
            r#"{"on": "2026-12-30", "swedish": 4, "health": 9, "confidence": 3,
                "work_readiness": 3, "network": 3}"#,
        )
        .await;
    r.assert_fields(
        StatusCode::UNPROCESSABLE_ENTITY,
        &["on", "health", "everyday_life"],
    );
    let r = t
        .post_json(&path, &token, r#"{"swedish": "4", "mood": 3}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["mood", "swedish"]);
    // Unknown or invisible participants are 404; the evaluator may neither
    // read nor record.
    for p in ["/api/v1/participants/999999/self-assessments", &path] {
        let r = t
            .post_json(p, &evaluator, &scores("2026-11-20", [3; 6]))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    assert_eq!(
        t.get(&path, Some(&evaluator)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ok(&t, &path, &token).await["items"]
            .as_array()
            .map(Vec::len),
        Some(n + 2)
    );
}

#[tokio::test]
async fn funder_reports_as_json_and_as_files() {
    let t = TestApp::new().await;
    let [token, coach] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let base = format!("/api/v1/projects/{tk}/reports");

    // The final report's figures, as on its page.
    let f = ok(&t, &format!("{base}/final"), &token).await;
    assert_eq!(f["kind"], "final");
    assert_eq!(f["period_start"], "2018-11-01");
    assert_eq!(f["period_end"], "2021-10-31");
    let fig = &f["final_figures"];
    assert_eq!(fig["enrolled"], 267);
    assert_eq!(fig["participant_target"], 360.0);
    assert_eq!(fig["enrolled_of_target"], 74.2);
    assert_eq!(fig["ended"], 247);
    assert_eq!(fig["to_job_or_studies"], 42);
    assert_eq!(fig["share_to_job_or_studies"], 17.0);
    assert_eq!(fig["job_or_studies_goal"], 20.0);
    assert_eq!(fig["goal_met"], false);
    let exits: i64 = fig["exits"]
        .as_array()
        .expect("exits")
        .iter()
        .filter_map(|e| e["count"].as_i64())
        .sum();
    assert_eq!(exits, 247);
    assert!(f["finsam"].is_null());

    // Finsam over a period: each intervention adds up.
    let fin = ok(
        &t,
        &format!("{base}/finsam?from=2020-01-01&to=2020-12-31"),
        &token,
    )
    .await;
    assert_eq!(fin["period_start"], "2020-01-01");
    let rows = fin["finsam"].as_array().expect("rows");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["women"].as_i64().unwrap_or(-1)
        + r["men"].as_i64().unwrap_or(0)
        + r["other_gender"].as_i64().unwrap_or(0)
        == r["total"].as_i64().unwrap_or(-2)));
    // Before and after: the groups add up to those who ended.
    let ba = ok(&t, &format!("{base}/before_after"), &token).await;
    let sum: i64 = ba["before_after"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["count"].as_i64())
        .sum();
    assert_eq!(sum, 247);
    let esf = ok(&t, &format!("{base}/esf_indicators"), &token).await;
    let total = esf["esf_indicators"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["indicator"] == "total"))
        .expect("the total")
        .clone();
    assert_eq!(total["total"], 267);
    assert_eq!(total["label"], "Deltagare totalt");

    // The files, with their type and name; the CSV holds the page's figures.
    for (format, content_type) in [
        ("csv", "text/csv; charset=utf-8"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("pdf", "application/pdf"),
    ] {
        let r = t.get(&format!("{base}/final/{format}"), Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        assert_eq!(r.headers[header::CONTENT_TYPE], content_type);
        assert_eq!(
            r.headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"final-2018-11-01-2021-10-31.{format}\"").as_str()
        );
        let magic: &[u8] = match format {
            "csv" => "\u{feff}".as_bytes(),
            "xlsx" => b"PK",
            _ => b"%PDF-",
        };
        assert!(r.bytes.starts_with(magic), "{format}");
    }
    // The document names the files' content types and their header.
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let file = &doc["paths"]["/projects/{id}/reports/{kind}/{format}"]["get"]["responses"]["200"];
    for content_type in [
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/pdf",
    ] {
        assert!(file["content"].get(content_type).is_some(), "{file}");
    }
    assert!(
        file["headers"].get("Content-Disposition").is_some(),
        "{file}"
    );
    let pdf = t.get(&format!("{base}/final/pdf"), Some(&token)).await;
    let text = crate::reports::read_with("pdftotext", &["-layout", "-", "-"], &pdf.bytes);
    assert!(
        text.contains("Slutrapport") && text.contains("267"),
        "{text}"
    );
    let csv = t.get(&format!("{base}/final/csv"), Some(&token)).await;
    assert!(csv.body.contains("Inskrivna;267\r\n"));
    assert!(csv.body.contains("Till arbete eller studier;42\r\n"));
    let period = t
        .get(
            &format!("{base}/finsam/csv?from=2020-01-01&to=2020-12-31"),
            Some(&token),
        )
        .await;
    assert!(period.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("cd")
        .contains("finsam-2020-01-01-2020-12-31.csv"));
    // The six downloads are audited as exports; the JSON reads are not.
    let log = ok(&t, "/api/v1/audit?action=export.report", &token).await;
    assert_eq!(log["total"], 6, "{log}");

    // A bad period names its parameter; unknown kinds and formats are 404.
    let bad = t
        .get(
            &format!("{base}/finsam?from=2021-01-01&to=2020-01-01"),
            Some(&token),
        )
        .await;
    bad.assert_fields(StatusCode::BAD_REQUEST, &["to"]);
    let bad = t
        .get(&format!("{base}/final?from=2021-02-30"), Some(&token))
        .await;
    bad.assert_fields(StatusCode::BAD_REQUEST, &["from"]);
    for path in [
        format!("{base}/esf"),
        format!("{base}/final/doc"),
        "/api/v1/projects/999999/reports/final".into(),
    ] {
        assert_eq!(
            t.get(&path, Some(&token)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // The ESF+ monthly file: coordinators only, never cached.
    let month = ok(
        &t,
        &format!("/api/v1/projects/{tk}/esf-months/2020-03"),
        &token,
    )
    .await;
    assert_eq!(month["month"], "2020-03");
    let lines = month["items"].as_array().expect("lines");
    assert!(lines.len() > 10, "{month}");
    assert!(lines.iter().all(|l| l["identity_number"].is_null()));
    let csv = t
        .get(
            &format!("/api/v1/projects/{tk}/esf-months/2020-03/csv"),
            Some(&token),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(
        csv.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"esf-deltagare-2020-03.csv\""
    );
    assert_eq!(
        csv.body
            .lines()
            .filter(|l| l.contains("Personnummer saknas"))
            .count(),
        lines.len()
    );
    for path in ["2020-13", "2020-03/pdf"] {
        assert_eq!(
            t.get(
                &format!("/api/v1/projects/{tk}/esf-months/{path}"),
                Some(&token)
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        t.get(
            &format!("/api/v1/projects/{tk}/esf-months/2020-03"),
            Some(&coach)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn emergency_access_is_requested_with_a_reason_and_listed_while_it_lasts() {
    let t = TestApp::new().await;
    let [token, kim] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let org = t.org_of(&kim).await;
    let hidden = t.register(&kim, &new_participant(org, "Nödläge")).await;
    let record = format!("/api/v1/participants/{hidden}");
    assert_eq!(
        t.get(&record, Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
    let none = ok(&t, "/api/v1/emergency-accesses", &token).await;
    assert_eq!(none["items"], serde_json::json!([]));

    // Refused by field: no reason, no one, someone unknown.
    let r = t
        .post_json(
            "/api/v1/emergency-accesses",
            &token,
            &format!(r#"{{"participant_id": {hidden}}}"#),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reason"]);
    let r = t
        .post_json(
            "/api/v1/emergency-accesses",
            &token,
            r#"{"reason": "Akut oro för hennes säkerhet"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["identity_number"]);
    let r = t
        .post_json(
            "/api/v1/emergency-accesses",
            &token,
            r#"{"participant_id": 999999, "reason": "Akut oro för hennes säkerhet"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["participant_id"]);
    // A caseworker may not break the glass.
    let body =
        format!(r#"{{"participant_id": {hidden}, "reason": "Akut oro för hennes säkerhet"}}"#);
    assert_eq!(
        t.post_json("/api/v1/emergency-accesses", &kim, &body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/api/v1/emergency-accesses", Some(&kim)).await.status,
        StatusCode::FORBIDDEN
    );

    let r = t
        .post_json("/api/v1/emergency-accesses", &token, &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.location(), record);
    let g = r.json();
    assert_eq!(g["participant_id"], hidden);
    assert_eq!(g["reason"], "Akut oro för hennes säkerhet");
    assert_eq!(g["granted_at"], "2026-11-25T10:00:00Z");
    assert_eq!(g["expires_at"], "2026-11-25T12:00:00Z");
    let list = ok(&t, "/api/v1/emergency-accesses", &token).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["id"], g["id"]);
    // Her record opens, and the access is in the log.
    assert_eq!(t.get(&record, Some(&token)).await.status, StatusCode::OK);
    let log = ok(
        &t,
        "/api/v1/audit?action=participant.emergency_access",
        &token,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["participant_id"], hidden);

    // Two hours on it has ended: no longer listed, the record closed.
    t.clock
        .advance(jiff::SignedDuration::from_secs(2 * 3600 + 1));
    let list = ok(&t, "/api/v1/emergency-accesses", &token).await;
    assert_eq!(list["items"], serde_json::json!([]));
    assert_eq!(
        t.get(&record, Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
}
