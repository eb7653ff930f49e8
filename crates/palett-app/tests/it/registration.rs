//! Registering participants, and the errors a form shows.

use crate::harness::*;
use jiff::civil::date;
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::lifecycle::{Status, Transition, TransitionKind};
use palett_domain::model::ParticipantInput;
use palett_store::participant::Filter;

pub(crate) async fn caseworker_registers_and_finds_a_participant(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let botkyrka = coach.user.organisation_id;
    assert_eq!(coach.user.organisation_name, BOTKYRKA_KOMMUN);

    let amal = ParticipantInput {
        intake_date: "2026-11-20".into(),
        ..h.input("Amal", "Testsson", &pnr("19811218", 987), botkyrka)
    };
    let id = h.register(&ctx, &amal).await;

    // The list finds her by part of her name, in any case.
    let by_name = Filter {
        name: Some("TESTSS".into()),
        ..Filter::default()
    };
    let (items, total) = h
        .app
        .participants(&ctx, &by_name, Page::new(None, None))
        .await
        .expect("searching");
    assert_eq!(total, 1);
    let item = &items[0];
    assert_eq!(item.id, id);
    assert_eq!(
        (item.given_name.as_str(), item.family_name.as_str()),
        ("Amal", "Testsson")
    );
    assert_eq!(item.birth_year, 1981);
    assert_eq!(item.status, Status::Enrolled);
    assert_eq!(item.responsible_organisation_name, BOTKYRKA_KOMMUN);
    assert_eq!(item.intake_date, Some(date(2026, 11, 20)));
    // Other filters narrow the same search.
    let referred = Filter {
        status: Some(Status::Referred),
        ..by_name.clone()
    };
    assert_eq!(
        h.app
            .participants(&ctx, &referred, Page::new(None, None))
            .await
            .expect("list")
            .1,
        0
    );
    let enrolled_here = Filter {
        status: Some(Status::Enrolled),
        organisation_id: Some(botkyrka),
        ..by_name
    };
    assert_eq!(
        h.app
            .participants(&ctx, &enrolled_here, Page::new(None, None))
            .await
            .expect("list")
            .1,
        1
    );

    let view = h.read(&ctx, id).await;
    let p = &view.participant;
    assert_eq!(p.full_name(), "Amal Testsson");
    assert_eq!(p.state.status, Status::Enrolled);
    assert_eq!(p.identity_number.as_deref(), Some("198112189876"));
    assert_eq!(p.birth_date, date(1981, 12, 18));
    assert_eq!(p.state.referred_on, date(2026, 11, 2));
    assert_eq!(p.state.intake_date, Some(date(2026, 11, 20)));
    assert_eq!(p.state.exit_date, None);
    assert_eq!(p.responsible_organisation_id, botkyrka);
    let kinds: Vec<TransitionKind> = view.history.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [TransitionKind::Referral, TransitionKind::Intake]);
    let intake = &view.history[1];
    assert_eq!(
        (intake.from_status, intake.to_status),
        (Some(Status::Referred), Status::Enrolled)
    );
    assert_eq!(intake.on_date, date(2026, 11, 20));
    assert_eq!(intake.actor_name, "Kim Coach");
    assert!(view.relation.own_organisation_responsible);
    assert!(view.may_change);
    assert!(!view.may_reopen, "only coordinators reopen");

    // Without an intake date she is a referral.
    let referral = h.input("Rania", "Testsson", &pnr("19900101", 123), botkyrka);
    let rid = h.register(&ctx, &referral).await;
    let view = h.read(&ctx, rid).await;
    assert_eq!(view.participant.state.status, Status::Referred);
    assert_eq!(view.participant.state.intake_date, None);
    let kinds: Vec<TransitionKind> = view.history.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [TransitionKind::Referral]);

    // Swedish letters match in any case; LIKE's wildcards are plain text.
    let asa = h.input("Åsa", "Öberg", &pnr("19750302", 456), botkyrka);
    let aid = h.register(&ctx, &asa).await;
    for needle in ["öBERG", "ÅSA Ö", "åsa öberg"] {
        let filter = Filter {
            name: Some(needle.into()),
            ..Filter::default()
        };
        let ids = h.all_participant_ids(&ctx, &filter).await;
        assert_eq!(ids, [aid], "searching {needle:?}");
    }
    for needle in ["%", "_", "\\"] {
        assert_eq!(h.count_named(&ctx, needle).await, 0, "searching {needle:?}");
    }
}

pub(crate) async fn invalid_registrations_name_the_field(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let botkyrka = coach.user.organisation_id;
    let hela = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let total_before = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await
        .len();

    let nameless = h.input("  ", "", &pnr("19811218", 987), botkyrka);
    let e = err(h.app.submit_registration(&ctx, &nameless).await);
    let AppError::Invalid(fields) = e else {
        panic!("expected Invalid, got {e:?}");
    };
    assert_eq!(fields.for_field("given_name"), Some("error-required"));
    assert_eq!(fields.for_field("family_name"), Some("error-required"));

    let bad_check_digit = h.input("Amal", "Testsson", "19811218-9877", botkyrka);
    assert_invalid(
        h.app.submit_registration(&ctx, &bad_check_digit).await,
        "identity_number",
        "error-pin-checksum",
    );

    let amal = h.input("Amal", "Testsson", &pnr("19811218", 987), botkyrka);
    h.register(&ctx, &amal).await;
    assert_invalid(
        h.app.submit_registration(&ctx, &amal).await,
        "identity_number",
        "error-pin-taken",
    );
    // The number is taken for the coordinator too, in its ten-digit form.
    let again = ParticipantInput {
        identity_number: "811218-9876".into(),
        ..amal.clone()
    };
    assert_invalid(
        h.app.submit_registration(&coordinator, &again).await,
        "identity_number",
        "error-pin-taken",
    );
    // Control characters never reach the database (a NUL is an error there).
    let nul = h.input("A\u{0}B", "Testsson", &pnr("19700101", 101), botkyrka);
    assert_invalid(
        h.app.submit_registration(&ctx, &nul).await,
        "given_name",
        "error-control-characters",
    );
    assert!(matches!(
        err(h
            .app
            .sign_in("x\u{0}@y.example", "some-password-here", IP)
            .await),
        AppError::Unauthenticated
    ));
    let search = palett_app::filters::ParticipantFilter {
        name: Some("a\u{0}b".into()),
        ..Default::default()
    };
    h.app
        .participants(
            &ctx,
            &search,
            palett_app::participants::Page::new(None, None),
        )
        .await
        .expect("a search with a NUL");
    // Someone who may not see Amal learns only that the number is known
    // here, and the attempt is logged against Amal's record.
    let af = h.signed(LARARE).await;
    let af_ctx = af.ctx(IP);
    let probe = h.input(
        "Prov",
        "Försök",
        &pnr("19811218", 987),
        af.user.organisation_id,
    );
    assert_invalid(
        h.app.submit_registration(&af_ctx, &probe).await,
        "identity_number",
        "error-pin-registered-elsewhere",
    );
    let log = h
        .audit_log(
            &coordinator,
            &palett_store::audit::Filter {
                user_id: Some(af.user.id),
                ..Default::default()
            },
            palett_app::participants::Page::new(None, None),
        )
        .await;
    assert!(log
        .iter()
        .any(|e| e.action == "participant.duplicate_identity" && e.participant_id.is_some()));

    let elsewhere = h.input("Hodan", "Testsson", &pnr("19700505", 222), hela);
    assert_invalid(
        h.app.submit_registration(&ctx, &elsewhere).await,
        "responsible_organisation_id",
        "error-not-own-organisation",
    );
    let nowhere = h.input("Hodan", "Testsson", &pnr("19700505", 222), hela + 1000);
    assert_invalid(
        h.app.submit_registration(&ctx, &nowhere).await,
        "responsible_organisation_id",
        "error-choice",
    );
    // The coordinator may register for any member organisation.
    h.register(&coordinator, &elsewhere).await;

    // Only the two successful registrations were stored.
    assert_eq!(h.count_named(&coordinator, "testsson").await, 2);
    let total_after = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await
        .len();
    assert_eq!(total_after, total_before + 2);
}

pub(crate) async fn a_stale_edit_is_refused(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let id = h.register_amal(&ctx, coach.user.organisation_id).await;
    let (form, version) = h.app.participant_input(&ctx, id).await.expect("edit form");
    let first = ParticipantInput {
        phone: "08-123 45 67".into(),
        ..form.clone()
    };
    h.app
        .submit_update(&ctx, id, Some(version), &first)
        .await
        .expect("the first edit");
    let second = ParticipantInput {
        family_name: "Andersson".into(),
        ..form
    };
    assert!(matches!(
        err(h.app.submit_update(&ctx, id, Some(version), &second).await),
        AppError::Stale
    ));
    let p = h.read(&ctx, id).await.participant;
    assert_eq!(p.family_name, "Testsson", "the stale edit changed nothing");
    assert_eq!(p.phone.as_deref(), Some("08-123 45 67"));
    assert_eq!(p.version, version + 1);
}

/// Issue 10.5: intake into a project that has ended is refused (ordinary
/// operations is the explicit choice); a coordinator may change a
/// project's period, name and funder, audited, and the figures follow.
pub(crate) async fn a_project_holds_its_period(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;
    let today = h.app.today().to_string();
    let form = |given: &str, n: u16, projects: &[i64]| ParticipantInput {
        referred_on: today.clone(),
        intake_date: today.clone(),
        project_ids: projects.iter().map(|p| p.to_string()).collect(),
        ..h.input(given, "Periodsson", &pnr("19840210", n), kommun)
    };
    assert_invalid(
        h.app
            .submit_registration(&coach, &form("Kadra", 501, &[tk]))
            .await,
        "project_ids",
        "error-project-ended",
    );
    let ordinary = h
        .app
        .submit_registration(&coach, &form("Kadra", 501, &[]))
        .await
        .expect("in ordinary operations");
    // Nor can an ended project be added to her afterwards.
    let (mut input, version, _) = h
        .app
        .participant_form(&coach, ordinary)
        .await
        .expect("form");
    input.project_ids = vec![tk.to_string()];
    assert_invalid(
        h.app
            .submit_update(&coach, ordinary, Some(version), &input)
            .await,
        "project_ids",
        "error-project-ended",
    );
    // A referral from the project's time, taken in today, is refused too.
    let referral = ParticipantInput {
        referred_on: "2021-02-15".into(),
        intake_date: String::new(),
        project_ids: vec![tk.to_string()],
        ..h.input("Layla", "Periodsson", &pnr("19840210", 502), kommun)
    };
    let layla = h.register(&coach, &referral).await;
    let intake = Transition::Intake { on: h.app.today() };
    assert_invalid(
        h.app.transition(&coach, layla, intake.clone()).await,
        "on",
        "error-project-ended",
    );

    // The coordinator extends the project; only coordinators may.
    let mut p = h
        .app
        .project_input(&coordinator, tk)
        .await
        .expect("the project's form");
    assert_eq!(
        (p.start_date.as_str(), p.end_date.as_str()),
        ("2018-11-01", "2021-10-31")
    );
    p.end_date = "2027-10-31".into();
    p.funder = "Tillväxtverket och Botkyrka kommun".into();
    forbidden(h.app.submit_project_update(&coach, tk, &p).await);
    not_found(
        h.app
            .submit_project_update(&coordinator, tk + 1000, &p)
            .await,
    );
    let mut bad = p.clone();
    bad.end_date = "2017-01-01".into();
    assert_invalid(
        h.app.submit_project_update(&coordinator, tk, &bad).await,
        "end_date",
        "error-period",
    );
    h.app
        .submit_project_update(&coordinator, tk, &p)
        .await
        .expect("extended");
    let mut c = h.app.raw_db().read().await.expect("connection");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'project.update' AND entity_id = $1",
    )
    .bind(tk)
    .fetch_one(&mut *c)
    .await
    .expect("audit");
    drop(c);
    assert_eq!(audited, 1);
    let again = h.app.project_input(&coordinator, tk).await.expect("form");
    assert_eq!(
        (again.end_date.as_str(), again.funder.as_str()),
        ("2027-10-31", "Tillväxtverket och Botkyrka kommun")
    );
    h.app
        .transition(&coach, layla, intake)
        .await
        .expect("taken in while it runs");
    let s = h.summary(&coordinator, TILLVAXT_KVINNA).await;
    assert_eq!(s.enrolled, 268, "the figures follow the new period");
}

pub(crate) async fn only_staff_who_work_with_participants_can_be_her_caseworker(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let botkyrka = coach.user.organisation_id;
    let admin = h.signed(ADMIN).await.user.id;
    let evaluator = h.signed(EVALUATOR).await.user.id;
    // An administrator or an evaluator reads no records: neither can be
    // assigned, through any caller (the form's list leaves them out too).
    for (no, given) in [(admin, "Amal"), (evaluator, "Hodan")] {
        let form = ParticipantInput {
            caseworker_ids: vec![no.to_string()],
            ..h.input(given, "Testsson", &pnr("19811218", 987), botkyrka)
        };
        assert_invalid(
            h.app.submit_registration(&ctx, &form).await,
            "caseworker_ids",
            "error-choice",
        );
    }
    let choices: Vec<i64> = h
        .app
        .caseworker_choices(&ctx)
        .await
        .expect("choices")
        .iter()
        .map(|u| u.id)
        .collect();
    assert!(choices.contains(&coach.user.id), "{choices:?}");
    assert!(!choices.contains(&admin) && !choices.contains(&evaluator));
    let form = ParticipantInput {
        caseworker_ids: vec![coach.user.id.to_string()],
        ..h.input("Amal", "Testsson", &pnr("19811218", 987), botkyrka)
    };
    h.register(&ctx, &form).await;
}
