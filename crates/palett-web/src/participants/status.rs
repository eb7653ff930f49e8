use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::error::Invalid;
use crate::http::error::WebError;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::http::Id;
use crate::http::Segment;
use crate::i18n::Tr;
use crate::ui::views::*;
use crate::ui::{options, FormSpec};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::lifecycle::{
    parse_start, ExitDestination, ExitDestinationInput, ExitOutcome, Transition, TransitionKind,
};
use palett_domain::palette::PauseKind;
use palett_domain::record::HandoverInput;
use palett_domain::values::{parse_choice, parse_date};
use palett_domain::FieldErrors;

pub(crate) fn transition_spec(t: Tr, id: i64, kind: TransitionKind, title: String) -> FormSpec {
    FormSpec {
        title,
        section: "participants",
        path: format!("/participants/{id}/status/{}", kind.as_str()),
        fields: transition_fields(t, kind),
        submit: t.get("save"),
        cancel: format!("/participants/{id}"),
        intro: None,
        existing: None,
        warning: None,
        hidden: Vec::new(),
    }
}

/// "Start at once" at an intake: the box and the day (empty: the intake
/// day).
pub(crate) fn start_fields(t: Tr) -> Vec<FieldView> {
    vec![
        FieldView::new(t, "start_now", "field-start-now", "checkbox").hint(t, "hint-start-now"),
        FieldView::new(t, "start_on", "field-start-on", "date").hint(t, "hint-start-on"),
    ]
}

/// The "start at once" choice as an HTML form sends it: the box, and the
/// day only when the box is ticked (a day left in the field of an
/// unticked box starts no one).
pub(crate) fn start_choice(form: &FormData) -> (String, String) {
    let now = form.get("start_now");
    let on = match palett_domain::values::parse_flag(&now) {
        Ok(true) | Err(_) => form.get("start_on"),
        Ok(false) => String::new(),
    };
    (now, on)
}

pub(crate) fn transition_fields(t: Tr, kind: TransitionKind) -> Vec<FieldView> {
    match kind {
        TransitionKind::Intake => {
            let mut f =
                vec![FieldView::new(t, "intake_date", "field-intake-date", "date").required()];
            f.extend(start_fields(t));
            f
        }
        TransitionKind::Exit => vec![
            FieldView::new(t, "exit_date", "field-exit-date", "date").required(),
            FieldView::new(t, "exit_outcome", "field-exit-outcome", "select")
                .required()
                .options(options(
                    t,
                    ExitOutcome::ALL,
                    ExitOutcome::as_str,
                    ExitOutcome::message_id,
                ))
                .hint(t, "hint-exit-outcome"),
        ],
        TransitionKind::Pause => vec![
            FieldView::new(t, "date", "field-date", "date").required(),
            FieldView::new(t, "pause_kind", "field-pause-kind", "select")
                .required()
                .options(options(
                    t,
                    PauseKind::ALL,
                    PauseKind::as_str,
                    PauseKind::message_id,
                )),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        TransitionKind::Reopen => vec![
            FieldView::new(t, "date", "field-date", "date").required(),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        _ => vec![FieldView::new(t, "date", "field-date", "date").required()],
    }
}

/// The exit form's destination fields: the employer (the partnership's
/// active ones) and her placement that led there, for an exit to a job, or
/// the school, for studies. Only for those who work with employers; the
/// school alone otherwise.
pub(crate) async fn destination_fields(
    s: &AppState,
    c: &Caller,
    id: i64,
) -> Result<Vec<FieldView>, AppError> {
    let t = c.tr();
    let ctx = c.ctx();
    let mut fields = Vec::new();
    if ctx.actor.can_work_with_employers() {
        let mut employers = vec![(String::new(), "–".to_string())];
        employers.extend(
            s.app
                .employer_choices(&ctx)
                .await?
                .into_iter()
                .map(|(id, name)| (id.to_string(), name)),
        );
        let mut placements = vec![(String::new(), "–".to_string())];
        placements.extend(
            s.app
                .participant_placements(&ctx, id)
                .await?
                .into_iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        format!(
                            "{}: {} ({} – {})",
                            p.employer_name, p.opening_title, p.start_date, p.end_date
                        ),
                    )
                }),
        );
        fields.push(
            FieldView::new(t, "employer_id", "field-exit-employer", "select")
                .options(employers)
                .hint(t, "hint-exit-employer"),
        );
        fields.push(
            FieldView::new(t, "placement_id", "field-exit-placement", "select")
                .options(placements)
                .hint(t, "hint-exit-placement"),
        );
    }
    fields
        .push(FieldView::new(t, "school", "field-exit-school", "text").hint(t, "hint-exit-school"));
    Ok(fields)
}

/// An exit's destination from its form (shared with the JSON API); any
/// other change has none.
pub fn parse_destination(
    kind: TransitionKind,
    form: &FormData,
) -> Result<ExitDestination, FieldErrors> {
    if kind != TransitionKind::Exit {
        return Ok(ExitDestination::default());
    }
    form.input::<ExitDestinationInput>()
        .parse(ExitOutcome::parse(form.get("exit_outcome").trim()))
}

/// A transition and its destination, with the errors of both at once.
pub fn parse_change(
    kind: TransitionKind,
    form: &FormData,
) -> Result<(Transition, ExitDestination), FieldErrors> {
    match (parse_transition(kind, form), parse_destination(kind, form)) {
        (Ok(t), Ok(d)) => Ok((t, d)),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            Err(a)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// Parse a transition form (shared with the JSON API).
pub fn parse_transition(kind: TransitionKind, form: &FormData) -> Result<Transition, FieldErrors> {
    let mut e = FieldErrors::new();
    let date_field = match kind {
        TransitionKind::Intake => "intake_date",
        TransitionKind::Exit => "exit_date",
        _ => "date",
    };
    let on = e.take(date_field, parse_date(&form.get(date_field)));
    let outcome = if kind == TransitionKind::Exit {
        e.take(
            "exit_outcome",
            parse_choice(&form.get("exit_outcome"), ExitOutcome::parse),
        )
    } else {
        None
    };
    let pause_kind = if kind == TransitionKind::Pause {
        e.take(
            "pause_kind",
            parse_choice(&form.get("pause_kind"), PauseKind::parse),
        )
    } else {
        None
    };
    // The reason a pause or a reopening needs, through the one text parser.
    let reason = if matches!(kind, TransitionKind::Pause | TransitionKind::Reopen) {
        e.take(
            "reason",
            palett_domain::values::required_text(
                &form.get("reason"),
                palett_domain::values::TextKind::LINES,
            ),
        )
        .unwrap_or_default()
    } else {
        String::new()
    };
    let Some(on) = on else { return Err(e) };
    if !e.is_empty() {
        return Err(e);
    }
    Ok(match kind {
        TransitionKind::Intake => Transition::Intake { on },
        TransitionKind::Start => Transition::Start { on },
        TransitionKind::Pause => match pause_kind {
            Some(kind) => Transition::Pause { on, kind, reason },
            None => return Err(e),
        },
        TransitionKind::Resume => Transition::Resume { on },
        TransitionKind::Exit => match outcome {
            Some(outcome) => Transition::Exit { on, outcome },
            None => return Err(e),
        },
        TransitionKind::Reopen => Transition::Reopen { on, reason },
        TransitionKind::Referral => return Err(FieldErrors::single("kind", "error-choice")),
    })
}

/// The change a status page is for: any but the referral, which is how
/// she comes in; anything else is an unknown page.
fn page_kind(segment: &str) -> Answer<TransitionKind> {
    TransitionKind::parse(segment)
        .filter(|k| *k != TransitionKind::Referral)
        .ok_or_else(WebError::not_found)
}

pub async fn transition_form(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Segment(kind): Segment,
) -> Answer {
    let t = c.tr();
    let kind = page_kind(&kind)?;
    let v = s.app.participant(&c.ctx(), id).await?;
    let date_field = if kind == TransitionKind::Exit {
        "exit_date"
    } else if kind == TransitionKind::Intake {
        "intake_date"
    } else {
        "date"
    };
    let form = FormData(vec![(date_field.into(), s.app.today().to_string())]);
    let title = format!(
        "{}: {}",
        t.get(&format!("action-{}", kind.as_str())),
        v.participant.full_name()
    );
    let spec = with_destination(&s, &c, id, kind, transition_spec(t, id, kind, title)).await?;
    Ok(spec.blank(&c, &form))
}

/// An exit form also asks where it led.
async fn with_destination(
    s: &AppState,
    c: &Caller,
    id: i64,
    kind: TransitionKind,
    mut spec: FormSpec,
) -> Result<FormSpec, AppError> {
    if kind == TransitionKind::Exit {
        spec.fields.extend(destination_fields(s, c, id).await?);
        let t = c.tr();
        spec = spec.destructive(t.get("confirm-exit"), t.get("action-exit"));
    }
    Ok(spec)
}

pub async fn transition(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Segment(kind): Segment,
    form: FormData,
) -> Answer {
    let t = c.tr();
    let kind = page_kind(&kind)?;
    if kind == TransitionKind::Exit && !form.confirmed() {
        // Ending her participation is asked first: the form again, as sent.
        let v = s.app.participant(&c.ctx(), id).await?;
        let title = format!("{}: {}", t.get("action-exit"), v.participant.full_name());
        let spec = with_destination(&s, &c, id, kind, transition_spec(t, id, kind, title));
        return Ok(spec.await?.blank(&c, &form));
    }
    let mut started = false;
    let result = match parse_change(kind, &form) {
        // An intake may start her at once, in the same change.
        Ok((Transition::Intake { on }, _)) => {
            let (now, start_on) = start_choice(&form);
            match parse_start(&now, &start_on, Some(on), s.app.today()) {
                Ok(start) => {
                    started = start.is_some();
                    s.app.intake_and_start(&c.ctx(), id, on, start).await
                }
                Err(e) => Err(AppError::Invalid(e)),
            }
        }
        Ok((tr, to)) => s.app.transition_to(&c.ctx(), id, tr, &to).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    Ok(match result.or_invalid()? {
        Ok(()) => {
            let done = if kind == TransitionKind::Exit {
                "exit"
            } else if started {
                "started"
            } else {
                "status"
            };
            Redirect::to(&format!("/participants/{id}?done={done}")).into_response()
        }
        Err(errors) => {
            let title = t.get(&format!("action-{}", kind.as_str()));
            let spec = with_destination(&s, &c, id, kind, transition_spec(t, id, kind, title));
            spec.await?.invalid(&c, &form, &errors)
        }
    })
}

/// The organisations she can be handed over to: members today, other than
/// the one responsible for her.
pub(crate) async fn handover_spec(
    s: &AppState,
    c: &Caller,
    id: i64,
    responsible: i64,
) -> Result<FormSpec, AppError> {
    let t = c.tr();
    let today = s.app.today();
    let mut organisations: Vec<(String, String)> = Vec::new();
    for m in s.app.memberships(&c.ctx()).await? {
        let current = m.joined_on <= today && m.left_on.is_none_or(|l| today <= l);
        let key = m.organisation_id.to_string();
        if current
            && m.organisation_id != responsible
            && !organisations.iter().any(|(k, _)| *k == key)
        {
            organisations.push((key, m.organisation_name));
        }
    }
    Ok(FormSpec {
        title: t.get("handover-title"),
        section: "participants",
        path: format!("/participants/{id}/handover"),
        fields: vec![
            FieldView::new(t, "organisation_id", "field-handover-to", "select")
                .required()
                .options(organisations),
            FieldView::new(t, "reason", "field-reason", "textarea").required(),
        ],
        submit: t.get("handover-submit"),
        cancel: format!("/participants/{id}"),
        intro: Some(t.get("handover-intro")),
        existing: None,
        warning: None,
        hidden: Vec::new(),
    })
}

/// `GET /participants/{id}/handover`: the form to move the responsibility
/// for her (the giving organisation's coordinators).
pub async fn handover_form(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let v = s.app.participant(&c.ctx(), id).await?;
    if !v.may_hand_over {
        return Err(AppError::Forbidden.into());
    }
    let form = FormData(vec![("version".into(), v.participant.version.to_string())]);
    let spec = handover_spec(&s, &c, id, v.participant.responsible_organisation_id).await?;
    Ok(spec.blank(&c, &form))
}

pub async fn handover(State(s): State<AppState>, c: Caller, Id(id): Id, form: FormData) -> Answer {
    let version = form.get("version").parse::<i64>().ok();
    let errors = match s
        .app
        .hand_over(&c.ctx(), id, version, form.input::<HandoverInput>().parse())
        .await
    {
        // Back to her record, or to the list when it is no longer hers to see.
        Ok((_, true)) => return Ok(Redirect::to(&format!("/participants/{id}")).into_response()),
        Ok((_, false)) => return Ok(Redirect::to("/participants").into_response()),
        Err(AppError::Invalid(errors)) => errors,
        Err(AppError::Stale) => FieldErrors::single("version", "error-stale"),
        Err(e) => return Err(e.into()),
    };
    let responsible = {
        let v = s.app.participant(&c.ctx(), id).await?;
        v.participant.responsible_organisation_id
    };
    let spec = handover_spec(&s, &c, id, responsible).await?;
    Ok(spec.invalid(&c, &form, &errors))
}
