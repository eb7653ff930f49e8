use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::palette::{EnrolmentStatus, Intervention};
use palett_domain::path::{
    ActivityInput, Enrol, EnrolInput, EnrolmentChangeInput, PlannedEndInput,
};
use palett_domain::Parsed;

// ---------------------------------------------------------------- enrolments, period, activities

/// The required choice of one of these interventions.
fn intervention_select<'a>(t: Tr, palette: impl Iterator<Item = &'a Intervention>) -> FieldView {
    FieldView::new(t, "intervention_id", "field-intervention", "select")
        .required()
        .options(
            palette
                .map(|i| (i.id.to_string(), i.name.clone()))
                .collect(),
        )
}

pub(crate) async fn enrol_spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let palette = s.app.palette(&c.ctx(), false).await?;
    let groups: Vec<(String, String)> = s
        .app
        .groups(&c.ctx())
        .await?
        .into_iter()
        .map(|g| {
            (
                g.id.to_string(),
                format!("{}: {}", g.intervention_name, g.name),
            )
        })
        .collect();
    let fields = vec![
        intervention_select(t, palette.iter()),
        FieldView::new(t, "group_id", "field-group", "select")
            .options(groups)
            .hint(t, "hint-group"),
        FieldView::new(t, "start_date", "field-start-date", "date"),
        FieldView::new(t, "end_date", "field-end-date", "date"),
        FieldView::new(t, "add_to_plan", "field-add-to-plan", "checkbox")
            .hint(t, "hint-add-to-plan"),
    ];
    Ok(admin_spec(
        t,
        t.get("enrol"),
        "participants",
        format!("/participants/{pid}/enrolments/new"),
        fields,
        &format!("/participants/{pid}"),
    ))
}

pub async fn enrol_form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    s.app.enrolments(&c.ctx(), pid).await?;
    // Added to her plan by default when she has one.
    let has_plan = !s.app.plan_versions(&c.ctx(), pid).await?.is_empty();
    let spec = enrol_spec(&s, &c, pid).await?;
    let defaults = FormData(vec![("add_to_plan".into(), has_plan.to_string())]);
    Ok(spec.blank(&c, &defaults))
}

pub async fn enrol(State(s): State<AppState>, c: Caller, Id(pid): Id, form: FormData) -> Answer {
    let (cmd, add) = enrolment_command(&form);
    Ok(
        match submit(cmd, async |cmd| {
            s.app.enrol_with_step(&c.ctx(), pid, &cmd, add).await
        })
        .await?
        {
            Ok(_) if add => {
                Redirect::to(&format!("/participants/{pid}?done=enrolment-planned")).into_response()
            }
            Ok(_) => Redirect::to(&format!("/participants/{pid}?done=enrolment")).into_response(),
            Err(errors) => {
                let spec = enrol_spec(&s, &c, pid).await?;
                spec.invalid(&c, &form, &errors)
            }
        },
    )
}

/// An enrolment as sent (form or JSON body), and whether to add it as a
/// step of her plan (`add_to_plan`); a bad flag is an error of its own.
pub(crate) fn enrolment_command(form: &FormData) -> (Parsed<Enrol>, bool) {
    let cmd = form.input::<EnrolInput>().parse();
    match palett_domain::values::parse_flag(&form.get("add_to_plan")) {
        Ok(add) => (cmd, add),
        Err(code) => {
            let mut e = cmd.err().unwrap_or_default();
            e.push("add_to_plan", code);
            (Err(e), false)
        }
    }
}

pub(crate) fn enrolment_spec(t: Tr, eid: i64, next: &[EnrolmentStatus], back: &str) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "status", "field-status", "select")
            .required()
            .options(
                next.iter()
                    .map(|s| (s.as_str().to_string(), t.get(&s.message_id())))
                    .collect(),
            ),
        FieldView::new(t, "reason", "field-reason", "textarea").hint(t, "hint-discontinue-reason"),
    ];
    admin_spec(
        t,
        t.get("enrolment-change"),
        "participants",
        format!("/enrolments/{eid}/status"),
        fields,
        back,
    )
}

pub(crate) async fn enrolment_of(
    s: &AppState,
    c: &Caller,
    eid: i64,
) -> Result<palett_app::palette::EnrolmentRow, AppError> {
    s.app.enrolment(&c.ctx(), eid).await
}

pub async fn enrolment_form(State(s): State<AppState>, c: Caller, Id(eid): Id) -> Answer {
    let e = s.app.enrolment_to_change(&c.ctx(), eid).await?;
    Ok(enrolment_spec(
        c.tr(),
        eid,
        e.status.next(),
        &format!("/participants/{}", e.participant_id),
    )
    .blank(&c, &FormData::default()))
}

pub async fn enrolment_change(
    State(s): State<AppState>,
    c: Caller,
    Id(eid): Id,
    form: FormData,
) -> Answer {
    let en = enrolment_of(&s, &c, eid).await?;
    let cmd = form.input::<EnrolmentChangeInput>().parse();
    Ok(
        match submit(cmd, async |cmd| {
            s.app.change_enrolment(&c.ctx(), eid, &cmd).await
        })
        .await?
        {
            Ok(_) => Redirect::to(&format!(
                "/participants/{}?done=enrolment",
                en.participant_id
            ))
            .into_response(),
            Err(errors) => enrolment_spec(
                c.tr(),
                eid,
                en.status.next(),
                &format!("/participants/{}", en.participant_id),
            )
            .invalid(&c, &form, &errors),
        },
    )
}

pub(crate) fn period_spec(t: Tr, pid: i64) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "planned_end", "field-planned-end", "date").required(),
        FieldView::new(t, "reason", "field-reason", "textarea").hint(t, "hint-extension-reason"),
    ];
    admin_spec(
        t,
        t.get("period-change"),
        "participants",
        format!("/participants/{pid}/period"),
        fields,
        &format!("/participants/{pid}"),
    )
}

pub async fn period_form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let p = s.app.period(&c.ctx(), pid).await?;
    let defaults = FormData(vec![(
        "planned_end".into(),
        p.planned_end.map(|d| d.to_string()).unwrap_or_default(),
    )]);
    Ok(period_spec(c.tr(), pid).blank(&c, &defaults))
}

pub async fn period_save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    form: FormData,
) -> Answer {
    let cmd = form.input::<PlannedEndInput>().parse();
    Ok(
        match submit(cmd, async |cmd| {
            s.app.set_planned_end(&c.ctx(), pid, &cmd).await
        })
        .await?
        {
            Ok(()) => Redirect::to(&format!("/participants/{pid}?done=saved")).into_response(),
            Err(errors) => period_spec(c.tr(), pid).invalid(&c, &form, &errors),
        },
    )
}

pub(crate) async fn activity_spec(
    s: &AppState,
    c: &Caller,
    pid: i64,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let palette = s.app.palette(&c.ctx(), false).await?;
    let fields = vec![
        intervention_select(t, palette.iter().filter(|i| !i.group_based)),
        FieldView::new(t, "on_date", "field-date", "date").required(),
        FieldView::new(t, "hours", "field-hours", "text")
            .required()
            .hint(t, "hint-hours"),
        FieldView::new(t, "note", "field-note", "textarea"),
    ];
    Ok(admin_spec(
        t,
        t.get("activity-new"),
        "participants",
        format!("/participants/{pid}/activities/new"),
        fields,
        &format!("/participants/{pid}"),
    ))
}

pub async fn activity_form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    s.app.enrolments(&c.ctx(), pid).await?;
    let defaults = FormData(vec![("on_date".into(), s.app.today().to_string())]);
    let spec = activity_spec(&s, &c, pid).await?;
    Ok(spec.blank(&c, &defaults))
}

pub async fn activity_save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    form: FormData,
) -> Answer {
    let cmd = form.input::<ActivityInput>().parse(s.app.today());
    Ok(
        match submit(cmd, async |cmd| {
            s.app.record_activity(&c.ctx(), pid, &cmd).await
        })
        .await?
        {
            Ok(_) => Redirect::to(&format!("/participants/{pid}?done=activity")).into_response(),
            Err(errors) => {
                let spec = activity_spec(&s, &c, pid).await?;
                spec.invalid(&c, &form, &errors)
            }
        },
    )
}
