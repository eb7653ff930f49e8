//! Who is calling: the session cookie or a bearer token, resolved once per
//! request by [`resolve`], which also enforces CSRF on every unsafe request
//! made with a session cookie. Handlers take [`Caller`] (signed in) or
//! [`Visitor`] (maybe not).

use super::error::{ApiError, WebError};
use super::AppState;
use crate::i18n::{Lang, Tr};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use palett_app::auth::{Bearer, Signed};
use palett_app::portal::Her;
use palett_app::{same_secret, Ctx};
use palett_domain::token::{ScopeRefusal, TokenLimit};
use std::net::SocketAddr;

/// The session cookie over plain HTTP (development, the demo on localhost).
pub const SESSION_COOKIE: &str = "palett_session";
/// The session cookie when cookies are Secure: the `__Host-` prefix makes
/// browsers refuse it unless it is Secure, for the whole host (Path=/) and
/// set by this host itself (no Domain), so a sibling subdomain cannot plant
/// or overwrite it.
pub const HOST_SESSION_COOKIE: &str = "__Host-palett_session";
/// The session cookie's name for a connection that is (or is not) secure.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
/// A participant's portal session (apart from staff sessions, so that a
/// portal session is never taken for a staff one).
pub const PORTAL_COOKIE: &str = "palett_portal";
pub const HOST_PORTAL_COOKIE: &str = "__Host-palett_portal";
/// The portal session cookie's name for a connection that is (or is not)
/// secure.
pub fn portal_cookie_name(secure: bool) -> &'static str {
    if secure {
        HOST_PORTAL_COOKIE
    } else {
        PORTAL_COOKIE
    }
}
pub const PRE_SESSION_COOKIE: &str = "palett_pre";
pub const LANG_COOKIE: &str = "palett_lang";
/// The largest request body accepted (a 10 MB field must still reach
/// validation so that its field can be named).
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// How the caller proved who she is.
#[derive(Clone, Debug)]
pub enum Via {
    Session(String),
    /// A token, with its limits.
    Bearer(TokenLimit),
}

/// Where [`resolve`] leaves the visitor for the error renderer, which runs
/// outside it (`ui::failures`) and renders a handler's error for her.
#[derive(Clone, Default)]
pub struct VisitorSlot(std::sync::Arc<std::sync::Mutex<Option<Visitor>>>);

impl VisitorSlot {
    pub fn set(&self, v: Visitor) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(v);
        }
    }

    pub fn get(&self) -> Option<Visitor> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

/// Per-request facts, stored in the request extensions by [`resolve`].
#[derive(Clone, Debug)]
pub struct Visitor {
    pub signed: Option<(Signed, Via)>,
    /// A participant signed in to her portal, with her cookie's value.
    pub her: Option<(Her, String)>,
    /// The language she chose or her browser asked for (any of the
    /// portal's; staff pages speak [`Lang::staff`] of it).
    pub lang: Lang,
    pub ip: String,
    pub is_api: bool,
    /// The address is the participant portal's (`/portal…`).
    pub portal_path: bool,
    pub secure: bool,
    /// The pre-session CSRF value (sign-in form) from the cookie, if any.
    pub pre_session: Option<String>,
    /// What the change just saved was (`?done=` after a redirect), a word
    /// of lower-case letters and dashes; the layout confirms it when it has
    /// a message `done-<word>`.
    pub done: Option<String>,
}

impl Visitor {
    /// The translator of staff pages (Swedish or English).
    pub fn tr(&self) -> Tr {
        Tr::new(self.lang.staff())
    }

    /// The translator of the participant portal (any of its languages).
    pub fn portal_tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// Whether she is a participant in her portal (not staff).
    pub fn in_portal(&self) -> bool {
        self.signed.is_none() && self.her.is_some()
    }
}

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub signed: Signed,
    pub via: Via,
    pub visitor: Visitor,
}

impl Caller {
    pub fn ctx(&self) -> Ctx {
        self.signed.ctx(&self.visitor.ip)
    }

    pub fn tr(&self) -> Tr {
        self.visitor.tr()
    }

    /// The limits of the token she called with (none with a session).
    pub fn token_limit(&self) -> Option<&TokenLimit> {
        match &self.via {
            Via::Bearer(l) => Some(l),
            Via::Session(_) => None,
        }
    }
}

/// A cookie of ours as the browser sent it.
fn cookie<'a>(jar: &'a CookieJar, name: &str) -> Option<&'a str> {
    jar.get(name).map(Cookie::value)
}

/// A cookie this site sets: for the whole host (Path=/, no Domain),
/// SameSite=Lax, Secure when the connection is, lasting `max_age_secs`
/// (0 removes it). `http_only` keeps it from scripts (all but the language).
pub fn site_cookie(
    name: &'static str,
    value: String,
    max_age_secs: i64,
    secure: bool,
    http_only: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

/// The `_csrf` field of a url-encoded form body.
fn form_csrf(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v)
}

/// The `_csrf` field of a multipart form body (an upload), read with the
/// parser axum's `Multipart` uses.
async fn multipart_csrf(content_type: &str, body: bytes::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("_csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Resolve the caller, check CSRF on unsafe requests, and pass on.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let jar = CookieJar::from_headers(&headers);
    let is_api = req.uri().path().starts_with("/api/");
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| state.trusted_proxies.client(c.0.ip(), &headers).to_string())
        .unwrap_or_else(|| "unknown".into());
    let chosen_lang = cookie(&jar, LANG_COOKIE).and_then(Lang::parse);
    let browser_lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate);
    let tr = Tr::new(chosen_lang.or(browser_lang).unwrap_or(Lang::Sv).staff());
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let signed = if let Some(token) = bearer {
        match state.app.bearer(token).await {
            // Within the token's limits (read-only, areas), or refused
            // here, before anything runs.
            Ok(Bearer::Valid(s, limit)) => {
                let areas = super::scope::installed();
                if let Err(why) = areas.check(&limit.scope, req.method(), req.uri().path()) {
                    return scope_refusal(tr, why).into_response();
                }
                Some((*s, Via::Bearer(limit)))
            }
            Ok(Bearer::Expired) => {
                return ApiError::new(tr, StatusCode::UNAUTHORIZED, "error-token-expired")
                    .into_response()
            }
            Ok(Bearer::Unknown) => {
                return ApiError::new(tr, StatusCode::UNAUTHORIZED, "error-bad-token")
                    .into_response()
            }
            Err(e) => return ApiError::app(tr, e).into_response(),
        }
    } else if let Some(value) = cookie(&jar, HOST_SESSION_COOKIE).or_else(|| {
        // With Secure cookies configured, only the prefixed one counts.
        (!state.secure_cookies)
            .then(|| cookie(&jar, SESSION_COOKIE))
            .flatten()
    }) {
        match state.app.session(value).await {
            Ok(s) => s.map(|s| (s, Via::Session(value.to_string()))),
            Err(e) => return ApiError::app(tr, e).into_response(),
        }
    } else {
        None
    };
    // A participant's portal session, when no staff one is presented.
    let her = match (&signed, bearer) {
        (None, None) => {
            let value = cookie(&jar, HOST_PORTAL_COOKIE).or_else(|| {
                (!state.secure_cookies)
                    .then(|| cookie(&jar, PORTAL_COOKIE))
                    .flatten()
            });
            match value {
                Some(v) => match state.app.portal_session(v).await {
                    Ok(h) => h.map(|h| (h, v.to_string())),
                    Err(e) => return ApiError::app(tr, e).into_response(),
                },
                None => None,
            }
        }
        _ => None,
    };
    // Her choice on this device, then her profile's, then the browser's.
    let lang = chosen_lang
        .or_else(|| {
            her.as_ref()
                .and_then(|(h, _)| h.lang.as_deref())
                .and_then(Lang::parse)
        })
        .or(browser_lang)
        .unwrap_or(Lang::Sv);
    let pre_session = cookie(&jar, PRE_SESSION_COOKIE).map(str::to_string);
    let done = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.strip_prefix("done="))
            .find(|w| {
                !w.is_empty()
                    && w.len() <= 40
                    && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            })
            .map(str::to_string)
    });
    let visitor = Visitor {
        done,
        signed,
        her,
        lang,
        ip,
        is_api,
        portal_path: {
            let p = req.uri().path();
            p == "/portal" || p.starts_with("/portal/")
        },
        // Behind a TLS-terminating proxy the request says so; a client that
        // lies only makes its own cookies stricter.
        secure: state.secure_cookies
            || headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")),
        pre_session,
    };
    // From here on, an error is rendered for this visitor.
    if let Some(slot) = req.extensions().get::<VisitorSlot>() {
        slot.set(visitor.clone());
    }
    let Visitor {
        signed,
        her,
        ip,
        pre_session,
        ..
    } = &visitor;
    // A participant's session reaches her portal and nothing else: every
    // other address answers as if it did not exist.
    if visitor.in_portal() {
        let path = req.uri().path();
        if path == "/" {
            return Redirect::to("/portal").into_response();
        }
        let hers =
            path == "/portal" || path.starts_with("/portal/") || path.starts_with("/static/");
        if !hers {
            return WebError::new(StatusCode::NOT_FOUND, "error-not-found").into_response();
        }
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        // Which token must the request echo? Bearer calls carry no ambient
        // credential and need none.
        let expected = match &signed {
            Some((s, Via::Session(_))) => s.csrf_token.clone(),
            Some((_, Via::Bearer(_))) => None,
            // A participant in her portal.
            None if her.is_some() => her.as_ref().map(|(h, _)| h.csrf_token.clone()),
            // Unauthenticated API calls fail as such in the handler.
            None if is_api => None,
            // The sign-in form: double-submit against the pre-session cookie.
            None => pre_session.clone().or_else(|| Some(String::new())),
        };
        if let Some(expected) = expected {
            let from_header = headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let presented = match from_header {
                Some(h) => Some(h),
                None => {
                    let content_type = headers
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
                    let is_upload = content_type.starts_with("multipart/form-data");
                    if is_form || is_upload {
                        let (parts, body) = req.into_parts();
                        let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
                            Ok(b) => b,
                            Err(_) => {
                                return WebError::new(
                                    StatusCode::PAYLOAD_TOO_LARGE,
                                    "error-too-large",
                                )
                                .into_response()
                            }
                        };
                        let found = if is_upload {
                            multipart_csrf(&content_type, bytes.clone()).await
                        } else {
                            form_csrf(&bytes)
                        };
                        req = Request::from_parts(parts, Body::from(bytes));
                        found
                    } else {
                        None
                    }
                }
            };
            let ok = !expected.is_empty()
                && presented.is_some_and(|p| same_secret(p.as_bytes(), expected.as_bytes()));
            if !ok {
                return if is_api {
                    ApiError::new(tr, StatusCode::FORBIDDEN, "error-csrf").into_response()
                } else {
                    WebError::new(StatusCode::FORBIDDEN, "error-csrf").into_response()
                };
            }
        }
    }
    // A password an administrator chose comes first: until she has chosen
    // her own, only that page, signing out and the static files are open.
    // Then a second factor the partnership requires, the same way.
    if let Some((s, _)) = &signed {
        let path = req.uri().path();
        let always_open =
            path == "/logout" || path.starts_with("/static/") || path.starts_with("/lang/");
        if s.user.must_change_password && !(always_open || path == "/account/password") {
            return if is_api {
                ApiError::new(tr, StatusCode::FORBIDDEN, "error-password-change-required")
                    .into_response()
            } else {
                Redirect::to("/account/password").into_response()
            };
        }
        let open = path == "/account/second-factor" || path == "/account/password" || always_open;
        if s.must_set_up_second_factor() && !open {
            return if is_api {
                ApiError::new(tr, StatusCode::FORBIDDEN, "error-second-factor-required")
                    .into_response()
            } else {
                Redirect::to("/account/second-factor").into_response()
            };
        }
    }
    // A refused request for a participant resource is counted against the
    // caller once the handler (and its transaction) is done.
    let path = req.uri().path();
    let refusal_ctx = signed
        .as_ref()
        .filter(|_| is_participant_resource(path))
        .map(|(s, _)| s.ctx(ip));
    req.extensions_mut().insert(visitor);
    let response = next.run(req).await;
    if let Some(ctx) = refusal_ctx {
        if matches!(
            response.status(),
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ) {
            palett_app::audit::note_refusal(&state.app, &ctx).await;
        }
    }
    response
}

/// A request beyond its token's limits: 403, saying which limit.
fn scope_refusal(tr: Tr, why: ScopeRefusal) -> ApiError {
    match why {
        ScopeRefusal::ReadOnly => ApiError::new(tr, StatusCode::FORBIDDEN, "error-token-read-only"),
        ScopeRefusal::OutsideAreas(area) => {
            ApiError::new(tr, StatusCode::FORBIDDEN, "error-token-area")
                .with_detail(area.unwrap_or_else(|| "–".into()))
        }
    }
}

/// A participant's record or a part of it, addressed by a numeric id, in
/// the pages or the JSON API: `/participants/{id}…`, `/enrolments/{id}…`,
/// `/consents/{id}…`.
fn is_participant_resource(path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let mut parts = path.split('/').skip(1);
    matches!(
        parts.next(),
        Some("participants" | "enrolments" | "consents")
    ) && parts
        .next()
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, s).await?;
        match visitor.signed.clone() {
            Some((signed, via)) => Ok(Caller {
                signed,
                via,
                visitor,
            }),
            None if visitor.is_api => Err(ApiError::new(
                visitor.tr(),
                StatusCode::UNAUTHORIZED,
                "error-unauthenticated",
            )
            .into_response()),
            None => {
                // Back to the page after signing in (path only: no query, so
                // no search text ends up in a URL twice).
                let next = parts.uri.path();
                let target = if next == "/" || !next.starts_with('/') || next.starts_with("//") {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", next)
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn participant_resources_are_recognised_by_path() {
        use super::is_participant_resource as p;
        assert!(p("/participants/12"));
        assert!(p("/participants/12/plan"));
        assert!(p("/api/v1/participants/99999999"));
        assert!(p("/api/v1/enrolments/3"));
        assert!(p("/consents/4/withdraw"));
        assert!(!p("/participants"));
        assert!(!p("/participants/new"));
        assert!(!p("/api/v1/participants/search"));
        assert!(!p("/palette/3"));
        assert!(!p("/api/v1/projects/1/summary"));
    }
}
