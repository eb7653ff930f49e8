//! Choices the forms and filters offer, read once per page.

use crate::http::caller::Caller;
use crate::http::AppState;
use palett_app::AppError;

/// Choices the participant forms and filters offer, in one place.
pub(crate) struct Choices {
    pub(crate) organisations: Vec<(String, String)>,
    pub(crate) projects: Vec<(String, String)>,
    pub(crate) caseworkers: Vec<(String, String)>,
}

pub(crate) async fn choices(s: &AppState, c: &Caller) -> Result<Choices, AppError> {
    let ctx = c.ctx();
    let organisations = s
        .app
        .memberships(&ctx)
        .await?
        .into_iter()
        .map(|m| (m.organisation_id.to_string(), m.organisation_name))
        .fold(Vec::<(String, String)>::new(), |mut acc, o| {
            if !acc.iter().any(|a| a.0 == o.0) {
                acc.push(o);
            }
            acc
        });
    let projects = s
        .app
        .projects(&ctx)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let caseworkers = s
        .app
        .caseworker_choices(&ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} ({})", u.display_name, u.organisation_name),
            )
        })
        .collect();
    Ok(Choices {
        organisations,
        projects,
        caseworkers,
    })
}
