//! The pipeline per match in pages: proposing a candidate, a pipeline
//! with its steps, and the form for its next step.

use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::forms::FormData;
use crate::http::{AppState, Id, Segment};
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, options, or_dash, render, submitted_with, FormSpec};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::AppError;
use palett_domain::proposal::{NotPlacedReason, Proposal, Stage, StepInput};

/// To the pipeline's page, confirming what was done.
fn done(id: i64, what: &str) -> Response {
    Redirect::to(&format!("/proposals/{id}?done={what}")).into_response()
}

/// A row per pipeline: who, the opening, its stage and day.
pub(crate) fn rows(t: Tr, list: &[Proposal]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|p| {
            vec![
                // Her name opens her record (the list holds only those the
                // viewer sees); the stage opens the pipeline.
                Cell::link(
                    p.participant_name.clone(),
                    format!("/participants/{}", p.participant_id),
                ),
                Cell::link(
                    p.opening_title.clone(),
                    format!("/openings/{}", p.opening_id),
                ),
                Cell::link(
                    p.employer_name.clone(),
                    format!("/employers/{}", p.employer_id),
                ),
                Cell::link(t.get(&p.stage.message_id()), format!("/proposals/{}", p.id)),
                Cell::text(p.stage_on.to_string()),
            ]
        })
        .collect()
}

pub(crate) const HEAD: [&str; 5] = [
    "field-participant",
    "opening-title",
    "field-employer",
    "proposal-stage",
    "field-date",
];

/// Propose the participant `{participant}` for the opening; a pipeline
/// that exists already is shown instead.
pub async fn propose(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    participant: Segment,
) -> Answer {
    let pid: i64 = participant.0.parse().map_err(|_| AppError::NotFound)?;
    match s.app.propose(&c.ctx(), id, pid).await {
        Ok(proposal) => Ok(done(proposal, "proposed")),
        Err(AppError::Invalid(e)) => match e.0.iter().find_map(|f| f.existing_id) {
            Some(existing) => Ok(Redirect::to(&format!("/proposals/{existing}")).into_response()),
            None => Err(AppError::Invalid(e).into()),
        },
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ProposalQuery {
    pub(crate) done: Option<String>,
}

pub async fn proposal(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<ProposalQuery>,
) -> Answer {
    let t = c.tr();
    let v = s.app.proposal(&c.ctx(), id).await?;
    let p = &v.proposal;
    let mut page = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.with(
                "proposal-title",
                &[
                    ("name", p.participant_name.clone()),
                    ("title", p.opening_title.clone()),
                ],
            ),
            "openings",
            &format!("/proposals/{id}"),
        ),
    );
    if let Some(d) = q
        .done
        .as_deref()
        .filter(|d| ["proposed", "step"].contains(d))
    {
        page.blocks
            .push(Block::Text(t.get(&format!("proposal-done-{d}"))));
    }
    if v.may_change && !p.stage.is_final() {
        page.links
            .push((format!("/proposals/{id}/step"), t.get("proposal-next-step")));
    }
    if v.may_change && p.stage == Stage::Placed {
        page.links.push((
            format!("/proposals/{id}/placement/new"),
            t.get("placement-new"),
        ));
    }
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
                Cell::text(t.get("opening-title")),
                Cell::link(
                    p.opening_title.clone(),
                    format!("/openings/{}", p.opening_id),
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
                Cell::text(t.get("proposal-stage")),
                Cell::text(t.get(&p.stage.message_id())),
            ],
        ],
    });
    page.tables.push(Table::headed(
        t,
        "proposal-steps",
        &[
            "proposal-stage",
            "field-date",
            "field-reason",
            "field-note",
            "proposal-step-by",
        ],
        v.steps
            .iter()
            .map(|st| {
                vec![
                    Cell::text(t.get(&st.stage.message_id())),
                    Cell::text(st.on.to_string()),
                    Cell::text(
                        st.reason
                            .map(|r| t.get(&r.message_id()))
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(or_dash(st.note.as_deref())),
                    Cell::text(or_dash(st.by.as_deref())),
                ]
            })
            .collect(),
    ));
    Ok(render(page))
}

fn step_spec(t: Tr, id: i64, p: &Proposal) -> FormSpec {
    let mut reasons = options(
        t,
        NotPlacedReason::ALL,
        NotPlacedReason::as_str,
        NotPlacedReason::message_id,
    );
    reasons.insert(0, (String::new(), "–".into()));
    admin_spec(
        t,
        t.with(
            "proposal-step-title",
            &[
                ("name", p.participant_name.clone()),
                ("title", p.opening_title.clone()),
            ],
        ),
        "openings",
        format!("/proposals/{id}/step"),
        vec![
            FieldView::new(t, "stage", "proposal-stage", "select")
                .required()
                .options(options(t, p.stage.next(), Stage::as_str, Stage::message_id))
                .hint(t, "hint-proposal-presented"),
            FieldView::new(t, "on_date", "field-date", "date").required(),
            FieldView::new(t, "reason", "field-reason", "select")
                .options(reasons)
                .hint(t, "hint-not-placed-reason"),
            FieldView::new(t, "note", "field-note", "textarea"),
        ],
        &format!("/proposals/{id}"),
    )
}

pub async fn step_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.proposal(&c.ctx(), id).await?;
    if !v.may_change || v.proposal.stage.is_final() {
        return Err(AppError::Forbidden.into());
    }
    let first = v.proposal.stage.next().first().map(|st| st.as_str());
    let defaults = FormData(vec![
        ("stage".into(), first.unwrap_or_default().into()),
        ("on_date".into(), s.app.today().to_string()),
    ]);
    Ok(step_spec(c.tr(), id, &v.proposal).blank(&c, &defaults))
}

pub async fn step_save(State(s): State<AppState>, c: Caller, Id(id): Id, form: FormData) -> Answer {
    let input = form.input::<StepInput>();
    let outcome = s.app.take_step(&c.ctx(), id, &input).await.or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |()| done(id, "step"),
        async || {
            let v = s.app.proposal(&c.ctx(), id).await?;
            Ok(step_spec(c.tr(), id, &v.proposal))
        },
    )
    .await
}
