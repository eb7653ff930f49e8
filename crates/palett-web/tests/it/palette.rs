use crate::support::*;
use axum::http::{header, StatusCode};
use serde_json::{json, Value};

const BILDA_LEADER: &str = "cirkelledare@bilda.example";

/// The id of the demo intervention whose name starts with `prefix`.
async fn intervention_named(t: &TestApp, token: &str, prefix: &str) -> Value {
    let list = t.get("/api/v1/palette", Some(token)).await.json();
    let id = list["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|i| i["name"].as_str().is_some_and(|n| n.starts_with(prefix)))
        })
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("{prefix} in the demo palette"));
    t.get(&format!("/api/v1/palette/{id}"), Some(token))
        .await
        .json()
}

#[tokio::test]
async fn a_coordinator_builds_an_intervention_and_a_course_with_modules_in_the_ui() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let form = t.page(&b, "/palette/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let me = t.app.session(&b.cookie).await.expect("ok").expect("s");
    let org = me.user.organisation_id.to_string();
    // Errors re-render with the input kept.
    let r = t
        .post_invalid(
            &b,
            "/palette/new",
            &[
                ("name", ""),
                ("kind", "course"),
                ("provider_organisation_id", &org),
                ("capacity", "0"),
            ],
        )
        .await;
    assert!(r.body.contains("Fältet måste fyllas i.") && r.body.contains("Ange ett tal."));
    assert!(
        r.body.contains("href=\"#f-project_id\""),
        "funding must be chosen, not defaulted to ordinary operations"
    );
    let course = t
        .post_redirect(
            &b,
            "/palette/new",
            &[
                ("name", "Svenska i butik 2027"),
                ("kind", "course"),
                ("provider_organisation_id", &org),
                ("capacity", "16"),
                ("group_based", "true"),
                ("project_id", "ordinary"),
                ("start_date", "2027-08-16"),
                ("end_date", "2028-06-09"),
            ],
        )
        .await;
    for name in [
        "Svenska och matematik",
        "Praktik i butik",
        "Extern praktik, fem veckor",
    ] {
        t.post_redirect(
            &b,
            &format!("{course}/modules/new"),
            &[
                ("name", name),
                ("kind", "language_training"),
                ("provider_organisation_id", &org),
                ("project_id", "ordinary"),
            ],
        )
        .await;
    }
    let page = t.page(&b, &course).await;
    assert!(page.body.contains("Moduler"));
    let (a, c) = (
        page.body.find("Svenska och matematik").expect("module 1"),
        page.body.find("Extern praktik").expect("module 3"),
    );
    assert!(a < c, "modules in order");
    assert!(
        page.body.contains("Ordinarie verksamhet"),
        "funded by ordinary operations"
    );
    let palette = t.page(&b, "/palette").await;
    assert!(
        palette.body.contains("Svenska i butik 2027")
            && palette.body.contains("↳ 2. Praktik i butik")
    );
    // A caseworker cannot add to the palette.
    let cw = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.post_form(
            &cw,
            "/palette/new",
            &[
                ("name", "X"),
                ("kind", "other"),
                ("provider_organisation_id", &org)
            ]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_caseworker_writes_a_plan_changes_it_and_sees_both_versions() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&token).await;
    let pid = t.register(&token, &new_participant(org, "Planera")).await;
    let walk = intervention_named(&t, &token, "Hälsofrämjande").await["id"]
        .as_i64()
        .expect("walk");
    let work = intervention_named(&t, &token, "Arbetsträning").await["id"]
        .as_i64()
        .expect("work");
    let lang = intervention_named(&t, &token, "Språkträning").await["id"]
        .as_i64()
        .expect("lang");
    let b = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&b, &format!("/participants/{pid}/plan"))
            .await,
        StatusCode::OK
    );
    let edit = format!("/participants/{pid}/plan/edit");
    assert_eq!(t.page_status(&b, &edit).await, StatusCode::OK);
    let (w, wk, l, o) = (
        walk.to_string(),
        work.to_string(),
        lang.to_string(),
        org.to_string(),
    );
    let mut fields = vec![
        ("goal_text", "Jag vill prata svenska på jobbet"),
        ("goal_category", "language"),
        ("goal_text", "Jag vill orka promenera varje dag"),
        ("goal_category", "health"),
        ("step_intervention", w.as_str()),
        ("step_start", "2026-12-01"),
        ("step_end", ""),
        ("step_organisation", o.as_str()),
        ("step_user", ""),
        ("step_note", ""),
        ("step_intervention", wk.as_str()),
        ("step_start", ""),
        ("step_end", ""),
        ("step_organisation", o.as_str()),
        ("step_user", ""),
        ("step_note", "Kassa"),
        ("step_intervention", l.as_str()),
        ("step_start", ""),
        ("step_end", ""),
        ("step_organisation", o.as_str()),
        ("step_user", ""),
        ("step_note", ""),
    ];
    t.post_redirect(&b, &edit, &fields).await;
    fields[0] = ("goal_text", "Jag vill arbeta i butik");
    fields[1] = ("goal_category", "work");
    t.post_redirect(&b, &edit, &fields).await;
    let plan = t.page(&b, &format!("/participants/{pid}/plan")).await;
    assert!(plan.body.contains("Version 2") && plan.body.contains("Version 1"));
    assert!(
        plan.body.contains("Jag vill arbeta i butik")
            && plan.body.contains("Jag vill prata svenska på jobbet")
    );
    assert!(plan.body.contains("Tidigare versioner"));
    // A half-filled row is named; the input stays.
    let r = t
        .post_invalid(&b, &edit, &[("goal_text", ""), ("goal_category", "work")])
        .await;
    assert!(r.body.contains("id=\"f-goal_text-0\"") && r.body.contains("aria-invalid=\"true\""));
    // The API shows the same versions, and names bad rows.
    let v = t
        .get(&format!("/api/v1/participants/{pid}/plan"), Some(&token))
        .await
        .json();
    assert_eq!(v["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["versions"][0]["steps"].as_array().map(Vec::len), Some(3));
    let r = t.json("PUT", &format!("/api/v1/participants/{pid}/plan"), &token, &json!({"goals": [{"text": "Jobb", "category": "nonsense"}], "steps": [{"intervention_id": 999999, "responsible_organisation_id": org}]}).to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut f = r.error_fields();
    f.sort();
    assert_eq!(f, vec!["goals[0].category"]);
    let r = t.json("PUT", &format!("/api/v1/participants/{pid}/plan"), &token, &json!({"goals": [{"text": "Jobb", "category": "work"}], "steps": [{"intervention_id": 999999, "responsible_organisation_id": org}]}).to_string()).await;
    assert_eq!(r.error_fields(), vec!["steps[0].intervention_id"]);
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/participants/{pid}/plan"),
            &token,
            &json!({"goals": [{"text": "Jobb", "category": "work"}]}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["version"], 3);
}

#[tokio::test]
async fn a_teacher_records_a_whole_session_in_one_submit_and_the_figures_follow() {
    let t = TestApp::new().await;
    let token = t.token(BILDA_LEADER).await;
    let lang = intervention_named(&t, &token, "Språkträning").await;
    let gid = lang["groups"][0]["id"].as_i64().expect("a group");
    let group = t
        .get(&format!("/api/v1/groups/{gid}"), Some(&token))
        .await
        .json();
    // A held session from 2021 with people on the sheet.
    let mut chosen = None;
    for s in group["sessions"].as_array().expect("sessions").iter().rev() {
        if s["status"] == "scheduled" {
            let sheet = t
                .get(
                    &format!("/api/v1/sessions/{}/attendance", s["id"]),
                    Some(&token),
                )
                .await
                .json();
            if sheet["roster"].as_array().is_some_and(|r| r.len() >= 2) {
                chosen = Some((s["id"].as_i64().expect("id"), sheet));
                break;
            }
        }
    }
    let (sid, sheet) = chosen.expect("a session with participants");
    let roster: Vec<i64> = sheet["roster"]
        .as_array()
        .expect("roster")
        .iter()
        .filter_map(|r| r["participant_id"].as_i64())
        .collect();
    let first = roster[0];
    let coordinator = t.token(COORDINATOR).await;
    let hours_of = |rows: &Value| -> i64 {
        rows["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|r| r["intervention_id"] == lang["id"])
            .filter_map(|r| r["minutes"].as_i64())
            .sum()
    };
    let before_time = hours_of(
        &t.get(
            &format!("/api/v1/participants/{first}/time"),
            Some(&coordinator),
        )
        .await
        .json(),
    );
    let rate = |r: &Value| {
        r["attendance_by_group"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|x| x["group"] == group["name"])
            .map(|x| {
                (
                    x["present"].as_i64().unwrap_or(0),
                    x["absent"].as_i64().unwrap_or(0),
                )
            })
    };
    let before_rate = rate(
        &t.get("/api/v1/reports/palette", Some(&coordinator))
            .await
            .json(),
    )
    .expect("group in report");

    // The HTML sheet: everyone marked, one submit.
    let b = t.browser(BILDA_LEADER).await;
    let page = t.page(&b, &format!("/sessions/{sid}/attendance")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Spara närvaro"));
    let mut fields: Vec<(String, String)> = roster
        .iter()
        .map(|p| (format!("attendance.{p}"), "absent".to_string()))
        .collect();
    fields[0].1 = "present".into();
    // Leaving one out is refused by name, the marks kept.
    let partial: Vec<(&str, &str)> = fields[1..]
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = t
        .post_invalid(&b, &format!("/sessions/{sid}/attendance"), &partial)
        .await;
    assert!(r.body.contains("error-summary") && r.body.contains("Fältet måste fyllas i."));
    let all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = t
        .post_form(&b, &format!("/sessions/{sid}/attendance"), &all)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let group_page = t.page(&b, &format!("/groups/{gid}")).await;
    assert!(group_page.body.contains(&format!(
        "1 närvarande, 0 anmäld frånvaro, {} frånvarande",
        roster.len() - 1
    )));

    // Her time is the session's minutes now; the group's figures moved.
    let minutes = sheet["session"]["minutes"].as_i64().expect("minutes");
    let was_present = sheet["roster"][0]["status"] == "present";
    let after_time = hours_of(
        &t.get(
            &format!("/api/v1/participants/{first}/time"),
            Some(&coordinator),
        )
        .await
        .json(),
    );
    assert_eq!(
        after_time,
        if was_present {
            before_time
        } else {
            before_time + minutes
        }
    );
    let after_rate = rate(
        &t.get("/api/v1/reports/palette", Some(&coordinator))
            .await
            .json(),
    )
    .expect("group");
    let old: Vec<&str> = sheet["roster"]
        .as_array()
        .expect("r")
        .iter()
        .map(|r| r["status"].as_str().unwrap_or(""))
        .collect();
    let old_present = old.iter().filter(|s| **s == "present").count() as i64;
    let old_absent = old.iter().filter(|s| **s == "absent").count() as i64;
    assert_eq!(after_rate.0, before_rate.0 - old_present + 1);
    assert_eq!(
        after_rate.1,
        before_rate.1 - old_absent + roster.len() as i64 - 1
    );

    // A cancelled session is no absence, and cannot be recorded.
    let r = t
        .post_json(
            &format!("/api/v1/sessions/{sid}/cancel"),
            &token,
            r#"{"reason": "Ledaren sjuk"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after_cancel = rate(
        &t.get("/api/v1/reports/palette", Some(&coordinator))
            .await
            .json(),
    )
    .expect("group");
    assert_eq!(after_cancel.1, after_rate.1 - (roster.len() as i64 - 1));
    let body = json!({"attendance": roster.iter().map(|p| (p.to_string(), json!("present"))).collect::<serde_json::Map<_, _>>()});
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/sessions/{sid}/attendance"),
            &token,
            &body.to_string(),
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["session"]);
    // Someone of another organisation cannot open the sheet.
    let af = t.token(AF_CASEWORKER).await;
    assert_eq!(
        t.get(&format!("/api/v1/sessions/{sid}/attendance"), Some(&af))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn capacity_puts_the_next_on_the_waiting_list_through_the_api() {
    let t = TestApp::new().await;
    let [coordinator, token] = t.tokens([COORDINATOR, KOMMUN_CASEWORKER]).await;
    let org = t.org_of(&token).await;
    let r = t.post_json("/api/v1/palette", &coordinator, &json!({"name": "Körkortsteori", "kind": "course", "provider_organisation_id": org, "capacity": 1}).to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let course = r.json()["id"].as_i64().expect("id");
    let a = t.register(&token, &new_participant(org, "Först")).await;
    let b = t.register(&token, &new_participant(org, "Sedan")).await;
    let ea = t
        .post_json(
            &format!("/api/v1/participants/{a}/enrolments"),
            &token,
            &json!({"intervention_id": course}).to_string(),
        )
        .await
        .json();
    let eb = t
        .post_json(
            &format!("/api/v1/participants/{b}/enrolments"),
            &token,
            &json!({"intervention_id": course}).to_string(),
        )
        .await
        .json();
    assert_eq!(
        (ea["status"].as_str(), eb["status"].as_str()),
        (Some("planned"), Some("waiting"))
    );
    let r = t
        .patch_json(
            &format!("/api/v1/enrolments/{}", ea["id"]),
            &token,
            r#"{"status": "discontinued"}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["reason"]);
    let r = t
        .patch_json(
            &format!("/api/v1/enrolments/{}", ea["id"]),
            &token,
            r#"{"status": "discontinued", "reason": "Fick jobb"}"#,
        )
        .await;
    assert_eq!(r.json()["offered_to_enrolment_id"], eb["id"]);
    let list = t
        .get(
            &format!("/api/v1/participants/{b}/enrolments"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(list["items"][0]["status"], "offered");
}

#[tokio::test]
async fn the_reports_export_as_csv_for_swedish_excel() {
    let t = TestApp::new().await;
    let b = t.browser(EVALUATOR).await;
    let page = t.page(&b, "/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Timmar per part"));
    // The funder reports are under Rapporter too, each project's, and the
    // ESF+ participant file (names and numbers) only for coordinators.
    assert!(page
        .body
        .contains("Rapporter till finansiärer, per projekt"));
    let project = t.tillvaxt_kvinna(&t.token(EVALUATOR).await).await;
    assert!(page
        .body
        .contains(&format!("href=\"/projects/{project}/reports/final\"")));
    assert_eq!(
        t.page_status(&b, &format!("/projects/{project}/reports/final"))
            .await,
        StatusCode::OK
    );
    assert!(!page.body.contains("esf-months"));
    let coordinator = t.browser(COORDINATOR).await;
    let theirs = t.page(&coordinator, "/reports").await;
    assert!(theirs
        .body
        .contains(&format!("href=\"/projects/{project}/esf-months\"")));
    let csv = t.page(&b, "/reports/hours-by-partner.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<Vec<&str>> = csv
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(lines[0].len(), 4);
    // The total row is the sum of the partners' rows.
    let hours = |s: &str| -> f64 {
        s.replace(',', ".")
            .parse()
            .unwrap_or_else(|_| panic!("hours: {s}"))
    };
    let body: Vec<&Vec<&str>> = lines[1..lines.len() - 1].iter().collect();
    let total = lines.last().expect("total");
    let sum: f64 = body.iter().map(|l| hours(l[3])).sum();
    assert!(
        (sum - hours(total[3])).abs() < 0.05 * body.len() as f64,
        "{sum} vs {}",
        total[3]
    );
    assert!(
        hours(total[1]) > 0.0 && hours(total[2]) > 0.0,
        "both project and ordinary operations time in the demo"
    );
    assert_eq!(
        t.page_status(&b, "/reports/nothing.csv").await,
        StatusCode::NOT_FOUND
    );
    let cancelled = t.page(&b, "/reports/sessions-per-month.csv").await;
    let spring: i64 = cancelled
        .body
        .lines()
        .filter(|l| l.starts_with("2020-04") || l.starts_with("2020-05"))
        .filter_map(|l| l.split(';').nth(1)?.parse::<i64>().ok())
        .sum();
    assert!(spring >= 20, "the spring of 2020 was cancelled: {spring}");
}

#[tokio::test]
async fn a_coordinator_attests_a_month_of_her_partners_time_in_the_page_and_the_api() {
    let t = TestApp::new().await;
    let coordinator = t.browser("samordnare@botkyrka.example").await;
    let token = t.token("samordnare@botkyrka.example").await;
    // The demo's walk group met in October: that month waits, in her day.
    let start = t.page(&coordinator, "/").await;
    assert!(
        start.body.contains("väntar på attestering"),
        "{}",
        start.body
    );
    let page = t.page(&coordinator, "/time-attestation").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Attestera 2026-10"));
    let to = t
        .post_redirect(&coordinator, "/time-attestation/2026-10", &[])
        .await;
    assert_eq!(to, "/time-attestation?done=attested");
    let page = t.page(&coordinator, &to).await;
    assert!(page.body.contains("Månaden är attesterad."));
    assert!(page.body.contains("Attesterad "));
    assert!(!page.body.contains("Attestera 2026-10"));
    let list = t.get("/api/v1/time-attestation", Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let october = list.json()["items"]
        .as_array()
        .and_then(|items| items.iter().find(|m| m["month"] == "2026-10").cloned())
        .expect("October");
    assert_eq!(october["to_attest"], false);
    assert_eq!(october["attested_minutes"], october["minutes"]);
    // The month still running is not attested: the months again, saying why.
    let refused = t
        .post_invalid(&coordinator, "/time-attestation/2026-11", &[])
        .await;
    assert!(refused
        .body
        .contains("Attestera en avslutad månad under det senaste året."));
    assert!(
        refused.body.contains("2026-10"),
        "the months are shown again"
    );
    // Nor in the API, nor by a caseworker.
    t.json("POST", "/api/v1/time-attestation/2026-11", &token, "{}")
        .await
        .assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["month"]);
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    let refused = t
        .json(
            "POST",
            "/api/v1/time-attestation/2026-10",
            &caseworker,
            "{}",
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// Those marked present at October sessions of the demo's running walk
/// group: (her id, the session).
pub(crate) async fn october_walkers(t: &TestApp, token: &str) -> Vec<(i64, i64)> {
    let mut found = Vec::new();
    let walk = intervention_named(t, token, "Promenad och hälsa").await;
    let gid = walk["groups"][0]["id"].as_i64().expect("the walk group");
    let group = t.get(&format!("/api/v1/groups/{gid}"), Some(token)).await;
    assert_eq!(group.status, StatusCode::OK, "{}", group.body);
    let sessions = group.json();
    for s in sessions["sessions"].as_array().expect("sessions") {
        let on = s["date"].as_str().unwrap_or_default();
        if !on.starts_with("2026-10") || s["status"] != "scheduled" {
            continue;
        }
        let sheet = t
            .get(
                &format!("/api/v1/sessions/{}/attendance", s["id"]),
                Some(token),
            )
            .await
            .json();
        for p in sheet["roster"].as_array().into_iter().flatten() {
            if p["status"] == "present" {
                found.push((
                    p["participant_id"].as_i64().expect("her id"),
                    s["id"].as_i64().expect("session id"),
                ));
            }
        }
    }
    found
}

#[tokio::test]
async fn her_caseworker_attests_her_month_and_a_later_change_needs_a_reason() {
    let t = TestApp::new().await;
    let coordinator = "samordnare@botkyrka.example";
    let token = t.token(coordinator).await;
    let b = t.browser(coordinator).await;
    // One of the municipality's own: its coordinator may attest her month
    // (another partner's participant's month is shown without the button).
    let mut mine = None;
    let mut others = 0;
    for (her, session) in october_walkers(&t, &token).await {
        let page = t
            .page(&b, &format!("/participants/{her}/time?month=2026-10"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Ej attesterad"), "{}", page.body);
        if page.body.contains("Attestera 2026-10") {
            mine.get_or_insert((her, session));
        } else {
            others += 1;
        }
    }
    let (her, session) = mine.expect("one of the municipality's own in the walk");
    assert!(others > 0, "the walk also has other partners' participants");
    let month = format!("/participants/{her}/time?month=2026-10");

    // The running month cannot be attested: the page again, saying why.
    let refused = t
        .post_invalid(&b, &format!("/participants/{her}/time/2026-11/attest"), &[])
        .await;
    assert!(refused
        .body
        .contains("Månaden är inte slut än och kan inte attesteras."));
    let refused = t
        .post_invalid(&b, &format!("/participants/{her}/time/oktober/attest"), &[])
        .await;
    assert!(refused.body.contains("Ange månaden som ÅÅÅÅ-MM."));
    // Nobody outside her responsible organisation may attest it.
    let af = t.browser(AF_CASEWORKER).await;
    let other = t
        .post_form(
            &af,
            &format!("/participants/{her}/time/2026-10/attest"),
            &[],
        )
        .await;
    assert!(
        matches!(other.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        other.status
    );

    let to = t
        .post_redirect(&b, &format!("/participants/{her}/time/2026-10/attest"), &[])
        .await;
    assert_eq!(
        to,
        format!("/participants/{her}/time?month=2026-10&done=attested")
    );
    let page = t.page(&b, &to).await;
    assert!(page.body.contains("Månaden är attesterad och låst."));
    assert!(!page.body.contains("Attestera 2026-10"), "attested once");

    // The sheet of an October session asks for a reason for her; a change
    // without one is refused with the marks kept, and nothing changes.
    let sheet_path = format!("/sessions/{session}/attendance");
    let sheet = t.page(&b, &sheet_path).await;
    assert!(sheet.body.contains("Skäl till rättelse"), "{}", sheet.body);
    // The sheet as the browser sends it: every mark, hers changed.
    let roster = t
        .get(
            &format!("/api/v1/sessions/{session}/attendance"),
            Some(&token),
        )
        .await
        .json()["roster"]
        .clone();
    let marks: Vec<(String, String)> = roster
        .as_array()
        .expect("roster")
        .iter()
        .map(|p| {
            let id = p["participant_id"].as_i64().expect("id");
            let status = if id == her {
                "absent"
            } else {
                p["status"].as_str().unwrap_or("absent")
            };
            (format!("attendance.{id}"), status.to_string())
        })
        .collect();
    let mut fields: Vec<(&str, &str)> = marks
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = t.post_invalid(&b, &sheet_path, &fields).await;
    assert!(
        refused.body.contains("Månaden är redan attesterad."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&format!(
            "id=\"a-{her}-absent\" name=\"attendance.{her}\" value=\"absent\" checked"
        )),
        "the entered mark is kept"
    );
    let api = t
        .get(
            &format!("/api/v1/sessions/{session}/attendance"),
            Some(&token),
        )
        .await
        .json();
    let still = api["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["participant_id"] == her))
        .map(|p| p["status"].clone());
    assert_eq!(still, Some(json!("present")), "nothing changed");

    // With a reason it is saved and shows as a correction of her month.
    fields.push(("correction_reason", "Fel person markerad"));
    t.post_redirect(&b, &sheet_path, &fields).await;
    let page = t.page(&b, &month).await;
    assert!(page.body.contains("Rättelser"), "{}", page.body);
    assert!(page.body.contains("Fel person markerad"));
    // Her attested hours, and the same less the two-hour walk she was
    // marked absent from.
    let attested: i64 = page
        .body
        .split("Ändrad efter attesteringen (")
        .nth(1)
        .and_then(|s| s.split(" timmar attesterades)").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the correction names the attested hours: {}", page.body));
    assert!(attested >= 2, "she was present at the walk: {attested}");
    assert!(
        page.body
            .contains(&format!("{attested} → {} timmar", attested - 2)),
        "the hours before and after"
    );
    assert!(page.body.contains("Attestera 2026-10"), "may attest again");
}

#[tokio::test]
async fn the_group_page_shows_its_members_and_coming_sessions_first_and_pages_its_history() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let walk = intervention_named(&t, &token, "Promenad och hälsa").await;
    let gid = walk["groups"][0]["id"].as_i64().expect("the walk group");
    let page = t.page(&b, &format!("/groups/{gid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let at = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s}: {body}"));
    // Members (whom she may see), then what is coming, then the history.
    assert!(at("Deltagare i gruppen som du har tillgång till") < at("Kommande träffar"));
    assert!(at("Kommande träffar") < at("Genomförda och inställda träffar"));
    let member = walk["enrolments"][0]["participant"]
        .as_str()
        .expect("a member");
    assert!(
        at(member) < at("Kommande träffar"),
        "members are named first"
    );
    // The coming sessions can be moved and cancelled from their row.
    let coming = &body[at("Kommande träffar")..at("Genomförda och inställda träffar")];
    assert!(coming.contains("/move\"") && coming.contains("/cancel\""));
    // The history: latest first, twenty to a page, the rest on the next
    // (the demo's first group met for years).
    let gid = 1;
    let page = t.page(&b, &format!("/groups/{gid}")).await;
    let body = &page.body;
    let history = &body[body
        .find("Genomförda och inställda träffar")
        .expect("history")..];
    let dates: Vec<&str> = history
        .split("<td>")
        .skip(1)
        .filter_map(|c| c.get(..10))
        .filter(|c| c.starts_with("20") && c.as_bytes()[4] == b'-')
        .collect();
    assert!(dates.len() <= 20 && !dates.is_empty(), "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "latest first: {dates:?}"
    );
    let next = format!("/groups/{gid}?page=2");
    assert!(body.contains(&next.replace('&', "&amp;")), "a next page");
    let second = t.page(&b, &next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(
        !second.body.contains(dates[0]),
        "older sessions on page two"
    );
    // An evaluator sees the sessions but no one's name.
    let evaluator = t.browser(EVALUATOR).await;
    let walk_group = walk["groups"][0]["id"].as_i64().expect("the walk group");
    let seen = t.page(&evaluator, &format!("/groups/{walk_group}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains(member));
    assert!(!seen.body.contains("Deltagare i gruppen"));
}
