use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, render, submitted, FormSpec};
use axum::extract::State;
use palett_app::AppError;
use palett_domain::admin::ProjectInput;

pub(crate) fn project_spec(t: Tr) -> FormSpec {
    admin_spec(
        t,
        t.get("project-new"),
        "projects",
        "/projects/new".into(),
        project_fields(t),
        "/projects",
    )
}

pub async fn projects(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let o = s.app.overview(&c.ctx()).await?;
    let mut page = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-projects"), "projects", "/projects"),
    );
    let manage = c.signed.actor.can_manage_projects();
    if manage {
        page.links
            .push(("/projects/new".into(), t.get("project-new")));
    }
    page.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-funder"),
            t.get("field-period"),
            t.get("fig-enrolled"),
            t.get("field-participant-target"),
            t.get("fig-ended"),
            t.get("fig-to-job-or-studies"),
            t.get("field-job-or-studies-target"),
        ]
        .into_iter()
        .chain(manage.then(|| t.get("actions")))
        .collect(),
        rows: o
            .projects
            .into_iter()
            .map(|(p, sum)| {
                let edit = manage.then(|| {
                    Cell::link(
                        t.with("project-edit-named", &[("name", p.name.clone())]),
                        format!("/projects/{}/edit", p.id),
                    )
                });
                let mut row = vec![
                    Cell::link(p.name, format!("/projects/{}/dashboard", p.id)),
                    Cell::text(p.funder),
                    Cell::text(format!("{} – {}", p.start_date, p.end_date)),
                    Cell::text(t.number(sum.enrolled)),
                    Cell::text(
                        p.participant_target
                            .map(|v| t.number(v))
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(t.number(sum.ended)),
                    Cell::text(format!(
                        "{}{}",
                        t.number(sum.ended_to_job_or_studies),
                        sum.share_to_job_or_studies
                            .map(|v| format!(" ({})", t.percent(v)))
                            .unwrap_or_default()
                    )),
                    Cell::text(
                        p.job_or_studies_target
                            .map(|v| t.percent(v))
                            .unwrap_or_else(|| "–".into()),
                    ),
                ];
                row.extend(edit);
                row
            })
            .collect(),
    });
    Ok(render(page))
}

pub(crate) fn project_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "funder", "field-funder", "text").required(),
        FieldView::new(t, "start_date", "field-start-date", "date").required(),
        FieldView::new(t, "end_date", "field-end-date", "date").required(),
        FieldView::new(
            t,
            "participant_target",
            "field-participant-target",
            "number",
        ),
        FieldView::new(
            t,
            "job_or_studies_target",
            "field-job-or-studies-target",
            "number",
        )
        .hint(t, "hint-percent"),
    ]
}

pub async fn project_form(c: Caller) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_manage_projects() {
        return Err(AppError::Forbidden.into());
    }
    Ok(project_spec(t).blank(&c, &FormData::default()))
}

pub async fn project_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let input = form.input::<ProjectInput>().parse();
    let outcome = s.app.create_project(&c.ctx(), input).await.or_invalid()?;
    Ok(submitted(&c, &form, outcome, "/projects", || {
        project_spec(c.tr())
    }))
}

pub(crate) fn project_edit_spec(t: Tr, id: i64) -> FormSpec {
    admin_spec(
        t,
        t.get("project-edit"),
        "projects",
        format!("/projects/{id}/edit"),
        project_fields(t),
        "/projects",
    )
}

pub async fn project_edit_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    let input = s.app.project_input(&c.ctx(), id).await?;
    let form = FormData(
        [
            ("name", input.name),
            ("funder", input.funder),
            ("start_date", input.start_date),
            ("end_date", input.end_date),
            ("participant_target", input.participant_target),
            ("job_or_studies_target", input.job_or_studies_target),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    );
    Ok(project_edit_spec(t, id).blank(&c, &form))
}

pub async fn project_update(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<ProjectInput>().parse();
    let outcome = s
        .app
        .update_project(&c.ctx(), id, input)
        .await
        .or_invalid()?;
    Ok(submitted(&c, &form, outcome, "/projects", || {
        project_edit_spec(c.tr(), id)
    }))
}
