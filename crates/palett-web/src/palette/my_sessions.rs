//! The caller's own sessions: those of the groups she leads that wait for
//! their attendance (a worklist item links here) and the coming ones.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{or_dash, render};
use axum::extract::State;
use jiff::ToSpan;
use palett_app::worklist::{LedFilter, LedSession};
use palett_domain::palette::SessionStatus;

/// How many days ahead the coming sessions are shown.
const UPCOMING_DAYS: i64 = 14;

/// The sessions of the groups the caller leads: those waiting for their
/// attendance and the coming ones (the page's and the API's).
pub(crate) async fn led(s: &AppState, c: &Caller) -> Answer<(Vec<LedSession>, Vec<LedSession>)> {
    let today = s.app.today();
    let due = s
        .app
        .sessions_led(&c.ctx(), &palett_app::worklist::sessions_to_record(today))
        .await?;
    let coming = LedFilter {
        from: today,
        to: today.checked_add(UPCOMING_DAYS.days()).unwrap_or(today),
        unrecorded: false,
    };
    let coming = s.app.sessions_led(&c.ctx(), &coming).await?;
    Ok((due, coming))
}

pub async fn my_sessions(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let (due, coming) = led(&s, &c).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("my-sessions"), "my-sessions", "/my-sessions"),
    );
    p.intro = Some(t.get("my-sessions-intro"));
    p.blocks
        .push(Block::Heading(t.get("my-sessions-to-record")));
    p.blocks
        .push(Block::Text(t.get("my-sessions-to-record-intro")));
    let table = |heading: Option<String>, list: &[LedSession]| Table {
        heading,
        head: [
            "field-date",
            "field-time",
            "field-group",
            "field-intervention",
            "field-place",
            "field-status",
        ]
        .iter()
        .map(|id| t.get(id))
        .collect(),
        rows: list.iter().map(|x| row(t, x)).collect(),
    };
    if due.is_empty() {
        p.blocks.push(Block::Text(t.get("my-sessions-none")));
    } else {
        p.tables.push(table(None, &due));
    }
    p.tables
        .push(table(Some(t.get("my-sessions-upcoming")), &coming));
    Ok(render(p))
}

fn row(t: Tr, x: &LedSession) -> Vec<Cell> {
    let state = match (x.status, x.recorded) {
        (SessionStatus::Cancelled, _) => Cell::text(t.get(&x.status.message_id())),
        (_, true) => Cell::text(t.get("session-recorded")),
        (_, false) => Cell::link(
            t.get("my-sessions-record"),
            format!("/sessions/{}/attendance", x.id),
        ),
    };
    vec![
        Cell::text(x.on_date.to_string()),
        Cell::text(format!("{} ({} min)", x.start_time, x.minutes)),
        Cell::link(x.group_name.clone(), format!("/groups/{}", x.group_id)),
        Cell::text(x.intervention_name.clone()),
        Cell::text(or_dash(Some(&x.place))),
        state,
    ]
}
