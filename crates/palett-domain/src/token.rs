//! A personal API token's limits (issue 17): read-only or not, the areas
//! of the API it reaches (the OpenAPI document's tags, as
//! [`area_of_tag`] names them; none named = every area), and the day it
//! ends. A token always ends: [`DEFAULT_DAYS`] unless asked otherwise, at
//! most [`MAX_DAYS`].

use crate::values::{code, parse_flag, required_text, text_input, TextKind};
use crate::FieldErrors;

/// How long a token lasts when no time is given.
pub const DEFAULT_DAYS: i64 = 90;
/// The longest a token may last (also what tokens made before limits
/// existed were given, counted from their creation).
pub const MAX_DAYS: i64 = 365;
/// A token's lifetime out of range (1 to [`MAX_DAYS`] days).
pub const DAYS_ERROR: &str = "error-token-days";

/// The area of the API an OpenAPI tag names: lower case, spaces as `_`
/// (`data protection` is the area `data_protection`).
pub fn area_of_tag(tag: &str) -> String {
    tag.trim().to_lowercase().replace(' ', "_")
}

text_input!(
    /// A token as asked for: its name, whether it may only read, the areas
    /// it is limited to (none: all) and how many days it lasts (empty:
    /// [`DEFAULT_DAYS`]).
    TokenInput {
        name,
        read_only,
        areas: Vec<String>,
        days,
    }
);

/// What a token may do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenScope {
    /// Only safe methods (GET, HEAD, OPTIONS).
    pub read_only: bool,
    /// The areas it reaches; empty: every area.
    pub areas: Vec<String>,
}

/// A valid token's limits: what it may do and when it ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenLimit {
    pub scope: TokenScope,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A token asked for by a token wider than itself.
pub const WIDER_ERROR: &str = "error-token-wider";

/// Why a token may not make a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScopeRefusal {
    /// A change with a read-only token.
    ReadOnly,
    /// The request's area (`None`: it is in no area of the API) is not
    /// among the token's.
    OutsideAreas(Option<String>),
}

impl TokenScope {
    /// Whether a request (a change or not, in this area of the API or in
    /// none) is within the token's limits.
    pub fn allows(&self, changes: bool, area: Option<&str>) -> Result<(), ScopeRefusal> {
        if changes && self.read_only {
            return Err(ScopeRefusal::ReadOnly);
        }
        if self.areas.is_empty() || area.is_some_and(|a| self.areas.iter().any(|x| x == a)) {
            return Ok(());
        }
        Err(ScopeRefusal::OutsideAreas(area.map(str::to_string)))
    }

    /// Whether a token with this scope may make one with `other`: no
    /// wider (read-only if this is, within its areas if it has any).
    pub fn covers(&self, other: &TokenScope) -> bool {
        (other.read_only || !self.read_only)
            && (self.areas.is_empty()
                || (!other.areas.is_empty() && other.areas.iter().all(|a| self.areas.contains(a))))
    }

    /// The areas as stored: `",a,b,"`, or empty for all.
    pub fn stored_areas(&self) -> String {
        if self.areas.is_empty() {
            String::new()
        } else {
            format!(",{},", self.areas.join(","))
        }
    }

    /// The areas from their stored form.
    pub fn areas_from_stored(s: &str) -> Vec<String> {
        s.split(',')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// A token to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub scope: TokenScope,
    pub days: i64,
}

impl TokenInput {
    /// Parse against the areas the API has (`known`).
    pub fn parse(&self, known: &[String]) -> Result<NewToken, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::line(100)));
        let read_only = e.take("read_only", parse_flag(&self.read_only));
        let mut areas: Vec<String> = Vec::new();
        for a in self
            .areas
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            if !known.iter().any(|k| k == a) {
                e.push("areas", code::CHOICE);
                break;
            }
            if !areas.iter().any(|x| x == a) {
                areas.push(a.to_string());
            }
        }
        let days = match self.days.trim() {
            "" => Some(DEFAULT_DAYS),
            d => match d.parse::<i64>() {
                Ok(n) if (1..=MAX_DAYS).contains(&n) => Some(n),
                _ => {
                    e.push("days", DAYS_ERROR);
                    None
                }
            },
        };
        match (name, read_only, days) {
            (Some(name), Some(read_only), Some(days)) if e.is_empty() => Ok(NewToken {
                name,
                scope: TokenScope { read_only, areas },
                days,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["projects".into(), "participants".into()]
    }

    fn input(read_only: &str, areas: &[&str], days: &str) -> TokenInput {
        TokenInput {
            name: "Rapport".into(),
            read_only: read_only.into(),
            areas: areas.iter().map(|a| a.to_string()).collect(),
            days: days.into(),
        }
    }

    #[test]
    fn a_token_lasts_ninety_days_unless_asked_and_a_year_at_most() {
        let t = input("", &[], "").parse(&known()).expect("valid");
        assert_eq!(
            (t.days, t.scope, t.name.as_str()),
            (90, TokenScope::default(), "Rapport")
        );
        assert_eq!(
            input("", &[], "365").parse(&known()).ok().map(|t| t.days),
            Some(365)
        );
        for bad in ["0", "366", "-1", "ett år", "1.5"] {
            let e = input("", &[], bad).parse(&known()).expect_err(bad);
            assert_eq!(e.for_field("days"), Some(DAYS_ERROR), "{bad}");
        }
    }

    #[test]
    fn areas_must_be_the_apis_own() {
        let t = input("true", &["projects", "projects"], "7")
            .parse(&known())
            .expect("valid");
        assert_eq!(
            t.scope,
            TokenScope {
                read_only: true,
                areas: vec!["projects".into()]
            }
        );
        let e = input("", &["admin"], "")
            .parse(&known())
            .expect_err("unknown");
        assert_eq!(e.for_field("areas"), Some(code::CHOICE));
    }

    #[test]
    fn the_scope_refuses_changes_when_read_only_and_other_areas() {
        let ro = TokenScope {
            read_only: true,
            areas: vec![],
        };
        assert_eq!(ro.allows(false, Some("participants")), Ok(()));
        assert_eq!(
            ro.allows(true, Some("participants")),
            Err(ScopeRefusal::ReadOnly)
        );
        let area = TokenScope {
            read_only: false,
            areas: vec!["projects".into()],
        };
        assert_eq!(area.allows(true, Some("projects")), Ok(()));
        assert_eq!(
            area.allows(false, Some("participants")),
            Err(ScopeRefusal::OutsideAreas(Some("participants".into())))
        );
        assert_eq!(
            area.allows(false, None),
            Err(ScopeRefusal::OutsideAreas(None))
        );
        assert_eq!(
            TokenScope::areas_from_stored(&area.stored_areas()),
            area.areas
        );
        assert_eq!(TokenScope::default().stored_areas(), "");
        assert_eq!(area_of_tag("data protection"), "data_protection");
        assert!(TokenScope::default().covers(&area));
        assert!(area.covers(&area) && !area.covers(&TokenScope::default()));
        assert!(!ro.covers(&area) && ro.covers(&ro));
    }
}
