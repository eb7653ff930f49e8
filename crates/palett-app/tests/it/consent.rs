//! Consents as records: given, scoped, expiring, withdrawn.

use crate::harness::*;
use palett_app::AppError;
use palett_domain::consent::{ConsentInput, ConsentKind};

pub(crate) async fn consents_are_records_that_can_be_withdrawn(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let af = h.ctx(AF).await;
    let kommun = coach.user.organisation_id;
    let hm = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let mut form = input("Zahra", "Samtyckesson", &pnr("19790612", 555), kommun);
    form.intake_date = "2026-11-20".into();
    let p = h
        .app
        .register_participant(&coach_ctx, &form)
        .await
        .expect("register");

    let sharing = ConsentInput {
        kind: "sharing".into(),
        method: "signed_paper".into(),
        given_on: "2026-11-20".into(),
        organisation_ids: vec![kommun.to_string(), hm.to_string()],
        ..Default::default()
    };
    let id = h
        .app
        .give_consent(&coach_ctx, p, &sharing)
        .await
        .expect("sharing");
    let research = ConsentInput {
        kind: "research".into(),
        method: "oral_with_witness".into(),
        witness: "Tolk Exempel".into(),
        given_on: "2026-11-20".into(),
        expires_on: "2026-12-31".into(),
        ..Default::default()
    };
    h.app
        .give_consent(&coach_ctx, p, &research)
        .await
        .expect("research");
    // An organisation outside the partnership cannot be named.
    let outside = ConsentInput {
        organisation_ids: vec!["999999".into()],
        ..sharing.clone()
    };
    assert_eq!(
        invalid_code(
            h.app.give_consent(&coach_ctx, p, &outside).await,
            "organisation_ids"
        ),
        "error-choice"
    );
    // Nobody outside her circle may record or read her consents.
    assert!(matches!(
        err(h.app.give_consent(&af, p, &sharing).await),
        AppError::NotFound
    ));
    assert!(matches!(
        err(h.app.consents(&af, p).await),
        AppError::NotFound
    ));

    let list = h.app.consents(&coordinator, p).await.expect("consents");
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
            .withdraw_consent(&coach_ctx, id, "Vill inte längre")
            .await
            .expect("withdraw"),
        p
    );
    let list = h.app.consents(&coordinator, p).await.expect("consents");
    let (shared, in_force) = list
        .iter()
        .find(|(k, _)| k.kind == ConsentKind::Sharing)
        .expect("sharing");
    assert!(!*in_force);
    assert_eq!(shared.withdrawal_note.as_deref(), Some("Vill inte längre"));
    assert_eq!(
        invalid_code(h.app.withdraw_consent(&coach_ctx, id, "").await, "consent"),
        "error-consent-withdrawn"
    );
    // The research consent lapses after its expiry.
    h.advance_secs(40 * 86_400);
    let list = h.app.consents(&coordinator, p).await.expect("consents");
    assert!(list.iter().all(|(_, in_force)| !in_force));
}
