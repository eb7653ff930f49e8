//! Consents as records, not a checkbox. A participant gives, and may
//! withdraw at any time, separate consents: to take part and have her data
//! processed, to information sharing with named partner organisations
//! (which lifts secrecy between them, OSL 12 kap. 2 §), to take part in the
//! evaluation, to contact with employers about her, and to the processing
//! of her personal identity number. Each records how it was given, its
//! scope and an optional expiry; a withdrawal takes effect at once.

use crate::error::FieldErrors;
use crate::values::{
    code, optional_text, parse_choice, parse_optional_date, parse_past_date, text_enum, text_input,
    TextKind,
};
use jiff::civil::Date;
use jiff::Timestamp;

text_enum!(ConsentKind, "consent-kind" {
    Participation = "participation",
    Sharing = "sharing",
    Research = "research",
    EmployerContact = "employer_contact",
    IdentityNumber = "identity_number",
});

text_enum!(ConsentMethod, "consent-method" {
    SignedPaper = "signed_paper",
    Digital = "digital",
    OralWithWitness = "oral_with_witness",
});

/// A stored consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    pub id: i64,
    pub participant_id: i64,
    pub kind: ConsentKind,
    pub method: ConsentMethod,
    pub witness: Option<String>,
    pub given_on: Date,
    pub expires_on: Option<Date>,
    pub note: Option<String>,
    /// For sharing: the organisations it covers (id, name).
    pub organisations: Vec<(i64, String)>,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub withdrawn_by: Option<String>,
    /// She withdrew it herself, in her portal.
    pub withdrawn_by_her: bool,
    pub withdrawal_note: Option<String>,
}

impl Consent {
    /// In force on `today`: given, not withdrawn, not expired.
    pub fn in_force(&self, today: Date) -> bool {
        self.withdrawn_at.is_none()
            && self.given_on <= today
            && self.expires_on.is_none_or(|e| e >= today)
    }
}

text_input!(
    /// A consent as submitted.
    ConsentInput {
        kind,
        method,
        witness,
        given_on,
        expires_on,
        note,
        /// For sharing: organisation ids.
        organisation_ids: Vec<String>,
    }
);

/// A parsed consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentSpec {
    pub kind: ConsentKind,
    pub method: ConsentMethod,
    pub witness: Option<String>,
    pub given_on: Date,
    pub expires_on: Option<Date>,
    pub note: Option<String>,
    pub organisation_ids: Vec<i64>,
}

impl ConsentSpec {
    /// The consent among `existing` that already gives what this one would,
    /// so that recording it would only duplicate: in force on `today`, of
    /// the same kind, covering (for sharing) every organisation this one
    /// names, and lasting at least as long (no expiry, or none earlier than
    /// this one's). Withdrawn and expired consents never count; a renewal
    /// that runs longer, or a sharing consent that adds an organisation, is
    /// not a duplicate.
    pub fn duplicate_of<'a>(&self, existing: &'a [Consent], today: Date) -> Option<&'a Consent> {
        existing.iter().find(|k| {
            k.kind == self.kind
                && k.in_force(today)
                && self
                    .organisation_ids
                    .iter()
                    .all(|o| k.organisations.iter().any(|(id, _)| id == o))
                && match (k.expires_on, self.expires_on) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(old), Some(new)) => old >= new,
                }
        })
    }
}

impl ConsentInput {
    pub fn parse(&self, today: Date) -> Result<ConsentSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.take("kind", parse_choice(&self.kind, ConsentKind::parse));
        let method = e.take("method", parse_choice(&self.method, ConsentMethod::parse));
        let witness = e.take("witness", optional_text(&self.witness, TextKind::NAME));
        let given_on = e.take("given_on", parse_past_date(&self.given_on, today));
        let expires_on = e.take("expires_on", parse_optional_date(&self.expires_on));
        let note = e.take("note", optional_text(&self.note, TextKind::LINES));
        let mut organisation_ids = Vec::new();
        for o in self
            .organisation_ids
            .iter()
            .filter(|o| !o.trim().is_empty())
        {
            match o.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !organisation_ids.contains(&id) {
                        organisation_ids.push(id);
                    }
                }
                _ => {
                    e.push("organisation_ids", code::CHOICE);
                    break;
                }
            }
        }
        if method == Some(ConsentMethod::OralWithWitness)
            && witness.as_ref().is_some_and(|w| w.is_none())
        {
            e.push("witness", "error-witness-required");
        }
        if kind == Some(ConsentKind::Sharing)
            && organisation_ids.is_empty()
            && e.for_field("organisation_ids").is_none()
        {
            e.push("organisation_ids", "error-sharing-needs-organisations");
        }
        if kind.is_some_and(|k| k != ConsentKind::Sharing) && !organisation_ids.is_empty() {
            e.push("organisation_ids", "error-only-for-sharing");
        }
        if let (Some(g), Some(Some(x))) = (given_on, expires_on) {
            if x < g {
                e.push("expires_on", code::PERIOD);
            }
        }
        match (kind, method, witness, given_on, expires_on, note) {
            (
                Some(kind),
                Some(method),
                Some(witness),
                Some(given_on),
                Some(expires_on),
                Some(note),
            ) if e.is_empty() => Ok(ConsentSpec {
                kind,
                method,
                witness,
                given_on,
                expires_on,
                note,
                organisation_ids,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 25);

    fn sharing() -> ConsentInput {
        ConsentInput {
            kind: "sharing".into(),
            method: "signed_paper".into(),
            given_on: "2026-11-20".into(),
            organisation_ids: vec!["2".into(), "2".into(), "5".into()],
            ..Default::default()
        }
    }

    #[test]
    fn sharing_names_its_organisations() {
        let s = sharing().parse(TODAY).expect("valid");
        assert_eq!(
            (s.kind, s.organisation_ids),
            (ConsentKind::Sharing, vec![2, 5])
        );
        let none = ConsentInput {
            organisation_ids: vec![],
            ..sharing()
        };
        assert_eq!(
            none.parse(TODAY)
                .expect_err("no orgs")
                .for_field("organisation_ids"),
            Some("error-sharing-needs-organisations")
        );
        let research = ConsentInput {
            kind: "research".into(),
            ..sharing()
        };
        assert_eq!(
            research
                .parse(TODAY)
                .expect_err("orgs")
                .for_field("organisation_ids"),
            Some("error-only-for-sharing")
        );
    }

    #[test]
    fn oral_consent_needs_a_witness_and_dates_make_sense() {
        let oral = ConsentInput {
            method: "oral_with_witness".into(),
            ..sharing()
        };
        assert_eq!(
            oral.parse(TODAY).expect_err("witness").for_field("witness"),
            Some("error-witness-required")
        );
        let with = ConsentInput {
            witness: "Tolk A. Exempel".into(),
            ..oral
        };
        assert!(with.parse(TODAY).is_ok());
        let future = ConsentInput {
            given_on: "2027-01-01".into(),
            ..sharing()
        };
        assert_eq!(
            future
                .parse(TODAY)
                .expect_err("future")
                .for_field("given_on"),
            Some(code::DATE_FUTURE)
        );
        let backwards = ConsentInput {
            expires_on: "2026-01-01".into(),
            ..sharing()
        };
        assert_eq!(
            backwards
                .parse(TODAY)
                .expect_err("period")
                .for_field("expires_on"),
            Some(code::PERIOD)
        );
    }

    fn stored(kind: ConsentKind, orgs: &[i64], expires_on: Option<Date>) -> Consent {
        Consent {
            id: 7,
            participant_id: 1,
            kind,
            method: ConsentMethod::SignedPaper,
            witness: None,
            given_on: date(2026, 3, 1),
            expires_on,
            note: None,
            organisations: orgs.iter().map(|o| (*o, format!("Org {o}"))).collect(),
            recorded_by: String::new(),
            recorded_at: Timestamp::UNIX_EPOCH,
            withdrawn_at: None,
            withdrawn_by: None,
            withdrawal_note: None,
            withdrawn_by_her: false,
        }
    }

    #[test]
    fn a_consent_in_force_of_the_same_kind_and_scope_is_a_duplicate() {
        let new = sharing().parse(TODAY).expect("valid"); // sharing with 2 and 5
        let dup = |old: Consent| {
            new.duplicate_of(std::slice::from_ref(&old), TODAY)
                .map(|k| k.id)
        };
        assert_eq!(dup(stored(ConsentKind::Sharing, &[2, 5], None)), Some(7));
        assert_eq!(dup(stored(ConsentKind::Sharing, &[2, 5, 9], None)), Some(7));
        // Another kind, or a narrower scope, is not a duplicate.
        assert_eq!(dup(stored(ConsentKind::Research, &[], None)), None);
        assert_eq!(dup(stored(ConsentKind::Sharing, &[2], None)), None);
        // Withdrawn or expired consents do not block a new one.
        let withdrawn = Consent {
            withdrawn_at: Some(Timestamp::UNIX_EPOCH),
            ..stored(ConsentKind::Sharing, &[2, 5], None)
        };
        assert_eq!(dup(withdrawn), None);
        let expired = stored(ConsentKind::Sharing, &[2, 5], Some(date(2026, 11, 24)));
        assert_eq!(dup(expired), None);
        // A renewal that runs longer is not a duplicate; a shorter one is.
        let ending = stored(ConsentKind::Sharing, &[2, 5], Some(date(2026, 12, 31)));
        assert_eq!(dup(ending.clone()), None);
        let longer = ConsentSpec {
            expires_on: Some(date(2027, 12, 31)),
            ..new.clone()
        };
        assert_eq!(
            longer.duplicate_of(std::slice::from_ref(&ending), TODAY),
            None
        );
        let shorter = ConsentSpec {
            expires_on: Some(date(2026, 12, 1)),
            ..new.clone()
        };
        assert_eq!(
            shorter
                .duplicate_of(std::slice::from_ref(&ending), TODAY)
                .map(|k| k.id),
            Some(7)
        );
    }

    #[test]
    fn in_force_until_withdrawn_or_expired() {
        let c = Consent {
            id: 1,
            participant_id: 1,
            kind: ConsentKind::Research,
            method: ConsentMethod::Digital,
            witness: None,
            given_on: date(2026, 1, 1),
            expires_on: Some(date(2026, 12, 31)),
            note: None,
            organisations: vec![],
            recorded_by: String::new(),
            recorded_at: Timestamp::UNIX_EPOCH,
            withdrawn_at: None,
            withdrawn_by: None,
            withdrawal_note: None,
            withdrawn_by_her: false,
        };
        assert!(c.in_force(TODAY));
        assert!(!c.in_force(date(2027, 1, 1)));
        assert!(!Consent {
            withdrawn_at: Some(Timestamp::UNIX_EPOCH),
            ..c.clone()
        }
        .in_force(TODAY));
    }
}
