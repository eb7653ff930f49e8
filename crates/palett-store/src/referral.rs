//! Referrals and their steps, and each partner's referral routine. Every
//! statement is bound to the partnership.

use crate::participant::{counted_page, Arg, Sql};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::referral::{
    DeclineReason, Referral, ReferralEvent, ReferralOrigin, ReferralPurpose, ReferralReached,
    ReferralState,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// The answer time of a partner that has not agreed one, in working days.
pub const DEFAULT_ANSWER_DAYS: i64 = 5;

/// A partner's agreed routine for referrals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routine {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// Working days to answer a referral.
    pub answer_days: i64,
    /// Where referrals go: a function, a phone number, an address.
    pub contact: Option<String>,
    /// Set by the partner (not the default).
    pub agreed: bool,
}

/// The routine of every organisation that is or was a member of the
/// partnership, by name (the default where none is agreed).
pub async fn routines(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<Routine>> {
    sqlx::query(
        "SELECT o.id, o.name, r.answer_days, r.contact FROM organisations o \
         LEFT JOIN referral_routines r ON r.organisation_id = o.id AND r.partnership_id = $1 \
         WHERE o.id IN (SELECT organisation_id FROM memberships WHERE partnership_id = $1) \
         ORDER BY o.name, o.id",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(routine)
    .collect()
}

fn routine(r: &AnyRow) -> Result<Routine> {
    let days = opt_i64(r, "answer_days")?;
    Ok(Routine {
        organisation_id: i64_(r, "id")?,
        organisation_name: text(r, "name")?,
        answer_days: days.unwrap_or(DEFAULT_ANSWER_DAYS),
        contact: opt_text(r, "contact")?,
        agreed: days.is_some(),
    })
}

/// One partner's routine (the default where none is agreed); `None` when
/// the organisation was never a member of the partnership, or, with
/// `member_on`, is not a member on that day.
pub async fn routine_of(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    member_on: Option<Date>,
) -> Result<Option<Routine>> {
    let on_day = if member_on.is_some() {
        " AND m.joined_on <= $3 AND (m.left_on IS NULL OR m.left_on >= $3)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT o.id, o.name, r.answer_days, r.contact FROM organisations o \
         LEFT JOIN referral_routines r ON r.organisation_id = o.id AND r.partnership_id = $1 \
         WHERE o.id = $2 AND EXISTS (SELECT 1 FROM memberships m \
           WHERE m.partnership_id = $1 AND m.organisation_id = o.id{on_day})"
    );
    let mut query = sqlx::query(&sql).bind(partnership_id).bind(organisation_id);
    if let Some(day) = member_on {
        query = query.bind(day.to_string());
    }
    query
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(routine)
        .transpose()
}

/// Agree a partner's routine (replacing the one before).
pub async fn set_routine(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    (answer_days, contact): (i64, Option<&str>),
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM referral_routines WHERE partnership_id = $1 AND organisation_id = $2")
        .bind(partnership_id)
        .bind(organisation_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO referral_routines (partnership_id, organisation_id, answer_days, contact, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .bind(answer_days)
    .bind(contact)
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

const COLUMNS: &str = "r.id, r.participant_id, p.given_name, p.family_name, r.source, \
     r.from_organisation_id, f.name AS from_name, r.to_organisation_id, t.name AS to_name, \
     r.purpose, r.intervention_id, i.name AS intervention_name, r.reason, r.asked, \
     r.consent_id, r.state, r.state_on, r.sent_on, r.due_on, r.enrolment_id, r.forwarded_to, \
     fo.name AS forwarded_to_name, r.forwarded_from, u.display_name AS created_by_name";

const FROM: &str = "FROM referrals r JOIN participants p ON p.id = r.participant_id \
     JOIN organisations t ON t.id = r.to_organisation_id \
     LEFT JOIN organisations f ON f.id = r.from_organisation_id \
     LEFT JOIN interventions i ON i.id = r.intervention_id \
     LEFT JOIN referrals fw ON fw.id = r.forwarded_to \
     LEFT JOIN organisations fo ON fo.id = fw.to_organisation_id \
     LEFT JOIN users u ON u.id = r.created_by";

fn referral(r: &AnyRow) -> Result<Referral> {
    Ok(Referral {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        participant_name: format!("{} {}", text(r, "given_name")?, text(r, "family_name")?),
        source: vocab(r, "source", ReferralOrigin::parse)?,
        from_organisation_id: opt_i64(r, "from_organisation_id")?,
        from_name: opt_text(r, "from_name")?,
        to_organisation_id: i64_(r, "to_organisation_id")?,
        to_name: text(r, "to_name")?,
        purpose: vocab(r, "purpose", ReferralPurpose::parse)?,
        intervention_id: opt_i64(r, "intervention_id")?,
        intervention_name: opt_text(r, "intervention_name")?,
        reason: text(r, "reason")?,
        asked: text(r, "asked")?,
        consent_id: opt_i64(r, "consent_id")?,
        state: vocab(r, "state", ReferralState::parse)?,
        state_on: date(r, "state_on")?,
        sent_on: date(r, "sent_on")?,
        due_on: date(r, "due_on")?,
        enrolment_id: opt_i64(r, "enrolment_id")?,
        forwarded_to: opt_i64(r, "forwarded_to")?,
        forwarded_to_name: opt_text(r, "forwarded_to_name")?,
        forwarded_from: opt_i64(r, "forwarded_from")?,
        created_by: opt_text(r, "created_by_name")?.unwrap_or_default(),
    })
}

/// A referral to record.
#[derive(Clone, Debug)]
pub struct NewReferral<'a> {
    pub participant_id: i64,
    pub source: ReferralOrigin,
    pub from_organisation_id: Option<i64>,
    pub to_organisation_id: i64,
    pub purpose: ReferralPurpose,
    pub intervention_id: Option<i64>,
    pub reason: &'a str,
    pub asked: &'a str,
    pub consent_id: Option<i64>,
    pub sent_on: Date,
    pub due_on: Date,
    pub forwarded_from: Option<i64>,
}

/// Record a referral, sent, and its first step.
pub async fn insert(
    c: &mut AnyConnection,
    partnership_id: i64,
    n: &NewReferral<'_>,
    user_id: i64,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO referrals (partnership_id, participant_id, source, from_organisation_id, \
         to_organisation_id, purpose, intervention_id, reason, asked, consent_id, state, \
         state_on, sent_on, due_on, forwarded_from, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(partnership_id)
    .bind(n.participant_id)
    .bind(n.source.as_str())
    .bind(n.from_organisation_id)
    .bind(n.to_organisation_id)
    .bind(n.purpose.as_str())
    .bind(n.intervention_id)
    .bind(n.reason)
    .bind(n.asked)
    .bind(n.consent_id)
    .bind(ReferralState::Sent.as_str())
    .bind(n.sent_on.to_string())
    .bind(n.due_on.to_string())
    .bind(n.forwarded_from)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    insert_event(
        c,
        id,
        &Step::new(ReferralState::Sent, n.sent_on),
        user_id,
        now,
    )
    .await?;
    Ok(id)
}

/// A step as the store records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step<'a> {
    pub state: ReferralState,
    pub on: Date,
    pub reason: Option<DeclineReason>,
    pub note: Option<&'a str>,
    pub enrolment_id: Option<i64>,
    pub forwarded_to: Option<i64>,
}

impl Step<'_> {
    pub fn new(state: ReferralState, on: Date) -> Self {
        Step {
            state,
            on,
            reason: None,
            note: None,
            enrolment_id: None,
            forwarded_to: None,
        }
    }
}

async fn insert_event(
    c: &mut AnyConnection,
    referral_id: i64,
    s: &Step<'_>,
    user_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_events (referral_id, state, on_date, reason, note, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(referral_id)
    .bind(s.state.as_str())
    .bind(s.on.to_string())
    .bind(s.reason.map(DeclineReason::as_str))
    .bind(s.note)
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Take a step: record it and move the referral to its state (keeping the
/// enrolment or the referral it was forwarded as, when the step has one).
pub async fn add_step(
    c: &mut AnyConnection,
    referral_id: i64,
    s: &Step<'_>,
    user_id: i64,
    now: i64,
) -> Result<()> {
    insert_event(c, referral_id, s, user_id, now).await?;
    sqlx::query(
        "UPDATE referrals SET state = $1, state_on = $2, \
         enrolment_id = COALESCE($3, enrolment_id), forwarded_to = COALESCE($4, forwarded_to) \
         WHERE id = $5",
    )
    .bind(s.state.as_str())
    .bind(s.on.to_string())
    .bind(s.enrolment_id)
    .bind(s.forwarded_to)
    .bind(referral_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Referral>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE r.id = $1 AND r.partnership_id = $2"
    ))
    .bind(id)
    .bind(partnership_id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(referral)
    .transpose()
}

/// A referral's steps, oldest first.
pub async fn events(c: &mut AnyConnection, referral_id: i64) -> Result<Vec<ReferralEvent>> {
    sqlx::query(
        "SELECT e.state, e.on_date, e.reason, e.note, u.display_name, e.at \
         FROM referral_events e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.referral_id = $1 ORDER BY e.id LIMIT 100",
    )
    .bind(referral_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(ReferralEvent {
            state: vocab(r, "state", ReferralState::parse)?,
            on: date(r, "on_date")?,
            reason: opt_vocab(r, "reason", DeclineReason::parse)?,
            note: opt_text(r, "note")?,
            by: opt_text(r, "display_name")?,
            at: moment(r, "at")?,
        })
    })
    .collect()
}

/// Which side of a referral a list looks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Referrals to the organisation.
    Incoming,
    /// Referrals the organisation sent.
    Outgoing,
}

/// Which referrals a list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralFilter {
    pub side: Side,
    pub state: Option<ReferralState>,
    /// Only those still waiting for an answer whose answer time ran out
    /// before this day.
    pub stale_on: Option<Date>,
    /// Only those still waiting for an answer.
    pub waiting: bool,
    /// Only those answered (in any state after the answer) with their
    /// latest step on or after this day: news for the referrer.
    pub answered_since: Option<Date>,
    /// Only those with this partner on the other side (the receiver of an
    /// outgoing referral, the sender of an incoming one).
    pub partner: Option<i64>,
    /// Only those sent within these days (first and last).
    pub sent_within: Option<(Date, Date)>,
    /// Only those that came this far (as the report counts them).
    pub reached: Option<ReferralReached>,
}

/// The conditions of a list of `organisation_id`'s referrals.
fn filter(partnership_id: i64, organisation_id: i64, f: &ReferralFilter) -> Sql {
    let mut w = Sql::new("r.partnership_id = $1", Arg::Int(partnership_id));
    let org = w.arg(Arg::Int(organisation_id));
    push_filter(&mut w, org, f);
    w
}

/// The conditions of `f` beyond the partnership, the organisation being
/// the parameter `$org`.
fn push_filter(w: &mut Sql, org: usize, f: &ReferralFilter) {
    let column = match f.side {
        Side::Incoming => "r.to_organisation_id",
        Side::Outgoing => "r.from_organisation_id",
    };
    w.clauses.push(format!("{column} = ${org}"));
    if let Some(s) = f.state {
        w.push(|n| format!("r.state = ${n}"), Arg::Text(s.as_str().into()));
    }
    if f.waiting || f.stale_on.is_some() {
        w.clauses.push("r.state IN ('sent', 'received')".into());
    }
    if let Some(d) = f.stale_on {
        w.push(|n| format!("r.due_on < ${n}"), Arg::Text(d.to_string()));
    }
    if let Some(d) = f.answered_since {
        w.clauses.push("r.state NOT IN ('sent', 'received')".into());
        w.push(|n| format!("r.state_on >= ${n}"), Arg::Text(d.to_string()));
    }
    if let Some((first, last)) = f.sent_within {
        w.push(
            |n| format!("r.sent_on >= ${n}"),
            Arg::Text(first.to_string()),
        );
        w.push(
            |n| format!("r.sent_on <= ${n}"),
            Arg::Text(last.to_string()),
        );
    }
    if let Some(reached) = f.reached {
        w.clauses
            .push(format!("EXISTS ({})", reached_sql(reached, "1")));
    }
    if let Some(p) = f.partner {
        let other = match f.side {
            Side::Incoming => "r.from_organisation_id",
            Side::Outgoing => "r.to_organisation_id",
        };
        w.push(|n| format!("{other} = ${n}"), Arg::Int(p));
    }
}

/// `select` over the steps of the referral `r` that make it count as come
/// as far as `reached`: the report and the lists behind its figures both
/// use it.
fn reached_sql(reached: ReferralReached, select: &str) -> String {
    let states: Vec<String> = reached
        .steps()
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!(
        "SELECT {select} FROM referral_events e WHERE e.referral_id = r.id AND e.state IN ({})",
        states.join(", ")
    )
}

/// The organisation's referrals to other partners still waiting for an
/// answer after the answer time ran out before `today`, by receiving
/// partner: (its id, its name, how many), by name.
pub async fn stale_by_partner(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    today: Date,
) -> Result<Vec<(i64, String, i64)>> {
    sqlx::query(
        "SELECT r.to_organisation_id AS org, o.name, COUNT(*) AS n FROM referrals r \
         JOIN organisations o ON o.id = r.to_organisation_id \
         WHERE r.partnership_id = $1 AND r.from_organisation_id = $2 \
         AND r.state IN ('sent', 'received') AND r.due_on < $3 \
         GROUP BY r.to_organisation_id, o.name ORDER BY o.name, r.to_organisation_id",
    )
    .bind(partnership_id)
    .bind(organisation_id)
    .bind(today.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((i64_(r, "org")?, text(r, "name")?, i64_(r, "n")?)))
    .collect()
}

/// How many of `organisation_id`'s referrals each filter of `filters`
/// counts (what [`list`] shows for it), as a part of a
/// [`Tally`](crate::tally::Tally).
pub fn counts_part(
    partnership_id: i64,
    organisation_id: i64,
    filters: &[ReferralFilter],
) -> crate::tally::Part {
    let mut w = Sql::new("r.partnership_id = $1", Arg::Int(partnership_id));
    let org = w.arg(Arg::Int(organisation_id));
    w.clauses.push(format!(
        "(r.to_organisation_id = ${org} OR r.from_organisation_id = ${org})"
    ));
    crate::participant::counts_each_part("referrals r", w, filters.len(), |s, i| {
        push_filter(s, org, &filters[i])
    })
}

/// One page of the organisation's referrals, the ones waiting longest
/// first within each state order (latest step first); how many there are.
pub async fn list(
    c: &mut AnyConnection,
    partnership_id: i64,
    organisation_id: i64,
    f: &ReferralFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Referral>, i64)> {
    let w = filter(partnership_id, organisation_id, f);
    let count = format!("SELECT COUNT(*) FROM referrals r WHERE {}", w.conditions());
    let select = format!(
        "SELECT {COLUMNS} {FROM} WHERE {} ORDER BY r.state_on DESC, r.id DESC \
         LIMIT {limit} OFFSET {offset}",
        w.conditions()
    );
    let (rows, total) = counted_page(c, &count, &select, &w.args).await?;
    Ok((rows.iter().map(referral).collect::<Result<_>>()?, total))
}

/// Her referrals, latest first (at most 200).
pub async fn of_participant(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<Referral>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE r.participant_id = $1 \
         ORDER BY r.sent_on DESC, r.id DESC LIMIT 200"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(referral)
    .collect()
}

/// Whether `enrolment_id` is hers, in an intervention `organisation_id`
/// provides.
pub async fn enrolment_fits(
    c: &mut AnyConnection,
    enrolment_id: i64,
    participant_id: i64,
    organisation_id: i64,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments e JOIN interventions i ON i.id = e.intervention_id \
         WHERE e.id = $1 AND e.participant_id = $2 AND i.provider_organisation_id = $3",
    )
    .bind(enrolment_id)
    .bind(participant_id)
    .bind(organisation_id)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

/// Her sharing consent in force on `today` that covers `organisation_id`
/// (the latest given), if any.
pub async fn covering_consent(
    c: &mut AnyConnection,
    participant_id: i64,
    organisation_id: i64,
    today: Date,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT k.id FROM consents k JOIN consent_organisations ko ON ko.consent_id = k.id \
         WHERE k.participant_id = $1 AND k.kind = 'sharing' AND ko.organisation_id = $2 AND {} \
         ORDER BY k.given_on DESC, k.id DESC LIMIT 1",
        crate::consent::in_force_sql("$3", "$3")
    ))
    .bind(participant_id)
    .bind(organisation_id)
    .bind(today.to_string())
    .fetch_optional(c)
    .await?)
}

/// The organisation responsible for her.
pub async fn responsible_organisation(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT responsible_organisation_id FROM participants WHERE id = $1")
            .bind(participant_id)
            .fetch_optional(c)
            .await?,
    )
}

/// Make `user_id` one of her caseworkers (once), as a change of her record.
pub async fn assign_caseworker(
    c: &mut AnyConnection,
    participant_id: i64,
    user_id: i64,
    now: i64,
) -> Result<()> {
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM participant_caseworkers WHERE participant_id = $1 AND user_id = $2",
    )
    .bind(participant_id)
    .bind(user_id)
    .fetch_one(&mut *c)
    .await?;
    if already > 0 {
        return Ok(());
    }
    sqlx::query("INSERT INTO participant_caseworkers (participant_id, user_id) VALUES ($1, $2)")
        .bind(participant_id)
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE participants SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(participant_id)
        .execute(c)
        .await?;
    Ok(())
}

/// What the report needs of each referral of the partnership sent within
/// `period` (first and last day): one statement.
pub async fn report_facts(
    c: &mut AnyConnection,
    partnership_id: i64,
    period: (Date, Date),
) -> Result<Vec<palett_domain::referral::ReferralFacts>> {
    sqlx::query(&format!(
        "SELECT r.to_organisation_id, r.state, r.sent_on, \
         ({answered}) AS answered_on, \
         CASE WHEN EXISTS ({accepted}) THEN 1 ELSE 0 END AS accepted, \
         ({started}) AS started_on \
         FROM referrals r WHERE r.partnership_id = $1 AND r.sent_on >= $2 AND r.sent_on <= $3",
        answered = reached_sql(ReferralReached::Answered, "MIN(e.on_date)"),
        accepted = reached_sql(ReferralReached::Accepted, "1"),
        started = reached_sql(ReferralReached::Started, "MIN(e.on_date)"),
    ))
    .bind(partnership_id)
    .bind(period.0.to_string())
    .bind(period.1.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(palett_domain::referral::ReferralFacts {
            to_organisation_id: i64_(r, "to_organisation_id")?,
            state: vocab(r, "state", ReferralState::parse)?,
            sent_on: date(r, "sent_on")?,
            answered_on: opt_date(r, "answered_on")?,
            accepted: flag(r, "accepted")?,
            started_on: opt_date(r, "started_on")?,
        })
    })
    .collect()
}

/// Attach her notes to a referral.
pub async fn attach_notes(c: &mut AnyConnection, referral_id: i64, note_ids: &[i64]) -> Result<()> {
    for note in note_ids {
        sqlx::query("INSERT INTO referral_notes (referral_id, note_id) VALUES ($1, $2)")
            .bind(referral_id)
            .bind(note)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// The notes a referral carries, oldest first.
pub async fn attached_notes(
    c: &mut AnyConnection,
    referral_id: i64,
) -> Result<Vec<crate::note::Note>> {
    crate::note::attached_to_referral(c, referral_id).await
}
