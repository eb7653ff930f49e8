use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::participants::list::id_of;
use crate::ui::render;
use crate::ui::views::*;
use axum::extract::{Query, State};
use palett_app::participants::Page;
use palett_domain::values::parse_date;

// ---------------------------------------------------------------- audit

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    pub(crate) participant: Option<String>,
    pub(crate) user: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) page: Option<String>,
}

pub async fn audit(State(s): State<AppState>, c: Caller, Query(q): Query<AuditQuery>) -> Answer {
    let t = c.tr();
    let tz = palett_app::clock::stockholm();
    let day_start = |d: &Option<String>, plus: i64| -> Option<i64> {
        let date = parse_date(d.as_deref()?).ok()?;
        let date = date.checked_add(jiff::Span::new().days(plus)).ok()?;
        date.to_zoned(tz.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    let filter = palett_app::filters::AuditFilter {
        participant_id: id_of(&q.participant),
        user_id: id_of(&q.user),
        organisation_id: id_of(&q.organisation),
        from: day_start(&q.from, 0),
        to: day_start(&q.to, 1),
        ..Default::default()
    };
    let page = Page::new(id_of(&q.page), Some(50));
    let (rows, total) = palett_app::audit::list(&s.app, &c.ctx(), &filter, page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-audit"), "audit", "/audit"),
    );
    p.intro = Some(t.get("audit-intro"));
    p.links.push(("/audit/review".into(), t.get("log-review")));
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    p.filter = Some(FilterForm {
        action: "/audit".into(),
        fields: vec![
            (
                "participant".into(),
                t.get("field-participant-id"),
                "number".into(),
                v(&q.participant),
            ),
            (
                "user".into(),
                t.get("field-user-id"),
                "number".into(),
                v(&q.user),
            ),
            (
                "organisation".into(),
                t.get("field-organisation-id"),
                "number".into(),
                v(&q.organisation),
            ),
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
    p.tables.push(Table {
        heading: Some(t.with("audit-count", &[("count", total.to_string())])),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-organisation"),
            t.get("field-roles"),
            t.get("field-action"),
            t.get("field-participant-id"),
            t.get("field-address-ip"),
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    Cell::text(
                        r.at.to_zoned(tz.clone())
                            .strftime("%Y-%m-%d %H:%M:%S")
                            .to_string(),
                    ),
                    match (r.user_id, r.user_name) {
                        (Some(id), Some(n)) => Cell::link(n, format!("/audit?user={id}")),
                        _ => Cell::text("–"),
                    },
                    Cell::text(r.organisation_name.unwrap_or_default()),
                    Cell::text(r.roles),
                    Cell::text(r.action),
                    match r.participant_id {
                        Some(id) => Cell::link(id.to_string(), format!("/audit?participant={id}")),
                        None => Cell::text(""),
                    },
                    Cell::text(r.ip),
                ]
            })
            .collect(),
    });
    let query = [
        ("participant", v(&q.participant)),
        ("user", v(&q.user)),
        ("organisation", v(&q.organisation)),
        ("from", v(&q.from)),
        ("to", v(&q.to)),
    ];
    p.pager = Pager::new(t, "/audit", &query, page.number, page.count(total));
    Ok(render(p))
}
