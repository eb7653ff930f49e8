//! Matching's pages: the candidates for an opening, and the openings for a
//! participant, each row with its score and reasons in words.

use super::pages::{kind_text, occupation_text, period_text};
use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::render;
use crate::ui::views::*;
use axum::extract::{Query, State};
use palett_app::paging::Page;
use palett_domain::matching::Match;
use palett_domain::occupations;

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    pub(crate) page: Option<String>,
}

/// The reasons of a match, in words, one sentence each.
pub(crate) fn reasons_text(t: Tr, m: &Match) -> String {
    m.reasons
        .iter()
        .map(|r| t.get(&r.message_id()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn candidates(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id,
    Query(q): Query<PageQuery>,
) -> Answer {
    let t = c.tr();
    let page = Page::new(id_of(&q.page), Some(25));
    let (opening, list, total) = s.app.opening_candidates(&c.ctx(), id, page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.with("candidates-title", &[("title", opening.title.clone())]),
            "openings",
            &format!("/openings/{id}/candidates"),
        ),
    );
    p.intro = Some(t.get("candidates-intro"));
    p.links
        .push((format!("/openings/{id}"), t.get("candidates-back")));
    p.tables.push(Table {
        heading: Some(t.with("candidates-count", &[("count", total.to_string())])),
        head: vec![
            t.get("field-participant"),
            t.get("field-responsible-organisation"),
            t.get("field-status"),
            t.get("match-score"),
            t.get("match-reasons"),
            t.get("actions"),
        ],
        rows: list
            .iter()
            .map(|cand| {
                let who = &cand.participant;
                vec![
                    Cell::link(
                        format!("{} {}", who.given_name, who.family_name),
                        format!("/participants/{}", who.id),
                    ),
                    Cell::text(who.responsible_organisation_name.clone()),
                    Cell::text(t.get(&who.status.message_id())),
                    Cell::text(cand.matched.score.to_string()),
                    Cell::text(reasons_text(t, &cand.matched)),
                    if cand.may_propose {
                        Cell::button(
                            t.with(
                                "proposal-propose-named",
                                &[("name", format!("{} {}", who.given_name, who.family_name))],
                            ),
                            format!("/openings/{id}/propose/{}", who.id),
                        )
                    } else {
                        Cell::text(t.get("candidate-not-yours"))
                    },
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(
        t,
        &format!("/openings/{id}/candidates"),
        &[],
        page.number,
        page.count(total),
    );
    Ok(render(p))
}

pub async fn for_participant(
    State(s): State<AppState>,
    c: Caller,
    Id(pid): Id,
    Query(q): Query<PageQuery>,
) -> Answer {
    let t = c.tr();
    let page = Page::new(id_of(&q.page), Some(25));
    let v = s.app.openings_for_participant(&c.ctx(), pid, page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(
            &c,
            t.get("her-openings-title"),
            "participants",
            &format!("/participants/{pid}/openings"),
        ),
    );
    p.intro = Some(t.get("her-openings-intro"));
    if !v.may_be_proposed {
        p.blocks
            .push(Block::Alert(t.get("her-openings-no-consent")));
    }
    let interests: Vec<String> = v
        .interests
        .iter()
        .filter_map(|code| occupations::area(code))
        .map(|a| a.name(t.lang.code()).to_string())
        .collect();
    p.blocks.push(Block::Text(if interests.is_empty() {
        t.get("her-openings-no-interests")
    } else {
        t.with("her-openings-interests", &[("areas", interests.join(", "))])
    }));
    p.blocks.push(Block::Text(if v.reach.is_empty() {
        t.get("her-openings-no-reach")
    } else {
        t.with("her-openings-reach", &[("places", v.reach.join(", "))])
    }));
    p.links.push((
        format!("/participants/{pid}/plan/edit"),
        t.get("her-openings-edit-interests"),
    ));
    p.links
        .push((format!("/participants/{pid}"), t.get("back-to-participant")));
    let placements = s.app.participant_placements(&c.ctx(), pid).await?;
    p.tables.push(Table::headed(
        t,
        "placements",
        &[
            "field-employer",
            "field-intervention",
            "field-period",
            "placement-result",
        ],
        placements
            .iter()
            .map(|pl| {
                vec![
                    Cell::link(pl.employer_name.clone(), format!("/placements/{}", pl.id)),
                    Cell::text(pl.intervention_name.clone()),
                    Cell::text(format!("{} – {}", pl.start_date, pl.end_date)),
                    Cell::text(
                        pl.result
                            .map(|r| t.get(&r.message_id()))
                            .unwrap_or_else(|| "–".into()),
                    ),
                ]
            })
            .collect(),
    ));
    let proposals = s.app.participant_proposals(&c.ctx(), pid).await?;
    p.tables.push(Table::headed(
        t,
        "proposals",
        &super::proposals::HEAD,
        super::proposals::rows(t, &proposals),
    ));
    p.tables.push(Table {
        heading: Some(t.with("openings-count", &[("count", v.total.to_string())])),
        head: vec![
            t.get("opening-title"),
            t.get("field-employer"),
            t.get("field-municipality"),
            t.get("field-kind"),
            t.get("field-occupation"),
            t.get("field-period"),
            t.get("match-score"),
            t.get("match-reasons"),
        ],
        rows: v
            .items
            .iter()
            .map(|(o, m)| {
                vec![
                    Cell::link(o.title.clone(), format!("/openings/{}", o.id)),
                    Cell::link(
                        o.employer_name.clone(),
                        format!("/employers/{}", o.employer_id),
                    ),
                    Cell::text(o.employer_municipality.clone()),
                    Cell::text(kind_text(t, o)),
                    Cell::text(occupation_text(o)),
                    Cell::text(period_text(o)),
                    Cell::text(m.score.to_string()),
                    Cell::text(reasons_text(t, m)),
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(
        t,
        &format!("/participants/{pid}/openings"),
        &[],
        page.number,
        page.count(v.total),
    );
    Ok(render(p))
}
