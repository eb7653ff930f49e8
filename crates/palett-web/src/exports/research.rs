use super::dto::ResearchDto;
use crate::exports::subject_access::rows;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::{json_body, JsonType};
use crate::http::AppState;
use crate::ui::render;
use crate::ui::views::{Block, FormBlock};
use crate::ui::views::{Layout, Table, TablePage};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::AppError;
use palett_domain::research::ExportRequestInput;

/// The export key and k, as every research export asks for them.
pub(crate) fn key_fields(t: crate::i18n::Tr) -> Vec<crate::ui::views::FieldView> {
    use crate::ui::views::FieldView;
    vec![
        FieldView::new(t, "key", "field-export-key", "password")
            .required()
            .hint(t, "hint-export-key")
            .autocomplete("off"),
        FieldView::new(t, "k", "field-k", "number")
            .required()
            .hint(t, "hint-k"),
    ]
}

pub(crate) fn research_spec(t: crate::i18n::Tr) -> crate::ui::FormSpec {
    let fields = key_fields(t);
    let mut spec = crate::ui::admin_spec(
        t,
        t.get("research-export"),
        "research",
        "/exports/research".into(),
        fields,
        "/reports",
    );
    spec.intro = Some(t.get("research-intro"));
    spec.submit = t.get("research-download");
    spec
}

pub async fn research_form(c: Caller) -> Answer {
    if !c.signed.actor.can_export_research() {
        return Err(AppError::Forbidden.into());
    }
    let defaults = crate::http::forms::FormData(vec![("k".into(), "5".into())]);
    Ok(research_spec(c.tr()).blank(&c, &defaults))
}

/// The export's columns: their message ids, and a row's cells in order.
const COLUMNS: [&str; 9] = [
    "research-pseudonym",
    "research-age-group",
    "research-region",
    "field-gender",
    "research-intake-year",
    "research-months",
    "field-exit-outcome",
    "field-status",
    "research-hours",
];

/// The preview on the page shows the first seven columns.
const PREVIEW_COLUMNS: usize = 7;

fn cells(r: &palett_app::research::ResearchRecord) -> [String; 9] {
    [
        r.pseudonym.clone(),
        r.quasi[0].clone(),
        r.quasi[1].clone(),
        r.quasi[2].clone(),
        r.quasi[3].clone(),
        r.months_band.clone(),
        r.exit_outcome.clone(),
        r.status.clone(),
        r.hours_band.clone(),
    ]
}

pub(crate) fn research_csv(t: crate::i18n::Tr, x: &palett_app::research::ResearchExport) -> String {
    let head: Vec<String> = COLUMNS.iter().map(|id| t.get(id)).collect();
    let mut out = String::from("\u{feff}");
    out.push_str(&head.join(";"));
    out.push_str("\r\n");
    for r in &x.rows {
        out.push_str(
            &cells(r)
                .iter()
                .map(|c| crate::document::csv_cell(c))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    out
}

/// The export's summary: how many rows, what was suppressed, and the
/// button that downloads the file.
pub async fn research(
    State(s): State<AppState>,
    c: Caller,
    f: crate::http::forms::FormData,
) -> Answer {
    let t = c.tr();
    Ok(
        match s
            .app
            .research_export(&c.ctx(), f.input::<ExportRequestInput>().parse())
            .await
            .or_invalid()?
        {
            Ok(x) => {
                let mut p = TablePage::new(
                    t,
                    Layout::for_caller(
                        &c,
                        t.get("research-export"),
                        "research",
                        "/exports/research",
                    ),
                );
                p.intro = Some(t.with(
                    "research-summary",
                    &[
                        ("rows", x.rows.len().to_string()),
                        ("k", x.k.to_string()),
                        ("suppressed", x.suppressed_rows.to_string()),
                        ("groups", x.suppressed_groups.to_string()),
                    ],
                ));
                p.blocks.push(Block::Form(FormBlock {
                    action: "/exports/research/csv".into(),
                    hidden: vec![("key".into(), f.get("key")), ("k".into(), x.k.to_string())],
                    submit: t.get("research-download"),
                    ..FormBlock::default()
                }));
                p.tables.push(Table {
                    heading: Some(t.get("research-preview")),
                    head: COLUMNS[..PREVIEW_COLUMNS]
                        .iter()
                        .map(|id| t.get(id))
                        .collect(),
                    rows: rows(
                        x.rows
                            .iter()
                            .take(20)
                            .map(|r| cells(r)[..PREVIEW_COLUMNS].to_vec()),
                    ),
                });
                render(p)
            }
            Err(errors) => {
                let mut form = f.clone();
                form.0.retain(|(k, _)| k != "key");
                research_spec(t).invalid(&c, &form, &errors)
            }
        },
    )
}

/// The export as CSV (`;` and a BOM for Swedish Excel).
pub async fn research_download(
    State(s): State<AppState>,
    c: Caller,
    f: crate::http::forms::FormData,
) -> Answer {
    let x = s
        .app
        .research_export(&c.ctx(), f.input::<ExportRequestInput>().parse())
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"palett-forskningsexport.csv\"",
            ),
        ],
        research_csv(c.tr(), &x),
    )
        .into_response())
}

json_body!(
    /// The export `key` (pseudonyms are made from it and a server-held
    /// secret) and `k` (default 5, at least 5).
    ResearchBody = &[("key", JsonType::Text), ("k", JsonType::Integer)]
);

/// Pseudonymised research export (evaluators only)
///
/// Research-consented participants only; pseudonyms from a server-held
/// secret and the export key, rows sorted by pseudonym; quasi-identifiers
/// age group, region, gender and intake year with k-anonymity (k >= 5) and
/// suppression reported; months in the programme and hours in bands
/// (audited).
#[utoipa::path(post, path = "/exports/research", tag = "data protection", request_body = ResearchBody,
    responses((status = 200, body = ResearchDto)))]
pub async fn research_json(
    State(s): State<AppState>,
    c: Caller,
    body: crate::http::forms::JsonObject,
) -> Answer {
    let f = body.to_form(&ResearchBody::spec())?;
    let mut request = f.input::<ExportRequestInput>();
    if request.k.is_empty() {
        request.k = "5".into();
    }
    let x = s.app.research_export(&c.ctx(), request.parse()).await?;
    Ok(Json(ResearchDto::from(&x)).into_response())
}
