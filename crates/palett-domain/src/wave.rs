//! When questionnaires fall due: a [`Schedule`] says at which points of a
//! participant's path an instrument is answered (at intake, every few
//! months, at exit, some months after exit); [`due_waves`] lists the waves
//! that have fallen due for her by a given day.

use crate::values::{code, parse_flag, text_input};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

/// Message id: a schedule with no point at which to answer.
pub const SCHEDULE_EMPTY: &str = "error-schedule-empty";

/// The most months between waves.
pub const EVERY_MONTHS_MAX: u8 = 24;
/// The most months after exit for a follow-up.
pub const FOLLOW_UP_MONTHS_MAX: u8 = 36;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub at_intake: bool,
    /// 1..=24
    pub every_months: Option<u8>,
    pub at_exit: bool,
    /// e.g. 6: months after exit
    pub follow_up_months: Option<u8>,
}

/// Which wave: the point of her path it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaveKey {
    Intake,
    /// Months since intake: 3, 6, 9 …
    Month(u16),
    Exit,
    /// Months after exit.
    FollowUp(u8),
}

impl WaveKey {
    /// "intake", "month_3", "exit", "follow_up_6".
    pub fn as_string(&self) -> String {
        match self {
            WaveKey::Intake => "intake".into(),
            WaveKey::Month(m) => format!("month_{m}"),
            WaveKey::Exit => "exit".into(),
            WaveKey::FollowUp(m) => format!("follow_up_{m}"),
        }
    }

    /// The key [`WaveKey::as_string`] gives, exactly; `None` for anything
    /// else (`month_0`, `month_03` …).
    pub fn parse(s: &str) -> Option<Self> {
        let key = match s {
            "intake" => WaveKey::Intake,
            "exit" => WaveKey::Exit,
            _ => {
                if let Some(m) = s.strip_prefix("month_") {
                    WaveKey::Month(m.parse().ok().filter(|m| *m > 0)?)
                } else {
                    let m = s.strip_prefix("follow_up_")?;
                    WaveKey::FollowUp(m.parse().ok().filter(|m| *m > 0)?)
                }
            }
        };
        (key.as_string() == s).then_some(key)
    }

    /// Sort key: intake, months ascending, exit, follow-up.
    pub fn order(&self) -> (u8, u16) {
        match self {
            WaveKey::Intake => (0, 0),
            WaveKey::Month(m) => (1, *m),
            WaveKey::Exit => (2, 0),
            WaveKey::FollowUp(m) => (3, u16::from(*m)),
        }
    }
}

/// One wave that has fallen due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wave {
    pub key: WaveKey,
    pub due: Date,
}

/// `d` plus whole calendar months (a month-end day clamped to the shorter
/// month's end: Jan 31 + 1 month = Feb 28/29); `None` past jiff's range.
fn plus_months(d: Date, months: i64) -> Option<Date> {
    d.checked_add(months.months()).ok()
}

/// The waves of one participant that have fallen due by `today`: intake on
/// her intake date; every N months from intake (intake + k*N months, jiff's
/// calendar month arithmetic where Jan 31 + 1 month = Feb 28/29) for k>=1
/// while that date is before her exit (if she exited) and not after today;
/// exit on her exit date; follow-up on exit + M months. Only waves with
/// due <= today are returned, in `order()`.
pub fn due_waves(schedule: &Schedule, intake: Date, exit: Option<Date>, today: Date) -> Vec<Wave> {
    let mut out = Vec::new();
    if schedule.at_intake && intake <= today {
        out.push(Wave {
            key: WaveKey::Intake,
            due: intake,
        });
    }
    if let Some(every) = schedule.every_months.filter(|n| *n > 0) {
        for k in 1u16.. {
            let months = k.saturating_mul(u16::from(every));
            let Some(due) = plus_months(intake, i64::from(months)) else {
                break;
            };
            if due > today || exit.is_some_and(|e| due >= e) || months == u16::MAX {
                break;
            }
            out.push(Wave {
                key: WaveKey::Month(months),
                due,
            });
        }
    }
    if let Some(exit) = exit {
        if schedule.at_exit && exit <= today {
            out.push(Wave {
                key: WaveKey::Exit,
                due: exit,
            });
        }
        if let Some(m) = schedule.follow_up_months.filter(|m| *m > 0) {
            if let Some(due) = plus_months(exit, i64::from(m)).filter(|d| *d <= today) {
                out.push(Wave {
                    key: WaveKey::FollowUp(m),
                    due,
                });
            }
        }
    }
    out.sort_by_key(|w| w.key.order());
    out
}

/// Days a fallen-due wave stays open to be answered before it counts as
/// missed (for the worklist).
pub const OPEN_DAYS: i64 = 60;

/// Whether a wave due on `due` is still open on `today`
/// (due <= today <= due + OPEN_DAYS).
pub fn is_open(due: Date, today: Date) -> bool {
    due <= today
        && due
            .checked_add(OPEN_DAYS.days())
            .map_or(true, |last| today <= last)
}

text_input!(
    /// A schedule as submitted (checkboxes "yes" when ticked).
    ScheduleInput {
        at_intake,
        every_months,
        at_exit,
        follow_up_months,
    }
);

/// A ticked checkbox: "yes", or the values of [`parse_flag`].
fn parse_tick(s: &str) -> Result<bool, &'static str> {
    if s.trim().eq_ignore_ascii_case("yes") {
        Ok(true)
    } else {
        parse_flag(s)
    }
}

/// Empty, or a whole number of months 1..=max (`error-number` with `min`
/// and `max` otherwise).
fn parse_months(e: &mut FieldErrors, field: &'static str, s: &str, max: u8) -> Option<Option<u8>> {
    let t = s.trim();
    if t.is_empty() {
        return Some(None);
    }
    match t.parse::<u8>().ok().filter(|m| (1..=max).contains(m)) {
        Some(m) => Some(Some(m)),
        None => {
            e.0.push(
                crate::FieldError::new(field, code::NUMBER)
                    .with_arg("min", "1")
                    .with_arg("max", max.to_string()),
            );
            None
        }
    }
}

impl ScheduleInput {
    /// Parse: `every_months` empty or 1..=24, `follow_up_months` empty or
    /// 1..=36 (`error-number` on the field, with `min` and `max`), the
    /// checkboxes "yes" (or `true`/`on`/`1`) when ticked (`error-choice`
    /// for other text), and at least one of the four set
    /// (`error-schedule-empty` on `at_intake`).
    pub fn parse(&self) -> Result<Schedule, FieldErrors> {
        let mut e = FieldErrors::new();
        let at_intake = e.take("at_intake", parse_tick(&self.at_intake));
        let every_months =
            parse_months(&mut e, "every_months", &self.every_months, EVERY_MONTHS_MAX);
        let at_exit = e.take("at_exit", parse_tick(&self.at_exit));
        let follow_up_months = parse_months(
            &mut e,
            "follow_up_months",
            &self.follow_up_months,
            FOLLOW_UP_MONTHS_MAX,
        );
        match (at_intake, every_months, at_exit, follow_up_months) {
            (Some(at_intake), Some(every_months), Some(at_exit), Some(follow_up_months))
                if e.is_empty() =>
            {
                if !at_intake && every_months.is_none() && !at_exit && follow_up_months.is_none() {
                    return Err(FieldErrors::single("at_intake", SCHEDULE_EMPTY));
                }
                Ok(Schedule {
                    at_intake,
                    every_months,
                    at_exit,
                    follow_up_months,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;
    use crate::FieldError;
    use jiff::civil::date;

    fn schedule(at_intake: bool, every: Option<u8>, at_exit: bool, follow: Option<u8>) -> Schedule {
        Schedule {
            at_intake,
            every_months: every,
            at_exit,
            follow_up_months: follow,
        }
    }

    fn keys(waves: &[Wave]) -> Vec<(String, Date)> {
        waves.iter().map(|w| (w.key.as_string(), w.due)).collect()
    }

    fn k(key: &str, due: Date) -> (String, Date) {
        (key.to_string(), due)
    }

    #[test]
    fn keys_as_text() {
        let all = [
            (WaveKey::Intake, "intake"),
            (WaveKey::Month(3), "month_3"),
            (WaveKey::Month(12), "month_12"),
            (WaveKey::Exit, "exit"),
            (WaveKey::FollowUp(6), "follow_up_6"),
        ];
        for (key, text) in &all {
            assert_eq!(key.as_string(), *text);
            assert_eq!(WaveKey::parse(text), Some(key.clone()));
        }
        for bad in [
            "",
            "month_",
            "month_0",
            "month_03",
            "month_x",
            "follow_up_0",
            "follow_up_300",
            "Intake",
            "month_-3",
            "month_+3",
        ] {
            assert_eq!(WaveKey::parse(bad), None, "{bad}");
        }
        let mut shuffled = vec![
            WaveKey::FollowUp(6),
            WaveKey::Month(12),
            WaveKey::Exit,
            WaveKey::Month(3),
            WaveKey::Intake,
        ];
        shuffled.sort_by_key(WaveKey::order);
        assert_eq!(
            shuffled,
            vec![
                WaveKey::Intake,
                WaveKey::Month(3),
                WaveKey::Month(12),
                WaveKey::Exit,
                WaveKey::FollowUp(6)
            ]
        );
        let mut by_ord = shuffled.clone();
        by_ord.reverse();
        by_ord.sort();
        assert_eq!(by_ord, shuffled, "Ord agrees with order()");
    }

    #[test]
    fn nothing_before_intake() {
        let s = schedule(true, Some(3), true, Some(6));
        assert_eq!(
            due_waves(&s, date(2026, 3, 1), None, date(2026, 2, 28)),
            vec![]
        );
        assert_eq!(
            keys(&due_waves(&s, date(2026, 3, 1), None, date(2026, 3, 1))),
            vec![k("intake", date(2026, 3, 1))]
        );
    }

    #[test]
    fn every_three_months_while_in_the_project() {
        let s = schedule(true, Some(3), false, None);
        // Intake 2025-11-15; today 2026-08-14: 3 and 6 months are due
        // (2026-02-15, 2026-05-15); 9 months (2026-08-15) is tomorrow.
        assert_eq!(
            keys(&due_waves(&s, date(2025, 11, 15), None, date(2026, 8, 14))),
            vec![
                k("intake", date(2025, 11, 15)),
                k("month_3", date(2026, 2, 15)),
                k("month_6", date(2026, 5, 15)),
            ]
        );
        // On the day itself it is due.
        assert_eq!(
            due_waves(&s, date(2025, 11, 15), None, date(2026, 8, 15)).len(),
            4
        );
    }

    #[test]
    fn month_end_intake_follows_the_calendar() {
        let s = schedule(false, Some(1), false, None);
        // Each wave counted from intake: Jan 31 + 1 month = Feb 28, + 2
        // months = Mar 31, + 3 = Apr 30, + 4 = May 31.
        assert_eq!(
            keys(&due_waves(&s, date(2026, 1, 31), None, date(2026, 5, 31))),
            vec![
                k("month_1", date(2026, 2, 28)),
                k("month_2", date(2026, 3, 31)),
                k("month_3", date(2026, 4, 30)),
                k("month_4", date(2026, 5, 31)),
            ]
        );
        // A leap year: Feb 29.
        assert_eq!(
            keys(&due_waves(&s, date(2028, 1, 31), None, date(2028, 2, 29))),
            vec![k("month_1", date(2028, 2, 29))]
        );
    }

    #[test]
    fn exit_cuts_the_monthly_waves() {
        let s = schedule(true, Some(2), true, Some(6));
        // Intake 2026-01-10, exit 2026-05-10: month 2 (2026-03-10) before
        // exit; month 4 falls on the exit day and is the exit wave; month 6
        // (2026-07-10) is after exit and never due. Today 2026-11-09: the
        // follow-up (2026-11-10) is not due yet.
        let waves = due_waves(
            &s,
            date(2026, 1, 10),
            Some(date(2026, 5, 10)),
            date(2026, 11, 9),
        );
        assert_eq!(
            keys(&waves),
            vec![
                k("intake", date(2026, 1, 10)),
                k("month_2", date(2026, 3, 10)),
                k("exit", date(2026, 5, 10)),
            ]
        );
        // The next day it is.
        let waves = due_waves(
            &s,
            date(2026, 1, 10),
            Some(date(2026, 5, 10)),
            date(2026, 11, 10),
        );
        assert_eq!(
            waves.last(),
            Some(&Wave {
                key: WaveKey::FollowUp(6),
                due: date(2026, 11, 10)
            })
        );
        assert_eq!(waves.len(), 4);
        // An exit recorded ahead of today is not due yet, and still cuts.
        let waves = due_waves(
            &s,
            date(2026, 1, 10),
            Some(date(2026, 5, 11)),
            date(2026, 5, 10),
        );
        assert_eq!(
            keys(&waves),
            vec![
                k("intake", date(2026, 1, 10)),
                k("month_2", date(2026, 3, 10)),
                k("month_4", date(2026, 5, 10)),
            ]
        );
    }

    #[test]
    fn follow_up_counts_from_exit_at_month_end() {
        let s = schedule(false, None, false, Some(1));
        // Exit 2026-08-31 + 1 month = 2026-09-30.
        assert_eq!(
            keys(&due_waves(
                &s,
                date(2026, 1, 1),
                Some(date(2026, 8, 31)),
                date(2026, 9, 30)
            )),
            vec![k("follow_up_1", date(2026, 9, 30))]
        );
        assert_eq!(
            due_waves(
                &s,
                date(2026, 1, 1),
                Some(date(2026, 8, 31)),
                date(2026, 9, 29)
            ),
            vec![]
        );
        // No exit: no follow-up, whatever the day.
        assert_eq!(
            due_waves(&s, date(2026, 1, 1), None, date(2030, 1, 1)),
            vec![]
        );
    }

    #[test]
    fn a_long_stay_monthly() {
        let s = schedule(false, Some(12), false, None);
        let waves = due_waves(&s, date(2020, 2, 29), None, date(2024, 3, 1));
        // Feb 29 + 12 months = 2021-02-28, … + 48 = 2024-02-29.
        assert_eq!(
            keys(&waves),
            vec![
                k("month_12", date(2021, 2, 28)),
                k("month_24", date(2022, 2, 28)),
                k("month_36", date(2023, 2, 28)),
                k("month_48", date(2024, 2, 29)),
            ]
        );
    }

    #[test]
    fn waves_stay_open_sixty_days() {
        let due = date(2026, 1, 1);
        assert!(!is_open(due, date(2025, 12, 31)));
        assert!(is_open(due, due));
        // 2026-01-01 + 60 days = 2026-03-02.
        assert!(is_open(due, date(2026, 3, 2)));
        assert!(!is_open(due, date(2026, 3, 3)));
    }

    fn input(a: &str, every: &str, b: &str, follow: &str) -> ScheduleInput {
        ScheduleInput {
            at_intake: a.into(),
            every_months: every.into(),
            at_exit: b.into(),
            follow_up_months: follow.into(),
        }
    }

    #[test]
    fn schedules_parse() {
        assert_eq!(
            input("yes", " 3 ", "", "6").parse(),
            Ok(schedule(true, Some(3), false, Some(6)))
        );
        assert_eq!(
            input("", "", "on", "").parse(),
            Ok(schedule(false, None, true, None))
        );
        assert_eq!(
            input("", "24", "", "36").parse(),
            Ok(schedule(false, Some(24), false, Some(36)))
        );
        assert_eq!(
            codes(input("", "", "", " ").parse()),
            vec![("at_intake".to_string(), SCHEDULE_EMPTY)]
        );
        let e = input("maybe", "25", "", "0").parse().expect_err("refused");
        assert_eq!(
            e.0,
            vec![
                FieldError::new("at_intake", code::CHOICE),
                FieldError::new("every_months", code::NUMBER)
                    .with_arg("min", "1")
                    .with_arg("max", "24"),
                FieldError::new("follow_up_months", code::NUMBER)
                    .with_arg("min", "1")
                    .with_arg("max", "36"),
            ]
        );
        assert_eq!(
            codes(input("", "x", "", "").parse()),
            vec![("every_months".to_string(), code::NUMBER)]
        );
        assert_eq!(
            codes(input("", "0", "", "").parse()),
            vec![("every_months".to_string(), code::NUMBER)]
        );
    }
}
