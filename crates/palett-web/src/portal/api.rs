//! The staff side of the portal in the API: her portal access as her
//! caseworker's page shows it, and the invitation that lets her in (or
//! restores lost access), whose one-time code the answer holds this once.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::idempotency::secret_once;
use crate::http::{origin, AppState, Id};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A moment as RFC 3339 in UTC.
fn moment(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Her portal account: her login name and how she signs in.
#[derive(Serialize, ToSchema)]
pub struct PortalAccountDto {
    pub login_name: String,
    /// `passkey`, `password`, or `not_set_up` (an invitation not yet used).
    pub way_in: String,
    /// When she last used the portal, RFC 3339; `null`: never.
    pub last_used_at: Option<String>,
}

/// A month of her time she confirmed in her portal.
#[derive(Serialize, ToSchema)]
pub struct ConfirmedMonthDto {
    /// `YYYY-MM`.
    pub month: String,
    /// The minutes she confirmed.
    pub minutes: i64,
    /// When, RFC 3339.
    pub confirmed_at: String,
}

/// Her portal access, as her caseworker's page shows it (never a code).
#[derive(Serialize, ToSchema)]
pub struct PortalAccessDto {
    pub participant_id: i64,
    /// `null`: she has no access yet.
    pub account: Option<PortalAccountDto>,
    /// When the newest unused invitation runs out, RFC 3339, if one is open.
    pub invitation_expires_at: Option<String>,
    /// Latest first.
    pub confirmed: Vec<ConfirmedMonthDto>,
}

/// Her portal access: her login name, how she signs in, when she last used
/// it, an open invitation and the months she confirmed (audited as a read
/// of her record)
#[utoipa::path(get, path = "/participants/{id}/portal", tag = "participants",
    params(("id" = i64, Path)), responses((status = 200, body = PortalAccessDto)))]
pub async fn access(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<PortalAccessDto>> {
    let a = s.app.portal_access(&c.ctx(), id).await?;
    Ok(Json(PortalAccessDto {
        participant_id: id,
        account: a.account.map(|acc| PortalAccountDto {
            login_name: acc.login_name,
            way_in: if a.passkeys > 0 {
                "passkey"
            } else if acc.has_password {
                "password"
            } else {
                "not_set_up"
            }
            .into(),
            last_used_at: acc.last_used_at.map(moment),
        }),
        invitation_expires_at: a.invitation_expires_at.map(moment),
        confirmed: a
            .confirmed
            .into_iter()
            .map(|(month, minutes, at)| ConfirmedMonthDto {
                month,
                minutes,
                confirmed_at: moment(at),
            })
            .collect(),
    }))
}

/// A new invitation, to hand to her: the answer is the only time its code
/// is shown (only its hash is kept).
#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    pub participant_id: i64,
    /// The one-time code, `XXXX-XXXX-XXXX`; she types it at `address`.
    pub code: String,
    /// Her login name in the portal.
    pub login_name: String,
    /// When the code runs out, RFC 3339.
    pub expires_at: String,
    /// Where she begins (the code is never part of it).
    pub address: String,
}

/// Invite her to the portal, or restore her lost access (staff who may
/// change her record; audited as `portal.invite`)
///
/// Earlier unused invitations end. The answer holds the one-time code this
/// once: it is sent with `Cache-Control: no-store` and is not kept for an
/// `Idempotency-Key`, so a retry makes a new invitation, which ends this one.
#[utoipa::path(post, path = "/participants/{id}/portal/invitations", tag = "participants",
    params(("id" = i64, Path)), responses((status = 201, body = InvitationDto)))]
pub async fn invite(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    headers: HeaderMap,
) -> Answer {
    let inv = s.app.invite_to_portal(&c.ctx(), id).await?;
    let resp = (
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/participants/{id}/portal"),
        )],
        Json(InvitationDto {
            participant_id: id,
            code: inv.code,
            login_name: inv.login_name,
            expires_at: moment(inv.expires_at),
            address: format!("{}/portal/invite", origin(&s, &headers)),
        }),
    )
        .into_response();
    Ok(secret_once(resp))
}
