//! Dashboards (a project's, the partnership's), the goals form, the list of
//! participants behind a figure, and the dashboard as JSON. Charts are SVG
//! rendered here, each with a text summary and its data table.

use crate::caller::Caller;
use crate::charts::{self, Series};
use crate::error::ApiError;
use crate::forms::FormData;
use crate::i18n::Tr;
use crate::pages::{admin_spec, app_error, id, render};
use crate::views::{Cell, FieldView, Layout, Pager, Table, TablePage};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use palett_app::dashboard::{
    group_key, parse_group, Dashboard, FigureRef, GoalInput, KEY_INDICATORS,
};
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::indicators::{Breakdown, Figure, GoalState, Group, Indicator, Unit};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::FieldErrors;
use serde_json::json;

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
}

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
}

#[derive(serde::Deserialize, Default)]
pub struct DashQuery {
    by: Option<String>,
    indicator: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct FigureQuery {
    indicator: Option<String>,
    base: Option<String>,
    group: Option<String>,
    outcome: Option<String>,
    page: Option<String>,
}

/// Where a dashboard lives: `/projects/{id}/dashboard` or `/dashboard`.
fn base_path(project_id: Option<i64>) -> String {
    match project_id {
        Some(p) => format!("/projects/{p}/dashboard"),
        None => "/dashboard".into(),
    }
}

/// The link to the participants behind a figure.
fn figure_href(project_id: Option<i64>, query: &[(&str, String)]) -> String {
    let q = serde_urlencoded::to_string(query).unwrap_or_default();
    format!("{}/participants?{q}", base_path(project_id))
}

/// A value in its unit, in the caller's language.
fn show(t: Tr, unit: Unit, v: Option<f64>) -> String {
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

fn state_label(t: Tr, s: GoalState) -> String {
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

fn definition(t: Tr, i: Indicator) -> String {
    t.get(&format!("{}-definition", i.message_id()))
}

fn group_label(t: Tr, g: Group, d: &Dashboard) -> String {
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
    }
}

/// Time to job or studies per group: the largest groups drawn (as many as
/// there are line styles), every group in the table.
fn survival_by_chart(t: Tr, d: &Dashboard) -> Chart {
    let by = d.breakdown_by.for_curves();
    let longest = d
        .survival_by
        .iter()
        .map(|(_, points)| points.len())
        .max()
        .unwrap_or(0);
    let labels: Vec<String> = (0..longest).map(|m| m.to_string()).collect();
    let mut drawn: Vec<&(Group, Vec<palett_domain::indicators::SurvivalPoint>)> =
        d.survival_by.iter().collect();
    drawn.sort_by_key(|(_, points)| std::cmp::Reverse(points.first().map_or(0, |p| p.at_risk)));
    drawn.truncate(charts::GROUP_CLASSES.len());
    drawn.sort_by_key(|(g, _)| *g);
    let series: Vec<Series> = drawn
        .iter()
        .zip(charts::GROUP_CLASSES)
        .map(|((g, points), class)| Series {
            label: group_label(t, *g, d),
            values: points.iter().map(|p| Some(p.cumulative_share)).collect(),
            class,
            steps: true,
        })
        .collect();
    let at = |points: &[palett_domain::indicators::SurvivalPoint], m: usize| {
        points
            .get(m)
            .or(points.last())
            .map(|p| t.percent(p.cumulative_share))
            .unwrap_or_else(|| "–".into())
    };
    let by_label = t.get(&by.message_id());
    let summary = t.with(
        "dash-survival-by-summary",
        &[
            ("by", by_label.clone()),
            (
                "groups",
                d.survival_by
                    .iter()
                    .map(|(g, points)| format!("{} {}", group_label(t, *g, d), at(points, 12)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("drawn", series.len().to_string()),
            ("all", d.survival_by.len().to_string()),
        ],
    );
    let title = t.with("dash-survival-by", &[("by", by_label.clone())]);
    Chart {
        id: "survival-by",
        svg: charts::line(
            "survival-by-chart",
            &title,
            &summary,
            &labels,
            &series,
            " %",
        ),
        title,
        summary,
        table: Table {
            heading: None,
            head: vec![
                by_label,
                t.get("dash-at-start"),
                t.with("dash-share-after", &[("months", "6".into())]),
                t.with("dash-share-after", &[("months", "12".into())]),
                t.with("dash-share-after", &[("months", "18".into())]),
            ],
            rows: d
                .survival_by
                .iter()
                .map(|(g, points)| {
                    vec![
                        Cell::text(group_label(t, *g, d)),
                        Cell::text(points.first().map_or(0, |p| p.at_risk).to_string()),
                        Cell::text(at(points, 6)),
                        Cell::text(at(points, 12)),
                        Cell::text(at(points, 18)),
                    ]
                })
                .collect(),
        },
    }
}

/// The share to job or studies month by month, with its goal as a line.
fn share_over_time_chart(t: Tr, d: &Dashboard) -> Chart {
    let labels: Vec<String> = d.share_over_time.iter().map(|m| m.month.clone()).collect();
    let mut series = vec![Series {
        label: t.get("dash-series-share"),
        values: d.share_over_time.iter().map(|m| m.share).collect(),
        class: "series-a",
        steps: false,
    }];
    if let Some(goal) = d.share_goal {
        series.push(Series {
            label: t.get("dash-series-goal"),
            values: vec![Some(goal); labels.len()],
            class: "series-plan",
            steps: false,
        });
    }
    let goal = show(t, Unit::Percent, d.share_goal);
    let below = d
        .share_over_time
        .iter()
        .filter(|m| m.share.zip(d.share_goal).is_some_and(|(v, g)| v < g))
        .count();
    let last = d.share_over_time.iter().rev().find(|m| m.share.is_some());
    let summary = t.with(
        "dash-share-over-time-summary",
        &[
            ("share", show(t, Unit::Percent, last.and_then(|m| m.share))),
            ("month", last.map(|m| m.month.clone()).unwrap_or_default()),
            ("goal", goal),
            ("below", below.to_string()),
            (
                "months",
                d.share_over_time
                    .iter()
                    .filter(|m| m.share.is_some())
                    .count()
                    .to_string(),
            ),
        ],
    );
    let title = t.get("dash-share-over-time");
    Chart {
        id: "share-over-time",
        svg: charts::line(
            "share-over-time-chart",
            &title,
            &summary,
            &labels,
            &series,
            " %",
        ),
        title,
        summary,
        table: Table {
            heading: None,
            head: vec![
                t.get("dash-month"),
                t.get("dash-ended-so-far"),
                t.get("fig-to-job-or-studies"),
                t.get("dash-series-share"),
            ],
            rows: d
                .share_over_time
                .iter()
                .map(|m| {
                    vec![
                        Cell::text(m.month.clone()),
                        Cell::text(m.ended.to_string()),
                        Cell::text(m.to_job_or_studies.to_string()),
                        Cell::text(show(t, Unit::Percent, m.share)),
                    ]
                })
                .collect(),
        },
    }
}

/// The figure's count with its base ("42 av 247"), when it has one.
fn detail(t: Tr, f: &Figure) -> String {
    let Some(b) = f.base else {
        return String::new();
    };
    match f.indicator.unit() {
        Unit::Percent if f.indicator == Indicator::AttendanceRate => t.with(
            "fig-sessions-of",
            &[("count", f.count.to_string()), ("base", b.to_string())],
        ),
        Unit::Hours => t.with("fig-per-participant", &[("count", b.to_string())]),
        Unit::Percent => t.with(
            "fig-of",
            &[("count", f.count.to_string()), ("base", b.to_string())],
        ),
        Unit::Days => t.with("fig-over", &[("count", b.to_string())]),
        Unit::PerMonth => t.with(
            "fig-in-months",
            &[("count", f.count.to_string()), ("months", b.to_string())],
        ),
        Unit::Count => String::new(),
    }
}

fn build(
    t: Tr,
    c: &Caller,
    d: &Dashboard,
    project_id: Option<i64>,
    projects: &[(i64, String)],
) -> DashboardPage {
    let base = base_path(project_id);
    let title = match &d.project {
        Some(p) => t.with("dash-title-project", &[("name", p.name.clone())]),
        None => t.get("dash-title-partnership"),
    };
    let mut scopes = vec![(
        "/dashboard".to_string(),
        t.get("dash-whole-partnership"),
        project_id.is_none(),
    )];
    scopes.extend(projects.iter().map(|(id, name)| {
        (
            format!("/projects/{id}/dashboard"),
            name.clone(),
            project_id == Some(*id),
        )
    }));
    let ind_link = |f: &Figure| {
        Some(figure_href(
            project_id,
            &[("indicator", f.indicator.as_str().into())],
        ))
    };
    let mut warnings = Vec::new();
    let may_manage = c.signed.actor.can_manage_goals() && project_id.is_some();
    let goals = Table {
        heading: None,
        head: vec![
            t.get("dash-indicator"),
            t.get("dash-target"),
            t.get("field-period"),
            t.get("dash-now"),
            t.get("dash-expected"),
            t.get("dash-projection"),
            t.get("dash-status"),
        ]
        .into_iter()
        .chain(may_manage.then(|| t.get("goal-remove-heading")))
        .collect(),
        rows: d
            .goals
            .iter()
            .map(|g| {
                let unit = g.goal.indicator.unit();
                let label = t.get(&g.goal.indicator.message_id());
                let target = if g.goal.indicator.higher_is_better() {
                    format!("≥ {}", show(t, unit, Some(g.goal.target)))
                } else {
                    format!("≤ {}", show(t, unit, Some(g.goal.target)))
                };
                if g.warning() {
                    warnings.push(t.with(
                        "dash-warning",
                        &[
                            ("indicator", label.clone()),
                            ("projection", show(t, unit, g.projection)),
                            ("target", show(t, unit, Some(g.goal.target))),
                        ],
                    ));
                }
                let now = show(t, unit, g.figure.value);
                vec![
                    Cell::text(label),
                    Cell::text(target),
                    Cell::text(format!("{} – {}", g.goal.period.start, g.goal.period.end)),
                    match ind_link(&g.figure) {
                        Some(href) if g.goal.period == d.period => Cell::link(now, href),
                        _ => Cell::text(now),
                    },
                    Cell::text(show(t, unit, g.expected_by_now)),
                    Cell::text(show(t, unit, g.projection)),
                    Cell::text(state_label(t, g.state)),
                ]
                .into_iter()
                .chain(may_manage.then(|| {
                    Cell::button(
                        t.get("goal-remove"),
                        format!(
                            "/projects/{}/goals/{}/delete",
                            project_id.unwrap_or_default(),
                            g.goal.id
                        ),
                    )
                }))
                .collect()
            })
            .collect(),
    };
    let figures = d
        .figures
        .iter()
        .map(|f| FigureCard {
            label: t.get(&f.indicator.message_id()),
            value: show(t, f.indicator.unit(), f.value),
            detail: match (f.indicator, d.planned_total) {
                (Indicator::Enrolled, Some(target)) if target > 0.0 => t.with(
                    "fig-of-target",
                    &[
                        ("percent", t.percent(f.count as f64 * 100.0 / target)),
                        ("target", t.decimal(target)),
                    ],
                ),
                _ => detail(t, f),
            },
            definition: definition(t, f.indicator),
            href: ind_link(f),
        })
        .collect();

    let mut charts = Vec::new();
    // Inflow against plan, cumulative.
    if !d.inflow.is_empty() {
        let labels: Vec<String> = d.inflow.iter().map(|m| m.month.clone()).collect();
        let mut series = vec![Series {
            label: t.get("dash-series-enrolled"),
            values: d.inflow.iter().map(|m| Some(m.cumulative as f64)).collect(),
            class: "series-a",
            steps: false,
        }];
        if d.planned_total.is_some() {
            series.push(Series {
                label: t.get("dash-series-plan"),
                values: d.inflow.iter().map(|m| m.planned_cumulative).collect(),
                class: "series-plan",
                steps: false,
            });
        }
        let last = d
            .inflow
            .last()
            .map(|m| (m.cumulative, m.planned_cumulative));
        let behind: Vec<&str> = d
            .inflow
            .iter()
            .filter(|m| {
                m.planned_cumulative
                    .is_some_and(|p| (m.cumulative as f64) < p)
            })
            .map(|m| m.month.as_str())
            .collect();
        let summary = match last {
            Some((n, Some(p))) => t.with(
                "dash-inflow-summary",
                &[
                    ("enrolled", n.to_string()),
                    ("planned", t.decimal(p)),
                    ("from", d.inflow[0].month.clone()),
                    ("to", labels.last().cloned().unwrap_or_default()),
                    ("behind", behind.len().to_string()),
                ],
            ),
            Some((n, None)) => t.with(
                "dash-inflow-summary-no-plan",
                &[("enrolled", n.to_string())],
            ),
            None => String::new(),
        };
        let title = t.get("dash-inflow");
        charts.push(Chart {
            id: "inflow",
            svg: charts::line("inflow-chart", &title, &summary, &labels, &series, ""),
            title,
            summary,
            table: Table {
                heading: None,
                head: vec![
                    t.get("dash-month"),
                    t.get("dash-enrolled-month"),
                    t.get("dash-series-enrolled"),
                    t.get("dash-series-plan"),
                ],
                rows: d
                    .inflow
                    .iter()
                    .map(|m| {
                        let month = palett_domain::indicators::Month::parse(&m.month);
                        let count = m.enrolled.to_string();
                        vec![
                            Cell::text(m.month.clone()),
                            match month {
                                Some(mo) if m.enrolled > 0 => Cell::link(
                                    count,
                                    figure_href(
                                        project_id,
                                        &[
                                            ("indicator", "enrolled".into()),
                                            ("group", group_key(Group::IntakeMonth(mo))),
                                        ],
                                    ),
                                ),
                                _ => Cell::text(count),
                            },
                            Cell::text(m.cumulative.to_string()),
                            Cell::text(
                                m.planned_cumulative
                                    .map(|p| t.decimal(p))
                                    .unwrap_or_else(|| "–".into()),
                            ),
                        ]
                    })
                    .collect(),
            },
        });
    }
    // Exits by outcome.
    let ended: i64 = d.exits.iter().map(|(_, n)| n).sum();
    if ended > 0 {
        let rows: Vec<(String, f64)> = d
            .exits
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(o, n)| (t.get(&o.message_id()), *n as f64))
            .collect();
        let summary = t.with("dash-exits-summary", &[("ended", ended.to_string())]);
        let title = t.get("dash-exits");
        charts.push(Chart {
            id: "exits",
            svg: charts::bars("exits-chart", &title, &summary, &rows, ""),
            title,
            summary,
            table: Table {
                heading: None,
                head: vec![
                    t.get("field-exit-outcome"),
                    t.get("dash-count"),
                    t.get("dash-share"),
                ],
                rows: d
                    .exits
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(o, n)| {
                        vec![
                            Cell::text(t.get(&o.message_id())),
                            Cell::link(
                                n.to_string(),
                                figure_href(project_id, &[("outcome", o.as_str().into())]),
                            ),
                            Cell::text(
                                palett_domain::summary::percent(*n, ended)
                                    .map(|p| t.percent(p))
                                    .unwrap_or_default(),
                            ),
                        ]
                    })
                    .collect(),
            },
        });
    }
    // Time to job or studies (Kaplan–Meier).
    if !d.survival.is_empty() {
        let labels: Vec<String> = d.survival.iter().map(|p| p.month.to_string()).collect();
        let at = |m: i64| {
            d.survival
                .iter()
                .find(|p| p.month == m)
                .or(d.survival.last())
                .map(|p| t.percent(p.cumulative_share))
                .unwrap_or_default()
        };
        let summary = t.with(
            "dash-survival-summary",
            &[("six", at(6)), ("twelve", at(12)), ("eighteen", at(18))],
        );
        let title = t.get("dash-survival");
        charts.push(Chart {
            id: "survival",
            svg: charts::line(
                "survival-chart",
                &title,
                &summary,
                &labels,
                &[Series {
                    label: t.get("dash-series-cumulative"),
                    values: d
                        .survival
                        .iter()
                        .map(|p| Some(p.cumulative_share))
                        .collect(),
                    class: "series-b",
                    steps: true,
                }],
                " %",
            ),
            title,
            summary,
            table: Table {
                heading: None,
                head: vec![
                    t.get("dash-months-in"),
                    t.get("dash-at-risk"),
                    t.get("dash-events"),
                    t.get("dash-censored"),
                    t.get("dash-series-cumulative"),
                ],
                rows: d
                    .survival
                    .iter()
                    .map(|p| {
                        vec![
                            Cell::text(p.month.to_string()),
                            Cell::text(p.at_risk.to_string()),
                            Cell::text(p.events.to_string()),
                            Cell::text(p.censored.to_string()),
                            Cell::text(t.percent(p.cumulative_share)),
                        ]
                    })
                    .collect(),
            },
        });
    }
    // Time to job or studies, one curve per group of the breakdown.
    if d.survival_by.len() > 1 {
        charts.push(survival_by_chart(t, d));
    }
    // The share to job or studies over time, against its goal.
    if d.share_over_time.iter().any(|m| m.ended > 0) {
        charts.push(share_over_time_chart(t, d));
    }
    // Outcome by time in the programme.
    if d.by_time.iter().any(|b| b.ended > 0) {
        let band = |b: &palett_domain::indicators::DurationBand| match b.to_months {
            Some(to) => t.with(
                "dash-band",
                &[("from", b.from_months.to_string()), ("to", to.to_string())],
            ),
            None => t.with("dash-band-open", &[("from", b.from_months.to_string())]),
        };
        let rows: Vec<(String, f64)> = d
            .by_time
            .iter()
            .map(|b| (band(b), b.share.unwrap_or(0.0)))
            .collect();
        let best = d
            .by_time
            .iter()
            .filter(|b| b.ended > 0)
            .max_by(|a, b| a.share.unwrap_or(0.0).total_cmp(&b.share.unwrap_or(0.0)));
        let summary = best
            .map(|b| {
                t.with(
                    "dash-by-time-summary",
                    &[
                        ("band", band(b)),
                        ("share", b.share.map(|s| t.percent(s)).unwrap_or_default()),
                    ],
                )
            })
            .unwrap_or_default();
        let title = t.get("dash-by-time");
        charts.push(Chart {
            id: "by-time",
            svg: charts::bars("by-time-chart", &title, &summary, &rows, " %"),
            title,
            summary,
            table: Table {
                heading: None,
                head: vec![
                    t.get("dash-time-in"),
                    t.get("fig-ended"),
                    t.get("fig-to-job-or-studies"),
                    t.get("dash-share"),
                ],
                rows: d
                    .by_time
                    .iter()
                    .map(|b| {
                        vec![
                            Cell::text(band(b)),
                            Cell::text(b.ended.to_string()),
                            Cell::text(b.to_job_or_studies.to_string()),
                            Cell::text(b.share.map(|s| t.percent(s)).unwrap_or_else(|| "–".into())),
                        ]
                    })
                    .collect(),
            },
        });
    }

    let unit = d.breakdown_indicator.unit();
    let breakdown = Table {
        heading: None,
        head: vec![
            t.get(&d.breakdown_by.message_id()),
            t.get(&d.breakdown_indicator.message_id()),
            t.get("dash-base"),
        ],
        rows: d
            .breakdown
            .iter()
            .map(|(g, f)| {
                let href = figure_href(
                    project_id,
                    &[
                        ("indicator", f.indicator.as_str().into()),
                        ("group", group_key(*g)),
                    ],
                );
                vec![
                    Cell::text(group_label(t, *g, d)),
                    Cell::link(show(t, unit, f.value), href),
                    Cell::text(detail(t, f)),
                ]
            })
            .collect(),
    };
    DashboardPage {
        t,
        layout: Layout::for_caller(c, title, "dashboard", &base),
        period: t.with(
            "dash-period",
            &[
                ("start", d.period.start.to_string()),
                ("end", d.period.end.to_string()),
            ],
        ),
        scopes,
        reports: match project_id {
            Some(p) => palett_app::reports::ReportKind::ALL
                .iter()
                .map(|k| {
                    (
                        format!("/projects/{p}/reports/{}", k.as_str()),
                        t.get(&format!("report-kind-{}", k.as_str())),
                    )
                })
                .chain(c.signed.actor.can_export_participant_file().then(|| {
                    (
                        format!("/projects/{p}/esf-months"),
                        t.get("report-esf-month-link"),
                    )
                }))
                .collect(),
            None => Vec::new(),
        },
        warnings,
        goals,
        goals_href: (c.signed.actor.can_manage_goals() && project_id.is_some())
            .then(|| format!("/projects/{}/goals", project_id.unwrap_or_default())),
        figures,
        charts,
        self_path: base,
        indicator_options: KEY_INDICATORS
            .iter()
            .map(|i| {
                (
                    i.as_str().into(),
                    t.get(&i.message_id()),
                    *i == d.breakdown_indicator,
                )
            })
            .collect(),
        by_options: Breakdown::ALL
            .iter()
            .map(|b| {
                (
                    b.as_str().into(),
                    t.get(&b.message_id()),
                    *b == d.breakdown_by,
                )
            })
            .collect(),
        breakdown_caption: t.with(
            "dash-breakdown-caption",
            &[
                ("indicator", t.get(&d.breakdown_indicator.message_id())),
                ("by", t.get(&d.breakdown_by.message_id()).to_lowercase()),
            ],
        ),
        breakdown,
    }
}

async fn dashboard_page(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: DashQuery,
) -> Response {
    let t = c.tr();
    let by = q.by.as_deref().and_then(Breakdown::parse);
    let indicator = q.indicator.as_deref().and_then(Indicator::parse);
    let ctx = c.ctx();
    let d = match s.app.dashboard(&ctx, project_id, by, indicator).await {
        Ok(d) => d,
        Err(e) => return app_error(c, e),
    };
    let projects: Vec<(i64, String)> = match s.app.projects(&ctx).await {
        Ok(p) => p.into_iter().map(|p| (p.id, p.name)).collect(),
        Err(e) => return app_error(c, e),
    };
    render(build(t, c, &d, project_id, &projects))
}

pub async fn project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    Query(q): Query<DashQuery>,
) -> Response {
    match id(&raw) {
        Some(p) => dashboard_page(&s, &c, Some(p), q).await,
        None => app_error(&c, AppError::NotFound),
    }
}

pub async fn partnership_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DashQuery>,
) -> Response {
    dashboard_page(&s, &c, None, q).await
}

/// Read a figure reference from a link; an unknown key is a 404 (the link
/// can only have been made by hand).
fn figure_ref(q: &FigureQuery) -> Option<FigureRef> {
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

async fn figure_page(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: FigureQuery,
) -> Response {
    let t = c.tr();
    let Some(r) = figure_ref(&q) else {
        return app_error(c, AppError::NotFound);
    };
    let page = Page::new(q.page.as_deref().and_then(id), Some(25));
    let (items, total) = match s
        .app
        .figure_participants(&c.ctx(), project_id, &r, page)
        .await
    {
        Ok(x) => x,
        Err(e) => return app_error(c, e),
    };
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
    p.intro = Some(t.with("dash-behind-intro", &[("count", total.to_string())]));
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
        rows: items
            .into_iter()
            .map(|i| {
                vec![
                    Cell::link(
                        format!("{} {}", i.given_name, i.family_name),
                        format!("/participants/{}", i.id),
                    ),
                    Cell::text(i.birth_year.to_string()),
                    Cell::text(t.get(&i.status.message_id())),
                    Cell::text(i.responsible_organisation_name),
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
    p.pager = Pager::new(
        t,
        &format!("{base}/participants"),
        &query,
        page.number,
        page.count(total),
    );
    render(p)
}

pub async fn project_figure(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    Query(q): Query<FigureQuery>,
) -> Response {
    match id(&raw) {
        Some(p) => figure_page(&s, &c, Some(p), q).await,
        None => app_error(&c, AppError::NotFound),
    }
}

pub async fn partnership_figure(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<FigureQuery>,
) -> Response {
    figure_page(&s, &c, None, q).await
}

// ------------------------------------------------------------------ goals

fn goal_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "indicator", "dash-indicator", "select")
            .options(
                Indicator::ALL
                    .iter()
                    .map(|i| (i.as_str().into(), t.get(&i.message_id())))
                    .collect(),
            )
            .required(),
        FieldView::new(t, "target", "dash-target", "text")
            .hint(t, "hint-goal-target")
            .required(),
        FieldView::new(t, "period_start", "field-start-date", "date").required(),
        FieldView::new(t, "period_end", "field-end-date", "date").required(),
    ]
}

/// The goals of a project: a table with remove buttons above the form.
async fn goals_page(
    s: &AppState,
    c: &Caller,
    project_id: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Response {
    let t = c.tr();
    if !c.signed.actor.can_manage_goals() {
        return app_error(c, AppError::Forbidden);
    }
    let (project, goals) = match s.app.project_goals(&c.ctx(), project_id).await {
        Ok(x) => x,
        Err(e) => return app_error(c, e),
    };
    let mut defaults = form.clone();
    if form.0.is_empty() {
        defaults
            .0
            .push(("period_start".into(), project.start_date.to_string()));
        defaults
            .0
            .push(("period_end".into(), project.end_date.to_string()));
    }
    let mut spec = admin_spec(
        t,
        t.with("goals-title", &[("name", project.name.clone())]),
        "dashboard",
        format!("/projects/{project_id}/goals"),
        goal_fields(t),
        &format!("/projects/{project_id}/dashboard"),
    );
    let current: Vec<String> = goals
        .iter()
        .map(|g| {
            format!(
                "{} {} ({} – {})",
                t.get(&g.indicator.message_id()),
                show(t, g.indicator.unit(), Some(g.target)),
                g.period.start,
                g.period.end
            )
        })
        .collect();
    spec.intro = Some(if current.is_empty() {
        t.get("goals-intro-none")
    } else {
        t.with("goals-intro", &[("goals", current.join("; "))])
    });
    let status = if errors.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    spec.show(c, status, &defaults, errors)
}

pub async fn goals_form(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    match id(&raw) {
        Some(p) => goals_page(&s, &c, p, &FormData::default(), &FieldErrors::new()).await,
        None => app_error(&c, AppError::NotFound),
    }
}

pub async fn goal_create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(p) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let input = GoalInput {
        indicator: form.get("indicator"),
        target: form.get("target"),
        period_start: form.get("period_start"),
        period_end: form.get("period_end"),
    };
    match s.app.add_goal(&c.ctx(), Some(p), &input).await {
        Ok(_) => Redirect::to(&format!("/projects/{p}/dashboard#goals")).into_response(),
        Err(AppError::Invalid(errors)) => goals_page(&s, &c, p, &form, &errors).await,
        Err(e) => app_error(&c, e),
    }
}

pub async fn goal_delete(
    State(s): State<AppState>,
    c: Caller,
    Path((raw, goal)): Path<(String, String)>,
) -> Response {
    let (Some(p), Some(g)) = (id(&raw), id(&goal)) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.delete_goal(&c.ctx(), g).await {
        Ok(()) => Redirect::to(&format!("/projects/{p}/dashboard#goals")).into_response(),
        Err(e) => app_error(&c, e),
    }
}

// ------------------------------------------------------------------ API

fn figure_json(f: &Figure) -> serde_json::Value {
    json!({
        "indicator": f.indicator,
        "unit": f.indicator.unit(),
        "value": f.value,
        "count": f.count,
        "base": f.base,
    })
}

/// `GET /api/v1/projects/{id}/dashboard` and `GET /api/v1/dashboard`.
fn dashboard_json(d: &Dashboard) -> serde_json::Value {
    json!({
        "project_id": d.project.as_ref().map(|p| p.id),
        "period": {"start": d.period.start.to_string(), "end": d.period.end.to_string()},
        "goals": d.goals.iter().map(|g| json!({
            "id": g.goal.id,
            "indicator": g.goal.indicator,
            "target": g.goal.target,
            "period": {"start": g.goal.period.start.to_string(), "end": g.goal.period.end.to_string()},
            "value": g.figure.value,
            "expected_by_now": g.expected_by_now,
            "projection": g.projection,
            "state": g.state,
            "warning": g.warning(),
        })).collect::<Vec<_>>(),
        "figures": d.figures.iter().map(figure_json).collect::<Vec<_>>(),
        "inflow": d.inflow,
        "exits": d.exits.iter().map(|(o, n)| json!({"outcome": o, "count": n})).collect::<Vec<_>>(),
        "time_to_job_or_studies": d.survival,
        "time_to_job_or_studies_by_group": d.survival_by.iter().map(|(g, points)| json!({
            "group": group_key(*g),
            "points": points,
        })).collect::<Vec<_>>(),
        "share_over_time": {"goal": d.share_goal, "months": d.share_over_time},
        "outcome_by_time": d.by_time,
        "breakdown": {
            "by": d.breakdown_by,
            "indicator": d.breakdown_indicator,
            "groups": d.breakdown.iter().map(|(g, f)| {
                let mut v = figure_json(f);
                v["group"] = json!(group_key(*g));
                v
            }).collect::<Vec<_>>(),
        },
    })
}

pub async fn api_project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    Query(q): Query<DashQuery>,
) -> Response {
    let Some(p) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    api_dashboard_of(&s, &c, Some(p), q).await
}

pub async fn api_partnership_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DashQuery>,
) -> Response {
    api_dashboard_of(&s, &c, None, q).await
}

async fn api_dashboard_of(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: DashQuery,
) -> Response {
    let t = c.tr();
    let by = match q.by.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Breakdown::parse(v) {
            Some(b) => Some(b),
            None => {
                return ApiError::field(t, StatusCode::BAD_REQUEST, "by", "error-choice")
                    .into_response()
            }
        },
    };
    let indicator = match q.indicator.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Indicator::parse(v) {
            Some(i) => Some(i),
            None => {
                return ApiError::field(t, StatusCode::BAD_REQUEST, "indicator", "error-choice")
                    .into_response()
            }
        },
    };
    match s.app.dashboard(&c.ctx(), project_id, by, indicator).await {
        Ok(d) => Json(dashboard_json(&d)).into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}
