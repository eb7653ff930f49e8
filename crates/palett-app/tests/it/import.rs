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
    let (record, created) = h
        .app
        .import(&coordinator, done.import_id)
        .await
        .expect("import");
    assert_eq!(record.state, "committed");
    assert_eq!(created, done.participant_ids);

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
