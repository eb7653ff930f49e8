use crate::document::{xlsx, Document, Section, Value};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::reports::documents::{CSV, XLSX};
use crate::ui::render;
use crate::ui::views::{Block, FilterForm, Layout, TablePage};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use palett_app::AppError;
use palett_domain::admin::parse_month;

// ------------------------------------------------------- ESF+ monthly file

#[derive(serde::Deserialize, Default)]
pub struct MonthQuery {
    pub(crate) month: Option<String>,
}

/// The page that explains the monthly participant file and links it.
pub async fn esf_months(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    Query(q): Query<MonthQuery>,
) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_export_participant_file() {
        return Err(AppError::Forbidden.into());
    }
    s.app.project_goals(&c.ctx(), project_id).await?;
    let base = format!("/projects/{project_id}/esf-months");
    let month = q.month.unwrap_or_default();
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("esf-month-title"), "dashboard", &base),
    );
    p.intro = Some(t.get("esf-month-intro"));
    p.filter = Some(FilterForm {
        action: base.clone(),
        fields: vec![(
            "month".into(),
            t.get("esf-month"),
            "month".into(),
            month.clone(),
        )],
        selects: Vec::new(),
    });
    p.links.push((
        format!("/projects/{project_id}/dashboard"),
        t.get("dash-back"),
    ));
    if month.trim().is_empty() {
        return Ok(render(p));
    }
    Ok(
        match palett_domain::indicators::Month::parse(month.trim()) {
            Some(m) => {
                let (m, lines) = s.app.esf_month(&c.ctx(), project_id, Ok(m)).await?;
                p.tables.push(attestation_table(t, &m.to_string(), &lines));
                for ext in ["xlsx", "csv"] {
                    p.links.insert(
                        0,
                        (
                            format!("{base}/{m}.{ext}"),
                            t.with(
                                "esf-month-download",
                                &[("month", m.to_string()), ("format", ext.to_uppercase())],
                            ),
                        ),
                    );
                }
                render(p)
            }
            None => {
                p.blocks.push(Block::Errors(vec![format!(
                    "{}: {}",
                    t.get("esf-month"),
                    t.get("error-month")
                )]));
                let mut resp = render(p);
                *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                resp
            }
        },
    )
}

/// The monthly participant file as XLSX or CSV (audited by palett-app).
/// Her confirmation of the month in her portal, dated; a month whose time
/// changed after she confirmed it says so.
fn confirmed(t: crate::i18n::Tr, l: &palett_app::reports::MonthLine) -> Value {
    match l.confirmed {
        Some((minutes, at)) => {
            let day = day_of(at);
            if minutes == l.minutes {
                Value::text(day)
            } else {
                Value::text(t.with("esf-confirmed-changed", &[("day", day)]))
            }
        }
        None => Value::text(""),
    }
}

/// The month's participants with their attestation: the coordinator sees
/// whose month is not attested yet (or changed since), each linked to her
/// month.
fn attestation_table(
    t: crate::i18n::Tr,
    month: &str,
    lines: &[palett_app::reports::MonthLine],
) -> crate::ui::views::Table {
    use crate::ui::views::{Cell, Table};
    let waiting = lines
        .iter()
        .filter(|l| l.attested.as_ref().is_none_or(|a| a.minutes != l.minutes))
        .count();
    Table {
        heading: Some(t.with(
            "esf-not-attested-count",
            &[
                ("waiting", waiting.to_string()),
                ("count", lines.len().to_string()),
            ],
        )),
        head: [
            "field-name",
            "esf-hours",
            "esf-attested-by-caseworker",
            "esf-confirmed-by-her",
            "esf-corrections",
        ]
        .iter()
        .map(|id| t.get(id))
        .collect(),
        rows: lines
            .iter()
            .map(|l| {
                let status = attested(t, l);
                vec![
                    Cell::link(
                        format!("{} {}", l.given_name, l.family_name),
                        format!("/participants/{}/time?month={month}", l.participant_id),
                    ),
                    Cell::text(t.decimal((l.minutes as f64 / 6.0).round() / 10.0)),
                    Cell::text(if status.is_empty() {
                        t.get("time-not-attested")
                    } else {
                        status
                    }),
                    Cell::text(match confirmed(t, l) {
                        Value::Text(v) if !v.is_empty() => v,
                        _ => "–".into(),
                    }),
                    Cell::text(l.corrections.to_string()),
                ]
            })
            .collect(),
    }
}

/// The local day of a moment.
pub(crate) fn day_of(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|ts| {
            ts.to_zoned(palett_app::clock::stockholm())
                .date()
                .to_string()
        })
        .unwrap_or_default()
}

/// Her caseworker's attestation of the month: the day and who, or that
/// the time changed after it; empty when not attested.
fn attested(t: crate::i18n::Tr, l: &palett_app::reports::MonthLine) -> String {
    match &l.attested {
        Some(a) if a.minutes == l.minutes => t.with(
            "esf-attested",
            &[
                ("day", day_of(a.at)),
                ("who", a.by.clone().unwrap_or_default()),
            ],
        ),
        Some(a) => t.with("esf-attested-changed", &[("day", day_of(a.at))]),
        None => String::new(),
    }
}

pub async fn esf_month_file(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    Segment(file): Segment,
) -> Answer {
    let t = c.tr();
    let Some((month, ext @ ("xlsx" | "csv"))) = file.split_once('.') else {
        return Err(AppError::NotFound.into());
    };
    let (month, lines) = match s
        .app
        .esf_month(&c.ctx(), project_id, parse_month(month))
        .await
        .or_invalid()?
    {
        Ok(x) => x,
        Err(_) => return Err(AppError::NotFound.into()),
    };
    Ok(month_file(t, month, &lines, ext))
}

/// The monthly participant file: identity numbers (where her consent is
/// in force), names, dates, hours and attestation.
fn month_document(
    t: crate::i18n::Tr,
    month: palett_domain::indicators::Month,
    lines: &[palett_app::reports::MonthLine],
) -> Document {
    Document {
        title: t.with("esf-month-file-title", &[("month", month.to_string())]),
        subtitle: t.with(
            "esf-month-file-subtitle",
            &[("count", lines.len().to_string())],
        ),
        sections: vec![Section {
            heading: t.get("esf-month-participants"),
            head: vec![
                t.get("field-identity-number"),
                t.get("field-given-name"),
                t.get("field-family-name"),
                t.get("esf-start"),
                t.get("esf-end"),
                t.get("esf-hours"),
                t.get("esf-confirmed-by-her"),
                t.get("esf-attested-by-caseworker"),
                t.get("esf-corrections"),
                t.get("esf-note"),
            ],
            rows: lines
                .iter()
                .map(|l| {
                    let (number, note) = match (&l.identity_number, l.identity_consent) {
                        (Some(n), true) if n.len() == 12 => (
                            Value::text(format!("{}-{}", &n[..8], &n[8..])),
                            Value::text(""),
                        ),
                        (Some(_), false) => (
                            Value::Missing,
                            Value::text(t.get("esf-no-identity-consent")),
                        ),
                        _ => (Value::Missing, Value::text(t.get("esf-no-identity-number"))),
                    };
                    vec![
                        number,
                        Value::text(l.given_name.clone()),
                        Value::text(l.family_name.clone()),
                        l.intake
                            .map_or(Value::Missing, |d| Value::text(d.to_string())),
                        l.exit
                            .map_or(Value::text(""), |d| Value::text(d.to_string())),
                        Value::Number((l.minutes as f64 / 6.0).round() / 10.0),
                        confirmed(t, l),
                        Value::text(attested(t, l)),
                        Value::Int(l.corrections),
                        note,
                    ]
                })
                .collect(),
        }],
    }
}

/// The monthly participant file as `csv` or (anything else) `xlsx`, not
/// kept in any cache.
pub(crate) fn month_file(
    t: crate::i18n::Tr,
    month: palett_domain::indicators::Month,
    lines: &[palett_app::reports::MonthLine],
    ext: &str,
) -> axum::response::Response {
    let doc = month_document(t, month, lines);
    let (ext, content_type, body) = if ext == "csv" {
        ("csv", CSV, doc.csv(t).into_bytes())
    } else {
        ("xlsx", XLSX, xlsx::write(&doc, t))
    };
    let name = format!("esf-deltagare-{month}.{ext}");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            // A file of identity numbers is not kept in any cache.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
