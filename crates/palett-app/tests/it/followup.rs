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

/// A caseworker who tried and could not reach her closes the follow-up as
/// not reached: it leaves the list of those due and the worklist, it stays
/// in the base of the share followed up without counting as followed up,
/// and a later record (she got in touch) replaces the mark.
pub(crate) async fn a_follow_up_she_could_not_be_reached_for_is_closed_as_such(h: H) {
    use palett_app::dashboard::Dashboard;
    use palett_app::filters::AuditFilter;
    use palett_app::projects::ProjectInput;
    use palett_domain::followup::NotReachedInput;
    use palett_domain::indicators::Indicator;
    use palett_domain::worklist::WorkItem;

    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(COORDINATOR).await;
    let ctx = signed.ctx(IP);
    // The follow-ups of the demo's seed years are done or closed as not
    // reached: the one due today is of a woman who ended lately.
    let (demo_due, total) = h
        .app
        .due_follow_ups(&ctx, Page::new(None, Some(10)))
        .await
        .expect("due list");
    assert_eq!(total, 1);
    assert!(
        demo_due.iter().all(|d| d.follow_up.due_on.year() >= 2026),
        "none of the seeds' years: {:?}",
        demo_due
            .iter()
            .map(|d| d.follow_up.due_on)
            .collect::<Vec<_>>()
    );
    let project = h
        .app
        .submit_project(
            &admin,
            &ProjectInput {
                name: "Uppföljningsprojektet".into(),
                funder: "Testfonden".into(),
                start_date: "2026-01-01".into(),
                end_date: "2027-12-31".into(),
                ..ProjectInput::default()
            },
        )
        .await
        .expect("project");
    // Two who ended on 10 August: their 3-month follow-ups fell due on
    // 10 November, before today (25 November).
    let mut ids = Vec::new();
    for name in ["Nåbar", "Onåbar"] {
        let input = palett_domain::model::ParticipantInput {
            identity_kind: "birth_date".into(),
            identity_number: String::new(),
            birth_date: "1984-04-04".into(),
            gender: "woman".into(),
            referred_on: "2026-02-20".into(),
            project_ids: vec![project.to_string()],
            ..h.input(name, "Uppföljd", "", signed.user.organisation_id)
        };
        let id = h.register(&ctx, &input).await;
        for t in [
            Transition::Intake {
                on: date(2026, 3, 2),
            },
            Transition::Exit {
                on: date(2026, 8, 10),
                outcome: ExitOutcome::JobSeeking,
            },
        ] {
            h.app.transition(&ctx, id, t).await.expect("transition");
        }
        ids.push(id);
    }
    let (reached, unreached) = (ids[0], ids[1]);
    let three_months = |id: i64| {
        let h = h.clone();
        let ctx = ctx.clone();
        async move { h.app.follow_ups(&ctx, id).await.expect("follow-ups")[0].clone() }
    };
    let due_ids = || {
        let h = h.clone();
        let ctx = ctx.clone();
        async move {
            let (items, _) = h
                .app
                .due_follow_ups(&ctx, Page::new(None, Some(100)))
                .await
                .expect("due list");
            items
                .iter()
                .map(|d| d.follow_up.participant_id)
                .collect::<Vec<_>>()
        }
    };
    let worklist_due = || {
        let h = h.clone();
        let ctx = ctx.clone();
        async move {
            h.app
                .worklist(&ctx)
                .await
                .expect("worklist")
                .iter()
                .find(|l| l.item == WorkItem::FollowUpsDue)
                .map_or(0, |l| l.count)
        }
    };
    let followed_up = || {
        let h = h.clone();
        let ctx = ctx.clone();
        async move {
            let d: Dashboard = h
                .app
                .dashboard(&ctx, Some(project), None, None)
                .await
                .expect("dashboard");
            let f = d
                .figures
                .iter()
                .find(|f| f.indicator == Indicator::ShareFollowedUp)
                .expect("share followed up");
            (f.value, f.count, f.base)
        }
    };
    let due = due_ids().await;
    assert!(due.contains(&reached) && due.contains(&unreached));
    let work_before = worklist_due().await;
    assert_eq!(followed_up().await, (Some(0.0), 0, Some(2)));

    // Refused per field: a day in the future, a day before her exit.
    let f = three_months(unreached).await;
    for (tried_on, code) in [
        ("2026-11-26", "error-date-future"),
        ("2026-08-09", "error-follow-up-before-exit"),
        ("", "error-required"),
    ] {
        let input = NotReachedInput {
            tried_on: tried_on.into(),
            note: String::new(),
        };
        match h
            .app
            .mark_follow_up_not_reached(&ctx, unreached, f.id, &input)
            .await
        {
            Err(AppError::Invalid(e)) => {
                let fields: Vec<(&str, &str)> =
                    e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
                assert_eq!(fields, vec![("tried_on", code)], "{tried_on:?}");
            }
            other => panic!("{tried_on:?}: expected a field error, got {other:?}"),
        }
    }
    // Not her follow-up, or not one the caller may change: not found.
    let mark = NotReachedInput {
        tried_on: "2026-11-13".into(),
        note: "Ringt två gånger, sms utan svar".into(),
    };
    assert!(matches!(
        h.app
            .mark_follow_up_not_reached(&ctx, reached, f.id, &mark)
            .await,
        Err(AppError::NotFound)
    ));
    let outsider = h.ctx(CIRKELLEDARE).await;
    assert!(matches!(
        h.app
            .mark_follow_up_not_reached(&outsider, unreached, f.id, &mark)
            .await,
        Err(AppError::NotFound)
    ));
    assert_eq!(three_months(unreached).await.not_reached, None);

    h.app
        .mark_follow_up_not_reached(&ctx, unreached, f.id, &mark)
        .await
        .expect("closed as not reached");
    let closed = three_months(unreached).await;
    assert_eq!(closed.done, None);
    assert_eq!(
        closed.not_reached,
        Some(palett_domain::followup::NotReached {
            tried_on: date(2026, 11, 13),
            note: Some("Ringt två gånger, sms utan svar".into()),
        })
    );
    // Off the list of those due and the worklist; the other one stays.
    let due = due_ids().await;
    assert!(due.contains(&reached));
    assert!(!due.contains(&unreached), "not reached is off the due list");
    assert_eq!(worklist_due().await, work_before - 1);
    // Not followed up, still in the base: she was due.
    assert_eq!(followed_up().await, (Some(0.0), 0, Some(2)));
    // Audited like recording one.
    let log = h
        .audit_log(
            &ctx,
            &AuditFilter {
                participant_id: Some(unreached),
                action: Some("participant.follow_up_not_reached".into()),
                ..AuditFilter::default()
            },
            Page::new(None, Some(10)),
        )
        .await;
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].entity.as_str(), log[0].entity_id),
        ("follow_up", Some(f.id))
    );

    // She gets in touch: the record replaces the mark and she counts.
    h.app
        .record_follow_up(
            &ctx,
            unreached,
            f.id,
            &FollowUpInput {
                done_on: "2026-11-20".into(),
                employment: "part_time".into(),
                studies: "no".into(),
                income_source: "salary".into(),
            },
        )
        .await
        .expect("recorded after all");
    let done = three_months(unreached).await;
    assert_eq!(done.not_reached, None);
    assert_eq!(
        done.done.as_ref().map(|r| (r.done_on, r.employment)),
        Some((date(2026, 11, 20), Employment::PartTime))
    );
    assert_eq!(followed_up().await, (Some(50.0), 1, Some(2)));
    // Once she was reached, "not reached" is refused on the day field.
    match h
        .app
        .mark_follow_up_not_reached(&ctx, unreached, f.id, &mark)
        .await
    {
        Err(AppError::Invalid(e)) => assert_eq!(
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code))
                .collect::<Vec<_>>(),
            vec![("tried_on", "error-follow-up-already-done")]
        ),
        other => panic!("expected a field error, got {other:?}"),
    }
    assert_eq!(three_months(unreached).await, done, "the record stands");
}
