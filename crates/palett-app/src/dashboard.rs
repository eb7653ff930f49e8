//! Shared goals and the dashboards: every partner sees the goals and the
//! figures of its partnership; a figure opens the list of participants
//! behind it, within what the viewer may see (that list is an audited
//! participant list like any other).

use crate::audit::Action;
use crate::paging::Page;
use crate::work::{Change, Reading};
use crate::{App, AppError, Ctx, Result};
pub use palett_domain::admin::GoalInput;
use palett_domain::admin::GoalSpec;
use palett_domain::indicators::{
    self, breakdown, exits_by_outcome, figure, goal_status, inflow, outcome_by_time,
    share_over_time, time_to_job_or_studies, time_to_job_or_studies_by, Breakdown, DurationBand,
    EmployerIndicator, Facts, Figure, Goal, GoalStatus, Group, Indicator, InflowMonth, Month,
    Period, ShareMonth, Slice, SurvivalPoint,
};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::model::Project;
use palett_domain::values::code;
use palett_domain::FieldErrors;
use palett_domain::Parsed;
use palett_store::indicators as store;
use palett_store::participant::{Filter, ListItem};
use palett_store::project;

/// The figures of the bridge to work: placements and internships and what
/// came of them (the dashboards' last key figures, and a section of the
/// final report).
pub const BRIDGE_INDICATORS: [Indicator; 6] = [
    Indicator::PlacementsStarted,
    Indicator::MedianDaysToPlacement,
    Indicator::ShareJobAfterPlacement,
    Indicator::InternshipsStarted,
    Indicator::InternshipsCompleted,
    Indicator::ShareJobAfterInternship,
];

/// The figures shown at the top of every dashboard, in order: the
/// programme's, then [`BRIDGE_INDICATORS`].
pub const KEY_INDICATORS: [Indicator; 19] = concat([
    Indicator::Enrolled,
    Indicator::InflowPerMonth,
    Indicator::ActiveNow,
    Indicator::Ended,
    Indicator::ShareJobOrStudies,
    Indicator::ShareJob,
    Indicator::ShareStudies,
    Indicator::MedianDays,
    Indicator::ShareFollowedUp,
    Indicator::AttendanceRate,
    Indicator::HoursPerParticipant,
    Indicator::SharePlanInTime,
    Indicator::ShareSelfAssessmentImproved,
]);

/// `first` followed by [`BRIDGE_INDICATORS`].
const fn concat<const N: usize, const M: usize>(first: [Indicator; N]) -> [Indicator; M] {
    assert!(N + BRIDGE_INDICATORS.len() == M);
    let mut out = [Indicator::Enrolled; M];
    let mut i = 0;
    while i < M {
        out[i] = if i < N {
            first[i]
        } else {
            BRIDGE_INDICATORS[i - N]
        };
        i += 1;
    }
    out
}

/// What a dashboard shows, for a project or the whole partnership.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub project: Option<Project>,
    pub period: Period,
    pub goals: Vec<GoalStatus>,
    pub figures: Vec<Figure>,
    /// The partnership's employers and openings over the period (the
    /// partnership's dashboard only: employers belong to no project), each
    /// with how many; the drill-down is the employer or opening list so
    /// filtered.
    pub employer_figures: Vec<(EmployerIndicator, i64, Period)>,
    pub inflow: Vec<InflowMonth>,
    /// The participant target the inflow plan runs towards.
    pub planned_total: Option<f64>,
    pub exits: Vec<(ExitOutcome, i64)>,
    pub survival: Vec<SurvivalPoint>,
    /// The curve per group of the breakdown (per intake year when the
    /// breakdown is by intake month: one curve per cohort).
    pub survival_by: Vec<(Group, Vec<SurvivalPoint>)>,
    /// The share to job or studies month by month, for comparison with its
    /// goal.
    pub share_over_time: Vec<ShareMonth>,
    /// The goal on the share to job or studies for the dashboard's period.
    pub share_goal: Option<f64>,
    pub by_time: Vec<DurationBand>,
    pub breakdown_by: Breakdown,
    pub breakdown_indicator: Indicator,
    pub breakdown: Vec<(Group, Figure)>,
    /// The names of the breakdown's organisations, projects or
    /// interventions.
    pub names: Vec<(Group, String)>,
}

/// Which figure's participants to list: an indicator, optionally its base
/// (a share's denominator), one group of a breakdown, or one exit outcome.
#[derive(Clone, Debug, Default)]
pub struct FigureRef {
    pub indicator: Option<Indicator>,
    pub base: bool,
    pub group: Option<Group>,
    pub outcome: Option<ExitOutcome>,
}

impl App {
    /// The project (of the caller's partnership) and the period its figures
    /// cover; the partnership's span of projects when `project_id` is `None`.
    pub(crate) async fn scope_of(
        &self,
        c: &mut palett_store::AnyConnection,
        ctx: &Ctx,
        project_id: Option<i64>,
    ) -> Result<(Option<Project>, Period)> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        match project_id {
            Some(id) => {
                let p = project::by_id(c, id)
                    .await?
                    .filter(|p| p.partnership_id == ctx.actor.partnership_id)
                    .ok_or(AppError::NotFound)?;
                let period = Period {
                    start: p.start_date,
                    end: p.end_date,
                };
                Ok((Some(p), period))
            }
            None => {
                let projects = project::list(c, ctx.actor.partnership_id).await?;
                let today = self.today();
                let start = projects.iter().map(|p| p.start_date).min();
                let end = projects.iter().map(|p| p.end_date).max();
                Ok((
                    None,
                    Period {
                        start: start.unwrap_or(today.first_of_year()),
                        end: end.unwrap_or(today.last_of_year()),
                    },
                ))
            }
        }
    }

    /// A project of the caller's partnership and its goals, without their
    /// figures (for the goals form).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn project_goals(&self, ctx: &Ctx, project_id: i64) -> Result<(Project, Vec<Goal>)> {
        let mut c = self.db.read().await?;
        let (project, _) = self.scope_of(&mut c, ctx, Some(project_id)).await?;
        let goals = store::goals(&mut c, ctx.actor.partnership_id, Some(project_id)).await?;
        Ok((project.ok_or(AppError::NotFound)?, goals))
    }

    /// The dashboard of a project, or of the partnership (`None`). Figures
    /// only: no participant is named, so evaluators and administrators see
    /// it too. Three statements whatever the number of participants.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn dashboard(
        &self,
        ctx: &Ctx,
        project_id: Option<i64>,
        by: Option<Breakdown>,
        breakdown_indicator: Option<Indicator>,
    ) -> Result<Dashboard> {
        // One snapshot; its data version first (see `figure_cache`).
        let mut r = Reading::begin(self, ctx).await?;
        let version = palett_store::data_version::current(r.conn()).await?;
        let (project, period) = self.scope_of(r.conn(), ctx, project_id).await?;
        let today = self.today();
        let pid = ctx.actor.partnership_id;
        let key = format!("{pid}:{project_id:?}:{by:?}:{breakdown_indicator:?}:{today}");
        let kept = &self.figures.dashboards;
        if let Some(d) = kept.get(&key, &version) {
            r.finish().await?;
            return Ok(d);
        }
        let turn = self.figure_turn(ctx, r, version).await?;
        let (mut r, version) = (turn.reading, turn.version);
        let (project, period) = if turn.fresh {
            let scope = self.scope_of(r.conn(), ctx, project_id).await?;
            if let Some(d) = kept.get(&key, &version) {
                r.finish().await?;
                return Ok(d);
            }
            scope
        } else {
            (project, period)
        };
        let c = r.conn();
        let facts: Vec<Facts> = store::facts(
            c,
            pid,
            project_id,
            today,
            match by {
                Some(Breakdown::Project) => Some(store::Memberships::Projects),
                Some(Breakdown::Intervention) => Some(store::Memberships::Interventions),
                Some(Breakdown::Industry) => Some(store::Memberships::Industries),
                Some(Breakdown::OccupationArea) => Some(store::Memberships::Areas),
                _ => None,
            },
        )
        .await?;
        let goals = store::goals(c, pid, project_id).await?;
        let employer_figures = match project_id {
            Some(_) => Vec::new(),
            None => employer_figures(c, pid, period.so_far(today)).await?,
        };
        let breakdown_by = by.unwrap_or(Breakdown::Gender);
        let names = self.group_names(c, pid, breakdown_by).await?;
        let planned_total = goals
            .iter()
            .find(|g| g.indicator == Indicator::Enrolled && g.period == period)
            .map(|g| g.target)
            .or(project
                .as_ref()
                .and_then(|p| p.participant_target)
                .map(|t| t as f64));
        let breakdown_indicator = breakdown_indicator.unwrap_or(Indicator::Enrolled);
        let share_goal = goals
            .iter()
            .find(|g| g.indicator == Indicator::ShareJobOrStudies && g.period == period)
            .or(goals
                .iter()
                .find(|g| g.indicator == Indicator::ShareJobOrStudies))
            .map(|g| g.target);
        let dashboard = Dashboard {
            goals: goals
                .iter()
                .map(|g| goal_status(g, &facts, today))
                .collect(),
            figures: KEY_INDICATORS
                .iter()
                .map(|i| figure(*i, &facts, period, today, &Slice::default()))
                .collect(),
            employer_figures,
            inflow: inflow(&facts, period, today, planned_total),
            planned_total,
            exits: exits_by_outcome(&facts, period, today),
            survival: time_to_job_or_studies(&facts, period, today),
            survival_by: time_to_job_or_studies_by(
                breakdown_by.for_curves(),
                &facts,
                period,
                today,
            ),
            share_over_time: share_over_time(&facts, period, today),
            share_goal,
            by_time: outcome_by_time(&facts, period, today),
            breakdown: breakdown(breakdown_indicator, breakdown_by, &facts, period, today),
            breakdown_by,
            breakdown_indicator,
            names,
            project,
            period,
        };
        r.finish().await?;
        kept.put(key, version, dashboard.clone());
        Ok(dashboard)
    }

    /// The names of the groups of a breakdown that has named groups.
    async fn group_names(
        &self,
        c: &mut palett_store::AnyConnection,
        partnership_id: i64,
        by: Breakdown,
    ) -> Result<Vec<(Group, String)>> {
        Ok(match by {
            Breakdown::Organisation => palett_store::org::memberships(c, partnership_id)
                .await?
                .into_iter()
                .map(|m| (Group::Organisation(m.organisation_id), m.organisation_name))
                .collect(),
            Breakdown::Project => project::list(c, partnership_id)
                .await?
                .into_iter()
                .map(|p| (Group::Project(Some(p.id)), p.name))
                .collect(),
            Breakdown::Intervention => {
                palett_store::palette::interventions(c, partnership_id, true)
                    .await?
                    .into_iter()
                    .map(|i| (Group::Intervention(i.id), i.name))
                    .collect()
            }
            _ => Vec::new(),
        })
    }

    /// The participants behind a figure, as far as the caller may see them
    /// (an audited list read; an empty page for those who see none).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn figure_participants(
        &self,
        ctx: &Ctx,
        project_id: Option<i64>,
        r: &FigureRef,
        page: Page,
    ) -> Result<(Vec<ListItem>, i64)> {
        let at = crate::participants::Position::Offset(page.offset());
        let p = self
            .figure_participants_at(ctx, project_id, r, page.limit(), at)
            .await?;
        Ok((p.items, p.total))
    }

    /// The participants behind a figure, `size` of them from `at` (see
    /// [`App::participants_at`]).
    pub async fn figure_participants_at(
        &self,
        ctx: &Ctx,
        project_id: Option<i64>,
        r: &FigureRef,
        size: i64,
        at: crate::participants::Position,
    ) -> Result<crate::participants::ListPage> {
        let period = {
            let mut c = self.db.read().await?;
            self.scope_of(&mut c, ctx, project_id).await?.1
        };
        let today = self.today();
        let mut within = Slice::default();
        if let Some(g) = r.group {
            within = within.with_group(g);
        }
        let slice = match (r.indicator, r.outcome) {
            (_, Some(o)) => Slice {
                exit_in: Some(period.so_far(today)),
                exit_outcome: Some(o),
                ..within
            },
            (Some(i), None) => {
                let f = figure(i, &[], period, today, &within);
                match (r.base, f.base_slice) {
                    (true, Some(base)) => base,
                    _ => f.slice,
                }
            }
            (None, None) => return Err(FieldErrors::single("indicator", code::REQUIRED).into()),
        };
        let filter = Filter {
            project_id,
            slice: Some(slice),
            ..Filter::default()
        };
        self.participants_at(ctx, &filter, size, at).await
    }

    /// Set a goal for a project (or the partnership): coordinators and
    /// administrators; audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn add_goal(
        &self,
        ctx: &Ctx,
        project_id: Option<i64>,
        input: Parsed<GoalSpec>,
    ) -> Result<i64> {
        if !ctx.actor.can_manage_goals() {
            return Err(AppError::Forbidden);
        }
        let GoalSpec {
            indicator,
            target,
            period_start: start,
            period_end: end,
        } = input?;
        let mut tx = Change::begin(self, ctx).await?;
        let now = tx.now();
        self.scope_of(&mut tx, ctx, project_id).await?;
        let goal = Goal {
            id: 0,
            project_id,
            indicator,
            target,
            period: Period { start, end },
        };
        let id = store::insert_goal(
            &mut tx,
            ctx.actor.partnership_id,
            &goal,
            Some(ctx.actor.user_id),
            now,
        )
        .await?;
        tx.done(Action::GoalCreate, "goal", Some(id), None).await?;
        Ok(id)
    }

    /// Remove a goal of the caller's partnership; audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn delete_goal(&self, ctx: &Ctx, id: i64) -> Result<()> {
        if !ctx.actor.can_manage_goals() {
            return Err(AppError::Forbidden);
        }
        let mut tx = Change::begin(self, ctx).await?;
        if !store::delete_goal(&mut tx, ctx.actor.partnership_id, id).await? {
            return Err(AppError::NotFound);
        }
        tx.done(Action::GoalDelete, "goal", Some(id), None).await?;
        Ok(())
    }
}

/// How many employers were active and how many openings filled within
/// `period`, each with the period it counts: one count each, through the
/// lists' own conditions, so a figure and its drill-down cannot disagree.
async fn employer_figures(
    c: &mut palett_store::AnyConnection,
    partnership_id: i64,
    period: Period,
) -> Result<Vec<(EmployerIndicator, i64, Period)>> {
    let active = palett_store::employer::count(
        c,
        partnership_id,
        &palett_store::employer::EmployerFilter {
            active_in: Some(period),
            ..Default::default()
        },
    )
    .await?;
    let filled = palett_store::opening::count(
        c,
        partnership_id,
        &palett_store::opening::OpeningFilter {
            filled_in: Some(period),
            ..Default::default()
        },
    )
    .await?;
    Ok(vec![
        (EmployerIndicator::ActiveEmployers, active, period),
        (EmployerIndicator::OpeningsFilled, filled, period),
    ])
}

/// A group of a breakdown from its key in a link (`gender:woman`,
/// `age_group:25_29`, `organisation:3`, `intake_month:2020-04`).
pub fn parse_group(s: &str) -> Option<Group> {
    let (by, v) = s.split_once(':')?;
    Some(match Breakdown::parse(by)? {
        Breakdown::Gender => Group::Gender(palett_domain::values::Gender::parse(v)?),
        Breakdown::AgeGroup => Group::AgeGroup(indicators::AgeGroup::parse(v)?),
        Breakdown::Organisation => Group::Organisation(v.parse().ok()?),
        Breakdown::Project if v == "none" => Group::Project(None),
        Breakdown::Project => Group::Project(Some(v.parse().ok()?)),
        Breakdown::Intervention => Group::Intervention(v.parse().ok()?),
        Breakdown::IntakeYear => {
            Group::IntakeYear(v.parse().ok().filter(|y| (1900..=2200).contains(y))?)
        }
        Breakdown::IntakeMonth => Group::IntakeMonth(Month::parse(v)?),
        Breakdown::Industry => Group::Industry(palett_domain::employer::Industry::parse(v)?),
        Breakdown::OccupationArea => {
            Group::OccupationArea(palett_domain::occupations::area(v)?.code.as_str())
        }
    })
}

/// The key of a group, as [`parse_group`] reads it.
pub fn group_key(g: Group) -> String {
    match g {
        Group::Gender(x) => format!("gender:{}", x.as_str()),
        Group::AgeGroup(x) => format!("age_group:{}", x.as_str()),
        Group::Organisation(x) => format!("organisation:{x}"),
        Group::Project(None) => "project:none".into(),
        Group::Project(Some(x)) => format!("project:{x}"),
        Group::Intervention(x) => format!("intervention:{x}"),
        Group::IntakeYear(x) => format!("intake_year:{x}"),
        Group::IntakeMonth(x) => format!("intake_month:{x}"),
        Group::Industry(x) => format!("industry:{}", x.as_str()),
        Group::OccupationArea(x) => format!("occupation_area:{x}"),
    }
}
