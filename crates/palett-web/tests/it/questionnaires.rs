//! Questionnaires through the real router: an XLSForm uploaded (its
//! problems named by sheet, row and column), published and downloaded back
//! as the same instrument; a questionnaire filled in Arabic with its
//! errors and values kept; the results under k; the research export of
//! the answers whose codebook matches its columns, as CSV and as a Stata
//! file; and her questionnaire in her portal.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../e2e/fixtures");

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).expect("the fixture (e2e/fixtures)")
}

/// POST a file as a multipart form, with the CSRF token unless `csrf` is
/// false.
pub(crate) async fn upload(t: &TestApp, b: &Browser, file: &[u8], csrf: bool) -> Resp {
    let boundary = "palett-test-boundary-7f3a";
    let mut body: Vec<u8> = Vec::new();
    if csrf {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n",
                b.csrf
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"form.xlsx\"\r\n\
             Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/questionnaires/upload")
        .header(header::COOKIE, format!("palett_session={}", b.cookie))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    t.send(req).await
}

/// The context of a signed-in user, for reading through the app.
async fn ctx(t: &TestApp, email: &str) -> palett_app::Ctx {
    t.app
        .session(&t.browser(email).await.cookie)
        .await
        .expect("ok")
        .expect("a session")
        .ctx("127.0.0.1")
}

/// The instrument id of a `/questionnaires/{id}…` address.
pub(crate) fn instrument_id(location: &str) -> i64 {
    location
        .trim_start_matches("/questionnaires/")
        .split(['?', '/', '"'])
        .next()
        .and_then(|s| s.parse().ok())
        .expect("an instrument address")
}

/// Upload and publish the trygghet form as the evaluator; its id.
async fn published_trygghet(t: &TestApp, evaluator: &Browser) -> i64 {
    let r = upload(t, evaluator, &fixture("trygghet.xlsx"), true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = instrument_id(&r.location());
    t.post_redirect(
        evaluator,
        &format!("/questionnaires/{id}/versions/1/publish"),
        &[],
    )
    .await;
    id
}

#[tokio::test]
async fn an_xlsform_is_uploaded_published_and_downloaded_as_the_same_instrument() {
    let t = TestApp::new().await;
    let [evaluator, coach] = t.browsers([EVALUATOR, KOMMUN_CASEWORKER]).await;
    // A broken form: every problem by sheet, row and column, nothing saved.
    let r = upload(&t, &evaluator, &fixture("trasig.xlsx"), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Filen har 2 fel"), "{}", r.body);
    assert!(r.body.contains(
        "<td>survey</td><td>4</td><td>type</td><td>Frågetypen stöds inte av palett: geopoint</td>"
    ));
    assert!(r.body.contains(
        "<td>survey</td><td>6</td><td>relevant</td><td>Villkoret hänvisar till en okänd fråga: okand</td>"
    ));
    let before = t.page(&evaluator, "/questionnaires").await;
    assert!(!before.body.contains("Trygghet i vardagen"));
    // Not a spreadsheet; no file; no CSRF token; not one who designs.
    let r = upload(&t, &evaluator, b"type;name\ntext;q\n", true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Filen gick inte att läsa som kalkylblad."));
    let r = upload(&t, &evaluator, &fixture("trygghet.xlsx"), false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = upload(&t, &coach, &fixture("trygghet.xlsx"), true).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.page_status(&coach, "/questionnaires/upload").await,
        StatusCode::FORBIDDEN
    );
    // The form: a draft, published, then never changed by an upload.
    let id = published_trygghet(&t, &evaluator).await;
    let page = t.page(&evaluator, &format!("/questionnaires/{id}")).await;
    assert!(page.body.contains("Trygghet i vardagen"));
    assert!(page.body.contains("Svenska, العربية"));
    let again = t
        .post_form(
            &evaluator,
            &format!("/questionnaires/{id}/versions/1/publish"),
            &[],
        )
        .await;
    assert_eq!(
        again.location(),
        format!("/questionnaires/{id}?published=1"),
        "sent twice, it is published all the same"
    );
    let r = upload(&t, &evaluator, &fixture("trygghet.xlsx"), true).await;
    assert_eq!(
        r.location(),
        format!("/questionnaires/{id}?uploaded=2"),
        "the same form_id makes version 2"
    );
    // Downloaded, the XLSForm reads back as the very instrument.
    let file = t
        .page(
            &evaluator,
            &format!("/questionnaires/{id}/versions/1/xlsform"),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let sheets = palett_web::document::xlsform::read(&file.bytes).expect("an XLSX");
    let back = palett_domain::xlsform::read(&sheets).expect("a valid XLSForm");
    let stored = t
        .app
        .instrument_version(&ctx(&t, EVALUATOR).await, id, 1)
        .await
        .expect("version 1");
    assert_eq!(back, stored.definition);
    assert_eq!(back.languages, ["sv", "ar"]);
    // The preview in Arabic is right to left.
    let preview = t
        .page(
            &evaluator,
            &format!("/questionnaires/{id}/versions/1?lang=ar"),
        )
        .await;
    assert!(preview
        .body
        .contains("<div class=\"questionnaire\" lang=\"ar\" dir=\"rtl\">"));
    assert!(preview.body.contains("هل لديك عمل الآن؟"));
    assert_eq!(
        t.page_status(&evaluator, &format!("/questionnaires/{id}/versions/9"))
            .await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.page_status(&evaluator, "/questionnaires/999999").await,
        StatusCode::NOT_FOUND
    );
}

/// The first participant on the coach's list whose questionnaire form she
/// may open (she may change her record).
async fn changeable(t: &TestApp, coach: &Browser, id: i64) -> String {
    let list = t.page(coach, "/participants").await;
    for pid in list
        .body
        .split("href=\"/participants/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()))
    {
        let path = format!("/participants/{pid}/questionnaires/{id}");
        if t.page_status(coach, &path).await == StatusCode::OK {
            return pid.to_string();
        }
    }
    panic!("no participant the coach may change");
}

#[tokio::test]
async fn a_questionnaire_is_filled_in_arabic_its_errors_and_values_kept() {
    let t = TestApp::new().await;
    let [evaluator, coach] = t.browsers([EVALUATOR, KOMMUN_CASEWORKER]).await;
    let id = published_trygghet(&t, &evaluator).await;
    let pid = changeable(&t, &coach, id).await;
    let path = format!("/participants/{pid}/questionnaires/{id}");
    let form = t.page(&coach, &format!("{path}?lang=ar")).await;
    assert!(form
        .body
        .contains("<div class=\"questionnaire\" lang=\"ar\" dir=\"rtl\">"));
    assert!(
        form.body.contains("data-relevant="),
        "skip logic for the script"
    );
    let base = [
        ("wave", "none"),
        ("on", "2026-11-20"),
        ("mode", "with_staff"),
        ("language", "ar"),
    ];
    // Missing answers and a bad one: the page again, values kept.
    let mut fields = base.to_vec();
    fields.extend([
        ("arbetar", "nej"),
        ("trygg", "9"),
        ("ord", "Jag vill bli undersköterska"),
    ]);
    let r = t.post_invalid(&coach, &path, &fields).await;
    assert!(r.body.contains("dir=\"rtl\""), "still in Arabic");
    assert!(r.body.contains("Välj ett av alternativen."));
    assert!(r.body.contains("Fältet måste fyllas i."));
    assert!(r
        .body
        .contains("id=\"q-arbetar-nej\" name=\"arbetar\" value=\"nej\" checked"));
    assert!(r.body.contains("value=\"Jag vill bli undersköterska\""));
    // The wave left unchosen is an error of its own.
    let mut fields = base.to_vec();
    fields[0] = ("wave", "");
    let r = t.post_invalid(&coach, &path, &fields).await;
    assert!(r.body.contains("href=\"#f-wave\""));
    // Complete: saved; hours sent for a woman without work are dropped.
    let mut fields = base.to_vec();
    fields.extend([
        ("arbetar", "nej"),
        ("timmar", "12"),
        ("trygg", "4"),
        ("ensam", "2"),
    ]);
    let back = t.post_redirect(&coach, &path, &fields).await;
    assert_eq!(back, format!("/participants/{pid}/questionnaires?saved=1"));
    let page = t.page(&coach, &back).await;
    assert!(page.body.contains("Svaren är sparade."));
    assert!(page.body.contains("العربية"));
    assert!(
        page.body.contains("Trygghet: 4"),
        "(4 + (6 - 2)) / 2 = 4: {}",
        page.body
    );
    // The list of those due (the worklist's) is paged; a page past its
    // end is not there.
    let due = t.page(&coach, "/questionnaires/due").await;
    assert_eq!(due.status, StatusCode::OK);
    assert!(due.body.contains("Enkäter att fylla i"));
    assert_eq!(
        t.page_status(&coach, "/questionnaires/due?page=2").await,
        StatusCode::NOT_FOUND
    );
    // Others may not fill it in.
    assert_eq!(
        t.post_form(&evaluator, &path, &fields).await.status,
        StatusCode::NOT_FOUND
    );
}

/// POST the answers export form.
async fn export(t: &TestApp, b: &Browser, fields: Vec<(&str, String)>) -> Resp {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.post_form(b, "/exports/research/answers", &refs).await
}

#[tokio::test]
async fn the_results_keep_k_and_the_answers_export_matches_its_codebook() {
    let t = TestApp::new().await;
    let [evaluator, coach] = t.browsers([EVALUATOR, KOMMUN_CASEWORKER]).await;
    let list = t.page(&evaluator, "/questionnaires").await;
    let egenmakt = list
        .body
        .split("href=\"/questionnaires/")
        .skip(1)
        .find(|s| s.contains("Egenmakt och livsutrymme"))
        .map(|s| instrument_id(&format!("/questionnaires/{s}")))
        .expect("the demo's egenmakt instrument");
    let results = t
        .page(
            &evaluator,
            &format!("/questionnaires/{egenmakt}/results?by=age_group"),
        )
        .await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(results.body.contains("Svarsfrekvens per våg"));
    assert!(results
        .body
        .contains("Förändring från inskrivning till avslut"));
    // One answer to a new instrument: its count is "fewer than 5".
    let id = published_trygghet(&t, &evaluator).await;
    let pid = changeable(&t, &coach, id).await;
    t.post_redirect(
        &coach,
        &format!("/participants/{pid}/questionnaires/{id}"),
        &[
            ("wave", "none"),
            ("on", "2026-11-20"),
            ("mode", "paper"),
            ("language", "sv"),
            ("arbetar", "ja"),
            ("timmar", "20"),
            ("trygg", "5"),
            ("ensam", "1"),
        ],
    )
    .await;
    let few = t
        .page(&evaluator, &format!("/questionnaires/{id}/results"))
        .await;
    assert!(few.body.contains("färre än 5"));
    // The export: evaluators only; its files agree with the codebook.
    let key = "följeforskningens nyckel 2026";
    let form = |format: &'static str| {
        vec![
            ("instrument", egenmakt.to_string()),
            ("key", key.to_string()),
            ("k", "5".to_string()),
            ("format", format.to_string()),
        ]
    };
    assert_eq!(
        export(&t, &coach, form("wide")).await.status,
        StatusCode::FORBIDDEN
    );
    let short = export(
        &t,
        &evaluator,
        vec![
            ("instrument", egenmakt.to_string()),
            ("key", "kort".into()),
            ("k", "5".into()),
            ("format", "wide".into()),
        ],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !short.body.contains("value=\"kort\""),
        "the key is not shown again"
    );
    let wide = export(&t, &evaluator, form("wide")).await;
    let codebook = export(&t, &evaluator, form("codebook")).await;
    let long = export(&t, &evaluator, form("long")).await;
    let stata = export(&t, &evaluator, form("stata")).await;
    for r in [&wide, &codebook, &long, &stata] {
        assert_eq!(r.status, StatusCode::OK);
    }
    let header: Vec<&str> = wide
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .expect("a header")
        .split(';')
        .collect();
    let variables: Vec<&str> = codebook
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap_or_default())
        .collect();
    assert_eq!(
        header, variables,
        "the codebook names the wide file's columns"
    );
    assert!(wide.body.lines().count() > 10, "the demo's answers");
    assert!(wide
        .body
        .lines()
        .skip(1)
        .all(|l| l.split(';').count() == header.len()));
    // The long file's variables are the codebook's; no free text anywhere.
    assert!(long
        .body
        .lines()
        .skip(1)
        .all(|l| variables.contains(&l.split(';').nth(3).unwrap_or_default())));
    let free_text = t
        .app
        .instrument_version(&ctx(&t, EVALUATOR).await, egenmakt, 1)
        .await
        .expect("version 1")
        .definition
        .items()
        .filter(|i| matches!(i.kind, palett_domain::instrument::ItemKind::Text))
        .map(|i| i.name.clone())
        .collect::<Vec<_>>();
    assert!(!free_text.is_empty(), "the demo instrument has a text item");
    assert!(free_text.iter().all(|f| !variables.contains(&f.as_str())));
    // The Stata file: the same variables, with their labels.
    assert!(stata
        .bytes
        .starts_with(b"<stata_dta><header><release>118</release>"));
    let mut reader = dta::stata::dta::dta_reader::DtaReader::new()
        .from_reader(std::io::Cursor::new(stata.bytes.clone()))
        .read_header()
        .expect("a header")
        .read_schema()
        .expect("a schema");
    let names: Vec<String> = reader
        .schema()
        .variables()
        .iter()
        .map(|v| v.name().to_string())
        .collect();
    assert_eq!(names, variables);
    reader.skip_to_end().expect("characteristics");
}

#[tokio::test]
async fn she_answers_a_questionnaire_in_her_portal_in_her_language() {
    let t = TestApp::new().await;
    let s = t
        .app
        .portal_sign_in("DEMOAR", PASSWORD, "127.0.0.1")
        .await
        .expect("her sign-in");
    let cookie = format!("palett_portal={}", s.cookie_value);
    let list = t
        .send(
            Request::get("/portal/questionnaires")
                .header(header::COOKIE, format!("{cookie}; palett_lang=ar"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("الاستبيانات"));
    let form_path = list
        .body
        .split("href=\"/portal/questionnaires/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|id| format!("/portal/questionnaires/{id}"))
        .expect("a questionnaire for her");
    let form = t
        .send(
            Request::get(form_path.as_str())
                .header(header::COOKIE, format!("{cookie}; palett_lang=ar"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("lang=\"ar\" dir=\"rtl\""), "in Arabic");
    // An empty answer: the errors in Arabic.
    let body = serde_urlencoded::to_string([("_csrf", s.csrf_token.as_str())]).expect("form");
    let r = t
        .send(
            Request::post(form_path.as_str())
                .header(header::COOKIE, format!("{cookie}; palett_lang=ar"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("يجب ملء هذا الحقل."));
}

#[tokio::test]
async fn the_api_lists_instruments_and_records_answers_naming_the_item_at_fault() {
    let t = TestApp::new().await;
    let [evaluator, coach] = t.browsers([EVALUATOR, KOMMUN_CASEWORKER]).await;
    let id = published_trygghet(&t, &evaluator).await;
    let pid = changeable(&t, &coach, id).await;
    let token = t.token(KOMMUN_CASEWORKER).await;
    let list = t.get("/api/v1/instruments", Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .any(|i| i["name"] == "trygghet" && i["published"] == 1));
    let v = t
        .get(
            &format!("/api/v1/instruments/{id}/versions/1"),
            Some(&token),
        )
        .await;
    assert_eq!(v.json()["definition"]["languages"][1], "ar");
    let path = format!("/api/v1/participants/{pid}/questionnaires/{id}");
    // An unknown item and a bad choice, each named as the body names it.
    let r = t
        .post_json(
            &path,
            &token,
            r#"{"wave": "", "on": "2026-11-20", "language": "sv", "mode": "with_staff",
                "answers": {"arbetar": "ja", "timmar": 20, "trygg": "4", "ensam": "2", "skostorlek": "38"}}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["answers.skostorlek"]);
    let r = t
        .post_json(
            &path,
            &token,
            r#"{"wave": "", "on": "2026-11-20", "language": "sv", "mode": "with_staff",
                "answers": {"arbetar": "kanske", "trygg": "4", "ensam": "2"}}"#,
        )
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["answers.arbetar"]);
    let r = t
        .post_json(
            &path,
            &token,
            r#"{"wave": "", "on": "2026-11-20", "language": "ar", "mode": "paper",
                "answers": {"arbetar": "ja", "timmar": 20, "trygg": "4", "ensam": "2"}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hers = t
        .get(
            &format!("/api/v1/participants/{pid}/questionnaires"),
            Some(&token),
        )
        .await
        .json();
    let answered = hers["answered"]
        .as_array()
        .expect("answered")
        .iter()
        .find(|a| a["instrument_id"] == id)
        .cloned()
        .expect("the new response");
    assert_eq!(answered["mode"], "paper");
    assert_eq!(answered["language"], "ar");
    assert_eq!(answered["scores"][0]["value"], 4.0);
    // Evaluators read figures, not records.
    let evaluator_token = t.token(EVALUATOR).await;
    assert_eq!(
        t.get(
            &format!("/api/v1/participants/{pid}/questionnaires"),
            Some(&evaluator_token)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn discarding_a_draft_asks_first_and_keeps_it_until_confirmed() {
    let t = TestApp::new().await;
    let evaluator = t.browser(EVALUATOR).await;
    let r = upload(&t, &evaluator, &fixture("trygghet.xlsx"), true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = instrument_id(&r.location());
    let discard = format!("/questionnaires/{id}/versions/1/discard");
    t.asks_first(
        &evaluator,
        &discard,
        &[],
        "Utkastet, version 1, tas bort. Det går inte att ångra.",
    )
    .await;
    let draft = format!("/questionnaires/{id}/versions/1");
    assert_eq!(t.page_status(&evaluator, &draft).await, StatusCode::OK);
    t.confirmed(&evaluator, &discard, &[]).await;
    assert_eq!(
        t.page_status(&evaluator, &draft).await,
        StatusCode::NOT_FOUND
    );
}
