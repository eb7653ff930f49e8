use super::*;

fn today() -> Date {
    jiff::civil::date(2026, 11, 25)
}

fn refs() -> References {
    let mut r = References::default();
    r.organisations.insert("hela människan".into(), 1);
    r.projects.insert("vägen vidare".into(), 7);
    r
}

fn labels() -> Labels {
    let mut l = Labels::default();
    // The Swedish labels, as the web layer gives them from Fluent.
    l.add(|id| match id {
        "gender-woman" => "Kvinna".into(),
        "outcome-employment-unsubsidised" => "Arbete utan subvention".into(),
        other => other.into(),
    });
    l
}

fn parse_all(bytes: &[u8]) -> Result<Vec<ImportRow>, ReadError> {
    let mut out = Vec::new();
    parse_file(bytes, &refs(), &labels(), today(), 0..usize::MAX, |r| {
        out.push(r)
    })?;
    Ok(out)
}

#[test]
fn the_delimiter_is_sniffed_from_the_header() {
    assert_eq!(sniff("förnamn;efternamn;kön\nA;B,C;D"), b';');
    assert_eq!(sniff("given_name,family_name\nA;B,C"), b',');
}

#[test]
fn csv_with_semicolons_and_a_bom_reads_in_swedish() {
    let file = "\u{feff}Förnamn;Efternamn;Födelsedatum;Kön;Ansvarig organisation;Projekt;Inskrivning;Avslut;Avslutsorsak;Remittent\n\
                Amina;Hassan;1990-04-01;Kvinna;Hela människan;Vägen vidare;2026-01-10;2026-06-30;Arbete utan subvention;municipality\n";
    let rows = parse_all(file.as_bytes()).expect("ok");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[0].name, "Amina Hassan");
    let cmd = rows[0].parsed.as_ref().expect("ok");
    assert_eq!(cmd.profile.given_name, "Amina");
    assert_eq!(cmd.profile.responsible_organisation_id, 1);
    assert_eq!(cmd.profile.project_ids, vec![7]);
    assert_eq!(
        cmd.profile.intake_date,
        Some(jiff::civil::date(2026, 1, 10))
    );
    assert_eq!(
        cmd.exit,
        Some((
            jiff::civil::date(2026, 6, 30),
            ExitOutcome::EmploymentUnsubsidised
        ))
    );
}

#[test]
fn windows_1252_is_detected_when_the_bytes_are_not_utf8() {
    // "Åsa;Öberg" in Windows-1252: Å = 0xC5, Ö = 0xD6.
    let mut file =
        b"given_name,family_name,birth_date,gender,responsible_organisation,referral_source\n"
            .to_vec();
    file.extend_from_slice(b"\xC5sa,\xD6berg,1985-02-03,woman,1,self\n");
    let rows = parse_all(&file).expect("ok");
    assert_eq!(rows[0].name, "Åsa Öberg");
    let cmd = rows[0].parsed.as_ref().expect("ok");
    assert_eq!(cmd.profile.family_name, "Öberg");
}

#[test]
fn a_bad_row_names_its_row_and_column() {
    let file = "förnamn;efternamn;födelsedatum;kön;ansvarig organisation;remittent\n\
                Amina;Hassan;1990-04-01;Kvinna;Hela människan;self\n\
                Sara;;1990-13-01;Kvinna;Okänd förening;self\n";
    let rows = parse_all(file.as_bytes()).expect("ok");
    assert!(rows[0].parsed.is_ok());
    let errors = rows[1].parsed.as_ref().expect_err("refused");
    let at = |c: &str| errors.iter().find(|e| e.column == c).map(|e| e.code);
    assert!(errors.iter().all(|e| e.row == 3));
    assert_eq!(at("family_name"), Some("error-required"));
    assert!(at("birth_date").is_some());
    assert_eq!(
        at("responsible_organisation"),
        Some("error-import-unknown-reference")
    );
}

#[test]
fn unknown_and_missing_columns_refuse_the_file() {
    assert_eq!(
        parse_all(b"given_name,shoe_size\nA,42\n").expect_err("refused"),
        ReadError::UnknownColumn("shoe_size".into())
    );
    assert_eq!(
        parse_all(b"given_name,birth_date\nA,1990-01-01\n").expect_err("refused"),
        ReadError::MissingColumn("family_name")
    );
    assert_eq!(
        parse_all(b"given_name,family_name\n").expect_err("refused"),
        ReadError::Empty
    );
}

#[test]
fn xlsx_is_read_from_its_first_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let header = [
        "Förnamn",
        "Efternamn",
        "Födelsedatum",
        "Kön",
        "Ansvarig organisation",
        "Remittent",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("ok");
    }
    let row = [
        "Åsa",
        "Öberg",
        "1985-02-03",
        "Kvinna",
        "Hela människan",
        "self",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("ok");
    }
    // A number cell for the organisation's id on the next row.
    for (c, v) in ["Lina", "Berg", "1979-12-24", "woman"].iter().enumerate() {
        ws.write_string(3, c as u16, *v).expect("ok");
    }
    ws.write_number(3, 4, 1.0).expect("ok");
    ws.write_string(3, 5, "self").expect("ok");
    let bytes = book.save_to_buffer().expect("ok");
    let rows = parse_all(&bytes).expect("ok");
    assert_eq!(rows.len(), 2, "the blank row is skipped");
    assert_eq!(rows[0].name, "Åsa Öberg");
    assert!(rows[0].parsed.is_ok());
    assert_eq!(rows[1].row, 4);
    let cmd = rows[1].parsed.as_ref().expect("ok");
    assert_eq!(cmd.profile.responsible_organisation_id, 1);
    assert_eq!(cmd.profile.birth_date, jiff::civil::date(1979, 12, 24));
}

#[test]
fn a_window_parses_only_its_rows_and_counts_them_all() {
    let file = "förnamn;efternamn\nA;Ett\nB;Två\nC;Tre\n";
    let mut got = Vec::new();
    let total = parse_file(file.as_bytes(), &refs(), &labels(), today(), 1..2, |r| {
        got.push(r.row)
    })
    .expect("readable");
    assert_eq!((total, got), (3, vec![3]));
}
