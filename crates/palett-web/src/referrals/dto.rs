//! The referrals' JSON bodies.

use crate::http::openapi::vocab;
use palett_domain::referral::{
    DeclineReason, Referral, ReferralEvent, ReferralOrigin, ReferralPurpose, ReferralState,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A referral from one partner (or from outside the partnership) to a
/// partner.
#[derive(Serialize, ToSchema)]
#[schema(as = Referral)]
pub struct ReferralDto {
    pub id: i64,
    pub participant_id: i64,
    pub participant_name: String,
    #[schema(value_type = vocab::ReferralOrigin)]
    pub source: ReferralOrigin,
    /// The partner that sent it; absent when it came from outside and the
    /// receiving partner recorded it.
    pub from_organisation_id: Option<i64>,
    pub from_name: Option<String>,
    pub to_organisation_id: i64,
    pub to_name: String,
    #[schema(value_type = vocab::ReferralPurpose)]
    pub purpose: ReferralPurpose,
    pub intervention_id: Option<i64>,
    pub intervention_name: Option<String>,
    pub reason: String,
    pub asked: String,
    /// The sharing consent it relies on.
    pub consent_id: Option<i64>,
    #[schema(value_type = vocab::ReferralState)]
    pub state: ReferralState,
    /// The day of its latest step.
    #[schema(format = Date)]
    pub state_on: String,
    #[schema(format = Date)]
    pub sent_on: String,
    /// The last day of the receiving partner's answer time (working days
    /// from `sent_on`).
    #[schema(format = Date)]
    pub due_on: String,
    /// Waiting for an answer after `due_on`.
    pub stale: bool,
    /// The enrolment it led to.
    pub enrolment_id: Option<i64>,
    /// The referral it was forwarded as, and to whom.
    pub forwarded_to: Option<i64>,
    pub forwarded_to_name: Option<String>,
    /// The referral it was forwarded from.
    pub forwarded_from: Option<i64>,
    pub created_by: String,
}

impl ReferralDto {
    pub fn new(r: &Referral, stale: bool) -> Self {
        Self {
            id: r.id,
            participant_id: r.participant_id,
            participant_name: r.participant_name.clone(),
            source: r.source,
            from_organisation_id: r.from_organisation_id,
            from_name: r.from_name.clone(),
            to_organisation_id: r.to_organisation_id,
            to_name: r.to_name.clone(),
            purpose: r.purpose,
            intervention_id: r.intervention_id,
            intervention_name: r.intervention_name.clone(),
            reason: r.reason.clone(),
            asked: r.asked.clone(),
            consent_id: r.consent_id,
            state: r.state,
            state_on: r.state_on.to_string(),
            sent_on: r.sent_on.to_string(),
            due_on: r.due_on.to_string(),
            stale,
            enrolment_id: r.enrolment_id,
            forwarded_to: r.forwarded_to,
            forwarded_to_name: r.forwarded_to_name.clone(),
            forwarded_from: r.forwarded_from,
            created_by: r.created_by.clone(),
        }
    }
}

/// One step of a referral.
#[derive(Serialize, ToSchema)]
#[schema(as = ReferralStep)]
pub struct ReferralStepDto {
    #[schema(value_type = vocab::ReferralState)]
    pub state: ReferralState,
    #[schema(format = Date)]
    pub on_date: String,
    #[schema(value_type = Option<vocab::DeclineReason>)]
    pub reason: Option<DeclineReason>,
    pub note: Option<String>,
    /// Who took it.
    pub by: Option<String>,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<&ReferralEvent> for ReferralStepDto {
    fn from(e: &ReferralEvent) -> Self {
        Self {
            state: e.state,
            on_date: e.on.to_string(),
            reason: e.reason,
            note: e.note.clone(),
            by: e.by.clone(),
            recorded_at: e.at.to_string(),
        }
    }
}

/// A referral with its steps.
#[derive(Serialize, ToSchema)]
#[schema(as = ReferralView)]
pub struct ReferralViewDto {
    pub referral: ReferralDto,
    pub steps: Vec<ReferralStepDto>,
    /// The caller's partner is the one asked: it takes the next step.
    pub may_answer: bool,
    /// The receiving partner's contact point for referrals.
    pub to_contact: Option<String>,
    /// Her shared notes the referral carries.
    pub notes: Vec<AttachedNoteDto>,
}

/// A note of hers, shared with the partners, that a referral carries.
#[derive(Serialize, ToSchema)]
#[schema(as = ReferralNote)]
pub struct AttachedNoteDto {
    pub id: i64,
    pub author: String,
    pub organisation: String,
    pub body: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&palett_app::notes::Note> for AttachedNoteDto {
    fn from(n: &palett_app::notes::Note) -> Self {
        Self {
            id: n.id,
            author: n.author.clone(),
            organisation: n.organisation.clone(),
            body: n.body.clone(),
            created_at: n.created_at.to_string(),
        }
    }
}

/// One page of referrals.
#[derive(Serialize, ToSchema)]
pub struct ReferralPage {
    pub items: Vec<ReferralDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// Her referrals (not paginated: at most 200).
#[derive(Serialize, ToSchema)]
pub struct ReferralList {
    pub items: Vec<ReferralDto>,
}

/// A partner's agreed routine for referrals.
#[derive(Serialize, ToSchema)]
#[schema(as = ReferralRoutine)]
pub struct RoutineDto {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// Working days to answer a referral.
    pub answer_days: i64,
    pub contact: Option<String>,
    /// Agreed by the partner (otherwise the default answer time).
    pub agreed: bool,
}

impl From<&palett_app::referrals::Routine> for RoutineDto {
    fn from(r: &palett_app::referrals::Routine) -> Self {
        Self {
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name.clone(),
            answer_days: r.answer_days,
            contact: r.contact.clone(),
            agreed: r.agreed,
        }
    }
}

/// Every partner's routine.
#[derive(Serialize, ToSchema)]
pub struct RoutineList {
    pub items: Vec<RoutineDto>,
}
