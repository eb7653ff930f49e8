//! Self-assessments on her record: reading hers and recording a new one.

use crate::audit::Action;
use crate::work::Change;
use crate::{App, Ctx, Result};
use palett_domain::selfassessment::{Scored, SelfAssessment};
use palett_store::selfassessment as store;

impl App {
    /// Her self-assessments, oldest first (an audited read of her record).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn self_assessments(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<Vec<SelfAssessment>> {
        self.read_part(ctx, participant_id, "self_assessments", async |c| {
            Ok(store::of_participant(c, participant_id).await?)
        })
        .await
    }

    /// Whether the caller may change her record: `Ok` when so, else not
    /// found (or forbidden for those who may only read it).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn may_change_participant(&self, ctx: &Ctx, participant_id: i64) -> Result<()> {
        let mut c = self.db.read().await?;
        self.changeable(&mut c, ctx, participant_id).await?;
        Ok(())
    }

    /// Record a self-assessment: those who may change her record; audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_self_assessment(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        scored: &Scored,
    ) -> Result<i64> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        self.changeable(&mut tx, ctx, participant_id).await?;
        let (on, scores) = (scored.on, &scored.scores);
        let id = store::insert(
            &mut tx,
            participant_id,
            on,
            scores,
            Some(ctx.actor.user_id),
            now,
        )
        .await?;
        tx.done(
            Action::SelfAssessmentRecord,
            "self_assessment",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }
}
