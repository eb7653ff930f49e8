use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::ui::local_time;
use crate::ui::views::{Block, FormBlock, Input};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

/// The log review (loggkontroll): flags and a sample for a period, and the
/// reviewer's sign-off.
pub async fn log_review(
    State(s): State<AppState>,
    c: Caller,
    axum::extract::Query(q): axum::extract::Query<PeriodQuery>,
) -> Answer {
    use crate::ui::views::{Cell, Layout, Table, TablePage};
    let t = c.tr();
    let tz = palett_app::clock::stockholm();
    let today = s.app.today();
    let parse = |v: &Option<String>, default: jiff::civil::Date| {
        v.as_deref()
            .and_then(|d| palett_domain::values::parse_date(d).ok())
            .unwrap_or(default)
    };
    let from_day = parse(
        &q.from,
        today
            .checked_sub(jiff::Span::new().days(30))
            .unwrap_or(today),
    );
    let to_day = parse(&q.to, today);
    let secs = |d: jiff::civil::Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0)
    };
    let (from, to) = (
        secs(from_day),
        secs(
            to_day
                .checked_add(jiff::Span::new().days(1))
                .unwrap_or(to_day),
        ),
    );
    let r = palett_app::audit::log_review(&s.app, &c.ctx(), from, to, 20).await?;
    let entry_row = |e: &palett_app::filters::AuditEntry| {
        vec![
            Cell::text(local_time(e.at)),
            Cell::text(e.user_name.clone().unwrap_or_default()),
            Cell::text(e.organisation_name.clone().unwrap_or_default()),
            Cell::text(format!(
                "{} ({})",
                super::words::action_text(t, &e.action),
                e.action
            )),
            match e.participant_id {
                Some(id) => Cell::link(id.to_string(), format!("/audit?participant={id}")),
                None => Cell::text(""),
            },
        ]
    };
    let head = vec![
        t.get("field-when"),
        t.get("field-user"),
        t.get("field-organisation"),
        t.get("field-action"),
        t.get("field-participant-id"),
    ];
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("log-review"), "audit", "/audit/review"),
    );
    p.intro = Some(t.get("log-review-intro"));
    p.filter = Some(crate::ui::views::FilterForm {
        action: "/audit/review".into(),
        fields: vec![
            (
                "from".into(),
                t.get("field-from"),
                "date".into(),
                from_day.to_string(),
            ),
            (
                "to".into(),
                t.get("field-to"),
                "date".into(),
                to_day.to_string(),
            ),
        ],
        selects: Vec::new(),
    });
    let mut hidden = vec![
        ("from".to_string(), from.to_string()),
        ("to".to_string(), to.to_string()),
    ];
    hidden.extend(
        r.sample
            .iter()
            .map(|e| ("sample".to_string(), e.id.to_string())),
    );
    p.blocks.push(Block::Form(FormBlock {
        action: "/audit/review".into(),
        hidden,
        inputs: vec![Input {
            id: "review-note".into(),
            ..Input::new("note", t.get("log-review-note"), "textarea")
        }],
        submit: t.get("log-review-sign"),
        ..FormBlock::default()
    }));
    p.tables.push(Table {
        heading: Some(t.get("log-review-emergency")),
        head: head
            .iter()
            .cloned()
            .chain([t.get("field-reason")])
            .collect(),
        rows: r
            .emergency
            .iter()
            .map(|e| {
                let mut row = entry_row(&e.entry);
                row.push(Cell::text(e.reason.clone().unwrap_or_default()));
                row
            })
            .collect(),
    });
    p.tables.push(Table {
        heading: Some(t.with(
            "log-review-heavy",
            &[("limit", palett_app::audit::HEAVY_READS_PER_DAY.to_string())],
        )),
        head: vec![
            t.get("field-user"),
            t.get("field-date"),
            t.get("log-review-reads"),
        ],
        rows: r
            .heavy
            .iter()
            .map(|h| {
                let (uid, n) = (h.user_id, h.count);
                let d = jiff::Timestamp::from_second(h.day)
                    .map(|ts| ts.to_zoned(tz.clone()).date().to_string())
                    .unwrap_or_default();
                vec![
                    Cell::link(h.name.clone(), format!("/audit?user={uid}")),
                    Cell::text(d),
                    Cell::text(n.to_string()),
                ]
            })
            .collect(),
    });
    p.tables.push(Table {
        heading: Some(t.with(
            "log-review-refused",
            &[(
                "limit",
                palett_app::audit::REFUSALS_FLAGGED_PER_DAY.to_string(),
            )],
        )),
        head: vec![
            t.get("field-user"),
            t.get("field-date"),
            t.get("log-review-refusals"),
        ],
        rows: r
            .refused
            .iter()
            .map(|r| {
                let (uid, n) = (r.user_id, r.count);
                let d = jiff::Timestamp::from_second(r.day)
                    .map(|ts| ts.to_zoned(tz.clone()).date().to_string())
                    .unwrap_or_default();
                let count = if n >= palett_app::audit::REFUSALS_FLAGGED_PER_DAY {
                    t.with("log-review-refusals-flagged", &[("count", n.to_string())])
                } else {
                    n.to_string()
                };
                vec![
                    Cell::link(r.name.clone(), format!("/audit?user={uid}")),
                    Cell::text(d),
                    Cell::text(count),
                ]
            })
            .collect(),
    });
    p.tables.push(Table::headed(
        t,
        "log-review-access-grants",
        &[
            "field-when",
            "field-user",
            "field-roles",
            "role-requested-by",
            "role-approved-by",
        ],
        r.access_grants
            .iter()
            .map(|g| {
                vec![
                    Cell::text(
                        g.decided_at
                            .and_then(|s| jiff::Timestamp::from_second(s).ok())
                            .map(local_time)
                            .unwrap_or_default(),
                    ),
                    Cell::link(g.user_name.clone(), format!("/audit?user={}", g.user_id)),
                    Cell::text(t.get(&g.role.message_id())),
                    Cell::text(g.requested_by_name.clone()),
                    Cell::text(g.decided_by_name.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    ));
    p.tables.push(Table {
        heading: Some(t.get("log-review-sample")),
        head,
        rows: r.sample.iter().map(entry_row).collect(),
    });
    p.tables.push(Table::headed(
        t,
        "log-review-signed",
        &[
            "field-when",
            "field-user",
            "field-period",
            "log-review-reads",
            "field-note",
        ],
        r.reviews
            .iter()
            .map(|x| {
                let day = |s: i64| {
                    jiff::Timestamp::from_second(s)
                        .map(|ts| ts.to_zoned(tz.clone()).date().to_string())
                        .unwrap_or_default()
                };
                vec![
                    Cell::text(local_time(x.signed_at)),
                    Cell::text(x.reviewer.clone()),
                    Cell::text(format!("{} – {}", day(x.period_from), day(x.period_to))),
                    Cell::text(x.sample.len().to_string()),
                    Cell::text(x.note.clone()),
                ]
            })
            .collect(),
    ));
    Ok(crate::ui::render(p))
}

pub async fn sign_log_review(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    let sample: Vec<i64> = f
        .all("sample")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let from = f.get("from").parse::<i64>().unwrap_or(0);
    let to = f.get("to").parse::<i64>().unwrap_or(0);
    palett_app::audit::sign_log_review(&s.app, &c.ctx(), (from, to), &sample, &f.get("note"))
        .await?;
    Ok(Redirect::to("/audit/review").into_response())
}
