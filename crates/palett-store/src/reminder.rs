//! Reminders: the inbox's messages, the daily digest's choice and the days
//! it went out, and the calendar feeds' secrets (their hashes).

use crate::row::*;
use crate::Result;
use palett_domain::referral::ReferralState;
use palett_domain::reminder::InboxKind;
use sqlx::AnyConnection;

/// One inbox message: what happened to which referral, at which partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: i64,
    pub kind: InboxKind,
    pub referral_id: Option<i64>,
    /// The participant it is about (she withdrew a consent in her portal);
    /// the message never names her.
    pub participant_id: Option<i64>,
    /// The partner on the other side (none: outside the partnership).
    pub other_organisation: Option<String>,
    pub state: Option<ReferralState>,
    pub created_at: i64,
    pub read: bool,
}

/// What a new message says.
#[derive(Clone, Copy, Debug)]
pub struct NewMessage {
    pub partnership_id: i64,
    pub kind: InboxKind,
    pub referral_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub other_organisation_id: Option<i64>,
    pub state: Option<ReferralState>,
}

/// The message to each user `recipients` picks (conditions on `u`, with
/// the parameter `$8`), in one statement.
async fn insert_for(
    c: &mut AnyConnection,
    recipients: &str,
    recipient: i64,
    m: &NewMessage,
    now: i64,
) -> Result<u64> {
    Ok(sqlx::query(&format!(
        "INSERT INTO inbox_messages \
         (user_id, partnership_id, kind, referral_id, other_organisation_id, state, created_at, \
         participant_id) \
         SELECT u.id, $1, $2, $3, $4, $5, $6, $7 FROM users u WHERE u.active = 1 AND {recipients}"
    ))
    .bind(m.partnership_id)
    .bind(m.kind.as_str())
    .bind(m.referral_id)
    .bind(m.other_organisation_id)
    .bind(m.state.map(|s| s.as_str()))
    .bind(now)
    .bind(m.participant_id)
    .bind(recipient)
    .execute(c)
    .await?
    .rows_affected())
}

/// The message to every active coordinator and caseworker of
/// `organisation_id` in the partnership (those who answer its referrals).
pub async fn to_organisation(
    c: &mut AnyConnection,
    organisation_id: i64,
    m: &NewMessage,
    now: i64,
) -> Result<u64> {
    let recipients = "u.organisation_id = $8 AND EXISTS (SELECT 1 FROM role_grants g \
         WHERE g.user_id = u.id AND g.partnership_id = $1 AND g.role IN ('coordinator', 'caseworker'))";
    insert_for(c, recipients, organisation_id, m, now).await
}

/// The message to the user who sent its referral, if she is active.
pub async fn to_sender(c: &mut AnyConnection, m: &NewMessage, now: i64) -> Result<u64> {
    let recipients = "u.id = (SELECT r.created_by FROM referrals r WHERE r.id = $8)";
    insert_for(c, recipients, m.referral_id.unwrap_or(0), m, now).await
}

/// The message to each of her assigned caseworkers; when she has none, to
/// the coordinators and caseworkers of the partner responsible for her.
pub async fn to_her_caseworkers(
    c: &mut AnyConnection,
    participant_id: i64,
    m: &NewMessage,
    now: i64,
) -> Result<u64> {
    let assigned = "u.id IN (SELECT w.user_id FROM participant_caseworkers w \
         WHERE w.participant_id = $8)";
    let sent = insert_for(c, assigned, participant_id, m, now).await?;
    if sent > 0 {
        return Ok(sent);
    }
    let responsible: i64 =
        sqlx::query_scalar("SELECT responsible_organisation_id FROM participants WHERE id = $1")
            .bind(participant_id)
            .fetch_one(&mut *c)
            .await?;
    to_organisation(c, responsible, m, now).await
}

/// One page of her messages in the partnership, newest first; how many
/// there are.
pub async fn page(
    c: &mut AnyConnection,
    user_id: i64,
    partnership_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<InboxMessage>, i64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox_messages WHERE user_id = $1 AND partnership_id = $2",
    )
    .bind(user_id)
    .bind(partnership_id)
    .fetch_one(&mut *c)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT m.id, m.kind, m.referral_id, m.participant_id, o.name AS other, m.state, \
         m.created_at, m.read_at \
         FROM inbox_messages m LEFT JOIN organisations o ON o.id = m.other_organisation_id \
         WHERE m.user_id = $1 AND m.partnership_id = $2 ORDER BY m.id DESC \
         LIMIT {limit} OFFSET {offset}"
    ))
    .bind(user_id)
    .bind(partnership_id)
    .fetch_all(c)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(InboxMessage {
                id: i64_(r, "id")?,
                kind: vocab(r, "kind", InboxKind::parse)?,
                referral_id: opt_i64(r, "referral_id")?,
                participant_id: opt_i64(r, "participant_id")?,
                other_organisation: opt_text(r, "other")?,
                state: opt_vocab(r, "state", ReferralState::parse)?,
                created_at: i64_(r, "created_at")?,
                read: opt_i64(r, "read_at")?.is_some(),
            })
        })
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// Mark her message read (the first time it is opened); its referral and
/// participant, or none when it is not hers.
pub async fn open(
    c: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: i64,
) -> Result<Option<(Option<i64>, Option<i64>)>> {
    sqlx::query(
        "UPDATE inbox_messages SET read_at = COALESCE(read_at, $1) \
         WHERE id = $2 AND user_id = $3 RETURNING referral_id, participant_id",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .fetch_optional(c)
    .await?
    .map(|r| Ok((opt_i64(&r, "referral_id")?, opt_i64(&r, "participant_id")?)))
    .transpose()
}

/// Mark all her unread messages in the partnership read; how many.
pub async fn read_all(
    c: &mut AnyConnection,
    user_id: i64,
    partnership_id: i64,
    now: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE inbox_messages SET read_at = $1 \
         WHERE user_id = $2 AND partnership_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(partnership_id)
    .execute(c)
    .await?
    .rows_affected())
}

/// How many of her messages in the partnership are unread.
pub async fn unread(c: &mut AnyConnection, user_id: i64, partnership_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox_messages \
         WHERE user_id = $1 AND partnership_id = $2 AND read_at IS NULL",
    )
    .bind(user_id)
    .bind(partnership_id)
    .fetch_one(c)
    .await?)
}

// ------------------------------------------------------------ the daily digest

pub async fn set_daily_digest(c: &mut AnyConnection, user_id: i64, on: bool) -> Result<()> {
    sqlx::query("UPDATE users SET daily_digest = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Her reminder choices: whether she wants the daily digest, and when her
/// calendar feed was made (none: she has none). One statement.
pub async fn choices(c: &mut AnyConnection, user_id: i64) -> Result<(bool, Option<i64>)> {
    let row = sqlx::query(
        "SELECT u.daily_digest, f.created_at FROM users u \
         LEFT JOIN calendar_feeds f ON f.user_id = u.id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(c)
    .await?;
    match row {
        Some(r) => Ok((i64_(&r, "daily_digest")? == 1, opt_i64(&r, "created_at")?)),
        None => Ok((false, None)),
    }
}

/// The active users who want a digest and have had none on `day`.
pub async fn digest_due(c: &mut AnyConnection, day: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.daily_digest = 1 AND u.active = 1 \
         AND NOT EXISTS (SELECT 1 FROM digests_sent d WHERE d.user_id = u.id AND d.day = $1) \
         ORDER BY u.id LIMIT 10000",
    )
    .bind(day)
    .fetch_all(c)
    .await?)
}

/// Claim the day's digest for her: false when another already took it.
pub async fn claim_digest(
    c: &mut AnyConnection,
    user_id: i64,
    day: &str,
    now: i64,
) -> Result<bool> {
    let claimed = sqlx::query(
        "INSERT INTO digests_sent (user_id, day, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(day)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Give the day's claim back (the digest could not be sent).
pub async fn release_digest(c: &mut AnyConnection, user_id: i64, day: &str) -> Result<()> {
    sqlx::query("DELETE FROM digests_sent WHERE user_id = $1 AND day = $2")
        .bind(user_id)
        .bind(day)
        .execute(c)
        .await?;
    Ok(())
}

// ------------------------------------------------------------ calendar feeds

/// Her feed's secret is now the one hashed `secret_hash` (a new one
/// replaces the old, whose address stops working).
pub async fn set_feed(
    c: &mut AnyConnection,
    user_id: i64,
    secret_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, secret_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret_hash = excluded.secret_hash, \
         created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(secret_hash)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Revoke her feed; whether she had one.
pub async fn revoke_feed(c: &mut AnyConnection, user_id: i64) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

/// The active user whose feed's secret hashes to `secret_hash`.
pub async fn feed_user(c: &mut AnyConnection, secret_hash: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id \
         WHERE f.secret_hash = $1 AND u.active = 1",
    )
    .bind(secret_hash)
    .fetch_optional(c)
    .await?)
}
