//! Feedback and flow: an intake that starts her at once, plan steps that
//! make their enrolments and an enrolment that becomes a plan step, each
//! one change that is saved whole or not at all.

use crate::harness::*;
use crate::palette::{intervention, participant};
use jiff::civil::date;
use palett_app::filters::AuditFilter;
use palett_app::participants::Page;
use palett_app::Ctx;
use palett_domain::lifecycle::{Status, TransitionKind};
use palett_domain::palette::EnrolmentStatus;
use palett_domain::path::Enrol;
use palett_domain::plan::PlanInput;

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Her audit entries as (action, entity), oldest first.
async fn her_log(h: &H, reader: &Ctx, id: i64) -> Vec<(String, String)> {
    let mut log: Vec<(String, String)> = h
        .audit_log(
            reader,
            &AuditFilter {
                participant_id: Some(id),
                ..AuditFilter::default()
            },
            Page::new(None, Some(200)),
        )
        .await
        .into_iter()
        .filter(|e| e.action != "participant.read" && e.action != "plan.read")
        .map(|e| (e.action, e.entity))
        .collect();
    log.reverse();
    log
}

fn kinds(v: &palett_app::participants::ParticipantView) -> Vec<TransitionKind> {
    v.history.iter().map(|e| e.kind).collect()
}

pub(crate) async fn an_intake_starts_her_at_once_in_one_change(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let org = coach.user.organisation_id;

    // Registered with an intake and "start at once": active, on the
    // intake day, with both changes of status in her history and the log.
    let mut form = h.input("Ifrah", "Startsson", &pnr("19860101", 123), org);
    form.intake_date = "2026-11-20".into();
    form.start_now = "true".into();
    let ifrah = h.register(&ctx, &form).await;
    let view = h.read(&ctx, ifrah).await;
    assert_eq!(view.participant.state.status, Status::Active);
    assert_eq!(view.participant.state.intake_date, Some(date(2026, 11, 20)));
    assert_eq!(
        kinds(&view),
        [
            TransitionKind::Referral,
            TransitionKind::Intake,
            TransitionKind::Start
        ]
    );
    assert_eq!(view.history[2].on_date, date(2026, 11, 20));
    let log = her_log(&h, &coordinator, ifrah).await;
    assert!(
        log.contains(&("participant.create".into(), "participant".into())),
        "{log:?}"
    );
    assert!(
        log.contains(&("participant.transition".into(), "start".into())),
        "{log:?}"
    );

    // A start day of her own, after the intake.
    let mut form = h.input("Sagal", "Startsson", &pnr("19860202", 124), org);
    form.intake_date = "2026-11-20".into();
    form.start_now = "true".into();
    form.start_on = "2026-11-23".into();
    let sagal = h.register(&ctx, &form).await;
    let view = h.read(&ctx, sagal).await;
    assert_eq!(view.participant.state.status, Status::Active);
    assert_eq!(view.history[2].on_date, date(2026, 11, 23));

    // A start before the intake, or in the future, is refused on the
    // start day and nothing is saved.
    for (on, code) in [
        ("2026-11-19", "error-before-intake"),
        ("2026-11-26", "error-date-future"),
    ] {
        let mut form = h.input("Nimco", "Tidigsson", &pnr("19860303", 125), org);
        form.intake_date = "2026-11-20".into();
        form.start_now = "true".into();
        form.start_on = on.into();
        assert_invalid(
            h.app.submit_registration(&ctx, &form).await,
            "start_on",
            code,
        );
    }
    assert_eq!(h.count_named(&ctx, "Tidigsson").await, 0);
    // Without an intake there is nothing to start from.
    let mut form = h.input("Nimco", "Tidigsson", &pnr("19860303", 125), org);
    form.start_now = "true".into();
    assert_invalid(
        h.app.submit_registration(&ctx, &form).await,
        "start_now",
        "error-start-needs-intake",
    );
    // Without the choice, an intake leaves her enrolled as before.
    let mut form = h.input("Nimco", "Tidigsson", &pnr("19860303", 125), org);
    form.intake_date = "2026-11-20".into();
    let nimco = h.register(&ctx, &form).await;
    assert_eq!(
        h.read(&ctx, nimco).await.participant.state.status,
        Status::Enrolled
    );

    // A referred woman taken in and started in one change: two status
    // changes, each audited.
    let referred = h.input("Hibo", "Remissson", &pnr("19860404", 126), org);
    let hibo = h.register(&ctx, &referred).await;
    // A start that cannot be leaves her referred: the intake is not kept.
    assert_invalid(
        h.app
            .intake_and_start(&ctx, hibo, date(2026, 11, 24), Some(date(2026, 11, 30)))
            .await,
        "start_on",
        "error-date-future",
    );
    let view = h.read(&ctx, hibo).await;
    assert_eq!(view.participant.state.status, Status::Referred);
    assert_eq!(kinds(&view), [TransitionKind::Referral]);
    h.app
        .intake_and_start(&ctx, hibo, date(2026, 11, 24), Some(date(2026, 11, 25)))
        .await
        .expect("intake and start");
    let view = h.read(&ctx, hibo).await;
    assert_eq!(view.participant.state.status, Status::Active);
    assert_eq!(
        kinds(&view),
        [
            TransitionKind::Referral,
            TransitionKind::Intake,
            TransitionKind::Start
        ]
    );
    let transitions: Vec<String> = her_log(&h, &coordinator, hibo)
        .await
        .into_iter()
        .filter(|(a, _)| a == "participant.transition")
        .map(|(_, e)| e)
        .collect();
    assert_eq!(transitions, ["intake", "start"]);
}

pub(crate) async fn plan_steps_and_enrolments_are_made_together(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let af = h.ctx(AF).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let walk = intervention(
        &h,
        &coordinator,
        "Promenad i flödet",
        "health_promoting",
        kommun,
        "",
        false,
        None,
    )
    .await;
    let course = intervention(
        &h,
        &coordinator,
        "Kurs i flödet",
        "course",
        hm,
        "1",
        false,
        None,
    )
    .await;
    let p = participant(&h, &coach, kommun, "Filsan", 311).await;
    let enrolments = |who: i64| {
        let (h, coach) = (&h, &coach);
        async move {
            h.app
                .enrolments(coach, who)
                .await
                .expect("enrolments")
                .into_iter()
                .map(|e| (e.intervention_id, e.status, e.start_date, e.end_date))
                .collect::<Vec<_>>()
        }
    };

    // A plan saved with "enrol her also": the step's enrolment is made
    // with its dates in the same change.
    let plan = PlanInput {
        goal_text: v(&["Jag vill röra på mig"]),
        goal_category: v(&["health"]),
        step_intervention: v(&[&walk.to_string()]),
        step_start: v(&["2026-12-01"]),
        step_end: v(&["2027-01-31"]),
        step_organisation: v(&[&kommun.to_string()]),
        step_user: v(&[""]),
        step_note: v(&[""]),
        ..Default::default()
    };
    let (version, made) = h
        .app
        .save_plan_with(&coach, p, &plan.draft().expect("plan"), true)
        .await
        .expect("plan and enrolment");
    assert_eq!((version, made.len()), (1, 1));
    assert_eq!(
        enrolments(p).await,
        [(
            walk,
            EnrolmentStatus::Planned,
            Some(date(2026, 12, 1)),
            Some(date(2027, 1, 31))
        )]
    );
    // Saved again (a step kept, not added): no second enrolment.
    h.app
        .save_plan_with(&coach, p, &plan.draft().expect("plan"), true)
        .await
        .expect("plan again");
    assert_eq!(enrolments(p).await.len(), 1);

    // A step added without the choice is offered from the plan page: the
    // ordinary enrolment (here the waiting list of a full course), once.
    let other = participant(&h, &coach, kommun, "Fardowsa", 312).await;
    h.app
        .enrol(&coach, other, &Enrol::in_intervention(course))
        .await
        .expect("the course's one place");
    let mut second = plan.clone();
    second.step_intervention.push(course.to_string());
    second.step_start.push("2027-01-10".into());
    second.step_end.push(String::new());
    second.step_organisation.push(hm.to_string());
    second.step_user.push(String::new());
    second.step_note.push(String::new());
    let (_, made) = h
        .app
        .save_plan_with(&coach, p, &second.draft().expect("plan"), false)
        .await
        .expect("plan");
    assert!(made.is_empty());
    assert_eq!(enrolments(p).await.len(), 1);
    // Someone who may not change her cannot enrol her from her plan.
    not_found(h.app.enrol_from_plan(&af, p, course).await);
    let (_, status) = h
        .app
        .enrol_from_plan(&coach, p, course)
        .await
        .expect("enrolled from the plan");
    assert_eq!(status, EnrolmentStatus::Waiting);
    assert_invalid(
        h.app.enrol_from_plan(&coach, p, course).await,
        "intervention_id",
        "error-already-enrolled-here",
    );
    let mine = enrolments(p).await;
    assert_eq!(mine.iter().filter(|e| e.0 == course).count(), 1);
    assert_eq!(mine.len(), 2);
    // An intervention no step names is not enrolled from the plan.
    assert_invalid(
        h.app.enrol_from_plan(&coach, other, walk).await,
        "intervention_id",
        "error-not-in-plan",
    );

    // A refused enrolment names its step, and the plan is not saved: a
    // new step in a retired intervention cannot be planned either.
    let third_walk = intervention(
        &h,
        &coordinator,
        "Promenad som avvecklas",
        "health_promoting",
        kommun,
        "",
        false,
        None,
    )
    .await;
    let mut third = second.clone();
    third.step_intervention.push(third_walk.to_string());
    third.step_start.push(String::new());
    third.step_end.push(String::new());
    third.step_organisation.push(kommun.to_string());
    third.step_user.push(String::new());
    third.step_note.push(String::new());
    h.app
        .retire_intervention(&coordinator, third_walk)
        .await
        .expect("retire");
    assert_invalid(
        h.app
            .save_plan_with(&coach, p, &third.draft().expect("plan"), true)
            .await,
        "step_intervention.2",
        "error-choice",
    );
    let versions = h.app.plan_versions(&coach, p).await.expect("versions");
    assert_eq!(versions.len(), 3, "the refused version is not saved");
}

pub(crate) async fn an_enrolment_becomes_a_step_of_her_plan(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let walk = intervention(
        &h,
        &coordinator,
        "Promenad med plan",
        "health_promoting",
        kommun,
        "",
        false,
        None,
    )
    .await;
    let course = intervention(
        &h,
        &coordinator,
        "Kurs med plan",
        "course",
        hm,
        "",
        false,
        None,
    )
    .await;
    let p = participant(&h, &coach, kommun, "Hamdi", 321).await;
    let latest = |who: i64| {
        let (h, coach) = (&h, &coach);
        async move {
            h.app
                .plan_versions(coach, who)
                .await
                .expect("plan")
                .into_iter()
                .next()
        }
    };

    // No plan yet: the enrolment makes her first version, with the step.
    let cmd = Enrol {
        start_date: Some(date(2026, 12, 1)),
        end_date: Some(date(2027, 3, 1)),
        ..Enrol::in_intervention(walk)
    };
    h.app
        .enrol_with_step(&coach, p, &cmd, true)
        .await
        .expect("enrolled with a step");
    let (v1, plan) = latest(p).await.expect("a plan now");
    assert_eq!(v1.version, 1);
    assert_eq!(plan.steps.len(), 1);
    let step = &plan.steps[0];
    assert_eq!(
        (
            step.intervention_id,
            step.planned_start.as_deref(),
            step.planned_end.as_deref(),
            step.responsible_organisation_id
        ),
        (walk, Some("2026-12-01"), Some("2027-03-01"), kommun)
    );

    // With a plan: a new version holds the old steps and the new one; the
    // old version is unchanged.
    h.app
        .enrol_with_step(&coach, p, &Enrol::in_intervention(course), true)
        .await
        .expect("enrolled with a step");
    let versions = h.app.plan_versions(&coach, p).await.expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]
            .1
            .steps
            .iter()
            .map(|s| s.intervention_id)
            .collect::<Vec<_>>(),
        [walk, course]
    );
    assert_eq!(versions[1].1, plan, "an old version never changes");
    let log = her_log(&h, &coordinator, p).await;
    let last: Vec<&str> = log.iter().rev().take(2).map(|(a, _)| a.as_str()).collect();
    assert_eq!(last, ["plan.change", "enrolment.create"]);

    // A refused enrolment adds no step: nothing is saved.
    assert_invalid(
        h.app
            .enrol_with_step(&coach, p, &Enrol::in_intervention(course), true)
            .await,
        "intervention_id",
        "error-already-enrolled-here",
    );
    assert_eq!(
        h.app
            .plan_versions(&coach, p)
            .await
            .expect("versions")
            .len(),
        2
    );
    // Without the choice, no plan version.
    let q = participant(&h, &coach, kommun, "Hinda", 322).await;
    h.app
        .enrol_with_step(&coach, q, &Enrol::in_intervention(course), false)
        .await
        .expect("enrolled");
    assert!(latest(q).await.is_none());
}
