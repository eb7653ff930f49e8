//! The archive of one partnership (docs/ARCHIVE.md): which tables hold its
//! data and which rows of each are its own ([`TABLES`], the one place that
//! says so), the live catalogue of both databases (columns, their type
//! class, foreign keys), and a generic dump and load of rows over sqlx Any.
//! What the rows mean, how they are written to files and how sealed values
//! are moved between keys is palett-app's (`archive`).

use crate::{Result, StoreError};
use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

mod tables;
pub use tables::{deferred, exported, scope, Held, Scope, RECOMPUTED, SEALED, TABLES};

/// A column's type in the classes both databases share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Integer,
    Text,
    Real,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Integer => "integer",
            Class::Text => "text",
            Class::Real => "real",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        [Class::Integer, Class::Text, Class::Real]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub class: Class,
    pub nullable: bool,
}

/// A single-column foreign key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub references: String,
    pub referenced_column: String,
}

/// The live schema, read from the database's own catalogue.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    /// Each table's columns, in their order.
    pub tables: BTreeMap<String, Vec<Column>>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Catalogue {
    /// The foreign keys of `table`.
    pub fn references_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a ForeignKey> {
        self.foreign_keys.iter().filter(move |f| f.table == table)
    }
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Real(f64),
}

fn problem(msg: impl Into<String>) -> StoreError {
    StoreError::Archive(msg.into())
}

fn is_postgres(c: &AnyConnection) -> bool {
    c.backend_name().starts_with("Postgre")
}

fn class_of_sqlite(declared: &str) -> Option<Class> {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        Some(Class::Integer)
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        Some(Class::Text)
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        Some(Class::Real)
    } else {
        None
    }
}

fn class_of_postgres(data_type: &str) -> Option<Class> {
    match data_type {
        "bigint" | "integer" | "smallint" => Some(Class::Integer),
        "text" | "character varying" | "character" => Some(Class::Text),
        "double precision" | "real" => Some(Class::Real),
        _ => None,
    }
}

/// Read the catalogue of the database `c` is connected to.
pub async fn catalogue(c: &mut AnyConnection) -> Result<Catalogue> {
    let mut cat = Catalogue::default();
    if is_postgres(c) {
        for r in sqlx::query(
            "SELECT CAST(c.table_name AS TEXT) AS tbl, CAST(c.column_name AS TEXT) AS name, \
                    CAST(c.data_type AS TEXT) AS ty, CAST(c.is_nullable AS TEXT) AS nullable \
             FROM information_schema.columns c \
             JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(&mut *c)
        .await?
        {
            let (table, name, ty): (String, String, String) =
                (r.try_get("tbl")?, r.try_get("name")?, r.try_get("ty")?);
            let class = class_of_postgres(&ty)
                .ok_or_else(|| problem(format!("{table}.{name} has the unknown type {ty}")))?;
            cat.tables.entry(table).or_default().push(Column {
                name,
                class,
                nullable: r.try_get::<String, _>("nullable")? == "YES",
            });
        }
        for r in sqlx::query(
            "SELECT CAST(t.relname AS TEXT) AS tbl, CAST(f.relname AS TEXT) AS referenced, \
                    CAST(a.attname AS TEXT) AS col, CAST(af.attname AS TEXT) AS target \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_class f ON f.oid = c.confrelid \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] \
             WHERE n.nspname = current_schema() AND c.contype = 'f' \
             ORDER BY 1, 3",
        )
        .fetch_all(&mut *c)
        .await?
        {
            cat.foreign_keys.push(ForeignKey {
                table: r.try_get("tbl")?,
                column: r.try_get("col")?,
                references: r.try_get("referenced")?,
                referenced_column: r.try_get("target")?,
            });
        }
    } else {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )
        .fetch_all(&mut *c)
        .await?;
        for table in tables {
            let mut columns = Vec::new();
            for r in sqlx::query(
                "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1) ORDER BY cid",
            )
            .bind(&table)
            .fetch_all(&mut *c)
            .await?
            {
                let (name, ty): (String, String) = (r.try_get("name")?, r.try_get("type")?);
                let class = class_of_sqlite(&ty)
                    .ok_or_else(|| problem(format!("{table}.{name} has the unknown type {ty}")))?;
                columns.push(Column {
                    name,
                    class,
                    nullable: r.try_get::<i64, _>("nn")? == 0 && r.try_get::<i64, _>("pk")? == 0,
                });
            }
            for r in sqlx::query(
                "SELECT \"table\" AS referenced, \"from\" AS col, \"to\" AS target \
                 FROM pragma_foreign_key_list($1) ORDER BY id, seq",
            )
            .bind(&table)
            .fetch_all(&mut *c)
            .await?
            {
                cat.foreign_keys.push(ForeignKey {
                    table: table.clone(),
                    column: r.try_get("col")?,
                    references: r.try_get("referenced")?,
                    // `REFERENCES t` without a column: t's key, `id` here.
                    referenced_column: r
                        .try_get::<Option<String>, _>("target")?
                        .unwrap_or_else(|| "id".into()),
                });
            }
            cat.tables.insert(table, columns);
        }
    }
    Ok(cat)
}

/// The tables of the catalogue missing from [`TABLES`], and the tables of
/// [`TABLES`] missing from the catalogue.
pub fn unlisted(cat: &Catalogue) -> (Vec<String>, Vec<String>) {
    let missing = cat
        .tables
        .keys()
        .filter(|t| scope(t).is_none())
        .cloned()
        .collect();
    let gone = TABLES
        .iter()
        .filter(|(t, _)| !cat.tables.contains_key(*t))
        .map(|(t, _)| t.to_string())
        .collect();
    (missing, gone)
}

/// Every reference from a row of the partnership's archive to a row the
/// archive would not hold, as sentences (empty when the archive is
/// closed): an import of such an archive would fail on a foreign key.
pub async fn open_references(
    c: &mut AnyConnection,
    cat: &Catalogue,
    partnership_id: i64,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (table, scope) in exported() {
        for fk in cat.references_of(table) {
            let outside = match self::scope(&fk.references) {
                Some(Scope::Rows(theirs)) => format!(
                    "{col} NOT IN (SELECT {rc} FROM {rt} WHERE {theirs})",
                    col = fk.column,
                    rc = fk.referenced_column,
                    rt = fk.references
                ),
                _ => "1 = 1".to_string(),
            };
            let sql = format!(
                "SELECT COUNT(*) FROM {table} WHERE ({scope}) AND {col} IS NOT NULL AND {outside}",
                col = fk.column
            );
            let n: i64 = sqlx::query_scalar(&sql)
                .bind(partnership_id)
                .fetch_one(&mut *c)
                .await?;
            if n > 0 {
                out.push(format!(
                    "{n} row(s) of {table} refer by {} to {} rows outside the partnership's archive",
                    fk.column, fk.references
                ));
            }
        }
    }
    Ok(out)
}

/// Send every row of `table` within the partnership's scope, in the order
/// of `columns`, to `each`, one at a time (streamed: the table is never
/// held whole). Returns how many rows.
pub async fn dump<E: From<StoreError>>(
    c: &mut AnyConnection,
    table: &str,
    columns: &[Column],
    partnership_id: i64,
    mut each: impl FnMut(Vec<Cell>) -> Result<(), E>,
) -> Result<u64, E> {
    let Some(Scope::Rows(scope)) = self::scope(table) else {
        return Err(problem(format!("{table} is not exported")).into());
    };
    let select: Vec<String> = columns
        .iter()
        .map(|col| match col.class {
            Class::Integer => format!("CAST({0} AS BIGINT) AS {0}", col.name),
            Class::Real => format!("CAST({0} AS DOUBLE PRECISION) AS {0}", col.name),
            Class::Text => col.name.clone(),
        })
        .collect();
    let order = if columns.iter().any(|c| c.name == "id") {
        "id"
    } else {
        "1"
    };
    let sql = format!(
        "SELECT {} FROM {table} WHERE {scope} ORDER BY {order}",
        select.join(", ")
    );
    let mut rows = sqlx::query(&sql).bind(partnership_id).fetch(&mut *c);
    let mut n = 0;
    while let Some(r) = rows.try_next().await.map_err(StoreError::from)? {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, col) in columns.iter().enumerate() {
            let cell = match col.class {
                Class::Integer => r
                    .try_get::<Option<i64>, _>(i)
                    .map_err(StoreError::from)?
                    .map_or(Cell::Null, Cell::Int),
                Class::Text => r
                    .try_get::<Option<String>, _>(i)
                    .map_err(StoreError::from)?
                    .map_or(Cell::Null, Cell::Text),
                Class::Real => r
                    .try_get::<Option<f64>, _>(i)
                    .map_err(StoreError::from)?
                    .map_or(Cell::Null, Cell::Real),
            };
            cells.push(cell);
        }
        each(cells)?;
        n += 1;
    }
    Ok(n)
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    class: Class,
    cell: &Cell,
) -> Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>> {
    Ok(match (class, cell) {
        (Class::Integer, Cell::Null) => q.bind(None::<i64>),
        (Class::Text, Cell::Null) => q.bind(None::<String>),
        (Class::Real, Cell::Null) => q.bind(None::<f64>),
        (Class::Integer, Cell::Int(v)) => q.bind(*v),
        (Class::Text, Cell::Text(v)) => q.bind(v.clone()),
        (Class::Real, Cell::Real(v)) => q.bind(*v),
        (Class::Real, Cell::Int(v)) => q.bind(*v as f64),
        (class, cell) => {
            return Err(problem(format!(
                "a value {cell:?} does not fit a column of class {class:?}"
            )))
        }
    })
}

/// Insert `rows` (values in the order of `columns`) into `table`, many
/// rows per statement.
pub async fn insert(
    c: &mut AnyConnection,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
) -> Result<()> {
    if columns.is_empty() {
        return Ok(());
    }
    let per = (8000 / columns.len()).max(1);
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    for chunk in rows.chunks(per) {
        let values: Vec<String> = (0..chunk.len())
            .map(|k| {
                format!(
                    "({})",
                    crate::placeholders(1 + k * columns.len(), columns.len())
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            names.join(", "),
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            if row.len() != columns.len() {
                return Err(problem(format!("a row of {table} has the wrong width")));
            }
            for (col, cell) in columns.iter().zip(row) {
                q = bind(q, col.class, cell)?;
            }
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Set a reference that [`deferred`] held back: `table.column` of the row
/// `id`.
pub async fn set_reference(
    c: &mut AnyConnection,
    table: &str,
    column: &str,
    id: i64,
    value: i64,
) -> Result<()> {
    sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
        .bind(value)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// On PostgreSQL, move each table's identity sequence past its largest
/// id, so that the rows made after an import get new ids (SQLite's
/// `INTEGER PRIMARY KEY` needs nothing).
pub async fn move_sequences(c: &mut AnyConnection, cat: &Catalogue) -> Result<()> {
    if !is_postgres(c) {
        return Ok(());
    }
    for (table, _) in exported() {
        let has_id = cat
            .tables
            .get(table)
            .is_some_and(|cols| cols.iter().any(|c| c.name == "id"));
        if !has_id {
            continue;
        }
        sqlx::query(&format!(
            "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) AS BIGINT) \
             FROM {table} HAVING MAX(id) IS NOT NULL"
        ))
        .fetch_optional(&mut *c)
        .await?;
    }
    Ok(())
}

/// What the database already holds that an import must not meet:
/// `(table, rows)` for partnerships, organisations, users and
/// participants, those that have any.
pub async fn occupied(c: &mut AnyConnection) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for table in ["partnerships", "organisations", "users", "participants"] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *c)
            .await?;
        if n > 0 {
            out.push((table, n));
        }
    }
    Ok(out)
}

/// The migrations applied to this database: `(version, name)` in order.
pub async fn applied_migrations(c: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query("SELECT version, name FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("version")?, r.try_get("name")?)))
        .collect()
}

/// The partnership's name, if it exists.
pub async fn partnership_name(c: &mut AnyConnection, id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM partnerships WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?,
    )
}
