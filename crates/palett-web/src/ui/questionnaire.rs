//! A questionnaire as a form, in one of its languages: its sections as
//! fieldsets, each item as radio buttons, check boxes or one input, with
//! its hint, whether it must be answered and its error. Items with skip
//! logic carry their condition as JSON for `static/questionnaire.js`,
//! which hides them while it does not hold (the server drops what a hidden
//! item was sent either way). Staff pages and her portal both show it.

use crate::http::forms::FormData;
use crate::i18n::Tr;
use palett_domain::instrument::{parse_condition, Instrument, ItemKind, Labels};
use palett_domain::FieldErrors;

/// One answer option.
#[derive(Clone, Debug)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One item.
#[derive(Clone, Debug)]
pub struct ItemView {
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    /// "single", "scale", "multiple", "number", "date" or "text".
    pub kind: &'static str,
    pub options: Vec<OptionView>,
    pub value: String,
    pub required: bool,
    pub decimal: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub error: Option<String>,
    /// The skip-logic condition as JSON, if any.
    pub relevant: Option<String>,
}

impl ItemView {
    /// The ids that describe the item's control: its hint and error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("q-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("q-{}-error", self.name));
        }
        ids.join(" ")
    }
}

#[derive(Clone, Debug)]
pub struct SectionView {
    /// Empty for items outside any group.
    pub label: String,
    pub items: Vec<ItemView>,
}

/// The questionnaire in one language.
#[derive(Clone, Debug)]
pub struct FormView {
    /// The language code it is shown in, for `lang`.
    pub lang: String,
    /// "rtl" for Arabic and Dari, else "ltr".
    pub dir: &'static str,
    pub title: String,
    pub description: String,
    pub sections: Vec<SectionView>,
    /// The reader's own language and direction, for what palett says
    /// inside the questionnaire (required, errors) when she reads it in
    /// another.
    pub ui_lang: &'static str,
    pub ui_dir: &'static str,
}

/// The text direction of a language.
pub fn direction(lang: &str) -> &'static str {
    if matches!(lang, "ar" | "prs" | "fa" | "ur" | "he" | "ps" | "ckb") {
        "rtl"
    } else {
        "ltr"
    }
}

/// The form of `d` in `lang`, with the values `form` sent and the
/// messages of `errors` (translated with `t`, the reader's language).
pub fn form_view(
    t: Tr,
    d: &Instrument,
    lang: &str,
    form: &FormData,
    errors: &FieldErrors,
) -> FormView {
    let fallback = d.default_language();
    let text = |l: &Labels| l.get(lang, fallback).to_string();
    let sections = d
        .sections
        .iter()
        .map(|s| SectionView {
            label: text(&s.label),
            items: s
                .items
                .iter()
                .map(|i| {
                    let sent = form.all(&i.name);
                    let options = i
                        .kind
                        .choices()
                        .iter()
                        .map(|c| OptionView {
                            checked: sent
                                .iter()
                                .any(|v| v == &c.value || v.split(' ').any(|one| one == c.value)),
                            value: c.value.clone(),
                            label: text(&c.label),
                        })
                        .collect();
                    let (kind, decimal, min, max) = match &i.kind {
                        ItemKind::Single { .. } => ("single", false, None, None),
                        ItemKind::Scale { .. } => ("scale", false, None, None),
                        ItemKind::Multiple { .. } => ("multiple", false, None, None),
                        ItemKind::Number { decimal, min, max } => ("number", *decimal, *min, *max),
                        ItemKind::Date => ("date", false, None, None),
                        ItemKind::Text => ("text", false, None, None),
                    };
                    let mut hint = text(&i.hint);
                    if kind == "date" && hint.is_empty() {
                        hint = t.get("hint-date");
                    }
                    ItemView {
                        name: i.name.clone(),
                        label: text(&i.label),
                        hint: (!hint.is_empty()).then_some(hint),
                        kind,
                        options,
                        value: sent.first().cloned().unwrap_or_default(),
                        required: i.required,
                        decimal,
                        min,
                        max,
                        error: errors
                            .0
                            .iter()
                            .find(|e| e.field == i.name)
                            .map(|e| t.field_message(e)),
                        relevant: i
                            .relevant
                            .as_deref()
                            .and_then(|src| parse_condition(src).ok())
                            .and_then(|c| serde_json::to_string(&c).ok()),
                    }
                })
                .collect(),
        })
        .collect();
    FormView {
        lang: lang.to_string(),
        dir: direction(lang),
        title: text(&d.title),
        description: text(&d.description),
        sections,
        // Easy Swedish is Swedish to a screen reader.
        ui_lang: if t.code() == "sv-easy" {
            "sv"
        } else {
            t.code()
        },
        ui_dir: direction(t.code()),
    }
}

/// The error summary's rows for the items: (anchor id, label, message,
/// the label's language).
pub fn error_rows(view: &FormView) -> Vec<(String, String, String, String)> {
    view.sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| {
            let anchor = match i.kind {
                "single" | "scale" | "multiple" => {
                    format!(
                        "q-{}-{}",
                        i.name,
                        i.options.first().map_or("", |o| &o.value)
                    )
                }
                _ => format!("q-{}", i.name),
            };
            i.error
                .clone()
                .map(|e| (anchor, i.label.clone(), e, view.lang.clone()))
        })
        .collect()
}

/// The language's own name (for the language links).
pub fn language_name(code: &str) -> String {
    palett_domain::xlsform::LANGUAGE_NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, n)| n.to_string())
}
