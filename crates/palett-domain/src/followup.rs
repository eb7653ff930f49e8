//! Follow-up after exit: at 3 and 6 months after her exit, the participant's
//! situation (employment and its extent, studies, source of income), so
//! that "before and after" can be reported. Each follow-up is scheduled at
//! the exit and removed again, while not done, if she is reopened.
//!
//! A follow-up is open until it is either done (a [`FollowUpRecord`]: she
//! was reached and said how she is) or closed as not reached ([`NotReached`]:
//! someone tried on a day and could not reach her). Not reached is not
//! done: what became of her stays unknown, so the figures count it in the
//! base of those due but never as followed up. A follow-up closed as not
//! reached can still be recorded as done if she gets in touch; the record
//! replaces the mark.

use crate::values::TextKind;
use crate::values::{code, parse_choice, parse_past_date, parse_text, text_enum, text_input};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::ToSpan;

/// Months after the exit at which she is followed up.
pub const FOLLOW_UP_MONTHS: [i8; 2] = [3, 6];

text_enum!(
    /// Employment, and its extent.
    Employment, "employment" {
        Unknown = "unknown",
        None = "none",
        FullTime = "full_time",
        PartTime = "part_time",
        Subsidised = "subsidised",
        OwnBusiness = "own_business",
    }
);

text_enum!(
    /// Whether she studies.
    StudyStatus, "studying" {
        Unknown = "unknown",
        No = "no",
        Yes = "yes",
    }
);

text_enum!(
    /// Her main source of income.
    IncomeSource, "income" {
        Unknown = "unknown",
        Salary = "salary",
        UnemploymentBenefit = "unemployment_benefit",
        ActivitySupport = "activity_support",
        SocialAssistance = "social_assistance",
        SicknessBenefit = "sickness_benefit",
        ParentalBenefit = "parental_benefit",
        StudentAid = "student_aid",
        NoIncome = "none",
        Other = "other",
    }
);

text_enum!(
    /// Her place on the labour market when she entered (the ESF+ and
    /// before/after reports' categories).
    LabourStatus, "labour" {
        Unknown = "unknown",
        Employed = "employed",
        Unemployed = "unemployed",
        LongTermUnemployed = "long_term_unemployed",
        Inactive = "inactive",
        InEducation = "in_education",
    }
);

/// Her situation when she entered, for "before and after"; every part may
/// be unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntrySituation {
    pub labour_status: LabourStatus,
    pub income_source: IncomeSource,
    /// Months on support (income support, benefits) before she entered.
    pub months_on_support: Option<i64>,
}

// `text_enum!` takes no attributes on variants, so no `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for LabourStatus {
    fn default() -> Self {
        LabourStatus::Unknown
    }
}

#[allow(clippy::derivable_impls)]
impl Default for IncomeSource {
    fn default() -> Self {
        IncomeSource::Unknown
    }
}

impl Employment {
    /// In work of any kind.
    pub fn is_working(self) -> bool {
        matches!(
            self,
            Employment::FullTime
                | Employment::PartTime
                | Employment::Subsidised
                | Employment::OwnBusiness
        )
    }
}

/// A scheduled follow-up and, once done, what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    pub id: i64,
    pub participant_id: i64,
    pub months_after: i8,
    pub due_on: Date,
    /// She was reached: what she said. Never together with `not_reached`.
    pub done: Option<FollowUpRecord>,
    /// She could not be reached. Never together with `done`.
    pub not_reached: Option<NotReached>,
}

impl FollowUp {
    /// Done or closed as not reached: off the list of those due.
    pub fn is_closed(&self) -> bool {
        self.done.is_some() || self.not_reached.is_some()
    }
}

/// A follow-up closed because she could not be reached: the day it was
/// tried and, if given, what was tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotReached {
    pub tried_on: Date,
    pub note: Option<String>,
}

text_input!(
    /// A follow-up closed as not reached, as submitted: `tried_on` the day
    /// she was tried (not in the future, not before her exit), `note` what
    /// was tried (optional, one line).
    NotReachedInput { tried_on, note }
);

impl NotReachedInput {
    /// Parse; `exit` is her exit (nobody tries to follow her up before it).
    pub fn parse(&self, exit: Date, today: Date) -> Result<NotReached, FieldErrors> {
        let mut e = FieldErrors::new();
        let tried_on = e.take("tried_on", parse_past_date(&self.tried_on, today));
        if tried_on.is_some_and(|d| d < exit) {
            e.push("tried_on", "error-follow-up-before-exit");
        }
        let note = e.take("note", parse_text(&self.note, TextKind::LINE));
        match (tried_on, note) {
            (Some(tried_on), Some(note)) if e.0.is_empty() => Ok(NotReached { tried_on, note }),
            _ => {
                if e.0.is_empty() {
                    e.push("tried_on", code::REQUIRED);
                }
                Err(e)
            }
        }
    }
}

/// What a follow-up found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpRecord {
    pub done_on: Date,
    pub employment: Employment,
    pub studies: StudyStatus,
    pub income_source: IncomeSource,
}

/// The days the follow-ups fall due after an exit on `exit`.
pub fn due_dates(exit: Date) -> Vec<(i8, Date)> {
    FOLLOW_UP_MONTHS
        .iter()
        .map(|m| (*m, exit.checked_add(i32::from(*m).months()).unwrap_or(exit)))
        .collect()
}

text_input!(
    /// A follow-up as submitted, every field text.
    FollowUpInput {
        done_on,
        employment,
        studies,
        income_source,
    }
);

impl FollowUpInput {
    /// Parse; `exit` is her exit (a follow-up cannot be done before it).
    pub fn parse(&self, exit: Date, today: Date) -> Result<FollowUpRecord, FieldErrors> {
        let mut e = FieldErrors::new();
        let done_on = e.take("done_on", parse_past_date(&self.done_on, today));
        if done_on.is_some_and(|d| d < exit) {
            e.push("done_on", "error-follow-up-before-exit");
        }
        let employment = e.take(
            "employment",
            parse_choice(&self.employment, Employment::parse),
        );
        let studies = e.take("studies", parse_choice(&self.studies, StudyStatus::parse));
        let income_source = e.take(
            "income_source",
            parse_choice(&self.income_source, IncomeSource::parse),
        );
        match (done_on, employment, studies, income_source) {
            (Some(done_on), Some(employment), Some(studies), Some(income_source))
                if e.0.is_empty() =>
            {
                Ok(FollowUpRecord {
                    done_on,
                    employment,
                    studies,
                    income_source,
                })
            }
            _ => {
                if e.0.is_empty() {
                    e.push("done_on", code::REQUIRED);
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn follow_ups_fall_due_three_and_six_months_after_exit() {
        assert_eq!(
            due_dates(date(2021, 8, 31)),
            vec![(3, date(2021, 11, 30)), (6, date(2022, 2, 28))]
        );
    }

    #[test]
    fn a_follow_up_is_parsed_with_a_message_per_field() {
        let exit = date(2026, 1, 15);
        let today = date(2026, 11, 25);
        let ok = FollowUpInput {
            done_on: "2026-04-20".into(),
            employment: "part_time".into(),
            studies: "no".into(),
            income_source: "salary".into(),
        };
        let r = ok.parse(exit, today).expect("valid");
        assert!(r.employment.is_working());
        let bad = FollowUpInput {
            done_on: "2026-01-01".into(),
            employment: "astronaut".into(),
            studies: String::new(),
            income_source: "salary".into(),
        };
        let e = bad.parse(exit, today).expect_err("invalid");
        let fields: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("done_on", "error-follow-up-before-exit"),
                ("employment", "error-choice"),
                ("studies", "error-required"),
            ]
        );
        let future = FollowUpInput {
            done_on: "2027-01-01".into(),
            ..ok
        };
        assert!(future.parse(exit, today).is_err());
    }

    fn not_reached(tried_on: &str, note: &str) -> NotReachedInput {
        NotReachedInput {
            tried_on: tried_on.into(),
            note: note.into(),
        }
    }

    /// A field and its error's code.
    type Coded<'a> = (&'a str, &'a str);

    fn codes(e: &FieldErrors) -> Vec<Coded<'_>> {
        e.0.iter().map(|f| (f.field.as_str(), f.code)).collect()
    }

    #[test]
    fn not_reached_takes_a_day_tried_after_her_exit_and_an_optional_note() {
        let exit = date(2026, 1, 15);
        let today = date(2026, 11, 25);
        assert_eq!(
            not_reached("2026-04-20", "  Ringt tre gånger, sms utan svar ").parse(exit, today),
            Ok(NotReached {
                tried_on: date(2026, 4, 20),
                note: Some("Ringt tre gånger, sms utan svar".into()),
            })
        );
        assert_eq!(
            not_reached("2026-01-15", "").parse(exit, today),
            Ok(NotReached {
                tried_on: exit,
                note: None,
            })
        );
        let cases: &[(&str, &str, Vec<Coded>)] = &[
            ("2026-11-26", "", vec![("tried_on", "error-date-future")]),
            (
                "2026-01-14",
                "",
                vec![("tried_on", "error-follow-up-before-exit")],
            ),
            ("", "", vec![("tried_on", "error-required")]),
            ("20 april", "", vec![("tried_on", "error-date")]),
            (
                "2026-04-20",
                "rad ett\nrad två",
                vec![("note", "error-text-line-break")],
            ),
        ];
        for (tried_on, note, want) in cases {
            let e = not_reached(tried_on, note)
                .parse(exit, today)
                .expect_err(tried_on);
            assert_eq!(&codes(&e), want, "{tried_on:?} {note:?}");
        }
    }
}
