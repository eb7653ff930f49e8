use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use palett_app::clock::TestClock;
use palett_app::App;
use palett_web::{router, AppState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = palett_app::demo::DEMO_PASSWORD;
pub const COORDINATOR: &str = "samordnare@helamanniskan.example";
pub const KOMMUN_CASEWORKER: &str = "coach@botkyrka.example";
pub const AF_CASEWORKER: &str = "handlaggare@arbetsformedlingen.example";
pub const EVALUATOR: &str = "forskare@samordningsforbund.example";
pub const ADMIN: &str = "admin@helamanniskan.example";

pub struct TestApp {
    pub app: App,
    pub clock: Arc<TestClock>,
    pub path: std::path::PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (for binary downloads).
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Where a redirect points.
    #[track_caller]
    pub fn location(&self) -> String {
        self.headers[header::LOCATION]
            .to_str()
            .expect("location")
            .to_string()
    }

    /// Assert the status and, in order, the field names of a JSON error body.
    #[track_caller]
    pub fn assert_fields(&self, status: StatusCode, fields: &[&str]) {
        assert_eq!(
            (self.status, self.error_fields()),
            (status, fields.iter().map(|f| f.to_string()).collect()),
            "{}",
            self.body
        );
    }

    /// The field names of a JSON error body.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A token's request with only a name: every area, read and change, 90
/// days.
pub fn token_named(name: &str) -> palett_app::auth::TokenInput {
    palett_app::auth::TokenInput {
        name: name.into(),
        ..Default::default()
    }
}

/// A signed-in browser: its session cookie and CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    pub async fn new() -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "palett-web-{}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let clock = Arc::new(TestClock::new(
            "2026-11-25T10:00:00Z".parse().expect("timestamp"),
        ));
        let app = App::open_with_clock(
            &format!("sqlite://{}?mode=rwc", path.display()),
            clock.clone(),
            palett_app::data_key::DataKey::generate().expect("key").0,
        )
        .await
        .expect("open app");
        assert!(app.seed_demo().await.expect("seed"));
        Self { app, clock, path }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        self.send_with(AppState::new(self.app.clone()), req).await
    }

    /// Send through a router with these settings (secure cookies, trusted
    /// proxies).
    pub async fn send_with(&self, state: AppState, req: Request<Body>) -> Resp {
        let resp = router(state).oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str, auth: Option<&str>) -> Resp {
        let mut b = Request::get(path);
        if let Some(t) = auth {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(b.body(Body::empty()).expect("request")).await
    }

    pub async fn json(&self, method: &str, path: &str, token: &str, body: &str) -> Resp {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(req).await
    }

    pub async fn token(&self, email: &str) -> String {
        self.app
            .create_token_for_email(email, &token_named("test"), &[])
            .await
            .expect("token")
    }

    /// Tokens for several users, in order.
    pub async fn tokens<const N: usize>(&self, emails: [&str; N]) -> [String; N] {
        let mut tokens = Vec::with_capacity(N);
        for email in emails {
            tokens.push(self.token(email).await);
        }
        tokens.try_into().expect("one token a user")
    }

    /// Signed-in browsers for several users, in order.
    pub async fn browsers<const N: usize>(&self, emails: [&str; N]) -> [Browser; N] {
        let mut browsers = Vec::with_capacity(N);
        for email in emails {
            browsers.push(self.browser(email).await);
        }
        match browsers.try_into() {
            Ok(all) => all,
            Err(_) => unreachable!("one browser a user"),
        }
    }

    /// The status of a page as `b` gets it.
    pub async fn page_status(&self, b: &Browser, path: &str) -> StatusCode {
        self.page(b, path).await.status
    }

    /// POST a JSON body with a bearer token.
    pub async fn post_json(&self, path: &str, token: &str, body: &str) -> Resp {
        self.json("POST", path, token, body).await
    }

    /// PATCH with a JSON body and a bearer token.
    pub async fn patch_json(&self, path: &str, token: &str, body: &str) -> Resp {
        self.json("PATCH", path, token, body).await
    }

    pub async fn browser(&self, email: &str) -> Browser {
        let s = self
            .app
            .sign_in(email, PASSWORD, "127.0.0.1")
            .await
            .expect("sign in");
        Browser {
            cookie: s.cookie_value,
            csrf: s.csrf_token,
        }
    }

    pub async fn page(&self, b: &Browser, path: &str) -> Resp {
        self.page_in(b, path, "sv").await
    }

    pub async fn page_in(&self, b: &Browser, path: &str, lang: &str) -> Resp {
        let req = Request::get(path)
            .header(
                header::COOKIE,
                format!("palett_session={}; palett_lang={lang}", b.cookie),
            )
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// POST a url-encoded form with the session's CSRF token.
    pub async fn post_form(&self, b: &Browser, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", b.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(b, path, &serde_urlencoded::to_string(&all).expect("encode"))
            .await
    }

    /// POST a form that must be accepted with a redirect (303); where to.
    pub async fn post_redirect(&self, b: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
        let r = self.post_form(b, path, fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
        r.location()
    }

    /// POST a destructive action's form without its confirmation: the
    /// page that asks first (200) says `what` will happen and carries
    /// `confirm=yes` on a button marked as dangerous. The caller then
    /// checks that nothing changed.
    pub async fn asks_first(
        &self,
        b: &Browser,
        path: &str,
        fields: &[(&str, &str)],
        what: &str,
    ) -> Resp {
        let r = self.post_form(b, path, fields).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(
            r.body
                .contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">"),
            "{path} asks for a confirmation: {}",
            r.body
        );
        assert!(
            r.body.contains(what),
            "{path} says what happens: {}",
            r.body
        );
        assert!(r.body.contains("class=\"danger\""), "{path}: {}", r.body);
        r
    }

    /// POST a destructive action's form with its confirmation; where it
    /// leads.
    pub async fn confirmed(&self, b: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
        let mut all = fields.to_vec();
        all.push(("confirm", "yes"));
        self.post_redirect(b, path, &all).await
    }

    /// POST a form that must be refused as invalid (422); the page.
    pub async fn post_invalid(&self, b: &Browser, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self.post_form(b, path, fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        r
    }

    pub async fn post_raw(&self, b: &Browser, path: &str, body: &str) -> Resp {
        let req = Request::post(path)
            .header(header::COOKIE, format!("palett_session={}", b.cookie))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(req).await
    }

    /// The id of the organisation of `token`'s user.
    pub async fn org_of(&self, token: &str) -> i64 {
        self.get("/api/v1/me", Some(token)).await.json()["organisation"]["id"]
            .as_i64()
            .expect("org id")
    }

    /// The id in the `n`th participant link (counting from 0, after the
    /// text before the first) of the list `b` sees at /participants.
    pub async fn listed_participant(&self, b: &Browser, n: usize) -> String {
        let list = self.page(b, "/participants").await;
        list.body
            .split("href=\"/participants/")
            .nth(n)
            .and_then(|s| s.split('"').next())
            .expect("a participant link")
            .to_string()
    }

    /// The id of Tillväxt Kvinna in the demo.
    pub async fn tillvaxt_kvinna(&self, token: &str) -> i64 {
        let r = self.get("/api/v1/projects", Some(token)).await;
        r.json()["items"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["name"] == "Tillväxt Kvinna"))
            .and_then(|p| p["id"].as_i64())
            .expect("Tillväxt Kvinna in the demo")
    }

    /// An open demo opening in cleaning, and its first `n` candidates as
    /// `token`'s user sees them (best first).
    pub async fn cleaning_candidates(&self, token: &str, n: usize) -> (i64, Vec<i64>) {
        let r = self
            .get("/api/v1/openings?status=open&area=cleaning", Some(token))
            .await;
        let opening = r.json()["items"][0]["id"]
            .as_i64()
            .expect("an open opening");
        let r = self
            .get(
                &format!("/api/v1/openings/{opening}/candidates?per_page={n}"),
                Some(token),
            )
            .await;
        let ids: Vec<i64> = r.json()["items"]
            .as_array()
            .expect("candidates")
            .iter()
            .filter_map(|c| c["participant_id"].as_i64())
            .collect();
        assert_eq!(ids.len(), n, "{} candidates: {}", n, r.body);
        (opening, ids)
    }

    /// Register a participant through the API as `token`'s user; her id.
    pub async fn register(&self, token: &str, body: &str) -> i64 {
        let r = self.json("POST", "/api/v1/participants", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().expect("id")
    }

    /// Refer participant `pid` to the partner `to` for an assessment, sent
    /// on `sent_on` with the sharing consent she gives that day; the
    /// referral's id.
    pub async fn refer(&self, token: &str, pid: i64, to: i64, sent_on: &str) -> i64 {
        let body = serde_json::json!({
            "source": "partner",
            "to_organisation_id": to,
            "purpose": "assessment",
            "reason": "Behöver stöd mot arbete.",
            "asked": "Ett första samtal.",
            "sent_on": sent_on,
            "record_consent": true,
            "consent_method": "signed_paper",
            "consent_given_on": sent_on,
        });
        let path = format!("/api/v1/participants/{pid}/referrals");
        let r = self.json("POST", &path, token, &body.to_string()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["referral"]["id"].as_i64().expect("its id")
    }
}

/// The JSON of a valid new participant of Botkyrka kommun, enrolled.
pub fn new_participant(org_id: i64, given: &str) -> String {
    serde_json::json!({
        "given_name": given,
        "family_name": "Testsson",
        "identity_kind": "birth_date",
        "birth_date": "1980-04-02",
        "gender": "woman",
        "referral_source": "municipality",
        "responsible_organisation_id": org_id,
        "referred_on": "2026-11-01",
        "intake_date": "2026-11-02",
        "languages": ["somaliska", "svenska"],
    })
    .to_string()
}
