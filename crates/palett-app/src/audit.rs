//! The audit log: what is recorded ([`Action`]), and reading it (the log,
//! the log review). The rows are written by the units of work in
//! `work`, and nowhere else.

use crate::work::{bookkeeping, Change, Reading};
use crate::{AppError, Ctx, Result};
use palett_store::audit::{self, Entry, Filter};
use std::collections::HashMap;

pub use crate::action::Action;

pub use palett_store::audit::Person;

/// A page of the partnership's audit log, for coordinators and administrators.
/// A search by participant name (`participant_named`) finds only those the
/// caller may see: its scope is the caller's, whatever the filter says.
#[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
pub async fn list(
    app: &crate::App,
    ctx: &Ctx,
    filter: &Filter,
    page: crate::paging::Page,
) -> Result<(Vec<Entry>, i64)> {
    let search = Search {
        participant_name: filter.participant_named.as_ref().map(|(_, n)| n.clone()),
        filter: Filter {
            participant_named: None,
            ..filter.clone()
        },
        user_name: None,
    };
    let out = self::search(app, ctx, &search, page).await?;
    Ok((out.entries, out.total))
}

/// A search of the log as a person asks it: the filter's ids, period and
/// action, and names.
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Its `user_ids` and `participant_named` are set here from the names.
    pub filter: Filter,
    /// Text in the display name of whoever acted (case does not matter).
    pub user_name: Option<String>,
    /// Text in the name of the participant an entry is about, found only
    /// among those the caller may see.
    pub participant_name: Option<String>,
}

/// A page of the log, readable: who the participants are, for those the
/// reader may see.
#[derive(Clone, Debug)]
pub struct LogPage {
    pub entries: Vec<Entry>,
    pub total: i64,
    /// The names of the page's participants within the reader's scope
    /// (the list scope: an emergency access names no one here); the
    /// others are absent.
    pub names: HashMap<i64, String>,
    /// The partnership's staff, for a search by name and to name a user an
    /// entry is about.
    pub people: Vec<Person>,
}

/// The staff who may stand in the log, for the search's choices (no
/// participant's data, so not audited).
pub async fn people(app: &crate::App, ctx: &Ctx) -> Result<Vec<Person>> {
    if !ctx.actor.can_view_audit_log() {
        return Err(AppError::Forbidden);
    }
    let mut r = Reading::begin(app, ctx).await?;
    let people = audit::people(r.conn(), ctx.actor.partnership_id).await?;
    r.finish().await?;
    Ok(people)
}

/// Search the partnership's log (coordinators and administrators;
/// audited): a page of entries, newest first, the total, the names of the
/// participants on the page the caller may see, read in one statement,
/// and the staff.
#[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
pub async fn search(
    app: &crate::App,
    ctx: &Ctx,
    search: &Search,
    page: crate::paging::Page,
) -> Result<LogPage> {
    if !ctx.actor.can_view_audit_log() {
        return Err(AppError::Forbidden);
    }
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let scope = ctx.actor.participant_scope(app.today());
    let mut r = Reading::begin(app, ctx).await?;
    let people = audit::people(r.conn(), ctx.actor.partnership_id).await?;
    let mut filter = search.filter.clone();
    filter.participant_named = given(&search.participant_name).map(|name| (scope, name));
    if let Some(name) = given(&search.user_name) {
        let needle = name.to_lowercase();
        filter.user_ids = Some(
            people
                .iter()
                .filter(|p| p.name.to_lowercase().contains(&needle))
                .map(|p| p.id)
                .collect(),
        );
    }
    let (entries, total) = audit::list(
        r.conn(),
        ctx.actor.partnership_id,
        &filter,
        page.limit(),
        page.offset(),
    )
    .await?;
    let about: Vec<i64> = entries.iter().filter_map(|e| e.participant_id).collect();
    let names = if about.is_empty() {
        HashMap::new()
    } else {
        palett_store::participant::names_in_scope(r.conn(), scope, &about).await?
    };
    r.audit(Action::AuditRead, "audit_log", None, filter.participant_id);
    r.finish().await?;
    Ok(LogPage {
        entries,
        total,
        names,
        people,
    })
}

/// More reads of participant records than this by one user in one day is
/// flagged for the log review.
pub const HEAVY_READS_PER_DAY: i64 = 60;

/// What a log review (loggkontroll) looks at for a period.
#[derive(Clone, Debug)]
pub struct LogReview {
    pub from: i64,
    pub to: i64,
    /// Emergency accesses (with the stated reason), and reads only they allowed.
    pub emergency: Vec<palett_store::audit::EmergencyRow>,
    /// Reads per user and day above [`HEAVY_READS_PER_DAY`].
    pub heavy: Vec<palett_store::audit::UserDayCount>,
    /// Requests for participant resources refused (404 or 403) per user
    /// and day, most first.
    pub refused: Vec<palett_store::audit::UserDayCount>,
    /// A random sample of reads to check against a need to know.
    pub sample: Vec<Entry>,
    pub reviews: Vec<palett_store::audit::Review>,
    /// A review is due: none signed in the last
    /// [`palett_domain::worklist::LOG_REVIEW_DAYS`] days.
    pub due: bool,
    /// Roles that read participant data (or administer), approved in the
    /// period.
    pub access_grants: Vec<palett_store::auth::RoleRequest>,
}

/// This many refused requests for participant resources by one user in one
/// day are flagged on the log review (someone probing ids stands out).
pub const REFUSALS_FLAGGED_PER_DAY: i64 = 10;

/// Count a request for a participant resource that was refused (404 or
/// 403) against the caller, for the log review: in its own small
/// transaction, after the refused use case's has ended, so that it is kept
/// although the request failed. No participant id is kept. A failure to
/// count is logged, never turned into another error for the caller.
pub async fn note_refusal(app: &crate::App, ctx: &Ctx) {
    let write = async {
        let mut tx = bookkeeping(app).await?;
        audit::count_refusal(
            &mut tx,
            ctx.actor.partnership_id,
            ctx.actor.user_id,
            app.now(),
        )
        .await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    if let Err(e) = write.await {
        tracing::warn!(error = %e.chain(), "counting a refused request failed");
    }
}

/// The flags and a sample of reads for a period (coordinators and
/// administrators; audited).
#[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
pub async fn log_review(
    app: &crate::App,
    ctx: &Ctx,
    from: i64,
    to: i64,
    sample_size: i64,
) -> Result<LogReview> {
    if !ctx.actor.can_view_audit_log() {
        return Err(AppError::Forbidden);
    }
    let pid = ctx.actor.partnership_id;
    let mut r = Reading::begin(app, ctx).await?;
    let now = app.now();
    let tx = r.conn();
    let reviews = audit::reviews(tx, pid).await?;
    let latest = reviews.iter().map(|x| x.signed_at.as_second()).max();
    let out = LogReview {
        from,
        to,
        emergency: audit::emergency_rows(tx, pid, from, to).await?,
        heavy: audit::heavy_readers(tx, pid, from, to, HEAVY_READS_PER_DAY).await?,
        refused: audit::refusals(tx, pid, from, to).await?,
        sample: audit::sample_reads(tx, pid, from, to, sample_size.clamp(1, 100)).await?,
        due: palett_domain::worklist::log_review_due(latest, now),
        reviews,
        access_grants: palett_store::auth::approved_role_requests(tx, pid, from, to).await?,
    };
    r.audit(Action::LogReview, "audit_log", None, None);
    r.finish().await?;
    Ok(out)
}

/// Sign off a reviewed sample with a note.
#[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
pub async fn sign_log_review(
    app: &crate::App,
    ctx: &Ctx,
    period: (i64, i64),
    sample: &[i64],
    note: &str,
) -> Result<i64> {
    if !ctx.actor.can_view_audit_log() {
        return Err(AppError::Forbidden);
    }
    let mut e = palett_domain::FieldErrors::new();
    let note = palett_domain::values::required_text(note, palett_domain::values::TextKind::LINES)
        .map_err(|c| e.push("note", c))
        .ok();
    let mut tx = Change::begin(app, ctx).await?;
    let now = tx.now();
    // A period that has begun, ends after it begins and lasts at most a year.
    let (from, to) = period;
    if !(from > 0 && from < to && to - from <= 366 * 86_400 && from <= now) {
        e.push("period", "error-period");
    }
    let mut sample = sample.to_vec();
    sample.sort_unstable();
    sample.dedup();
    // Only reads of this partnership within the period can be signed for.
    if e.is_empty() && sample.len() > 100 {
        e.push("sample", "error-review-sample");
    }
    if e.is_empty() {
        let found = audit::entries_by_id(&mut tx, ctx.actor.partnership_id, &sample).await?;
        let all_reads = found.len() == sample.len()
            && found.iter().all(|x| {
                x.action == Action::ParticipantRead.as_str()
                    && (from..to).contains(&x.at.as_second())
            });
        if !all_reads {
            e.push("sample", "error-review-sample");
        }
    }
    e.into_result()?;
    let note = note.unwrap_or_default();
    let id = audit::insert_review(
        &mut tx,
        ctx.actor.partnership_id,
        ctx.actor.user_id,
        period,
        &sample,
        &note,
        now,
    )
    .await?;
    tx.done(Action::LogReviewSign, "log_review", Some(id), None)
        .await?;
    Ok(id)
}
