//! Referrals between partners, a closed loop. A partner refers a woman to
//! another partner (her sharing consent must cover it, or is recorded in
//! the same step), or the receiving partner records a referral that came
//! from outside the partnership. The receiving partner answers within its
//! agreed answer time (working days, [`palett_domain::workdays`]): it
//! accepts, declines with a reason, sends the referral back or forwards it
//! to a third partner, and later records that she started (the enrolment
//! it led to) or did not. The caseworker who accepts becomes one of her
//! caseworkers. Both sides see every step; every read and change is
//! audited.

use crate::audit::Action;
use crate::paging::Page;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::consent::{ConsentKind, ConsentSpec};
use palett_domain::indicators::Month;
use palett_domain::model::ParticipantProfile;
use palett_domain::policy::Role;
use palett_domain::record::NoteVisibility;
use palett_domain::referral::{
    Referral, ReferralEvent, ReferralOrigin, ReferralReached, ReferralReportRow, ReferralSpec,
    ReferralState, ReferralStepInput, RoutineSpec,
};
use palett_domain::workdays::add_working_days;
use palett_domain::{FieldErrors, Parsed};
use palett_store::referral as store;
pub use palett_store::referral::{ReferralFilter, Routine, Side};
use sqlx::AnyConnection;

/// A referral with its steps, and what the caller may do with it.
#[derive(Clone, Debug)]
pub struct ReferralView {
    pub referral: Referral,
    pub events: Vec<ReferralEvent>,
    /// The caller's partner is the one asked: it takes the next step.
    pub may_answer: bool,
    /// Past its answer time without an answer.
    pub stale: bool,
    /// The receiving partner's contact point for referrals.
    pub to_contact: Option<String>,
    /// Her shared notes the referral carries.
    pub notes: Vec<crate::notes::Note>,
}

/// One page of the caller's partner's referrals.
#[derive(Clone, Debug)]
pub struct ReferralList {
    /// Each with whether it is stale today.
    pub items: Vec<(Referral, bool)>,
    pub total: i64,
}

impl App {
    /// Refer a registered participant: from the caller's partner to
    /// another, or (a source outside the partnership) to the caller's own
    /// partner, which records it. The referral's id.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn refer(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        spec: Parsed<ReferralSpec>,
    ) -> Result<i64> {
        let a = &ctx.actor;
        if !a.can_refer() {
            return Err(AppError::Forbidden);
        }
        let spec = spec?;
        let mut tx = Change::begin(self, ctx).await?;
        let her = self.changeable(&mut tx, ctx, participant_id).await?;
        let id = self
            .refer_in(
                &mut tx,
                ctx,
                participant_id,
                her.responsible_organisation_id,
                &spec,
            )
            .await?;
        tx.done(
            Action::ReferralCreate,
            "referral",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }

    /// Register a woman who is not yet registered, as referred, and refer
    /// her, in one change: (her id, the referral's id). The sharing consent
    /// she gives at registration is the one the referral relies on.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn register_and_refer(
        &self,
        ctx: &Ctx,
        profile: Parsed<ParticipantProfile>,
        spec: Parsed<ReferralSpec>,
    ) -> Result<(i64, i64)> {
        let a = &ctx.actor;
        if !a.can_register_participants() || !a.can_refer() {
            return Err(AppError::Forbidden);
        }
        let (profile, spec) = match (profile, spec) {
            (Ok(p), Ok(s)) => (p, s),
            (p, s) => {
                let mut e = FieldErrors::new();
                for errors in [p.err(), s.err()].into_iter().flatten() {
                    e.0.extend(errors.0);
                }
                return Err(e.into());
            }
        };
        let (mut tx, pid) = self.register_in(ctx, &profile).await?;
        let id = self
            .refer_in(
                &mut tx,
                ctx,
                pid,
                profile.responsible_organisation_id,
                &spec,
            )
            .await?;
        tx.audit(
            Action::ParticipantCreate,
            "participant",
            Some(pid),
            Some(pid),
        )
        .await?;
        tx.done(Action::ReferralCreate, "referral", Some(id), Some(pid))
            .await?;
        Ok((pid, id))
    }

    /// Record a referral of her (responsible: `responsible`) within a
    /// change: who sends it, the receiving partner a member, the
    /// intervention one it provides, the sharing consent it relies on
    /// (recorded now when she gives it with the referral), the answer day.
    async fn refer_in(
        &self,
        tx: &mut Change<'_>,
        ctx: &Ctx,
        participant_id: i64,
        responsible: i64,
        spec: &ReferralSpec,
    ) -> Result<i64> {
        let a = &ctx.actor;
        let today = self.today();
        let from = match spec.source {
            ReferralOrigin::Partner if spec.to_organisation_id == a.organisation_id => {
                return Err(field("to_organisation_id", "error-referral-to-own"));
            }
            ReferralOrigin::Partner => Some(a.organisation_id),
            _ if spec.to_organisation_id != a.organisation_id => {
                return Err(field(
                    "to_organisation_id",
                    "error-referral-external-to-own",
                ));
            }
            _ => None,
        };
        let routine = store::routine_of(tx, a.partnership_id, spec.to_organisation_id, Some(today))
            .await?
            .ok_or_else(|| field("to_organisation_id", "error-choice"))?;
        if let Some(iv) = spec.intervention_id {
            let fits = palett_store::palette::intervention_by_id(tx, iv)
                .await?
                .is_some_and(|i| {
                    i.partnership_id == a.partnership_id
                        && i.provider_organisation_id == spec.to_organisation_id
                });
            if !fits {
                return Err(field("intervention_id", "error-referral-intervention"));
            }
        }
        if !spec.note_ids.is_empty() {
            let hers = palett_store::note::visible(tx, participant_id, a.organisation_id).await?;
            let shared = |id: &i64| {
                hers.iter()
                    .any(|n| n.id == *id && n.visibility == NoteVisibility::Shared.as_str())
            };
            if !spec.note_ids.iter().all(shared) {
                return Err(field("note_ids", "error-referral-note-not-shared"));
            }
        }
        let now = tx.now();
        // The sharing consent it relies on: none needed within the partner
        // responsible for her, or for a referral the receiver records.
        let consent_id = if from.is_none() || spec.to_organisation_id == responsible {
            None
        } else if let Some(given) = &spec.consent {
            let consent = ConsentSpec {
                kind: ConsentKind::Sharing,
                method: given.method,
                witness: None,
                given_on: given.given_on,
                expires_on: None,
                note: None,
                organisation_ids: vec![spec.to_organisation_id],
            };
            let id =
                palett_store::consent::insert(tx, participant_id, &consent, a.user_id, now).await?;
            tx.audit(
                Action::ConsentGive,
                ConsentKind::Sharing.as_str(),
                Some(id),
                Some(participant_id),
            )
            .await?;
            Some(id)
        } else {
            Some(
                store::covering_consent(tx, participant_id, spec.to_organisation_id, today)
                    .await?
                    .ok_or_else(|| {
                        field("to_organisation_id", "error-referral-no-sharing-consent")
                    })?,
            )
        };
        let id = store::insert(
            tx,
            a.partnership_id,
            &store::NewReferral {
                participant_id,
                source: spec.source,
                from_organisation_id: from,
                to_organisation_id: spec.to_organisation_id,
                purpose: spec.purpose,
                intervention_id: spec.intervention_id,
                reason: &spec.reason,
                asked: &spec.asked,
                consent_id,
                sent_on: spec.sent_on,
                due_on: due(spec.sent_on, &routine),
                forwarded_from: None,
            },
            a.user_id,
            now,
        )
        .await?;
        store::attach_notes(tx, id, &spec.note_ids).await?;
        // The receiving partner hears of it in its inbox (one recorded by
        // the receiver itself needs no telling).
        if from.is_some() {
            crate::inbox::referral_received(
                tx,
                a.partnership_id,
                id,
                from,
                spec.to_organisation_id,
                now,
            )
            .await?;
        }
        tx.emit(palett_domain::webhook::EventKind::ReferralChanged, id)
            .await?;
        Ok(id)
    }

    /// A referral with its steps, for staff of either partner (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn referral(&self, ctx: &Ctx, id: i64) -> Result<ReferralView> {
        let today = self.today();
        let mut r = Reading::begin(self, ctx).await?;
        let referral = seen(r.conn(), ctx, id).await?;
        let events = store::events(r.conn(), id).await?;
        let to_contact = store::routine_of(
            r.conn(),
            ctx.actor.partnership_id,
            referral.to_organisation_id,
            None,
        )
        .await?
        .and_then(|routine| routine.contact);
        let notes = store::attached_notes(r.conn(), id).await?;
        r.audit(
            Action::ReferralRead,
            "referral",
            Some(id),
            Some(referral.participant_id),
        );
        r.finish().await?;
        Ok(ReferralView {
            may_answer: ctx.actor.can_answer_referral(referral.to_organisation_id),
            stale: referral.stale(today),
            referral,
            events,
            to_contact,
            notes,
        })
    }

    /// One page of the referrals to or from the caller's partner (a list
    /// of the women named, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn referrals(
        &self,
        ctx: &Ctx,
        filter: &ReferralFilter,
        page: Page,
    ) -> Result<ReferralList> {
        let a = &ctx.actor;
        if !a.can_see_referrals() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let mut r = Reading::begin(self, ctx).await?;
        let (items, total) = store::list(
            r.conn(),
            a.partnership_id,
            a.organisation_id,
            filter,
            page.limit(),
            page.offset(),
        )
        .await?;
        r.audit_each(
            Action::ReferralList,
            "referral",
            items.iter().map(|x| x.participant_id).collect(),
        );
        r.finish().await?;
        Ok(ReferralList {
            items: items
                .into_iter()
                .map(|x| {
                    let stale = x.stale(today);
                    (x, stale)
                })
                .collect(),
            total,
        })
    }

    /// Her referrals that the caller's partner sent or received (a read of
    /// her record, audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn participant_referrals(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<HerReferrals> {
        let today = self.today();
        let a = ctx.actor.clone();
        self.read_part(ctx, participant_id, "referrals", async |c| {
            let items = store::of_participant(c, participant_id)
                .await?
                .into_iter()
                .filter(|x| a.can_see_referral(x.from_organisation_id, x.to_organisation_id))
                .map(|x| {
                    let stale = x.stale(today);
                    (x, stale)
                })
                .collect();
            // The rule `refer` applies: she may refer whom she may change.
            let may_refer = a.can_refer()
                && self
                    .participant_with_relation(c, participant_id, &a)
                    .await?
                    .is_some_and(|(_, rel)| a.can_change_participant(rel));
            Ok(HerReferrals { items, may_refer })
        })
        .await
    }

    /// Take the next step of a referral, as the partner it is to. A
    /// forward makes a new referral to the third partner (her sharing
    /// consent must cover it); its id is returned.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn referral_step(
        &self,
        ctx: &Ctx,
        id: i64,
        input: &ReferralStepInput,
    ) -> Result<Option<i64>> {
        let a = &ctx.actor;
        let today = self.today();
        let mut tx = Change::begin(self, ctx).await?;
        let r = seen(&mut tx, ctx, id).await?;
        if !a.can_answer_referral(r.to_organisation_id) {
            return Err(AppError::Forbidden);
        }
        let step = input.parse(r.state, r.state_on, today)?;
        let now = tx.now();
        if let Some(enrolment) = step.enrolment_id {
            if !store::enrolment_fits(&mut tx, enrolment, r.participant_id, r.to_organisation_id)
                .await?
            {
                return Err(field("enrolment_id", "error-referral-enrolment"));
            }
        }
        let forwarded = match step.forward_to {
            Some(to) => Some(self.forward(&mut tx, ctx, &r, to, step.on).await?),
            None => None,
        };
        store::add_step(
            &mut tx,
            id,
            &store::Step {
                state: step.state,
                on: step.on,
                reason: step.reason,
                note: step.note.as_deref(),
                enrolment_id: step.enrolment_id,
                forwarded_to: forwarded,
            },
            a.user_id,
            now,
        )
        .await?;
        // The caseworker who accepts becomes one of hers, so that she can
        // enrol her and keep her record (her sharing consent covers the
        // partner).
        if step.state == ReferralState::Accepted && a.has(Role::Caseworker) {
            store::assign_caseworker(&mut tx, r.participant_id, a.user_id, now).await?;
        }
        // The one who sent it hears of every step in her inbox.
        if r.from_organisation_id.is_some() {
            crate::inbox::referral_answered(&mut tx, a.partnership_id, &r, step.state, now).await?;
        }
        if let Some(new) = forwarded {
            tx.audit(
                Action::ReferralCreate,
                "referral",
                Some(new),
                Some(r.participant_id),
            )
            .await?;
        }
        tx.emit(palett_domain::webhook::EventKind::ReferralChanged, id)
            .await?;
        if let Some(new) = forwarded {
            tx.emit(palett_domain::webhook::EventKind::ReferralChanged, new)
                .await?;
        }
        tx.done(
            Action::ReferralStep,
            "referral",
            Some(id),
            Some(r.participant_id),
        )
        .await?;
        Ok(forwarded)
    }

    /// The new referral a forward makes, from the partner forwarding.
    async fn forward(
        &self,
        c: &mut AnyConnection,
        ctx: &Ctx,
        r: &Referral,
        to: i64,
        on: Date,
    ) -> Result<i64> {
        let a = &ctx.actor;
        if to == r.to_organisation_id {
            return Err(field("to_organisation_id", "error-referral-to-own"));
        }
        let routine = store::routine_of(c, a.partnership_id, to, Some(self.today()))
            .await?
            .ok_or_else(|| field("to_organisation_id", "error-choice"))?;
        let responsible = store::responsible_organisation(c, r.participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let consent_id = if to == responsible {
            None
        } else {
            Some(
                store::covering_consent(c, r.participant_id, to, self.today())
                    .await?
                    .ok_or_else(|| {
                        field("to_organisation_id", "error-referral-no-sharing-consent")
                    })?,
            )
        };
        let notes: Vec<i64> = store::attached_notes(c, r.id)
            .await?
            .iter()
            .map(|n| n.id)
            .collect();
        let id = store::insert(
            c,
            a.partnership_id,
            &store::NewReferral {
                participant_id: r.participant_id,
                source: ReferralOrigin::Partner,
                from_organisation_id: Some(r.to_organisation_id),
                to_organisation_id: to,
                purpose: r.purpose,
                // The intervention asked for is the first partner's.
                intervention_id: None,
                reason: &r.reason,
                asked: &r.asked,
                consent_id,
                sent_on: on,
                due_on: due(on, &routine),
                forwarded_from: Some(r.id),
            },
            a.user_id,
            self.now(),
        )
        .await?;
        // The notes it carried go on with it.
        store::attach_notes(c, id, &notes).await?;
        crate::inbox::referral_received(
            c,
            a.partnership_id,
            id,
            Some(r.to_organisation_id),
            to,
            self.now(),
        )
        .await?;
        Ok(id)
    }

    /// The referral report for referrals sent within `period`: by
    /// receiving partner (with its name) and month. Figures only, for
    /// whoever may see the partnership's aggregates.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn referral_report(
        &self,
        ctx: &Ctx,
        period: (Date, Date),
    ) -> Result<Vec<(String, ReferralReportRow)>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let facts = store::report_facts(&mut c, ctx.actor.partnership_id, period).await?;
        let names = store::routines(&mut c, ctx.actor.partnership_id).await?;
        Ok(palett_domain::referral::report(&facts)
            .into_iter()
            .map(|row| {
                let name = names
                    .iter()
                    .find(|n| n.organisation_id == row.to_organisation_id)
                    .map(|n| n.organisation_name.clone())
                    .unwrap_or_default();
                (name, row)
            })
            .collect())
    }

    /// Every partner's referral routine (the default where none is agreed).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn referral_routines(&self, ctx: &Ctx) -> Result<Vec<Routine>> {
        if !ctx.actor.can_list_staff() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::routines(&mut c, ctx.actor.partnership_id).await?)
    }

    /// Agree a partner's referral routine; referrals already sent keep the
    /// answer time they were sent with.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn set_referral_routine(
        &self,
        ctx: &Ctx,
        organisation_id: i64,
        spec: Parsed<RoutineSpec>,
    ) -> Result<()> {
        let a = &ctx.actor;
        let mut tx = Change::begin(self, ctx).await?;
        store::routine_of(&mut tx, a.partnership_id, organisation_id, None)
            .await?
            .ok_or(AppError::NotFound)?;
        if !a.can_set_referral_routine(organisation_id) {
            return Err(AppError::Forbidden);
        }
        let spec = spec?;
        let now = tx.now();
        store::set_routine(
            &mut tx,
            a.partnership_id,
            organisation_id,
            (spec.answer_days, spec.contact.as_deref()),
            a.user_id,
            now,
        )
        .await?;
        tx.done(
            Action::ReferralRoutine,
            "organisation",
            Some(organisation_id),
            None,
        )
        .await
    }
}

/// The first day whose answers are news to the referrer.
pub fn news_since(today: Date) -> Date {
    today
        .checked_sub(palett_domain::worklist::NEWS_DAYS.days())
        .unwrap_or(today)
}

/// The filter the referral list's words ask for: `side` `incoming` (the
/// default) or `outgoing`; `state` a state, `waiting` (not yet answered),
/// `stale` (waiting past the answer time), `news` (answered in the last
/// two weeks) or anything else for all.
pub fn filter_of(side: Option<&str>, state: Option<&str>, today: Date) -> ReferralFilter {
    let side = match side {
        Some("outgoing") => Side::Outgoing,
        _ => Side::Incoming,
    };
    let state = state.unwrap_or_default();
    ReferralFilter {
        side,
        state: ReferralState::parse(state),
        stale_on: (state == "stale").then_some(today),
        waiting: state == "waiting",
        answered_since: (state == "news").then(|| news_since(today)),
        partner: None,
        sent_within: None,
        reached: None,
    }
}

/// Her referrals that the caller's partner sent or received (latest
/// first, each with whether it waits past its answer time), and whether
/// the caller may refer her.
#[derive(Clone, Debug)]
pub struct HerReferrals {
    pub items: Vec<(Referral, bool)>,
    pub may_refer: bool,
}

/// The referral list's words for the referrals behind a figure of the
/// report: those sent to `to` in `month` that came as far as `reached` (all
/// sent when none), as the caller's partner `own` sees them: its incoming
/// ones when `to` is `own`, else those it sent to `to`. A partner sees no
/// referral between two others, so its list may hold fewer than the
/// partnership's figure.
pub fn report_words(
    own: i64,
    to: i64,
    month: Month,
    reached: Option<ReferralReached>,
) -> Vec<(&'static str, String)> {
    let mut words = if to == own {
        vec![("side", "incoming".to_string())]
    } else {
        vec![
            ("side", "outgoing".to_string()),
            ("partner", to.to_string()),
        ]
    };
    words.push(("month", month.to_string()));
    if let Some(r) = reached {
        words.push(("reached", r.as_str().to_string()));
    }
    words
}

/// Narrow `f` to those sent in `month` (`YYYY-MM`) that came as far as
/// `reached`, the words of [`report_words`]; the field of a word that
/// does not parse.
pub fn narrow_to_report(
    f: &mut ReferralFilter,
    month: Option<&str>,
    reached: Option<&str>,
) -> std::result::Result<(), &'static str> {
    if let Some(m) = month.map(str::trim).filter(|m| !m.is_empty()) {
        let m = Month::parse(m).ok_or("month")?;
        f.sent_within = Some((m.first_day(), m.last_day()));
    }
    if let Some(r) = reached.map(str::trim).filter(|r| !r.is_empty()) {
        f.reached = Some(ReferralReached::parse(r).ok_or("reached")?);
    }
    Ok(())
}

fn field(name: &str, code: &'static str) -> AppError {
    FieldErrors::single(name, code).into()
}

/// The last day of the answer time of a referral sent on `sent_on`.
fn due(sent_on: Date, routine: &Routine) -> Date {
    add_working_days(sent_on, u32::try_from(routine.answer_days).unwrap_or(0))
}

/// The referral `id` of the caller's partnership when the caller may see
/// it; `NotFound` otherwise, as if there were none.
async fn seen(c: &mut AnyConnection, ctx: &Ctx, id: i64) -> Result<Referral> {
    if !ctx.actor.can_see_referrals() {
        return Err(AppError::Forbidden);
    }
    store::by_id(c, ctx.actor.partnership_id, id)
        .await?
        .filter(|r| {
            ctx.actor
                .can_see_referral(r.from_organisation_id, r.to_organisation_id)
        })
        .ok_or(AppError::NotFound)
}
