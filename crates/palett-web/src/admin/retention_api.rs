//! Retention (gallring) in the JSON API, for administrators as the page:
//! the policy (years kept after exit), a dry run listing who would be
//! anonymised, and the run itself, which must be confirmed in its body.

use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::AppState;
use crate::participants::api::page_query;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use palett_domain::admin::parse_retention_years;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_retention_policy, api_set_retention_policy))
        .routes(routes!(api_retention_dry_run))
        .routes(routes!(api_retention_run))
}

/// The partnership's retention policy.
#[derive(Serialize, ToSchema)]
pub struct RetentionPolicy {
    /// Personal data is anonymised this many years after exit; `null`: no
    /// policy, nothing is anonymised.
    pub years_after_exit: Option<i64>,
}

/// The retention policy (administrators)
#[utoipa::path(get, path = "/retention", tag = "data protection",
    responses((status = 200, body = RetentionPolicy)))]
pub async fn api_retention_policy(
    State(s): State<AppState>,
    c: Caller,
) -> Answer<Json<RetentionPolicy>> {
    let years = s.app.retention_policy(&c.ctx()).await?;
    Ok(Json(RetentionPolicy {
        years_after_exit: years,
    }))
}

json_body!(
    /// `years_after_exit`: 1–50.
    RetentionPolicyBody = &[("years_after_exit", T::Integer)]
);

/// Set the retention policy (administrators; audited)
#[utoipa::path(put, path = "/retention", tag = "data protection",
    request_body = RetentionPolicyBody, responses((status = 200, body = RetentionPolicy)))]
pub async fn api_set_retention_policy(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Answer<Json<RetentionPolicy>> {
    let f = body.to_form(&RetentionPolicyBody::spec())?;
    let ctx = c.ctx();
    s.app
        .set_retention_policy(&ctx, parse_retention_years(&f.get("years_after_exit")))
        .await?;
    Ok(Json(RetentionPolicy {
        years_after_exit: s.app.retention_policy(&ctx).await?,
    }))
}

/// A participant due for anonymisation.
#[derive(Serialize, ToSchema)]
pub struct RetentionDue {
    pub participant_id: i64,
    #[schema(format = Date)]
    pub exit_date: String,
}

/// A dry run: who a run would anonymise now, one page.
#[derive(Serialize, ToSchema)]
pub struct RetentionDryRun {
    pub years_after_exit: Option<i64>,
    /// Those who exited on or before this day are due; `null` without a
    /// policy.
    #[schema(format = Date)]
    pub cutoff: Option<String>,
    pub items: Vec<RetentionDue>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// Who a retention run would anonymise now (administrators; audited as a
/// dry run; nothing changes)
#[utoipa::path(get, path = "/retention/dry-run", tag = "data protection", params(PageParams),
    responses((status = 200, body = RetentionDryRun)))]
pub async fn api_retention_dry_run(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PageParams>,
) -> Answer<Json<RetentionDryRun>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let ctx = c.ctx();
    let dry = s
        .app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, true)
        .await?;
    Ok(Json(RetentionDryRun {
        years_after_exit: dry.years_after_exit,
        cutoff: dry.cutoff.map(|d| d.to_string()),
        items: dry
            .due
            .iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit()).unwrap_or(0))
            .map(|(id, exit)| RetentionDue {
                participant_id: *id,
                exit_date: exit.to_string(),
            })
            .collect(),
        page: page.number,
        per_page: page.size,
        total: dry.due.len() as i64,
    }))
}

json_body!(
    /// `confirm`: `true`, to say that those due are to be anonymised now
    /// (see the dry run); anything else is refused.
    RetentionRunBody = &[("confirm", T::Boolean)]
);

/// What a run did.
#[derive(Serialize, ToSchema)]
pub struct RetentionRun {
    pub years_after_exit: Option<i64>,
    #[schema(format = Date)]
    pub cutoff: Option<String>,
    /// How many participants were anonymised.
    pub anonymised: i64,
}

/// Run retention now: anonymise everyone due (administrators; audited,
/// each participant too)
///
/// Irreversible; the body must confirm it (`{"confirm": true}`), else 422
/// on `confirm`. The statistical facts are kept, so the figures do not
/// change.
#[utoipa::path(post, path = "/retention/run", tag = "data protection",
    request_body = RetentionRunBody, responses((status = 200, body = RetentionRun)))]
pub async fn api_retention_run(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Answer<Json<RetentionRun>> {
    let f = body.to_form(&RetentionRunBody::spec())?;
    let ctx = c.ctx();
    // Who may not run it is told so before anything about the body.
    s.app.retention_policy(&ctx).await?;
    if f.get("confirm") != "true" {
        return Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirm",
            "error-confirm-required",
        ));
    }
    let done = s
        .app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, false)
        .await?;
    Ok(Json(RetentionRun {
        years_after_exit: done.years_after_exit,
        cutoff: done.cutoff.map(|d| d.to_string()),
        anonymised: done.anonymised as i64,
    }))
}
