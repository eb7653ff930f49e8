//! Attested time: a partner's coordinator signs, month by month, the time
//! recorded in the interventions her partner provides, as the funders'
//! time reports ask. Months that ended within the last year with time not
//! yet signed, or changed since it was signed, wait in her day.

use crate::action::Action;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::indicators::Month;
use palett_domain::FieldErrors;
use palett_store::attestation as store;

pub use palett_store::attestation::{Attested, MonthTime};

/// How many ended months back the attestation looks.
pub const MONTHS_BACK: i64 = 12;

/// The months to attest on `today`: the [`MONTHS_BACK`] that ended last
/// (first and last, `YYYY-MM`).
pub fn window(today: Date) -> (String, String) {
    let this = today.first_of_month();
    let last = this.checked_sub(1.day()).unwrap_or(this);
    let first = this.checked_sub(MONTHS_BACK.months()).unwrap_or(this);
    (Month::of(first).to_string(), Month::of(last).to_string())
}

impl App {
    /// The caller's partner's recorded time by ended month of the last
    /// year, latest first, each with its attestation.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn time_attestation(&self, ctx: &Ctx) -> Result<Vec<MonthTime>> {
        let a = &ctx.actor;
        if !a.can_attest_time() {
            return Err(AppError::Forbidden);
        }
        let (first, last) = window(self.today());
        let mut c = self.db.read().await?;
        Ok(store::months(&mut c, a.partnership_id, a.organisation_id, (&first, &last)).await?)
    }

    /// Sign `month` (`YYYY-MM`) of the caller's partner's recorded time,
    /// with the minutes recorded now (audited): an ended month of the last
    /// year with time recorded.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id))]
    pub async fn attest_month(&self, ctx: &Ctx, month: &str) -> Result<()> {
        let a = &ctx.actor;
        if !a.can_attest_time() {
            return Err(AppError::Forbidden);
        }
        let month = palett_domain::admin::parse_month(month)?.to_string();
        let (first, last) = window(self.today());
        if month < first || month > last {
            return Err(FieldErrors::single("month", "error-month-not-to-attest").into());
        }
        let mut tx = Change::begin(self, ctx).await?;
        let minutes = store::months(
            &mut tx,
            a.partnership_id,
            a.organisation_id,
            (&month, &month),
        )
        .await?
        .first()
        .map(|m| m.minutes)
        .ok_or_else(|| FieldErrors::single("month", "error-month-no-time"))?;
        let now = tx.now();
        store::attest(
            &mut tx,
            a.partnership_id,
            a.organisation_id,
            &month,
            minutes,
            a.user_id,
            now,
        )
        .await?;
        tx.done(Action::TimeAttest, "time_attestation", None, None)
            .await
    }
}
