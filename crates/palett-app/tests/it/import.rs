//! Importing participants from a spreadsheet: the preview writes nothing,
//! a bad row keeps the whole file out until it is excluded, the import
//! moves the dashboard by exactly its rows, and undo takes it all back.

use crate::harness::*;
use palett_app::AppError;
use palett_domain::import::Labels;
use palett_store::participant::Filter;

const PROJECT: &str = "Vidare mot arbete";

/// Five women in the project, taken in; two ended, one of them to a job;
/// row 7 has an impossible birth date.
fn file() -> String {
    let rows = [
        "förnamn;efternamn;personnummer;kön;ansvarig organisation;projekt;remittent;inskrivning;start;avslut;avslutsorsak;samtycke;delning med",
        &format!("Importa;Ett;{};woman;Hela Människan;Vidare mot arbete;municipality;2026-09-01;2026-09-02;;;signed_paper;Botkyrka kommun", pnr("19900101", 123)),
        &format!("Importa;Två;{};woman;Hela Människan;Vidare mot arbete;municipality;2026-09-01;2026-09-02;2026-11-01;employment_unsubsidised;;", pnr("19910202", 234)),
        &format!("Importa;Tre;{};woman;Hela Människan;Vidare mot arbete;self;2026-09-01;2026-09-02;2026-11-02;job_seeking;;", pnr("19920303", 345)),
        &format!("Importa;Fyra;{};woman;Hela Människan;Vidare mot arbete;self;2026-10-01;;;;;", pnr("19930404", 456)),
        &format!("Importa;Fem;{};woman;Hela Människan;Vidare mot arbete;self;2026-10-01;2026-10-05;;;;", pnr("19940505", 567)),
        "Importa;Sex;;woman;Hela Människan;Vidare mot arbete;self;2026-10-01;;;;;",
    ];
    rows.join("\n") + "\n"
}

async fn imported(h: &H, ctx: &palett_app::Ctx) -> usize {
    h.all_participant_ids(
        ctx,
        &Filter {
            name: Some("importa".into()),
            ..Filter::default()
        },
    )
    .await
    .len()
}

pub(crate) async fn an_import_previews_commits_whole_and_undoes(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let labels = Labels::default();
    let all = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await
        .len();
    let before = h.summary(&coordinator, PROJECT).await;
    let bytes = file().into_bytes();

    // A caseworker may not import.
    let caseworker = h.ctx(HANDLEDARE).await;
    forbidden(h.app.import_preview(&caseworker, &bytes, &labels).await);

    // The preview names the bad row and column, and writes nothing.
    let preview = h
        .app
        .import_preview(&coordinator, &bytes, &labels)
        .await
        .expect("preview");
    assert_eq!(preview.rows.len(), 6);
    assert_eq!(preview.error_rows(), 1);
    let bad = &preview.rows[5];
    assert_eq!(bad.row, 7);
    assert_eq!(bad.errors[0].column, "birth_date");
    assert_eq!(
        h.all_participant_ids(&coordinator, &Filter::default())
            .await
            .len(),
        all
    );
    assert_eq!(h.summary(&coordinator, PROJECT).await, before);

    // With the bad row in, nothing is committed; the error names the row.
    match h
        .app
        .import_commit(&coordinator, "deltagare.csv", &bytes, &[], &labels)
        .await
    {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1);
            assert_eq!(e.0[0].field, "birth_date");
            assert_eq!(e.0[0].args, vec![("row", "7".to_string())]);
        }
        other => panic!("expected the bad row refused, got {other:?}"),
    }
    assert_eq!(imported(&h, &coordinator).await, 0);

    // Excluded, the other five are imported in one go.
    let done = h
        .app
        .import_commit(&coordinator, "deltagare.csv", &bytes, &[7], &labels)
        .await
        .expect("commit");
    assert_eq!(done.participant_ids.len(), 5);
    assert_eq!(imported(&h, &coordinator).await, 5);
    let after = h.summary(&coordinator, PROJECT).await;
    // Hand-computed: five taken in, two ended, one to a job, three still
    // taking part (rows 2, 5 and 6; row 5 enrolled, not yet started).
    assert_eq!(after.enrolled, before.enrolled + 5);
    assert_eq!(after.ended, before.ended + 2);
    assert_eq!(
        after.ended_to_job_or_studies,
        before.ended_to_job_or_studies + 1
    );
    assert_eq!(after.active, before.active + 3);

    // Importing the same file again finds them by identity number.
    let again = h
        .app
        .import_preview(&coordinator, &bytes, &labels)
        .await
        .expect("preview again");
    assert!(again.rows[..5].iter().all(|r| r
        .errors
        .iter()
        .any(|e| e.column == "identity_number" && e.code == "error-import-duplicate-identity")));
    assert!(again.rows[5].possible_duplicate || again.rows[5].errors.len() == 1);
    // And by name and birth date, as a warning beside it.
    assert!(
        again.rows[..5].iter().all(|r| r.possible_duplicate),
        "each imported woman's name and birth date are registered now"
    );

    // The import is one action in the log, with a row per participant.
    let admin = h.ctx(ADMIN).await;
    let log = |action: &str| palett_store::audit::Filter {
        action: Some(action.into()),
        ..palett_store::audit::Filter::default()
    };
    let page = || palett_app::participants::Page::new(None, Some(100));
    let commits = h.audit_log(&admin, &log("import.commit"), page()).await;
    assert_eq!(commits.len(), 1);
    assert_eq!(commits[0].entity_id, Some(done.import_id));
    let mut per_participant: Vec<i64> = h
        .audit_log(&admin, &log("participant.create"), page())
        .await
        .into_iter()
        .filter(|e| e.entity == "import")
        .filter_map(|e| e.participant_id)
        .collect();
    per_participant.sort_unstable();
    assert_eq!(per_participant, done.participant_ids);
    let sum = h
        .app
        .import(&coordinator, done.import_id)
        .await
        .expect("import");
    assert_eq!(sum.record.state, "committed");
    assert_eq!(sum.participant_ids, done.participant_ids);

    // Undo removes exactly what it created.
    let undone = h
        .app
        .import_undo(&coordinator, done.import_id)
        .await
        .expect("undo");
    assert_eq!(undone.len(), 5);
    assert_eq!(imported(&h, &coordinator).await, 0);
    assert_eq!(
        h.all_participant_ids(&coordinator, &Filter::default())
            .await
            .len(),
        all
    );
    assert_eq!(h.summary(&coordinator, PROJECT).await, before);
    assert!(h
        .app
        .import_undo(&coordinator, done.import_id)
        .await
        .is_err());

    // Imported again, and one of them changed: undo is refused and
    // removes nothing.
    let done = h
        .app
        .import_commit(&coordinator, "deltagare.csv", &bytes, &[7], &labels)
        .await
        .expect("commit again");
    h.advance_secs(60);
    let fyra = done.participant_ids[3];
    h.app
        .transition(
            &coordinator,
            fyra,
            palett_domain::lifecycle::Transition::Start {
                on: jiff::civil::date(2026, 11, 20),
            },
        )
        .await
        .expect("starting her");
    match h.app.import_undo(&coordinator, done.import_id).await {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.0[0].code, "error-import-changed-since");
            assert_eq!(e.0[0].existing_id, Some(fyra));
        }
        other => panic!("expected undo refused, got {other:?}"),
    }
    assert_eq!(imported(&h, &coordinator).await, 5);
}

/// Her enrolments for the five imported by [`file`] (by identity number,
/// or name and birth date), in the partnership's interventions; row 6
/// names no intervention of the palette and row 7 a woman not in palett.
fn enrolment_file() -> String {
    let rows = [
        "personnummer;förnamn;efternamn;födelsedatum;insats;grupp;status;startdatum;slutdatum;orsak",
        &format!("{};;;;Promenad och hälsa;Promenad fredagar;ongoing;2026-09-07;;", pnr("19900101", 123)),
        ";Importa;Två;1991-02-02;Svenska och samhälle;Svenska och samhälle, grupp 1;Avslutad;2026-09-07;2026-10-30;",
        &format!("{};;;;Språkcafé i Tumba;;discontinued;2026-09-07;2026-10-15;Flyttade till Malmö", pnr("19920303", 345)),
        &format!("{};;;;promenad och hälsa;promenad fredagar;planned;2026-11-30;;", pnr("19940505", 567)),
        &format!("{};;;;Stickcafé;;planned;;;", pnr("19930404", 456)),
        &format!("{};;;;Promenad och hälsa;;planned;;;", pnr("19950606", 678)),
    ];
    rows.join("\n") + "\n"
}

/// Her time in an intervention, a row a day; row 5 is after her exit.
fn time_file() -> String {
    let rows = [
        "personnummer;insats;datum;timmar;anteckning",
        &format!(
            "{};Promenad och hälsa;2026-09-14;1,5;",
            pnr("19900101", 123)
        ),
        &format!("{};Promenad och hälsa;2026-09-21;2;", pnr("19900101", 123)),
        &format!("{};Promenad och hälsa;2026-10-12;1;", pnr("19940505", 567)),
        &format!("{};Promenad och hälsa;2026-11-20;1;", pnr("19910202", 234)),
    ];
    rows.join("\n") + "\n"
}

/// Minutes of her kept time.
async fn minutes(h: &H, ctx: &palett_app::Ctx, participant_id: i64) -> i64 {
    h.app
        .time_rows(ctx, participant_id)
        .await
        .expect("time")
        .iter()
        .map(|r| r.minutes)
        .sum()
}

/// Her enrolments.
async fn enrolments(
    h: &H,
    ctx: &palett_app::Ctx,
    participant_id: i64,
) -> Vec<palett_app::palette::EnrolmentRow> {
    h.app
        .enrolments(ctx, participant_id)
        .await
        .expect("enrolments")
}

/// How many groups the partnership has.
async fn group_count(h: &H, ctx: &palett_app::Ctx) -> usize {
    h.app.groups(ctx).await.expect("groups").len()
}

pub(crate) async fn enrolments_and_time_are_imported_for_women_already_in_palett(h: H) {
    use palett_domain::import::ImportKind::{Enrolments, Time};
    use palett_domain::palette::EnrolmentStatus;
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let mut labels = Labels::default();
    labels.add(|id| match id {
        "enrolment-completed" => "Avslutad".to_string(),
        other => other.to_string(),
    });
    let women = h
        .app
        .import_commit(
            &coordinator,
            "deltagare.csv",
            file().as_bytes(),
            &[7],
            &labels,
        )
        .await
        .expect("the women")
        .participant_ids;
    let [ett, tva, tre, fyra, fem] = women[..] else {
        panic!("five women, got {women:?}")
    };
    let groups = h.app.groups(&coordinator).await.expect("groups").len();
    let bytes = enrolment_file().into_bytes();

    // A caseworker may not import.
    forbidden(
        h.app
            .preview_import(&h.ctx(HANDLEDARE).await, Enrolments, &bytes, &[], &labels)
            .await,
    );

    // The preview runs every row and keeps nothing.
    let preview = h
        .app
        .preview_import(&coordinator, Enrolments, &bytes, &[], &labels)
        .await
        .expect("preview");
    let problems: Vec<(usize, &str, &str)> = preview
        .rows
        .iter()
        .flat_map(|r| r.errors.iter().map(|e| (e.row, e.column.as_str(), e.code)))
        .collect();
    assert_eq!(
        problems,
        [
            (6, "intervention", "error-import-unknown-reference"),
            (7, "identity_number", "error-import-unknown-participant"),
        ]
    );
    for w in [ett, tva, tre, fyra, fem] {
        assert!(enrolments(&h, &coordinator, w).await.is_empty());
    }
    assert_eq!(group_count(&h, &coordinator).await, groups);

    // With the bad rows in, nothing; excluded, the rest in one go.
    match h
        .app
        .commit_import(
            &coordinator,
            Enrolments,
            "insatser.csv",
            &bytes,
            &[],
            &labels,
        )
        .await
    {
        Err(AppError::Invalid(e)) => assert_eq!(
            e.0.iter()
                .map(|f| (f.field.as_str(), f.args[0].1.as_str()))
                .collect::<Vec<_>>(),
            [("intervention", "6"), ("identity_number", "7")]
        ),
        other => panic!("expected rows 6 and 7 refused, got {other:?}"),
    }
    assert!(enrolments(&h, &coordinator, ett).await.is_empty());
    let done = h
        .app
        .commit_import(
            &coordinator,
            Enrolments,
            "insatser.csv",
            &bytes,
            &[6, 7],
            &labels,
        )
        .await
        .expect("commit");
    assert_eq!(done.participant_ids, [ett, tva, tre, fem]);
    let one = |list: Vec<palett_app::palette::EnrolmentRow>| {
        assert_eq!(list.len(), 1, "{list:?}");
        list.into_iter().next().expect("one")
    };
    let e = one(enrolments(&h, &coordinator, ett).await);
    assert_eq!(e.intervention_name, "Promenad och hälsa");
    assert_eq!(e.group_name.as_deref(), Some("Promenad fredagar"));
    assert_eq!(e.status, EnrolmentStatus::Ongoing);
    let e = one(enrolments(&h, &coordinator, tva).await);
    assert_eq!(e.status, EnrolmentStatus::Completed);
    assert_eq!(
        e.group_name.as_deref(),
        Some("Svenska och samhälle, grupp 1")
    );
    let e = one(enrolments(&h, &coordinator, tre).await);
    assert_eq!(e.status, EnrolmentStatus::Discontinued);
    assert_eq!(e.reason.as_deref(), Some("Flyttade till Malmö"));
    // Row 5 found the group row 2 made, whatever its case.
    let e = one(enrolments(&h, &coordinator, fem).await);
    assert_eq!(e.group_name.as_deref(), Some("Promenad fredagar"));
    assert_eq!(group_count(&h, &coordinator).await, groups + 1);
    let sum = h
        .app
        .import(&coordinator, done.import_id)
        .await
        .expect("import");
    assert_eq!(sum.kind, Enrolments);
    assert_eq!(sum.participant_ids, [ett, tva, tre, fem]);

    // Her time: row 5 falls after Två's exit.
    let bytes = time_file().into_bytes();
    let preview = h
        .app
        .preview_import(&coordinator, Time, &bytes, &[], &labels)
        .await
        .expect("time preview");
    assert_eq!(preview.error_rows(), 1);
    assert_eq!(preview.rows[3].errors[0].column, "on_date");
    assert_eq!(minutes(&h, &coordinator, ett).await, 0);
    let time = h
        .app
        .commit_import(&coordinator, Time, "tid.csv", &bytes, &[5], &labels)
        .await
        .expect("time commit");
    assert_eq!(minutes(&h, &coordinator, ett).await, 210);
    assert_eq!(minutes(&h, &coordinator, fem).await, 60);

    // Undo takes back exactly the time, then the enrolments and the group.
    h.app
        .import_undo(&coordinator, time.import_id)
        .await
        .expect("undo time");
    assert_eq!(minutes(&h, &coordinator, ett).await, 0);
    assert_eq!(minutes(&h, &coordinator, fem).await, 0);
    assert_eq!(
        h.app
            .import_undo(&coordinator, done.import_id)
            .await
            .expect("undo"),
        [ett, tva, tre, fem]
    );
    for w in [ett, tva, tre, fem] {
        assert!(enrolments(&h, &coordinator, w).await.is_empty());
    }
    assert_eq!(group_count(&h, &coordinator).await, groups);

    // Imported again and moved on since, it can no longer be undone.
    let bytes = enrolment_file().into_bytes();
    let again = h
        .app
        .commit_import(
            &coordinator,
            Enrolments,
            "insatser.csv",
            &bytes,
            &[6, 7],
            &labels,
        )
        .await
        .expect("again");
    let planned = one(enrolments(&h, &coordinator, fem).await);
    h.clock.advance(jiff::SignedDuration::from_secs(60));
    h.app
        .change_enrolment(
            &coordinator,
            planned.id,
            &palett_domain::path::EnrolmentChange {
                to: EnrolmentStatus::Ongoing,
                reason: None,
            },
        )
        .await
        .expect("she started");
    match h.app.import_undo(&coordinator, again.import_id).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.0[0].code, "error-import-changed-since"),
        other => panic!("expected the undo refused, got {other:?}"),
    }
    assert_eq!(
        one(enrolments(&h, &coordinator, ett).await).status,
        EnrolmentStatus::Ongoing
    );
}

/// A file longer than the chunk a commit holds at a time (2,000 rows):
/// 2,500 women, the last repeating the identity number of the first.
fn long_file() -> String {
    let mut rows = vec![
        "förnamn;efternamn;personnummer;kön;ansvarig organisation;remittent;inskrivning"
            .to_string(),
    ];
    for i in 0..2_499u16 {
        let born = format!(
            "19{:02}0{}1{}",
            60 + i / 500,
            1 + (i / 100) % 5,
            (i / 10) % 10
        );
        rows.push(format!(
            "Lång{i};Importsson;{};woman;Hela Människan;self;2026-10-01",
            pnr(&born, 100 + i % 10 * 10)
        ));
    }
    let first = rows[1].split(';').nth(2).unwrap_or_default().to_string();
    rows.push(format!(
        "Lång;Dubblett;{first};woman;Hela Människan;self;2026-10-01"
    ));
    rows.join("\n") + "\n"
}

pub(crate) async fn a_long_import_is_committed_a_chunk_at_a_time_all_or_nothing(h: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let labels = Labels::default();
    let all = h
        .all_participant_ids(&coordinator, &Filter::default())
        .await
        .len();
    let bytes = long_file().into_bytes();
    // Row 2,501 (the file's last) repeats row 2's number, in another chunk.
    match h
        .app
        .import_commit(&coordinator, "lang.csv", &bytes, &[], &labels)
        .await
    {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "{e:?}");
            assert_eq!(e.0[0].field, "identity_number");
            assert_eq!(e.0[0].code, "error-import-identity-twice");
            assert_eq!(e.0[0].args, vec![("row", "2501".to_string())]);
        }
        other => panic!("expected row 2501 refused, got {other:?}"),
    }
    assert_eq!(
        h.all_participant_ids(&coordinator, &Filter::default())
            .await
            .len(),
        all,
        "the rows written before the refusal are gone with it"
    );
    let done = h
        .app
        .import_commit(&coordinator, "lang.csv", &bytes, &[2501], &labels)
        .await
        .expect("commit");
    assert_eq!(done.participant_ids.len(), 2_499);
    assert_eq!(
        h.all_participant_ids(&coordinator, &Filter::default())
            .await
            .len(),
        all + 2_499
    );
}
