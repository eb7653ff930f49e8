//! The research export of a questionnaire's answers in the API: the same
//! files as its page (wide and long CSV, the codebook, a Stata dataset),
//! from the same use case.

use super::results::{answers_file, titles, FORMATS};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use palett_domain::research::ExportRequestInput;

json_body!(
    /// The `instrument` (its id), the export `key` (pseudonyms are made
    /// from it and a server-held secret), `k` (default 5, at least 5) and
    /// the `format`: `wide` or `long` (CSV), `codebook` (CSV) or `stata`.
    AnswersBody = &[
        ("instrument", T::Integer),
        ("key", T::Text),
        ("k", T::Integer),
        ("format", T::Text),
    ]
);

/// Pseudonymised export of a questionnaire's answers (evaluators only;
/// audited)
///
/// Research-consented participants only, their quasi-identifiers under
/// k-anonymity, no answers in her own words; the page's files.
#[utoipa::path(post, path = "/exports/research/answers", tag = "data protection",
    request_body = AnswersBody,
    responses((status = 200, description = "The file (`Content-Disposition: attachment`).",
        content(("text/csv"), ("application/x-stata-dta")),
        headers(("Content-Disposition" = String,
            description = "`attachment; filename=\"palett-<form>….csv|dta\"`")))))]
pub async fn research_answers(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&AnswersBody::spec())?;
    let bad = |field| WebError::field(StatusCode::UNPROCESSABLE_ENTITY, field, "error-choice");
    let instruments = titles(&s, &c).await?;
    let id = f
        .get("instrument")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| instruments.iter().any(|(i, _)| i == id))
        .ok_or_else(|| bad("instrument"))?;
    let format = f.get("format");
    let (format, _) = FORMATS
        .iter()
        .find(|(v, _)| *v == format)
        .ok_or_else(|| bad("format"))?;
    let mut request = f.input::<ExportRequestInput>();
    if request.k.is_empty() {
        request.k = "5".into();
    }
    let x = s
        .app
        .research_answers(&c.ctx(), id, request.parse())
        .await?;
    Ok(answers_file(&x, format))
}
