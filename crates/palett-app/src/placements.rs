//! Placements: recorded from a pipeline that ended in `placed`, under an
//! intervention of the palette; their hours are activities of that
//! intervention marked with the placement, so they count in her time and
//! the ESF+ hours like any other; reviews with the employer and the
//! result. Everything is part of her record: read and changed as it is,
//! and audited.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::path::ActivityInput;
use palett_domain::placement::{Placement, PlacementSpec, ResultInput, Review, ReviewInput};
use palett_domain::proposal::Stage;
use palett_domain::{FieldError, FieldErrors, Parsed};
use palett_store::placement as store;

/// A placement with its reviews, and whether the caller may change it.
#[derive(Clone, Debug)]
pub struct PlacementView {
    pub placement: Placement,
    pub reviews: Vec<Review>,
    pub may_change: bool,
}

impl App {
    /// Record the placement a pipeline led to (it must have ended in
    /// `placed`; one placement per pipeline).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_placement(
        &self,
        ctx: &Ctx,
        proposal_id: i64,
        spec: Parsed<PlacementSpec>,
    ) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let pid = ctx.actor.partnership_id;
        let mut tx = Change::begin(self, ctx).await?;
        let proposal = palett_store::proposal::by_id(&mut tx, pid, proposal_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.changeable(&mut tx, ctx, proposal.participant_id)
            .await?;
        if proposal.stage != Stage::Placed {
            return Err(FieldErrors::single("proposal", "error-placement-needs-placed").into());
        }
        if let Some(existing) = store::id_of_proposal(&mut tx, proposal_id).await? {
            return Err(FieldErrors::from(
                FieldError::new("proposal", "error-placement-exists").with_existing(existing),
            )
            .into());
        }
        let spec = spec?;
        let mut e = FieldErrors::new();
        match palett_store::palette::intervention_by_id(&mut tx, spec.intervention_id).await? {
            Some(i) if i.partnership_id == pid && i.retired_on.is_none() => {}
            _ => e.push("intervention_id", "error-choice"),
        }
        if let Some(s) = spec.supervisor_id {
            if !palett_store::employer::contacts(&mut tx, proposal.employer_id)
                .await?
                .iter()
                .any(|c| c.id == s)
            {
                e.push("supervisor_id", "error-choice");
            }
        }
        e.into_result()?;
        let now = tx.now();
        let id = store::insert(
            &mut tx,
            pid,
            proposal_id,
            proposal.participant_id,
            &spec,
            ctx.actor.user_id,
            now,
        )
        .await?;
        tx.done(
            Action::PlacementCreate,
            "placement",
            Some(id),
            Some(proposal.participant_id),
        )
        .await?;
        Ok(id)
    }

    /// A placement with its reviews (a read of her record, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn placement(&self, ctx: &Ctx, id: i64) -> Result<PlacementView> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let placement = store::by_id(r.conn(), ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let may_change = self
            .audited_read_may_change(&mut r, ctx, placement.participant_id, "placement")
            .await?;
        let reviews = store::reviews(r.conn(), id).await?;
        r.finish().await?;
        Ok(PlacementView {
            placement,
            reviews,
            may_change,
        })
    }

    /// Record hours at a placement: an activity of its intervention, on a
    /// day of its period, counted in her time like any other.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_placement_hours(
        &self,
        ctx: &Ctx,
        id: i64,
        input: &ActivityInput,
    ) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let p = store::by_id(&mut tx, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let input = ActivityInput {
            intervention_id: p.intervention_id.to_string(),
            ..input.clone()
        };
        let activity = input.parse(self.today())?;
        if activity.on_date < p.start_date || activity.on_date > p.end_date {
            return Err(FieldErrors::single("on_date", "error-outside-placement").into());
        }
        let aid = self
            .insert_activity(&mut tx, ctx, p.participant_id, &activity, Some(id))
            .await?;
        tx.done(
            Action::ActivityRecord,
            "activity",
            Some(aid),
            Some(p.participant_id),
        )
        .await?;
        Ok(aid)
    }

    /// A mid-way or final review with the employer.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn review_placement(&self, ctx: &Ctx, id: i64, input: &ReviewInput) -> Result<i64> {
        let (mut tx, p) = self.changeable_placement(ctx, id).await?;
        let review = input.parse(p.start_date, self.today())?;
        let now = tx.now();
        let rid = store::insert_review(&mut tx, id, &review, ctx.actor.user_id, now).await?;
        tx.done(
            Action::PlacementReview,
            "placement",
            Some(id),
            Some(p.participant_id),
        )
        .await?;
        Ok(rid)
    }

    /// The placement's result: a job offer, extended, or ended.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_placement_result(
        &self,
        ctx: &Ctx,
        id: i64,
        input: &ResultInput,
    ) -> Result<()> {
        let (mut tx, p) = self.changeable_placement(ctx, id).await?;
        let (result, on) = input.parse(p.start_date, self.today())?;
        store::set_result(&mut tx, id, result, on).await?;
        tx.done(
            Action::PlacementResult,
            "placement",
            Some(id),
            Some(p.participant_id),
        )
        .await?;
        Ok(())
    }

    /// Her placements (a read of her record, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_placements(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<Vec<Placement>> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        self.read_part(ctx, participant_id, "placements", async |c| {
            Ok(store::of_participant(c, participant_id).await?)
        })
        .await
    }

    /// A unit of work on placement `id`, which the caller may change.
    async fn changeable_placement<'a>(
        &self,
        ctx: &'a Ctx,
        id: i64,
    ) -> Result<(Change<'a>, Placement)> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let p = store::by_id(&mut tx, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.changeable(&mut tx, ctx, p.participant_id).await?;
        Ok((tx, p))
    }
}
