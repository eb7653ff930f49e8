//! A participant's way through the programme, and the figures it moves.

use crate::harness::*;
use jiff::civil::date;
use palett_domain::lifecycle::{ExitOutcome, Status, Transition, TransitionKind};
use palett_domain::model::ParticipantInput;

pub(crate) async fn participant_moves_through_the_programme(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let tk = h.project_id(&ctx, TILLVAXT_KVINNA).await;
    let figures = |enrolled, ended, to_job, active| (enrolled, ended, to_job, active);
    let summary = || async {
        let s = h.summary(&coordinator, TILLVAXT_KVINNA).await;
        (s.enrolled, s.ended, s.ended_to_job_or_studies, s.active)
    };
    assert_eq!(summary().await, figures(267, 247, 42, 0));

    // Referred to Tillväxt Kvinna in February 2021.
    let referral = ParticipantInput {
        referred_on: "2021-02-15".into(),
        project_ids: vec![tk.to_string()],
        ..h.input(
            "Bahar",
            "Livsson",
            &pnr("19850704", 448),
            coach.user.organisation_id,
        )
    };
    let id = h.register(&ctx, &referral).await;
    let status = || async { h.read(&ctx, id).await.participant };
    assert_eq!(status().await.state.status, Status::Referred);
    assert_eq!(
        summary().await,
        figures(267, 247, 42, 0),
        "a referral is not enrolled"
    );

    let step = |t: Transition| {
        let (h, ctx) = (&h, &ctx);
        async move { h.app.transition(ctx, id, t).await }
    };
    step(Transition::Intake {
        on: date(2021, 3, 1),
    })
    .await
    .expect("intake");
    assert_eq!(status().await.state.status, Status::Enrolled);
    assert_eq!(summary().await, figures(268, 247, 42, 1));
    assert_invalid(
        step(Transition::Intake {
            on: date(2021, 3, 2),
        })
        .await,
        "intake_date",
        "error-already-enrolled",
    );

    step(Transition::Start {
        on: date(2021, 3, 3),
    })
    .await
    .expect("start");
    assert_eq!(status().await.state.status, Status::Active);
    step(Transition::Pause {
        on: date(2021, 4, 1),
        kind: palett_domain::palette::PauseKind::Sickness,
        reason: "Föräldraledighet".into(),
    })
    .await
    .expect("pause");
    assert_eq!(status().await.state.status, Status::Paused);
    assert_eq!(
        summary().await,
        figures(268, 247, 42, 1),
        "paused still counts as in the programme"
    );
    step(Transition::Resume {
        on: date(2021, 5, 1),
    })
    .await
    .expect("resume");
    assert_eq!(status().await.state.status, Status::Active);

    let early_exit = Transition::Exit {
        on: date(2021, 2, 20),
        outcome: ExitOutcome::Studies,
    };
    assert_invalid(
        step(early_exit).await,
        "exit_date",
        "error-exit-before-intake",
    );
    let future_exit = Transition::Exit {
        on: date(2026, 12, 1),
        outcome: ExitOutcome::Studies,
    };
    assert_invalid(step(future_exit).await, "exit_date", "error-date-future");
    assert_eq!(
        status().await.state.status,
        Status::Active,
        "refused steps change nothing"
    );

    step(Transition::Exit {
        on: date(2021, 9, 30),
        outcome: ExitOutcome::Studies,
    })
    .await
    .expect("exit to studies");
    let p = status().await;
    assert_eq!(p.state.status, Status::Ended);
    assert_eq!(
        (p.state.exit_date, p.state.exit_outcome),
        (Some(date(2021, 9, 30)), Some(ExitOutcome::Studies))
    );
    assert_eq!(summary().await, figures(268, 248, 43, 0));
    let s = h.summary(&coordinator, TILLVAXT_KVINNA).await;
    assert_eq!(s.share_to_job_or_studies, Some(17.3), "43 of 248");

    // Reopening is the coordinator's, and needs a reason.
    let reopen = Transition::Reopen {
        on: date(2021, 10, 15),
        reason: "Studierna avbröts".into(),
    };
    forbidden(step(reopen.clone()).await);
    assert_eq!(status().await.state.status, Status::Ended);
    let no_reason = Transition::Reopen {
        on: date(2021, 10, 15),
        reason: "  ".into(),
    };
    assert_invalid(
        h.app.transition(&coordinator, id, no_reason).await,
        "reason",
        "error-required",
    );
    h.app
        .transition(&coordinator, id, reopen)
        .await
        .expect("the coordinator reopens");
    let view = h.read(&ctx, id).await;
    let p = &view.participant;
    assert_eq!(p.state.status, Status::Active);
    assert_eq!((p.state.exit_date, p.state.exit_outcome), (None, None));
    assert_eq!(
        p.state.intake_date,
        Some(date(2021, 3, 1)),
        "reopening keeps the intake"
    );
    assert_eq!(summary().await, figures(268, 247, 42, 1));

    let kinds: Vec<TransitionKind> = view.history.iter().map(|e| e.kind).collect();
    use TransitionKind as K;
    assert_eq!(
        kinds,
        [
            K::Referral,
            K::Intake,
            K::Start,
            K::Pause,
            K::Resume,
            K::Exit,
            K::Reopen
        ]
    );
    let pause = &view.history[3];
    assert_eq!(pause.reason.as_deref(), Some("Föräldraledighet"));
    assert_eq!(pause.on_date, date(2021, 4, 1));
    let exit = &view.history[5];
    assert_eq!(
        (exit.from_status, exit.to_status),
        (Some(Status::Active), Status::Ended)
    );
    assert_eq!(exit.exit_outcome, Some(ExitOutcome::Studies));
    let reopened = &view.history[6];
    assert_eq!(reopened.reason.as_deref(), Some("Studierna avbröts"));
    assert_eq!(reopened.actor_name, "Sara Samordnare");
    assert_eq!(view.history[1].actor_name, "Kim Coach");
}

/// Moving the responsibility for her to another organisation is not an
/// edit of a field: only a coordinator of the organisation responsible for
/// her hands her over, to a member, with a reason; it is kept in her
/// history and audited as a handover.
pub(crate) async fn responsibility_moves_only_by_a_handover(h: H) {
    h.seed().await;
    let sara = h.ctx(COORDINATOR).await;
    let maja_signed = h.signed(KOMMUN_COORDINATOR).await;
    let maja = maja_signed.ctx(IP);
    let kim = h.signed(COACH).await;
    let kim_ctx = kim.ctx(IP);
    let kommun = kim.user.organisation_id;
    let hm = h.organisation_id(&sara, HELA_MANNISKAN).await;
    let af = h.signed(AF).await.user.organisation_id;
    let mut form = h.input("Flytt", "Ansvarsdotter", &pnr("19880808", 444), kommun);
    form.intake_date = "2026-11-20".into();
    let p = h.register(&kim_ctx, &form).await;

    // An edit that changes the responsible organisation is refused on that
    // field, for caseworkers and coordinators alike.
    for ctx in [&kim_ctx, &maja, &sara] {
        let (mut edit, version) = h.app.participant_input(ctx, p).await.expect("form");
        edit.responsible_organisation_id = hm.to_string();
        assert_invalid(
            h.app.submit_update(ctx, p, Some(version), &edit).await,
            "responsible_organisation_id",
            "error-use-handover",
        );
    }
    let reason = "Flyttar till jobbmatchningen";
    let hand_over = |ctx: palett_app::Ctx, to: String, reason: &'static str| {
        let h = h.clone();
        async move { h.app.submit_handover(&ctx, p, None, &to, reason).await }
    };
    // Not the receiving organisation's coordinator, nor a caseworker.
    for ctx in [&sara, &kim_ctx] {
        forbidden(hand_over(ctx.clone(), hm.to_string(), reason).await);
    }
    // Field by field: a reason, another organisation, a member today.
    assert_invalid(
        hand_over(maja.clone(), hm.to_string(), " ").await,
        "reason",
        "error-required",
    );
    for (to, code) in [
        (kommun.to_string(), "error-handover-same"),
        (af.to_string(), "error-organisation-not-member"),
        ("999999".to_string(), "error-choice"),
        ("x".to_string(), "error-choice"),
        (String::new(), "error-required"),
    ] {
        assert_invalid(
            hand_over(maja.clone(), to, reason).await,
            "organisation_id",
            code,
        );
    }
    let version = h.read(&maja, p).await.participant.version;
    let (_, still_visible) = hand_over(maja.clone(), hm.to_string(), reason)
        .await
        .expect("the giving coordinator hands her over");
    assert!(still_visible, "her sharing consent covers the kommun");

    let v = h.read(&sara, p).await;
    assert_eq!(v.participant.responsible_organisation_id, hm);
    assert_eq!(v.participant.version, version + 1);
    assert!(v.may_hand_over, "now Sara's to hand over");
    assert_eq!(v.handovers.len(), 1);
    let moved = &v.handovers[0];
    assert_eq!(
        (
            moved.from_organisation_name.as_str(),
            moved.to_organisation_name.as_str(),
            moved.reason.as_str(),
            moved.on_date,
            moved.actor_name.as_str(),
        ),
        (
            BOTKYRKA_KOMMUN,
            HELA_MANNISKAN,
            reason,
            h.app.today(),
            maja_signed.user.display_name.as_str(),
        )
    );
    // Kim's organisation no longer holds her: she sees her only through a
    // relation and the sharing consent, and she has none.
    not_found(h.app.participant(&kim_ctx, p).await);
    assert!(!h.read(&maja, p).await.may_hand_over);
    // Audited as its own action.
    let log = h
        .audit_log(
            &sara,
            &palett_store::audit::Filter {
                participant_id: Some(p),
                ..Default::default()
            },
            palett_app::participants::Page::new(None, None),
        )
        .await;
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "participant.handover")
            .count(),
        1
    );
}
