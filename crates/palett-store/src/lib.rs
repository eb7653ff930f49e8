//! palett's storage: one SQL code path over SQLite (embedded default) and
//! PostgreSQL (scale-out), through sqlx's `Any` driver.
//!
//! The SQL in this crate is written once, in the dialect both databases
//! share: `$1` placeholders (SQLite reads them as numbered parameters), ISO
//! text dates, Unix-second integers for moments, 0/1 integers for flags and
//! `RETURNING id`. The only per-backend pieces are how the migrations render
//! (`migrations/NNNN_name.sql`, one file each: placeholders and a few marked
//! per-backend sections, see [`migrate`]) and how a connection and a write
//! transaction begin, in this file.
//!
//! Repositories are plain functions over `&mut AnyConnection`, so the caller
//! (palett-app) decides the unit of work: its `work::Change` opens a
//! [`Db::write`] transaction, calls several repositories and the audit log,
//! and commits; its `work::Reading` reads in a [`Db::snapshot`].

pub mod audit;
pub mod auth;
pub mod bench;
pub mod consent;
pub mod followup;
pub mod indicators;
pub mod migrate;
pub mod note;
pub mod org;
pub mod palette;
pub mod participant;
pub mod project;
pub mod retention;
mod row;
pub mod sealing;
pub mod selfassessment;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub use sqlx::{Any, AnyConnection, Transaction};

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the row; the constraint's name tells which.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    /// The row was changed by someone else since it was read.
    #[error("stale version")]
    Stale,
    /// A stored value did not parse (a bug or a hand-edited database).
    #[error("corrupt value in column {0}")]
    Corrupt(&'static str),
    /// A sealed value did not open (another key, or altered), or the data
    /// key does not match the one the database was sealed with.
    #[error("sealing: {0}")]
    Sealing(String),
    #[error("database url not supported: {0}")]
    Url(String),
    /// An embedded migration file did not render (a bug in this build,
    /// which the crate's tests catch).
    #[error("migration {0}")]
    Migration(String),
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                let which = db
                    .constraint()
                    .map(str::to_string)
                    .unwrap_or_else(|| db.message().to_string());
                return StoreError::Conflict(which);
            }
        }
        StoreError::Database(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The one function whose name differs between the two databases: the
/// aggregate that joins a group's texts with `sep` (`group_concat` in
/// SQLite, `string_agg` in PostgreSQL). Large reads use it to return a few
/// long rows instead of one row per participant, which is what keeps the
/// dashboards fast (see `indicators::facts`).
pub(crate) fn text_agg(c: &AnyConnection, expr: &str, sep: &str) -> String {
    debug_assert!(!sep.contains('\''));
    if c.backend_name().starts_with("Postgre") {
        format!("string_agg({expr}, '{sep}')")
    } else {
        format!("group_concat({expr}, '{sep}')")
    }
}

/// A connection pool to one palett database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connect to `url` (`sqlite://path?mode=rwc`, `postgres://...`).
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(
                url.split(':').next().unwrap_or_default().to_string(),
            ));
        };
        let options = AnyConnectOptions::from_str(url)?;
        let pool_options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                pool_options
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL for concurrent readers; FULL so a commit
                            // survives power loss; foreign keys enforced.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                pool_options
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Just-in-time compilation costs tens of
                            // milliseconds per dashboard statement and
                            // saves less than that on statements of this
                            // size (scripts/bench measures both).
                            conn.execute("SET jit = off").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Self { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so two writers queue instead of failing.
    pub async fn write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A read-only snapshot for the reads of one use case: on SQLite a
    /// deferred transaction (WAL: readers never wait for the writer, and
    /// no write lock is taken), on PostgreSQL `REPEATABLE READ, READ ONLY`
    /// (one consistent view; a write in it is an error).
    pub async fn snapshot(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?
            }
        })
    }

    /// A connection for reads that need no transaction.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
