use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::FieldView;
use crate::ui::{admin_spec, confirm_spec, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_domain::record::{parse_restriction, NoteInput};

/// Write a note (HTML form on the participant page).
pub async fn add_note(State(s): State<AppState>, c: Caller, Id(pid): Id, f: FormData) -> Answer {
    let note = f.input::<NoteInput>().parse();
    Ok(
        match submit(note, async |note| {
            s.app.add_note(&c.ctx(), pid, &note).await
        })
        .await?
        {
            Ok(_) => {
                Redirect::to(&format!("/participants/{pid}?done=note#notes-h")).into_response()
            }
            Err(errors) => note_spec(c.tr(), pid).invalid(&c, &f, &errors),
        },
    )
}

/// The note form on its own page, shown again with its per-field errors
/// (the participant page carries the same form).
pub(crate) fn note_spec(t: Tr, pid: i64) -> FormSpec {
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

/// Her name, for a page that asks before a serious action on her record
/// (an audited read, by the same rules as her record).
async fn her_name(s: &AppState, c: &Caller, pid: i64) -> Result<String, palett_app::AppError> {
    Ok(s.app
        .participant(&c.ctx(), pid)
        .await?
        .participant
        .full_name())
}

/// The page that asks before restricting processing of her record (with
/// the reason) or lifting the restriction.
async fn restriction_spec(
    s: &AppState,
    c: &Caller,
    pid: i64,
    lift: bool,
) -> Result<FormSpec, palett_app::AppError> {
    let t = c.tr();
    let name = her_name(s, c, pid).await?;
    let (title, what, submit) = if lift {
        (
            "restriction-lift",
            "confirm-restriction-lift",
            "restriction-lift",
        )
    } else {
        (
            "restriction-set",
            "confirm-restriction-set",
            "restriction-set",
        )
    };
    let fields = if lift {
        Vec::new()
    } else {
        vec![FieldView::new(t, "reason", "field-reason", "textarea").required()]
    };
    let spec = admin_spec(
        t,
        format!("{}: {name}", t.get(title)),
        "participants",
        format!("/participants/{pid}/restriction"),
        fields,
        &format!("/participants/{pid}"),
    )
    .destructive(t.with(what, &[("name", name.clone())]), t.get(submit));
    Ok(if lift {
        spec.carry("lift", "true")
    } else {
        spec
    })
}

/// Restrict processing of her record, or lift the restriction, once
/// confirmed on the page that says what it means; unconfirmed, that page
/// (nothing changes).
pub async fn restriction(State(s): State<AppState>, c: Caller, Id(pid): Id, f: FormData) -> Answer {
    let lift = f.get("lift") == "true";
    if !f.confirmed() {
        return Ok(restriction_spec(&s, &c, pid, lift).await?.blank(&c, &f));
    }
    let reason = parse_restriction(!lift, &f.get("reason"));
    match submit(reason, async |reason| {
        s.app
            .restrict_processing(&c.ctx(), pid, reason.as_deref())
            .await
    })
    .await?
    {
        Ok(()) => {
            let done = if lift {
                "restriction-lifted"
            } else {
                "restricted"
            };
            Ok(Redirect::to(&format!("/participants/{pid}?done={done}")).into_response())
        }
        Err(errors) => Ok(restriction_spec(&s, &c, pid, lift)
            .await?
            .invalid(&c, &f, &errors)),
    }
}

/// Keep her record past the retention policy (archive rule), or stop
/// keeping it, once confirmed on the page that says what it means.
pub async fn archive_hold(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    f: FormData,
) -> Answer {
    let hold = f.get("hold") == "true";
    if !f.confirmed() {
        let t = c.tr();
        let name = her_name(&s, &c, pid).await?;
        let (what, submit) = if hold {
            ("confirm-archive-hold-set", "archive-hold-set")
        } else {
            ("confirm-archive-hold-lift", "archive-hold-lift")
        };
        let spec = confirm_spec(
            format!("{}: {name}", t.get("archive-hold-title")),
            "participants",
            format!("/participants/{pid}/archive-hold"),
            (t.with(what, &[("name", name)]), t.get(submit)),
            &format!("/participants/{pid}"),
        )
        .carry("hold", if hold { "true" } else { "false" });
        return Ok(spec.blank(&c, &f));
    }
    s.app.set_archive_hold(&c.ctx(), pid, hold).await?;
    let done = if hold {
        "archive-hold-set"
    } else {
        "archive-hold-lifted"
    };
    Ok(Redirect::to(&format!("/participants/{pid}?done={done}")).into_response())
}
