use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{choices, options, Choices, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::consent::ConsentMethod;
use palett_domain::followup::{IncomeSource, LabourStatus};
use palett_domain::model::ParticipantInput;
use palett_domain::values::{EducationLevel, Gender, IdentityKind, ReferralSource, SwedishLevel};
use palett_domain::FieldErrors;

pub(crate) fn participant_fields(
    t: Tr,
    ch: &Choices,
    with_intake: bool,
    with_restricted: bool,
) -> Vec<FieldView> {
    let mut f = vec![
        FieldView::new(t, "given_name", "field-given-name", "text")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "family_name", "field-family-name", "text")
            .required()
            .autocomplete("off"),
        FieldView::new(t, "identity_kind", "field-identity-kind", "select")
            .required()
            .options(options(
                t,
                IdentityKind::ALL,
                IdentityKind::as_str,
                IdentityKind::message_id,
            )),
        FieldView::new(t, "identity_number", "field-identity-number", "text")
            .hint(t, "hint-identity-number")
            .autocomplete("off"),
        FieldView::new(t, "birth_date", "field-birth-date", "date").hint(t, "hint-birth-date"),
        FieldView::new(t, "gender", "field-gender", "select")
            .required()
            .options(options(t, Gender::ALL, Gender::as_str, Gender::message_id)),
        FieldView::new(t, "country_of_birth", "field-country-of-birth", "text"),
        FieldView::new(t, "arrival_year", "field-arrival-year", "number"),
        FieldView::new(t, "languages", "field-languages", "text").hint(t, "hint-languages"),
        FieldView::new(
            t,
            "interpreter_needed",
            "field-interpreter-needed",
            "checkbox",
        ),
        FieldView::new(t, "phone", "field-phone", "text").autocomplete("off"),
        FieldView::new(t, "email", "field-email", "email").autocomplete("off"),
        FieldView::new(t, "address", "field-address", "textarea"),
        FieldView::new(t, "education_level", "field-education-level", "select").options(options(
            t,
            EducationLevel::ALL,
            EducationLevel::as_str,
            EducationLevel::message_id,
        )),
        FieldView::new(t, "labour_status", "field-labour-status", "select").options(options(
            t,
            LabourStatus::ALL,
            LabourStatus::as_str,
            LabourStatus::message_id,
        )),
        FieldView::new(t, "income_source", "field-income-source", "select").options(options(
            t,
            IncomeSource::ALL,
            IncomeSource::as_str,
            IncomeSource::message_id,
        )),
        FieldView::new(t, "months_on_support", "field-months-on-support", "number")
            .hint(t, "hint-months-on-support"),
        FieldView::new(t, "swedish_level", "field-swedish-level", "select").options(options(
            t,
            SwedishLevel::ALL,
            SwedishLevel::as_str,
            SwedishLevel::message_id,
        )),
        FieldView::new(t, "referral_source", "field-referral-source", "select")
            .required()
            .options(options(
                t,
                ReferralSource::ALL,
                ReferralSource::as_str,
                ReferralSource::message_id,
            )),
        FieldView::new(
            t,
            "responsible_organisation_id",
            "field-responsible-organisation",
            "select",
        )
        .required()
        .options(ch.organisations.clone()),
        FieldView::new(t, "caseworker_ids", "field-caseworkers", "multi")
            .options(ch.caseworkers.clone()),
        FieldView::new(t, "project_ids", "field-projects", "multi").options(ch.projects.clone()),
        FieldView::new(t, "referred_on", "field-referred-on", "date").hint(t, "hint-referred-on"),
    ];
    if with_restricted {
        f.push(
            FieldView::new(t, "health_notes", "field-health-notes", "textarea")
                .hint(t, "hint-restricted"),
        );
        f.push(
            FieldView::new(t, "support_needs", "field-support-needs", "textarea")
                .hint(t, "hint-restricted"),
        );
        f.push(FieldView::new(
            t,
            "protected_identity",
            "field-protected-identity",
            "checkbox",
        ));
    }
    if !with_intake {
        // An edit does not move the responsibility for her: a handover does.
        f = f
            .into_iter()
            .map(|v| {
                if v.name == "responsible_organisation_id" {
                    v.hint(t, "hint-responsible-handover")
                } else {
                    v
                }
            })
            .collect();
    }
    if with_intake {
        f.push(
            FieldView::new(t, "intake_date", "field-intake-date", "date")
                .hint(t, "hint-intake-date"),
        );
        f.extend(super::status::start_fields(t));
        f.push(
            FieldView::new(
                t,
                "sharing_organisation_ids",
                "field-sharing-at-intake",
                "multi",
            )
            .options(ch.organisations.clone())
            .hint(t, "hint-sharing-at-intake"),
        );
        f.push(
            FieldView::new(t, "consent_method", "field-consent-method", "select").options(options(
                t,
                &[ConsentMethod::SignedPaper, ConsentMethod::Digital],
                ConsentMethod::as_str,
                ConsentMethod::message_id,
            )),
        );
    }
    f
}

pub(crate) fn intake_spec(t: Tr, ch: &Choices) -> FormSpec {
    FormSpec {
        title: t.get("intake-title"),
        section: "intake",
        path: "/participants/new".into(),
        fields: participant_fields(t, ch, true, true),
        submit: t.get("intake-submit"),
        cancel: "/participants".into(),
        intro: Some(t.get("intake-intro")),
        existing: None,
        warning: None,
        hidden: Vec::new(),
    }
}

pub(crate) fn edit_spec(t: Tr, ch: &Choices, id: i64, restricted: bool) -> FormSpec {
    FormSpec {
        title: t.get("edit-title"),
        section: "participants",
        path: format!("/participants/{id}/edit"),
        fields: participant_fields(t, ch, false, restricted),
        submit: t.get("save"),
        cancel: format!("/participants/{id}"),
        intro: None,
        existing: None,
        warning: None,
        hidden: Vec::new(),
    }
}

/// A simple form page: what it shows, where it posts, where Cancel goes.
pub async fn intake_form(State(s): State<AppState>, c: Caller) -> Answer {
    let t = c.tr();
    if !c.signed.actor.can_register_participants() {
        return Err(AppError::Forbidden.into());
    }
    let ch = choices(&s, &c).await?;
    // Sensible defaults: her own organisation, today as intake.
    let today = s.app.today().to_string();
    let form = FormData(vec![
        ("identity_kind".into(), "personnummer".into()),
        ("gender".into(), "woman".into()),
        (
            "responsible_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
        ("referred_on".into(), today.clone()),
        ("intake_date".into(), today),
    ]);
    Ok(intake_spec(t, &ch).blank(&c, &form))
}

pub async fn intake(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let t = c.tr();
    let mut input = form.input::<ParticipantInput>();
    // The day counts only with the box ticked.
    (input.start_now, input.start_on) = super::status::start_choice(&form);
    let profile = input.parse(s.app.today());
    let started = profile.as_ref().is_ok_and(|p| p.start_on.is_some());
    Ok(
        match s
            .app
            .register_participant(&c.ctx(), profile)
            .await
            .or_invalid()?
        {
            // The notice says she is started, when she is.
            Ok(id) if started => {
                Redirect::to(&format!("/participants/{id}?done=started")).into_response()
            }
            Ok(id) => Redirect::to(&format!("/participants/{id}")).into_response(),
            Err(errors) => {
                let ch = choices(&s, &c).await?;
                intake_spec(t, &ch).invalid(&c, &form, &errors)
            }
        },
    )
}

pub async fn edit_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let t = c.tr();
    let (input, version, restricted) = s.app.participant_form(&c.ctx(), id).await?;
    let ch = choices(&s, &c).await?;
    let mut pairs = vec![
        ("given_name", input.given_name),
        ("family_name", input.family_name),
        ("identity_kind", input.identity_kind),
        ("identity_number", input.identity_number),
        ("birth_date", input.birth_date),
        ("gender", input.gender),
        ("country_of_birth", input.country_of_birth),
        ("arrival_year", input.arrival_year),
        ("languages", input.languages),
        ("interpreter_needed", input.interpreter_needed),
        ("phone", input.phone),
        ("email", input.email),
        ("address", input.address),
        ("education_level", input.education_level),
        ("labour_status", input.labour_status),
        ("income_source", input.income_source),
        ("months_on_support", input.months_on_support),
        ("swedish_level", input.swedish_level),
        ("referral_source", input.referral_source),
        (
            "responsible_organisation_id",
            input.responsible_organisation_id,
        ),
        ("referred_on", input.referred_on),
        ("version", version.to_string()),
        ("health_notes", input.health_notes),
        ("support_needs", input.support_needs),
        ("protected_identity", input.protected_identity),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect::<Vec<_>>();
    pairs.extend(
        input
            .caseworker_ids
            .into_iter()
            .map(|v| ("caseworker_ids".to_string(), v)),
    );
    pairs.extend(
        input
            .project_ids
            .into_iter()
            .map(|v| ("project_ids".to_string(), v)),
    );
    Ok(edit_spec(t, &ch, id, restricted).blank(&c, &FormData(pairs)))
}

pub async fn edit(State(s): State<AppState>, c: Caller, Id(id): Id, form: FormData) -> Answer {
    let t = c.tr();
    let version = form.get("version").parse::<i64>().ok();
    let profile = form.input::<ParticipantInput>().parse(s.app.today());
    // A parse error and the use case's own errors are answered alike.
    let updated = async {
        s.app
            .update_participant(&c.ctx(), id, version, &profile?)
            .await
    }
    .await;
    let errors = match updated {
        Ok(()) => {
            return Ok(Redirect::to(&format!("/participants/{id}?done=saved")).into_response())
        }
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Stale) => FieldErrors::single("version", "error-stale"),
        Err(e) => return Err(e.into()),
    };
    let ch = choices(&s, &c).await?;
    // The form carried the restricted fields only if she may see them.
    let restricted = form.0.iter().any(|(k, _)| k == "health_notes");
    Ok(edit_spec(t, &ch, id, restricted).invalid(&c, &form, &errors))
}
