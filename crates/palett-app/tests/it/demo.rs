//! The demo partnership's figures, as product.md describes them.

use crate::harness::*;
use palett_app::demo::DEMO_USERS;
use palett_app::paging::Page;
use palett_store::participant::Filter;

pub(crate) async fn demo_totals_match_the_product_description(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let overview = h.app.overview(&coordinator).await.expect("overview");
    assert_eq!(overview.partnership.name, "IOP Kvinna i Botkyrka");
    let names: Vec<&str> = overview
        .projects
        .iter()
        .map(|(p, _)| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Tillväxt Kvinna",
            "Svenska i butik",
            "Kvinna inför arbete",
            "Vidare mot arbete"
        ]
    );

    let (tk, s) = overview
        .projects
        .iter()
        .find(|(p, _)| p.name == TILLVAXT_KVINNA)
        .expect("Tillväxt Kvinna is in the overview");
    assert_eq!(s.project_id, tk.id);
    assert_eq!(s.enrolled, 267);
    assert_eq!(s.participant_target, Some(360));
    assert_eq!(s.ended, 247);
    assert_eq!(s.ended_to_job_or_studies, 42);
    assert_eq!(s.share_to_job_or_studies, Some(17.0));
    assert_eq!(s.job_or_studies_target, Some(20.0));
    assert_eq!(s.enrolled_of_target, Some(74.2));
    assert_eq!(s.meets_job_or_studies_target(), Some(false));
    assert_eq!(
        s.active, 0,
        "the 20 still in the programme at its end ended after it"
    );

    // The project without participants has figures of nothing, not an error.
    let (_, kia) = overview
        .projects
        .iter()
        .find(|(p, _)| p.name == "Kvinna inför arbete")
        .expect("Kvinna inför arbete is in the overview");
    assert_eq!(
        (kia.enrolled, kia.ended, kia.share_to_job_or_studies),
        (0, 0, None)
    );

    let (p, one) = h
        .app
        .project_summary(&coordinator, tk.id)
        .await
        .expect("Tillväxt Kvinna's summary");
    assert_eq!((&p, &one), (tk, s));

    // Svenska i butik's five-week internships of spring 2021: six women,
    // each in her place from 12 April to 14 May, some of them on to the
    // jobs among Tillväxt Kvinna's 42, their exits naming the internship.
    let (sib, _) = overview
        .projects
        .iter()
        .find(|(p, _)| p.name == "Svenska i butik")
        .expect("Svenska i butik is in the overview");
    let dash = h
        .app
        .dashboard(&coordinator, Some(sib.id), None, None)
        .await
        .expect("its dashboard");
    let count = |i: palett_domain::indicators::Indicator| {
        dash.figures
            .iter()
            .find(|f| f.indicator == i)
            .map(|f| (f.count, f.base))
    };
    use palett_domain::indicators::Indicator as I;
    assert_eq!(count(I::InternshipsStarted), Some((6, None)));
    assert_eq!(count(I::InternshipsCompleted), Some((6, None)));
    // Two of them had a job at Tumba Livs from 1 June, 18 days after.
    assert_eq!(count(I::ShareJobAfterInternship), Some((2, Some(6))));
    let (list, _) = h
        .app
        .participants(
            &coordinator,
            &Filter {
                project_id: Some(sib.id),
                ..Default::default()
            },
            palett_app::paging::Page::new(None, Some(100)),
        )
        .await
        .expect("the course's participants");
    let mut linked = 0;
    for p in &list {
        let v = h
            .app
            .participant(&coordinator, p.id)
            .await
            .expect("her record");
        if let Some(to) = v.exit_to {
            assert!(to
                .placement_title
                .is_some_and(|t| t.contains("Svenska i butik")));
            assert!(v.participant.state.exit_outcome.is_some_and(|o| o.is_job()));
            linked += 1;
        }
    }
    assert_eq!(linked, 2, "exits to a job through the internships");

    let unknown = overview
        .projects
        .iter()
        .map(|(p, _)| p.id)
        .max()
        .unwrap_or(0)
        + 1000;
    not_found(h.app.project_summary(&coordinator, unknown).await);

    demo_questionnaire_shows_change(&h, &coordinator, tk.id).await;
}

/// The egenmakt questionnaire: published, scheduled in Tillväxt Kvinna,
/// answered at intake and at exit, the scores higher at exit on average.
async fn demo_questionnaire_shows_change(h: &H, ctx: &palett_app::Ctx, tk: i64) {
    use palett_app::questionnaire_results::Cell;
    use palett_domain::wave::WaveKey;
    let list = h.app.instruments(ctx).await.expect("instruments");
    let egenmakt = list
        .iter()
        .find(|i| i.name == palett_app::demo::EGENMAKT)
        .expect("the demo's questionnaire");
    assert_eq!(egenmakt.title, "Egenmakt och livsutrymme");
    assert_eq!((egenmakt.published, egenmakt.draft), (Some(1), None));
    assert!(!egenmakt.builtin);
    let page = h.app.instrument(ctx, egenmakt.id).await.expect("its page");
    assert_eq!(
        page.versions[0].definition,
        palett_app::demo::egenmakt_instrument()
    );
    let schedule = page
        .schedules
        .iter()
        .find(|s| s.project_id == tk)
        .expect("scheduled in Tillväxt Kvinna");
    assert!(schedule.at_intake && schedule.at_exit);
    assert_eq!(schedule.follow_up_months, Some(6));

    let results = h
        .app
        .questionnaire_results(ctx, egenmakt.id, None)
        .await
        .expect("its results");
    let answered = |key: WaveKey| {
        let wave = results
            .waves
            .iter()
            .find(|w| w.wave.as_ref() == Some(&key))
            .unwrap_or_else(|| panic!("answers at {key:?}"));
        match wave.answered {
            Cell::Count(n) => (n, wave.fallen_due.unwrap_or(0)),
            Cell::Few => panic!("few answers at {key:?}"),
        }
    };
    let (intake, intake_due) = answered(WaveKey::Intake);
    let (exit, exit_due) = answered(WaveKey::Exit);
    assert_eq!(
        intake_due,
        267 + 30,
        "every woman's intake wave has fallen due, in Tillväxt Kvinna and Vidare mot arbete"
    );
    assert_eq!(
        exit_due,
        267 + 6,
        "every ended woman's exit wave has fallen due"
    );
    assert!(
        (130..=190).contains(&intake),
        "about 60 % answered at intake: {intake}"
    );
    assert!(exit > 0 && exit < intake, "fewer answered at exit: {exit}");
    assert_eq!(results.waves.len(), 2, "only the intake and exit waves");
    assert_eq!(egenmakt.responses, intake + exit);
    for label in ["Egenmakt", "Livsutrymme"] {
        let row = results
            .change
            .iter()
            .find(|r| r.group.is_none() && r.score == label)
            .unwrap_or_else(|| panic!("the change of {label}"));
        // Every exit response has one at intake before it.
        assert_eq!(row.n, Cell::Count(exit), "{label}");
        assert!(exit >= 10, "intake and exit pairs: {exit}");
        let change = row.change.expect("a mean change");
        assert!(
            (0.3..=1.2).contains(&change),
            "{label} rises from intake to exit: {change}"
        );
    }
}

pub(crate) async fn seeding_twice_changes_nothing(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let participants = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await;
    assert_eq!(
        participants.len(),
        267 + 6 + 30,
        "267 in Tillväxt Kvinna, 6 waiting referrals, 30 in Vidare mot arbete"
    );
    let staff = h.app.staff(&coordinator).await.expect("staff");
    assert_eq!(staff.len(), DEMO_USERS.len());
    let before = h.app.overview(&coordinator).await.expect("overview");

    assert!(
        !h.app.seed_demo().await.expect("seeding again"),
        "the second seeding reports false"
    );

    let after = h.app.overview(&coordinator).await.expect("overview");
    assert_eq!(after.projects, before.projects, "no figure changed");
    assert_eq!(
        h.all_participant_ids(&coordinator, &Filter::default())
            .await,
        participants
    );
    assert_eq!(
        h.app.staff(&coordinator).await.expect("staff").len(),
        DEMO_USERS.len()
    );
    let mut c = h.app.raw_db().read().await.expect("connection");
    for table in ["partnerships", "projects", "organisations", "users"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *c)
            .await
            .expect("count");
        let expected = match table {
            "partnerships" => 1,
            // The seeds' three and one running on the demo's day.
            "projects" => 4,
            "organisations" => 6,
            _ => DEMO_USERS.len() as i64,
        };
        assert_eq!(n, expected, "rows in {table}");
    }
}

pub(crate) async fn the_demo_referrals_follow_the_intakes(h: H) {
    use palett_app::referrals::{ReferralFilter, Side};
    use palett_domain::referral::ReferralState;
    h.seed().await;
    let hm = h.ctx(COORDINATOR).await;
    let all = |waiting| ReferralFilter {
        side: Side::Incoming,
        state: None,
        stale_on: None,
        waiting,
        answered_since: None,
        partner: None,
        sent_within: None,
        reached: None,
    };
    // The six from Botkyrka kommun wait for intake at Hela Människan.
    let waiting = h
        .app
        .referrals(&hm, &all(true), Page::new(None, Some(100)))
        .await
        .expect("waiting");
    assert_eq!(waiting.total, 6);
    assert!(waiting
        .items
        .iter()
        .all(|(r, _)| r.from_name.as_deref() == Some(BOTKYRKA_KOMMUN)
            && r.state == ReferralState::Received));
    // Every other one was accepted before her intake and started in an
    // intervention of Hela Människan, or is still accepted.
    let mut page = 1;
    let mut seen = 0;
    loop {
        let list = h
            .app
            .referrals(&hm, &all(false), Page::new(Some(page), Some(100)))
            .await
            .expect("incoming");
        for (r, _) in &list.items {
            seen += 1;
            assert!(r.sent_on <= r.state_on, "{r:?}");
            match r.state {
                ReferralState::Started | ReferralState::Completed => {
                    assert!(r.enrolment_id.is_some(), "{r:?}")
                }
                ReferralState::Received | ReferralState::Accepted => {}
                other => panic!("a demo referral ended {other:?}"),
            }
        }
        if list.items.len() < 100 {
            break;
        }
        page += 1;
    }
    assert!(
        seen > 100,
        "most of Hela Människan's women came by referral: {seen}"
    );
}

/// The demo lives on its day: nothing of the seeds' period is left hanging
/// (no one taking part since 2021, no follow-up years overdue, no referral
/// waiting for years), and the project running on the demo's day has women
/// taken in lately, exits with follow-ups falling due now and sessions this
/// week.
pub(crate) async fn the_demo_lives_on_its_day(h: H) {
    use jiff::ToSpan;
    use palett_app::referrals::{ReferralFilter, Side};
    h.seed().await;
    let today = h.app.today();
    let coordinator = h.ctx(COORDINATOR).await;
    let tk = h.project_id(&coordinator, TILLVAXT_KVINNA).await;

    // The twenty still in Tillväxt Kvinna at its end finished within the
    // half year after it; the period's own figures are the seeds'.
    let after = h
        .all_participant_ids(
            &coordinator,
            &Filter {
                project_id: Some(tk),
                ..Default::default()
            },
        )
        .await;
    let mut ended_after = 0;
    for id in &after {
        let v = h.read(&coordinator, *id).await;
        let exit = v.participant.state.exit_date.expect("every woman ended");
        if exit > jiff::civil::date(2021, 10, 31) {
            assert!(
                exit <= jiff::civil::date(2022, 6, 30),
                "by mid-2022: {exit}"
            );
            ended_after += 1;
        }
    }
    assert_eq!(after.len(), 267);
    assert_eq!(ended_after, 20);

    // Vidare mot arbete: thirty taken in over the last half year, six
    // ended, three of them to job or studies.
    let vidare = h.summary(&coordinator, "Vidare mot arbete").await;
    assert_eq!(
        (
            vidare.enrolled,
            vidare.ended,
            vidare.ended_to_job_or_studies
        ),
        (30, 6, 3)
    );
    assert_eq!(vidare.active + 6, 30, "the others take part (some paused)");

    // No one in the programme has a planned period passed by months.
    let long_passed = h
        .all_participant_ids(
            &coordinator,
            &Filter {
                planned_end_within: Some((
                    jiff::civil::date(2000, 1, 1),
                    today.checked_sub(60.days()).expect("a day"),
                )),
                ..Default::default()
            },
        )
        .await;
    assert!(long_passed.is_empty(), "{long_passed:?}");

    // Follow-ups: none overdue from past years; one fell due this week.
    let (due, total) = h
        .app
        .due_follow_ups(&coordinator, Page::new(None, Some(100)))
        .await
        .expect("due follow-ups");
    assert!(total >= 1, "a follow-up waits on the worklist");
    let month_ago = today.checked_sub(30.days()).expect("a day");
    assert!(
        due.iter().all(|d| d.follow_up.due_on >= month_ago),
        "nothing long overdue: {:?}",
        due.iter().map(|d| d.follow_up.due_on).collect::<Vec<_>>()
    );

    // The referrals waiting for intake were sent in the last three weeks.
    let waiting = h
        .app
        .referrals(
            &coordinator,
            &ReferralFilter {
                side: Side::Incoming,
                state: None,
                stale_on: None,
                waiting: true,
                answered_since: None,
                partner: None,
                sent_within: None,
                reached: None,
            },
            Page::new(None, Some(100)),
        )
        .await
        .expect("referrals");
    assert_eq!(waiting.total, 6);
    let three_weeks_ago = today.checked_sub(21.days()).expect("a day");
    assert!(waiting
        .items
        .iter()
        .all(|(r, _)| r.sent_on >= three_weeks_ago && r.sent_on <= today));
    // No placement of the seeds' years waits for its final review.
    let review_due = h
        .all_participant_ids(
            &coordinator,
            &Filter {
                placement_review_due_on: Some(today),
                ..Default::default()
            },
        )
        .await;
    assert!(review_due.is_empty(), "{review_due:?}");

    // Today's, yesterday's and tomorrow's groups meet this week: the
    // language café's leader has sessions waiting for their attendance.
    let leader = h.ctx(CIRKELLEDARE).await;
    let work = h.app.worklist(&leader).await.expect("her worklist");
    assert!(
        work.iter().any(|l| l.count > 0),
        "the café's leader has things to do today: {work:?}"
    );
}
