use crate::dashboards::build::build;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::charts::{self, Series};
use crate::ui::render;
use crate::ui::views::{Cell, Layout, Table};
use askama::Template;
use axum::extract::{Query, State};
use palett_app::dashboard::Dashboard;
use palett_domain::indicators::{Breakdown, GoalState, Group, Indicator, Unit};

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub t: Tr,
    pub layout: Layout,
    pub period: String,
    pub scopes: Vec<(String, String, bool)>,
    pub reports: Vec<(String, String)>,
    pub warnings: Vec<String>,
    pub goals: Table,
    pub goals_href: Option<String>,
    pub figures: Vec<FigureCard>,
    pub charts: Vec<Chart>,
    pub self_path: String,
    pub indicator_options: Vec<(String, String, bool)>,
    pub by_options: Vec<(String, String, bool)>,
    pub breakdown_caption: String,
    pub breakdown: Table,
    /// The breakdown is folded under this summary when it is long.
    pub breakdown_fold: Option<String>,
}

/// Tables longer than this are folded on the dashboard.
pub(crate) const FOLD_ROWS: usize = 12;

pub struct FigureCard {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub definition: String,
    pub href: Option<String>,
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    /// Built by [`charts`], which escapes every text it holds.
    pub svg: String,
    pub table: Table,
    /// The summary the table is folded under: its title and length.
    pub fold: String,
}

/// What a chart draws, and the unit its values are shown in.
pub(crate) enum Drawing<'a> {
    /// Lines over the labels of the x axis: [`charts::line`].
    Line(&'a [String], &'a [Series], &'a str),
    /// One bar per (label, value): [`charts::bars`].
    Bars(&'a [(String, f64)], &'a str),
}

impl Chart {
    /// A chart and the table of its figures (`head` over `rows`): the image
    /// is drawn as `{id}-chart`, named by the title and described by the
    /// summary.
    pub(crate) fn new(
        id: &'static str,
        title: String,
        summary: String,
        drawing: Drawing,
        head: Vec<String>,
        rows: Vec<Vec<Cell>>,
    ) -> Self {
        let svg_id = format!("{id}-chart");
        let svg = match drawing {
            Drawing::Line(labels, series, unit) => {
                charts::line(&svg_id, &title, &summary, labels, series, unit)
            }
            Drawing::Bars(bars, unit) => charts::bars(&svg_id, &title, &summary, bars, unit),
        };
        Self {
            id,
            title,
            summary,
            svg,
            table: Table {
                heading: None,
                head,
                rows,
            },
            fold: String::new(),
        }
    }

    /// Names the folded table: the chart's title and its number of rows.
    pub(crate) fn with_fold(mut self, t: Tr) -> Self {
        self.fold = t.with(
            "dash-table-fold",
            &[
                ("title", self.title.clone()),
                ("rows", self.table.rows.len().to_string()),
            ],
        );
        self
    }
}

/// The dashboard's breakdown: by which grouping, of which indicator.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashQuery {
    /// Default: gender.
    #[param(value_type = Option<crate::http::openapi::vocab::Breakdown>)]
    pub(crate) by: Option<String>,
    /// Default: enrolled.
    #[param(value_type = Option<crate::http::openapi::vocab::Indicator>)]
    pub(crate) indicator: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct FigureQuery {
    pub(crate) indicator: Option<String>,
    pub(crate) base: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) page: Option<String>,
    pub(crate) after: Option<String>,
    pub(crate) before: Option<String>,
}

/// Where a dashboard lives: `/projects/{id}/dashboard` or `/dashboard`.
pub(crate) fn base_path(project_id: Option<i64>) -> String {
    match project_id {
        Some(p) => format!("/projects/{p}/dashboard"),
        None => "/dashboard".into(),
    }
}

/// The link to the participants behind a figure.
pub(crate) fn figure_href(project_id: Option<i64>, query: &[(&str, String)]) -> String {
    let q = serde_urlencoded::to_string(query).unwrap_or_default();
    format!("{}/participants?{q}", base_path(project_id))
}

/// A value in its unit, in the caller's language.
pub(crate) fn show(t: Tr, unit: Unit, v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(v) => match unit {
            Unit::Percent => t.percent(v),
            Unit::Count => t.decimal(v),
            Unit::PerMonth => t.with("unit-per-month", &[("value", t.decimal(v))]),
            Unit::Days => t.with("unit-days", &[("value", t.decimal(v))]),
            Unit::Hours => t.with("unit-hours", &[("value", t.decimal(v))]),
        },
    }
}

pub(crate) fn state_label(t: Tr, s: GoalState) -> String {
    let key = match s {
        GoalState::NotStarted => "goal-state-not-started",
        GoalState::Reached => "goal-state-reached",
        GoalState::OnTrack => "goal-state-on-track",
        GoalState::Behind => "goal-state-behind",
        GoalState::Missed => "goal-state-missed",
        GoalState::NoData => "goal-state-no-data",
    };
    t.get(key)
}

pub(crate) fn definition(t: Tr, i: Indicator) -> String {
    t.get(&format!("{}-definition", i.message_id()))
}

pub(crate) fn group_label(t: Tr, g: Group, d: &Dashboard) -> String {
    match g {
        Group::Gender(x) => t.get(&x.message_id()),
        Group::AgeGroup(x) => t.get(&x.message_id()),
        Group::Project(None) => t.get("group-ordinary-operations"),
        Group::Organisation(id) | Group::Project(Some(id)) | Group::Intervention(id) => d
            .names
            .iter()
            .find(|(n, _)| *n == g)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| id.to_string()),
        Group::IntakeYear(y) => y.to_string(),
        Group::IntakeMonth(m) => m.to_string(),
        Group::Industry(x) => t.get(&x.message_id()),
        Group::OccupationArea(code) => area_name(t, code),
    }
}

/// An occupation area's name in the caller's language.
pub(crate) fn area_name(t: Tr, code: &str) -> String {
    palett_domain::occupations::area(code)
        .map(|a| a.name(t.code()).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(crate) async fn dashboard_page(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: DashQuery,
) -> Answer {
    let t = c.tr();
    let by = q.by.as_deref().and_then(Breakdown::parse);
    let indicator = q.indicator.as_deref().and_then(Indicator::parse);
    let ctx = c.ctx();
    let d = s.app.dashboard(&ctx, project_id, by, indicator).await?;
    let projects: Vec<(i64, String)> = s
        .app
        .projects(&ctx)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(render(build(t, c, &d, project_id, &projects)))
}

pub async fn project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Query(q): Query<DashQuery>,
) -> Answer {
    dashboard_page(&s, &c, Some(p), q).await
}

pub async fn partnership_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DashQuery>,
) -> Answer {
    dashboard_page(&s, &c, None, q).await
}
