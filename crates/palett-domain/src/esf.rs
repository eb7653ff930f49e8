//! The ESF+ common output indicators for participants (Regulation (EU)
//! 2021/1057, Annex I), computed from what palett holds about those who
//! entered in a period. Where palett holds no data, or a participant's
//! value is missing, the indicator says "unknown" rather than guessing.
//! These read her situation at entry only; what became of her after is
//! the before-and-after report's, where only a follow-up done counts and
//! one closed as not reached is unknown.

use crate::followup::LabourStatus;
use crate::values::{EducationLevel, Gender};

/// Entrants sharing the facts the indicators read, and how many they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrantGroup {
    pub gender: Gender,
    pub education: EducationLevel,
    pub labour: LabourStatus,
    /// Age at entry; `None` when unknown.
    pub age: Option<i16>,
    /// Born outside Sweden; `None` when the country of birth is unknown.
    pub foreign_born: Option<bool>,
    pub count: i64,
}

/// One indicator: how many it counts (`None`: palett holds no data for
/// it), split by gender, and how many entrants it could not judge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EsfRow {
    /// The Fluent id of its name (`esf-…`).
    pub key: &'static str,
    pub total: Option<i64>,
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub other_gender: Option<i64>,
    pub unknown: i64,
}

/// `Some(true/false)` when the group's value is known, `None` when not.
type Test = fn(&EntrantGroup) -> Option<bool>;

fn labour(g: &EntrantGroup, yes: &[LabourStatus]) -> Option<bool> {
    (g.labour != LabourStatus::Unknown).then(|| yes.contains(&g.labour))
}

fn isced(g: &EntrantGroup, yes: &[EducationLevel]) -> Option<bool> {
    (g.education != EducationLevel::Unknown).then(|| yes.contains(&g.education))
}

const INDICATORS: &[(&str, Option<Test>)] = &[
    ("esf-total", Some(|_| Some(true))),
    (
        "esf-unemployed",
        Some(|g| {
            labour(
                g,
                &[LabourStatus::Unemployed, LabourStatus::LongTermUnemployed],
            )
        }),
    ),
    (
        "esf-long-term-unemployed",
        Some(|g| labour(g, &[LabourStatus::LongTermUnemployed])),
    ),
    // Those in education count as inactive.
    (
        "esf-inactive",
        Some(|g| labour(g, &[LabourStatus::Inactive, LabourStatus::InEducation])),
    ),
    (
        "esf-employed",
        Some(|g| labour(g, &[LabourStatus::Employed])),
    ),
    (
        "esf-age-18-29",
        Some(|g| g.age.map(|a| (18..=29).contains(&a))),
    ),
    ("esf-age-55", Some(|g| g.age.map(|a| a >= 55))),
    (
        "esf-isced-0-2",
        Some(|g| {
            isced(
                g,
                &[
                    EducationLevel::None,
                    EducationLevel::Primary,
                    EducationLevel::LowerSecondary,
                ],
            )
        }),
    ),
    (
        "esf-isced-3-4",
        Some(|g| {
            isced(
                g,
                &[
                    EducationLevel::UpperSecondary,
                    EducationLevel::PostSecondary,
                ],
            )
        }),
    ),
    (
        "esf-isced-5-8",
        Some(|g| isced(g, &[EducationLevel::Tertiary])),
    ),
    ("esf-foreign-background", Some(|g| g.foreign_born)),
    // palett does not hold these: reported as unknown for everyone.
    ("esf-third-country", None),
    ("esf-disabilities", None),
    ("esf-minorities", None),
    ("esf-homeless", None),
    ("esf-rural", None),
];

/// The indicators over the entrants, in the Annex's order.
pub fn common_output_indicators(groups: &[EntrantGroup]) -> Vec<EsfRow> {
    let all: i64 = groups.iter().map(|g| g.count).sum();
    INDICATORS
        .iter()
        .map(|(key, test)| match test {
            None => EsfRow {
                key,
                total: None,
                women: None,
                men: None,
                other_gender: None,
                unknown: all,
            },
            Some(test) => {
                let (mut total, mut women, mut men, mut other, mut unknown) = (0, 0, 0, 0, 0);
                for g in groups {
                    match test(g) {
                        None => unknown += g.count,
                        Some(false) => {}
                        Some(true) => {
                            total += g.count;
                            match g.gender {
                                Gender::Woman => women += g.count,
                                Gender::Man => men += g.count,
                                _ => other += g.count,
                            }
                        }
                    }
                }
                EsfRow {
                    key,
                    total: Some(total),
                    women: Some(women),
                    men: Some(men),
                    other_gender: Some(other),
                    unknown,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(
        gender: Gender,
        education: EducationLevel,
        labour: LabourStatus,
        age: Option<i16>,
        foreign_born: Option<bool>,
        count: i64,
    ) -> EntrantGroup {
        EntrantGroup {
            gender,
            education,
            labour,
            age,
            foreign_born,
            count,
        }
    }

    #[test]
    fn indicators_count_what_is_known_and_say_what_is_not() {
        use EducationLevel as E;
        use LabourStatus as L;
        let groups = [
            g(
                Gender::Woman,
                E::Primary,
                L::LongTermUnemployed,
                Some(35),
                Some(true),
                10,
            ),
            g(
                Gender::Woman,
                E::Tertiary,
                L::InEducation,
                Some(28),
                Some(true),
                4,
            ),
            g(Gender::Man, E::Unknown, L::Unemployed, Some(56), None, 3),
            g(
                Gender::Unknown,
                E::UpperSecondary,
                L::Unknown,
                None,
                Some(false),
                2,
            ),
        ];
        let rows = common_output_indicators(&groups);
        let get = |key: &str| rows.iter().find(|r| r.key == key).cloned().expect(key);
        let t = |r: EsfRow| (r.total, r.women, r.men, r.other_gender, r.unknown);
        assert_eq!(
            t(get("esf-total")),
            (Some(19), Some(14), Some(3), Some(2), 0)
        );
        assert_eq!(
            t(get("esf-unemployed")),
            (Some(13), Some(10), Some(3), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-long-term-unemployed")),
            (Some(10), Some(10), Some(0), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-inactive")),
            (Some(4), Some(4), Some(0), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-employed")),
            (Some(0), Some(0), Some(0), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-age-18-29")),
            (Some(4), Some(4), Some(0), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-age-55")),
            (Some(3), Some(0), Some(3), Some(0), 2)
        );
        assert_eq!(
            t(get("esf-isced-0-2")),
            (Some(10), Some(10), Some(0), Some(0), 3)
        );
        assert_eq!(
            t(get("esf-isced-3-4")),
            (Some(2), Some(0), Some(0), Some(2), 3)
        );
        assert_eq!(
            t(get("esf-isced-5-8")),
            (Some(4), Some(4), Some(0), Some(0), 3)
        );
        assert_eq!(
            t(get("esf-foreign-background")),
            (Some(14), Some(14), Some(0), Some(0), 3)
        );
        assert_eq!(t(get("esf-disabilities")), (None, None, None, None, 19));
        assert_eq!(rows.len(), 16);
    }
}
