//! Text for PDFs in any of palett's languages: a font for each script
//! (Noto Sans for Latin, Noto Sans Arabic for Arabic and Dari, Noto Sans
//! Ethiopic for Tigrinya; subsets embedded by krilla), shaping with
//! rustybuzz (Arabic letters joined), the Unicode bidirectional algorithm
//! for right-to-left lines and a Swedish name inside them, and lines broken
//! at spaces to a width. krilla draws what this lays out.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::ops::Range;
use unicode_bidi::{BidiInfo, Level};

const LATIN: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
const ARABIC: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Regular.ttf");
const ETHIOPIC: &[u8] = include_bytes!("../../fonts/NotoSansEthiopic-Regular.ttf");

/// The script a font serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Ethiopic,
}

impl Script {
    fn data(self) -> &'static [u8] {
        match self {
            Script::Latin => LATIN,
            Script::Arabic => ARABIC,
            Script::Ethiopic => ETHIOPIC,
        }
    }

    /// The script a character asks for, if it belongs to one.
    fn of(c: char) -> Option<Script> {
        match u32::from(c) {
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Some(Script::Arabic),
            0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F => Some(Script::Ethiopic),
            _ if c.is_alphabetic() => Some(Script::Latin),
            _ => None,
        }
    }
}

/// The three fonts, loaded once per document.
#[derive(Clone)]
pub struct Fonts {
    fonts: [(Script, Font); 3],
}

impl Fonts {
    pub fn new() -> Option<Self> {
        let load = |s: Script| Font::new(s.data().into(), 0).map(|f| (s, f));
        Some(Self {
            fonts: [
                load(Script::Latin)?,
                load(Script::Arabic)?,
                load(Script::Ethiopic)?,
            ],
        })
    }

    pub fn font(&self, s: Script) -> Font {
        self.fonts
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| self.fonts[0].1.clone())
    }
}

/// The script's font parsed for shaping, once per process (text is shaped
/// and its fonts' coverage asked character by character).
fn face(s: Script) -> Option<&'static rustybuzz::Face<'static>> {
    static FACES: std::sync::OnceLock<Vec<(Script, rustybuzz::Face<'static>)>> =
        std::sync::OnceLock::new();
    FACES
        .get_or_init(|| {
            [Script::Latin, Script::Arabic, Script::Ethiopic]
                .into_iter()
                .filter_map(|s| rustybuzz::Face::from_slice(s.data(), 0).map(|f| (s, f)))
                .collect()
        })
        .iter()
        .find(|(x, _)| *x == s)
        .map(|(_, f)| f)
}

/// Whether the script's font has a glyph for `c`.
fn covers(s: Script, c: char) -> bool {
    face(s).is_some_and(|f| f.glyph_index(c).is_some())
}

/// A piece of a line in one font and direction, shaped: its glyphs (in
/// visual order) point into `text`.
#[derive(Clone, Debug)]
pub struct Piece {
    pub script: Script,
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    /// Width in ems (times the font size: points).
    pub width: f32,
}

/// Shape `text` in one font and direction.
fn shape(script: Script, text: &str, rtl: bool) -> Piece {
    let mut glyphs = Vec::new();
    let mut width = 0.0;
    if let Some(face) = face(script) {
        let upem = face.units_per_em() as f32;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let out = rustybuzz::shape(face, &[], buffer);
        let (infos, positions) = (out.glyph_infos(), out.glyph_positions());
        // Each glyph stands for the text from its cluster to the next
        // cluster in logical order.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |start: usize| -> usize {
            starts
                .iter()
                .find(|s| **s > start)
                .copied()
                .unwrap_or(text.len())
        };
        // Right to left, the text the glyphs stand for is written in their
        // (visual) order, each cluster's characters reversed too, so that a
        // reader that turns visual order back into logical order character
        // by character (as pdftotext does) gets the words right, a
        // lam-alef ligature included.
        let mut shown = String::new();
        let mut last: Option<(usize, Range<usize>)> = None;
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let source = start..end_of(start);
            let range = if !rtl {
                source
            } else {
                match &last {
                    Some((cluster, r)) if *cluster == start => r.clone(),
                    _ => {
                        let from = shown.len();
                        shown.extend(text[source].chars().rev());
                        from..shown.len()
                    }
                }
            };
            last = Some((start, range.clone()));
            width += pos.x_advance as f32 / upem;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / upem,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                range,
                None,
            ));
        }
        if rtl {
            return Piece {
                script,
                text: shown,
                glyphs,
                width,
            };
        }
    }
    Piece {
        script,
        text: text.to_string(),
        glyphs,
        width,
    }
}

/// `text` cut where its font changes: a character of a script takes that
/// script's font; others (spaces, digits, signs) stay in the font before
/// them when it has them, else take the first strong one after, else Latin.
fn by_font(text: &str) -> Vec<(Script, Range<usize>)> {
    let first_strong = text.chars().find_map(Script::of).unwrap_or(Script::Latin);
    let mut out: Vec<(Script, Range<usize>)> = Vec::new();
    let mut current = first_strong;
    for (i, c) in text.char_indices() {
        let script = match Script::of(c) {
            Some(s) => s,
            None if covers(current, c) => current,
            None => Script::Latin,
        };
        current = script;
        match out.last_mut() {
            Some((s, r)) if *s == script => r.end = i + c.len_utf8(),
            _ => out.push((script, i..i + c.len_utf8())),
        }
    }
    out
}

/// One line, laid out: its pieces from left to right, and its width.
#[derive(Clone, Debug)]
pub struct Line {
    pub pieces: Vec<Piece>,
    pub width: f32,
}

/// The pieces of one line (logical text) in visual order.
fn visual(text: &str, rtl: bool) -> Line {
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let bidi = BidiInfo::new(text, Some(level));
    let mut pieces = Vec::new();
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let run_rtl = levels[run.start].is_rtl();
            let mut parts: Vec<Piece> = by_font(&text[run.clone()])
                .into_iter()
                .map(|(script, r)| {
                    shape(
                        script,
                        &text[run.start + r.start..run.start + r.end],
                        run_rtl,
                    )
                })
                .collect();
            if run_rtl {
                parts.reverse();
            }
            pieces.extend(parts);
        }
    }
    let width = pieces.iter().map(|p| p.width).sum();
    Line { pieces, width }
}

/// The width of `text` on one line, in ems.
pub fn width(text: &str) -> f32 {
    visual(text, false).width
}

/// A paragraph broken at spaces into lines of at most `max` ems (a word
/// longer than that stands on a line of its own), each laid out for its
/// direction (`rtl`: the paragraph's base direction).
pub fn lines(text: &str, max: f32, rtl: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut used = 0.0;
    let space = width(" ");
    // Each word measured once (shaping does not join across a space).
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let wide = width(word);
        if !current.is_empty() && used + space + wide > max {
            out.push(visual(&current, rtl));
            current.clear();
            used = 0.0;
        }
        if !current.is_empty() {
            current.push(' ');
            used += space;
        }
        current.push_str(word);
        used += wide;
    }
    if !current.is_empty() || out.is_empty() {
        out.push(visual(&current, rtl));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use krilla::text::Glyph;

    #[test]
    fn scripts_get_their_fonts_and_neutrals_follow_them() {
        let cuts = by_font("مرحبا Botkyrka ١٢");
        let scripts: Vec<Script> = cuts.iter().map(|(s, _)| *s).collect();
        assert_eq!(scripts, [Script::Arabic, Script::Latin, Script::Arabic]);
        assert_eq!(by_font("ሰላም 12")[0].0, Script::Ethiopic);
        assert_eq!(by_font("Hej då")[0].0, Script::Latin);
    }

    #[test]
    fn arabic_is_shaped_joined_and_placed_right_to_left() {
        // Joined letters take contextual forms: not the isolated glyphs.
        let joined = shape(Script::Arabic, "خطتي", true);
        let alone: Vec<u32> = "خطتي"
            .chars()
            .map(|c| {
                shape(Script::Arabic, &c.to_string(), true).glyphs[0]
                    .glyph_id()
                    .to_u32()
            })
            .collect();
        let ids: Vec<u32> = joined
            .glyphs
            .iter()
            .map(|g| g.glyph_id().to_u32())
            .collect();
        assert_eq!(ids.len(), 4);
        assert_ne!(ids.iter().rev().copied().collect::<Vec<_>>(), alone);
        // A Swedish name inside Arabic keeps its letter order, and the
        // Arabic before it stands to its right.
        // (Right-to-left text is kept in visual order, see `shape`.)
        let line = visual("مكان: Tumba centrum", true);
        let texts: Vec<&str> = line.pieces.iter().map(|p| p.text.as_str()).collect();
        let first_logical: String = texts
            .last()
            .map_or(String::new(), |t| t.chars().rev().collect());
        assert_eq!(first_logical, "مكان: ");
        assert!(texts.contains(&"Tumba centrum"));
    }

    #[test]
    fn lines_break_at_spaces_within_the_width() {
        let text = "Jag vill kunna prata svenska med kunder och kollegor på jobbet.";
        let all = lines(text, 10.0, false);
        assert!(all.len() > 1);
        assert!(all.iter().all(|l| l.width <= 10.0 + 0.01));
        assert_eq!(lines("", 10.0, false).len(), 1);
    }
}
