use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{JsonObject, JsonType, Spec};
use crate::http::{AppState, Id};
use crate::participants::status::parse_transition;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::filters::ParticipantFilter as Filter;
use palett_app::participants::{Page, ParticipantView};
use palett_domain::lifecycle::{Status, TransitionKind};
use palett_domain::model::Participant;
use palett_domain::record::HandoverInput;
use serde_json::{json, Value};

pub(crate) fn participant_json(p: &Participant) -> Value {
    json!({
        "id": p.id,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "identity_kind": p.identity_kind,
        "identity_number": p.identity_number,
        "birth_date": p.birth_date.to_string(),
        "birth_year": p.birth_year(),
        "gender": p.gender,
        "country_of_birth": p.country_of_birth,
        "arrival_year": p.arrival_year,
        "languages": p.languages,
        "interpreter_needed": p.interpreter_needed,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "education_level": p.education_level,
        "entry": {
            "labour_status": p.entry.labour_status,
            "income_source": p.entry.income_source,
            "months_on_support": p.entry.months_on_support,
        },
        "swedish_level": p.swedish_level,
        "referral_source": p.referral_source,
        "responsible_organisation": {"id": p.responsible_organisation_id, "name": p.responsible_organisation_name},
        "status": p.state.status,
        "referred_on": p.state.referred_on.to_string(),
        "intake_date": p.state.intake_date.map(|d| d.to_string()),
        "exit_date": p.state.exit_date.map(|d| d.to_string()),
        "exit_outcome": p.state.exit_outcome,
        "version": p.version,
        "processing_restricted": p.processing_restricted,
        "restricted": p.restricted.as_ref().map(|r| json!({
            "health_notes": r.health_notes,
            "support_needs": r.support_needs,
            "protected_identity": r.protected_identity,
        })),
    })
}

pub(crate) fn view_json(v: &ParticipantView) -> Value {
    let mut j = participant_json(&v.participant);
    j["caseworkers"] = json!(v
        .caseworkers
        .iter()
        .map(|c| json!({"id": c.user_id, "name": c.name, "organisation": c.organisation}))
        .collect::<Vec<_>>());
    j["projects"] = json!(v
        .projects
        .iter()
        .map(|p| json!({"id": p.project_id, "name": p.name}))
        .collect::<Vec<_>>());
    j["history"] = json!(v
        .history
        .iter()
        .map(|h| json!({
            "kind": h.kind, "from_status": h.from_status, "to_status": h.to_status,
            "on": h.on_date.to_string(), "reason": h.reason, "exit_outcome": h.exit_outcome,
            "by": h.actor_name, "at": h.at.to_string(),
        }))
        .collect::<Vec<_>>());
    j["handovers"] = json!(v
        .handovers
        .iter()
        .map(|h| json!({
            "from_organisation": {"id": h.from_organisation_id, "name": h.from_organisation_name},
            "to_organisation": {"id": h.to_organisation_id, "name": h.to_organisation_name},
            "on": h.on_date.to_string(), "reason": h.reason, "by": h.actor_name,
            "at": h.at.to_string(),
        }))
        .collect::<Vec<_>>());
    j
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub(crate) q: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) organisation_id: Option<String>,
    pub(crate) project_id: Option<String>,
    pub(crate) caseworker_id: Option<String>,
    pub(crate) page: Option<String>,
    pub(crate) per_page: Option<String>,
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

/// GET list: filters by ids and status only, so that no name travels in a
/// URL; a `q` here is refused with a pointer to the search endpoint.
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

/// POST search: the same filters plus the name, in the body.
pub async fn search_participants(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let form = body.to_form(&[
        ("q", JsonType::Text),
        ("status", JsonType::Text),
        ("organisation_id", JsonType::Integer),
        ("project_id", JsonType::Integer),
        ("caseworker_id", JsonType::Integer),
        ("page", JsonType::Integer),
        ("per_page", JsonType::Integer),
    ])?;
    let some = |k: &str| Some(form.get(k)).filter(|v| !v.is_empty());
    let q = ListQuery {
        q: some("q"),
        status: some("status"),
        organisation_id: some("organisation_id"),
        project_id: some("project_id"),
        caseworker_id: some("caseworker_id"),
        page: some("page"),
        per_page: some("per_page"),
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
    };
    let page = Page::new(
        paging(bad, "page", &q.page, 1..=i64::MAX, "error-page")?,
        paging(
            bad,
            "per_page",
            &q.per_page,
            1..=Page::MAX_SIZE,
            "error-per-page",
        )?,
    );
    let (items, total) = s.app.participants(&c.ctx(), &filter, page).await?;
    Ok(Json(json!({
        "items": items.iter().map(|i| json!({
            "id": i.id,
            "given_name": i.given_name,
            "family_name": i.family_name,
            "birth_year": i.birth_year,
            "status": i.status,
            "responsible_organisation": i.responsible_organisation_name,
            "intake_date": i.intake_date.map(|d| d.to_string()),
            "exit_date": i.exit_date.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "page": page.number,
        "per_page": page.size,
        "total": total,
    }))
    .into_response())
}

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
const REGISTRATION_FIELDS: Spec = &[
    ("intake_date", JsonType::Text),
    ("consent_method", JsonType::Text),
    ("sharing_organisation_ids", JsonType::Integers),
];

pub async fn create_participant(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let spec = [PROFILE_FIELDS, REGISTRATION_FIELDS].concat();
    let form = body.to_form(&spec)?;
    let profile = form.participant().parse(s.app.today());
    let id = s.app.register_participant(&c.ctx(), profile).await?;
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

pub async fn update_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let spec = [PROFILE_FIELDS, &[("version", JsonType::Integer)]].concat();
    let patch = body.to_form(&spec)?;
    // Merge the patch onto the stored profile, then validate the whole.
    let (mut input, stored_version) = s.app.participant_input(&c.ctx(), id).await?;
    let has = |k: &str| body.0.contains_key(k);
    macro_rules! take {
        ($($f:ident),*) => { $( if has(stringify!($f)) { input.$f = patch.get(stringify!($f)); } )* };
    }
    take!(
        given_name,
        family_name,
        identity_kind,
        identity_number,
        birth_date,
        gender,
        country_of_birth,
        arrival_year,
        languages,
        interpreter_needed,
        phone,
        email,
        address,
        education_level,
        labour_status,
        income_source,
        months_on_support,
        swedish_level,
        referral_source,
        responsible_organisation_id,
        referred_on,
        health_notes,
        support_needs,
        protected_identity
    );
    if has("caseworker_ids") {
        input.caseworker_ids = patch.all("caseworker_ids");
    }
    if has("project_ids") {
        input.project_ids = patch.all("project_ids");
    }
    let version = if has("version") {
        patch.get("version").parse::<i64>().map_err(|_| {
            WebError::field(StatusCode::UNPROCESSABLE_ENTITY, "version", "error-number")
        })?
    } else {
        stored_version
    };
    let profile = input.parse(s.app.today())?;
    s.app
        .update_participant(&c.ctx(), id, Some(version), &profile)
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
    let t = parse_transition(kind, &form)?;
    s.app.transition(&c.ctx(), id, t).await?;
    let v = s.app.participant(&c.ctx(), id).await?;
    Ok(Json(view_json(&v)).into_response())
}

pub async fn intake(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    do_transition(
        &s,
        &c,
        id,
        TransitionKind::Intake,
        &body,
        &[("intake_date", JsonType::Text)],
    )
    .await
}

pub async fn exit(State(s): State<AppState>, c: Caller, Id(id): Id, body: JsonObject) -> Answer {
    do_transition(
        &s,
        &c,
        id,
        TransitionKind::Exit,
        &body,
        &[
            ("exit_date", JsonType::Text),
            ("exit_outcome", JsonType::Text),
        ],
    )
    .await
}

/// start, pause, resume and reopen: `{"kind": "...", "date": "...", "reason": "..."}`.
/// `POST /participants/{id}/handover`: move the responsibility for her to
/// another organisation (`organisation_id`, `reason`, optional `version`).
pub async fn handover(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let form = body.to_form(&[
        ("organisation_id", JsonType::Integer),
        ("reason", JsonType::Text),
        ("version", JsonType::Integer),
    ])?;
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
    Ok(Json(json!({
        "participant_id": id,
        "from_organisation": {"id": h.from_organisation_id, "name": h.from_organisation_name},
        "to_organisation": {"id": h.to_organisation_id, "name": h.to_organisation_name},
        "on": h.on_date.to_string(), "reason": h.reason, "by": h.actor_name,
        "at": h.at.to_string(),
        "still_visible": still_visible,
    }))
    .into_response())
}

pub async fn transition(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    body: JsonObject,
) -> Answer {
    let spec: Spec = &[
        ("kind", JsonType::Text),
        ("date", JsonType::Text),
        ("reason", JsonType::Text),
        ("pause_kind", JsonType::Text),
    ];
    let form = body.to_form(spec)?;
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
    do_transition(&s, &c, id, kind, &body, spec).await
}
