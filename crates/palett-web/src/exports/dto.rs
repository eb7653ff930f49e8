//! The exports' response bodies: the subject access export and the
//! research export.

use crate::consents::dto::ConsentTerms;
use crate::http::openapi::vocab;
use crate::palette::dto_path::PlanVersionDto;
use crate::participants::dto::{LifecycleDto, PersonDto, RestrictedDto};
use palett_app::export::SubjectAccess;
use palett_app::research::ResearchExport;
use palett_domain::followup::{Employment, IncomeSource, StudyStatus};
use palett_domain::lifecycle::{Status, TransitionKind};
use palett_domain::palette::{AttendanceStatus, EnrolmentStatus};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Everything held about her (registerutdrag, GDPR art. 15).
#[derive(Serialize, ToSchema)]
#[schema(as = SubjectAccess)]
pub struct SubjectAccessDto {
    #[schema(format = DateTime)]
    pub generated_at: String,
    pub participant: SubjectDto,
    pub caseworkers: Vec<SubjectCaseworker>,
    /// The names of her projects.
    pub projects: Vec<String>,
    pub status_history: Vec<SubjectStatusEvent>,
    pub consents: Vec<SubjectConsent>,
    pub plans: Vec<PlanVersionDto>,
    pub period_changes: Vec<SubjectPeriodChange>,
    pub enrolments: Vec<SubjectEnrolment>,
    pub attendance: Vec<SubjectAttendance>,
    pub activities: Vec<SubjectActivity>,
    pub follow_ups: Vec<SubjectFollowUp>,
    pub self_assessments: Vec<SubjectSelfAssessment>,
    /// Her pipelines for openings; a `presented` step disclosed her data to
    /// that employer.
    pub proposals: Vec<SubjectProposal>,
    /// Her placements with their reviews.
    pub placements: Vec<SubjectPlacement>,
    /// The notes the exporter's organisation may read.
    pub notes: Vec<SubjectNote>,
    /// Earlier versions of her profile, kept by rectification.
    pub profile_versions: Vec<SubjectProfileVersion>,
    /// Every logged read and change of her record.
    pub log: Vec<SubjectLogEntry>,
}

/// Her record as exported.
#[derive(Serialize, ToSchema)]
#[schema(as = SubjectParticipant)]
pub struct SubjectDto {
    pub id: i64,
    #[serde(flatten)]
    pub person: PersonDto,
    /// The responsible organisation's name.
    pub responsible_organisation: String,
    #[serde(flatten)]
    pub lifecycle: LifecycleDto,
    pub restricted: Option<RestrictedDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectCaseworker {
    pub name: String,
    pub organisation: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectStatusEvent {
    #[schema(value_type = vocab::TransitionKind)]
    pub kind: TransitionKind,
    #[schema(format = Date)]
    pub on: String,
    #[schema(value_type = vocab::Status)]
    pub to_status: Status,
    pub reason: Option<String>,
    pub by: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectConsent {
    #[serde(flatten)]
    pub terms: ConsentTerms,
    /// The names of the organisations it covers.
    pub organisations: Vec<String>,
    pub recorded_by: String,
    #[schema(format = DateTime)]
    pub withdrawn_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectPeriodChange {
    #[schema(format = Date)]
    pub planned_end: String,
    pub reason: Option<String>,
    pub by: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectEnrolment {
    pub intervention: String,
    #[schema(value_type = vocab::EnrolmentStatus)]
    pub status: EnrolmentStatus,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    #[schema(format = Date)]
    pub end_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectAttendance {
    #[schema(format = Date)]
    pub date: String,
    pub intervention: String,
    pub group: String,
    #[schema(value_type = vocab::AttendanceStatus)]
    pub status: AttendanceStatus,
    pub minutes: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectActivity {
    #[schema(format = Date)]
    pub date: String,
    pub intervention: String,
    pub minutes: i64,
    pub note: Option<String>,
}

/// A follow-up after her exit, scheduled or done.
#[derive(Serialize, ToSchema)]
pub struct SubjectFollowUp {
    pub months_after: i8,
    #[schema(format = Date)]
    pub due_on: String,
    #[schema(format = Date)]
    pub done_on: Option<String>,
    #[schema(value_type = Option<vocab::Employment>)]
    pub employment: Option<Employment>,
    #[schema(value_type = Option<vocab::StudyStatus>)]
    pub studies: Option<StudyStatus>,
    #[schema(value_type = Option<vocab::IncomeSource>)]
    pub income_source: Option<IncomeSource>,
    /// The day someone tried and could not reach her (the follow-up is
    /// then closed, not done).
    #[schema(format = Date)]
    pub not_reached_on: Option<String>,
    /// What was tried.
    pub not_reached_note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectSelfAssessment {
    #[schema(format = Date)]
    pub on: String,
    /// Each aspect's score, 1–5.
    pub scores: BTreeMap<String, i16>,
    pub total: i64,
    /// She filled it in herself, in her portal.
    pub by_participant: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectNote {
    #[schema(format = DateTime)]
    pub at: String,
    pub author: String,
    pub organisation: String,
    pub visibility: String,
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectProfileVersion {
    pub version: i64,
    /// Her profile as it was.
    #[schema(value_type = Option<Object>)]
    pub profile: Value,
    pub changed_by: String,
    #[schema(format = DateTime)]
    pub changed_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectLogEntry {
    #[schema(format = DateTime)]
    pub at: String,
    pub user: Option<String>,
    pub organisation: Option<String>,
    pub action: String,
}

impl From<&SubjectAccess> for SubjectAccessDto {
    fn from(x: &SubjectAccess) -> Self {
        let p = &x.participant;
        let date = |d: jiff::civil::Date| d.to_string();
        Self {
            generated_at: x.generated_at.to_string(),
            participant: SubjectDto {
                id: p.id,
                person: (&p.person).into(),
                responsible_organisation: p.responsible_organisation_name.clone(),
                lifecycle: (&p.state).into(),
                restricted: p.restricted.as_ref().map(RestrictedDto::from),
            },
            caseworkers: x
                .caseworkers
                .iter()
                .map(|c| SubjectCaseworker {
                    name: c.name.clone(),
                    organisation: c.organisation.clone(),
                })
                .collect(),
            projects: x.projects.iter().map(|p| p.name.clone()).collect(),
            status_history: x
                .history
                .iter()
                .map(|h| SubjectStatusEvent {
                    kind: h.kind,
                    on: date(h.on_date),
                    to_status: h.to_status,
                    reason: h.reason.clone(),
                    by: h.actor_name.clone(),
                })
                .collect(),
            consents: x
                .consents
                .iter()
                .map(|k| SubjectConsent {
                    terms: k.into(),
                    organisations: k.organisations.iter().map(|o| o.1.clone()).collect(),
                    recorded_by: k.recorded_by.clone(),
                    withdrawn_at: k.withdrawn_at.map(|t| t.to_string()),
                })
                .collect(),
            plans: x.plans.iter().map(PlanVersionDto::from).collect(),
            period_changes: x
                .period_changes
                .iter()
                .map(|c| SubjectPeriodChange {
                    planned_end: date(c.planned_end),
                    reason: c.reason.clone(),
                    by: c.author_name.clone(),
                })
                .collect(),
            enrolments: x
                .enrolments
                .iter()
                .map(|e| SubjectEnrolment {
                    intervention: e.intervention_name.clone(),
                    status: e.status,
                    start_date: e.start_date.map(date),
                    end_date: e.end_date.map(date),
                })
                .collect(),
            attendance: x
                .attendance
                .iter()
                .map(|a| SubjectAttendance {
                    date: date(a.on_date),
                    intervention: a.intervention.clone(),
                    group: a.group.clone(),
                    status: a.status,
                    minutes: a.minutes,
                })
                .collect(),
            activities: x
                .activities
                .iter()
                .map(|a| SubjectActivity {
                    date: date(a.on_date),
                    intervention: a.intervention.clone(),
                    minutes: a.minutes,
                    note: a.note.clone(),
                })
                .collect(),
            follow_ups: x
                .follow_ups
                .iter()
                .map(|f| SubjectFollowUp {
                    months_after: f.months_after,
                    due_on: date(f.due_on),
                    done_on: f.done.as_ref().map(|r| date(r.done_on)),
                    employment: f.done.as_ref().map(|r| r.employment),
                    studies: f.done.as_ref().map(|r| r.studies),
                    income_source: f.done.as_ref().map(|r| r.income_source),
                    not_reached_on: f.not_reached.as_ref().map(|n| date(n.tried_on)),
                    not_reached_note: f.not_reached.as_ref().and_then(|n| n.note.clone()),
                })
                .collect(),
            self_assessments: x
                .self_assessments
                .iter()
                .map(|a| SubjectSelfAssessment {
                    on: date(a.on),
                    scores: palett_domain::selfassessment::Aspect::ALL
                        .iter()
                        .zip(&a.scores)
                        .map(|(k, v)| (k.as_str().to_string(), *v))
                        .collect(),
                    total: a.total(),
                    by_participant: a.by_participant,
                })
                .collect(),
            proposals: x
                .proposals
                .iter()
                .map(|(p, steps)| SubjectProposal {
                    opening: p.opening_title.clone(),
                    employer: p.employer_name.clone(),
                    stage: p.stage.as_str().to_string(),
                    steps: steps
                        .iter()
                        .map(|st| SubjectProposalStep {
                            stage: st.stage.as_str().to_string(),
                            on: date(st.on),
                            reason: st.reason.map(|r| r.as_str().to_string()),
                            note: st.note.clone(),
                        })
                        .collect(),
                })
                .collect(),
            placements: x
                .placements
                .iter()
                .map(|(p, reviews)| SubjectPlacement {
                    employer: p.employer_name.clone(),
                    intervention: p.intervention_name.clone(),
                    start_date: date(p.start_date),
                    end_date: date(p.end_date),
                    minutes_recorded: p.minutes_recorded,
                    result: p.result.map(|r| r.as_str().to_string()),
                    reviews: reviews
                        .iter()
                        .map(|r| SubjectPlacementReview {
                            kind: r.kind.as_str().to_string(),
                            on: date(r.on),
                            attendance: r.attendance,
                            tasks: r.tasks,
                            swedish: r.swedish,
                            readiness: r.readiness,
                            comment: r.comment.clone(),
                        })
                        .collect(),
                })
                .collect(),
            notes: x
                .notes
                .iter()
                .map(|n| SubjectNote {
                    at: n.created_at.to_string(),
                    author: n.author.clone(),
                    organisation: n.organisation.clone(),
                    visibility: n.visibility.clone(),
                    body: n.body.clone(),
                })
                .collect(),
            profile_versions: x
                .profile_versions
                .iter()
                .map(|v| SubjectProfileVersion {
                    version: v.version,
                    profile: serde_json::from_str::<Value>(&v.profile).unwrap_or(Value::Null),
                    changed_by: v.changed_by.clone(),
                    changed_at: v.changed_at.to_string(),
                })
                .collect(),
            log: x
                .log
                .iter()
                .map(|e| SubjectLogEntry {
                    at: e.at.to_string(),
                    user: e.user_name.clone(),
                    organisation: e.organisation_name.clone(),
                    action: e.action.clone(),
                })
                .collect(),
        }
    }
}

/// The pseudonymised research export.
#[derive(Serialize, ToSchema)]
#[schema(as = ResearchExport)]
pub struct ResearchDto {
    /// The k of the k-anonymity check (at least 5).
    pub k: usize,
    /// Rows whose quasi-identifiers were suppressed (`*`).
    pub suppressed_rows: usize,
    pub suppressed_groups: usize,
    /// `age_group`, `region`, `gender`, `intake_year`.
    pub quasi_identifiers: Vec<String>,
    /// Sorted by pseudonym.
    pub rows: Vec<ResearchRow>,
}

/// One research-consented participant, pseudonymised.
#[derive(Serialize, ToSchema)]
pub struct ResearchRow {
    pub pseudonym: String,
    /// `*` where suppressed (as the other quasi-identifiers).
    pub age_group: String,
    pub region: String,
    pub gender: String,
    pub intake_year: String,
    /// Months in the programme, in bands.
    pub months_band: String,
    pub exit_outcome: String,
    pub status: String,
    /// Hours of recorded participation, in bands.
    pub hours_band: String,
}

impl From<&ResearchExport> for ResearchDto {
    fn from(x: &ResearchExport) -> Self {
        let quasi = |r: &palett_app::research::ResearchRecord, i: usize| r.quasi[i].clone();
        Self {
            k: x.k,
            suppressed_rows: x.suppressed_rows,
            suppressed_groups: x.suppressed_groups,
            quasi_identifiers: palett_app::research::QUASI_IDENTIFIERS
                .iter()
                .map(|q| q.to_string())
                .collect(),
            rows: x
                .rows
                .iter()
                .map(|r| ResearchRow {
                    pseudonym: r.pseudonym.clone(),
                    age_group: quasi(r, 0),
                    region: quasi(r, 1),
                    gender: quasi(r, 2),
                    intake_year: quasi(r, 3),
                    months_band: r.months_band.clone(),
                    exit_outcome: r.exit_outcome.clone(),
                    status: r.status.clone(),
                    hours_band: r.hours_band.clone(),
                })
                .collect(),
        }
    }
}

/// A pipeline of hers for an opening.
#[derive(Serialize, ToSchema)]
pub struct SubjectProposal {
    pub opening: String,
    pub employer: String,
    /// Its current stage.
    pub stage: String,
    pub steps: Vec<SubjectProposalStep>,
}

/// One step of a pipeline.
#[derive(Serialize, ToSchema)]
pub struct SubjectProposalStep {
    pub stage: String,
    #[schema(format = Date)]
    pub on: String,
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// A placement of hers.
#[derive(Serialize, ToSchema)]
pub struct SubjectPlacement {
    pub employer: String,
    pub intervention: String,
    #[schema(format = Date)]
    pub start_date: String,
    #[schema(format = Date)]
    pub end_date: String,
    pub minutes_recorded: i64,
    pub result: Option<String>,
    pub reviews: Vec<SubjectPlacementReview>,
}

/// A review of a placement with the employer (scores 1–5).
#[derive(Serialize, ToSchema)]
pub struct SubjectPlacementReview {
    pub kind: String,
    #[schema(format = Date)]
    pub on: String,
    pub attendance: i64,
    pub tasks: i64,
    pub swedish: i64,
    pub readiness: i64,
    pub comment: Option<String>,
}
