//! The registry's answers in the JSON API.

use crate::http::openapi::vocab;
use palett_domain::employer::{ContactEntry, ContactKind, ContactPerson, Employer, Industry};
use serde::Serialize;
use utoipa::ToSchema;

/// An employer of the registry.
#[derive(Serialize, ToSchema)]
#[schema(as = Employer)]
pub struct EmployerDto {
    pub id: i64,
    pub name: String,
    /// `NNNNNN-NNNN`.
    pub org_number: String,
    /// The SNI 2007 section.
    #[schema(value_type = vocab::Industry)]
    pub industry: Industry,
    pub municipality: String,
    pub address: Option<String>,
    /// The partner organisation that owns the relation.
    pub owner_organisation_id: i64,
    pub owner_name: String,
    pub active: bool,
    #[schema(format = Date)]
    pub inactive_since: Option<String>,
}

impl From<&Employer> for EmployerDto {
    fn from(e: &Employer) -> Self {
        Self {
            id: e.id,
            name: e.name.clone(),
            org_number: e.org_number.clone(),
            industry: e.industry,
            municipality: e.municipality.clone(),
            address: e.address.clone(),
            owner_organisation_id: e.owner_organisation_id,
            owner_name: e.owner_name.clone(),
            active: e.is_active(),
            inactive_since: e.inactive_since.map(|d| d.to_string()),
        }
    }
}

/// A contact person at an employer (business contact data).
#[derive(Serialize, ToSchema)]
#[schema(as = EmployerContact)]
pub struct ContactPersonDto {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&ContactPerson> for ContactPersonDto {
    fn from(p: &ContactPerson) -> Self {
        Self {
            id: p.id,
            name: p.name.clone(),
            title: p.title.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
        }
    }
}

/// One contact with an employer.
#[derive(Serialize, ToSchema)]
#[schema(as = EmployerContactLogEntry)]
pub struct ContactEntryDto {
    pub id: i64,
    #[schema(value_type = vocab::ContactKind)]
    pub kind: ContactKind,
    #[schema(format = Date)]
    pub on_date: String,
    pub contact_person_id: Option<i64>,
    pub contact_person_name: Option<String>,
    /// What was agreed.
    pub summary: String,
    /// Who recorded it.
    pub recorded_by: Option<String>,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<&ContactEntry> for ContactEntryDto {
    fn from(l: &ContactEntry) -> Self {
        Self {
            id: l.id,
            kind: l.kind,
            on_date: l.on.to_string(),
            contact_person_id: l.contact_person_id,
            contact_person_name: l.contact_person_name.clone(),
            summary: l.summary.clone(),
            recorded_by: l.recorded_by.clone(),
            recorded_at: l.recorded_at.to_string(),
        }
    }
}

/// An employer with its contact people and one page of its contact log
/// (latest first).
#[derive(Serialize, ToSchema)]
#[schema(as = EmployerView)]
pub struct EmployerViewDto {
    pub employer: EmployerDto,
    pub contacts: Vec<ContactPersonDto>,
    pub log: Vec<ContactEntryDto>,
    pub log_page: i64,
    pub log_per_page: i64,
    pub log_total: i64,
    /// Whether the caller may change the employer, its contacts and status.
    pub may_change: bool,
}

/// One page of employers.
#[derive(Serialize, ToSchema)]
pub struct EmployerPage {
    pub items: Vec<EmployerDto>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}
