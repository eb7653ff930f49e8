//! HTML handlers: parse the request, call palett-app, render a template.
//! No business rule lives here.

use crate::caller::{
    session_cookie_name, site_cookie, Caller, Visitor, LANG_COOKIE, PRE_SESSION_COOKIE,
};
use crate::error::status_of;
use crate::forms::FormData;
use crate::i18n::{Lang, Tr};
use crate::views::*;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use jiff::civil::Date;
use palett_app::filters::ParticipantFilter as Filter;
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::consent::ConsentMethod;
use palett_domain::followup::{IncomeSource, LabourStatus};
use palett_domain::lifecycle::{ExitOutcome, Status, Transition, TransitionKind};
use palett_domain::model::Participant;
use palett_domain::palette::PauseKind;
use palett_domain::policy::Role;
use palett_domain::values::{
    parse_choice, parse_date, EducationLevel, Gender, IdentityKind, OrganisationKind,
    ReferralSource, SwedishLevel,
};
use palett_domain::FieldErrors;

pub fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A whole error page in the visitor's language.
pub fn error_page(t: Tr, status: StatusCode, id: &str) -> Response {
    let v = Visitor {
        signed: None,
        lang: t.lang,
        ip: String::new(),
        is_api: false,
        secure: false,
        pre_session: None,
    };
    let title = t.get(&format!("{id}-title"));
    let page = ErrorPage {
        t,
        layout: Layout::for_visitor(&v, title, "/", String::new()),
        message: t.get(id),
    };
    (status, render(page)).into_response()
}

/// A numeric id from the path; anything else is treated as unknown (404).
pub(crate) fn id(raw: &str) -> Option<i64> {
    raw.parse().ok()
}

/// "Too many failed attempts; try again in N seconds."
pub(crate) fn throttled_message(t: Tr, retry_after_secs: i64) -> String {
    t.with(
        "error-throttled-wait",
        &[("seconds", retry_after_secs.max(1).to_string())],
    )
}

/// The `Retry-After` header on a throttled answer.
pub(crate) fn with_retry_after(mut resp: Response, retry_after_secs: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

pub(crate) fn app_error(c: &Caller, e: AppError) -> Response {
    if let AppError::Throttled { retry_after_secs } = e {
        let t = c.tr();
        let page = ErrorPage {
            t,
            layout: Layout::for_caller(c, t.get("error-throttled-title"), "", "/"),
            message: throttled_message(t, retry_after_secs),
        };
        return with_retry_after(
            (StatusCode::TOO_MANY_REQUESTS, render(page)).into_response(),
            retry_after_secs,
        );
    }
    let (status, id) = status_of(&e);
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let title = c.tr().get(&format!("{id}-title"));
    let page = ErrorPage {
        t: c.tr(),
        layout: Layout::for_caller(c, title, "", "/"),
        message: c.tr().get(id),
    };
    (status, render(page)).into_response()
}

pub(crate) fn options<T: Copy>(
    t: Tr,
    all: &[T],
    text: fn(T) -> &'static str,
    msg: fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (text(*v).to_string(), t.get(&msg(*v))))
        .collect()
}

pub(crate) fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The response with these cookies set on it.
fn with_cookies(resp: Response, cookies: impl IntoIterator<Item = Cookie<'static>>) -> Response {
    let jar = cookies.into_iter().fold(CookieJar::new(), CookieJar::add);
    (jar, resp).into_response()
}

// ---------------------------------------------------------------- sign-in

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

fn safe_next(n: &str) -> String {
    // Only our own paths: ids, letters, digits, '/', '-' and '_'. Anything
    // else (tabs, backslashes, '//' …) could lead a browser elsewhere.
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && n.len() <= 200
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-' || b == b'_');
    if ok {
        n.to_string()
    } else {
        "/".to_string()
    }
}

fn login_page(
    v: &Visitor,
    status: StatusCode,
    error: Option<String>,
    email: String,
    next: String,
) -> Response {
    // Double-submit token for the sign-in form.
    let pre = v
        .pre_session
        .clone()
        .filter(|p| p.len() == 64)
        .or_else(|| palett_app::auth::random_token().ok())
        .unwrap_or_default();
    let t = v.tr();
    let page = LoginPage {
        t,
        layout: Layout::for_visitor(v, t.get("sign-in-title"), "/login", pre.clone()),
        error,
        email,
        next,
    };
    with_cookies(
        (status, render(page)).into_response(),
        [site_cookie(PRE_SESSION_COOKIE, pre, 3600, v.secure, true)],
    )
}

pub async fn login_form(v: Visitor, Query(q): Query<NextQuery>) -> Response {
    if v.signed.is_some() {
        return Redirect::to("/").into_response();
    }
    login_page(
        &v,
        StatusCode::OK,
        None,
        String::new(),
        safe_next(q.next.as_deref().unwrap_or("/")),
    )
}

pub async fn login(State(s): State<AppState>, v: Visitor, form: FormData) -> Response {
    let t = v.tr();
    let email = form.get("email");
    let next = safe_next(&form.get("next"));
    match s
        .app
        .sign_in_with_code(&email, &form.get("password"), &form.get("code"), &v.ip)
        .await
    {
        Ok(session) => with_cookies(
            Redirect::to(&next).into_response(),
            [
                site_cookie(
                    session_cookie_name(v.secure),
                    session.cookie_value,
                    session.max_age_secs,
                    v.secure,
                    true,
                ),
                site_cookie(PRE_SESSION_COOKIE, String::new(), 0, v.secure, true),
            ],
        ),
        Err(AppError::Throttled { retry_after_secs }) => with_retry_after(
            login_page(
                &v,
                StatusCode::TOO_MANY_REQUESTS,
                Some(throttled_message(t, retry_after_secs)),
                email,
                next,
            ),
            retry_after_secs,
        ),
        Err(AppError::Unauthenticated) => login_page(
            &v,
            StatusCode::UNAUTHORIZED,
            Some(t.get("error-sign-in")),
            email,
            next,
        ),
        Err(AppError::SecondFactorNeeded) => login_page(
            &v,
            StatusCode::UNAUTHORIZED,
            Some(t.get("error-second-factor-sign-in")),
            email,
            next,
        ),
        Err(e) => {
            let (status, id) = status_of(&e);
            error_page(t, status, id)
        }
    }
}

pub async fn logout(State(s): State<AppState>, c: Caller) -> Response {
    if let crate::caller::Via::Session(value) = &c.via {
        if let Err(e) = s.app.sign_out(value, &c.signed, &c.visitor.ip).await {
            return app_error(&c, e);
        }
    }
    let secure = c.visitor.secure;
    with_cookies(
        Redirect::to("/login").into_response(),
        [site_cookie(
            session_cookie_name(secure),
            String::new(),
            0,
            secure,
            true,
        )],
    )
}

#[derive(serde::Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

pub async fn set_lang(
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<BackQuery>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Sv);
    // Not HttpOnly: only a language, nothing to protect from scripts.
    with_cookies(
        Redirect::to(&safe_next(q.back.as_deref().unwrap_or("/"))).into_response(),
        [site_cookie(
            LANG_COOKIE,
            lang.code().to_string(),
            31_536_000,
            v.secure,
            false,
        )],
    )
}

// ---------------------------------------------------------------- start

pub async fn start(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let o = match s.app.overview(&c.ctx()).await {
        Ok(o) => o,
        Err(e) => return app_error(&c, e),
    };
    let projects = o
        .projects
        .iter()
        .map(|(p, sum)| {
            let (goal_status, goal_class) = match sum.meets_job_or_studies_target() {
                Some(true) => (t.get("goal-met"), "met"),
                Some(false) => (t.get("goal-below"), "below"),
                None => (String::new(), ""),
            };
            let enrolled_pct = sum.enrolled_of_target.map(|v| t.percent(v));
            ProjectCard {
                id: p.id,
                name: p.name.clone(),
                funder: p.funder.clone(),
                period: format!("{} – {}", p.start_date, p.end_date),
                enrolled: sum.enrolled,
                target: sum.participant_target,
                bar_label: t.with(
                    "bar-label",
                    &[
                        ("enrolled", sum.enrolled.to_string()),
                        ("target", sum.participant_target.unwrap_or(0).to_string()),
                        ("percent", enrolled_pct.clone().unwrap_or_default()),
                    ],
                ),
                enrolled_pct,
                ended: sum.ended,
                to_job: sum.ended_to_job_or_studies,
                share: sum.share_to_job_or_studies.map(|v| t.percent(v)),
                goal: sum
                    .job_or_studies_target
                    .map(|g| format!("≥ {}", t.percent(g))),
                goal_status,
                goal_class,
                active: sum.active,
                bar_width: sum
                    .enrolled_of_target
                    .map(|v| v.round().clamp(0.0, 100.0) as i64)
                    .unwrap_or(0),
            }
        })
        .collect();
    render(StartPage {
        t,
        layout: Layout::for_caller(&c, t.get("nav-start"), "start", "/"),
        partnership: o.partnership.name,
        vision: o.partnership.vision,
        projects,
    })
}

// ---------------------------------------------------------------- participants

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    organisation: Option<String>,
    project: Option<String>,
    caseworker: Option<String>,
    page: Option<String>,
}

fn id_of(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|v| v.trim().parse().ok())
}

/// Choices the participant forms and filters offer, in one place.
pub(crate) struct Choices {
    pub(crate) organisations: Vec<(String, String)>,
    pub(crate) projects: Vec<(String, String)>,
    pub(crate) caseworkers: Vec<(String, String)>,
}

pub(crate) async fn choices(s: &AppState, c: &Caller) -> Result<Choices, AppError> {
    let ctx = c.ctx();
    let organisations = s
        .app
        .memberships(&ctx)
        .await?
        .into_iter()
        .map(|m| (m.organisation_id.to_string(), m.organisation_name))
        .fold(Vec::<(String, String)>::new(), |mut acc, o| {
            if !acc.iter().any(|a| a.0 == o.0) {
                acc.push(o);
            }
            acc
        });
    let projects = s
        .app
        .projects(&ctx)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let caseworkers = s
        .app
        .staff(&ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|(u, roles)| {
            u.active && (roles.contains(&Role::Caseworker) || roles.contains(&Role::Coordinator))
        })
        .map(|(u, _)| {
            (
                u.id.to_string(),
                format!("{} ({})", u.display_name, u.organisation_name),
            )
        })
        .collect();
    Ok(Choices {
        organisations,
        projects,
        caseworkers,
    })
}

/// The list, unfiltered or filtered by ids and status (GET: nothing
/// personal in the URL).
pub async fn participants(
    State(s): State<AppState>,
    c: Caller,
    Query(mut q): Query<ListQuery>,
) -> Response {
    // A name never travels in a URL: name searches are POSTed.
    q.q = None;
    participants_page(&s, &c, q, false).await
}

/// A search including the name, sent in the body (POST, with CSRF).
pub async fn participants_search(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let some = |k: &str| Some(form.get(k)).filter(|v| !v.is_empty());
    let q = ListQuery {
        q: some("q"),
        status: some("status"),
        organisation: some("organisation"),
        project: some("project"),
        caseworker: some("caseworker"),
        page: some("page"),
    };
    participants_page(&s, &c, q, true).await
}

async fn participants_page(s: &AppState, c: &Caller, q: ListQuery, posted: bool) -> Response {
    let t = c.tr();
    let filter = Filter {
        name: q
            .q
            .clone()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.chars().take(100).collect()),
        status: q.status.as_deref().and_then(Status::parse),
        organisation_id: id_of(&q.organisation),
        project_id: id_of(&q.project),
        caseworker_id: id_of(&q.caseworker),
        identity_hash: None,
        slice: None,
    };
    let page = Page::new(id_of(&q.page), Some(25));
    let (items, total) = match s.app.participants(&c.ctx(), &filter, page).await {
        Ok(r) => r,
        Err(e) => return app_error(c, e),
    };
    let ch = match choices(s, c).await {
        Ok(ch) => ch,
        Err(e) => return app_error(c, e),
    };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let query = [
        ("status", v(&q.status)),
        ("organisation", v(&q.organisation)),
        ("project", v(&q.project)),
        ("caseworker", v(&q.caseworker)),
    ];
    let mut hidden: Vec<(String, String)> = query
        .iter()
        .filter(|(_, val)| !val.is_empty())
        .map(|(k, val)| (k.to_string(), val.clone()))
        .collect();
    if posted {
        hidden.push(("q".into(), v(&q.q)));
    }
    let pages = page.count(total);
    render(ParticipantsPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("nav-participants"),
            "participants",
            "/participants",
        ),
        q: v(&q.q),
        status: query[0].1.clone(),
        organisation: query[1].1.clone(),
        project: query[2].1.clone(),
        caseworker: query[3].1.clone(),
        may_break_glass: c.signed.actor.can_break_the_glass(),
        statuses: options(t, Status::ALL, Status::as_str, Status::message_id),
        organisations: ch.organisations,
        projects: ch.projects,
        caseworkers: ch.caseworkers,
        count_text: t.with("participants-count", &[("count", total.to_string())]),
        rows: items
            .into_iter()
            .map(|i| ListRow {
                id: i.id,
                name: format!("{} {}", i.given_name, i.family_name),
                birth_year: i.birth_year,
                status: t.get(&i.status.message_id()),
                organisation: i.responsible_organisation_name,
                intake: date_text(i.intake_date),
                exit: date_text(i.exit_date),
            })
            .collect(),
        pager: Pager::new(t, "/participants", &query, page.number, pages),
        posted,
        hidden,
        prev_page: (page.number > 1).then(|| page.number - 1),
        next_page: (page.number < pages).then(|| page.number + 1),
    })
}

fn participant_fields(
    t: Tr,
    ch: &Choices,
    with_intake: bool,
    with_restricted: bool,
) -> Vec<FieldView> {
    let mut f = vec![
        FieldView::new(t, "given_name", "field-given-name", "text")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "family_name", "field-family-name", "text")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "identity_kind", "field-identity-kind", "select")
            .required()
            .options(options(
                t,
                IdentityKind::ALL,
                IdentityKind::as_str,
                IdentityKind::message_id,
            )),
        FieldView::new(t, "identity_number", "field-identity-number", "text")
            .hint(t, "hint-identity-number")
            .autocomplete("off"),
        FieldView::new(t, "birth_date", "field-birth-date", "date").hint(t, "hint-birth-date"),
        FieldView::new(t, "gender", "field-gender", "select")
            .required()
            .options(options(t, Gender::ALL, Gender::as_str, Gender::message_id)),
        FieldView::new(t, "country_of_birth", "field-country-of-birth", "text"),
        FieldView::new(t, "arrival_year", "field-arrival-year", "number"),
        FieldView::new(t, "languages", "field-languages", "text").hint(t, "hint-languages"),
        FieldView::new(
            t,
            "interpreter_needed",
            "field-interpreter-needed",
            "checkbox",
        ),
        FieldView::new(t, "phone", "field-phone", "text").autocomplete("off"),
        FieldView::new(t, "email", "field-email", "email").autocomplete("off"),
        FieldView::new(t, "address", "field-address", "textarea"),
        FieldView::new(t, "education_level", "field-education-level", "select").options(options(
            t,
            EducationLevel::ALL,
            EducationLevel::as_str,
            EducationLevel::message_id,
        )),
        FieldView::new(t, "labour_status", "field-labour-status", "select").options(options(
            t,
            LabourStatus::ALL,
            LabourStatus::as_str,
            LabourStatus::message_id,
        )),
        FieldView::new(t, "income_source", "field-income-source", "select").options(options(
            t,
            IncomeSource::ALL,
            IncomeSource::as_str,
            IncomeSource::message_id,
        )),
        FieldView::new(t, "months_on_support", "field-months-on-support", "number")
            .hint(t, "hint-months-on-support"),
        FieldView::new(t, "swedish_level", "field-swedish-level", "select").options(options(
            t,
            SwedishLevel::ALL,
            SwedishLevel::as_str,
            SwedishLevel::message_id,
        )),
        FieldView::new(t, "referral_source", "field-referral-source", "select")
            .required()
            .options(options(
                t,
                ReferralSource::ALL,
                ReferralSource::as_str,
                ReferralSource::message_id,
            )),
        FieldView::new(
            t,
            "responsible_organisation_id",
            "field-responsible-organisation",
            "select",
        )
        .required()
        .options(ch.organisations.clone()),
        FieldView::new(t, "caseworker_ids", "field-caseworkers", "multi")
            .options(ch.caseworkers.clone()),
        FieldView::new(t, "project_ids", "field-projects", "multi").options(ch.projects.clone()),
        FieldView::new(t, "referred_on", "field-referred-on", "date").hint(t, "hint-referred-on"),
    ];
    if with_restricted {
        f.push(
            FieldView::new(t, "health_notes", "field-health-notes", "textarea")
                .hint(t, "hint-restricted"),
        );
        f.push(
            FieldView::new(t, "support_needs", "field-support-needs", "textarea")
                .hint(t, "hint-restricted"),
        );
        f.push(FieldView::new(
            t,
            "protected_identity",
            "field-protected-identity",
            "checkbox",
        ));
    }
    if !with_intake {
        // An edit does not move the responsibility for her: a handover does.
        f = f
            .into_iter()
            .map(|v| {
                if v.name == "responsible_organisation_id" {
                    v.hint(t, "hint-responsible-handover")
                } else {
                    v
                }
            })
            .collect();
    }
    if with_intake {
        f.push(
            FieldView::new(t, "intake_date", "field-intake-date", "date")
                .hint(t, "hint-intake-date"),
        );
        f.push(
            FieldView::new(
                t,
                "sharing_organisation_ids",
                "field-sharing-at-intake",
                "multi",
            )
            .options(ch.organisations.clone())
            .hint(t, "hint-sharing-at-intake"),
        );
        f.push(
            FieldView::new(t, "consent_method", "field-consent-method", "select").options(options(
                t,
                &[ConsentMethod::SignedPaper, ConsentMethod::Digital],
                ConsentMethod::as_str,
                ConsentMethod::message_id,
            )),
        );
    }
    f
}

fn intake_spec(t: Tr, ch: &Choices) -> FormSpec {
    FormSpec {
        title: t.get("intake-title"),
        section: "intake",
        path: "/participants/new".into(),
        fields: participant_fields(t, ch, true, true),
        submit: t.get("intake-submit"),
        cancel: "/participants".into(),
        intro: Some(t.get("intake-intro")),
        existing: None,
    }
}

fn edit_spec(t: Tr, ch: &Choices, id: i64, restricted: bool) -> FormSpec {
    FormSpec {
        title: t.get("edit-title"),
        section: "participants",
        path: format!("/participants/{id}/edit"),
        fields: participant_fields(t, ch, false, restricted),
        submit: t.get("save"),
        cancel: format!("/participants/{id}"),
        intro: None,
        existing: None,
    }
}

fn transition_spec(t: Tr, id: i64, kind: TransitionKind, title: String) -> FormSpec {
    FormSpec {
        title,
        section: "participants",
        path: format!("/participants/{id}/status/{}", kind.as_str()),
        fields: transition_fields(t, kind),
        submit: t.get("save"),
        cancel: format!("/participants/{id}"),
        intro: None,
        existing: None,
    }
}

/// A form of the administration pages.
pub(crate) fn admin_spec(
    t: Tr,
    title: String,
    section: &'static str,
    path: String,
    fields: Vec<FieldView>,
    cancel: &str,
) -> FormSpec {
    FormSpec {
        title,
        section,
        path,
        fields,
        submit: t.get("save"),
        cancel: cancel.into(),
        intro: None,
        existing: None,
    }
}

fn membership_spec(t: Tr, orgs: Vec<(String, String)>) -> FormSpec {
    let fields = membership_fields(t, orgs);
    admin_spec(
        t,
        t.get("membership-new"),
        "partners",
        "/admin/memberships/new".into(),
        fields,
        "/partners",
    )
}

fn end_spec(t: Tr, membership_id: i64, title: String) -> FormSpec {
    let path = format!("/admin/memberships/{membership_id}/end");
    admin_spec(t, title, "partners", path, end_fields(t), "/partners")
}

fn project_spec(t: Tr) -> FormSpec {
    admin_spec(
        t,
        t.get("project-new"),
        "projects",
        "/projects/new".into(),
        project_fields(t),
        "/projects",
    )
}

fn user_spec(t: Tr, orgs: Vec<(String, String)>) -> FormSpec {
    let fields = user_fields(t, orgs);
    admin_spec(
        t,
        t.get("user-new"),
        "admin",
        "/admin/users/new".into(),
        fields,
        "/admin/users",
    )
}

fn roles_spec(t: Tr, user_id: i64, title: String) -> FormSpec {
    let roles = options(t, Role::ALL, Role::as_str, Role::message_id);
    let fields = vec![FieldView::new(t, "roles", "field-roles", "multi").options(roles)];
    let path = format!("/admin/users/{user_id}/roles");
    admin_spec(t, title, "admin", path, fields, "/admin/users")
}

fn org_spec(t: Tr) -> FormSpec {
    let path = "/admin/organisations/new".into();
    admin_spec(
        t,
        t.get("organisation-new"),
        "admin",
        path,
        org_fields(t),
        "/admin/users",
    )
}

/// A simple form page: what it shows, where it posts, where Cancel goes.
pub(crate) struct FormSpec {
    pub(crate) title: String,
    pub(crate) section: &'static str,
    pub(crate) path: String,
    pub(crate) fields: Vec<FieldView>,
    pub(crate) submit: String,
    pub(crate) cancel: String,
    pub(crate) intro: Option<String>,
    /// Where an error pointing to an existing record links: this text
    /// followed by the record's id.
    pub(crate) existing: Option<String>,
}

impl FormSpec {
    /// Render with the submitted (or default) values and their errors.
    pub(crate) fn show(
        self,
        c: &Caller,
        status: StatusCode,
        form: &FormData,
        errors: &FieldErrors,
    ) -> Response {
        let t = c.tr();
        let mut fields = self.fields;
        fill(t, &mut fields, form, errors, self.existing.as_deref());
        let summary = summary(t, &fields, errors);
        let hidden = form
            .0
            .iter()
            .filter(|(k, _)| k == "version")
            .cloned()
            .collect();
        let page = FormPage {
            t,
            layout: Layout::for_caller(c, self.title, self.section, &self.path),
            intro: self.intro,
            errors: summary,
            action: self.path,
            hidden,
            fields,
            submit: self.submit,
            cancel: self.cancel,
        };
        (status, render(page)).into_response()
    }
}

pub async fn intake_form(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    if !c.signed.actor.can_register_participants() {
        return app_error(&c, AppError::Forbidden);
    }
    let ch = match choices(&s, &c).await {
        Ok(ch) => ch,
        Err(e) => return app_error(&c, e),
    };
    // Sensible defaults: her own organisation, today as intake.
    let today = s.app.today().to_string();
    let form = FormData(vec![
        ("identity_kind".into(), "personnummer".into()),
        ("gender".into(), "woman".into()),
        (
            "responsible_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
        ("referred_on".into(), today.clone()),
        ("intake_date".into(), today),
    ]);
    intake_spec(t, &ch).show(&c, StatusCode::OK, &form, &FieldErrors::new())
}

pub async fn intake(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    match s
        .app
        .register_participant(&c.ctx(), &form.participant())
        .await
    {
        Ok(id) => Redirect::to(&format!("/participants/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let ch = match choices(&s, &c).await {
                Ok(ch) => ch,
                Err(e) => return app_error(&c, e),
            };
            intake_spec(t, &ch).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

fn profile_rows(
    t: Tr,
    p: &Participant,
    projects: &[palett_app::participants::ProjectTaken],
) -> Vec<(String, String)> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
    let identity = match (&p.identity_number, p.identity_kind) {
        (Some(n), _) if n.len() == 12 => format!("{}-{}", &n[..8], &n[8..]),
        _ => t.get(&p.identity_kind.message_id()),
    };
    let mut rows = vec![
        (t.get("field-identity-number"), identity),
        (t.get("field-birth-date"), p.birth_date.to_string()),
        (t.get("field-gender"), t.get(&p.gender.message_id())),
        (t.get("field-country-of-birth"), opt(&p.country_of_birth)),
        (
            t.get("field-arrival-year"),
            p.arrival_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "–".into()),
        ),
        (
            t.get("field-languages"),
            if p.languages.is_empty() {
                "–".into()
            } else {
                p.languages.join(", ")
            },
        ),
        (
            t.get("field-interpreter-needed"),
            t.get(if p.interpreter_needed { "yes" } else { "no" }),
        ),
        (t.get("field-phone"), opt(&p.phone)),
        (t.get("field-email"), opt(&p.email)),
        (t.get("field-address"), opt(&p.address)),
        (
            t.get("field-education-level"),
            t.get(&p.education_level.message_id()),
        ),
        (
            t.get("field-swedish-level"),
            t.get(&p.swedish_level.message_id()),
        ),
        (
            t.get("field-referral-source"),
            t.get(&p.referral_source.message_id()),
        ),
        (
            t.get("field-responsible-organisation"),
            p.responsible_organisation_name.clone(),
        ),
        (
            t.get("field-projects"),
            if projects.is_empty() {
                t.get("ordinary-operations")
            } else {
                projects
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (t.get("field-referred-on"), p.referred_on.to_string()),
        (t.get("field-intake-date"), date_text(p.intake_date)),
        (t.get("field-exit-date"), date_text(p.exit_date)),
        (
            t.get("field-exit-outcome"),
            p.exit_outcome
                .map(|o| t.get(&o.message_id()))
                .unwrap_or_default(),
        ),
    ];
    match &p.restricted {
        Some(r) => {
            rows.push((t.get("field-health-notes"), opt(&r.health_notes)));
            rows.push((t.get("field-support-needs"), opt(&r.support_needs)));
            rows.push((
                t.get("field-protected-identity"),
                t.get(if r.protected_identity { "yes" } else { "no" }),
            ));
        }
        None => rows.push((t.get("restricted-group"), t.get("restricted-hidden"))),
    }
    rows
}

pub async fn participant(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let t = c.tr();
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    let o = match s.app.participant_overview(&c.ctx(), id).await {
        Ok(o) => o,
        Err(e) => return app_error(&c, e),
    };
    let v = &o.view;
    let p = &v.participant;
    let mut actions = Vec::new();
    if v.may_hand_over {
        actions.push((
            format!("/participants/{id}/handover"),
            t.get("handover-title"),
        ));
    }
    if v.may_change {
        actions.push((format!("/participants/{id}/edit"), t.get("action-edit")));
        for k in p.lifecycle().possible() {
            if *k == TransitionKind::Reopen && !v.may_reopen {
                continue;
            }
            actions.push((
                format!("/participants/{id}/status/{}", k.as_str()),
                t.get(&format!("action-{}", k.as_str())),
            ));
        }
    }
    let status_detail = match (p.status, p.exit_outcome) {
        (Status::Ended, Some(o)) => t.get(&o.message_id()),
        _ => String::new(),
    };
    let (enrolments, period, timeline) = (&o.enrolments, &o.period, o.timeline.clone());
    let consents = crate::consent_pages::lines(t, &o.consents, v.may_change);
    let plan_goals: Vec<(String, String)> = o
        .current_plan
        .as_ref()
        .map(|p| {
            p.goals
                .iter()
                .map(|g| {
                    let category = palett_domain::plan::GoalCategory::parse(&g.category)
                        .map(|c| t.get(&c.message_id()))
                        .unwrap_or_default();
                    (category, g.text.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let plan_versions = t.with(
        "plan-versions-count",
        &[("count", o.plan_versions.to_string())],
    );
    let mut path_links = vec![(format!("/participants/{id}/plan"), t.get("plan-title"))];
    if v.may_change {
        path_links.push((format!("/participants/{id}/enrolments/new"), t.get("enrol")));
        path_links.push((
            format!("/participants/{id}/activities/new"),
            t.get("activity-new"),
        ));
        path_links.push((format!("/participants/{id}/period"), t.get("period-change")));
    }
    path_links.push((format!("/participants/{id}/time"), t.get("time-summary")));
    path_links.push((
        format!("/participants/{id}/self-assessments"),
        t.get("self-assessments"),
    ));
    if v.participant.exit_date.is_some() {
        path_links.push((
            format!("/participants/{id}/follow-ups"),
            t.get("follow-ups"),
        ));
    }
    if v.may_change {
        path_links.push((format!("/participants/{id}/export"), t.get("export-link")));
    }
    let dash = || "–".to_string();
    let period_rows = vec![
        (t.get("field-intake-date"), date_text(period.intake)),
        (
            t.get("field-planned-end"),
            period
                .planned_end
                .map(|d| d.to_string())
                .unwrap_or_else(dash),
        ),
        (t.get("period-net-days"), period.net_days.to_string()),
        (t.get("period-paused-days"), period.paused_days.to_string()),
        (
            t.get("period-remaining-days"),
            match period.remaining_days {
                Some(d) if d < 0 => t.with("period-overdue", &[("days", (-d).to_string())]),
                Some(d) => d.to_string(),
                None => dash(),
            },
        ),
    ];
    let tz = palett_app::clock::stockholm();
    let notes = o
        .notes
        .iter()
        .map(|n| {
            (
                n.created_at
                    .to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
                n.author.clone(),
                n.organisation.clone(),
                t.get(&format!("note-{}", n.visibility.replace('_', "-"))),
                n.body.clone(),
            )
        })
        .collect();
    render(ParticipantPage {
        restriction: v.participant.processing_restricted.clone(),
        restriction_action: v
            .may_change
            .then(|| format!("/participants/{id}/restriction")),
        archive_hold: v.participant.archive_hold,
        archive_hold_action: v
            .may_change
            .then(|| format!("/participants/{id}/archive-hold")),
        notes,
        note_action: c
            .signed
            .actor
            .can_add_note(v.relation)
            .then(|| format!("/participants/{id}/notes")),
        emergency: !c.signed.actor.in_scope(v.relation),
        consents,
        consent_new: v
            .may_change
            .then(|| format!("/participants/{id}/consents/new")),
        plan_goals,
        plan_versions,
        path_links,
        period: period_rows,
        enrolments: enrolments
            .iter()
            .map(|e| EnrolmentLine {
                intervention: e.intervention_name.clone(),
                href: format!("/palette/{}", e.intervention_id),
                status: t.get(&e.status.message_id()),
                group: e.group_name.clone().unwrap_or_default(),
                dates: format!("{} – {}", date_text(e.start_date), date_text(e.end_date)),
                change: (!e.status.next().is_empty())
                    .then(|| format!("/enrolments/{}/status", e.id)),
            })
            .collect(),
        timeline: timeline
            .into_iter()
            .map(|i| {
                let text = match &i.change {
                    Some((before, after)) => {
                        format!("{}: {} → {}", i.text, t.get(before), t.get(after))
                    }
                    None => i.text,
                };
                (i.on.to_string(), t.get(&i.kind), text)
            })
            .collect(),
        t,
        layout: Layout::for_caller(
            &c,
            p.full_name(),
            "participants",
            &format!("/participants/{id}"),
        ),
        status: t.get(&p.status.message_id()),
        status_detail,
        actions,
        profile: profile_rows(t, p, &v.projects),
        staff: v
            .caseworkers
            .iter()
            .map(|c| (c.name.clone(), c.organisation.clone()))
            .collect(),
        history: history_rows(t, v),
    })
}

/// Her status history and the moves of the responsibility for her, in the
/// order they were recorded.
fn history_rows(t: Tr, v: &palett_app::participants::ParticipantView) -> Vec<HistoryRow> {
    let mut rows: Vec<(jiff::Timestamp, HistoryRow)> = v
        .history
        .iter()
        .map(|h| {
            (
                h.at,
                HistoryRow {
                    on: h.on_date.to_string(),
                    kind: t.get(&h.kind.message_id()),
                    status: t.get(&h.to_status.message_id()),
                    reason: h
                        .reason
                        .clone()
                        .or(h.exit_outcome.map(|o| t.get(&o.message_id())))
                        .unwrap_or_default(),
                    actor: h.actor_name.clone(),
                },
            )
        })
        .collect();
    rows.extend(v.handovers.iter().map(|h| {
        (
            h.at,
            HistoryRow {
                on: h.on_date.to_string(),
                kind: t.with(
                    "handover-event",
                    &[
                        ("from", h.from_organisation_name.clone()),
                        ("to", h.to_organisation_name.clone()),
                    ],
                ),
                status: String::new(),
                reason: h.reason.clone(),
                actor: h.actor_name.clone(),
            },
        )
    }));
    // Stable: rows recorded in the same second keep their kind's order.
    rows.sort_by_key(|(at, _)| *at);
    rows.into_iter().map(|(_, r)| r).collect()
}

pub async fn edit_form(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let t = c.tr();
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    let (input, version, restricted) = match s.app.participant_form(&c.ctx(), id).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let ch = match choices(&s, &c).await {
        Ok(ch) => ch,
        Err(e) => return app_error(&c, e),
    };
    let mut pairs = vec![
        ("given_name", input.given_name),
        ("family_name", input.family_name),
        ("identity_kind", input.identity_kind),
        ("identity_number", input.identity_number),
        ("birth_date", input.birth_date),
        ("gender", input.gender),
        ("country_of_birth", input.country_of_birth),
        ("arrival_year", input.arrival_year),
        ("languages", input.languages),
        ("interpreter_needed", input.interpreter_needed),
        ("phone", input.phone),
        ("email", input.email),
        ("address", input.address),
        ("education_level", input.education_level),
        ("labour_status", input.labour_status),
        ("income_source", input.income_source),
        ("months_on_support", input.months_on_support),
        ("swedish_level", input.swedish_level),
        ("referral_source", input.referral_source),
        (
            "responsible_organisation_id",
            input.responsible_organisation_id,
        ),
        ("referred_on", input.referred_on),
        ("version", version.to_string()),
        ("health_notes", input.health_notes),
        ("support_needs", input.support_needs),
        ("protected_identity", input.protected_identity),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect::<Vec<_>>();
    pairs.extend(
        input
            .caseworker_ids
            .into_iter()
            .map(|v| ("caseworker_ids".to_string(), v)),
    );
    pairs.extend(
        input
            .project_ids
            .into_iter()
            .map(|v| ("project_ids".to_string(), v)),
    );
    edit_spec(t, &ch, id, restricted).show(
        &c,
        StatusCode::OK,
        &FormData(pairs),
        &FieldErrors::new(),
    )
}

pub async fn edit(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let t = c.tr();
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    let version = form.get("version").parse::<i64>().ok();
    let errors = match s
        .app
        .update_participant(&c.ctx(), id, version, &form.participant())
        .await
    {
        Ok(()) => return Redirect::to(&format!("/participants/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Stale) => FieldErrors::single("version", "error-stale"),
        Err(e) => return app_error(&c, e),
    };
    let ch = match choices(&s, &c).await {
        Ok(ch) => ch,
        Err(e) => return app_error(&c, e),
    };
    // The form carried the restricted fields only if she may see them.
    let restricted = form.0.iter().any(|(k, _)| k == "health_notes");
    edit_spec(t, &ch, id, restricted).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
}

fn transition_fields(t: Tr, kind: TransitionKind) -> Vec<FieldView> {
    match kind {
        TransitionKind::Intake => {
            vec![FieldView::new(t, "intake_date", "field-intake-date", "date").required()]
        }
        TransitionKind::Exit => vec![
            FieldView::new(t, "exit_date", "field-exit-date", "date").required(),
            FieldView::new(t, "exit_outcome", "field-exit-outcome", "select")
                .required()
                .options(options(
                    t,
                    ExitOutcome::ALL,
                    ExitOutcome::as_str,
                    ExitOutcome::message_id,
                ))
                .hint(t, "hint-exit-outcome"),
        ],
        TransitionKind::Pause => vec![
            FieldView::new(t, "date", "field-date", "date").required(),
            FieldView::new(t, "pause_kind", "field-pause-kind", "select")
                .required()
                .options(options(
                    t,
                    PauseKind::ALL,
                    PauseKind::as_str,
                    PauseKind::message_id,
                )),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        TransitionKind::Reopen => vec![
            FieldView::new(t, "date", "field-date", "date").required(),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        _ => vec![FieldView::new(t, "date", "field-date", "date").required()],
    }
}

/// Parse a transition form (shared with the JSON API).
pub fn parse_transition(kind: TransitionKind, form: &FormData) -> Result<Transition, FieldErrors> {
    let mut e = FieldErrors::new();
    let date_field = match kind {
        TransitionKind::Intake => "intake_date",
        TransitionKind::Exit => "exit_date",
        _ => "date",
    };
    let on = e.take(date_field, parse_date(&form.get(date_field)));
    let outcome = if kind == TransitionKind::Exit {
        e.take(
            "exit_outcome",
            parse_choice(&form.get("exit_outcome"), ExitOutcome::parse),
        )
    } else {
        None
    };
    let pause_kind = if kind == TransitionKind::Pause {
        e.take(
            "pause_kind",
            parse_choice(&form.get("pause_kind"), PauseKind::parse),
        )
    } else {
        None
    };
    // The reason a pause or a reopening needs, through the one text parser.
    let reason = if matches!(kind, TransitionKind::Pause | TransitionKind::Reopen) {
        e.take(
            "reason",
            palett_domain::values::required_text(
                &form.get("reason"),
                palett_domain::values::TextKind::LINES,
            ),
        )
        .unwrap_or_default()
    } else {
        String::new()
    };
    let Some(on) = on else { return Err(e) };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(match kind {
        TransitionKind::Intake => Transition::Intake { on },
        TransitionKind::Start => Transition::Start { on },
        TransitionKind::Pause => match pause_kind {
            Some(kind) => Transition::Pause { on, kind, reason },
            None => return Err(e),
        },
        TransitionKind::Resume => Transition::Resume { on },
        TransitionKind::Exit => match outcome {
            Some(outcome) => Transition::Exit { on, outcome },
            None => return Err(e),
        },
        TransitionKind::Reopen => Transition::Reopen { on, reason },
        TransitionKind::Referral => return Err(FieldErrors::single("kind", "error-choice")),
    })
}

pub async fn transition_form(
    State(s): State<AppState>,
    c: Caller,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    let t = c.tr();
    let (Ok(id), Some(kind)) = (
        id.parse::<i64>(),
        TransitionKind::parse(&kind).filter(|k| *k != TransitionKind::Referral),
    ) else {
        return app_error(&c, AppError::NotFound);
    };
    let v = match s.app.participant(&c.ctx(), id).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    let date_field = if kind == TransitionKind::Exit {
        "exit_date"
    } else if kind == TransitionKind::Intake {
        "intake_date"
    } else {
        "date"
    };
    let form = FormData(vec![(date_field.into(), s.app.today().to_string())]);
    let title = format!(
        "{}: {}",
        t.get(&format!("action-{}", kind.as_str())),
        v.participant.full_name()
    );
    transition_spec(t, id, kind, title).show(&c, StatusCode::OK, &form, &FieldErrors::new())
}

pub async fn transition(
    State(s): State<AppState>,
    c: Caller,
    Path((id, kind)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let t = c.tr();
    let (Ok(id), Some(kind)) = (
        id.parse::<i64>(),
        TransitionKind::parse(&kind).filter(|k| *k != TransitionKind::Referral),
    ) else {
        return app_error(&c, AppError::NotFound);
    };
    let result = match parse_transition(kind, &form) {
        Ok(tr) => s.app.transition(&c.ctx(), id, tr).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/participants/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let title = t.get(&format!("action-{}", kind.as_str()));
            transition_spec(t, id, kind, title).show(
                &c,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &errors,
            )
        }
        Err(e) => app_error(&c, e),
    }
}

/// The organisations she can be handed over to: members today, other than
/// the one responsible for her.
async fn handover_spec(
    s: &AppState,
    c: &Caller,
    id: i64,
    responsible: i64,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let today = s.app.today();
    let mut organisations: Vec<(String, String)> = Vec::new();
    for m in s.app.memberships(&c.ctx()).await? {
        let current = m.joined_on <= today && m.left_on.is_none_or(|l| today <= l);
        let key = m.organisation_id.to_string();
        if current
            && m.organisation_id != responsible
            && !organisations.iter().any(|(k, _)| *k == key)
        {
            organisations.push((key, m.organisation_name));
        }
    }
    Ok(FormSpec {
        title: t.get("handover-title"),
        section: "participants",
        path: format!("/participants/{id}/handover"),
        fields: vec![
            FieldView::new(t, "organisation_id", "field-handover-to", "select")
                .required()
                .options(organisations),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        submit: t.get("handover-submit"),
        cancel: format!("/participants/{id}"),
        intro: Some(t.get("handover-intro")),
        existing: None,
    })
}

/// `GET /participants/{id}/handover`: the form to move the responsibility
/// for her (the giving organisation's coordinators).
pub async fn handover_form(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    let v = match s.app.participant(&c.ctx(), id).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    if !v.may_hand_over {
        return app_error(&c, AppError::Forbidden);
    }
    let form = FormData(vec![("version".into(), v.participant.version.to_string())]);
    match handover_spec(&s, &c, id, v.participant.responsible_organisation_id).await {
        Ok(spec) => spec.show(&c, StatusCode::OK, &form, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn handover(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    let version = form.get("version").parse::<i64>().ok();
    let errors = match s
        .app
        .hand_over(
            &c.ctx(),
            id,
            version,
            &form.get("organisation_id"),
            &form.get("reason"),
        )
        .await
    {
        // Back to her record, or to the list when it is no longer hers to see.
        Ok((_, true)) => return Redirect::to(&format!("/participants/{id}")).into_response(),
        Ok((_, false)) => return Redirect::to("/participants").into_response(),
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Stale) => FieldErrors::single("version", "error-stale"),
        Err(e) => return app_error(&c, e),
    };
    let responsible = match s.app.participant(&c.ctx(), id).await {
        Ok(v) => v.participant.responsible_organisation_id,
        Err(e) => return app_error(&c, e),
    };
    match handover_spec(&s, &c, id, responsible).await {
        Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- partners, projects

pub async fn partners(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let ms = match s.app.memberships(&c.ctx()).await {
        Ok(m) => m,
        Err(e) => return app_error(&c, e),
    };
    let admin = c.signed.actor.can_administer();
    let mut page = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-partners"), "partners", "/partners"),
    );
    page.intro = Some(t.get("partners-intro"));
    if admin {
        page.links
            .push(("/admin/memberships/new".into(), t.get("membership-new")));
    }
    let mut head = vec![
        t.get("field-organisation"),
        t.get("field-kind"),
        t.get("field-joined-on"),
        t.get("field-left-on"),
        t.get("field-responsibility-areas"),
    ];
    if admin {
        head.push(t.get("actions"));
    }
    page.tables.push(Table {
        heading: None,
        head,
        rows: ms
            .into_iter()
            .map(|m| {
                let mut row = vec![
                    Cell::text(m.organisation_name),
                    Cell::text(t.get(&m.organisation_kind.message_id())),
                    Cell::text(m.joined_on.to_string()),
                    Cell::text(
                        m.left_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| t.get("ongoing")),
                    ),
                    Cell::text(m.responsibility_areas.join("; ")),
                ];
                if admin {
                    row.push(if m.left_on.is_none() {
                        Cell::link(
                            t.get("membership-end"),
                            format!("/admin/memberships/{}/end", m.id),
                        )
                    } else {
                        Cell::text("")
                    });
                }
                row
            })
            .collect(),
    });
    render(page)
}

fn membership_fields(t: Tr, orgs: Vec<(String, String)>) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "organisation_id", "field-organisation", "select")
            .required()
            .options(orgs),
        FieldView::new(t, "joined_on", "field-joined-on", "date").required(),
        FieldView::new(t, "left_on", "field-left-on", "date"),
        FieldView::new(
            t,
            "responsibility_areas",
            "field-responsibility-areas",
            "textarea",
        )
        .hint(t, "hint-one-per-line"),
    ]
}

async fn all_org_choices(s: &AppState, c: &Caller) -> Result<Vec<(String, String)>, AppError> {
    Ok(s.app
        .organisations(&c.ctx())
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

pub async fn membership_form(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    match all_org_choices(&s, &c).await {
        Ok(orgs) => membership_spec(t, orgs).show(
            &c,
            StatusCode::OK,
            &FormData::default(),
            &FieldErrors::new(),
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn membership_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    let input = palett_app::admin::MembershipInput {
        organisation_id: form.get("organisation_id"),
        joined_on: form.get("joined_on"),
        left_on: form.get("left_on"),
        responsibility_areas: form.get("responsibility_areas"),
    };
    match s.app.add_membership(&c.ctx(), &input).await {
        Ok(_) => Redirect::to("/partners").into_response(),
        Err(AppError::Invalid(errors)) => match all_org_choices(&s, &c).await {
            Ok(orgs) => {
                membership_spec(t, orgs).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
            }
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

fn end_fields(t: Tr) -> Vec<FieldView> {
    vec![FieldView::new(t, "left_on", "field-left-on", "date").required()]
}

pub async fn membership_end_form(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return app_error(&c, AppError::Forbidden);
    }
    let ms = match s.app.memberships(&c.ctx()).await {
        Ok(m) => m,
        Err(e) => return app_error(&c, e),
    };
    let Some(m) = id
        .parse::<i64>()
        .ok()
        .and_then(|id| ms.into_iter().find(|m| m.id == id && m.left_on.is_none()))
    else {
        return app_error(&c, AppError::NotFound);
    };
    let form = FormData(vec![("left_on".into(), s.app.today().to_string())]);
    let title = format!("{}: {}", t.get("membership-end"), m.organisation_name);
    end_spec(t, m.id, title).show(&c, StatusCode::OK, &form, &FieldErrors::new())
}

pub async fn membership_end(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let t = c.tr();
    let Ok(mid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .end_membership(&c.ctx(), mid, &form.get("left_on"))
        .await
    {
        Ok(()) => Redirect::to("/partners").into_response(),
        Err(AppError::Invalid(errors)) => end_spec(t, mid, t.get("membership-end")).show(
            &c,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn user_deactivate(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let Ok(uid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.deactivate_user(&c.ctx(), uid).await {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(_)) => app_error(&c, AppError::Forbidden),
        Err(e) => app_error(&c, e),
    }
}

pub async fn user_second_factor_reset(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let Ok(uid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.reset_second_factor(&c.ctx(), uid).await {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(e) => app_error(&c, e),
    }
}

pub async fn projects(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let o = match s.app.overview(&c.ctx()).await {
        Ok(o) => o,
        Err(e) => return app_error(&c, e),
    };
    let mut page = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-projects"), "projects", "/projects"),
    );
    let manage = c.signed.actor.can_manage_projects();
    if manage {
        page.links
            .push(("/projects/new".into(), t.get("project-new")));
    }
    page.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-funder"),
            t.get("field-period"),
            t.get("fig-enrolled"),
            t.get("field-participant-target"),
            t.get("fig-ended"),
            t.get("fig-to-job-or-studies"),
            t.get("field-job-or-studies-target"),
        ]
        .into_iter()
        .chain(manage.then(|| t.get("actions")))
        .collect(),
        rows: o
            .projects
            .into_iter()
            .map(|(p, sum)| {
                let edit = manage.then(|| {
                    Cell::link(
                        t.with("project-edit-named", &[("name", p.name.clone())]),
                        format!("/projects/{}/edit", p.id),
                    )
                });
                let mut row = vec![
                    Cell::link(p.name, format!("/projects/{}/dashboard", p.id)),
                    Cell::text(p.funder),
                    Cell::text(format!("{} – {}", p.start_date, p.end_date)),
                    Cell::text(sum.enrolled.to_string()),
                    Cell::text(
                        p.participant_target
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(sum.ended.to_string()),
                    Cell::text(format!(
                        "{}{}",
                        sum.ended_to_job_or_studies,
                        sum.share_to_job_or_studies
                            .map(|v| format!(" ({})", t.percent(v)))
                            .unwrap_or_default()
                    )),
                    Cell::text(
                        p.job_or_studies_target
                            .map(|v| t.percent(v))
                            .unwrap_or_else(|| "–".into()),
                    ),
                ];
                row.extend(edit);
                row
            })
            .collect(),
    });
    render(page)
}

fn project_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "funder", "field-funder", "text").required(),
        FieldView::new(t, "start_date", "field-start-date", "date").required(),
        FieldView::new(t, "end_date", "field-end-date", "date").required(),
        FieldView::new(
            t,
            "participant_target",
            "field-participant-target",
            "number",
        ),
        FieldView::new(
            t,
            "job_or_studies_target",
            "field-job-or-studies-target",
            "number",
        )
        .hint(t, "hint-percent"),
    ]
}

pub async fn project_form(c: Caller) -> Response {
    let t = c.tr();
    project_spec(t).show(
        &c,
        StatusCode::OK,
        &FormData::default(),
        &FieldErrors::new(),
    )
}

pub async fn project_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    match s.app.create_project(&c.ctx(), &form.project()).await {
        Ok(_) => Redirect::to("/projects").into_response(),
        Err(AppError::Invalid(errors)) => {
            project_spec(t).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

fn project_edit_spec(t: Tr, id: i64) -> FormSpec {
    admin_spec(
        t,
        t.get("project-edit"),
        "projects",
        format!("/projects/{id}/edit"),
        project_fields(t),
        "/projects",
    )
}

pub async fn project_edit_form(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let t = c.tr();
    let Some(id) = self::id(&id) else {
        return app_error(&c, AppError::NotFound);
    };
    let input = match s.app.project_input(&c.ctx(), id).await {
        Ok(i) => i,
        Err(e) => return app_error(&c, e),
    };
    let form = FormData(
        [
            ("name", input.name),
            ("funder", input.funder),
            ("start_date", input.start_date),
            ("end_date", input.end_date),
            ("participant_target", input.participant_target),
            ("job_or_studies_target", input.job_or_studies_target),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    );
    project_edit_spec(t, id).show(&c, StatusCode::OK, &form, &FieldErrors::new())
}

pub async fn project_update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let t = c.tr();
    let Some(id) = self::id(&id) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.update_project(&c.ctx(), id, &form.project()).await {
        Ok(()) => Redirect::to("/projects").into_response(),
        Err(AppError::Invalid(errors)) => {
            project_edit_spec(t, id).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- audit

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    participant: Option<String>,
    user: Option<String>,
    organisation: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

pub async fn audit(State(s): State<AppState>, c: Caller, Query(q): Query<AuditQuery>) -> Response {
    let t = c.tr();
    let tz = palett_app::clock::stockholm();
    let day_start = |d: &Option<String>, plus: i64| -> Option<i64> {
        let date = parse_date(d.as_deref()?).ok()?;
        let date = date.checked_add(jiff::Span::new().days(plus)).ok()?;
        date.to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    let filter = palett_app::filters::AuditFilter {
        participant_id: id_of(&q.participant),
        user_id: id_of(&q.user),
        organisation_id: id_of(&q.organisation),
        from: day_start(&q.from, 0),
        to: day_start(&q.to, 1),
    };
    let page = Page::new(id_of(&q.page), Some(50));
    let (rows, total) = match palett_app::audit::list(&s.app, &c.ctx(), &filter, page).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-audit"), "audit", "/audit"),
    );
    p.intro = Some(t.get("audit-intro"));
    p.links.push(("/audit/review".into(), t.get("log-review")));
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    p.filter = Some(FilterForm {
        action: "/audit".into(),
        fields: vec![
            (
                "participant".into(),
                t.get("field-participant-id"),
                "number".into(),
                v(&q.participant),
            ),
            (
                "user".into(),
                t.get("field-user-id"),
                "number".into(),
                v(&q.user),
            ),
            (
                "organisation".into(),
                t.get("field-organisation-id"),
                "number".into(),
                v(&q.organisation),
            ),
            (
                "from".into(),
                t.get("field-from"),
                "date".into(),
                v(&q.from),
            ),
            ("to".into(), t.get("field-to"), "date".into(), v(&q.to)),
        ],
    });
    p.tables.push(Table {
        heading: Some(t.with("audit-count", &[("count", total.to_string())])),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-organisation"),
            t.get("field-roles"),
            t.get("field-action"),
            t.get("field-participant-id"),
            t.get("field-address-ip"),
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    Cell::text(
                        r.at.to_zoned(tz.clone())
                            .strftime("%Y-%m-%d %H:%M:%S")
                            .to_string(),
                    ),
                    match (r.user_id, r.user_name) {
                        (Some(id), Some(n)) => Cell::link(n, format!("/audit?user={id}")),
                        _ => Cell::text("–"),
                    },
                    Cell::text(r.organisation_name.unwrap_or_default()),
                    Cell::text(r.roles),
                    Cell::text(r.action),
                    match r.participant_id {
                        Some(id) => Cell::link(id.to_string(), format!("/audit?participant={id}")),
                        None => Cell::text(""),
                    },
                    Cell::text(r.ip),
                ]
            })
            .collect(),
    });
    let query = [
        ("participant", v(&q.participant)),
        ("user", v(&q.user)),
        ("organisation", v(&q.organisation)),
        ("from", v(&q.from)),
        ("to", v(&q.to)),
    ];
    p.pager = Pager::new(t, "/audit", &query, page.number, page.count(total));
    render(p)
}

// ---------------------------------------------------------------- administration

fn user_fields(t: Tr, orgs: Vec<(String, String)>) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "display_name", "field-name", "text").required(),
        FieldView::new(t, "email", "field-email", "email")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "password", "field-new-password", "password")
            .required()
            .hint(t, "hint-password")
            .autocomplete("new-password"),
        FieldView::new(t, "organisation_id", "field-organisation", "select")
            .required()
            .options(orgs),
        FieldView::new(t, "roles", "field-roles", "multi").options(options(
            t,
            Role::ALL,
            Role::as_str,
            Role::message_id,
        )),
    ]
}

fn org_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "kind", "field-kind", "select")
            .required()
            .options(options(
                t,
                OrganisationKind::ALL,
                OrganisationKind::as_str,
                OrganisationKind::message_id,
            )),
        FieldView::new(t, "org_number", "field-org-number", "text").hint(t, "hint-org-number"),
        FieldView::new(t, "joined_on", "field-joined-on", "date").hint(t, "hint-joined-on"),
        FieldView::new(t, "left_on", "field-left-on", "date"),
        FieldView::new(
            t,
            "responsibility_areas",
            "field-responsibility-areas",
            "textarea",
        )
        .hint(t, "hint-one-per-line"),
    ]
}

pub async fn users(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let ctx = c.ctx();
    if !ctx.actor.can_administer() {
        return app_error(&c, AppError::Forbidden);
    }
    let me = ctx.actor.user_id;
    let (staff, orgs) = match (s.app.staff(&ctx).await, s.app.organisations(&ctx).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return app_error(&c, e),
    };
    let requests = match s.app.pending_role_requests(&ctx).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-admin"), "admin", "/admin/users"),
    );
    p.links = vec![
        ("/admin/users/new".into(), t.get("user-new")),
        ("/admin/organisations/new".into(), t.get("organisation-new")),
        ("/admin/retention".into(), t.get("retention-title")),
    ];
    p.tables.push(Table {
        heading: Some(t.get("users")),
        head: vec![
            t.get("field-name"),
            t.get("field-email"),
            t.get("field-organisation"),
            t.get("field-roles"),
            t.get("field-status"),
            t.get("actions"),
            t.get("field-password"),
            t.get("user-access"),
            t.get("second-factor-title"),
        ],
        rows: staff
            .into_iter()
            .map(|(u, roles)| {
                vec![
                    Cell::text(u.display_name),
                    Cell::text(u.email),
                    Cell::text(u.organisation_name),
                    Cell::text(
                        roles
                            .iter()
                            .map(|r| t.get(&r.message_id()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(t.get(if u.active {
                        "user-active"
                    } else {
                        "user-inactive"
                    })),
                    Cell::link(
                        t.get("change-roles"),
                        format!("/admin/users/{}/roles", u.id),
                    ),
                    Cell::link(
                        t.get("password-reset-title"),
                        format!("/admin/users/{}/password", u.id),
                    ),
                    if u.active && u.id != me {
                        Cell::button(
                            t.get("user-deactivate"),
                            format!("/admin/users/{}/deactivate", u.id),
                        )
                    } else {
                        Cell::text("")
                    },
                    if u.second_factor {
                        Cell::button(
                            t.get("second-factor-reset"),
                            format!("/admin/users/{}/second-factor/reset", u.id),
                        )
                    } else {
                        Cell::text(t.get("second-factor-none"))
                    },
                ]
            })
            .collect(),
    });
    // Role grants waiting for a second administrator.
    p.tables.push(Table {
        heading: Some(t.get("role-requests")),
        head: vec![
            t.get("field-user"),
            t.get("field-roles"),
            t.get("role-requested-by"),
            t.get("actions"),
            t.get("role-reject"),
        ],
        rows: requests
            .into_iter()
            .map(|r| {
                vec![
                    Cell::text(r.user_name),
                    Cell::text(t.get(&r.role.message_id())),
                    Cell::text(r.requested_by_name),
                    if r.requested_by != me && r.user_id != me {
                        Cell::button(
                            t.get("role-approve"),
                            format!("/admin/role-requests/{}/approve", r.id),
                        )
                    } else {
                        Cell::text(t.get("role-approve-other"))
                    },
                    Cell::button(
                        t.get("role-reject"),
                        format!("/admin/role-requests/{}/reject", r.id),
                    ),
                ]
            })
            .collect(),
    });
    p.tables.push(Table {
        heading: Some(t.get("organisations")),
        head: vec![
            t.get("field-name"),
            t.get("field-kind"),
            t.get("field-org-number"),
        ],
        rows: orgs
            .into_iter()
            .map(|o| {
                vec![
                    Cell::text(o.name),
                    Cell::text(t.get(&o.kind.message_id())),
                    Cell::text(o.org_number.unwrap_or_default()),
                ]
            })
            .collect(),
    });
    render(p)
}

async fn org_choices(s: &AppState, c: &Caller) -> Result<Vec<(String, String)>, AppError> {
    Ok(choices(s, c).await?.organisations)
}

pub async fn user_form(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return app_error(&c, AppError::Forbidden);
    }
    match org_choices(&s, &c).await {
        Ok(orgs) => user_spec(t, orgs).show(
            &c,
            StatusCode::OK,
            &FormData::default(),
            &FieldErrors::new(),
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn user_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    match s.app.create_user(&c.ctx(), &form.user()).await {
        Ok(_) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(errors)) => match org_choices(&s, &c).await {
            Ok(orgs) => {
                user_spec(t, orgs).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
            }
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

pub async fn roles_form(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let t = c.tr();
    let staff = match s.app.staff(&c.ctx()).await {
        Ok(st) if c.signed.actor.can_administer() => st,
        Ok(_) => return app_error(&c, AppError::Forbidden),
        Err(e) => return app_error(&c, e),
    };
    let Some((u, roles)) = id
        .parse::<i64>()
        .ok()
        .and_then(|id| staff.into_iter().find(|(u, _)| u.id == id))
    else {
        return app_error(&c, AppError::NotFound);
    };
    let form = FormData(
        roles
            .iter()
            .map(|r| ("roles".to_string(), r.as_str().to_string()))
            .collect(),
    );
    roles_spec(
        t,
        u.id,
        format!("{}: {}", t.get("change-roles"), u.display_name),
    )
    .show(&c, StatusCode::OK, &form, &FieldErrors::new())
}

pub async fn roles_update(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let t = c.tr();
    let Ok(uid) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.set_roles(&c.ctx(), uid, &form.all("roles")).await {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(errors)) => roles_spec(t, uid, t.get("change-roles")).show(
            &c,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn org_form(c: Caller) -> Response {
    let t = c.tr();
    if !c.signed.actor.can_administer() {
        return app_error(&c, AppError::Forbidden);
    }
    org_spec(t).show(
        &c,
        StatusCode::OK,
        &FormData::default(),
        &FieldErrors::new(),
    )
}

pub async fn org_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    match s
        .app
        .create_organisation(&c.ctx(), &form.organisation())
        .await
    {
        Ok(_) => Redirect::to("/admin/users").into_response(),
        Err(AppError::Invalid(errors)) => {
            org_spec(t).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- tokens

async fn tokens_page(
    s: &AppState,
    c: &Caller,
    blocks: Vec<Block>,
    errors: &FieldErrors,
) -> Response {
    let t = c.tr();
    let list = match s.app.tokens(&c.ctx()).await {
        Ok(l) => l,
        Err(e) => return app_error(c, e),
    };
    let tz = palett_app::clock::stockholm();
    let when = |secs: Option<i64>| {
        secs.and_then(|s| jiff::Timestamp::from_second(s).ok())
            .map(|ts| {
                ts.to_zoned(tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| "–".into())
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("nav-tokens"), "tokens", "/tokens"),
    );
    p.intro = Some(t.get("tokens-intro"));
    p.blocks = blocks;
    p.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-created"),
            t.get("field-last-used"),
            t.get("field-status"),
            t.get("actions"),
        ],
        rows: list
            .into_iter()
            .map(|k| {
                vec![
                    Cell::text(k.name),
                    Cell::text(when(Some(k.created_at))),
                    Cell::text(when(k.last_used_at)),
                    Cell::text(if k.revoked_at.is_some() {
                        t.get("token-revoked")
                    } else {
                        t.get("token-active")
                    }),
                    if k.revoked_at.is_none() {
                        Cell::button(t.get("token-revoke"), format!("/tokens/{}/revoke", k.id))
                    } else {
                        Cell::text("")
                    },
                ]
            })
            .collect(),
    });
    let mut resp = render(p);
    if !errors.is_empty() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

/// The form that creates a token, its name's error with it.
fn token_form(t: Tr, errors: &FieldErrors) -> Block {
    Block::Form(FormBlock {
        action: "/tokens".into(),
        inputs: vec![Input::new("name", t.get("field-token-name"), "text").error(t, errors)],
        submit: t.get("token-create"),
        ..FormBlock::default()
    })
}

pub async fn tokens(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let none = FieldErrors::new();
    tokens_page(&s, &c, vec![token_form(t, &none)], &none).await
}

pub async fn token_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    let t = c.tr();
    match s.app.create_token(&c.ctx(), &form.get("name")).await {
        Ok((_, secret)) => {
            let shown = vec![Block::Text(t.get("token-created")), Block::Code(secret)];
            let mut resp = tokens_page(&s, &c, shown, &FieldErrors::new()).await;
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(AppError::Invalid(errors)) => {
            let blocks = vec![
                Block::Errors(vec![t.get("error-token-name")]),
                token_form(t, &errors),
            ];
            tokens_page(&s, &c, blocks, &errors).await
        }
        Err(e) => app_error(&c, e),
    }
}

pub async fn token_revoke(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.revoke_token(&c.ctx(), id).await {
        Ok(()) => Redirect::to("/tokens").into_response(),
        Err(e) => app_error(&c, e),
    }
}

pub async fn not_found(v: Visitor) -> Response {
    if v.is_api {
        return crate::error::ApiError::new(v.tr(), StatusCode::NOT_FOUND, "error-not-found")
            .into_response();
    }
    error_page(v.tr(), StatusCode::NOT_FOUND, "error-not-found")
}
