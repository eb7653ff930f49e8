use super::dto::{ArchiveHoldDto, ConsentDto, ConsentList, NoteDto, NoteList, RestrictionDto};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType};
use crate::http::{AppState, Created, Id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use palett_domain::record::{parse_restriction, parse_withdrawal_note, EmergencyInput, NoteInput};

/// A participant's consents, newest first, with whether each is in force
#[utoipa::path(get, path = "/participants/{id}/consents", tag = "consents",
    responses((status = 200, body = ConsentList)))]
pub async fn api_list(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let list = s.app.consents(&c.ctx(), pid).await?;
    Ok(Json(ConsentList {
        items: list.iter().map(|(k, f)| ConsentDto::new(k, *f)).collect(),
    })
    .into_response())
}

json_body!(
    /// `kind` and `method` (the values of the `ConsentKind` and
    /// `ConsentMethod` schemas), `given_on` and `expires_on`
    /// (YYYY-MM-DD), for sharing the `organisation_ids` it covers. One
    /// that would duplicate a consent in force is refused on `kind`
    /// (`error-consent-duplicate`, with the existing consent's
    /// `existing_id`).
    NewConsent = &[
        ("kind", JsonType::Text),
        ("method", JsonType::Text),
        ("witness", JsonType::Text),
        ("given_on", JsonType::Text),
        ("expires_on", JsonType::Text),
        ("note", JsonType::Text),
        ("organisation_ids", JsonType::Integers),
    ]
);

/// Record a consent the participant gave
#[utoipa::path(post, path = "/participants/{id}/consents", tag = "consents", request_body = NewConsent,
    responses((status = 201, body = Created)))]
pub async fn api_create(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewConsent::spec())?;
    let spec = f
        .input::<palett_domain::consent::ConsentInput>()
        .parse(s.app.today())?;
    let cid = s.app.give_consent(&c.ctx(), pid, &spec).await?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })).into_response())
}

json_body!(
    /// An optional `note`.
    Withdrawal = &[("note", JsonType::Text)]
);

/// Withdraw a consent; it stops counting at once and the record stays
///
/// The answer is her consents.
#[utoipa::path(post, path = "/consents/{id}/withdraw", tag = "consents", request_body = Withdrawal,
    responses((status = 200, body = ConsentList)))]
pub async fn api_withdraw(
    State(s): State<AppState>,
    c: Caller,
    Id(cid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&Withdrawal::spec())?;
    let note = parse_withdrawal_note(&f.get("note"))?;
    let pid = s
        .app
        .withdraw_consent(&c.ctx(), cid, note.as_deref())
        .await?;
    api_list(State(s), c, Id(pid)).await
}

/// The notes the caller may read: her organisation's and the shared ones (audited)
#[utoipa::path(get, path = "/participants/{id}/notes", tag = "participants",
    responses((status = 200, body = NoteList)))]
pub async fn api_notes(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let list = s.app.notes(&c.ctx(), pid).await?;
    Ok(Json(NoteList {
        items: list
            .iter()
            .map(|n| NoteDto {
                id: n.id,
                author: n.author.clone(),
                organisation: n.organisation.clone(),
                visibility: n.visibility.clone(),
                body: n.body.clone(),
                created_at: n.created_at.to_string(),
            })
            .collect(),
    })
    .into_response())
}

json_body!(
    /// The note's `body` and its `visibility` (`organisation` or `shared`).
    NewNote = &[("body", JsonType::Text), ("visibility", JsonType::Text)]
);

/// Write a note
#[utoipa::path(post, path = "/participants/{id}/notes", tag = "participants", request_body = NewNote,
    responses((status = 201, body = Created)))]
pub async fn api_add_note(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&NewNote::spec())?;
    let note = f.input::<NoteInput>().parse()?;
    let nid = s.app.add_note(&c.ctx(), pid, &note).await?;
    Ok((StatusCode::CREATED, Json(Created { id: nid })).into_response())
}

json_body!(
    /// `{"restricted": true, "reason": "…"}` or `{"restricted": false}`.
    RestrictionBody = &[
        ("restricted", JsonType::Boolean),
        ("reason", JsonType::Text),
    ]
);

/// Restrict processing of her record (GDPR art. 18) with a reason, or lift it
///
/// While restricted the record is kept but not changed, rostered or
/// exported for research.
#[utoipa::path(post, path = "/participants/{id}/restriction", tag = "data protection",
    request_body = RestrictionBody, responses((status = 200, body = RestrictionDto)))]
pub async fn api_restriction(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer {
    let f = body.to_form(&RestrictionBody::spec())?;
    let restricted = match f.get("restricted").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(WebError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "restricted",
                "error-choice",
            ))
        }
    };
    let reason = parse_restriction(restricted, &f.get("reason"))?;
    s.app
        .restrict_processing(&c.ctx(), pid, reason.as_deref())
        .await?;
    Ok(Json(RestrictionDto {
        participant_id: pid,
        processing_restricted: restricted,
    })
    .into_response())
}

json_body!(
    /// `{"hold": true}` to keep her record past the retention policy (an
    /// archive rule), `{"hold": false}` to stop keeping it.
    ArchiveHoldBody = &[("hold", JsonType::Boolean)]
);

/// Set or clear the archive hold that keeps her record from retention
/// (coordinators and administrators of her record; audited as
/// `participant.archive_hold`)
#[utoipa::path(post, path = "/participants/{id}/archive-hold", tag = "data protection",
    params(("id" = i64, Path)), request_body = ArchiveHoldBody,
    responses((status = 200, body = ArchiveHoldDto)))]
pub async fn api_archive_hold(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    body: JsonObject,
) -> Answer<Json<ArchiveHoldDto>> {
    let f = body.to_form(&ArchiveHoldBody::spec())?;
    let hold = match f.get("hold").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(WebError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "hold",
                "error-required",
            ))
        }
    };
    s.app.set_archive_hold(&c.ctx(), pid, hold).await?;
    Ok(Json(ArchiveHoldDto {
        participant_id: pid,
        archive_hold: hold,
    }))
}

/// A moment as RFC 3339 in UTC.
fn moment(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// An emergency access: whose record, why, and until when it lasts.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = EmergencyAccess)]
pub struct EmergencyAccessDto {
    pub id: i64,
    pub participant_id: i64,
    pub reason: String,
    #[schema(format = DateTime)]
    pub granted_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

impl From<&palett_app::participants::EmergencyGrant> for EmergencyAccessDto {
    fn from(g: &palett_app::participants::EmergencyGrant) -> Self {
        Self {
            id: g.id,
            participant_id: g.participant_id,
            reason: g.reason.clone(),
            granted_at: moment(g.granted_at),
            expires_at: moment(g.expires_at),
        }
    }
}

/// The caller's emergency accesses still in force.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EmergencyAccessList {
    pub items: Vec<EmergencyAccessDto>,
}

/// The caller's emergency accesses still in force, newest first
/// (coordinators)
#[utoipa::path(get, path = "/emergency-accesses", tag = "data protection",
    responses((status = 200, body = EmergencyAccessList)))]
pub async fn api_emergency_accesses(State(s): State<AppState>, c: Caller) -> Answer {
    let list = s.app.active_emergency_accesses(&c.ctx()).await?;
    Ok(Json(EmergencyAccessList {
        items: list.iter().map(EmergencyAccessDto::from).collect(),
    })
    .into_response())
}

json_body!(
    /// Whose record: her `participant_id`, or her `identity_number` (in the
    /// body, never in a URL; the id wins when both are sent); and the
    /// `reason`, a sentence that is reviewed.
    EmergencyBody = &[
        ("participant_id", JsonType::Integer),
        ("identity_number", JsonType::Text),
        ("reason", JsonType::Text),
    ]
);

/// Open a record by emergency access (coordinators; audited as an emergency)
///
/// For two hours the caller may read her record (not change it), and every
/// read is marked in the log for the log review. Someone not in the
/// partnership is refused on `participant_id` or `identity_number`.
#[utoipa::path(post, path = "/emergency-accesses", tag = "data protection",
    request_body = EmergencyBody, responses((status = 201, body = EmergencyAccessDto)))]
pub async fn api_break_the_glass(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&EmergencyBody::spec())?;
    let access = f.input::<EmergencyInput>().parse(s.app.today());
    let ctx = c.ctx();
    let pid = s.app.break_the_glass(&ctx, access).await?;
    let grant = s
        .app
        .active_emergency_accesses(&ctx)
        .await?
        .into_iter()
        .find(|g| g.participant_id == pid)
        .ok_or_else(WebError::not_found)?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/participants/{pid}"),
        )],
        Json(EmergencyAccessDto::from(&grant)),
    )
        .into_response())
}
