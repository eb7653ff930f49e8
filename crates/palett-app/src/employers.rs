//! The employer registry: employers shared by the partnership, their
//! contact people and the log of contacts. Staff who work with
//! participants see the whole registry and log contacts; coordinators, and
//! caseworkers of the organisation that owns the relation, change an
//! employer. Every change is audited; reading the registry is not (it holds
//! business data, no participant's).

use crate::audit::Action;
use crate::paging::Page;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use palett_domain::employer::{
    ContactEntry, ContactEntryInput, ContactPerson, ContactPersonSpec, Employer, EmployerInput,
    EmployerSpec,
};
use palett_domain::{FieldError, FieldErrors, Parsed};
use palett_store::employer as store;
pub use palett_store::employer::EmployerFilter;
use sqlx::AnyConnection;

/// One employer with its contact people and a page of its contact log.
#[derive(Clone, Debug)]
pub struct EmployerView {
    pub employer: Employer,
    pub contacts: Vec<ContactPerson>,
    pub log: Vec<ContactEntry>,
    pub log_total: i64,
    /// Whether the caller may change the employer, its contact people and
    /// its status.
    pub may_change: bool,
}

/// The field error for an organisation number already in the registry,
/// pointing to the employer that has it.
fn duplicate(existing: i64) -> FieldErrors {
    FieldError::new("org_number", "error-employer-duplicate")
        .with_existing(existing)
        .into()
}

/// How many employers a choice list offers.
pub const EMPLOYER_CHOICES: i64 = 1000;

impl App {
    /// One page of the partnership's employers by name, and how many match.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn employers(
        &self,
        ctx: &Ctx,
        filter: &EmployerFilter,
        page: Page,
    ) -> Result<(Vec<Employer>, i64)> {
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

    /// The partnership's active employers by name, for a choice list (at
    /// most [`EMPLOYER_CHOICES`]; an exit form names one).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn employer_choices(&self, ctx: &Ctx) -> Result<Vec<(i64, String)>> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let (rows, _) = store::list(
            &mut c,
            ctx.actor.partnership_id,
            &EmployerFilter::default(),
            EMPLOYER_CHOICES,
            0,
        )
        .await?;
        Ok(rows.into_iter().map(|e| (e.id, e.name)).collect())
    }

    /// The municipalities the partnership's active employers are in, each
    /// once by [`palett_domain::matching::place_key`] (a plan names those
    /// she can reach).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn employer_municipalities(&self, ctx: &Ctx) -> Result<Vec<String>> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let mut names =
            store::municipalities(&mut c, ctx.actor.partnership_id, EMPLOYER_CHOICES).await?;
        names.sort_by_key(|n| palett_domain::matching::place_key(n));
        names.dedup_by_key(|n| palett_domain::matching::place_key(n));
        Ok(names)
    }

    /// An employer of the caller's partnership with its contact people and
    /// one page of its contact log; `NotFound` for any other.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn employer(&self, ctx: &Ctx, id: i64, log_page: Page) -> Result<EmployerView> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let employer = store::by_id(&mut c, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let contacts = store::contacts(&mut c, id).await?;
        let (log, log_total) = store::log(&mut c, id, log_page.limit(), log_page.offset()).await?;
        Ok(EmployerView {
            may_change: ctx
                .actor
                .can_change_employer(employer.owner_organisation_id),
            employer,
            contacts,
            log,
            log_total,
        })
    }

    /// The employer as its edit form shows it.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn employer_input(&self, ctx: &Ctx, id: i64) -> Result<EmployerInput> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(EmployerInput::from_employer(
            &changeable(&mut c, ctx, id).await?,
        ))
    }

    /// Register an employer. Its organisation number may be in the registry
    /// only once; the owner must be a partner organisation.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_employer(&self, ctx: &Ctx, spec: Parsed<EmployerSpec>) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let spec = spec?;
        let mut tx = Change::begin(self, ctx).await?;
        check_employer(&mut tx, ctx, &spec, None).await?;
        let now = tx.now();
        let id = store::insert(&mut tx, ctx.actor.partnership_id, &spec, now).await?;
        tx.done(Action::EmployerCreate, "employer", Some(id), None)
            .await?;
        Ok(id)
    }

    /// Change an employer's details (those who may change it).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn update_employer(
        &self,
        ctx: &Ctx,
        id: i64,
        spec: Parsed<EmployerSpec>,
    ) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let current = changeable(&mut tx, ctx, id).await?;
        let spec = spec?;
        // Whoever may change it now may not give it away to another
        // organisation she then could not change it in.
        if !ctx.actor.can_change_employer(spec.owner_organisation_id) {
            return Err(FieldErrors::single("owner_organisation_id", "error-choice").into());
        }
        check_employer(&mut tx, ctx, &spec, Some(current.id)).await?;
        store::update(&mut tx, ctx.actor.partnership_id, id, &spec).await?;
        tx.done(Action::EmployerUpdate, "employer", Some(id), None)
            .await?;
        Ok(())
    }

    /// Mark an employer inactive from today, or active again.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_employer_active(&self, ctx: &Ctx, id: i64, active: bool) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let current = changeable(&mut tx, ctx, id).await?;
        if current.is_active() == active {
            // Nothing to change, and nothing to record: the unit of work
            // is dropped, which rolls it back.
            return Ok(());
        }
        let since = (!active).then(|| self.today());
        store::set_inactive_since(&mut tx, ctx.actor.partnership_id, id, since).await?;
        tx.done(Action::EmployerStatus, "employer", Some(id), None)
            .await?;
        Ok(())
    }

    /// Add a contact person to an employer.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn add_employer_contact(
        &self,
        ctx: &Ctx,
        employer_id: i64,
        spec: Parsed<ContactPersonSpec>,
    ) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        changeable(&mut tx, ctx, employer_id).await?;
        let spec = spec?;
        let id = store::insert_contact(&mut tx, employer_id, &spec).await?;
        tx.done(
            Action::EmployerContactAdd,
            "employer",
            Some(employer_id),
            None,
        )
        .await?;
        Ok(id)
    }

    /// Remove a contact person (her details go; contacts logged with her
    /// stay, without her name).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn remove_employer_contact(
        &self,
        ctx: &Ctx,
        employer_id: i64,
        contact_id: i64,
    ) -> Result<()> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        changeable(&mut tx, ctx, employer_id).await?;
        if !store::delete_contact(&mut tx, employer_id, contact_id).await? {
            return Err(AppError::NotFound);
        }
        tx.done(
            Action::EmployerContactRemove,
            "employer",
            Some(employer_id),
            None,
        )
        .await?;
        Ok(())
    }

    /// Log a contact with an employer: anyone who works with the registry,
    /// also with an inactive employer (a call to say no is still a contact).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn log_employer_contact(
        &self,
        ctx: &Ctx,
        employer_id: i64,
        input: &ContactEntryInput,
    ) -> Result<i64> {
        if !ctx.actor.can_work_with_employers() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        store::by_id(&mut tx, ctx.actor.partnership_id, employer_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let spec = input.parse(self.today())?;
        if let Some(person) = spec.contact_person_id {
            if !store::contacts(&mut tx, employer_id)
                .await?
                .iter()
                .any(|p| p.id == person)
            {
                return Err(FieldErrors::single("contact_person_id", "error-choice").into());
            }
        }
        let now = tx.now();
        let user = Some(ctx.actor.user_id).filter(|u| *u != 0);
        let id = store::insert_log(&mut tx, employer_id, &spec, user, now).await?;
        tx.done(
            Action::EmployerContactLog,
            "employer",
            Some(employer_id),
            None,
        )
        .await?;
        Ok(id)
    }
}

/// The employer `id` of the caller's partnership, when she may change it:
/// `NotFound` when there is none, `Forbidden` when it is another
/// organisation's relation and she is not a coordinator.
async fn changeable(c: &mut AnyConnection, ctx: &Ctx, id: i64) -> Result<Employer> {
    let e = store::by_id(c, ctx.actor.partnership_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !ctx.actor.can_change_employer(e.owner_organisation_id) {
        return Err(AppError::Forbidden);
    }
    Ok(e)
}

/// What the registry checks beyond the parse: the owner is a partner
/// organisation, and no other employer has the organisation number.
async fn check_employer(
    c: &mut AnyConnection,
    ctx: &Ctx,
    spec: &EmployerSpec,
    this: Option<i64>,
) -> Result<()> {
    let pid = ctx.actor.partnership_id;
    let mut e = FieldErrors::new();
    if let Some(existing) = store::id_by_org_number(c, pid, spec.org_number.as_str())
        .await?
        .filter(|id| Some(*id) != this)
    {
        e.0.extend(duplicate(existing).0);
    }
    if !palett_store::org::is_member(c, pid, spec.owner_organisation_id).await? {
        e.push("owner_organisation_id", "error-choice");
    }
    Ok(e.into_result()?)
}
