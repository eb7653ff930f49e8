//! Partnerships, memberships and projects, and the projects' figures.

use crate::audit::Action;
use crate::work::Change;
use crate::{App, AppError, Ctx, Result};
pub use palett_domain::admin::ProjectInput;
use palett_domain::admin::ProjectSpec;
use palett_domain::indicators::{self, figure, Indicator, Slice};
use palett_domain::model::{Membership, Partnership, Project};
use palett_domain::summary::{ProjectSummary, SummaryCounts};
use palett_domain::Parsed;
use palett_store::{org, participant, project};

/// What the start page shows.
#[derive(Clone, Debug)]
pub struct Overview {
    pub partnership: Partnership,
    pub projects: Vec<(Project, ProjectSummary)>,
}

/// The indicators a project summary shows, in the order of
/// [`SummaryCounts`]' fields: the slices come from the indicator library,
/// so the start page, the dashboard and the funder reports count alike.
fn summary_slices(p: &Project, today: jiff::civil::Date) -> Vec<Slice> {
    let period = indicators::Period {
        start: p.start_date,
        end: p.end_date,
    };
    let all = Slice::default();
    let slice = |i: Indicator| figure(i, &[], period, today, &all).slice;
    vec![
        slice(Indicator::Enrolled),
        slice(Indicator::Ended),
        slice(Indicator::ShareJobOrStudies),
        slice(Indicator::ActiveNow),
    ]
}

fn summary_of(p: &Project, counts: Option<&Vec<i64>>) -> ProjectSummary {
    let n = |i: usize| counts.and_then(|c| c.get(i)).copied().unwrap_or(0);
    ProjectSummary::new(
        p.id,
        SummaryCounts {
            enrolled: n(0),
            ended: n(1),
            ended_to_job_or_studies: n(2),
            active: n(3),
        },
        p.participant_target,
        p.job_or_studies_target,
    )
}

impl App {
    /// The caller's partnership with every project's figures, by the
    /// indicator library's definitions (three statements).
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn overview(&self, ctx: &Ctx) -> Result<Overview> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let partnership = org::partnership_by_id(&mut c, ctx.actor.partnership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let projects = project::list(&mut c, partnership.id).await?;
        let today = self.today();
        let groups: Vec<(i64, Slice, Vec<Slice>)> = projects
            .iter()
            .map(|p| {
                let within = Slice {
                    project_id: Some(p.id),
                    ..Slice::default()
                };
                (p.id, within, summary_slices(p, today))
            })
            .collect();
        let counts = participant::slice_counts(&mut c, partnership.id, &groups).await?;
        let projects = projects
            .into_iter()
            .map(|p| {
                let s = summary_of(&p, counts.get(&p.id));
                (p, s)
            })
            .collect();
        Ok(Overview {
            partnership,
            projects,
        })
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn projects(&self, ctx: &Ctx) -> Result<Vec<Project>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(project::list(&mut c, ctx.actor.partnership_id).await?)
    }

    /// One project's figures; `NotFound` for projects of other partnerships.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn project_summary(&self, ctx: &Ctx, id: i64) -> Result<(Project, ProjectSummary)> {
        let o = self.overview(ctx).await?;
        o.projects
            .into_iter()
            .find(|(p, _)| p.id == id)
            .ok_or(AppError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn memberships(&self, ctx: &Ctx) -> Result<Vec<Membership>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(org::memberships(&mut c, ctx.actor.partnership_id).await?)
    }

    /// Add a project to the caller's partnership.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn create_project(&self, ctx: &Ctx, input: Parsed<ProjectSpec>) -> Result<i64> {
        if !ctx.actor.can_manage_projects() {
            return Err(AppError::Forbidden);
        }
        let p = input?;
        let mut tx = Change::begin(self, ctx).await?;
        let id = project::insert(
            &mut tx,
            ctx.actor.partnership_id,
            &p.name,
            &p.funder,
            p.start,
            p.end,
            p.participant_target,
            p.job_or_studies_target,
        )
        .await?;
        tx.done(Action::ProjectCreate, "project", Some(id), None)
            .await?;
        Ok(id)
    }

    /// A project of the caller's partnership as its form shows it.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn project_input(&self, ctx: &Ctx, id: i64) -> Result<ProjectInput> {
        if !ctx.actor.can_manage_projects() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let p = project::by_id(&mut c, id)
            .await?
            .filter(|p| p.partnership_id == ctx.actor.partnership_id)
            .ok_or(AppError::NotFound)?;
        Ok(ProjectInput {
            name: p.name,
            funder: p.funder,
            start_date: p.start_date.to_string(),
            end_date: p.end_date.to_string(),
            participant_target: p
                .participant_target
                .map(|t| t.to_string())
                .unwrap_or_default(),
            job_or_studies_target: p
                .job_or_studies_target
                .map(|t| t.to_string())
                .unwrap_or_default(),
        })
    }

    /// Change a project's name, funder, period or targets (coordinators and
    /// administrators; audited). Figures follow the new period at once.
    #[tracing::instrument(skip_all, fields(user = ctx.actor.user_id, roles = ?ctx.actor.roles))]
    pub async fn update_project(
        &self,
        ctx: &Ctx,
        id: i64,
        input: Parsed<ProjectSpec>,
    ) -> Result<()> {
        if !ctx.actor.can_manage_projects() {
            return Err(AppError::Forbidden);
        }
        let p = input?;
        let mut tx = Change::begin(self, ctx).await?;
        if !project::update(&mut tx, ctx.actor.partnership_id, id, &p).await? {
            return Err(AppError::NotFound);
        }
        tx.done(Action::ProjectUpdate, "project", Some(id), None)
            .await?;
        Ok(())
    }
}
