//! The subject access export holds everything about her.

use crate::harness::*;
use jiff::civil::date;
use palett_app::AppError;
use palett_domain::palette::{EnrolmentStatus, InterventionInput};
use palett_domain::path::*;
use palett_domain::plan::PlanInput;

pub(crate) async fn the_subject_access_export_holds_everything(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let kommun = coach.user.organisation_id;
    let mut form = h.input("Nour", "Utdragsson", &pnr("19880808", 808), kommun);
    form.intake_date = "2026-11-20".into();
    let p = h.register(&ctx, &form).await;
    let walk = h
        .app
        .submit_intervention(
            &coordinator,
            &InterventionInput {
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
        .expect("intervention");
    let group = h
        .app
        .create_group(&ctx, walk, &new_group("Måndagar"))
        .await
        .expect("group");
    let today = h.app.today().to_string();
    h.app
        .schedule(
            &ctx,
            group,
            &ScheduleInput {
                from: today.clone(),
                until: String::new(),
                start_time: "18:00".into(),
                minutes: "60".into(),
                place: String::new(),
            }
            .parse()
            .expect("a valid schedule"),
        )
        .await
        .expect("schedule");
    let (_, status) = h
        .app
        .enrol(&ctx, p, &Enrol::in_group(walk, group))
        .await
        .expect("enrol");
    assert_eq!(status, EnrolmentStatus::Planned);
    let (_, sessions, _) = h.app.group(&ctx, group).await.expect("group");
    h.app
        .record_attendance(
            &ctx,
            sessions[0].id,
            &marks(&[(p.to_string(), "present".into())]),
        )
        .await
        .expect("attendance");
    let plan = PlanInput {
        goal_text: vec!["Jag vill gå längre".into()],
        goal_category: vec!["health".into()],
        ..Default::default()
    };
    h.app.submit_plan(&ctx, p, &plan).await.expect("plan");
    h.read(&coordinator, p).await;

    let x = h.app.subject_access(&ctx, p).await.expect("export");
    assert_eq!(x.participant.family_name, "Utdragsson");
    assert_eq!(
        x.consents.len(),
        2,
        "participation and sharing, given at intake"
    );
    assert_eq!(x.plans.len(), 1);
    assert_eq!(x.plans[0].1.goals[0].text, "Jag vill gå längre");
    assert_eq!(x.enrolments.len(), 1);
    assert_eq!(x.attendance.len(), 1);
    assert_eq!(x.attendance[0].minutes, 60);
    assert!(
        x.log
            .iter()
            .any(|e| e.action == "participant.read"
                && e.user_name.as_deref() == Some("Sara Samordnare")),
        "the coordinator's read is in her log"
    );
    // The export itself is logged; strangers cannot make one.
    let again = h.app.subject_access(&ctx, p).await.expect("export");
    assert!(again.log.iter().any(|e| e.action == "participant.export"));
    not_found(h.app.subject_access(&h.ctx(AF).await, p).await);
    not_found(h.app.subject_access(&h.ctx(EVALUATOR).await, p).await);
}

/// Notes keep to their visibility; rectification keeps the old profile; the
/// export holds both.
pub(crate) async fn notes_keep_their_visibility_and_rectification_keeps_history(h: H) {
    h.seed().await;
    let kim = h.signed(COACH).await;
    let kim_ctx = kim.ctx(IP);
    let coordinator = h.ctx(COORDINATOR).await;
    let mut form = h.input(
        "Rahel",
        "Anteckningsdotter",
        &pnr("19900101", 111),
        kim.user.organisation_id,
    );
    form.intake_date = "2026-11-20".into();
    let p = h.register(&kim_ctx, &form).await;
    h.app
        .submit_note(&kim_ctx, p, "Bara för kommunen", "own_organisation")
        .await
        .expect("own note");
    h.app
        .submit_note(&kim_ctx, p, "Delas med parterna", "shared")
        .await
        .expect("shared note");
    assert_invalid(
        h.app.submit_note(&kim_ctx, p, "x", "public").await,
        "visibility",
        "error-choice",
    );
    assert_invalid(
        h.app.submit_note(&kim_ctx, p, " ", "shared").await,
        "body",
        "error-required",
    );
    let kims: Vec<String> = h
        .app
        .notes(&kim_ctx, p)
        .await
        .expect("notes")
        .into_iter()
        .map(|n| n.body)
        .collect();
    assert_eq!(kims, vec!["Delas med parterna", "Bara för kommunen"]);
    let hm: Vec<String> = h
        .app
        .notes(&coordinator, p)
        .await
        .expect("notes")
        .into_iter()
        .map(|n| n.body)
        .collect();
    assert_eq!(
        hm,
        vec!["Delas med parterna"],
        "own-organisation notes stay there"
    );
    not_found(h.app.notes(&h.ctx(AF).await, p).await);

    // A rectification keeps the profile as it was.
    let (input, version) = h.app.participant_input(&kim_ctx, p).await.expect("form");
    let fixed = palett_domain::model::ParticipantInput {
        family_name: "Anteckningsson".into(),
        ..input
    };
    h.app
        .submit_update(&kim_ctx, p, Some(version), &fixed)
        .await
        .expect("rectify");
    let x = h.app.subject_access(&kim_ctx, p).await.expect("export");
    assert_eq!(x.participant.family_name, "Anteckningsson");
    assert_eq!(x.profile_versions.len(), 1);
    assert!(
        x.profile_versions[0].profile.contains("Anteckningsdotter"),
        "the old name is kept"
    );
    assert_eq!(x.notes.len(), 2);
}

/// The research export: consented only, pseudonymous, generalised, k-anonymous.
pub(crate) async fn the_research_export_is_pseudonymous_and_k_anonymous(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let coordinator = h.ctx(COORDINATOR).await;
    let key = "följeforskningens nyckel 2026";
    let x = h
        .app
        .submit_research_export(&evaluator, key, "5")
        .await
        .expect("export");
    // Only those with a research consent in force: not every fifth, minus withdrawals.
    let all = h
        .all_participant_ids(&coordinator, &Default::default())
        .await;
    let mut consented = 0;
    for id in &all {
        let list = h.app.consents(&coordinator, *id).await.expect("consents");
        let research = list
            .iter()
            .any(|(k, f)| *f && k.kind == palett_domain::consent::ConsentKind::Research);
        let enrolled = h
            .read(&coordinator, *id)
            .await
            .participant
            .state
            .intake_date
            .is_some();
        if research && enrolled {
            consented += 1;
        }
    }
    assert_eq!(x.rows.len(), consented);
    assert!(x.rows.len() < all.len());
    // Stable pseudonyms per key, different with another key, never an id or a name.
    let again = h
        .app
        .submit_research_export(&evaluator, key, "5")
        .await
        .expect("export");
    assert_eq!(
        x.rows
            .iter()
            .map(|r| r.pseudonym.clone())
            .collect::<Vec<_>>(),
        again
            .rows
            .iter()
            .map(|r| r.pseudonym.clone())
            .collect::<Vec<_>>()
    );
    let other = h
        .app
        .submit_research_export(&evaluator, "en helt annan nyckel", "5")
        .await
        .expect("export");
    assert_ne!(x.rows[0].pseudonym, other.rows[0].pseudonym);
    assert!(x
        .rows
        .iter()
        .all(|r| r.pseudonym.len() == 16 && r.pseudonym.chars().all(|c| c.is_ascii_hexdigit())));
    assert!(
        x.rows.windows(2).all(|w| w[0].pseudonym < w[1].pseudonym),
        "sorted by pseudonym, not by id or intake"
    );
    let from_key_alone: std::collections::HashSet<String> = all
        .iter()
        .map(|id| palett_app::research::pseudonym("", key, *id))
        .collect();
    assert!(
        x.rows
            .iter()
            .all(|r| !from_key_alone.contains(&r.pseudonym)),
        "the export key alone does not recompute a pseudonym"
    );
    // No dates: intake is a year among the quasi-identifiers, time and hours are bands.
    assert!(x.rows.iter().all(|r| r.quasi.len() == 4
        && (r.quasi[3] == "*" || r.quasi[3].len() == 4)
        && ["0-5", "6-11", "12-23", "24+"].contains(&r.months_band.as_str())
        && ["0", "1-9", "10-49", "50-99", "100+"].contains(&r.hours_band.as_str())));
    // k-anonymity: every visible combination occurs at least k times.
    let mut counts = std::collections::HashMap::new();
    for r in x.rows.iter().filter(|r| r.quasi[0] != "*") {
        *counts.entry(r.quasi.clone()).or_insert(0) += 1;
    }
    assert!(counts.values().all(|n| *n >= 5));
    assert_eq!(
        x.rows.iter().filter(|r| r.quasi[0] == "*").count(),
        x.suppressed_rows
    );
    let strict = h
        .app
        .submit_research_export(&evaluator, key, "40")
        .await
        .expect("export");
    assert!(strict.suppressed_rows > x.suppressed_rows);
    // Who may, and bad input.
    forbidden(
        h.app
            .submit_research_export(&h.ctx(COACH).await, key, "5")
            .await,
    );
    assert_invalid(
        h.app.submit_research_export(&evaluator, "kort", "5").await,
        "key",
        "error-export-key",
    );
    assert_eq!(
        invalid_code(
            h.app.submit_research_export(&evaluator, key, "4").await,
            "k"
        ),
        "error-k",
        "k below 5 is refused"
    );
    assert!(
        matches!(
            err(h.app.submit_research_export(&coordinator, key, "5").await),
            AppError::Forbidden
        ),
        "coordinators see named records already; the pseudonymised export is the evaluators'"
    );
}

/// Restriction of processing: kept and readable, not changed or processed.
pub(crate) async fn restricted_processing_keeps_the_record_unchanged(h: H) {
    h.seed().await;
    let kim = h.signed(COACH).await;
    let ctx = kim.ctx(IP);
    let mut form = h.input(
        "Lina",
        "Begränsson",
        &pnr("19870707", 707),
        kim.user.organisation_id,
    );
    form.intake_date = "2026-11-20".into();
    let p = h.register(&ctx, &form).await;
    assert_invalid(
        h.app.submit_restriction(&ctx, p, Some(" ")).await,
        "reason",
        "error-required",
    );
    h.app
        .submit_restriction(&ctx, p, Some("Invänder mot behandlingen"))
        .await
        .expect("restrict");
    let v = h.read(&ctx, p).await;
    assert_eq!(
        v.participant.processing_restricted.as_deref(),
        Some("Invänder mot behandlingen")
    );
    let start = palett_domain::lifecycle::Transition::Start { on: h.app.today() };
    assert_invalid(
        h.app.transition(&ctx, p, start.clone()).await,
        "participant",
        "error-processing-restricted",
    );
    let (input, version) = h.app.participant_input(&ctx, p).await.expect("form");
    assert_invalid(
        h.app.submit_update(&ctx, p, Some(version), &input).await,
        "participant",
        "error-processing-restricted",
    );
    assert_invalid(
        h.app.submit_note(&ctx, p, "x", "shared").await,
        "participant",
        "error-processing-restricted",
    );
    assert_invalid(
        h.app
            .set_planned_end(&ctx, p, &planned_end(date(2027, 6, 1), ""))
            .await,
        "participant",
        "error-processing-restricted",
    );
    // Her rights still work: the export, and lifting the restriction.
    h.app.subject_access(&ctx, p).await.expect("export");
    h.app.submit_restriction(&ctx, p, None).await.expect("lift");
    h.app
        .transition(&ctx, p, start)
        .await
        .expect("processing again");
}
