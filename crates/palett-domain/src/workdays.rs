//! Working days in Sweden, computed rather than typed in: the public
//! holidays of the law on public holidays (lag 1989:253), Easter by the
//! Gregorian computus, and the three eves that working life treats as
//! holidays (midsummer, Christmas and New Year's Eve). A partner's answer
//! time for referrals is counted in these days.
//!
//! No crate fits: the one Swedish holiday crate on crates.io works on
//! `chrono` with a time-zone database, where palett works on `jiff` dates,
//! and the rules are a dozen lines.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

/// Easter Sunday of `year` (the anonymous Gregorian computus), for years
/// 1583–9999; `None` outside them.
pub fn easter_sunday(year: i16) -> Option<Date> {
    if !(1583..=9999).contains(&year) {
        return None;
    }
    let y = i32::from(year);
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).ok()
}

/// Whether `d` is a day off in Sweden on a weekday: a public holiday, or
/// midsummer, Christmas or New Year's Eve.
pub fn is_holiday(d: Date) -> bool {
    let (month, day) = (d.month(), d.day());
    let fixed = matches!(
        (month, day),
        (1, 1) | (1, 6) | (5, 1) | (6, 6) | (12, 24) | (12, 25) | (12, 26) | (12, 31)
    );
    // Midsummer Eve: the Friday of 19–25 June (midsummer day, the
    // Saturday after it, and All Saints' Day, a Saturday, are weekend days).
    let midsummer_eve = month == 6 && (19..=25).contains(&day) && d.weekday() == Weekday::Friday;
    let movable = easter_sunday(d.year()).is_some_and(|easter| {
        // Good Friday, Easter Monday, Ascension Day.
        [-2i64, 1, 39]
            .iter()
            .any(|offset| easter.checked_add(offset.days()).ok() == Some(d))
    });
    fixed || midsummer_eve || movable
}

/// Whether `d` is a working day: Monday to Friday and no holiday.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_holiday(d)
}

/// The `n`th working day after `from` (`from` itself when `n` is 0).
pub fn add_working_days(from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => return d,
        }
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// The working days after `from` up to and including `to` (0 when `to`
/// is not after `from`).
pub fn working_days_between(from: Date, to: Date) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
        if is_working_day(d) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_falls_where_the_almanac_has_it() {
        for (year, month, day) in [
            (2018, 4, 1),
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
        ] {
            assert_eq!(easter_sunday(year), Some(date(year, month, day)), "{year}");
        }
        assert_eq!(easter_sunday(1200), None);
    }

    #[test]
    fn the_days_off_of_2026_by_hand() {
        let off = [
            date(2026, 1, 1),   // New Year's Day, Thursday
            date(2026, 1, 6),   // Epiphany, Tuesday
            date(2026, 4, 3),   // Good Friday
            date(2026, 4, 6),   // Easter Monday
            date(2026, 5, 1),   // May Day, Friday
            date(2026, 5, 14),  // Ascension Day, Thursday
            date(2026, 6, 19),  // Midsummer Eve, Friday
            date(2026, 12, 24), // Christmas Eve, Thursday
            date(2026, 12, 25), // Christmas Day
            date(2026, 12, 31), // New Year's Eve, Thursday
        ];
        for d in off {
            assert!(!is_working_day(d), "{d} is a day off");
        }
        for d in [
            date(2026, 4, 2),  // Maundy Thursday
            date(2026, 4, 7),  // the Tuesday after Easter
            date(2026, 6, 18), // the day before Midsummer Eve
            date(2026, 6, 22), // the Monday after midsummer
            date(2026, 12, 23),
        ] {
            assert!(is_working_day(d), "{d} is a working day");
        }
        // National Day 2026 is a Saturday; 2025's is a Friday.
        assert!(!is_working_day(date(2025, 6, 6)));
        assert!(is_working_day(date(2025, 6, 5)));
    }

    #[test]
    fn answer_times_count_across_easter_and_midsummer() {
        // Sent on Maundy Thursday 2026 with three working days to answer:
        // Good Friday, the weekend and Easter Monday do not count.
        assert_eq!(add_working_days(date(2026, 4, 2), 3), date(2026, 4, 9));
        // Sent the day before Midsummer Eve with two days.
        assert_eq!(add_working_days(date(2026, 6, 18), 2), date(2026, 6, 23));
        // An ordinary week.
        assert_eq!(add_working_days(date(2026, 11, 2), 5), date(2026, 11, 9));
        assert_eq!(add_working_days(date(2026, 11, 2), 0), date(2026, 11, 2));
        // Between: from the Thursday before Easter to the Thursday after.
        assert_eq!(working_days_between(date(2026, 4, 2), date(2026, 4, 9)), 3);
        assert_eq!(working_days_between(date(2026, 4, 9), date(2026, 4, 2)), 0);
        // Over Christmas and New Year 2026: 28–30 December and 4 January.
        assert_eq!(
            working_days_between(date(2026, 12, 23), date(2027, 1, 4)),
            4
        );
    }
}
