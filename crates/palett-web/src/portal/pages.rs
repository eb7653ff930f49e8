//! Her pages: what comes next, her plan, schedule, time (a month she can
//! confirm), consents (one she can withdraw), her self-assessment and her
//! data. Mobile first: lists, not tables; plain words in her language.

use super::InPortal;
use crate::http::error::Answer;
use crate::http::{AppState, Segment};
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::portal::HerSession;
use palett_app::AppError;

#[derive(serde::Deserialize, Default)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

/// The confirmation a page shows after a save (`?done=…`), in her words.
pub(super) fn notice(t: Tr, q: &DoneQuery) -> Option<String> {
    let id = match q.done.as_deref()? {
        "welcome" => "portal-done-welcome",
        "confirmed" => "portal-done-confirmed",
        "withdrawn" => "portal-done-withdrawn",
        "assessment" => "portal-done-assessment",
        "questionnaire" => "portal-done-questionnaire",
        "asked" => "portal-done-asked",
        "calendar-revoked" => "portal-done-calendar-revoked",
        _ => return None,
    };
    Some(t.get(id))
}

pub(super) fn layout(
    p: &InPortal,
    title_id: &str,
    section: &'static str,
    path: &str,
) -> PortalLayout {
    PortalLayout::new(&p.visitor, p.tr().get(title_id), section, path)
}

/// The Swedish day of a moment, as her language writes it.
pub(super) fn day_of(t: Tr, at: jiff::Timestamp) -> String {
    t.date(at.to_zoned(palett_app::clock::stockholm()).date())
}

/// The Swedish day of a Unix time, as her language writes it.
fn day_of_secs(t: Tr, secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|ts| day_of(t, ts))
        .unwrap_or_default()
}

/// "7 december 2026 kl. 09:00–12:00: Svenska i butik (grupp A)".
fn session_line(t: Tr, s: &HerSession) -> (String, String, String) {
    let day =
        s.on.parse::<jiff::civil::Date>()
            .map(|d| t.date(d))
            .unwrap_or_else(|_| s.on.clone());
    let end = s
        .start
        .parse::<jiff::civil::Time>()
        .ok()
        .and_then(|st| {
            st.checked_add(jiff::SignedDuration::from_mins(s.minutes))
                .ok()
        })
        .map(|e| e.strftime("%H:%M").to_string())
        .unwrap_or_default();
    let when = t.with(
        "portal-session-when",
        &[
            ("day", day),
            ("start", t.digits(&s.start)),
            ("end", t.digits(&end)),
        ],
    );
    (
        when,
        format!("{} ({})", s.intervention, s.group),
        s.place.clone(),
    )
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    next: Option<String>,
    contacts: Vec<String>,
}

fn contact_lines(t: Tr, contacts: &[(String, String)]) -> Vec<String> {
    contacts
        .iter()
        .map(|(name, org)| {
            t.with(
                "portal-contact-line",
                &[("name", name.clone()), ("organisation", org.clone())],
            )
        })
        .collect()
}

pub async fn home(State(s): State<AppState>, p: InPortal, Query(q): Query<DoneQuery>) -> Answer {
    let t = p.tr();
    let home = s.app.her_home(&p.her, p.ip()).await?;
    let next = home.next.as_ref().map(|s| {
        let (when, what, _) = session_line(t, s);
        format!("{when}: {what}")
    });
    let mut layout = layout(&p, "portal-home-title", "home", "/portal");
    layout.title = t.with("portal-welcome", &[("name", p.her.given_name.clone())]);
    Ok(render(HomePage {
        t,
        layout,
        notice: notice(t, &q),
        next,
        contacts: contact_lines(t, &home.contacts),
    }))
}

#[derive(Template)]
#[template(path = "portal/plan.html")]
struct PlanPage {
    t: Tr,
    layout: PortalLayout,
    has_plan: bool,
    goals: Vec<String>,
    /// (what, when, her note)
    steps: Vec<(String, String, String)>,
    contacts: Vec<String>,
}

/// A day of her plan (`YYYY-MM-DD`) as her language writes it.
fn plan_day(t: Tr, d: &Option<String>) -> Option<String> {
    let d = d.as_deref()?.trim();
    Some(
        d.parse::<jiff::civil::Date>()
            .map(|d| t.date(d))
            .unwrap_or_else(|_| d.to_string()),
    )
}

pub async fn plan(State(s): State<AppState>, p: InPortal) -> Answer {
    let t = p.tr();
    let her = s.app.her_plan(&p.her, p.ip()).await?;
    let (goals, steps) = match &her.plan {
        Some(plan) => (
            plan.goals.iter().map(|g| g.text.clone()).collect(),
            plan.steps
                .iter()
                .map(|st| {
                    let what = her
                        .interventions
                        .get(&st.intervention_id)
                        .cloned()
                        .unwrap_or_default();
                    let when = match (plan_day(t, &st.planned_start), plan_day(t, &st.planned_end))
                    {
                        (Some(a), Some(b)) => t.with("portal-from-to", &[("from", a), ("to", b)]),
                        (Some(a), None) => t.with("portal-from", &[("from", a)]),
                        (None, Some(b)) => t.with("portal-until", &[("to", b)]),
                        (None, None) => String::new(),
                    };
                    (what, when, st.note.clone())
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(render(PlanPage {
        t,
        layout: layout(&p, "portal-plan-title", "plan", "/portal/plan"),
        has_plan: her.plan.is_some(),
        goals,
        steps,
        contacts: contact_lines(t, &her.contacts),
    }))
}

#[derive(Template)]
#[template(path = "portal/schedule.html")]
struct SchedulePage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    sessions: Vec<(String, String, String)>,
    placements: Vec<(String, String)>,
    /// When her calendar feed was made, in her words; none: she has none.
    calendar_made: Option<String>,
    /// The feed's address, shown once after it was made.
    calendar_address: Option<String>,
}

async fn schedule_page(
    s: &AppState,
    p: &InPortal,
    notice: Option<String>,
    calendar_address: Option<String>,
) -> Answer<SchedulePage> {
    let t = p.tr();
    let her = s.app.her_schedule(&p.her, p.ip()).await?;
    let calendar_made = her
        .calendar_made
        .map(|at| t.with("portal-calendar-made", &[("when", day_of_secs(t, at))]));
    Ok(SchedulePage {
        t,
        layout: layout(p, "portal-schedule-title", "schedule", "/portal/schedule"),
        notice,
        calendar_made,
        calendar_address,
        sessions: her.sessions.iter().map(|s| session_line(t, s)).collect(),
        placements: her
            .placements
            .iter()
            .map(|pl| {
                (
                    format!("{} – {}", pl.title, pl.employer),
                    t.with(
                        "portal-from-to",
                        &[("from", t.date(pl.start)), ("to", t.date(pl.end))],
                    ),
                )
            })
            .collect(),
    })
}

pub async fn schedule(
    State(s): State<AppState>,
    p: InPortal,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let n = notice(p.tr(), &q);
    Ok(render(schedule_page(&s, &p, n, None).await?))
}

/// A calendar feed of her sessions; its address shown once.
pub async fn make_calendar(
    State(s): State<AppState>,
    p: InPortal,
    headers: axum::http::HeaderMap,
) -> Answer {
    let secret = s.app.make_her_calendar(&p.her, p.ip()).await?;
    let address = format!(
        "{}/calendar/her/{secret}.ics",
        crate::http::origin(&s, &headers)
    );
    let mut resp = render(schedule_page(&s, &p, None, Some(address)).await?);
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

pub struct MonthLine {
    month: String,
    hours: String,
    status: String,
    confirm: Option<String>,
    confirm_label: String,
}

#[derive(Template)]
#[template(path = "portal/time.html")]
struct TimePage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    error: Option<String>,
    months: Vec<MonthLine>,
}

async fn time_page(
    s: &AppState,
    p: &InPortal,
    notice: Option<String>,
    error: Option<String>,
) -> Answer<TimePage> {
    let t = p.tr();
    let (months, running) = s.app.her_time(&p.her, p.ip()).await?;
    let months = months
        .iter()
        .map(|m| {
            let hours = t.with(
                "portal-hours",
                &[("hours", t.decimal(m.minutes as f64 / 60.0))],
            );
            let when = |at: i64| day_of_secs(t, at);
            let (status, may_confirm) = match m.confirmed {
                _ if m.month == running => (t.get("portal-month-running"), false),
                Some((minutes, at)) if minutes == m.minutes => (
                    t.with("portal-month-confirmed", &[("when", when(at))]),
                    false,
                ),
                Some((_, at)) => (t.with("portal-month-changed", &[("when", when(at))]), true),
                None => (t.get("portal-month-not-confirmed"), true),
            };
            MonthLine {
                month: t.month(&m.month),
                hours,
                status,
                confirm: may_confirm.then(|| format!("/portal/time/{}", m.month)),
                confirm_label: t.with("portal-confirm-month", &[("month", t.month(&m.month))]),
            }
        })
        .collect();
    Ok(TimePage {
        t,
        layout: layout(p, "portal-time-title", "time", "/portal/time"),
        notice,
        error,
        months,
    })
}

pub async fn time(State(s): State<AppState>, p: InPortal, Query(q): Query<DoneQuery>) -> Answer {
    let n = notice(p.tr(), &q);
    Ok(render(time_page(&s, &p, n, None).await?))
}

pub async fn confirm_month(
    State(s): State<AppState>,
    p: InPortal,
    Segment(month): Segment,
) -> Answer {
    match s.app.confirm_her_month(&p.her, p.ip(), &month).await {
        Ok(()) => Ok(Redirect::to("/portal/time?done=confirmed").into_response()),
        Err(AppError::Invalid(e)) => {
            let t = p.tr();
            let message = e.0.first().map(|f| t.field_message(f));
            let page = time_page(&s, &p, None, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ConsentLine {
    title: String,
    explained: String,
    partners: String,
    status: String,
    withdraw: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/consents.html")]
struct ConsentsPage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    consents: Vec<ConsentLine>,
}

pub async fn consents(
    State(s): State<AppState>,
    p: InPortal,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let t = p.tr();
    let all = s.app.her_consents(&p.her, p.ip()).await?;
    let consents = all
        .iter()
        .map(|(k, in_force)| {
            let id = format!("portal-{}", k.kind.message_id());
            let status = if let Some(at) = k.withdrawn_at {
                let day = day_of(t, at);
                t.with("portal-consent-withdrawn", &[("when", day)])
            } else if *in_force {
                match k.expires_on {
                    Some(e) => t.with(
                        "portal-consent-in-force-until",
                        &[("from", t.date(k.given_on)), ("to", t.date(e))],
                    ),
                    None => t.with("portal-consent-in-force", &[("from", t.date(k.given_on))]),
                }
            } else {
                t.get("portal-consent-not-in-force")
            };
            ConsentLine {
                title: t.get(&id),
                explained: t.get(&format!("{id}-text")),
                partners: k
                    .organisations
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                status,
                withdraw: in_force.then(|| format!("/portal/consents/{}/withdraw", k.id)),
            }
        })
        .collect();
    Ok(render(ConsentsPage {
        t,
        layout: layout(&p, "portal-consents-title", "consents", "/portal/consents"),
        notice: notice(t, &q),
        consents,
    }))
}

/// She asks to talk about a new consent.
pub async fn ask_about_consent(State(s): State<AppState>, p: InPortal) -> Answer {
    s.app.ask_about_consent(&p.her, p.ip()).await?;
    Ok(Redirect::to("/portal/consents?done=asked").into_response())
}
