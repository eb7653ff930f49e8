//! Follow-up after exit: her follow-ups on her record, recording one, and
//! the list of follow-ups due that caseworkers work through.

use crate::audit::Action;
use crate::paging::Page;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::followup::{FollowUp, FollowUpInput, NotReachedInput};
use palett_domain::FieldErrors;
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
    /// audited. A follow-up closed as not reached may be recorded later
    /// (she got in touch): the record replaces the mark.
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
        let exit = self.follow_up_exit(&mut tx, ctx, participant_id).await?;
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

    /// Close a follow-up as not reached: someone tried on a day (not in the
    /// future, not before her exit) and could not reach her. Those who may
    /// change her record; audited. It leaves the list of follow-ups due and
    /// the worklists; a follow-up already done is refused on `tried_on`
    /// (she was reached).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn mark_follow_up_not_reached(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        follow_up_id: i64,
        input: &NotReachedInput,
    ) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let exit = self.follow_up_exit(&mut tx, ctx, participant_id).await?;
        let mark = input.parse(exit, self.today())?;
        let Some(f) = store::of_participant(&mut tx, participant_id)
            .await?
            .into_iter()
            .find(|f| f.id == follow_up_id)
        else {
            return Err(AppError::NotFound);
        };
        if f.done.is_some()
            || !store::mark_not_reached(
                &mut tx,
                participant_id,
                follow_up_id,
                &mark,
                ctx.actor.user_id,
                now,
            )
            .await?
        {
            let mut e = FieldErrors::new();
            e.push("tried_on", "error-follow-up-already-done");
            return Err(e.into());
        }
        tx.done(
            Action::FollowUpNotReached,
            "follow_up",
            Some(follow_up_id),
            Some(participant_id),
        )
        .await?;
        Ok(())
    }

    /// Her exit, for a change to one of her follow-ups: she must be in the
    /// caller's scope (else not found), the caller one who may change her
    /// record, her record processable, and she must have ended.
    async fn follow_up_exit(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<jiff::civil::Date> {
        let (p, rel) = self
            .participant_with_relation(tx, participant_id, &ctx.actor)
            .await?
            .filter(|(_, rel)| ctx.actor.in_scope(*rel))
            .ok_or(AppError::NotFound)?;
        if !ctx.actor.can_change_participant(rel) {
            return Err(AppError::Forbidden);
        }
        let p = crate::ensure_processable(p)?;
        p.state.exit_date.ok_or(AppError::NotFound)
    }

    /// Follow-ups open (neither done nor closed as not reached) and due
    /// within two weeks, of the participants the caller may see (an
    /// audited list read).
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
