//! Signing in, sessions and access tokens.

use crate::harness::*;
use palett_app::demo::DEMO_PASSWORD;
use palett_app::AppError;
use palett_domain::policy::Role;

pub(crate) async fn failed_sign_ins_are_throttled_for_a_window(h: H) {
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
    // Five failures: even the right password is refused now, from any address.
    assert!(matches!(
        err(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await),
        AppError::Throttled
    ));
    assert!(matches!(
        err(h.app.sign_in(COACH, DEMO_PASSWORD, "198.51.100.9").await),
        AppError::Throttled
    ));
    // Another account from the same address is not affected.
    h.signed(COORDINATOR).await;

    // Still inside the 15-minute window.
    h.advance_secs(14 * 60);
    assert!(matches!(
        err(h.app.sign_in(COACH, DEMO_PASSWORD, IP).await),
        AppError::Throttled
    ));
    // Past it.
    h.advance_secs(60 + 1);
    let session = h
        .app
        .sign_in(COACH, DEMO_PASSWORD, IP)
        .await
        .unwrap_or_else(|e| panic!("signing in after the window: {e}"));
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
        .create_token_for_email(COACH, "rapportskript")
        .await
        .expect("creating a token");
    assert!(secret.starts_with("plt_"));
    let signed = h
        .app
        .bearer(&secret)
        .await
        .expect("bearer")
        .expect("the token is valid");
    assert_eq!(signed.user.email, COACH);
    assert_eq!(signed.actor.roles, [Role::Caseworker]);
    assert_eq!(signed.csrf_token, None, "tokens need no CSRF token");
    assert!(h.app.bearer("plt_0000").await.expect("bearer").is_none());
    assert!(h
        .app
        .bearer(&format!("{secret}x"))
        .await
        .expect("bearer")
        .is_none());
    assert!(matches!(
        err(h.app.create_token_for_email("ingen@example.org", "x").await),
        AppError::NotFound
    ));

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
    assert!(matches!(
        err(h.app.revoke_token(&ali, token.id).await),
        AppError::NotFound
    ));
    assert!(h.app.bearer(&secret).await.expect("bearer").is_some());

    h.app.revoke_token(&ctx, token.id).await.expect("revoking");
    assert!(
        h.app.bearer(&secret).await.expect("bearer").is_none(),
        "revoked"
    );
    assert!(matches!(
        err(h.app.revoke_token(&ctx, token.id).await),
        AppError::NotFound
    ));
    let tokens = h.app.tokens(&ctx).await.expect("tokens");
    assert_eq!(tokens[0].revoked_at, Some(h.app.now()));
}
