//! The answer types of the questionnaires' lists and results in the API:
//! the caller's questionnaires due and an instrument's results under the
//! k-anonymity rule, from the same use cases as the pages.

use palett_app::questionnaire_results::{self as results, Results};
use palett_app::questionnaires::Due;
use palett_domain::wave::WaveKey;
use serde::Serialize;
use utoipa::ToSchema;

/// A questionnaire fallen due for one of the women the caller sees, and
/// not answered (the worklist's list).
#[derive(Serialize, ToSchema)]
pub struct DueItemDto {
    pub participant_id: i64,
    /// Her name, as the page shows it.
    pub name: String,
    pub instrument_id: i64,
    pub title: String,
    /// `intake`, `month_3`, `exit`, `follow_up_6`…
    pub wave: String,
    #[schema(format = Date)]
    pub due: String,
    /// Within the days a wave stays open; `false`: missed, yet it may be
    /// filled in late.
    pub open: bool,
}

impl From<&Due> for DueItemDto {
    fn from(d: &Due) -> Self {
        Self {
            participant_id: d.participant_id,
            name: d.name.clone(),
            instrument_id: d.instrument_id,
            title: d.title.clone(),
            wave: d.wave.as_string(),
            due: d.due.to_string(),
            open: d.open,
        }
    }
}

/// One page of the questionnaires due, in the page's order (by her name,
/// then by due day).
#[derive(Serialize, ToSchema)]
pub struct DuePage {
    pub items: Vec<DueItemDto>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A count under the k-anonymity rule: the number, or `null` with
/// `fewer_than_k` when more than none and fewer than k.
#[derive(Serialize, ToSchema)]
pub struct CountDto {
    pub count: Option<i64>,
    pub fewer_than_k: bool,
}

impl From<results::Cell> for CountDto {
    fn from(c: results::Cell) -> Self {
        match c {
            results::Cell::Count(n) => Self {
                count: Some(n),
                fewer_than_k: false,
            },
            results::Cell::Few => Self {
                count: None,
                fewer_than_k: true,
            },
        }
    }
}

/// A score's mean in one wave (`null` when fewer than k make it).
#[derive(Serialize, ToSchema)]
pub struct ScoreStatDto {
    pub label: String,
    pub n: CountDto,
    pub mean: Option<f64>,
}

/// How many gave one answer to an item.
#[derive(Serialize, ToSchema)]
pub struct AnswerCountDto {
    pub answer: String,
    pub count: CountDto,
}

/// One item's answers in one wave: a count per choice, or the mean of a
/// number (`null` when fewer than k answered).
#[derive(Serialize, ToSchema)]
pub struct ItemResultDto {
    pub name: String,
    pub label: String,
    pub n: CountDto,
    pub counts: Vec<AnswerCountDto>,
    pub mean: Option<f64>,
}

/// One wave: how many it fell due for, how many answered, the rate, the
/// scores and each item's answers.
#[derive(Serialize, ToSchema)]
pub struct WaveResultDto {
    /// `intake`, `month_3`…; `null` for the answers outside the waves.
    pub wave: Option<String>,
    pub fallen_due: Option<i64>,
    pub answered: CountDto,
    /// Answered of fallen due, in percent (when at least k answered).
    pub rate: Option<f64>,
    pub scores: Vec<ScoreStatDto>,
    pub items: Vec<ItemResultDto>,
}

/// The change of a score from intake to exit, for everyone (`group`
/// `null`) or one group of the breakdown, among those who answered both.
#[derive(Serialize, ToSchema)]
pub struct ChangeDto {
    pub group: Option<String>,
    pub score: String,
    /// Those who answered both waves.
    pub pairs: CountDto,
    pub at_intake: Option<f64>,
    pub at_exit: Option<f64>,
    pub change: Option<f64>,
}

/// An instrument's results, as its page shows them.
#[derive(Serialize, ToSchema)]
pub struct ResultsDto {
    pub instrument_id: i64,
    pub title: String,
    /// The least group size shown.
    pub k: i64,
    /// The breakdown asked for, if any.
    pub by: Option<String>,
    pub waves: Vec<WaveResultDto>,
    pub change: Vec<ChangeDto>,
}

impl From<Results> for ResultsDto {
    fn from(r: Results) -> Self {
        Self {
            instrument_id: r.instrument.id,
            title: r.instrument.title,
            k: r.k as i64,
            by: r.by.map(|b| b.as_str().to_string()),
            waves: r
                .waves
                .into_iter()
                .map(|w| WaveResultDto {
                    wave: w.wave.as_ref().map(WaveKey::as_string),
                    fallen_due: w.fallen_due,
                    answered: w.answered.into(),
                    rate: w.rate,
                    scores: w
                        .scores
                        .into_iter()
                        .map(|s| ScoreStatDto {
                            label: s.label,
                            n: s.n.into(),
                            mean: s.mean,
                        })
                        .collect(),
                    items: w
                        .items
                        .into_iter()
                        .map(|i| ItemResultDto {
                            name: i.name,
                            label: i.label,
                            n: i.n.into(),
                            counts: i
                                .counts
                                .into_iter()
                                .map(|(answer, c)| AnswerCountDto {
                                    answer,
                                    count: c.into(),
                                })
                                .collect(),
                            mean: i.mean,
                        })
                        .collect(),
                })
                .collect(),
            change: r
                .change
                .into_iter()
                .map(|c| ChangeDto {
                    group: c.group,
                    score: c.score,
                    pairs: c.n.into(),
                    at_intake: c.intake,
                    at_exit: c.exit,
                    change: c.change,
                })
                .collect(),
        }
    }
}
