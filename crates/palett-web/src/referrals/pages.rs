//! The referrals' pages: the partner's incoming and outgoing referrals,
//! one referral with its steps, her referrals, and the partners' routines.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::views::*;
use crate::ui::{options, or_dash, render};
use axum::extract::{Query, State};
use palett_app::paging::Page;
use palett_app::referrals::{self, Side};
use palett_domain::indicators::Month;
use palett_domain::referral::{Referral, ReferralReached, ReferralState};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    /// `incoming` (the default) or `outgoing`.
    pub(crate) side: Option<String>,
    /// A state, `waiting` (not yet answered), `stale` (waiting past the
    /// answer time), `news` (answered within the last two weeks), or empty
    /// for all.
    pub(crate) state: Option<String>,
    /// An organisation: only those with it on the other side.
    pub(crate) partner: Option<String>,
    /// `YYYY-MM`: only those sent that month (the report's drill-down).
    pub(crate) month: Option<String>,
    /// `answered`, `accepted` or `started`: only those that came that far.
    pub(crate) reached: Option<String>,
    pub(crate) page: Option<String>,
}

/// Where the referral stands: its state, and a warning when it waits past
/// its answer time.
pub(crate) fn state_text(t: Tr, r: &Referral, stale: bool) -> String {
    let state = t.get(&r.state.message_id());
    if stale {
        format!(
            "{state} · {}",
            t.with("referral-stale-since", &[("date", r.due_on.to_string())])
        )
    } else {
        state
    }
}

/// The other side of a referral seen from `side`: who sent it, or whom it
/// went to.
fn counterpart(t: Tr, r: &Referral, side: Side) -> String {
    match side {
        Side::Incoming => r
            .from_name
            .clone()
            .unwrap_or_else(|| t.get(&r.source.message_id())),
        Side::Outgoing => r.to_name.clone(),
    }
}

pub(crate) fn rows(t: Tr, list: &[(Referral, bool)], side: Side) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|(r, stale)| {
            vec![
                Cell::link(r.participant_name.clone(), format!("/referrals/{}", r.id)),
                Cell::text(counterpart(t, r, side)),
                Cell::text(t.get(&r.purpose.message_id())),
                Cell::text(r.sent_on.to_string()),
                Cell::text(r.due_on.to_string()),
                Cell::text(state_text(t, r, *stale)),
            ]
        })
        .collect()
}

pub async fn referrals(State(s): State<AppState>, c: Caller, Query(q): Query<ListQuery>) -> Answer {
    let t = c.tr();
    let mut filter = referrals::filter_of(q.side.as_deref(), q.state.as_deref(), s.app.today());
    filter.partner = id_of(&q.partner);
    // Words of the report's drill-down that do not parse narrow nothing.
    let drill = referrals::narrow_to_report(&mut filter, q.month.as_deref(), q.reached.as_deref());
    let page = Page::new(id_of(&q.page), Some(25));
    let list = s.app.referrals(&c.ctx(), &filter, page).await?;
    let mut partners = vec![(String::new(), t.get("referrals-any-partner"))];
    partners.extend(
        s.app
            .referral_routines(&c.ctx())
            .await?
            .into_iter()
            .filter(|r| r.organisation_id != c.signed.actor.organisation_id)
            .map(|r| (r.organisation_id.to_string(), r.organisation_name)),
    );
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-referrals"), "referrals", "/referrals"),
    );
    p.intro = Some(t.get("referrals-intro"));
    if let (Ok(()), Some((first, _))) = (drill, filter.sent_within) {
        let reached = filter
            .reached
            .map(|r| t.get(&r.message_id()))
            .unwrap_or_else(|| t.get("referral-reached-sent"));
        p.blocks.push(Block::Text(t.with(
            "referrals-from-report",
            &[
                ("month", first.strftime("%Y-%m").to_string()),
                ("reached", reached),
            ],
        )));
    }
    p.links
        .push(("/referral-routines".into(), t.get("referral-routines")));
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let mut states = vec![
        (String::new(), t.get("referrals-any-state")),
        ("waiting".to_string(), t.get("referrals-waiting")),
        ("stale".to_string(), t.get("referrals-stale")),
        ("news".to_string(), t.get("referrals-news")),
    ];
    states.extend(options(
        t,
        ReferralState::ALL,
        ReferralState::as_str,
        ReferralState::message_id,
    ));
    let side_value = match filter.side {
        Side::Incoming => "incoming",
        Side::Outgoing => "outgoing",
    };
    p.filter = Some(FilterForm {
        action: "/referrals".into(),
        fields: Vec::new(),
        selects: vec![
            FilterSelect {
                name: "side".into(),
                label: t.get("referrals-side"),
                options: vec![
                    ("incoming".into(), t.get("referrals-incoming")),
                    ("outgoing".into(), t.get("referrals-outgoing")),
                ],
                value: side_value.into(),
            },
            FilterSelect {
                name: "state".into(),
                label: t.get("referral-state"),
                options: states,
                value: v(&q.state),
            },
            FilterSelect {
                name: "partner".into(),
                label: t.get("referrals-partner"),
                options: partners,
                value: filter.partner.map(|p| p.to_string()).unwrap_or_default(),
            },
        ],
    });
    let head = [
        "field-participant",
        match filter.side {
            Side::Incoming => "referral-from",
            Side::Outgoing => "referral-to",
        },
        "referral-purpose",
        "referral-sent-on",
        "referral-due-on",
        "referral-state",
    ];
    p.tables.push(Table {
        heading: Some(t.with("referrals-count", &[("count", list.total.to_string())])),
        head: head.iter().map(|id| t.get(id)).collect(),
        rows: rows(t, &list.items, filter.side),
    });
    p.pager = Pager::new(
        t,
        "/referrals",
        &[
            ("side", side_value.to_string()),
            ("state", v(&q.state)),
            (
                "partner",
                filter.partner.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("month", v(&q.month)),
            ("reached", v(&q.reached)),
        ],
        page.number,
        page.count(list.total),
    );
    Ok(render(p))
}

#[derive(serde::Deserialize, Default)]
pub struct ReferralQuery {
    /// What was just done, to confirm it (a fixed word, never data).
    pub(crate) done: Option<String>,
}

/// The confirmations a change redirects with (`?done=`).
pub(crate) const DONE: &[&str] = &["sent", "step", "forwarded"];

pub async fn referral(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<ReferralQuery>,
) -> Answer {
    let t = c.tr();
    let v = s.app.referral(&c.ctx(), id).await?;
    let r = &v.referral;
    let mut page = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.with("referral-title", &[("name", r.participant_name.clone())]),
            "referrals",
            &format!("/referrals/{id}"),
        ),
    );
    if let Some(d) = q.done.as_deref().filter(|d| DONE.contains(d)) {
        page.blocks
            .push(Block::Text(t.get(&format!("referral-done-{d}"))));
    }
    if v.stale {
        page.blocks.push(Block::Alert(
            t.with("referral-stale-since", &[("date", r.due_on.to_string())]),
        ));
    }
    if v.may_answer && !r.state.is_final() {
        page.links
            .push((format!("/referrals/{id}/step"), t.get("referral-next-step")));
    }
    let row = |label: &str, value: String| vec![Cell::text(t.get(label)), Cell::text(value)];
    let mut facts = vec![
        vec![
            Cell::text(t.get("field-participant")),
            Cell::link(
                r.participant_name.clone(),
                format!("/participants/{}", r.participant_id),
            ),
        ],
        row(
            "referral-from",
            match &r.from_name {
                Some(name) => name.clone(),
                None => t.get(&r.source.message_id()),
            },
        ),
        row("referral-to", r.to_name.clone()),
        row("referral-contact", or_dash(v.to_contact.as_deref())),
        row("referral-purpose", t.get(&r.purpose.message_id())),
        row(
            "field-intervention",
            or_dash(r.intervention_name.as_deref()),
        ),
        row("referral-reason", r.reason.clone()),
        row("referral-asked", r.asked.clone()),
        row("referral-sent-on", r.sent_on.to_string()),
        row("referral-due-on", r.due_on.to_string()),
        row("referral-state", state_text(t, r, v.stale)),
        row("referral-sent-by", or_dash(Some(&r.created_by))),
    ];
    if let (Some(to), Some(name)) = (r.forwarded_to, &r.forwarded_to_name) {
        facts.push(row(
            "referral-forwarded-to",
            t.with(
                "referral-forwarded-as",
                &[("name", name.clone()), ("id", to.to_string())],
            ),
        ));
    }
    if let Some(from) = r.forwarded_from {
        facts.push(vec![
            Cell::text(t.get("referral-forwarded-from")),
            Cell::link(format!("#{from}"), format!("/referrals/{from}")),
        ]);
    }
    if let Some(e) = r.enrolment_id {
        facts.push(vec![
            Cell::text(t.get("referral-enrolment")),
            Cell::link(
                t.with("referral-enrolment-of", &[("id", e.to_string())]),
                format!("/participants/{}", r.participant_id),
            ),
        ]);
    }
    page.tables.push(Table {
        heading: None,
        head: vec![t.get("field-what"), t.get("field-value")],
        rows: facts,
    });
    if !v.notes.is_empty() {
        let tz = palett_app::clock::stockholm();
        page.tables.push(Table::headed(
            t,
            "referral-notes",
            &["field-date", "field-organisation", "field-note"],
            v.notes
                .iter()
                .map(|n| {
                    vec![
                        Cell::text(n.created_at.to_zoned(tz.clone()).date().to_string()),
                        Cell::text(n.organisation.clone()),
                        Cell::text(n.body.clone()),
                    ]
                })
                .collect(),
        ));
    }
    page.tables.push(Table::headed(
        t,
        "referral-steps",
        &[
            "referral-state",
            "field-date",
            "field-reason",
            "field-note",
            "referral-step-by",
        ],
        v.events
            .iter()
            .map(|e| {
                vec![
                    Cell::text(t.get(&e.state.message_id())),
                    Cell::text(e.on.to_string()),
                    Cell::text(
                        e.reason
                            .map(|x| t.get(&x.message_id()))
                            .unwrap_or_else(|| "–".into()),
                    ),
                    Cell::text(or_dash(e.note.as_deref())),
                    Cell::text(or_dash(e.by.as_deref())),
                ]
            })
            .collect(),
    ));
    Ok(render(page))
}

/// Her referrals, both ways, with a link to refer her.
pub async fn of_participant(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let t = c.tr();
    let hers = s.app.participant_referrals(&c.ctx(), pid).await?;
    let list = hers.items;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("referrals-of-her"),
            "participants",
            &format!("/participants/{pid}/referrals"),
        ),
    );
    if hers.may_refer {
        p.links.push((
            format!("/participants/{pid}/referrals/new"),
            t.get("referral-new"),
        ));
    }
    p.links
        .push((format!("/participants/{pid}"), t.get("back-to-participant")));
    p.tables.push(Table::headed(
        t,
        "referrals-of-her",
        &[
            "referral-from",
            "referral-to",
            "referral-purpose",
            "referral-sent-on",
            "referral-state",
        ],
        list.iter()
            .map(|(r, stale)| {
                vec![
                    Cell::link(
                        r.from_name
                            .clone()
                            .unwrap_or_else(|| t.get(&r.source.message_id())),
                        format!("/referrals/{}", r.id),
                    ),
                    Cell::text(r.to_name.clone()),
                    Cell::text(t.get(&r.purpose.message_id())),
                    Cell::text(r.sent_on.to_string()),
                    Cell::text(state_text(t, r, *stale)),
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

/// Every partner's agreed routine, with a link to change one's own.
pub async fn routines(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    let list = s.app.referral_routines(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("referral-routines"),
            "referrals",
            "/referral-routines",
        ),
    );
    p.intro = Some(t.get("referral-routines-intro"));
    let actor = &c.signed.actor;
    p.tables.push(Table::headed(
        t,
        "referral-routines",
        &[
            "field-organisation",
            "referral-answer-days",
            "referral-contact",
            "referral-routine-change",
        ],
        list.iter()
            .map(|r| {
                vec![
                    Cell::text(r.organisation_name.clone()),
                    Cell::text(if r.agreed {
                        r.answer_days.to_string()
                    } else {
                        t.with(
                            "referral-answer-days-default",
                            &[("days", r.answer_days.to_string())],
                        )
                    }),
                    Cell::text(or_dash(r.contact.as_deref())),
                    if actor.can_set_referral_routine(r.organisation_id) {
                        Cell::link(
                            t.get("referral-routine-edit"),
                            format!("/organisations/{}/referral-routine", r.organisation_id),
                        )
                    } else {
                        Cell::text("–")
                    },
                ]
            })
            .collect(),
    ));
    Ok(render(p))
}

#[derive(serde::Deserialize, Default)]
pub struct ReportQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

/// The period a report query asks for: every referral sent up to today
/// when none is given.
pub(crate) fn report_period(
    q: &ReportQuery,
    today: jiff::civil::Date,
) -> Result<(jiff::civil::Date, jiff::civil::Date), (String, &'static str)> {
    Ok(
        match crate::ui::period_query(("from", &q.from), ("to", &q.to))? {
            Some(p) => (p.start, p.end),
            None => (jiff::civil::date(2000, 1, 1), today),
        },
    )
}

/// A share or a median as the page shows it.
fn figure(t: Tr, v: Option<f64>, percent: bool) -> String {
    match v {
        None => "–".into(),
        Some(v) if percent => t.percent_exact(v),
        Some(v) => t.decimal(v),
    }
}

/// Referrals per receiving partner and month: how many were sent,
/// answered and accepted, the acceptance rate, the median working days to
/// an answer and to a start, and the share that led to an enrolment.
pub async fn report(State(s): State<AppState>, c: Caller, Query(q): Query<ReportQuery>) -> Answer {
    let t = c.tr();
    // A period that does not parse: the page again with her values and
    // what is wrong with them, and no figures.
    let (period, problem) = match report_period(&q, s.app.today()) {
        Ok(p) => (Some(p), None),
        Err((field, code)) => (None, Some((field, code))),
    };
    let rows = match period {
        Some(p) => s.app.referral_report(&c.ctx(), p).await?,
        None => Vec::new(),
    };
    let actor = &c.signed.actor;
    let own = actor.organisation_id;
    let sees_referrals = actor.can_see_referral(Some(own), own);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("referral-report"),
            "reports",
            "/reports/referrals",
        ),
    );
    if let Some((from, to)) = period {
        p.intro = Some(t.with(
            "referral-report-intro",
            &[("from", from.to_string()), ("to", to.to_string())],
        ));
    }
    if let Some((field, code)) = &problem {
        let label = t.get(if field == "from" {
            "field-from"
        } else {
            "field-to"
        });
        p.blocks
            .push(Block::Errors(vec![format!("{label}: {}", t.get(code))]));
    }
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    p.filter = Some(FilterForm {
        action: "/reports/referrals".into(),
        fields: vec![
            (
                "from".into(),
                t.get("field-from"),
                "date".into(),
                v(&q.from),
            ),
            ("to".into(), t.get("field-to"), "date".into(), v(&q.to)),
        ],
        selects: Vec::new(),
    });
    if problem.is_none() {
        p.tables.push(Table::headed(
            t,
            "referral-report",
            &[
                "referral-to",
                "field-month",
                "referral-report-sent",
                "referral-report-answered",
                "referral-report-accepted",
                "referral-report-acceptance",
                "referral-report-days-to-answer",
                "referral-report-days-to-start",
                "referral-report-started",
            ],
            rows.iter()
                .map(|(name, r)| {
                    // A figure opens the referrals behind it, as far as
                    // the caller's partner sees them.
                    let figure_cell = |text: String, reached: Option<ReferralReached>| {
                        if !sees_referrals {
                            return Cell::text(text);
                        }
                        let words = referrals::report_words(
                            own,
                            r.to_organisation_id,
                            Month::of(r.month),
                            reached,
                        );
                        Cell::link(
                            text,
                            format!(
                                "/referrals?{}",
                                serde_urlencoded::to_string(&words).unwrap_or_default()
                            ),
                        )
                    };
                    vec![
                        Cell::text(name.clone()),
                        Cell::text(r.month.strftime("%Y-%m").to_string()),
                        figure_cell(r.sent.to_string(), None),
                        figure_cell(r.answered.to_string(), Some(ReferralReached::Answered)),
                        figure_cell(r.accepted.to_string(), Some(ReferralReached::Accepted)),
                        Cell::text(figure(t, r.acceptance_rate, true)),
                        Cell::text(figure(t, r.median_days_to_answer, false)),
                        Cell::text(figure(t, r.median_days_to_start, false)),
                        figure_cell(
                            figure(t, r.share_started, true),
                            Some(ReferralReached::Started),
                        ),
                    ]
                })
                .collect(),
        ));
    }
    if problem.is_some() {
        use axum::response::IntoResponse;
        return Ok((axum::http::StatusCode::BAD_REQUEST, render(p)).into_response());
    }
    Ok(render(p))
}
