//! Openings of the registry's employers: listed and added by staff who
//! work with employers, changed and given a status by coordinators and the
//! responsible partner's caseworkers. Every change is audited; reads are
//! not (business data, no participant's).

use crate::audit::Action;
use crate::paging::Page;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use palett_domain::opening::{Opening, OpeningInput, OpeningSpec, OpeningStatus};
use palett_domain::{FieldErrors, Parsed};
use palett_store::opening as store;
pub use palett_store::opening::OpeningFilter;
use sqlx::AnyConnection;

/// One opening, and whether the caller may change it.
#[derive(Clone, Debug)]
pub struct OpeningView {
    pub opening: Opening,
    pub may_change: bool,
}

impl App {
    /// One page of the partnership's openings, and how many match.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn openings(
        &self,
        ctx: &Ctx,
        filter: &OpeningFilter,
        page: Page,
    ) -> Result<(Vec<Opening>, i64)> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::list(
            &mut c,
            ctx.actor.partnership_id,
            filter,
            page.limit(),
            page.offset(),
        )
        .await?)
    }

    /// An opening of the caller's partnership; `NotFound` for any other.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn opening(&self, ctx: &Ctx, id: i64) -> Result<OpeningView> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let opening = store::by_id(&mut c, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(OpeningView {
            may_change: ctx
                .actor
                .can_change_employer(opening.responsible_organisation_id),
            opening,
        })
    }

    /// The opening as its edit form shows it.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn opening_input(&self, ctx: &Ctx, id: i64) -> Result<OpeningInput> {
        let v = self.opening(ctx, id).await?;
        if !v.may_change {
            return Err(AppError::Forbidden);
        }
        Ok(OpeningInput::from_opening(&v.opening))
    }

    /// Add an opening, open, to an active employer of the registry.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_opening(
        &self,
        ctx: &Ctx,
        employer_id: i64,
        spec: Parsed<OpeningSpec>,
    ) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let employer =
            palett_store::employer::by_id(&mut tx, ctx.actor.partnership_id, employer_id)
                .await?
                .ok_or(AppError::NotFound)?;
        if !employer.is_active() {
            return Err(FieldErrors::single("employer_id", "error-employer-inactive").into());
        }
        let spec = spec?;
        check_responsible(&mut tx, ctx, &spec).await?;
        let now = tx.now();
        let id = store::insert(&mut tx, ctx.actor.partnership_id, employer_id, &spec, now).await?;
        tx.done(Action::OpeningCreate, "opening", Some(id), None)
            .await?;
        Ok(id)
    }

    /// Change an opening's details.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn update_opening(
        &self,
        ctx: &Ctx,
        id: i64,
        spec: Parsed<OpeningSpec>,
    ) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        changeable(&mut tx, ctx, id).await?;
        let spec = spec?;
        check_responsible(&mut tx, ctx, &spec).await?;
        store::update(&mut tx, ctx.actor.partnership_id, id, &spec).await?;
        tx.done(Action::OpeningUpdate, "opening", Some(id), None)
            .await?;
        Ok(())
    }

    /// Mark an opening open, filled or closed.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_opening_status(
        &self,
        ctx: &Ctx,
        id: i64,
        status: Parsed<OpeningStatus>,
    ) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let current = changeable(&mut tx, ctx, id).await?;
        let status = status?;
        if current.status == status {
            // Nothing changes; the dropped unit of work rolls back.
            return Ok(());
        }
        store::set_status(&mut tx, ctx.actor.partnership_id, id, status, self.today()).await?;
        tx.done(Action::OpeningStatus, "opening", Some(id), None)
            .await?;
        Ok(())
    }
}

/// The opening `id` of the caller's partnership, when she may change it.
async fn changeable(c: &mut AnyConnection, ctx: &Ctx, id: i64) -> Result<Opening> {
    let o = store::by_id(c, ctx.actor.partnership_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !ctx.actor.can_change_employer(o.responsible_organisation_id) {
        return Err(AppError::Forbidden);
    }
    Ok(o)
}

/// The responsible partner is a member organisation the caller may act
/// for (a caseworker cannot hand an opening to another partner).
async fn check_responsible(c: &mut AnyConnection, ctx: &Ctx, spec: &OpeningSpec) -> Result<()> {
    let org = spec.responsible_organisation_id;
    if !ctx.actor.can_change_employer(org)
        || !palett_store::org::is_member(c, ctx.actor.partnership_id, org).await?
    {
        return Err(FieldErrors::single("responsible_organisation_id", "error-choice").into());
    }
    Ok(())
}
