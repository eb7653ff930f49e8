//! The inbox and the reminder choices in the API.

use super::pages::message_text;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, JsonObject, JsonType as T};
use crate::http::{AppState, Id};
use crate::participants::api::page_query;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use palett_app::AppError;
use palett_domain::FieldErrors;
use utoipa::IntoParams;

#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// One inbox message: what happened to which referral, at which partner
/// (never the woman's name).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct InboxMessageDto {
    pub id: i64,
    /// `referral_received` or `referral_answered`.
    pub kind: String,
    pub referral_id: Option<i64>,
    /// The partner on the other side; none: outside the partnership.
    pub partner: Option<String>,
    /// The referral's new state, for an answer.
    pub state: Option<String>,
    /// The message in the caller's language.
    pub text: String,
    /// When, RFC 3339.
    pub created_at: String,
    pub read: bool,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct InboxPage {
    pub items: Vec<InboxMessageDto>,
    pub total: i64,
    pub unread: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The caller's inbox, newest first
#[utoipa::path(get, path = "/inbox", tag = "reminders", params(InboxParams),
    responses((status = 200, body = InboxPage)))]
pub async fn inbox(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<InboxParams>,
) -> Answer<Json<InboxPage>> {
    let page = page_query(StatusCode::BAD_REQUEST, &q.page, &q.per_page)?;
    let inbox = s.app.inbox(&c.ctx(), page).await?;
    let t = c.tr();
    Ok(Json(InboxPage {
        items: inbox
            .items
            .iter()
            .map(|m| InboxMessageDto {
                id: m.id,
                kind: m.kind.as_str().into(),
                referral_id: m.referral_id,
                partner: m.other_organisation.clone(),
                state: m.state.map(|s| s.as_str().into()),
                text: message_text(t, m),
                created_at: jiff::Timestamp::from_second(m.created_at)
                    .map(|ts| ts.to_string())
                    .unwrap_or_default(),
                read: m.read,
            })
            .collect(),
        total: inbox.total,
        unread: inbox.unread,
        page: page.number,
        per_page: page.size,
    }))
}

/// A message marked read, and the referral or participant it is about.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReadMessage {
    pub referral_id: Option<i64>,
    pub participant_id: Option<i64>,
}

/// Mark one of the caller's messages read
#[utoipa::path(post, path = "/inbox/{id}/read", tag = "reminders",
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadMessage), (status = 404)))]
pub async fn read_message(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
) -> Answer<Json<ReadMessage>> {
    let (referral_id, participant_id) = match s.app.open_message(&c.ctx(), id).await? {
        palett_app::inbox::About::Referral(r) => (Some(r), None),
        palett_app::inbox::About::Participant(p) => (None, Some(p)),
        palett_app::inbox::About::Nothing => (None, None),
    };
    Ok(Json(ReadMessage {
        referral_id,
        participant_id,
    }))
}

/// What marking every message read did.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AllRead {
    /// How many were unread.
    pub marked: u64,
}

/// Mark all the caller's messages read
#[utoipa::path(post, path = "/inbox/read-all", tag = "reminders",
    responses((status = 200, body = AllRead)))]
pub async fn read_all(State(s): State<AppState>, c: Caller) -> Answer<Json<AllRead>> {
    let marked = s.app.read_all_messages(&c.ctx()).await?;
    Ok(Json(AllRead { marked }))
}

/// A new calendar feed: its secret address, shown this once.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CalendarFeed {
    /// The address to subscribe to (`…/calendar/<secret>.ics`): the
    /// sessions of the groups the caller leads, without participants.
    pub url: String,
}

/// Make the caller a new calendar feed (the old address stops working)
///
/// The answer is the only time the address is shown (`Cache-Control:
/// no-store`); only its hash is kept.
#[utoipa::path(post, path = "/me/calendar-feed", tag = "reminders",
    responses((status = 201, body = CalendarFeed)))]
pub async fn new_calendar_feed(State(s): State<AppState>, c: Caller, headers: HeaderMap) -> Answer {
    let secret = s.app.new_calendar_feed(&c.ctx()).await?;
    let url = format!(
        "{}/calendar/{secret}.ics",
        crate::http::origin(&s, &headers)
    );
    Ok(crate::http::idempotency::secret_once(
        (StatusCode::CREATED, Json(CalendarFeed { url })).into_response(),
    ))
}

/// Turn the caller's calendar feed off: its address stops working
///
/// 204 when there was one; 404 when she had none.
#[utoipa::path(delete, path = "/me/calendar-feed", tag = "reminders",
    responses((status = 204), (status = 404)))]
pub async fn revoke_calendar_feed(State(s): State<AppState>, c: Caller) -> Answer {
    if s.app.revoke_calendar_feed(&c.ctx()).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(WebError::not_found())
    }
}

/// The caller's reminders: the daily digest by e-mail and the calendar
/// feed (its address is shown once, on the reminders page).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Reminders {
    pub daily_digest: bool,
    /// When her calendar feed was made (RFC 3339); none: she has none.
    pub calendar_feed_since: Option<String>,
}

async fn reminders_of(s: &AppState, c: &Caller) -> Answer<Json<Reminders>> {
    let (daily_digest, feed) = s.app.reminder_choices(&c.ctx()).await?;
    Ok(Json(Reminders {
        daily_digest,
        calendar_feed_since: feed
            .and_then(|at| jiff::Timestamp::from_second(at).ok())
            .map(|ts| ts.to_string()),
    }))
}

/// The caller's reminder choices
#[utoipa::path(get, path = "/me/reminders", tag = "reminders",
    responses((status = 200, body = Reminders)))]
pub async fn reminders(State(s): State<AppState>, c: Caller) -> Answer<Json<Reminders>> {
    reminders_of(&s, &c).await
}

json_body!(
    /// `daily_digest`: whether a digest of what waits goes out by e-mail
    /// once a day (counts and a link only).
    NewReminders = &[("daily_digest", T::Boolean)]
);

/// Turn the caller's daily digest on or off
#[utoipa::path(put, path = "/me/reminders", tag = "reminders",
    request_body = NewReminders, responses((status = 200, body = Reminders), (status = 422)))]
pub async fn set_reminders(
    State(s): State<AppState>,
    c: Caller,
    body: JsonObject,
) -> Answer<Json<Reminders>> {
    let f = body.to_form(&NewReminders::spec())?;
    let on = match f.get("daily_digest").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(
                AppError::from(FieldErrors::single("daily_digest", "error-required")).into(),
            )
        }
    };
    s.app.set_daily_digest(&c.ctx(), on).await?;
    reminders_of(&s, &c).await
}
