use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::{Cell, FieldView, Layout, Table, TablePage};
use crate::ui::{admin_spec, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_domain::selfassessment::{change, Aspect, SelfAssessment, SelfAssessmentInput, SCALE};
use palett_domain::FieldErrors;

pub(crate) fn list_path(pid: i64) -> String {
    format!("/participants/{pid}/self-assessments")
}

/// Her self-assessments, oldest first, with the change from the first.
pub async fn of_participant(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let t = c.tr();
    let list = s.app.self_assessments(&c.ctx(), pid).await?;
    let path = list_path(pid);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("self-assessments"), "participants", &path),
    );
    p.intro = Some(match change(&list) {
        Some(d) => t.with(
            "self-assessment-change",
            &[
                ("change", format!("{d:+}")),
                ("count", list.len().to_string()),
            ],
        ),
        None => t.get("self-assessments-intro"),
    });
    p.links
        .push((format!("/participants/{pid}"), t.get("back-to-participant")));
    // The form only for those who may change her record.
    if s.app.may_change_participant(&c.ctx(), pid).await.is_ok() {
        p.links
            .push((format!("{path}/new"), t.get("self-assessment-new")));
    }
    p.tables.push(table(t, None, &list));
    Ok(render(p))
}

/// Self-assessments, oldest first: the date, each aspect's score, the
/// total.
pub(crate) fn table(t: Tr, heading: Option<String>, list: &[SelfAssessment]) -> Table {
    Table {
        heading,
        head: std::iter::once(t.get("self-assessment-on"))
            .chain(
                Aspect::ALL
                    .iter()
                    .map(|a| t.get(&format!("{}-short", a.message_id()))),
            )
            .chain(std::iter::once(t.get("self-assessment-total")))
            .chain(std::iter::once(t.get("self-assessment-by")))
            .collect(),
        rows: list
            .iter()
            .map(|a| {
                std::iter::once(a.on.to_string())
                    .chain(a.scores.iter().map(|s| s.to_string()))
                    .chain(std::iter::once(a.total().to_string()))
                    .chain(std::iter::once(t.get(if a.by_participant {
                        "self-assessment-by-her"
                    } else {
                        "self-assessment-with-staff"
                    })))
                    .map(Cell::text)
                    .collect()
            })
            .collect(),
    }
}

pub(crate) fn fields(t: Tr) -> Vec<FieldView> {
    let scale: Vec<(String, String)> = (SCALE.0..=SCALE.1)
        .map(|v| (v.to_string(), t.get(&format!("self-assessment-scale-{v}"))))
        .collect();
    std::iter::once(FieldView::new(t, "on", "self-assessment-on", "date").required())
        .chain(Aspect::ALL.iter().map(|a| {
            FieldView::new(t, a.as_str(), &a.message_id(), "select")
                .options(scale.clone())
                .required()
        }))
        .collect()
}

pub(crate) async fn form_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    // Only those who may change her record get the form.
    s.app.may_change_participant(&c.ctx(), pid).await?;
    let mut values = form.clone();
    if form.0.is_empty() {
        values.0.push(("on".into(), s.app.today().to_string()));
    }
    let path = list_path(pid);
    let mut spec = admin_spec(
        t,
        t.get("self-assessment-new"),
        "participants",
        format!("{path}/new"),
        fields(t),
        &path,
    );
    spec.intro = Some(t.get("self-assessment-form-intro"));
    let status = if errors.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(spec.show(c, status, &values, errors))
}

pub async fn form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    form_page(&s, &c, pid, &FormData::default(), &FieldErrors::new()).await
}

pub async fn save(State(s): State<AppState>, c: Caller, Id(pid): Id, form: FormData) -> Answer {
    let input = SelfAssessmentInput {
        on: form.get("on"),
        scores: Aspect::ALL.iter().map(|a| form.get(a.as_str())).collect(),
    };
    let scored = input.parse(s.app.today());
    Ok(
        match submit(scored, async |scored| {
            s.app.record_self_assessment(&c.ctx(), pid, &scored).await
        })
        .await?
        {
            Ok(_) => Redirect::to(&list_path(pid)).into_response(),
            Err(errors) => form_page(&s, &c, pid, &form, &errors).await?,
        },
    )
}
