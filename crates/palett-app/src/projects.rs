//! Partnerships, memberships and projects, and the projects' figures.

use crate::audit::{record, Action};
use crate::{App, AppError, Ctx, Result};
use palett_domain::model::{Membership, Partnership, Project};
use palett_domain::summary::{ProjectSummary, SummaryCounts};
use palett_domain::values::{code, optional_text, parse_date, required_text, Period, TextKind};
use palett_domain::FieldErrors;
use palett_store::{org, project};

/// What the start page shows.
#[derive(Clone, Debug)]
pub struct Overview {
    pub partnership: Partnership,
    pub projects: Vec<(Project, ProjectSummary)>,
}

/// A project as submitted, every field text.
#[derive(Clone, Debug, Default)]
pub struct ProjectInput {
    pub name: String,
    pub funder: String,
    pub start_date: String,
    pub end_date: String,
    pub participant_target: String,
    pub job_or_studies_target: String,
}

fn summary_of(p: &Project, counts: Option<&SummaryCounts>) -> ProjectSummary {
    ProjectSummary::new(
        p.id,
        counts.copied().unwrap_or_default(),
        p.participant_target,
        p.job_or_studies_target,
    )
}

impl App {
    /// The caller's partnership with every project's figures (two queries).
    pub async fn overview(&self, ctx: &Ctx) -> Result<Overview> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        let partnership = org::partnership_by_id(&mut c, ctx.actor.partnership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let projects = project::list(&mut c, partnership.id).await?;
        let counts = project::summary_counts(&mut c, partnership.id).await?;
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

    pub async fn projects(&self, ctx: &Ctx) -> Result<Vec<Project>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(project::list(&mut c, ctx.actor.partnership_id).await?)
    }

    /// One project's figures; `NotFound` for projects of other partnerships.
    pub async fn project_summary(&self, ctx: &Ctx, id: i64) -> Result<(Project, ProjectSummary)> {
        let o = self.overview(ctx).await?;
        o.projects
            .into_iter()
            .find(|(p, _)| p.id == id)
            .ok_or(AppError::NotFound)
    }

    pub async fn memberships(&self, ctx: &Ctx) -> Result<Vec<Membership>> {
        if !ctx.actor.can_view_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.read().await?;
        Ok(org::memberships(&mut c, ctx.actor.partnership_id).await?)
    }

    /// Add a project to the caller's partnership.
    pub async fn create_project(&self, ctx: &Ctx, input: &ProjectInput) -> Result<i64> {
        if !ctx.actor.can_manage_projects() {
            return Err(AppError::Forbidden);
        }
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&input.name, TextKind::NAME));
        let funder = e.take("funder", required_text(&input.funder, TextKind::LINE));
        let start = e.take("start_date", parse_date(&input.start_date));
        let end = e.take("end_date", parse_date(&input.end_date));
        let target = e.take("participant_target", parse_count(&input.participant_target));
        let share = e.take(
            "job_or_studies_target",
            parse_percent(&input.job_or_studies_target),
        );
        if let (Some(s), Some(en)) = (start, end) {
            if Period::new(s, Some(en)).is_err() {
                e.push("end_date", code::PERIOD);
            }
        }
        let (Some(name), Some(funder), Some(start), Some(end), Some(target), Some(share)) =
            (name, funder, start, end, target, share)
        else {
            return Err(e.into());
        };
        e.into_result()?;
        let now = self.now();
        let mut tx = self.db.write().await?;
        let id = project::insert(
            &mut tx,
            ctx.actor.partnership_id,
            &name,
            &funder,
            start,
            end,
            target,
            share,
        )
        .await?;
        record(
            &mut tx,
            ctx,
            now,
            Action::ProjectCreate,
            "project",
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

fn parse_count(s: &str) -> Result<Option<i64>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=10_000_000).contains(n))
        .map(Some)
        .ok_or(code::NUMBER)
}

fn parse_percent(s: &str) -> Result<Option<f64>, &'static str> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|n| (0.0..=100.0).contains(n))
        .map(Some)
        .ok_or(code::NUMBER)
}

/// Text of at most LONG_TEXT_MAX characters, used by the admin forms.
pub(crate) fn long_text(s: &str) -> Result<String, &'static str> {
    Ok(optional_text(s, TextKind::LINES)?.unwrap_or_default())
}
