//! The user's day ([`palett_domain::worklist`]): for each item she may
//! have, how many wait. Every count is taken with the conditions of the
//! list the item links to, within her access, so a count is what she finds
//! there. The counts are taken together in one statement (a
//! [`Tally`](palett_store::tally::Tally)) whatever the data; a coordinator
//! with referrals waiting past another partner's answer time costs one
//! more (those referrals by partner), and her projects' goals come from
//! the overview (three more, none on the start page, which has it).

use crate::projects::Overview;
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::policy::Role;
use palett_domain::worklist::{
    WorkItem, CONSENT_EXPIRING_DAYS, ENDING_WITHIN_DAYS, PLAN_REVIEW_DAYS, SESSIONS_BACK_DAYS,
};
pub use palett_store::palette::{LedFilter, LedSession};
use palett_store::participant::Filter;
use palett_store::referral::ReferralFilter;
use palett_store::tally::Tally;

/// One line of the worklist: how many of an item wait, and for a line of
/// one partner (referrals waiting past its answer time), which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkLine {
    pub item: WorkItem,
    pub count: i64,
    pub partner: Option<(i64, String)>,
}

impl WorkLine {
    fn of(item: WorkItem, count: i64) -> Self {
        WorkLine {
            item,
            count,
            partner: None,
        }
    }

    /// Where the items are: the item's list, narrowed to the partner.
    pub fn link(&self) -> String {
        match &self.partner {
            Some((id, _)) => format!("{}&partner={id}", self.item.link()),
            None => self.item.link(),
        }
    }
}

/// The moment before which a plan's latest version makes a review due.
fn plan_review_before(now: i64) -> i64 {
    now - PLAN_REVIEW_DAYS * 86_400
}

/// The days whose sessions wait for their attendance: the last
/// [`SESSIONS_BACK_DAYS`] up to tomorrow.
pub fn sessions_to_record(today: Date) -> LedFilter {
    LedFilter {
        from: today
            .checked_sub(SESSIONS_BACK_DAYS.days())
            .unwrap_or(today),
        to: today.tomorrow().unwrap_or(today),
        unrecorded: true,
    }
}

/// The days in which a planned period ends soon: today and the next
/// [`ENDING_WITHIN_DAYS`].
fn ending_soon(today: Date) -> (Date, Date) {
    (
        today,
        today
            .checked_add(ENDING_WITHIN_DAYS.days())
            .unwrap_or(today),
    )
}

/// The days in which a consent expires soon: today and the next
/// [`CONSENT_EXPIRING_DAYS`].
fn consent_expiring(today: Date) -> (Date, Date) {
    (
        today,
        today
            .checked_add(CONSENT_EXPIRING_DAYS.days())
            .unwrap_or(today),
    )
}

/// The filter of the participant list a worklist item links to, for a
/// user of `organisation_id` at the moment `now` of the day `today`.
pub fn participant_filter(
    item: WorkItem,
    today: Date,
    now: i64,
    organisation_id: i64,
) -> Option<Filter> {
    match item {
        WorkItem::PeriodsEnding => Some(Filter {
            planned_end_within: Some(ending_soon(today)),
            ..Filter::default()
        }),
        WorkItem::ConsentsExpiring => Some(Filter {
            consent_expiring_within: Some(consent_expiring(today)),
            ..Filter::default()
        }),
        WorkItem::PlansMissing => Some(Filter {
            without_plan: true,
            ..Filter::default()
        }),
        WorkItem::PlacementsToReview => Some(Filter {
            placement_review_due_on: Some(today),
            ..Filter::default()
        }),
        WorkItem::PlanReviewsDue => Some(Filter {
            plan_written_before: Some(plan_review_before(now)),
            ..Filter::default()
        }),
        WorkItem::WaitingForPlace => Some(Filter {
            waiting_at: Some(organisation_id),
            ..Filter::default()
        }),
        _ => None,
    }
}

/// The filter of the referral list a worklist item links to: its list's
/// own words read as the list reads them.
pub fn referral_filter(item: WorkItem, today: Date) -> Option<ReferralFilter> {
    item.referral_query()
        .map(|(side, state)| crate::referrals::filter_of(Some(side), Some(state), today))
}

/// Items only a coordinator has: the partnership's waiting lists and goals.
fn coordinators_only(item: WorkItem) -> bool {
    matches!(item, WorkItem::WaitingForPlace | WorkItem::GoalsBehind)
}

impl App {
    /// The caller's worklist: each item she may have, with how many wait.
    pub async fn worklist(&self, ctx: &Ctx) -> Result<Vec<WorkLine>> {
        self.worklist_with(ctx, None).await
    }

    /// The worklist, given the overview of her partnership when the caller
    /// already has it (the start page): its projects' goals are read off it.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn worklist_with(
        &self,
        ctx: &Ctx,
        overview: Option<&Overview>,
    ) -> Result<Vec<WorkLine>> {
        let a = &ctx.actor;
        let today = self.today();
        let now = self.now();
        let scope = a.participant_scope(today);
        let coordinator = a.is_member() && a.has(Role::Coordinator);
        let mut tally = Tally::new();
        // Each part with the items it counts, in the order of its numbers.
        let mut parts: Vec<(usize, Vec<WorkItem>)> = Vec::new();
        if a.can_see_referral(Some(a.organisation_id), a.organisation_id) {
            let items: Vec<(WorkItem, ReferralFilter)> = WorkItem::ALL
                .iter()
                .filter_map(|i| referral_filter(*i, today).map(|f| (*i, f)))
                .collect();
            let filters: Vec<ReferralFilter> = items.iter().map(|(_, f)| f.clone()).collect();
            let part =
                palett_store::referral::counts_part(a.partnership_id, a.organisation_id, &filters);
            parts.push((tally.add(part), items.iter().map(|(i, _)| *i).collect()));
        }
        if a.sees_participants() {
            let until = today
                .checked_add(crate::followups::DUE_AHEAD_DAYS.days())
                .unwrap_or(today);
            if let Some(part) = palett_store::followup::due_count_part(scope, until) {
                parts.push((tally.add(part), vec![WorkItem::FollowUpsDue]));
            }
            let items: Vec<(WorkItem, Filter)> = WorkItem::ALL
                .iter()
                .filter(|i| coordinator || !coordinators_only(**i))
                .filter_map(|i| {
                    participant_filter(*i, today, now, a.organisation_id).map(|f| (*i, f))
                })
                .collect();
            let filters: Vec<Filter> = items.iter().map(|(_, f)| f.clone()).collect();
            if let Some(part) = palett_store::participant::counts_part(scope, &filters) {
                parts.push((tally.add(part), items.iter().map(|(i, _)| *i).collect()));
            }
        }
        if a.sees_participants() {
            let part = palett_store::palette::sessions_led_count_part(
                a.user_id,
                &sessions_to_record(today),
            );
            parts.push((tally.add(part), vec![WorkItem::SessionsToRecord]));
        }
        if a.can_attest_time() {
            let (first, last) = crate::attestation::window(today);
            let part = palett_store::attestation::to_attest_part(
                a.partnership_id,
                a.organisation_id,
                (&first, &last),
            );
            parts.push((tally.add(part), vec![WorkItem::MonthsToAttest]));
        }
        let review = a
            .can_view_audit_log()
            .then(|| tally.add(palett_store::audit::latest_review_part(a.partnership_id)));
        let mut c = self.db.read().await?;
        let numbers = tally.run(&mut c).await?;
        let mut out = Vec::new();
        for (index, items) in parts {
            out.extend(
                items
                    .into_iter()
                    .zip(numbers[index].iter())
                    .map(|(i, n)| WorkLine::of(i, *n)),
            );
        }
        if let Some(index) = review {
            let latest = numbers[index][0];
            let due = palett_domain::worklist::log_review_due(Some(latest), now);
            out.push(WorkLine::of(WorkItem::LogReviewDue, i64::from(due)));
        }
        // A coordinator sees the referrals waiting past the answer time of
        // each partner they were sent to.
        let stale_there = out
            .iter()
            .any(|l| l.item == WorkItem::ReferralsOverdueThere && l.count > 0);
        if coordinator && stale_there {
            let by_partner = palett_store::referral::stale_by_partner(
                &mut c,
                a.partnership_id,
                a.organisation_id,
                today,
            )
            .await?;
            let at = out
                .iter()
                .position(|l| l.item == WorkItem::ReferralsOverdueThere)
                .map_or(out.len(), |p| p + 1);
            let lines = by_partner.into_iter().map(|(id, name, n)| WorkLine {
                item: WorkItem::ReferralsOverdueThere,
                count: n,
                partner: Some((id, name)),
            });
            out.splice(at..at, lines);
        }
        if a.sees_participants() {
            let open = crate::questionnaires::open_due(&mut c, scope, today).await?;
            out.push(WorkLine::of(WorkItem::QuestionnairesDue, open.len() as i64));
        }
        drop(c);
        if coordinator && a.can_view_aggregates() {
            let read;
            let o = match overview {
                Some(o) => o,
                None => {
                    read = self.overview(ctx).await?;
                    &read
                }
            };
            out.push(WorkLine::of(WorkItem::GoalsBehind, goals_behind(o, today)));
        }
        Ok(out)
    }
}

impl App {
    /// The sessions of the groups the caller leads that `f` asks for, in
    /// time order (at most 500; no participant in them).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn sessions_led(&self, ctx: &Ctx, f: &LedFilter) -> Result<Vec<LedSession>> {
        if !ctx.actor.can_lead_groups() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(palett_store::palette::sessions_led(&mut c, ctx.actor.user_id, f, 500).await?)
    }
}

/// How many of the partnership's projects running `today` do not meet
/// their goal for work or studies.
pub fn goals_behind(o: &Overview, today: Date) -> i64 {
    o.projects
        .iter()
        .filter(|(p, s)| {
            p.start_date <= today
                && today <= p.end_date
                && s.meets_job_or_studies_target() == Some(false)
        })
        .count() as i64
}
