//! A report as a document: a title, a subtitle and tables of typed cells,
//! written as CSV (`;` and a BOM, for Swedish Excel), XLSX (numbers stay
//! numbers) and PDF (A4, printable). The HTML page shows the same tables.
//! The XLSX and PDF writers are small and dependency-free: they write
//! exactly the subset these reports need.

pub mod pdf;
pub mod stata;
pub mod tagged;
pub mod typeset;
pub mod xlsform;
pub mod xlsx;

/// One cell of a report table.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A decimal number (hours), shown with one decimal at most.
    Number(f64),
    /// A percentage, 0–100, shown with one decimal at most.
    Percent(f64),
    /// Unknown or not applicable (ESF+: "unknown" rather than a guess).
    Missing,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Self {
        Value::Text(s.into())
    }

    pub fn percent(v: Option<f64>) -> Self {
        v.map_or(Value::Missing, Value::Percent)
    }

    /// The cell as the reader sees it, in the report's language ("1 234").
    pub fn shown(&self, t: crate::i18n::Tr) -> String {
        match self {
            Value::Int(n) => t.number(*n),
            Value::Number(v) => t.decimal(*v),
            other => other.in_file(t),
        }
    }

    /// The cell in a file a program reads (the CSV): numbers without a
    /// sign between groups of digits ("1234"), the decimal sign of the
    /// report's language as before.
    pub fn in_file(&self, t: crate::i18n::Tr) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Number(v) => t.decimal_plain(*v),
            Value::Percent(p) => t.percent_exact(*p),
            Value::Missing => t.get("value-unknown"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// Quote a CSV cell when needed; neutralise formulas (CSV injection).
pub fn csv_cell(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@']) && v.parse::<f64>().is_err() {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

impl Document {
    /// CSV: each section's heading on a line of its own, then its head and
    /// rows, a blank line between sections.
    pub fn csv(&self, t: crate::i18n::Tr) -> String {
        let mut out = String::from("\u{feff}");
        let mut line = |cells: Vec<String>| {
            let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(";"));
            out.push_str("\r\n");
        };
        line(vec![self.title.clone()]);
        line(vec![self.subtitle.clone()]);
        for s in &self.sections {
            line(vec![]);
            line(vec![s.heading.clone()]);
            line(s.head.clone());
            for r in &s.rows {
                line(r.iter().map(|v| v.in_file(t)).collect());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Tr};

    #[test]
    fn csv_has_a_bom_semicolons_and_no_formulas() {
        let d = Document {
            title: "Slutrapport".into(),
            subtitle: "2020".into(),
            sections: vec![Section {
                heading: "Avslut".into(),
                head: vec!["Orsak".into(), "Antal".into()],
                rows: vec![
                    vec![Value::text("=HYPERLINK(\"x\")"), Value::Int(3)],
                    vec![Value::text("a;b"), Value::Percent(17.0)],
                    vec![Value::text("okänt"), Value::Missing],
                ],
            }],
        };
        let csv = d.csv(Tr::new(Lang::Sv));
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\";3\r\n"));
        assert!(csv.contains("\"a;b\";17\u{a0}%\r\n"));
        assert!(csv.contains("okänt;Okänt\r\n"));
    }
}
