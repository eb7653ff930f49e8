//! My data: what palett holds about her, as a page and as a tagged PDF in
//! her language (see ARCHITECTURE.md, "Participant portal", for what is
//! left to her caseworker's export).

use super::pages::layout;
use super::InPortal;
use crate::http::error::Answer;
use crate::http::AppState;
use crate::i18n::Tr;
use crate::ui::portal::PortalLayout;
use crate::ui::render;
use askama::Template;
use axum::extract::State;

#[derive(Template)]
#[template(path = "portal/data.html")]
struct DataPage {
    t: Tr,
    layout: PortalLayout,
    /// (heading, lines of (label, value))
    sections: Vec<(String, Vec<(String, String)>)>,
}

/// Her data in sections: (heading, lines of (label, value)), for the page
/// and the PDF alike.
fn data_sections(t: Tr, d: &palett_app::portal::HerData) -> Vec<(String, Vec<(String, String)>)> {
    let me = &d.participant;
    let field = |id: &str, v: Option<String>| v.filter(|v| !v.is_empty()).map(|v| (t.get(id), v));
    let about: Vec<(String, String)> = [
        field(
            "portal-data-name",
            Some(format!("{} {}", me.given_name, me.family_name)),
        ),
        field("portal-data-birth-date", Some(t.date(me.birth_date))),
        field("portal-data-phone", me.phone.clone()),
        field("portal-data-email", me.email.clone()),
        field("portal-data-address", me.address.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let consents = d
        .consents
        .iter()
        .map(|k| {
            (
                t.get(&format!("portal-{}", k.kind.message_id())),
                t.date(k.given_on),
            )
        })
        .collect();
    let enrolments = d
        .enrolments
        .iter()
        .map(|e| {
            (
                e.intervention_name.clone(),
                t.get(&format!("portal-{}", e.status.message_id())),
            )
        })
        .collect();
    let assessments = d
        .self_assessments
        .iter()
        .map(|a| (t.date(a.on), t.number(a.total())))
        .collect();
    let log = d
        .log
        .iter()
        .map(|l| {
            let day = super::pages::day_of(t, l.at);
            let who = l
                .organisation
                .clone()
                .unwrap_or_else(|| t.get("portal-data-log-you-or-palett"));
            (day, who)
        })
        .collect();
    vec![
        (t.get("portal-data-about"), about),
        (t.get("portal-nav-consents"), consents),
        (t.get("portal-data-interventions"), enrolments),
        (t.get("portal-nav-assessment"), assessments),
        (t.get("portal-data-log"), log),
    ]
}

pub async fn data(State(s): State<AppState>, p: InPortal) -> Answer {
    let t = p.tr();
    let d = s.app.her_data(&p.her, p.ip()).await?;
    Ok(render(DataPage {
        t,
        layout: layout(&p, "portal-data-title", "data", "/portal/data"),
        sections: data_sections(t, &d),
    }))
}

/// Her data as a tagged PDF in her language (right to left where it is
/// written so), with its fonts embedded.
pub async fn data_pdf(State(s): State<AppState>, p: InPortal) -> Answer {
    use crate::document::tagged::{write, Block, Spec};
    let t = p.tr();
    let d = s.app.her_data(&p.her, p.ip()).await?;
    let title = t.get("portal-data-title");
    let mut blocks = vec![
        Block::Title(format!(
            "{title}: {} {}",
            d.participant.given_name, d.participant.family_name
        )),
        Block::Para(t.with("portal-pdf-made", &[("day", t.date(s.app.today()))])),
        Block::Para(t.get("portal-data-intro")),
    ];
    for (heading, lines) in data_sections(t, &d) {
        blocks.push(Block::Heading(heading));
        if lines.is_empty() {
            blocks.push(Block::Para(t.get("portal-none")));
        }
        for (label, value) in lines {
            blocks.push(Block::Para(format!("{label} {value}").trim().to_string()));
        }
    }
    blocks.push(Block::Heading(t.get("portal-data-more")));
    blocks.push(Block::Para(t.get("portal-data-more-text")));
    let footer = |n: usize, count: usize| {
        t.with(
            "portal-pdf-page",
            &[
                ("page", t.number(n as i64)),
                ("pages", t.number(count as i64)),
            ],
        )
    };
    let lang = p.visitor.lang;
    let pdf = write(&Spec {
        title,
        lang: lang.html_lang(),
        rtl: lang.dir() == "rtl",
        blocks,
        footer: &footer,
    });
    crate::ui::pdf_download(pdf, &format!("palett-{}.pdf", lang.code()))
}
