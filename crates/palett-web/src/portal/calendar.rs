//! Her calendar feed (RFC 5545, written by the icalendar crate): her coming
//! sessions with their time and place, for the calendar on her phone. The
//! address holds the secret, shown once; an unknown or revoked one is not
//! found. Outside the session layer, like the staff feed.

use super::pages::layout;
use super::InPortal;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use icalendar::{Calendar, Component, Event, EventLike};
use palett_app::portal::HerSession;

/// A moment as the calendar writes it (UTC).
fn utc(ts: jiff::Timestamp) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(ts.as_second(), 0)
}

fn event(s: &HerSession) -> Option<Event> {
    let day: jiff::civil::Date = s.on.parse().ok()?;
    let time: jiff::civil::Time = s.start.parse().ok()?;
    let start = day
        .to_datetime(time)
        .to_zoned(palett_app::clock::stockholm())
        .ok()?
        .timestamp();
    let end = start
        .checked_add(jiff::SignedDuration::from_mins(s.minutes))
        .ok()?;
    let mut e = Event::new();
    e.uid(&format!("her-session-{}@palett", s.id))
        .summary(&format!("{} – {}", s.intervention, s.group))
        .starts(utc(start)?)
        .ends(utc(end)?);
    if !s.place.is_empty() {
        e.location(&s.place);
    }
    Some(e.done())
}

/// The feed's text.
pub(crate) fn ics(sessions: &[HerSession]) -> String {
    let mut cal = Calendar::new();
    cal.name("palett");
    for s in sessions {
        if let Some(e) = event(s) {
            cal.push(e);
        }
    }
    cal.done().to_string()
}

pub async fn feed(State(s): State<AppState>, Path(file): Path<String>) -> Answer {
    let sessions = match crate::http::feed_secret(&file) {
        Some(secret) => s.app.her_calendar(secret).await?,
        None => None,
    };
    Ok(crate::http::calendar_answer(sessions.map(|x| ics(&x))))
}

#[derive(Template)]
#[template(path = "portal/calendar_revoke.html")]
struct RevokePage {
    t: Tr,
    layout: PortalLayout,
}

/// Turn her calendar address off once she said yes on the page that asks,
/// in her language, what it means; without it, that page (nothing changes).
pub async fn revoke(State(s): State<AppState>, p: InPortal, f: FormData) -> Answer {
    if !f.confirmed() {
        let path = "/portal/calendar/revoke";
        return Ok(render(RevokePage {
            t: p.tr(),
            layout: layout(&p, "portal-calendar-revoke-title", "schedule", path),
        })
        .into_response());
    }
    s.app.revoke_her_calendar(&p.her, p.ip()).await?;
    Ok(Redirect::to("/portal/schedule?done=calendar-revoked").into_response())
}
