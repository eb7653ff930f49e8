//! Matching participants and openings, with reasons, never a black box.
//!
//! Each pair of a participant and an opening is assessed on what is known
//! of both, and every point of its score comes with the reason a person
//! reads beside it:
//!
//! | what | reason | points |
//! |---|---|---|
//! | her plan names the opening's occupation area | interested | +3 |
//! | her plan names other areas only | other interests | 0 |
//! | her plan names no area | no interests | 0 |
//! | she has had a placement in the area before | earlier in the area | +1 |
//! | her Swedish meets what the opening asks | Swedish meets | +2 |
//! | her Swedish is below it | Swedish below | −2 |
//! | her Swedish is not known, and some is asked | Swedish unknown | 0 |
//! | the opening asks for no particular Swedish | none asked | 0 |
//! | her plan names the employer's municipality among those she can reach | within reach | +1 |
//! | her plan names other municipalities only | out of reach | −1 |
//! | her plan names no municipality | place unknown | 0 |
//! | she is paused | paused | −3 |
//! | another placement of hers overlaps the opening's period | placed elsewhere | −2 |
//! | her planned end is before the opening starts | ends before | −2 |
//! | her planned end is before the opening ends | ends during | −1 |
//! | otherwise | available | +1 |
//!
//! Lists are ordered by score, highest first; ties by the earlier start of
//! the opening (undated last) and then the lower id, so the order is the
//! same every time. Who may be proposed at all (her employer-contact
//! consent in force, the caller's access) is decided before, by the store
//! and the policy; this module only orders and explains.

use crate::values::SwedishLevel;
use jiff::civil::Date;

/// What is known of one pair of a participant and an opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// `Some(true)`: her plan names the opening's area; `Some(false)`:
    /// other areas only; `None`: no area.
    pub interested: Option<bool>,
    /// `Some(true)`: the employer's municipality is among those her plan
    /// says she can reach; `Some(false)`: her plan names others only;
    /// `None`: it names none.
    pub reach: Option<bool>,
    pub her_swedish: SwedishLevel,
    /// The least Swedish the opening asks for.
    pub asked_swedish: Option<SwedishLevel>,
    pub paused: bool,
    /// She has had a placement in the opening's occupation area.
    pub earlier_in_area: bool,
    /// A placement of hers overlaps the opening's period (or, for an
    /// opening without dates, is under way).
    pub placed_elsewhere: bool,
    /// Her planned end of the programme.
    pub planned_end: Option<Date>,
    pub opening_start: Option<Date>,
    pub opening_end: Option<Date>,
}

/// One reason behind a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    Interested,
    OtherInterests,
    NoInterests,
    EarlierInArea,
    SwedishMeets,
    SwedishBelow,
    SwedishUnknown,
    NoSwedishAsked,
    WithinReach,
    OutOfReach,
    PlaceUnknown,
    Paused,
    PlacedElsewhere,
    EndsBefore,
    EndsDuring,
    Available,
}

impl Reason {
    pub const ALL: [Reason; 16] = [
        Reason::Interested,
        Reason::OtherInterests,
        Reason::NoInterests,
        Reason::EarlierInArea,
        Reason::SwedishMeets,
        Reason::SwedishBelow,
        Reason::SwedishUnknown,
        Reason::NoSwedishAsked,
        Reason::WithinReach,
        Reason::OutOfReach,
        Reason::PlaceUnknown,
        Reason::Paused,
        Reason::PlacedElsewhere,
        Reason::EndsBefore,
        Reason::EndsDuring,
        Reason::Available,
    ];

    /// Its points in the score.
    pub fn points(self) -> i32 {
        match self {
            Reason::Interested => 3,
            Reason::SwedishMeets => 2,
            Reason::Available | Reason::EarlierInArea | Reason::WithinReach => 1,
            Reason::OtherInterests
            | Reason::NoInterests
            | Reason::SwedishUnknown
            | Reason::NoSwedishAsked
            | Reason::PlaceUnknown => 0,
            Reason::EndsDuring | Reason::OutOfReach => -1,
            Reason::SwedishBelow | Reason::EndsBefore | Reason::PlacedElsewhere => -2,
            Reason::Paused => -3,
        }
    }

    /// Stable text, the JSON API's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Interested => "interested",
            Reason::OtherInterests => "other_interests",
            Reason::NoInterests => "no_interests",
            Reason::EarlierInArea => "earlier_in_area",
            Reason::SwedishMeets => "swedish_meets",
            Reason::SwedishBelow => "swedish_below",
            Reason::SwedishUnknown => "swedish_unknown",
            Reason::NoSwedishAsked => "no_swedish_asked",
            Reason::WithinReach => "within_reach",
            Reason::OutOfReach => "out_of_reach",
            Reason::PlaceUnknown => "place_unknown",
            Reason::Paused => "paused",
            Reason::PlacedElsewhere => "placed_elsewhere",
            Reason::EndsBefore => "ends_before",
            Reason::EndsDuring => "ends_during",
            Reason::Available => "available",
        }
    }

    /// The Fluent message id of its explanation.
    pub fn message_id(self) -> String {
        format!("match-{}", self.as_str().replace('_', "-"))
    }
}

/// The key two spellings of a municipality's name are compared by: trimmed
/// and in lower case, so that "Södertälje" and "SÖDERTÄLJE " are one place.
pub fn place_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The order of Swedish levels; `None` for unknown.
fn rank(l: SwedishLevel) -> Option<u8> {
    match l {
        SwedishLevel::Unknown => None,
        SwedishLevel::None => Some(0),
        SwedishLevel::Beginner => Some(1),
        SwedishLevel::Intermediate => Some(2),
        SwedishLevel::Fluent => Some(3),
    }
}

/// A pair's score and its reasons, in the order of the table above.
pub fn assess(p: &Pair) -> (i32, Vec<Reason>) {
    let mut reasons = vec![match p.interested {
        Some(true) => Reason::Interested,
        Some(false) => Reason::OtherInterests,
        None => Reason::NoInterests,
    }];
    if p.earlier_in_area {
        reasons.push(Reason::EarlierInArea);
    }
    reasons.push(match p.asked_swedish.and_then(rank) {
        None => Reason::NoSwedishAsked,
        Some(asked) => match rank(p.her_swedish) {
            None => Reason::SwedishUnknown,
            Some(hers) if hers >= asked => Reason::SwedishMeets,
            Some(_) => Reason::SwedishBelow,
        },
    });
    reasons.push(match p.reach {
        Some(true) => Reason::WithinReach,
        Some(false) => Reason::OutOfReach,
        None => Reason::PlaceUnknown,
    });
    let mut available = true;
    if p.paused {
        reasons.push(Reason::Paused);
        available = false;
    }
    if p.placed_elsewhere {
        reasons.push(Reason::PlacedElsewhere);
        available = false;
    }
    if let Some(end) = p.planned_end {
        if p.opening_start.is_some_and(|s| end < s) {
            reasons.push(Reason::EndsBefore);
            available = false;
        } else if p.opening_end.is_some_and(|e| end < e) {
            reasons.push(Reason::EndsDuring);
            available = false;
        }
    }
    if available {
        reasons.push(Reason::Available);
    }
    (reasons.iter().map(|r| r.points()).sum(), reasons)
}

/// One row of a ranked list: the id of the other side (a participant for
/// an opening, an opening for a participant), its score and reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub id: i64,
    pub score: i32,
    pub reasons: Vec<Reason>,
}

/// Rank the other sides of `pairs` (id, the opening's start, the pair):
/// score first, then the earlier start (undated last), then the lower id.
pub fn rank_pairs(pairs: &[(i64, Option<Date>, Pair)]) -> Vec<Match> {
    let mut scored: Vec<(Match, Option<Date>)> = pairs
        .iter()
        .map(|(id, start, p)| {
            let (score, reasons) = assess(p);
            (
                Match {
                    id: *id,
                    score,
                    reasons,
                },
                *start,
            )
        })
        .collect();
    scored.sort_by(|(a, sa), (b, sb)| {
        b.score
            .cmp(&a.score)
            .then_with(|| match (sa, sb) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    scored.into_iter().map(|(m, _)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use Reason::*;
    use SwedishLevel as S;

    fn pair() -> Pair {
        Pair {
            interested: None,
            reach: None,
            her_swedish: S::Unknown,
            asked_swedish: None,
            paused: false,
            earlier_in_area: false,
            placed_elsewhere: false,
            planned_end: None,
            opening_start: Some(date(2027, 1, 10)),
            opening_end: Some(date(2027, 2, 12)),
        }
    }

    /// Each row computed by hand from the table in the module's comment.
    #[test]
    fn scores_and_reasons_by_hand() {
        let cases: Vec<(Pair, i32, Vec<Reason>)> = vec![
            (
                pair(),
                1,
                vec![NoInterests, NoSwedishAsked, PlaceUnknown, Available],
            ),
            (
                Pair {
                    interested: Some(true),
                    her_swedish: S::Intermediate,
                    asked_swedish: Some(S::Beginner),
                    ..pair()
                },
                3 + 2 + 1,
                vec![Interested, SwedishMeets, PlaceUnknown, Available],
            ),
            (
                Pair {
                    interested: Some(false),
                    her_swedish: S::None,
                    asked_swedish: Some(S::Beginner),
                    ..pair()
                },
                -2 + 1,
                vec![OtherInterests, SwedishBelow, PlaceUnknown, Available],
            ),
            (
                Pair {
                    asked_swedish: Some(S::Fluent),
                    paused: true,
                    planned_end: Some(date(2027, 1, 9)),
                    ..pair()
                },
                -3 - 2,
                vec![
                    NoInterests,
                    SwedishUnknown,
                    PlaceUnknown,
                    Paused,
                    EndsBefore,
                ],
            ),
            (
                Pair {
                    interested: Some(true),
                    her_swedish: S::Fluent,
                    asked_swedish: Some(S::Fluent),
                    planned_end: Some(date(2027, 2, 1)),
                    ..pair()
                },
                3 + 2 - 1,
                vec![Interested, SwedishMeets, PlaceUnknown, EndsDuring],
            ),
            (
                Pair {
                    interested: Some(true),
                    earlier_in_area: true,
                    placed_elsewhere: true,
                    ..pair()
                },
                3 + 1 - 2,
                vec![
                    Interested,
                    EarlierInArea,
                    NoSwedishAsked,
                    PlaceUnknown,
                    PlacedElsewhere,
                ],
            ),
            // Her plan names the employer's municipality, or others only.
            (
                Pair {
                    reach: Some(true),
                    ..pair()
                },
                1 + 1,
                vec![NoInterests, NoSwedishAsked, WithinReach, Available],
            ),
            (
                Pair {
                    interested: Some(true),
                    reach: Some(false),
                    ..pair()
                },
                3 - 1 + 1,
                vec![Interested, NoSwedishAsked, OutOfReach, Available],
            ),
            // An opening asking for "unknown" asks for nothing in particular.
            (
                Pair {
                    asked_swedish: Some(S::Unknown),
                    planned_end: Some(date(2027, 2, 12)),
                    ..pair()
                },
                1,
                vec![NoInterests, NoSwedishAsked, PlaceUnknown, Available],
            ),
        ];
        for (p, score, reasons) in cases {
            assert_eq!(assess(&p), (score, reasons), "{p:?}");
        }
    }

    #[test]
    fn places_are_one_whatever_their_case_and_spaces() {
        assert_eq!(place_key(" SÖDERTÄLJE "), place_key("Södertälje"));
        assert_ne!(place_key("Botkyrka"), place_key("Huddinge"));
    }

    #[test]
    fn the_order_is_by_score_then_start_then_id() {
        let interested = Pair {
            interested: Some(true),
            ..pair()
        };
        let pairs = vec![
            (5, Some(date(2027, 3, 1)), interested.clone()), // 4
            (2, None, interested.clone()),                   // 4, undated
            (9, Some(date(2027, 1, 1)), interested.clone()), // 4, earliest
            (1, Some(date(2027, 1, 1)), pair()),             // 1
            (3, Some(date(2027, 3, 1)), interested),         // 4, same start as 5
            (4, Some(date(2027, 1, 1)), pair()),             // 1, same as 1
        ];
        let order: Vec<(i64, i32)> = rank_pairs(&pairs)
            .into_iter()
            .map(|m| (m.id, m.score))
            .collect();
        assert_eq!(order, vec![(9, 4), (3, 4), (5, 4), (2, 4), (1, 1), (4, 1)]);
        // The same input in another order gives the same list.
        let mut reversed = pairs.clone();
        reversed.reverse();
        assert_eq!(rank_pairs(&reversed), rank_pairs(&pairs));
    }
}
