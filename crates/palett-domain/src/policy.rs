//! The access policy: the one place that decides who may do what.
//!
//! An [`Actor`] is a signed-in user acting within one partnership, with the
//! roles she holds there. Decisions about one participant take the caller's
//! [`Relation`] to her; lists take the [`ParticipantScope`] that the store
//! turns into a WHERE clause. Both are derived from the same rules, and a
//! table-driven test proves every role × relation combination.
//!
//! The rules: administrators manage users and organisations and read the
//! audit log, but do not read participants; evaluators see aggregates only.
//! Staff of a partner see a participant when their organisation holds her
//! data (is responsible for her), or when it has a relation to her and her
//! sharing consent in force covers it (OSL 12 kap. 2 §: consent lifts
//! secrecy between the partners, and only as far as it reaches).
//! Coordinators have a relation to every participant of their partnership;
//! caseworkers when she is assigned to them or enrolled in an intervention
//! their organisation provides.

use crate::values::text_enum;
use jiff::civil::Date;

text_enum!(Role, "role" {
    Administrator = "administrator",
    Coordinator = "coordinator",
    Caseworker = "caseworker",
    Evaluator = "evaluator",
});

impl Role {
    /// The role reads participants' records (not only figures).
    pub fn reads_participant_data(self) -> bool {
        matches!(self, Role::Coordinator | Role::Caseworker)
    }

    /// Giving this role takes two administrators (separation of duties):
    /// the roles that read participant data, and the administrator role
    /// itself, which could otherwise make a second administrator to approve
    /// the first one's grants.
    pub fn grant_needs_approval(self) -> bool {
        self.reads_participant_data() || self == Role::Administrator
    }
}

/// A signed-in user acting within one partnership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub organisation_id: i64,
    pub partnership_id: i64,
    pub roles: Vec<Role>,
}

/// How the actor stands to one participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Relation {
    /// The participant belongs to the actor's partnership.
    pub same_partnership: bool,
    /// The actor's organisation is responsible for the participant.
    pub own_organisation_responsible: bool,
    /// The actor is one of the participant's assigned caseworkers.
    pub assigned_to_actor: bool,
    /// The participant is enrolled (not discontinued) in an intervention
    /// the actor's organisation provides: its teachers and supervisors
    /// work with her.
    pub enrolled_with_own_organisation: bool,
    /// Her sharing consent in force today covers the actor's organisation.
    pub shared_with_own_organisation: bool,
    /// The actor holds an emergency access to her record that has not run out.
    pub emergency: bool,
}

/// Which participants a list, search or count may include.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParticipantScope {
    /// A coordinator's: participants of the partnership whom the
    /// organisation is responsible for, or whose sharing consent in force on
    /// `today` covers it.
    Partnership {
        partnership_id: i64,
        organisation_id: i64,
        today: Date,
    },
    /// A caseworker's: those the organisation is responsible for, and those
    /// assigned to the user or enrolled in an intervention the organisation
    /// provides whose sharing consent covers the organisation.
    OrganisationOrAssigned {
        partnership_id: i64,
        organisation_id: i64,
        user_id: i64,
        today: Date,
    },
    /// None at all (aggregates only).
    Nothing,
}

impl ParticipantScope {
    /// Whether a participant with this relation falls inside the scope.
    pub fn admits(&self, rel: Relation) -> bool {
        match self {
            ParticipantScope::Partnership { .. } => {
                rel.same_partnership
                    && (rel.own_organisation_responsible || rel.shared_with_own_organisation)
            }
            ParticipantScope::OrganisationOrAssigned { .. } => {
                rel.same_partnership
                    && (rel.own_organisation_responsible
                        || ((rel.assigned_to_actor || rel.enrolled_with_own_organisation)
                            && rel.shared_with_own_organisation))
            }
            ParticipantScope::Nothing => false,
        }
    }
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The widest participant scope any of the actor's roles gives, with
    /// consents judged as in force on `today`.
    pub fn participant_scope(&self, today: Date) -> ParticipantScope {
        if self.has(Role::Coordinator) {
            ParticipantScope::Partnership {
                partnership_id: self.partnership_id,
                organisation_id: self.organisation_id,
                today,
            }
        } else if self.has(Role::Caseworker) {
            ParticipantScope::OrganisationOrAssigned {
                partnership_id: self.partnership_id,
                organisation_id: self.organisation_id,
                user_id: self.user_id,
                today,
            }
        } else {
            ParticipantScope::Nothing
        }
    }

    /// Whether any participant could ever be visible to the actor.
    pub fn sees_participants(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Caseworker)
    }

    /// Read one participant's record (the relation is judged on the day the
    /// caller computed it). A coordinator's emergency access opens one record
    /// for reading only; it never adds her to lists.
    pub fn can_read_participant(&self, rel: Relation) -> bool {
        self.in_scope(rel) || (rel.emergency && rel.same_partnership && self.has(Role::Coordinator))
    }

    /// Whether the record is hers to see without emergency access.
    pub fn in_scope(&self, rel: Relation) -> bool {
        self.participant_scope(Date::MIN).admits(rel)
    }

    /// Open a record outside the scope in an emergency, stating why.
    pub fn can_break_the_glass(&self) -> bool {
        self.has(Role::Coordinator)
    }

    /// Change a participant's profile, plan or status (not reopen):
    /// coordinators, and caseworkers of the responsible organisation or
    /// assigned to her. Teachers who only run an intervention she takes part
    /// in read her record and keep her attendance, but do not change it.
    pub fn can_change_participant(&self, rel: Relation) -> bool {
        self.in_scope(rel)
            && (self.has(Role::Coordinator)
                || rel.own_organisation_responsible
                || rel.assigned_to_actor)
    }

    /// Register a new participant with the given responsible organisation.
    pub fn can_register_participant(&self, responsible_organisation_id: i64) -> bool {
        self.has(Role::Coordinator)
            || (self.has(Role::Caseworker) && responsible_organisation_id == self.organisation_id)
    }

    /// See the restricted field group (health, support needs, protected
    /// identity): staff of the responsible organisation and her assigned
    /// caseworkers, not those who see her through sharing or a place in an
    /// intervention.
    pub fn can_see_restricted(&self, rel: Relation) -> bool {
        self.in_scope(rel) && (rel.own_organisation_responsible || rel.assigned_to_actor)
    }

    /// Take the pseudonymised research export: evaluators only (others who
    /// may see records have no use for pseudonyms of them).
    pub fn can_export_research(&self) -> bool {
        self.has(Role::Evaluator)
    }

    /// Whether a partnership that requires a second factor requires it of
    /// this actor: the roles that read records and their sensitive fields.
    pub fn reads_sensitive_data(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Caseworker) || self.has(Role::Administrator)
    }

    /// Reopen an ended participant: coordinators only, with a reason.
    pub fn can_reopen_participant(&self, rel: Relation) -> bool {
        self.has(Role::Coordinator) && self.in_scope(rel)
    }

    /// See project and partnership figures (no identities).
    pub fn can_view_aggregates(&self) -> bool {
        !self.roles.is_empty()
    }

    /// Read the audit log of the partnership.
    pub fn can_view_audit_log(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Administrator)
    }

    /// Create users, change roles, manage organisations and memberships.
    pub fn can_administer(&self) -> bool {
        self.has(Role::Administrator)
    }

    /// Export a file that names participants and holds their identity
    /// numbers (the ESF+ monthly participant file): coordinators, and only
    /// for the participants they may see.
    pub fn can_export_participant_file(&self) -> bool {
        self.has(Role::Coordinator)
    }

    /// Set and remove the shared goals: coordinators and administrators.
    pub fn can_manage_goals(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Administrator)
    }

    /// Add to the palette and retire from it: any partner's coordinator.
    pub fn can_manage_palette(&self) -> bool {
        self.has(Role::Coordinator)
    }

    /// Run an intervention (groups, sessions, attendance, enrolment status):
    /// coordinators, and caseworkers of the organisation that provides it.
    pub fn can_run_intervention(&self, provider_organisation_id: i64) -> bool {
        self.has(Role::Coordinator)
            || (self.has(Role::Caseworker) && provider_organisation_id == self.organisation_id)
    }

    /// Create and change projects of the partnership.
    pub fn can_manage_projects(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Administrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            user_id: 7,
            organisation_id: 3,
            partnership_id: 1,
            roles: roles.to_vec(),
        }
    }

    /// Every role × relation × consent: may the actor read the participant?
    #[test]
    fn read_access_table() {
        use Role::*;
        // (same partnership, own org responsible, assigned, enrolled with own org, shared with own org)
        let relations = [
            (false, false, false, false, false),
            (true, false, false, false, false),
            (true, true, false, false, false),
            (true, false, true, false, false),
            (true, false, true, false, true),
            (true, false, false, true, false),
            (true, false, false, true, true),
            (true, false, false, false, true),
            (false, true, true, true, true),
            (true, true, true, true, true),
        ];
        // Responsible: always. Coordinator: or shared. Caseworker: or
        // (assigned or enrolled) and shared.
        let table: &[(&[Role], [bool; 10])] = &[
            (&[Administrator], [false; 10]),
            (
                &[Coordinator],
                [
                    false, false, true, false, true, false, true, true, false, true,
                ],
            ),
            (
                &[Caseworker],
                [
                    false, false, true, false, true, false, true, false, false, true,
                ],
            ),
            (&[Evaluator], [false; 10]),
            (&[], [false; 10]),
            (
                &[Caseworker, Coordinator],
                [
                    false, false, true, false, true, false, true, true, false, true,
                ],
            ),
            (
                &[Evaluator, Caseworker],
                [
                    false, false, true, false, true, false, true, false, false, true,
                ],
            ),
        ];
        for (roles, expected) in table {
            let a = actor(roles);
            for (i, (p, o, s, e, c)) in relations.iter().enumerate() {
                let rel = Relation {
                    same_partnership: *p,
                    own_organisation_responsible: *o,
                    assigned_to_actor: *s,
                    enrolled_with_own_organisation: *e,
                    shared_with_own_organisation: *c,
                    emergency: false,
                };
                assert_eq!(
                    a.can_read_participant(rel),
                    expected[i],
                    "{roles:?} {rel:?}"
                );
                // Changing requires reading, and more than a place in an
                // intervention; reopening requires coordinator.
                let works_with_her = roles.contains(&Coordinator) || *o || *s;
                assert_eq!(
                    a.can_see_restricted(rel),
                    expected[i] && (*o || *s),
                    "{roles:?} {rel:?}"
                );
                assert_eq!(
                    a.can_change_participant(rel),
                    expected[i] && works_with_her,
                    "{roles:?} {rel:?}"
                );
                assert_eq!(
                    a.can_reopen_participant(rel),
                    expected[i] && roles.contains(&Coordinator),
                    "{roles:?} {rel:?}"
                );
                // The list scope admits exactly whom a single read allows.
                let today = jiff::civil::date(2026, 11, 25);
                assert_eq!(
                    a.participant_scope(today).admits(rel),
                    expected[i],
                    "{roles:?} {rel:?}"
                );
            }
        }
    }

    #[test]
    fn emergency_access_opens_one_record_for_reading_only() {
        use Role::*;
        let rel = Relation {
            same_partnership: true,
            emergency: true,
            ..Relation::default()
        };
        let coordinator = actor(&[Coordinator]);
        assert!(coordinator.can_read_participant(rel));
        assert!(!coordinator.can_change_participant(rel));
        assert!(!coordinator.can_reopen_participant(rel));
        assert!(!coordinator.can_see_restricted(rel));
        assert!(
            !coordinator
                .participant_scope(jiff::civil::date(2026, 1, 1))
                .admits(rel),
            "not in lists"
        );
        assert!(!actor(&[Caseworker]).can_read_participant(rel));
        let elsewhere = Relation {
            same_partnership: false,
            ..rel
        };
        assert!(!coordinator.can_read_participant(elsewhere));
        assert!(coordinator.can_break_the_glass() && !actor(&[Caseworker]).can_break_the_glass());
    }

    #[test]
    fn registering_and_administration() {
        use Role::*;
        assert!(actor(&[Coordinator]).can_register_participant(99));
        assert!(actor(&[Caseworker]).can_register_participant(3));
        assert!(!actor(&[Caseworker]).can_register_participant(99));
        assert!(!actor(&[Evaluator]).can_register_participant(3));
        assert!(!actor(&[Administrator]).can_register_participant(3));
        assert!(actor(&[Administrator]).can_administer());
        assert!(!actor(&[Coordinator]).can_administer());
        assert!(actor(&[Coordinator]).can_view_audit_log());
        assert!(actor(&[Administrator]).can_view_audit_log());
        assert!(!actor(&[Caseworker]).can_view_audit_log());
        assert!(!actor(&[Evaluator]).can_view_audit_log());
        assert!(actor(&[Evaluator]).can_view_aggregates());
        assert_eq!(
            actor(&[Evaluator]).participant_scope(jiff::civil::date(2026, 1, 1)),
            ParticipantScope::Nothing
        );
    }
}
