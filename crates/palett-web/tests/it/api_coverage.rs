//! "The whole API" (issue 17): every resource the HTML offers is in
//! /api/v1, or the table below says why not. The HTML routes are read from
//! the sources (every `.route(` of a feature's `routes()` and of `lib.rs`),
//! so a new page or action without an entry here fails, and every API
//! route the table names must be an operation of the OpenAPI document.

use crate::support::*;
use std::collections::BTreeSet;

/// What the API offers for one HTML route.
#[derive(Clone, Copy, Debug)]
enum Offer {
    /// These API operations offer the same resource (`METHOD /path`).
    Api(&'static [&'static str]),
    /// A form's page (`new`, `edit`, or one that asks before an action):
    /// the API takes the submission itself, named by the POST's entry.
    Form,
    /// No API, and why there is none.
    No(&'static str),
}

use Offer::*;

const PORTAL: Offer = No("the participant's own portal, signed in as her; the API is for staff");
const SIGN_IN: Offer =
    No("signing in with a password and second factor is the browser's; the API takes a token");

/// Every HTML route (`METHOD /path`) and what the API offers for it.
const TABLE: &[(&str, Offer)] = &[
    // account/
    ("GET /", Api(&["GET /worklist", "GET /projects"])),
    ("GET /login", SIGN_IN),
    ("POST /login", SIGN_IN),
    ("POST /logout", No("ends the browser's session; a token is revoked with POST /tokens/{id}/revoke")),
    ("GET /lang/{code}", No("the pages' language, kept in a cookie; the API answers in Accept-Language's")),
    ("GET /account/second-factor", No("her own second factor is set up in a signed-in browser only, never with a token")),
    ("POST /account/second-factor", No("her own second factor is set up in a signed-in browser only, never with a token")),
    ("GET /account/password", No("her own password is changed in a signed-in browser only, with the old one")),
    ("POST /account/password", No("her own password is changed in a signed-in browser only, with the old one")),
    ("GET /tokens", Api(&["GET /tokens"])),
    ("POST /tokens", Api(&["POST /tokens"])),
    ("GET /tokens/new", Form),
    ("POST /tokens/new", Api(&["POST /tokens"])),
    ("POST /tokens/{id}/revoke", Api(&["POST /tokens/{id}/revoke"])),
    // admin/
    ("GET /partners", Api(&["GET /organisations", "GET /memberships"])),
    ("GET /admin/organisations/new", Form),
    ("POST /admin/organisations/new", Api(&["POST /organisations"])),
    ("GET /admin/memberships/new", Form),
    ("POST /admin/memberships/new", Api(&["POST /memberships"])),
    ("GET /admin/memberships/{id}/end", Form),
    ("POST /admin/memberships/{id}/end", Api(&["POST /memberships/{id}/end"])),
    ("GET /admin/users", Api(&["GET /users", "GET /role-requests"])),
    ("GET /admin/users/new", Form),
    ("POST /admin/users/new", Api(&["POST /users"])),
    ("GET /admin/users/{id}/roles", Api(&["GET /users/{id}"])),
    ("POST /admin/users/{id}/roles", Api(&["PUT /users/{id}/roles"])),
    ("POST /admin/users/{id}/deactivate", Api(&["POST /users/{id}/deactivate"])),
    ("GET /admin/users/{id}/password", Form),
    ("POST /admin/users/{id}/password", Api(&["POST /users/{id}/password"])),
    ("POST /admin/users/{id}/second-factor/reset", Api(&["POST /users/{id}/second-factor/reset"])),
    ("POST /admin/role-requests/{id}/{decision}", Api(&["POST /role-requests/{id}/approve", "POST /role-requests/{id}/reject"])),
    ("GET /admin/retention", Api(&["GET /retention", "GET /retention/dry-run"])),
    ("POST /admin/retention", Api(&["PUT /retention"])),
    ("POST /admin/retention/run", Api(&["POST /retention/run"])),
    ("GET /translations", No("translators' review of the portal's languages, read from the locale files; no record of palett's")),
    // audit/
    ("GET /audit", Api(&["GET /audit", "POST /audit/search"])),
    ("GET /audit/review", Api(&["GET /audit/review"])),
    ("POST /audit/review", Api(&["POST /audit/reviews"])),
    // consents/
    ("GET /participants/{id}/consents/new", Form),
    ("POST /participants/{id}/consents/new", Api(&["POST /participants/{id}/consents"])),
    ("GET /consents/{id}/withdraw", Form),
    ("POST /consents/{id}/withdraw", Api(&["POST /consents/{id}/withdraw"])),
    ("POST /participants/{id}/notes", Api(&["POST /participants/{id}/notes"])),
    ("POST /participants/{id}/restriction", Api(&["POST /participants/{id}/restriction"])),
    ("POST /participants/{id}/archive-hold", Api(&["POST /participants/{id}/archive-hold"])),
    ("GET /emergency", Form),
    ("POST /emergency", Api(&["POST /emergency-accesses"])),
    // dashboards/
    ("GET /dashboard", Api(&["GET /dashboard"])),
    ("GET /dashboard/participants", Api(&["GET /figures/{indicator}/participants"])),
    ("GET /projects/{id}/dashboard", Api(&["GET /projects/{id}/dashboard"])),
    ("GET /projects/{id}/dashboard/participants", Api(&["GET /projects/{id}/figures/{indicator}/participants"])),
    ("GET /projects/{id}/goals", Api(&["GET /projects/{id}/goals"])),
    ("POST /projects/{id}/goals", Api(&["POST /projects/{id}/goals"])),
    ("GET /projects/{id}/goals/{goal}/delete", Form),
    ("POST /projects/{id}/goals/{goal}/delete", Api(&["DELETE /projects/{id}/goals/{goal}"])),
    // employers/
    ("GET /employers", Api(&["GET /employers"])),
    ("GET /employers/new", Form),
    ("POST /employers/new", Api(&["POST /employers"])),
    ("GET /employers/{id}", Api(&["GET /employers/{id}"])),
    ("GET /employers/{id}/edit", Form),
    ("POST /employers/{id}/edit", Api(&["PATCH /employers/{id}"])),
    ("POST /employers/{id}/deactivate", Api(&["PUT /employers/{id}/status"])),
    ("POST /employers/{id}/activate", Api(&["PUT /employers/{id}/status"])),
    ("GET /employers/{id}/contacts/new", Form),
    ("POST /employers/{id}/contacts/new", Api(&["POST /employers/{id}/contacts"])),
    ("GET /employers/{id}/contacts/{contact}/remove", Form),
    ("POST /employers/{id}/contacts/{contact}/remove", Api(&["DELETE /employers/{id}/contacts/{contact}"])),
    ("GET /employers/{id}/log/new", Form),
    ("POST /employers/{id}/log/new", Api(&["POST /employers/{id}/log"])),
    // exports/
    ("GET /participants/{id}/export", Api(&["GET /participants/{id}/export"])),
    ("GET /participants/{id}/export.pdf", Api(&["GET /participants/{id}/export"])),
    ("GET /exports/research", Form),
    ("POST /exports/research", Api(&["POST /exports/research"])),
    ("POST /exports/research/csv", Api(&["POST /exports/research"])),
    // followups/
    ("GET /follow-ups", Api(&["GET /follow-ups"])),
    ("GET /participants/{id}/follow-ups", Api(&["GET /participants/{id}/follow-ups"])),
    ("GET /participants/{id}/follow-ups/{follow_up}", Form),
    ("POST /participants/{id}/follow-ups/{follow_up}", Api(&["PUT /participants/{id}/follow-ups/{follow_up}"])),
    ("POST /participants/{id}/follow-ups/{follow_up}/not-reached", Api(&["PUT /participants/{id}/follow-ups/{follow_up}/not-reached"])),
    ("GET /participants/{id}/self-assessments", Api(&["GET /participants/{id}/self-assessments"])),
    ("GET /participants/{id}/self-assessments/new", Form),
    ("POST /participants/{id}/self-assessments/new", Api(&["POST /participants/{id}/self-assessments"])),
    // imports/
    ("GET /imports", Form),
    ("POST /imports/preview", Api(&["POST /imports/preview"])),
    ("GET /imports/template.csv", No("a blank spreadsheet for a person to fill in; the API imports the file itself")),
    ("GET /imports/template.xlsx", No("a blank spreadsheet for a person to fill in; the API imports the file itself")),
    ("GET /imports/{id}", Api(&["GET /imports/{id}"])),
    ("POST /imports/{id}/commit", Api(&["POST /imports"])),
    ("POST /imports/{id}/undo", Api(&["POST /imports/{id}/undo"])),
    // openings/
    ("GET /openings", Api(&["GET /openings"])),
    ("GET /employers/{id}/openings/new", Form),
    ("POST /employers/{id}/openings/new", Api(&["POST /employers/{id}/openings"])),
    ("GET /openings/{id}", Api(&["GET /openings/{id}", "GET /openings/{id}/proposals"])),
    ("GET /openings/{id}/edit", Form),
    ("POST /openings/{id}/edit", Api(&["PATCH /openings/{id}"])),
    ("POST /openings/{id}/status/{status}", Api(&["PUT /openings/{id}/status"])),
    ("GET /openings/{id}/candidates", Api(&["GET /openings/{id}/candidates"])),
    ("GET /participants/{id}/openings", Api(&["GET /participants/{id}/openings", "GET /participants/{id}/proposals"])),
    ("POST /openings/{id}/propose/{participant}", Api(&["POST /openings/{id}/proposals"])),
    ("GET /proposals/{id}", Api(&["GET /proposals/{id}"])),
    ("GET /proposals/{id}/step", Form),
    ("POST /proposals/{id}/step", Api(&["POST /proposals/{id}/steps"])),
    // palette/
    ("GET /palette", Api(&["GET /palette"])),
    ("GET /palette/new", Form),
    ("POST /palette/new", Api(&["POST /palette"])),
    ("GET /palette/{id}", Api(&["GET /palette/{id}"])),
    ("POST /palette/{id}/retire", Api(&["POST /palette/{id}/retire"])),
    ("GET /palette/{id}/modules/new", Form),
    ("POST /palette/{id}/modules/new", Api(&["POST /palette"])),
    ("GET /palette/{id}/groups/new", Form),
    ("POST /palette/{id}/groups/new", Api(&["POST /palette/{id}/groups"])),
    ("GET /groups/{id}", Api(&["GET /groups/{id}"])),
    ("GET /my-sessions", Api(&["GET /my-sessions"])),
    ("GET /time-attestation", Api(&["GET /time-attestation"])),
    ("POST /time-attestation/{month}", Api(&["POST /time-attestation/{month}"])),
    ("GET /groups/{id}/schedule", Form),
    ("POST /groups/{id}/schedule", Api(&["POST /groups/{id}/sessions"])),
    ("GET /sessions/{id}/attendance", Api(&["GET /sessions/{id}/attendance"])),
    ("POST /sessions/{id}/attendance", Api(&["PUT /sessions/{id}/attendance"])),
    ("GET /sessions/{id}/{what}", Form),
    ("POST /sessions/{id}/{what}", Api(&["POST /sessions/{id}/cancel", "POST /sessions/{id}/move"])),
    ("GET /participants/{id}/plan", Api(&["GET /participants/{id}/plan"])),
    ("POST /participants/{id}/plan/enrol", Api(&["POST /participants/{id}/plan/enrolments"])),
    ("GET /participants/{id}/plan/edit", Form),
    ("POST /participants/{id}/plan/edit", Api(&["PUT /participants/{id}/plan"])),
    ("GET /participants/{id}/enrolments/new", Form),
    ("POST /participants/{id}/enrolments/new", Api(&["POST /participants/{id}/enrolments"])),
    ("GET /participants/{id}/period", Api(&["GET /participants/{id}/period"])),
    ("POST /participants/{id}/period", Api(&["PUT /participants/{id}/period"])),
    ("GET /participants/{id}/activities/new", Form),
    ("POST /participants/{id}/activities/new", Api(&["POST /participants/{id}/activities"])),
    ("GET /participants/{id}/time", Api(&["GET /participants/{id}/time"])),
    ("POST /participants/{id}/time/{month}/attest", Api(&["POST /participants/{id}/time/{month}/attest"])),
    ("GET /enrolments/{id}/status", Form),
    ("POST /enrolments/{id}/status", Api(&["PATCH /enrolments/{id}"])),
    ("GET /reports", Api(&["GET /reports/palette"])),
    ("GET /reports/{file}", Api(&["GET /reports/palette"])),
    // participants/
    ("GET /participants", Api(&["GET /participants"])),
    ("POST /participants", Api(&["POST /participants/search"])),
    ("GET /participants/new", Form),
    ("POST /participants/new", Api(&["POST /participants"])),
    ("GET /participants/{id}", Api(&["GET /participants/{id}", "GET /participants/{id}/timeline"])),
    ("GET /participants/{id}/edit", Form),
    ("POST /participants/{id}/edit", Api(&["PATCH /participants/{id}"])),
    ("GET /participants/{id}/status/{kind}", Form),
    ("POST /participants/{id}/status/{kind}", Api(&["POST /participants/{id}/intake", "POST /participants/{id}/exit", "POST /participants/{id}/transitions"])),
    ("GET /participants/{id}/handover", Form),
    ("POST /participants/{id}/handover", Api(&["POST /participants/{id}/handover"])),
    // placements/
    ("GET /proposals/{id}/placement/new", Form),
    ("POST /proposals/{id}/placement/new", Api(&["POST /proposals/{id}/placement"])),
    ("GET /placements/{id}", Api(&["GET /placements/{id}"])),
    ("GET /placements/{id}/hours/new", Form),
    ("POST /placements/{id}/hours/new", Api(&["POST /placements/{id}/hours"])),
    ("GET /placements/{id}/reviews/new", Form),
    ("POST /placements/{id}/reviews/new", Api(&["POST /placements/{id}/reviews"])),
    ("GET /placements/{id}/result", Form),
    ("POST /placements/{id}/result", Api(&["PUT /placements/{id}/result"])),
    // portal/: her own pages
    ("GET /portal", PORTAL),
    ("GET /portal/login", PORTAL),
    ("POST /portal/login", PORTAL),
    ("POST /portal/logout", PORTAL),
    ("GET /portal/invite", PORTAL),
    ("POST /portal/invite", PORTAL),
    ("GET /portal/lang/{code}", PORTAL),
    ("POST /portal/passkey/setup/start", PORTAL),
    ("POST /portal/passkey/setup/finish", PORTAL),
    ("POST /portal/passkey/sign-in/start", PORTAL),
    ("POST /portal/passkey/sign-in/finish", PORTAL),
    ("GET /portal/plan", PORTAL),
    ("GET /portal/schedule", PORTAL),
    ("POST /portal/calendar", PORTAL),
    ("POST /portal/calendar/revoke", PORTAL),
    ("GET /portal/time", PORTAL),
    ("POST /portal/time/{month}", PORTAL),
    ("GET /portal/consents", PORTAL),
    ("POST /portal/consents/{id}/withdraw", PORTAL),
    ("POST /portal/consents/ask", PORTAL),
    ("GET /portal/assessment", PORTAL),
    ("POST /portal/assessment", PORTAL),
    ("GET /portal/questionnaires", PORTAL),
    ("GET /portal/questionnaires/{id}", PORTAL),
    ("POST /portal/questionnaires/{id}", PORTAL),
    ("GET /portal/data", PORTAL),
    ("GET /portal/data.pdf", PORTAL),
    ("GET /calendar/her/{file}", PORTAL),
    // portal/staff.rs: her access, as staff see it
    ("GET /participants/{id}/portal", Api(&["GET /participants/{id}/portal"])),
    ("POST /participants/{id}/portal", Api(&["POST /participants/{id}/portal/invitations"])),
    // projects/
    ("GET /projects", Api(&["GET /projects"])),
    ("GET /projects/new", Form),
    ("POST /projects/new", Api(&["POST /projects"])),
    ("GET /projects/{id}/edit", Form),
    ("POST /projects/{id}/edit", Api(&["PATCH /projects/{id}"])),
    // questionnaires/
    ("GET /questionnaires", Api(&["GET /instruments"])),
    ("GET /questionnaires/upload", Form),
    ("POST /questionnaires/upload", Api(&["POST /instruments"])),
    ("GET /questionnaires/due", Api(&["GET /questionnaires/due"])),
    ("GET /questionnaires/{id}", Api(&["GET /instruments/{id}"])),
    ("GET /questionnaires/{id}/schedule", Form),
    ("POST /questionnaires/{id}/schedule", Api(&["PUT /instruments/{id}/schedule"])),
    ("GET /questionnaires/{id}/results", Api(&["GET /instruments/{id}/results"])),
    ("GET /questionnaires/{id}/versions/{version}", Api(&["GET /instruments/{id}/versions/{version}"])),
    ("GET /questionnaires/{id}/versions/{version}/xlsform", Api(&["GET /instruments/{id}/versions/{version}/xlsform"])),
    ("POST /questionnaires/{id}/versions/{version}/publish", Api(&["POST /instruments/{id}/versions/{version}/publish"])),
    ("POST /questionnaires/{id}/versions/{version}/discard", Api(&["POST /instruments/{id}/versions/{version}/discard"])),
    ("GET /participants/{id}/questionnaires", Api(&["GET /participants/{id}/questionnaires"])),
    ("GET /participants/{id}/questionnaires/{instrument}", Form),
    ("POST /participants/{id}/questionnaires/{instrument}", Api(&["POST /participants/{id}/questionnaires/{instrument}"])),
    ("GET /exports/research/answers", Form),
    ("POST /exports/research/answers", Api(&["POST /exports/research/answers"])),
    // referrals/
    ("GET /referrals", Api(&["GET /referrals"])),
    ("GET /referrals/new", Form),
    ("POST /referrals/new", Api(&["POST /referrals"])),
    ("GET /referrals/{id}", Api(&["GET /referrals/{id}"])),
    ("GET /referrals/{id}/step", Form),
    ("POST /referrals/{id}/step", Api(&["POST /referrals/{id}/steps"])),
    ("GET /participants/{id}/referrals", Api(&["GET /participants/{id}/referrals"])),
    ("GET /participants/{id}/referrals/new", Form),
    ("POST /participants/{id}/referrals/new", Api(&["POST /participants/{id}/referrals"])),
    ("GET /referral-routines", Api(&["GET /referral-routines"])),
    ("GET /reports/referrals", Api(&["GET /reports/referrals"])),
    ("GET /organisations/{id}/referral-routine", Form),
    ("POST /organisations/{id}/referral-routine", Api(&["PUT /organisations/{id}/referral-routine"])),
    // reminders/
    ("GET /inbox", Api(&["GET /inbox"])),
    ("POST /inbox/read-all", Api(&["POST /inbox/read-all"])),
    ("POST /inbox/{id}/open", Api(&["POST /inbox/{id}/read"])),
    ("GET /account/reminders", Api(&["GET /me/reminders"])),
    ("POST /account/reminders/digest", Api(&["PUT /me/reminders"])),
    ("POST /account/calendar", Api(&["POST /me/calendar-feed"])),
    ("POST /account/calendar/revoke", Api(&["DELETE /me/calendar-feed"])),
    ("GET /calendar/{file}", No("the calendar feed itself, for calendar programs: its secret address is its access")),
    // reports/
    ("GET /projects/{id}/reports/{file}", Api(&["GET /projects/{id}/reports/{kind}", "GET /projects/{id}/reports/{kind}/{format}"])),
    ("GET /projects/{id}/esf-months", Api(&["GET /projects/{id}/esf-months/{month}"])),
    ("GET /projects/{id}/esf-months/{file}", Api(&["GET /projects/{id}/esf-months/{month}/{format}"])),
    // webhooks/
    ("GET /admin/webhooks", Api(&["GET /webhooks"])),
    ("POST /admin/webhooks", Api(&["POST /webhooks"])),
    ("GET /admin/webhooks/new", Form),
    ("GET /admin/webhooks/{id}", Api(&["GET /webhooks/{id}"])),
    ("POST /admin/webhooks/{id}/deactivate", Api(&["POST /webhooks/{id}/deactivate"])),
    ("POST /admin/webhooks/deliveries/{id}/retry", Api(&["POST /webhooks/deliveries/{id}/retry"])),
    // lib.rs
    ("GET /healthz", No("the operator's health check, outside the API")),
    ("GET /readyz", No("the operator's readiness check, outside the API")),
    ("GET /static/{name}", No("static assets of the pages")),
];

/// The Rust sources under `dir`.
fn sources(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).expect("a source file"));
        }
    }
    out
}

/// The text from an opening parenthesis (excluded) to its match.
fn parenthesised(text: &str) -> &str {
    let mut depth = 1;
    for (i, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// Every HTML route as `METHOD /path`: each `.route("/path", get(…)
/// .post(…))` in the sources (the API's are registered with `routes!`,
/// never `.route(`, which `the_openapi_document_lists_every_api_route`
/// holds).
fn html_routes() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for src in sources(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        for call in src.split(".route(").skip(1) {
            let args = parenthesised(call);
            let path = args
                .trim_start()
                .strip_prefix('"')
                .and_then(|p| p.split('"').next())
                .unwrap_or_else(|| panic!("a route's path is a literal: {args}"));
            let methods = &args[args.find(',').expect("a method router")..];
            let mut found = 0;
            for m in ["get", "post", "put", "patch", "delete"] {
                let direct = methods.contains(&format!(" {m}("));
                let chained = methods.contains(&format!(".{m}("));
                if direct || chained {
                    out.insert(format!("{} {path}", m.to_uppercase()));
                    found += 1;
                }
            }
            assert!(found > 0, "no method for {path}: {args}");
        }
    }
    out
}

#[tokio::test]
async fn every_html_route_has_its_api_or_a_reason() {
    let routes = html_routes();
    assert!(routes.len() > 150, "found the pages: {routes:?}");
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let operations: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|m| *m != "parameters")
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let listed: BTreeSet<String> = TABLE.iter().map(|(r, _)| r.to_string()).collect();
    assert_eq!(listed.len(), TABLE.len(), "an HTML route listed twice");
    let unlisted: Vec<&String> = routes.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "HTML routes without an entry (name their API, or why there is none): {unlisted:?}"
    );
    let gone: Vec<&String> = listed.difference(&routes).collect();
    assert!(gone.is_empty(), "entries for no HTML route: {gone:?}");
    let mut missing = Vec::new();
    for (route, offer) in TABLE {
        match offer {
            Api(apis) => {
                assert!(!apis.is_empty(), "{route}: which API?");
                for api in *apis {
                    if !operations.contains(*api) {
                        missing.push(format!("{route} -> {api}"));
                    }
                }
            }
            No(why) => assert!(why.len() > 10, "{route}: say why"),
            Form => assert!(
                route.starts_with("GET "),
                "{route}: only a page is a form's"
            ),
        }
    }
    assert!(
        missing.is_empty(),
        "API routes named that are no operation: {missing:?}"
    );
}

#[test]
fn the_route_reader_finds_wrapped_routes_and_every_method() {
    let routes = html_routes();
    // A route whose call rustfmt wraps, with two methods.
    assert!(routes.contains("GET /participants/{id}/follow-ups/{follow_up}"));
    assert!(routes.contains("POST /participants/{id}/follow-ups/{follow_up}"));
    // One of lib.rs, outside the features.
    assert!(routes.contains("GET /healthz"));
    assert!(!routes.iter().any(|r| r.contains("/api/v1")));
}
