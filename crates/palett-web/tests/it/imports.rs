//! Importing participants through the real router: a CSV uploaded, its
//! preview with a row's error in Swedish, the commit refused until that
//! row is excluded, the participants there, the undo asked first; the
//! same file through the API, its refusal naming row and column.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

const COORDINATOR: &str = "samordnare@helamanniskan.example";

/// Two women; row 3 has no family name.
const FILE: &str =
    "förnamn;efternamn;födelsedatum;kön;ansvarig organisation;remittent;inskrivning\n\
                    Webba;Importsson;1990-04-01;Kvinna;Hela Människan;self;2026-10-01\n\
                    Webbina;;1991-05-02;Kvinna;Hela Människan;self;2026-10-01\n";

async fn upload(t: &TestApp, b: &Browser, file: &[u8]) -> Resp {
    upload_kind(t, b, "participants", file).await
}

/// Upload a file of a kind (`participants`, `enrolments`, `time`) as the
/// form sends it.
async fn upload_kind(t: &TestApp, b: &Browser, kind: &str, file: &[u8]) -> Resp {
    let boundary = "palett-import-boundary-42";
    let mut body: Vec<u8> = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deltagare.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n",
            b.csrf
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/imports/preview")
        .header(header::COOKIE, format!("palett_session={}", b.cookie))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    t.send(req).await
}

/// How many times her family name stands in the participants list (the
/// search is typed in lower case, so the search box does not count).
async fn listed(t: &TestApp, b: &Browser) -> usize {
    t.post_form(b, "/participants", &[("q", "importsson")])
        .await
        .body
        .matches("Importsson")
        .count()
}

#[tokio::test]
async fn a_spreadsheet_is_previewed_fixed_by_exclusion_imported_and_undone() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;

    // The menu and the participants list lead to the import.
    let list = t.page(&b, "/participants").await;
    assert!(list.body.contains("href=\"/imports\""), "{}", list.body);
    let page = t.page(&b, "/imports").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/imports/template.xlsx"));
    let tpl = t.page(&b, "/imports/template.csv").await;
    assert_eq!(tpl.status, StatusCode::OK);
    assert!(tpl.body.contains("förnamn;efternamn"));
    assert!(tpl.body.contains("Kvinna;Woman"), "{}", tpl.body);
    let xlsx = t.page(&b, "/imports/template.xlsx").await;
    assert!(xlsx.bytes.starts_with(b"PK"));

    // The preview shows row 3's error in Swedish.
    let preview = upload(&t, &b, FILE.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("Fältet måste fyllas i."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("efternamn"));
    let action = preview
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/commit"))
        .expect("the commit form")
        .to_string();
    assert_eq!(listed(&t, &b).await, 0, "the preview saved nothing");

    // Committed with the bad row in: refused, nothing saved.
    let refused = t.post_form(&b, &action, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Inget sparades: rad 3"),
        "{}",
        refused.body
    );
    assert_eq!(listed(&t, &b).await, 0);

    // Row 3 excluded: she is imported.
    let result = t.post_redirect(&b, &action, &[("exclude", "3")]).await;
    assert!(result.starts_with("/imports/"));
    assert_eq!(listed(&t, &b).await, 1);
    let shown = t.page(&b, &result).await;
    assert!(shown.body.contains("1 deltagare skapade"), "{}", shown.body);

    // Undo asks first, then removes her.
    let undo = format!("{result}/undo");
    t.asks_first(&b, &undo, &[], "De 1 deltagare").await;
    assert_eq!(listed(&t, &b).await, 1);
    assert_eq!(t.confirmed(&b, &undo, &[]).await, result);
    assert_eq!(listed(&t, &b).await, 0);
}

#[tokio::test]
async fn the_api_previews_and_refuses_naming_row_and_column() {
    use base64::Engine;
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let content = base64::engine::general_purpose::STANDARD.encode(FILE);
    let body = serde_json::json!({ "file_name": "deltagare.csv", "content_base64": content });
    let r = t
        .post_json("/api/v1/imports/preview", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(j["error_rows"], 1);
    assert_eq!(j["rows"][1]["errors"][0]["column"], "family_name");

    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["rows/3/family_name"]);

    let body = serde_json::json!({ "file_name": "deltagare.csv", "content_base64": content, "exclude": [3] });
    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["import_id"].as_i64().expect("an id");
    let r = t
        .post_json(&format!("/api/v1/imports/{id}/undo"), &token, "{}")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json()["participant_ids"].as_array().map(Vec::len),
        Some(1)
    );
}

/// The commit form's address on a preview page.
fn commit_action(preview: &Resp) -> String {
    preview
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/commit"))
        .expect("the commit form")
        .to_string()
}

#[tokio::test]
async fn her_enrolments_and_time_are_imported_from_their_own_templates() {
    let t = TestApp::new().await;
    let b = t.browser(COORDINATOR).await;
    let preview = upload(&t, &b, FILE.as_bytes()).await;
    let done = t
        .post_redirect(&b, &commit_action(&preview), &[("exclude", "3")])
        .await;
    assert!(done.starts_with("/imports/"), "{done}");

    // The upload page offers the three kinds, each with its template; the
    // path's templates list the palette's interventions.
    let page = t.page(&b, "/imports").await;
    for kind in ["participants", "enrolments", "time"] {
        assert!(
            page.body.contains(&format!("value=\"{kind}\"")),
            "{kind}: {}",
            page.body
        );
        assert!(page
            .body
            .contains(&format!("/imports/template.csv?kind={kind}")));
    }
    let tpl = t.page(&b, "/imports/template.csv?kind=enrolments").await;
    assert!(
        tpl.body
            .contains("personnummer;förnamn;efternamn;födelsedatum;insats;grupp;status"),
        "{}",
        tpl.body
    );
    assert!(tpl.body.contains("Promenad och hälsa"), "{}", tpl.body);
    assert!(
        tpl.body.contains("# status;completed;Genomförd;Completed"),
        "{}",
        tpl.body
    );
    let xlsx = t.page(&b, "/imports/template.xlsx?kind=time").await;
    assert!(xlsx.bytes.starts_with(b"PK"));

    // Her enrolment by name and birth date, in a group made for it; row 3
    // names no intervention of the palette.
    let file = "förnamn;efternamn;födelsedatum;insats;grupp;status;startdatum\n\
                Webba;Importsson;1990-04-01;Promenad och hälsa;Webbgruppen;ongoing;2026-10-05\n\
                Webba;Importsson;1990-04-01;Trädgårdsarbete;;planned;\n";
    let preview = upload_kind(&t, &b, "enrolments", file.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview.body.contains("Insatser och grupper"),
        "{}",
        preview.body
    );
    assert!(
        preview
            .body
            .contains("insats</strong>: Finns inte i partnerskapet"),
        "{}",
        preview.body
    );
    let result = t
        .post_redirect(&b, &commit_action(&preview), &[("exclude", "3")])
        .await;
    let shown = t.page(&b, &result).await;
    assert!(
        shown
            .body
            .contains("Insatsdeltaganden: 1. Nya grupper: 1. Tidsposter: 0. Berörda deltagare: 1."),
        "{}",
        shown.body
    );
    let her = shown
        .body
        .split("href=\"/participants/")
        .filter_map(|s| s.split('"').next())
        .find(|id| id.parse::<i64>().is_ok())
        .expect("a link to her")
        .to_string();
    let record = t.page(&b, &format!("/participants/{her}")).await;
    assert!(record.body.contains("Webbgruppen"), "{}", record.body);

    // Undo asks first and says what goes.
    t.asks_first(&b, &format!("{result}/undo"), &[], "Insatsdeltaganden: 1")
        .await;
    assert_eq!(
        t.confirmed(&b, &format!("{result}/undo"), &[]).await,
        result
    );
    let record = t.page(&b, &format!("/participants/{her}")).await;
    assert!(!record.body.contains("Webbgruppen"), "{}", record.body);
}

#[tokio::test]
async fn the_api_imports_time_and_refuses_an_unknown_kind() {
    use base64::Engine;
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let body = serde_json::json!({ "file_name": "deltagare.csv", "content_base64": b64(FILE), "exclude": [3] });
    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let her = r.json()["participant_ids"][0].as_i64().expect("her id");

    let time = format!(
        "participant_id;intervention;on_date;hours\n{her};Promenad och hälsa;2026-10-12;1,5\n{her};Promenad och hälsa;2026-09-01;1\n"
    );
    let body =
        serde_json::json!({ "file_name": "tid.csv", "content_base64": b64(&time), "kind": "time" });
    let r = t
        .post_json("/api/v1/imports/preview", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The row names her by id; the preview says whom it found.
    assert_eq!(
        r.json()["rows"][0]["name"],
        "Webba Importsson",
        "{}",
        r.body
    );
    // Row 3 is before her intake on 2026-10-01.
    assert_eq!(
        r.json()["rows"][1]["errors"][0]["column"],
        "on_date",
        "{}",
        r.body
    );
    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["rows/3/on_date"]);
    let body = serde_json::json!({ "file_name": "tid.csv", "content_base64": b64(&time), "kind": "time", "exclude": [3] });
    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["participant_ids"], serde_json::json!([her]));

    let body =
        serde_json::json!({ "file_name": "x.csv", "content_base64": b64(&time), "kind": "groups" });
    let r = t
        .post_json("/api/v1/imports/preview", &token, &body.to_string())
        .await;
    r.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["kind"]);
    let body =
        serde_json::json!({ "file_name": "x.csv", "content_base64": b64(&time), "sort": "yes" });
    let r = t
        .post_json("/api/v1/imports/preview", &token, &body.to_string())
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
}

#[tokio::test]
async fn an_imports_result_is_in_the_api_as_on_its_page() {
    use base64::Engine;
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let b = t.browser(COORDINATOR).await;
    let content = base64::engine::general_purpose::STANDARD.encode(FILE);
    let body = serde_json::json!({ "file_name": "deltagare.csv", "content_base64": content, "exclude": [3] });
    let r = t
        .post_json("/api/v1/imports", &token, &body.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let done = r.json();
    let id = done["import_id"].as_i64().expect("an id");
    let path = format!("/api/v1/imports/{id}");
    let r = t.get(&path, Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let import = r.json();
    assert_eq!(import["id"], id);
    assert_eq!(import["kind"], "participants");
    assert_eq!(import["file_name"], "deltagare.csv");
    assert_eq!(import["state"], "committed");
    assert_eq!(import["participant_ids"], done["participant_ids"]);
    assert!(import["committed_at"].is_string() && import["undone_at"].is_null());
    let page = t.page(&b, &format!("/imports/{id}")).await;
    assert!(page.body.contains("1 deltagare skapade"), "{}", page.body);
    // Undone, it says so.
    t.post_json(&format!("{path}/undo"), &token, "{}").await;
    let undone = t.get(&path, Some(&token)).await.json();
    assert_eq!(undone["state"], "undone");
    assert!(undone["undone_at"].is_string());
    // Unknown, and another partnership's or a caller's who may not import:
    // refused; a token limited to another area too.
    assert_eq!(
        t.get("/api/v1/imports/999999", Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/api/v1/imports/x", Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
    let caseworker = t.token(KOMMUN_CASEWORKER).await;
    assert_eq!(
        t.get(&path, Some(&caseworker)).await.status,
        StatusCode::FORBIDDEN
    );
    let other = crate::api_admin::limited(&t, COORDINATOR, true, &["projects"], "").await;
    let r = t.get(&path, Some(&other)).await;
    assert_eq!(
        (r.status, crate::api_admin::code(&r)),
        (StatusCode::FORBIDDEN, "token-area".into())
    );
}
