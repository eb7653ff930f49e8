//! Typed template contexts. Every page carries a [`Layout`] and a [`Tr`];
//! generic form and table pages cover the simple screens.

use crate::http::caller::{Caller, Visitor};
use crate::i18n::{Lang, Tr};
use askama::Template;
use palett_app::participants::ListPage;
use palett_domain::FieldErrors;

pub struct UserBox {
    pub name: String,
    pub organisation: String,
    pub partnership: String,
}

pub struct Layout {
    pub title: String,
    pub section: &'static str,
    pub user: Option<UserBox>,
    pub csrf: String,
    pub nav_participants: bool,
    /// Registering is open to her (her organisation is a member today).
    pub nav_intake: bool,
    pub nav_audit: bool,
    pub nav_admin: bool,
    pub nav_employers: bool,
    pub nav_referrals: bool,
    pub nav_inbox: bool,
    pub nav_my_sessions: bool,
    pub nav_attestation: bool,
    pub nav_research: bool,
    /// She may import participants from a spreadsheet.
    pub nav_imports: bool,
    /// How many of her inbox messages are unread (the menu says it).
    pub inbox_unread: i64,
    /// The current path, for the language switch to come back to.
    pub path: String,
    pub other_lang: &'static str,
    pub other_lang_label: &'static str,
    /// That what she just saved was saved (from `?done=`), said at the top
    /// of the page.
    pub notice: Option<String>,
}

impl Layout {
    pub fn for_visitor(v: &Visitor, title: String, path: &str, csrf: String) -> Self {
        let (other_lang, other_lang_label) = match v.lang.staff() {
            Lang::En => ("sv", "Svenska"),
            _ => ("en", "English"),
        };
        Self {
            title,
            section: "",
            user: None,
            csrf,
            nav_participants: false,
            nav_intake: false,
            nav_audit: false,
            nav_admin: false,
            nav_employers: false,
            nav_referrals: false,
            nav_inbox: false,
            nav_my_sessions: false,
            nav_attestation: false,
            nav_research: false,
            nav_imports: false,
            inbox_unread: 0,
            path: path.to_string(),
            other_lang,
            other_lang_label,
            notice: v
                .done
                .as_ref()
                .map(|w| format!("done-{w}"))
                .filter(|id| v.tr().has(id))
                .map(|id| v.tr().get(&id)),
        }
    }

    pub fn for_caller(c: &Caller, title: String, section: &'static str, path: &str) -> Self {
        let s = &c.signed;
        let mut l = Self::for_visitor(
            &c.visitor,
            title,
            path,
            s.csrf_token.clone().unwrap_or_default(),
        );
        l.section = section;
        let partnership = s
            .partnerships
            .iter()
            .find(|(id, _)| *id == s.actor.partnership_id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        l.user = Some(UserBox {
            name: s.user.display_name.clone(),
            organisation: s.user.organisation_name.clone(),
            partnership,
        });
        l.nav_participants = s.actor.sees_participants();
        l.nav_intake = s.actor.can_register_participants();
        l.nav_audit = s.actor.can_view_audit_log();
        l.nav_admin = s.actor.can_administer();
        l.nav_employers = s.actor.can_work_with_employers();
        l.nav_referrals = s.actor.can_see_referrals();
        l.nav_inbox = s.actor.has_inbox();
        l.nav_my_sessions = s.actor.can_lead_groups();
        l.nav_attestation = s.actor.can_attest_time();
        l.nav_research = s.actor.can_export_research();
        l.nav_imports = s.actor.can_import();
        l.inbox_unread = s.unread;
        l
    }
}

/// One form control.
#[derive(Clone, Debug, Default)]
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    /// text, email, date, number, password, search, select, multi, checkbox, textarea
    pub kind: &'static str,
    pub value: String,
    pub values: Vec<String>,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
    /// A link from the error to the record it points to: (href, text).
    pub error_link: Option<(String, String)>,
    pub required: bool,
    pub autocomplete: &'static str,
}

impl FieldView {
    /// A date is typed as text, in the one format palett reads, which its
    /// hint shows (the browser's date field shows its own locale's format,
    /// as often mm/dd/yyyy as not); a later `hint` replaces it.
    pub fn new(t: Tr, name: &'static str, label_id: &str, kind: &'static str) -> Self {
        Self {
            name,
            label: t.get(label_id),
            kind,
            hint: (kind == "date").then(|| t.get("hint-date")),
            ..Default::default()
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, t: Tr, id: &str) -> Self {
        self.hint = Some(t.get(id));
        self
    }

    pub fn options(mut self, o: Vec<(String, String)>) -> Self {
        self.options = o;
        self
    }

    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = a;
        self
    }

    /// The ids that describe this control (hint and error), space-separated.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("f-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// A field error's message in the caller's language, with its variables.
/// Fill values from the submitted form and messages from the errors; an
/// error that points to an existing record links to it when `existing`
/// (the link before the record's id) is given, with the text of the
/// error's message id followed by `-link`.
pub fn fill(
    t: Tr,
    fields: &mut [FieldView],
    form: &crate::http::forms::FormData,
    errors: &FieldErrors,
    existing: Option<&str>,
) {
    for f in fields.iter_mut() {
        if f.kind == "multi" {
            f.values = form.all(f.name);
        } else if f.kind != "password" {
            f.value = form.get(f.name);
        }
        let e = errors.0.iter().find(|e| e.field == f.name);
        f.error = e.map(|e| t.field_message(e));
        f.error_link = e
            .and_then(|e| e.existing_id)
            .zip(existing)
            .map(|(id, href)| {
                let text = e.map(|e| t.get(&format!("{}-link", e.code)));
                (format!("{href}{id}"), text.unwrap_or_default())
            });
    }
}

/// The error summary's rows: (field name, label, message), in form order;
/// errors for fields the form does not show come last under their name.
pub fn summary(t: Tr, fields: &[FieldView], errors: &FieldErrors) -> Vec<(String, String, String)> {
    errors
        .0
        .iter()
        .map(|e| {
            let label = fields
                .iter()
                .find(|f| f.name == e.field)
                .map(|f| f.label.clone())
                .unwrap_or_else(|| e.field.clone());
            (e.field.clone(), label, t.field_message(e))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "form_page.html")]
pub struct FormPage {
    pub t: Tr,
    pub layout: Layout,
    pub intro: Option<String>,
    /// What a destructive action will do (its button is marked as such).
    pub warning: Option<String>,
    pub errors: Vec<(String, String, String)>,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
    pub submit: String,
    pub cancel: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub layout: Layout,
    pub message: String,
    /// For a refusal (403): that her role does not give access, and whom
    /// to ask.
    pub whom: Option<String>,
}

pub struct Pager {
    /// How many pages (a keyset pager: 2 when there is more than one, its
    /// number unknown).
    pub pages: i64,
    /// "Page 2 of 7" (empty for a keyset pager).
    pub label: String,
    /// Back to the first page (a keyset pager past its first page).
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// `base` with the non-empty `query` parameters and `extra`.
fn link_with(base: &str, query: &[(&str, String)], extra: Option<(&str, String)>) -> String {
    let mut q: Vec<(&str, String)> = query
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .cloned()
        .collect();
    q.extend(extra);
    if q.is_empty() {
        return base.to_string();
    }
    format!(
        "{base}?{}",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    )
}

impl Pager {
    /// Links keep the other query parameters.
    pub fn new(t: Tr, base: &str, query: &[(&str, String)], page: i64, pages: i64) -> Self {
        let link = |p: i64| link_with(base, query, Some(("page", p.to_string())));
        Self {
            pages,
            label: t.with(
                "page-of",
                &[("page", page.to_string()), ("pages", pages.to_string())],
            ),
            first: None,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    /// A keyset pager over a page of participants: the previous page ends
    /// just before its first, the next starts just after its last (ids
    /// only, so no name travels in a link).
    pub fn keyset(base: &str, query: &[(&str, String)], page: &ListPage) -> Self {
        let prev = page
            .prev_before()
            .map(|id| link_with(base, query, Some(("before", id.to_string()))));
        let next = page
            .next_after()
            .map(|id| link_with(base, query, Some(("after", id.to_string()))));
        Self {
            pages: if prev.is_some() || next.is_some() {
                2
            } else {
                1
            },
            label: String::new(),
            first: page.has_prev.then(|| link_with(base, query, None)),
            prev,
            next,
        }
    }
}

pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// A POST button to this action (with the CSRF token).
    pub form: Option<String>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Self {
            text: s.into(),
            href: None,
            form: None,
        }
    }

    pub fn link(s: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: s.into(),
            href: Some(href.into()),
            form: None,
        }
    }

    pub fn button(s: impl Into<String>, action: impl Into<String>) -> Self {
        Self {
            text: s.into(),
            href: None,
            form: Some(action.into()),
        }
    }
}

pub struct Table {
    pub heading: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table under the message `heading`, its columns headed by the
    /// messages `head`.
    pub fn headed(t: Tr, heading: &str, head: &[&str], rows: Vec<Vec<Cell>>) -> Self {
        Self {
            heading: Some(t.get(heading)),
            head: head.iter().map(|id| t.get(id)).collect(),
            rows,
        }
    }

    /// The label a data cell of column `column` carries when the table is
    /// shown as stacked rows on a narrow screen (`data-label`, the column's
    /// heading); none for the first column, which heads its row, and for a
    /// column without a heading. (By reference: that is how templates pass
    /// arguments.)
    pub fn cell_label(&self, column: &usize) -> Option<&str> {
        match *column {
            0 => None,
            i => self
                .head
                .get(i)
                .map(String::as_str)
                .filter(|h| !h.is_empty()),
        }
    }

    /// Whether the table becomes stacked rows on a narrow screen: when it
    /// has more than two columns (two fit side by side at 320 px).
    pub fn stacks(&self) -> bool {
        self.head.len() > 2
    }
}

pub struct FilterForm {
    pub action: String,
    /// (name, label, input type, value)
    pub fields: Vec<(String, String, String, String)>,
    /// Choices after the fields: (name, label, options (value, text), chosen).
    pub selects: Vec<FilterSelect>,
}

/// A select of a filter form; its first option should be "any".
pub struct FilterSelect {
    pub name: String,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub value: String,
}

#[derive(Template)]
#[template(path = "table_page.html")]
pub struct TablePage {
    pub t: Tr,
    pub layout: Layout,
    pub intro: Option<String>,
    /// What stands above the tables: messages, forms, a secret shown once.
    pub blocks: Vec<Block>,
    pub links: Vec<(String, String)>,
    pub filter: Option<FilterForm>,
    pub tables: Vec<Table>,
    pub pager: Pager,
}

impl TablePage {
    pub fn new(t: Tr, layout: Layout) -> Self {
        Self {
            t,
            layout,
            intro: None,
            blocks: Vec::new(),
            links: Vec::new(),
            filter: None,
            tables: Vec::new(),
            pager: Pager {
                pages: 1,
                label: String::new(),
                first: None,
                prev: None,
                next: None,
            },
        }
    }
}

/// A part of a [`TablePage`] above its tables, rendered (and escaped) by
/// `blocks.html`: no handler builds HTML.
#[derive(Clone, Debug)]
pub enum Block {
    /// A paragraph.
    Text(String),
    /// A message announced at once (`role="alert"`).
    Alert(String),
    /// A value to copy exactly (a secret shown once), in `<code>`.
    Code(String),
    /// A list of messages in error.
    Errors(Vec<String>),
    /// Numbered steps, each with an optional value to copy.
    Steps(Vec<(String, Option<String>)>),
    Heading(String),
    Link {
        href: String,
        text: String,
    },
    /// An image (a QR code as a `data:` address) with its text alternative.
    Image {
        src: String,
        alt: String,
    },
    Form(FormBlock),
}

/// A small form of its own (with the page's CSRF token).
#[derive(Clone, Debug, Default)]
pub struct FormBlock {
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub inputs: Vec<Input>,
    pub hint: Option<String>,
    pub submit: String,
    /// A secondary (less prominent) button.
    pub secondary: bool,
}

/// One input of a [`FormBlock`], with its label and error.
#[derive(Clone, Debug, Default)]
pub struct Input {
    pub id: String,
    pub name: String,
    pub label: String,
    /// `text`, `password`, `number` or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub autocomplete: Option<&'static str>,
    pub numeric: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub maxlength: Option<i64>,
}

impl Input {
    pub fn new(name: &str, label: String, kind: &'static str) -> Self {
        Self {
            id: name.to_string(),
            name: name.to_string(),
            label,
            kind,
            ..Self::default()
        }
    }

    /// The error for this input's field, translated.
    pub fn error(mut self, t: Tr, errors: &palett_domain::FieldErrors) -> Self {
        self.error = errors.for_field(&self.name).map(|e| t.get(e));
        self
    }
}
