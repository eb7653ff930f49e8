//! HTML and JSON for consents.

use crate::caller::Caller;
use crate::error::ApiError;
use crate::forms::{FormData, JsonObject, JsonType};
use crate::i18n::Tr;
use crate::pages::{admin_spec, app_error, choices, options, FormSpec};
use crate::views::FieldView;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use palett_app::AppError;
use palett_domain::consent::{Consent, ConsentInput, ConsentKind, ConsentMethod};
use palett_domain::FieldErrors;
use serde_json::{json, Value};

fn input(f: &FormData) -> ConsentInput {
    ConsentInput {
        kind: f.get("kind"),
        method: f.get("method"),
        witness: f.get("witness"),
        given_on: f.get("given_on"),
        expires_on: f.get("expires_on"),
        note: f.get("note"),
        organisation_ids: f.all("organisation_ids"),
    }
}

async fn spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let orgs = choices(s, c).await?.organisations;
    let fields = vec![
        FieldView::new(t, "kind", "field-consent-kind", "select")
            .required()
            .options(options(
                t,
                ConsentKind::ALL,
                ConsentKind::as_str,
                ConsentKind::message_id,
            )),
        FieldView::new(
            t,
            "organisation_ids",
            "field-consent-organisations",
            "multi",
        )
        .options(orgs)
        .hint(t, "hint-consent-organisations"),
        FieldView::new(t, "method", "field-consent-method", "select")
            .required()
            .options(options(
                t,
                ConsentMethod::ALL,
                ConsentMethod::as_str,
                ConsentMethod::message_id,
            )),
        FieldView::new(t, "witness", "field-witness", "text").hint(t, "hint-witness"),
        FieldView::new(t, "given_on", "field-given-on", "date").required(),
        FieldView::new(t, "expires_on", "field-expires-on", "date"),
        FieldView::new(t, "note", "field-note", "textarea"),
    ];
    let mut spec = admin_spec(
        t,
        t.get("consent-new"),
        "participants",
        format!("/participants/{pid}/consents/new"),
        fields,
        &format!("/participants/{pid}"),
    );
    // A duplicate links to the consent in force on her page.
    spec.existing = Some(format!("/participants/{pid}#consent-"));
    Ok(spec)
}

use crate::pages::id;

pub async fn form(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    if let Err(e) = s.app.consents(&c.ctx(), pid).await {
        return app_error(&c, e);
    }
    let defaults = FormData(vec![("given_on".into(), s.app.today().to_string())]);
    match spec(&s, &c, pid).await {
        Ok(f) => f.show(&c, StatusCode::OK, &defaults, &FieldErrors::new()),
        Err(e) => app_error(&c, e),
    }
}

pub async fn create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    f: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.give_consent(&c.ctx(), pid, &input(&f)).await {
        Ok(_) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => match spec(&s, &c, pid).await {
            Ok(x) => x.show(&c, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors),
            Err(e) => app_error(&c, e),
        },
        Err(e) => app_error(&c, e),
    }
}

fn withdraw_spec(t: Tr, cid: i64) -> FormSpec {
    let fields = vec![FieldView::new(
        t,
        "note",
        "field-withdrawal-note",
        "textarea",
    )];
    admin_spec(
        t,
        t.get("consent-withdraw"),
        "participants",
        format!("/consents/{cid}/withdraw"),
        fields,
        "/participants",
    )
}

pub async fn withdraw_form(c: Caller, Path(raw): Path<String>) -> Response {
    let Some(cid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    withdraw_spec(c.tr(), cid).show(
        &c,
        StatusCode::OK,
        &FormData::default(),
        &FieldErrors::new(),
    )
}

pub async fn withdraw(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    f: FormData,
) -> Response {
    let Some(cid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s.app.withdraw_consent(&c.ctx(), cid, &f.get("note")).await {
        Ok(pid) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            withdraw_spec(c.tr(), cid).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

/// One consent as the participant page lists it.
pub struct ConsentLine {
    pub id: i64,
    pub kind: String,
    pub scope: String,
    pub given: String,
    pub expires: String,
    pub status: String,
    pub withdraw: Option<String>,
}

pub fn lines(t: Tr, list: &[(Consent, bool)], may_change: bool) -> Vec<ConsentLine> {
    list.iter()
        .map(|(k, in_force)| ConsentLine {
            id: k.id,
            kind: t.get(&k.kind.message_id()),
            scope: k
                .organisations
                .iter()
                .map(|o| o.1.clone())
                .collect::<Vec<_>>()
                .join(", "),
            given: format!("{} ({})", k.given_on, t.get(&k.method.message_id())),
            expires: k
                .expires_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "–".into()),
            status: t.get(if k.withdrawn_at.is_some() {
                "consent-withdrawn"
            } else if *in_force {
                "consent-in-force"
            } else {
                "consent-not-in-force"
            }),
            withdraw: (may_change && k.withdrawn_at.is_none())
                .then(|| format!("/consents/{}/withdraw", k.id)),
        })
        .collect()
}

fn consent_json(k: &Consent, in_force: bool) -> Value {
    json!({
        "id": k.id,
        "kind": k.kind,
        "method": k.method,
        "witness": k.witness,
        "given_on": k.given_on.to_string(),
        "expires_on": k.expires_on.map(|d| d.to_string()),
        "note": k.note,
        "organisations": k.organisations.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "recorded_by": k.recorded_by,
        "recorded_at": k.recorded_at.to_string(),
        "withdrawn_at": k.withdrawn_at.map(|t| t.to_string()),
        "withdrawn_by": k.withdrawn_by,
        "in_force": in_force,
    })
}

pub async fn api_list(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    match s.app.consents(&c.ctx(), pid).await {
        Ok(list) => Json(
            json!({"items": list.iter().map(|(k, f)| consent_json(k, *f)).collect::<Vec<_>>()}),
        )
        .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_create(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[
        ("kind", JsonType::Text),
        ("method", JsonType::Text),
        ("witness", JsonType::Text),
        ("given_on", JsonType::Text),
        ("expires_on", JsonType::Text),
        ("note", JsonType::Text),
        ("organisation_ids", JsonType::Integers),
    ]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s.app.give_consent(&c.ctx(), pid, &input(&f)).await {
        Ok(cid) => (StatusCode::CREATED, Json(json!({"id": cid}))).into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_withdraw(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(cid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[("note", JsonType::Text)]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s.app.withdraw_consent(&c.ctx(), cid, &f.get("note")).await {
        Ok(pid) => api_list(State(s), c, Path(pid.to_string())).await,
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

fn emergency_spec(t: Tr) -> FormSpec {
    let fields = vec![
        FieldView::new(t, "identity_number", "field-identity-number", "text")
            .hint(t, "hint-emergency-who"),
        FieldView::new(t, "participant_id", "field-participant-id", "number"),
        FieldView::new(t, "reason", "field-reason", "textarea")
            .required()
            .hint(t, "hint-emergency-reason"),
    ];
    let mut spec = admin_spec(
        t,
        t.get("emergency-title"),
        "participants",
        "/emergency".into(),
        fields,
        "/participants",
    );
    spec.intro = Some(t.get("emergency-intro"));
    spec
}

/// Emergency access ("break the glass"): coordinators only.
pub async fn emergency_form(c: Caller) -> Response {
    if !c.signed.actor.can_break_the_glass() {
        return app_error(&c, AppError::Forbidden);
    }
    emergency_spec(c.tr()).show(
        &c,
        StatusCode::OK,
        &FormData::default(),
        &FieldErrors::new(),
    )
}

pub async fn emergency(State(s): State<AppState>, c: Caller, f: FormData) -> Response {
    match s
        .app
        .break_the_glass(
            &c.ctx(),
            &f.get("participant_id"),
            &f.get("identity_number"),
            &f.get("reason"),
        )
        .await
    {
        Ok(pid) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            emergency_spec(c.tr()).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

use crate::views::{Block, FormBlock, Input};

/// The log review (loggkontroll): flags and a sample for a period, and the
/// reviewer's sign-off.
pub async fn log_review(
    State(s): State<AppState>,
    c: Caller,
    axum::extract::Query(q): axum::extract::Query<PeriodQuery>,
) -> Response {
    use crate::views::{Cell, Layout, Table, TablePage};
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
    let r = match palett_app::audit::log_review(&s.app, &c.ctx(), from, to, 20).await {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let when = |ts: jiff::Timestamp| {
        ts.to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let entry_row = |e: &palett_app::filters::AuditEntry| {
        vec![
            Cell::text(when(e.at)),
            Cell::text(e.user_name.clone().unwrap_or_default()),
            Cell::text(e.organisation_name.clone().unwrap_or_default()),
            Cell::text(format!("{} ({})", e.action, e.entity)),
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
    p.filter = Some(crate::views::FilterForm {
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
    p.tables.push(Table {
        heading: Some(t.get("log-review-access-grants")),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-roles"),
            t.get("role-requested-by"),
            t.get("role-approved-by"),
        ],
        rows: r
            .access_grants
            .iter()
            .map(|g| {
                vec![
                    Cell::text(
                        g.decided_at
                            .and_then(|s| jiff::Timestamp::from_second(s).ok())
                            .map(when)
                            .unwrap_or_default(),
                    ),
                    Cell::link(g.user_name.clone(), format!("/audit?user={}", g.user_id)),
                    Cell::text(t.get(&g.role.message_id())),
                    Cell::text(g.requested_by_name.clone()),
                    Cell::text(g.decided_by_name.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    });
    p.tables.push(Table {
        heading: Some(t.get("log-review-sample")),
        head,
        rows: r.sample.iter().map(entry_row).collect(),
    });
    p.tables.push(Table {
        heading: Some(t.get("log-review-signed")),
        head: vec![
            t.get("field-when"),
            t.get("field-user"),
            t.get("field-period"),
            t.get("log-review-reads"),
            t.get("field-note"),
        ],
        rows: r
            .reviews
            .iter()
            .map(|x| {
                let day = |s: i64| {
                    jiff::Timestamp::from_second(s)
                        .map(|ts| ts.to_zoned(tz.clone()).date().to_string())
                        .unwrap_or_default()
                };
                vec![
                    Cell::text(when(x.signed_at)),
                    Cell::text(x.reviewer.clone()),
                    Cell::text(format!("{} – {}", day(x.period_from), day(x.period_to))),
                    Cell::text(x.sample.len().to_string()),
                    Cell::text(x.note.clone()),
                ]
            })
            .collect(),
    });
    crate::pages::render(p)
}

pub async fn sign_log_review(State(s): State<AppState>, c: Caller, f: FormData) -> Response {
    let sample: Vec<i64> = f
        .all("sample")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let from = f.get("from").parse::<i64>().unwrap_or(0);
    let to = f.get("to").parse::<i64>().unwrap_or(0);
    match palett_app::audit::sign_log_review(&s.app, &c.ctx(), (from, to), &sample, &f.get("note"))
        .await
    {
        Ok(_) => Redirect::to("/audit/review").into_response(),
        Err(e) => app_error(&c, e),
    }
}

/// Retention policy and runs (administrators).
pub async fn retention(State(s): State<AppState>, c: Caller) -> Response {
    use crate::views::{Cell, Layout, Table, TablePage};
    let t = c.tr();
    let ctx = c.ctx();
    let years = match s.app.retention_policy(&ctx).await {
        Ok(y) => y,
        Err(e) => return app_error(&c, e),
    };
    let dry = match s
        .app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, true)
        .await
    {
        Ok(r) => r,
        Err(e) => return app_error(&c, e),
    };
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("retention-title"), "admin", "/admin/retention"),
    );
    p.intro = Some(t.get("retention-intro"));
    p.blocks.push(Block::Form(FormBlock {
        action: "/admin/retention".into(),
        inputs: vec![Input {
            id: "years".into(),
            value: years.map(|y| y.to_string()).unwrap_or_default(),
            min: Some(1),
            max: Some(50),
            ..Input::new("years_after_exit", t.get("field-retention-years"), "number")
        }],
        submit: t.get("save"),
        ..FormBlock::default()
    }));
    p.blocks.push(Block::Form(FormBlock {
        action: "/admin/retention/run".into(),
        submit: t.with("retention-run", &[("count", dry.due.len().to_string())]),
        ..FormBlock::default()
    }));
    p.tables.push(Table {
        heading: Some(match dry.cutoff {
            Some(cutoff) => t.with(
                "retention-due",
                &[
                    ("count", dry.due.len().to_string()),
                    ("cutoff", cutoff.to_string()),
                ],
            ),
            None => t.get("retention-no-policy"),
        }),
        head: vec![t.get("field-participant-id"), t.get("field-exit-date")],
        rows: dry
            .due
            .iter()
            .take(500)
            .map(|(id, exit)| vec![Cell::text(id.to_string()), Cell::text(exit.to_string())])
            .collect(),
    });
    crate::pages::render(p)
}

pub async fn set_retention(State(s): State<AppState>, c: Caller, f: FormData) -> Response {
    match s
        .app
        .set_retention_policy(&c.ctx(), &f.get("years_after_exit"))
        .await
    {
        Ok(()) => Redirect::to("/admin/retention").into_response(),
        Err(AppError::Invalid(_)) => crate::pages::error_page(
            c.tr(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-retention-years",
        ),
        Err(e) => app_error(&c, e),
    }
}

pub async fn run_retention(State(s): State<AppState>, c: Caller) -> Response {
    let ctx = c.ctx();
    match s
        .app
        .run_retention(Some(&ctx), ctx.actor.partnership_id, false)
        .await
    {
        Ok(_) => Redirect::to("/admin/retention").into_response(),
        Err(e) => app_error(&c, e),
    }
}

/// Write a note (HTML form on the participant page).
pub async fn add_note(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    f: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .add_note(&c.ctx(), pid, &f.get("body"), &f.get("visibility"))
        .await
    {
        Ok(_) => Redirect::to(&format!("/participants/{pid}#notes-h")).into_response(),
        Err(AppError::Invalid(errors)) => {
            note_spec(c.tr(), pid).show(&c, StatusCode::UNPROCESSABLE_ENTITY, &f, &errors)
        }
        Err(e) => app_error(&c, e),
    }
}

/// The note form on its own page, shown again with its per-field errors
/// (the participant page carries the same form).
fn note_spec(t: Tr, pid: i64) -> FormSpec {
    let visibilities = ["own_organisation", "shared"]
        .iter()
        .map(|v| {
            (
                v.to_string(),
                t.get(&format!("note-{}", v.replace('_', "-"))),
            )
        })
        .collect();
    let fields = vec![
        FieldView::new(t, "body", "note-new", "textarea").required(),
        FieldView::new(t, "visibility", "field-visibility", "select")
            .required()
            .options(visibilities),
    ];
    let mut spec = admin_spec(
        t,
        t.get("note-new"),
        "participants",
        format!("/participants/{pid}/notes"),
        fields,
        &format!("/participants/{pid}"),
    );
    spec.submit = t.get("note-save");
    spec
}

pub async fn api_notes(State(s): State<AppState>, c: Caller, Path(raw): Path<String>) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    match s.app.notes(&c.ctx(), pid).await {
        Ok(list) => Json(json!({"items": list.iter().map(|n| json!({
            "id": n.id, "author": n.author, "organisation": n.organisation, "visibility": n.visibility,
            "body": n.body, "created_at": n.created_at.to_string(),
        })).collect::<Vec<_>>()}))
        .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

pub async fn api_add_note(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[("body", JsonType::Text), ("visibility", JsonType::Text)]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    match s
        .app
        .add_note(&c.ctx(), pid, &f.get("body"), &f.get("visibility"))
        .await
    {
        Ok(nid) => (StatusCode::CREATED, Json(json!({"id": nid}))).into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

/// Restrict processing of her record, or lift the restriction.
pub async fn restriction(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    f: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    let reason = f.get("reason");
    let arg = if f.get("lift") == "true" {
        None
    } else {
        Some(reason.as_str())
    };
    match s.app.restrict_processing(&c.ctx(), pid, arg).await {
        Ok(()) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(AppError::Invalid(_)) => crate::pages::error_page(
            c.tr(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-restriction-reason",
        ),
        Err(e) => app_error(&c, e),
    }
}

/// `{"restricted": true, "reason": "…"}` or `{"restricted": false}`.
pub async fn api_restriction(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    body: JsonObject,
) -> Response {
    let Some(pid) = id(&raw) else {
        return ApiError::app(c.tr(), AppError::NotFound).into_response();
    };
    let f = match body.to_form(&[
        ("restricted", JsonType::Boolean),
        ("reason", JsonType::Text),
    ]) {
        Ok(f) => f,
        Err(e) => return ApiError::app(c.tr(), AppError::Invalid(e)).into_response(),
    };
    let restricted = match f.get("restricted").as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return ApiError::field(
                c.tr(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "restricted",
                "error-choice",
            )
            .into_response()
        }
    };
    let reason = f.get("reason");
    match s
        .app
        .restrict_processing(&c.ctx(), pid, restricted.then_some(reason.as_str()))
        .await
    {
        Ok(()) => Json(json!({"participant_id": pid, "processing_restricted": restricted}))
            .into_response(),
        Err(e) => ApiError::app(c.tr(), e).into_response(),
    }
}

/// Keep her record past the retention policy (archive rule), or stop keeping it.
pub async fn archive_hold(
    State(s): State<AppState>,
    c: Caller,
    Path(raw): Path<String>,
    f: FormData,
) -> Response {
    let Some(pid) = id(&raw) else {
        return app_error(&c, AppError::NotFound);
    };
    match s
        .app
        .set_archive_hold(&c.ctx(), pid, f.get("hold") == "true")
        .await
    {
        Ok(()) => Redirect::to(&format!("/participants/{pid}")).into_response(),
        Err(e) => app_error(&c, e),
    }
}
