//! The palette and individual paths: interventions and course modules,
//! plans, participation periods, enrolments with waiting lists, groups,
//! sessions, attendance, recorded time, the timeline and the reports.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use palett_domain::lifecycle::TransitionKind;
use palett_domain::palette::{
    days_between, net_days, AttendanceStatus, EnrolmentStatus, Intervention, InterventionSpec,
    SessionStatus,
};
use palett_domain::path::{
    Activity, Attendance, Enrol, EnrolmentChange, NewGroup, PlannedEnd, Schedule, SessionCancel,
    SessionMove,
};
use palett_domain::plan::{Plan, PlanDraft};
use palett_domain::values::code;
use palett_domain::{FieldErrors, Parsed};

use palett_store::palette::{self as store, Enrolment, NewActivity, NewEnrolment};
use palett_store::{lock_rows, participant, AnyConnection, LockTable};

pub use palett_store::palette::{
    Enrolment as EnrolmentRow, Group, PeriodChange, PlanVersion, Session,
};

/// An intervention with what hangs off it.
#[derive(Clone, Debug)]
pub struct InterventionView {
    pub intervention: Intervention,
    pub course: Option<Intervention>,
    pub modules: Vec<Intervention>,
    pub groups: Vec<Group>,
    /// Within the caller's scope; the waiting list last, in order.
    pub enrolments: Vec<Enrolment>,
    pub places_taken: i64,
    pub may_manage: bool,
    pub may_run: bool,
}

/// A participant's participation period.
#[derive(Clone, Debug)]
pub struct PeriodView {
    pub intake: Option<Date>,
    pub planned_end: Option<Date>,
    /// Days in the programme net of pauses, up to exit or today.
    pub net_days: i64,
    pub paused_days: i64,
    /// Planned days (intake to planned end) less net days so far.
    pub remaining_days: Option<i64>,
    pub changes: Vec<PeriodChange>,
}

/// A session with its group and the sheet to record.
#[derive(Clone, Debug)]
pub struct AttendanceSheet {
    pub session: Session,
    pub group: Group,
    pub roster: Vec<(i64, String, Option<AttendanceStatus>)>,
    pub may_record: bool,
    /// Those on the sheet whose month of the session is attested: a change
    /// to their marks needs a reason.
    pub attested: Vec<i64>,
}

/// What the participant page shows.
#[derive(Clone, Debug)]
pub struct ParticipantOverview {
    pub view: crate::participants::ParticipantView,
    pub period: PeriodView,
    pub timeline: Vec<TimelineItem>,
    pub enrolments: Vec<Enrolment>,
    pub current_plan: Option<Plan>,
    pub plan_versions: usize,
    pub consents: Vec<(palett_domain::consent::Consent, bool)>,
    pub notes: Vec<palett_store::note::Note>,
    /// What her record's summary says beyond the rest.
    pub summary: RecordSummary,
}

/// The facts of the summary at the top of her record that the rest of the
/// overview does not already hold.
#[derive(Clone, Debug)]
pub struct RecordSummary {
    /// Her next scheduled group session, today or later.
    pub next_session: Option<palett_store::portal::HerSession>,
    /// When her current plan is due for review (a new version):
    /// [`PLAN_REVIEW_DAYS`] after the latest version was written.
    ///
    /// [`PLAN_REVIEW_DAYS`]: palett_domain::worklist::PLAN_REVIEW_DAYS
    pub plan_review_due: Option<Date>,
    /// Her consents in force that expire within
    /// [`CONSENT_EXPIRING_DAYS`], as (kind, expiry), soonest first.
    ///
    /// [`CONSENT_EXPIRING_DAYS`]: palett_domain::worklist::CONSENT_EXPIRING_DAYS
    pub consents_expiring: Vec<(palett_domain::consent::ConsentKind, Date)>,
    /// The day the overview was read.
    pub today: Date,
}

/// One line of a participant's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineItem {
    pub on: Date,
    /// A Fluent id naming the kind of event.
    pub kind: String,
    pub text: String,
    /// A value that changed, as Fluent ids: (before, after).
    pub change: Option<(String, String)>,
}

pub use palett_store::palette::{
    GroupAttendance, InterventionUse, MonthSessions, PartnerMinutes, TimeRow,
};

/// The figures of the palette reports.
#[derive(Clone, Debug, Default)]
pub struct Reports {
    /// Attendance per intervention and group.
    pub attendance: Vec<GroupAttendance>,
    pub sessions_per_month: Vec<MonthSessions>,
    pub minutes_by_partner: Vec<PartnerMinutes>,
    /// Interventions with enrolments.
    pub in_use: Vec<InterventionUse>,
}

/// Her latest plan, if she has one.
async fn latest_plan(c: &mut AnyConnection, participant_id: i64) -> Result<Option<Plan>> {
    store::latest_plan(c, participant_id)
        .await?
        .map(|body| Plan::from_json(&body).ok_or_else(|| AppError::internal("corrupt plan")))
        .transpose()
}

/// Whether she has an enrolment in the intervention that has not ended
/// (waiting, offered, planned or ongoing).
async fn has_open_enrolment(
    c: &mut AnyConnection,
    participant_id: i64,
    intervention_id: i64,
) -> Result<bool> {
    Ok(store::enrolments_of_participant(c, participant_id)
        .await?
        .into_iter()
        .any(|en| {
            en.intervention_id == intervention_id
                && !matches!(
                    en.status,
                    EnrolmentStatus::Completed | EnrolmentStatus::Discontinued
                )
        }))
}

/// The enrolment a plan step stands for: its intervention and dates.
fn step_enrolment(step: &palett_domain::plan::Step) -> Result<Enrol> {
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(|d| {
                d.parse::<Date>()
                    .map_err(|_| AppError::internal("corrupt plan date"))
            })
            .transpose()
    };
    Ok(Enrol {
        start_date: date(&step.planned_start)?,
        end_date: date(&step.planned_end)?,
        ..Enrol::in_intervention(step.intervention_id)
    })
}

/// The field errors of `e`, each named `field` (a part of a bigger form
/// that the form shows in one place); any other error as it is.
fn on_field(e: AppError, field: &str) -> AppError {
    match e {
        AppError::Invalid(f) => AppError::Invalid(FieldErrors(
            f.0.into_iter()
                .map(|x| palett_domain::FieldError::new(field, x.code))
                .collect(),
        )),
        e => e,
    }
}

impl App {
    async fn intervention_in_partnership(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<Intervention> {
        match store::intervention_by_id(c, id).await? {
            Some(i) if i.partnership_id == ctx.actor.partnership_id => Ok(i),
            _ => Err(AppError::NotFound),
        }
    }

    /// Check a caller may read participant `id`; `NotFound` otherwise.
    async fn readable_participant(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<palett_domain::model::Participant> {
        Ok(self.readable_with_relation(c, ctx, id).await?.0)
    }

    /// [`Self::readable_participant`] with the caller's relation to her.
    pub(crate) async fn readable_with_relation(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(
        palett_domain::model::Participant,
        palett_domain::policy::Relation,
    )> {
        let a = &ctx.actor;
        // Emergency access opens the record page only, not these parts.
        match self.participant_with_relation(c, id, a).await? {
            Some((p, rel)) if a.in_scope(rel) => Ok((p, rel)),
            _ => Err(AppError::NotFound),
        }
    }

    /// [`Self::audited_read`], answering whether the caller may also change
    /// her record (as [`Self::changeable`] decides), from the same read.
    pub(crate) async fn audited_read_may_change(
        &self,
        r: &mut Reading<'_>,
        ctx: &Ctx,
        id: i64,
        entity: &'static str,
    ) -> Result<bool> {
        let (p, rel) = self.readable_with_relation(r.conn(), ctx, id).await?;
        r.audit(Action::ParticipantRead, entity, None, Some(id));
        Ok(ctx.actor.can_change_participant(rel) && p.processing_restricted.is_none())
    }

    /// [`Self::readable_participant`] for reading one part of her record
    /// (`entity`), with the read in the audit log.
    pub(crate) async fn audited_read(
        &self,
        r: &mut Reading<'_>,
        ctx: &Ctx,
        id: i64,
        entity: &'static str,
    ) -> Result<palett_domain::model::Participant> {
        let p = self.readable_participant(r.conn(), ctx, id).await?;
        r.audit(Action::ParticipantRead, entity, None, Some(id));
        Ok(p)
    }

    /// One part of her record (`entity`), loaded by `load` in one reading
    /// once she is readable, with the read in the audit log.
    pub(crate) async fn read_part<T>(
        &self,
        ctx: &Ctx,
        id: i64,
        entity: &'static str,
        load: impl AsyncFnOnce(&mut AnyConnection) -> Result<T>,
    ) -> Result<T> {
        let mut r = Reading::begin(self, ctx).await?;
        self.audited_read(&mut r, ctx, id, entity).await?;
        let part = load(r.conn()).await?;
        r.finish().await?;
        Ok(part)
    }

    /// The partnership's palette.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn palette(&self, ctx: &Ctx, include_retired: bool) -> Result<Vec<Intervention>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::interventions(&mut c, ctx.actor.partnership_id, include_retired).await?)
    }

    /// Add an intervention, or a module to the course `course_id`.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_intervention(
        &self,
        ctx: &Ctx,
        spec: Parsed<InterventionSpec>,
        course_id: Option<i64>,
    ) -> Result<i64> {
        if !ctx.actor.can_manage_palette() {
            return Err(AppError::Forbidden);
        }
        let spec = spec?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let pid = ctx.actor.partnership_id;
        let mut e = FieldErrors::new();
        if !palett_store::org::is_member(&mut tx, pid, spec.provider_organisation_id).await? {
            e.push("provider_organisation_id", "error-choice");
        }
        if let Some(p) = spec.project_id {
            if !palett_store::project::list(&mut tx, pid)
                .await?
                .iter()
                .any(|pr| pr.id == p)
            {
                e.push("project_id", "error-choice");
            }
        }
        let course = match course_id {
            Some(cid) => {
                let course = self.intervention_in_partnership(&mut tx, ctx, cid).await?;
                if course.kind != palett_domain::palette::InterventionKind::Course
                    || course.course_id.is_some()
                {
                    return Err(AppError::NotFound);
                }
                let position = store::interventions(&mut tx, pid, true)
                    .await?
                    .iter()
                    .filter(|i| i.course_id == Some(cid))
                    .count() as i64
                    + 1;
                Some((cid, position))
            }
            None => None,
        };
        e.into_result()?;
        let id = store::insert_intervention(&mut tx, pid, &spec, course, now).await?;
        tx.done(Action::InterventionCreate, "intervention", Some(id), None)
            .await?;
        Ok(id)
    }

    /// Retire an intervention from the palette; its history stays.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn retire_intervention(&self, ctx: &Ctx, id: i64) -> Result<()> {
        if !ctx.actor.can_manage_palette() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        self.intervention_in_partnership(&mut tx, ctx, id).await?;
        store::retire_intervention(&mut tx, id, self.today()).await?;
        tx.done(Action::InterventionRetire, "intervention", Some(id), None)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn intervention(&self, ctx: &Ctx, id: i64) -> Result<InterventionView> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::NotFound);
        }
        let mut r = Reading::begin(self, ctx).await?;
        let intervention = self.intervention_in_partnership(r.conn(), ctx, id).await?;
        let course = match intervention.course_id {
            Some(cid) => store::intervention_by_id(r.conn(), cid).await?,
            None => None,
        };
        let modules = store::interventions(r.conn(), ctx.actor.partnership_id, true)
            .await?
            .into_iter()
            .filter(|i| i.course_id == Some(id))
            .collect();
        let groups = store::groups_of_intervention(r.conn(), id).await?;
        let enrolments = store::enrolments_of_intervention(
            r.conn(),
            ctx.actor.participant_scope(self.today()),
            id,
        )
        .await?;
        let places_taken = store::places_taken(r.conn(), id).await?;
        if !enrolments.is_empty() {
            r.audit(Action::ParticipantList, "enrolment", Some(id), None);
        }
        r.finish().await?;
        Ok(InterventionView {
            may_manage: ctx.actor.can_manage_palette(),
            may_run: ctx
                .actor
                .can_run_intervention(intervention.provider_organisation_id),
            intervention,
            course,
            modules,
            groups,
            enrolments,
            places_taken,
        })
    }

    // -------------------------------------------------------------- plans

    /// Every version of a participant's plan, newest first (audited read).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn plan_versions(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<Vec<(PlanVersion, Plan)>> {
        let mut r = Reading::begin(self, ctx).await?;
        self.readable_participant(r.conn(), ctx, participant_id)
            .await?;
        let versions = store::plan_versions(r.conn(), participant_id).await?;
        r.audit(Action::PlanRead, "plan", None, Some(participant_id));
        r.finish().await?;
        versions
            .into_iter()
            .map(|v| {
                let plan =
                    Plan::from_json(&v.body).ok_or_else(|| AppError::internal("corrupt plan"))?;
                Ok((v, plan))
            })
            .collect()
    }

    /// Save a new version of a participant's plan; returns its number.
    pub async fn save_plan(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        draft: &PlanDraft,
    ) -> Result<i64> {
        Ok(self
            .save_plan_with(ctx, participant_id, draft, false)
            .await?
            .0)
    }

    /// Save a new version of her plan and, with `enrol_added`, enrol her
    /// in the intervention of each step added since the latest version
    /// (one not named by a step there) in which she has no open enrolment,
    /// with the step's dates, through the ordinary enrolment (access,
    /// capacity and waiting list, audit), all in one change. A refused
    /// enrolment names its step's row (`step_intervention.N`) and nothing
    /// is saved. Returns the version and the enrolments made.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn save_plan_with(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        draft: &PlanDraft,
        enrol_added: bool,
    ) -> Result<(i64, Vec<(i64, EnrolmentStatus)>)> {
        let mut tx = Change::begin(self, ctx).await?;
        let before = latest_plan(&mut tx, participant_id).await?;
        let version = self
            .save_plan_in(&mut tx, ctx, participant_id, draft)
            .await?;
        let mut enrolled = Vec::new();
        if enrol_added {
            let had: Vec<i64> = before
                .iter()
                .flat_map(|p| p.steps.iter().map(|s| s.intervention_id))
                .collect();
            let mut done: Vec<i64> = Vec::new();
            for (step, row) in draft.plan.steps.iter().zip(&draft.step_rows) {
                let iid = step.intervention_id;
                if had.contains(&iid) || done.contains(&iid) {
                    continue;
                }
                done.push(iid);
                if has_open_enrolment(&mut tx, participant_id, iid).await? {
                    continue;
                }
                let cmd = step_enrolment(step)?;
                let made = self
                    .enrol_in(&mut tx, ctx, participant_id, &cmd)
                    .await
                    .map_err(|e| on_field(e, &format!("step_intervention.{row}")))?;
                enrolled.push(made);
            }
        }
        tx.commit().await?;
        Ok((version, enrolled))
    }

    /// A new version of her plan within `tx`, audited; its number.
    async fn save_plan_in(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
        draft: &PlanDraft,
    ) -> Result<i64> {
        let now = tx.now();
        let a = &ctx.actor;
        let found = self
            .participant_with_relation(tx, participant_id, a)
            .await?;
        let rel = match found {
            Some((p, r)) if a.can_change_participant(r) => {
                crate::ensure_processable(p)?;
                Some(r)
            }
            other => other.map(|(_, r)| r),
        };
        match rel {
            Some(r) if a.can_change_participant(r) => {}
            Some(r) if a.can_read_participant(r) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        let palette = store::interventions(tx, a.partnership_id, true).await?;
        let members = palett_store::org::memberships(tx, a.partnership_id).await?;
        let staff = palett_store::auth::users_of_partnership(tx, a.partnership_id).await?;
        let mut e = FieldErrors::new();
        let plan = &draft.plan;
        for (step, row) in plan.steps.iter().zip(&draft.step_rows) {
            match palette.iter().find(|i| i.id == step.intervention_id) {
                Some(i) if i.retired_on.is_none() => {}
                _ => e.push(format!("step_intervention.{row}"), "error-choice"),
            }
            if !members
                .iter()
                .any(|m| m.organisation_id == step.responsible_organisation_id)
            {
                e.push(format!("step_organisation.{row}"), "error-choice");
            }
            if let Some(u) = step.responsible_user_id {
                if !staff.iter().any(|(s, _)| s.id == u) {
                    e.push(format!("step_user.{row}"), "error-choice");
                }
            }
        }
        e.into_result()?;
        let version = store::insert_plan_version(
            tx,
            participant_id,
            &plan.to_json(),
            a.user_id,
            now,
            self.today(),
        )
        .await?;
        palett_store::matching::set_interests(tx, participant_id, &plan.interests).await?;
        palett_store::matching::set_reach(tx, participant_id, &plan.reach).await?;
        tx.audit(
            Action::PlanChange,
            "plan",
            Some(version),
            Some(participant_id),
        )
        .await?;
        Ok(version)
    }

    /// Enrol her in the intervention a step of her current plan names,
    /// with that step's dates (the first step naming it), through the
    /// ordinary enrolment: access, capacity and waiting list, audit. One
    /// she is already enrolled in is refused (`intervention_id`), so doing
    /// it twice enrols her once.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn enrol_from_plan(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        intervention_id: i64,
    ) -> Result<(i64, EnrolmentStatus)> {
        let mut tx = Change::begin(self, ctx).await?;
        // Access first: her plan is read only for one who may change her.
        self.changeable(&mut tx, ctx, participant_id).await?;
        let plan = latest_plan(&mut tx, participant_id).await?;
        let step = plan
            .iter()
            .flat_map(|p| p.steps.iter())
            .find(|s| s.intervention_id == intervention_id)
            .ok_or_else(|| FieldErrors::single("intervention_id", "error-not-in-plan"))?;
        let cmd = step_enrolment(step)?;
        let made = self.enrol_in(&mut tx, ctx, participant_id, &cmd).await?;
        tx.commit().await?;
        Ok(made)
    }

    // -------------------------------------------------------------- periods

    /// The participation period and time in the programme net of pauses
    /// (an audited read).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn period(&self, ctx: &Ctx, participant_id: i64) -> Result<PeriodView> {
        let mut r = Reading::begin(self, ctx).await?;
        let p = self
            .audited_read(&mut r, ctx, participant_id, "period")
            .await?;
        let view = self.period_in(r.conn(), &p).await?;
        r.finish().await?;
        Ok(view)
    }

    pub(crate) async fn period_in(
        &self,
        c: &mut AnyConnection,
        p: &palett_domain::model::Participant,
    ) -> Result<PeriodView> {
        let participant_id = p.id;
        let events = participant::events(c, participant_id).await?;
        let planned_end = store::planned_end(c, participant_id).await?;
        let changes = store::period_changes(c, participant_id).await?;
        let today = self.today();
        let until = p.state.exit_date.unwrap_or(today);
        let mut pauses: Vec<(Date, Option<Date>)> = Vec::new();
        for e in &events {
            match e.kind {
                TransitionKind::Pause => pauses.push((e.on_date, None)),
                TransitionKind::Resume | TransitionKind::Exit => {
                    if let Some(last) = pauses.last_mut() {
                        if last.1.is_none() {
                            last.1 = Some(e.on_date);
                        }
                    }
                }
                _ => {}
            }
        }
        let (net, paused) = match p.state.intake_date {
            Some(intake) => {
                let net = net_days(intake, until, &pauses);
                (net, (days_between(intake, until).max(0) - net).max(0))
            }
            None => (0, 0),
        };
        let remaining = match (p.state.intake_date, planned_end) {
            (Some(i), Some(end)) => Some(days_between(i, end) - net),
            _ => None,
        };
        Ok(PeriodView {
            intake: p.state.intake_date,
            planned_end,
            net_days: net,
            paused_days: paused,
            remaining_days: remaining,
            changes,
        })
    }

    /// Set or extend the planned end of the participation period. Changing
    /// an end already set needs a reason.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_planned_end(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &PlannedEnd,
    ) -> Result<()> {
        let (end, reason) = (cmd.planned_end, cmd.reason.as_deref().unwrap_or_default());
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let p = self.changeable(&mut tx, ctx, participant_id).await?;
        if let Some(intake) = p.state.intake_date {
            if end <= intake {
                return Err(FieldErrors::single("planned_end", "error-before-intake").into());
            }
        } else {
            return Err(FieldErrors::single("planned_end", "error-not-enrolled").into());
        }
        let current = store::planned_end(&mut tx, participant_id).await?;
        if current.is_some() && reason.is_empty() {
            return Err(FieldErrors::single("reason", code::REQUIRED).into());
        }
        store::set_planned_end(
            &mut tx,
            participant_id,
            end,
            Some(reason).filter(|r| !r.is_empty()),
            ctx.actor.user_id,
            now,
        )
        .await?;
        tx.done(
            Action::PeriodChange,
            "participant",
            Some(participant_id),
            Some(participant_id),
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn changeable(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        id: i64,
    ) -> Result<palett_domain::model::Participant> {
        let a = &ctx.actor;
        match self.participant_with_relation(c, id, a).await? {
            Some((p, rel)) if a.can_change_participant(rel) => crate::ensure_processable(p),
            Some((_, rel)) if a.can_read_participant(rel) => Err(AppError::Forbidden),
            _ => Err(AppError::NotFound),
        }
    }

    // -------------------------------------------------------------- enrolments

    /// One enrolment, if the caller may read its participant (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn enrolment(&self, ctx: &Ctx, id: i64) -> Result<Enrolment> {
        let mut r = Reading::begin(self, ctx).await?;
        let e = store::enrolment_by_id(r.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.readable_participant(r.conn(), ctx, e.participant_id)
            .await?;
        r.audit(
            Action::ParticipantRead,
            "enrolment",
            Some(id),
            Some(e.participant_id),
        );
        r.finish().await?;
        Ok(e)
    }

    /// One enrolment whose status the caller may change (who runs the
    /// intervention, or may change her record): the form is offered only
    /// to them; others who see her are refused, as `change_enrolment`
    /// would refuse them.
    pub async fn enrolment_to_change(&self, ctx: &Ctx, id: i64) -> Result<Enrolment> {
        let e = self.enrolment(ctx, id).await?;
        if ctx.actor.can_run_intervention(e.provider_organisation_id) {
            return Ok(e);
        }
        let mut c = self.db.read().await?;
        self.changeable(&mut c, ctx, e.participant_id).await?;
        Ok(e)
    }

    /// A participant's enrolments (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn enrolments(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<Enrolment>> {
        self.read_part(ctx, participant_id, "enrolments", async |c| {
            Ok(store::enrolments_of_participant(c, participant_id).await?)
        })
        .await
    }

    /// Enrol a participant; beyond capacity she goes on the waiting list.
    pub async fn enrol(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Enrol,
    ) -> Result<(i64, EnrolmentStatus)> {
        self.enrol_with_step(ctx, participant_id, cmd, false).await
    }

    /// Enrol her and, with `add_step`, add the intervention as a step of
    /// her plan (its dates, the provider responsible) in the same change:
    /// a new version of her plan, or her first one. A plan that already
    /// has a step in the intervention is left as it is. A refused step is
    /// an error on `add_to_plan` and nothing is saved.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn enrol_with_step(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Enrol,
        add_step: bool,
    ) -> Result<(i64, EnrolmentStatus)> {
        let mut tx = Change::begin(self, ctx).await?;
        let made = self.enrol_in(&mut tx, ctx, participant_id, cmd).await?;
        if add_step {
            let mut plan = latest_plan(&mut tx, participant_id)
                .await?
                .unwrap_or_default();
            if !plan
                .steps
                .iter()
                .any(|s| s.intervention_id == cmd.intervention_id)
            {
                if plan.steps.len() >= palett_domain::plan::MAX_ROWS {
                    return Err(FieldErrors::single("add_to_plan", "error-too-many-rows").into());
                }
                let intervention = self
                    .intervention_in_partnership(&mut tx, ctx, cmd.intervention_id)
                    .await?;
                plan.steps.push(palett_domain::plan::Step {
                    intervention_id: cmd.intervention_id,
                    planned_start: cmd.start_date.map(|d| d.to_string()),
                    planned_end: cmd.end_date.map(|d| d.to_string()),
                    responsible_organisation_id: intervention.provider_organisation_id,
                    responsible_user_id: None,
                    note: String::new(),
                });
                let draft = PlanDraft {
                    step_rows: (0..plan.steps.len()).collect(),
                    plan,
                };
                self.save_plan_in(&mut tx, ctx, participant_id, &draft)
                    .await
                    .map_err(|e| on_field(e, "add_to_plan"))?;
            }
        }
        tx.commit().await?;
        Ok(made)
    }

    /// Enrol her within `tx` (audited): beyond capacity she goes on the
    /// waiting list.
    async fn enrol_in(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Enrol,
    ) -> Result<(i64, EnrolmentStatus)> {
        self.enrol_recorded_in(tx, ctx, participant_id, cmd, None)
            .await
    }

    /// Enrol her within `tx` (audited). `recorded`: an enrolment as it was
    /// recorded elsewhere (an import), with its status and reason: one that
    /// has ended may be in a retired intervention and never counts as her
    /// open enrolment there, and one that holds a place is refused (on
    /// `status`) when none is free instead of going on the waiting list.
    pub(crate) async fn enrol_recorded_in(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Enrol,
        recorded: Option<(EnrolmentStatus, Option<&str>)>,
    ) -> Result<(i64, EnrolmentStatus)> {
        let ended = recorded.is_some_and(|(s, _)| {
            matches!(
                s,
                EnrolmentStatus::Completed | EnrolmentStatus::Discontinued
            )
        });
        let (iid, gid) = (cmd.intervention_id, cmd.group_id);
        let now = tx.now();
        // Enrolments in one intervention are decided one at a time: the
        // places taken and her open enrolments are read after the lock, so
        // two at once can neither both take the last place nor enrol her
        // twice (see `lock_rows`).
        lock_rows(tx, LockTable::Interventions, &[iid]).await?;
        self.changeable(tx, ctx, participant_id).await?;
        let intervention = match store::intervention_by_id(tx, iid).await? {
            Some(i)
                if i.partnership_id == ctx.actor.partnership_id
                    && (i.retired_on.is_none() || ended) =>
            {
                i
            }
            _ => return Err(FieldErrors::single("intervention_id", "error-choice").into()),
        };
        if let Some(g) = gid {
            match store::group_by_id(tx, g).await? {
                Some(group) if group.intervention_id == iid => {}
                _ => return Err(FieldErrors::single("group_id", "error-choice").into()),
            }
        }
        if !ended && has_open_enrolment(tx, participant_id, iid).await? {
            return Err(
                FieldErrors::single("intervention_id", "error-already-enrolled-here").into(),
            );
        }
        let full = match intervention.capacity {
            Some(cap) => store::places_taken(tx, iid).await? >= cap,
            None => false,
        };
        let status = match recorded {
            None if full => EnrolmentStatus::Waiting,
            None => EnrolmentStatus::Planned,
            Some((s, _)) if full && s.holds_place() => {
                return Err(FieldErrors::single("status", "error-import-full").into())
            }
            Some((s, _)) => s,
        };
        let id = store::insert_enrolment(
            tx,
            &NewEnrolment {
                participant_id,
                intervention_id: iid,
                group_id: gid,
                status,
                start_date: cmd.start_date,
                end_date: cmd.end_date,
            },
            now,
        )
        .await?;
        if let Some((_, Some(reason))) = recorded {
            store::set_enrolment_status(tx, id, status, Some(reason), None, now).await?;
        }
        tx.audit(
            Action::EnrolmentCreate,
            "enrolment",
            Some(id),
            Some(participant_id),
        )
        .await?;
        tx.emit(
            palett_domain::webhook::EventKind::EnrolmentChanged,
            participant_id,
        )
        .await?;
        Ok((id, status))
    }

    /// Move an enrolment on (offered → planned → ongoing → completed, or
    /// discontinued with a reason). A place set free is offered to the
    /// first on the waiting list; returns that enrolment's id if any.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn change_enrolment(
        &self,
        ctx: &Ctx,
        enrolment_id: i64,
        cmd: &EnrolmentChange,
    ) -> Result<Option<i64>> {
        let (to, reason) = (cmd.to, cmd.reason.as_deref().unwrap_or_default());
        let now = self.now();
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let en = store::enrolment_by_id(&mut tx, enrolment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A place freed goes to one waiting participant; the status is read
        // again under the intervention's lock (see `enrol`).
        lock_rows(&mut tx, LockTable::Interventions, &[en.intervention_id]).await?;
        let en = store::enrolment_by_id(&mut tx, enrolment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.readable_participant(&mut tx, ctx, en.participant_id)
            .await?;
        let intervention = self
            .intervention_in_partnership(&mut tx, ctx, en.intervention_id)
            .await?;
        let may = ctx
            .actor
            .can_run_intervention(intervention.provider_organisation_id)
            || self
                .changeable(&mut tx, ctx, en.participant_id)
                .await
                .is_ok();
        if !may {
            return Err(AppError::Forbidden);
        }
        if !en.status.next().contains(&to) {
            return Err(FieldErrors::single("status", "error-transition-not-allowed").into());
        }
        let ends = matches!(
            to,
            EnrolmentStatus::Completed | EnrolmentStatus::Discontinued
        );
        store::set_enrolment_status(
            &mut tx,
            en.id,
            to,
            Some(reason).filter(|r| !r.is_empty()),
            ends.then_some(today),
            now,
        )
        .await?;
        tx.audit(
            Action::EnrolmentChange,
            "enrolment",
            Some(en.id),
            Some(en.participant_id),
        )
        .await?;
        tx.emit(
            palett_domain::webhook::EventKind::EnrolmentChanged,
            en.participant_id,
        )
        .await?;
        let mut offered = None;
        if en.status.holds_place() && !to.holds_place() {
            offered = self.offer_freed_place(&mut tx, en.intervention_id).await?;
        }
        tx.commit().await?;
        Ok(offered)
    }

    /// A place of the intervention was freed: offer it to the first on its
    /// waiting list, if anyone waits (audited). Returns her enrolment.
    async fn offer_freed_place(
        &self,
        w: &mut Change<'_>,
        intervention_id: i64,
    ) -> Result<Option<i64>> {
        let Some(next) = store::first_waiting(w, intervention_id).await? else {
            return Ok(None);
        };
        let now = w.now();
        store::set_enrolment_status(w, next, EnrolmentStatus::Offered, None, None, now).await?;
        let who = store::enrolment_by_id(w, next)
            .await?
            .map(|n| n.participant_id);
        w.audit(Action::EnrolmentChange, "enrolment", Some(next), who)
            .await?;
        Ok(Some(next))
    }

    /// Her exit closes her path: every open enrolment (waiting, offered,
    /// planned, ongoing) is discontinued on the exit date, which takes her
    /// off later sessions' sheets, and each place she held goes to the
    /// first on that intervention's waiting list. A reopening restores
    /// none of them.
    pub(crate) async fn close_path(
        &self,
        w: &mut Change<'_>,
        participant_id: i64,
        on: Date,
    ) -> Result<()> {
        let all = store::enrolments_of_participant(w, participant_id).await?;
        let interventions: Vec<i64> = all.iter().map(|e| e.intervention_id).collect();
        lock_rows(w, LockTable::Interventions, &interventions).await?;
        let open: Vec<Enrolment> = store::enrolments_of_participant(w, participant_id)
            .await?
            .into_iter()
            .filter(|e| !e.status.next().is_empty())
            .collect();
        let now = w.now();
        for e in &open {
            store::end_enrolment(w, e.id, on, now).await?;
            w.audit(
                Action::EnrolmentChange,
                "enrolment",
                Some(e.id),
                Some(participant_id),
            )
            .await?;
        }
        for e in open.iter().filter(|e| e.status.holds_place()) {
            self.offer_freed_place(w, e.intervention_id).await?;
        }
        Ok(())
    }

    // -------------------------------------------------------------- groups and sessions

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_group(
        &self,
        ctx: &Ctx,
        intervention_id: i64,
        cmd: &NewGroup,
    ) -> Result<i64> {
        let mut tx = Change::begin(self, ctx).await?;
        let id = self
            .create_group_in(&mut tx, ctx, intervention_id, cmd)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A new group of an intervention within `tx` (audited): by those who
    /// run the intervention, of a group-based one, its leader one of the
    /// partnership's staff.
    pub(crate) async fn create_group_in(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        intervention_id: i64,
        cmd: &NewGroup,
    ) -> Result<i64> {
        let (name, leader) = (&cmd.name, cmd.leader_user_id);
        let now = tx.now();
        let i = self
            .intervention_in_partnership(tx, ctx, intervention_id)
            .await?;
        if !ctx.actor.can_run_intervention(i.provider_organisation_id) {
            return Err(AppError::Forbidden);
        }
        if !i.group_based {
            return Err(FieldErrors::single("name", "error-not-group-based").into());
        }
        if let Some(u) = leader {
            let staff =
                palett_store::auth::users_of_partnership(tx, ctx.actor.partnership_id).await?;
            if !staff.iter().any(|(s, _)| s.id == u) {
                return Err(FieldErrors::single("leader_user_id", code::CHOICE).into());
            }
        }
        let id = store::insert_group(tx, intervention_id, name, leader, now).await?;
        tx.audit(Action::GroupCreate, "group", Some(id), None)
            .await?;
        Ok(id)
    }

    /// Every group of the partnership (for choosing one when enrolling).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn groups(&self, ctx: &Ctx) -> Result<Vec<palett_store::palette::Group>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::groups_of_partnership(&mut c, ctx.actor.partnership_id).await?)
    }

    /// A session the caller runs, for changing it (no names: not audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn group_session(&self, ctx: &Ctx, session_id: i64) -> Result<Session> {
        let mut c = self.db.read().await?;
        Ok(self.runnable_session(&mut c, ctx, session_id).await?.0)
    }

    /// The group a session belongs to (no names: not audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn session_group(&self, ctx: &Ctx, session_id: i64) -> Result<i64> {
        let mut c = self.db.read().await?;
        let s = store::session_by_id(&mut c, session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        match store::group_by_id(&mut c, s.group_id).await? {
            Some(g) if g.partnership_id == ctx.actor.partnership_id => Ok(g.id),
            _ => Err(AppError::NotFound),
        }
    }

    /// A group with its sessions.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn group(&self, ctx: &Ctx, group_id: i64) -> Result<(Group, Vec<Session>, bool)> {
        let mut c = self.db.read().await?;
        let g = match store::group_by_id(&mut c, group_id).await? {
            Some(g)
                if g.partnership_id == ctx.actor.partnership_id
                    && ctx.actor.can_view_aggregates() =>
            {
                g
            }
            _ => return Err(AppError::NotFound),
        };
        let i = self
            .intervention_in_partnership(&mut c, ctx, g.intervention_id)
            .await?;
        let sessions = store::sessions_of_group(&mut c, group_id).await?;
        Ok((
            g,
            sessions,
            ctx.actor.can_run_intervention(i.provider_organisation_id),
        ))
    }

    async fn runnable_group(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        group_id: i64,
    ) -> Result<Group> {
        let g = match store::group_by_id(c, group_id).await? {
            Some(g) if g.partnership_id == ctx.actor.partnership_id => g,
            _ => return Err(AppError::NotFound),
        };
        let i = self
            .intervention_in_partnership(c, ctx, g.intervention_id)
            .await?;
        if !ctx.actor.can_run_intervention(i.provider_organisation_id) {
            return Err(AppError::Forbidden);
        }
        Ok(g)
    }

    /// Schedule sessions: every week on the weekday of `from` until `until`,
    /// or one session when `until` is empty. Returns how many were made.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn schedule(&self, ctx: &Ctx, group_id: i64, cmd: &Schedule) -> Result<usize> {
        let dates = &cmd.dates;
        let Some(&from) = dates.first() else {
            return Err(FieldErrors::single("from", code::REQUIRED).into());
        };
        let mut tx = Change::begin(self, ctx).await?;
        let group = self.runnable_group(&mut tx, ctx, group_id).await?;
        // Sessions of a project's intervention fall within its period.
        let intervention = self
            .intervention_in_partnership(&mut tx, ctx, group.intervention_id)
            .await?;
        self.within_project_period(&mut tx, &intervention, from, "from")
            .await?;
        if let (true, Some(&last)) = (dates.len() > 1, dates.last()) {
            self.within_project_period(&mut tx, &intervention, last, "until")
                .await?;
        }
        store::insert_sessions_batch(
            &mut tx,
            group_id,
            dates,
            &cmd.start_time,
            cmd.minutes,
            cmd.place.as_deref().unwrap_or(""),
        )
        .await?;
        tx.done(Action::SessionsSchedule, "group", Some(group_id), None)
            .await?;
        Ok(dates.len())
    }

    async fn runnable_session(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        session_id: i64,
    ) -> Result<(Session, Group)> {
        let s = store::session_by_id(c, session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let g = self.runnable_group(c, ctx, s.group_id).await?;
        Ok((s, g))
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn cancel_session(
        &self,
        ctx: &Ctx,
        session_id: i64,
        cmd: &SessionCancel,
    ) -> Result<()> {
        let reason = &cmd.reason;
        let mut tx = Change::begin(self, ctx).await?;
        let (s, _) = self.runnable_session(&mut tx, ctx, session_id).await?;
        if s.status == SessionStatus::Cancelled {
            return Err(FieldErrors::single("reason", "error-already-cancelled").into());
        }
        // Cancelling takes the time of those present away from their
        // month: where it is attested, that is a correction, and the
        // cancellation's reason is its reason.
        let month = palett_domain::indicators::Month::of(s.on_date).to_string();
        let present = palett_store::month_attestation::present_at(&mut tx, session_id).await?;
        let guarded = crate::month_attestation::guard_attested(
            &mut tx,
            &present,
            &month,
            Some(reason),
            "reason",
        )
        .await?;
        store::cancel_session(&mut tx, session_id, reason).await?;
        crate::month_attestation::keep_corrections(&mut tx, &guarded, &month, Some(reason)).await?;
        tx.done(Action::SessionCancel, "session", Some(session_id), None)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn move_session(&self, ctx: &Ctx, session_id: i64, cmd: &SessionMove) -> Result<()> {
        let (to, time) = (cmd.on_date, &cmd.start_time);
        let mut tx = Change::begin(self, ctx).await?;
        let (s, group) = self.runnable_session(&mut tx, ctx, session_id).await?;
        let intervention = self
            .intervention_in_partnership(&mut tx, ctx, group.intervention_id)
            .await?;
        self.within_project_period(&mut tx, &intervention, to, "on_date")
            .await?;
        crate::month_attestation::guard_move(&mut tx, session_id, s.on_date, to).await?;
        store::move_session(&mut tx, session_id, to, time).await?;
        tx.done(Action::SessionMove, "session", Some(session_id), None)
            .await?;
        Ok(())
    }

    /// The attendance sheet of a session: the group's participants on the
    /// day, with what is recorded (an audited read of their names).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn attendance_sheet(&self, ctx: &Ctx, session_id: i64) -> Result<AttendanceSheet> {
        let mut r = Reading::begin(self, ctx).await?;
        let s = store::session_by_id(r.conn(), session_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (group, _, may_record) = {
            let g = match store::group_by_id(r.conn(), s.group_id).await? {
                Some(g) if g.partnership_id == ctx.actor.partnership_id => g,
                _ => return Err(AppError::NotFound),
            };
            let i = self
                .intervention_in_partnership(r.conn(), ctx, g.intervention_id)
                .await?;
            (
                g,
                (),
                ctx.actor.can_run_intervention(i.provider_organisation_id),
            )
        };
        if !may_record {
            return Err(AppError::NotFound);
        }
        let roster = store::roster(r.conn(), &s, ctx.actor.organisation_id, self.today())
            .await?
            .into_iter()
            .filter(|r| r.on_sheet(s.on_date))
            .map(|r| (r.participant_id, r.name, r.status))
            .collect::<Vec<_>>();
        let ids: Vec<i64> = roster.iter().map(|(id, _, _)| *id).collect();
        let month = palett_domain::indicators::Month::of(s.on_date).to_string();
        let attested =
            palett_store::month_attestation::attested_among(r.conn(), &ids, &month).await?;
        r.audit(Action::AttendanceRead, "session", Some(session_id), None);
        r.finish().await?;
        Ok(AttendanceSheet {
            session: s,
            group,
            roster,
            may_record,
            attested,
        })
    }

    /// Record the whole group at once: every participant on the sheet gets
    /// a status, nobody else may be given one. Only the rows on the
    /// caller's sheet are written; a changed row keeps its earlier value as
    /// a correction, audited for each participant it concerns. Attendance
    /// that cannot be true is refused: a session in the future or outside
    /// its project's period, a participant before her intake or after her
    /// exit.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_attendance(
        &self,
        ctx: &Ctx,
        session_id: i64,
        cmd: &Attendance,
    ) -> Result<usize> {
        let now = self.now();
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        // One sheet of a session is saved at a time: what was recorded
        // before (kept as a correction) is read after the lock.
        lock_rows(&mut tx, LockTable::GroupSessions, &[session_id]).await?;
        let (s, g) = self.runnable_session(&mut tx, ctx, session_id).await?;
        if s.status == SessionStatus::Cancelled {
            return Err(FieldErrors::single("session", "error-session-cancelled").into());
        }
        if s.on_date > today {
            return Err(FieldErrors::single("session", "error-attendance-future").into());
        }
        let intervention = self
            .intervention_in_partnership(&mut tx, ctx, g.intervention_id)
            .await?;
        self.within_project_period(&mut tx, &intervention, s.on_date, "session")
            .await?;
        let roster = store::roster(&mut tx, &s, ctx.actor.organisation_id, today).await?;
        let mut e = FieldErrors::new();
        for r in roster.iter().filter(|r| r.on_sheet(s.on_date)) {
            if !cmd.marks.iter().any(|(id, _)| *id == r.participant_id) {
                e.push(format!("attendance.{}", r.participant_id), code::REQUIRED);
            }
        }
        for (id, _) in &cmd.marks {
            let member = roster.iter().find(|r| r.participant_id == *id);
            let problem = match member {
                Some(r) if r.on_sheet(s.on_date) => continue,
                Some(r) if r.intake.is_none_or(|i| i > s.on_date) => {
                    "error-attendance-before-intake"
                }
                Some(r) if r.exit.is_some_and(|x| x < s.on_date) => "error-attendance-after-exit",
                _ => "error-not-in-group",
            };
            e.push(format!("attendance.{id}"), problem);
        }
        let parsed = &cmd.marks;
        e.into_result()?;
        // A mark that changes in a month already attested is a correction
        // of locked time: it needs the reason, kept with the minutes.
        let changing: Vec<i64> = parsed
            .iter()
            .filter(|(id, st)| {
                roster
                    .iter()
                    .any(|r| r.participant_id == *id && r.status != Some(*st))
            })
            .map(|(id, _)| *id)
            .collect();
        let month = palett_domain::indicators::Month::of(s.on_date).to_string();
        let reason = cmd.correction_reason.as_deref();
        let guarded = crate::month_attestation::guard_attested(
            &mut tx,
            &changing,
            &month,
            reason,
            "correction_reason",
        )
        .await?;
        let corrected =
            store::record_attendance(&mut tx, &s, parsed, ctx.actor.user_id, now).await?;
        crate::month_attestation::keep_corrections(&mut tx, &guarded, &month, reason).await?;
        tx.audit(Action::AttendanceRecord, "session", Some(session_id), None)
            .await?;
        if !corrected.is_empty() {
            tx.audit_each(Action::AttendanceCorrect, "attendance", &corrected)
                .await?;
        }
        tx.commit().await?;
        Ok(parsed.len())
    }

    /// Refuse time on `on` charged to the intervention's project outside
    /// the project's period (`field` names what is wrong).
    async fn within_project_period(
        &self,
        c: &mut AnyConnection,
        intervention: &Intervention,
        on: Date,
        field: &str,
    ) -> Result<()> {
        let Some(project) = intervention.project_id else {
            return Ok(());
        };
        match palett_store::project::by_id(c, project).await? {
            Some(p) if on < p.start_date || on > p.end_date => {
                Err(FieldErrors::single(field, "error-outside-project-period").into())
            }
            _ => Ok(()),
        }
    }

    /// Record an individual activity with its hours.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_activity(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Activity,
    ) -> Result<i64> {
        let mut tx = Change::begin(self, ctx).await?;
        let id = self
            .insert_activity(&mut tx, ctx, participant_id, cmd, None)
            .await?;
        tx.done(
            Action::ActivityRecord,
            "activity",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }

    /// An activity's checks and row, in the caller's unit of work: she may
    /// be changed by the caller, the intervention is the partnership's, the
    /// day falls in her time in the programme and the project's period.
    /// `placement_id`: the placement the hours were spent at.
    pub(crate) async fn insert_activity(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
        cmd: &Activity,
        placement_id: Option<i64>,
    ) -> Result<i64> {
        let (iid, on, minutes) = (cmd.intervention_id, cmd.on_date, cmd.minutes);
        let now = tx.now();
        let p = self.changeable(tx, ctx, participant_id).await?;
        let intervention = match store::intervention_by_id(tx, iid).await? {
            Some(i) if i.partnership_id == ctx.actor.partnership_id => i,
            _ => return Err(FieldErrors::single("intervention_id", code::CHOICE).into()),
        };
        if p.state.intake_date.is_none_or(|i| on < i) {
            return Err(FieldErrors::single("on_date", "error-attendance-before-intake").into());
        }
        if p.state.exit_date.is_some_and(|x| on > x) {
            return Err(FieldErrors::single("on_date", "error-attendance-after-exit").into());
        }
        self.within_project_period(tx, &intervention, on, "on_date")
            .await?;
        // Time added to a month already attested is a correction: its note
        // says why.
        let month = palett_domain::indicators::Month::of(on).to_string();
        let reason = cmd.note.as_deref();
        let guarded =
            crate::month_attestation::guard_attested(tx, &[participant_id], &month, reason, "note")
                .await?;
        let id = store::insert_activity(
            tx,
            &NewActivity {
                participant_id,
                intervention_id: iid,
                on,
                minutes,
                note: cmd.note.as_deref(),
                by: ctx.actor.user_id,
                placement_id,
            },
            now,
        )
        .await?;
        crate::month_attestation::keep_corrections(tx, &guarded, &month, reason).await?;
        Ok(id)
    }

    /// A participant's time per intervention and month, with funding
    /// (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn time_rows(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<TimeRow>> {
        self.read_part(ctx, participant_id, "time", async |c| {
            Ok(store::time_of_participant(c, participant_id).await?)
        })
        .await
    }

    /// Everything that happened to a participant, oldest first (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn timeline(&self, ctx: &Ctx, participant_id: i64) -> Result<Vec<TimelineItem>> {
        self.read_part(ctx, participant_id, "timeline", async |c| {
            self.timeline_in(c, participant_id).await
        })
        .await
    }

    pub(crate) async fn timeline_in(
        &self,
        c: &mut AnyConnection,
        participant_id: i64,
    ) -> Result<Vec<TimelineItem>> {
        let mut items = Vec::new();
        for e in participant::events(c, participant_id).await? {
            items.push(TimelineItem {
                on: e.on_date,
                kind: e.kind.message_id(),
                text: e.reason.unwrap_or_default(),
                change: None,
            });
        }
        let tz = crate::clock::stockholm();
        for v in store::plan_versions(c, participant_id).await? {
            items.push(TimelineItem {
                on: v.created_at.to_zoned(tz.clone()).date(),
                kind: "timeline-plan".into(),
                text: format!("v{} · {}", v.version, v.author_name),
                change: None,
            });
        }
        for ch in store::period_changes(c, participant_id).await? {
            items.push(TimelineItem {
                on: ch.created_at.to_zoned(tz.clone()).date(),
                kind: "timeline-period".into(),
                text: format!("{} {}", ch.planned_end, ch.reason.unwrap_or_default()),
                change: None,
            });
        }
        for e in store::enrolments_of_participant(c, participant_id).await? {
            let on = e
                .start_date
                .unwrap_or_else(|| e.requested_at.to_zoned(tz.clone()).date());
            items.push(TimelineItem {
                on,
                kind: e.status.message_id(),
                text: e.intervention_name.clone(),
                change: None,
            });
        }
        for k in store::attendance_corrections(c, participant_id).await? {
            let at = jiff::Timestamp::from_second(k.corrected_at)
                .map(|t| t.to_zoned(tz.clone()).date())
                .unwrap_or(k.session_date);
            items.push(TimelineItem {
                on: at,
                kind: "timeline-attendance-corrected".into(),
                text: format!(
                    "{} {} ({}; {})",
                    k.intervention, k.session_date, k.old_recorded_by, k.corrected_by
                ),
                change: Some((k.old_status.message_id(), k.new_status.message_id())),
            });
        }
        for r in store::time_of_participant(c, participant_id).await? {
            let on = format!("{}-01", r.month)
                .parse::<Date>()
                .unwrap_or(Date::MIN);
            items.push(TimelineItem {
                on,
                kind: "timeline-time".into(),
                text: format!("{}: {} h", r.intervention, hours_text(r.minutes)),
                change: None,
            });
        }
        items.sort_by_key(|i| i.on);
        Ok(items)
    }

    /// Everything the participant page shows, read in one transaction and
    /// audited as one read of her record.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_overview(&self, ctx: &Ctx, id: i64) -> Result<ParticipantOverview> {
        let mut r = Reading::begin(self, ctx).await?;
        let view = self.view_in(r.conn(), ctx, id).await?;
        let period = self.period_in(r.conn(), &view.participant).await?;
        let timeline = self.timeline_in(r.conn(), id).await?;
        let enrolments = store::enrolments_of_participant(r.conn(), id).await?;
        let versions = store::plan_versions(r.conn(), id).await?;
        let current_plan = versions.first().and_then(|v| Plan::from_json(&v.body));
        let consents = self.consents_in(r.conn(), id).await?;
        let notes = palett_store::note::visible(r.conn(), id, ctx.actor.organisation_id).await?;
        let today = self.today();
        let next_session =
            palett_store::portal::her_sessions(r.conn(), id, (&today.to_string(), "9999-12-31"), 1)
                .await?
                .into_iter()
                .next();
        let summary = record_summary(today, next_session, versions.first(), &consents);
        r.audit(
            Action::ParticipantRead,
            crate::participants::read_entity(ctx, &view),
            Some(id),
            Some(id),
        );
        r.finish().await?;
        Ok(ParticipantOverview {
            notes,
            view,
            period,
            timeline,
            enrolments,
            current_plan,
            plan_versions: versions.len(),
            consents,
            summary,
        })
    }

    /// The palette reports (no identities).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn reports(&self, ctx: &Ctx) -> Result<Reports> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let pid = ctx.actor.partnership_id;
        Ok(Reports {
            attendance: store::attendance_by_group(&mut c, pid).await?,
            sessions_per_month: store::sessions_per_month(&mut c, pid).await?,
            minutes_by_partner: store::minutes_by_partner(&mut c, pid).await?,
            in_use: store::interventions_in_use(&mut c, pid).await?,
        })
    }
}

/// The summary's own facts from what the overview read: the plan review
/// falls due [`PLAN_REVIEW_DAYS`] after the latest version, and a consent in
/// force expires soon within [`CONSENT_EXPIRING_DAYS`] of `today`.
///
/// [`PLAN_REVIEW_DAYS`]: palett_domain::worklist::PLAN_REVIEW_DAYS
/// [`CONSENT_EXPIRING_DAYS`]: palett_domain::worklist::CONSENT_EXPIRING_DAYS
fn record_summary(
    today: Date,
    next_session: Option<palett_store::portal::HerSession>,
    latest_plan: Option<&PlanVersion>,
    consents: &[(palett_domain::consent::Consent, bool)],
) -> RecordSummary {
    use jiff::ToSpan;
    use palett_domain::worklist::{CONSENT_EXPIRING_DAYS, PLAN_REVIEW_DAYS};
    let plan_review_due = latest_plan.and_then(|v| {
        v.created_at
            .to_zoned(crate::clock::stockholm())
            .date()
            .checked_add(PLAN_REVIEW_DAYS.days())
            .ok()
    });
    let soon = today
        .checked_add(CONSENT_EXPIRING_DAYS.days())
        .unwrap_or(today);
    let mut consents_expiring: Vec<_> = consents
        .iter()
        .filter(|(_, in_force)| *in_force)
        .filter_map(|(k, _)| k.expires_on.map(|e| (k.kind, e)))
        .filter(|(_, e)| *e <= soon)
        .collect();
    consents_expiring.sort_by_key(|(_, e)| *e);
    RecordSummary {
        next_session,
        plan_review_due,
        consents_expiring,
        today,
    }
}

/// Minutes as hours with one decimal, e.g. "1.5 h" → "1,5".
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// The share present of all recorded, percent with one decimal.
pub fn attendance_rate(present: i64, notice: i64, absent: i64) -> Option<f64> {
    palett_domain::summary::percent(present, present + notice + absent)
}
