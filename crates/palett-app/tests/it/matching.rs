//! Matching with reasons through the store: who may be a candidate (her
//! employer-contact consent, the caller's access), the interests her plan
//! records, and the order and reasons of both lists.

use crate::harness::*;
use jiff::civil::date;
use palett_app::filters::AuditFilter;
use palett_app::paging::Page;
use palett_app::Ctx;
use palett_domain::consent::ConsentInput;
use palett_domain::lifecycle::Transition;
use palett_domain::matching::Reason;
use palett_domain::opening::OpeningInput;
use palett_domain::plan::PlanInput;

fn opening(ssyk: &str, title: &str, responsible: i64) -> OpeningInput {
    OpeningInput {
        kind: "internship".into(),
        title: title.into(),
        ssyk: ssyk.into(),
        places: "2".into(),
        start_date: "2027-01-11".into(),
        end_date: "2027-02-12".into(),
        swedish_level: "beginner".into(),
        responsible_organisation_id: responsible.to_string(),
        ..OpeningInput::default()
    }
}

async fn candidate_ids(h: &H, ctx: &Ctx, opening: i64) -> Vec<i64> {
    let (_, list, total) = h
        .app
        .opening_candidates(ctx, opening, Page::new(None, Some(100)))
        .await
        .expect("the candidates");
    assert!(total <= 100, "one page holds them");
    list.iter().map(|c| c.participant.id).collect()
}

pub(crate) async fn only_consenting_participants_in_reach_are_candidates(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let larare = h.ctx(LARARE).await;
    let coordinator = h.ctx(COORDINATOR).await;
    let tumba = {
        let (list, _) = h
            .app
            .employers(
                &coordinator,
                &palett_app::employers::EmployerFilter {
                    q: Some("Tumba".into()),
                    ..Default::default()
                },
                Page::new(None, None),
            )
            .await
            .expect("the registry");
        list[0].id
    };
    let cashier = h
        .app
        .create_opening(
            &coach,
            tumba,
            opening("5230", "Praktik i kassan", kommun).parse(),
        )
        .await
        .expect("an opening in sales");

    // Amal: enrolled, interested in sales, Swedish unknown.
    let amal = h.register_amal(&coach, kommun).await;
    h.app
        .transition(
            &coach,
            amal,
            Transition::Intake {
                on: date(2026, 11, 20),
            },
        )
        .await
        .expect("intake");
    let plan = PlanInput {
        interest: vec!["sales".into()],
        ..PlanInput::default()
    };
    h.app
        .submit_plan(&coach, amal, &plan)
        .await
        .expect("her plan");

    // Without her employer-contact consent she is no candidate.
    assert!(!candidate_ids(&h, &coach, cashier).await.contains(&amal));
    let her = h
        .app
        .openings_for_participant(&coach, amal, Page::new(None, Some(100)))
        .await
        .expect("her openings");
    assert!(!her.may_be_proposed);
    assert_eq!(her.interests, vec!["sales"]);

    let consent = h
        .app
        .submit_consent(
            &coach,
            amal,
            &ConsentInput {
                kind: "employer_contact".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-24".into(),
                ..Default::default()
            },
        )
        .await
        .expect("her employer-contact consent");
    let (_, list, _) = h
        .app
        .opening_candidates(&coach, cashier, Page::new(None, Some(100)))
        .await
        .expect("the candidates");
    let row = list
        .iter()
        .find(|c| c.participant.id == amal)
        .expect("Amal is a candidate now");
    assert_eq!(
        row.matched.reasons,
        vec![
            Reason::Interested,
            Reason::SwedishUnknown,
            Reason::Available
        ]
    );
    assert_eq!(row.matched.score, 4);
    assert_eq!(
        list[0].participant.id, amal,
        "no demo participant scores higher"
    );

    // Another organisation's caseworker without a relation to her does not
    // see her, not even as a candidate.
    assert!(!candidate_ids(&h, &larare, cashier).await.contains(&amal));
    assert!(candidate_ids(&h, &coordinator, cashier)
        .await
        .contains(&amal));

    // Withdrawn, she is gone from the list at once.
    h.app
        .withdraw_consent(&coach, consent, Some("Vill inte kontaktas."))
        .await
        .expect("withdrawn");
    assert!(!candidate_ids(&h, &coach, cashier).await.contains(&amal));
    assert!(
        !h.app
            .openings_for_participant(&coach, amal, Page::new(None, None))
            .await
            .expect("her openings")
            .may_be_proposed
    );

    // Looking for candidates is in the log, under the opening.
    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter::default(),
            Page::new(None, Some(100)),
        )
        .await;
    assert!(log
        .iter()
        .any(|e| e.action == "opening.candidates" && e.entity_id == Some(cashier)));
    for who in [EVALUATOR, ADMIN] {
        forbidden(
            h.app
                .opening_candidates(&h.ctx(who).await, cashier, Page::new(None, None))
                .await,
        );
    }
    not_found(
        h.app
            .opening_candidates(&coach, 99_999, Page::new(None, None))
            .await,
    );
}

pub(crate) async fn her_openings_are_ranked_by_her_plan_with_reasons(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let employer = h
        .app
        .create_employer(
            &coach,
            palett_domain::employer::EmployerInput {
                name: "Provbutiken AB".into(),
                org_number: "212000-0142".into(),
                industry: "G".into(),
                municipality: "Botkyrka".into(),
                address: "".into(),
                owner_organisation_id: kommun.to_string(),
            }
            .parse(),
        )
        .await
        .expect("an employer");
    let cashier = h
        .app
        .create_opening(&coach, employer, opening("5230", "Kassa", kommun).parse())
        .await
        .expect("sales");
    let cleaning = h
        .app
        .create_opening(&coach, employer, opening("9111", "Städ", kommun).parse())
        .await
        .expect("cleaning");
    let amal = h.register_amal(&coach, kommun).await;
    h.app
        .transition(
            &coach,
            amal,
            Transition::Intake {
                on: date(2026, 11, 20),
            },
        )
        .await
        .expect("intake");
    h.app
        .submit_plan(
            &coach,
            amal,
            &PlanInput {
                interest: vec!["sales".into()],
                ..PlanInput::default()
            },
        )
        .await
        .expect("her plan");
    let her = h
        .app
        .openings_for_participant(&coach, amal, Page::new(None, Some(100)))
        .await
        .expect("her openings");
    let position = |id: i64| her.items.iter().position(|(o, _)| o.id == id);
    let (sales, clean) = (
        position(cashier).expect("listed"),
        position(cleaning).expect("listed"),
    );
    assert!(sales < clean, "her interest ranks the sales opening first");
    assert_eq!(her.items[sales].1.reasons[0], Reason::Interested);
    assert_eq!(her.items[clean].1.reasons[0], Reason::OtherInterests);
    assert_eq!(her.items[sales].1.score - her.items[clean].1.score, 3);
    // Closed and filled openings are not offered to her.
    assert!(her
        .items
        .iter()
        .all(|(o, _)| o.status == palett_domain::opening::OpeningStatus::Open));
    // A new plan without interests: no interest reason any more.
    h.app
        .submit_plan(
            &coach,
            amal,
            &PlanInput {
                goal_text: vec!["Jag vill arbeta".into()],
                goal_category: vec!["work".into()],
                ..PlanInput::default()
            },
        )
        .await
        .expect("a new version");
    let her = h
        .app
        .openings_for_participant(&coach, amal, Page::new(None, Some(100)))
        .await
        .expect("her openings");
    assert!(her.interests.is_empty());
    assert!(her
        .items
        .iter()
        .all(|(_, m)| m.reasons[0] == Reason::NoInterests));
    // Someone who may not read her does not learn her openings.
    not_found(
        h.app
            .openings_for_participant(&h.ctx(LARARE).await, amal, Page::new(None, None))
            .await,
    );
}
