//! One error policy: every failure becomes either an HTML page or a JSON
//! body `{"error": {"code", "message", "fields": [...]}}` with a 4xx/5xx
//! status. Internal errors are logged once, with no personal data, and never
//! shown.

use crate::i18n::Tr;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use palett_app::AppError;
use palett_domain::FieldErrors;
use serde_json::json;

/// The status and message id of an application error.
pub fn status_of(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid"),
        AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-unauthenticated"),
        AppError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "error-throttled"),
        AppError::SecondFactorNeeded => (StatusCode::UNAUTHORIZED, "error-second-factor-sign-in"),
        AppError::Stale => (StatusCode::CONFLICT, "error-stale"),
        AppError::Internal(_) => {
            // Logged here, once, inside the request span (which carries the
            // request id); the chain holds no request data.
            tracing::error!(error = %e.chain(), "internal error");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    }
}

/// An API error: status, stable code (the message id) and field errors.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: FieldErrors,
    pub detail: Option<String>,
    pub tr: Tr,
}

impl ApiError {
    pub fn new(tr: Tr, status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            fields: FieldErrors::new(),
            detail: None,
            tr,
        }
    }

    pub fn app(tr: Tr, e: AppError) -> Self {
        let (status, code) = status_of(&e);
        let fields = match e {
            AppError::Invalid(f) => f,
            _ => FieldErrors::new(),
        };
        Self {
            status,
            code,
            fields,
            detail: None,
            tr,
        }
    }

    pub fn field(tr: Tr, status: StatusCode, field: &str, code: &'static str) -> Self {
        Self {
            status,
            code: "error-invalid",
            fields: FieldErrors::single(field, code),
            detail: None,
            tr,
        }
    }

    pub fn with_detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields: Vec<_> = self
            .fields
            .0
            .iter()
            .map(|f| {
                let mut j = json!({"field": f.field, "code": f.code, "message": crate::views::field_message(self.tr, f)});
                if let Some(id) = f.existing_id {
                    j["existing_id"] = json!(id);
                }
                j
            })
            .collect();
        let mut message = self.tr.get(self.code);
        if let Some(d) = &self.detail {
            message = format!("{message} ({d})");
        }
        let body = json!({"error": {"code": self.code.trim_start_matches("error-"), "message": message, "fields": fields}});
        (self.status, axum::Json(body)).into_response()
    }
}
