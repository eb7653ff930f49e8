//! The audit log: who read whom, and that history cannot be rewritten.

use crate::harness::*;
use palett_app::participants::Page;
use palett_app::{audit, AppError};
use palett_store::audit::{Entry, Filter};

fn reads_by(entries: &[Entry], user_id: i64) -> usize {
    entries
        .iter()
        .filter(|e| e.action == "participant.read" && e.user_id == Some(user_id))
        .count()
}

pub(crate) async fn reads_are_audited_per_reader(h: H) {
    h.seed().await;
    let coordinator = h.signed(COORDINATOR).await;
    let coordinator_ctx = coordinator.ctx(IP);
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx("192.0.2.7");
    let handledare = h.signed(HANDLEDARE).await;
    let id = h
        .register_amal(&coach_ctx, coach.user.organisation_id)
        .await;
    let other = h
        .register_hodan(&coach_ctx, coach.user.organisation_id)
        .await;

    h.read(&coach_ctx, id).await;
    h.read(&coach_ctx, other).await;

    let about_amal = Filter {
        participant_id: Some(id),
        ..Filter::default()
    };
    let page = Page::new(None, Some(100));
    let (entries, total) = audit::list(&h.app, &coordinator_ctx, &about_amal, page)
        .await
        .expect("the coordinator reads the log");
    assert_eq!(total as usize, entries.len());
    assert!(
        entries.iter().all(|e| e.participant_id == Some(id)),
        "only rows about Amal"
    );
    let read = entries
        .iter()
        .find(|e| e.action == "participant.read")
        .expect("Kim's read is logged");
    assert_eq!(read.user_id, Some(coach.user.id));
    assert_eq!(read.user_name.as_deref(), Some("Kim Coach"));
    assert_eq!(read.organisation_name.as_deref(), Some(BOTKYRKA_KOMMUN));
    assert_eq!(read.roles, "caseworker");
    assert_eq!(
        (read.entity.as_str(), read.entity_id),
        ("participant", Some(id))
    );
    assert_eq!(read.ip, "192.0.2.7");
    assert_eq!(read.at.as_second(), h.app.now());
    assert_eq!(reads_by(&entries, coach.user.id), 1, "Kim read Amal once");
    assert_eq!(
        reads_by(&entries, coordinator.user.id),
        0,
        "the coordinator has not read her"
    );
    assert_eq!(
        reads_by(&entries, handledare.user.id),
        0,
        "Hanna has not read her"
    );
    assert!(
        entries
            .iter()
            .any(|e| e.action == "participant.create" && e.user_id == Some(coach.user.id)),
        "the registration is logged"
    );

    // A read later in the day is logged with its own time and reader.
    h.advance_secs(3600);
    h.read(&coordinator_ctx, id).await;
    let (entries, _) = audit::list(&h.app, &coordinator_ctx, &about_amal, page)
        .await
        .expect("the log again");
    assert_eq!(reads_by(&entries, coach.user.id), 1);
    assert_eq!(reads_by(&entries, coordinator.user.id), 1);
    assert_eq!(reads_by(&entries, handledare.user.id), 0);
    // Newest first: that read, then the coordinator's first look at the log
    // (recorded against Amal, whom it was about).
    let newest = &entries[0];
    assert_eq!(
        (newest.action.as_str(), newest.user_id),
        ("participant.read", Some(coordinator.user.id))
    );
    assert_eq!(newest.at.as_second(), h.app.now());
    assert_eq!(
        (entries[1].action.as_str(), entries[1].user_id),
        ("audit.read", Some(coordinator.user.id))
    );
    assert!(entries.windows(2).all(|w| w[0].id > w[1].id));

    // Filtering by reader as well.
    let kims = Filter {
        participant_id: Some(id),
        user_id: Some(coach.user.id),
        ..Filter::default()
    };
    let (entries, _) = audit::list(&h.app, &coordinator_ctx, &kims, page)
        .await
        .expect("Kim's rows");
    assert!(entries.iter().all(|e| e.user_id == Some(coach.user.id)));
    assert_eq!(reads_by(&entries, coach.user.id), 1);

    // Administrators read the log; caseworkers and evaluators do not.
    audit::list(&h.app, &h.ctx(ADMIN).await, &about_amal, page)
        .await
        .expect("the administrator reads the log");
    for email in [COACH, HANDLEDARE, EVALUATOR] {
        let ctx = h.ctx(email).await;
        assert!(
            matches!(
                err(audit::list(&h.app, &ctx, &about_amal, page).await),
                AppError::Forbidden
            ),
            "{email} may not read the audit log"
        );
    }
}

pub(crate) async fn audit_log_refuses_update_and_delete(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let id = h
        .register_amal(&coach.ctx(IP), coach.user.organisation_id)
        .await;
    h.read(&coordinator, id).await;

    let count = || async {
        let mut c = h.app.raw_db().read().await.expect("connection");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut *c)
            .await
            .expect("counting audit rows");
        n
    };
    let before = count().await;
    assert!(
        before >= 4,
        "sign-ins, the registration and the read are logged"
    );

    for sql in [
        "UPDATE audit_log SET action = 'x'",
        "UPDATE audit_log SET user_id = NULL WHERE action = 'participant.read'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'participant.read'",
    ] {
        let mut tx = h.app.raw_db().write().await.expect("transaction");
        let r = sqlx::query(sql).execute(&mut *tx).await;
        assert!(r.is_err(), "{:?} must refuse {sql:?}, got {r:?}", h.backend);
        drop(tx);
    }
    // Outside an explicit transaction too.
    let mut c = h.app.raw_db().read().await.expect("connection");
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(&mut *c)
        .await
        .is_err());
    drop(c);

    assert_eq!(count().await, before, "no row went away");
    let mut c = h.app.raw_db().read().await.expect("connection");
    let changed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'x' OR (action = 'participant.read' AND user_id IS NULL)",
    )
    .fetch_one(&mut *c)
    .await
    .expect("counting changed rows");
    assert_eq!(changed, 0, "no row changed");
}

/// If the audit row cannot be written, the change it records does not
/// happen and the caller gets an error (the two share one transaction).
pub(crate) async fn a_change_fails_when_its_audit_row_cannot_be_written(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let ctx = coach.ctx(IP);
    let before = h.count_named(&ctx, "Testsson").await;
    {
        let mut tx = h.app.raw_db().write().await.expect("transaction");
        sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_away")
            .execute(&mut *tx)
            .await
            .expect("hide the audit table");
        tx.commit().await.expect("commit");
    }
    let r = h
        .app
        .submit_registration(
            &ctx,
            &h.input(
                "Leyla",
                "Testsson",
                &pnr("19800101", 123),
                coach.user.organisation_id,
            ),
        )
        .await;
    assert!(matches!(r, Err(AppError::Internal(_))), "{r:?}");
    {
        let mut tx = h.app.raw_db().write().await.expect("transaction");
        sqlx::query("ALTER TABLE audit_log_away RENAME TO audit_log")
            .execute(&mut *tx)
            .await
            .expect("restore the audit table");
        tx.commit().await.expect("commit");
    }
    assert_eq!(
        h.count_named(&ctx, "Testsson").await,
        before,
        "no participant was stored"
    );
    // Reads fail the same way rather than go unlogged.
    let some = h
        .app
        .participants(&ctx, &Default::default(), Page::new(None, Some(1)))
        .await
        .expect("list")
        .0[0]
        .id;
    {
        let mut tx = h.app.raw_db().write().await.expect("transaction");
        sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_away")
            .execute(&mut *tx)
            .await
            .expect("hide the audit table");
        tx.commit().await.expect("commit");
    }
    assert!(matches!(
        h.app.participant(&ctx, some).await,
        Err(AppError::Internal(_))
    ));
}

/// The log review flags emergency access and heavy readers, samples reads
/// and records the reviewer's sign-off.
pub(crate) async fn the_log_review_flags_samples_and_signs(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let all = h.all_participant_ids(&coach_ctx, &Default::default()).await;
    assert!(all.len() > palett_app::audit::HEAVY_READS_PER_DAY as usize);
    for id in all
        .iter()
        .take(palett_app::audit::HEAVY_READS_PER_DAY as usize + 1)
    {
        h.read(&coach_ctx, *id).await;
    }
    // An emergency access by the coordinator to someone she cannot see.
    let mut form = input(
        "Glas",
        "Krossdotter",
        &pnr("19690909", 909),
        coach.user.organisation_id,
    );
    form.intake_date = "2026-11-20".into();
    let hidden = h.register(&coach_ctx, &form).await;
    h.app
        .submit_emergency(
            &coordinator,
            &hidden.to_string(),
            "",
            "Oro för hennes säkerhet efter samtalet",
        )
        .await
        .expect("glass");
    h.read(&coordinator, hidden).await;

    let now = h.app.now();
    let review = palett_app::audit::log_review(&h.app, &coordinator, now - 86_400, now + 1, 10)
        .await
        .expect("review");
    assert!(review
        .heavy
        .iter()
        .any(|r| r.user_id == coach.user.id && r.count > palett_app::audit::HEAVY_READS_PER_DAY));
    let glass = review
        .emergency
        .iter()
        .find(|r| r.entry.action == "participant.emergency_access")
        .expect("the emergency access is flagged");
    assert_eq!(
        glass.reason.as_deref(),
        Some("Oro för hennes säkerhet efter samtalet"),
        "with the stated reason"
    );
    assert!(review
        .emergency
        .iter()
        .any(|r| r.entry.entity == "emergency" && r.entry.participant_id == Some(hidden)));
    assert_eq!(review.sample.len(), 10);
    assert!(review.sample.iter().all(|e| e.action == "participant.read"));
    assert!(review.due, "no review signed yet");
    let ids: Vec<i64> = review.sample.iter().map(|e| e.id).collect();
    assert!(matches!(
        err(palett_app::audit::sign_log_review(
            &h.app,
            &coordinator,
            (now - 86_400, now + 1),
            &ids,
            " "
        )
        .await),
        AppError::Invalid(_)
    ));
    // Only reads of the period can be signed for, over a real period.
    let sign = |period, ids: Vec<i64>| {
        let app = h.app.clone();
        let ctx = coordinator.clone();
        async move { palett_app::audit::sign_log_review(&app, &ctx, period, &ids, "Granskat.").await }
    };
    assert_eq!(
        invalid_code(
            sign((now - 86_400, now + 1), vec![glass.entry.id]).await,
            "sample"
        ),
        "error-review-sample",
        "the emergency access is not a read to sign for"
    );
    assert_eq!(
        invalid_code(
            sign((now - 3_600, now - 1_800), ids.clone()).await,
            "sample"
        ),
        "error-review-sample",
        "reads outside the period"
    );
    assert_invalid(
        sign((now + 1, now - 86_400), ids.clone()).await,
        "period",
        "error-period",
    );
    palett_app::audit::sign_log_review(
        &h.app,
        &coordinator,
        (now - 86_400, now + 1),
        &ids,
        "Alla läsningar hade stöd i uppdraget.",
    )
    .await
    .expect("sign");
    let after = palett_app::audit::log_review(&h.app, &coordinator, now - 86_400, now + 1, 10)
        .await
        .expect("review");
    assert_eq!(after.reviews.len(), 1);
    assert!(!after.due, "signed just now");
    // A month and a day on, the next is due.
    h.advance_secs(32 * 86_400);
    let later = palett_app::audit::log_review(&h.app, &coordinator, now, h.app.now(), 10)
        .await
        .expect("review");
    assert!(later.due, "the last review is over a month old");
    let mut signed = after.reviews[0].sample.clone();
    signed.sort_unstable();
    let mut shown = ids.clone();
    shown.sort_unstable();
    assert_eq!(signed, shown, "the signed sample is the one shown");
    forbidden(palett_app::audit::log_review(&h.app, &coach_ctx, 0, now, 5).await);
}

/// Someone who probes ids she may not see stands out on the log review:
/// every refused request for a participant resource is counted per user
/// and day, in its own small transaction after the refused one, without
/// the ids she tried.
pub(crate) async fn refused_reads_are_counted_per_user_and_day_for_the_review(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let lena = h.signed(LARARE).await;
    let lena_ctx = lena.ctx(IP);
    let kim = h.signed(COACH).await;
    let kim_ctx = kim.ctx(IP);
    let visible: std::collections::BTreeSet<i64> = h
        .all_participant_ids(&lena_ctx, &Default::default())
        .await
        .into_iter()
        .collect();
    let all = h
        .all_participant_ids(&coordinator, &Default::default())
        .await;
    let hidden: Vec<i64> = all
        .iter()
        .copied()
        .filter(|id| !visible.contains(id))
        .take(30)
        .collect();
    assert_eq!(hidden.len(), 30);
    // Thirty records and parts she may not see, and ids that do not exist:
    // each refused like the web layer does, then counted.
    let mut probes = 0;
    for (n, id) in hidden.iter().enumerate() {
        let refused = match n % 3 {
            0 => h.app.participant(&lena_ctx, *id).await.map(|_| ()),
            1 => h.app.consents(&lena_ctx, *id).await.map(|_| ()),
            _ => h.app.plan_versions(&lena_ctx, *id).await.map(|_| ()),
        };
        not_found(refused);
        audit::note_refusal(&h.app, &lena_ctx).await;
        probes += 1;
    }
    for id in [99_999_990, 99_999_991] {
        not_found(h.app.participant(&lena_ctx, id).await);
        audit::note_refusal(&h.app, &lena_ctx).await;
        probes += 1;
    }
    // Kim is refused twice, a day later.
    h.advance_secs(86_400);
    for _ in 0..2 {
        audit::note_refusal(&h.app, &kim_ctx).await;
    }

    let now = h.app.now();
    let review = audit::log_review(&h.app, &coordinator, now - 3 * 86_400, now + 1, 10)
        .await
        .expect("review");
    let rows: Vec<(i64, i64)> = review
        .refused
        .iter()
        .map(|r| (r.user_id, r.count))
        .collect();
    assert_eq!(
        rows,
        vec![(lena.user.id, probes), (kim.user.id, 2)],
        "per user and day, most first"
    );
    assert!(review.refused[0].count >= audit::REFUSALS_FLAGGED_PER_DAY);
    assert_eq!(review.refused[0].name, lena.user.display_name);
    let days: Vec<i64> = review.refused.iter().map(|r| r.day).collect();
    assert_eq!(days[1] - days[0], 86_400, "each day counted on its own");
    // A review of the last day only has Kim's.
    let review = audit::log_review(&h.app, &coordinator, now - 3_600, now + 1, 10)
        .await
        .expect("review");
    assert_eq!(
        review
            .refused
            .iter()
            .map(|r| (r.user_id, r.count))
            .collect::<Vec<_>>(),
        vec![(kim.user.id, 2)]
    );
    // The ids she tried are nowhere in the log against her.
    let (log, _) = audit::list(
        &h.app,
        &coordinator,
        &Filter {
            user_id: Some(lena.user.id),
            ..Default::default()
        },
        Page::new(None, Some(100)),
    )
    .await
    .expect("log");
    assert!(log
        .iter()
        .all(|e| e.participant_id.is_none_or(|p| !hidden.contains(&p))));
}

/// The log searched as a person asks: by the name of whoever acted, by the
/// name of the participant an entry is about (found only among those the
/// reader may see), by action; and the page names only those she may see.
pub(crate) async fn the_log_is_searched_by_name_within_the_readers_scope(h: H) {
    h.seed().await;
    let coach = h.signed(COACH).await;
    let coach_ctx = coach.ctx(IP);
    let org = coach.user.organisation_id;
    // Amal is shared with every partner; Sagal is kept to the kommun.
    let amal = h.register_amal(&coach_ctx, org).await;
    let sagal = h
        .register(
            &coach_ctx,
            &input("Sagal", "Enskild", &pnr("19900315", 123), org),
        )
        .await;
    h.read(&coach_ctx, amal).await;
    h.read(&coach_ctx, sagal).await;
    let page = Page::new(None, Some(100));
    let search = |participant_name: &str, user_name: &str, action: Option<&str>| audit::Search {
        filter: Filter {
            action: action.map(str::to_string),
            ..Filter::default()
        },
        user_name: Some(user_name.to_string()).filter(|s| !s.is_empty()),
        participant_name: Some(participant_name.to_string()).filter(|s| !s.is_empty()),
    };

    // Hela Människan's coordinator finds Amal by name, and Sagal not at all.
    let hm = h.ctx(COORDINATOR).await;
    let found = audit::search(&h.app, &hm, &search("testsson", "", None), page)
        .await
        .expect("a search by her name");
    assert!(found.total > 0);
    assert!(found.entries.iter().all(|e| e.participant_id == Some(amal)));
    assert_eq!(
        found.names.get(&amal).map(String::as_str),
        Some("Amal Testsson")
    );
    let none = audit::search(&h.app, &hm, &search("Enskild", "", None), page)
        .await
        .expect("a search by a name she may not see");
    assert_eq!((none.total, none.entries.len()), (0, 0));
    // Her entries are in the log, but not named for this reader.
    let about_sagal = audit::Search {
        filter: Filter {
            participant_id: Some(sagal),
            ..Filter::default()
        },
        ..audit::Search::default()
    };
    let rows = audit::search(&h.app, &hm, &about_sagal, page)
        .await
        .expect("her rows by id");
    assert!(rows.total > 0);
    assert!(rows.names.is_empty(), "{:?}", rows.names);
    // The kommun's coordinator, whose organisation is responsible, finds and
    // names her.
    let kommun = h.ctx(KOMMUN_COORDINATOR).await;
    let hers = audit::search(&h.app, &kommun, &search("enskild", "", None), page)
        .await
        .expect("her own organisation's search");
    assert!(hers.total > 0);
    assert!(hers.entries.iter().all(|e| e.participant_id == Some(sagal)));
    assert_eq!(
        hers.names.get(&sagal).map(String::as_str),
        Some("Sagal Enskild")
    );

    // By the name of whoever acted, in any case, and by action.
    let kims = audit::search(&h.app, &hm, &search("", "KIM", None), page)
        .await
        .expect("Kim's entries");
    assert!(kims.total >= 4, "two registrations and two reads");
    assert!(kims
        .entries
        .iter()
        .all(|e| e.user_id == Some(coach.user.id)));
    assert!(kims.people.iter().any(|p| p.name == "Kim Coach"));
    let nobody = audit::search(&h.app, &hm, &search("", "Ingen Alls", None), page)
        .await
        .expect("no such user");
    assert_eq!(nobody.total, 0);
    let reads = audit::search(
        &h.app,
        &hm,
        &search("", "kim", Some("participant.read")),
        page,
    )
    .await
    .expect("Kim's reads");
    assert_eq!(reads.total, 2);
    assert!(reads.entries.iter().all(|e| e.action == "participant.read"));

    // Caseworkers may not search it.
    assert!(matches!(
        err(audit::search(&h.app, &coach_ctx, &search("testsson", "", None), page).await),
        AppError::Forbidden
    ));
    assert!(matches!(
        err(audit::people(&h.app, &coach_ctx).await),
        AppError::Forbidden
    ));
}
