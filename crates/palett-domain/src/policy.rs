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
//!
//! All of this holds while the actor's organisation is a member of the
//! partnership on the day ([`Standing`], judged when the actor is resolved
//! for a request). Staff of a former member keep read-only access to the
//! participants their own organisation is responsible for — its own records,
//! which it must keep under the archives law — and nothing else: no
//! registration, no changes, no notes, no consent-based sharing, no
//! emergency access, no running of interventions, no lists beyond those
//! records. A membership that has not begun gives nothing. Administration
//! and aggregates do not depend on the standing.

use crate::values::text_enum;
use jiff::civil::Date;

text_enum!(Role, "role" {
    Administrator = "administrator",
    Coordinator = "coordinator",
    Caseworker = "caseworker",
    Evaluator = "evaluator",
});

/// How the actor's organisation stands in the partnership on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A membership period covers the day.
    Member,
    /// No period covers the day, and one ended before it: the organisation
    /// keeps its own records, read-only.
    Former,
    /// Never a member, or its membership has not begun.
    Outside,
}

impl Standing {
    /// The standing on `today` given the organisation's membership periods
    /// of the partnership (joined, left; both days inclusive).
    pub fn on(periods: &[(Date, Option<Date>)], today: Date) -> Standing {
        if periods
            .iter()
            .any(|(joined, left)| *joined <= today && left.is_none_or(|l| today <= l))
        {
            Standing::Member
        } else if periods
            .iter()
            .any(|(_, left)| left.is_some_and(|l| l < today))
        {
            Standing::Former
        } else {
            Standing::Outside
        }
    }
}

impl Role {
    /// The role reads participants' records (not only figures).
    pub fn reads_participant_data(self) -> bool {
        matches!(self, Role::Coordinator | Role::Caseworker)
    }

    /// Whether a user holding `roles` may be assigned as a participant's
    /// caseworker: she must work with participants' records.
    pub fn may_be_caseworker(roles: &[Role]) -> bool {
        roles.iter().any(|r| r.reads_participant_data())
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
    /// Her organisation's membership of the partnership on the day the
    /// actor was resolved.
    pub standing: Standing,
    /// The participant herself, signed in to her portal
    /// ([`Actor::herself`]); `None` for staff and palett's own jobs.
    pub participant: Option<i64>,
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
    /// Staff of a former member: only those the organisation is
    /// responsible for (its own records, read-only).
    Responsible {
        partnership_id: i64,
        organisation_id: i64,
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
            ParticipantScope::Responsible { .. } => {
                rel.same_partnership && rel.own_organisation_responsible
            }
            ParticipantScope::Nothing => false,
        }
    }
}

impl Actor {
    /// palett itself, acting for one partnership in a background job (the
    /// daily retention run). It holds no role, so the policy grants it
    /// nothing a person is granted; a use case a job runs admits it by
    /// name. User ids start at 1, so its user id 0 is no one's; the audit
    /// log records it with no user and the role `system`.
    pub fn system(partnership_id: i64) -> Actor {
        Actor {
            user_id: 0,
            organisation_id: 0,
            partnership_id,
            roles: Vec::new(),
            standing: Standing::Outside,
            participant: None,
        }
    }

    /// A participant in her own portal. She holds no role, so every rule
    /// for staff refuses her (her scope of participants is nothing); the
    /// portal's use cases admit her to her own record by name. The audit
    /// log records her with no user, the role `participant` and her id.
    pub fn herself(partnership_id: i64, participant_id: i64) -> Actor {
        Actor {
            participant: Some(participant_id),
            ..Actor::system(partnership_id)
        }
    }

    /// Whether this is palett's own job ([`Actor::system`]), not a person.
    pub fn is_system(&self) -> bool {
        self.user_id == 0 && self.roles.is_empty() && self.participant.is_none()
    }

    /// Whether she may export a whole partnership to an archive or import
    /// one (docs/ARCHIVE.md): the operator's tool on the command line,
    /// which acts as palett itself ([`Actor::system`]); no person's role
    /// reaches it.
    pub fn can_archive(&self) -> bool {
        self.is_system()
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether her organisation is a member of the partnership today:
    /// everything but reading its own records requires it.
    pub fn is_member(&self) -> bool {
        self.standing == Standing::Member
    }

    /// The widest participant scope any of the actor's roles gives, with
    /// consents judged as in force on `today`.
    pub fn participant_scope(&self, today: Date) -> ParticipantScope {
        if !self.sees_participants() {
            ParticipantScope::Nothing
        } else if self.standing == Standing::Former {
            ParticipantScope::Responsible {
                partnership_id: self.partnership_id,
                organisation_id: self.organisation_id,
            }
        } else if self.has(Role::Coordinator) {
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
        (self.has(Role::Coordinator) || self.has(Role::Caseworker))
            && self.standing != Standing::Outside
    }

    /// Read one participant's record (the relation is judged on the day the
    /// caller computed it). A coordinator's emergency access opens one record
    /// for reading only; it never adds her to lists.
    pub fn can_read_participant(&self, rel: Relation) -> bool {
        self.in_scope(rel) || (rel.emergency && rel.same_partnership && self.can_break_the_glass())
    }

    /// Whether the record is hers to see without emergency access.
    pub fn in_scope(&self, rel: Relation) -> bool {
        self.participant_scope(Date::MIN).admits(rel)
    }

    /// Open a record outside the scope in an emergency, stating why.
    pub fn can_break_the_glass(&self) -> bool {
        self.has(Role::Coordinator) && self.is_member()
    }

    /// Change a participant's profile, plan or status (not reopen):
    /// coordinators, and caseworkers of the responsible organisation or
    /// assigned to her. Teachers who only run an intervention she takes part
    /// in read her record and keep her attendance, but do not change it.
    pub fn can_change_participant(&self, rel: Relation) -> bool {
        self.in_scope(rel)
            && self.changes_in_scope(rel.own_organisation_responsible, rel.assigned_to_actor)
    }

    /// Whether the actor may change a participant already known to be in
    /// her scope (a list's row), given whether her organisation is
    /// responsible for her and whether she is assigned to the actor.
    pub fn changes_in_scope(&self, own_organisation_responsible: bool, assigned: bool) -> bool {
        self.is_member()
            && (self.has(Role::Coordinator) || own_organisation_responsible || assigned)
    }

    /// Move the responsibility for her to another organisation (a
    /// handover): a coordinator of the organisation responsible for her,
    /// while it is a member. It is not an ordinary edit.
    pub fn can_hand_over(&self, rel: Relation) -> bool {
        self.has(Role::Coordinator)
            && self.is_member()
            && rel.same_partnership
            && rel.own_organisation_responsible
    }

    /// Register participants at all (for some responsible organisation).
    pub fn can_register_participants(&self) -> bool {
        self.is_member() && (self.has(Role::Coordinator) || self.has(Role::Caseworker))
    }

    /// Register a new participant with the given responsible organisation.
    pub fn can_register_participant(&self, responsible_organisation_id: i64) -> bool {
        self.is_member()
            && (self.has(Role::Coordinator)
                || (self.has(Role::Caseworker)
                    && responsible_organisation_id == self.organisation_id))
    }

    /// Add a note to her record: anyone who sees her in scope (teachers
    /// too), while her organisation is a member.
    pub fn can_add_note(&self, rel: Relation) -> bool {
        self.in_scope(rel) && self.is_member()
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

    /// Design questionnaires (upload an XLSForm, publish a version):
    /// evaluators, who run the evaluation, and a member's coordinators.
    pub fn can_design_instruments(&self) -> bool {
        self.has(Role::Evaluator) || (self.has(Role::Coordinator) && self.is_member())
    }

    /// Whether a partnership that requires a second factor requires it of
    /// this actor: the roles that read records and their sensitive fields.
    pub fn reads_sensitive_data(&self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Caseworker) || self.has(Role::Administrator)
    }

    /// Reopen an ended participant: coordinators only, with a reason.
    pub fn can_reopen_participant(&self, rel: Relation) -> bool {
        self.has(Role::Coordinator) && self.in_scope(rel) && self.is_member()
    }

    /// See project and partnership figures (no identities).
    pub fn can_view_aggregates(&self) -> bool {
        !self.roles.is_empty()
    }

    /// Read the audit log of the partnership.
    pub fn can_view_audit_log(&self) -> bool {
        (self.has(Role::Coordinator) && self.is_member()) || self.has(Role::Administrator)
    }

    /// Create users, change roles, manage organisations and memberships.
    pub fn can_administer(&self) -> bool {
        self.has(Role::Administrator)
    }

    /// Register, deactivate and inspect the partnership's webhooks (other
    /// systems told of events): administrators only.
    pub fn can_manage_webhooks(&self) -> bool {
        self.has(Role::Administrator)
    }

    /// See the partnership's staff (administrators manage them; staff who
    /// work with participants choose caseworkers among them). Evaluators
    /// see figures only, and palett's own jobs no one.
    pub fn can_list_staff(&self) -> bool {
        self.roles.iter().any(|r| *r != Role::Evaluator)
    }

    /// Export a file that names participants and holds their identity
    /// numbers (the ESF+ monthly participant file): coordinators, and only
    /// for the participants they may see.
    pub fn can_export_participant_file(&self) -> bool {
        self.has(Role::Coordinator) && self.is_member()
    }

    /// Set and remove the shared goals: coordinators (of a member) and
    /// administrators.
    pub fn can_manage_goals(&self) -> bool {
        (self.has(Role::Coordinator) && self.is_member()) || self.has(Role::Administrator)
    }

    /// Add to the palette and retire from it: any member's coordinator.
    pub fn can_manage_palette(&self) -> bool {
        self.has(Role::Coordinator) && self.is_member()
    }

    /// Run an intervention (groups, sessions, attendance, enrolment status):
    /// coordinators, and caseworkers of the organisation that provides it,
    /// while their organisation is a member.
    pub fn can_run_intervention(&self, provider_organisation_id: i64) -> bool {
        self.is_member()
            && (self.has(Role::Coordinator)
                || (self.has(Role::Caseworker) && provider_organisation_id == self.organisation_id))
    }

    /// Import participants from a spreadsheet, and undo an import:
    /// coordinators of a member organisation and administrators.
    pub fn can_import(&self) -> bool {
        (self.has(Role::Coordinator) && self.is_member()) || self.has(Role::Administrator)
    }

    /// Create and change projects of the partnership.
    pub fn can_manage_projects(&self) -> bool {
        (self.has(Role::Coordinator) && self.is_member()) || self.has(Role::Administrator)
    }

    /// See the partnership's employer registry, and register employers
    /// and log contacts with them: staff who work with participants, while
    /// their organisation is a member.
    pub fn can_work_with_employers(&self) -> bool {
        self.is_member() && (self.has(Role::Coordinator) || self.has(Role::Caseworker))
    }

    /// Change an employer's details, contact people or status, or an
    /// opening's details or status: coordinators, and caseworkers of the
    /// organisation that owns the relation (of the opening: the partner
    /// responsible for it).
    pub fn can_change_employer(&self, owner_organisation_id: i64) -> bool {
        self.is_member()
            && (self.has(Role::Coordinator)
                || (self.has(Role::Caseworker) && self.organisation_id == owner_organisation_id))
    }

    /// Refer a participant to a partner, or record a referral that came to
    /// the actor's organisation from outside the partnership: staff who
    /// work with participants, while a member (and, for one already
    /// registered, only who may change her record).
    pub fn can_refer(&self) -> bool {
        self.is_member() && (self.has(Role::Coordinator) || self.has(Role::Caseworker))
    }

    /// See a referral, her name and what it asks: coordinators and
    /// caseworkers of the partner that sent it or of the one it is to. A
    /// former member still sees its own referrals (its records).
    pub fn can_see_referral(&self, from_organisation_id: Option<i64>, to: i64) -> bool {
        self.standing != Standing::Outside
            && (self.has(Role::Coordinator) || self.has(Role::Caseworker))
            && (from_organisation_id == Some(self.organisation_id) || to == self.organisation_id)
    }

    /// See referrals at all (her partner's list, and those it sent or
    /// received): the roles [`Actor::can_see_referral`] admits for some
    /// referral. Others are refused the referral pages as such, whatever
    /// the id, which tells them nothing about anyone.
    pub fn can_see_referrals(&self) -> bool {
        self.can_see_referral(Some(self.organisation_id), self.organisation_id)
    }

    /// Whether the start page has a worklist for her (the items of her day:
    /// referrals, participants' dates, sessions without attendance, time to
    /// attest, the log to review). Evaluators have none.
    pub fn has_worklist(&self) -> bool {
        self.sees_participants()
            || self.can_see_referrals()
            || self.can_attest_time()
            || self.can_view_audit_log()
    }

    /// Whether messages come to her inbox: about referrals to and from her
    /// partner, and from the participants she works with.
    pub fn has_inbox(&self) -> bool {
        self.sees_participants() || self.can_see_referrals()
    }

    /// Lead groups of the palette, whose sessions she keeps attendance
    /// for (`/my-sessions`): staff who work with participants.
    pub fn can_lead_groups(&self) -> bool {
        self.sees_participants()
    }

    /// Answer a referral and take its later steps (received, accepted or
    /// declined, sent back, forwarded, started, completed): coordinators
    /// and caseworkers of the partner it is to, while a member.
    pub fn can_answer_referral(&self, to: i64) -> bool {
        self.is_member()
            && (self.has(Role::Coordinator) || self.has(Role::Caseworker))
            && to == self.organisation_id
    }

    /// Attest the time recorded in the interventions her partner provides,
    /// month by month: the partner's own coordinators while a member.
    pub fn can_attest_time(&self) -> bool {
        self.is_member() && self.has(Role::Coordinator)
    }

    /// Attest one participant's month of time, which locks it: her
    /// responsible caseworker, that is a caseworker (or coordinator) of the
    /// organisation responsible for her or one assigned to her, while a
    /// member. Teachers who only keep her attendance do not attest it.
    pub fn can_attest_participant_time(&self, rel: Relation) -> bool {
        self.in_scope(rel)
            && self.is_member()
            && (self.has(Role::Caseworker) || self.has(Role::Coordinator))
            && (rel.own_organisation_responsible || rel.assigned_to_actor)
    }

    /// Agree a partner's referral routine (answer time, contact point): the
    /// partner's own coordinators while a member, and administrators.
    pub fn can_set_referral_routine(&self, organisation_id: i64) -> bool {
        self.has(Role::Administrator)
            || (self.is_member()
                && self.has(Role::Coordinator)
                && self.organisation_id == organisation_id)
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
            standing: Standing::Member,
            participant: None,
        }
    }

    #[test]
    fn referrals_are_seen_by_both_partners_and_answered_by_the_one_asked() {
        use Role::*;
        // The actor's organisation is 3.
        for (roles, standing, from, to, sees, answers) in [
            (&[Caseworker][..], Standing::Member, Some(3), 5, true, false),
            (&[Caseworker], Standing::Member, Some(5), 3, true, true),
            (&[Coordinator], Standing::Member, None, 3, true, true),
            (&[Coordinator], Standing::Member, Some(5), 6, false, false),
            (&[Caseworker], Standing::Former, Some(3), 5, true, false),
            (&[Caseworker], Standing::Former, Some(5), 3, true, false),
            (&[Caseworker], Standing::Outside, Some(5), 3, false, false),
            (&[Evaluator], Standing::Member, Some(3), 3, false, false),
            (&[Administrator], Standing::Member, Some(3), 3, false, false),
        ] {
            let a = Actor {
                standing,
                ..actor(roles)
            };
            assert_eq!(
                (a.can_see_referral(from, to), a.can_answer_referral(to)),
                (sees, answers),
                "{roles:?} {standing:?} {from:?} → {to}"
            );
        }
        assert!(actor(&[Coordinator]).can_set_referral_routine(3));
        assert!(!actor(&[Coordinator]).can_set_referral_routine(5));
        assert!(!actor(&[Caseworker]).can_set_referral_routine(3));
        assert!(actor(&[Administrator]).can_set_referral_routine(5));
        assert!(actor(&[Caseworker]).can_refer() && !actor(&[Evaluator]).can_refer());
    }

    #[test]
    fn only_a_members_coordinators_attest_its_time() {
        use Role::*;
        for (roles, standing, attests) in [
            (&[Coordinator][..], Standing::Member, true),
            (&[Coordinator], Standing::Former, false),
            (&[Caseworker], Standing::Member, false),
            (&[Administrator], Standing::Member, false),
            (&[Evaluator], Standing::Member, false),
        ] {
            let a = Actor {
                standing,
                ..actor(roles)
            };
            assert_eq!(a.can_attest_time(), attests, "{roles:?} {standing:?}");
        }
    }

    #[test]
    fn her_responsible_caseworker_attests_her_month() {
        use Role::*;
        let responsible = Relation {
            same_partnership: true,
            own_organisation_responsible: true,
            ..Relation::default()
        };
        // Assigned from another partner: in scope through her consent.
        let assigned = Relation {
            same_partnership: true,
            assigned_to_actor: true,
            shared_with_own_organisation: true,
            ..Relation::default()
        };
        let teaching = Relation {
            same_partnership: true,
            enrolled_with_own_organisation: true,
            shared_with_own_organisation: true,
            ..Relation::default()
        };
        for (roles, standing, rel, attests) in [
            (&[Caseworker][..], Standing::Member, responsible, true),
            (&[Caseworker], Standing::Member, assigned, true),
            (&[Coordinator], Standing::Member, responsible, true),
            (&[Caseworker], Standing::Member, teaching, false),
            (&[Caseworker], Standing::Former, responsible, false),
            (&[Evaluator], Standing::Member, responsible, false),
            (&[Administrator], Standing::Member, responsible, false),
        ] {
            let a = Actor {
                standing,
                ..actor(roles)
            };
            assert_eq!(
                a.can_attest_participant_time(rel),
                attests,
                "{roles:?} {standing:?} {rel:?}"
            );
        }
    }

    #[test]
    fn who_lists_staff_and_who_can_be_a_caseworker() {
        use Role::*;
        for (roles, lists, caseworker) in [
            (&[Administrator][..], true, false),
            (&[Coordinator], true, true),
            (&[Caseworker], true, true),
            (&[Evaluator], false, false),
            (&[Evaluator, Caseworker], true, true),
            (&[], false, false),
        ] {
            assert_eq!(actor(roles).can_list_staff(), lists, "{roles:?}");
            assert_eq!(Role::may_be_caseworker(roles), caseworker, "{roles:?}");
        }
        let system = Actor::system(1);
        assert!(system.is_system() && !actor(&[Administrator]).is_system());
        assert!(!system.can_list_staff() && !system.can_administer());
        assert!(!system.can_view_audit_log() && !system.sees_participants());
    }

    /// Who works with the employer registry, and who changes an employer
    /// owned by organisation 3 (the actor's) or 4.
    #[test]
    fn employer_registry_table() {
        use Role::*;
        for (roles, standing, works, own, other) in [
            (&[Coordinator][..], Standing::Member, true, true, true),
            (&[Caseworker], Standing::Member, true, true, false),
            (&[Caseworker], Standing::Former, false, false, false),
            (&[Coordinator], Standing::Outside, false, false, false),
            (&[Administrator], Standing::Member, false, false, false),
            (&[Evaluator], Standing::Member, false, false, false),
            (
                &[Evaluator, Caseworker],
                Standing::Member,
                true,
                true,
                false,
            ),
        ] {
            let a = Actor {
                standing,
                ..actor(roles)
            };
            assert_eq!(a.can_work_with_employers(), works, "{roles:?} {standing:?}");
            assert_eq!(a.can_change_employer(3), own, "{roles:?} {standing:?}");
            assert_eq!(a.can_change_employer(4), other, "{roles:?} {standing:?}");
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
        for (roles, member_reads) in table {
            for standing in [Standing::Member, Standing::Former, Standing::Outside] {
                let a = Actor {
                    standing,
                    ..actor(roles)
                };
                let staff = roles.contains(&Coordinator) || roles.contains(&Caseworker);
                for (i, (p, o, s, e, c)) in relations.iter().enumerate() {
                    let rel = Relation {
                        same_partnership: *p,
                        own_organisation_responsible: *o,
                        assigned_to_actor: *s,
                        enrolled_with_own_organisation: *e,
                        shared_with_own_organisation: *c,
                        emergency: false,
                    };
                    // A former member reads exactly its own records; a
                    // membership not begun gives nothing.
                    let reads = match standing {
                        Standing::Member => member_reads[i],
                        Standing::Former => staff && *p && *o,
                        Standing::Outside => false,
                    };
                    let member = standing == Standing::Member;
                    let what = format!("{roles:?} {standing:?} {rel:?}");
                    assert_eq!(a.can_read_participant(rel), reads, "{what}");
                    // Changing requires reading, membership, and more than a
                    // place in an intervention; reopening requires coordinator.
                    let works_with_her = roles.contains(&Coordinator) || *o || *s;
                    assert_eq!(a.can_see_restricted(rel), reads && (*o || *s), "{what}");
                    assert_eq!(
                        a.can_change_participant(rel),
                        reads && member && works_with_her,
                        "{what}"
                    );
                    assert_eq!(a.can_add_note(rel), reads && member, "{what}");
                    // Handing her over: only a coordinator of the giving
                    // (responsible) organisation, while a member.
                    assert_eq!(
                        a.can_hand_over(rel),
                        member && roles.contains(&Coordinator) && *p && *o,
                        "{what}"
                    );
                    assert_eq!(
                        a.can_reopen_participant(rel),
                        reads && member && roles.contains(&Coordinator),
                        "{what}"
                    );
                    // The list scope admits exactly whom a single read allows.
                    let today = jiff::civil::date(2026, 11, 25);
                    assert_eq!(a.participant_scope(today).admits(rel), reads, "{what}");
                }
                // Nothing but reading outlives the membership.
                let member = standing == Standing::Member;
                assert_eq!(
                    a.can_register_participants(),
                    member && staff,
                    "{roles:?} {standing:?}"
                );
                assert_eq!(
                    a.can_register_participant(3),
                    member && staff,
                    "{roles:?} {standing:?}"
                );
                assert_eq!(
                    a.can_run_intervention(3),
                    member && staff,
                    "{roles:?} {standing:?}"
                );
                let coordinator = roles.contains(&Coordinator);
                assert_eq!(a.can_break_the_glass(), member && coordinator);
                assert_eq!(a.can_export_participant_file(), member && coordinator);
                assert_eq!(a.can_manage_palette(), member && coordinator);
                assert_eq!(
                    a.sees_participants(),
                    staff && standing != Standing::Outside
                );
                // Administration and aggregates do not depend on it.
                assert_eq!(a.can_administer(), roles.contains(&Administrator));
                assert_eq!(a.can_view_aggregates(), !roles.is_empty());
            }
        }
    }

    #[test]
    fn standing_follows_the_membership_periods() {
        use jiff::civil::date;
        let left = [(date(2017, 1, 1), Some(date(2020, 6, 30)))];
        assert_eq!(Standing::on(&left, date(2020, 6, 30)), Standing::Member);
        assert_eq!(Standing::on(&left, date(2020, 7, 1)), Standing::Former);
        assert_eq!(Standing::on(&left, date(2016, 12, 31)), Standing::Outside);
        let open = [(date(2027, 1, 1), None)];
        assert_eq!(Standing::on(&open, date(2026, 11, 25)), Standing::Outside);
        assert_eq!(Standing::on(&open, date(2027, 1, 1)), Standing::Member);
        assert_eq!(Standing::on(&[], date(2026, 11, 25)), Standing::Outside);
        // Left and joined again: a member while the new period runs.
        let again = [
            (date(2017, 1, 1), Some(date(2020, 6, 30))),
            (date(2022, 1, 1), None),
        ];
        assert_eq!(Standing::on(&again, date(2021, 1, 1)), Standing::Former);
        assert_eq!(Standing::on(&again, date(2026, 11, 25)), Standing::Member);
        // Left, and a new period not yet begun: still a former member.
        let later = [
            (date(2017, 1, 1), Some(date(2020, 6, 30))),
            (date(2027, 1, 1), None),
        ];
        assert_eq!(Standing::on(&later, date(2026, 11, 25)), Standing::Former);
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
        // Staff of a former member have no emergency access.
        let former = Actor {
            standing: Standing::Former,
            ..coordinator
        };
        assert!(!former.can_break_the_glass() && !former.can_read_participant(rel));
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

    #[test]
    fn the_menu_follows_what_each_role_may_use() {
        use Role::*;
        // (roles, worklist, inbox, referrals, leads groups)
        for (roles, work, inbox, referrals, leads) in [
            (&[Coordinator][..], true, true, true, true),
            (&[Caseworker], true, true, true, true),
            (&[Evaluator], false, false, false, false),
            (&[Administrator], true, false, false, false),
        ] {
            let a = actor(roles);
            assert_eq!(
                (
                    a.has_worklist(),
                    a.has_inbox(),
                    a.can_see_referrals(),
                    a.can_lead_groups()
                ),
                (work, inbox, referrals, leads),
                "{roles:?}"
            );
        }
    }
}
