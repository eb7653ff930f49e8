//! The participant portal: her caseworker invites her, she chooses a
//! password once with the code, signs in, confirms a month of her time,
//! withdraws one of her consents (her caseworkers are told) and fills in a
//! self-assessment, each marked as her own and logged with the role
//! `participant`.

use crate::harness::*;
use jiff::civil::date;
use palett_app::filters::AuditFilter;
use palett_app::paging::Page;
use palett_app::AppError;
use palett_domain::reminder::InboxKind;
use palett_domain::selfassessment::SelfAssessmentInput;

const HER_PASSWORD: &str = "sommar regn och kaffe";

/// The fields a refused use case names.
fn refused<T>(r: Result<T, AppError>) -> Vec<String> {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => field_of(e),
    }
}

fn field_of(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(f) => f.0.iter().map(|e| e.field.clone()).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

pub(crate) async fn her_portal_from_invitation_to_her_own_entries(h: H) {
    let crate::attestation::Taking {
        coordinator,
        coaching,
        coach,
        hodan,
    } = crate::attestation::taking_part(&h, "Portalsson", ("19820413", 413)).await;

    // Only staff who may change her record invite her.
    let evaluator = h.ctx(EVALUATOR).await;
    assert!(h.app.invite_to_portal(&evaluator, hodan).await.is_err());
    let invitation = h
        .app
        .invite_to_portal(&coach, hodan)
        .await
        .expect("invited");
    let access = h.app.portal_access(&coach, hodan).await.expect("access");
    let account = access.account.expect("an account");
    assert_eq!(account.login_name, invitation.login_name);
    assert!(!account.has_password && account.last_used_at.is_none());
    assert_eq!(access.invitation_expires_at, Some(invitation.expires_at));

    // A wrong code is refused on its field; the right one however typed.
    let wrong = h.app.check_portal_code("AAAA-BBBB-CCCC", IP).await;
    assert_eq!(refused(wrong), ["code"]);
    let typed = invitation.code.to_lowercase().replace('-', " ");
    assert_eq!(
        h.app
            .check_portal_code(&typed, IP)
            .await
            .expect("right code"),
        invitation.login_name
    );

    // A short password or two that differ are refused; the code still works.
    let short = h
        .app
        .set_up_portal_password(&invitation.code, "kort", "kort", IP)
        .await;
    assert_eq!(refused(short), ["password"]);
    let differ = h
        .app
        .set_up_portal_password(&invitation.code, HER_PASSWORD, "något annat här", IP)
        .await;
    assert_eq!(refused(differ), ["password_again"]);
    let session = h
        .app
        .set_up_portal_password(&invitation.code, HER_PASSWORD, HER_PASSWORD, IP)
        .await
        .expect("her password");
    // Once only.
    let again = h
        .app
        .set_up_portal_password(&invitation.code, HER_PASSWORD, HER_PASSWORD, IP)
        .await;
    assert_eq!(refused(again), ["code"]);
    let her = h
        .app
        .portal_session(&session.cookie_value)
        .await
        .expect("session")
        .expect("alive");
    assert_eq!(her.participant_id, hodan);

    // Her login name and password sign her in; a wrong password does not.
    assert!(matches!(
        h.app
            .portal_sign_in(&invitation.login_name, "fel lösenord här", IP)
            .await,
        Err(AppError::Unauthenticated)
    ));
    h.app
        .portal_sign_in(&invitation.login_name.to_lowercase(), HER_PASSWORD, IP)
        .await
        .expect("signed in");
    let access = h.app.portal_access(&coach, hodan).await.expect("access");
    let account = access.account.expect("account");
    assert!(account.has_password && account.last_used_at.is_some());
    assert_eq!(access.invitation_expires_at, None);

    // Her time: two hours in October, which she confirms; the running
    // month waits; a month outside the year is not hers to confirm.
    let today = h.app.today();
    h.app
        .record_activity(
            &coordinator,
            hodan,
            &activity(coaching, date(2026, 10, 15), "2", "Samtal", today),
        )
        .await
        .expect("two hours");
    let (months, running) = h.app.her_time(&her, IP).await.expect("her time");
    assert_eq!(running, "2026-11");
    let october = |m: &[palett_app::portal::HerMonth]| {
        m.iter()
            .find(|m| m.month == "2026-10")
            .cloned()
            .expect("October")
    };
    assert_eq!(october(&months).minutes, 120);
    assert_eq!(october(&months).confirmed, None);
    let running_month = h.app.confirm_her_month(&her, IP, "2026-11").await;
    assert_eq!(refused(running_month), ["month"]);
    assert!(matches!(
        h.app.confirm_her_month(&her, IP, "2024-10").await,
        Err(AppError::NotFound)
    ));
    h.app
        .confirm_her_month(&her, IP, "2026-10")
        .await
        .expect("confirmed");
    let (months, _) = h.app.her_time(&her, IP).await.expect("her time");
    assert_eq!(october(&months).confirmed.map(|c| c.0), Some(120));
    // Her caseworker sees it as her own confirmation.
    let confirmed = h
        .app
        .portal_access(&coach, hodan)
        .await
        .expect("access")
        .confirmed;
    assert_eq!(
        confirmed.first().map(|c| (c.0.as_str(), c.1)),
        Some(("2026-10", 120))
    );
    // An hour more afterwards shows beside what she confirmed.
    h.app
        .record_activity(
            &coordinator,
            hodan,
            &activity(coaching, date(2026, 10, 20), "1", "Samtal", today),
        )
        .await
        .expect("an hour more");
    let (months, _) = h.app.her_time(&her, IP).await.expect("her time");
    assert_eq!(october(&months).minutes, 180);
    assert_eq!(october(&months).confirmed.map(|c| c.0), Some(120));

    // Her consents: another's is not found; hers stops at once, marked as
    // withdrawn by her, and her side is told in their inbox.
    let consents = h.app.her_consents(&her, IP).await.expect("hers");
    let (mine, in_force) = consents.first().expect("she gave one at intake");
    assert!(*in_force);
    let others = h
        .app
        .consents(&coordinator, hodan - 1)
        .await
        .expect("another's");
    let theirs = others.first().expect("another's consent").0.id;
    assert!(matches!(
        h.app.withdraw_her_consent(&her, IP, theirs).await,
        Err(AppError::NotFound)
    ));
    h.app
        .withdraw_her_consent(&her, IP, mine.id)
        .await
        .expect("withdrawn");
    let staff_view = h.app.consents(&coach, hodan).await.expect("her consents");
    let withdrawn = staff_view
        .iter()
        .find(|(k, _)| k.id == mine.id)
        .expect("the consent");
    assert!(withdrawn.0.withdrawn_by_her && !withdrawn.1);
    let inbox = h
        .app
        .inbox(&coach, Page::new(None, Some(25)))
        .await
        .expect("inbox");
    assert!(inbox
        .items
        .iter()
        .any(|m| m.kind == InboxKind::ConsentWithdrawnByHer && m.participant_id == Some(hodan)));
    assert!(matches!(
        h.app.withdraw_her_consent(&her, IP, mine.id).await,
        Err(AppError::Invalid(_))
    ));

    // Her own self-assessment is marked as hers.
    let scored = SelfAssessmentInput {
        on: today.to_string(),
        scores: ["3", "4", "4", "2", "5", "3"].map(String::from).to_vec(),
    }
    .parse(today)
    .expect("scores");
    h.app
        .record_her_self_assessment(&her, IP, &scored)
        .await
        .expect("recorded");
    let all = h.app.self_assessments(&coach, hodan).await.expect("hers");
    let latest = all.last().expect("one");
    assert!(latest.by_participant && latest.total() == 21);

    // The log names her acts with the role participant and no user.
    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter {
                participant_id: Some(hodan),
                ..AuditFilter::default()
            },
            Page::new(None, Some(200)),
        )
        .await;
    let hers: Vec<&str> = log
        .iter()
        .filter(|e| e.roles == "participant")
        .map(|e| e.action.as_str())
        .collect();
    for action in [
        "portal.set_up",
        "portal.sign_in",
        "portal.read",
        "portal.confirm_month",
        "consent.withdraw",
        "participant.self_assessment",
    ] {
        assert!(hers.contains(&action), "{action} in {hers:?}");
    }
    assert!(log
        .iter()
        .filter(|e| e.roles == "participant")
        .all(|e| e.user_id.is_none()));

    // A new invitation restores access: her old password and sessions end.
    let renewed = h.app.invite_to_portal(&coach, hodan).await.expect("again");
    assert_eq!(renewed.login_name, invitation.login_name);
    h.app
        .set_up_portal_password(
            &renewed.code,
            "höst sol och te nu",
            "höst sol och te nu",
            IP,
        )
        .await
        .expect("new password");
    assert!(h
        .app
        .portal_session(&session.cookie_value)
        .await
        .expect("looked up")
        .is_none());
    assert!(h
        .app
        .portal_sign_in(&invitation.login_name, HER_PASSWORD, IP)
        .await
        .is_err());
}

/// Passkeys: a made-up answer is refused on `credential` and leaves the
/// invitation unused; a ceremony is taken once; a login name without a
/// passkey gets no challenge. (The whole ceremony with an authenticator is
/// the browser test's, with Chromium's virtual authenticator.)
pub(crate) async fn a_passkey_answer_that_does_not_hold_changes_nothing(h: H) {
    use palett_app::passkeys::RelyingParty;
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let form = h.input("Sahra", "Nyckelsson", &pnr("19850607", 607), kommun);
    let sahra = h.register(&coach, &form).await;
    let invitation = h
        .app
        .invite_to_portal(&coach, sahra)
        .await
        .expect("invited");
    let rp = RelyingParty {
        id: "localhost".into(),
        origin: "http://localhost:8080".into(),
    };
    assert_eq!(
        refused(h.app.start_portal_passkey("AAAA-BBBB-CCCC", &rp, IP).await),
        ["code"]
    );
    let challenge = h
        .app
        .start_portal_passkey(&invitation.code, &rp, IP)
        .await
        .expect("a challenge");
    let options = &challenge.options["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["user"]["name"], invitation.login_name.as_str());
    let made_up = serde_json::json!({
        "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
        "response": { "attestationObject": "AAAA", "clientDataJSON": "AAAA" }
    });
    assert_eq!(
        refused(
            h.app
                .finish_portal_passkey(
                    &invitation.code,
                    &challenge.ceremony,
                    made_up.clone(),
                    &rp,
                    IP
                )
                .await
        ),
        ["credential"]
    );
    // The invitation still works, and an unknown ceremony is refused.
    assert_eq!(
        h.app
            .check_portal_code(&invitation.code, IP)
            .await
            .expect("unused"),
        invitation.login_name
    );
    assert_eq!(
        refused(
            h.app
                .finish_portal_passkey(&invitation.code, "no-such-ceremony", made_up, &rp, IP)
                .await
        ),
        ["credential"]
    );
    assert!(
        h.app
            .portal_access(&coach, sahra)
            .await
            .expect("access")
            .passkeys
            == 0
    );
    // No passkey yet: no sign-in challenge, and none for an unknown name.
    for login in [invitation.login_name.as_str(), "NOSUCH"] {
        assert!(matches!(
            h.app.start_portal_passkey_sign_in(login, &rp, IP).await,
            Err(AppError::Unauthenticated)
        ));
    }
}
