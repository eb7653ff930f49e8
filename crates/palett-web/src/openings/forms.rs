//! The openings' forms: add one to an employer, change it, set its status.

use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::forms::FormData;
use crate::http::{AppState, Id, Segment};
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, choices, options, submitted_with, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::paging::Page;
use palett_app::AppError;
use palett_domain::occupations;
use palett_domain::opening::{
    EmploymentForm, OpeningInput, OpeningKind, OpeningStatusInput, PhysicalDemands, WorkingHours,
};
use palett_domain::values::{Fields, SwedishLevel};

/// To the opening's page, confirming what was done.
fn done(id: i64, what: &str) -> Response {
    debug_assert!(super::pages::DONE.contains(&what));
    Redirect::to(&format!("/openings/{id}?done={what}")).into_response()
}

/// An optional choice: "–" first, then the vocabulary.
fn optional(mut o: Vec<(String, String)>) -> Vec<(String, String)> {
    o.insert(0, (String::new(), "–".into()));
    o
}

const FIELDS: [&str; 15] = [
    "kind",
    "employment_form",
    "title",
    "ssyk",
    "places",
    "start_date",
    "end_date",
    "hours_per_week",
    "swedish_level",
    "driving_licence",
    "physical_demands",
    "working_hours",
    "place",
    "description",
    "responsible_organisation_id",
];

fn opening_fields(t: Tr, organisations: Vec<(String, String)>) -> Vec<FieldView> {
    let mut groups: Vec<(String, String)> = occupations::groups()
        .iter()
        .map(|g| (g.ssyk.clone(), format!("{} ({})", g.name_sv, g.ssyk)))
        .collect();
    groups.sort_by(|a, b| a.1.cmp(&b.1));
    groups.insert(0, (String::new(), t.get("choose")));
    vec![
        FieldView::new(t, "kind", "field-kind", "select")
            .required()
            .options(options(
                t,
                OpeningKind::ALL,
                OpeningKind::as_str,
                OpeningKind::message_id,
            )),
        FieldView::new(t, "employment_form", "field-employment-form", "select")
            .options(optional(options(
                t,
                EmploymentForm::ALL,
                EmploymentForm::as_str,
                EmploymentForm::message_id,
            )))
            .hint(t, "hint-employment-form"),
        FieldView::new(t, "title", "opening-title", "text")
            .required()
            .hint(t, "hint-opening-title"),
        FieldView::new(t, "ssyk", "field-occupation", "select")
            .required()
            .options(groups)
            .hint(t, "hint-occupation"),
        FieldView::new(t, "places", "field-places", "number").required(),
        FieldView::new(t, "start_date", "field-start-date", "date"),
        FieldView::new(t, "end_date", "field-end-date", "date"),
        FieldView::new(t, "hours_per_week", "field-hours-per-week", "text")
            .hint(t, "hint-hours-per-week"),
        FieldView::new(t, "swedish_level", "field-swedish-required", "select").options(optional(
            options(
                t,
                SwedishLevel::ALL,
                SwedishLevel::as_str,
                SwedishLevel::message_id,
            ),
        )),
        FieldView::new(t, "driving_licence", "field-driving-licence", "checkbox"),
        FieldView::new(t, "physical_demands", "field-physical-demands", "select").options(
            optional(options(
                t,
                PhysicalDemands::ALL,
                PhysicalDemands::as_str,
                PhysicalDemands::message_id,
            )),
        ),
        FieldView::new(t, "working_hours", "field-working-hours", "select").options(optional(
            options(
                t,
                WorkingHours::ALL,
                WorkingHours::as_str,
                WorkingHours::message_id,
            ),
        )),
        FieldView::new(t, "place", "field-place", "text").hint(t, "hint-opening-place"),
        FieldView::new(t, "description", "field-description", "textarea"),
        FieldView::new(
            t,
            "responsible_organisation_id",
            "field-responsible-partner",
            "select",
        )
        .required()
        .options(organisations),
    ]
}

async fn spec(
    s: &AppState,
    c: &Caller,
    title: String,
    path: String,
    cancel: &str,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ch = choices(s, c).await?;
    Ok(admin_spec(
        t,
        title,
        "openings",
        path,
        opening_fields(t, ch.organisations),
        cancel,
    ))
}

/// The form for a new opening of employer `id`, titled with its name.
async fn new_spec(s: &AppState, c: &Caller, id: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let v = s
        .app
        .employer(&c.ctx(), id, Page::new(None, Some(1)))
        .await?;
    spec(
        s,
        c,
        t.with("opening-new-for", &[("name", v.employer.name)]),
        format!("/employers/{id}/openings/new"),
        &format!("/employers/{id}"),
    )
    .await
}

pub async fn opening_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    if !c.signed.actor.can_work_with_employers() {
        return Err(AppError::Forbidden.into());
    }
    let defaults = FormData(vec![
        ("kind".into(), OpeningKind::Internship.as_str().into()),
        ("places".into(), "1".into()),
        (
            "responsible_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
    ]);
    Ok(new_spec(&s, &c, id).await?.blank(&c, &defaults))
}

pub async fn opening_create(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<OpeningInput>().parse();
    let outcome = s
        .app
        .create_opening(&c.ctx(), id, parsed)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |oid| done(oid, "created"),
        async || new_spec(&s, &c, id).await,
    )
    .await
}

async fn edit_spec(s: &AppState, c: &Caller, id: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    spec(
        s,
        c,
        t.get("opening-edit"),
        format!("/openings/{id}/edit"),
        &format!("/openings/{id}"),
    )
    .await
}

pub async fn opening_edit_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let input = s.app.opening_input(&c.ctx(), id).await?;
    let form = FormData(
        FIELDS
            .iter()
            .map(|n| (n.to_string(), input.one(n)))
            .collect(),
    );
    Ok(edit_spec(&s, &c, id).await?.blank(&c, &form))
}

pub async fn opening_update(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<OpeningInput>().parse();
    let outcome = s
        .app
        .update_opening(&c.ctx(), id, parsed)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |()| done(id, "saved"),
        async || edit_spec(&s, &c, id).await,
    )
    .await
}

pub async fn opening_status(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    status: Segment,
) -> Answer {
    let input = OpeningStatusInput { status: status.0 };
    // An unknown status in the path is an unknown page.
    let parsed = input.parse().map_err(|_| AppError::NotFound)?;
    s.app.set_opening_status(&c.ctx(), id, Ok(parsed)).await?;
    Ok(done(id, parsed.as_str()))
}
