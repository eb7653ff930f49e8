//! Small values that parse user input: names, e-mail addresses, organisation
//! numbers, dates, and the closed vocabularies stored as text.

use jiff::civil::Date;

/// Declare an enum stored and sent as a lowercase snake_case string. Each
/// variant's Fluent message id is `<prefix>-<text with - for _>`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parse the stored or submitted text; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The Fluent message id of the value's label.
            pub fn message_id(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

/// What a submission was sent with, read by field name: an HTML form or a
/// JSON body turned into name/value pairs.
pub trait Fields {
    /// The field's value, empty when absent.
    fn one(&self, name: &str) -> String;
    /// Every value of a repeated field, in order.
    fn all(&self, name: &str) -> Vec<String>;
}

/// One field's text (`String`) or every value of a repeated field
/// (`Vec<String>`).
pub trait FieldValue: Sized {
    fn read(fields: &dyn Fields, name: &str) -> Self;
    /// The value as one field's text (a list: its first item).
    fn one(&self) -> String;
    /// The value as a repeated field (a text: itself, unless empty).
    fn all(&self) -> Vec<String>;
}

impl FieldValue for String {
    fn read(fields: &dyn Fields, name: &str) -> Self {
        fields.one(name)
    }
    fn one(&self) -> String {
        self.clone()
    }
    fn all(&self) -> Vec<String> {
        if self.is_empty() {
            Vec::new()
        } else {
            vec![self.clone()]
        }
    }
}

impl FieldValue for Vec<String> {
    fn read(fields: &dyn Fields, name: &str) -> Self {
        fields.all(name)
    }
    fn one(&self) -> String {
        self.first().cloned().unwrap_or_default()
    }
    fn all(&self) -> Vec<String> {
        self.clone()
    }
}

/// A submission as text, filled field by field: the field names are the
/// names the errors of its parse carry.
pub trait FromFields {
    fn from_fields(fields: &dyn Fields) -> Self;
}

/// Declare a submission whose every field is text (`String`, or
/// `Vec<String>` for a repeated field), with its [`FromFields`] (each
/// field read under its own name).
macro_rules! text_input {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident $(: $ty:ty)?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $name { $($(#[$fmeta])* pub $field: text_input!(@ty $($ty)?)),+ }

        impl $crate::values::FromFields for $name {
            fn from_fields(fields: &dyn $crate::values::Fields) -> Self {
                Self {
                    $($field: $crate::values::FieldValue::read(fields, stringify!($field))),+
                }
            }
        }

        /// A submission read back by field name (to merge a patch onto it).
        impl $crate::values::Fields for $name {
            fn one(&self, name: &str) -> String {
                match name {
                    $(stringify!($field) => $crate::values::FieldValue::one(&self.$field),)+
                    _ => String::new(),
                }
            }
            fn all(&self, name: &str) -> Vec<String> {
                match name {
                    $(stringify!($field) => $crate::values::FieldValue::all(&self.$field),)+
                    _ => Vec::new(),
                }
            }
        }
    };
    (@ty) => { String };
    (@ty $ty:ty) => { $ty };
}
pub(crate) use text_input;

text_enum!(
    /// What kind of body an organisation is.
    OrganisationKind, "org-kind" {
        Municipality = "municipality",
        StateAgency = "state_agency",
        CivilSociety = "civil_society",
        AdultEducation = "adult_education",
        StudyAssociation = "study_association",
        CoordinationAssociation = "coordination_association",
        Employer = "employer",
    }
);

text_enum!(Gender, "gender" {
    Woman = "woman",
    Man = "man",
    NonBinary = "non_binary",
    Unknown = "unknown",
});

text_enum!(EducationLevel, "education" {
    Unknown = "unknown",
    None = "none",
    Primary = "primary",
    LowerSecondary = "lower_secondary",
    UpperSecondary = "upper_secondary",
    PostSecondary = "post_secondary",
    Tertiary = "tertiary",
});

text_enum!(SwedishLevel, "swedish" {
    Unknown = "unknown",
    None = "none",
    Beginner = "beginner",
    Intermediate = "intermediate",
    Fluent = "fluent",
});

text_enum!(ReferralSource, "referral" {
    EmploymentService = "employment_service",
    Municipality = "municipality",
    SelfReferral = "self",
    OtherPartner = "other_partner",
});

text_enum!(
    /// How a participant is identified.
    IdentityKind, "identity-kind" {
        Personnummer = "personnummer",
        Samordningsnummer = "samordningsnummer",
        BirthDate = "birth_date",
    }
);

/// Error message ids shared by the parsers below.
pub mod code {
    pub const REQUIRED: &str = "error-required";
    pub const TOO_LONG: &str = "error-too-long";
    pub const EMAIL: &str = "error-email";
    pub const ORG_NUMBER: &str = "error-org-number";
    pub const DATE: &str = "error-date";
    pub const DATE_FUTURE: &str = "error-date-future";
    pub const YEAR: &str = "error-year";
    pub const CHOICE: &str = "error-choice";
    pub const PERIOD: &str = "error-period";
    pub const NUMBER: &str = "error-number";
    pub const PASSWORD_SHORT: &str = "error-password-short";
    pub const PASSWORD_COMMON: &str = "error-password-common";
    pub const CONTROL: &str = "error-control-characters";
    pub const DATE_RANGE: &str = "error-date-range";
    pub const LINE_BREAK: &str = "error-text-line-break";
    pub const NONCHARACTER: &str = "error-text-noncharacter";
    pub const BIDI: &str = "error-text-bidi";
    pub const SENTENCE: &str = "error-text-sentence";
}

/// Longest free-text line we accept (names, places, short fields).
pub const SHORT_TEXT_MAX: usize = 200;
/// Longest multi-line text (reasons, visions).
pub const LONG_TEXT_MAX: usize = 4000;

/// Whether text holds control characters other than tab and line breaks
/// (a NUL byte, escape sequences …), which no field needs.
pub fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// What a free text may look like: one rule per kind of field, all
/// applied by [`parse_text`], the one parser for text a person typed.
///
/// Every kind refuses control characters (C0 and C1, DEL) and Unicode
/// non-characters (U+FDD0–U+FDEF and every U+xFFFE/U+xFFFF, which break the
/// XLSX export and mean nothing). A single-line kind refuses line breaks; a
/// multi-line kind keeps `\n` (a `\r\n` or lone `\r` becomes `\n`) and no
/// other character below U+0020, tabs included. A name also refuses the
/// bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069), which can make a name display as another; other texts
/// keep them, since text pasted in a right-to-left script may carry them
/// and each text is shown in an element of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextKind {
    pub multi_line: bool,
    /// Refuse bidirectional controls.
    pub name: bool,
    /// Fewest characters when given (after trimming).
    pub min_chars: usize,
    /// Fewest words (runs of letters or digits) when given.
    pub min_words: usize,
    pub max_chars: usize,
}

impl TextKind {
    /// A person's, an organisation's or a thing's name.
    pub const NAME: TextKind = TextKind::line(SHORT_TEXT_MAX).named();
    /// A person's given or family name.
    pub const PERSON_NAME: TextKind = TextKind::line(100).named();
    /// One short line: a place, a funder, a witness, a country.
    pub const LINE: TextKind = TextKind::line(SHORT_TEXT_MAX);
    /// Several lines: notes, reasons, descriptions, plan texts.
    pub const LINES: TextKind = TextKind::lines(LONG_TEXT_MAX);
    /// The reason for an emergency access: a real sentence of at least 20
    /// characters and 3 words, which the log review reads.
    pub const SENTENCE: TextKind = TextKind::lines(LONG_TEXT_MAX).at_least(20, 3);

    pub const fn line(max_chars: usize) -> Self {
        Self {
            multi_line: false,
            name: false,
            min_chars: 0,
            min_words: 0,
            max_chars,
        }
    }

    pub const fn lines(max_chars: usize) -> Self {
        Self {
            multi_line: true,
            ..Self::line(max_chars)
        }
    }

    /// The same, refusing bidirectional controls as a name does.
    pub const fn named(self) -> Self {
        Self { name: true, ..self }
    }

    pub const fn at_least(self, min_chars: usize, min_words: usize) -> Self {
        Self {
            min_chars,
            min_words,
            ..self
        }
    }
}

/// Whether `c` is a Unicode non-character (U+FDD0–U+FDEF or the last two
/// code points of any plane).
pub fn is_noncharacter(c: char) -> bool {
    let v = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&v) || v & 0xFFFE == 0xFFFE
}

/// Whether `c` is a bidirectional embedding, override or isolate control.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The one parser for free text: trimmed, checked against `kind`; empty
/// text is `None`. Errors, in this order: `error-text-line-break`,
/// `error-control-characters`, `error-text-noncharacter`, `error-text-bidi`,
/// `error-too-long`, `error-text-sentence`.
pub fn parse_text(input: &str, kind: TextKind) -> Result<Option<String>, &'static str> {
    let t = input.trim();
    let t = if kind.multi_line && t.contains('\r') {
        t.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        t.to_string()
    };
    if !kind.multi_line && t.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        return Err(code::LINE_BREAK);
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(code::CONTROL);
    }
    if t.chars().any(is_noncharacter) {
        return Err(code::NONCHARACTER);
    }
    if kind.name && t.chars().any(is_bidi_control) {
        return Err(code::BIDI);
    }
    if t.is_empty() {
        return Ok(None);
    }
    let chars = t.chars().count();
    if chars > kind.max_chars {
        return Err(code::TOO_LONG);
    }
    let words = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    if chars < kind.min_chars || words < kind.min_words {
        return Err(code::SENTENCE);
    }
    Ok(Some(t))
}

/// [`parse_text`] for a field that must be filled in.
pub fn required_text(input: &str, kind: TextKind) -> Result<String, &'static str> {
    parse_text(input, kind)?.ok_or(code::REQUIRED)
}

/// [`parse_text`] for a field that may be left empty.
pub fn optional_text(input: &str, kind: TextKind) -> Result<Option<String>, &'static str> {
    parse_text(input, kind)
}

/// A comma- or semicolon-separated list on one line (languages …), each
/// item trimmed, empty ones dropped.
pub fn parse_text_list(input: &str) -> Result<Vec<String>, &'static str> {
    Ok(parse_text(input, TextKind::LINE)?
        .map(|t| {
            t.split([',', ';'])
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default())
}

/// A plausible e-mail address, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let t = input.trim();
        if t.is_empty() {
            return Err(code::REQUIRED);
        }
        if t.len() > 254 {
            return Err(code::TOO_LONG);
        }
        let (local, domain) = t.split_once('@').ok_or(code::EMAIL)?;
        let ok = !local.is_empty()
            && !has_control(t)
            && !t.chars().any(|c| is_noncharacter(c) || is_bidi_control(c))
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !t.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
            && !domain.contains('@');
        if ok {
            Ok(Self(t.to_lowercase()))
        } else {
            Err(code::EMAIL)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Swedish organisation number (organisationsnummer): ten digits, the
/// third at least 2, with a Luhn check digit. Stored as `NNNNNN-NNNN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgNumber(String);

impl OrgNumber {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let digits: Vec<u8> = input
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .map(|c| c.to_digit(10).map(|d| d as u8).ok_or(code::ORG_NUMBER))
            .collect::<Result<_, _>>()?;
        if digits.len() != 10 || digits[2] < 2 || !luhn(&digits) {
            return Err(code::ORG_NUMBER);
        }
        let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        Ok(Self(format!("{}-{}", &s[..6], &s[6..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let v = if i % 2 == 1 {
                u32::from(d) * 2
            } else {
                u32::from(d)
            };
            if v > 9 {
                v - 9
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An ISO date `YYYY-MM-DD`.
pub fn parse_date(input: &str) -> Result<Date, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    if t.len() != 10 {
        return Err(code::DATE);
    }
    let d = t.parse::<Date>().map_err(|_| code::DATE)?;
    // Nobody in palett was born, referred or enrolled before 1900, nor
    // will be after 2200: such a date is a typing error.
    if !(1900..=2200).contains(&d.year()) {
        return Err(code::DATE_RANGE);
    }
    Ok(d)
}

/// An ISO date, or `None` when empty.
pub fn parse_optional_date(input: &str) -> Result<Option<Date>, &'static str> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// A date that is not after `today`.
pub fn parse_past_date(input: &str, today: Date) -> Result<Date, &'static str> {
    let d = parse_date(input)?;
    if d > today {
        Err(code::DATE_FUTURE)
    } else {
        Ok(d)
    }
}

/// A telephone number, optional: digits, spaces, `+`, `-` and brackets.
pub fn parse_phone(s: &str) -> Result<Option<String>, &'static str> {
    let t = optional_text(s, TextKind::line(40))?;
    match t {
        Some(p) if !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) => {
            Err("error-phone")
        }
        other => Ok(other),
    }
}

/// Hours a week (a decimal, comma or point, above 0 and at most 60), in
/// minutes; empty is unknown.
pub fn parse_weekly_hours(s: &str) -> Result<Option<i64>, &'static str> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(h) if h > 0.0 && h <= 60.0 => Ok(Some((h * 60.0).round() as i64)),
        _ => Err(code::NUMBER),
    }
}

/// A checkbox or flag: empty, `false`, `off` or `0`; `true`, `on` or `1`.
pub fn parse_flag(s: &str) -> Result<bool, &'static str> {
    match s.trim() {
        "" | "false" | "off" | "0" => Ok(false),
        "true" | "on" | "1" => Ok(true),
        _ => Err(code::CHOICE),
    }
}

/// An optional choice from a closed vocabulary: empty is `None`.
pub fn parse_optional_choice<T>(
    s: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, &'static str> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_choice(s, parse).map(Some)
    }
}

/// An id chosen from a list: required, a positive whole number.
pub fn parse_choice_id(input: &str) -> Result<i64, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    t.parse::<i64>().ok().filter(|v| *v > 0).ok_or(code::CHOICE)
}

/// [`parse_choice_id`] for a choice that may be left empty.
pub fn parse_optional_choice_id(input: &str) -> Result<Option<i64>, &'static str> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_choice_id(input).map(Some)
    }
}

/// A choice from a closed vocabulary.
pub fn parse_choice<T>(input: &str, parse: fn(&str) -> Option<T>) -> Result<T, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err(code::REQUIRED);
    }
    parse(t).ok_or(code::CHOICE)
}

/// A period whose end, when given, is not before its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Option<Date>,
}

impl Period {
    pub fn new(start: Date, end: Option<Date>) -> Result<Self, &'static str> {
        match end {
            Some(e) if e < start => Err(code::PERIOD),
            _ => Ok(Self { start, end }),
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        d >= self.start && self.end.is_none_or(|e| d <= e)
    }
}

/// A password long enough to resist guessing (NIST SP 800-63B: at least 12
/// here, no composition rules).
pub fn parse_new_password(input: &str) -> Result<String, &'static str> {
    if input.chars().count() < 12 {
        Err(code::PASSWORD_SHORT)
    } else if input.len() > 1024 {
        Err(code::TOO_LONG)
    } else if crate::passwords::is_common(input) {
        Err(code::PASSWORD_COMMON)
    } else {
        Ok(input.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn org_numbers() {
        assert_eq!(
            OrgNumber::parse("212000-0142").map(|o| o.0),
            Ok("212000-0142".to_string())
        );
        assert_eq!(
            OrgNumber::parse("2120000142").map(|o| o.0),
            Ok("212000-0142".to_string())
        );
        assert_eq!(OrgNumber::parse("212000-0143"), Err(code::ORG_NUMBER));
        assert_eq!(OrgNumber::parse("abc"), Err(code::ORG_NUMBER));
        // Third digit below 2 is a personal identity number, not an organisation.
        assert_eq!(OrgNumber::parse("811218-9876"), Err(code::ORG_NUMBER));
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Anna@Example.org ").map(|e| e.0),
            Ok("anna@example.org".into())
        );
        assert_eq!(Email::parse(""), Err(code::REQUIRED));
        assert_eq!(Email::parse("anna"), Err(code::EMAIL));
        assert_eq!(Email::parse("anna@localhost"), Err(code::EMAIL));
        assert_eq!(Email::parse("a b@example.org"), Err(code::EMAIL));
        assert_eq!(Email::parse("a\u{FFFF}@example.org"), Err(code::EMAIL));
        assert_eq!(Email::parse("a\u{202E}@example.org"), Err(code::EMAIL));
    }

    #[test]
    fn texts_and_dates() {
        let ten = TextKind::line(10);
        assert_eq!(required_text("  ", ten), Err(code::REQUIRED));
        assert_eq!(required_text(&"x".repeat(11), ten), Err(code::TOO_LONG));
        assert_eq!(required_text(" Åsa ", ten), Ok("Åsa".into()));
        assert_eq!(optional_text(" ", ten), Ok(None));
        assert_eq!(parse_date("2020-02-30"), Err(code::DATE));
        assert_eq!(parse_date("2020-2-3"), Err(code::DATE));
        assert_eq!(parse_date("2020-02-29"), Ok(date(2020, 2, 29)));
        assert_eq!(parse_date("0000-01-01"), Err(code::DATE_RANGE));
        assert_eq!(parse_date("9999-12-31"), Err(code::DATE_RANGE));
        assert_eq!(required_text("A\u{0}B", ten), Err(code::CONTROL));
        assert_eq!(
            optional_text("rad 1\nrad 2", TextKind::lines(20)),
            Ok(Some("rad 1\nrad 2".into()))
        );
        assert_eq!(Email::parse("x\u{0}@y.example"), Err(code::EMAIL));
        assert_eq!(
            parse_past_date("2030-01-01", date(2026, 1, 1)),
            Err(code::DATE_FUTURE)
        );
        assert_eq!(
            Period::new(date(2021, 1, 1), Some(date(2020, 1, 1))),
            Err(code::PERIOD)
        );
        assert_eq!(parse_choice("nope", Gender::parse), Err(code::CHOICE));
        assert_eq!(parse_choice("woman", Gender::parse), Ok(Gender::Woman));
    }

    /// Every rule of the one text parser, kind by kind.
    #[test]
    fn the_text_parser_table() {
        use TextKind as K;
        let ok = |s: &str| Ok(Some(s.to_string()));
        type Case<'a> = (&'a str, TextKind, Result<Option<String>, &'a str>);
        let cases: &[Case] = &[
            // Trimmed; empty is nothing.
            ("  Åsa Öberg ", K::PERSON_NAME, ok("Åsa Öberg")),
            (" \t\n ", K::LINES, Ok(None)),
            ("", K::NAME, Ok(None)),
            // Line breaks: refused on one line, normalised on several.
            ("Anna\nBerg", K::PERSON_NAME, Err(code::LINE_BREAK)),
            ("Sal 1\r\nplan 2", K::LINE, Err(code::LINE_BREAK)),
            ("a\u{2028}b", K::LINE, Err(code::LINE_BREAK)),
            ("rad 1\r\nrad 2\rrad 3", K::LINES, ok("rad 1\nrad 2\nrad 3")),
            // Control characters, whatever the kind.
            ("A\u{0}B", K::PERSON_NAME, Err(code::CONTROL)),
            ("ring\u{7}", K::LINES, Err(code::CONTROL)),
            ("\u{1b}[31mröd", K::LINE, Err(code::CONTROL)),
            ("a\tb", K::LINES, Err(code::CONTROL)),
            ("a\tb", K::LINE, Err(code::CONTROL)),
            ("a\u{7f}b", K::LINES, Err(code::CONTROL)),
            ("a\u{85}b", K::LINES, Err(code::CONTROL)),
            // Non-characters, whatever the kind.
            ("a\u{FFFF}b", K::LINES, Err(code::NONCHARACTER)),
            ("a\u{FFFE}", K::NAME, Err(code::NONCHARACTER)),
            ("a\u{FDD0}", K::LINE, Err(code::NONCHARACTER)),
            ("a\u{FDEF}", K::LINE, Err(code::NONCHARACTER)),
            ("a\u{1FFFF}", K::LINES, Err(code::NONCHARACTER)),
            ("a\u{10FFFE}", K::LINES, Err(code::NONCHARACTER)),
            ("a\u{FDF0}b", K::LINE, ok("a\u{FDF0}b")),
            // Bidirectional controls: refused in names only.
            ("Ali\u{202E}nimda", K::PERSON_NAME, Err(code::BIDI)),
            ("Ali\u{2066}x\u{2069}", K::NAME, Err(code::BIDI)),
            ("Ali\u{202A}x", K::NAME, Err(code::BIDI)),
            (
                "\u{202B}مرحبا\u{202C}",
                K::LINES,
                ok("\u{202B}مرحبا\u{202C}"),
            ),
            // Right-to-left letters themselves are names like any other.
            ("فاطمة", K::PERSON_NAME, ok("فاطمة")),
            // Lengths, counted in characters.
            (&"å".repeat(100), K::PERSON_NAME, Ok(Some("å".repeat(100)))),
            (&"å".repeat(101), K::PERSON_NAME, Err(code::TOO_LONG)),
            (&"x".repeat(4001), K::LINES, Err(code::TOO_LONG)),
            // A sentence: 20 characters and three words.
            ("akut", K::SENTENCE, Err(code::SENTENCE)),
            (
                "xxxxxxxxxxxxxxxxxxxxxxxxx",
                K::SENTENCE,
                Err(code::SENTENCE),
            ),
            (
                "två ord, långa nog ja",
                K::SENTENCE,
                ok("två ord, långa nog ja"),
            ),
            ("Hot mot deltagaren", K::SENTENCE, Err(code::SENTENCE)),
            (
                "Hot mot deltagaren idag",
                K::SENTENCE,
                ok("Hot mot deltagaren idag"),
            ),
            ("", K::SENTENCE, Ok(None)),
        ];
        for (input, kind, want) in cases {
            assert_eq!(&parse_text(input, *kind), want, "{input:?} as {kind:?}");
        }
        assert_eq!(required_text(" ", K::SENTENCE), Err(code::REQUIRED));
        assert_eq!(
            parse_text_list(" somaliska, svenska;; arabiska "),
            Ok(vec![
                "somaliska".into(),
                "svenska".into(),
                "arabiska".into()
            ])
        );
        assert_eq!(parse_text_list("a\u{0}"), Err(code::CONTROL));
    }

    #[test]
    fn enum_text_round_trips() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Some(*g));
        }
        assert_eq!(ReferralSource::SelfReferral.message_id(), "referral-self");
        assert_eq!(
            OrganisationKind::StateAgency.message_id(),
            "org-kind-state-agency"
        );
    }
}
