use crate::http::caller::Caller;
use crate::http::error::submit;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::FieldView;
use crate::ui::{admin_spec, FormSpec};
use axum::extract::State;
use axum::http::StatusCode;
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
            Ok(_) => Redirect::to(&format!("/participants/{pid}#notes-h")).into_response(),
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

/// Restrict processing of her record, or lift the restriction.
pub async fn restriction(State(s): State<AppState>, c: Caller, Id(pid): Id, f: FormData) -> Answer {
    let reason = parse_restriction(f.get("lift") != "true", &f.get("reason"));
    Ok(
        match submit(reason, async |reason| {
            s.app
                .restrict_processing(&c.ctx(), pid, reason.as_deref())
                .await
        })
        .await?
        {
            Ok(()) => Redirect::to(&format!("/participants/{pid}")).into_response(),
            Err(_) => crate::ui::error_page(
                c.tr(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-restriction-reason",
            ),
        },
    )
}

/// Keep her record past the retention policy (archive rule), or stop keeping it.
pub async fn archive_hold(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    f: FormData,
) -> Answer {
    s.app
        .set_archive_hold(&c.ctx(), pid, f.get("hold") == "true")
        .await?;
    Ok(Redirect::to(&format!("/participants/{pid}")).into_response())
}
