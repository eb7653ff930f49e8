//! Attested time per participant: her responsible caseworker attests an
//! ended month of her time digitally (no signed paper kept outside palett).
//! An attested month is locked: a later change to its time (attendance or
//! an activity) is refused without a reason, and with one it is kept as a
//! correction that her month, the ESF+ monthly file and the audit log show.

use crate::action::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::indicators::Month;
use palett_domain::FieldErrors;
use palett_store::month_attestation as store;
use palett_store::AnyConnection;

pub use palett_store::month_attestation::{Correction, ParticipantMonth};

/// Her months and what the caller may do with them.
#[derive(Clone, Debug)]
pub struct ParticipantTime {
    /// Latest first.
    pub months: Vec<ParticipantMonth>,
    /// The caller is her responsible caseworker and may attest.
    pub may_attest: bool,
    /// The running month (`YYYY-MM`), which cannot be attested yet.
    pub running: String,
}

/// The message of the field at fault when an attested month's time is
/// changed without a reason.
pub const REASON_NEEDED: &str = "error-month-attested-reason";

/// The message when a session would move time out of or into an attested
/// month.
pub const MOVE_ATTESTED: &str = "error-session-move-attested";

impl App {
    fn running_month(&self) -> String {
        Month::of(self.today()).to_string()
    }

    /// Her time month by month with its attestation, her confirmation and
    /// the corrections since (an audited read of her record).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn participant_months(&self, ctx: &Ctx, pid: i64) -> Result<ParticipantTime> {
        let mut r = Reading::begin(self, ctx).await?;
        let (p, rel) = self.readable_with_relation(r.conn(), ctx, pid).await?;
        r.audit(Action::ParticipantRead, "time", None, Some(pid));
        let months = store::months(r.conn(), pid).await?;
        r.finish().await?;
        Ok(ParticipantTime {
            months,
            may_attest: ctx.actor.can_attest_participant_time(rel)
                && p.processing_restricted.is_none(),
            running: self.running_month(),
        })
    }

    /// Attest her ended `month` (`YYYY-MM`) with the minutes recorded now,
    /// which locks it; attesting again after a correction takes the
    /// corrected minutes. Her responsible caseworker only (audited).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn attest_participant_month(&self, ctx: &Ctx, pid: i64, month: &str) -> Result<()> {
        let a = &ctx.actor;
        let month = palett_domain::admin::parse_month(month)?.to_string();
        let mut tx = Change::begin(self, ctx).await?;
        match self.participant_with_relation(&mut tx, pid, a).await? {
            Some((p, rel)) if a.can_attest_participant_time(rel) => {
                crate::ensure_processable(p)?;
            }
            Some((_, rel)) if a.in_scope(rel) => return Err(AppError::Forbidden),
            _ => return Err(AppError::NotFound),
        }
        if month >= self.running_month() {
            return Err(FieldErrors::single("month", "error-month-not-ended").into());
        }
        let minutes = store::minutes_in(&mut tx, &[pid], &month)
            .await?
            .get(&pid)
            .copied()
            .unwrap_or(0);
        if minutes == 0
            && store::attested_among(&mut tx, &[pid], &month)
                .await?
                .is_empty()
        {
            return Err(FieldErrors::single("month", "error-month-no-time").into());
        }
        let now = tx.now();
        store::attest(&mut tx, pid, &month, minutes, a.user_id, now).await?;
        tx.done(Action::MonthAttest, "month_attestation", None, Some(pid))
            .await
    }
}

/// A change about to touch the time of `ids` in `month`: those whose month
/// is attested need `reason` (else the change is refused on `field`), and
/// their minutes before it are kept to record the corrections after.
pub(crate) async fn guard_attested(
    c: &mut AnyConnection,
    ids: &[i64],
    month: &str,
    reason: Option<&str>,
    field: &str,
) -> Result<Vec<(i64, i64)>> {
    let locked = store::attested_among(c, ids, month).await?;
    if locked.is_empty() {
        return Ok(Vec::new());
    }
    if reason.is_none() {
        return Err(FieldErrors::single(field, REASON_NEEDED).into());
    }
    let before = store::minutes_in(c, &locked, month).await?;
    Ok(locked
        .into_iter()
        .map(|id| (id, before.get(&id).copied().unwrap_or(0)))
        .collect())
}

/// Moving a session to another month moves the time of those present
/// from one month to the other: refused on `on_date` when either month is
/// attested for any of them (cancel it with a reason and add a new one).
pub(crate) async fn guard_move(
    c: &mut AnyConnection,
    session_id: i64,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<()> {
    let (from, to) = (Month::of(from).to_string(), Month::of(to).to_string());
    if from == to {
        return Ok(());
    }
    let present = store::present_at(c, session_id).await?;
    for month in [from, to] {
        if !store::attested_among(c, &present, &month).await?.is_empty() {
            return Err(FieldErrors::single("on_date", MOVE_ATTESTED).into());
        }
    }
    Ok(())
}

/// After the change: keep a correction for each participant guarded by
/// [`guard_attested`] whose minutes in `month` changed, audited for each.
pub(crate) async fn keep_corrections(
    tx: &mut Change<'_>,
    guarded: &[(i64, i64)],
    month: &str,
    reason: Option<&str>,
) -> Result<()> {
    let Some(reason) = reason else {
        return Ok(());
    };
    if guarded.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = guarded.iter().map(|(id, _)| *id).collect();
    let after = store::minutes_in(tx, &ids, month).await?;
    let corrections: Vec<store::NewCorrection> = guarded
        .iter()
        .map(|(id, before)| store::NewCorrection {
            participant_id: *id,
            month,
            reason,
            minutes_before: *before,
            minutes_after: after.get(id).copied().unwrap_or(0),
        })
        .collect();
    let (by, now) = (tx.by(), tx.now());
    store::add_corrections(tx, &corrections, by, now).await?;
    tx.audit_each(Action::TimeCorrect, "time_correction", &ids)
        .await
}
