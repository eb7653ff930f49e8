//! Follow-up after exit: her follow-ups on her record, recording one, and
//! the list of follow-ups due that caseworkers work through.

use crate::audit::Action;
use crate::paging::Page;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::followup::{FollowUp, FollowUpInput};
use palett_store::followup as store;

/// How far ahead the list of follow-ups due looks.
pub const DUE_AHEAD_DAYS: i64 = 14;

impl App {
    /// Her follow-ups (an audited read of her record).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn follow_ups(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<FollowUp>> {
        self.read_part(ctx, participant_id, "follow_ups", async |c| {
            Ok(store::of_participant(c, participant_id).await?)
        })
        .await
    }

    /// Record what a follow-up found: those who may change her record;
    /// audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_follow_up(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        follow_up_id: i64,
        input: &FollowUpInput,
    ) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let (p, rel) = self
            .participant_with_relation(&mut tx, participant_id, &ctx.actor)
            .await?
            .filter(|(_, rel)| ctx.actor.in_scope(*rel))
            .ok_or(AppError::NotFound)?;
        if !ctx.actor.can_change_participant(rel) {
            return Err(AppError::Forbidden);
        }
        let p = crate::ensure_processable(p)?;
        let exit = p.state.exit_date.ok_or(AppError::NotFound)?;
        let rec = input.parse(exit, self.today())?;
        if !store::record(
            &mut tx,
            participant_id,
            follow_up_id,
            &rec,
            ctx.actor.user_id,
            now,
        )
        .await?
        {
            return Err(AppError::NotFound);
        }
        tx.done(
            Action::FollowUpRecord,
            "follow_up",
            Some(follow_up_id),
            Some(participant_id),
        )
        .await?;
        Ok(())
    }

    /// Follow-ups not done and due within two weeks, of the participants
    /// the caller may see (an audited list read).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn due_follow_ups(&self, ctx: &Ctx, page: Page) -> Result<(Vec<store::Due>, i64)> {
        if !ctx.actor.sees_participants() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let until = today
            .checked_add(jiff::Span::new().days(DUE_AHEAD_DAYS))
            .unwrap_or(today);
        let mut r = Reading::begin(self, ctx).await?;
        let out = store::due(
            r.conn(),
            ctx.actor.participant_scope(today),
            until,
            page.limit(),
            page.offset(),
        )
        .await?;
        r.audit(Action::ParticipantList, "follow_ups_due", None, None);
        r.finish().await?;
        Ok(out)
    }
}
