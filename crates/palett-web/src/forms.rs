//! Request bodies: url-encoded forms (repeated keys allowed) and JSON,
//! each checked for its content type, with clear errors instead of panics.

use crate::caller::Visitor;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use palett_app::admin::{OrganisationInput, UserInput};
use palett_app::projects::ProjectInput;
use palett_domain::model::ParticipantInput;
use palett_domain::palette::InterventionInput;
use palett_domain::FieldErrors;
use serde_json::Value;

/// A url-encoded form as ordered key/value pairs.
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn participant(&self) -> ParticipantInput {
        ParticipantInput {
            given_name: self.get("given_name"),
            family_name: self.get("family_name"),
            identity_kind: self.get("identity_kind"),
            identity_number: self.get("identity_number"),
            birth_date: self.get("birth_date"),
            gender: self.get("gender"),
            country_of_birth: self.get("country_of_birth"),
            arrival_year: self.get("arrival_year"),
            languages: self.get("languages"),
            interpreter_needed: self.get("interpreter_needed"),
            phone: self.get("phone"),
            email: self.get("email"),
            address: self.get("address"),
            education_level: self.get("education_level"),
            labour_status: self.get("labour_status"),
            income_source: self.get("income_source"),
            months_on_support: self.get("months_on_support"),
            swedish_level: self.get("swedish_level"),
            referral_source: self.get("referral_source"),
            responsible_organisation_id: self.get("responsible_organisation_id"),
            caseworker_ids: self.all("caseworker_ids"),
            project_ids: self.all("project_ids"),
            referred_on: self.get("referred_on"),
            intake_date: self.get("intake_date"),
            sharing_organisation_ids: self.all("sharing_organisation_ids"),
            consent_method: self.get("consent_method"),
            health_notes: self.get("health_notes"),
            support_needs: self.get("support_needs"),
            protected_identity: self.get("protected_identity"),
        }
    }

    pub fn intervention(&self) -> InterventionInput {
        InterventionInput {
            name: self.get("name"),
            kind: self.get("kind"),
            provider_organisation_id: self.get("provider_organisation_id"),
            description: self.get("description"),
            place: self.get("place"),
            languages: self.get("languages"),
            capacity: self.get("capacity"),
            group_based: self.get("group_based"),
            project_id: self.get("project_id"),
            start_date: self.get("start_date"),
            end_date: self.get("end_date"),
        }
    }

    pub fn project(&self) -> ProjectInput {
        ProjectInput {
            name: self.get("name"),
            funder: self.get("funder"),
            start_date: self.get("start_date"),
            end_date: self.get("end_date"),
            participant_target: self.get("participant_target"),
            job_or_studies_target: self.get("job_or_studies_target"),
        }
    }

    pub fn user(&self) -> UserInput {
        UserInput {
            email: self.get("email"),
            display_name: self.get("display_name"),
            password: self.get("password"),
            organisation_id: self.get("organisation_id"),
            roles: self.all("roles"),
        }
    }

    pub fn organisation(&self) -> OrganisationInput {
        OrganisationInput {
            name: self.get("name"),
            kind: self.get("kind"),
            org_number: self.get("org_number"),
            joined_on: self.get("joined_on"),
            left_on: self.get("left_on"),
            responsibility_areas: self.get("responsibility_areas"),
        }
    }
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;

    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let tr = req
            .extensions()
            .get::<Visitor>()
            .map(|v| v.tr())
            .unwrap_or(crate::i18n::Tr::new(crate::i18n::Lang::Sv));
        if !content_type(&req).starts_with("application/x-www-form-urlencoded") {
            return Err(crate::pages::error_page(
                tr,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "error-content-type",
            ));
        }
        let bytes = Bytes::from_request(req, s).await.map_err(|_| {
            crate::pages::error_page(tr, StatusCode::PAYLOAD_TOO_LARGE, "error-too-large")
        })?;
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .map(FormData)
            .map_err(|_| crate::pages::error_page(tr, StatusCode::BAD_REQUEST, "error-bad-form"))
    }
}

/// A JSON object body.
#[derive(Clone, Debug)]
pub struct JsonObject(pub serde_json::Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = Response;

    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let tr = req
            .extensions()
            .get::<Visitor>()
            .map(|v| v.tr())
            .unwrap_or(crate::i18n::Tr::new(crate::i18n::Lang::Sv));
        let ct = content_type(&req);
        if !(ct.starts_with("application/json") || ct.contains("+json")) {
            return Err(ApiError::new(
                tr,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "error-content-type",
            )
            .into_response());
        }
        let bytes = Bytes::from_request(req, s).await.map_err(|_| {
            ApiError::new(tr, StatusCode::PAYLOAD_TOO_LARGE, "error-too-large").into_response()
        })?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(JsonObject(m)),
            Ok(_) => Err(
                ApiError::field(tr, StatusCode::BAD_REQUEST, "body", "error-json-object")
                    .into_response(),
            ),
            Err(e) => {
                Err(
                    ApiError::field(tr, StatusCode::BAD_REQUEST, "body", "error-json-syntax")
                        .with_detail(format!("line {}, column {}", e.line(), e.column()))
                        .into_response(),
                )
            }
        }
    }
}

impl JsonObject {
    /// Known fields only; each value must be a string, number, boolean or
    /// null (lists where `lists` names them). Unknown fields are refused so
    /// that a typo does not silently lose data.
    pub fn to_form(&self, known: &[&str], lists: &[&str]) -> Result<FormData, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            if !known.contains(&k.as_str()) && !lists.contains(&k.as_str()) {
                e.push(k.clone(), "error-unknown-field");
                continue;
            }
            if lists.contains(&k.as_str()) {
                match v {
                    Value::Array(items) => {
                        for item in items {
                            match scalar(item) {
                                Some(s) => out.push((k.clone(), s)),
                                None => e.push(k.clone(), "error-type"),
                            }
                        }
                    }
                    Value::Null => {}
                    _ => e.push(k.clone(), "error-type-list"),
                }
            } else {
                match scalar(v) {
                    Some(s) => out.push((k.clone(), s)),
                    None => e.push(k.clone(), "error-type"),
                }
            }
        }
        e.into_result().map(|_| FormData(out))
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}
