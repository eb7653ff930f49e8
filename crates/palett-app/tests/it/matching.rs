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

/// Provbutiken AB, an employer owned by `org`.
async fn provbutiken(h: &H, ctx: &Ctx, org: i64) -> i64 {
    h.app
        .create_employer(
            ctx,
            palett_domain::employer::EmployerInput {
                name: "Provbutiken AB".into(),
                org_number: "212000-0142".into(),
                industry: "G".into(),
                municipality: "Botkyrka".into(),
                address: "".into(),
                owner_organisation_id: org.to_string(),
            }
            .parse(),
        )
        .await
        .expect("an employer")
}

/// Amal Testsson of `org`, enrolled on 2026-11-20.
async fn enrolled_amal(h: &H, ctx: &Ctx, org: i64) -> i64 {
    let amal = h.register_amal(ctx, org).await;
    h.app
        .transition(
            ctx,
            amal,
            Transition::Intake {
                on: date(2026, 11, 20),
            },
        )
        .await
        .expect("intake");
    amal
}

/// The project "Vägen till jobb" (2026) and its intervention "Praktik hos
/// arbetsgivare", provided by `org`.
async fn project_with_internship(h: &H, admin: &Ctx, ctx: &Ctx, org: i64) -> (i64, i64) {
    let project = h
        .app
        .submit_project(
            admin,
            &palett_domain::admin::ProjectInput {
                name: "Vägen till jobb".into(),
                funder: "ESF+".into(),
                start_date: "2026-01-01".into(),
                end_date: "2026-12-31".into(),
                ..Default::default()
            },
        )
        .await
        .expect("a project");
    let internship = h
        .app
        .submit_intervention(
            ctx,
            &palett_domain::palette::InterventionInput {
                name: "Praktik hos arbetsgivare".into(),
                kind: "internship".into(),
                provider_organisation_id: org.to_string(),
                group_based: "false".into(),
                project_id: project.to_string(),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("an internship intervention");
    (project, internship)
}

/// A key figure of a dashboard: value, count and base.
fn key_figure(
    d: &palett_app::dashboard::Dashboard,
    i: palett_domain::indicators::Indicator,
) -> (Option<f64>, i64, Option<i64>) {
    let f = d
        .figures
        .iter()
        .find(|f| f.indicator == i)
        .expect("a key figure");
    (f.value, f.count, f.base)
}

/// The ids of the participants behind a figure of `project`, sorted (one
/// page holds them all).
async fn ids_behind(
    h: &H,
    ctx: &Ctx,
    project: i64,
    figure: &palett_app::dashboard::FigureRef,
) -> Vec<i64> {
    let (list, total) = h
        .app
        .figure_participants(ctx, Some(project), figure, Page::new(None, None))
        .await
        .expect("the list behind the figure");
    let mut ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    assert_eq!(ids.len() as i64, total);
    ids
}

/// The candidates for an opening, ranked (one page holds them).
async fn candidates(h: &H, ctx: &Ctx, opening: i64) -> Vec<palett_app::matching::Candidate> {
    let (_, list, total) = h
        .app
        .opening_candidates(ctx, opening, Page::new(None, Some(100)))
        .await
        .expect("the candidates");
    assert!(total <= 100, "one page holds them");
    list
}

async fn candidate_ids(h: &H, ctx: &Ctx, opening: i64) -> Vec<i64> {
    candidates(h, ctx, opening)
        .await
        .iter()
        .map(|c| c.participant.id)
        .collect()
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
    let amal = enrolled_amal(&h, &coach, kommun).await;
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
    let list = candidates(&h, &coach, cashier).await;
    let row = list
        .iter()
        .find(|c| c.participant.id == amal)
        .expect("Amal is a candidate now");
    assert_eq!(
        row.matched.reasons,
        vec![
            Reason::Interested,
            Reason::SwedishUnknown,
            Reason::PlaceUnknown,
            Reason::Available
        ]
    );
    assert_eq!(row.matched.score, 4);
    // The button to propose is offered exactly where proposing works: for
    // her (her organisation is the coach's), not for another partner's
    // participant the coach sees through a sharing consent.
    assert!(row.may_propose);
    let other = list
        .iter()
        .find(|c| !c.may_propose)
        .expect("a candidate of another partner, seen through sharing");
    assert_ne!(other.participant.responsible_organisation_id, kommun);
    forbidden(h.app.propose(&coach, cashier, other.participant.id).await);
    // Best first; a tie goes to the lower id (the candidates share no
    // opening start to tell them apart).
    let order: Vec<(i32, i64)> = list
        .iter()
        .map(|c| (-c.matched.score, c.participant.id))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);

    // The municipalities her plan says she can get to are weighed against
    // the employer's (Tumba Livs is in Botkyrka), whatever their case.
    for (reach, reason, score) in [
        ("Södertälje", Reason::OutOfReach, 3),
        (" BOTKYRKA", Reason::WithinReach, 5),
    ] {
        h.app
            .submit_plan(
                &coach,
                amal,
                &PlanInput {
                    reach: vec![reach.into()],
                    ..plan.clone()
                },
            )
            .await
            .expect("her plan with a place");
        let list = candidates(&h, &coach, cashier).await;
        let row = list
            .iter()
            .find(|c| c.participant.id == amal)
            .expect("still a candidate");
        assert!(row.matched.reasons.contains(&reason), "{reach}");
        assert_eq!(row.matched.score, score, "{reach}");
    }

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
    let employer = provbutiken(&h, &coach, kommun).await;
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
    let far_employer = h
        .app
        .create_employer(
            &coach,
            palett_domain::employer::EmployerInput {
                name: "Provbutiken Södertälje AB".into(),
                org_number: "559999-0008".into(),
                industry: "G".into(),
                municipality: "Södertälje".into(),
                address: "".into(),
                owner_organisation_id: kommun.to_string(),
            }
            .parse(),
        )
        .await
        .expect("an employer in Södertälje");
    let far = h
        .app
        .create_opening(
            &coach,
            far_employer,
            opening("5230", "Kassa i Södertälje", kommun).parse(),
        )
        .await
        .expect("sales in Södertälje");
    let amal = enrolled_amal(&h, &coach, kommun).await;
    h.app
        .submit_plan(
            &coach,
            amal,
            &PlanInput {
                interest: vec!["sales".into()],
                reach: vec!["botkyrka".into(), "Huddinge".into()],
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
    assert_eq!(her.reach, vec!["botkyrka", "Huddinge"]);
    let position = |id: i64| her.items.iter().position(|(o, _)| o.id == id);
    let (sales, clean, far) = (
        position(cashier).expect("listed"),
        position(cleaning).expect("listed"),
        position(far).expect("listed"),
    );
    assert!(sales < clean, "her interest ranks the sales opening first");
    assert!(sales < far, "the place she can reach ranks first");
    assert_eq!(her.items[sales].1.reasons[0], Reason::Interested);
    assert_eq!(her.items[clean].1.reasons[0], Reason::OtherInterests);
    assert_eq!(her.items[sales].1.score - her.items[clean].1.score, 3);
    assert!(her.items[sales].1.reasons.contains(&Reason::WithinReach));
    assert!(her.items[far].1.reasons.contains(&Reason::OutOfReach));
    assert_eq!(her.items[sales].1.score - her.items[far].1.score, 2);
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
    assert!(her.reach.is_empty());
    assert!(her
        .items
        .iter()
        .all(|(_, m)| m.reasons[0] == Reason::NoInterests
            && m.reasons.contains(&Reason::PlaceUnknown)));
    // Someone who may not read her does not learn her openings.
    not_found(
        h.app
            .openings_for_participant(&h.ctx(LARARE).await, amal, Page::new(None, None))
            .await,
    );
}

pub(crate) async fn a_presentation_needs_her_consent_and_is_a_logged_disclosure(h: H) {
    use palett_domain::proposal::{Stage, StepInput};
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let employer = provbutiken(&h, &coach, kommun).await;
    let cashier = h
        .app
        .create_opening(&coach, employer, opening("5230", "Kassa", kommun).parse())
        .await
        .expect("an opening");
    let amal = enrolled_amal(&h, &coach, kommun).await;

    // No proposal without her employer-contact consent.
    assert_invalid(
        h.app.propose(&coach, cashier, amal).await,
        "participant_id",
        "error-no-employer-contact-consent",
    );
    let consent = |on: &str| ConsentInput {
        kind: "employer_contact".into(),
        method: "signed_paper".into(),
        given_on: on.into(),
        ..Default::default()
    };
    let first = h
        .app
        .submit_consent(&coach, amal, &consent("2026-11-24"))
        .await
        .expect("her consent");
    let id = h
        .app
        .propose(&coach, cashier, amal)
        .await
        .expect("proposed");
    match err(h.app.propose(&coach, cashier, amal).await) {
        palett_app::AppError::Invalid(f) => {
            assert_eq!(f.0[0].code, "error-proposal-exists");
            assert_eq!(f.0[0].existing_id, Some(id));
        }
        other => panic!("expected the pair refused, got {other:?}"),
    }
    let step = |stage: &str, reason: &str| StepInput {
        stage: stage.into(),
        on_date: "2026-11-25".into(),
        reason: reason.into(),
        note: "".into(),
    };
    // She agrees before she is presented.
    assert_invalid(
        h.app.take_step(&coach, id, &step("presented", "")).await,
        "stage",
        "error-stage-order",
    );
    h.app
        .take_step(&coach, id, &step("agreed", ""))
        .await
        .expect("she agrees");
    // Withdrawn meanwhile: she cannot be presented.
    h.app
        .withdraw_consent(&coach, first, None)
        .await
        .expect("withdrawn");
    assert_invalid(
        h.app.take_step(&coach, id, &step("presented", "")).await,
        "stage",
        "error-no-employer-contact-consent",
    );
    h.app
        .submit_consent(&coach, amal, &consent("2026-11-25"))
        .await
        .expect("given again");
    h.app
        .take_step(&coach, id, &step("presented", ""))
        .await
        .expect("presented");
    h.app
        .take_step(&coach, id, &step("interview", ""))
        .await
        .expect("interview");
    h.app
        .take_step(&coach, id, &step("placed", ""))
        .await
        .expect("placed");
    assert_invalid(
        h.app
            .take_step(&coach, id, &step("not_placed", "other"))
            .await,
        "stage",
        "error-stage-order",
    );
    let v = h.app.proposal(&coach, id).await.expect("the pipeline");
    assert_eq!(v.proposal.stage, Stage::Placed);
    let stages: Vec<Stage> = v.steps.iter().map(|s| s.stage).collect();
    assert_eq!(
        stages,
        vec![
            Stage::Proposed,
            Stage::Agreed,
            Stage::Presented,
            Stage::Interview,
            Stage::Placed
        ]
    );
    assert!(v.steps.iter().all(|s| s.by.as_deref() == Some("Kim Coach")));

    // The presentation is a disclosure to the employer, in her export.
    let export = h
        .app
        .subject_access(&coach, amal)
        .await
        .expect("her export");
    assert!(export
        .log
        .iter()
        .any(|e| e.action == "participant.disclosed_to_employer"
            && e.entity == "employer"
            && e.entity_id == Some(employer)));
    assert_eq!(export.proposals.len(), 1);
    assert_eq!(export.proposals[0].0.employer_name, "Provbutiken AB");
    assert!(export.proposals[0]
        .1
        .iter()
        .any(|s| s.stage == Stage::Presented));

    // Staff without access to her see no pipeline of hers.
    let larare = h.ctx(LARARE).await;
    not_found(h.app.proposal(&larare, id).await);
    not_found(h.app.take_step(&larare, id, &step("placed", "")).await);
    assert!(h
        .app
        .opening_proposals(&larare, cashier)
        .await
        .expect("the opening's pipelines")
        .is_empty());
    assert_eq!(
        h.app
            .opening_proposals(&coach, cashier)
            .await
            .expect("the opening's pipelines")
            .len(),
        1
    );
}

pub(crate) async fn a_placements_hours_count_in_her_time_and_the_esf_hours(h: H) {
    use palett_domain::path::ActivityInput;
    use palett_domain::placement::{PlacementInput, PlacementResult, ResultInput, ReviewInput};
    use palett_domain::proposal::StepInput;
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(KOMMUN_COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let kommun = signed.user.organisation_id;
    let (project, internship) = project_with_internship(&h, &admin, &ctx, kommun).await;
    let employer = provbutiken(&h, &ctx, kommun).await;
    let supervisor = h
        .app
        .add_employer_contact(
            &ctx,
            employer,
            palett_domain::employer::ContactPersonInput {
                name: "Mona Exempel".into(),
                ..Default::default()
            }
            .parse(),
        )
        .await
        .expect("a supervisor");
    let cashier = h
        .app
        .create_opening(&ctx, employer, opening("5230", "Kassa", kommun).parse())
        .await
        .expect("an opening");
    let amal = h
        .register(
            &ctx,
            &palett_domain::model::ParticipantInput {
                intake_date: "2026-11-02".into(),
                project_ids: vec![project.to_string()],
                ..h.input("Amal", "Praktiksson", &pnr("19900505", 505), kommun)
            },
        )
        .await;
    h.app
        .submit_consent(
            &ctx,
            amal,
            &ConsentInput {
                kind: "employer_contact".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-02".into(),
                ..Default::default()
            },
        )
        .await
        .expect("consent");
    let proposal = h.app.propose(&ctx, cashier, amal).await.expect("proposed");
    let placement = PlacementInput {
        intervention_id: internship.to_string(),
        supervisor_id: supervisor.to_string(),
        start_date: "2026-11-16".into(),
        end_date: "2026-12-18".into(),
        hours_per_week: "25".into(),
    };
    // Not before the pipeline has ended in placed.
    assert_invalid(
        h.app
            .create_placement(&ctx, proposal, placement.parse())
            .await,
        "proposal",
        "error-placement-needs-placed",
    );
    for stage in ["agreed", "presented", "placed"] {
        h.app
            .take_step(
                &ctx,
                proposal,
                &StepInput {
                    stage: stage.into(),
                    on_date: "2026-11-25".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("a step");
    }
    let id = h
        .app
        .create_placement(&ctx, proposal, placement.parse())
        .await
        .expect("the placement");
    // Another employer's contact cannot supervise it.
    let hours = |on: &str, hours: &str| ActivityInput {
        on_date: on.into(),
        hours: hours.into(),
        ..Default::default()
    };
    h.app
        .record_placement_hours(&ctx, id, &hours("2026-11-17", "5"))
        .await
        .expect("hours");
    h.app
        .record_placement_hours(&ctx, id, &hours("2026-11-18", "3,5"))
        .await
        .expect("more hours");
    assert_invalid(
        h.app
            .record_placement_hours(&ctx, id, &hours("2026-11-13", "2"))
            .await,
        "on_date",
        "error-outside-placement",
    );
    // For another sales opening during her placement, her record of it
    // counts, and so does her being busy.
    let december = h
        .app
        .create_opening(
            &ctx,
            employer,
            OpeningInput {
                start_date: "2026-12-01".into(),
                end_date: "2026-12-31".into(),
                ..opening("5223", "Julhandel", kommun)
            }
            .parse(),
        )
        .await
        .expect("another opening");
    let her = candidates(&h, &ctx, december)
        .await
        .into_iter()
        .find(|c| c.participant.id == amal)
        .expect("she is a candidate");
    assert!(
        her.matched.reasons.contains(&Reason::EarlierInArea),
        "{:?}",
        her.matched
    );
    assert!(
        her.matched.reasons.contains(&Reason::PlacedElsewhere),
        "{:?}",
        her.matched
    );
    assert!(!her.matched.reasons.contains(&Reason::Available));
    let hers = h
        .app
        .openings_for_participant(&ctx, amal, Page::new(None, Some(100)))
        .await
        .expect("her openings");
    let (_, m) = hers
        .items
        .iter()
        .find(|(o, _)| o.id == december)
        .expect("the December opening");
    assert_eq!(
        (her.matched.score, &her.matched.reasons),
        (m.score, &m.reasons),
        "both directions agree"
    );

    let v = h.app.placement(&ctx, id).await.expect("the placement");
    assert_eq!(v.placement.minutes_recorded, 510);
    assert_eq!(v.placement.supervisor_name.as_deref(), Some("Mona Exempel"));

    // Her time: 8.5 hours in November under the internship.
    let time = h.app.time_rows(&ctx, amal).await.expect("her time");
    let november: i64 = time
        .iter()
        .filter(|r| r.intervention_id == internship)
        .map(|r| r.minutes)
        .sum();
    assert_eq!(november, 510);
    // And in the ESF+ monthly file for the project.
    let (_, lines) = h
        .app
        .submit_esf_month(&ctx, project, "2026-11")
        .await
        .expect("the monthly file");
    let line = lines
        .iter()
        .find(|l| l.participant_id == amal)
        .expect("she took part");
    assert_eq!(line.minutes, 510);

    // A final review and the result.
    h.app
        .review_placement(
            &ctx,
            id,
            &ReviewInput {
                kind: "final".into(),
                on_date: "2026-11-25".into(),
                attendance: "5".into(),
                tasks: "4".into(),
                swedish: "3".into(),
                readiness: "4".into(),
                comment: "Vill erbjuda henne extratimmar.".into(),
            },
        )
        .await
        .expect("a review");
    h.app
        .set_placement_result(
            &ctx,
            id,
            &ResultInput {
                result: "job_offer".into(),
                on_date: "2026-11-25".into(),
            },
        )
        .await
        .expect("the result");
    let v = h.app.placement(&ctx, id).await.expect("the placement");
    assert_eq!(v.placement.result, Some(PlacementResult::JobOffer));
    assert_eq!(v.reviews.len(), 1);
    assert_invalid(
        h.app
            .create_placement(&ctx, proposal, placement.parse())
            .await,
        "proposal",
        "error-placement-exists",
    );
    let export = h.app.subject_access(&ctx, amal).await.expect("her export");
    assert_eq!(export.placements.len(), 1);
    assert_eq!(export.placements[0].1[0].attendance, 5);

    // She ends to a job: the placement indicators count her, and she is
    // the one behind each figure.
    h.app
        .transition(
            &ctx,
            amal,
            Transition::Exit {
                on: date(2026, 11, 25),
                outcome: palett_domain::lifecycle::ExitOutcome::EmploymentUnsubsidised,
            },
        )
        .await
        .expect("her exit");
    use palett_domain::indicators::Indicator;
    let dash = h
        .app
        .dashboard(&ctx, Some(project), None, None)
        .await
        .expect("the project's dashboard");
    let figure = |i: Indicator| key_figure(&dash, i);
    assert_eq!(figure(Indicator::PlacementsStarted), (Some(1.0), 1, None));
    // From intake on 2026-11-02 to the placement on 2026-11-16.
    assert_eq!(
        figure(Indicator::MedianDaysToPlacement),
        (Some(14.0), 1, Some(1))
    );
    assert_eq!(
        figure(Indicator::ShareJobAfterPlacement),
        (Some(100.0), 1, Some(1))
    );
    for indicator in [
        Indicator::PlacementsStarted,
        Indicator::MedianDaysToPlacement,
        Indicator::ShareJobAfterPlacement,
    ] {
        let figure = palett_app::dashboard::FigureRef {
            indicator: Some(indicator),
            ..Default::default()
        };
        assert_eq!(
            ids_behind(&h, &ctx, project, &figure).await,
            vec![amal],
            "{indicator}"
        );
    }
}

/// An internship placement for `who`, through a pipeline to `opening`
/// that ends in placed, from `start` to `end`.
async fn internship(
    h: &H,
    ctx: &Ctx,
    (opening, who, intervention): (i64, i64, i64),
    (start, end): (&str, &str),
) -> i64 {
    use palett_domain::placement::PlacementInput;
    use palett_domain::proposal::StepInput;
    let proposal = h.app.propose(ctx, opening, who).await.expect("proposed");
    for stage in ["agreed", "presented", "placed"] {
        h.app
            .take_step(
                ctx,
                proposal,
                &StepInput {
                    stage: stage.into(),
                    on_date: "2026-11-25".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("a step");
    }
    h.app
        .create_placement(
            ctx,
            proposal,
            PlacementInput {
                intervention_id: intervention.to_string(),
                start_date: start.into(),
                end_date: end.into(),
                ..Default::default()
            }
            .parse(),
        )
        .await
        .expect("the placement")
}

pub(crate) async fn an_exit_to_a_job_through_an_internship_counts_in_its_indicators(h: H) {
    use palett_app::dashboard::FigureRef;
    use palett_domain::indicators::{Breakdown, EmployerIndicator, Group, Indicator};
    use palett_domain::lifecycle::{ExitDestination, ExitOutcome};
    use palett_domain::opening::OpeningStatus;
    h.seed().await;
    let admin = h.ctx(ADMIN).await;
    let signed = h.signed(KOMMUN_COORDINATOR).await;
    let ctx = signed.ctx(IP);
    let kommun = signed.user.organisation_id;
    let (project, intervention) = project_with_internship(&h, &admin, &ctx, kommun).await;
    let employer = provbutiken(&h, &ctx, kommun).await;
    let spring = h
        .app
        .create_opening(
            &ctx,
            employer,
            OpeningInput {
                start_date: "2026-05-04".into(),
                end_date: "2026-06-30".into(),
                ..opening("5230", "Kassa", kommun)
            }
            .parse(),
        )
        .await
        .expect("an opening");
    let woman = |given: &'static str, n: u16| {
        let pnr = pnr(&format!("1988030{n}"), 300 + n);
        let input = palett_domain::model::ParticipantInput {
            referred_on: "2026-02-16".into(),
            intake_date: "2026-03-02".into(),
            project_ids: vec![project.to_string()],
            ..h.input(given, "Praktiksson", &pnr, kommun)
        };
        let (h, ctx) = (&h, &ctx);
        async move {
            let id = h.register(ctx, &input).await;
            h.app
                .submit_consent(
                    ctx,
                    id,
                    &ConsentInput {
                        kind: "employer_contact".into(),
                        method: "signed_paper".into(),
                        given_on: "2026-03-02".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("consent");
            id
        }
    };
    let bea = woman("Bea", 1).await;
    let cia = woman("Cia", 2).await;
    // Bea's internship ends on 12 June; Cia's on 30 June.
    let beas = internship(
        &h,
        &ctx,
        (spring, bea, intervention),
        ("2026-05-04", "2026-06-12"),
    )
    .await;
    let cias = internship(
        &h,
        &ctx,
        (spring, cia, intervention),
        ("2026-06-01", "2026-06-30"),
    )
    .await;
    let exit = |on: jiff::civil::Date, outcome| Transition::Exit { on, outcome };
    // An exit not to a job names no employer, and a placement must be hers.
    assert_invalid(
        h.app
            .transition_to(
                &ctx,
                cia,
                exit(date(2026, 10, 15), ExitOutcome::Studies),
                &ExitDestination {
                    placement_id: Some(cias),
                    ..Default::default()
                },
            )
            .await,
        "placement_id",
        "error-exit-destination-job-only",
    );
    assert_invalid(
        h.app
            .transition_to(
                &ctx,
                cia,
                exit(date(2026, 10, 15), ExitOutcome::EmploymentUnsubsidised),
                &ExitDestination {
                    placement_id: Some(beas),
                    ..Default::default()
                },
            )
            .await,
        "placement_id",
        "error-exit-placement-not-hers",
    );
    // Bea goes to a job 52 days after her internship, naming it; Cia 107
    // days after hers, too late to count as coming from it.
    h.app
        .transition_to(
            &ctx,
            bea,
            exit(date(2026, 8, 3), ExitOutcome::EmploymentSubsidised),
            &ExitDestination {
                placement_id: Some(beas),
                ..Default::default()
            },
        )
        .await
        .expect("Bea's exit");
    h.app
        .transition_to(
            &ctx,
            cia,
            exit(date(2026, 10, 15), ExitOutcome::EmploymentUnsubsidised),
            &ExitDestination {
                employer_id: Some(employer),
                ..Default::default()
            },
        )
        .await
        .expect("Cia's exit");
    // Her record names where she went: the placement names its employer.
    let v = h.app.participant(&ctx, bea).await.expect("Bea");
    let to = v.exit_to.expect("a destination");
    assert_eq!(
        (to.employer_id, to.employer_name.as_deref()),
        (Some(employer), Some("Provbutiken AB"))
    );
    assert_eq!(
        (to.placement_id, to.placement_title.as_deref()),
        (Some(beas), Some("Kassa"))
    );

    let dash = h
        .app
        .dashboard(&ctx, Some(project), None, None)
        .await
        .expect("the project's dashboard");
    let figure = |i: Indicator| key_figure(&dash, i);
    assert_eq!(figure(Indicator::InternshipsStarted), (Some(2.0), 2, None));
    assert_eq!(
        figure(Indicator::InternshipsCompleted),
        (Some(2.0), 2, None)
    );
    assert_eq!(
        figure(Indicator::ShareJobAfterInternship),
        (Some(50.0), 1, Some(2))
    );
    let mut both = vec![bea, cia];
    both.sort_unstable();
    let behind = |indicator: Indicator, base: bool, group: Option<Group>| {
        let (h, ctx) = (&h, &ctx);
        let figure = FigureRef {
            indicator: Some(indicator),
            base,
            group,
            ..Default::default()
        };
        async move { ids_behind(h, ctx, project, &figure).await }
    };
    assert_eq!(
        behind(Indicator::InternshipsStarted, false, None).await,
        both
    );
    assert_eq!(
        behind(Indicator::InternshipsCompleted, false, None).await,
        both
    );
    assert_eq!(
        behind(Indicator::ShareJobAfterInternship, false, None).await,
        vec![bea]
    );
    assert_eq!(
        behind(Indicator::ShareJobAfterInternship, true, None).await,
        both
    );
    // Broken down by the employer's industry and the occupation area.
    let dash = h
        .app
        .dashboard(
            &ctx,
            Some(project),
            Some(Breakdown::Industry),
            Some(Indicator::ShareJobAfterInternship),
        )
        .await
        .expect("by industry");
    let groups: Vec<(Group, i64, Option<i64>)> = dash
        .breakdown
        .iter()
        .map(|(g, f)| (*g, f.count, f.base))
        .collect();
    let retail = Group::Industry(palett_domain::employer::Industry::G);
    assert_eq!(groups, vec![(retail, 1, Some(2))]);
    assert_eq!(
        behind(Indicator::ShareJobAfterInternship, false, Some(retail)).await,
        vec![bea]
    );
    let dash = h
        .app
        .dashboard(
            &ctx,
            Some(project),
            Some(Breakdown::OccupationArea),
            Some(Indicator::InternshipsCompleted),
        )
        .await
        .expect("by occupation area");
    let sales = Group::OccupationArea("sales");
    assert_eq!(
        dash.breakdown
            .iter()
            .map(|(g, f)| (*g, f.count))
            .collect::<Vec<_>>(),
        vec![(sales, 2)]
    );
    assert_eq!(
        behind(Indicator::InternshipsCompleted, false, Some(sales)).await,
        both
    );

    // The partnership's employer figures, and the lists behind them (the
    // seed has the demo's employers too).
    let employer_figures = || {
        let (h, ctx) = (&h, &ctx);
        async move {
            h.app
                .dashboard(ctx, None, None, None)
                .await
                .expect("the partnership's dashboard")
                .employer_figures
        }
    };
    let before = employer_figures().await;
    h.app
        .set_opening_status(&ctx, spring, Ok(OpeningStatus::Filled))
        .await
        .expect("filled");
    let after = employer_figures().await;
    assert_eq!(
        after.iter().map(|(i, _, _)| *i).collect::<Vec<_>>(),
        vec![
            EmployerIndicator::ActiveEmployers,
            EmployerIndicator::OpeningsFilled
        ]
    );
    assert_eq!(after[1].1, before[1].1 + 1, "filled today");
    let period = after[0].2;
    let active_in = |period| {
        let (h, ctx) = (&h, &ctx);
        async move {
            let (list, total) = h
                .app
                .employers(
                    ctx,
                    &palett_app::employers::EmployerFilter {
                        active_in: Some(period),
                        ..Default::default()
                    },
                    Page::new(None, Some(100)),
                )
                .await
                .expect("the active employers");
            assert_eq!(list.len() as i64, total);
            list.iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    let active = active_in(period).await;
    assert_eq!(active.len() as i64, after[0].1, "the figure is its list");
    assert!(active.contains(&employer));
    // Before the internships, Provbutiken was not yet active.
    let spring_before = palett_domain::indicators::Period {
        start: date(2026, 1, 1),
        end: date(2026, 5, 3),
    };
    assert!(!active_in(spring_before).await.contains(&employer));
    let (filled, total) = h
        .app
        .openings(
            &ctx,
            &palett_app::openings::OpeningFilter {
                filled_in: Some(period),
                ..Default::default()
            },
            Page::new(None, Some(100)),
        )
        .await
        .expect("the filled openings");
    assert_eq!(total, after[1].1, "the figure is its list");
    assert!(filled.iter().any(|o| o.id == spring));

    // A reopening clears where she went.
    h.app
        .transition(
            &ctx,
            bea,
            Transition::Reopen {
                on: date(2026, 11, 25),
                reason: "Anställningen upphörde.".into(),
            },
        )
        .await
        .expect("reopened");
    let v = h.app.participant(&ctx, bea).await.expect("Bea");
    assert_eq!(v.exit_to, None);
}
