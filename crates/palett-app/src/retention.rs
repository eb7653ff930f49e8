//! Retention (gallring): a policy per partnership — personal data removed a
//! number of years after exit — and a job that anonymises what is due,
//! keeping the statistical facts so the figures do not change. Run by
//! `palett retention run`, daily by the server, and from the administration
//! page; a dry run lists what would go. Every run is audited.

use crate::audit::Action;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::Parsed;
use palett_store::retention as store;

/// What a run found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub partnership_id: i64,
    pub years_after_exit: Option<i64>,
    /// Exited on or before this date: due.
    pub cutoff: Option<Date>,
    /// (participant id, exit date)
    pub due: Vec<(i64, Date)>,
    pub anonymised: usize,
    pub dry_run: bool,
}

impl App {
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn retention_policy(&self, ctx: &Ctx) -> Result<Option<i64>> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::policy(&mut c, ctx.actor.partnership_id).await?)
    }

    /// Set how many years after exit personal data is kept (1–50).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_retention_policy(&self, ctx: &Ctx, years: Parsed<i64>) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let years = years?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        store::set_policy(
            &mut tx,
            ctx.actor.partnership_id,
            years,
            ctx.actor.user_id,
            now,
        )
        .await?;
        tx.done(Action::RetentionPolicy, "retention", None, None)
            .await?;
        Ok(())
    }

    /// Keep (or stop keeping) one participant's record past the policy, for
    /// an archive rule. Coordinators and administrators of her record.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_archive_hold(&self, ctx: &Ctx, participant_id: i64, hold: bool) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        match self
            .participant_with_relation(&mut tx, participant_id, &ctx.actor)
            .await?
        {
            Some((_, rel)) if ctx.actor.can_change_participant(rel) => {}
            _ => return Err(AppError::NotFound),
        }
        store::set_archive_hold(&mut tx, participant_id, hold).await?;
        tx.done(
            Action::ArchiveHold,
            "participant",
            Some(participant_id),
            Some(participant_id),
        )
        .await?;
        Ok(())
    }

    /// Run retention for one partnership (`ctx` is the administrator, or
    /// `None` for the scheduled job and the command line).
    #[tracing::instrument(skip_all)]
    pub async fn run_retention(
        &self,
        ctx: Option<&Ctx>,
        partnership_id: i64,
        dry_run: bool,
    ) -> Result<RetentionReport> {
        if let Some(ctx) = ctx {
            if !ctx.actor.can_administer() || ctx.actor.partnership_id != partnership_id {
                return Err(AppError::Forbidden);
            }
        }
        // The daily job and the command line act as palett itself.
        let system = Ctx::system(partnership_id);
        let mut tx = Change::begin(self, ctx.unwrap_or(&system)).await?;
        let now = tx.now();
        let years = store::policy(&mut tx, partnership_id).await?;
        let mut report = RetentionReport {
            partnership_id,
            years_after_exit: years,
            dry_run,
            ..Default::default()
        };
        if let Some(y) = years {
            let cutoff = self.today().checked_sub(y.years()).unwrap_or(Date::MIN);
            report.cutoff = Some(cutoff);
            report.due = store::due(&mut tx, partnership_id, cutoff).await?;
            if !dry_run {
                for (id, _) in &report.due {
                    store::anonymise(&mut tx, *id, now).await?;
                    tx.audit(Action::ParticipantAnonymise, "retention", None, Some(*id))
                        .await?;
                }
                report.anonymised = report.due.len();
            }
        }
        let action = if dry_run {
            Action::RetentionDryRun
        } else {
            Action::RetentionRun
        };
        tx.done(action, "retention", None, None).await?;
        Ok(report)
    }

    /// Run retention for every partnership (the command line and the daily job).
    #[tracing::instrument(skip_all)]
    pub async fn run_retention_everywhere(&self, dry_run: bool) -> Result<Vec<RetentionReport>> {
        let ids: Vec<i64> = {
            let mut c = self.db.read().await?;
            sqlx::query_scalar("SELECT id FROM partnerships ORDER BY id")
                .fetch_all(&mut *c)
                .await?
        };
        let mut out = Vec::new();
        for id in ids {
            out.push(self.run_retention(None, id, dry_run).await?);
        }
        Ok(out)
    }
}
