//! One error policy. A handler returns `Result<_, WebError>` and uses `?`:
//! every [`AppError`] becomes a [`WebError`]. The error is rendered once,
//! for the caller, by `ui::failures::render` (an HTML page in her language,
//! or under /api/ a JSON body `{"error": {"code", "message", "fields"}}`).
//! Internal errors are logged once, with no personal data, and never shown.

use crate::i18n::Tr;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use palett_app::AppError;
use palett_domain::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

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
        AppError::Busy => (StatusCode::CONFLICT, "error-busy"),
        AppError::Internal(_) => {
            // Logged here, once, inside the request span (which carries the
            // request id); the chain holds no request data.
            tracing::error!(error = %e.chain(), "internal error");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    }
}

/// A failed request: its status, stable code (a message id), the fields at
/// fault and, when throttled, how long to wait. It holds no language: it is
/// rendered for the caller after the handler returns.
#[derive(Clone, Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub code: &'static str,
    pub fields: FieldErrors,
    pub detail: Option<String>,
    pub retry_after_secs: Option<i64>,
}

/// What an HTML or API handler returns.
pub type Answer<T = Response> = Result<T, WebError>;

impl WebError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            fields: FieldErrors::new(),
            detail: None,
            retry_after_secs: None,
        }
    }

    /// Unknown, or not the caller's to see: the two look alike.
    pub fn not_found() -> Self {
        AppError::NotFound.into()
    }

    /// One field at fault.
    pub fn field(status: StatusCode, field: &str, code: &'static str) -> Self {
        Self {
            fields: FieldErrors::single(field, code),
            ..Self::new(status, "error-invalid")
        }
    }

    pub fn with_detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    /// The JSON body of the API, in the caller's language.
    pub fn json(self, tr: Tr) -> Response {
        let fields = self
            .fields
            .0
            .iter()
            .map(|f| FieldErrorBody {
                field: f.field.clone(),
                code: f.code.to_string(),
                message: tr.field_message(f),
                existing_id: f.existing_id,
            })
            .collect();
        let mut message = tr.get(self.code);
        if let Some(d) = &self.detail {
            message = format!("{message} ({d})");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.trim_start_matches("error-").to_string(),
                message,
                fields,
            },
        };
        with_retry_after(
            (self.status, axum::Json(body)).into_response(),
            self.retry_after_secs,
        )
    }
}

/// The API's error body: `{"error": {"code", "message", "fields"}}`.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: the message id without its `error-` prefix (`invalid`,
    /// `not-found`, `unauthenticated`, `forbidden`, `stale`,
    /// `content-type`, `too-large`, …).
    pub code: String,
    /// In the caller's language (Accept-Language; Swedish by default).
    pub message: String,
    /// One entry per field at fault (empty when no field is).
    pub fields: Vec<FieldErrorBody>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorBody {
    /// The field (a body field, a query parameter, `body`, or a row's
    /// field such as `goals[1].text`).
    pub field: String,
    /// A message id of locales/*/main.ftl: `error-required`,
    /// `error-json-integer` (a value of the wrong JSON type),
    /// `error-unknown-field`, `error-page`, `error-consent-duplicate`, …
    pub code: String,
    pub message: String,
    /// The existing record the error points to, e.g. the consent in force
    /// that a new one would duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let (status, code) = status_of(&e);
        let retry_after_secs = match e {
            AppError::Throttled { retry_after_secs } => Some(retry_after_secs),
            _ => None,
        };
        Self {
            fields: match e {
                AppError::Invalid(f) => f,
                _ => FieldErrors::new(),
            },
            retry_after_secs,
            ..Self::new(status, code)
        }
    }
}

impl From<FieldErrors> for WebError {
    fn from(f: FieldErrors) -> Self {
        AppError::Invalid(f).into()
    }
}

/// The answer is a placeholder carrying the error; the renderer replaces it.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, self.status.canonical_reason().unwrap_or("")).into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

/// The `Retry-After` header on a throttled answer.
pub fn with_retry_after(mut resp: Response, retry_after_secs: Option<i64>) -> Response {
    if let Some(secs) = retry_after_secs {
        if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    resp
}

/// An API error rendered on the spot, where the language is already known
/// and no renderer runs (the caller resolution itself).
#[derive(Debug)]
pub struct ApiError {
    pub error: WebError,
    pub tr: Tr,
}

impl ApiError {
    pub fn new(tr: Tr, status: StatusCode, code: &'static str) -> Self {
        Self {
            error: WebError::new(status, code),
            tr,
        }
    }

    pub fn app(tr: Tr, e: AppError) -> Self {
        Self {
            error: e.into(),
            tr,
        }
    }

    pub fn field(tr: Tr, status: StatusCode, field: &str, code: &'static str) -> Self {
        Self {
            error: WebError::field(status, field, code),
            tr,
        }
    }

    pub fn with_detail(mut self, d: impl Into<String>) -> Self {
        self.error = self.error.with_detail(d);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.error.json(self.tr)
    }
}

/// Splits a use case's result for a form handler: invalid input is the
/// form's to show again (with the values and a message per field); any
/// other error is the request's answer.
pub trait Invalid<T> {
    fn or_invalid(self) -> Answer<Result<T, FieldErrors>>;
}

impl<T> Invalid<T> for Result<T, AppError> {
    fn or_invalid(self) -> Answer<Result<T, FieldErrors>> {
        match self {
            Ok(v) => Ok(Ok(v)),
            Err(AppError::Invalid(f)) => Ok(Err(f)),
            Err(e) => Err(e.into()),
        }
    }
}

/// A form's submission run through its use case: input the domain cannot
/// parse and input the use case finds invalid both come back as field
/// errors for the form to show again; any other error is the answer.
pub async fn submit<C, T>(
    parsed: Result<C, FieldErrors>,
    run: impl AsyncFnOnce(C) -> Result<T, AppError>,
) -> Answer<Result<T, FieldErrors>> {
    match parsed {
        Ok(cmd) => run(cmd).await.or_invalid(),
        Err(e) => Ok(Err(e)),
    }
}
