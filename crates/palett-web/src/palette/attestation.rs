//! Attested time: the caller's partner's recorded time by ended month,
//! each month signed by a coordinator; HTML and API.

use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{local_time, render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Json;
use palett_app::attestation::{Attested, MonthTime};

#[derive(serde::Deserialize, Default)]
pub struct AttestationQuery {
    /// `attested`: the month just signed (a fixed word).
    pub(crate) done: Option<String>,
}

/// Whether a month waits for a signature: never signed, or its time
/// changed since.
fn waits(m: &MonthTime) -> bool {
    m.attested.as_ref().is_none_or(|a| a.minutes != m.minutes)
}

pub(crate) fn hours(t: Tr, minutes: i64) -> String {
    t.decimal(minutes as f64 / 60.0)
}

fn status(t: Tr, m: &MonthTime) -> String {
    attested_status(t, m.minutes, m.attested.as_ref())
}

/// What is attested of a month with `minutes` now: not attested, attested
/// (when and by whom), or changed since (the hours attested).
pub(crate) fn attested_status(t: Tr, minutes: i64, attested: Option<&Attested>) -> String {
    match attested {
        None => t.get("time-not-attested"),
        Some(a) if a.minutes != minutes => {
            t.with("time-changed-since", &[("hours", hours(t, a.minutes))])
        }
        Some(a) => t.with(
            "time-attested-by",
            &[
                (
                    "when",
                    jiff::Timestamp::from_second(a.at)
                        .map(local_time)
                        .unwrap_or_default(),
                ),
                ("who", a.by.clone().unwrap_or_default()),
            ],
        ),
    }
}

pub async fn page(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AttestationQuery>,
) -> Answer {
    let t = c.tr();
    let mut blocks = Vec::new();
    if q.done.as_deref() == Some("attested") {
        blocks.push(Block::Alert(t.get("time-attested")));
    }
    attestation_page(&s, &c, blocks).await
}

/// The months with `blocks` above them (a confirmation, or what was
/// wrong with a month she tried to attest).
async fn attestation_page(s: &AppState, c: &Caller, blocks: Vec<Block>) -> Answer {
    let t = c.tr();
    let months = s.app.time_attestation(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            c,
            t.get("time-attestation-title"),
            "attestation",
            "/time-attestation",
        ),
    );
    p.intro = Some(t.get("time-attestation-intro"));
    p.blocks = blocks;
    p.tables.push(Table {
        heading: None,
        head: ["field-month", "time-hours", "field-status", "actions"]
            .iter()
            .map(|id| t.get(id))
            .collect(),
        rows: months
            .iter()
            .map(|m| {
                vec![
                    Cell::text(m.month.clone()),
                    Cell::text(hours(t, m.minutes)),
                    Cell::text(status(t, m)),
                    if waits(m) {
                        Cell::button(
                            t.with("time-attest", &[("month", m.month.clone())]),
                            format!("/time-attestation/{}", m.month),
                        )
                    } else {
                        Cell::text("")
                    },
                ]
            })
            .collect(),
    });
    if months.is_empty() {
        p.blocks.push(Block::Text(t.get("time-none")));
    }
    Ok(render(p))
}

/// Attest a month: on to the months with a confirmation, or the months
/// again (422) with what is wrong with that one.
pub async fn attest(State(s): State<AppState>, c: Caller, Path(month): Path<String>) -> Answer {
    match s.app.attest_month(&c.ctx(), &month).await.or_invalid()? {
        Ok(()) => Ok(Redirect::to("/time-attestation?done=attested").into_response()),
        Err(errors) => {
            let t = c.tr();
            let messages = errors.0.iter().map(|e| t.field_message(e)).collect();
            let mut resp = attestation_page(&s, &c, vec![Block::Errors(messages)]).await?;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
    }
}

/// One month of the partner's recorded time.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MonthTimeDto {
    /// `YYYY-MM`.
    pub month: String,
    pub minutes: i64,
    /// The minutes signed, when the month is attested.
    pub attested_minutes: Option<i64>,
    /// When it was signed (RFC 3339).
    pub attested_at: Option<String>,
    pub attested_by: Option<String>,
    /// Never signed, or its time changed since.
    pub to_attest: bool,
}

impl From<&MonthTime> for MonthTimeDto {
    fn from(m: &MonthTime) -> Self {
        MonthTimeDto {
            month: m.month.clone(),
            minutes: m.minutes,
            attested_minutes: m.attested.as_ref().map(|a| a.minutes),
            attested_at: m
                .attested
                .as_ref()
                .and_then(|a| jiff::Timestamp::from_second(a.at).ok())
                .map(|ts| ts.to_string()),
            attested_by: m.attested.as_ref().and_then(|a| a.by.clone()),
            to_attest: waits(m),
        }
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MonthTimeList {
    pub items: Vec<MonthTimeDto>,
}

/// The caller's partner's recorded time by ended month of the last year
#[utoipa::path(get, path = "/time-attestation", tag = "palette",
    responses((status = 200, body = MonthTimeList), (status = 403)))]
pub async fn time_attestation(State(s): State<AppState>, c: Caller) -> Answer<Json<MonthTimeList>> {
    let months = s.app.time_attestation(&c.ctx()).await?;
    Ok(Json(MonthTimeList {
        items: months.iter().map(MonthTimeDto::from).collect(),
    }))
}

/// Attest a month (`YYYY-MM`) of the caller's partner's recorded time
#[utoipa::path(post, path = "/time-attestation/{month}", tag = "palette",
    params(("month" = String, Path)),
    responses((status = 200, body = MonthTimeList), (status = 403), (status = 422)))]
pub async fn attest_time(
    State(s): State<AppState>,
    c: Caller,
    Path(month): Path<String>,
) -> Answer<Json<MonthTimeList>> {
    s.app.attest_month(&c.ctx(), &month).await?;
    time_attestation(State(s), c).await
}
