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

pub mod archive;
pub mod attestation;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod consent;
pub mod data_version;
pub mod employer;
pub mod followup;
pub mod idempotency;
pub mod import;
pub mod indicators;
pub mod matching;
pub mod migrate;
pub mod month_attestation;
pub mod note;
pub mod opening;
pub mod org;
pub mod palette;
pub mod participant;
pub mod placement;
pub mod portal;
pub mod project;
pub mod proposal;
pub mod questionnaire;
pub mod referral;
pub mod reminder;
pub mod retention;
mod row;
pub mod sealing;
pub mod selfassessment;
pub mod tally;
pub mod webhook;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};
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
    /// Another transaction got in the way and this one was refused rather
    /// than wait or deadlock (PostgreSQL: a serialization failure, a
    /// deadlock or a lock not available; SQLite: busy past its timeout).
    /// Nothing was written; the same request may be tried again.
    #[error("contended: {0}")]
    Busy(String),
    /// A stored value did not parse (a bug or a hand-edited database).
    #[error("corrupt value in column {0}")]
    Corrupt(&'static str),
    /// A sealed value did not open (another key, or altered), or the data
    /// key does not match the one the database was sealed with.
    #[error("sealing: {0}")]
    Sealing(String),
    /// The task a transaction began in did not finish (a panic, or the
    /// runtime shutting down).
    #[error("transaction task: {0}")]
    Task(String),
    #[error("database url not supported: {0}")]
    Url(String),
    /// An embedded migration file did not render (a bug in this build,
    /// which the crate's tests catch).
    #[error("migration {0}")]
    Migration(String),
    /// An archive cannot be made or read (see `archive`).
    #[error("archive: {0}")]
    Archive(String),
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
            if let Some(code) = db.code() {
                if BUSY_CODES.contains(&code.as_ref()) {
                    return StoreError::Busy(code.into_owned());
                }
            }
        }
        StoreError::Database(e)
    }
}

/// The error codes of a transaction that lost to another: PostgreSQL's
/// SQLSTATEs `40001` (serialization failure), `40P01` (deadlock detected),
/// `55P03` (lock not available), and SQLite's `SQLITE_BUSY` (5) and
/// `SQLITE_LOCKED` (6) with their extended codes (261, 517, 262).
const BUSY_CODES: &[&str] = &["40001", "40P01", "55P03", "5", "6", "261", "517", "262"];

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `$from, $from+1, …` for `n` parameters.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lock these rows of `table` until the transaction ends, so that
/// transactions deciding from the same rows (the places left on an
/// intervention, the attendance of a session, the kept time of a
/// participant) run one after the other instead of both deciding from what
/// they saw before the other committed. On PostgreSQL that is `SELECT ...
/// FOR NO KEY UPDATE`, in id order so that two lockers never deadlock (and
/// it does not block the key-share locks that foreign keys take); the
/// statements after it see what the other committed, as READ COMMITTED
/// takes a new snapshot per statement. On SQLite nothing is needed: a
/// write transaction began with `BEGIN IMMEDIATE`, which already holds the
/// database's one write lock.
pub async fn lock_rows(c: &mut AnyConnection, table: LockTable, ids: &[i64]) -> Result<()> {
    if !c.backend_name().starts_with("Postgre") || ids.is_empty() {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id FROM {} WHERE id IN ({}) ORDER BY id FOR NO KEY UPDATE",
            table.name(),
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await?;
    }
    Ok(())
}

/// A point inside a transaction to go back to without losing what came
/// before it (an import runs row by row, each row kept or undone whole).
/// `Savepoint::Mark` sets it, `Keep` forgets it keeping the row's writes,
/// `Undo` undoes the row's writes (and, on PostgreSQL, clears a failed
/// statement's abort of the transaction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Savepoint {
    Mark,
    Keep,
    Undo,
}

pub async fn savepoint(c: &mut AnyConnection, step: Savepoint) -> Result<()> {
    let sql = match step {
        Savepoint::Mark => "SAVEPOINT palett_row",
        Savepoint::Keep => "RELEASE SAVEPOINT palett_row",
        Savepoint::Undo => "ROLLBACK TO SAVEPOINT palett_row",
    };
    sqlx::query(sql).execute(&mut *c).await?;
    if step == Savepoint::Undo {
        sqlx::query("RELEASE SAVEPOINT palett_row")
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Run `work` in a task of its own and wait for it: dropped, the caller
/// stops waiting, but the work runs to its end (see `Db::begin`).
async fn in_own_task<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    match tokio::spawn(work).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::Task(e.to_string())),
    }
}

/// The tables whose rows [`lock_rows`] locks (a closed list: the name goes
/// into the statement's text).
#[derive(Clone, Copy, Debug)]
pub enum LockTable {
    Interventions,
    GroupSessions,
    Participants,
}

impl LockTable {
    fn name(self) -> &'static str {
        match self {
            LockTable::Interventions => "interventions",
            LockTable::GroupSessions => "group_sessions",
            LockTable::Participants => "participants",
        }
    }
}

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
    /// SQLite's writers' queue (see [`Db::write`]).
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction ([`Db::write`]): the transaction, and on SQLite the
/// writers' turn, held until it ends. It derefs to the connection; dropped
/// without a commit, it rolls back (and then gives up the turn).
#[derive(Debug)]
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// How long a SQLite writer waits for its turn before it is refused (as
/// SQLite's own busy timeout).
const WRITER_WAIT: Duration = Duration::from_secs(10);

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
            .acquire_timeout(Duration::from_secs(10))
            // A connection goes back to the pool only outside a
            // transaction: when it seems inside one, the ping lets a
            // rollback queued by a dropped transaction run first (SQLite
            // counts it done only then); one still inside is closed instead
            // (the transactions themselves begin in their own task, see
            // `Db::write`, so this is the second line of defence).
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    if !conn.is_in_transaction() {
                        return Ok(true);
                    }
                    conn.ping().await?;
                    let clean = !conn.is_in_transaction();
                    if !clean {
                        tracing::warn!("a connection came back inside a transaction; closed");
                    }
                    Ok(clean)
                })
            });
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
        Ok(Self {
            pool,
            backend,
            writers: std::sync::Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so two writers queue instead of failing;
    /// and they queue here first, first come first served, for their turn:
    /// SQLite's own wait for its lock is a busy handler that sleeps and
    /// polls, so a writer could lose its turn to later ones again and again
    /// (an intake's p99 of 1.3 s under load). A writer that waits longer
    /// than [`WRITER_WAIT`] is refused as busy.
    pub async fn write(&self) -> Result<WriteTx> {
        match self.backend {
            Backend::Sqlite => {
                let (pool, writers) = (self.pool.clone(), self.writers.clone());
                in_own_task(async move {
                    let turn = tokio::time::timeout(WRITER_WAIT, writers.lock_owned())
                        .await
                        .map_err(|_| StoreError::Busy("waiting for the writers' turn".into()))?;
                    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                    Ok(WriteTx {
                        tx,
                        _turn: Some(turn),
                    })
                })
                .await
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.begin(None).await?,
                _turn: None,
            }),
        }
    }

    /// Begin a transaction in a task of its own, so that it runs to its
    /// end whatever happens to the caller. sqlx 0.8's `begin` is not
    /// cancel-safe: dropped while it waits (a client that hangs up while
    /// its request queues for SQLite's write lock), it can leave the
    /// connection inside a transaction that nobody ends, and the pool then
    /// lends that connection out again: every later write waits for a lock
    /// that is never released. Here a caller that goes away only drops the
    /// task's handle; the task still finishes `BEGIN`, and the transaction
    /// it returns, which nobody takes, is dropped and so rolled back before
    /// its connection is lent again.
    async fn begin(&self, statement: Option<&'static str>) -> Result<Transaction<'static, Any>> {
        let pool = self.pool.clone();
        in_own_task(async move {
            Ok(match statement {
                Some(s) => pool.begin_with(s).await?,
                None => pool.begin().await?,
            })
        })
        .await
    }

    /// A read-only snapshot for the reads of one use case: on SQLite a
    /// deferred transaction (WAL: readers never wait for the writer, and
    /// no write lock is taken), on PostgreSQL `REPEATABLE READ, READ ONLY`
    /// (one consistent view; a write in it is an error).
    pub async fn snapshot(&self) -> Result<Transaction<'static, Any>> {
        let statement = match self.backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
        };
        self.begin(statement).await
    }

    /// Whether a write transaction can begin and commit within `deadline`
    /// (for `/readyz`: on SQLite it takes the write lock, so a wedged or
    /// long-held lock shows here and not only in the next user's error).
    pub async fn writable(&self, deadline: Duration) -> bool {
        let attempt = async {
            let tx = self.write().await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        };
        matches!(tokio::time::timeout(deadline, attempt).await, Ok(Ok(())))
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
