//! Signing in, sessions and access tokens.

use crate::harness::*;
use palett_app::demo::DEMO_PASSWORD;
use palett_app::AppError;
use palett_domain::policy::Role;

/// How long a throttled attempt is told to wait.
#[track_caller]
fn wait_of<T>(r: Result<T, AppError>) -> i64 {
    match err(r) {
        AppError::Throttled { retry_after_secs } => retry_after_secs,
        other => panic!("expected to be throttled, got {other:?}"),
    }
}

/// Failures slow an account down with a delay that grows with each one
/// since its last success, up to five minutes: whoever knows her address
/// cannot lock her out for long, and during the delay even the right
/// password is refused with the time left.
pub(crate) async fn failed_sign_ins_slow_the_account_down_without_locking_it(h: H) {
    h.seed().await;
    for _ in 0..5 {
        let e = err(h.app.sign_in(COACH, "fel-lösenord", IP).await);
        assert!(
            matches!(e, AppError::Unauthenticated),
            "a wrong password: {e:?}"
        );
    }
    // Unknown accounts look the same as wrong passwords.
    assert!(matches!(
        err(h.app.sign_in("ingen@example.org", DEMO_PASSWORD, IP).await),
        AppError::Unauthenticated
    ));
    // Five failures: even the right password waits ten seconds, from any
    // address; the refused attempt itself adds nothing.
    assert_eq!(wait_of(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await), 10);
    h.advance_secs(4);
    assert_eq!(
        wait_of(h.app.sign_in(COACH, DEMO_PASSWORD, "198.51.100.9").await),
        6
    );
    // Another account from the same address is not affected.
    h.signed(COORDINATOR).await;
    // Not fifteen minutes: ten seconds after the last failure she is in,
    // and the success forgets the failures.
    h.advance_secs(6);
    let session = h
        .app
        .sign_in(COACH, DEMO_PASSWORD, IP)
        .await
        .unwrap_or_else(|e| panic!("signing in after the delay: {e}"));
    let signed = h
        .app
        .session(&session.cookie_value)
        .await
        .expect("session")
        .expect("alive");
    assert_eq!(signed.user.email, COACH);
    assert_eq!(signed.actor.roles, [Role::Caseworker]);
    assert_eq!(
        signed.csrf_token.as_deref(),
        Some(session.csrf_token.as_str())
    );

    // Someone guessing from ever new addresses: each further failure
    // doubles the delay, up to five minutes, never more.
    let attacker = |n: i64| format!("203.0.113.{n}");
    for n in 0..5 {
        assert!(matches!(
            err(h.app.sign_in(COACH, "gissning", &attacker(n)).await),
            AppError::Unauthenticated
        ));
    }
    let mut waits = Vec::new();
    for n in 5..12 {
        let wait = wait_of(h.app.sign_in(COACH, "gissning", &attacker(n)).await);
        waits.push(wait);
        h.advance_secs(wait);
        assert!(matches!(
            err(h.app.sign_in(COACH, "gissning", &attacker(n)).await),
            AppError::Unauthenticated
        ));
    }
    assert_eq!(waits, [10, 20, 40, 80, 160, 300, 300]);
    // The owner waits out at most that and is in.
    assert_eq!(wait_of(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await), 300);
    h.advance_secs(300);
    h.signed(COACH).await;
}

/// One client address with many failures (whatever accounts it tries) is
/// refused for the window; other addresses are not.
pub(crate) async fn one_address_with_many_failures_is_refused_for_a_window(h: H) {
    h.seed().await;
    let bot = "198.51.100.66";
    for n in 0..30 {
        assert!(matches!(
            err(h
                .app
                .sign_in(&format!("gissning{n}@example.org"), "fel-lösenord", bot)
                .await),
            AppError::Unauthenticated
        ));
        h.advance_secs(10);
    }
    // The 30th failure was 290 s after the first, 10 s ago: 600 s of the
    // first one's window are left.
    assert_eq!(
        wait_of(h.app.sign_in(COORDINATOR, DEMO_PASSWORD, bot).await),
        15 * 60 - 300
    );
    // The same account from her own address is fine.
    h.signed(COORDINATOR).await;
    h.advance_secs(15 * 60 - 300);
    h.app
        .sign_in(COORDINATOR, DEMO_PASSWORD, bot)
        .await
        .expect("the oldest failure has left the window");
}

pub(crate) async fn sessions_end_when_idle_or_old(h: H) {
    h.seed().await;
    let new = h
        .app
        .sign_in(COORDINATOR, DEMO_PASSWORD, IP)
        .await
        .unwrap_or_else(|e| panic!("signing in: {e}"));
    let alive = |cookie: String| {
        let h = &h;
        async move {
            h.app
                .session(&cookie)
                .await
                .expect("reading the session")
                .is_some()
        }
    };
    assert!(alive(new.cookie_value.clone()).await);
    assert!(!alive("not-a-session".into()).await);
    // Use within the idle timeout keeps it alive past 30 minutes in total.
    h.advance_secs(20 * 60);
    assert!(alive(new.cookie_value.clone()).await);
    h.advance_secs(20 * 60);
    assert!(
        alive(new.cookie_value.clone()).await,
        "the idle timeout slides with use"
    );
    h.advance_secs(31 * 60);
    assert!(
        !alive(new.cookie_value.clone()).await,
        "31 idle minutes end it"
    );
    h.advance_secs(-31 * 60);
    assert!(!alive(new.cookie_value.clone()).await, "and it stays ended");

    // However busy, a session ends 12 hours after sign-in.
    let new = h
        .app
        .sign_in(COORDINATOR, DEMO_PASSWORD, IP)
        .await
        .unwrap_or_else(|e| panic!("signing in: {e}"));
    let mut elapsed = 0;
    while elapsed + 25 * 60 < 12 * 3600 {
        h.advance_secs(25 * 60);
        elapsed += 25 * 60;
        assert!(
            alive(new.cookie_value.clone()).await,
            "alive after {elapsed} s"
        );
    }
    h.advance_secs(25 * 60);
    assert!(
        !alive(new.cookie_value.clone()).await,
        "ended after 12 hours"
    );

    // Signing out ends a session at once.
    let new = h
        .app
        .sign_in(COACH, DEMO_PASSWORD, IP)
        .await
        .unwrap_or_else(|e| panic!("signing in: {e}"));
    let signed = h
        .app
        .session(&new.cookie_value)
        .await
        .expect("session")
        .expect("alive");
    h.app
        .sign_out(&new.cookie_value, &signed, IP)
        .await
        .expect("signing out");
    assert!(!alive(new.cookie_value.clone()).await);
}

pub(crate) async fn bearer_tokens_work_until_revoked(h: H) {
    h.seed().await;
    let secret = h
        .app
        .create_token_for_email(COACH, &named("rapportskript"), &[])
        .await
        .expect("creating a token");
    assert!(secret.starts_with("plt_"));
    let signed = h
        .app
        .bearer(&secret)
        .await
        .expect("bearer")
        .signed()
        .expect("the token is valid");
    assert_eq!(signed.user.email, COACH);
    assert_eq!(signed.actor.roles, [Role::Caseworker]);
    assert_eq!(signed.csrf_token, None, "tokens need no CSRF token");
    assert!(h
        .app
        .bearer("plt_0000")
        .await
        .expect("bearer")
        .signed()
        .is_none());
    assert!(h
        .app
        .bearer(&format!("{secret}x"))
        .await
        .expect("bearer")
        .signed()
        .is_none());
    not_found(
        h.app
            .create_token_for_email("ingen@example.org", &named("x"), &[])
            .await,
    );

    let ctx = signed.ctx(IP);
    let tokens = h.app.tokens(&ctx).await.expect("tokens");
    assert_eq!(tokens.len(), 1);
    let token = &tokens[0];
    assert_eq!(
        (token.name.as_str(), token.revoked_at),
        ("rapportskript", None)
    );
    assert_eq!(token.last_used_at, Some(h.app.now()), "use is recorded");

    // Someone else cannot revoke it, nor see it.
    let ali = h.ctx(AF).await;
    assert!(h.app.tokens(&ali).await.expect("tokens").is_empty());
    not_found(h.app.revoke_token(&ali, token.id).await);
    assert!(h
        .app
        .bearer(&secret)
        .await
        .expect("bearer")
        .signed()
        .is_some());

    h.app.revoke_token(&ctx, token.id).await.expect("revoking");
    assert!(
        h.app
            .bearer(&secret)
            .await
            .expect("bearer")
            .signed()
            .is_none(),
        "revoked"
    );
    not_found(h.app.revoke_token(&ctx, token.id).await);
    let tokens = h.app.tokens(&ctx).await.expect("tokens");
    assert_eq!(tokens[0].revoked_at, Some(h.app.now()));
}

/// A token's request with only a name: every area, 90 days.
fn named(name: &str) -> palett_app::auth::TokenInput {
    palett_app::auth::TokenInput {
        name: name.into(),
        ..Default::default()
    }
}

/// A token ends when it was asked to (90 days unless asked otherwise, a
/// year at most), keeps the limits it was made with, and an ended token is
/// told apart from an unknown one.
pub(crate) async fn tokens_end_and_keep_their_limits(h: H) {
    use palett_app::auth::{Bearer, TokenInput};
    h.seed().await;
    let ctx = h.ctx(COACH).await;
    let known = ["projects".to_string(), "participants".to_string()];
    let ask = |days: &str, read_only: &str, areas: &[&str]| TokenInput {
        name: "skript".into(),
        read_only: read_only.into(),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        days: days.into(),
    };
    let (plain, _) = h
        .app
        .create_token(&ctx, &ask("", "", &[]), &known, None)
        .await
        .expect("a token");
    assert_eq!(plain.expires_at, h.app.now() + 90 * 86_400);
    let (row, secret) = h
        .app
        .create_token(&ctx, &ask("2", "true", &["projects"]), &known, None)
        .await
        .expect("a limited token");
    assert_eq!(row.expires_at, h.app.now() + 2 * 86_400);
    let listed = h.app.tokens(&ctx).await.expect("tokens");
    let kept = listed.iter().find(|t| t.id == row.id).expect("listed");
    assert_eq!(
        (kept.read_only, kept.areas.clone(), kept.expires_at),
        (true, vec!["projects".to_string()], row.expires_at)
    );
    match h.app.bearer(&secret).await.expect("bearer") {
        Bearer::Valid(_, limit) => {
            assert!(limit.scope.read_only);
            assert_eq!(limit.scope.areas, ["projects"]);
            // A token makes none wider than itself, nor one outliving it.
            let wider = h
                .app
                .create_token(&ctx, &ask("", "", &["projects"]), &known, Some(&limit))
                .await;
            assert!(
                matches!(&wider, Err(palett_app::AppError::Invalid(e)) if e.for_field("areas").is_some()),
                "{wider:?}"
            );
            let (narrow, _) = h
                .app
                .create_token(
                    &ctx,
                    &ask("30", "true", &["projects"]),
                    &known,
                    Some(&limit),
                )
                .await
                .expect("as narrow");
            assert_eq!(narrow.expires_at, limit.expires_at);
        }
        other => panic!("valid: {other:?}"),
    }
    for (days, areas) in [("366", &[][..]), ("0", &[][..]), ("", &["admin"][..])] {
        let refused = h
            .app
            .create_token(&ctx, &ask(days, "", areas), &known, None)
            .await;
        match refused {
            Err(palett_app::AppError::Invalid(e)) => assert!(
                e.for_field("days").is_some() || e.for_field("areas").is_some(),
                "{e:?}"
            ),
            other => panic!("refused: {other:?}"),
        }
    }
    h.advance_secs(2 * 86_400);
    assert!(matches!(
        h.app.bearer(&secret).await.expect("bearer"),
        Bearer::Expired
    ));
    assert!(matches!(
        h.app.bearer("plt_nothing").await.expect("bearer"),
        Bearer::Unknown
    ));
}

/// A code that is not valid in the window around `now`.
fn wrong_code(secret: &str, now: i64) -> String {
    let valid: Vec<String> = [-30, 0, 30]
        .iter()
        .filter_map(|d| palett_app::totp::code_at(secret, now + d))
        .collect();
    (0..)
        .map(|n: u32| format!("{:06}", (123_456 + n * 7_919) % 1_000_000))
        .find(|c| !valid.contains(c))
        .expect("a wrong code")
}

/// TOTP: set up with a key, confirmed by a code, then needed at every
/// sign-in, each code once; a partnership can require it, and then staff
/// without it can do nothing else until they set it up.
pub(crate) async fn a_second_factor_is_set_up_checked_and_required(h: H) {
    use palett_app::totp::{code_at, SecondFactor};
    h.seed().await;
    let kim = h.ctx(COACH).await;
    let SecondFactor::Setup { secret, uri } = h.app.second_factor(&kim).await.expect("setup")
    else {
        panic!("not set up yet")
    };
    assert!(uri.starts_with("otpauth://totp/palett:") && uri.contains(&secret));
    assert_eq!(secret.len(), 32, "160 random bits");
    assert_eq!(
        h.app.second_factor(&kim).await.expect("again"),
        SecondFactor::Setup {
            secret: secret.clone(),
            uri: uri.clone()
        },
        "the same key until it is confirmed"
    );
    let now = h.app.now();
    let code = code_at(&secret, now).expect("code");
    // Her password first: a wrong one is refused (and counts towards
    // throttling), even with the right code.
    assert_invalid(
        h.app
            .enable_second_factor(&kim, "inte-mitt-lösenord", &code)
            .await,
        "password",
        "error-password-wrong",
    );
    assert_eq!(
        h.app.second_factor(&kim).await.expect("state"),
        SecondFactor::Setup {
            secret: secret.clone(),
            uri: uri.clone()
        },
        "still off"
    );
    assert_invalid(
        h.app
            .enable_second_factor(&kim, DEMO_PASSWORD, &wrong_code(&secret, now))
            .await,
        "code",
        "error-second-factor-code",
    );
    h.app
        .enable_second_factor(&kim, DEMO_PASSWORD, &code)
        .await
        .expect("enable");
    assert_eq!(
        h.app.second_factor(&kim).await.expect("state"),
        SecondFactor::On
    );

    // Signing in now needs the code; the one just used does not count twice.
    assert!(matches!(
        err(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await),
        AppError::SecondFactorNeeded
    ));
    assert!(matches!(
        err(h
            .app
            .sign_in_with_code(COACH, DEMO_PASSWORD, &code, IP)
            .await),
        AppError::SecondFactorNeeded
    ));
    assert!(matches!(
        err(h
            .app
            .sign_in_with_code(COACH, "fel-lösenord", &code, IP)
            .await),
        AppError::Unauthenticated
    ));
    h.advance_secs(30);
    let next = code_at(&secret, h.app.now()).expect("code");
    let session = h
        .app
        .sign_in_with_code(
            COACH,
            DEMO_PASSWORD,
            &format!("{} {}", &next[..3], &next[3..]),
            IP,
        )
        .await
        .expect("password and a fresh code");
    let signed = h
        .app
        .session(&session.cookie_value)
        .await
        .expect("session")
        .expect("alive");
    assert!(signed.user.second_factor && !signed.must_set_up_second_factor());

    // Wrong codes count towards throttling like wrong passwords.
    h.advance_secs(30);
    let mut throttled = false;
    for _ in 0..6 {
        let wrong = wrong_code(&secret, h.app.now());
        match err(h
            .app
            .sign_in_with_code(COACH, DEMO_PASSWORD, &wrong, "192.0.2.9")
            .await)
        {
            AppError::SecondFactorNeeded => {}
            AppError::Throttled { .. } => {
                throttled = true;
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(throttled, "guessing codes is throttled");
    h.advance_secs(3_600);

    // The partnership requires it: staff without it are held at the set-up;
    // evaluators, who read no records, are not.
    let admin = h.ctx(ADMIN).await;
    let coordinator = h.ctx(COORDINATOR).await;
    forbidden(h.app.set_require_second_factor(&coordinator, true).await);
    h.app
        .set_require_second_factor(&admin, true)
        .await
        .expect("require");
    assert!(h.signed(ADMIN).await.second_factor_required);
    assert!(h.signed(AF).await.must_set_up_second_factor());
    assert!(!h.signed(EVALUATOR).await.must_set_up_second_factor());
    let now = h.app.now();
    assert_eq!(
        invalid_code(
            h.app
                .disable_second_factor(&kim, DEMO_PASSWORD, &code_at(&secret, now).expect("code"))
                .await,
            "code"
        ),
        "error-second-factor-required",
        "she cannot turn off what the partnership requires"
    );
    h.app
        .set_require_second_factor(&admin, false)
        .await
        .expect("lift");
    assert!(!h.signed(AF).await.must_set_up_second_factor());
    h.advance_secs(30);
    h.app
        .disable_second_factor(
            &kim,
            DEMO_PASSWORD,
            &code_at(&secret, h.app.now()).expect("code"),
        )
        .await
        .expect("turn off with a code");
    h.signed(COACH).await;
    // Lost phone: an administrator resets it; she signs in with her password.
    let SecondFactor::Setup { secret, .. } = h.app.second_factor(&kim).await.expect("setup") else {
        panic!("off")
    };
    h.advance_secs(30);
    h.app
        .enable_second_factor(
            &kim,
            DEMO_PASSWORD,
            &code_at(&secret, h.app.now()).expect("code"),
        )
        .await
        .expect("on again");
    assert!(matches!(
        err(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await),
        AppError::SecondFactorNeeded
    ));
    forbidden(
        h.app
            .reset_second_factor(&coordinator, kim.actor.user_id)
            .await,
    );
    not_found(h.app.reset_second_factor(&admin, 999_999).await);
    h.app
        .reset_second_factor(&admin, kim.actor.user_id)
        .await
        .expect("reset");
    h.signed(COACH).await;
    // Every change is in the audit log.
    let (log, _) = palett_app::audit::list(
        &h.app,
        &admin,
        &Default::default(),
        palett_app::participants::Page::new(None, Some(100)),
    )
    .await
    .expect("log");
    for action in [
        "user.second_factor_on",
        "user.second_factor_off",
        "partnership.second_factor_policy",
        "user.second_factor_reset",
    ] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
}

/// Two-step verification cannot be turned off without the password, and
/// wrong codes, when setting it up, signing in or turning it off, count
/// towards the same throttle as wrong passwords.
pub(crate) async fn wrong_codes_count_and_turning_off_asks_for_the_password(h: H) {
    use palett_app::totp::{code_at, SecondFactor};
    h.seed().await;
    // Setting up: five wrong codes, then even the right one waits, and so
    // does signing in with the right password.
    let ali = h.ctx(AF).await;
    let SecondFactor::Setup { secret, .. } = h.app.second_factor(&ali).await.expect("setup") else {
        panic!("not set up yet")
    };
    for _ in 0..5 {
        let wrong = wrong_code(&secret, h.app.now());
        assert_invalid(
            h.app
                .enable_second_factor(&ali, DEMO_PASSWORD, &wrong)
                .await,
            "code",
            "error-second-factor-code",
        );
    }
    let right = code_at(&secret, h.app.now()).expect("code");
    assert_eq!(
        wait_of(
            h.app
                .enable_second_factor(&ali, DEMO_PASSWORD, &right)
                .await
        ),
        10
    );
    assert_eq!(wait_of(h.app.sign_in(AF, DEMO_PASSWORD, IP).await), 10);
    h.advance_secs(10);
    let right = code_at(&secret, h.app.now()).expect("code");
    h.app
        .enable_second_factor(&ali, DEMO_PASSWORD, &right)
        .await
        .expect("on after the delay");

    // Turning off asks for the password: a session left open is not enough.
    h.advance_secs(30);
    let code = code_at(&secret, h.app.now()).expect("code");
    assert_invalid(
        h.app.disable_second_factor(&ali, "", &code).await,
        "password",
        "error-password-wrong",
    );
    assert_invalid(
        h.app
            .disable_second_factor(&ali, "fel-lösenord", &code)
            .await,
        "password",
        "error-password-wrong",
    );
    assert_eq!(
        h.app.second_factor(&ali).await.expect("state"),
        SecondFactor::On,
        "still on"
    );
    // Wrong codes when turning off count too: with the two wrong passwords,
    // three wrong codes make five, and then the right ones wait.
    for _ in 0..3 {
        let wrong = wrong_code(&secret, h.app.now());
        assert_invalid(
            h.app
                .disable_second_factor(&ali, DEMO_PASSWORD, &wrong)
                .await,
            "code",
            "error-second-factor-code",
        );
    }
    assert_eq!(
        wait_of(
            h.app
                .disable_second_factor(&ali, DEMO_PASSWORD, &code)
                .await
        ),
        10
    );
    h.advance_secs(10);
    let next = code_at(&secret, h.app.now()).expect("code");
    // Signing in with wrong codes adds to the same count (now six).
    assert!(matches!(
        err(h
            .app
            .sign_in_with_code(AF, DEMO_PASSWORD, &wrong_code(&secret, h.app.now()), IP)
            .await),
        AppError::SecondFactorNeeded
    ));
    assert_eq!(
        wait_of(h.app.sign_in_with_code(AF, DEMO_PASSWORD, &next, IP).await),
        20
    );
    h.advance_secs(20);
    h.app
        .disable_second_factor(
            &ali,
            DEMO_PASSWORD,
            &code_at(&secret, h.app.now()).expect("code"),
        )
        .await
        .expect("off with password and code");
    assert!(matches!(
        h.app.second_factor(&ali).await.expect("state"),
        SecondFactor::Setup { .. }
    ));
}
