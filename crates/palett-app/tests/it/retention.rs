//! Retention: personal data goes, the figures stay.

use crate::harness::*;
use palett_app::filters::ParticipantFilter;
use palett_domain::lifecycle::Status;

pub(crate) async fn retention_removes_identity_and_keeps_the_figures(h: H) {
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let coordinator = h.ctx(COORDINATOR).await;
    let pid = admin.actor.partnership_id;
    let before = h.app.overview(&coordinator).await.expect("overview");
    // Tillväxt Kvinna's women, who all ended years ago.
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;
    let ended_filter = ParticipantFilter {
        status: Some(Status::Ended),
        project_id: Some(tk),
        ..Default::default()
    };
    let ended = h.all_participant_ids(&coordinator, &ended_filter).await;
    assert_eq!(ended.len(), 267, "Tillväxt Kvinna's ended participants");
    let kept = ended[0];
    let gone = ended[1];
    let named = h.read(&coordinator, gone).await.participant;
    assert_ne!(named.given_name, "Gallrad");

    // Age at intake of some who will be anonymised, to compare afterwards.
    let age_at_intake = |p: &palett_domain::model::Participant| {
        let at = p.state.intake_date.expect("enrolled");
        let b = p.birth_date;
        at.year() - b.year() - i16::from((at.month(), at.day()) < (b.month(), b.day()))
    };
    let mut ages_before = Vec::new();
    for id in ended.iter().skip(3).take(40) {
        let p = h.read(&coordinator, *id).await.participant;
        ages_before.push((*id, age_at_intake(&p), p.birth_date.year()));
    }
    // Without a policy nothing is due.
    let r = h
        .app
        .run_retention(Some(&admin), pid, true)
        .await
        .expect("dry run");
    assert!(r.due.is_empty() && r.years_after_exit.is_none());
    assert_invalid(
        h.app.submit_retention(&admin, "0").await,
        "years_after_exit",
        "error-retention-years",
    );
    forbidden(h.app.submit_retention(&coordinator, "3").await);
    h.app.submit_retention(&admin, "3").await.expect("policy");
    h.app
        .set_archive_hold(&coordinator, kept, true)
        .await
        .expect("hold");
    assert!(h.read(&coordinator, kept).await.participant.archive_hold);
    // A record whose processing is restricted is kept as it is, too.
    let disputed = ended[2];
    h.app
        .submit_restriction(&coordinator, disputed, Some("Bestrider uppgifterna"))
        .await
        .expect("restrict");

    let dry = h
        .app
        .run_retention(Some(&admin), pid, true)
        .await
        .expect("dry run");
    assert_eq!(
        dry.due.len(),
        265,
        "every exit before the cutoff (Tillväxt Kvinna's 267) but the one on hold and the restricted one"
    );
    assert_eq!(dry.anonymised, 0);
    assert_eq!(
        h.read(&coordinator, gone).await.participant.given_name,
        named.given_name,
        "a dry run changes nothing"
    );

    let run = h.app.run_retention(None, pid, false).await.expect("run");
    assert_eq!(run.anonymised, 265);
    assert_ne!(
        h.read(&coordinator, disputed).await.participant.given_name,
        "Gallrad"
    );
    let after = h.app.overview(&coordinator).await.expect("overview");
    let figures = |o: &palett_app::projects::Overview| {
        o.projects
            .iter()
            .map(|(_, s)| s.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        figures(&after),
        figures(&before),
        "every project summary is unchanged"
    );
    let anon = h.read(&coordinator, gone).await.participant;
    assert_eq!(
        (
            anon.given_name.as_str(),
            anon.family_name.as_str(),
            anon.identity_number.as_deref()
        ),
        ("Gallrad", "", None)
    );
    assert_eq!(
        (anon.state.status, anon.state.exit_outcome),
        (named.state.status, named.state.exit_outcome),
        "the statistical facts stay"
    );
    assert_eq!(anon.birth_date.year(), named.birth_date.year());
    let mut moved = 0;
    for (id, age, year) in &ages_before {
        let p = h.read(&coordinator, *id).await.participant;
        assert_eq!(p.given_name, "Gallrad");
        assert_eq!(
            (age_at_intake(&p), p.birth_date.year()),
            (*age, *year),
            "age at intake and birth year survive anonymisation"
        );
        moved += i32::from(p.birth_date.month() == 12);
    }
    assert!(moved > 0 && moved < 40, "both ends of the year are used");
    let plans = h
        .app
        .plan_versions(&coordinator, gone)
        .await
        .expect("plans");
    assert!(
        plans
            .iter()
            .all(|(_, p)| p.goals.is_empty() && p.steps.is_empty()),
        "no free text left in plans"
    );
    assert!(h.read(&coordinator, kept).await.participant.given_name != "Gallrad");
    // Nobody is found by her old name, and a second run finds nothing.
    let by_name = ParticipantFilter {
        name: Some(named.family_name.clone()),
        ..Default::default()
    };
    assert!(!h
        .all_participant_ids(&coordinator, &by_name)
        .await
        .contains(&gone));
    assert!(h
        .app
        .run_retention(None, pid, false)
        .await
        .expect("again")
        .due
        .is_empty());
    // Every run is in the log.
    let log = palett_app::audit::list(
        &h.app,
        &admin,
        &Default::default(),
        palett_app::participants::Page::new(None, Some(100)),
    )
    .await
    .expect("log")
    .0;
    assert!(log.iter().any(|e| e.action == "retention.run"));
    let mine = palett_store::audit::Filter {
        user_id: Some(admin.actor.user_id),
        ..Default::default()
    };
    let admin_log = palett_app::audit::list(
        &h.app,
        &admin,
        &mine,
        palett_app::participants::Page::new(None, Some(100)),
    )
    .await
    .expect("log")
    .0;
    assert!(admin_log.iter().any(|e| e.action == "retention.dry_run"));
    assert!(admin_log.iter().any(|e| e.action == "retention.policy"));
    let hers = palett_store::audit::Filter {
        participant_id: Some(gone),
        ..Default::default()
    };
    let her_log = palett_app::audit::list(
        &h.app,
        &admin,
        &hers,
        palett_app::participants::Page::new(None, Some(100)),
    )
    .await
    .expect("log")
    .0;
    assert!(her_log.iter().any(|e| e.action == "participant.anonymise"));
}
