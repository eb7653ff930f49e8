//! Bulk inserts for the benchmark generator (`palett seed-bench`): many
//! rows per statement, every value bound. Table and column names come from
//! the caller's constants, never from input.

use crate::row::i64_;
use crate::Result;
use sqlx::AnyConnection;

/// One bound value of a bulk row.
#[derive(Clone, Debug)]
pub enum V {
    Int(i64),
    Text(String),
    /// NULL in a text column.
    Null,
    /// NULL in an integer column.
    NullInt,
}

/// At most this many bound values per statement on PostgreSQL.
const MAX_BINDS: usize = 20_000;
/// On SQLite: binding a `$N` parameter looks its name up in a list of all
/// of the statement's (`sqlite3_bind_parameter_name`, which sqlx calls for
/// each), so a statement's binding takes time in the square of its
/// parameters: at 20,000 it was four fifths of the generator's time.
const MAX_BINDS_SQLITE: usize = 500;

/// Insert `rows` into `table` in batches; returns the new ids, in the
/// order of `rows`, when `returning_id`.
pub async fn insert(
    c: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<V>],
    returning_id: bool,
) -> Result<Vec<i64>> {
    let binds = if is_postgres(c) {
        MAX_BINDS
    } else {
        MAX_BINDS_SQLITE
    };
    let per = (binds / columns.len()).clamp(1, 1000);
    let mut ids = Vec::new();
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for k in 0..columns.len() {
                if k > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        if returning_id {
            sql.push_str(" RETURNING id");
        }
        let mut q = sqlx::query(&sql);
        for r in chunk {
            for v in r {
                q = match v {
                    V::Int(i) => q.bind(*i),
                    V::Text(s) => q.bind(s.clone()),
                    V::Null => q.bind(None::<String>),
                    V::NullInt => q.bind(None::<i64>),
                };
            }
        }
        if returning_id {
            let mut got: Vec<i64> = q
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| i64_(r, "id"))
                .collect::<Result<_>>()?;
            // Ids are handed out in the order of the rows.
            got.sort_unstable();
            ids.extend(got);
        } else {
            q.execute(&mut *c).await?;
        }
    }
    Ok(ids)
}

/// Whether the connection is PostgreSQL's.
fn is_postgres(c: &AnyConnection) -> bool {
    c.backend_name().starts_with("Postgre")
}

/// A connection of its own for a bulk load, taken out of the pool: it is
/// closed when dropped, never lent again, so its settings end with it and
/// the pool's connections keep theirs. On SQLite the load commits in WAL
/// with `synchronous = NORMAL` (a commit is made durable at the next
/// checkpoint, the database is never corrupted), foreign keys are not
/// checked row by row (the generator makes every reference itself; the
/// story checks them with `foreign_key_check`) and the page cache is 256
/// MiB. On PostgreSQL commits do not wait for the WAL flush and an index
/// rebuilt after the load ([`drop_keys`]) sorts in up to 512 MiB.
pub async fn bulk_connection(db: &crate::Db) -> Result<AnyConnection> {
    let mut c = db.read().await?.detach();
    let settings: &[&str] = match db.backend() {
        crate::Backend::Sqlite => &[
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = OFF",
            "PRAGMA cache_size = -262144",
            "PRAGMA temp_store = MEMORY",
        ],
        crate::Backend::Postgres => &[
            "SET synchronous_commit = off",
            "SET maintenance_work_mem = '512MB'",
        ],
    };
    for setting in settings {
        sqlx::query(setting).execute(&mut c).await?;
    }
    Ok(c)
}

/// Begin a write transaction on a [`bulk_connection`] (on SQLite taking
/// the write lock at once, as [`crate::Db::write`] does).
pub async fn begin(c: &mut AnyConnection) -> Result<sqlx::Transaction<'_, sqlx::Any>> {
    let statement = if is_postgres(c) {
        "BEGIN"
    } else {
        "BEGIN IMMEDIATE"
    };
    Ok(sqlx::Connection::begin_with(c, statement).await?)
}

/// The first id after every row of `table`: the generator hands out the
/// ids of the rows it derives others from itself (inside its write
/// transaction), and then moves PostgreSQL's identity past them
/// ([`move_sequence`]).
pub async fn next_id(c: &mut AnyConnection, table: &str) -> Result<i64> {
    let max: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(&mut *c)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Move PostgreSQL's identity of `table` past its greatest id (SQLite's
/// `INTEGER PRIMARY KEY` takes the greatest id plus one by itself).
pub async fn move_sequence(c: &mut AnyConnection, table: &str) -> Result<()> {
    if is_postgres(c) {
        sqlx::query(&format!(
            "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) AS BIGINT) \
             FROM {table} HAVING MAX(id) IS NOT NULL"
        ))
        .fetch_optional(&mut *c)
        .await?;
    }
    Ok(())
}

/// The generator's attendance draw for a participant at a session, 0–9:
/// 0 absent, 1 absent with notice, else present. A hash of the two ids
/// (a linear mix, then two steps of the Park–Miller generator, every
/// product below 2^47), so that the database draws each of millions of
/// rows itself ([`insert_attendance`], with [`ATTENDANCE_DRAW`]) and the
/// generator knows the counts without reading them back.
pub fn attendance_draw(session_id: i64, participant_id: i64) -> i64 {
    const M: i64 = 2_147_483_647;
    const A: i64 = 48_271;
    let x = (session_id * 7_919 + participant_id * 104_729) % M;
    let x = x * A % M;
    let x = x * A % M;
    x % 10
}

/// [`attendance_draw`] in SQL over `s.id` and `e.participant_id`.
pub const ATTENDANCE_DRAW: &str = "((((((s.id * 7919 + e.participant_id * 104729) % 2147483647) \
     * 48271) % 2147483647) * 48271) % 2147483647) % 10";

/// Insert the attendance of every enrolled member of a group of
/// `intervention` at each of its sessions with an id in `first..=last`,
/// statuses drawn by [`attendance_draw`]; minutes are the session's when
/// present. Returns the rows inserted.
pub async fn insert_attendance(
    c: &mut AnyConnection,
    intervention: i64,
    first: i64,
    last: i64,
    recorded_at: i64,
) -> Result<u64> {
    let d = ATTENDANCE_DRAW;
    let sql = format!(
        "INSERT INTO attendance (session_id, participant_id, status, minutes, recorded_at) \
         SELECT s.id, e.participant_id, \
           CASE {d} WHEN 0 THEN 'absent' WHEN 1 THEN 'absent_notice' ELSE 'present' END, \
           CASE {d} WHEN 0 THEN 0 WHEN 1 THEN 0 ELSE s.minutes END, $3 \
         FROM group_sessions s JOIN activity_groups g ON g.id = s.group_id AND g.intervention_id = $4 \
         JOIN enrolments e ON e.group_id = s.group_id \
         WHERE s.id BETWEEN $1 AND $2"
    );
    Ok(sqlx::query(&sql)
        .bind(first)
        .bind(last)
        .bind(recorded_at)
        .bind(intervention)
        .execute(&mut *c)
        .await?
        .rows_affected())
}

/// A table's keys and indexes, as [`drop_keys`] found them, for
/// [`restore_keys`].
#[derive(Debug, Default)]
pub struct Keys {
    table: String,
    /// Name and definition, primary and unique keys before foreign keys.
    constraints: Vec<(String, String)>,
    /// `CREATE INDEX` statements.
    indexes: Vec<String>,
}

/// On PostgreSQL, drop `table`'s primary, unique and foreign keys and its
/// other indexes (inside the caller's transaction) so that a bulk load
/// writes only the rows, and return their definitions as the catalogue
/// gives them: a load of tens of millions of rows then takes a fifth of
/// the time, the keys being built once by sorting and the foreign keys
/// checked by one join instead of one lookup per row. On SQLite nothing
/// (it checks no foreign keys on a [`bulk_connection`], and keeping its
/// two indexes costs less than building them again).
pub async fn drop_keys(c: &mut AnyConnection, table: &str) -> Result<Keys> {
    let mut keys = Keys {
        table: table.to_string(),
        ..Keys::default()
    };
    if !is_postgres(c) {
        return Ok(keys);
    }
    let constraints: Vec<(String, String)> = sqlx::query_as(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE conrelid = CAST($1 AS regclass) AND contype IN ('p', 'u', 'f') \
         ORDER BY CASE contype WHEN 'f' THEN 1 ELSE 0 END, conname",
    )
    .bind(table)
    .fetch_all(&mut *c)
    .await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(i.indexrelid AS regclass)::text, pg_get_indexdef(i.indexrelid) FROM pg_index i \
         WHERE i.indrelid = CAST($1 AS regclass) \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) \
         ORDER BY 1",
    )
    .bind(table)
    .fetch_all(&mut *c)
    .await?;
    for (name, _) in constraints.iter().rev() {
        sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
            .execute(&mut *c)
            .await?;
    }
    for (name, definition) in indexes {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut *c)
            .await?;
        keys.indexes.push(definition);
    }
    keys.constraints = constraints;
    Ok(keys)
}

/// Build again what [`drop_keys`] dropped.
pub async fn restore_keys(c: &mut AnyConnection, keys: Keys) -> Result<()> {
    for (name, definition) in &keys.constraints {
        sqlx::query(&format!(
            "ALTER TABLE {} ADD CONSTRAINT \"{name}\" {definition}",
            keys.table
        ))
        .execute(&mut *c)
        .await?;
    }
    for definition in &keys.indexes {
        sqlx::query(definition).execute(&mut *c).await?;
    }
    Ok(())
}
