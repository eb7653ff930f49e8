//! Placements in the JSON API.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::openapi::vocab;
use crate::http::{AppState, Created, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::path::ActivityInput;
use palett_domain::placement::{
    Placement, PlacementInput, PlacementResult, ResultInput, Review, ReviewInput, ReviewKind,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A placement with an employer.
#[derive(Serialize, ToSchema)]
#[schema(as = Placement)]
pub struct PlacementDto {
    pub id: i64,
    pub participant_id: i64,
    pub proposal_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    /// The palette's intervention its hours count under.
    pub intervention_id: i64,
    pub supervisor_id: Option<i64>,
    #[schema(format = Date)]
    pub start_date: String,
    #[schema(format = Date)]
    pub end_date: String,
    pub hours_per_week: Option<f64>,
    pub hours_recorded: f64,
    #[schema(value_type = Option<vocab::PlacementResult>)]
    pub result: Option<PlacementResult>,
    #[schema(format = Date)]
    pub result_on: Option<String>,
}

impl From<&Placement> for PlacementDto {
    fn from(p: &Placement) -> Self {
        Self {
            id: p.id,
            participant_id: p.participant_id,
            proposal_id: p.proposal_id,
            employer_id: p.employer_id,
            employer_name: p.employer_name.clone(),
            intervention_id: p.intervention_id,
            supervisor_id: p.supervisor_id,
            start_date: p.start_date.to_string(),
            end_date: p.end_date.to_string(),
            hours_per_week: p.minutes_per_week.map(|m| m as f64 / 60.0),
            hours_recorded: p.minutes_recorded as f64 / 60.0,
            result: p.result,
            result_on: p.result_on.map(|d| d.to_string()),
        }
    }
}

/// A review with the employer; scores 1 (far from) to 5 (fully).
#[derive(Serialize, ToSchema)]
#[schema(as = PlacementReview)]
pub struct ReviewDto {
    #[schema(value_type = vocab::ReviewKind)]
    pub kind: ReviewKind,
    #[schema(format = Date)]
    pub on_date: String,
    pub attendance: i64,
    pub tasks: i64,
    pub swedish: i64,
    pub readiness: i64,
    pub comment: Option<String>,
    pub by: Option<String>,
}

impl From<&Review> for ReviewDto {
    fn from(r: &Review) -> Self {
        Self {
            kind: r.kind,
            on_date: r.on.to_string(),
            attendance: r.attendance,
            tasks: r.tasks,
            swedish: r.swedish,
            readiness: r.readiness,
            comment: r.comment.clone(),
            by: r.by.clone(),
        }
    }
}

/// A placement with its reviews.
#[derive(Serialize, ToSchema)]
#[schema(as = PlacementView)]
pub struct PlacementViewDto {
    pub placement: PlacementDto,
    pub reviews: Vec<ReviewDto>,
    pub may_change: bool,
}

/// Her placements (at most 200).
#[derive(Serialize, ToSchema)]
pub struct PlacementList {
    pub items: Vec<PlacementDto>,
}

async fn view(s: &AppState, c: &Caller, id: i64) -> Answer<PlacementViewDto> {
    let v = s.app.placement(&c.ctx(), id).await?;
    Ok(PlacementViewDto {
        placement: PlacementDto::from(&v.placement),
        reviews: v.reviews.iter().map(ReviewDto::from).collect(),
        may_change: v.may_change,
    })
}

json_body!(
    /// The intervention of the palette its hours count under, the
    /// employer's contact person who supervises (`supervisor_id`), the
    /// period and the weekly hours. Only for a pipeline that ended in
    /// `placed`, once.
    NewPlacement = &[
        ("intervention_id", T::Integer),
        ("supervisor_id", T::Integer),
        ("start_date", T::Text),
        ("end_date", T::Text),
        ("hours_per_week", T::Decimal),
    ]
);

/// Record the placement a pipeline led to
#[utoipa::path(post, path = "/proposals/{id}/placement", tag = "employers", request_body = NewPlacement,
    responses((status = 201, body = PlacementViewDto)))]
pub async fn create_placement(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewPlacement::spec())?;
    let pid = s
        .app
        .create_placement(&c.ctx(), id, f.input::<PlacementInput>().parse())
        .await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/placements/{pid}"),
        )],
        Json(view(&s, &c, pid).await?),
    )
        .into_response())
}

/// A placement with its reviews (audited)
#[utoipa::path(get, path = "/placements/{id}", tag = "employers",
    responses((status = 200, body = PlacementViewDto)))]
pub async fn placement(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<PlacementViewDto>> {
    Ok(Json(view(&s, &c, id).await?))
}

json_body!(
    /// Hours at the placement on one day of its period (`on_date`, `hours`
    /// as a decimal, a `note`); they count in her time and the ESF+ hours.
    PlacementHours = &[("on_date", T::Text), ("hours", T::Decimal), ("note", T::Text)]
);

/// Record hours at a placement
#[utoipa::path(post, path = "/placements/{id}/hours", tag = "employers", request_body = PlacementHours,
    responses((status = 201, body = Created)))]
pub async fn record_hours(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&PlacementHours::spec())?;
    let aid = s
        .app
        .record_placement_hours(&c.ctx(), id, &f.input::<ActivityInput>())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })).into_response())
}

json_body!(
    /// A review with the employer: `kind` (`midway` or `final`), `on_date`,
    /// and `attendance`, `tasks`, `swedish` and `readiness` from 1 to 5,
    /// and a `comment`.
    NewReview = &[
        ("kind", T::Text),
        ("on_date", T::Text),
        ("attendance", T::Integer),
        ("tasks", T::Integer),
        ("swedish", T::Integer),
        ("readiness", T::Integer),
        ("comment", T::Text),
    ]
);

/// Record a review of a placement with the employer
#[utoipa::path(post, path = "/placements/{id}/reviews", tag = "employers", request_body = NewReview,
    responses((status = 201, body = Created)))]
pub async fn review(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&NewReview::spec())?;
    let rid = s
        .app
        .review_placement(&c.ctx(), id, &f.input::<ReviewInput>())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })).into_response())
}

json_body!(
    /// `result` (the `PlacementResult` values) and the day (`on_date`).
    PlacementResultBody = &[("result", T::Text), ("on_date", T::Text)]
);

/// Set a placement's result
#[utoipa::path(put, path = "/placements/{id}/result", tag = "employers", request_body = PlacementResultBody,
    responses((status = 200, body = PlacementViewDto)))]
pub async fn set_result(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<PlacementViewDto>> {
    let f = body.to_form(&PlacementResultBody::spec())?;
    s.app
        .set_placement_result(&c.ctx(), id, &f.input::<ResultInput>())
        .await?;
    Ok(Json(view(&s, &c, id).await?))
}

/// Her placements (audited)
#[utoipa::path(get, path = "/participants/{id}/placements", tag = "employers",
    responses((status = 200, body = PlacementList)))]
pub async fn participant_placements(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<PlacementList>> {
    let list = s.app.participant_placements(&c.ctx(), id).await?;
    Ok(Json(PlacementList {
        items: list.iter().map(PlacementDto::from).collect(),
    }))
}
