//! Questionnaires for the evaluation: versioned instruments (designed as
//! XLSForms, published once and never changed), the waves projects
//! schedule them in, filling one in with her (or on paper, or by herself in
//! her portal), and what falls due. The results and the research export of
//! the answers are in `questionnaire_results`.

use crate::audit::Action;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use jiff::civil::Date;
use palett_domain::instrument::{Instrument, ItemKind};
use palett_domain::values::parse_past_date;
use palett_domain::wave::{due_waves, is_open, Schedule, WaveKey, FOLLOW_UP_MONTHS_MAX, OPEN_DAYS};
use palett_domain::{FieldErrors, Parsed};
use palett_store::questionnaire::{self as store, InstrumentRow, ScheduleRow, VersionRow, Whom};
use palett_store::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// One version with its definition.
#[derive(Clone, Debug)]
pub struct Version {
    pub row: VersionRow,
    pub definition: Instrument,
}

/// An instrument's page: its versions, newest first, and the projects that
/// schedule it.
#[derive(Clone, Debug)]
pub struct InstrumentPage {
    pub instrument: InstrumentRow,
    pub versions: Vec<Version>,
    pub schedules: Vec<ScheduleRow>,
    /// The partnership's projects, to schedule it in.
    pub projects: Vec<(i64, String)>,
}

/// What an upload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uploaded {
    pub instrument_id: i64,
    pub version: i64,
    /// It replaced a draft not yet published (rather than adding a version).
    pub replaced_draft: bool,
}

/// How a questionnaire was filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// By her, in her portal.
    Herself,
    /// By staff with her.
    WithStaff,
    /// On paper, entered later.
    Paper,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Herself => "herself",
            Mode::WithStaff => "with_staff",
            Mode::Paper => "paper",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "herself" => Some(Mode::Herself),
            "with_staff" => Some(Mode::WithStaff),
            "paper" => Some(Mode::Paper),
            _ => None,
        }
    }
}

/// A questionnaire as submitted besides its answers: the wave (empty for
/// one outside the waves), the day it was filled in, the language it was
/// shown in and how it was filled.
#[derive(Clone, Debug, Default)]
pub struct ResponseMetaInput {
    pub wave: String,
    pub on: String,
    pub language: String,
    pub mode: String,
}

/// A wave that has fallen due and waits for her answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub participant_id: i64,
    pub name: String,
    pub instrument_id: i64,
    pub title: String,
    pub wave: WaveKey,
    pub due: Date,
    /// Still within the days a wave stays open (else missed, yet it may be
    /// filled in late).
    pub open: bool,
}

/// One of her filled-in questionnaires.
#[derive(Clone, Debug)]
pub struct Answered {
    pub response: store::ResponseRow,
    pub title: String,
    pub version: i64,
    /// Each score's label (in Swedish, else the instrument's default
    /// language) and value.
    pub scores: Vec<(String, Option<f64>)>,
}

/// Her questionnaires: what is due and what she has answered.
#[derive(Clone, Debug, Default)]
pub struct Questionnaires {
    pub due: Vec<Due>,
    pub answered: Vec<Answered>,
    /// The instruments published and open to fill in outside the waves
    /// (not the built-in self-assessment, which has its own form).
    pub instruments: Vec<(i64, String)>,
    /// The titles of the published instruments in each of their languages.
    pub titles: HashMap<i64, palett_domain::instrument::Labels>,
}

pub(crate) fn definition(v: &VersionRow) -> Result<Instrument> {
    serde_json::from_str(&v.definition)
        .map_err(|_| AppError::internal("an instrument version's definition does not read"))
}

/// The waves fallen due by `today` for each row of `scheduled` of a
/// published instrument (one per participant, instrument and wave: the
/// earliest due of her projects' schedules), minus those answered.
pub(crate) fn due_of(scheduled: &[store::Scheduled], today: Date) -> Vec<Due> {
    let mut out: BTreeMap<(i64, i64, (u8, u16)), Due> = BTreeMap::new();
    for s in scheduled {
        let Some(title) = &s.title else {
            continue;
        };
        for w in due_waves(&schedule_of(&s.schedule), s.intake, s.exit, today) {
            if s.answered.contains(&w.key.as_string()) {
                continue;
            }
            let key = (s.participant_id, s.instrument_id, w.key.order());
            let d = Due {
                participant_id: s.participant_id,
                name: s.name.clone(),
                instrument_id: s.instrument_id,
                title: title.clone(),
                open: is_open(w.due, today),
                wave: w.key,
                due: w.due,
            };
            match out.get(&key) {
                Some(old) if old.due <= d.due => {}
                _ => {
                    out.insert(key, d);
                }
            }
        }
    }
    out.into_values().collect()
}

pub(crate) fn schedule_of(s: &ScheduleRow) -> Schedule {
    Schedule {
        at_intake: s.at_intake,
        every_months: s.every_months.and_then(|m| u8::try_from(m).ok()),
        at_exit: s.at_exit,
        follow_up_months: s.follow_up_months.and_then(|m| u8::try_from(m).ok()),
    }
}

/// The label of a score in Swedish (else the default language).
fn score_labels(i: &Instrument) -> Vec<String> {
    i.scores
        .iter()
        .map(|s| {
            let l = s.label.get("sv", i.default_language());
            if l.is_empty() {
                s.name.clone()
            } else {
                l.to_string()
            }
        })
        .collect()
}

impl App {
    /// The partnership's instruments (anyone with a role; no personal data).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn instruments(&self, ctx: &Ctx) -> Result<Vec<InstrumentRow>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(store::instruments(&mut c, ctx.actor.partnership_id).await?)
    }

    /// One instrument with its versions and schedules.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn instrument(&self, ctx: &Ctx, id: i64) -> Result<InstrumentPage> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::NotFound);
        }
        let mut c = self.db.read().await?;
        let instrument = store::instrument(&mut c, ctx.actor.partnership_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let versions = store::versions(&mut c, id)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Version {
                    definition: definition(&row)?,
                    row,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let schedules = store::schedules_of(&mut c, id).await?;
        let projects = palett_store::project::list(&mut c, ctx.actor.partnership_id)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        Ok(InstrumentPage {
            instrument,
            versions,
            schedules,
            projects,
        })
    }

    /// One version of an instrument (its XLSForm, its preview).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn instrument_version(&self, ctx: &Ctx, id: i64, number: i64) -> Result<Version> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::NotFound);
        }
        let mut c = self.db.read().await?;
        let row = store::version(&mut c, ctx.actor.partnership_id, id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Version {
            definition: definition(&row)?,
            row,
        })
    }

    /// Upload an instrument (read from an XLSForm): a new instrument, a new
    /// version of the one of the same name, or a draft replaced. Those who
    /// design instruments; audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn upload_instrument(&self, ctx: &Ctx, instrument: &Instrument) -> Result<Uploaded> {
        if !ctx.actor.can_design_instruments() {
            return Err(AppError::Forbidden);
        }
        if let Err(problems) = instrument.check() {
            let mut e = FieldErrors::new();
            for p in problems {
                e.0.push(
                    palett_domain::FieldError::new(p.at.clone(), p.code)
                        .with_arg("detail", p.detail),
                );
            }
            return Err(AppError::Invalid(e));
        }
        let title = instrument
            .title
            .get(instrument.default_language(), "sv")
            .to_string();
        let title = if title.is_empty() {
            instrument.name.clone()
        } else {
            title
        };
        let json = serde_json::to_string(instrument)
            .map_err(|_| AppError::internal("an instrument does not serialise"))?;
        // The built-in self-assessment's name is reserved.
        if instrument.name == store::SELF_ASSESSMENT {
            return Err(AppError::Invalid(FieldErrors::single(
                "form_id",
                "instrument-builtin",
            )));
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let by = Some(ctx.actor.user_id);
        let p = ctx.actor.partnership_id;
        let id = match store::instrument_named(&mut tx, p, &instrument.name).await? {
            Some(id) => id,
            None => store::create_instrument(&mut tx, p, &instrument.name, by, now).await?,
        };
        let draft = store::versions(&mut tx, id)
            .await?
            .into_iter()
            .find(|v| v.published_at.is_none());
        let (version_id, version, replaced_draft) = match draft {
            Some(d) if store::replace_draft(&mut tx, d.id, &title, &json, by, now).await? => {
                (d.id, d.version, true)
            }
            _ => {
                let (vid, n) = store::add_version(&mut tx, id, &title, &json, by, now).await?;
                (vid, n, false)
            }
        };
        tx.done(
            Action::InstrumentUpload,
            "instrument_version",
            Some(version_id),
            None,
        )
        .await?;
        Ok(Uploaded {
            instrument_id: id,
            version,
            replaced_draft,
        })
    }

    /// Publish a draft: from then on it never changes. Audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn publish_instrument(&self, ctx: &Ctx, id: i64, number: i64) -> Result<()> {
        if !ctx.actor.can_design_instruments() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let v = store::version(&mut tx, ctx.actor.partnership_id, id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::publish(&mut tx, v.id, ctx.actor.user_id, now).await? {
            return Err(AppError::Invalid(FieldErrors::single(
                "version",
                "instrument-published-already",
            )));
        }
        tx.done(
            Action::InstrumentPublish,
            "instrument_version",
            Some(v.id),
            None,
        )
        .await
    }

    /// Discard a draft (never a published version). Audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn discard_instrument_draft(&self, ctx: &Ctx, id: i64, number: i64) -> Result<()> {
        if !ctx.actor.can_design_instruments() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        let v = store::version(&mut tx, ctx.actor.partnership_id, id, number)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::delete_draft(&mut tx, v.id).await? {
            return Err(AppError::Invalid(FieldErrors::single(
                "version",
                "instrument-published-already",
            )));
        }
        tx.done(
            Action::InstrumentDiscard,
            "instrument_version",
            Some(v.id),
            None,
        )
        .await
    }

    /// Set (or with `None` remove) when a project asks its participants to
    /// answer an instrument: those who manage projects. Audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn schedule_questionnaire(
        &self,
        ctx: &Ctx,
        instrument_id: i64,
        project_id: i64,
        schedule: Option<Parsed<Schedule>>,
    ) -> Result<()> {
        if !ctx.actor.can_manage_projects() {
            return Err(AppError::Forbidden);
        }
        let schedule = schedule.transpose()?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        let p = ctx.actor.partnership_id;
        store::instrument(&mut tx, p, instrument_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let project = palett_store::project::by_id(&mut tx, project_id)
            .await?
            .filter(|pr| pr.partnership_id == p)
            .ok_or(AppError::Invalid(FieldErrors::single(
                "project",
                "error-choice",
            )))?;
        let row = schedule.map(|s| ScheduleRow {
            project_id,
            project_name: project.name.clone(),
            instrument_id,
            at_intake: s.at_intake,
            every_months: s.every_months.map(i64::from),
            at_exit: s.at_exit,
            follow_up_months: s.follow_up_months.map(i64::from),
        });
        store::set_schedule(
            &mut tx,
            project_id,
            instrument_id,
            row.as_ref(),
            ctx.actor.user_id,
            now,
        )
        .await?;
        tx.done(
            Action::QuestionnaireSchedule,
            "project",
            Some(project_id),
            None,
        )
        .await
    }

    /// Her questionnaires: the waves due and not answered, and those she
    /// answered with their scores (an audited read of her record).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn questionnaires_of(
        &self,
        ctx: &Ctx,
        participant_id: i64,
    ) -> Result<Questionnaires> {
        let today = self.today();
        let partnership = ctx.actor.partnership_id;
        self.read_part(ctx, participant_id, "questionnaires", async |c| {
            questionnaires(c, partnership, participant_id, today).await
        })
        .await
    }

    /// The latest published version of an instrument, to fill in for her:
    /// those who may change her record.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn questionnaire_to_fill(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        instrument_id: i64,
    ) -> Result<(Version, Vec<WaveKey>)> {
        let mut c = self.db.read().await?;
        self.changeable(&mut c, ctx, participant_id).await?;
        to_fill(
            &mut c,
            ctx.actor.partnership_id,
            participant_id,
            instrument_id,
            self.today(),
        )
        .await
    }

    /// Record her answers to the latest published version of an instrument
    /// (by staff with her, or from paper): those who may change her
    /// record. Answers to items skip logic hides are dropped; audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn record_questionnaire(
        &self,
        ctx: &Ctx,
        participant_id: i64,
        instrument_id: i64,
        meta: &ResponseMetaInput,
        raw: &(dyn Fn(&str) -> Vec<String> + Sync),
    ) -> Result<i64> {
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        self.changeable(&mut tx, ctx, participant_id).await?;
        let today = self.today();
        let fill = to_fill(
            &mut tx,
            ctx.actor.partnership_id,
            participant_id,
            instrument_id,
            today,
        )
        .await?;
        let id = record(
            &mut tx,
            participant_id,
            &fill,
            meta,
            raw,
            Some(ctx.actor.user_id),
            today,
            now,
        )
        .await?;
        tx.done(
            Action::QuestionnaireRecord,
            "questionnaire_response",
            Some(id),
            Some(participant_id),
        )
        .await?;
        Ok(id)
    }

    /// The questionnaires due and still open (fallen due within
    /// [`palett_domain::wave::OPEN_DAYS`]) among the women the caller may
    /// see: the list the worklist's line links to.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn questionnaires_due(&self, ctx: &Ctx) -> Result<Vec<Due>> {
        if !ctx.actor.sees_participants() {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let scope = ctx.actor.participant_scope(today);
        let mut r = Reading::begin(self, ctx).await?;
        let due = open_due(r.conn(), scope, today).await?;
        let mut ids: Vec<i64> = due.iter().map(|d| d.participant_id).collect();
        if !ids.is_empty() {
            ids.sort_unstable();
            ids.dedup();
            r.audit_each(Action::ParticipantList, "questionnaires_due", ids);
        }
        r.finish().await?;
        Ok(due)
    }
}

/// The waves still open (fallen due within [`OPEN_DAYS`]) and not
/// answered of the women in `scope`, in one statement. A woman who ended
/// so long ago that even her latest possible follow-up is past its open
/// days is not read at all.
pub(crate) async fn open_due(
    c: &mut AnyConnection,
    scope: palett_domain::policy::ParticipantScope,
    today: Date,
) -> Result<Vec<Due>> {
    let ended_since = today
        .checked_sub(jiff::Span::new().days(OPEN_DAYS))
        .and_then(|d| d.checked_sub(jiff::Span::new().months(i64::from(FOLLOW_UP_MONTHS_MAX))))
        .ok();
    let mut due = due_in(c, Whom::Scope(scope, ended_since), today).await?;
    due.retain(|d| d.open);
    Ok(due)
}

/// The waves due (not answered) for `whom`, in one statement.
pub(crate) async fn due_in(c: &mut AnyConnection, whom: Whom, today: Date) -> Result<Vec<Due>> {
    let scheduled = store::scheduled(c, whom).await?;
    let mut due = due_of(&scheduled, today);
    // By name as the schedule rows came, then by due day.
    let order: HashMap<i64, usize> = scheduled
        .iter()
        .enumerate()
        .rev()
        .map(|(n, s)| (s.participant_id, n))
        .collect();
    due.sort_by_key(|d| (order.get(&d.participant_id).copied(), d.due));
    Ok(due)
}

/// Her questionnaires (see [`App::questionnaires_of`]).
pub(crate) async fn questionnaires(
    c: &mut AnyConnection,
    partnership_id: i64,
    participant_id: i64,
    today: Date,
) -> Result<Questionnaires> {
    let due = due_in(c, Whom::Participant(participant_id), today).await?;
    let responses = store::responses_of(c, participant_id).await?;
    let mut version_ids: Vec<i64> = responses.iter().map(|r| r.version_id).collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let versions: HashMap<i64, Version> = store::versions_by_id(c, &version_ids)
        .await?
        .into_iter()
        .map(|row| {
            Ok((
                row.id,
                Version {
                    definition: definition(&row)?,
                    row,
                },
            ))
        })
        .collect::<Result<_>>()?;
    let mut answers = store::answers_of(c, participant_id).await?;
    let mut answered = Vec::new();
    for r in responses {
        let Some(Version {
            row: v,
            definition: d,
        }) = versions.get(&r.version_id)
        else {
            continue;
        };
        let given = answers.remove(&r.id).unwrap_or_default();
        let scores = score_labels(d)
            .into_iter()
            .zip(d.scores(&given).into_iter().map(|(_, v)| v))
            .collect();
        answered.push(Answered {
            title: v.title.clone(),
            version: v.version,
            scores,
            response: r,
        });
    }
    // The published instruments: their titles in every language, and
    // those open outside the waves (not the built-in, which has its form).
    let mut instruments = Vec::new();
    let mut titles = HashMap::new();
    for v in store::published_versions(c, partnership_id).await? {
        let d = definition(&v)?;
        if d.name != store::SELF_ASSESSMENT {
            instruments.push((v.instrument_id, v.title.clone()));
        }
        titles.insert(v.instrument_id, d.title);
    }
    instruments.sort_by_key(|(_, title)| title.to_lowercase());
    Ok(Questionnaires {
        due,
        answered,
        instruments,
        titles,
    })
}

/// The latest published version of an instrument and her waves of it that
/// wait for answers.
pub(crate) async fn to_fill(
    c: &mut AnyConnection,
    partnership_id: i64,
    participant_id: i64,
    instrument_id: i64,
    today: Date,
) -> Result<(Version, Vec<WaveKey>)> {
    store::instrument(c, partnership_id, instrument_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = store::published(c, instrument_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let waves = due_in(c, Whom::Participant(participant_id), today)
        .await?
        .into_iter()
        .filter(|d| d.instrument_id == instrument_id)
        .map(|d| d.wave)
        .collect();
    Ok((
        Version {
            definition: definition(&row)?,
            row,
        },
        waves,
    ))
}

/// Whether she has answered this wave of the instrument.
async fn answered(
    c: &mut AnyConnection,
    participant_id: i64,
    instrument_id: i64,
    wave: &WaveKey,
) -> Result<bool> {
    Ok(store::answered_waves(c, &[participant_id])
        .await?
        .contains(&(participant_id, instrument_id, wave.as_string())))
}

/// Parse and store one response to the version `to_fill` found, with her
/// waves of it that wait (the caller authorises and audits); a response
/// to the built-in self-assessment recounts hers.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    c: &mut AnyConnection,
    participant_id: i64,
    (version, waves): &(Version, Vec<WaveKey>),
    meta: &ResponseMetaInput,
    raw: &(dyn Fn(&str) -> Vec<String> + Sync),
    recorded_by: Option<i64>,
    today: Date,
    now: i64,
) -> Result<i64> {
    let instrument_id = version.row.instrument_id;
    let d = &version.definition;
    let mut e = FieldErrors::new();
    let wave = match meta.wave.trim() {
        "" => None,
        w => match WaveKey::parse(w) {
            Some(k) if waves.contains(&k) => Some(k.as_string()),
            Some(k) if answered(c, participant_id, instrument_id, &k).await? => {
                e.push("wave", "questionnaire-wave-answered");
                None
            }
            _ => {
                e.push("wave", "error-choice");
                None
            }
        },
    };
    let on = match recorded_by {
        None => Some(today),
        Some(_) => e.take("on", parse_past_date(&meta.on, today)),
    };
    let language = meta.language.trim();
    if !d.languages.iter().any(|l| l == language) {
        e.push("language", "error-choice");
    }
    let mode = match (recorded_by, Mode::parse(meta.mode.trim())) {
        (None, _) => Some(Mode::Herself),
        (Some(_), Some(m)) if m != Mode::Herself => Some(m),
        _ => {
            e.push("mode", "error-choice");
            None
        }
    };
    let answers = match d.parse_answers(raw, today) {
        Ok(a) => Some(a),
        Err(more) => {
            e.0.extend(more.0);
            None
        }
    };
    let (Some(on), Some(mode), Some(answers), true) = (on, mode, answers, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let free_text: Vec<&str> = d
        .items()
        .filter(|i| matches!(i.kind, ItemKind::Text))
        .map(|i| i.name.as_str())
        .collect();
    let id = store::insert_response(
        &mut *c,
        &store::NewResponse {
            participant_id,
            instrument_id,
            version_id: version.row.id,
            wave: wave.as_deref(),
            on,
            language,
            mode: mode.as_str(),
            recorded_by,
        },
        &answers,
        &free_text,
        now,
    )
    .await
    .map_err(|err| match err {
        palett_store::StoreError::Conflict(_) => {
            AppError::Invalid(FieldErrors::single("wave", "questionnaire-wave-answered"))
        }
        other => other.into(),
    })?;
    // The built-in instrument's name is reserved (no upload takes it).
    if d.name == store::SELF_ASSESSMENT {
        palett_store::selfassessment::recount(c, participant_id).await?;
    }
    Ok(id)
}

impl App {
    /// Her questionnaires in her portal: the waves due for her and what she
    /// (or staff with her) answered.
    pub async fn her_questionnaires(
        &self,
        her: &crate::portal::Her,
        ip: &str,
    ) -> Result<Questionnaires> {
        let today = self.today();
        let (partnership, pid) = (her.partnership_id, her.participant_id);
        self.her_read(her, ip, "questionnaires", async |c| {
            questionnaires(c, partnership, pid, today).await
        })
        .await
    }

    /// A questionnaire for her to fill in herself, with her waves of it
    /// that wait for answers (the first is the one her answers go to).
    pub async fn her_questionnaire(
        &self,
        her: &crate::portal::Her,
        instrument_id: i64,
    ) -> Result<(Version, Vec<WaveKey>)> {
        let mut c = self.db.read().await?;
        to_fill(
            &mut c,
            her.partnership_id,
            her.participant_id,
            instrument_id,
            self.today(),
        )
        .await
    }

    /// She answers a questionnaire herself, shown in her language (`asked`)
    /// where it is given in it, else in its default: for the earliest of
    /// her waves of it that waits (or outside the waves when none does),
    /// dated today, marked as hers. Audited.
    pub async fn record_her_questionnaire(
        &self,
        her: &crate::portal::Her,
        ip: &str,
        instrument_id: i64,
        asked: &str,
        raw: &(dyn Fn(&str) -> Vec<String> + Sync),
    ) -> Result<i64> {
        let ctx = her.ctx(ip);
        let today = self.today();
        let mut tx = Change::begin(self, &ctx).await?;
        let now = tx.now();
        let pid = her.participant_id;
        let fill = to_fill(&mut tx, her.partnership_id, pid, instrument_id, today).await?;
        let meta = ResponseMetaInput {
            wave: fill.1.first().map(WaveKey::as_string).unwrap_or_default(),
            on: today.to_string(),
            language: fill.0.definition.language_for(asked).to_string(),
            mode: Mode::Herself.as_str().to_string(),
        };
        let id = record(&mut tx, pid, &fill, &meta, raw, None, today, now).await?;
        tx.done(
            Action::QuestionnaireRecord,
            "questionnaire_response",
            Some(id),
            Some(pid),
        )
        .await?;
        Ok(id)
    }
}
