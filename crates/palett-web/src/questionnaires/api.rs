//! Questionnaires in the JSON API: the instruments, a version's definition,
//! an instrument's results, the caller's questionnaires due, her
//! questionnaires (due and answered), and recording her answers.

use super::dto::{DueItemDto, DuePage, ResultsDto};
use super::instruments::number;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{JsonObject, JsonType};
use crate::http::{AppState, Created, Id, Segment};
use crate::participants::api::page_query;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use palett_app::questionnaire_results::By;
use palett_app::questionnaires::ResponseMetaInput;
use palett_domain::FieldErrors;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// An instrument and where its versions stand.
#[derive(Serialize, ToSchema)]
pub struct InstrumentDto {
    pub id: i64,
    /// Its XLSForm `form_id`.
    pub name: String,
    pub title: String,
    /// The built-in self-assessment.
    pub builtin: bool,
    /// The newest published version's number.
    pub published: Option<i64>,
    /// The draft's number, if one waits.
    pub draft: Option<i64>,
    pub responses: i64,
}

/// A version with its definition (sections, items, scores, labels per
/// language).
#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub version: i64,
    pub title: String,
    pub published: bool,
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

/// A wave fallen due and not answered.
#[derive(Serialize, ToSchema)]
pub struct DueDto {
    pub instrument_id: i64,
    pub title: String,
    /// `intake`, `month_3`, `exit`, `follow_up_6`…
    pub wave: String,
    #[schema(format = Date)]
    pub due: String,
    /// Within the 60 days a wave stays open.
    pub open: bool,
}

/// A score of a response.
#[derive(Serialize, ToSchema)]
pub struct ScoreDto {
    pub label: String,
    pub value: Option<f64>,
}

/// A questionnaire she answered.
#[derive(Serialize, ToSchema)]
pub struct AnsweredDto {
    pub id: i64,
    pub instrument_id: i64,
    pub title: String,
    pub version: i64,
    /// Empty outside the waves.
    pub wave: String,
    #[schema(format = Date)]
    pub on: String,
    pub language: String,
    /// `herself`, `with_staff` or `paper`.
    pub mode: String,
    pub scores: Vec<ScoreDto>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnairesDto {
    pub due: Vec<DueDto>,
    pub answered: Vec<AnsweredDto>,
}

/// The partnership's instruments
#[utoipa::path(get, path = "/instruments", tag = "questionnaires",
    responses((status = 200, body = Vec<InstrumentDto>)))]
pub async fn instruments(State(s): State<AppState>, c: Caller) -> Answer<Json<Vec<InstrumentDto>>> {
    Ok(Json(
        s.app
            .instruments(&c.ctx())
            .await?
            .into_iter()
            .map(|i| InstrumentDto {
                id: i.id,
                name: i.name,
                title: i.title,
                builtin: i.builtin,
                published: i.published,
                draft: i.draft,
                responses: i.responses,
            })
            .collect(),
    ))
}

/// One version of an instrument, with its definition
#[utoipa::path(get, path = "/instruments/{id}/versions/{version}", tag = "questionnaires",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = VersionDto)))]
pub async fn version(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    v: Segment,
) -> Answer<Json<VersionDto>> {
    let v = s.app.instrument_version(&c.ctx(), id, number(&v)?).await?;
    Ok(Json(VersionDto {
        version: v.row.version,
        title: v.row.title,
        published: v.row.published_at.is_some(),
        definition: serde_json::to_value(&v.definition)
            .map_err(|_| palett_app::AppError::internal("a definition as JSON"))?,
    }))
}

#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsParams {
    /// A breakdown of the change from intake to exit: `gender`,
    /// `age_group`, `intake_year`, `organisation` or `project`.
    #[param(value_type = Option<String>)]
    by: Option<String>,
}

/// An instrument's results: per wave the response rate, the mean scores
/// and each item's answers, and the change from intake to exit (audited)
///
/// Every count below k is `fewer_than_k`, a mean of fewer than k is
/// `null`, as on the results page. For those who see the partnership's
/// figures; an unknown breakdown is refused on `by`.
#[utoipa::path(get, path = "/instruments/{id}/results", tag = "questionnaires",
    params(("id" = i64, Path), ResultsParams),
    responses((status = 200, body = ResultsDto)))]
pub async fn results(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<ResultsParams>,
) -> Answer<Json<ResultsDto>> {
    let by = match q.by.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(b) => Some(
            By::parse(b)
                .ok_or_else(|| WebError::field(StatusCode::BAD_REQUEST, "by", "error-choice"))?,
        ),
    };
    let r = s.app.questionnaire_results(&c.ctx(), id, by).await?;
    Ok(Json(ResultsDto::from(r)))
}

#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueParams {
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// The questionnaires due for the women the caller sees, and not
/// answered: by her name, then by due day, as the page lists them (audited)
#[utoipa::path(get, path = "/questionnaires/due", tag = "questionnaires", params(DueParams),
    responses((status = 200, body = DuePage)))]
pub async fn due(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DueParams>,
) -> Answer<Json<DuePage>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let list = s.app.questionnaires_due(&c.ctx()).await?;
    Ok(Json(DuePage {
        items: list
            .iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit()).unwrap_or(0))
            .map(DueItemDto::from)
            .collect(),
        total: list.len() as i64,
        page: page.number,
        per_page: page.size,
    }))
}

/// Her questionnaires: the waves due and those answered (audited)
#[utoipa::path(get, path = "/participants/{id}/questionnaires", tag = "questionnaires",
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnairesDto)))]
pub async fn of_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
) -> Answer<Json<QuestionnairesDto>> {
    let q = s.app.questionnaires_of(&c.ctx(), pid).await?;
    Ok(Json(QuestionnairesDto {
        due: q
            .due
            .into_iter()
            .map(|d| DueDto {
                instrument_id: d.instrument_id,
                title: d.title,
                wave: d.wave.as_string(),
                due: d.due.to_string(),
                open: d.open,
            })
            .collect(),
        answered: q
            .answered
            .into_iter()
            .map(|a| AnsweredDto {
                id: a.response.id,
                instrument_id: a.response.instrument_id,
                title: a.title,
                version: a.version,
                wave: a.response.wave.unwrap_or_default(),
                on: a.response.on.to_string(),
                language: a.response.language,
                mode: a.response.mode,
                scores: a
                    .scores
                    .into_iter()
                    .map(|(label, value)| ScoreDto { label, value })
                    .collect(),
            })
            .collect(),
    }))
}

/// A response as sent: the wave (empty outside the waves), the day, the
/// language it was shown in, how it was filled, and the answers by item
/// name (a choice's value, a list of values for a multiple choice, a
/// number, a date, a text).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ResponseBody {
    wave: Option<String>,
    #[schema(format = Date)]
    on: String,
    language: String,
    /// `with_staff` or `paper`.
    mode: String,
    #[schema(value_type = Object)]
    answers: serde_json::Value,
}

/// Record her answers to the latest published version (audited)
///
/// Answers to items that skip logic hides are dropped; an item name the
/// version does not have is refused by name (`answers.<name>`).
#[utoipa::path(post, path = "/participants/{id}/questionnaires/{instrument}", tag = "questionnaires",
    params(("id" = i64, Path), ("instrument" = i64, Path)), request_body = ResponseBody,
    responses((status = 201, body = Created)))]
pub async fn record(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    instrument: Segment,
    body: JsonObject,
) -> Answer<(StatusCode, Json<Created>)> {
    let id = number(&instrument)?;
    let (version, _) = s.app.questionnaire_to_fill(&c.ctx(), pid, id).await?;
    let mut e = FieldErrors::new();
    let mut text = |k: &str| match JsonType::Text.scalar(body.0.get(k)) {
        Ok(v) => v,
        Err(code) => {
            e.push(k, code);
            String::new()
        }
    };
    let meta = ResponseMetaInput {
        wave: text("wave"),
        on: text("on"),
        language: text("language"),
        mode: text("mode"),
    };
    for k in body.0.keys() {
        if !["wave", "on", "language", "mode", "answers"].contains(&k.as_str()) {
            e.push(k.clone(), "error-unknown-field");
        }
    }
    let mut raw: HashMap<String, Vec<String>> = HashMap::new();
    match body.0.get("answers") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Object(answers)) => {
            for (name, value) in answers {
                let field = format!("answers.{name}");
                if version.definition.item(name).is_none() {
                    e.push(field, "error-unknown-field");
                    continue;
                }
                let values = match value {
                    serde_json::Value::Array(list) => list
                        .iter()
                        .map(|v| JsonType::Text.scalar(Some(v)))
                        .collect::<Result<Vec<_>, _>>(),
                    serde_json::Value::Number(n) => Ok(vec![n.to_string()]),
                    other => JsonType::Text.scalar(Some(other)).map(|v| vec![v]),
                };
                match values {
                    Ok(v) => {
                        raw.insert(name.clone(), v);
                    }
                    Err(code) => e.push(field, code),
                }
            }
        }
        Some(_) => e.push("answers", "error-json-object"),
    }
    if !e.is_empty() {
        return Err(WebError::from(e));
    }
    let lookup = |name: &str| raw.get(name).cloned().unwrap_or_default();
    let id = s
        .app
        .record_questionnaire(&c.ctx(), pid, id, &meta, &lookup)
        .await
        .map_err(|err| match err {
            // An item's error names it as the body does.
            palett_app::AppError::Invalid(mut fe) => {
                for f in &mut fe.0 {
                    if version.definition.item(&f.field).is_some() {
                        f.field = format!("answers.{}", f.field);
                    }
                }
                WebError::from(palett_app::AppError::Invalid(fe))
            }
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
