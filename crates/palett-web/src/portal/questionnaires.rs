//! Her questionnaires: those the project asks her to answer and those she
//! answered; she fills one in herself, in her language where the
//! questionnaire has it.

use super::pages::{layout, notice, DoneQuery};
use super::InPortal;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::questionnaire::{error_rows, form_view, FormView};
use crate::ui::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::FieldErrors;

#[derive(Template)]
#[template(path = "portal/questionnaires.html")]
struct ListPage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    /// (address, title) of those waiting for her.
    waiting: Vec<(String, String)>,
    /// What she answered, newest first.
    answered: Vec<String>,
    /// (address, title) of the others she may fill in.
    other: Vec<(String, String)>,
}

pub async fn list(State(s): State<AppState>, p: InPortal, Query(q): Query<DoneQuery>) -> Answer {
    let t = p.tr();
    let list = s.app.her_questionnaires(&p.her, p.ip()).await?;
    // Each title in her language where the questionnaire has it.
    let code = p.visitor.lang.code();
    let title = |id: i64, swedish: &str| -> String {
        list.titles
            .get(&id)
            .map(|l| l.get(code, "sv").to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| swedish.to_string())
    };
    let mut waiting: Vec<(String, String)> = Vec::new();
    for d in &list.due {
        let href = format!("/portal/questionnaires/{}", d.instrument_id);
        if !waiting.iter().any(|(h, _)| *h == href) {
            waiting.push((href, title(d.instrument_id, &d.title)));
        }
    }
    let other = list
        .instruments
        .iter()
        .map(|(id, t)| (format!("/portal/questionnaires/{id}"), title(*id, t)))
        .filter(|(href, _)| !waiting.iter().any(|(h, _)| h == href))
        .collect();
    let page = ListPage {
        t,
        layout: layout(
            &p,
            "portal-questionnaires-title",
            "questionnaires",
            "/portal/questionnaires",
        ),
        notice: notice(t, &q),
        waiting,
        answered: list
            .answered
            .iter()
            .rev()
            .map(|a| {
                t.with(
                    "portal-questionnaire-line",
                    &[
                        ("title", title(a.response.instrument_id, &a.title)),
                        ("day", t.date(a.response.on)),
                    ],
                )
            })
            .collect(),
        other,
    };
    Ok(render(page))
}

#[derive(Template)]
#[template(path = "portal/questionnaire.html")]
struct FormPage {
    t: Tr,
    layout: PortalLayout,
    action: String,
    errors: Vec<(String, String, String, String)>,
    q: FormView,
    required_text: String,
}

async fn form_page(
    s: &AppState,
    p: &InPortal,
    id: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    let t = p.tr();
    let (version, _) = s.app.her_questionnaire(&p.her, id).await?;
    let d = &version.definition;
    let lang = d.language_for(p.visitor.lang.code()).to_string();
    let path = format!("/portal/questionnaires/{id}");
    let q = form_view(t, d, &lang, form, errors);
    let mut page = FormPage {
        t,
        layout: layout(p, "portal-questionnaires-title", "questionnaires", &path),
        action: path,
        errors: error_rows(&q),
        q,
        required_text: t.get("portal-required"),
    };
    page.layout.title = version.row.title.clone();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(page)).into_response())
}

pub async fn form(State(s): State<AppState>, p: InPortal, Id(id): Id) -> Answer {
    form_page(&s, &p, id, &FormData::default(), &FieldErrors::new()).await
}

pub async fn save(State(s): State<AppState>, p: InPortal, Id(id): Id, form: FormData) -> Answer {
    let raw = |name: &str| form.all(name);
    match s
        .app
        .record_her_questionnaire(&p.her, p.ip(), id, p.visitor.lang.code(), &raw)
        .await
    {
        Ok(_) => Ok(Redirect::to("/portal/questionnaires?done=questionnaire").into_response()),
        Err(AppError::Invalid(e)) => form_page(&s, &p, id, &form, &e).await,
        Err(e) => Err(e.into()),
    }
}
