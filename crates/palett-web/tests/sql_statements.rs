//! How many SQL statements a request costs, counted from sqlx's own query
//! log (target `sqlx::query`). Lists must not grow with the number of rows
//! shown (no N+1). This binary holds a single test because it installs a
//! process-wide tracing subscriber.

#[path = "it/support.rs"]
#[allow(dead_code)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::*;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

struct CountStatements(Arc<AtomicUsize>);

/// The text of a logged statement.
#[derive(Default)]
struct Statement(String);

impl tracing::field::Visit for Statement {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" || field.name() == "db.statement" {
            self.0.push_str(&format!("{value:?} "));
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut statement = Statement::default();
        event.record(&mut statement);
        // A new pooled connection runs its set-up pragmas: not the request's.
        if !statement.0.to_ascii_uppercase().contains("PRAGMA") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn requests_cost_a_fixed_number_of_statements() {
    let counter = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(CountStatements(counter.clone()));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let measure = |path: &'static str| {
        let (t, b, counter) = (&t, &b, counter.clone());
        async move {
            let before = counter.load(Ordering::SeqCst);
            let r = t.page(b, path).await;
            assert_eq!(r.status, axum::http::StatusCode::OK, "{path}");
            (counter.load(Ordering::SeqCst) - before, r.body)
        }
    };

    // Warm the pool first: opening a connection runs its own statements.
    for _ in 0..3 {
        measure("/participants").await;
    }
    let (full, body) = measure("/participants").await;
    assert_eq!(
        body.matches("href=\"/participants/").count() - 1,
        25,
        "a full page of 25 rows"
    );
    let (short, body) = measure("/participants?status=referred").await;
    assert_eq!(
        body.matches("href=\"/participants/").count() - 1,
        6,
        "the six referrals"
    );
    assert!(full > 0, "the counter sees sqlx's statements");
    assert_eq!(full, short, "a list's cost does not grow with its rows");

    let (start, _) = measure("/").await;
    let (participant, _) = measure("/participants/1").await;
    let (audit, _) = measure("/audit").await;
    // The log names the participants of a page in one statement, however
    // many: the reads of one participant cost what the reads of four do.
    let (one_named, body) = measure("/audit?action=participant.read").await;
    assert_eq!(body.matches("<code>participant.read</code>").count(), 1);
    let list = t.page(&b, "/participants").await.body;
    let ids: Vec<&str> = list
        .split("href=\"/participants/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()) && *id != "1")
        .take(3)
        .collect();
    for id in &ids {
        let r = t.page(&b, &format!("/participants/{id}")).await;
        assert_eq!(r.status, axum::http::StatusCode::OK);
    }
    let (four_named, body) = measure("/audit?action=participant.read").await;
    assert_eq!(body.matches("<code>participant.read</code>").count(), 4);
    for id in &ids {
        assert!(body.contains(&format!("<a href=\"/participants/{id}\">")));
    }
    assert_eq!(one_named, four_named, "naming costs one statement");
    // A dashboard reads its facts, pauses and goals in fixed statements,
    // whatever the number of participants: the small project (Svenska i
    // butik) costs what Tillväxt Kvinna does.
    let (dashboard, _) = measure("/projects/1/dashboard").await;
    let (small, _) = measure("/projects/2/dashboard").await;
    assert_eq!(
        dashboard, small,
        "a dashboard's cost does not grow with its participants"
    );
    // Broken down by intervention, it also reads who took part in what:
    // one statement more, whatever the number of participants.
    let (by_intervention, _) = measure("/projects/1/dashboard?by=intervention").await;
    let (small_by_intervention, _) = measure("/projects/2/dashboard?by=intervention").await;
    assert_eq!(by_intervention, small_by_intervention);
    // The start page's worklist counts each item in one statement, whatever
    // there is to count: three more referrals waiting cost nothing more.
    let coach = t.token(KOMMUN_CASEWORKER).await;
    let hm = t.token(COORDINATOR).await;
    let (kommun, hela) = (t.org_of(&coach).await, t.org_of(&hm).await);
    for name in ["Ayan", "Bisra", "Cala"] {
        let pid = t.register(&coach, &new_participant(kommun, name)).await;
        t.refer(&coach, pid, hela, "2026-11-25").await;
    }
    let (start_with_work, body) = measure("/").await;
    assert!(
        body.contains("9 remisser väntar på ert svar"),
        "the worklist shows them with the demo's six"
    );
    assert_eq!(start, start_with_work, "a worklist's cost does not grow");
    // The municipality's coordinator also sees the referrals waiting past
    // each partner's answer time, a line per partner: one statement more
    // for all the lines, however many referrals wait.
    let kommun_coordinator = t.browser("samordnare@botkyrka.example").await;
    let measure_kommun = || {
        let (t, b, counter) = (&t, &kommun_coordinator, counter.clone());
        async move {
            let before = counter.load(Ordering::SeqCst);
            let r = t.page(b, "/").await;
            assert_eq!(r.status, axum::http::StatusCode::OK);
            (counter.load(Ordering::SeqCst) - before, r.body)
        }
    };
    measure_kommun().await;
    let stale = |name: &'static str| {
        let (t, coach) = (&t, &coach);
        async move {
            let pid = t.register(coach, &new_participant(kommun, name)).await;
            t.refer(coach, pid, hela, "2026-10-01").await;
        }
    };
    stale("Dalia").await;
    let (kommun_start, body) = measure_kommun().await;
    assert!(
        body.contains("hos Hela Människan"),
        "a line for the partner"
    );
    stale("Elham").await;
    stale("Fardowsa").await;
    let (kommun_start_with_more, _) = measure_kommun().await;
    assert_eq!(
        kommun_start, kommun_start_with_more,
        "lines by partner cost one statement"
    );
    assert!(
        kommun_start <= start + 1,
        "kommun {kommun_start}, start {start}"
    );
    println!(
        "statements per request: list {full}, start {start}, participant {participant}, audit {audit}, dashboard {dashboard}, by intervention {by_intervention}"
    );
    assert!(dashboard <= 12, "dashboard {dashboard}");
    assert!(by_intervention <= 14, "by intervention {by_intervention}");
    // Generous bounds that still catch a loop of queries.
    assert!(
        full <= 20 && start <= 10 && participant <= 30 && audit <= 12,
        "list {full}, start {start}, participant {participant}, audit {audit}"
    );
}
