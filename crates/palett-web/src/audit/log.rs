//! The audit log as a page to read: actions and roles in the reader's
//! language (the stored code beside each action, for auditors), the
//! participant an entry is about named for those who may see her, and a
//! search by the name of whoever acted, the participant's name, the
//! organisation, the action and a period.

use super::words::{action_choices, action_text, roles_text};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::render;
use crate::ui::views::{FieldView, Layout, Pager};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use palett_app::audit::{Action, LogPage, Person, Search};
use palett_app::filters::AuditFilter;
use palett_app::participants::Page;
use palett_domain::values::{code, parse_date};
use std::collections::BTreeMap;

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    /// A participant's id (links from the log review); kept, not shown.
    pub(crate) participant: Option<String>,
    /// A user's id (links from the log review); kept, not shown.
    pub(crate) user: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) participant_name: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) page: Option<String>,
}

impl AuditQuery {
    /// The query's values, to keep in the pager's links and the form.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |o: &Option<String>| o.as_deref().unwrap_or_default().trim().to_string();
        vec![
            ("participant", v(&self.participant)),
            ("user", v(&self.user)),
            ("organisation", v(&self.organisation)),
            ("user_name", v(&self.user_name)),
            ("participant_name", v(&self.participant_name)),
            ("action", v(&self.action)),
            ("from", v(&self.from)),
            ("to", v(&self.to)),
        ]
    }
}

/// One line of the log as read.
struct Row {
    when: String,
    user: String,
    user_href: Option<String>,
    organisation: String,
    roles: String,
    action: String,
    code: String,
    about: String,
    about_href: Option<String>,
    ip: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogView {
    t: Tr,
    layout: Layout,
    /// (field, label, message) of each field in error.
    errors: Vec<(String, String, String)>,
    /// What the ids in the query narrow the log to, in words.
    only: Vec<String>,
    /// The ids in the query, kept by the form.
    hidden: Vec<(String, String)>,
    fields: Vec<FieldView>,
    /// The staff's names, offered while typing a user's name.
    people: Vec<String>,
    /// The count of entries found and the page of them; `None` when the
    /// search could not be made.
    found: Option<(String, Vec<Row>)>,
    pager: Pager,
}

/// The search as the app takes it, or the fields in error.
fn search_of(q: &AuditQuery) -> Result<Search, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut id = |shown_as: &'static str, v: &Option<String>| {
        let v = given(v)?;
        let parsed = id_of(&Some(v));
        if parsed.is_none() {
            errors.push((shown_as, code::NUMBER));
        }
        parsed
    };
    let participant_id = id("participant_name", &q.participant);
    let user_id = id("user_name", &q.user);
    let organisation_id = given(&q.organisation).and_then(|v| {
        let parsed = id_of(&Some(v));
        if parsed.is_none() {
            errors.push(("organisation", code::CHOICE));
        }
        parsed
    });
    let action = given(&q.action).and_then(|v| match Action::parse(&v) {
        Some(a) => Some(a.as_str().to_string()),
        None => {
            errors.push(("action", code::CHOICE));
            None
        }
    });
    let tz = palett_app::clock::stockholm();
    let mut day = |name: &'static str, v: &Option<String>| {
        let v = given(v)?;
        match parse_date(&v) {
            Ok(d) => Some(d),
            Err(c) => {
                errors.push((name, c));
                None
            }
        }
    };
    let (from, to) = (day("from", &q.from), day("to", &q.to));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(("to", code::PERIOD));
        }
    }
    // A day's first second in Swedish time; `plus` days on.
    let start = |d: Option<jiff::civil::Date>, plus: i64| -> Option<i64> {
        let d = d?.checked_add(jiff::Span::new().days(plus)).ok()?;
        d.to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Search {
        filter: AuditFilter {
            participant_id,
            user_id,
            organisation_id,
            from: start(from, 0),
            to: start(to, 1),
            action,
            ..AuditFilter::default()
        },
        user_name: given(&q.user_name),
        participant_name: given(&q.participant_name),
    })
}

pub async fn audit(State(s): State<AppState>, c: Caller, Query(q): Query<AuditQuery>) -> Answer {
    let t = c.tr();
    let page = Page::new(id_of(&q.page), Some(50));
    let (status, people, errors, log) = match search_of(&q) {
        Ok(search) => {
            let log = palett_app::audit::search(&s.app, &c.ctx(), &search, page).await?;
            (StatusCode::OK, log.people.clone(), Vec::new(), Some(log))
        }
        Err(errors) => {
            let people = palett_app::audit::people(&s.app, &c.ctx()).await?;
            (StatusCode::UNPROCESSABLE_ENTITY, people, errors, None)
        }
    };
    let pairs = q.pairs();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut fields = filter_fields(t, &people);
    for f in &mut fields {
        f.value = value(f.name);
        f.error = errors
            .iter()
            .find(|(name, _)| *name == f.name)
            .map(|(_, code)| t.get(code));
    }
    let errors = fields
        .iter()
        .filter_map(|f| Some((f.name.to_string(), f.label.clone(), f.error.clone()?)))
        .collect();
    let hidden = pairs
        .iter()
        .filter(|(k, v)| ["participant", "user"].contains(k) && !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let mut names: Vec<String> = people.iter().map(|p| p.name.clone()).collect();
    names.dedup();
    let mut view = LogView {
        t,
        layout: Layout::for_caller(&c, t.get("nav-audit"), "audit", "/audit"),
        errors,
        only: Vec::new(),
        hidden,
        fields,
        people: names,
        found: None,
        pager: Pager::new(t, "/audit", &pairs, page.number, 1),
    };
    if let Some(log) = log {
        view.only = only(t, &q, &log);
        view.pager = Pager::new(t, "/audit", &pairs, page.number, page.count(log.total));
        let count = t.with("audit-count", &[("count", log.total.to_string())]);
        let rows = log.entries.iter().map(|e| row(t, e, &log)).collect();
        view.found = Some((count, rows));
    }
    Ok((status, render(view)).into_response())
}

/// The search's fields: names, organisation, action and period.
fn filter_fields(t: Tr, people: &[Person]) -> Vec<FieldView> {
    let organisations: BTreeMap<i64, String> = people
        .iter()
        .map(|p| (p.organisation_id, p.organisation_name.clone()))
        .collect();
    let mut organisations: Vec<(String, String)> = organisations
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1));
    let choice = |name, label, any: &str, options: Vec<(String, String)>| FieldView {
        options: std::iter::once((String::new(), t.get(any)))
            .chain(options)
            .collect(),
        ..FieldView::new(t, name, label, "select")
    };
    vec![
        FieldView::new(t, "user_name", "audit-field-user-name", "search")
            .hint(t, "audit-hint-user-name"),
        FieldView::new(
            t,
            "participant_name",
            "audit-field-participant-name",
            "search",
        )
        .hint(t, "audit-hint-participant-name"),
        choice(
            "organisation",
            "field-organisation",
            "audit-any-organisation",
            organisations,
        ),
        choice(
            "action",
            "field-action",
            "audit-any-action",
            action_choices(t),
        ),
        FieldView::new(t, "from", "field-from", "date"),
        FieldView::new(t, "to", "field-to", "date"),
    ]
}

/// What the ids in the query narrow the log to, in words: a participant by
/// name only when the reader may see her.
fn only(t: Tr, q: &AuditQuery, log: &LogPage) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(pid) = id_of(&q.participant) {
        out.push(match log.names.get(&pid) {
            Some(name) => t.with("audit-only-participant", &[("name", name.clone())]),
            None => t.get("audit-only-a-participant"),
        });
    }
    if let Some(uid) = id_of(&q.user) {
        out.push(match log.people.iter().find(|p| p.id == uid) {
            Some(p) => t.with("audit-only-user", &[("name", p.name.clone())]),
            None => t.get("audit-only-a-user"),
        });
    }
    out
}

fn row(t: Tr, e: &palett_app::filters::AuditEntry, log: &LogPage) -> Row {
    let (about, about_href) = about(t, e, log);
    Row {
        when: e
            .at
            .to_zoned(palett_app::clock::stockholm())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string(),
        user: e.user_name.clone().unwrap_or_else(|| "–".into()),
        user_href: e.user_name.as_ref().map(|n| {
            format!(
                "/audit?{}",
                serde_urlencoded::to_string([("user_name", n)]).unwrap_or_default()
            )
        }),
        organisation: e.organisation_name.clone().unwrap_or_default(),
        roles: roles_text(t, &e.roles),
        action: action_text(t, &e.action),
        code: e.action.clone(),
        about,
        about_href,
        ip: e.ip.clone(),
    }
}

/// Whom or what an entry is about: the participant by name and linked to
/// her record when the reader may see her, else only that it was a
/// participant; a user or an organisation by name.
fn about(t: Tr, e: &palett_app::filters::AuditEntry, log: &LogPage) -> (String, Option<String>) {
    if let Some(pid) = e.participant_id {
        return match log.names.get(&pid) {
            Some(name) => (name.clone(), Some(format!("/participants/{pid}"))),
            None => (t.get("audit-about-participant"), None),
        };
    }
    let person = |id| log.people.iter().find(|p| p.id == id);
    match (e.entity.as_str(), e.entity_id) {
        ("user", Some(id)) => person(id)
            .map(|p| {
                (
                    t.with("audit-about-user", &[("name", p.name.clone())]),
                    None,
                )
            })
            .unwrap_or_default(),
        ("organisation", Some(id)) => log
            .people
            .iter()
            .find(|p| p.organisation_id == id)
            .map(|p| {
                let name = p.organisation_name.clone();
                (t.with("audit-about-organisation", &[("name", name)]), None)
            })
            .unwrap_or_default(),
        _ => (String::new(), None),
    }
}
