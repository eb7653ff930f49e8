use super::dto::{HandoverDone, ParticipantPage, ParticipantViewDto};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType, Overlay, Spec};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id};
use crate::participants::status::parse_change;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::filters::ParticipantFilter as Filter;
use palett_app::participants::{Page, ParticipantView, Position};
use palett_domain::lifecycle::{Status, TransitionKind};
use palett_domain::model::ParticipantInput;
use palett_domain::record::HandoverInput;
use palett_domain::values::FromFields;
use utoipa::IntoParams;

pub(crate) fn view_json(v: &ParticipantView) -> ParticipantViewDto {
    v.into()
}

/// The list's filters and page (query parameters; a search's body).
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Refused here (400): names never travel in URLs.
    #[param(ignore)]
    pub(crate) q: Option<String>,
    #[param(value_type = Option<vocab::Status>)]
    pub(crate) status: Option<String>,
    #[param(value_type = Option<i64>)]
    pub(crate) organisation_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub(crate) project_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub(crate) caseworker_id: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub(crate) per_page: Option<String>,
    /// The page just after this participant (a page's `next_after`):
    /// keyset paging, as fast deep in the list as at its start.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) after: Option<String>,
    /// The page just before this participant (a page's `prev_before`).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) before: Option<String>,
}

pub(crate) fn query_id(name: &str, v: &Option<String>) -> Answer<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::field(StatusCode::BAD_REQUEST, name, "error-number")),
    }
}

/// Participants the caller may see, one page
///
/// Filters by ids and status only, so that no name travels in a URL; a `q`
/// here is refused (400) with a pointer to `POST /participants/search`.
#[utoipa::path(get, path = "/participants", tag = "participants", params(ListQuery),
    responses((status = 200, body = ParticipantPage)))]
pub async fn participants(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ListQuery>,
) -> Answer {
    if q.q.as_deref().is_some_and(|v| !v.is_empty()) {
        return Err(WebError::field(
            StatusCode::BAD_REQUEST,
            "q",
            "error-name-in-url",
        ));
    }
    list(&s, &c, q, StatusCode::BAD_REQUEST).await
}

json_body!(
    /// The list's filters and page, and `q`: a part of her name.
    SearchBody = &[
        ("q", JsonType::Text),
        ("status", JsonType::Text),
        ("organisation_id", JsonType::Integer),
        ("project_id", JsonType::Integer),
        ("caseworker_id", JsonType::Integer),
        ("page", JsonType::Integer),
        ("per_page", JsonType::Integer),
        ("after", JsonType::Integer),
        ("before", JsonType::Integer),
    ]
);

/// Search participants the caller may see, by name and filters in the body
///
/// A read (a read-only token may make it): the name travels in the body,
/// never in a URL.
#[utoipa::path(post, path = "/participants/search", tag = "participants", request_body = SearchBody,
    extensions(("x-palett-reads" = json!(true))),
    responses((status = 200, body = ParticipantPage)))]
pub async fn search_participants(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let form = body.to_form(&SearchBody::spec())?;
    let some = |k: &str| Some(form.get(k)).filter(|v| !v.is_empty());
    let q = ListQuery {
        q: some("q"),
        status: some("status"),
        organisation_id: some("organisation_id"),
        project_id: some("project_id"),
        caseworker_id: some("caseworker_id"),
        page: some("page"),
        per_page: some("per_page"),
        after: some("after"),
        before: some("before"),
    };
    list(&s, &c, q, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `page` or `per_page`: absent, or a whole number in `range`; anything
/// else is refused by name (400 in a query string, 422 in a body), never
/// quietly clamped.
pub(crate) fn paging(
    status: StatusCode,
    name: &str,
    v: &Option<String>,
    range: std::ops::RangeInclusive<i64>,
    code: &'static str,
) -> Answer<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| WebError::field(status, name, code)),
    }
}

/// A list's page from its `page` and `per_page` (each absent, or a whole
/// number in range; `bad` answers anything else).
pub(crate) fn page_query(
    bad: StatusCode,
    page: &Option<String>,
    per_page: &Option<String>,
) -> Answer<Page> {
    Ok(Page::new(
        paging(bad, "page", page, 1..=i64::MAX, "error-page")?,
        paging(
            bad,
            "per_page",
            per_page,
            1..=Page::MAX_SIZE,
            "error-per-page",
        )?,
    ))
}

/// Where a page starts: `page` (a number), or `after` or `before` (a
/// participant's id, keyset paging); at most one of them, each absent or a
/// whole number from 1, else refused by name (`bad`). The page size and
/// number to report, and the position.
pub(crate) fn position_query(
    bad: StatusCode,
    page: &Option<String>,
    per_page: &Option<String>,
    after: &Option<String>,
    before: &Option<String>,
) -> Answer<(Page, Position)> {
    let numbered = page_query(bad, page, per_page)?;
    let after = paging(bad, "after", after, 1..=i64::MAX, "error-cursor-id")?;
    let before = paging(bad, "before", before, 1..=i64::MAX, "error-cursor-id")?;
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let at = match (after, before) {
        (Some(_), Some(_)) => return Err(WebError::field(bad, "before", "error-cursor-conflict")),
        (Some(_), None) | (None, Some(_)) if given(page) => {
            return Err(WebError::field(bad, "page", "error-cursor-conflict"))
        }
        (Some(a), None) => Position::After(a),
        (None, Some(b)) => Position::Before(b),
        (None, None) => Position::Offset(numbered.offset()),
    };
    let number = if matches!(at, Position::Offset(_)) {
        numbered.number
    } else {
        1
    };
    Ok((
        Page {
            number,
            size: numbered.size,
        },
        at,
    ))
}

/// The list behind GET and search; `bad` answers a bad paging value
/// (400 for a query parameter, 422 for a body field).
pub(crate) async fn list(s: &AppState, c: &Caller, q: ListQuery, bad: StatusCode) -> Answer {
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|st| {
            Status::parse(st)
                .ok_or_else(|| WebError::field(StatusCode::BAD_REQUEST, "status", "error-choice"))
        })
        .transpose()?;
    let filter = Filter {
        name: q
            .q
            .clone()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.chars().take(100).collect()),
        status,
        organisation_id: query_id("organisation_id", &q.organisation_id)?,
        project_id: query_id("project_id", &q.project_id)?,
        caseworker_id: query_id("caseworker_id", &q.caseworker_id)?,
        identity_hash: None,
        slice: None,
        planned_end_within: None,
        consent_expiring_within: None,
        without_plan: false,
        placement_review_due_on: None,
        plan_written_before: None,
        waiting_at: None,
    };
    let (page, at) = position_query(bad, &q.page, &q.per_page, &q.after, &q.before)?;
    let list = s
        .app
        .participants_at(&c.ctx(), &filter, page.size, at)
        .await?;
    Ok(Json(ParticipantPage::of(&list, page.number, page.size)).into_response())
}

/// One participant, with caseworkers, projects and status history (audited)
#[utoipa::path(get, path = "/participants/{id}", tag = "participants",
    responses((status = 200, body = ParticipantViewDto)))]
pub async fn participant(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok(Json(view_json(&v)).into_response())
}

/// The profile's fields and their JSON types; `languages` may be a list of
/// strings or one text.
pub(crate) const PROFILE_FIELDS: Spec = &[
    ("given_name", JsonType::Text),
    ("family_name", JsonType::Text),
    ("identity_kind", JsonType::Text),
    ("identity_number", JsonType::Text),
    ("birth_date", JsonType::Text),
    ("gender", JsonType::Text),
    ("country_of_birth", JsonType::Text),
    ("arrival_year", JsonType::Integer),
    ("languages", JsonType::TextOrTexts),
    ("interpreter_needed", JsonType::Boolean),
    ("phone", JsonType::Text),
    ("email", JsonType::Text),
    ("address", JsonType::Text),
    ("education_level", JsonType::Text),
    ("labour_status", JsonType::Text),
    ("income_source", JsonType::Text),
    ("months_on_support", JsonType::Integer),
    ("swedish_level", JsonType::Text),
    ("referral_source", JsonType::Text),
    ("responsible_organisation_id", JsonType::Integer),
    ("referred_on", JsonType::Text),
    ("health_notes", JsonType::Text),
    ("support_needs", JsonType::Text),
    ("protected_identity", JsonType::Boolean),
    ("caseworker_ids", JsonType::Integers),
    ("project_ids", JsonType::Integers),
];
/// Only when registering.
pub(crate) const REGISTRATION_FIELDS: Spec = &[
    ("intake_date", JsonType::Text),
    ("start_on", JsonType::Text),
    ("consent_method", JsonType::Text),
    ("sharing_organisation_ids", JsonType::Integers),
];

json_body!(
    /// Her profile. With `intake_date` she is enrolled at once, and with
    /// `start_on` (YYYY-MM-DD, neither before the intake nor in the
    /// future) also started (active) in the same change;
    /// `sharing_organisation_ids` are the partners her sharing consent
    /// covers, given as `consent_method` (required with sharing). The
    /// restricted group (`health_notes`, `support_needs`,
    /// `protected_identity`) is ignored from callers who may not see it.
    NewParticipant = PROFILE_FIELDS, REGISTRATION_FIELDS
);

json_body!(
    /// Only the profile fields sent change; send the `version` you read to
    /// have a concurrent change refused (409).
    ParticipantPatch = PROFILE_FIELDS, &[("version", JsonType::Integer)]
);

/// Register a participant (with intake_date: enrolled at once)
#[utoipa::path(post, path = "/participants", tag = "participants", request_body = NewParticipant,
    responses((status = 201, body = ParticipantViewDto, headers(("location" = String, description = "The new participant's URL.")))))]
pub async fn create_participant(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let form = body.to_form(&NewParticipant::spec())?;
    let id = s
        .app
        .register_participant(
            &c.ctx(),
            form.input::<ParticipantInput>().parse(s.app.today()),
        )
        .await?;
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/participants/{id}"),
        )],
        Json(view_json(&v)),
    )
        .into_response())
}

/// Change profile fields; send `version` to refuse stale edits (409)
///
/// A change of `responsible_organisation_id` is refused (field error
/// `error-use-handover`): that is a handover.
#[utoipa::path(patch, path = "/participants/{id}", tag = "participants", request_body = ParticipantPatch,
    responses((status = 200, body = ParticipantViewDto)))]
pub async fn update_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let patch = body.to_form(&ParticipantPatch::spec())?;
    // Merge the patch onto the stored profile, then validate the whole.
    let (stored, stored_version) = s.app.participant_input(&c.ctx(), id).await?;
    let has = |k: &str| body.0.contains_key(k);
    let input = ParticipantInput::from_fields(&Overlay {
        sent: &body,
        patch: &patch,
        base: &stored,
    });
    let version = if has("version") {
        patch.get("version").parse::<i64>().map_err(|_| {
            WebError::field(StatusCode::UNPROCESSABLE_ENTITY, "version", "error-number")
        })?
    } else {
        stored_version
    };
    s.app
        .update_participant(&c.ctx(), id, Some(version), &input.parse(s.app.today())?)
        .await?;
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok(Json(view_json(&v)).into_response())
}

pub(crate) async fn do_transition(
    s: &AppState,
    c: &Caller,
    id: i64,
    kind: TransitionKind,
    body: &JsonObject,
    fields: Spec<'_>,
) -> Answer {
    let form = body.to_form(fields)?;
    let (t, to) = parse_change(kind, &form)?;
    s.app.transition_to(&c.ctx(), id, t, &to).await?;
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok(Json(view_json(&v)).into_response())
}

json_body!(
    /// `intake_date`: the day she is enrolled (YYYY-MM-DD); optionally
    /// `start_on` (YYYY-MM-DD): start her (active) on that day in the same
    /// change, neither before the intake nor in the future.
    IntakeBody = &[("intake_date", JsonType::Text), ("start_on", JsonType::Text)]
);

/// Enrol a referred participant, and with start_on start her at once
///
/// With `start_on` the intake and the start are one change: both status
/// changes are recorded and audited, or neither.
#[utoipa::path(post, path = "/participants/{id}/intake", tag = "lifecycle", request_body = IntakeBody,
    responses((status = 200, body = ParticipantViewDto)))]
pub async fn intake(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    let form = body.to_form(&IntakeBody::spec())?;
    let on = parse_change(TransitionKind::Intake, &form).map(|(t, _)| t.on());
    let start = palett_domain::lifecycle::parse_start(
        "",
        &form.get("start_on"),
        on.as_ref().ok().copied(),
        s.app.today(),
    );
    let (on, start) = match (on, start) {
        (Ok(on), Ok(start)) => (on, start),
        (Err(mut a), Err(b)) => {
            // A bad intake date makes any start day "needs an intake": say
            // only what is wrong with the intake date then.
            if !form.get("start_on").trim().is_empty() {
                a.0.extend(b.0.into_iter().filter(|e| {
                    e.code != palett_domain::lifecycle::lifecycle_code::START_NEEDS_INTAKE
                }));
            }
            return Err(a.into());
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    s.app.intake_and_start(&c.ctx(), id, on, start).await?;
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok(Json(view_json(&v)).into_response())
}

json_body!(
    /// `exit_date` (YYYY-MM-DD) and `exit_outcome` (one of the values of
    /// the `ExitOutcome` schema); for an exit to employment optionally the
    /// `employer_id` and her `placement_id` that led there (a placement
    /// alone names its employer), for one to studies the `school`.
    ExitBody = &[
        ("exit_date", JsonType::Text),
        ("exit_outcome", JsonType::Text),
        ("employer_id", JsonType::Integer),
        ("placement_id", JsonType::Integer),
        ("school", JsonType::Text),
    ]
);

/// End a participant's programme with an outcome
#[utoipa::path(post, path = "/participants/{id}/exit", tag = "lifecycle", request_body = ExitBody,
    responses((status = 200, body = ParticipantViewDto)))]
pub async fn exit(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    do_transition(&s, &c, id, TransitionKind::Exit, &body, &ExitBody::spec()).await
}

json_body!(
    /// `organisation_id`: the receiving organisation, a member of the
    /// partnership today; `reason`; optionally the `version` you read (a
    /// concurrent change answers 409).
    HandoverBody = &[
        ("organisation_id", JsonType::Integer),
        ("reason", JsonType::Text),
        ("version", JsonType::Integer),
    ]
);

/// Move the responsibility for her to another member organisation
///
/// A handover, with a reason: coordinators of the organisation responsible
/// for her. Kept in her history (handovers) and audited as
/// participant.handover. The answer is the handover itself: the giving
/// organisation may no longer see her (`still_visible` false).
#[utoipa::path(post, path = "/participants/{id}/handover", tag = "lifecycle", request_body = HandoverBody,
    responses((status = 200, body = HandoverDone)))]
pub async fn handover(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let form = body.to_form(&HandoverBody::spec())?;
    let version = match form.get("version").trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| {
            WebError::field(StatusCode::UNPROCESSABLE_ENTITY, "version", "error-number")
        })?),
    };
    let ctx = c.ctx();
    let (h, still_visible) = s
        .app
        .hand_over(&ctx, id, version, form.input::<HandoverInput>().parse())
        .await?;
    // The giving organisation may no longer see her: the answer is the
    // handover itself, not her record.
    Ok(Json(HandoverDone {
        participant_id: id,
        handover: (&h).into(),
        still_visible,
    })
    .into_response())
}

json_body!(
    /// `kind`: start, pause, resume or reopen; `date` (YYYY-MM-DD);
    /// `reason`, required for pause and reopen; `pause_kind` for a pause
    /// (one of the values of the `PauseKind` schema).
    TransitionBody = &[
        ("kind", JsonType::Text),
        ("date", JsonType::Text),
        ("reason", JsonType::Text),
        ("pause_kind", JsonType::Text),
    ]
);

/// Start, pause, resume or reopen (reopen: coordinators, with a reason)
#[utoipa::path(post, path = "/participants/{id}/transitions", tag = "lifecycle", request_body = TransitionBody,
    responses((status = 200, body = ParticipantViewDto)))]
pub async fn transition(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let spec = TransitionBody::spec();
    let form = body.to_form(&spec)?;
    let kind = TransitionKind::parse(form.get("kind").trim()).filter(|k| {
        matches!(
            k,
            TransitionKind::Start
                | TransitionKind::Pause
                | TransitionKind::Resume
                | TransitionKind::Reopen
        )
    });
    let Some(kind) = kind else {
        return Err(WebError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind",
            "error-choice",
        ));
    };
    do_transition(&s, &c, id, kind, &body, &spec).await
}
