//! Openings: what an employer of the registry offers — an internship
//! (praktik), a job, a study visit or work training — with its occupation
//! (an SSYK 2012 unit group), places, period and hours, what it asks of the
//! one who takes it, its status and the partner responsible for it.

use crate::occupations::{self, UnitGroup};
use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_flag, parse_optional_choice,
    parse_optional_date, parse_weekly_hours, required_text, text_enum, text_input, Period,
    SwedishLevel, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;

text_enum!(OpeningKind, "opening-kind" {
    Internship = "internship",
    Job = "job",
    StudyVisit = "study_visit",
    WorkTraining = "work_training",
});

text_enum!(
    /// How a job is employed: ordinary, or with a subsidy of the
    /// employment service.
    EmploymentForm, "employment-form" {
        Ordinary = "ordinary",
        Nystartsjobb = "nystartsjobb",
        Introduktionsjobb = "introduktionsjobb",
        Lonebidrag = "lonebidrag",
        ExtraJob = "extra_job",
    }
);

text_enum!(OpeningStatus, "opening-status" {
    Open = "open",
    Filled = "filled",
    Closed = "closed",
});

text_enum!(PhysicalDemands, "physical-demands" {
    Light = "light",
    Moderate = "moderate",
    Heavy = "heavy",
});

text_enum!(WorkingHours, "working-hours" {
    Daytime = "daytime",
    Evenings = "evenings",
    Weekends = "weekends",
    Shifts = "shifts",
    Flexible = "flexible",
});

/// An opening of an employer.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    pub id: i64,
    pub partnership_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    /// The employer's municipality (where matching places the opening).
    pub employer_municipality: String,
    pub kind: OpeningKind,
    /// For a job only.
    pub employment_form: Option<EmploymentForm>,
    pub title: String,
    /// The SSYK 2012 unit group.
    pub ssyk: String,
    /// Its occupation area's code.
    pub area: String,
    pub places: i64,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    /// Hours a week, in minutes.
    pub minutes_per_week: Option<i64>,
    pub swedish_level: Option<SwedishLevel>,
    pub driving_licence: bool,
    pub physical_demands: Option<PhysicalDemands>,
    pub working_hours: Option<WorkingHours>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub status: OpeningStatus,
    pub responsible_organisation_id: i64,
    pub responsible_name: String,
}

impl Opening {
    /// Its unit group in the catalogue.
    pub fn occupation(&self) -> Option<&'static UnitGroup> {
        occupations::group(&self.ssyk)
    }
}

text_input!(
    /// An opening as submitted.
    OpeningInput {
        kind,
        employment_form,
        title,
        ssyk,
        places,
        start_date,
        end_date,
        hours_per_week,
        swedish_level,
        driving_licence,
        physical_demands,
        working_hours,
        place,
        description,
        responsible_organisation_id,
    }
);

/// An opening to add to an employer, or its new details.
#[derive(Clone, Debug, PartialEq)]
pub struct OpeningSpec {
    pub kind: OpeningKind,
    pub employment_form: Option<EmploymentForm>,
    pub title: String,
    pub occupation: &'static UnitGroup,
    pub places: i64,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub minutes_per_week: Option<i64>,
    pub swedish_level: Option<SwedishLevel>,
    pub driving_licence: bool,
    pub physical_demands: Option<PhysicalDemands>,
    pub working_hours: Option<WorkingHours>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub responsible_organisation_id: i64,
}

/// The most places one opening offers.
pub const MAX_PLACES: i64 = 500;

fn parse_places(s: &str) -> Result<i64, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_PLACES).contains(n))
        .ok_or(code::NUMBER)
}

impl OpeningInput {
    pub fn parse(&self) -> Result<OpeningSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.take("kind", parse_choice(&self.kind, OpeningKind::parse));
        let form = e.take(
            "employment_form",
            parse_optional_choice(&self.employment_form, EmploymentForm::parse),
        );
        // A job says how it is employed; nothing else has an employment.
        match (kind, form) {
            (Some(OpeningKind::Job), Some(None)) => e.push("employment_form", code::REQUIRED),
            (Some(k), Some(Some(_))) if k != OpeningKind::Job => {
                e.push("employment_form", "error-employment-form-job-only")
            }
            _ => {}
        }
        let title = e.take("title", required_text(&self.title, TextKind::NAME));
        let occupation = e.take("ssyk", occupations::parse_group(&self.ssyk));
        let places = e.take("places", parse_places(&self.places));
        let start = e.take("start_date", parse_optional_date(&self.start_date));
        let end = e.take("end_date", parse_optional_date(&self.end_date));
        if let (Some(Some(s)), Some(Some(en))) = (start, end) {
            if Period::new(s, Some(en)).is_err() {
                e.push("end_date", code::PERIOD);
            }
        }
        let minutes = e.take("hours_per_week", parse_weekly_hours(&self.hours_per_week));
        let swedish = e.take(
            "swedish_level",
            parse_optional_choice(&self.swedish_level, SwedishLevel::parse),
        );
        let licence = e.take("driving_licence", parse_flag(&self.driving_licence));
        let physical = e.take(
            "physical_demands",
            parse_optional_choice(&self.physical_demands, PhysicalDemands::parse),
        );
        let hours = e.take(
            "working_hours",
            parse_optional_choice(&self.working_hours, WorkingHours::parse),
        );
        let place = e.take("place", optional_text(&self.place, TextKind::LINE));
        let description = e.take(
            "description",
            optional_text(&self.description, TextKind::LINES),
        );
        let responsible = e.take(
            "responsible_organisation_id",
            parse_choice_id(&self.responsible_organisation_id),
        );
        if !e.is_empty() {
            return Err(e);
        }
        match (
            kind,
            form,
            title,
            occupation,
            places,
            start,
            end,
            minutes,
            swedish,
            licence,
            physical,
            hours,
            place,
            description,
            responsible,
        ) {
            (
                Some(kind),
                Some(employment_form),
                Some(title),
                Some(occupation),
                Some(places),
                Some(start_date),
                Some(end_date),
                Some(minutes_per_week),
                Some(swedish_level),
                Some(driving_licence),
                Some(physical_demands),
                Some(working_hours),
                Some(place),
                Some(description),
                Some(responsible_organisation_id),
            ) => Ok(OpeningSpec {
                kind,
                employment_form,
                title,
                occupation,
                places,
                start_date,
                end_date,
                minutes_per_week,
                swedish_level,
                driving_licence,
                physical_demands,
                working_hours,
                place,
                description,
                responsible_organisation_id,
            }),
            _ => Err(e),
        }
    }

    /// The input that would reproduce a stored opening, for editing.
    pub fn from_opening(o: &Opening) -> Self {
        let text = |v: Option<&str>| v.unwrap_or_default().to_string();
        Self {
            kind: o.kind.as_str().into(),
            employment_form: text(o.employment_form.map(EmploymentForm::as_str)),
            title: o.title.clone(),
            ssyk: o.ssyk.clone(),
            places: o.places.to_string(),
            start_date: o.start_date.map(|d| d.to_string()).unwrap_or_default(),
            end_date: o.end_date.map(|d| d.to_string()).unwrap_or_default(),
            hours_per_week: o.minutes_per_week.map(format_hours).unwrap_or_default(),
            swedish_level: text(o.swedish_level.map(SwedishLevel::as_str)),
            driving_licence: o.driving_licence.to_string(),
            physical_demands: text(o.physical_demands.map(PhysicalDemands::as_str)),
            working_hours: text(o.working_hours.map(WorkingHours::as_str)),
            place: text(o.place.as_deref()),
            description: text(o.description.as_deref()),
            responsible_organisation_id: o.responsible_organisation_id.to_string(),
        }
    }
}

/// Minutes as hours with at most two decimals and no trailing zeros
/// (`1500` → `25`, `2250` → `37.5`).
pub fn format_hours(minutes: i64) -> String {
    let s = format!("{:.2}", minutes as f64 / 60.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

text_input!(
    /// A new status for an opening, as submitted.
    OpeningStatusInput { status }
);

impl OpeningStatusInput {
    pub fn parse(&self) -> Result<OpeningStatus, FieldErrors> {
        parse_choice(&self.status, OpeningStatus::parse)
            .map_err(|c| FieldErrors::single("status", c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;
    use jiff::civil::date;

    fn internship() -> OpeningInput {
        OpeningInput {
            kind: "internship".into(),
            title: "Praktik i butik".into(),
            ssyk: "5223".into(),
            places: "4".into(),
            start_date: "2021-04-12".into(),
            end_date: "2021-05-14".into(),
            hours_per_week: "25".into(),
            swedish_level: "beginner".into(),
            responsible_organisation_id: "4".into(),
            ..OpeningInput::default()
        }
    }

    #[test]
    fn an_internship_parses_with_its_period_and_hours() {
        let o = internship().parse().expect("a valid internship");
        assert_eq!(o.kind, OpeningKind::Internship);
        assert_eq!(o.occupation.ssyk, "5223");
        assert_eq!((o.places, o.minutes_per_week), (4, Some(1500)));
        assert_eq!(o.start_date, Some(date(2021, 4, 12)));
        assert_eq!(o.swedish_level, Some(SwedishLevel::Beginner));
        assert!(!o.driving_licence);
        assert_eq!(o.employment_form, None);
        let half = OpeningInput {
            hours_per_week: "37,5".into(),
            ..internship()
        };
        assert_eq!(
            half.parse().expect("decimal hours").minutes_per_week,
            Some(2250)
        );
        assert_eq!(format_hours(2250), "37.5");
        assert_eq!(format_hours(1500), "25");
    }

    #[test]
    fn a_job_and_only_a_job_has_an_employment_form() {
        let job = OpeningInput {
            kind: "job".into(),
            ..internship()
        };
        assert_eq!(
            codes(job.parse()),
            vec![("employment_form".into(), code::REQUIRED)]
        );
        let job = OpeningInput {
            employment_form: "nystartsjobb".into(),
            ..job
        };
        assert_eq!(
            job.parse().expect("a subsidised job").employment_form,
            Some(EmploymentForm::Nystartsjobb)
        );
        let visit = OpeningInput {
            kind: "study_visit".into(),
            employment_form: "ordinary".into(),
            ..internship()
        };
        assert_eq!(
            codes(visit.parse()),
            vec![("employment_form".into(), "error-employment-form-job-only")]
        );
    }

    #[test]
    fn what_cannot_be_an_opening_is_refused_by_field() {
        let bad = OpeningInput {
            kind: "volunteering".into(),
            employment_form: "".into(),
            title: "".into(),
            ssyk: "1234567".into(),
            places: "0".into(),
            start_date: "2021-05-14".into(),
            end_date: "2021-04-12".into(),
            hours_per_week: "61".into(),
            swedish_level: "native".into(),
            driving_licence: "maybe".into(),
            physical_demands: "extreme".into(),
            working_hours: "nights".into(),
            place: "a\nb".into(),
            description: "".into(),
            responsible_organisation_id: "".into(),
        };
        assert_eq!(
            codes(bad.parse()),
            vec![
                ("kind".into(), code::CHOICE),
                ("title".into(), code::REQUIRED),
                ("ssyk".into(), code::CHOICE),
                ("places".into(), code::NUMBER),
                ("end_date".into(), code::PERIOD),
                ("hours_per_week".into(), code::NUMBER),
                ("swedish_level".into(), code::CHOICE),
                ("driving_licence".into(), code::CHOICE),
                ("physical_demands".into(), code::CHOICE),
                ("working_hours".into(), code::CHOICE),
                ("place".into(), code::LINE_BREAK),
                ("responsible_organisation_id".into(), code::REQUIRED),
            ]
        );
    }

    #[test]
    fn a_stored_opening_edits_back_to_itself() {
        let spec = internship().parse().expect("valid");
        let stored = Opening {
            id: 1,
            partnership_id: 1,
            employer_id: 2,
            employer_name: "Tumba Livs AB".into(),
            employer_municipality: "Botkyrka".into(),
            kind: spec.kind,
            employment_form: spec.employment_form,
            title: spec.title.clone(),
            ssyk: spec.occupation.ssyk.clone(),
            area: spec.occupation.area.clone(),
            places: spec.places,
            start_date: spec.start_date,
            end_date: spec.end_date,
            minutes_per_week: spec.minutes_per_week,
            swedish_level: spec.swedish_level,
            driving_licence: spec.driving_licence,
            physical_demands: spec.physical_demands,
            working_hours: spec.working_hours,
            place: spec.place.clone(),
            description: spec.description.clone(),
            status: OpeningStatus::Open,
            responsible_organisation_id: 4,
            responsible_name: "Botkyrka folkhögskola".into(),
        };
        assert_eq!(OpeningInput::from_opening(&stored).parse(), Ok(spec));
    }
}
