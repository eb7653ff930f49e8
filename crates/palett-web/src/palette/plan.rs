use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{choices, local_time, options, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::AppError;
use palett_domain::matching::place_key;
use palett_domain::plan::{GoalCategory, Plan, PlanInput};
use palett_domain::values::{optional_text, TextKind};
use palett_domain::FieldErrors;

// ---------------------------------------------------------------- plans

pub struct PlanVersionView {
    pub label: String,
    /// Her occupational interests, by name.
    pub interests: Vec<String>,
    /// The municipalities she can reach.
    pub reach: Vec<String>,
    pub goals: Vec<(String, String)>,
    /// Each step's cells and, in the current version for one who may
    /// change her record, its enrolment.
    pub steps: Vec<(Vec<String>, Option<StepEnrol>)>,
    /// Whether the steps have the enrolment column.
    pub with_enrol: bool,
    pub reviews: Vec<Vec<String>>,
}

/// A current plan step's enrolment: her enrolment in its intervention, or
/// the button that makes it.
pub struct StepEnrol {
    /// The step's row, for the ids of its cell and message.
    pub row: usize,
    pub intervention_id: i64,
    /// The status of her open enrolment there, if she has one.
    pub enrolled: Option<String>,
    /// Why enrolling her from this step was just refused.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub t: Tr,
    pub layout: Layout,
    pub may_change: bool,
    pub edit: String,
    pub back: String,
    /// Where a step's "enrol her" button posts.
    pub enrol_action: String,
    /// A refused enrolment from a step: (anchor, message).
    pub errors: Vec<(String, String)>,
    pub versions: Vec<PlanVersionView>,
}

pub(crate) struct Names {
    pub(crate) interventions: Vec<(String, String)>,
    pub(crate) organisations: Vec<(String, String)>,
    pub(crate) staff: Vec<(String, String)>,
}

pub(crate) async fn names(s: &AppState, c: &Caller) -> Result<Names, AppError> {
    let ch = choices(s, c).await?;
    let interventions = s
        .app
        .palette(&c.ctx(), false)
        .await?
        .into_iter()
        .map(|i| (i.id.to_string(), i.name))
        .collect();
    Ok(Names {
        interventions,
        organisations: ch.organisations,
        staff: ch.caseworkers,
    })
}

/// The municipalities of the registry's active employers, for a plan form
/// to offer (none for one who may not see the registry).
async fn municipalities(s: &AppState, c: &Caller) -> Result<Vec<String>, AppError> {
    match s.app.employer_municipalities(&c.ctx()).await {
        Err(AppError::Forbidden) => Ok(Vec::new()),
        other => other,
    }
}

pub(crate) fn name_of(list: &[(String, String)], id: &str) -> String {
    list.iter()
        .find(|(k, _)| k == id)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

pub(crate) fn plan_view(t: Tr, n: &Names, label: String, p: &Plan) -> PlanVersionView {
    PlanVersionView {
        label,
        interests: p
            .interests
            .iter()
            .filter_map(|code| palett_domain::occupations::area(code))
            .map(|a| a.name(t.lang.code()).to_string())
            .collect(),
        reach: p.reach.clone(),
        goals: p
            .goals
            .iter()
            .map(|g| {
                (
                    GoalCategory::parse(&g.category)
                        .map(|c| t.get(&c.message_id()))
                        .unwrap_or_default(),
                    g.text.clone(),
                )
            })
            .collect(),
        steps: p
            .steps
            .iter()
            .map(|s| {
                let cells = vec![
                    name_of(&n.interventions, &s.intervention_id.to_string()),
                    s.planned_start.clone().unwrap_or_default(),
                    s.planned_end.clone().unwrap_or_default(),
                    name_of(&n.organisations, &s.responsible_organisation_id.to_string()),
                    s.responsible_user_id
                        .map(|u| name_of(&n.staff, &u.to_string()))
                        .unwrap_or_default(),
                    s.note.clone(),
                ];
                (cells, None)
            })
            .collect(),
        with_enrol: false,
        reviews: p
            .reviews
            .iter()
            .map(|r| {
                vec![
                    r.date.clone(),
                    r.participants.clone(),
                    r.notes.clone(),
                    r.decisions.clone(),
                ]
            })
            .collect(),
    }
}

pub async fn plan(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    plan_page(&s, &c, pid, None).await
}

/// Her plan's versions, the current one's steps with their enrolments for
/// one who may change her record; `refused` is an enrolment from a step
/// just refused: its intervention and the errors (then answered 422).
pub(crate) async fn plan_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    refused: Option<(i64, &FieldErrors)>,
) -> Answer {
    let t = c.tr();
    let stored = s.app.plan_versions(&c.ctx(), pid).await?;
    let view = s.app.participant(&c.ctx(), pid).await?;
    let n = names(s, c).await?;
    let enrolments = if view.may_change && !stored.is_empty() {
        s.app.enrolments(&c.ctx(), pid).await?
    } else {
        Vec::new()
    };
    let mut errors = Vec::new();
    let mut versions: Vec<PlanVersionView> = stored
        .iter()
        .map(|(v, p)| {
            let label = t.with(
                "plan-version",
                &[
                    ("version", v.version.to_string()),
                    ("when", local_time(v.created_at)),
                    ("who", v.author_name.clone()),
                ],
            );
            plan_view(t, &n, label, p)
        })
        .collect();
    if let (true, Some(current), Some((_, p))) =
        (view.may_change, versions.first_mut(), stored.first())
    {
        current.with_enrol = true;
        for (row, ((_, enrol), step)) in current.steps.iter_mut().zip(&p.steps).enumerate() {
            let iid = step.intervention_id;
            let open = enrolments
                .iter()
                .find(|e| e.intervention_id == iid && !e.status.next().is_empty());
            // The message at the first step of the intervention refused.
            let error = refused
                .filter(|(r, _)| *r == iid && errors.is_empty())
                .and_then(|(_, e)| e.0.first())
                .map(|e| t.get(e.code));
            if let Some(msg) = &error {
                errors.push((format!("enrol-{row}"), msg.clone()));
            }
            *enrol = Some(StepEnrol {
                row,
                intervention_id: iid,
                enrolled: open.map(|e| t.get(&e.status.message_id())),
                error,
            });
        }
    }
    if let (Some((_, e)), true) = (refused, errors.is_empty()) {
        // Refused for no step of hers (her plan changed meanwhile).
        errors.extend(e.0.iter().map(|e| ("current-h".to_string(), t.get(e.code))));
    }
    let page = render(PlanPage {
        t,
        layout: Layout::for_caller(
            c,
            format!("{}: {}", t.get("plan-title"), view.participant.full_name()),
            "participants",
            &format!("/participants/{pid}/plan"),
        ),
        may_change: view.may_change,
        edit: format!("/participants/{pid}/plan/edit"),
        back: format!("/participants/{pid}"),
        enrol_action: format!("/participants/{pid}/plan/enrol"),
        errors,
        versions,
    });
    Ok(match refused {
        Some(_) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        None => page.into_response(),
    })
}

/// `POST /participants/{id}/plan/enrol`: enrol her in the intervention of
/// a step of her current plan, with its dates (the ordinary enrolment's
/// rules); a refusal shows the plan again with the message at the step.
pub async fn plan_enrol(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    form: FormData,
) -> Answer {
    let iid = palett_domain::values::parse_choice_id(&form.get("intervention_id"));
    let result = match iid {
        Ok(iid) => s.app.enrol_from_plan(&c.ctx(), pid, iid).await,
        Err(code) => Err(FieldErrors::single("intervention_id", code).into()),
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/participants/{pid}/plan?done=plan-step-enrolled"))
                .into_response(),
        ),
        Err(AppError::Invalid(e)) => {
            plan_page(&s, &c, pid, Some((iid.unwrap_or_default(), &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct CellField {
    pub id: String,
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_form.html")]
pub struct PlanFormPage {
    pub t: Tr,
    pub layout: Layout,
    pub errors: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    pub goals: Vec<Vec<CellField>>,
    pub steps: Vec<Vec<CellField>>,
    pub reviews: Vec<Vec<CellField>>,
    /// The occupation areas: (code, name, checked).
    pub interests: Vec<(String, String, bool)>,
    pub interest_error: Option<String>,
    /// The municipalities to tick: the registry's and hers, (name, checked).
    pub reach: Vec<(String, bool)>,
    /// A municipality to type in; an entry that is not a valid name comes
    /// back here with its error.
    pub reach_other: CellField,
    /// "Enrol her also in the interventions": for the steps added.
    pub enrol_steps: bool,
}

pub(crate) fn plan_form_page(
    c: &Caller,
    n: &Names,
    municipalities: &[String],
    pid: i64,
    input: &PlanInput,
    errors: &FieldErrors,
    enrol_steps: bool,
) -> Response {
    let t = c.tr();
    let cell = |name: &str,
                row: usize,
                label: &str,
                kind: &'static str,
                values: &[String],
                options: Vec<(String, String)>| CellField {
        id: format!("f-{name}-{row}"),
        name: name.to_string(),
        label: format!("{} {}", t.get(label), row + 1),
        kind,
        value: values.get(row).cloned().unwrap_or_default(),
        options,
        error: errors.for_field(&format!("{name}.{row}")).map(|c| t.get(c)),
    };
    let categories = options(
        t,
        GoalCategory::ALL,
        GoalCategory::as_str,
        GoalCategory::message_id,
    );
    let max = palett_domain::plan::MAX_ROWS;
    let goals = (0..input.goal_text.len().clamp(1, max) + 1)
        .map(|r| {
            vec![
                cell(
                    "goal_text",
                    r,
                    "field-goal",
                    "text",
                    &input.goal_text,
                    vec![],
                ),
                cell(
                    "goal_category",
                    r,
                    "field-goal-category",
                    "select",
                    &input.goal_category,
                    categories.clone(),
                ),
            ]
        })
        .collect();
    let steps = (0..input.step_intervention.len().min(max) + 2)
        .map(|r| {
            vec![
                cell(
                    "step_intervention",
                    r,
                    "field-intervention",
                    "select",
                    &input.step_intervention,
                    n.interventions.clone(),
                ),
                cell(
                    "step_start",
                    r,
                    "field-start-date",
                    "date",
                    &input.step_start,
                    vec![],
                ),
                cell(
                    "step_end",
                    r,
                    "field-end-date",
                    "date",
                    &input.step_end,
                    vec![],
                ),
                cell(
                    "step_organisation",
                    r,
                    "field-responsible-organisation",
                    "select",
                    &input.step_organisation,
                    n.organisations.clone(),
                ),
                cell(
                    "step_user",
                    r,
                    "field-responsible-person",
                    "select",
                    &input.step_user,
                    n.staff.clone(),
                ),
                cell(
                    "step_note",
                    r,
                    "field-note",
                    "text",
                    &input.step_note,
                    vec![],
                ),
            ]
        })
        .collect();
    let reviews = (0..input.review_date.len().min(max) + 1)
        .map(|r| {
            vec![
                cell(
                    "review_date",
                    r,
                    "field-review-date",
                    "date",
                    &input.review_date,
                    vec![],
                ),
                cell(
                    "review_participants",
                    r,
                    "field-review-participants",
                    "text",
                    &input.review_participants,
                    vec![],
                ),
                cell(
                    "review_notes",
                    r,
                    "field-review-notes",
                    "textarea",
                    &input.review_notes,
                    vec![],
                ),
                cell(
                    "review_decisions",
                    r,
                    "field-review-decisions",
                    "textarea",
                    &input.review_decisions,
                    vec![],
                ),
            ]
        })
        .collect();
    let list = errors
        .0
        .iter()
        .map(|e| {
            let (name, row) = e.field.rsplit_once('.').unwrap_or((e.field.as_str(), "0"));
            (format!("f-{name}-{row}"), t.get(e.code))
        })
        .collect();
    let page = PlanFormPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("plan-edit"),
            "participants",
            &format!("/participants/{pid}/plan/edit"),
        ),
        errors: list,
        action: format!("/participants/{pid}/plan/edit"),
        back: format!("/participants/{pid}/plan"),
        goals,
        steps,
        reviews,
        interests: palett_domain::occupations::areas()
            .iter()
            .map(|a| {
                (
                    a.code.clone(),
                    a.name(t.lang.code()).to_string(),
                    input.interest.contains(&a.code),
                )
            })
            .collect(),
        interest_error: errors.for_field("interest.0").map(|c| t.get(c)),
        reach: reach_choices(municipalities, &input.reach),
        reach_other: CellField {
            id: "f-reach-0".into(),
            name: "reach".into(),
            label: t.get("plan-reach-other"),
            kind: "text",
            value: input
                .reach
                .iter()
                .find(|r| optional_text(r, TextKind::NAME).is_err())
                .cloned()
                .unwrap_or_default(),
            options: Vec::new(),
            error: errors.for_field("reach.0").map(|c| t.get(c)),
        },
        enrol_steps,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

/// The municipalities a plan form offers to tick: the registry's, then
/// those of hers it lacks, each once by its key; hers are ticked. An entry
/// that is not a valid name is left to the text field.
fn reach_choices(registry: &[String], hers: &[String]) -> Vec<(String, bool)> {
    let chosen: Vec<String> = hers
        .iter()
        .filter(|r| matches!(optional_text(r, TextKind::NAME), Ok(Some(_))))
        .map(|r| r.trim().to_string())
        .collect();
    let mut out: Vec<(String, bool)> = Vec::new();
    for name in registry.iter().chain(chosen.iter()) {
        let key = place_key(name);
        if !out.iter().any(|(n, _)| place_key(n) == key) {
            out.push((name.clone(), chosen.iter().any(|c| place_key(c) == key)));
        }
    }
    out
}

pub async fn plan_form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let current = match s.app.plan_versions(&c.ctx(), pid).await {
        Ok(v) => v
            .into_iter()
            .next()
            .map(|(_, p)| PlanInput::from_plan(&p))
            .unwrap_or_default(),
        Err(e) => return Err(e.into()),
    };
    let n = names(&s, &c).await?;
    let m = municipalities(&s, &c).await?;
    Ok(plan_form_page(
        &c,
        &n,
        &m,
        pid,
        &current,
        &FieldErrors::new(),
        true,
    ))
}

pub async fn plan_save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<PlanInput>();
    // An unticked box sends nothing: no enrolments.
    let enrol = palett_domain::values::parse_flag(&form.get("enrol_steps")).unwrap_or(false);
    Ok(
        match submit(input.draft(), async |draft| {
            s.app.save_plan_with(&c.ctx(), pid, &draft, enrol).await
        })
        .await?
        {
            Ok((_, made)) => {
                let done = if made.is_empty() {
                    "plan"
                } else {
                    "plan-enrolled"
                };
                Redirect::to(&format!("/participants/{pid}/plan?done={done}")).into_response()
            }
            Err(errors) => {
                let n = names(&s, &c).await?;
                let m = municipalities(&s, &c).await?;
                plan_form_page(&c, &n, &m, pid, &input, &errors, enrol)
            }
        },
    )
}
