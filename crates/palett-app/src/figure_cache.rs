//! Figures kept until something changes (issue 18). A dashboard or a
//! funder report is computed from every participant's facts, which at a
//! million participants takes seconds; between two changes it is the
//! same, so it is kept, with the version of the data it was computed
//! from ([`palett_store::indicators::data_version`], read in the same
//! snapshot as the facts), and given again while the version holds. A
//! change anywhere gives a new version, so a figure is never older than
//! the snapshot it is shown from: the dashboards stay live.
//!
//! Only one figure is computed at a time: requests that miss wait for the
//! turn, then look again (the figure they want may have been computed
//! meanwhile), so sixteen people opening the same dashboard cost one
//! computation, and memory holds one set of facts, not sixteen.
//!
//! What is kept holds no personal data (figures only; every viewer with
//! the right to see aggregates sees the same figures), and the access
//! check runs before the cache is asked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many figures are kept per kind; the one used longest ago goes
/// first.
const KEPT: usize = 64;

/// Kept figures of one kind (`V`: a dashboard, a report).
pub(crate) struct Kept<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    /// A counter for "used longest ago".
    clock: std::sync::atomic::AtomicU64,
}

struct Entry<V> {
    version: String,
    value: Arc<V>,
    used: u64,
}

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            clock: Default::default(),
        }
    }
}

impl<V: Clone> Kept<V> {
    /// The figure kept under `key` if it was computed from `version`.
    pub(crate) fn get(&self, key: &str, version: &str) -> Option<V> {
        let used = self.tick();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(key).filter(|e| e.version == version)?;
        e.used = used;
        Some(V::clone(&e.value))
    }

    /// Keep `value`, computed from `version`, under `key`.
    pub(crate) fn put(&self, key: String, version: String, value: V) {
        let used = self.tick();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= KEPT && !entries.contains_key(&key) {
            if let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Entry {
                version,
                value: Arc::new(value),
                used,
            },
        );
    }

    fn forget(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn tick(&self) -> u64 {
        self.clock
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }
}

/// The figures kept, and the turn to compute one.
#[derive(Default)]
pub(crate) struct Figures {
    pub(crate) dashboards: Kept<crate::dashboard::Dashboard>,
    pub(crate) reports: Kept<crate::reports::ReportBody>,
    turn: tokio::sync::Mutex<()>,
}

impl Figures {
    /// Forget every kept figure (the benchmark times them computed).
    pub(crate) fn forget(&self) {
        self.dashboards.forget();
        self.reports.forget();
    }

    /// The turn to compute a figure if it is free now.
    pub(crate) fn try_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.turn.try_lock().ok()
    }

    /// Wait for the turn to compute a figure (one at a time).
    pub(crate) async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn.lock().await
    }
}

/// The turn to compute a figure, with the reading to compute it in and
/// that reading's data version.
pub(crate) struct Turn<'a> {
    pub(crate) guard: tokio::sync::MutexGuard<'a, ()>,
    pub(crate) reading: crate::work::Reading<'a>,
    pub(crate) version: String,
    /// The reading is a new one (the caller waited): what it read in the
    /// first is to be read again, and the figure looked for again.
    pub(crate) fresh: bool,
}

impl crate::App {
    /// Take the turn to compute a figure missed in `reading`: at once when
    /// it is free, going on with `reading`; else wait for it holding no
    /// connection (those waiting would otherwise empty the pool) and begin
    /// a new reading.
    pub(crate) async fn figure_turn<'a>(
        &'a self,
        ctx: &'a crate::Ctx,
        reading: crate::work::Reading<'a>,
        version: String,
    ) -> crate::Result<Turn<'a>> {
        if let Some(turn) = self.figures.try_turn() {
            return Ok(Turn {
                guard: turn,
                reading,
                version,
                fresh: false,
            });
        }
        reading.finish().await?;
        let turn = self.figures.turn().await;
        let mut reading = crate::work::Reading::begin(self, ctx).await?;
        let version = palett_store::data_version::current(reading.conn()).await?;
        Ok(Turn {
            guard: turn,
            reading,
            version,
            fresh: true,
        })
    }
}
