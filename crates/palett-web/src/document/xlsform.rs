//! XLSForm files: an uploaded spreadsheet read into text grids (calamine:
//! XLSX, XLS and ODS) for `palett_domain::xlsform::read`, and an
//! instrument's grids written as XLSX (rust_xlsxwriter).

use palett_domain::xlsform::Sheet;
use std::io::Cursor;

/// Why an upload is not a spreadsheet palett can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unreadable;

/// A number as a form writes it: whole numbers without ".0".
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The sheets of a workbook as text grids; `rows[n]` is spreadsheet row
/// n + 1 and `rows[n][m]` column m (A = 0), whatever the first cell used.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, Unreadable> {
    use calamine::{Data, Reader};
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| Unreadable)?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|_| Unreadable)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells = vec![String::new(); left as usize];
            cells.extend(row.iter().map(|d| match d {
                Data::Empty | Data::Error(_) => String::new(),
                Data::Float(f) => number(*f),
                Data::Bool(true) => "true".into(),
                Data::Bool(false) => "false".into(),
                other => other.to_string(),
            }));
            rows.push(cells);
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// The grids as an XLSX workbook, a worksheet each, every cell text, the
/// header row bold and frozen.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                if r == 0 {
                    ws.write_string_with_format(r, c, cell, &bold)?;
                } else {
                    ws.write_string(r, c, cell)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: name.into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn what_is_written_reads_back_cell_for_cell() {
        let sheets = vec![
            sheet(
                "survey",
                &[
                    &["type", "name", "label::العربية (ar)"],
                    &["select_one yes_no", "q1", "هل تعملين؟"],
                    &["integer", "q2", ""],
                ],
            ),
            sheet("choices", &[&["list_name", "name"], &["yes_no", "1"]]),
        ];
        let bytes = write(&sheets).expect("written");
        let back = read(&bytes).expect("read");
        assert_eq!(back[0].name, "survey");
        assert_eq!(
            back[0].rows[1],
            vec!["select_one yes_no", "q1", "هل تعملين؟"]
        );
        // An empty last cell is not kept by the spreadsheet.
        assert_eq!(
            back[0].rows[2][..2],
            ["integer".to_string(), "q2".to_string()]
        );
        assert_eq!(back[1].rows, sheets[1].rows);
    }

    #[test]
    fn what_is_not_a_spreadsheet_is_refused() {
        assert_eq!(read(b"type,name\ntext,q1\n"), Err(Unreadable));
    }
}
