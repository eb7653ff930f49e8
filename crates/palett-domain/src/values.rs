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

/// Trimmed, non-empty text of at most `max` characters.
pub fn required_text(input: &str, max: usize) -> Result<String, &'static str> {
    let t = input.trim();
    if has_control(t) {
        Err(code::CONTROL)
    } else if t.is_empty() {
        Err(code::REQUIRED)
    } else if t.chars().count() > max {
        Err(code::TOO_LONG)
    } else {
        Ok(t.to_string())
    }
}

/// Trimmed text of at most `max` characters; empty becomes `None`.
pub fn optional_text(input: &str, max: usize) -> Result<Option<String>, &'static str> {
    let t = input.trim();
    if has_control(t) {
        Err(code::CONTROL)
    } else if t.is_empty() {
        Ok(None)
    } else if t.chars().count() > max {
        Err(code::TOO_LONG)
    } else {
        Ok(Some(t.to_string()))
    }
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
    }

    #[test]
    fn texts_and_dates() {
        assert_eq!(required_text("  ", 10), Err(code::REQUIRED));
        assert_eq!(required_text(&"x".repeat(11), 10), Err(code::TOO_LONG));
        assert_eq!(required_text(" Åsa ", 10), Ok("Åsa".into()));
        assert_eq!(optional_text(" ", 10), Ok(None));
        assert_eq!(parse_date("2020-02-30"), Err(code::DATE));
        assert_eq!(parse_date("2020-2-3"), Err(code::DATE));
        assert_eq!(parse_date("2020-02-29"), Ok(date(2020, 2, 29)));
        assert_eq!(parse_date("0000-01-01"), Err(code::DATE_RANGE));
        assert_eq!(parse_date("9999-12-31"), Err(code::DATE_RANGE));
        assert_eq!(required_text("A\u{0}B", 10), Err(code::CONTROL));
        assert_eq!(
            optional_text("rad 1\nrad 2", 20),
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
