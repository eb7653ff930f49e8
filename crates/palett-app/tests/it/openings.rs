//! Openings: added to active employers, listed with filters, changed and
//! given a status by the responsible partner, all audited.

use crate::harness::*;
use palett_app::employers::EmployerFilter;
use palett_app::filters::AuditFilter;
use palett_app::openings::OpeningFilter;
use palett_app::paging::Page;
use palett_app::Ctx;
use palett_domain::opening::{OpeningInput, OpeningKind, OpeningStatus, OpeningStatusInput};

async fn employer_named(h: &H, ctx: &Ctx, name: &str) -> i64 {
    let (list, _) = h
        .app
        .employers(
            ctx,
            &EmployerFilter {
                q: Some(name.into()),
                include_inactive: true,
                ..EmployerFilter::default()
            },
            Page::new(None, None),
        )
        .await
        .expect("the registry");
    list.first().map(|e| e.id).expect("a demo employer")
}

fn internship(responsible: i64) -> OpeningInput {
    OpeningInput {
        kind: "internship".into(),
        title: "Praktik i kassan".into(),
        ssyk: "5230".into(),
        places: "2".into(),
        start_date: "2026-12-07".into(),
        end_date: "2027-01-15".into(),
        hours_per_week: "25".into(),
        swedish_level: "beginner".into(),
        responsible_organisation_id: responsible.to_string(),
        ..OpeningInput::default()
    }
}

async fn titles(h: &H, ctx: &Ctx, f: OpeningFilter) -> Vec<String> {
    let (list, total) = h
        .app
        .openings(ctx, &f, Page::new(None, Some(100)))
        .await
        .expect("the openings");
    assert_eq!(list.len() as i64, total, "one page holds them all");
    list.into_iter().map(|o| o.title).collect()
}

pub(crate) async fn openings_are_offered_listed_and_filled_by_their_partner(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let larare = h.signed(LARARE).await;
    let school = larare.user.organisation_id;
    let larare = larare.ctx(IP);
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let tumba = employer_named(&h, &coordinator, "Tumba Livs").await;

    // A teacher offers an internship for her school.
    let id = h
        .app
        .create_opening(&larare, tumba, internship(school).parse())
        .await
        .expect("offered");
    let v = h.app.opening(&coach, id).await.expect("seen by all staff");
    assert_eq!(v.opening.employer_name, "Tumba Livs AB");
    assert_eq!(v.opening.status, OpeningStatus::Open);
    assert_eq!(v.opening.area, "sales");
    assert_eq!(v.opening.minutes_per_week, Some(1500));
    assert!(
        !v.may_change,
        "another partner's caseworker does not change it"
    );

    // What cannot be offered is refused by field.
    assert_invalid(
        h.app
            .create_opening(
                &larare,
                tumba,
                OpeningInput {
                    kind: "job".into(),
                    ..internship(school)
                }
                .parse(),
            )
            .await,
        "employment_form",
        "error-required",
    );
    assert_invalid(
        h.app
            .create_opening(&larare, tumba, internship(kommun).parse())
            .await,
        "responsible_organisation_id",
        "error-choice",
    );
    let bakery = employer_named(&h, &coordinator, "Salems Bageri").await;
    assert_invalid(
        h.app
            .create_opening(&coordinator, bakery, internship(school).parse())
            .await,
        "employer_id",
        "error-employer-inactive",
    );
    not_found(
        h.app
            .create_opening(&coordinator, 99_999, internship(school).parse())
            .await,
    );

    // The list: open ones, by kind, area and text.
    let open = OpeningFilter {
        status: Some(OpeningStatus::Open),
        ..OpeningFilter::default()
    };
    let open_titles = titles(&h, &coach, open.clone()).await;
    assert!(open_titles.contains(&"Praktik i kassan".to_string()));
    assert!(
        !open_titles.iter().any(|t| t.contains("Svenska i butik")),
        "filled ones are not open"
    );
    assert_eq!(
        titles(
            &h,
            &coach,
            OpeningFilter {
                kind: Some(OpeningKind::Internship),
                area: Some("sales".into()),
                ..open.clone()
            }
        )
        .await,
        vec!["Praktik i kassan"]
    );
    assert_eq!(
        titles(
            &h,
            &coach,
            OpeningFilter {
                q: Some("TUMBA".into()),
                employer_id: Some(tumba),
                ..OpeningFilter::default()
            }
        )
        .await,
        vec![
            "Praktik i butik, Svenska i butik",
            "Butikssäljare, introduktionsjobb",
            "Praktik i kassan"
        ],
        "by start date"
    );

    // Only the responsible partner's staff and coordinators change it.
    let status = |s: &str| OpeningStatusInput { status: s.into() }.parse();
    forbidden(h.app.set_opening_status(&coach, id, status("filled")).await);
    forbidden(
        h.app
            .update_opening(&coach, id, internship(school).parse())
            .await,
    );
    h.app
        .update_opening(
            &larare,
            id,
            OpeningInput {
                places: "3".into(),
                ..internship(school)
            }
            .parse(),
        )
        .await
        .expect("changed by its partner");
    assert_invalid(
        h.app
            .set_opening_status(&coordinator, id, status("taken"))
            .await,
        "status",
        "error-choice",
    );
    h.app
        .set_opening_status(&coordinator, id, status("filled"))
        .await
        .expect("filled by a coordinator");
    let v = h.app.opening(&coach, id).await.expect("the opening");
    assert_eq!(
        (v.opening.places, v.opening.status),
        (3, OpeningStatus::Filled)
    );
    assert!(!titles(&h, &coach, open)
        .await
        .contains(&"Praktik i kassan".to_string()));

    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter::default(),
            Page::new(None, Some(100)),
        )
        .await;
    let of_it: Vec<&str> = log
        .iter()
        .filter(|e| e.entity == "opening" && e.entity_id == Some(id))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        of_it,
        vec!["opening.status", "opening.update", "opening.create"]
    );

    // Others do not reach openings at all.
    for who in [EVALUATOR, ADMIN, AF] {
        let ctx = h.ctx(who).await;
        forbidden(h.app.opening(&ctx, id).await);
        forbidden(
            h.app
                .openings(&ctx, &OpeningFilter::default(), Page::new(None, None))
                .await,
        );
    }
    let mut outside = coordinator.clone();
    outside.actor.partnership_id += 1000;
    not_found(h.app.opening(&outside, id).await);
    assert!(titles(&h, &outside, OpeningFilter::default())
        .await
        .is_empty());
}
