use super::page::show;
use crate::dashboards::page::group_label;
use crate::dashboards::page::{Chart, Drawing};
use crate::i18n::Tr;
use crate::ui::charts::{self, Series};
use crate::ui::views::Cell;
use palett_app::dashboard::Dashboard;
use palett_domain::indicators::{Figure, Group, Indicator, Unit};

/// Time to job or studies per group: the largest groups drawn (as many as
/// there are line styles), every group in the table.
pub(crate) fn survival_by_chart(t: Tr, d: &Dashboard) -> Chart {
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
    Chart::new(
        "survival-by",
        title,
        summary,
        Drawing::Line(&labels, &series, " %"),
        vec![
            by_label,
            t.get("dash-at-start"),
            t.with("dash-share-after", &[("months", "6".into())]),
            t.with("dash-share-after", &[("months", "12".into())]),
            t.with("dash-share-after", &[("months", "18".into())]),
        ],
        d.survival_by
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
    )
}

/// The share to job or studies month by month, with its goal as a line.
pub(crate) fn share_over_time_chart(t: Tr, d: &Dashboard) -> Chart {
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
    Chart::new(
        "share-over-time",
        title,
        summary,
        Drawing::Line(&labels, &series, " %"),
        vec![
            t.get("dash-month"),
            t.get("dash-ended-so-far"),
            t.get("fig-to-job-or-studies"),
            t.get("dash-series-share"),
        ],
        d.share_over_time
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
    )
}

/// The figure's count with its base ("42 av 247"), when it has one.
pub(crate) fn detail(t: Tr, f: &Figure) -> String {
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
        Unit::Days if f.indicator == Indicator::MedianDaysToPlacement => {
            t.with("fig-over-placed", &[("count", b.to_string())])
        }
        Unit::Days => t.with("fig-over", &[("count", b.to_string())]),
        Unit::PerMonth => t.with(
            "fig-in-months",
            &[("count", f.count.to_string()), ("months", b.to_string())],
        ),
        Unit::Count => String::new(),
    }
}
