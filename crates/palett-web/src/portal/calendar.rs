//! Her calendar feed (RFC 5545, written by the icalendar crate): her coming
//! sessions with their time and place, for the calendar on her phone. The
//! address holds the secret, shown once; an unknown or revoked one is not
//! found. Outside the session layer, like the staff feed.

use crate::http::error::Answer;
use crate::http::AppState;
use axum::extract::{Path, State};
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
