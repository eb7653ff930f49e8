use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::*;
use askama::Template;
use axum::extract::State;

// ---------------------------------------------------------------- start

pub async fn start(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let o = s.app.overview(&c.ctx()).await?;
    // Projects running today (or about to start) first, then those that
    // have ended, the latest first.
    let today = s.app.today();
    let mut ordered: Vec<_> = o.projects.iter().collect();
    ordered.sort_by_key(|(p, _)| (p.end_date < today, std::cmp::Reverse(p.end_date)));
    let projects = ordered
        .into_iter()
        .map(|(p, sum)| {
            let (goal_status, goal_class) = match sum.meets_job_or_studies_target() {
                Some(true) => (t.get("goal-met"), "met"),
                Some(false) => (t.get("goal-below"), "below"),
                None => (String::new(), ""),
            };
            let enrolled_pct = sum.enrolled_of_target.map(|v| t.percent(v));
            ProjectCard {
                id: p.id,
                name: p.name.clone(),
                funder: p.funder.clone(),
                period: format!("{} – {}", p.start_date, p.end_date),
                ended_project: p.end_date < today,
                enrolled: t.number(sum.enrolled),
                target: sum.participant_target.map(|n| t.number(n)),
                bar_label: t.with(
                    "bar-label",
                    &[
                        ("enrolled", t.number(sum.enrolled)),
                        ("target", t.number(sum.participant_target.unwrap_or(0))),
                        ("percent", enrolled_pct.clone().unwrap_or_default()),
                    ],
                ),
                enrolled_pct,
                ended: t.number(sum.ended),
                to_job: t.number(sum.ended_to_job_or_studies),
                share: sum.share_to_job_or_studies.map(|v| t.percent(v)),
                goal: sum
                    .job_or_studies_target
                    .map(|g| format!("≥ {}", t.percent(g))),
                goal_status,
                goal_class,
                active: t.number(sum.active),
                bar_width: sum
                    .enrolled_of_target
                    .map(|v| v.round().clamp(0.0, 100.0) as i64)
                    .unwrap_or(0),
            }
        })
        .collect();
    let work = s
        .app
        .worklist_with(&c.ctx(), Some(&o))
        .await?
        .into_iter()
        .filter(|l| l.count > 0)
        .map(|l| WorkLine {
            text: work_text(t, &l),
            href: l.link(),
            warning: l.item.is_warning(),
            partner_line: l.partner.is_some(),
        })
        .collect();
    Ok(render(StartPage {
        t,
        layout: Layout::for_caller(&c, t.get("nav-start"), "start", "/"),
        partnership: o.partnership.name,
        vision: o.partnership.vision,
        work,
        has_worklist: c.signed.actor.has_worklist(),
        projects,
    }))
}

pub struct ProjectCard {
    pub id: i64,
    pub name: String,
    pub funder: String,
    pub period: String,
    /// Its period is over.
    pub ended_project: bool,
    pub enrolled: String,
    pub target: Option<String>,
    pub enrolled_pct: Option<String>,
    pub ended: String,
    pub to_job: String,
    pub share: Option<String>,
    pub goal: Option<String>,
    pub goal_status: String,
    pub goal_class: &'static str,
    pub active: String,
    pub bar_width: i64,
    pub bar_label: String,
}

#[derive(Template)]
#[template(path = "start.html")]
pub struct StartPage {
    pub t: Tr,
    pub layout: Layout,
    pub partnership: String,
    pub vision: String,
    /// What waits for her today (items with nothing waiting are left out).
    pub work: Vec<WorkLine>,
    /// Her roles give her a day's work (evaluators' do not).
    pub has_worklist: bool,
    pub projects: Vec<ProjectCard>,
}

/// What a line of the worklist says: how many wait, and at which partner.
pub(crate) fn work_text(t: Tr, l: &palett_app::worklist::WorkLine) -> String {
    let count = ("count", l.count.to_string());
    match &l.partner {
        Some((_, name)) => t.with(
            "work-referrals-overdue-at",
            &[count, ("partner", name.clone())],
        ),
        None => t.with(&l.item.message_id(), &[count]),
    }
}

/// One line of the worklist: how many wait, where they are done.
pub struct WorkLine {
    pub text: String,
    pub href: String,
    /// Overdue: shown as a warning.
    pub warning: bool,
    /// A line of one partner, under the line of all: indented.
    pub partner_line: bool,
}
