//! The archive of a partnership (docs/ARCHIVE.md): exported from one
//! database, imported into an empty one of the OTHER backend with another
//! data key, it shows every figure of every dashboard and funder report as
//! the source did; nothing of a second partnership goes with it; sealed
//! values stay sealed; an altered file, a newer archive and a database that
//! is not empty are refused.

use crate::harness::*;
use jiff::ToSpan;
use palett_app::archive::{key_file_of, Manifest};
use palett_app::data_key::DataKey;
use palett_app::reports::ReportKind;
use palett_app::Ctx;
use palett_domain::indicators::Breakdown;
use palett_store::archive as store;
use palett_store::sealing::Sealer;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A new, empty directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    #[allow(clippy::disallowed_methods)] // a unique name, not behaviour
    let nanos = jiff::Timestamp::now().as_nanosecond();
    let dir = std::env::temp_dir().join(format!(
        "palett_archive_{name}_{}_{n}_{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// The files of a ZIP: name and content.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("an entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("read");
            (f.name().expect("a name").to_string(), bytes)
        })
        .collect()
}

/// A copy of the ZIP at `from` with `change` applied to each file's content.
fn rewrite(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).expect("create"));
    for (name, bytes) in entries(from) {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&change(&name, bytes)).expect("write");
    }
    out.finish().expect("finish");
}

fn manifest(path: &Path) -> Manifest {
    let (_, bytes) = entries(path)
        .into_iter()
        .find(|(n, _)| n == "manifest.json")
        .expect("a manifest");
    serde_json::from_slice(&bytes).expect("a manifest that parses")
}

fn table_text(path: &Path, table: &str) -> String {
    let (_, bytes) = entries(path)
        .into_iter()
        .find(|(n, _)| *n == format!("tables/{table}.csv"))
        .unwrap_or_else(|| panic!("no {table}"));
    String::from_utf8(bytes).expect("UTF-8")
}

/// A boxed future that is Send (sqlx's executors over a borrowed
/// connection otherwise trip the compiler's Send check in a spawned story).
type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

fn scalar<'a>(h: &'a H, sql: &'a str) -> Boxed<'a, i64> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        sqlx::query_scalar(sql)
            .fetch_one(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    })
}

fn execute<'a>(h: &'a H, sql: &'a str) -> Boxed<'a, ()> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        sqlx::query(sql)
            .execute(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
}

/// Every figure of every dashboard (the partnership's and each project's,
/// by every breakdown) and every funder report (each kind, and the ESF+
/// monthly file of every month of each project), as text.
async fn figures(h: &H) -> Vec<String> {
    let ctx = h.ctx(COORDINATOR).await;
    let projects = h.app.projects(&ctx).await.expect("projects");
    let mut scopes: Vec<Option<i64>> = vec![None];
    scopes.extend(projects.iter().map(|p| Some(p.id)));
    let mut out = Vec::new();
    for scope in &scopes {
        for by in Breakdown::ALL {
            let d = h
                .app
                .dashboard(&ctx, *scope, Some(*by), None)
                .await
                .expect("a dashboard");
            out.push(format!("dashboard {scope:?} by {by}: {d:?}"));
        }
        for kind in ReportKind::ALL {
            let mut r = h
                .app
                .submit_funder_report(&ctx, kind, *scope, "", "", false)
                .await
                .expect("a report");
            // The before-and-after groups come in each database's text
            // order (collations differ); their figures are what must agree.
            if let palett_app::reports::ReportBody::BeforeAfter(rows) = &mut r.body {
                rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            }
            out.push(format!("report {kind:?} {scope:?}: {r:?}"));
        }
    }
    for p in &projects {
        let mut month = p.start_date.first_of_month();
        while month <= p.end_date.min(h.app.today()) {
            let m = month.strftime("%Y-%m").to_string();
            let file = h
                .app
                .submit_esf_month(&ctx, p.id, &m)
                .await
                .expect("an ESF+ month");
            out.push(format!("esf {} {m}: {file:?}", p.id));
            month = month.saturating_add(1.months());
        }
    }
    out
}

/// A second partnership beside the demo's: its own organisation and user,
/// the demo's Botkyrka kommun as a member too (and its coach granted a role
/// there), a participant with a sealed identity number and an audit row.
async fn second_partnership(h: &H) -> i64 {
    let botkyrka: i64 = scalar(
        h,
        "SELECT id FROM organisations WHERE name = 'Botkyrka kommun'",
    )
    .await;
    let coach: i64 = scalar(h, &format!("SELECT id FROM users WHERE email = '{COACH}'")).await;
    execute(
        h,
        "INSERT INTO partnerships (name, start_date) VALUES ('Andra förbundet', '2025-01-01')",
    )
    .await;
    let p2 = scalar(
        h,
        "SELECT id FROM partnerships WHERE name = 'Andra förbundet'",
    )
    .await;
    execute(
        h,
        "INSERT INTO organisations (name, kind, created_at) VALUES ('Annan kommun', 'municipality', 0)",
    )
    .await;
    let o2 = scalar(
        h,
        "SELECT id FROM organisations WHERE name = 'Annan kommun'",
    )
    .await;
    execute(
        h,
        &format!(
            "INSERT INTO memberships (partnership_id, organisation_id, joined_on) VALUES \
             ({p2}, {o2}, '2025-01-01'), ({p2}, {botkyrka}, '2025-01-01')"
        ),
    )
    .await;
    execute(
        h,
        &format!(
            "INSERT INTO users (organisation_id, email, display_name, password_hash, created_at) \
             VALUES ({o2}, 'anna@annan.example', 'Anna Annan', 'x', 0)"
        ),
    )
    .await;
    let u2 = scalar(h, "SELECT id FROM users WHERE email = 'anna@annan.example'").await;
    execute(
        h,
        &format!(
            "INSERT INTO role_grants (user_id, partnership_id, role) VALUES \
             ({u2}, {p2}, 'caseworker'), ({coach}, {p2}, 'caseworker')"
        ),
    )
    .await;
    let key = DataKey::from_bytes(&TEST_KEY);
    let number = pnr("19900101", 123);
    let sealed = key
        .seal("participants.identity_number", &number)
        .expect("sealed");
    let hash = key.identity_hash(p2, &number);
    execute(
        h,
        &format!(
            "INSERT INTO participants (partnership_id, given_name, family_name, search_name, \
             identity_kind, identity_number, identity_hash, birth_date, gender, education_level, \
             swedish_level, referral_source, responsible_organisation_id, status, referred_on, \
             last_change_on, created_at, updated_at) VALUES ({p2}, 'Zelda', 'Annan', \
             'zelda annan', 'personnummer', '{sealed}', '{hash}', '1990-01-01', 'woman', \
             'unknown', 'unknown', 'municipality', {o2}, 'referred', '2026-01-02', \
             '2026-01-02', 0, 0)"
        ),
    )
    .await;
    execute(
        h,
        &format!(
            "INSERT INTO audit_log (at, roles, partnership_id, action, entity, ip) \
             VALUES (0, 'system', {p2}, 'participant.create', 'participant', 'system')"
        ),
    )
    .await;
    p2
}

pub(crate) async fn a_partnership_moves_to_the_other_database_with_every_figure(h: H, t: H) {
    h.seed().await;
    let coordinator = h.ctx(COORDINATOR).await;
    let p1 = coordinator.actor.partnership_id;
    let coach = h.ctx(COACH).await;
    let botkyrka = h.organisation_id(&coordinator, BOTKYRKA_KOMMUN).await;
    let amal = h.register_amal(&coach, botkyrka).await;
    // As palett keeps it: normalised, without the dash.
    let amal_number = pnr("19811218", 987).replace('-', "");
    let p2 = second_partnership(&h).await;

    let dir = scratch("move");
    let out = dir.join("partnership.zip");
    let done = h
        .app
        .export_archive(&Ctx::system(p1), &out, false)
        .await
        .expect("exported");
    // The key is beside the archive, its owner's only, and never inside it.
    assert_eq!(done.key_file, key_file_of(&out));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&done.key_file)
            .expect("a key file")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    let key_text = std::fs::read_to_string(&done.key_file).expect("the key");
    let names: Vec<String> = entries(&out).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"manifest.json".to_string()) && names.contains(&"README.md".into()));
    assert!(names.iter().all(|n| !n.ends_with(".key")), "{names:?}");
    let m = manifest(&out);
    assert_eq!(
        (m.partnership.id, m.identity_numbers.as_str()),
        (p1, "sealed")
    );
    assert!(m.excluded.iter().any(|e| e.name == "sessions"));
    // No identity number in clear anywhere in the archive.
    let participants = table_text(&out, "participants");
    assert!(
        !participants.contains(&amal_number),
        "a plain identity number"
    );
    assert!(participants.contains("enc1:"));
    // An operator's act, in the source's log.
    assert_eq!(
        scalar(
            &h,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'archive.export' AND entity_id = {p1}"
            )
        )
        .await,
        1
    );
    let archived_audit = m
        .tables
        .iter()
        .find(|t| t.name == "audit_log")
        .expect("the audit log")
        .rows as i64;
    let before = figures(&h).await;

    let source = h.clone();
    let archive = out.clone();
    {
        assert_ne!(t.backend, source.backend);
        let imported = t
            .app
            .import_archive(&archive, &key_text)
            .await
            .unwrap_or_else(|e| panic!("imported: {}", e.chain()));
        assert_eq!(imported.partnership_id, p1);
        // The audit log grew only by the import's own row.
        assert_eq!(
            scalar(&t, "SELECT COUNT(*) FROM audit_log").await,
            archived_audit + 1
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'archive.import'"
            )
            .await,
            1
        );
        // Every figure of every dashboard and report, as the source's (a
        // demo user signs in with her password as before).
        let after = figures(&t).await;
        assert_eq!(before.len(), after.len());
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b, a);
        }
        // Her identity number opens with the target's key, and the hash
        // made with it finds her.
        let coordinator = t.ctx(COORDINATOR).await;
        let view = t.read(&coordinator, amal).await;
        assert_eq!(
            view.participant.identity_number.as_deref(),
            Some(amal_number.as_str())
        );
        let hash = DataKey::from_bytes(&OTHER_KEY).identity_hash(p1, &amal_number);
        assert_eq!(
            scalar(
                &t,
                &format!("SELECT id FROM participants WHERE identity_hash = '{hash}'")
            )
            .await,
            amal
        );
        // Nothing of the other partnership came along.
        for sql in [
            format!("SELECT COUNT(*) FROM partnerships WHERE id <> {p1}"),
            "SELECT COUNT(*) FROM organisations WHERE name = 'Annan kommun'".to_string(),
            "SELECT COUNT(*) FROM users WHERE email = 'anna@annan.example'".to_string(),
            "SELECT COUNT(*) FROM participants WHERE family_name = 'Annan'".to_string(),
            format!("SELECT COUNT(*) FROM role_grants WHERE partnership_id = {p2}"),
            format!("SELECT COUNT(*) FROM memberships WHERE partnership_id = {p2}"),
            format!("SELECT COUNT(*) FROM audit_log WHERE partnership_id = {p2}"),
        ] {
            assert_eq!(scalar(&t, &sql).await, 0, "{sql}");
        }
        // New rows get new ids (PostgreSQL's sequences moved on).
        let hodan = t.register_hodan(&t.ctx(COACH).await, botkyrka).await;
        assert!(hodan > amal);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

pub(crate) async fn an_altered_newer_or_misplaced_archive_is_refused(h: H, t: H) {
    h.seed().await;
    let p1 = h.ctx(COORDINATOR).await.actor.partnership_id;
    let p2 = second_partnership(&h).await;
    let dir = scratch("refused");
    let out = dir.join("a.zip");
    h.app
        .export_archive(&Ctx::system(p1), &out, true)
        .await
        .expect("exported");
    let key = std::fs::read_to_string(key_file_of(&out)).expect("the key");
    // Asked for, the identity numbers are in clear; everything else stays
    // sealed.
    let m = manifest(&out);
    assert_eq!(m.identity_numbers, "plain");
    assert!(!m
        .sealed_columns
        .contains(&"participants.identity_number".into()));
    assert!(m
        .sealed_columns
        .contains(&"participants.health_notes".into()));

    // Into a database that is not empty (the source itself): refused.
    let e = h.app.import_archive(&out, &key).await.expect_err("refused");
    assert!(e.chain().contains("not empty"), "{}", e.chain());
    // A person, whatever her role, may not export.
    let admin = h.ctx(ADMIN).await;
    forbidden(
        h.app
            .export_archive(&admin, &dir.join("b.zip"), false)
            .await,
    );
    // The other partnership's export leaks nothing of this one.
    let other = dir.join("other.zip");
    h.app
        .export_archive(&Ctx::system(p2), &other, false)
        .await
        .expect("the other exported");
    let om = manifest(&other);
    let rows = |t: &str| om.tables.iter().find(|e| e.name == t).map(|e| e.rows);
    assert_eq!(rows("partnerships"), Some(1));
    assert_eq!(rows("participants"), Some(1));
    assert_eq!(rows("projects"), Some(0));
    assert_eq!(rows("audit_log"), Some(1));
    assert!(!table_text(&other, "users").contains(HANDLEDARE));

    let tampered = dir.join("tampered.zip");
    rewrite(&out, &tampered, |name, bytes| {
        if name == "tables/participants.csv" {
            String::from_utf8(bytes)
                .expect("UTF-8")
                .replacen(",woman,", ",man,", 1)
                .into_bytes()
        } else {
            bytes
        }
    });
    assert_ne!(
        table_text(&tampered, "participants"),
        table_text(&out, "participants")
    );
    let newer = dir.join("newer.zip");
    rewrite(&out, &newer, |name, bytes| {
        if name == "manifest.json" {
            let mut m: Manifest = serde_json::from_slice(&bytes).expect("a manifest");
            m.migrations.push(palett_app::archive::MigrationEntry {
                version: 9999,
                name: "future".into(),
            });
            serde_json::to_vec(&m).expect("json")
        } else {
            bytes
        }
    });
    let wrong_key = DataKey::generate().expect("a key").1;
    let (tampered2, newer2, out2) = (tampered.clone(), newer.clone(), out.clone());
    {
        let e = t
            .app
            .import_archive(&tampered2, &key)
            .await
            .expect_err("altered");
        assert!(e.chain().contains("checksum"), "{}", e.chain());
        let e = t
            .app
            .import_archive(&newer2, &key)
            .await
            .expect_err("newer");
        assert!(e.chain().contains("newer palett"), "{}", e.chain());
        let e = t
            .app
            .import_archive(&out2, &wrong_key)
            .await
            .expect_err("wrong key");
        assert!(e.chain().contains("key"), "{}", e.chain());
        // Nothing was written by any of them.
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM partnerships").await, 0);
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM audit_log").await, 0);
    }

    // A row of the partnership that refers outside its archive (a status
    // event by a user of an organisation that was never a member) makes the
    // export fail, naming the table, instead of an import that would.
    let outsider = scalar(
        &h,
        "SELECT id FROM users WHERE email = 'anna@annan.example'",
    )
    .await;
    execute(
        &h,
        &format!(
            "UPDATE status_events SET actor_user_id = {outsider} WHERE id = \
             (SELECT MIN(s.id) FROM status_events s JOIN participants p ON p.id = s.participant_id \
              WHERE p.partnership_id = {p1})"
        ),
    )
    .await;
    let e = h
        .app
        .export_archive(&Ctx::system(p1), &dir.join("c.zip"), false)
        .await
        .expect_err("an open reference");
    assert!(e.chain().contains("status_events"), "{}", e.chain());
    assert!(!dir.join("c.zip").exists() && !dir.join("c.zip.key").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every table of the live schema, on the story's backend, is either
/// exported or left out with a reason; the order puts every NOT NULL
/// reference after the table it points to.
pub(crate) async fn every_table_is_archived_or_left_out_with_a_reason(h: H) {
    let mut c = h.app.raw_db().read().await.expect("a connection");
    let cat = store::catalogue(&mut c).await.expect("the catalogue");
    let (missing, gone) = store::unlisted(&cat);
    assert!(
        missing.is_empty(),
        "tables neither exported nor left out with a reason in palett_store::archive::TABLES: \
         {missing:?}"
    );
    assert!(gone.is_empty(), "listed but not in the schema: {gone:?}");
    assert!(cat.tables.len() > 60, "the catalogue is read");
    for (table, scope) in store::TABLES {
        if let store::Scope::Excluded(why) = scope {
            assert!(why.len() > 10, "{table} is left out without a reason");
        }
    }
    for fk in &cat.foreign_keys {
        let column = cat.tables[&fk.table]
            .iter()
            .find(|c| c.name == fk.column)
            .expect("the column");
        assert!(
            column.nullable || !store::deferred(&fk.table, &fk.references),
            "{}.{} is NOT NULL but refers to {}, listed later",
            fk.table,
            fk.column,
            fk.references
        );
        if matches!(store::scope(&fk.table), Some(store::Scope::Rows(_))) {
            assert!(
                matches!(store::scope(&fk.references), Some(store::Scope::Rows(_))),
                "{}.{} refers to {}, which is left out",
                fk.table,
                fk.column,
                fk.references
            );
        }
    }
}
