//! The demo palette, after the seeds: work training in Hela Människan's
//! shops, Svenska i butik with its modules and five-week internship,
//! Swedish language training, a health-promoting walking group, group
//! sessions, study visits to employers, job matching and guidance; plans,
//! enrolments, weekly sessions with attendance over the project period, and
//! the sessions cancelled in the spring of 2020. Synthetic and deterministic.

use super::{Person, Rng, Staff};
use crate::Result;
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::palette::{
    AttendanceStatus, EnrolmentStatus, InterventionKind as K, InterventionSpec,
};
use palett_domain::plan::{Goal, Plan, Step};
use palett_store::palette::{self as store, NewEnrolment};
use palett_store::AnyConnection;

pub(super) struct Spec {
    pub(super) name: &'static str,
    pub(super) kind: K,
    pub(super) org: usize,
    pub(super) project: Option<i64>,
    pub(super) capacity: Option<i64>,
    pub(super) group: bool,
    pub(super) place: &'static str,
    pub(super) period: (Date, Date),
    pub(super) description: &'static str,
}

pub(super) fn spec(s: &Spec, org_ids: &[i64]) -> InterventionSpec {
    InterventionSpec {
        name: s.name.into(),
        kind: s.kind,
        provider_organisation_id: org_ids[s.org],
        description: s.description.into(),
        place: s.place.into(),
        languages: vec!["svenska".into()],
        capacity: s.capacity,
        group_based: s.group,
        project_id: s.project,
        start_date: Some(s.period.0),
        end_date: Some(s.period.1),
    }
}

/// Ten in the morning of `day` (UTC), as a moment; never after `now`.
pub(super) fn at(day: Date, now: i64) -> i64 {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second() + 10 * 3600)
        .unwrap_or(now)
        .min(now)
}

/// A weekly (or monthly) series of sessions of one group.
struct Series {
    group: i64,
    first: Date,
    last: Date,
    step_weeks: i64,
    time: &'static str,
    minutes: i64,
    place: &'static str,
}

fn pandemic(d: Date) -> bool {
    (date(2020, 3, 16)..=date(2020, 6, 14)).contains(&d)
}

pub(crate) async fn seed(
    c: &mut AnyConnection,
    pid: i64,
    org_ids: &[i64],
    (tk, sib): (i64, i64),
    people: &[Person],
    staff: &Staff,
    now: i64,
) -> Result<()> {
    let mut rng = Rng(0x9A1E_77E5_2019_0304);
    let tk_period = (date(2018, 11, 1), date(2021, 10, 31));
    let specs = [
        Spec { name: "Arbetsträning i Hela Människans butiker", kind: K::WorkTraining, org: 0, project: Some(tk), capacity: Some(60), group: false, place: "Second hand-butikerna i Tumba och Fittja", period: tk_period, description: "Arbetsträning i butik med handledare: kassa, sortering, kundbemötande." },
        Spec { name: "Svenska i butik", kind: K::Course, org: 3, project: Some(sib), capacity: Some(16), group: true, place: "Botkyrka folkhögskola", period: (date(2020, 8, 17), date(2021, 6, 11)), description: "Ettårig kurs: svenska och matematik på folkhögskolan varvat med praktik i butikerna, och fem veckors extern praktik under vårterminen." },
        Spec { name: "Språkträning i svenska – språkcafé", kind: K::LanguageTraining, org: 4, project: Some(tk), capacity: Some(20), group: true, place: "Bildas lokal, Tumba", period: tk_period, description: "Samtal på svenska i små grupper med cirkelledare." },
        Spec { name: "Hälsofrämjande promenadgrupp", kind: K::HealthPromoting, org: 1, project: Some(tk), capacity: None, group: true, place: "Start vid Tumba centrum", period: (date(2019, 3, 1), tk_period.1), description: "Promenad och samtal om hälsa en gång i veckan." },
        Spec { name: "Gruppträffar om arbetsliv och vardag", kind: K::GroupSession, org: 4, project: None, capacity: Some(20), group: true, place: "Bildas lokal, Tumba", period: (date(2019, 1, 1), tk_period.1), description: "Personalledda gruppsamlingar med olika teman." },
        Spec { name: "Studiebesök hos arbetsgivare", kind: K::StudyVisit, org: 0, project: Some(tk), capacity: Some(12), group: true, place: "Arbetsgivare i Botkyrka", period: (date(2019, 2, 1), tk_period.1), description: "Besök hos arbetsgivare inom handel, vård och lokalvård." },
        Spec { name: "Jobbmatchning", kind: K::JobMatching, org: 0, project: Some(tk), capacity: None, group: false, place: "", period: tk_period, description: "Matchning mot praktikplatser och jobb hos arbetsgivare i nätverket." },
        Spec { name: "Vägledning och coachning", kind: K::Guidance, org: 1, project: None, capacity: None, group: false, place: "Botkyrka kommun", period: tk_period, description: "Individuella samtal med coach." },
    ];
    let mut ids = Vec::new();
    for s in &specs {
        ids.push(store::insert_intervention(c, pid, &spec(s, org_ids), None, now).await?);
    }
    let (work, course, language, walk, sessions_id, visits, matching, guidance) = (
        ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7],
    );
    let modules = [
        Spec {
            name: "Svenska och matematik på folkhögskolan",
            kind: K::LanguageTraining,
            org: 3,
            project: Some(sib),
            capacity: Some(16),
            group: true,
            place: "Botkyrka folkhögskola",
            period: (date(2020, 8, 17), date(2021, 6, 11)),
            description: "",
        },
        Spec {
            name: "Praktik i Hela Människans butiker",
            kind: K::WorkTraining,
            org: 0,
            project: Some(sib),
            capacity: Some(16),
            group: false,
            place: "Butikerna",
            period: (date(2020, 9, 7), date(2021, 6, 4)),
            description: "Yrkessvenska för butik och personalledda gruppsamlingar.",
        },
        Spec {
            name: "Extern butikspraktik, fem veckor",
            kind: K::Internship,
            org: 0,
            project: Some(sib),
            capacity: Some(16),
            group: false,
            place: "Butiker inom handeln",
            period: (date(2021, 4, 12), date(2021, 5, 14)),
            description: "",
        },
    ];
    for (i, m) in modules.iter().enumerate() {
        store::insert_intervention(c, pid, &spec(m, org_ids), Some((course, i as i64 + 1)), now)
            .await?;
    }

    let tuesday = store::insert_group(
        c,
        language,
        "Språkcafé tisdagar",
        staff.language_teacher,
        now,
    )
    .await?;
    let thursday = store::insert_group(
        c,
        language,
        "Språkcafé torsdagar",
        staff.language_teacher,
        now,
    )
    .await?;
    let walking = store::insert_group(c, walk, "Promenad onsdagar", staff.walk_leader, now).await?;
    let meetings = store::insert_group(
        c,
        sessions_id,
        "Gruppträff fredagar",
        staff.language_teacher,
        now,
    )
    .await?;
    let visiting = store::insert_group(c, visits, "Studiebesök", staff.supervisor, now).await?;
    let class = store::insert_group(
        c,
        course,
        "Svenska i butik 2020/21",
        staff.school_teacher,
        now,
    )
    .await?;

    // Enrolments: each participant gets a path of her own through the palette.
    let mut members: Vec<(i64, i64, Date, Option<Date>)> = Vec::new(); // (group, person, from, to)
    let mut in_work_training = Vec::new();
    for (n, p) in people.iter().enumerate() {
        let start = p.intake.checked_add(7.days()).unwrap_or(p.intake);
        let status = if p.exit.is_some() {
            EnrolmentStatus::Completed
        } else {
            EnrolmentStatus::Ongoing
        };
        let mut path: Vec<(i64, Option<i64>)> = Vec::new();
        if rng.below(10) < 8 {
            path.push((work, None));
            in_work_training.push(p);
        }
        if rng.below(10) < 4 {
            path.push((language, Some(if n % 2 == 0 { tuesday } else { thursday })));
        }
        if rng.below(10) < 3 && start >= date(2019, 3, 1) {
            path.push((walk, Some(walking)));
        }
        if rng.below(10) < 4 {
            path.push((sessions_id, Some(meetings)));
        }
        if rng.below(10) < 2 {
            path.push((visits, Some(visiting)));
        }
        if rng.below(10) < 2 {
            path.push((matching, None));
        }
        if rng.below(10) < 3 {
            path.push((guidance, None));
        }
        if p.in_sib {
            path.push((course, Some(class)));
        }
        let mut steps = Vec::new();
        for (intervention, group) in &path {
            let (from, to) = if *intervention == course {
                (date(2020, 8, 17), Some(date(2021, 6, 11)))
            } else {
                (start, p.exit)
            };
            let s = if *intervention == course && p.exit.is_none_or(|e| e > date(2021, 6, 11)) {
                EnrolmentStatus::Completed
            } else {
                status
            };
            store::insert_enrolment(
                c,
                &NewEnrolment {
                    participant_id: p.id,
                    intervention_id: *intervention,
                    group_id: *group,
                    status: s,
                    start_date: Some(from),
                    end_date: to,
                },
                now,
            )
            .await?;
            if let Some(g) = group {
                members.push((*g, p.id, from, to));
            }
            steps.push(Step {
                intervention_id: *intervention,
                planned_start: Some(from.to_string()),
                planned_end: to.map(|d| d.to_string()),
                responsible_organisation_id: specs
                    .iter()
                    .zip(&ids)
                    .find(|(_, id)| **id == *intervention)
                    .map_or(org_ids[3], |(s, _)| org_ids[s.org]),
                responsible_user_id: None,
                note: String::new(),
            });
        }
        // A plan written at intake, revised for some.
        let goals = [
            (
                "language",
                "Jag vill kunna prata svenska med kunder och kollegor.",
            ),
            ("work", "Jag vill få ett arbete inom handeln."),
            ("health", "Jag vill orka mer och må bättre."),
            ("studies", "Jag vill läsa vidare på komvux."),
            ("network", "Jag vill lära känna fler människor i Botkyrka."),
        ];
        let first = rng.below(goals.len() as u64) as usize;
        let second = (first + 1 + rng.below(goals.len() as u64 - 1) as usize) % goals.len();
        let work_goal = [first, second].iter().any(|g| goals[*g].0 == "work");
        let plan = Plan {
            goals: [first, second]
                .iter()
                .map(|g| Goal {
                    category: goals[*g].0.into(),
                    text: goals[*g].1.into(),
                })
                .collect(),
            steps,
            reviews: Vec::new(),
            interests: demo_interests(p.id, work_goal),
            reach: demo_reach(p.id, work_goal),
        };
        // Most plans are written within a few weeks of intake; some later.
        let written = p
            .intake
            .checked_add((3 + rng.below(50) as i64).days())
            .unwrap_or(p.intake);
        // Each version carries the moment it was written, so that a plan
        // not reviewed since is due for review on the demo's day.
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
        if rng.below(10) < 3 {
            let mut revised = plan.clone();
            let revised_on = start.checked_add(3.months()).unwrap_or(start);
            revised.reviews.push(palett_domain::plan::Review {
                date: revised_on.to_string(),
                participants: "Deltagaren, handledare, coach".into(),
                notes: "Språket går framåt; behöver mer tid.".into(),
                decisions: "Förläng perioden och fortsätt med språkträningen.".into(),
            });
            store::insert_plan_version(
                c,
                p.id,
                &revised.to_json(),
                staff.coordinator,
                at(revised_on, now),
                revised_on,
            )
            .await?;
        }
        // Six months planned, as the project planned; many extended.
        let six = p.intake.checked_add(6.months()).unwrap_or(p.intake);
        store::set_planned_end(c, p.id, six, None, staff.coordinator, now).await?;
        if p.exit.is_none_or(|e| e > six) && rng.below(10) < 7 {
            let longer = six.checked_add(6.months()).unwrap_or(six);
            store::set_planned_end(
                c,
                p.id,
                longer,
                Some("Sex månader räckte inte – behöver mer språkträning och hälsoinsatser."),
                staff.coordinator,
                now,
            )
            .await?;
        }
    }

    // Sessions, with the spring of 2020 cancelled, and attendance.
    let series = [
        Series {
            group: tuesday,
            first: date(2018, 11, 6),
            last: date(2021, 10, 26),
            step_weeks: 1,
            time: "10:00",
            minutes: 120,
            place: "Bildas lokal",
        },
        Series {
            group: thursday,
            first: date(2018, 11, 8),
            last: date(2021, 10, 28),
            step_weeks: 1,
            time: "10:00",
            minutes: 120,
            place: "Bildas lokal",
        },
        Series {
            group: walking,
            first: date(2019, 3, 6),
            last: date(2021, 10, 27),
            step_weeks: 1,
            time: "13:00",
            minutes: 90,
            place: "Tumba centrum",
        },
        Series {
            group: meetings,
            first: date(2019, 1, 11),
            last: date(2021, 10, 29),
            step_weeks: 2,
            time: "13:00",
            minutes: 120,
            place: "Bildas lokal",
        },
        Series {
            group: visiting,
            first: date(2019, 2, 1),
            last: date(2021, 10, 1),
            step_weeks: 4,
            time: "09:00",
            minutes: 180,
            place: "Hos arbetsgivaren",
        },
        Series {
            group: class,
            first: date(2020, 8, 17),
            last: date(2021, 6, 7),
            step_weeks: 1,
            time: "09:00",
            minutes: 240,
            place: "Botkyrka folkhögskola",
        },
    ];
    let mut attendance: Vec<(i64, i64, AttendanceStatus, i64)> = Vec::new();
    for s in &series {
        let mut d = s.first;
        while d <= s.last {
            let session = store::insert_session(c, s.group, d, s.time, s.minutes, s.place).await?;
            let visits_stopped =
                s.group == visiting && (date(2020, 3, 1)..=date(2021, 8, 31)).contains(&d);
            if pandemic(d) || visits_stopped {
                store::cancel_session(c, session, "Inställd på grund av pandemin").await?;
            } else if rng.below(25) == 0 {
                store::cancel_session(c, session, "Ledaren sjuk").await?;
            } else {
                for (_, person, _, _) in members
                    .iter()
                    .filter(|m| m.0 == s.group && m.2 <= d && m.3.is_none_or(|t| t >= d))
                {
                    let status = match rng.below(100) {
                        0..=77 => AttendanceStatus::Present,
                        78..=91 => AttendanceStatus::AbsentWithNotice,
                        _ => AttendanceStatus::Absent,
                    };
                    let minutes = if status == AttendanceStatus::Present {
                        s.minutes
                    } else {
                        0
                    };
                    attendance.push((session, *person, status, minutes));
                }
            }
            d = d
                .checked_add((s.step_weeks * 7).days())
                .unwrap_or(date(2100, 1, 1));
        }
    }
    store::insert_attendance_batch(c, &attendance, staff.coordinator, now).await?;
    store::refresh_partnership_counts(c, pid).await?;

    // Work training: attested hours per month.
    let mut activities: Vec<(i64, i64, Date, i64, &str)> = Vec::new();
    for p in in_work_training {
        let end = p.exit.unwrap_or(date(2021, 10, 31));
        let mut month = date(p.intake.year(), p.intake.month(), 1)
            .checked_add(1.month())
            .unwrap_or(p.intake);
        while month <= end && rng.below(10) < 8 {
            let last_day = month.last_of_month();
            let hours = 30 + rng.below(31) as i64;
            activities.push((
                p.id,
                work,
                last_day.min(end),
                hours * 60,
                "Arbetsträning, attesterad tid",
            ));
            month = month.checked_add(1.month()).unwrap_or(end);
        }
    }
    store::insert_activities_batch(c, &activities, staff.coordinator, now).await?;
    store::refresh_partnership_time(c, pid).await?;
    // Placements with the registry's employers run under an internship of
    // the ordinary operations (added last, so the ids above stay as they
    // were).
    let placements = Spec {
        name: "Praktik hos arbetsgivare",
        kind: K::Internship,
        org: 0,
        project: None,
        capacity: None,
        group: false,
        place: "Hos arbetsgivaren",
        period: (date(2019, 1, 1), date(2027, 12, 31)),
        description: "Praktik eller arbetsträning hos en arbetsgivare i registret, med handledare och uppföljning.",
    };
    store::insert_intervention(c, pid, &spec(&placements, org_ids), None, now).await?;
    Ok(())
}

/// Occupational interests for a plan with a work goal (retail, as the goal
/// says, and for some cleaning or restaurants), derived from her id so that
/// the demo's random draws stay as they were.
/// The municipalities the plan of a woman with a work goal says she can
/// reach: Botkyrka, where she lives, and for some a neighbour.
pub(super) fn demo_reach(id: i64, work_goal: bool) -> Vec<String> {
    if !work_goal {
        return Vec::new();
    }
    let mut places = vec!["Botkyrka".to_string()];
    if id % 2 == 0 {
        places.push("Huddinge".to_string());
    }
    if id % 5 == 0 {
        places.push("Salem".to_string());
    }
    places
}

pub(super) fn demo_interests(id: i64, work_goal: bool) -> Vec<String> {
    if !work_goal {
        return Vec::new();
    }
    let mut areas = Vec::new();
    if id % 3 == 0 {
        areas.push("cleaning".to_string());
    }
    if id % 4 == 0 {
        areas.push("hospitality".to_string());
    }
    areas.push("sales".to_string());
    areas
}
