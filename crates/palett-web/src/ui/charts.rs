//! Server-rendered SVG charts. Each is an image with a title and a
//! description (`role="img"`, `aria-labelledby`); the page puts a text
//! summary and the data table beside it, so nothing depends on seeing the
//! chart. Every text that goes in is escaped here.

use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// One line of a line chart.
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
    /// A CSS class naming its colour and dash (`series-a`, `series-plan`).
    pub class: &'static str,
    /// Draw as steps (a Kaplan–Meier curve) rather than straight segments.
    pub steps: bool,
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|m| *m >= v)
        .unwrap_or(10.0 * p)
}

/// The classes of the lines of a chart with several groups, in order
/// (each a colour and a dash, so no line depends on colour alone).
pub const GROUP_CLASSES: [&str; 6] = [
    "series-a", "series-b", "series-c", "series-d", "series-e", "series-f",
];

/// A legend row's height; legends wrap below the axis.
const LEGEND_ROW: f64 = 18.0;

/// A generous width of one character of chart text (12 px, in the style
/// sheet), to lay out legends and bar labels so that none is cut off.
const CHAR_W: f64 = 7.5;

fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    );
}

/// Horizontal grid lines with their values, bottom to `max`.
fn y_axis(out: &mut String, max: f64, unit: &str) {
    let plot_h = HEIGHT - TOP - BOTTOM;
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let y = TOP + plot_h - plot_h * k as f64 / 4.0;
        let label = if max >= 8.0 {
            format!("{v:.0}{unit}")
        } else {
            format!("{v:.1}{unit}")
        };
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&label)
        );
    }
}

/// A line chart over `labels` (the x axis, shown sparsely).
pub fn line(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[Series],
    unit: &str,
) -> String {
    // Lay the legend out first: it wraps, and the image grows to hold it.
    let mut legend = Vec::new();
    let (mut lx, mut row) = (LEFT, 0.0);
    for s in series {
        let w = 40.0 + CHAR_W * s.label.chars().count() as f64;
        if lx > LEFT && lx + w > WIDTH - RIGHT {
            lx = LEFT;
            row += 1.0;
        }
        legend.push((lx, HEIGHT - 8.0 + LEGEND_ROW * row));
        lx += w;
    }
    let mut out = String::new();
    open(&mut out, id, title, desc, HEIGHT + LEGEND_ROW * row);
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0f64, |a, b| a.max(*b)),
    );
    y_axis(&mut out, max, unit);
    let n = labels.len().max(2);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * i as f64 / (n - 1) as f64;
    let y = |v: f64| TOP + plot_h - plot_h * (v / max);
    // About eight x labels, whatever the number of points.
    let every = labels.len().div_ceil(8).max(1);
    for (i, l) in labels.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                out,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                HEIGHT - BOTTOM + 16.0,
                escape(l)
            );
        }
    }
    for s in series {
        let mut d = String::new();
        // A missing value breaks the line; the next point starts anew.
        let mut drawing = false;
        for (i, v) in s.values.iter().enumerate() {
            let Some(v) = v else {
                drawing = false;
                continue;
            };
            let (px, py) = (x(i), y(*v));
            let _ = match (drawing, s.steps) {
                (false, _) => write!(d, "M{px:.1},{py:.1}"),
                (true, true) => write!(d, " H{px:.1} V{py:.1}"),
                (true, false) => write!(d, " L{px:.1},{py:.1}"),
            };
            drawing = true;
        }
        let _ = write!(
            out,
            "<path class=\"line {}\" d=\"{d}\" fill=\"none\"/>",
            s.class
        );
    }
    // The legend, under the axis.
    for (s, (lx, ly)) in series.iter().zip(legend) {
        let _ = write!(
            out,
            "<line class=\"line {}\" x1=\"{lx:.1}\" x2=\"{:.1}\" y1=\"{ly:.1}\" y2=\"{ly:.1}\"/>\
             <text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            s.class,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            escape(&s.label)
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per (label, value).
pub fn bars(id: &str, title: &str, desc: &str, rows: &[(String, f64)], unit: &str) -> String {
    let mut out = String::new();
    let row_h = 22.0;
    let height = TOP + row_h * rows.len() as f64 + 8.0;
    // The labels' column is as wide as the longest label (within bounds), so
    // that no label runs off the left edge.
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let label_w = (CHAR_W * longest as f64 + 12.0).clamp(120.0, 360.0);
    open(&mut out, id, title, desc, height);
    let max = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1.0);
    let plot_w = WIDTH - label_w - 80.0;
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = plot_w * v / max;
        let _ = write!(
            out,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 6.0,
            y + 15.0,
            escape(label),
            y + 4.0,
            row_h - 8.0,
            label_w + w + 6.0,
            y + 15.0,
            escape(&format!("{v}{unit}"))
        );
    }
    out.push_str("</svg>");
    out
}

/// Escape text placed in the SVG (labels, titles): the charts are the one
/// markup palett builds outside a template, and `charts_are_labelled_images_and_escape_their_text` below
/// proves what reaches the page.
fn escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_to_a_readable_maximum() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(267.0), 500.0);
        assert_eq!(nice_max(360.0), 500.0);
        assert_eq!(nice_max(17.0), 20.0);
        assert_eq!(nice_max(100.0), 100.0);
    }

    #[test]
    fn charts_are_labelled_images_and_escape_their_text() {
        let svg = line(
            "c",
            "Inflöde <&>",
            "beskrivning",
            &["2020-01".into(), "2020-02".into()],
            &[Series {
                label: "Plan \"x\"".into(),
                values: vec![Some(1.0), Some(2.0)],
                class: "series-a",
                steps: false,
            }],
            "",
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
        assert!(svg.contains("Inflöde &lt;&amp;&gt;"));
        assert!(svg.contains("Plan &quot;x&quot;") || svg.contains("Plan &#34;x&#34;"));
        assert!(svg.contains("M48.0,"), "{svg}");
        let b = bars("b", "t", "d", &[("<b>".into(), 3.0)], " st");
        assert!(b.contains("&lt;b&gt;") && b.contains("3 st"));
    }
}
