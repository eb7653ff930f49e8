//! Instruments' versions in the API beyond their definitions: an XLSForm
//! uploaded as a new instrument or draft (every problem named
//! `<sheet>/<row>/<column>`), a version as its XLSForm workbook, and a
//! draft published, from then on unchanged, or discarded (confirmed in the
//! body, as the page asks first).

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
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use palett_app::AppError;
use palett_domain::xlsform::{self, XlsError};
use palett_domain::{FieldError, FieldErrors};
use serde::Serialize;
use utoipa::ToSchema;

json_body!(
    /// An XLSForm workbook (`.xlsx`): `file_name` and `content_base64`, its
    /// bytes in base64 (standard alphabet).
    XlsFormBody = &[("file_name", T::Text), ("content_base64", T::Text)]
);

/// An XLSForm read and kept as a draft.
#[derive(Serialize, ToSchema)]
pub struct UploadedDto {
    pub instrument_id: i64,
    pub version: i64,
    /// It replaced a draft not yet published (rather than adding a version).
    pub replaced_draft: bool,
}

/// Each problem of a workbook as a field error named
/// `<sheet>/<row>/<column>` (without the parts it is not about), its
/// value in the message.
fn problems(list: Vec<XlsError>) -> WebError {
    AppError::Invalid(FieldErrors(
        list.into_iter()
            .map(|p| {
                let row = (p.row > 0).then(|| p.row.to_string());
                let column = Some(p.column).filter(|c| !c.is_empty());
                let field = [Some(p.sheet), row, column]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("/");
                FieldError {
                    field,
                    code: p.code,
                    args: vec![("value", p.value)],
                    existing_id: None,
                }
            })
            .collect(),
    ))
    .into()
}

/// Upload an XLSForm: a new instrument, or a new draft of the one it names
/// (those who design instruments; audited)
///
/// A draft not yet published is replaced. A workbook that does not hold is
/// refused (422) with every problem named `<sheet>/<row>/<column>`, as the
/// upload page lists them; an unreadable one on `content_base64`.
#[utoipa::path(post, path = "/instruments", tag = "questionnaires", request_body = XlsFormBody,
    responses((status = 201, body = UploadedDto)))]
pub async fn upload(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&XlsFormBody::spec())?;
    if !c.signed.actor.can_design_instruments() {
        return Err(AppError::Forbidden.into());
    }
    let unreadable =
        |code| WebError::field(StatusCode::UNPROCESSABLE_ENTITY, "content_base64", code);
    let bytes = match B64.decode(f.get("content_base64").trim()) {
        Ok(b) if !b.is_empty() => b,
        Ok(_) => return Err(unreadable("questionnaire-file-missing")),
        Err(_) => return Err(unreadable("questionnaire-file-unreadable")),
    };
    let sheets = crate::document::xlsform::read(&bytes)
        .map_err(|_| unreadable("questionnaire-file-unreadable"))?;
    let instrument = xlsform::read(&sheets).map_err(problems)?;
    let done = s.app.upload_instrument(&c.ctx(), &instrument).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!(
                "/api/v1/instruments/{}/versions/{}",
                done.instrument_id, done.version
            ),
        )],
        Json(UploadedDto {
            instrument_id: done.instrument_id,
            version: done.version,
            replaced_draft: done.replaced_draft,
        }),
    )
        .into_response())
}

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
