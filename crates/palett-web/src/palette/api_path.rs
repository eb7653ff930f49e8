use super::dto_path::{
    Enrolled, EnrolmentChanged, EnrolmentDto, EnrolmentList, PeriodDto, PlanSaved, PlanVersionDto,
    PlanVersions, TimeDto, TimeList, Timeline, TimelineEntry,
};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{json_body, spec_schema, JsonObject, JsonType as T, Spec};
use crate::http::AppState;
use crate::http::{Created, Id, Segment};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::AppError;
use palett_domain::path::{ActivityInput, EnrolmentChangeInput, PlannedEndInput};
use palett_domain::plan::PlanInput;
use palett_domain::FieldErrors;
use serde_json::Value;

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
        "interest" => return "interests".to_string(),
        "reach" => return "reach".to_string(),
        _ => return f.to_string(),
    };
    format!("{list}[{row}].{field}")
}

/// A goal's fields in a plan body.
const GOAL_FIELDS: Spec = &[("text", T::Text), ("category", T::Text)];
/// A step's fields in a plan body.
const STEP_FIELDS: Spec = &[
    ("intervention_id", T::Integer),
    ("planned_start", T::Text),
    ("planned_end", T::Text),
    ("responsible_organisation_id", T::Integer),
    ("responsible_user_id", T::Integer),
    ("note", T::Text),
];
/// A review's fields in a plan body.
const REVIEW_FIELDS: Spec = &[
    ("date", T::Text),
    ("participants", T::Text),
    ("notes", T::Text),
    ("decisions", T::Text),
];

/// The body of `PUT /participants/{id}/plan`: lists of goals, steps and
/// reviews, each row an object read through its spec by [`plan_input`].
pub struct PlanBody;

impl utoipa::PartialSchema for PlanBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Type};
        let rows = |spec: Spec| ArrayBuilder::new().items(spec_schema(spec));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("goals", rows(GOAL_FIELDS))
            .property("steps", rows(STEP_FIELDS))
            .property("reviews", rows(REVIEW_FIELDS))
            .property(
                "interests",
                ArrayBuilder::new().items(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .description(Some("An occupation area's code (`GET /occupations`).")),
                ),
            )
            .property(
                "reach",
                ArrayBuilder::new().items(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .description(Some(
                            "A municipality she can get to for work, by name; matching \
                             compares it with an employer's municipality, ignoring case.",
                        )),
                ),
            )
            .property(
                "enrol_steps",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .description(Some(
                        "Also enrol her in the intervention of each step added since \
                         the latest version in which she has no open enrolment, with \
                         the step's dates, in the same change (default false).",
                    )),
            )
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .description(Some(
                "A row's errors name it: `goals[1].text`. A missing list is empty.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for PlanBody {}

pub(crate) fn plan_input(body: &JsonObject) -> Result<PlanInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut input = PlanInput::default();
    for k in body.0.keys().filter(|k| {
        ![
            "goals",
            "steps",
            "reviews",
            "interests",
            "reach",
            "enrol_steps",
        ]
        .contains(&k.as_str())
    }) {
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
        GOAL_FIELDS,
        &mut [&mut input.goal_text, &mut input.goal_category],
    );
    take(
        "steps",
        &steps,
        STEP_FIELDS,
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
        REVIEW_FIELDS,
        &mut [
            &mut input.review_date,
            &mut input.review_participants,
            &mut input.review_notes,
            &mut input.review_decisions,
        ],
    );
    strings(body, "interests", &mut input.interest, &mut e);
    strings(body, "reach", &mut input.reach, &mut e);
    e.into_result().map(|_| input)
}

/// The list of strings under `key` into `into`; a missing list is empty.
fn strings(body: &JsonObject, key: &str, into: &mut Vec<String>, e: &mut FieldErrors) {
    match body.0.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(v) => into.push(v.clone()),
                    _ => e.push(format!("{key}[{i}]"), "error-type"),
                }
            }
        }
        Some(_) => e.push(key, "error-type-list"),
    }
}

/// Every version of the participant's plan, newest first
#[utoipa::path(get, path = "/participants/{id}/plan", tag = "plans", responses((status = 200, body = PlanVersions)))]
pub async fn plan(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let versions = s.app.plan_versions(&c.ctx(), id).await?;
    Ok(Json(PlanVersions {
        versions: versions.iter().map(PlanVersionDto::from).collect(),
    })
    .into_response())
}

/// Save a new version of the plan
#[utoipa::path(put, path = "/participants/{id}/plan", tag = "plans", request_body = PlanBody,
    responses((status = 201, body = PlanSaved)))]
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
    let enrol = T::Boolean
        .scalar(body.0.get("enrol_steps"))
        .and_then(|v| palett_domain::values::parse_flag(&v))
        .map_err(|code| FieldErrors::single("enrol_steps", code))?;
    let draft = plan_input(&body)?.draft();
    let (v, made) = async { s.app.save_plan_with(&c.ctx(), id, &draft?, enrol).await }
        .await
        .map_err(|e| match e {
            AppError::Invalid(e) => AppError::Invalid(rename(e)),
            e => e,
        })?;
    Ok((
        StatusCode::CREATED,
        Json(PlanSaved {
            version: v,
            enrolled: made
                .into_iter()
                .map(|(id, status)| Enrolled { id, status })
                .collect(),
        }),
    )
        .into_response())
}

// ---------------------------------------------------------------- enrolments, periods, time

/// The participant's enrolments
#[utoipa::path(get, path = "/participants/{id}/enrolments", tag = "enrolments",
    responses((status = 200, body = EnrolmentList)))]
pub async fn enrolments(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let list = s.app.enrolments(&c.ctx(), id).await?;
    Ok(Json(EnrolmentList {
        items: list.iter().map(EnrolmentDto::from).collect(),
    })
    .into_response())
}

json_body!(
    /// The intervention, its group (group-based ones) and the planned
    /// `start_date` and `end_date` (YYYY-MM-DD); with `add_to_plan` true
    /// the intervention is also added as a step of her plan (a new
    /// version, or her first) in the same change.
    NewEnrolment = &[
        ("intervention_id", T::Integer),
        ("group_id", T::Integer),
        ("start_date", T::Text),
        ("end_date", T::Text),
        ("add_to_plan", T::Boolean),
    ]
);

/// Enrol; beyond capacity the enrolment goes on the waiting list (status waiting)
#[utoipa::path(post, path = "/participants/{id}/enrolments", tag = "enrolments", request_body = NewEnrolment,
    responses((status = 201, body = Enrolled)))]
pub async fn enrol(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&NewEnrolment::spec())?;
    let (cmd, add) = super::path::enrolment_command(&f);
    let (eid, status) = s.app.enrol_with_step(&c.ctx(), id, &cmd?, add).await?;
    Ok((StatusCode::CREATED, Json(Enrolled { id: eid, status })).into_response())
}

json_body!(
    /// `intervention_id`: the intervention a step of her current plan
    /// names; she is enrolled with that step's dates.
    PlanStepEnrolment = &[("intervention_id", T::Integer)]
);

/// Enrol her in the intervention of a step of her plan
///
/// The ordinary enrolment (access, capacity and waiting list, audit) with
/// the step's dates. One she is already enrolled in is refused
/// (`intervention_id`, `error-already-enrolled-here`), as is one no step
/// of her current plan names (`error-not-in-plan`).
#[utoipa::path(post, path = "/participants/{id}/plan/enrolments", tag = "plans", request_body = PlanStepEnrolment,
    responses((status = 201, body = Enrolled)))]
pub async fn enrol_from_plan(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&PlanStepEnrolment::spec())?;
    let iid = palett_domain::values::parse_choice_id(&f.get("intervention_id"))
        .map_err(|code| FieldErrors::single("intervention_id", code))?;
    let (eid, status) = s.app.enrol_from_plan(&c.ctx(), id, iid).await?;
    Ok((StatusCode::CREATED, Json(Enrolled { id: eid, status })).into_response())
}

json_body!(
    /// The new `status` (the values of the `EnrolmentStatus` schema that
    /// may follow the present one) and a `reason`.
    EnrolmentChange = &[("status", T::Text), ("reason", T::Text)]
);

/// Move an enrolment on; a place set free is offered to the first on the waiting list
#[utoipa::path(patch, path = "/enrolments/{id}", tag = "enrolments", request_body = EnrolmentChange,
    responses((status = 200, body = EnrolmentChanged)))]
pub async fn change_enrolment(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&EnrolmentChange::spec())?;
    let offered = s
        .app
        .change_enrolment(&c.ctx(), id, &f.input::<EnrolmentChangeInput>().parse()?)
        .await?;
    let e = s.app.enrolment(&c.ctx(), id).await?;
    Ok(Json(EnrolmentChanged {
        enrolment: (&e).into(),
        offered_to_enrolment_id: offered,
    })
    .into_response())
}

pub(crate) async fn period_json(s: &AppState, c: &Caller, id: i64) -> Answer {
    let p = s.app.period(&c.ctx(), id).await?;
    Ok(Json(PeriodDto::from(&p)).into_response())
}

/// Participation period and time net of pauses
#[utoipa::path(get, path = "/participants/{id}/period", tag = "periods", responses((status = 200, body = PeriodDto)))]
pub async fn period(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    period_json(&s, &c, id).await
}

json_body!(
    /// The `planned_end` (YYYY-MM-DD) and, to change one already set, a
    /// `reason`.
    PlannedEnd = &[("planned_end", T::Text), ("reason", T::Text)]
);

/// Set or extend the planned end (a reason is required to change one already set)
#[utoipa::path(put, path = "/participants/{id}/period", tag = "periods", request_body = PlannedEnd,
    responses((status = 200, body = PeriodDto)))]
pub async fn set_period(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&PlannedEnd::spec())?;
    s.app
        .set_planned_end(&c.ctx(), id, &f.input::<PlannedEndInput>().parse()?)
        .await?;
    period_json(&s, &c, id).await
}

json_body!(
    /// The intervention, the day (`on_date`, YYYY-MM-DD), the `hours` and
    /// a `note`.
    NewActivity = &[
        ("intervention_id", T::Integer),
        ("on_date", T::Text),
        ("hours", T::Decimal),
        ("note", T::Text),
    ]
);

/// Record an individual activity with its hours
#[utoipa::path(post, path = "/participants/{id}/activities", tag = "time", request_body = NewActivity,
    responses((status = 201, body = Created)))]
pub async fn record_activity(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewActivity::spec())?;
    let aid = s
        .app
        .record_activity(
            &c.ctx(),
            id,
            &f.input::<ActivityInput>().parse(s.app.today())?,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })).into_response())
}

/// Time per intervention and month, with funding (project or ordinary operations)
#[utoipa::path(get, path = "/participants/{id}/time", tag = "time", responses((status = 200, body = TimeList)))]
pub async fn time(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let rows = s.app.time_rows(&c.ctx(), id).await?;
    Ok(Json(TimeList {
        items: rows.iter().map(TimeDto::from).collect(),
    })
    .into_response())
}

/// Attest her ended month (`YYYY-MM`) with the minutes recorded now,
/// which locks it (her responsible caseworker; audited)
///
/// What the button on her time page does; attesting again after a
/// correction takes the corrected minutes. A month not ended, or without
/// time, is refused on `month` (422).
#[utoipa::path(post, path = "/participants/{id}/time/{month}/attest", tag = "time",
    params(("id" = i64, Path), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 204)))]
pub async fn attest_month(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Segment(month): Segment,
) -> Answer {
    s.app.attest_participant_month(&c.ctx(), id, &month).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Everything that happened to the participant, oldest first
#[utoipa::path(get, path = "/participants/{id}/timeline", tag = "participants",
    responses((status = 200, body = Timeline)))]
pub async fn timeline(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let items = s.app.timeline(&c.ctx(), id).await?;
    Ok(Json(Timeline {
        items: items.iter().map(TimelineEntry::from).collect(),
    })
    .into_response())
}
