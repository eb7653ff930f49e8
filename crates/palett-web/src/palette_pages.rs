//! HTML for the palette and individual paths: interventions and courses,
//! groups and sessions, attendance, plans, enrolments, periods, time and
//! the reports.

use crate::caller::Caller;
use crate::forms::FormData;
use crate::i18n::Tr;
use crate::pages::{admin_spec, app_error, choices, options, render, FormSpec};
use crate::views::*;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::palette::{attendance_rate, hours_text, ScheduleInput};
use palett_app::AppError;
use palett_domain::palette::{
    AttendanceStatus, EnrolmentStatus, Intervention, InterventionKind, SessionStatus,
};
use palett_domain::plan::{GoalCategory, Plan, PlanInput};
use palett_domain::FieldErrors;

use crate::pages::id;

fn funding(t: Tr, i: &Intervention) -> String {
    i.project_name
        .clone()
        .unwrap_or_else(|| t.get("ordinary-operations"))
}

// ---------------------------------------------------------------- palette

pub async fn palette(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let list = match s.app.palette(&c.ctx(), false).await {
        Ok(l) => l,
        Err(e) => return app_error(&c, e),
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-palette"), "palette", "/palette"),
    );
    p.intro = Some(t.get("palette-intro"));
    if c.signed.actor.can_manage_palette() {
        p.links
            .push(("/palette/new".into(), t.get("intervention-new")));
    }
    p.links.push(("/reports".into(), t.get("nav-reports")));
    p.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-kind"),
            t.get("field-provider"),
            t.get("field-funding"),
            t.get("field-capacity"),
            t.get("field-languages"),
        ],
        rows: list
            .iter()
            .map(|i| {
                let name = match i.course_id {
                    Some(_) => format!("↳ {}. {}", i.position, i.name),
                    None => i.name.clone(),
                };
                vec![
                    Cell::link(name, format!("/palette/{}", i.id)),
                    Cell::text(t.get(&i.kind.message_id())),
                    Cell::text(i.provider_name.clone()),
                    Cell::text(funding(t, i)),
                    Cell::text(
                        i.capacity
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(i.languages.join(", ")),
                ]
            })
            .collect(),
    });
    render(p)
}

fn intervention_fields(t: Tr, ch: &crate::pages::Choices) -> Vec<FieldView> {
    let mut projects = vec![(
        palett_domain::palette::ORDINARY_OPERATIONS.to_string(),
        t.get("ordinary-operations"),
    )];
    projects.extend(ch.projects.iter().cloned());
    vec![
        FieldView::new(t, "name", "field-name", "text").required(),
        FieldView::new(t, "kind", "field-kind", "select")
            .required()
            .options(options(
                t,
                InterventionKind::ALL,
                InterventionKind::as_str,
                InterventionKind::message_id,
            )),
        FieldView::new(t, "provider_organisation_id", "field-provider", "select")
            .required()
            .options(ch.organisations.clone()),
        FieldView::new(t, "description", "field-description", "textarea"),
        FieldView::new(t, "place", "field-place", "text"),
        FieldView::new(t, "languages", "field-languages", "text").hint(t, "hint-languages"),
        FieldView::new(t, "capacity", "field-capacity", "number").hint(t, "hint-capacity"),
        FieldView::new(t, "group_based", "field-group-based", "checkbox"),
        FieldView {
            required: true,
            ..FieldView::new(t, "project_id", "field-funding", "select")
                .options(projects)
                .hint(t, "hint-funding")
        },
        FieldView::new(t, "start_date", "field-start-date", "date"),
        FieldView::new(t, "end_date", "field-end-date", "date"),
    ]
}

async fn intervention_spec(
    s: &AppState,
    c: &Caller,
    course: Option<&Intervention>,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ch = choices(s, c).await?;
    let (title, path, cancel) = match course {
        Some(k) => (
            format!("{}: {}", t.get("module-new"), k.name),
            format!("/palette/{}/modules/new", k.id),
            format!("/palette/{}", k.id),
        ),
        None => (
            t.get("intervention-new"),
            "/palette/new".to_string(),
            "/palette".to_string(),
        ),
    };
    Ok(admin_spec(
        t,
        title,
        "palette",
        path,
        intervention_fields(t, &ch),
        &cancel,
    ))
}

pub async fn intervention_form(State(s): State<AppState>, c: Caller) -> Response {
    if !c.signed.actor.can_manage_palette() {
        return app_error(&c, AppError::Forbidden);
    }
    let defaults = FormData(vec![
        ("group_based".into(), "false".into()),
        (
            "provider_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
    ]);
    match intervention_spec(&s, &c, None).await {
        Ok(spec) => spec.show(&c, StatusCode::OK, &defaults, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn intervention_create(State(s): State<AppState>, c: Caller, form: FormData) -> Response {
    match s
        .app
        .create_intervention(&c.ctx(), &form.intervention(), None)
        .await
    {
        Ok(id) => Redirect::to(&format!("/palette/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => match intervention_spec(&s, &c, None).await {
            Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

async fn course_of(s: &AppState, c: &Caller, raw: &str) -> Result<Intervention, AppError> {
    let v = s
        .app
        .intervention(&c.ctx(), id(raw).ok_or(AppError::NotFound)?)
        .await?;
    if v.intervention.kind != InterventionKind::Course || v.intervention.course_id.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(v.intervention)
}

pub async fn module_form(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    if !c.signed.actor.can_manage_palette() {
        return app_error(&c, AppError::Forbidden);
    }
    let course = match course_of(&s, &c, &raw).await {
        Ok(k) => k,
        Err(e) => return app_error(&c, e),
    };
    let defaults = FormData(vec![
        (
            "provider_organisation_id".into(),
            course.provider_organisation_id.to_string(),
        ),
        (
            "project_id".into(),
            course
                .project_id
                .map(|p| p.to_string())
                .unwrap_or_else(|| palett_domain::palette::ORDINARY_OPERATIONS.into()),
        ),
        ("group_based".into(), course.group_based.to_string()),
    ]);
    match intervention_spec(&s, &c, Some(&course)).await {
        Ok(spec) => spec.show(&c, StatusCode::OK, &defaults, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn module_create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let course = match course_of(&s, &c, &raw).await {
        Ok(k) => k,
        Err(e) => return app_error(&c, e),
    };
    match s
        .app
        .create_intervention(&c.ctx(), &form.intervention(), Some(course.id))
        .await
    {
        Ok(_) => Redirect::to(&format!("/palette/{}", course.id)).into_response(),
        Err(AppError::Invalid(errors)) => match intervention_spec(&s, &c, Some(&course)).await {
            Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

pub async fn intervention(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    let t = c.tr();
    let Some(iid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let v = match s.app.intervention(&c.ctx(), iid).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    let i = &v.intervention;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, i.name.clone(), "palette", &format!("/palette/{iid}")),
    );
    p.intro = Some(i.description.clone()).filter(|d| !d.is_empty());
    if v.may_manage && i.kind == InterventionKind::Course && i.course_id.is_none() {
        p.links
            .push((format!("/palette/{iid}/modules/new"), t.get("module-new")));
    }
    if v.may_run && i.group_based {
        p.links
            .push((format!("/palette/{iid}/groups/new"), t.get("group-new")));
    }
    let dash = || "–".to_string();
    let mut facts = vec![
        vec![
            Cell::text(t.get("field-kind")),
            Cell::text(t.get(&i.kind.message_id())),
        ],
        vec![
            Cell::text(t.get("field-provider")),
            Cell::text(i.provider_name.clone()),
        ],
        vec![
            Cell::text(t.get("field-funding")),
            Cell::text(funding(t, i)),
        ],
        vec![
            Cell::text(t.get("field-place")),
            Cell::text(if i.place.is_empty() {
                dash()
            } else {
                i.place.clone()
            }),
        ],
        vec![
            Cell::text(t.get("field-languages")),
            Cell::text(i.languages.join(", ")),
        ],
        vec![
            Cell::text(t.get("field-capacity")),
            Cell::text(match i.capacity {
                Some(cap) => format!("{} / {}", v.places_taken, cap),
                None => v.places_taken.to_string(),
            }),
        ],
        vec![
            Cell::text(t.get("field-period")),
            Cell::text(format!(
                "{} – {}",
                i.start_date.map(|d| d.to_string()).unwrap_or_default(),
                i.end_date.map(|d| d.to_string()).unwrap_or_default()
            )),
        ],
    ];
    if let Some(course) = &v.course {
        facts.push(vec![
            Cell::text(t.get("field-course")),
            Cell::link(course.name.clone(), format!("/palette/{}", course.id)),
        ]);
    }
    if let Some(r) = i.retired_on {
        facts.push(vec![
            Cell::text(t.get("field-retired-on")),
            Cell::text(r.to_string()),
        ]);
    } else if v.may_manage {
        facts.push(vec![
            Cell::text(t.get("actions")),
            Cell::button(
                t.get("intervention-retire"),
                format!("/palette/{iid}/retire"),
            ),
        ]);
    }
    p.tables.push(Table {
        heading: None,
        head: vec![t.get("field-what"), t.get("field-value")],
        rows: facts,
    });
    if i.kind == InterventionKind::Course {
        p.tables.push(Table {
            heading: Some(t.get("modules")),
            head: vec![
                "#".into(),
                t.get("field-name"),
                t.get("field-kind"),
                t.get("field-period"),
            ],
            rows: v
                .modules
                .iter()
                .map(|m| {
                    vec![
                        Cell::text(m.position.to_string()),
                        Cell::link(m.name.clone(), format!("/palette/{}", m.id)),
                        Cell::text(t.get(&m.kind.message_id())),
                        Cell::text(format!(
                            "{} – {}",
                            m.start_date.map(|d| d.to_string()).unwrap_or_default(),
                            m.end_date.map(|d| d.to_string()).unwrap_or_default()
                        )),
                    ]
                })
                .collect(),
        });
    }
    if i.group_based {
        p.tables.push(Table {
            heading: Some(t.get("groups")),
            head: vec![t.get("field-name"), t.get("field-leader")],
            rows: v
                .groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::link(g.name.clone(), format!("/groups/{}", g.id)),
                        Cell::text(g.leader_name.clone().unwrap_or_else(dash)),
                    ]
                })
                .collect(),
        });
    }
    p.tables.push(Table {
        heading: Some(t.get("enrolments")),
        head: vec![
            t.get("field-participant"),
            t.get("field-status"),
            t.get("field-group"),
            t.get("field-start-date"),
            t.get("field-end-date"),
            t.get("actions"),
        ],
        rows: v
            .enrolments
            .iter()
            .map(|e| {
                vec![
                    Cell::link(
                        e.participant_name.clone(),
                        format!("/participants/{}", e.participant_id),
                    ),
                    Cell::text(t.get(&e.status.message_id())),
                    Cell::text(e.group_name.clone().unwrap_or_default()),
                    Cell::text(e.start_date.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::text(e.end_date.map(|d| d.to_string()).unwrap_or_default()),
                    if e.status.next().is_empty() {
                        Cell::text("")
                    } else {
                        Cell::link(
                            t.get("enrolment-change"),
                            format!("/enrolments/{}/status", e.id),
                        )
                    },
                ]
            })
            .collect(),
    });
    render(p)
}

pub async fn retire(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(iid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.retire_intervention(&c.ctx(), iid).await {
        Ok(()) => Redirect::to(&format!("/palette/{iid}")).into_response(),
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- groups and sessions

async fn group_spec(s: &AppState, c: &Caller, iid: i64) -> Result<FormSpec, AppError> {
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

pub async fn group_form(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(iid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.intervention(&c.ctx(), iid).await {
        Ok(v) if v.may_run => {}
        Ok(_) => return app_error(&c, AppError::Forbidden),
        Err(e) => return app_error(&c, e),
    }
    match group_spec(&s, &c, iid).await {
        Ok(spec) => spec.show(
            &c,
            StatusCode::OK,
            &FormData::default(),
            &FieldErrors::new(),
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn group_create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(iid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .create_group(
            &c.ctx(),
            iid,
            &form.get("name"),
            &form.get("leader_user_id"),
        )
        .await
    {
        Ok(g) => Redirect::to(&format!("/groups/{g}")).into_response(),
        Err(AppError::Invalid(errors)) => match group_spec(&s, &c, iid).await {
            Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

pub async fn group(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let t = c.tr();
    let Some(gid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let today = s.app.today();
    let (g, sessions, may_run) = match s.app.group(&c.ctx(), gid).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
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
    p.tables.push(Table {
        heading: Some(t.get("sessions")),
        head: vec![
            t.get("field-date"),
            t.get("field-time"),
            t.get("field-minutes"),
            t.get("field-place"),
            t.get("field-status"),
            t.get("attendance-recorded"),
            t.get("actions"),
        ],
        rows: sessions
            .iter()
            .map(|x| {
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
                let action = if may_run && x.status == SessionStatus::Scheduled {
                    Cell::link(
                        t.get("attendance-record"),
                        format!("/sessions/{}/attendance", x.id),
                    )
                } else {
                    Cell::text("")
                };
                vec![
                    Cell::text(x.on_date.to_string()),
                    Cell::text(x.start_time.clone()),
                    Cell::text(x.minutes.to_string()),
                    Cell::text(x.place.clone()),
                    Cell::text(status),
                    Cell::text(recorded),
                    action,
                ]
            })
            .collect(),
    });
    if may_run {
        p.tables.push(Table {
            heading: Some(t.get("sessions-change")),
            head: vec![t.get("field-date"), t.get("actions"), t.get("actions")],
            rows: sessions
                .iter()
                .filter(|x| x.status == SessionStatus::Scheduled)
                .map(|x| {
                    vec![
                        Cell::text(x.on_date.to_string()),
                        Cell::link(
                            t.get("session-cancel"),
                            format!("/sessions/{}/cancel", x.id),
                        ),
                        Cell::link(t.get("session-move"), format!("/sessions/{}/move", x.id)),
                    ]
                })
                .collect(),
        });
    }
    render(p)
}

fn schedule_spec(t: Tr, gid: i64) -> FormSpec {
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

pub async fn schedule_form(c: Caller, Path(raw): Path<String>) -> Response {
    let Some(gid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let defaults = FormData(vec![
        ("start_time".into(), "10:00".into()),
        ("minutes".into(), "120".into()),
    ]);
    schedule_spec(c.tr(), gid).show(&c, StatusCode::OK, &defaults, &FieldErrors::new())
}

pub async fn schedule(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(gid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let input = ScheduleInput {
        from: form.get("from"),
        until: form.get("until"),
        start_time: form.get("start_time"),
        minutes: form.get("minutes"),
        place: form.get("place"),
    };
    match s.app.schedule(&c.ctx(), gid, &input).await {
        Ok(_) => Redirect::to(&format!("/groups/{gid}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            schedule_spec(c.tr(), gid).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

fn session_spec(t: Tr, sid: i64, what: &str, group: Option<i64>) -> FormSpec {
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
    admin_spec(
        t,
        t.get(&format!("session-{what}")),
        "palette",
        format!("/sessions/{sid}/{what}"),
        fields,
        &back,
    )
}

pub async fn session_form(
    State(s): State<AppState>,
    c: Caller,
    Path((raw, what)): Path<(String, String)>,
) -> Response {
    let Some(sid) = id(&raw).filter(|_| what == "cancel" || what == "move") else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.group_session(&c.ctx(), sid).await {
        Ok(session) => {
            let defaults = FormData(vec![
                ("on_date".into(), session.on_date.to_string()),
                ("start_time".into(), session.start_time.clone()),
            ]);
            session_spec(c.tr(), sid, &what, Some(session.group_id)).show(
                &c,
                StatusCode::OK,
                &defaults,
                &FieldErrors::new(),
            )
        }
        Err(e) => app_error(&c, e),
    }
}

pub async fn session_change(
    State(s): State<AppState>,
    c: Caller,
    Path((raw, what)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let Some(sid) = id(&raw).filter(|_| what == "cancel" || what == "move") else {
        return app_error(&c, AppError::NotFound);
    };
    let result = if what == "cancel" {
        s.app
            .cancel_session(&c.ctx(), sid, &form.get("reason"))
            .await
    } else {
        s.app
            .move_session(&c.ctx(), sid, &form.get("on_date"), &form.get("start_time"))
            .await
    };
    match result {
        Ok(()) => match s.app.session_group(&c.ctx(), sid).await {
            Ok(g) => Redirect::to(&format!("/groups/{g}")).into_response(),
            Err(e) => app_error(&c, e),
        },
        Err(AppError::Invalid(errors)) => session_spec(c.tr(), sid, &what, None).show(
            &c,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &errors,
        ),
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- attendance

pub struct AttendanceRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "attendance.html")]
pub struct AttendancePage {
    pub t: Tr,
    pub layout: Layout,
    pub intro: String,
    pub errors: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    pub cancelled: bool,
    pub choices: Vec<(String, String)>,
    pub rows: Vec<AttendanceRow>,
}

async fn attendance_page(
    s: &AppState,
    c: &Caller,
    sid: i64,
    submitted: Option<&FormData>,
    errors: &FieldErrors,
) -> Response {
    let t = c.tr();
    let sheet = match s.app.attendance_sheet(&c.ctx(), sid).await {
        Ok(x) => x,
        Err(e) => return app_error(c, e),
    };
    let rows: Vec<AttendanceRow> = sheet
        .roster
        .iter()
        .map(|(pid, name, recorded)| AttendanceRow {
            id: *pid,
            name: name.clone(),
            status: submitted
                .map(|f| f.get(&format!("attendance.{pid}")))
                .unwrap_or_else(|| recorded.map(|r| r.as_str().to_string()).unwrap_or_default()),
            error: errors
                .for_field(&format!("attendance.{pid}"))
                .map(|code| t.get(code)),
        })
        .collect();
    let error_list = errors
        .0
        .iter()
        .map(|e| {
            let who = rows
                .iter()
                .find(|r| format!("attendance.{}", r.id) == e.field);
            let anchor = who
                .map(|r| format!("a-{}-present", r.id))
                .unwrap_or_default();
            let name = who
                .map(|r| r.name.clone())
                .unwrap_or_else(|| e.field.clone());
            (anchor, format!("{name}: {}", t.get(e.code)))
        })
        .collect();
    let x = &sheet.session;
    let page = AttendancePage {
        t,
        layout: Layout::for_caller(
            c,
            format!(
                "{}: {} {}",
                t.get("attendance-title"),
                sheet.group.name,
                x.on_date
            ),
            "palette",
            &format!("/sessions/{sid}/attendance"),
        ),
        intro: t.with(
            "attendance-intro",
            &[
                ("intervention", sheet.group.intervention_name.clone()),
                ("time", x.start_time.clone()),
                ("minutes", x.minutes.to_string()),
            ],
        ),
        errors: error_list,
        action: format!("/sessions/{sid}/attendance"),
        back: format!("/groups/{}", sheet.group.id),
        cancelled: x.status == SessionStatus::Cancelled,
        choices: options(
            t,
            AttendanceStatus::ALL,
            AttendanceStatus::as_str,
            AttendanceStatus::message_id,
        ),
        rows,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

pub async fn attendance_form(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    let Some(sid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    attendance_page(&s, &c, sid, None, &FieldErrors::new()).await
}

pub async fn attendance_save(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(sid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let rows: Vec<(String, String)> = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("attendance.")
                .map(|p| (p.to_string(), v.clone()))
        })
        .collect();
    match s.app.record_attendance(&c.ctx(), sid, &rows).await {
        Ok(_) => match s.app.session_group(&c.ctx(), sid).await {
            Ok(g) => Redirect::to(&format!("/groups/{g}")).into_response(),
            Err(e) => app_error(&c, e),
        },
        Err(AppError::Invalid(errors)) => attendance_page(&s, &c, sid, Some(&form), &errors).await,
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- plans

pub struct PlanVersionView {
    pub label: String,
    pub goals: Vec<(String, String)>,
    pub steps: Vec<Vec<String>>,
    pub reviews: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub t: Tr,
    pub layout: Layout,
    pub may_change: bool,
    pub edit: String,
    pub back: String,
    pub versions: Vec<PlanVersionView>,
}

struct Names {
    interventions: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    staff: Vec<(String, String)>,
}

async fn names(s: &AppState, c: &Caller) -> Result<Names, AppError> {
    let ch = choices(s, c).await?;
    let interventions = s
        .app
        .palette(&c.ctx(), false)
        .await?
        .into_iter()
        .map(|i| (i.id.to_string(), i.name))
        .collect();
    Ok(Names {
        interventions,
        organisations: ch.organisations,
        staff: ch.caseworkers,
    })
}

fn name_of(list: &[(String, String)], id: &str) -> String {
    list.iter()
        .find(|(k, _)| k == id)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

fn plan_view(t: Tr, n: &Names, label: String, p: &Plan) -> PlanVersionView {
    PlanVersionView {
        label,
        goals: p
            .goals
            .iter()
            .map(|g| {
                (
                    GoalCategory::parse(&g.category)
                        .map(|c| t.get(&c.message_id()))
                        .unwrap_or_default(),
                    g.text.clone(),
                )
            })
            .collect(),
        steps: p
            .steps
            .iter()
            .map(|s| {
                vec![
                    name_of(&n.interventions, &s.intervention_id.to_string()),
                    s.planned_start.clone().unwrap_or_default(),
                    s.planned_end.clone().unwrap_or_default(),
                    name_of(&n.organisations, &s.responsible_organisation_id.to_string()),
                    s.responsible_user_id
                        .map(|u| name_of(&n.staff, &u.to_string()))
                        .unwrap_or_default(),
                    s.note.clone(),
                ]
            })
            .collect(),
        reviews: p
            .reviews
            .iter()
            .map(|r| {
                vec![
                    r.date.clone(),
                    r.participants.clone(),
                    r.notes.clone(),
                    r.decisions.clone(),
                ]
            })
            .collect(),
    }
}

pub async fn plan(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let t = c.tr();
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let versions = match s.app.plan_versions(&c.ctx(), pid).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    let view = match s.app.participant(&c.ctx(), pid).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    let n = match names(&s, &c).await {
        Ok(n) => n,
        Err(e) => return app_error(&c, e),
    };
    let tz = palett_app::clock::stockholm();
    render(PlanPage {
        t,
        layout: Layout::for_caller(
            &c,
            format!("{}: {}", t.get("plan-title"), view.participant.full_name()),
            "participants",
            &format!("/participants/{pid}/plan"),
        ),
        may_change: view.may_change,
        edit: format!("/participants/{pid}/plan/edit"),
        back: format!("/participants/{pid}"),
        versions: versions
            .iter()
            .map(|(v, p)| {
                let label = t.with(
                    "plan-version",
                    &[
                        ("version", v.version.to_string()),
                        (
                            "when",
                            v.created_at
                                .to_zoned(tz.clone())
                                .strftime("%Y-%m-%d %H:%M")
                                .to_string(),
                        ),
                        ("who", v.author_name.clone()),
                    ],
                );
                plan_view(t, &n, label, p)
            })
            .collect(),
    })
}

pub struct CellField {
    pub id: String,
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_form.html")]
pub struct PlanFormPage {
    pub t: Tr,
    pub layout: Layout,
    pub errors: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    pub goals: Vec<Vec<CellField>>,
    pub steps: Vec<Vec<CellField>>,
    pub reviews: Vec<Vec<CellField>>,
}

fn plan_form_page(
    c: &Caller,
    n: &Names,
    pid: i64,
    input: &PlanInput,
    errors: &FieldErrors,
) -> Response {
    let t = c.tr();
    let cell = |name: &str,
                row: usize,
                label: &str,
                kind: &'static str,
                values: &[String],
                options: Vec<(String, String)>| CellField {
        id: format!("f-{name}-{row}"),
        name: name.to_string(),
        label: format!("{} {}", t.get(label), row + 1),
        kind,
        value: values.get(row).cloned().unwrap_or_default(),
        options,
        error: errors.for_field(&format!("{name}.{row}")).map(|c| t.get(c)),
    };
    let categories = options(
        t,
        GoalCategory::ALL,
        GoalCategory::as_str,
        GoalCategory::message_id,
    );
    let max = palett_domain::plan::MAX_ROWS;
    let goals = (0..input.goal_text.len().clamp(1, max) + 1)
        .map(|r| {
            vec![
                cell(
                    "goal_text",
                    r,
                    "field-goal",
                    "text",
                    &input.goal_text,
                    vec![],
                ),
                cell(
                    "goal_category",
                    r,
                    "field-goal-category",
                    "select",
                    &input.goal_category,
                    categories.clone(),
                ),
            ]
        })
        .collect();
    let steps = (0..input.step_intervention.len().min(max) + 2)
        .map(|r| {
            vec![
                cell(
                    "step_intervention",
                    r,
                    "field-intervention",
                    "select",
                    &input.step_intervention,
                    n.interventions.clone(),
                ),
                cell(
                    "step_start",
                    r,
                    "field-start-date",
                    "date",
                    &input.step_start,
                    vec![],
                ),
                cell(
                    "step_end",
                    r,
                    "field-end-date",
                    "date",
                    &input.step_end,
                    vec![],
                ),
                cell(
                    "step_organisation",
                    r,
                    "field-responsible-organisation",
                    "select",
                    &input.step_organisation,
                    n.organisations.clone(),
                ),
                cell(
                    "step_user",
                    r,
                    "field-responsible-person",
                    "select",
                    &input.step_user,
                    n.staff.clone(),
                ),
                cell(
                    "step_note",
                    r,
                    "field-note",
                    "text",
                    &input.step_note,
                    vec![],
                ),
            ]
        })
        .collect();
    let reviews = (0..input.review_date.len().min(max) + 1)
        .map(|r| {
            vec![
                cell(
                    "review_date",
                    r,
                    "field-review-date",
                    "date",
                    &input.review_date,
                    vec![],
                ),
                cell(
                    "review_participants",
                    r,
                    "field-review-participants",
                    "text",
                    &input.review_participants,
                    vec![],
                ),
                cell(
                    "review_notes",
                    r,
                    "field-review-notes",
                    "textarea",
                    &input.review_notes,
                    vec![],
                ),
                cell(
                    "review_decisions",
                    r,
                    "field-review-decisions",
                    "textarea",
                    &input.review_decisions,
                    vec![],
                ),
            ]
        })
        .collect();
    let list = errors
        .0
        .iter()
        .map(|e| {
            let (name, row) = e.field.rsplit_once('.').unwrap_or((e.field.as_str(), "0"));
            (format!("f-{name}-{row}"), t.get(e.code))
        })
        .collect();
    let page = PlanFormPage {
        t,
        layout: Layout::for_caller(
            c,
            t.get("plan-edit"),
            "participants",
            &format!("/participants/{pid}/plan/edit"),
        ),
        errors: list,
        action: format!("/participants/{pid}/plan/edit"),
        back: format!("/participants/{pid}/plan"),
        goals,
        steps,
        reviews,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(page)).into_response()
}

pub fn plan_input(f: &FormData) -> PlanInput {
    PlanInput {
        goal_text: f.all("goal_text"),
        goal_category: f.all("goal_category"),
        step_intervention: f.all("step_intervention"),
        step_start: f.all("step_start"),
        step_end: f.all("step_end"),
        step_organisation: f.all("step_organisation"),
        step_user: f.all("step_user"),
        step_note: f.all("step_note"),
        review_date: f.all("review_date"),
        review_participants: f.all("review_participants"),
        review_notes: f.all("review_notes"),
        review_decisions: f.all("review_decisions"),
    }
}

pub async fn plan_form(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let current = match s.app.plan_versions(&c.ctx(), pid).await {
        Ok(v) => v
            .into_iter()
            .next()
            .map(|(_, p)| PlanInput::from_plan(&p))
            .unwrap_or_default(),
        Err(e) => return app_error(&c, e),
    };
    match names(&s, &c).await {
        Ok(n) => plan_form_page(&c, &n, pid, &current, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn plan_save(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let input = plan_input(&form);
    match s.app.save_plan(&c.ctx(), pid, &input).await {
        Ok(_) => Redirect::to(&format!("/participants/{pid}/plan")).into_response(),
        Err(AppError::Invalid(errors)) => match names(&s, &c).await {
            Ok(n) => plan_form_page(&c, &n, pid, &input, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- enrolments, period, activities

async fn enrol_spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let palette = s.app.palette(&c.ctx(), false).await?;
    let groups: Vec<(String, String)> = s
        .app
        .groups(&c.ctx())
        .await?
        .into_iter()
        .map(|g| {
            (
                g.id.to_string(),
                format!("{}: {}", g.intervention_name, g.name),
            )
        })
        .collect();
    let fields = vec![
        FieldView::new(t, "intervention_id", "field-intervention", "select")
            .required()
            .options(
                palette
                    .iter()
                    .map(|i| (i.id.to_string(), i.name.clone()))
                    .collect(),
            ),
        FieldView::new(t, "group_id", "field-group", "select")
            .options(groups)
            .hint(t, "hint-group"),
        FieldView::new(t, "start_date", "field-start-date", "date"),
        FieldView::new(t, "end_date", "field-end-date", "date"),
    ];
    Ok(admin_spec(
        t,
        t.get("enrol"),
        "participants",
        format!("/participants/{pid}/enrolments/new"),
        fields,
        &format!("/participants/{pid}"),
    ))
}

pub async fn enrol_form(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    if let Err(e) = s.app.enrolments(&c.ctx(), pid).await {
        return app_error(&c, e);
    }
    match enrol_spec(&s, &c, pid).await {
        Ok(spec) => spec.show(
            &c,
            StatusCode::OK,
            &FormData::default(),
            &FieldErrors::new(),
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn enrol(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .enrol(
            &c.ctx(),
            pid,
            &form.get("intervention_id"),
            &form.get("group_id"),
            &form.get("start_date"),
            &form.get("end_date"),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => match enrol_spec(&s, &c, pid).await {
            Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

fn enrolment_spec(t: Tr, eid: i64, next: &[EnrolmentStatus], back: &str) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "status", "field-status", "select")
            .required()
            .options(
                next.iter()
                    .map(|s| (s.as_str().to_string(), t.get(&s.message_id())))
                    .collect(),
            ),
        FieldView::new(t, "reason", "field-reason", "textarea").hint(t, "hint-discontinue-reason"),
    ];
    admin_spec(
        t,
        t.get("enrolment-change"),
        "participants",
        format!("/enrolments/{eid}/status"),
        fields,
        back,
    )
}

async fn enrolment_of(
    s: &AppState,
    c: &Caller,
    eid: i64,
) -> Result<palett_app::palette::EnrolmentRow, AppError> {
    s.app.enrolment(&c.ctx(), eid).await
}

pub async fn enrolment_form(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    let Some(eid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match enrolment_of(&s, &c, eid).await {
        Ok(e) => enrolment_spec(
            c.tr(),
            eid,
            e.status.next(),
            &format!("/participants/{}", e.participant_id),
        )
        .show(
            &c,
            StatusCode::OK,
            &FormData::default(),
            &FieldErrors::new(),
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn enrolment_change(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(eid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let en = match enrolment_of(&s, &c, eid).await {
        Ok(e) => e,
        Err(e) => return app_error(&c, e),
    };
    match s
        .app
        .change_enrolment(&c.ctx(), eid, &form.get("status"), &form.get("reason"))
        .await
    {
        Ok(_) => Redirect::to(&format!("/participants/{}", en.participant_id)).into_response(),
        Err(AppError::Invalid(errors)) => enrolment_spec(
            c.tr(),
            eid,
            en.status.next(),
            &format!("/participants/{}", en.participant_id),
        )
        .show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
        Err(e) => app_error(&c, e),
    }
}

fn period_spec(t: Tr, pid: i64) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "planned_end", "field-planned-end", "date").required(),
        FieldView::new(t, "reason", "field-reason", "textarea").hint(t, "hint-extension-reason"),
    ];
    admin_spec(
        t,
        t.get("period-change"),
        "participants",
        format!("/participants/{pid}/period"),
        fields,
        &format!("/participants/{pid}"),
    )
}

pub async fn period_form(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.period(&c.ctx(), pid).await {
        Ok(p) => {
            let defaults = FormData(vec![(
                "planned_end".into(),
                p.planned_end.map(|d| d.to_string()).unwrap_or_default(),
            )]);
            period_spec(c.tr(), pid).show(&c, StatusCode::OK, &defaults, &FieldErrors::new())
        }
        Err(e) => app_error(&c, e),
    }
}

pub async fn period_save(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .set_planned_end(&c.ctx(), pid, &form.get("planned_end"), &form.get("reason"))
        .await
    {
        Ok(()) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            period_spec(c.tr(), pid).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

async fn activity_spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let palette = s.app.palette(&c.ctx(), false).await?;
    let fields = vec![
        FieldView::new(t, "intervention_id", "field-intervention", "select")
            .required()
            .options(
                palette
                    .iter()
                    .filter(|i| !i.group_based)
                    .map(|i| (i.id.to_string(), i.name.clone()))
                    .collect(),
            ),
        FieldView::new(t, "on_date", "field-date", "date").required(),
        FieldView::new(t, "hours", "field-hours", "text")
            .required()
            .hint(t, "hint-hours"),
        FieldView::new(t, "note", "field-note", "textarea"),
    ];
    Ok(admin_spec(
        t,
        t.get("activity-new"),
        "participants",
        format!("/participants/{pid}/activities/new"),
        fields,
        &format!("/participants/{pid}"),
    ))
}

pub async fn activity_form(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    if let Err(e) = s.app.enrolments(&c.ctx(), pid).await {
        return app_error(&c, e);
    }
    let defaults = FormData(vec![("on_date".into(), s.app.today().to_string())]);
    match activity_spec(&s, &c, pid).await {
        Ok(spec) => spec.show(&c, StatusCode::OK, &defaults, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn activity_save(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    form: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .record_activity(
            &c.ctx(),
            pid,
            &form.get("intervention_id"),
            &form.get("on_date"),
            &form.get("hours"),
            &form.get("note"),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => match activity_spec(&s, &c, pid).await {
            Ok(spec) => spec.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

// ---------------------------------------------------------------- time summary

#[derive(Template)]
#[template(path = "time.html")]
pub struct TimePage {
    pub t: Tr,
    pub layout: Layout,
    pub action: String,
    pub back: String,
    pub month: String,
    pub rows: Vec<(String, String, String)>,
    pub total: String,
}

#[derive(serde::Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

pub async fn time(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Response {
    let t = c.tr();
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let rows = match s.app.time_rows(&c.ctx(), pid).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let view = match s.app.participant(&c.ctx(), pid).await {
        Ok(v) => v,
        Err(e) => return app_error(&c, e),
    };
    let month = q
        .month
        .filter(|m| m.len() == 7 && format!("{m}-01").parse::<jiff::civil::Date>().is_ok())
        .or_else(|| rows.last().map(|r| r.month.clone()))
        .unwrap_or_else(|| s.app.today().to_string()[..7].to_string());
    let of_month: Vec<_> = rows.iter().filter(|r| r.month == month).collect();
    let total: i64 = of_month.iter().map(|r| r.minutes).sum();
    render(TimePage {
        t,
        layout: Layout::for_caller(
            &c,
            t.with(
                "time-title",
                &[
                    ("name", view.participant.full_name()),
                    ("month", month.clone()),
                ],
            ),
            "participants",
            &format!("/participants/{pid}/time"),
        ),
        action: format!("/participants/{pid}/time"),
        back: format!("/participants/{pid}"),
        month,
        rows: of_month
            .iter()
            .map(|r| {
                (
                    r.intervention.clone(),
                    r.project
                        .clone()
                        .unwrap_or_else(|| t.get("ordinary-operations")),
                    hours_text(r.minutes),
                )
            })
            .collect(),
        total: hours_text(total),
    })
}

// ---------------------------------------------------------------- reports

/// One report table: its name in the CSV link, heading, column heads, rows.
type ReportTable = (&'static str, String, Vec<String>, Vec<Vec<String>>);

/// The report tables.
fn report_tables(t: Tr, r: &palett_app::palette::Reports) -> Vec<ReportTable> {
    let rate = |p: i64, n: i64, a: i64| {
        attendance_rate(p, n, a)
            .map(|v| t.percent(v))
            .unwrap_or_else(|| "–".into())
    };
    let mut per_intervention: Vec<(String, i64, i64, i64)> = Vec::new();
    for g in &r.attendance {
        let (p, n, a) = (g.present, g.absent_notice, g.absent);
        match per_intervention.iter_mut().find(|x| x.0 == g.intervention) {
            Some(x) => {
                x.1 += p;
                x.2 += n;
                x.3 += a;
            }
            None => per_intervention.push((g.intervention.clone(), p, n, a)),
        }
    }
    let totals = r.minutes_by_partner.iter().fold((0, 0), |acc, x| {
        (acc.0 + x.project_minutes, acc.1 + x.ordinary_minutes)
    });
    let mut by_partner: Vec<Vec<String>> = r
        .minutes_by_partner
        .iter()
        .map(|m| {
            vec![
                m.partner.clone(),
                hours_text(m.project_minutes),
                hours_text(m.ordinary_minutes),
                hours_text(m.project_minutes + m.ordinary_minutes),
            ]
        })
        .collect();
    by_partner.push(vec![
        t.get("total"),
        hours_text(totals.0),
        hours_text(totals.1),
        hours_text(totals.0 + totals.1),
    ]);
    let counts = [
        t.get("attendance-present"),
        t.get("attendance-absent-notice"),
        t.get("attendance-absent"),
        t.get("attendance-rate"),
    ];
    vec![
        (
            "attendance-by-intervention",
            t.get("report-attendance-intervention"),
            [vec![t.get("field-intervention")], counts.to_vec()].concat(),
            per_intervention
                .iter()
                .map(|(i, p, n, a)| {
                    vec![
                        i.clone(),
                        p.to_string(),
                        n.to_string(),
                        a.to_string(),
                        rate(*p, *n, *a),
                    ]
                })
                .collect(),
        ),
        (
            "attendance-by-group",
            t.get("report-attendance-group"),
            [
                vec![t.get("field-intervention"), t.get("field-group")],
                counts.to_vec(),
            ]
            .concat(),
            r.attendance
                .iter()
                .map(|g| {
                    vec![
                        g.intervention.clone(),
                        g.group.clone(),
                        g.present.to_string(),
                        g.absent_notice.to_string(),
                        g.absent.to_string(),
                        rate(g.present, g.absent_notice, g.absent),
                    ]
                })
                .collect(),
        ),
        (
            "sessions-per-month",
            t.get("report-sessions-month"),
            vec![
                t.get("field-month"),
                t.get("sessions-cancelled"),
                t.get("sessions-held"),
            ],
            r.sessions_per_month
                .iter()
                .map(|m| vec![m.month.clone(), m.cancelled.to_string(), m.held.to_string()])
                .collect(),
        ),
        (
            "hours-by-partner",
            t.get("report-hours-partner"),
            vec![
                t.get("field-provider"),
                t.get("hours-project"),
                t.get("ordinary-operations"),
                t.get("total"),
            ],
            by_partner,
        ),
        (
            "interventions-in-use",
            t.get("report-in-use"),
            vec![
                t.get("field-intervention"),
                t.get("places-taken"),
                t.get("waiting-list"),
                t.get("field-capacity"),
            ],
            r.in_use
                .iter()
                .map(|u| {
                    vec![
                        u.intervention.clone(),
                        u.taken.to_string(),
                        u.waiting.to_string(),
                        u.capacity
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "–".into()),
                    ]
                })
                .collect(),
        ),
    ]
}

pub async fn reports(State(s): State<AppState>, c: Caller) -> Response {
    let t = c.tr();
    let r = match s.app.reports(&c.ctx()).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-reports"), "reports", "/reports"),
    );
    p.intro = Some(t.get("reports-intro"));
    if c.signed.actor.can_export_research() {
        p.links
            .push(("/exports/research".into(), t.get("research-export")));
    }
    for (name, heading, head, rows) in report_tables(t, &r) {
        p.links
            .push((format!("/reports/{name}.csv"), format!("{} (CSV)", heading)));
        p.tables.push(Table {
            heading: Some(heading),
            head,
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::text).collect())
                .collect(),
        });
    }
    render(p)
}

/// One report as CSV: `;` separated with a BOM, as Swedish Excel expects.
pub async fn report_csv(
    State(s): State<AppState>,
    c: Caller,
    Path(file): Path<String>,
) -> Response {
    let t = c.tr();
    let r = match s.app.reports(&c.ctx()).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let Some(name) = file.strip_suffix(".csv") else {
        return app_error(&c, AppError::NotFound);
    };
    let Some((_, _, head, rows)) = report_tables(t, &r).into_iter().find(|x| x.0 == name) else {
        return app_error(&c, AppError::NotFound);
    };
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(head).chain(rows) {
        let cells: Vec<String> = line.iter().map(|v| crate::document::csv_cell(v)).collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        out,
    )
        .into_response()
}
