//! The openings' answers in the JSON API, and the occupation catalogue.

use crate::http::openapi::vocab;
use palett_domain::opening::{EmploymentForm, Opening, OpeningKind, OpeningStatus};
use palett_domain::values::SwedishLevel;
use serde::Serialize;
use utoipa::ToSchema;

/// An opening of an employer.
#[derive(Serialize, ToSchema)]
#[schema(as = Opening)]
pub struct OpeningDto {
    pub id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    /// The employer's municipality, which matching compares with the
    /// municipalities she can get to.
    pub employer_municipality: String,
    #[schema(value_type = vocab::OpeningKind)]
    pub kind: OpeningKind,
    /// For a job only.
    #[schema(value_type = Option<vocab::EmploymentForm>)]
    pub employment_form: Option<EmploymentForm>,
    pub title: String,
    /// The SSYK 2012 unit group (four digits).
    pub ssyk: String,
    /// The unit group's name.
    pub occupation: Option<String>,
    /// The occupation area's code (see `GET /occupations`).
    pub area: String,
    pub places: i64,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    #[schema(format = Date)]
    pub end_date: Option<String>,
    pub hours_per_week: Option<f64>,
    /// The least Swedish it asks for.
    #[schema(value_type = Option<vocab::SwedishLevel>)]
    pub swedish_level: Option<SwedishLevel>,
    pub driving_licence: bool,
    #[schema(value_type = Option<vocab::PhysicalDemands>)]
    pub physical_demands: Option<palett_domain::opening::PhysicalDemands>,
    #[schema(value_type = Option<vocab::WorkingHours>)]
    pub working_hours: Option<palett_domain::opening::WorkingHours>,
    pub place: Option<String>,
    pub description: Option<String>,
    #[schema(value_type = vocab::OpeningStatus)]
    pub status: OpeningStatus,
    pub responsible_organisation_id: i64,
    pub responsible_name: String,
}

impl From<&Opening> for OpeningDto {
    fn from(o: &Opening) -> Self {
        Self {
            id: o.id,
            employer_id: o.employer_id,
            employer_name: o.employer_name.clone(),
            employer_municipality: o.employer_municipality.clone(),
            kind: o.kind,
            employment_form: o.employment_form,
            title: o.title.clone(),
            ssyk: o.ssyk.clone(),
            occupation: o.occupation().map(|g| g.name_sv.clone()),
            area: o.area.clone(),
            places: o.places,
            start_date: o.start_date.map(|d| d.to_string()),
            end_date: o.end_date.map(|d| d.to_string()),
            hours_per_week: o.minutes_per_week.map(|m| m as f64 / 60.0),
            swedish_level: o.swedish_level,
            driving_licence: o.driving_licence,
            physical_demands: o.physical_demands,
            working_hours: o.working_hours,
            place: o.place.clone(),
            description: o.description.clone(),
            status: o.status,
            responsible_organisation_id: o.responsible_organisation_id,
            responsible_name: o.responsible_name.clone(),
        }
    }
}

/// An opening and whether the caller may change it.
#[derive(Serialize, ToSchema)]
#[schema(as = OpeningView)]
pub struct OpeningViewDto {
    pub opening: OpeningDto,
    pub may_change: bool,
}

/// One page of openings.
#[derive(Serialize, ToSchema)]
pub struct OpeningPage {
    pub items: Vec<OpeningDto>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// An occupation area with its SSYK 2012 unit groups.
#[derive(Serialize, ToSchema)]
pub struct OccupationAreaDto {
    pub code: String,
    /// The JobTech Taxonomy concept id.
    pub taxonomy_id: String,
    pub name_sv: String,
    pub name_en: String,
    pub groups: Vec<UnitGroupDto>,
}

/// An SSYK 2012 unit group.
#[derive(Serialize, ToSchema)]
pub struct UnitGroupDto {
    pub ssyk: String,
    pub name_sv: String,
}

/// The occupation catalogue.
#[derive(Serialize, ToSchema)]
pub struct Occupations {
    pub areas: Vec<OccupationAreaDto>,
}

/// One row of a ranked list: its score and the reasons behind it (the
/// values of `palett_domain::matching::Reason`, e.g. `interested`,
/// `swedish_below`, `within_reach`, `paused`).
#[derive(Serialize, ToSchema)]
pub struct MatchDto {
    pub score: i32,
    pub reasons: Vec<String>,
}

impl From<&palett_domain::matching::Match> for MatchDto {
    fn from(m: &palett_domain::matching::Match) -> Self {
        Self {
            score: m.score,
            reasons: m.reasons.iter().map(|r| r.as_str().to_string()).collect(),
        }
    }
}

/// A candidate for an opening.
#[derive(Serialize, ToSchema)]
pub struct CandidateDto {
    pub participant_id: i64,
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = vocab::Status)]
    pub status: palett_domain::lifecycle::Status,
    pub responsible_organisation: String,
    #[serde(rename = "match")]
    pub matched: MatchDto,
    /// The caller may propose her (her organisation is responsible for
    /// her, she is assigned to the caller, or the caller coordinates).
    pub may_propose: bool,
}

/// The candidates for an opening, best first, one page.
#[derive(Serialize, ToSchema)]
pub struct CandidatePage {
    pub opening_id: i64,
    pub items: Vec<CandidateDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// An opening ranked for a participant.
#[derive(Serialize, ToSchema)]
pub struct RankedOpeningDto {
    pub opening: OpeningDto,
    #[serde(rename = "match")]
    pub matched: MatchDto,
}

/// The open openings for a participant, best first, one page.
#[derive(Serialize, ToSchema)]
pub struct ParticipantOpenings {
    pub participant_id: i64,
    /// Her occupational interests (occupation area codes) from her plan.
    pub interests: Vec<String>,
    /// The municipalities her plan says she can get to, by name.
    pub reach: Vec<String>,
    /// Her employer-contact consent is in force: she may be presented.
    pub may_be_proposed: bool,
    pub items: Vec<RankedOpeningDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// A participant's pipeline for one opening.
#[derive(Serialize, ToSchema)]
#[schema(as = Proposal)]
pub struct ProposalDto {
    pub id: i64,
    pub opening_id: i64,
    pub opening_title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub participant_id: i64,
    pub participant_name: String,
    #[schema(value_type = vocab::ProposalStage)]
    pub stage: palett_domain::proposal::Stage,
    /// The day of its latest step.
    #[schema(format = Date)]
    pub stage_on: String,
}

impl From<&palett_domain::proposal::Proposal> for ProposalDto {
    fn from(p: &palett_domain::proposal::Proposal) -> Self {
        Self {
            id: p.id,
            opening_id: p.opening_id,
            opening_title: p.opening_title.clone(),
            employer_id: p.employer_id,
            employer_name: p.employer_name.clone(),
            participant_id: p.participant_id,
            participant_name: p.participant_name.clone(),
            stage: p.stage,
            stage_on: p.stage_on.to_string(),
        }
    }
}

/// One step of a pipeline.
#[derive(Serialize, ToSchema)]
#[schema(as = ProposalStep)]
pub struct ProposalStepDto {
    #[schema(value_type = vocab::ProposalStage)]
    pub stage: palett_domain::proposal::Stage,
    #[schema(format = Date)]
    pub on_date: String,
    #[schema(value_type = Option<vocab::NotPlacedReason>)]
    pub reason: Option<palett_domain::proposal::NotPlacedReason>,
    pub note: Option<String>,
    /// Who took it.
    pub by: Option<String>,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// A pipeline with its steps.
#[derive(Serialize, ToSchema)]
#[schema(as = ProposalView)]
pub struct ProposalViewDto {
    pub proposal: ProposalDto,
    pub steps: Vec<ProposalStepDto>,
    /// The caller may take the next step.
    pub may_change: bool,
}

/// Pipelines (not paginated: at most 500).
#[derive(Serialize, ToSchema)]
pub struct ProposalList {
    pub items: Vec<ProposalDto>,
}
