//! Follow-ups after exit in the JSON API: her follow-ups, recording what
//! one found, and closing one as not reached; her self-assessments.

use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id, Segment};
use crate::participants::api::page_query;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::followup::{
    Employment, FollowUp, FollowUpInput, IncomeSource, NotReachedInput, StudyStatus,
};
use palett_domain::selfassessment::{change, Aspect, SelfAssessment, SelfAssessmentInput};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// Where a follow-up stands: open (due or not yet), done (she was
/// reached) or closed as not reached.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    Open,
    Done,
    NotReached,
}

/// A follow-up after her exit: open, done (she was reached: `done_on` and
/// what she said) or closed as not reached (`not_reached_on` and
/// `not_reached_note`).
/// Only a follow-up done counts as followed up.
#[derive(Serialize, ToSchema)]
#[schema(as = FollowUp)]
pub struct FollowUpDto {
    pub id: i64,
    pub participant_id: i64,
    /// 3 or 6.
    pub months_after: i64,
    #[schema(format = Date)]
    pub due_on: String,
    pub state: FollowUpState,
    #[schema(format = Date)]
    pub done_on: Option<String>,
    #[schema(value_type = Option<vocab::Employment>)]
    pub employment: Option<Employment>,
    #[schema(value_type = Option<vocab::StudyStatus>)]
    pub studies: Option<StudyStatus>,
    #[schema(value_type = Option<vocab::IncomeSource>)]
    pub income_source: Option<IncomeSource>,
    /// The day someone tried and could not reach her.
    #[schema(format = Date)]
    pub not_reached_on: Option<String>,
    /// What was tried.
    pub not_reached_note: Option<String>,
}

impl From<&FollowUp> for FollowUpDto {
    fn from(f: &FollowUp) -> Self {
        let done = f.done.as_ref();
        let not_reached = f.not_reached.as_ref();
        Self {
            id: f.id,
            participant_id: f.participant_id,
            months_after: i64::from(f.months_after),
            due_on: f.due_on.to_string(),
            state: match (done, not_reached) {
                (Some(_), _) => FollowUpState::Done,
                (None, Some(_)) => FollowUpState::NotReached,
                (None, None) => FollowUpState::Open,
            },
            done_on: done.map(|r| r.done_on.to_string()),
            employment: done.map(|r| r.employment),
            studies: done.map(|r| r.studies),
            income_source: done.map(|r| r.income_source),
            not_reached_on: not_reached.map(|n| n.tried_on.to_string()),
            not_reached_note: not_reached.and_then(|n| n.note.clone()),
        }
    }
}

/// Her follow-ups (at most two).
#[derive(Serialize, ToSchema)]
pub struct FollowUpList {
    pub items: Vec<FollowUpDto>,
}

/// Her follow-ups after exit (audited)
#[utoipa::path(get, path = "/participants/{id}/follow-ups", tag = "participants",
    responses((status = 200, body = FollowUpList)))]
pub async fn participant_follow_ups(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
) -> Answer<Json<FollowUpList>> {
    let list = s.app.follow_ups(&c.ctx(), pid).await?;
    Ok(Json(FollowUpList {
        items: list.iter().map(FollowUpDto::from).collect(),
    }))
}

/// A follow-up due (open, due within two weeks or overdue) and whose it
/// is: her name and the day she ended.
#[derive(Serialize, ToSchema)]
pub struct DueFollowUpDto {
    pub follow_up: FollowUpDto,
    pub given_name: String,
    pub family_name: String,
    #[schema(format = Date)]
    pub exit_date: Option<String>,
}

/// One page of the follow-ups due, those due first.
#[derive(Serialize, ToSchema)]
pub struct DueFollowUpPage {
    pub items: Vec<DueFollowUpDto>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A page of a list: `page` (1-based) and `per_page` (1–100, default 25).
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// Follow-ups due within two weeks or overdue, of the participants the
/// caller sees (audited)
///
/// The list of the page `/follow-ups`: open follow-ups (neither done nor
/// closed as not reached), one page at a time.
#[utoipa::path(get, path = "/follow-ups", tag = "participants", params(PageParams),
    responses((status = 200, body = DueFollowUpPage)))]
pub async fn due_follow_ups(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<PageParams>,
) -> Answer<Json<DueFollowUpPage>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let (items, total) = s.app.due_follow_ups(&c.ctx(), page).await?;
    Ok(Json(DueFollowUpPage {
        items: items
            .iter()
            .map(|d| DueFollowUpDto {
                follow_up: FollowUpDto::from(&d.follow_up),
                given_name: d.given_name.clone(),
                family_name: d.family_name.clone(),
                exit_date: d.exit_date.map(|x| x.to_string()),
            })
            .collect(),
        total,
        page: page.number,
        per_page: page.size,
    }))
}

/// The follow-up named by the path's second segment, as it stands now.
async fn one(s: &AppState, c: &Caller, pid: i64, fid: i64) -> Answer<Json<FollowUpDto>> {
    s.app
        .follow_ups(&c.ctx(), pid)
        .await?
        .iter()
        .find(|f| f.id == fid)
        .map(|f| Json(FollowUpDto::from(f)))
        .ok_or_else(WebError::not_found)
}

json_body!(
    /// What she said: `done_on` (YYYY-MM-DD, not in the future, not before
    /// her exit), `employment`, `studies` and `income_source` (the values
    /// of their schemas). Replaces a mark that she could not be reached.
    FollowUpBody = &[
        ("done_on", T::Text),
        ("employment", T::Text),
        ("studies", T::Text),
        ("income_source", T::Text),
    ]
);

/// Record what a follow-up found (audited)
#[utoipa::path(put, path = "/participants/{id}/follow-ups/{follow_up}", tag = "participants",
    params(("id" = i64, Path), ("follow_up" = i64, Path)), request_body = FollowUpBody,
    responses((status = 200, body = FollowUpDto)))]
pub async fn record_follow_up(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    follow_up: Segment,
    body: JsonObject,
) -> Answer<Json<FollowUpDto>> {
    let fid = follow_up.id()?;
    let f = body.to_form(&FollowUpBody::spec())?;
    s.app
        .record_follow_up(&c.ctx(), pid, fid, &f.input::<FollowUpInput>())
        .await?;
    one(&s, &c, pid, fid).await
}

json_body!(
    /// She could not be reached: `tried_on` (YYYY-MM-DD, not in the
    /// future, not before her exit) and optionally a `note` of what was
    /// tried (one line). A follow-up done is refused on `tried_on`.
    NotReachedBody = &[("tried_on", T::Text), ("note", T::Text)]
);

/// Close a follow-up as not reached (audited)
///
/// It leaves the list of follow-ups due; it does not count as followed up.
#[utoipa::path(put, path = "/participants/{id}/follow-ups/{follow_up}/not-reached", tag = "participants",
    params(("id" = i64, Path), ("follow_up" = i64, Path)), request_body = NotReachedBody,
    responses((status = 200, body = FollowUpDto)))]
pub async fn mark_follow_up_not_reached(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    follow_up: Segment,
    body: JsonObject,
) -> Answer<Json<FollowUpDto>> {
    let fid = follow_up.id()?;
    let f = body.to_form(&NotReachedBody::spec())?;
    s.app
        .mark_follow_up_not_reached(&c.ctx(), pid, fid, &f.input::<NotReachedInput>())
        .await?;
    one(&s, &c, pid, fid).await
}

/// One self-assessment: the day, a score (1–5) for each aspect, their
/// total (6–30), and whether she filled it in herself in her portal.
#[derive(Serialize, ToSchema)]
#[schema(as = SelfAssessment)]
pub struct SelfAssessmentDto {
    pub id: i64,
    #[schema(format = Date)]
    pub on: String,
    /// Each aspect's score, keyed by aspect (`swedish`, `health`,
    /// `confidence`, `work_readiness`, `network`, `everyday_life`).
    pub scores: std::collections::BTreeMap<String, i16>,
    pub total: i64,
    pub by_participant: bool,
}

impl From<&SelfAssessment> for SelfAssessmentDto {
    fn from(a: &SelfAssessment) -> Self {
        Self {
            id: a.id,
            on: a.on.to_string(),
            scores: Aspect::ALL
                .iter()
                .zip(&a.scores)
                .map(|(k, v)| (k.as_str().to_string(), *v))
                .collect(),
            total: a.total(),
            by_participant: a.by_participant,
        }
    }
}

/// Her self-assessments, oldest first, and the change in total from the
/// first to the latest (`null` until there are two).
#[derive(Serialize, ToSchema)]
pub struct SelfAssessmentList {
    pub items: Vec<SelfAssessmentDto>,
    pub change: Option<i64>,
}

/// Her self-assessments (audited)
#[utoipa::path(get, path = "/participants/{id}/self-assessments", tag = "participants",
    responses((status = 200, body = SelfAssessmentList)))]
pub async fn participant_self_assessments(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
) -> Answer<Json<SelfAssessmentList>> {
    let list = s.app.self_assessments(&c.ctx(), pid).await?;
    Ok(Json(SelfAssessmentList {
        change: change(&list),
        items: list.iter().map(SelfAssessmentDto::from).collect(),
    }))
}

json_body!(
    /// The day (`on`, YYYY-MM-DD, not in the future) and a score from 1
    /// (not at all) to 5 (fully) for every aspect.
    SelfAssessmentBody = &[
        ("on", T::Text),
        ("swedish", T::Integer),
        ("health", T::Integer),
        ("confidence", T::Integer),
        ("work_readiness", T::Integer),
        ("network", T::Integer),
        ("everyday_life", T::Integer),
    ]
);

/// Record a self-assessment made with her (audited)
///
/// Those who may change her record.
#[utoipa::path(post, path = "/participants/{id}/self-assessments", tag = "participants",
    request_body = SelfAssessmentBody, responses((status = 201, body = SelfAssessmentDto)))]
pub async fn record_self_assessment(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&SelfAssessmentBody::spec())?;
    let input = SelfAssessmentInput {
        on: f.get("on"),
        scores: Aspect::ALL.iter().map(|a| f.get(a.as_str())).collect(),
    };
    let scored = input.parse(s.app.today())?;
    let id = s.app.record_self_assessment(&c.ctx(), pid, &scored).await?;
    let list = s.app.self_assessments(&c.ctx(), pid).await?;
    let made = list
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(WebError::not_found)?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/participants/{pid}/self-assessments"),
        )],
        Json(SelfAssessmentDto::from(made)),
    )
        .into_response())
}
