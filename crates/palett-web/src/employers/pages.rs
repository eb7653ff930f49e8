//! The registry's pages: the list of employers and one employer.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::views::*;
use crate::ui::{or_dash, period_query, render};
use axum::extract::{Query, State};
use palett_app::employers::{EmployerFilter, EmployerView};
use palett_app::openings::OpeningFilter;
use palett_app::paging::Page;
use palett_domain::employer::{ContactPerson, Employer, Industry};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub(crate) q: Option<String>,
    pub(crate) industry: Option<String>,
    /// `1`: inactive employers too.
    pub(crate) inactive: Option<String>,
    /// Only those active with the partnership from `active_from` to
    /// `active_to` (the drill-down of the indicator "active employers").
    pub(crate) active_from: Option<String>,
    pub(crate) active_to: Option<String>,
    pub(crate) page: Option<String>,
}

pub(crate) fn status_text(t: Tr, e: &Employer) -> String {
    match e.inactive_since {
        None => t.get("employer-active"),
        Some(d) => t.with("employer-inactive-since", &[("date", d.to_string())]),
    }
}

pub async fn employers(State(s): State<AppState>, c: Caller, Query(q): Query<ListQuery>) -> Answer {
    let t = c.tr();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let include_inactive = q.inactive.as_deref() == Some("1");
    // A period that does not parse is no filter, as for the other fields.
    let active_in = period_query(("active_from", &q.active_from), ("active_to", &q.active_to))
        .unwrap_or_default();
    let filter = EmployerFilter {
        q: q.q.clone().map(|v| v.chars().take(100).collect()),
        industry: q.industry.as_deref().and_then(Industry::parse),
        include_inactive,
        active_in,
    };
    let page = Page::new(id_of(&q.page), Some(25));
    let (items, total) = s.app.employers(&c.ctx(), &filter, page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-employers"), "employers", "/employers"),
    );
    p.intro = Some(match active_in {
        Some(p) => t.with(
            "employers-active-in",
            &[("from", p.start.to_string()), ("to", p.end.to_string())],
        ),
        None => t.get("employers-intro"),
    });
    p.links
        .push(("/employers/new".into(), t.get("employer-new")));
    let toggle = |inactive: bool| {
        let mut query = vec![("q", v(&q.q)), ("industry", v(&q.industry))];
        if inactive {
            query.push(("inactive", "1".into()));
        }
        query.retain(|(_, v)| !v.is_empty());
        let qs = serde_urlencoded::to_string(&query).unwrap_or_default();
        if qs.is_empty() {
            "/employers".to_string()
        } else {
            format!("/employers?{qs}")
        }
    };
    p.links.push(if include_inactive {
        (toggle(false), t.get("employers-only-active"))
    } else {
        (toggle(true), t.get("employers-with-inactive"))
    });
    p.filter = Some(FilterForm {
        action: "/employers".into(),
        fields: vec![(
            "q".into(),
            t.get("employers-search"),
            "search".into(),
            v(&q.q),
        )],
        selects: Vec::new(),
    });
    p.tables.push(Table {
        heading: Some(t.with("employers-count", &[("count", total.to_string())])),
        head: vec![
            t.get("field-name"),
            t.get("field-org-number"),
            t.get("field-industry"),
            t.get("field-municipality"),
            t.get("field-owner"),
            t.get("field-status"),
        ],
        rows: items
            .iter()
            .map(|e| {
                vec![
                    Cell::link(e.name.clone(), format!("/employers/{}", e.id)),
                    Cell::text(e.org_number.clone()),
                    Cell::text(t.get(&e.industry.message_id())),
                    Cell::text(e.municipality.clone()),
                    Cell::text(e.owner_name.clone()),
                    Cell::text(status_text(t, e)),
                ]
            })
            .collect(),
    });
    let mut query = vec![("q", v(&q.q)), ("industry", v(&q.industry))];
    if include_inactive {
        query.push(("inactive", "1".into()));
    }
    if let Some(p) = active_in {
        query.push(("active_from", p.start.to_string()));
        query.push(("active_to", p.end.to_string()));
    }
    p.pager = Pager::new(t, "/employers", &query, page.number, page.count(total));
    Ok(render(p))
}

#[derive(serde::Deserialize, Default)]
pub struct EmployerQuery {
    /// The page of the contact log.
    pub(crate) page: Option<String>,
    /// What was just done, to confirm it (a fixed word, never data).
    pub(crate) done: Option<String>,
}

/// The confirmations a change redirects with (`?done=`), by their word.
pub(crate) const DONE: &[&str] = &[
    "created",
    "saved",
    "deactivated",
    "activated",
    "contact-added",
    "contact-removed",
    "logged",
];

fn person_cells(t: Tr, id: i64, p: &ContactPerson, may_change: bool) -> Vec<Cell> {
    let mut row = vec![
        Cell::text(p.name.clone()),
        Cell::text(or_dash(p.title.as_deref())),
        Cell::text(or_dash(p.phone.as_deref())),
        Cell::text(or_dash(p.email.as_deref())),
    ];
    if may_change {
        row.push(Cell::link(
            t.with("employer-contact-remove-named", &[("name", p.name.clone())]),
            format!("/employers/{id}/contacts/{}/remove", p.id),
        ));
    }
    row
}

fn facts(t: Tr, v: &EmployerView) -> Vec<Vec<Cell>> {
    let e = &v.employer;
    let id = e.id;
    let mut status = vec![
        Cell::text(t.get("field-status")),
        Cell::text(status_text(t, e)),
    ];
    if v.may_change {
        status.push(if e.is_active() {
            Cell::button(
                t.get("employer-deactivate"),
                format!("/employers/{id}/deactivate"),
            )
        } else {
            Cell::button(
                t.get("employer-activate"),
                format!("/employers/{id}/activate"),
            )
        });
    }
    let row = |label: &str, value: String| vec![Cell::text(t.get(label)), Cell::text(value)];
    vec![
        row("field-org-number", e.org_number.clone()),
        row("field-industry", t.get(&e.industry.message_id())),
        row("field-municipality", e.municipality.clone()),
        row("field-address", or_dash(e.address.as_deref())),
        row("field-owner", e.owner_name.clone()),
        status,
    ]
}

pub async fn employer(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<EmployerQuery>,
) -> Answer {
    let t = c.tr();
    let page = Page::new(id_of(&q.page), Some(20));
    let v = s.app.employer(&c.ctx(), id, page).await?;
    let e = &v.employer;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, e.name.clone(), "employers", &format!("/employers/{id}")),
    );
    if let Some(done) = q.done.as_deref().filter(|d| DONE.contains(d)) {
        p.blocks
            .push(Block::Text(t.get(&format!("employer-done-{done}"))));
    }
    if v.may_change {
        p.links
            .push((format!("/employers/{id}/edit"), t.get("employer-edit")));
        p.links.push((
            format!("/employers/{id}/contacts/new"),
            t.get("employer-contact-new"),
        ));
    }
    p.links.push((
        format!("/employers/{id}/log/new"),
        t.get("employer-log-new"),
    ));
    if e.is_active() {
        p.links.push((
            format!("/employers/{id}/openings/new"),
            t.get("opening-new"),
        ));
    }
    p.tables.push(Table {
        heading: None,
        head: vec![t.get("field-what"), t.get("field-value")],
        rows: facts(t, &v),
    });
    let mut head = vec![
        t.get("field-name"),
        t.get("field-title"),
        t.get("field-phone"),
        t.get("field-email"),
    ];
    if v.may_change {
        head.push(t.get("actions"));
    }
    p.tables.push(Table {
        heading: Some(t.get("employer-contacts")),
        head,
        rows: v
            .contacts
            .iter()
            .map(|person| person_cells(t, id, person, v.may_change))
            .collect(),
    });
    let filter = OpeningFilter {
        employer_id: Some(id),
        ..OpeningFilter::default()
    };
    let (openings, open_total) = s
        .app
        .openings(&c.ctx(), &filter, Page::new(None, Some(Page::MAX_SIZE)))
        .await?;
    p.tables.push(Table {
        heading: Some(t.with(
            "employer-openings-count",
            &[("count", open_total.to_string())],
        )),
        head: crate::openings::pages::HEAD
            .iter()
            .map(|h| t.get(h))
            .collect(),
        rows: crate::openings::pages::rows(t, &openings),
    });
    p.tables.push(Table {
        heading: Some(t.with("employer-log-count", &[("count", v.log_total.to_string())])),
        head: vec![
            t.get("field-date"),
            t.get("field-kind"),
            t.get("employer-log-with"),
            t.get("employer-log-summary"),
            t.get("employer-log-by"),
        ],
        rows: v
            .log
            .iter()
            .map(|l| {
                vec![
                    Cell::text(l.on.to_string()),
                    Cell::text(t.get(&l.kind.message_id())),
                    Cell::text(or_dash(l.contact_person_name.as_deref())),
                    Cell::text(l.summary.clone()),
                    Cell::text(or_dash(l.recorded_by.as_deref())),
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(
        t,
        &format!("/employers/{id}"),
        &[],
        page.number,
        page.count(v.log_total),
    );
    Ok(render(p))
}
