//! Swedish personal identity numbers (personnummer) and coordination numbers
//! (samordningsnummer), after Skatteverket's rules: a birth date (for a
//! coordination number the day plus 60), a three-digit birth number and a
//! Luhn check digit over the ten digits `YYMMDDNNNC`. Ten-digit forms get
//! their century from the reference date and the separator: `-` means under
//! 100 years old, `+` means 100 or older.
//!
//! The number is stored as twelve digits and never printed by `Debug`.

pub use crate::values::IdentityKind;
use jiff::civil::Date;
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct PersonalIdentityNumber {
    digits: [u8; 12],
    kind: IdentityKind,
    birth_date: Date,
}

impl fmt::Debug for PersonalIdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never leak the number into logs.
        write!(f, "PersonalIdentityNumber({:?}, ****)", self.kind)
    }
}

/// Why a number was rejected; each is a Fluent message id.
pub mod code {
    pub const FORMAT: &str = "error-pin-format";
    pub const DATE: &str = "error-pin-date";
    pub const CHECKSUM: &str = "error-pin-checksum";
    pub const FUTURE: &str = "error-pin-future";
}

impl PersonalIdentityNumber {
    /// Parse a number typed by a user, `today` deciding the century of the
    /// ten-digit forms.
    pub fn parse(input: &str, today: Date) -> Result<Self, &'static str> {
        let trimmed = input.trim();
        let mut digits = Vec::with_capacity(12);
        let mut plus = false;
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                '-' | '+' if trimmed.chars().count().checked_sub(5) == Some(i) => plus = c == '+',
                ' ' => {}
                _ => return Err(code::FORMAT),
            }
        }
        let (century, ten): (Option<i16>, &[u8]) = match digits.len() {
            12 => (
                Some(i16::from(digits[0]) * 10 + i16::from(digits[1])),
                &digits[2..],
            ),
            10 => (None, &digits[..]),
            _ => return Err(code::FORMAT),
        };
        if century.is_some() && plus {
            return Err(code::FORMAT);
        }
        let yy = i16::from(ten[0]) * 10 + i16::from(ten[1]);
        let month = ten[2] * 10 + ten[3];
        let raw_day = ten[4] * 10 + ten[5];
        let (kind, day) = if raw_day > 60 {
            (IdentityKind::Samordningsnummer, raw_day - 60)
        } else {
            (IdentityKind::Personnummer, raw_day)
        };
        if !luhn_ok(ten) {
            return Err(code::CHECKSUM);
        }
        let year = match century {
            Some(c) => c * 100 + yy,
            None => {
                let this_year = today.year();
                let mut y = this_year - (this_year % 100) + yy;
                // The latest such year whose date is not in the future.
                let candidate = Date::new(y, month as i8, day as i8).ok();
                if y > this_year || candidate.is_some_and(|d| d > today) {
                    y -= 100;
                }
                if plus {
                    y -= 100;
                }
                y
            }
        };
        let birth_date = Date::new(year, month as i8, day as i8).map_err(|_| code::DATE)?;
        if birth_date > today {
            return Err(code::FUTURE);
        }
        let mut out = [0u8; 12];
        out[0] = (year / 1000) as u8;
        out[1] = ((year / 100) % 10) as u8;
        out[2..].copy_from_slice(ten);
        Ok(Self {
            digits: out,
            kind,
            birth_date,
        })
    }

    /// The twelve digits, as stored.
    pub fn twelve_digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// `YYYYMMDD-NNNN`, for display to someone allowed to see it.
    pub fn formatted(&self) -> String {
        let s = self.twelve_digits();
        format!("{}-{}", &s[..8], &s[8..])
    }

    pub fn kind(&self) -> IdentityKind {
        self.kind
    }

    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
}

/// Luhn over the ten digits `YYMMDDNNNC`.
fn luhn_ok(ten: &[u8]) -> bool {
    crate::values::luhn(ten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn today() -> Date {
        date(2026, 11, 25)
    }

    fn check(input: &str, expected: Result<&str, &str>) {
        let got = PersonalIdentityNumber::parse(input, today()).map(|p| p.twelve_digits());
        assert_eq!(got.as_deref(), expected.as_deref(), "input {input:?}");
    }

    #[test]
    fn accepts_the_published_example_numbers_in_every_form() {
        // Skatteverket's well-known example number (Tolvan Tolvansson).
        check("19121212-1212", Ok("191212121212"));
        check("191212121212", Ok("191212121212"));
        check("121212+1212", Ok("191212121212"));
        check("121212-1212", Ok("201212121212"));
        check("811218-9876", Ok("198112189876"));
        check("8112189876", Ok("198112189876"));
    }

    #[test]
    fn rejects_bad_numbers_with_the_reason() {
        check("19121212-1213", Err(code::CHECKSUM));
        check("811218-9877", Err(code::CHECKSUM));
        check("12345", Err(code::FORMAT));
        check("abcdefghij", Err(code::FORMAT));
        check("", Err(code::FORMAT));
        check("19121212+1212", Err(code::FORMAT));
        check("1-", Err(code::FORMAT));
        check("-", Err(code::FORMAT));
        check("ååååå-1212", Err(code::FORMAT));
        // 30 February with a valid check digit.
        check(
            "19900230-0000"
                .replace("0000", &fix_luhn("900230000"))
                .as_str(),
            Err(code::DATE),
        );
    }

    #[test]
    fn samordningsnummer_has_day_plus_sixty() {
        let ten = format!("701063239{}", last_digit("701063239"));
        let p = PersonalIdentityNumber::parse(&ten, today()).expect("valid coordination number");
        assert_eq!(p.kind(), IdentityKind::Samordningsnummer);
        assert_eq!(p.birth_date(), date(1970, 10, 3));
    }

    #[test]
    fn debug_does_not_print_the_number() {
        let p = PersonalIdentityNumber::parse("19121212-1212", today()).expect("valid");
        assert!(!format!("{p:?}").contains("1212"));
    }

    fn last_digit(nine: &str) -> u8 {
        (0..10u8)
            .find(|d| {
                let v: Vec<u8> = nine.bytes().map(|b| b - b'0').chain([*d]).collect();
                luhn_ok(&v)
            })
            .expect("some digit makes it valid")
    }

    /// Four digits NNNC for the nine digits given, with a valid check digit.
    fn fix_luhn(nine: &str) -> String {
        format!("{}{}", &nine[6..], last_digit(nine))
    }
}
