//! A Stata dataset (.dta, format 118: Stata 14 and later; R reads it with
//! `haven::read_dta`, SPSS opens it, pandas with `read_stata`): typed
//! variables with their labels, and value labels for coded answers.
//!
//! Written here rather than with a crate: the one pure-Rust writer (`dta`
//! 0.6) cannot make value-label sets (their constructors are private to
//! it), and the others bring Arrow or Polars. The format is Stata's
//! published `dta_118` description; `tests` read every file back with the
//! `dta` crate's reader.

/// One variable: its name (a Stata name: at most 32 characters), label,
/// and whether it is numeric (with value labels, for coded answers).
#[derive(Clone, Debug)]
pub struct Var<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub numeric: bool,
    pub value_labels: Vec<(i32, String)>,
}

const DOUBLE: u16 = 65526;
/// Stata's system missing value "." as a double.
const MISSING: u64 = 0x7FE0_0000_0000_0000;
const STR_MAX: usize = 2045;

/// `s` cut to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `s` in a zero-padded field of `width` bytes (at most `width - 1` kept).
fn fixed(out: &mut Vec<u8>, s: &str, width: usize) {
    let s = cut(s, width - 1);
    out.extend_from_slice(s.as_bytes());
    out.resize(out.len() + width - s.len(), 0);
}

/// The dataset: `rows` hold each variable's value as text (a number as
/// Rust prints it; empty for missing).
pub fn write(label: &str, vars: &[Var<'_>], rows: &[Vec<String>]) -> Vec<u8> {
    let widths: Vec<usize> = vars
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if v.numeric {
                8
            } else {
                rows.iter()
                    .map(|r| r.get(i).map_or(0, String::len))
                    .max()
                    .unwrap_or(0)
                    .clamp(1, STR_MAX)
            }
        })
        .collect();
    let mut out: Vec<u8> = Vec::new();
    let mut map = [0u64; 14];
    out.extend_from_slice(
        b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>",
    );
    out.extend_from_slice(&(vars.len() as u16).to_le_bytes());
    out.extend_from_slice(b"</K><N>");
    out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
    out.extend_from_slice(b"</N><label>");
    let label = cut(label, 320);
    out.extend_from_slice(&(label.len() as u16).to_le_bytes());
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b"</label><timestamp>\0</timestamp></header>");
    map[1] = out.len() as u64;
    let map_at = out.len() + b"<map>".len();
    out.extend_from_slice(b"<map>");
    out.resize(out.len() + 14 * 8, 0);
    out.extend_from_slice(b"</map>");
    map[2] = out.len() as u64;
    out.extend_from_slice(b"<variable_types>");
    for (v, w) in vars.iter().zip(&widths) {
        let code = if v.numeric { DOUBLE } else { *w as u16 };
        out.extend_from_slice(&code.to_le_bytes());
    }
    out.extend_from_slice(b"</variable_types>");
    map[3] = out.len() as u64;
    out.extend_from_slice(b"<varnames>");
    for v in vars {
        fixed(&mut out, v.name, 129);
    }
    out.extend_from_slice(b"</varnames>");
    map[4] = out.len() as u64;
    out.extend_from_slice(b"<sortlist>");
    out.resize(out.len() + (vars.len() + 1) * 2, 0);
    out.extend_from_slice(b"</sortlist>");
    map[5] = out.len() as u64;
    out.extend_from_slice(b"<formats>");
    for (v, w) in vars.iter().zip(&widths) {
        let f = if v.numeric {
            "%10.0g".to_string()
        } else {
            format!("%-{}s", (*w).min(244))
        };
        fixed(&mut out, &f, 57);
    }
    out.extend_from_slice(b"</formats>");
    map[6] = out.len() as u64;
    out.extend_from_slice(b"<value_label_names>");
    for v in vars {
        let name = if v.numeric && !v.value_labels.is_empty() {
            v.name
        } else {
            ""
        };
        fixed(&mut out, name, 129);
    }
    out.extend_from_slice(b"</value_label_names>");
    map[7] = out.len() as u64;
    out.extend_from_slice(b"<variable_labels>");
    for v in vars {
        let label: String = v.label.chars().take(80).collect();
        fixed(&mut out, &label, 321);
    }
    out.extend_from_slice(b"</variable_labels>");
    map[8] = out.len() as u64;
    out.extend_from_slice(b"<characteristics></characteristics>");
    map[9] = out.len() as u64;
    out.extend_from_slice(b"<data>");
    for row in rows {
        for (i, (v, w)) in vars.iter().zip(&widths).enumerate() {
            let cell = row.get(i).map_or("", String::as_str).trim();
            if v.numeric {
                let bits = cell
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map_or(MISSING, f64::to_bits);
                out.extend_from_slice(&bits.to_le_bytes());
            } else {
                let s = cut(cell, *w);
                out.extend_from_slice(s.as_bytes());
                out.resize(out.len() + w - s.len(), 0);
            }
        }
    }
    out.extend_from_slice(b"</data>");
    map[10] = out.len() as u64;
    out.extend_from_slice(b"<strls></strls>");
    map[11] = out.len() as u64;
    out.extend_from_slice(b"<value_labels>");
    for v in vars
        .iter()
        .filter(|v| v.numeric && !v.value_labels.is_empty())
    {
        let mut txt: Vec<u8> = Vec::new();
        let mut offsets = Vec::new();
        for (_, l) in &v.value_labels {
            offsets.push(txt.len() as i32);
            txt.extend_from_slice(cut(l, 32000).as_bytes());
            txt.push(0);
        }
        let n = v.value_labels.len();
        let mut table = Vec::new();
        table.extend_from_slice(&(n as i32).to_le_bytes());
        table.extend_from_slice(&(txt.len() as i32).to_le_bytes());
        for o in &offsets {
            table.extend_from_slice(&o.to_le_bytes());
        }
        for (value, _) in &v.value_labels {
            table.extend_from_slice(&value.to_le_bytes());
        }
        table.extend_from_slice(&txt);
        out.extend_from_slice(b"<lbl>");
        out.extend_from_slice(&(table.len() as i32).to_le_bytes());
        fixed(&mut out, v.name, 129);
        out.extend_from_slice(&[0, 0, 0]);
        out.extend_from_slice(&table);
        out.extend_from_slice(b"</lbl>");
    }
    out.extend_from_slice(b"</value_labels>");
    map[12] = out.len() as u64;
    out.extend_from_slice(b"</stata_dta>");
    map[13] = out.len() as u64;
    for (n, offset) in map.iter().enumerate() {
        out[map_at + n * 8..map_at + n * 8 + 8].copy_from_slice(&offset.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dta::stata::dta::dta_reader::DtaReader;
    use dta::stata::dta::value::Value;
    use dta::stata::stata_double::StataDouble;
    use std::io::Cursor;

    #[test]
    fn a_dataset_reads_back_with_its_labels_values_and_value_labels() {
        let vars = vec![
            Var {
                name: "pseudonym",
                label: "Pseudonym",
                numeric: false,
                value_labels: Vec::new(),
            },
            Var {
                name: "voice",
                label: "Jag kan säga ifrån när något inte känns rätt",
                numeric: true,
                value_labels: vec![(1, "Stämmer inte alls".into()), (5, "Stämmer helt".into())],
            },
            Var {
                name: "total",
                label: "Summa",
                numeric: true,
                value_labels: Vec::new(),
            },
        ];
        let rows = vec![
            vec!["a1b2".to_string(), "5".into(), "12.5".into()],
            vec!["c3d4e5".to_string(), "".into(), "".into()],
        ];
        let bytes = write("palett: egenmakt", &vars, &rows);
        let schema_reader = DtaReader::new()
            .from_reader(Cursor::new(bytes))
            .read_header()
            .expect("header");
        assert_eq!(schema_reader.header().dataset_label(), "palett: egenmakt");
        let mut chars = schema_reader.read_schema().expect("schema");
        let schema = chars.schema().clone();
        let names: Vec<&str> = schema.variables().iter().map(|v| v.name()).collect();
        assert_eq!(names, ["pseudonym", "voice", "total"]);
        assert_eq!(
            schema.variables()[1].label(),
            "Jag kan säga ifrån när något inte känns rätt"
        );
        assert_eq!(schema.variables()[1].value_label_name(), "voice");
        assert_eq!(schema.variables()[2].value_label_name(), "");
        chars.skip_to_end().expect("characteristics");
        let mut records = chars.into_record_reader().expect("records");
        let first = records.read_record().expect("read").expect("a row");
        assert!(matches!(&first.values()[0], Value::String(s) if s == "a1b2"));
        assert!(matches!(first.values()[1], Value::Double(StataDouble::Present(v)) if v == 5.0));
        assert!(matches!(first.values()[2], Value::Double(StataDouble::Present(v)) if v == 12.5));
        let second = records.read_record().expect("read").expect("a row");
        assert!(matches!(&second.values()[0], Value::String(s) if s == "c3d4e5"));
        assert!(matches!(
            second.values()[1],
            Value::Double(StataDouble::Missing(_))
        ));
        assert!(records.read_record().expect("read").is_none());
        let mut labels = records.seek_value_labels().expect("labels");
        let set = labels.read_value_label_set().expect("read").expect("a set");
        assert_eq!(set.name(), "voice");
        assert_eq!(set.label_for(1), Some("Stämmer inte alls"));
        assert_eq!(set.label_for(5), Some("Stämmer helt"));
        assert!(labels.read_value_label_set().expect("read").is_none());
    }
}
