use super::page::show;
use crate::dashboards::charts::detail;
use crate::dashboards::charts::share_over_time_chart;
use crate::dashboards::charts::survival_by_chart;
use crate::dashboards::page::base_path;
use crate::dashboards::page::definition;
use crate::dashboards::page::figure_href;
use crate::dashboards::page::group_label;
use crate::dashboards::page::state_label;
use crate::dashboards::page::DashboardPage;
use crate::dashboards::page::FigureCard;
use crate::dashboards::page::FOLD_ROWS;
use crate::dashboards::page::{Chart, Drawing};
use crate::http::caller::Caller;
use crate::i18n::Tr;
use crate::ui::charts::Series;
use crate::ui::views::{Cell, Layout, Table};
use palett_app::dashboard::{group_key, Dashboard, KEY_INDICATORS};
use palett_domain::indicators::{Breakdown, EmployerIndicator, Figure, Group, Indicator};

pub(crate) fn build(
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
    // The list behind a figure, for who may see participants (the list
    // refuses the others; evaluators see the figures only).
    let drill = c.signed.actor.sees_participants();
    let figure_cell = |text: String, href: String| {
        if drill {
            Cell::link(text, href)
        } else {
            Cell::text(text)
        }
    };
    let ind_link = |f: &Figure| {
        drill.then(|| figure_href(project_id, &[("indicator", f.indicator.as_str().into())]))
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
                    Cell::link(
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
        .chain(d.employer_figures.iter().map(|(i, n, p)| {
            let (path, from, to) = match i {
                EmployerIndicator::ActiveEmployers => ("/employers", "active_from", "active_to"),
                EmployerIndicator::OpeningsFilled => ("/openings", "filled_from", "filled_to"),
            };
            FigureCard {
                label: t.get(&i.message_id()),
                value: t.decimal(*n as f64),
                detail: t.with(
                    "fig-period",
                    &[("from", p.start.to_string()), ("to", p.end.to_string())],
                ),
                definition: t.get(&format!("{}-definition", i.message_id())),
                href: c
                    .signed
                    .actor
                    .can_work_with_employers()
                    .then(|| format!("{path}?{from}={}&{to}={}", p.start, p.end)),
            }
        }))
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
                    ("enrolled", t.number(n)),
                    ("planned", t.decimal(p)),
                    ("from", d.inflow[0].month.clone()),
                    ("to", labels.last().cloned().unwrap_or_default()),
                    ("behind", behind.len().to_string()),
                ],
            ),
            Some((n, None)) => t.with("dash-inflow-summary-no-plan", &[("enrolled", t.number(n))]),
            None => String::new(),
        };
        let title = t.get("dash-inflow");
        charts.push(Chart::new(
            "inflow",
            title,
            summary,
            Drawing::Line(&labels, &series, ""),
            vec![
                t.get("dash-month"),
                t.get("dash-enrolled-month"),
                t.get("dash-series-enrolled"),
                t.get("dash-series-plan"),
            ],
            d.inflow
                .iter()
                .map(|m| {
                    let month = palett_domain::indicators::Month::parse(&m.month);
                    let count = t.number(m.enrolled);
                    vec![
                        Cell::text(m.month.clone()),
                        match month {
                            Some(mo) if m.enrolled > 0 => figure_cell(
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
                        Cell::text(t.number(m.cumulative)),
                        Cell::text(
                            m.planned_cumulative
                                .map(|p| t.decimal(p))
                                .unwrap_or_else(|| "–".into()),
                        ),
                    ]
                })
                .collect(),
        ));
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
        let summary = t.with("dash-exits-summary", &[("ended", t.number(ended))]);
        let title = t.get("dash-exits");
        charts.push(Chart::new(
            "exits",
            title,
            summary,
            Drawing::Bars(&rows, ""),
            vec![
                t.get("field-exit-outcome"),
                t.get("dash-count"),
                t.get("dash-share"),
            ],
            d.exits
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(o, n)| {
                    vec![
                        Cell::text(t.get(&o.message_id())),
                        figure_cell(
                            t.number(*n),
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
        ));
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
        charts.push(Chart::new(
            "survival",
            title,
            summary,
            Drawing::Line(
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
            vec![
                t.get("dash-months-in"),
                t.get("dash-at-risk"),
                t.get("dash-events"),
                t.get("dash-censored"),
                t.get("dash-series-cumulative"),
            ],
            d.survival
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(p.month.to_string()),
                        Cell::text(t.number(p.at_risk)),
                        Cell::text(t.number(p.events)),
                        Cell::text(t.number(p.censored)),
                        Cell::text(t.percent(p.cumulative_share)),
                    ]
                })
                .collect(),
        ));
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
        charts.push(Chart::new(
            "by-time",
            title,
            summary,
            Drawing::Bars(&rows, " %"),
            vec![
                t.get("dash-time-in"),
                t.get("fig-ended"),
                t.get("fig-to-job-or-studies"),
                t.get("dash-share"),
            ],
            d.by_time
                .iter()
                .map(|b| {
                    vec![
                        Cell::text(band(b)),
                        Cell::text(t.number(b.ended)),
                        Cell::text(t.number(b.to_job_or_studies)),
                        Cell::text(b.share.map(|s| t.percent(s)).unwrap_or_else(|| "–".into())),
                    ]
                })
                .collect(),
        ));
    }

    let charts: Vec<Chart> = charts.into_iter().map(|ch| ch.with_fold(t)).collect();
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
                    figure_cell(show(t, unit, f.value), href),
                    Cell::text(detail(t, f)),
                ]
            })
            .collect(),
    };
    let breakdown_caption = t.with(
        "dash-breakdown-caption",
        &[
            ("indicator", t.get(&d.breakdown_indicator.message_id())),
            ("by", t.get(&d.breakdown_by.message_id()).to_lowercase()),
        ],
    );
    let breakdown_fold = (breakdown.rows.len() > FOLD_ROWS).then(|| {
        t.with(
            "dash-table-fold",
            &[
                ("title", breakdown_caption.clone()),
                ("rows", breakdown.rows.len().to_string()),
            ],
        )
    });
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
        breakdown_caption,
        breakdown,
        breakdown_fold,
    }
}
