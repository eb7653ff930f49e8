//! Correct under concurrency, on both databases (issue 18): changes that
//! decide from the same rows at the same moment, and requests abandoned
//! half-way (a client that hangs up), leave palett as if they had come one
//! at a time.
//!
//! Deadlines here only turn a hang into a failure; nothing is timed.

use crate::harness::*;
use crate::palette::{
    intervention, participant, running_project, sessions, taken_in, walking_group,
};
use jiff::civil::Date;
use palett_app::demo::DEMO_PASSWORD;
use palett_app::participants::Page;
use palett_app::{AppError, Ctx};
use palett_domain::model::ParticipantInput;
use palett_domain::palette::EnrolmentStatus;
use palett_domain::path::Enrol;
use palett_store::participant::Filter;
use std::future::Future;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(60);

/// `fut`, or a failure naming `what` if it hangs.
async fn within<T>(h: &H, what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, fut)
        .await
        .unwrap_or_else(|_| panic!("{:?}: {what} hung", h.backend))
}

/// Run the futures at once, each in a task of its own; their results.
async fn all_at_once<T, F>(futures: Vec<F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("the task ran"));
    }
    out
}

/// Eight caseworkers enrol eight women in a course of one place, all at
/// once, five times over: each time one gets the place and seven go on the
/// waiting list, in the order they were decided, and nobody is refused.
pub(crate) async fn one_place_goes_to_one_of_eight_enrolled_at_once(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let mut women = Vec::new();
    for i in 0..8u16 {
        women.push(participant(&h, &coach, kommun, &format!("Plats{i}"), 500 + i).await);
    }
    for round in 0..5 {
        let course = intervention(
            &h,
            &coordinator,
            &format!("Enplatskurs {round}"),
            "course",
            kommun,
            "1",
            false,
            None,
        )
        .await;
        let enrolments = women
            .iter()
            .map(|&p| {
                let (app, ctx) = (h.app.clone(), coach.clone());
                async move { app.enrol(&ctx, p, &Enrol::in_intervention(course)).await }
            })
            .collect();
        let results = within(&h, "eight enrolments", all_at_once(enrolments)).await;
        let mut planned = 0;
        for (i, r) in results.iter().enumerate() {
            match r {
                Ok((_, EnrolmentStatus::Planned)) => planned += 1,
                Ok((_, EnrolmentStatus::Waiting)) => {}
                other => panic!("{:?} round {round}: enrolment {i}: {other:?}", h.backend),
            }
        }
        assert_eq!(planned, 1, "{:?} round {round}: one place", h.backend);
        let view = h
            .app
            .intervention(&coordinator, course)
            .await
            .expect("the course");
        assert_eq!(view.places_taken, 1, "{:?} round {round}", h.backend);
        let waiting = view
            .enrolments
            .iter()
            .filter(|e| e.status == EnrolmentStatus::Waiting)
            .count();
        assert_eq!(waiting, 7, "{:?} round {round}: seven wait", h.backend);
    }
}

/// The same woman enrolled in the same course by eight requests at once
/// (a double click, two colleagues): one enrolment; every other request is
/// told she is already enrolled there, none fails.
pub(crate) async fn the_same_participant_enrolled_twice_at_once_is_enrolled_once(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    for round in 0..5u16 {
        let she = participant(&h, &coach, kommun, &format!("Dubbel{round}"), 600 + round).await;
        let course = intervention(
            &h,
            &coordinator,
            &format!("Dubbelkurs {round}"),
            "course",
            kommun,
            "",
            false,
            None,
        )
        .await;
        let enrolments = (0..8)
            .map(|_| {
                let (app, ctx) = (h.app.clone(), coach.clone());
                async move { app.enrol(&ctx, she, &Enrol::in_intervention(course)).await }
            })
            .collect();
        let results = within(&h, "eight enrolments of one", all_at_once(enrolments)).await;
        let mut enrolled = 0;
        for r in results {
            match r {
                Ok(_) => enrolled += 1,
                Err(AppError::Invalid(e)) => assert_eq!(
                    e.for_field("intervention_id"),
                    Some("error-already-enrolled-here"),
                    "{:?} round {round}",
                    h.backend
                ),
                Err(other) => panic!("{:?} round {round}: {other:?}", h.backend),
            }
        }
        assert_eq!(enrolled, 1, "{:?} round {round}: enrolled once", h.backend);
        let hers = h.app.enrolments(&coach, she).await.expect("her enrolments");
        assert_eq!(
            hers.iter().filter(|e| e.intervention_id == course).count(),
            1,
            "{:?} round {round}: one enrolment stored",
            h.backend
        );
    }
}

/// Attendance saved for eight sessions at once, each sheet by its own
/// request, for the same three women, and one sheet saved four times at
/// once: every save succeeds, and her kept time is the sum of all of them
/// (no recount misses another's attendance, no row is written twice).
pub(crate) async fn attendance_saved_at_once_adds_up(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let project = running_project(&h, &coordinator).await;
    let (walk, group) = walking_group(
        &h,
        &coordinator,
        &coach,
        kommun,
        project,
        ("Samtidig promenad", "Samtidigt"),
    )
    .await;
    let today = h.app.today();
    let weeks_ago = |w: i64| -> Date {
        today
            .checked_sub(jiff::Span::new().weeks(w))
            .expect("a date")
    };
    let mut women = Vec::new();
    for (i, name) in ["Aya", "Bahar", "Cala"].iter().enumerate() {
        let she = taken_in(
            &h,
            &coach,
            kommun,
            name,
            700 + i as u16,
            weeks_ago(8),
            false,
            Some(project),
        )
        .await;
        h.app
            .enrol(&coach, she, &Enrol::in_group(walk, group))
            .await
            .expect("enrol");
        women.push(she);
    }
    let all = sessions(&h, &coach, group, weeks_ago(7), 7).await;
    assert_eq!(all.len(), 8, "eight weekly sessions");
    let present: Vec<(String, String)> = women
        .iter()
        .map(|p| (p.to_string(), "present".to_string()))
        .collect();
    let saves = all
        .iter()
        .map(|&s| {
            let (app, ctx, rows) = (h.app.clone(), coach.clone(), present.clone());
            async move { app.record_attendance(&ctx, s, &marks(&rows)).await }
        })
        .collect();
    for (i, r) in within(&h, "eight sheets", all_at_once(saves))
        .await
        .into_iter()
        .enumerate()
    {
        if let Err(e) = r {
            panic!("{:?}: saving sheet {i}: {e:?}", h.backend);
        }
    }
    // One sheet four times at once: a re-save of what is there changes
    // nothing and corrects nothing.
    let again = (0..4)
        .map(|_| {
            let (app, ctx, rows) = (h.app.clone(), coach.clone(), present.clone());
            let s = all[0];
            async move { app.record_attendance(&ctx, s, &marks(&rows)).await }
        })
        .collect();
    for r in within(&h, "one sheet four times", all_at_once(again)).await {
        if let Err(e) = r {
            panic!("{:?}: saving one sheet again: {e:?}", h.backend);
        }
    }
    let mut c = h.app.raw_db().read().await.expect("connection");
    for &she in &women {
        let (sessions_present, minutes): (i64, i64) = sqlx::query_as(
            "SELECT present_sessions, minutes FROM participant_time \
             WHERE participant_id = $1 AND project_key = $2",
        )
        .bind(she)
        .bind(project)
        .fetch_one(&mut *c)
        .await
        .expect("her kept time");
        assert_eq!(
            (sessions_present, minutes),
            (8, 8 * 120),
            "{:?}: participant {she}",
            h.backend
        );
    }
    let corrections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance_corrections")
        .fetch_one(&mut *c)
        .await
        .expect("corrections");
    assert_eq!(
        corrections, 0,
        "{:?}: a re-save corrects nothing",
        h.backend
    );
    drop(c);
    for &s in &all {
        let sheet = h.app.attendance_sheet(&coach, s).await.expect("sheet");
        assert_eq!(sheet.roster.len(), 3, "{:?}", h.backend);
    }
}

/// A pseudo-random number from `seed` (a fixed sequence: a failure can be
/// run again as it was).
fn mix(seed: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// One request of each kind a caseworker sends, the `n`th of its kind.
async fn request(app: palett_app::App, ctx: Ctx, kind: u64, n: u64, fixture: Fixture) {
    match kind {
        0 => {
            let form = ParticipantInput {
                intake_date: "2026-11-24".into(),
                ..input(
                    "Avbruten",
                    "Klientsson",
                    &pnr("19880101", 100 + (n % 800) as u16),
                    fixture.org,
                )
            };
            let _ = app.submit_registration(&ctx, &form).await;
        }
        1 => {
            let _ = app
                .enrol(
                    &ctx,
                    fixture.women[(n % fixture.women.len() as u64) as usize],
                    &Enrol::in_intervention(fixture.course),
                )
                .await;
        }
        2 => {
            let _ = app.participant(&ctx, fixture.women[0]).await;
        }
        3 => {
            let _ = app
                .participants(&ctx, &Filter::default(), Page::new(None, None))
                .await;
        }
        4 => {
            let rows = vec![(fixture.women[0].to_string(), "present".to_string())];
            let _ = app
                .record_attendance(&ctx, fixture.session, &marks(&rows))
                .await;
        }
        _ => {
            let _ = app.reports(&ctx).await;
        }
    }
}

#[derive(Clone)]
struct Fixture {
    org: i64,
    course: i64,
    session: i64,
    women: Vec<i64>,
}

/// Thousands of requests abandoned half-way, as by clients that hang up
/// while theirs waits for the database (the SQLite wedge of issue 18: a
/// cancelled `BEGIN IMMEDIATE` left a pooled connection inside a write
/// transaction, and every later write failed). Afterwards every kind of
/// request still succeeds, many times over so that every pooled
/// connection is used, and the database can be written at once.
pub(crate) async fn requests_abandoned_half_way_leave_everything_working(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let project = running_project(&h, &coordinator).await;
    let course = intervention(
        &h,
        &coordinator,
        "Avbrottskurs",
        "course",
        kommun,
        "3",
        false,
        None,
    )
    .await;
    let (walk, group) = walking_group(
        &h,
        &coordinator,
        &coach,
        kommun,
        project,
        ("Avbrottspromenad", "Avbrott"),
    )
    .await;
    let today = h.app.today();
    let mut women = Vec::new();
    for i in 0..6u16 {
        let she = taken_in(
            &h,
            &coach,
            kommun,
            &format!("Kvar{i}"),
            800 + i,
            today,
            false,
            Some(project),
        )
        .await;
        women.push(she);
    }
    h.app
        .enrol(&coach, women[0], &Enrol::in_group(walk, group))
        .await
        .expect("enrol in the group");
    let session = sessions(&h, &coach, group, today, 0).await[0];
    let fixture = Fixture {
        org: kommun,
        course,
        session,
        women,
    };

    // 2,400 requests, 24 at a time, each abandoned after a random 0–3 ms
    // (many in the middle of their transaction, many while they queue for
    // it), with a sign-in now and then.
    const ABANDONED: u64 = 2_400;
    const AT_ONCE: u64 = 24;
    let mut abandoned = 0;
    for batch in 0..ABANDONED / AT_ONCE {
        let mut wave = Vec::new();
        for k in 0..AT_ONCE {
            let n = batch * AT_ONCE + k;
            let r = mix(n);
            let (app, ctx, f) = (h.app.clone(), coach.clone(), fixture.clone());
            let patience = Duration::from_micros(r % 3_000);
            wave.push(tokio::spawn(async move {
                tokio::time::timeout(patience, request(app, ctx, (r >> 20) % 6, n, f))
                    .await
                    .is_err()
            }));
        }
        if batch % 25 == 0 {
            let app = h.app.clone();
            wave.push(tokio::spawn(async move {
                tokio::time::timeout(
                    Duration::from_micros(500),
                    app.sign_in(COACH, DEMO_PASSWORD, IP),
                )
                .await
                .is_err()
            }));
        }
        for w in wave {
            if w.await.expect("the task ran") {
                abandoned += 1;
            }
        }
    }
    assert!(
        abandoned > ABANDONED / 2,
        "{:?}: most requests were abandoned ({abandoned})",
        h.backend
    );

    // Everything still works, every kind of request, 24 rounds (more than
    // the pool's connections).
    for round in 0..24u16 {
        let she = within(
            &h,
            "a registration",
            h.app.submit_registration(
                &coach,
                &ParticipantInput {
                    intake_date: "2026-11-24".into(),
                    ..input(
                        "Efteråt",
                        "Klientsson",
                        &pnr("19890202", 900 + round),
                        kommun,
                    )
                },
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{:?} round {round}: registering: {e:?}", h.backend));
        within(
            &h,
            "an enrolment",
            h.app.enrol(&coach, she, &Enrol::in_intervention(course)),
        )
        .await
        .unwrap_or_else(|e| panic!("{:?} round {round}: enrolling: {e:?}", h.backend));
        within(&h, "a record", h.app.participant(&coach, she))
            .await
            .unwrap_or_else(|e| panic!("{:?} round {round}: reading: {e:?}", h.backend));
        within(
            &h,
            "the list",
            h.app
                .participants(&coach, &Filter::default(), Page::new(None, None)),
        )
        .await
        .unwrap_or_else(|e| panic!("{:?} round {round}: listing: {e:?}", h.backend));
        let rows = vec![(fixture.women[0].to_string(), "present".to_string())];
        within(
            &h,
            "attendance",
            h.app.record_attendance(&coach, session, &marks(&rows)),
        )
        .await
        .unwrap_or_else(|e| panic!("{:?} round {round}: attendance: {e:?}", h.backend));
        within(&h, "the reports", h.app.reports(&coordinator))
            .await
            .unwrap_or_else(|e| panic!("{:?} round {round}: reports: {e:?}", h.backend));
        assert!(
            within(&h, "readiness", h.app.ready()).await,
            "{:?} round {round}: a write transaction begins and commits",
            h.backend
        );
    }
    within(&h, "a sign-in", h.app.sign_in(COACH, DEMO_PASSWORD, IP))
        .await
        .unwrap_or_else(|e| panic!("{:?}: signing in: {e:?}", h.backend));
    // Every abandoned write was whole or nothing: no enrolment without its
    // audit row.
    let mut c = h.app.raw_db().read().await.expect("connection");
    let unaudited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments e WHERE e.intervention_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM audit_log a WHERE a.action = 'enrolment.create' AND a.entity_id = e.id)",
    )
    .bind(course)
    .fetch_one(&mut *c)
    .await
    .expect("count");
    assert_eq!(unaudited, 0, "{:?}: every enrolment is audited", h.backend);
}
