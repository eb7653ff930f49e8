//! XLSForm in and out: an [`Instrument`] read from, and written as, the
//! sheets of an XLSForm (the standard of ODK and KoboToolbox). No
//! spreadsheet library here: a sheet is a grid of cell texts, its first row
//! the header.
//!
//! What is read: sheets `survey` (required), `choices` (required when a
//! question selects from a list) and `settings` (optional), names matched
//! in any case. Survey columns `type`, `name`, `label` / `label::<Language>
//! (<code>)` / `label::<code>`, likewise `hint`, `required`, `relevant`,
//! `appearance`, `constraint` and `calculation`; other columns are ignored.
//! Types: `begin_group`/`end_group` (or `begin group`/`end group`) become
//! sections (not nested; a group's `relevant` is added to each of its
//! questions'), `select_one`, `select_multiple` (with `appearance` `likert`
//! and choices that are consecutive whole numbers 0..=10: a scale),
//! `integer`, `decimal` (bounds from a `constraint` shaped
//! `. >= 0 and . <= 120`, either half alone too; other constraints are
//! ignored), `date`, `text`, and `calculate` for a score in the shape
//! [`write`] gives it. Notes and the metadata types (`start`, `end`,
//! `today`, `deviceid`, `username` …) are skipped; any other type is refused.
//! Choices: `list_name` (or `list name`), `name`, labels. Settings:
//! `form_id`, `form_title` (and `form_title::…` / `title::…` per language),
//! `default_language`, and palett's `description::…`.

use crate::instrument::{
    is_valid_language, is_valid_name, parse_condition, problem, Choice, Instrument, Item, ItemKind,
    Labels, Method, Score, Section, Term,
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The message ids of [`XlsError`]s (besides the [`problem`] codes of
/// [`Instrument::check`], which [`read`] passes on).
pub mod code {
    /// The `survey` sheet is missing, or `choices` while a question selects
    /// from a list.
    pub const MISSING_SHEET: &str = "xlsform-missing-sheet";
    /// A required column is missing from a sheet's header (row 1).
    pub const MISSING_COLUMN: &str = "xlsform-missing-column";
    /// A cell that must be filled in is empty.
    pub const REQUIRED_CELL: &str = "xlsform-required-cell";
    /// A name that is not a variable name (a letter, then letters, digits
    /// and `_`, at most 32).
    pub const NAME: &str = "xlsform-name";
    pub const DUPLICATE_NAME: &str = "xlsform-duplicate-name";
    pub const UNKNOWN_LIST: &str = "xlsform-unknown-list";
    pub const DUPLICATE_CHOICE: &str = "xlsform-duplicate-choice";
    /// Groups nested, or not opened and closed in pairs.
    pub const GROUP: &str = "xlsform-group";
    /// A `relevant` palett cannot read (the subset of `parse_condition`).
    pub const RELEVANT: &str = "xlsform-relevant";
    /// A `required` that is not yes/no (true/false, 1/0).
    pub const REQUIRED_VALUE: &str = "xlsform-required-value";
    pub const UNSUPPORTED_TYPE: &str = "xlsform-unsupported-type";
    /// A `calculate` that is not a sum or mean of items as palett writes it.
    pub const CALCULATION: &str = "xlsform-calculation";
    /// A language in a column header or `default_language` that is not a
    /// language code.
    pub const LANGUAGE: &str = "xlsform-language";

    pub const ALL: &[&str] = &[
        MISSING_SHEET,
        MISSING_COLUMN,
        REQUIRED_CELL,
        NAME,
        DUPLICATE_NAME,
        UNKNOWN_LIST,
        DUPLICATE_CHOICE,
        GROUP,
        RELEVANT,
        REQUIRED_VALUE,
        UNSUPPORTED_TYPE,
        CALCULATION,
        LANGUAGE,
    ];
}

/// One sheet as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    /// `rows[0]` is the header; cells already as text.
    pub rows: Vec<Vec<String>>,
}

/// One problem with an XLSForm, where the spreadsheet shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct XlsError {
    /// The sheet's name as given (the canonical lower-case name for a
    /// missing sheet).
    pub sheet: String,
    /// 1-based spreadsheet row number, 0 when not about a row.
    pub row: usize,
    /// The header name, e.g. "type" or "label::English (en)"; "" when not
    /// about a column.
    pub column: String,
    /// Stable message id, one of [`code`] or [`problem`].
    pub code: &'static str,
    /// The offending cell text, or a detail.
    pub value: String,
}

/// The languages palett names in column headers: code, own name.
pub const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("sv", "Svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
    ("prs", "دری"),
    ("sv-easy", "Lätt svenska"),
];

/// English names also accepted for a language without its code
/// (`label::English`, `label::Swedish`).
const ENGLISH_NAMES: &[(&str, &str)] = &[
    ("sv", "Swedish"),
    ("ar", "Arabic"),
    ("so", "Somali"),
    ("ti", "Tigrinya"),
    ("prs", "Dari"),
    ("sv-easy", "Easy Swedish"),
];

/// A language as a column header names it: `Svenska (sv)`; a code palett
/// has no name for as `de (de)`.
pub fn language_header(code: &str) -> String {
    let name = LANGUAGE_NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, n)| n);
    format!("{name} ({code})")
}

/// The language code in a header's or `default_language`'s text: the code
/// in parentheses (`English (en)`), else a known language name (`English`,
/// `Svenska`, `Swedish`), else the text itself (`en`).
pub fn language_code(text: &str) -> String {
    let t = text.trim();
    if let (Some(open), true) = (t.rfind('('), t.ends_with(')')) {
        return t[open + 1..t.len() - 1].trim().to_string();
    }
    LANGUAGE_NAMES
        .iter()
        .chain(ENGLISH_NAMES)
        .find(|(_, n)| n.eq_ignore_ascii_case(t))
        .map_or(t, |(c, _)| c)
        .to_string()
}

/// Spreadsheet column letters for a 0-based index (0 -> "A", 26 -> "AA")
/// for error messages.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

// ---------------------------------------------------------------------------
// Writing

/// The instrument as XLSForm sheets: survey, choices, settings, in that
/// order. Every language has its `label::`, `hint::` and
/// `description::` column; scales are `select_one <item>_scale` with
/// appearance `likert`, other lists are named after their item; scores
/// are `calculate` rows after the questions. [`read`] gives back exactly
/// an instrument that passes [`Instrument::check`].
pub fn write(instrument: &Instrument) -> Vec<Sheet> {
    let default = instrument.default_language().to_string();
    let languages: Vec<String> = if instrument.languages.is_empty() {
        vec![default.clone()]
    } else {
        instrument.languages.clone()
    };
    let texts = |labels: &Labels| -> Vec<String> {
        languages
            .iter()
            .map(|l| labels.0.get(l).cloned().unwrap_or_default())
            .collect()
    };
    let headers = |base: &str| -> Vec<String> {
        languages
            .iter()
            .map(|l| format!("{base}::{}", language_header(l)))
            .collect()
    };

    let mut survey_header = vec!["type".to_string(), "name".to_string()];
    survey_header.extend(headers("label"));
    survey_header.extend(headers("hint"));
    survey_header.extend(
        [
            "required",
            "relevant",
            "appearance",
            "constraint",
            "calculation",
        ]
        .map(String::from),
    );
    let mut survey = vec![survey_header];
    let row = |ty: &str, name: &str, label: &Labels, hint: &Labels, rest: [&str; 5]| {
        let mut r = vec![ty.to_string(), name.to_string()];
        r.extend(texts(label));
        r.extend(texts(hint));
        r.extend(rest.map(String::from));
        r
    };

    let mut choices_header = vec!["list_name".to_string(), "name".to_string()];
    choices_header.extend(headers("label"));
    let mut choices = vec![choices_header];
    let mut lists: BTreeSet<String> = BTreeSet::new();
    let mut list = |base: String, items: &[Choice], choices: &mut Vec<Vec<String>>| -> String {
        let mut name = base.clone();
        let mut k = 2;
        while !lists.insert(name.clone()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        for c in items {
            let mut r = vec![name.clone(), c.value.clone()];
            r.extend(texts(&c.label));
            choices.push(r);
        }
        name
    };

    let none = Labels::default();
    for section in &instrument.sections {
        let grouped = !section.name.is_empty();
        if grouped {
            survey.push(row(
                "begin_group",
                &section.name,
                &section.label,
                &none,
                [""; 5],
            ));
        }
        for item in &section.items {
            let (ty, appearance, constraint) = match &item.kind {
                ItemKind::Single { choices: cs } => (
                    format!("select_one {}", list(item.name.clone(), cs, &mut choices)),
                    "",
                    String::new(),
                ),
                ItemKind::Multiple { choices: cs } => (
                    format!(
                        "select_multiple {}",
                        list(item.name.clone(), cs, &mut choices)
                    ),
                    "",
                    String::new(),
                ),
                ItemKind::Scale { choices: cs, .. } => (
                    format!(
                        "select_one {}",
                        list(format!("{}_scale", item.name), cs, &mut choices)
                    ),
                    "likert",
                    String::new(),
                ),
                ItemKind::Number { decimal, min, max } => (
                    if *decimal { "decimal" } else { "integer" }.to_string(),
                    "",
                    write_bounds(*min, *max),
                ),
                ItemKind::Date => ("date".to_string(), "", String::new()),
                ItemKind::Text => ("text".to_string(), "", String::new()),
            };
            survey.push(row(
                &ty,
                &item.name,
                &item.label,
                &item.hint,
                [
                    if item.required { "yes" } else { "" },
                    item.relevant.as_deref().unwrap_or(""),
                    appearance,
                    &constraint,
                    "",
                ],
            ));
        }
        if grouped {
            survey.push(row("end_group", "", &none, &none, [""; 5]));
        }
    }
    for score in &instrument.scores {
        let calculation = write_calculation(instrument, score);
        survey.push(row(
            "calculate",
            &score.name,
            &score.label,
            &none,
            ["", "", "", "", &calculation],
        ));
    }

    let others: Vec<&String> = languages.iter().filter(|l| **l != default).collect();
    let mut settings_header = vec!["form_id".to_string(), "form_title".to_string()];
    settings_header.extend(
        others
            .iter()
            .map(|l| format!("form_title::{}", language_header(l))),
    );
    settings_header.extend(["version", "default_language"].map(String::from));
    settings_header.extend(headers("description"));
    let title = |l: &str| instrument.title.0.get(l).cloned().unwrap_or_default();
    let mut settings_row = vec![instrument.name.clone(), title(&default)];
    settings_row.extend(others.iter().map(|l| title(l)));
    settings_row.extend(["1".to_string(), language_header(&default)]);
    settings_row.extend(texts(&instrument.description));

    vec![
        Sheet {
            name: "survey".into(),
            rows: survey,
        },
        Sheet {
            name: "choices".into(),
            rows: choices,
        },
        Sheet {
            name: "settings".into(),
            rows: vec![settings_header, settings_row],
        },
    ]
}

fn write_bounds(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!(". >= {a} and . <= {b}"),
        (Some(a), None) => format!(". >= {a}"),
        (None, Some(b)) => format!(". <= {b}"),
        (None, None) => String::new(),
    }
}

/// `${a} + ${b} + (6 - ${c})` for a sum (a reversed term of a scale
/// min..=max as `(<min+max> - ${c})`), `(${a} + ${b} + (6 - ${c})) div 3`
/// for a mean.
fn write_calculation(instrument: &Instrument, score: &Score) -> String {
    let terms: Vec<String> = score
        .terms
        .iter()
        .map(|t| {
            let reversed = match instrument.item(&t.item).map(|i| &i.kind) {
                Some(ItemKind::Scale { min, max, .. }) if t.reverse => Some(min + max),
                _ => None,
            };
            match reversed {
                Some(k) => format!("({k} - ${{{}}})", t.item),
                None => format!("${{{}}}", t.item),
            }
        })
        .collect();
    let sum = terms.join(" + ");
    match score.method {
        Method::Sum => sum,
        Method::Mean => format!("({sum}) div {}", terms.len()),
    }
}

// ---------------------------------------------------------------------------
// Reading

/// A sheet with its trimmed header.
struct Table<'a> {
    name: &'a str,
    rows: &'a [Vec<String>],
    header: Vec<String>,
}

impl<'a> Table<'a> {
    fn new(sheet: &'a Sheet) -> Self {
        Self {
            name: &sheet.name,
            rows: &sheet.rows,
            header: sheet
                .rows
                .first()
                .map(|r| r.iter().map(|h| h.trim().to_string()).collect())
                .unwrap_or_default(),
        }
    }

    /// The first column whose header is one of `names` (in any case).
    fn col(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }

    /// The header of `col` as the sheet spells it, else `fallback`.
    fn header(&self, col: Option<usize>, fallback: &str) -> String {
        col.and_then(|c| self.header.get(c))
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }

    /// The non-blank rows after the header, with their spreadsheet row
    /// numbers.
    fn data(&self) -> impl Iterator<Item = (usize, &'a [String])> {
        self.rows
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .map(|(k, r)| (k + 1, r.as_slice()))
    }
}

fn cell(row: &[String], col: Option<usize>) -> &str {
    col.and_then(|c| row.get(c)).map_or("", String::as_str)
}

/// A column of text in one language: `label::English (en)` has base
/// `label` and language `en`; a column without a language (`label`) has
/// the default language.
struct LangCol {
    base: String,
    lang: Option<String>,
    col: usize,
}

/// The texts of a row in the columns of the given bases, by language (the
/// first non-blank text per language, verbatim).
fn labels(row: &[String], cols: &[LangCol], bases: &[&str], default: &str) -> Labels {
    let mut out = Labels::default();
    for c in cols.iter().filter(|c| bases.contains(&c.base.as_str())) {
        let lang = c.lang.as_deref().unwrap_or(default);
        let text = cell(row, Some(c.col));
        if !text.trim().is_empty() && !out.0.contains_key(lang) {
            out.0.insert(lang.to_string(), text.to_string());
        }
    }
    out
}

/// What a survey row's type says.
enum RowType<'a> {
    BeginGroup,
    EndGroup,
    SelectOne(&'a str),
    SelectMultiple(&'a str),
    Number(bool),
    Date,
    Text,
    Calculate,
    Skip,
    Unsupported,
}

/// The metadata types ODK fills in itself; they ask nothing.
const METADATA: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
];

fn row_type(ty: &str) -> RowType<'_> {
    let words: Vec<&str> = ty.split_whitespace().collect();
    let head = words
        .first()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    let group = words.len() == 2 && words[1].eq_ignore_ascii_case("group");
    match (head.as_str(), words.len()) {
        ("begin_group", 1) => RowType::BeginGroup,
        ("begin", 2) if group => RowType::BeginGroup,
        ("end_group", 1) => RowType::EndGroup,
        ("end", 2) if group => RowType::EndGroup,
        ("select_one", 2) => RowType::SelectOne(words[1]),
        ("select_multiple", 2) => RowType::SelectMultiple(words[1]),
        ("integer" | "int", 1) => RowType::Number(false),
        ("decimal", 1) => RowType::Number(true),
        ("date", 1) => RowType::Date,
        ("text", 1) => RowType::Text,
        ("calculate", 1) => RowType::Calculate,
        ("note", 1) => RowType::Skip,
        (h, 1) if METADATA.contains(&h) => RowType::Skip,
        _ => RowType::Unsupported,
    }
}

/// A group being read.
struct Group {
    name: String,
    label: Labels,
    row: usize,
    ty: String,
    relevant: Option<String>,
    items: Vec<Item>,
}

/// A score term as read: the item, and for a reversed term the constant
/// it is subtracted from.
type RawTerm = (String, Option<i64>);

/// A score being read, its reversed terms with the constant they were
/// written with.
struct PendingScore {
    row: usize,
    name: String,
    label: Labels,
    method: Method,
    terms: Vec<RawTerm>,
}

#[derive(Default)]
struct Reader {
    errors: Vec<XlsError>,
    /// Names claimed so far (in lower case: one namespace, case-insensitive).
    names: HashSet<String>,
    /// The row of each section, item and score name.
    rows: HashMap<String, usize>,
    /// Survey cells (row, column) whose problems are told elsewhere.
    quiet: HashSet<(usize, String)>,
}

impl Reader {
    fn error(&mut self, sheet: &str, row: usize, column: &str, code: &'static str, value: &str) {
        self.errors.push(XlsError {
            sheet: sheet.to_string(),
            row,
            column: column.to_string(),
            code,
            value: value.to_string(),
        });
    }

    /// Take a section, item or score name; `false` when it is empty.
    fn claim(&mut self, t: &Table, row: usize, column: &str, name: &str) -> bool {
        if name.is_empty() {
            self.error(t.name, row, column, code::REQUIRED_CELL, "");
            return false;
        }
        if !is_valid_name(name) {
            self.error(t.name, row, column, code::NAME, name);
        }
        if self.names.insert(name.to_ascii_lowercase()) {
            self.rows.insert(name.to_string(), row);
        } else {
            self.error(t.name, row, column, code::DUPLICATE_NAME, name);
        }
        true
    }

    /// The language columns of a sheet among `bases`; a language that is
    /// no code is an error on the header row.
    fn lang_columns(&mut self, t: &Table, bases: &[&str]) -> Vec<LangCol> {
        let mut out = Vec::new();
        for (col, h) in t.header.iter().enumerate() {
            let (base, lang) = match h.split_once("::") {
                Some((b, rest)) => (b.trim().to_ascii_lowercase(), Some(rest)),
                None => (h.to_ascii_lowercase(), None),
            };
            if !bases.contains(&base.as_str()) {
                continue;
            }
            let lang = match lang {
                None => None,
                Some(rest) => {
                    let code = language_code(rest);
                    if !is_valid_language(&code) {
                        self.error(t.name, 1, h, code::LANGUAGE, rest.trim());
                        continue;
                    }
                    Some(code)
                }
            };
            out.push(LangCol { base, lang, col });
        }
        out
    }
}

/// Put an item outside any group: in the unnamed section at the end, or a
/// new one.
fn push_ungrouped(sections: &mut Vec<Section>, item: Item) {
    match sections.last_mut() {
        Some(s) if s.name.is_empty() => s.items.push(item),
        _ => sections.push(Section {
            name: String::new(),
            label: Labels::default(),
            items: vec![item],
        }),
    }
}

fn close_group(sections: &mut Vec<Section>, g: Group) {
    if g.name.is_empty() {
        // Its name was missing (an error already): keep its items.
        for item in g.items {
            push_ungrouped(sections, item);
        }
    } else {
        sections.push(Section {
            name: g.name,
            label: g.label,
            items: g.items,
        });
    }
}

fn parse_required(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" => Some(false),
        "yes" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// A `constraint` shaped `. >= a and . <= b` (or either half): the bounds.
fn parse_bounds(s: &str) -> Option<(Option<i64>, Option<i64>)> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = compact.split("and").collect();
    let min = |p: &str| p.strip_prefix(".>=").and_then(|v| v.parse::<i64>().ok());
    let max = |p: &str| p.strip_prefix(".<=").and_then(|v| v.parse::<i64>().ok());
    match parts[..] {
        [one] => match (min(one), max(one)) {
            (Some(a), _) => Some((Some(a), None)),
            (_, Some(b)) => Some((None, Some(b))),
            _ => None,
        },
        [a, b] => Some((Some(min(a)?), Some(max(b)?))),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq)]
enum CalcTok {
    Ref(String),
    Num(i64),
    Plus,
    Minus,
    Open,
    Close,
    Div,
}

fn calc_tokens(s: &str) -> Option<Vec<CalcTok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            c if c.is_whitespace() => k += 1,
            '$' if chars.get(k + 1) == Some(&'{') => {
                let end = chars[k..].iter().position(|c| *c == '}')? + k;
                out.push(CalcTok::Ref(chars[k + 2..end].iter().collect()));
                k = end + 1;
            }
            c if c.is_ascii_digit() => {
                let start = k;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                let n: String = chars[start..k].iter().collect();
                out.push(CalcTok::Num(n.parse().ok()?));
            }
            '+' | '-' | '(' | ')' => {
                out.push(match c {
                    '+' => CalcTok::Plus,
                    '-' => CalcTok::Minus,
                    '(' => CalcTok::Open,
                    _ => CalcTok::Close,
                });
                k += 1;
            }
            'd' if chars[k..].starts_with(&['d', 'i', 'v']) => {
                out.push(CalcTok::Div);
                k += 3;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `term (+ term)*`, a term `${x}` or `(k - ${x})`.
fn parse_sum(toks: &[CalcTok]) -> Option<Vec<RawTerm>> {
    use CalcTok as T;
    let mut out = Vec::new();
    let mut k = 0;
    loop {
        match &toks[k..] {
            [T::Ref(n), ..] => {
                out.push((n.clone(), None));
                k += 1;
            }
            [T::Open, T::Num(c), T::Minus, T::Ref(n), T::Close, ..] => {
                out.push((n.clone(), Some(*c)));
                k += 5;
            }
            _ => return None,
        }
        match toks.get(k) {
            None => return Some(out),
            Some(T::Plus) => k += 1,
            Some(_) => return None,
        }
    }
}

/// A score's `calculation` in the shape [`write`] gives it: the method and
/// the terms, each reversed one with the constant it is subtracted from.
fn parse_calculation(s: &str) -> Option<(Method, Vec<RawTerm>)> {
    use CalcTok as T;
    let toks = calc_tokens(s)?;
    if let [T::Open, inner @ .., T::Close, T::Div, T::Num(n)] = toks.as_slice() {
        let terms = parse_sum(inner)?;
        return (usize::try_from(*n).ok() == Some(terms.len())).then_some((Method::Mean, terms));
    }
    Some((Method::Sum, parse_sum(&toks)?))
}

/// Whether a list's values are the consecutive whole numbers min..=max
/// (as written, in order), 0 <= min < max <= 10.
fn scale_range(choices: &[Choice]) -> Option<(i16, i16)> {
    let min: i16 = choices.first()?.value.parse().ok()?;
    let max = min + i16::try_from(choices.len()).ok()? - 1;
    let consecutive = choices
        .iter()
        .zip(min..)
        .all(|(c, v)| c.value == v.to_string());
    (consecutive && 0 <= min && min < max && max <= 10).then_some((min, max))
}

fn sheet_rank(name: &str) -> u8 {
    match name.to_ascii_lowercase().as_str() {
        "survey" => 0,
        "choices" => 1,
        "settings" => 2,
        _ => 3,
    }
}

/// Read an instrument from XLSForm sheets. Every problem found is
/// returned, sorted by sheet (survey, choices, settings) and row; the
/// problems of [`Instrument::check`] come on the row of the item, group or
/// score they concern (with the [`problem`] code).
pub fn read(sheets: &[Sheet]) -> Result<Instrument, Vec<XlsError>> {
    let find = |name: &str| {
        sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(name))
    };
    let Some(survey) = find("survey") else {
        return Err(vec![XlsError {
            sheet: "survey".into(),
            row: 0,
            column: String::new(),
            code: code::MISSING_SHEET,
            value: String::new(),
        }]);
    };
    let mut r = Reader::default();
    let survey = Table::new(survey);
    let choices = find("choices").map(Table::new);
    let settings = find("settings").map(Table::new);

    // Languages: every language column, the default first.
    let settings_row = settings.as_ref().and_then(|t| t.data().next());
    let mut default = None;
    if let (Some(t), Some((row, cells))) = (&settings, settings_row) {
        let col = t.col(&["default_language"]);
        let text = cell(cells, col).trim();
        if !text.is_empty() {
            let c = language_code(text);
            if is_valid_language(&c) {
                default = Some(c);
            } else {
                r.error(
                    t.name,
                    row,
                    &t.header(col, "default_language"),
                    code::LANGUAGE,
                    text,
                );
            }
        }
    }
    let survey_cols = r.lang_columns(&survey, &["label", "hint"]);
    let choice_cols = match &choices {
        Some(t) => r.lang_columns(t, &["label"]),
        None => Vec::new(),
    };
    let settings_cols = match &settings {
        Some(t) => r.lang_columns(t, &["form_title", "title", "description"]),
        None => Vec::new(),
    };
    let mut codes: Vec<String> = Vec::new();
    let mut plain_label = false;
    for c in survey_cols.iter().chain(&choice_cols).chain(&settings_cols) {
        match &c.lang {
            Some(l) if !codes.contains(l) => codes.push(l.clone()),
            Some(_) => {}
            None => plain_label |= c.base == "label" || c.base == "hint",
        }
    }
    let default = default.unwrap_or_else(|| {
        if plain_label || codes.is_empty() || codes.iter().any(|c| c == "sv") {
            "sv".to_string()
        } else {
            codes[0].clone()
        }
    });
    let mut languages = vec![default.clone()];
    languages.extend(codes.into_iter().filter(|c| *c != default));

    // Choice lists.
    let mut lists: HashMap<String, Vec<Choice>> = HashMap::new();
    if let Some(t) = &choices {
        let list_col = t.col(&["list_name", "list name"]);
        let name_col = t.col(&["name"]);
        if t.data().next().is_some() {
            if list_col.is_none() {
                r.error(t.name, 1, "list_name", code::MISSING_COLUMN, "");
            }
            if name_col.is_none() {
                r.error(t.name, 1, "name", code::MISSING_COLUMN, "");
            }
        }
        if list_col.is_some() && name_col.is_some() {
            let mut seen = HashSet::new();
            for (row, cells) in t.data() {
                let list = cell(cells, list_col).trim();
                let value = cell(cells, name_col).trim();
                if list.is_empty() {
                    r.error(
                        t.name,
                        row,
                        &t.header(list_col, ""),
                        code::REQUIRED_CELL,
                        "",
                    );
                }
                if value.is_empty() {
                    r.error(
                        t.name,
                        row,
                        &t.header(name_col, ""),
                        code::REQUIRED_CELL,
                        "",
                    );
                }
                if list.is_empty() || value.is_empty() {
                    continue;
                }
                if !seen.insert((list.to_string(), value.to_string())) {
                    r.error(
                        t.name,
                        row,
                        &t.header(name_col, ""),
                        code::DUPLICATE_CHOICE,
                        value,
                    );
                    continue;
                }
                lists.entry(list.to_string()).or_default().push(Choice {
                    value: value.to_string(),
                    label: labels(cells, &choice_cols, &["label"], &default),
                });
            }
        }
    }

    // The survey.
    let type_col = survey.col(&["type"]);
    let name_col = survey.col(&["name"]);
    if type_col.is_none() {
        r.error(survey.name, 1, "type", code::MISSING_COLUMN, "");
    }
    if name_col.is_none() {
        r.error(survey.name, 1, "name", code::MISSING_COLUMN, "");
    }
    if type_col.is_none() || name_col.is_none() {
        return Err(sorted(r.errors));
    }
    let type_h = survey.header(type_col, "type");
    let name_h = survey.header(name_col, "name");
    let required_col = survey.col(&["required"]);
    let relevant_col = survey.col(&["relevant"]);
    let relevant_h = survey.header(relevant_col, "relevant");
    let appearance_col = survey.col(&["appearance"]);
    let constraint_col = survey.col(&["constraint"]);
    let calculation_col = survey.col(&["calculation"]);
    let calculation_h = survey.header(calculation_col, "calculation");

    let mut sections: Vec<Section> = Vec::new();
    let mut open: Option<Group> = None;
    let mut nested = 0usize;
    let mut pending: Vec<PendingScore> = Vec::new();
    let mut missing_choices_told = false;

    for (row, cells) in survey.data() {
        let ty = cell(cells, type_col).trim();
        let name = cell(cells, name_col).trim();
        if ty.is_empty() {
            r.error(survey.name, row, &type_h, code::REQUIRED_CELL, "");
            continue;
        }
        let relevant = |r: &mut Reader| -> Option<String> {
            let text = cell(cells, relevant_col);
            if text.trim().is_empty() {
                None
            } else if parse_condition(text).is_ok() {
                Some(text.to_string())
            } else {
                r.error(survey.name, row, &relevant_h, code::RELEVANT, text);
                None
            }
        };
        let kind = match row_type(ty) {
            RowType::Skip => continue,
            RowType::Unsupported => {
                r.error(survey.name, row, &type_h, code::UNSUPPORTED_TYPE, ty);
                continue;
            }
            RowType::EndGroup => {
                if nested > 0 {
                    nested -= 1;
                } else if let Some(g) = open.take() {
                    close_group(&mut sections, g);
                } else {
                    r.error(survey.name, row, &type_h, code::GROUP, ty);
                }
                continue;
            }
            RowType::BeginGroup => {
                if open.is_some() {
                    r.error(survey.name, row, &type_h, code::GROUP, ty);
                    nested += 1;
                    continue;
                }
                let named = r.claim(&survey, row, &name_h, name);
                open = Some(Group {
                    name: if named {
                        name.to_string()
                    } else {
                        String::new()
                    },
                    label: labels(cells, &survey_cols, &["label"], &default),
                    row,
                    ty: ty.to_string(),
                    relevant: relevant(&mut r),
                    items: Vec::new(),
                });
                continue;
            }
            RowType::Calculate => {
                if !r.claim(&survey, row, &name_h, name) {
                    continue;
                }
                let text = cell(cells, calculation_col);
                match parse_calculation(text) {
                    Some((method, terms)) => pending.push(PendingScore {
                        row,
                        name: name.to_string(),
                        label: labels(cells, &survey_cols, &["label"], &default),
                        method,
                        terms,
                    }),
                    None => r.error(survey.name, row, &calculation_h, code::CALCULATION, text),
                }
                continue;
            }
            RowType::SelectOne(list) | RowType::SelectMultiple(list) => {
                let multiple = matches!(row_type(ty), RowType::SelectMultiple(_));
                let found = lists.get(list).cloned();
                let choices_list = match found {
                    Some(cs) => cs,
                    None => {
                        if choices.is_none() {
                            if !missing_choices_told {
                                r.error("choices", 0, "", code::MISSING_SHEET, "");
                                missing_choices_told = true;
                            }
                            r.quiet.insert((row, type_h.clone()));
                        } else {
                            r.error(survey.name, row, &type_h, code::UNKNOWN_LIST, list);
                        }
                        Vec::new()
                    }
                };
                let likert = cell(cells, appearance_col)
                    .to_ascii_lowercase()
                    .contains("likert");
                let range = if likert && !multiple {
                    scale_range(&choices_list)
                } else {
                    None
                };
                match (multiple, range) {
                    (true, _) => ItemKind::Multiple {
                        choices: choices_list,
                    },
                    (false, Some((min, max))) => ItemKind::Scale {
                        min,
                        max,
                        choices: choices_list,
                    },
                    (false, None) => ItemKind::Single {
                        choices: choices_list,
                    },
                }
            }
            RowType::Number(decimal) => {
                let (min, max) = parse_bounds(cell(cells, constraint_col)).unwrap_or((None, None));
                ItemKind::Number { decimal, min, max }
            }
            RowType::Date => ItemKind::Date,
            RowType::Text => ItemKind::Text,
        };

        // A question.
        if !r.claim(&survey, row, &name_h, name) {
            continue;
        }
        let required_text = cell(cells, required_col);
        let required = parse_required(required_text).unwrap_or_else(|| {
            r.error(
                survey.name,
                row,
                &survey.header(required_col, "required"),
                code::REQUIRED_VALUE,
                required_text,
            );
            false
        });
        let own = relevant(&mut r);
        let relevant = match (open.as_ref().and_then(|g| g.relevant.clone()), own) {
            (None, own) => own,
            (Some(g), None) => Some(g),
            (Some(g), Some(own)) => Some(format!("({g}) and ({own})")),
        };
        let item = Item {
            name: name.to_string(),
            label: labels(cells, &survey_cols, &["label"], &default),
            hint: labels(cells, &survey_cols, &["hint"], &default),
            kind,
            required,
            relevant,
        };
        match open.as_mut() {
            Some(g) => g.items.push(item),
            None => push_ungrouped(&mut sections, item),
        }
    }
    if let Some(g) = open.take() {
        r.error(survey.name, g.row, &type_h, code::GROUP, &g.ty);
        close_group(&mut sections, g);
    }

    // Scores, their reversed terms checked against the scales.
    let mut scores = Vec::new();
    for p in pending {
        let mut ok = true;
        let terms = p
            .terms
            .into_iter()
            .map(|(item, k)| {
                let scale = sections
                    .iter()
                    .flat_map(|s| &s.items)
                    .find(|i| i.name == item)
                    .and_then(|i| match i.kind {
                        ItemKind::Scale { min, max, .. } => Some(i64::from(min + max)),
                        _ => None,
                    });
                if let (Some(k), Some(sum)) = (k, scale) {
                    ok &= k == sum;
                }
                Term {
                    item,
                    reverse: k.is_some(),
                }
            })
            .collect();
        if ok {
            scores.push(Score {
                name: p.name,
                label: p.label,
                method: p.method,
                terms,
            });
        } else {
            let text = cell(&survey.rows[p.row - 1], calculation_col);
            r.error(survey.name, p.row, &calculation_h, code::CALCULATION, text);
        }
    }

    // Settings.
    let mut name = "questionnaire".to_string();
    let mut title = Labels::default();
    let mut description = Labels::default();
    if let (Some(t), Some((row, cells))) = (&settings, settings_row) {
        let col = t.col(&["form_id"]);
        let id = cell(cells, col).trim();
        if !id.is_empty() {
            if !is_valid_name(id) {
                r.error(t.name, row, &t.header(col, "form_id"), code::NAME, id);
            }
            name = id.to_string();
        }
        title = labels(cells, &settings_cols, &["form_title", "title"], &default);
        description = labels(cells, &settings_cols, &["description"], &default);
    }

    let instrument = Instrument {
        name,
        title,
        description,
        languages,
        sections,
        scores,
    };

    // What check finds, on the row it concerns (the names, duplicate names
    // and choices are told above already).
    if let Err(problems) = instrument.check() {
        let label_h = survey_cols
            .iter()
            .find(|c| c.base == "label" && c.lang.as_deref().unwrap_or(&default) == default)
            .map_or("label".to_string(), |c| survey.header[c.col].clone());
        for p in problems {
            if matches!(
                p.code,
                problem::NAME | problem::DUPLICATE_NAME | problem::DUPLICATE_CHOICE
            ) {
                continue;
            }
            let row = r.rows.get(&p.at).copied().unwrap_or(0);
            let column = match p.code {
                problem::LABEL_MISSING | problem::LABEL_BLANK => label_h.clone(),
                problem::RELEVANT | problem::RELEVANT_UNKNOWN | problem::RELEVANT_ORDER => {
                    relevant_h.clone()
                }
                problem::NUMBER_BOUNDS => survey.header(constraint_col, "constraint"),
                problem::SCORE_EMPTY | problem::SCORE_TERM | problem::SCORE_REVERSE => {
                    calculation_h.clone()
                }
                problem::NO_ITEMS | problem::NO_LANGUAGE | problem::LANGUAGE => String::new(),
                _ => type_h.clone(),
            };
            let told = row > 0
                && (r.quiet.contains(&(row, column.clone()))
                    || r.errors
                        .iter()
                        .any(|e| e.sheet == survey.name && e.row == row && e.column == column));
            if !told {
                r.error(survey.name, row, &column, p.code, &p.detail);
            }
        }
    }

    if r.errors.is_empty() {
        Ok(instrument)
    } else {
        Err(sorted(r.errors))
    }
}

fn sorted(mut errors: Vec<XlsError>) -> Vec<XlsError> {
    errors.sort_by_key(|e| (sheet_rank(&e.sheet), e.row));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instrument::Answers;

    fn grid(name: &str, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: name.into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    fn l(pairs: &[(&str, &str)]) -> Labels {
        Labels(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn choice(value: &str, label: Labels) -> Choice {
        Choice {
            value: value.into(),
            label,
        }
    }

    fn item(name: &str, label: Labels, kind: ItemKind) -> Item {
        Item {
            name: name.into(),
            label,
            hint: Labels::default(),
            kind,
            required: false,
            relevant: None,
        }
    }

    fn err(sheet: &str, row: usize, column: &str, code: &'static str, value: &str) -> XlsError {
        XlsError {
            sheet: sheet.into(),
            row,
            column: column.into(),
            code,
            value: value.into(),
        }
    }

    /// Three languages, skip logic, a scale with anchors, a multiple
    /// choice, bounds, hints, a reversed mean score, sections with and
    /// without a group, and lists whose names would clash.
    fn rich() -> Instrument {
        let scale = |name: &str, sv: &str, en: &str| {
            item(
                name,
                l(&[("sv", sv), ("en", en)]),
                ItemKind::Scale {
                    min: 1,
                    max: 5,
                    choices: vec![
                        choice("1", l(&[("sv", "Stämmer inte alls"), ("en", "Not at all")])),
                        choice("2", Labels::default()),
                        choice("3", l(&[("sv", "Delvis")])),
                        choice("4", Labels::default()),
                        choice("5", l(&[("sv", "Stämmer helt"), ("en", "Fully")])),
                    ],
                },
            )
        };
        let mut works = item(
            "works",
            l(&[
                ("sv", "Arbetar du?"),
                ("en", "Do you work?"),
                ("ar", "هل تعمل؟"),
            ]),
            ItemKind::Single {
                choices: vec![
                    choice("yes", l(&[("sv", "Ja"), ("en", "Yes"), ("ar", "نعم")])),
                    choice("no", l(&[("sv", "Nej"), ("en", "No"), ("ar", "لا")])),
                ],
            },
        );
        works.required = true;
        works.hint = l(&[("sv", "Även deltid"), ("en", "Part time too")]);
        let mut hours = item(
            "hours",
            l(&[("sv", "Timmar i veckan")]),
            ItemKind::Number {
                decimal: true,
                min: Some(1),
                max: Some(60),
            },
        );
        hours.relevant = Some("${works} = 'yes'".into());
        hours.required = true;
        let kids = item(
            "kids",
            l(&[("sv", "Antal barn")]),
            ItemKind::Number {
                decimal: false,
                min: None,
                max: Some(20),
            },
        );
        let mut langs = item(
            "langs",
            l(&[("sv", "Språk du talar"), ("en", "Languages you speak")]),
            ItemKind::Multiple {
                choices: vec![
                    choice("sv", l(&[("sv", "Svenska"), ("en", "Swedish")])),
                    choice("ar", l(&[("sv", "Arabiska"), ("en", "Arabic")])),
                    choice("so", l(&[("sv", "Somaliska")])),
                ],
            },
        );
        langs.relevant = Some("${kids} >= 0 or ${works} != ''".into());
        let mut interpreter = item("interpreter", l(&[("sv", "Tolk?")]), ItemKind::Text);
        interpreter.relevant =
            Some("selected(${langs}, 'ar') and not(selected(${langs}, 'sv'))".into());
        // A single choice named like the scale's list: the lists must not clash.
        let clash = item(
            "mood_scale",
            l(&[("sv", "Ett val")]),
            ItemKind::Single {
                choices: vec![
                    choice("1", l(&[("sv", "Ett")])),
                    choice("2", l(&[("sv", "Två")])),
                ],
            },
        );
        Instrument {
            name: "followup_2026".into(),
            title: l(&[("sv", "Uppföljning"), ("en", "Follow-up")]),
            description: l(&[("sv", "Sex månader efter avslut."), ("ar", "بعد ستة أشهر")]),
            languages: vec!["sv".into(), "en".into(), "ar".into()],
            sections: vec![
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![works, hours],
                },
                Section {
                    name: "life".into(),
                    label: l(&[("sv", "Livet"), ("en", "Life")]),
                    items: vec![
                        kids,
                        langs,
                        interpreter,
                        clash,
                        scale("mood", "Jag mår bra", "I feel well"),
                        scale("stress", "Jag är stressad", "I am stressed"),
                    ],
                },
                Section {
                    name: "end".into(),
                    label: Labels::default(),
                    items: vec![item("since", l(&[("sv", "Sedan när?")]), ItemKind::Date)],
                },
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![item("other", l(&[("sv", "Övrigt")]), ItemKind::Text)],
                },
            ],
            scores: vec![
                Score {
                    name: "wellbeing".into(),
                    label: l(&[("sv", "Välmående"), ("en", "Well-being")]),
                    method: Method::Mean,
                    terms: vec![
                        Term {
                            item: "mood".into(),
                            reverse: false,
                        },
                        Term {
                            item: "stress".into(),
                            reverse: true,
                        },
                    ],
                },
                Score {
                    name: "load".into(),
                    label: Labels::default(),
                    method: Method::Sum,
                    terms: vec![
                        Term {
                            item: "hours".into(),
                            reverse: false,
                        },
                        Term {
                            item: "stress".into(),
                            reverse: true,
                        },
                        Term {
                            item: "kids".into(),
                            reverse: false,
                        },
                    ],
                },
            ],
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(51), "AZ");
        assert_eq!(column_letter(52), "BA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn languages_in_headers() {
        assert_eq!(language_header("sv"), "Svenska (sv)");
        assert_eq!(language_header("sv-easy"), "Lätt svenska (sv-easy)");
        assert_eq!(language_header("de"), "de (de)");
        assert_eq!(language_code("English (en)"), "en");
        assert_eq!(language_code(" Lätt svenska (sv-easy) "), "sv-easy");
        assert_eq!(language_code("en"), "en");
        assert_eq!(language_code("English"), "en");
        assert_eq!(language_code("swedish"), "sv");
        assert_eq!(language_code("Deutsch"), "Deutsch");
    }

    #[test]
    fn the_rich_instrument_round_trips() {
        let i = rich();
        assert_eq!(i.check(), Ok(()));
        let sheets = write(&i);
        assert_eq!(
            sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            vec!["survey", "choices", "settings"]
        );
        assert_eq!(read(&sheets), Ok(i));
    }

    #[test]
    fn what_is_written() {
        let i = rich();
        let sheets = write(&i);
        let survey = &sheets[0].rows;
        assert_eq!(
            survey[0],
            [
                "type",
                "name",
                "label::Svenska (sv)",
                "label::English (en)",
                "label::العربية (ar)",
                "hint::Svenska (sv)",
                "hint::English (en)",
                "hint::العربية (ar)",
                "required",
                "relevant",
                "appearance",
                "constraint",
                "calculation"
            ]
        );
        let column = |r: &[String], h: &str| {
            let k = survey[0].iter().position(|x| x == h).expect("column");
            r[k].clone()
        };
        let summary: Vec<[String; 5]> = survey[1..]
            .iter()
            .map(|r| {
                [
                    column(r, "type"),
                    column(r, "name"),
                    column(r, "appearance"),
                    column(r, "constraint"),
                    column(r, "calculation"),
                ]
            })
            .collect();
        let s = |a: [&str; 5]| a.map(String::from);
        assert_eq!(
            summary,
            vec![
                s(["select_one works", "works", "", "", ""]),
                s(["decimal", "hours", "", ". >= 1 and . <= 60", ""]),
                s(["begin_group", "life", "", "", ""]),
                s(["integer", "kids", "", ". <= 20", ""]),
                s(["select_multiple langs", "langs", "", "", ""]),
                s(["text", "interpreter", "", "", ""]),
                s(["select_one mood_scale", "mood_scale", "", "", ""]),
                s(["select_one mood_scale_2", "mood", "likert", "", ""]),
                s(["select_one stress_scale", "stress", "likert", "", ""]),
                s(["end_group", "", "", "", ""]),
                s(["begin_group", "end", "", "", ""]),
                s(["date", "since", "", "", ""]),
                s(["end_group", "", "", "", ""]),
                s(["text", "other", "", "", ""]),
                s([
                    "calculate",
                    "wellbeing",
                    "",
                    "",
                    "(${mood} + (6 - ${stress})) div 2"
                ]),
                s([
                    "calculate",
                    "load",
                    "",
                    "",
                    "${hours} + (6 - ${stress}) + ${kids}"
                ]),
            ]
        );
        assert_eq!(
            sheets[1].rows[..3],
            [
                vec![
                    "list_name",
                    "name",
                    "label::Svenska (sv)",
                    "label::English (en)",
                    "label::العربية (ar)"
                ],
                vec!["works", "yes", "Ja", "Yes", "نعم"],
                vec!["works", "no", "Nej", "No", "لا"],
            ]
            .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        );
        assert_eq!(
            sheets[2].rows,
            [
                vec![
                    "form_id",
                    "form_title",
                    "form_title::English (en)",
                    "form_title::العربية (ar)",
                    "version",
                    "default_language",
                    "description::Svenska (sv)",
                    "description::English (en)",
                    "description::العربية (ar)"
                ],
                vec![
                    "followup_2026",
                    "Uppföljning",
                    "Follow-up",
                    "",
                    "1",
                    "Svenska (sv)",
                    "Sex månader efter avslut.",
                    "",
                    "بعد ستة أشهر"
                ],
            ]
            .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        );
    }

    #[test]
    fn small_instruments_round_trip() {
        // One language, no choices, no scores, a single-term mean and sum.
        let i = Instrument {
            name: "tiny".into(),
            title: Labels::default(),
            description: Labels::default(),
            languages: vec!["en".into()],
            sections: vec![Section {
                name: "only".into(),
                label: Labels::default(),
                items: vec![
                    item(
                        "n",
                        l(&[("en", "A number")]),
                        ItemKind::Number {
                            decimal: false,
                            min: Some(-5),
                            max: None,
                        },
                    ),
                    item(
                        "s",
                        l(&[("en", "Scale")]),
                        ItemKind::Scale {
                            min: 0,
                            max: 10,
                            choices: (0..=10)
                                .map(|v| choice(&v.to_string(), Labels::default()))
                                .collect(),
                        },
                    ),
                ],
            }],
            scores: vec![
                Score {
                    name: "m".into(),
                    label: Labels::default(),
                    method: Method::Mean,
                    terms: vec![Term {
                        item: "s".into(),
                        reverse: true,
                    }],
                },
                Score {
                    name: "t".into(),
                    label: Labels::default(),
                    method: Method::Sum,
                    terms: vec![Term {
                        item: "n".into(),
                        reverse: false,
                    }],
                },
            ],
        };
        assert_eq!(i.check(), Ok(()));
        let sheets = write(&i);
        let calcs: Vec<&str> = sheets[0].rows[5..]
            .iter()
            .map(|r| r.last().map_or("", String::as_str))
            .collect();
        assert_eq!(calcs, vec!["((10 - ${s})) div 1", "${n}"]);
        assert_eq!(read(&sheets), Ok(i));
    }

    #[test]
    fn awkward_instruments_round_trip() {
        // English first, Swedish easy-read second, an unknown code third;
        // named, unnamed, named sections; texts with spaces and line breaks
        // kept verbatim; a relevant with surrounding spaces; choice values
        // with odd characters; a decimal with only a lower bound.
        let mut q1 = item(
            "Q1",
            l(&[("en", " Padded "), ("sv-easy", "Två\nrader")]),
            ItemKind::Single {
                choices: vec![
                    choice("a'b", l(&[("de", "Eins")])),
                    choice("x-1.5", Labels::default()),
                ],
            },
        );
        q1.hint = l(&[("de", "Hinweis")]);
        let mut q2 = item(
            "q2",
            l(&[("en", "Second")]),
            ItemKind::Number {
                decimal: true,
                min: Some(0),
                max: None,
            },
        );
        q2.relevant = Some("  selected(${Q1}, \"x-1.5\")  ".into());
        q2.required = true;
        let i = Instrument {
            name: "Awkward_Form".into(),
            title: l(&[("de", "Nur Deutsch")]),
            description: Labels::default(),
            languages: vec!["en".into(), "sv-easy".into(), "de".into()],
            sections: vec![
                Section {
                    name: "first".into(),
                    label: l(&[("sv-easy", "Först")]),
                    items: vec![q1],
                },
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![q2, item("d", l(&[("en", "Date")]), ItemKind::Date)],
                },
                Section {
                    name: "last".into(),
                    label: Labels::default(),
                    items: vec![item("t", l(&[("en", "Text")]), ItemKind::Text)],
                },
            ],
            scores: vec![],
        };
        assert_eq!(i.check(), Ok(()));
        let sheets = write(&i);
        assert_eq!(sheets[2].rows[1][5], "English (en)", "default_language");
        assert_eq!(read(&sheets), Ok(i));
    }

    #[test]
    fn calculations_parse_in_the_written_shape_only() {
        let terms = |t: &[(&str, Option<i64>)]| {
            t.iter()
                .map(|(n, k)| (n.to_string(), *k))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            parse_calculation("${a}+${b}+(6-${c})"),
            Some((
                Method::Sum,
                terms(&[("a", None), ("b", None), ("c", Some(6))])
            ))
        );
        assert_eq!(
            parse_calculation(" ( ${a} + ( 11 - ${b} ) )  div  2 "),
            Some((Method::Mean, terms(&[("a", None), ("b", Some(11))])))
        );
        assert_eq!(
            parse_calculation("(6 - ${c})"),
            Some((Method::Sum, terms(&[("c", Some(6))])))
        );
        for bad in [
            "",
            "${a} * 2",
            "(${a} + ${b}) div 3",
            "${a} + ${b} div 2",
            "${a} - ${b}",
            "(${a} - 6)",
            "sum(${a})",
            "${a} +",
            "(${a} + ${b})",
            "${a",
        ] {
            assert_eq!(parse_calculation(bad), None, "{bad:?}");
        }
        assert_eq!(
            parse_bounds(". >= 0 and . <= 120"),
            Some((Some(0), Some(120)))
        );
        assert_eq!(parse_bounds(".>=-3"), Some((Some(-3), None)));
        assert_eq!(parse_bounds(". <= 9"), Some((None, Some(9))));
        assert_eq!(parse_bounds(". <= 9 and . >= 1"), None);
        assert_eq!(parse_bounds("regex(., '^[0-9]+$')"), None);
        assert_eq!(parse_bounds(""), None);
    }

    /// A form as KoboToolbox exports it: English and Swedish columns,
    /// `begin_group`, a list shared by two questions, a note, metadata, a
    /// group with skip logic and extra columns.
    #[test]
    fn a_kobo_form_reads() {
        let survey = grid(
            "survey",
            &[
                &[
                    "type",
                    "name",
                    "label::English (en)",
                    "label::Svenska (sv)",
                    "hint::English (en)",
                    "required",
                    "relevant",
                    "appearance",
                    "$kuid",
                ],
                &["start", "start", "", "", "", "", "", "", "a1"],
                &[
                    "note",
                    "intro",
                    "Welcome",
                    "Välkommen",
                    "",
                    "",
                    "",
                    "",
                    "a2",
                ],
                &[
                    "select_one yn",
                    "works",
                    "Do you work?",
                    "Arbetar du?",
                    "Part time too",
                    "TRUE",
                    "",
                    "",
                    "a3",
                ],
                &[],
                &[
                    "begin_group",
                    "job",
                    "Your job",
                    "Ditt arbete",
                    "",
                    "",
                    "${works} = 'yes'",
                    "field-list",
                    "a4",
                ],
                &[
                    "integer", "hours", "Hours", "Timmar", "", "true", "", "", "a5",
                ],
                &[
                    "select_one yn",
                    "permanent",
                    "Permanent?",
                    "Tillsvidare?",
                    "",
                    "",
                    "${hours} > 0",
                    "",
                    "a6",
                ],
                &["end_group", "", "", "", "", "", "", "", "a7"],
                &[
                    "select_one agree",
                    "happy",
                    "I am happy",
                    "Jag är nöjd",
                    "",
                    "",
                    "",
                    "likert",
                    "a8",
                ],
                &[
                    "select_multiple langs",
                    "langs",
                    "Languages",
                    "Språk",
                    "",
                    "FALSE",
                    "",
                    "minimal",
                    "a9",
                ],
                &[
                    "text",
                    "comment",
                    "Comment",
                    "Kommentar",
                    "",
                    "",
                    "",
                    "",
                    "b1",
                ],
                &["end", "end", "", "", "", "", "", "", "b2"],
            ],
        );
        let choices = grid(
            "Choices",
            &[
                &[
                    "list name",
                    "name",
                    "label::English (en)",
                    "label::Svenska (sv)",
                ],
                &["yn", "yes", "Yes", "Ja"],
                &["yn", "no", "No", "Nej"],
                &["agree", "1", "Disagree", "Håller inte med"],
                &["agree", "2", "", ""],
                &["agree", "3", "Agree", "Håller med"],
                &["langs", "sv", "Swedish", "Svenska"],
                &["langs", "other", "Other", ""],
            ],
        );
        let settings = grid(
            "settings",
            &[
                &["form_title", "form_id", "version"],
                &["Employment survey", "employment", "2026010101"],
            ],
        );
        let yn = vec![
            choice("yes", l(&[("en", "Yes"), ("sv", "Ja")])),
            choice("no", l(&[("en", "No"), ("sv", "Nej")])),
        ];
        let q =
            |name: &str, en: &str, sv: &str, kind| item(name, l(&[("en", en), ("sv", sv)]), kind);
        let mut works = q(
            "works",
            "Do you work?",
            "Arbetar du?",
            ItemKind::Single {
                choices: yn.clone(),
            },
        );
        works.required = true;
        works.hint = l(&[("en", "Part time too")]);
        let mut hours = q(
            "hours",
            "Hours",
            "Timmar",
            ItemKind::Number {
                decimal: false,
                min: None,
                max: None,
            },
        );
        hours.required = true;
        hours.relevant = Some("${works} = 'yes'".into());
        let mut permanent = q(
            "permanent",
            "Permanent?",
            "Tillsvidare?",
            ItemKind::Single { choices: yn },
        );
        permanent.relevant = Some("(${works} = 'yes') and (${hours} > 0)".into());
        let want = Instrument {
            name: "employment".into(),
            // A plain form_title is in the default language: Swedish, as
            // there is a Swedish column and no default_language.
            title: l(&[("sv", "Employment survey")]),
            description: Labels::default(),
            languages: vec!["sv".into(), "en".into()],
            sections: vec![
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![works],
                },
                Section {
                    name: "job".into(),
                    label: l(&[("en", "Your job"), ("sv", "Ditt arbete")]),
                    items: vec![hours, permanent],
                },
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![
                        q(
                            "happy",
                            "I am happy",
                            "Jag är nöjd",
                            ItemKind::Scale {
                                min: 1,
                                max: 3,
                                choices: vec![
                                    choice(
                                        "1",
                                        l(&[("en", "Disagree"), ("sv", "Håller inte med")]),
                                    ),
                                    choice("2", Labels::default()),
                                    choice("3", l(&[("en", "Agree"), ("sv", "Håller med")])),
                                ],
                            },
                        ),
                        q(
                            "langs",
                            "Languages",
                            "Språk",
                            ItemKind::Multiple {
                                choices: vec![
                                    choice("sv", l(&[("en", "Swedish"), ("sv", "Svenska")])),
                                    choice("other", l(&[("en", "Other")])),
                                ],
                            },
                        ),
                        q("comment", "Comment", "Kommentar", ItemKind::Text),
                    ],
                },
            ],
            scores: vec![],
        };
        let got = read(&[survey, choices, settings]);
        assert_eq!(got, Ok(want));

        // And it answers as its skip logic says.
        let i = got.expect("read");
        let answers: Answers = [("works", "no")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let permanent = i.item("permanent").expect("item");
        assert!(!i.is_shown(permanent, &answers));
    }

    #[test]
    fn a_plain_label_column_is_the_default_language() {
        let survey = grid(
            "Survey",
            &[
                &["type", "name", "label", "label::English"],
                &["date", "d", "Datum", "Date"],
                &["begin group", "g", "Grupp", ""],
                &["decimal", "x", "Tal", ""],
                &["end group", "", "", ""],
            ],
        );
        let settings = grid(
            "settings",
            &[&["form_id", "description"], &["", "Om formuläret"]],
        );
        let i = read(&[survey, settings]).expect("reads");
        assert_eq!(i.name, "questionnaire");
        assert_eq!(i.languages, vec!["sv".to_string(), "en".to_string()]);
        assert_eq!(i.description, l(&[("sv", "Om formuläret")]));
        assert_eq!(
            i.sections[0].items[0].label,
            l(&[("sv", "Datum"), ("en", "Date")])
        );
        assert_eq!(i.sections[1].name, "g");
        assert_eq!(
            i.sections[1].items[0].kind,
            ItemKind::Number {
                decimal: true,
                min: None,
                max: None
            }
        );
        // No choices sheet is needed without selects.
        assert_eq!(read(&write(&i)), Ok(i));
    }

    #[test]
    fn likert_without_a_numeric_list_is_a_single_choice() {
        let survey = grid(
            "survey",
            &[
                &["type", "name", "label", "appearance"],
                &["select_one a", "q1", "Q1", "likert"],
                &["select_one b", "q2", "Q2", "likert"],
                &["select_one c", "q3", "Q3", ""],
            ],
        );
        let choices = grid(
            "choices",
            &[
                &["list_name", "name", "label"],
                &["a", "low", "Low"],
                &["a", "high", "High"],
                &["b", "1", "One"],
                &["b", "3", "Three"],
                &["c", "1", "One"],
                &["c", "2", "Two"],
            ],
        );
        let i = read(&[survey, choices]).expect("reads");
        let kinds: Vec<&str> = i
            .items()
            .map(|i| match i.kind {
                ItemKind::Single { .. } => "single",
                ItemKind::Scale { .. } => "scale",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, vec!["single", "single", "single"]);
    }

    #[test]
    fn a_broken_form_names_every_mistake() {
        let survey = grid(
            "survey",
            &[
                &[
                    "type",
                    "name",
                    "label::Svenska (sv)",
                    "label::English (en)",
                    "required",
                    "relevant",
                    "calculation",
                ],
                &["select_one yn", "works", "Arbetar du?", "", "yes", "", ""], // 2 ok
                &["select_one nolist", "q2", "Fråga", "", "", "", ""],         // 3 unknown list
                &["integer", "", "Utan namn", "", "", "", ""],                 // 4 no name
                &["integer", "2bad", "Ogiltigt namn", "", "", "", ""],         // 5 bad name
                &["text", "Works", "Dubbel", "", "", "", ""],                  // 6 duplicate (case)
                &["geopoint", "where", "Var?", "", "", "", ""],                // 7 unsupported
                &["text", "t1", "Text", "", "maybe", "", ""],                  // 8 bad required
                &["text", "t2", "Text", "", "", "${works} == 'yes'", ""],      // 9 bad relevant
                &["text", "t3", "", "Only English", "", "", ""], // 10 no Swedish label
                &["text", "t4", "Text", "", "", "${later} = 1", ""], // 11 refers to a later item
                &["begin_group", "g1", "Grupp", "", "", "", ""], // 12
                &["begin_group", "g2", "Inre", "", "", "", ""],  // 13 nested
                &["end_group", "", "", "", "", "", ""],          // 14
                &["end_group", "", "", "", "", "", ""],          // 15
                &["end_group", "", "", "", "", "", ""],          // 16 unbalanced
                &["integer", "later", "Sen", "", "", "", ""],    // 17
                &["calculate", "c1", "", "", "", "", "${works} * 2"], // 18 bad calculation
                &["calculate", "c2", "", "", "", "", "(6 - ${later})"], // 19 not a scale
                &["", "orphan", "Utan typ", "", "", "", ""],     // 20 no type
                &["begin group", "open", "Öppen", "", "", "", ""], // 21 never closed
                &["text", "last", "Sist", "", "", "", ""],       // 22
            ],
        );
        let choices = grid(
            "choices",
            &[
                &["list_name", "name", "label::Svenska (sv)"],
                &["yn", "yes", "Ja"],
                &["yn", "yes", "Ja igen"], // 3 duplicate
                &["", "no", "Nej"],        // 4 no list
                &["yn", "", "Tomt"],       // 5 no name
            ],
        );
        let settings = grid(
            "settings",
            &[
                &["form_id", "default_language"],
                &["my form", "Svenska (sv)"],
            ],
        );
        let got = read(&[settings, survey, choices]);
        assert_eq!(
            got,
            Err(vec![
                err("survey", 3, "type", code::UNKNOWN_LIST, "nolist"),
                err("survey", 4, "name", code::REQUIRED_CELL, ""),
                err("survey", 5, "name", code::NAME, "2bad"),
                err("survey", 6, "name", code::DUPLICATE_NAME, "Works"),
                err("survey", 7, "type", code::UNSUPPORTED_TYPE, "geopoint"),
                err("survey", 8, "required", code::REQUIRED_VALUE, "maybe"),
                err("survey", 9, "relevant", code::RELEVANT, "${works} == 'yes'"),
                err(
                    "survey",
                    10,
                    "label::Svenska (sv)",
                    problem::LABEL_MISSING,
                    "sv"
                ),
                err("survey", 11, "relevant", problem::RELEVANT_ORDER, "later"),
                err("survey", 12, "type", problem::EMPTY_SECTION, ""),
                err("survey", 13, "type", code::GROUP, "begin_group"),
                err("survey", 16, "type", code::GROUP, "end_group"),
                err(
                    "survey",
                    18,
                    "calculation",
                    code::CALCULATION,
                    "${works} * 2"
                ),
                err("survey", 19, "calculation", problem::SCORE_REVERSE, "later"),
                err("survey", 20, "type", code::REQUIRED_CELL, ""),
                err("survey", 21, "type", code::GROUP, "begin group"),
                err("choices", 3, "name", code::DUPLICATE_CHOICE, "yes"),
                err("choices", 4, "list_name", code::REQUIRED_CELL, ""),
                err("choices", 5, "name", code::REQUIRED_CELL, ""),
                err("settings", 2, "form_id", code::NAME, "my form"),
            ])
        );
    }

    #[test]
    fn reversed_terms_must_match_their_scale() {
        let survey = grid(
            "survey",
            &[
                &["type", "name", "label", "appearance", "calculation"],
                &["select_one s", "a", "A", "likert", ""],
                &["calculate", "ok", "", "", "(6 - ${a})"],
                &["calculate", "off", "", "", "(5 - ${a})"],
                &["calculate", "ghost", "", "", "${nobody}"],
            ],
        );
        let choices = grid(
            "choices",
            &[
                &["list_name", "name", "label"],
                &["s", "1", "Lite"],
                &["s", "2", ""],
                &["s", "3", ""],
                &["s", "4", ""],
                &["s", "5", "Mycket"],
            ],
        );
        assert_eq!(
            read(&[survey, choices]),
            Err(vec![
                err("survey", 4, "calculation", code::CALCULATION, "(5 - ${a})"),
                err("survey", 5, "calculation", problem::SCORE_TERM, "nobody"),
            ])
        );
    }

    #[test]
    fn missing_sheets_and_columns() {
        assert_eq!(
            read(&[grid("choices", &[])]),
            Err(vec![err("survey", 0, "", code::MISSING_SHEET, "")])
        );
        assert_eq!(
            read(&[grid("survey", &[&["label", "kind"], &["x", "text"]])]),
            Err(vec![
                err("survey", 1, "type", code::MISSING_COLUMN, ""),
                err("survey", 1, "name", code::MISSING_COLUMN, ""),
            ])
        );
        // Selects without a choices sheet; a choices sheet without its columns.
        let survey = grid(
            "survey",
            &[
                &["type", "name", "label"],
                &["select_one a", "x", "X"],
                &["select_multiple b", "y", "Y"],
            ],
        );
        assert_eq!(
            read(std::slice::from_ref(&survey)),
            Err(vec![err("choices", 0, "", code::MISSING_SHEET, "")])
        );
        assert_eq!(
            read(&[survey, grid("choices", &[&["list", "value"], &["a", "1"]])]),
            Err(vec![
                err("survey", 2, "type", code::UNKNOWN_LIST, "a"),
                err("survey", 3, "type", code::UNKNOWN_LIST, "b"),
                err("choices", 1, "list_name", code::MISSING_COLUMN, ""),
                err("choices", 1, "name", code::MISSING_COLUMN, ""),
            ])
        );
        // Nothing but notes: no items.
        assert_eq!(
            read(&[grid(
                "survey",
                &[&["type", "name", "label"], &["note", "n", "Hej"]]
            )]),
            Err(vec![err("survey", 0, "", problem::NO_ITEMS, "")])
        );
        // A language that is no code.
        assert_eq!(
            read(&[grid(
                "survey",
                &[
                    &["type", "name", "label", "label::My language"],
                    &["text", "t", "T", "x"]
                ]
            )]),
            Err(vec![err(
                "survey",
                1,
                "label::My language",
                code::LANGUAGE,
                "My language"
            )])
        );
    }

    #[test]
    fn codes_are_distinct() {
        let all: BTreeSet<&str> = code::ALL.iter().chain(problem::ALL).copied().collect();
        assert_eq!(all.len(), code::ALL.len() + problem::ALL.len());
    }
}
