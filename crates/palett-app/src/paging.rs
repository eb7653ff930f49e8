//! One page of a list: every list in palett is paginated.

/// A page request: 1-based page number and size (capped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl Page {
    pub const MAX_SIZE: i64 = 100;

    pub fn new(number: Option<i64>, size: Option<i64>) -> Self {
        Self {
            number: number.unwrap_or(1).max(1),
            size: size.unwrap_or(25).clamp(1, Self::MAX_SIZE),
        }
    }

    pub fn limit(&self) -> i64 {
        self.size
    }

    pub fn offset(&self) -> i64 {
        (self.number.saturating_sub(1)).saturating_mul(self.size)
    }

    /// How many pages `total` items fill.
    pub fn count(&self, total: i64) -> i64 {
        ((total + self.size - 1) / self.size).max(1)
    }
}
