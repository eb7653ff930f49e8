//! The version of the data, for figures kept until something changes
//! (the app's figure cache). Two readings that get the same version see
//! the same data.
//!
//! - SQLite: a count of the changes, kept in `data_version` and raised by
//!   every change in its own transaction ([`count_change`]). SQLite has one
//!   writer at a time, so the count and the data move together.
//! - PostgreSQL: the reading's snapshot (`pg_current_snapshot()`, read as
//!   the first statement of a `REPEATABLE READ` transaction, so it is the
//!   transaction's own snapshot): which transactions it sees as committed
//!   decides what it sees, so equal snapshots see equal data. Nothing is
//!   written for it: a row that every writer updated would make writers on
//!   all connections wait for one another. The price: any write, even one
//!   that changes no figure, gives a new version.

use crate::Result;
use sqlx::AnyConnection;

fn is_postgres(c: &AnyConnection) -> bool {
    c.backend_name().starts_with("Postgre")
}

/// The version of what this reading sees; read it first in the reading's
/// snapshot, before the figures' own statements.
pub async fn current(c: &mut AnyConnection) -> Result<String> {
    if is_postgres(c) {
        let (v,): (String,) = sqlx::query_as("SELECT pg_current_snapshot()::text")
            .fetch_one(&mut *c)
            .await?;
        Ok(format!("pg:{v}"))
    } else {
        let (v,): (i64,) = sqlx::query_as("SELECT changes FROM data_version WHERE id = 1")
            .fetch_one(&mut *c)
            .await?;
        Ok(format!("sqlite:{v}"))
    }
}

/// Count one change, in the change's own transaction (SQLite; on
/// PostgreSQL the snapshot tells, see the module's documentation).
pub async fn count_change(c: &mut AnyConnection) -> Result<()> {
    if !is_postgres(c) {
        sqlx::query("UPDATE data_version SET changes = changes + 1 WHERE id = 1")
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}
