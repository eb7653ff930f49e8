//! The user's day: what waits for her, each item a count of things she can
//! open and a link to where they are done. Which items a user gets follows
//! from what she may see; the counts are those of the lists linked to.

use crate::values::text_enum;

text_enum!(
    /// One line of a worklist: referrals to her partner waiting for an
    /// answer, or past the answer time; referrals her partner sent that
    /// wait past the other's answer time, or were answered lately;
    /// follow-ups due within two weeks (or overdue); planned periods
    /// ending within 30 days; consents expiring within 30 days; women in
    /// the programme without a plan; women with a placement that ended
    /// without a final review with the employer; for those who review the log, a
    /// review not signed in the last month; sessions of her groups from the
    /// last two weeks up to tomorrow whose attendance is not recorded; women
    /// whose plan has not been reviewed for three months; women waiting for
    /// a place in an intervention her partner provides (as a coordinator); the partnership's
    /// projects whose goal for work or studies is not met; for a coordinator,
    /// ended months of the last year whose recorded time in her partner's
    /// interventions is not attested, or changed since; questionnaires
    /// fallen due (and still open) for the women she sees.
    WorkItem, "work" {
        ReferralsToAnswer = "referrals_to_answer",
        ReferralsOverdueHere = "referrals_overdue_here",
        ReferralsOverdueThere = "referrals_overdue_there",
        ReferralOutcomes = "referral_outcomes",
        FollowUpsDue = "follow_ups_due",
        PeriodsEnding = "periods_ending",
        ConsentsExpiring = "consents_expiring",
        PlansMissing = "plans_missing",
        PlacementsToReview = "placements_to_review",
        LogReviewDue = "log_review_due",
        SessionsToRecord = "sessions_to_record",
        PlanReviewsDue = "plan_reviews_due",
        WaitingForPlace = "waiting_for_place",
        GoalsBehind = "goals_behind",
        MonthsToAttest = "months_to_attest",
        QuestionnairesDue = "questionnaires_due",
    }
);

/// How many days ahead a period counts as ending soon.
pub const ENDING_WITHIN_DAYS: i64 = 30;
/// How many days ahead a consent counts as expiring soon.
pub const CONSENT_EXPIRING_DAYS: i64 = 30;
/// How many days may pass between two signed reviews of the log.
pub const LOG_REVIEW_DAYS: i64 = 31;

/// A review of the log is due at `now` when none was signed (`latest`
/// 0 or `None`) or the latest was signed more than [`LOG_REVIEW_DAYS`] ago
/// (moments in Unix seconds).
pub fn log_review_due(latest: Option<i64>, now: i64) -> bool {
    latest.is_none_or(|at| at == 0 || at < now - LOG_REVIEW_DAYS * 86_400)
}
/// How many days back an answered referral is news to the referrer.
pub const NEWS_DAYS: i64 = 14;
/// How many days may pass before a plan is due for review (a new version).
pub const PLAN_REVIEW_DAYS: i64 = 90;
/// How many days back a session without recorded attendance still waits.
pub const SESSIONS_BACK_DAYS: i64 = 14;

impl WorkItem {
    /// For a referral item, the referral list's `side` and `state` words
    /// that show exactly those counted.
    pub fn referral_query(self) -> Option<(&'static str, &'static str)> {
        match self {
            WorkItem::ReferralsToAnswer => Some(("incoming", "waiting")),
            WorkItem::ReferralsOverdueHere => Some(("incoming", "stale")),
            WorkItem::ReferralsOverdueThere => Some(("outgoing", "stale")),
            WorkItem::ReferralOutcomes => Some(("outgoing", "news")),
            _ => None,
        }
    }

    /// For an item of the participant list, the list's query word (key
    /// and value) that shows exactly those counted.
    pub fn participant_query(self) -> Option<(&'static str, &'static str)> {
        match self {
            WorkItem::PeriodsEnding => Some(("ending", "30")),
            WorkItem::ConsentsExpiring => Some(("consent_expiring", "30")),
            WorkItem::PlansMissing => Some(("plan", "none")),
            WorkItem::PlanReviewsDue => Some(("plan", "review")),
            WorkItem::PlacementsToReview => Some(("placement_review", "due")),
            WorkItem::WaitingForPlace => Some(("waiting", "here")),
            _ => None,
        }
    }

    /// Where the items are: the list that shows exactly those counted.
    pub fn link(self) -> String {
        if let Some((key, value)) = self.participant_query() {
            return format!("/participants?{key}={value}");
        }
        if let Some((side, state)) = self.referral_query() {
            return format!("/referrals?side={side}&state={state}");
        }
        match self {
            WorkItem::FollowUpsDue => "/follow-ups",
            WorkItem::LogReviewDue => "/audit/review",
            WorkItem::SessionsToRecord => "/my-sessions",
            WorkItem::GoalsBehind => "/projects",
            WorkItem::MonthsToAttest => "/time-attestation",
            WorkItem::QuestionnairesDue => "/questionnaires/due",
            _ => "/",
        }
        .to_string()
    }

    /// Whether an overdue item: shown as a warning.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            WorkItem::ReferralsOverdueHere
                | WorkItem::ReferralsOverdueThere
                | WorkItem::GoalsBehind
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_review_is_due_a_month_after_the_last_one_or_without_one() {
        let now = 100 * 86_400;
        assert!(log_review_due(None, now));
        assert!(log_review_due(Some(0), now));
        assert!(!log_review_due(Some(now - LOG_REVIEW_DAYS * 86_400), now));
        assert!(log_review_due(
            Some(now - LOG_REVIEW_DAYS * 86_400 - 1),
            now
        ));
        assert!(!log_review_due(Some(now), now));
    }

    #[test]
    fn every_item_links_to_its_own_list() {
        let mut links: Vec<String> = WorkItem::ALL.iter().map(|w| w.link()).collect();
        links.sort();
        links.dedup();
        assert_eq!(links.len(), WorkItem::ALL.len());
        assert!(links.iter().all(|l| l.starts_with('/')));
    }
}
