//! Funder reports: the page, and the same figures in CSV, XLSX (read back
//! with openpyxl) and PDF (turned to text with pdftotext); exports audited.
//! `scripts/test` installs both readers; without them these tests fail.

use crate::support::*;
use axum::http::{header, StatusCode};
use std::io::Write;
use std::process::{Command, Stdio};

/// Run a reader over `bytes` given on standard input; its standard output.
pub(crate) fn read_with(program: &str, args: &[&str], bytes: &[u8]) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is needed to read the export (scripts/test installs it): {e}")
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("writing to the reader");
    let out = child.wait_with_output().expect("the reader ran");
    assert!(
        out.status.success(),
        "{program} could not read the export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const XLSX_DUMP: &str = "import io, sys, openpyxl
wb = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))
for ws in wb.worksheets:
    print('#', ws.title)
    for row in ws.iter_rows(values_only=True):
        print('|'.join('' if v is None else repr(v) for v in row))";

#[tokio::test]
async fn the_final_report_as_page_csv_xlsx_and_pdf_with_the_same_figures() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let base = format!("/projects/{tk}/reports/final");

    let page = t.page(&b, &base).await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "Slutrapport",
        "Tillväxt Kvinna (Tillväxtverket), 2018-11-01 – 2021-10-31",
        "<td>267</td>",
        "<td>74,2\u{a0}%</td>",
        "<td>247</td>",
        "<td>42</td>",
        "<td>17\u{a0}%</td>",
        "<td>20\u{a0}%</td>",
    ] {
        assert!(page.body.contains(needle), "page lacks {needle}");
    }

    let csv = t.page(&b, &format!("{base}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("cd")
        .contains("final-2018-11-01-2021-10-31.csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("Inskrivna;267\r\n"));
    assert!(csv
        .body
        .contains("Inskrivna i procent av målet;74,2\u{a0}%\r\n"));
    assert!(csv.body.contains("Till arbete eller studier;42\r\n"));
    // The bridge to work, with the dashboard's figures.
    let dash = t
        .get(&format!("/api/v1/projects/{tk}/dashboard"), Some(&token))
        .await;
    let started = dash.json()["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["indicator"] == "internships_started"))
        .and_then(|f| f["count"].as_i64())
        .expect("internships started on the dashboard");
    assert!(csv
        .body
        .contains("Vägen till arbete: placeringar och praktik"));
    assert!(
        csv.body
            .contains(&format!("Påbörjade praktiker;{started}\r\n")),
        "{}",
        csv.body
    );

    let x = t.page(&b, &format!("{base}.xlsx")).await;
    assert_eq!(x.status, StatusCode::OK);
    let dump = read_with("python3", &["-c", XLSX_DUMP], &x.bytes);
    for needle in [
        "'Inskrivna'|267",
        "'Mål antal deltagare'|360",
        "|0.742",
        "'Avslutade'|247",
        "'Till arbete eller studier'|42",
        "|0.17",
    ] {
        assert!(dump.contains(needle), "xlsx lacks {needle}:\n{dump}");
    }

    let pdf = t.page(&b, &format!("{base}.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let text = read_with("pdftotext", &["-layout", "-", "-"], &pdf.bytes);
    for needle in [
        "Slutrapport",
        "Tillväxt Kvinna",
        "267",
        "74,2 %",
        "247",
        "42",
        "17 %",
    ] {
        assert!(
            text.contains(needle) || text.contains(&needle.replace(' ', "\u{a0}")),
            "pdf lacks {needle}:\n{text}"
        );
    }
    assert!(text.contains("Sida 1 av"), "{text}");

    // The three downloads are in the audit log, in words with their code;
    // the page view is not.
    let log = t.page(&b, "/audit").await;
    let rows = log
        .body
        .split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .expect("the log's entries");
    assert_eq!(rows.matches("export.report").count(), 3, "{rows}");
    assert_eq!(
        rows.matches("Laddade ner en rapport <code>export.report</code>")
            .count(),
        3,
        "{rows}"
    );
}

#[tokio::test]
async fn finsam_counts_participants_per_intervention_by_gender() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let base = format!("/projects/{tk}/reports/finsam");
    let page = t
        .page(&b, &format!("{base}?from=2020-01-01&to=2020-12-31"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Deltagare per insats och kön"));
    assert!(page.body.contains("2020-01-01 – 2020-12-31"));
    let x = t
        .page(&b, &format!("{base}.xlsx?from=2020-01-01&to=2020-12-31"))
        .await;
    let dump = read_with("python3", &["-c", XLSX_DUMP], &x.bytes);
    // Every intervention row adds up: women + men + other = total.
    let rows: Vec<Vec<i64>> = dump
        .lines()
        .filter(|l| l.starts_with('\''))
        .filter_map(|l| {
            let nums: Vec<i64> = l
                .split('|')
                .skip(1)
                .filter_map(|v| v.parse().ok())
                .collect();
            (nums.len() == 4).then_some(nums)
        })
        .collect();
    assert!(rows.len() >= 2, "{dump}");
    assert!(rows.iter().all(|r| r[0] + r[1] + r[2] == r[3]), "{dump}");
    assert!(
        rows.iter().any(|r| r[3] > 0),
        "someone took part in 2020: {dump}"
    );

    // A bad period is a message on the page, not a 500; unknown reports 404.
    let bad = t
        .page(&b, &format!("{base}?from=2021-01-01&to=2020-01-01"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .body
        .contains("Slutdatumet får inte vara före startdatumet."));
    assert!(
        bad.body.contains("value=\"2021-01-01\""),
        "the entered dates stay"
    );
    for path in [
        format!("/projects/{tk}/reports/esf"),
        format!("/projects/{tk}/reports/final.doc"),
        "/projects/999999/reports/final".into(),
    ] {
        assert_eq!(
            t.page_status(&b, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn before_and_after_adds_up_to_those_who_ended() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let base = format!("/projects/{tk}/reports/before_after");
    let page = t.page(&b, &base).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Före och efter"));
    assert!(page.body.contains("Underlag: 247 avslutade under perioden"));
    let x = t.page(&b, &format!("{base}.xlsx")).await;
    let dump = read_with("python3", &["-c", XLSX_DUMP], &x.bytes);
    // Each sheet's counts (second column) add up to the 247 who ended.
    let sheets: Vec<&str> = dump.split("# ").skip(2).collect();
    assert_eq!(sheets.len(), 6, "{dump}");
    for sheet in &sheets[1..] {
        let sum: i64 = sheet
            .lines()
            .skip(2)
            .filter_map(|l| l.split('|').nth(1)?.parse::<i64>().ok())
            .sum();
        assert_eq!(sum, 247, "{sheet}");
    }
    let pdf = t.page(&b, &format!("{base}.pdf")).await;
    let text = read_with("pdftotext", &["-layout", "-", "-"], &pdf.bytes);
    assert!(
        text.contains("Försörjning vid inskrivning och vid senaste uppföljningen"),
        "{text}"
    );
    assert!(text.contains("Försörjningsstöd"));
}

#[tokio::test]
async fn esf_indicators_count_what_is_known_and_say_unknown_for_the_rest() {
    let t = TestApp::new().await;
    let token = t.token(EVALUATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(EVALUATOR).await;
    let x = t
        .page(&b, &format!("/projects/{tk}/reports/esf_indicators.xlsx"))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let dump = read_with("python3", &["-c", XLSX_DUMP], &x.bytes);
    let row = |name: &str| -> Vec<String> {
        dump.lines()
            .find(|l| l.starts_with(&format!("'{name}'")))
            .unwrap_or_else(|| panic!("no row {name}:\n{dump}"))
            .split('|')
            .skip(1)
            .map(str::to_string)
            .collect()
    };
    // (total, women, men, other, data missing)
    assert_eq!(row("Deltagare totalt"), ["267", "267", "0", "0", "0"]);
    // palett holds no data on disabilities: unknown for all 267.
    assert_eq!(
        row("Personer med funktionsnedsättning"),
        ["'Okänt'", "'Okänt'", "'Okänt'", "'Okänt'", "267"]
    );
    // Labour-market status: the kinds and the unknown add up to everyone.
    let n = |r: Vec<String>, i: usize| r[i].parse::<i64>().expect("a count");
    let unemployed = row("Arbetslösa, inklusive långtidsarbetslösa");
    let inactive = row("Personer utanför arbetskraften (även studerande)");
    let employed = row("Anställda, inklusive egenföretagare");
    let unknown = n(unemployed.clone(), 4);
    assert!(unknown > 0 && unknown < 267);
    assert_eq!(
        n(unemployed, 0) + n(inactive, 0) + n(employed, 0) + unknown,
        267
    );
}

#[tokio::test]
async fn the_esf_monthly_file_is_for_coordinators_and_not_cached() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    let page = t
        .page(&b, &format!("/projects/{tk}/esf-months?month=2020-03"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains(&format!("/projects/{tk}/esf-months/2020-03.xlsx")));
    let bad = t
        .page(&b, &format!("/projects/{tk}/esf-months?month=mars"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Ange månaden som ÅÅÅÅ-MM."));
    assert!(bad.body.contains("value=\"mars\""));

    let csv = t
        .page(&b, &format!("/projects/{tk}/esf-months/2020-03.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CACHE_CONTROL], "no-store");
    assert!(csv.body.contains("Personnummer eller samordningsnummer;Förnamn;Efternamn;Startdatum;Slutdatum;Timmar under månaden;Bekräftad av deltagaren;Attesterad av handläggare;Rättelser efter attestering;Anmärkning"));
    // Demo participants have no identity number: each line says so.
    let lines = csv
        .body
        .lines()
        .filter(|l| l.contains("Personnummer saknas"))
        .count();
    assert!(lines > 10, "{}", csv.body);
    let x = t
        .page(&b, &format!("/projects/{tk}/esf-months/2020-03.xlsx"))
        .await;
    let dump = read_with("python3", &["-c", XLSX_DUMP], &x.bytes);
    assert!(dump.contains("'Timmar under månaden'"));
    assert!(dump.contains("'Attesterad av handläggare'"));

    for path in [
        format!("/projects/{tk}/esf-months/2020-13.csv"),
        format!("/projects/{tk}/esf-months/2020-03.pdf"),
    ] {
        assert_eq!(
            t.page_status(&b, &path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let caseworker = t.browser(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.page(
            &caseworker,
            &format!("/projects/{tk}/esf-months/2020-03.csv")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}
