use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::forms::{JsonObject, JsonType as T, Spec};
use crate::http::AppState;
use crate::http::Id;
use crate::palette::api_path::enrolment_json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::AppError;
use palett_domain::palette::Intervention;
use palett_domain::path::{
    AttendanceInput, GroupInput, ScheduleInput, SessionCancelInput, SessionMoveInput,
};
use palett_domain::FieldErrors;
use serde_json::{json, Value};

pub fn intervention_json(i: &Intervention) -> Value {
    json!({
        "id": i.id,
        "name": i.name,
        "kind": i.kind,
        "course_id": i.course_id,
        "position": i.position,
        "provider": {"id": i.provider_organisation_id, "name": i.provider_name},
        "description": i.description,
        "place": i.place,
        "languages": i.languages,
        "capacity": i.capacity,
        "group_based": i.group_based,
        "funding": match (&i.project_id, &i.project_name) {
            (Some(id), Some(name)) => json!({"project_id": id, "project": name}),
            _ => json!("ordinary_operations"),
        },
        "start_date": i.start_date.map(|d| d.to_string()),
        "end_date": i.end_date.map(|d| d.to_string()),
        "retired_on": i.retired_on.map(|d| d.to_string()),
    })
}

pub async fn palette(State(s): State<AppState>, c: Caller) -> Answer {
    let list = s.app.palette(&c.ctx(), false).await?;
    Ok(Json(json!({"items": list.iter().map(intervention_json).collect::<Vec<_>>(), "total": list.len()})).into_response())
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

pub async fn create_intervention(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(INTERVENTION_FIELDS)?;
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
    let mut input = f.intervention();
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
        Json(intervention_json(&v.intervention)),
    )
        .into_response())
}

pub async fn intervention(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.intervention(&c.ctx(), id).await?;
    let mut j = intervention_json(&v.intervention);
    j["places_taken"] = json!(v.places_taken);
    j["modules"] = json!(v.modules.iter().map(intervention_json).collect::<Vec<_>>());
    j["groups"] = json!(v
        .groups
        .iter()
        .map(|g| json!({"id": g.id, "name": g.name, "leader": g.leader_name}))
        .collect::<Vec<_>>());
    j["enrolments"] = json!(v.enrolments.iter().map(enrolment_json).collect::<Vec<_>>());
    Ok(Json(j).into_response())
}

pub async fn create_group(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("name", T::Text), ("leader_user_id", T::Integer)])?;
    let cmd = f.input::<GroupInput>().parse()?;
    let g = s.app.create_group(&c.ctx(), id, &cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": g}))).into_response())
}

pub(crate) fn session_json(x: &palett_app::palette::Session) -> Value {
    json!({
        "id": x.id,
        "group_id": x.group_id,
        "date": x.on_date.to_string(),
        "start_time": x.start_time,
        "minutes": x.minutes,
        "place": x.place,
        "status": x.status,
        "cancel_reason": x.cancel_reason,
        "moved_from": x.moved_from.map(|d| d.to_string()),
        "attendance": {"present": x.recorded.0, "absent_notice": x.recorded.1, "absent": x.recorded.2},
    })
}

pub async fn group(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let (g, sessions, _) = s.app.group(&c.ctx(), id).await?;
    Ok(Json(json!({
        "id": g.id, "name": g.name, "intervention_id": g.intervention_id, "leader": g.leader_name,
        "sessions": sessions.iter().map(session_json).collect::<Vec<_>>(),
    }))
    .into_response())
}

pub async fn schedule(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[
        ("from", T::Text),
        ("until", T::Text),
        ("start_time", T::Text),
        ("minutes", T::Integer),
        ("place", T::Text),
    ])?;
    let cmd = f.input::<ScheduleInput>().parse()?;
    let n = s.app.schedule(&c.ctx(), id, &cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({"created": n}))).into_response())
}

pub async fn cancel_session(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("reason", T::Text)])?;
    let cmd = f.input::<SessionCancelInput>().parse()?;
    s.app.cancel_session(&c.ctx(), id, &cmd).await?;
    attendance(State(s), c, Id(id)).await
}

pub async fn move_session(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("on_date", T::Text), ("start_time", T::Text)])?;
    let cmd = f.input::<SessionMoveInput>().parse()?;
    s.app.move_session(&c.ctx(), id, &cmd).await?;
    attendance(State(s), c, Id(id)).await
}

pub async fn attendance(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let sheet = s.app.attendance_sheet(&c.ctx(), id).await?;
    Ok(Json(json!({
            "session": session_json(&sheet.session),
            "group": {"id": sheet.group.id, "name": sheet.group.name},
            "roster": sheet.roster.iter().map(|(p, n, st)| json!({"participant_id": p, "name": n, "status": st})).collect::<Vec<_>>(),
        }))
        .into_response())
}

/// `{"attendance": {"<participant id>": "present" | "absent_notice" | "absent", ...}}`
pub async fn record_attendance(
    State(s): State<AppState>,
    c: Caller,
    Id(sid): Id,
    body: JsonObject,
) -> Answer {
    let mut e = FieldErrors::new();
    for k in body.0.keys().filter(|k| *k != "attendance") {
        e.push(k.clone(), "error-unknown-field");
    }
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
    let cmd = AttendanceInput { rows }.parse()?;
    s.app.record_attendance(&c.ctx(), sid, &cmd).await?;
    attendance(State(s), c, Id(sid)).await
}

pub async fn reports(State(s): State<AppState>, c: Caller) -> Answer {
    let r = s.app.reports(&c.ctx()).await?;
    Ok(Json(json!({
            "attendance_by_group": r.attendance.iter().map(|a| json!({
                "intervention": a.intervention, "group": a.group, "present": a.present,
                "absent_notice": a.absent_notice, "absent": a.absent,
                "attendance_rate": palett_app::palette::attendance_rate(a.present, a.absent_notice, a.absent),
            })).collect::<Vec<_>>(),
            "sessions_per_month": r.sessions_per_month.iter().map(|m| json!({"month": m.month, "cancelled": m.cancelled, "held": m.held})).collect::<Vec<_>>(),
            "minutes_by_partner": r.minutes_by_partner.iter().map(|m| json!({"partner": m.partner, "project_minutes": m.project_minutes, "ordinary_operations_minutes": m.ordinary_minutes})).collect::<Vec<_>>(),
            "interventions_in_use": r.in_use.iter().map(|u| json!({"intervention": u.intervention, "places_taken": u.taken, "waiting": u.waiting, "capacity": u.capacity})).collect::<Vec<_>>(),
        }))
        .into_response())
}
