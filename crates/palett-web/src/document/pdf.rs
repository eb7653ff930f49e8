//! A minimal PDF writer for reports: A4 pages, the standard Helvetica
//! fonts in WinAnsi encoding (Swedish letters included), a title, and each
//! section as a table that breaks across pages with its head repeated.
//! Page numbers at the foot.

use super::{Document, Value};
use std::fmt::Write;

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const MARGIN: f64 = 50.0;
const BODY: f64 = 9.0;
const LINE: f64 = 13.0;

/// Text as WinAnsi (Windows-1252) bytes; what it cannot hold becomes a
/// near equivalent or `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '\u{a0}'..='\u{ff}' => out.push(c as u32 as u8),
            '–' => out.push(0x96),
            '—' => out.push(0x97),
            '’' => out.push(0x92),
            '‘' => out.push(0x91),
            '“' => out.push(0x93),
            '”' => out.push(0x94),
            '…' => out.push(0x85),
            '€' => out.push(0x80),
            '≥' => out.extend_from_slice(b">="),
            '≤' => out.extend_from_slice(b"<="),
            _ => out.push(b'?'),
        }
    }
    out
}

/// A PDF literal string of the bytes.
fn literal(bytes: &[u8]) -> String {
    let mut s = String::from("(");
    for b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(*b as char);
            }
            0x20..=0x7e => s.push(*b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s.push(')');
    s
}

/// Approximate width of text in Helvetica at `size` (average glyph width).
fn width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.52
}

/// Cut text to fit `max` points, with an ellipsis.
fn fit(text: &str, size: f64, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let keep = ((max / (size * 0.52)) as usize).saturating_sub(1);
    let mut s: String = text.chars().take(keep).collect();
    s.push('…');
    s
}

struct Pages {
    pages: Vec<String>,
    current: String,
    y: f64,
}

impl Pages {
    fn new() -> Self {
        Self {
            pages: Vec::new(),
            current: String::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn text(&mut self, x: f64, font: &str, size: f64, s: &str) {
        let _ = writeln!(
            self.current,
            "BT /{font} {size} Tf {x:.1} {:.1} Td {} Tj ET",
            self.y,
            literal(&win_ansi(s))
        );
    }

    fn rule(&mut self) {
        let y = self.y - 3.0;
        let _ = writeln!(
            self.current,
            "0.6 w {MARGIN} {y:.1} m {:.1} {y:.1} l S",
            PAGE_W - MARGIN
        );
    }

    /// Room for `lines` more lines, or a new page.
    fn room(&mut self, lines: f64) -> bool {
        if self.y - lines * LINE < MARGIN + LINE {
            self.break_page();
            true
        } else {
            false
        }
    }

    fn break_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.current));
        self.y = PAGE_H - MARGIN;
    }
}

fn row(p: &mut Pages, cells: &[String], widths: &[f64], font: &str) {
    let mut x = MARGIN;
    for (c, w) in cells.iter().zip(widths) {
        p.text(x, font, BODY, &fit(c, BODY, w - 6.0));
        x += w;
    }
    p.y -= LINE;
}

/// The document as a PDF file.
pub fn write(
    d: &Document,
    t: crate::i18n::Tr,
    page_label: &dyn Fn(usize, usize) -> String,
) -> Vec<u8> {
    let mut p = Pages::new();
    p.text(MARGIN, "F2", 16.0, &d.title);
    p.y -= 22.0;
    p.text(MARGIN, "F1", 10.0, &d.subtitle);
    p.y -= 26.0;
    let usable = PAGE_W - 2.0 * MARGIN;
    for s in &d.sections {
        let rows: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|r| r.iter().map(|v: &Value| v.shown(t)).collect())
            .collect();
        // Column widths after the longest text in each, within the page.
        let n = s.head.len().max(1);
        let mut want: Vec<f64> = (0..n)
            .map(|i| {
                std::iter::once(&s.head)
                    .chain(rows.iter())
                    .filter_map(|r| r.get(i))
                    .map(|c| width(c, BODY) + 8.0)
                    .fold(30.0, f64::max)
            })
            .collect();
        let total: f64 = want.iter().sum();
        if total > usable {
            // Numbers keep their width; the first (text) column gives way.
            let rest: f64 = want[1..].iter().sum();
            want[0] = (usable - rest).max(usable * 0.3);
            let total: f64 = want.iter().sum();
            if total > usable {
                want.iter_mut().for_each(|w| *w *= usable / total);
            }
        }
        p.room(4.0);
        p.text(MARGIN, "F2", 12.0, &s.heading);
        p.y -= 18.0;
        row(&mut p, &s.head, &want, "F2");
        p.rule();
        p.y -= 3.0;
        for r in &rows {
            if p.room(1.0) {
                row(&mut p, &s.head, &want, "F2");
                p.rule();
                p.y -= 3.0;
            }
            row(&mut p, r, &want, "F1");
        }
        p.y -= 14.0;
    }
    p.break_page();
    let pages = p.pages;

    // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, then a page and its
    // content stream per page.
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .into(),
    ];
    let count = pages.len();
    let mut kids = Vec::new();
    for (i, body) in pages.into_iter().enumerate() {
        let mut body = body;
        let label = page_label(i + 1, count);
        let _ = writeln!(
            body,
            "BT /F1 8 Tf {:.1} 30 Td {} Tj ET",
            PAGE_W - MARGIN - width(&label, 8.0),
            literal(&win_ansi(&label))
        );
        let page_obj = objects.len() + 1;
        kids.push(format!("{page_obj} 0 R"));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            page_obj + 1
        ));
        // Text is octal-escaped, so the stream is ASCII: its length in
        // bytes is its length as a string.
        let bytes = body;
        objects.push(format!(
            "<< /Length {} >>\nstream\n{bytes}\nendstream",
            bytes.len()
        ));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {count} >>",
        kids.join(" ")
    );

    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(tail, "{o:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_are_escaped_in_win_ansi() {
        assert_eq!(
            literal(&win_ansi("Å ä ö (x) ≥ 20 %")),
            "(\\305 \\344 \\366 \\(x\\) >= 20 %)"
        );
        assert_eq!(
            fit("abcdefghijklmnopqrstuvwxyz", 10.0, 52.0)
                .chars()
                .count(),
            10
        );
    }
}
