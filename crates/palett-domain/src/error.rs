//! Validation errors that name the field and carry a stable message id.
//!
//! The message id is translated at the edge (HTML and JSON); the domain never
//! produces user-facing text itself.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the form and the JSON body spell it.
    pub field: String,
    /// A Fluent message id, e.g. `error-required`.
    pub code: &'static str,
    /// Values of the message's Fluent variables, e.g. `("date", "2026-11-20")`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(&'static str, String)>,
    /// The id of the existing record the error points to, e.g. the consent
    /// already in force that a new one would duplicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self {
            field: field.into(),
            code,
            args: Vec::new(),
            existing_id: None,
        }
    }

    pub fn with_arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn with_existing(mut self, id: i64) -> Self {
        self.existing_id = Some(id);
        self
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

/// What a submission parsed into: the command, or the problems per field.
/// A use case that refuses callers by their role alone takes this rather
/// than the command, so that it refuses them before it says anything about
/// their input.
pub type Parsed<C> = Result<C, FieldErrors>;

/// All problems found in one submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}={}", e.field, e.code)).collect::<Vec<_>>().join(", "))]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn single(field: impl Into<String>, code: &'static str) -> Self {
        Self(vec![FieldError::new(field, code)])
    }

    pub fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Record the error of a parse result, keeping the value when it parsed.
    pub fn take<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(code) => {
                self.push(field, code);
                None
            }
        }
    }

    /// Record every error of a parse that names its own fields, keeping
    /// the value when it parsed.
    pub fn take_all<T>(&mut self, result: Result<T, FieldErrors>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.0);
                None
            }
        }
    }

    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// For tests: the (field, code) pairs of a refused parse.
#[cfg(test)]
#[track_caller]
pub(crate) fn codes<T: std::fmt::Debug>(r: Result<T, FieldErrors>) -> Vec<(String, &'static str)> {
    let e = r.expect_err("the input is refused");
    e.0.into_iter().map(|f| (f.field, f.code)).collect()
}
