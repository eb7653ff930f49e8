//! `/translations`: the participant portal's drafted languages and which of
//! their messages a native speaker has not reviewed (or that changed since
//! review), beside the Swedish they translate. Read from the locale files
//! and their review records (`locales/<code>/review.txt`); no personal
//! data, so open to all staff.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::i18n::{review, Lang, Review, Tr};
use crate::participants::list::id_of;
use crate::ui::render;
use crate::ui::views::*;
use axum::extract::Query;
use palett_app::paging::Page;

#[derive(serde::Deserialize, Default)]
pub struct TranslationQuery {
    lang: Option<String>,
    page: Option<String>,
}

fn status(t: Tr, r: Review) -> String {
    t.get(match r {
        Review::Reviewed => "translations-reviewed",
        Review::Changed => "translations-changed",
        Review::NotReviewed => "translations-not-reviewed",
    })
}

pub async fn translations(c: Caller, Query(q): Query<TranslationQuery>) -> Answer {
    let t = c.tr();
    let drafted: Vec<Lang> = Lang::PORTAL
        .into_iter()
        .filter(|l| review(*l).is_some())
        .collect();
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .filter(|l| drafted.contains(l))
        .unwrap_or(Lang::Ar);
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("translations-title"), "admin", "/translations"),
    );
    p.intro = Some(t.get("translations-intro"));
    p.tables.push(Table {
        heading: Some(t.get("translations-summary")),
        head: [
            "translations-language",
            "translations-messages",
            "translations-reviewed",
            "translations-changed",
            "translations-not-reviewed",
        ]
        .iter()
        .map(|id| t.get(id))
        .collect(),
        rows: drafted
            .iter()
            .map(|l| {
                let lines = review(*l).unwrap_or_default();
                let count = |r: Review| lines.iter().filter(|x| x.review == r).count().to_string();
                vec![
                    Cell::link(
                        format!("{} ({})", l.native_name(), l.code()),
                        format!("/translations?lang={}", l.code()),
                    ),
                    Cell::text(lines.len().to_string()),
                    Cell::text(count(Review::Reviewed)),
                    Cell::text(count(Review::Changed)),
                    Cell::text(count(Review::NotReviewed)),
                ]
            })
            .collect(),
    });
    let waiting: Vec<_> = review(lang)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.review != Review::Reviewed)
        .collect();
    let page = Page::new(id_of(&q.page), Some(50));
    p.tables.push(Table {
        heading: Some(t.with(
            "translations-waiting",
            &[
                ("language", lang.native_name().to_string()),
                ("count", waiting.len().to_string()),
            ],
        )),
        head: [
            "translations-id",
            "translations-swedish",
            "translations-draft",
            "field-status",
        ]
        .iter()
        .map(|id| t.get(id))
        .collect(),
        rows: waiting
            .iter()
            .skip(page.offset() as usize)
            .take(page.limit() as usize)
            .map(|l| {
                vec![
                    Cell::text(l.id.clone()),
                    Cell::text(l.source.clone()),
                    Cell::text(l.text.clone()),
                    Cell::text(status(t, l.review)),
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(
        t,
        "/translations",
        &[("lang", lang.code().to_string())],
        page.number,
        page.count(waiting.len() as i64),
    );
    Ok(render(p))
}
