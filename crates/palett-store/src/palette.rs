//! The palette: interventions and course modules, individual plans,
//! participation periods, enrolments and waiting lists, groups, sessions,
//! attendance, recorded activities, and the figures built on them.

use crate::participant::{bind_all, where_clause, Arg, Filter};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use jiff::Timestamp;
use palett_domain::palette::{
    AttendanceStatus, EnrolmentStatus, Intervention, InterventionKind, InterventionSpec,
    SessionStatus,
};
use palett_domain::policy::ParticipantScope;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;

const INTERVENTION: &str = "i.id, i.partnership_id, i.course_id, i.position, i.name, i.kind, \
    i.provider_organisation_id, o.name AS provider_name, i.description, i.place, i.languages, \
    i.capacity, i.group_based, i.project_id, pr.name AS project_name, i.start_date, i.end_date, \
    i.retired_on FROM interventions i JOIN organisations o ON o.id = i.provider_organisation_id \
    LEFT JOIN projects pr ON pr.id = i.project_id";

fn intervention(r: &AnyRow) -> Result<Intervention> {
    Ok(Intervention {
        id: i64_(r, "id")?,
        partnership_id: i64_(r, "partnership_id")?,
        course_id: opt_i64(r, "course_id")?,
        position: i64_(r, "position")?,
        name: text(r, "name")?,
        kind: vocab(r, "kind", InterventionKind::parse)?,
        provider_organisation_id: i64_(r, "provider_organisation_id")?,
        provider_name: text(r, "provider_name")?,
        description: text(r, "description")?,
        place: text(r, "place")?,
        languages: text(r, "languages")?
            .split('\n')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        capacity: opt_i64(r, "capacity")?,
        group_based: flag(r, "group_based")?,
        project_id: opt_i64(r, "project_id")?,
        project_name: opt_text(r, "project_name")?,
        start_date: opt_date(r, "start_date")?,
        end_date: opt_date(r, "end_date")?,
        retired_on: opt_date(r, "retired_on")?,
    })
}

pub async fn insert_intervention(
    c: &mut AnyConnection,
    partnership_id: i64,
    s: &InterventionSpec,
    course: Option<(i64, i64)>,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO interventions (partnership_id, course_id, position, name, kind, \
         provider_organisation_id, description, place, languages, capacity, group_based, project_id, \
         start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15) RETURNING id",
    )
    .bind(partnership_id)
    .bind(course.map(|c| c.0))
    .bind(course.map_or(0, |c| c.1))
    .bind(&s.name)
    .bind(s.kind.as_str())
    .bind(s.provider_organisation_id)
    .bind(&s.description)
    .bind(&s.place)
    .bind(s.languages.join("\n"))
    .bind(s.capacity)
    .bind(i64::from(s.group_based))
    .bind(s.project_id)
    .bind(s.start_date.map(|d| d.to_string()))
    .bind(s.end_date.map(|d| d.to_string()))
    .bind(now)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

pub async fn retire_intervention(c: &mut AnyConnection, id: i64, on: Date) -> Result<bool> {
    Ok(
        sqlx::query(
            "UPDATE interventions SET retired_on = $1 WHERE id = $2 AND retired_on IS NULL",
        )
        .bind(on.to_string())
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
            == 1,
    )
}

pub async fn intervention_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Intervention>> {
    sqlx::query(&format!("SELECT {INTERVENTION} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(intervention)
        .transpose()
}

/// The partnership's palette (courses' modules included), by name.
pub async fn interventions(
    c: &mut AnyConnection,
    partnership_id: i64,
    include_retired: bool,
) -> Result<Vec<Intervention>> {
    sqlx::query(&format!(
        "SELECT {INTERVENTION} WHERE i.partnership_id = $1 AND ($2 = 1 OR i.retired_on IS NULL) \
         ORDER BY COALESCE(i.course_id, i.id), i.position, i.name LIMIT 2000"
    ))
    .bind(partnership_id)
    .bind(i64::from(include_retired))
    .fetch_all(c)
    .await?
    .iter()
    .map(intervention)
    .collect()
}

// ------------------------------------------------------------------ plans

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanVersion {
    pub version: i64,
    pub body: String,
    pub author_name: String,
    pub created_at: Timestamp,
}

/// Store a new version of the participant's plan, written on `on`;
/// returns its number. The first version dates her plan.
pub async fn insert_plan_version(
    c: &mut AnyConnection,
    participant_id: i64,
    body: &str,
    author: i64,
    now: i64,
    on: Date,
) -> Result<i64> {
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM plan_versions WHERE participant_id = $1",
    )
    .bind(participant_id)
    .fetch_one(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO plan_versions (participant_id, version, body, author_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(participant_id)
    .bind(next)
    .bind(body)
    .bind(author)
    .bind(now)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "UPDATE participants SET first_plan_on = $1 WHERE id = $2 AND first_plan_on IS NULL",
    )
    .bind(on.to_string())
    .bind(participant_id)
    .execute(c)
    .await?;
    Ok(next)
}

/// The body of her latest plan version, if she has a plan.
pub async fn latest_plan(c: &mut AnyConnection, participant_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT body FROM plan_versions WHERE participant_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(participant_id)
    .fetch_optional(c)
    .await?)
}

/// Every version, newest first.
pub async fn plan_versions(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<PlanVersion>> {
    sqlx::query(
        "SELECT v.version, v.body, COALESCE(u.display_name, '') AS author, v.created_at \
         FROM plan_versions v LEFT JOIN users u ON u.id = v.author_user_id \
         WHERE v.participant_id = $1 ORDER BY v.version DESC LIMIT 500",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(PlanVersion {
            version: i64_(r, "version")?,
            body: text(r, "body")?,
            author_name: text(r, "author")?,
            created_at: moment(r, "created_at")?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ periods

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodChange {
    pub planned_end: Date,
    pub reason: Option<String>,
    pub author_name: String,
    pub created_at: Timestamp,
}

pub async fn set_planned_end(
    c: &mut AnyConnection,
    participant_id: i64,
    planned_end: Date,
    reason: Option<&str>,
    author: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE participants SET planned_end = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .bind(planned_end.to_string())
        .bind(now)
        .bind(participant_id)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO period_changes (participant_id, planned_end, reason, author_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(participant_id)
    .bind(planned_end.to_string())
    .bind(reason)
    .bind(author)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn planned_end(c: &mut AnyConnection, participant_id: i64) -> Result<Option<Date>> {
    let row = sqlx::query("SELECT planned_end FROM participants WHERE id = $1")
        .bind(participant_id)
        .fetch_optional(c)
        .await?;
    match row {
        Some(r) => opt_date(&r, "planned_end"),
        None => Ok(None),
    }
}

pub async fn period_changes(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<PeriodChange>> {
    sqlx::query(
        "SELECT p.planned_end, p.reason, COALESCE(u.display_name, '') AS author, p.created_at \
         FROM period_changes p LEFT JOIN users u ON u.id = p.author_user_id \
         WHERE p.participant_id = $1 ORDER BY p.id LIMIT 500",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(PeriodChange {
            planned_end: date(r, "planned_end")?,
            reason: opt_text(r, "reason")?,
            author_name: text(r, "author")?,
            created_at: moment(r, "created_at")?,
        })
    })
    .collect()
}

// ------------------------------------------------------------------ enrolments

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub id: i64,
    pub participant_id: i64,
    pub participant_name: String,
    pub intervention_id: i64,
    pub intervention_name: String,
    /// The partner that provides the intervention (who runs it).
    pub provider_organisation_id: i64,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub status: EnrolmentStatus,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub reason: Option<String>,
    pub requested_at: Timestamp,
}

const ENROLMENT: &str = "e.id, e.participant_id, p.given_name || ' ' || p.family_name AS participant_name, \
    e.intervention_id, i.name AS intervention_name, i.provider_organisation_id, e.group_id, g.name AS group_name, e.status, \
    e.start_date, e.end_date, e.reason, e.requested_at FROM enrolments e \
    JOIN participants p ON p.id = e.participant_id JOIN interventions i ON i.id = e.intervention_id \
    LEFT JOIN activity_groups g ON g.id = e.group_id";

fn enrolment(r: &AnyRow) -> Result<Enrolment> {
    Ok(Enrolment {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        participant_name: text(r, "participant_name")?,
        intervention_id: i64_(r, "intervention_id")?,
        intervention_name: text(r, "intervention_name")?,
        provider_organisation_id: i64_(r, "provider_organisation_id")?,
        group_id: opt_i64(r, "group_id")?,
        group_name: opt_text(r, "group_name")?,
        status: vocab(r, "status", EnrolmentStatus::parse)?,
        start_date: opt_date(r, "start_date")?,
        end_date: opt_date(r, "end_date")?,
        reason: opt_text(r, "reason")?,
        requested_at: moment(r, "requested_at")?,
    })
}

pub struct NewEnrolment {
    pub participant_id: i64,
    pub intervention_id: i64,
    pub group_id: Option<i64>,
    pub status: EnrolmentStatus,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

pub async fn insert_enrolment(c: &mut AnyConnection, e: &NewEnrolment, now: i64) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO enrolments (participant_id, intervention_id, group_id, status, start_date, end_date, \
         requested_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(e.participant_id)
    .bind(e.intervention_id)
    .bind(e.group_id)
    .bind(e.status.as_str())
    .bind(e.start_date.map(|d| d.to_string()))
    .bind(e.end_date.map(|d| d.to_string()))
    .bind(now)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

pub async fn enrolment_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Enrolment>> {
    sqlx::query(&format!("SELECT {ENROLMENT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(enrolment)
        .transpose()
}

pub async fn set_enrolment_status(
    c: &mut AnyConnection,
    id: i64,
    status: EnrolmentStatus,
    reason: Option<&str>,
    end_date: Option<Date>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE enrolments SET status = $1, reason = COALESCE($2, reason), \
         end_date = COALESCE($3, end_date), updated_at = $4 WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(end_date.map(|d| d.to_string()))
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Discontinue an enrolment on `on` (her exit): its end is the earlier of
/// the end it had and `on`.
pub async fn end_enrolment(c: &mut AnyConnection, id: i64, on: Date, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE enrolments SET status = 'discontinued', \
         end_date = CASE WHEN end_date IS NULL OR end_date > $1 THEN $1 ELSE end_date END, \
         updated_at = $2 WHERE id = $3",
    )
    .bind(on.to_string())
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// How many of the intervention's places are taken.
pub async fn places_taken(c: &mut AnyConnection, intervention_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE intervention_id = $1 \
         AND status IN ('offered', 'planned', 'ongoing')",
    )
    .bind(intervention_id)
    .fetch_one(c)
    .await?)
}

/// The first on the waiting list, if any.
pub async fn first_waiting(c: &mut AnyConnection, intervention_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM enrolments WHERE intervention_id = $1 AND status = 'waiting' \
         ORDER BY requested_at, id LIMIT 1",
    )
    .bind(intervention_id)
    .fetch_optional(c)
    .await?)
}

/// A participant's enrolments (the caller already may read her).
pub async fn enrolments_of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<Enrolment>> {
    sqlx::query(&format!(
        "SELECT {ENROLMENT} WHERE e.participant_id = $1 ORDER BY e.requested_at, e.id LIMIT 500"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(enrolment)
    .collect()
}

/// An intervention's enrolments, waiting list in order, limited to the
/// participants within the caller's scope.
pub async fn enrolments_of_intervention(
    c: &mut AnyConnection,
    scope: ParticipantScope,
    intervention_id: i64,
) -> Result<Vec<Enrolment>> {
    let Some(w) = where_clause(scope, &Filter::default()) else {
        return Ok(Vec::new());
    };
    let n = w.args.len() + 1;
    let sql = format!(
        "SELECT {ENROLMENT} WHERE {} AND e.intervention_id = ${n} \
         ORDER BY CASE WHEN e.status = 'waiting' THEN 1 ELSE 0 END, e.requested_at, e.id LIMIT 2000",
        w.clauses.join(" AND ")
    );
    let mut args = w.args;
    args.push(Arg::Int(intervention_id));
    bind_all(sqlx::query(&sql), &args)
        .fetch_all(c)
        .await?
        .iter()
        .map(enrolment)
        .collect()
}

// ------------------------------------------------------------------ groups and sessions

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub intervention_id: i64,
    pub intervention_name: String,
    pub partnership_id: i64,
    pub name: String,
    pub leader_user_id: Option<i64>,
    pub leader_name: Option<String>,
}

const GROUP: &str =
    "g.id, g.intervention_id, i.name AS intervention_name, i.partnership_id, g.name, \
    g.leader_user_id, u.display_name AS leader_name FROM activity_groups g \
    JOIN interventions i ON i.id = g.intervention_id LEFT JOIN users u ON u.id = g.leader_user_id";

fn group(r: &AnyRow) -> Result<Group> {
    Ok(Group {
        id: i64_(r, "id")?,
        intervention_id: i64_(r, "intervention_id")?,
        intervention_name: text(r, "intervention_name")?,
        partnership_id: i64_(r, "partnership_id")?,
        name: text(r, "name")?,
        leader_user_id: opt_i64(r, "leader_user_id")?,
        leader_name: opt_text(r, "leader_name")?,
    })
}

pub async fn insert_group(
    c: &mut AnyConnection,
    intervention_id: i64,
    name: &str,
    leader: Option<i64>,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO activity_groups (intervention_id, name, leader_user_id, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(intervention_id)
    .bind(name)
    .bind(leader)
    .bind(now)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

pub async fn group_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Group>> {
    sqlx::query(&format!("SELECT {GROUP} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(group)
        .transpose()
}

pub async fn groups_of_intervention(
    c: &mut AnyConnection,
    intervention_id: i64,
) -> Result<Vec<Group>> {
    sqlx::query(&format!(
        "SELECT {GROUP} WHERE g.intervention_id = $1 ORDER BY g.name LIMIT 500"
    ))
    .bind(intervention_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(group)
    .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub group_id: i64,
    pub on_date: Date,
    pub start_time: String,
    pub minutes: i64,
    pub place: String,
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    pub moved_from: Option<Date>,
    /// Attendance recorded: (present, absent with notice, absent).
    pub recorded: (i64, i64, i64),
}

const SESSION: &str = "s.id, s.group_id, s.on_date, s.start_time, s.minutes, s.place, s.status, \
    s.cancel_reason, s.moved_from, \
    (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id AND a.status = 'present') AS n_present, \
    (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id AND a.status = 'absent_notice') AS n_notice, \
    (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id AND a.status = 'absent') AS n_absent \
    FROM group_sessions s";

fn session(r: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: i64_(r, "id")?,
        group_id: i64_(r, "group_id")?,
        on_date: date(r, "on_date")?,
        start_time: text(r, "start_time")?,
        minutes: i64_(r, "minutes")?,
        place: text(r, "place")?,
        status: vocab(r, "status", SessionStatus::parse)?,
        cancel_reason: opt_text(r, "cancel_reason")?,
        moved_from: opt_date(r, "moved_from")?,
        recorded: (
            i64_(r, "n_present")?,
            i64_(r, "n_notice")?,
            i64_(r, "n_absent")?,
        ),
    })
}

pub async fn insert_session(
    c: &mut AnyConnection,
    group_id: i64,
    on: Date,
    start_time: &str,
    minutes: i64,
    place: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO group_sessions (group_id, on_date, start_time, minutes, place, status) \
         VALUES ($1, $2, $3, $4, $5, 'scheduled') RETURNING id",
    )
    .bind(group_id)
    .bind(on.to_string())
    .bind(start_time)
    .bind(minutes)
    .bind(place)
    .fetch_one(c)
    .await?;
    i64_(&row, "id")
}

pub async fn session_by_id(c: &mut AnyConnection, id: i64) -> Result<Option<Session>> {
    sqlx::query(&format!("SELECT {SESSION} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(session)
        .transpose()
}

pub async fn sessions_of_group(c: &mut AnyConnection, group_id: i64) -> Result<Vec<Session>> {
    sqlx::query(&format!(
        "SELECT {SESSION} WHERE s.group_id = $1 ORDER BY s.on_date, s.start_time LIMIT 2000"
    ))
    .bind(group_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(session)
    .collect()
}

/// A session of a group the user leads, for her own lists and calendar:
/// no participant in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedSession {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub intervention_name: String,
    pub on_date: Date,
    pub start_time: String,
    pub minutes: i64,
    pub place: String,
    pub status: SessionStatus,
    /// Whether any attendance is recorded.
    pub recorded: bool,
}

/// Which of her sessions: those from `from` to `to`, and with `unrecorded`
/// only those held (not cancelled) with no attendance recorded.
#[derive(Clone, Copy, Debug)]
pub struct LedFilter {
    pub from: Date,
    pub to: Date,
    pub unrecorded: bool,
}

fn led_sql(f: &LedFilter) -> String {
    let mut w = "g.leader_user_id = $1 AND s.on_date >= $2 AND s.on_date <= $3".to_string();
    if f.unrecorded {
        w.push_str(
            " AND s.status = 'scheduled' \
             AND s.present_count + s.notice_count + s.absent_count = 0",
        );
    }
    format!(
        "FROM group_sessions s JOIN activity_groups g ON g.id = s.group_id \
         JOIN interventions i ON i.id = g.intervention_id WHERE {w}"
    )
}

fn led_args(user_id: i64, f: &LedFilter) -> Vec<Arg> {
    vec![
        Arg::Int(user_id),
        Arg::Text(f.from.to_string()),
        Arg::Text(f.to.to_string()),
    ]
}

/// How many sessions [`sessions_led`] lists, as a part of a
/// [`Tally`](crate::tally::Tally).
pub fn sessions_led_count_part(user_id: i64, f: &LedFilter) -> crate::tally::Part {
    crate::tally::Part::new(
        format!("SELECT COUNT(*) AS n {}", led_sql(f)),
        led_args(user_id, f),
        1,
    )
}

/// The sessions of the groups she leads, in time order (at most `limit`).
pub async fn sessions_led(
    c: &mut AnyConnection,
    user_id: i64,
    f: &LedFilter,
    limit: i64,
) -> Result<Vec<LedSession>> {
    let sql = format!(
        "SELECT s.id, s.group_id, g.name AS group_name, i.name AS intervention_name, s.on_date, \
         s.start_time, s.minutes, s.place, s.status, \
         s.present_count + s.notice_count + s.absent_count AS n_recorded {} \
         ORDER BY s.on_date, s.start_time, s.id LIMIT {limit}",
        led_sql(f)
    );
    bind_all(sqlx::query(&sql), &led_args(user_id, f))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(LedSession {
                id: i64_(r, "id")?,
                group_id: i64_(r, "group_id")?,
                group_name: text(r, "group_name")?,
                intervention_name: text(r, "intervention_name")?,
                on_date: date(r, "on_date")?,
                start_time: text(r, "start_time")?,
                minutes: i64_(r, "minutes")?,
                place: text(r, "place")?,
                status: vocab(r, "status", SessionStatus::parse)?,
                recorded: i64_(r, "n_recorded")? > 0,
            })
        })
        .collect()
}

/// The sessions' kept attendance counts, recounted from their attendance
/// (`which` names the sessions, with `$1`).
async fn refresh_counts(c: &mut AnyConnection, which: &str, id: i64) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE group_sessions SET \
         present_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'present'), \
         notice_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'absent_notice'), \
         absent_count = (SELECT COUNT(*) FROM attendance a WHERE a.session_id = group_sessions.id AND a.status = 'absent'), \
         present_minutes = COALESCE((SELECT SUM(a.minutes) FROM attendance a \
           WHERE a.session_id = group_sessions.id AND a.status = 'present'), 0) \
         WHERE {which}"
    ))
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Recount the kept attendance and time of these participants, per
/// project, from their attendance and recorded activities. The ids are
/// bound (500 a statement), so each is found by its index: a subquery in
/// their place let PostgreSQL scan all attendance once per call.
///
/// The participants' rows are locked first: two changes that touch her
/// time at once (two sheets saved together) then recount one after the
/// other, the second seeing what the first committed. Without the lock
/// each recount missed the other's attendance, and the second insert of
/// her row failed on its key.
pub async fn refresh_participants_time(
    c: &mut AnyConnection,
    participant_ids: &[i64],
) -> Result<()> {
    crate::lock_rows(c, crate::LockTable::Participants, participant_ids).await?;
    for chunk in participant_ids.chunks(500) {
        let list = crate::placeholders(1, chunk.len());
        let delete = format!("DELETE FROM participant_time WHERE participant_id IN ({list})");
        let insert = format!(
            "INSERT INTO participant_time (participant_id, project_key, present_sessions, recorded_sessions, minutes) \
             SELECT t.participant_id, t.project_key, SUM(t.present), SUM(t.recorded), SUM(t.minutes) FROM ( \
               SELECT a.participant_id, COALESCE(i.project_id, 0) AS project_key, \
                 CASE WHEN a.status = 'present' THEN 1 ELSE 0 END AS present, 1 AS recorded, \
                 CASE WHEN a.status = 'present' THEN a.minutes ELSE 0 END AS minutes \
               FROM attendance a JOIN group_sessions s ON s.id = a.session_id AND s.status = 'scheduled' \
               JOIN activity_groups g ON g.id = s.group_id JOIN interventions i ON i.id = g.intervention_id \
               WHERE a.participant_id IN ({list}) \
               UNION ALL \
               SELECT r.participant_id, COALESCE(i.project_id, 0), 0, 0, r.minutes \
               FROM activity_records r JOIN interventions i ON i.id = r.intervention_id \
               WHERE r.participant_id IN ({list}) \
             ) t GROUP BY t.participant_id, t.project_key"
        );
        for sql in [&delete, &insert] {
            let mut q = sqlx::query(sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *c).await?;
        }
    }
    Ok(())
}

/// The ids a statement with `$1` selects.
async fn ids(c: &mut AnyConnection, sql: &str, id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_all(&mut *c)
        .await?)
}

/// Those with attendance recorded for a session (found by the
/// attendance's key).
async fn session_participants(c: &mut AnyConnection, session_id: i64) -> Result<Vec<i64>> {
    ids(
        c,
        "SELECT participant_id FROM attendance WHERE session_id = $1",
        session_id,
    )
    .await
}

/// Recount the kept time of every participant of a partnership (after a
/// bulk load).
pub async fn refresh_partnership_time(c: &mut AnyConnection, partnership_id: i64) -> Result<()> {
    let who = ids(
        c,
        "SELECT p.id FROM participants p WHERE p.partnership_id = $1",
        partnership_id,
    )
    .await?;
    refresh_participants_time(c, &who).await
}

/// Recount the kept attendance counts of every session of a partnership
/// (after a bulk load).
pub async fn refresh_partnership_counts(c: &mut AnyConnection, partnership_id: i64) -> Result<()> {
    refresh_counts(
        c,
        "group_id IN (SELECT g.id FROM activity_groups g JOIN interventions i ON i.id = g.intervention_id \
         WHERE i.partnership_id = $1)",
        partnership_id,
    )
    .await
}

/// Recount the kept attendance counts of every session of a group (after
/// a bulk load).
pub async fn refresh_group_counts(c: &mut AnyConnection, group_id: i64) -> Result<()> {
    refresh_counts(c, "group_id = $1", group_id).await
}

pub async fn cancel_session(c: &mut AnyConnection, id: i64, reason: &str) -> Result<()> {
    sqlx::query("UPDATE group_sessions SET status = 'cancelled', cancel_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(&mut *c)
        .await?;
    // A cancelled session is nobody's absence.
    let had = session_participants(c, id).await?;
    sqlx::query("DELETE FROM attendance WHERE session_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    refresh_counts(c, "id = $1", id).await?;
    refresh_participants_time(c, &had).await
}

pub async fn move_session(
    c: &mut AnyConnection,
    id: i64,
    to: Date,
    start_time: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE group_sessions SET moved_from = COALESCE(moved_from, on_date), on_date = $1, start_time = $2 \
         WHERE id = $3",
    )
    .bind(to.to_string())
    .bind(start_time)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// One of a group's participants as the attendance of a session sees her.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    pub participant_id: i64,
    pub name: String,
    /// What is recorded for her at this session.
    pub status: Option<AttendanceStatus>,
    /// Her enrolment covers the session's date.
    pub enrolled_on_the_day: bool,
    pub intake: Option<Date>,
    pub exit: Option<Date>,
}

impl RosterRow {
    /// She belongs on the session's sheet: enrolled on the day, and in the
    /// programme then (taken in, not yet ended).
    pub fn on_sheet(&self, day: Date) -> bool {
        self.enrolled_on_the_day
            && self.intake.is_some_and(|i| i <= day)
            && self.exit.is_none_or(|e| e >= day)
    }
}

/// The group's participants whom the caller's organisation holds, or whose
/// sharing consent in force covers it, with what is recorded at the session
/// and whether their enrolment covers its date (one row per participant).
/// A withdrawn consent takes her off the sheet.
pub async fn roster(
    c: &mut AnyConnection,
    session: &Session,
    organisation_id: i64,
    today: Date,
) -> Result<Vec<RosterRow>> {
    let sql = format!(
        "SELECT p.id, p.given_name || ' ' || p.family_name AS name, a.status, p.intake_date, p.exit_date, \
         MAX(CASE WHEN e.status IN ('planned', 'ongoing', 'completed', 'discontinued') \
           AND (e.start_date IS NULL OR e.start_date <= $3) AND (e.end_date IS NULL OR e.end_date >= $3) \
           THEN 1 ELSE 0 END) AS on_day \
         FROM enrolments e \
         JOIN participants p ON p.id = e.participant_id \
         LEFT JOIN attendance a ON a.session_id = $1 AND a.participant_id = p.id \
         WHERE e.group_id = $2 AND e.status IN ('planned', 'ongoing', 'completed', 'discontinued') \
         AND p.processing_restricted = 0 \
         AND (p.responsible_organisation_id = $4 OR {}) \
         GROUP BY p.id, p.given_name, p.family_name, a.status, p.intake_date, p.exit_date \
         ORDER BY p.family_name, p.given_name, p.id LIMIT 500",
        crate::participant::shared_sql(4, 5)
    );
    sqlx::query(&sql)
        .bind(session.id)
        .bind(session.group_id)
        .bind(session.on_date.to_string())
        .bind(organisation_id)
        .bind(today.to_string())
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(RosterRow {
                participant_id: i64_(r, "id")?,
                name: text(r, "name")?,
                status: opt_vocab(r, "status", AttendanceStatus::parse)?,
                enrolled_on_the_day: i64_(r, "on_day")? == 1,
                intake: opt_date(r, "intake_date")?,
                exit: opt_date(r, "exit_date")?,
            })
        })
        .collect()
}

/// A change to recorded attendance: what it was, and who recorded it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendanceCorrection {
    pub session_id: i64,
    pub session_date: Date,
    pub intervention: String,
    pub participant_id: i64,
    pub old_status: AttendanceStatus,
    pub old_minutes: i64,
    pub old_recorded_by: String,
    pub old_recorded_at: i64,
    pub new_status: AttendanceStatus,
    pub new_minutes: i64,
    pub corrected_by: String,
    pub corrected_at: i64,
}

/// Record `rows` for the session: each participant's row is written, and a
/// changed one keeps its earlier value in `attendance_corrections`. Rows of
/// anyone not in `rows` are never touched; an unchanged row keeps who
/// recorded it and when. Returns those whose recorded attendance changed.
pub async fn record_attendance(
    c: &mut AnyConnection,
    session: &Session,
    rows: &[(i64, AttendanceStatus)],
    by: i64,
    now: i64,
) -> Result<Vec<i64>> {
    let minutes_of = |status: AttendanceStatus| {
        if status == AttendanceStatus::Present {
            session.minutes
        } else {
            0
        }
    };
    let in_list = crate::placeholders;
    let mut corrected = Vec::new();
    for chunk in rows.chunks(100) {
        // What is recorded now for the participants on the sheet.
        let sql = format!(
            "SELECT participant_id, status, minutes, recorded_by, recorded_at FROM attendance \
             WHERE session_id = $1 AND participant_id IN ({})",
            in_list(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(session.id);
        for (p, _) in chunk {
            q = q.bind(*p);
        }
        let mut before: HashMap<i64, (AttendanceStatus, i64, Option<i64>, i64)> = HashMap::new();
        for r in q.fetch_all(&mut *c).await? {
            before.insert(
                i64_(&r, "participant_id")?,
                (
                    vocab(&r, "status", AttendanceStatus::parse)?,
                    i64_(&r, "minutes")?,
                    opt_i64(&r, "recorded_by")?,
                    i64_(&r, "recorded_at")?,
                ),
            );
        }
        let changed: Vec<(i64, AttendanceStatus)> = chunk
            .iter()
            .filter(|(p, st)| {
                before
                    .get(p)
                    .is_some_and(|(old, m, _, _)| old != st || *m != minutes_of(*st))
            })
            .copied()
            .collect();
        if !changed.is_empty() {
            let n = changed.len() * 8;
            let values: Vec<String> = (0..changed.len())
                .map(|k| format!("({}, ${}, ${})", in_list(k * 8 + 1, 8), n + 1, n + 2))
                .collect();
            let sql = format!(
                "INSERT INTO attendance_corrections (session_id, participant_id, old_status, old_minutes, \
                 old_recorded_by, old_recorded_at, new_status, new_minutes, corrected_by, corrected_at) \
                 VALUES {}",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (p, st) in &changed {
                let (old, m, old_by, old_at) = before[p];
                q = q
                    .bind(session.id)
                    .bind(*p)
                    .bind(old.as_str())
                    .bind(m)
                    .bind(old_by)
                    .bind(old_at)
                    .bind(st.as_str())
                    .bind(minutes_of(*st));
            }
            q.bind(by).bind(now).execute(&mut *c).await?;
            let sql = format!(
                "DELETE FROM attendance WHERE session_id = $1 AND participant_id IN ({})",
                in_list(2, changed.len())
            );
            let mut q = sqlx::query(&sql).bind(session.id);
            for (p, _) in &changed {
                q = q.bind(*p);
            }
            q.execute(&mut *c).await?;
        }
        let written: Vec<(i64, i64, AttendanceStatus, i64)> = chunk
            .iter()
            .filter(|(p, st)| !before.contains_key(p) || changed.contains(&(*p, *st)))
            .map(|(p, st)| (session.id, *p, *st, minutes_of(*st)))
            .collect();
        insert_attendance_batch(c, &written, by, now).await?;
        corrected.extend(changed.iter().map(|(p, _)| *p));
    }
    let who: Vec<i64> = rows.iter().map(|(p, _)| *p).collect();
    refresh_counts(c, "id = $1", session.id).await?;
    refresh_participants_time(c, &who).await?;
    Ok(corrected)
}

/// The corrections of a participant's attendance, oldest first.
pub async fn attendance_corrections(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<AttendanceCorrection>> {
    sqlx::query(
        "SELECT k.session_id, s.on_date, i.name AS intervention, k.participant_id, k.old_status, k.old_minutes, \
         COALESCE(ob.display_name, '') AS old_by, k.old_recorded_at, k.new_status, k.new_minutes, \
         COALESCE(cb.display_name, '') AS corrected_by, k.corrected_at \
         FROM attendance_corrections k JOIN group_sessions s ON s.id = k.session_id \
         JOIN activity_groups g ON g.id = s.group_id JOIN interventions i ON i.id = g.intervention_id \
         LEFT JOIN users ob ON ob.id = k.old_recorded_by LEFT JOIN users cb ON cb.id = k.corrected_by \
         WHERE k.participant_id = $1 ORDER BY k.id LIMIT 1000",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(AttendanceCorrection {
            session_id: i64_(r, "session_id")?,
            session_date: date(r, "on_date")?,
            intervention: text(r, "intervention")?,
            participant_id: i64_(r, "participant_id")?,
            old_status: vocab(r, "old_status", AttendanceStatus::parse)?,
            old_minutes: i64_(r, "old_minutes")?,
            old_recorded_by: text(r, "old_by")?,
            old_recorded_at: i64_(r, "old_recorded_at")?,
            new_status: vocab(r, "new_status", AttendanceStatus::parse)?,
            new_minutes: i64_(r, "new_minutes")?,
            corrected_by: text(r, "corrected_by")?,
            corrected_at: i64_(r, "corrected_at")?,
        })
    })
    .collect()
}

/// An individual activity as recorded.
pub struct NewActivity<'a> {
    pub participant_id: i64,
    pub intervention_id: i64,
    pub on: Date,
    pub minutes: i64,
    pub note: Option<&'a str>,
    pub by: i64,
    /// The placement the hours were spent at, if any.
    pub placement_id: Option<i64>,
}

pub async fn insert_activity(c: &mut AnyConnection, a: &NewActivity<'_>, now: i64) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO activity_records (participant_id, intervention_id, on_date, minutes, note, recorded_by, \
         recorded_at, placement_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.participant_id)
    .bind(a.intervention_id)
    .bind(a.on.to_string())
    .bind(a.minutes)
    .bind(a.note)
    .bind(a.by)
    .bind(now)
    .bind(a.placement_id)
    .fetch_one(&mut *c)
    .await?;
    refresh_participants_time(c, &[a.participant_id]).await?;
    i64_(&row, "id")
}

// ------------------------------------------------------------------ time and figures

/// Minutes of one participant in one intervention and month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeRow {
    pub intervention_id: i64,
    /// The intervention's name.
    pub intervention: String,
    /// The project's name; `None`: ordinary operations.
    pub project: Option<String>,
    /// "YYYY-MM".
    pub month: String,
    pub minutes: i64,
}

/// Attendance of one group over its held (not cancelled) sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupAttendance {
    pub intervention_id: i64,
    /// The intervention's name.
    pub intervention: String,
    pub group_id: i64,
    /// The group's name.
    pub group: String,
    pub present: i64,
    /// Absent with notice.
    pub absent_notice: i64,
    /// Absent without notice.
    pub absent: i64,
}

/// Sessions of one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSessions {
    /// "YYYY-MM".
    pub month: String,
    pub cancelled: i64,
    /// Held as scheduled.
    pub held: i64,
}

/// Minutes a providing partner's interventions took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerMinutes {
    /// The providing organisation's name.
    pub partner: String,
    /// In interventions of a project.
    pub project_minutes: i64,
    /// In interventions of ordinary operations.
    pub ordinary_minutes: i64,
}

/// Places of an intervention that has enrolments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterventionUse {
    pub intervention_id: i64,
    /// The intervention's name.
    pub intervention: String,
    /// Enrolments offered, planned or ongoing.
    pub taken: i64,
    /// Enrolments waiting for a place.
    pub waiting: i64,
    /// `None`: no limit.
    pub capacity: Option<i64>,
}

/// One attendance of a participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendanceRow {
    /// The session's date.
    pub on_date: Date,
    /// The intervention's name.
    pub intervention: String,
    /// The group's name.
    pub group: String,
    pub status: AttendanceStatus,
    pub minutes: i64,
}

/// One activity recorded for a participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRow {
    pub on_date: Date,
    /// The intervention's name.
    pub intervention: String,
    pub minutes: i64,
    pub note: Option<String>,
}

/// One participant's time per intervention and month, from attendance and
/// recorded activities.
pub async fn time_of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<TimeRow>> {
    sqlx::query(
        "SELECT t.intervention_id, i.name, pr.name AS project_name, t.month, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM ( \
           SELECT g.intervention_id, SUBSTR(s.on_date, 1, 7) AS month, a.minutes FROM attendance a \
             JOIN group_sessions s ON s.id = a.session_id JOIN activity_groups g ON g.id = s.group_id \
             WHERE a.participant_id = $1 AND a.status = 'present' AND s.status = 'scheduled' \
           UNION ALL \
           SELECT r.intervention_id, SUBSTR(r.on_date, 1, 7) AS month, r.minutes FROM activity_records r \
             WHERE r.participant_id = $1 \
         ) t JOIN interventions i ON i.id = t.intervention_id LEFT JOIN projects pr ON pr.id = i.project_id \
         GROUP BY t.intervention_id, i.name, pr.name, t.month ORDER BY t.month, i.name",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(TimeRow {
            intervention_id: i64_(r, "intervention_id")?,
            intervention: text(r, "name")?,
            project: opt_text(r, "project_name")?,
            month: text(r, "month")?,
            minutes: i64_(r, "minutes")?,
        })
    })
    .collect()
}

/// Attendance per intervention and group. Cancelled sessions count for
/// nothing.
pub async fn attendance_by_group(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<GroupAttendance>> {
    sqlx::query(
        "SELECT i.id AS iid, i.name AS iname, g.id AS gid, g.name AS gname, \
         CAST(SUM(s.present_count) AS BIGINT) AS present, CAST(SUM(s.notice_count) AS BIGINT) AS notice, \
         CAST(SUM(s.absent_count) AS BIGINT) AS absent \
         FROM activity_groups g JOIN interventions i ON i.id = g.intervention_id \
         JOIN group_sessions s ON s.group_id = g.id AND s.status = 'scheduled' \
         WHERE i.partnership_id = $1 GROUP BY i.id, i.name, g.id, g.name \
         HAVING SUM(s.present_count + s.notice_count + s.absent_count) > 0 ORDER BY i.name, g.name",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(GroupAttendance {
            intervention_id: i64_(r, "iid")?,
            intervention: text(r, "iname")?,
            group_id: i64_(r, "gid")?,
            group: text(r, "gname")?,
            present: i64_(r, "present")?,
            absent_notice: i64_(r, "notice")?,
            absent: i64_(r, "absent")?,
        })
    })
    .collect()
}

/// Cancelled and held sessions per month.
pub async fn sessions_per_month(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<MonthSessions>> {
    sqlx::query(
        "SELECT SUBSTR(s.on_date, 1, 7) AS month, \
         COUNT(CASE WHEN s.status = 'cancelled' THEN 1 END) AS cancelled, \
         COUNT(CASE WHEN s.status = 'scheduled' THEN 1 END) AS held \
         FROM group_sessions s JOIN activity_groups g ON g.id = s.group_id \
         JOIN interventions i ON i.id = g.intervention_id WHERE i.partnership_id = $1 \
         GROUP BY SUBSTR(s.on_date, 1, 7) ORDER BY month",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(MonthSessions {
            month: text(r, "month")?,
            cancelled: i64_(r, "cancelled")?,
            held: i64_(r, "held")?,
        })
    })
    .collect()
}

/// Minutes per providing partner, split into project and ordinary
/// operations.
pub async fn minutes_by_partner(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<PartnerMinutes>> {
    sqlx::query(
        "SELECT o.name, \
         CAST(SUM(CASE WHEN i.project_id IS NOT NULL THEN t.minutes ELSE 0 END) AS BIGINT) AS project_minutes, \
         CAST(SUM(CASE WHEN i.project_id IS NULL THEN t.minutes ELSE 0 END) AS BIGINT) AS ordinary_minutes FROM ( \
           SELECT g.intervention_id, s.present_minutes AS minutes FROM group_sessions s \
             JOIN activity_groups g ON g.id = s.group_id WHERE s.status = 'scheduled' \
           UNION ALL SELECT r.intervention_id, r.minutes FROM activity_records r \
         ) t JOIN interventions i ON i.id = t.intervention_id JOIN organisations o ON o.id = i.provider_organisation_id \
         WHERE i.partnership_id = $1 GROUP BY o.name ORDER BY o.name",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(PartnerMinutes {
            partner: text(r, "name")?,
            project_minutes: i64_(r, "project_minutes")?,
            ordinary_minutes: i64_(r, "ordinary_minutes")?,
        })
    })
    .collect()
}

/// Interventions with enrolments and their places.
pub async fn interventions_in_use(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<InterventionUse>> {
    sqlx::query(
        "SELECT i.id, i.name, i.capacity, \
         COUNT(CASE WHEN e.status IN ('offered', 'planned', 'ongoing') THEN 1 END) AS taken, \
         COUNT(CASE WHEN e.status = 'waiting' THEN 1 END) AS waiting \
         FROM interventions i JOIN enrolments e ON e.intervention_id = i.id \
         WHERE i.partnership_id = $1 GROUP BY i.id, i.name, i.capacity ORDER BY i.name",
    )
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(InterventionUse {
            intervention_id: i64_(r, "id")?,
            intervention: text(r, "name")?,
            taken: i64_(r, "taken")?,
            waiting: i64_(r, "waiting")?,
            capacity: opt_i64(r, "capacity")?,
        })
    })
    .collect()
}

/// Many attendance rows at once (demo and imports): (session, participant,
/// status, minutes). Sent in batches of 100 rows per statement.
pub async fn insert_attendance_batch(
    c: &mut AnyConnection,
    rows: &[(i64, i64, AttendanceStatus, i64)],
    by: i64,
    now: i64,
) -> Result<()> {
    for chunk in rows.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 4;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    chunk.len() * 4 + 1,
                    chunk.len() * 4 + 2
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO attendance (session_id, participant_id, status, minutes, recorded_by, recorded_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (s, p, st, m) in chunk {
            q = q.bind(*s).bind(*p).bind(st.as_str()).bind(*m);
        }
        q.bind(by).bind(now).execute(&mut *c).await?;
    }
    Ok(())
}

/// Many activity rows at once: (participant, intervention, date, minutes, note).
pub async fn insert_activities_batch(
    c: &mut AnyConnection,
    rows: &[(i64, i64, Date, i64, &str)],
    by: i64,
    now: i64,
) -> Result<()> {
    for chunk in rows.chunks(100) {
        let n = chunk.len() * 5;
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    n + 1,
                    n + 2
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO activity_records (participant_id, intervention_id, on_date, minutes, note, recorded_by, recorded_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (p, i, d, m, note) in chunk {
            q = q.bind(*p).bind(*i).bind(d.to_string()).bind(*m).bind(*note);
        }
        q.bind(by).bind(now).execute(&mut *c).await?;
    }
    Ok(())
}

/// One participant's attendance, newest first.
pub async fn attendance_of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<AttendanceRow>> {
    sqlx::query(
        "SELECT s.on_date, i.name AS iname, g.name AS gname, a.status, a.minutes FROM attendance a \
         JOIN group_sessions s ON s.id = a.session_id JOIN activity_groups g ON g.id = s.group_id \
         JOIN interventions i ON i.id = g.intervention_id WHERE a.participant_id = $1 \
         ORDER BY s.on_date DESC LIMIT 10000",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(AttendanceRow {
            on_date: date(r, "on_date")?,
            intervention: text(r, "iname")?,
            group: text(r, "gname")?,
            status: vocab(r, "status", AttendanceStatus::parse)?,
            minutes: i64_(r, "minutes")?,
        })
    })
    .collect()
}

/// One participant's recorded activities, newest first.
pub async fn activities_of_participant(
    c: &mut AnyConnection,
    participant_id: i64,
) -> Result<Vec<ActivityRow>> {
    sqlx::query(
        "SELECT r.on_date, i.name, r.minutes, r.note FROM activity_records r \
         JOIN interventions i ON i.id = r.intervention_id WHERE r.participant_id = $1 \
         ORDER BY r.on_date DESC LIMIT 10000",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(ActivityRow {
            on_date: date(r, "on_date")?,
            intervention: text(r, "name")?,
            minutes: i64_(r, "minutes")?,
            note: opt_text(r, "note")?,
        })
    })
    .collect()
}

/// Every group of the partnership's interventions, in one statement.
pub async fn groups_of_partnership(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<Group>> {
    sqlx::query(&format!(
        "SELECT {GROUP} WHERE i.partnership_id = $1 AND i.retired_on IS NULL ORDER BY i.name, g.name LIMIT 2000"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(group)
    .collect()
}

/// Many sessions of one group at once, 100 per statement.
pub async fn insert_sessions_batch(
    c: &mut AnyConnection,
    group_id: i64,
    dates: &[Date],
    start_time: &str,
    minutes: i64,
    place: &str,
) -> Result<()> {
    for chunk in dates.chunks(100) {
        let n = chunk.len();
        let values: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "(${}, ${}, ${}, ${}, ${}, 'scheduled')",
                    n + 1,
                    i + 1,
                    n + 2,
                    n + 3,
                    n + 4
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO group_sessions (group_id, on_date, start_time, minutes, place, status) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q.bind(d.to_string());
        }
        q.bind(group_id)
            .bind(start_time)
            .bind(minutes)
            .bind(place)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// A participant as the research export sees her (no names, numbers or
/// free text): (id, birth date, country, gender, intake, exit, outcome,
/// status, minutes of time recorded).
pub type ResearchRow = (
    i64,
    Date,
    Option<String>,
    String,
    Date,
    Option<Date>,
    Option<String>,
    String,
    i64,
);

/// Participants of the partnership with a research consent in force on
/// `today`, enrolled, with their total recorded time.
/// The partnership's research secret, set once: the first caller's value wins.
pub async fn research_secret(
    c: &mut AnyConnection,
    partnership_id: i64,
    candidate: &str,
) -> Result<String> {
    sqlx::query(
        "UPDATE partnerships SET research_secret = $1 WHERE id = $2 AND research_secret IS NULL",
    )
    .bind(candidate)
    .bind(partnership_id)
    .execute(&mut *c)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT research_secret FROM partnerships WHERE id = $1")
            .bind(partnership_id)
            .fetch_one(c)
            .await?,
    )
}

pub async fn research_rows(
    c: &mut AnyConnection,
    partnership_id: i64,
    today: Date,
) -> Result<Vec<ResearchRow>> {
    sqlx::query(&format!(
        "SELECT p.id, p.birth_date, p.country_of_birth, p.gender, p.intake_date, p.exit_date, p.exit_outcome, p.status, \
         CAST(COALESCE((SELECT SUM(a.minutes) FROM attendance a WHERE a.participant_id = p.id AND a.status = 'present'), 0) \
           + COALESCE((SELECT SUM(r.minutes) FROM activity_records r WHERE r.participant_id = p.id), 0) AS BIGINT) AS minutes \
         FROM participants p WHERE p.partnership_id = $1 AND p.intake_date IS NOT NULL AND p.processing_restricted = 0 AND EXISTS ( \
           SELECT 1 FROM consents k WHERE k.participant_id = p.id AND k.kind = 'research' AND {}) \
         ORDER BY p.id LIMIT 200000",
        crate::consent::in_force_sql("$2", "$2")
    ))
    .bind(partnership_id)
    .bind(today.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            i64_(r, "id")?,
            date(r, "birth_date")?,
            opt_text(r, "country_of_birth")?,
            text(r, "gender")?,
            date(r, "intake_date")?,
            opt_date(r, "exit_date")?,
            opt_text(r, "exit_outcome")?,
            text(r, "status")?,
            i64_(r, "minutes")?,
        ))
    })
    .collect()
}
