//! The openings' pages: the list with its filters, and one opening.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::views::*;
use crate::ui::{options, or_dash, period_query, render};
use axum::extract::{Query, State};
use palett_app::openings::OpeningFilter;
use palett_app::paging::Page;
use palett_domain::occupations;
use palett_domain::opening::{format_hours, Opening, OpeningKind, OpeningStatus};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub(crate) q: Option<String>,
    /// A status, `all`, or empty for open ones.
    pub(crate) status: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) area: Option<String>,
    /// Only those filled from `filled_from` to `filled_to` (the drill-down
    /// of the indicator "openings filled").
    pub(crate) filled_from: Option<String>,
    pub(crate) filled_to: Option<String>,
    pub(crate) page: Option<String>,
}

/// A date range, either end possibly open.
pub(crate) fn period_text(o: &Opening) -> String {
    match (o.start_date, o.end_date) {
        (None, None) => "–".into(),
        (s, e) => format!(
            "{} – {}",
            s.map(|d| d.to_string()).unwrap_or_default(),
            e.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// The occupation: the unit group's name and code.
pub(crate) fn occupation_text(o: &Opening) -> String {
    match o.occupation() {
        Some(g) => format!("{} ({})", g.name_sv, g.ssyk),
        None => o.ssyk.clone(),
    }
}

/// The area's name in the page's language.
pub(crate) fn area_text(t: Tr, code: &str) -> String {
    occupations::area(code)
        .map(|a| a.name(t.lang.code()).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// What kind, with a job's employment form.
pub(crate) fn kind_text(t: Tr, o: &Opening) -> String {
    match o.employment_form {
        Some(f) => format!(
            "{}: {}",
            t.get(&o.kind.message_id()),
            t.get(&f.message_id())
        ),
        None => t.get(&o.kind.message_id()),
    }
}

/// A row per opening: title (a link), employer, kind, occupation, places,
/// period, status.
pub(crate) fn rows(t: Tr, list: &[Opening]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|o| {
            vec![
                Cell::link(o.title.clone(), format!("/openings/{}", o.id)),
                Cell::link(
                    o.employer_name.clone(),
                    format!("/employers/{}", o.employer_id),
                ),
                Cell::text(kind_text(t, o)),
                Cell::text(occupation_text(o)),
                Cell::text(o.places.to_string()),
                Cell::text(period_text(o)),
                Cell::text(t.get(&o.status.message_id())),
            ]
        })
        .collect()
}

pub(crate) const HEAD: [&str; 7] = [
    "opening-title",
    "field-employer",
    "field-kind",
    "field-occupation",
    "field-places",
    "field-period",
    "field-status",
];

pub async fn openings(State(s): State<AppState>, c: Caller, Query(q): Query<ListQuery>) -> Answer {
    let t = c.tr();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    // A period that does not parse is no filter, as for the other fields.
    let filled_in = period_query(("filled_from", &q.filled_from), ("filled_to", &q.filled_to))
        .unwrap_or_default();
    let status = match q.status.as_deref().unwrap_or_default() {
        "" if filled_in.is_some() => Some(OpeningStatus::Filled),
        "" => Some(OpeningStatus::Open),
        other => OpeningStatus::parse(other),
    };
    let filter = OpeningFilter {
        q: q.q.clone().map(|v| v.chars().take(100).collect()),
        status,
        kind: q.kind.as_deref().and_then(OpeningKind::parse),
        area: q
            .area
            .as_deref()
            .and_then(occupations::area)
            .map(|a| a.code.clone()),
        employer_id: None,
        filled_in,
    };
    let page = Page::new(id_of(&q.page), Some(25));
    let (items, total) = s.app.openings(&c.ctx(), &filter, page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-openings"), "openings", "/openings"),
    );
    p.intro = Some(match filled_in {
        Some(p) => t.with(
            "openings-filled-in",
            &[("from", p.start.to_string()), ("to", p.end.to_string())],
        ),
        None => t.get("openings-intro"),
    });
    let any = |id: &str| vec![(String::new(), t.get(id))];
    let mut statuses = vec![
        (String::new(), t.get("opening-status-open")),
        ("all".to_string(), t.get("openings-any-status")),
    ];
    statuses.extend(
        options(
            t,
            OpeningStatus::ALL,
            OpeningStatus::as_str,
            OpeningStatus::message_id,
        )
        .into_iter()
        .filter(|(v, _)| v != OpeningStatus::Open.as_str()),
    );
    let mut kinds = any("openings-any-kind");
    kinds.extend(options(
        t,
        OpeningKind::ALL,
        OpeningKind::as_str,
        OpeningKind::message_id,
    ));
    let mut areas = any("openings-any-area");
    areas.extend(
        occupations::areas()
            .iter()
            .map(|a| (a.code.clone(), a.name(t.lang.code()).to_string())),
    );
    p.filter = Some(FilterForm {
        action: "/openings".into(),
        fields: vec![(
            "q".into(),
            t.get("openings-search"),
            "search".into(),
            v(&q.q),
        )],
        selects: vec![
            FilterSelect {
                name: "status".into(),
                label: t.get("field-status"),
                options: statuses,
                value: v(&q.status),
            },
            FilterSelect {
                name: "kind".into(),
                label: t.get("field-kind"),
                options: kinds,
                value: v(&q.kind),
            },
            FilterSelect {
                name: "area".into(),
                label: t.get("field-occupation-area"),
                options: areas,
                value: v(&q.area),
            },
        ],
    });
    p.tables.push(Table {
        heading: Some(t.with("openings-count", &[("count", total.to_string())])),
        head: HEAD.iter().map(|id| t.get(id)).collect(),
        rows: rows(t, &items),
    });
    let mut query = vec![
        ("q", v(&q.q)),
        ("status", v(&q.status)),
        ("kind", v(&q.kind)),
        ("area", v(&q.area)),
    ];
    if let Some(p) = filled_in {
        query.push(("filled_from", p.start.to_string()));
        query.push(("filled_to", p.end.to_string()));
    }
    p.pager = Pager::new(t, "/openings", &query, page.number, page.count(total));
    Ok(render(p))
}

#[derive(serde::Deserialize, Default)]
pub struct OpeningQuery {
    /// What was just done, to confirm it (a fixed word, never data).
    pub(crate) done: Option<String>,
}

/// The confirmations a change redirects with (`?done=`).
pub(crate) const DONE: &[&str] = &["created", "saved", "open", "filled", "closed"];

fn facts(t: Tr, o: &Opening) -> Vec<Vec<Cell>> {
    let row = |label: &str, value: String| vec![Cell::text(t.get(label)), Cell::text(value)];
    let opt_label = |id: Option<String>| id.map(|i| t.get(&i)).unwrap_or_else(|| "–".into());
    vec![
        vec![
            Cell::text(t.get("field-employer")),
            Cell::link(
                o.employer_name.clone(),
                format!("/employers/{}", o.employer_id),
            ),
        ],
        row("field-kind", kind_text(t, o)),
        row("field-occupation", occupation_text(o)),
        row("field-occupation-area", area_text(t, &o.area)),
        row("field-places", o.places.to_string()),
        row("field-period", period_text(o)),
        row(
            "field-hours-per-week",
            o.minutes_per_week
                .map(format_hours)
                .unwrap_or_else(|| "–".into()),
        ),
        row(
            "field-swedish-level",
            opt_label(o.swedish_level.map(|v| v.message_id())),
        ),
        row(
            "field-driving-licence",
            t.get(if o.driving_licence { "yes" } else { "no" }),
        ),
        row(
            "field-physical-demands",
            opt_label(o.physical_demands.map(|v| v.message_id())),
        ),
        row(
            "field-working-hours",
            opt_label(o.working_hours.map(|v| v.message_id())),
        ),
        row("field-place", or_dash(o.place.as_deref())),
        row("field-responsible-partner", o.responsible_name.clone()),
        row("field-status", t.get(&o.status.message_id())),
    ]
}

pub async fn opening(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<OpeningQuery>,
) -> Answer {
    let t = c.tr();
    let v = s.app.opening(&c.ctx(), id).await?;
    let o = &v.opening;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, o.title.clone(), "openings", &format!("/openings/{id}")),
    );
    if let Some(done) = q.done.as_deref().filter(|d| DONE.contains(d)) {
        p.blocks
            .push(Block::Text(t.get(&format!("opening-done-{done}"))));
    }
    p.intro = o.description.clone();
    if c.signed.actor.sees_participants() && o.status == OpeningStatus::Open {
        p.links.push((
            format!("/openings/{id}/candidates"),
            t.get("candidates-find"),
        ));
    }
    if v.may_change {
        p.links
            .push((format!("/openings/{id}/edit"), t.get("opening-edit")));
    }
    let mut rows = facts(t, o);
    if v.may_change {
        // One row per status it can move to, each with its button.
        for st in OpeningStatus::ALL.iter().filter(|st| **st != o.status) {
            rows.push(vec![
                Cell::text(t.get("actions")),
                Cell::button(
                    t.get(&format!("opening-mark-{}", st.as_str())),
                    format!("/openings/{id}/status/{}", st.as_str()),
                ),
            ]);
        }
    }
    p.tables.push(Table {
        heading: None,
        head: vec![t.get("field-what"), t.get("field-value")],
        rows,
    });
    if c.signed.actor.sees_participants() {
        let proposals = s.app.opening_proposals(&c.ctx(), id).await?;
        p.tables.push(Table::headed(
            t,
            "proposals",
            &super::proposals::HEAD,
            super::proposals::rows(t, &proposals),
        ));
    }
    Ok(render(p))
}
