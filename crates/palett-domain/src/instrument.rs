//! Questionnaire instruments: sections of items (questions), their answer
//! kinds, skip logic, and the scores computed from the answers.
//!
//! An [`Instrument`] is plain data, checked by [`Instrument::check`]; the
//! answers to it are language-independent text per item ([`Answers`]),
//! parsed from a submission by [`Instrument::parse_answers`]. Skip logic is
//! the subset of XLSForm's `relevant` expressions described at
//! [`parse_condition`], kept as its source text on the item and evaluated
//! here (and, as the JSON of its [`Condition`], in the browser).

use crate::values::{code, parse_past_date, parse_text, TextKind};
use crate::{FieldError, FieldErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The message ids of [`Problem`]s and of [`parse_condition`]'s errors.
pub mod problem {
    /// A form, section, item or score name that is not a variable name.
    pub const NAME: &str = "instrument-name";
    /// A name used twice (sections, items and scores share one namespace;
    /// names differing only in case clash, as they do in SPSS).
    pub const DUPLICATE_NAME: &str = "instrument-duplicate-name";
    pub const NO_ITEMS: &str = "instrument-no-items";
    pub const NO_LANGUAGE: &str = "instrument-no-language";
    /// A language code that is not a code (letters, digits, `-`) or is
    /// listed twice.
    pub const LANGUAGE: &str = "instrument-language";
    /// A text in a language the instrument does not list.
    pub const LABEL_LANGUAGE: &str = "instrument-label-language";
    /// An item without a label in the default language.
    pub const LABEL_MISSING: &str = "instrument-label-missing";
    /// A label given as blank text (leave the language out instead).
    pub const LABEL_BLANK: &str = "instrument-label-blank";
    /// A `relevant` that does not parse (the detail is the condition's code).
    pub const RELEVANT: &str = "instrument-relevant";
    /// A `relevant` that refers to something that is not an item.
    pub const RELEVANT_UNKNOWN: &str = "instrument-relevant-unknown";
    /// A `relevant` that refers to the item itself or a later one.
    pub const RELEVANT_ORDER: &str = "instrument-relevant-order";
    pub const NO_CHOICES: &str = "instrument-no-choices";
    /// A choice value that is empty or holds white space or control characters.
    pub const CHOICE_VALUE: &str = "instrument-choice-value";
    pub const DUPLICATE_CHOICE: &str = "instrument-duplicate-choice";
    /// A scale whose range is not 0 <= min < max <= 10, or whose choices are
    /// not exactly the steps min..=max in order.
    pub const SCALE: &str = "instrument-scale";
    pub const NUMBER_BOUNDS: &str = "instrument-number-bounds";
    /// A section without a name that has a label, or follows another one.
    pub const SECTION: &str = "instrument-section";
    pub const EMPTY_SECTION: &str = "instrument-empty-section";
    pub const SCORE_EMPTY: &str = "instrument-score-empty";
    /// A score term naming something that is not a scale or number item.
    pub const SCORE_TERM: &str = "instrument-score-term";
    /// A reversed score term on an item that is not a scale.
    pub const SCORE_REVERSE: &str = "instrument-score-reverse";

    /// A skip-logic expression that does not parse.
    pub const CONDITION_SYNTAX: &str = "condition-syntax";
    /// A skip-logic expression calling a function other than `not` and
    /// `selected`.
    pub const CONDITION_FUNCTION: &str = "condition-unknown-function";

    /// Every code above, for the translation files' completeness test.
    pub const ALL: &[&str] = &[
        NAME,
        DUPLICATE_NAME,
        NO_ITEMS,
        NO_LANGUAGE,
        LANGUAGE,
        LABEL_LANGUAGE,
        LABEL_MISSING,
        LABEL_BLANK,
        RELEVANT,
        RELEVANT_UNKNOWN,
        RELEVANT_ORDER,
        NO_CHOICES,
        CHOICE_VALUE,
        DUPLICATE_CHOICE,
        SCALE,
        NUMBER_BOUNDS,
        SECTION,
        EMPTY_SECTION,
        SCORE_EMPTY,
        SCORE_TERM,
        SCORE_REVERSE,
        CONDITION_SYNTAX,
        CONDITION_FUNCTION,
    ];
}

/// The longest item, section, score or form name (Stata's limit).
pub const NAME_MAX: usize = 32;

/// Whether `s` is a variable name: an ASCII letter, then ASCII letters,
/// digits and underscores, at most [`NAME_MAX`] characters.
pub fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= NAME_MAX
}

/// Whether `s` is a language code as palett stores them: ASCII letters,
/// digits and `-`, starting with a letter, at most 35 characters
/// (`sv`, `en`, `prs`, `sv-easy` …).
pub fn is_valid_language(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        && s.len() <= 35
}

/// Text per language code ("sv", "en", "ar", "so", "ti", "prs", "sv-easy"
/// ... any BCP-47-ish code string).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    pub fn one(lang: &str, text: &str) -> Self {
        Self(BTreeMap::from([(lang.to_string(), text.to_string())]))
    }

    /// The same with the text in `lang` set (see [`Labels::set`]).
    pub fn with(mut self, lang: &str, text: &str) -> Self {
        self.set(lang, text);
        self
    }

    /// Set the text in `lang`; blank text removes the language.
    pub fn set(&mut self, lang: &str, text: &str) {
        if text.trim().is_empty() {
            self.0.remove(lang);
        } else {
            self.0.insert(lang.to_string(), text.to_string());
        }
    }

    /// The text in `lang`, else in `fallback`, else the first non-empty one,
    /// else "". Blank texts count as absent.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        let filled = |t: &&String| !t.trim().is_empty();
        self.0
            .get(lang)
            .filter(filled)
            .or_else(|| self.0.get(fallback).filter(filled))
            .or_else(|| self.0.values().find(filled))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Whether there is no text in any language (blank texts count as none).
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// Whether there is a (non-blank) text in `lang`.
    pub fn has(&self, lang: &str) -> bool {
        self.0.get(lang).is_some_and(|t| !t.trim().is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Labels,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKind {
    /// One of a choice list.
    Single {
        choices: Vec<Choice>,
    },
    /// Any of a choice list (answer stored as the chosen values separated by
    /// single spaces, in list order).
    Multiple {
        choices: Vec<Choice>,
    },
    /// An integer scale min..=max (min 0 or 1, max 5 or 10 — any
    /// 0<=min<max<=10 accepted), a label per step (the anchors; steps between
    /// may have labels too, stored as choices with value "1","2",...).
    Scale {
        min: i16,
        max: i16,
        choices: Vec<Choice>,
    },
    /// A whole or decimal number within optional bounds.
    Number {
        decimal: bool,
        min: Option<i64>,
        max: Option<i64>,
    },
    Date,
    /// Short text (one line, at most 200 characters).
    Text,
}

impl ItemKind {
    /// The choice list of a single, multiple or scale item.
    pub fn choices(&self) -> &[Choice] {
        match self {
            ItemKind::Single { choices }
            | ItemKind::Multiple { choices }
            | ItemKind::Scale { choices, .. } => choices,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Variable name: ASCII letter first, then letters, digits, underscore;
    /// at most 32 chars (Stata's limit); unique in the instrument.
    pub name: String,
    pub label: Labels,
    pub hint: Labels,
    pub kind: ItemKind,
    pub required: bool,
    /// Skip logic: the item is shown (and may be answered) only when this
    /// holds. XLSForm `relevant` source text, kept verbatim.
    pub relevant: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Empty for items outside any group.
    pub name: String,
    pub label: Labels,
    pub items: Vec<Item>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Sum,
    Mean,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub item: String,
    pub reverse: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub name: String,
    pub label: Labels,
    pub method: Method,
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    /// form_id: same rules as an item name.
    pub name: String,
    pub title: Labels,
    pub description: Labels,
    /// Languages the labels are given in, default first.
    pub languages: Vec<String>,
    pub sections: Vec<Section>,
    pub scores: Vec<Score>,
}

/// Answers, language-independent: item name -> canonical value text (choice
/// value; space-separated values for Multiple; integer/decimal as text with
/// '.' decimal point, no leading '+'; date YYYY-MM-DD; the text). Absent =
/// not answered.
pub type Answers = BTreeMap<String, String>;

/// One structural problem of an instrument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The item, score or section name it concerns, or "" (the instrument
    /// itself, or a section without a name).
    pub at: String,
    /// A stable message id, one of [`problem`].
    pub code: &'static str,
    /// The offending value (a name, a language, a choice value …).
    pub detail: String,
}

impl Problem {
    fn new(at: &str, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            at: at.to_string(),
            code,
            detail: detail.into(),
        }
    }
}

impl Instrument {
    /// All items, section by section, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items().find(|i| i.name == name)
    }

    /// The first of `languages`, "sv" when none is given.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("sv")
    }

    /// The language to show it in: `asked` if it is given in it, else its
    /// default.
    pub fn language_for<'a>(&'a self, asked: &'a str) -> &'a str {
        if self.languages.iter().any(|l| l == asked) {
            asked
        } else {
            self.default_language()
        }
    }

    /// Structural validation; every problem found, in the order of the
    /// instrument.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut p = Vec::new();
        let default = self.default_language();

        if !is_valid_name(&self.name) {
            p.push(Problem::new("", problem::NAME, &self.name));
        }
        if self.languages.is_empty() {
            p.push(Problem::new("", problem::NO_LANGUAGE, ""));
        }
        let mut langs = BTreeSet::new();
        for l in &self.languages {
            if !is_valid_language(l) || !langs.insert(l.as_str()) {
                p.push(Problem::new("", problem::LANGUAGE, l));
            }
        }
        let check_labels = |p: &mut Vec<Problem>, at: &str, labels: &Labels| {
            for (lang, text) in &labels.0 {
                if !langs.contains(lang.as_str()) {
                    p.push(Problem::new(at, problem::LABEL_LANGUAGE, lang));
                } else if text.trim().is_empty() {
                    p.push(Problem::new(at, problem::LABEL_BLANK, lang));
                }
            }
        };
        check_labels(&mut p, "", &self.title);
        check_labels(&mut p, "", &self.description);

        // One namespace for sections, items and scores.
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut claim = |p: &mut Vec<Problem>, name: &str| {
            if !is_valid_name(name) {
                p.push(Problem::new(name, problem::NAME, name));
            } else if !names.insert(name.to_ascii_lowercase()) {
                p.push(Problem::new(name, problem::DUPLICATE_NAME, name));
            }
        };

        let index: HashMap<&str, usize> = self
            .items()
            .enumerate()
            .map(|(k, i)| (i.name.as_str(), k))
            .collect();
        if index.is_empty() {
            p.push(Problem::new("", problem::NO_ITEMS, ""));
        }

        let mut position = 0;
        let mut previous_unnamed = false;
        for section in &self.sections {
            if section.name.is_empty() {
                if !section.label.0.is_empty() {
                    p.push(Problem::new("", problem::SECTION, "label"));
                }
                if previous_unnamed {
                    p.push(Problem::new("", problem::SECTION, "adjacent"));
                }
            } else {
                claim(&mut p, &section.name);
                check_labels(&mut p, &section.name, &section.label);
            }
            previous_unnamed = section.name.is_empty();
            if section.items.is_empty() {
                p.push(Problem::new(&section.name, problem::EMPTY_SECTION, ""));
            }
            for item in &section.items {
                let at = item.name.as_str();
                claim(&mut p, at);
                check_labels(&mut p, at, &item.label);
                check_labels(&mut p, at, &item.hint);
                if !item.label.has(default) {
                    p.push(Problem::new(at, problem::LABEL_MISSING, default));
                }
                self.check_kind(&mut p, item, &check_labels);
                if let Some(src) = &item.relevant {
                    match parse_condition(src) {
                        Err(e) => p.push(Problem::new(at, problem::RELEVANT, e)),
                        Ok(c) => {
                            for r in c.refs() {
                                match index.get(r.as_str()) {
                                    None => p.push(Problem::new(at, problem::RELEVANT_UNKNOWN, r)),
                                    Some(k) if *k >= position => {
                                        p.push(Problem::new(at, problem::RELEVANT_ORDER, r))
                                    }
                                    Some(_) => {}
                                }
                            }
                        }
                    }
                }
                position += 1;
            }
        }

        for score in &self.scores {
            let at = score.name.as_str();
            claim(&mut p, at);
            check_labels(&mut p, at, &score.label);
            if score.terms.is_empty() {
                p.push(Problem::new(at, problem::SCORE_EMPTY, ""));
            }
            for term in &score.terms {
                match self.item(&term.item).map(|i| &i.kind) {
                    Some(ItemKind::Scale { .. }) => {}
                    Some(ItemKind::Number { .. }) if term.reverse => {
                        p.push(Problem::new(at, problem::SCORE_REVERSE, &term.item))
                    }
                    Some(ItemKind::Number { .. }) => {}
                    _ => p.push(Problem::new(at, problem::SCORE_TERM, &term.item)),
                }
            }
        }

        if p.is_empty() {
            Ok(())
        } else {
            Err(p)
        }
    }

    fn check_kind(
        &self,
        p: &mut Vec<Problem>,
        item: &Item,
        check_labels: &dyn Fn(&mut Vec<Problem>, &str, &Labels),
    ) {
        let at = item.name.as_str();
        match &item.kind {
            ItemKind::Single { choices } | ItemKind::Multiple { choices } if choices.is_empty() => {
                p.push(Problem::new(at, problem::NO_CHOICES, ""));
            }
            ItemKind::Scale { min, max, choices } => {
                if !(0 <= *min && min < max && *max <= 10) {
                    p.push(Problem::new(at, problem::SCALE, format!("{min}..{max}")));
                } else if !choices
                    .iter()
                    .map(|c| c.value.clone())
                    .eq((*min..=*max).map(|v| v.to_string()))
                {
                    p.push(Problem::new(at, problem::SCALE, "choices"));
                }
            }
            ItemKind::Number {
                min: Some(min),
                max: Some(max),
                ..
            } if min > max => {
                p.push(Problem::new(
                    at,
                    problem::NUMBER_BOUNDS,
                    format!("{min}..{max}"),
                ));
            }
            _ => {}
        }
        let mut seen = BTreeSet::new();
        for c in item.kind.choices() {
            let v = c.value.as_str();
            if v.is_empty() || v.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
                p.push(Problem::new(at, problem::CHOICE_VALUE, v));
            } else if !seen.insert(v) {
                p.push(Problem::new(at, problem::DUPLICATE_CHOICE, v));
            }
            check_labels(p, at, &c.label);
        }
    }

    /// Whether `item` is shown given the answers so far: its `relevant`
    /// holds (always, without one). A `relevant` that does not parse (which
    /// [`Instrument::check`] refuses) shows the item.
    pub fn is_shown(&self, item: &Item, answers: &Answers) -> bool {
        match &item.relevant {
            None => true,
            Some(src) => parse_condition(src).map_or(true, |c| c.holds(answers)),
        }
    }

    /// Parse a submission: `raw(name)` gives the values sent for an item
    /// (several for a multiple choice, or one value of space-separated
    /// choices; blank values are not answers). Items are read in order; an
    /// item not shown given the answers parsed before it is dropped, even if
    /// a value was sent. Every problem is collected, on the item's name:
    /// `error-required` for a required item shown and not answered,
    /// `error-choice` for a value not in the list (or off the scale),
    /// `error-number` (with `min`/`max` when the item has bounds) for a
    /// number that is not one or out of bounds, the date errors of
    /// [`parse_past_date`], and the text errors of [`parse_text`]. A
    /// single-valued item takes the first value sent.
    pub fn parse_answers(
        &self,
        raw: &dyn Fn(&str) -> Vec<String>,
        today: Date,
    ) -> Result<Answers, FieldErrors> {
        let mut answers = Answers::new();
        let mut errors = FieldErrors::new();
        for item in self.items() {
            if !self.is_shown(item, &answers) {
                continue;
            }
            let values: Vec<String> = raw(&item.name)
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect();
            if values.is_empty() {
                if item.required {
                    errors.push(&item.name, code::REQUIRED);
                }
                continue;
            }
            match parse_value(item, &values, today) {
                Ok(v) => {
                    answers.insert(item.name.clone(), v);
                }
                Err(e) => errors.0.push(e),
            }
        }
        errors.into_result().map(|()| answers)
    }

    /// The score's value: the sum or mean of its terms (a reversed term of a
    /// scale min..=max counts `min + max - v`); `None` when an item it uses
    /// is unanswered (or not a number).
    pub fn score(&self, score: &Score, answers: &Answers) -> Option<f64> {
        if score.terms.is_empty() {
            return None;
        }
        let mut sum = 0.0;
        for term in &score.terms {
            let v = number(answers.get(&term.item)?)?;
            sum += if term.reverse {
                match self.item(&term.item)?.kind {
                    ItemKind::Scale { min, max, .. } => f64::from(min + max) - v,
                    _ => return None,
                }
            } else {
                v
            };
        }
        Some(match score.method {
            Method::Sum => sum,
            Method::Mean => sum / score.terms.len() as f64,
        })
    }

    /// Every score by name, in declaration order.
    pub fn scores(&self, answers: &Answers) -> Vec<(String, Option<f64>)> {
        self.scores
            .iter()
            .map(|s| (s.name.clone(), self.score(s, answers)))
            .collect()
    }

    /// The label (in `lang`, else the default language, else any) of the
    /// choice `value` of a single, multiple or scale item; `None` for an
    /// unknown item or value, or a choice without a label.
    pub fn value_label(&self, item: &str, value: &str, lang: &str) -> Option<&str> {
        let choice = self
            .item(item)?
            .kind
            .choices()
            .iter()
            .find(|c| c.value == value)?;
        Some(choice.label.get(lang, self.default_language())).filter(|t| !t.is_empty())
    }
}

/// One item's answer in canonical form, from its (trimmed, non-empty)
/// submitted values.
fn parse_value(item: &Item, values: &[String], today: Date) -> Result<String, FieldError> {
    let name = item.name.as_str();
    let first = values[0].as_str();
    let err = |code| FieldError::new(name, code);
    match &item.kind {
        ItemKind::Single { choices } => choices
            .iter()
            .find(|c| c.value == first)
            .map(|c| c.value.clone())
            .ok_or_else(|| err(code::CHOICE)),
        ItemKind::Multiple { choices } => {
            let chosen: BTreeSet<&str> = values.iter().flat_map(|v| v.split_whitespace()).collect();
            if chosen
                .iter()
                .any(|v| !choices.iter().any(|c| c.value == *v))
            {
                return Err(err(code::CHOICE));
            }
            Ok(choices
                .iter()
                .filter(|c| chosen.contains(c.value.as_str()))
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join(" "))
        }
        ItemKind::Scale { min, max, .. } => first
            .parse::<i16>()
            .ok()
            .filter(|v| (*min..=*max).contains(v))
            .map(|v| v.to_string())
            .ok_or_else(|| err(code::CHOICE)),
        ItemKind::Number { decimal, min, max } => {
            let with_bounds = |mut e: FieldError| {
                if let Some(m) = min {
                    e = e.with_arg("min", m.to_string());
                }
                if let Some(m) = max {
                    e = e.with_arg("max", m.to_string());
                }
                e
            };
            let canonical =
                canonical_number(first, *decimal).ok_or_else(|| with_bounds(err(code::NUMBER)))?;
            let v = number(&canonical).ok_or_else(|| with_bounds(err(code::NUMBER)))?;
            let below = min.is_some_and(|m| v < m as f64);
            let above = max.is_some_and(|m| v > m as f64);
            if below || above {
                Err(with_bounds(err(code::NUMBER)))
            } else {
                Ok(canonical)
            }
        }
        ItemKind::Date => parse_past_date(first, today)
            .map(|d| d.to_string())
            .map_err(err),
        ItemKind::Text => parse_text(first, TextKind::LINE)
            .map_err(err)?
            .ok_or_else(|| err(code::REQUIRED)),
    }
}

/// The most digits a submitted number may have.
const NUMBER_DIGITS_MAX: usize = 30;

/// A submitted number in canonical form: an optional `+` or `-`, digits,
/// and for a decimal a `.` or `,` and more digits. The canonical form has
/// no `+`, no leading zeros, `.` as the decimal point and no trailing zeros
/// after it ("+03,50" -> "3.5", "-0" -> "0", ",5" -> "0.5"). `None` when
/// it is not such a number.
pub fn canonical_number(input: &str, decimal: bool) -> Option<String> {
    let t = input.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (whole, fraction) = match digits.find(['.', ',']) {
        Some(k) if decimal => (&digits[..k], &digits[k + 1..]),
        Some(_) => return None,
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole)
        || !all_digits(fraction)
        || whole.len() + fraction.len() == 0
        || whole.len() + fraction.len() > NUMBER_DIGITS_MAX
    {
        return None;
    }
    if !decimal {
        return whole.parse::<i64>().ok().map(|v| {
            let v = if negative { -v } else { v };
            v.to_string()
        });
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

/// A number as answers hold it (and as skip logic compares): an optional
/// `-`, digits, optionally `.` and digits. `None` for anything else.
pub fn number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = (!whole.is_empty() || !fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.ends_with('.'));
    if ok {
        s.parse::<f64>().ok()
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Skip logic

/// A comparison operator of skip logic (serialised as its XLSForm sign).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Cmp {
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// A parsed skip-logic expression. As JSON (for the browser's evaluator):
/// `{"op":"or","any":[…]}`, `{"op":"and","all":[…]}`,
/// `{"op":"not","arg":{…}}`,
/// `{"op":"compare","item":"age","cmp":">=","value":"18"}`,
/// `{"op":"selected","item":"langs","value":"sv"}`. The evaluation rules
/// are at [`Condition::holds`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    Or {
        any: Vec<Condition>,
    },
    And {
        all: Vec<Condition>,
    },
    Not {
        arg: Box<Condition>,
    },
    /// `${item} cmp value`; the literal's text without its quotes.
    Compare {
        item: String,
        cmp: Cmp,
        value: String,
    },
    /// `selected(${item}, 'value')`.
    Selected {
        item: String,
        value: String,
    },
}

impl Condition {
    /// The item names it refers to, in order of first appearance.
    pub fn refs(&self) -> Vec<String> {
        fn walk(c: &Condition, out: &mut Vec<String>) {
            match c {
                Condition::Or { any: cs } | Condition::And { all: cs } => {
                    cs.iter().for_each(|c| walk(c, out))
                }
                Condition::Not { arg } => walk(arg, out),
                Condition::Compare { item, .. } | Condition::Selected { item, .. } => {
                    if !out.contains(item) {
                        out.push(item.clone());
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// Whether it holds for `answers`, as ODK evaluates it: an unanswered
    /// item is the empty string; `=` and `!=` compare numerically when both
    /// sides are numbers (`${n} = 3` holds for "3.0") and as text otherwise
    /// (so `${n} = ''` tests for unanswered); `<`, `<=`, `>`, `>=` compare
    /// numerically and are false when either side is not a number;
    /// `selected` holds when the value is one of the item's space-separated
    /// values.
    pub fn holds(&self, answers: &Answers) -> bool {
        let answer = |item: &str| answers.get(item).map(String::as_str).unwrap_or("");
        match self {
            Condition::Or { any } => any.iter().any(|c| c.holds(answers)),
            Condition::And { all } => all.iter().all(|c| c.holds(answers)),
            Condition::Not { arg } => !arg.holds(answers),
            Condition::Compare { item, cmp, value } => {
                let left = answer(item);
                let numbers = number(left).zip(number(value));
                let equal = match numbers {
                    Some((a, b)) => a == b,
                    None => left == value,
                };
                match (cmp, numbers) {
                    (Cmp::Eq, _) => equal,
                    (Cmp::Ne, _) => !equal,
                    (_, None) => false,
                    (Cmp::Lt, Some((a, b))) => a < b,
                    (Cmp::Le, Some((a, b))) => a <= b,
                    (Cmp::Gt, Some((a, b))) => a > b,
                    (Cmp::Ge, Some((a, b))) => a >= b,
                }
            }
            Condition::Selected { item, value } => {
                answer(item).split(' ').any(|v| v == value.as_str())
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ref(String),
    Str(String),
    Num(String),
    Op(Cmp),
    Open,
    Close,
    Comma,
    Word(String),
}

fn tokenize(src: &str) -> Result<Vec<Tok>, &'static str> {
    let syntax = problem::CONDITION_SYNTAX;
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let next = chars.get(k + 1).copied();
        match c {
            c if c.is_whitespace() => k += 1,
            '$' if next == Some('{') => {
                let end = chars[k..].iter().position(|c| *c == '}').ok_or(syntax)? + k;
                let name: String = chars[k + 2..end].iter().collect();
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                {
                    return Err(syntax);
                }
                out.push(Tok::Ref(name));
                k = end + 1;
            }
            '\'' | '"' => {
                let end = chars[k + 1..].iter().position(|q| *q == c).ok_or(syntax)? + k + 1;
                out.push(Tok::Str(chars[k + 1..end].iter().collect()));
                k = end + 1;
            }
            c if c.is_ascii_digit()
                || (matches!(c, '-' | '.')
                    && next.is_some_and(|n| n.is_ascii_digit() || n == '.')) =>
            {
                let start = k;
                k += 1;
                while k < chars.len() && (chars[k].is_ascii_digit() || chars[k] == '.') {
                    k += 1;
                }
                let text: String = chars[start..k].iter().collect();
                if number(&text).is_none() {
                    return Err(syntax);
                }
                out.push(Tok::Num(text));
            }
            '=' => {
                out.push(Tok::Op(Cmp::Eq));
                k += 1;
            }
            '!' if next == Some('=') => {
                out.push(Tok::Op(Cmp::Ne));
                k += 2;
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                out.push(Tok::Op(match (c, or_equal) {
                    ('<', false) => Cmp::Lt,
                    ('<', true) => Cmp::Le,
                    (_, false) => Cmp::Gt,
                    (_, true) => Cmp::Ge,
                }));
                k += if or_equal { 2 } else { 1 };
            }
            '(' => {
                out.push(Tok::Open);
                k += 1;
            }
            ')' => {
                out.push(Tok::Close);
                k += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                k += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = k;
                while k < chars.len()
                    && (chars[k].is_ascii_alphanumeric() || matches!(chars[k], '_' | '-' | ':'))
                {
                    k += 1;
                }
                out.push(Tok::Word(chars[start..k].iter().collect()));
            }
            _ => return Err(syntax),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Result<Tok, &'static str> {
        let t = self
            .toks
            .get(self.at)
            .cloned()
            .ok_or(problem::CONDITION_SYNTAX)?;
        self.at += 1;
        Ok(t)
    }

    fn expect(&mut self, want: Tok) -> Result<(), &'static str> {
        if self.next()? == want {
            Ok(())
        } else {
            Err(problem::CONDITION_SYNTAX)
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    fn or(&mut self) -> Result<Condition, &'static str> {
        let mut any = vec![self.and()?];
        while self.is_word("or") {
            self.at += 1;
            any.push(self.and()?);
        }
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            Condition::Or { any }
        })
    }

    fn and(&mut self) -> Result<Condition, &'static str> {
        let mut all = vec![self.primary()?];
        while self.is_word("and") {
            self.at += 1;
            all.push(self.primary()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Condition::And { all }
        })
    }

    fn literal(&mut self) -> Result<String, &'static str> {
        match self.next()? {
            Tok::Str(s) | Tok::Num(s) => Ok(s),
            _ => Err(problem::CONDITION_SYNTAX),
        }
    }

    fn primary(&mut self) -> Result<Condition, &'static str> {
        match self.next()? {
            Tok::Open => {
                let c = self.or()?;
                self.expect(Tok::Close)?;
                Ok(c)
            }
            Tok::Ref(item) => match self.next()? {
                Tok::Op(cmp) => Ok(Condition::Compare {
                    item,
                    cmp,
                    value: self.literal()?,
                }),
                _ => Err(problem::CONDITION_SYNTAX),
            },
            Tok::Word(w) if self.peek() == Some(&Tok::Open) => {
                self.at += 1;
                match w.as_str() {
                    "not" => {
                        let arg = Box::new(self.or()?);
                        self.expect(Tok::Close)?;
                        Ok(Condition::Not { arg })
                    }
                    "selected" => {
                        let Tok::Ref(item) = self.next()? else {
                            return Err(problem::CONDITION_SYNTAX);
                        };
                        self.expect(Tok::Comma)?;
                        let value = self.literal()?;
                        self.expect(Tok::Close)?;
                        Ok(Condition::Selected { item, value })
                    }
                    _ => Err(problem::CONDITION_FUNCTION),
                }
            }
            _ => Err(problem::CONDITION_SYNTAX),
        }
    }
}

/// Parse the XLSForm `relevant` subset: `or` and `and` (lower case; `and`
/// binds tighter), `not( … )`, parentheses, comparisons
/// `${name} OP literal` with OP one of `= != < <= > >=` and the literal a
/// single- or double-quoted string or a number, and
/// `selected(${name}, 'value')`. Errors: `condition-syntax`,
/// `condition-unknown-function` (any function but `not` and `selected`).
pub fn parse_condition(src: &str) -> Result<Condition, &'static str> {
    let mut parser = Parser {
        toks: tokenize(src)?,
        at: 0,
    };
    let c = parser.or()?;
    if parser.at == parser.toks.len() {
        Ok(c)
    } else {
        Err(problem::CONDITION_SYNTAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn choices(values: &[(&str, &str)]) -> Vec<Choice> {
        values
            .iter()
            .map(|(v, l)| Choice {
                value: v.to_string(),
                label: if l.is_empty() {
                    Labels::default()
                } else {
                    Labels::one("sv", l)
                },
            })
            .collect()
    }

    fn item(name: &str, kind: ItemKind) -> Item {
        Item {
            name: name.into(),
            label: Labels::one("sv", &format!("Fråga {name}")),
            hint: Labels::default(),
            kind,
            required: false,
            relevant: None,
        }
    }

    fn scale(min: i16, max: i16) -> ItemKind {
        ItemKind::Scale {
            min,
            max,
            choices: (min..=max)
                .map(|v| Choice {
                    value: v.to_string(),
                    label: Labels::default(),
                })
                .collect(),
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A small instrument: works? -> (if yes) hours; languages spoken
    /// (multiple) -> (if Arabic) interpreter; well-being scale; birth date;
    /// a comment.
    fn sample() -> Instrument {
        let mut works = item(
            "works",
            ItemKind::Single {
                choices: choices(&[("yes", "Ja"), ("no", "Nej")]),
            },
        );
        works.required = true;
        let mut hours = item(
            "hours",
            ItemKind::Number {
                decimal: true,
                min: Some(1),
                max: Some(60),
            },
        );
        hours.required = true;
        hours.relevant = Some("${works} = 'yes'".into());
        let langs = item(
            "langs",
            ItemKind::Multiple {
                choices: choices(&[("sv", "Svenska"), ("ar", "Arabiska"), ("so", "Somaliska")]),
            },
        );
        let mut interpreter = item("interpreter", ItemKind::Text);
        interpreter.relevant = Some("selected(${langs}, 'ar')".into());
        let mut wellbeing = item(
            "wellbeing",
            ItemKind::Scale {
                min: 1,
                max: 5,
                choices: choices(&[
                    ("1", "Inte alls"),
                    ("2", ""),
                    ("3", ""),
                    ("4", ""),
                    ("5", "Helt"),
                ]),
            },
        );
        wellbeing.label = Labels::one("sv", "Jag mår bra").with("en", "I feel well");
        let stress = item("stress", scale(1, 5));
        Instrument {
            name: "followup".into(),
            title: Labels::one("sv", "Uppföljning"),
            description: Labels::default(),
            languages: vec!["sv".into(), "en".into()],
            sections: vec![
                Section {
                    name: String::new(),
                    label: Labels::default(),
                    items: vec![works, hours],
                },
                Section {
                    name: "background".into(),
                    label: Labels::one("sv", "Bakgrund"),
                    items: vec![
                        langs,
                        interpreter,
                        wellbeing,
                        stress,
                        item("born", ItemKind::Date),
                        item("comment", ItemKind::Text),
                    ],
                },
            ],
            scores: vec![
                Score {
                    name: "mood".into(),
                    label: Labels::one("sv", "Mående"),
                    method: Method::Mean,
                    terms: vec![
                        Term {
                            item: "wellbeing".into(),
                            reverse: false,
                        },
                        Term {
                            item: "stress".into(),
                            reverse: true,
                        },
                    ],
                },
                Score {
                    name: "total".into(),
                    label: Labels::default(),
                    method: Method::Sum,
                    terms: vec![
                        Term {
                            item: "wellbeing".into(),
                            reverse: false,
                        },
                        Term {
                            item: "hours".into(),
                            reverse: false,
                        },
                    ],
                },
            ],
        }
    }

    #[test]
    fn labels_fall_back() {
        let l = Labels::one("sv", "Hej").with("en", "Hi").with("ar", "  ");
        assert_eq!(l.get("en", "sv"), "Hi");
        assert_eq!(l.get("so", "sv"), "Hej");
        assert_eq!(l.get("so", "ti"), "Hi", "the first non-empty: en before sv");
        assert_eq!(Labels::default().get("sv", "en"), "");
        let blank = Labels(BTreeMap::from([("ar".to_string(), " ".to_string())]));
        assert!(blank.is_empty());
        assert_eq!(blank.get("ar", "sv"), "");
        assert!(!l.is_empty());
        assert!(!l.has("ar"), "set with blank text removes");
    }

    #[test]
    fn names() {
        for ok in ["a", "Q1", "age_years", &"x".repeat(32)] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "1a", "_a", "a-b", "a b", "å", &"x".repeat(33)] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert!(is_valid_language("sv-easy"));
        assert!(is_valid_language("prs"));
        assert!(!is_valid_language("Svenska (sv)"));
        assert!(!is_valid_language(""));
    }

    #[test]
    fn the_sample_is_well_formed() {
        let i = sample();
        assert_eq!(i.check(), Ok(()));
        assert_eq!(i.items().count(), 8);
        assert_eq!(i.item("stress").map(|i| i.name.as_str()), Some("stress"));
        assert!(i.item("nope").is_none());
        assert_eq!(i.default_language(), "sv");
        let none = Instrument {
            languages: vec![],
            ..i
        };
        assert_eq!(none.default_language(), "sv");
    }

    #[test]
    fn check_finds_every_problem() {
        let mut i = sample();
        i.name = "1form".into();
        i.languages.push("en".into());
        i.title.set("de", "Titel");
        // Section 0: an unnamed section with a label.
        i.sections[0].label = Labels::one("sv", "Utan namn");
        let s0 = &mut i.sections[0].items;
        s0[0].kind = ItemKind::Single { choices: vec![] };
        s0[1].relevant = Some("${later} = 1 and ${nope} = 2".into());
        s0[1].kind = ItemKind::Number {
            decimal: false,
            min: Some(5),
            max: Some(1),
        };
        s0.push(Item {
            label: Labels(BTreeMap::from([("en".into(), "Later".into())])),
            ..item("Works", ItemKind::Text)
        });
        s0.push(Item {
            relevant: Some("count(${works}) > 1".into()),
            ..item("c1", ItemKind::Text)
        });
        let s1 = &mut i.sections[1].items;
        s1[0].kind = ItemKind::Multiple {
            choices: choices(&[("a", ""), ("a", ""), ("b c", ""), ("", "")]),
        };
        s1[2].kind = ItemKind::Scale {
            min: 1,
            max: 5,
            choices: choices(&[("1", ""), ("2", ""), ("3", ""), ("5", ""), ("4", "")]),
        };
        s1[3].kind = scale(2, 11);
        s1[4].name = "later".into();
        s1[4].label = Labels::one("sv", " ");
        i.sections.push(Section {
            name: "empty".into(),
            label: Labels::default(),
            items: vec![],
        });
        i.scores.push(Score {
            name: "later".into(),
            label: Labels::default(),
            method: Method::Sum,
            terms: vec![],
        });
        i.scores[1].terms = vec![
            Term {
                item: "comment".into(),
                reverse: false,
            },
            Term {
                item: "hours".into(),
                reverse: true,
            },
            Term {
                item: "ghost".into(),
                reverse: false,
            },
        ];
        let p = |at: &str, code, detail: &str| Problem::new(at, code, detail);
        use problem as P;
        assert_eq!(
            i.check(),
            Err(vec![
                p("", P::NAME, "1form"),
                p("", P::LANGUAGE, "en"),
                p("", P::LABEL_LANGUAGE, "de"),
                p("", P::SECTION, "label"),
                p("works", P::NO_CHOICES, ""),
                p("hours", P::NUMBER_BOUNDS, "5..1"),
                p("hours", P::RELEVANT_ORDER, "later"),
                p("hours", P::RELEVANT_UNKNOWN, "nope"),
                p("Works", P::DUPLICATE_NAME, "Works"),
                p("Works", P::LABEL_MISSING, "sv"),
                p("c1", P::RELEVANT, P::CONDITION_FUNCTION),
                p("langs", P::DUPLICATE_CHOICE, "a"),
                p("langs", P::CHOICE_VALUE, "b c"),
                p("langs", P::CHOICE_VALUE, ""),
                p("wellbeing", P::SCALE, "choices"),
                p("stress", P::SCALE, "2..11"),
                p("later", P::LABEL_BLANK, "sv"),
                p("later", P::LABEL_MISSING, "sv"),
                p("empty", P::EMPTY_SECTION, ""),
                p("total", P::SCORE_TERM, "comment"),
                p("total", P::SCORE_REVERSE, "hours"),
                p("total", P::SCORE_TERM, "ghost"),
                p("later", P::DUPLICATE_NAME, "later"),
                p("later", P::SCORE_EMPTY, ""),
            ])
        );
    }

    #[test]
    fn check_refuses_an_instrument_without_items_or_languages() {
        let i = Instrument {
            name: "x".into(),
            title: Labels::default(),
            description: Labels::default(),
            languages: vec![],
            sections: vec![],
            scores: vec![],
        };
        assert_eq!(
            i.check(),
            Err(vec![
                Problem::new("", problem::NO_LANGUAGE, ""),
                Problem::new("", problem::NO_ITEMS, ""),
            ])
        );
        // Two unnamed sections in a row would merge in a spreadsheet.
        let mut i = sample();
        i.sections.swap(0, 1);
        i.sections[0].items.truncate(1);
        i.sections.insert(
            1,
            Section {
                name: String::new(),
                label: Labels::default(),
                items: vec![item("q", ItemKind::Date)],
            },
        );
        i.scores.clear();
        assert_eq!(
            i.check(),
            Err(vec![Problem::new("", problem::SECTION, "adjacent")])
        );
    }

    #[test]
    fn conditions_parse() {
        let cmp = |item: &str, cmp, value: &str| Condition::Compare {
            item: item.into(),
            cmp,
            value: value.into(),
        };
        assert_eq!(parse_condition("${a} = 'x'"), Ok(cmp("a", Cmp::Eq, "x")));
        assert_eq!(parse_condition("${a}>=-2.5"), Ok(cmp("a", Cmp::Ge, "-2.5")));
        assert_eq!(parse_condition("${a} != \"\""), Ok(cmp("a", Cmp::Ne, "")));
        // and binds tighter than or.
        assert_eq!(
            parse_condition("${a} = 1 or ${b} < 2 and not(selected(${c}, 'z'))"),
            Ok(Condition::Or {
                any: vec![
                    cmp("a", Cmp::Eq, "1"),
                    Condition::And {
                        all: vec![
                            cmp("b", Cmp::Lt, "2"),
                            Condition::Not {
                                arg: Box::new(Condition::Selected {
                                    item: "c".into(),
                                    value: "z".into()
                                })
                            }
                        ]
                    }
                ]
            })
        );
        assert_eq!(
            parse_condition("(${a} = 1 or ${b} = 2) and ${c} > 3 and ${d} <= 4"),
            Ok(Condition::And {
                all: vec![
                    Condition::Or {
                        any: vec![cmp("a", Cmp::Eq, "1"), cmp("b", Cmp::Eq, "2")]
                    },
                    cmp("c", Cmp::Gt, "3"),
                    cmp("d", Cmp::Le, "4"),
                ]
            })
        );
        let s = problem::CONDITION_SYNTAX;
        let f = problem::CONDITION_FUNCTION;
        for (src, want) in [
            ("", s),
            ("${a}", s),
            ("${a} = ", s),
            ("${a} = 'x", s),
            ("'x' = ${a}", s),
            ("${a} = ${b}", s),
            ("${a} = 1 AND ${b} = 2", s),
            ("${a} = 1 and", s),
            ("(${a} = 1", s),
            ("${a} = 1)", s),
            ("${} = 1", s),
            ("${a = 1", s),
            ("${a} == 1", s),
            ("${a} = 1.2.3", s),
            ("selected(${a})", s),
            ("selected('a', 'b')", s),
            ("count-selected(${a}) > 1", f),
            ("string-length(${a}) > 1", f),
            ("true()", f),
            ("yes", s),
            (". > 1", s),
        ] {
            assert_eq!(parse_condition(src), Err(want), "{src:?}");
        }
    }

    #[test]
    fn conditions_refer_to_items() {
        let c = parse_condition("${b} = 1 or selected(${a}, 'x') and ${b} != ''").expect("parses");
        assert_eq!(c.refs(), vec!["b".to_string(), "a".to_string()]);
    }

    #[test]
    fn conditions_hold_as_in_odk() {
        let a = answers(&[
            ("n", "3.0"),
            ("t", "yes"),
            ("m", "sv ar"),
            ("neg", "-2"),
            ("word", "abc"),
        ]);
        let cases = [
            ("${n} = 3", true),
            ("${n} = '3'", true),
            ("${n} != 3", false),
            ("${n} > 2.5", true),
            ("${n} >= 3", true),
            ("${n} < 3", false),
            ("${n} <= 3", true),
            ("${neg} < 0", true),
            ("${t} = 'yes'", true),
            ("${t} = 'Yes'", false),
            ("${t} != 'no'", true),
            ("${missing} = ''", true),
            ("${missing} != ''", false),
            ("${t} != ''", true),
            ("${missing} < 5", false),
            ("${missing} >= 0", false),
            ("${word} > 1", false),
            ("${word} = 1", false),
            ("selected(${m}, 'ar')", true),
            ("selected(${m}, 'so')", false),
            ("selected(${m}, 's')", false),
            ("selected(${t}, 'yes')", true),
            ("selected(${missing}, 'yes')", false),
            ("not(selected(${m}, 'so'))", true),
            ("${t} = 'no' or ${n} = 3", true),
            ("${t} = 'no' or ${n} = 3 and ${missing} != ''", false),
            ("(${t} = 'no' or ${n} = 3) and ${missing} = ''", true),
        ];
        for (src, want) in cases {
            let c = parse_condition(src).expect(src);
            assert_eq!(c.holds(&a), want, "{src}");
        }
    }

    #[test]
    fn conditions_serialise_for_the_browser() {
        let c =
            parse_condition("not(${a} >= 2) and selected(${b}, 'x') or ${c} = ''").expect("parses");
        let json = serde_json::to_value(&c).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"op": "or", "any": [
                {"op": "and", "all": [
                    {"op": "not", "arg": {"op": "compare", "item": "a", "cmp": ">=", "value": "2"}},
                    {"op": "selected", "item": "b", "value": "x"}
                ]},
                {"op": "compare", "item": "c", "cmp": "=", "value": ""}
            ]})
        );
        let back: Condition = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, c);
    }

    #[test]
    fn instruments_serialise() {
        let i = sample();
        let json = serde_json::to_string(&i).expect("json");
        let back: Instrument = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, i);
        let kind = serde_json::to_value(&i.sections[0].items[1].kind).expect("json");
        assert_eq!(
            kind,
            serde_json::json!({"type": "number", "decimal": true, "min": 1, "max": 60})
        );
    }

    #[test]
    fn numbers_are_canonical() {
        let cases = [
            ("3", false, Some("3")),
            ("+3", false, Some("3")),
            ("-03", false, Some("-3")),
            ("-0", false, Some("0")),
            ("3.0", false, None),
            ("3,5", false, None),
            ("", false, None),
            ("-", false, None),
            ("1e3", false, None),
            ("99999999999999999999", false, None),
            ("3", true, Some("3")),
            ("3.50", true, Some("3.5")),
            ("3,50", true, Some("3.5")),
            ("+03.0", true, Some("3")),
            (",5", true, Some("0.5")),
            ("5.", true, Some("5")),
            ("-0.0", true, Some("0")),
            ("-0.25", true, Some("-0.25")),
            (".", true, None),
            ("1.2.3", true, None),
            ("inf", true, None),
            ("NaN", true, None),
            ("1 000", true, None),
        ];
        for (input, decimal, want) in cases {
            assert_eq!(
                canonical_number(input, decimal).as_deref(),
                want,
                "{input:?} decimal={decimal}"
            );
        }
        assert_eq!(number("3.5"), Some(3.5));
        assert_eq!(number("-2"), Some(-2.0));
        assert_eq!(number(".5"), Some(0.5));
        assert_eq!(number("5."), None);
        assert_eq!(number(""), None);
        assert_eq!(number("+1"), None);
        assert_eq!(number("inf"), None);
    }

    fn submit(pairs: &[(&str, &[&str])]) -> impl Fn(&str) -> Vec<String> {
        let map: BTreeMap<String, Vec<String>> = pairs
            .iter()
            .map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect()))
            .collect();
        move |name| map.get(name).cloned().unwrap_or_default()
    }

    #[test]
    fn answers_parse_with_skip_logic() {
        let i = sample();
        let today = date(2026, 6, 1);
        let raw = submit(&[
            ("works", &["yes"]),
            ("hours", &[" 37,50 "]),
            ("langs", &["so", "sv so", ""]),
            ("interpreter", &["not shown: no Arabic"]),
            ("wellbeing", &["04"]),
            ("born", &["1990-02-03"]),
            ("comment", &["  Bra  "]),
        ]);
        assert_eq!(
            i.parse_answers(&raw, today),
            Ok(answers(&[
                ("works", "yes"),
                ("hours", "37.5"),
                ("langs", "sv so"),
                ("wellbeing", "4"),
                ("born", "1990-02-03"),
                ("comment", "Bra"),
            ]))
        );
        // Not working: the hours are dropped even when sent, and not required.
        let raw = submit(&[("works", &["no"]), ("hours", &["12"]), ("langs", &["ar"])]);
        assert_eq!(
            i.parse_answers(&raw, today),
            Ok(answers(&[("works", "no"), ("langs", "ar")]))
        );
    }

    #[test]
    fn answers_refuse_every_bad_value() {
        let i = sample();
        let today = date(2026, 6, 1);
        let raw = submit(&[
            ("works", &["yes"]),
            ("hours", &["61"]),
            ("langs", &["sv", "de"]),
            ("interpreter", &["a\u{0}b"]),
            ("wellbeing", &["6"]),
            ("stress", &["x"]),
            ("born", &["2026-06-02"]),
            ("comment", &[&"x".repeat(201)]),
        ]);
        let e = i.parse_answers(&raw, today).expect_err("refused");
        // langs is not answered (its value was refused), so the interpreter
        // is not shown and its bad text is not looked at.
        assert_eq!(
            e.0,
            vec![
                FieldError::new("hours", code::NUMBER)
                    .with_arg("min", "1")
                    .with_arg("max", "60"),
                FieldError::new("langs", code::CHOICE),
                FieldError::new("wellbeing", code::CHOICE),
                FieldError::new("stress", code::CHOICE),
                FieldError::new("born", code::DATE_FUTURE),
                FieldError::new("comment", code::TOO_LONG),
            ]
        );
        let raw = submit(&[
            ("hours", &["8"]),
            ("born", &["1990-13-01"]),
            ("works", &[" "]),
        ]);
        assert_eq!(
            crate::error::codes(i.parse_answers(&raw, today)),
            vec![
                ("works".to_string(), code::REQUIRED),
                ("born".to_string(), code::DATE)
            ]
        );
        let raw = submit(&[("works", &["yes"]), ("hours", &["ten"])]);
        let e = i.parse_answers(&raw, today).expect_err("refused");
        assert_eq!(
            e.0,
            vec![FieldError::new("hours", code::NUMBER)
                .with_arg("min", "1")
                .with_arg("max", "60")]
        );
        let raw = submit(&[
            ("works", &["maybe"]),
            ("langs", &["ar"]),
            ("interpreter", &["a\nb"]),
        ]);
        assert_eq!(
            crate::error::codes(i.parse_answers(&raw, today)),
            vec![
                ("works".to_string(), code::CHOICE),
                ("interpreter".to_string(), code::LINE_BREAK)
            ]
        );
    }

    #[test]
    fn whole_numbers_and_unbounded_numbers() {
        let i = Instrument {
            name: "n".into(),
            title: Labels::default(),
            description: Labels::default(),
            languages: vec!["sv".into()],
            sections: vec![Section {
                name: String::new(),
                label: Labels::default(),
                items: vec![
                    item(
                        "kids",
                        ItemKind::Number {
                            decimal: false,
                            min: Some(0),
                            max: None,
                        },
                    ),
                    item(
                        "temp",
                        ItemKind::Number {
                            decimal: true,
                            min: None,
                            max: None,
                        },
                    ),
                ],
            }],
            scores: vec![],
        };
        let today = date(2026, 1, 1);
        assert_eq!(
            i.parse_answers(&submit(&[("kids", &["+2"]), ("temp", &["-1,50"])]), today),
            Ok(answers(&[("kids", "2"), ("temp", "-1.5")]))
        );
        let e = i
            .parse_answers(&submit(&[("kids", &["2.5"]), ("temp", &["1e9"])]), today)
            .expect_err("refused");
        assert_eq!(
            e.0,
            vec![
                FieldError::new("kids", code::NUMBER).with_arg("min", "0"),
                FieldError::new("temp", code::NUMBER),
            ]
        );
        let e = i
            .parse_answers(&submit(&[("kids", &["-1"])]), today)
            .expect_err("refused");
        assert_eq!(
            e.0,
            vec![FieldError::new("kids", code::NUMBER).with_arg("min", "0")]
        );
    }

    #[test]
    fn scores_sum_and_average() {
        let i = sample();
        let mood = &i.scores[0];
        // wellbeing 4, stress 2 reversed on 1..5 = 1 + 5 - 2 = 4: mean 4.
        let a = answers(&[("wellbeing", "4"), ("stress", "2"), ("hours", "37.5")]);
        assert_eq!(i.score(mood, &a), Some(4.0));
        // wellbeing 3, stress 4 reversed = 2: mean 2.5.
        let b = answers(&[("wellbeing", "3"), ("stress", "4")]);
        assert_eq!(i.score(mood, &b), Some(2.5));
        assert_eq!(
            i.scores(&a),
            vec![
                ("mood".to_string(), Some(4.0)),
                ("total".to_string(), Some(41.5))
            ]
        );
        // Hours unanswered: no total.
        assert_eq!(
            i.scores(&b),
            vec![("mood".to_string(), Some(2.5)), ("total".to_string(), None)]
        );
        assert_eq!(i.score(mood, &answers(&[("wellbeing", "3")])), None);
        let empty = Score {
            name: "e".into(),
            label: Labels::default(),
            method: Method::Mean,
            terms: vec![],
        };
        assert_eq!(i.score(&empty, &a), None);
    }

    #[test]
    fn value_labels() {
        let i = sample();
        assert_eq!(i.value_label("works", "yes", "sv"), Some("Ja"));
        assert_eq!(
            i.value_label("works", "yes", "en"),
            Some("Ja"),
            "falls back"
        );
        assert_eq!(i.value_label("wellbeing", "5", "sv"), Some("Helt"));
        assert_eq!(i.value_label("wellbeing", "3", "sv"), None, "no anchor");
        assert_eq!(i.value_label("works", "maybe", "sv"), None);
        assert_eq!(i.value_label("born", "x", "sv"), None);
        assert_eq!(i.value_label("ghost", "yes", "sv"), None);
    }

    #[test]
    fn shown_follows_the_answers() {
        let i = sample();
        let hours = i.item("hours").expect("item");
        assert!(!i.is_shown(hours, &Answers::new()));
        assert!(i.is_shown(hours, &answers(&[("works", "yes")])));
        assert!(i.is_shown(i.item("works").expect("item"), &Answers::new()));
    }
}
