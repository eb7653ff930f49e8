//! Importing an archive into an empty palett: one transaction, tables in
//! foreign-key order, ids kept; sealed values sealed again under this
//! palett's data key and identity hashes made with it.

use super::{decode, verified_manifest, Manifest, TableEntry, Treatment, BATCH, IDENTITY};
use crate::action::Action;
use crate::data_key::DataKey;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
use palett_store::archive::{self as store, Cell, Class, Column, Held};
use palett_store::sealing::Sealer;
use std::path::Path;
use tokio::sync::mpsc;

use super::{refused, ImportSummary};

/// A batch of one table's records, read from the ZIP by the reading thread.
enum Batch {
    Rows(usize, Vec<csv::StringRecord>),
    Failed(String),
}

/// Read every table file of `manifest` in a thread of its own and send its
/// records in batches (at most two batches wait: memory stays bounded).
fn read_tables(path: &Path, manifest: &Manifest) -> mpsc::Receiver<Batch> {
    let (tx, rx) = mpsc::channel(2);
    let path = path.to_path_buf();
    let tables: Vec<TableEntry> = manifest.tables.clone();
    std::thread::spawn(move || {
        let send = |b: Batch| tx.blocking_send(b).is_ok();
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                send(Batch::Failed(format!("opening the archive: {e}")));
                return;
            }
        };
        let mut zip = match zip::ZipArchive::new(file) {
            Ok(z) => z,
            Err(e) => {
                send(Batch::Failed(format!("reading the archive: {e}")));
                return;
            }
        };
        for (i, t) in tables.iter().enumerate() {
            let entry = match zip.by_name(&t.file) {
                Ok(e) => e,
                Err(e) => {
                    send(Batch::Failed(format!("{}: {e}", t.file)));
                    return;
                }
            };
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(entry);
            let header_ok = reader
                .headers()
                .is_ok_and(|h| h.iter().eq(t.columns.iter().map(|c| c.name.as_str())));
            if !header_ok {
                send(Batch::Failed(format!(
                    "{}: the header row is not the manifest's columns",
                    t.file
                )));
                return;
            }
            let mut batch = Vec::with_capacity(BATCH);
            for record in reader.records() {
                match record {
                    Ok(r) => batch.push(r),
                    Err(e) => {
                        send(Batch::Failed(format!("{}: {e}", t.file)));
                        return;
                    }
                }
                if batch.len() == BATCH && !send(Batch::Rows(i, std::mem::take(&mut batch))) {
                    return;
                }
            }
            if !batch.is_empty() && !send(Batch::Rows(i, batch)) {
                return;
            }
        }
    });
    rx
}

/// How to put one archived table into this database.
struct Plan<'a> {
    table: &'a str,
    /// The target's columns, in the archive's order.
    columns: Vec<Column>,
    how: Vec<Treatment>,
    /// Per column: held back until every row is in (a reference to this
    /// table or a later one).
    deferred: Vec<bool>,
    id_at: Option<usize>,
    /// For participants: where the partnership, the identity number and
    /// its hash are.
    identity: Option<(usize, usize, usize)>,
}

impl App {
    /// Import the archive at `path`, its sealed values opened with the
    /// archive key `key_text`, into this database, which must hold no
    /// partnership, organisation, user or participant. All or nothing.
    #[tracing::instrument(skip_all)]
    pub async fn import_archive(&self, path: &Path, key_text: &str) -> Result<ImportSummary> {
        let manifest = verified_manifest(path)?;
        let archive_key = DataKey::parse(key_text)?;
        if archive_key.fingerprint() != manifest.key_fingerprint {
            return Err(refused("the key is not this archive's key"));
        }
        let pid = manifest.partnership.id;
        let ctx = Ctx::system(pid);
        if !ctx.actor.can_archive() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, &ctx).await?;

        let applied = store::applied_migrations(&mut tx).await?;
        let latest = palett_store::migrate::latest_version();
        for m in &manifest.migrations {
            if m.version > latest {
                return Err(refused(format!(
                    "the archive was made by a newer palett (migration {:04}_{} is unknown \
                     here); upgrade this palett first",
                    m.version, m.name
                )));
            }
            if !applied.iter().any(|(v, n)| *v == m.version && *n == m.name) {
                return Err(refused(format!(
                    "this database has not applied migration {:04}_{}; run `palett migrate` first",
                    m.version, m.name
                )));
            }
        }
        let occupied = store::occupied(&mut tx).await?;
        if !occupied.is_empty() {
            let held: Vec<String> = occupied.iter().map(|(t, n)| format!("{n} {t}")).collect();
            return Err(refused(format!(
                "the database is not empty (it holds {}); import into an empty database",
                held.join(", ")
            )));
        }

        let cat = store::catalogue(&mut tx).await?;
        let order: Vec<&str> = store::exported().map(|(t, _)| t).collect();
        let mut position = 0;
        let mut plans = Vec::new();
        for t in &manifest.tables {
            let at = order
                .iter()
                .position(|o| *o == t.name)
                .ok_or_else(|| refused(format!("this palett does not import table {}", t.name)))?;
            if at < position && !plans.is_empty() {
                return Err(refused("the archive's tables are not in foreign-key order"));
            }
            position = at;
            plans.push(plan(&cat, t, &manifest)?);
        }

        let mut held_back: Vec<(String, String, i64, i64)> = Vec::new();
        let mut rows_in = 0u64;
        let mut batches = read_tables(path, &manifest);
        while let Some(batch) = batches.recv().await {
            let (i, records) = match batch {
                Batch::Rows(i, records) => (i, records),
                Batch::Failed(why) => return Err(refused(why)),
            };
            let plan = &plans[i];
            let mut rows = Vec::with_capacity(records.len());
            for record in &records {
                let row = self.row(plan, record, &archive_key, &mut held_back)?;
                rows.push(row);
            }
            store::insert(&mut tx, plan.table, &plan.columns, &rows).await?;
            rows_in += rows.len() as u64;
        }
        for (table, column, id, value) in held_back {
            store::set_reference(&mut tx, &table, &column, id, value).await?;
        }
        store::move_sequences(&mut tx, &cat).await?;
        tx.done(Action::ArchiveImport, "partnership", Some(pid), None)
            .await?;
        Ok(ImportSummary {
            partnership_id: pid,
            partnership_name: manifest.partnership.name.clone(),
            tables: manifest.tables.len(),
            rows: rows_in,
        })
    }

    /// One record of a table file as the row to insert here.
    fn row<'p>(
        &self,
        plan: &Plan<'p>,
        record: &csv::StringRecord,
        archive_key: &DataKey,
        held_back: &mut Vec<(String, String, i64, i64)>,
    ) -> Result<Vec<Cell>> {
        let table = plan.table;
        if record.len() != plan.columns.len() {
            return Err(refused(format!(
                "a row of {table} has {} fields, not {}",
                record.len(),
                plan.columns.len()
            )));
        }
        let mut row = Vec::with_capacity(record.len());
        for ((field, col), how) in record.iter().zip(&plan.columns).zip(&plan.how) {
            let aad = format!("{table}.{}", col.name);
            let cell = decode(field, col.class).map_err(|e| refused(format!("{aad}: {e}")))?;
            let cell = match (how, cell) {
                (_, Cell::Null) => Cell::Null,
                (Treatment::AsItIs, cell) => cell,
                (Treatment::Recomputed, _) => Cell::Null,
                (Treatment::Sealed(held), Cell::Text(v)) => {
                    let plain = archive_key.open(&aad, &v).map_err(|_| {
                        refused(format!("a value of {aad} does not open with the key"))
                    })?;
                    Cell::Text(self.stored(*held, &aad, plain)?)
                }
                (Treatment::Plain(held), Cell::Text(v)) => Cell::Text(self.stored(*held, &aad, v)?),
                (_, other) => return Err(refused(format!("{aad} holds {other:?}, not text"))),
            };
            row.push(cell);
        }
        if let Some((partnership_at, number_at, hash_at)) = plan.identity {
            let hash = match (&row[partnership_at], &row[number_at]) {
                (Cell::Int(p), Cell::Text(sealed)) => {
                    let number = self.sealer().open("participants.identity_number", sealed)?;
                    Some(self.sealer().identity_hash(*p, &number))
                }
                _ => None,
            };
            if let Some(hash) = hash {
                row[hash_at] = Cell::Text(hash);
            }
        }
        if plan.deferred.iter().any(|d| *d) {
            let id = match plan.id_at.map(|i| &row[i]) {
                Some(Cell::Int(id)) => *id,
                _ => {
                    return Err(refused(format!(
                        "{table} has a held-back reference but no id"
                    )))
                }
            };
            for (i, deferred) in plan.deferred.iter().enumerate() {
                if let (true, Cell::Int(v)) = (*deferred, &row[i]) {
                    held_back.push((table.to_string(), plan.columns[i].name.clone(), id, *v));
                    row[i] = Cell::Null;
                }
            }
        }
        Ok(row)
    }

    /// A value in clear as this database holds it.
    fn stored(&self, held: Held, column: &str, plain: String) -> Result<String> {
        Ok(match held {
            Held::Sealed => self.sealer().seal(column, &plain)?,
            Held::Clear => plain,
        })
    }
}

/// How to import table `t`: its columns as this database has them.
fn plan<'a>(cat: &store::Catalogue, t: &'a TableEntry, manifest: &Manifest) -> Result<Plan<'a>> {
    let table = t.name.as_str();
    let ours = cat
        .tables
        .get(table)
        .ok_or_else(|| refused(format!("this database has no table {table}")))?;
    let mut columns = Vec::new();
    let mut how = Vec::new();
    let mut deferred = Vec::new();
    for c in &t.columns {
        let col = ours
            .iter()
            .find(|o| o.name == c.name)
            .ok_or_else(|| refused(format!("this database has no column {table}.{}", c.name)))?;
        if Class::parse(&c.class).is_none() {
            return Err(refused(format!(
                "{table}.{}: unknown class {}",
                c.name, c.class
            )));
        }
        let key = format!("{table}.{}", c.name);
        let held = store::SEALED
            .iter()
            .find(|(tt, cc, _)| *tt == table && *cc == c.name)
            .map(|(_, _, h)| *h);
        how.push(if manifest.recomputed_columns.contains(&key) {
            Treatment::Recomputed
        } else if manifest.sealed_columns.contains(&key) {
            Treatment::Sealed(held.unwrap_or(Held::Clear))
        } else if let Some(h) = held {
            Treatment::Plain(h)
        } else {
            Treatment::AsItIs
        });
        let fk = cat
            .references_of(table)
            .find(|f| f.column == c.name)
            .is_some_and(|f| store::deferred(table, &f.references));
        if fk && !col.nullable {
            return Err(refused(format!(
                "{table}.{} refers forward and is NOT NULL: the table order is wrong",
                c.name
            )));
        }
        deferred.push(fk);
        columns.push(col.clone());
    }
    let at = |name: &str| columns.iter().position(|c| c.name == name);
    let identity = if table == IDENTITY.0 {
        match (at("partnership_id"), at(IDENTITY.1), at("identity_hash")) {
            (Some(p), Some(n), Some(h)) => Some((p, n, h)),
            _ => None,
        }
    } else {
        None
    };
    Ok(Plan {
        table,
        id_at: at("id"),
        columns,
        how,
        deferred,
        identity,
    })
}
