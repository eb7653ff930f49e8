//! Her time for a month (per intervention and funding), its digital
//! attestation by her responsible caseworker, her own confirmation and the
//! corrections made after the month was attested; every month at a glance.

use super::attestation::{attested_status, hours};
use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::AppState;
use crate::http::{Id, Segment};
use crate::i18n::Tr;
use crate::ui::local_time;
use crate::ui::render;
use crate::ui::views::*;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::month_attestation::ParticipantMonth;
use palett_app::palette::hours_text;

/// One correction as shown: when, by whom, why, and the hours before and
/// after.
pub struct CorrectionView {
    pub when: String,
    pub by: String,
    pub reason: String,
    pub change: String,
}

/// One month in the overview.
pub struct MonthView {
    pub month: String,
    pub link: String,
    pub hours: String,
    pub status: String,
    pub confirmed: String,
    pub corrections: usize,
}

#[derive(Template)]
#[template(path = "time.html")]
pub struct TimePage {
    pub t: Tr,
    pub layout: Layout,
    pub action: String,
    pub back: String,
    pub month: String,
    pub rows: Vec<(String, String, String)>,
    pub total: String,
    /// A confirmation, or what was wrong with attesting.
    pub done: Option<String>,
    pub errors: Vec<String>,
    /// The selected month's attestation, her confirmation, corrections.
    pub status: String,
    pub confirmed: Option<String>,
    pub corrections: Vec<CorrectionView>,
    /// Where to post the attestation, when the caller may attest the month
    /// now (ended, with time, not attested or changed since).
    /// And the button's label.
    pub attest: Option<(String, String)>,
    pub months: Vec<MonthView>,
}

#[derive(serde::Deserialize, Default)]
pub struct MonthQuery {
    pub(crate) month: Option<String>,
    /// `attested`: the month was just attested (a fixed word).
    pub(crate) done: Option<String>,
}

fn when(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(local_time)
        .unwrap_or_default()
}

/// Her confirmation in the portal of a month with `minutes` now.
fn confirmed(t: Tr, m: &ParticipantMonth) -> Option<String> {
    m.confirmed.map(|(minutes, at)| {
        if minutes == m.minutes {
            t.with("time-confirmed-by-her", &[("when", when(at))])
        } else {
            t.with(
                "time-confirmed-by-her-changed",
                &[("when", when(at)), ("hours", hours(t, minutes))],
            )
        }
    })
}

/// The month `q.month` when it is one, else her latest month with time,
/// else the running month.
fn chosen(q: Option<String>, months: &[ParticipantMonth], running: &str) -> String {
    q.filter(|m| palett_domain::indicators::Month::parse(m).is_some())
        .or_else(|| months.first().map(|m| m.month.clone()))
        .unwrap_or_else(|| running.to_string())
}

async fn time_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    q: MonthQuery,
    errors: Vec<String>,
) -> Answer {
    let t = c.tr();
    let ctx = c.ctx();
    let view = s.app.participant(&ctx, pid).await?;
    let rows = s.app.time_rows(&ctx, pid).await?;
    let time = s.app.participant_months(&ctx, pid).await?;
    let month = chosen(q.month, &time.months, &time.running);
    let of_month: Vec<_> = rows.iter().filter(|r| r.month == month).collect();
    let total: i64 = of_month.iter().map(|r| r.minutes).sum();
    let this = time.months.iter().find(|m| m.month == month);
    let base = format!("/participants/{pid}/time");
    let attest = this
        .filter(|m| {
            time.may_attest
                && m.month < time.running
                && m.attested.as_ref().is_none_or(|a| a.minutes != m.minutes)
        })
        .map(|m| {
            (
                format!("{base}/{}/attest", m.month),
                t.with("time-attest-month", &[("month", m.month.clone())]),
            )
        });
    let page = TimePage {
        t,
        layout: Layout::for_caller(
            c,
            t.with(
                "time-title",
                &[
                    ("name", view.participant.full_name()),
                    ("month", month.clone()),
                ],
            ),
            "participants",
            &base,
        ),
        action: base.clone(),
        back: format!("/participants/{pid}"),
        rows: of_month
            .iter()
            .map(|r| {
                (
                    r.intervention.clone(),
                    r.project
                        .clone()
                        .unwrap_or_else(|| t.get("ordinary-operations")),
                    hours_text(r.minutes),
                )
            })
            .collect(),
        total: hours_text(total),
        done: (q.done.as_deref() == Some("attested")).then(|| t.get("time-month-attested")),
        errors,
        status: match this {
            Some(m) => attested_status(t, m.minutes, m.attested.as_ref()),
            None => t.get("time-not-attested"),
        },
        confirmed: this.and_then(|m| confirmed(t, m)),
        corrections: this
            .map(|m| {
                m.corrections
                    .iter()
                    .map(|k| CorrectionView {
                        when: when(k.at),
                        by: k.by.clone().unwrap_or_else(|| "–".into()),
                        reason: k.reason.clone(),
                        change: t.with(
                            "time-correction-change",
                            &[
                                ("before", hours(t, k.minutes_before)),
                                ("after", hours(t, k.minutes_after)),
                            ],
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        attest,
        months: time
            .months
            .iter()
            .map(|m| MonthView {
                month: m.month.clone(),
                link: format!("{base}?month={}", m.month),
                hours: hours(t, m.minutes),
                status: attested_status(t, m.minutes, m.attested.as_ref()),
                confirmed: confirmed(t, m).unwrap_or_else(|| "–".into()),
                corrections: m.corrections.len(),
            })
            .collect(),
        month,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(page)).into_response())
}

/// Her time for a month (`?month=YYYY-MM`), with its attestation.
pub async fn time(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Query(q): Query<MonthQuery>,
) -> Answer {
    time_page(&s, &c, pid, q, Vec::new()).await
}

/// Attest her month: back to the month with a confirmation, or the month
/// again (422) saying what is wrong.
pub async fn attest(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Segment(month): Segment,
) -> Answer {
    let q = MonthQuery {
        month: Some(month.clone()),
        done: None,
    };
    match s
        .app
        .attest_participant_month(&c.ctx(), pid, &month)
        .await
        .or_invalid()?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/participants/{pid}/time?month={month}&done=attested"
        ))
        .into_response()),
        Err(errors) => {
            let t = c.tr();
            let messages = errors.0.iter().map(|e| t.field_message(e)).collect();
            time_page(&s, &c, pid, q, messages).await
        }
    }
}
