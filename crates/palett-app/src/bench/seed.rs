//! `palett seed-bench`: the synthetic partnership of the benchmark, made
//! fast enough for a million participants (issue 18) on either database.
//!
//! The participants and what hangs on each (project link, consents,
//! interests, reach, pauses, enrolment) are drawn with the seeded [`Rng`]
//! and written many rows per statement, 20,000 participants per
//! transaction, on a connection of its own set for bulk loading
//! ([`palett_store::bench::bulk_connection`]). Their groups' sessions get
//! their ids from the generator, which draws every attendance row with
//! [`attendance_draw`] over the session's and the participant's ids: it
//! writes each session's kept counts and each participant's kept time
//! (`participant_time`) with the rows themselves, and the database then
//! makes the hundred million attendance rows by the same draw in SQL
//! ([`palett_store::bench::insert_attendance`]) without one of them
//! crossing the connection. On PostgreSQL the attendance table's keys and
//! indexes are dropped for that load and built again after it, in the same
//! transaction.

use super::Result;
use crate::demo::{Rng, DEMO_USERS};
use crate::App;
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::indicators::{Goal, Indicator, Period};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::palette::InterventionInput;
use palett_store::bench::{attendance_draw, insert, V};

/// The benchmark project's name and period.
pub const BENCH_PROJECT: &str = "Prestandaprojektet";
const START: Date = date(2019, 1, 1);
const END: Date = date(2026, 12, 31);
/// Participants per group.
const GROUP_SIZE: usize = 20;
/// Participants per transaction.
const BATCH: usize = 20_000;
/// Sessions whose attendance one statement makes (about two million rows
/// with a hundred sessions a group).
const SESSIONS_PER_STATEMENT: i64 = 100_000;
/// A session's length in minutes: what a present participant is credited.
const SESSION_MINUTES: i64 = 120;
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

/// What the generator drew for one participant beyond her row.
struct Facts {
    referral_only: bool,
    intake: Date,
    exit: Option<Date>,
    paused: bool,
}

/// Her attendance and time as `participant_time` keeps them.
#[derive(Default)]
struct Kept {
    present: i64,
    recorded: i64,
    minutes: i64,
}

/// The ids of the sessions made, and the rows counted.
#[derive(Default)]
struct Made {
    first_session: Option<i64>,
    last_session: i64,
    sessions: usize,
    attendance: usize,
}

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
        let mut c = palett_store::bench::bulk_connection(&self.db).await?;
        let mut rng = Rng(0x5eed_bead_0000_0001 ^ n as u64);
        let mut made = Made::default();
        let batch = Batch {
            pid,
            orgs: &orgs,
            project_id,
            intervention,
            sessions_per_group,
            now,
            today: self.today(),
        };
        let started = std::time::Instant::now();
        for first in (0..n).step_by(BATCH) {
            let count = BATCH.min(n - first);
            let mut tx = palett_store::bench::begin(&mut c).await?;
            batch
                .participants(&mut tx, &mut rng, first, count, &mut made)
                .await?;
            tx.commit().await?;
        }
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "participants, groups, sessions"
        );
        if let Some(first) = made.first_session {
            attendance(&mut c, intervention, first, made.last_session, now).await?;
        }
        tracing::info!(seconds = started.elapsed().as_secs_f64(), "attendance");
        let openings = self.seed_bench_openings(pid, &orgs, n / 10).await?;
        // Fresh statistics for the planner, as autovacuum would gather.
        sqlx::query("ANALYZE").execute(&mut c).await?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "openings, statistics"
        );
        sqlx::Connection::close(c).await?;
        Ok(BenchSeed {
            project_id,
            participants: n,
            sessions: made.sessions,
            attendance: made.attendance,
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
}

/// What every batch of participants shares.
struct Batch<'a> {
    pid: i64,
    orgs: &'a [i64],
    project_id: i64,
    intervention: i64,
    sessions_per_group: usize,
    now: i64,
    today: Date,
}

impl Batch<'_> {
    /// Participants `first..first + count` and everything that hangs on
    /// them but their attendance rows, in the caller's transaction.
    async fn participants(
        &self,
        c: &mut sqlx::AnyConnection,
        rng: &mut Rng,
        first: usize,
        count: usize,
        made: &mut Made,
    ) -> Result<()> {
        let (pid, now, today) = (self.pid, self.now, self.today);
        let span = (END.min(today) - START).get_days().max(1) as u64;
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
                V::Text(format!("{given} {family}").to_lowercase()),
                V::Text(given),
                V::Text(family),
                V::Text("birth_date".into()),
                d(birth),
                V::Text(gender.into()),
                V::Text(String::new()),
                V::Text("unknown".into()),
                V::Text("unknown".into()),
                V::Text("municipality".into()),
                V::Int(*rng.pick(self.orgs)),
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
            facts.push(Facts {
                referral_only,
                intake,
                exit,
                paused: rng.below(10) == 0,
            });
        }
        let ids = insert(
            c,
            "participants",
            &[
                "partnership_id",
                "search_name",
                "given_name",
                "family_name",
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
        drop(people);
        let links: Vec<Vec<V>> = ids
            .iter()
            .map(|id| vec![V::Int(*id), V::Int(self.project_id)])
            .collect();
        insert(
            c,
            "participant_projects",
            &["participant_id", "project_id"],
            &links,
            false,
        )
        .await?;
        self.matching(c, &ids, &facts).await?;
        self.pauses(c, &ids, &facts).await?;
        let enrolled: Vec<(i64, Date)> = ids
            .iter()
            .zip(&facts)
            .filter(|(_, f)| !f.referral_only)
            .map(|(id, f)| (*id, f.intake))
            .collect();
        self.groups(c, &enrolled, made).await
    }

    /// For matching: half of those in the programme agree to employer
    /// contact, and each names one or two occupation areas and one or two
    /// municipalities she can reach (by id, so that the random draws stay
    /// as they are).
    async fn matching(
        &self,
        c: &mut sqlx::AnyConnection,
        ids: &[i64],
        facts: &[Facts],
    ) -> Result<()> {
        let mut consents = Vec::new();
        let mut interests = Vec::new();
        let mut reach = Vec::new();
        let areas = palett_domain::occupations::areas();
        for (id, f) in ids.iter().zip(facts) {
            if f.referral_only || f.exit.is_some() {
                continue;
            }
            if id % 2 == 0 {
                consents.push(vec![
                    V::Int(*id),
                    V::Text("employer_contact".into()),
                    V::Text("signed_paper".into()),
                    d(f.intake),
                    V::Int(self.now),
                ]);
            }
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
            c,
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
            c,
            "participant_interests",
            &["participant_id", "area"],
            &interests,
            false,
        )
        .await?;
        insert(
            c,
            "participant_reach",
            &["participant_id", "place_key", "name"],
            &reach,
            false,
        )
        .await?;
        Ok(())
    }

    /// A pause of thirty days for one in ten.
    async fn pauses(
        &self,
        c: &mut sqlx::AnyConnection,
        ids: &[i64],
        facts: &[Facts],
    ) -> Result<()> {
        let mut events = Vec::new();
        for (id, f) in ids.iter().zip(facts) {
            if f.referral_only || !f.paused {
                continue;
            }
            let from = f.intake.checked_add(20.days()).unwrap_or(f.intake);
            let to = from.checked_add(30.days()).unwrap_or(from);
            if f.exit.is_some_and(|e| e <= to) || to >= self.today {
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
                    V::Int(self.now),
                ]);
            }
        }
        insert(
            c,
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
        Ok(())
    }

    /// Groups of twenty, their enrolments and sessions (one a week from
    /// the earliest intake), each session with the counts of the
    /// attendance [`attendance`] will make, and each member's kept time.
    async fn groups(
        &self,
        c: &mut sqlx::AnyConnection,
        enrolled: &[(i64, Date)],
        made: &mut Made,
    ) -> Result<()> {
        let now = self.now;
        let groups: Vec<Vec<V>> = enrolled
            .chunks(GROUP_SIZE)
            .map(|members| {
                vec![
                    V::Int(self.intervention),
                    V::Text(format!("Grupp {}", members[0].0)),
                    V::Int(now),
                ]
            })
            .collect();
        let group_ids = insert(
            c,
            "activity_groups",
            &["intervention_id", "name", "created_at"],
            &groups,
            true,
        )
        .await?;
        let mut next_session = palett_store::bench::next_id(c, "group_sessions").await?;
        let mut enrolments = Vec::with_capacity(enrolled.len());
        let mut sessions = Vec::new();
        let mut time = Vec::with_capacity(enrolled.len());
        for (members, group) in enrolled.chunks(GROUP_SIZE).zip(group_ids) {
            let start = members.iter().map(|m| m.1).min().unwrap_or(START);
            let mut kept: Vec<Kept> = members.iter().map(|_| Kept::default()).collect();
            for (id, _) in members {
                enrolments.push(vec![
                    V::Int(*id),
                    V::Int(self.intervention),
                    V::Int(group),
                    V::Text("ongoing".into()),
                    d(start),
                    V::Int(now),
                    V::Int(now),
                ]);
            }
            for k in 0..self.sessions_per_group {
                let session = next_session;
                next_session += 1;
                made.first_session.get_or_insert(session);
                made.last_session = session;
                let on = start.checked_add((7 * k as i64).days()).unwrap_or(start);
                let (mut present, mut notice, mut absent) = (0, 0, 0);
                for ((id, _), kept) in members.iter().zip(&mut kept) {
                    kept.recorded += 1;
                    match attendance_draw(session, *id) {
                        0 => absent += 1,
                        1 => notice += 1,
                        _ => {
                            present += 1;
                            kept.present += 1;
                            kept.minutes += SESSION_MINUTES;
                        }
                    }
                }
                sessions.push(vec![
                    V::Int(session),
                    V::Int(group),
                    d(on),
                    V::Text("09:00".into()),
                    V::Int(SESSION_MINUTES),
                    V::Text("scheduled".into()),
                    V::Int(present),
                    V::Int(notice),
                    V::Int(absent),
                    V::Int(present * SESSION_MINUTES),
                ]);
                made.sessions += 1;
                made.attendance += members.len();
            }
            for ((id, _), kept) in members.iter().zip(kept) {
                if kept.recorded > 0 {
                    time.push(vec![
                        V::Int(*id),
                        V::Int(self.project_id),
                        V::Int(kept.present),
                        V::Int(kept.recorded),
                        V::Int(kept.minutes),
                    ]);
                }
            }
        }
        insert(
            c,
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
        insert(
            c,
            "group_sessions",
            &[
                "id",
                "group_id",
                "on_date",
                "start_time",
                "minutes",
                "status",
                "present_count",
                "notice_count",
                "absent_count",
                "present_minutes",
            ],
            &sessions,
            false,
        )
        .await?;
        palett_store::bench::move_sequence(c, "group_sessions").await?;
        insert(
            c,
            "participant_time",
            &[
                "participant_id",
                "project_key",
                "present_sessions",
                "recorded_sessions",
                "minutes",
            ],
            &time,
            false,
        )
        .await?;
        Ok(())
    }
}

/// The attendance of sessions `first..=last`, made by the database: one
/// transaction on PostgreSQL, with the table's keys and indexes dropped
/// for the load and built again at its end; on SQLite a commit every
/// [`SESSIONS_PER_STATEMENT`] sessions, so that the write-ahead log stays
/// a few hundred megabytes.
async fn attendance(
    c: &mut sqlx::AnyConnection,
    intervention: i64,
    first: i64,
    last: i64,
    now: i64,
) -> Result<()> {
    use palett_store::bench;
    let postgres = c.backend_name().starts_with("Postgre");
    if postgres {
        // Statistics for the join below on the fresh rows.
        for table in ["group_sessions", "enrolments"] {
            sqlx::query(&format!("ANALYZE {table}"))
                .execute(&mut *c)
                .await?;
        }
    }
    let mut tx = bench::begin(c).await?;
    let keys = bench::drop_keys(&mut tx, "attendance").await?;
    let mut from = first;
    while from <= last {
        let to = (from + SESSIONS_PER_STATEMENT - 1).min(last);
        bench::insert_attendance(&mut tx, intervention, from, to, now).await?;
        from = to + 1;
        if !postgres && from <= last {
            tx.commit().await?;
            tx = bench::begin(c).await?;
        }
    }
    let started = std::time::Instant::now();
    bench::restore_keys(&mut tx, keys).await?;
    tx.commit().await?;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "attendance keys");
    Ok(())
}
