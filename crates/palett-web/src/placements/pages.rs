//! A placement's page and its forms: record it from a pipeline, its hours,
//! a review with the employer, its result.

use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, options, or_dash, render, submitted_with, FormSpec};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::paging::Page;
use palett_app::AppError;
use palett_domain::opening::format_hours;
use palett_domain::path::ActivityInput;
use palett_domain::placement::{
    PlacementInput, PlacementResult, ResultInput, ReviewInput, ReviewKind,
};
use palett_domain::proposal::Proposal;

fn done(id: i64, what: &str) -> Response {
    Redirect::to(&format!("/placements/{id}?done={what}")).into_response()
}

const DONE: &[&str] = &["created", "hours", "review", "result"];

// ---------------------------------------------------------------- record it

async fn placement_spec(s: &AppState, c: &Caller, p: &Proposal) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ctx = c.ctx();
    let proposal = p.id;
    let contacts = s
        .app
        .employer(&ctx, p.employer_id, Page::new(None, Some(1)))
        .await?
        .contacts;
    let mut supervisors = vec![(String::new(), "–".to_string())];
    supervisors.extend(contacts.iter().map(|c| (c.id.to_string(), c.name.clone())));
    let interventions = s
        .app
        .palette(&ctx, false)
        .await?
        .into_iter()
        .map(|i| (i.id.to_string(), i.name))
        .collect();
    Ok(admin_spec(
        t,
        t.with(
            "placement-new-for",
            &[
                ("name", p.participant_name.clone()),
                ("employer", p.employer_name.clone()),
            ],
        ),
        "openings",
        format!("/proposals/{proposal}/placement/new"),
        vec![
            FieldView::new(t, "intervention_id", "field-intervention", "select")
                .required()
                .options(interventions)
                .hint(t, "hint-placement-intervention"),
            FieldView::new(t, "supervisor_id", "field-supervisor", "select").options(supervisors),
            FieldView::new(t, "start_date", "field-start-date", "date").required(),
            FieldView::new(t, "end_date", "field-end-date", "date").required(),
            FieldView::new(t, "hours_per_week", "field-hours-per-week", "text")
                .hint(t, "hint-hours-per-week"),
        ],
        &format!("/proposals/{proposal}"),
    ))
}

pub async fn placement_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let ctx = c.ctx();
    let p = s.app.proposal(&ctx, id).await?;
    if !p.may_change {
        return Err(AppError::Forbidden.into());
    }
    let o = s.app.opening(&ctx, p.proposal.opening_id).await?.opening;
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let defaults = FormData(vec![
        ("start_date".into(), date(o.start_date)),
        ("end_date".into(), date(o.end_date)),
        (
            "hours_per_week".into(),
            o.minutes_per_week.map(format_hours).unwrap_or_default(),
        ),
    ]);
    Ok(placement_spec(&s, &c, &p.proposal)
        .await?
        .blank(&c, &defaults))
}

pub async fn placement_create(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<PlacementInput>().parse();
    let outcome = s
        .app
        .create_placement(&c.ctx(), id, parsed)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |pid| done(pid, "created"),
        async || {
            let p = s.app.proposal(&c.ctx(), id).await?.proposal;
            placement_spec(&s, &c, &p).await
        },
    )
    .await
}

// ---------------------------------------------------------------- the page

#[derive(serde::Deserialize, Default)]
pub struct PlacementQuery {
    pub(crate) done: Option<String>,
}

fn score_text(v: i64) -> String {
    format!("{v} / 5")
}

pub async fn placement(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<PlacementQuery>,
) -> Answer {
    let t = c.tr();
    let v = s.app.placement(&c.ctx(), id).await?;
    let p = &v.placement;
    let mut page = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.with(
                "placement-title",
                &[
                    ("name", p.participant_name.clone()),
                    ("employer", p.employer_name.clone()),
                ],
            ),
            "openings",
            &format!("/placements/{id}"),
        ),
    );
    if let Some(d) = q.done.as_deref().filter(|d| DONE.contains(d)) {
        page.blocks
            .push(Block::Text(t.get(&format!("placement-done-{d}"))));
    }
    if v.may_change {
        for (path, label) in [
            ("hours/new", "placement-hours-new"),
            ("reviews/new", "placement-review-new"),
            ("result", "placement-result-set"),
        ] {
            page.links
                .push((format!("/placements/{id}/{path}"), t.get(label)));
        }
    }
    let row = |label: &str, value: String| vec![Cell::text(t.get(label)), Cell::text(value)];
    page.tables.push(Table {
        heading: None,
        head: vec![t.get("field-what"), t.get("field-value")],
        rows: vec![
            vec![
                Cell::text(t.get("field-participant")),
                Cell::link(
                    p.participant_name.clone(),
                    format!("/participants/{}", p.participant_id),
                ),
            ],
            vec![
                Cell::text(t.get("field-employer")),
                Cell::link(
                    p.employer_name.clone(),
                    format!("/employers/{}", p.employer_id),
                ),
            ],
            vec![
                Cell::text(t.get("opening-title")),
                Cell::link(
                    p.opening_title.clone(),
                    format!("/proposals/{}", p.proposal_id),
                ),
            ],
            row("field-intervention", p.intervention_name.clone()),
            row("field-supervisor", or_dash(p.supervisor_name.as_deref())),
            row("field-period", format!("{} – {}", p.start_date, p.end_date)),
            row(
                "field-hours-per-week",
                p.minutes_per_week
                    .map(format_hours)
                    .unwrap_or_else(|| "–".into()),
            ),
            row("placement-hours-recorded", format_hours(p.minutes_recorded)),
            row(
                "placement-result",
                match (p.result, p.result_on) {
                    (Some(r), Some(on)) => format!("{} ({on})", t.get(&r.message_id())),
                    _ => "–".into(),
                },
            ),
        ],
    });
    page.tables.push(Table::headed(
        t,
        "placement-reviews",
        &[
            "field-kind",
            "field-date",
            "review-attendance",
            "review-tasks",
            "review-swedish",
            "review-readiness",
            "field-comment",
        ],
        v.reviews
            .iter()
            .map(|r| {
                vec![
                    Cell::text(t.get(&r.kind.message_id())),
                    Cell::text(r.on.to_string()),
                    Cell::text(score_text(r.attendance)),
                    Cell::text(score_text(r.tasks)),
                    Cell::text(score_text(r.swedish)),
                    Cell::text(score_text(r.readiness)),
                    Cell::text(or_dash(r.comment.as_deref())),
                ]
            })
            .collect(),
    ));
    Ok(render(page))
}

// ---------------------------------------------------------------- hours, reviews, result

/// The form `what` of placement `id` (hours, a review or the result).
fn form_spec(t: Tr, id: i64, what: &str, title: &str, fields: Vec<FieldView>) -> FormSpec {
    admin_spec(
        t,
        t.get(title),
        "openings",
        format!("/placements/{id}/{what}"),
        fields,
        &format!("/placements/{id}"),
    )
}

fn hours_spec(t: Tr, id: i64) -> FormSpec {
    form_spec(
        t,
        id,
        "hours/new",
        "placement-hours-new",
        vec![
            FieldView::new(t, "on_date", "field-date", "date").required(),
            FieldView::new(t, "hours", "field-hours", "text")
                .required()
                .hint(t, "hint-hours"),
            FieldView::new(t, "note", "field-note", "textarea"),
        ],
    )
}

fn scores(t: Tr) -> Vec<(String, String)> {
    (1..=5)
        .map(|v| (v.to_string(), t.get(&format!("review-score-{v}"))))
        .collect()
}

fn review_spec(t: Tr, id: i64) -> FormSpec {
    let score = |name: &'static str, label: &str| {
        FieldView::new(t, name, label, "select")
            .required()
            .options(scores(t))
    };
    form_spec(
        t,
        id,
        "reviews/new",
        "placement-review-new",
        vec![
            FieldView::new(t, "kind", "field-kind", "select")
                .required()
                .options(options(
                    t,
                    ReviewKind::ALL,
                    ReviewKind::as_str,
                    ReviewKind::message_id,
                )),
            FieldView::new(t, "on_date", "field-date", "date").required(),
            score("attendance", "review-attendance"),
            score("tasks", "review-tasks"),
            score("swedish", "review-swedish"),
            score("readiness", "review-readiness"),
            FieldView::new(t, "comment", "field-comment", "textarea"),
        ],
    )
}

fn result_spec(t: Tr, id: i64) -> FormSpec {
    form_spec(
        t,
        id,
        "result",
        "placement-result-set",
        vec![
            FieldView::new(t, "result", "placement-result", "select")
                .required()
                .options(options(
                    t,
                    PlacementResult::ALL,
                    PlacementResult::as_str,
                    PlacementResult::message_id,
                )),
            FieldView::new(t, "on_date", "field-date", "date").required(),
        ],
    )
}

/// The form for placement `id`, once the caller may change it.
async fn blank(s: &AppState, c: &Caller, id: i64, spec: fn(Tr, i64) -> FormSpec) -> Answer {
    let v = s.app.placement(&c.ctx(), id).await?;
    if !v.may_change {
        return Err(AppError::Forbidden.into());
    }
    let today = FormData(vec![("on_date".into(), s.app.today().to_string())]);
    Ok(spec(c.tr(), id).blank(c, &today))
}

pub async fn hours_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    blank(&s, &c, id, hours_spec).await
}

pub async fn review_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    blank(&s, &c, id, review_spec).await
}

pub async fn result_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    blank(&s, &c, id, result_spec).await
}

pub async fn hours_save(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<ActivityInput>();
    let outcome = s
        .app
        .record_placement_hours(&c.ctx(), id, &input)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |_| done(id, "hours"),
        async || Ok(hours_spec(c.tr(), id)),
    )
    .await
}

pub async fn review_save(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<ReviewInput>();
    let outcome = s
        .app
        .review_placement(&c.ctx(), id, &input)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |_| done(id, "review"),
        async || Ok(review_spec(c.tr(), id)),
    )
    .await
}

pub async fn result_save(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<ResultInput>();
    let outcome = s
        .app
        .set_placement_result(&c.ctx(), id, &input)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |()| done(id, "result"),
        async || Ok(result_spec(c.tr(), id)),
    )
    .await
}
