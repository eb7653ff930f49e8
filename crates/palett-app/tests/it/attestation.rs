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

/// The name the demo gives the municipality's coach.
const COACH_NAME: &str = "Kim Coach";

/// Her October in a walking group of the municipality's project: two
/// sessions of two hours, both attended, as the municipality's coach (her
/// responsible caseworker) records them. (coach, the municipality's
/// coordinator, her, the walk, the project, the sessions).
async fn october_walks(h: &H) -> (palett_app::Ctx, palett_app::Ctx, i64, i64, i64, Vec<i64>) {
    use crate::palette::{running_project, sessions, taken_in, walking_group};
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.ctx(COACH).await;
    let kommun = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let project = running_project(h, &coordinator).await;
    let (walk, group) = walking_group(
        h,
        &coordinator,
        &coach,
        kommun,
        project,
        ("Stavgång", "Oktobergruppen"),
    )
    .await;
    let her = taken_in(
        h,
        &coach,
        kommun,
        "Leyla",
        431,
        date(2026, 10, 1),
        false,
        Some(project),
    )
    .await;
    h.app
        .enrol(
            &coach,
            her,
            &palett_domain::path::Enrol::in_group(walk, group),
        )
        .await
        .expect("enrolled");
    let s = sessions(h, &coach, group, date(2026, 10, 5), 1).await;
    assert_eq!(s.len(), 2, "two October sessions");
    for session in &s {
        h.app
            .record_attendance(&coach, *session, &marks(&[mark(her, "present")]))
            .await
            .expect("present");
    }
    let kommun_coordinator = h.ctx(KOMMUN_COORDINATOR).await;
    (coach, kommun_coordinator, her, walk, project, s)
}

fn mark(who: i64, status: &str) -> (String, String) {
    (who.to_string(), status.to_string())
}

/// A sheet with a reason for correcting attested time.
fn corrected(rows: &[(String, String)], reason: &str) -> palett_domain::path::Attendance {
    palett_domain::path::AttendanceInput {
        rows: rows.to_vec(),
        correction_reason: reason.into(),
    }
    .parse()
    .expect("a sheet with a reason")
}

async fn her_october(
    h: &H,
    ctx: &palett_app::Ctx,
    her: i64,
) -> palett_app::month_attestation::ParticipantMonth {
    h.app
        .participant_months(ctx, her)
        .await
        .expect("her months")
        .months
        .into_iter()
        .find(|m| m.month == "2026-10")
        .expect("October has time")
}

pub(crate) async fn her_caseworker_attests_her_month_which_locks_it(h: H) {
    let (coach, coordinator, her, walk, project, s) = october_walks(&h).await;
    let october = her_october(&h, &coach, her).await;
    assert_eq!(october.minutes, 240);
    assert!(october.attested.is_none());
    let time = h.app.participant_months(&coach, her).await.expect("time");
    assert!(time.may_attest, "her responsible caseworker may attest");
    assert_eq!(time.running, "2026-11");

    // Only an ended month with time, and only her responsible caseworker.
    assert_invalid(
        h.app.attest_participant_month(&coach, her, "2026-11").await,
        "month",
        "error-month-not-ended",
    );
    assert_invalid(
        h.app.attest_participant_month(&coach, her, "2026-09").await,
        "month",
        "error-month-no-time",
    );
    assert_invalid(
        h.app.attest_participant_month(&coach, her, "oktober").await,
        "month",
        "error-month",
    );
    let hela = h.ctx(HANDLEDARE).await;
    not_found(h.app.attest_participant_month(&hela, her, "2026-10").await);
    not_found(
        h.app
            .attest_participant_month(&h.ctx(EVALUATOR).await, her, "2026-10")
            .await,
    );

    // Attested: locked with the minutes and who attested.
    h.app
        .attest_participant_month(&coach, her, "2026-10")
        .await
        .expect("attested");
    let october = her_october(&h, &coordinator, her).await;
    let attested = october.attested.as_ref().expect("attested");
    assert_eq!(attested.minutes, 240);
    assert_eq!(attested.by.as_deref(), Some(COACH_NAME));
    let sheet = h.app.attendance_sheet(&coach, s[1]).await.expect("sheet");
    assert_eq!(sheet.attested, vec![her], "the sheet says who is locked");

    // Saving the same marks again changes no time and needs no reason.
    h.app
        .record_attendance(&coach, s[1], &marks(&[mark(her, "present")]))
        .await
        .expect("the same marks");

    // A change to her attested time is refused without a reason, and
    // nothing changes.
    assert_invalid(
        h.app
            .record_attendance(&coach, s[1], &marks(&[mark(her, "absent")]))
            .await,
        "correction_reason",
        "error-month-attested-reason",
    );
    assert_eq!(her_october(&h, &coach, her).await.minutes, 240);
    let today = h.app.today();
    assert_invalid(
        h.app
            .record_activity(
                &coach,
                her,
                &activity(walk, date(2026, 10, 20), "1", "", today),
            )
            .await,
        "note",
        "error-month-attested-reason",
    );
    assert_eq!(her_october(&h, &coach, her).await.minutes, 240);

    // With a reason it is saved, and shows as a correction: the attested
    // minutes kept, the month changed since.
    h.app
        .record_attendance(
            &coach,
            s[1],
            &corrected(&[mark(her, "absent")], "Fel person markerad närvarande"),
        )
        .await
        .expect("a correction with its reason");
    h.app
        .record_activity(
            &coach,
            her,
            &activity(walk, date(2026, 10, 20), "1", "Promenad i efterhand", today),
        )
        .await
        .expect("time added with its reason");
    let october = her_october(&h, &coach, her).await;
    assert_eq!(october.minutes, 180);
    assert_eq!(october.attested.as_ref().map(|a| a.minutes), Some(240));
    let seen: Vec<(&str, i64, i64)> = october
        .corrections
        .iter()
        .map(|k| (k.reason.as_str(), k.minutes_before, k.minutes_after))
        .collect();
    assert_eq!(
        seen,
        [
            ("Fel person markerad närvarande", 240, 120),
            ("Promenad i efterhand", 120, 180)
        ]
    );
    assert!(october
        .corrections
        .iter()
        .all(|k| k.by.as_deref() == Some(COACH_NAME)));

    // The ESF+ monthly file shows the attestation and the corrections.
    let (_, lines) = h
        .app
        .esf_month(
            &coordinator,
            project,
            palett_domain::admin::parse_month("2026-10"),
        )
        .await
        .expect("the ESF+ file");
    let line = lines
        .iter()
        .find(|l| l.participant_id == her)
        .expect("she took part in October");
    assert_eq!(line.minutes, 180);
    assert_eq!(line.attested.as_ref().map(|a| a.minutes), Some(240));
    assert_eq!(line.corrections, 2);

    // Attested again: the corrected minutes.
    h.app
        .attest_participant_month(&coach, her, "2026-10")
        .await
        .expect("attested again");
    let october = her_october(&h, &coach, her).await;
    assert_eq!(october.attested.as_ref().map(|a| a.minutes), Some(180));

    // Moving a session she attended out of her attested month is refused;
    // cancelling it is a correction whose reason is the cancellation's.
    assert_invalid(
        h.app
            .move_session(
                &coach,
                s[0],
                &palett_domain::path::SessionMove {
                    on_date: date(2026, 11, 2),
                    start_time: "10:00".into(),
                },
            )
            .await,
        "on_date",
        "error-session-move-attested",
    );
    h.app
        .move_session(
            &coach,
            s[0],
            &palett_domain::path::SessionMove {
                on_date: date(2026, 10, 6),
                start_time: "13:00".into(),
            },
        )
        .await
        .expect("within the month the time stays as attested");
    h.app
        .cancel_session(
            &coach,
            s[0],
            &palett_domain::path::SessionCancel {
                reason: "Ledaren var sjuk".into(),
            },
        )
        .await
        .expect("cancelled");
    let october = her_october(&h, &coach, her).await;
    assert_eq!(october.minutes, 60);
    let last = october.corrections.last().expect("a third correction");
    assert_eq!(
        (
            last.reason.as_str(),
            last.minutes_before,
            last.minutes_after
        ),
        ("Ledaren var sjuk", 180, 60)
    );

    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter::default(),
            Page::new(None, Some(200)),
        )
        .await;
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("time.attest_participant_month"), 2);
    assert_eq!(count("time.correct"), 3);
}
