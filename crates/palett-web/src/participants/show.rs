use crate::consents::ConsentLine;
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{date_text, local_time, render};
use askama::Template;
use axum::extract::State;
use palett_domain::lifecycle::{Status, TransitionKind};
use palett_domain::model::Participant;

pub(crate) fn profile_rows(
    t: Tr,
    p: &Participant,
    projects: &[palett_app::participants::ProjectTaken],
) -> Vec<(String, String)> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
    let identity = match (&p.identity_number, p.identity_kind) {
        (Some(n), _) if n.len() == 12 => format!("{}-{}", &n[..8], &n[8..]),
        _ => t.get(&p.identity_kind.message_id()),
    };
    let mut rows = vec![
        (t.get("field-identity-number"), identity),
        (t.get("field-birth-date"), p.birth_date.to_string()),
        (t.get("field-gender"), t.get(&p.gender.message_id())),
        (t.get("field-country-of-birth"), opt(&p.country_of_birth)),
        (
            t.get("field-arrival-year"),
            p.arrival_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "–".into()),
        ),
        (
            t.get("field-languages"),
            if p.languages.is_empty() {
                "–".into()
            } else {
                p.languages.join(", ")
            },
        ),
        (
            t.get("field-interpreter-needed"),
            t.get(if p.interpreter_needed { "yes" } else { "no" }),
        ),
        (t.get("field-phone"), opt(&p.phone)),
        (t.get("field-email"), opt(&p.email)),
        (t.get("field-address"), opt(&p.address)),
        (
            t.get("field-education-level"),
            t.get(&p.education_level.message_id()),
        ),
        (
            t.get("field-swedish-level"),
            t.get(&p.swedish_level.message_id()),
        ),
        (
            t.get("field-referral-source"),
            t.get(&p.referral_source.message_id()),
        ),
        (
            t.get("field-responsible-organisation"),
            p.responsible_organisation_name.clone(),
        ),
        (
            t.get("field-projects"),
            if projects.is_empty() {
                t.get("ordinary-operations")
            } else {
                projects
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (t.get("field-referred-on"), p.state.referred_on.to_string()),
        (t.get("field-intake-date"), date_text(p.state.intake_date)),
        (t.get("field-exit-date"), date_text(p.state.exit_date)),
        (
            t.get("field-exit-outcome"),
            p.state
                .exit_outcome
                .map(|o| t.get(&o.message_id()))
                .unwrap_or_default(),
        ),
    ];
    match &p.restricted {
        Some(r) => {
            rows.push((t.get("field-health-notes"), opt(&r.health_notes)));
            rows.push((t.get("field-support-needs"), opt(&r.support_needs)));
            rows.push((
                t.get("field-protected-identity"),
                t.get(if r.protected_identity { "yes" } else { "no" }),
            ));
        }
        None => rows.push((t.get("restricted-group"), t.get("restricted-hidden"))),
    }
    rows
}

pub async fn participant(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    let o = s.app.participant_overview(&c.ctx(), id).await?;
    let v = &o.view;
    let p = &v.participant;
    let mut actions = Vec::new();
    let mut serious = Vec::new();
    if v.may_hand_over {
        actions.push((
            format!("/participants/{id}/handover"),
            t.get("handover-title"),
        ));
    }
    if v.may_change {
        actions.push((format!("/participants/{id}/edit"), t.get("action-edit")));
        actions.push((
            format!("/participants/{id}/portal"),
            t.get("portal-staff-title"),
        ));
        for k in p.lifecycle().possible() {
            if *k == TransitionKind::Reopen && !v.may_reopen {
                continue;
            }
            let link = (
                format!("/participants/{id}/status/{}", k.as_str()),
                t.get(&format!("action-{}", k.as_str())),
            );
            // Ending her participation stands apart, with the other
            // serious actions.
            if *k == TransitionKind::Exit {
                serious.push(link);
            } else {
                actions.push(link);
            }
        }
    }
    let status_detail = match (p.state.status, p.state.exit_outcome) {
        (Status::Ended, Some(o)) => {
            let mut detail = vec![t.get(&o.message_id())];
            if let Some(to) = &v.exit_to {
                if let Some(name) = &to.employer_name {
                    detail.push(t.with("exit-to-employer", &[("employer", name.clone())]));
                }
                if let Some(title) = &to.placement_title {
                    detail.push(t.with("exit-via-placement", &[("placement", title.clone())]));
                }
                if let Some(school) = &to.school {
                    detail.push(t.with("exit-to-school", &[("school", school.clone())]));
                }
            }
            detail.join(" · ")
        }
        _ => String::new(),
    };
    let (enrolments, period, timeline) = (&o.enrolments, &o.period, o.timeline.clone());
    let consents = crate::consents::pages::lines(t, &o.consents, v.may_change);
    let plan_goals: Vec<(String, String)> = o
        .current_plan
        .as_ref()
        .map(|p| {
            p.goals
                .iter()
                .map(|g| {
                    let category = palett_domain::plan::GoalCategory::parse(&g.category)
                        .map(|c| t.get(&c.message_id()))
                        .unwrap_or_default();
                    (category, g.text.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let plan_versions = t.with(
        "plan-versions-count",
        &[("count", o.plan_versions.to_string())],
    );
    let mut path_links = vec![(format!("/participants/{id}/plan"), t.get("plan-title"))];
    if v.may_change {
        path_links.push((format!("/participants/{id}/enrolments/new"), t.get("enrol")));
        path_links.push((
            format!("/participants/{id}/activities/new"),
            t.get("activity-new"),
        ));
        path_links.push((format!("/participants/{id}/period"), t.get("period-change")));
    }
    path_links.push((format!("/participants/{id}/time"), t.get("time-summary")));
    if c.signed.actor.can_work_with_employers() && v.participant.state.exit_date.is_none() {
        path_links.push((
            format!("/participants/{id}/openings"),
            t.get("her-openings-title"),
        ));
    }
    if c.signed.actor.can_refer() {
        path_links.push((
            format!("/participants/{id}/referrals"),
            t.get("referrals-of-her"),
        ));
    }
    path_links.push((
        format!("/participants/{id}/self-assessments"),
        t.get("self-assessments"),
    ));
    path_links.push((
        format!("/participants/{id}/questionnaires"),
        t.get("questionnaires-hers"),
    ));
    if v.participant.state.exit_date.is_some() {
        path_links.push((
            format!("/participants/{id}/follow-ups"),
            t.get("follow-ups"),
        ));
    }
    if v.may_change {
        path_links.push((format!("/participants/{id}/export"), t.get("export-link")));
        path_links.push((
            format!("/participants/{id}/export.pdf"),
            t.get("export-pdf-link"),
        ));
    }
    let dash = || "–".to_string();
    let period_rows = vec![
        (t.get("field-intake-date"), date_text(period.intake)),
        (
            t.get("field-planned-end"),
            period
                .planned_end
                .map(|d| d.to_string())
                .unwrap_or_else(dash),
        ),
        (t.get("period-net-days"), period.net_days.to_string()),
        (t.get("period-paused-days"), period.paused_days.to_string()),
        (
            t.get("period-remaining-days"),
            match period.remaining_days {
                Some(d) if d < 0 => t.with("period-overdue", &[("days", (-d).to_string())]),
                Some(d) => d.to_string(),
                None => dash(),
            },
        ),
    ];
    let notes = o
        .notes
        .iter()
        .map(|n| {
            (
                local_time(n.created_at),
                n.author.clone(),
                n.organisation.clone(),
                t.get(&format!("note-{}", n.visibility.replace('_', "-"))),
                n.body.clone(),
            )
        })
        .collect();
    Ok(render(ParticipantPage {
        restriction: v.participant.processing_restricted.clone(),
        restriction_action: v
            .may_change
            .then(|| format!("/participants/{id}/restriction")),
        archive_hold: v.participant.archive_hold,
        archive_hold_action: v
            .may_change
            .then(|| format!("/participants/{id}/archive-hold")),
        notes,
        note_action: c
            .signed
            .actor
            .can_add_note(v.relation)
            .then(|| format!("/participants/{id}/notes")),
        consents,
        consent_new: v
            .may_change
            .then(|| format!("/participants/{id}/consents/new")),
        plan_goals,
        plan_versions,
        path_links,
        period: period_rows,
        enrolments: enrolments
            .iter()
            .map(|e| EnrolmentLine {
                intervention: e.intervention_name.clone(),
                href: format!("/palette/{}", e.intervention_id),
                status: t.get(&e.status.message_id()),
                group: e.group_name.clone().unwrap_or_default(),
                dates: format!("{} – {}", date_text(e.start_date), date_text(e.end_date)),
                // Whoever may change her record, or runs the intervention.
                change: (!e.status.next().is_empty()
                    && (v.may_change
                        || c.signed
                            .actor
                            .can_run_intervention(e.provider_organisation_id)))
                .then(|| format!("/enrolments/{}/status", e.id)),
            })
            .collect(),
        timeline: timeline
            .into_iter()
            .map(|i| {
                let text = match &i.change {
                    Some((before, after)) => {
                        format!("{}: {} → {}", i.text, t.get(before), t.get(after))
                    }
                    None => i.text,
                };
                (i.on.to_string(), t.get(&i.kind), text)
            })
            .collect(),
        t,
        layout: Layout::for_caller(
            &c,
            p.full_name(),
            "participants",
            &format!("/participants/{id}"),
        ),
        status: t.get(&p.state.status.message_id()),
        status_detail,
        actions,
        serious,
        profile: profile_rows(t, p, &v.projects),
        summary: super::summary::summary(t, &o, !c.signed.actor.in_scope(v.relation)),
        open: super::summary::open_section(c.visitor.done.as_deref()),
        history: history_rows(t, v),
    }))
}

/// Her status history and the moves of the responsibility for her, in the
/// order they were recorded.
pub(crate) fn history_rows(
    t: Tr,
    v: &palett_app::participants::ParticipantView,
) -> Vec<HistoryRow> {
    let mut rows: Vec<(jiff::Timestamp, HistoryRow)> = v
        .history
        .iter()
        .map(|h| {
            (
                h.at,
                HistoryRow {
                    on: h.on_date.to_string(),
                    kind: t.get(&h.kind.message_id()),
                    status: t.get(&h.to_status.message_id()),
                    reason: h
                        .reason
                        .clone()
                        .or(h.exit_outcome.map(|o| t.get(&o.message_id())))
                        .unwrap_or_default(),
                    actor: h.actor_name.clone(),
                },
            )
        })
        .collect();
    rows.extend(v.handovers.iter().map(|h| {
        (
            h.at,
            HistoryRow {
                on: h.on_date.to_string(),
                kind: t.with(
                    "handover-event",
                    &[
                        ("from", h.from_organisation_name.clone()),
                        ("to", h.to_organisation_name.clone()),
                    ],
                ),
                status: String::new(),
                reason: h.reason.clone(),
                actor: h.actor_name.clone(),
            },
        )
    }));
    // Stable: rows recorded in the same second keep their kind's order.
    rows.sort_by_key(|(at, _)| *at);
    rows.into_iter().map(|(_, r)| r).collect()
}

pub struct HistoryRow {
    pub on: String,
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub actor: String,
}

#[derive(Template)]
#[template(path = "participant.html")]
pub struct ParticipantPage {
    pub t: Tr,
    pub layout: Layout,
    pub status: String,
    pub status_detail: String,
    pub actions: Vec<(String, String)>,
    /// Serious actions (ending her participation), apart from the rest.
    pub serious: Vec<(String, String)>,
    pub profile: Vec<(String, String)>,
    /// Status aside, what the top of her record sums up.
    pub summary: super::summary::Summary,
    /// The folded section to show open ("notes", "consents", "path"), or "".
    pub open: &'static str,
    pub history: Vec<HistoryRow>,
    pub path_links: Vec<(String, String)>,
    pub consents: Vec<ConsentLine>,
    /// (when, author, organisation, visibility, text)
    pub notes: Vec<(String, String, String, String, String)>,
    /// Where to post a new note, when she may write one.
    pub note_action: Option<String>,
    /// Processing restricted: the reason.
    pub restriction: Option<String>,
    /// Where to post a restriction or its lifting, when she may.
    pub restriction_action: Option<String>,
    /// Kept under an archive rule; where to post the change, when she may.
    pub archive_hold: bool,
    pub archive_hold_action: Option<String>,
    pub consent_new: Option<String>,
    /// The current plan's goals: (area, her words).
    pub plan_goals: Vec<(String, String)>,
    pub plan_versions: String,
    pub period: Vec<(String, String)>,
    pub enrolments: Vec<EnrolmentLine>,
    /// (date, kind, text), oldest first.
    pub timeline: Vec<(String, String, String)>,
}

pub struct EnrolmentLine {
    pub intervention: String,
    pub href: String,
    pub status: String,
    pub group: String,
    pub dates: String,
    pub change: Option<String>,
}
