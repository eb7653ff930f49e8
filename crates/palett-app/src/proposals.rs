//! The pipeline per match: proposing a participant for an opening, and
//! each step after it (she agrees or declines, she is presented to the
//! employer, interview, placed or not). Proposing and presenting need her
//! employer-contact consent in force that day; a presentation discloses her
//! data to the employer and is logged as such, under her id, so that it is
//! in her subject access export. Only staff who may change her record take
//! steps; those who may read it see them.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::opening::OpeningStatus;
use palett_domain::proposal::{Proposal, ProposalStep, Stage, StepInput};
use palett_domain::{FieldError, FieldErrors};
use palett_store::proposal as store;

/// A pipeline with its steps, and whether the caller may take the next.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub steps: Vec<ProposalStep>,
    pub may_change: bool,
}

fn no_consent(field: &str) -> AppError {
    FieldErrors::single(field, "error-no-employer-contact-consent").into()
}

impl App {
    /// Propose a participant for an open opening; the pipeline's id.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn propose(&self, ctx: &Ctx, opening_id: i64, participant_id: i64) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let pid = ctx.actor.partnership_id;
        let mut tx = Change::begin(self, ctx).await?;
        let opening = palett_store::opening::by_id(&mut tx, pid, opening_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.changeable(&mut tx, ctx, participant_id).await?;
        if opening.status != OpeningStatus::Open {
            return Err(FieldErrors::single("opening_id", "error-opening-not-open").into());
        }
        if !palett_store::matching::employer_contact_in_force(&mut tx, participant_id, today)
            .await?
        {
            return Err(no_consent("participant_id"));
        }
        if let Some(existing) = store::id_of_pair(&mut tx, opening_id, participant_id).await? {
            return Err(FieldErrors::from(
                FieldError::new("participant_id", "error-proposal-exists").with_existing(existing),
            )
            .into());
        }
        let now = tx.now();
        let id = store::insert(
            &mut tx,
            pid,
            opening_id,
            participant_id,
            today,
            ctx.actor.user_id,
            now,
        )
        .await?;
        tx.done(
            Action::ProposalCreate,
            "proposal",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }

    /// A pipeline with its steps, for those who may read her (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn proposal(&self, ctx: &Ctx, id: i64) -> Result<ProposalView> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let proposal = store::by_id(r.conn(), ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let may_change = self
            .audited_read_may_change(&mut r, ctx, proposal.participant_id, "proposal")
            .await?;
        let steps = store::steps(r.conn(), id).await?;
        r.finish().await?;
        Ok(ProposalView {
            proposal,
            steps,
            may_change,
        })
    }

    /// Take the next step of a pipeline. A presentation needs her
    /// employer-contact consent in force and is logged as a disclosure to
    /// the employer.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn take_step(&self, ctx: &Ctx, id: i64, input: &StepInput) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let p = store::by_id(&mut tx, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.changeable(&mut tx, ctx, p.participant_id).await?;
        let step = input.parse(p.stage, p.stage_on, today)?;
        if step.stage == Stage::Presented
            && !palett_store::matching::employer_contact_in_force(&mut tx, p.participant_id, today)
                .await?
        {
            return Err(no_consent("stage"));
        }
        let now = tx.now();
        store::add_step(&mut tx, id, &step, ctx.actor.user_id, now).await?;
        if step.stage == Stage::Presented {
            tx.audit(
                Action::DisclosureToEmployer,
                "employer",
                Some(p.employer_id),
                Some(p.participant_id),
            )
            .await?;
        }
        tx.done(
            Action::ProposalStep,
            "proposal",
            Some(id),
            Some(p.participant_id),
        )
        .await?;
        Ok(())
    }

    /// The opening's pipelines of participants the caller may see.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn opening_proposals(&self, ctx: &Ctx, opening_id: i64) -> Result<Vec<Proposal>> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        palett_store::opening::by_id(r.conn(), ctx.actor.partnership_id, opening_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let scope = ctx.actor.participant_scope(self.today());
        let list = store::of_opening(r.conn(), scope, opening_id).await?;
        let ids: Vec<i64> = list.iter().map(|p| p.participant_id).collect();
        r.audit_each(Action::ParticipantList, "proposal", ids);
        r.finish().await?;
        Ok(list)
    }

    /// Her pipelines (a read of her record, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_proposals(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<Vec<Proposal>> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        self.read_part(ctx, participant_id, "proposals", async |c| {
            Ok(store::of_participant(c, participant_id).await?)
        })
        .await
    }
}
