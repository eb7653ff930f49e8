//! Her questionnaires on her record: the waves due and those answered;
//! filling one in with her (or from paper) in any of its languages; and
//! the caller's list of questionnaires due, which the worklist links to.

use super::instruments::{language_links, QuestionnairePage};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id, Segment};
use crate::i18n::Tr;
use crate::ui::questionnaire::{error_rows, form_view};
use crate::ui::render;
use crate::ui::views::{Cell, FieldView, Layout, Table, TablePage};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::questionnaire_results::format_number;
use palett_app::questionnaires::{Due, ResponseMetaInput};
use palett_app::AppError;
use palett_domain::wave::WaveKey;
use palett_domain::FieldErrors;

/// The wave field's value for a response outside the waves (its empty
/// value is the select's "choose").
const OUTSIDE: &str = "none";

pub(crate) fn list_path(pid: i64) -> String {
    format!("/participants/{pid}/questionnaires")
}

/// A wave's name in the reader's language.
pub(crate) fn wave_name(t: Tr, w: Option<&WaveKey>) -> String {
    match w {
        None => t.get("wave-none"),
        Some(WaveKey::Intake) => t.get("wave-intake"),
        Some(WaveKey::Exit) => t.get("wave-exit"),
        Some(WaveKey::Month(m)) => t.with("wave-month", &[("months", m.to_string())]),
        Some(WaveKey::FollowUp(m)) => t.with("wave-follow-up", &[("months", m.to_string())]),
    }
}

fn mode_name(t: Tr, mode: &str) -> String {
    t.get(&format!("questionnaire-mode-{}", mode.replace('_', "-")))
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// Her questionnaires: due, answered, and the forms to fill in.
pub async fn of_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Query(q): Query<SavedQuery>,
) -> Answer {
    let t = c.tr();
    let list = s.app.questionnaires_of(&c.ctx(), pid).await?;
    let path = list_path(pid);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("questionnaires-hers"), "participants", &path),
    );
    if q.saved.is_some() {
        p.blocks
            .push(crate::ui::views::Block::Text(t.get("questionnaire-saved")));
    }
    p.intro = Some(t.get("questionnaires-hers-intro"));
    p.links
        .push((format!("/participants/{pid}"), t.get("back-to-participant")));
    let may_fill = s.app.may_change_participant(&c.ctx(), pid).await.is_ok();
    p.tables.push(Table::headed(
        t,
        "questionnaires-due",
        &[
            "questionnaire-title",
            "questionnaire-wave",
            "questionnaire-due-on",
            "questionnaire-fill",
        ],
        list.due
            .iter()
            .map(|d| {
                let state = if d.open {
                    t.get("questionnaire-fill")
                } else {
                    t.get("questionnaire-fill-late")
                };
                vec![
                    Cell::text(d.title.clone()),
                    Cell::text(wave_name(t, Some(&d.wave))),
                    Cell::text(t.date(d.due)),
                    if may_fill {
                        Cell::link(
                            state,
                            format!("{path}/{}?wave={}", d.instrument_id, d.wave.as_string()),
                        )
                    } else {
                        Cell::text(String::new())
                    },
                ]
            })
            .collect(),
    ));
    p.tables.push(Table::headed(
        t,
        "questionnaires-answered",
        &[
            "questionnaire-title",
            "questionnaire-version-number",
            "questionnaire-wave",
            "questionnaire-answered-on",
            "questionnaire-language",
            "questionnaire-mode",
            "questionnaire-scores",
        ],
        list.answered
            .iter()
            .rev()
            .map(|a| {
                let wave = a.response.wave.as_deref().and_then(WaveKey::parse);
                vec![
                    Cell::text(a.title.clone()),
                    Cell::text(a.version.to_string()),
                    Cell::text(wave_name(t, wave.as_ref())),
                    Cell::text(t.date(a.response.on)),
                    Cell::text(crate::ui::questionnaire::language_name(
                        &a.response.language,
                    )),
                    Cell::text(mode_name(t, &a.response.mode)),
                    Cell::text(
                        a.scores
                            .iter()
                            .map(|(label, v)| {
                                format!("{label}: {}", v.map(format_number).unwrap_or("–".into()))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                ]
            })
            .collect(),
    ));
    if may_fill {
        p.tables.push(Table::headed(
            t,
            "questionnaires-other",
            &["questionnaire-title", "questionnaire-fill"],
            list.instruments
                .iter()
                .map(|(id, title)| {
                    vec![
                        Cell::text(title.clone()),
                        Cell::link(t.get("questionnaire-fill"), format!("{path}/{id}")),
                    ]
                })
                .collect(),
        ));
    }
    Ok(render(p))
}

#[derive(serde::Deserialize, Default)]
pub struct FillQuery {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    wave: String,
}

/// The fields about the response: the wave (those due for her, or none),
/// the day, and how it was filled in.
fn meta_fields(t: Tr, waves: &[WaveKey]) -> Vec<FieldView> {
    let mut options: Vec<(String, String)> = waves
        .iter()
        .map(|w| (w.as_string(), wave_name(t, Some(w))))
        .collect();
    options.push((OUTSIDE.into(), t.get("wave-none")));
    let mut wave = FieldView::new(t, "wave", "questionnaire-wave", "select")
        .options(options)
        .hint(t, "questionnaire-wave-hint");
    // Required in form only: the empty choice means "outside the waves".
    wave.required = true;
    vec![
        wave,
        FieldView::new(t, "on", "questionnaire-answered-on", "date").required(),
        FieldView::new(t, "mode", "questionnaire-mode", "select")
            .options(vec![
                ("with_staff".into(), t.get("questionnaire-mode-with-staff")),
                ("paper".into(), t.get("questionnaire-mode-paper")),
            ])
            .required(),
    ]
}

#[allow(clippy::too_many_arguments)]
async fn fill_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    instrument_id: i64,
    lang: &str,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    let (version, waves) = s
        .app
        .questionnaire_to_fill(&c.ctx(), pid, instrument_id)
        .await?;
    let d = &version.definition;
    let lang = d.language_for(lang).to_string();
    let base = format!("{}/{instrument_id}", list_path(pid));
    let wave = form.get("wave");
    let link_base = if wave.is_empty() || wave == OUTSIDE {
        base.clone()
    } else {
        format!("{base}?wave={wave}")
    };
    let mut fields = meta_fields(t, &waves);
    crate::ui::views::fill(t, &mut fields, form, errors, None);
    let q = form_view(t, d, &lang, form, errors);
    let mut rows = crate::ui::views::summary(
        t,
        &fields,
        &FieldErrors(
            errors
                .0
                .iter()
                .filter(|e| ["wave", "on", "mode", "language"].contains(&e.field.as_str()))
                .cloned()
                .collect(),
        ),
    )
    .into_iter()
    .map(|(name, label, msg)| (format!("f-{name}"), label, msg, String::new()))
    .collect::<Vec<_>>();
    rows.extend(error_rows(&q));
    let page = QuestionnairePage {
        t,
        layout: Layout::for_caller(
            c,
            t.with(
                "questionnaire-fill-title",
                &[("title", version.row.title.clone())],
            ),
            "participants",
            &base,
        ),
        intro: Some(t.with(
            "questionnaire-fill-intro",
            &[("version", version.row.version.to_string())],
        )),
        languages: language_links(d, &link_base, &lang),
        errors: rows,
        action: Some(base),
        fields,
        q,
        required_text: t.get("required"),
        submit: t.get("questionnaire-save"),
        cancel: list_path(pid),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(page)).into_response())
}

pub async fn form(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    instrument: Segment,
    Query(q): Query<FillQuery>,
) -> Answer {
    let id = super::instruments::number(&instrument)?;
    let defaults = FormData(vec![
        (
            "wave".into(),
            if q.wave.is_empty() {
                OUTSIDE.into()
            } else {
                q.wave.clone()
            },
        ),
        ("on".into(), s.app.today().to_string()),
        ("mode".into(), "with_staff".into()),
    ]);
    fill_page(&s, &c, pid, id, &q.lang, &defaults, &FieldErrors::new()).await
}

pub async fn save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    instrument: Segment,
    form: FormData,
) -> Answer {
    let id = super::instruments::number(&instrument)?;
    let wave = form.get("wave");
    if wave.trim().is_empty() {
        let e = FieldErrors::single("wave", "error-required");
        return fill_page(&s, &c, pid, id, &form.get("language"), &form, &e).await;
    }
    let meta = ResponseMetaInput {
        wave: if wave == OUTSIDE { String::new() } else { wave },
        on: form.get("on"),
        language: form.get("language"),
        mode: form.get("mode"),
    };
    let raw = |name: &str| form.all(name);
    match s
        .app
        .record_questionnaire(&c.ctx(), pid, id, &meta, &raw)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?saved=1", list_path(pid))).into_response()),
        Err(AppError::Invalid(e)) => {
            fill_page(&s, &c, pid, id, &form.get("language"), &form, &e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Rows on a page of the list of those due.
const PER_PAGE: usize = 50;

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<String>,
}

/// The waves due among the women the caller may see, a page at a time.
pub async fn due(State(s): State<AppState>, c: Caller, Query(q): Query<PageQuery>) -> Answer {
    let t = c.tr();
    let list: Vec<Due> = s.app.questionnaires_due(&c.ctx()).await?;
    let pages = list.len().div_ceil(PER_PAGE).max(1);
    let page = match q.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=pages).contains(p))
            .ok_or_else(crate::http::error::WebError::not_found)?,
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("questionnaires-due"),
            "questionnaires",
            "/questionnaires/due",
        ),
    );
    p.intro = Some(t.with(
        "questionnaires-due-intro",
        &[("count", list.len().to_string())],
    ));
    p.tables.push(Table::headed(
        t,
        "questionnaires-due",
        &[
            "field-name",
            "questionnaire-title",
            "questionnaire-wave",
            "questionnaire-due-on",
            "questionnaire-fill",
        ],
        list.iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|d| {
                vec![
                    Cell::link(d.name.clone(), list_path(d.participant_id)),
                    Cell::text(d.title.clone()),
                    Cell::text(wave_name(t, Some(&d.wave))),
                    Cell::text(t.date(d.due)),
                    Cell::link(
                        t.get(if d.open {
                            "questionnaire-fill"
                        } else {
                            "questionnaire-fill-late"
                        }),
                        format!(
                            "{}/{}?wave={}",
                            list_path(d.participant_id),
                            d.instrument_id,
                            d.wave.as_string()
                        ),
                    ),
                ]
            })
            .collect(),
    ));
    p.pager =
        crate::ui::views::Pager::new(t, "/questionnaires/due", &[], page as i64, pages as i64);
    Ok(render(p))
}
