//! She takes back a consent: a page in her language first says what that
//! means, and only her "yes" on it takes the consent back.

use super::pages::layout;
use super::InPortal;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;

#[derive(Template)]
#[template(path = "portal/withdraw.html")]
struct WithdrawPage {
    t: Tr,
    layout: PortalLayout,
    /// The consent's name and what it covers, as her consents page says.
    consent: String,
    explained: String,
    action: String,
}

/// Take back her consent once she said yes on the page that asks;
/// without it, that page (nothing changes). A consent not hers, or not in
/// force, is not found.
pub async fn withdraw(State(s): State<AppState>, p: InPortal, Id(id): Id, f: FormData) -> Answer {
    if !f.confirmed() {
        let t = p.tr();
        let all = s.app.her_consents(&p.her, p.ip()).await?;
        let (k, _) = all
            .iter()
            .find(|(k, in_force)| k.id == id && *in_force)
            .ok_or(AppError::NotFound)?;
        let kind = format!("portal-{}", k.kind.message_id());
        let path = format!("/portal/consents/{id}/withdraw");
        return Ok(render(WithdrawPage {
            t,
            layout: layout(&p, "portal-withdraw-title", "consents", &path),
            consent: t.get(&kind),
            explained: t.get(&format!("{kind}-text")),
            action: path,
        })
        .into_response());
    }
    s.app.withdraw_her_consent(&p.her, p.ip(), id).await?;
    Ok(Redirect::to("/portal/consents?done=withdrawn").into_response())
}
