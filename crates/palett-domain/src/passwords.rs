//! Refusing passwords that attackers try first: those on a list of the most
//! common (leaked) passwords, those that are such a password with digits or
//! signs added before or after ("sunshine2024!"), and those with hardly any
//! different characters or one short piece repeated ("aaaaaaaaaaaa",
//! "123412341234").

use std::collections::HashSet;
use std::sync::LazyLock;

/// The list, shipped with the source (see the file's head for its origin).
const LIST: &str = include_str!("common_passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Whether a password is too easy to guess to be accepted.
pub fn is_common(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    let distinct: HashSet<char> = lower.chars().collect();
    let chars: Vec<char> = lower.chars().collect();
    let repeated = (1..=chars.len() / 2)
        .filter(|k| chars.len() / k * k == chars.len())
        .any(|k| chars.chunks(k).all(|c| c == &chars[..k]));
    if distinct.len() < 4 || repeated {
        return true;
    }
    let padding = |c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace();
    let core = lower.trim_matches(padding);
    COMMON.contains(lower.as_str()) || COMMON.contains(core)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_and_their_padded_forms_are_refused() {
        for p in [
            "qwerty123456",
            "1q2w3e4r5t6y",
            "Password1234",
            "sunshine2024!",
            "2024Sunshine",
            "Lösenord12345",
            "aaaaaaaaaaaa",
            "abababababab",
            "123412341234",
        ] {
            assert!(is_common(p), "{p}");
        }
    }

    #[test]
    fn ordinary_long_passwords_pass() {
        for p in [
            "palett-demo-2026",
            "ett-langt-losenord",
            "Cykeln står i förrådet 7",
            "grön-tekopp-på-balkongen",
        ] {
            assert!(!is_common(p), "{p}");
        }
    }
}
