//! The calendar feed of a user's sessions (RFC 5545, written by the
//! icalendar crate): the sessions of the groups she leads, by group and
//! intervention name and place, with no participant in them. Its address
//! holds the secret; an unknown or revoked one is not found.

use crate::http::error::Answer;
use crate::http::AppState;
use axum::extract::{Path, State};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use palett_app::worklist::LedSession;
use palett_domain::palette::SessionStatus;

pub async fn feed(State(s): State<AppState>, Path(file): Path<String>) -> Answer {
    let sessions = match crate::http::feed_secret(&file) {
        Some(secret) => s.app.calendar_sessions(secret).await?,
        None => None,
    };
    Ok(crate::http::calendar_answer(
        sessions.map(|x| ics(&x, s.app.now())),
    ))
}

/// A moment as the calendar writes it (UTC).
fn utc(ts: jiff::Timestamp) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(ts.as_second(), 0)
}

/// When the session starts and ends, its Swedish local time made exact.
fn span(x: &LedSession) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
    let time: jiff::civil::Time = x.start_time.parse().ok()?;
    let start = x
        .on_date
        .to_datetime(time)
        .to_zoned(palett_app::clock::stockholm())
        .ok()?
        .timestamp();
    let end = start
        .checked_add(jiff::SignedDuration::from_mins(x.minutes))
        .ok()?;
    Some((start, end))
}

/// The feed's text.
pub(crate) fn ics(sessions: &[LedSession], now: i64) -> String {
    let stamp = jiff::Timestamp::from_second(now).ok().and_then(utc);
    let mut cal = Calendar::new();
    cal.name("palett");
    for x in sessions {
        let Some((start, end)) = span(x) else {
            continue;
        };
        let (Some(start), Some(end)) = (utc(start), utc(end)) else {
            continue;
        };
        let mut e = Event::new();
        e.uid(&format!("session-{}@palett", x.id))
            .summary(&format!("{} – {}", x.intervention_name, x.group_name))
            .starts(start)
            .ends(end)
            .status(match x.status {
                SessionStatus::Cancelled => EventStatus::Cancelled,
                SessionStatus::Scheduled => EventStatus::Confirmed,
            });
        if let Some(stamp) = stamp {
            e.timestamp(stamp);
        }
        if !x.place.is_empty() {
            e.location(&x.place);
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn session(id: i64, on: jiff::civil::Date, status: SessionStatus) -> LedSession {
        LedSession {
            id,
            group_id: 1,
            group_name: "Måndagar, grupp 1".into(),
            intervention_name: "Svenska; språkcafé".into(),
            on_date: on,
            start_time: "09:30".into(),
            minutes: 90,
            place: "Hallunda, rum 2".into(),
            status,
            recorded: false,
        }
    }

    #[test]
    fn sessions_become_events_in_utc_with_their_text_escaped() {
        let text = ics(
            &[
                session(7, date(2026, 12, 7), SessionStatus::Scheduled),
                session(8, date(2026, 7, 6), SessionStatus::Cancelled),
            ],
            1_765_000_000,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        // 09:30 in Stockholm is 08:30 UTC in winter, 07:30 in summer.
        assert!(text.contains("DTSTART:20261207T083000Z"), "{text}");
        assert!(text.contains("DTEND:20261207T100000Z"), "{text}");
        assert!(text.contains("DTSTART:20260706T073000Z"), "{text}");
        assert!(text.contains("UID:session-7@palett"));
        assert!(text.contains("STATUS:CANCELLED"));
        // A semicolon and a comma in a text value are escaped.
        assert!(
            text.contains("Svenska\\; språkcafé – Måndagar\\, grupp 1"),
            "{text}"
        );
    }
}
