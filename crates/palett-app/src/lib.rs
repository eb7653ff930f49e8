//! palett's use cases. Every operation takes the caller's [`Ctx`], asks the
//! policy (`palett_domain::policy`) whether she may, validates the input,
//! writes through palett-store and appends the audit row, all in one
//! unit of work (`work`: a change commits only with its audit entry).
//! HTML handlers, the JSON API and the CLI all call this crate;
//! none of them talks to the store directly.

mod action;
pub mod admin;
pub mod archive;
pub mod attestation;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod clock;
pub mod consents;
pub mod dashboard;
pub mod data_key;
pub mod demo;
pub mod employers;
pub mod export;
mod figure_cache;
pub mod followups;
pub mod idempotency;
pub mod import;
mod import_path;
pub mod inbox;
pub mod mail;
pub mod matching;
pub mod month_attestation;
pub mod notes;
pub mod openings;
pub mod paging;
pub mod palette;
pub mod participants;
pub mod passkeys;
pub mod placements;
pub mod portal;
pub mod projects;
pub mod proposals;
pub mod questionnaire_results;
pub mod questionnaires;
pub mod referrals;
pub mod reminders;
pub mod reports;
pub mod research;
pub mod retention;
mod secret;
pub mod selfassessments;
pub mod totp;
mod webhook_client;
pub mod webhooks;
mod work;
pub mod worklist;

use clock::Clock;
use data_key::DataKey;
use palett_domain::policy::Actor;
use palett_domain::FieldErrors;
use palett_store::{Db, StoreError};
pub use secret::same_secret;
use std::sync::Arc;

pub use palett_store::Backend;

/// Who is calling, from where.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub actor: Actor,
    /// The caller's network address, for the audit log.
    pub ip: String,
}

impl Ctx {
    /// palett's own background job for one partnership ([`Actor::system`]).
    pub fn system(partnership_id: i64) -> Ctx {
        Ctx {
            actor: Actor::system(partnership_id),
            ip: "system".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input did not parse; one entry per field.
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
    /// No such thing, or one the caller may not see: the two look alike.
    #[error("not found")]
    NotFound,
    /// The caller may not do this (and may know that the thing exists).
    #[error("forbidden")]
    Forbidden,
    #[error("not signed in")]
    Unauthenticated,
    /// Too many failed sign-ins: try again in this many seconds.
    #[error("throttled")]
    Throttled { retry_after_secs: i64 },
    /// The password was right; the second-factor code is missing or wrong.
    #[error("second factor needed")]
    SecondFactorNeeded,
    /// Someone else changed the record since it was read.
    #[error("stale")]
    Stale,
    /// A change at the same moment as another got in the way: nothing was
    /// saved and the same request may be sent again (a lost race that a
    /// lock or a constraint caught, never a half-written change).
    #[error("busy")]
    Busy,
    /// A bug, a broken database or a missing resource: never shown to the
    /// caller. Its source chain is kept so that it can be logged once, by
    /// the layer that answers (its `Display` texts only: they carry no
    /// personal data, whereas a database error's `Debug` may show a row).
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl AppError {
    /// An internal error described by a message (no personal data in it).
    pub fn internal(msg: impl Into<String>) -> Self {
        AppError::Internal(msg.into().into())
    }

    /// An internal error: `context` says what failed, `source` why.
    pub fn internal_from(
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        AppError::Internal(Box::new(Internal {
            context,
            source: Box::new(source),
        }))
    }

    /// The error and all its sources, outermost first, joined by ": "
    /// (their `Display` texts only). `Display` shows only the first level.
    pub fn chain(&self) -> String {
        let AppError::Internal(first) = self else {
            return self.to_string();
        };
        let mut out = self.to_string();
        let mut next = first.source();
        while let Some(e) = next {
            // Some errors (sqlx's) repeat their source in their own text.
            let text = e.to_string();
            if !out.ends_with(&text) {
                out.push_str(": ");
                out.push_str(&text);
            }
            next = e.source();
        }
        out
    }
}

/// What failed, with why as its source.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
struct Internal {
    context: &'static str,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Stale => AppError::Stale,
            // A unique constraint that a use case did not check for first
            // is one whose check lost a race to a concurrent change: tried
            // again, the request meets the use case's own check.
            StoreError::Busy(_) | StoreError::Conflict(_) => AppError::Busy,
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from(e).into()
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Refuse to process a record whose processing is restricted (GDPR art.
/// 18); the record itself is kept.
pub(crate) fn ensure_processable(
    p: palett_domain::model::Participant,
) -> Result<palett_domain::model::Participant> {
    if p.processing_restricted.is_some() {
        Err(FieldErrors::single("participant", "error-processing-restricted").into())
    } else {
        Ok(p)
    }
}

/// Settings that shape behaviour.
#[derive(Clone, Debug)]
pub struct Config {
    /// A session ends this long after sign-in.
    pub session_absolute_secs: i64,
    /// A session ends after this long without use.
    pub session_idle_secs: i64,
    /// Failed attempts an account may have since its last success before
    /// each further attempt must wait.
    pub account_free_failures: i64,
    /// The first wait; it doubles with every further failure.
    pub account_delay_base_secs: i64,
    /// The longest wait (no hard lock that anyone who knows an address
    /// could trigger for it).
    pub account_delay_max_secs: i64,
    /// Failures older than this are forgotten even without a success.
    pub account_failure_memory_secs: i64,
    /// Failed attempts from one client address within the window before
    /// that address is refused until the window has passed.
    pub max_failures_per_address: i64,
    pub throttle_window_secs: i64,
    /// Whether a webhook may go to plain `http://` on this machine
    /// (127.0.0.1, localhost): for tests and development only; otherwise
    /// every endpoint must be HTTPS.
    pub webhooks_allow_local: bool,
}

impl Config {
    /// Whether a session (staff or a participant's) has ended: past its
    /// absolute end, or unused for longer than the idle time.
    pub fn session_ended(&self, expires_at: i64, last_seen_at: i64, now: i64) -> bool {
        expires_at <= now || last_seen_at + self.session_idle_secs <= now
    }

    /// Whether a live session's last use is to be written now: the idle
    /// timeout slides, written at most once a minute.
    pub fn session_touch_due(&self, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at >= 60
    }

    /// How long after its latest failure an account with `failures`
    /// failures since its last success must wait.
    pub fn account_delay_secs(&self, failures: i64) -> i64 {
        if failures < self.account_free_failures {
            return 0;
        }
        let doublings = (failures - self.account_free_failures).min(30) as u32;
        self.account_delay_base_secs
            .saturating_mul(1i64 << doublings)
            .min(self.account_delay_max_secs)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_absolute_secs: 12 * 3600,
            session_idle_secs: 30 * 60,
            account_free_failures: 5,
            account_delay_base_secs: 10,
            account_delay_max_secs: 300,
            account_failure_memory_secs: 24 * 3600,
            max_failures_per_address: 30,
            throttle_window_secs: 15 * 60,
            webhooks_allow_local: false,
        }
    }
}

/// The application: a database, a clock, settings and the data key.
#[derive(Clone)]
pub struct App {
    db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    key: Arc<DataKey>,
    /// Where finished readings send the audit rows they owe
    /// (`work::AuditQueue`), started with the first.
    audits: Arc<std::sync::OnceLock<work::AuditQueue>>,
    /// Dashboards and reports kept until the data changes.
    figures: Arc<figure_cache::Figures>,
}

impl App {
    /// An app over a migrated database. Call [`App::seal`] before serving.
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: Config, key: DataKey) -> Self {
        Self {
            db,
            clock,
            config,
            key: Arc::new(key),
            audits: Arc::default(),
            figures: Arc::default(),
        }
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        self.db.ping().await
    }

    /// Whether a write can begin and commit within two seconds (for
    /// `/readyz`: a database that answers but cannot be written is not
    /// ready for palett's users).
    pub async fn ready(&self) -> bool {
        self.db.writable(std::time::Duration::from_secs(2)).await
    }

    /// Close the pool: every connection is returned and closed.
    pub async fn close(&self) {
        self.db.close().await
    }

    /// The database itself, for white-box tests that check stored rows.
    /// Web and CLI code goes through use cases only (a layout test holds
    /// that they never call this).
    #[doc(hidden)]
    pub fn raw_db(&self) -> &Db {
        &self.db
    }

    /// Connect, migrate, check the data key, seal legacy plaintext and
    /// return an app on the system clock.
    #[tracing::instrument(skip_all)]
    pub async fn open(url: &str, key: DataKey) -> Result<Self> {
        Self::open_with_clock(url, Arc::new(clock::SystemClock), key).await
    }

    /// As [`App::open`], on the given clock (tests).
    #[tracing::instrument(skip_all)]
    pub async fn open_with_clock(url: &str, clock: Arc<dyn Clock>, key: DataKey) -> Result<Self> {
        let db = Db::connect(url).await?;
        palett_store::migrate::run(&db).await?;
        let app = Self::new(db, clock, Config::default(), key);
        app.seal().await?;
        Ok(app)
    }

    /// Whether the database at `url` (migrated first) has been sealed with a
    /// data key: then a missing key file is an error to fix by restoring
    /// the key, never a reason to make a new one.
    #[tracing::instrument(skip_all)]
    pub async fn sealed_with_a_key(url: &str) -> Result<bool> {
        let db = Db::connect(url).await?;
        palett_store::migrate::run(&db).await?;
        let recorded = {
            let mut c = db.read().await?;
            palett_store::sealing::key_recorded(&mut c).await?
        };
        db.close().await;
        Ok(recorded)
    }

    /// Refuse a data key other than the one the database was sealed with,
    /// then seal whatever is still stored in clear. Returns how many rows it
    /// sealed (0 once everything is).
    #[tracing::instrument(skip_all)]
    pub async fn seal(&self) -> Result<u64> {
        let mut tx = crate::work::bookkeeping(self).await?;
        palett_store::sealing::check_key(&mut tx, self.sealer())
            .await
            .map_err(|e| AppError::internal_from("data key check", e))?;
        let n = palett_store::participant::seal_legacy(&mut tx, self.sealer()).await?
            + palett_store::auth::seal_legacy_totp(&mut tx, self.sealer()).await?;
        tx.commit().await?;
        if n > 0 {
            tracing::info!(rows = n, "sealed legacy plaintext");
        }
        Ok(n)
    }

    /// The cipher the store seals and opens protected columns with.
    pub(crate) fn sealer(&self) -> &dyn palett_store::sealing::Sealer {
        &*self.key
    }

    /// A participant and the caller's relation to her, judged now.
    pub(crate) async fn participant_with_relation(
        &self,
        c: &mut palett_store::AnyConnection,
        id: i64,
        actor: &Actor,
    ) -> Result<
        Option<(
            palett_domain::model::Participant,
            palett_domain::policy::Relation,
        )>,
    > {
        Ok(palett_store::participant::by_id_with_relation(
            c,
            self.sealer(),
            id,
            actor,
            self.today(),
            self.now(),
        )
        .await?)
    }

    pub fn now(&self) -> i64 {
        self.clock.now().as_second()
    }

    pub fn today(&self) -> jiff::civil::Date {
        self.clock.today()
    }
}

/// Filter and row types the callers of this crate pass and receive.
pub mod filters {
    pub use palett_store::audit::{Entry as AuditEntry, Filter as AuditFilter};
    pub use palett_store::participant::{Filter as ParticipantFilter, ListItem};
}

/// The newest database schema version this build knows.
pub fn schema_version() -> i64 {
    palett_store::migrate::latest_version()
}
