//! The staff side of the portal: whether she has access and when she last
//! used it, and the invitation her caseworker makes and prints (a one-time
//! code with a QR code of the address that fills it in, her login name,
//! and how to begin in each of the portal's languages).

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::origin;
use crate::http::{AppState, Id};
use crate::i18n::{Lang, Tr};
use crate::ui::views::Layout;
use crate::ui::{render, when};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;

#[derive(Template)]
#[template(path = "portal_access.html")]
struct AccessPage {
    t: Tr,
    layout: Layout,
    back: String,
    /// (label, value) lines of her access.
    lines: Vec<(String, String)>,
    action: String,
    /// The invitation just made, to print.
    invitation: Option<InvitationSheet>,
    /// The months she confirmed in her portal: (month, hours, when).
    confirmed: Vec<(String, String, String)>,
}

struct InvitationSheet {
    code: String,
    login_name: String,
    expires: String,
    address: String,
    /// The QR code of `address` with the code, as an SVG data URL.
    qr: String,
    /// How to begin, in each portal language: (lang, dir, text).
    how: Vec<(&'static str, &'static str, String)>,
}

async fn page(
    s: &AppState,
    c: &Caller,
    id: i64,
    invitation: Option<InvitationSheet>,
) -> Answer<AccessPage> {
    let t = c.tr();
    let access = s.app.portal_access(&c.ctx(), id).await?;
    let mut lines = Vec::new();
    match &access.account {
        Some(a) => {
            lines.push((t.get("portal-staff-login-name"), a.login_name.clone()));
            lines.push((
                t.get("portal-staff-way-in"),
                t.get(if access.passkeys > 0 {
                    "portal-staff-has-passkey"
                } else if a.has_password {
                    "portal-staff-has-password"
                } else {
                    "portal-staff-not-set-up"
                }),
            ));
            lines.push((
                t.get("portal-staff-last-used"),
                a.last_used_at
                    .map(when)
                    .unwrap_or_else(|| t.get("portal-staff-never")),
            ));
        }
        None => lines.push((
            t.get("portal-staff-access"),
            t.get("portal-staff-no-access"),
        )),
    }
    if let Some(at) = access.invitation_expires_at {
        lines.push((t.get("portal-staff-invitation-open"), when(at)));
    }
    Ok(AccessPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("portal-staff-title"),
            "participants",
            &format!("/participants/{id}/portal"),
        ),
        back: format!("/participants/{id}"),
        lines,
        action: format!("/participants/{id}/portal"),
        invitation,
        confirmed: access
            .confirmed
            .iter()
            .map(|(month, minutes, at)| {
                (month.clone(), t.decimal(*minutes as f64 / 60.0), when(*at))
            })
            .collect(),
    })
}

pub async fn access(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    Ok(render(page(&s, &c, id, None).await?))
}

/// Make an invitation (or restore lost access) and show it to print.
pub async fn invite(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    headers: HeaderMap,
) -> Answer {
    let inv = s.app.invite_to_portal(&c.ctx(), id).await?;
    let address = format!("{}/portal/invite", origin(&s, &headers));
    let qr = crate::ui::qr::image(&format!("{address}?code={}", inv.code.replace('-', "")))
        .unwrap_or_default();
    let how = Lang::PORTAL
        .into_iter()
        .map(|l| {
            (
                l.html_lang(),
                l.dir(),
                Tr::new(l).with("portal-invitation-how", &[("address", address.clone())]),
            )
        })
        .collect();
    let sheet = InvitationSheet {
        code: inv.code,
        login_name: inv.login_name,
        expires: when(inv.expires_at),
        address,
        qr,
        how,
    };
    Ok(render(page(&s, &c, id, Some(sheet)).await?))
}
