use super::dto::{
    AttendanceSheetDto, GroupDto, InterventionDto, InterventionViewDto, LedSessionDto, MySessions,
    Palette, ReportsDto, Scheduled, SessionDto,
};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::openapi::vocab;
use crate::http::AppState;
use crate::http::{Created, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::AppError;
use palett_domain::path::{
    AttendanceInput, GroupInput, ScheduleInput, SessionCancelInput, SessionMoveInput,
};
use palett_domain::FieldErrors;
use serde_json::Value;

/// The partnership's palette of interventions
#[utoipa::path(get, path = "/palette", tag = "palette", responses((status = 200, body = Palette)))]
pub async fn palette(State(s): State<AppState>, c: Caller) -> Answer {
    let list = s.app.palette(&c.ctx(), false).await?;
    Ok(Json(Palette {
        items: list.iter().map(InterventionDto::from).collect(),
        total: list.len(),
    })
    .into_response())
}

pub(crate) const INTERVENTION_FIELDS: Spec = &[
    ("name", T::Text),
    ("kind", T::Text),
    ("provider_organisation_id", T::Integer),
    ("description", T::Text),
    ("place", T::Text),
    ("languages", T::TextOrTexts),
    ("capacity", T::Integer),
    ("group_based", T::Boolean),
    ("project_id", T::Integer),
    ("start_date", T::Text),
    ("end_date", T::Text),
    ("course_id", T::Integer),
];

json_body!(
    /// An intervention: `kind` (the values of the `InterventionKind`
    /// schema), its provider, and its funding: `project_id`, or omitted or
    /// null for ordinary operations. With `course_id`, a module of that
    /// course.
    NewIntervention = INTERVENTION_FIELDS
);

/// Add an intervention (coordinators), or a module with course_id
#[utoipa::path(post, path = "/palette", tag = "palette", request_body = NewIntervention,
    responses((status = 201, body = InterventionDto)))]
pub async fn create_intervention(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewIntervention::spec())?;
    let course = match f.get("course_id").trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return Err(WebError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "course_id",
                    "error-choice",
                ))
            }
        },
    };
    let mut input = f.input::<palett_domain::palette::InterventionInput>();
    // Omitted or null funding means ordinary operations in the API.
    if input.project_id.trim().is_empty() {
        input.project_id = palett_domain::palette::ORDINARY_OPERATIONS.into();
    }
    let id = s
        .app
        .create_intervention(&c.ctx(), input.parse(), course)
        .await?;
    let v = s.app.intervention(&c.ctx(), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(InterventionDto::from(&v.intervention)),
    )
        .into_response())
}

/// An intervention with modules, groups, places taken and enrolments
///
/// Within the caller's access; the waiting list in order.
#[utoipa::path(get, path = "/palette/{id}", tag = "palette",
    responses((status = 200, body = InterventionViewDto)))]
pub async fn intervention(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.intervention(&c.ctx(), id).await?;
    Ok(Json(InterventionViewDto::from(&v)).into_response())
}

json_body!(
    /// `confirm`: `true`, to say that the intervention is to be retired
    /// now; anything else is refused.
    Retirement = &[("confirm", T::Boolean)]
);

/// Retire an intervention from the palette (coordinators): no new
/// enrolments or groups; its history stays (audited)
///
/// There is no way back, so the body must confirm it (`{"confirm":
/// true}`), else 422 on `confirm`. Retiring one already retired changes
/// nothing. The answer is the intervention with its `retired_on`.
#[utoipa::path(post, path = "/palette/{id}/retire", tag = "palette", request_body = Retirement,
    params(("id" = i64, Path)), responses((status = 200, body = InterventionDto)))]
pub async fn retire(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&Retirement::spec())?;
    let ctx = c.ctx();
    // Who may not see it is told so (404), who may not retire it too (403),
    // before anything about the body.
    if !s.app.intervention(&ctx, id).await?.may_manage {
        return Err(AppError::Forbidden.into());
    }
    if f.get("confirm") != "true" {
        return Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirm",
            "error-confirm-action",
        ));
    }
    s.app.retire_intervention(&ctx, id).await?;
    let v = s.app.intervention(&ctx, id).await?;
    Ok(Json(InterventionDto::from(&v.intervention)).into_response())
}

json_body!(
    /// The group's `name` and its leader (`leader_user_id`).
    NewGroup = &[("name", T::Text), ("leader_user_id", T::Integer)]
);

/// Create a group of a group-based intervention (coordinators, the provider's staff)
#[utoipa::path(post, path = "/palette/{id}/groups", tag = "palette", request_body = NewGroup,
    responses((status = 201, body = Created)))]
pub async fn create_group(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewGroup::spec())?;
    let g = s
        .app
        .create_group(&c.ctx(), id, &f.input::<GroupInput>().parse()?)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: g })).into_response())
}

/// A group and its sessions
#[utoipa::path(get, path = "/groups/{id}", tag = "sessions", responses((status = 200, body = GroupDto)))]
pub async fn group(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let (g, sessions, _) = s.app.group(&c.ctx(), id).await?;
    Ok(Json(GroupDto {
        id: g.id,
        name: g.name,
        intervention_id: g.intervention_id,
        leader: g.leader_name,
        sessions: sessions.iter().map(SessionDto::from).collect(),
    })
    .into_response())
}

json_body!(
    /// Weekly from `from` to `until` (YYYY-MM-DD), or one session when
    /// `until` is empty; `start_time` (HH:MM), `minutes`, `place`.
    Schedule = &[
        ("from", T::Text),
        ("until", T::Text),
        ("start_time", T::Text),
        ("minutes", T::Integer),
        ("place", T::Text),
    ]
);

/// Schedule sessions: weekly from `from` to `until`, or one when `until` is empty
#[utoipa::path(post, path = "/groups/{id}/sessions", tag = "sessions", request_body = Schedule,
    responses((status = 201, body = Scheduled)))]
pub async fn schedule(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&Schedule::spec())?;
    let cmd = f.input::<ScheduleInput>().parse()?;
    let n = s.app.schedule(&c.ctx(), id, &cmd).await?;
    Ok((StatusCode::CREATED, Json(Scheduled { created: n })).into_response())
}

json_body!(
    /// Why it is cancelled.
    Cancellation = &[("reason", T::Text)]
);

/// Cancel a session (its attendance is removed: not an absence)
///
/// The answer is its attendance sheet.
#[utoipa::path(post, path = "/sessions/{id}/cancel", tag = "sessions", request_body = Cancellation,
    responses((status = 200, body = AttendanceSheetDto)))]
pub async fn cancel_session(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&Cancellation::spec())?;
    let cmd = f.input::<SessionCancelInput>().parse()?;
    s.app.cancel_session(&c.ctx(), id, &cmd).await?;
    attendance(State(s), c, Id(id)).await
}

json_body!(
    /// The new date (`on_date`, YYYY-MM-DD) and `start_time` (HH:MM).
    Move = &[("on_date", T::Text), ("start_time", T::Text)]
);

/// Move a session
///
/// The answer is its attendance sheet.
#[utoipa::path(post, path = "/sessions/{id}/move", tag = "sessions", request_body = Move,
    responses((status = 200, body = AttendanceSheetDto)))]
pub async fn move_session(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&Move::spec())?;
    let cmd = f.input::<SessionMoveInput>().parse()?;
    s.app.move_session(&c.ctx(), id, &cmd).await?;
    attendance(State(s), c, Id(id)).await
}

/// The attendance sheet: the group's participants on the day
#[utoipa::path(get, path = "/sessions/{id}/attendance", tag = "sessions",
    responses((status = 200, body = AttendanceSheetDto)))]
pub async fn attendance(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let sheet = s.app.attendance_sheet(&c.ctx(), id).await?;
    Ok(Json(AttendanceSheetDto::from(&sheet)).into_response())
}

/// The body of `PUT /sessions/{id}/attendance`:
/// `{"attendance": {"<participant id>": "present" | "absent_notice" | "absent", ...}}`,
/// as `record_attendance` reads it.
pub struct AttendanceBody;

impl utoipa::PartialSchema for AttendanceBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
        let statuses = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "A status for every participant on the sheet, by her id.",
            ))
            .additional_properties(Some(
                <vocab::AttendanceStatus as utoipa::PartialSchema>::schema(),
            ));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("attendance", statuses)
            .property(
                "correction_reason",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(
                        "Why the time of a month already attested is changed; \
                         required when a changed mark falls in an attested month.",
                    )),
            )
            .required("attendance")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl utoipa::ToSchema for AttendanceBody {}

/// Record the whole session at once; every participant on the sheet needs a status
#[utoipa::path(put, path = "/sessions/{id}/attendance", tag = "sessions", request_body = AttendanceBody,
    responses((status = 200, body = AttendanceSheetDto)))]
pub async fn record_attendance(
    State(s): State<AppState>,
    c: Caller,
    Id(sid): Id,
    body: JsonObject,
) -> Answer {
    let mut e = FieldErrors::new();
    for k in body
        .0
        .keys()
        .filter(|k| *k != "attendance" && *k != "correction_reason")
    {
        e.push(k.clone(), "error-unknown-field");
    }
    let correction_reason = match body.0.get("correction_reason") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(r)) => r.clone(),
        Some(_) => {
            e.push("correction_reason", "error-json-string");
            String::new()
        }
    };
    let rows: Vec<(String, String)> = match body.0.get("attendance") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| match v.as_str() {
                Some(st) => Some((k.clone(), st.to_string())),
                None => {
                    e.push(format!("attendance.{k}"), "error-json-string");
                    None
                }
            })
            .collect(),
        _ => {
            e.push("attendance", "error-required");
            Vec::new()
        }
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let cmd = AttendanceInput {
        rows,
        correction_reason,
    }
    .parse()?;
    s.app.record_attendance(&c.ctx(), sid, &cmd).await?;
    attendance(State(s), c, Id(sid)).await
}

/// Attendance rates, cancelled sessions per month, hours per partner split by funding, interventions in use with waiting lists
#[utoipa::path(get, path = "/reports/palette", tag = "reports", responses((status = 200, body = ReportsDto)))]
pub async fn reports(State(s): State<AppState>, c: Caller) -> Answer {
    let r = s.app.reports(&c.ctx()).await?;
    Ok(Json(ReportsDto::from(&r)).into_response())
}

/// The caller's own sessions: those of the groups she leads that wait for
/// their attendance, and the coming ones
///
/// What the page `/my-sessions` shows; no participant in it. Attendance is
/// recorded with `PUT /sessions/{id}/attendance`.
#[utoipa::path(get, path = "/my-sessions", tag = "palette",
    responses((status = 200, body = MySessions)))]
pub async fn my_sessions(State(s): State<AppState>, c: Caller) -> Answer<Json<MySessions>> {
    let (due, coming) = super::my_sessions::led(&s, &c).await?;
    Ok(Json(MySessions {
        to_record: due.iter().map(LedSessionDto::from).collect(),
        coming: coming.iter().map(LedSessionDto::from).collect(),
    }))
}
