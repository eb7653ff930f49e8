//! Who sees which participant: lists, counts and reads agree with the policy.

use crate::harness::*;
use palett_app::demo::DEMO_USERS;
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::model::ParticipantInput;
use palett_domain::policy::Relation;
use palett_store::participant::Filter;
use std::collections::BTreeSet;

pub(crate) async fn other_organisations_caseworker_sees_her_only_once_assigned(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let ali = h.signed(AF).await;
    let ali_ctx = ali.ctx(IP);
    assert_ne!(ali.user.organisation_id, coach.user.organisation_id);
    let ali_sees_before = h.all_participant_ids(&ali_ctx, &Filter::default()).await;

    let id = h
        .app
        .register_participant(
            &coach_ctx,
            &h.input(
                "Amal",
                "Testsson",
                &pnr("19811218", 987),
                coach.user.organisation_id,
            ),
        )
        .await
        .expect("registering Amal");

    assert!(matches!(
        err(h.app.participant(&ali_ctx, id).await),
        AppError::NotFound
    ));
    assert_eq!(h.count_named(&ali_ctx, "Testsson").await, 0);
    let ali_sees = h.all_participant_ids(&ali_ctx, &Filter::default()).await;
    assert_eq!(ali_sees, ali_sees_before, "her count does not include Amal");
    // Nor may she change her: to her, Amal does not exist.
    let form = h.input(
        "Amal",
        "Ändrad",
        &pnr("19811218", 987),
        coach.user.organisation_id,
    );
    assert!(matches!(
        err(h.app.update_participant(&ali_ctx, id, None, &form).await),
        AppError::NotFound
    ));

    // Kim assigns Ali as Amal's caseworker.
    let (form, version) = h
        .app
        .participant_input(&coach_ctx, id)
        .await
        .expect("edit form");
    let assigned = ParticipantInput {
        caseworker_ids: vec![coach.user.id.to_string(), ali.user.id.to_string()],
        ..form
    };
    h.app
        .update_participant(&coach_ctx, id, Some(version), &assigned)
        .await
        .expect("assigning Ali");

    let view = h
        .app
        .participant(&ali_ctx, id)
        .await
        .expect("Ali reads Amal once assigned");
    assert_eq!(view.participant.family_name, "Testsson");
    assert!(view.relation.assigned_to_actor);
    assert!(!view.relation.own_organisation_responsible);
    let mut caseworkers: Vec<i64> = view.caseworkers.iter().map(|c| c.0).collect();
    caseworkers.sort_unstable();
    let mut expected = vec![coach.user.id, ali.user.id];
    expected.sort_unstable();
    assert_eq!(caseworkers, expected);
    assert_eq!(h.count_named(&ali_ctx, "Testsson").await, 1);
    let mut after = h.all_participant_ids(&ali_ctx, &Filter::default()).await;
    after.retain(|p| *p != id);
    assert_eq!(after, ali_sees_before, "exactly Amal was added to her list");
    // Her own caseworker filter finds her too.
    let mine = Filter {
        caseworker_id: Some(ali.user.id),
        ..Filter::default()
    };
    assert!(h.all_participant_ids(&ali_ctx, &mine).await.contains(&id));
}

pub(crate) async fn evaluator_and_administrator_see_figures_but_no_participant(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let (items, total) = h
        .app
        .participants(&coordinator, &Filter::default(), Page::new(None, None))
        .await
        .expect("the coordinator's list");
    assert_eq!(total, 273);
    let some_id = items[0].id;
    let coach = h.signed(COACH).await;
    let new_id = h
        .app
        .register_participant(
            &coach.ctx(IP),
            &h.input(
                "Amal",
                "Testsson",
                &pnr("19811218", 987),
                coach.user.organisation_id,
            ),
        )
        .await
        .expect("registering Amal");

    for email in [EVALUATOR, ADMIN] {
        let ctx = h.ctx(email).await;
        let (items, total) = h
            .app
            .participants(&ctx, &Filter::default(), Page::new(None, None))
            .await
            .expect("listing");
        assert_eq!((items.len(), total), (0, 0), "{email} lists nobody");
        assert_eq!(
            h.count_named(&ctx, "Testsson").await,
            0,
            "{email} finds nobody"
        );
        for id in [some_id, new_id] {
            assert!(
                matches!(err(h.app.participant(&ctx, id).await), AppError::NotFound),
                "{email} may not read participant {id}"
            );
        }
        // Figures, without identities, are open to them.
        let s = h.summary(&ctx, TILLVAXT_KVINNA).await;
        assert_eq!(
            (s.enrolled, s.ended, s.ended_to_job_or_studies),
            (267, 247, 42),
            "{email}"
        );
        // Neither may register anyone.
        let form = h.input(
            "Hodan",
            "Testsson",
            &pnr("19700505", 222),
            coach.user.organisation_id,
        );
        assert!(matches!(
            err(h.app.register_participant(&ctx, &form).await),
            AppError::Forbidden
        ));
    }
}

/// The facts of one participant that decide who may read her.
struct Facts {
    id: i64,
    partnership_id: i64,
    responsible_organisation_id: i64,
    caseworker_ids: Vec<i64>,
    /// Organisations providing an intervention she is enrolled in.
    providers: Vec<i64>,
    /// Organisations her sharing consent in force covers.
    shared_with: Vec<i64>,
}

pub(crate) async fn everyone_reads_exactly_what_the_policy_allows(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let all = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await;
    assert_eq!(all.len(), 273);

    // The demo assigns each participant only a caseworker of her responsible
    // organisation; assign Bo of Bilda (responsible for nobody) to two others,
    // so that assignment alone must grant access.
    let bo = h.signed(CIRKELLEDARE).await;
    for id in [all[0], all[all.len() / 2]] {
        let (form, version) = h
            .app
            .participant_input(&coordinator, id)
            .await
            .expect("edit form");
        let mut form = form;
        form.caseworker_ids.push(bo.user.id.to_string());
        h.app
            .update_participant(&coordinator, id, Some(version), &form)
            .await
            .expect("assigning Bo");
    }

    let palette = h.app.palette(&coordinator, true).await.expect("palette");
    let mut facts = Vec::with_capacity(all.len());
    for id in &all {
        let v = h
            .app
            .participant(&coordinator, *id)
            .await
            .expect("the coordinator reads everyone");
        facts.push(Facts {
            id: *id,
            partnership_id: v.participant.partnership_id,
            responsible_organisation_id: v.participant.responsible_organisation_id,
            caseworker_ids: v.caseworkers.iter().map(|c| c.0).collect(),
            providers: h
                .app
                .enrolments(&coordinator, *id)
                .await
                .expect("enrolments")
                .iter()
                .filter(|e| e.status.holds_place())
                .filter_map(|e| palette.iter().find(|i| i.id == e.intervention_id))
                .map(|i| i.provider_organisation_id)
                .collect(),
            shared_with: h
                .app
                .consents(&coordinator, *id)
                .await
                .expect("consents")
                .iter()
                .filter(|(k, in_force)| {
                    *in_force && k.kind == palett_domain::consent::ConsentKind::Sharing
                })
                .flat_map(|(k, _)| k.organisations.iter().map(|o| o.0))
                .collect(),
        });
    }

    for (email, _, _, _) in DEMO_USERS {
        let signed = h.signed(email).await;
        let ctx = signed.ctx(IP);
        let actor = &signed.actor;
        let expected: BTreeSet<i64> = facts
            .iter()
            .filter(|f| {
                actor.can_read_participant(Relation {
                    same_partnership: f.partnership_id == actor.partnership_id,
                    own_organisation_responsible: f.responsible_organisation_id
                        == actor.organisation_id,
                    assigned_to_actor: f.caseworker_ids.contains(&actor.user_id),
                    enrolled_with_own_organisation: f.providers.contains(&actor.organisation_id),
                    shared_with_own_organisation: f.shared_with.contains(&actor.organisation_id),
                    emergency: false,
                })
            })
            .map(|f| f.id)
            .collect();
        let listed = h.all_participant_ids(&ctx, &Filter::default()).await;
        assert_eq!(listed.len(), expected.len(), "{email}: the list's total");
        let listed: BTreeSet<i64> = listed.into_iter().collect();
        assert_eq!(
            listed, expected,
            "{email}: the list holds exactly whom the policy allows"
        );
        for f in &facts {
            let read = h.app.participant(&ctx, f.id).await;
            if expected.contains(&f.id) {
                let v = read
                    .unwrap_or_else(|e| panic!("{email} lists {} but cannot read her: {e}", f.id));
                assert_eq!(v.participant.id, f.id);
            } else {
                assert!(
                    matches!(err(read), AppError::NotFound),
                    "{email} may not read participant {}",
                    f.id
                );
            }
        }
        // The policy is not vacuous here: who sees how many.
        let n = expected.len();
        match *email {
            COORDINATOR | KOMMUN_COORDINATOR => assert_eq!(n, 273),
            ADMIN | EVALUATOR => assert_eq!(n, 0),
            // Bo's organisation runs groups; the two assigned come on top.
            CIRKELLEDARE => assert!(n > 2, "{email} sees {n}"),
            _ => assert!(0 < n && n < 273, "{email} sees {n}"),
        }
    }
}
