//! The commands on a participant's record beside her profile: a note, a
//! handover of responsibility, restricting processing, withdrawing a
//! consent, and emergency access. As in [`crate::path`], each comes as
//! submitted (`…Input`, every field text) and parsed.

use crate::personnummer::PersonalIdentityNumber;
use crate::values::{
    code, optional_text, parse_choice_id, required_text, text_enum, text_input, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;

text_enum!(
    /// Who may read a note: the author's organisation only, or everyone
    /// who may read her record (which her sharing consent decides).
    NoteVisibility, "note-visibility" {
        OwnOrganisation = "own_organisation",
        Shared = "shared",
    }
);

text_input!(
    /// A note as submitted.
    NoteInput {
        body,
        visibility,
    }
);

/// A note about her, and who may read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNote {
    pub body: String,
    pub visibility: NoteVisibility,
}

impl NoteInput {
    pub fn parse(&self) -> Result<NewNote, FieldErrors> {
        let mut e = FieldErrors::new();
        let body = e.take("body", required_text(&self.body, TextKind::LINES));
        let visibility = e.take(
            "visibility",
            crate::values::parse_choice(&self.visibility, NoteVisibility::parse),
        );
        match (body, visibility) {
            (Some(body), Some(visibility)) => Ok(NewNote { body, visibility }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A handover of responsibility for her, as submitted.
    HandoverInput {
        organisation_id,
        reason,
    }
);

/// Responsibility for her moves to another partner, with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverTo {
    pub organisation_id: i64,
    pub reason: String,
}

impl HandoverInput {
    pub fn parse(&self) -> Result<HandoverTo, FieldErrors> {
        let mut e = FieldErrors::new();
        let org = e.take("organisation_id", parse_choice_id(&self.organisation_id));
        let reason = e.take("reason", required_text(&self.reason, TextKind::LINES));
        match (org, reason) {
            (Some(organisation_id), Some(reason)) => Ok(HandoverTo {
                organisation_id,
                reason,
            }),
            _ => Err(e),
        }
    }
}

/// Restricting processing of her data needs a reason (field `reason`);
/// lifting the restriction takes none. `Some(reason)` restricts.
pub fn parse_restriction(restrict: bool, reason: &str) -> Result<Option<String>, FieldErrors> {
    if !restrict {
        return Ok(None);
    }
    required_text(reason, TextKind::LINES)
        .map(Some)
        .map_err(|c| FieldErrors::single("reason", c))
}

/// The note that goes with a withdrawn consent, if any.
pub fn parse_withdrawal_note(s: &str) -> Result<Option<String>, FieldErrors> {
    optional_text(s, TextKind::LINES).map_err(|c| FieldErrors::single("note", c))
}

text_input!(
    /// Emergency access as submitted: her id or her identity number (sent
    /// in a body, never in a URL), and why.
    EmergencyInput {
        participant_id,
        identity_number,
        reason,
    }
);

/// Whose record emergency access opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmergencyTarget {
    Id(i64),
    IdentityNumber(PersonalIdentityNumber),
}

/// Emergency access to one record, always with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmergencyAccess {
    pub target: EmergencyTarget,
    pub reason: String,
}

impl EmergencyInput {
    /// The id wins when both are given; an identity number is checked
    /// against `today` (a birth date in the future is no number).
    pub fn parse(&self, today: Date) -> Result<EmergencyAccess, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = e.take("reason", required_text(&self.reason, TextKind::SENTENCE));
        let (by_id, number) = (self.participant_id.trim(), self.identity_number.trim());
        let target = if !by_id.is_empty() {
            e.take(
                "participant_id",
                by_id
                    .parse::<i64>()
                    .map(EmergencyTarget::Id)
                    .map_err(|_| code::NUMBER),
            )
        } else if !number.is_empty() {
            e.take(
                "identity_number",
                PersonalIdentityNumber::parse(number, today).map(EmergencyTarget::IdentityNumber),
            )
        } else {
            e.push("identity_number", code::REQUIRED);
            None
        };
        match (target, reason) {
            (Some(target), Some(reason)) => Ok(EmergencyAccess { target, reason }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;
    use jiff::civil::date;

    #[test]
    fn a_note_has_a_body_and_a_known_visibility() {
        let note = |body: &str, visibility: &str| NoteInput {
            body: body.into(),
            visibility: visibility.into(),
        };
        assert_eq!(
            codes(note(" ", "everyone").parse()),
            [
                ("body".into(), code::REQUIRED),
                ("visibility".into(), code::CHOICE)
            ]
        );
        assert_eq!(
            codes(note("Ringde", "").parse()),
            [("visibility".into(), code::REQUIRED)]
        );
        assert_eq!(
            note("Ringde", "shared").parse().map(|n| n.visibility),
            Ok(NoteVisibility::Shared)
        );
    }

    #[test]
    fn emergency_access_needs_whom_and_why() {
        let today = date(2026, 12, 5);
        let none = EmergencyInput {
            reason: "Akut sjukdom på kursen, anhörig behöver nås".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(none.parse(today)),
            [("identity_number".into(), code::REQUIRED)]
        );
        let by_id = EmergencyInput {
            participant_id: " 42 ".into(),
            identity_number: "garbage".into(),
            ..none.clone()
        };
        assert_eq!(
            by_id.parse(today).map(|a| a.target),
            Ok(EmergencyTarget::Id(42))
        );
        let bad_number = EmergencyInput {
            identity_number: "19900101-0000".into(),
            ..none
        };
        assert_eq!(
            codes(bad_number.parse(today))
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>(),
            ["identity_number"]
        );
    }

    #[test]
    fn a_handover_names_the_partner_and_why() {
        let h = HandoverInput {
            organisation_id: "AF".into(),
            reason: String::new(),
        };
        assert_eq!(
            codes(h.parse()),
            [
                ("organisation_id".into(), code::CHOICE),
                ("reason".into(), code::REQUIRED)
            ]
        );
    }
}
