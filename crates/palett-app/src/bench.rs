//! The benchmark: `palett seed-bench --participants N` adds N synthetic
//! participants (with groups, sessions and attendance) to the demo
//! partnership in a project of their own, and `palett bench` times what
//! must stay fast as data grows: the dashboards, the funder reports, the
//! palette reports and the list behind a figure. Timings are measured and
//! printed, never asserted.

use crate::dashboard::FigureRef;
use crate::demo::{Rng, DEMO_USERS};
use crate::paging::Page;
use crate::reports::ReportKind;
use crate::{App, Result};
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::admin::ReportPeriod;
use palett_domain::indicators::{Goal, Indicator, Period};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::palette::InterventionInput;
use palett_domain::record::{NewNote, NoteVisibility};
use palett_store::bench::{insert, V};
use std::time::Instant;

/// The benchmark project's name and period.
pub const BENCH_PROJECT: &str = "Prestandaprojektet";
const START: Date = date(2019, 1, 1);
const END: Date = date(2026, 12, 31);
/// Participants per group.
const GROUP_SIZE: usize = 20;
/// Where the benchmark's employers are, in turn.
const BENCH_MUNICIPALITIES: [&str; 4] = ["Botkyrka", "Huddinge", "Salem", "Stockholm"];

/// What `seed_bench` made.
#[derive(Debug)]
pub struct BenchSeed {
    pub project_id: i64,
    pub participants: usize,
    pub sessions: usize,
    pub attendance: usize,
    /// Openings for the matching benchmark (one for every ten participants).
    pub openings: usize,
}

/// One timing: a label and the milliseconds of each run.
#[derive(Debug)]
pub struct Timing {
    pub label: &'static str,
    pub runs_ms: Vec<f64>,
}

impl Timing {
    pub fn median(&self) -> f64 {
        let mut v = self.runs_ms.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }

    pub fn max(&self) -> f64 {
        self.runs_ms.iter().copied().fold(0.0, f64::max)
    }
}

fn d(x: Date) -> V {
    V::Text(x.to_string())
}

const OUTCOMES: [ExitOutcome; 8] = [
    ExitOutcome::EmploymentUnsubsidised,
    ExitOutcome::EmploymentSubsidised,
    ExitOutcome::Studies,
    ExitOutcome::JobSeeking,
    ExitOutcome::JobSeeking,
    ExitOutcome::OtherProgramme,
    ExitOutcome::Sickness,
    ExitOutcome::NoContact,
];

impl App {
    /// Seed the demo (when the database is empty) and add `n` synthetic
    /// participants to a project of their own, each in a group of twenty
    /// with `sessions_per_group` sessions and attendance at every one.
    #[tracing::instrument(skip_all)]
    pub async fn seed_bench(&self, n: usize, sessions_per_group: usize) -> Result<BenchSeed> {
        self.seed_demo().await?;
        let ctx = self.ctx_for_email(DEMO_USERS[1].0).await?;
        let pid = ctx.actor.partnership_id;
        let orgs: Vec<i64> = self
            .memberships(&ctx)
            .await?
            .iter()
            .map(|m| m.organisation_id)
            .collect();
        let now = self.now();
        let today = self.today();
        let project_id = {
            let mut tx = crate::work::bookkeeping(self).await?;
            let id = palett_store::project::insert(
                &mut tx,
                pid,
                BENCH_PROJECT,
                "Benchmark",
                START,
                END,
                Some(n as i64),
                Some(20.0),
            )
            .await?;
            for (indicator, target) in [
                (Indicator::Enrolled, n as f64),
                (Indicator::ShareJobOrStudies, 20.0),
            ] {
                let goal = Goal {
                    id: 0,
                    project_id: Some(id),
                    indicator,
                    target,
                    period: Period {
                        start: START,
                        end: END,
                    },
                };
                palett_store::indicators::insert_goal(&mut tx, pid, &goal, None, now).await?;
            }
            tx.commit().await?;
            id
        };
        let intervention = self
            .create_intervention(
                &ctx,
                InterventionInput {
                    name: "Svenska i grupp (prestanda)".into(),
                    kind: "language_training".into(),
                    provider_organisation_id: ctx.actor.organisation_id.to_string(),
                    group_based: "true".into(),
                    project_id: project_id.to_string(),
                    ..Default::default()
                }
                .parse(),
                None,
            )
            .await?;
        let mut rng = Rng(0x5eed_bead_0000_0001 ^ n as u64);
        let span = (END.min(today) - START).get_days().max(1) as u64;
        let (mut sessions, mut attendance) = (0, 0);
        // A thousand participants (fifty groups) per transaction.
        for first in (0..n).step_by(1000) {
            let count = 1000.min(n - first);
            let mut people = Vec::with_capacity(count);
            let mut facts = Vec::with_capacity(count);
            for i in first..first + count {
                let intake = START
                    .checked_add((rng.below(span) as i64).days())
                    .unwrap_or(START);
                let referred = intake.checked_sub(14.days()).unwrap_or(intake);
                let length = 30 + rng.below(870) as i64;
                let exit = intake
                    .checked_add(length.days())
                    .ok()
                    .filter(|e| *e < today);
                let referral_only = rng.below(100) < 3;
                let outcome = exit.map(|_| *rng.pick(&OUTCOMES));
                let gender = match rng.below(50) {
                    0 => "unknown",
                    1..=4 => "man",
                    _ => "woman",
                };
                let birth = date(
                    1960 + rng.below(40) as i16,
                    1 + rng.below(12) as i8,
                    1 + rng.below(28) as i8,
                );
                let status = match (referral_only, exit) {
                    (true, _) => "referred",
                    (false, Some(_)) => "ended",
                    (false, None) => "active",
                };
                let given = format!("Bench{i}");
                let family = format!("Prestanda{}", i % 997);
                people.push(vec![
                    V::Int(pid),
                    V::Text(given.clone()),
                    V::Text(family.clone()),
                    V::Text(format!("{given} {family}").to_lowercase()),
                    V::Text("birth_date".into()),
                    d(birth),
                    V::Text(gender.into()),
                    V::Text(String::new()),
                    V::Text("unknown".into()),
                    V::Text("unknown".into()),
                    V::Text("municipality".into()),
                    V::Int(*rng.pick(&orgs)),
                    V::Text(status.into()),
                    d(referred),
                    if referral_only { V::Null } else { d(intake) },
                    match (referral_only, exit) {
                        (false, Some(e)) => d(e),
                        _ => V::Null,
                    },
                    match (referral_only, outcome) {
                        (false, Some(o)) => V::Text(o.as_str().into()),
                        _ => V::Null,
                    },
                    d(exit.unwrap_or(intake)),
                    V::Int(now),
                    V::Int(now),
                ]);
                facts.push((referral_only, intake, exit, rng.below(10) == 0));
            }
            let mut tx = crate::work::bookkeeping(self).await?;
            let ids = insert(
                &mut tx,
                "participants",
                &[
                    "partnership_id",
                    "given_name",
                    "family_name",
                    "search_name",
                    "identity_kind",
                    "birth_date",
                    "gender",
                    "languages",
                    "education_level",
                    "swedish_level",
                    "referral_source",
                    "responsible_organisation_id",
                    "status",
                    "referred_on",
                    "intake_date",
                    "exit_date",
                    "exit_outcome",
                    "last_change_on",
                    "created_at",
                    "updated_at",
                ],
                &people,
                true,
            )
            .await?;
            let links: Vec<Vec<V>> = ids
                .iter()
                .map(|id| vec![V::Int(*id), V::Int(project_id)])
                .collect();
            insert(
                &mut tx,
                "participant_projects",
                &["participant_id", "project_id"],
                &links,
                false,
            )
            .await?;
            // For matching: half of those in the programme agree to employer
            // contact, and each names one or two occupation areas and one
            // or two municipalities she can reach (by id, so that the
            // random draws above stay as they were).
            let mut consents = Vec::new();
            let mut interests = Vec::new();
            let mut reach = Vec::new();
            for (id, (referral_only, intake, exit, _)) in ids.iter().zip(&facts) {
                if *referral_only || exit.is_some() {
                    continue;
                }
                if id % 2 == 0 {
                    consents.push(vec![
                        V::Int(*id),
                        V::Text("employer_contact".into()),
                        V::Text("signed_paper".into()),
                        d(*intake),
                        V::Int(now),
                    ]);
                }
                let areas = palett_domain::occupations::areas();
                let first = &areas[(*id as usize) % areas.len()].code;
                interests.push(vec![V::Int(*id), V::Text(first.clone())]);
                if id % 3 == 0 {
                    let second = &areas[(*id as usize + 7) % areas.len()].code;
                    interests.push(vec![V::Int(*id), V::Text(second.clone())]);
                }
                let places: &[&str] = if id % 4 == 0 {
                    &["Botkyrka", "Huddinge"]
                } else {
                    &["Botkyrka"]
                };
                for place in places {
                    reach.push(vec![
                        V::Int(*id),
                        V::Text(palett_domain::matching::place_key(place)),
                        V::Text(place.to_string()),
                    ]);
                }
            }
            insert(
                &mut tx,
                "consents",
                &[
                    "participant_id",
                    "kind",
                    "method",
                    "given_on",
                    "recorded_at",
                ],
                &consents,
                false,
            )
            .await?;
            insert(
                &mut tx,
                "participant_interests",
                &["participant_id", "area"],
                &interests,
                false,
            )
            .await?;
            insert(
                &mut tx,
                "participant_reach",
                &["participant_id", "place_key", "name"],
                &reach,
                false,
            )
            .await?;
            // A pause of thirty days for one in ten.
            let mut events = Vec::new();
            for (id, (referral_only, intake, exit, paused)) in ids.iter().zip(&facts) {
                if *referral_only || !*paused {
                    continue;
                }
                let from = intake.checked_add(20.days()).unwrap_or(*intake);
                let to = from.checked_add(30.days()).unwrap_or(from);
                if exit.is_some_and(|e| e <= to) || to >= today {
                    continue;
                }
                for (kind, from_status, to_status, on) in [
                    ("pause", "active", "paused", from),
                    ("resume", "paused", "active", to),
                ] {
                    events.push(vec![
                        V::Int(*id),
                        V::Text(kind.into()),
                        V::Text(from_status.into()),
                        V::Text(to_status.into()),
                        d(on),
                        V::Int(now),
                    ]);
                }
            }
            insert(
                &mut tx,
                "status_events",
                &[
                    "participant_id",
                    "kind",
                    "from_status",
                    "to_status",
                    "on_date",
                    "at",
                ],
                &events,
                false,
            )
            .await?;
            // Groups of twenty, each with its sessions and everyone's attendance.
            let enrolled: Vec<(i64, Date)> = ids
                .iter()
                .zip(&facts)
                .filter(|(_, f)| !f.0)
                .map(|(id, f)| (*id, f.1))
                .collect();
            for members in enrolled.chunks(GROUP_SIZE) {
                let group = insert(
                    &mut tx,
                    "activity_groups",
                    &["intervention_id", "name", "created_at"],
                    &[vec![
                        V::Int(intervention),
                        V::Text(format!("Grupp {}", members[0].0)),
                        V::Int(now),
                    ]],
                    true,
                )
                .await?[0];
                let start = members.iter().map(|m| m.1).min().unwrap_or(START);
                let enrolments: Vec<Vec<V>> = members
                    .iter()
                    .map(|(id, _)| {
                        vec![
                            V::Int(*id),
                            V::Int(intervention),
                            V::Int(group),
                            V::Text("ongoing".into()),
                            d(start),
                            V::Int(now),
                            V::Int(now),
                        ]
                    })
                    .collect();
                insert(
                    &mut tx,
                    "enrolments",
                    &[
                        "participant_id",
                        "intervention_id",
                        "group_id",
                        "status",
                        "start_date",
                        "requested_at",
                        "updated_at",
                    ],
                    &enrolments,
                    false,
                )
                .await?;
                let days: Vec<Vec<V>> = (0..sessions_per_group)
                    .map(|k| {
                        let on = start.checked_add((7 * k as i64).days()).unwrap_or(start);
                        vec![
                            V::Int(group),
                            d(on),
                            V::Text("09:00".into()),
                            V::Int(120),
                            V::Text("scheduled".into()),
                        ]
                    })
                    .collect();
                let session_ids = insert(
                    &mut tx,
                    "group_sessions",
                    &["group_id", "on_date", "start_time", "minutes", "status"],
                    &days,
                    true,
                )
                .await?;
                sessions += session_ids.len();
                let mut rows = Vec::with_capacity(session_ids.len() * members.len());
                for s in &session_ids {
                    for (id, _) in members {
                        let (status, minutes) = match rng.below(10) {
                            0 => ("absent", 0),
                            1 => ("absent_notice", 0),
                            _ => ("present", 120),
                        };
                        rows.push(vec![
                            V::Int(*s),
                            V::Int(*id),
                            V::Text(status.into()),
                            V::Int(minutes),
                            V::Int(now),
                        ]);
                    }
                }
                attendance += rows.len();
                insert(
                    &mut tx,
                    "attendance",
                    &[
                        "session_id",
                        "participant_id",
                        "status",
                        "minutes",
                        "recorded_at",
                    ],
                    &rows,
                    false,
                )
                .await?;
                // The kept counts and time, as recording attendance keeps them.
                palett_store::palette::refresh_group_counts(&mut tx, group).await?;
                let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
                palett_store::palette::refresh_participants_time(&mut tx, &ids).await?;
            }
            tx.commit().await?;
        }
        let openings = self.seed_bench_openings(pid, &orgs, n / 10).await?;
        // Fresh statistics for the planner, as autovacuum would gather.
        let mut c = self.db.read().await?;
        sqlx::query("ANALYZE").execute(&mut *c).await?;
        drop(c);
        Ok(BenchSeed {
            project_id,
            participants: n,
            sessions,
            attendance,
            openings,
        })
    }

    /// `count` openings (four in five open) at employers of their own, a
    /// hundred openings each, for the matching benchmark.
    async fn seed_bench_openings(&self, pid: i64, orgs: &[i64], count: usize) -> Result<usize> {
        use palett_domain::opening::{OpeningKind, OpeningStatus};
        let now = self.now();
        let groups = palett_domain::occupations::groups();
        let kinds = OpeningKind::ALL;
        let levels = ["beginner", "intermediate", "fluent"];
        let mut tx = crate::work::bookkeeping(self).await?;
        let mut employers = Vec::new();
        for k in 0..count.div_ceil(100) {
            // A made-up organisation number with a valid check digit.
            let number = (0..10)
                .find_map(|check| {
                    palett_domain::values::OrgNumber::parse(&format!("55980{k:04}{check}")).ok()
                })
                .ok_or_else(|| crate::AppError::internal("no check digit"))?;
            let name = format!("Prestandaföretaget {k} AB");
            employers.push(vec![
                V::Int(pid),
                V::Text(name.clone()),
                V::Text(name.to_lowercase()),
                V::Text(number.as_str().into()),
                V::Text("G".into()),
                V::Text(BENCH_MUNICIPALITIES[k % BENCH_MUNICIPALITIES.len()].into()),
                V::Int(orgs[k % orgs.len()]),
                V::Int(now),
            ]);
        }
        let employer_ids = insert(
            &mut tx,
            "employers",
            &[
                "partnership_id",
                "name",
                "search_name",
                "org_number",
                "industry",
                "municipality",
                "owner_organisation_id",
                "created_at",
            ],
            &employers,
            true,
        )
        .await?;
        let rows: Vec<Vec<V>> = (0..count)
            .map(|i| {
                let g = &groups[(i * 37) % groups.len()];
                let kind = kinds[i % kinds.len()];
                let start = START
                    .checked_add(((i % 2900) as i64).days())
                    .unwrap_or(START);
                let end = start.checked_add(35.days()).unwrap_or(start);
                let status = if i % 5 == 0 {
                    OpeningStatus::Filled
                } else {
                    OpeningStatus::Open
                };
                let title = format!("Erbjudande {i}");
                vec![
                    V::Int(pid),
                    V::Int(employer_ids[i / 100]),
                    V::Text(kind.as_str().into()),
                    if kind == OpeningKind::Job {
                        V::Text("ordinary".into())
                    } else {
                        V::Null
                    },
                    V::Text(title.clone()),
                    V::Text(title.to_lowercase()),
                    V::Text(g.ssyk.clone()),
                    V::Text(g.area.clone()),
                    V::Int(1 + (i % 4) as i64),
                    d(start),
                    d(end),
                    V::Text(levels[i % levels.len()].into()),
                    V::Text(status.as_str().into()),
                    V::Int(orgs[i % orgs.len()]),
                    V::Int(now),
                ]
            })
            .collect();
        insert(
            &mut tx,
            "openings",
            &[
                "partnership_id",
                "employer_id",
                "kind",
                "employment_form",
                "title",
                "search_title",
                "ssyk",
                "area",
                "places",
                "start_date",
                "end_date",
                "swedish_level",
                "status",
                "responsible_organisation_id",
                "created_at",
            ],
            &rows,
            false,
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Time each operation `runs` times (after one warm-up run) as the
    /// demo coordinator, on the benchmark project.
    #[tracing::instrument(skip_all)]
    pub async fn bench(&self, runs: usize) -> Result<Vec<Timing>> {
        let ctx = self.ctx_for_email(DEMO_USERS[1].0).await?;
        let project = self
            .projects(&ctx)
            .await?
            .into_iter()
            .find(|p| p.name == BENCH_PROJECT)
            .map(|p| p.id)
            .ok_or(crate::AppError::NotFound)?;
        let mut out = Vec::new();
        macro_rules! time {
            ($label:expr, $call:expr) => {{
                $call.await?;
                let mut runs_ms = Vec::with_capacity(runs);
                for _ in 0..runs {
                    let t = Instant::now();
                    $call.await?;
                    runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                out.push(Timing {
                    label: $label,
                    runs_ms,
                });
            }};
        }
        // A figure twice: computed afresh each run (as after any change),
        // then as kept (as between changes; see `figure_cache`).
        macro_rules! time_figure {
            ($label:expr, $call:expr) => {{
                let mut runs_ms = Vec::with_capacity(runs);
                for run in 0..=runs {
                    self.figures.forget();
                    let t = Instant::now();
                    $call.await?;
                    if run > 0 {
                        runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                }
                out.push(Timing {
                    label: concat!($label, ", computed"),
                    runs_ms,
                });
                time!(concat!($label, ", kept"), $call);
            }};
        }
        time_figure!(
            "dashboard, project",
            self.dashboard(&ctx, Some(project), None, None)
        );
        time_figure!(
            "dashboard, partnership",
            self.dashboard(&ctx, None, None, None)
        );
        time_figure!(
            "dashboard, by age group",
            self.dashboard(
                &ctx,
                Some(project),
                Some(palett_domain::indicators::Breakdown::AgeGroup),
                Some(Indicator::ShareJobOrStudies)
            )
        );
        time_figure!(
            "dashboard, by intervention",
            self.dashboard(
                &ctx,
                Some(project),
                Some(palett_domain::indicators::Breakdown::Intervention),
                Some(Indicator::AttendanceRate)
            )
        );
        time_figure!(
            "final report",
            self.funder_report(
                &ctx,
                ReportKind::Final,
                Some(project),
                Ok(ReportPeriod::WHOLE_PROJECT),
                false
            )
        );
        time_figure!(
            "Finsam report",
            self.funder_report(
                &ctx,
                ReportKind::Finsam,
                Some(project),
                Ok(ReportPeriod::WHOLE_PROJECT),
                false
            )
        );
        time!("palette reports (attendance)", self.reports(&ctx));
        // Matching: the candidates for one open opening (the one with the
        // most candidates' area), and the openings for one participant.
        let opening = {
            let open = crate::openings::OpeningFilter {
                status: Some(palett_domain::opening::OpeningStatus::Open),
                q: Some("Erbjudande 1".into()),
                ..Default::default()
            };
            self.openings(&ctx, &open, Page::new(Some(1), Some(1)))
                .await?
                .0
                .first()
                .map(|o| o.id)
                .ok_or(crate::AppError::NotFound)?
        };
        time!(
            "matching, candidates for an opening",
            self.opening_candidates(&ctx, opening, Page::new(Some(1), Some(25)))
        );
        let someone = self
            .participants(
                &ctx,
                &palett_store::participant::Filter {
                    status: Some(palett_domain::lifecycle::Status::Active),
                    project_id: Some(project),
                    ..Default::default()
                },
                Page::new(Some(1), Some(1)),
            )
            .await?
            .0
            .first()
            .map(|p| p.id)
            .ok_or(crate::AppError::NotFound)?;
        time!(
            "matching, openings for a participant",
            self.openings_for_participant(&ctx, someone, Page::new(Some(1), Some(25)))
        );
        time!(
            "list behind a figure",
            self.figure_participants(
                &ctx,
                Some(project),
                &FigureRef {
                    indicator: Some(Indicator::ShareJobOrStudies),
                    ..FigureRef::default()
                },
                Page::new(Some(1), Some(25)),
            )
        );
        Ok(out)
    }

    /// Read participants' records (audited reads) from `readers` tasks at
    /// once, `reads_each` each, while one more task writes notes: what the
    /// unit of work's read-only snapshots are for. On SQLite a read that
    /// took the write lock would queue every reader behind the others and
    /// behind the writer.
    #[tracing::instrument(skip_all)]
    pub async fn bench_concurrency(
        &self,
        readers: usize,
        reads_each: usize,
    ) -> Result<Concurrency> {
        let ctx = self.ctx_for_email(DEMO_USERS[1].0).await?;
        let (list, _) = self
            .participants(
                &ctx,
                &palett_store::participant::Filter::default(),
                Page::new(Some(1), Some(100)),
            )
            .await?;
        let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
        let Some(&first) = ids.first() else {
            return Err(crate::AppError::NotFound);
        };
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for r in 0..readers {
            let (app, ctx, ids) = (self.clone(), ctx.clone(), ids.clone());
            tasks.spawn(async move {
                let mut ms = Vec::with_capacity(reads_each);
                for i in 0..reads_each {
                    let t = Instant::now();
                    app.participant(&ctx, ids[(r * reads_each + i) % ids.len()])
                        .await?;
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, crate::AppError>((true, ms))
            });
        }
        {
            let (app, ctx) = (self.clone(), ctx.clone());
            tasks.spawn(async move {
                let mut ms = Vec::with_capacity(reads_each);
                for _ in 0..reads_each {
                    let t = Instant::now();
                    let note = NewNote {
                        body: "Prestandamätning.".into(),
                        visibility: NoteVisibility::OwnOrganisation,
                    };
                    app.add_note(&ctx, first, &note).await?;
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok((false, ms))
            });
        }
        let (mut read, mut write) = (Vec::new(), Vec::new());
        while let Some(done) = tasks.join_next().await {
            let (is_read, ms) =
                done.map_err(|e| crate::AppError::internal_from("bench task", e))??;
            if is_read {
                read.extend(ms)
            } else {
                write.extend(ms)
            }
        }
        Ok(Concurrency {
            readers,
            reads: read.len(),
            wall_ms: started.elapsed().as_secs_f64() * 1000.0,
            read: Timing {
                label: "record read, with others",
                runs_ms: read,
            },
            write: Timing {
                label: "note written meanwhile",
                runs_ms: write,
            },
        })
    }
}

/// What [`App::bench_concurrency`] measured.
#[derive(Debug)]
pub struct Concurrency {
    pub readers: usize,
    pub reads: usize,
    /// From the first read to the last read or write.
    pub wall_ms: f64,
    pub read: Timing,
    pub write: Timing,
}

impl Concurrency {
    pub fn reads_per_second(&self) -> f64 {
        self.reads as f64 / (self.wall_ms / 1000.0)
    }
}
