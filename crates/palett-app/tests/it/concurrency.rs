//! Writers at the same time queue; none fails.

use crate::harness::*;
use palett_domain::lifecycle::Status;
use palett_domain::model::ParticipantInput;
use palett_store::participant::Filter;

pub(crate) async fn concurrent_registrations_all_succeed(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let org = coach.user.organisation_id;

    let tasks: Vec<_> = (0..20u16)
        .map(|i| {
            let (app, ctx) = (h.app.clone(), ctx.clone());
            let form = ParticipantInput {
                intake_date: "2026-11-24".into(),
                ..h.input(
                    &format!("Deltagare{i}"),
                    "Samtidig",
                    &pnr("19900315", 100 + i),
                    org,
                )
            };
            tokio::spawn(async move { app.submit_registration(&ctx, &form).await })
        })
        .collect();
    let mut ids = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await.expect("the task ran") {
            Ok(id) => ids.push(id),
            Err(e) => panic!("registration {i} failed on {:?}: {e}", h.backend),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 20, "twenty distinct participants");

    let same_name = Filter {
        name: Some("samtidig".into()),
        ..Filter::default()
    };
    let mut listed = h.all_participant_ids(&ctx, &same_name).await;
    listed.sort_unstable();
    assert_eq!(listed, ids);
    let enrolled = Filter {
        status: Some(Status::Enrolled),
        ..same_name
    };
    assert_eq!(h.all_participant_ids(&ctx, &enrolled).await.len(), 20);
    for id in ids {
        let v = h.read(&ctx, id).await;
        assert_eq!(v.history.len(), 2, "referral and intake for {id}");
    }
}

/// A use case that only reads runs in a read-only snapshot: while one is
/// open (its reads done), a registration is written at once instead of
/// waiting for the reader, the snapshot keeps seeing what was there when it
/// began, and on PostgreSQL it refuses to write.
pub(crate) async fn a_reader_never_holds_up_a_writer(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let org = coach.user.organisation_id;
    let count = "SELECT COUNT(*) FROM participants";

    let mut snapshot = h.app.raw_db().snapshot().await.expect("a snapshot");
    let before: i64 = sqlx::query_scalar(count)
        .fetch_one(&mut *snapshot)
        .await
        .expect("reading in the snapshot");

    let form = ParticipantInput {
        intake_date: "2026-11-24".into(),
        ..h.input("Läsare", "Skrivare", &pnr("19900315", 300), org)
    };
    // A deadline only to turn a hang into a failure; nothing is timed.
    let written = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        h.app.submit_registration(&ctx, &form),
    )
    .await
    .unwrap_or_else(|_| panic!("{:?}: the writer waited for the reader", h.backend));
    let id = written.unwrap_or_else(|e| panic!("{:?}: registering: {e}", h.backend));

    let seen: i64 = sqlx::query_scalar(count)
        .fetch_one(&mut *snapshot)
        .await
        .expect("reading in the snapshot again");
    assert_eq!(seen, before, "{:?}: the snapshot is one view", h.backend);
    if h.backend == palett_app::Backend::Postgres {
        let w = sqlx::query("DELETE FROM participants WHERE id = $1")
            .bind(id)
            .execute(&mut *snapshot)
            .await;
        assert!(w.is_err(), "a snapshot is read-only, got {w:?}");
    }
    drop(snapshot);

    let mut c = h.app.raw_db().read().await.expect("connection");
    let after: i64 = sqlx::query_scalar(count)
        .fetch_one(&mut *c)
        .await
        .expect("reading after");
    assert_eq!(after, before + 1);
    // The record reads as before, audited.
    assert_eq!(h.read(&ctx, id).await.participant.given_name, "Läsare");
}
