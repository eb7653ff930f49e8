use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::http::Id;
use crate::ui::views::{Cell, Layout, Table, TablePage};
use crate::ui::{date_text, render};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::export::SubjectAccess;
use palett_app::palette::hours_text;
use serde_json::{json, Value};

pub(crate) fn rows(items: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<Cell>> {
    items
        .into_iter()
        .map(|r| r.into_iter().map(Cell::text).collect())
        .collect()
}

pub async fn page(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let t = c.tr();
    let x = s.app.subject_access(&c.ctx(), pid).await?;
    let p = &x.participant;
    let tz = palett_app::clock::stockholm();
    let when = |ts: jiff::Timestamp| {
        ts.to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let title = t.with("export-title", &[("name", p.full_name())]);
    let mut page = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            title,
            "participants",
            &format!("/participants/{pid}/export"),
        ),
    );
    page.intro = Some(t.with("export-intro", &[("when", when(x.generated_at))]));
    page.links.push((
        format!("/api/v1/participants/{pid}/export"),
        t.get("export-json"),
    ));
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    page.tables.push(Table {
        heading: Some(t.get("profile")),
        head: vec![t.get("field-what"), t.get("field-value")],
        rows: rows(
            [
                vec![t.get("field-name"), p.full_name()],
                vec![
                    t.get("field-identity-number"),
                    p.identity_number
                        .clone()
                        .unwrap_or_else(|| t.get(&p.identity_kind.message_id())),
                ],
                vec![t.get("field-birth-date"), p.birth_date.to_string()],
                vec![t.get("field-gender"), t.get(&p.gender.message_id())],
                vec![t.get("field-country-of-birth"), opt(&p.country_of_birth)],
                vec![
                    t.get("field-arrival-year"),
                    p.arrival_year.map(|y| y.to_string()).unwrap_or_default(),
                ],
                vec![t.get("field-languages"), p.languages.join(", ")],
                vec![t.get("field-phone"), opt(&p.phone)],
                vec![t.get("field-email"), opt(&p.email)],
                vec![t.get("field-address"), opt(&p.address)],
                vec![
                    t.get("field-education-level"),
                    t.get(&p.education_level.message_id()),
                ],
                vec![
                    t.get("field-swedish-level"),
                    t.get(&p.swedish_level.message_id()),
                ],
                vec![
                    t.get("field-referral-source"),
                    t.get(&p.referral_source.message_id()),
                ],
                vec![
                    t.get("field-responsible-organisation"),
                    p.responsible_organisation_name.clone(),
                ],
                vec![
                    t.get("field-projects"),
                    x.projects
                        .iter()
                        .map(|p| p.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ],
                vec![
                    t.get("assigned-staff"),
                    x.caseworkers
                        .iter()
                        .map(|c| format!("{} ({})", c.name, c.organisation))
                        .collect::<Vec<_>>()
                        .join(", "),
                ],
                vec![t.get("field-status"), t.get(&p.state.status.message_id())],
            ]
            .into_iter()
            .chain(match &p.restricted {
                Some(r) => vec![
                    vec![t.get("field-health-notes"), opt(&r.health_notes)],
                    vec![t.get("field-support-needs"), opt(&r.support_needs)],
                    vec![
                        t.get("field-protected-identity"),
                        t.get(if r.protected_identity { "yes" } else { "no" }),
                    ],
                ],
                None => vec![vec![t.get("restricted-group"), t.get("restricted-hidden")]],
            }),
        ),
    });
    page.tables.push(Table {
        heading: Some(t.get("status-history")),
        head: vec![
            t.get("field-date"),
            t.get("event"),
            t.get("field-status"),
            t.get("field-reason"),
            t.get("by-whom"),
        ],
        rows: rows(x.history.iter().map(|h| {
            vec![
                h.on_date.to_string(),
                t.get(&h.kind.message_id()),
                t.get(&h.to_status.message_id()),
                h.reason.clone().unwrap_or_default(),
                h.actor_name.clone(),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("consents")),
        head: vec![
            t.get("field-consent-kind"),
            t.get("field-consent-organisations"),
            t.get("field-given-on"),
            t.get("field-consent-method"),
            t.get("field-expires-on"),
            t.get("consent-withdrawn"),
        ],
        rows: rows(x.consents.iter().map(|k| {
            vec![
                t.get(&k.kind.message_id()),
                k.organisations
                    .iter()
                    .map(|o| o.1.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                k.given_on.to_string(),
                t.get(&k.method.message_id()),
                k.expires_on.map(|d| d.to_string()).unwrap_or_default(),
                k.withdrawn_at.map(when).unwrap_or_default(),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("plan-title")),
        head: vec![
            t.get("plan-history"),
            t.get("plan-goals"),
            t.get("plan-steps"),
        ],
        rows: rows(x.plans.iter().map(|(v, plan)| {
            vec![
                format!("v{} {} {}", v.version, when(v.created_at), v.author_name),
                plan.goals
                    .iter()
                    .map(|g| g.text.clone())
                    .collect::<Vec<_>>()
                    .join(" · "),
                plan.steps.len().to_string(),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("enrolments")),
        head: vec![
            t.get("field-intervention"),
            t.get("field-status"),
            t.get("field-start-date"),
            t.get("field-end-date"),
        ],
        rows: rows(x.enrolments.iter().map(|e| {
            vec![
                e.intervention_name.clone(),
                t.get(&e.status.message_id()),
                date_text(e.start_date),
                date_text(e.end_date),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("attendance-title")),
        head: vec![
            t.get("field-date"),
            t.get("field-intervention"),
            t.get("field-group"),
            t.get("field-status"),
            t.get("field-hours"),
        ],
        rows: rows(x.attendance.iter().map(|a| {
            vec![
                a.on_date.to_string(),
                a.intervention.clone(),
                a.group.clone(),
                t.get(&a.status.message_id()),
                hours_text(a.minutes),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("activities")),
        head: vec![
            t.get("field-date"),
            t.get("field-intervention"),
            t.get("field-hours"),
            t.get("field-note"),
        ],
        rows: rows(x.activities.iter().map(|a| {
            vec![
                a.on_date.to_string(),
                a.intervention.clone(),
                hours_text(a.minutes),
                a.note.clone().unwrap_or_default(),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("follow-ups")),
        head: crate::followups::follow_ups::head(t),
        rows: rows(
            x.follow_ups
                .iter()
                .map(|f| crate::followups::follow_ups::cells(t, f)),
        ),
    });
    page.tables.push(crate::followups::self_assessments::table(
        t,
        Some(t.get("self-assessments")),
        &x.self_assessments,
    ));
    page.tables.push(Table {
        heading: Some(t.get("notes")),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-organisation"),
            t.get("field-visibility"),
            t.get("field-note"),
        ],
        rows: rows(x.notes.iter().map(|n| {
            vec![
                when(n.created_at),
                n.author.clone(),
                n.organisation.clone(),
                t.get(&format!("note-{}", n.visibility.replace('_', "-"))),
                n.body.clone(),
            ]
        })),
    });
    page.tables.push(Table {
        heading: Some(t.get("profile-versions")),
        head: vec![t.get("field-when"), t.get("by-whom"), t.get("profile")],
        rows: rows(
            x.profile_versions
                .iter()
                .map(|v| vec![when(v.changed_at), v.changed_by.clone(), v.profile.clone()]),
        ),
    });
    page.tables.push(Table {
        heading: Some(t.get("export-log")),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-organisation"),
            t.get("field-action"),
        ],
        rows: rows(x.log.iter().map(|e| {
            vec![
                when(e.at),
                e.user_name.clone().unwrap_or_default(),
                e.organisation_name.clone().unwrap_or_default(),
                e.action.clone(),
            ]
        })),
    });
    Ok(render(page))
}

pub fn to_json(x: &SubjectAccess) -> Value {
    let p = &x.participant;
    json!({
        "generated_at": x.generated_at.to_string(),
        "participant": {
            "id": p.id, "given_name": p.given_name, "family_name": p.family_name,
            "identity_kind": p.identity_kind, "identity_number": p.identity_number,
            "birth_date": p.birth_date.to_string(), "gender": p.gender,
            "country_of_birth": p.country_of_birth, "arrival_year": p.arrival_year,
            "languages": p.languages, "interpreter_needed": p.interpreter_needed,
            "phone": p.phone, "email": p.email, "address": p.address,
            "education_level": p.education_level, "swedish_level": p.swedish_level,
            "referral_source": p.referral_source,
            "responsible_organisation": p.responsible_organisation_name,
            "status": p.state.status, "referred_on": p.state.referred_on.to_string(),
            "intake_date": p.state.intake_date.map(|d| d.to_string()), "exit_date": p.state.exit_date.map(|d| d.to_string()),
            "exit_outcome": p.state.exit_outcome,
            "restricted": p.restricted.as_ref().map(|r| json!({
                "health_notes": r.health_notes, "support_needs": r.support_needs,
                "protected_identity": r.protected_identity,
            })),
        },
        "caseworkers": x.caseworkers.iter().map(|c| json!({"name": c.name, "organisation": c.organisation})).collect::<Vec<_>>(),
        "projects": x.projects.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "status_history": x.history.iter().map(|h| json!({"kind": h.kind, "on": h.on_date.to_string(), "to_status": h.to_status, "reason": h.reason, "by": h.actor_name})).collect::<Vec<_>>(),
        "consents": x.consents.iter().map(|k| json!({
            "kind": k.kind, "method": k.method, "witness": k.witness, "given_on": k.given_on.to_string(),
            "expires_on": k.expires_on.map(|d| d.to_string()),
            "organisations": k.organisations.iter().map(|o| o.1.clone()).collect::<Vec<_>>(),
            "recorded_by": k.recorded_by, "withdrawn_at": k.withdrawn_at.map(|t| t.to_string()),
        })).collect::<Vec<_>>(),
        "plans": x.plans.iter().map(|(v, plan)| json!({"version": v.version, "created_at": v.created_at.to_string(), "author": v.author_name, "goals": plan.goals, "steps": plan.steps, "reviews": plan.reviews})).collect::<Vec<_>>(),
        "period_changes": x.period_changes.iter().map(|c| json!({"planned_end": c.planned_end.to_string(), "reason": c.reason, "by": c.author_name})).collect::<Vec<_>>(),
        "enrolments": x.enrolments.iter().map(|e| json!({"intervention": e.intervention_name, "status": e.status, "start_date": e.start_date.map(|d| d.to_string()), "end_date": e.end_date.map(|d| d.to_string())})).collect::<Vec<_>>(),
        "attendance": x.attendance.iter().map(|a| json!({"date": a.on_date.to_string(), "intervention": a.intervention, "group": a.group, "status": a.status, "minutes": a.minutes})).collect::<Vec<_>>(),
        "activities": x.activities.iter().map(|a| json!({"date": a.on_date.to_string(), "intervention": a.intervention, "minutes": a.minutes, "note": a.note})).collect::<Vec<_>>(),
        "follow_ups": x.follow_ups.iter().map(|f| json!({
            "months_after": f.months_after, "due_on": f.due_on.to_string(),
            "done_on": f.done.as_ref().map(|r| r.done_on.to_string()),
            "employment": f.done.as_ref().map(|r| r.employment),
            "studies": f.done.as_ref().map(|r| r.studies),
            "income_source": f.done.as_ref().map(|r| r.income_source),
        })).collect::<Vec<_>>(),
        "self_assessments": x.self_assessments.iter().map(|a| json!({
            "on": a.on.to_string(),
            "scores": palett_domain::selfassessment::Aspect::ALL.iter().zip(&a.scores)
                .map(|(k, v)| (k.as_str().to_string(), json!(v)))
                .collect::<serde_json::Map<_, _>>(),
            "total": a.total(),
        })).collect::<Vec<_>>(),
        "notes": x.notes.iter().map(|n| json!({"at": n.created_at.to_string(), "author": n.author, "organisation": n.organisation, "visibility": n.visibility, "body": n.body})).collect::<Vec<_>>(),
        "profile_versions": x.profile_versions.iter().map(|v| json!({"version": v.version, "profile": serde_json::from_str::<Value>(&v.profile).unwrap_or(Value::Null), "changed_by": v.changed_by, "changed_at": v.changed_at.to_string()})).collect::<Vec<_>>(),
        "log": x.log.iter().map(|e| json!({"at": e.at.to_string(), "user": e.user_name, "organisation": e.organisation_name, "action": e.action})).collect::<Vec<_>>(),
    })
}

pub async fn json(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let x = s.app.subject_access(&c.ctx(), pid).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"registerutdrag-{pid}.json\""),
        )],
        Json(to_json(&x)),
    )
        .into_response())
}
