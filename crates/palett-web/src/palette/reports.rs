use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::*;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use palett_app::palette::{attendance_rate, hours_text};
use palett_app::AppError;

// ---------------------------------------------------------------- reports

/// One report table: its name in the CSV link, heading, column heads, rows.
pub(crate) type ReportTable = (&'static str, String, Vec<String>, Vec<Vec<String>>);

/// The report tables: for the page (`page`: numbers as her language
/// writes them, "1 234") or for the CSV file (no sign between groups of
/// digits, which a program reads).
pub(crate) fn report_tables(
    t: Tr,
    r: &palett_app::palette::Reports,
    page: bool,
) -> Vec<ReportTable> {
    let count = |n: i64| if page { t.number(n) } else { n.to_string() };
    let hours_text = |minutes: i64| {
        if page {
            t.decimal(((minutes * 10 + 30) / 60) as f64 / 10.0)
        } else {
            hours_text(minutes)
        }
    };
    let rate = |p: i64, n: i64, a: i64| {
        attendance_rate(p, n, a)
            .map(|v| t.percent(v))
            .unwrap_or_else(|| "–".into())
    };
    let mut per_intervention: Vec<(String, i64, i64, i64)> = Vec::new();
    for g in &r.attendance {
        let (p, n, a) = (g.present, g.absent_notice, g.absent);
        match per_intervention.iter_mut().find(|x| x.0 == g.intervention) {
            Some(x) => {
                x.1 += p;
                x.2 += n;
                x.3 += a;
            }
            None => per_intervention.push((g.intervention.clone(), p, n, a)),
        }
    }
    let totals = r.minutes_by_partner.iter().fold((0, 0), |acc, x| {
        (acc.0 + x.project_minutes, acc.1 + x.ordinary_minutes)
    });
    let mut by_partner: Vec<Vec<String>> = r
        .minutes_by_partner
        .iter()
        .map(|m| {
            vec![
                m.partner.clone(),
                hours_text(m.project_minutes),
                hours_text(m.ordinary_minutes),
                hours_text(m.project_minutes + m.ordinary_minutes),
            ]
        })
        .collect();
    by_partner.push(vec![
        t.get("total"),
        hours_text(totals.0),
        hours_text(totals.1),
        hours_text(totals.0 + totals.1),
    ]);
    let counts = [
        t.get("attendance-present"),
        t.get("attendance-absent-notice"),
        t.get("attendance-absent"),
        t.get("attendance-rate"),
    ];
    vec![
        (
            "attendance-by-intervention",
            t.get("report-attendance-intervention"),
            [vec![t.get("field-intervention")], counts.to_vec()].concat(),
            per_intervention
                .iter()
                .map(|(i, p, n, a)| {
                    vec![i.clone(), count(*p), count(*n), count(*a), rate(*p, *n, *a)]
                })
                .collect(),
        ),
        (
            "attendance-by-group",
            t.get("report-attendance-group"),
            [
                vec![t.get("field-intervention"), t.get("field-group")],
                counts.to_vec(),
            ]
            .concat(),
            r.attendance
                .iter()
                .map(|g| {
                    vec![
                        g.intervention.clone(),
                        g.group.clone(),
                        count(g.present),
                        count(g.absent_notice),
                        count(g.absent),
                        rate(g.present, g.absent_notice, g.absent),
                    ]
                })
                .collect(),
        ),
        (
            "sessions-per-month",
            t.get("report-sessions-month"),
            vec![
                t.get("field-month"),
                t.get("sessions-cancelled"),
                t.get("sessions-held"),
            ],
            r.sessions_per_month
                .iter()
                .map(|m| vec![m.month.clone(), count(m.cancelled), count(m.held)])
                .collect(),
        ),
        (
            "hours-by-partner",
            t.get("report-hours-partner"),
            vec![
                t.get("field-provider"),
                t.get("hours-project"),
                t.get("ordinary-operations"),
                t.get("total"),
            ],
            by_partner,
        ),
        (
            "interventions-in-use",
            t.get("report-in-use"),
            vec![
                t.get("field-intervention"),
                t.get("places-taken"),
                t.get("waiting-list"),
                t.get("field-capacity"),
            ],
            r.in_use
                .iter()
                .map(|u| {
                    vec![
                        u.intervention.clone(),
                        count(u.taken),
                        count(u.waiting),
                        u.capacity.map(count).unwrap_or_else(|| "–".into()),
                    ]
                })
                .collect(),
        ),
    ]
}

pub async fn reports(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let r = s.app.reports(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-reports"), "reports", "/reports"),
    );
    p.intro = Some(t.get("reports-intro"));
    p.links
        .push(("/reports/referrals".into(), t.get("referral-report")));
    if c.signed.actor.can_export_research() {
        p.links
            .push(("/exports/research".into(), t.get("research-export")));
    }
    p.links
        .push(("/questionnaires".into(), t.get("questionnaires")));
    // Each project's reports to its funder, in every format on its page.
    let projects = s.app.projects(&c.ctx()).await?;
    let esf = c.signed.actor.can_export_participant_file();
    let kinds = palett_app::reports::ReportKind::ALL;
    let mut head = vec![t.get("field-project")];
    head.extend(
        kinds
            .iter()
            .map(|k| t.get(&format!("report-kind-{}", k.as_str()))),
    );
    if esf {
        head.push(t.get("report-esf-month-link"));
    }
    p.tables.push(Table {
        heading: Some(t.get("reports-funder")),
        head,
        rows: projects
            .iter()
            .map(|pr| {
                let mut row = vec![Cell::link(
                    pr.name.clone(),
                    format!("/projects/{}/dashboard", pr.id),
                )];
                row.extend(kinds.iter().map(|k| {
                    Cell::link(
                        t.get(&format!("report-kind-{}", k.as_str())),
                        format!("/projects/{}/reports/{}", pr.id, k.as_str()),
                    )
                }));
                if esf {
                    row.push(Cell::link(
                        t.get("report-esf-month-link"),
                        format!("/projects/{}/esf-months", pr.id),
                    ));
                }
                row
            })
            .collect(),
    });
    for (name, heading, head, rows) in report_tables(t, &r, true) {
        p.links
            .push((format!("/reports/{name}.csv"), format!("{} (CSV)", heading)));
        p.tables.push(Table {
            heading: Some(heading),
            head,
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::text).collect())
                .collect(),
        });
    }
    Ok(render(p))
}

/// One report as CSV: `;` separated with a BOM, as Swedish Excel expects.
pub async fn report_csv(State(s): State<AppState>, c: Caller, Path(file): Path<String>) -> Answer {
    let t = c.tr();
    let r = s.app.reports(&c.ctx()).await?;
    let Some(name) = file.strip_suffix(".csv") else {
        return Err(AppError::NotFound.into());
    };
    let Some((_, _, head, rows)) = report_tables(t, &r, false)
        .into_iter()
        .find(|x| x.0 == name)
    else {
        return Err(AppError::NotFound.into());
    };
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(head).chain(rows) {
        let cells: Vec<String> = line.iter().map(|v| crate::document::csv_cell(v)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}
