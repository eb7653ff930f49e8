//! A report as a PDF: its title, subtitle and each section as a table
//! (the head repeated on every page the table runs onto), written as a
//! tagged PDF with embedded fonts by [`super::tagged`], in the report's
//! language. Page numbers at the foot.

use super::tagged::{write as write_tagged, Block, Spec};
use super::Document;

/// The document as a PDF file; `None` when it cannot be written.
pub fn write(
    d: &Document,
    t: crate::i18n::Tr,
    page_label: &dyn Fn(usize, usize) -> String,
) -> Option<Vec<u8>> {
    let mut blocks = vec![
        Block::Title(d.title.clone()),
        Block::Para(d.subtitle.clone()),
    ];
    for s in &d.sections {
        blocks.push(Block::Heading(s.heading.clone()));
        blocks.push(Block::Table {
            head: s.head.clone(),
            rows: s
                .rows
                .iter()
                .map(|r| r.iter().map(|v| v.shown(t)).collect())
                .collect(),
        });
    }
    write_tagged(&Spec {
        title: d.title.clone(),
        lang: t.lang.html_lang(),
        rtl: t.lang.dir() == "rtl",
        blocks,
        footer: page_label,
    })
}
