//! The JSON API of the palette and individual paths (see openapi.json).

use crate::caller::Caller;
use crate::error::ApiError;
use crate::forms::{FormData, JsonObject, JsonType as T, Spec};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use palett_app::palette::{hours_text, ScheduleInput};
use palett_app::AppError;
use palett_domain::palette::Intervention;
use palett_domain::plan::PlanInput;
use palett_domain::FieldErrors;
use serde_json::{json, Value};

fn err(c: &Caller, e: AppError) -> Response {
    ApiError::app(c.tr(), e).into_response()
}

fn num(c: &Caller, s: &str) -> Result<i64, Response> {
    s.parse::<i64>().map_err(|_| err(c, AppError::NotFound))
}

fn form(c: &Caller, body: &JsonObject, spec: Spec) -> Result<FormData, Response> {
    body.to_form(spec).map_err(|e| err(c, AppError::Invalid(e)))
}

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

pub async fn palette(State(s): State<AppState>, c: Caller) -> Response {
    match s.app.palette(&c.ctx(), false).await {
        Ok(list) => Json(json!({"items": list.iter().map(intervention_json).collect::<Vec<_>>(), "total": list.len()})).into_response(),
        Err(e) => err(&c, e),
    }
}

const INTERVENTION_FIELDS: Spec = &[
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

pub async fn create_intervention(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Response {
    let f = match form(&c, &body, INTERVENTION_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let course = match f.get("course_id").trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return ApiError::field(
                    c.tr(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "course_id",
                    "error-choice",
                )
                .into_response()
            }
        },
    };
    let mut input = f.intervention();
    // Omitted or null funding means ordinary operations in the API.
    if input.project_id.trim().is_empty() {
        input.project_id = palett_domain::palette::ORDINARY_OPERATIONS.into();
    }
    match s.app.create_intervention(&c.ctx(), &input, course).await {
        Ok(id) => match s.app.intervention(&c.ctx(), id).await {
            Ok(v) => (
                StatusCode::CREATED,
                Json(intervention_json(&v.intervention)),
            )
                .into_response(),
            Err(e) => err(&c, e),
        },
        Err(e) => err(&c, e),
    }
}

pub async fn intervention(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.intervention(&c.ctx(), id).await {
        Ok(v) => {
            let mut j = intervention_json(&v.intervention);
            j["places_taken"] = json!(v.places_taken);
            j["modules"] = json!(v.modules.iter().map(intervention_json).collect::<Vec<_>>());
            j["groups"] = json!(v
                .groups
                .iter()
                .map(|g| json!({"id": g.id, "name": g.name, "leader": g.leader_name}))
                .collect::<Vec<_>>());
            j["enrolments"] = json!(v.enrolments.iter().map(enrolment_json).collect::<Vec<_>>());
            Json(j).into_response()
        }
        Err(e) => err(&c, e),
    }
}

fn enrolment_json(e: &palett_app::palette::EnrolmentRow) -> Value {
    json!({
        "id": e.id,
        "participant_id": e.participant_id,
        "participant": e.participant_name,
        "intervention_id": e.intervention_id,
        "intervention": e.intervention_name,
        "group_id": e.group_id,
        "status": e.status,
        "start_date": e.start_date.map(|d| d.to_string()),
        "end_date": e.end_date.map(|d| d.to_string()),
        "reason": e.reason,
    })
}

pub async fn create_group(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(
            &c,
            &body,
            &[("name", T::Text), ("leader_user_id", T::Integer)],
        ),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .create_group(&c.ctx(), id, &f.get("name"), &f.get("leader_user_id"))
        .await
    {
        Ok(g) => (StatusCode::CREATED, Json(json!({"id": g}))).into_response(),
        Err(e) => err(&c, e),
    }
}

fn session_json(x: &palett_app::palette::Session) -> Value {
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

pub async fn group(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.group(&c.ctx(), id).await {
        Ok((g, sessions, _)) => Json(json!({
            "id": g.id, "name": g.name, "intervention_id": g.intervention_id, "leader": g.leader_name,
            "sessions": sessions.iter().map(session_json).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn schedule(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(
            &c,
            &body,
            &[
                ("from", T::Text),
                ("until", T::Text),
                ("start_time", T::Text),
                ("minutes", T::Integer),
                ("place", T::Text),
            ],
        ),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let input = ScheduleInput {
        from: f.get("from"),
        until: f.get("until"),
        start_time: f.get("start_time"),
        minutes: f.get("minutes"),
        place: f.get("place"),
    };
    match s.app.schedule(&c.ctx(), id, &input).await {
        Ok(n) => (StatusCode::CREATED, Json(json!({"created": n}))).into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn cancel_session(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (num(&c, &id), form(&c, &body, &[("reason", T::Text)])) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s.app.cancel_session(&c.ctx(), id, &f.get("reason")).await {
        Ok(()) => attendance(State(s), c, Path(id.to_string())).await,
        Err(e) => err(&c, e),
    }
}

pub async fn move_session(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(&c, &body, &[("on_date", T::Text), ("start_time", T::Text)]),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .move_session(&c.ctx(), id, &f.get("on_date"), &f.get("start_time"))
        .await
    {
        Ok(()) => attendance(State(s), c, Path(id.to_string())).await,
        Err(e) => err(&c, e),
    }
}

pub async fn attendance(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.attendance_sheet(&c.ctx(), id).await {
        Ok(sheet) => Json(json!({
            "session": session_json(&sheet.session),
            "group": {"id": sheet.group.id, "name": sheet.group.name},
            "roster": sheet.roster.iter().map(|(p, n, st)| json!({"participant_id": p, "name": n, "status": st})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(&c, e),
    }
}

/// `{"attendance": {"<participant id>": "present" | "absent_notice" | "absent", ...}}`
pub async fn record_attendance(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let sid = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
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
        return err(&c, AppError::Invalid(e));
    }
    match s.app.record_attendance(&c.ctx(), sid, &rows).await {
        Ok(_) => attendance(State(s), c, Path(sid.to_string())).await,
        Err(e) => err(&c, e),
    }
}

// ---------------------------------------------------------------- plans

/// JSON field names for the plan form's row errors: `goal_text.1` → `goals[1].text`.
fn plan_field(f: &str) -> String {
    let (name, row) = f.rsplit_once('.').unwrap_or((f, "0"));
    let (list, field) = match name {
        "goal_text" => ("goals", "text"),
        "goal_category" => ("goals", "category"),
        "step_intervention" => ("steps", "intervention_id"),
        "step_start" => ("steps", "planned_start"),
        "step_end" => ("steps", "planned_end"),
        "step_organisation" => ("steps", "responsible_organisation_id"),
        "step_user" => ("steps", "responsible_user_id"),
        "step_note" => ("steps", "note"),
        "review_date" => ("reviews", "date"),
        "review_participants" => ("reviews", "participants"),
        "review_notes" => ("reviews", "notes"),
        "review_decisions" => ("reviews", "decisions"),
        _ => return f.to_string(),
    };
    format!("{list}[{row}].{field}")
}

fn plan_input(body: &JsonObject) -> Result<PlanInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut input = PlanInput::default();
    for k in body
        .0
        .keys()
        .filter(|k| !["goals", "steps", "reviews"].contains(&k.as_str()))
    {
        e.push(k.clone(), "error-unknown-field");
    }
    let list_of = |list: &str| {
        body.0
            .get(list)
            .cloned()
            .unwrap_or(Value::Array(Vec::new()))
    };
    let (goals, steps, reviews) = (list_of("goals"), list_of("steps"), list_of("reviews"));
    let mut take = |list: &str, v: &Value, keys: Spec, outs: &mut [&mut Vec<String>]| match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let Value::Object(m) = item else {
                    e.push(format!("{list}[{i}]"), "error-type");
                    continue;
                };
                for k in m.keys().filter(|k| !keys.iter().any(|(n, _)| n == k)) {
                    e.push(format!("{list}[{i}].{k}"), "error-unknown-field");
                }
                for ((key, ty), out) in keys.iter().zip(outs.iter_mut()) {
                    match ty.scalar(m.get(*key)) {
                        Ok(t) => out.push(t),
                        Err(code) => {
                            e.push(format!("{list}[{i}].{key}"), code);
                            out.push(String::new());
                        }
                    }
                }
            }
        }
        _ => e.push(list.to_string(), "error-type-list"),
    };
    take(
        "goals",
        &goals,
        &[("text", T::Text), ("category", T::Text)],
        &mut [&mut input.goal_text, &mut input.goal_category],
    );
    take(
        "steps",
        &steps,
        &[
            ("intervention_id", T::Integer),
            ("planned_start", T::Text),
            ("planned_end", T::Text),
            ("responsible_organisation_id", T::Integer),
            ("responsible_user_id", T::Integer),
            ("note", T::Text),
        ],
        &mut [
            &mut input.step_intervention,
            &mut input.step_start,
            &mut input.step_end,
            &mut input.step_organisation,
            &mut input.step_user,
            &mut input.step_note,
        ],
    );
    take(
        "reviews",
        &reviews,
        &[
            ("date", T::Text),
            ("participants", T::Text),
            ("notes", T::Text),
            ("decisions", T::Text),
        ],
        &mut [
            &mut input.review_date,
            &mut input.review_participants,
            &mut input.review_notes,
            &mut input.review_decisions,
        ],
    );
    e.into_result().map(|_| input)
}

pub async fn plan(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.plan_versions(&c.ctx(), id).await {
        Ok(versions) => Json(json!({
            "versions": versions.iter().map(|(v, p)| json!({
                "version": v.version, "author": v.author_name, "created_at": v.created_at.to_string(),
                "goals": p.goals, "steps": p.steps, "reviews": p.reviews,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn save_plan(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let rename = |e: FieldErrors| {
        FieldErrors(
            e.0.into_iter()
                .map(|f| palett_domain::FieldError::new(plan_field(&f.field), f.code))
                .collect(),
        )
    };
    let input = match plan_input(&body) {
        Ok(i) => i,
        Err(e) => return err(&c, AppError::Invalid(e)),
    };
    match s.app.save_plan(&c.ctx(), id, &input).await {
        Ok(v) => (StatusCode::CREATED, Json(json!({"version": v}))).into_response(),
        Err(AppError::Invalid(e)) => err(&c, AppError::Invalid(rename(e))),
        Err(e) => err(&c, e),
    }
}

// ---------------------------------------------------------------- enrolments, periods, time

pub async fn enrolments(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.enrolments(&c.ctx(), id).await {
        Ok(list) => Json(json!({"items": list.iter().map(enrolment_json).collect::<Vec<_>>()}))
            .into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn enrol(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(
            &c,
            &body,
            &[
                ("intervention_id", T::Integer),
                ("group_id", T::Integer),
                ("start_date", T::Text),
                ("end_date", T::Text),
            ],
        ),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .enrol(
            &c.ctx(),
            id,
            &f.get("intervention_id"),
            &f.get("group_id"),
            &f.get("start_date"),
            &f.get("end_date"),
        )
        .await
    {
        Ok((eid, status)) => (
            StatusCode::CREATED,
            Json(json!({"id": eid, "status": status})),
        )
            .into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn change_enrolment(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(&c, &body, &[("status", T::Text), ("reason", T::Text)]),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .change_enrolment(&c.ctx(), id, &f.get("status"), &f.get("reason"))
        .await
    {
        Ok(offered) => match s.app.enrolment(&c.ctx(), id).await {
            Ok(e) => {
                let mut j = enrolment_json(&e);
                j["offered_to_enrolment_id"] = json!(offered);
                Json(j).into_response()
            }
            Err(e) => err(&c, e),
        },
        Err(e) => err(&c, e),
    }
}

async fn period_json(s: &AppState, c: &Caller, id: i64) -> Response {
    match s.app.period(&c.ctx(), id).await {
        Ok(p) => Json(json!({
            "intake_date": p.intake.map(|d| d.to_string()),
            "planned_end": p.planned_end.map(|d| d.to_string()),
            "net_days": p.net_days,
            "paused_days": p.paused_days,
            "remaining_days": p.remaining_days,
            "changes": p.changes.iter().map(|x| json!({"planned_end": x.planned_end.to_string(), "reason": x.reason, "by": x.author_name, "at": x.created_at.to_string()})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(c, e),
    }
}

pub async fn period(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    match num(&c, &id) {
        Ok(id) => period_json(&s, &c, id).await,
        Err(r) => r,
    }
}

pub async fn set_period(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(&c, &body, &[("planned_end", T::Text), ("reason", T::Text)]),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .set_planned_end(&c.ctx(), id, &f.get("planned_end"), &f.get("reason"))
        .await
    {
        Ok(()) => period_json(&s, &c, id).await,
        Err(e) => err(&c, e),
    }
}

pub async fn record_activity(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Response {
    let (id, f) = match (
        num(&c, &id),
        form(
            &c,
            &body,
            &[
                ("intervention_id", T::Integer),
                ("on_date", T::Text),
                ("hours", T::Decimal),
                ("note", T::Text),
            ],
        ),
    ) {
        (Ok(i), Ok(f)) => (i, f),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match s
        .app
        .record_activity(
            &c.ctx(),
            id,
            &f.get("intervention_id"),
            &f.get("on_date"),
            &f.get("hours"),
            &f.get("note"),
        )
        .await
    {
        Ok(aid) => (StatusCode::CREATED, Json(json!({"id": aid}))).into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn time(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.time_rows(&c.ctx(), id).await {
        Ok(rows) => Json(json!({
            "items": rows.iter().map(|r| json!({
                "intervention_id": r.intervention_id, "intervention": r.intervention,
                "funding": r.project.clone().map(|p| json!({"project": p})).unwrap_or(json!("ordinary_operations")),
                "month": r.month, "minutes": r.minutes, "hours": hours_text(r.minutes).replace(',', "."),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn timeline(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Response {
    let id = match num(&c, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match s.app.timeline(&c.ctx(), id).await {
        Ok(items) => Json(json!({"items": items.iter().map(|i| json!({"date": i.on.to_string(), "kind": i.kind, "text": i.text, "change": i.change.as_ref().map(|(from, to)| json!({"from": from, "to": to}))})).collect::<Vec<_>>()})).into_response(),
        Err(e) => err(&c, e),
    }
}

pub async fn reports(State(s): State<AppState>, c: Caller) -> Response {
    match s.app.reports(&c.ctx()).await {
        Ok(r) => Json(json!({
            "attendance_by_group": r.attendance.iter().map(|a| json!({
                "intervention": a.intervention, "group": a.group, "present": a.present,
                "absent_notice": a.absent_notice, "absent": a.absent,
                "attendance_rate": palett_app::palette::attendance_rate(a.present, a.absent_notice, a.absent),
            })).collect::<Vec<_>>(),
            "sessions_per_month": r.sessions_per_month.iter().map(|m| json!({"month": m.month, "cancelled": m.cancelled, "held": m.held})).collect::<Vec<_>>(),
            "minutes_by_partner": r.minutes_by_partner.iter().map(|m| json!({"partner": m.partner, "project_minutes": m.project_minutes, "ordinary_operations_minutes": m.ordinary_minutes})).collect::<Vec<_>>(),
            "interventions_in_use": r.in_use.iter().map(|u| json!({"intervention": u.intervention, "places_taken": u.taken, "waiting": u.waiting, "capacity": u.capacity})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => err(&c, e),
    }
}
