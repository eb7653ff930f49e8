//! The registry's forms: register and change an employer, mark it inactive
//! or active, add and remove contact people, log a contact. Each change
//! goes back to the employer's page with a confirmation.

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
use palett_domain::employer::{
    ContactEntryInput, ContactKind, ContactPersonInput, EmployerInput, Industry,
};
use palett_domain::values::Fields;

/// Back to the employer's page, confirming what was done.
fn done(id: i64, what: &str) -> Response {
    debug_assert!(super::pages::DONE.contains(&what));
    Redirect::to(&format!("/employers/{id}?done={what}")).into_response()
}

// ---------------------------------------------------------------- employer

const EMPLOYER_FIELDS: [&str; 6] = [
    "name",
    "org_number",
    "industry",
    "municipality",
    "address",
    "owner_organisation_id",
];

async fn employer_spec(
    s: &AppState,
    c: &Caller,
    title: String,
    path: String,
    cancel: &str,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ch = choices(s, c).await?;
    let fields = vec![
        FieldView::new(t, "name", "field-name", "text")
            .required()
            .autocomplete("organization"),
        FieldView::new(t, "org_number", "field-org-number", "text")
            .required()
            .hint(t, "hint-org-number"),
        FieldView::new(t, "industry", "field-industry", "select")
            .required()
            .options(options(
                t,
                Industry::ALL,
                Industry::as_str,
                Industry::message_id,
            ))
            .hint(t, "hint-industry"),
        FieldView::new(t, "municipality", "field-municipality", "text").required(),
        FieldView::new(t, "address", "field-address", "text").autocomplete("street-address"),
        FieldView::new(t, "owner_organisation_id", "field-owner", "select")
            .required()
            .options(ch.organisations)
            .hint(t, "hint-employer-owner"),
    ];
    let mut spec = admin_spec(t, title, "employers", path, fields, cancel);
    spec.existing = Some("/employers/".into());
    Ok(spec)
}

pub async fn employer_form(State(s): State<AppState>, c: Caller) -> Answer {
    if !c.signed.actor.can_work_with_employers() {
        return Err(AppError::Forbidden.into());
    }
    let t = c.tr();
    let defaults = FormData(vec![
        ("municipality".into(), "Botkyrka".into()),
        (
            "owner_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
    ]);
    let spec = employer_spec(
        &s,
        &c,
        t.get("employer-new"),
        "/employers/new".into(),
        "/employers",
    )
    .await?;
    Ok(spec.blank(&c, &defaults))
}

pub async fn employer_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let t = c.tr();
    let parsed = form.input::<EmployerInput>().parse();
    let outcome = s.app.create_employer(&c.ctx(), parsed).await.or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |id| done(id, "created"),
        async || {
            employer_spec(
                &s,
                &c,
                t.get("employer-new"),
                "/employers/new".into(),
                "/employers",
            )
            .await
        },
    )
    .await
}

async fn edit_spec(s: &AppState, c: &Caller, id: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    employer_spec(
        s,
        c,
        t.get("employer-edit"),
        format!("/employers/{id}/edit"),
        &format!("/employers/{id}"),
    )
    .await
}

pub async fn employer_edit_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let input = s.app.employer_input(&c.ctx(), id).await?;
    let form = FormData(
        EMPLOYER_FIELDS
            .iter()
            .map(|n| (n.to_string(), input.one(n)))
            .collect(),
    );
    Ok(edit_spec(&s, &c, id).await?.blank(&c, &form))
}

pub async fn employer_update(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<EmployerInput>().parse();
    let outcome = s
        .app
        .update_employer(&c.ctx(), id, parsed)
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

/// Mark the employer inactive once confirmed on the page that says what it
/// means; unconfirmed, that page (nothing changes).
pub async fn deactivate(State(s): State<AppState>, c: Caller, Id(id): Id, f: FormData) -> Answer {
    if !f.confirmed() {
        let t = c.tr();
        let name = changeable_name(&s, &c, id).await?;
        return Ok(crate::ui::confirm_spec(
            format!("{}: {name}", t.get("employer-deactivate")),
            "employers",
            format!("/employers/{id}/deactivate"),
            (
                t.with("confirm-employer-deactivate", &[("name", name)]),
                t.get("employer-deactivate"),
            ),
            &format!("/employers/{id}"),
        )
        .blank(&c, &f));
    }
    s.app.set_employer_active(&c.ctx(), id, false).await?;
    Ok(done(id, "deactivated"))
}

pub async fn activate(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.set_employer_active(&c.ctx(), id, true).await?;
    Ok(done(id, "activated"))
}

// ---------------------------------------------------------------- contact people

fn contact_spec(t: Tr, id: i64, employer: &str) -> FormSpec {
    admin_spec(
        t,
        t.with(
            "employer-contact-new-for",
            &[("name", employer.to_string())],
        ),
        "employers",
        format!("/employers/{id}/contacts/new"),
        vec![
            FieldView::new(t, "name", "field-name", "text")
                .required()
                .autocomplete("off"),
            FieldView::new(t, "title", "field-title", "text"),
            FieldView::new(t, "phone", "field-phone", "tel"),
            FieldView::new(t, "email", "field-email", "email"),
        ],
        &format!("/employers/{id}"),
    )
    .intro(t.get("employer-contact-intro"))
}

/// The employer's name, when the caller may change it (forms for changes
/// are refused up front, before anything is typed).
async fn changeable_name(s: &AppState, c: &Caller, id: i64) -> Result<String, AppError> {
    Ok(changeable(s, c, id).await?.employer.name)
}

/// The employer, when the caller may change it (else forbidden).
async fn changeable(
    s: &AppState,
    c: &Caller,
    id: i64,
) -> Result<palett_app::employers::EmployerView, AppError> {
    let v = s
        .app
        .employer(&c.ctx(), id, Page::new(None, Some(1)))
        .await?;
    if !v.may_change {
        return Err(AppError::Forbidden);
    }
    Ok(v)
}

pub async fn contact_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let name = changeable_name(&s, &c, id).await?;
    Ok(contact_spec(c.tr(), id, &name).blank(&c, &FormData::default()))
}

pub async fn contact_create(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<ContactPersonInput>().parse();
    let outcome = s
        .app
        .add_employer_contact(&c.ctx(), id, parsed)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |_| done(id, "contact-added"),
        async || {
            let name = changeable_name(&s, &c, id).await?;
            Ok(contact_spec(c.tr(), id, &name))
        },
    )
    .await
}

/// The contact person `{contact}` of the employer, or 404.
fn contact_id(segment: &Segment) -> Result<i64, AppError> {
    segment.0.parse().map_err(|_| AppError::NotFound)
}

/// Removing a contact person is confirmed on a page of its own.
pub async fn contact_remove_form(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    contact: Segment,
) -> Answer {
    let t = c.tr();
    let cid = contact_id(&contact)?;
    let v = changeable(&s, &c, id).await?;
    let person = v
        .contacts
        .iter()
        .find(|p| p.id == cid)
        .ok_or(AppError::NotFound)?;
    let spec = admin_spec(
        t,
        t.with(
            "employer-contact-remove-named",
            &[("name", person.name.clone())],
        ),
        "employers",
        format!("/employers/{id}/contacts/{cid}/remove"),
        Vec::new(),
        &format!("/employers/{id}"),
    )
    .destructive(
        t.with(
            "employer-contact-remove-confirm",
            &[
                ("name", person.name.clone()),
                ("employer", v.employer.name.clone()),
            ],
        ),
        t.get("employer-contact-remove"),
    );
    Ok(spec.blank(&c, &FormData::default()))
}

/// Remove a contact person once confirmed; unconfirmed, the page that asks.
pub async fn contact_remove(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    contact: Segment,
    f: FormData,
) -> Answer {
    if !f.confirmed() {
        return contact_remove_form(State(s), c, Id(id), contact).await;
    }
    let cid = contact_id(&contact)?;
    s.app.remove_employer_contact(&c.ctx(), id, cid).await?;
    Ok(done(id, "contact-removed"))
}

// ---------------------------------------------------------------- contact log

async fn log_spec(s: &AppState, c: &Caller, id: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let v = s
        .app
        .employer(&c.ctx(), id, Page::new(None, Some(1)))
        .await?;
    let mut people = vec![(String::new(), t.get("employer-log-nobody"))];
    people.extend(
        v.contacts
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone())),
    );
    Ok(admin_spec(
        t,
        t.with("employer-log-new-for", &[("name", v.employer.name.clone())]),
        "employers",
        format!("/employers/{id}/log/new"),
        vec![
            FieldView::new(t, "kind", "field-kind", "select")
                .required()
                .options(options(
                    t,
                    ContactKind::ALL,
                    ContactKind::as_str,
                    ContactKind::message_id,
                )),
            FieldView::new(t, "on_date", "field-date", "date").required(),
            FieldView::new(t, "contact_person_id", "employer-log-with", "select").options(people),
            FieldView::new(t, "summary", "employer-log-summary", "textarea")
                .required()
                .hint(t, "hint-employer-log-summary"),
        ],
        &format!("/employers/{id}"),
    ))
}

pub async fn log_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let defaults = FormData(vec![
        ("kind".into(), ContactKind::Call.as_str().into()),
        ("on_date".into(), s.app.today().to_string()),
    ]);
    Ok(log_spec(&s, &c, id).await?.blank(&c, &defaults))
}

pub async fn log_create(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<ContactEntryInput>();
    let outcome = s
        .app
        .log_employer_contact(&c.ctx(), id, &input)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |_| done(id, "logged"),
        async || log_spec(&s, &c, id).await,
    )
    .await
}
