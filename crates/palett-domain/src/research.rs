//! The pseudonymised research export's rules: generalised quasi-identifiers
//! and a k-anonymity check that suppresses small cells and says so.

use crate::values::text_input;
use crate::FieldErrors;
use jiff::civil::Date;

text_input!(
    /// A research export as asked for: the researcher's key and the least
    /// group size `k` (both text).
    ExportRequestInput {
        key,
        k,
    }
);

/// A research export: pseudonyms keyed by `key` (at least twelve
/// characters), groups smaller than `k` (5 to 50) suppressed.
#[derive(Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub key: String,
    pub k: usize,
}

impl std::fmt::Debug for ExportRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportRequest")
            .field("k", &self.k)
            .finish_non_exhaustive()
    }
}

impl ExportRequestInput {
    pub fn parse(&self) -> Result<ExportRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.key.chars().count() < 12 {
            e.push("key", "error-export-key");
        }
        let k = self
            .k
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|k| (5..=50).contains(k));
        match k {
            Some(k) if e.is_empty() => Ok(ExportRequest {
                key: self.key.clone(),
                k,
            }),
            Some(_) => Err(e),
            None => {
                e.push("k", "error-k");
                Err(e)
            }
        }
    }
}

/// Age at intake in ten-year bands matching the target group 25–64.
pub fn age_group(birth: Date, at: Date) -> &'static str {
    let mut age = at.year() - birth.year();
    if (at.month(), at.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    match age {
        i16::MIN..=24 => "<25",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

/// Whole months from intake to exit (or today), in bands.
pub fn months_band(intake: Date, until: Date) -> &'static str {
    let months = (i32::from(until.year()) - i32::from(intake.year())) * 12
        + i32::from(until.month())
        - i32::from(intake.month())
        - i32::from(until.day() < intake.day());
    match months {
        i32::MIN..=5 => "0-5",
        6..=11 => "6-11",
        12..=23 => "12-23",
        _ => "24+",
    }
}

/// Recorded minutes as hours, in bands.
pub fn hours_band(minutes: i64) -> &'static str {
    match (minutes + 30) / 60 {
        i64::MIN..=0 => "0",
        1..=9 => "1-9",
        10..=49 => "10-49",
        50..=99 => "50-99",
        _ => "100+",
    }
}

/// Country of birth generalised to a world region (Swedish names as the
/// intake form takes them; anything unknown is "other").
pub fn region(country: Option<&str>) -> &'static str {
    let c = country.unwrap_or("").trim().to_lowercase();
    const AFRICA: &[&str] = &[
        "somalia", "eritrea", "etiopien", "marocko", "egypten", "sudan", "nigeria", "kenya",
        "gambia", "kongo", "algeriet", "tunisien", "uganda",
    ];
    const MIDDLE_EAST: &[&str] = &[
        "syrien",
        "irak",
        "iran",
        "libanon",
        "jordanien",
        "palestina",
        "turkiet",
        "jemen",
        "kuwait",
        "saudiarabien",
    ];
    const ASIA: &[&str] = &[
        "afghanistan",
        "pakistan",
        "indien",
        "bangladesh",
        "thailand",
        "vietnam",
        "kina",
        "filippinerna",
        "sri lanka",
        "myanmar",
        "mongoliet",
    ];
    const EUROPE: &[&str] = &[
        "bosnien och hercegovina",
        "polen",
        "rumänien",
        "serbien",
        "kosovo",
        "ukraina",
        "ryssland",
        "grekland",
        "bulgarien",
        "kroatien",
        "albanien",
        "finland",
    ];
    const AMERICAS: &[&str] = &[
        "chile",
        "colombia",
        "peru",
        "brasilien",
        "bolivia",
        "ecuador",
        "venezuela",
        "mexiko",
    ];
    if AFRICA.contains(&c.as_str()) {
        "africa"
    } else if MIDDLE_EAST.contains(&c.as_str()) {
        "middle_east"
    } else if ASIA.contains(&c.as_str()) {
        "asia"
    } else if EUROPE.contains(&c.as_str()) {
        "europe"
    } else if AMERICAS.contains(&c.as_str()) {
        "americas"
    } else {
        "other"
    }
}

/// Suppress the quasi-identifiers of rows whose combination occurs fewer
/// than `k` times. Returns how many rows and distinct combinations were
/// suppressed. Suppressed values become "*".
pub fn suppress_small_cells(quasi: &mut [Vec<String>], k: usize) -> (usize, usize) {
    use std::collections::HashMap;
    let mut counts: HashMap<Vec<String>, usize> = HashMap::new();
    for q in quasi.iter() {
        *counts.entry(q.clone()).or_default() += 1;
    }
    let small: Vec<&Vec<String>> = counts
        .iter()
        .filter(|(_, n)| **n < k)
        .map(|(q, _)| q)
        .collect();
    let groups = small.len();
    let small: std::collections::HashSet<Vec<String>> = small.into_iter().cloned().collect();
    let mut rows = 0;
    for q in quasi.iter_mut() {
        if small.contains(q) {
            for v in q.iter_mut() {
                *v = "*".into();
            }
            rows += 1;
        }
    }
    (rows, groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ages_and_regions_are_generalised() {
        assert_eq!(age_group(date(1980, 6, 15), date(2020, 6, 14)), "35-44");
        assert_eq!(age_group(date(1980, 6, 15), date(2020, 6, 15)), "35-44");
        assert_eq!(age_group(date(1995, 1, 1), date(2020, 1, 1)), "25-34");
        assert_eq!(age_group(date(1996, 1, 2), date(2020, 1, 1)), "<25");
        assert_eq!(region(Some("Somalia")), "africa");
        assert_eq!(region(Some("Syrien")), "middle_east");
        assert_eq!(region(Some("Bosnien och Hercegovina")), "europe");
        assert_eq!(region(None), "other");
        assert_eq!(months_band(date(2025, 1, 15), date(2025, 7, 14)), "0-5");
        assert_eq!(months_band(date(2025, 1, 15), date(2025, 7, 15)), "6-11");
        assert_eq!(months_band(date(2024, 1, 15), date(2026, 1, 15)), "24+");
        assert_eq!(hours_band(0), "0");
        assert_eq!(hours_band(29), "0");
        assert_eq!(hours_band(30), "1-9");
        assert_eq!(hours_band(600), "10-49");
        assert_eq!(hours_band(6000), "100+");
    }

    #[test]
    fn small_cells_are_suppressed_and_counted() {
        let row = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        let mut q = vec![
            row("25-34", "africa"),
            row("25-34", "africa"),
            row("25-34", "africa"),
            row("55-64", "europe"),
            row("35-44", "asia"),
        ];
        let (rows, groups) = suppress_small_cells(&mut q, 2);
        assert_eq!((rows, groups), (2, 2));
        assert_eq!(q[0], row("25-34", "africa"));
        assert_eq!(q[3], row("*", "*"));
        let mut all = q.clone();
        assert_eq!(suppress_small_cells(&mut all, 1), (0, 0));
    }
}
