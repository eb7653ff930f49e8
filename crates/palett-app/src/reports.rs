//! Funder and board reports for a project (or the partnership) and a
//! period: the final-report figures of the seeds' kind and Uppföljning
//! Finsam (participants per intervention by gender). Figures only; every
//! export of one is audited.

use crate::audit::Action;
use crate::work::Reading;
use crate::{App, Ctx, Result};
use palett_domain::admin::ReportPeriod;
use palett_domain::indicators::{exits_by_outcome, figure, Figure, Indicator, Period, Slice};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::model::Project;
use palett_domain::values::{code, Gender};
use palett_domain::FieldErrors;
use palett_domain::Parsed;
use palett_store::indicators as store;
pub use palett_store::indicators::{BeforeAfterRow, MonthLine};

/// The reports palett writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    /// Enrolled and % of target, ended, to job or studies and % against
    /// the goal, reasons for exit.
    Final,
    /// Uppföljning Finsam: participants per intervention by gender.
    Finsam,
    /// Before and after, in the spirit of the former SUS: situation at
    /// entry against the latest follow-up, for those who ended.
    BeforeAfter,
    /// The ESF+ common output indicators for those who entered.
    EsfIndicators,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Final,
        ReportKind::Finsam,
        ReportKind::BeforeAfter,
        ReportKind::EsfIndicators,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Final => "final",
            ReportKind::Finsam => "finsam",
            ReportKind::BeforeAfter => "before_after",
            ReportKind::EsfIndicators => "esf_indicators",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One report: its scope, its period and what it holds.
#[derive(Clone, Debug)]
pub struct FunderReport {
    pub project: Option<Project>,
    pub period: Period,
    pub body: ReportBody,
}

/// What each kind of report holds; each reads only what it shows.
#[derive(Clone, Debug)]
pub enum ReportBody {
    Final(Box<FinalFigures>),
    /// (intervention, women, men, other or unknown gender, total)
    Finsam(Vec<(String, i64, i64, i64, i64)>),
    /// Before and after, grouped (see `palett_store::indicators::before_after`).
    BeforeAfter(Vec<store::BeforeAfterRow>),
    /// ESF+ common output indicators of those who entered in the period.
    EsfIndicators(Vec<palett_domain::esf::EsfRow>),
}

/// The final report's figures.
#[derive(Clone, Debug)]
pub struct FinalFigures {
    pub enrolled: Figure,
    pub participant_target: Option<f64>,
    pub ended: Figure,
    pub to_job_or_studies: Figure,
    pub job_or_studies_goal: Option<f64>,
    pub exits: Vec<(ExitOutcome, i64)>,
    /// The bridge to work: placements and internships and what came of
    /// them ([`crate::dashboard::BRIDGE_INDICATORS`]), over the same period.
    pub bridge: Vec<Figure>,
}

impl FinalFigures {
    /// Those enrolled as a percentage of the participant target (`None`
    /// without a target).
    pub fn enrolled_of_target(&self) -> Option<f64> {
        self.participant_target
            .and_then(|t| palett_domain::summary::percent(self.enrolled.count, t.round() as i64))
    }

    /// Whether the share to job or studies reached its goal (`None` without
    /// a goal or a share).
    pub fn goal_met(&self) -> Option<bool> {
        match (self.to_job_or_studies.value, self.job_or_studies_goal) {
            (Some(s), Some(g)) => Some(s >= g),
            _ => None,
        }
    }
}

impl FunderReport {
    pub fn kind(&self) -> ReportKind {
        match self.body {
            ReportBody::Final(_) => ReportKind::Final,
            ReportBody::Finsam(_) => ReportKind::Finsam,
            ReportBody::BeforeAfter(_) => ReportKind::BeforeAfter,
            ReportBody::EsfIndicators(_) => ReportKind::EsfIndicators,
        }
    }
}

impl App {
    /// A report for a project (or the partnership) over `from`–`to` (empty:
    /// the project's period). `export`: audited as an export.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn funder_report(
        &self,
        ctx: &Ctx,
        kind: ReportKind,
        project_id: Option<i64>,
        period: Parsed<ReportPeriod>,
        export: bool,
    ) -> Result<FunderReport> {
        // One snapshot; its data version first (see `figure_cache`).
        let mut r = Reading::begin(self, ctx).await?;
        let version = palett_store::data_version::current(r.conn()).await?;
        let (project, default) = self.scope_of(r.conn(), ctx, project_id).await?;
        let asked = period?;
        let (start, end) = (
            asked.from.unwrap_or(default.start),
            asked.to.unwrap_or(default.end),
        );
        if end < start {
            let field = if asked.to.is_some() { "to" } else { "from" };
            return Err(FieldErrors::single(field, code::PERIOD).into());
        }
        let period = Period { start, end };
        let pid = ctx.actor.partnership_id;
        let today = self.today();
        let key = format!("{pid}:{kind:?}:{project_id:?}:{start}:{end}:{today}");
        let kept = &self.figures.reports;
        let mut body = kept.get(&key, &version);
        let mut turn = None;
        if body.is_none() {
            let t = self.figure_turn(ctx, r, version).await?;
            r = t.reading;
            if t.fresh {
                body = kept.get(&key, &t.version);
            }
            if body.is_none() {
                let b = report_body(
                    r.conn(),
                    kind,
                    pid,
                    project_id,
                    project.as_ref(),
                    period,
                    today,
                )
                .await?;
                kept.put(key, t.version, b.clone());
                body = Some(b);
            }
            turn = Some(t.guard);
        }
        if export {
            r.audit(Action::ReportExport, "report", project_id, None);
        }
        r.finish().await?;
        drop(turn);
        Ok(FunderReport {
            project,
            period,
            body: body.ok_or_else(|| crate::AppError::internal("a report without its body"))?,
        })
    }
}

/// What a report of `kind` holds, read in the caller's snapshot.
async fn report_body(
    c: &mut palett_store::AnyConnection,
    kind: ReportKind,
    pid: i64,
    project_id: Option<i64>,
    project: Option<&Project>,
    period: Period,
    today: jiff::civil::Date,
) -> Result<ReportBody> {
    let so_far = period.so_far(today);
    let body = match kind {
        ReportKind::Final => {
            let facts = store::facts(c, pid, project_id, today, None).await?;
            let goals = store::goals(c, pid, project_id).await?;
            let goal = |i: Indicator| goals.iter().find(|g| g.indicator == i).map(|g| g.target);
            let all = Slice::default();
            ReportBody::Final(Box::new(FinalFigures {
                participant_target: goal(Indicator::Enrolled)
                    .or(project.and_then(|p| p.participant_target.map(|t| t as f64))),
                job_or_studies_goal: goal(Indicator::ShareJobOrStudies)
                    .or(project.and_then(|p| p.job_or_studies_target)),
                enrolled: figure(Indicator::Enrolled, &facts, period, today, &all),
                ended: figure(Indicator::Ended, &facts, period, today, &all),
                to_job_or_studies: figure(
                    Indicator::ShareJobOrStudies,
                    &facts,
                    period,
                    today,
                    &all,
                ),
                exits: exits_by_outcome(&facts, period, today),
                bridge: crate::dashboard::BRIDGE_INDICATORS
                    .iter()
                    .map(|i| figure(*i, &facts, period, today, &all))
                    .collect(),
            }))
        }
        ReportKind::Finsam => {
            let mut rows: Vec<(String, i64, i64, i64, i64)> = Vec::new();
            for store::InterventionGenderCount {
                intervention: name,
                gender,
                participants: n,
            } in store::participants_per_intervention(c, pid, project_id, period).await?
            {
                if rows.last().is_none_or(|r| r.0 != name) {
                    rows.push((name, 0, 0, 0, 0));
                }
                if let Some(r) = rows.last_mut() {
                    match gender {
                        Gender::Woman => r.1 += n,
                        Gender::Man => r.2 += n,
                        _ => r.3 += n,
                    }
                    r.4 += n;
                }
            }
            ReportBody::Finsam(rows)
        }
        ReportKind::BeforeAfter => {
            ReportBody::BeforeAfter(store::before_after(c, pid, project_id, so_far).await?)
        }
        ReportKind::EsfIndicators => {
            let groups = store::entrant_groups(c, pid, project_id, so_far).await?;
            ReportBody::EsfIndicators(palett_domain::esf::common_output_indicators(&groups))
        }
    };
    Ok(body)
}

impl App {
    /// The ESF+ monthly participant file for a project: those who took part
    /// during `month` (`YYYY-MM`), with identity number (where her consent
    /// to its processing is in force), start and end dates and hours.
    /// Coordinators only, within what they may see; the export and each
    /// participant in it are audited.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn esf_month(
        &self,
        ctx: &Ctx,
        project_id: i64,
        month: Parsed<palett_domain::indicators::Month>,
    ) -> Result<(palett_domain::indicators::Month, Vec<store::MonthLine>)> {
        if !ctx.actor.can_export_participant_file() {
            return Err(crate::AppError::Forbidden);
        }
        let month = month?;
        let mut r = Reading::begin(self, ctx).await?;
        self.scope_of(r.conn(), ctx, Some(project_id)).await?;
        let lines = store::month_lines(
            r.conn(),
            self.sealer(),
            ctx.actor.participant_scope(self.today()),
            project_id,
            month,
        )
        .await?;
        r.audit(Action::ReportExport, "esf_month", Some(project_id), None);
        let named: Vec<i64> = lines.iter().map(|l| l.participant_id).collect();
        r.audit_each(Action::ParticipantRead, "esf_month", named.to_vec());
        r.finish().await?;
        Ok((month, lines))
    }
}
