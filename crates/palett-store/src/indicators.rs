//! What the indicators are computed from: one [`Facts`] record per
//! participant of a partnership or project (two statements whatever the
//! number of participants), and the goals.

use crate::participant::STARTED_ENROLMENT;
use crate::row::*;
use crate::{text_agg, Result, StoreError};
use futures_util::TryStreamExt;
use jiff::civil::Date;
use palett_domain::employer::Industry;
use palett_domain::indicators::{paused_days, Facts, Goal, Indicator, Period};
use palett_domain::lifecycle::{ExitOutcome, Status};
use palett_domain::occupations;
use palett_domain::values::Gender;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// The participants counted for a project (those linked to it) or, with
/// `project_id` `None`, for the whole partnership: the tables and the
/// condition.
fn population_parts(project_id: Option<i64>) -> (&'static str, &'static str) {
    if project_id.is_some() {
        (
            "FROM participants p JOIN participant_projects pp ON pp.participant_id = p.id AND pp.project_id = $2",
            "p.partnership_id = $1",
        )
    } else {
        ("FROM participants p", "p.partnership_id = $1")
    }
}

/// [`population_parts`] as one `FROM … WHERE …`.
fn population(project_id: Option<i64>) -> String {
    let (tables, cond) = population_parts(project_id);
    format!("{tables} WHERE {cond}")
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind the project as `$2` when there is one (the partnership-wide
/// statements have no `$2`).
trait BindProject {
    fn bind_project(self, project_id: Option<i64>) -> Self;
}

impl BindProject for Query<'_> {
    fn bind_project(self, project_id: Option<i64>) -> Self {
        match project_id {
            Some(p) => self.bind(p),
            None => self,
        }
    }
}

/// The rows of a statement over the partnership (`$1`), the project (`$2`,
/// when there is one) and the period's first and last day (the next two).
async fn rows_in_period(
    c: &mut AnyConnection,
    sql: &str,
    partnership_id: i64,
    project_id: Option<i64>,
    period: Period,
) -> Result<Vec<sqlx::any::AnyRow>> {
    Ok(sqlx::query(sql)
        .bind(partnership_id)
        .bind_project(project_id)
        .bind(period.start.to_string())
        .bind(period.end.to_string())
        .fetch_all(c)
        .await?)
}

/// Participants per aggregated row of [`facts`].
const PER_ROW: i64 = 2000;

fn corrupt(_: impl std::fmt::Debug) -> StoreError {
    StoreError::Corrupt("participant facts")
}

/// Her kept attendance and time, joined as `t`: within the project, or
/// summed over every project and ordinary operations.
fn time_join(project_id: Option<i64>) -> &'static str {
    if project_id.is_some() {
        "LEFT JOIN participant_time t ON t.participant_id = p.id AND t.project_key = $2"
    } else {
        "LEFT JOIN (SELECT pt.participant_id, SUM(pt.present_sessions) AS present_sessions, \
         SUM(pt.recorded_sessions) AS recorded_sessions, SUM(pt.minutes) AS minutes \
         FROM participant_time pt GROUP BY pt.participant_id) t ON t.participant_id = p.id"
    }
}

/// The fields of [`facts`]' text per participant, in order (`t` is
/// [`time_join`], `pf` [`PLACEMENT_JOIN`]; `$TODAY` the day the facts are read). A NULL becomes
/// empty text.
///
/// The two follow-up facts: `follow_up_due`, a follow-up of hers has fallen
/// due by today, whatever became of it (open, done or closed as not
/// reached: it was due, so she is in the base of the share followed up);
/// `followed_up`, a follow-up of hers was done, that is she was reached
/// (`done_on`; one closed as not reached has none).
const FACT_FIELDS: [&str; 20] = [
    "p.id",
    "p.gender",
    "p.birth_date",
    "p.responsible_organisation_id",
    "p.status",
    "p.intake_date",
    "p.exit_date",
    "p.exit_outcome",
    "CASE WHEN EXISTS (SELECT 1 FROM follow_ups fd WHERE fd.participant_id = p.id \
     AND fd.due_on <= $TODAY) THEN 1 ELSE 0 END",
    "CASE WHEN EXISTS (SELECT 1 FROM follow_ups fu WHERE fu.participant_id = p.id \
     AND fu.done_on IS NOT NULL) THEN 1 ELSE 0 END",
    "p.first_plan_on",
    "p.self_assessments",
    "p.self_assessment_change",
    "COALESCE(t.present_sessions, 0)",
    "COALESCE(t.recorded_sessions, 0)",
    "COALESCE(t.minutes, 0)",
    "pf.first_placed",
    "pf.intern_from",
    "pf.intern_to",
    "pf.job_from",
];

/// Her first placement, internship (start and first end) and job
/// placement, joined as `pf`: one pass over the placements, not four
/// lookups per participant.
const PLACEMENT_JOIN: &str = "LEFT JOIN (SELECT participant_id, MIN(start_date) AS first_placed, \
     MIN(CASE WHEN kind = 'internship' THEN start_date END) AS intern_from, \
     MIN(CASE WHEN kind = 'internship' THEN end_date END) AS intern_to, \
     MIN(CASE WHEN kind = 'job' THEN start_date END) AS job_from \
     FROM placements GROUP BY participant_id) pf ON pf.participant_id = p.id";

/// The facts of every participant counted, with days on pause up to
/// `today` (or her exit), her kept attendance and time, and, with
/// `memberships`, her projects or her interventions (for the breakdowns by
/// them). Two statements whatever the number of participants (three with
/// `memberships`); each returns one row per two thousand participants, the
/// facts joined into one text (the per-row cost of the driver, not the
/// database, is what grows with the number of participants).
pub async fn facts(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
    today: Date,
    memberships: Option<Memberships>,
) -> Result<Vec<Facts>> {
    let pause_agg = text_agg(
        c,
        "e.participant_id || ',' || e.id || ',' || e.kind || ',' || e.on_date",
        ";",
    );
    let mut events: Vec<(i64, i64, bool, Date)> = Vec::new();
    // The pause events of the population, found from the events' side.
    let pause_rows = match project_id {
        Some(project) => {
            sqlx::query(&format!(
                "SELECT {pause_agg} AS f FROM status_events e \
                 JOIN participant_projects pp ON pp.participant_id = e.participant_id AND pp.project_id = $1 \
                 WHERE e.kind IN ('pause', 'resume') GROUP BY e.participant_id / {PER_ROW}"
            ))
            .bind(project)
            .fetch_all(&mut *c)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {pause_agg} AS f FROM status_events e \
                 JOIN participants p ON p.id = e.participant_id AND p.partnership_id = $1 \
                 WHERE e.kind IN ('pause', 'resume') GROUP BY e.participant_id / {PER_ROW}"
            ))
            .bind(partnership_id)
            .fetch_all(&mut *c)
            .await?
        }
    };
    for r in pause_rows {
        for rec in text(&r, "f")?.split(';') {
            let mut x = rec.split(',');
            let mut next = || x.next().ok_or(StoreError::Corrupt("participant facts"));
            let pid = next()?.parse().map_err(corrupt)?;
            let id = next()?.parse().map_err(corrupt)?;
            let pause = next()? == "pause";
            let on: Date = next()?.parse().map_err(corrupt)?;
            events.push((pid, id, pause, on));
        }
    }
    events.sort_unstable_by_key(|e| (e.0, e.1));
    let mut pauses: HashMap<i64, Vec<(bool, Date)>> = HashMap::new();
    for (pid, _, pause, on) in events {
        pauses.entry(pid).or_default().push((pause, on));
    }
    // One text per participant, built by format() in one step (each `||`
    // copied the text so far: a third of the statement's time at 16 fields).
    let fields = FACT_FIELDS.join(", ");
    let marks = vec!["%s"; FACT_FIELDS.len()].join(",");
    let agg = text_agg(c, &format!("format('{marks}', {fields})"), ";")
        .replace("$TODAY", if project_id.is_some() { "$3" } else { "$2" });
    let (tables, cond) = population_parts(project_id);
    let sql = format!(
        "SELECT {agg} AS f {tables} {time} {PLACEMENT_JOIN} WHERE {cond} GROUP BY p.id / {PER_ROW}",
        time = time_join(project_id)
    );
    // Read as they come: one row's text (two thousand participants) at a
    // time beside the facts, not every participant's text at once.
    let mut rows = sqlx::query(&sql)
        .bind(partnership_id)
        .bind_project(project_id)
        .bind(today.to_string())
        .fetch(&mut *c);
    let mut out = Vec::new();
    while let Some(r) = rows.try_next().await? {
        for rec in text(&r, "f")?.split(';') {
            let x: Vec<&str> = rec.split(',').collect();
            let [id, gender, birth, org, status, intake, exit, outcome, due, done, plan, assessed, change, present, recorded, minutes, placed, intern_from, intern_to, job_placed] =
                x[..]
            else {
                return Err(StoreError::Corrupt("participant facts"));
            };
            let id: i64 = id.parse().map_err(corrupt)?;
            let opt_date = |s: &str| -> Result<Option<Date>> {
                if s.is_empty() {
                    Ok(None)
                } else {
                    s.parse().map(Some).map_err(corrupt)
                }
            };
            let exit = opt_date(exit)?;
            out.push(Facts {
                id,
                gender: Gender::parse(gender).ok_or(StoreError::Corrupt("gender"))?,
                birth_date: birth.parse().map_err(corrupt)?,
                organisation_id: org.parse().map_err(corrupt)?,
                status: Status::parse(status).ok_or(StoreError::Corrupt("status"))?,
                intake: opt_date(intake)?,
                exit,
                outcome: if outcome.is_empty() {
                    None
                } else {
                    Some(ExitOutcome::parse(outcome).ok_or(StoreError::Corrupt("exit_outcome"))?)
                },
                paused_days: pauses
                    .get(&id)
                    .map_or(0, |e| paused_days(e, exit.unwrap_or(today))),
                follow_up_due: due == "1",
                followed_up: done == "1",
                first_plan_on: opt_date(plan)?,
                present_sessions: present.parse().map_err(corrupt)?,
                recorded_sessions: recorded.parse().map_err(corrupt)?,
                minutes: minutes.parse().map_err(corrupt)?,
                projects: Vec::new(),
                interventions: Vec::new(),
                self_assessments: assessed.parse().map_err(corrupt)?,
                self_assessment_change: if change.is_empty() {
                    None
                } else {
                    Some(change.parse().map_err(corrupt)?)
                },
                first_placement_on: opt_date(placed)?,
                first_internship_on: opt_date(intern_from)?,
                first_internship_end: opt_date(intern_to)?,
                first_job_placement_on: opt_date(job_placed)?,
                industries: Vec::new(),
                areas: Vec::new(),
            });
        }
    }
    drop(rows);
    if let Some(which) = memberships {
        out.sort_unstable_by_key(|f| f.id);
        links(c, partnership_id, project_id, which, &mut out).await?;
    }
    Ok(out)
}

/// Which of her memberships [`facts`] also reads, for the breakdown by
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memberships {
    /// The projects she is linked to.
    Projects,
    /// The interventions she has taken part in.
    Interventions,
    /// The industries of the employers of her placements and her exit.
    Industries,
    /// The occupation areas of her placements.
    Areas,
}

/// Her placements' employers' industries and openings' areas, as a table
/// of (`participant_id`, `v`).
const PLACEMENT_LINKS: &str = "FROM placements pl JOIN proposals r ON r.id = pl.proposal_id \
     JOIN openings o ON o.id = r.opening_id JOIN employers e ON e.id = o.employer_id";

/// Each participant's projects, or the interventions she has taken part
/// in, read in one statement into `facts` (sorted by id).
async fn links(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
    which: Memberships,
    facts: &mut [Facts],
) -> Result<()> {
    let from = population(project_id);
    let (table, column, only_started) = match which {
        Memberships::Projects => ("participant_projects".into(), "project_id", String::new()),
        Memberships::Interventions => (
            "enrolments".into(),
            "intervention_id",
            format!("l.status IN {STARTED_ENROLMENT} AND"),
        ),
        Memberships::Industries => (
            format!(
                "(SELECT pl.participant_id, e.industry AS v {PLACEMENT_LINKS} \
                 UNION SELECT x.id, xe.industry FROM participants x \
                 JOIN employers xe ON xe.id = x.exit_employer_id)"
            ),
            "v",
            String::new(),
        ),
        Memberships::Areas => (
            format!("(SELECT pl.participant_id, o.area AS v {PLACEMENT_LINKS})"),
            "v",
            String::new(),
        ),
    };
    let agg = text_agg(c, &format!("l.participant_id || ',' || l.{column}"), ";");
    let rows = sqlx::query(&format!(
        "SELECT {agg} AS f FROM {table} l \
         WHERE {only_started} l.participant_id IN (SELECT p.id {from}) \
         GROUP BY l.participant_id / {PER_ROW}"
    ))
    .bind(partnership_id)
    .bind_project(project_id)
    .fetch_all(&mut *c)
    .await?;
    for r in &rows {
        for rec in text(r, "f")?.split(';') {
            let (pid, other) = rec
                .split_once(',')
                .ok_or(StoreError::Corrupt("participant links"))?;
            let pid: i64 = pid.parse().map_err(corrupt)?;
            let Ok(k) = facts.binary_search_by_key(&pid, |f| f.id) else {
                continue;
            };
            let f = &mut facts[k];
            match which {
                Memberships::Projects => f.projects.push(other.parse().map_err(corrupt)?),
                Memberships::Interventions => f.interventions.push(other.parse().map_err(corrupt)?),
                Memberships::Industries => f
                    .industries
                    .push(Industry::parse(other).ok_or(StoreError::Corrupt("industry"))?),
                Memberships::Areas => f.areas.push(
                    occupations::area(other)
                        .ok_or(StoreError::Corrupt("area"))?
                        .code
                        .as_str(),
                ),
            }
        }
    }
    for f in facts.iter_mut() {
        for v in [&mut f.projects, &mut f.interventions] {
            v.sort_unstable();
            v.dedup();
        }
        f.industries.sort_unstable();
        f.industries.dedup();
        f.areas.sort_unstable();
        f.areas.dedup();
    }
    Ok(())
}

const GOAL_COLUMNS: &str = "id, project_id, indicator, target_milli, period_start, period_end";

fn goal(r: &sqlx::any::AnyRow) -> Result<Goal> {
    Ok(Goal {
        id: i64_(r, "id")?,
        project_id: opt_i64(r, "project_id")?,
        indicator: vocab(r, "indicator", Indicator::parse)?,
        target: i64_(r, "target_milli")? as f64 / 1000.0,
        period: Period {
            start: date(r, "period_start")?,
            end: date(r, "period_end")?,
        },
    })
}

/// The goals of a project (or, with `None`, of the partnership as a whole).
pub async fn goals(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
) -> Result<Vec<Goal>> {
    let cond = if project_id.is_some() {
        "project_id = $2"
    } else {
        "project_id IS NULL"
    };
    sqlx::query(&format!(
        "SELECT {GOAL_COLUMNS} FROM goals WHERE partnership_id = $1 AND {cond} \
         ORDER BY period_start, id LIMIT 100"
    ))
    .bind(partnership_id)
    .bind_project(project_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(goal)
    .collect()
}

pub async fn goal_by_id(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<Goal>> {
    sqlx::query(&format!(
        "SELECT {GOAL_COLUMNS} FROM goals WHERE partnership_id = $1 AND id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(goal)
    .transpose()
}

pub async fn insert_goal(
    c: &mut AnyConnection,
    partnership_id: i64,
    g: &Goal,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO goals (partnership_id, project_id, indicator, target_milli, period_start, period_end, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(partnership_id)
    .bind(g.project_id)
    .bind(g.indicator.as_str())
    .bind((g.target * 1000.0).round() as i64)
    .bind(g.period.start.to_string())
    .bind(g.period.end.to_string())
    .bind(by)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn delete_goal(c: &mut AnyConnection, partnership_id: i64, id: i64) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM goals WHERE partnership_id = $1 AND id = $2")
            .bind(partnership_id)
            .bind(id)
            .execute(c)
            .await?
            .rows_affected()
            == 1,
    )
}

/// How many participants of one gender took part in an intervention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterventionGenderCount {
    /// The intervention's name.
    pub intervention: String,
    pub gender: Gender,
    pub participants: i64,
}

/// Participants who took part in each intervention during the period
/// (an enrolment ongoing, completed or discontinued whose dates overlap
/// it), by gender, in intervention order.
pub async fn participants_per_intervention(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
    period: Period,
) -> Result<Vec<InterventionGenderCount>> {
    let in_project = if project_id.is_some() {
        "AND EXISTS (SELECT 1 FROM participant_projects pp WHERE pp.participant_id = p.id AND pp.project_id = $4)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT i.id, i.name, p.gender, COUNT(DISTINCT e.participant_id) AS n \
         FROM enrolments e JOIN interventions i ON i.id = e.intervention_id \
         JOIN participants p ON p.id = e.participant_id \
         WHERE i.partnership_id = $1 AND e.status IN {STARTED_ENROLMENT} \
         AND e.start_date IS NOT NULL AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $2) {in_project} \
         GROUP BY i.id, i.name, p.gender ORDER BY i.name, i.id, p.gender"
    );
    sqlx::query(&sql)
        .bind(partnership_id)
        .bind(period.start.to_string())
        .bind(period.end.to_string())
        .bind_project(project_id)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok(InterventionGenderCount {
                intervention: text(r, "name")?,
                gender: vocab(r, "gender", Gender::parse)?,
                participants: i64_(r, "n")?,
            })
        })
        .collect()
}

/// One combination of before-and-after facts and how many ended
/// participants share it: (labour status at entry, income source at entry,
/// education level, months on support before, employment at the latest
/// follow-up done, income source then, count).
pub type BeforeAfterRow = (
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
);

/// Before and after for those who ended in the period: their situation at
/// entry against their latest follow-up done, grouped in SQL. Only a
/// follow-up done (she was reached, `done_on` set) says how she is after;
/// one closed as not reached has no `done_on`, so she counts as after
/// unknown (no follow-up), like one never tried.
pub async fn before_after(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
    period: Period,
) -> Result<Vec<BeforeAfterRow>> {
    let n = if project_id.is_some() { 3 } else { 2 };
    let (join_from, cond) = match project_id {
        Some(_) => (
            "FROM participants p JOIN participant_projects pp ON pp.participant_id = p.id AND pp.project_id = $2",
            "p.partnership_id = $1",
        ),
        None => ("FROM participants p", "p.partnership_id = $1"),
    };
    let sql = format!(
        "SELECT p.entry_labour_status AS ls, p.entry_income_source AS inc, p.education_level AS edu, \
         p.entry_months_on_support AS months, f.employment AS emp, f.income_source AS inc_after, COUNT(*) AS n \
         {join_from} \
         LEFT JOIN follow_ups f ON f.participant_id = p.id AND f.done_on IS NOT NULL \
           AND NOT EXISTS (SELECT 1 FROM follow_ups f2 WHERE f2.participant_id = p.id \
             AND f2.done_on IS NOT NULL AND f2.months_after > f.months_after) \
         WHERE {cond} AND p.exit_date >= ${n} AND p.exit_date <= ${} \
         GROUP BY p.entry_labour_status, p.entry_income_source, p.education_level, \
           p.entry_months_on_support, f.employment, f.income_source",
        n + 1
    );
    rows_in_period(c, &sql, partnership_id, project_id, period)
        .await?
        .iter()
        .map(|r| {
            Ok((
                text(r, "ls")?,
                text(r, "inc")?,
                text(r, "edu")?,
                opt_i64(r, "months")?,
                opt_text(r, "emp")?,
                opt_text(r, "inc_after")?,
                i64_(r, "n")?,
            ))
        })
        .collect()
}

/// Those who entered in the period, grouped by what the ESF+ common output
/// indicators read.
pub async fn entrant_groups(
    c: &mut AnyConnection,
    partnership_id: i64,
    project_id: Option<i64>,
    period: Period,
) -> Result<Vec<palett_domain::esf::EntrantGroup>> {
    use palett_domain::followup::LabourStatus;
    use palett_domain::values::EducationLevel;
    let from = population(project_id);
    let n = if project_id.is_some() { 3 } else { 2 };
    let age = crate::participant::AGE_AT_INTAKE;
    let sql = format!(
        "SELECT p.gender, p.education_level, p.entry_labour_status, CAST({age} AS BIGINT) AS age, \
         CASE WHEN p.country_of_birth IS NULL OR p.country_of_birth = '' THEN 'unknown' \
              WHEN lower(p.country_of_birth) IN ('sverige', 'sweden') THEN 'no' ELSE 'yes' END AS foreign_born, \
         COUNT(*) AS n {from} AND p.intake_date >= ${n} AND p.intake_date <= ${} \
         GROUP BY p.gender, p.education_level, p.entry_labour_status, {age}, \
           CASE WHEN p.country_of_birth IS NULL OR p.country_of_birth = '' THEN 'unknown' \
                WHEN lower(p.country_of_birth) IN ('sverige', 'sweden') THEN 'no' ELSE 'yes' END",
        n + 1
    );
    rows_in_period(c, &sql, partnership_id, project_id, period)
        .await?
        .iter()
        .map(|r| {
            Ok(palett_domain::esf::EntrantGroup {
                gender: vocab(r, "gender", Gender::parse)?,
                education: vocab(r, "education_level", EducationLevel::parse)?,
                labour: vocab(r, "entry_labour_status", LabourStatus::parse)?,
                age: opt_i64(r, "age")?.and_then(|a| i16::try_from(a).ok()),
                foreign_born: match text(r, "foreign_born")?.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                count: i64_(r, "n")?,
            })
        })
        .collect()
}

/// One participant's line of the ESF+ monthly participant file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthLine {
    pub participant_id: i64,
    pub given_name: String,
    pub family_name: String,
    /// Opened from its sealed form; `None` when she has none.
    pub identity_number: Option<String>,
    /// Her consent to the processing of her identity number is in force.
    pub identity_consent: bool,
    pub intake: Option<Date>,
    pub exit: Option<Date>,
    /// Attended and recorded minutes within the month.
    pub minutes: i64,
    /// She confirmed the month in her portal: the minutes she saw and when.
    pub confirmed: Option<(i64, i64)>,
    /// Her caseworker attested the month.
    pub attested: Option<crate::attestation::Attested>,
    /// How many times the month's time was corrected after it was attested.
    pub corrections: i64,
}

/// The project's participants who took part during `month` (intake by its
/// end, no exit before its start), within the caller's scope.
pub async fn month_lines(
    c: &mut AnyConnection,
    s: &dyn crate::sealing::Sealer,
    scope: palett_domain::policy::ParticipantScope,
    project_id: i64,
    month: palett_domain::indicators::Month,
) -> Result<Vec<MonthLine>> {
    use crate::participant::{bind_all, where_clause, Filter};
    let filter = Filter {
        project_id: Some(project_id),
        ..Filter::default()
    };
    let Some(w) = where_clause(scope, &filter) else {
        return Ok(Vec::new());
    };
    let n = w.args.len();
    let (first, last) = (n + 1, n + 2);
    let in_force = crate::consent::in_force_sql(&format!("${first}"), &format!("${last}"));
    let sql = format!(
        "SELECT p.id, p.given_name, p.family_name, p.identity_number, p.intake_date, p.exit_date, \
         (SELECT COUNT(*) FROM consents k WHERE k.participant_id = p.id AND k.kind = 'identity_number' \
          AND {in_force}) AS consent, \
         CAST(COALESCE((SELECT SUM(a.minutes) FROM attendance a JOIN group_sessions gs ON gs.id = a.session_id \
          WHERE a.participant_id = p.id AND a.status = 'present' AND gs.status = 'scheduled' \
          AND gs.on_date >= ${first} AND gs.on_date <= ${last}), 0) \
          + COALESCE((SELECT SUM(r.minutes) FROM activity_records r WHERE r.participant_id = p.id \
          AND r.on_date >= ${first} AND r.on_date <= ${last}), 0) AS BIGINT) AS minutes, \
         tc.minutes AS confirmed_minutes, tc.confirmed_at, \
         ma.minutes AS attested_minutes, ma.attested_at, au.display_name AS attested_by, \
         (SELECT COUNT(*) FROM time_corrections k WHERE k.participant_id = p.id \
          AND k.month = SUBSTR(${first}, 1, 7)) AS corrections \
         FROM participants p LEFT JOIN time_confirmations tc ON tc.participant_id = p.id \
         AND tc.month = SUBSTR(${first}, 1, 7) \
         LEFT JOIN month_attestations ma ON ma.participant_id = p.id AND ma.month = SUBSTR(${first}, 1, 7) \
         LEFT JOIN users au ON au.id = ma.attested_by WHERE {} AND p.intake_date IS NOT NULL AND p.intake_date <= ${last} \
         AND (p.exit_date IS NULL OR p.exit_date >= ${first}) \
         ORDER BY p.family_name, p.given_name, p.id",
        w.clauses.join(" AND ")
    );
    let rows = bind_all(sqlx::query(&sql), &w.args)
        .bind(month.first_day().to_string())
        .bind(month.last_day().to_string())
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MonthLine {
                participant_id: i64_(r, "id")?,
                given_name: text(r, "given_name")?,
                family_name: text(r, "family_name")?,
                identity_number: opt_text(r, "identity_number")?
                    .map(|v| s.open(crate::participant::IDENTITY, &v))
                    .transpose()?,
                identity_consent: i64_(r, "consent")? > 0,
                intake: opt_date(r, "intake_date")?,
                exit: opt_date(r, "exit_date")?,
                minutes: i64_(r, "minutes")?,
                confirmed: match opt_i64(r, "confirmed_minutes")? {
                    Some(m) => Some((m, i64_(r, "confirmed_at")?)),
                    None => None,
                },
                attested: match opt_i64(r, "attested_minutes")? {
                    Some(minutes) => Some(crate::attestation::Attested {
                        minutes,
                        by: opt_text(r, "attested_by")?,
                        at: i64_(r, "attested_at")?,
                    }),
                    None => None,
                },
                corrections: i64_(r, "corrections")?,
            })
        })
        .collect()
}
