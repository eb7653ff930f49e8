//! Discarding a questionnaire's draft, asked first on a page that says
//! what it removes.

use super::instruments::{number, path};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id, Segment};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;

/// Discard the draft; a version published meanwhile stays, and its page
/// shows it.
/// Unconfirmed, the page that asks first (nothing is discarded).
pub async fn discard(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    v: Segment,
    f: FormData,
) -> Answer {
    let n = number(&v)?;
    if !f.confirmed() {
        let t = c.tr();
        let version = s.app.instrument_version(&c.ctx(), id, n).await?;
        let title = version.row.title.clone();
        return Ok(crate::ui::confirm_spec(
            title.clone(),
            "questionnaires",
            format!("{}/versions/{n}/discard", path(id)),
            (
                t.with(
                    "confirm-questionnaire-discard",
                    &[("version", n.to_string())],
                ),
                t.with("questionnaire-discard", &[("version", n.to_string())]),
            ),
            &path(id),
        )
        .blank(&c, &f));
    }
    match s.app.discard_instrument_draft(&c.ctx(), id, n).await {
        Ok(()) | Err(AppError::Invalid(_)) => Ok(Redirect::to(&path(id)).into_response()),
        Err(e) => Err(e.into()),
    }
}
