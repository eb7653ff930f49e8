use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{choices, date_text, options, render};
use askama::Template;
use axum::extract::{Query, State};
use palett_app::participants::{ListPage, Page, Position};
use palett_app::AppError;
use palett_domain::lifecycle::Status;
use palett_domain::worklist::WorkItem;

// ---------------------------------------------------------------- participants

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub(crate) q: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) project: Option<String>,
    pub(crate) caseworker: Option<String>,
    /// `30`: those whose planned period ends within 30 days (a worklist's
    /// link); anything else is no filter.
    pub(crate) ending: Option<String>,
    /// `30`: those with a consent expiring within 30 days.
    pub(crate) consent_expiring: Option<String>,
    /// `none`: those in the programme without a plan; `review`: those
    /// whose plan is due for review.
    pub(crate) plan: Option<String>,
    /// `here`: those waiting for a place in an intervention the caller's
    /// partner provides.
    pub(crate) waiting: Option<String>,
    /// `due`: those with a placement that ended without a final review.
    pub(crate) placement_review: Option<String>,
    pub(crate) page: Option<String>,
    /// Keyset paging: the page just after, or just before, this
    /// participant (an id: no name in a URL).
    pub(crate) after: Option<String>,
    pub(crate) before: Option<String>,
}

/// What the list says it shows when it shows a worklist item's women.
fn worklist_note(item: WorkItem) -> Option<&'static str> {
    Some(match item {
        WorkItem::PeriodsEnding => "participants-ending-soon",
        WorkItem::ConsentsExpiring => "participants-consent-expiring",
        WorkItem::PlansMissing => "participants-without-plan",
        WorkItem::PlanReviewsDue => "participants-plan-review",
        WorkItem::PlacementsToReview => "participants-placement-review",
        WorkItem::WaitingForPlace => "participants-waiting-here",
        _ => return None,
    })
}

pub(crate) fn id_of(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|v| v.trim().parse().ok())
}

/// How many participants a page of a list of them shows.
pub(crate) const LINK_PAGE: i64 = 25;

/// Where a page of participants starts, from its link: just after or
/// before a participant (keyset: the pager's links), else a page number
/// (an old link).
pub(crate) fn link_position(
    page: &Option<String>,
    after: &Option<String>,
    before: &Option<String>,
) -> Position {
    match (id_of(after), id_of(before)) {
        (Some(a), _) => Position::After(a),
        (None, Some(b)) => Position::Before(b),
        (None, None) => Position::Offset(Page::new(id_of(page), Some(LINK_PAGE)).offset()),
    }
}

/// A page of participants from a link's position; when the participant
/// the link starts from is no longer in the list, the list from its start
/// rather than a dead end.
pub(crate) async fn from_link<F, Fut>(at: Position, load: F) -> Answer<ListPage>
where
    F: Fn(Position) -> Fut,
    Fut: std::future::Future<Output = Result<ListPage, AppError>>,
{
    match load(at).await {
        Err(AppError::Invalid(_)) if at != Position::Offset(0) => {
            Ok(load(Position::Offset(0)).await?)
        }
        other => Ok(other?),
    }
}

/// The list, unfiltered or filtered by ids and status (GET: nothing
/// personal in the URL).
pub async fn participants(
    State(s): State<AppState>,
    c: Caller,
    Query(mut q): Query<ListQuery>,
) -> Answer {
    // A name never travels in a URL: name searches are POSTed.
    q.q = None;
    participants_page(&s, &c, q, false).await
}

/// A search including the name, sent in the body (POST, with CSRF).
pub async fn participants_search(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let some = |k: &str| Some(form.get(k)).filter(|v| !v.is_empty());
    let q = ListQuery {
        q: some("q"),
        status: some("status"),
        organisation: some("organisation"),
        project: some("project"),
        caseworker: some("caseworker"),
        ending: some("ending"),
        consent_expiring: some("consent_expiring"),
        plan: some("plan"),
        placement_review: some("placement_review"),
        waiting: some("waiting"),
        page: some("page"),
        after: some("after"),
        before: some("before"),
    };
    participants_page(&s, &c, q, true).await
}

pub(crate) async fn participants_page(
    s: &AppState,
    c: &Caller,
    q: ListQuery,
    posted: bool,
) -> Answer {
    let t = c.tr();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let query = [
        ("status", v(&q.status)),
        ("organisation", v(&q.organisation)),
        ("project", v(&q.project)),
        ("caseworker", v(&q.caseworker)),
        ("ending", v(&q.ending)),
        ("consent_expiring", v(&q.consent_expiring)),
        ("plan", v(&q.plan)),
        ("placement_review", v(&q.placement_review)),
        ("waiting", v(&q.waiting)),
    ];
    // A worklist item's word: the list shows what the item counted, by the
    // worklist's own filter.
    let item = WorkItem::ALL.iter().copied().find(|i| {
        i.participant_query()
            .is_some_and(|word| query.iter().any(|(k, val)| (*k, val.as_str()) == word))
    });
    let mut filter = item
        .and_then(|i| {
            palett_app::worklist::participant_filter(
                i,
                s.app.today(),
                s.app.now(),
                c.signed.actor.organisation_id,
            )
        })
        .unwrap_or_default();
    filter.name =
        q.q.clone()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.chars().take(100).collect());
    filter.status = q.status.as_deref().and_then(Status::parse);
    filter.organisation_id = id_of(&q.organisation);
    filter.project_id = id_of(&q.project);
    filter.caseworker_id = id_of(&q.caseworker);
    let at = link_position(&q.page, &q.after, &q.before);
    let ctx = c.ctx();
    let list = from_link(at, |at| s.app.participants_at(&ctx, &filter, LINK_PAGE, at)).await?;
    let ch = choices(s, c).await?;
    let mut hidden: Vec<(String, String)> = query
        .iter()
        .filter(|(_, val)| !val.is_empty())
        .map(|(k, val)| (k.to_string(), val.clone()))
        .collect();
    if posted {
        hidden.push(("q".into(), v(&q.q)));
    }
    Ok(render(ParticipantsPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("nav-participants"),
            "participants",
            "/participants",
        ),
        worklist_note: item.and_then(worklist_note).map(|id| t.get(id)),
        q: v(&q.q),
        status: query[0].1.clone(),
        organisation: query[1].1.clone(),
        project: query[2].1.clone(),
        caseworker: query[3].1.clone(),
        may_break_glass: c.signed.actor.can_break_the_glass(),
        statuses: options(t, Status::ALL, Status::as_str, Status::message_id),
        organisations: ch.organisations,
        projects: ch.projects,
        caseworkers: ch.caseworkers,
        count_text: t.with(
            if list.more {
                "participants-count-more"
            } else {
                "participants-count"
            },
            &[("count", t.decimal(list.total as f64))],
        ),
        pager: Pager::keyset("/participants", &query, &list),
        prev_before: list.prev_before(),
        next_after: list.next_after(),
        rows: list
            .items
            .into_iter()
            .map(|i| ListRow {
                id: i.id,
                name: format!("{} {}", i.given_name, i.family_name),
                birth_year: i.birth_year,
                status: t.get(&i.status.message_id()),
                organisation: i.responsible_organisation_name,
                intake: date_text(i.intake_date),
                exit: date_text(i.exit_date),
            })
            .collect(),
        posted,
        hidden,
    }))
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub birth_year: i16,
    pub status: String,
    pub organisation: String,
    pub intake: String,
    pub exit: String,
}

#[derive(Template)]
#[template(path = "participants.html")]
pub struct ParticipantsPage {
    pub t: Tr,
    pub layout: Layout,
    /// Which worklist item the list shows, when it came from one.
    pub worklist_note: Option<String>,
    pub q: String,
    pub status: String,
    pub organisation: String,
    pub project: String,
    pub caseworker: String,
    pub may_break_glass: bool,
    pub statuses: Vec<(String, String)>,
    pub organisations: Vec<(String, String)>,
    pub projects: Vec<(String, String)>,
    pub caseworkers: Vec<(String, String)>,
    pub count_text: String,
    pub rows: Vec<ListRow>,
    pub pager: Pager,
    /// A POSTed search: the pager re-posts the filters instead of linking.
    pub posted: bool,
    pub hidden: Vec<(String, String)>,
    /// The posted pager's cursors: the page before ends before this
    /// participant, the page after starts after this one.
    pub prev_before: Option<i64>,
    pub next_after: Option<i64>,
}
