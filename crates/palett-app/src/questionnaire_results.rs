//! What the questionnaires show: per instrument and wave the response
//! rate, the distributions and the mean scores, the change from intake to
//! exit for those who answered both, by the usual breakdowns, every table
//! under the research export's k-anonymity rule (a count below k is shown
//! as "fewer than k", a mean of fewer than k is not shown); and the
//! research export of the answers (wide and long) with its codebook.

use crate::audit::Action;
use crate::questionnaires::{definition, schedule_of};
use crate::research::pseudonym;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
use palett_domain::instrument::{Instrument, ItemKind};
use palett_domain::research::{age_group, suppress_small_cells, ExportRequest};
use palett_domain::wave::{due_waves, WaveKey};
use palett_domain::Parsed;
use palett_store::questionnaire::{self as store, InstrumentRow, ResponseRow, Whom};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The least group size shown (the research export's default k).
pub const K: usize = 5;

/// What the results are broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Gender,
    AgeGroup,
    IntakeYear,
    Organisation,
    Project,
}

impl By {
    pub const ALL: [By; 5] = [
        By::Gender,
        By::AgeGroup,
        By::IntakeYear,
        By::Organisation,
        By::Project,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            By::Gender => "gender",
            By::AgeGroup => "age_group",
            By::IntakeYear => "intake_year",
            By::Organisation => "organisation",
            By::Project => "project",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        By::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// A count under the k-anonymity rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Count(i64),
    /// More than none and fewer than k.
    Few,
}

impl Cell {
    pub fn of(n: i64) -> Self {
        if n > 0 && n < K as i64 {
            Cell::Few
        } else {
            Cell::Count(n)
        }
    }
}

/// A mean shown only when at least k values make it.
fn mean_of(values: &[f64]) -> Option<f64> {
    (values.len() >= K).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A score in one wave.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    pub label: String,
    pub n: Cell,
    pub mean: Option<f64>,
}

/// One item's answers in one wave: a count per choice (or the mean of a
/// number).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemResult {
    pub name: String,
    pub label: String,
    pub n: Cell,
    pub counts: Vec<(String, Cell)>,
    pub mean: Option<f64>,
}

/// One wave: how many it fell due for and how many answered.
#[derive(Clone, Debug, PartialEq)]
pub struct WaveResult {
    /// `None` for the responses outside the waves.
    pub wave: Option<WaveKey>,
    pub fallen_due: Option<i64>,
    pub answered: Cell,
    /// Answered of fallen due, in percent (when at least k answered).
    pub rate: Option<f64>,
    pub scores: Vec<Stat>,
    pub items: Vec<ItemResult>,
}

/// The change of one score from intake to exit, for one group.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRow {
    pub group: Option<String>,
    pub score: String,
    pub n: Cell,
    pub intake: Option<f64>,
    pub exit: Option<f64>,
    pub change: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Results {
    pub instrument: InstrumentRow,
    /// The version whose labels the tables use (the latest published).
    pub definition: Instrument,
    pub k: usize,
    pub waves: Vec<WaveResult>,
    pub by: Option<By>,
    pub change: Vec<ChangeRow>,
}

/// The group of a respondent in a breakdown.
fn group_of(by: By, r: &store::Respondent) -> String {
    match by {
        By::Gender => r.gender.clone(),
        By::AgeGroup => age_group(r.birth_date, r.intake.unwrap_or(r.birth_date)).to_string(),
        By::IntakeYear => r.intake.map(|d| d.year().to_string()).unwrap_or_default(),
        By::Organisation => r.organisation.clone(),
        By::Project => r.project.clone().unwrap_or_default(),
    }
}

fn label_in(l: &palett_domain::instrument::Labels, d: &Instrument, fallback: &str) -> String {
    let s = l.get("sv", d.default_language());
    if s.is_empty() {
        fallback.to_string()
    } else {
        s.to_string()
    }
}

/// Every response scored with its own version (score name to value).
type Scored = HashMap<i64, HashMap<String, f64>>;

impl App {
    /// The results of an instrument (anyone who sees the partnership's
    /// figures); audited as a read of aggregates.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn questionnaire_results(
        &self,
        ctx: &Ctx,
        instrument_id: i64,
        by: Option<By>,
    ) -> Result<Results> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::NotFound);
        }
        let today = self.today();
        let p = ctx.actor.partnership_id;
        let mut r = Reading::begin(self, ctx).await?;
        let c = r.conn();
        let instrument = store::instrument(c, p, instrument_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let versions = store::versions(c, instrument_id).await?;
        let latest = versions
            .iter()
            .find(|v| v.published_at.is_some())
            .or(versions.first())
            .ok_or(AppError::NotFound)?;
        let d = definition(latest)?;
        let defs: HashMap<i64, Instrument> = versions
            .iter()
            .map(|v| Ok((v.id, definition(v)?)))
            .collect::<Result<_>>()?;
        let responses = store::responses_to(c, instrument_id).await?;
        let answers = store::answers_to(c, instrument_id).await?;
        // Her facts only for a breakdown.
        let respondents: HashMap<i64, store::Respondent> = match by {
            Some(_) => store::respondents(c, instrument_id)
                .await?
                .into_iter()
                .map(|x| (x.participant_id, x))
                .collect(),
            None => HashMap::new(),
        };
        let scheduled = store::scheduled(
            c,
            Whom::Instrument {
                partnership_id: p,
                instrument_id,
            },
        )
        .await?;
        let mut fallen: HashMap<String, HashSet<i64>> = HashMap::new();
        for s in &scheduled {
            for w in due_waves(&schedule_of(&s.schedule), s.intake, s.exit, today) {
                fallen
                    .entry(w.key.as_string())
                    .or_default()
                    .insert(s.participant_id);
            }
        }
        let empty = BTreeMap::new();
        let scored: Scored = responses
            .iter()
            .filter_map(|x| {
                let def = defs.get(&x.version_id)?;
                let a = answers.get(&x.id).unwrap_or(&empty);
                Some((
                    x.id,
                    def.scores(a)
                        .into_iter()
                        .filter_map(|(n, v)| v.map(|v| (n, v)))
                        .collect(),
                ))
            })
            .collect();
        // A wave holds one response per woman; outside the waves her latest
        // counts, so every count below is of women.
        let mut by_wave: BTreeMap<(u8, u16, String), Vec<&ResponseRow>> = BTreeMap::new();
        let mut outside: BTreeMap<i64, &ResponseRow> = BTreeMap::new();
        for x in &responses {
            let key = match x.wave.as_deref().and_then(WaveKey::parse) {
                Some(k) => {
                    let (a, b) = k.order();
                    (a, b, k.as_string())
                }
                None => {
                    outside.insert(x.participant_id, x);
                    continue;
                }
            };
            by_wave.entry(key).or_default().push(x);
        }
        if !outside.is_empty() {
            by_wave.insert((u8::MAX, 0, String::new()), outside.into_values().collect());
        }
        let waves = by_wave
            .into_iter()
            .map(|((_, _, key), list)| {
                let wave = WaveKey::parse(&key);
                wave_result(&d, wave, &list, &answers, &scored, fallen.get(&key))
            })
            .collect();
        let change = change_rows(&d, &responses, &scored, &respondents, by);
        r.audit(
            Action::QuestionnaireResults,
            "instrument",
            Some(instrument_id),
            None,
        );
        r.finish().await?;
        Ok(Results {
            instrument,
            definition: d,
            k: K,
            waves,
            by,
            change,
        })
    }
}

fn wave_result(
    d: &Instrument,
    wave: Option<WaveKey>,
    list: &[&ResponseRow],
    answers: &HashMap<i64, BTreeMap<String, String>>,
    scored: &Scored,
    fallen: Option<&HashSet<i64>>,
) -> WaveResult {
    let answered = list.len() as i64;
    let fallen_due = fallen.map(|f| f.len() as i64);
    let rate = match fallen_due {
        Some(n) if n > 0 && answered >= K as i64 => Some(answered as f64 * 100.0 / n as f64),
        _ => None,
    };
    let scores = d
        .scores
        .iter()
        .map(|s| {
            let values: Vec<f64> = list
                .iter()
                .filter_map(|x| scored.get(&x.id)?.get(&s.name).copied())
                .collect();
            Stat {
                label: label_in(&s.label, d, &s.name),
                n: Cell::of(values.len() as i64),
                mean: mean_of(&values),
            }
        })
        .collect();
    let items = d
        .items()
        .filter(|i| !matches!(i.kind, ItemKind::Text | ItemKind::Date))
        .map(|i| {
            let given: Vec<&str> = list
                .iter()
                .filter_map(|x| answers.get(&x.id)?.get(&i.name).map(String::as_str))
                .collect();
            let counts = i
                .kind
                .choices()
                .iter()
                .map(|c| {
                    let n = given
                        .iter()
                        .filter(|v| v.split(' ').any(|one| one == c.value))
                        .count() as i64;
                    (label_in(&c.label, d, &c.value), Cell::of(n))
                })
                .collect();
            let numbers: Vec<f64> = match i.kind {
                ItemKind::Number { .. } | ItemKind::Scale { .. } => given
                    .iter()
                    .filter_map(|v| palett_domain::instrument::number(v))
                    .collect(),
                _ => Vec::new(),
            };
            ItemResult {
                name: i.name.clone(),
                label: label_in(&i.label, d, &i.name),
                n: Cell::of(given.len() as i64),
                counts,
                mean: mean_of(&numbers),
            }
        })
        .collect();
    WaveResult {
        wave,
        fallen_due,
        answered: Cell::of(answered),
        rate,
        scores,
        items,
    }
}

/// The change from intake to exit per score, for everyone and (with a
/// breakdown) per group, among those who answered both waves.
fn change_rows(
    d: &Instrument,
    responses: &[ResponseRow],
    scored: &Scored,
    respondents: &HashMap<i64, store::Respondent>,
    by: Option<By>,
) -> Vec<ChangeRow> {
    let mut intake: HashMap<i64, i64> = HashMap::new();
    let mut exit: HashMap<i64, i64> = HashMap::new();
    for x in responses {
        match x.wave.as_deref() {
            Some("intake") => {
                intake.insert(x.participant_id, x.id);
            }
            Some("exit") => {
                exit.insert(x.participant_id, x.id);
            }
            _ => {}
        }
    }
    let mut groups: BTreeMap<Option<String>, Vec<(i64, i64)>> = BTreeMap::new();
    for (pid, first) in &intake {
        let Some(last) = exit.get(pid) else { continue };
        groups.entry(None).or_default().push((*first, *last));
        if let (Some(by), Some(r)) = (by, respondents.get(pid)) {
            groups
                .entry(Some(group_of(by, r)))
                .or_default()
                .push((*first, *last));
        }
    }
    let mut out = Vec::new();
    for (group, pairs) in groups {
        for s in &d.scores {
            let both: Vec<(f64, f64)> = pairs
                .iter()
                .filter_map(|(a, b)| {
                    Some((*scored.get(a)?.get(&s.name)?, *scored.get(b)?.get(&s.name)?))
                })
                .collect();
            let firsts: Vec<f64> = both.iter().map(|p| p.0).collect();
            let lasts: Vec<f64> = both.iter().map(|p| p.1).collect();
            let diffs: Vec<f64> = both.iter().map(|p| p.1 - p.0).collect();
            out.push(ChangeRow {
                group: group.clone(),
                score: label_in(&s.label, d, &s.name),
                n: Cell::of(both.len() as i64),
                intake: mean_of(&firsts),
                exit: mean_of(&lasts),
                change: mean_of(&diffs),
            });
        }
    }
    out
}

/// What a variable of the answers export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Text,
    Number,
    /// Whole-number codes with value labels.
    Coded,
}

impl VarKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VarKind::Text => "text",
            VarKind::Number => "number",
            VarKind::Coded => "coded",
        }
    }
}

/// One variable of the export, as the codebook describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub label: String,
    pub kind: VarKind,
    /// Value labels: (value, label).
    pub values: Vec<(String, String)>,
    /// The instrument versions it occurs in ("" for the export's own).
    pub versions: String,
}

/// The research export of an instrument's answers.
#[derive(Clone, Debug)]
pub struct AnswersExport {
    pub k: usize,
    pub instrument: InstrumentRow,
    /// The variables, in the columns' order of `wide`.
    pub variables: Vec<Variable>,
    /// One row per participant and response.
    pub wide: Vec<Vec<String>>,
    /// One row per answer: pseudonym, wave, version, variable, value.
    pub long: Vec<[String; 5]>,
    pub suppressed_rows: usize,
    pub suppressed_groups: usize,
    /// Items left out because they hold her own words.
    pub left_out: Vec<String>,
}

/// The export's own leading variables: (name, message-free label).
const LEADING: [(&str, &str, VarKind); 9] = [
    ("pseudonym", "Pseudonym", VarKind::Text),
    ("age_group", "Åldersgrupp vid inskrivning", VarKind::Text),
    ("region", "Födelseregion", VarKind::Text),
    ("gender", "Kön", VarKind::Text),
    ("intake_year", "Inskrivningsår", VarKind::Text),
    ("wave", "Våg", VarKind::Text),
    ("version", "Instrumentversion", VarKind::Number),
    ("language", "Språk", VarKind::Text),
    ("mode", "Hur den fylldes i", VarKind::Text),
];

/// The variables of the items and scores of `versions` (oldest first);
/// items in her own words left out. Returns the variables and the names
/// left out.
fn variables(versions: &[(i64, Instrument)]) -> (Vec<Variable>, Vec<String>) {
    let mut out: Vec<Variable> = Vec::new();
    let mut left_out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (number, d) in versions {
        for i in d.items() {
            if matches!(i.kind, ItemKind::Text) {
                if !left_out.contains(&i.name) {
                    left_out.push(i.name.clone());
                }
                continue;
            }
            let coded = !i.kind.choices().is_empty()
                && !matches!(i.kind, ItemKind::Multiple { .. })
                && i.kind
                    .choices()
                    .iter()
                    .all(|c| c.value.parse::<i32>().is_ok());
            let kind = match i.kind {
                ItemKind::Number { .. } => VarKind::Number,
                _ if coded => VarKind::Coded,
                _ => VarKind::Text,
            };
            let values = i
                .kind
                .choices()
                .iter()
                .map(|c| (c.value.clone(), label_in(&c.label, d, &c.value)))
                .collect();
            add(
                &mut out,
                &mut seen,
                *number,
                Variable {
                    name: i.name.clone(),
                    label: label_in(&i.label, d, &i.name),
                    kind,
                    values,
                    versions: String::new(),
                },
            );
        }
        for s in &d.scores {
            add(
                &mut out,
                &mut seen,
                *number,
                Variable {
                    name: s.name.clone(),
                    label: label_in(&s.label, d, &s.name),
                    kind: VarKind::Number,
                    values: Vec::new(),
                    versions: String::new(),
                },
            );
        }
    }
    (out, left_out)
}

/// Add a version's variable: in the place it first had (versions come
/// oldest first), with the wording and value labels of the latest version
/// that has it, and that version's number added to its list.
fn add(out: &mut Vec<Variable>, seen: &mut HashMap<String, usize>, version: i64, v: Variable) {
    let at = match seen.get(&v.name) {
        Some(at) => *at,
        None => {
            seen.insert(v.name.clone(), out.len());
            out.push(Variable {
                versions: String::new(),
                ..v.clone()
            });
            out.len() - 1
        }
    };
    let known = &mut out[at];
    known.label = v.label;
    known.kind = v.kind;
    known.values = v.values;
    if !known.versions.is_empty() {
        known.versions.push_str(", ");
    }
    known.versions.push_str(&version.to_string());
}

impl App {
    /// The research export of an instrument's answers: research-consented
    /// participants only, pseudonyms as in the research export, the
    /// quasi-identifiers under its k-anonymity check, no answers in her
    /// own words; evaluators only, audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn research_answers(
        &self,
        ctx: &Ctx,
        instrument_id: i64,
        request: Parsed<ExportRequest>,
    ) -> Result<AnswersExport> {
        if !ctx.actor.can_export_research() {
            return Err(AppError::Forbidden);
        }
        let ExportRequest { key, k } = request?;
        let p = ctx.actor.partnership_id;
        let mut tx = Change::begin(self, ctx).await?;
        let instrument = store::instrument(&mut tx, p, instrument_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let secret =
            palett_store::palette::research_secret(&mut tx, p, &crate::secret::random_token()?)
                .await?;
        let consented = palett_store::palette::research_rows(&mut tx, p, self.today()).await?;
        // Published versions only (a draft has no answers and may still
        // change), oldest first: its variables keep their place as new
        // versions add more.
        let mut rows: Vec<_> = store::versions(&mut tx, instrument_id)
            .await?
            .into_iter()
            .filter(|v| v.published_at.is_some())
            .collect();
        rows.sort_by_key(|v| v.version);
        let versions: Vec<(i64, Instrument)> = rows
            .iter()
            .map(|v| Ok((v.version, definition(v)?)))
            .collect::<Result<_>>()?;
        let number_of: HashMap<i64, i64> = rows.iter().map(|v| (v.id, v.version)).collect();
        let defs: HashMap<i64, &Instrument> = rows
            .iter()
            .zip(&versions)
            .map(|(v, (_, d))| (v.id, d))
            .collect();
        let responses = store::responses_to(&mut tx, instrument_id).await?;
        let answers = store::answers_to(&mut tx, instrument_id).await?;
        let who: HashMap<i64, usize> = consented
            .iter()
            .enumerate()
            .map(|(n, r)| (r.0, n))
            .collect();
        let kept: Vec<&ResponseRow> = responses
            .iter()
            .filter(|x| who.contains_key(&x.participant_id))
            .collect();
        // The k-anonymity check counts women, not answers: each woman's
        // quasi-identifiers once, then her rows carry what is left of them.
        let mut women: Vec<i64> = kept.iter().map(|x| x.participant_id).collect();
        women.sort_unstable();
        women.dedup();
        let mut quasi: Vec<Vec<String>> = women
            .iter()
            .map(|pid| crate::research::quasi_of(&consented[who[pid]]))
            .collect();
        let (_, suppressed_groups) = suppress_small_cells(&mut quasi, k);
        let quasi_of: HashMap<i64, Vec<String>> = women.into_iter().zip(quasi).collect();
        let suppressed_rows = kept
            .iter()
            .filter(|x| quasi_of[&x.participant_id].iter().all(|v| v == "*"))
            .count();
        let (item_vars, left_out) = variables(&versions);
        let mut wide = Vec::new();
        let mut long = Vec::new();
        let empty = BTreeMap::new();
        for x in &kept {
            let q = quasi_of[&x.participant_id].clone();
            let pseudo = pseudonym(&secret, &key, x.participant_id);
            let version = number_of
                .get(&x.version_id)
                .copied()
                .unwrap_or(0)
                .to_string();
            let wave = x.wave.clone().unwrap_or_default();
            let a = answers.get(&x.id).unwrap_or(&empty);
            let scores: HashMap<String, f64> = defs
                .get(&x.version_id)
                .map(|d| {
                    d.scores(a)
                        .into_iter()
                        .filter_map(|(n, v)| v.map(|v| (n, v)))
                        .collect()
                })
                .unwrap_or_default();
            let mut row = vec![pseudo.clone()];
            row.extend(q);
            row.extend([
                wave.clone(),
                version.clone(),
                x.language.clone(),
                x.mode.clone(),
            ]);
            for v in &item_vars {
                let value = match a.get(&v.name) {
                    Some(value) => value.clone(),
                    None => scores
                        .get(&v.name)
                        .map(|s| format_number(*s))
                        .unwrap_or_default(),
                };
                if !value.is_empty() {
                    long.push([
                        pseudo.clone(),
                        wave.clone(),
                        version.clone(),
                        v.name.clone(),
                        value.clone(),
                    ]);
                }
                row.push(value);
            }
            wide.push(row);
        }
        let order: Vec<usize> = {
            let mut o: Vec<usize> = (0..wide.len()).collect();
            o.sort_by(|a, b| (&wide[*a][0], &wide[*a][5]).cmp(&(&wide[*b][0], &wide[*b][5])));
            o
        };
        let wide: Vec<Vec<String>> = order.into_iter().map(|n| wide[n].clone()).collect();
        long.sort();
        let mut variables: Vec<Variable> = LEADING
            .iter()
            .map(|(name, label, kind)| Variable {
                name: name.to_string(),
                label: label.to_string(),
                kind: *kind,
                values: Vec::new(),
                versions: String::new(),
            })
            .collect();
        variables.extend(item_vars);
        tx.done(
            Action::ResearchAnswersExport,
            "instrument",
            Some(instrument_id),
            None,
        )
        .await?;
        Ok(AnswersExport {
            k,
            instrument,
            variables,
            wide,
            long,
            suppressed_rows,
            suppressed_groups,
            left_out,
        })
    }
}

/// A score as text: whole numbers without decimals, else up to four.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').to_string()
    }
}
