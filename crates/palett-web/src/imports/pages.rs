//! The import pages: upload, preview, commit, result with undo, and the
//! templates to fill in.

use super::{column_name, labels};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::{Block, Cell, FormBlock, Layout, Table, TablePage};
use askama::Template;
use axum::extract::Query;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::import::{Created, ImportPreview, ImportSummary};
use palett_app::AppError;
use palett_domain::import::ImportKind;
use palett_domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "imports/upload.html")]
struct UploadPage {
    t: Tr,
    layout: Layout,
    alert: Option<String>,
    /// The kinds of file: (value, label, hint, chosen).
    kinds: Vec<(&'static str, String, String, bool)>,
    /// Earlier imports: (link, file name, kind, state, rows).
    imports: Vec<(String, String, String, String, i64)>,
}

/// One row of the preview as shown.
struct RowView {
    row: usize,
    name: String,
    /// (column, message) in the reader's language.
    errors: Vec<(String, String)>,
    duplicate: bool,
    excluded: bool,
}

#[derive(Template)]
#[template(path = "imports/preview.html")]
struct PreviewPage {
    t: Tr,
    layout: Layout,
    action: String,
    file_name: String,
    /// What the file holds, as the reader says it.
    kind: String,
    summary: String,
    alert: Option<String>,
    rows: Vec<RowView>,
}

fn state_text(t: Tr, state: &str) -> String {
    t.get(&format!("import-state-{state}"))
}

fn kind_text(t: Tr, kind: &str) -> String {
    ImportKind::parse(kind)
        .map(|k| t.get(&k.message_id()))
        .unwrap_or_default()
}

async fn upload_page(
    s: &AppState,
    c: &Caller,
    status: StatusCode,
    kind: ImportKind,
    alert: Option<String>,
) -> Answer {
    let t = c.tr();
    let imports = s
        .app
        .imports(&c.ctx())
        .await?
        .into_iter()
        .map(|i| {
            (
                format!("/imports/{}", i.id),
                i.file_name,
                kind_text(t, &i.kind),
                state_text(t, &i.state),
                i.row_count,
            )
        })
        .collect();
    let page = UploadPage {
        t,
        layout: Layout::for_caller(c, t.get("imports"), "imports", "/imports"),
        alert,
        kinds: ImportKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    t.get(&k.message_id()),
                    t.get(&format!("{}-hint", k.message_id())),
                    *k == kind,
                )
            })
            .collect(),
        imports,
    };
    Ok((status, render(page)).into_response())
}

/// `?kind=` of the upload page and the templates.
#[derive(Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
}

impl KindQuery {
    /// The kind asked for; participants when none or unknown.
    fn kind(&self) -> ImportKind {
        self.kind
            .as_deref()
            .and_then(ImportKind::parse)
            .unwrap_or(ImportKind::Participants)
    }
}

/// The upload form and the partnership's imports.
pub async fn index(State(s): State<AppState>, c: Caller, q: Query<KindQuery>) -> Answer {
    upload_page(&s, &c, StatusCode::OK, q.kind(), None).await
}

/// The uploaded file's kind, name and bytes (no file: `None`).
async fn uploaded(mut m: Multipart) -> (ImportKind, Option<(String, Vec<u8>)>) {
    let mut kind = ImportKind::Participants;
    let mut file = None;
    while let Ok(Some(field)) = m.next_field().await {
        match field.name() {
            Some("kind") => {
                if let Some(k) = field
                    .text()
                    .await
                    .ok()
                    .as_deref()
                    .and_then(ImportKind::parse)
                {
                    kind = k;
                }
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("import").to_string();
                file = field.bytes().await.ok().map(|b| (name, b.to_vec()));
            }
            _ => {}
        }
    }
    (kind, file)
}

/// The message of an error about the whole file.
fn file_message(t: Tr, e: &FieldErrors) -> String {
    e.0.iter()
        .map(|f| t.field_message(f))
        .collect::<Vec<_>>()
        .join(" ")
}

fn preview_page(
    c: &Caller,
    kind: ImportKind,
    id: i64,
    file_name: String,
    preview: &ImportPreview,
    excluded: &[usize],
    alert: Option<String>,
) -> PreviewPage {
    let t = c.tr();
    let rows = preview
        .rows
        .iter()
        .map(|r| RowView {
            row: r.row,
            name: r.name.clone(),
            errors: r
                .errors
                .iter()
                .map(|e| (column_name(t, kind, &e.column), t.get(e.code)))
                .collect(),
            duplicate: r.possible_duplicate,
            excluded: excluded.contains(&r.row),
        })
        .collect();
    PreviewPage {
        t,
        layout: Layout::for_caller(c, t.get("import-preview"), "imports", "/imports"),
        action: format!("/imports/{id}/commit"),
        file_name,
        kind: t.get(&kind.message_id()),
        summary: t.with(
            "import-preview-summary",
            &[
                ("rows", preview.rows.len().to_string()),
                ("errors", preview.error_rows().to_string()),
            ],
        ),
        alert,
        rows,
    }
}

/// Read the file and show what it would import; the file is kept for the
/// commit (nothing else is written).
pub async fn preview(State(s): State<AppState>, c: Caller, m: Multipart) -> Answer {
    if !c.signed.actor.can_import() {
        return Err(AppError::Forbidden.into());
    }
    let t = c.tr();
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let (kind, file) = uploaded(m).await;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return upload_page(&s, &c, bad, kind, Some(t.get("import-file-missing"))).await;
    };
    let preview = match s
        .app
        .preview_import(&c.ctx(), kind, &bytes, &[], &labels())
        .await
    {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            return upload_page(&s, &c, bad, kind, Some(file_message(t, &e))).await
        }
        Err(e) => return Err(e.into()),
    };
    let id = s
        .app
        .import_keep(&c.ctx(), kind, &name, &bytes, preview.rows.len())
        .await?;
    Ok(render(preview_page(
        &c,
        kind,
        id,
        name,
        &preview,
        &[],
        None,
    )))
}

/// Import the kept file but the rows ticked to be left out; while a row
/// left in has an error, the preview again with the refusal.
pub async fn commit(State(s): State<AppState>, c: Caller, Id(id): Id, f: FormData) -> Answer {
    let t = c.tr();
    let (kind, name, bytes) = s.app.import_pending(&c.ctx(), id).await?;
    let excluded: Vec<usize> = f
        .all("exclude")
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let labels = labels();
    match s
        .app
        .commit_import(&c.ctx(), kind, &name, &bytes, &excluded, &labels)
        .await
    {
        Ok(done) => Ok(Redirect::to(&format!("/imports/{}", done.import_id)).into_response()),
        Err(AppError::Invalid(e)) => {
            let preview = s
                .app
                .preview_import(&c.ctx(), kind, &bytes, &excluded, &labels)
                .await?;
            let rows: Vec<String> =
                e.0.iter()
                    .filter_map(|f| f.args.iter().find(|(k, _)| *k == "row"))
                    .map(|(_, v)| v.clone())
                    .collect();
            let alert = if rows.is_empty() {
                file_message(t, &e)
            } else {
                t.with("import-refused-rows", &[("rows", rows.join(", "))])
            };
            let page = preview_page(&c, kind, id, name, &preview, &excluded, Some(alert));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// What an import made, in words: "5 deltagare skapade" or "12
/// insatsdeltaganden, 2 grupper, 40 tidsposter för 9 deltagare".
fn made_text(t: Tr, sum: &ImportSummary) -> String {
    if sum.kind == ImportKind::Participants {
        return t.with(
            "import-made-participants",
            &[("count", sum.participant_ids.len().to_string())],
        );
    }
    let count = |what: Created| {
        sum.counts
            .iter()
            .find(|(w, _)| *w == what)
            .map_or(0, |(_, n)| *n)
            .to_string()
    };
    t.with(
        "import-made-path",
        &[
            ("enrolments", count(Created::Enrolment)),
            ("groups", count(Created::Group)),
            ("time", count(Created::Activity)),
            ("people", sum.participant_ids.len().to_string()),
        ],
    )
}

async fn result_page(
    s: &AppState,
    c: &Caller,
    id: i64,
    status: StatusCode,
    alert: Option<String>,
) -> Answer {
    let t = c.tr();
    let sum = s.app.import(&c.ctx(), id).await?;
    let rec = &sum.record;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            c,
            t.with("import-title", &[("file", rec.file_name.clone())]),
            "imports",
            &format!("/imports/{id}"),
        ),
    );
    if let Some(a) = alert {
        p.blocks.push(Block::Alert(a));
    }
    p.blocks.push(Block::Text(t.with(
        "import-result",
        &[
            ("kind", t.get(&sum.kind.message_id())),
            ("state", state_text(t, &rec.state)),
            ("made", made_text(t, &sum)),
        ],
    )));
    if rec.state == "committed" {
        p.blocks.push(Block::Form(FormBlock {
            action: format!("/imports/{id}/undo"),
            submit: t.get("import-undo"),
            hint: Some(t.get("import-undo-hint")),
            secondary: true,
            ..FormBlock::default()
        }));
        p.tables.push(Table::headed(
            t,
            if sum.kind == ImportKind::Participants {
                "import-created"
            } else {
                "import-concerned"
            },
            &["import-participant"],
            sum.participant_ids
                .iter()
                .map(|pid| {
                    vec![Cell::link(
                        t.with("import-participant-number", &[("id", pid.to_string())]),
                        format!("/participants/{pid}"),
                    )]
                })
                .collect(),
        ));
    }
    p.links.push(("/imports".into(), t.get("imports")));
    Ok((status, render(p)).into_response())
}

/// A committed or undone import: what it created, and its undo.
pub async fn result(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    result_page(&s, &c, id, StatusCode::OK, None).await
}

/// Undo an import once confirmed on the page that says what it means.
pub async fn undo(State(s): State<AppState>, c: Caller, Id(id): Id, f: FormData) -> Answer {
    let t = c.tr();
    if !f.confirmed() {
        let sum = s.app.import(&c.ctx(), id).await?;
        let question = if sum.kind == ImportKind::Participants {
            t.with(
                "confirm-import-undo",
                &[("count", sum.participant_ids.len().to_string())],
            )
        } else {
            t.with("confirm-import-undo-path", &[("made", made_text(t, &sum))])
        };
        return Ok(crate::ui::confirm_spec(
            t.with("import-title", &[("file", sum.record.file_name.clone())]),
            "imports",
            format!("/imports/{id}/undo"),
            (question, t.get("import-undo")),
            &format!("/imports/{id}"),
        )
        .blank(&c, &f));
    }
    match s.app.import_undo(&c.ctx(), id).await {
        Ok(_) => Ok(Redirect::to(&format!("/imports/{id}")).into_response()),
        Err(AppError::Invalid(e)) => {
            result_page(&s, &c, id, StatusCode::CONFLICT, Some(file_message(t, &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The template's header row: the Swedish names.
fn header(kind: ImportKind) -> Vec<&'static str> {
    kind.columns().iter().map(|(_, sv)| *sv).collect()
}

/// The allowed values: (column, value, Swedish label, English label); for
/// the path's kinds also the palette's interventions by name.
fn allowed(kind: ImportKind, interventions: &[String]) -> Vec<[String; 4]> {
    let (sv, en) = (
        Tr::new(crate::i18n::Lang::Sv),
        Tr::new(crate::i18n::Lang::En),
    );
    let name_of = |column: &str| {
        kind.columns()
            .iter()
            .find(|(f, _)| *f == column)
            .map(|(_, s)| (*s).to_string())
            .unwrap_or_else(|| column.to_string())
    };
    let mut out = Vec::new();
    for (column, values) in kind.vocabularies() {
        for (value, id) in values {
            out.push([name_of(column), value.to_string(), sv.get(&id), en.get(&id)]);
        }
    }
    for name in interventions {
        out.push([
            name_of("intervention"),
            name.clone(),
            name.clone(),
            name.clone(),
        ]);
    }
    out
}

/// The names of the palette's interventions, for a path template.
async fn intervention_names(s: &AppState, c: &Caller, kind: ImportKind) -> Answer<Vec<String>> {
    if kind == ImportKind::Participants {
        return Ok(Vec::new());
    }
    Ok(s.app
        .palette(&c.ctx(), false)
        .await?
        .into_iter()
        .map(|i| i.name)
        .collect())
}

fn download(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn csv_line(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([';', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                (*c).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The CSV template: the header (Swedish names; the English field names
/// are accepted too), then after a blank line the allowed values in
/// Swedish and English, each line starting with `#`.
pub async fn template_csv(State(s): State<AppState>, c: Caller, q: Query<KindQuery>) -> Answer {
    if !c.signed.actor.can_import() {
        return Err(AppError::Forbidden.into());
    }
    let kind = q.kind();
    let names = intervention_names(&s, &c, kind).await?;
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_line(&header(kind)));
    out.push_str("\n\n");
    let fields: Vec<&str> = kind.columns().iter().map(|(f, _)| *f).collect();
    out.push_str(&format!("# English column names: {}\n", fields.join(", ")));
    out.push_str("# kolumn;värde;svenska;English\n");
    for row in allowed(kind, &names) {
        out.push_str("# ");
        out.push_str(&csv_line(
            &row.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
        out.push('\n');
    }
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", kind.template_name()),
        out.into_bytes(),
    ))
}

/// The XLSX template: the header on the first sheet; on the second the
/// allowed values in Swedish and English and the English column names.
pub async fn template_xlsx(State(s): State<AppState>, c: Caller, q: Query<KindQuery>) -> Answer {
    if !c.signed.actor.can_import() {
        return Err(AppError::Forbidden.into());
    }
    let kind = q.kind();
    let names = intervention_names(&s, &c, kind).await?;
    let allowed = allowed(kind, &names);
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let ws = book.add_worksheet();
        ws.set_name(kind.template_name().trim_end_matches("-mall"))?;
        for (i, h) in header(kind).iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let ws = book.add_worksheet();
        ws.set_name("värden")?;
        for (i, h) in ["kolumn", "värde", "svenska", "English"].iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold)?;
        }
        for (r, row) in allowed.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, i as u16, v)?;
            }
        }
        let at = allowed.len() as u32 + 3;
        ws.write_string_with_format(at, 0, "kolumn (svenska)", &bold)?;
        ws.write_string_with_format(at, 1, "column (English)", &bold)?;
        for (r, (f, sv)) in kind.columns().iter().enumerate() {
            ws.write_string(at + 1 + r as u32, 0, *sv)?;
            ws.write_string(at + 1 + r as u32, 1, *f)?;
        }
        book.save_to_buffer()
    };
    let bytes = build().map_err(|_| AppError::internal("the import template"))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}.xlsx", kind.template_name()),
        bytes,
    ))
}
