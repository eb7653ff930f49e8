//! Follow-up after exit: scheduled at the exit, listed when due for those
//! who may see her, recorded with field errors, removed on reopening.

use crate::harness::*;
use jiff::civil::date;
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::followup::{Employment, FollowUpInput, IncomeSource};
use palett_domain::lifecycle::{ExitOutcome, Transition};

pub(crate) async fn follow_ups_are_scheduled_listed_recorded_and_removed(h: H) {
    h.seed().await;
    let kim = h.signed(COACH).await;
    let ctx = kim.ctx(IP);
    let form = palett_domain::model::ParticipantInput {
        intake_date: "2026-11-20".into(),
        ..h.input(
            "Ayan",
            "Uppföljd",
            &pnr("19880808", 808),
            kim.user.organisation_id,
        )
    };
    let id = h.register(&ctx, &form).await;
    assert!(h
        .app
        .follow_ups(&ctx, id)
        .await
        .expect("none yet")
        .is_empty());
    h.app
        .transition(
            &ctx,
            id,
            Transition::Exit {
                on: date(2026, 11, 24),
                outcome: ExitOutcome::EmploymentUnsubsidised,
            },
        )
        .await
        .expect("exit");
    let list = h.app.follow_ups(&ctx, id).await.expect("scheduled");
    let due: Vec<(i8, jiff::civil::Date)> =
        list.iter().map(|f| (f.months_after, f.due_on)).collect();
    assert_eq!(due, vec![(3, date(2027, 2, 24)), (6, date(2027, 5, 24))]);

    let is_due = |ctx: palett_app::Ctx| {
        let h = h.clone();
        async move {
            let (items, total) = h
                .app
                .due_follow_ups(&ctx, Page::new(None, Some(100)))
                .await
                .expect("due list");
            assert_eq!(items.len() as i64, total.min(100));
            items.iter().any(|d| d.follow_up.participant_id == id)
        }
    };
    assert!(!is_due(ctx.clone()).await, "not due for three months");
    // Ten days before it falls due, it is on Kim's list.
    h.advance_secs(82 * 24 * 3600);
    assert!(is_due(ctx.clone()).await);
    // Not on the list of a caseworker who may not see her.
    let bo = h.ctx(CIRKELLEDARE).await;
    assert!(!is_due(bo.clone()).await);
    assert!(matches!(
        h.app.follow_ups(&bo, id).await,
        Err(AppError::NotFound)
    ));

    let three = list[0].id;
    let bad = FollowUpInput {
        done_on: "2026-11-01".into(),
        employment: "astronaut".into(),
        studies: "no".into(),
        income_source: String::new(),
    };
    match h.app.record_follow_up(&ctx, id, three, &bad).await {
        Err(AppError::Invalid(e)) => {
            let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, vec!["done_on", "employment", "income_source"]);
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    let ok = FollowUpInput {
        done_on: "2027-02-15".into(),
        employment: "part_time".into(),
        studies: "no".into(),
        income_source: "salary".into(),
    };
    assert!(matches!(
        h.app.record_follow_up(&bo, id, three, &ok).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        h.app.record_follow_up(&ctx, id, 999_999, &ok).await,
        Err(AppError::NotFound)
    ));
    h.app
        .record_follow_up(&ctx, id, three, &ok)
        .await
        .expect("record");
    let done = h.app.follow_ups(&ctx, id).await.expect("list")[0]
        .done
        .clone()
        .expect("done");
    assert_eq!(
        (done.employment, done.income_source),
        (Employment::PartTime, IncomeSource::Salary)
    );
    assert!(!is_due(ctx.clone()).await, "done is off the list");

    // Reopened (by a coordinator): the follow-up not done goes, the one
    // done stays.
    let coordinator = h.ctx(KOMMUN_COORDINATOR).await;
    h.app
        .transition(
            &coordinator,
            id,
            Transition::Reopen {
                on: date(2027, 2, 15),
                reason: "Ville fortsätta".into(),
            },
        )
        .await
        .expect("reopen");
    let left: Vec<i8> = h
        .app
        .follow_ups(&ctx, id)
        .await
        .expect("list")
        .iter()
        .map(|f| f.months_after)
        .collect();
    assert_eq!(left, vec![3]);
}
