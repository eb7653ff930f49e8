//! The consents API's response bodies.

use crate::http::openapi::vocab;
use crate::http::Named;
use palett_domain::consent::{Consent, ConsentKind, ConsentMethod};
use serde::Serialize;
use utoipa::ToSchema;

/// What she consented to and how: the fields a consent and its line in
/// her subject access export share.
#[derive(Serialize, ToSchema)]
#[schema(as = ConsentTerms)]
pub struct ConsentTerms {
    #[schema(value_type = vocab::ConsentKind)]
    pub kind: ConsentKind,
    #[schema(value_type = vocab::ConsentMethod)]
    pub method: ConsentMethod,
    pub witness: Option<String>,
    #[schema(format = Date)]
    pub given_on: String,
    #[schema(format = Date)]
    pub expires_on: Option<String>,
}

impl From<&Consent> for ConsentTerms {
    fn from(k: &Consent) -> Self {
        Self {
            kind: k.kind,
            method: k.method,
            witness: k.witness.clone(),
            given_on: k.given_on.to_string(),
            expires_on: k.expires_on.map(|d| d.to_string()),
        }
    }
}

/// A consent she gave.
#[derive(Serialize, ToSchema)]
#[schema(as = Consent)]
pub struct ConsentDto {
    pub id: i64,
    #[serde(flatten)]
    pub terms: ConsentTerms,
    pub note: Option<String>,
    /// For sharing: the organisations it covers.
    pub organisations: Vec<Named>,
    pub recorded_by: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    #[schema(format = DateTime)]
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    /// She withdrew it herself, in her portal.
    pub withdrawn_by_her: bool,
    /// Given, not withdrawn, not expired today.
    pub in_force: bool,
}

impl ConsentDto {
    pub fn new(k: &Consent, in_force: bool) -> Self {
        Self {
            id: k.id,
            terms: k.into(),
            note: k.note.clone(),
            organisations: k
                .organisations
                .iter()
                .map(|(id, name)| Named::new(*id, name))
                .collect(),
            recorded_by: k.recorded_by.clone(),
            recorded_at: k.recorded_at.to_string(),
            withdrawn_at: k.withdrawn_at.map(|t| t.to_string()),
            withdrawn_by: k.withdrawn_by.clone(),
            withdrawn_by_her: k.withdrawn_by_her,
            in_force,
        }
    }
}

/// Her consents, newest first.
#[derive(Serialize, ToSchema)]
pub struct ConsentList {
    pub items: Vec<ConsentDto>,
}

/// A note on her record.
#[derive(Serialize, ToSchema)]
#[schema(as = Note)]
pub struct NoteDto {
    pub id: i64,
    pub author: String,
    /// The author's organisation.
    pub organisation: String,
    /// `organisation` (her organisation's staff) or `shared`.
    pub visibility: String,
    pub body: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// The notes the caller may read.
#[derive(Serialize, ToSchema)]
pub struct NoteList {
    pub items: Vec<NoteDto>,
}

/// Whether processing of her record is restricted now.
#[derive(Serialize, ToSchema)]
#[schema(as = Restriction)]
pub struct RestrictionDto {
    pub participant_id: i64,
    pub processing_restricted: bool,
}

/// Whether her record is kept past the retention policy (an archive hold).
#[derive(Serialize, ToSchema)]
#[schema(as = ArchiveHold)]
pub struct ArchiveHoldDto {
    pub participant_id: i64,
    pub archive_hold: bool,
}
