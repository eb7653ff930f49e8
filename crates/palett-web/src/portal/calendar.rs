//! Her calendar feed (RFC 5545, written by the icalendar crate): her coming
//! sessions with their time and place, for the calendar on her phone. The
//! address holds the secret, shown once; an unknown or revoked one is not
//! found. Outside the session layer, like the staff feed.

use crate::http::error::Answer;
use crate::http::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
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
    let secret = file.strip_suffix(".ics").unwrap_or_default();
    let sessions = if secret.is_empty() || secret.len() > 100 {
        None
    } else {
        s.app.her_calendar(secret).await?
    };
    let Some(sessions) = sessions else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let mut resp = ics(&sessions).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
