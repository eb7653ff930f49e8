//! Administration: organisations, memberships, users and their roles.

use crate::audit::Action;
use crate::secret::hash_password_async;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
pub use palett_domain::admin::{MembershipInput, OrganisationInput, UserInput};
use palett_domain::admin::{NewMembership, NewMembershipPeriod, NewOrganisation, NewUser};
use palett_domain::model::{Organisation, RoleGrant, User};
use palett_domain::policy::Role;
use palett_domain::values::parse_new_password;
use palett_domain::{FieldErrors, Parsed};
pub use palett_store::auth::RoleRequest;
use palett_store::{auth, org, StoreError};

impl App {
    /// Add a membership period for an existing organisation (a partner joins,
    /// or joins again: earlier periods stay as history).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn add_membership(&self, ctx: &Ctx, input: Parsed<NewMembership>) -> Result<i64> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let NewMembership {
            organisation_id: org_id,
            period: p,
        } = input?;
        let mut tx = Change::begin(self, ctx).await?;
        if org::organisation_by_id(&mut tx, org_id).await?.is_none() {
            return Err(FieldErrors::single("organisation_id", "error-choice").into());
        }
        let open = org::memberships(&mut tx, ctx.actor.partnership_id)
            .await?
            .into_iter()
            .any(|m| m.organisation_id == org_id && m.left_on.is_none());
        if open {
            return Err(FieldErrors::single("organisation_id", "error-already-member").into());
        }
        let id = add_period(&mut tx, ctx, org_id, &p).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// End an open membership period; the period stays as history.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn end_membership(
        &self,
        ctx: &Ctx,
        membership_id: i64,
        left_on: Parsed<jiff::civil::Date>,
    ) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let left = left_on?;
        let mut tx = Change::begin(self, ctx).await?;
        let m = org::membership_by_id(&mut tx, ctx.actor.partnership_id, membership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if left < m.joined_on {
            return Err(FieldErrors::single("left_on", "error-period").into());
        }
        if !org::end_membership(&mut tx, m.id, left).await? {
            return Err(FieldErrors::single("left_on", "error-membership-ended").into());
        }
        tx.done(Action::MembershipEnd, "membership", Some(m.id), None)
            .await?;
        Ok(())
    }

    /// Deactivate a user of the partnership: she can no longer sign in and
    /// her sessions end. Her history stays.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn deactivate_user(&self, ctx: &Ctx, user_id: i64) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        if user_id == ctx.actor.user_id {
            return Err(FieldErrors::single("user", "error-deactivate-self").into());
        }
        let mut tx = Change::begin(self, ctx).await?;
        let staff = auth::users_of_partnership(&mut tx, ctx.actor.partnership_id).await?;
        if !staff.iter().any(|(u, _)| u.id == user_id) {
            return Err(AppError::NotFound);
        }
        auth::set_active(&mut tx, user_id, false).await?;
        auth::delete_sessions_of(&mut tx, user_id).await?;
        tx.done(Action::UserDeactivate, "user", Some(user_id), None)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn organisations(&self, ctx: &Ctx) -> Result<Vec<Organisation>> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(org::list_organisations(&mut c).await?)
    }

    /// Create an organisation and, when a join date is given, its membership
    /// of the caller's partnership.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_organisation(
        &self,
        ctx: &Ctx,
        input: Parsed<NewOrganisation>,
    ) -> Result<i64> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let NewOrganisation {
            name,
            kind,
            org_number: number,
            joins,
        } = input?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let id = org::insert_organisation(
            &mut tx,
            &name,
            kind,
            number.as_ref().map(|n| n.as_str()),
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                AppError::Invalid(FieldErrors::single("org_number", "error-org-number-taken"))
            }
            other => other.into(),
        })?;
        tx.audit(Action::OrganisationCreate, "organisation", Some(id), None)
            .await?;
        if let Some(p) = joins {
            add_period(&mut tx, ctx, id, &p).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Users with roles in the caller's partnership (administrators), or
    /// the staff list for choosing caseworkers (coordinators, caseworkers).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn staff(&self, ctx: &Ctx) -> Result<Vec<(User, Vec<Role>)>> {
        if !ctx.actor.can_list_staff() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(auth::users_of_partnership(&mut c, ctx.actor.partnership_id).await?)
    }

    /// The active staff who may be assigned as a participant's caseworker
    /// ([`Role::may_be_caseworker`]), for the intake and edit forms.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn caseworker_choices(&self, ctx: &Ctx) -> Result<Vec<User>> {
        Ok(self
            .staff(ctx)
            .await?
            .into_iter()
            .filter(|(u, roles)| u.active && Role::may_be_caseworker(roles))
            .map(|(u, _)| u)
            .collect())
    }

    /// Create a user in an organisation of the partnership, with roles there.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_user(&self, ctx: &Ctx, input: Parsed<NewUser>) -> Result<i64> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        self.insert_user(ctx.actor.partnership_id, &input?, Some(ctx))
            .await
    }

    /// Validate, hash, store the user and her roles, and audit when there is
    /// a caller (the CLI's operator has none).
    async fn insert_user(
        &self,
        partnership_id: i64,
        input: &NewUser,
        audit: Option<&Ctx>,
    ) -> Result<i64> {
        let (email, name, org_id) = (&input.email, &input.display_name, input.organisation_id);
        let now = self.now();
        let hash = hash_password_async(input.password.clone()).await?;
        // The operator's command line acts as palett itself.
        let system = Ctx::system(partnership_id);
        let mut tx = Change::begin(self, audit.unwrap_or(&system)).await?;
        if !org::is_member(&mut tx, partnership_id, org_id).await? {
            return Err(FieldErrors::single("organisation_id", "error-choice").into());
        }
        let id = auth::insert_user(&mut tx, org_id, email.as_str(), name, &hash, now)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    AppError::Invalid(FieldErrors::single("email", "error-email-taken"))
                }
                other => other.into(),
            })?;
        // The password was chosen for her: she chooses her own first.
        auth::set_must_change_password(&mut tx, id, true).await?;
        for &role in &input.roles {
            match audit {
                // An administrator's grant of participant access waits for
                // a second administrator.
                Some(ctx) if role.grant_needs_approval() => {
                    let rid = auth::request_role(
                        &mut tx,
                        partnership_id,
                        id,
                        role,
                        ctx.actor.user_id,
                        now,
                    )
                    .await?;
                    tx.audit(Action::RoleRequest, "role_request", Some(rid), None)
                        .await?;
                }
                _ => {
                    let grant = RoleGrant {
                        user_id: id,
                        partnership_id,
                        role,
                    };
                    auth::grant(&mut tx, &grant).await?;
                }
            }
        }
        tx.done(Action::UserCreate, "user", Some(id), None).await?;
        Ok(id)
    }

    /// Replace a user's roles in the caller's partnership. Removing every
    /// role signs her out of it. Separation of duties: an administrator
    /// cannot give herself a role that reads participant data, and such a
    /// role (or the administrator role) given to someone else waits for a
    /// second administrator's approval ([`App::decide_role_request`]); the
    /// other changes apply at once.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_roles(&self, ctx: &Ctx, user_id: i64, roles: Parsed<Vec<Role>>) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let roles = roles?;
        if user_id == ctx.actor.user_id && !roles.contains(&Role::Administrator) {
            return Err(FieldErrors::single("roles", "error-keep-own-admin").into());
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let staff = auth::users_of_partnership(&mut tx, ctx.actor.partnership_id).await?;
        let Some((_, current)) = staff.iter().find(|(u, _)| u.id == user_id) else {
            return Err(AppError::NotFound);
        };
        let added_access: Vec<Role> = roles
            .iter()
            .copied()
            .filter(|r| r.grant_needs_approval() && !current.contains(r))
            .collect();
        if user_id == ctx.actor.user_id && !added_access.is_empty() {
            return Err(FieldErrors::single("roles", "error-role-self-access").into());
        }
        auth::revoke_all(&mut tx, user_id, ctx.actor.partnership_id).await?;
        for role in roles.iter().filter(|r| !added_access.contains(r)) {
            auth::grant(
                &mut tx,
                &RoleGrant {
                    user_id,
                    partnership_id: ctx.actor.partnership_id,
                    role: *role,
                },
            )
            .await?;
        }
        for role in added_access {
            let rid = auth::request_role(
                &mut tx,
                ctx.actor.partnership_id,
                user_id,
                role,
                ctx.actor.user_id,
                now,
            )
            .await?;
            tx.audit(Action::RoleRequest, "role_request", Some(rid), None)
                .await?;
        }
        if roles.is_empty() {
            auth::delete_sessions_of(&mut tx, user_id).await?;
        }
        tx.done(Action::UserRolesChange, "user", Some(user_id), None)
            .await?;
        Ok(())
    }

    /// Role grants waiting for a second administrator (administrators).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn pending_role_requests(&self, ctx: &Ctx) -> Result<Vec<auth::RoleRequest>> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(auth::pending_role_requests(&mut c, ctx.actor.partnership_id).await?)
    }

    /// Approve (or reject) a pending role request: another administrator
    /// than the one who asked, and not the user it is for.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn decide_role_request(&self, ctx: &Ctx, id: i64, approve: bool) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let request = auth::role_request_by_id(&mut tx, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if request.decided_at.is_some() {
            return Err(FieldErrors::single("request", "error-role-request-decided").into());
        }
        if approve
            && (request.requested_by == ctx.actor.user_id || request.user_id == ctx.actor.user_id)
        {
            return Err(FieldErrors::single("request", "error-role-request-own").into());
        }
        if !auth::decide_role_request(&mut tx, id, ctx.actor.user_id, approve, now).await? {
            return Err(FieldErrors::single("request", "error-role-request-decided").into());
        }
        if approve {
            auth::grant(
                &mut tx,
                &RoleGrant {
                    user_id: request.user_id,
                    partnership_id: ctx.actor.partnership_id,
                    role: request.role,
                },
            )
            .await?;
        }
        tx.done(
            if approve {
                Action::RoleApprove
            } else {
                Action::RoleReject
            },
            "role_request",
            Some(id),
            None,
        )
        .await?;
        Ok(())
    }

    /// Set a new password for a user of the partnership (administrators;
    /// she forgot hers). She must choose her own at her next sign-in, and
    /// her sessions end.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn reset_password(&self, ctx: &Ctx, user_id: i64, password: &str) -> Result<()> {
        if !ctx.actor.can_administer() {
            return Err(AppError::Forbidden);
        }
        let password =
            parse_new_password(password).map_err(|c| FieldErrors::single("password", c))?;
        {
            let mut c = self.db.read().await?;
            let staff = auth::users_of_partnership(&mut c, ctx.actor.partnership_id).await?;
            if !staff.iter().any(|(u, _)| u.id == user_id) {
                return Err(AppError::NotFound);
            }
        }
        let hash = hash_password_async(password).await?;
        let mut tx = Change::begin(self, ctx).await?;
        auth::set_password_hash(&mut tx, user_id, &hash, user_id != ctx.actor.user_id).await?;
        auth::delete_sessions_of(&mut tx, user_id).await?;
        tx.done(Action::PasswordReset, "user", Some(user_id), None)
            .await?;
        Ok(())
    }

    /// Change her own password: the current one asked (a wrong one counts
    /// towards throttling), the new one long, not common and not the same.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn change_password(&self, ctx: &Ctx, current: &str, new: &str) -> Result<()> {
        let mut e = FieldErrors::new();
        let new = e.take("new_password", parse_new_password(new));
        if new.as_deref() == Some(current) {
            e.push("new_password", "error-password-same");
        }
        self.confirm_password(ctx, current).await?;
        e.into_result()?;
        let Some(new) = new else {
            return Err(FieldErrors::single("new_password", "error-invalid").into());
        };
        let hash = hash_password_async(new).await?;
        let mut tx = Change::begin(self, ctx).await?;
        auth::set_password_hash(&mut tx, ctx.actor.user_id, &hash, false).await?;
        tx.done(
            Action::PasswordChange,
            "user",
            Some(ctx.actor.user_id),
            None,
        )
        .await?;
        Ok(())
    }

    /// Create a user from the command line (the operator on the server).
    /// The organisation must be a member of the partnership.
    #[tracing::instrument(skip_all)]
    pub async fn create_user_cli(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        organisation_id: i64,
        partnership_id: i64,
        roles: &[Role],
    ) -> Result<i64> {
        let input = UserInput {
            email: email.into(),
            display_name: display_name.into(),
            password: password.into(),
            organisation_id: organisation_id.to_string(),
            roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
        }
        .parse()?;
        self.insert_user(partnership_id, &input, None).await
    }
}

/// Enter the organisation's membership period in the caller's partnership,
/// with its audit entry; returns the new membership's id.
async fn add_period(
    tx: &mut Change<'_>,
    ctx: &Ctx,
    organisation_id: i64,
    p: &NewMembershipPeriod,
) -> Result<i64> {
    let id = org::insert_membership(
        tx,
        ctx.actor.partnership_id,
        organisation_id,
        p.joined_on,
        p.left_on,
        &p.responsibility_areas,
    )
    .await?;
    tx.audit(Action::MembershipCreate, "membership", Some(id), None)
        .await?;
    Ok(id)
}
