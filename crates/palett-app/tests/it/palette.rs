//! The palette and individual paths: interventions, courses, plans,
//! periods, enrolments and waiting lists, groups, attendance and time.

use crate::harness::*;
use jiff::civil::{date, Date};
use palett_app::Ctx;
use palett_domain::lifecycle::Transition;
use palett_domain::palette::{EnrolmentStatus, InterventionInput, PauseKind};
use palett_domain::path::*;
use palett_domain::plan::PlanInput;

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn intervention(
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
        .submit_intervention(
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
pub(crate) async fn participant(
    h: &H,
    coach: &Ctx,
    org: i64,
    given: &str,
    birth_number: u16,
) -> i64 {
    let today = h.app.today().to_string();
    let mut form = h.input(given, "Palettsson", &pnr("19850315", birth_number), org);
    form.referred_on = today.clone();
    form.intake_date = today;
    h.register(coach, &form).await
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
        .submit_intervention(
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
    forbidden(denied);
    let bad = h
        .app
        .submit_intervention(
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
    assert_invalid(bad, "provider_organisation_id", "error-choice");

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
            .submit_intervention(
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
        .submit_intervention(
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
    not_found(nested);

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
    assert_eq!(h.app.submit_plan(&coach, p, &first).await.expect("plan"), 1);
    let mut second = first.clone();
    second.goal_text[0] = "Jag vill arbeta i butik".into();
    second.goal_category[0] = "work".into();
    assert_eq!(
        h.app.submit_plan(&coach, p, &second).await.expect("plan"),
        2
    );
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
    not_found(h.app.plan_versions(&af, p).await);
    not_found(h.app.submit_plan(&af, p, &first).await);
    // A retired intervention cannot be planned any more.
    h.app
        .retire_intervention(&coordinator, walk)
        .await
        .expect("retire");
    assert_invalid(
        h.app.submit_plan(&coach, p, &first).await,
        "step_intervention.0",
        "error-choice",
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
            .enrol(&coach, p, &Enrol::in_intervention(course))
            .await
            .expect("enrol");
        ids.push((p, e, status));
    }
    let statuses: Vec<EnrolmentStatus> = ids.iter().map(|x| x.2).collect();
    use EnrolmentStatus::*;
    assert_eq!(statuses, vec![Planned, Planned, Waiting, Waiting]);
    // Enrolling twice is refused.
    assert_invalid(
        h.app
            .enrol(&coach, ids[0].0, &Enrol::in_intervention(course))
            .await,
        "intervention_id",
        "error-already-enrolled-here",
    );
    // Discontinuing needs a reason; then Rana, first in line, is offered the place.
    assert_invalid(
        parsed(change_input("discontinued", "").parse()),
        "reason",
        "error-required",
    );
    let offered = h
        .app
        .change_enrolment(&coach, ids[0].1, &change("discontinued", "Flyttade"))
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
        .change_enrolment(&coach, ids[2].1, &change("planned", ""))
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
    assert_invalid(
        h.app
            .change_enrolment(&coach, ids[1].1, &change("completed", ""))
            .await,
        "status",
        "error-transition-not-allowed",
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
    // Time is charged to a project only within its period: a running one.
    let tk = running_project(&h, &coordinator).await;
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
        .create_group(&coach, walk, &new_group("Tisdagar"))
        .await
        .expect("group");
    // Only the provider's staff (or a coordinator) runs the group.
    forbidden(h.app.create_group(&af, walk, &new_group("X")).await);
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
            }
            .parse()
            .expect("a valid schedule"),
        )
        .await
        .expect("schedule");
    assert_eq!(n, 3);
    let mut people = Vec::new();
    for (i, name) in ["Aisha", "Elif", "Huda"].iter().enumerate() {
        let p = participant(&h, &coach, kommun, name, 300 + i as u16).await;
        h.app
            .enrol(&coach, p, &Enrol::in_group(walk, group))
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
    not_found(h.app.attendance_sheet(&af, sessions[0].id).await);
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
                .record_attendance(&coach, sessions[0].id, &marks(&partial))
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
                &marks(&rows(["present", "absent_notice", "absent"]))
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
            &marks(&rows(["present", "absent_notice", "absent"])),
        )
        .await
        .expect("record");
    // Later sessions are recorded once they have been held.
    h.advance_secs(14 * 86_400);
    h.app
        .record_attendance(
            &coach,
            sessions[1].id,
            &marks(&rows(["present", "present", "present"])),
        )
        .await
        .expect("record");
    h.app
        .record_attendance(
            &coach,
            sessions[2].id,
            &marks(&rows(["absent", "absent", "absent"])),
        )
        .await
        .expect("record");
    // The third session is cancelled: its absences vanish and it cannot be recorded.
    h.app
        .cancel_session(
            &coach,
            sessions[2].id,
            &SessionCancel {
                reason: "Pandemin".into(),
            },
        )
        .await
        .expect("cancel");
    assert_invalid(
        h.app
            .record_attendance(
                &coach,
                sessions[2].id,
                &marks(&rows(["present", "present", "present"])),
            )
            .await,
        "session",
        "error-session-cancelled",
    );

    // An individual activity in ordinary operations, by Hela Människan's supervisor.
    let e = h
        .app
        .record_activity(
            &coordinator,
            people[0],
            &activity(coaching, start, "1,5", "Samtal", h.app.today()),
        )
        .await;
    assert!(e.is_ok(), "{e:?}");
    assert_invalid(
        parsed(activity_input(coaching, start, "25", "").parse(h.app.today())),
        "hours",
        "error-number",
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
        .find(|r| r.intervention == "Promenadgrupp")
        .expect("walk");
    assert_eq!(
        (walk_row.present, walk_row.absent_notice, walk_row.absent),
        (4, 1, 1),
        "the cancelled session counts for nothing"
    );
    assert_eq!(
        palett_app::palette::attendance_rate(
            walk_row.present,
            walk_row.absent_notice,
            walk_row.absent
        ),
        Some(66.7)
    );
    let partner = |name: &str| {
        let of = |r: &palett_app::palette::Reports| {
            r.minutes_by_partner
                .iter()
                .find(|x| x.partner == name)
                .map(|x| (x.project_minutes, x.ordinary_minutes))
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
        r.minutes_by_partner
            .iter()
            .map(|x| x.project_minutes + x.ordinary_minutes)
            .sum()
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
        .filter(|r| r.month >= month)
        .map(|r| r.cancelled)
        .sum();
    assert_eq!(cancelled, 1);
    // Hela Människan's supervisor now works with Aisha (she is enrolled in
    // nothing of theirs, so still no access), the coach sees her timeline.
    not_found(h.app.timeline(&handledare, people[0]).await);
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
        .set_planned_end(&coach, p, &planned_end(six_months, ""))
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
    assert_invalid(
        h.app
            .set_planned_end(&coach, p, &planned_end(year, " "))
            .await,
        "reason",
        "error-required",
    );
    h.app
        .set_planned_end(&coach, p, &planned_end(year, "Sex månader räckte inte"))
        .await
        .expect("extend");
    let v = h.app.period(&coach, p).await.expect("period");
    assert_eq!((v.net_days, v.remaining_days), (40, Some(325)));
    assert_eq!(v.changes.len(), 2);
    assert_eq!(
        v.changes[1].reason.as_deref(),
        Some("Sex månader räckte inte")
    );
    assert_invalid(
        h.app
            .set_planned_end(&coach, p, &planned_end(intake, "x"))
            .await,
        "planned_end",
        "error-before-intake",
    );
}

/// A participant of `org` taken in on `intake`, registered by `by`; with
/// `shared`, her consent to share with every partner; in `project`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn taken_in(
    h: &H,
    by: &Ctx,
    org: i64,
    given: &str,
    n: u16,
    intake: Date,
    shared: bool,
    project: Option<i64>,
) -> i64 {
    let mut form = if shared {
        h.input(given, "Närvarosson", &pnr("19860412", n), org)
    } else {
        input(given, "Närvarosson", &pnr("19860412", n), org)
    };
    form.referred_on = intake.to_string();
    form.intake_date = intake.to_string();
    form.project_ids = project.iter().map(|p| p.to_string()).collect();
    h.register(by, &form).await
}

/// A group-based walk of Botkyrka kommun (`kommun`) in `project` and a
/// group of it made by `coach`, named by `names`: (walk, group).
pub(crate) async fn walking_group(
    h: &H,
    coordinator: &Ctx,
    coach: &Ctx,
    kommun: i64,
    project: i64,
    names: (&str, &str),
) -> (i64, i64) {
    let walk = intervention(
        h,
        coordinator,
        names.0,
        "health_promoting",
        kommun,
        "",
        true,
        Some(project),
    )
    .await;
    let group = h
        .app
        .create_group(coach, walk, &new_group(names.1))
        .await
        .expect("group");
    (walk, group)
}

/// A project running in 2026–2027.
pub(crate) async fn running_project(h: &H, coordinator: &Ctx) -> i64 {
    h.app
        .submit_project(
            coordinator,
            &palett_app::projects::ProjectInput {
                name: "Närvaro i Botkyrka".into(),
                funder: "ESF+".into(),
                start_date: "2026-01-01".into(),
                end_date: "2027-12-31".into(),
                participant_target: "40".into(),
                job_or_studies_target: "20".into(),
            },
        )
        .await
        .expect("a running project")
}

/// Weekly sessions of a group from `from`, `weeks` + 1 of them, two hours each.
pub(crate) async fn sessions(h: &H, by: &Ctx, group: i64, from: Date, weeks: i64) -> Vec<i64> {
    h.app
        .schedule(
            by,
            group,
            &ScheduleInput {
                from: from.to_string(),
                until: if weeks == 0 {
                    String::new()
                } else {
                    from.checked_add(jiff::Span::new().weeks(weeks))
                        .expect("date")
                        .to_string()
                },
                start_time: "10:00".into(),
                minutes: "120".into(),
                place: "Tumba".into(),
            }
            .parse()
            .expect("a valid schedule"),
        )
        .await
        .expect("schedule");
    let (_, all, _) = h.app.group(by, group).await.expect("group");
    all.iter().map(|s| s.id).collect()
}

async fn minutes_of(h: &H, ctx: &Ctx, participant: i64) -> i64 {
    h.app
        .time_rows(ctx, participant)
        .await
        .expect("her time")
        .iter()
        .map(|r| r.minutes)
        .sum()
}

async fn audit_rows(h: &H, action: &str, participant: i64) -> i64 {
    let mut c = h.app.raw_db().read().await.expect("connection");
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND participant_id = $2")
        .bind(action)
        .bind(participant)
        .fetch_one(&mut *c)
        .await
        .expect("audit rows")
}

/// Issue 10.1: saving a sheet writes only the rows on it. Two
/// organisations record the same session, each its own women; a woman
/// whose enrolment ended after she attended keeps her hours; the ESF+
/// monthly hours do not move on a re-save; a correction keeps the earlier
/// value, in her timeline and in the audit log.
pub(crate) async fn saving_attendance_touches_only_the_sheet_and_keeps_corrections(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let handledare = h.ctx(HANDLEDARE).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let project = running_project(&h, &coordinator).await;
    let (walk, group) = walking_group(
        &h,
        &coordinator,
        &coach,
        kommun,
        project,
        ("Stavgång", "Måndagar"),
    )
    .await;
    let today = h.app.today();
    // Amal and Berivan are the municipality's; Dunia is Hela Människan's and
    // has shared nothing, so the municipality's sheet does not show her.
    let amal = taken_in(&h, &coach, kommun, "Amal", 401, today, false, Some(project)).await;
    let berivan = taken_in(
        &h,
        &coach,
        kommun,
        "Berivan",
        402,
        today,
        false,
        Some(project),
    )
    .await;
    let dunia = taken_in(
        &h,
        &handledare,
        hm,
        "Dunia",
        403,
        today,
        false,
        Some(project),
    )
    .await;
    let mut enrolment_of = std::collections::HashMap::new();
    for (who, by) in [(amal, &coach), (berivan, &coach), (dunia, &handledare)] {
        let (e, _) = h
            .app
            .enrol(by, who, &Enrol::in_group(walk, group))
            .await
            .expect("enrol");
        enrolment_of.insert(who, e);
    }
    let s = sessions(&h, &coach, group, today, 0).await[0];
    let on_sheet = |sheet: &palett_app::palette::AttendanceSheet| -> Vec<i64> {
        sheet.roster.iter().map(|r| r.0).collect()
    };
    let kommun_sheet = h.app.attendance_sheet(&coach, s).await.expect("sheet");
    assert_eq!(on_sheet(&kommun_sheet), vec![amal, berivan]);
    let hm_sheet = h
        .app
        .attendance_sheet(&coordinator, s)
        .await
        .expect("sheet");
    assert_eq!(on_sheet(&hm_sheet), vec![dunia]);
    let row = |p: i64, st: &str| (p.to_string(), st.to_string());
    h.app
        .record_attendance(
            &coach,
            s,
            &marks(&[row(amal, "present"), row(berivan, "present")]),
        )
        .await
        .expect("the municipality's women");
    h.app
        .record_attendance(&coordinator, s, &marks(&[row(dunia, "present")]))
        .await
        .expect("Hela Människan's woman");
    let month = today.to_string()[..7].to_string();
    let esf = |lines: &[palett_store::indicators::MonthLine]| -> Vec<(i64, i64)> {
        let mut v: Vec<(i64, i64)> = lines
            .iter()
            .map(|l| (l.participant_id, l.minutes))
            .collect();
        v.sort_unstable();
        v
    };
    let (_, before) = h
        .app
        .submit_esf_month(&coordinator, project, &month)
        .await
        .expect("ESF+ month");
    assert_eq!(esf(&before), vec![(dunia, 120)]);

    // The municipality saves its sheet again: Dunia's row stays.
    h.app
        .record_attendance(
            &coach,
            s,
            &marks(&[row(amal, "present"), row(berivan, "present")]),
        )
        .await
        .expect("saved again");
    assert_eq!(
        minutes_of(&h, &coordinator, dunia).await,
        120,
        "on {:?}",
        h.backend
    );
    let (_, after) = h
        .app
        .submit_esf_month(&coordinator, project, &month)
        .await
        .expect("ESF+ month");
    assert_eq!(esf(&after), esf(&before), "a re-save moves no ESF+ hours");
    assert_eq!(
        audit_rows(&h, "attendance.correct", amal).await,
        0,
        "nothing changed"
    );

    // Berivan's enrolment ends after she attended; a re-save keeps her hours.
    h.app
        .change_enrolment(
            &coach,
            enrolment_of[&berivan],
            &change("discontinued", "Flyttade"),
        )
        .await
        .expect("discontinued");
    let sheet = h.app.attendance_sheet(&coach, s).await.expect("sheet");
    let again: Vec<(String, String)> = sheet
        .roster
        .iter()
        .map(|(p, _, st)| row(*p, st.map_or("present", |st| st.as_str())))
        .collect();
    h.app
        .record_attendance(&coach, s, &marks(&again))
        .await
        .expect("saved again");
    assert_eq!(minutes_of(&h, &coach, berivan).await, 120);
    assert_eq!(minutes_of(&h, &coordinator, dunia).await, 120);

    // Amal was in fact absent: the correction keeps what was recorded.
    h.advance_secs(3600);
    let mut corrected: Vec<(String, String)> = again.clone();
    for r in corrected.iter_mut().filter(|r| r.0 == amal.to_string()) {
        r.1 = "absent".into();
    }
    h.app
        .record_attendance(&coach, s, &marks(&corrected))
        .await
        .expect("corrected");
    assert_eq!(minutes_of(&h, &coach, amal).await, 0);
    assert_eq!(audit_rows(&h, "attendance.correct", amal).await, 1);
    assert_eq!(audit_rows(&h, "attendance.correct", berivan).await, 0);
    let timeline = h.app.timeline(&coach, amal).await.expect("timeline");
    let line = timeline
        .iter()
        .find(|t| t.kind == "timeline-attendance-corrected")
        .expect("the correction is in her timeline");
    assert_eq!(
        line.change,
        Some(("attendance-present".into(), "attendance-absent".into())),
        "what it was and what it became"
    );
    assert!(line.text.contains("Stavgång"), "{}", line.text);
    assert_eq!(minutes_of(&h, &coordinator, dunia).await, 120);
}

/// Issue 10.2: attendance and time that cannot be true are refused, each
/// with its own message.
pub(crate) async fn attendance_and_time_that_cannot_be_true_are_refused(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;
    let project = running_project(&h, &coordinator).await;
    let today = h.app.today();
    let days = |n: i64| today.checked_add(jiff::Span::new().days(n)).expect("date");
    let (walk, group) = walking_group(
        &h,
        &coordinator,
        &coach,
        kommun,
        project,
        ("Stavgång", "Måndagar"),
    )
    .await;
    let early = taken_in(&h, &coach, kommun, "Farah", 411, days(-20), true, None).await;
    let late = taken_in(&h, &coach, kommun, "Gulnar", 412, today, true, None).await;
    let leaving = taken_in(&h, &coach, kommun, "Hana", 413, days(-20), true, None).await;
    for who in [early, late, leaving] {
        h.app
            .enrol(&coach, who, &Enrol::in_group(walk, group))
            .await
            .expect("enrol");
    }
    h.app
        .transition(
            &coach,
            leaving,
            Transition::Exit {
                on: days(-2),
                outcome: palett_domain::lifecycle::ExitOutcome::Studies,
            },
        )
        .await
        .expect("Hana ends");
    let ids = sessions(&h, &coach, group, days(-7), 2).await;
    let (last_week, next_week) = (ids[0], ids[2]);
    let row = |p: i64| (p.to_string(), "present".to_string());

    // A week ago Farah and Hana were in the programme, Gulnar not yet.
    let sheet = h
        .app
        .attendance_sheet(&coach, last_week)
        .await
        .expect("sheet");
    assert_eq!(
        sheet.roster.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![early, leaving],
        "Gulnar was not yet taken in"
    );
    assert_eq!(
        invalid_code(
            h.app
                .record_attendance(&coach, last_week, &marks(&[row(early), row(late)]))
                .await,
            &format!("attendance.{late}")
        ),
        "error-attendance-before-intake"
    );
    assert_eq!(
        invalid_code(
            h.app
                .record_attendance(&coach, ids[1], &marks(&[row(early), row(leaving)]))
                .await,
            &format!("attendance.{leaving}")
        ),
        "error-attendance-after-exit"
    );
    assert_invalid(
        h.app
            .record_attendance(&coach, next_week, &marks(&[row(early), row(late)]))
            .await,
        "session",
        "error-attendance-future",
    );
    h.app
        .record_attendance(&coach, last_week, &marks(&[row(early), row(leaving)]))
        .await
        .expect("Farah attended");
    assert_eq!(minutes_of(&h, &coach, early).await, 120);

    // Time charged to Tillväxt Kvinna, which ended in 2021, is refused: its
    // sessions cannot be planned, or moved, after it ended…
    let old = intervention(
        &h,
        &coordinator,
        "Jobbcoachning",
        "guidance",
        kommun,
        "",
        true,
        Some(tk),
    )
    .await;
    let old_group = h
        .app
        .create_group(&coach, old, &new_group("Tisdagar"))
        .await
        .expect("group");
    let plan = |from: Date, until: &str| ScheduleInput {
        from: from.to_string(),
        until: until.into(),
        start_time: "10:00".into(),
        minutes: "60".into(),
        place: String::new(),
    };
    assert_invalid(
        h.app
            .schedule(&coach, old_group, &plan(today, "").parse().expect("valid"))
            .await,
        "from",
        "error-outside-project-period",
    );
    assert_invalid(
        h.app
            .schedule(
                &coach,
                old_group,
                &plan(date(2021, 10, 5), "2021-12-31")
                    .parse()
                    .expect("valid"),
            )
            .await,
        "until",
        "error-outside-project-period",
    );
    let old_session = sessions(&h, &coach, old_group, date(2021, 10, 5), 0).await[0];
    assert_invalid(
        h.app
            .move_session(
                &coach,
                old_session,
                &SessionMove {
                    on_date: today,
                    start_time: "10:00".into(),
                },
            )
            .await,
        "on_date",
        "error-outside-project-period",
    );
    let hour_in = |intervention: i64, on: Date| {
        let app = &h.app;
        let coach = &coach;
        async move {
            app.record_activity(coach, early, &activity(intervention, on, "1", "", today))
                .await
        }
    };
    assert_invalid(
        hour_in(old, today).await,
        "on_date",
        "error-outside-project-period",
    );
    assert_invalid(
        hour_in(walk, days(-30)).await,
        "on_date",
        "error-attendance-before-intake",
    );
    let hana = h
        .app
        .record_activity(&coach, leaving, &activity(walk, today, "1", "", today))
        .await;
    assert_invalid(hana, "on_date", "error-attendance-after-exit");
    hour_in(walk, today)
        .await
        .expect("time within her period and the project's");
    assert_eq!(minutes_of(&h, &coach, early).await, 180);
    // When a project's period is shortened, attendance after its new end
    // is refused.
    let mut shorter = h
        .app
        .project_input(&coordinator, project)
        .await
        .expect("the project");
    shorter.end_date = days(-1).to_string();
    h.app
        .submit_project_update(&coordinator, project, &shorter)
        .await
        .expect("shortened");
    assert_invalid(
        h.app
            .record_attendance(&coach, ids[1], &marks(&[row(early)]))
            .await,
        "session",
        "error-outside-project-period",
    );
}

/// Issue 10.3: an exit ends her open enrolments on the exit date, takes
/// her off later sheets and frees her places for the waiting list; a
/// reopening restores none of them.
pub(crate) async fn an_exit_closes_her_path(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let project = running_project(&h, &coordinator).await;
    let today = h.app.today();
    let course = intervention(
        &h,
        &coordinator,
        "Svenska för yrkeslivet",
        "language_training",
        kommun,
        "1",
        true,
        Some(project),
    )
    .await;
    let group = h
        .app
        .create_group(&coach, course, &new_group("Onsdagar"))
        .await
        .expect("group");
    let start = today.checked_sub(jiff::Span::new().days(10)).expect("date");
    let leaving = taken_in(&h, &coach, kommun, "Iman", 421, start, true, None).await;
    let waiting = taken_in(&h, &coach, kommun, "Jamila", 422, start, true, None).await;
    let (mine, st) = h
        .app
        .enrol(&coach, leaving, &Enrol::in_group(course, group))
        .await
        .expect("enrol");
    assert_eq!(st, EnrolmentStatus::Planned);
    let (theirs, st) = h
        .app
        .enrol(&coach, waiting, &Enrol::in_group(course, group))
        .await
        .expect("enrol");
    assert_eq!(st, EnrolmentStatus::Waiting);
    let ids = sessions(&h, &coach, group, today, 1).await;

    h.app
        .transition(
            &coach,
            leaving,
            Transition::Exit {
                on: today,
                outcome: palett_domain::lifecycle::ExitOutcome::EmploymentUnsubsidised,
            },
        )
        .await
        .expect("she ends");
    let e = h.app.enrolment(&coach, mine).await.expect("her enrolment");
    assert_eq!(
        (e.status, e.end_date),
        (EnrolmentStatus::Discontinued, Some(today))
    );
    let next = h
        .app
        .enrolment(&coach, theirs)
        .await
        .expect("the next in line");
    assert_eq!(
        next.status,
        EnrolmentStatus::Offered,
        "the waiting list moves on"
    );
    // She attended today; next week's sheet no longer has her.
    let sheet = h
        .app
        .attendance_sheet(&coach, ids[0])
        .await
        .expect("today's sheet");
    assert!(sheet.roster.iter().any(|r| r.0 == leaving));
    h.advance_secs(8 * 86_400);
    let sheet = h
        .app
        .attendance_sheet(&coach, ids[1])
        .await
        .expect("next week's sheet");
    assert!(
        !sheet.roster.iter().any(|r| r.0 == leaving),
        "off later sheets"
    );

    h.app
        .transition(
            &h.ctx(KOMMUN_COORDINATOR).await,
            leaving,
            Transition::Reopen {
                on: h.app.today(),
                reason: "Tillbaka efter avbrutet arbete".into(),
            },
        )
        .await
        .expect("reopened");
    let e = h.app.enrolment(&coach, mine).await.expect("her enrolment");
    assert_eq!(
        e.status,
        EnrolmentStatus::Discontinued,
        "a reopening restores nothing"
    );
}
