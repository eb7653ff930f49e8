use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::openapi::vocab;
use crate::http::Named;
use axum::Json;
use palett_domain::policy::Role;
use serde::Serialize;
use utoipa::ToSchema;

/// The caller.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub organisation: Named,
    pub partnership_id: i64,
    #[schema(value_type = Vec<vocab::Role>)]
    pub roles: Vec<Role>,
}

/// The caller: user, organisation, partnership and roles
#[utoipa::path(get, path = "/me", tag = "session", responses((status = 200, body = Me)))]
pub async fn me(c: Caller) -> Answer<Json<Me>> {
    let u = &c.signed.user;
    Ok(Json(Me {
        id: u.id,
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        organisation: Named::new(u.organisation_id, &u.organisation_name),
        partnership_id: c.signed.actor.partnership_id,
        roles: c.signed.actor.roles.clone(),
    }))
}
