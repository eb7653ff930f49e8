use crate::document::{pdf, xlsx, Document, Section, Value};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::{Block, Cell, FilterForm, Layout, Table, TablePage};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palett_app::reports::{FinalFigures, FunderReport, ReportBody, ReportKind};
use palett_app::AppError;
use palett_domain::admin::ReportPeriodInput;
use palett_domain::indicators::Unit;

#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

pub(crate) fn title(t: Tr, kind: ReportKind) -> String {
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
    let sections = match &r.body {
        ReportBody::Final(f) => final_sections(t, f),
        ReportBody::Finsam(rows) => finsam_sections(t, rows),
        ReportBody::BeforeAfter(rows) => before_after_sections(t, rows),
        ReportBody::EsfIndicators(rows) => esf_sections(t, rows),
    };
    Document {
        title: title(t, r.kind()),
        subtitle,
        sections,
    }
}

pub(crate) fn final_sections(t: Tr, r: &FinalFigures) -> Vec<Section> {
    let enrolled = r.enrolled.count;
    let of_target = r.enrolled_of_target();
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
                    r.goal_met().map_or(Value::Missing, |met| {
                        Value::text(t.get(if met { "yes" } else { "no" }))
                    }),
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
        Section {
            heading: t.get("report-bridge"),
            head: vec![t.get("report-measure"), t.get("report-value")],
            rows: r
                .bridge
                .iter()
                .map(|f| {
                    let value = match (f.indicator.unit(), f.value) {
                        (_, None) => Value::Missing,
                        (Unit::Percent, Some(v)) => Value::Percent(v),
                        (Unit::Count, _) => Value::Int(f.count),
                        (_, Some(v)) => Value::Number(v),
                    };
                    vec![Value::text(t.get(&f.indicator.message_id())), value]
                })
                .collect(),
        },
    ]
}

pub(crate) fn finsam_sections(
    t: Tr,
    per_intervention: &[(String, i64, i64, i64, i64)],
) -> Vec<Section> {
    let total = per_intervention.iter().fold((0, 0, 0, 0), |a, x| {
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
        rows: per_intervention
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

pub(crate) fn esf_sections(t: Tr, esf: &[palett_domain::esf::EsfRow]) -> Vec<Section> {
    vec![Section {
        heading: t.get("report-esf-heading"),
        head: vec![
            t.get("report-indicator"),
            t.get("total"),
            t.get("report-women"),
            t.get("report-men"),
            t.get("report-other-gender"),
            t.get("report-unknown-data"),
        ],
        rows: esf
            .iter()
            .map(|x| {
                let v = |n: Option<i64>| n.map_or(Value::Missing, Value::Int);
                vec![
                    Value::text(t.get(x.key)),
                    v(x.total),
                    v(x.women),
                    v(x.men),
                    v(x.other_gender),
                    Value::Int(x.unknown),
                ]
            })
            .collect(),
    }]
}

/// Counts of `key` over the grouped rows, in the vocabulary's order, each
/// with its share of `total`.
pub(crate) fn tally<T: Copy + PartialEq>(
    t: Tr,
    all: &[T],
    label: fn(T) -> String,
    rows: &[(Option<T>, i64)],
    total: i64,
) -> Vec<Vec<Value>> {
    all.iter()
        .map(|v| {
            let n: i64 = rows
                .iter()
                .filter(|(k, _)| *k == Some(*v))
                .map(|(_, n)| n)
                .sum();
            vec![
                Value::text(t.get(&label(*v))),
                Value::Int(n),
                Value::percent(palett_domain::summary::percent(n, total)),
            ]
        })
        .collect()
}

/// The before-and-after tables: situation at entry against the latest
/// follow-up done, for those who ended in the period.
pub(crate) fn before_after_sections(
    t: Tr,
    rows: &[palett_app::reports::BeforeAfterRow],
) -> Vec<Section> {
    use palett_domain::followup::{Employment, IncomeSource, LabourStatus};
    use palett_domain::values::EducationLevel;
    let total: i64 = rows.iter().map(|x| x.6).sum();
    // Followed up: a follow-up done (she was reached). One closed as not
    // reached has no answers, so she is among "no follow-up done": after
    // unknown, never a guess.
    let followed: i64 = rows.iter().filter(|x| x.4.is_some()).map(|x| x.6).sum();
    let head = vec![
        t.get("report-category"),
        t.get("dash-count"),
        t.get("dash-share"),
    ];
    let by = |f: &dyn Fn(&palett_app::reports::BeforeAfterRow) -> Option<&str>| -> Vec<(Option<String>, i64)> {
        rows.iter().map(|x| (f(x).map(str::to_string), x.6)).collect()
    };
    let labour: Vec<(Option<LabourStatus>, i64)> = by(&|x| Some(x.0.as_str()))
        .into_iter()
        .map(|(k, n)| (k.as_deref().and_then(LabourStatus::parse), n))
        .collect();
    let education: Vec<(Option<EducationLevel>, i64)> = by(&|x| Some(x.2.as_str()))
        .into_iter()
        .map(|(k, n)| (k.as_deref().and_then(EducationLevel::parse), n))
        .collect();
    let income_before: Vec<(Option<IncomeSource>, i64)> = by(&|x| Some(x.1.as_str()))
        .into_iter()
        .map(|(k, n)| (k.as_deref().and_then(IncomeSource::parse), n))
        .collect();
    let income_after: Vec<(Option<IncomeSource>, i64)> = by(&|x| x.5.as_deref())
        .into_iter()
        .map(|(k, n)| (k.as_deref().and_then(IncomeSource::parse), n))
        .collect();
    let employment: Vec<(Option<Employment>, i64)> = by(&|x| x.4.as_deref())
        .into_iter()
        .map(|(k, n)| (k.as_deref().and_then(Employment::parse), n))
        .collect();
    let mut employment_rows = tally(
        t,
        Employment::ALL,
        Employment::message_id,
        &employment,
        total,
    );
    employment_rows.push(vec![
        Value::text(t.get("report-no-follow-up")),
        Value::Int(total - followed),
        Value::percent(palett_domain::summary::percent(total - followed, total)),
    ]);
    let income_rows: Vec<Vec<Value>> = IncomeSource::ALL
        .iter()
        .map(|v| {
            let count = |list: &[(Option<IncomeSource>, i64)]| -> i64 {
                list.iter()
                    .filter(|(k, _)| *k == Some(*v))
                    .map(|(_, n)| n)
                    .sum()
            };
            vec![
                Value::text(t.get(&v.message_id())),
                Value::Int(count(&income_before)),
                Value::Int(count(&income_after)),
            ]
        })
        .chain(std::iter::once(vec![
            Value::text(t.get("report-no-follow-up")),
            Value::Missing,
            Value::Int(total - followed),
        ]))
        .collect();
    let bands: [(&str, Option<(i64, i64)>); 5] = [
        ("report-support-under-6", Some((0, 5))),
        ("report-support-6-11", Some((6, 11))),
        ("report-support-12-23", Some((12, 23))),
        ("report-support-24", Some((24, i64::MAX))),
        ("value-unknown", None),
    ];
    let support_rows: Vec<Vec<Value>> = bands
        .iter()
        .map(|(label, range)| {
            let n: i64 = rows
                .iter()
                .filter(|x| match (range, x.3) {
                    (Some((lo, hi)), Some(m)) => (*lo..=*hi).contains(&m),
                    (None, None) => true,
                    _ => false,
                })
                .map(|x| x.6)
                .sum();
            vec![
                Value::text(t.get(label)),
                Value::Int(n),
                Value::percent(palett_domain::summary::percent(n, total)),
            ]
        })
        .collect();
    vec![
        Section {
            heading: t.with(
                "report-before-after-base",
                &[
                    ("ended", total.to_string()),
                    ("followed", followed.to_string()),
                ],
            ),
            head: vec![t.get("report-measure"), t.get("report-value")],
            rows: vec![
                vec![Value::text(t.get("fig-ended")), Value::Int(total)],
                vec![
                    Value::text(t.get("report-followed-up")),
                    Value::Int(followed),
                ],
                vec![
                    Value::text(t.get("report-followed-up-share")),
                    Value::percent(palett_domain::summary::percent(followed, total)),
                ],
            ],
        },
        Section {
            heading: t.get("field-labour-status"),
            head: head.clone(),
            rows: tally(
                t,
                LabourStatus::ALL,
                LabourStatus::message_id,
                &labour,
                total,
            ),
        },
        Section {
            heading: t.get("report-employment-after"),
            head: head.clone(),
            rows: employment_rows,
        },
        Section {
            heading: t.get("report-income-before-after"),
            head: vec![
                t.get("report-category"),
                t.get("report-at-entry"),
                t.get("report-at-follow-up"),
            ],
            rows: income_rows,
        },
        Section {
            heading: t.get("field-education-level"),
            head: head.clone(),
            rows: tally(
                t,
                EducationLevel::ALL,
                EducationLevel::message_id,
                &education,
                total,
            ),
        },
        Section {
            heading: t.get("field-months-on-support"),
            head,
            rows: support_rows,
        },
    ]
}

/// `final`, `final.csv`, `final.xlsx` or `final.pdf`.
pub(crate) fn parse_file(file: &str) -> Option<(ReportKind, Option<&str>)> {
    match file.split_once('.') {
        None => Some((ReportKind::parse(file)?, None)),
        Some((k, ext @ ("csv" | "xlsx" | "pdf"))) => Some((ReportKind::parse(k)?, Some(ext))),
        Some(_) => None,
    }
}

pub async fn report(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    Segment(file): Segment,
    Query(q): Query<PeriodQuery>,
) -> Answer {
    let t = c.tr();
    let (kind, ext) = parse_file(&file).ok_or_else(WebError::not_found)?;
    let (from, to) = (q.from.unwrap_or_default(), q.to.unwrap_or_default());
    let period = ReportPeriodInput {
        from: from.clone(),
        to: to.clone(),
    };
    let result = s
        .app
        .funder_report(
            &c.ctx(),
            kind,
            Some(project_id),
            period.parse(),
            ext.is_some(),
        )
        .await;
    let r = match result {
        Ok(r) => r,
        Err(AppError::Invalid(errors)) if ext.is_none() => {
            return Ok(page(
                t,
                &c,
                project_id,
                kind,
                &from,
                &to,
                None,
                Some(&errors),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(match ext {
        None => page(
            t,
            &c,
            project_id,
            kind,
            &from,
            &to,
            Some(&document(t, &r)),
            None,
        ),
        Some(ext) => report_file(t, &r, ext)?,
    })
}

/// The report as a file to download: `csv`, `xlsx` or `pdf` (anything
/// else is taken as `pdf`), named after its kind and period.
pub(crate) fn report_file(t: Tr, r: &FunderReport, ext: &str) -> Answer<Response> {
    let doc = document(t, r);
    let name = format!("{}-{}-{}", r.kind().as_str(), r.period.start, r.period.end);
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
    Ok(match ext {
        "csv" => file(CSV, "csv", doc.csv(t).into_bytes()),
        "xlsx" => file(XLSX, "xlsx", xlsx::write(&doc, t)),
        _ => file(
            PDF,
            "pdf",
            pdf::write(&doc, t, &|n, of| {
                t.with(
                    "report-page",
                    &[("n", n.to_string()), ("of", of.to_string())],
                )
            })
            .ok_or_else(|| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "error-internal"))?,
        ),
    })
}

/// The content types of the files.
pub(crate) const CSV: &str = "text/csv; charset=utf-8";
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const PDF: &str = "application/pdf";

#[allow(clippy::too_many_arguments)]
pub(crate) fn page(
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
        selects: Vec::new(),
    });
    if let Some(errors) = errors {
        let items: Vec<String> = errors
            .0
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    t.get(&format!("report-{}", f.field)),
                    t.get(f.code)
                )
            })
            .collect();
        p.blocks.push(Block::Errors(items));
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
