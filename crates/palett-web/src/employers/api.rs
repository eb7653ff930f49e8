//! The employer registry in the JSON API.

use super::dto::{ContactEntryDto, ContactPersonDto, EmployerDto, EmployerPage, EmployerViewDto};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Overlay, Spec};
use crate::http::openapi::vocab;
use crate::http::{AppState, Created, Id, Segment};
use crate::participants::api::page_query;
use crate::ui::period_query;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::employers::{EmployerFilter, EmployerView};
use palett_app::paging::Page;
use palett_app::AppError;
use palett_domain::employer::{ContactEntryInput, ContactPersonInput, EmployerInput, Industry};
use palett_domain::values::FromFields;
use utoipa::IntoParams;

/// The list's filters and page.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployerQuery {
    /// A part of the name or of the organisation number.
    q: Option<String>,
    #[param(value_type = Option<vocab::Industry>)]
    industry: Option<String>,
    /// `true`: inactive employers too.
    #[param(value_type = Option<bool>)]
    include_inactive: Option<String>,
    /// With `active_to`: only employers with a contact logged or a
    /// placement running from this day (YYYY-MM-DD) to that one, inactive
    /// ones too (the indicator "active employers").
    #[param(value_type = Option<String>, format = Date)]
    active_from: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    active_to: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

fn bad(field: &str, code: &'static str) -> WebError {
    WebError::field(StatusCode::BAD_REQUEST, field, code)
}

/// The partnership's employers by name, one page
///
/// Active ones only unless `include_inactive=true`.
#[utoipa::path(get, path = "/employers", tag = "employers", params(EmployerQuery),
    responses((status = 200, body = EmployerPage)))]
pub async fn employers(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<EmployerQuery>,
) -> Answer<Json<EmployerPage>> {
    let industry = match q
        .industry
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => Some(Industry::parse(v).ok_or_else(|| bad("industry", "error-choice"))?),
    };
    let include_inactive = match q.include_inactive.as_deref().map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("include_inactive", "error-choice")),
    };
    let active_in = period_query(("active_from", &q.active_from), ("active_to", &q.active_to))
        .map_err(|(field, code)| bad(&field, code))?;
    let filter = EmployerFilter {
        q: q.q.map(|v| v.chars().take(100).collect()),
        industry,
        include_inactive,
        active_in,
    };
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let (items, total) = s.app.employers(&c.ctx(), &filter, page).await?;
    Ok(Json(EmployerPage {
        items: items.iter().map(EmployerDto::from).collect(),
        page: page.number,
        per_page: page.size,
        total,
    }))
}

const EMPLOYER_FIELDS: Spec = &[
    ("name", T::Text),
    ("org_number", T::Text),
    ("industry", T::Text),
    ("municipality", T::Text),
    ("address", T::Text),
    ("owner_organisation_id", T::Integer),
];

json_body!(
    /// An employer: `org_number` (ten digits with a Luhn check digit, with
    /// or without the hyphen; refused with `error-employer-duplicate` and
    /// the `existing_id` when the registry has it), `industry` (an SNI 2007
    /// section, the values of the `Industry` schema), and the partner
    /// organisation that owns the relation.
    NewEmployer = EMPLOYER_FIELDS
);

json_body!(
    /// Only the fields sent change.
    EmployerPatch = EMPLOYER_FIELDS
);

async fn view(s: &AppState, c: &Caller, id: i64, page: Page) -> Answer<EmployerViewDto> {
    let v: EmployerView = s.app.employer(&c.ctx(), id, page).await?;
    Ok(EmployerViewDto {
        employer: EmployerDto::from(&v.employer),
        contacts: v.contacts.iter().map(ContactPersonDto::from).collect(),
        log: v.log.iter().map(ContactEntryDto::from).collect(),
        log_page: page.number,
        log_per_page: page.size,
        log_total: v.log_total,
        may_change: v.may_change,
    })
}

/// Register an employer (coordinators and caseworkers)
#[utoipa::path(post, path = "/employers", tag = "employers", request_body = NewEmployer,
    responses((status = 201, body = EmployerViewDto)))]
pub async fn create_employer(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewEmployer::spec())?;
    let id = s
        .app
        .create_employer(&c.ctx(), f.input::<EmployerInput>().parse())
        .await?;
    let v = view(&s, &c, id, Page::new(None, None)).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/employers/{id}"),
        )],
        Json(v),
    )
        .into_response())
}

/// The log page of `GET /employers/{id}`.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// The contact log's page, 1-based.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// An employer with its contact people and contact log
#[utoipa::path(get, path = "/employers/{id}", tag = "employers", params(LogQuery),
    responses((status = 200, body = EmployerViewDto)))]
pub async fn employer(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<LogQuery>,
) -> Answer<Json<EmployerViewDto>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    Ok(Json(view(&s, &c, id, page).await?))
}

/// Change an employer (coordinators; caseworkers of the owning partner)
#[utoipa::path(patch, path = "/employers/{id}", tag = "employers", request_body = EmployerPatch,
    responses((status = 200, body = EmployerViewDto)))]
pub async fn update_employer(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<EmployerViewDto>> {
    let patch = body.to_form(&EmployerPatch::spec())?;
    let stored = s.app.employer_input(&c.ctx(), id).await?;
    let input = EmployerInput::from_fields(&Overlay {
        sent: &body,
        patch: &patch,
        base: &stored,
    });
    s.app.update_employer(&c.ctx(), id, input.parse()).await?;
    Ok(Json(view(&s, &c, id, Page::new(None, None)).await?))
}

json_body!(
    /// `active`: `false` marks the employer inactive from today, `true`
    /// active again.
    EmployerStatus = &[("active", T::Boolean)]
);

/// Mark an employer inactive or active again
#[utoipa::path(put, path = "/employers/{id}/status", tag = "employers", request_body = EmployerStatus,
    responses((status = 200, body = EmployerViewDto)))]
pub async fn set_employer_status(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<EmployerViewDto>> {
    let f = body.to_form(&EmployerStatus::spec())?;
    let active = match f.get("active").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(WebError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "active",
                "error-required",
            ))
        }
    };
    s.app.set_employer_active(&c.ctx(), id, active).await?;
    Ok(Json(view(&s, &c, id, Page::new(None, None)).await?))
}

json_body!(
    /// A contact person: `name`, and optionally `title`, `phone` and
    /// `email` (business contact data only).
    NewContactPerson = &[
        ("name", T::Text),
        ("title", T::Text),
        ("phone", T::Text),
        ("email", T::Text),
    ]
);

/// Add a contact person to an employer
#[utoipa::path(post, path = "/employers/{id}/contacts", tag = "employers", request_body = NewContactPerson,
    responses((status = 201, body = Created)))]
pub async fn add_contact(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewContactPerson::spec())?;
    let cid = s
        .app
        .add_employer_contact(&c.ctx(), id, f.input::<ContactPersonInput>().parse())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })).into_response())
}

/// Remove a contact person (contacts logged with her stay, without her name)
#[utoipa::path(delete, path = "/employers/{id}/contacts/{contact}", tag = "employers",
    params(("contact" = i64, Path, description = "The contact person's id.")),
    responses((status = 204, description = "Removed.")))]
pub async fn remove_contact(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    contact: Segment,
) -> Answer {
    let cid: i64 = contact.0.parse().map_err(|_| AppError::NotFound)?;
    s.app.remove_employer_contact(&c.ctx(), id, cid).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

json_body!(
    /// A contact: `kind` (the values of the `ContactKind` schema),
    /// `on_date` (YYYY-MM-DD, not in the future), optionally the
    /// `contact_person_id` of one of the employer's contact people, and
    /// `summary`: what was agreed.
    NewContactLogEntry = &[
        ("kind", T::Text),
        ("on_date", T::Text),
        ("contact_person_id", T::Integer),
        ("summary", T::Text),
    ]
);

/// Log a contact with an employer
#[utoipa::path(post, path = "/employers/{id}/log", tag = "employers", request_body = NewContactLogEntry,
    responses((status = 201, body = Created)))]
pub async fn log_contact(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewContactLogEntry::spec())?;
    let lid = s
        .app
        .log_employer_contact(&c.ctx(), id, &f.input::<ContactEntryInput>())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: lid })).into_response())
}
