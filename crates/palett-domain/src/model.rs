//! Records as palett holds them, and the parsed input that creates or
//! changes a participant.

use crate::error::FieldErrors;
use crate::lifecycle::{ExitOutcome, Status, TransitionKind};
use crate::personnummer::PersonalIdentityNumber;
use crate::policy::Role;
use crate::values::{
    code, optional_text, parse_choice, parse_optional_date, parse_past_date, parse_phone,
    required_text, text_input, EducationLevel, Email, Gender, IdentityKind, OrganisationKind,
    ReferralSource, SwedishLevel, TextKind,
};
use jiff::civil::Date;
use jiff::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub org_number: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partnership {
    pub id: i64,
    pub name: String,
    pub vision: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    /// Staff who read sensitive data must sign in with a second factor.
    pub require_second_factor: bool,
}

/// An organisation's membership of a partnership over one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub id: i64,
    pub partnership_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub responsibility_areas: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub id: i64,
    pub partnership_id: i64,
    pub name: String,
    pub funder: String,
    pub start_date: Date,
    pub end_date: Date,
    pub participant_target: Option<i64>,
    /// Percent.
    pub job_or_studies_target: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    /// A TOTP second factor is set up.
    pub second_factor: bool,
    /// Her password was set by an administrator: she must choose her own
    /// before anything else.
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleGrant {
    pub user_id: i64,
    pub partnership_id: i64,
    pub role: Role,
}

/// The restricted field group: health, support needs and protected
/// identity. Visible only to those who need it (see
/// `Actor::can_see_restricted`), even when the rest of the record is not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restricted {
    pub health_notes: Option<String>,
    pub support_needs: Option<String>,
    /// Skyddad identitet: her address and whereabouts must not be shown.
    pub protected_identity: bool,
}

/// Who she is and where she comes from: the part of her record that a
/// registration sets and an edit changes, declared once and shared by the
/// stored record ([`Participant`]) and the parsed input
/// ([`ParticipantProfile`]); both dereference to it, so `p.given_name`
/// reads the same on either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub given_name: String,
    pub family_name: String,
    pub identity_kind: IdentityKind,
    /// Twelve digits, for personnummer and samordningsnummer.
    pub identity_number: Option<String>,
    pub birth_date: Date,
    pub gender: Gender,
    pub country_of_birth: Option<String>,
    pub arrival_year: Option<i16>,
    pub languages: Vec<String>,
    pub interpreter_needed: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub education_level: EducationLevel,
    pub swedish_level: SwedishLevel,
    pub referral_source: ReferralSource,
    /// Her situation when she entered.
    pub entry: crate::followup::EntrySituation,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    pub fn birth_year(&self) -> i16 {
        self.birth_date.year()
    }
}

/// A participant as stored (identity data included: show it only after the
/// policy allowed the read): who she is ([`Person`], also reached through
/// `Deref`), where she is on her path ([`LifecycleState`]), who is
/// responsible, and the version a change must name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub id: i64,
    pub partnership_id: i64,
    /// Incremented on every change; a stale edit is refused.
    pub version: i64,
    pub person: Person,
    pub state: crate::lifecycle::LifecycleState,
    pub responsible_organisation_id: i64,
    pub responsible_organisation_name: String,
    /// `None` when the caller may not see the restricted field group.
    pub restricted: Option<Restricted>,
    /// Processing restricted (GDPR art. 18): kept, not processed; the reason.
    pub processing_restricted: Option<String>,
    /// Kept past the retention policy under an archive rule.
    pub archive_hold: bool,
}

impl std::ops::Deref for Participant {
    type Target = Person;
    fn deref(&self) -> &Person {
        &self.person
    }
}

impl Participant {
    pub fn lifecycle(&self) -> crate::lifecycle::LifecycleState {
        self.state.clone()
    }
}

/// One row of a participant's status history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEvent {
    pub id: i64,
    pub participant_id: i64,
    pub kind: TransitionKind,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub on_date: Date,
    pub reason: Option<String>,
    pub exit_outcome: Option<ExitOutcome>,
    pub pause_kind: Option<crate::palette::PauseKind>,
    pub actor_name: String,
    pub at: Timestamp,
}

/// A move of the responsibility for a participant from one organisation
/// to another (a handover, with its reason), kept in her history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handover {
    pub id: i64,
    pub participant_id: i64,
    pub from_organisation_id: i64,
    pub from_organisation_name: String,
    pub to_organisation_id: i64,
    pub to_organisation_name: String,
    pub on_date: Date,
    pub reason: String,
    pub actor_name: String,
    pub at: Timestamp,
}

text_input!(
    /// A participant's profile as submitted, every field still text. HTML forms
    /// and JSON bodies both fill this, so both are validated by one parser.
    ParticipantInput {
        given_name,
        family_name,
        identity_kind,
        identity_number,
        birth_date,
        gender,
        country_of_birth,
        arrival_year,
        languages,
        interpreter_needed,
        phone,
        email,
        address,
        education_level,
        /// Her situation at entry (each may be left unknown).
        labour_status,
        income_source,
        months_on_support,
        swedish_level,
        referral_source,
        responsible_organisation_id,
        caseworker_ids: Vec<String>,
        project_ids: Vec<String>,
        referred_on,
        /// Only when registering: an intake date makes her enrolled at once.
        intake_date,
        /// Only when registering with an intake: "start at once" (a
        /// checkbox), on `start_on` (empty: the intake date).
        start_now,
        /// Only when registering with an intake: the day she is started
        /// (active) in the same change; given alone, it is the choice too.
        start_on,
        /// Only when registering: the partners her sharing consent covers
        /// (recorded with her consent to take part, dated the referral).
        sharing_organisation_ids: Vec<String>,
        /// How those consents were given (required with sharing).
        consent_method,
        health_notes,
        support_needs,
        protected_identity,
    }
);

/// A parsed, valid participant profile: who she is ([`Person`], also
/// reached through `Deref`) and what a registration or edit decides about
/// her links, dates and restricted fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantProfile {
    pub person: Person,
    pub responsible_organisation_id: i64,
    pub caseworker_ids: Vec<i64>,
    pub project_ids: Vec<i64>,
    pub referred_on: Date,
    pub intake_date: Option<Date>,
    /// Started (active) at once, on this day, with her intake.
    pub start_on: Option<Date>,
    /// Consents given at registration: how, and the partners sharing covers.
    pub intake_consent: Option<(crate::consent::ConsentMethod, Vec<i64>)>,
    pub restricted: Restricted,
}

impl std::ops::Deref for ParticipantProfile {
    type Target = Person;
    fn deref(&self) -> &Person {
        &self.person
    }
}

use crate::values::parse_choice_id as parse_id;

fn parse_bool(s: &str) -> Result<bool, &'static str> {
    match s.trim() {
        "" | "false" | "off" | "0" | "no" => Ok(false),
        "true" | "on" | "1" | "yes" => Ok(true),
        _ => Err(code::CHOICE),
    }
}

impl ParticipantInput {
    /// The input that would reproduce a stored participant, for editing.
    pub fn from_participant(p: &Participant, caseworker_ids: &[i64], project_ids: &[i64]) -> Self {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        Self {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            identity_kind: p.identity_kind.as_str().into(),
            identity_number: p.identity_number.clone().unwrap_or_default(),
            birth_date: p.birth_date.to_string(),
            gender: p.gender.as_str().into(),
            country_of_birth: opt(&p.country_of_birth),
            arrival_year: p.arrival_year.map(|y| y.to_string()).unwrap_or_default(),
            languages: p.languages.join(", "),
            interpreter_needed: p.interpreter_needed.to_string(),
            phone: opt(&p.phone),
            email: opt(&p.email),
            address: opt(&p.address),
            education_level: p.education_level.as_str().into(),
            labour_status: p.entry.labour_status.as_str().into(),
            income_source: p.entry.income_source.as_str().into(),
            months_on_support: p
                .entry
                .months_on_support
                .map(|m| m.to_string())
                .unwrap_or_default(),
            swedish_level: p.swedish_level.as_str().into(),
            referral_source: p.referral_source.as_str().into(),
            responsible_organisation_id: p.responsible_organisation_id.to_string(),
            caseworker_ids: caseworker_ids.iter().map(|i| i.to_string()).collect(),
            project_ids: project_ids.iter().map(|i| i.to_string()).collect(),
            referred_on: p.state.referred_on.to_string(),
            intake_date: String::new(),
            start_now: String::new(),
            start_on: String::new(),
            sharing_organisation_ids: Vec::new(),
            consent_method: String::new(),
            health_notes: p
                .restricted
                .as_ref()
                .and_then(|r| r.health_notes.clone())
                .unwrap_or_default(),
            support_needs: p
                .restricted
                .as_ref()
                .and_then(|r| r.support_needs.clone())
                .unwrap_or_default(),
            protected_identity: p
                .restricted
                .as_ref()
                .is_some_and(|r| r.protected_identity)
                .to_string(),
        }
    }

    /// Parse every field, collecting one error per bad field.
    pub fn parse(&self, today: Date) -> Result<ParticipantProfile, FieldErrors> {
        let mut e = FieldErrors::new();
        let given_name = e.take(
            "given_name",
            required_text(&self.given_name, TextKind::PERSON_NAME),
        );
        let family_name = e.take(
            "family_name",
            required_text(&self.family_name, TextKind::PERSON_NAME),
        );
        let identity_kind = e.take(
            "identity_kind",
            parse_choice(&self.identity_kind, IdentityKind::parse),
        );
        let mut identity_number = None;
        let mut birth_date = None;
        match identity_kind {
            Some(IdentityKind::BirthDate) => {
                if !self.identity_number.trim().is_empty() {
                    e.push("identity_number", "error-pin-not-expected");
                }
                birth_date = e.take("birth_date", parse_past_date(&self.birth_date, today));
            }
            Some(kind) => {
                if let Some(pin) = e.take(
                    "identity_number",
                    if self.identity_number.trim().is_empty() {
                        Err(code::REQUIRED)
                    } else {
                        PersonalIdentityNumber::parse(&self.identity_number, today)
                    },
                ) {
                    if pin.kind() != kind {
                        e.push("identity_number", "error-pin-kind");
                    } else {
                        birth_date = Some(pin.birth_date());
                        identity_number = Some(pin.twelve_digits());
                        // A birth date typed beside the number must agree with it.
                        if let Ok(Some(d)) = parse_optional_date(&self.birth_date) {
                            if d != pin.birth_date() {
                                e.push("birth_date", "error-birth-date-mismatch");
                            }
                        }
                    }
                }
            }
            None => {}
        }
        let gender = e.take("gender", parse_choice(&self.gender, Gender::parse));
        let country_of_birth = e.take(
            "country_of_birth",
            optional_text(&self.country_of_birth, TextKind::LINE),
        );
        let arrival_year = e.take("arrival_year", {
            let t = self.arrival_year.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                match t.parse::<i16>() {
                    Ok(y) if y >= 1900 && y <= today.year() => match birth_date {
                        Some(b) if y < b.year() => Err("error-arrival-before-birth"),
                        _ => Ok(Some(y)),
                    },
                    _ => Err(code::YEAR),
                }
            }
        });
        let languages = e.take("languages", crate::values::parse_text_list(&self.languages));
        let interpreter_needed = e.take("interpreter_needed", parse_bool(&self.interpreter_needed));
        let phone = e.take("phone", parse_phone(&self.phone));
        let email = e.take(
            "email",
            if self.email.trim().is_empty() {
                Ok(None)
            } else {
                Email::parse(&self.email).map(|m| Some(m.as_str().to_string()))
            },
        );
        let address = e.take(
            "address",
            optional_text(&self.address, TextKind::lines(500)),
        );
        let education_level = e.take(
            "education_level",
            parse_choice(
                default_unknown(&self.education_level),
                EducationLevel::parse,
            ),
        );
        let labour_status = e.take(
            "labour_status",
            parse_choice(
                default_unknown(&self.labour_status),
                crate::followup::LabourStatus::parse,
            ),
        );
        let income_source = e.take(
            "income_source",
            parse_choice(
                default_unknown(&self.income_source),
                crate::followup::IncomeSource::parse,
            ),
        );
        let months_on_support = e.take("months_on_support", {
            let t = self.months_on_support.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse::<i64>()
                    .ok()
                    .filter(|m| (0..=600).contains(m))
                    .map(Some)
                    .ok_or(code::NUMBER)
            }
        });
        let swedish_level = e.take(
            "swedish_level",
            parse_choice(default_unknown(&self.swedish_level), SwedishLevel::parse),
        );
        let referral_source = e.take(
            "referral_source",
            parse_choice(&self.referral_source, ReferralSource::parse),
        );
        let responsible_organisation_id = e.take(
            "responsible_organisation_id",
            parse_id(&self.responsible_organisation_id),
        );
        let caseworker_ids = e.take("caseworker_ids", parse_ids(&self.caseworker_ids));
        let project_ids = e.take("project_ids", parse_ids(&self.project_ids));
        let referred_on = e.take(
            "referred_on",
            if self.referred_on.trim().is_empty() {
                Ok(today)
            } else {
                parse_past_date(&self.referred_on, today)
            },
        );
        let intake_date = e.take("intake_date", {
            match parse_optional_date(&self.intake_date) {
                Ok(Some(d)) if d > today => Err(code::DATE_FUTURE),
                Ok(Some(d)) if referred_on.is_some_and(|r| d < r) => {
                    Err(crate::lifecycle::lifecycle_code::BEFORE_REFERRAL)
                }
                other => other,
            }
        });
        let start_on = match intake_date {
            Some(intake) => e.take_all(crate::lifecycle::parse_start(
                &self.start_now,
                &self.start_on,
                intake,
                today,
            )),
            // A bad intake date is its own error; the start waits for it.
            None => None,
        };
        let restricted = Restricted {
            health_notes: e
                .take(
                    "health_notes",
                    optional_text(&self.health_notes, TextKind::LINES),
                )
                .flatten(),
            support_needs: e
                .take(
                    "support_needs",
                    optional_text(&self.support_needs, TextKind::LINES),
                )
                .flatten(),
            protected_identity: e
                .take("protected_identity", parse_bool(&self.protected_identity))
                .unwrap_or(false),
        };
        let sharing = e.take(
            "sharing_organisation_ids",
            parse_ids(&self.sharing_organisation_ids),
        );
        let intake_consent = match (sharing, self.consent_method.trim()) {
            (Some(ids), "") if ids.is_empty() => Some(None),
            (Some(_), "") => {
                e.push("consent_method", code::REQUIRED);
                None
            }
            (Some(ids), m) => match crate::consent::ConsentMethod::parse(m) {
                Some(crate::consent::ConsentMethod::OralWithWitness) => {
                    e.push("consent_method", "error-witness-at-intake");
                    None
                }
                Some(method) => Some(Some((method, ids))),
                None => {
                    e.push("consent_method", code::CHOICE);
                    None
                }
            },
            (None, _) => None,
        };
        if let (Some(b), Some(r)) = (birth_date, referred_on) {
            if r < b {
                e.push("referred_on", "error-before-birth");
            }
        }
        match (
            given_name,
            family_name,
            identity_kind,
            birth_date,
            gender,
            country_of_birth,
            arrival_year,
            languages,
            interpreter_needed,
            phone,
            email,
            address,
            education_level,
            swedish_level,
            referral_source,
            responsible_organisation_id,
            caseworker_ids,
            project_ids,
            referred_on,
            intake_date,
            start_on,
            intake_consent,
        ) {
            (
                Some(given_name),
                Some(family_name),
                Some(identity_kind),
                Some(birth_date),
                Some(gender),
                Some(country_of_birth),
                Some(arrival_year),
                Some(languages),
                Some(interpreter_needed),
                Some(phone),
                Some(email),
                Some(address),
                Some(education_level),
                Some(swedish_level),
                Some(referral_source),
                Some(responsible_organisation_id),
                Some(caseworker_ids),
                Some(project_ids),
                Some(referred_on),
                Some(intake_date),
                Some(start_on),
                Some(intake_consent),
            ) if e.is_empty() => Ok(ParticipantProfile {
                person: Person {
                    given_name,
                    family_name,
                    identity_kind,
                    identity_number,
                    birth_date,
                    gender,
                    country_of_birth,
                    arrival_year,
                    languages,
                    interpreter_needed,
                    phone,
                    email,
                    address,
                    education_level,
                    swedish_level,
                    referral_source,
                    entry: crate::followup::EntrySituation {
                        labour_status: labour_status.unwrap_or_default(),
                        income_source: income_source.unwrap_or_default(),
                        months_on_support: months_on_support.flatten(),
                    },
                },
                responsible_organisation_id,
                caseworker_ids,
                project_ids,
                referred_on,
                intake_date,
                start_on,
                intake_consent,
                restricted,
            }),
            _ => Err(e),
        }
    }
}

fn default_unknown(s: &str) -> &str {
    if s.trim().is_empty() {
        "unknown"
    } else {
        s
    }
}

fn parse_ids(v: &[String]) -> Result<Vec<i64>, &'static str> {
    let mut out = Vec::new();
    for s in v {
        if s.trim().is_empty() {
            continue;
        }
        let id = parse_id(s)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.len() > 50 {
        return Err(code::TOO_LONG);
    }
    Ok(out)
}

/// An exit as submitted.
pub fn parse_exit(
    date: &str,
    outcome: &str,
    today: Date,
) -> Result<(Date, ExitOutcome), FieldErrors> {
    let mut e = FieldErrors::new();
    let d = e.take("exit_date", parse_past_date(date, today));
    let o = e.take("exit_outcome", parse_choice(outcome, ExitOutcome::parse));
    match (d, o) {
        (Some(d), Some(o)) => Ok((d, o)),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn valid() -> ParticipantInput {
        ParticipantInput {
            given_name: "Amal".into(),
            family_name: "Testsson".into(),
            identity_kind: "personnummer".into(),
            identity_number: "19811218-9876".into(),
            gender: "woman".into(),
            referral_source: "municipality".into(),
            responsible_organisation_id: "2".into(),
            caseworker_ids: vec!["5".into(), "5".into(), "".into()],
            languages: "arabiska, svenska,".into(),
            interpreter_needed: "on".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_profile_parses_and_derives_the_birth_date() {
        let p = valid().parse(date(2026, 1, 1)).expect("valid");
        assert_eq!(p.birth_date, date(1981, 12, 18));
        assert_eq!(p.identity_number.as_deref(), Some("198112189876"));
        assert_eq!(p.languages, vec!["arabiska", "svenska"]);
        assert_eq!(p.caseworker_ids, vec![5]);
        assert!(p.interpreter_needed);
        assert_eq!(p.referred_on, date(2026, 1, 1));
        assert_eq!(p.education_level, EducationLevel::Unknown);
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = ParticipantInput {
            given_name: " ".into(),
            family_name: "x".repeat(101),
            identity_number: "19811218-9877".into(),
            email: "nope".into(),
            arrival_year: "1850".into(),
            responsible_organisation_id: "abc".into(),
            intake_date: "2030-01-01".into(),
            ..valid()
        };
        let e = input.parse(date(2026, 1, 1)).expect_err("invalid");
        let fields: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("given_name", code::REQUIRED),
                ("family_name", code::TOO_LONG),
                ("identity_number", crate::personnummer::code::CHECKSUM),
                ("arrival_year", code::YEAR),
                ("email", code::EMAIL),
                ("responsible_organisation_id", code::CHOICE),
                ("intake_date", code::DATE_FUTURE),
            ]
        );
    }

    #[test]
    fn birth_date_only_needs_a_date() {
        let input = ParticipantInput {
            identity_kind: "birth_date".into(),
            identity_number: String::new(),
            birth_date: "1975-03-02".into(),
            ..valid()
        };
        let p = input.parse(date(2026, 1, 1)).expect("valid");
        assert_eq!(
            (p.identity_number.clone(), p.birth_date),
            (None, date(1975, 3, 2))
        );
        let missing = ParticipantInput {
            birth_date: String::new(),
            ..input
        };
        assert_eq!(
            missing
                .parse(date(2026, 1, 1))
                .expect_err("no date")
                .for_field("birth_date"),
            Some(code::REQUIRED)
        );
    }

    #[test]
    fn exits_need_a_date_and_an_outcome() {
        assert!(parse_exit("2021-01-01", "studies", date(2021, 2, 1)).is_ok());
        let e = parse_exit("", "nonsense", date(2021, 2, 1)).expect_err("bad");
        assert_eq!(e.for_field("exit_date"), Some(code::REQUIRED));
        assert_eq!(e.for_field("exit_outcome"), Some(code::CHOICE));
    }
}
