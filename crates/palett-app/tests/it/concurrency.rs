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
            tokio::spawn(async move { app.register_participant(&ctx, &form).await })
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
        let v = h.app.participant(&ctx, id).await.expect("reading");
        assert_eq!(v.history.len(), 2, "referral and intake for {id}");
    }
}
