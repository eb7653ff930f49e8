//! Partner organisations and their memberships of the partnership in the
//! API, through the same use cases as `/partners` and the administration
//! pages: the memberships for whoever sees the partnership's figures;
//! organisations, new memberships and ending one for administrators.

use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, FormData, JsonObject, JsonType as T, Spec};
use crate::http::{AppState, Id, Named};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::admin::{parse_left_on, MembershipInput, OrganisationInput};
use palett_domain::model::{Membership, Organisation};
use serde::Serialize;
use utoipa::ToSchema;

/// An organisation (a partner when it is a member of the partnership).
#[derive(Serialize, ToSchema)]
#[schema(as = Organisation)]
pub struct OrganisationDto {
    pub id: i64,
    pub name: String,
    /// municipality, state_agency, civil_society, …
    pub kind: String,
    /// Organisationsnummer, NNNNNN-NNNN.
    pub org_number: Option<String>,
}

impl From<&Organisation> for OrganisationDto {
    fn from(o: &Organisation) -> Self {
        Self {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind.as_str().to_string(),
            org_number: o.org_number.clone(),
        }
    }
}

/// The organisations (not paginated: a partnership has few).
#[derive(Serialize, ToSchema)]
pub struct OrganisationList {
    pub items: Vec<OrganisationDto>,
    pub total: usize,
}

/// A membership period of an organisation in the partnership.
#[derive(Serialize, ToSchema)]
#[schema(as = Membership)]
pub struct MembershipDto {
    pub id: i64,
    pub organisation: Named,
    pub organisation_kind: String,
    #[schema(format = Date)]
    pub joined_on: String,
    /// `null` while it lasts.
    #[schema(format = Date)]
    pub left_on: Option<String>,
    pub responsibility_areas: Vec<String>,
}

impl From<&Membership> for MembershipDto {
    fn from(m: &Membership) -> Self {
        Self {
            id: m.id,
            organisation: Named::new(m.organisation_id, &m.organisation_name),
            organisation_kind: m.organisation_kind.as_str().to_string(),
            joined_on: m.joined_on.to_string(),
            left_on: m.left_on.map(|d| d.to_string()),
            responsibility_areas: m.responsibility_areas.clone(),
        }
    }
}

/// The partners: every membership period, ended ones too (not paginated).
#[derive(Serialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<MembershipDto>,
    pub total: usize,
}

/// The responsibility areas sent as a list, as the form has them: one a
/// line.
fn areas_as_lines(mut f: FormData) -> FormData {
    let areas: Vec<String> = f.all("responsibility_areas");
    f.0.retain(|(k, _)| k != "responsibility_areas");
    f.0.push(("responsibility_areas".into(), areas.join("\n")));
    f
}

const ORGANISATION_FIELDS: Spec = &[
    ("name", T::Text),
    ("kind", T::Text),
    ("org_number", T::Text),
    ("joined_on", T::Text),
    ("left_on", T::Text),
    ("responsibility_areas", T::Texts),
];

json_body!(
    /// An organisation: name, kind (municipality, state_agency,
    /// civil_society, …) and organisation number; with `joined_on` it
    /// also joins the partnership (until `left_on`, if given) with its
    /// responsibility areas.
    NewOrganisation = ORGANISATION_FIELDS
);

const MEMBERSHIP_FIELDS: Spec = &[
    ("organisation_id", T::Integer),
    ("joined_on", T::Text),
    ("left_on", T::Text),
    ("responsibility_areas", T::Texts),
];

json_body!(
    /// A membership period of an existing organisation: from `joined_on`
    /// until `left_on` (optional), with its responsibility areas.
    NewMembership = MEMBERSHIP_FIELDS
);

const END_FIELDS: Spec = &[("left_on", T::Text)];

json_body!(
    /// The day the membership ends (YYYY-MM-DD).
    EndMembership = END_FIELDS
);

async fn membership_of(s: &AppState, c: &Caller, id: i64) -> Answer<MembershipDto> {
    s.app
        .memberships(&c.ctx())
        .await?
        .iter()
        .find(|m| m.id == id)
        .map(MembershipDto::from)
        .ok_or_else(WebError::not_found)
}

/// The organisations palett knows (administrators)
#[utoipa::path(get, path = "/organisations", tag = "partners",
    responses((status = 200, body = OrganisationList), (status = 403)))]
pub async fn organisations(State(s): State<AppState>, c: Caller) -> Answer<Json<OrganisationList>> {
    let list = s.app.organisations(&c.ctx()).await?;
    Ok(Json(OrganisationList {
        total: list.len(),
        items: list.iter().map(OrganisationDto::from).collect(),
    }))
}

/// Register an organisation and, with a join date, its membership
/// (administrators)
#[utoipa::path(post, path = "/organisations", tag = "partners", request_body = NewOrganisation,
    responses((status = 201, body = OrganisationDto), (status = 403), (status = 422)))]
pub async fn create_organisation(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = areas_as_lines(body.to_form(&NewOrganisation::spec())?);
    let id = s
        .app
        .create_organisation(&c.ctx(), f.input::<OrganisationInput>().parse())
        .await?;
    let org = s
        .app
        .organisations(&c.ctx())
        .await?
        .iter()
        .find(|o| o.id == id)
        .map(OrganisationDto::from)
        .ok_or_else(WebError::not_found)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, "/api/v1/organisations".to_string())],
        Json(org),
    )
        .into_response())
}

/// The partners: each organisation's membership periods
#[utoipa::path(get, path = "/memberships", tag = "partners",
    responses((status = 200, body = MembershipList), (status = 403)))]
pub async fn memberships(State(s): State<AppState>, c: Caller) -> Answer<Json<MembershipList>> {
    let list = s.app.memberships(&c.ctx()).await?;
    Ok(Json(MembershipList {
        total: list.len(),
        items: list.iter().map(MembershipDto::from).collect(),
    }))
}

/// One membership period
#[utoipa::path(get, path = "/memberships/{id}", tag = "partners", params(("id" = i64, Path)),
    responses((status = 200, body = MembershipDto), (status = 404)))]
pub async fn membership(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<MembershipDto>> {
    Ok(Json(membership_of(&s, &c, id).await?))
}

/// An existing organisation joins the partnership (again) (administrators)
#[utoipa::path(post, path = "/memberships", tag = "partners", request_body = NewMembership,
    responses((status = 201, body = MembershipDto), (status = 403), (status = 422)))]
pub async fn add_membership(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = areas_as_lines(body.to_form(&NewMembership::spec())?);
    let id = s
        .app
        .add_membership(&c.ctx(), f.input::<MembershipInput>().parse())
        .await?;
    let m = membership_of(&s, &c, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/memberships/{id}"))],
        Json(m),
    )
        .into_response())
}

/// End a membership on a day; the period stays as history (administrators)
#[utoipa::path(post, path = "/memberships/{id}/end", tag = "partners", params(("id" = i64, Path)),
    request_body = EndMembership,
    responses((status = 200, body = MembershipDto), (status = 403), (status = 404), (status = 422)))]
pub async fn end_membership(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<MembershipDto>> {
    let f = body.to_form(&EndMembership::spec())?;
    s.app
        .end_membership(&c.ctx(), id, parse_left_on(&f.get("left_on")))
        .await?;
    Ok(Json(membership_of(&s, &c, id).await?))
}
