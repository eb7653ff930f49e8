//! Reminders: the in-app inbox's messages, the daily e-mail digest and the
//! calendar feed. What may leave palett by e-mail or calendar is decided
//! here: counts and the names of partners and groups, never a participant.

use crate::values::text_enum;
use crate::worklist::WorkItem;

text_enum!(
    /// What an inbox message tells: a referral came to her partner, or the
    /// partner it was sent to took a step (received, answered, started…),
    /// or a participant withdrew a consent in her portal.
    InboxKind, "inbox-kind" {
        ReferralReceived = "referral_received",
        ReferralAnswered = "referral_answered",
        ConsentWithdrawnByHer = "consent_withdrawn_by_her",
        ConsentTalkAsked = "consent_talk_asked",
    }
);

/// What a user's daily digest says: how many of each worklist item wait
/// and how many inbox messages are unread; nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    pub items: Vec<(WorkItem, i64)>,
    pub unread: i64,
}

impl Digest {
    /// Everything that waits, as the digest's subject says it.
    pub fn total(&self) -> i64 {
        self.items.iter().map(|(_, n)| n).sum::<i64>() + self.unread
    }

    /// Whether anything waits: a digest with nothing in it is not sent.
    pub fn worth_sending(&self) -> bool {
        self.total() > 0
    }

    /// The items with something waiting, in the worklist's order.
    pub fn waiting(&self) -> impl Iterator<Item = &(WorkItem, i64)> {
        self.items.iter().filter(|(_, n)| *n > 0)
    }
}

/// The local hour of the day from which the day's digest goes out.
pub const DIGEST_HOUR: i8 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_digest_is_not_sent_and_the_total_counts_the_inbox() {
        let nothing = Digest {
            items: vec![(WorkItem::FollowUpsDue, 0)],
            unread: 0,
        };
        assert!(!nothing.worth_sending());
        let some = Digest {
            items: vec![(WorkItem::FollowUpsDue, 2), (WorkItem::PlansMissing, 0)],
            unread: 3,
        };
        assert_eq!(some.total(), 5);
        assert_eq!(some.waiting().count(), 1);
    }
}
