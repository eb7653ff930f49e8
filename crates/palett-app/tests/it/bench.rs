//! The benchmark generator makes consistent data on both databases: the
//! dashboard counts what it made, and the timings run.

use crate::harness::*;
use palett_app::bench::BENCH_PROJECT;
use palett_app::Backend;
use palett_domain::indicators::Indicator;

/// The project dashboard's count of those enrolled.
async fn enrolled(h: &H, ctx: &palett_app::Ctx, project: i64) -> i64 {
    h.app
        .dashboard(ctx, Some(project), None, None)
        .await
        .expect("dashboard")
        .figures
        .iter()
        .find(|f| f.indicator == Indicator::Enrolled)
        .expect("enrolled")
        .count
}

pub(crate) async fn the_benchmark_generator_makes_what_the_dashboard_counts(h: H) {
    let seed = h.app.seed_bench(230, 3).await.expect("seed-bench");
    assert_eq!(seed.participants, 230);
    assert_eq!(seed.openings, 23, "one opening for every ten participants");
    let ctx = h.ctx(COORDINATOR).await;
    let p = h.project_id(&ctx, BENCH_PROJECT).await;
    assert_eq!(p, seed.project_id);
    let enrolled = enrolled(&h, &ctx, p).await;
    // Everyone but the referrals has an intake, and each attended every
    // session of her group.
    assert!(enrolled > 200 && enrolled <= 230, "{enrolled}");
    assert_eq!(seed.attendance as i64, enrolled * 3);
    assert_eq!(seed.sessions, (enrolled as usize).div_ceil(20) * 3);
    let timings = h.app.bench(1).await.expect("bench");
    // Six figures timed computed and kept, and four other reads.
    assert_eq!(timings.len(), 16);
    for label in [
        "dashboard, by intervention, computed",
        "dashboard, by intervention, kept",
        "final report, computed",
        "final report, kept",
        "matching, candidates for an opening",
        "matching, openings for a participant",
    ] {
        assert!(timings.iter().any(|t| t.label == label), "{label}");
    }
    assert!(timings.iter().all(|t| t.runs_ms.len() == 1));
}

/// A boxed future that is Send (sqlx's executors over a borrowed
/// connection otherwise trip the compiler's Send check in a spawned story).
type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

fn scalar<'a>(h: &'a H, sql: String) -> Boxed<'a, i64> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        sqlx::query_scalar(&sql)
            .fetch_one(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    })
}

/// The attendance table's keys and indexes on PostgreSQL, as the
/// catalogue defines them.
const KEYS: &str = "SELECT string_agg(d, '; ' ORDER BY d) FROM ( \
     SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || CAST(convalidated AS TEXT) AS d \
     FROM pg_constraint WHERE conrelid = CAST('attendance' AS regclass) \
     UNION ALL SELECT indexdef FROM pg_indexes WHERE tablename = 'attendance') k";

fn text<'a>(h: &'a H, sql: &'a str) -> Boxed<'a, String> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        sqlx::query_scalar(sql)
            .fetch_one(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    })
}

/// The kept counts of the sessions and the kept time of the participants,
/// as text, one line each.
fn kept(h: &H) -> Boxed<'_, Vec<String>> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        let mut out = Vec::new();
        for sql in [
            "SELECT CAST(id AS TEXT) || ':' || CAST(present_count AS TEXT) || ':' || \
             CAST(notice_count AS TEXT) || ':' || CAST(absent_count AS TEXT) || ':' || \
             CAST(present_minutes AS TEXT) FROM group_sessions ORDER BY id",
            "SELECT CAST(participant_id AS TEXT) || ':' || CAST(project_key AS TEXT) || ':' || \
             CAST(present_sessions AS TEXT) || ':' || CAST(recorded_sessions AS TEXT) || ':' || \
             CAST(minutes AS TEXT) FROM participant_time ORDER BY participant_id, project_key",
        ] {
            let rows: Vec<String> = sqlx::query_scalar(sql)
                .fetch_all(&mut *c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            out.extend(rows);
        }
        out
    })
}

/// Recount every kept count and time of the demo partnership the slow way
/// (what recording attendance runs, over every session and participant).
fn recount(h: &H, partnership_id: i64) -> Boxed<'_, ()> {
    Box::pin(async move {
        let mut tx = h.app.raw_db().write().await.expect("a transaction");
        palett_store::palette::refresh_partnership_counts(&mut tx, partnership_id)
            .await
            .expect("session counts");
        palett_store::palette::refresh_partnership_time(&mut tx, partnership_id)
            .await
            .expect("participant time");
        tx.commit().await.expect("commit");
    })
}

/// What the fast generator writes is what the app's own slow paths find:
/// every table it fills holds the rows a participant-by-participant
/// generator would (counted independently in SQL), the counts and time it
/// keeps are those a full recount gives, its attendance is about eight in
/// ten present, the dashboard's enrolled figure is everyone with an
/// intake, and the database's keys are whole afterwards (PostgreSQL's
/// were dropped and built again for the load, SQLite's were not checked
/// row by row).
pub(crate) async fn the_fast_benchmark_generator_keeps_what_a_recount_finds(h: H) {
    let keys_before = match h.backend {
        Backend::Postgres => {
            let keys = text(&h, KEYS).await;
            assert!(keys.contains("attendance_participant"), "{keys}");
            keys
        }
        Backend::Sqlite => String::new(),
    };
    let seed = h.app.seed_bench(300, 3).await.expect("seed-bench");
    let p = seed.project_id;
    let ctx = h.ctx(COORDINATOR).await;
    let pid = ctx.actor.partnership_id;
    let count = |sql: &str| scalar(&h, sql.replace("{p}", &p.to_string()));
    assert_eq!(
        count("SELECT COUNT(*) FROM participant_projects WHERE project_id = {p}").await,
        300
    );
    let with_intake = count(
        "SELECT COUNT(*) FROM participants x JOIN participant_projects l ON l.participant_id = x.id \
         WHERE l.project_id = {p} AND x.intake_date IS NOT NULL",
    )
    .await;
    assert!(with_intake > 270 && with_intake < 300, "{with_intake}");
    let in_groups = "FROM enrolments e JOIN interventions i ON i.id = e.intervention_id \
                     WHERE i.project_id = {p}";
    assert_eq!(
        count(&format!("SELECT COUNT(*) {in_groups}")).await,
        with_intake,
        "everyone taken in is enrolled in a group"
    );
    let groups = count(
        "SELECT COUNT(*) FROM activity_groups g JOIN interventions i ON i.id = g.intervention_id \
         WHERE i.project_id = {p}",
    )
    .await;
    assert_eq!(groups, (with_intake + 19) / 20, "groups of twenty");
    let sessions = count(
        "SELECT COUNT(*) FROM group_sessions s JOIN activity_groups g ON g.id = s.group_id \
         JOIN interventions i ON i.id = g.intervention_id WHERE i.project_id = {p}",
    )
    .await;
    assert_eq!(sessions, groups * 3);
    assert_eq!(seed.sessions as i64, sessions);
    let attendance_of = |status: &str| {
        count(&format!(
            "SELECT COUNT(*) FROM attendance a JOIN group_sessions s ON s.id = a.session_id \
             JOIN activity_groups g ON g.id = s.group_id \
             JOIN interventions i ON i.id = g.intervention_id \
             WHERE i.project_id = {{p}} AND a.status LIKE '{status}'"
        ))
    };
    let all = attendance_of("%").await;
    assert_eq!(all, with_intake * 3, "each of her group's sessions");
    assert_eq!(seed.attendance as i64, all);
    let present = attendance_of("present").await;
    assert!(
        present * 10 > all * 7 && present * 10 < all * 9,
        "{present} of {all}"
    );
    assert!(attendance_of("absent").await > 0);
    assert!(attendance_of("absent_notice").await > 0);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM attendance a JOIN group_sessions s ON s.id = a.session_id \
             JOIN activity_groups g ON g.id = s.group_id \
             JOIN interventions i ON i.id = g.intervention_id WHERE i.project_id = {p} \
             AND ((a.status = 'present') <> (a.minutes = 120) OR a.minutes NOT IN (0, 120))"
        )
        .await,
        0,
        "minutes are the session's when present, else none"
    );
    // The kept counts and time are what recording attendance would keep.
    let fast = kept(&h).await;
    assert!(
        fast.len() as i64 >= sessions + with_intake,
        "{}",
        fast.len()
    );
    recount(&h, pid).await;
    assert_eq!(kept(&h).await, fast, "a recount changes nothing");
    // The dashboard counts everyone taken in.
    let enrolled = enrolled(&h, &ctx, p).await;
    assert_eq!(enrolled, with_intake);
    // The keys are whole again, and the next session gets a fresh id.
    match h.backend {
        Backend::Sqlite => {
            assert_eq!(
                count("SELECT COUNT(*) FROM pragma_foreign_key_check").await,
                0,
                "no broken reference"
            );
        }
        Backend::Postgres => {
            assert_eq!(
                text(&h, KEYS).await,
                keys_before,
                "the keys and indexes dropped for the load are built again"
            );
        }
    }
    let group = count(
        "SELECT MIN(g.id) FROM activity_groups g JOIN interventions i ON i.id = g.intervention_id \
         WHERE i.project_id = {p}",
    )
    .await;
    let last = count("SELECT MAX(id) FROM group_sessions").await;
    assert_eq!(new_session(&h, group).await, last + 1);
}

/// The id a new session of `group` gets (the session is not kept).
fn new_session(h: &H, group: i64) -> Boxed<'_, i64> {
    Box::pin(async move {
        let mut tx = h.app.raw_db().write().await.expect("a transaction");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO group_sessions (group_id, on_date, start_time, minutes, status) \
             VALUES ($1, '2026-11-26', '09:00', 120, 'scheduled') RETURNING id",
        )
        .bind(group)
        .fetch_one(&mut *tx)
        .await
        .expect("a new session");
        tx.rollback().await.expect("rollback");
        id
    })
}
