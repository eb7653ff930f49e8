//! Placements: an internship or job with an employer that a pipeline led
//! to, under an intervention of the palette (whose project funds it, or
//! ordinary operations), with the employer's supervisor, period and weekly
//! hours, its hours recorded like other activities (so they count in her
//! time and the ESF+ hours), a mid-way and a final review with the
//! employer, and its result.

use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_date, parse_optional_choice_id,
    parse_past_date, parse_weekly_hours, text_enum, text_input, Period, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;

text_enum!(PlacementResult, "placement-result" {
    JobOffer = "job_offer",
    Extended = "extended",
    Ended = "ended",
});

text_enum!(ReviewKind, "review-kind" {
    Midway = "midway",
    Final = "final",
});

/// A placement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub id: i64,
    pub participant_id: i64,
    pub participant_name: String,
    pub proposal_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub opening_title: String,
    /// The palette's intervention its hours count under.
    pub intervention_id: i64,
    pub intervention_name: String,
    pub supervisor_id: Option<i64>,
    pub supervisor_name: Option<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub minutes_per_week: Option<i64>,
    pub result: Option<PlacementResult>,
    pub result_on: Option<Date>,
    /// Minutes recorded for it so far.
    pub minutes_recorded: i64,
}

text_input!(
    /// A placement as submitted.
    PlacementInput {
        intervention_id,
        supervisor_id,
        start_date,
        end_date,
        hours_per_week,
    }
);

/// A placement to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementSpec {
    pub intervention_id: i64,
    pub supervisor_id: Option<i64>,
    pub start_date: Date,
    pub end_date: Date,
    pub minutes_per_week: Option<i64>,
}

impl PlacementInput {
    pub fn parse(&self) -> Result<PlacementSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let intervention = e.take("intervention_id", parse_choice_id(&self.intervention_id));
        let supervisor = e.take(
            "supervisor_id",
            parse_optional_choice_id(&self.supervisor_id),
        );
        let start = e.take("start_date", parse_date(&self.start_date));
        let end = e.take("end_date", parse_date(&self.end_date));
        if let (Some(s), Some(en)) = (start, end) {
            if Period::new(s, Some(en)).is_err() {
                e.push("end_date", code::PERIOD);
            }
        }
        let minutes = e.take("hours_per_week", parse_weekly_hours(&self.hours_per_week));
        match (intervention, supervisor, start, end, minutes) {
            (
                Some(intervention_id),
                Some(supervisor_id),
                Some(start_date),
                Some(end_date),
                Some(minutes_per_week),
            ) if e.is_empty() => Ok(PlacementSpec {
                intervention_id,
                supervisor_id,
                start_date,
                end_date,
                minutes_per_week,
            }),
            _ => Err(e),
        }
    }
}

/// A review with the employer: attendance, tasks, Swedish at work and
/// readiness for work, each 1 (far from) to 5 (fully), and free text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub kind: ReviewKind,
    pub on: Date,
    pub attendance: i64,
    pub tasks: i64,
    pub swedish: i64,
    pub readiness: i64,
    pub comment: Option<String>,
    pub by: Option<String>,
}

text_input!(
    /// A review as submitted.
    ReviewInput {
        kind,
        on_date,
        attendance,
        tasks,
        swedish,
        readiness,
        comment,
    }
);

fn score(s: &str) -> Result<i64, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    t.parse::<i64>()
        .ok()
        .filter(|v| (1..=5).contains(v))
        .ok_or(code::CHOICE)
}

impl ReviewInput {
    /// A review held on or after the placement's start and not after today.
    pub fn parse(&self, start: Date, today: Date) -> Result<Review, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.take("kind", parse_choice(&self.kind, ReviewKind::parse));
        let on = e.take("on_date", parse_past_date(&self.on_date, today));
        if on.is_some_and(|d| d < start) {
            e.push("on_date", "error-before-placement");
        }
        let attendance = e.take("attendance", score(&self.attendance));
        let tasks = e.take("tasks", score(&self.tasks));
        let swedish = e.take("swedish", score(&self.swedish));
        let readiness = e.take("readiness", score(&self.readiness));
        let comment = e.take("comment", optional_text(&self.comment, TextKind::LINES));
        match (kind, on, attendance, tasks, swedish, readiness, comment) {
            (
                Some(kind),
                Some(on),
                Some(attendance),
                Some(tasks),
                Some(swedish),
                Some(readiness),
                Some(comment),
            ) if e.is_empty() => Ok(Review {
                kind,
                on,
                attendance,
                tasks,
                swedish,
                readiness,
                comment,
                by: None,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A placement's result as submitted.
    ResultInput { result, on_date }
);

impl ResultInput {
    pub fn parse(&self, start: Date, today: Date) -> Result<(PlacementResult, Date), FieldErrors> {
        let mut e = FieldErrors::new();
        let result = e.take("result", parse_choice(&self.result, PlacementResult::parse));
        let on = e.take("on_date", parse_past_date(&self.on_date, today));
        if on.is_some_and(|d| d < start) {
            e.push("on_date", "error-before-placement");
        }
        match (result, on) {
            (Some(r), Some(on)) if e.is_empty() => Ok((r, on)),
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
    fn a_placement_has_a_period_and_maybe_weekly_hours() {
        let p = PlacementInput {
            intervention_id: "7".into(),
            supervisor_id: "".into(),
            start_date: "2021-04-12".into(),
            end_date: "2021-05-14".into(),
            hours_per_week: "25".into(),
        }
        .parse()
        .expect("a valid placement");
        assert_eq!((p.minutes_per_week, p.supervisor_id), (Some(1500), None));
        let bad = PlacementInput {
            intervention_id: "".into(),
            supervisor_id: "x".into(),
            start_date: "2021-05-14".into(),
            end_date: "2021-04-12".into(),
            hours_per_week: "0".into(),
        };
        assert_eq!(
            codes(bad.parse()),
            vec![
                ("intervention_id".to_string(), code::REQUIRED),
                ("supervisor_id".to_string(), code::CHOICE),
                ("end_date".to_string(), code::PERIOD),
                ("hours_per_week".to_string(), code::NUMBER),
            ]
        );
    }

    #[test]
    fn a_review_scores_four_things_from_one_to_five() {
        let (start, today) = (date(2021, 4, 12), date(2021, 5, 14));
        let input = ReviewInput {
            kind: "final".into(),
            on_date: "2021-05-14".into(),
            attendance: "5".into(),
            tasks: "4".into(),
            swedish: "3".into(),
            readiness: "4".into(),
            comment: "Vill anställa henne som extra i sommar.".into(),
        };
        let r = input.parse(start, today).expect("a review");
        assert_eq!((r.kind, r.attendance, r.swedish), (ReviewKind::Final, 5, 3));
        let bad = ReviewInput {
            on_date: "2021-04-11".into(),
            attendance: "6".into(),
            tasks: "".into(),
            ..input
        };
        assert_eq!(
            codes(bad.parse(start, today)),
            vec![
                ("on_date".to_string(), "error-before-placement"),
                ("attendance".to_string(), code::CHOICE),
                ("tasks".to_string(), code::REQUIRED),
            ]
        );
        let result = ResultInput {
            result: "job_offer".into(),
            on_date: "2021-05-14".into(),
        };
        assert_eq!(
            result.parse(start, today),
            Ok((PlacementResult::JobOffer, date(2021, 5, 14)))
        );
    }
}
