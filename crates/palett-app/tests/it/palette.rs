//! The palette and individual paths: interventions, courses, plans,
//! periods, enrolments and waiting lists, groups, attendance and time.

use crate::harness::*;
use palett_app::palette::ScheduleInput;
use palett_app::{AppError, Ctx};
use palett_domain::lifecycle::Transition;
use palett_domain::palette::{EnrolmentStatus, InterventionInput, PauseKind};
use palett_domain::plan::PlanInput;

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[allow(clippy::too_many_arguments)]
async fn intervention(
    h: &H,
    ctx: &Ctx,
    name: &str,
    kind: &str,
    provider: i64,
    capacity: &str,
    group: bool,
    project: Option<i64>,
) -> i64 {
    h.app
        .create_intervention(
            ctx,
            &InterventionInput {
                name: name.into(),
                kind: kind.into(),
                provider_organisation_id: provider.to_string(),
                capacity: capacity.into(),
                group_based: group.to_string(),
                project_id: project
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "ordinary".into()),
                languages: "svenska".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("creating {name}: {e}"))
}

/// A new participant of Botkyrka kommun, enrolled today, registered by Kim.
async fn participant(h: &H, coach: &Ctx, org: i64, given: &str, birth_number: u16) -> i64 {
    let today = h.app.today().to_string();
    let mut form = h.input(given, "Palettsson", &pnr("19850315", birth_number), org);
    form.referred_on = today.clone();
    form.intake_date = today;
    h.app
        .register_participant(coach, &form)
        .await
        .expect("registering")
}

pub(crate) async fn coordinators_build_the_palette_and_caseworkers_version_plans(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let af = h.ctx(AF).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;

    // Caseworkers use the palette but do not build it.
    let denied = h
        .app
        .create_intervention(
            &coach,
            &InterventionInput {
                name: "X".into(),
                kind: "other".into(),
                provider_organisation_id: kommun.to_string(),
                project_id: "ordinary".into(),
                ..Default::default()
            },
            None,
        )
        .await;
    assert!(matches!(err(denied), AppError::Forbidden));
    let bad = h
        .app
        .create_intervention(
            &coordinator,
            &InterventionInput {
                name: "X".into(),
                kind: "other".into(),
                provider_organisation_id: "999999".into(),
                project_id: "ordinary".into(),
                ..Default::default()
            },
            None,
        )
        .await;
    assert_eq!(
        invalid_code(bad, "provider_organisation_id"),
        "error-choice"
    );

    let walk = intervention(
        &h,
        &coordinator,
        "Promenadgrupp",
        "health_promoting",
        kommun,
        "",
        true,
        Some(tk),
    )
    .await;
    let course = intervention(
        &h,
        &coordinator,
        "Svenska i butik 2026",
        "course",
        hm,
        "16",
        true,
        None,
    )
    .await;
    for name in ["Svenska och matematik", "Praktik i butik"] {
        h.app
            .create_intervention(
                &coordinator,
                &InterventionInput {
                    name: name.into(),
                    kind: "language_training".into(),
                    provider_organisation_id: hm.to_string(),
                    project_id: "ordinary".into(),
                    ..Default::default()
                },
                Some(course),
            )
            .await
            .expect("module");
    }
    let view = h
        .app
        .intervention(&coordinator, course)
        .await
        .expect("course");
    let modules: Vec<(i64, &str)> = view
        .modules
        .iter()
        .map(|m| (m.position, m.name.as_str()))
        .collect();
    assert_eq!(
        modules,
        vec![(1, "Svenska och matematik"), (2, "Praktik i butik")]
    );
    // A module of a module is refused.
    let nested = h
        .app
        .create_intervention(
            &coordinator,
            &InterventionInput {
                name: "Y".into(),
                kind: "other".into(),
                provider_organisation_id: hm.to_string(),
                project_id: "ordinary".into(),
                ..Default::default()
            },
            Some(view.modules[0].id),
        )
        .await;
    assert!(matches!(err(nested), AppError::NotFound));

    // A plan: two goals, three steps; then changed; both versions kept.
    let p = participant(&h, &coach, kommun, "Hawa", 111).await;
    let first = PlanInput {
        goal_text: v(&["Jag vill kunna prata med kunder", "Jag vill må bättre"]),
        goal_category: v(&["language", "health"]),
        step_intervention: v(&[
            &walk.to_string(),
            &course.to_string(),
            &view.modules[1].id.to_string(),
        ]),
        step_start: v(&["2026-12-01", "", ""]),
        step_end: v(&["2027-02-01", "", ""]),
        step_organisation: v(&[&kommun.to_string(), &hm.to_string(), &hm.to_string()]),
        step_user: v(&["", "", ""]),
        step_note: v(&["Tisdagar", "", "Våren"]),
        ..Default::default()
    };
    assert_eq!(h.app.save_plan(&coach, p, &first).await.expect("plan"), 1);
    let mut second = first.clone();
    second.goal_text[0] = "Jag vill arbeta i butik".into();
    second.goal_category[0] = "work".into();
    assert_eq!(h.app.save_plan(&coach, p, &second).await.expect("plan"), 2);
    let versions = h.app.plan_versions(&coach, p).await.expect("versions");
    assert_eq!(
        versions.iter().map(|(v, _)| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(versions[0].1.goals[0].text, "Jag vill arbeta i butik");
    assert_eq!(
        versions[1].1.goals[0].text,
        "Jag vill kunna prata med kunder"
    );
    assert_eq!(versions[1].1.steps.len(), 3);
    // Someone who may not see her cannot see or change her plan.
    assert!(matches!(
        err(h.app.plan_versions(&af, p).await),
        AppError::NotFound
    ));
    assert!(matches!(
        err(h.app.save_plan(&af, p, &first).await),
        AppError::NotFound
    ));
    // A retired intervention cannot be planned any more.
    h.app
        .retire_intervention(&coordinator, walk)
        .await
        .expect("retire");
    assert_eq!(
        invalid_code(
            h.app.save_plan(&coach, p, &first).await,
            "step_intervention.0"
        ),
        "error-choice"
    );
    assert!(h
        .app
        .palette(&coordinator, false)
        .await
        .expect("palette")
        .iter()
        .all(|i| i.id != walk));
    assert!(h
        .app
        .palette(&coordinator, true)
        .await
        .expect("palette")
        .iter()
        .any(|i| i.id == walk));
}

pub(crate) async fn beyond_capacity_is_a_waiting_list_and_a_freed_place_goes_to_the_first(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let course = intervention(
        &h,
        &coordinator,
        "Datorkurs",
        "course",
        kommun,
        "2",
        false,
        None,
    )
    .await;
    let mut ids = Vec::new();
    for (i, name) in ["Asma", "Dilan", "Rana", "Selam"].iter().enumerate() {
        let p = participant(&h, &coach, kommun, name, 200 + i as u16).await;
        let (e, status) = h
            .app
            .enrol(&coach, p, &course.to_string(), "", "", "")
            .await
            .expect("enrol");
        ids.push((p, e, status));
    }
    let statuses: Vec<EnrolmentStatus> = ids.iter().map(|x| x.2).collect();
    use EnrolmentStatus::*;
    assert_eq!(statuses, vec![Planned, Planned, Waiting, Waiting]);
    // Enrolling twice is refused.
    assert_eq!(
        invalid_code(
            h.app
                .enrol(&coach, ids[0].0, &course.to_string(), "", "", "")
                .await,
            "intervention_id"
        ),
        "error-already-enrolled-here"
    );
    // Discontinuing needs a reason; then Rana, first in line, is offered the place.
    assert_eq!(
        invalid_code(
            h.app
                .change_enrolment(&coach, ids[0].1, "discontinued", "")
                .await,
            "reason"
        ),
        "error-required"
    );
    let offered = h
        .app
        .change_enrolment(&coach, ids[0].1, "discontinued", "Flyttade")
        .await
        .expect("discontinue");
    assert_eq!(offered, Some(ids[2].1));
    let list = h
        .app
        .enrolments(&coach, ids[2].0)
        .await
        .expect("enrolments");
    assert_eq!(list[0].status, Offered);
    // Selam still waits; accepting the offer keeps the count at capacity.
    h.app
        .change_enrolment(&coach, ids[2].1, "planned", "")
        .await
        .expect("accept");
    let view = h
        .app
        .intervention(&coordinator, course)
        .await
        .expect("view");
    assert_eq!(view.places_taken, 2);
    let waiting: Vec<i64> = view
        .enrolments
        .iter()
        .filter(|e| e.status == Waiting)
        .map(|e| e.participant_id)
        .collect();
    assert_eq!(waiting, vec![ids[3].0]);
    // Not every move is allowed.
    assert_eq!(
        invalid_code(
            h.app
                .change_enrolment(&coach, ids[1].1, "completed", "")
                .await,
            "status"
        ),
        "error-transition-not-allowed"
    );
}

pub(crate) async fn attendance_time_and_reports_add_up(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    // The demo has time of its own: compare against it.
    let before = h.app.reports(&coordinator).await.expect("reports");
    let coach = h.ctx(COACH).await;
    let af = h.ctx(AF).await;
    let handledare = h.ctx(HANDLEDARE).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;
    let walk = intervention(
        &h,
        &coordinator,
        "Promenadgrupp",
        "health_promoting",
        kommun,
        "",
        true,
        Some(tk),
    )
    .await;
    let coaching = intervention(
        &h,
        &coordinator,
        "Vägledning",
        "guidance",
        hm,
        "",
        false,
        None,
    )
    .await;
    let group = h
        .app
        .create_group(&coach, walk, "Tisdagar", "")
        .await
        .expect("group");
    // Only the provider's staff (or a coordinator) runs the group.
    assert!(matches!(
        err(h.app.create_group(&af, walk, "X", "").await),
        AppError::Forbidden
    ));
    let start = h.app.today();
    let n = h
        .app
        .schedule(
            &coach,
            group,
            &ScheduleInput {
                from: start.to_string(),
                until: start
                    .checked_add(jiff::Span::new().weeks(2))
                    .expect("date")
                    .to_string(),
                start_time: "10:00".into(),
                minutes: "120".into(),
                place: "Tumba".into(),
            },
        )
        .await
        .expect("schedule");
    assert_eq!(n, 3);
    let mut people = Vec::new();
    for (i, name) in ["Aisha", "Elif", "Huda"].iter().enumerate() {
        let p = participant(&h, &coach, kommun, name, 300 + i as u16).await;
        h.app
            .enrol(&coach, p, &walk.to_string(), &group.to_string(), "", "")
            .await
            .expect("enrol");
        people.push(p);
    }
    let (_, sessions, may_run) = h.app.group(&coach, group).await.expect("group");
    assert!(may_run);
    let sheet = h
        .app
        .attendance_sheet(&coach, sessions[0].id)
        .await
        .expect("sheet");
    assert_eq!(sheet.roster.len(), 3);
    assert!(matches!(
        err(h.app.attendance_sheet(&af, sessions[0].id).await),
        AppError::NotFound
    ));
    let rows = |statuses: [&str; 3]| -> Vec<(String, String)> {
        people
            .iter()
            .zip(statuses)
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect()
    };
    // Everyone must be given a status, and only group members.
    let partial = vec![(people[0].to_string(), "present".to_string())];
    assert_eq!(
        invalid_code(
            h.app
                .record_attendance(&coach, sessions[0].id, &partial)
                .await,
            &format!("attendance.{}", people[1])
        ),
        "error-required"
    );
    assert_eq!(
        h.app
            .record_attendance(
                &coach,
                sessions[0].id,
                &rows(["present", "absent_notice", "absent"])
            )
            .await
            .expect("record"),
        3
    );
    // Recording again replaces, never doubles.
    h.app
        .record_attendance(
            &coach,
            sessions[0].id,
            &rows(["present", "absent_notice", "absent"]),
        )
        .await
        .expect("record");
    h.app
        .record_attendance(
            &coach,
            sessions[1].id,
            &rows(["present", "present", "present"]),
        )
        .await
        .expect("record");
    h.app
        .record_attendance(
            &coach,
            sessions[2].id,
            &rows(["absent", "absent", "absent"]),
        )
        .await
        .expect("record");
    // The third session is cancelled: its absences vanish and it cannot be recorded.
    h.app
        .cancel_session(&coach, sessions[2].id, "Pandemin")
        .await
        .expect("cancel");
    assert_eq!(
        invalid_code(
            h.app
                .record_attendance(
                    &coach,
                    sessions[2].id,
                    &rows(["present", "present", "present"])
                )
                .await,
            "session"
        ),
        "error-session-cancelled"
    );

    // An individual activity in ordinary operations, by Hela Människan's supervisor.
    let e = h
        .app
        .record_activity(
            &coordinator,
            people[0],
            &coaching.to_string(),
            &start.to_string(),
            "1,5",
            "Samtal",
        )
        .await;
    assert!(e.is_ok(), "{e:?}");
    assert_eq!(
        invalid_code(
            h.app
                .record_activity(
                    &coach,
                    people[0],
                    &coaching.to_string(),
                    &start.to_string(),
                    "25",
                    ""
                )
                .await,
            "hours"
        ),
        "error-number"
    );

    let aisha: i64 = h
        .app
        .time_rows(&coach, people[0])
        .await
        .expect("time")
        .iter()
        .map(|r| r.minutes)
        .sum();
    assert_eq!(aisha, 120 + 120 + 90);
    let reports = h.app.reports(&coordinator).await.expect("reports");
    let walk_row = reports
        .attendance
        .iter()
        .find(|r| r.0 == "Promenadgrupp")
        .expect("walk");
    assert_eq!(
        (walk_row.2, walk_row.3, walk_row.4),
        (4, 1, 1),
        "the cancelled session counts for nothing"
    );
    assert_eq!(
        palett_app::palette::attendance_rate(walk_row.2, walk_row.3, walk_row.4),
        Some(66.7)
    );
    let partner = |name: &str| {
        let of = |r: &palett_app::palette::Reports| {
            r.minutes_by_partner
                .iter()
                .find(|x| x.0 == name)
                .map(|x| (x.1, x.2))
                .unwrap_or((0, 0))
        };
        let (a, b) = (of(&reports), of(&before));
        (a.0 - b.0, a.1 - b.1)
    };
    assert_eq!(
        partner(BOTKYRKA_KOMMUN),
        (4 * 120, 0),
        "project time of the walk"
    );
    assert_eq!(partner(HELA_MANNISKAN), (0, 90), "ordinary operations");
    let total = |r: &palett_app::palette::Reports| -> i64 {
        r.minutes_by_partner.iter().map(|x| x.1 + x.2).sum()
    };
    let total_report = total(&reports) - total(&before);
    let mut total_people = 0;
    for p in &people {
        total_people += h
            .app
            .time_rows(&coordinator, *p)
            .await
            .expect("time")
            .iter()
            .map(|r| r.minutes)
            .sum::<i64>();
    }
    assert_eq!(
        total_report, total_people,
        "the report's totals are the recorded time"
    );
    let month = start.to_string()[..7].to_string();
    let cancelled: i64 = reports
        .sessions_per_month
        .iter()
        .filter(|r| r.0 >= month)
        .map(|r| r.1)
        .sum();
    assert_eq!(cancelled, 1);
    // Hela Människan's supervisor now works with Aisha (she is enrolled in
    // nothing of theirs, so still no access), the coach sees her timeline.
    assert!(matches!(
        err(h.app.timeline(&handledare, people[0]).await),
        AppError::NotFound
    ));
    let timeline = h.app.timeline(&coach, people[0]).await.expect("timeline");
    assert!(timeline.iter().any(|t| t.kind == "timeline-time"));
    assert!(timeline.iter().any(|t| t.kind == "transition-intake"));
}

pub(crate) async fn extensions_and_pauses_change_net_time(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let p = participant(&h, &coach, kommun, "Meron", 401).await;
    let day = 86_400;
    let intake = h.app.today();
    let six_months = intake
        .checked_add(jiff::Span::new().days(180))
        .expect("date");
    h.app
        .set_planned_end(&coach, p, &six_months.to_string(), "")
        .await
        .expect("planned end");
    h.advance_secs(30 * day);
    let v = h.app.period(&coach, p).await.expect("period");
    assert_eq!(
        (v.net_days, v.paused_days, v.remaining_days),
        (30, 0, Some(150))
    );
    h.app
        .transition(
            &coach,
            p,
            Transition::Pause {
                on: h.app.today(),
                kind: PauseKind::Sickness,
                reason: "Sjukskriven".into(),
            },
        )
        .await
        .expect("pause");
    h.advance_secs(20 * day);
    let v = h.app.period(&coach, p).await.expect("period");
    assert_eq!(
        (v.net_days, v.paused_days, v.remaining_days),
        (30, 20, Some(150)),
        "a pause stops the clock"
    );
    h.app
        .transition(&coach, p, Transition::Resume { on: h.app.today() })
        .await
        .expect("resume");
    h.advance_secs(10 * day);
    let v = h.app.period(&coach, p).await.expect("period");
    assert_eq!(
        (v.net_days, v.paused_days, v.remaining_days),
        (40, 20, Some(140))
    );
    // Extending needs a reason, and adds the days to what remains.
    let year = intake
        .checked_add(jiff::Span::new().days(365))
        .expect("date");
    assert_eq!(
        invalid_code(
            h.app
                .set_planned_end(&coach, p, &year.to_string(), " ")
                .await,
            "reason"
        ),
        "error-required"
    );
    h.app
        .set_planned_end(&coach, p, &year.to_string(), "Sex månader räckte inte")
        .await
        .expect("extend");
    let v = h.app.period(&coach, p).await.expect("period");
    assert_eq!((v.net_days, v.remaining_days), (40, Some(325)));
    assert_eq!(v.changes.len(), 2);
    assert_eq!(
        v.changes[1].reason.as_deref(),
        Some("Sex månader räckte inte")
    );
    assert_eq!(
        invalid_code(
            h.app
                .set_planned_end(&coach, p, &intake.to_string(), "x")
                .await,
            "planned_end"
        ),
        "error-before-intake"
    );
}
