//! The participant lifecycle: referred → enrolled (intake) → active ↔ paused
//! → ended (exit with an outcome), and reopening an ended participant.
//!
//! Every transition is checked here, against the current state and `today`;
//! the app layer stores the result and its history row in one transaction.

use crate::error::FieldErrors;
use crate::values::{
    code, optional_text, parse_optional_choice_id, required_text, text_enum, text_input, TextKind,
};
use jiff::civil::Date;

text_enum!(Status, "status" {
    Referred = "referred",
    Enrolled = "enrolled",
    Active = "active",
    Paused = "paused",
    Ended = "ended",
});

text_enum!(
    /// Why a participant ended. The first four count as *to job or studies*.
    ExitOutcome, "outcome" {
        EmploymentUnsubsidised = "employment_unsubsidised",
        EmploymentSubsidised = "employment_subsidised",
        OwnBusiness = "own_business",
        Studies = "studies",
        JobSeeking = "job_seeking",
        OtherProgramme = "other_programme",
        ParentalLeave = "parental_leave",
        Sickness = "sickness",
        Moved = "moved",
        NoContact = "no_contact",
        Other = "other",
    }
);

impl ExitOutcome {
    /// Employment of any kind, or studies.
    pub fn is_job_or_studies(self) -> bool {
        self.is_job() || self == ExitOutcome::Studies
    }

    /// Employment of any kind, including one's own business.
    pub fn is_job(self) -> bool {
        matches!(
            self,
            ExitOutcome::EmploymentUnsubsidised
                | ExitOutcome::EmploymentSubsidised
                | ExitOutcome::OwnBusiness
        )
    }

    /// The outcomes counted as *to job or studies*, as stored.
    pub fn job_or_studies_texts() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|o| o.is_job_or_studies())
            .map(|o| o.as_str())
            .collect()
    }
}

text_enum!(
    /// The kinds of rows in a participant's status history.
    TransitionKind, "transition" {
        Referral = "referral",
        Intake = "intake",
        Start = "start",
        Pause = "pause",
        Resume = "resume",
        Exit = "exit",
        Reopen = "reopen",
    }
);

/// The lifecycle facts of one participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleState {
    pub status: Status,
    pub referred_on: Date,
    pub intake_date: Option<Date>,
    pub exit_date: Option<Date>,
    pub exit_outcome: Option<ExitOutcome>,
    /// Date of the latest status change; no later change may be dated before it.
    pub last_change_on: Date,
}

/// A requested change of status, with its effective date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    Intake {
        on: Date,
    },
    Start {
        on: Date,
    },
    Pause {
        on: Date,
        kind: crate::palette::PauseKind,
        reason: String,
    },
    Resume {
        on: Date,
    },
    Exit {
        on: Date,
        outcome: ExitOutcome,
    },
    Reopen {
        on: Date,
        reason: String,
    },
}

impl Transition {
    pub fn kind(&self) -> TransitionKind {
        match self {
            Transition::Intake { .. } => TransitionKind::Intake,
            Transition::Start { .. } => TransitionKind::Start,
            Transition::Pause { .. } => TransitionKind::Pause,
            Transition::Resume { .. } => TransitionKind::Resume,
            Transition::Exit { .. } => TransitionKind::Exit,
            Transition::Reopen { .. } => TransitionKind::Reopen,
        }
    }

    pub fn on(&self) -> Date {
        match self {
            Transition::Intake { on }
            | Transition::Start { on }
            | Transition::Pause { on, .. }
            | Transition::Resume { on }
            | Transition::Exit { on, .. }
            | Transition::Reopen { on, .. } => *on,
        }
    }

    /// Why a pause is taken (parental leave, sickness, other).
    pub fn pause_kind(&self) -> Option<crate::palette::PauseKind> {
        match self {
            Transition::Pause { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Transition::Pause { reason, .. } | Transition::Reopen { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The name of the form/JSON field that carries this transition's date.
    pub fn date_field(&self) -> &'static str {
        match self {
            Transition::Intake { .. } => "intake_date",
            Transition::Exit { .. } => "exit_date",
            _ => "date",
        }
    }
}

/// Message ids of lifecycle errors.
pub mod lifecycle_code {
    pub const NOT_ALLOWED: &str = "error-transition-not-allowed";
    pub const ALREADY_ENROLLED: &str = "error-already-enrolled";
    pub const BEFORE_REFERRAL: &str = "error-intake-before-referral";
    pub const BEFORE_INTAKE: &str = "error-before-intake";
    pub const EXIT_BEFORE_INTAKE: &str = "error-exit-before-intake";
    pub const BEFORE_LAST_CHANGE: &str = "error-before-last-change";
    /// An employer or a placement named for an exit that is not to a job.
    pub const DESTINATION_JOB_ONLY: &str = "error-exit-destination-job-only";
    /// A school named for an exit that is not to studies.
    pub const SCHOOL_STUDIES_ONLY: &str = "error-exit-school-studies-only";
    /// The placement named is not hers, or not with the employer named.
    pub const PLACEMENT_NOT_HERS: &str = "error-exit-placement-not-hers";
    /// "Start at once" without an intake to start from.
    pub const START_NEEDS_INTAKE: &str = "error-start-needs-intake";
}
use lifecycle_code as lc;

/// "Start at once" at an intake: whether she is started in the same change,
/// and on which day. `start_now` is the choice (a checkbox or flag),
/// `start_on` the day (empty: the intake day); a day given alone is the
/// choice too (the JSON API sends only `start_on`). The day may be neither
/// before the intake nor in the future. Errors name `start_now` or
/// `start_on`.
pub fn parse_start(
    start_now: &str,
    start_on: &str,
    intake: Option<Date>,
    today: Date,
) -> Result<Option<Date>, FieldErrors> {
    let now =
        crate::values::parse_flag(start_now).map_err(|c| FieldErrors::single("start_now", c))?;
    let on = crate::values::parse_optional_date(start_on)
        .map_err(|c| FieldErrors::single("start_on", c))?;
    let Some(on) = on.or(if now { intake } else { None }) else {
        return if now {
            Err(FieldErrors::single("start_now", lc::START_NEEDS_INTAKE))
        } else {
            Ok(None)
        };
    };
    match intake {
        None => Err(FieldErrors::single("start_on", lc::START_NEEDS_INTAKE)),
        Some(_) if on > today => Err(FieldErrors::single("start_on", code::DATE_FUTURE)),
        Some(i) if on < i => Err(FieldErrors::single("start_on", lc::BEFORE_INTAKE)),
        Some(_) => Ok(Some(on)),
    }
}

impl LifecycleState {
    /// A new referral (not yet enrolled).
    pub fn referred(on: Date) -> Self {
        Self {
            status: Status::Referred,
            referred_on: on,
            intake_date: None,
            exit_date: None,
            exit_outcome: None,
            last_change_on: on,
        }
    }

    /// Check `t` against this state and `today`; the state after it.
    pub fn apply(&self, t: &Transition, today: Date) -> Result<LifecycleState, FieldErrors> {
        let field = t.date_field();
        let on = t.on();
        if on > today {
            return Err(FieldErrors::single(field, code::DATE_FUTURE));
        }
        if let Some(reason) = t.reason() {
            required_text(reason, TextKind::LINES).map_err(|c| FieldErrors::single("reason", c))?;
        }
        let mut next = self.clone();
        next.last_change_on = on;
        match (self.status, t) {
            (Status::Referred, Transition::Intake { on }) => {
                if *on < self.referred_on {
                    return Err(FieldErrors::single(field, lc::BEFORE_REFERRAL));
                }
                next.status = Status::Enrolled;
                next.intake_date = Some(*on);
                return Ok(next);
            }
            (_, Transition::Intake { .. }) => {
                return Err(FieldErrors::single(field, lc::ALREADY_ENROLLED));
            }
            _ => {}
        }
        // Every other transition needs an intake, and follows the last change.
        let intake = self
            .intake_date
            .ok_or_else(|| FieldErrors::single("status", lc::NOT_ALLOWED))?;
        if on < intake {
            let code = if matches!(t, Transition::Exit { .. }) {
                lc::EXIT_BEFORE_INTAKE
            } else {
                lc::BEFORE_INTAKE
            };
            return Err(FieldErrors::single(field, code));
        }
        if on < self.last_change_on {
            return Err(FieldErrors::single(field, lc::BEFORE_LAST_CHANGE));
        }
        match (self.status, t) {
            (Status::Enrolled, Transition::Start { .. }) => next.status = Status::Active,
            (Status::Enrolled | Status::Active, Transition::Pause { .. }) => {
                next.status = Status::Paused
            }
            (Status::Paused, Transition::Resume { .. }) => next.status = Status::Active,
            (
                Status::Enrolled | Status::Active | Status::Paused,
                Transition::Exit { on, outcome },
            ) => {
                next.status = Status::Ended;
                next.exit_date = Some(*on);
                next.exit_outcome = Some(*outcome);
            }
            (Status::Ended, Transition::Reopen { .. }) => {
                next.status = Status::Active;
                next.exit_date = None;
                next.exit_outcome = None;
            }
            _ => return Err(FieldErrors::single("status", lc::NOT_ALLOWED)),
        }
        Ok(next)
    }

    /// The transitions that make sense to offer from this state.
    pub fn possible(&self) -> &'static [TransitionKind] {
        use TransitionKind as K;
        match self.status {
            Status::Referred => &[K::Intake],
            Status::Enrolled => &[K::Start, K::Pause, K::Exit],
            Status::Active => &[K::Pause, K::Exit],
            Status::Paused => &[K::Resume, K::Exit],
            Status::Ended => &[K::Reopen],
        }
    }
}

/// Where an exit to a job or to studies led: the employer and the
/// placement that led there, or the school. All optional; only an exit to
/// employment names an employer or a placement, only one to studies a
/// school.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExitDestination {
    pub employer_id: Option<i64>,
    pub placement_id: Option<i64>,
    pub school: Option<String>,
}

/// Her exit's destination as shown on her record: the names beside the
/// ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExitDestinationView {
    pub employer_id: Option<i64>,
    pub employer_name: Option<String>,
    pub placement_id: Option<i64>,
    /// The placement's opening title.
    pub placement_title: Option<String>,
    pub school: Option<String>,
}

impl ExitDestination {
    /// Only an exit to employment names an employer or a placement, only
    /// one to studies a school.
    pub fn check(&self, outcome: ExitOutcome) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !outcome.is_job() {
            if self.employer_id.is_some() {
                e.push("employer_id", lc::DESTINATION_JOB_ONLY);
            }
            if self.placement_id.is_some() {
                e.push("placement_id", lc::DESTINATION_JOB_ONLY);
            }
        }
        if outcome != ExitOutcome::Studies && self.school.is_some() {
            e.push("school", lc::SCHOOL_STUDIES_ONLY);
        }
        e.into_result()
    }
}

text_input!(
    /// An exit form's destination fields, as submitted.
    ExitDestinationInput {
        employer_id,
        placement_id,
        school,
    }
);

impl ExitDestinationInput {
    /// The destination of an exit with `outcome` (`None`: the outcome was
    /// not given or not valid, and the destination is checked alone).
    pub fn parse(&self, outcome: Option<ExitOutcome>) -> Result<ExitDestination, FieldErrors> {
        let mut e = FieldErrors::new();
        let employer_id = e
            .take("employer_id", parse_optional_choice_id(&self.employer_id))
            .flatten();
        let placement_id = e
            .take("placement_id", parse_optional_choice_id(&self.placement_id))
            .flatten();
        let school = e
            .take("school", optional_text(&self.school, TextKind::LINE))
            .flatten();
        let d = ExitDestination {
            employer_id,
            placement_id,
            school,
        };
        if let Some(Err(more)) = outcome.map(|o| d.check(o)) {
            e.0.extend(more.0);
        }
        e.into_result()?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2021, 6, 1);

    fn enrolled(on: Date) -> LifecycleState {
        LifecycleState::referred(date(2020, 1, 1))
            .apply(&Transition::Intake { on }, TODAY)
            .expect("intake")
    }

    fn err<T: std::fmt::Debug>(r: Result<T, FieldErrors>) -> (String, &'static str) {
        let e = r.expect_err("should fail");
        (e.0[0].field.clone(), e.0[0].code)
    }

    #[test]
    fn a_whole_path_through_the_programme() {
        let s = enrolled(date(2020, 2, 1));
        assert_eq!(s.status, Status::Enrolled);
        let s = s
            .apply(
                &Transition::Start {
                    on: date(2020, 2, 3),
                },
                TODAY,
            )
            .expect("start");
        let s = s
            .apply(
                &Transition::Pause {
                    on: date(2020, 3, 15),
                    kind: crate::palette::PauseKind::Other,
                    reason: "Pandemin".into(),
                },
                TODAY,
            )
            .expect("pause");
        assert_eq!(s.status, Status::Paused);
        let s = s
            .apply(
                &Transition::Resume {
                    on: date(2020, 8, 17),
                },
                TODAY,
            )
            .expect("resume");
        let s = s
            .apply(
                &Transition::Exit {
                    on: date(2021, 1, 31),
                    outcome: ExitOutcome::Studies,
                },
                TODAY,
            )
            .expect("exit");
        assert_eq!(s.status, Status::Ended);
        assert_eq!(s.exit_date, Some(date(2021, 1, 31)));
        let s = s
            .apply(
                &Transition::Reopen {
                    on: date(2021, 3, 1),
                    reason: "Studierna avbröts".into(),
                },
                TODAY,
            )
            .expect("reopen");
        assert_eq!(
            (s.status, s.exit_date, s.exit_outcome),
            (Status::Active, None, None)
        );
    }

    #[test]
    fn no_exit_before_intake() {
        let s = enrolled(date(2020, 2, 1));
        let r = s.apply(
            &Transition::Exit {
                on: date(2020, 1, 31),
                outcome: ExitOutcome::Moved,
            },
            TODAY,
        );
        assert_eq!(err(r), ("exit_date".into(), lc::EXIT_BEFORE_INTAKE));
    }

    #[test]
    fn start_at_once_is_on_the_intake_day_unless_another_is_given() {
        let intake = Some(date(2020, 2, 1));
        let ok = |now: &str, on: &str| parse_start(now, on, intake, TODAY);
        assert_eq!(ok("", ""), Ok(None));
        assert_eq!(ok("false", ""), Ok(None));
        assert_eq!(ok("true", ""), Ok(intake));
        assert_eq!(ok("true", "2020-02-03"), Ok(Some(date(2020, 2, 3))));
        // The JSON API sends the day alone.
        assert_eq!(ok("", "2020-02-03"), Ok(Some(date(2020, 2, 3))));
        assert_eq!(
            err(ok("true", "2020-01-31")),
            ("start_on".into(), lc::BEFORE_INTAKE)
        );
        assert_eq!(
            err(ok("true", "2021-06-02")),
            ("start_on".into(), code::DATE_FUTURE)
        );
        assert_eq!(err(ok("true", "igår")).0, "start_on");
        assert_eq!(err(ok("kanske", "")).0, "start_now");
        assert_eq!(
            err(parse_start("true", "", None, TODAY)),
            ("start_now".into(), lc::START_NEEDS_INTAKE)
        );
    }

    #[test]
    fn no_double_intake() {
        let s = enrolled(date(2020, 2, 1));
        let r = s.apply(
            &Transition::Intake {
                on: date(2020, 3, 1),
            },
            TODAY,
        );
        assert_eq!(err(r), ("intake_date".into(), lc::ALREADY_ENROLLED));
    }

    #[test]
    fn table_of_refusals() {
        let referred = LifecycleState::referred(date(2020, 1, 1));
        let active = enrolled(date(2020, 2, 1))
            .apply(
                &Transition::Start {
                    on: date(2020, 2, 1),
                },
                TODAY,
            )
            .expect("start");
        let ended = active
            .apply(
                &Transition::Exit {
                    on: date(2020, 5, 1),
                    outcome: ExitOutcome::NoContact,
                },
                TODAY,
            )
            .expect("exit");
        let cases: Vec<(&LifecycleState, Transition, (&str, &str))> = vec![
            (
                &referred,
                Transition::Intake {
                    on: date(2019, 12, 31),
                },
                ("intake_date", lc::BEFORE_REFERRAL),
            ),
            (
                &referred,
                Transition::Intake {
                    on: date(2021, 6, 2),
                },
                ("intake_date", code::DATE_FUTURE),
            ),
            (
                &referred,
                Transition::Exit {
                    on: date(2020, 5, 1),
                    outcome: ExitOutcome::Other,
                },
                ("status", lc::NOT_ALLOWED),
            ),
            (
                &referred,
                Transition::Start {
                    on: date(2020, 5, 1),
                },
                ("status", lc::NOT_ALLOWED),
            ),
            (
                &active,
                Transition::Resume {
                    on: date(2020, 5, 1),
                },
                ("status", lc::NOT_ALLOWED),
            ),
            (
                &active,
                Transition::Pause {
                    on: date(2020, 5, 1),
                    kind: crate::palette::PauseKind::Other,
                    reason: " ".into(),
                },
                ("reason", code::REQUIRED),
            ),
            (
                &active,
                Transition::Pause {
                    on: date(2020, 1, 5),
                    kind: crate::palette::PauseKind::Other,
                    reason: "x".into(),
                },
                ("date", lc::BEFORE_INTAKE),
            ),
            (
                &ended,
                Transition::Exit {
                    on: date(2020, 6, 1),
                    outcome: ExitOutcome::Other,
                },
                ("status", lc::NOT_ALLOWED),
            ),
            (
                &ended,
                Transition::Reopen {
                    on: date(2020, 4, 1),
                    reason: "x".into(),
                },
                ("date", lc::BEFORE_LAST_CHANGE),
            ),
            (
                &ended,
                Transition::Reopen {
                    on: date(2020, 6, 1),
                    reason: "".into(),
                },
                ("reason", code::REQUIRED),
            ),
        ];
        for (state, t, (field, code)) in cases {
            assert_eq!(
                err(state.apply(&t, TODAY)),
                (field.to_string(), code),
                "{t:?} from {:?}",
                state.status
            );
        }
    }

    #[test]
    fn job_or_studies_outcomes() {
        let texts = ExitOutcome::job_or_studies_texts();
        assert_eq!(
            texts,
            vec![
                "employment_unsubsidised",
                "employment_subsidised",
                "own_business",
                "studies"
            ]
        );
        assert!(!ExitOutcome::JobSeeking.is_job_or_studies());
    }

    #[test]
    fn an_exit_names_an_employer_for_a_job_and_a_school_for_studies() {
        let input = |e: &str, p: &str, s: &str| ExitDestinationInput {
            employer_id: e.into(),
            placement_id: p.into(),
            school: s.into(),
        };
        let job = input("4", "9", "");
        assert_eq!(
            job.parse(Some(ExitOutcome::EmploymentSubsidised)),
            Ok(ExitDestination {
                employer_id: Some(4),
                placement_id: Some(9),
                school: None,
            })
        );
        let studies = input("", "", " Komvux Botkyrka ");
        assert_eq!(
            studies.parse(Some(ExitOutcome::Studies)).map(|d| d.school),
            Ok(Some("Komvux Botkyrka".into()))
        );
        // Nothing named is fine for any outcome.
        assert_eq!(
            input("", "", "").parse(Some(ExitOutcome::Moved)),
            Ok(ExitDestination::default())
        );
        let refused =
            |i: ExitDestinationInput, o: ExitOutcome| crate::error::codes(i.parse(Some(o)));
        assert_eq!(
            refused(job, ExitOutcome::Studies),
            vec![
                ("employer_id".to_string(), lc::DESTINATION_JOB_ONLY),
                ("placement_id".to_string(), lc::DESTINATION_JOB_ONLY),
            ]
        );
        assert_eq!(
            refused(studies, ExitOutcome::EmploymentUnsubsidised),
            vec![("school".to_string(), lc::SCHOOL_STUDIES_ONLY)]
        );
        assert_eq!(
            refused(input("x", "", ""), ExitOutcome::EmploymentUnsubsidised)[0].0,
            "employer_id"
        );
    }
}
