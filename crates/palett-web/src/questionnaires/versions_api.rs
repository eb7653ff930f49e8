//! A version of an instrument in the API beyond its definition: as its
//! XLSForm workbook, and a draft published, from then on unchanged, or
//! discarded (confirmed in the body, as the page asks first).

use super::api::{version, VersionDto};
use super::instruments::number;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::{AppState, Id, Segment};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;

/// Publish a draft: from then on it never changes (those who design
/// instruments; audited)
///
/// A version already published is refused on `version` (422).
#[utoipa::path(post, path = "/instruments/{id}/versions/{version}/publish", tag = "questionnaires",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = VersionDto)))]
pub async fn publish_version(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    v: Segment,
) -> Answer<Json<VersionDto>> {
    s.app.publish_instrument(&c.ctx(), id, number(&v)?).await?;
    version(State(s), c, Id(id), v).await
}

json_body!(
    /// `confirm`: `true`, to say that the draft is to be removed (it
    /// cannot be undone).
    DiscardBody = &[("confirm", T::Boolean)]
);

/// Discard a draft (those who design instruments; audited)
///
/// Irreversible; the body must confirm it (`{"confirm": true}`), else 422
/// on `confirm`. A version published is never discarded: 422 on `version`.
#[utoipa::path(post, path = "/instruments/{id}/versions/{version}/discard", tag = "questionnaires",
    params(("id" = i64, Path), ("version" = i64, Path)), request_body = DiscardBody,
    responses((status = 204)))]
pub async fn discard_version(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    v: Segment,
    body: JsonObject,
) -> Answer {
    let n = number(&v)?;
    let f = body.to_form(&DiscardBody::spec())?;
    // Who may not is told so, and an unknown draft is not found, before
    // anything about the body.
    if !c.signed.actor.can_design_instruments() {
        return Err(palett_app::AppError::Forbidden.into());
    }
    s.app.instrument_version(&c.ctx(), id, n).await?;
    if f.get("confirm") != "true" {
        return Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirm",
            "error-confirm-required",
        ));
    }
    s.app.discard_instrument_draft(&c.ctx(), id, n).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// One version as an XLSForm workbook, the page's download
#[utoipa::path(get, path = "/instruments/{id}/versions/{version}/xlsform", tag = "questionnaires",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, description = "The XLSForm (`Content-Disposition: attachment`).",
        content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("Content-Disposition" = String,
            description = "`attachment; filename=\"<form>-v<version>.xlsx\"`")))))]
pub async fn xlsform(s: State<AppState>, c: Caller, id: Id, v: Segment) -> Answer {
    super::instruments::download(s, c, id, v).await
}
