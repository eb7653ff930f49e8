//! Sign-in behind a proxy, throttling as the browser sees it, cookies and
//! transport headers.

use crate::support::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use palett_web::proxy::TrustedProxies;
use palett_web::AppState;
use std::net::SocketAddr;

/// The pre-session value the sign-in form must echo.
async fn pre_session(t: &TestApp) -> String {
    let form = t.get("/login", None).await;
    form.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("palett_pre="))
        .and_then(|c| c.split(';').next())
        .expect("pre cookie")
        .to_string()
}

/// POST the sign-in form over a connection from `peer`, with an
/// X-Forwarded-For header when given.
fn login(pre: &str, email: &str, password: &str, peer: &str, xff: Option<&str>) -> Request<Body> {
    let mut b = Request::post("/login")
        .header(header::COOKIE, format!("palett_pre={pre}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(x) = xff {
        b = b.header("x-forwarded-for", x);
    }
    let body =
        serde_urlencoded::to_string([("_csrf", pre), ("email", email), ("password", password)])
            .expect("encode");
    let mut req = b.body(Body::from(body)).expect("request");
    let addr: SocketAddr = format!("{peer}:40000").parse().expect("address");
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

fn behind_proxy(t: &TestApp) -> AppState {
    AppState {
        trusted_proxies: TrustedProxies::parse("10.0.0.1").expect("list"),
        ..AppState::new(t.app.clone())
    }
}

/// Behind the TLS proxy the README asks for, one client's failures do not
/// lock out everyone else: the client address comes from X-Forwarded-For,
/// believed only from the trusted proxy.
#[tokio::test]
async fn throttling_sees_the_client_behind_a_trusted_proxy() {
    let t = TestApp::new().await;
    let pre = pre_session(&t).await;
    let state = behind_proxy(&t);
    // Thirty failures from one client through the proxy (ever new e-mail
    // addresses, so no account delay comes first).
    for n in 0..30 {
        let r = t
            .send_with(
                state.clone(),
                login(
                    &pre,
                    &format!("gissning{n}@example.org"),
                    "fel-lösenord",
                    "10.0.0.1",
                    Some("198.51.100.7"),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // That client is refused now, even with a right password …
    let r = t
        .send_with(
            state.clone(),
            login(
                &pre,
                COORDINATOR,
                PASSWORD,
                "10.0.0.1",
                Some("198.51.100.7"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // … also when it writes another address in front of the proxy's entry.
    let r = t
        .send_with(
            state.clone(),
            login(
                &pre,
                COORDINATOR,
                PASSWORD,
                "10.0.0.1",
                Some("203.0.113.1, 198.51.100.7"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Her colleague behind the same proxy signs in.
    let r = t
        .send_with(
            state.clone(),
            login(&pre, COORDINATOR, PASSWORD, "10.0.0.1", Some("203.0.113.5")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Straight to the server, the header is not believed: the attacker
    // cannot pick a fresh address for each try.
    for n in 0..30 {
        let r = t
            .send_with(
                state.clone(),
                login(
                    &pre,
                    &format!("direkt{n}@example.org"),
                    "fel-lösenord",
                    "198.51.100.99",
                    Some(&format!("192.0.2.{n}")),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t
        .send_with(
            state,
            login(
                &pre,
                COORDINATOR,
                PASSWORD,
                "198.51.100.99",
                Some("192.0.2.200"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// During an account's delay the right password is refused too, with the
/// time left in the message and in Retry-After.
#[tokio::test]
async fn a_throttled_sign_in_says_how_long_to_wait() {
    let t = TestApp::new().await;
    let pre = pre_session(&t).await;
    for _ in 0..5 {
        let r = t
            .send(login(&pre, COORDINATOR, "fel-lösenord", "192.0.2.1", None))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    t.clock.advance(jiff::SignedDuration::from_secs(3));
    let r = t
        .send(login(&pre, COORDINATOR, PASSWORD, "192.0.2.1", None))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Försök igen om 7 sekunder"), "{}", r.body);
    assert_eq!(r.headers[header::RETRY_AFTER], "7");
    t.clock.advance(jiff::SignedDuration::from_secs(7));
    let r = t
        .send(login(&pre, COORDINATOR, PASSWORD, "192.0.2.1", None))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// With secure cookies configured the session cookie has the __Host-
/// prefix (Secure, Path=/, no Domain), only that cookie signs in, and every
/// response tells browsers to keep to HTTPS.
#[tokio::test]
async fn secure_cookies_have_the_host_prefix_and_responses_ask_for_https() {
    let t = TestApp::new().await;
    let secure = AppState {
        secure_cookies: true,
        ..AppState::new(t.app.clone())
    };
    let pre = pre_session(&t).await;
    let r = t
        .send_with(
            secure.clone(),
            login(&pre, COORDINATOR, PASSWORD, "192.0.2.1", None),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let hsts = r.headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .expect("text");
    assert!(hsts.starts_with("max-age="), "{hsts}");
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("palett_session="))
        .expect("session cookie")
        .to_string();
    assert!(set.starts_with("__Host-palett_session="), "{set}");
    let attrs: Vec<&str> = set.split(';').map(str::trim).collect();
    assert!(
        attrs.contains(&"Secure") && attrs.contains(&"Path=/"),
        "{set}"
    );
    assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
    let value = set
        .split(';')
        .next()
        .and_then(|p| p.split_once('='))
        .map(|(_, v)| v.to_string())
        .expect("value");
    let get = |cookie: String| {
        Request::get("/")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request")
    };
    let r = t
        .send_with(
            secure.clone(),
            get(format!("__Host-palett_session={value}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    // The unprefixed name, which a sibling host could set, is not enough.
    let r = t
        .send_with(secure, get(format!("palett_session={value}")))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Over plain HTTP (development) there is no HSTS.
    let r = t.get("/login", None).await;
    assert!(!r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

/// A user whose password an administrator chose is held at the
/// change-password page (the API refuses her token) until she has chosen
/// her own; the page is in every page's header.
#[tokio::test]
async fn a_password_set_by_an_administrator_is_changed_before_anything_else() {
    let t = TestApp::new().await;
    let admin = t.app.ctx_for_email(ADMIN).await.expect("admin");
    t.app
        .create_user(
            &admin,
            palett_app::admin::UserInput {
                email: "vera.ny@helamanniskan.example".into(),
                display_name: "Vera Ny".into(),
                password: "tillfälligt-från-alva".into(),
                organisation_id: admin.actor.organisation_id.to_string(),
                roles: vec!["evaluator".into()],
            }
            .parse(),
        )
        .await
        .expect("user");
    let s = t
        .app
        .sign_in(
            "vera.ny@helamanniskan.example",
            "tillfälligt-från-alva",
            "192.0.2.1",
        )
        .await
        .expect("sign in");
    let b = Browser {
        cookie: s.cookie_value,
        csrf: s.csrf_token,
    };
    let r = t.page(&b, "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/account/password");
    let token = t
        .app
        .create_token_for_email("vera.ny@helamanniskan.example", &token_named("skript"), &[])
        .await
        .expect("token");
    let r = t.get("/api/v1/me", Some(&token)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "password-change-required");
    let page = t.page(&b, "/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Ditt lösenord valdes av en administratör"));
    // Mismatch and a common password name their fields.
    let r = t
        .post_invalid(
            &b,
            "/account/password",
            &[
                ("password", "tillfälligt-från-alva"),
                ("new_password", "qwerty123456"),
                ("new_password_again", "qwerty123456"),
            ],
        )
        .await;
    assert!(r.body.contains("id=\"new_password-error\""), "{}", r.body);
    t.post_redirect(
        &b,
        "/account/password",
        &[
            ("password", "tillfälligt-från-alva"),
            ("new_password", "mitt-eget-lösenord-nu"),
            ("new_password_again", "mitt-eget-lösenord-nu"),
        ],
    )
    .await;
    let r = t.page(&b, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/account/password\""));
    assert_eq!(
        t.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );
}

/// The attributes of the cookie `name` a response sets, sorted, with its
/// value left out (`None` if it sets none).
fn cookie_attributes(r: &Resp, name: &str) -> Option<Vec<String>> {
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))?;
    let mut attrs: Vec<String> = set
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_string())
        .collect();
    attrs.sort();
    Some(attrs)
}

/// Every cookie this site sets is for the whole host, SameSite=Lax,
/// HttpOnly (but the language, which scripts may read), and lasts as long
/// as it should: the sign-in form's an hour, the language a year, and
/// signing in or out removes what is no longer needed.
#[tokio::test]
async fn cookies_keep_their_names_lifetimes_and_flags() {
    let t = TestApp::new().await;
    let strict = |max_age: &str| {
        let mut v = vec!["HttpOnly", "Path=/", "SameSite=Lax", max_age];
        v.sort();
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let form = t.get("/login", None).await;
    assert_eq!(
        cookie_attributes(&form, "palett_pre"),
        Some(strict("Max-Age=3600"))
    );
    let pre = pre_session(&t).await;
    let r = t
        .send(login(&pre, COORDINATOR, PASSWORD, "127.0.0.1", None))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let session = cookie_attributes(&r, "palett_session").expect("session cookie");
    assert!(session.contains(&"HttpOnly".to_string()), "{session:?}");
    assert!(session.contains(&"SameSite=Lax".to_string()), "{session:?}");
    assert!(session.contains(&"Path=/".to_string()), "{session:?}");
    assert!(
        session.iter().any(|a| a
            .strip_prefix("Max-Age=")
            .is_some_and(|s| s.parse::<i64>().is_ok_and(|n| n > 0))),
        "{session:?}"
    );
    assert_eq!(
        cookie_attributes(&r, "palett_pre"),
        Some(strict("Max-Age=0")),
        "the pre-session cookie is removed once signed in"
    );

    let lang = t.get("/lang/en?back=/login", None).await;
    let mut expected = vec!["Max-Age=31536000", "Path=/", "SameSite=Lax"];
    expected.sort();
    assert_eq!(
        cookie_attributes(&lang, "palett_lang"),
        Some(expected.into_iter().map(String::from).collect())
    );

    let b = t.browser(COORDINATOR).await;
    let out = t.post_form(&b, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        cookie_attributes(&out, "palett_session"),
        Some(strict("Max-Age=0"))
    );
}
