//! The dashboard API's response body: goals, key figures, inflow, exits,
//! time to job or studies, outcome by time and a breakdown. Figures only;
//! no participant is named.

use crate::http::openapi::vocab;
use palett_app::dashboard::{group_key, Dashboard};
use palett_domain::indicators::{
    Breakdown, DurationBand, Figure, GoalState, Indicator, InflowMonth, Period, ShareMonth,
    SurvivalPoint, Unit,
};
use palett_domain::lifecycle::ExitOutcome;
use serde::Serialize;
use utoipa::ToSchema;

/// A dashboard: a project's, or the partnership's (`project_id` null).
#[derive(Serialize, ToSchema)]
#[schema(as = Dashboard)]
pub struct DashboardDto {
    pub project_id: Option<i64>,
    pub period: PeriodDto,
    pub goals: Vec<GoalDto>,
    pub figures: Vec<FigureDto>,
    /// The partnership's employers and openings over the period so far
    /// (empty on a project's dashboard: employers belong to no project).
    pub employer_figures: Vec<EmployerFigureDto>,
    /// Enrolments per month of the period so far, with the planned pace.
    pub inflow: Vec<InflowDto>,
    /// Ended participants per exit outcome.
    pub exits: Vec<ExitCount>,
    /// The time-to-job-or-studies curve (Kaplan–Meier).
    pub time_to_job_or_studies: Vec<SurvivalDto>,
    /// The curve per group of the breakdown (per intake year, one per
    /// cohort, when the breakdown is by intake month).
    pub time_to_job_or_studies_by_group: Vec<GroupCurve>,
    pub share_over_time: ShareOverTime,
    /// Those ended in the period, by months in the programme (net of
    /// pauses) in bands of six.
    pub outcome_by_time: Vec<DurationDto>,
    pub breakdown: BreakdownDto,
}

/// A count of employers or openings; the ones counted are listed by
/// `GET /employers?active_from=…&active_to=…` or
/// `GET /openings?filled_from=…&filled_to=…` with the period given.
#[derive(Serialize, ToSchema)]
#[schema(as = EmployerFigure)]
pub struct EmployerFigureDto {
    #[schema(value_type = vocab::EmployerIndicator)]
    pub indicator: palett_domain::indicators::EmployerIndicator,
    pub count: i64,
    pub period: PeriodDto,
}

/// A closed range of days.
#[derive(Serialize, ToSchema)]
#[schema(as = DayRange)]
pub struct PeriodDto {
    #[schema(format = Date)]
    pub start: String,
    #[schema(format = Date)]
    pub end: String,
}

impl From<Period> for PeriodDto {
    fn from(p: Period) -> Self {
        Self {
            start: p.start.to_string(),
            end: p.end.to_string(),
        }
    }
}

/// A shared goal with where it stands.
#[derive(Serialize, ToSchema)]
#[schema(as = GoalStatus)]
pub struct GoalDto {
    pub id: i64,
    #[schema(value_type = vocab::Indicator)]
    pub indicator: Indicator,
    pub target: f64,
    pub period: PeriodDto,
    pub value: Option<f64>,
    /// Where the value should be by now on a steady pace (accumulating
    /// indicators only).
    pub expected_by_now: Option<f64>,
    /// The value at the end of the period if the pace so far holds.
    pub projection: Option<f64>,
    /// `not_started`, `reached`, `on_track`, `behind`, `missed` or
    /// `no_data`.
    #[schema(value_type = String)]
    pub state: GoalState,
    /// The period runs and the projection falls short.
    pub warning: bool,
}

/// The value of an indicator.
#[derive(Serialize, ToSchema)]
#[schema(as = Figure)]
pub struct FigureDto {
    #[schema(value_type = vocab::Indicator)]
    pub indicator: Indicator,
    /// `count`, `percent`, `per_month`, `days` or `hours`.
    #[schema(value_type = String)]
    pub unit: Unit,
    /// `null` when undefined (a share of nobody, a median of no one).
    pub value: Option<f64>,
    /// How many participants the figure counts (a share's numerator).
    pub count: i64,
    /// A share's denominator, or those a median or rate is taken over.
    pub base: Option<i64>,
}

impl From<&Figure> for FigureDto {
    fn from(f: &Figure) -> Self {
        Self {
            indicator: f.indicator,
            unit: f.indicator.unit(),
            value: f.value,
            count: f.count,
            base: f.base,
        }
    }
}

/// One month of inflow against plan.
#[derive(Serialize, ToSchema)]
#[schema(as = InflowMonth)]
pub struct InflowDto {
    /// YYYY-MM.
    pub month: String,
    pub enrolled: i64,
    pub cumulative: i64,
    /// Cumulative enrolments the plan expects by the month's end.
    pub planned_cumulative: Option<f64>,
}

impl From<&InflowMonth> for InflowDto {
    fn from(m: &InflowMonth) -> Self {
        Self {
            month: m.month.clone(),
            enrolled: m.enrolled,
            cumulative: m.cumulative,
            planned_cumulative: m.planned_cumulative,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExitCount {
    #[schema(value_type = vocab::ExitOutcome)]
    pub outcome: ExitOutcome,
    pub count: i64,
}

/// One step of the time-to-job-or-studies curve.
#[derive(Serialize, ToSchema)]
#[schema(as = SurvivalPoint)]
pub struct SurvivalDto {
    /// Whole months in the programme (net of pauses).
    pub month: i64,
    /// Still taking part, without job or studies, at the month's start.
    pub at_risk: i64,
    /// Ended to job or studies during the month.
    pub events: i64,
    /// Ended otherwise, or still taking part, during the month (censored).
    pub censored: i64,
    /// Share (percent) gone to job or studies by the month's end.
    pub cumulative_share: f64,
}

impl From<&SurvivalPoint> for SurvivalDto {
    fn from(p: &SurvivalPoint) -> Self {
        Self {
            month: p.month,
            at_risk: p.at_risk,
            events: p.events,
            censored: p.censored,
            cumulative_share: p.cumulative_share,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupCurve {
    /// The group's key, e.g. `gender:woman`, `intake_year:2024`.
    pub group: String,
    pub points: Vec<SurvivalDto>,
}

/// The share to job or studies month by month, with its goal.
#[derive(Serialize, ToSchema)]
pub struct ShareOverTime {
    pub goal: Option<f64>,
    pub months: Vec<ShareDto>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ShareMonth)]
pub struct ShareDto {
    /// YYYY-MM.
    pub month: String,
    /// Ended from the period's start to the month's end.
    pub ended: i64,
    /// Of them, to job or studies.
    pub to_job_or_studies: i64,
    /// The share so far (percent).
    pub share: Option<f64>,
}

impl From<&ShareMonth> for ShareDto {
    fn from(m: &ShareMonth) -> Self {
        Self {
            month: m.month.clone(),
            ended: m.ended,
            to_job_or_studies: m.to_job_or_studies,
            share: m.share,
        }
    }
}

/// Ended participants by time in the programme.
#[derive(Serialize, ToSchema)]
#[schema(as = DurationBand)]
pub struct DurationDto {
    /// Months, from (inclusive).
    pub from_months: i64,
    /// Months, to (exclusive); `null`: no upper bound.
    pub to_months: Option<i64>,
    pub ended: i64,
    pub to_job_or_studies: i64,
    pub share: Option<f64>,
}

impl From<&DurationBand> for DurationDto {
    fn from(b: &DurationBand) -> Self {
        Self {
            from_months: b.from_months,
            to_months: b.to_months,
            ended: b.ended,
            to_job_or_studies: b.to_job_or_studies,
            share: b.share,
        }
    }
}

/// One indicator broken down by a grouping.
#[derive(Serialize, ToSchema)]
#[schema(as = BreakdownFigures)]
pub struct BreakdownDto {
    #[schema(value_type = vocab::Breakdown)]
    pub by: Breakdown,
    #[schema(value_type = vocab::Indicator)]
    pub indicator: Indicator,
    pub groups: Vec<GroupFigure>,
}

/// A figure of one group.
#[derive(Serialize, ToSchema)]
pub struct GroupFigure {
    #[serde(flatten)]
    pub figure: FigureDto,
    /// The group's key, e.g. `gender:woman`, `project:none`.
    pub group: String,
}

impl From<&Dashboard> for DashboardDto {
    fn from(d: &Dashboard) -> Self {
        Self {
            project_id: d.project.as_ref().map(|p| p.id),
            period: d.period.into(),
            goals: d
                .goals
                .iter()
                .map(|g| GoalDto {
                    id: g.goal.id,
                    indicator: g.goal.indicator,
                    target: g.goal.target,
                    period: g.goal.period.into(),
                    value: g.figure.value,
                    expected_by_now: g.expected_by_now,
                    projection: g.projection,
                    state: g.state,
                    warning: g.warning(),
                })
                .collect(),
            figures: d.figures.iter().map(FigureDto::from).collect(),
            employer_figures: d
                .employer_figures
                .iter()
                .map(|(indicator, count, period)| EmployerFigureDto {
                    indicator: *indicator,
                    count: *count,
                    period: (*period).into(),
                })
                .collect(),
            inflow: d.inflow.iter().map(InflowDto::from).collect(),
            exits: d
                .exits
                .iter()
                .map(|(o, n)| ExitCount {
                    outcome: *o,
                    count: *n,
                })
                .collect(),
            time_to_job_or_studies: d.survival.iter().map(SurvivalDto::from).collect(),
            time_to_job_or_studies_by_group: d
                .survival_by
                .iter()
                .map(|(g, points)| GroupCurve {
                    group: group_key(*g),
                    points: points.iter().map(SurvivalDto::from).collect(),
                })
                .collect(),
            share_over_time: ShareOverTime {
                goal: d.share_goal,
                months: d.share_over_time.iter().map(ShareDto::from).collect(),
            },
            outcome_by_time: d.by_time.iter().map(DurationDto::from).collect(),
            breakdown: BreakdownDto {
                by: d.breakdown_by,
                indicator: d.breakdown_indicator,
                groups: d
                    .breakdown
                    .iter()
                    .map(|(g, f)| GroupFigure {
                        figure: f.into(),
                        group: group_key(*g),
                    })
                    .collect(),
            },
        }
    }
}
