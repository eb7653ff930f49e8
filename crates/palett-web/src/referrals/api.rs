//! Referrals in the JSON API, and the partners' routines.

use super::dto::{
    AttachedNoteDto, ReferralDto, ReferralList, ReferralPage, ReferralStepDto, ReferralViewDto,
    RoutineDto, RoutineList,
};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T, Spec};
use crate::http::{AppState, Id};
use crate::participants::api::{page_query, query_id};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::referral::{ReferralInput, ReferralStepInput, RoutineInput};
use utoipa::IntoParams;

/// The list's side, state and page.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// `incoming` (to the caller's partner, the default) or `outgoing`.
    pub side: Option<String>,
    /// A `ReferralState` value, `waiting` (not yet answered) or `stale`
    /// (waiting past its answer time).
    pub state: Option<String>,
    /// Only those with this partner (an organisation id) on the other side.
    pub partner_id: Option<String>,
    /// `YYYY-MM`: only those sent that month.
    pub month: Option<String>,
    /// `answered`, `accepted` or `started`: only those that came that far
    /// (as the referral report counts them).
    pub reached: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// The referrals to or from the caller's partner, latest step first
/// (audited)
#[utoipa::path(get, path = "/referrals", tag = "referrals", params(ReferralQuery),
    responses((status = 200, body = ReferralPage)))]
pub async fn referrals(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ReferralQuery>,
) -> Answer<Json<ReferralPage>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let mut filter =
        palett_app::referrals::filter_of(q.side.as_deref(), q.state.as_deref(), s.app.today());
    filter.partner = query_id("partner_id", &q.partner_id)?;
    palett_app::referrals::narrow_to_report(&mut filter, q.month.as_deref(), q.reached.as_deref())
        .map_err(|field| {
            let code = if field == "month" {
                "error-month"
            } else {
                "error-choice"
            };
            WebError::field(StatusCode::BAD_REQUEST, field, code)
        })?;
    let list = s.app.referrals(&c.ctx(), &filter, page).await?;
    Ok(Json(ReferralPage {
        items: list
            .items
            .iter()
            .map(|(r, stale)| ReferralDto::new(r, *stale))
            .collect(),
        page: page.number,
        per_page: page.size,
        total: list.total,
    }))
}

async fn referral_view(s: &AppState, c: &Caller, id: i64) -> Answer<ReferralViewDto> {
    let v = s.app.referral(&c.ctx(), id).await?;
    Ok(ReferralViewDto {
        referral: ReferralDto::new(&v.referral, v.stale),
        steps: v.events.iter().map(ReferralStepDto::from).collect(),
        may_answer: v.may_answer,
        to_contact: v.to_contact,
        notes: v.notes.iter().map(AttachedNoteDto::from).collect(),
    })
}

/// A referral with its steps (audited)
#[utoipa::path(get, path = "/referrals/{id}", tag = "referrals",
    responses((status = 200, body = ReferralViewDto)))]
pub async fn referral(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ReferralViewDto>> {
    Ok(Json(referral_view(&s, &c, id).await?))
}

json_body!(
    /// A referral of her: `source` (`partner`, or who outside the
    /// partnership referred her, then `to_organisation_id` is the caller's
    /// own partner), `to_organisation_id`, `purpose`, `intervention_id`
    /// (needed for `intervention`; one the receiving partner provides),
    /// `reason`, `asked`, `sent_on`. A referral to a partner her sharing
    /// consent does not cover is refused
    /// (`error-referral-no-sharing-consent`) unless `record_consent` is true
    /// with `consent_method` and `consent_given_on`: the consent she has
    /// just given, recorded in the same step.
    NewReferral = REFERRAL_FIELDS,
        &[
            ("sent_on", T::Text),
            ("record_consent", T::Boolean),
            ("consent_method", T::Text),
            ("consent_given_on", T::Text),
            ("note_ids", T::Integers),
        ]
);

/// What any referral says: who referred her, to whom, for what, why, what
/// is asked.
const REFERRAL_FIELDS: Spec = &[
    ("source", T::Text),
    ("to_organisation_id", T::Integer),
    ("purpose", T::Text),
    ("intervention_id", T::Integer),
    ("reason", T::Text),
    ("asked", T::Text),
];

/// 201 with the new referral and where it is.
async fn created(s: &AppState, c: &Caller, id: i64) -> Answer {
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/referrals/{id}"),
        )],
        Json(referral_view(s, c, id).await?),
    )
        .into_response())
}

/// Refer her to a partner
#[utoipa::path(post, path = "/participants/{id}/referrals", tag = "referrals",
    request_body = NewReferral, responses((status = 201, body = ReferralViewDto)))]
pub async fn refer(State(s): State<AppState>, c: Caller, Id(pid): Id, body: JsonObject) -> Answer {
    let f = body.to_form(&NewReferral::spec())?;
    let parsed = f.input::<ReferralInput>().parse(s.app.today());
    let id = s.app.refer(&c.ctx(), pid, parsed).await?;
    created(&s, &c, id).await
}

json_body!(
    /// A woman not yet registered: her registration (the fields of
    /// `POST /participants`; she is registered as referred unless an
    /// `intake_date` is given, and the sharing consent she gives with
    /// `sharing_organisation_ids` is what the referral relies on) and the
    /// referral (`source`, `to_organisation_id`, `purpose`,
    /// `intervention_id`, `reason`, `asked`), sent on `referred_on`. Both
    /// or neither are recorded.
    NewReferredParticipant = crate::participants::api::PROFILE_FIELDS,
        crate::participants::api::REGISTRATION_FIELDS,
        REFERRAL_FIELDS
);

/// Register a woman not yet registered and refer her, in one step
#[utoipa::path(post, path = "/referrals", tag = "referrals",
    request_body = NewReferredParticipant, responses((status = 201, body = ReferralViewDto)))]
pub async fn register_and_refer(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&NewReferredParticipant::spec())?;
    let (profile, referral) = super::forms::new_woman_input(&f, s.app.today());
    let (_, id) = s
        .app
        .register_and_refer(&c.ctx(), profile, referral)
        .await?;
    created(&s, &c, id).await
}

/// Her referrals that the caller's partner sent or received (audited)
#[utoipa::path(get, path = "/participants/{id}/referrals", tag = "referrals",
    responses((status = 200, body = ReferralList)))]
pub async fn participant_referrals(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
) -> Answer<Json<ReferralList>> {
    let list = s.app.participant_referrals(&c.ctx(), pid).await?.items;
    Ok(Json(ReferralList {
        items: list
            .iter()
            .map(|(r, stale)| ReferralDto::new(r, *stale))
            .collect(),
    }))
}

json_body!(
    /// The next step, by the partner asked: `state` (one that may follow
    /// the current, see the `ReferralState` values), `on_date` (not in the
    /// future, not before the current step), `reason` (the `DeclineReason`
    /// values; only and always for `declined` and `not_started`), a `note`
    /// (needed for `sent_back`), `enrolment_id` (only and always for
    /// `started`: her enrolment in an intervention of the partner) and
    /// `to_organisation_id` (only and always for `forwarded`: the partner
    /// it goes on to, which her sharing consent must cover).
    NewReferralStep = &[
        ("state", T::Text),
        ("on_date", T::Text),
        ("reason", T::Text),
        ("note", T::Text),
        ("enrolment_id", T::Integer),
        ("to_organisation_id", T::Integer),
    ]
);

/// Take the next step of a referral
#[utoipa::path(post, path = "/referrals/{id}/steps", tag = "referrals",
    request_body = NewReferralStep, responses((status = 201, body = ReferralViewDto)))]
pub async fn take_referral_step(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewReferralStep::spec())?;
    s.app
        .referral_step(&c.ctx(), id, &f.input::<ReferralStepInput>())
        .await?;
    Ok((StatusCode::CREATED, Json(referral_view(&s, &c, id).await?)).into_response())
}

/// Every partner's referral routine
#[utoipa::path(get, path = "/referral-routines", tag = "referrals",
    responses((status = 200, body = RoutineList)))]
pub async fn routines(State(s): State<AppState>, c: Caller) -> Answer<Json<RoutineList>> {
    let list = s.app.referral_routines(&c.ctx()).await?;
    Ok(Json(RoutineList {
        items: list.iter().map(RoutineDto::from).collect(),
    }))
}

json_body!(
    /// A partner's routine: `answer_days` (working days, 1–60) and a
    /// `contact` point. Referrals already sent keep their answer time.
    NewRoutine = &[("answer_days", T::Integer), ("contact", T::Text)]
);

/// Agree a partner's referral routine
#[utoipa::path(put, path = "/organisations/{id}/referral-routine", tag = "referrals",
    request_body = NewRoutine, responses((status = 200, body = RoutineDto)))]
pub async fn set_routine(
    State(s): State<AppState>,
    c: Caller,
    Id(org): Id,
    body: JsonObject,
) -> Answer<Json<RoutineDto>> {
    let f = body.to_form(&NewRoutine::spec())?;
    s.app
        .set_referral_routine(&c.ctx(), org, f.input::<RoutineInput>().parse())
        .await?;
    let list = s.app.referral_routines(&c.ctx()).await?;
    let r = list
        .iter()
        .find(|r| r.organisation_id == org)
        .ok_or(palett_app::AppError::NotFound)?;
    Ok(Json(RoutineDto::from(r)))
}

/// One line of the referral report.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReferralReportLine {
    pub to_organisation_id: i64,
    pub to_name: String,
    /// The month the referrals were sent (YYYY-MM).
    pub month: String,
    pub sent: i64,
    pub answered: i64,
    pub accepted: i64,
    /// Started: led to an enrolment.
    pub started: i64,
    /// Accepted of answered, per cent.
    pub acceptance_rate: Option<f64>,
    /// Median working days from sent to answered.
    pub median_days_to_answer: Option<f64>,
    /// Median working days from sent to started.
    pub median_days_to_start: Option<f64>,
    /// Started (led to an enrolment) of sent, per cent.
    pub share_started: Option<f64>,
}

/// The referral report.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReferralReport {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub lines: Vec<ReferralReportLine>,
}

/// The period of the report: referrals sent from `from` to `to` (both
/// YYYY-MM-DD); all up to today when neither is given.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Referrals per receiving partner and month (figures only)
#[utoipa::path(get, path = "/reports/referrals", tag = "referrals", params(ReportParams),
    responses((status = 200, body = ReferralReport)))]
pub async fn referral_report(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ReportParams>,
) -> Answer<Json<ReferralReport>> {
    let query = super::pages::ReportQuery {
        from: q.from,
        to: q.to,
    };
    let (from, to) =
        super::pages::report_period(&query, s.app.today()).map_err(|(field, code)| {
            crate::http::error::WebError::field(StatusCode::BAD_REQUEST, &field, code)
        })?;
    let rows = s.app.referral_report(&c.ctx(), (from, to)).await?;
    Ok(Json(ReferralReport {
        from: from.to_string(),
        to: to.to_string(),
        lines: rows
            .into_iter()
            .map(|(name, r)| ReferralReportLine {
                to_organisation_id: r.to_organisation_id,
                to_name: name,
                month: r.month.strftime("%Y-%m").to_string(),
                sent: r.sent,
                answered: r.answered,
                accepted: r.accepted,
                started: r.started,
                acceptance_rate: r.acceptance_rate,
                median_days_to_answer: r.median_days_to_answer,
                median_days_to_start: r.median_days_to_start,
                share_started: r.share_started,
            })
            .collect(),
    }))
}
