use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::openapi::vocab;
use crate::http::{AppState, Named};
use axum::extract::State;
use axum::Json;
use palett_domain::policy::Role;
use palett_domain::worklist::WorkItem;
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

/// One line of the caller's worklist: how many of an item wait, and where
/// they are done.
#[derive(Serialize, ToSchema)]
pub struct WorkLineDto {
    #[schema(value_type = vocab::WorkItem)]
    pub item: WorkItem,
    pub count: i64,
    /// For a line of one partner (referrals sent there that wait past its
    /// answer time, under the line of all): which partner.
    pub partner: Option<Named>,
    /// What the line says, in the caller's language.
    pub text: String,
    /// The page that lists exactly those counted.
    pub link: String,
    /// Overdue: the start page shows it as a warning.
    pub warning: bool,
}

/// The caller's worklist.
#[derive(Serialize, ToSchema)]
pub struct Worklist {
    /// Every item her roles give her, in the start page's order, with
    /// those at 0 too (the start page leaves those out).
    pub items: Vec<WorkLineDto>,
}

/// What waits for the caller today: the start page's worklist
///
/// Each count is that of the list it links to, within the caller's access.
#[utoipa::path(get, path = "/worklist", tag = "session",
    responses((status = 200, body = Worklist)))]
pub async fn worklist(State(s): State<AppState>, c: Caller) -> Answer<Json<Worklist>> {
    let t = c.tr();
    let lines = s.app.worklist(&c.ctx()).await?;
    Ok(Json(Worklist {
        items: lines
            .iter()
            .map(|l| WorkLineDto {
                item: l.item,
                count: l.count,
                partner: l.partner.as_ref().map(|(id, name)| Named::new(*id, name)),
                text: super::start::work_text(t, l),
                link: l.link(),
                warning: l.item.is_warning(),
            })
            .collect(),
    }))
}
