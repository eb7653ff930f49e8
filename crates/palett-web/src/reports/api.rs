//! A project's funder reports and ESF+ monthly participant files in the
//! JSON API: each report as JSON (its figures, typed) and as the file the
//! HTML offers (CSV, XLSX, PDF), with the same period parameters.

use super::documents::{report_file, PeriodQuery};
use super::esf::{day_of, month_file};
use crate::http::caller::Caller;
use crate::http::error::{Answer, WebError};
use crate::http::openapi::vocab;
use crate::http::{AppState, Id};
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{Query, RawPathParams, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use palett_app::reports::{FinalFigures, FunderReport, MonthLine, ReportBody, ReportKind};
use palett_domain::admin::ReportPeriodInput;
use palett_domain::indicators::{Indicator, Month};
use palett_domain::lifecycle::ExitOutcome;
use palett_domain::summary::percent;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// The path segment named `name`; none is an unknown resource (404).
fn segment(params: &Result<RawPathParams, RawPathParamsRejection>, name: &str) -> Answer<String> {
    params
        .as_ref()
        .ok()
        .and_then(|p| {
            p.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
        .ok_or_else(WebError::not_found)
}

/// The period a report covers.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PeriodParams {
    /// The first day (YYYY-MM-DD); default the project's start.
    #[param(format = Date)]
    from: Option<String>,
    /// The last day (YYYY-MM-DD); default the project's end.
    #[param(format = Date)]
    to: Option<String>,
}

/// The report of `kind` over the query's period; a bad date or a period
/// that ends before it starts is a 400 naming `from` or `to`.
async fn report_of(
    s: &AppState,
    c: &Caller,
    project_id: i64,
    kind: &str,
    q: PeriodQuery,
    export: bool,
) -> Answer<FunderReport> {
    let kind = ReportKind::parse(kind).ok_or_else(WebError::not_found)?;
    let period = ReportPeriodInput {
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
    };
    s.app
        .funder_report(&c.ctx(), kind, Some(project_id), period.parse(), export)
        .await
        .map_err(|e| {
            let mut e = WebError::from(e);
            if e.status == StatusCode::UNPROCESSABLE_ENTITY {
                e.status = StatusCode::BAD_REQUEST;
            }
            e
        })
}

/// A project's funder report as JSON
///
/// `kind` is `final`, `finsam`, `before_after` or `esf_indicators`; only
/// the body of that kind is set. Figures only; no participant is named.
#[utoipa::path(get, path = "/projects/{id}/reports/{kind}", tag = "reports",
    params(PeriodParams), responses((status = 200, body = FunderReportDto)))]
pub async fn api_funder_report(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    params: Result<RawPathParams, RawPathParamsRejection>,
    Query(q): Query<PeriodQuery>,
) -> Answer<Json<FunderReportDto>> {
    let kind = segment(&params, "kind")?;
    let r = report_of(&s, &c, project_id, &kind, q, false).await?;
    Ok(Json(FunderReportDto::new(c.tr(), project_id, &r)))
}

/// A project's funder report as a file (audited as an export)
///
/// `format` is `csv`, `xlsx` or `pdf`: the document the report page
/// offers, in the caller's language, as an attachment named after the
/// kind and the period.
#[utoipa::path(get, path = "/projects/{id}/reports/{kind}/{format}", tag = "reports",
    params(PeriodParams),
    responses((status = 200, description = "The report as a file (`Content-Disposition: attachment`).",
        content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/pdf")),
        headers(("Content-Disposition" = String,
            description = "`attachment; filename=\"<kind>-<start>-<end>.<format>\"`")))))]
pub async fn api_funder_report_file(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    params: Result<RawPathParams, RawPathParamsRejection>,
    Query(q): Query<PeriodQuery>,
) -> Answer<Response> {
    let kind = segment(&params, "kind")?;
    let format = segment(&params, "format")?;
    if !["csv", "xlsx", "pdf"].contains(&format.as_str()) {
        return Err(WebError::not_found());
    }
    let r = report_of(&s, &c, project_id, &kind, q, true).await?;
    report_file(c.tr(), &r, &format)
}

/// A funder report: its kind, project and period, and the figures of its
/// kind (the other kinds' fields are `null`).
#[derive(Serialize, ToSchema)]
#[schema(as = FunderReport)]
pub struct FunderReportDto {
    #[schema(value_type = vocab::ReportKind)]
    pub kind: &'static str,
    pub project_id: i64,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    /// `final`: enrolled against target, ended, to job or studies against
    /// the goal, exits by outcome, the bridge to work.
    pub final_figures: Option<FinalFiguresDto>,
    /// `finsam`: participants per intervention by gender.
    pub finsam: Option<Vec<FinsamRowDto>>,
    /// `before_after`: those who ended, grouped by their situation at
    /// entry and at their latest follow-up done.
    pub before_after: Option<Vec<BeforeAfterRowDto>>,
    /// `esf_indicators`: the ESF+ common output indicators of those who
    /// entered.
    pub esf_indicators: Option<Vec<EsfIndicatorDto>>,
}

impl FunderReportDto {
    fn new(t: crate::i18n::Tr, project_id: i64, r: &FunderReport) -> Self {
        let mut out = Self {
            kind: r.kind().as_str(),
            project_id,
            period_start: r.period.start.to_string(),
            period_end: r.period.end.to_string(),
            final_figures: None,
            finsam: None,
            before_after: None,
            esf_indicators: None,
        };
        match &r.body {
            ReportBody::Final(f) => out.final_figures = Some(FinalFiguresDto::from(&**f)),
            ReportBody::Finsam(rows) => {
                out.finsam = Some(
                    rows.iter()
                        .map(|(i, w, m, o, n)| FinsamRowDto {
                            intervention: i.clone(),
                            women: *w,
                            men: *m,
                            other_gender: *o,
                            total: *n,
                        })
                        .collect(),
                )
            }
            ReportBody::BeforeAfter(rows) => {
                out.before_after = Some(
                    rows.iter()
                        .map(|x| BeforeAfterRowDto {
                            labour_status: x.0.clone(),
                            income_source_at_entry: x.1.clone(),
                            education_level: x.2.clone(),
                            months_on_support: x.3,
                            employment_after: x.4.clone(),
                            income_source_after: x.5.clone(),
                            count: x.6,
                        })
                        .collect(),
                )
            }
            ReportBody::EsfIndicators(rows) => {
                out.esf_indicators = Some(
                    rows.iter()
                        .map(|x| EsfIndicatorDto {
                            indicator: x.key.trim_start_matches("esf-").replace('-', "_"),
                            label: t.get(x.key),
                            total: x.total,
                            women: x.women,
                            men: x.men,
                            other_gender: x.other_gender,
                            unknown: x.unknown,
                        })
                        .collect(),
                )
            }
        }
        out
    }
}

/// The final report's figures; percentages 0–100 with one decimal,
/// `null` when undefined.
#[derive(Serialize, ToSchema)]
#[schema(as = FinalFigures)]
pub struct FinalFiguresDto {
    pub enrolled: i64,
    pub participant_target: Option<f64>,
    pub enrolled_of_target: Option<f64>,
    pub ended: i64,
    pub to_job_or_studies: i64,
    pub share_to_job_or_studies: Option<f64>,
    pub job_or_studies_goal: Option<f64>,
    pub goal_met: Option<bool>,
    /// Those who ended, by outcome, each with its share of all who ended.
    pub exits: Vec<ExitCountDto>,
    /// Placements and internships and what came of them.
    pub bridge: Vec<BridgeFigureDto>,
}

impl From<&FinalFigures> for FinalFiguresDto {
    fn from(f: &FinalFigures) -> Self {
        Self {
            enrolled: f.enrolled.count,
            participant_target: f.participant_target,
            enrolled_of_target: f.enrolled_of_target(),
            ended: f.ended.count,
            to_job_or_studies: f.to_job_or_studies.count,
            share_to_job_or_studies: f.to_job_or_studies.value,
            job_or_studies_goal: f.job_or_studies_goal,
            goal_met: f.goal_met(),
            exits: f
                .exits
                .iter()
                .map(|(o, n)| ExitCountDto {
                    outcome: *o,
                    count: *n,
                    share: percent(*n, f.ended.count),
                })
                .collect(),
            bridge: f
                .bridge
                .iter()
                .map(|b| BridgeFigureDto {
                    indicator: b.indicator,
                    value: b.value,
                    count: b.count,
                    base: b.base,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExitCountDto {
    #[schema(value_type = vocab::ExitOutcome)]
    pub outcome: ExitOutcome,
    pub count: i64,
    pub share: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct BridgeFigureDto {
    #[schema(value_type = vocab::Indicator)]
    pub indicator: Indicator,
    pub value: Option<f64>,
    pub count: i64,
    pub base: Option<i64>,
}

/// Participants of one intervention, by gender.
#[derive(Serialize, ToSchema)]
pub struct FinsamRowDto {
    pub intervention: String,
    pub women: i64,
    pub men: i64,
    /// Another or unknown gender.
    pub other_gender: i64,
    pub total: i64,
}

/// How many who ended share a situation at entry and after.
#[derive(Serialize, ToSchema)]
pub struct BeforeAfterRowDto {
    #[schema(value_type = vocab::LabourStatus)]
    pub labour_status: String,
    #[schema(value_type = vocab::IncomeSource)]
    pub income_source_at_entry: String,
    #[schema(value_type = vocab::EducationLevel)]
    pub education_level: String,
    pub months_on_support: Option<i64>,
    /// `null`: no follow-up done.
    #[schema(value_type = Option<vocab::Employment>)]
    pub employment_after: Option<String>,
    #[schema(value_type = Option<vocab::IncomeSource>)]
    pub income_source_after: Option<String>,
    pub count: i64,
}

/// One ESF+ common output indicator: `null` where it cannot be told from
/// what is recorded; `unknown` counts those whose data is missing.
#[derive(Serialize, ToSchema)]
pub struct EsfIndicatorDto {
    /// Its key (`total`, `unemployed`, `long_term_unemployed`, …).
    pub indicator: String,
    /// Its name in the caller's language.
    pub label: String,
    pub total: Option<i64>,
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub other_gender: Option<i64>,
    pub unknown: i64,
}

/// The month of the path (`YYYY-MM`); another is an unknown resource.
fn month_of(params: &Result<RawPathParams, RawPathParamsRejection>) -> Answer<Month> {
    Month::parse(segment(params, "month")?.trim()).ok_or_else(WebError::not_found)
}

/// A project's ESF+ monthly participant file as JSON (coordinators;
/// audited as an export, and each participant in it as read)
///
/// Those who took part during the month, with identity number where her
/// consent to its processing is in force, hours, and their attestation.
#[utoipa::path(get, path = "/projects/{id}/esf-months/{month}", tag = "reports",
    responses((status = 200, body = EsfMonthDto)))]
pub async fn api_esf_month(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    params: Result<RawPathParams, RawPathParamsRejection>,
) -> Answer<Json<EsfMonthDto>> {
    let month = month_of(&params)?;
    let (month, lines) = s.app.esf_month(&c.ctx(), project_id, Ok(month)).await?;
    Ok(Json(EsfMonthDto {
        month: month.to_string(),
        items: lines.iter().map(EsfMonthLineDto::from).collect(),
    }))
}

/// A project's ESF+ monthly participant file as CSV or XLSX (coordinators;
/// audited), never cached
#[utoipa::path(get, path = "/projects/{id}/esf-months/{month}/{format}", tag = "reports",
    responses((status = 200, description = "The file (`Content-Disposition: attachment`, `Cache-Control: no-store`).",
        content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        headers(("Content-Disposition" = String,
            description = "`attachment; filename=\"esf-deltagare-<month>.<format>\"`"),
            ("Cache-Control" = String, description = "`no-store`")))))]
pub async fn api_esf_month_file(
    State(s): State<AppState>,
    c: Caller,
    Id(project_id): Id,
    params: Result<RawPathParams, RawPathParamsRejection>,
) -> Answer<Response> {
    let month = month_of(&params)?;
    let format = segment(&params, "format")?;
    if !["csv", "xlsx"].contains(&format.as_str()) {
        return Err(WebError::not_found());
    }
    let (month, lines) = s.app.esf_month(&c.ctx(), project_id, Ok(month)).await?;
    Ok(month_file(c.tr(), month, &lines, &format))
}

/// The month's participants.
#[derive(Serialize, ToSchema)]
pub struct EsfMonthDto {
    /// `YYYY-MM`.
    pub month: String,
    pub items: Vec<EsfMonthLineDto>,
}

/// One participant's month.
#[derive(Serialize, ToSchema)]
pub struct EsfMonthLineDto {
    pub participant_id: i64,
    pub given_name: String,
    pub family_name: String,
    /// `YYYYMMDD-XXXX`, only while her consent to its processing is in
    /// force; else `null` (see `identity_consent`).
    pub identity_number: Option<String>,
    pub identity_consent: bool,
    #[schema(format = Date)]
    pub intake_date: Option<String>,
    #[schema(format = Date)]
    pub exit_date: Option<String>,
    /// Attended and recorded hours, one decimal.
    pub hours: f64,
    /// The day she confirmed the month in her portal.
    #[schema(format = Date)]
    pub confirmed_on: Option<String>,
    /// The day her caseworker attested the month.
    #[schema(format = Date)]
    pub attested_on: Option<String>,
    pub attested_by: Option<String>,
    /// The time changed after it was confirmed or attested.
    pub changed_since: bool,
    /// Corrections of the month's time after it was attested.
    pub corrections: i64,
}

impl From<&MonthLine> for EsfMonthLineDto {
    fn from(l: &MonthLine) -> Self {
        let changed = l.confirmed.is_some_and(|(m, _)| m != l.minutes)
            || l.attested.as_ref().is_some_and(|a| a.minutes != l.minutes);
        Self {
            participant_id: l.participant_id,
            given_name: l.given_name.clone(),
            family_name: l.family_name.clone(),
            identity_number: match &l.identity_number {
                Some(n) if l.identity_consent && n.len() == 12 => {
                    Some(format!("{}-{}", &n[..8], &n[8..]))
                }
                _ => None,
            },
            identity_consent: l.identity_consent,
            intake_date: l.intake.map(|d| d.to_string()),
            exit_date: l.exit.map(|d| d.to_string()),
            hours: (l.minutes as f64 / 6.0).round() / 10.0,
            confirmed_on: l.confirmed.map(|(_, at)| day_of(at)),
            attested_on: l.attested.as_ref().map(|a| day_of(a.at)),
            attested_by: l.attested.as_ref().and_then(|a| a.by.clone()),
            changed_since: changed,
            corrections: l.corrections,
        }
    }
}
