//! The import API: preview, commit, an import's result and undo, the file
//! sent as base64 in a JSON body. A refusal names each row and column in its fields
//! (`rows/7/birth_date`).

use super::labels;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::JsonObject;
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use palett_app::AppError;
use palett_domain::import::ImportKind;
use palett_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A spreadsheet to import (CSV or XLSX).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFileDto {
    /// The file's name, kept with the import.
    pub file_name: String,
    /// The file's bytes, base64 (standard alphabet).
    pub content_base64: String,
    /// Row numbers (the header is row 1) to leave out; commit only.
    #[serde(default)]
    pub exclude: Vec<usize>,
    /// What the file holds: `participants` (the default), `enrolments`
    /// (enrolments in the palette's interventions and their groups) or
    /// `time` (time spent in interventions, a row a day).
    #[serde(default)]
    pub kind: Option<String>,
}

/// A problem of one row.
#[derive(Serialize, ToSchema)]
pub struct RowErrorDto {
    pub row: usize,
    /// The column's field name (`birth_date`).
    pub column: String,
    pub code: String,
    pub message: String,
}

/// One row of the file as it would be imported.
#[derive(Serialize, ToSchema)]
pub struct PreviewRowDto {
    pub row: usize,
    pub name: String,
    pub errors: Vec<RowErrorDto>,
    /// Someone of this name and birth date is already registered.
    pub possible_duplicate: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ImportPreviewDto {
    pub rows: Vec<PreviewRowDto>,
    pub error_rows: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ImportDoneDto {
    pub import_id: i64,
    /// The participants created, or whose enrolments or time were recorded.
    pub participant_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportUndoneDto {
    pub import_id: i64,
    /// The participants removed, or whose imported enrolments or time were.
    pub participant_ids: Vec<i64>,
}

fn file_of(body: JsonObject) -> Result<(ImportFileDto, Vec<u8>), WebError> {
    let dto: ImportFileDto =
        serde_json::from_value(serde_json::Value::Object(body.0)).map_err(|e| {
            WebError::field(StatusCode::BAD_REQUEST, "body", "error-json-syntax")
                .with_detail(e.to_string())
        })?;
    let bytes = B64.decode(dto.content_base64.trim()).map_err(|_| {
        WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "content_base64",
            "error-import-unreadable",
        )
    })?;
    Ok((dto, bytes))
}

/// The kind a body names (participants when none).
fn kind_of(dto: &ImportFileDto) -> Result<ImportKind, WebError> {
    match dto.kind.as_deref() {
        None => Ok(ImportKind::Participants),
        Some(k) => ImportKind::parse(k).ok_or_else(|| {
            WebError::field(StatusCode::UNPROCESSABLE_ENTITY, "kind", "error-choice")
        }),
    }
}

/// Errors of rows named `rows/<row>/<column>`.
fn by_row(e: AppError) -> WebError {
    match e {
        AppError::Invalid(f) => AppError::Invalid(FieldErrors(
            f.0.into_iter()
                .map(|x| match x.args.iter().find(|(k, _)| *k == "row") {
                    Some((_, row)) => FieldError {
                        field: format!("rows/{row}/{}", x.field),
                        args: Vec::new(),
                        ..x.clone()
                    },
                    None => x,
                })
                .collect(),
        ))
        .into(),
        e => e.into(),
    }
}

/// What importing the file would do, row by row; writes nothing
#[utoipa::path(post, path = "/imports/preview", tag = "imports", request_body = ImportFileDto,
    responses((status = 200, body = ImportPreviewDto), (status = 422, body = crate::http::error::ErrorBody)))]
pub async fn preview(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Answer<Json<ImportPreviewDto>> {
    let t = c.tr();
    let (dto, bytes) = file_of(body)?;
    let kind = kind_of(&dto)?;
    let p = s
        .app
        .preview_import(&c.ctx(), kind, &bytes, &[], &labels())
        .await?;
    Ok(Json(ImportPreviewDto {
        error_rows: p.error_rows(),
        rows: p
            .rows
            .into_iter()
            .map(|r| PreviewRowDto {
                row: r.row,
                name: r.name,
                errors: r
                    .errors
                    .into_iter()
                    .map(|e| RowErrorDto {
                        row: e.row,
                        message: t.get(e.code),
                        code: e.code.trim_start_matches("error-").to_string(),
                        column: e.column,
                    })
                    .collect(),
                possible_duplicate: r.possible_duplicate,
            })
            .collect(),
    }))
}

/// Import every row but those excluded, all or none (refused, naming row
/// and column, while a row left in has an error)
#[utoipa::path(post, path = "/imports", tag = "imports", request_body = ImportFileDto,
    responses((status = 201, body = ImportDoneDto), (status = 422, body = crate::http::error::ErrorBody)))]
pub async fn commit(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Answer<(StatusCode, Json<ImportDoneDto>)> {
    let (dto, bytes) = file_of(body)?;
    let kind = kind_of(&dto)?;
    let done = s
        .app
        .commit_import(
            &c.ctx(),
            kind,
            &dto.file_name,
            &bytes,
            &dto.exclude,
            &labels(),
        )
        .await
        .map_err(by_row)?;
    Ok((
        StatusCode::CREATED,
        Json(ImportDoneDto {
            import_id: done.import_id,
            participant_ids: done.participant_ids,
        }),
    ))
}

/// Remove what an import created, while none of it has changed since
#[utoipa::path(post, path = "/imports/{id}/undo", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, body = ImportUndoneDto), (status = 422, body = crate::http::error::ErrorBody)))]
pub async fn undo(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ImportUndoneDto>> {
    let ids = s.app.import_undo(&c.ctx(), id).await?;
    Ok(Json(ImportUndoneDto {
        import_id: id,
        participant_ids: ids,
    }))
}

/// An import and what it created: the result page's.
#[derive(Serialize, ToSchema)]
pub struct ImportDto {
    pub id: i64,
    /// `participants`, `enrolments` or `time`.
    pub kind: String,
    pub file_name: String,
    pub row_count: i64,
    /// `pending`, `committed` or `undone`.
    pub state: String,
    /// When it was uploaded, committed and undone (RFC 3339).
    pub created_at: String,
    pub committed_at: Option<String>,
    pub undone_at: Option<String>,
    /// The participants created, or whose enrolments or time were recorded.
    pub participant_ids: Vec<i64>,
    /// For enrolments and time: how many enrolments, groups and days of
    /// time (`activity`) it made.
    pub created: std::collections::BTreeMap<String, i64>,
}

fn moment(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|ts| ts.to_string())
        .unwrap_or_default()
}

/// An import and what it created (coordinators and administrators)
#[utoipa::path(get, path = "/imports/{id}", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, body = ImportDto)))]
pub async fn import(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer<Json<ImportDto>> {
    let sum = s.app.import(&c.ctx(), id).await?;
    let r = &sum.record;
    Ok(Json(ImportDto {
        id: r.id,
        kind: sum.kind.as_str().into(),
        file_name: r.file_name.clone(),
        row_count: r.row_count,
        state: r.state.clone(),
        created_at: moment(r.created_at),
        committed_at: r.committed_at.map(moment),
        undone_at: r.undone_at.map(moment),
        participant_ids: sum.participant_ids.clone(),
        created: sum
            .counts
            .iter()
            .map(|(what, n)| (what.as_str().to_string(), *n))
            .collect(),
    }))
}
