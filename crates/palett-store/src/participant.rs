//! Participants, their caseworkers and projects, and their status history.
//! Every list and count takes the caller's [`ParticipantScope`], so no query
//! can forget the access rules.

use crate::placeholders;
use crate::row::*;
use crate::sealing::{is_sealed, open_opt, seal_opt, Sealer};
use crate::tally::Part;
pub(crate) use crate::tally::{bind_all, Arg};
use crate::{Result, StoreError};
use jiff::civil::Date;
use palett_domain::followup::{EntrySituation, IncomeSource, LabourStatus};
use palett_domain::indicators::{OutcomeGroup, Period, Slice, ACTIVE_STATUSES};
use palett_domain::lifecycle::{
    ExitDestination, ExitDestinationView, ExitOutcome, LifecycleState, Status, TransitionKind,
};
use palett_domain::model::{
    Handover, Participant, ParticipantProfile, Person, Restricted, StatusEvent,
};
use palett_domain::palette::PauseKind;
use palett_domain::policy::{Actor, ParticipantScope, Relation};
use palett_domain::values::{EducationLevel, Gender, IdentityKind, ReferralSource, SwedishLevel};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;

const COLUMNS: &str = "p.id, p.partnership_id, p.given_name, p.family_name, p.identity_kind, \
    p.identity_number, p.birth_date, p.gender, p.country_of_birth, p.arrival_year, p.languages, \
    p.interpreter_needed, p.phone, p.email, p.address, p.education_level, p.swedish_level, \
    p.referral_source, p.responsible_organisation_id, o.name AS responsible_organisation_name, \
    p.status, p.referred_on, p.intake_date, p.exit_date, p.exit_outcome, p.last_change_on, p.version, \
    p.health_notes, p.support_needs, p.protected_identity, p.processing_restricted, p.restriction_reason, p.archive_hold, \
    p.entry_labour_status, p.entry_income_source, p.entry_months_on_support";

fn participant(r: &AnyRow, s: &dyn Sealer) -> Result<Participant> {
    Ok(Participant {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        person: Person {
            given_name: text(r, "given_name")?,
            family_name: text(r, "family_name")?,
            identity_kind: vocab(r, "identity_kind", IdentityKind::parse)?,
            identity_number: open_opt(s, IDENTITY, opt_text(r, "identity_number")?)?,
            birth_date: date(r, "birth_date")?,
            gender: vocab(r, "gender", Gender::parse)?,
            country_of_birth: opt_text(r, "country_of_birth")?,
            arrival_year: opt_i64(r, "arrival_year")?
                .map(|y| i16::try_from(y).map_err(|_| StoreError::Corrupt("arrival_year")))
                .transpose()?,
            languages: text(r, "languages")?
                .split('\n')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            interpreter_needed: flag(r, "interpreter_needed")?,
            phone: opt_text(r, "phone")?,
            email: opt_text(r, "email")?,
            address: opt_text(r, "address")?,
            education_level: vocab(r, "education_level", EducationLevel::parse)?,
            swedish_level: vocab(r, "swedish_level", SwedishLevel::parse)?,
            referral_source: vocab(r, "referral_source", ReferralSource::parse)?,
            entry: EntrySituation {
                labour_status: vocab(r, "entry_labour_status", LabourStatus::parse)?,
                income_source: vocab(r, "entry_income_source", IncomeSource::parse)?,
                months_on_support: opt_i64(r, "entry_months_on_support")?,
            },
        },
        state: LifecycleState {
            status: vocab(r, "status", Status::parse)?,
            referred_on: date(r, "referred_on")?,
            intake_date: opt_date(r, "intake_date")?,
            exit_date: opt_date(r, "exit_date")?,
            exit_outcome: opt_vocab(r, "exit_outcome", ExitOutcome::parse)?,
            last_change_on: date(r, "last_change_on")?,
        },
        responsible_organisation_id: i64_(r, "responsible_organisation_id")?,
        responsible_organisation_name: text(r, "responsible_organisation_name")?,
        version: i64_(r, "version")?,
        restricted: Some(Restricted {
            health_notes: open_opt(s, HEALTH, opt_text(r, "health_notes")?)?,
            support_needs: open_opt(s, SUPPORT, opt_text(r, "support_needs")?)?,
            protected_identity: flag(r, "protected_identity")?,
        }),
        processing_restricted: if flag(r, "processing_restricted")? {
            Some(opt_text(r, "restriction_reason")?.unwrap_or_default())
        } else {
            None
        },
        archive_hold: flag(r, "archive_hold")?,
    })
}

/// The sealed columns, named as the sealer sees them.
pub(crate) const IDENTITY: &str = "participants.identity_number";
const HEALTH: &str = "participants.health_notes";
const SUPPORT: &str = "participants.support_needs";

/// The sealed forms of a profile's protected fields, and the keyed hash of
/// its identity number.
struct Protected {
    identity_number: Option<String>,
    identity_hash: Option<String>,
    health_notes: Option<String>,
    support_needs: Option<String>,
}

impl Protected {
    fn of(s: &dyn Sealer, partnership_id: i64, p: &ParticipantProfile) -> Result<Self> {
        Ok(Self {
            identity_number: seal_opt(s, IDENTITY, p.identity_number.as_deref())?,
            identity_hash: p
                .identity_number
                .as_deref()
                .map(|n| s.identity_hash(partnership_id, n)),
            health_notes: seal_opt(s, HEALTH, p.restricted.health_notes.as_deref())?,
            support_needs: seal_opt(s, SUPPORT, p.restricted.support_needs.as_deref())?,
        })
    }
}

pub(crate) fn search_name(given: &str, family: &str) -> String {
    format!("{given} {family}").to_lowercase()
}

/// The columns a profile writes, declared once: the INSERT and the UPDATE
/// below are built from this list and [`bind_profile`] binds in its order.
const PROFILE_COLUMNS: [&str; 25] = [
    "given_name",
    "family_name",
    "search_name",
    "identity_kind",
    "identity_number",
    "birth_date",
    "gender",
    "country_of_birth",
    "arrival_year",
    "languages",
    "interpreter_needed",
    "phone",
    "email",
    "address",
    "education_level",
    "swedish_level",
    "referral_source",
    "entry_labour_status",
    "entry_income_source",
    "entry_months_on_support",
    "responsible_organisation_id",
    "health_notes",
    "support_needs",
    "protected_identity",
    "identity_hash",
];

/// Bind the [`PROFILE_COLUMNS`] of a profile, in their order.
fn bind_profile<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &'q ParticipantProfile,
    sealed: Protected,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let person = &p.person;
    q.bind(&person.given_name)
        .bind(&person.family_name)
        .bind(search_name(&person.given_name, &person.family_name))
        .bind(person.identity_kind.as_str())
        .bind(sealed.identity_number)
        .bind(person.birth_date.to_string())
        .bind(person.gender.as_str())
        .bind(person.country_of_birth.as_deref())
        .bind(person.arrival_year.map(i64::from))
        .bind(person.languages.join("\n"))
        .bind(i64::from(person.interpreter_needed))
        .bind(person.phone.as_deref())
        .bind(person.email.as_deref())
        .bind(person.address.as_deref())
        .bind(person.education_level.as_str())
        .bind(person.swedish_level.as_str())
        .bind(person.referral_source.as_str())
        .bind(person.entry.labour_status.as_str())
        .bind(person.entry.income_source.as_str())
        .bind(person.entry.months_on_support)
        .bind(p.responsible_organisation_id)
        .bind(sealed.health_notes)
        .bind(sealed.support_needs)
        .bind(i64::from(p.restricted.protected_identity))
        .bind(sealed.identity_hash)
}

/// Insert a new participant with her lifecycle state; returns her id.
pub async fn insert(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    partnership_id: i64,
    p: &ParticipantProfile,
    state: &LifecycleState,
    now: i64,
) -> Result<i64> {
    let sealed = Protected::of(s, partnership_id, p)?;
    let n = PROFILE_COLUMNS.len();
    let sql = format!(
        "INSERT INTO participants (partnership_id, {}, status, referred_on, intake_date, exit_date, \
         exit_outcome, last_change_on, created_at, updated_at, version) \
         VALUES ($1, {}, {}, ${now_at}, ${now_at}, 1) RETURNING id",
        PROFILE_COLUMNS.join(", "),
        placeholders(2, n),
        placeholders(n + 2, 6),
        now_at = n + 8,
    );
    let q = sqlx::query(&sql).bind(partnership_id);
    let row = bind_profile(q, p, sealed)
        .bind(state.status.as_str())
        .bind(state.referred_on.to_string())
        .bind(state.intake_date.map(|d| d.to_string()))
        .bind(state.exit_date.map(|d| d.to_string()))
        .bind(state.exit_outcome.map(|o| o.as_str()))
        .bind(state.last_change_on.to_string())
        .bind(now)
        .fetch_one(&mut *c)
        .await?;
    let id = i64_(&row, "id")?;
    set_links(c, id, &p.caseworker_ids, &p.project_ids).await?;
    Ok(id)
}

/// Replace the profile fields, if the stored version is still `version`.
pub async fn update_profile(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    partnership_id: i64,
    id: i64,
    version: i64,
    p: &ParticipantProfile,
    now: i64,
) -> Result<()> {
    let sealed = Protected::of(s, partnership_id, p)?;
    let n = PROFILE_COLUMNS.len();
    let set: Vec<String> = PROFILE_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{col} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE participants SET {}, referred_on = ${}, version = version + 1, updated_at = ${} \
         WHERE id = ${} AND version = ${}",
        set.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
    );
    let q = bind_profile(sqlx::query(&sql), p, sealed).bind(p.referred_on.to_string());
    if_version(q, &mut *c, now, id, version).await?;
    sqlx::query("DELETE FROM participant_caseworkers WHERE participant_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM participant_projects WHERE participant_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    set_links(c, id, &p.caseworker_ids, &p.project_ids).await
}

async fn set_links(
    c: &mut AnyConnection,
    id: i64,
    caseworkers: &[i64],
    projects: &[i64],
) -> Result<()> {
    for u in caseworkers {
        sqlx::query(
            "INSERT INTO participant_caseworkers (participant_id, user_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(u)
        .execute(&mut *c)
        .await?;
    }
    for pr in projects {
        sqlx::query(
            "INSERT INTO participant_projects (participant_id, project_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(pr)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Store a lifecycle change, if the stored version is still `version`.
pub async fn update_state(
    c: &mut AnyConnection,
    id: i64,
    version: i64,
    s: &LifecycleState,
    now: i64,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE participants SET status = $1, intake_date = $2, exit_date = $3, exit_outcome = $4, \
         last_change_on = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
    )
    .bind(s.status.as_str())
    .bind(s.intake_date.map(|d| d.to_string()))
    .bind(s.exit_date.map(|d| d.to_string()))
    .bind(s.exit_outcome.map(|o| o.as_str()))
    .bind(s.last_change_on.to_string());
    if_version(q, c, now, id, version).await
}

/// Store where her exit led (all empty: none named, or cleared when she is
/// reopened).
pub async fn set_exit_destination(
    c: &mut AnyConnection,
    id: i64,
    d: &ExitDestination,
) -> Result<()> {
    sqlx::query(
        "UPDATE participants SET exit_employer_id = $1, exit_placement_id = $2, exit_school = $3 \
         WHERE id = $4",
    )
    .bind(d.employer_id)
    .bind(d.placement_id)
    .bind(d.school.as_deref())
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Where her exit led, with the employer's name and the placement's
/// opening title; `None` when nothing is named.
pub async fn exit_destination(
    c: &mut AnyConnection,
    id: i64,
) -> Result<Option<ExitDestinationView>> {
    let Some(r) = sqlx::query(
        "SELECT p.exit_employer_id, e.name AS employer_name, p.exit_placement_id, \
         o.title AS placement_title, p.exit_school FROM participants p \
         LEFT JOIN employers e ON e.id = p.exit_employer_id \
         LEFT JOIN placements pl ON pl.id = p.exit_placement_id \
         LEFT JOIN proposals r ON r.id = pl.proposal_id \
         LEFT JOIN openings o ON o.id = r.opening_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?
    else {
        return Ok(None);
    };
    let v = ExitDestinationView {
        employer_id: opt_i64(&r, "exit_employer_id")?,
        employer_name: opt_text(&r, "employer_name")?,
        placement_id: opt_i64(&r, "exit_placement_id")?,
        placement_title: opt_text(&r, "placement_title")?,
        school: opt_text(&r, "exit_school")?,
    };
    Ok((v != ExitDestinationView::default()).then_some(v))
}

/// Run an update of a participant that only holds if her stored version is
/// still `version`: binds `now`, her id and the version as the statement's
/// last three parameters (`updated_at`, `id`, `version`). No row changed
/// means someone else saved first: [`StoreError::Stale`].
async fn if_version<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    c: &mut AnyConnection,
    now: i64,
    id: i64,
    version: i64,
) -> Result<()> {
    let n = q
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(c)
        .await?
        .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Stale)
    }
}

/// A participant and the caller's relation to her, consents judged on
/// `today` (`None`: no such id).
pub async fn by_id_with_relation(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    id: i64,
    actor: &Actor,
    today: Date,
    now: i64,
) -> Result<Option<(Participant, Relation)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, \
         (SELECT COUNT(*) FROM participant_caseworkers pc WHERE pc.participant_id = p.id AND pc.user_id = $2) AS assigned, \
         (SELECT COUNT(*) FROM enrolments pe JOIN interventions pi ON pi.id = pe.intervention_id \
          WHERE pe.participant_id = p.id AND pi.provider_organisation_id = $3 AND pe.status IN ('offered', 'planned', 'ongoing')) AS enrolled, \
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS shared, \
         (SELECT COUNT(*) FROM emergency_access ea WHERE ea.participant_id = p.id AND ea.user_id = $2 \
          AND ea.expires_at > $5) AS emergency \
         FROM participants p JOIN organisations o ON o.id = p.responsible_organisation_id WHERE p.id = $1",
        shared_sql(3, 4)
    ))
    .bind(id)
    .bind(actor.user_id)
    .bind(actor.organisation_id)
    .bind(today.to_string())
    .bind(now)
    .fetch_optional(c)
    .await?;
    row.map(|r| {
        let p = participant(&r, s)?;
        let rel = Relation {
            same_partnership: p.partnership_id == actor.partnership_id,
            own_organisation_responsible: p.responsible_organisation_id == actor.organisation_id,
            assigned_to_actor: i64_(&r, "assigned")? > 0,
            enrolled_with_own_organisation: i64_(&r, "enrolled")? > 0,
            shared_with_own_organisation: i64_(&r, "shared")? > 0,
            emergency: i64_(&r, "emergency")? > 0,
        };
        Ok((p, rel))
    })
    .transpose()
}

/// A caseworker assigned to a participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedCaseworker {
    pub user_id: i64,
    /// Her display name.
    pub name: String,
    /// Her organisation's name.
    pub organisation: String,
}

/// A project a participant takes part in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectTaken {
    pub project_id: i64,
    /// The project's name.
    pub name: String,
}

/// A participant's assigned caseworkers, by name.
pub async fn caseworkers(c: &mut AnyConnection, id: i64) -> Result<Vec<AssignedCaseworker>> {
    sqlx::query(
        "SELECT u.id, u.display_name, o.name FROM participant_caseworkers pc \
         JOIN users u ON u.id = pc.user_id JOIN organisations o ON o.id = u.organisation_id \
         WHERE pc.participant_id = $1 ORDER BY u.display_name",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(AssignedCaseworker {
            user_id: i64_(r, "id")?,
            name: text(r, "display_name")?,
            organisation: text(r, "name")?,
        })
    })
    .collect()
}

/// The projects a participant takes part in, the earliest first.
pub async fn projects(c: &mut AnyConnection, id: i64) -> Result<Vec<ProjectTaken>> {
    sqlx::query(
        "SELECT pr.id, pr.name FROM participant_projects pp JOIN projects pr ON pr.id = pp.project_id \
         WHERE pp.participant_id = $1 ORDER BY pr.start_date",
    )
    .bind(id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(ProjectTaken {
            project_id: i64_(r, "id")?,
            name: text(r, "name")?,
        })
    })
    .collect()
}

#[derive(Clone)]
pub struct NewEvent<'a> {
    pub participant_id: i64,
    pub kind: TransitionKind,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub on_date: Date,
    pub reason: Option<&'a str>,
    pub exit_outcome: Option<ExitOutcome>,
    pub pause_kind: Option<PauseKind>,
    pub actor_user_id: Option<i64>,
}

pub async fn insert_event(c: &mut AnyConnection, e: &NewEvent<'_>, now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO status_events (participant_id, kind, from_status, to_status, on_date, reason, \
         exit_outcome, actor_user_id, at, pause_kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING id",
    )
    .bind(e.participant_id)
    .bind(e.kind.as_str())
    .bind(e.from_status.map(|s| s.as_str()))
    .bind(e.to_status.as_str())
    .bind(e.on_date.to_string())
    .bind(e.reason)
    .bind(e.exit_outcome.map(|o| o.as_str()))
    .bind(e.actor_user_id)
    .bind(now)
    .bind(e.pause_kind.map(|k| k.as_str()))
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn events(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<StatusEvent>> {
    sqlx::query(
        "SELECT e.id, e.participant_id, e.kind, e.from_status, e.to_status, e.on_date, e.reason, \
         e.exit_outcome, e.pause_kind, COALESCE(u.display_name, '') AS actor_name, e.at FROM status_events e \
         LEFT JOIN users u ON u.id = e.actor_user_id WHERE e.participant_id = $1 ORDER BY e.id LIMIT 1000",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(StatusEvent {
            id: i64_(r, "id")?,
            participant_id: i64_(r, "participant_id")?,
            kind: vocab(r, "kind", TransitionKind::parse)?,
            from_status: opt_vocab(r, "from_status", Status::parse)?,
            to_status: vocab(r, "to_status", Status::parse)?,
            on_date: date(r, "on_date")?,
            reason: opt_text(r, "reason")?,
            exit_outcome: opt_vocab(r, "exit_outcome", ExitOutcome::parse)?,
            pause_kind: opt_vocab(r, "pause_kind", PauseKind::parse)?,
            actor_name: text(r, "actor_name")?,
            at: moment(r, "at")?,
        })
    })
    .collect()
}

/// Make `organisation_id` responsible for her, if the stored version is
/// still `version`.
pub async fn set_responsible(
    c: &mut AnyConnection,
    id: i64,
    version: i64,
    organisation_id: i64,
    now: i64,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE participants SET responsible_organisation_id = $1, version = version + 1, \
         updated_at = $2 WHERE id = $3 AND version = $4",
    )
    .bind(organisation_id);
    if_version(q, c, now, id, version).await
}

pub struct NewHandover<'a> {
    pub participant_id: i64,
    pub from_organisation_id: i64,
    pub to_organisation_id: i64,
    pub on_date: Date,
    pub reason: &'a str,
    pub actor_user_id: i64,
}

pub async fn insert_handover(c: &mut AnyConnection, h: &NewHandover<'_>, now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO responsibility_handovers (participant_id, from_organisation_id, \
         to_organisation_id, on_date, reason, actor_user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(h.participant_id)
    .bind(h.from_organisation_id)
    .bind(h.to_organisation_id)
    .bind(h.on_date.to_string())
    .bind(h.reason)
    .bind(h.actor_user_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Her handovers, oldest first.
pub async fn handovers(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<Handover>> {
    sqlx::query(
        "SELECT h.id, h.participant_id, h.from_organisation_id, f.name AS from_name, \
         h.to_organisation_id, t.name AS to_name, h.on_date, h.reason, \
         COALESCE(u.display_name, '') AS actor_name, h.at FROM responsibility_handovers h \
         JOIN organisations f ON f.id = h.from_organisation_id \
         JOIN organisations t ON t.id = h.to_organisation_id \
         LEFT JOIN users u ON u.id = h.actor_user_id WHERE h.participant_id = $1 ORDER BY h.id LIMIT 1000",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Handover {
            id: i64_(r, "id")?,
            participant_id: i64_(r, "participant_id")?,
            from_organisation_id: i64_(r, "from_organisation_id")?,
            from_organisation_name: text(r, "from_name")?,
            to_organisation_id: i64_(r, "to_organisation_id")?,
            to_organisation_name: text(r, "to_name")?,
            on_date: date(r, "on_date")?,
            reason: text(r, "reason")?,
            actor_name: text(r, "actor_name")?,
            at: moment(r, "at")?,
        })
    })
    .collect()
}

/// Whole years from birth to intake, from the ISO texts (both databases).
/// The enrolment statuses of one who has taken part in an intervention
/// (the Finsam report and the breakdown by intervention count these).
pub(crate) const STARTED_ENROLMENT: &str = "('ongoing', 'completed', 'discontinued')";

pub(crate) const AGE_AT_INTAKE: &str =
    "(CAST(substr(p.intake_date, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER) \
     - CASE WHEN substr(p.intake_date, 6, 5) < substr(p.birth_date, 6, 5) THEN 1 ELSE 0 END)";

/// Filters of the participant list; all optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Matches anywhere in "given family", case-insensitively.
    pub name: Option<String>,
    pub status: Option<Status>,
    pub organisation_id: Option<i64>,
    pub project_id: Option<i64>,
    pub caseworker_id: Option<i64>,
    /// Exact match on the keyed hash of a personal identity number (set by
    /// palett-app when the search text is one).
    pub identity_hash: Option<String>,
    /// The participants behind a figure (with `project_id` for a project's).
    pub slice: Option<Slice>,
    /// In the programme (enrolled, active or paused) with a planned end
    /// within these days (first and last): periods ending soon.
    pub planned_end_within: Option<(Date, Date)>,
    /// With a consent not withdrawn that expires within these days.
    pub consent_expiring_within: Option<(Date, Date)>,
    /// In the programme and without any version of a plan.
    pub without_plan: bool,
    /// With a placement that ended before this day and has no final review
    /// with the employer.
    pub placement_review_due_on: Option<Date>,
    /// In the programme with a plan whose latest version was written
    /// before this moment (a review is due).
    pub plan_written_before: Option<i64>,
    /// Waiting for a place in an intervention this organisation provides.
    pub waiting_at: Option<i64>,
}

/// One line of the participant list: what a list needs, no more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub birth_year: i16,
    pub status: Status,
    pub responsible_organisation_name: String,
    pub intake_date: Option<Date>,
    pub exit_date: Option<Date>,
}

pub(crate) struct Sql {
    pub(crate) clauses: Vec<String>,
    pub(crate) args: Vec<Arg>,
    /// The conditions are for a page walked in name order: a period
    /// compares its column as an expression, so that no date index tempts
    /// SQLite away from the walk (it takes a range on `exit_date` for
    /// selective, then sorts every match: 3.9 s for the participants
    /// behind a share at a million participants, 6 ms walking the names).
    pub(crate) walk: bool,
}

impl Sql {
    /// Conditions starting with `first`, whose one parameter is `$1`.
    pub(crate) fn new(first: &str, arg: Arg) -> Self {
        Sql {
            clauses: vec![first.to_string()],
            args: vec![arg],
            walk: false,
        }
    }

    /// No conditions yet.
    fn empty(walk: bool) -> Self {
        Sql {
            clauses: Vec::new(),
            args: Vec::new(),
            walk,
        }
    }

    /// The conditions joined with AND.
    pub(crate) fn conditions(&self) -> String {
        self.clauses.join(" AND ")
    }

    /// Add a parameter for a condition written by the caller; its number.
    pub(crate) fn arg(&mut self, arg: Arg) -> usize {
        self.args.push(arg);
        self.args.len()
    }

    /// Add a condition with one parameter; `clause` gets its number.
    pub(crate) fn push(&mut self, clause: impl FnOnce(usize) -> String, arg: Arg) {
        self.args.push(arg);
        let n = self.args.len();
        self.clauses.push(clause(n));
    }

    /// `column` within the period (ISO dates compare as text).
    pub(crate) fn push_period(&mut self, column: &str, p: Period) {
        let walked;
        let column = if self.walk {
            walked = format!("({column} || '')");
            walked.as_str()
        } else {
            column
        };
        self.push(
            |n| format!("{column} >= ${n}"),
            Arg::Text(p.start.to_string()),
        );
        self.push(
            |n| format!("{column} <= ${n}"),
            Arg::Text(p.end.to_string()),
        );
    }

    /// `column` is one of `values`.
    fn push_in(&mut self, column: &str, values: &[&str]) {
        let first = self.args.len() + 1;
        self.args
            .extend(values.iter().map(|v| Arg::Text((*v).to_string())));
        self.clauses.push(format!(
            "{column} IN ({})",
            placeholders(first, values.len())
        ));
    }

    /// The conditions of a figure's slice, as [`Slice::contains`] states them.
    fn push_slice(&mut self, sl: &Slice) {
        if let Some(p) = sl.intake_in {
            self.push_period("p.intake_date", p);
        }
        if let Some(p) = sl.exit_in {
            self.push_period("p.exit_date", p);
        }
        if let Some(g) = sl.outcome {
            let texts: Vec<&str> = g.outcomes().iter().map(|o| o.as_str()).collect();
            self.push_in("p.exit_outcome", &texts);
        }
        if let Some(o) = sl.exit_outcome {
            self.push(
                |n| format!("p.exit_outcome = ${n}"),
                Arg::Text(o.as_str().into()),
            );
        }
        if sl.active {
            let texts: Vec<&str> = ACTIVE_STATUSES.iter().map(|s| s.as_str()).collect();
            self.push_in("p.status", &texts);
        }
        if let Some(g) = sl.gender {
            self.push(|n| format!("p.gender = ${n}"), Arg::Text(g.as_str().into()));
        }
        if let Some(o) = sl.organisation_id {
            self.push(
                |n| format!("p.responsible_organisation_id = ${n}"),
                Arg::Int(o),
            );
        }
        if let Some(m) = sl.intake_month {
            self.push_period(
                "p.intake_date",
                Period {
                    start: m.first_day(),
                    end: m.last_day(),
                },
            );
        }
        if let Some(by) = sl.follow_up_due_by {
            self.push(
                |n| {
                    format!(
                        "EXISTS (SELECT 1 FROM follow_ups fd WHERE fd.participant_id = p.id AND fd.due_on <= ${n})"
                    )
                },
                Arg::Text(by.to_string()),
            );
        }
        // Followed up: a follow-up done, she was reached (one closed as not
        // reached has no `done_on`); the same condition as the facts'.
        if sl.followed_up {
            self.clauses.push(
                "EXISTS (SELECT 1 FROM follow_ups fu WHERE fu.participant_id = p.id AND fu.done_on IS NOT NULL)"
                    .into(),
            );
        }
        if let Some(pr) = sl.project_id {
            self.push(
                |n| format!("EXISTS (SELECT 1 FROM participant_projects sp WHERE sp.participant_id = p.id AND sp.project_id = ${n})"),
                Arg::Int(pr),
            );
        }
        if sl.ordinary_operations {
            self.clauses.push(
                "NOT EXISTS (SELECT 1 FROM participant_projects so WHERE so.participant_id = p.id)"
                    .into(),
            );
        }
        if let Some(p) = sl.first_placement_in {
            self.push_period(
                "(SELECT MIN(x.start_date) FROM placements x WHERE x.participant_id = p.id)",
                p,
            );
        }
        if sl.placed_before_exit {
            self.clauses.push(
                "EXISTS (SELECT 1 FROM placements sb WHERE sb.participant_id = p.id \
                 AND sb.start_date <= p.exit_date)"
                    .into(),
            );
        }
        // Her first internship's start and first end, and her first job
        // placement's start, as [`Facts`] reads them.
        let first = |column: &str, kind: &str| {
            format!(
                "(SELECT MIN(x.{column}) FROM placements x WHERE x.participant_id = p.id \
                 AND x.kind = '{kind}')"
            )
        };
        let (intern_from, intern_to) = (
            first("start_date", "internship"),
            first("end_date", "internship"),
        );
        if let Some(p) = sl.first_internship_in {
            self.push_period(&intern_from, p);
        }
        if let Some(p) = sl.internship_ended_in {
            self.push_period(&intern_to, p);
        }
        if sl.job_after_internship {
            // The outcomes are the domain's own words, not input.
            let jobs: Vec<String> = OutcomeGroup::Job
                .outcomes()
                .iter()
                .map(|o| format!("'{}'", o.as_str()))
                .collect();
            let job = first("start_date", "job");
            let days = palett_domain::indicators::JOB_AFTER_INTERNSHIP_DAYS;
            self.clauses.push(format!(
                "({intern_from} IS NOT NULL AND ((p.exit_outcome IN ({jobs}) \
                 AND p.exit_date >= {intern_from} \
                 AND julianday(p.exit_date) <= julianday({intern_to}) + {days}) \
                 OR ({job} >= {intern_from} AND julianday({job}) <= julianday({intern_to}) + {days})))",
                jobs = jobs.join(", ")
            ));
        }
        if let Some(i) = sl.industry {
            self.push(
                |n| {
                    format!(
                        "(EXISTS (SELECT 1 FROM placements xi JOIN proposals xr ON xr.id = xi.proposal_id \
                         JOIN openings xo ON xo.id = xr.opening_id JOIN employers xe ON xe.id = xo.employer_id \
                         WHERE xi.participant_id = p.id AND xe.industry = ${n}) \
                         OR EXISTS (SELECT 1 FROM employers xx WHERE xx.id = p.exit_employer_id \
                         AND xx.industry = ${n}))"
                    )
                },
                Arg::Text(i.as_str().into()),
            );
        }
        if let Some(a) = sl.area {
            self.push(
                |n| {
                    format!(
                        "EXISTS (SELECT 1 FROM placements xa JOIN proposals xr ON xr.id = xa.proposal_id \
                         JOIN openings xo ON xo.id = xr.opening_id \
                         WHERE xa.participant_id = p.id AND xo.area = ${n})"
                    )
                },
                Arg::Text(a.into()),
            );
        }
        if let Some(i) = sl.intervention_id {
            self.push(
                |n| {
                    format!(
                        "EXISTS (SELECT 1 FROM enrolments si WHERE si.participant_id = p.id \
                 AND si.intervention_id = ${n} AND si.status IN {STARTED_ENROLMENT})"
                    )
                },
                Arg::Int(i),
            );
        }
        if let Some(y) = sl.intake_year {
            self.push_period(
                "p.intake_date",
                Period {
                    start: jiff::civil::date(y, 1, 1),
                    end: jiff::civil::date(y, 12, 31),
                },
            );
        }
        if let Some(days) = sl.plan_within_days {
            // julianday() is SQLite's; the PostgreSQL schema defines it too.
            self.push(
                |n| {
                    format!(
                        "(p.intake_date IS NOT NULL AND p.first_plan_on IS NOT NULL \
                 AND julianday(p.first_plan_on) - julianday(p.intake_date) <= ${n})"
                    )
                },
                Arg::Int(days),
            );
        }
        if sl.assessed_twice {
            self.clauses.push("p.self_assessments >= 2".into());
        }
        if sl.assessment_improved {
            self.clauses.push("p.self_assessment_change > 0".into());
        }
        if let Some(g) = sl.age_group {
            let age = AGE_AT_INTAKE;
            let (lo, hi) = g.bounds();
            self.clauses.push("p.intake_date IS NOT NULL".into());
            self.push(|n| format!("{age} >= ${n}"), Arg::Int(lo.into()));
            self.push(|n| format!("{age} <= ${n}"), Arg::Int(hi.into()));
        }
    }
}

/// Her sharing consent in force on day `$t` covers organisation `$o`.
pub(crate) fn shared_sql(o: usize, t: usize) -> String {
    shared_sql_in(o, t, "")
}

/// [`shared_sql`] with `tail` at the end of its subquery (see
/// [`PER_ROW`]).
fn shared_sql_in(o: usize, t: usize, tail: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM consents k JOIN consent_organisations ko ON ko.consent_id = k.id \
         WHERE k.participant_id = p.id AND k.kind = 'sharing' AND {} \
         AND ko.organisation_id = ${o}{tail})",
        crate::consent::in_force_sql(&format!("${t}"), &format!("${t}"))
    )
}

/// Ends a scope's `EXISTS` subqueries in a list that stops after a page:
/// PostgreSQL then checks them row by row through their indexes, as the
/// walk meets each row, where it would otherwise build a hash of every
/// enrolment or consent first (it plans for every visible row, not for the
/// page; `OFFSET` keeps it from turning an `EXISTS` into a hashed
/// subplan). SQLite checks them row by row either way.
const PER_ROW: &str = " LIMIT 1 OFFSET 0";

/// The WHERE clause for a scope and filter; the caller's scope first.
pub(crate) fn where_clause(scope: ParticipantScope, f: &Filter) -> Option<Sql> {
    where_clause_in(scope, f, "")
}

/// [`where_clause`] with `tail` ending the scope's subqueries ([`PER_ROW`]
/// for a page).
fn where_clause_in(scope: ParticipantScope, f: &Filter, tail: &str) -> Option<Sql> {
    let mut s = Sql::empty(!tail.is_empty());
    match scope {
        ParticipantScope::Nothing => return None,
        ParticipantScope::Partnership {
            partnership_id,
            organisation_id,
            today,
        } => {
            s.push(
                |n| format!("p.partnership_id = ${n}"),
                Arg::Int(partnership_id),
            );
            s.args.push(Arg::Int(organisation_id));
            s.args.push(Arg::Text(today.to_string()));
            let (o, t) = (s.args.len() - 1, s.args.len());
            s.clauses.push(format!(
                "(p.responsible_organisation_id = ${o} OR {})",
                shared_sql_in(o, t, tail)
            ));
        }
        ParticipantScope::Responsible {
            partnership_id,
            organisation_id,
        } => {
            s.push(
                |n| format!("p.partnership_id = ${n}"),
                Arg::Int(partnership_id),
            );
            s.push(
                |n| format!("p.responsible_organisation_id = ${n}"),
                Arg::Int(organisation_id),
            );
        }
        ParticipantScope::OrganisationOrAssigned {
            partnership_id,
            organisation_id,
            user_id,
            today,
        } => {
            s.push(
                |n| format!("p.partnership_id = ${n}"),
                Arg::Int(partnership_id),
            );
            s.args.push(Arg::Int(organisation_id));
            s.args.push(Arg::Int(user_id));
            s.args.push(Arg::Text(today.to_string()));
            let (o, u, t) = (s.args.len() - 2, s.args.len() - 1, s.args.len());
            // Her sharing consent first: most of those another partner is
            // responsible for have none covering this one, and SQLite
            // checks the conditions in the order written.
            s.clauses.push(format!(
                "(p.responsible_organisation_id = ${o} OR ({} AND (EXISTS (SELECT 1 FROM participant_caseworkers sc \
                 WHERE sc.participant_id = p.id AND sc.user_id = ${u}{tail}) OR EXISTS (SELECT 1 FROM enrolments se \
                 JOIN interventions si ON si.id = se.intervention_id WHERE se.participant_id = p.id \
                 AND si.provider_organisation_id = ${o} AND se.status IN ('offered', 'planned', 'ongoing'){tail}))))",
                shared_sql_in(o, t, tail)
            ));
        }
    }
    push_filter(&mut s, f);
    Some(s)
}

/// The conditions of `f` (beyond the scope) added to `s`.
fn push_filter(s: &mut Sql, f: &Filter) {
    if let Some(name) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        s.push(
            |n| format!("p.search_name LIKE ${n} ESCAPE '\\'"),
            Arg::Text(like_contains(&name.to_lowercase())),
        );
    }
    if let Some(sl) = &f.slice {
        s.push_slice(sl);
    }
    if let Some(h) = &f.identity_hash {
        s.push(|n| format!("p.identity_hash = ${n}"), Arg::Text(h.clone()));
    }
    if let Some(st) = f.status {
        s.push(
            |n| format!("p.status = ${n}"),
            Arg::Text(st.as_str().into()),
        );
    }
    if let Some(o) = f.organisation_id {
        s.push(
            |n| format!("p.responsible_organisation_id = ${n}"),
            Arg::Int(o),
        );
    }
    if let Some(pr) = f.project_id {
        s.push(
            |n| format!("EXISTS (SELECT 1 FROM participant_projects fp WHERE fp.participant_id = p.id AND fp.project_id = ${n})"),
            Arg::Int(pr),
        );
    }
    if let Some(u) = f.caseworker_id {
        s.push(
            |n| format!("EXISTS (SELECT 1 FROM participant_caseworkers fc WHERE fc.participant_id = p.id AND fc.user_id = ${n})"),
            Arg::Int(u),
        );
    }
    if let Some((first, last)) = f.planned_end_within {
        s.clauses
            .push("p.status IN ('enrolled', 'active', 'paused')".into());
        s.push(
            |n| format!("p.planned_end >= ${n}"),
            Arg::Text(first.to_string()),
        );
        s.push(
            |n| format!("p.planned_end <= ${n}"),
            Arg::Text(last.to_string()),
        );
    }
    if let Some((first, last)) = f.consent_expiring_within {
        s.args.push(Arg::Text(first.to_string()));
        s.args.push(Arg::Text(last.to_string()));
        let (a, b) = (s.args.len() - 1, s.args.len());
        s.clauses.push(format!(
            "EXISTS (SELECT 1 FROM consents ce WHERE ce.participant_id = p.id \
             AND ce.withdrawn_at IS NULL AND ce.expires_on >= ${a} AND ce.expires_on <= ${b})"
        ));
    }
    if let Some(day) = f.placement_review_due_on {
        s.push(
            |n| {
                format!(
                    "EXISTS (SELECT 1 FROM placements pl WHERE pl.participant_id = p.id \
                     AND pl.end_date < ${n} AND NOT EXISTS (SELECT 1 FROM placement_reviews pr \
                     WHERE pr.placement_id = pl.id AND pr.kind = 'final'))"
                )
            },
            Arg::Text(day.to_string()),
        );
    }
    if let Some(before) = f.plan_written_before {
        s.clauses
            .push("p.status IN ('enrolled', 'active', 'paused')".into());
        s.clauses
            .push("EXISTS (SELECT 1 FROM plan_versions pv WHERE pv.participant_id = p.id)".into());
        s.push(
            |n| {
                format!(
                    "NOT EXISTS (SELECT 1 FROM plan_versions pv WHERE pv.participant_id = p.id \
                     AND pv.created_at >= ${n})"
                )
            },
            Arg::Int(before),
        );
    }
    if let Some(org) = f.waiting_at {
        s.push(
            |n| {
                format!(
                    "EXISTS (SELECT 1 FROM enrolments e JOIN interventions i ON i.id = e.intervention_id \
                     WHERE e.participant_id = p.id AND e.status = 'waiting' \
                     AND i.provider_organisation_id = ${n})"
                )
            },
            Arg::Int(org),
        );
    }
    if f.without_plan {
        s.clauses
            .push("p.status IN ('enrolled', 'active', 'paused')".into());
        s.clauses.push(
            "NOT EXISTS (SELECT 1 FROM plan_versions pv WHERE pv.participant_id = p.id)".into(),
        );
    }
}

/// How many participants within the scope each filter of `filters` counts
/// (its conditions as [`list`] applies them), as a part of a
/// [`Tally`](crate::tally::Tally); none when the scope holds no one (every
/// count is 0).
pub fn counts_part(scope: ParticipantScope, filters: &[Filter]) -> Option<Part> {
    let w = where_clause(scope, &Filter::default())?;
    Some(counts_each_part(
        "participants p",
        w,
        filters.len(),
        |s, i| push_filter(s, &filters[i]),
    ))
}

/// How many rows of `from` that meet the conditions `w` also meet each of
/// `n` further sets of conditions (`push(sql, i)` adds the `i`th), as a
/// part of a tally: `SUM(CASE WHEN …)` per set, one scan.
pub(crate) fn counts_each_part(
    from: &str,
    mut w: Sql,
    n: usize,
    mut push: impl FnMut(&mut Sql, usize),
) -> Part {
    let base = w.clauses.len();
    let mut sums = Vec::with_capacity(n);
    for i in 0..n {
        push(&mut w, i);
        let own: Vec<String> = w.clauses.drain(base..).collect();
        let cond = if own.is_empty() {
            "1 = 1".to_string()
        } else {
            own.join(" AND ")
        };
        sums.push(format!(
            "COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS n{i}"
        ));
    }
    let sql = format!(
        "SELECT {} FROM {from} WHERE {}",
        sums.join(", "),
        w.conditions()
    );
    Part::new(sql, w.args, n)
}

/// One page of `select` (its rows) and the `count` of all that match, both
/// with the parameters `args`.
pub(crate) async fn counted_page(
    c: &mut AnyConnection,
    count: &str,
    select: &str,
    args: &[Arg],
) -> Result<(Vec<sqlx::any::AnyRow>, i64)> {
    let total = counted(c, count, args).await?;
    let rows = bind_all(sqlx::query(select), args).fetch_all(c).await?;
    Ok((rows, total))
}

/// The one number `count` (a `SELECT COUNT(*) …`) answers with `args`.
pub(crate) async fn counted(c: &mut AnyConnection, count: &str, args: &[Arg]) -> Result<i64> {
    Ok(bind_all(sqlx::query(count), args)
        .fetch_one(c)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, 0))?)
}

/// How many of the partnership's participants each slice counts, per
/// group: a group is a key, the slice that narrows the population (a
/// project, say) and the slices counted within it. The conditions are
/// [`Slice::contains`]'s, as the list behind a figure applies them, so a
/// count here and the dashboard's figure agree. One statement whatever the
/// number of groups.
pub async fn slice_counts(
    c: &mut AnyConnection,
    partnership_id: i64,
    groups: &[(i64, Slice, Vec<Slice>)],
) -> Result<HashMap<i64, Vec<i64>>> {
    if groups.is_empty() {
        return Ok(HashMap::new());
    }
    let mut s = Sql::empty(false);
    // The clauses a slice adds, joined (the args stay numbered in order).
    fn conditions(s: &mut Sql, sl: &Slice) -> String {
        let first = s.clauses.len();
        s.push_slice(sl);
        let added: Vec<String> = s.clauses.drain(first..).collect();
        if added.is_empty() {
            "1 = 1".into()
        } else {
            added.join(" AND ")
        }
    }
    let mut selects = Vec::new();
    for (key, within, counted) in groups {
        s.args.push(Arg::Int(*key));
        let k = s.args.len();
        let cases: Vec<String> = counted
            .iter()
            .enumerate()
            .map(|(i, sl)| {
                let cond = conditions(&mut s, sl);
                format!("COUNT(CASE WHEN {cond} THEN 1 END) AS n{i}")
            })
            .collect();
        s.args.push(Arg::Int(partnership_id));
        let pid = s.args.len();
        let cond = conditions(&mut s, within);
        selects.push(format!(
            "SELECT ${k} AS grp, {} FROM participants p WHERE p.partnership_id = ${pid} AND {cond}",
            cases.join(", ")
        ));
    }
    let sql = selects.join(" UNION ALL ");
    let rows = bind_all(sqlx::query(&sql), &s.args)
        .fetch_all(&mut *c)
        .await?;
    let mut out = HashMap::new();
    for r in &rows {
        let key = i64_(r, "grp")?;
        let n = groups.iter().find(|g| g.0 == key).map_or(0, |g| g.2.len());
        let counts = (0..n)
            .map(|i| Ok(sqlx::Row::try_get::<i64, _>(r, i + 1)?))
            .collect::<Result<Vec<_>>>()?;
        out.insert(key, counts);
    }
    Ok(out)
}

/// How many participants within the scope match (what [`list`] counts).
pub async fn count(c: &mut AnyConnection, scope: ParticipantScope, f: &Filter) -> Result<i64> {
    let Some(w) = where_clause(scope, f) else {
        return Ok(0);
    };
    counted(
        c,
        &format!(
            "SELECT COUNT(*) FROM participants p WHERE {}",
            w.conditions()
        ),
        &w.args,
    )
    .await
}

/// Where a page of the participant list starts: at a position (page
/// numbers), or just after or just before a participant the caller may see
/// (keyset paging: the page is found by walking the name index from her
/// place, whatever the page's depth). A cursor is an id, so no name travels
/// in a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Offset(i64),
    After(i64),
    Before(i64),
}

/// How far a list's total is counted: beyond it, a list says "more than"
/// this, so that no page counts every participant the viewer may see.
pub const COUNT_LIMIT: i64 = 1000;

/// One page of the participant list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPage {
    pub items: Vec<ListItem>,
    /// How many match, counted up to [`COUNT_LIMIT`].
    pub total: i64,
    /// More than `total` match.
    pub more: bool,
    /// There are participants before this page, and after it.
    pub has_prev: bool,
    pub has_next: bool,
}

impl ListPage {
    /// The cursor of the page after this one (its last participant), if
    /// there is one.
    pub fn next_after(&self) -> Option<i64> {
        self.items.last().filter(|_| self.has_next).map(|i| i.id)
    }

    /// The cursor of the page before this one (its first participant), if
    /// there is one.
    pub fn prev_before(&self) -> Option<i64> {
        self.items.first().filter(|_| self.has_prev).map(|i| i.id)
    }
}

/// One page of participants within the scope, in name order, and how many
/// match (up to [`COUNT_LIMIT`]). `None` when the page is to start at a
/// participant the scope does not hold: a cursor from elsewhere, or one who
/// is gone. At most three statements (the cursor's place, the count and the
/// page), each bounded by the page or [`COUNT_LIMIT`] where an index serves
/// the filter.
pub async fn list(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    f: &Filter,
    limit: i64,
    at: Position,
) -> Result<Option<ListPage>> {
    let Some(mut w) = where_clause_in(scope, f, PER_ROW) else {
        return Ok(Some(ListPage::default()));
    };
    // The cursor's place in the order, looked up within the scope only, so
    // that an id the caller may not see says nothing about where her name
    // sorts.
    let (offset, keyset) = match at {
        Position::Offset(o) => (o.max(0), None),
        Position::After(id) | Position::Before(id) => {
            let Some(mut inside) = where_clause(scope, &Filter::default()) else {
                return Ok(None);
            };
            inside.push(|n| format!("p.id = ${n}"), Arg::Int(id));
            let sql = format!(
                "SELECT p.family_name, p.given_name FROM participants p WHERE {}",
                inside.conditions()
            );
            let Some(row) = bind_all(sqlx::query(&sql), &inside.args)
                .fetch_optional(&mut *c)
                .await?
            else {
                return Ok(None);
            };
            let place = (text(&row, "family_name")?, text(&row, "given_name")?, id);
            (0, Some((matches!(at, Position::After(_)), place)))
        }
    };
    let counted_total = counted(
        c,
        &format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM participants p WHERE {} LIMIT {}) n",
            w.conditions(),
            COUNT_LIMIT + 1
        ),
        &w.args,
    )
    .await?;
    let forward = keyset.as_ref().is_none_or(|(after, _)| *after);
    if let Some((after, (family, given, id))) = keyset {
        let op = if after { ">" } else { "<" };
        let a = w.arg(Arg::Text(family));
        let b = w.arg(Arg::Text(given));
        let i = w.arg(Arg::Int(id));
        w.clauses.push(format!(
            "(p.family_name, p.given_name, p.id) {op} (${a}, ${b}, ${i})"
        ));
    }
    let dir = if forward { "ASC" } else { "DESC" };
    let n = w.args.len();
    // One more than the page: whether there is a next (or, backwards, a
    // previous) page.
    let sql = format!(
        "SELECT p.id, p.given_name, p.family_name, p.birth_date, p.status, o.name AS org_name, \
         p.intake_date, p.exit_date FROM participants p JOIN organisations o ON o.id = p.responsible_organisation_id \
         WHERE {} ORDER BY p.family_name {dir}, p.given_name {dir}, p.id {dir} LIMIT ${} OFFSET ${}",
        w.conditions(),
        n + 1,
        n + 2
    );
    let rows = bind_all(sqlx::query(&sql), &w.args)
        .bind(limit + 1)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
    let beyond = rows.len() as i64 > limit;
    let mut items = rows
        .iter()
        .take(limit.max(0) as usize)
        .map(|r| {
            Ok(ListItem {
                id: i64_(r, "id")?,
                given_name: text(r, "given_name")?,
                family_name: text(r, "family_name")?,
                birth_year: date(r, "birth_date")?.year(),
                status: vocab(r, "status", Status::parse)?,
                responsible_organisation_name: text(r, "org_name")?,
                intake_date: opt_date(r, "intake_date")?,
                exit_date: opt_date(r, "exit_date")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (has_prev, has_next) = match at {
        Position::Offset(_) => (offset > 0, beyond),
        Position::After(_) => (true, beyond),
        Position::Before(_) => {
            items.reverse();
            (beyond, true)
        }
    };
    Ok(Some(ListPage {
        items,
        total: counted_total.min(COUNT_LIMIT),
        more: counted_total > COUNT_LIMIT,
        has_prev,
        has_next,
    }))
}

/// The names ("given family") of those of `ids` who fall within the
/// scope, in one statement: the others are left out, so that a page naming
/// participants names only those its reader may see.
pub async fn names_in_scope(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    ids: &[i64],
) -> Result<HashMap<i64, String>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let Some(mut w) = where_clause(scope, &Filter::default()) else {
            return Ok(out);
        };
        let first = w.args.len() + 1;
        w.args.extend(chunk.iter().map(|id| Arg::Int(*id)));
        w.clauses
            .push(format!("p.id IN ({})", placeholders(first, chunk.len())));
        let sql = format!(
            "SELECT p.id, p.given_name, p.family_name FROM participants p WHERE {}",
            w.conditions()
        );
        for r in bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&mut *c)
            .await?
        {
            let name = format!("{} {}", text(&r, "given_name")?, text(&r, "family_name")?);
            out.insert(i64_(&r, "id")?, name.trim().to_string());
        }
    }
    Ok(out)
}

/// The participant of the partnership with this identity number, if any,
/// found by its keyed hash (the number itself is stored sealed).
pub async fn id_by_identity_number(
    c: &mut AnyConnection,
    s: &dyn Sealer,
    partnership_id: i64,
    identity_number: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM participants WHERE partnership_id = $1 AND identity_hash = $2",
    )
    .bind(partnership_id)
    .bind(s.identity_hash(partnership_id, identity_number))
    .fetch_optional(c)
    .await?)
}

/// Seal what is still stored in clear: identity numbers (and their missing
/// hashes), the restricted field group and the profile snapshots kept by
/// rectification. Returns how many rows it sealed. Idempotent.
pub async fn seal_legacy(c: &mut AnyConnection, s: &dyn Sealer) -> Result<u64> {
    let rows = sqlx::query(
        "SELECT id, partnership_id, identity_number, health_notes, support_needs FROM participants \
         WHERE (identity_number IS NOT NULL AND (identity_hash IS NULL OR identity_number NOT LIKE 'enc1:%')) \
         OR (health_notes IS NOT NULL AND health_notes NOT LIKE 'enc1:%') \
         OR (support_needs IS NOT NULL AND support_needs NOT LIKE 'enc1:%')",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut n = 0;
    for r in &rows {
        let reseal = |column: &str, v: Option<String>| -> Result<Option<String>> {
            match v {
                Some(v) if !is_sealed(&v) => Ok(Some(s.seal(column, &v)?)),
                other => Ok(other),
            }
        };
        let partnership_id = i64_(r, "partnership_id")?;
        let number = open_opt(s, IDENTITY, opt_text(r, "identity_number")?)?;
        sqlx::query(
            "UPDATE participants SET identity_number = $1, identity_hash = $2, health_notes = $3, \
             support_needs = $4 WHERE id = $5",
        )
        .bind(seal_opt(s, IDENTITY, number.as_deref())?)
        .bind(
            number
                .as_deref()
                .map(|n| s.identity_hash(partnership_id, n)),
        )
        .bind(reseal(HEALTH, opt_text(r, "health_notes")?)?)
        .bind(reseal(SUPPORT, opt_text(r, "support_needs")?)?)
        .bind(i64_(r, "id")?)
        .execute(&mut *c)
        .await?;
        n += 1;
    }
    n += crate::note::seal_legacy_versions(c, s).await?;
    Ok(n)
}

/// Grant `user_id` emergency access to a participant until `expires_at`.
pub async fn insert_emergency_access(
    c: &mut AnyConnection,
    user_id: i64,
    participant_id: i64,
    reason: &str,
    now: i64,
    expires_at: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO emergency_access (user_id, participant_id, reason, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(participant_id)
    .bind(reason)
    .bind(now)
    .bind(expires_at)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

/// An emergency access granted to a user, while it lasts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmergencyGrant {
    pub id: i64,
    pub participant_id: i64,
    pub reason: String,
    pub granted_at: i64,
    pub expires_at: i64,
}

/// `user_id`'s emergency accesses that have not expired at `now`, newest
/// first.
pub async fn active_emergency_accesses(
    c: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<Vec<EmergencyGrant>> {
    sqlx::query(
        "SELECT id, participant_id, reason, granted_at, expires_at FROM emergency_access \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY granted_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(EmergencyGrant {
            id: i64_(r, "id")?,
            participant_id: i64_(r, "participant_id")?,
            reason: text(r, "reason")?,
            granted_at: i64_(r, "granted_at")?,
            expires_at: i64_(r, "expires_at")?,
        })
    })
    .collect()
}

/// Restrict processing of a participant's record, or lift the restriction.
pub async fn set_processing_restricted(
    c: &mut AnyConnection,
    id: i64,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE participants SET processing_restricted = $1, restriction_reason = $2, version = version + 1, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(i64::from(reason.is_some()))
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}
