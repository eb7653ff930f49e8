//! Consents as records: given, scoped, expiring, withdrawn.

use crate::harness::*;
use palett_app::filters::ParticipantFilter;
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::consent::{ConsentInput, ConsentKind};
use palett_domain::model::ParticipantInput;
use palett_domain::path::*;

pub(crate) async fn consents_are_records_that_can_be_withdrawn(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let af = h.ctx(AF).await;
    let kommun = coach.user.organisation_id;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    // Registered without consents: only her responsible organisation sees her.
    let mut form = input("Zahra", "Samtyckesson", &pnr("19790612", 555), kommun);
    form.intake_date = "2026-11-20".into();
    let p = h.register(&coach_ctx, &form).await;

    let sharing = ConsentInput {
        kind: "sharing".into(),
        method: "signed_paper".into(),
        given_on: "2026-11-20".into(),
        organisation_ids: vec![kommun.to_string(), hm.to_string()],
        ..Default::default()
    };
    not_found(h.app.participant(&coordinator, p).await);
    let id = h
        .app
        .submit_consent(&coach_ctx, p, &sharing)
        .await
        .expect("sharing");
    // The sharing consent lifts secrecy towards Hela Människan at once.
    h.read(&coordinator, p).await;
    let research = ConsentInput {
        kind: "research".into(),
        method: "oral_with_witness".into(),
        witness: "Tolk Exempel".into(),
        given_on: "2026-11-20".into(),
        expires_on: "2026-12-31".into(),
        ..Default::default()
    };
    h.app
        .submit_consent(&coach_ctx, p, &research)
        .await
        .expect("research");
    // An organisation outside the partnership cannot be named.
    let outside = ConsentInput {
        organisation_ids: vec!["999999".into()],
        ..sharing.clone()
    };
    assert_invalid(
        h.app.submit_consent(&coach_ctx, p, &outside).await,
        "organisation_ids",
        "error-choice",
    );
    // Nobody outside her circle may record or read her consents.
    not_found(h.app.submit_consent(&af, p, &sharing).await);
    not_found(h.app.consents(&af, p).await);

    let list = h.app.consents(&coach_ctx, p).await.expect("consents");
    assert_eq!(list.len(), 2);
    let (shared, in_force) = list
        .iter()
        .find(|(k, _)| k.kind == ConsentKind::Sharing)
        .expect("sharing");
    assert!(*in_force);
    let names: Vec<&str> = shared.organisations.iter().map(|o| o.1.as_str()).collect();
    assert_eq!(names, vec![BOTKYRKA_KOMMUN, HELA_MANNISKAN]);

    // Withdrawal takes effect at once and keeps the record.
    assert_eq!(
        h.app
            .submit_withdrawal(&coach_ctx, id, "Vill inte längre")
            .await
            .expect("withdraw"),
        p
    );
    assert!(
        matches!(
            err(h.app.participant(&coordinator, p).await),
            AppError::NotFound
        ),
        "gone for Hela Människan at once"
    );
    let list = h.app.consents(&coach_ctx, p).await.expect("consents");
    let (shared, in_force) = list
        .iter()
        .find(|(k, _)| k.kind == ConsentKind::Sharing)
        .expect("sharing");
    assert!(!*in_force);
    assert_eq!(shared.withdrawal_note.as_deref(), Some("Vill inte längre"));
    assert_invalid(
        h.app.submit_withdrawal(&coach_ctx, id, "").await,
        "consent",
        "error-consent-withdrawn",
    );
    // The research consent lapses after its expiry.
    h.advance_secs(40 * 86_400);
    let list = h.app.consents(&coach_ctx, p).await.expect("consents");
    assert!(list.iter().all(|(_, in_force)| !in_force));
}

/// The consent decides: shared with the municipality but not with the
/// folk high school, she is visible to the municipality's caseworker (who
/// works with her) and not to the folk high school's (who is assigned
/// too); withdrawn, she disappears for the municipality at once.
pub(crate) async fn sharing_consent_decides_who_sees_her(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let hanna = h.signed(HANDLEDARE).await;
    let hm_ctx = hanna.ctx(IP);
    let kim = h.signed(COACH).await;
    let ali = h.signed(LARARE).await;
    let (kim_ctx, ali_ctx) = (kim.ctx(IP), ali.ctx(IP));
    let hm = hanna.user.organisation_id;
    let kommun = kim.user.organisation_id;
    let form = ParticipantInput {
        intake_date: "2026-11-20".into(),
        sharing_organisation_ids: vec![hm.to_string(), kommun.to_string()],
        consent_method: "signed_paper".into(),
        caseworker_ids: vec![
            hanna.user.id.to_string(),
            kim.user.id.to_string(),
            ali.user.id.to_string(),
        ],
        ..input("Sahra", "Delningsson", &pnr("19820202", 321), hm)
    };
    let p = h.register(&hm_ctx, &form).await;
    let named = |ctx: palett_app::Ctx| {
        let h = &h;
        async move {
            let f = ParticipantFilter {
                name: Some("Delningsson".into()),
                ..Default::default()
            };
            h.app
                .participants(&ctx, &f, Page::new(None, None))
                .await
                .expect("list")
                .1
        }
    };
    h.read(&kim_ctx, p).await;
    assert_eq!(named(kim_ctx.clone()).await, 1);
    not_found(h.app.participant(&ali_ctx, p).await);
    assert_eq!(
        named(ali_ctx.clone()).await,
        0,
        "not in the folk high school's lists or counts"
    );
    let all_ali = h
        .all_participant_ids(&ali_ctx, &ParticipantFilter::default())
        .await;
    assert!(!all_ali.contains(&p));
    // Withdrawn: gone for the municipality at once; her own organisation keeps her.
    let sharing = h
        .app
        .consents(&hm_ctx, p)
        .await
        .expect("consents")
        .into_iter()
        .find(|(k, _)| k.kind == ConsentKind::Sharing)
        .expect("sharing")
        .0
        .id;
    h.app
        .submit_withdrawal(&hm_ctx, sharing, "Återkallat vid möte")
        .await
        .expect("withdraw");
    not_found(h.app.participant(&kim_ctx, p).await);
    assert_eq!(named(kim_ctx).await, 0);
    h.read(&hm_ctx, p).await;
    let _ = coordinator;
}

/// Health, support needs and protected identity stay with those who need
/// them: a teacher who sees her through sharing and a place in a group does
/// not see them, nor can her edits erase them.
pub(crate) async fn the_restricted_field_group_stays_with_those_who_need_it(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let kim = h.signed(COACH).await;
    let kim_ctx = kim.ctx(IP);
    let bo = h.signed(CIRKELLEDARE).await;
    let bo_ctx = bo.ctx(IP);
    let kommun = kim.user.organisation_id;
    let form = ParticipantInput {
        intake_date: "2026-11-20".into(),
        health_notes: "Diabetes; behöver pauser".into(),
        support_needs: "Tolk på somaliska".into(),
        protected_identity: "true".into(),
        ..h.input("Hawa", "Skyddsson", &pnr("19830303", 303), kommun)
    };
    let p = h.register(&kim_ctx, &form).await;
    // Bo's organisation runs a course she gets a place in.
    let course = h
        .app
        .submit_intervention(
            &coordinator,
            &palett_domain::palette::InterventionInput {
                name: "Samtalsgrupp".into(),
                kind: "group_session".into(),
                provider_organisation_id: bo.user.organisation_id.to_string(),
                project_id: "ordinary".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("intervention");
    h.app
        .enrol(&kim_ctx, p, &Enrol::in_intervention(course))
        .await
        .expect("enrol");

    let seen = h.read(&kim_ctx, p).await;
    let r = seen
        .participant
        .restricted
        .expect("Kim sees the restricted group");
    assert_eq!(
        (r.health_notes.as_deref(), r.protected_identity),
        (Some("Diabetes; behöver pauser"), true)
    );
    let teacher = h.read(&bo_ctx, p).await;
    assert_eq!(
        teacher.participant.restricted, None,
        "but not the restricted group"
    );
    assert!(!teacher.may_change, "and does not change her record");
    assert!(matches!(
        err(h.app.submit_update(&bo_ctx, p, None, &form).await),
        AppError::NotFound | AppError::Forbidden
    ));
    // An edit by someone who may change her but not see the group keeps it.
    let (input, version) = h
        .app
        .participant_input(&coordinator, p)
        .await
        .expect("form");
    let coordinator_view = h.read(&coordinator, p).await;
    assert_eq!(
        coordinator_view.participant.restricted, None,
        "a coordinator of another organisation sees her through sharing only"
    );
    let edited = ParticipantInput {
        phone: "070-111 22 33".into(),
        ..input
    };
    h.app
        .submit_update(&coordinator, p, Some(version), &edited)
        .await
        .expect("edit");
    let after = h.read(&kim_ctx, p).await.participant;
    assert_eq!(after.phone.as_deref(), Some("070-111 22 33"));
    assert_eq!(
        after.restricted.expect("kept").support_needs.as_deref(),
        Some("Tolk på somaliska")
    );
}

/// Break the glass: a coordinator opens a record outside her scope with a
/// reason; it is read-only, not in her lists, marked in the log, and ends.
pub(crate) async fn emergency_access_is_limited_and_marked(h: H) {
    h.seed().await;
    let coordinator = h.signed(COORDINATOR).await;
    let c_ctx = coordinator.ctx(IP);
    let kim = h.signed(COACH).await;
    let kim_ctx = kim.ctx(IP);
    let number = pnr("19760606", 606);
    let mut form = input("Ebla", "Nödsson", &number, kim.user.organisation_id);
    form.intake_date = "2026-11-20".into();
    form.health_notes = "Känslig uppgift".into();
    let p = h.register(&kim_ctx, &form).await;
    not_found(h.app.participant(&c_ctx, p).await);
    // Caseworkers cannot; a reason is required.
    forbidden(h.app.submit_emergency(&kim_ctx, "", &number, "x").await);
    assert_invalid(
        h.app.submit_emergency(&c_ctx, "", &number, " ").await,
        "reason",
        "error-required",
    );
    // A real sentence: at least 20 characters and three words.
    for short in ["x", "Akut", "Akut oro nu", "Akutoroförhennessäkerhet"] {
        assert_eq!(
            invalid_code(
                h.app.submit_emergency(&c_ctx, "", &number, short).await,
                "reason"
            ),
            "error-text-sentence",
            "{short}"
        );
    }
    assert_invalid(
        h.app
            .submit_emergency(
                &c_ctx,
                "",
                &pnr("19760606", 607),
                "Akut oro för hennes säkerhet",
            )
            .await,
        "identity_number",
        "error-no-such-participant",
    );
    assert_eq!(
        h.app
            .submit_emergency(&c_ctx, "", &number, "Akut oro för hennes säkerhet")
            .await
            .expect("glass"),
        p
    );
    // Hers to see while it lasts, with the reason; no one else's.
    let active = h.app.active_emergency_accesses(&c_ctx).await.expect("list");
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].participant_id, p);
    assert_eq!(active[0].reason, "Akut oro för hennes säkerhet");
    assert_eq!(active[0].expires_at - active[0].granted_at, 2 * 3600);
    forbidden(h.app.active_emergency_accesses(&kim_ctx).await);
    let v = h.read(&c_ctx, p).await;
    assert!(!v.may_change);
    assert_eq!(v.participant.restricted, None);
    let listed = h
        .all_participant_ids(&c_ctx, &palett_app::filters::ParticipantFilter::default())
        .await;
    assert!(
        !listed.contains(&p),
        "emergency access adds nobody to lists"
    );
    let log = h
        .audit_log(
            &c_ctx,
            &palett_store::audit::Filter {
                participant_id: Some(p),
                ..Default::default()
            },
            palett_app::participants::Page::new(None, None),
        )
        .await;
    assert!(log
        .iter()
        .any(|e| e.action == "participant.emergency_access"));
    assert!(log
        .iter()
        .any(|e| e.action == "participant.read" && e.entity == "emergency"));
    // Two hours later it is over.
    h.advance_secs(2 * 3600 + 1);
    not_found(h.app.participant(&c_ctx, p).await);
    assert!(h
        .app
        .active_emergency_accesses(&c_ctx)
        .await
        .expect("list")
        .is_empty());
}

/// A small deterministic generator (xorshift64*), so a failing case can be
/// replayed from its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bit(&mut self) -> bool {
        self.next() & 1 == 1
    }
    fn below(&mut self, n: u64) -> usize {
        (self.next() % n) as usize
    }
}

/// Property: for random combinations of responsible organisation, assigned
/// caseworkers (the relation), sharing consent and its withdrawal, every
/// partner's staff see her exactly when the rule says so, and nothing else
/// (record, subject access export, lists, name search and counts) leaks her.
/// The rule is restated here independently of the policy module.
pub(crate) async fn no_list_search_export_or_count_leaks_a_participant(h: H) {
    h.seed().await;
    let staff = [
        h.signed(HANDLEDARE).await,
        h.signed(COACH).await,
        h.signed(LARARE).await,
    ];
    let outsider = h.signed(CIRKELLEDARE).await;
    let ctxs: Vec<palett_app::Ctx> = staff.iter().map(|s| s.ctx(IP)).collect();
    let outsider_ctx = outsider.ctx(IP);
    let before: Vec<Vec<i64>> = {
        let mut v = Vec::new();
        for c in ctxs.iter().chain([&outsider_ctx]) {
            v.push(
                h.all_participant_ids(c, &ParticipantFilter::default())
                    .await,
            );
        }
        v
    };
    let seed = 0x5eed_1234_u64;
    let mut g = Gen(seed);
    let mut created = Vec::new();
    // Cases where a partner sees her through relation and consent, and where
    // a relation alone does not suffice: the generator must produce both.
    let (mut shared_in, mut related_out) = (0, 0);
    for case in 0..18u16 {
        let owner = g.below(3);
        let assigned: Vec<usize> = (0..3).filter(|_| g.bit()).collect();
        let shared: Vec<usize> = (0..3).filter(|_| g.bit()).collect();
        let withdrawn = !shared.is_empty() && g.below(4) == 0;
        let family = format!("Egenskapsdotter{case}");
        let form = ParticipantInput {
            intake_date: "2026-11-20".into(),
            sharing_organisation_ids: shared
                .iter()
                .map(|i| staff[*i].user.organisation_id.to_string())
                .collect(),
            consent_method: "signed_paper".into(),
            caseworker_ids: assigned
                .iter()
                .map(|i| staff[*i].user.id.to_string())
                .collect(),
            ..input(
                "Prop",
                &family,
                &pnr("19800303", 400 + case),
                staff[owner].user.organisation_id,
            )
        };
        let p = h
            .app
            .submit_registration(&ctxs[owner], &form)
            .await
            .unwrap_or_else(|e| panic!("seed {seed:#x} case {case}: register: {e:?}"));
        if withdrawn {
            let sharing = h
                .app
                .consents(&ctxs[owner], p)
                .await
                .expect("consents")
                .into_iter()
                .find(|(k, _)| k.kind == ConsentKind::Sharing)
                .expect("sharing")
                .0
                .id;
            h.app
                .submit_withdrawal(&ctxs[owner], sharing, "Återkallat")
                .await
                .expect("withdraw");
        }
        // The rule: her own organisation, or a relation and sharing in force
        // covering that organisation.
        let expected = |who: usize| {
            who == owner || (assigned.contains(&who) && shared.contains(&who) && !withdrawn)
        };
        created.push((p, family.clone(), (0..3).map(expected).collect::<Vec<_>>()));
        for who in (0..3).filter(|w| *w != owner && assigned.contains(w)) {
            if expected(who) {
                shared_in += 1;
            } else {
                related_out += 1;
            }
        }
        for (who, ctx) in ctxs.iter().enumerate() {
            let sees = expected(who);
            let what = format!(
                "seed {seed:#x} case {case}: staff {who}, owner {owner}, assigned {assigned:?}, shared {shared:?}, withdrawn {withdrawn}"
            );
            match h.app.participant(ctx, p).await {
                Ok(_) => assert!(sees, "{what}: record readable"),
                Err(AppError::NotFound) => assert!(!sees, "{what}: record hidden"),
                Err(e) => panic!("{what}: {e:?}"),
            }
            match h.app.subject_access(ctx, p).await {
                Ok(_) | Err(AppError::Forbidden) if sees => {}
                Err(AppError::NotFound) | Err(AppError::Forbidden) if !sees => {}
                other => panic!("{what}: subject access export: {:?}", other.map(|_| ())),
            }
            let by_name = ParticipantFilter {
                name: Some(family.clone()),
                ..Default::default()
            };
            let (items, total) = h
                .app
                .participants(ctx, &by_name, Page::new(None, None))
                .await
                .expect("search");
            assert_eq!(total, i64::from(sees), "{what}: search count");
            assert_eq!(
                items.iter().map(|i| i.id).collect::<Vec<_>>(),
                if sees { vec![p] } else { vec![] },
                "{what}: search result"
            );
        }
        assert!(
            matches!(
                err(h.app.participant(&outsider_ctx, p).await),
                AppError::NotFound
            ),
            "seed {seed:#x} case {case}: no relation, no access"
        );
    }
    assert!(
        shared_in > 0 && related_out > 0,
        "seed {seed:#x}: both kinds of case ({shared_in}, {related_out})"
    );
    // Whole lists and their totals: exactly what was there plus what the rule allows.
    for (who, ctx) in ctxs.iter().chain([&outsider_ctx]).enumerate() {
        let mut expected: Vec<i64> = before[who].clone();
        expected.extend(
            created
                .iter()
                .filter(|(_, _, sees)| sees.get(who).copied().unwrap_or(false))
                .map(|(p, _, _)| *p),
        );
        expected.sort_unstable();
        let mut listed = h
            .all_participant_ids(ctx, &ParticipantFilter::default())
            .await;
        listed.sort_unstable();
        assert_eq!(
            listed, expected,
            "seed {seed:#x}: the whole list of staff {who}"
        );
    }
}

/// The field error of a refused duplicate: its code, date and existing id.
fn duplicate_of(
    r: Result<i64, AppError>,
) -> (&'static str, Vec<(&'static str, String)>, Option<i64>) {
    match err(r) {
        AppError::Invalid(f) => {
            let e =
                f.0.iter()
                    .find(|e| e.field == "kind")
                    .unwrap_or_else(|| panic!("{f}"));
            (e.code, e.args.clone(), e.existing_id)
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

pub(crate) async fn a_duplicate_of_a_consent_in_force_is_refused_and_points_to_it(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let kommun = coach.user.organisation_id;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let mut form = input("Dubbla", "Samtyckesson", &pnr("19800808", 808), kommun);
    form.intake_date = "2026-11-20".into();
    let p = h.register(&coach_ctx, &form).await;
    let research = ConsentInput {
        kind: "research".into(),
        method: "digital".into(),
        given_on: "2026-11-20".into(),
        expires_on: "2026-12-31".into(),
        ..Default::default()
    };
    let first = h
        .app
        .submit_consent(&coach_ctx, p, &research)
        .await
        .expect("research");
    // The same again, given another day or ending sooner: refused, naming
    // the one in force and its date.
    for again in [
        research.clone(),
        ConsentInput {
            given_on: "2026-11-24".into(),
            method: "signed_paper".into(),
            ..research.clone()
        },
        ConsentInput {
            expires_on: "2026-12-01".into(),
            ..research.clone()
        },
    ] {
        assert_eq!(
            duplicate_of(h.app.submit_consent(&coach_ctx, p, &again).await),
            (
                "error-consent-duplicate",
                vec![("date", "2026-11-20".to_string())],
                Some(first)
            )
        );
    }
    // A renewal that runs longer, and another kind, are not duplicates.
    let renewal = h
        .app
        .submit_consent(
            &coach_ctx,
            p,
            &ConsentInput {
                expires_on: "2027-06-30".into(),
                ..research.clone()
            },
        )
        .await
        .expect("a longer renewal");
    let kinds = ConsentInput {
        kind: "employer_contact".into(),
        ..research.clone()
    };
    h.app
        .submit_consent(&coach_ctx, p, &kinds)
        .await
        .expect("another kind");

    // Sharing: the scope is its organisations. A narrower one is covered by
    // the one in force; a wider one is not.
    let sharing = |orgs: Vec<i64>| ConsentInput {
        kind: "sharing".into(),
        method: "signed_paper".into(),
        given_on: "2026-11-21".into(),
        organisation_ids: orgs.iter().map(i64::to_string).collect(),
        ..Default::default()
    };
    let narrow = h
        .app
        .submit_consent(&coach_ctx, p, &sharing(vec![kommun]))
        .await
        .expect("sharing with the municipality");
    assert_eq!(
        duplicate_of(
            h.app
                .submit_consent(&coach_ctx, p, &sharing(vec![kommun]))
                .await
        )
        .2,
        Some(narrow)
    );
    let wide = h
        .app
        .submit_consent(&coach_ctx, p, &sharing(vec![kommun, hm]))
        .await
        .expect("sharing with one more partner");
    assert_eq!(
        duplicate_of(
            h.app
                .submit_consent(&coach_ctx, p, &sharing(vec![hm]))
                .await
        )
        .2,
        Some(wide)
    );

    // Withdrawn consents do not block a new one.
    h.app
        .submit_withdrawal(&coach_ctx, wide, "Ångrade sig")
        .await
        .expect("withdraw");
    h.app
        .submit_consent(&coach_ctx, p, &sharing(vec![hm]))
        .await
        .expect("after the withdrawal");

    // Nor do expired ones: once both research consents have lapsed, a new
    // one is recorded.
    h.advance_secs(250 * 86_400);
    let today = h.app.today().to_string();
    let lapsed = ConsentInput {
        given_on: today.clone(),
        expires_on: String::new(),
        ..research.clone()
    };
    let list = h.app.consents(&coach_ctx, p).await.expect("consents");
    assert!(list
        .iter()
        .filter(|(k, _)| k.id == first || k.id == renewal)
        .all(|(_, in_force)| !in_force));
    let fresh = h
        .app
        .submit_consent(&coach_ctx, p, &lapsed)
        .await
        .expect("after expiry");

    // Two at once: exactly one is recorded, on both databases.
    let participation = ConsentInput {
        kind: "participation".into(),
        method: "digital".into(),
        given_on: today,
        ..Default::default()
    };
    let (a, b) = tokio::join!(
        h.app.submit_consent(&coach_ctx, p, &participation),
        h.app.submit_consent(&coach_ctx, p, &participation)
    );
    let recorded: Vec<i64> = [&a, &b]
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(recorded.len(), 1, "{a:?} {b:?}");
    let refused = if a.is_ok() { b } else { a };
    assert_eq!(duplicate_of(refused).2, Some(recorded[0]));
    let list = h.app.consents(&coach_ctx, p).await.expect("consents");
    assert_eq!(
        list.iter()
            .filter(|(k, f)| k.kind == ConsentKind::Participation && *f)
            .count(),
        1
    );
    assert!(list.iter().any(|(k, f)| k.id == fresh && *f));
}
