//! The instruments: the list, uploading an XLSForm (every problem named by
//! sheet, row and column), one instrument with its versions and the
//! projects that schedule it, publishing and discarding a draft, a version
//! previewed in any of its languages and downloaded as XLSForm.

use crate::document::xlsform as file;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::FormData;
use crate::http::{AppState, Id, Segment};
use crate::i18n::Tr;
use crate::ui::questionnaire::{form_view, language_name, FormView};
use crate::ui::render;
use crate::ui::views::{Block, Cell, FieldView, FormBlock, Layout, Table, TablePage};
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::xlsform::{self, XlsError};
use palett_domain::FieldErrors;

pub(crate) fn path(id: i64) -> String {
    format!("/questionnaires/{id}")
}

/// A version number from the path; anything else is unknown (404).
pub(crate) fn number(s: &Segment) -> Result<i64, WebError> {
    s.0.parse().map_err(|_| WebError::not_found())
}

/// The partnership's instruments.
pub async fn list(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let list = s.app.instruments(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("questionnaires"),
            "questionnaires",
            "/questionnaires",
        ),
    );
    p.intro = Some(t.get("questionnaires-intro"));
    if c.signed.actor.can_design_instruments() {
        p.links.push((
            "/questionnaires/upload".into(),
            t.get("questionnaire-upload"),
        ));
    }
    if c.signed.actor.sees_participants() {
        p.links
            .push(("/questionnaires/due".into(), t.get("questionnaires-due")));
    }
    if c.signed.actor.can_export_research() {
        p.links.push((
            "/exports/research/answers".into(),
            t.get("research-answers"),
        ));
    }
    p.tables.push(Table::headed(
        t,
        "questionnaires-all",
        &[
            "questionnaire-title",
            "questionnaire-name",
            "questionnaire-published",
            "questionnaire-draft",
            "questionnaire-responses",
            "questionnaire-results",
        ],
        list.iter()
            .map(|i| {
                vec![
                    Cell::link(i.title.clone(), path(i.id)),
                    Cell::text(i.name.clone()),
                    Cell::text(i.published.map_or_else(
                        || t.get("questionnaire-none"),
                        |v| t.with("questionnaire-version", &[("version", v.to_string())]),
                    )),
                    Cell::text(i.draft.map_or_else(String::new, |v| {
                        t.with("questionnaire-version", &[("version", v.to_string())])
                    })),
                    Cell::text(t.number(i.responses)),
                    Cell::link(
                        t.get("questionnaire-results"),
                        format!("{}/results", path(i.id)),
                    ),
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

#[derive(Template)]
#[template(path = "questionnaire_upload.html")]
struct UploadPage {
    t: Tr,
    layout: Layout,
    /// The file's problems: (sheet, row, column, message).
    problems: Vec<(String, String, String, String)>,
    /// A message about the file as a whole.
    alert: Option<String>,
    /// How many problems were found.
    heading: String,
}

/// An XLSForm problem in the reader's language.
fn problem(t: Tr, e: &XlsError) -> (String, String, String, String) {
    let row = if e.row == 0 {
        String::new()
    } else {
        e.row.to_string()
    };
    (
        e.sheet.clone(),
        row,
        e.column.clone(),
        t.with(e.code, &[("value", e.value.clone())]),
    )
}

fn upload_page(
    c: &Caller,
    status: StatusCode,
    problems: &[XlsError],
    alert: Option<&str>,
) -> Answer {
    if !c.signed.actor.can_design_instruments() {
        return Err(AppError::Forbidden.into());
    }
    let t = c.tr();
    let page = UploadPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("questionnaire-upload"),
            "questionnaires",
            "/questionnaires/upload",
        ),
        problems: problems.iter().map(|e| problem(t, e)).collect(),
        alert: alert.map(|id| t.get(id)),
        heading: t.with(
            "questionnaire-problems",
            &[("count", problems.len().to_string())],
        ),
    };
    Ok((status, render(page)).into_response())
}

pub async fn upload_form(c: Caller) -> Answer {
    upload_page(&c, StatusCode::OK, &[], None)
}

/// The uploaded file's bytes (the `file` field), if one came.
async fn uploaded(mut m: Multipart) -> Option<Vec<u8>> {
    while let Ok(Some(field)) = m.next_field().await {
        if field.name() == Some("file") {
            return field.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    None
}

/// Read the XLSForm; a new instrument or version (a draft) when it holds,
/// else the page again with every problem by sheet, row and column.
pub async fn upload(State(s): State<AppState>, c: Caller, m: Multipart) -> Answer {
    if !c.signed.actor.can_design_instruments() {
        return Err(AppError::Forbidden.into());
    }
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(bytes) = uploaded(m).await.filter(|b| !b.is_empty()) else {
        return upload_page(&c, bad, &[], Some("questionnaire-file-missing"));
    };
    let Ok(sheets) = file::read(&bytes) else {
        return upload_page(&c, bad, &[], Some("questionnaire-file-unreadable"));
    };
    let instrument = match xlsform::read(&sheets) {
        Ok(i) => i,
        Err(problems) => return upload_page(&c, bad, &problems, None),
    };
    match s.app.upload_instrument(&c.ctx(), &instrument).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "{}?uploaded={}",
            path(done.instrument_id),
            done.version
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let problems: Vec<XlsError> =
                e.0.iter()
                    .map(|f| XlsError {
                        sheet: "settings".into(),
                        row: 0,
                        column: f.field.clone(),
                        code: f.code,
                        value: f
                            .args
                            .iter()
                            .find(|(k, _)| *k == "detail")
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default(),
                    })
                    .collect();
            upload_page(&c, bad, &problems, None)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    uploaded: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    scheduled: Option<String>,
}

/// One instrument: its versions, what can be done with them, and the
/// projects that schedule it.
pub async fn instrument(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(done): Query<Done>,
) -> Answer {
    let t = c.tr();
    let page = s.app.instrument(&c.ctx(), id).await?;
    let here = path(id);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, page.instrument.title.clone(), "questionnaires", &here),
    );
    if let Some(v) = done.uploaded {
        p.blocks.push(Block::Text(
            t.with("questionnaire-uploaded", &[("version", v)]),
        ));
    }
    if let Some(v) = done.published {
        p.blocks.push(Block::Text(
            t.with("questionnaire-was-published", &[("version", v)]),
        ));
    }
    if done.scheduled.is_some() {
        p.blocks
            .push(Block::Text(t.get("questionnaire-was-scheduled")));
    }
    p.intro = Some(if page.instrument.builtin {
        t.get("questionnaire-builtin")
    } else {
        t.get("questionnaire-versions-intro")
    });
    p.links
        .push((format!("{here}/results"), t.get("questionnaire-results")));
    let design = c.signed.actor.can_design_instruments() && !page.instrument.builtin;
    if design {
        p.links.push((
            "/questionnaires/upload".into(),
            t.get("questionnaire-upload"),
        ));
    }
    if c.signed.actor.can_manage_projects() && !page.projects.is_empty() {
        p.links
            .push((format!("{here}/schedule"), t.get("questionnaire-schedule")));
    }
    p.links
        .push(("/questionnaires".into(), t.get("questionnaires")));
    let draft = page.versions.iter().find(|v| v.row.published_at.is_none());
    if let (true, Some(d)) = (design, draft) {
        let n = d.row.version;
        p.blocks.push(Block::Form(FormBlock {
            action: format!("{here}/versions/{n}/publish"),
            hint: Some(t.with("questionnaire-publish-hint", &[("version", n.to_string())])),
            submit: t.with("questionnaire-publish", &[("version", n.to_string())]),
            ..FormBlock::default()
        }));
        p.blocks.push(Block::Form(FormBlock {
            action: format!("{here}/versions/{n}/discard"),
            submit: t.with("questionnaire-discard", &[("version", n.to_string())]),
            secondary: true,
            ..FormBlock::default()
        }));
    }
    p.tables.push(Table::headed(
        t,
        "questionnaire-versions",
        &[
            "questionnaire-version-number",
            "questionnaire-title",
            "questionnaire-state",
            "questionnaire-languages-list",
            "questionnaire-items",
            "questionnaire-responses",
            "questionnaire-xlsform",
        ],
        page.versions
            .iter()
            .map(|v| {
                let n = v.row.version;
                vec![
                    Cell::link(
                        t.with("questionnaire-version", &[("version", n.to_string())]),
                        format!("{here}/versions/{n}"),
                    ),
                    Cell::text(v.row.title.clone()),
                    Cell::text(match v.row.published_at {
                        Some(at) => t.with(
                            "questionnaire-published-on",
                            &[("day", crate::ui::when(at))],
                        ),
                        None => t.get("questionnaire-state-draft"),
                    }),
                    Cell::text(
                        v.definition
                            .languages
                            .iter()
                            .map(|l| language_name(l))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(t.number(v.definition.items().count() as i64)),
                    Cell::text(t.number(v.row.responses)),
                    Cell::link(
                        t.get("questionnaire-download-xlsform"),
                        format!("{here}/versions/{n}/xlsform"),
                    ),
                ]
            })
            .collect(),
    ));
    p.tables.push(Table::headed(
        t,
        "questionnaire-schedules",
        &[
            "field-project",
            "questionnaire-at-intake",
            "questionnaire-every-months",
            "questionnaire-at-exit",
            "questionnaire-follow-up-months",
        ],
        page.schedules
            .iter()
            .map(|s| {
                let yes = |b: bool| t.get(if b { "yes" } else { "no" });
                vec![
                    Cell::text(s.project_name.clone()),
                    Cell::text(yes(s.at_intake)),
                    Cell::text(s.every_months.map(|m| m.to_string()).unwrap_or_default()),
                    Cell::text(yes(s.at_exit)),
                    Cell::text(
                        s.follow_up_months
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

/// Publish the draft: from then on it never changes. Sent twice (or by
/// two people at once), the version is published all the same, and the
/// page says so.
pub async fn publish(State(s): State<AppState>, c: Caller, Id(id): Id, v: Segment) -> Answer {
    let n = number(&v)?;
    match s.app.publish_instrument(&c.ctx(), id, n).await {
        Ok(()) | Err(AppError::Invalid(_)) => {
            Ok(Redirect::to(&format!("{}?published={n}", path(id))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The version as an XLSForm workbook.
pub async fn download(State(s): State<AppState>, c: Caller, Id(id): Id, v: Segment) -> Answer {
    let n = number(&v)?;
    let version = s.app.instrument_version(&c.ctx(), id, n).await?;
    let bytes = file::write(&xlsform::write(&version.definition))
        .map_err(|e| AppError::internal(format!("writing an XLSForm: {e}")))?;
    let name = format!("{}-v{n}.xlsx", version.definition.name);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
pub(crate) struct QuestionnairePage {
    pub t: Tr,
    pub layout: Layout,
    pub intro: Option<String>,
    /// (href, name, code, current) of each language it is given in.
    pub languages: Vec<(String, String, String, bool)>,
    /// (anchor, label, message, the label's language or empty).
    pub errors: Vec<(String, String, String, String)>,
    /// Where the answers go; none for a preview.
    pub action: Option<String>,
    /// The fields about the response (wave, day, how it was filled).
    pub fields: Vec<FieldView>,
    pub q: FormView,
    pub required_text: String,
    pub submit: String,
    pub cancel: String,
}

#[derive(serde::Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: String,
}

/// The links that show the form in each of its languages.
pub(crate) fn language_links(
    d: &palett_domain::instrument::Instrument,
    base: &str,
    current: &str,
) -> Vec<(String, String, String, bool)> {
    d.languages
        .iter()
        .map(|l| {
            let sep = if base.contains('?') { '&' } else { '?' };
            (
                format!("{base}{sep}lang={l}"),
                language_name(l),
                l.clone(),
                l == current,
            )
        })
        .collect()
}

/// A version as its form, in any of its languages, without answers.
pub async fn preview(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    v: Segment,
    Query(q): Query<LangQuery>,
) -> Answer {
    let t = c.tr();
    let n = number(&v)?;
    let version = s.app.instrument_version(&c.ctx(), id, n).await?;
    let d = &version.definition;
    let lang = d.language_for(&q.lang).to_string();
    let base = format!("{}/versions/{n}", path(id));
    let page = QuestionnairePage {
        t,
        layout: Layout::for_caller(
            &c,
            t.with(
                "questionnaire-preview-title",
                &[
                    ("title", version.row.title.clone()),
                    ("version", n.to_string()),
                ],
            ),
            "questionnaires",
            &base,
        ),
        intro: Some(t.get("questionnaire-preview-intro")),
        languages: language_links(d, &base, &lang),
        errors: Vec::new(),
        action: None,
        fields: Vec::new(),
        q: form_view(t, d, &lang, &FormData::default(), &FieldErrors::new()),
        required_text: t.get("required"),
        submit: String::new(),
        cancel: path(id),
    };
    Ok(render(page))
}

/// The schedule form: a project and when it asks.
fn schedule_fields(t: Tr, projects: &[(i64, String)]) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "project", "field-project", "select")
            .options(
                projects
                    .iter()
                    .map(|(id, n)| (id.to_string(), n.clone()))
                    .collect(),
            )
            .required(),
        FieldView::new(t, "at_intake", "questionnaire-at-intake", "checkbox"),
        FieldView::new(t, "every_months", "questionnaire-every-months", "number")
            .hint(t, "questionnaire-every-months-hint"),
        FieldView::new(t, "at_exit", "questionnaire-at-exit", "checkbox"),
        FieldView::new(
            t,
            "follow_up_months",
            "questionnaire-follow-up-months",
            "number",
        )
        .hint(t, "questionnaire-follow-up-months-hint"),
        FieldView::new(t, "remove", "questionnaire-schedule-remove", "checkbox"),
    ]
}

async fn schedule_page(
    s: &AppState,
    c: &Caller,
    id: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    if !c.signed.actor.can_manage_projects() {
        return Err(AppError::Forbidden.into());
    }
    let t = c.tr();
    let page = s.app.instrument(&c.ctx(), id).await?;
    let here = path(id);
    let mut spec = crate::ui::admin_spec(
        t,
        t.with(
            "questionnaire-schedule-title",
            &[("title", page.instrument.title.clone())],
        ),
        "questionnaires",
        format!("{here}/schedule"),
        schedule_fields(t, &page.projects),
        &here,
    );
    spec.intro = Some(t.get("questionnaire-schedule-intro"));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(spec.show(c, status, form, errors))
}

pub async fn schedule_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let defaults = FormData(vec![
        ("at_intake".into(), "true".into()),
        ("at_exit".into(), "true".into()),
        ("follow_up_months".into(), "6".into()),
    ]);
    schedule_page(&s, &c, id, &defaults, &FieldErrors::new()).await
}

pub async fn schedule(State(s): State<AppState>, c: Caller, Id(id): Id, form: FormData) -> Answer {
    let Ok(project) = form.get("project").trim().parse::<i64>() else {
        let e = FieldErrors::single("project", "error-required");
        return schedule_page(&s, &c, id, &form, &e).await;
    };
    let schedule = (form.get("remove") != "true")
        .then(|| form.input::<palett_domain::wave::ScheduleInput>().parse());
    match s
        .app
        .schedule_questionnaire(&c.ctx(), id, project, schedule)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{}?scheduled=1", path(id))).into_response()),
        Err(AppError::Invalid(e)) => schedule_page(&s, &c, id, &form, &e).await,
        Err(e) => Err(e.into()),
    }
}
