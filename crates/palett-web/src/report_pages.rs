//! Funder and board reports: a page per report with its period, and the
//! same tables as CSV, XLSX and PDF (each download audited by palett-app).

use crate::caller::Caller;
use crate::document::{pdf, xlsx, Document, Section, Value};
use crate::i18n::Tr;
use crate::pages::{app_error, id, render};
use crate::views::{escape, Cell, FilterForm, Layout, Table, TablePage};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palett_app::reports::{FunderReport, ReportKind};
use palett_app::AppError;

#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

fn title(t: Tr, kind: ReportKind) -> String {
    t.get(&format!("report-kind-{}", kind.as_str()))
}

/// The report as a document, in the caller's language.
pub fn document(t: Tr, r: &FunderReport) -> Document {
    let scope = r
        .project
        .as_ref()
        .map(|p| format!("{} ({})", p.name, p.funder))
        .unwrap_or_else(|| t.get("dash-whole-partnership"));
    let subtitle = t.with(
        "report-subtitle",
        &[
            ("scope", scope),
            ("start", r.period.start.to_string()),
            ("end", r.period.end.to_string()),
        ],
    );
    let sections = match r.kind {
        ReportKind::Final => {
            let enrolled = r.enrolled.count;
            let of_target = r
                .participant_target
                .and_then(|t| palett_domain::summary::percent(enrolled, t.round() as i64));
            let share = r.to_job_or_studies.value;
            let target_row = |label: &str, v: Value| vec![Value::text(t.get(label)), v];
            vec![
                Section {
                    heading: t.get("report-figures"),
                    head: vec![t.get("report-measure"), t.get("report-value")],
                    rows: vec![
                        target_row("fig-enrolled", Value::Int(enrolled)),
                        target_row(
                            "field-participant-target",
                            r.participant_target
                                .map_or(Value::Missing, |v| Value::Int(v.round() as i64)),
                        ),
                        target_row("report-enrolled-of-target", Value::percent(of_target)),
                        target_row("fig-ended", Value::Int(r.ended.count)),
                        target_row(
                            "fig-to-job-or-studies",
                            Value::Int(r.to_job_or_studies.count),
                        ),
                        target_row("indicator-share-job-or-studies", Value::percent(share)),
                        target_row(
                            "field-job-or-studies-target",
                            Value::percent(r.job_or_studies_goal),
                        ),
                        target_row(
                            "report-goal-met",
                            match (share, r.job_or_studies_goal) {
                                (Some(s), Some(g)) => {
                                    Value::text(t.get(if s >= g { "yes" } else { "no" }))
                                }
                                _ => Value::Missing,
                            },
                        ),
                    ],
                },
                Section {
                    heading: t.get("dash-exits"),
                    head: vec![
                        t.get("field-exit-outcome"),
                        t.get("dash-count"),
                        t.get("dash-share"),
                    ],
                    rows: r
                        .exits
                        .iter()
                        .map(|(o, n)| {
                            vec![
                                Value::text(t.get(&o.message_id())),
                                Value::Int(*n),
                                Value::percent(palett_domain::summary::percent(*n, r.ended.count)),
                            ]
                        })
                        .chain(std::iter::once(vec![
                            Value::text(t.get("total")),
                            Value::Int(r.ended.count),
                            Value::percent(palett_domain::summary::percent(
                                r.ended.count,
                                r.ended.count,
                            )),
                        ]))
                        .collect(),
                },
            ]
        }
        ReportKind::Finsam => {
            let total = r.per_intervention.iter().fold((0, 0, 0, 0), |a, x| {
                (a.0 + x.1, a.1 + x.2, a.2 + x.3, a.3 + x.4)
            });
            vec![Section {
                heading: t.get("report-per-intervention"),
                head: vec![
                    t.get("field-intervention"),
                    t.get("report-women"),
                    t.get("report-men"),
                    t.get("report-other-gender"),
                    t.get("total"),
                ],
                rows: r
                    .per_intervention
                    .iter()
                    .map(|(i, w, m, o, n)| {
                        vec![
                            Value::text(i.clone()),
                            Value::Int(*w),
                            Value::Int(*m),
                            Value::Int(*o),
                            Value::Int(*n),
                        ]
                    })
                    .chain(std::iter::once(vec![
                        Value::text(t.get("report-all-interventions")),
                        Value::Int(total.0),
                        Value::Int(total.1),
                        Value::Int(total.2),
                        Value::Int(total.3),
                    ]))
                    .collect(),
            }]
        }
    };
    Document {
        title: title(t, r.kind),
        subtitle,
        sections,
    }
}

/// `final`, `final.csv`, `final.xlsx` or `final.pdf`.
fn parse_file(file: &str) -> Option<(ReportKind, Option<&str>)> {
    match file.split_once('.') {
        None => Some((ReportKind::parse(file)?, None)),
        Some((k, ext @ ("csv" | "xlsx" | "pdf"))) => Some((ReportKind::parse(k)?, Some(ext))),
        Some(_) => None,
    }
}

pub async fn report(
    State(s): State<AppState>,
    c: Caller,
    Path((raw, file)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let t = c.tr();
    let (Some(project_id), Some((kind, ext))) = (id(&raw), parse_file(&file)) else {
        return app_error(&c, AppError::NotFound);
    };
    let (from, to) = (q.from.unwrap_or_default(), q.to.unwrap_or_default());
    let result = s
        .app
        .funder_report(&c.ctx(), kind, Some(project_id), &from, &to, ext.is_some())
        .await;
    let r = match result {
        Ok(r) => r,
        Err(AppError::Invalid(errors)) if ext.is_none() => {
            return page(t, &c, project_id, kind, &from, &to, None, Some(&errors));
        }
        Err(e) => return app_error(&c, e),
    };
    let doc = document(t, &r);
    let name = format!("{}-{}-{}", kind.as_str(), r.period.start, r.period.end);
    let file = |content_type: &str, ext: &str, body: Vec<u8>| {
        (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.{ext}\""),
                ),
            ],
            body,
        )
            .into_response()
    };
    match ext {
        None => page(t, &c, project_id, kind, &from, &to, Some(&doc), None),
        Some("csv") => file("text/csv; charset=utf-8", "csv", doc.csv(t).into_bytes()),
        Some("xlsx") => file(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            xlsx::write(&doc, t),
        ),
        Some(_) => file(
            "application/pdf",
            "pdf",
            pdf::write(&doc, t, &|n, of| {
                t.with(
                    "report-page",
                    &[("n", n.to_string()), ("of", of.to_string())],
                )
            }),
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn page(
    t: Tr,
    c: &Caller,
    project_id: i64,
    kind: ReportKind,
    from: &str,
    to: &str,
    doc: Option<&Document>,
    errors: Option<&palett_domain::FieldErrors>,
) -> Response {
    let base = format!("/projects/{project_id}/reports/{}", kind.as_str());
    let mut p = TablePage::new(t, Layout::for_caller(c, title(t, kind), "dashboard", &base));
    p.filter = Some(FilterForm {
        action: base.clone(),
        fields: vec![
            (
                "from".into(),
                t.get("report-from"),
                "date".into(),
                from.into(),
            ),
            ("to".into(), t.get("report-to"), "date".into(), to.into()),
        ],
    });
    if let Some(errors) = errors {
        let items: Vec<String> = errors
            .0
            .iter()
            .map(|f| {
                format!(
                    "<li>{}: {}</li>",
                    escape(&t.get(&format!("report-{}", f.field))),
                    escape(&t.get(f.code))
                )
            })
            .collect();
        p.notice = Some(format!("<ul class=\"error\">{}</ul>", items.join("")));
        let mut resp = render(p);
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return resp;
    }
    let Some(doc) = doc else {
        return render(p);
    };
    p.intro = Some(doc.subtitle.clone());
    let query = serde_urlencoded::to_string([("from", from), ("to", to)]).unwrap_or_default();
    for ext in ["xlsx", "csv", "pdf"] {
        p.links.push((
            format!("{base}.{ext}?{query}"),
            t.with("report-download", &[("format", ext.to_uppercase())]),
        ));
    }
    p.links.push((
        format!("/projects/{project_id}/dashboard"),
        t.get("dash-back"),
    ));
    for s in &doc.sections {
        p.tables.push(Table {
            heading: Some(s.heading.clone()),
            head: s.head.clone(),
            rows: s
                .rows
                .iter()
                .map(|r| r.iter().map(|v| Cell::text(v.shown(t))).collect())
                .collect(),
        });
    }
    render(p)
}
