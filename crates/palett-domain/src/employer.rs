//! The partnership's employer registry: employers (business data shared by
//! every partner), their contact people (business contact data only) and
//! the log of contacts with them. As elsewhere, each submission comes as
//! text (`…Input`) and parses into what the use case takes.

use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_optional_choice_id, parse_past_date,
    parse_phone, required_text, text_enum, text_input, Email, OrgNumber, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::Timestamp;

text_enum!(
    /// The industry: a section of the Swedish Standard Industrial
    /// Classification, SNI 2007 (Statistics Sweden), by its letter.
    Industry, "sni" {
        A = "A",
        B = "B",
        C = "C",
        D = "D",
        E = "E",
        F = "F",
        G = "G",
        H = "H",
        I = "I",
        J = "J",
        K = "K",
        L = "L",
        M = "M",
        N = "N",
        O = "O",
        P = "P",
        Q = "Q",
        R = "R",
        S = "S",
        T = "T",
        U = "U",
    }
);

text_enum!(
    /// How staff were in touch with an employer.
    ContactKind, "employer-contact" {
        Call = "call",
        Visit = "visit",
        Meeting = "meeting",
        Agreement = "agreement",
    }
);

/// An employer of the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Employer {
    pub id: i64,
    pub partnership_id: i64,
    pub name: String,
    /// `NNNNNN-NNNN`.
    pub org_number: String,
    pub industry: Industry,
    pub municipality: String,
    pub address: Option<String>,
    /// The partner organisation that owns the relation.
    pub owner_organisation_id: i64,
    pub owner_name: String,
    /// Set when the employer was marked inactive.
    pub inactive_since: Option<Date>,
}

impl Employer {
    pub fn is_active(&self) -> bool {
        self.inactive_since.is_none()
    }
}

/// A contact person at an employer: business contact data only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPerson {
    pub id: i64,
    pub employer_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One contact with an employer: what kind, when, with whom, what was
/// agreed, and who recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEntry {
    pub id: i64,
    pub employer_id: i64,
    pub kind: ContactKind,
    pub on: Date,
    pub contact_person_id: Option<i64>,
    pub contact_person_name: Option<String>,
    pub summary: String,
    pub recorded_by: Option<String>,
    pub recorded_at: Timestamp,
}

text_input!(
    /// An employer as submitted.
    EmployerInput {
        name,
        org_number,
        industry,
        municipality,
        address,
        owner_organisation_id,
    }
);

/// An employer to register or the new details of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmployerSpec {
    pub name: String,
    pub org_number: OrgNumber,
    pub industry: Industry,
    pub municipality: String,
    pub address: Option<String>,
    pub owner_organisation_id: i64,
}

impl EmployerInput {
    pub fn parse(&self) -> Result<EmployerSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::NAME));
        let org_number = e.take(
            "org_number",
            if self.org_number.trim().is_empty() {
                Err(code::REQUIRED)
            } else {
                OrgNumber::parse(&self.org_number)
            },
        );
        let industry = e.take("industry", parse_choice(&self.industry, Industry::parse));
        let municipality = e.take(
            "municipality",
            required_text(&self.municipality, TextKind::NAME),
        );
        let address = e.take("address", optional_text(&self.address, TextKind::LINE));
        let owner = e.take(
            "owner_organisation_id",
            parse_choice_id(&self.owner_organisation_id),
        );
        match (name, org_number, industry, municipality, address, owner) {
            (
                Some(name),
                Some(org_number),
                Some(industry),
                Some(municipality),
                Some(address),
                Some(owner_organisation_id),
            ) if e.is_empty() => Ok(EmployerSpec {
                name,
                org_number,
                industry,
                municipality,
                address,
                owner_organisation_id,
            }),
            _ => Err(e),
        }
    }

    /// The input that would reproduce a stored employer, for editing.
    pub fn from_employer(v: &Employer) -> Self {
        Self {
            name: v.name.clone(),
            org_number: v.org_number.clone(),
            industry: v.industry.as_str().into(),
            municipality: v.municipality.clone(),
            address: v.address.clone().unwrap_or_default(),
            owner_organisation_id: v.owner_organisation_id.to_string(),
        }
    }
}

text_input!(
    /// A contact person as submitted.
    ContactPersonInput {
        name,
        title,
        phone,
        email,
    }
);

/// A contact person to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactPersonSpec {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<Email>,
}

impl ContactPersonInput {
    pub fn parse(&self) -> Result<ContactPersonSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TextKind::PERSON_NAME));
        let title = e.take("title", optional_text(&self.title, TextKind::LINE));
        let phone = e.take("phone", parse_phone(&self.phone));
        let email = e.take(
            "email",
            if self.email.trim().is_empty() {
                Ok(None)
            } else {
                Email::parse(&self.email).map(Some)
            },
        );
        match (name, title, phone, email) {
            (Some(name), Some(title), Some(phone), Some(email)) if e.is_empty() => {
                Ok(ContactPersonSpec {
                    name,
                    title,
                    phone,
                    email,
                })
            }
            _ => Err(e),
        }
    }
}

text_input!(
    /// A contact with an employer as submitted.
    ContactEntryInput {
        kind,
        on_date,
        contact_person_id,
        summary,
    }
);

/// A contact with an employer to log. The contact person, when named, must
/// be one of the employer's (checked by the use case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEntrySpec {
    pub kind: ContactKind,
    pub on: Date,
    pub contact_person_id: Option<i64>,
    pub summary: String,
}

impl ContactEntryInput {
    /// `today`: a contact is logged on or after the day it happened.
    pub fn parse(&self, today: Date) -> Result<ContactEntrySpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.take("kind", parse_choice(&self.kind, ContactKind::parse));
        let on = e.take("on_date", parse_past_date(&self.on_date, today));
        let person = e.take(
            "contact_person_id",
            parse_optional_choice_id(&self.contact_person_id),
        );
        let summary = e.take("summary", required_text(&self.summary, TextKind::LINES));
        match (kind, on, person, summary) {
            (Some(kind), Some(on), Some(contact_person_id), Some(summary)) if e.is_empty() => {
                Ok(ContactEntrySpec {
                    kind,
                    on,
                    contact_person_id,
                    summary,
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
    use jiff::civil::date;

    fn employer() -> EmployerInput {
        EmployerInput {
            name: "Second Hand i Fittja AB".into(),
            org_number: "556000-0167".into(),
            industry: "G".into(),
            municipality: "Botkyrka".into(),
            address: "".into(),
            owner_organisation_id: "3".into(),
        }
    }

    #[test]
    fn an_employer_parses_with_its_number_written_either_way() {
        let a = employer().parse().expect("a valid employer");
        let b = EmployerInput {
            org_number: " 5560000167 ".into(),
            ..employer()
        }
        .parse()
        .expect("the number without its hyphen");
        assert_eq!(a.org_number.as_str(), "556000-0167");
        assert_eq!(a, b);
        assert_eq!(a.industry, Industry::G);
        assert_eq!(a.address, None);
        let stored = Employer {
            id: 1,
            partnership_id: 1,
            name: a.name.clone(),
            org_number: a.org_number.as_str().into(),
            industry: a.industry,
            municipality: a.municipality.clone(),
            address: None,
            owner_organisation_id: 3,
            owner_name: "Hela Människan".into(),
            inactive_since: None,
        };
        assert_eq!(EmployerInput::from_employer(&stored).parse(), Ok(a));
    }

    #[test]
    fn an_employer_needs_a_valid_number_an_industry_and_a_municipality() {
        let bad = EmployerInput {
            name: " ".into(),
            org_number: "556000-0168".into(),
            industry: "g".into(),
            municipality: "".into(),
            address: "Storgatan 1\nplan 2".into(),
            owner_organisation_id: "x".into(),
        };
        assert_eq!(
            codes(bad.parse()),
            vec![
                ("name".into(), code::REQUIRED),
                ("org_number".into(), code::ORG_NUMBER),
                ("industry".into(), code::CHOICE),
                ("municipality".into(), code::REQUIRED),
                ("address".into(), code::LINE_BREAK),
                ("owner_organisation_id".into(), code::CHOICE),
            ]
        );
        let missing = EmployerInput {
            org_number: "".into(),
            ..employer()
        };
        assert_eq!(
            codes(missing.parse()),
            vec![("org_number".into(), code::REQUIRED)]
        );
        // A personal identity number is not an organisation number: its
        // third digit is below 2.
        let person = EmployerInput {
            org_number: "811218-9876".into(),
            ..employer()
        };
        assert_eq!(
            codes(person.parse()),
            vec![("org_number".into(), code::ORG_NUMBER)]
        );
    }

    #[test]
    fn every_sni_section_has_its_letter() {
        let letters: String = Industry::ALL.iter().map(|i| i.as_str()).collect();
        assert_eq!(letters, "ABCDEFGHIJKLMNOPQRSTU");
        assert_eq!(Industry::Q.message_id(), "sni-Q");
    }

    #[test]
    fn a_contact_person_has_a_name_and_optional_business_details() {
        let p = ContactPersonInput {
            name: "Mona Exempel".into(),
            title: "Butikschef".into(),
            phone: "08-123 45 67".into(),
            email: "Mona@Exempel.example".into(),
        }
        .parse()
        .expect("a valid contact person");
        assert_eq!(
            p.email.expect("an address").as_str(),
            "mona@exempel.example"
        );
        let bad = ContactPersonInput {
            name: "".into(),
            title: "".into(),
            phone: "ring mig".into(),
            email: "nej".into(),
        };
        assert_eq!(
            codes(bad.parse()),
            vec![
                ("name".into(), code::REQUIRED),
                ("phone".into(), "error-phone"),
                ("email".into(), code::EMAIL),
            ]
        );
    }

    #[test]
    fn a_contact_is_logged_on_or_after_its_day() {
        let today = date(2026, 12, 4);
        let entry = ContactEntryInput {
            kind: "visit".into(),
            on_date: "2026-12-04".into(),
            contact_person_id: "".into(),
            summary: "Två praktikplatser i januari.".into(),
        };
        let ok = entry.parse(today).expect("a contact today");
        assert_eq!((ok.kind, ok.contact_person_id), (ContactKind::Visit, None));
        let bad = ContactEntryInput {
            kind: "lunch".into(),
            on_date: "2026-12-05".into(),
            contact_person_id: "0".into(),
            summary: " ".into(),
        };
        assert_eq!(
            codes(bad.parse(today)),
            vec![
                ("kind".into(), code::CHOICE),
                ("on_date".into(), code::DATE_FUTURE),
                ("contact_person_id".into(), code::CHOICE),
                ("summary".into(), code::REQUIRED),
            ]
        );
    }
}
