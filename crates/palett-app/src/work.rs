//! The units of work: the only ways a use case reaches the database.
//!
//! - [`Change`]: a use case that changes something. One write transaction;
//!   it commits only with its audit entry (`Change::done`, or
//!   `Change::audit` then `Change::commit`). A change committed with no
//!   audit entry is refused and rolled back, so no record changes without
//!   the log saying who did it.
//! - [`Reading`]: a use case that reads personal data. Its statements run
//!   in one read-only snapshot, so readers never hold up writers; the audit
//!   rows it owes are written before the data is handed back, by the
//!   [`AuditQueue`], which commits the rows of the readings that finish
//!   together in one write transaction.
//! - [`bookkeeping`]: a write that changes no record and is not an act of a
//!   user on one: sign-in throttle counters, counts of refused requests,
//!   sessions, sealing secrets at start-up, seeding the demo and the bench,
//!   and the webhook worker's claims and attempts (`webhooks`).
//!
//! The audit rows are written here and nowhere else (`record` is private);
//! a layout test keeps `db.write()` out of every other module.

use crate::action::Action;
use crate::{App, AppError, Ctx, Result};
use palett_store::audit::{self as audit_store, NewEntry};
use palett_store::{Any, AnyConnection, Db, Transaction, WriteTx};
use tokio::sync::{mpsc, oneshot};

/// The unit of work of a use case that changes something: one write
/// transaction that commits only with its audit entry. It derefs to the
/// transaction's connection for the store's functions; dropped without a
/// commit (an error, `?`), it rolls back.
pub(crate) struct Change<'a> {
    ctx: &'a Ctx,
    now: i64,
    tx: WriteTx,
    audited: bool,
}

impl<'a> Change<'a> {
    /// Begin a change by `ctx` (a person, or [`Ctx::system`] for a job).
    pub(crate) async fn begin(app: &App, ctx: &'a Ctx) -> Result<Self> {
        Ok(Self {
            ctx,
            now: app.now(),
            tx: app.db.write().await?,
            audited: false,
        })
    }

    /// Turn a bookkeeping transaction into a change by `ctx`, once it is
    /// known who acts (a sign-in: the attempt is bookkeeping until the
    /// password and code hold; the new session is the user's change).
    pub(crate) fn adopt(tx: WriteTx, ctx: &'a Ctx, now: i64) -> Self {
        Self {
            ctx,
            now,
            tx,
            audited: false,
        }
    }

    /// The moment of the change: every row it writes, the audit entry
    /// included, carries this time.
    pub(crate) fn now(&self) -> i64 {
        self.now
    }

    /// The user making the change (`None` for palett's own jobs and for
    /// a participant in her portal).
    pub(crate) fn by(&self) -> Option<i64> {
        (self.ctx.actor.participant.is_none() && self.ctx.actor.user_id > 0)
            .then_some(self.ctx.actor.user_id)
    }

    /// Tell other systems of an event of this change: one outbox row per
    /// active webhook endpoint of the partnership subscribed to `kind`,
    /// written in this transaction, so the rows exist exactly when the
    /// change commits (the delivery worker sends them later).
    pub(crate) async fn emit(
        &mut self,
        kind: palett_domain::webhook::EventKind,
        subject_id: i64,
    ) -> Result<()> {
        palett_store::webhook::enqueue(
            &mut self.tx,
            self.ctx.actor.partnership_id,
            kind,
            subject_id,
            self.now,
        )
        .await?;
        Ok(())
    }

    /// One audit row of this change (a change may write several: a
    /// registration also notes a duplicate identity number).
    pub(crate) async fn audit(
        &mut self,
        action: Action,
        entity: &str,
        entity_id: Option<i64>,
        participant_id: Option<i64>,
    ) -> Result<()> {
        record(
            &mut self.tx,
            self.ctx,
            self.now,
            action,
            entity,
            entity_id,
            participant_id,
        )
        .await?;
        self.audited = true;
        Ok(())
    }

    /// One audit row per participant of `participant_ids` (a register of
    /// attendance for a whole group).
    pub(crate) async fn audit_each(
        &mut self,
        action: Action,
        entity: &str,
        participant_ids: &[i64],
    ) -> Result<()> {
        record_for_each(
            &mut self.tx,
            self.ctx,
            self.now,
            action,
            entity,
            participant_ids,
        )
        .await?;
        self.audited = true;
        Ok(())
    }

    /// Commit the change and its audit entries, all or none. A change with
    /// no audit entry is a bug: it is rolled back and answered as an
    /// internal error.
    pub(crate) async fn commit(mut self) -> Result<()> {
        if !self.audited {
            self.tx.rollback().await?;
            return Err(AppError::Internal(
                "a change without its audit entry was refused".into(),
            ));
        }
        // Kept figures computed before this change are no longer given.
        palett_store::data_version::count_change(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Roll the change back, keeping nothing: a dry run (an import's
    /// preview runs the commit's own code, then discards it).
    pub(crate) async fn discard(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// The usual end of a change: its one audit entry, then commit.
    pub(crate) async fn done(
        mut self,
        action: Action,
        entity: &str,
        entity_id: Option<i64>,
        participant_id: Option<i64>,
    ) -> Result<()> {
        self.audit(action, entity, entity_id, participant_id)
            .await?;
        self.commit().await
    }
}

impl std::ops::Deref for Change<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Change<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// A write transaction for bookkeeping that is no user's act on a record
/// (see the module's documentation); not audited.
pub(crate) async fn bookkeeping(app: &App) -> Result<WriteTx> {
    Ok(app.db.write().await?)
}

/// The unit of work of a use case that only reads. Its statements run in
/// one read-only snapshot ([`palett_store::Db::snapshot`]: on SQLite no
/// write lock is held while they run, so readers never hold up the
/// writers); the audit rows the read owes are collected with
/// [`Reading::audit`] and written by [`Reading::finish`] in one short write
/// transaction. The use case returns what it read only after `finish`:
/// nothing read leaves palett without its audit row committed.
pub(crate) struct Reading<'a> {
    app: &'a App,
    ctx: &'a Ctx,
    tx: Transaction<'static, Any>,
    owed: Vec<Owed>,
}

struct Owed {
    action: Action,
    entity: String,
    entity_id: Option<i64>,
    participant_id: Option<i64>,
    /// One row per participant instead of one row.
    each: Option<Vec<i64>>,
}

impl<'a> Reading<'a> {
    pub(crate) async fn begin(app: &'a App, ctx: &'a Ctx) -> Result<Self> {
        Ok(Self {
            app,
            ctx,
            tx: app.db.snapshot().await?,
            owed: Vec::new(),
        })
    }

    /// The snapshot's connection, for the store's read functions.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// One audit row this read owes.
    pub(crate) fn audit(
        &mut self,
        action: Action,
        entity: &str,
        entity_id: Option<i64>,
        participant_id: Option<i64>,
    ) {
        self.owed.push(Owed {
            action,
            entity: entity.to_string(),
            entity_id,
            participant_id,
            each: None,
        });
    }

    /// One audit row per participant of `participant_ids`.
    pub(crate) fn audit_each(&mut self, action: Action, entity: &str, participant_ids: Vec<i64>) {
        self.owed.push(Owed {
            action,
            entity: entity.to_string(),
            entity_id: None,
            participant_id: None,
            each: Some(participant_ids),
        });
    }

    /// End the snapshot and write the audit rows owed, all or none (a read
    /// that showed no participant's data, such as an intervention with no
    /// enrolments, may owe none: then nothing is written). Returns once
    /// they are committed, or with the error that kept them out.
    pub(crate) async fn finish(self) -> Result<()> {
        self.tx.rollback().await?;
        if self.owed.is_empty() {
            return Ok(());
        }
        let owing = Owing {
            ctx: self.ctx.clone(),
            now: self.app.now(),
            owed: self.owed,
        };
        let queue = self
            .app
            .audits
            .get_or_init(|| AuditQueue::start(self.app.db.clone()));
        let (done, written) = oneshot::channel();
        queue
            .0
            .send((owing, done))
            .await
            .map_err(|_| AppError::internal("the audit writer has stopped"))?;
        written
            .await
            .map_err(|_| AppError::internal("the audit writer has stopped"))?
    }
}

/// The audit rows one finished reading owes, with who read and when.
struct Owing {
    ctx: Ctx,
    now: i64,
    owed: Vec<Owed>,
}

/// The writer of the audit rows that readings owe: one task that takes
/// every reading that has finished meanwhile (up to 256) and commits their
/// rows in one write transaction, then tells each reading. On SQLite,
/// where every commit waits for the one write lock and an fsync, readings
/// that finish together then cost one commit instead of one each, and the
/// writers of records wait less. A batch that fails is written again one
/// reading at a time, so that one reading's failure is only its own; a
/// reading whose rows are not committed fails (nothing read leaves palett
/// without its audit row).
pub(crate) struct AuditQueue(mpsc::Sender<(Owing, oneshot::Sender<Result<()>>)>);

impl AuditQueue {
    const BATCH: usize = 256;

    fn start(db: Db) -> Self {
        let (tx, mut rx) = mpsc::channel::<(Owing, oneshot::Sender<Result<()>>)>(1024);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < Self::BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let all: Vec<&Owing> = batch.iter().map(|(o, _)| o).collect();
                if write_owed(&db, &all).await.is_ok() {
                    for (_, done) in batch {
                        let _ = done.send(Ok(()));
                    }
                    continue;
                }
                for (owing, done) in batch {
                    let _ = done.send(write_owed(&db, &[&owing]).await);
                }
            }
        });
        Self(tx)
    }
}

/// Write the rows of these readings in one write transaction.
async fn write_owed(db: &Db, readings: &[&Owing]) -> Result<()> {
    let mut tx = db.write().await?;
    for r in readings {
        for o in &r.owed {
            match &o.each {
                Some(each) => {
                    record_for_each(&mut tx, &r.ctx, r.now, o.action, &o.entity, each).await?
                }
                None => {
                    record(
                        &mut tx,
                        &r.ctx,
                        r.now,
                        o.action,
                        &o.entity,
                        o.entity_id,
                        o.participant_id,
                    )
                    .await?
                }
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Append one audit row for `ctx` in the caller's transaction.
async fn record(
    c: &mut AnyConnection,
    ctx: &Ctx,
    now: i64,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    participant_id: Option<i64>,
) -> Result<()> {
    let roles = roles_of(ctx);
    audit_store::append(
        c,
        &entry(ctx, now, action, entity, entity_id, participant_id, &roles),
    )
    .await
    .map_err(|e| AppError::internal_from("audit write failed", e))
}

/// One audit row per participant of `participant_ids`, written together.
async fn record_for_each(
    c: &mut AnyConnection,
    ctx: &Ctx,
    now: i64,
    action: Action,
    entity: &str,
    participant_ids: &[i64],
) -> Result<()> {
    let roles = roles_of(ctx);
    audit_store::append_for_participants(
        c,
        &entry(ctx, now, action, entity, None, None, &roles),
        participant_ids,
    )
    .await
    .map_err(|e| AppError::internal_from("audit write failed", e))
}

/// The roles as the log keeps them; palett's own jobs as `system`.
fn roles_of(ctx: &Ctx) -> String {
    if ctx.actor.is_system() {
        return "system".into();
    }
    if ctx.actor.participant.is_some() {
        return "participant".into();
    }
    ctx.actor
        .roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn entry<'a>(
    ctx: &'a Ctx,
    now: i64,
    action: Action,
    entity: &'a str,
    entity_id: Option<i64>,
    participant_id: Option<i64>,
    roles: &'a str,
) -> NewEntry<'a> {
    // A user: palett's own jobs and a participant in her portal are none.
    let person = !ctx.actor.is_system() && ctx.actor.participant.is_none();
    NewEntry {
        at: now,
        user_id: person.then_some(ctx.actor.user_id),
        organisation_id: person.then_some(ctx.actor.organisation_id),
        roles,
        partnership_id: Some(ctx.actor.partnership_id),
        action: action.as_str(),
        entity,
        entity_id,
        participant_id,
        ip: &ctx.ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_key::DataKey;

    /// An app on an empty SQLite database of its own, and its directory.
    async fn fresh_app(name: &str) -> (App, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("palett-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join(format!("{name}.db"));
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let app = App::open(&url, DataKey::from_bytes(&[7; 32]))
            .await
            .expect("open");
        (app, dir)
    }

    async fn count(app: &App, sql: &str) -> i64 {
        let mut c = app.db.read().await.expect("read");
        sqlx::query_scalar(sql)
            .fetch_one(&mut *c)
            .await
            .expect("count")
    }

    async fn add_partnership(w: &mut Change<'_>) {
        sqlx::query(
            "INSERT INTO partnerships (id, name, start_date) VALUES (1, 'P', '2026-01-01')",
        )
        .execute(&mut **w)
        .await
        .expect("write");
    }

    #[tokio::test]
    async fn a_change_commits_only_with_its_audit_entry() {
        let (app, dir) = fresh_app("work").await;
        let ctx = Ctx::system(1);

        // Without an audit entry: refused, and the change is not kept.
        let mut w = Change::begin(&app, &ctx).await.expect("begin");
        add_partnership(&mut w).await;
        let refused = w.commit().await;
        assert!(matches!(refused, Err(AppError::Internal(_))), "{refused:?}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM partnerships").await, 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, 0);

        // With it: both kept, the entry as palett's own (no user).
        let mut w = Change::begin(&app, &ctx).await.expect("begin");
        add_partnership(&mut w).await;
        w.done(Action::RetentionPolicy, "retention", None, None)
            .await
            .expect("done");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM partnerships").await, 1);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE user_id IS NULL AND roles = 'system'"
            )
            .await,
            1
        );
        app.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_change_s_webhook_rows_exist_only_if_it_commits() {
        use palett_domain::webhook::{EndpointSpec, EventKind};
        let (app, dir) = fresh_app("emit").await;
        let ctx = Ctx::system(1);
        let mut w = Change::begin(&app, &ctx).await.expect("begin");
        add_partnership(&mut w).await;
        let spec = EndpointSpec {
            url: "https://hooks.example.org/".into(),
            kinds: vec![EventKind::ParticipantExited],
            description: None,
        };
        palett_store::webhook::insert_endpoint(&mut w, app.sealer(), 1, &spec, "s", None, 0)
            .await
            .expect("endpoint");
        w.done(Action::WebhookCreate, "webhook", None, None)
            .await
            .expect("done");

        // Emitted, then the change fails (dropped without commit): no row.
        let mut w = Change::begin(&app, &ctx).await.expect("begin");
        w.emit(EventKind::ParticipantExited, 42)
            .await
            .expect("emit");
        drop(w);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM webhook_outbox").await, 0);
        // A kind the endpoint did not choose: none either.
        let mut w = Change::begin(&app, &ctx).await.expect("begin");
        w.emit(EventKind::ReferralChanged, 42).await.expect("emit");
        w.emit(EventKind::ParticipantExited, 42)
            .await
            .expect("emit");
        w.done(Action::ParticipantTransition, "exit", Some(42), None)
            .await
            .expect("done");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM webhook_outbox").await, 1);
        app.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
