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
    let lena = h.signed(LARARE).await;
    let lena_ctx = lena.ctx(IP);
    assert_ne!(lena.user.organisation_id, coach.user.organisation_id);
    let lena_sees_before = h.all_participant_ids(&lena_ctx, &Filter::default()).await;

    let id = h
        .register_amal(&coach_ctx, coach.user.organisation_id)
        .await;

    not_found(h.app.participant(&lena_ctx, id).await);
    assert_eq!(h.count_named(&lena_ctx, "Testsson").await, 0);
    let lena_sees = h.all_participant_ids(&lena_ctx, &Filter::default()).await;
    assert_eq!(
        lena_sees, lena_sees_before,
        "her count does not include Amal"
    );
    // Nor may she change her: to her, Amal does not exist.
    let form = h.input(
        "Amal",
        "Ändrad",
        &pnr("19811218", 987),
        coach.user.organisation_id,
    );
    not_found(h.app.submit_update(&lena_ctx, id, None, &form).await);

    // Kim assigns Lena as Amal's caseworker.
    let (form, version) = h
        .app
        .participant_input(&coach_ctx, id)
        .await
        .expect("edit form");
    let assigned = ParticipantInput {
        caseworker_ids: vec![coach.user.id.to_string(), lena.user.id.to_string()],
        ..form
    };
    h.app
        .submit_update(&coach_ctx, id, Some(version), &assigned)
        .await
        .expect("assigning Lena");

    let view = h.read(&lena_ctx, id).await;
    assert_eq!(view.participant.family_name, "Testsson");
    assert!(view.relation.assigned_to_actor);
    assert!(!view.relation.own_organisation_responsible);
    let mut caseworkers: Vec<i64> = view.caseworkers.iter().map(|c| c.user_id).collect();
    caseworkers.sort_unstable();
    let mut expected = vec![coach.user.id, lena.user.id];
    expected.sort_unstable();
    assert_eq!(caseworkers, expected);
    assert_eq!(h.count_named(&lena_ctx, "Testsson").await, 1);
    let mut after = h.all_participant_ids(&lena_ctx, &Filter::default()).await;
    after.retain(|p| *p != id);
    assert_eq!(
        after, lena_sees_before,
        "exactly Amal was added to her list"
    );
    // Her own caseworker filter finds her too.
    let mine = Filter {
        caseworker_id: Some(lena.user.id),
        ..Filter::default()
    };
    assert!(h.all_participant_ids(&lena_ctx, &mine).await.contains(&id));
}

pub(crate) async fn evaluator_and_administrator_see_figures_but_no_participant(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let (items, total) = h
        .app
        .participants(&coordinator, &Filter::default(), Page::new(None, None))
        .await
        .expect("the coordinator's list");
    assert_eq!(total, 303);
    let some_id = items[0].id;
    let coach = h.signed(COACH).await;
    let new_id = h
        .register_amal(&coach.ctx(IP), coach.user.organisation_id)
        .await;

    for email in [EVALUATOR, ADMIN] {
        let ctx = h.ctx(email).await;
        // The list and the search are refused as such: nobody is listed.
        let list = h
            .app
            .participants(&ctx, &Filter::default(), Page::new(None, None))
            .await;
        assert!(
            matches!(err(list), AppError::Forbidden),
            "{email} lists nobody"
        );
        let search = Filter {
            name: Some("Testsson".into()),
            ..Filter::default()
        };
        let found = h
            .app
            .participants(&ctx, &search, Page::new(None, None))
            .await;
        assert!(
            matches!(err(found), AppError::Forbidden),
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
        forbidden(h.app.submit_registration(&ctx, &form).await);
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
    assert_eq!(all.len(), 303);

    // The demo assigns each participant only a caseworker of her responsible
    // organisation; assign Bo of Bilda (responsible for nobody) to two others,
    // so that assignment alone must grant access. Ali of Arbetsförmedlingen,
    // which left the partnership in 2020, is assigned too: a former member
    // keeps its own records only, so that must not.
    let bo = h.signed(CIRKELLEDARE).await;
    let ali = h.signed(AF).await;
    assert_eq!(ali.actor.standing, palett_domain::policy::Standing::Former);
    // (Two women Hela Människan, the coordinator's organisation, is
    // responsible for: she may assign caseworkers to them.)
    let hela = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let hers = h
        .all_participant_ids(
            &coordinator,
            &Filter {
                organisation_id: Some(hela),
                ..Default::default()
            },
        )
        .await;
    for id in [hers[0], hers[hers.len() / 2]] {
        let (form, version) = h
            .app
            .participant_input(&coordinator, id)
            .await
            .expect("edit form");
        let mut form = form;
        form.caseworker_ids.push(bo.user.id.to_string());
        form.caseworker_ids.push(ali.user.id.to_string());
        h.app
            .submit_update(&coordinator, id, Some(version), &form)
            .await
            .expect("assigning Bo");
    }

    let palette = h.app.palette(&coordinator, true).await.expect("palette");
    let mut facts = Vec::with_capacity(all.len());
    for id in &all {
        let v = h.read(&coordinator, *id).await;
        facts.push(Facts {
            id: *id,
            partnership_id: v.participant.partnership_id,
            responsible_organisation_id: v.participant.responsible_organisation_id,
            caseworker_ids: v.caseworkers.iter().map(|c| c.user_id).collect(),
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
        if actor.sees_participants() {
            let listed = h.all_participant_ids(&ctx, &Filter::default()).await;
            assert_eq!(listed.len(), expected.len(), "{email}: the list's total");
            let listed: BTreeSet<i64> = listed.into_iter().collect();
            assert_eq!(
                listed, expected,
                "{email}: the list holds exactly whom the policy allows"
            );
        } else {
            // A role that never sees a participant is refused the list as
            // such (its existence is no secret, who is on it would be).
            assert!(expected.is_empty(), "{email}");
            let list = h
                .app
                .participants(&ctx, &Filter::default(), Page::new(None, None))
                .await;
            assert!(
                matches!(err(list), AppError::Forbidden),
                "{email}: the list is refused"
            );
        }
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
            COORDINATOR | KOMMUN_COORDINATOR => assert_eq!(n, 303),
            ADMIN | EVALUATOR => assert_eq!(n, 0),
            // Bo's organisation runs groups; the two assigned come on top.
            CIRKELLEDARE => assert!(n > 2, "{email} sees {n}"),
            // The former member: exactly the records it is responsible for,
            // though it is assigned to others who share with it.
            AF => {
                let own = facts
                    .iter()
                    .filter(|f| f.responsible_organisation_id == actor.organisation_id)
                    .count();
                let related_and_shared = facts
                    .iter()
                    .filter(|f| {
                        f.responsible_organisation_id != actor.organisation_id
                            && f.caseworker_ids.contains(&actor.user_id)
                            && f.shared_with.contains(&actor.organisation_id)
                    })
                    .count();
                assert!(
                    own > 0 && related_and_shared > 0,
                    "{own} {related_and_shared}"
                );
                assert_eq!(n, own, "{email} sees her own records only");
            }
            _ => assert!(0 < n && n < 303, "{email} sees {n}"),
        }
    }
}

/// Botkyrka kommun leaves the partnership (its membership ends today, so
/// from tomorrow it is a former member, like Arbetsförmedlingen in the
/// demo): its staff keep reading the participants it is responsible for,
/// and nothing else: no changes, registrations, notes, consents, groups or
/// emergency access, and a participant shared with it by consent is gone.
pub(crate) async fn a_former_member_keeps_only_its_own_records_read_only(h: H) {
    use palett_domain::lifecycle::Transition;
    use palett_domain::policy::Standing;
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let sara = h.ctx(COORDINATOR).await;
    let hanna = h.signed(HANDLEDARE).await;
    let kim = h.signed(COACH).await;
    let kommun = kim.user.organisation_id;
    let hm = hanna.user.organisation_id;
    let mut own = h.input("Egen", "Kommunsdotter", &pnr("19850505", 111), kommun);
    own.intake_date = "2026-11-20".into();
    let own = h.register(&kim.ctx(IP), &own).await;
    // Hela Människan's participant, shared with every partner by consent,
    // with Kim among her caseworkers.
    let mut shared = h.input("Delad", "Samverkansdotter", &pnr("19860606", 222), hm);
    shared.intake_date = "2026-11-20".into();
    shared.caseworker_ids = vec![hanna.user.id.to_string(), kim.user.id.to_string()];
    let shared = h.register(&hanna.ctx(IP), &shared).await;
    for who in [COACH, KOMMUN_COORDINATOR] {
        let ctx = h.ctx(who).await;
        for id in [own, shared] {
            h.app
                .participant(&ctx, id)
                .await
                .unwrap_or_else(|e| panic!("{who} reads {id} while a member: {e}"));
        }
    }

    let membership = h
        .app
        .memberships(&admin)
        .await
        .expect("memberships")
        .into_iter()
        .find(|m| m.organisation_id == kommun && m.left_on.is_none())
        .expect("the kommun's open membership")
        .id;
    h.app
        .submit_end_membership(&admin, membership, "2026-11-25")
        .await
        .expect("ending the membership today");
    // The last day of the membership is still a member's day.
    let kim = h.signed(COACH).await;
    assert_eq!(kim.actor.standing, Standing::Member);
    h.read(&kim.ctx(IP), shared).await;

    h.advance_secs(86_400);
    let kim = h.signed(COACH).await;
    let maja = h.signed(KOMMUN_COORDINATOR).await;
    assert_eq!(kim.actor.standing, Standing::Former);
    assert_eq!(maja.actor.standing, Standing::Former);
    for signed in [&kim, &maja] {
        let ctx = signed.ctx(IP);
        let who = &signed.user.email;
        // Its own former participant: readable, restricted fields and all,
        // but not changeable.
        let view = h
            .app
            .participant(&ctx, own)
            .await
            .unwrap_or_else(|e| panic!("{who} reads her own record: {e}"));
        assert!(view.may_see_restricted && !view.may_change && !view.may_reopen);
        h.app
            .consents(&ctx, own)
            .await
            .unwrap_or_else(|e| panic!("{who} reads her consents: {e}"));
        // The one shared by consent is gone, from reads, lists and searches.
        assert!(
            matches!(
                err(h.app.participant(&ctx, shared).await),
                AppError::NotFound
            ),
            "{who}"
        );
        assert_eq!(h.count_named(&ctx, "Samverkansdotter").await, 0, "{who}");
        assert_eq!(h.count_named(&ctx, "Kommunsdotter").await, 1, "{who}");
        let listed = h.all_participant_ids(&ctx, &Filter::default()).await;
        assert!(listed.contains(&own) && !listed.contains(&shared), "{who}");
        let (items, _) = h
            .app
            .participants(&ctx, &Filter::default(), Page::new(None, Some(100)))
            .await
            .expect("list");
        assert!(
            items
                .iter()
                .all(|i| i.responsible_organisation_name == BOTKYRKA_KOMMUN),
            "{who} lists only the kommun's own records"
        );
        // No changes of any kind.
        let mut changed = h.input("Egen", "Ändrad", &pnr("19850505", 111), kommun);
        changed.intake_date = "2026-11-20".into();
        assert!(
            matches!(
                err(h.app.submit_update(&ctx, own, None, &changed).await),
                AppError::Forbidden | AppError::NotFound
            ),
            "{who}"
        );
        let today = h.app.today();
        assert!(
            matches!(
                err(h
                    .app
                    .transition(&ctx, own, Transition::Start { on: today })
                    .await),
                AppError::Forbidden
            ),
            "{who}"
        );
        assert!(
            matches!(
                err(h
                    .app
                    .submit_note(&ctx, own, "Anteckning", "own_organisation")
                    .await),
                AppError::Forbidden
            ),
            "{who}"
        );
        let consent = palett_domain::consent::ConsentInput {
            kind: "research".into(),
            method: "signed_paper".into(),
            given_on: "2026-11-25".into(),
            ..Default::default()
        };
        assert!(
            matches!(
                err(h.app.submit_consent(&ctx, own, &consent).await),
                AppError::Forbidden
            ),
            "{who}"
        );
        // No registrations, for itself or anyone.
        for org in [kommun, hm] {
            let form = h.input("Ny", "Efteravslutdotter", &pnr("19870707", 333), org);
            assert!(
                matches!(
                    err(h.app.submit_registration(&ctx, &form).await),
                    AppError::Forbidden
                ),
                "{who}"
            );
        }
        assert_eq!(
            h.read(&ctx, own).await.participant.family_name,
            "Kommunsdotter",
            "{who}: the record is unchanged"
        );
    }
    // No groups or attendance, and no emergency access or log reading for
    // its coordinator.
    let maja = maja.ctx(IP);
    let intervention = h.app.palette(&sara, false).await.expect("palette")[0].id;
    forbidden(
        h.app
            .create_group(&maja, intervention, &new_group("Grupp"))
            .await,
    );
    forbidden(
        h.app
            .submit_emergency(&maja, &shared.to_string(), "", "Akut")
            .await,
    );
    forbidden(
        palett_app::audit::list(
            &h.app,
            &maja,
            &palett_store::audit::Filter::default(),
            Page::new(None, None),
        )
        .await,
    );
    // Figures stay open.
    let s = h.summary(&maja, TILLVAXT_KVINNA).await;
    assert_eq!((s.enrolled, s.ended), (267, 247));
    // A member cannot make the kommun responsible for anyone new.
    let form = h.input("Ny", "Efteravslutdotter", &pnr("19870707", 333), kommun);
    assert_invalid(
        h.app.submit_registration(&sara, &form).await,
        "responsible_organisation_id",
        "error-organisation-not-member",
    );
    // Hela Människan still reads the shared one.
    h.read(&hanna.ctx(IP), shared).await;
}
