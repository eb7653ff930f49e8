//! Participants: register (intake), read, list, change, and move through
//! the lifecycle. Reads of a record and every change are audited in the
//! same transaction.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::consent::{ConsentKind, ConsentSpec};
use palett_domain::lifecycle::{
    ExitDestination, ExitDestinationView, ExitOutcome, LifecycleState, Transition, TransitionKind,
};
use palett_domain::model::{
    Handover, Participant, ParticipantInput, ParticipantProfile, StatusEvent,
};
use palett_domain::policy::{Relation, Standing};
use palett_domain::record::{EmergencyAccess, EmergencyTarget, HandoverTo};
use palett_domain::{FieldErrors, Parsed};
use palett_store::participant::{self as store, Filter, ListItem, NewEvent, NewHandover};
pub use palett_store::participant::{ListPage, Position, COUNT_LIMIT};
use palett_store::{AnyConnection, StoreError};

pub use palett_store::participant::{AssignedCaseworker, EmergencyGrant, ProjectTaken};

pub use crate::paging::Page;

/// Everything the participant page shows.
#[derive(Clone, Debug)]
pub struct ParticipantView {
    pub participant: Participant,
    pub caseworkers: Vec<AssignedCaseworker>,
    pub projects: Vec<ProjectTaken>,
    pub history: Vec<StatusEvent>,
    /// Moves of the responsibility for her, oldest first.
    pub handovers: Vec<Handover>,
    pub relation: Relation,
    pub may_change: bool,
    /// May move the responsibility for her to another organisation.
    pub may_hand_over: bool,
    pub may_reopen: bool,
    pub may_see_restricted: bool,
    /// Where her exit led, when it names an employer, placement or school.
    pub exit_to: Option<ExitDestinationView>,
}

/// An exit's destination checked against the partnership: the employer is
/// one of its register, the placement is hers (and with that employer); a
/// placement alone names its employer.
async fn exit_destination(
    c: &mut AnyConnection,
    ctx: &Ctx,
    id: i64,
    (after_exit_outcome, to): (ExitOutcome, &ExitDestination),
) -> Result<ExitDestination> {
    let mut to = to.clone();
    to.check(after_exit_outcome)?;
    if let Some(e) = to.employer_id {
        if palett_store::employer::by_id(c, ctx.actor.partnership_id, e)
            .await?
            .is_none()
        {
            return Err(FieldErrors::single("employer_id", "error-choice").into());
        }
    }
    if let Some(pl) = to.placement_id {
        match palett_store::placement::by_id(c, ctx.actor.partnership_id, pl).await? {
            Some(h)
                if h.participant_id == id && to.employer_id.is_none_or(|e| e == h.employer_id) =>
            {
                to.employer_id = Some(h.employer_id);
            }
            _ => {
                return Err(FieldErrors::single(
                    "placement_id",
                    palett_domain::lifecycle::lifecycle_code::PLACEMENT_NOT_HERS,
                )
                .into())
            }
        }
    }
    Ok(to)
}

/// Check that the referenced organisation, caseworkers and projects belong
/// to the partnership; field errors otherwise.
/// `check_organisation` is false when an edit keeps the responsible
/// organisation, whose choice is then not in question.
pub(crate) async fn check_references(
    c: &mut AnyConnection,
    ctx: &Ctx,
    p: &ParticipantProfile,
    check_organisation: bool,
    today: jiff::civil::Date,
) -> Result<()> {
    let mut e = FieldErrors::new();
    let pid = ctx.actor.partnership_id;
    if check_organisation {
        let periods = palett_store::org::periods_of(c, pid, p.responsible_organisation_id).await?;
        if periods.is_empty() {
            e.push("responsible_organisation_id", "error-choice");
        } else if Standing::on(&periods, today) != Standing::Member {
            // An organisation that has left (or not yet joined) takes on no one.
            e.push(
                "responsible_organisation_id",
                "error-organisation-not-member",
            );
        } else if !ctx
            .actor
            .can_register_participant(p.responsible_organisation_id)
            && !ctx.actor.can_import()
        {
            e.push("responsible_organisation_id", "error-not-own-organisation");
        }
    }
    if !p.caseworker_ids.is_empty() {
        let staff = palett_store::auth::users_of_partnership(c, pid).await?;
        if p.caseworker_ids.iter().any(|id| {
            !staff.iter().any(|(u, roles)| {
                u.id == *id && u.active && palett_domain::policy::Role::may_be_caseworker(roles)
            })
        }) {
            e.push("caseworker_ids", "error-choice");
        }
    }
    if !p.project_ids.is_empty() {
        let projects = palett_store::project::list(c, pid).await?;
        if p.project_ids
            .iter()
            .any(|id| !projects.iter().any(|pr| pr.id == *id))
        {
            e.push("project_ids", "error-choice");
        }
    }
    e.into_result().map_err(AppError::Invalid)
}

/// Refuse linking her to a project that had ended by `on` (her intake, or
/// her referral while she has none): time in a project that has ended
/// cannot be hers. One taken in before a project began may join it (her
/// figures count from its start); ordinary operations (no project) is
/// always possible.
pub(crate) async fn check_project_periods(
    c: &mut AnyConnection,
    ctx: &Ctx,
    project_ids: &[i64],
    on: jiff::civil::Date,
    field: &str,
) -> Result<()> {
    if project_ids.is_empty() {
        return Ok(());
    }
    let projects = palett_store::project::list(c, ctx.actor.partnership_id).await?;
    for pr in projects.iter().filter(|pr| project_ids.contains(&pr.id)) {
        if on > pr.end_date {
            return Err(FieldErrors::single(field, "error-project-ended").into());
        }
    }
    Ok(())
}

/// How long an emergency access lasts.
pub const EMERGENCY_SECS: i64 = 2 * 3600;

/// The audit entity of a read: marked when only an emergency access allowed it.
pub(crate) fn read_entity(ctx: &Ctx, view: &ParticipantView) -> &'static str {
    if ctx.actor.in_scope(view.relation) {
        "participant"
    } else {
        "emergency"
    }
}

/// The same errors, those on `from` named `to` (a transition's date field
/// where the form calls it otherwise).
fn rename_field(e: FieldErrors, from: &str, to: &str) -> FieldErrors {
    FieldErrors(
        e.0.into_iter()
            .map(|mut f| {
                if f.field == from {
                    f.field = to.to_string();
                }
                f
            })
            .collect(),
    )
}

fn conflict_to_field(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => {
            AppError::Invalid(FieldErrors::single("identity_number", "error-pin-taken"))
        }
        other => other.into(),
    }
}

impl App {
    /// Refuse an identity number the partnership already holds for someone
    /// else. A caller who may see that person is told so; anyone else gets a
    /// message that names no one. Either way the attempt is audited (in its
    /// own committed transaction, naming the existing participant), since it
    /// tells that the number is known here.
    async fn check_identity_number<'a>(
        &self,
        tx: Change<'a>,
        ctx: &Ctx,
        profile: &ParticipantProfile,
        own_id: Option<i64>,
    ) -> Result<Change<'a>> {
        let mut tx = tx;
        let Some(number) = profile.identity_number.as_deref() else {
            return Ok(tx);
        };
        let existing =
            store::id_by_identity_number(&mut tx, self.sealer(), ctx.actor.partnership_id, number)
                .await?;
        let Some(other) = existing.filter(|e| Some(*e) != own_id) else {
            return Ok(tx);
        };
        let visible = matches!(
            self.participant_with_relation(&mut tx, other, &ctx.actor).await?,
            Some((_, rel)) if ctx.actor.can_read_participant(rel)
        );
        tx.done(
            Action::DuplicateIdentity,
            "participant",
            Some(other),
            Some(other),
        )
        .await?;
        let code = if visible {
            "error-pin-taken"
        } else {
            "error-pin-registered-elsewhere"
        };
        Err(FieldErrors::single("identity_number", code).into())
    }

    /// Register a participant (a referral, or an intake when the input has an
    /// intake date). Returns her id.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn register_participant(
        &self,
        ctx: &Ctx,
        profile: Parsed<ParticipantProfile>,
    ) -> Result<i64> {
        if !ctx.actor.can_register_participants() {
            return Err(AppError::Forbidden);
        }
        let profile = profile?;
        let (tx, id) = self.register_in(ctx, &profile).await?;
        tx.done(Action::ParticipantCreate, "participant", Some(id), Some(id))
            .await?;
        Ok(id)
    }

    /// Register her within a change that is left open (audited as far as
    /// her consents go), for the caller to finish: her id.
    pub(crate) async fn register_in<'a>(
        &self,
        ctx: &'a Ctx,
        profile: &ParticipantProfile,
    ) -> Result<(Change<'a>, i64)> {
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        check_references(&mut tx, ctx, profile, true, today).await?;
        check_project_periods(
            &mut tx,
            ctx,
            &profile.project_ids,
            profile.intake_date.unwrap_or(profile.referred_on),
            "project_ids",
        )
        .await?;
        let mut tx = self.check_identity_number(tx, ctx, profile, None).await?;
        let id = self.register_into(&mut tx, ctx, profile).await?;
        Ok((tx, id))
    }

    /// Store her, her history and her consents within `tx` (references and
    /// her identity number checked by the caller): her id.
    pub(crate) async fn register_into(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        profile: &ParticipantProfile,
    ) -> Result<i64> {
        let today = self.today();
        let now = tx.now();
        let referred = LifecycleState::referred(profile.referred_on);
        let intake = match profile.intake_date {
            Some(on) => referred.apply(&Transition::Intake { on }, today)?,
            None => referred.clone(),
        };
        // "Start at once": her start applied after the intake, in this change.
        let state = match profile.start_on {
            Some(on) => intake
                .apply(&Transition::Start { on }, today)
                .map_err(|e| rename_field(e, "date", "start_on"))?,
            None => intake.clone(),
        };
        let id = store::insert(
            tx,
            self.sealer(),
            ctx.actor.partnership_id,
            profile,
            &state,
            now,
        )
        .await
        .map_err(conflict_to_field)?;
        let referral = NewEvent {
            participant_id: id,
            kind: TransitionKind::Referral,
            from_status: None,
            to_status: referred.status,
            on_date: referred.referred_on,
            reason: None,
            exit_outcome: None,
            pause_kind: None,
            actor_user_id: Some(ctx.actor.user_id),
        };
        store::insert_event(tx, &referral, now).await?;
        tx.emit(palett_domain::webhook::EventKind::ParticipantRegistered, id)
            .await?;
        if intake.intake_date.is_some() {
            tx.emit(palett_domain::webhook::EventKind::ParticipantEnrolled, id)
                .await?;
        }
        if let Some(on) = intake.intake_date {
            // Her intake, recorded as her referral was but for the step.
            let event = NewEvent {
                kind: TransitionKind::Intake,
                from_status: Some(referred.status),
                to_status: intake.status,
                on_date: on,
                ..referral.clone()
            };
            store::insert_event(tx, &event, now).await?;
        }
        if let Some(on) = profile.start_on {
            // Her start, a change of status of its own with its audit entry.
            let event = NewEvent {
                kind: TransitionKind::Start,
                from_status: Some(intake.status),
                to_status: state.status,
                on_date: on,
                ..referral
            };
            store::insert_event(tx, &event, now).await?;
            tx.audit(
                Action::ParticipantTransition,
                TransitionKind::Start.as_str(),
                Some(id),
                Some(id),
            )
            .await?;
        }
        if let Some((method, ids)) = &profile.intake_consent {
            let members = palett_store::org::memberships(tx, ctx.actor.partnership_id).await?;
            if ids
                .iter()
                .any(|o| !members.iter().any(|m| m.organisation_id == *o))
            {
                return Err(FieldErrors::single("sharing_organisation_ids", "error-choice").into());
            }
            let base = ConsentSpec {
                kind: ConsentKind::Participation,
                method: *method,
                witness: None,
                given_on: profile.referred_on,
                expires_on: None,
                note: None,
                organisation_ids: Vec::new(),
            };
            let mut specs = vec![base.clone()];
            if !ids.is_empty() {
                specs.push(ConsentSpec {
                    kind: ConsentKind::Sharing,
                    organisation_ids: ids.clone(),
                    ..base
                });
            }
            for spec in specs {
                let cid =
                    palett_store::consent::insert(tx, id, &spec, ctx.actor.user_id, now).await?;
                tx.audit(Action::ConsentGive, spec.kind.as_str(), Some(cid), Some(id))
                    .await?;
            }
        }
        Ok(id)
    }

    /// Load a participant the caller may read, within `c`; `NotFound` when
    /// there is none or she may not see it.
    async fn readable(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(Participant, Relation)> {
        let a = &ctx.actor;
        match self.participant_with_relation(c, id, a).await? {
            Some((p, rel)) if a.can_read_participant(rel) => Ok((p, rel)),
            _ => Err(AppError::NotFound),
        }
    }

    /// Read one participant's record (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant(&self, ctx: &Ctx, id: i64) -> Result<ParticipantView> {
        let mut r = Reading::begin(self, ctx).await?;
        let view = self.view_in(r.conn(), ctx, id).await?;
        r.audit(
            Action::ParticipantRead,
            read_entity(ctx, &view),
            Some(id),
            Some(id),
        );
        r.finish().await?;
        Ok(view)
    }

    /// Restrict processing of a participant's record (with a reason), or
    /// lift the restriction (`None`). Staff who may change her record.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn restrict_processing(
        &self,
        ctx: &Ctx,
        id: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let (_, rel) = self.readable(&mut tx, ctx, id).await?;
        if !ctx.actor.can_change_participant(rel) {
            return Err(AppError::Forbidden);
        }
        store::set_processing_restricted(&mut tx, id, reason, now).await?;
        let entity = if reason.is_some() {
            "restrict"
        } else {
            "lift_restriction"
        };
        tx.done(Action::ProcessingRestriction, entity, Some(id), Some(id))
            .await?;
        Ok(())
    }

    /// Open a record outside the caller's scope in an emergency: by id or by
    /// personal identity number (sent in the body, never in a URL), with a
    /// reason. Coordinators only; the access lasts two hours, is audited as
    /// an emergency and every read during it is marked so.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn break_the_glass(&self, ctx: &Ctx, access: Parsed<EmergencyAccess>) -> Result<i64> {
        if !ctx.actor.can_break_the_glass() {
            return Err(AppError::Forbidden);
        }
        let EmergencyAccess { target, reason } = access?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let id = match target {
            EmergencyTarget::Id(id) => id,
            EmergencyTarget::IdentityNumber(pin) => store::id_by_identity_number(
                &mut tx,
                self.sealer(),
                ctx.actor.partnership_id,
                &pin.twelve_digits(),
            )
            .await?
            .ok_or_else(|| FieldErrors::single("identity_number", "error-no-such-participant"))?,
        };
        match self
            .participant_with_relation(&mut tx, id, &ctx.actor)
            .await?
        {
            Some((_, rel)) if rel.same_partnership => {}
            _ => {
                return Err(
                    FieldErrors::single("participant_id", "error-no-such-participant").into(),
                )
            }
        }
        let grant = store::insert_emergency_access(
            &mut tx,
            ctx.actor.user_id,
            id,
            &reason,
            now,
            now + EMERGENCY_SECS,
        )
        .await?;
        tx.done(Action::EmergencyAccess, "emergency", Some(grant), Some(id))
            .await?;
        Ok(id)
    }

    /// The caller's own emergency accesses that have not expired, newest
    /// first: coordinators only (those who may break the glass).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn active_emergency_accesses(&self, ctx: &Ctx) -> Result<Vec<EmergencyGrant>> {
        if !ctx.actor.can_break_the_glass() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::active_emergency_accesses(&mut c, ctx.actor.user_id, self.now()).await?)
    }

    /// A participant's record and relations, within `c`, after the access
    /// check; the caller audits the read.
    pub(crate) async fn view_in(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<ParticipantView> {
        let (mut participant, relation) = self.readable(c, ctx, id).await?;
        if !ctx.actor.can_see_restricted(relation) {
            participant.restricted = None;
        }
        Ok(ParticipantView {
            caseworkers: store::caseworkers(c, id).await?,
            projects: store::projects(c, id).await?,
            history: store::events(c, id).await?,
            handovers: store::handovers(c, id).await?,
            exit_to: match participant.state.exit_date {
                Some(_) => store::exit_destination(c, id).await?,
                None => None,
            },
            participant,
            relation,
            may_change: ctx.actor.can_change_participant(relation),
            may_hand_over: ctx.actor.can_hand_over(relation),
            may_reopen: ctx.actor.can_reopen_participant(relation),
            may_see_restricted: ctx.actor.can_see_restricted(relation),
        })
    }

    /// A numbered page of the participants the caller may see, and how many
    /// match (see [`App::participants_at`]).
    pub async fn participants(
        &self,
        ctx: &Ctx,
        filter: &Filter,
        page: Page,
    ) -> Result<(Vec<ListItem>, i64)> {
        let p = self
            .participants_at(ctx, filter, page.limit(), Position::Offset(page.offset()))
            .await?;
        Ok((p.items, p.total))
    }

    /// A page of the participants the caller may see, `size` of them from
    /// `at`: a position, or just after or before a participant of the list
    /// (keyset paging). The total is counted up to
    /// [`palett_store::participant::COUNT_LIMIT`]. A cursor the caller may
    /// not see is refused by name (`after` or `before`), as if it did not
    /// exist. The search is audited, without the search text.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participants_at(
        &self,
        ctx: &Ctx,
        filter: &Filter,
        size: i64,
        at: Position,
    ) -> Result<ListPage> {
        // A role that never sees a participant is told so: the list is no
        // secret, only who is on it.
        if !ctx.actor.sees_participants() {
            return Err(AppError::Forbidden);
        }
        let scope = ctx.actor.participant_scope(self.today());
        // A search text is matched, never stored. A personal identity
        // number is matched exactly, through its keyed hash; any other text
        // against names, without what no name holds.
        let mut filter = filter.clone();
        if let Some(text) = filter.name.take() {
            match palett_domain::personnummer::PersonalIdentityNumber::parse(&text, self.today()) {
                Ok(pin) => {
                    filter.identity_hash = Some(
                        self.sealer()
                            .identity_hash(ctx.actor.partnership_id, &pin.twelve_digits()),
                    )
                }
                Err(_) => filter.name = Some(text.chars().filter(|c| !c.is_control()).collect()),
            }
        }
        let filter = &filter;
        let mut r = Reading::begin(self, ctx).await?;
        let size = size.clamp(1, Page::MAX_SIZE);
        let Some(out) = store::list(r.conn(), scope, filter, size, at).await? else {
            let field = match at {
                Position::Before(_) => "before",
                _ => "after",
            };
            return Err(FieldErrors::single(field, "error-cursor").into());
        };
        r.audit(Action::ParticipantList, "participant", None, None);
        r.finish().await?;
        Ok(out)
    }

    /// Change a participant's profile. `version` is the one the caller read.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn update_participant(
        &self,
        ctx: &Ctx,
        id: i64,
        version: Option<i64>,
        profile: &ParticipantProfile,
    ) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let (p, rel) = self.readable(&mut tx, ctx, id).await?;
        let p = crate::ensure_processable(p)?;
        if !ctx.actor.can_change_participant(rel) {
            return Err(AppError::NotFound);
        }
        let mut profile = profile.clone();
        // Moving the responsibility for her is a handover of its own
        // (`App::hand_over`), never an edit of the field.
        if profile.responsible_organisation_id != p.responsible_organisation_id {
            return Err(
                FieldErrors::single("responsible_organisation_id", "error-use-handover").into(),
            );
        }
        if !ctx.actor.can_see_restricted(rel) {
            // She cannot see them, so her form did not carry them: keep them.
            profile.restricted = p.restricted.clone().unwrap_or_default();
            // Nor may she make herself responsible or assigned, which would
            // open the restricted group to her.
            let stored: Vec<i64> = store::caseworkers(&mut tx, id)
                .await?
                .iter()
                .map(|c| c.user_id)
                .collect();
            let mut wanted = profile.caseworker_ids.clone();
            wanted.sort_unstable();
            let mut had = stored.clone();
            had.sort_unstable();
            let mut e = FieldErrors::new();
            if wanted != had {
                e.push("caseworker_ids", "error-needs-responsibility");
            }
            e.into_result()?;
        }
        check_references(&mut tx, ctx, &profile, false, self.today()).await?;
        let linked: Vec<i64> = store::projects(&mut tx, id)
            .await?
            .iter()
            .map(|p| p.project_id)
            .collect();
        let added: Vec<i64> = profile
            .project_ids
            .iter()
            .copied()
            .filter(|p| !linked.contains(p))
            .collect();
        check_project_periods(
            &mut tx,
            ctx,
            &added,
            p.state.intake_date.unwrap_or(profile.referred_on),
            "project_ids",
        )
        .await?;
        let mut tx = self
            .check_identity_number(tx, ctx, &profile, Some(id))
            .await?;
        if profile.referred_on > p.state.intake_date.unwrap_or(profile.referred_on) {
            return Err(FieldErrors::single("referred_on", "error-referral-after-intake").into());
        }
        // Rectification keeps history: the profile as it was.
        palett_store::note::insert_version(
            &mut tx,
            self.sealer(),
            id,
            p.version,
            &crate::notes::profile_json(&p),
            ctx.actor.user_id,
            now,
        )
        .await?;
        store::update_profile(
            &mut tx,
            self.sealer(),
            ctx.actor.partnership_id,
            id,
            version.unwrap_or(p.version),
            &profile,
            now,
        )
        .await
        .map_err(conflict_to_field)?;
        tx.done(Action::ParticipantUpdate, "participant", Some(id), Some(id))
            .await?;
        Ok(())
    }

    /// Move the responsibility for a participant to another member
    /// organisation, with a reason: a coordinator of the organisation now
    /// responsible for her (the giving one). Kept in her history and
    /// audited as a handover. Returns the handover, and whether the caller
    /// still sees her (through a relation and her sharing consent).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn hand_over(
        &self,
        ctx: &Ctx,
        id: i64,
        version: Option<i64>,
        handover: Parsed<HandoverTo>,
    ) -> Result<(Handover, bool)> {
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let (p, rel) = self.readable(&mut tx, ctx, id).await?;
        let p = crate::ensure_processable(p)?;
        if !ctx.actor.can_hand_over(rel) {
            return Err(AppError::Forbidden);
        }
        let HandoverTo {
            organisation_id: to,
            reason,
        } = handover?;
        let periods = palett_store::org::periods_of(&mut tx, ctx.actor.partnership_id, to).await?;
        let code = if periods.is_empty() {
            Some("error-choice")
        } else if to == p.responsible_organisation_id {
            Some("error-handover-same")
        } else if Standing::on(&periods, today) != Standing::Member {
            Some("error-organisation-not-member")
        } else {
            None
        };
        if let Some(code) = code {
            return Err(FieldErrors::single("organisation_id", code).into());
        }
        store::set_responsible(&mut tx, id, version.unwrap_or(p.version), to, now).await?;
        store::insert_handover(
            &mut tx,
            &NewHandover {
                participant_id: id,
                from_organisation_id: p.responsible_organisation_id,
                to_organisation_id: to,
                on_date: today,
                reason: &reason,
                actor_user_id: ctx.actor.user_id,
            },
            now,
        )
        .await?;
        tx.audit(
            Action::ParticipantHandover,
            "participant",
            Some(id),
            Some(id),
        )
        .await?;
        let handover = store::handovers(&mut tx, id)
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("handover not stored"))?;
        let visible = matches!(
            self.participant_with_relation(&mut tx, id, &ctx.actor).await?,
            Some((_, rel)) if ctx.actor.in_scope(rel)
        );
        tx.commit().await?;
        Ok((handover, visible))
    }

    /// The input that would reproduce the stored profile, for an edit form
    /// or a partial JSON update (audited as a read).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_input(&self, ctx: &Ctx, id: i64) -> Result<(ParticipantInput, i64)> {
        self.participant_form(ctx, id).await.map(|(i, v, _)| (i, v))
    }

    /// [`App::participant_input`], and whether the caller sees the
    /// restricted field group (an edit form shows it only then).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_form(
        &self,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(ParticipantInput, i64, bool)> {
        let v = self.participant(ctx, id).await?;
        let cw: Vec<i64> = v.caseworkers.iter().map(|c| c.user_id).collect();
        let pr: Vec<i64> = v.projects.iter().map(|p| p.project_id).collect();
        Ok((
            ParticipantInput::from_participant(&v.participant, &cw, &pr),
            v.participant.version,
            v.may_see_restricted,
        ))
    }

    /// Move a participant through the lifecycle.
    pub async fn transition(&self, ctx: &Ctx, id: i64, t: Transition) -> Result<()> {
        self.transition_to(ctx, id, t, &ExitDestination::default())
            .await
    }

    /// Move a participant through the lifecycle; an exit records where it
    /// led (`to`: the employer and the placement that led there, or the
    /// school; ignored for any other change).
    pub async fn transition_to(
        &self,
        ctx: &Ctx,
        id: i64,
        t: Transition,
        to: &ExitDestination,
    ) -> Result<()> {
        self.transitions_to(ctx, id, &[t], to).await
    }

    /// Take her in and, when `start_on` is given, start her on that day in
    /// the same change ("start at once"): two status changes, each with its
    /// history row and audit entry, or neither. An error of the start names
    /// `start_on`.
    pub async fn intake_and_start(
        &self,
        ctx: &Ctx,
        id: i64,
        intake_on: jiff::civil::Date,
        start_on: Option<jiff::civil::Date>,
    ) -> Result<()> {
        let mut ts = vec![Transition::Intake { on: intake_on }];
        ts.extend(start_on.map(|on| Transition::Start { on }));
        self.transitions_to(ctx, id, &ts, &ExitDestination::default())
            .await
            .map_err(|e| match e {
                AppError::Invalid(f) if start_on.is_some() => {
                    AppError::Invalid(rename_field(f, "date", "start_on"))
                }
                e => e,
            })
    }

    /// Several changes of status, one after the other, in one change: each
    /// checked against the state the one before left, each with its
    /// history row and audit entry.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    async fn transitions_to(
        &self,
        ctx: &Ctx,
        id: i64,
        ts: &[Transition],
        to: &ExitDestination,
    ) -> Result<()> {
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let (p, rel) = self.readable(&mut tx, ctx, id).await?;
        let p = crate::ensure_processable(p)?;
        let mut state = p.lifecycle();
        // Each change of state moves her version on by one.
        for (version, t) in (p.version..).zip(ts) {
            let allowed = match t {
                Transition::Reopen { .. } => ctx.actor.can_reopen_participant(rel),
                _ => ctx.actor.can_change_participant(rel),
            };
            if !allowed {
                return Err(AppError::Forbidden);
            }
            let before = state;
            let after = before.apply(t, today)?;
            if let Transition::Intake { on } = t {
                let linked: Vec<i64> = store::projects(&mut tx, id)
                    .await?
                    .iter()
                    .map(|p| p.project_id)
                    .collect();
                check_project_periods(&mut tx, ctx, &linked, *on, "on").await?;
            }
            store::update_state(&mut tx, id, version, &after, now).await?;
            // An exit schedules her follow-ups; a reopening removes those not done.
            match (t, after.exit_date) {
                (Transition::Exit { outcome, .. }, Some(exit)) => {
                    let to = exit_destination(&mut tx, ctx, id, (*outcome, to)).await?;
                    store::set_exit_destination(&mut tx, id, &to).await?;
                    palett_store::followup::schedule(&mut tx, id, exit).await?;
                    self.close_path(&mut tx, id, exit).await?;
                }
                (Transition::Reopen { .. }, _) => {
                    store::set_exit_destination(&mut tx, id, &ExitDestination::default()).await?;
                    palett_store::followup::cancel_open(&mut tx, id).await?
                }
                _ => {}
            }
            store::insert_event(
                &mut tx,
                &NewEvent {
                    participant_id: id,
                    kind: t.kind(),
                    from_status: Some(before.status),
                    to_status: after.status,
                    on_date: t.on(),
                    reason: t.reason(),
                    exit_outcome: after.exit_outcome,
                    pause_kind: t.pause_kind(),
                    actor_user_id: Some(ctx.actor.user_id),
                },
                now,
            )
            .await?;
            tx.audit(
                Action::ParticipantTransition,
                t.kind().as_str(),
                Some(id),
                Some(id),
            )
            .await?;
            match t {
                Transition::Intake { .. } => {
                    tx.emit(palett_domain::webhook::EventKind::ParticipantEnrolled, id)
                        .await?
                }
                Transition::Exit { .. } => {
                    tx.emit(palett_domain::webhook::EventKind::ParticipantExited, id)
                        .await?
                }
                _ => {}
            }
            state = after;
        }
        tx.commit().await?;
        Ok(())
    }
}
