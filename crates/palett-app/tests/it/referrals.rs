//! Referrals between partners through the store: the whole loop with its
//! consent checks and the enrolment it led to; a decline, a forward and a
//! referral sent back; answer times in working days and stale referrals;
//! who sees and who answers.

use crate::harness::*;
use jiff::civil::date;
use palett_app::filters::AuditFilter;
use palett_app::paging::Page;
use palett_app::referrals::{ReferralFilter, Side};
use palett_app::worklist::WorkLine;
use palett_app::{AppError, Ctx};
use palett_domain::consent::ConsentInput;
use palett_domain::model::ParticipantInput;
use palett_domain::path::Enrol;
use palett_domain::referral::{
    DeclineReason, ReferralInput, ReferralState, ReferralStepInput, RoutineInput,
};

/// A referral from a partner to `to`, sent on `sent_on`, asking for an
/// assessment.
fn referral(to: i64, sent_on: &str) -> ReferralInput {
    ReferralInput {
        source: "partner".into(),
        to_organisation_id: to.to_string(),
        purpose: "assessment".into(),
        reason: "Vill komma vidare mot arbete och behöver stöd i vardagen.".into(),
        asked: "Ett första samtal och en bedömning av vilka insatser som passar.".into(),
        sent_on: sent_on.into(),
        ..ReferralInput::default()
    }
}

fn step(state: &str, on: &str) -> ReferralStepInput {
    ReferralStepInput {
        state: state.into(),
        on_date: on.into(),
        ..ReferralStepInput::default()
    }
}

async fn refer(h: &H, ctx: &Ctx, participant: i64, input: &ReferralInput) -> i64 {
    h.app
        .refer(ctx, participant, input.parse(h.app.today()))
        .await
        .expect("a referral")
}

async fn take(h: &H, ctx: &Ctx, id: i64, input: &ReferralStepInput) -> Option<i64> {
    h.app
        .referral_step(ctx, id, input)
        .await
        .unwrap_or_else(|e| panic!("{} on referral {id}: {e}", input.state))
}

async fn state(h: &H, ctx: &Ctx, id: i64) -> ReferralState {
    h.app
        .referral(ctx, id)
        .await
        .expect("the referral")
        .referral
        .state
}

async fn listed(h: &H, ctx: &Ctx, filter: &ReferralFilter) -> Vec<i64> {
    h.app
        .referrals(ctx, filter, Page::new(None, Some(100)))
        .await
        .expect("the list")
        .items
        .iter()
        .map(|(r, _)| r.id)
        .collect()
}

fn side(side: Side) -> ReferralFilter {
    ReferralFilter {
        side,
        state: None,
        stale_on: None,
        waiting: false,
        answered_since: None,
        partner: None,
        sent_within: None,
        reached: None,
    }
}

pub(crate) async fn a_referral_goes_from_sent_to_completed_with_her_consent_and_enrolment(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let hm = h.ctx(HANDLEDARE).await;
    let hela = hm.actor.organisation_id;
    let larare = h.ctx(LARARE).await;
    // Saida has consented to nothing beyond taking part.
    let saida = h
        .register(
            &coach,
            &input("Saida", "Testsson", &pnr("19880314", 456), kommun),
        )
        .await;

    // A referral to a partner her sharing consent does not cover is refused
    // — unless the consent she has just given is recorded with it.
    let to_hela = referral(hela, "2026-11-25");
    assert_invalid(
        h.app
            .refer(&coach, saida, to_hela.parse(h.app.today()))
            .await,
        "to_organisation_id",
        "error-referral-no-sharing-consent",
    );
    let with_consent = ReferralInput {
        record_consent: "1".into(),
        consent_method: "signed_paper".into(),
        consent_given_on: "2026-11-25".into(),
        ..to_hela.clone()
    };
    let id = refer(&h, &coach, saida, &with_consent).await;
    let consents = h.app.consents(&coach, saida).await.expect("her consents");
    let sharing = consents
        .iter()
        .find(|(k, _)| k.kind == palett_domain::consent::ConsentKind::Sharing)
        .expect("the sharing consent recorded with the referral");
    assert_eq!(
        sharing
            .0
            .organisations
            .iter()
            .map(|o| o.0)
            .collect::<Vec<_>>(),
        vec![hela]
    );
    let view = h.app.referral(&coach, id).await.expect("the referral");
    assert_eq!(view.referral.consent_id, Some(sharing.0.id));
    // Hela Människan answers within five working days (the default):
    // Wednesday 25 November → Wednesday 2 December.
    assert_eq!(view.referral.due_on, date(2026, 12, 2));
    assert!(!view.may_answer, "the referrer does not answer her own");
    assert!(!view.stale);

    // Both partners list it; a third partner does not see it at all.
    assert!(listed(&h, &hm, &side(Side::Incoming)).await.contains(&id));
    assert!(listed(&h, &coach, &side(Side::Outgoing))
        .await
        .contains(&id));
    assert!(!listed(&h, &coach, &side(Side::Incoming))
        .await
        .contains(&id));
    not_found(h.app.referral(&larare, id).await);
    not_found(
        h.app
            .referral_step(&larare, id, &step("received", "2026-11-25"))
            .await,
    );
    forbidden(
        h.app
            .referral_step(&coach, id, &step("received", "2026-11-25"))
            .await,
    );

    // Received, accepted: the caseworker who accepts becomes one of hers
    // and may now enrol her in her organisation's intervention.
    take(&h, &hm, id, &step("received", "2026-11-25")).await;
    assert_invalid(
        h.app
            .referral_step(&hm, id, &step("started", "2026-11-25"))
            .await,
        "state",
        "error-referral-order",
    );
    take(&h, &hm, id, &step("accepted", "2026-11-25")).await;
    let course = h
        .app
        .palette(&hm, false)
        .await
        .expect("the palette")
        .into_iter()
        .find(|i| i.provider_organisation_id == hela && i.retired_on.is_none())
        .expect("an intervention of Hela Människan")
        .id;
    let (enrolment, _) = h
        .app
        .enrol(&hm, saida, &Enrol::in_intervention(course))
        .await
        .expect("enrolled by the caseworker who accepted");
    // Another woman's enrolment is not what this referral led to.
    let amal = h.register_amal(&coach, kommun).await;
    let (hers, _) = h
        .app
        .enrol(&coach, amal, &Enrol::in_intervention(course))
        .await
        .expect("Amal enrolled");
    let started = |e: i64| ReferralStepInput {
        enrolment_id: e.to_string(),
        ..step("started", "2026-11-25")
    };
    assert_invalid(
        h.app.referral_step(&hm, id, &started(hers)).await,
        "enrolment_id",
        "error-referral-enrolment",
    );
    take(&h, &hm, id, &started(enrolment)).await;
    h.advance_secs(86_400 * 40);
    take(&h, &hm, id, &step("completed", "2027-01-04")).await;

    // The referrer sees the whole loop, each step dated and attributed.
    let view = h.app.referral(&coach, id).await.expect("the referral");
    assert_eq!(view.referral.state, ReferralState::Completed);
    assert_eq!(view.referral.enrolment_id, Some(enrolment));
    let steps: Vec<(ReferralState, String)> = view
        .events
        .iter()
        .map(|e| (e.state, e.by.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        steps.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![
            ReferralState::Sent,
            ReferralState::Received,
            ReferralState::Accepted,
            ReferralState::Started,
            ReferralState::Completed,
        ]
    );
    assert!(steps.iter().all(|(_, by)| !by.is_empty()));
    assert!(!view.may_answer);
    // A final state takes no step.
    assert_invalid(
        h.app
            .referral_step(&hm, id, &step("completed", "2027-01-04"))
            .await,
        "state",
        "error-referral-order",
    );

    // The report counts it in November at Hela Människan: answered,
    // accepted and started the day it was sent.
    let coordinator = h.ctx(COORDINATOR).await;
    let rows = h
        .app
        .referral_report(&coordinator, (date(2026, 11, 1), date(2026, 11, 30)))
        .await
        .expect("the report");
    let (name, row) = rows
        .iter()
        .find(|(_, r)| r.to_organisation_id == hela)
        .expect("a line for Hela Människan");
    assert_eq!(name, HELA_MANNISKAN);
    assert_eq!(row.month, date(2026, 11, 1));
    // Sent this month: hers and the demo's six waiting for intake (sent
    // in the three weeks before the demo's day, received but not answered).
    assert_eq!((row.sent, row.answered, row.accepted), (7, 1, 1));
    assert_eq!(row.acceptance_rate, Some(100.0));
    assert_eq!(row.median_days_to_answer, Some(0.0));
    assert_eq!(row.median_days_to_start, Some(0.0));
    assert_eq!(row.share_started, Some(14.3), "1 of the 7 sent started");
    // Each figure opens the referrals behind it, as her partner sees them.
    for (reached, figure) in [
        (None, row.sent),
        (Some("answered"), row.answered),
        (Some("accepted"), row.accepted),
        (Some("started"), row.started),
    ] {
        let mut f = palett_app::referrals::filter_of(Some("incoming"), None, h.app.today());
        palett_app::referrals::narrow_to_report(&mut f, Some("2026-11"), reached)
            .expect("the report's words");
        let behind = h
            .app
            .referrals(&coordinator, &f, Page::new(None, Some(100)))
            .await
            .expect("the referrals behind the figure");
        assert_eq!(behind.total, figure, "{reached:?}");
        assert_eq!(behind.items[0].0.id, id);
    }
    // Figures only: the evaluator, who sees no participant, sees them too.
    let theirs = h
        .app
        .referral_report(
            &h.ctx(EVALUATOR).await,
            (date(2026, 11, 1), date(2026, 11, 30)),
        )
        .await
        .expect("the evaluator's report");
    assert_eq!(theirs, rows);

    // Every read and change is in the log, under the referral and her.
    let log = h
        .audit_log(
            &coordinator,
            &AuditFilter {
                participant_id: Some(saida),
                ..AuditFilter::default()
            },
            Page::new(None, Some(200)),
        )
        .await;
    for action in [
        "referral.create",
        "referral.step",
        "referral.read",
        "referral.list",
    ] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.participant_id == Some(saida)),
            "{action}"
        );
    }
    // Her own page lists it for both partners.
    let hers = h
        .app
        .participant_referrals(&coach, saida)
        .await
        .expect("her referrals");
    assert_eq!(
        hers.items.iter().map(|(r, _)| r.id).collect::<Vec<_>>(),
        vec![id]
    );
    assert!(hers.may_refer, "the coach refers her own");
}

pub(crate) async fn a_referral_is_declined_forwarded_sent_back_or_goes_stale(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let hm = h.ctx(HANDLEDARE).await;
    let hela = hm.actor.organisation_id;
    let larare = h.ctx(LARARE).await;
    let folkhogskola = larare.actor.organisation_id;
    let coordinator = h.ctx(COORDINATOR).await;
    let amal = h.register_amal(&coach, kommun).await;

    // A partner that has left the partnership takes no referrals.
    let af = h.ctx(AF).await.actor.organisation_id;
    assert_invalid(
        h.app
            .refer(
                &coach,
                amal,
                referral(af, "2026-11-25").parse(h.app.today()),
            )
            .await,
        "to_organisation_id",
        "error-choice",
    );

    // Declined, with a reason from the list.
    let declined = refer(&h, &coach, amal, &referral(hela, "2026-11-24")).await;
    assert_invalid(
        h.app
            .referral_step(&hm, declined, &step("declined", "2026-11-25"))
            .await,
        "reason",
        "error-required",
    );
    take(
        &h,
        &hm,
        declined,
        &ReferralStepInput {
            reason: "no_place".into(),
            note: "Fullt till våren; hör av er i mars.".into(),
            ..step("declined", "2026-11-25")
        },
    )
    .await;
    let view = h.app.referral(&coach, declined).await.expect("declined");
    assert_eq!(view.referral.state, ReferralState::Declined);
    assert_eq!(view.events[1].reason, Some(DeclineReason::NoPlace));

    // Sent back needs a word on why.
    let back = refer(&h, &coach, amal, &referral(hela, "2026-11-25")).await;
    assert_invalid(
        h.app
            .referral_step(&hm, back, &step("sent_back", "2026-11-25"))
            .await,
        "note",
        "error-referral-note-needed",
    );
    take(
        &h,
        &hm,
        back,
        &ReferralStepInput {
            note: "Kontaktuppgifterna saknas.".into(),
            ..step("sent_back", "2026-11-25")
        },
    )
    .await;
    assert_eq!(state(&h, &coach, back).await, ReferralState::SentBack);

    // A referral carries her notes shared with the partners, never one
    // her organisation keeps to itself.
    let note = |visibility: &str, body: &str| palett_domain::record::NewNote {
        visibility: palett_domain::record::NoteVisibility::parse(visibility).expect("a visibility"),
        body: body.into(),
    };
    let shared = h
        .app
        .add_note(&coach, amal, &note("shared", "Vill träna svenska i butik."))
        .await
        .expect("a shared note");
    let own = h
        .app
        .add_note(&coach, amal, &note("own_organisation", "Intern notering."))
        .await
        .expect("a note of ours");
    let with_notes = |ids: &[i64]| ReferralInput {
        note_ids: ids.iter().map(|i| i.to_string()).collect(),
        ..referral(hela, "2026-11-25")
    };
    assert_invalid(
        h.app
            .refer(
                &coach,
                amal,
                with_notes(&[shared, own]).parse(h.app.today()),
            )
            .await,
        "note_ids",
        "error-referral-note-not-shared",
    );

    // Forwarded: a new referral from Hela Människan to the folk high
    // school, which Amal's consent covers; the referrer sees where it went;
    // the note goes with it.
    let forwarded = refer(&h, &coach, amal, &with_notes(&[shared])).await;
    let carried = h.app.referral(&hm, forwarded).await.expect("with a note");
    assert_eq!(
        carried
            .notes
            .iter()
            .map(|n| n.body.as_str())
            .collect::<Vec<_>>(),
        vec!["Vill träna svenska i butik."]
    );
    let onward = ReferralStepInput {
        to_organisation_id: folkhogskola.to_string(),
        ..step("forwarded", "2026-11-25")
    };
    let new = take(&h, &hm, forwarded, &onward)
        .await
        .expect("the new referral");
    let old = h.app.referral(&coach, forwarded).await.expect("the old");
    assert_eq!(old.referral.state, ReferralState::Forwarded);
    assert_eq!(old.referral.forwarded_to, Some(new));
    assert_eq!(
        old.referral.forwarded_to_name.as_deref(),
        Some("Botkyrka folkhögskola")
    );
    let onward_view = h.app.referral(&larare, new).await.expect("the new one");
    assert_eq!(onward_view.referral.from_organisation_id, Some(hela));
    assert_eq!(onward_view.referral.forwarded_from, Some(forwarded));
    assert!(onward_view.may_answer);
    assert_eq!(onward_view.notes.len(), 1, "the note went on with it");
    not_found(h.app.referral(&coach, new).await);
    // Forwarding where her consent does not reach is refused.
    let saida = h
        .register(
            &coach,
            &input("Saida", "Testsson", &pnr("19880314", 456), kommun),
        )
        .await;
    let to_hela_only = refer(
        &h,
        &coach,
        saida,
        &ReferralInput {
            record_consent: "1".into(),
            consent_method: "digital".into(),
            consent_given_on: "2026-11-25".into(),
            ..referral(hela, "2026-11-25")
        },
    )
    .await;
    assert_invalid(
        h.app.referral_step(&hm, to_hela_only, &onward).await,
        "to_organisation_id",
        "error-referral-no-sharing-consent",
    );
    assert_eq!(state(&h, &hm, to_hela_only).await, ReferralState::Sent);
    h.app
        .submit_consent(
            &coach,
            saida,
            &ConsentInput {
                kind: "sharing".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-25".into(),
                organisation_ids: vec![folkhogskola.to_string()],
                ..Default::default()
            },
        )
        .await
        .expect("her consent for the school");
    take(&h, &hm, to_hela_only, &onward).await;

    // Answer times are working days from the partner's agreed routine: three
    // days from Maundy Thursday pass Easter, two from the day before
    // Midsummer Eve pass midsummer.
    forbidden(
        h.app
            .set_referral_routine(
                &coach,
                hela,
                RoutineInput {
                    answer_days: "3".into(),
                    contact: "".into(),
                }
                .parse(),
            )
            .await,
    );
    h.app
        .set_referral_routine(
            &coordinator,
            hela,
            RoutineInput {
                answer_days: "3".into(),
                contact: "Mottagningen, 08-530 610 00".into(),
            }
            .parse(),
        )
        .await
        .expect("Hela Människan's routine");
    let routines = h.app.referral_routines(&coach).await.expect("routines");
    let theirs = routines
        .iter()
        .find(|r| r.organisation_id == hela)
        .expect("Hela Människan's");
    assert_eq!((theirs.answer_days, theirs.agreed), (3, true));
    let easter = refer(&h, &coach, amal, &referral(hela, "2026-04-02")).await;
    let view = h.app.referral(&coach, easter).await.expect("easter");
    assert_eq!(
        view.to_contact.as_deref(),
        Some("Mottagningen, 08-530 610 00")
    );
    assert_eq!(view.referral.due_on, date(2026, 4, 9));
    h.app
        .set_referral_routine(
            &coordinator,
            hela,
            RoutineInput {
                answer_days: "2".into(),
                contact: "".into(),
            }
            .parse(),
        )
        .await
        .expect("two days");
    let midsummer = refer(&h, &coach, amal, &referral(hela, "2026-06-18")).await;
    let view = h.app.referral(&coach, midsummer).await.expect("midsummer");
    assert_eq!(view.referral.due_on, date(2026, 6, 23));
    // Both are stale today, on both sides; once answered, no longer.
    let stale = |s: Side| ReferralFilter {
        stale_on: Some(h.app.today()),
        ..side(s)
    };
    for (ctx, s) in [(&hm, Side::Incoming), (&coach, Side::Outgoing)] {
        let ids = listed(&h, ctx, &stale(s)).await;
        assert!(ids.contains(&easter) && ids.contains(&midsummer), "{s:?}");
        assert!(!ids.contains(&declined), "answered ones are not stale");
    }
    assert!(view.stale);
    take(&h, &hm, easter, &step("accepted", "2026-11-25")).await;
    assert!(!listed(&h, &hm, &stale(Side::Incoming))
        .await
        .contains(&easter));

    // A referral that came from outside is recorded by the partner it came
    // to, for one it may change, and to itself only.
    let hodan = h.register_hodan(&hm, hela).await;
    let external = ReferralInput {
        source: "employment_service".into(),
        ..referral(hela, "2026-11-20")
    };
    let from_af = refer(&h, &hm, hodan, &external).await;
    let view = h.app.referral(&hm, from_af).await.expect("from outside");
    assert_eq!(view.referral.from_organisation_id, None);
    assert!(view.may_answer);
    assert_invalid(
        h.app
            .refer(
                &hm,
                hodan,
                ReferralInput {
                    to_organisation_id: kommun.to_string(),
                    ..external.clone()
                }
                .parse(h.app.today()),
            )
            .await,
        "to_organisation_id",
        "error-referral-external-to-own",
    );
    // Nobody refers one she may not change; evaluators refer no one.
    not_found(
        h.app
            .refer(
                &larare,
                saida,
                referral(hela, "2026-11-25").parse(h.app.today()),
            )
            .await,
    );
    forbidden(
        h.app
            .refer(
                &h.ctx(EVALUATOR).await,
                saida,
                referral(hela, "2026-11-25").parse(h.app.today()),
            )
            .await,
    );
    not_found(h.app.referral(&coach, 99_999).await);
}

/// The total of the list a worklist item links to, as `ctx` opens it.
async fn list_total(h: &H, ctx: &Ctx, line: &WorkLine) -> i64 {
    use palett_domain::worklist::WorkItem;
    let today = h.app.today();
    let page = Page::new(None, Some(100));
    let item = line.item;
    match item {
        WorkItem::SessionsToRecord => h
            .app
            .sessions_led(ctx, &palett_app::worklist::sessions_to_record(today))
            .await
            .expect("her sessions")
            .len() as i64,
        WorkItem::MonthsToAttest => h
            .app
            .time_attestation(ctx)
            .await
            .expect("her partner's months")
            .iter()
            .filter(|m| m.attested.as_ref().is_none_or(|a| a.minutes != m.minutes))
            .count() as i64,
        WorkItem::GoalsBehind => {
            // The projects running today whose figures say the goal for
            // work or studies is not met.
            let o = h.app.overview(ctx).await.expect("the overview");
            o.projects
                .iter()
                .filter(|(p, s)| {
                    p.start_date <= today
                        && today <= p.end_date
                        && s.share_to_job_or_studies
                            .zip(s.job_or_studies_target)
                            .is_some_and(|(share, goal)| share < goal)
                })
                .count() as i64
        }
        WorkItem::FollowUpsDue => h.app.due_follow_ups(ctx, page).await.expect("due").1,
        WorkItem::QuestionnairesDue => h
            .app
            .questionnaires_due(ctx)
            .await
            .expect("her questionnaires due")
            .len() as i64,
        WorkItem::LogReviewDue => {
            // The review page: due unless a review was signed this month.
            let now = h.app.now();
            let review = palett_app::audit::log_review(&h.app, ctx, 0, now, 1)
                .await
                .expect("the review page");
            let month_ago = jiff::Timestamp::from_second(
                now - palett_domain::worklist::LOG_REVIEW_DAYS * 86_400,
            )
            .expect("a moment");
            i64::from(
                review
                    .reviews
                    .first()
                    .is_none_or(|r| r.signed_at < month_ago),
            )
        }
        WorkItem::PeriodsEnding
        | WorkItem::ConsentsExpiring
        | WorkItem::PlansMissing
        | WorkItem::PlanReviewsDue
        | WorkItem::WaitingForPlace
        | WorkItem::PlacementsToReview => {
            let filter = palett_app::worklist::participant_filter(
                item,
                today,
                h.app.now(),
                ctx.actor.organisation_id,
            )
            .expect("a list");
            h.app
                .participants(ctx, &filter, page)
                .await
                .expect("list")
                .1
        }
        _ => {
            let mut f =
                palett_app::worklist::referral_filter(item, today).expect("a referral item");
            f.partner = line.partner.as_ref().map(|(id, _)| *id);
            h.app
                .referrals(ctx, &f, page)
                .await
                .expect("referrals")
                .total
        }
    }
}

pub(crate) async fn a_worklist_counts_what_she_can_open(h: H) {
    use palett_domain::worklist::WorkItem;
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let hm = h.ctx(HANDLEDARE).await;
    let hela = hm.actor.organisation_id;
    let larare = h.ctx(LARARE).await;
    let amal = h.register_amal(&coach, kommun).await;
    h.app
        .transition(
            &coach,
            amal,
            palett_domain::lifecycle::Transition::Intake {
                on: date(2026, 11, 20),
            },
        )
        .await
        .expect("intake");
    h.app
        .set_planned_end(&coach, amal, &planned_end(date(2026, 12, 15), ""))
        .await
        .expect("her period ends in three weeks");
    // Her evaluation consent runs out in two weeks; she has no plan yet.
    h.app
        .submit_consent(
            &coach,
            amal,
            &ConsentInput {
                kind: "research".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-20".into(),
                expires_on: "2026-12-09".into(),
                ..Default::default()
            },
        )
        .await
        .expect("a consent that expires");
    let count = |list: &[WorkLine], item: WorkItem| {
        list.iter()
            .find(|l| l.item == item && l.partner.is_none())
            .map(|l| l.count)
    };
    let theirs_before = h.app.worklist(&hm).await.expect("Hela Människan's day");
    let ours_before = h.app.worklist(&coach).await.expect("the coach's day");
    let school_before = h.app.worklist(&larare).await.expect("the teacher's day");
    // A group the coach leads meets today, its attendance not yet recorded.
    let walk = h
        .app
        .submit_intervention(
            &h.ctx(COORDINATOR).await,
            &palett_domain::palette::InterventionInput {
                name: "Kvällspromenad".into(),
                kind: "health_promoting".into(),
                provider_organisation_id: kommun.to_string(),
                group_based: "true".into(),
                project_id: "ordinary".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .expect("an intervention");
    let group = h
        .app
        .create_group(
            &coach,
            walk,
            &palett_domain::path::NewGroup {
                name: "Måndagar".into(),
                leader_user_id: Some(coach.actor.user_id),
            },
        )
        .await
        .expect("her group");
    let weekly = palett_domain::path::ScheduleInput {
        from: h.app.today().to_string(),
        until: String::new(),
        start_time: "18:00".into(),
        minutes: "60".into(),
        place: String::new(),
    };
    h.app
        .schedule(&coach, group, &weekly.parse().expect("a schedule"))
        .await
        .expect("scheduled");
    // Two more waiting at Hela Människan, one of them overdue; one answered.
    refer(&h, &coach, amal, &referral(hela, "2026-11-25")).await;
    refer(&h, &coach, amal, &referral(hela, "2026-10-01")).await;
    let answered = refer(&h, &coach, amal, &referral(hela, "2026-11-24")).await;
    take(&h, &hm, answered, &step("accepted", "2026-11-25")).await;

    let more = |after: &[WorkLine], before: &[WorkLine], item| {
        count(after, item)
            .zip(count(before, item))
            .map(|(a, b)| a - b)
    };
    let theirs = h.app.worklist(&hm).await.expect("Hela Människan's day");
    assert_eq!(
        more(&theirs, &theirs_before, WorkItem::ReferralsToAnswer),
        Some(2)
    );
    assert_eq!(
        more(&theirs, &theirs_before, WorkItem::ReferralsOverdueHere),
        Some(1)
    );
    let ours = h.app.worklist(&coach).await.expect("the coach's day");
    assert_eq!(
        more(&ours, &ours_before, WorkItem::ReferralsOverdueThere),
        Some(1)
    );
    assert_eq!(
        more(&ours, &ours_before, WorkItem::ReferralOutcomes),
        Some(1)
    );
    assert_eq!(
        more(&ours, &ours_before, WorkItem::SessionsToRecord),
        Some(1),
        "today's session of her group"
    );
    // Her coordinator sees the referrals waiting at Hela Människan past its
    // answer time on a line of its own, and the waiting lists and goals.
    let kommuns = h
        .app
        .worklist(&h.ctx(KOMMUN_COORDINATOR).await)
        .await
        .expect("a day");
    let at_hela = kommuns
        .iter()
        .find(|l| l.partner.as_ref().is_some_and(|(id, _)| *id == hela))
        .expect("a line for Hela Människan");
    assert_eq!(
        at_hela.partner.as_ref().map(|(_, n)| n.as_str()),
        Some(HELA_MANNISKAN)
    );
    assert!(at_hela.count >= 1);
    for item in [WorkItem::WaitingForPlace, WorkItem::GoalsBehind] {
        assert!(count(&kommuns, item).is_some(), "{item:?}");
        assert!(count(&ours, item).is_none(), "not the coach's: {item:?}");
    }
    for item in [
        WorkItem::PeriodsEnding,
        WorkItem::ConsentsExpiring,
        WorkItem::PlansMissing,
    ] {
        assert!(count(&ours, item).is_some_and(|n| n >= 1), "{item:?}");
    }
    let school = h.app.worklist(&larare).await.expect("the teacher's day");
    assert_eq!(count(&school, WorkItem::ReferralsToAnswer), Some(0));
    assert_eq!(
        more(&school, &school_before, WorkItem::SessionsToRecord),
        Some(0),
        "not the teacher's group"
    );
    // Every count is what the list behind it shows her, and nobody gets an
    // item she may not open.
    let kommun_coordinator = h.ctx(KOMMUN_COORDINATOR).await;
    for (ctx, who) in [
        (&coach, "coach"),
        (&hm, "hm"),
        (&larare, "larare"),
        (&kommun_coordinator, "kommun coordinator"),
    ] {
        for line in h.app.worklist(ctx).await.expect("a day") {
            assert_eq!(
                line.count,
                list_total(&h, ctx, &line).await,
                "{who}: {line:?}"
            );
        }
    }
    // The coordinator reviews the log: due until a review is signed.
    let coordinator = h.ctx(COORDINATOR).await;
    let theirs = h.app.worklist(&coordinator).await.expect("a day");
    assert_eq!(count(&theirs, WorkItem::LogReviewDue), Some(1));
    assert_eq!(
        count(&ours, WorkItem::LogReviewDue),
        None,
        "not the coach's"
    );
    let now = h.app.now();
    let sample: Vec<i64> =
        palett_app::audit::log_review(&h.app, &coordinator, now - 86_400, now + 1, 5)
            .await
            .expect("the review")
            .sample
            .iter()
            .map(|e| e.id)
            .collect();
    palett_app::audit::sign_log_review(
        &h.app,
        &coordinator,
        (now - 86_400, now + 1),
        &sample,
        "Läsningarna hade stöd i uppdraget.",
    )
    .await
    .expect("signed");
    let theirs = h.app.worklist(&coordinator).await.expect("a day");
    assert_eq!(count(&theirs, WorkItem::LogReviewDue), Some(0));
    for line in &theirs {
        assert_eq!(
            line.count,
            list_total(&h, &coordinator, line).await,
            "coordinator: {line:?}"
        );
    }
    let evaluator = h.ctx(EVALUATOR).await;
    assert!(h.app.worklist(&evaluator).await.expect("a day").is_empty());
}

pub(crate) async fn a_woman_not_yet_registered_is_registered_and_referred_in_one_step(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let kommun = coach.user.organisation_id;
    let coach = coach.ctx(IP);
    let hm = h.ctx(HANDLEDARE).await;
    let hela = hm.actor.organisation_id;
    let today = h.app.today();
    // Without a sharing consent that covers Hela Människan: refused, and
    // she is not registered either.
    let unshared = input("Nasra", "Remissdotter", &pnr("19790101", 321), kommun);
    assert_invalid(
        h.app
            .register_and_refer(
                &coach,
                unshared.parse(today),
                referral(hela, "2026-11-02").parse(today),
            )
            .await,
        "to_organisation_id",
        "error-referral-no-sharing-consent",
    );
    assert_eq!(h.count_named(&coach, "Remissdotter").await, 0);
    // Errors in both halves are named together.
    let bad = ParticipantInput {
        given_name: "".into(),
        ..unshared.clone()
    };
    let e = err(h
        .app
        .register_and_refer(
            &coach,
            bad.parse(today),
            ReferralInput {
                reason: "".into(),
                ..referral(hela, "2026-11-02")
            }
            .parse(today),
        )
        .await);
    let AppError::Invalid(fields) = e else {
        panic!("field errors, not {e:?}");
    };
    let named: Vec<&str> = fields.0.iter().map(|f| f.field.as_str()).collect();
    assert!(
        named.contains(&"given_name") && named.contains(&"reason"),
        "{named:?}"
    );
    // With the consent she gives at registration: registered as referred,
    // and the referral relies on that consent.
    let shared = h.input("Nasra", "Remissdotter", &pnr("19790101", 321), kommun);
    let (pid, id) = h
        .app
        .register_and_refer(
            &coach,
            shared.parse(today),
            referral(hela, "2026-11-02").parse(today),
        )
        .await
        .expect("registered and referred");
    let her = h.read(&coach, pid).await;
    assert_eq!(
        her.participant.state.status,
        palett_domain::lifecycle::Status::Referred
    );
    let view = h
        .app
        .referral(&hm, id)
        .await
        .expect("Hela Människan sees it");
    assert_eq!(view.referral.participant_id, pid);
    assert_eq!(view.referral.sent_on, date(2026, 11, 2));
    assert!(view.referral.consent_id.is_some());
    assert!(view.may_answer);
}
