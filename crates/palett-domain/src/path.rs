//! The commands of her individual path: enrolling her, moving an
//! enrolment on, her planned end, a group and its sessions, attendance
//! and her recorded time.
//!
//! Each comes twice: as submitted (`…Input`, every field text, filled alike
//! by an HTML form and a JSON body) and parsed (the command the app's use
//! case takes). Parsing needs no database and names the field of every
//! problem; what depends on stored data (the intervention exists, she is on
//! the sheet, the date is within the project) the use case checks.

use crate::palette::{AttendanceStatus, EnrolmentStatus};
use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_date, parse_optional_choice_id,
    parse_optional_date, parse_past_date, required_text, text_input, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::ToSpan;

/// The most sessions one schedule makes (five years of weekly sessions).
pub const MAX_SCHEDULED: usize = 260;

/// A time of day as `HH:MM` (24-hour clock).
pub fn parse_time(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    let ok = t.len() == 5
        && t.as_bytes()[2] == b':'
        && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && t[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if t.is_empty() {
        Err(code::REQUIRED)
    } else if ok {
        Ok(t.to_string())
    } else {
        Err("error-time")
    }
}

/// Whole minutes from 1 to `max`.
pub fn parse_minutes(s: &str, max: i64) -> Result<i64, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    t.parse::<i64>()
        .ok()
        .filter(|m| (1..=max).contains(m))
        .ok_or(code::NUMBER)
}

/// Hours as typed ("1,5", "2") into whole minutes, at most a day.
pub fn parse_hours(s: &str) -> Result<i64, &'static str> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    match t.parse::<f64>() {
        Ok(h) if (1.0 / 60.0..=24.0).contains(&h) => Ok((h * 60.0).round() as i64),
        _ => Err(code::NUMBER),
    }
}

/// Optional multi-line text, empty as `None`.
fn reason(s: &str) -> Result<Option<String>, &'static str> {
    optional_text(s, TextKind::LINES)
}

text_input!(
    /// Enrolling her in an intervention, as submitted.
    EnrolInput {
        intervention_id,
        group_id,
        start_date,
        end_date,
    }
);

/// Enrolling her in an intervention (a group of it, if chosen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrol {
    pub intervention_id: i64,
    pub group_id: Option<i64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

impl Enrol {
    /// In the intervention, no group, no dates yet.
    pub fn in_intervention(intervention_id: i64) -> Self {
        Self {
            intervention_id,
            group_id: None,
            start_date: None,
            end_date: None,
        }
    }

    /// In one of the intervention's groups.
    pub fn in_group(intervention_id: i64, group_id: i64) -> Self {
        Self {
            group_id: Some(group_id),
            ..Self::in_intervention(intervention_id)
        }
    }
}

impl EnrolInput {
    pub fn parse(&self) -> Result<Enrol, FieldErrors> {
        let mut e = FieldErrors::new();
        let intervention_id = e.take("intervention_id", parse_choice_id(&self.intervention_id));
        let group_id = e.take("group_id", parse_optional_choice_id(&self.group_id));
        let start = e.take("start_date", parse_optional_date(&self.start_date));
        let end = e.take("end_date", parse_optional_date(&self.end_date));
        if let (Some(Some(s)), Some(Some(en))) = (start, end) {
            if en < s {
                e.push("end_date", code::PERIOD);
            }
        }
        match (intervention_id, group_id, start, end) {
            (Some(intervention_id), Some(group_id), Some(start_date), Some(end_date))
                if e.is_empty() =>
            {
                Ok(Enrol {
                    intervention_id,
                    group_id,
                    start_date,
                    end_date,
                })
            }
            _ => Err(e),
        }
    }
}

text_input!(
    /// Moving an enrolment on, as submitted.
    EnrolmentChangeInput {
        status,
        reason,
    }
);

/// Moving an enrolment on; discontinuing needs a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentChange {
    pub to: EnrolmentStatus,
    pub reason: Option<String>,
}

impl EnrolmentChangeInput {
    pub fn parse(&self) -> Result<EnrolmentChange, FieldErrors> {
        let mut e = FieldErrors::new();
        let to = e.take(
            "status",
            EnrolmentStatus::parse(self.status.trim()).ok_or(code::CHOICE),
        );
        let reason = e.take("reason", reason(&self.reason));
        if let (Some(EnrolmentStatus::Discontinued), Some(None)) = (to, &reason) {
            e.push("reason", code::REQUIRED);
        }
        match (to, reason) {
            (Some(to), Some(reason)) if e.is_empty() => Ok(EnrolmentChange { to, reason }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// Her planned end, as submitted.
    PlannedEndInput {
        planned_end,
        reason,
    }
);

/// Her planned end; moving one already set needs a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedEnd {
    pub planned_end: Date,
    pub reason: Option<String>,
}

impl PlannedEndInput {
    pub fn parse(&self) -> Result<PlannedEnd, FieldErrors> {
        let mut e = FieldErrors::new();
        let planned_end = e.take("planned_end", parse_date(&self.planned_end));
        let reason = e.take("reason", reason(&self.reason));
        match (planned_end, reason) {
            (Some(planned_end), Some(reason)) => Ok(PlannedEnd {
                planned_end,
                reason,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A group of an intervention, as submitted.
    GroupInput {
        name,
        leader_user_id,
    }
);

/// A group of an intervention, with its leader if chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGroup {
    pub name: String,
    pub leader_user_id: Option<i64>,
}

impl GroupInput {
    pub fn parse(&self) -> Result<NewGroup, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::NAME));
        let leader = e.take(
            "leader_user_id",
            parse_optional_choice_id(&self.leader_user_id),
        );
        match (name, leader) {
            (Some(name), Some(leader_user_id)) => Ok(NewGroup {
                name,
                leader_user_id,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// Sessions of a group, as submitted: weekly from `from` until `until`, or
    /// one session when `until` is empty.
    ScheduleInput {
        from,
        until,
        start_time,
        minutes,
        place,
    }
);

/// Sessions of a group: on `dates`, at `start_time` for `minutes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Every week on the weekday of the first, at most [`MAX_SCHEDULED`].
    pub dates: Vec<Date>,
    pub start_time: String,
    pub minutes: i64,
    pub place: Option<String>,
}

impl ScheduleInput {
    pub fn parse(&self) -> Result<Schedule, FieldErrors> {
        let mut e = FieldErrors::new();
        let from = e.take("from", parse_date(&self.from));
        let until = e.take("until", parse_optional_date(&self.until));
        let time = e.take("start_time", parse_time(&self.start_time));
        let minutes = e.take("minutes", parse_minutes(&self.minutes, 24 * 60));
        let place = e.take("place", optional_text(&self.place, TextKind::LINE));
        let (Some(from), Some(until), Some(start_time), Some(minutes), Some(place)) =
            (from, until, time, minutes, place)
        else {
            return Err(e);
        };
        let mut dates = vec![from];
        if let Some(until) = until {
            if until < from {
                return Err(FieldErrors::single("until", code::PERIOD));
            }
            let mut d = from;
            while let Ok(next) = d.checked_add(1.week()) {
                if next > until || dates.len() >= MAX_SCHEDULED {
                    break;
                }
                dates.push(next);
                d = next;
            }
        }
        Ok(Schedule {
            dates,
            start_time,
            minutes,
            place,
        })
    }
}

text_input!(
    /// Moving a session, as submitted.
    SessionMoveInput {
        on_date,
        start_time,
    }
);

/// Moving a session to another day and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionMove {
    pub on_date: Date,
    pub start_time: String,
}

impl SessionMoveInput {
    pub fn parse(&self) -> Result<SessionMove, FieldErrors> {
        let mut e = FieldErrors::new();
        let on_date = e.take("on_date", parse_date(&self.on_date));
        let start_time = e.take("start_time", parse_time(&self.start_time));
        match (on_date, start_time) {
            (Some(on_date), Some(start_time)) => Ok(SessionMove {
                on_date,
                start_time,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// Cancelling a session, as submitted.
    SessionCancelInput {
        reason,
    }
);

/// Cancelling a session, always with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionCancel {
    pub reason: String,
}

impl SessionCancelInput {
    pub fn parse(&self) -> Result<SessionCancel, FieldErrors> {
        required_text(&self.reason, TextKind::LINES)
            .map(|reason| SessionCancel { reason })
            .map_err(|c| FieldErrors::single("reason", c))
    }
}

/// A session's attendance sheet as submitted: participant id and status,
/// each as text, and why an attested month's time is corrected (empty
/// when none is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttendanceInput {
    pub rows: Vec<(String, String)>,
    pub correction_reason: String,
}

/// A session's attendance: a status for each participant named, and the
/// reason for correcting the time of a month already attested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance {
    pub marks: Vec<(i64, AttendanceStatus)>,
    pub correction_reason: Option<String>,
}

impl AttendanceInput {
    /// Each row's field is `attendance.{id}`; an id that is no number is
    /// nobody in the group.
    pub fn parse(&self) -> Result<Attendance, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut marks = Vec::new();
        for (k, v) in &self.rows {
            let k = k.trim();
            let field = format!("attendance.{k}");
            let Some(id) = k.parse::<i64>().ok().filter(|id| *id > 0) else {
                e.push(field, "error-not-in-group");
                continue;
            };
            match parse_choice(v, AttendanceStatus::parse) {
                Ok(status) => marks.push((id, status)),
                Err(_) => e.push(field, code::CHOICE),
            }
        }
        let correction_reason = e.take("correction_reason", reason(&self.correction_reason));
        e.into_result().map(|_| Attendance {
            marks,
            correction_reason: correction_reason.flatten(),
        })
    }
}

text_input!(
    /// Time she spent in an intervention on her own, as submitted.
    ActivityInput {
        intervention_id,
        on_date,
        hours,
        note,
    }
);

/// Time she spent in an intervention on one day, in whole minutes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    pub intervention_id: i64,
    pub on_date: Date,
    pub minutes: i64,
    pub note: Option<String>,
}

impl ActivityInput {
    /// The day may not be after `today`.
    pub fn parse(&self, today: Date) -> Result<Activity, FieldErrors> {
        let mut e = FieldErrors::new();
        let intervention_id = e.take("intervention_id", parse_choice_id(&self.intervention_id));
        let on_date = e.take("on_date", parse_past_date(&self.on_date, today));
        let minutes = e.take("hours", parse_hours(&self.hours));
        let note = e.take("note", reason(&self.note));
        match (intervention_id, on_date, minutes, note) {
            (Some(intervention_id), Some(on_date), Some(minutes), Some(note)) => Ok(Activity {
                intervention_id,
                on_date,
                minutes,
                note,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;
    use jiff::civil::date;

    #[test]
    fn an_enrolment_names_every_field_that_is_wrong() {
        let bad = EnrolInput {
            intervention_id: "kurs".into(),
            group_id: "-1".into(),
            start_date: "2026-05-01".into(),
            end_date: "2026-04-01".into(),
        };
        assert_eq!(
            codes(bad.parse()),
            [
                ("intervention_id".into(), code::CHOICE),
                ("group_id".into(), code::CHOICE),
                ("end_date".into(), code::PERIOD)
            ]
        );
        let empty = EnrolInput::default().parse();
        assert_eq!(codes(empty), [("intervention_id".into(), code::REQUIRED)]);
        let ok = EnrolInput {
            intervention_id: " 7 ".into(),
            group_id: "3".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse(), Ok(Enrol::in_group(7, 3)));
    }

    #[test]
    fn discontinuing_needs_a_reason_other_moves_do_not() {
        let stop = |reason: &str| EnrolmentChangeInput {
            status: "discontinued".into(),
            reason: reason.into(),
        };
        assert_eq!(
            codes(stop("  ").parse()),
            [("reason".into(), code::REQUIRED)]
        );
        assert_eq!(
            stop("Fick arbete").parse().map(|c| c.reason),
            Ok(Some("Fick arbete".into()))
        );
        let start = EnrolmentChangeInput {
            status: "ongoing".into(),
            reason: String::new(),
        };
        assert_eq!(start.parse().map(|c| c.to), Ok(EnrolmentStatus::Ongoing));
        let unknown = EnrolmentChangeInput {
            status: "finished".into(),
            reason: String::new(),
        };
        assert_eq!(codes(unknown.parse()), [("status".into(), code::CHOICE)]);
    }

    #[test]
    fn a_schedule_is_weekly_from_its_first_day_and_capped() {
        let weekly = ScheduleInput {
            from: "2026-09-01".into(),
            until: "2026-09-29".into(),
            start_time: "09:30".into(),
            minutes: "90".into(),
            place: "Tumba".into(),
        };
        let s = weekly.parse().expect("valid");
        assert_eq!(
            s.dates,
            [1, 8, 15, 22, 29].map(|d| date(2026, 9, d)).to_vec()
        );
        let one = ScheduleInput {
            until: String::new(),
            ..weekly.clone()
        };
        assert_eq!(one.parse().expect("valid").dates, [date(2026, 9, 1)]);
        let long = ScheduleInput {
            until: "2040-01-01".into(),
            ..weekly.clone()
        };
        assert_eq!(long.parse().expect("valid").dates.len(), MAX_SCHEDULED);
        let backwards = ScheduleInput {
            until: "2026-08-01".into(),
            ..weekly.clone()
        };
        assert_eq!(codes(backwards.parse()), [("until".into(), code::PERIOD)]);
        let bad = ScheduleInput {
            start_time: "9.30".into(),
            minutes: "0".into(),
            ..weekly
        };
        assert_eq!(
            codes(bad.parse()),
            [
                ("start_time".into(), "error-time"),
                ("minutes".into(), code::NUMBER)
            ]
        );
    }

    #[test]
    fn hours_are_typed_with_a_comma_or_a_point_and_kept_as_minutes() {
        assert_eq!(parse_hours("1,5"), Ok(90));
        assert_eq!(parse_hours("2"), Ok(120));
        assert_eq!(parse_hours("0"), Err(code::NUMBER));
        assert_eq!(parse_hours("25"), Err(code::NUMBER));
        assert_eq!(parse_hours(""), Err(code::REQUIRED));
        let today = date(2026, 5, 10);
        let later = ActivityInput {
            intervention_id: "4".into(),
            on_date: "2026-05-11".into(),
            hours: "1,5".into(),
            note: String::new(),
        };
        assert_eq!(
            codes(later.parse(today)),
            [("on_date".into(), code::DATE_FUTURE)]
        );
        let ok = ActivityInput {
            on_date: "2026-05-10".into(),
            ..later
        };
        assert_eq!(ok.parse(today).map(|a| a.minutes), Ok(90));
    }

    #[test]
    fn attendance_rows_name_the_participant_of_each_problem() {
        let sheet = AttendanceInput {
            rows: vec![
                ("12".into(), "present".into()),
                ("13".into(), "maybe".into()),
                ("x".into(), "present".into()),
            ],
            ..AttendanceInput::default()
        };
        assert_eq!(
            codes(sheet.parse()),
            [
                ("attendance.13".into(), code::CHOICE),
                ("attendance.x".into(), "error-not-in-group")
            ]
        );
        let ok = AttendanceInput {
            rows: vec![(" 12 ".into(), "absent".into())],
            ..AttendanceInput::default()
        };
        assert_eq!(
            ok.parse().map(|a| a.marks),
            Ok(vec![(12, AttendanceStatus::Absent)])
        );
    }
}
