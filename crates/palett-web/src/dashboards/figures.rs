use super::page::FigureQuery;
use crate::dashboards::page::base_path;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::http::Id;
use crate::participants::list::{from_link, link_position, LINK_PAGE};
use crate::ui::render;
use crate::ui::views::{Cell, Layout, Pager, Table, TablePage};
use axum::extract::{Query, State};
use palett_app::dashboard::{parse_group, FigureRef};
use palett_app::AppError;
use palett_domain::indicators::{Group, Indicator};
use palett_domain::lifecycle::ExitOutcome;

/// Read a figure reference from a link; an unknown key is a 404 (the link
/// can only have been made by hand).
pub(crate) fn figure_ref(q: &FigureQuery) -> Option<FigureRef> {
    /// `Some(None)` when empty, `None` when present but unknown.
    fn parse<T>(v: &Option<String>, f: fn(&str) -> Option<T>) -> Option<Option<T>> {
        match v.as_deref().filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(s) => f(s).map(Some),
        }
    }
    let r = FigureRef {
        indicator: parse(&q.indicator, Indicator::parse)?,
        base: q.base.as_deref() == Some("1"),
        group: parse(&q.group, parse_group)?,
        outcome: parse(&q.outcome, ExitOutcome::parse)?,
    };
    (r.indicator.is_some() || r.outcome.is_some()).then_some(r)
}

pub(crate) async fn figure_page(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: FigureQuery,
) -> Answer {
    let t = c.tr();
    let Some(r) = figure_ref(&q) else {
        return Err(AppError::NotFound.into());
    };
    let at = link_position(&q.page, &q.after, &q.before);
    let ctx = c.ctx();
    let list = from_link(at, |at| {
        s.app
            .figure_participants_at(&ctx, project_id, &r, LINK_PAGE, at)
    })
    .await?;
    let what = match (r.indicator, r.outcome) {
        (_, Some(o)) => t.with("dash-exited-as", &[("outcome", t.get(&o.message_id()))]),
        (Some(i), None) if r.base => {
            t.with("dash-base-of", &[("indicator", t.get(&i.message_id()))])
        }
        (Some(i), None) => t.get(&i.message_id()),
        (None, None) => String::new(),
    };
    let what = match r.group {
        Some(Group::Gender(g)) => format!("{what} · {}", t.get(&g.message_id())),
        Some(Group::AgeGroup(g)) => format!("{what} · {}", t.get(&g.message_id())),
        Some(Group::IntakeMonth(m)) => format!("{what} · {m}"),
        Some(Group::Organisation(_)) => format!("{what} · {}", t.get("breakdown-organisation")),
        Some(Group::Project(None)) => format!("{what} · {}", t.get("group-ordinary-operations")),
        Some(Group::Project(Some(_))) => format!("{what} · {}", t.get("breakdown-project")),
        Some(Group::Intervention(_)) => format!("{what} · {}", t.get("breakdown-intervention")),
        Some(Group::IntakeYear(y)) => format!("{what} · {y}"),
        Some(Group::Industry(i)) => format!("{what} · {}", t.get(&i.message_id())),
        Some(Group::OccupationArea(a)) => format!("{what} · {}", super::page::area_name(t, a)),
        None => what,
    };
    let base = base_path(project_id);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            c,
            t.with("dash-behind", &[("figure", what)]),
            "dashboard",
            &base,
        ),
    );
    p.intro = Some(t.with(
        if list.more {
            "dash-behind-intro-more"
        } else {
            "dash-behind-intro"
        },
        &[("count", t.decimal(list.total as f64))],
    ));
    p.links.push((base.clone(), t.get("dash-back")));
    p.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-birth-year"),
            t.get("field-status"),
            t.get("field-responsible-organisation"),
            t.get("field-intake-date"),
            t.get("field-exit-date"),
        ],
        rows: list
            .items
            .iter()
            .map(|i| {
                vec![
                    Cell::link(
                        format!("{} {}", i.given_name, i.family_name),
                        format!("/participants/{}", i.id),
                    ),
                    Cell::text(i.birth_year.to_string()),
                    Cell::text(t.get(&i.status.message_id())),
                    Cell::text(i.responsible_organisation_name.clone()),
                    Cell::text(i.intake_date.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::text(i.exit_date.map(|d| d.to_string()).unwrap_or_default()),
                ]
            })
            .collect(),
    });
    let query = [
        ("indicator", q.indicator.clone().unwrap_or_default()),
        ("base", q.base.clone().unwrap_or_default()),
        ("group", q.group.clone().unwrap_or_default()),
        ("outcome", q.outcome.clone().unwrap_or_default()),
    ];
    p.pager = Pager::keyset(&format!("{base}/participants"), &query, &list);
    Ok(render(p))
}

pub async fn project_figure(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Query(q): Query<FigureQuery>,
) -> Answer {
    figure_page(&s, &c, Some(p), q).await
}

pub async fn partnership_figure(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<FigureQuery>,
) -> Answer {
    figure_page(&s, &c, None, q).await
}
