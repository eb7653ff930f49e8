//! The response bodies of a participant's path: plans, enrolments, her
//! period, time and timeline.

use crate::http::openapi::vocab;
use palett_app::palette::{EnrolmentRow, PeriodView, PlanVersion, TimeRow, TimelineItem};
use palett_domain::palette::EnrolmentStatus;
use palett_domain::plan::{Goal, Plan, Review, Step};
use serde::Serialize;
use utoipa::ToSchema;

/// An enrolment in an intervention (or a place on its waiting list).
#[derive(Serialize, ToSchema)]
#[schema(as = Enrolment)]
pub struct EnrolmentDto {
    pub id: i64,
    pub participant_id: i64,
    /// Her name.
    pub participant: String,
    pub intervention_id: i64,
    /// The intervention's name.
    pub intervention: String,
    pub group_id: Option<i64>,
    #[schema(value_type = vocab::EnrolmentStatus)]
    pub status: EnrolmentStatus,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    #[schema(format = Date)]
    pub end_date: Option<String>,
    pub reason: Option<String>,
}

impl From<&EnrolmentRow> for EnrolmentDto {
    fn from(e: &EnrolmentRow) -> Self {
        Self {
            id: e.id,
            participant_id: e.participant_id,
            participant: e.participant_name.clone(),
            intervention_id: e.intervention_id,
            intervention: e.intervention_name.clone(),
            group_id: e.group_id,
            status: e.status,
            start_date: e.start_date.map(|d| d.to_string()),
            end_date: e.end_date.map(|d| d.to_string()),
            reason: e.reason.clone(),
        }
    }
}

/// Her enrolments.
#[derive(Serialize, ToSchema)]
pub struct EnrolmentList {
    pub items: Vec<EnrolmentDto>,
}

/// A new enrolment: beyond capacity its status is `waiting`.
#[derive(Serialize, ToSchema)]
pub struct Enrolled {
    pub id: i64,
    #[schema(value_type = vocab::EnrolmentStatus)]
    pub status: EnrolmentStatus,
}

/// An enrolment moved on, and the enrolment a place set free was offered
/// to (the first on the waiting list), if any.
#[derive(Serialize, ToSchema)]
pub struct EnrolmentChanged {
    #[serde(flatten)]
    pub enrolment: EnrolmentDto,
    pub offered_to_enrolment_id: Option<i64>,
}

/// A goal of her plan, in her own words.
#[derive(Serialize, ToSchema)]
pub struct PlanGoal {
    pub text: String,
    pub category: String,
}

/// A step of her plan: an intervention with planned dates and who is
/// responsible.
#[derive(Serialize, ToSchema)]
pub struct PlanStep {
    pub intervention_id: i64,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub responsible_organisation_id: i64,
    pub responsible_user_id: Option<i64>,
    pub note: String,
}

/// A review meeting of her plan.
#[derive(Serialize, ToSchema)]
pub struct PlanReview {
    pub date: String,
    pub participants: String,
    pub notes: String,
    pub decisions: String,
}

impl PlanGoal {
    pub fn list(goals: &[Goal]) -> Vec<Self> {
        goals
            .iter()
            .map(|g| Self {
                text: g.text.clone(),
                category: g.category.clone(),
            })
            .collect()
    }
}

impl PlanStep {
    pub fn list(steps: &[Step]) -> Vec<Self> {
        steps
            .iter()
            .map(|s| Self {
                intervention_id: s.intervention_id,
                planned_start: s.planned_start.clone(),
                planned_end: s.planned_end.clone(),
                responsible_organisation_id: s.responsible_organisation_id,
                responsible_user_id: s.responsible_user_id,
                note: s.note.clone(),
            })
            .collect()
    }
}

impl PlanReview {
    pub fn list(reviews: &[Review]) -> Vec<Self> {
        reviews
            .iter()
            .map(|r| Self {
                date: r.date.clone(),
                participants: r.participants.clone(),
                notes: r.notes.clone(),
                decisions: r.decisions.clone(),
            })
            .collect()
    }
}

/// One version of her plan.
#[derive(Serialize, ToSchema)]
#[schema(as = PlanVersion)]
pub struct PlanVersionDto {
    pub version: i64,
    pub author: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub goals: Vec<PlanGoal>,
    pub steps: Vec<PlanStep>,
    pub reviews: Vec<PlanReview>,
    /// Her occupational interests: occupation area codes.
    pub interests: Vec<String>,
    /// The municipalities she can get to for work, by name.
    pub reach: Vec<String>,
}

impl From<&(PlanVersion, Plan)> for PlanVersionDto {
    fn from((v, p): &(PlanVersion, Plan)) -> Self {
        Self {
            version: v.version,
            author: v.author_name.clone(),
            created_at: v.created_at.to_string(),
            goals: PlanGoal::list(&p.goals),
            steps: PlanStep::list(&p.steps),
            reviews: PlanReview::list(&p.reviews),
            interests: p.interests.clone(),
            reach: p.reach.clone(),
        }
    }
}

/// Every version of her plan, newest first.
#[derive(Serialize, ToSchema)]
pub struct PlanVersions {
    pub versions: Vec<PlanVersionDto>,
}

/// The number of the version saved, and the enrolments made with it
/// (`enrol_steps`).
#[derive(Serialize, ToSchema)]
pub struct PlanSaved {
    pub version: i64,
    pub enrolled: Vec<Enrolled>,
}

/// Her participation period and time net of pauses.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationPeriod)]
pub struct PeriodDto {
    #[schema(format = Date)]
    pub intake_date: Option<String>,
    #[schema(format = Date)]
    pub planned_end: Option<String>,
    /// Days in the programme net of pauses.
    pub net_days: i64,
    pub paused_days: i64,
    /// Days to the planned end.
    pub remaining_days: Option<i64>,
    /// Each change of the planned end.
    pub changes: Vec<PeriodChangeDto>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PeriodChange)]
pub struct PeriodChangeDto {
    #[schema(format = Date)]
    pub planned_end: String,
    pub reason: Option<String>,
    pub by: String,
    #[schema(format = DateTime)]
    pub at: String,
}

impl From<&PeriodView> for PeriodDto {
    fn from(p: &PeriodView) -> Self {
        Self {
            intake_date: p.intake.map(|d| d.to_string()),
            planned_end: p.planned_end.map(|d| d.to_string()),
            net_days: p.net_days,
            paused_days: p.paused_days,
            remaining_days: p.remaining_days,
            changes: p
                .changes
                .iter()
                .map(|x| PeriodChangeDto {
                    planned_end: x.planned_end.to_string(),
                    reason: x.reason.clone(),
                    by: x.author_name.clone(),
                    at: x.created_at.to_string(),
                })
                .collect(),
        }
    }
}

/// Who paid for the time: a project, or ordinary operations.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum TimeFunding {
    Project { project: String },
    Ordinary(crate::palette::dto::OrdinaryOperations),
}

/// Her time in one intervention in one month.
#[derive(Serialize, ToSchema)]
#[schema(as = TimeRow)]
pub struct TimeDto {
    pub intervention_id: i64,
    pub intervention: String,
    pub funding: TimeFunding,
    /// YYYY-MM.
    pub month: String,
    pub minutes: i64,
    /// Hours with a decimal point, e.g. `"1.5"`.
    pub hours: String,
}

/// Her time per intervention and month.
#[derive(Serialize, ToSchema)]
pub struct TimeList {
    pub items: Vec<TimeDto>,
}

impl From<&TimeRow> for TimeDto {
    fn from(r: &TimeRow) -> Self {
        Self {
            intervention_id: r.intervention_id,
            intervention: r.intervention.clone(),
            funding: match &r.project {
                Some(p) => TimeFunding::Project { project: p.clone() },
                None => TimeFunding::Ordinary(
                    crate::palette::dto::OrdinaryOperations::OrdinaryOperations,
                ),
            },
            month: r.month.clone(),
            minutes: r.minutes,
            hours: palett_app::palette::hours_text(r.minutes).replace(',', "."),
        }
    }
}

/// Something that happened to her.
#[derive(Serialize, ToSchema)]
pub struct TimelineEntry {
    #[schema(format = Date)]
    pub date: String,
    pub kind: String,
    pub text: String,
    /// A value that changed.
    pub change: Option<Change>,
}

#[derive(Serialize, ToSchema)]
pub struct Change {
    pub from: String,
    pub to: String,
}

impl From<&TimelineItem> for TimelineEntry {
    fn from(i: &TimelineItem) -> Self {
        Self {
            date: i.on.to_string(),
            kind: i.kind.clone(),
            text: i.text.clone(),
            change: i.change.as_ref().map(|(from, to)| Change {
                from: from.clone(),
                to: to.clone(),
            }),
        }
    }
}

/// Everything that happened to her, oldest first.
#[derive(Serialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
}
