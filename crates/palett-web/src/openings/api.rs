//! Openings in the JSON API, and the occupation catalogue.

use super::dto::{
    CandidateDto, CandidatePage, MatchDto, OccupationAreaDto, Occupations, OpeningDto, OpeningPage,
    OpeningViewDto, ParticipantOpenings, ProposalDto, ProposalList, ProposalStepDto,
    ProposalViewDto, RankedOpeningDto, UnitGroupDto,
};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Overlay, Spec};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id};
use crate::participants::api::page_query;
use crate::ui::period_query;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::openings::OpeningFilter;
use palett_domain::occupations;
use palett_domain::opening::{OpeningInput, OpeningKind, OpeningStatus, OpeningStatusInput};
use palett_domain::proposal::StepInput;
use palett_domain::values::FromFields;
use utoipa::IntoParams;

/// The list's filters and page.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpeningQuery {
    /// A part of the title or of the employer's name.
    q: Option<String>,
    /// One status; absent: every status.
    #[param(value_type = Option<vocab::OpeningStatus>)]
    status: Option<String>,
    #[param(value_type = Option<vocab::OpeningKind>)]
    kind: Option<String>,
    /// An occupation area's code (`GET /occupations`).
    area: Option<String>,
    #[param(value_type = Option<i64>)]
    employer_id: Option<String>,
    /// With `filled_to`: only openings marked filled from this day
    /// (YYYY-MM-DD) to that one (the indicator "openings filled").
    #[param(value_type = Option<String>, format = Date)]
    filled_from: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    filled_to: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

fn bad(field: &str, code: &'static str) -> WebError {
    WebError::field(StatusCode::BAD_REQUEST, field, code)
}

/// An optional query value that must parse when given.
fn choice<T>(
    name: &str,
    v: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Answer<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(|| bad(name, "error-choice")),
    }
}

/// The partnership's openings, one page
#[utoipa::path(get, path = "/openings", tag = "employers", params(OpeningQuery),
    responses((status = 200, body = OpeningPage)))]
pub async fn openings(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<OpeningQuery>,
) -> Answer<Json<OpeningPage>> {
    let b = StatusCode::BAD_REQUEST;
    let filter = OpeningFilter {
        q: q.q.map(|v| v.chars().take(100).collect()),
        status: choice("status", &q.status, OpeningStatus::parse)?,
        kind: choice("kind", &q.kind, OpeningKind::parse)?,
        area: choice("area", &q.area, |a| {
            occupations::area(a).map(|a| a.code.clone())
        })?,
        employer_id: choice("employer_id", &q.employer_id, |v| v.parse::<i64>().ok())?,
        filled_in: period_query(("filled_from", &q.filled_from), ("filled_to", &q.filled_to))
            .map_err(|(field, code)| bad(&field, code))?,
    };
    let page = page_query(b, &q.page, &q.per_page)?;
    let (items, total) = s.app.openings(&c.ctx(), &filter, page).await?;
    Ok(Json(OpeningPage {
        items: items.iter().map(OpeningDto::from).collect(),
        page: page.number,
        per_page: page.size,
        total,
    }))
}

const OPENING_FIELDS: Spec = &[
    ("kind", T::Text),
    ("employment_form", T::Text),
    ("title", T::Text),
    ("ssyk", T::Text),
    ("places", T::Integer),
    ("start_date", T::Text),
    ("end_date", T::Text),
    ("hours_per_week", T::Decimal),
    ("swedish_level", T::Text),
    ("driving_licence", T::Boolean),
    ("physical_demands", T::Text),
    ("working_hours", T::Text),
    ("place", T::Text),
    ("description", T::Text),
    ("responsible_organisation_id", T::Integer),
];

json_body!(
    /// An opening: `kind` (the `OpeningKind` values), for a job its
    /// `employment_form`, `title`, `ssyk` (an SSYK 2012 unit group of
    /// `GET /occupations`), `places`, the period, `hours_per_week`, what it
    /// asks for (`swedish_level`, `driving_licence`, `physical_demands`,
    /// `working_hours`), `place`, `description` and the responsible partner.
    NewOpening = OPENING_FIELDS
);

json_body!(
    /// Only the fields sent change.
    OpeningPatch = OPENING_FIELDS
);

async fn view(s: &AppState, c: &Caller, id: i64) -> Answer<OpeningViewDto> {
    let v = s.app.opening(&c.ctx(), id).await?;
    Ok(OpeningViewDto {
        opening: OpeningDto::from(&v.opening),
        may_change: v.may_change,
    })
}

/// Add an opening to an employer (coordinators and caseworkers)
#[utoipa::path(post, path = "/employers/{id}/openings", tag = "employers", request_body = NewOpening,
    responses((status = 201, body = OpeningViewDto)))]
pub async fn create_opening(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewOpening::spec())?;
    let oid = s
        .app
        .create_opening(&c.ctx(), id, f.input::<OpeningInput>().parse())
        .await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/openings/{oid}"),
        )],
        Json(view(&s, &c, oid).await?),
    )
        .into_response())
}

/// An opening
#[utoipa::path(get, path = "/openings/{id}", tag = "employers",
    responses((status = 200, body = OpeningViewDto)))]
pub async fn opening(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<OpeningViewDto>> {
    Ok(Json(view(&s, &c, id).await?))
}

/// Change an opening (coordinators; caseworkers of the responsible partner)
#[utoipa::path(patch, path = "/openings/{id}", tag = "employers", request_body = OpeningPatch,
    responses((status = 200, body = OpeningViewDto)))]
pub async fn update_opening(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<OpeningViewDto>> {
    let patch = body.to_form(&OpeningPatch::spec())?;
    let stored = s.app.opening_input(&c.ctx(), id).await?;
    let input = OpeningInput::from_fields(&Overlay {
        sent: &body,
        patch: &patch,
        base: &stored,
    });
    s.app.update_opening(&c.ctx(), id, input.parse()).await?;
    Ok(Json(view(&s, &c, id).await?))
}

json_body!(
    /// `status`: the values of the `OpeningStatus` schema.
    OpeningStatusBody = &[("status", T::Text)]
);

/// Mark an opening open, filled or closed
#[utoipa::path(put, path = "/openings/{id}/status", tag = "employers", request_body = OpeningStatusBody,
    responses((status = 200, body = OpeningViewDto)))]
pub async fn set_opening_status(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer<Json<OpeningViewDto>> {
    let f = body.to_form(&OpeningStatusBody::spec())?;
    let status = f.input::<OpeningStatusInput>().parse();
    s.app.set_opening_status(&c.ctx(), id, status).await?;
    Ok(Json(view(&s, &c, id).await?))
}

/// The occupation catalogue: occupation areas and SSYK 2012 unit groups
#[utoipa::path(get, path = "/occupations", tag = "employers",
    responses((status = 200, body = Occupations)))]
pub async fn occupations(_c: Caller) -> Json<Occupations> {
    Json(Occupations {
        areas: occupations::areas()
            .iter()
            .map(|a| OccupationAreaDto {
                code: a.code.clone(),
                taxonomy_id: a.taxonomy_id.clone(),
                name_sv: a.name_sv.clone(),
                name_en: a.name_en.clone(),
                groups: occupations::groups()
                    .iter()
                    .filter(|g| g.area == a.code)
                    .map(|g| UnitGroupDto {
                        ssyk: g.ssyk.clone(),
                        name_sv: g.name_sv.clone(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// A page of a ranked list.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankQuery {
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// The candidates for an opening, best first, with reasons
///
/// Only participants the caller may see who are enrolled, active or paused
/// and whose employer-contact consent is in force. Audited.
#[utoipa::path(get, path = "/openings/{id}/candidates", tag = "employers", params(RankQuery),
    responses((status = 200, body = CandidatePage)))]
pub async fn candidates(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<RankQuery>,
) -> Answer<Json<CandidatePage>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let (_, list, total) = s.app.opening_candidates(&c.ctx(), id, page).await?;
    Ok(Json(CandidatePage {
        opening_id: id,
        items: list
            .iter()
            .map(|cand| CandidateDto {
                participant_id: cand.participant.id,
                given_name: cand.participant.given_name.clone(),
                family_name: cand.participant.family_name.clone(),
                status: cand.participant.status,
                responsible_organisation: cand.participant.responsible_organisation_name.clone(),
                matched: MatchDto::from(&cand.matched),
                may_propose: cand.may_propose,
            })
            .collect(),
        page: page.number,
        per_page: page.size,
        total,
    }))
}

/// The open openings for a participant, best first, with reasons (audited)
#[utoipa::path(get, path = "/participants/{id}/openings", tag = "employers", params(RankQuery),
    responses((status = 200, body = ParticipantOpenings)))]
pub async fn for_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<RankQuery>,
) -> Answer<Json<ParticipantOpenings>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let v = s.app.openings_for_participant(&c.ctx(), id, page).await?;
    Ok(Json(ParticipantOpenings {
        participant_id: id,
        interests: v.interests.clone(),
        reach: v.reach.clone(),
        may_be_proposed: v.may_be_proposed,
        items: v
            .items
            .iter()
            .map(|(o, m)| RankedOpeningDto {
                opening: OpeningDto::from(o),
                matched: MatchDto::from(m),
            })
            .collect(),
        page: page.number,
        per_page: page.size,
        total: v.total,
    }))
}

json_body!(
    /// `participant_id`: whom to propose. Refused (422) without her
    /// employer-contact consent in force (`error-no-employer-contact-consent`),
    /// for an opening that is not open, or when she is proposed already
    /// (`error-proposal-exists` with the `existing_id`).
    NewProposal = &[("participant_id", T::Integer)]
);

async fn proposal_view(s: &AppState, c: &Caller, id: i64) -> Answer<ProposalViewDto> {
    let v = s.app.proposal(&c.ctx(), id).await?;
    Ok(ProposalViewDto {
        proposal: ProposalDto::from(&v.proposal),
        steps: v
            .steps
            .iter()
            .map(|st| ProposalStepDto {
                stage: st.stage,
                on_date: st.on.to_string(),
                reason: st.reason,
                note: st.note.clone(),
                by: st.by.clone(),
                recorded_at: st.at.to_string(),
            })
            .collect(),
        may_change: v.may_change,
    })
}

/// Propose a participant for an opening
#[utoipa::path(post, path = "/openings/{id}/proposals", tag = "employers", request_body = NewProposal,
    responses((status = 201, body = ProposalViewDto)))]
pub async fn propose(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&NewProposal::spec())?;
    let participant: i64 = f.get("participant_id").parse().map_err(|_| {
        WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "participant_id",
            "error-required",
        )
    })?;
    let pid = s.app.propose(&c.ctx(), id, participant).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/proposals/{pid}"),
        )],
        Json(proposal_view(&s, &c, pid).await?),
    )
        .into_response())
}

/// The opening's pipelines, of participants the caller may see (audited)
#[utoipa::path(get, path = "/openings/{id}/proposals", tag = "employers",
    responses((status = 200, body = ProposalList)))]
pub async fn opening_proposals(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ProposalList>> {
    let list = s.app.opening_proposals(&c.ctx(), id).await?;
    Ok(Json(ProposalList {
        items: list.iter().map(ProposalDto::from).collect(),
    }))
}

/// A pipeline with its steps (audited)
#[utoipa::path(get, path = "/proposals/{id}", tag = "employers",
    responses((status = 200, body = ProposalViewDto)))]
pub async fn proposal(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ProposalViewDto>> {
    Ok(Json(proposal_view(&s, &c, id).await?))
}

json_body!(
    /// The next step: `stage` (one that may follow the current, see the
    /// `ProposalStage` values), `on_date` (not in the future, not before
    /// the current step), `reason` (the `NotPlacedReason` values; only and
    /// always for `not_placed`) and a `note`. `presented` needs her
    /// employer-contact consent in force and is logged as a disclosure to
    /// the employer.
    NewStep = &[
        ("stage", T::Text),
        ("on_date", T::Text),
        ("reason", T::Text),
        ("note", T::Text),
    ]
);

/// Take the next step of a pipeline
#[utoipa::path(post, path = "/proposals/{id}/steps", tag = "employers", request_body = NewStep,
    responses((status = 201, body = ProposalViewDto)))]
pub async fn take_step(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewStep::spec())?;
    s.app
        .take_step(&c.ctx(), id, &f.input::<StepInput>())
        .await?;
    Ok((StatusCode::CREATED, Json(proposal_view(&s, &c, id).await?)).into_response())
}

/// Her pipelines (audited)
#[utoipa::path(get, path = "/participants/{id}/proposals", tag = "employers",
    responses((status = 200, body = ProposalList)))]
pub async fn participant_proposals(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ProposalList>> {
    let list = s.app.participant_proposals(&c.ctx(), id).await?;
    Ok(Json(ProposalList {
        items: list.iter().map(ProposalDto::from).collect(),
    }))
}
