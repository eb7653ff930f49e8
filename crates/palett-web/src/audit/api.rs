//! The audit log and the log review in the JSON API (coordinators and
//! administrators, as the pages): the log by ids, action and period
//! (`GET`), a search by names in a body (`POST`: no name in a URL), the
//! review of a period and signing one.

use super::words::action_text;
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::forms::{json_body, FormData, JsonObject, JsonType as T};
use crate::http::{AppState, Created};
use crate::i18n::Tr;
use crate::participants::api::page_query;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use jiff::civil::Date;
use palett_app::audit::{Action, LogPage, LogReview, Search};
use palett_app::filters::{AuditEntry, AuditFilter};
use palett_domain::values::{code, parse_date};
use palett_domain::FieldErrors;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// A moment as RFC 3339 in UTC.
fn moment(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The first second of a day in Swedish time, `plus` days on.
pub(crate) fn day_start(d: Date, plus: i64) -> Option<i64> {
    let d = d.checked_add(jiff::Span::new().days(plus)).ok()?;
    d.to_zoned(palett_app::clock::stockholm())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// The log's filters and page.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Refused here (400): names never travel in URLs.
    #[param(ignore)]
    participant_name: Option<String>,
    /// Refused here (400), as `participant_name`.
    #[param(ignore)]
    user_name: Option<String>,
    /// Entries about this participant.
    #[param(value_type = Option<i64>)]
    participant_id: Option<String>,
    /// Entries by this user.
    #[param(value_type = Option<i64>)]
    user_id: Option<String>,
    /// Entries by users of this organisation.
    #[param(value_type = Option<i64>)]
    organisation_id: Option<String>,
    /// The stored action code (`participant.read`, …).
    action: Option<String>,
    /// From this day (YYYY-MM-DD, Swedish time).
    #[param(format = Date)]
    from: Option<String>,
    /// To and with this day.
    #[param(format = Date)]
    to: Option<String>,
    /// 1-based page number.
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// 1–100, default 25.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// The search the filters make, or every field at fault.
fn search_of(f: &FormData) -> Result<Search, FieldErrors> {
    let mut e = FieldErrors::new();
    let given = |k: &str| Some(f.get(k).trim().to_string()).filter(|v| !v.is_empty());
    let mut id = |k: &str| {
        let v = given(k)?;
        e.take(k, v.parse::<i64>().map_err(|_| code::NUMBER))
    };
    let participant_id = id("participant_id");
    let user_id = id("user_id");
    let organisation_id = id("organisation_id");
    let action = given("action").and_then(|v| {
        e.take(
            "action",
            Action::parse(&v)
                .map(|a| a.as_str().to_string())
                .ok_or(code::CHOICE),
        )
    });
    let from = given("from").and_then(|v| e.take("from", parse_date(&v)));
    let to = given("to").and_then(|v| e.take("to", parse_date(&v)));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            e.push("to", code::PERIOD);
        }
    }
    e.into_result()?;
    Ok(Search {
        filter: AuditFilter {
            participant_id,
            user_id,
            organisation_id,
            from: from.and_then(|d| day_start(d, 0)),
            to: to.and_then(|d| day_start(d, 1)),
            action,
            ..AuditFilter::default()
        },
        user_name: given("user_name"),
        participant_name: given("participant_name"),
    })
}

/// One entry of the log.
#[derive(Serialize, ToSchema)]
#[schema(as = AuditEntry)]
pub struct AuditEntryDto {
    pub id: i64,
    #[schema(format = DateTime)]
    pub at: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub organisation: Option<String>,
    /// The roles she acted in (`coordinator,caseworker`, `system`, …).
    pub roles: String,
    /// The stored action code.
    pub action: String,
    /// The action in the caller's language.
    pub action_text: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// Her name, only when the caller may see her.
    pub participant_name: Option<String>,
    pub ip: String,
}

impl AuditEntryDto {
    fn new(t: Tr, e: &AuditEntry, log: Option<&LogPage>) -> Self {
        Self {
            id: e.id,
            at: e.at.to_string(),
            user_id: e.user_id,
            user_name: e.user_name.clone(),
            organisation: e.organisation_name.clone(),
            roles: e.roles.clone(),
            action: e.action.clone(),
            action_text: action_text(t, &e.action),
            entity: e.entity.clone(),
            entity_id: e.entity_id,
            participant_id: e.participant_id,
            participant_name: e
                .participant_id
                .and_then(|p| log.and_then(|l| l.names.get(&p).cloned())),
            ip: e.ip.clone(),
        }
    }
}

/// One page of the log, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// The log page of `f` (`bad`: the status of a bad value).
async fn log_page(s: &AppState, c: &Caller, f: &FormData, bad: StatusCode) -> Answer {
    let refuse = |e: FieldErrors| WebError {
        fields: e,
        ..WebError::new(bad, "error-invalid")
    };
    let search = search_of(f).map_err(refuse)?;
    let page = page_query(
        bad,
        &Some(f.get("page")).filter(|v| !v.is_empty()),
        &Some(f.get("per_page")).filter(|v| !v.is_empty()),
    )?;
    let log = palett_app::audit::search(&s.app, &c.ctx(), &search, page).await?;
    let t = c.tr();
    Ok(Json(AuditPage {
        items: log
            .entries
            .iter()
            .map(|e| AuditEntryDto::new(t, e, Some(&log)))
            .collect(),
        page: page.number,
        per_page: page.size,
        total: log.total,
    })
    .into_response())
}

/// The partnership's audit log, newest first (coordinators and
/// administrators; audited)
///
/// By ids, action and period; a search by names is `POST /audit/search`.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage)))]
pub async fn api_audit_log(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<AuditParams>,
) -> Answer {
    for (name, v) in [
        ("participant_name", &q.participant_name),
        ("user_name", &q.user_name),
    ] {
        if v.as_deref().is_some_and(|v| !v.is_empty()) {
            return Err(WebError::field(
                StatusCode::BAD_REQUEST,
                name,
                "error-audit-name-in-url",
            ));
        }
    }
    let pairs = [
        ("participant_id", &q.participant_id),
        ("user_id", &q.user_id),
        ("organisation_id", &q.organisation_id),
        ("action", &q.action),
        ("from", &q.from),
        ("to", &q.to),
        ("page", &q.page),
        ("per_page", &q.per_page),
    ];
    let f = FormData(
        pairs
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), (*v).clone()?)))
            .collect(),
    );
    log_page(&s, &c, &f, StatusCode::BAD_REQUEST).await
}

json_body!(
    /// The log's filters, and names: `user_name`, text in the name of
    /// whoever acted, and `participant_name`, text in the name of a
    /// participant the caller may see.
    AuditSearchBody = &[
        ("user_name", T::Text),
        ("participant_name", T::Text),
        ("participant_id", T::Integer),
        ("user_id", T::Integer),
        ("organisation_id", T::Integer),
        ("action", T::Text),
        ("from", T::Text),
        ("to", T::Text),
        ("page", T::Integer),
        ("per_page", T::Integer),
    ]
);

/// Search the audit log, also by names (coordinators and administrators;
/// audited)
///
/// A read (a read-only token may make it): the names travel in the body.
#[utoipa::path(post, path = "/audit/search", tag = "audit", request_body = AuditSearchBody,
    extensions(("x-palett-reads" = json!(true))),
    responses((status = 200, body = AuditPage)))]
pub async fn api_audit_search(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&AuditSearchBody::spec())?;
    log_page(&s, &c, &f, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The period of a log review.
#[derive(serde::Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewParams {
    /// The first day (YYYY-MM-DD); default 30 days ago.
    #[param(format = Date)]
    from: Option<String>,
    /// The last day; default today.
    #[param(format = Date)]
    to: Option<String>,
}

/// The review's days as moments: `from`'s first second to the second after
/// `to`, in Swedish time; a bad date is refused on its field with `bad`.
fn review_period(
    today: Date,
    from: &str,
    to: &str,
    bad: StatusCode,
) -> Answer<(Date, Date, i64, i64)> {
    let mut e = FieldErrors::new();
    let mut day = |k: &str, v: &str, default: Date| match v.trim() {
        "" => Some(default),
        v => e.take(k, parse_date(v)),
    };
    let month_ago = today
        .checked_sub(jiff::Span::new().days(30))
        .unwrap_or(today);
    let (from, to) = (day("from", from, month_ago), day("to", to, today));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(WebError {
            fields: e,
            ..WebError::new(bad, "error-invalid")
        });
    };
    let secs = |d, plus| day_start(d, plus).unwrap_or(0);
    Ok((from, to, secs(from, 0), secs(to, 1)))
}

/// A log entry with the reason of the emergency access it records.
#[derive(Serialize, ToSchema)]
pub struct EmergencyEntryDto {
    pub entry: AuditEntryDto,
    /// The reason given for the access; `null` for the reads it allowed.
    pub reason: Option<String>,
}

/// How many times one user did something in one day.
#[derive(Serialize, ToSchema)]
pub struct UserDayCountDto {
    pub user_id: i64,
    pub name: String,
    #[schema(format = Date)]
    pub day: String,
    pub count: i64,
}

/// A role giving access to participants or administration, approved.
#[derive(Serialize, ToSchema)]
pub struct AccessGrantDto {
    pub user_id: i64,
    pub user_name: String,
    #[schema(value_type = crate::http::openapi::vocab::Role)]
    pub role: palett_domain::policy::Role,
    pub requested_by: String,
    pub approved_by: Option<String>,
    #[schema(format = DateTime)]
    pub approved_at: Option<String>,
}

/// A signed log review.
#[derive(Serialize, ToSchema)]
pub struct SignedReviewDto {
    pub id: i64,
    pub reviewer: String,
    #[schema(format = DateTime)]
    pub period_from: String,
    #[schema(format = DateTime)]
    pub period_to: String,
    /// The ids of the reads reviewed.
    pub sample: Vec<i64>,
    pub note: String,
    #[schema(format = DateTime)]
    pub signed_at: String,
}

/// What the log review of a period looks at, and the reviews signed.
#[derive(Serialize, ToSchema)]
#[schema(as = LogReview)]
pub struct LogReviewDto {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// A review is due: none was signed in the last month.
    pub due: bool,
    /// Emergency accesses and the reads they allowed.
    pub emergency: Vec<EmergencyEntryDto>,
    /// Users with unusually many reads of participants in one day.
    pub heavy_readers: Vec<UserDayCountDto>,
    /// Refused requests for participant resources per user and day.
    pub refusals: Vec<UserDayCountDto>,
    pub access_grants: Vec<AccessGrantDto>,
    /// A random sample of reads to check against a need to know; sign it
    /// with `POST /audit/reviews`.
    pub sample: Vec<AuditEntryDto>,
    /// The reviews signed, newest first.
    pub reviews: Vec<SignedReviewDto>,
}

impl LogReviewDto {
    fn new(t: Tr, from: Date, to: Date, r: &LogReview) -> Self {
        let day = |secs: i64| {
            jiff::Timestamp::from_second(secs)
                .map(|ts| {
                    ts.to_zoned(palett_app::clock::stockholm())
                        .date()
                        .to_string()
                })
                .unwrap_or_default()
        };
        let count = |user_id: i64, name: &str, at: i64, count: i64| UserDayCountDto {
            user_id,
            name: name.to_string(),
            day: day(at),
            count,
        };
        Self {
            from: from.to_string(),
            to: to.to_string(),
            due: r.due,
            emergency: r
                .emergency
                .iter()
                .map(|x| EmergencyEntryDto {
                    entry: AuditEntryDto::new(t, &x.entry, None),
                    reason: x.reason.clone(),
                })
                .collect(),
            heavy_readers: r
                .heavy
                .iter()
                .map(|x| count(x.user_id, &x.name, x.day, x.count))
                .collect(),
            refusals: r
                .refused
                .iter()
                .map(|x| count(x.user_id, &x.name, x.day, x.count))
                .collect(),
            access_grants: r
                .access_grants
                .iter()
                .map(|g| AccessGrantDto {
                    user_id: g.user_id,
                    user_name: g.user_name.clone(),
                    role: g.role,
                    requested_by: g.requested_by_name.clone(),
                    approved_by: g.decided_by_name.clone(),
                    approved_at: g.decided_at.map(moment),
                })
                .collect(),
            sample: r
                .sample
                .iter()
                .map(|e| AuditEntryDto::new(t, e, None))
                .collect(),
            reviews: r
                .reviews
                .iter()
                .map(|x| SignedReviewDto {
                    id: x.id,
                    reviewer: x.reviewer.clone(),
                    period_from: moment(x.period_from),
                    period_to: moment(x.period_to),
                    sample: x.sample.clone(),
                    note: x.note.clone(),
                    signed_at: x.signed_at.to_string(),
                })
                .collect(),
        }
    }
}

/// The log review of a period (coordinators and administrators; audited)
///
/// Emergency accesses, heavy readers, refused requests, roles granted, a
/// random sample of reads, and whether a review is due.
#[utoipa::path(get, path = "/audit/review", tag = "audit", params(ReviewParams),
    responses((status = 200, body = LogReviewDto)))]
pub async fn api_log_review(
    State(s): State<AppState>,
    c: Caller,
    Query(q): Query<ReviewParams>,
) -> Answer<Json<LogReviewDto>> {
    let (from, to, start, end) = review_period(
        s.app.today(),
        q.from.as_deref().unwrap_or_default(),
        q.to.as_deref().unwrap_or_default(),
        StatusCode::BAD_REQUEST,
    )?;
    let r = palett_app::audit::log_review(&s.app, &c.ctx(), start, end, 20).await?;
    Ok(Json(LogReviewDto::new(c.tr(), from, to, &r)))
}

json_body!(
    /// The period reviewed (`from` and `to`, YYYY-MM-DD, as read with
    /// `GET /audit/review`), the ids of the reads in its `sample`, and
    /// the reviewer's conclusion (`note`).
    ReviewBody = &[
        ("from", T::Text),
        ("to", T::Text),
        ("sample", T::Integers),
        ("note", T::Text),
    ]
);

/// Sign a log review (coordinators and administrators; audited)
///
/// The sample must be reads of the partnership within the period.
#[utoipa::path(post, path = "/audit/reviews", tag = "audit", request_body = ReviewBody,
    responses((status = 201, body = Created)))]
pub async fn api_sign_log_review(State(s): State<AppState>, c: Caller, body: JsonObject) -> Answer {
    let f = body.to_form(&ReviewBody::spec())?;
    let (_, _, start, end) = review_period(
        s.app.today(),
        &f.get("from"),
        &f.get("to"),
        StatusCode::UNPROCESSABLE_ENTITY,
    )?;
    let sample: Vec<i64> = f
        .all("sample")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let id =
        palett_app::audit::sign_log_review(&s.app, &c.ctx(), (start, end), &sample, &f.get("note"))
            .await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}
