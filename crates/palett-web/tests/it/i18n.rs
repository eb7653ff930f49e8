use crate::support::*;
use axum::http::StatusCode;
use palett_web::i18n::{Lang, Tr, EN_FTL, SV_FTL};

fn ids(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
        .filter_map(|l| l.split(" = ").next().map(|s| s.trim().to_string()))
        .collect()
}

#[test]
fn both_locales_have_the_same_messages() {
    let (sv, en) = (ids(SV_FTL), ids(EN_FTL));
    let missing_en: Vec<_> = sv.iter().filter(|i| !en.contains(i)).collect();
    let missing_sv: Vec<_> = en.iter().filter(|i| !sv.contains(i)).collect();
    assert!(
        missing_en.is_empty() && missing_sv.is_empty(),
        "en lacks {missing_en:?}; sv lacks {missing_sv:?}"
    );
}

#[test]
fn no_message_is_defined_twice() {
    for (lang, ftl) in [("sv", SV_FTL), ("en", EN_FTL)] {
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<String> = ids(ftl)
            .into_iter()
            .filter(|id| !seen.insert(id.clone()))
            .collect();
        assert!(twice.is_empty(), "{lang} defines twice: {twice:?}");
    }
}

/// The text of every file below `dir` ending in `.ext`.
fn files_under(dir: &str, ext: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            out.extend(files_under(path.to_str().expect("a UTF-8 path"), ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(std::fs::read_to_string(&path).expect("a readable source"));
        }
    }
    out
}

#[test]
fn every_message_id_the_code_uses_exists() {
    // Every source file and template of the web crate, found on disk (so
    // that a new file cannot be left out), and the domain and app files
    // whose message ids reach the pages.
    let web = env!("CARGO_MANIFEST_DIR");
    let mut owned = files_under(&format!("{web}/src"), "rs");
    owned.extend(files_under(&format!("{web}/templates"), "html"));
    assert!(owned.len() > 40, "found the web sources: {}", owned.len());
    let mut sources: Vec<&str> = owned.iter().map(String::as_str).collect();
    sources.extend([
        include_str!("../../../palett-domain/src/consent.rs"),
        include_str!("../../../palett-app/src/consents.rs"),
        include_str!("../../../palett-domain/src/palette.rs"),
        include_str!("../../../palett-domain/src/plan.rs"),
        include_str!("../../../palett-app/src/palette.rs"),
        include_str!("../../../palett-domain/src/values.rs"),
        include_str!("../../../palett-domain/src/model.rs"),
        include_str!("../../../palett-domain/src/lifecycle.rs"),
        include_str!("../../../palett-domain/src/personnummer.rs"),
        include_str!("../../../palett-app/src/participants.rs"),
        include_str!("../../../palett-app/src/admin.rs"),
        include_str!("../../../palett-app/src/projects.rs"),
    ]);
    let mut missing = Vec::new();
    for src in sources {
        // In templates only t.get("…") arguments are ids (the rest are CSS
        // classes and attributes); in Rust every matching string literal.
        let pieces: Vec<&str> = if src.contains("{%") {
            src.split("t.get(\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .collect()
        } else {
            src.split('"').skip(1).step_by(2).collect()
        };
        for piece in pieces {
            let looks_like_id = piece.len() > 3
                && !piece.ends_with('-')
                && piece.contains('-')
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                && [
                    "error-",
                    "field-",
                    "hint-",
                    "nav-",
                    "fig-",
                    "action-",
                    "sign-",
                    "page-",
                    "token-",
                    "employer-",
                    "employers-",
                ]
                .iter()
                .any(|p| piece.starts_with(p));
            if looks_like_id {
                for lang in Lang::STAFF {
                    if !Tr::new(lang).has(piece) {
                        missing.push(format!("{}:{piece}", lang.code()));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "messages missing: {missing:?}");
}

#[test]
fn every_vocabulary_value_has_a_label() {
    use palett_domain::lifecycle::{ExitOutcome, Status, TransitionKind};
    use palett_domain::policy::Role;
    use palett_domain::values::*;
    let mut ids: Vec<String> = Vec::new();
    ids.extend(Status::ALL.iter().map(|v| v.message_id()));
    ids.extend(ExitOutcome::ALL.iter().map(|v| v.message_id()));
    ids.extend(TransitionKind::ALL.iter().map(|v| v.message_id()));
    ids.extend(
        TransitionKind::ALL
            .iter()
            .map(|v| format!("action-{}", v.as_str()))
            .filter(|i| i != "action-referral"),
    );
    ids.extend(Role::ALL.iter().map(|v| v.message_id()));
    ids.extend(Gender::ALL.iter().map(|v| v.message_id()));
    ids.extend(OrganisationKind::ALL.iter().map(|v| v.message_id()));
    ids.extend(EducationLevel::ALL.iter().map(|v| v.message_id()));
    ids.extend(SwedishLevel::ALL.iter().map(|v| v.message_id()));
    ids.extend(ReferralSource::ALL.iter().map(|v| v.message_id()));
    ids.extend(IdentityKind::ALL.iter().map(|v| v.message_id()));
    {
        use palett_domain::palette::*;
        use palett_domain::plan::GoalCategory;
        ids.extend(InterventionKind::ALL.iter().map(|v| v.message_id()));
        ids.extend(EnrolmentStatus::ALL.iter().map(|v| v.message_id()));
        ids.extend(AttendanceStatus::ALL.iter().map(|v| v.message_id()));
        ids.extend(SessionStatus::ALL.iter().map(|v| v.message_id()));
        ids.extend(PauseKind::ALL.iter().map(|v| v.message_id()));
        ids.extend(GoalCategory::ALL.iter().map(|v| v.message_id()));
        use palett_domain::consent::{ConsentKind, ConsentMethod};
        ids.extend(ConsentKind::ALL.iter().map(|v| v.message_id()));
        ids.extend(ConsentMethod::ALL.iter().map(|v| v.message_id()));
        use palett_domain::employer::{ContactKind, Industry};
        ids.extend(Industry::ALL.iter().map(|v| v.message_id()));
        ids.extend(ContactKind::ALL.iter().map(|v| v.message_id()));
        use palett_domain::opening::*;
        ids.extend(OpeningKind::ALL.iter().map(|v| v.message_id()));
        ids.extend(EmploymentForm::ALL.iter().map(|v| v.message_id()));
        ids.extend(OpeningStatus::ALL.iter().map(|v| v.message_id()));
        ids.extend(PhysicalDemands::ALL.iter().map(|v| v.message_id()));
        ids.extend(WorkingHours::ALL.iter().map(|v| v.message_id()));
        ids.extend(
            OpeningStatus::ALL
                .iter()
                .map(|v| format!("opening-mark-{}", v.as_str())),
        );
        use palett_domain::proposal::{NotPlacedReason, Stage};
        ids.extend(Stage::ALL.iter().map(|v| v.message_id()));
        ids.extend(NotPlacedReason::ALL.iter().map(|v| v.message_id()));
        use palett_domain::placement::{PlacementResult, ReviewKind};
        ids.extend(PlacementResult::ALL.iter().map(|v| v.message_id()));
        ids.extend(ReviewKind::ALL.iter().map(|v| v.message_id()));
        use palett_domain::referral::{
            DeclineReason, ReferralOrigin, ReferralPurpose, ReferralState,
        };
        ids.extend(ReferralOrigin::ALL.iter().map(|v| v.message_id()));
        ids.extend(ReferralPurpose::ALL.iter().map(|v| v.message_id()));
        ids.extend(ReferralState::ALL.iter().map(|v| v.message_id()));
        ids.extend(DeclineReason::ALL.iter().map(|v| v.message_id()));
        use palett_domain::matching::Reason;
        ids.extend(Reason::ALL.iter().map(|r| r.message_id()));
    }
    for lang in Lang::STAFF {
        let missing: Vec<_> = ids.iter().filter(|i| !Tr::new(lang).has(i)).collect();
        assert!(missing.is_empty(), "{}: {missing:?}", lang.code());
    }
}

/// Every page renders in every locale with no untranslated id left.
#[tokio::test]
async fn every_page_renders_in_every_locale() {
    let t = TestApp::new().await;
    let [coordinator, admin, evaluator] = t.browsers([COORDINATOR, ADMIN, EVALUATOR]).await;
    let first = t.listed_participant(&coordinator, 3).await;
    let pages: Vec<(&_, String)> = vec![
        (&coordinator, "/".into()),
        (&coordinator, "/participants".into()),
        (&coordinator, "/participants?status=ended&page=2".into()),
        (&coordinator, "/participants/new".into()),
        (&coordinator, format!("/participants/{first}")),
        (&coordinator, format!("/participants/{first}/edit")),
        (&coordinator, format!("/participants/{first}/status/reopen")),
        (&coordinator, "/partners".into()),
        (&coordinator, "/projects".into()),
        (&coordinator, "/projects/new".into()),
        (&coordinator, "/audit".into()),
        (&coordinator, "/tokens".into()),
        (&coordinator, "/palette".into()),
        (&coordinator, "/palette/new".into()),
        (&coordinator, "/palette/1".into()),
        (&coordinator, "/palette/2".into()),
        (&coordinator, "/palette/2/modules/new".into()),
        (&coordinator, "/palette/3/groups/new".into()),
        (&coordinator, "/groups/1".into()),
        (&coordinator, "/groups/1/schedule".into()),
        (&coordinator, "/sessions/1/attendance".into()),
        (&coordinator, "/sessions/1/cancel".into()),
        (&coordinator, "/sessions/1/move".into()),
        (&coordinator, "/reports".into()),
        (&coordinator, "/dashboard".into()),
        (&coordinator, "/projects/1/dashboard".into()),
        (
            &coordinator,
            "/projects/1/dashboard?by=age_group&indicator=share_job_or_studies".into(),
        ),
        (
            &coordinator,
            "/projects/1/dashboard?by=organisation&indicator=median_days".into(),
        ),
        (&coordinator, "/projects/1/dashboard?by=intake_month".into()),
        (
            &coordinator,
            "/projects/1/dashboard/participants?indicator=share_job_or_studies&base=1".into(),
        ),
        (
            &coordinator,
            "/projects/1/dashboard/participants?outcome=studies&group=gender:woman".into(),
        ),
        (&coordinator, "/projects/1/goals".into()),
        (&coordinator, "/projects/1/reports/final".into()),
        (&coordinator, "/projects/1/reports/finsam".into()),
        (&coordinator, "/follow-ups".into()),
        (&coordinator, "/employers".into()),
        (&coordinator, "/employers?inactive=1&q=ab".into()),
        (&coordinator, "/employers/new".into()),
        (&coordinator, "/employers/1?done=created".into()),
        (&coordinator, "/employers/1/edit".into()),
        (&coordinator, "/employers/1/contacts/new".into()),
        (&coordinator, "/employers/1/contacts/1/remove".into()),
        (&coordinator, "/employers/1/log/new".into()),
        (&coordinator, "/openings".into()),
        (
            &coordinator,
            "/openings?status=all&kind=job&area=sales".into(),
        ),
        (&coordinator, "/openings/1?done=created".into()),
        (&coordinator, "/openings/1/edit".into()),
        (&coordinator, "/employers/1/openings/new".into()),
        (&coordinator, "/openings/3/candidates".into()),
        (&coordinator, format!("/participants/{first}/openings")),
        (&coordinator, "/referrals".into()),
        (&coordinator, "/referrals?side=outgoing&state=stale".into()),
        (&coordinator, "/referral-routines".into()),
        (&coordinator, "/referrals/new".into()),
        (&coordinator, "/reports/referrals".into()),
        (&coordinator, "/participants?ending=30".into()),
        (&coordinator, "/participants?consent_expiring=30".into()),
        (&coordinator, "/participants?plan=none".into()),
        (&coordinator, "/participants?placement_review=due".into()),
        (&coordinator, format!("/participants/{first}/referrals")),
        (&coordinator, format!("/participants/{first}/referrals/new")),
        (&coordinator, "/projects/1/reports/before_after".into()),
        (&coordinator, "/projects/1/reports/esf_indicators".into()),
        (&coordinator, "/projects/1/esf-months?month=2020-03".into()),
        (&coordinator, format!("/participants/{first}/plan")),
        (&coordinator, format!("/participants/{first}/plan/edit")),
        (
            &coordinator,
            format!("/participants/{first}/enrolments/new"),
        ),
        (&coordinator, format!("/participants/{first}/period")),
        (
            &coordinator,
            format!("/participants/{first}/activities/new"),
        ),
        (&coordinator, format!("/participants/{first}/time")),
        (
            &coordinator,
            format!("/participants/{first}/self-assessments"),
        ),
        (
            &coordinator,
            format!("/participants/{first}/self-assessments/new"),
        ),
        (
            &coordinator,
            "/projects/1/dashboard?by=intervention&indicator=attendance_rate".into(),
        ),
        (
            &coordinator,
            "/dashboard?by=project&indicator=hours_per_participant".into(),
        ),
        (&coordinator, format!("/participants/{first}/consents/new")),
        (&coordinator, "/consents/1/withdraw".into()),
        (&coordinator, "/emergency".into()),
        (&coordinator, "/audit/review".into()),
        (&admin, "/admin/retention".into()),
        (&admin, "/account/second-factor".into()),
        (&evaluator, "/exports/research".into()),
        (&admin, "/audit/review?from=2026-01-01&to=2026-12-31".into()),
        (&coordinator, format!("/participants/{first}/export")),
        (&admin, "/admin/users".into()),
        (&admin, "/admin/users/new".into()),
        (&admin, "/admin/organisations/new".into()),
        (&admin, "/admin/memberships/new".into()),
        (&admin, "/admin/memberships/1/end".into()),
        (&admin, "/partners".into()),
    ];
    let untranslated = |body: &str| -> Option<String> {
        body.split('[').skip(1).find_map(|s| {
            let id = s.split(']').next()?;
            (id.contains('-') && id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
                .then(|| id.to_string())
        })
    };
    for lang in ["sv", "en"] {
        for (who, path) in &pages {
            let r = t.page_in(who, path, lang).await;
            assert_eq!(r.status, StatusCode::OK, "{lang} {path}: {}", r.body);
            assert!(
                r.body.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            assert_eq!(untranslated(&r.body), None, "{lang} {path}");
        }
    }
    let login = t.get("/login", None).await;
    assert_eq!(untranslated(&login.body), None);
}

#[test]
fn plurals_follow_the_number() {
    let sv = Tr::new(Lang::Sv);
    assert!(sv
        .with("plan-versions-count", &[("count", "1".into())])
        .starts_with("En version"));
    assert!(sv
        .with("plan-versions-count", &[("count", "3".into())])
        .starts_with("3 versioner"));
    let en = Tr::new(Lang::En);
    assert!(en
        .with("plan-versions-count", &[("count", "1".into())])
        .starts_with("One version"));
}
