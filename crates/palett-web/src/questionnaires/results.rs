//! What the questionnaires show: per wave the response rate, the mean
//! scores and each item's distribution, and the change from intake to exit
//! by a breakdown, every count below k shown as "fewer than k"; and the
//! research export of the answers (wide, long, codebook, Stata).

use crate::document::{csv_cell, stata};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::{Cell, FieldView, FilterForm, FilterSelect, Layout, Table, TablePage};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use palett_app::questionnaire_results::{self as results, AnswersExport, By, VarKind};
use palett_app::AppError;
use palett_domain::research::ExportRequestInput;
use palett_domain::wave::WaveKey;

#[derive(serde::Deserialize, Default)]
pub struct ByQuery {
    #[serde(default)]
    by: String,
}

fn cell(t: Tr, c: results::Cell) -> String {
    match c {
        results::Cell::Count(n) => t.number(n),
        results::Cell::Few => t.with("results-few", &[("k", results::K.to_string())]),
    }
}

fn mean(t: Tr, v: Option<f64>) -> String {
    v.map_or_else(
        || "–".to_string(),
        |v| t.decimal((v * 100.0).round() / 100.0),
    )
}

fn breakdown_name(t: Tr, by: By) -> String {
    t.get(&format!("results-by-{}", by.as_str().replace('_', "-")))
}

/// The results of an instrument.
pub async fn page(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<ByQuery>,
) -> Answer {
    let t = c.tr();
    let by = By::parse(q.by.trim());
    let r = s.app.questionnaire_results(&c.ctx(), id, by).await?;
    let here = format!("/questionnaires/{id}/results");
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.with("results-title", &[("title", r.instrument.title.clone())]),
            "questionnaires",
            &here,
        ),
    );
    p.intro = Some(t.with("results-intro", &[("k", r.k.to_string())]));
    p.links
        .push((format!("/questionnaires/{id}"), t.get("results-instrument")));
    p.filter = Some(FilterForm {
        action: here.clone(),
        fields: Vec::new(),
        selects: vec![FilterSelect {
            name: "by".into(),
            label: t.get("results-breakdown"),
            value: by.map(|b| b.as_str().to_string()).unwrap_or_default(),
            options: std::iter::once((String::new(), t.get("results-by-none")))
                .chain(
                    By::ALL
                        .iter()
                        .map(|b| (b.as_str().to_string(), breakdown_name(t, *b))),
                )
                .collect(),
        }],
    });
    let wave = |w: &Option<WaveKey>| super::fill::wave_name(t, w.as_ref());
    p.tables.push(Table::headed(
        t,
        "results-rates",
        &[
            "questionnaire-wave",
            "results-fallen-due",
            "results-answered",
            "results-rate",
        ],
        r.waves
            .iter()
            .map(|w| {
                vec![
                    Cell::text(wave(&w.wave)),
                    Cell::text(
                        w.fallen_due
                            .map(|n| t.number(n))
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(cell(t, w.answered)),
                    Cell::text(w.rate.map(|p| t.percent(p)).unwrap_or_else(|| "–".into())),
                ]
            })
            .collect(),
    ));
    if !r.definition.scores.is_empty() {
        let mut head = vec![t.get("questionnaire-wave")];
        for s in &r.definition.scores {
            let label = s
                .label
                .get("sv", r.definition.default_language())
                .to_string();
            head.push(t.with("results-mean-of", &[("score", label)]));
        }
        p.tables.push(Table {
            heading: Some(t.get("results-scores")),
            head,
            rows: r
                .waves
                .iter()
                .map(|w| {
                    std::iter::once(Cell::text(wave(&w.wave)))
                        .chain(w.scores.iter().map(|s| {
                            Cell::text(format!("{} (n = {})", mean(t, s.mean), cell(t, s.n)))
                        }))
                        .collect()
                })
                .collect(),
        });
        p.tables.push(Table::headed(
            t,
            "results-change",
            &[
                "results-group",
                "results-score",
                "results-pairs",
                "results-at-intake",
                "results-at-exit",
                "results-change-mean",
            ],
            r.change
                .iter()
                .map(|x| {
                    vec![
                        Cell::text(x.group.clone().unwrap_or_else(|| t.get("results-everyone"))),
                        Cell::text(x.score.clone()),
                        Cell::text(cell(t, x.n)),
                        Cell::text(mean(t, x.intake)),
                        Cell::text(mean(t, x.exit)),
                        Cell::text(x.change.map_or_else(
                            || "–".to_string(),
                            |v| format!("{}{}", if v > 0.0 { "+" } else { "" }, mean(t, Some(v))),
                        )),
                    ]
                })
                .collect(),
        ));
    }
    // Each item: its answers per wave, one column a wave.
    if let Some(first) = r.waves.first() {
        for (n, item) in first.items.iter().enumerate() {
            let mut head = vec![t.get("results-answer")];
            head.extend(r.waves.iter().map(|w| wave(&w.wave)));
            let mut rows: Vec<Vec<Cell>> = item
                .counts
                .iter()
                .enumerate()
                .map(|(k, (label, _))| {
                    std::iter::once(Cell::text(label.clone()))
                        .chain(r.waves.iter().map(|w| {
                            Cell::text(
                                w.items
                                    .get(n)
                                    .and_then(|i| i.counts.get(k))
                                    .map(|(_, c)| cell(t, *c))
                                    .unwrap_or_default(),
                            )
                        }))
                        .collect()
                })
                .collect();
            if item.counts.is_empty() || item.mean.is_some() {
                rows.push(
                    std::iter::once(Cell::text(t.get("results-mean")))
                        .chain(
                            r.waves
                                .iter()
                                .map(|w| Cell::text(mean(t, w.items.get(n).and_then(|i| i.mean)))),
                        )
                        .collect(),
                );
            }
            p.tables.push(Table {
                heading: Some(item.label.clone()),
                head,
                rows,
            });
        }
    }
    Ok(render(p))
}

/// The research export of answers: which instrument, the key, k, and the
/// file.
fn answers_spec(t: Tr, instruments: &[(i64, String)]) -> crate::ui::FormSpec {
    let mut fields = vec![
        FieldView::new(t, "instrument", "research-answers-instrument", "select")
            .options(
                instruments
                    .iter()
                    .map(|(id, title)| (id.to_string(), title.clone()))
                    .collect(),
            )
            .required(),
    ];
    fields.extend(crate::exports::research::key_fields(t));
    fields.push(
        FieldView::new(t, "format", "research-answers-format", "select")
            .options(
                FORMATS
                    .iter()
                    .map(|(v, id)| (v.to_string(), t.get(id)))
                    .collect(),
            )
            .required(),
    );
    let mut spec = crate::ui::admin_spec(
        t,
        t.get("research-answers"),
        "reports",
        "/exports/research/answers".into(),
        fields,
        "/questionnaires",
    );
    spec.intro = Some(t.get("research-answers-intro"));
    spec.submit = t.get("research-answers-download");
    spec
}

/// The files the answers export comes as: (format, message id).
pub(crate) const FORMATS: [(&str, &str); 4] = [
    ("wide", "research-answers-wide"),
    ("long", "research-answers-long"),
    ("codebook", "research-answers-codebook"),
    ("stata", "research-answers-stata"),
];

pub(crate) async fn titles(s: &AppState, c: &Caller) -> Result<Vec<(i64, String)>, AppError> {
    Ok(s.app
        .instruments(&c.ctx())
        .await?
        .into_iter()
        .filter(|i| i.responses > 0)
        .map(|i| (i.id, i.title))
        .collect())
}

pub async fn answers_form(State(s): State<AppState>, c: Caller) -> Answer {
    if !c.signed.actor.can_export_research() {
        return Err(AppError::Forbidden.into());
    }
    let defaults = FormData(vec![
        ("k".into(), "5".into()),
        ("format".into(), "wide".into()),
    ]);
    Ok(answers_spec(c.tr(), &titles(&s, &c).await?).blank(&c, &defaults))
}

fn csv(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    for r in rows {
        out.push_str(&r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

/// The codebook: a variable per row with its label, kind, value labels
/// and the instrument versions it occurs in.
pub(crate) fn codebook(x: &AnswersExport) -> Vec<Vec<String>> {
    std::iter::once(
        ["variable", "label", "type", "values", "versions"]
            .map(String::from)
            .to_vec(),
    )
    .chain(x.variables.iter().map(|v| {
        vec![
            v.name.clone(),
            v.label.clone(),
            v.kind.as_str().to_string(),
            v.values
                .iter()
                .map(|(value, label)| format!("{value}={label}"))
                .collect::<Vec<_>>()
                .join(" | "),
            v.versions.clone(),
        ]
    }))
    .collect()
}

pub(crate) fn stata_file(x: &AnswersExport) -> Vec<u8> {
    let vars: Vec<stata::Var<'_>> = x
        .variables
        .iter()
        .map(|v| stata::Var {
            name: &v.name,
            label: &v.label,
            numeric: v.kind != VarKind::Text,
            value_labels: if v.kind == VarKind::Coded {
                v.values
                    .iter()
                    .filter_map(|(value, label)| Some((value.parse().ok()?, label.clone())))
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    stata::write(&format!("palett: {}", x.instrument.title), &vars, &x.wide)
}

/// The export as the chosen file, or the form again with what is wrong.
pub async fn answers(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    let t = c.tr();
    let instruments = titles(&s, &c).await?;
    let again = |errors: palett_domain::FieldErrors| {
        let mut form = f.clone();
        form.0.retain(|(k, _)| k != "key");
        answers_spec(t, &instruments).invalid(&c, &form, &errors)
    };
    let Some(id) = f
        .get("instrument")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| instruments.iter().any(|(i, _)| i == id))
    else {
        return Ok(again(palett_domain::FieldErrors::single(
            "instrument",
            "error-choice",
        )));
    };
    let format = f.get("format");
    let Some((format, _)) = FORMATS.iter().find(|(v, _)| *v == format) else {
        return Ok(again(palett_domain::FieldErrors::single(
            "format",
            "error-choice",
        )));
    };
    let x = match s
        .app
        .research_answers(&c.ctx(), id, f.input::<ExportRequestInput>().parse())
        .await
    {
        Ok(x) => x,
        Err(AppError::Invalid(e)) => return Ok(again(e)),
        Err(e) => return Err(e.into()),
    };
    Ok(answers_file(&x, format))
}

/// The answers export as the file `format` names (`wide`, `long`,
/// `codebook`: CSV; else the Stata dataset), the page's and the API's.
pub(crate) fn answers_file(x: &AnswersExport, format: &str) -> axum::response::Response {
    let name = x.instrument.name.clone();
    let text = |body: String, file: String| {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            body,
        )
            .into_response()
    };
    match format {
        "wide" => text(
            csv(
                std::iter::once(x.variables.iter().map(|v| v.name.clone()).collect())
                    .chain(x.wide.iter().cloned()),
            ),
            format!("palett-{name}-bred.csv"),
        ),
        "long" => text(
            csv(std::iter::once(
                ["pseudonym", "wave", "version", "variable", "value"]
                    .map(String::from)
                    .to_vec(),
            )
            .chain(x.long.iter().map(|r| r.to_vec()))),
            format!("palett-{name}-lang.csv"),
        ),
        "codebook" => text(csv(codebook(x)), format!("palett-{name}-kodbok.csv")),
        _ => (
            [
                (header::CONTENT_TYPE, "application/x-stata-dta".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"palett-{name}.dta\""),
                ),
            ],
            stata_file(x),
        )
            .into_response(),
    }
}
