//! Tagged PDFs (krilla): A4 pages of headings, paragraphs and tables in
//! any of palett's languages, right to left where the language is written
//! so, with embedded font subsets, the document's language and title, and
//! a structure tree (H1, H2, P, Table/TR/TH/TD) so that a screen reader
//! reads them in order; page numbers are marked as artifacts.

use super::typeset::{lines, Fonts, Line};
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};
use krilla::Document;
use std::num::NonZeroU16;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BODY: f32 = 10.5;
const HEADING: f32 = 13.0;
const TITLE: f32 = 18.0;
const LEADING: f32 = 1.45;
const CELL_PAD: f32 = 6.0;

/// What a PDF holds, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A PDF to write.
pub struct Spec<'a> {
    pub title: String,
    /// The BCP 47 tag of its language.
    pub lang: &'a str,
    pub rtl: bool,
    pub blocks: Vec<Block>,
    /// The footer of page `n` of `count`.
    pub footer: &'a dyn Fn(usize, usize) -> String,
}

/// Where a line belongs in the structure tree: its block, and for tables
/// the row (0: the head) and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Owner {
    block: usize,
    cell: Option<(usize, usize)>,
}

struct Placed {
    page: usize,
    x: f32,
    y: f32,
    size: f32,
    line: Line,
    /// `None`: an artifact (a table's head repeated on a later page).
    owner: Option<Owner>,
}

struct Layout {
    rtl: bool,
    page: usize,
    y: f32,
    placed: Vec<Placed>,
}

impl Layout {
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN {
            self.page += 1;
            self.y = MARGIN;
        }
    }

    /// A line of `size` points, at the start side within the column that
    /// begins `left` points in and is `width` wide.
    fn put(&mut self, line: Line, size: f32, (left, width): (f32, f32), owner: Option<Owner>) {
        let x = if self.rtl {
            left + width - line.width * size
        } else {
            left
        };
        self.placed.push(Placed {
            page: self.page,
            x,
            y: self.y + size,
            size,
            line,
            owner,
        });
    }

    fn paragraph(&mut self, text: &str, size: f32, owner: Owner) {
        let usable = PAGE_W - 2.0 * MARGIN;
        for line in lines(text, usable / size, self.rtl) {
            self.room(size * LEADING);
            self.put(line, size, (MARGIN, usable), Some(owner));
            self.y += size * LEADING;
        }
    }

    fn table(&mut self, block: usize, head: &[String], rows: &[Vec<String>]) {
        let usable = PAGE_W - 2.0 * MARGIN;
        let n = head.len().max(1);
        let all = || std::iter::once(head).chain(rows.iter().map(Vec::as_slice));
        // Columns as wide as their longest text, shrunk to the page.
        let mut widths: Vec<f32> = (0..n)
            .map(|c| {
                all()
                    .filter_map(|r| r.get(c))
                    .map(|t| super::typeset::width(t) * BODY + 2.0 * CELL_PAD)
                    .fold(40.0, f32::max)
            })
            .collect();
        let total: f32 = widths.iter().sum();
        if total > usable {
            widths.iter_mut().for_each(|w| *w *= usable / total);
        }
        // Column c's left edge, from the start side.
        let rtl = self.rtl;
        let left = |c: usize| -> f32 {
            let before: f32 = widths[..c].iter().sum();
            if rtl {
                PAGE_W - MARGIN - before - widths[c]
            } else {
                MARGIN + before
            }
        };
        let cells_of = |row: &[String], rtl: bool| -> Vec<Vec<Line>> {
            (0..n)
                .map(|c| {
                    let text = row.get(c).map(String::as_str).unwrap_or("");
                    lines(text, (widths[c] - 2.0 * CELL_PAD) / BODY, rtl)
                })
                .collect()
        };
        let height_of = |cells: &[Vec<Line>]| {
            cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * BODY * LEADING
        };
        let place = |layout: &mut Layout, cells: Vec<Vec<Line>>, r: Option<usize>| {
            let top = layout.y;
            let height = height_of(&cells);
            for (c, cell) in cells.into_iter().enumerate() {
                layout.y = top;
                for line in cell {
                    let column = (left(c) + CELL_PAD, widths[c] - 2.0 * CELL_PAD);
                    let owner = r.map(|r| Owner {
                        block,
                        cell: Some((r, c)),
                    });
                    layout.put(line, BODY, column, owner);
                    layout.y += BODY * LEADING;
                }
            }
            layout.y = top + height + 4.0;
        };
        for (r, row) in all().enumerate() {
            let cells = cells_of(row, self.rtl);
            let page = self.page;
            self.room(height_of(&cells) + 4.0);
            // A table that runs onto a new page shows its head again.
            if r > 0 && self.page != page {
                place(self, cells_of(head, self.rtl), None);
            }
            place(self, cells, Some(r));
        }
    }
}

fn hn(level: u16, title: &str) -> TagGroup {
    let level = NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
    TagGroup::new(Tag::Hn(level, Some(title.to_string())))
}

/// The PDF, or `None` when its fonts cannot be loaded or krilla refuses it.
pub fn write(spec: &Spec) -> Option<Vec<u8>> {
    let fonts = Fonts::new()?;
    let mut layout = Layout {
        rtl: spec.rtl,
        page: 0,
        y: MARGIN,
        placed: Vec::new(),
    };
    for (i, block) in spec.blocks.iter().enumerate() {
        let owner = Owner {
            block: i,
            cell: None,
        };
        match block {
            Block::Title(t) => {
                layout.paragraph(t, TITLE, owner);
                layout.y += 8.0;
            }
            Block::Heading(t) => {
                layout.y += 6.0;
                layout.room(HEADING * LEADING * 3.0);
                layout.paragraph(t, HEADING, owner);
                layout.y += 2.0;
            }
            Block::Para(t) => {
                layout.paragraph(t, BODY, owner);
                layout.y += 4.0;
            }
            Block::Table { head, rows } => {
                layout.table(i, head, rows);
                layout.y += 8.0;
            }
        }
    }
    let pages = layout.page + 1;
    let mut ids: Vec<(Owner, Identifier)> = Vec::new();
    let mut document = Document::new();
    for page_index in 0..pages {
        let mut page = document.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H)?);
        let mut surface = page.surface();
        for p in layout.placed.iter().filter(|p| p.page == page_index) {
            let id = match p.owner {
                Some(_) => surface.start_tagged(ContentTag::Span(SpanTag::empty())),
                None => surface.start_tagged(ContentTag::Artifact(ArtifactType::Other)),
            };
            let mut x = p.x;
            for piece in &p.line.pieces {
                surface.draw_glyphs(
                    Point::from_xy(x, p.y),
                    &piece.glyphs,
                    fonts.font(piece.script),
                    &piece.text,
                    p.size,
                    false,
                );
                x += piece.width * p.size;
            }
            surface.end_tagged();
            if let Some(owner) = p.owner {
                ids.push((owner, id));
            }
        }
        let footer = (spec.footer)(page_index + 1, pages);
        if let Some(line) = lines(&footer, 60.0, spec.rtl).into_iter().next() {
            surface.start_tagged(ContentTag::Artifact(ArtifactType::Footer));
            let x = if spec.rtl {
                MARGIN
            } else {
                PAGE_W - MARGIN - line.width * 8.0
            };
            let mut x = x;
            for piece in &line.pieces {
                surface.draw_glyphs(
                    Point::from_xy(x, PAGE_H - 30.0),
                    &piece.glyphs,
                    fonts.font(piece.script),
                    &piece.text,
                    8.0,
                    false,
                );
                x += piece.width * 8.0;
            }
            surface.end_tagged();
        }
        surface.finish();
        page.finish();
    }
    // The structure tree: every block with its lines, tables by row and
    // cell, in reading order.
    let mut tree = TagTree::new().with_lang(Some(spec.lang.to_string()));
    for (i, block) in spec.blocks.iter().enumerate() {
        let leaves = |cell: Option<(usize, usize)>| {
            ids.iter()
                .filter(move |(o, _)| o.block == i && o.cell == cell)
                .map(|(_, id)| *id)
        };
        match block {
            Block::Title(t) | Block::Heading(t) => {
                let mut g = hn(
                    if matches!(block, Block::Title(_)) {
                        1
                    } else {
                        2
                    },
                    t,
                );
                leaves(None).for_each(|id| g.push(id));
                tree.push(g);
            }
            Block::Para(_) => {
                let mut g = TagGroup::new(Tag::P);
                leaves(None).for_each(|id| g.push(id));
                tree.push(g);
            }
            Block::Table { head, rows } => {
                let mut table = TagGroup::new(Tag::Table);
                for r in 0..=rows.len() {
                    let mut tr = TagGroup::new(Tag::TR);
                    for c in 0..head.len().max(1) {
                        let mut cell = if r == 0 {
                            TagGroup::new(Tag::TH(TableHeaderScope::Column))
                        } else {
                            TagGroup::new(Tag::TD)
                        };
                        leaves(Some((r, c))).for_each(|id| cell.push(id));
                        tr.push(cell);
                    }
                    table.push(tr);
                }
                tree.push(table);
            }
        }
    }
    document.set_tag_tree(tree);
    document.set_metadata(
        Metadata::new()
            .title(spec.title.clone())
            .language(spec.lang.to_string()),
    );
    document.finish().ok()
}
