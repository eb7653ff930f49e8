//! The in-app inbox: a message to each user who answers a partner's
//! referrals when one comes, and to the user who sent a referral at each
//! step the other partner takes. Messages name the partner and the
//! referral, never the woman; opening one marks it read and leads to the
//! referral (whose own page checks access and audits the read).

use crate::paging::Page;
use crate::work::bookkeeping;
use crate::{App, AppError, Ctx, Result};
use palett_domain::referral::{Referral, ReferralState};
use palett_domain::reminder::InboxKind;
use palett_store::reminder::{self as store, NewMessage};
use sqlx::AnyConnection;

pub use palett_store::reminder::InboxMessage;

/// Tell the partner `to` that a referral came from `from` (none: from
/// outside the partnership), in the referral's own change.
pub(crate) async fn referral_received(
    c: &mut AnyConnection,
    partnership_id: i64,
    referral_id: i64,
    from: Option<i64>,
    to: i64,
    now: i64,
) -> Result<()> {
    let m = NewMessage {
        partnership_id,
        kind: InboxKind::ReferralReceived,
        referral_id: Some(referral_id),
        participant_id: None,
        other_organisation_id: from,
        state: None,
    };
    store::to_organisation(c, to, &m, now).await?;
    Ok(())
}

/// Tell the user who sent `r` that it moved on to `state`, in the step's
/// own change.
pub(crate) async fn referral_answered(
    c: &mut AnyConnection,
    partnership_id: i64,
    r: &Referral,
    state: ReferralState,
    now: i64,
) -> Result<()> {
    let m = NewMessage {
        partnership_id,
        kind: InboxKind::ReferralAnswered,
        referral_id: Some(r.id),
        participant_id: None,
        other_organisation_id: Some(r.to_organisation_id),
        state: Some(state),
    };
    store::to_sender(c, &m, now).await?;
    Ok(())
}

/// What an opened message leads to: its referral, or the participant it is
/// about (whose page checks access and audits the read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    Referral(i64),
    Participant(i64),
    Nothing,
}

/// Tell her caseworkers (or, with none assigned, her responsible partner)
/// what she did in her portal (`kind`: she withdrew a consent, she asks to
/// talk about a new one), in that act's own change. The message names no
/// one; it leads to her record.
pub(crate) async fn from_her(
    c: &mut AnyConnection,
    kind: InboxKind,
    partnership_id: i64,
    participant_id: i64,
    now: i64,
) -> Result<()> {
    let m = NewMessage {
        partnership_id,
        kind,
        referral_id: None,
        participant_id: Some(participant_id),
        other_organisation_id: None,
        state: None,
    };
    store::to_her_caseworkers(c, participant_id, &m, now).await?;
    Ok(())
}

/// One page of the caller's messages, newest first.
#[derive(Clone, Debug)]
pub struct Inbox {
    pub items: Vec<InboxMessage>,
    pub total: i64,
    pub unread: i64,
}

impl App {
    /// The caller's inbox in her current partnership.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn inbox(&self, ctx: &Ctx, page: Page) -> Result<Inbox> {
        let a = &ctx.actor;
        let mut c = self.db.read().await?;
        let (items, total) = store::page(
            &mut c,
            a.user_id,
            a.partnership_id,
            page.limit(),
            page.offset(),
        )
        .await?;
        let unread = store::unread(&mut c, a.user_id, a.partnership_id).await?;
        Ok(Inbox {
            items,
            total,
            unread,
        })
    }

    /// Open one of her messages: marked read; what it is about. Another's
    /// message is not found.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn open_message(&self, ctx: &Ctx, id: i64) -> Result<About> {
        let mut tx = bookkeeping(self).await?;
        let (referral, participant) = store::open(&mut tx, ctx.actor.user_id, id, self.now())
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(match (referral, participant) {
            (Some(r), _) => About::Referral(r),
            (None, Some(p)) => About::Participant(p),
            (None, None) => About::Nothing,
        })
    }

    /// Mark every message of hers read; how many were unread.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn read_all_messages(&self, ctx: &Ctx) -> Result<u64> {
        let a = &ctx.actor;
        let mut tx = bookkeeping(self).await?;
        let n = store::read_all(&mut tx, a.user_id, a.partnership_id, self.now()).await?;
        tx.commit().await?;
        Ok(n)
    }
}
