use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

/// Pull the value of the first `name="X" value="..."` pair for a hidden field.
fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..].split('"').next()?.to_string())
}

fn login_cookie(r: &Resp) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("palett_session=")
                .map(|v| v.split(';').next().unwrap_or("").to_string())
        })
        .filter(|v| !v.is_empty())
}

#[tokio::test]
async fn sign_in_with_the_form_then_see_the_start_page_figures() {
    let t = TestApp::new().await;
    // Unauthenticated pages send you to sign in.
    let r = t.get("/participants", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/login?next=/participants");

    let form = t.get("/login", None).await;
    assert_eq!(form.status, StatusCode::OK);
    let pre = hidden(&form.body, "_csrf").expect("csrf field");
    let pre_cookie = form
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("palett_pre="))
        .expect("pre cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();

    let post = |body: String, cookie: String| {
        Request::post("/login")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request")
    };
    // Without the double-submit token the form is refused.
    let r = t
        .send(post(
            format!("email={COORDINATOR}&password={PASSWORD}"),
            pre_cookie.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A wrong password re-renders the form with a message and the e-mail kept.
    let r = t
        .send(post(
            format!("_csrf={pre}&email={COORDINATOR}&password=wrong-password"),
            pre_cookie.clone(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Fel e-postadress eller lösenord"));
    assert!(r.body.contains(COORDINATOR));
    // The right password signs in with an HttpOnly, SameSite session cookie.
    let r = t
        .send(post(
            format!("_csrf={pre}&email={COORDINATOR}&password={PASSWORD}&next=/"),
            pre_cookie,
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("palett_session="))
        .expect("session cookie")
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let cookie = login_cookie(&r).expect("cookie");

    let req = Request::get("/")
        .header(header::COOKIE, format!("palett_session={cookie}"))
        .body(Body::empty())
        .expect("request");
    let start = t.send(req).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("Tillväxt Kvinna"));
    assert!(start.body.contains("267"));
    assert!(start.body.contains("74\u{a0}%"), "enrolled of target");
    assert!(start.body.contains("17\u{a0}%"), "share to job or studies");
    assert!(start.body.contains("≥ 20\u{a0}%"), "the goal");
    assert!(start.body.contains("under målet"));
}

#[tokio::test]
async fn login_is_throttled_per_account() {
    let t = TestApp::new().await;
    for _ in 0..5 {
        assert!(matches!(
            t.app
                .sign_in(COORDINATOR, "nope-nope-nope", "10.0.0.1")
                .await,
            Err(palett_app::AppError::Unauthenticated)
        ));
    }
    assert!(matches!(
        t.app.sign_in(COORDINATOR, PASSWORD, "10.0.0.2").await,
        Err(palett_app::AppError::Throttled { .. })
    ));
    t.clock.advance(jiff::SignedDuration::from_mins(16));
    assert!(t
        .app
        .sign_in(COORDINATOR, PASSWORD, "10.0.0.2")
        .await
        .is_ok());
}

#[tokio::test]
async fn intake_form_errors_keep_the_input_and_name_each_field() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let form = t.page(&b, "/participants/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"f-given_name\""));
    let r = t
        .post_invalid(
            &b,
            "/participants/new",
            &[
                ("given_name", ""),
                ("family_name", "Jama<script>"),
                ("identity_kind", "personnummer"),
                ("identity_number", "19121212-1213"),
                ("gender", "woman"),
                ("referral_source", "self"),
                ("responsible_organisation_id", "2"),
                ("intake_date", "2026-11-20"),
            ],
        )
        .await;
    assert!(r.body.contains("error-summary"));
    assert!(
        r.body.contains("Fältet måste fyllas i."),
        "given name required"
    );
    assert!(
        r.body.contains("Kontrollsiffran stämmer inte"),
        "personnummer check digit"
    );
    assert!(
        r.body.contains("value=\"Jama&#60;script&#62;\"")
            || r.body.contains("value=\"Jama&lt;script&gt;\""),
        "family name kept and escaped"
    );
    assert!(r.body.contains("value=\"19121212-1213\""), "number kept");
    assert!(r.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_ten_megabyte_form_field_gets_a_field_message() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let huge = "a".repeat(10 * 1024 * 1024);
    let r = t
        .post_invalid(
            &b,
            "/participants/new",
            &[
                ("given_name", huge.as_str()),
                ("family_name", "Testsson"),
                ("identity_kind", "birth_date"),
                ("birth_date", "1980-01-01"),
                ("gender", "woman"),
                ("referral_source", "self"),
            ],
        )
        .await;
    assert!(r.body.contains("Texten är för lång."));
}

#[tokio::test]
async fn the_whole_intake_through_the_forms() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let org = hidden(&t.page(&b, "/participants/new").await.body, "never").map(|_| ());
    assert!(org.is_none());
    let me = t
        .app
        .session(&b.cookie)
        .await
        .expect("ok")
        .expect("session");
    let org_id = me.user.organisation_id.to_string();
    let location = t
        .post_redirect(
            &b,
            "/participants/new",
            &[
                ("given_name", "Nasra"),
                ("family_name", "Formsson"),
                ("identity_kind", "personnummer"),
                ("identity_number", "19121212-1212"),
                ("gender", "woman"),
                ("referral_source", "municipality"),
                ("responsible_organisation_id", org_id.as_str()),
                ("referred_on", "2026-11-01"),
                ("intake_date", "2026-11-02"),
                ("interpreter_needed", "true"),
                ("languages", "somaliska"),
            ],
        )
        .await;
    assert!(!location.contains("1212"), "no identity number in URLs");
    let page = t.page(&b, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Nasra Formsson</h1>"));
    assert!(page.body.contains("Inskriven"));
    assert!(page.body.contains("19121212-1212"));
    let list = t.post_form(&b, "/participants", &[("q", "formsson")]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!("href=\"{location}\"")));
    assert!(list.body.contains("1 deltagare"));
    // The same search box finds her by her personal identity number (an
    // exact match through its keyed hash; the number is stored sealed).
    let list = t
        .post_form(&b, "/participants", &[("q", "191212121212")])
        .await;
    assert!(list.body.contains(&format!("href=\"{location}\"")));
    assert!(list.body.contains("1 deltagare"));

    // Exit before intake through the exit form: a field message, not a 500.
    // Ending her participation is a serious action: its form says what it
    // means and posts a confirmation; without one, the form again with
    // what was entered, and she is not ended.
    let exit_path = format!("{location}/status/exit");
    let form = t.page(&b, &exit_path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Bara en samordnare kan öppna det igen."));
    let ask = t
        .asks_first(
            &b,
            &exit_path,
            &[("exit_date", "2026-11-20"), ("exit_outcome", "studies")],
            "räknas som ett avslut i projektets mått",
        )
        .await;
    assert!(
        ask.body.contains("value=\"2026-11-20\""),
        "what she entered is kept"
    );
    assert!(!t.page(&b, &location).await.body.contains("Avslutad"));
    let r = t
        .post_invalid(
            &b,
            &exit_path,
            &[
                ("exit_date", "2026-10-01"),
                ("exit_outcome", "studies"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert!(r
        .body
        .contains("Avslutsdatumet kan inte vara före inskrivningsdatumet."));
    let to = t
        .confirmed(
            &b,
            &exit_path,
            &[("exit_date", "2026-11-20"), ("exit_outcome", "studies")],
        )
        .await;
    assert_eq!(to, format!("{location}?done=exit"));
    let page = t.page(&b, &to).await;
    assert!(page.body.contains("Avslutad") && page.body.contains("Studier"));
    assert!(page.body.contains("Sparat. Deltagandet är avslutat."));
}

#[tokio::test]
async fn unsafe_requests_need_the_csrf_token() {
    let t = TestApp::new().await;
    let b = t.browser(KOMMUN_CASEWORKER).await;
    let r = t
        .post_raw(&b, "/participants/new", "given_name=X&family_name=Y")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_raw(&b, "/participants/new", "_csrf=wrong&given_name=X")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A JSON call with the session cookie needs the header.
    let req = Request::post("/api/v1/participants")
        .header(header::COOKIE, format!("palett_session={}", b.cookie))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    // Wrong content type on a form route.
    let req = Request::post("/participants/new")
        .header(header::COOKIE, format!("palett_session={}", b.cookie))
        .header("x-csrf-token", b.csrf.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(t.send(req).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Signing out ends the session.
    t.post_redirect(&b, "/logout", &[]).await;
    assert_eq!(t.page_status(&b, "/").await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn roles_shape_what_pages_allow() {
    let t = TestApp::new().await;
    let caseworker = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page_status(&caseworker, "/audit").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.page_status(&caseworker, "/admin/users").await,
        StatusCode::FORBIDDEN
    );
    let evaluator = t.browser(EVALUATOR).await;
    // Evaluators see no identities: the list is refused as such.
    let list = t.page(&evaluator, "/participants").await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);
    assert!(list.body.contains("Ingen behörighet"), "{}", list.body);
    assert_eq!(t.page_status(&evaluator, "/").await, StatusCode::OK);
    let admin = t.browser(ADMIN).await;
    let users = t.page(&admin, "/admin/users").await;
    assert_eq!(users.status, StatusCode::OK);
    assert!(users.body.contains("Sara Samordnare"));
    // An administrator creates a user; a duplicate e-mail is a field error.
    let org = t
        .app
        .session(&admin.cookie)
        .await
        .expect("ok")
        .expect("s")
        .user
        .organisation_id
        .to_string();
    let fields = [
        ("display_name", "Nina Ny"),
        ("email", "nina@helamanniskan.example"),
        ("password", "a-long-password-1"),
        ("organisation_id", org.as_str()),
        ("roles", "caseworker"),
    ];
    t.post_redirect(&admin, "/admin/users/new", &fields).await;
    let r = t.post_invalid(&admin, "/admin/users/new", &fields).await;
    assert!(r
        .body
        .contains("Det finns redan en användare med den e-postadressen."));
    // A caseworker reads participant data: the role waits for a second
    // administrator, and without a role she cannot sign in yet.
    assert!(matches!(
        t.app
            .sign_in(
                "nina@helamanniskan.example",
                "a-long-password-1",
                "127.0.0.1"
            )
            .await,
        Err(palett_app::AppError::Unauthenticated)
    ));
    let users = t.page(&admin, "/admin/users").await;
    assert!(users.body.contains("Roller som väntar på godkännande"));
    assert!(users.body.contains("En annan administratör godkänner"));
    let signed = t.app.session(&admin.cookie).await.expect("ok").expect("s");
    let request = t
        .app
        .pending_role_requests(&signed.ctx("127.0.0.1"))
        .await
        .expect("pending")[0]
        .id;
    let approve = format!("/admin/role-requests/{request}/approve");
    let r = t.post_form(&admin, &approve, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not her own");
    assert!(r.body.contains("En annan administratör måste godkänna"));
    t.app
        .create_user_cli(
            "bo.admin@helamanniskan.example",
            "Bo Admin",
            "andra-administratorn-på-kontoret",
            signed.user.organisation_id,
            signed.actor.partnership_id,
            &[palett_domain::policy::Role::Administrator],
        )
        .await
        .expect("second administrator");
    let s2 = t
        .app
        .sign_in(
            "bo.admin@helamanniskan.example",
            "andra-administratorn-på-kontoret",
            "127.0.0.1",
        )
        .await
        .expect("sign in");
    let second = Browser {
        cookie: s2.cookie_value,
        csrf: s2.csrf_token,
    };
    // The operator chose his password: he chooses his own first.
    t.post_redirect(
        &second,
        "/account/password",
        &[
            ("password", "andra-administratorn-på-kontoret"),
            ("new_password", "bos-egna-lösenord-2026"),
            ("new_password_again", "bos-egna-lösenord-2026"),
        ],
    )
    .await;
    let users = t.page(&second, "/admin/users").await;
    assert!(users.body.contains(&approve), "the approve button");
    t.post_redirect(&second, &approve, &[]).await;
    assert!(t
        .app
        .sign_in(
            "nina@helamanniskan.example",
            "a-long-password-1",
            "127.0.0.1"
        )
        .await
        .is_ok());
    let review = t.page(&admin, "/audit/review").await;
    assert!(review.body.contains("Nina Ny") && review.body.contains("Bo Admin"));
}

#[tokio::test]
async fn unknown_pages_and_ids_are_404_pages() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    for path in [
        "/participants/999999",
        "/participants/abc",
        "/participants/1/status/fly",
        "/no-such-page",
    ] {
        let r = t.page(&b, path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("Hittades inte"), "{path}");
    }
}

#[tokio::test]
async fn partners_join_and_leave_with_their_history_kept() {
    let t = TestApp::new().await;
    let admin = t.browser(ADMIN).await;
    // A new organisation, not yet a partner.
    let r = t
        .post_form(
            &admin,
            "/admin/organisations/new",
            &[
                ("name", "Företaget AB"),
                ("kind", "employer"),
                ("org_number", "556000-0002"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad check digit"
    );
    assert!(r.body.contains("Organisationsnumret är inte giltigt"));
    t.post_redirect(
        &admin,
        "/admin/organisations/new",
        &[
            ("name", "Företaget AB"),
            ("kind", "employer"),
            ("org_number", "212000-0142"),
        ],
    )
    .await;
    let session = t
        .app
        .session(&admin.cookie)
        .await
        .expect("ok")
        .expect("session");
    let ctx = session.ctx("127.0.0.1");
    let org = t
        .app
        .organisations(&ctx)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.name == "Företaget AB")
        .expect("created");
    let org_id = org.id.to_string();
    let join = [
        ("organisation_id", org_id.as_str()),
        ("joined_on", "2020-01-01"),
        ("responsibility_areas", "Praktikplatser\nStudiebesök"),
    ];
    t.post_redirect(&admin, "/admin/memberships/new", &join)
        .await;
    let r = t
        .post_invalid(&admin, "/admin/memberships/new", &join)
        .await;
    assert!(r.body.contains("redan part"));
    let m = t
        .app
        .memberships(&ctx)
        .await
        .expect("memberships")
        .into_iter()
        .find(|m| m.organisation_id == org.id)
        .expect("member");
    assert_eq!(
        m.responsibility_areas,
        vec!["Praktikplatser", "Studiebesök"]
    );
    let end = format!("/admin/memberships/{}/end", m.id);
    assert_eq!(t.page_status(&admin, &end).await, StatusCode::OK);
    let r = t
        .post_form(
            &admin,
            &end,
            &[("left_on", "2019-01-01"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "before joining");
    // Asked first; unconfirmed, the membership goes on.
    t.asks_first(
        &admin,
        &end,
        &[("left_on", "2021-06-30")],
        "Organisationen lämnar partnerskapet det datum du anger.",
    )
    .await;
    let still = t.app.memberships(&ctx).await.expect("m");
    assert!(still
        .iter()
        .any(|m| m.organisation_id == org.id && m.left_on.is_none()));
    let to = t
        .confirmed(&admin, &end, &[("left_on", "2021-06-30")])
        .await;
    assert_eq!(to, "/partners?done=membership-ended");
    // Joining again adds a period; the old one stays.
    let again = [
        ("organisation_id", org_id.as_str()),
        ("joined_on", "2022-01-01"),
    ];
    t.post_redirect(&admin, "/admin/memberships/new", &again)
        .await;
    let periods: Vec<_> = t
        .app
        .memberships(&ctx)
        .await
        .expect("m")
        .into_iter()
        .filter(|m| m.organisation_id == org.id)
        .map(|m| (m.joined_on.to_string(), m.left_on.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        periods,
        vec![
            ("2020-01-01".to_string(), Some("2021-06-30".to_string())),
            ("2022-01-01".to_string(), None)
        ]
    );
    let partners = t.page(&admin, "/partners").await;
    assert!(partners.body.contains("Företaget AB") && partners.body.contains("2021-06-30"));
    // Only administrators manage memberships.
    let coordinator = t.browser(COORDINATOR).await;
    assert_eq!(
        t.post_form(&coordinator, "/admin/memberships/new", &again)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_and_cannot_sign_in() {
    let t = TestApp::new().await;
    let [admin, coach] = t.browsers([ADMIN, KOMMUN_CASEWORKER]).await;
    let coach_id = t
        .app
        .session(&coach.cookie)
        .await
        .expect("ok")
        .expect("s")
        .user
        .id;
    let deactivate = format!("/admin/users/{coach_id}/deactivate");
    // Asked first, naming her; unconfirmed, she stays signed in.
    let ask = t
        .asks_first(&admin, &deactivate, &[], "kan inte längre logga in")
        .await;
    assert!(
        ask.body.contains("Kim Coach (Botkyrka kommun)"),
        "{}",
        ask.body
    );
    assert_eq!(t.page_status(&coach, "/").await, StatusCode::OK);
    let to = t.confirmed(&admin, &deactivate, &[]).await;
    assert_eq!(to, "/admin/users?done=user-deactivated");
    assert!(t
        .page(&admin, &to)
        .await
        .body
        .contains("Användaren är inaktiverad."));
    assert_eq!(
        t.page_status(&coach, "/").await,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    assert!(t
        .app
        .sign_in(KOMMUN_CASEWORKER, PASSWORD, "127.0.0.1")
        .await
        .is_err());
    let users = t.page(&admin, "/admin/users").await;
    assert!(users.body.contains("Inaktiverad"));
    // Not herself.
    let admin_id = t
        .app
        .session(&admin.cookie)
        .await
        .expect("ok")
        .expect("s")
        .user
        .id;
    assert_eq!(
        t.post_form(
            &admin,
            &format!("/admin/users/{admin_id}/deactivate"),
            &[("confirm", "yes")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn redirects_stay_on_this_site_and_cookies_are_secure_behind_tls() {
    let t = TestApp::new().await;
    for back in [
        "/%09/evil.example/x",
        "//evil.example",
        "/\\evil.example",
        "/%0d%0aSet-Cookie:x=y",
        "https://evil.example",
    ] {
        let r = t.get(&format!("/lang/en?back={back}"), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(r.headers[header::LOCATION], "/", "{back}");
    }
    let r = t.get("/lang/en?back=/participants/12", None).await;
    assert_eq!(r.headers[header::LOCATION], "/participants/12");
    // Behind a TLS-terminating proxy the session cookie is Secure (and so
    // has the __Host- prefix).
    let form = t.get("/login", None).await;
    let pre = hidden(&form.body, "_csrf").expect("csrf");
    let req = Request::post("/login")
        .header(header::COOKIE, format!("palett_pre={pre}"))
        .header("x-forwarded-proto", "https")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "_csrf={pre}&email={COORDINATOR}&password={PASSWORD}&next=/%09/evil.example"
        )))
        .expect("request");
    let r = t.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-palett_session="))
        .expect("a __Host- session cookie")
        .to_string();
    assert!(set.contains("Secure"), "{set}");
}

#[tokio::test]
async fn control_characters_get_a_field_message_not_a_500() {
    let t = TestApp::new().await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let r = t
        .post_json(
            "/api/v1/participants",
            &token,
            r#"{"given_name": "A\u0000B"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_fields().contains(&"given_name".to_string()));
    let r = t
        .post_json(
            "/api/v1/participants/search",
            &token,
            r#"{"q": "a\u0000b"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(matches!(
        t.app
            .sign_in("x\u{0}@y.example", "whatever-password", "127.0.0.1")
            .await,
        Err(palett_app::AppError::Unauthenticated)
    ));
    let r = t
        .post_json(
            "/api/v1/participants",
            &token,
            r#"{"identity_kind": "personnummer", "identity_number": "1-"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_log_review_page_signs_a_sample() {
    let t = TestApp::new().await;
    let coach = t.browser(KOMMUN_CASEWORKER).await;
    for path in ["/participants", "/"] {
        t.page(&coach, path).await;
    }
    let list = t.page(&coach, "/participants").await;
    for id in list
        .body
        .split("href=\"/participants/")
        .skip(2)
        .take(5)
        .filter_map(|s| s.split('"').next())
    {
        t.page(&coach, &format!("/participants/{id}")).await;
    }
    // An emergency access to someone outside the coordinator's scope.
    let kim = t.token(KOMMUN_CASEWORKER).await;
    let org = t.org_of(&kim).await;
    let hidden_one = t.register(&kim, &new_participant(org, "Nödläge")).await;
    let b = t.browser(COORDINATOR).await;
    let glass = t
        .post_form(
            &b,
            "/emergency",
            &[
                ("participant_id", hidden_one.to_string().as_str()),
                ("reason", "Akut oro för hennes säkerhet"),
            ],
        )
        .await;
    assert_eq!(glass.status, StatusCode::SEE_OTHER, "{}", glass.body);
    let page = t.page(&b, "/audit/review").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Slumpvis urval"));
    assert!(
        page.body.contains("Akut oro för hennes säkerhet"),
        "the emergency access is in the review with its reason"
    );
    let samples: Vec<String> = page
        .body
        .split("name=\"sample\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    assert!(!samples.is_empty(), "reads to sample");
    let from = hidden(&page.body, "from").expect("from");
    let to = hidden(&page.body, "to").expect("to");
    let mut fields: Vec<(&str, &str)> = vec![
        ("from", from.as_str()),
        ("to", to.as_str()),
        ("note", "Granskat, inga avvikelser."),
    ];
    fields.extend(samples.iter().map(|s| ("sample", s.as_str())));
    t.post_redirect(&b, "/audit/review", &fields).await;
    let after = t.page(&b, "/audit/review").await;
    assert!(after.body.contains("Granskat, inga avvikelser."));
    assert_eq!(
        t.page_status(&coach, "/audit/review").await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_administrator_sets_retention_and_runs_it() {
    let t = TestApp::new().await;
    let admin = t.browser(ADMIN).await;
    let page = t.page(&admin, "/admin/retention").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ingen gallringsregel"));
    assert_eq!(
        t.post_form(&admin, "/admin/retention", &[("years_after_exit", "0")])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    t.post_redirect(&admin, "/admin/retention", &[("years_after_exit", "3")])
        .await;
    let page = t.page(&admin, "/admin/retention").await;
    assert!(
        page.body
            .contains("267 deltagare avslutade senast 2023-11-25"),
        "{}",
        page.body
    );
    let coordinator = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&coordinator).await;
    let before = t
        .get(
            &format!("/api/v1/projects/{tk}/summary"),
            Some(&coordinator),
        )
        .await
        .body;
    // Asked first, saying what is erased; unconfirmed, nothing is.
    t.asks_first(
        &admin,
        "/admin/retention/run",
        &[],
        "Personuppgifterna om 267 deltagare som avslutades senast 2023-11-25 tas bort nu",
    )
    .await;
    assert!(t
        .page(&admin, "/admin/retention")
        .await
        .body
        .contains("267 deltagare avslutade senast 2023-11-25"));
    let to = t.confirmed(&admin, "/admin/retention/run", &[]).await;
    assert!(t
        .page(&admin, &to)
        .await
        .body
        .contains("Gallringen är körd."));
    assert!(t
        .page(&admin, "/admin/retention")
        .await
        .body
        .contains("0 deltagare"));
    assert_eq!(
        t.get(
            &format!("/api/v1/projects/{tk}/summary"),
            Some(&coordinator)
        )
        .await
        .body,
        before,
        "the figures stay"
    );
    let coach = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.post_form(&coach, "/admin/retention/run", &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn two_step_verification_from_set_up_to_sign_in_and_requirement() {
    let t = TestApp::new().await;
    let kim = t.browser(KOMMUN_CASEWORKER).await;
    let page = t.page(&kim, "/account/second-factor").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tvåstegsverifiering"));
    // A QR code to scan, with the key in text beside it.
    assert!(page.body.contains("<img src=\"data:image/svg+xml,%3C"));
    assert!(page
        .body
        .contains("alt=\"QR-kod för att lägga till palett i autentiseringsappen\""));
    let secret: String = page
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the key is shown")
        .split_whitespace()
        .collect();
    // A wrong code re-renders the page with the message at the field.
    let now = t.app.now();
    let right = palett_app::totp::code_at(&secret, now).expect("code");
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    // Her password is asked again: a session left open is not enough.
    let r = t
        .post_invalid(
            &kim,
            "/account/second-factor",
            &[
                ("action", "enable"),
                ("password", "fel-lösenord"),
                ("code", right.as_str()),
            ],
        )
        .await;
    assert!(r.body.contains("Lösenordet stämmer inte."));
    assert!(r.body.contains("autocomplete=\"current-password\""));
    let r = t
        .post_invalid(
            &kim,
            "/account/second-factor",
            &[
                ("action", "enable"),
                ("password", PASSWORD),
                ("code", wrong),
            ],
        )
        .await;
    assert!(r.body.contains("Koden stämmer inte") && r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains(&secret[..4]), "the same key is shown again");
    t.post_redirect(
        &kim,
        "/account/second-factor",
        &[
            ("action", "enable"),
            ("password", PASSWORD),
            ("code", right.as_str()),
        ],
    )
    .await;
    assert!(t
        .page(&kim, "/account/second-factor")
        .await
        .body
        .contains("påslagen"));

    // The sign-in form asks for the code.
    let form = t.get("/login", None).await;
    assert!(form.body.contains("autocomplete=\"one-time-code\""));
    let pre = hidden(&form.body, "_csrf").expect("csrf");
    let sign_in = |code: String| {
        Request::post("/login")
            .header(header::COOKIE, format!("palett_pre={pre}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={pre}&email={KOMMUN_CASEWORKER}&password={PASSWORD}&code={code}&next=/"
            )))
            .expect("request")
    };
    let r = t.send(sign_in(String::new())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("sexsiffriga koden"));
    assert!(r.body.contains(KOMMUN_CASEWORKER), "the e-mail is kept");
    t.clock.advance(jiff::SignedDuration::from_secs(30));
    let code = palett_app::totp::code_at(&secret, t.app.now()).expect("code");
    let r = t.send(sign_in(code)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/");

    // An administrator requires it: staff without it are held at the set-up
    // page, in the browser and through the API.
    let admin = t.browser(ADMIN).await;
    t.post_redirect(
        &admin,
        "/account/second-factor",
        &[("action", "require"), ("required", "true")],
    )
    .await;
    let ali = t.browser(AF_CASEWORKER).await;
    let r = t.page(&ali, "/participants").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/account/second-factor");
    let held = t.page(&ali, "/account/second-factor").await;
    assert_eq!(held.status, StatusCode::OK);
    assert!(held.body.contains("kräver tvåstegsverifiering"));
    let token = t.token(AF_CASEWORKER).await;
    let r = t.get("/api/v1/participants", Some(&token)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "second-factor-required");
    let evaluator = t.browser(EVALUATOR).await;
    assert_eq!(t.page_status(&evaluator, "/reports").await, StatusCode::OK);
    let coordinator = t.browser(COORDINATOR).await;
    assert_eq!(
        t.post_form(
            &coordinator,
            "/account/second-factor",
            &[("action", "require"), ("required", "false")],
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The administrator, held too, lifts the requirement (the one page open
    // to her); then, for a lost phone, resets Kim's from the user list.
    assert_eq!(
        t.page(&admin, "/admin/users").await.headers[header::LOCATION],
        "/account/second-factor"
    );
    t.post_redirect(
        &admin,
        "/account/second-factor",
        &[("action", "require"), ("required", "false")],
    )
    .await;
    let users = t.page(&admin, "/admin/users").await.body;
    let reset = users
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/second-factor/reset"))
        .expect("a reset button for the one user who has it")
        .to_string();
    // Asked first; unconfirmed, she still has her second step.
    t.asks_first(
        &admin,
        &reset,
        &[],
        "tas bort. Hen ställer in ett nytt vid nästa inloggning.",
    )
    .await;
    assert!(t.page(&admin, "/admin/users").await.body.contains(&reset));
    t.confirmed(&admin, &reset, &[]).await;
    t.clock.advance(jiff::SignedDuration::from_secs(3_600));
    let r = t.send(sign_in(String::new())).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the password alone again");
}

/// Templates escape everything they show; the one exception is a chart's
/// SVG, which palett builds itself from escaped text (the charts' own test
/// proves it). A page that needs a form or a message above its tables uses
/// typed blocks (`views::Block`), never HTML built in a handler.
#[test]
fn no_template_shows_unescaped_html_but_the_charts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut found = Vec::new();
    // The templates and those of the folders below (the portal's).
    let mut paths = Vec::new();
    let mut folders = vec![dir];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the templates") {
            let path = entry.expect("a template").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("a template's text");
        for (n, line) in text.lines().enumerate() {
            if line.contains("|safe") {
                let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert_eq!(
        found,
        vec!["dashboard.html:31: {{ ch.svg|safe }}".to_string()]
    );
}
