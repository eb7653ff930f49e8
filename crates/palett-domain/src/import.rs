//! Importing participants from a spreadsheet (CSV or XLSX): the columns,
//! reading a file row by row, and parsing each row with the same parser as
//! the intake form ([`ParticipantInput::parse`]) into a command or the
//! problems per row and column.
//!
//! Pure: the caller hands in the file's bytes, the names of the
//! partnership's organisations, caseworkers and projects
//! ([`References`]), the vocabularies' labels in the users' languages
//! ([`Labels`]) and today.

use crate::error::FieldErrors;
use crate::lifecycle::ExitOutcome;
use crate::model::{parse_exit, ParticipantInput, ParticipantProfile};
use jiff::civil::Date;
use std::collections::HashMap;

pub mod path;
pub use path::ImportKind;

/// The columns of a participant import: the field name (as
/// [`ParticipantInput`] and the JSON API spell it, also accepted as a
/// header) and the Swedish header.
pub const COLUMNS: &[(&str, &str)] = &[
    ("given_name", "förnamn"),
    ("family_name", "efternamn"),
    ("identity_kind", "identitetstyp"),
    ("identity_number", "personnummer"),
    ("birth_date", "födelsedatum"),
    ("gender", "kön"),
    ("country_of_birth", "födelseland"),
    ("arrival_year", "ankomstår"),
    ("languages", "språk"),
    ("interpreter_needed", "tolkbehov"),
    ("phone", "telefon"),
    ("email", "e-post"),
    ("address", "adress"),
    ("education_level", "utbildningsnivå"),
    ("labour_status", "arbetsmarknadsstatus"),
    ("income_source", "försörjning"),
    ("months_on_support", "månader med försörjningsstöd"),
    ("swedish_level", "svenskanivå"),
    ("referral_source", "remittent"),
    ("responsible_organisation", "ansvarig organisation"),
    ("caseworkers", "handläggare"),
    ("projects", "projekt"),
    ("referred_on", "anvisad"),
    ("intake_date", "inskrivning"),
    ("start_on", "start"),
    ("consent_method", "samtycke"),
    ("sharing_organisations", "delning med"),
    ("exit_date", "avslut"),
    ("exit_outcome", "avslutsorsak"),
];

/// The columns whose values come from a closed vocabulary, with every
/// value and its label's message id (for the template and [`Labels`]).
pub fn vocabularies() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    fn of<T: Copy>(
        all: &[T],
        s: fn(T) -> &'static str,
        m: fn(T) -> String,
    ) -> Vec<(&'static str, String)> {
        all.iter().map(|v| (s(*v), m(*v))).collect()
    }
    use crate::consent::ConsentMethod as C;
    use crate::followup::{IncomeSource as I, LabourStatus as L};
    use crate::values::{
        EducationLevel as E, Gender as G, IdentityKind as K, ReferralSource as R, SwedishLevel as S,
    };
    vec![
        ("identity_kind", of(K::ALL, K::as_str, K::message_id)),
        ("gender", of(G::ALL, G::as_str, G::message_id)),
        ("education_level", of(E::ALL, E::as_str, E::message_id)),
        ("labour_status", of(L::ALL, L::as_str, L::message_id)),
        ("income_source", of(I::ALL, I::as_str, I::message_id)),
        ("swedish_level", of(S::ALL, S::as_str, S::message_id)),
        ("referral_source", of(R::ALL, R::as_str, R::message_id)),
        ("consent_method", of(C::ALL, C::as_str, C::message_id)),
        (
            "exit_outcome",
            of(
                ExitOutcome::ALL,
                ExitOutcome::as_str,
                ExitOutcome::message_id,
            ),
        ),
    ]
}

/// A cell's text as a key: trimmed, lower case, inner spaces single.
pub fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Labels of vocabulary values a cell may hold instead of the value
/// itself ("Kvinna", "Woman" for `woman`): by column and [`key`].
#[derive(Clone, Debug, Default)]
pub struct Labels(pub HashMap<(String, String), &'static str>);

impl Labels {
    /// From the vocabularies, each label given by `label` (a message id to
    /// its text; call once per language).
    pub fn add(&mut self, label: impl Fn(&str) -> String) {
        for kind in ImportKind::ALL {
            for (column, values) in kind.vocabularies() {
                for (value, id) in values {
                    self.0.insert((column.to_string(), key(&label(&id))), value);
                }
            }
        }
    }

    pub(crate) fn value(&self, column: &str, cell: &str) -> String {
        let k = key(cell);
        match self.0.get(&(column.to_string(), k.clone())) {
            Some(v) => (*v).to_string(),
            // A value written as stored ("non_binary") or with spaces.
            None => k.replace([' ', '-'], "_"),
        }
    }
}

/// The partnership's names a row may refer to, each by [`key`] of a name
/// (or e-mail for a caseworker) or by id.
#[derive(Clone, Debug, Default)]
pub struct References {
    pub organisations: HashMap<String, i64>,
    pub caseworkers: HashMap<String, i64>,
    pub projects: HashMap<String, i64>,
}

impl References {
    fn one(map: &HashMap<String, i64>, cell: &str) -> Result<Option<i64>, ()> {
        let k = key(cell);
        if k.is_empty() {
            return Ok(None);
        }
        if let Some(id) = map.get(&k) {
            return Ok(Some(*id));
        }
        match k.parse::<i64>() {
            Ok(id) if map.values().any(|v| *v == id) => Ok(Some(id)),
            _ => Err(()),
        }
    }

    /// A list (separated by `,` or `;` or `|`) of references.
    fn many(map: &HashMap<String, i64>, cell: &str) -> Result<Vec<String>, ()> {
        let mut out = Vec::new();
        for part in cell.split([',', ';', '|']) {
            if let Some(id) = Self::one(map, part)? {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }
}

/// Why a file cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Neither CSV text nor an XLSX workbook.
    Unreadable,
    /// A header that is no column of the import: the header as written.
    UnknownColumn(String),
    /// The same column twice.
    DuplicateColumn(String),
    /// The required name columns are missing.
    MissingColumn(&'static str),
    /// No rows under the header.
    Empty,
}

/// One problem of a row: its spreadsheet row number (the header is row
/// 1), the column (field name) and a Fluent message id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub code: &'static str,
}

/// A row that parsed: her profile and, when given, her exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowCommand {
    pub profile: ParticipantProfile,
    pub exit: Option<(Date, ExitOutcome)>,
}

/// One row of the file, parsed (a participant's by default).
#[derive(Clone, Debug)]
pub struct ImportRow<T = RowCommand> {
    pub row: usize,
    /// The name as written, to show her in the preview.
    pub name: String,
    pub parsed: Result<T, Vec<RowError>>,
}

/// Decode text: UTF-8 (a byte order mark dropped), else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The delimiter of a CSV file, from its header line: `;` when it has
/// more semicolons than commas, else `,`.
pub fn sniff(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Whether the bytes are a ZIP container (XLSX).
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Every row of the file (CSV or the first sheet of an XLSX), the header
/// first, each handed to `each` with its spreadsheet row number (1-based)
/// as text cells; blank rows (and CSV lines starting with `#`) are skipped. Stops at the first `Err` of
/// `each`.
pub fn rows<E>(
    bytes: &[u8],
    mut each: impl FnMut(usize, Vec<String>) -> Result<(), E>,
) -> Result<Result<(), E>, ReadError> {
    let blank = |cells: &[String]| cells.iter().all(|c| c.trim().is_empty());
    if is_zip(bytes) {
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|_| ReadError::Unreadable)?;
        let Some(Ok(range)) = book.worksheet_range_at(0) else {
            return Err(ReadError::Unreadable);
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        for (i, row) in range.rows().enumerate() {
            let mut cells = vec![String::new(); left as usize];
            cells.extend(row.iter().map(|d| {
                match d {
                    Data::Empty | Data::Error(_) => String::new(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    // A date cell: days since 1899-12-30 (Excel's day 0).
                    Data::DateTime(d) => jiff::civil::date(1899, 12, 30)
                        .checked_add(jiff::Span::new().days(d.as_f64().floor() as i64))
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    Data::Bool(b) => b.to_string(),
                    other => other.to_string(),
                }
            }));
            if blank(&cells) {
                continue;
            }
            if let Err(e) = each(top as usize + i + 1, cells) {
                return Ok(Err(e));
            }
        }
        return Ok(Ok(()));
    }
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(ReadError::Unreadable);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|_| ReadError::Unreadable)?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        // A comment line (the template's list of allowed values).
        if blank(&cells) || cells[0].trim_start().starts_with('#') {
            continue;
        }
        if let Err(e) = each(line, cells) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// The header row read: which column each cell is.
#[derive(Clone, Debug)]
pub struct Header(Vec<&'static str>);

impl Header {
    /// The header of a participant import.
    pub fn parse(cells: &[String]) -> Result<Self, ReadError> {
        Self::parse_for(ImportKind::Participants, cells)
    }

    /// The header of an import of `kind`: every cell one of its columns
    /// (by field name or Swedish header), its required columns present.
    pub fn parse_for(kind: ImportKind, cells: &[String]) -> Result<Self, ReadError> {
        let columns = kind.columns();
        let mut out = Vec::new();
        for cell in cells {
            let k = key(cell);
            if k.is_empty() {
                out.push("");
                continue;
            }
            let Some((field, _)) = columns
                .iter()
                .find(|(f, sv)| k == *f || k == *sv || k.replace(' ', "_") == *f)
            else {
                return Err(ReadError::UnknownColumn(cell.trim().to_string()));
            };
            if out.contains(field) {
                return Err(ReadError::DuplicateColumn(cell.trim().to_string()));
            }
            out.push(field);
        }
        for needed in kind.required() {
            if !out.contains(needed) {
                return Err(ReadError::MissingColumn(needed));
            }
        }
        Ok(Self(out))
    }

    /// A row's cell of `field`, trimmed; empty when the file has no such
    /// column.
    pub fn cell(&self, cells: &[String], field: &str) -> String {
        self.0
            .iter()
            .position(|f| *f == field)
            .and_then(|i| cells.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }
}

/// Parse one row: the cells mapped by the header, vocabulary labels and
/// references turned into values and ids, then the intake form's parser.
pub fn parse_row(
    header: &Header,
    row: usize,
    cells: &[String],
    refs: &References,
    labels: &Labels,
    today: Date,
) -> ImportRow {
    let cell = |field: &str| header.cell(cells, field);
    let mut errors: Vec<RowError> = Vec::new();
    let bad = |errors: &mut Vec<RowError>, column: &str, code: &'static str| {
        errors.push(RowError {
            row,
            column: column.to_string(),
            code,
        })
    };
    let vocab = |field: &str| {
        let c = cell(field);
        if c.is_empty() {
            c
        } else {
            labels.value(field, &c)
        }
    };
    let organisation = match References::one(&refs.organisations, &cell("responsible_organisation"))
    {
        Ok(Some(id)) => id.to_string(),
        Ok(None) => String::new(),
        Err(()) => {
            bad(
                &mut errors,
                "responsible_organisation",
                "error-import-unknown-reference",
            );
            "0".into()
        }
    };
    let many = |errors: &mut Vec<RowError>, field: &'static str, map: &HashMap<String, i64>| {
        References::many(map, &cell(field)).unwrap_or_else(|()| {
            bad(errors, field, "error-import-unknown-reference");
            Vec::new()
        })
    };
    let caseworker_ids = many(&mut errors, "caseworkers", &refs.caseworkers);
    let project_ids = many(&mut errors, "projects", &refs.projects);
    let sharing_organisation_ids = many(&mut errors, "sharing_organisations", &refs.organisations);
    let mut identity_kind = vocab("identity_kind");
    if identity_kind.is_empty() {
        // A number given means a personal identity number; none, a birth date.
        identity_kind = if cell("identity_number").is_empty() {
            "birth_date".into()
        } else {
            "personnummer".into()
        };
    }
    let intake = cell("intake_date");
    let input = ParticipantInput {
        given_name: cell("given_name"),
        family_name: cell("family_name"),
        identity_kind,
        identity_number: cell("identity_number"),
        birth_date: cell("birth_date"),
        gender: vocab("gender"),
        country_of_birth: cell("country_of_birth"),
        arrival_year: cell("arrival_year"),
        languages: cell("languages"),
        interpreter_needed: match key(&cell("interpreter_needed")).as_str() {
            "ja" => "yes".into(),
            "nej" => "no".into(),
            other => other.to_string(),
        },
        phone: cell("phone"),
        email: cell("email"),
        address: cell("address"),
        education_level: vocab("education_level"),
        labour_status: vocab("labour_status"),
        income_source: vocab("income_source"),
        months_on_support: cell("months_on_support"),
        swedish_level: vocab("swedish_level"),
        referral_source: vocab("referral_source"),
        responsible_organisation_id: organisation,
        caseworker_ids,
        project_ids,
        referred_on: match cell("referred_on") {
            // Referred on her intake when only that is known.
            r if r.is_empty() => intake.clone(),
            r => r,
        },
        intake_date: intake,
        start_now: String::new(),
        start_on: cell("start_on"),
        sharing_organisation_ids,
        consent_method: vocab("consent_method"),
        health_notes: String::new(),
        support_needs: String::new(),
        protected_identity: String::new(),
    };
    let profile = input.parse(today);
    let (exit_date, exit_outcome) = (cell("exit_date"), vocab("exit_outcome"));
    let exit = if exit_date.is_empty() && exit_outcome.is_empty() {
        Ok(None)
    } else {
        parse_exit(&exit_date, &exit_outcome, today).map(Some)
    };
    let push = |errors: &mut Vec<RowError>, e: FieldErrors| {
        for f in e.0 {
            let column = match f.field.as_str() {
                "responsible_organisation_id" => "responsible_organisation",
                "caseworker_ids" => "caseworkers",
                "project_ids" => "projects",
                "sharing_organisation_ids" => "sharing_organisations",
                other => other,
            };
            // An unknown reference was told already.
            if !errors.iter().any(|r| r.column == column) {
                errors.push(RowError {
                    row,
                    column: column.to_string(),
                    code: f.code,
                });
            }
        }
    };
    let parsed = match (profile, exit) {
        (Ok(profile), Ok(exit)) if errors.is_empty() => Ok(RowCommand { profile, exit }),
        (p, x) => {
            if let Err(e) = p {
                push(&mut errors, e);
            }
            if let Err(e) = x {
                push(&mut errors, e);
            }
            Err(errors)
        }
    };
    ImportRow {
        row,
        name: format!("{} {}", cell("given_name"), cell("family_name"))
            .trim()
            .to_string(),
        parsed,
    }
}

/// Read a file and parse the rows in `window` (by their place among the
/// file's rows: `0..usize::MAX` for all), handing each to `each`; the
/// others are only counted. The number of rows the file has.
pub fn parse_file(
    bytes: &[u8],
    refs: &References,
    labels: &Labels,
    today: Date,
    window: std::ops::Range<usize>,
    mut each: impl FnMut(ImportRow),
) -> Result<usize, ReadError> {
    let mut header: Option<Header> = None;
    let mut count = 0usize;
    let r = rows(bytes, |n, cells| {
        match &header {
            None => header = Some(Header::parse(&cells)?),
            Some(h) => {
                if window.contains(&count) {
                    each(parse_row(h, n, &cells, refs, labels, today));
                }
                count += 1;
            }
        }
        Ok::<(), ReadError>(())
    })?;
    r?;
    if count == 0 {
        return Err(ReadError::Empty);
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
