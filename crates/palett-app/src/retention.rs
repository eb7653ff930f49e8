//! Retention (gallring): a policy per partnership — personal data removed a
//! number of years after exit — and a job that anonymises what is due,
//! keeping the statistical facts so the figures do not change. Run by
//! `palett retention run`, daily by the server, and from the administration
//! page; a dry run lists what would go. Every run is audited.

use crate::audit::{record, Action};
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::FieldErrors;
use palett_store::audit::{self as audit_store, NewEntry};
use palett_store::{retention as store, AnyConnection};

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

async fn system_audit(
    c: &mut AnyConnection,
    partnership_id: i64,
    now: i64,
    action: &str,
    participant: Option<i64>,
) -> Result<()> {
    audit_store::append(
        c,
        &NewEntry {
            at: now,
            user_id: None,
            organisation_id: None,
            roles: "system",
            partnership_id: Some(partnership_id),
            action,
            entity: "retention",
            entity_id: None,
            participant_id: participant,
            ip: "system",
        },
    )
    .await
    .map_err(|e| AppError::internal_from("audit write failed", e))
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
    pub async fn set_retention_policy(&self, ctx: &Ctx, years: &str) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let years = years
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|y| (1..=50).contains(y))
            .ok_or_else(|| FieldErrors::single("years_after_exit", "error-retention-years"))?;
        let now = self.now();
        let mut tx = self.db.write().await?;
        store::set_policy(
            &mut tx,
            ctx.actor.partnership_id,
            years,
            ctx.actor.user_id,
            now,
        )
        .await?;
        record(
            &mut tx,
            ctx,
            now,
            Action::RetentionPolicy,
            "retention",
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keep (or stop keeping) one participant's record past the policy, for
    /// an archive rule. Coordinators and administrators of her record.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_archive_hold(&self, ctx: &Ctx, participant_id: i64, hold: bool) -> Result<()> {
        let now = self.now();
        let mut tx = self.db.write().await?;
        match self
            .participant_with_relation(&mut tx, participant_id, &ctx.actor)
            .await?
        {
            Some((_, rel)) if ctx.actor.can_change_participant(rel) => {}
            _ => return Err(AppError::NotFound),
        }
        store::set_archive_hold(&mut tx, participant_id, hold).await?;
        record(
            &mut tx,
            ctx,
            now,
            Action::ArchiveHold,
            "participant",
            Some(participant_id),
            Some(participant_id),
        )
        .await?;
        tx.commit().await?;
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
        let now = self.now();
        let mut tx = self.db.write().await?;
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
                    system_audit(
                        &mut tx,
                        partnership_id,
                        now,
                        "participant.anonymise",
                        Some(*id),
                    )
                    .await?;
                }
                report.anonymised = report.due.len();
            }
        }
        let action = if dry_run {
            "retention.dry_run"
        } else {
            "retention.run"
        };
        match ctx {
            Some(ctx) => {
                record(
                    &mut tx,
                    ctx,
                    now,
                    if dry_run {
                        Action::RetentionDryRun
                    } else {
                        Action::RetentionRun
                    },
                    "retention",
                    None,
                    None,
                )
                .await?
            }
            None => system_audit(&mut tx, partnership_id, now, action, None).await?,
        }
        tx.commit().await?;
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
