//! The palette of interventions, enrolments with waiting lists, sessions and
//! attendance: the vocabularies and the parsing of what staff submit.

use crate::error::FieldErrors;
use crate::values::{
    code, optional_text, parse_choice, parse_flag, parse_optional_date, required_text, text_enum,
    text_input, Period, TextKind,
};
use jiff::civil::Date;

text_enum!(InterventionKind, "intervention-kind" {
    LanguageTraining = "language_training",
    WorkTraining = "work_training",
    Internship = "internship",
    Course = "course",
    HealthPromoting = "health_promoting",
    GroupSession = "group_session",
    StudyVisit = "study_visit",
    JobMatching = "job_matching",
    Guidance = "guidance",
    Other = "other",
});

text_enum!(
    /// Where a participant stands with one intervention.
    EnrolmentStatus, "enrolment" {
        Waiting = "waiting",
        Offered = "offered",
        Planned = "planned",
        Ongoing = "ongoing",
        Completed = "completed",
        Discontinued = "discontinued",
    }
);

impl EnrolmentStatus {
    /// Whether the enrolment takes one of the intervention's places.
    pub fn holds_place(self) -> bool {
        matches!(self, Self::Offered | Self::Planned | Self::Ongoing)
    }

    /// The statuses a user may move an enrolment to from this one.
    pub fn next(self) -> &'static [EnrolmentStatus] {
        use EnrolmentStatus::*;
        match self {
            Waiting => &[Discontinued],
            Offered => &[Planned, Discontinued],
            Planned => &[Ongoing, Discontinued],
            Ongoing => &[Completed, Discontinued],
            Completed | Discontinued => &[],
        }
    }
}

text_enum!(AttendanceStatus, "attendance" {
    Present = "present",
    AbsentWithNotice = "absent_notice",
    Absent = "absent",
});

text_enum!(SessionStatus, "session-status" {
    Scheduled = "scheduled",
    Cancelled = "cancelled",
});

text_enum!(PauseKind, "pause-kind" {
    ParentalLeave = "parental_leave",
    Sickness = "sickness",
    Other = "other",
});

/// An intervention of the palette (or a module of a course).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intervention {
    pub id: i64,
    pub partnership_id: i64,
    /// Set for a module: the course it belongs to.
    pub course_id: Option<i64>,
    pub position: i64,
    pub name: String,
    pub kind: InterventionKind,
    pub provider_organisation_id: i64,
    pub provider_name: String,
    pub description: String,
    pub place: String,
    pub languages: Vec<String>,
    pub capacity: Option<i64>,
    pub group_based: bool,
    /// `None`: ordinary operations.
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub retired_on: Option<Date>,
}

/// The funding choice that means ordinary operations (no project).
pub const ORDINARY_OPERATIONS: &str = "ordinary";

text_input!(
    /// An intervention as submitted, every field text.
    InterventionInput {
        name,
        kind,
        provider_organisation_id,
        description,
        place,
        languages,
        capacity,
        group_based,
        /// A project's id, or `ordinary` for ordinary operations.
        project_id,
        start_date,
        end_date,
    }
);

/// A parsed intervention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterventionSpec {
    pub name: String,
    pub kind: InterventionKind,
    pub provider_organisation_id: i64,
    pub description: String,
    pub place: String,
    pub languages: Vec<String>,
    pub capacity: Option<i64>,
    pub group_based: bool,
    pub project_id: Option<i64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

fn parse_positive(s: &str, max: i64) -> Result<Option<i64>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if n >= 1 && n <= max => Ok(Some(n)),
        _ => Err(code::NUMBER),
    }
}

/// Comma-separated words, trimmed, empty ones dropped.
pub fn parse_list(s: &str) -> Result<Vec<String>, &'static str> {
    crate::values::parse_text_list(s)
}

impl InterventionInput {
    pub fn parse(&self) -> Result<InterventionSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::NAME));
        let kind = e.take("kind", parse_choice(&self.kind, InterventionKind::parse));
        let provider = e.take(
            "provider_organisation_id",
            parse_positive(&self.provider_organisation_id, i64::MAX)
                .and_then(|o| o.ok_or(code::REQUIRED)),
        );
        let description = e.take(
            "description",
            optional_text(&self.description, TextKind::LINES),
        );
        let place = e.take("place", optional_text(&self.place, TextKind::LINE));
        let languages = e.take("languages", parse_list(&self.languages));
        let capacity = e.take("capacity", parse_positive(&self.capacity, 100_000));
        let group_based = e.take("group_based", parse_flag(&self.group_based));
        let project_id = e.take(
            "project_id",
            match self.project_id.trim() {
                ORDINARY_OPERATIONS => Ok(None),
                "" => Err(code::REQUIRED),
                other => parse_positive(other, i64::MAX),
            },
        );
        let start = e.take("start_date", parse_optional_date(&self.start_date));
        let end = e.take("end_date", parse_optional_date(&self.end_date));
        if let (Some(Some(s)), Some(Some(en))) = (start, end) {
            if Period::new(s, Some(en)).is_err() {
                e.push("end_date", code::PERIOD);
            }
        }
        match (
            name,
            kind,
            provider,
            description,
            place,
            languages,
            capacity,
            group_based,
            project_id,
            start,
            end,
        ) {
            (
                Some(name),
                Some(kind),
                Some(provider_organisation_id),
                Some(description),
                Some(place),
                Some(languages),
                Some(capacity),
                Some(group_based),
                Some(project_id),
                Some(start_date),
                Some(end_date),
            ) if e.is_empty() => Ok(InterventionSpec {
                name,
                kind,
                provider_organisation_id,
                description: description.unwrap_or_default(),
                place: place.unwrap_or_default(),
                languages,
                capacity,
                group_based,
                project_id,
                start_date,
                end_date,
            }),
            _ => Err(e),
        }
    }
}

/// Days in the programme net of pauses: from intake to `until` (exit or
/// today), minus every day paused. `pauses` are (from, to) with `to` `None`
/// while the pause lasts.
pub fn net_days(intake: Date, until: Date, pauses: &[(Date, Option<Date>)]) -> i64 {
    if until <= intake {
        return 0;
    }
    let total = days_between(intake, until);
    let paused: i64 = pauses
        .iter()
        .map(|(from, to)| {
            let start = (*from).max(intake);
            let end = to.unwrap_or(until).min(until);
            if end > start {
                days_between(start, end)
            } else {
                0
            }
        })
        .sum();
    (total - paused).max(0)
}

/// Whole days from `a` to `b`.
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until((jiff::Unit::Day, b))
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn an_intervention_parses_with_every_bad_field_named() {
        let ok = InterventionInput {
            name: "Svenska i butik".into(),
            kind: "course".into(),
            provider_organisation_id: "4".into(),
            languages: "svenska, arabiska".into(),
            capacity: "16".into(),
            group_based: "true".into(),
            start_date: "2020-08-17".into(),
            end_date: "2021-06-11".into(),
            project_id: ORDINARY_OPERATIONS.into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(
            (ok.capacity, ok.group_based, ok.project_id),
            (Some(16), true, None)
        );
        assert_eq!(ok.languages, vec!["svenska", "arabiska"]);
        let bad = InterventionInput {
            capacity: "0".into(),
            project_id: "x".into(),
            start_date: "2021-01-01".into(),
            end_date: "2020-01-01".into(),
            ..Default::default()
        }
        .parse()
        .expect_err("invalid");
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "kind",
                "provider_organisation_id",
                "capacity",
                "project_id",
                "end_date"
            ]
        );
    }

    #[test]
    fn net_days_subtract_pauses() {
        let intake = date(2026, 1, 1);
        assert_eq!(net_days(intake, date(2026, 3, 2), &[]), 60);
        // Paused 10 days and resumed.
        let p = [(date(2026, 2, 1), Some(date(2026, 2, 11)))];
        assert_eq!(net_days(intake, date(2026, 3, 2), &p), 50);
        // A pause still going stops the clock until today.
        let p = [(date(2026, 2, 1), None)];
        assert_eq!(net_days(intake, date(2026, 3, 2), &p), 31);
        // A pause before intake or after the end counts for nothing.
        let p = [
            (date(2025, 12, 1), Some(date(2025, 12, 20))),
            (date(2026, 4, 1), None),
        ];
        assert_eq!(net_days(intake, date(2026, 3, 2), &p), 60);
        assert_eq!(net_days(intake, intake, &[]), 0);
    }

    #[test]
    fn places_and_next_statuses() {
        assert!(EnrolmentStatus::Offered.holds_place());
        assert!(!EnrolmentStatus::Waiting.holds_place());
        assert!(!EnrolmentStatus::Completed.holds_place());
        assert_eq!(EnrolmentStatus::Completed.next(), &[] as &[EnrolmentStatus]);
    }
}
