use super::dto::SubjectAccessDto;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::{Cell, Layout, Table, TablePage};
use crate::ui::{date_text, local_time, render};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use palett_app::palette::hours_text;

pub(crate) fn rows(items: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<Cell>> {
    items
        .into_iter()
        .map(|r| r.into_iter().map(Cell::text).collect())
        .collect()
}

/// One part of the extract: a table under the message `heading`, its
/// columns headed by the messages `head`, one row of texts an item.
fn section(
    t: Tr,
    heading: &str,
    head: &[&str],
    items: impl IntoIterator<Item = Vec<String>>,
) -> Table {
    Table::headed(t, heading, head, rows(items))
}

pub async fn page(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let t = c.tr();
    let x = s.app.subject_access(&c.ctx(), pid).await?;
    let title = t.with("export-title", &[("name", x.participant.full_name())]);
    let mut page = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            title,
            "participants",
            &format!("/participants/{pid}/export"),
        ),
    );
    page.intro = Some(t.with("export-intro", &[("when", local_time(x.generated_at))]));
    page.links.push((
        format!("/participants/{pid}/export.pdf"),
        t.get("export-pdf"),
    ));
    page.links.push((
        format!("/api/v1/participants/{pid}/export"),
        t.get("export-json"),
    ));
    page.tables = tables(t, &x);
    Ok(render(page))
}

/// The same extract as a tagged PDF in the reader's language, with its
/// fonts embedded: the page's tables under their headings, written as her
/// data in the portal is (same use case, so the same access and audit as
/// the page and the JSON).
pub async fn pdf(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    use crate::document::tagged::{write, Block, Spec};
    let t = c.tr();
    let x = s.app.subject_access(&c.ctx(), pid).await?;
    let title = t.with("export-title", &[("name", x.participant.full_name())]);
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Para(t.with("export-intro", &[("when", local_time(x.generated_at))])),
    ];
    for table in tables(t, &x) {
        blocks.push(Block::Heading(table.heading.unwrap_or_default()));
        if table.rows.is_empty() {
            blocks.push(Block::Para(t.get("nothing-here")));
            continue;
        }
        blocks.push(Block::Table {
            head: table.head,
            rows: table
                .rows
                .into_iter()
                .map(|r| r.into_iter().map(|cell| cell.text).collect())
                .collect(),
        });
    }
    let footer = |n: usize, of: usize| {
        t.with(
            "report-page",
            &[("n", n.to_string()), ("of", of.to_string())],
        )
    };
    let pdf = write(&Spec {
        title,
        lang: t.lang.html_lang(),
        rtl: false,
        blocks,
        footer: &footer,
    });
    crate::ui::pdf_download(pdf, &format!("registerutdrag-{pid}.pdf"))
}

/// The extract's sections, each a table under its heading, in the
/// reader's language: profile, status history, consents, plans,
/// enrolments, attendance, activities, follow-ups, self-assessments,
/// proposals, placements, notes, earlier profile versions and the log of
/// who read or changed her record.
fn tables(t: Tr, x: &palett_app::export::SubjectAccess) -> Vec<Table> {
    let p = &x.participant;
    let mut tables = Vec::new();
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    tables.push(section(
        t,
        "profile",
        &["field-what", "field-value"],
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
    ));
    tables.push(section(
        t,
        "status-history",
        &[
            "field-date",
            "event",
            "field-status",
            "field-reason",
            "by-whom",
        ],
        x.history.iter().map(|h| {
            vec![
                h.on_date.to_string(),
                t.get(&h.kind.message_id()),
                t.get(&h.to_status.message_id()),
                h.reason.clone().unwrap_or_default(),
                h.actor_name.clone(),
            ]
        }),
    ));
    tables.push(section(
        t,
        "consents",
        &[
            "field-consent-kind",
            "field-consent-organisations",
            "field-given-on",
            "field-consent-method",
            "field-expires-on",
            "consent-withdrawn",
        ],
        x.consents.iter().map(|k| {
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
                k.withdrawn_at.map(local_time).unwrap_or_default(),
            ]
        }),
    ));
    tables.push(section(
        t,
        "plan-title",
        &["plan-history", "plan-goals", "plan-steps"],
        x.plans.iter().map(|(v, plan)| {
            vec![
                format!(
                    "v{} {} {}",
                    v.version,
                    local_time(v.created_at),
                    v.author_name
                ),
                plan.goals
                    .iter()
                    .map(|g| g.text.clone())
                    .collect::<Vec<_>>()
                    .join(" · "),
                plan.steps.len().to_string(),
            ]
        }),
    ));
    tables.push(section(
        t,
        "enrolments",
        &[
            "field-intervention",
            "field-status",
            "field-start-date",
            "field-end-date",
        ],
        x.enrolments.iter().map(|e| {
            vec![
                e.intervention_name.clone(),
                t.get(&e.status.message_id()),
                date_text(e.start_date),
                date_text(e.end_date),
            ]
        }),
    ));
    tables.push(section(
        t,
        "attendance-title",
        &[
            "field-date",
            "field-intervention",
            "field-group",
            "field-status",
            "field-hours",
        ],
        x.attendance.iter().map(|a| {
            vec![
                a.on_date.to_string(),
                a.intervention.clone(),
                a.group.clone(),
                t.get(&a.status.message_id()),
                hours_text(a.minutes),
            ]
        }),
    ));
    tables.push(section(
        t,
        "activities",
        &[
            "field-date",
            "field-intervention",
            "field-hours",
            "field-note",
        ],
        x.activities.iter().map(|a| {
            vec![
                a.on_date.to_string(),
                a.intervention.clone(),
                hours_text(a.minutes),
                a.note.clone().unwrap_or_default(),
            ]
        }),
    ));
    tables.push(Table {
        heading: Some(t.get("follow-ups")),
        head: crate::followups::follow_ups::head(t),
        rows: rows(
            x.follow_ups
                .iter()
                .map(|f| crate::followups::follow_ups::cells(t, f)),
        ),
    });
    tables.push(crate::followups::self_assessments::table(
        t,
        Some(t.get("self-assessments")),
        &x.self_assessments,
    ));
    tables.push(section(
        t,
        "export-proposals",
        &[
            "opening-title",
            "field-employer",
            "field-status",
            "export-proposal-steps",
        ],
        x.proposals.iter().map(|(p, steps)| {
            vec![
                p.opening_title.clone(),
                p.employer_name.clone(),
                t.get(&p.stage.message_id()),
                steps
                    .iter()
                    .map(|st| format!("{} {}", t.get(&st.stage.message_id()), st.on))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        }),
    ));
    tables.push(section(
        t,
        "placements",
        &[
            "field-employer",
            "field-intervention",
            "field-period",
            "field-hours",
            "placement-result",
        ],
        x.placements.iter().map(|(p, _)| {
            vec![
                p.employer_name.clone(),
                p.intervention_name.clone(),
                format!("{} – {}", p.start_date, p.end_date),
                hours_text(p.minutes_recorded),
                p.result
                    .map(|r| t.get(&r.message_id()))
                    .unwrap_or_else(|| "–".into()),
            ]
        }),
    ));
    tables.push(section(
        t,
        "notes",
        &[
            "field-when",
            "field-user",
            "field-organisation",
            "field-visibility",
            "field-note",
        ],
        x.notes.iter().map(|n| {
            vec![
                local_time(n.created_at),
                n.author.clone(),
                n.organisation.clone(),
                t.get(&format!("note-{}", n.visibility.replace('_', "-"))),
                n.body.clone(),
            ]
        }),
    ));
    tables.push(section(
        t,
        "profile-versions",
        &["field-when", "by-whom", "profile"],
        x.profile_versions.iter().map(|v| {
            vec![
                local_time(v.changed_at),
                v.changed_by.clone(),
                v.profile.clone(),
            ]
        }),
    ));
    tables.push(section(
        t,
        "export-log",
        &[
            "field-when",
            "field-user",
            "field-organisation",
            "field-action",
        ],
        x.log.iter().map(|e| {
            vec![
                local_time(e.at),
                e.user_name.clone().unwrap_or_default(),
                e.organisation_name.clone().unwrap_or_default(),
                crate::audit::words::action_text(t, &e.action),
            ]
        }),
    ));
    tables
}

/// Subject access export (registerutdrag, GDPR art. 15)
///
/// Everything held about the participant, her consents and the log of who
/// read her record (audited).
#[utoipa::path(get, path = "/participants/{id}/export", tag = "data protection",
    responses((status = 200, body = SubjectAccessDto, headers(("content-disposition" = String, description = "attachment; filename=\"registerutdrag-{id}.json\"")))))]
pub async fn json(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let x = s.app.subject_access(&c.ctx(), pid).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"registerutdrag-{pid}.json\""),
        )],
        Json(SubjectAccessDto::from(&x)),
    )
        .into_response())
}
