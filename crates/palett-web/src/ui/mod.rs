//! The kit every page is made with: rendering a template, error pages
//! (`failures`), the layout and blocks (`views`), the form flow
//! ([`FormSpec`]), choices for selects, and charts. It knows the caller
//! (`http`) but no feature.

pub mod charts;
pub mod choices;
pub mod failures;
pub mod portal;
pub mod qr;
pub mod questionnaire;
pub mod views;

use crate::http::caller::{Caller, Visitor};
use crate::http::forms::FormData;
use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
pub(crate) use choices::{choices, Choices};
use jiff::civil::Date;
use palett_domain::FieldErrors;
use views::*;

pub fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A PDF to download as `filename`, or the internal error when it could
/// not be written: the answer of every PDF palett writes for a page
/// (her data in the portal, the subject access export).
pub(crate) fn pdf_download(pdf: Option<Vec<u8>>, filename: &str) -> crate::http::error::Answer {
    let pdf = pdf.ok_or_else(|| {
        crate::http::error::WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
    })?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// A whole error page in the visitor's language.
pub fn error_page(t: Tr, status: StatusCode, id: &str) -> Response {
    let v = Visitor {
        done: None,
        signed: None,
        her: None,
        lang: t.lang,
        ip: String::new(),
        is_api: false,
        portal_path: false,
        secure: false,
        pre_session: None,
    };
    let title = t.get(&format!("{id}-title"));
    let page = ErrorPage {
        t,
        layout: Layout::for_visitor(&v, title, "/", String::new()),
        message: t.get(id),
        whom: (status == StatusCode::FORBIDDEN).then(|| t.get("error-forbidden-whom")),
    };
    (status, render(page)).into_response()
}

pub(crate) fn options<T: Copy>(
    t: Tr,
    all: &[T],
    text: fn(T) -> &'static str,
    msg: fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (text(*v).to_string(), t.get(&msg(*v))))
        .collect()
}

/// A moment stored as Unix seconds, in Swedish time (empty if out of range).
pub(crate) fn when(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(local_time)
        .unwrap_or_default()
}

/// A moment as Swedish local time, to the minute.
pub(crate) fn local_time(ts: jiff::Timestamp) -> String {
    ts.to_zoned(palett_app::clock::stockholm())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The text, or "–" for what is not there.
pub(crate) fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("–").to_string()
}

/// A period from a query's first and last day (`YYYY-MM-DD`): `None` when
/// neither is given; the field in error otherwise (a missing or bad day, or
/// a last day before the first).
pub(crate) fn period_query(
    (from_name, from): (&str, &Option<String>),
    (to_name, to): (&str, &Option<String>),
) -> Result<Option<palett_domain::indicators::Period>, (String, &'static str)> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_string();
    let (from, to) = (given(from), given(to));
    if from.is_empty() && to.is_empty() {
        return Ok(None);
    }
    let day = |name: &str, v: &str| {
        palett_domain::values::parse_date(v).map_err(|code| (name.to_string(), code))
    };
    let (start, end) = (day(from_name, &from)?, day(to_name, &to)?);
    if end < start {
        return Err((to_name.to_string(), palett_domain::values::code::PERIOD));
    }
    Ok(Some(palett_domain::indicators::Period { start, end }))
}

pub(crate) fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A form submission's answer once its use case has run: on to `next` when
/// it took the input, else the form `spec` builds, again (422) with the
/// values she entered and a message per field.
pub(crate) fn submitted<T>(
    c: &Caller,
    form: &FormData,
    outcome: Result<T, FieldErrors>,
    next: &str,
    spec: impl FnOnce() -> FormSpec,
) -> Response {
    match outcome {
        Ok(_) => Redirect::to(next).into_response(),
        Err(errors) => spec().invalid(c, form, &errors),
    }
}

/// [`submitted`] for a form whose spec is read from the database: on to
/// `next` with what the use case returned, or the form again (422) with her
/// values and a message per field, its spec made only then.
pub(crate) async fn submitted_with<T>(
    c: &Caller,
    form: &FormData,
    outcome: Result<T, FieldErrors>,
    next: impl FnOnce(T) -> Response,
    spec: impl AsyncFnOnce() -> Result<FormSpec, palett_app::AppError>,
) -> crate::http::error::Answer {
    Ok(match outcome {
        Ok(v) => next(v),
        Err(errors) => spec().await?.invalid(c, form, &errors),
    })
}

pub(crate) struct FormSpec {
    pub(crate) title: String,
    pub(crate) section: &'static str,
    pub(crate) path: String,
    pub(crate) fields: Vec<FieldView>,
    pub(crate) submit: String,
    pub(crate) cancel: String,
    pub(crate) intro: Option<String>,
    /// Where an error pointing to an existing record links: this text
    /// followed by the record's id.
    pub(crate) existing: Option<String>,
    /// A destructive or irreversible action: what will happen, said above
    /// the button, which is marked as such; the form posts `confirm=yes`
    /// and its handler does nothing without it ([`FormData::confirmed`]).
    pub(crate) warning: Option<String>,
    /// Fields the form posts as they are (which of two things it does).
    pub(crate) hidden: Vec<(String, String)>,
}

impl FormSpec {
    /// A paragraph above the fields.
    pub(crate) fn intro(mut self, text: String) -> Self {
        self.intro = Some(text);
        self
    }

    /// A field the form posts as it is.
    pub(crate) fn carry(mut self, name: &str, value: &str) -> Self {
        self.hidden.push((name.into(), value.into()));
        self
    }

    /// Make this the page that asks before a destructive action: `what`
    /// will happen, and `submit` is the button that does it.
    pub(crate) fn destructive(mut self, what: String, submit: String) -> Self {
        self.warning = Some(what);
        self.submit = submit;
        self
    }

    /// The form to fill in (200): its default values, no errors.
    pub(crate) fn blank(self, c: &Caller, values: &FormData) -> Response {
        self.show(c, StatusCode::OK, values, &FieldErrors::new())
    }

    /// The form flow after invalid input (422): the values she entered,
    /// an error summary and a message per field.
    pub(crate) fn invalid(self, c: &Caller, form: &FormData, errors: &FieldErrors) -> Response {
        self.show(c, StatusCode::UNPROCESSABLE_ENTITY, form, errors)
    }

    /// Render with the submitted (or default) values and their errors.
    pub(crate) fn show(
        self,
        c: &Caller,
        status: StatusCode,
        form: &FormData,
        errors: &FieldErrors,
    ) -> Response {
        let t = c.tr();
        let mut fields = self.fields;
        fill(t, &mut fields, form, errors, self.existing.as_deref());
        let summary = summary(t, &fields, errors);
        let mut hidden: Vec<(String, String)> = form
            .0
            .iter()
            .filter(|(k, _)| k == "version")
            .cloned()
            .collect();
        hidden.extend(self.hidden);
        if self.warning.is_some() {
            hidden.push((CONFIRM.into(), "yes".into()));
        }
        let page = FormPage {
            t,
            layout: Layout::for_caller(c, self.title, self.section, &self.path),
            intro: self.intro,
            warning: self.warning,
            errors: summary,
            action: self.path,
            hidden,
            fields,
            submit: self.submit,
            cancel: self.cancel,
        };
        (status, render(page)).into_response()
    }
}

/// A form with the usual buttons (save, cancel back to `cancel`).
pub(crate) fn admin_spec(
    t: Tr,
    title: String,
    section: &'static str,
    path: String,
    fields: Vec<FieldView>,
    cancel: &str,
) -> FormSpec {
    FormSpec {
        title,
        section,
        path,
        fields,
        submit: t.get("save"),
        cancel: cancel.into(),
        intro: None,
        existing: None,
        warning: None,
        hidden: Vec::new(),
    }
}

/// The field a confirmed destructive form posts (`confirm=yes`).
pub(crate) const CONFIRM: &str = "confirm";

/// The page that asks before a destructive action with no fields of its
/// own: `what` will happen, `submit` does it, `cancel` leads back.
pub(crate) fn confirm_spec(
    title: String,
    section: &'static str,
    path: String,
    (what, submit): (String, String),
    cancel: &str,
) -> FormSpec {
    FormSpec {
        title,
        section,
        path,
        fields: Vec::new(),
        submit,
        cancel: cancel.into(),
        intro: None,
        existing: None,
        warning: Some(what),
        hidden: Vec::new(),
    }
}
