//! Goals, indicators and dashboards on both databases: the demo's figures,
//! hand-computed cases through the whole stack (pauses, a reopened
//! participant, one in two projects, exits outside the period), the lists
//! behind the figures, and the early warning with an advancing clock.

use crate::harness::*;
use jiff::civil::{date, Date};
use palett_app::dashboard::{Dashboard, FigureRef, GoalInput};
use palett_app::participants::Page;
use palett_app::projects::ProjectInput;
use palett_app::{AppError, Ctx};
use palett_domain::indicators::{Breakdown, GoalState, Group, Indicator};
use palett_domain::lifecycle::{ExitOutcome, Transition};
use palett_domain::palette::PauseKind;
use palett_domain::path::*;
use palett_domain::values::Gender;

fn value(d: &Dashboard, i: Indicator) -> (Option<f64>, i64, Option<i64>) {
    let f = d
        .figures
        .iter()
        .find(|f| f.indicator == i)
        .unwrap_or_else(|| panic!("no figure {i}"));
    (f.value, f.count, f.base)
}

/// Every participant id behind a figure, paging through the list.
async fn behind(h: &H, ctx: &Ctx, project: Option<i64>, r: &FigureRef) -> Vec<i64> {
    let mut ids = Vec::new();
    for n in 1.. {
        let (items, total) = h
            .app
            .figure_participants(ctx, project, r, Page::new(Some(n), Some(100)))
            .await
            .expect("the list behind a figure");
        ids.extend(items.iter().map(|i| i.id));
        if items.is_empty() || ids.len() as i64 >= total {
            assert_eq!(ids.len() as i64, total, "pages add up to the total");
            break;
        }
    }
    ids.sort_unstable();
    ids
}

fn of(i: Indicator) -> FigureRef {
    FigureRef {
        indicator: Some(i),
        ..FigureRef::default()
    }
}

pub(crate) async fn the_demo_dashboard_shows_the_seeds_figures(h: H) {
    h.seed().await;
    let ctx = h.ctx(COORDINATOR).await;
    let tk = h.project_id(&ctx, TILLVAXT_KVINNA).await;
    let d = h
        .app
        .dashboard(&ctx, Some(tk), None, None)
        .await
        .expect("dashboard");
    assert_eq!(value(&d, Indicator::Enrolled), (Some(267.0), 267, None));
    assert_eq!(value(&d, Indicator::Ended), (Some(247.0), 247, None));
    assert_eq!(
        value(&d, Indicator::ShareJobOrStudies),
        (Some(17.0), 42, Some(247))
    );
    // The goals: 267 of 360 and 17 % of 20 %, both missed when the project ended.
    let goals: Vec<(Indicator, f64, GoalState)> = d
        .goals
        .iter()
        .map(|g| (g.goal.indicator, g.goal.target, g.state))
        .collect();
    assert_eq!(
        goals,
        vec![
            (Indicator::Enrolled, 360.0, GoalState::Missed),
            (Indicator::InflowPerMonth, 10.0, GoalState::Missed),
            (Indicator::ShareJobOrStudies, 20.0, GoalState::Missed),
        ]
    );
    // The 2020 dip: every month of 2020 below the planned ten a month.
    let months_2020: Vec<_> = d
        .inflow
        .iter()
        .filter(|m| m.month.starts_with("2020"))
        .collect();
    assert_eq!(months_2020.len(), 12);
    assert!(
        months_2020.iter().all(|m| m.enrolled < 10),
        "{months_2020:?}"
    );
    let last = d.inflow.last().expect("months");
    assert_eq!((last.month.as_str(), last.cumulative), ("2021-10", 267));
    assert_eq!(last.planned_cumulative, Some(360.0));
    // A time-to-job-or-studies curve that ends at or above the raw share.
    let end = d.survival.last().expect("a curve");
    assert!(end.cumulative_share >= 17.0, "{end:?}");
    assert_eq!(d.survival[0].at_risk, 267);
    let exits: i64 = d.exits.iter().map(|(_, n)| n).sum();
    assert_eq!(exits, 247);
    let bands: i64 = d.by_time.iter().map(|b| b.ended).sum();
    assert_eq!(bands, 247);

    // The figure opens its participants, within what the viewer may see.
    let to_job = behind(&h, &ctx, Some(tk), &of(Indicator::ShareJobOrStudies)).await;
    assert!(!to_job.is_empty() && to_job.len() <= 42, "{}", to_job.len());
    // An evaluator sees the figures but no participant behind them.
    let evaluator = h.ctx(EVALUATOR).await;
    let d = h
        .app
        .dashboard(&evaluator, Some(tk), None, None)
        .await
        .expect("figures");
    assert_eq!(value(&d, Indicator::Enrolled).1, 267);
    assert!(matches!(
        h.app
            .figure_participants(
                &evaluator,
                Some(tk),
                &of(Indicator::Enrolled),
                Page::new(None, None)
            )
            .await,
        Err(AppError::Forbidden)
    ));
    // A project of another partnership, or none, is not found.
    assert!(matches!(
        h.app.dashboard(&ctx, Some(999_999), None, None).await,
        Err(AppError::NotFound)
    ));
}

/// Register a participant of `projects`, referred on `referred`, and take
/// her through `steps`.
#[allow(clippy::too_many_arguments)]
async fn person(
    h: &H,
    ctx: &Ctx,
    org: i64,
    name: &str,
    gender: &str,
    projects: &[i64],
    referred: &str,
    steps: Vec<Transition>,
) -> i64 {
    let input = palett_domain::model::ParticipantInput {
        identity_kind: "birth_date".into(),
        identity_number: String::new(),
        birth_date: "1985-06-15".into(),
        gender: gender.into(),
        referred_on: referred.into(),
        project_ids: projects.iter().map(|p| p.to_string()).collect(),
        ..h.input(name, "Räknad", "", org)
    };
    let id = h.register(ctx, &input).await;
    for t in steps {
        h.app
            .transition(ctx, id, t.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {t:?}: {e}"));
    }
    id
}

fn exit(on: Date, outcome: ExitOutcome) -> Transition {
    Transition::Exit { on, outcome }
}

fn intake(on: Date) -> Transition {
    Transition::Intake { on }
}

async fn project(h: &H, ctx: &Ctx, name: &str, start: &str, end: &str) -> i64 {
    h.app
        .submit_project(
            ctx,
            &ProjectInput {
                name: name.into(),
                funder: "Testfonden".into(),
                start_date: start.into(),
                end_date: end.into(),
                ..ProjectInput::default()
            },
        )
        .await
        .expect("project")
}

pub(crate) async fn indicators_follow_their_definitions_through_the_store(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let org = signed.user.organisation_id;
    let p = project(&h, &admin, "Räkneprojektet", "2025-01-01", "2025-12-31").await;
    let q = project(&h, &admin, "Andra projektet", "2025-06-01", "2025-12-31").await;
    use ExitOutcome as O;
    let a = person(
        &h,
        &ctx,
        org,
        "A",
        "woman",
        &[p],
        "2025-01-10",
        vec![
            intake(date(2025, 2, 3)),
            exit(date(2025, 8, 4), O::EmploymentUnsubsidised),
        ],
    )
    .await;
    let b = person(
        &h,
        &ctx,
        org,
        "B",
        "woman",
        &[p],
        "2025-02-10",
        vec![
            intake(date(2025, 3, 3)),
            Transition::Start {
                on: date(2025, 3, 4),
            },
            Transition::Pause {
                on: date(2025, 5, 1),
                kind: PauseKind::Sickness,
                reason: "Sjuk".into(),
            },
            Transition::Resume {
                on: date(2025, 5, 31),
            },
            exit(date(2025, 12, 1), O::Studies),
        ],
    )
    .await;
    // Her exit falls after the period.
    let c = person(
        &h,
        &ctx,
        org,
        "C",
        "woman",
        &[p],
        "2025-05-01",
        vec![
            intake(date(2025, 5, 15)),
            exit(date(2026, 2, 2), O::EmploymentSubsidised),
        ],
    )
    .await;
    // Enrolled before the period, ended in it.
    let d = person(
        &h,
        &ctx,
        org,
        "D",
        "woman",
        &[p],
        "2024-10-01",
        vec![
            intake(date(2024, 11, 4)),
            exit(date(2025, 4, 1), O::Sickness),
        ],
    )
    .await;
    // Ended, then reopened: taking part again.
    let e = person(
        &h,
        &ctx,
        org,
        "E",
        "woman",
        &[p],
        "2025-05-20",
        vec![
            intake(date(2025, 6, 2)),
            exit(date(2025, 9, 1), O::JobSeeking),
            Transition::Reopen {
                on: date(2025, 10, 1),
                reason: "Kom tillbaka".into(),
            },
        ],
    )
    .await;
    let _f = person(&h, &ctx, org, "F", "woman", &[p], "2025-03-01", vec![]).await;
    // In both projects.
    let g = person(
        &h,
        &ctx,
        org,
        "G",
        "man",
        &[p, q],
        "2025-06-10",
        vec![
            intake(date(2025, 7, 1)),
            exit(date(2025, 9, 30), O::Studies),
        ],
    )
    .await;

    let dash = h
        .app
        .dashboard(&ctx, Some(p), None, None)
        .await
        .expect("dashboard");
    // (indicator, value, count, base, the participants behind it)
    type Case = (Indicator, Option<f64>, i64, Option<i64>, Vec<i64>);
    let cases: Vec<Case> = vec![
        (Indicator::Enrolled, Some(5.0), 5, None, vec![a, b, c, e, g]),
        (Indicator::Ended, Some(4.0), 4, None, vec![a, b, d, g]),
        (
            Indicator::ShareJobOrStudies,
            Some(75.0),
            3,
            Some(4),
            vec![a, b, g],
        ),
        (Indicator::ShareJob, Some(25.0), 1, Some(4), vec![a]),
        (Indicator::ShareStudies, Some(50.0), 2, Some(4), vec![b, g]),
        (Indicator::ActiveNow, Some(1.0), 1, None, vec![e]),
        (
            Indicator::InflowPerMonth,
            Some(0.4),
            5,
            Some(12),
            vec![a, b, c, e, g],
        ),
        // 91, 148, 182 and 273 − 30 = 243 days: the median is 165.
        (
            Indicator::MedianDays,
            Some(165.0),
            4,
            Some(4),
            vec![a, b, d, g],
        ),
    ];
    for (ind, v, count, base, mut who) in cases {
        assert_eq!(value(&dash, ind), (v, count, base), "{ind}");
        who.sort_unstable();
        assert_eq!(behind(&h, &ctx, Some(p), &of(ind)).await, who, "{ind}: who");
    }
    // Follow-ups: all four who ended have one due, none done yet.
    assert_eq!(
        value(&dash, Indicator::ShareFollowedUp),
        (Some(0.0), 0, Some(4))
    );
    let a_first = h.app.follow_ups(&ctx, a).await.expect("follow-ups")[0].id;
    h.app
        .record_follow_up(
            &ctx,
            a,
            a_first,
            &palett_domain::followup::FollowUpInput {
                done_on: "2025-11-10".into(),
                employment: "full_time".into(),
                studies: "no".into(),
                income_source: "salary".into(),
            },
        )
        .await
        .expect("follow-up");
    let dash2 = h
        .app
        .dashboard(&ctx, Some(p), None, None)
        .await
        .expect("dashboard");
    assert_eq!(
        value(&dash2, Indicator::ShareFollowedUp),
        (Some(25.0), 1, Some(4))
    );
    assert_eq!(
        behind(&h, &ctx, Some(p), &of(Indicator::ShareFollowedUp)).await,
        vec![a]
    );
    let due = FigureRef {
        base: true,
        ..of(Indicator::ShareFollowedUp)
    };
    let mut ended_due = vec![a, b, d, g];
    ended_due.sort_unstable();
    assert_eq!(behind(&h, &ctx, Some(p), &due).await, ended_due);
    // A share's base opens too, and a breakdown's group narrows the list.
    let base = FigureRef {
        base: true,
        ..of(Indicator::ShareJobOrStudies)
    };
    let mut ended = vec![a, b, d, g];
    ended.sort_unstable();
    assert_eq!(behind(&h, &ctx, Some(p), &base).await, ended);
    let men = FigureRef {
        group: Some(Group::Gender(Gender::Man)),
        ..of(Indicator::Enrolled)
    };
    assert_eq!(behind(&h, &ctx, Some(p), &men).await, vec![g]);
    let studies = FigureRef {
        outcome: Some(O::Studies),
        ..FigureRef::default()
    };
    let mut to_studies = vec![b, g];
    to_studies.sort_unstable();
    assert_eq!(behind(&h, &ctx, Some(p), &studies).await, to_studies);
    // The breakdown by gender on the dashboard itself.
    let by_gender: Vec<(Group, i64)> = dash
        .breakdown
        .iter()
        .map(|(gr, f)| (*gr, f.count))
        .collect();
    assert_eq!(
        by_gender,
        vec![
            (Group::Gender(Gender::Woman), 4),
            (Group::Gender(Gender::Man), 1)
        ]
    );
    // G counts in the second project as well, and alone there.
    let dq = h
        .app
        .dashboard(&ctx, Some(q), None, None)
        .await
        .expect("second");
    assert_eq!(value(&dq, Indicator::Enrolled), (Some(1.0), 1, None));
    assert_eq!(
        value(&dq, Indicator::ShareJobOrStudies),
        (Some(100.0), 1, Some(1))
    );
    assert_eq!(
        behind(&h, &ctx, Some(q), &of(Indicator::Ended)).await,
        vec![g]
    );
}

/// An intervention of the coordinator's organisation, in `project`.
async fn intervention(h: &H, ctx: &Ctx, org: i64, name: &str, project: &str, group: bool) -> i64 {
    h.app
        .submit_intervention(
            ctx,
            &palett_domain::palette::InterventionInput {
                name: name.into(),
                kind: "course".into(),
                provider_organisation_id: org.to_string(),
                group_based: if group { "true" } else { "" }.into(),
                project_id: project.into(),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("intervention")
}

/// Attendance rate, hours per participant, plans within 30 days, improved
/// self-assessment and the breakdowns by intervention and by project,
/// hand-computed, through the kept per-participant totals; re-recorded and
/// cancelled sessions change them at once.
pub(crate) async fn attendance_hours_and_plans_follow_their_definitions(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let org = signed.user.organisation_id;
    // Today is 2026-11-25: "30 days ago" is 2026-10-26.
    assert_eq!(h.app.today(), date(2026, 11, 25));
    let p = project(&h, &admin, "Närvaroprojektet", "2026-01-01", "2026-12-31").await;
    let course = intervention(&h, &ctx, org, "Språkgrupp", &p.to_string(), true).await;
    let coaching = intervention(&h, &ctx, org, "Jobbcoachning", &p.to_string(), false).await;
    let ordinary = intervention(&h, &ctx, org, "Öppen verksamhet", "ordinary", false).await;
    let who = |name: &'static str, on: Date| {
        let (h, ctx) = (&h, &ctx);
        async move {
            person(
                h,
                ctx,
                org,
                name,
                "woman",
                &[p],
                "2026-08-01",
                vec![intake(on)],
            )
            .await
        }
    };
    // Enrolled exactly 30 days ago, with a plan today: in time.
    let a = who("A", date(2026, 10, 26)).await;
    // Enrolled in September, a plan today: late.
    let b = who("B", date(2026, 9, 1)).await;
    // Enrolled in October, no plan yet.
    let d = who("D", date(2026, 10, 20)).await;
    // Enrolled five days ago: too soon to count for the plan.
    let e = who("E", date(2026, 11, 20)).await;
    // In ordinary operations only (no project).
    let c = person(
        &h,
        &ctx,
        org,
        "C",
        "woman",
        &[],
        "2026-08-01",
        vec![intake(date(2026, 10, 1))],
    )
    .await;
    let plan = palett_domain::plan::PlanInput {
        goal_text: vec!["Jag vill arbeta".into()],
        goal_category: vec!["work".into()],
        ..Default::default()
    };
    for x in [a, b, e] {
        h.app.submit_plan(&ctx, x, &plan).await.expect("plan");
    }
    let group = h
        .app
        .create_group(&ctx, course, &new_group("Måndagar"))
        .await
        .expect("group");
    h.app
        .schedule(
            &ctx,
            group,
            &ScheduleInput {
                from: "2026-11-02".into(),
                until: "2026-11-16".into(),
                start_time: "10:00".into(),
                minutes: "60".into(),
                place: String::new(),
            }
            .parse()
            .expect("a valid schedule"),
        )
        .await
        .expect("schedule");
    for x in [a, b] {
        let (enrolment, _) = h
            .app
            .enrol(
                &ctx,
                x,
                &Enrol {
                    start_date: Some(date(2026, 11, 2)),
                    ..Enrol::in_group(course, group)
                },
            )
            .await
            .expect("enrol");
        h.app
            .change_enrolment(&ctx, enrolment, &change("ongoing", ""))
            .await
            .expect("started");
    }
    let (enrolment, _) = h
        .app
        .enrol(
            &ctx,
            c,
            &Enrol {
                start_date: Some(date(2026, 10, 1)),
                ..Enrol::in_intervention(ordinary)
            },
        )
        .await
        .expect("enrol");
    h.app
        .change_enrolment(&ctx, enrolment, &change("ongoing", ""))
        .await
        .expect("started");
    let (_, sessions, _) = h.app.group(&ctx, group).await.expect("group");
    assert_eq!(sessions.len(), 3, "2, 9 and 16 November");
    let mark = |session: usize, rows: [(i64, &'static str); 2]| {
        let (h, ctx, id) = (&h, &ctx, sessions[session].id);
        async move {
            let rows: Vec<(String, String)> = rows
                .iter()
                .map(|(p, s)| (p.to_string(), s.to_string()))
                .collect();
            h.app
                .record_attendance(ctx, id, &marks(&rows))
                .await
                .expect("attendance");
        }
    };
    mark(0, [(a, "present"), (b, "absent")]).await;
    mark(1, [(a, "present"), (b, "absent_notice")]).await;
    mark(2, [(a, "present"), (b, "present")]).await;
    h.app
        .record_activity(
            &ctx,
            a,
            &activity(coaching, date(2026, 11, 10), "2", "", h.app.today()),
        )
        .await
        .expect("activity");
    // Time in ordinary operations does not count in the project.
    h.app
        .record_activity(
            &ctx,
            c,
            &activity(ordinary, date(2026, 11, 10), "5", "", h.app.today()),
        )
        .await
        .expect("activity");

    let dash = || async {
        h.app
            .dashboard(&ctx, Some(p), None, None)
            .await
            .expect("dashboard")
    };
    let sorted = |mut v: Vec<i64>| {
        v.sort_unstable();
        v
    };
    let enrolled = sorted(vec![a, b, d, e]);
    let now = dash().await;
    // 4 of 6 sessions: A three of three, B one of three.
    assert_eq!(
        value(&now, Indicator::AttendanceRate),
        (Some(66.7), 4, Some(6))
    );
    // A: 3 hours in the group and 2 of coaching; B: 1 hour; over four.
    assert_eq!(
        value(&now, Indicator::HoursPerParticipant),
        (Some(1.5), 4, Some(4))
    );
    // Of A, B and D (enrolled by 26 October), only A's plan came in time.
    assert_eq!(
        value(&now, Indicator::SharePlanInTime),
        (Some(33.3), 1, Some(3))
    );
    for ind in [Indicator::AttendanceRate, Indicator::HoursPerParticipant] {
        assert_eq!(behind(&h, &ctx, Some(p), &of(ind)).await, enrolled, "{ind}");
    }
    assert_eq!(
        behind(&h, &ctx, Some(p), &of(Indicator::SharePlanInTime)).await,
        vec![a]
    );
    let plan_base = FigureRef {
        base: true,
        ..of(Indicator::SharePlanInTime)
    };
    assert_eq!(
        behind(&h, &ctx, Some(p), &plan_base).await,
        sorted(vec![a, b, d])
    );
    // By intervention: A and B started the course; nobody else.
    let by = h
        .app
        .dashboard(
            &ctx,
            Some(p),
            Some(Breakdown::Intervention),
            Some(Indicator::Enrolled),
        )
        .await
        .expect("by intervention");
    let groups: Vec<(Group, i64)> = by.breakdown.iter().map(|(g, f)| (*g, f.count)).collect();
    assert_eq!(groups, vec![(Group::Intervention(course), 2)]);
    assert!(by
        .names
        .contains(&(Group::Intervention(course), "Språkgrupp".into())));
    let in_course = FigureRef {
        group: Some(Group::Intervention(course)),
        ..of(Indicator::Enrolled)
    };
    assert_eq!(
        behind(&h, &ctx, Some(p), &in_course).await,
        sorted(vec![a, b])
    );
    // By project across the partnership: C is in ordinary operations.
    let ordinary_ops = FigureRef {
        group: Some(Group::Project(None)),
        ..of(Indicator::Enrolled)
    };
    let outside = behind(&h, &ctx, None, &ordinary_ops).await;
    assert!(outside.contains(&c) && !outside.contains(&a), "{outside:?}");
    let in_p = FigureRef {
        group: Some(Group::Project(Some(p))),
        ..of(Indicator::Enrolled)
    };
    assert_eq!(behind(&h, &ctx, None, &in_p).await, enrolled);
    let whole = h
        .app
        .dashboard(
            &ctx,
            None,
            Some(Breakdown::Project),
            Some(Indicator::HoursPerParticipant),
        )
        .await
        .expect("partnership");
    let of_p = whole
        .breakdown
        .iter()
        .find(|(g, _)| *g == Group::Project(Some(p)))
        .expect("the project's group");
    assert_eq!((of_p.1.value, of_p.1.count), (Some(1.5), 4));

    // Self-assessments: A rose, B fell back, D has made only one.
    let assess = |x: i64, on: &'static str, score: &'static str| {
        let (h, ctx) = (&h, &ctx);
        async move {
            let input = palett_domain::selfassessment::SelfAssessmentInput {
                on: on.into(),
                scores: vec![score.into(); 6],
            };
            h.app
                .submit_self_assessment(ctx, x, &input)
                .await
                .expect("self-assessment");
        }
    };
    assess(a, "2026-10-27", "2").await;
    assess(a, "2026-11-24", "3").await;
    // Recorded out of order: the earlier date is her first.
    assess(b, "2026-11-20", "2").await;
    assess(b, "2026-09-05", "3").await;
    assess(d, "2026-10-21", "1").await;
    assert_eq!(
        value(&dash().await, Indicator::ShareSelfAssessmentImproved),
        (Some(50.0), 1, Some(2))
    );
    assert_eq!(
        behind(
            &h,
            &ctx,
            Some(p),
            &of(Indicator::ShareSelfAssessmentImproved)
        )
        .await,
        vec![a]
    );
    let assessed = FigureRef {
        base: true,
        ..of(Indicator::ShareSelfAssessmentImproved)
    };
    assert_eq!(
        behind(&h, &ctx, Some(p), &assessed).await,
        sorted(vec![a, b])
    );
    let hers = h.app.self_assessments(&ctx, b).await.expect("hers");
    assert_eq!(
        hers.iter().map(|x| x.on).collect::<Vec<_>>(),
        vec![date(2026, 9, 5), date(2026, 11, 20)]
    );
    assert_eq!(palett_domain::selfassessment::change(&hers), Some(-6));
    // A bad one is refused field by field; nothing is stored.
    let bad = palett_domain::selfassessment::SelfAssessmentInput {
        on: "2030-01-01".into(),
        scores: vec!["7".into(); 6],
    };
    match h.app.submit_self_assessment(&ctx, d, &bad).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.0.len(), 7, "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.app.self_assessments(&ctx, d).await.expect("d").len(), 1);
    // Arbetsförmedlingen's caseworker, who does not work with her, cannot
    // tell she exists; the evaluator cannot record one either.
    for who in [AF, EVALUATOR] {
        let other = h.ctx(who).await;
        let input = palett_domain::selfassessment::SelfAssessmentInput {
            on: "2026-11-24".into(),
            scores: vec!["5".into(); 6],
        };
        assert!(matches!(
            h.app.submit_self_assessment(&other, a, &input).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            h.app.self_assessments(&other, a).await,
            Err(AppError::NotFound)
        ));
    }
    // Her subject access export holds them.
    let export = h.app.subject_access(&ctx, a).await.expect("export");
    assert_eq!(export.self_assessments.len(), 2);

    // Recording a session again, and cancelling one, change the kept totals.
    mark(0, [(a, "present"), (b, "present")]).await;
    assert_eq!(
        value(&dash().await, Indicator::AttendanceRate),
        (Some(83.3), 5, Some(6))
    );
    h.app
        .cancel_session(
            &ctx,
            sessions[2].id,
            &SessionCancel {
                reason: "Ledaren sjuk".into(),
            },
        )
        .await
        .expect("cancel");
    // A two of two, B one of two; A's hours: 2 + 2, B's: 1.
    let after = dash().await;
    assert_eq!(
        value(&after, Indicator::AttendanceRate),
        (Some(75.0), 3, Some(4))
    );
    assert_eq!(
        value(&after, Indicator::HoursPerParticipant),
        (Some(1.3), 4, Some(4))
    );
}

pub(crate) async fn the_projection_warns_when_inflow_runs_behind_plan(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let org = signed.user.organisation_id;
    // A year from today (2026-11-25), planned for 120: ten a month.
    let p = project(&h, &admin, "Nytt projekt", "2026-11-25", "2027-11-24").await;
    let goal = |target: &str| GoalInput {
        indicator: "enrolled".into(),
        target: target.into(),
        period_start: "2026-11-25".into(),
        period_end: "2027-11-24".into(),
    };
    h.app
        .submit_goal(&ctx, Some(p), &goal("120"))
        .await
        .expect("goal");
    let status = || async {
        let d = h
            .app
            .dashboard(&ctx, Some(p), None, None)
            .await
            .expect("dashboard");
        let g = &d.goals[0];
        (g.state, g.figure.count, g.projection, g.warning())
    };
    // The first day: two intakes, on pace for far more than 120.
    for name in ["Första", "Andra"] {
        person(
            &h,
            &ctx,
            org,
            name,
            "woman",
            &[p],
            "2026-11-25",
            vec![intake(date(2026, 11, 25))],
        )
        .await;
    }
    assert_eq!(status().await.0, GoalState::OnTrack);
    // Three months on, still two: the projection falls short and warns.
    h.advance_secs(91 * 24 * 3600);
    let (state, count, projection, warning) = status().await;
    assert_eq!((state, count), (GoalState::Behind, 2));
    assert!(projection.is_some_and(|p| p < 120.0), "{projection:?}");
    assert!(warning);
    // Thirty more in the fourth month bring the pace back to plan.
    for i in 0..30 {
        person(
            &h,
            &ctx,
            org,
            &format!("Deltagare {i}"),
            "woman",
            &[p],
            "2027-02-20",
            vec![intake(date(2027, 2, 24))],
        )
        .await;
    }
    let (state, count, _, warning) = status().await;
    assert_eq!((state, count, warning), (GoalState::OnTrack, 32, false));

    // Goals are set by coordinators and administrators, with field errors.
    let caseworker = h.ctx(COACH).await;
    assert!(matches!(
        h.app.submit_goal(&caseworker, Some(p), &goal("10")).await,
        Err(AppError::Forbidden)
    ));
    let bad = GoalInput {
        indicator: "share_job_or_studies".into(),
        target: "120 %".into(),
        period_start: "2027-01-01".into(),
        period_end: "2026-01-01".into(),
    };
    assert_invalid(
        h.app.submit_goal(&ctx, Some(p), &bad).await,
        "target",
        "error-percent",
    );
    assert_invalid(
        h.app.submit_goal(&ctx, Some(p), &bad).await,
        "period_end",
        "error-period",
    );
    let unknown = GoalInput {
        indicator: "happiness".into(),
        ..goal("x")
    };
    assert_invalid(
        h.app.submit_goal(&ctx, Some(p), &unknown).await,
        "indicator",
        "error-choice",
    );
    assert_invalid(
        h.app.submit_goal(&ctx, Some(p), &unknown).await,
        "target",
        "error-number",
    );
    let id = h
        .app
        .dashboard(&ctx, Some(p), None, None)
        .await
        .expect("d")
        .goals[0]
        .goal
        .id;
    h.app.delete_goal(&ctx, id).await.expect("delete");
    assert!(h
        .app
        .dashboard(&ctx, Some(p), None, None)
        .await
        .expect("d")
        .goals
        .is_empty());
    assert!(matches!(
        h.app.delete_goal(&ctx, id).await,
        Err(AppError::NotFound)
    ));
}

pub(crate) async fn every_funder_report_adds_up_on_both_databases(h: H) {
    use palett_app::reports::{ReportBody, ReportKind};
    h.seed().await;
    let ctx = h.ctx(COORDINATOR).await;
    let tk = h.project_id(&ctx, TILLVAXT_KVINNA).await;
    let report = |kind| {
        let (h, ctx) = (h.clone(), ctx.clone());
        async move {
            h.app
                .submit_funder_report(&ctx, kind, Some(tk), "", "", true)
                .await
                .expect("report")
        }
    };
    let ReportBody::Final(f) = report(ReportKind::Final).await.body else {
        panic!("a final report")
    };
    assert_eq!(
        (f.enrolled.count, f.ended.count, f.to_job_or_studies.count),
        (267, 247, 42)
    );
    assert_eq!(f.participant_target, Some(360.0));
    let exits: i64 = f.exits.iter().map(|(_, n)| n).sum();
    assert_eq!(exits, 247);
    let ReportBody::Finsam(per_intervention) = report(ReportKind::Finsam).await.body else {
        panic!("a Finsam report")
    };
    assert!(!per_intervention.is_empty());
    assert!(per_intervention
        .iter()
        .all(|(_, w, m, o, n)| w + m + o == *n));
    let ReportBody::BeforeAfter(before_after) = report(ReportKind::BeforeAfter).await.body else {
        panic!("a before-and-after report")
    };
    assert_eq!(before_after.iter().map(|r| r.6).sum::<i64>(), 247);
    let followed: i64 = before_after
        .iter()
        .filter(|r| r.4.is_some())
        .map(|r| r.6)
        .sum();
    assert!(followed > 150 && followed < 247, "{followed}");
    let ReportBody::EsfIndicators(esf) = report(ReportKind::EsfIndicators).await.body else {
        panic!("an ESF+ report")
    };
    let total = esf.iter().find(|r| r.key == "esf-total").expect("total");
    assert_eq!((total.total, total.women), (Some(267), Some(267)));
    // A bad period is a field error.
    assert_invalid(
        h.app
            .submit_funder_report(
                &ctx,
                ReportKind::Final,
                Some(tk),
                "2021-01-01",
                "2020-01-01",
                false,
            )
            .await,
        "to",
        "error-period",
    );
}

pub(crate) async fn the_esf_monthly_file_names_only_those_it_may(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(KOMMUN_COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let org = signed.user.organisation_id;
    let p = project(&h, &admin, "ESF-projektet", "2026-01-01", "2026-12-31").await;
    let register = |given: &str, number: String, intake: &str| {
        let input = palett_domain::model::ParticipantInput {
            intake_date: intake.into(),
            project_ids: vec![p.to_string()],
            ..h.input(given, "Månadsrapport", &number, org)
        };
        let (h, ctx) = (h.clone(), ctx.clone());
        async move { h.register(&ctx, &input).await }
    };
    let with_consent = register("Amal", pnr("19900505", 505), "2026-11-03").await;
    let without = register("Bisra", pnr("19910606", 606), "2026-11-04").await;
    let _referral = register("Cala", pnr("19920707", 707), "").await;
    h.app
        .submit_consent(
            &ctx,
            with_consent,
            &palett_domain::consent::ConsentInput {
                kind: "identity_number".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-03".into(),
                ..Default::default()
            },
        )
        .await
        .expect("consent to the identity number");
    let (month, lines) = h
        .app
        .submit_esf_month(&ctx, p, "2026-11")
        .await
        .expect("file");
    assert_eq!(month.to_string(), "2026-11");
    let got: Vec<(i64, bool, bool)> = lines
        .iter()
        .map(|l| {
            (
                l.participant_id,
                l.identity_number.is_some(),
                l.identity_consent,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(with_consent, true, true), (without, true, false)]
    );
    assert!(lines[0]
        .identity_number
        .as_deref()
        .is_some_and(|n| n.starts_with("19900505")));
    // October: none of them had started.
    assert!(h
        .app
        .submit_esf_month(&ctx, p, "2026-10")
        .await
        .expect("file")
        .1
        .is_empty());
    // Coordinators only; a bad month is a field error; other projects 404.
    let caseworker = h.ctx(COACH).await;
    assert!(matches!(
        h.app.submit_esf_month(&caseworker, p, "2026-11").await,
        Err(AppError::Forbidden)
    ));
    assert_invalid(
        h.app.submit_esf_month(&ctx, p, "november").await,
        "month",
        "error-month",
    );
    assert!(matches!(
        h.app.submit_esf_month(&ctx, 999_999, "2026-11").await,
        Err(AppError::NotFound)
    ));
    // Each participant in the file is in the audit log as read, once, by
    // the coordinator who made it.
    for who in [with_consent, without] {
        let about = palett_app::filters::AuditFilter {
            participant_id: Some(who),
            ..Default::default()
        };
        let log = palett_app::audit::list(&h.app, &ctx, &about, Page::new(None, Some(100)))
            .await
            .expect("log");
        let reads: Vec<_> = log.0.iter().filter(|e| e.entity == "esf_month").collect();
        assert_eq!(reads.len(), 1, "{:?}", log.0);
        assert_eq!(reads[0].action, "participant.read");
        assert_eq!(reads[0].user_id, Some(ctx.actor.user_id));
    }
}

/// A project's enrolled / ended / to job or studies, as the start page, the
/// project summary, the dashboard and the final report show them.
async fn every_surface(h: &H, ctx: &Ctx, project: i64) -> Vec<(&'static str, [i64; 3])> {
    let overview = h.app.overview(ctx).await.expect("overview");
    let (_, s) = overview
        .projects
        .iter()
        .find(|(p, _)| p.id == project)
        .expect("the project is on the start page");
    let (_, one) = h
        .app
        .project_summary(ctx, project)
        .await
        .expect("the project's summary");
    let d = h
        .app
        .dashboard(ctx, Some(project), None, None)
        .await
        .expect("the dashboard");
    let report = h
        .app
        .submit_funder_report(
            ctx,
            palett_app::reports::ReportKind::Final,
            Some(project),
            "",
            "",
            false,
        )
        .await
        .expect("the final report");
    let palett_app::reports::ReportBody::Final(f) = report.body else {
        panic!("a final report's body")
    };
    vec![
        (
            "start page",
            [s.enrolled, s.ended, s.ended_to_job_or_studies],
        ),
        (
            "summary",
            [one.enrolled, one.ended, one.ended_to_job_or_studies],
        ),
        (
            "dashboard",
            [
                value(&d, Indicator::Enrolled).1,
                value(&d, Indicator::Ended).1,
                value(&d, Indicator::ShareJobOrStudies).1,
            ],
        ),
        (
            "final report",
            [f.enrolled.count, f.ended.count, f.to_job_or_studies.count],
        ),
    ]
}

/// Issue 10.4: after an exit today, long after Tillväxt Kvinna ended, every
/// surface still shows the project's 267 / 247 / 42, and a project whose
/// period covers the exit counts it everywhere alike.
pub(crate) async fn every_surface_shows_one_figure_after_a_change(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;
    let same = |rows: &[(&str, [i64; 3])], expected: [i64; 3]| {
        for (surface, figures) in rows {
            assert_eq!(*figures, expected, "{surface} on {:?}", h.backend);
        }
    };
    same(&every_surface(&h, &coordinator, tk).await, [267, 247, 42]);

    // One of the women who ended after the project's period comes back
    // today and ends to a job today.
    let ended = h
        .all_participant_ids(
            &coordinator,
            &palett_store::participant::Filter {
                project_id: Some(tk),
                status: Some(palett_domain::lifecycle::Status::Ended),
                ..Default::default()
            },
        )
        .await;
    let mut her = None;
    for id in ended {
        let exit = h.read(&coordinator, id).await.participant.state.exit_date;
        if exit.is_some_and(|d| d > jiff::civil::date(2021, 10, 31)) {
            her = Some(id);
            break;
        }
    }
    let her = her.expect("a woman who ended after the period");
    let today = h.app.today();
    h.app
        .transition(
            &coordinator,
            her,
            Transition::Reopen {
                on: today,
                reason: "Hon hör av sig igen och vill ha stöd.".into(),
            },
        )
        .await
        .expect("she is back");
    h.app
        .transition(
            &coordinator,
            her,
            Transition::Exit {
                on: today,
                outcome: ExitOutcome::EmploymentUnsubsidised,
            },
        )
        .await
        .expect("her exit");
    same(&every_surface(&h, &coordinator, tk).await, [267, 247, 42]);

    // A project running today counts her exit on every surface.
    let now = h
        .app
        .submit_project(
            &coordinator,
            &ProjectInput {
                name: "Pågående projekt".into(),
                funder: "ESF+".into(),
                start_date: "2018-01-01".into(),
                end_date: "2030-12-31".into(),
                participant_target: "300".into(),
                job_or_studies_target: "20".into(),
            },
        )
        .await
        .expect("a running project");
    let (mut input, version, _) = h
        .app
        .participant_form(&coordinator, her)
        .await
        .expect("her form");
    input.project_ids.push(now.to_string());
    h.app
        .submit_update(&coordinator, her, Some(version), &input)
        .await
        .expect("linked to the running project");
    let rows = every_surface(&h, &coordinator, now).await;
    same(&rows, rows[2].1);
    assert_eq!(rows[0].1[1], 1, "her exit counts as ended");
    assert_eq!(rows[0].1[2], 1, "to a job");
}

/// A dashboard and a report are kept once computed, but never shown older
/// than the data: a change made since, here or by a second palett process
/// on the same database, shows at once; a time-bound figure moves with
/// the day; and what is kept is the same as what is computed afresh.
pub(crate) async fn kept_figures_are_never_older_than_the_data(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let org = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let dashboard = |app: palett_app::App| {
        let ctx = coordinator.clone();
        async move {
            app.dashboard(&ctx, None, None, None)
                .await
                .expect("the partnership's dashboard")
        }
    };
    let active = |d: &Dashboard| value(d, Indicator::ActiveNow).1;
    let first = dashboard(h.app.clone()).await;
    let again = dashboard(h.app.clone()).await;
    assert_eq!(
        format!("{:?}", first.figures),
        format!("{:?}", again.figures),
        "kept figures are the computed ones ({:?})",
        h.backend
    );

    // A woman taken in today is active now, at once.
    let today = h.app.today();
    person(
        &h,
        &coordinator,
        org,
        "Kvar",
        "woman",
        &[],
        "2026-11-02",
        vec![intake(today)],
    )
    .await;
    let after = dashboard(h.app.clone()).await;
    assert_eq!(active(&after), active(&first) + 1, "{:?}", h.backend);

    // A second process on the same database (its own kept figures) takes
    // in another; the first process shows her too.
    let other = palett_app::App::new(
        h.app.raw_db().clone(),
        h.clock.clone() as std::sync::Arc<dyn palett_app::clock::Clock>,
        palett_app::Config::default(),
        palett_app::data_key::DataKey::from_bytes(&TEST_KEY),
    );
    assert_eq!(active(&dashboard(other.clone()).await), active(&after));
    person(
        &h,
        &coordinator,
        org,
        "Annan",
        "woman",
        &[],
        "2026-11-02",
        vec![],
    )
    .await;
    let id = h
        .all_participant_ids(&coordinator, &palett_store::participant::Filter::default())
        .await
        .into_iter()
        .max()
        .expect("her id");
    other
        .transition(&coordinator, id, intake(today))
        .await
        .expect("taken in by the other process");
    assert_eq!(
        active(&dashboard(h.app.clone()).await),
        active(&after) + 1,
        "a change by another process shows ({:?})",
        h.backend
    );

    // The final report moves with the data too.
    let report = |app: palett_app::App| {
        let ctx = coordinator.clone();
        async move {
            match app
                .funder_report(
                    &ctx,
                    palett_app::reports::ReportKind::Final,
                    None,
                    Ok(palett_domain::admin::ReportPeriod {
                        from: Some(date(2018, 1, 1)),
                        to: Some(date(2030, 12, 31)),
                    }),
                    false,
                )
                .await
                .expect("the final report")
                .body
            {
                palett_app::reports::ReportBody::Final(f) => f.ended.count,
                other => panic!("not the final report: {other:?}"),
            }
        }
    };
    let ended = report(h.app.clone()).await;
    assert_eq!(report(h.app.clone()).await, ended);
    other
        .transition(
            &coordinator,
            id,
            exit(today, ExitOutcome::EmploymentUnsubsidised),
        )
        .await
        .expect("her exit");
    assert_eq!(report(h.app.clone()).await, ended + 1, "{:?}", h.backend);
}
