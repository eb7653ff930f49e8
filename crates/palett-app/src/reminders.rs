//! Reminders outside palett: the daily e-mail digest (how many items of
//! her worklist wait and how many inbox messages are unread, with a link;
//! never a participant's name or identity number) and the calendar feed of
//! the sessions of the groups she leads (a secret address she can revoke;
//! group and intervention names only).

use crate::action::Action;
use crate::mail::Mailer;
use crate::secret::{random_token, sha256_hex};
use crate::work::{bookkeeping, Change};
use crate::worklist::{LedFilter, LedSession};
use crate::{App, Ctx, Result};
use jiff::ToSpan;
use palett_domain::reminder::{Digest, DIGEST_HOUR};
use palett_store::reminder as store;

/// How many days back and ahead the calendar feed holds.
pub const FEED_DAYS_BACK: i64 = 30;
pub const FEED_DAYS_AHEAD: i64 = 180;

impl App {
    /// The caller's reminder choices: whether she wants the daily digest,
    /// and when her calendar feed was made (none: she has none).
    pub async fn reminder_choices(&self, ctx: &Ctx) -> Result<(bool, Option<i64>)> {
        let mut c = self.db.read().await?;
        Ok(store::choices(&mut c, ctx.actor.user_id).await?)
    }

    /// Turn the caller's daily digest on or off (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn set_daily_digest(&self, ctx: &Ctx, on: bool) -> Result<()> {
        let mut tx = Change::begin(self, ctx).await?;
        store::set_daily_digest(&mut tx, ctx.actor.user_id, on).await?;
        tx.done(
            Action::DigestChoice,
            if on { "digest_on" } else { "digest_off" },
            Some(ctx.actor.user_id),
            None,
        )
        .await
    }

    /// What the caller's digest would say now: her worklist's counts (one
    /// line per item) and her unread messages.
    pub async fn digest(&self, ctx: &Ctx) -> Result<Digest> {
        let items = self
            .worklist(ctx)
            .await?
            .into_iter()
            .filter(|l| l.partner.is_none())
            .map(|l| (l.item, l.count))
            .collect();
        let mut c = self.db.read().await?;
        let unread = store::unread(&mut c, ctx.actor.user_id, ctx.actor.partnership_id).await?;
        Ok(Digest { items, unread })
    }

    /// Whether the day's digests are due: from [`DIGEST_HOUR`] in Sweden.
    pub fn digest_hour_reached(&self) -> bool {
        let local = self.clock.now().to_zoned(crate::clock::stockholm());
        local.hour() >= DIGEST_HOUR
    }

    /// Send today's digest to each user who wants one and has had none
    /// today, when something waits for her: each at most once a day
    /// (claimed before it is sent, the claim given back if sending fails,
    /// so the next round tries again). `compose` writes the subject and
    /// body from the counts. How many were sent.
    #[tracing::instrument(skip_all)]
    pub async fn send_digests<M: Mailer>(
        &self,
        mailer: &M,
        compose: impl Fn(&Digest) -> (String, String),
    ) -> Result<usize> {
        let day = self.today().to_string();
        let due = {
            let mut c = self.db.read().await?;
            store::digest_due(&mut c, &day).await?
        };
        let mut sent = 0;
        for user_id in due {
            let who = {
                let mut c = self.db.read().await?;
                self.user_ctx(&mut c, user_id).await?
            };
            let Some((user, ctx)) = who else { continue };
            let digest = self.digest(&ctx).await?;
            if !digest.worth_sending() {
                continue;
            }
            let mut tx = bookkeeping(self).await?;
            let claimed = store::claim_digest(&mut tx, user_id, &day, self.now()).await?;
            tx.commit().await?;
            if !claimed {
                continue;
            }
            let (subject, body) = compose(&digest);
            match mailer.send(&user.email, &subject, &body).await {
                Ok(()) => sent += 1,
                Err(e) => {
                    // The address stays out of the log: the user's id says who.
                    tracing::warn!(user = user_id, error = %e, "the digest was not sent");
                    let mut tx = bookkeeping(self).await?;
                    store::release_digest(&mut tx, user_id, &day).await?;
                    tx.commit().await?;
                }
            }
        }
        Ok(sent)
    }

    // ------------------------------------------------------------ calendar feed

    /// A new secret address for the caller's calendar feed (the old one
    /// stops working); the secret, shown once (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn new_calendar_feed(&self, ctx: &Ctx) -> Result<String> {
        let secret = random_token()?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        store::set_feed(&mut tx, ctx.actor.user_id, &sha256_hex(&secret), now).await?;
        tx.done(
            Action::CalendarFeedCreate,
            "calendar_feed",
            Some(ctx.actor.user_id),
            None,
        )
        .await?;
        Ok(secret)
    }

    /// Revoke the caller's calendar feed (audited); whether she had one.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn revoke_calendar_feed(&self, ctx: &Ctx) -> Result<bool> {
        let mut tx = Change::begin(self, ctx).await?;
        let had = store::revoke_feed(&mut tx, ctx.actor.user_id).await?;
        tx.done(
            Action::CalendarFeedRevoke,
            "calendar_feed",
            Some(ctx.actor.user_id),
            None,
        )
        .await?;
        Ok(had)
    }

    /// The sessions of the feed whose secret is `secret`: those of the
    /// groups its user leads, from [`FEED_DAYS_BACK`] ago to
    /// [`FEED_DAYS_AHEAD`] ahead. None for an unknown or revoked secret or
    /// a user no longer active.
    #[tracing::instrument(skip_all)]
    pub async fn calendar_sessions(&self, secret: &str) -> Result<Option<Vec<LedSession>>> {
        let today = self.today();
        let mut c = self.db.read().await?;
        let Some(user_id) = store::feed_user(&mut c, &sha256_hex(secret)).await? else {
            return Ok(None);
        };
        let f = LedFilter {
            from: today.checked_sub(FEED_DAYS_BACK.days()).unwrap_or(today),
            to: today.checked_add(FEED_DAYS_AHEAD.days()).unwrap_or(today),
            unrecorded: false,
        };
        Ok(Some(
            palett_store::palette::sessions_led(&mut c, user_id, &f, 2000).await?,
        ))
    }
}
