//! The demo after the seeds' period, so that it lives on the demo's day:
//! the twenty women still in Tillväxt Kvinna when it ended (2021-10-31)
//! went on and ended by a plausible date in the half year after it (so the
//! period's own figures stay 267 / 247 / 42), and a project runs on the
//! demo's day relative to the clock, *Vidare mot arbete*, with women taken
//! in over the last half year, three groups that meet weekly around today
//! (attendance recorded up to a week ago, the latest sessions waiting for
//! theirs), a work training with a waiting list, plans, a few exits with
//! their follow-ups (the latest due about now), and the two women with
//! portal accounts. Everything is added after the rest of the demo, so the
//! ids and draws of the rest stay as they were.

use super::palette::{at, demo_interests, demo_reach, spec, Spec};
use super::{seed_consents, seed_participant, Named, Person, Rng, Staff};
use crate::Result;
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::followup::{Employment, FollowUpRecord, IncomeSource, StudyStatus};
use palett_domain::lifecycle::{ExitOutcome, LifecycleState, Status, TransitionKind};
use palett_domain::palette::{AttendanceStatus, EnrolmentStatus, InterventionKind as K};
use palett_domain::plan::{Goal, Plan, Step};
use palett_store::palette::{self as store, NewEnrolment};
use palett_store::participant::NewEvent;
use palett_store::AnyConnection;
use sqlx::Row;

/// How the twenty still taking part at Tillväxt Kvinna's end left, in the
/// order of their intake.
const AFTER_PERIOD: [ExitOutcome; 20] = {
    use ExitOutcome as O;
    [
        O::JobSeeking,
        O::EmploymentUnsubsidised,
        O::Studies,
        O::OtherProgramme,
        O::EmploymentSubsidised,
        O::JobSeeking,
        O::ParentalLeave,
        O::Studies,
        O::JobSeeking,
        O::OtherProgramme,
        O::EmploymentUnsubsidised,
        O::Moved,
        O::JobSeeking,
        O::Studies,
        O::Sickness,
        O::EmploymentSubsidised,
        O::OtherProgramme,
        O::JobSeeking,
        O::Other,
        O::EmploymentUnsubsidised,
    ]
};

/// The women still taking part when Tillväxt Kvinna ended finish their
/// paths in the half year after it: each exit recorded as palett records
/// one (her state, the event, her open enrolments completed, her referral
/// completed, her follow-ups scheduled and, as they fell due, done).
pub(super) async fn end_after_period(
    c: &mut AnyConnection,
    people: &mut [Person],
    by: i64,
    now: i64,
) -> Result<()> {
    let mut rng = Rng(0xAF7E_2021_1031_0020);
    let first = date(2021, 11, 15);
    for (k, p) in people.iter_mut().filter(|p| p.exit.is_none()).enumerate() {
        let outcome = AFTER_PERIOD[k % AFTER_PERIOD.len()];
        let days = k as i64 * 11 + rng.below(9) as i64;
        let exit = first.checked_add(days.days()).unwrap_or(first);
        let row = sqlx::query("SELECT status, version FROM participants WHERE id = $1")
            .bind(p.id)
            .fetch_one(&mut *c)
            .await?;
        let from = Status::parse(&row.try_get::<String, _>("status")?).unwrap_or(Status::Active);
        let version: i64 = row.try_get("version")?;
        let after = LifecycleState {
            status: Status::Ended,
            referred_on: p.referred,
            intake_date: Some(p.intake),
            exit_date: Some(exit),
            exit_outcome: Some(outcome),
            last_change_on: exit,
        };
        palett_store::participant::update_state(c, p.id, version, &after, now).await?;
        palett_store::participant::insert_event(
            c,
            &NewEvent {
                participant_id: p.id,
                kind: TransitionKind::Exit,
                from_status: Some(from),
                to_status: Status::Ended,
                on_date: exit,
                reason: None,
                exit_outcome: Some(outcome),
                pause_kind: None,
                actor_user_id: Some(by),
            },
            now,
        )
        .await?;
        sqlx::query(
            "UPDATE enrolments SET status = 'completed', end_date = $1 \
             WHERE participant_id = $2 AND status = 'ongoing'",
        )
        .bind(exit.to_string())
        .bind(p.id)
        .execute(&mut *c)
        .await?;
        let referrals: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM referrals WHERE participant_id = $1 AND state = 'started'",
        )
        .bind(p.id)
        .fetch_all(&mut *c)
        .await?;
        for id in referrals {
            palett_store::referral::add_step(
                c,
                id,
                &palett_store::referral::Step::new(
                    palett_domain::referral::ReferralState::Completed,
                    exit,
                ),
                by,
                now,
            )
            .await?;
        }
        follow_up(c, p.id, (exit, outcome), None, (by, now)).await?;
        p.exit = Some(exit);
        p.outcome = Some(outcome);
    }
    Ok(())
}

/// What a follow-up found, as her exit suggests.
fn situation(outcome: ExitOutcome) -> (Employment, StudyStatus, IncomeSource) {
    use ExitOutcome as O;
    match outcome {
        O::EmploymentUnsubsidised => (Employment::FullTime, StudyStatus::No, IncomeSource::Salary),
        O::EmploymentSubsidised => (
            Employment::Subsidised,
            StudyStatus::No,
            IncomeSource::Salary,
        ),
        O::OwnBusiness => (
            Employment::OwnBusiness,
            StudyStatus::No,
            IncomeSource::Salary,
        ),
        O::Studies => (Employment::None, StudyStatus::Yes, IncomeSource::StudentAid),
        O::ParentalLeave => (
            Employment::None,
            StudyStatus::No,
            IncomeSource::ParentalBenefit,
        ),
        O::Sickness => (
            Employment::None,
            StudyStatus::No,
            IncomeSource::SicknessBenefit,
        ),
        _ => (
            Employment::None,
            StudyStatus::Unknown,
            IncomeSource::ActivitySupport,
        ),
    }
}

/// Schedule her follow-ups for the exit and record those due before
/// `until` (all of them when `None`), a few days after each was due.
async fn follow_up(
    c: &mut AnyConnection,
    id: i64,
    (exit, outcome): (Date, ExitOutcome),
    until: Option<Date>,
    (by, now): (i64, i64),
) -> Result<()> {
    palett_store::followup::schedule(c, id, exit).await?;
    let (employment, studies, income_source) = situation(outcome);
    for f in palett_store::followup::of_participant(c, id).await? {
        if until.is_some_and(|u| f.due_on >= u) {
            continue;
        }
        let rec = FollowUpRecord {
            done_on: f.due_on.checked_add(3.days()).unwrap_or(f.due_on),
            employment,
            studies,
            income_source,
        };
        palett_store::followup::record(c, id, f.id, &rec, by, now).await?;
    }
    Ok(())
}

/// What the project running on the demo's day has, for the rest of the
/// seeding.
pub(super) struct Current {
    pub project: i64,
    /// The two women with portal accounts, in the order of `DEMO_PORTAL`.
    pub portal: Vec<i64>,
}

/// How many women Vidare mot arbete has taken in so far.
const COHORT: usize = 30;

/// The exits so far: (her place in the intake order, outcome, days before
/// the demo's day). The one 94 days ago has her three-month follow-up due
/// a few days ago, so it waits on the worklists.
const COHORT_EXITS: [(usize, ExitOutcome, i64); 6] = [
    (1, ExitOutcome::EmploymentUnsubsidised, 140),
    (3, ExitOutcome::Studies, 120),
    (5, ExitOutcome::JobSeeking, 94),
    (8, ExitOutcome::EmploymentSubsidised, 70),
    (11, ExitOutcome::ParentalLeave, 40),
    (13, ExitOutcome::OtherProgramme, 20),
];

/// The portal's demo women: (her place in the intake order, who she is).
const PORTAL_WOMEN: [(usize, Named); 2] = [
    (
        0,
        Named {
            given: "Salma",
            family: "Idris",
            country: "Syrien",
            language: "arabiska",
        },
    ),
    (
        2,
        Named {
            given: "Sahra",
            family: "Guled",
            country: "Somalia",
            language: "somaliska",
        },
    ),
];

/// Vidare mot arbete: the project, its goals, its women and their paths.
pub(super) async fn seed(
    c: &mut AnyConnection,
    sealer: &dyn palett_store::sealing::Sealer,
    (pid, org_ids, caseworkers): (i64, &[i64], &[Option<i64>]),
    staff: &Staff,
    (today, now): (Date, i64),
) -> Result<Current> {
    let mut rng = Rng(0xC022_E417_2026_1206);
    let start = date(today.year(), today.month(), 1)
        .checked_sub(6.months())
        .unwrap_or(today);
    let end = start.checked_add(24.months()).unwrap_or(today);
    let project = palett_store::project::insert(
        c,
        pid,
        "Vidare mot arbete",
        "Botkyrka kommun och Samordningsförbundet",
        start,
        end,
        Some(40),
        Some(20.0),
    )
    .await?;
    let period = palett_domain::indicators::Period { start, end };
    for (indicator, target) in [
        (palett_domain::indicators::Indicator::Enrolled, 40.0),
        (
            palett_domain::indicators::Indicator::ShareJobOrStudies,
            20.0,
        ),
    ] {
        let goal = palett_domain::indicators::Goal {
            id: 0,
            project_id: Some(project),
            indicator,
            target,
            period,
        };
        palett_store::indicators::insert_goal(c, pid, &goal, None, now).await?;
    }

    // The women, taken in evenly over the half year up to five days ago.
    let last_intake = today.checked_sub(5.days()).unwrap_or(today);
    let span = (last_intake - start).get_days().max(1) as i64;
    let mut women = Vec::with_capacity(COHORT);
    for i in 0..COHORT {
        let offset = i as i64 * span / COHORT as i64 + rng.below(5) as i64;
        let intake = start
            .checked_add(offset.days())
            .unwrap_or(start)
            .min(last_intake);
        let exit = COHORT_EXITS
            .iter()
            .find(|(n, _, _)| *n == i)
            .map(|(_, o, ago)| (today.checked_sub(ago.days()).unwrap_or(today), *o));
        let drawn = *rng.pick(&[0usize, 0, 0, 1, 1, 3]);
        let named = PORTAL_WOMEN.iter().find(|(n, _)| *n == i).map(|(_, w)| w);
        // The portal's women are Hela Människan's (Hanna Handledare's).
        let org_index = if named.is_some() { 0 } else { drawn };
        let (id, referred, source, language) = seed_participant(
            c,
            sealer,
            &mut rng,
            pid,
            org_ids[org_index],
            caseworkers[org_index],
            staff.coordinator,
            intake,
            exit,
            &[project],
            (today, now),
            named,
        )
        .await?;
        women.push(Person {
            id,
            organisation: org_ids[org_index],
            referred,
            source,
            intake,
            exit: exit.map(|e| e.0),
            outcome: exit.map(|e| e.1),
            in_sib: false,
            language,
        });
    }
    let holders: Vec<(i64, i64, Date)> = women
        .iter()
        .map(|p| (p.id, p.organisation, p.intake))
        .collect();
    seed_consents(c, org_ids, &holders, staff.coordinator, now).await?;

    let specs = [
        Spec {
            name: "Språkcafé i Tumba",
            kind: K::LanguageTraining,
            org: 4,
            project: Some(project),
            capacity: Some(20),
            group: true,
            place: "Bildas lokal, Tumba",
            period: (start, end),
            description: "Samtal på svenska i små grupper med cirkelledare.",
        },
        Spec {
            name: "Svenska och samhälle",
            kind: K::Course,
            org: 3,
            project: Some(project),
            capacity: Some(16),
            group: true,
            place: "Botkyrka folkhögskola",
            period: (start, end),
            description: "Svenska och samhällsorientering två förmiddagar i veckan.",
        },
        Spec {
            name: "Promenad och hälsa",
            kind: K::HealthPromoting,
            org: 1,
            project: Some(project),
            capacity: None,
            group: true,
            place: "Start vid Tumba centrum",
            period: (start, end),
            description: "Promenad och samtal om hälsa en gång i veckan.",
        },
        Spec {
            name: "Arbetsträning i butik, kvällar",
            kind: K::WorkTraining,
            org: 0,
            project: Some(project),
            capacity: Some(4),
            group: false,
            place: "Second hand-butiken i Tumba",
            period: (start, end),
            description: "Arbetsträning i butik med handledare, tisdag och torsdag kväll.",
        },
    ];
    let mut ids = Vec::new();
    for s in &specs {
        ids.push(store::insert_intervention(c, pid, &spec(s, org_ids), None, now).await?);
    }
    let leaders = [
        staff.language_teacher,
        staff.school_teacher,
        staff.walk_leader,
    ];
    let names = [
        "Språkcafé måndagar",
        "Svenska och samhälle, grupp 1",
        "Promenad onsdagar",
    ];
    // Who takes part now and from when: a week after her intake.
    let taking_part: Vec<(&Person, Date)> = women
        .iter()
        .filter(|p| p.exit.is_none())
        .filter_map(|p| {
            let from = p.intake.checked_add(7.days()).ok()?;
            (from <= today).then_some((p, from))
        })
        .collect();
    // Her path so far, for her plan: (intervention, from, to).
    let mut paths: Vec<Vec<(usize, Date, Option<Date>)>> = vec![Vec::new(); women.len()];
    let place_of = |id: i64| women.iter().position(|w| w.id == id).unwrap_or(0);
    // The groups meet on yesterday's, today's and tomorrow's weekdays.
    let mut attendance: Vec<(i64, i64, AttendanceStatus, i64)> = Vec::new();
    let week_ago = today.checked_sub(7.days()).unwrap_or(today);
    for (n, offset) in [-1i64, 0, 1].into_iter().enumerate() {
        let g = store::insert_group(c, ids[n], names[n], leaders[n], now).await?;
        let first = today.checked_add((offset - 42).days()).unwrap_or(today);
        let members: Vec<(i64, Date)> = taking_part
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + n) % 3 != 2)
            .map(|(_, (p, from))| (p.id, (*from).max(first)))
            .collect();
        for (m, from) in &members {
            store::insert_enrolment(
                c,
                &NewEnrolment {
                    participant_id: *m,
                    intervention_id: ids[n],
                    group_id: Some(g),
                    status: EnrolmentStatus::Ongoing,
                    start_date: Some(*from),
                    end_date: None,
                },
                now,
            )
            .await?;
            paths[place_of(*m)].push((n, *from, None));
        }
        let mut d = first;
        for _ in 0..13 {
            let session = store::insert_session(c, g, d, "10:00", 120, specs[n].place).await?;
            if d < week_ago {
                for (m, _) in members.iter().filter(|(_, from)| *from <= d) {
                    let status = match rng.below(100) {
                        0..=79 => AttendanceStatus::Present,
                        80..=91 => AttendanceStatus::AbsentWithNotice,
                        _ => AttendanceStatus::Absent,
                    };
                    let minutes = if status == AttendanceStatus::Present {
                        120
                    } else {
                        0
                    };
                    attendance.push((session, *m, status, minutes));
                }
            }
            d = d.checked_add(7.days()).unwrap_or(d);
        }
    }
    // The women who ended took part in the language café until their exit.
    for p in women.iter().filter(|p| p.exit.is_some()) {
        let from = p.intake.checked_add(7.days()).unwrap_or(p.intake);
        store::insert_enrolment(
            c,
            &NewEnrolment {
                participant_id: p.id,
                intervention_id: ids[0],
                group_id: None,
                status: EnrolmentStatus::Completed,
                start_date: Some(from),
                end_date: p.exit,
            },
            now,
        )
        .await?;
        paths[place_of(p.id)].push((0, from, p.exit));
    }
    store::insert_attendance_batch(c, &attendance, staff.coordinator, now).await?;
    // Work training in the evenings: four places taken, two waiting.
    for (i, (p, from)) in taking_part.iter().take(6).enumerate() {
        store::insert_enrolment(
            c,
            &NewEnrolment {
                participant_id: p.id,
                intervention_id: ids[3],
                group_id: None,
                status: if i < 4 {
                    EnrolmentStatus::Ongoing
                } else {
                    EnrolmentStatus::Waiting
                },
                start_date: (i < 4).then_some(*from),
                end_date: None,
            },
            now,
        )
        .await?;
        if i < 4 {
            paths[place_of(p.id)].push((3, *from, None));
        }
    }

    // Her plan, written in her first two weeks; six months planned.
    for (p, path) in women.iter().zip(&paths) {
        let written = p
            .intake
            .checked_add((3 + rng.below(11) as i64).days())
            .unwrap_or(p.intake)
            .min(today);
        let work_goal = rng.below(3) > 0;
        let mut goals = vec![Goal {
            category: "language".into(),
            text: "Jag vill kunna prata svenska med kunder och kollegor.".into(),
        }];
        if work_goal {
            goals.push(Goal {
                category: "work".into(),
                text: "Jag vill få ett arbete inom handeln.".into(),
            });
        }
        let plan = Plan {
            goals,
            steps: path
                .iter()
                .map(|(n, from, to)| Step {
                    intervention_id: ids[*n],
                    planned_start: Some(from.to_string()),
                    planned_end: to.map(|d| d.to_string()),
                    responsible_organisation_id: org_ids[specs[*n].org],
                    responsible_user_id: None,
                    note: String::new(),
                })
                .collect(),
            reviews: Vec::new(),
            interests: demo_interests(p.id, work_goal),
            reach: demo_reach(p.id, work_goal),
        };
        store::insert_plan_version(
            c,
            p.id,
            &plan.to_json(),
            staff.coordinator,
            at(written, now),
            written,
        )
        .await?;
        palett_store::matching::set_interests(c, p.id, &plan.interests).await?;
        palett_store::matching::set_reach(c, p.id, &plan.reach).await?;
        let six = p.intake.checked_add(6.months()).unwrap_or(p.intake);
        store::set_planned_end(c, p.id, six, None, staff.coordinator, now).await?;
        // A self-assessment in her first week.
        let first_on = p.intake.checked_add(7.days()).unwrap_or(p.intake);
        if first_on <= today {
            let aspects = palett_domain::selfassessment::Aspect::ALL.len();
            let scores: Vec<i16> = (0..aspects).map(|_| 1 + rng.below(3) as i16).collect();
            palett_store::selfassessment::insert(
                c,
                p.id,
                first_on,
                &scores,
                Some(staff.coordinator),
                now,
            )
            .await?;
        }
        // Her follow-ups: those due more than a week ago are done; the
        // latest wait on the worklists.
        if let (Some(exit), Some(outcome)) = (p.exit, p.outcome) {
            follow_up(
                c,
                p.id,
                (exit, outcome),
                Some(week_ago),
                (staff.coordinator, now),
            )
            .await?;
        }
    }
    store::refresh_partnership_counts(c, pid).await?;
    store::refresh_partnership_time(c, pid).await?;
    let portal = PORTAL_WOMEN.iter().map(|(n, _)| women[*n].id).collect();
    Ok(Current { project, portal })
}
