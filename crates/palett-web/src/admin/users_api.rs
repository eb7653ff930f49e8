//! Users and their roles in the API (administrators), through the same
//! use cases as `/admin/users`: the staff with their roles, a new user
//! (her first password chosen by the administrator, to be changed by her
//! at her first sign-in, as on the page), roles set (a grant that reads
//! participant data, or the administrator role, waits for a second
//! administrator), deactivation, and the role requests to decide.
//! No answer holds a password or its hash.

use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id, Named};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_app::admin::{RoleRequest, UserInput};
use palett_app::AppError;
use palett_domain::admin::parse_role_choice;
use palett_domain::model::User;
use palett_domain::policy::Role;

use serde::Serialize;
use utoipa::ToSchema;

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A user of the partnership with her roles there.
#[derive(Serialize, ToSchema)]
#[schema(as = StaffUser)]
pub struct UserDto {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub organisation: Named,
    #[schema(value_type = Vec<vocab::Role>)]
    pub roles: Vec<Role>,
    /// Roles asked for her that wait for a second administrator.
    #[schema(value_type = Vec<vocab::Role>)]
    pub pending_roles: Vec<Role>,
    pub active: bool,
    /// She has a second factor set up.
    pub second_factor: bool,
    /// Her password was chosen by an administrator: she chooses her own
    /// at her next sign-in, before anything else.
    pub must_change_password: bool,
}

/// The partnership's staff (not paginated: a partnership has few).
#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserDto>,
    pub total: usize,
}

/// A role grant waiting for a second administrator.
#[derive(Serialize, ToSchema)]
#[schema(as = RoleRequest)]
pub struct RoleRequestDto {
    pub id: i64,
    pub user: Named,
    #[schema(value_type = vocab::Role)]
    pub role: Role,
    pub requested_by: Named,
    /// RFC 3339.
    pub requested_at: String,
    /// The caller may approve it (she neither asked for it nor is it for
    /// her); anyone may reject it.
    pub may_approve: bool,
}

/// The role requests waiting (not paginated).
#[derive(Serialize, ToSchema)]
pub struct RoleRequestList {
    pub items: Vec<RoleRequestDto>,
    pub total: usize,
}

const USER_FIELDS: Spec = &[
    ("email", T::Text),
    ("display_name", T::Text),
    ("password", T::Text),
    ("organisation_id", T::Integer),
    ("roles", T::Texts),
];

json_body!(
    /// A user: her e-mail (her sign-in), name, first password (she must
    /// change it at her first sign-in), organisation (a member of the
    /// partnership) and roles there.
    NewUser = USER_FIELDS
);

const ROLE_FIELDS: Spec = &[("roles", T::Texts)];

json_body!(
    /// Her roles in the partnership, all of them (the list replaces the
    /// present one).
    UserRoles = ROLE_FIELDS
);

/// The administrator's view of the staff; 403 for anyone else, as the
/// page.
async fn staff_of(s: &AppState, c: &Caller) -> Answer<Vec<UserDto>> {
    if !c.signed.actor.can_administer() {
        return Err(AppError::Forbidden.into());
    }
    let ctx = c.ctx();
    let staff = s.app.staff(&ctx).await?;
    let requests = s.app.pending_role_requests(&ctx).await?;
    let dto = |(u, roles): (User, Vec<Role>)| UserDto {
        pending_roles: requests
            .iter()
            .filter(|r| r.user_id == u.id)
            .map(|r| r.role)
            .collect(),
        id: u.id,
        organisation: Named::new(u.organisation_id, &u.organisation_name),
        display_name: u.display_name,
        email: u.email,
        roles,
        active: u.active,
        second_factor: u.second_factor,
        must_change_password: u.must_change_password,
    };
    Ok(staff.into_iter().map(dto).collect())
}

async fn user_of(s: &AppState, c: &Caller, id: i64) -> Answer<UserDto> {
    staff_of(s, c)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(WebError::not_found)
}

/// The partnership's users with their roles (administrators)
#[utoipa::path(get, path = "/users", tag = "users",
    responses((status = 200, body = UserList), (status = 403)))]
pub async fn users(State(s): State<AppState>, c: Caller) -> Answer<Json<UserList>> {
    let items = staff_of(&s, &c).await?;
    Ok(Json(UserList {
        total: items.len(),
        items,
    }))
}

/// A user with her roles (administrators)
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserDto), (status = 403), (status = 404)))]
pub async fn user(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer<Json<UserDto>> {
    Ok(Json(user_of(&s, &c, id).await?))
}

/// Create a user (administrators); she changes the password at her first
/// sign-in, and roles that read participant data wait for a second
/// administrator
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = UserDto), (status = 403), (status = 422)))]
pub async fn create_user(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewUser::spec())?;
    let id = s
        .app
        .create_user(&c.ctx(), f.input::<UserInput>().parse())
        .await?;
    let u = user_of(&s, &c, id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/users/{id}"))],
        Json(u),
    )
        .into_response())
}

/// Set a user's roles (administrators); a grant that reads participant
/// data, or the administrator role, waits for a second administrator
#[utoipa::path(put, path = "/users/{id}/roles", tag = "users", params(("id" = i64, Path)),
    request_body = UserRoles,
    responses((status = 200, body = UserDto), (status = 403), (status = 404), (status = 422)))]
pub async fn set_user_roles(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<UserDto>> {
    let f = body.to_form(&UserRoles::spec())?;
    let roles = parse_role_choice(&f.all("roles"));
    s.app.set_roles(&c.ctx(), id, roles).await?;
    Ok(Json(user_of(&s, &c, id).await?))
}

/// Deactivate a user: she can no longer sign in and her sessions end
/// (administrators; not herself)
#[utoipa::path(post, path = "/users/{id}/deactivate", tag = "users", params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn deactivate_user(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.deactivate_user(&c.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

const PASSWORD_FIELDS: Spec = &[("password", T::Text)];

json_body!(
    /// A new password for her (at least 12 characters, not a common
    /// one); she must choose her own at her next sign-in.
    PasswordReset = PASSWORD_FIELDS
);

/// Set a new password for a user who forgot hers (administrators): she
/// must change it at her next sign-in, and her sessions end
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", params(("id" = i64, Path)),
    request_body = PasswordReset,
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn reset_user_password(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&PasswordReset::spec())?;
    s.app
        .reset_password(&c.ctx(), id, &f.get("password"))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Remove a user's second factor (administrators): she sets up a new one
/// at her next sign-in
#[utoipa::path(post, path = "/users/{id}/second-factor/reset", tag = "users",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn reset_user_second_factor(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.reset_second_factor(&c.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn request_dto(r: RoleRequest, me: i64) -> RoleRequestDto {
    RoleRequestDto {
        id: r.id,
        may_approve: r.requested_by != me && r.user_id != me,
        user: Named::new(r.user_id, &r.user_name),
        role: r.role,
        requested_by: Named::new(r.requested_by, &r.requested_by_name),
        requested_at: rfc3339(r.requested_at),
    }
}

/// Role grants waiting for a second administrator (administrators)
#[utoipa::path(get, path = "/role-requests", tag = "users",
    responses((status = 200, body = RoleRequestList), (status = 403)))]
pub async fn role_requests(State(s): State<AppState>, c: Caller) -> Answer<Json<RoleRequestList>> {
    let me = c.signed.actor.user_id;
    let list = s.app.pending_role_requests(&c.ctx()).await?;
    Ok(Json(RoleRequestList {
        total: list.len(),
        items: list.into_iter().map(|r| request_dto(r, me)).collect(),
    }))
}

/// Approve a role request: another administrator than the one who asked,
/// and not the user it is for
#[utoipa::path(post, path = "/role-requests/{id}/approve", tag = "users",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn approve_role_request(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.decide_role_request(&c.ctx(), id, true).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Reject a role request (administrators)
#[utoipa::path(post, path = "/role-requests/{id}/reject", tag = "users",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
pub async fn reject_role_request(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    s.app.decide_role_request(&c.ctx(), id, false).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
