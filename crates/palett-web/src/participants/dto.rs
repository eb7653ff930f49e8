//! The participants API's response bodies: each a type, so the OpenAPI
//! document shows exactly what the handlers send.

use crate::http::openapi::vocab;
use crate::http::Named;
use palett_app::participants::ParticipantView;
use palett_domain::followup::{IncomeSource, LabourStatus};
use palett_domain::lifecycle::{ExitOutcome, LifecycleState, Status, TransitionKind};
use palett_domain::model::{Handover, Participant, Person, Restricted};
use palett_domain::values::{EducationLevel, Gender, IdentityKind, ReferralSource, SwedishLevel};
use serde::Serialize;
use utoipa::ToSchema;

/// Who she is: the fields her record and her subject access export share.
#[derive(Serialize, ToSchema)]
#[schema(as = Person)]
pub struct PersonDto {
    pub given_name: String,
    pub family_name: String,
    #[schema(value_type = vocab::IdentityKind)]
    pub identity_kind: IdentityKind,
    /// 12 digits.
    pub identity_number: Option<String>,
    #[schema(format = Date)]
    pub birth_date: String,
    #[schema(value_type = vocab::Gender)]
    pub gender: Gender,
    pub country_of_birth: Option<String>,
    pub arrival_year: Option<i16>,
    pub languages: Vec<String>,
    pub interpreter_needed: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    #[schema(value_type = vocab::EducationLevel)]
    pub education_level: EducationLevel,
    #[schema(value_type = vocab::SwedishLevel)]
    pub swedish_level: SwedishLevel,
    #[schema(value_type = vocab::ReferralSource)]
    pub referral_source: ReferralSource,
}

impl From<&Person> for PersonDto {
    fn from(p: &Person) -> Self {
        Self {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            identity_kind: p.identity_kind,
            identity_number: p.identity_number.clone(),
            birth_date: p.birth_date.to_string(),
            gender: p.gender,
            country_of_birth: p.country_of_birth.clone(),
            arrival_year: p.arrival_year,
            languages: p.languages.clone(),
            interpreter_needed: p.interpreter_needed,
            phone: p.phone.clone(),
            email: p.email.clone(),
            address: p.address.clone(),
            education_level: p.education_level,
            swedish_level: p.swedish_level,
            referral_source: p.referral_source,
        }
    }
}

/// Her place on the path.
#[derive(Serialize, ToSchema)]
#[schema(as = Lifecycle)]
pub struct LifecycleDto {
    #[schema(value_type = vocab::Status)]
    pub status: Status,
    #[schema(format = Date)]
    pub referred_on: String,
    #[schema(format = Date)]
    pub intake_date: Option<String>,
    #[schema(format = Date)]
    pub exit_date: Option<String>,
    #[schema(value_type = Option<vocab::ExitOutcome>)]
    pub exit_outcome: Option<ExitOutcome>,
}

impl From<&LifecycleState> for LifecycleDto {
    fn from(s: &LifecycleState) -> Self {
        Self {
            status: s.status,
            referred_on: s.referred_on.to_string(),
            intake_date: s.intake_date.map(|d| d.to_string()),
            exit_date: s.exit_date.map(|d| d.to_string()),
            exit_outcome: s.exit_outcome,
        }
    }
}

/// A participant's record.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipantRecord)]
pub struct ParticipantDto {
    pub id: i64,
    #[serde(flatten)]
    pub person: PersonDto,
    pub birth_year: i16,
    pub entry: EntryDto,
    pub responsible_organisation: Named,
    #[serde(flatten)]
    pub lifecycle: LifecycleDto,
    /// Send it back with a change to have a concurrent change refused (409).
    pub version: i64,
    /// The reason, while processing is restricted (GDPR art. 18).
    pub processing_restricted: Option<String>,
    /// The restricted field group; `null` for callers who may not see it.
    pub restricted: Option<RestrictedDto>,
}

/// Her situation when she entered the programme.
#[derive(Serialize, ToSchema)]
#[schema(as = EntrySituation)]
pub struct EntryDto {
    #[schema(value_type = vocab::LabourStatus)]
    pub labour_status: LabourStatus,
    #[schema(value_type = vocab::IncomeSource)]
    pub income_source: IncomeSource,
    pub months_on_support: Option<i64>,
}

/// The restricted field group.
#[derive(Serialize, ToSchema)]
#[schema(as = RestrictedFields)]
pub struct RestrictedDto {
    pub health_notes: Option<String>,
    pub support_needs: Option<String>,
    /// Skyddad identitet.
    pub protected_identity: bool,
}

impl From<&Restricted> for RestrictedDto {
    fn from(r: &Restricted) -> Self {
        Self {
            health_notes: r.health_notes.clone(),
            support_needs: r.support_needs.clone(),
            protected_identity: r.protected_identity,
        }
    }
}

impl From<&Participant> for ParticipantDto {
    fn from(p: &Participant) -> Self {
        Self {
            id: p.id,
            person: (&p.person).into(),
            birth_year: p.birth_year(),
            entry: EntryDto {
                labour_status: p.entry.labour_status,
                income_source: p.entry.income_source,
                months_on_support: p.entry.months_on_support,
            },
            responsible_organisation: Named::new(
                p.responsible_organisation_id,
                &p.responsible_organisation_name,
            ),
            lifecycle: (&p.state).into(),
            version: p.version,
            processing_restricted: p.processing_restricted.clone(),
            restricted: p.restricted.as_ref().map(RestrictedDto::from),
        }
    }
}

/// Her record with her caseworkers, projects, status history and
/// handovers.
#[derive(Serialize, ToSchema)]
#[schema(as = Participant)]
pub struct ParticipantViewDto {
    #[serde(flatten)]
    pub participant: ParticipantDto,
    pub caseworkers: Vec<CaseworkerDto>,
    pub projects: Vec<Named>,
    /// Her status changes, oldest first.
    pub history: Vec<StatusEventDto>,
    /// Each move of the responsibility for her.
    pub handovers: Vec<HandoverDto>,
    /// Where her exit led, when it names an employer, placement or school.
    pub exit_to: Option<ExitDestinationDto>,
}

/// Where an exit to a job or studies led.
#[derive(Serialize, ToSchema)]
#[schema(as = ExitDestination)]
pub struct ExitDestinationDto {
    pub employer_id: Option<i64>,
    pub employer_name: Option<String>,
    /// Her placement that led there.
    pub placement_id: Option<i64>,
    /// That placement's opening.
    pub placement_title: Option<String>,
    pub school: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Caseworker)]
pub struct CaseworkerDto {
    pub id: i64,
    pub name: String,
    pub organisation: String,
}

/// One change of her status.
#[derive(Serialize, ToSchema)]
#[schema(as = StatusEvent)]
pub struct StatusEventDto {
    #[schema(value_type = vocab::TransitionKind)]
    pub kind: TransitionKind,
    #[schema(value_type = Option<vocab::Status>)]
    pub from_status: Option<Status>,
    #[schema(value_type = vocab::Status)]
    pub to_status: Status,
    #[schema(format = Date)]
    pub on: String,
    pub reason: Option<String>,
    #[schema(value_type = Option<vocab::ExitOutcome>)]
    pub exit_outcome: Option<ExitOutcome>,
    /// Who made the change.
    pub by: String,
    #[schema(format = DateTime)]
    pub at: String,
}

/// A move of the responsibility for her to another organisation.
#[derive(Serialize, ToSchema)]
#[schema(as = Handover)]
pub struct HandoverDto {
    pub from_organisation: Named,
    pub to_organisation: Named,
    #[schema(format = Date)]
    pub on: String,
    pub reason: String,
    /// Who handed her over.
    pub by: String,
    #[schema(format = DateTime)]
    pub at: String,
}

impl From<&Handover> for HandoverDto {
    fn from(h: &Handover) -> Self {
        Self {
            from_organisation: Named::new(h.from_organisation_id, &h.from_organisation_name),
            to_organisation: Named::new(h.to_organisation_id, &h.to_organisation_name),
            on: h.on_date.to_string(),
            reason: h.reason.clone(),
            by: h.actor_name.clone(),
            at: h.at.to_string(),
        }
    }
}

impl From<&ParticipantView> for ParticipantViewDto {
    fn from(v: &ParticipantView) -> Self {
        Self {
            participant: (&v.participant).into(),
            caseworkers: v
                .caseworkers
                .iter()
                .map(|c| CaseworkerDto {
                    id: c.user_id,
                    name: c.name.clone(),
                    organisation: c.organisation.clone(),
                })
                .collect(),
            projects: v
                .projects
                .iter()
                .map(|p| Named::new(p.project_id, &p.name))
                .collect(),
            history: v
                .history
                .iter()
                .map(|h| StatusEventDto {
                    kind: h.kind,
                    from_status: h.from_status,
                    to_status: h.to_status,
                    on: h.on_date.to_string(),
                    reason: h.reason.clone(),
                    exit_outcome: h.exit_outcome,
                    by: h.actor_name.clone(),
                    at: h.at.to_string(),
                })
                .collect(),
            handovers: v.handovers.iter().map(HandoverDto::from).collect(),
            exit_to: v.exit_to.as_ref().map(|d| ExitDestinationDto {
                employer_id: d.employer_id,
                employer_name: d.employer_name.clone(),
                placement_id: d.placement_id,
                placement_title: d.placement_title.clone(),
                school: d.school.clone(),
            }),
        }
    }
}

/// The answer to a handover: the handover itself, since the giving
/// organisation may no longer see her.
#[derive(Serialize, ToSchema)]
pub struct HandoverDone {
    pub participant_id: i64,
    #[serde(flatten)]
    pub handover: HandoverDto,
    /// `false` when the caller's organisation no longer sees her (she has
    /// no sharing consent covering it).
    pub still_visible: bool,
}

/// One participant in a list.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipantListItem)]
pub struct ListItemDto {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub birth_year: i16,
    #[schema(value_type = vocab::Status)]
    pub status: Status,
    /// The responsible organisation's name.
    pub responsible_organisation: String,
    #[schema(format = Date)]
    pub intake_date: Option<String>,
    #[schema(format = Date)]
    pub exit_date: Option<String>,
}

/// One page of participants.
#[derive(Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<ListItemDto>,
    /// 1-based; 1 for a page asked for by `after` or `before` (its number
    /// is not counted).
    pub page: i64,
    pub per_page: i64,
    /// How many participants the caller may see with these filters,
    /// counted up to 1,000 (`more` says there are more than that).
    pub total: i64,
    /// More participants match than `total`.
    pub more: bool,
    /// The next page is `after=` this id; absent on the last page.
    pub next_after: Option<i64>,
    /// The page before is `before=` this id; absent on the first page.
    pub prev_before: Option<i64>,
}

impl ParticipantPage {
    /// A page of the app's list, with its number (1 for a keyset page)
    /// and size.
    pub(crate) fn of(list: &palett_app::participants::ListPage, page: i64, per_page: i64) -> Self {
        Self {
            items: list
                .items
                .iter()
                .map(|i| ListItemDto {
                    id: i.id,
                    given_name: i.given_name.clone(),
                    family_name: i.family_name.clone(),
                    birth_year: i.birth_year,
                    status: i.status,
                    responsible_organisation: i.responsible_organisation_name.clone(),
                    intake_date: i.intake_date.map(|d| d.to_string()),
                    exit_date: i.exit_date.map(|d| d.to_string()),
                })
                .collect(),
            page,
            per_page,
            total: list.total,
            more: list.more,
            next_after: list.next_after(),
            prev_before: list.prev_before(),
        }
    }
}
