//! The audit log: append-only (the schema's triggers refuse UPDATE and
//! DELETE; this module has no such path). Rows are written inside the
//! transaction of the change they record, so a failed audit write fails the
//! change.

use crate::participant::{self, bind_all, Arg, Sql};
use crate::row::*;
use crate::Result;
use jiff::Timestamp;
use palett_domain::policy::ParticipantScope;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub at: i64,
    pub user_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub roles: &'a str,
    pub partnership_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub ip: &'a str,
}

pub async fn append(c: &mut AnyConnection, e: &NewEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, organisation_id, roles, partnership_id, action, entity, \
         entity_id, participant_id, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.at)
    .bind(e.user_id)
    .bind(e.organisation_id)
    .bind(e.roles)
    .bind(e.partnership_id)
    .bind(e.action)
    .bind(e.entity)
    .bind(e.entity_id)
    .bind(e.participant_id)
    .bind(e.ip)
    .execute(c)
    .await?;
    Ok(())
}

/// One entry per participant, alike but for `participant_id` (which `e`'s
/// is replaced by): many rows per statement.
pub async fn append_for_participants(
    c: &mut AnyConnection,
    e: &NewEntry<'_>,
    participant_ids: &[i64],
) -> Result<()> {
    for chunk in participant_ids.chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|k| format!("($1, $2, $3, $4, $5, $6, $7, $8, ${}, $9)", 10 + k))
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (at, user_id, organisation_id, roles, partnership_id, action, entity, \
             entity_id, participant_id, ip) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(e.at)
            .bind(e.user_id)
            .bind(e.organisation_id)
            .bind(e.roles)
            .bind(e.partnership_id)
            .bind(e.action)
            .bind(e.entity)
            .bind(e.entity_id)
            .bind(e.ip);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: Timestamp,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub organisation_name: Option<String>,
    pub roles: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub ip: String,
}

fn entry(r: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        id: i64_(r, "id")?,
        at: moment(r, "at")?,
        user_id: opt_i64(r, "user_id")?,
        user_name: opt_text(r, "display_name")?,
        organisation_name: opt_text(r, "org_name")?,
        roles: text(r, "roles")?,
        action: text(r, "action")?,
        entity: text(r, "entity")?,
        entity_id: opt_i64(r, "entity_id")?,
        participant_id: opt_i64(r, "participant_id")?,
        ip: text(r, "ip")?,
    })
}

/// The columns [`entry`] reads and the joins that name user and
/// organisation; callers add joins, WHERE and ORDER.
const ENTRY_SELECT: &str =
    "SELECT a.id, a.at, a.user_id, u.display_name, o.name AS org_name, a.roles, \
    a.action, a.entity, a.entity_id, a.participant_id, a.ip";
const ENTRY_FROM: &str = "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
    LEFT JOIN organisations o ON o.id = a.organisation_id";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub participant_id: Option<i64>,
    pub user_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// By one of these users (none at all when empty): a search by name,
    /// matched against the partnership's staff by the caller.
    pub user_ids: Option<Vec<i64>>,
    /// This action, by its stored text.
    pub action: Option<String>,
    /// About a participant within this scope whose name holds this text
    /// (matched as the participant search matches): nothing outside the
    /// scope is found by name.
    pub participant_named: Option<(ParticipantScope, String)>,
}

/// The conditions of `f` (table alias `a`), and their arguments; `None`
/// when nothing can match.
fn conditions(partnership_id: i64, f: &Filter) -> Option<Sql> {
    // A name search starts with the scope's own conditions on `p`, which
    // go into a subquery; the log's conditions follow, numbered on.
    let (mut s, about) = match &f.participant_named {
        Some((scope, name)) => {
            let named = participant::Filter {
                name: Some(name.clone()),
                ..Default::default()
            };
            let w = participant::where_clause(*scope, &named)?;
            let about = format!(
                "a.participant_id IN (SELECT p.id FROM participants p WHERE {})",
                w.conditions()
            );
            (
                Sql {
                    clauses: Vec::new(),
                    args: w.args,
                    walk: false,
                },
                Some(about),
            )
        }
        None => (
            Sql {
                clauses: Vec::new(),
                args: Vec::new(),
                walk: false,
            },
            None,
        ),
    };
    s.push(
        |n| format!("a.partnership_id = ${n}"),
        Arg::Int(partnership_id),
    );
    s.clauses.extend(about);
    if let Some(id) = f.participant_id {
        s.push(|n| format!("a.participant_id = ${n}"), Arg::Int(id));
    }
    if let Some(id) = f.user_id {
        s.push(|n| format!("a.user_id = ${n}"), Arg::Int(id));
    }
    if let Some(ids) = &f.user_ids {
        if ids.is_empty() {
            return None;
        }
        let first = s.args.len() + 1;
        s.args.extend(ids.iter().map(|id| Arg::Int(*id)));
        s.clauses.push(format!(
            "a.user_id IN ({})",
            crate::placeholders(first, ids.len())
        ));
    }
    if let Some(id) = f.organisation_id {
        s.push(|n| format!("a.organisation_id = ${n}"), Arg::Int(id));
    }
    if let Some(at) = f.from {
        s.push(|n| format!("a.at >= ${n}"), Arg::Int(at));
    }
    if let Some(at) = f.to {
        s.push(|n| format!("a.at < ${n}"), Arg::Int(at));
    }
    if let Some(action) = &f.action {
        s.push(|n| format!("a.action = ${n}"), Arg::Text(action.clone()));
    }
    Some(s)
}

/// Newest first, one page; also the total that match.
pub async fn list(
    c: &mut AnyConnection,
    partnership_id: i64,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Entry>, i64)> {
    let Some(w) = conditions(partnership_id, f) else {
        return Ok((Vec::new(), 0));
    };
    let cond = w.conditions();
    let total = participant::counted(
        c,
        &format!("SELECT COUNT(*) FROM audit_log a WHERE {cond}"),
        &w.args,
    )
    .await?;
    let n = w.args.len();
    let sql = format!(
        "{ENTRY_SELECT} {ENTRY_FROM} WHERE {cond} ORDER BY a.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let rows = bind_all(sqlx::query(&sql), &w.args)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
    let items = rows.iter().map(entry).collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

/// Someone who may stand in the partnership's log as its user: a user of
/// an organisation that is or was a member, or holding a role there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
}

/// The partnership's staff, by name.
pub async fn people(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Person>> {
    sqlx::query(
        "SELECT u.id, u.display_name, u.organisation_id, o.name AS org_name FROM users u \
         JOIN organisations o ON o.id = u.organisation_id \
         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = u.organisation_id \
         AND m.partnership_id = $1) \
         OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.partnership_id = $1) \
         ORDER BY u.display_name, u.id LIMIT 5000",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Person {
            id: i64_(r, "id")?,
            name: text(r, "display_name")?,
            organisation_id: i64_(r, "organisation_id")?,
            organisation_name: text(r, "org_name")?,
        })
    })
    .collect()
}

/// A log entry of an emergency access, or of a read only it allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmergencyRow {
    pub entry: Entry,
    /// The reason stated for the emergency access itself; `None` for the
    /// reads it allowed.
    pub reason: Option<String>,
}

/// How many times one user did something in one day (UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserDayCount {
    pub user_id: i64,
    /// Her display name; empty if the account is gone.
    pub name: String,
    /// The day's start in Unix seconds (midnight UTC).
    pub day: i64,
    pub count: i64,
}

/// A row of `user_id`, `name` and `day`, its count in the column `count`.
fn user_day_count(r: &sqlx::any::AnyRow, count: &'static str) -> Result<UserDayCount> {
    Ok(UserDayCount {
        user_id: i64_(r, "user_id")?,
        name: text(r, "name")?,
        day: i64_(r, "day")?,
        count: i64_(r, count)?,
    })
}

/// Reads of records that only an emergency access allowed, and the
/// emergency accesses themselves, in a period; newest first.
pub async fn emergency_rows(
    c: &mut AnyConnection,
    partnership_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<EmergencyRow>> {
    sqlx::query(&format!(
        "{ENTRY_SELECT}, g.reason {ENTRY_FROM} \
         LEFT JOIN emergency_access g ON a.action = 'participant.emergency_access' AND g.id = a.entity_id \
         WHERE a.partnership_id = $1 AND a.at >= $2 AND a.at < $3 \
         AND (a.action = 'participant.emergency_access' OR a.entity = 'emergency') \
         ORDER BY a.id DESC LIMIT 1000"
    ))
    .bind(partnership_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(EmergencyRow {
            entry: entry(r)?,
            reason: opt_text(r, "reason")?,
        })
    })
    .collect()
}

/// Users who read (or listed) more participant records in one day than
/// `threshold`; the count is of reads.
pub async fn heavy_readers(
    c: &mut AnyConnection,
    partnership_id: i64,
    from: i64,
    to: i64,
    threshold: i64,
) -> Result<Vec<UserDayCount>> {
    sqlx::query(
        "SELECT a.user_id, COALESCE(u.display_name, '') AS name, (a.at / 86400) * 86400 AS day, \
         COUNT(*) AS n FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.partnership_id = $1 AND a.action IN ('participant.read', 'participant.list') \
         AND a.at >= $2 AND a.at < $3 AND a.user_id IS NOT NULL GROUP BY a.user_id, u.display_name, (a.at / 86400) * 86400 \
         HAVING COUNT(*) > $4 ORDER BY n DESC LIMIT 500",
    )
    .bind(partnership_id)
    .bind(from)
    .bind(to)
    .bind(threshold)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| user_day_count(r, "n"))
    .collect()
}

/// Count one refused request for a participant resource against the user
/// and the day `now` falls in (UTC): one upsert, no participant id.
pub async fn count_refusal(
    c: &mut AnyConnection,
    partnership_id: i64,
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO refused_access (partnership_id, user_id, day, refusals) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (partnership_id, user_id, day) DO UPDATE SET refusals = refused_access.refusals + 1",
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(now.div_euclid(86_400) * 86_400)
    .execute(c)
    .await?;
    Ok(())
}

/// Refused requests per user and day within `from..to`, most first; the
/// count is of refusals.
pub async fn refusals(
    c: &mut AnyConnection,
    partnership_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<UserDayCount>> {
    sqlx::query(
        "SELECT r.user_id, COALESCE(u.display_name, '') AS name, r.day, r.refusals \
         FROM refused_access r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.partnership_id = $1 AND r.day >= $2 AND r.day < $3 \
         ORDER BY r.refusals DESC, r.day, r.user_id LIMIT 500",
    )
    .bind(partnership_id)
    .bind(from.div_euclid(86_400) * 86_400)
    .bind(to)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| user_day_count(r, "refusals"))
    .collect()
}

/// A random sample of reads of participant records in a period.
pub async fn sample_reads(
    c: &mut AnyConnection,
    partnership_id: i64,
    from: i64,
    to: i64,
    n: i64,
) -> Result<Vec<Entry>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM audit_log WHERE partnership_id = $1 AND action = 'participant.read' \
         AND at >= $2 AND at < $3 ORDER BY RANDOM() LIMIT $4",
    )
    .bind(partnership_id)
    .bind(from)
    .bind(to)
    .bind(n)
    .fetch_all(&mut *c)
    .await?;
    entries_by_id(c, partnership_id, &ids).await
}

/// Audit entries by id (of the partnership), newest first.
pub async fn entries_by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    ids: &[i64],
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(100) {
        if chunk.is_empty() {
            continue;
        }
        let sql = format!(
            "{ENTRY_SELECT} {ENTRY_FROM} WHERE a.partnership_id = $1 AND a.id IN ({}) ORDER BY a.id DESC",
            crate::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(partnership_id);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *c).await? {
            out.push(entry(&r)?);
        }
    }
    Ok(out)
}

/// A signed log review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub reviewer: String,
    pub period_from: i64,
    pub period_to: i64,
    pub sample: Vec<i64>,
    pub note: String,
    pub signed_at: Timestamp,
}

pub async fn insert_review(
    c: &mut AnyConnection,
    partnership_id: i64,
    reviewer: i64,
    (from, to): (i64, i64),
    sample: &[i64],
    note: &str,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO log_reviews (partnership_id, reviewer_user_id, period_from, period_to, sample, note, signed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(partnership_id)
    .bind(reviewer)
    .bind(from)
    .bind(to)
    .bind(sample.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","))
    .bind(note)
    .bind(now)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

/// When the partnership's log was last reviewed and signed, as a part of
/// a [`Tally`](crate::tally::Tally) (0 when never).
pub fn latest_review_part(partnership_id: i64) -> crate::tally::Part {
    crate::tally::Part::new(
        "SELECT MAX(signed_at) AS n FROM log_reviews WHERE partnership_id = $1".into(),
        vec![crate::participant::Arg::Int(partnership_id)],
        1,
    )
}

pub async fn reviews(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Review>> {
    sqlx::query(
        "SELECT r.id, COALESCE(u.display_name, '') AS reviewer, r.period_from, r.period_to, r.sample, r.note, \
         r.signed_at FROM log_reviews r LEFT JOIN users u ON u.id = r.reviewer_user_id \
         WHERE r.partnership_id = $1 ORDER BY r.id DESC LIMIT 200",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Review {
            id: i64_(r, "id")?,
            reviewer: text(r, "reviewer")?,
            period_from: i64_(r, "period_from")?,
            period_to: i64_(r, "period_to")?,
            sample: text(r, "sample")?.split(',').filter_map(|s| s.parse().ok()).collect(),
            note: text(r, "note")?,
            signed_at: moment(r, "signed_at")?,
        })
    })
    .collect()
}
