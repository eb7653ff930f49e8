//! Embedded, append-only migrations, one file per version and backend with
//! the same name in `migrations/sqlite/` and `migrations/postgres/`.
//! Each runs in its own transaction and is recorded in `schema_migrations`.

use crate::{Backend, Db, Result};
use sqlx::Row;

#[cfg(test)]
mod tests;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "palette",
        sqlite: include_str!("../migrations/sqlite/0002_palette.sql"),
        postgres: include_str!("../migrations/postgres/0002_palette.sql"),
    },
    Migration {
        version: 3,
        name: "consents",
        sqlite: include_str!("../migrations/sqlite/0003_consents.sql"),
        postgres: include_str!("../migrations/postgres/0003_consents.sql"),
    },
    Migration {
        version: 4,
        name: "restricted",
        sqlite: include_str!("../migrations/sqlite/0004_restricted.sql"),
        postgres: include_str!("../migrations/postgres/0004_restricted.sql"),
    },
    Migration {
        version: 5,
        name: "emergency",
        sqlite: include_str!("../migrations/sqlite/0005_emergency.sql"),
        postgres: include_str!("../migrations/postgres/0005_emergency.sql"),
    },
    Migration {
        version: 6,
        name: "log_review",
        sqlite: include_str!("../migrations/sqlite/0006_log_review.sql"),
        postgres: include_str!("../migrations/postgres/0006_log_review.sql"),
    },
    Migration {
        version: 7,
        name: "retention",
        sqlite: include_str!("../migrations/sqlite/0007_retention.sql"),
        postgres: include_str!("../migrations/postgres/0007_retention.sql"),
    },
    Migration {
        version: 8,
        name: "notes",
        sqlite: include_str!("../migrations/sqlite/0008_notes.sql"),
        postgres: include_str!("../migrations/postgres/0008_notes.sql"),
    },
    Migration {
        version: 9,
        name: "restriction",
        sqlite: include_str!("../migrations/sqlite/0009_restriction.sql"),
        postgres: include_str!("../migrations/postgres/0009_restriction.sql"),
    },
    Migration {
        version: 10,
        name: "research_secret",
        sqlite: include_str!("../migrations/sqlite/0010_research_secret.sql"),
        postgres: include_str!("../migrations/postgres/0010_research_secret.sql"),
    },
    Migration {
        version: 11,
        name: "second_factor",
        sqlite: include_str!("../migrations/sqlite/0011_second_factor.sql"),
        postgres: include_str!("../migrations/postgres/0011_second_factor.sql"),
    },
    Migration {
        version: 12,
        name: "sealed_fields",
        sqlite: include_str!("../migrations/sqlite/0012_sealed_fields.sql"),
        postgres: include_str!("../migrations/postgres/0012_sealed_fields.sql"),
    },
    Migration {
        version: 13,
        name: "goals",
        sqlite: include_str!("../migrations/sqlite/0013_goals.sql"),
        postgres: include_str!("../migrations/postgres/0013_goals.sql"),
    },
    Migration {
        version: 14,
        name: "session_counts",
        sqlite: include_str!("../migrations/sqlite/0014_session_counts.sql"),
        postgres: include_str!("../migrations/postgres/0014_session_counts.sql"),
    },
    Migration {
        version: 15,
        name: "follow_ups",
        sqlite: include_str!("../migrations/sqlite/0015_follow_ups.sql"),
        postgres: include_str!("../migrations/postgres/0015_follow_ups.sql"),
    },
    Migration {
        version: 16,
        name: "entry_situation",
        sqlite: include_str!("../migrations/sqlite/0016_entry_situation.sql"),
        postgres: include_str!("../migrations/postgres/0016_entry_situation.sql"),
    },
    Migration {
        version: 17,
        name: "participant_time",
        sqlite: include_str!("../migrations/sqlite/0017_participant_time.sql"),
        postgres: include_str!("../migrations/postgres/0017_participant_time.sql"),
    },
    Migration {
        version: 18,
        name: "self_assessments",
        sqlite: include_str!("../migrations/sqlite/0018_self_assessments.sql"),
        postgres: include_str!("../migrations/postgres/0018_self_assessments.sql"),
    },
    Migration {
        version: 19,
        name: "attendance_corrections",
        sqlite: include_str!("../migrations/sqlite/0019_attendance_corrections.sql"),
        postgres: include_str!("../migrations/postgres/0019_attendance_corrections.sql"),
    },
    Migration {
        version: 20,
        name: "handovers_and_refusals",
        sqlite: include_str!("../migrations/sqlite/0020_handovers_and_refusals.sql"),
        postgres: include_str!("../migrations/postgres/0020_handovers_and_refusals.sql"),
    },
    Migration {
        version: 21,
        name: "separation_of_duties",
        sqlite: include_str!("../migrations/sqlite/0021_separation_of_duties.sql"),
        postgres: include_str!("../migrations/postgres/0021_separation_of_duties.sql"),
    },
];

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Apply every migration not yet applied; returns the versions applied now.
pub async fn run(db: &Db) -> Result<Vec<i64>> {
    let mut conn = db.read().await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    drop(conn);
    let mut applied = Vec::new();
    for m in MIGRATIONS {
        let mut tx = db.write().await?;
        let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get::<i64, _>("version"))
            .transpose()?;
        if done.is_some() {
            continue;
        }
        let sql = match db.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) \
             VALUES ($1, $2, CAST(CURRENT_TIMESTAMP AS TEXT))",
        )
        .bind(m.version)
        .bind(m.name)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied.push(m.version);
    }
    Ok(applied)
}
