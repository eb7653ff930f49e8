use super::page::show;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::error::WebError;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::admin_spec;
use crate::ui::views::FieldView;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::dashboard::GoalInput;
use palett_app::AppError;
use palett_domain::indicators::Indicator;
use palett_domain::FieldErrors;

// ------------------------------------------------------------------ goals

pub(crate) fn goal_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "indicator", "dash-indicator", "select")
            .options(
                Indicator::ALL
                    .iter()
                    .map(|i| (i.as_str().into(), t.get(&i.message_id())))
                    .collect(),
            )
            .required(),
        FieldView::new(t, "target", "dash-target", "text")
            .hint(t, "hint-goal-target")
            .required(),
        FieldView::new(t, "period_start", "field-start-date", "date").required(),
        FieldView::new(t, "period_end", "field-end-date", "date").required(),
    ]
}

/// The goals of a project: a table with remove buttons above the form.
pub(crate) async fn goals_page(
    s: &AppState,
    c: &Caller,
    project_id: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_manage_goals() {
        return Err(AppError::Forbidden.into());
    }
    let (project, goals) = s.app.project_goals(&c.ctx(), project_id).await?;
    let mut defaults = form.clone();
    if form.0.is_empty() {
        defaults
            .0
            .push(("period_start".into(), project.start_date.to_string()));
        defaults
            .0
            .push(("period_end".into(), project.end_date.to_string()));
    }
    let mut spec = admin_spec(
        t,
        t.with("goals-title", &[("name", project.name.clone())]),
        "dashboard",
        format!("/projects/{project_id}/goals"),
        goal_fields(t),
        &format!("/projects/{project_id}/dashboard"),
    );
    let current: Vec<String> = goals
        .iter()
        .map(|g| {
            format!(
                "{} {} ({} – {})",
                t.get(&g.indicator.message_id()),
                show(t, g.indicator.unit(), Some(g.target)),
                g.period.start,
                g.period.end
            )
        })
        .collect();
    spec.intro = Some(if current.is_empty() {
        t.get("goals-intro-none")
    } else {
        t.with("goals-intro", &[("goals", current.join("; "))])
    });
    let status = if errors.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(spec.show(c, status, &defaults, errors))
}

pub async fn goals_form(State(s): State<AppState>, c: Caller, Id(p): Id) -> Answer {
    goals_page(&s, &c, p, &FormData::default(), &FieldErrors::new()).await
}

pub async fn goal_create(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    form: FormData,
) -> Answer {
    let input = form.input::<GoalInput>().parse();
    Ok(
        match s
            .app
            .add_goal(&c.ctx(), Some(p), input)
            .await
            .or_invalid()?
        {
            Ok(_) => Redirect::to(&format!("/projects/{p}/dashboard#goals")).into_response(),
            Err(errors) => goals_page(&s, &c, p, &form, &errors).await?,
        },
    )
}

/// What removing a goal does, asked before it is done: the goal, and that
/// it cannot be undone (the log keeps who removed it).
async fn confirm_page(s: &AppState, c: &Caller, project_id: i64, goal: i64) -> Answer {
    use crate::ui::views::{Block, FormBlock, Layout, TablePage};
    let t = c.tr();
    if !c.signed.actor.can_manage_goals() {
        return Err(AppError::Forbidden.into());
    }
    let (project, goals) = s.app.project_goals(&c.ctx(), project_id).await?;
    let g = goals
        .iter()
        .find(|g| g.id == goal)
        .ok_or_else(WebError::not_found)?;
    let path = format!("/projects/{project_id}/goals/{goal}/delete");
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("goal-remove-title"), "dashboard", &path),
    );
    p.intro = Some(t.with(
        "goal-remove-what",
        &[
            ("goal", t.get(&g.indicator.message_id())),
            ("target", show(t, g.indicator.unit(), Some(g.target))),
            ("start", g.period.start.to_string()),
            ("end", g.period.end.to_string()),
            ("project", project.name.clone()),
        ],
    ));
    p.blocks.push(Block::Text(t.get("goal-remove-consequence")));
    p.blocks.push(Block::Form(FormBlock {
        action: path,
        hidden: vec![("confirm".into(), "yes".into())],
        submit: t.get("goal-remove-confirm"),
        ..FormBlock::default()
    }));
    p.links.push((
        format!("/projects/{project_id}/dashboard#goals"),
        t.get("goal-remove-keep"),
    ));
    Ok(crate::ui::render(p))
}

pub async fn goal_delete_form(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    goal: Segment,
) -> Answer {
    let g = goal.id()?;
    confirm_page(&s, &c, p, g).await
}

/// Remove a goal once confirmed; without the confirmation, the page that
/// asks for it (nothing is removed).
pub async fn goal_delete(
    State(s): State<AppState>,
    c: Caller,
    Id(p): Id,
    goal: Segment,
    form: FormData,
) -> Answer {
    let g = goal.id()?;
    if form.get("confirm") != "yes" {
        return confirm_page(&s, &c, p, g).await;
    }
    s.app.delete_goal(&c.ctx(), g).await?;
    Ok(Redirect::to(&format!("/projects/{p}/dashboard#goals")).into_response())
}
