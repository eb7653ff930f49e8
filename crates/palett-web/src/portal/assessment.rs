//! How I am doing: she fills in her self-assessment herself, and sees her
//! earlier ones, each marked as hers or filled in with staff.

use super::pages::{layout, notice, DoneQuery};
use super::InPortal;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palett_app::AppError;
use palett_domain::selfassessment::{Aspect, SelfAssessmentInput, SCALE};

pub struct Question {
    key: &'static str,
    text: String,
    chosen: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/assessment.html")]
struct AssessmentPage {
    t: Tr,
    layout: PortalLayout,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    questions: Vec<Question>,
    /// (value, label) of the scale's steps.
    scale: Vec<(String, String)>,
    earlier: Vec<String>,
}

async fn assessment_page(
    s: &AppState,
    p: &InPortal,
    form: Option<&FormData>,
    errors: &palett_domain::FieldErrors,
    notice: Option<String>,
) -> Answer<AssessmentPage> {
    let t = p.tr();
    let earlier = s
        .app
        .her_self_assessments(&p.her, p.ip())
        .await?
        .iter()
        .rev()
        .map(|a| {
            let who = if a.by_participant {
                "portal-assessment-by-her"
            } else {
                "portal-assessment-with-staff"
            };
            t.with(
                "portal-assessment-line",
                &[
                    ("day", t.date(a.on)),
                    ("total", t.number(a.total())),
                    ("who", t.get(who)),
                ],
            )
        })
        .collect();
    let questions = Aspect::ALL
        .iter()
        .map(|a| Question {
            key: a.as_str(),
            text: t.get(&format!("portal-{}", a.message_id())),
            chosen: form.map(|f| f.get(a.as_str())).unwrap_or_default(),
            error: errors.for_field(a.as_str()).map(|code| t.get(code)),
        })
        .collect();
    Ok(AssessmentPage {
        t,
        layout: layout(
            p,
            "portal-assessment-title",
            "assessment",
            "/portal/assessment",
        ),
        notice,
        errors: errors
            .0
            .iter()
            .map(|f| (f.field.clone(), t.field_message(f)))
            .collect(),
        questions,
        scale: (SCALE.0..=SCALE.1)
            .map(|v| (v.to_string(), t.get(&format!("portal-scale-{v}"))))
            .collect(),
        earlier,
    })
}

pub async fn assessment(
    State(s): State<AppState>,
    p: InPortal,
    Query(q): Query<DoneQuery>,
) -> Answer {
    let n = notice(p.tr(), &q);
    let page = assessment_page(&s, &p, None, &palett_domain::FieldErrors::new(), n).await?;
    Ok(render(page))
}

pub async fn record_assessment(State(s): State<AppState>, p: InPortal, form: FormData) -> Answer {
    let input = SelfAssessmentInput {
        on: s.app.today().to_string(),
        scores: Aspect::ALL.iter().map(|a| form.get(a.as_str())).collect(),
    };
    let outcome = match input.parse(s.app.today()) {
        Ok(scored) => s
            .app
            .record_her_self_assessment(&p.her, p.ip(), &scored)
            .await
            .map(|_| ()),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/portal/assessment?done=assessment").into_response()),
        Err(AppError::Invalid(e)) => {
            let page = assessment_page(&s, &p, Some(&form), &e, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
