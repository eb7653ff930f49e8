//! The referrals' forms: refer her, take a referral's next step, agree a
//! partner's routine.

use crate::http::caller::Caller;
use crate::http::error::{Answer, Invalid};
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{admin_spec, choices, options, submitted_with, Choices, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use palett_app::AppError;
use palett_domain::consent::ConsentMethod;
use palett_domain::record::NoteVisibility;
use palett_domain::referral::{
    DeclineReason, Referral, ReferralInput, ReferralOrigin, ReferralPurpose, ReferralState,
    ReferralStepInput, RoutineInput,
};

/// To the referral's page, confirming what was done.
fn done(id: i64, what: &str) -> Response {
    debug_assert!(super::pages::DONE.contains(&what));
    Redirect::to(&format!("/referrals/{id}?done={what}")).into_response()
}

/// The fields of a referral: who referred her, to whom, for what, why,
/// what is asked.
fn referral_fields(t: Tr, ch: &Choices, interventions: Vec<(String, String)>) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "source", "referral-origin", "select")
            .required()
            .options(options(
                t,
                ReferralOrigin::ALL,
                ReferralOrigin::as_str,
                ReferralOrigin::message_id,
            ))
            .hint(t, "hint-referral-source"),
        FieldView::new(t, "to_organisation_id", "referral-to", "select")
            .required()
            .options(ch.organisations.clone()),
        FieldView::new(t, "purpose", "referral-purpose", "select")
            .required()
            .options(options(
                t,
                ReferralPurpose::ALL,
                ReferralPurpose::as_str,
                ReferralPurpose::message_id,
            )),
        FieldView::new(t, "intervention_id", "field-intervention", "select")
            .options(interventions)
            .hint(t, "hint-referral-intervention"),
        FieldView::new(t, "reason", "referral-reason", "textarea")
            .required()
            .hint(t, "hint-referral-reason"),
        FieldView::new(t, "asked", "referral-asked", "textarea").required(),
    ]
}

async fn interventions(s: &AppState, c: &Caller) -> Result<Vec<(String, String)>, AppError> {
    Ok(s.app
        .palette(&c.ctx(), false)
        .await?
        .into_iter()
        .map(|i| {
            (
                i.id.to_string(),
                format!("{} ({})", i.name, i.provider_name),
            )
        })
        .collect())
}

/// Her notes shared with the partners, to attach: (id, day and start).
async fn shared_notes(
    s: &AppState,
    c: &Caller,
    pid: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let tz = palett_app::clock::stockholm();
    Ok(s.app
        .notes(&c.ctx(), pid)
        .await?
        .into_iter()
        .filter(|n| n.visibility == NoteVisibility::Shared.as_str())
        .map(|n| {
            let start: String = n.body.chars().take(80).collect();
            let more = if n.body.chars().count() > 80 {
                "…"
            } else {
                ""
            };
            (
                n.id.to_string(),
                format!(
                    "{} ({}): {start}{more}",
                    n.created_at.to_zoned(tz.clone()).date(),
                    n.organisation
                ),
            )
        })
        .collect())
}

async fn new_spec(s: &AppState, c: &Caller, pid: i64) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let her = s.app.participant(&c.ctx(), pid).await?;
    // Whom she may not change she may not refer: no form to fill in vain.
    if !her.may_change {
        return Err(AppError::Forbidden);
    }
    let ch = choices(s, c).await?;
    let mut fields = referral_fields(t, &ch, interventions(s, c).await?);
    fields.extend([
        FieldView::new(t, "sent_on", "referral-sent-on", "date").required(),
        FieldView::new(t, "record_consent", "referral-record-consent", "checkbox")
            .hint(t, "hint-referral-record-consent"),
        FieldView::new(t, "consent_method", "field-consent-method", "select").options(options(
            t,
            ConsentMethod::ALL,
            ConsentMethod::as_str,
            ConsentMethod::message_id,
        )),
        FieldView::new(t, "consent_given_on", "field-given-on", "date"),
    ]);
    let notes = shared_notes(s, c, pid).await?;
    if !notes.is_empty() {
        fields.push(
            FieldView::new(t, "note_ids", "referral-notes", "multi")
                .options(notes)
                .hint(t, "hint-referral-notes"),
        );
    }
    Ok(admin_spec(
        t,
        t.with("referral-new-for", &[("name", her.participant.full_name())]),
        "referrals",
        format!("/participants/{pid}/referrals/new"),
        fields,
        &format!("/participants/{pid}/referrals"),
    ))
}

/// The form for a woman not yet registered: her registration (as
/// referred; the sharing consent she gives covers the receiving partner)
/// and the referral, in one.
async fn new_woman_spec(s: &AppState, c: &Caller) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ch = choices(s, c).await?;
    let mut fields = crate::participants::form::participant_fields(t, &ch, true, true);
    // A woman referred on is not started here: her intake is the receiver's.
    fields.retain(|f| f.name != "start_now" && f.name != "start_on");
    fields.extend(referral_fields(t, &ch, interventions(s, c).await?));
    Ok(admin_spec(
        t,
        t.get("referral-new-woman"),
        "referrals",
        "/referrals/new".into(),
        fields,
        "/referrals",
    )
    .intro(t.get("referral-new-woman-intro")))
}

pub async fn new_woman_form(State(s): State<AppState>, c: Caller) -> Answer {
    let a = &c.signed.actor;
    if !a.can_refer() || !a.can_register_participants() {
        return Err(AppError::Forbidden.into());
    }
    let defaults = FormData(vec![
        ("identity_kind".into(), "personnummer".into()),
        ("gender".into(), "woman".into()),
        (
            "responsible_organisation_id".into(),
            c.signed.user.organisation_id.to_string(),
        ),
        ("referred_on".into(), s.app.today().to_string()),
        ("source".into(), ReferralOrigin::Partner.as_str().into()),
        ("purpose".into(), ReferralPurpose::Intake.as_str().into()),
    ]);
    Ok(new_woman_spec(&s, &c).await?.blank(&c, &defaults))
}

/// Her registration and the referral from one form or body: the referral
/// is sent on the day she was referred, and its errors on that day are
/// that field's.
pub(crate) fn new_woman_input(
    form: &FormData,
    today: jiff::civil::Date,
) -> (
    palett_domain::Parsed<palett_domain::model::ParticipantProfile>,
    palett_domain::Parsed<palett_domain::referral::ReferralSpec>,
) {
    let profile = form
        .input::<palett_domain::model::ParticipantInput>()
        .parse(today);
    let referral = ReferralInput {
        source: form.get("source"),
        to_organisation_id: form.get("to_organisation_id"),
        purpose: form.get("purpose"),
        intervention_id: form.get("intervention_id"),
        reason: form.get("reason"),
        asked: form.get("asked"),
        sent_on: form.get("referred_on"),
        ..ReferralInput::default()
    }
    .parse(today)
    .map_err(|mut e| {
        // The day is the profile's field, and named there already.
        e.0.retain(|f| f.field != "sent_on");
        e
    });
    (profile, referral)
}

pub async fn new_woman(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    let (profile, referral) = new_woman_input(&form, s.app.today());
    let outcome = s
        .app
        .register_and_refer(&c.ctx(), profile, referral)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |(_, id)| done(id, "sent"),
        async || new_woman_spec(&s, &c).await,
    )
    .await
}

pub async fn new_form(State(s): State<AppState>, c: Caller, Id(pid): Id) -> Answer {
    if !c.signed.actor.can_refer() {
        return Err(AppError::Forbidden.into());
    }
    let today = s.app.today().to_string();
    let defaults = FormData(vec![
        ("source".into(), ReferralOrigin::Partner.as_str().into()),
        (
            "purpose".into(),
            ReferralPurpose::Assessment.as_str().into(),
        ),
        ("sent_on".into(), today.clone()),
        ("consent_given_on".into(), today),
    ]);
    Ok(new_spec(&s, &c, pid).await?.blank(&c, &defaults))
}

pub async fn create(State(s): State<AppState>, c: Caller, Id(pid): Id, form: FormData) -> Answer {
    let parsed = form.input::<ReferralInput>().parse(s.app.today());
    let outcome = s.app.refer(&c.ctx(), pid, parsed).await.or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |id| done(id, "sent"),
        async || new_spec(&s, &c, pid).await,
    )
    .await
}

async fn step_spec(s: &AppState, c: &Caller, id: i64, r: &Referral) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let ctx = c.ctx();
    // Her enrolments, for "started" (she is one of the caller's once the
    // referral is accepted; before, there is nothing to choose).
    let enrolments = match s.app.enrolments(&ctx, r.participant_id).await {
        Ok(list) => list
            .into_iter()
            .map(|e| {
                (
                    e.id.to_string(),
                    format!(
                        "{} ({})",
                        e.intervention_name,
                        t.get(&e.status.message_id())
                    ),
                )
            })
            .collect(),
        Err(AppError::NotFound | AppError::Forbidden) => Vec::new(),
        Err(e) => return Err(e),
    };
    let partners = choices(s, c)
        .await?
        .organisations
        .into_iter()
        .filter(|(o, _)| *o != r.to_organisation_id.to_string())
        .collect();
    Ok(admin_spec(
        t,
        t.with(
            "referral-step-title",
            &[("name", r.participant_name.clone())],
        ),
        "referrals",
        format!("/referrals/{id}/step"),
        step_fields(t, r, enrolments, partners),
        &format!("/referrals/{id}"),
    ))
}

fn step_fields(
    t: Tr,
    r: &Referral,
    enrolments: Vec<(String, String)>,
    partners: Vec<(String, String)>,
) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "state", "referral-state", "select")
            .required()
            .options(options(
                t,
                r.state.next(),
                ReferralState::as_str,
                ReferralState::message_id,
            ))
            .hint(t, "hint-referral-step"),
        FieldView::new(t, "on_date", "field-date", "date").required(),
        FieldView::new(t, "reason", "field-reason", "select")
            .options(options(
                t,
                DeclineReason::ALL,
                DeclineReason::as_str,
                DeclineReason::message_id,
            ))
            .hint(t, "hint-referral-decline-reason"),
        FieldView::new(t, "note", "field-note", "textarea").hint(t, "hint-referral-note"),
        FieldView::new(t, "enrolment_id", "referral-enrolment", "select")
            .options(enrolments)
            .hint(t, "hint-referral-enrolment"),
        FieldView::new(t, "to_organisation_id", "referral-forward-to", "select")
            .options(partners)
            .hint(t, "hint-referral-forward"),
    ]
}

pub async fn step_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.referral(&c.ctx(), id).await?;
    if !v.may_answer || v.referral.state.is_final() {
        return Err(AppError::Forbidden.into());
    }
    let first = v.referral.state.next().first().map(|st| st.as_str());
    let defaults = FormData(vec![
        ("state".into(), first.unwrap_or_default().into()),
        ("on_date".into(), s.app.today().to_string()),
    ]);
    Ok(step_spec(&s, &c, id, &v.referral)
        .await?
        .blank(&c, &defaults))
}

pub async fn step_save(State(s): State<AppState>, c: Caller, Id(id): Id, form: FormData) -> Answer {
    let input = form.input::<ReferralStepInput>();
    let outcome = s
        .app
        .referral_step(&c.ctx(), id, &input)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |forwarded| match forwarded {
            Some(_) => done(id, "forwarded"),
            None => done(id, "step"),
        },
        async || {
            let v = s.app.referral(&c.ctx(), id).await?;
            step_spec(&s, &c, id, &v.referral).await
        },
    )
    .await
}

fn routine_spec(t: Tr, org: i64, name: &str) -> FormSpec {
    admin_spec(
        t,
        t.with("referral-routine-title", &[("name", name.to_string())]),
        "referrals",
        format!("/organisations/{org}/referral-routine"),
        vec![
            FieldView::new(t, "answer_days", "referral-answer-days", "number")
                .required()
                .hint(t, "hint-referral-answer-days"),
            FieldView::new(t, "contact", "referral-contact", "text")
                .hint(t, "hint-referral-contact"),
        ],
        "/referral-routines",
    )
}

/// The routine of `org` as the caller may see it, or not found.
async fn routine_of(
    s: &AppState,
    c: &Caller,
    org: i64,
) -> Result<palett_app::referrals::Routine, AppError> {
    s.app
        .referral_routines(&c.ctx())
        .await?
        .into_iter()
        .find(|r| r.organisation_id == org)
        .ok_or(AppError::NotFound)
}

pub async fn routine_form(State(s): State<AppState>, c: Caller, Id(org): Id) -> Answer {
    let r = routine_of(&s, &c, org).await?;
    if !c.signed.actor.can_set_referral_routine(org) {
        return Err(AppError::Forbidden.into());
    }
    let values = FormData(vec![
        ("answer_days".into(), r.answer_days.to_string()),
        ("contact".into(), r.contact.unwrap_or_default()),
    ]);
    Ok(routine_spec(c.tr(), org, &r.organisation_name).blank(&c, &values))
}

pub async fn routine_save(
    State(s): State<AppState>,
    c: Caller,
    Id(org): Id,
    form: FormData,
) -> Answer {
    let parsed = form.input::<RoutineInput>().parse();
    let outcome = s
        .app
        .set_referral_routine(&c.ctx(), org, parsed)
        .await
        .or_invalid()?;
    submitted_with(
        &c,
        &form,
        outcome,
        |()| Redirect::to("/referral-routines").into_response(),
        async || {
            let r = routine_of(&s, &c, org).await?;
            Ok(routine_spec(c.tr(), org, &r.organisation_name))
        },
    )
    .await
}
