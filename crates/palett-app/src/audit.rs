//! Writing and reading the audit log. [`record`] is the one function that
//! writes audit rows; use cases call it inside their transaction.

use crate::{AppError, Ctx, Result};
use palett_store::audit::{self, Entry, Filter, NewEntry};
use palett_store::AnyConnection;

/// What happened; stored as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ParticipantRead,
    ParticipantList,
    ParticipantCreate,
    ParticipantUpdate,
    ParticipantTransition,
    AuditRead,
    UserCreate,
    UserRolesChange,
    UserDeactivate,
    OrganisationCreate,
    MembershipCreate,
    MembershipEnd,
    ProjectCreate,
    TokenCreate,
    TokenRevoke,
    InterventionCreate,
    InterventionRetire,
    PlanRead,
    PlanChange,
    PeriodChange,
    EnrolmentCreate,
    EnrolmentChange,
    GroupCreate,
    SessionsSchedule,
    SessionCancel,
    SessionMove,
    AttendanceRead,
    AttendanceRecord,
    ActivityRecord,
    ConsentGive,
    ConsentWithdraw,
    SubjectAccessExport,
    DuplicateIdentity,
    EmergencyAccess,
    SignIn,
    SignOut,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ParticipantRead => "participant.read",
            Action::ParticipantList => "participant.list",
            Action::ParticipantCreate => "participant.create",
            Action::ParticipantUpdate => "participant.update",
            Action::ParticipantTransition => "participant.transition",
            Action::AuditRead => "audit.read",
            Action::UserCreate => "user.create",
            Action::UserRolesChange => "user.roles",
            Action::UserDeactivate => "user.deactivate",
            Action::OrganisationCreate => "organisation.create",
            Action::MembershipCreate => "membership.create",
            Action::MembershipEnd => "membership.end",
            Action::ProjectCreate => "project.create",
            Action::TokenCreate => "token.create",
            Action::TokenRevoke => "token.revoke",
            Action::InterventionCreate => "intervention.create",
            Action::InterventionRetire => "intervention.retire",
            Action::PlanRead => "plan.read",
            Action::PlanChange => "plan.change",
            Action::PeriodChange => "period.change",
            Action::EnrolmentCreate => "enrolment.create",
            Action::EnrolmentChange => "enrolment.change",
            Action::GroupCreate => "group.create",
            Action::SessionsSchedule => "session.schedule",
            Action::SessionCancel => "session.cancel",
            Action::SessionMove => "session.move",
            Action::AttendanceRead => "attendance.read",
            Action::AttendanceRecord => "attendance.record",
            Action::ActivityRecord => "activity.record",
            Action::ConsentGive => "consent.give",
            Action::ConsentWithdraw => "consent.withdraw",
            Action::SubjectAccessExport => "participant.export",
            Action::DuplicateIdentity => "participant.duplicate_identity",
            Action::EmergencyAccess => "participant.emergency_access",
            Action::SignIn => "session.create",
            Action::SignOut => "session.delete",
        }
    }
}

/// Append one audit row for `ctx` in the caller's transaction.
pub async fn record(
    c: &mut AnyConnection,
    ctx: &Ctx,
    now: i64,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    participant_id: Option<i64>,
) -> Result<()> {
    let roles = ctx
        .actor
        .roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    audit::append(
        c,
        &NewEntry {
            at: now,
            user_id: Some(ctx.actor.user_id),
            organisation_id: Some(ctx.actor.organisation_id),
            roles: &roles,
            partnership_id: Some(ctx.actor.partnership_id),
            action: action.as_str(),
            entity,
            entity_id,
            participant_id,
            ip: &ctx.ip,
        },
    )
    .await
    .map_err(|e| AppError::Internal(format!("audit write failed: {e}")))
}

/// A page of the partnership's audit log, for coordinators and administrators.
pub async fn list(
    app: &crate::App,
    ctx: &Ctx,
    filter: &Filter,
    page: crate::participants::Page,
) -> Result<(Vec<Entry>, i64)> {
    if !ctx.actor.can_view_audit_log() {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.db.write().await?;
    let out = audit::list(
        &mut tx,
        ctx.actor.partnership_id,
        filter,
        page.limit(),
        page.offset(),
    )
    .await?;
    record(
        &mut tx,
        ctx,
        app.now(),
        Action::AuditRead,
        "audit_log",
        None,
        filter.participant_id,
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}
