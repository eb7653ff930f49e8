//! Self-assessment (självskattning): the participant rates, with her
//! caseworker, how a few statements about her life hold for her, on a scale
//! of 1 (not at all) to 5 (fully), at intake and again along the way. The
//! change from her first to her latest self-assessment is what the
//! indicator "improved self-assessment" counts.

use crate::values::{code, parse_past_date, text_enum};
use crate::FieldErrors;
use jiff::civil::Date;

text_enum!(
    /// A statement she rates; its text is message `self-aspect-<key>`.
    Aspect, "self-aspect" {
        Swedish = "swedish",
        Health = "health",
        Confidence = "confidence",
        WorkReadiness = "work_readiness",
        Network = "network",
        EverydayLife = "everyday_life",
    }
);

/// The lowest and highest score.
pub const SCALE: (i16, i16) = (1, 5);

/// One self-assessment: a score for every aspect, in [`Aspect::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfAssessment {
    pub id: i64,
    pub on: Date,
    pub scores: Vec<i16>,
    /// She filled it in herself, in her portal (not staff with her).
    pub by_participant: bool,
}

impl SelfAssessment {
    /// The sum of her scores (6 to 30).
    pub fn total(&self) -> i64 {
        self.scores.iter().map(|s| i64::from(*s)).sum()
    }
}

/// The change in total from her first to her latest self-assessment (by
/// date, then as recorded); `None` until there are two.
pub fn change(assessments: &[SelfAssessment]) -> Option<i64> {
    let mut sorted: Vec<&SelfAssessment> = assessments.iter().collect();
    sorted.sort_by_key(|a| (a.on, a.id));
    match sorted[..] {
        [first, .., latest] => Some(latest.total() - first.total()),
        _ => None,
    }
}

/// A parsed self-assessment: the day and one score per aspect, in
/// [`Aspect::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub on: Date,
    pub scores: Vec<i16>,
}

/// A self-assessment as submitted: the date and one score per aspect, in
/// [`Aspect::ALL`] order, every field text.
#[derive(Clone, Debug, Default)]
pub struct SelfAssessmentInput {
    pub on: String,
    pub scores: Vec<String>,
}

impl SelfAssessmentInput {
    /// Parse: the date not in the future, and every aspect scored within
    /// the scale (errors on `on` and on each aspect's key).
    pub fn parse(&self, today: Date) -> Result<Scored, FieldErrors> {
        let mut e = FieldErrors::new();
        let on = e.take("on", parse_past_date(&self.on, today));
        let mut scores = Vec::new();
        for (k, aspect) in Aspect::ALL.iter().enumerate() {
            let raw = self.scores.get(k).map(|s| s.trim()).unwrap_or("");
            let score = if raw.is_empty() {
                Err(code::REQUIRED)
            } else {
                raw.parse::<i16>()
                    .ok()
                    .filter(|s| (SCALE.0..=SCALE.1).contains(s))
                    .ok_or(code::CHOICE)
            };
            if let Some(s) = e.take(aspect.as_str(), score) {
                scores.push(s);
            }
        }
        match on {
            Some(on) if e.is_empty() => Ok(Scored { on, scores }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input(on: &str, scores: &[&str]) -> SelfAssessmentInput {
        SelfAssessmentInput {
            on: on.into(),
            scores: scores.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn every_aspect_must_be_scored_within_the_scale() {
        let today = date(2026, 11, 25);
        assert_eq!(
            input("2026-11-20", &["1", "2", "3", "4", "5", " 3 "]).parse(today),
            Ok(Scored {
                on: date(2026, 11, 20),
                scores: vec![1, 2, 3, 4, 5, 3]
            })
        );
        let e = input("2026-12-01", &["0", "", "6", "x", "5"])
            .parse(today)
            .expect_err("bad");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "on",
                "swedish",
                "health",
                "confidence",
                "work_readiness",
                "everyday_life"
            ]
        );
        assert_eq!(e.0[2].code, code::REQUIRED, "an empty score is missing");
        assert_eq!(e.0[1].code, code::CHOICE, "0 is off the scale");
    }

    #[test]
    fn the_change_runs_from_the_first_to_the_latest_by_date() {
        let a = |id, on, s: i16| SelfAssessment {
            id,
            on,
            scores: vec![s; 6],
            by_participant: false,
        };
        assert_eq!(change(&[]), None);
        assert_eq!(change(&[a(1, date(2026, 1, 1), 2)]), None);
        // Recorded out of order: the earliest date is the first.
        let later_first = [
            a(1, date(2026, 6, 1), 4),
            a(2, date(2026, 1, 1), 2),
            a(3, date(2026, 3, 1), 1),
        ];
        assert_eq!(change(&later_first), Some(24 - 12));
        assert_eq!(
            change(&[a(1, date(2026, 1, 1), 3), a(2, date(2026, 2, 1), 2)]),
            Some(-6)
        );
    }
}
