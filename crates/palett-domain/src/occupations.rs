//! The occupation catalogue: Arbetsförmedlingen's occupation areas
//! (yrkesområden) and the unit groups of the Swedish Standard
//! Classification of Occupations, SSYK 2012, each in one area. Shipped as
//! the data files `data/occupations/areas.csv` and `ssyk2012.csv` (their
//! README names the sources), compiled in and read once.

use std::sync::OnceLock;

/// An occupation area (yrkesområde).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Area {
    /// palett's stable code, e.g. `sales`.
    pub code: String,
    /// The JobTech Taxonomy concept id.
    pub taxonomy_id: String,
    pub name_sv: String,
    pub name_en: String,
}

impl Area {
    /// The area's name in the language with code `lang` (`sv` or `en`).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_sv
        }
    }
}

/// A unit group (yrkesgrupp) of SSYK 2012.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct UnitGroup {
    /// The four-digit code, e.g. `5223`.
    pub ssyk: String,
    /// Its name as Statistics Sweden gives it (Swedish).
    pub name_sv: String,
    /// The code of its occupation area.
    pub area: String,
}

struct Catalogue {
    areas: Vec<Area>,
    groups: Vec<UnitGroup>,
}

const AREAS_CSV: &str = include_str!("../../../data/occupations/areas.csv");
const GROUPS_CSV: &str = include_str!("../../../data/occupations/ssyk2012.csv");

fn read<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        // The files are part of the build and checked by the tests below.
        .unwrap_or_default()
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let areas = read::<Area>(AREAS_CSV);
        let mut groups = read::<UnitGroup>(GROUPS_CSV);
        groups.sort_by(|a, b| a.ssyk.cmp(&b.ssyk));
        Catalogue { areas, groups }
    })
}

/// Every occupation area, in the file's order.
pub fn areas() -> &'static [Area] {
    &catalogue().areas
}

/// Every unit group, by code.
pub fn groups() -> &'static [UnitGroup] {
    &catalogue().groups
}

/// The unit group with this code.
pub fn group(ssyk: &str) -> Option<&'static UnitGroup> {
    let g = groups();
    g.binary_search_by(|u| u.ssyk.as_str().cmp(ssyk))
        .ok()
        .map(|i| &g[i])
}

/// The occupation area with this code.
pub fn area(code: &str) -> Option<&'static Area> {
    areas().iter().find(|a| a.code == code)
}

/// A unit group chosen by its code: required, and one of the catalogue's.
pub fn parse_group(input: &str) -> Result<&'static UnitGroup, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err(crate::values::code::REQUIRED);
    }
    group(t).ok_or(crate::values::code::CHOICE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_data_files_are_complete_and_consistent() {
        // Every row read (a row that does not parse would be lost).
        let rows = |text: &str| text.lines().skip(1).filter(|l| !l.is_empty()).count();
        assert_eq!(areas().len(), rows(AREAS_CSV), "every area row parses");
        let group_rows = csv::Reader::from_reader(GROUPS_CSV.as_bytes())
            .records()
            .count();
        assert_eq!(groups().len(), group_rows, "every group row parses");
        assert!(areas().len() >= 20, "Arbetsförmedlingen's areas");
        assert!(groups().len() >= 400, "SSYK 2012's unit groups");
        let codes: HashSet<&str> = areas().iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes.len(), areas().len(), "area codes are unique");
        let mut seen = HashSet::new();
        for g in groups() {
            assert!(
                g.ssyk.len() == 4 && g.ssyk.chars().all(|c| c.is_ascii_digit()),
                "{g:?}"
            );
            assert!(seen.insert(g.ssyk.as_str()), "{} twice", g.ssyk);
            assert!(!g.name_sv.trim().is_empty(), "{g:?}");
            assert!(codes.contains(g.area.as_str()), "{g:?}: unknown area");
        }
        for a in areas() {
            assert!(!a.name_sv.is_empty() && !a.name_en.is_empty(), "{a:?}");
            assert!(
                groups().iter().any(|g| g.area == a.code),
                "{} has no group",
                a.code
            );
        }
    }

    #[test]
    fn a_group_is_found_by_its_code() {
        let shop = group("5223").expect("shop sales assistants");
        assert!(shop.name_sv.starts_with("Butikssäljare"), "{shop:?}");
        assert_eq!(parse_group(" 5223 "), Ok(shop));
        assert_eq!(parse_group(""), Err("error-required"));
        assert_eq!(parse_group("9999"), Err("error-choice"));
        assert_eq!(parse_group("52"), Err("error-choice"));
    }
}
