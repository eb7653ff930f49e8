//! Which tables an archive holds, which rows of each are the partnership's,
//! which are left out and why, and which columns it seals.

/// How a table takes part in an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Exported: the rows for which this condition (over the table's own
    /// columns, `$1` the partnership's id) holds.
    Rows(&'static str),
    /// Left out, for this reason.
    Excluded(&'static str),
}

/// The participants of the partnership.
macro_rules! her {
    () => {
        "participant_id IN (SELECT id FROM participants WHERE partnership_id = $1)"
    };
}

/// The organisations that are or were members of the partnership.
macro_rules! members {
    () => {
        "SELECT organisation_id FROM memberships WHERE partnership_id = $1"
    };
}

/// The users granted a role in the partnership.
macro_rules! granted {
    () => {
        "SELECT user_id FROM role_grants WHERE partnership_id = $1"
    };
}

/// Every table of the schema, in foreign-key order (a table after those its
/// NOT NULL references point to; a nullable reference to a later table, or
/// to its own, is set after every row is in), with the rows of a
/// partnership it holds or why it is left out. A test enumerates the live
/// catalogue of both databases and fails for a table missing here.
pub const TABLES: &[(&str, Scope)] = &[
    (
        "organisations",
        Scope::Rows(concat!(
            "id IN (",
            members!(),
            ") OR id IN (SELECT organisation_id FROM users WHERE id IN (",
            granted!(),
            "))"
        )),
    ),
    ("partnerships", Scope::Rows("id = $1")),
    ("memberships", Scope::Rows("partnership_id = $1")),
    ("projects", Scope::Rows("partnership_id = $1")),
    (
        "users",
        Scope::Rows(concat!(
            "organisation_id IN (",
            members!(),
            ") OR id IN (",
            granted!(),
            ")"
        )),
    ),
    ("role_grants", Scope::Rows("partnership_id = $1")),
    (
        "sessions",
        Scope::Excluded("sign-in sessions: credentials that end within hours; sign in again"),
    ),
    (
        "api_tokens",
        Scope::Excluded("credentials of the JSON API; make new tokens on the new palett"),
    ),
    (
        "login_attempts",
        Scope::Excluded("sign-in throttle counters: transient, and per address, not partnership"),
    ),
    ("employers", Scope::Rows("partnership_id = $1")),
    ("participants", Scope::Rows("partnership_id = $1")),
    ("participant_caseworkers", Scope::Rows(her!())),
    ("participant_projects", Scope::Rows(her!())),
    ("status_events", Scope::Rows(her!())),
    ("audit_log", Scope::Rows("partnership_id = $1")),
    ("interventions", Scope::Rows("partnership_id = $1")),
    ("plan_versions", Scope::Rows(her!())),
    ("period_changes", Scope::Rows(her!())),
    (
        "activity_groups",
        Scope::Rows("intervention_id IN (SELECT id FROM interventions WHERE partnership_id = $1)"),
    ),
    ("enrolments", Scope::Rows(her!())),
    (
        "group_sessions",
        Scope::Rows(
            "group_id IN (SELECT g.id FROM activity_groups g \
             JOIN interventions i ON i.id = g.intervention_id WHERE i.partnership_id = $1)",
        ),
    ),
    ("attendance", Scope::Rows(her!())),
    ("activity_records", Scope::Rows(her!())),
    ("consents", Scope::Rows(her!())),
    (
        "consent_organisations",
        Scope::Rows(
            "consent_id IN (SELECT c.id FROM consents c \
             JOIN participants p ON p.id = c.participant_id WHERE p.partnership_id = $1)",
        ),
    ),
    ("emergency_access", Scope::Rows(her!())),
    ("log_reviews", Scope::Rows("partnership_id = $1")),
    ("retention_policies", Scope::Rows("partnership_id = $1")),
    ("notes", Scope::Rows(her!())),
    ("participant_versions", Scope::Rows(her!())),
    (
        "data_key",
        Scope::Excluded("the fingerprint of the source's data key; the target has its own"),
    ),
    ("goals", Scope::Rows("partnership_id = $1")),
    ("follow_ups", Scope::Rows(her!())),
    ("participant_time", Scope::Rows(her!())),
    ("attendance_corrections", Scope::Rows(her!())),
    ("responsibility_handovers", Scope::Rows(her!())),
    ("refused_access", Scope::Rows("partnership_id = $1")),
    ("role_requests", Scope::Rows("partnership_id = $1")),
    (
        "idempotency_keys",
        Scope::Excluded("answers kept 24 hours for clients that retry: transient"),
    ),
    (
        "data_version",
        Scope::Excluded("the count of changes that kept figures are checked against; a new database starts its own"),
    ),
    (
        "employer_contacts",
        Scope::Rows("employer_id IN (SELECT id FROM employers WHERE partnership_id = $1)"),
    ),
    (
        "employer_contact_log",
        Scope::Rows("employer_id IN (SELECT id FROM employers WHERE partnership_id = $1)"),
    ),
    ("openings", Scope::Rows("partnership_id = $1")),
    ("participant_interests", Scope::Rows(her!())),
    ("proposals", Scope::Rows("partnership_id = $1")),
    (
        "proposal_steps",
        Scope::Rows("proposal_id IN (SELECT id FROM proposals WHERE partnership_id = $1)"),
    ),
    ("placements", Scope::Rows("partnership_id = $1")),
    (
        "placement_reviews",
        Scope::Rows("placement_id IN (SELECT id FROM placements WHERE partnership_id = $1)"),
    ),
    ("participant_reach", Scope::Rows(her!())),
    ("referral_routines", Scope::Rows("partnership_id = $1")),
    ("referrals", Scope::Rows("partnership_id = $1")),
    (
        "referral_events",
        Scope::Rows("referral_id IN (SELECT id FROM referrals WHERE partnership_id = $1)"),
    ),
    (
        "referral_notes",
        Scope::Rows("referral_id IN (SELECT id FROM referrals WHERE partnership_id = $1)"),
    ),
    ("inbox_messages", Scope::Rows("partnership_id = $1")),
    (
        "digests_sent",
        Scope::Excluded(
            "per user, across partnerships: which days an e-mail digest went out (bookkeeping)",
        ),
    ),
    (
        "calendar_feeds",
        Scope::Excluded("a credential (the hash of a feed address's secret); make a new feed"),
    ),
    ("time_attestations", Scope::Rows("partnership_id = $1")),
    ("portal_accounts", Scope::Rows(her!())),
    (
        "portal_invitations",
        Scope::Excluded("invitation codes in flight: credentials that expire; invite again"),
    ),
    (
        "portal_sessions",
        Scope::Excluded("portal sign-in sessions: credentials that end within hours"),
    ),
    ("portal_passkeys", Scope::Rows(her!())),
    ("time_confirmations", Scope::Rows(her!())),
    (
        "portal_ceremonies",
        Scope::Excluded("passkey ceremonies in flight, kept a few minutes: transient"),
    ),
    ("instruments", Scope::Rows("partnership_id = $1")),
    (
        "instrument_versions",
        Scope::Rows("instrument_id IN (SELECT id FROM instruments WHERE partnership_id = $1)"),
    ),
    (
        "questionnaire_schedules",
        Scope::Rows("project_id IN (SELECT id FROM projects WHERE partnership_id = $1)"),
    ),
    ("questionnaire_responses", Scope::Rows(her!())),
    (
        "questionnaire_answers",
        Scope::Rows(
            "response_id IN (SELECT r.id FROM questionnaire_responses r \
             JOIN participants p ON p.id = r.participant_id WHERE p.partnership_id = $1)",
        ),
    ),
    ("month_attestations", Scope::Rows(her!())),
    ("time_corrections", Scope::Rows(her!())),
    ("imports", Scope::Rows("partnership_id = $1")),
    (
        "import_participants",
        Scope::Rows("import_id IN (SELECT id FROM imports WHERE partnership_id = $1)"),
    ),
    (
        "import_records",
        Scope::Rows("import_id IN (SELECT id FROM imports WHERE partnership_id = $1)"),
    ),
    ("webhook_endpoints", Scope::Rows("partnership_id = $1")),
    (
        "webhook_outbox",
        Scope::Excluded(
            "deliveries to other systems: the source delivers what it owes; the target starts \
             with an empty outbox",
        ),
    ),
    (
        "webhook_attempts",
        Scope::Excluded("the attempts of the outbox's deliveries, left out with them"),
    ),
    (
        "schema_migrations",
        Scope::Excluded("the manifest lists the applied migrations; the target keeps its own"),
    ),
];

/// How a column is held in an archive when it is sealed there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// Sealed under the data key in the database (`enc1:`).
    Sealed,
    /// In clear in the database, but a secret or personal data that an
    /// archive seals all the same.
    Clear,
}

/// The columns an archive seals under its own key: `(table, column, how
/// the database holds it)`. The sealing's associated data is
/// `table.column`, as in the database.
pub const SEALED: &[(&str, &str, Held)] = &[
    ("participants", "identity_number", Held::Sealed),
    ("participants", "health_notes", Held::Sealed),
    ("participants", "support_needs", Held::Sealed),
    ("participant_versions", "profile", Held::Sealed),
    ("users", "totp_secret", Held::Sealed),
    ("users", "totp_pending", Held::Sealed),
    ("webhook_endpoints", "secret", Held::Sealed),
    ("partnerships", "research_secret", Held::Clear),
    ("imports", "content", Held::Clear),
];

/// Columns an archive leaves empty because the target computes them again:
/// the keyed hash of the identity number is made with the target's key.
pub const RECOMPUTED: &[(&str, &str)] = &[("participants", "identity_hash")];

/// The scope of a table, if it is in [`TABLES`].
pub fn scope(table: &str) -> Option<Scope> {
    TABLES.iter().find(|(t, _)| *t == table).map(|(_, s)| *s)
}

/// The exported tables in [`TABLES`]' order, with their scope.
pub fn exported() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLES.iter().filter_map(|(t, s)| match s {
        Scope::Rows(w) => Some((*t, *w)),
        Scope::Excluded(_) => None,
    })
}

/// Whether a reference from `table` to `references` is set after every
/// row is in: it points to its own table or to one later in [`TABLES`].
pub fn deferred(table: &str, references: &str) -> bool {
    let at = |t: &str| TABLES.iter().position(|(n, _)| *n == t);
    match (at(table), at(references)) {
        (Some(a), Some(b)) => b >= a,
        _ => false,
    }
}
