//! Attested time: a partner's coordinator signs each ended month of the
//! time recorded in its interventions; a change afterwards shows.

use crate::harness::*;
use crate::palette::intervention;
use jiff::civil::date;
use palett_app::attestation::MonthTime;
use palett_app::filters::AuditFilter;
use palett_app::paging::Page;
use palett_domain::worklist::WorkItem;

fn october(months: &[MonthTime]) -> Option<&MonthTime> {
    months.iter().find(|m| m.month == "2026-10")
}

/// Months that wait: never signed, or changed since.
fn waiting(months: &[MonthTime]) -> i64 {
    months
        .iter()
        .filter(|m| m.attested.as_ref().is_none_or(|a| a.minutes != m.minutes))
        .count() as i64
}

async fn to_attest(h: &H, ctx: &palett_app::Ctx) -> Option<i64> {
    h.app
        .worklist(ctx)
        .await
        .expect("her day")
        .iter()
        .find(|l| l.item == WorkItem::MonthsToAttest)
        .map(|l| l.count)
}

/// A woman taking part since 2026-09-01, registered by the municipality's
/// coach, and Hela Människan's intervention "Samtal" to record her time in.
pub(crate) struct Taking {
    pub coordinator: palett_app::Ctx,
    pub coaching: i64,
    pub coach: palett_app::Ctx,
    pub hodan: i64,
}

/// The demo seeded, and [`Taking`] with her family name and identity number.
pub(crate) async fn taking_part(h: &H, family: &str, (born, serial): (&str, u16)) -> Taking {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let hela = h.organisation_id(&coordinator, HELA_MANNISKAN).await;
    let coaching = intervention(h, &coordinator, "Samtal", "guidance", hela, "", false, None).await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let mut form = h.input("Hodan", family, &pnr(born, serial), kommun);
    form.referred_on = "2026-09-01".into();
    form.intake_date = "2026-09-01".into();
    let hodan = h.register(&coach, &form).await;
    Taking {
        coordinator,
        coaching,
        coach,
        hodan,
    }
}

pub(crate) async fn a_coordinator_attests_each_ended_month_of_her_partners_time(h: H) {
    let Taking {
        coordinator,
        coaching,
        coach,
        hodan,
    } = taking_part(&h, "Tidsson", ("19820412", 412)).await;
    let before = h
        .app
        .time_attestation(&coordinator)
        .await
        .expect("her months");
    let october_before = october(&before).map_or(0, |m| m.minutes);

    // Two hours in October: the month waits, in her day too.
    let today = h.app.today();
    h.app
        .record_activity(
            &coordinator,
            hodan,
            &activity(coaching, date(2026, 10, 15), "2", "Samtal", today),
        )
        .await
        .expect("two hours");
    let months = h
        .app
        .time_attestation(&coordinator)
        .await
        .expect("her months");
    let oct = october(&months).expect("October has time");
    assert_eq!(oct.minutes, october_before + 120);
    assert!(oct.attested.is_none());
    assert_eq!(to_attest(&h, &coordinator).await, Some(waiting(&months)));

    // Signed: no longer waiting, with the minutes and who signed.
    h.app
        .attest_month(&coordinator, "2026-10")
        .await
        .expect("attested");
    let months = h
        .app
        .time_attestation(&coordinator)
        .await
        .expect("her months");
    let oct = october(&months).expect("October");
    let signed = oct.attested.as_ref().expect("signed");
    assert_eq!(signed.minutes, oct.minutes);
    assert!(signed.by.is_some());
    assert_eq!(to_attest(&h, &coordinator).await, Some(waiting(&months)));

    // An hour more afterwards: changed since, waiting again, the signed
    // minutes kept; signed again.
    h.app
        .record_activity(
            &coordinator,
            hodan,
            &activity(coaching, date(2026, 10, 20), "1", "Samtal", today),
        )
        .await
        .expect("an hour more");
    let months = h
        .app
        .time_attestation(&coordinator)
        .await
        .expect("her months");
    let oct = october(&months).expect("October");
    assert_eq!(oct.minutes, october_before + 180);
    assert_eq!(
        oct.attested.as_ref().map(|a| a.minutes),
        Some(october_before + 120)
    );
    assert_eq!(to_attest(&h, &coordinator).await, Some(waiting(&months)));
    assert!(waiting(&months) >= 1);
    h.app
        .attest_month(&coordinator, "2026-10")
        .await
        .expect("attested again");
    let months = h
        .app
        .time_attestation(&coordinator)
        .await
        .expect("her months");
    assert_eq!(
        october(&months)
            .and_then(|m| m.attested.as_ref())
            .map(|a| a.minutes),
        Some(october_before + 180)
    );

    // Only ended months of the last year with time; only coordinators.
    assert_invalid(
        h.app.attest_month(&coordinator, "2026-11").await,
        "month",
        "error-month-not-to-attest",
    );
    assert_invalid(
        h.app.attest_month(&coordinator, "2025-10").await,
        "month",
        "error-month-not-to-attest",
    );
    assert_invalid(
        h.app.attest_month(&coordinator, "2026-13").await,
        "month",
        "error-month",
    );
    if !months.iter().any(|m| m.month == "2026-01") {
        assert_invalid(
            h.app.attest_month(&coordinator, "2026-01").await,
            "month",
            "error-month-no-time",
        );
    }
    forbidden(h.app.attest_month(&coach, "2026-10").await);
    forbidden(h.app.time_attestation(&h.ctx(EVALUATOR).await).await);
    assert_eq!(to_attest(&h, &coach).await, None, "not a caseworker's");

    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter::default(),
            Page::new(None, Some(100)),
        )
        .await;
    assert_eq!(log.iter().filter(|e| e.action == "time.attest").count(), 2);
}
