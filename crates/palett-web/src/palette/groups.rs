use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::error::WebError;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, choices, render, FormSpec};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use palett_app::paging::Page;
use palett_app::AppError;
use palett_domain::palette::SessionStatus;
use palett_domain::path::{GroupInput, ScheduleInput, SessionCancelInput, SessionMoveInput};

// ---------------------------------------------------------------- groups and sessions

pub(crate) async fn group_spec(s: &AppState, c: &Caller, iid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let staff = choices(s, c).await?.caseworkers;
    let fields = vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "leader_user_id", "field-leader", "select").options(staff),
    ];
    Ok(admin_spec(
        t,
        t.get("group-new"),
        "palette",
        format!("/palette/{iid}/groups/new"),
        fields,
        &format!("/palette/{iid}"),
    ))
}

pub async fn group_form(State(s): State<AppState>, c: Caller, Id(iid): Id) -> Answer {
    match s.app.intervention(&c.ctx(), iid).await {
        Ok(v) if v.may_run => {}
        Ok(_) => return Err(AppError::Forbidden.into()),
        Err(e) => return Err(e.into()),
    }
    let spec = group_spec(&s, &c, iid).await?;
    Ok(spec.blank(&c, &FormData::default()))
}

pub async fn group_create(
    State(s): State<AppState>,
    c: Caller,
    Id(iid): Id,
    form: FormData,
) -> Answer {
    let cmd = form.input::<GroupInput>().parse();
    Ok(
        match submit(cmd, async |cmd| {
            s.app.create_group(&c.ctx(), iid, &cmd).await
        })
        .await?
        {
            Ok(g) => Redirect::to(&format!("/groups/{g}")).into_response(),
            Err(errors) => {
                let spec = group_spec(&s, &c, iid).await?;
                spec.invalid(&c, &form, &errors)
            }
        },
    )
}

/// History sessions per page on the group page.
const HISTORY_PAGE: i64 = 20;

#[derive(serde::Deserialize, Default)]
pub struct GroupQuery {
    page: Option<String>,
}

/// A group: its members (those the caller may see), the coming sessions
/// with what can be done to them, then the sessions held or cancelled,
/// latest first, a page at a time.
pub async fn group(
    State(s): State<AppState>,
    c: Caller,
    Id(gid): Id,
    Query(q): Query<GroupQuery>,
) -> Answer {
    let t = c.tr();
    let today = s.app.today();
    let (g, sessions, may_run) = s.app.group(&c.ctx(), gid).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            format!("{}: {}", g.intervention_name, g.name),
            "palette",
            &format!("/groups/{gid}"),
        ),
    );
    p.links.push((
        format!("/palette/{}", g.intervention_id),
        g.intervention_name.clone(),
    ));
    if may_run {
        p.links.push((
            format!("/groups/{gid}/schedule"),
            t.get("sessions-schedule"),
        ));
    }
    if c.signed.actor.sees_participants() {
        let members: Vec<Vec<Cell>> = s
            .app
            .intervention(&c.ctx(), g.intervention_id)
            .await?
            .enrolments
            .into_iter()
            .filter(|e| e.group_id == Some(gid) && !e.status.next().is_empty())
            .map(|e| {
                vec![
                    Cell::link(
                        e.participant_name,
                        format!("/participants/{}", e.participant_id),
                    ),
                    Cell::text(t.get(&e.status.message_id())),
                    Cell::text(e.start_date.map(|d| d.to_string()).unwrap_or_default()),
                ]
            })
            .collect();
        let mut members = Table::headed(
            t,
            "group-members",
            &["field-participant", "field-status", "field-start-date"],
            members,
        );
        members.heading = Some(t.with(
            "group-members-count",
            &[("count", members.rows.len().to_string())],
        ));
        p.tables.push(members);
    }
    let (coming, held): (Vec<_>, Vec<_>) = sessions
        .iter()
        .partition(|x| x.on_date >= today && x.status == SessionStatus::Scheduled);
    let row = |x: &palett_app::palette::Session, coming: bool| {
        let status = match x.status {
            SessionStatus::Cancelled => format!(
                "{} ({})",
                t.get(&x.status.message_id()),
                x.cancel_reason.clone().unwrap_or_default()
            ),
            SessionStatus::Scheduled => {
                let label = if x.on_date < today {
                    t.get("session-held")
                } else {
                    t.get(&x.status.message_id())
                };
                match x.moved_from {
                    Some(d) => format!("{label} ({} {d})", t.get("session-moved-from")),
                    None => label,
                }
            }
        };
        let (pr, n, a) = x.recorded;
        let recorded = if pr + n + a == 0 {
            "–".to_string()
        } else {
            t.with(
                "attendance-counts",
                &[
                    ("present", pr.to_string()),
                    ("notice", n.to_string()),
                    ("absent", a.to_string()),
                ],
            )
        };
        let runs = may_run && x.status == SessionStatus::Scheduled;
        let link = |show: bool, label: &str, to: String| {
            if show {
                Cell::link(t.get(label), to)
            } else {
                Cell::text("")
            }
        };
        let mut cells = vec![
            Cell::text(x.on_date.to_string()),
            Cell::text(x.start_time.clone()),
            Cell::text(x.minutes.to_string()),
            Cell::text(x.place.clone()),
            Cell::text(status),
            Cell::text(recorded),
            link(
                runs,
                "attendance-record",
                format!("/sessions/{}/attendance", x.id),
            ),
        ];
        if coming && may_run {
            cells.push(link(
                runs,
                "session-move",
                format!("/sessions/{}/move", x.id),
            ));
            cells.push(link(
                runs,
                "session-cancel",
                format!("/sessions/{}/cancel", x.id),
            ));
        }
        cells
    };
    let head = [
        "field-date",
        "field-time",
        "field-minutes",
        "field-place",
        "field-status",
        "attendance-recorded",
        "actions",
    ];
    let mut coming_head = head.to_vec();
    if may_run {
        coming_head.extend(["actions", "actions"]);
    }
    let mut table = Table::headed(
        t,
        "sessions-coming",
        &coming_head,
        coming.iter().map(|x| row(x, true)).collect(),
    );
    table.heading = Some(t.get("sessions-coming"));
    p.tables.push(table);
    // Held and cancelled, latest first, a page at a time.
    let asked = q.page.as_deref().and_then(|p| p.parse::<i64>().ok());
    let pages = Page::new(None, Some(HISTORY_PAGE)).count(held.len() as i64);
    let page = Page::new(asked.map(|n| n.min(pages)), Some(HISTORY_PAGE));
    let rows = held
        .iter()
        .rev()
        .skip(page.offset() as usize)
        .take(HISTORY_PAGE as usize)
        .map(|x| row(x, false))
        .collect();
    let mut table = Table::headed(t, "sessions-history", &head, rows);
    table.heading = Some(t.with("sessions-history", &[("count", held.len().to_string())]));
    p.tables.push(table);
    p.pager = Pager::new(t, &format!("/groups/{gid}"), &[], page.number, pages);
    Ok(render(p))
}

pub(crate) fn schedule_spec(t: Tr, gid: i64) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "from", "field-first-date", "date").required(),
        FieldView::new(t, "until", "field-until", "date").hint(t, "hint-until"),
        FieldView::new(t, "start_time", "field-time", "time").required(),
        FieldView::new(t, "minutes", "field-minutes", "number").required(),
        FieldView::new(t, "place", "field-place", "text"),
    ];
    admin_spec(
        t,
        t.get("sessions-schedule"),
        "palette",
        format!("/groups/{gid}/schedule"),
        fields,
        &format!("/groups/{gid}"),
    )
}

pub async fn schedule_form(State(s): State<AppState>, c: Caller, Id(gid): Id) -> Answer {
    // Offered only to who may schedule: the group's page is no secret.
    if !s.app.group(&c.ctx(), gid).await?.2 {
        return Err(AppError::Forbidden.into());
    }
    let defaults = FormData(vec![
        ("start_time".into(), "10:00".into()),
        ("minutes".into(), "120".into()),
    ]);
    Ok(schedule_spec(c.tr(), gid).blank(&c, &defaults))
}

pub async fn schedule(State(s): State<AppState>, c: Caller, Id(gid): Id, form: FormData) -> Answer {
    let cmd = form.input::<ScheduleInput>().parse();
    Ok(
        match submit(cmd, async |cmd| s.app.schedule(&c.ctx(), gid, &cmd).await).await? {
            Ok(_) => Redirect::to(&format!("/groups/{gid}")).into_response(),
            Err(errors) => schedule_spec(c.tr(), gid).invalid(&c, &form, &errors),
        },
    )
}

pub(crate) fn session_spec(t: Tr, sid: i64, what: &str, group: Option<i64>) -> FormSpec {
    let fields = if what == "cancel" {
        vec![FieldView::new(t, "reason", "field-reason", "textarea").required()]
    } else {
        vec![
            FieldView::new(t, "on_date", "field-date", "date").required(),
            FieldView::new(t, "start_time", "field-time", "time").required(),
        ]
    };
    let back = group
        .map(|g| format!("/groups/{g}"))
        .unwrap_or_else(|| "/palette".into());
    let spec = admin_spec(
        t,
        t.get(&format!("session-{what}")),
        "palette",
        format!("/sessions/{sid}/{what}"),
        fields,
        &back,
    );
    if what == "cancel" {
        spec.destructive(t.get("confirm-session-cancel"), t.get("session-cancel"))
    } else {
        spec
    }
}

pub async fn session_form(
    State(s): State<AppState>,
    c: Caller,
    Id(sid): Id,
    Segment(what): Segment,
) -> Answer {
    if what != "cancel" && what != "move" {
        return Err(WebError::not_found());
    }
    let session = s.app.group_session(&c.ctx(), sid).await?;
    let defaults = FormData(vec![
        ("on_date".into(), session.on_date.to_string()),
        ("start_time".into(), session.start_time.clone()),
    ]);
    Ok(session_spec(c.tr(), sid, &what, Some(session.group_id)).blank(&c, &defaults))
}

pub async fn session_change(
    State(s): State<AppState>,
    c: Caller,
    Id(sid): Id,
    Segment(what): Segment,
    form: FormData,
) -> Answer {
    if what != "cancel" && what != "move" {
        return Err(WebError::not_found());
    }
    if what == "cancel" && !form.confirmed() {
        let group = s.app.group_session(&c.ctx(), sid).await?.group_id;
        return Ok(session_spec(c.tr(), sid, &what, Some(group)).blank(&c, &form));
    }
    let result = if what == "cancel" {
        let cmd = form.input::<SessionCancelInput>().parse();
        submit(cmd, async |cmd| {
            s.app.cancel_session(&c.ctx(), sid, &cmd).await
        })
        .await?
    } else {
        let cmd = form.input::<SessionMoveInput>().parse();
        submit(cmd, async |cmd| {
            s.app.move_session(&c.ctx(), sid, &cmd).await
        })
        .await?
    };
    Ok(match result {
        Ok(()) => {
            let g = s.app.session_group(&c.ctx(), sid).await?;
            Redirect::to(&format!("/groups/{g}?done=session")).into_response()
        }
        Err(errors) => session_spec(c.tr(), sid, &what, None).invalid(&c, &form, &errors),
    })
}
