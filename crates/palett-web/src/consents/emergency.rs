use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::views::FieldView;
use crate::ui::{admin_spec, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::record::EmergencyInput;

pub(crate) fn emergency_spec(t: Tr) -> FormSpec {
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
pub async fn emergency_form(c: Caller) -> Answer {
    if !c.signed.actor.can_break_the_glass() {
        return Err(AppError::Forbidden.into());
    }
    Ok(emergency_spec(c.tr()).blank(&c, &FormData::default()))
}

pub async fn emergency(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    Ok(
        match s
            .app
            .break_the_glass(&c.ctx(), f.input::<EmergencyInput>().parse(s.app.today()))
            .await
            .or_invalid()?
        {
            Ok(pid) => Redirect::to(&format!("/participants/{pid}")).into_response(),
            Err(errors) => emergency_spec(c.tr()).invalid(&c, &f, &errors),
        },
    )
}
