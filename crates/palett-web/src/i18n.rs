//! Fluent messages: Swedish by default, English beside it. Message ids are
//! stable; templates, field errors and JSON errors all go through [`Tr`].

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages palett speaks. Staff pages speak Swedish and English
/// ([`Lang::STAFF`]); the participant portal all seven ([`Lang::PORTAL`]):
/// its messages are in `locales/<code>/portal.ftl`, and a message missing
/// in a portal language falls back to Swedish (easy Swedish) or English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Sv,
    En,
    /// Easy-to-read Swedish (lättläst).
    SvEasy,
    Ar,
    So,
    Ti,
    /// Dari.
    Prs,
}

impl Lang {
    pub const ALL: [Lang; 7] = [
        Lang::Sv,
        Lang::SvEasy,
        Lang::En,
        Lang::Ar,
        Lang::So,
        Lang::Ti,
        Lang::Prs,
    ];
    /// The languages of the staff pages.
    pub const STAFF: [Lang; 2] = [Lang::Sv, Lang::En];
    /// The languages of the participant portal, in the order offered.
    pub const PORTAL: [Lang; 7] = Lang::ALL;

    /// The code in addresses, cookies and `locales/<code>/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
            Lang::SvEasy => "sv-easy",
            Lang::Ar => "ar",
            Lang::So => "so",
            Lang::Ti => "ti",
            Lang::Prs => "prs",
        }
    }

    /// The BCP 47 tag for the page's `lang` attribute (easy Swedish is
    /// Swedish; Dari is Persian as spoken in Afghanistan).
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Sv | Lang::SvEasy => "sv",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::So => "so",
            Lang::Ti => "ti",
            Lang::Prs => "fa-AF",
        }
    }

    /// The writing direction: Arabic and Dari right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar | Lang::Prs => "rtl",
            _ => "ltr",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::SvEasy => "Lättläst svenska",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::So => "Soomaali",
            Lang::Ti => "ትግርኛ",
            Lang::Prs => "دری",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }

    /// The language of staff pages for this choice: English stays
    /// English, every other language is shown Swedish.
    pub fn staff(self) -> Lang {
        match self {
            Lang::En => Lang::En,
            _ => Lang::Sv,
        }
    }

    /// Where a message missing in this language is taken from.
    fn fallback(self) -> Option<Lang> {
        match self {
            Lang::Sv | Lang::En => None,
            Lang::SvEasy => Some(Lang::Sv),
            _ => Some(Lang::En),
        }
    }

    /// The language of a tag of an Accept-Language header, if palett
    /// speaks it (Persian is answered in Dari).
    fn of_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        match primary {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            "so" => Some(Lang::So),
            "ti" => Some(Lang::Ti),
            "prs" | "fa" => Some(Lang::Prs),
            _ => None,
        }
    }

    /// The first language of an Accept-Language header palett speaks, else
    /// Swedish.
    pub fn negotiate(accept_language: &str) -> Lang {
        accept_language
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Lang::of_tag)
            .unwrap_or(Lang::Sv)
    }

    /// The digits numbers are written with: Arabic-Indic for Arabic,
    /// extended Arabic-Indic for Dari, else ASCII.
    fn digits(self) -> Option<[char; 10]> {
        match self {
            Lang::Ar => Some(['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩']),
            Lang::Prs => Some(['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹']),
            _ => None,
        }
    }

    /// The sign between groups of three digits: a non-breaking space in
    /// Swedish ("1 234"), a comma in English ("1,234").
    fn group_sign(self) -> &'static str {
        match self {
            Lang::Sv | Lang::SvEasy | Lang::So => "\u{a0}",
            Lang::En | Lang::Ti => ",",
            Lang::Ar | Lang::Prs => "٬",
        }
    }

    /// The decimal sign.
    fn decimal_sign(self) -> &'static str {
        match self {
            Lang::Sv | Lang::SvEasy | Lang::So => ",",
            Lang::En | Lang::Ti => ".",
            Lang::Ar | Lang::Prs => "٫",
        }
    }
}

/// Messages of the staff files that the portal shows too (error pages and
/// the field errors of its forms): each portal language has them.
pub const PORTAL_SHARED_IDS: &[&str] = &[
    "skip-to-content",
    "error-required",
    "error-too-long",
    "error-choice",
    "error-number",
    "error-date",
    "error-date-future",
    "hint-date",
    "error-not-found",
    "error-not-found-title",
    "error-throttled-title",
    "error-throttled-wait",
    "error-internal",
    "error-internal-title",
    "error-csrf",
    "error-csrf-title",
    "error-too-large",
    "error-too-large-title",
    "error-consent-withdrawn",
    "error-password-short",
    "error-password-common",
    "error-password-mismatch",
];

pub const SV_FTL: &str = include_str!("../../../locales/sv/main.ftl");
pub const EN_FTL: &str = include_str!("../../../locales/en/main.ftl");

/// Each language's portal messages (`locales/<code>/portal.ftl`).
pub fn portal_ftl(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => include_str!("../../../locales/sv/portal.ftl"),
        Lang::En => include_str!("../../../locales/en/portal.ftl"),
        Lang::SvEasy => include_str!("../../../locales/sv-easy/portal.ftl"),
        Lang::Ar => include_str!("../../../locales/ar/portal.ftl"),
        Lang::So => include_str!("../../../locales/so/portal.ftl"),
        Lang::Ti => include_str!("../../../locales/ti/portal.ftl"),
        Lang::Prs => include_str!("../../../locales/prs/portal.ftl"),
    }
}

/// Whether a native speaker has reviewed a portal message's translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    Reviewed,
    /// Reviewed, but its text changed since.
    Changed,
    NotReviewed,
}

/// One portal message of a language and its review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewLine {
    pub id: String,
    /// The Swedish text it translates.
    pub source: String,
    pub text: String,
    pub review: Review,
}

/// The messages of a portal file in file order: (id, text). Portal
/// messages are one line each.
pub fn portal_messages(ftl: &str) -> Vec<(String, String)> {
    ftl.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = "))
        .map(|(id, text)| (id.trim().to_string(), text.to_string()))
        .collect()
}

/// The first 12 hexadecimal digits of the SHA-256 of a message's text: what
/// a review line records.
pub fn text_digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The review record of a drafted language (`locales/<code>/review.txt`);
/// Swedish and English are the team's own and have none.
fn review_file(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Sv | Lang::En => None,
        Lang::SvEasy => Some(include_str!("../../../locales/sv-easy/review.txt")),
        Lang::Ar => Some(include_str!("../../../locales/ar/review.txt")),
        Lang::So => Some(include_str!("../../../locales/so/review.txt")),
        Lang::Ti => Some(include_str!("../../../locales/ti/review.txt")),
        Lang::Prs => Some(include_str!("../../../locales/prs/review.txt")),
    }
}

/// Every portal message of a drafted language with its review; `None` for
/// Swedish and English.
pub fn review(lang: Lang) -> Option<Vec<ReviewLine>> {
    review_file(lang).map(|record| review_with(lang, record))
}

/// The portal messages of `lang` judged against a review record: a line
/// `<id> <digest>` per reviewed message, `#` starting a comment.
pub fn review_with(lang: Lang, record: &str) -> Vec<ReviewLine> {
    let reviewed: std::collections::HashMap<&str, &str> = record
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?, words.next()?))
        })
        .collect();
    let source: std::collections::HashMap<String, String> =
        portal_messages(portal_ftl(Lang::Sv)).into_iter().collect();
    portal_messages(portal_ftl(lang))
        .into_iter()
        .map(|(id, text)| {
            let review = match reviewed.get(id.as_str()) {
                Some(d) if *d == text_digest(&text) => Review::Reviewed,
                Some(_) => Review::Changed,
                None => Review::NotReviewed,
            };
            ReviewLine {
                source: source.get(&id).cloned().unwrap_or_default(),
                id,
                text,
                review,
            }
        })
        .collect()
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<Vec<(Lang, FluentBundle<FluentResource>)>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| Lang::ALL.into_iter().map(|l| (l, make_bundle(l))).collect());
    all.iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, b)| b)
        .unwrap_or(&all[0].1)
}

fn make_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code();
    // Plural rules by the language proper (easy Swedish is Swedish).
    let langid: LanguageIdentifier = lang.html_lang().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    // Right-to-left pages isolate what is put into a message (a Swedish
    // place name in an Arabic sentence); the templates isolate with <bdi>.
    b.set_use_isolating(lang.dir() == "rtl");
    let mut sources = match lang {
        Lang::Sv => vec![SV_FTL],
        Lang::En => vec![EN_FTL],
        _ => Vec::new(),
    };
    sources.push(portal_ftl(lang));
    for src in sources {
        let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(res, errors)| {
            tracing::error!(?errors, lang = id, "errors in the Fluent file");
            res
        });
        if let Err(errors) = b.add_resource(res) {
            tracing::error!(?errors, lang = id, "duplicate Fluent messages");
        }
    }
    b
}

/// A translator for one language; templates call `t.get("id")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The message, or its id in brackets when missing (a test keeps that
    /// from shipping).
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message of a field error, with its arguments.
    pub fn field_message(&self, e: &palett_domain::FieldError) -> String {
        if e.args.is_empty() {
            self.get(e.code)
        } else {
            let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (*k, v.clone())).collect();
            self.with(e.code, &args)
        }
    }

    pub fn with(&self, id: &str, args: &[(&str, String)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            // Whole numbers go in as numbers, so plural selectors work.
            match v.parse::<i64>() {
                Ok(n) => a.set(*k, FluentValue::from(n)),
                Err(_) => a.set(*k, FluentValue::from(v.clone())),
            }
        }
        self.format(id, Some(&a))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let mut lang = Some(self.lang);
        let (b, pattern) = loop {
            let Some(l) = lang else {
                return format!("[{id}]");
            };
            let b = bundle(l);
            if let Some(p) = b.get_message(id).and_then(|m| m.value()) {
                break (b, p);
            }
            lang = l.fallback();
        };
        let mut errors = Vec::new();
        b.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Whether this language itself has the message (no fallback).
    pub fn has(&self, id: &str) -> bool {
        bundle(self.lang).has_message(id)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A number with Swedish or English decimal sign.
    ///
    /// (Fluent formats numbers by itself too; the figures here are
    /// pre-formatted so that percentages and hours read the same everywhere.)
    pub fn decimal(&self, v: f64) -> String {
        self.decimal_in(v, true)
    }

    /// A number for a file a program reads (the CSV): the language's
    /// decimal sign, no sign between groups of digits.
    pub fn decimal_plain(&self, v: f64) -> String {
        self.decimal_in(v, false)
    }

    fn decimal_in(&self, v: f64, grouping: bool) -> String {
        let s = format!("{v:.1}");
        let s = s.strip_suffix(".0").unwrap_or(&s);
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        let mut out = if grouping {
            self.grouped(whole)
        } else {
            whole.to_string()
        };
        if let Some(f) = fraction {
            out.push_str(self.lang.decimal_sign());
            out.push_str(f);
        }
        self.digits(&out)
    }

    /// The whole part of a number (ASCII digits, maybe a minus) with the
    /// language's sign between groups of three digits.
    fn grouped(&self, whole: &str) -> String {
        let (sign, digits) = match whole.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", whole),
        };
        let mut out = String::from(sign);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(self.lang.group_sign());
            }
            out.push(c);
        }
        out
    }

    /// ASCII digits written as the language writes them.
    pub fn digits(&self, s: &str) -> String {
        match self.lang.digits() {
            Some(d) => s
                .chars()
                .map(|c| c.to_digit(10).map_or(c, |n| d[n as usize]))
                .collect(),
            None => s.to_string(),
        }
    }

    /// A whole number as the language writes it.
    pub fn number(&self, n: i64) -> String {
        self.digits(&self.grouped(&n.to_string()))
    }

    /// A day as the language writes it: "7 december 2026" (month names are
    /// the messages `month-1` … `month-12`).
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let month = self.get(&format!("month-{}", d.month()));
        match self.lang {
            Lang::En => format!("{} {month} {}", d.day(), d.year()),
            _ => self.digits(&format!("{} {month} {}", d.day(), d.year())),
        }
    }

    /// A month `YYYY-MM` as the language writes it: "december 2026".
    pub fn month(&self, month: &str) -> String {
        match (
            month.get(0..4),
            month.get(5..7).and_then(|m| m.parse::<u8>().ok()),
        ) {
            (Some(year), Some(m)) if (1..=12).contains(&m) => {
                self.digits(&format!("{} {year}", self.get(&format!("month-{m}"))))
            }
            _ => month.to_string(),
        }
    }

    /// A percentage with one decimal at most, such as "74,2 %" or "74.2%".
    pub fn percent_exact(&self, v: f64) -> String {
        let n = self.decimal(v);
        match self.lang {
            Lang::En => format!("{n}%"),
            _ => format!("{n}\u{a0}%"),
        }
    }

    /// A percentage such as "17 %" (Swedish spacing) or "17%".
    pub fn percent(&self, v: f64) -> String {
        let n = self.decimal(v.round());
        match self.lang {
            Lang::En => format!("{n}%"),
            _ => format!("{n}\u{a0}%"),
        }
    }
}

#[cfg(test)]
mod number_tests {
    use super::{Lang, Tr};

    #[test]
    fn numbers_are_written_as_the_language_writes_them() {
        let (sv, en) = (Tr::new(Lang::Sv), Tr::new(Lang::En));
        for (n, swedish, english) in [
            (0, "0", "0"),
            (267, "267", "267"),
            (1234, "1\u{a0}234", "1,234"),
            (-1234567, "-1\u{a0}234\u{a0}567", "-1,234,567"),
        ] {
            assert_eq!(
                (sv.number(n), en.number(n)),
                (swedish.into(), english.into())
            );
        }
        for (v, swedish, english) in [
            (12.5, "12,5", "12.5"),
            (12.0, "12", "12"),
            (1234.56, "1\u{a0}234,6", "1,234.6"),
        ] {
            assert_eq!(
                (sv.decimal(v), en.decimal(v)),
                (swedish.into(), english.into())
            );
        }
        assert_eq!(sv.decimal_plain(1234.5), "1234,5");
        assert_eq!(en.decimal_plain(1234.5), "1234.5");
        assert_eq!(sv.percent(17.4), "17\u{a0}%");
        assert_eq!(en.percent(17.4), "17%");
        assert_eq!(sv.percent_exact(12.5), "12,5\u{a0}%");
    }
}
