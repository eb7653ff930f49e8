//! The participant portal through the real router: her session reaches her
//! pages and nothing else, pages in seven languages (Arabic and Dari right
//! to left), the invitation her caseworker prints, and every
//! participant-facing message in every portal language.

use crate::support::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use palett_web::i18n::{Lang, Tr};

/// A participant's browser: her portal cookie and CSRF token.
struct Her {
    cookie: String,
    csrf: String,
    id: i64,
}

async fn her(t: &TestApp, login: &str) -> Her {
    let s = t
        .app
        .portal_sign_in(login, PASSWORD, "127.0.0.1")
        .await
        .expect("her sign-in");
    let id = t
        .app
        .portal_session(&s.cookie_value)
        .await
        .expect("session")
        .expect("alive")
        .participant_id;
    Her {
        cookie: s.cookie_value,
        csrf: s.csrf_token,
        id,
    }
}

async fn get_as(t: &TestApp, h: &Her, path: &str, lang: Option<&str>) -> Resp {
    let lang = lang
        .map(|l| format!("; palett_lang={l}"))
        .unwrap_or_default();
    let req = Request::get(path)
        .header(header::COOKIE, format!("palett_portal={}{lang}", h.cookie))
        .body(Body::empty())
        .expect("request");
    t.send(req).await
}

async fn post_as(t: &TestApp, h: &Her, path: &str, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("_csrf", h.csrf.as_str())];
    all.extend_from_slice(fields);
    let req = Request::post(path)
        .header(header::COOKIE, format!("palett_portal={}", h.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&all).expect("form")))
        .expect("request");
    t.send(req).await
}

/// A path with any parameter still in braces given the value 1.
fn with_parameters_as_one(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => inside = true,
            '}' => {
                inside = false;
                out.push('1');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

const HER_PAGES: [&str; 7] = [
    "/portal",
    "/portal/plan",
    "/portal/schedule",
    "/portal/time",
    "/portal/consents",
    "/portal/assessment",
    "/portal/data",
];

#[tokio::test]
async fn a_participant_session_reaches_her_portal_and_nothing_else() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let other = her(&t, "DEMOSO").await;
    let coach = t.browser("handledare@helamanniskan.example").await;
    let secret = "Anteckning som bara personalen läser 4711";
    let note = t
        .post_form(
            &coach,
            &format!("/participants/{}/notes", amal.id),
            &[("body", secret), ("visibility", "shared")],
        )
        .await;
    assert!(note.status.is_redirection(), "{}", note.body);
    for page in HER_PAGES {
        let r = get_as(&t, &amal, page, None).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(!r.body.contains(secret), "{page} shows a staff note");
    }
    let pdf = get_as(&t, &amal, "/portal/data.pdf", Some("sv")).await;
    let text = crate::reports::read_with("pdftotext", &["-", "-"], &pdf.bytes);
    assert!(
        text.contains("Mina uppgifter") && !text.contains(secret),
        "{text}"
    );
    // Asking to talk about a new consent reaches her caseworkers' inbox.
    let asked = post_as(&t, &amal, "/portal/consents/ask", &[]).await;
    assert_eq!(asked.location(), "/portal/consents?done=asked");
    let inbox = t.page(&coach, "/inbox").await;
    assert!(inbox.body.contains(&format!(
        "Deltagare {} vill prata om ett nytt samtycke",
        amal.id
    )));
    // Staff pages, the API and every other participant answer 404 (the
    // start page sends her to her portal).
    let (a, o) = (amal.id, other.id);
    for path in [
        "/participants".to_string(),
        format!("/participants/{a}"),
        format!("/participants/{a}/portal"),
        format!("/participants/{o}"),
        format!("/participants/{a}/export"),
        "/palette".into(),
        "/inbox".into(),
        "/audit".into(),
        "/admin/users".into(),
        "/reports".into(),
        "/dashboard".into(),
        "/tokens".into(),
        "/referrals".into(),
        format!("/api/v1/participants/{a}"),
        format!("/api/v1/participants/{a}/notes"),
        "/api/v1/openapi.json".into(),
    ] {
        let r = get_as(&t, &amal, &path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains(secret), "{path}");
    }
    // Every operation of the JSON API, whatever its method, is not found.
    let doc: serde_json::Value =
        serde_json::from_str(palett_web::openapi()).expect("the OpenAPI document");
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{id}", &a.to_string())
            .replace("{month}", "2026-10")
            .replace("{kind}", "final")
            .replace("{decision}", "approve");
        let concrete = format!("/api/v1{}", with_parameters_as_one(&concrete));
        for method in item.as_object().expect("an item").keys() {
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&concrete)
                .header(header::COOKIE, format!("palett_portal={}", amal.cookie))
                .header("x-csrf-token", &amal.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("request");
            let r = t.send(req).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {concrete}");
            operations += 1;
        }
    }
    assert!(operations > 50, "{operations}");
    let start = get_as(&t, &amal, "/", None).await;
    assert_eq!(start.location(), "/portal");
    let change = post_as(
        &t,
        &amal,
        &format!("/participants/{a}/notes"),
        &[("body", "x")],
    )
    .await;
    assert_eq!(change.status, StatusCode::NOT_FOUND);
    // Not another's consent either, and not without her CSRF token.
    let staff = t.token(COORDINATOR).await;
    let theirs = t
        .get(&format!("/api/v1/participants/{o}/consents"), Some(&staff))
        .await;
    let id = theirs.json()["items"][0]["id"]
        .as_i64()
        .expect("another's consent");
    for fields in [&[][..], &[("confirm", "yes")][..]] {
        let r = post_as(
            &t,
            &amal,
            &format!("/portal/consents/{id}/withdraw"),
            fields,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let req = Request::post("/portal/assessment")
        .header(header::COOKIE, format!("palett_portal={}", amal.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("swedish=3"))
        .expect("request");
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    // Without a session, her pages lead to the portal's sign-in.
    let r = t.get("/portal/plan", None).await;
    assert_eq!(r.location(), "/portal/login");
}

#[tokio::test]
async fn her_pages_speak_her_language_right_to_left_where_it_is_written_so() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    // Her profile's language (Arabic) by default.
    let home = get_as(&t, &amal, "/portal/time", None).await;
    assert!(home.body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(home.body.contains("وقتي"));
    // Dates and numbers as Arabic writes them (the demo's day is 2026-11-25).
    assert!(home.body.contains("٢٠٢٦"), "Arabic-Indic digits");
    let dari = get_as(&t, &amal, "/portal/time", Some("prs")).await;
    assert!(dari.body.contains(r#"<html lang="fa-AF" dir="rtl">"#));
    assert!(dari.body.contains("۲۰۲۶"));
    for (code, html) in [
        ("sv", r#"lang="sv" dir="ltr""#),
        ("sv-easy", r#"lang="sv" dir="ltr""#),
        ("en", r#"lang="en" dir="ltr""#),
        ("so", r#"lang="so" dir="ltr""#),
        ("ti", r#"lang="ti" dir="ltr""#),
    ] {
        for page in HER_PAGES {
            let r = get_as(&t, &amal, page, Some(code)).await;
            assert_eq!(r.status, StatusCode::OK, "{code} {page}");
            assert!(r.body.contains(html), "{code} {page}");
            assert!(
                !r.body.contains("[portal-"),
                "{code} {page}: a missing message"
            );
        }
    }
    // Every page offers every language, each named in itself.
    for l in Lang::PORTAL {
        assert!(home
            .body
            .contains(&format!("/portal/lang/{}?back=/portal/time", l.code())));
        assert!(home.body.contains(l.native_name()));
    }
    // Switching is kept in her account for her next visit.
    let r = get_as(&t, &amal, "/portal/lang/so?back=/portal/plan", None).await;
    assert_eq!(r.location(), "/portal/plan");
    let next = get_as(&t, &amal, "/portal/plan", None).await;
    assert!(next.body.contains(r#"<html lang="so" dir="ltr">"#));
}

#[tokio::test]
async fn every_participant_facing_message_is_in_all_seven_languages() {
    let sv = palett_web::i18n::portal_ftl(Lang::Sv);
    let ids: Vec<&str> = sv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(" = ").next())
        .collect();
    assert!(ids.len() > 100, "{}", ids.len());
    // The templates' and the error pages' messages too.
    let mut used: Vec<String> = palett_web::i18n::PORTAL_SHARED_IDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/portal");
    for entry in std::fs::read_dir(dir).expect("templates") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("template");
        for part in text.split("t.get(\"").skip(1) {
            used.push(part.split('"').next().unwrap_or_default().to_string());
        }
    }
    for l in Lang::PORTAL {
        let tr = Tr::new(l);
        for id in ids.iter().copied().chain(used.iter().map(String::as_str)) {
            assert!(tr.has(id), "{id} is missing in {}", l.code());
        }
    }
}

#[tokio::test]
async fn her_caseworker_prints_an_invitation_she_starts_with() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let coach = t.browser("handledare@helamanniskan.example").await;
    let page = t
        .page(&coach, &format!("/participants/{}/portal", amal.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("DEMOAR"));
    assert!(page.body.contains("Tid som hon själv har bekräftat"));
    let made = t
        .post_form(&coach, &format!("/participants/{}/portal", amal.id), &[])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    let code = made
        .body
        .split(r#"class="invitation-code">"#)
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the code")
        .to_string();
    assert!(
        made.body.contains(r#"<img src="data:image/svg+xml,%3C"#),
        "the QR code"
    );
    assert!(
        made.body.contains(r#"lang="ar" dir="rtl""#),
        "how to begin in Arabic"
    );
    // The QR code's address fills the code in.
    let form = t
        .get(
            &format!("/portal/invite?code={}", code.replace('-', "")),
            None,
        )
        .await;
    assert!(form
        .body
        .contains(&format!(r#"value="{}""#, code.replace('-', ""))));
    // She chooses a password with the code (the sign-in form's CSRF is a
    // double-submit cookie): on to her portal, signed in.
    let pre = "p".repeat(64);
    let send = |body: String| {
        Request::post("/portal/invite")
            .header(header::COOKIE, format!("palett_pre={pre}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request")
    };
    let short = t
        .send(send(format!(
            "_csrf={pre}&code={code}&step=password&password=kort&password_again=kort"
        )))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains(r#"id="password-error""#));
    let done = t
        .send(send(format!(
            "_csrf={pre}&code={code}&step=password&password=sommar+regn+och+kaffe&password_again=sommar+regn+och+kaffe"
        )))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/portal?done=welcome");
    assert!(done
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap_or_default().starts_with("palett_portal=")));
    // Her old way in ended.
    assert!(t
        .app
        .portal_sign_in("DEMOAR", PASSWORD, "127.0.0.1")
        .await
        .is_err());
    assert!(get_as(&t, &amal, "/portal", None)
        .await
        .status
        .is_redirection());
}

#[tokio::test]
async fn a_translation_is_reviewed_until_its_text_changes_and_the_drafts_are_listed() {
    use palett_web::i18n::{review, review_with, text_digest, Review};
    let lines = review(Lang::Ar).expect("Arabic is a draft");
    let (first, second) = (&lines[0], &lines[1]);
    let record = format!(
        "# reviewed\n{} {}\n{} 000000000000\n",
        first.id,
        text_digest(&first.text),
        second.id
    );
    let judged = review_with(Lang::Ar, &record);
    assert_eq!(judged[0].review, Review::Reviewed);
    assert_eq!(judged[1].review, Review::Changed);
    assert!(judged[2..].iter().all(|l| l.review == Review::NotReviewed));
    assert_eq!(judged[0].source, "Hej", "beside the Swedish it translates");
    // Swedish and English are the team's own; the five drafts have records
    // whose every line names a message of theirs.
    assert!(review(Lang::Sv).is_none() && review(Lang::En).is_none());
    let locales = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    for l in Lang::PORTAL {
        let Some(lines) = review(l) else { continue };
        let record = std::fs::read_to_string(locales.join(l.code()).join("review.txt"))
            .expect("a review record");
        for line in record
            .lines()
            .filter(|x| !x.starts_with('#') && !x.trim().is_empty())
        {
            let id = line.split_whitespace().next().unwrap_or_default();
            assert!(
                lines.iter().any(|m| m.id == id),
                "{}: {id} is no message",
                l.code()
            );
        }
    }
    // The page lists what waits, by language, paged.
    let t = TestApp::new().await;
    let coordinator = t.browser(COORDINATOR).await;
    let page = t.page(&coordinator, "/translations?lang=so").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Soomaali"));
    assert!(page.body.contains("Mahadsanid! Bisha waa la xaqiijiyay."));
    assert!(page.body.contains("?lang=so&#38;page=2"), "paged by 50");
}

/// A PDF written to a file for the poppler tools that need one.
fn poppler(program: &str, pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "palett-portal-{}-{program}.pdf",
        std::process::id()
    ));
    std::fs::write(&path, pdf).expect("a temporary file");
    let out = std::process::Command::new(program)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{program} (poppler-utils, installed by scripts/test): {e}"));
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "{program} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn her_data_as_a_pdf_in_arabic_reads_in_logical_order_with_its_fonts_embedded() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let page = get_as(&t, &amal, "/portal/data", None).await;
    assert!(page.body.contains(r#"href="/portal/data.pdf""#));
    let pdf = get_as(&t, &amal, "/portal/data.pdf", None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let text = crate::reports::read_with("pdftotext", &["-", "-"], &pdf.bytes);
    // Arabic words in logical order (a lam-alef ligature among them), and
    // the Latin name inside the Arabic lines in its own order.
    for words in [
        "بياناتي",
        "هنا ترين المعلومات المحفوظة عنك",
        "الاسم",
        "تاريخ الميلاد",
        "موافقاتي",
        "من حقك أن تعرفي كل ما نحفظه عنك",
    ] {
        assert!(text.contains(words), "{words} not in:\n{text}");
    }
    assert!(text.contains("Salma"), "{text}");
    let fonts = poppler("pdffonts", &pdf.bytes);
    for font in ["NotoSansArabic-Regular", "NotoSans-Regular"] {
        let line = fonts
            .lines()
            .find(|l| l.contains(font))
            .unwrap_or_else(|| panic!("{font} not in:\n{fonts}"));
        assert!(
            line.contains("yes yes yes"),
            "embedded, subset, mapped: {line}"
        );
    }
    let info = poppler("pdfinfo", &pdf.bytes);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
}

#[tokio::test]
async fn the_funder_reports_are_tagged_pdfs_with_embedded_fonts() {
    let t = TestApp::new().await;
    let token = t.token(COORDINATOR).await;
    let tk = t.tillvaxt_kvinna(&token).await;
    let b = t.browser(COORDINATOR).await;
    for kind in ["final", "finsam", "before_after", "esf_indicators"] {
        let pdf = t
            .page(&b, &format!("/projects/{tk}/reports/{kind}.pdf"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK, "{kind}");
        let info = poppler("pdfinfo", &pdf.bytes);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "{kind}: {info}"
        );
        let fonts = poppler("pdffonts", &pdf.bytes);
        assert!(
            fonts.contains("NotoSans-Regular") && fonts.contains("yes yes yes"),
            "{kind}: {fonts}"
        );
    }
}

#[tokio::test]
async fn her_calendar_link_lists_her_sessions_until_she_turns_it_off() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let made = post_as(&t, &amal, "/portal/calendar", &[]).await;
    assert_eq!(made.status, StatusCode::OK);
    let address = made
        .body
        .split("/calendar/her/")
        .nth(1)
        .and_then(|s| s.split(".ics").next())
        .map(|secret| format!("/calendar/her/{secret}.ics"))
        .expect("the address shown once");
    // Shown once: the schedule page says when it was made, not the address.
    let later = get_as(&t, &amal, "/portal/schedule", Some("sv")).await;
    assert!(!later.body.contains(&address) && later.body.contains("Kalenderlänken skapades"));
    let feed = t.get(&address, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"));
    let schedule = t
        .app
        .her_schedule(
            &t.app
                .portal_session(&amal.cookie)
                .await
                .expect("s")
                .expect("alive"),
            "127.0.0.1",
        )
        .await
        .expect("her schedule");
    let first = schedule.sessions.first().expect("a coming session");
    assert!(
        feed.body
            .contains(&format!("her-session-{}@palett", first.id)),
        "{}",
        feed.body
    );
    assert!(feed.body.contains("LOCATION:"));
    // Asked first, in her language (Arabic), what turning it off means:
    // nothing changes until she says yes.
    let asks = post_as(&t, &amal, "/portal/calendar/revoke", &[]).await;
    assert_eq!(asks.status, StatusCode::OK, "{}", asks.body);
    assert!(
        asks.body.contains("هل تريدين إيقاف رابط التقويم؟")
            && asks
                .body
                .contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">")
            && asks.body.contains("href=\"/portal/schedule\""),
        "{}",
        asks.body
    );
    assert_eq!(t.get(&address, None).await.status, StatusCode::OK);
    // Turned off on her yes: the address is not found.
    let off = post_as(&t, &amal, "/portal/calendar/revoke", &[("confirm", "yes")]).await;
    assert_eq!(off.location(), "/portal/schedule?done=calendar-revoked");
    assert_eq!(t.get(&address, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get("/calendar/her/nothing.ics", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_month_she_confirms_shows_in_the_esf_monthly_file_dated() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let done = post_as(&t, &amal, "/portal/time/2026-10", &[]).await;
    assert_eq!(done.location(), "/portal/time?done=confirmed");
    let token = t.token(COORDINATOR).await;
    let projects = t.get("/api/v1/projects", Some(&token)).await;
    let running = projects.json()["items"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["name"] == "Vidare mot arbete"))
        .and_then(|p| p["id"].as_i64())
        .expect("the demo's running project");
    let b = t.browser(COORDINATOR).await;
    let file = t
        .page(&b, &format!("/projects/{running}/esf-months/2026-10.csv"))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.body.contains("Bekräftad av deltagaren"),
        "{}",
        file.body
    );
    let her_line = file
        .body
        .lines()
        .find(|l| l.contains("Salma"))
        .expect("her line");
    assert!(her_line.contains(";2026-11-25;"), "{her_line}");
    // Others did not confirm.
    assert!(file
        .body
        .lines()
        .skip(3)
        .filter(|l| !l.contains("Salma"))
        .all(|l| !l.contains(";2026-11-25;")));
}

#[tokio::test]
async fn she_is_asked_in_her_language_before_a_consent_is_taken_back() {
    let t = TestApp::new().await;
    let amal = her(&t, "DEMOAR").await;
    let page = get_as(&t, &amal, "/portal/consents", None).await;
    let withdraw = page
        .body
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/withdraw"))
        .expect("a consent she can take back")
        .to_string();
    let before = page.body.matches("/withdraw\"").count();
    // The question, in Arabic, says what it means; nothing is taken back.
    let ask = post_as(&t, &amal, &withdraw, &[]).await;
    assert_eq!(ask.status, StatusCode::OK, "{}", ask.body);
    assert!(ask.body.contains("هل تريدين سحب الموافقة؟"), "{}", ask.body);
    assert!(ask.body.contains("name=\"confirm\" value=\"yes\""));
    assert!(ask.body.contains("href=\"/portal/consents\""), "a way back");
    let still = get_as(&t, &amal, "/portal/consents", None).await;
    assert_eq!(still.body.matches("/withdraw\"").count(), before);
    // Her yes takes it back.
    let done = post_as(&t, &amal, &withdraw, &[("confirm", "yes")]).await;
    assert_eq!(done.location(), "/portal/consents?done=withdrawn");
    let after = get_as(&t, &amal, "/portal/consents", None).await;
    assert_eq!(after.body.matches("/withdraw\"").count(), before - 1);
}
