//! Questionnaires: instruments and their versions (the definition kept as
//! the domain's JSON; a published version is never updated), the waves a
//! project schedules them in, and her responses with their answers.

use crate::participant::{bind_all, where_clause, Filter};
use crate::row::*;
use crate::Result;
use jiff::civil::Date;
use palett_domain::policy::ParticipantScope;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// The name `instruments.builtin` gives the self-assessment instrument.
pub const SELF_ASSESSMENT: &str = "self_assessment";

/// The self-assessment instrument's definition (version 1), as migration
/// 0037 wrote it for the partnerships of the time; a partnership made later
/// gets it when its first self-assessment is recorded.
pub const SELF_ASSESSMENT_DEFINITION: &str = include_str!("self_assessment.json");

/// An instrument in the list: its latest version's title and where its
/// versions stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstrumentRow {
    pub id: i64,
    pub name: String,
    pub builtin: bool,
    pub title: String,
    pub versions: i64,
    /// The newest published version's number.
    pub published: Option<i64>,
    /// The draft's number, if one waits to be published.
    pub draft: Option<i64>,
    pub responses: i64,
}

const INSTRUMENT: &str = "SELECT i.id, i.name, i.builtin, \
     (SELECT v.title FROM instrument_versions v WHERE v.instrument_id = i.id ORDER BY v.version DESC LIMIT 1) AS title, \
     (SELECT COUNT(*) FROM instrument_versions v WHERE v.instrument_id = i.id) AS versions, \
     (SELECT MAX(v.version) FROM instrument_versions v WHERE v.instrument_id = i.id AND v.published_at IS NOT NULL) AS published, \
     (SELECT MAX(v.version) FROM instrument_versions v WHERE v.instrument_id = i.id AND v.published_at IS NULL) AS draft, \
     (SELECT COUNT(*) FROM questionnaire_responses r WHERE r.instrument_id = i.id) AS responses \
     FROM instruments i";

fn instrument_row(r: &sqlx::any::AnyRow) -> Result<InstrumentRow> {
    Ok(InstrumentRow {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        builtin: opt_text(r, "builtin")?.is_some(),
        title: opt_text(r, "title")?.unwrap_or_default(),
        versions: i64_(r, "versions")?,
        published: opt_i64(r, "published")?,
        draft: opt_i64(r, "draft")?,
        responses: i64_(r, "responses")?,
    })
}

/// The partnership's instruments, by title (at most 500).
pub async fn instruments(c: &mut AnyConnection, partnership_id: i64) -> Result<Vec<InstrumentRow>> {
    let mut list = sqlx::query(&format!(
        "{INSTRUMENT} WHERE i.partnership_id = $1 ORDER BY i.id LIMIT 500"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(instrument_row)
    .collect::<Result<Vec<_>>>()?;
    list.sort_by_key(|a| a.title.to_lowercase());
    Ok(list)
}

/// One of the partnership's instruments.
pub async fn instrument(
    c: &mut AnyConnection,
    partnership_id: i64,
    id: i64,
) -> Result<Option<InstrumentRow>> {
    sqlx::query(&format!(
        "{INSTRUMENT} WHERE i.partnership_id = $1 AND i.id = $2"
    ))
    .bind(partnership_id)
    .bind(id)
    .fetch_optional(c)
    .await?
    .map(|r| instrument_row(&r))
    .transpose()
}

/// The id of the partnership's instrument of this name.
pub async fn instrument_named(
    c: &mut AnyConnection,
    partnership_id: i64,
    name: &str,
) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM instruments WHERE partnership_id = $1 AND name = $2")
            .bind(partnership_id)
            .bind(name)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn create_instrument(
    c: &mut AnyConnection,
    partnership_id: i64,
    name: &str,
    by: Option<i64>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO instruments (partnership_id, name, created_at, created_by) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(partnership_id)
    .bind(name)
    .bind(now)
    .bind(by)
    .fetch_one(c)
    .await?)
}

/// One version of an instrument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    pub id: i64,
    pub instrument_id: i64,
    pub version: i64,
    pub title: String,
    /// The domain's `Instrument` as JSON.
    pub definition: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
    /// How many responses point to it.
    pub responses: i64,
}

const VERSION: &str = "SELECT v.id, v.instrument_id, v.version, v.title, v.definition, \
     v.created_at, v.published_at, \
     (SELECT COUNT(*) FROM questionnaire_responses r WHERE r.version_id = v.id) AS responses \
     FROM instrument_versions v";

fn version_row(r: &sqlx::any::AnyRow) -> Result<VersionRow> {
    Ok(VersionRow {
        id: i64_(r, "id")?,
        instrument_id: i64_(r, "instrument_id")?,
        version: i64_(r, "version")?,
        title: text(r, "title")?,
        definition: text(r, "definition")?,
        created_at: i64_(r, "created_at")?,
        published_at: opt_i64(r, "published_at")?,
        responses: i64_(r, "responses")?,
    })
}

/// An instrument's versions, newest first.
pub async fn versions(c: &mut AnyConnection, instrument_id: i64) -> Result<Vec<VersionRow>> {
    sqlx::query(&format!(
        "{VERSION} WHERE v.instrument_id = $1 ORDER BY v.version DESC LIMIT 200"
    ))
    .bind(instrument_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(version_row)
    .collect()
}

/// One version, by its number, of the partnership's instrument.
pub async fn version(
    c: &mut AnyConnection,
    partnership_id: i64,
    instrument_id: i64,
    number: i64,
) -> Result<Option<VersionRow>> {
    sqlx::query(&format!(
        "{VERSION} JOIN instruments i ON i.id = v.instrument_id \
         WHERE i.partnership_id = $1 AND v.instrument_id = $2 AND v.version = $3"
    ))
    .bind(partnership_id)
    .bind(instrument_id)
    .bind(number)
    .fetch_optional(c)
    .await?
    .map(|r| version_row(&r))
    .transpose()
}

/// The newest published version of an instrument.
pub async fn published(c: &mut AnyConnection, instrument_id: i64) -> Result<Option<VersionRow>> {
    sqlx::query(&format!(
        "{VERSION} WHERE v.instrument_id = $1 AND v.published_at IS NOT NULL \
         ORDER BY v.version DESC LIMIT 1"
    ))
    .bind(instrument_id)
    .fetch_optional(c)
    .await?
    .map(|r| version_row(&r))
    .transpose()
}

/// The newest published version of each of the partnership's
/// instruments.
pub async fn published_versions(
    c: &mut AnyConnection,
    partnership_id: i64,
) -> Result<Vec<VersionRow>> {
    sqlx::query(&format!(
        "{VERSION} JOIN instruments i ON i.id = v.instrument_id \
         WHERE i.partnership_id = $1 AND v.version = (SELECT MAX(w.version) \
         FROM instrument_versions w WHERE w.instrument_id = v.instrument_id \
         AND w.published_at IS NOT NULL) ORDER BY v.instrument_id LIMIT 500"
    ))
    .bind(partnership_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(version_row)
    .collect()
}

/// Versions by id (those a set of responses point to).
pub async fn versions_by_id(c: &mut AnyConnection, ids: &[i64]) -> Result<Vec<VersionRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!("{VERSION} WHERE v.id IN ({})", marks.join(", "));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(c).await?.iter().map(version_row).collect()
}

/// Add the next version (a draft); returns its id and number.
pub async fn add_version(
    c: &mut AnyConnection,
    instrument_id: i64,
    title: &str,
    definition: &str,
    by: Option<i64>,
    now: i64,
) -> Result<(i64, i64)> {
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM instrument_versions WHERE instrument_id = $1",
    )
    .bind(instrument_id)
    .fetch_one(&mut *c)
    .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO instrument_versions (instrument_id, version, title, definition, created_at, \
         created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(instrument_id)
    .bind(next)
    .bind(title)
    .bind(definition)
    .bind(now)
    .bind(by)
    .fetch_one(c)
    .await?;
    Ok((id, next))
}

/// Replace a draft's definition; `false` (nothing changed) when the version
/// is published: a published version never changes.
pub async fn replace_draft(
    c: &mut AnyConnection,
    version_id: i64,
    title: &str,
    definition: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE instrument_versions SET title = $1, definition = $2, created_at = $3, \
         created_by = $4 WHERE id = $5 AND published_at IS NULL",
    )
    .bind(title)
    .bind(definition)
    .bind(now)
    .bind(by)
    .bind(version_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publish a draft; `false` when it was published already.
pub async fn publish(c: &mut AnyConnection, version_id: i64, by: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE instrument_versions SET published_at = $1, published_by = $2 \
         WHERE id = $3 AND published_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(version_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Delete a draft nobody answered; `false` when published.
pub async fn delete_draft(c: &mut AnyConnection, version_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM instrument_versions WHERE id = $1 AND published_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM questionnaire_responses r WHERE r.version_id = $1)",
    )
    .bind(version_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A project's schedule for an instrument, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleRow {
    pub project_id: i64,
    pub project_name: String,
    pub instrument_id: i64,
    pub at_intake: bool,
    pub every_months: Option<i64>,
    pub at_exit: bool,
    pub follow_up_months: Option<i64>,
}

const SCHEDULE: &str = "SELECT s.project_id, pr.name AS project_name, s.instrument_id, \
     s.at_intake, s.every_months, s.at_exit, s.follow_up_months \
     FROM questionnaire_schedules s JOIN projects pr ON pr.id = s.project_id";

fn schedule_row(r: &sqlx::any::AnyRow) -> Result<ScheduleRow> {
    Ok(ScheduleRow {
        project_id: i64_(r, "project_id")?,
        project_name: text(r, "project_name")?,
        instrument_id: i64_(r, "instrument_id")?,
        at_intake: flag(r, "at_intake")?,
        every_months: opt_i64(r, "every_months")?,
        at_exit: flag(r, "at_exit")?,
        follow_up_months: opt_i64(r, "follow_up_months")?,
    })
}

/// The projects that schedule an instrument.
pub async fn schedules_of(c: &mut AnyConnection, instrument_id: i64) -> Result<Vec<ScheduleRow>> {
    sqlx::query(&format!(
        "{SCHEDULE} WHERE s.instrument_id = $1 ORDER BY pr.name, s.project_id LIMIT 500"
    ))
    .bind(instrument_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(schedule_row)
    .collect()
}

/// Set (or, with `None`, remove) a project's schedule for an instrument.
pub async fn set_schedule(
    c: &mut AnyConnection,
    project_id: i64,
    instrument_id: i64,
    schedule: Option<&ScheduleRow>,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM questionnaire_schedules WHERE project_id = $1 AND instrument_id = $2")
        .bind(project_id)
        .bind(instrument_id)
        .execute(&mut *c)
        .await?;
    if let Some(s) = schedule {
        sqlx::query(
            "INSERT INTO questionnaire_schedules (project_id, instrument_id, at_intake, \
             every_months, at_exit, follow_up_months, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(project_id)
        .bind(instrument_id)
        .bind(i64::from(s.at_intake))
        .bind(s.every_months)
        .bind(i64::from(s.at_exit))
        .bind(s.follow_up_months)
        .bind(now)
        .bind(by)
        .execute(c)
        .await?;
    }
    Ok(())
}

/// A participant a schedule applies to: her name and dates and the
/// schedule of one of her projects (several rows when several of her
/// projects schedule the same instrument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub participant_id: i64,
    pub name: String,
    pub instrument_id: i64,
    pub intake: Date,
    pub exit: Option<Date>,
    pub schedule: ScheduleRow,
    /// The instrument's newest published title; none while unpublished.
    pub title: Option<String>,
    /// The waves of it she has answered.
    pub answered: Vec<String>,
}

/// Which participants the waves are worked out for.
#[derive(Clone, Copy, Debug)]
pub enum Whom {
    /// One woman.
    Participant(i64),
    /// Those of the partnership an instrument is scheduled for.
    Instrument {
        partnership_id: i64,
        instrument_id: i64,
    },
    /// Those within a caller's scope still in the programme or who ended
    /// on or after the day given (none: whenever they ended).
    Scope(ParticipantScope, Option<Date>),
}

/// The schedules that apply to participants with an intake date, not
/// anonymised and not restricted, with their dates (at most 200,000 rows).
pub async fn scheduled(c: &mut AnyConnection, whom: Whom) -> Result<Vec<Scheduled>> {
    let from = "FROM questionnaire_schedules s JOIN projects pr ON pr.id = s.project_id \
         JOIN participant_projects pp ON pp.project_id = s.project_id \
         JOIN participants p ON p.id = pp.participant_id";
    // One statement, whatever the number of women: the title and the
    // waves she answered come along.
    let select = format!(
        "SELECT p.id AS participant_id, p.given_name, p.family_name, p.intake_date, \
         p.exit_date, s.project_id, pr.name AS project_name, s.instrument_id, s.at_intake, \
         s.every_months, s.at_exit, s.follow_up_months, \
         (SELECT v.title FROM instrument_versions v WHERE v.instrument_id = s.instrument_id \
          AND v.published_at IS NOT NULL ORDER BY v.version DESC LIMIT 1) AS title, \
         (SELECT {} FROM questionnaire_responses r WHERE r.participant_id = p.id \
          AND r.instrument_id = s.instrument_id AND r.wave IS NOT NULL) AS answered",
        crate::text_agg(c, "r.wave", ",")
    );
    let alive =
        "p.intake_date IS NOT NULL AND p.anonymised_at IS NULL AND p.processing_restricted = 0";
    let tail = "ORDER BY p.family_name, p.given_name, p.id LIMIT 200000";
    let rows = match whom {
        Whom::Participant(pid) => {
            sqlx::query(&format!("{select} {from} WHERE p.id = $1 AND {alive} {tail}"))
                .bind(pid)
                .fetch_all(c)
                .await?
        }
        Whom::Instrument {
            partnership_id,
            instrument_id,
        } => {
            sqlx::query(&format!(
                "{select} {from} WHERE p.partnership_id = $1 AND s.instrument_id = $2 AND {alive} {tail}"
            ))
            .bind(partnership_id)
            .bind(instrument_id)
            .fetch_all(c)
            .await?
        }
        Whom::Scope(scope, ended_since) => {
            let Some(mut w) = where_clause(scope, &Filter::default()) else {
                return Ok(Vec::new());
            };
            if let Some(day) = ended_since {
                w.push(
                    |n| format!("(p.exit_date IS NULL OR p.exit_date >= ${n})"),
                    crate::participant::Arg::Text(day.to_string()),
                );
            }
            let sql = format!("{select} {from} WHERE {} AND {alive} {tail}", w.conditions());
            bind_all(sqlx::query(&sql), &w.args).fetch_all(c).await?
        }
    };
    rows.iter()
        .map(|r| {
            Ok(Scheduled {
                participant_id: i64_(r, "participant_id")?,
                name: format!("{} {}", text(r, "given_name")?, text(r, "family_name")?),
                instrument_id: i64_(r, "instrument_id")?,
                intake: date(r, "intake_date")?,
                exit: opt_date(r, "exit_date")?,
                schedule: schedule_row(r)?,
                title: opt_text(r, "title")?,
                answered: opt_text(r, "answered")?
                    .map(|w| w.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// The waves already answered, as (participant, instrument, wave), of the
/// participants in `ids`.
pub async fn answered_waves(
    c: &mut AnyConnection,
    ids: &[i64],
) -> Result<std::collections::HashSet<(i64, i64, String)>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT participant_id, instrument_id, wave FROM questionnaire_responses \
             WHERE wave IS NOT NULL AND participant_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *c).await? {
            out.insert((
                i64_(&r, "participant_id")?,
                i64_(&r, "instrument_id")?,
                text(&r, "wave")?,
            ));
        }
    }
    Ok(out)
}

/// One filled-in questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseRow {
    pub id: i64,
    pub participant_id: i64,
    pub instrument_id: i64,
    pub version_id: i64,
    pub wave: Option<String>,
    pub on: Date,
    pub language: String,
    /// "herself", "with_staff" or "paper".
    pub mode: String,
    pub recorded_at: i64,
}

const RESPONSE: &str = "SELECT r.id, r.participant_id, r.instrument_id, r.version_id, r.wave, \
     r.on_date, r.language, r.mode, r.recorded_at FROM questionnaire_responses r";

fn response_row(r: &sqlx::any::AnyRow) -> Result<ResponseRow> {
    Ok(ResponseRow {
        id: i64_(r, "id")?,
        participant_id: i64_(r, "participant_id")?,
        instrument_id: i64_(r, "instrument_id")?,
        version_id: i64_(r, "version_id")?,
        wave: opt_text(r, "wave")?,
        on: date(r, "on_date")?,
        language: text(r, "language")?,
        mode: text(r, "mode")?,
        recorded_at: i64_(r, "recorded_at")?,
    })
}

/// A response to store.
#[derive(Clone, Debug)]
pub struct NewResponse<'a> {
    pub participant_id: i64,
    pub instrument_id: i64,
    pub version_id: i64,
    pub wave: Option<&'a str>,
    pub on: Date,
    pub language: &'a str,
    pub mode: &'a str,
    pub recorded_by: Option<i64>,
}

/// Store a response and its answers (those named in `free_text` marked as
/// her own words); a second response to the same wave is a conflict
/// (`StoreError::Conflict`). A response to the built-in self-assessment
/// is followed by `selfassessment::recount`.
pub async fn insert_response(
    c: &mut AnyConnection,
    r: &NewResponse<'_>,
    answers: &BTreeMap<String, String>,
    free_text: &[&str],
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questionnaire_responses (participant_id, instrument_id, version_id, wave, \
         on_date, language, mode, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(r.participant_id)
    .bind(r.instrument_id)
    .bind(r.version_id)
    .bind(r.wave)
    .bind(r.on.to_string())
    .bind(r.language)
    .bind(r.mode)
    .bind(r.recorded_by)
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    for (item, value) in answers {
        sqlx::query(
            "INSERT INTO questionnaire_answers (response_id, item, value, free_text) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(item)
        .bind(value)
        .bind(i64::from(free_text.contains(&item.as_str())))
        .execute(&mut *c)
        .await?;
    }
    Ok(id)
}

/// Her responses (every instrument), oldest first.
pub async fn responses_of(c: &mut AnyConnection, participant_id: i64) -> Result<Vec<ResponseRow>> {
    sqlx::query(&format!(
        "{RESPONSE} WHERE r.participant_id = $1 ORDER BY r.on_date, r.id LIMIT 2000"
    ))
    .bind(participant_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(response_row)
    .collect()
}

/// The responses to an instrument, by participant and date (at most
/// 500,000), optionally only those of the given participants.
pub async fn responses_to(c: &mut AnyConnection, instrument_id: i64) -> Result<Vec<ResponseRow>> {
    sqlx::query(&format!(
        "{RESPONSE} JOIN participants p ON p.id = r.participant_id \
         WHERE r.instrument_id = $1 AND p.anonymised_at IS NULL AND p.processing_restricted = 0 \
         ORDER BY r.participant_id, r.on_date, r.id LIMIT 500000"
    ))
    .bind(instrument_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(response_row)
    .collect()
}

/// Answers by response id.
pub type AnswersById = HashMap<i64, BTreeMap<String, String>>;

fn answers_by_response(rows: &[sqlx::any::AnyRow]) -> Result<AnswersById> {
    let mut out: AnswersById = HashMap::new();
    for r in rows {
        out.entry(i64_(r, "response_id")?)
            .or_default()
            .insert(text(r, "item")?, text(r, "value")?);
    }
    Ok(out)
}

/// The answers of an instrument's responses, in one query.
pub async fn answers_to(c: &mut AnyConnection, instrument_id: i64) -> Result<AnswersById> {
    let rows = sqlx::query(
        "SELECT a.response_id, a.item, a.value FROM questionnaire_answers a \
         JOIN questionnaire_responses r ON r.id = a.response_id WHERE r.instrument_id = $1",
    )
    .bind(instrument_id)
    .fetch_all(c)
    .await?;
    answers_by_response(&rows)
}

/// The answers of her responses (every instrument), in one query.
pub async fn answers_of(c: &mut AnyConnection, participant_id: i64) -> Result<AnswersById> {
    let rows = sqlx::query(
        "SELECT a.response_id, a.item, a.value FROM questionnaire_answers a \
         JOIN questionnaire_responses r ON r.id = a.response_id WHERE r.participant_id = $1",
    )
    .bind(participant_id)
    .fetch_all(c)
    .await?;
    answers_by_response(&rows)
}

/// The facts the results are broken down by, per participant who answered
/// an instrument: birth date, gender, intake date, responsible organisation
/// and her first project (by id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Respondent {
    pub participant_id: i64,
    pub birth_date: Date,
    pub gender: String,
    pub intake: Option<Date>,
    pub organisation: String,
    pub project: Option<String>,
}

pub async fn respondents(c: &mut AnyConnection, instrument_id: i64) -> Result<Vec<Respondent>> {
    let rows = sqlx::query(
        "SELECT p.id, p.birth_date, p.gender, p.intake_date, o.name AS organisation, \
         (SELECT pr.name FROM participant_projects pp JOIN projects pr ON pr.id = pp.project_id \
          WHERE pp.participant_id = p.id ORDER BY pr.id LIMIT 1) AS project \
         FROM participants p JOIN organisations o ON o.id = p.responsible_organisation_id \
         WHERE EXISTS (SELECT 1 FROM questionnaire_responses r \
         WHERE r.participant_id = p.id AND r.instrument_id = $1) ORDER BY p.id LIMIT 500000",
    )
    .bind(instrument_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Respondent {
                participant_id: i64_(r, "id")?,
                birth_date: date(r, "birth_date")?,
                gender: text(r, "gender")?,
                intake: opt_date(r, "intake_date")?,
                organisation: text(r, "organisation")?,
                project: opt_text(r, "project")?,
            })
        })
        .collect()
}
