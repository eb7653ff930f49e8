//! The log in words: an action's and the roles' labels in the reader's
//! language, for the log, the log review and the subject access export.

use crate::i18n::Tr;
use palett_app::audit::Action;
use palett_domain::policy::Role;

/// What the stored action says, in the reader's language; an action this
/// build does not know (written by an older one) stays as stored.
pub(crate) fn action_text(t: Tr, stored: &str) -> String {
    match Action::parse(stored) {
        Some(a) => t.get(&a.message_id()),
        None => stored.to_string(),
    }
}

/// The roles as the log keeps them (`coordinator,caseworker`, `system`,
/// `participant`), named in the reader's language.
pub(crate) fn roles_text(t: Tr, stored: &str) -> String {
    stored
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| match (r, Role::parse(r)) {
            (_, Some(role)) => t.get(&role.message_id()),
            ("system", None) => t.get("audit-role-system"),
            ("participant", None) => t.get("audit-role-participant"),
            (other, None) => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every action with its label, ordered by the label (for a choice).
pub(crate) fn action_choices(t: Tr) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = Action::ALL
        .iter()
        .map(|a| (a.as_str().to_string(), t.get(&a.message_id())))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_action_has_a_label_in_every_staff_language() {
        for lang in Lang::STAFF {
            let t = Tr::new(lang);
            let missing: Vec<String> = Action::ALL
                .iter()
                .map(|a| a.message_id())
                .filter(|id| !t.has(id))
                .collect();
            assert!(missing.is_empty(), "{}: {missing:?}", lang.code());
        }
    }

    #[test]
    fn sign_ins_roles_and_unknown_actions_read_as_words() {
        let sv = Tr::new(Lang::Sv);
        assert_eq!(action_text(sv, "session.create"), "Loggade in");
        assert_eq!(
            action_text(sv, "participant.read"),
            "Läste deltagarens uppgifter"
        );
        assert_eq!(
            action_text(Tr::new(Lang::En), "session.create"),
            "Signed in"
        );
        assert_eq!(action_text(sv, "something.older"), "something.older");
        assert_eq!(
            roles_text(sv, "coordinator,caseworker"),
            "Samordnare, Handläggare"
        );
        assert_eq!(
            roles_text(Tr::new(Lang::En), "administrator"),
            "Administrator"
        );
        assert_eq!(roles_text(sv, "participant"), "Deltagaren själv");
        assert_eq!(action_choices(sv).len(), Action::ALL.len());
    }
}
