//! One instrument in the API as its page shows it (its versions and the
//! projects that schedule it), and a project's schedule of it set or
//! removed, with the page's form's fields.

use super::api::InstrumentDto;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::{AppState, Id};
use axum::extract::State;
use axum::Json;
use palett_app::AppError;
use palett_domain::wave::ScheduleInput;
use palett_domain::FieldErrors;
use serde::Serialize;
use utoipa::ToSchema;

/// A version of an instrument, without its definition
/// (`GET /instruments/{id}/versions/{version}` has it).
#[derive(Serialize, ToSchema)]
pub struct VersionSummaryDto {
    pub version: i64,
    pub title: String,
    /// When it was published (RFC 3339); none: the draft.
    pub published_at: Option<String>,
    /// How many responses were given to it.
    pub responses: i64,
}

/// When a project asks its participants to answer the instrument.
#[derive(Serialize, ToSchema)]
pub struct ScheduleDto {
    pub project_id: i64,
    pub project_name: String,
    pub at_intake: bool,
    /// Every so many months in the programme.
    pub every_months: Option<i64>,
    pub at_exit: bool,
    /// So many months after her exit.
    pub follow_up_months: Option<i64>,
}

/// An instrument with its versions, newest first, and the projects that
/// schedule it.
#[derive(Serialize, ToSchema)]
pub struct InstrumentViewDto {
    pub instrument: InstrumentDto,
    pub versions: Vec<VersionSummaryDto>,
    pub schedules: Vec<ScheduleDto>,
}

fn moment(at: i64) -> Option<String> {
    jiff::Timestamp::from_second(at).ok().map(|t| t.to_string())
}

async fn view(s: &AppState, c: &Caller, id: i64) -> Answer<Json<InstrumentViewDto>> {
    let page = s.app.instrument(&c.ctx(), id).await?;
    let i = page.instrument;
    Ok(Json(InstrumentViewDto {
        instrument: InstrumentDto {
            id: i.id,
            name: i.name,
            title: i.title,
            builtin: i.builtin,
            published: i.published,
            draft: i.draft,
            responses: i.responses,
        },
        versions: page
            .versions
            .iter()
            .map(|v| VersionSummaryDto {
                version: v.row.version,
                title: v.row.title.clone(),
                published_at: v.row.published_at.and_then(moment),
                responses: v.row.responses,
            })
            .collect(),
        schedules: page
            .schedules
            .into_iter()
            .map(|x| ScheduleDto {
                project_id: x.project_id,
                project_name: x.project_name,
                at_intake: x.at_intake,
                every_months: x.every_months,
                at_exit: x.at_exit,
                follow_up_months: x.follow_up_months,
            })
            .collect(),
    }))
}

/// One instrument: its versions and the projects that schedule it
#[utoipa::path(get, path = "/instruments/{id}", tag = "questionnaires",
    responses((status = 200, body = InstrumentViewDto)))]
pub async fn instrument_view(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<InstrumentViewDto>> {
    view(&s, &c, id).await
}

json_body!(
    /// The `project` (its id) and when it asks: `at_intake`, `every_months`
    /// (1–24), `at_exit`, `follow_up_months` (1–36), at least one of them;
    /// or `remove`: `true` to stop asking.
    ScheduleBody = &[
        ("project", T::Integer),
        ("at_intake", T::Boolean),
        ("every_months", T::Integer),
        ("at_exit", T::Boolean),
        ("follow_up_months", T::Integer),
        ("remove", T::Boolean),
    ]
);

/// Set or remove when a project asks its participants to answer the
/// instrument (those who manage projects; audited)
#[utoipa::path(put, path = "/instruments/{id}/schedule", tag = "questionnaires",
    request_body = ScheduleBody, responses((status = 200, body = InstrumentViewDto)))]
pub async fn schedule_instrument(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<InstrumentViewDto>> {
    let f = body.to_form(&ScheduleBody::spec())?;
    let Ok(project) = f.get("project").trim().parse::<i64>() else {
        return Err(AppError::from(FieldErrors::single("project", "error-required")).into());
    };
    let schedule = (f.get("remove") != "true").then(|| f.input::<ScheduleInput>().parse());
    s.app
        .schedule_questionnaire(&c.ctx(), id, project, schedule)
        .await?;
    view(&s, &c, id).await
}
