//! The summary at the top of her record: status, next step, what is left
//! of her participation period, how to reach her, who is responsible for
//! her, and what to watch out for.

use crate::i18n::Tr;
use palett_app::palette::ParticipantOverview;

/// The summary's texts, ready for the template.
pub struct Summary {
    /// Her next session and when her plan is due for review.
    pub next_steps: Vec<String>,
    /// Days left of her planned period, or by how many it has passed.
    pub period: String,
    /// Her phone and e-mail, those recorded.
    pub contact: Vec<String>,
    pub organisation: String,
    /// Her caseworkers: (name, organisation).
    pub staff: Vec<(String, String)>,
    /// Restriction of processing, emergency access, consents expiring soon,
    /// her planned period passed.
    pub warnings: Vec<String>,
}

/// The summary of `o` as `t` words it; `emergency` when the record is read
/// through an emergency access.
pub fn summary(t: Tr, o: &ParticipantOverview, emergency: bool) -> Summary {
    let p = &o.view.participant;
    let s = &o.summary;
    let mut next_steps = Vec::new();
    match &s.next_session {
        Some(n) => next_steps.push(t.with(
            "summary-next-session",
            &[
                ("date", n.on.clone()),
                ("time", n.start.clone()),
                ("intervention", n.intervention.clone()),
                ("group", n.group.clone()),
            ],
        )),
        None => next_steps.push(t.get("summary-no-session")),
    }
    match s.plan_review_due {
        Some(due) if due < s.today => {
            next_steps.push(t.with("summary-plan-review-overdue", &[("date", due.to_string())]))
        }
        Some(due) => {
            next_steps.push(t.with("summary-plan-review-due", &[("date", due.to_string())]))
        }
        None => next_steps.push(t.get("plan-none")),
    }
    let ended = p.state.exit_date;
    let passed = match (ended, o.period.remaining_days) {
        (None, Some(d)) if d < 0 => Some(-d),
        _ => None,
    };
    let end = || {
        o.period
            .planned_end
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let period = match (ended, o.period.remaining_days) {
        (Some(on), _) => t.with("summary-period-ended", &[("date", on.to_string())]),
        (None, Some(d)) if d < 0 => t.with(
            "summary-period-passed",
            &[("days", (-d).to_string()), ("end", end())],
        ),
        (None, Some(d)) => t.with(
            "summary-period-left",
            &[("days", d.to_string()), ("end", end())],
        ),
        (None, None) => t.get("summary-period-none"),
    };
    let contact: Vec<String> = [&p.phone, &p.email]
        .into_iter()
        .flatten()
        .filter(|v| !v.trim().is_empty())
        .cloned()
        .collect();
    let mut warnings = Vec::new();
    if let Some(reason) = &p.processing_restricted {
        warnings.push(format!("{} {reason}", t.get("restriction-banner")));
    }
    if emergency {
        warnings.push(t.get("emergency-banner"));
    }
    for (kind, on) in &s.consents_expiring {
        warnings.push(t.with(
            "summary-consent-expiring",
            &[
                ("kind", t.get(&kind.message_id())),
                ("date", on.to_string()),
            ],
        ));
    }
    if let Some(days) = passed {
        warnings.push(t.with(
            "summary-warning-period-passed",
            &[("days", days.to_string())],
        ));
    }
    Summary {
        next_steps,
        period,
        contact,
        organisation: p.responsible_organisation_name.clone(),
        staff: o
            .view
            .caseworkers
            .iter()
            .map(|c| (c.name.clone(), c.organisation.clone()))
            .collect(),
        warnings,
    }
}

/// The folded section of her record to show open, from what was just
/// saved (`?done=`): a note lands on the notes, a consent on the consents,
/// an enrolment or activity on her individual path.
pub fn open_section(done: Option<&str>) -> &'static str {
    match done {
        Some("note") => "notes",
        Some("consent" | "consent-withdrawn") => "consents",
        Some("enrolment" | "activity") => "path",
        _ => "",
    }
}
