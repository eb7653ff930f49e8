use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::error::WebError;
use crate::http::forms::FormData;
use crate::http::id;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::views::{Cell, FieldView, Layout, Pager, Table, TablePage};
use crate::ui::{admin_spec, render};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::followup::{Employment, FollowUp, FollowUpInput, IncomeSource, StudyStatus};
use palett_domain::FieldErrors;

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    pub(crate) page: Option<String>,
}

pub(crate) fn months_label(t: Tr, months: i8) -> String {
    t.with("follow-up-months", &[("months", months.to_string())])
}

/// The follow-ups due within two weeks, of the participants the caller sees.
pub async fn due(State(s): State<AppState>, c: Caller, Query(q): Query<PageQuery>) -> Answer {
    let t = c.tr();
    let page = Page::new(q.page.as_deref().and_then(id), Some(25));
    let (items, total) = s.app.due_follow_ups(&c.ctx(), page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("follow-ups-due"), "follow-ups", "/follow-ups"),
    );
    p.intro = Some(t.with("follow-ups-due-intro", &[("count", total.to_string())]));
    p.tables.push(Table {
        heading: None,
        head: vec![
            t.get("field-name"),
            t.get("field-exit-date"),
            t.get("follow-up"),
            t.get("follow-up-due-on"),
            t.get("follow-up-record"),
        ],
        rows: items
            .into_iter()
            .map(|d| {
                let f = &d.follow_up;
                vec![
                    Cell::link(
                        format!("{} {}", d.given_name, d.family_name),
                        format!("/participants/{}/follow-ups", f.participant_id),
                    ),
                    Cell::text(d.exit_date.map(|x| x.to_string()).unwrap_or_default()),
                    Cell::text(months_label(t, f.months_after)),
                    Cell::text(f.due_on.to_string()),
                    Cell::link(
                        t.get("follow-up-record"),
                        format!("/participants/{}/follow-ups/{}", f.participant_id, f.id),
                    ),
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(t, "/follow-ups", &[], page.number, page.count(total));
    Ok(render(p))
}

/// The head of a follow-up table: when, due, done and what it found.
pub(crate) fn head(t: Tr) -> Vec<String> {
    vec![
        t.get("follow-up"),
        t.get("follow-up-due-on"),
        t.get("follow-up-done-on"),
        t.get("follow-up-employment"),
        t.get("follow-up-studies"),
        t.get("follow-up-income"),
    ]
}

/// A follow-up's cells under [`head`]; not done: says so, the rest empty.
pub(crate) fn cells(t: Tr, f: &FollowUp) -> Vec<String> {
    let mut out = vec![months_label(t, f.months_after), f.due_on.to_string()];
    match &f.done {
        Some(r) => out.extend([
            r.done_on.to_string(),
            t.get(&r.employment.message_id()),
            t.get(&r.studies.message_id()),
            t.get(&r.income_source.message_id()),
        ]),
        None => out.extend([
            t.get("follow-up-not-done"),
            String::new(),
            String::new(),
            String::new(),
        ]),
    }
    out
}

/// One participant's follow-ups.
pub async fn of_participant(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    let t = c.tr();
    let list = s.app.follow_ups(&c.ctx(), pid).await?;
    let path = format!("/participants/{pid}/follow-ups");
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("follow-ups"), "participants", &path),
    );
    p.intro = Some(t.get("follow-ups-intro"));
    p.links
        .push((format!("/participants/{pid}"), t.get("back-to-participant")));
    p.tables.push(Table {
        heading: None,
        head: head(t)
            .into_iter()
            .chain([t.get("follow-up-record")])
            .collect(),
        rows: list
            .iter()
            .map(|f| {
                cells(t, f)
                    .into_iter()
                    .map(Cell::text)
                    .chain([Cell::link(
                        t.get(if f.done.is_some() {
                            "follow-up-correct"
                        } else {
                            "follow-up-record"
                        }),
                        format!("{path}/{}", f.id),
                    )])
                    .collect()
            })
            .collect(),
    });
    Ok(render(p))
}

pub(crate) fn choices<T: Copy>(
    t: Tr,
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|x| (value(*x).to_string(), t.get(&label(*x))))
        .collect()
}

pub(crate) fn fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "done_on", "follow-up-done-on", "date").required(),
        FieldView::new(t, "employment", "follow-up-employment", "select")
            .options(choices(
                t,
                Employment::ALL,
                Employment::as_str,
                Employment::message_id,
            ))
            .required(),
        FieldView::new(t, "studies", "follow-up-studies", "select")
            .options(choices(
                t,
                StudyStatus::ALL,
                StudyStatus::as_str,
                StudyStatus::message_id,
            ))
            .required(),
        FieldView::new(t, "income_source", "follow-up-income", "select")
            .options(choices(
                t,
                IncomeSource::ALL,
                IncomeSource::as_str,
                IncomeSource::message_id,
            ))
            .required(),
    ]
}

pub(crate) async fn form_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    fid: i64,
    form: &FormData,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    let list = s.app.follow_ups(&c.ctx(), pid).await?;
    let Some(f) = list.iter().find(|f| f.id == fid) else {
        return Err(AppError::NotFound.into());
    };
    let mut values = form.clone();
    if form.0.is_empty() {
        match &f.done {
            Some(r) => {
                values.0.push(("done_on".into(), r.done_on.to_string()));
                values
                    .0
                    .push(("employment".into(), r.employment.as_str().into()));
                values.0.push(("studies".into(), r.studies.as_str().into()));
                values
                    .0
                    .push(("income_source".into(), r.income_source.as_str().into()));
            }
            None => values.0.push(("done_on".into(), s.app.today().to_string())),
        }
    }
    let path = format!("/participants/{pid}/follow-ups/{fid}");
    let mut spec = admin_spec(
        t,
        t.with("follow-up-title", &[("months", f.months_after.to_string())]),
        "participants",
        path,
        fields(t),
        &format!("/participants/{pid}/follow-ups"),
    );
    spec.intro = Some(t.with("follow-up-form-intro", &[("due", f.due_on.to_string())]));
    let status = if errors.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(spec.show(c, status, &values, errors))
}

pub async fn form(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Segment(f): Segment,
) -> Answer {
    let fid = id(&f).ok_or_else(WebError::not_found)?;
    form_page(&s, &c, pid, fid, &FormData::default(), &FieldErrors::new()).await
}

pub async fn save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Segment(f): Segment,
    form: FormData,
) -> Answer {
    let fid = id(&f).ok_or_else(WebError::not_found)?;
    let input = FollowUpInput {
        done_on: form.get("done_on"),
        employment: form.get("employment"),
        studies: form.get("studies"),
        income_source: form.get("income_source"),
    };
    Ok(
        match s
            .app
            .record_follow_up(&c.ctx(), pid, fid, &input)
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to(&format!("/participants/{pid}/follow-ups")).into_response(),
            Err(errors) => form_page(&s, &c, pid, fid, &form, &errors).await?,
        },
    )
}
