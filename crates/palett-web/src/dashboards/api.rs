use super::dto::DashboardDto;
use crate::dashboards::page::DashQuery;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::participants::api::position_query;
use crate::participants::dto::ParticipantPage;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::dashboard::{parse_group, FigureRef};
use palett_domain::indicators::{Breakdown, Indicator};
use palett_domain::lifecycle::ExitOutcome;

/// A project's dashboard
///
/// Goals with status and projection, key figures, inflow against plan,
/// exits, time to job or studies, outcome by time, a breakdown. Figures
/// only; no participant is named.
#[utoipa::path(get, path = "/projects/{id}/dashboard", tag = "projects", params(DashQuery),
    responses((status = 200, body = DashboardDto)))]
pub async fn api_project_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Query(q): Query<DashQuery>,
) -> Answer {
    api_dashboard_of(&s, &c, Some(p), q).await
}

/// The partnership's dashboard
///
/// Every participant of the partnership, over the span of its projects.
#[utoipa::path(get, path = "/dashboard", tag = "projects", params(DashQuery),
    responses((status = 200, body = DashboardDto)))]
pub async fn api_partnership_dashboard(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<DashQuery>,
) -> Answer {
    api_dashboard_of(&s, &c, None, q).await
}

pub(crate) async fn api_dashboard_of(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    q: DashQuery,
) -> Answer {
    let by = match q.by.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Breakdown::parse(v) {
            Some(b) => Some(b),
            None => {
                return Err(WebError::field(
                    StatusCode::BAD_REQUEST,
                    "by",
                    "error-choice",
                ))
            }
        },
    };
    let indicator = match q.indicator.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match Indicator::parse(v) {
            Some(i) => Some(i),
            None => {
                return Err(WebError::field(
                    StatusCode::BAD_REQUEST,
                    "indicator",
                    "error-choice",
                ))
            }
        },
    };
    let d = s.app.dashboard(&c.ctx(), project_id, by, indicator).await?;
    Ok(Json(DashboardDto::from(&d)).into_response())
}

/// Which of a figure's participants: its base instead of those it
/// counts, within a group of a breakdown, an exit outcome; one page.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FigureParams {
    /// `true`: those the figure is taken over (a share's denominator)
    /// instead of those it counts.
    #[param(value_type = Option<bool>)]
    pub(crate) base: Option<String>,
    /// Within one group of a breakdown, `by:value` as the dashboard's
    /// breakdown names it (`gender:woman`, `intake_month:2020-05`,
    /// `organisation:3`, `project:none`…).
    pub(crate) group: Option<String>,
    /// With the indicator `ended` only: those who ended with this outcome
    /// (the dashboard's exits table).
    #[param(value_type = Option<crate::http::openapi::vocab::ExitOutcome>)]
    pub(crate) outcome: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub(crate) per_page: Option<String>,
    /// The page just after this participant (a page's `next_after`).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) after: Option<String>,
    /// The page just before this participant (a page's `prev_before`).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) before: Option<String>,
}

/// The figure the path and parameters name: an unknown indicator is an
/// unknown resource (404), a bad parameter a 400 naming it.
fn figure_of(indicator: &str, q: &FigureParams) -> Answer<FigureRef> {
    fn parse<T>(
        name: &str,
        v: &Option<String>,
        f: impl Fn(&str) -> Option<T>,
    ) -> Answer<Option<T>> {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                f(s).ok_or_else(|| WebError::field(StatusCode::BAD_REQUEST, name, "error-choice"))
            })
            .transpose()
    }
    let indicator = Indicator::parse(indicator).ok_or_else(WebError::not_found)?;
    let outcome = parse("outcome", &q.outcome, ExitOutcome::parse)?;
    if outcome.is_some() && indicator != Indicator::Ended {
        return Err(WebError::field(
            StatusCode::BAD_REQUEST,
            "outcome",
            "error-choice",
        ));
    }
    Ok(FigureRef {
        indicator: Some(indicator),
        base: parse("base", &q.base, |s| match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })?
        .unwrap_or(false),
        group: parse("group", &q.group, parse_group)?,
        outcome,
    })
}

/// The participants behind a figure of a project's dashboard, one page
///
/// The list the dashboard's figures link to, as far as the caller may see
/// the participants (an audited list read); a role that never sees a
/// participant is refused (403). The figure is its indicator; an unknown
/// one is 404.
#[utoipa::path(get, path = "/projects/{id}/figures/{indicator}/participants", tag = "projects",
    params(FigureParams), responses((status = 200, body = ParticipantPage)))]
pub async fn api_project_figure_participants(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    Segment(indicator): Segment,
    Query(q): Query<FigureParams>,
) -> Answer<Json<ParticipantPage>> {
    figure_participants_of(&s, &c, Some(p), &indicator, q).await
}

/// The participants behind a figure of the partnership's dashboard, one page
#[utoipa::path(get, path = "/figures/{indicator}/participants", tag = "projects",
    params(FigureParams), responses((status = 200, body = ParticipantPage)))]
pub async fn api_partnership_figure_participants(
    State(s): State<AppState>,
    c: Caller,
    Segment(indicator): Segment,
    Query(q): Query<FigureParams>,
) -> Answer<Json<ParticipantPage>> {
    figure_participants_of(&s, &c, None, &indicator, q).await
}

async fn figure_participants_of(
    s: &AppState,
    c: &Caller,
    project_id: Option<i64>,
    indicator: &str,
    q: FigureParams,
) -> Answer<Json<ParticipantPage>> {
    let r = figure_of(indicator, &q)?;
    let (page, at) = position_query(
        StatusCode::BAD_REQUEST,
        &q.page,
        &q.per_page,
        &q.after,
        &q.before,
    )?;
    let list = s
        .app
        .figure_participants_at(&c.ctx(), project_id, &r, page.size, at)
        .await?;
    Ok(Json(ParticipantPage::of(&list, page.number, page.size)))
}
