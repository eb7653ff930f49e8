//! The SQLite and the PostgreSQL migrations build the same schema: every
//! table, column (name, nullability, broad type class), primary key,
//! foreign key and index (name, uniqueness, columns, partial predicate)
//! exists on both, read back from each database's own catalogue.
//!
//! One code path reads and writes both databases, so a column or index that
//! one backend's migration adds and the other's forgets is a bug that only
//! shows on one of them, often in production. This test finds it at once.
//!
//! PostgreSQL is reached at `PALETT_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); the test creates its own
//! database there and drops it afterwards.

use palett_store::{Backend, Db};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Differences between the backends that are intentional, each with its
/// reason, as the comparison prints them. Empty today: the catalogues
/// compared here agree. Not compared at all, because they legitimately
/// differ in form: triggers (SQLite raises in a `BEFORE UPDATE` and a
/// `BEFORE DELETE` trigger on `audit_log`; PostgreSQL uses one trigger
/// function for update, delete and truncate) and PostgreSQL-only helper
/// functions that stand in for SQLite built-ins (`julianday`, migration
/// 0017). Column defaults and CHECK constraints are not compared either:
/// their text differs by dialect.
const INTENTIONAL: &[(&str, &str)] = &[];

/// A column's type in the broad classes both databases share. SQLite's type
/// affinity makes anything finer meaningless on its side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Integer,
    Text,
    Real,
    Blob,
    Other,
}

impl Class {
    /// SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1).
    fn of_sqlite(declared: &str) -> Class {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            Class::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Class::Text
        } else if t.is_empty() || t.contains("BLOB") {
            Class::Blob
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Class::Real
        } else {
            Class::Other
        }
    }

    /// `information_schema.columns.data_type`.
    fn of_postgres(data_type: &str) -> Class {
        match data_type {
            "bigint" | "integer" | "smallint" => Class::Integer,
            "text" | "character varying" | "character" => Class::Text,
            "double precision" | "real" => Class::Real,
            "bytea" => Class::Blob,
            _ => Class::Other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    table: String,
    name: String,
    class: Class,
    nullable: bool,
}

/// An index. Those created by `CREATE INDEX` are compared by name; those a
/// UNIQUE constraint creates are named differently by each database
/// (`sqlite_autoindex_t_1`, `t_col_key`), so they are compared by table and
/// columns only. Primary keys are compared separately (SQLite has no index
/// for an `INTEGER PRIMARY KEY`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    /// `None` for an index that backs a UNIQUE constraint.
    name: Option<String>,
    unique: bool,
    columns: Vec<String>,
    /// The partial index's predicate, lower case without spaces, quotes or
    /// parentheses.
    predicate: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    table: String,
    columns: Vec<String>,
    references: String,
    referenced_columns: Vec<String>,
}

/// What the comparison looks at, read from one database's catalogue.
#[derive(Debug, Default)]
struct Schema {
    tables: BTreeSet<String>,
    columns: BTreeSet<Column>,
    primary_keys: BTreeSet<(String, Vec<String>)>,
    foreign_keys: BTreeSet<ForeignKey>,
    indexes: BTreeSet<Index>,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let null = if self.nullable { "NULL" } else { "NOT NULL" };
        write!(
            f,
            "column {}.{} {:?} {null}",
            self.table, self.name, self.class
        )
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unique = if self.unique { "unique " } else { "" };
        match &self.name {
            Some(name) => write!(f, "{unique}index {name}")?,
            None => write!(f, "unique constraint")?,
        }
        write!(f, " on {}({})", self.table, self.columns.join(", "))?;
        if let Some(p) = &self.predicate {
            write!(f, " where {p}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "foreign key {}({}) references {}({})",
            self.table,
            self.columns.join(", "),
            self.references,
            self.referenced_columns.join(", ")
        )
    }
}

fn normalise_predicate(p: &str) -> String {
    p.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect()
}

async fn sqlite_schema(c: &mut AnyConnection) -> Schema {
    let mut s = Schema::default();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *c)
    .await
    .expect("reading SQLite tables")
    .iter()
    .map(|r| r.get("name"))
    .collect();
    s.tables = tables.iter().cloned().collect();

    for table in &tables {
        let mut pk: Vec<(i64, String)> = Vec::new();
        for r in sqlx::query(
            "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(&mut *c)
        .await
        .expect("reading SQLite columns")
        {
            let name: String = r.get("name");
            let key: i64 = r.get("pk");
            let not_null: i64 = r.get("nn");
            if key > 0 {
                pk.push((key, name.clone()));
            }
            s.columns.insert(Column {
                table: table.clone(),
                name,
                class: Class::of_sqlite(&r.get::<String, _>("type")),
                // A primary key column is NOT NULL on PostgreSQL; SQLite
                // says so only for INTEGER PRIMARY KEY in effect.
                nullable: not_null == 0 && key == 0,
            });
        }
        pk.sort();
        if !pk.is_empty() {
            s.primary_keys
                .insert((table.clone(), pk.into_iter().map(|(_, n)| n).collect()));
        }

        // Per constraint: referenced table, columns, referenced columns.
        type Parts = (String, Vec<String>, Vec<Option<String>>);
        let mut fks: BTreeMap<i64, Parts> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT id, \"table\" AS referenced, \"from\" AS col, \"to\" AS target \
             FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(&mut *c)
        .await
        .expect("reading SQLite foreign keys")
        {
            let e = fks
                .entry(r.get("id"))
                .or_insert_with(|| (r.get("referenced"), Vec::new(), Vec::new()));
            e.1.push(r.get("col"));
            e.2.push(r.get("target"));
        }
        for (_, (references, columns, targets)) in fks {
            s.foreign_keys.insert(ForeignKey {
                table: table.clone(),
                columns,
                // Filled in below for a reference to the primary key.
                referenced_columns: targets.into_iter().flatten().collect(),
                references,
            });
        }

        for r in sqlx::query(
            "SELECT l.name AS name, l.\"unique\" AS uq, l.origin AS origin, i.sql AS sql \
             FROM pragma_index_list($1) l \
             LEFT JOIN sqlite_master i ON i.type = 'index' AND i.name = l.name",
        )
        .bind(table)
        .fetch_all(&mut *c)
        .await
        .expect("reading SQLite indexes")
        {
            let name: String = r.get("name");
            let origin: String = r.get("origin");
            if origin == "pk" {
                continue;
            }
            let columns = sqlx::query(
                "SELECT coalesce(name, '<expression>') AS name \
                 FROM pragma_index_info($1) ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(&mut *c)
            .await
            .expect("reading SQLite index columns")
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
            let sql: Option<String> = r.get("sql");
            let predicate = sql.and_then(|sql| {
                let upper = sql.to_ascii_uppercase();
                upper
                    .rfind(" WHERE ")
                    .map(|at| normalise_predicate(&sql[at + 7..]))
            });
            s.indexes.insert(Index {
                table: table.clone(),
                name: (origin == "c").then_some(name),
                unique: r.get::<i64, _>("uq") != 0,
                columns,
                predicate,
            });
        }
    }

    // `REFERENCES t` without columns means t's primary key.
    let keys: BTreeMap<String, Vec<String>> = s.primary_keys.iter().cloned().collect();
    s.foreign_keys = std::mem::take(&mut s.foreign_keys)
        .into_iter()
        .map(|mut fk| {
            if fk.referenced_columns.is_empty() {
                fk.referenced_columns = keys.get(&fk.references).cloned().unwrap_or_default();
            }
            fk
        })
        .collect();
    s
}

async fn postgres_schema(c: &mut AnyConnection) -> Schema {
    let mut s = Schema {
        tables: sqlx::query(
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .fetch_all(&mut *c)
        .await
        .expect("reading PostgreSQL tables")
        .iter()
        .map(|r| r.get("name"))
        .collect(),
        ..Schema::default()
    };

    for r in sqlx::query(
        "SELECT CAST(c.table_name AS TEXT) AS tbl, CAST(c.column_name AS TEXT) AS name, \
                CAST(c.data_type AS TEXT) AS ty, CAST(c.is_nullable AS TEXT) AS nullable \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *c)
    .await
    .expect("reading PostgreSQL columns")
    {
        s.columns.insert(Column {
            table: r.get("tbl"),
            name: r.get("name"),
            class: Class::of_postgres(&r.get::<String, _>("ty")),
            nullable: r.get::<String, _>("nullable") == "YES",
        });
    }

    for r in sqlx::query(
        "SELECT CAST(c.contype AS TEXT) AS kind, CAST(t.relname AS TEXT) AS tbl, \
                CAST(coalesce(f.relname, '') AS TEXT) AS referenced, \
                array_to_string(ARRAY( \
                    SELECT CAST(a.attname AS TEXT) \
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
                    ORDER BY k.ord), ',') AS cols, \
                array_to_string(ARRAY( \
                    SELECT CAST(a.attname AS TEXT) \
                    FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum \
                    ORDER BY k.ord), ',') AS target_cols \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_class f ON f.oid = c.confrelid \
         WHERE n.nspname = 'public' AND c.contype IN ('p', 'f')",
    )
    .fetch_all(&mut *c)
    .await
    .expect("reading PostgreSQL constraints")
    {
        let table: String = r.get("tbl");
        let columns = split_list(&r.get::<String, _>("cols"));
        if r.get::<String, _>("kind") == "p" {
            s.primary_keys.insert((table, columns));
        } else {
            s.foreign_keys.insert(ForeignKey {
                table,
                columns,
                references: r.get("referenced"),
                referenced_columns: split_list(&r.get::<String, _>("target_cols")),
            });
        }
    }

    for r in sqlx::query(
        "SELECT CAST(t.relname AS TEXT) AS tbl, CAST(i.relname AS TEXT) AS name, \
                ix.indisunique AS uq, \
                CAST(coalesce((SELECT c.contype FROM pg_constraint c \
                               WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid \
                                 AND c.contype IN ('p', 'u')), 'c') AS TEXT) AS origin, \
                pg_get_expr(ix.indpred, ix.indrelid) AS predicate, \
                array_to_string(ARRAY( \
                    SELECT pg_get_indexdef(ix.indexrelid, k, true) \
                    FROM generate_series(1, CAST(ix.indnkeyatts AS INTEGER)) AS k \
                    ORDER BY k), ',') AS cols \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public'",
    )
    .fetch_all(&mut *c)
    .await
    .expect("reading PostgreSQL indexes")
    {
        let origin: String = r.get("origin");
        if origin == "p" {
            continue;
        }
        s.indexes.insert(Index {
            table: r.get("tbl"),
            name: (origin == "c").then(|| r.get("name")),
            unique: r.get("uq"),
            columns: split_list(&r.get::<String, _>("cols")),
            predicate: r
                .get::<Option<String>, _>("predicate")
                .map(|p| normalise_predicate(&p)),
        });
    }
    s
}

/// Everything one schema has and the other lacks, one line each, minus the
/// [`INTENTIONAL`] differences.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    fn one_sided<T: Ord + fmt::Display>(
        out: &mut Vec<String>,
        sqlite: &BTreeSet<T>,
        postgres: &BTreeSet<T>,
    ) {
        for x in sqlite.difference(postgres) {
            out.push(format!("only on SQLite: {x}"));
        }
        for x in postgres.difference(sqlite) {
            out.push(format!("only on PostgreSQL: {x}"));
        }
    }
    struct Shown<T>(T);
    impl fmt::Display for Shown<&String> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "table {}", self.0)
        }
    }
    impl fmt::Display for Shown<&(String, Vec<String>)> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "primary key {}({})", self.0 .0, self.0 .1.join(", "))
        }
    }
    impl<T: PartialEq> PartialEq for Shown<T> {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    impl<T: Eq> Eq for Shown<T> {}
    impl<T: PartialOrd> PartialOrd for Shown<T> {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            self.0.partial_cmp(&other.0)
        }
    }
    impl<T: Ord> Ord for Shown<T> {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.cmp(&other.0)
        }
    }
    fn shown<T: Ord>(set: &BTreeSet<T>) -> BTreeSet<Shown<&T>> {
        set.iter().map(Shown).collect()
    }

    let mut out = Vec::new();
    one_sided(&mut out, &shown(&sqlite.tables), &shown(&postgres.tables));
    one_sided(&mut out, &sqlite.columns, &postgres.columns);
    one_sided(
        &mut out,
        &shown(&sqlite.primary_keys),
        &shown(&postgres.primary_keys),
    );
    one_sided(&mut out, &sqlite.foreign_keys, &postgres.foreign_keys);
    one_sided(&mut out, &sqlite.indexes, &postgres.indexes);
    out.retain(|d| !INTENTIONAL.iter().any(|(known, _)| d == known));
    out
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    #[allow(clippy::disallowed_methods)] // unique names, not behaviour
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{n}_{nanos}", std::process::id())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(i) => &head[..authority_start + i],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Run `sql` on the test database (DDL, as a migration would).
async fn execute(db: &Db, sql: &str) {
    let mut c = db.read().await.expect("a connection");
    sqlx::raw_sql(sql)
        .execute(&mut *c)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn schema(db: &Db) -> Schema {
    let mut c = db.read().await.expect("a connection");
    match db.backend() {
        Backend::Sqlite => sqlite_schema(&mut c).await,
        Backend::Postgres => postgres_schema(&mut c).await,
    }
}

/// A woman with two self-assessments, recorded before migration 0037.
const BEFORE_QUESTIONNAIRES: &str = "\
    INSERT INTO organisations (id, name, kind, created_at) VALUES (1, 'Org', 'municipality', 0); \
    INSERT INTO partnerships (id, name, start_date) VALUES (1, 'P', '2026-01-01'); \
    INSERT INTO participants (id, partnership_id, given_name, family_name, search_name, \
      identity_kind, birth_date, gender, education_level, swedish_level, referral_source, \
      responsible_organisation_id, status, referred_on, last_change_on, created_at, updated_at) \
      VALUES (1, 1, 'A', 'B', 'a b', 'birth_date', '1980-01-01', 'woman', 'unknown', 'unknown', \
      'self', 1, 'active', '2026-01-01', '2026-01-01', 0, 0); \
    INSERT INTO self_assessments (participant_id, on_date, swedish, health, confidence, \
      work_readiness, network, everyday_life, recorded_at, by_participant) \
      VALUES (1, '2026-05-01', 2, 3, 4, 5, 5, 2, 200, 1), (1, '2026-02-01', 1, 2, 3, 4, 5, 1, 100, 0);";

/// Migration 0037 moved the self-assessments into the built-in instrument:
/// every score kept, as responses to its version 1, in her own words only
/// where she gave them.
async fn self_assessments_became_responses(db: &Db) {
    let mut c = db.read().await.expect("a connection");
    let rows = sqlx::query(
        "SELECT r.on_date, r.mode, r.wave, a.item, a.value, v.version, v.definition \
         FROM questionnaire_responses r JOIN questionnaire_answers a ON a.response_id = r.id \
         JOIN instrument_versions v ON v.id = r.version_id \
         JOIN instruments i ON i.id = r.instrument_id AND i.builtin = 'self_assessment' \
         ORDER BY r.on_date, a.item",
    )
    .fetch_all(&mut *c)
    .await
    .expect("the responses");
    let got: Vec<(String, String, Option<String>, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.get("on_date"),
                r.get("mode"),
                r.get("wave"),
                r.get("item"),
                r.get("value"),
            )
        })
        .collect();
    assert_eq!(got.len(), 12, "{:?}: six answers each", db.backend());
    let first = |item: &str| {
        got.iter()
            .find(|g| g.0 == "2026-02-01" && g.3 == item)
            .map(|g| (g.1.clone(), g.2.clone(), g.4.clone()))
    };
    assert_eq!(
        first("swedish"),
        Some(("with_staff".into(), None, "1".into()))
    );
    assert_eq!(
        first("work_readiness"),
        Some(("with_staff".into(), None, "4".into()))
    );
    let latest = got
        .iter()
        .find(|g| g.0 == "2026-05-01" && g.3 == "network")
        .map(|g| (g.1.as_str(), g.4.as_str()));
    assert_eq!(latest, Some(("herself", "5")));
    let definition: String = rows[0].get("definition");
    assert_eq!(rows[0].get::<i64, _>("version"), 1);
    assert_eq!(
        definition,
        palett_store::questionnaire::SELF_ASSESSMENT_DEFINITION,
        "the migration's definition is the one palett makes for later partnerships"
    );
}

async fn compare(sqlite: &Db, postgres: &Db) {
    for db in [sqlite, postgres] {
        palett_store::migrate::run_to(db, 36)
            .await
            .expect("migrating to 0036");
        execute(db, BEFORE_QUESTIONNAIRES).await;
    }
    palett_store::migrate::run(sqlite)
        .await
        .expect("migrating SQLite");
    palett_store::migrate::run(postgres)
        .await
        .expect("migrating PostgreSQL");
    for db in [sqlite, postgres] {
        self_assessments_became_responses(db).await;
    }
    let (lite, pg) = (schema(sqlite).await, schema(postgres).await);
    for (backend, s) in [("SQLite", &lite), ("PostgreSQL", &pg)] {
        assert!(
            s.tables.len() > 20
                && s.columns.len() > 200
                && s.primary_keys.len() > 20
                && s.foreign_keys.len() > 20
                && s.indexes.len() > 20,
            "the {backend} catalogue was read: {s:?}"
        );
    }
    let found = differences(&lite, &pg);
    assert!(
        found.is_empty(),
        "the migrations build different schemas; add a migration to the backend that \
         lacks it (or list an intentional difference, with its reason, in INTENTIONAL):\n  {}",
        found.join("\n  ")
    );

    // A column and an index added on one backend only are found, and so is
    // a column whose nullability differs.
    execute(
        sqlite,
        "ALTER TABLE notes ADD COLUMN pinned_at TEXT; \
         CREATE INDEX notes_pinned ON notes(participant_id, pinned_at);",
    )
    .await;
    execute(
        postgres,
        "ALTER TABLE notes ADD COLUMN pinned_by BIGINT NOT NULL DEFAULT 0; \
         CREATE UNIQUE INDEX notes_pinned_by ON notes(pinned_by) WHERE pinned_by > 0;",
    )
    .await;
    let found = differences(&schema(sqlite).await, &schema(postgres).await);
    assert_eq!(
        found,
        [
            "only on SQLite: column notes.pinned_at Text NULL",
            "only on PostgreSQL: column notes.pinned_by Integer NOT NULL",
            "only on SQLite: index notes_pinned on notes(participant_id, pinned_at)",
            "only on PostgreSQL: unique index notes_pinned_by on notes(pinned_by) where pinned_by>0",
        ],
        "one-sided changes are reported"
    );
}

#[test]
fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let path = std::env::temp_dir().join(format!("palett_schema_{}.sqlite", unique_suffix()));
    let base = std::env::var("PALETT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_string());
    let name = format!("palett_schema_{}", unique_suffix());
    let (sqlite, postgres) = rt.block_on(async {
        let sqlite = Db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .expect("opening a fresh SQLite database");
        let mut admin = admin_connection(&base).await;
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("creating the PostgreSQL test database");
        let postgres = Db::connect(&with_database(&base, &name))
            .await
            .expect("opening the fresh PostgreSQL database");
        (sqlite, postgres)
    });

    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(compare(&sqlite, &postgres))
    }));

    rt.block_on(async {
        sqlite.close().await;
        postgres.close().await;
        let mut admin = admin_connection(&base).await;
        let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    });
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn admin_connection(base: &str) -> AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    AnyConnection::connect(base)
        .await
        .expect("PostgreSQL is reachable (PALETT_TEST_POSTGRES_URL); this test never skips")
}
