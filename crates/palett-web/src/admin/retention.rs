use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::ui::views::{Block, FormBlock, Input};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_domain::admin::parse_retention_years;

/// Retention policy and runs (administrators).
pub async fn retention(State(s): State<AppState>, c: Caller) -> Answer {
    use crate::ui::views::{Cell, Layout, Table, TablePage};
    let t = c.tr();
    let ctx = c.ctx();
    let years = s.app.retention_policy(&ctx).await?;
    let dry = s
        .app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, true)
        .await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("retention-title"), "admin", "/admin/retention"),
    );
    p.intro = Some(t.get("retention-intro"));
    p.blocks.push(Block::Form(FormBlock {
        action: "/admin/retention".into(),
        inputs: vec![Input {
            id: "years".into(),
            value: years.map(|y| y.to_string()).unwrap_or_default(),
            min: Some(1),
            max: Some(50),
            ..Input::new("years_after_exit", t.get("field-retention-years"), "number")
        }],
        submit: t.get("save"),
        ..FormBlock::default()
    }));
    p.blocks.push(Block::Form(FormBlock {
        action: "/admin/retention/run".into(),
        submit: t.with("retention-run", &[("count", dry.due.len().to_string())]),
        ..FormBlock::default()
    }));
    p.tables.push(Table {
        heading: Some(match dry.cutoff {
            Some(cutoff) => t.with(
                "retention-due",
                &[
                    ("count", dry.due.len().to_string()),
                    ("cutoff", cutoff.to_string()),
                ],
            ),
            None => t.get("retention-no-policy"),
        }),
        head: vec![t.get("field-participant-id"), t.get("field-exit-date")],
        rows: dry
            .due
            .iter()
            .take(500)
            .map(|(id, exit)| vec![Cell::text(id.to_string()), Cell::text(exit.to_string())])
            .collect(),
    });
    Ok(crate::ui::render(p))
}

pub async fn set_retention(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    Ok(
        match s
            .app
            .set_retention_policy(&c.ctx(), parse_retention_years(&f.get("years_after_exit")))
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to("/admin/retention").into_response(),
            Err(_) => crate::ui::error_page(
                c.tr(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-retention-years",
            ),
        },
    )
}

/// Run the retention rules now, once confirmed on the page that says what
/// it erases; unconfirmed, that page (nothing is erased).
pub async fn run_retention(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    let ctx = c.ctx();
    if !f.confirmed() {
        let t = c.tr();
        let dry = s
            .app
            .run_retention(Some(&ctx), ctx.actor.partnership_id, true)
            .await?;
        let count = dry.due.len().to_string();
        let what = match dry.cutoff {
            Some(cutoff) => t.with(
                "confirm-retention-run",
                &[("count", count.clone()), ("cutoff", cutoff.to_string())],
            ),
            None => t.get("retention-no-policy"),
        };
        return Ok(crate::ui::confirm_spec(
            t.get("retention-title"),
            "admin",
            "/admin/retention/run".into(),
            (what, t.with("retention-run", &[("count", count)])),
            "/admin/retention",
        )
        .blank(&c, &f));
    }
    s.app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, false)
        .await?;
    Ok(Redirect::to("/admin/retention?done=retention-run").into_response())
}
