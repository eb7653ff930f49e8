use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, choices, options, render, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::palette::{Intervention, InterventionKind};

pub(crate) fn funding(t: Tr, i: &Intervention) -> String {
    i.project_name
        .clone()
        .unwrap_or_else(|| t.get("ordinary-operations"))
}

// ---------------------------------------------------------------- palette

pub async fn palette(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let list = s.app.palette(&c.ctx(), false).await?;
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
    if c.signed.actor.can_attest_time() {
        p.links
            .push(("/time-attestation".into(), t.get("time-attestation-title")));
    }
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
    Ok(render(p))
}

pub(crate) fn intervention_fields(t: Tr, ch: &crate::ui::Choices) -> Vec<FieldView> {
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

pub(crate) async fn intervention_spec(
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

pub async fn intervention_form(State(s): State<AppState>, c: Caller) -> Answer {
    if !c.signed.actor.can_manage_palette() {
        return Err(AppError::Forbidden.into());
    }
    let defaults = FormData(vec![
        ("group_based".into(), "false".into()),
        (
            "provider_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
    ]);
    let spec = intervention_spec(&s, &c, None).await?;
    Ok(spec.blank(&c, &defaults))
}

pub async fn intervention_create(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    create_from_form(&s, &c, &form, None).await
}

/// Create the intervention the form describes, as a module of `course`
/// when there is one: on to its page (a module's, to its course's), or the
/// form again with its errors.
async fn create_from_form(
    s: &AppState,
    c: &Caller,
    form: &FormData,
    course: Option<&Intervention>,
) -> Answer {
    let input = form
        .input::<palett_domain::palette::InterventionInput>()
        .parse();
    Ok(
        match s
            .app
            .create_intervention(&c.ctx(), input, course.map(|k| k.id))
            .await
            .or_invalid()?
        {
            Ok(id) => {
                let shown = course.map_or(id, |k| k.id);
                Redirect::to(&format!("/palette/{shown}")).into_response()
            }
            Err(errors) => intervention_spec(s, c, course)
                .await?
                .invalid(c, form, &errors),
        },
    )
}

pub(crate) async fn course_of(s: &AppState, c: &Caller, id: i64) -> Result<Intervention, AppError> {
    let v = s.app.intervention(&c.ctx(), id).await?;
    if v.intervention.kind != InterventionKind::Course || v.intervention.course_id.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(v.intervention)
}

pub async fn module_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    if !c.signed.actor.can_manage_palette() {
        return Err(AppError::Forbidden.into());
    }
    let course = course_of(&s, &c, id).await?;
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
    let spec = intervention_spec(&s, &c, Some(&course)).await?;
    Ok(spec.blank(&c, &defaults))
}

pub async fn module_create(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    form: FormData,
) -> Answer {
    let course = course_of(&s, &c, id).await?;
    create_from_form(&s, &c, &form, Some(&course)).await
}

pub async fn intervention(State(s): State<AppState>, c: Caller, Id(iid): Id) -> Answer {
    let t = c.tr();
    let v = s.app.intervention(&c.ctx(), iid).await?;
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
        p.tables.push(Table::headed(
            t,
            "groups",
            &["field-name", "field-leader"],
            v.groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::link(g.name.clone(), format!("/groups/{}", g.id)),
                        Cell::text(g.leader_name.clone().unwrap_or_else(dash)),
                    ]
                })
                .collect(),
        ));
    }
    p.tables.push(Table::headed(
        t,
        "enrolments",
        &[
            "field-participant",
            "field-status",
            "field-group",
            "field-start-date",
            "field-end-date",
            "actions",
        ],
        v.enrolments
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
    ));
    Ok(render(p))
}

/// Retire the intervention once confirmed on the page that says what it
/// means; unconfirmed, that page (nothing changes).
pub async fn retire(State(s): State<AppState>, c: Caller, Id(iid): Id, f: FormData) -> Answer {
    if !f.confirmed() {
        let t = c.tr();
        let v = s.app.intervention(&c.ctx(), iid).await?;
        if !v.may_manage {
            return Err(AppError::Forbidden.into());
        }
        let name = v.intervention.name.clone();
        return Ok(crate::ui::confirm_spec(
            format!("{}: {name}", t.get("intervention-retire")),
            "palette",
            format!("/palette/{iid}/retire"),
            (
                t.with("confirm-intervention-retire", &[("name", name)]),
                t.get("intervention-retire"),
            ),
            &format!("/palette/{iid}"),
        )
        .blank(&c, &f));
    }
    s.app.retire_intervention(&c.ctx(), iid).await?;
    Ok(Redirect::to(&format!("/palette/{iid}?done=retired")).into_response())
}
