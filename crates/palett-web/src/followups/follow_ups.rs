use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::id;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::render;
use crate::ui::views::{fill, summary, Cell, FieldView, Layout, Pager, Table, TablePage};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::participants::Page;
use palett_app::AppError;
use palett_domain::followup::{
    Employment, FollowUp, FollowUpInput, IncomeSource, NotReachedInput, StudyStatus,
};
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

/// "Could not be reached (date)": a follow-up closed as not reached, in
/// words.
pub(crate) fn not_reached_label(t: Tr, f: &FollowUp) -> Option<String> {
    f.not_reached.as_ref().map(|n| {
        t.with(
            "follow-up-not-reached-on",
            &[("date", n.tried_on.to_string())],
        )
    })
}

/// A follow-up's cells under [`head`]; not done: says so (or that she
/// could not be reached, when, and what was tried), the rest empty.
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
            match (
                not_reached_label(t, f),
                f.not_reached.as_ref().and_then(|n| n.note.as_ref()),
            ) {
                (Some(label), Some(note)) => format!("{label}: {note}"),
                (Some(label), None) => label,
                (None, _) => t.get("follow-up-not-done"),
            },
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

/// The follow-up page: what is known of it, the form to record what she
/// said and, unless she was reached, the form to close it as not reached.
#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    t: Tr,
    layout: Layout,
    intro: String,
    /// That it was closed as not reached, when, and what was tried.
    status: Vec<String>,
    errors: Vec<(String, String, String)>,
    action: String,
    reached: Vec<FieldView>,
    /// `None` when she was reached (a follow-up done is only corrected).
    not_reached: Option<Vec<FieldView>>,
    not_reached_action: String,
    cancel: String,
}

/// Which of the page's two forms was sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    Reached,
    NotReached,
}

pub(crate) fn not_reached_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "tried_on", "follow-up-tried-on", "date").required(),
        FieldView::new(t, "note", "follow-up-not-reached-note", "text")
            .hint(t, "follow-up-not-reached-note-hint"),
    ]
}

/// The page with both forms: the one `sent` (if any) with her values and
/// its errors, the other with what is stored or today's date.
pub(crate) async fn form_page(
    s: &AppState,
    c: &Caller,
    pid: i64,
    fid: i64,
    sent: Option<(Sent, &FormData, &FieldErrors)>,
) -> Answer {
    let t = c.tr();
    let list = s.app.follow_ups(&c.ctx(), pid).await?;
    let Some(f) = list.iter().find(|f| f.id == fid) else {
        return Err(AppError::NotFound.into());
    };
    let today = s.app.today().to_string();
    let mut reached_values = FormData::default();
    match &f.done {
        Some(r) => {
            reached_values.0.extend([
                ("done_on".into(), r.done_on.to_string()),
                ("employment".into(), r.employment.as_str().into()),
                ("studies".into(), r.studies.as_str().into()),
                ("income_source".into(), r.income_source.as_str().into()),
            ]);
        }
        None => reached_values.0.push(("done_on".into(), today.clone())),
    }
    let mut not_reached_values = FormData::default();
    match &f.not_reached {
        Some(n) => not_reached_values.0.extend([
            ("tried_on".into(), n.tried_on.to_string()),
            ("note".into(), n.note.clone().unwrap_or_default()),
        ]),
        None => not_reached_values.0.push(("tried_on".into(), today)),
    }
    let none = FieldErrors::new();
    let (reached_errors, not_reached_errors) = match sent {
        Some((Sent::Reached, form, errors)) => {
            reached_values = form.clone();
            (errors, &none)
        }
        Some((Sent::NotReached, form, errors)) => {
            not_reached_values = form.clone();
            (&none, errors)
        }
        None => (&none, &none),
    };
    let mut reached = fields(t);
    fill(t, &mut reached, &reached_values, reached_errors, None);
    let mut errors = summary(t, &reached, reached_errors);
    let mut not_reached = not_reached_fields(t);
    fill(
        t,
        &mut not_reached,
        &not_reached_values,
        not_reached_errors,
        None,
    );
    // Said also when the form is not shown (she was reached meanwhile).
    errors.extend(summary(t, &not_reached, not_reached_errors));
    let not_reached = f.done.is_none().then_some(not_reached);
    let mut status = Vec::new();
    if let Some(n) = &f.not_reached {
        status.extend(not_reached_label(t, f));
        if let Some(note) = &n.note {
            status.push(format!("{}: {note}", t.get("follow-up-not-reached-note")));
        }
    }
    let path = format!("/participants/{pid}/follow-ups/{fid}");
    let page = FollowUpPage {
        t,
        layout: Layout::for_caller(
            c,
            t.with("follow-up-title", &[("months", f.months_after.to_string())]),
            "participants",
            &path,
        ),
        intro: t.with("follow-up-form-intro", &[("due", f.due_on.to_string())]),
        status,
        errors,
        not_reached_action: format!("{path}/not-reached"),
        action: path,
        reached,
        not_reached,
        cancel: format!("/participants/{pid}/follow-ups"),
    };
    let status = if sent.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(page)).into_response())
}

pub async fn form(State(s): State<AppState>, c: Caller, Id(pid): Id, f: Segment) -> Answer {
    let fid = f.id()?;
    form_page(&s, &c, pid, fid, None).await
}

/// Record what she said (also over a mark that she could not be reached).
pub async fn save(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    f: Segment,
    form: FormData,
) -> Answer {
    let fid = f.id()?;
    let input = form.input::<FollowUpInput>();
    Ok(
        match s
            .app
            .record_follow_up(&c.ctx(), pid, fid, &input)
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to(&format!("/participants/{pid}/follow-ups")).into_response(),
            Err(errors) => {
                form_page(&s, &c, pid, fid, Some((Sent::Reached, &form, &errors))).await?
            }
        },
    )
}

/// Close it as not reached: the day tried and what was tried.
pub async fn save_not_reached(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    f: Segment,
    form: FormData,
) -> Answer {
    let fid = f.id()?;
    let input = form.input::<NotReachedInput>();
    Ok(
        match s
            .app
            .mark_follow_up_not_reached(&c.ctx(), pid, fid, &input)
            .await
            .or_invalid()?
        {
            Ok(()) => Redirect::to(&format!(
                "/participants/{pid}/follow-ups?done=follow-up-not-reached"
            ))
            .into_response(),
            Err(errors) => {
                form_page(&s, &c, pid, fid, Some((Sent::NotReached, &form, &errors))).await?
            }
        },
    )
}
