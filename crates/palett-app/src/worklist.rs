//! The user's day ([`palett_domain::worklist`]): for each item she may
//! have, how many wait. Every count is taken with the conditions of the
//! list the item links to, within her access, so a count is what she finds
//! there; the whole worklist costs at most four statements whatever the
//! data (the referral items are counted together, and so are those of the
//! participant list; the log review is one more for those who review it).

use crate::{App, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::worklist::{
    WorkItem, CONSENT_EXPIRING_DAYS, ENDING_WITHIN_DAYS, LOG_REVIEW_DAYS,
};
use palett_store::participant::Filter;
use palett_store::referral::ReferralFilter;

/// The days in which a planned period ends soon: today and the next
/// [`ENDING_WITHIN_DAYS`].
pub fn ending_soon(today: Date) -> (Date, Date) {
    (
        today,
        today
            .checked_add(ENDING_WITHIN_DAYS.days())
            .unwrap_or(today),
    )
}

/// The days in which a consent expires soon: today and the next
/// [`CONSENT_EXPIRING_DAYS`].
pub fn consent_expiring(today: Date) -> (Date, Date) {
    (
        today,
        today
            .checked_add(CONSENT_EXPIRING_DAYS.days())
            .unwrap_or(today),
    )
}

/// The filter of the participant list a worklist item links to.
pub fn participant_filter(item: WorkItem, today: Date) -> Option<Filter> {
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
        _ => None,
    }
}

/// The filter of the referral list a worklist item links to: its list's
/// own words read as the list reads them.
pub fn referral_filter(item: WorkItem, today: Date) -> Option<ReferralFilter> {
    item.referral_query()
        .map(|(side, state)| crate::referrals::filter_of(Some(side), Some(state), today))
}

impl App {
    /// The caller's worklist: each item she may have, with how many wait.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn worklist(&self, ctx: &Ctx) -> Result<Vec<(WorkItem, i64)>> {
        let a = &ctx.actor;
        let today = self.today();
        let scope = a.participant_scope(today);
        let mut c = self.db.read().await?;
        let mut out = Vec::new();
        if a.can_see_referral(Some(a.organisation_id), a.organisation_id) {
            let items: Vec<(WorkItem, ReferralFilter)> = WorkItem::ALL
                .iter()
                .filter_map(|i| referral_filter(*i, today).map(|f| (*i, f)))
                .collect();
            let filters: Vec<ReferralFilter> = items.iter().map(|(_, f)| f.clone()).collect();
            let counts = palett_store::referral::counts(
                &mut c,
                a.partnership_id,
                a.organisation_id,
                &filters,
            )
            .await?;
            out.extend(items.iter().map(|(i, _)| *i).zip(counts));
        }
        if a.sees_participants() {
            let until = today
                .checked_add(crate::followups::DUE_AHEAD_DAYS.days())
                .unwrap_or(today);
            out.push((
                WorkItem::FollowUpsDue,
                palett_store::followup::due_count(&mut c, scope, until).await?,
            ));
            let items: Vec<(WorkItem, Filter)> = WorkItem::ALL
                .iter()
                .filter_map(|i| participant_filter(*i, today).map(|f| (*i, f)))
                .collect();
            let filters: Vec<Filter> = items.iter().map(|(_, f)| f.clone()).collect();
            let counts = palett_store::participant::counts(&mut c, scope, &filters).await?;
            out.extend(items.iter().map(|(i, _)| *i).zip(counts));
        }
        if a.can_view_audit_log() {
            let latest =
                palett_store::audit::latest_review_signed(&mut c, a.partnership_id).await?;
            let due = latest.is_none_or(|at| at < self.now() - LOG_REVIEW_DAYS * 86_400);
            out.push((WorkItem::LogReviewDue, i64::from(due)));
        }
        Ok(out)
    }
}
