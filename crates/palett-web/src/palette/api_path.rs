use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{JsonObject, JsonType as T, Spec};
use crate::http::AppState;
use crate::http::Id;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::palette::hours_text;
use palett_app::AppError;
use palett_domain::path::{ActivityInput, EnrolInput, EnrolmentChangeInput, PlannedEndInput};
use palett_domain::plan::PlanInput;
use palett_domain::FieldErrors;
use serde_json::{json, Value};

pub(crate) fn enrolment_json(e: &palett_app::palette::EnrolmentRow) -> Value {
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

// ---------------------------------------------------------------- plans

/// JSON field names for the plan form's row errors: `goal_text.1` → `goals[1].text`.
pub(crate) fn plan_field(f: &str) -> String {
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

pub(crate) fn plan_input(body: &JsonObject) -> Result<PlanInput, FieldErrors> {
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

pub async fn plan(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let versions = s.app.plan_versions(&c.ctx(), id).await?;
    Ok(Json(json!({
        "versions": versions.iter().map(|(v, p)| json!({
            "version": v.version, "author": v.author_name, "created_at": v.created_at.to_string(),
            "goals": p.goals, "steps": p.steps, "reviews": p.reviews,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}

pub async fn save_plan(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let rename = |e: FieldErrors| {
        FieldErrors(
            e.0.into_iter()
                .map(|f| palett_domain::FieldError::new(plan_field(&f.field), f.code))
                .collect(),
        )
    };
    let draft = plan_input(&body)?.draft().map_err(AppError::Invalid);
    let v = async { s.app.save_plan(&c.ctx(), id, &draft?).await }
        .await
        .map_err(|e| match e {
            AppError::Invalid(e) => AppError::Invalid(rename(e)),
            e => e,
        })?;
    Ok((StatusCode::CREATED, Json(json!({"version": v}))).into_response())
}

// ---------------------------------------------------------------- enrolments, periods, time

pub async fn enrolments(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let list = s.app.enrolments(&c.ctx(), id).await?;
    Ok(Json(json!({"items": list.iter().map(enrolment_json).collect::<Vec<_>>()})).into_response())
}

pub async fn enrol(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&[
        ("intervention_id", T::Integer),
        ("group_id", T::Integer),
        ("start_date", T::Text),
        ("end_date", T::Text),
    ])?;
    let cmd = f.input::<EnrolInput>().parse()?;
    let (eid, status) = s.app.enrol(&c.ctx(), id, &cmd).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": eid, "status": status})),
    )
        .into_response())
}

pub async fn change_enrolment(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("status", T::Text), ("reason", T::Text)])?;
    let cmd = f.input::<EnrolmentChangeInput>().parse()?;
    let offered = s.app.change_enrolment(&c.ctx(), id, &cmd).await?;
    let e = s.app.enrolment(&c.ctx(), id).await?;
    let mut j = enrolment_json(&e);
    j["offered_to_enrolment_id"] = json!(offered);
    Ok(Json(j).into_response())
}

pub(crate) async fn period_json(s: &AppState, c: &Caller, id: i64) -> Answer {
    let p = s.app.period(&c.ctx(), id).await?;
    Ok(Json(json!({
            "intake_date": p.intake.map(|d| d.to_string()),
            "planned_end": p.planned_end.map(|d| d.to_string()),
            "net_days": p.net_days,
            "paused_days": p.paused_days,
            "remaining_days": p.remaining_days,
            "changes": p.changes.iter().map(|x| json!({"planned_end": x.planned_end.to_string(), "reason": x.reason, "by": x.author_name, "at": x.created_at.to_string()})).collect::<Vec<_>>(),
        }))
        .into_response())
}

pub async fn period(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    period_json(&s, &c, id).await
}

pub async fn set_period(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[("planned_end", T::Text), ("reason", T::Text)])?;
    let cmd = f.input::<PlannedEndInput>().parse()?;
    s.app.set_planned_end(&c.ctx(), id, &cmd).await?;
    period_json(&s, &c, id).await
}

pub async fn record_activity(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&[
        ("intervention_id", T::Integer),
        ("on_date", T::Text),
        ("hours", T::Decimal),
        ("note", T::Text),
    ])?;
    let cmd = f.input::<ActivityInput>().parse(s.app.today())?;
    let aid = s.app.record_activity(&c.ctx(), id, &cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": aid}))).into_response())
}

pub async fn time(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let rows = s.app.time_rows(&c.ctx(), id).await?;
    Ok(Json(json!({
            "items": rows.iter().map(|r| json!({
                "intervention_id": r.intervention_id, "intervention": r.intervention,
                "funding": r.project.clone().map(|p| json!({"project": p})).unwrap_or(json!("ordinary_operations")),
                "month": r.month, "minutes": r.minutes, "hours": hours_text(r.minutes).replace(',', "."),
            })).collect::<Vec<_>>(),
        }))
        .into_response())
}

pub async fn timeline(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let items = s.app.timeline(&c.ctx(), id).await?;
    Ok(Json(json!({"items": items.iter().map(|i| json!({"date": i.on.to_string(), "kind": i.kind, "text": i.text, "change": i.change.as_ref().map(|(from, to)| json!({"from": from, "to": to}))})).collect::<Vec<_>>()})).into_response())
}
