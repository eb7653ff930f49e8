//! What the audit log records: one [`Action`] per kind of act, stored as
//! text. Kept apart from the log's use cases ([`crate::audit`]) so that the
//! units of work (`work`) can name actions without importing them.

/// Declares [`Action`] with its stored text from one list, so that every
/// variant is also in [`Action::ALL`] (and so has a label: the web crate
/// tests that each has a message in every staff language).
macro_rules! actions {
    ($($variant:ident = $text:literal),+ $(,)?) => {
        /// What happened; stored as text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            /// Every action, in the order declared.
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Action::$variant => $text),+ }
            }

            /// The action stored as this text; `None` for any other.
            pub fn parse(s: &str) -> Option<Action> {
                match s { $($text => Some(Action::$variant),)+ _ => None }
            }
        }
    };
}

actions! {
    ParticipantRead = "participant.read",
    ParticipantList = "participant.list",
    ParticipantCreate = "participant.create",
    ParticipantUpdate = "participant.update",
    ParticipantTransition = "participant.transition",
    AuditRead = "audit.read",
    UserCreate = "user.create",
    UserRolesChange = "user.roles",
    UserDeactivate = "user.deactivate",
    OrganisationCreate = "organisation.create",
    MembershipCreate = "membership.create",
    MembershipEnd = "membership.end",
    ProjectCreate = "project.create",
    ProjectUpdate = "project.update",
    TokenCreate = "token.create",
    TokenRevoke = "token.revoke",
    InterventionCreate = "intervention.create",
    InterventionRetire = "intervention.retire",
    PlanRead = "plan.read",
    PlanChange = "plan.change",
    PeriodChange = "period.change",
    EnrolmentCreate = "enrolment.create",
    EnrolmentChange = "enrolment.change",
    GroupCreate = "group.create",
    SessionsSchedule = "session.schedule",
    SessionCancel = "session.cancel",
    SessionMove = "session.move",
    AttendanceRead = "attendance.read",
    AttendanceRecord = "attendance.record",
    AttendanceCorrect = "attendance.correct",
    ActivityRecord = "activity.record",
    ConsentGive = "consent.give",
    ConsentWithdraw = "consent.withdraw",
    SubjectAccessExport = "participant.export",
    DuplicateIdentity = "participant.duplicate_identity",
    EmergencyAccess = "participant.emergency_access",
    LogReview = "audit.review",
    LogReviewSign = "audit.review_signed",
    RetentionPolicy = "retention.policy",
    RetentionRun = "retention.run",
    RetentionDryRun = "retention.dry_run",
    ParticipantAnonymise = "participant.anonymise",
    ArchiveHold = "participant.archive_hold",
    NoteAdd = "note.add",
    ResearchExport = "export.research",
    ProcessingRestriction = "participant.restriction",
    SignIn = "session.create",
    SignOut = "session.delete",
    SecondFactorOn = "user.second_factor_on",
    SecondFactorOff = "user.second_factor_off",
    SecondFactorPolicy = "partnership.second_factor_policy",
    SecondFactorReset = "user.second_factor_reset",
    GoalCreate = "goal.create",
    GoalDelete = "goal.delete",
    ReportExport = "export.report",
    FollowUpRecord = "participant.follow_up",
    FollowUpNotReached = "participant.follow_up_not_reached",
    SelfAssessmentRecord = "participant.self_assessment",
    ParticipantHandover = "participant.handover",
    RoleRequest = "user.role_request",
    RoleApprove = "user.role_approve",
    RoleReject = "user.role_reject",
    PasswordChange = "user.password_change",
    PasswordReset = "user.password_reset",
    EmployerCreate = "employer.create",
    EmployerUpdate = "employer.update",
    EmployerStatus = "employer.status",
    EmployerContactAdd = "employer.contact_add",
    EmployerContactRemove = "employer.contact_remove",
    EmployerContactLog = "employer.contact_log",
    OpeningCreate = "opening.create",
    OpeningUpdate = "opening.update",
    OpeningStatus = "opening.status",
    MatchCandidates = "opening.candidates",
    ProposalCreate = "proposal.create",
    ProposalStep = "proposal.step",
    DisclosureToEmployer = "participant.disclosed_to_employer",
    PlacementCreate = "placement.create",
    PlacementReview = "placement.review",
    PlacementResult = "placement.result",
    ReferralCreate = "referral.create",
    ReferralStep = "referral.step",
    ReferralRead = "referral.read",
    ReferralList = "referral.list",
    ReferralRoutine = "referral.routine",
    DigestChoice = "digest.choice",
    CalendarFeedCreate = "calendar_feed.create",
    CalendarFeedRevoke = "calendar_feed.revoke",
    WebhookCreate = "webhook.create",
    WebhookDeactivate = "webhook.deactivate",
    WebhookRetry = "webhook.retry",
    TimeAttest = "time.attest",
    MonthAttest = "time.attest_participant_month",
    TimeCorrect = "time.correct",
    PortalInvite = "portal.invite",
    PortalSetUp = "portal.set_up",
    PortalSignIn = "portal.sign_in",
    PortalSignOut = "portal.sign_out",
    PortalRead = "portal.read",
    PortalConfirmMonth = "portal.confirm_month",
    PortalLanguage = "portal.language",
    PortalAskConsent = "portal.ask_consent",
    InstrumentUpload = "instrument.upload",
    InstrumentPublish = "instrument.publish",
    InstrumentDiscard = "instrument.discard",
    InstrumentRead = "instrument.read",
    QuestionnaireSchedule = "questionnaire.schedule",
    QuestionnaireRecord = "questionnaire.record",
    QuestionnaireRead = "questionnaire.read",
    QuestionnaireResults = "questionnaire.results",
    ResearchAnswersExport = "export.research_answers",
    ImportUpload = "import.upload",
    ImportCommit = "import.commit",
    ImportUndo = "import.undo",
    ArchiveExport = "archive.export",
    ArchiveImport = "archive.import",
}

impl Action {
    /// The Fluent message id of the action's label: `audit-action-` and its
    /// text with `.` and `_` as `-` (`participant.read` is
    /// `audit-action-participant-read`).
    pub fn message_id(self) -> String {
        format!("audit-action-{}", self.as_str().replace(['.', '_'], "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_has_its_own_text_and_message_id() {
        let mut texts = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(texts.insert(a.as_str()), "{} twice", a.as_str());
            assert!(ids.insert(a.message_id()), "{} twice", a.message_id());
            assert_eq!(Action::parse(a.as_str()), Some(*a));
        }
        assert_eq!(
            Action::parse("participant.read"),
            Some(Action::ParticipantRead)
        );
        assert_eq!(Action::SignIn.message_id(), "audit-action-session-create");
        assert_eq!(Action::parse("nothing.such"), None);
    }
}
