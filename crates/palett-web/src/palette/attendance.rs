use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{options, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_domain::palette::{AttendanceStatus, SessionStatus};
use palett_domain::path::AttendanceInput;
use palett_domain::FieldErrors;

// ---------------------------------------------------------------- attendance

pub struct AttendanceRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "attendance.html")]
pub struct AttendancePage {
    pub t: Tr,
    pub layout: Layout,
    pub intro: String,
    pub errors: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    pub cancelled: bool,
    pub choices: Vec<(String, String)>,
    pub rows: Vec<AttendanceRow>,
    /// The names of those whose month is attested (a change needs a
    /// reason), the reason entered and its error.
    pub attested: Vec<String>,
    pub correction_reason: String,
    pub correction_error: Option<String>,
}

pub(crate) async fn attendance_page(
    s: &AppState,
    c: &Caller,
    sid: i64,
    submitted: Option<&FormData>,
    errors: &FieldErrors,
) -> Answer {
    let t = c.tr();
    let sheet = s.app.attendance_sheet(&c.ctx(), sid).await?;
    let rows: Vec<AttendanceRow> = sheet
        .roster
        .iter()
        .map(|(pid, name, recorded)| AttendanceRow {
            id: *pid,
            name: name.clone(),
            status: submitted
                .map(|f| f.get(&format!("attendance.{pid}")))
                .unwrap_or_else(|| recorded.map(|r| r.as_str().to_string()).unwrap_or_default()),
            error: errors
                .for_field(&format!("attendance.{pid}"))
                .map(|code| t.get(code)),
        })
        .collect();
    let error_list = errors
        .0
        .iter()
        .map(|e| {
            let who = rows
                .iter()
                .find(|r| format!("attendance.{}", r.id) == e.field);
            let anchor = match who {
                Some(r) => format!("a-{}-present", r.id),
                None if e.field == "correction_reason" => e.field.clone(),
                None => String::new(),
            };
            let name = match who {
                Some(r) => r.name.clone(),
                None if e.field == "correction_reason" => t.get("field-correction-reason"),
                None => e.field.clone(),
            };
            (anchor, format!("{name}: {}", t.get(e.code)))
        })
        .collect();
    let attested = rows
        .iter()
        .filter(|r| sheet.attested.contains(&r.id))
        .map(|r| r.name.clone())
        .collect();
    let x = &sheet.session;
    let page = AttendancePage {
        t,
        layout: Layout::for_caller(
            c,
            format!(
                "{}: {} {}",
                t.get("attendance-title"),
                sheet.group.name,
                x.on_date
            ),
            "palette",
            &format!("/sessions/{sid}/attendance"),
        ),
        intro: t.with(
            "attendance-intro",
            &[
                ("intervention", sheet.group.intervention_name.clone()),
                ("time", x.start_time.clone()),
                ("minutes", x.minutes.to_string()),
            ],
        ),
        errors: error_list,
        action: format!("/sessions/{sid}/attendance"),
        back: format!("/groups/{}", sheet.group.id),
        cancelled: x.status == SessionStatus::Cancelled,
        choices: options(
            t,
            AttendanceStatus::ALL,
            AttendanceStatus::as_str,
            AttendanceStatus::message_id,
        ),
        rows,
        attested,
        correction_reason: submitted
            .map(|f| f.get("correction_reason"))
            .unwrap_or_default(),
        correction_error: errors.for_field("correction_reason").map(|c| t.get(c)),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(page)).into_response())
}

pub async fn attendance_form(State(s): State<AppState>, c: Caller, Id(sid): Id) -> Answer {
    attendance_page(&s, &c, sid, None, &FieldErrors::new()).await
}

pub async fn attendance_save(
    State(s): State<AppState>,
    c: Caller,
    Id(sid): Id,
    form: FormData,
) -> Answer {
    let rows: Vec<(String, String)> = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("attendance.")
                .map(|p| (p.to_string(), v.clone()))
        })
        .collect();
    let cmd = AttendanceInput {
        rows,
        correction_reason: form.get("correction_reason"),
    }
    .parse();
    Ok(
        match submit(cmd, async |cmd| {
            s.app.record_attendance(&c.ctx(), sid, &cmd).await
        })
        .await?
        {
            Ok(_) => {
                let g = s.app.session_group(&c.ctx(), sid).await?;
                Redirect::to(&format!("/groups/{g}?done=attendance")).into_response()
            }
            Err(errors) => attendance_page(&s, &c, sid, Some(&form), &errors).await?,
        },
    )
}
