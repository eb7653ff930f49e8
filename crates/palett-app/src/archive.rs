//! The archive of a partnership (docs/ARCHIVE.md): everything it holds, as
//! a ZIP of one CSV file per table with a manifest, for a partnership that
//! leaves palett or moves to another database; and its import into an
//! empty palett, which then shows the same figures.
//!
//! Which tables and rows go in is the store's one table
//! (`palett_store::archive::TABLES`). Sealed values never leave sealed
//! under the instance's data key, which the target does not have: each is
//! opened and sealed again under a fresh archive key, written beside the
//! ZIP (never in it), and the import seals them again under the target's
//! key and recomputes the identity hashes with it. The operator may ask for
//! the identity numbers in clear instead; everything else stays sealed.
//! Both are the operator's acts (`Actor::can_archive`), audited as
//! `archive.export` and `archive.import`.

use crate::action::Action;
use crate::data_key::DataKey;
use crate::work::Reading;
use crate::{App, AppError, Ctx, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use palett_store::archive::{self as store, Cell, Class, Held};
use palett_store::sealing::Sealer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What the manifest's `format` says.
pub const FORMAT: &str = "palett-archive";
/// The version of the format this palett writes and reads.
pub const FORMAT_VERSION: i64 = 1;
/// The marker of a NULL in a table file.
pub const NULL: &str = "\\N";
/// The README inside every archive: the format's documentation.
const README: &str = include_str!("../../../docs/ARCHIVE.md");
/// The largest manifest read (a manifest lists tables, not rows).
const MANIFEST_LIMIT: u64 = 4 << 20;
/// Rows inserted per batch on import.
const BATCH: usize = 500;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: i64,
    pub palett_version: String,
    /// The migrations applied to the source database, in order.
    pub migrations: Vec<MigrationEntry>,
    /// When the archive was made (RFC 3339, UTC).
    pub created_at: String,
    pub partnership: PartnershipEntry,
    /// `sealed` (under the archive key) or `plain` (the operator asked).
    pub identity_numbers: String,
    /// The columns sealed under the archive key, as `table.column`.
    pub sealed_columns: Vec<String>,
    /// Columns left empty that the import computes again.
    pub recomputed_columns: Vec<String>,
    /// The archive key's fingerprint: a wrong key file is refused at once.
    pub key_fingerprint: String,
    pub tables: Vec<TableEntry>,
    /// The tables left out, each with why.
    pub excluded: Vec<ExcludedEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MigrationEntry {
    pub version: i64,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PartnershipEntry {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TableEntry {
    pub name: String,
    pub file: String,
    pub columns: Vec<ColumnEntry>,
    pub rows: u64,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ColumnEntry {
    pub name: String,
    /// `integer`, `text` or `real`.
    pub class: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExcludedEntry {
    pub name: String,
    pub reason: String,
}

/// What an export wrote.
#[derive(Clone, Debug)]
pub struct ExportSummary {
    pub archive: PathBuf,
    /// The archive key, beside the archive (mode 0600).
    pub key_file: PathBuf,
    pub tables: usize,
    pub rows: u64,
}

/// What an import put in.
#[derive(Clone, Debug)]
pub struct ImportSummary {
    pub partnership_id: i64,
    pub partnership_name: String,
    pub tables: usize,
    pub rows: u64,
}

/// The archive key's file for an archive: `FILE.zip.key`.
pub fn key_file_of(archive: &Path) -> PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

fn refused(msg: impl Into<String>) -> AppError {
    AppError::internal(msg)
}

fn io(context: &'static str) -> impl Fn(std::io::Error) -> AppError {
    move |e| AppError::internal_from(context, e)
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A value as a table file holds it: [`NULL`] for NULL; text that begins
/// with a backslash gets one more in front, so no text reads as NULL.
fn encode(cell: &Cell) -> String {
    match cell {
        Cell::Null => NULL.to_string(),
        Cell::Int(v) => v.to_string(),
        Cell::Real(v) => v.to_string(),
        Cell::Text(t) if t.starts_with('\\') => format!("\\{t}"),
        Cell::Text(t) => t.clone(),
    }
}

/// A field of a table file as a value of `class`.
fn decode(field: &str, class: Class) -> std::result::Result<Cell, String> {
    if field == NULL {
        return Ok(Cell::Null);
    }
    let text = field.strip_prefix('\\').unwrap_or(field);
    match class {
        Class::Text => Ok(Cell::Text(text.to_string())),
        Class::Integer => text
            .parse()
            .map(Cell::Int)
            .map_err(|_| format!("{field:?} is not an integer")),
        Class::Real => text
            .parse()
            .map(Cell::Real)
            .map_err(|_| format!("{field:?} is not a number")),
    }
}

/// How one column of a table is archived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Treatment {
    AsItIs,
    /// Sealed under the archive key; how the database holds it.
    Sealed(Held),
    /// Opened and written in clear (identity numbers, when asked).
    Plain(Held),
    /// Left empty, computed again on import.
    Recomputed,
}

fn treatment(table: &str, column: &str, plain_identity_numbers: bool) -> Treatment {
    if store::RECOMPUTED.contains(&(table, column)) {
        return Treatment::Recomputed;
    }
    match store::SEALED
        .iter()
        .find(|(t, c, _)| *t == table && *c == column)
    {
        Some((_, _, held)) if plain_identity_numbers && (table, column) == IDENTITY => {
            Treatment::Plain(*held)
        }
        Some((_, _, held)) => Treatment::Sealed(*held),
        None => Treatment::AsItIs,
    }
}

const IDENTITY: (&str, &str) = ("participants", "identity_number");

impl App {
    /// Export partnership `ctx.actor.partnership_id` to a new ZIP at `out`
    /// and its archive key to `out.key` (mode 0600). Refused when a row of
    /// the partnership refers to one outside its archive (an import would
    /// fail on it), naming the tables.
    #[tracing::instrument(skip_all, fields(partnership = ctx.actor.partnership_id))]
    pub async fn export_archive(
        &self,
        ctx: &Ctx,
        out: &Path,
        plain_identity_numbers: bool,
    ) -> Result<ExportSummary> {
        if !ctx.actor.can_archive() {
            return Err(AppError::Forbidden);
        }
        let pid = ctx.actor.partnership_id;
        let key_file = key_file_of(out);
        if key_file.exists() {
            return Err(refused(format!(
                "{} exists already; an archive key is never overwritten",
                key_file.display()
            )));
        }
        let (master, key_text) = {
            let master = crate::secret::random_bytes::<32>()?;
            (master, B64.encode(master))
        };
        let archive_key = DataKey::from_bytes(&master);
        let mut r = Reading::begin(self, ctx).await?;
        let name = store::partnership_name(r.conn(), pid)
            .await?
            .ok_or(AppError::NotFound)?;
        let cat = store::catalogue(r.conn()).await?;
        let (missing, gone) = store::unlisted(&cat);
        if !missing.is_empty() || !gone.is_empty() {
            return Err(refused(format!(
                "the archive's table list does not match the schema: not listed {missing:?}, \
                 not in the database {gone:?}"
            )));
        }
        let open = store::open_references(r.conn(), &cat, pid).await?;
        if !open.is_empty() {
            return Err(refused(format!(
                "partnership {pid} cannot be archived whole: {}",
                open.join("; ")
            )));
        }
        let migrations = store::applied_migrations(r.conn())
            .await?
            .into_iter()
            .map(|(version, name)| MigrationEntry { version, name })
            .collect();

        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(out)
            .map_err(io("creating the archive"))?;
        let written = self
            .write_tables(
                r.conn(),
                &cat,
                pid,
                file,
                &archive_key,
                plain_identity_numbers,
            )
            .await;
        let (tables, mut zip) = match written {
            Ok(w) => w,
            Err(e) => {
                let _ = std::fs::remove_file(out);
                return Err(e);
            }
        };
        let rows = tables.iter().map(|t| t.rows).sum();
        let manifest = Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            palett_version: env!("CARGO_PKG_VERSION").into(),
            migrations,
            created_at: self.clock.now().to_string(),
            partnership: PartnershipEntry { id: pid, name },
            identity_numbers: if plain_identity_numbers {
                "plain"
            } else {
                "sealed"
            }
            .into(),
            sealed_columns: store::SEALED
                .iter()
                .filter(|(t, c, _)| !(plain_identity_numbers && (*t, *c) == IDENTITY))
                .map(|(t, c, _)| format!("{t}.{c}"))
                .collect(),
            recomputed_columns: store::RECOMPUTED
                .iter()
                .map(|(t, c)| format!("{t}.{c}"))
                .collect(),
            key_fingerprint: archive_key.fingerprint(),
            tables,
            excluded: store::TABLES
                .iter()
                .filter_map(|(t, s)| match s {
                    store::Scope::Excluded(why) => Some(ExcludedEntry {
                        name: t.to_string(),
                        reason: why.to_string(),
                    }),
                    store::Scope::Rows(_) => None,
                })
                .collect(),
        };
        let finished = (|| -> std::io::Result<()> {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("README.md", options)?;
            zip.write_all(README.as_bytes())?;
            zip.start_file("manifest.json", options)?;
            serde_json::to_writer_pretty(&mut zip, &manifest)?;
            zip.finish()?.sync_all()
        })();
        if let Err(e) = finished {
            let _ = std::fs::remove_file(out);
            return Err(AppError::internal_from("writing the archive", e));
        }
        r.audit(Action::ArchiveExport, "partnership", Some(pid), None);
        if let Err(e) = r.finish().await {
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
        write_key_file(&key_file, &key_text)?;
        Ok(ExportSummary {
            archive: out.to_path_buf(),
            key_file,
            tables: manifest.tables.len(),
            rows,
        })
    }

    /// Every exported table into `file`'s ZIP, streamed row by row.
    async fn write_tables(
        &self,
        c: &mut palett_store::AnyConnection,
        cat: &store::Catalogue,
        pid: i64,
        file: std::fs::File,
        archive_key: &DataKey,
        plain_identity_numbers: bool,
    ) -> Result<(Vec<TableEntry>, zip::ZipWriter<std::fs::File>)> {
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut entries = Vec::new();
        for (table, _) in store::exported() {
            let columns = cat
                .tables
                .get(table)
                .ok_or_else(|| refused(format!("no table {table}")))?;
            let file_name = format!("tables/{table}.csv");
            zip.start_file(file_name.as_str(), options)
                .map_err(|e| AppError::internal_from("writing the archive", e))?;
            let mut csv = csv::Writer::from_writer(Hashing {
                inner: &mut zip,
                hash: Sha256::new(),
            });
            let write_err = |e: csv::Error| AppError::internal_from("writing the archive", e);
            csv.write_record(columns.iter().map(|c| c.name.as_str()))
                .map_err(write_err)?;
            let how: Vec<Treatment> = columns
                .iter()
                .map(|c| treatment(table, &c.name, plain_identity_numbers))
                .collect();
            let sealer = self.sealer();
            let mut fields: Vec<String> = Vec::with_capacity(columns.len());
            let rows = store::dump(c, table, columns, pid, |cells: Vec<Cell>| -> Result<()> {
                fields.clear();
                for ((cell, col), how) in cells.iter().zip(columns).zip(&how) {
                    let aad = format!("{table}.{}", col.name);
                    let cell = match (how, cell) {
                        (_, Cell::Null) | (Treatment::AsItIs, _) => cell.clone(),
                        (Treatment::Recomputed, _) => Cell::Null,
                        (Treatment::Sealed(held), Cell::Text(v)) => {
                            let plain = opened(sealer, *held, &aad, v)?;
                            Cell::Text(archive_key.seal(&aad, &plain)?)
                        }
                        (Treatment::Plain(held), Cell::Text(v)) => {
                            Cell::Text(opened(sealer, *held, &aad, v)?)
                        }
                        (_, other) => {
                            return Err(refused(format!(
                                "{aad} holds a {other:?}, not text, and cannot be sealed"
                            )))
                        }
                    };
                    fields.push(encode(&cell));
                }
                csv.write_record(&fields).map_err(write_err)
            })
            .await?;
            let hashing = csv
                .into_inner()
                .map_err(|e| AppError::internal_from("writing the archive", e.into_error()))?;
            entries.push(TableEntry {
                name: table.to_string(),
                file: file_name,
                columns: columns
                    .iter()
                    .map(|c| ColumnEntry {
                        name: c.name.clone(),
                        class: c.class.as_str().into(),
                    })
                    .collect(),
                rows,
                sha256: crate::secret::hex(&hashing.hash.finalize()),
            });
        }
        Ok((entries, zip))
    }
}

/// A stored value in clear: opened under the data key when the database
/// seals it.
fn opened(sealer: &dyn Sealer, held: Held, column: &str, stored: &str) -> Result<String> {
    Ok(match held {
        Held::Sealed => sealer.open(column, stored)?,
        Held::Clear => stored.to_string(),
    })
}

fn write_key_file(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(format!("{text}\n").as_bytes()))
        .map_err(io("writing the archive key"))
}

/// Read the manifest of the archive at `path` and check every table file
/// against its checksum (read through once, never held whole).
pub fn verified_manifest(path: &Path) -> Result<Manifest> {
    let file = std::fs::File::open(path).map_err(io("opening the archive"))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| AppError::internal_from("reading the archive", e))?;
    let manifest: Manifest = {
        let entry = zip
            .by_name("manifest.json")
            .map_err(|_| refused("the archive has no manifest.json"))?;
        let mut text = String::new();
        entry
            .take(MANIFEST_LIMIT)
            .read_to_string(&mut text)
            .map_err(io("reading the manifest"))?;
        serde_json::from_str(&text)
            .map_err(|e| AppError::internal_from("the manifest does not parse", e))?
    };
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(refused(format!(
            "this palett reads {FORMAT} version {FORMAT_VERSION}, not {} version {}",
            manifest.format, manifest.format_version
        )));
    }
    for t in &manifest.tables {
        let mut entry = zip
            .by_name(&t.file)
            .map_err(|_| refused(format!("the archive has no {}", t.file)))?;
        let mut hash = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).map_err(io("reading the archive"))?;
            if n == 0 {
                break;
            }
            hash.update(&buf[..n]);
        }
        if crate::secret::hex(&hash.finalize()) != t.sha256 {
            return Err(refused(format!(
                "{} does not match its checksum in the manifest: the archive was altered or \
                 damaged, and nothing was imported",
                t.file
            )));
        }
    }
    Ok(manifest)
}

mod import;
