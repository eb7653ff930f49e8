//! The pipeline of one match: a participant proposed for an opening, her
//! agreement, her presentation to the employer (a disclosure of her data to
//! that employer), an interview, and placed or not. Each step is dated and
//! attributed; which step may follow which is decided here.

use crate::values::{
    code, optional_text, parse_choice, parse_past_date, text_enum, text_input, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::Timestamp;

text_enum!(Stage, "proposal-stage" {
    Proposed = "proposed",
    Agreed = "agreed",
    Declined = "declined",
    Presented = "presented",
    Interview = "interview",
    Placed = "placed",
    NotPlaced = "not_placed",
});

impl Stage {
    /// The stages that may follow this one.
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Proposed => &[Agreed, Declined],
            Agreed => &[Presented, Declined],
            Presented => &[Interview, Placed, NotPlaced],
            Interview => &[Placed, NotPlaced],
            Declined | Placed | NotPlaced => &[],
        }
    }

    /// Whether the pipeline has ended here.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Whether this step needs a reason from [`NotPlacedReason`].
    pub fn needs_reason(self) -> bool {
        self == Stage::NotPlaced
    }
}

text_enum!(
    /// Why a presentation did not lead to a placement.
    NotPlacedReason, "not-placed-reason" {
        EmployerDeclined = "employer_declined",
        SheDeclined = "she_declined",
        NoShow = "no_show",
        PlacesFilled = "places_filled",
        Other = "other",
    }
);

/// A participant's pipeline for one opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub opening_id: i64,
    pub opening_title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub participant_id: i64,
    pub participant_name: String,
    pub stage: Stage,
    /// The day of its latest step.
    pub stage_on: Date,
}

/// One step of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalStep {
    pub stage: Stage,
    pub on: Date,
    pub reason: Option<NotPlacedReason>,
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: Timestamp,
}

text_input!(
    /// A step as submitted.
    StepInput {
        stage,
        on_date,
        reason,
        note,
    }
);

/// A step to take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStep {
    pub stage: Stage,
    pub on: Date,
    pub reason: Option<NotPlacedReason>,
    pub note: Option<String>,
}

impl StepInput {
    /// Parse a step after `current` (on or before `today`, not before the
    /// day of the current stage).
    pub fn parse(&self, current: Stage, since: Date, today: Date) -> Result<NewStep, FieldErrors> {
        let mut e = FieldErrors::new();
        let stage = e.take("stage", parse_choice(&self.stage, Stage::parse));
        if let Some(s) = stage {
            if !current.next().contains(&s) {
                e.push("stage", "error-stage-order");
            }
        }
        let on = e.take("on_date", parse_past_date(&self.on_date, today));
        if on.is_some_and(|d| d < since) {
            e.push("on_date", "error-stage-before");
        }
        let reason = if self.reason.trim().is_empty() {
            if stage.is_some_and(Stage::needs_reason) {
                e.push("reason", code::REQUIRED);
            }
            None
        } else if stage.is_some_and(Stage::needs_reason) {
            e.take("reason", parse_choice(&self.reason, NotPlacedReason::parse))
        } else {
            e.push("reason", "error-reason-not-placed-only");
            None
        };
        let note = e.take("note", optional_text(&self.note, TextKind::LINES));
        match (stage, on, note) {
            (Some(stage), Some(on), Some(note)) if e.is_empty() => Ok(NewStep {
                stage,
                on,
                reason,
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

    fn step(stage: &str, on: &str, reason: &str) -> StepInput {
        StepInput {
            stage: stage.into(),
            on_date: on.into(),
            reason: reason.into(),
            note: "".into(),
        }
    }

    #[test]
    fn the_pipeline_goes_forward_one_step_at_a_time() {
        use Stage::*;
        let path = [Proposed, Agreed, Presented, Interview, Placed];
        for w in path.windows(2) {
            assert!(w[0].next().contains(&w[1]), "{:?} → {:?}", w[0], w[1]);
        }
        for s in Stage::ALL {
            assert!(
                !s.next().contains(&Proposed),
                "nothing goes back to proposed"
            );
        }
        assert!(
            !Proposed.next().contains(&Presented),
            "she agrees before she is presented"
        );
        assert!(Placed.is_final() && NotPlaced.is_final() && Declined.is_final());
    }

    #[test]
    fn a_step_is_dated_in_order_and_a_no_has_its_reason() {
        let (since, today) = (date(2026, 11, 20), date(2026, 11, 25));
        let ok = step("agreed", "2026-11-21", "")
            .parse(Stage::Proposed, since, today)
            .expect("agreed");
        assert_eq!((ok.stage, ok.reason), (Stage::Agreed, None));
        assert_eq!(
            codes(step("presented", "2026-11-19", "").parse(Stage::Proposed, since, today)),
            vec![
                ("stage".to_string(), "error-stage-order"),
                ("on_date".to_string(), "error-stage-before"),
            ]
        );
        assert_eq!(
            codes(step("not_placed", "2026-11-26", "").parse(Stage::Interview, since, today)),
            vec![
                ("on_date".to_string(), code::DATE_FUTURE),
                ("reason".to_string(), code::REQUIRED),
            ]
        );
        let no = step("not_placed", "2026-11-25", "no_show")
            .parse(Stage::Interview, since, today)
            .expect("not placed");
        assert_eq!(no.reason, Some(NotPlacedReason::NoShow));
        assert_eq!(
            codes(step("placed", "2026-11-25", "no_show").parse(Stage::Interview, since, today)),
            vec![("reason".to_string(), "error-reason-not-placed-only")]
        );
    }
}
