//! The commands of administration and the partnership's own settings:
//! organisations and their membership periods, users and their roles,
//! projects and goals. As in [`crate::path`], each comes as submitted
//! (`…Input`, every field text) and parsed (what the use case takes).

use crate::indicators::{Indicator, Unit};
use crate::policy::Role;
use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_date, parse_new_password,
    parse_optional_date, required_text, text_input, Email, OrgNumber, OrganisationKind, Period,
    TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;

/// One responsibility area per line, blank lines dropped.
fn parse_areas(s: &str) -> Result<Vec<String>, &'static str> {
    Ok(optional_text(s, TextKind::LINES)?
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

/// Roles as chosen (blank entries ignored, each role once).
pub fn parse_roles(v: &[String]) -> Result<Vec<Role>, &'static str> {
    let mut out = Vec::new();
    for s in v.iter().filter(|s| !s.trim().is_empty()) {
        let r = Role::parse(s.trim()).ok_or(code::CHOICE)?;
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The roles chosen on the roles form (field `roles`).
pub fn parse_role_choice(v: &[String]) -> Result<Vec<Role>, FieldErrors> {
    parse_roles(v).map_err(|c| FieldErrors::single("roles", c))
}

text_input!(
    /// An organisation as submitted, with the period it joins the
    /// partnership (no join date: it does not join).
    OrganisationInput {
        name,
        kind,
        org_number,
        joined_on,
        left_on,
        /// One responsibility area per line.
        responsibility_areas,
    }
);

/// An organisation, and its membership when it joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub org_number: Option<OrgNumber>,
    /// `None`: the organisation is registered without joining.
    pub joins: Option<NewMembershipPeriod>,
}

/// A membership period: from `joined_on` until `left_on`, if set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMembershipPeriod {
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub responsibility_areas: Vec<String>,
}

impl OrganisationInput {
    pub fn parse(&self) -> Result<NewOrganisation, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::NAME));
        let kind = e.take("kind", parse_choice(&self.kind, OrganisationKind::parse));
        let number = e.take(
            "org_number",
            if self.org_number.trim().is_empty() {
                Ok(None)
            } else {
                OrgNumber::parse(&self.org_number).map(Some)
            },
        );
        let joined = e.take("joined_on", parse_optional_date(&self.joined_on));
        let left = e.take("left_on", parse_optional_date(&self.left_on));
        let areas = e.take(
            "responsibility_areas",
            parse_areas(&self.responsibility_areas),
        );
        if let (Some(Some(j)), Some(l)) = (joined, left) {
            if Period::new(j, l).is_err() {
                e.push("left_on", code::PERIOD);
            }
        }
        if matches!((joined, left), (Some(None), Some(Some(_)))) {
            e.push("joined_on", code::REQUIRED);
        }
        match (name, kind, number, joined, left, areas) {
            (
                Some(name),
                Some(kind),
                Some(org_number),
                Some(joined),
                Some(left_on),
                Some(areas),
            ) if e.is_empty() => Ok(NewOrganisation {
                name,
                kind,
                org_number,
                joins: joined.map(|joined_on| NewMembershipPeriod {
                    joined_on,
                    left_on,
                    responsibility_areas: areas,
                }),
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A membership period of an existing organisation, as submitted.
    MembershipInput {
        organisation_id,
        joined_on,
        left_on,
        responsibility_areas,
    }
);

/// A membership period of an existing organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMembership {
    pub organisation_id: i64,
    pub period: NewMembershipPeriod,
}

impl MembershipInput {
    pub fn parse(&self) -> Result<NewMembership, FieldErrors> {
        let mut e = FieldErrors::new();
        let org = e.take("organisation_id", parse_choice_id(&self.organisation_id));
        let joined = e.take("joined_on", parse_date(&self.joined_on));
        let left = e.take("left_on", parse_optional_date(&self.left_on));
        let areas = e.take(
            "responsibility_areas",
            parse_areas(&self.responsibility_areas),
        );
        if let (Some(j), Some(l)) = (joined, left) {
            if Period::new(j, l).is_err() {
                e.push("left_on", code::PERIOD);
            }
        }
        match (org, joined, left, areas) {
            (Some(organisation_id), Some(joined_on), Some(left_on), Some(responsibility_areas))
                if e.is_empty() =>
            {
                Ok(NewMembership {
                    organisation_id,
                    period: NewMembershipPeriod {
                        joined_on,
                        left_on,
                        responsibility_areas,
                    },
                })
            }
            _ => Err(e),
        }
    }
}

/// The day a membership ends (field `left_on`).
pub fn parse_left_on(s: &str) -> Result<Date, FieldErrors> {
    parse_date(s).map_err(|c| FieldErrors::single("left_on", c))
}

text_input!(
    /// A user as submitted: her sign-in, name, first password, organisation
    /// and roles.
    UserInput {
        email,
        display_name,
        password,
        organisation_id,
        roles: Vec<String>,
    }
);

/// A user to create. The password is checked for length and commonness,
/// not yet hashed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub password: String,
    pub organisation_id: i64,
    pub roles: Vec<Role>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("organisation_id", &self.organisation_id)
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

impl UserInput {
    pub fn parse(&self) -> Result<NewUser, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.take("email", Email::parse(&self.email));
        let name = e.take(
            "display_name",
            required_text(&self.display_name, TextKind::NAME),
        );
        let password = e.take("password", parse_new_password(&self.password));
        let org = e.take(
            "organisation_id",
            self.organisation_id
                .trim()
                .parse::<i64>()
                .map_err(|_| code::CHOICE),
        );
        let roles = e.take("roles", parse_roles(&self.roles));
        match (email, name, password, org, roles) {
            (
                Some(email),
                Some(display_name),
                Some(password),
                Some(organisation_id),
                Some(roles),
            ) => Ok(NewUser {
                email,
                display_name,
                password,
                organisation_id,
                roles,
            }),
            _ => Err(e),
        }
    }
}

/// Years a record is kept after her exit, 1 to 50 (field
/// `years_after_exit`).
pub fn parse_retention_years(s: &str) -> Result<i64, FieldErrors> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1..=50).contains(y))
        .ok_or_else(|| FieldErrors::single("years_after_exit", "error-retention-years"))
}

text_input!(
    /// What a funder report covers, as submitted: empty dates take the
    /// project's own period.
    ReportPeriodInput {
        from,
        to,
    }
);

/// What a funder report covers; `None` is the project's own start or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportPeriod {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl ReportPeriod {
    /// The project's own period.
    pub const WHOLE_PROJECT: Self = Self {
        from: None,
        to: None,
    };
}

impl ReportPeriodInput {
    pub fn parse(&self) -> Result<ReportPeriod, FieldErrors> {
        let mut e = FieldErrors::new();
        let from = e.take("from", parse_optional_date(&self.from));
        let to = e.take("to", parse_optional_date(&self.to));
        // Their order is checked by the report, once the project's own
        // start and end stand in for what is empty.
        match (from, to) {
            (Some(from), Some(to)) => Ok(ReportPeriod { from, to }),
            _ => Err(e),
        }
    }
}

/// A month as `YYYY-MM` (field `month`).
pub fn parse_month(s: &str) -> Result<crate::indicators::Month, FieldErrors> {
    crate::indicators::Month::parse(s.trim())
        .ok_or_else(|| FieldErrors::single("month", "error-month"))
}

text_input!(
    /// A project as submitted, every field text.
    ProjectInput {
        name,
        funder,
        start_date,
        end_date,
        participant_target,
        job_or_studies_target,
    }
);

/// A project: its name, funder, period and targets.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectSpec {
    pub name: String,
    pub funder: String,
    pub start: Date,
    pub end: Date,
    pub participant_target: Option<i64>,
    /// Percent.
    pub job_or_studies_target: Option<f64>,
}

fn parse_count(s: &str) -> Result<Option<i64>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=10_000_000).contains(n))
        .map(Some)
        .ok_or(code::NUMBER)
}

/// A number typed with a decimal comma or point and an optional `%`.
fn parse_number(s: &str, max: f64) -> Result<Option<f64>, &'static str> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=max).contains(v))
        .map(Some)
        .ok_or(code::NUMBER)
}

impl ProjectInput {
    /// Every field checked; the errors of all fields at once.
    pub fn parse(&self) -> Result<ProjectSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::NAME));
        let funder = e.take("funder", required_text(&self.funder, TextKind::LINE));
        let start = e.take("start_date", parse_date(&self.start_date));
        let end = e.take("end_date", parse_date(&self.end_date));
        let target = e.take("participant_target", parse_count(&self.participant_target));
        let share = e.take(
            "job_or_studies_target",
            parse_number(&self.job_or_studies_target, 100.0),
        );
        if let (Some(s), Some(en)) = (start, end) {
            if Period::new(s, Some(en)).is_err() {
                e.push("end_date", code::PERIOD);
            }
        }
        match (name, funder, start, end, target, share) {
            (Some(name), Some(funder), Some(start), Some(end), Some(target), Some(share))
                if e.is_empty() =>
            {
                Ok(ProjectSpec {
                    name,
                    funder,
                    start,
                    end,
                    participant_target: target,
                    job_or_studies_target: share,
                })
            }
            _ => Err(e),
        }
    }
}

text_input!(
    /// A goal as submitted, every field text.
    GoalInput {
        indicator,
        target,
        period_start,
        period_end,
    }
);

/// A goal: an indicator's target over a period.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalSpec {
    pub indicator: Indicator,
    pub target: f64,
    pub period_start: Date,
    pub period_end: Date,
}

impl GoalInput {
    /// A target is a non-negative number (at most 100 for a share).
    pub fn parse(&self) -> Result<GoalSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let indicator = e.take("indicator", parse_choice(&self.indicator, Indicator::parse));
        let target = e.take(
            "target",
            parse_number(&self.target, 10_000_000.0).and_then(|t| t.ok_or(code::REQUIRED)),
        );
        let start = e.take("period_start", parse_date(&self.period_start));
        let end = e.take("period_end", parse_date(&self.period_end));
        if let (Some(i), Some(t)) = (indicator, target) {
            if i.unit() == Unit::Percent && t > 100.0 {
                e.push("target", "error-percent");
            }
        }
        if let (Some(s), Some(en)) = (start, end) {
            if en < s {
                e.push("period_end", code::PERIOD);
            }
        }
        match (indicator, target, start, end) {
            (Some(indicator), Some(target), Some(period_start), Some(period_end))
                if e.is_empty() =>
            {
                Ok(GoalSpec {
                    indicator,
                    target,
                    period_start,
                    period_end,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;

    #[test]
    fn an_organisation_that_leaves_must_have_joined_first() {
        let leaves_only = OrganisationInput {
            name: "Hela Människan".into(),
            kind: "civil_society".into(),
            left_on: "2026-12-31".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(leaves_only.parse()),
            [("joined_on".into(), code::REQUIRED)]
        );
        let joins = OrganisationInput {
            joined_on: "2026-01-01".into(),
            responsibility_areas: "Praktik\n\n  Studiebesök ".into(),
            ..leaves_only.clone()
        };
        let o = joins.parse().expect("valid");
        assert_eq!(
            o.joins.map(|m| m.responsibility_areas),
            Some(vec!["Praktik".to_string(), "Studiebesök".to_string()])
        );
        let backwards = OrganisationInput {
            joined_on: "2027-01-01".into(),
            ..leaves_only
        };
        assert_eq!(codes(backwards.parse()), [("left_on".into(), code::PERIOD)]);
    }

    #[test]
    fn a_user_names_each_wrong_field_and_never_prints_her_password() {
        let bad = UserInput {
            email: "inte-en-adress".into(),
            display_name: String::new(),
            password: "kort".into(),
            organisation_id: "x".into(),
            roles: vec!["caseworker".into(), "chief".into()],
        };
        let fields: Vec<String> = codes(bad.parse()).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "email",
                "display_name",
                "password",
                "organisation_id",
                "roles"
            ]
        );
        let ok = UserInput {
            email: "Ada@Example.org".into(),
            display_name: "Ada Handläggare".into(),
            password: "en lång lösenfras om kaffe".into(),
            organisation_id: "3".into(),
            roles: vec!["caseworker".into(), "caseworker".into(), "".into()],
        };
        let u = ok.parse().expect("valid");
        assert_eq!(u.roles, [Role::Caseworker]);
        assert!(!format!("{u:?}").contains("kaffe"));
    }

    #[test]
    fn a_share_goal_is_at_most_a_hundred_percent() {
        let goal = |target: &str| GoalInput {
            indicator: "share_job_or_studies".into(),
            target: target.into(),
            period_start: "2026-01-01".into(),
            period_end: "2026-12-31".into(),
        };
        assert_eq!(goal("20 %").parse().map(|g| g.target), Ok(20.0));
        assert_eq!(goal("17,5").parse().map(|g| g.target), Ok(17.5));
        assert_eq!(
            codes(goal("120").parse()),
            [("target".into(), "error-percent")]
        );
        assert_eq!(codes(goal("").parse()), [("target".into(), code::REQUIRED)]);
    }

    #[test]
    fn a_project_ends_after_it_starts_and_its_share_is_a_percent() {
        let p = ProjectInput {
            name: "Tillväxt Kvinna".into(),
            funder: "ESF+".into(),
            start_date: "2027-01-01".into(),
            end_date: "2026-01-01".into(),
            participant_target: "100".into(),
            job_or_studies_target: "101".into(),
        };
        assert_eq!(
            codes(p.parse()),
            [
                ("job_or_studies_target".into(), code::NUMBER),
                ("end_date".into(), code::PERIOD)
            ]
        );
    }
}
