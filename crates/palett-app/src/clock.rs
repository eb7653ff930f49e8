//! The clock is a parameter: production reads the system clock here and
//! nowhere else (clippy.toml forbids it elsewhere); tests advance a
//! [`TestClock`].

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;

    /// Today's date in Sweden.
    fn today(&self) -> Date {
        self.now().to_zoned(stockholm()).date()
    }
}

/// Europe/Stockholm, or UTC+1 if the system has no time zone database.
pub fn stockholm() -> TimeZone {
    TimeZone::get("Europe/Stockholm").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(1)))
}

pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until told to move.
pub struct TestClock(Mutex<Timestamp>);

impl TestClock {
    pub fn new(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t = t.checked_add(by).unwrap_or(*t);
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
