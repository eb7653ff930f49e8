//! Encryption at rest: personal identity numbers, the restricted field
//! group and profile snapshots are sealed in the database, readable through
//! palett, found by exact match through a keyed hash; legacy plaintext is
//! sealed at start-up; another key is refused.

use crate::harness::*;
use palett_app::data_key::DataKey;
use palett_app::{App, Config};
use palett_domain::model::ParticipantInput;
use palett_store::participant::Filter;
use sqlx::Row;

/// The stored (raw) identity number, hash, health notes and support needs.
async fn raw(
    h: &H,
    id: i64,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let mut c = h.app.raw_db().read().await.expect("connection");
    let r = sqlx::query(
        "SELECT identity_number, identity_hash, health_notes, support_needs FROM participants WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await
    .expect("row");
    (
        r.get("identity_number"),
        r.get("identity_hash"),
        r.get("health_notes"),
        r.get("support_needs"),
    )
}

async fn raw_versions(h: &H, id: i64) -> Vec<String> {
    let mut c = h.app.raw_db().read().await.expect("connection");
    sqlx::query_scalar("SELECT profile FROM participant_versions WHERE participant_id = $1")
        .bind(id)
        .fetch_all(&mut *c)
        .await
        .expect("versions")
}

async fn execute(h: &H, sql: &str, id: i64) {
    let mut tx = h.app.raw_db().write().await.expect("tx");
    sqlx::query(sql)
        .bind(id)
        .execute(&mut *tx)
        .await
        .expect(sql);
    tx.commit().await.expect("commit");
}

pub(crate) async fn identity_numbers_and_restricted_fields_are_sealed_at_rest(h: H) {
    h.seed().await;
    let kim = h.signed(COACH).await;
    let ctx = kim.ctx(IP);
    let number = pnr("19830303", 303);
    let digits = number.replace('-', "");
    let form = ParticipantInput {
        health_notes: "Diabetes; behöver pauser".into(),
        support_needs: "Tolk på somaliska".into(),
        ..h.input("Hawa", "Förseglad", &number, kim.user.organisation_id)
    };
    let id = h.register(&ctx, &form).await;

    let (stored_number, hash, health, support) = raw(&h, id).await;
    for (what, v) in [
        ("number", &stored_number),
        ("health", &health),
        ("support", &support),
    ] {
        let v = v.as_deref().unwrap_or_else(|| panic!("{what} stored"));
        assert!(v.starts_with("enc1:"), "{what} is sealed: {v}");
    }
    let stored = format!("{stored_number:?}{hash:?}{health:?}{support:?}");
    for clear in [&digits[..], &digits[2..], "Diabetes", "somaliska"] {
        assert!(!stored.contains(clear), "{clear} is not in the database");
    }
    assert!(hash.is_some(), "the keyed hash is stored");

    // palett reads them as they were entered.
    let seen = h.read(&ctx, id).await.participant;
    assert_eq!(seen.identity_number.as_deref(), Some(&digits[..]));
    let r = seen.restricted.expect("Kim sees the restricted group");
    assert_eq!(r.health_notes.as_deref(), Some("Diabetes; behöver pauser"));
    assert_eq!(r.support_needs.as_deref(), Some("Tolk på somaliska"));

    // Exact-match search by the number, in any usual spelling, finds her.
    for typed in [number.clone(), digits.clone(), digits[2..].to_string()] {
        let found = h
            .all_participant_ids(
                &ctx,
                &Filter {
                    name: Some(typed.clone()),
                    ..Filter::default()
                },
            )
            .await;
        assert_eq!(found, vec![id], "searching {typed}");
    }
    // The number is still unique within the partnership.
    let again = h.input("Annan", "Person", &number, kim.user.organisation_id);
    assert_invalid(
        h.app.submit_registration(&ctx, &again).await,
        "identity_number",
        "error-pin-taken",
    );

    // A rectification keeps the old profile, sealed too, and readable in
    // the subject access export.
    let (input, version) = h.app.participant_input(&ctx, id).await.expect("form");
    let edited = ParticipantInput {
        health_notes: "Inga".into(),
        ..input
    };
    h.app
        .submit_update(&ctx, id, Some(version), &edited)
        .await
        .expect("edit");
    let versions = raw_versions(&h, id).await;
    assert_eq!(versions.len(), 1);
    assert!(versions[0].starts_with("enc1:"));
    assert!(!versions[0].contains("Diabetes") && !versions[0].contains(&digits[..]));
    let export = h.app.subject_access(&ctx, id).await.expect("export");
    assert!(export.profile_versions[0].profile.contains("Diabetes"));
    assert_eq!(
        export.participant.identity_number.as_deref(),
        Some(&digits[..])
    );
}

pub(crate) async fn legacy_plaintext_is_sealed_at_start_and_another_key_is_refused(h: H) {
    h.seed().await;
    let kim = h.signed(COACH).await;
    let ctx = kim.ctx(IP);
    let number = pnr("19790707", 707);
    let digits = number.replace('-', "");
    let form = ParticipantInput {
        support_needs: "Hörselslinga".into(),
        ..h.input("Leyla", "Äldre", &number, kim.user.organisation_id)
    };
    let id = h.register(&ctx, &form).await;
    let (input, version) = h.app.participant_input(&ctx, id).await.expect("form");
    h.app
        .submit_update(&ctx, id, Some(version), &input)
        .await
        .expect("edit");
    // As a database from before sealing holds them: in clear, no hash.
    let plain_snapshot = r#"{"identity_number":"LEGACY"}"#;
    {
        let mut tx = h.app.raw_db().write().await.expect("tx");
        sqlx::query(
            "UPDATE participants SET identity_number = $1, identity_hash = NULL, support_needs = $2 WHERE id = $3",
        )
        .bind(&digits)
        .bind("Hörselslinga")
        .bind(id)
        .execute(&mut *tx)
        .await
        .expect("make legacy");
        sqlx::query("UPDATE participant_versions SET profile = $1 WHERE participant_id = $2")
            .bind(plain_snapshot)
            .bind(id)
            .execute(&mut *tx)
            .await
            .expect("legacy snapshot");
        tx.commit().await.expect("commit");
    }
    // Legacy plaintext still reads.
    let seen = h.read(&ctx, id).await.participant;
    assert_eq!(seen.identity_number.as_deref(), Some(&digits[..]));

    assert_eq!(
        h.app.seal().await.expect("seal"),
        2,
        "one participant, one snapshot"
    );
    assert_eq!(
        h.app.seal().await.expect("seal again"),
        0,
        "nothing left in clear"
    );
    let (stored_number, hash, _, support) = raw(&h, id).await;
    assert!(stored_number.is_some_and(|v| v.starts_with("enc1:")));
    assert!(support.is_some_and(|v| v.starts_with("enc1:")));
    assert!(hash.is_some());
    assert!(raw_versions(&h, id).await[0].starts_with("enc1:"));
    let seen = h.read(&ctx, id).await.participant;
    assert_eq!(seen.identity_number.as_deref(), Some(&digits[..]));
    assert_eq!(
        seen.restricted.and_then(|r| r.support_needs).as_deref(),
        Some("Hörselslinga")
    );
    let export = h.app.subject_access(&ctx, id).await.expect("export");
    assert_eq!(export.profile_versions[0].profile, plain_snapshot);
    // The hash was filled in, so the number is found again.
    let found = h
        .all_participant_ids(
            &ctx,
            &Filter {
                name: Some(number.clone()),
                ..Filter::default()
            },
        )
        .await;
    assert_eq!(found, vec![id]);

    // Starting with another key is refused before anything is written.
    let other = App::new(
        h.app.raw_db().clone(),
        h.clock.clone(),
        Config::default(),
        DataKey::from_bytes(&[8; 32]),
    );
    let refused = other.seal().await.expect_err("another key");
    assert!(refused.to_string().contains("data key"), "{refused}");
    // A value altered in the database does not open: an error, not garbage.
    execute(
        &h,
        "UPDATE participants SET support_needs = 'enc1:AAAA' || support_needs WHERE id = $1",
        id,
    )
    .await;
    assert!(h.app.participant(&ctx, id).await.is_err());
}

/// A user's stored TOTP secret and pending secret.
async fn raw_totp(h: &H, email: &str) -> (Option<String>, Option<String>) {
    let mut c = h.app.raw_db().read().await.expect("connection");
    let r = sqlx::query("SELECT totp_secret, totp_pending FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *c)
        .await
        .expect("row");
    (r.get("totp_secret"), r.get("totp_pending"))
}

/// The keys of the authenticator apps are sealed like identity numbers:
/// a copy of the database alone does not let anyone make codes. Keys
/// stored in clear before are sealed at start-up and keep working.
pub(crate) async fn second_factor_secrets_are_sealed_at_rest(h: H) {
    use palett_app::demo::DEMO_PASSWORD;
    use palett_app::totp::{code_at, SecondFactor};
    h.seed().await;
    // The key's fingerprint is recorded at the first start, so a lost key
    // file is noticed instead of replaced.
    {
        let mut c = h.app.raw_db().read().await.expect("connection");
        assert!(palett_store::sealing::key_recorded(&mut c)
            .await
            .expect("fingerprint"));
    }
    let kim = h.ctx(COACH).await;
    let SecondFactor::Setup { secret, .. } = h.app.second_factor(&kim).await.expect("setup") else {
        panic!("not set up yet")
    };
    let (_, pending) = raw_totp(&h, COACH).await;
    let pending = pending.expect("a pending secret");
    assert!(pending.starts_with("enc1:") && !pending.contains(&secret));
    h.app
        .enable_second_factor(
            &kim,
            DEMO_PASSWORD,
            &code_at(&secret, h.app.now()).expect("code"),
        )
        .await
        .expect("on");
    let (stored, pending) = raw_totp(&h, COACH).await;
    let stored = stored.expect("a secret");
    assert!(stored.starts_with("enc1:") && !stored.contains(&secret));
    assert_eq!(pending, None);
    h.advance_secs(30);
    h.app
        .sign_in_with_code(
            COACH,
            DEMO_PASSWORD,
            &code_at(&secret, h.app.now()).expect("code"),
            IP,
        )
        .await
        .expect("the sealed secret checks codes");
    // Moved to the other column, a sealed secret does not open.
    {
        let mut tx = h.app.raw_db().write().await.expect("tx");
        sqlx::query(
            "UPDATE users SET totp_pending = totp_secret, totp_secret = NULL WHERE email = $1",
        )
        .bind(COACH)
        .execute(&mut *tx)
        .await
        .expect("move");
        tx.commit().await.expect("commit");
    }
    assert!(h.app.second_factor(&kim).await.is_err());

    // A database from before: a key in clear is sealed at start-up.
    let legacy = palett_app::totp::base32(b"12345678901234567890");
    {
        let mut tx = h.app.raw_db().write().await.expect("tx");
        sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = NULL WHERE email = $2")
            .bind(&legacy)
            .bind(AF)
            .execute(&mut *tx)
            .await
            .expect("legacy secret");
        sqlx::query("UPDATE users SET totp_pending = NULL WHERE email = $1")
            .bind(COACH)
            .execute(&mut *tx)
            .await
            .expect("clear");
        tx.commit().await.expect("commit");
    }
    assert_eq!(h.app.seal().await.expect("seal"), 1, "one user's key");
    assert_eq!(h.app.seal().await.expect("seal again"), 0);
    let stored = raw_totp(&h, AF).await.0.expect("a secret");
    assert!(stored.starts_with("enc1:") && !stored.contains(&legacy));
    h.advance_secs(30);
    h.app
        .sign_in_with_code(
            AF,
            DEMO_PASSWORD,
            &code_at(&legacy, h.app.now()).expect("code"),
            IP,
        )
        .await
        .expect("the legacy key, now sealed, still checks codes");
}
