//! Imports from spreadsheets: the pending file between preview and commit,
//! the participants a commit created (with the version each had), and what
//! undo removes.

use crate::row::*;
use crate::Result;
use sqlx::AnyConnection;

/// An import as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: i64,
    pub partnership_id: i64,
    pub user_id: i64,
    pub kind: String,
    pub file_name: String,
    /// The file (base64) while the import is pending.
    pub content: Option<String>,
    pub row_count: i64,
    /// `pending`, `committed` or `undone`.
    pub state: String,
    pub created_at: i64,
    pub committed_at: Option<i64>,
    pub undone_at: Option<i64>,
}

const COLUMNS: &str = "id, partnership_id, user_id, kind, file_name, content, row_count, state, \
                       created_at, committed_at, undone_at";

fn record(r: &sqlx::any::AnyRow) -> Result<ImportRecord> {
    Ok(ImportRecord {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        user_id: i64_(r, "user_id")?,
        kind: text(r, "kind")?,
        file_name: text(r, "file_name")?,
        content: opt_text(r, "content")?,
        row_count: i64_(r, "row_count")?,
        state: text(r, "state")?,
        created_at: i64_(r, "created_at")?,
        committed_at: opt_i64(r, "committed_at")?,
        undone_at: opt_i64(r, "undone_at")?,
    })
}

/// Keep an uploaded file as a pending import; its id.
#[allow(clippy::too_many_arguments)]
pub async fn insert_pending(
    c: &mut AnyConnection,
    partnership_id: i64,
    user_id: i64,
    kind: &str,
    file_name: &str,
    content: &str,
    row_count: i64,
    now: i64,
) -> Result<i64> {
    // One pending file per user: an earlier one is dropped.
    sqlx::query("DELETE FROM imports WHERE user_id = $1 AND state = 'pending'")
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO imports (partnership_id, user_id, kind, file_name, content, row_count, \
         state, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) \
         RETURNING id",
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(kind)
    .bind(file_name)
    .bind(content)
    .bind(row_count)
    .bind(now)
    .fetch_one(c)
    .await?)
}

pub async fn by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<ImportRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM imports WHERE partnership_id = $1 AND id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(record)
    .transpose()
}

/// The partnership's imports, newest first.
pub async fn list(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<ImportRecord>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM imports WHERE partnership_id = $1 AND state <> 'pending' \
         ORDER BY id DESC LIMIT 100"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(record)
    .collect()
}

/// Record a committed import (the user's pending file, if any, dropped);
/// its id.
pub async fn insert_committed(
    c: &mut AnyConnection,
    partnership_id: i64,
    user_id: i64,
    kind: &str,
    file_name: &str,
    row_count: i64,
    now: i64,
) -> Result<i64> {
    sqlx::query("DELETE FROM imports WHERE user_id = $1 AND state = 'pending'")
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO imports (partnership_id, user_id, kind, file_name, row_count, state, \
         created_at, committed_at) VALUES ($1, $2, $3, $4, $5, 'committed', $6, $6) \
         RETURNING id",
    )
    .bind(partnership_id)
    .bind(user_id)
    .bind(kind)
    .bind(file_name)
    .bind(row_count)
    .bind(now)
    .fetch_one(c)
    .await?)
}

pub async fn set_undone(c: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE imports SET state = 'undone', undone_at = $2 WHERE id = $1 AND state = 'committed'",
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_created(
    c: &mut AnyConnection,
    import_id: i64,
    participant_id: i64,
    version: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO import_participants (import_id, participant_id, version) VALUES ($1, $2, $3)",
    )
    .bind(import_id)
    .bind(participant_id)
    .bind(version)
    .execute(c)
    .await?;
    Ok(())
}

/// The participants an import created: id and the version it left her at.
pub async fn created(c: &mut AnyConnection, import_id: i64) -> Result<Vec<(i64, i64)>> {
    sqlx::query(
        "SELECT participant_id, version FROM import_participants WHERE import_id = $1 \
         ORDER BY participant_id",
    )
    .bind(import_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((i64_(r, "participant_id")?, i64_(r, "version")?)))
    .collect()
}

/// How many rows one lookup binds at most (SQLite allows 32,766 and
/// PostgreSQL 65,535 parameters; a few hundred keep each query short).
const CHUNK: usize = 500;

/// Of these identity numbers, those already registered in the partnership
/// (found by their keyed hash), a chunk of them per query instead of one
/// query per row.
pub async fn registered_identity_numbers(
    c: &mut AnyConnection,
    s: &dyn crate::sealing::Sealer,
    partnership_id: i64,
    numbers: &[&str],
) -> Result<std::collections::HashSet<String>> {
    let by_hash: std::collections::HashMap<String, &str> = numbers
        .iter()
        .map(|n| (s.identity_hash(partnership_id, n), *n))
        .collect();
    let hashes: Vec<&String> = by_hash.keys().collect();
    let mut found = std::collections::HashSet::new();
    for chunk in hashes.chunks(CHUNK) {
        let sql = format!(
            "SELECT identity_hash FROM participants WHERE partnership_id = $1 \
             AND identity_hash IN ({})",
            crate::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(partnership_id);
        for h in chunk {
            q = q.bind(h.as_str());
        }
        for h in q.fetch_all(&mut *c).await? {
            if let Some(n) = by_hash.get(&h) {
                found.insert(n.to_string());
            }
        }
    }
    Ok(found)
}

/// Of these people (given name, family name, birth date), those whose name
/// and birth date are already registered in the partnership, as
/// `(search name, birth date)`; a chunk of names per query.
pub async fn registered_names(
    c: &mut AnyConnection,
    partnership_id: i64,
    people: &[(&str, &str, jiff::civil::Date)],
) -> Result<std::collections::HashSet<(String, jiff::civil::Date)>> {
    let wanted: std::collections::HashSet<(String, jiff::civil::Date)> = people
        .iter()
        .map(|(g, f, b)| (crate::participant::search_name(g, f), *b))
        .collect();
    let names: Vec<&String> = wanted
        .iter()
        .map(|(n, _)| n)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut found = std::collections::HashSet::new();
    for chunk in names.chunks(CHUNK) {
        let sql = format!(
            "SELECT search_name, birth_date FROM participants WHERE partnership_id = $1 \
             AND search_name IN ({})",
            crate::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(partnership_id);
        for n in chunk {
            q = q.bind(n.as_str());
        }
        for r in q.fetch_all(&mut *c).await? {
            let key = (text(&r, "search_name")?, date(&r, "birth_date")?);
            if wanted.contains(&key) {
                found.insert(key);
            }
        }
    }
    Ok(found)
}

/// Whether a name and birth date are registered: the key
/// [`registered_names`] answers with.
pub fn name_key(
    given: &str,
    family: &str,
    birth_date: jiff::civil::Date,
) -> (String, jiff::civil::Date) {
    (crate::participant::search_name(given, family), birth_date)
}

/// Whether a participant an import created at `at` (leaving her at
/// `version`) is gone or changed since: another version, another
/// `updated_at`, or a consent recorded later or withdrawn.
pub async fn changed_since(c: &mut AnyConnection, id: i64, version: i64, at: i64) -> Result<bool> {
    let same: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM participants WHERE id = $1 AND version = $2 AND updated_at = $3",
    )
    .bind(id)
    .bind(version)
    .bind(at)
    .fetch_optional(&mut *c)
    .await?;
    if same.is_none() {
        return Ok(true);
    }
    let later: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consents WHERE participant_id = $1 \
         AND (withdrawn_at IS NOT NULL OR recorded_at <> $2)",
    )
    .bind(id)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(later > 0)
}

/// Remove a participant an import created and what the import wrote with
/// her: her links, history, consents and scheduled follow-ups. Anything
/// else that names her (a note, an enrolment, …) makes the delete fail on
/// its foreign key, so a participant used since is never half removed.
pub async fn remove_created(c: &mut AnyConnection, id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM consent_organisations WHERE consent_id IN \
         (SELECT id FROM consents WHERE participant_id = $1)",
        "DELETE FROM consents WHERE participant_id = $1",
        "DELETE FROM follow_ups WHERE participant_id = $1 AND done_on IS NULL",
        "DELETE FROM status_events WHERE participant_id = $1",
        "DELETE FROM participant_caseworkers WHERE participant_id = $1",
        "DELETE FROM participant_projects WHERE participant_id = $1",
        "DELETE FROM participants WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// What an import of enrolments or time created, by kind of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Enrolment,
    Group,
    Activity,
}

impl Created {
    pub const ALL: [Created; 3] = [Self::Enrolment, Self::Group, Self::Activity];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enrolment => "enrolment",
            Self::Group => "group",
            Self::Activity => "activity",
        }
    }
}

/// Note a record an import created, and whose it is.
pub async fn add_record(
    c: &mut AnyConnection,
    import_id: i64,
    what: Created,
    id: i64,
    participant_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO import_records (import_id, entity, entity_id, participant_id) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(import_id)
    .bind(what.as_str())
    .bind(id)
    .bind(participant_id)
    .execute(c)
    .await?;
    Ok(())
}

/// How many records of each kind an import created, and for whom.
pub async fn record_counts(
    c: &mut AnyConnection,
    import_id: i64,
) -> Result<(Vec<(Created, i64)>, Vec<i64>)> {
    let mut counts = Vec::new();
    for r in sqlx::query(
        "SELECT entity, COUNT(*) AS n FROM import_records WHERE import_id = $1 GROUP BY entity",
    )
    .bind(import_id)
    .fetch_all(&mut *c)
    .await?
    {
        let entity = text(&r, "entity")?;
        if let Some(what) = Created::ALL.into_iter().find(|w| w.as_str() == entity) {
            counts.push((what, i64_(&r, "n")?));
        }
    }
    let people = sqlx::query_scalar(
        "SELECT DISTINCT participant_id FROM import_records WHERE import_id = $1 \
         AND participant_id IS NOT NULL ORDER BY participant_id",
    )
    .bind(import_id)
    .fetch_all(c)
    .await?;
    Ok((counts, people))
}

/// The records of one kind an import created, by id.
pub async fn records(c: &mut AnyConnection, import_id: i64, what: Created) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT entity_id FROM import_records WHERE import_id = $1 AND entity = $2 \
         ORDER BY entity_id",
    )
    .bind(import_id)
    .bind(what.as_str())
    .fetch_all(c)
    .await?)
}

/// The participants of the partnership with this name and birth date
/// (compared as the participant list's search compares names).
pub async fn ids_by_name(
    c: &mut AnyConnection,
    partnership_id: i64,
    given: &str,
    family: &str,
    birth_date: jiff::civil::Date,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM participants WHERE partnership_id = $1 AND search_name = $2 \
         AND birth_date = $3 ORDER BY id",
    )
    .bind(partnership_id)
    .bind(crate::participant::search_name(given, family))
    .bind(birth_date.to_string())
    .fetch_all(c)
    .await?)
}

/// Whose time an activity record is, and its day.
pub async fn activity_of(
    c: &mut AnyConnection,
    id: i64,
) -> Result<Option<(i64, jiff::civil::Date)>> {
    sqlx::query("SELECT participant_id, on_date FROM activity_records WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| Ok((i64_(&r, "participant_id")?, date(&r, "on_date")?)))
        .transpose()
}

/// Whether an enrolment an import created at `at` is gone or has moved
/// on since.
pub async fn enrolment_changed_since(c: &mut AnyConnection, id: i64, at: i64) -> Result<bool> {
    let same: Option<i64> =
        sqlx::query_scalar("SELECT id FROM enrolments WHERE id = $1 AND updated_at = $2")
            .bind(id)
            .bind(at)
            .fetch_optional(c)
            .await?;
    Ok(same.is_none())
}

/// Remove an enrolment, a group or recorded time an import created. A
/// group that has sessions or enrolments not made by the import fails on
/// its foreign key.
pub async fn remove_record(c: &mut AnyConnection, what: Created, id: i64) -> Result<()> {
    let sql = match what {
        Created::Enrolment => "DELETE FROM enrolments WHERE id = $1",
        Created::Activity => "DELETE FROM activity_records WHERE id = $1",
        Created::Group => "DELETE FROM activity_groups WHERE id = $1",
    };
    sqlx::query(sql).bind(id).execute(c).await?;
    Ok(())
}
