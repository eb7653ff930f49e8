//! Reminders: the inbox, the daily digest against a local SMTP sink, the
//! calendar feed and the user's own sessions.

use crate::support::*;
use axum::http::StatusCode;
use base64::Engine;
use palett_app::mail::{MailConfig, SmtpMailer};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message the sink took: its recipients and its text as sent.
#[derive(Clone, Debug)]
struct Taken {
    to: Vec<String>,
    data: String,
}

/// A local SMTP server that takes every message (no TLS, no
/// authentication), for the test only; its address and what it took.
async fn smtp_sink() -> (String, Arc<Mutex<Vec<Taken>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("its address");
    let taken = Arc::new(Mutex::new(Vec::new()));
    let store = taken.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    let answer: &[u8] =
                        if command.starts_with("EHLO") || command.starts_with("HELO") {
                            b"250 sink\r\n"
                        } else if command.starts_with("RCPT TO:") {
                            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                            b"250 OK\r\n"
                        } else if command.starts_with("DATA") {
                            let _ = write.write_all(b"354 go on\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            store.lock().expect("sink").push(Taken {
                                to: std::mem::take(&mut to),
                                data,
                            });
                            b"250 taken\r\n"
                        } else if command.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (format!("smtp://{address}"), taken)
}

/// The text of a message's body, decoded (quoted-printable or base64).
fn body_text(data: &str) -> String {
    let (head, body) = data.split_once("\n\n").unwrap_or((data, ""));
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .expect("base64"),
        )
        .expect("utf-8")
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\n", "");
        let bytes = soft.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("a byte"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    } else {
        body.to_string()
    }
}

fn config(url: &str) -> MailConfig {
    MailConfig {
        url: url.into(),
        from: "palett <palett@example.org>".into(),
        base_url: "https://palett.example".into(),
    }
}

async fn send(t: &TestApp, mailer: &SmtpMailer) -> usize {
    t.app
        .send_digests(mailer, |d| {
            palett_web::reminders::digest::compose("https://palett.example", d)
        })
        .await
        .expect("the digests")
}

#[tokio::test]
async fn a_digest_goes_out_once_a_day_without_personal_data_and_not_when_turned_off() {
    let t = TestApp::new().await;
    let (url, taken) = smtp_sink().await;
    let mailer = SmtpMailer::new(&config(&url)).expect("a mailer");
    let coach = t.browser(KOMMUN_CASEWORKER).await;
    let [coach_token, hm_token] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;

    // Off by default: nothing is sent to anyone.
    assert_eq!(send(&t, &mailer).await, 0);
    assert!(taken.lock().expect("sink").is_empty());

    // The coach turns it on in the page; Hela Människan's coordinator on
    // and off again in the API.
    let page = t.page(&coach, "/account/reminders").await;
    assert!(page
        .body
        .contains("Den dagliga sammanfattningen är avstängd."));
    t.post_redirect(&coach, "/account/reminders/digest", &[("on", "1")])
        .await;
    let page = t.page(&coach, "/account/reminders").await;
    assert!(page
        .body
        .contains("Den dagliga sammanfattningen är påslagen."));
    for on in [true, false] {
        let r = t
            .json(
                "PUT",
                "/api/v1/me/reminders",
                &hm_token,
                &serde_json::json!({ "daily_digest": on }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["daily_digest"], on);
    }
    let bad = t
        .json(
            "PUT",
            "/api/v1/me/reminders",
            &hm_token,
            "{\"daily_digest\": \"ja\"}",
        )
        .await;
    bad.assert_fields(StatusCode::UNPROCESSABLE_ENTITY, &["daily_digest"]);

    assert_eq!(send(&t, &mailer).await, 1, "the coach's digest");
    {
        let sent = taken.lock().expect("sink").clone();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to, vec![KOMMUN_CASEWORKER.to_string()]);
        let body = body_text(&sent[0].data);
        assert!(
            body.contains("Det här väntar på dig i palett i dag:"),
            "{body}"
        );
        assert!(
            body.contains("This waits for you in palett today:"),
            "{body}"
        );
        assert!(
            body.contains("https://palett.example/account/reminders"),
            "{body}"
        );
        // No woman she works with is named, and no identity number is in it.
        let list = t
            .get("/api/v1/participants?per_page=100", Some(&coach_token))
            .await
            .json();
        let items = list["items"].as_array().expect("her participants");
        assert!(!items.is_empty());
        for p in items {
            for key in ["given_name", "family_name"] {
                let name = p[key].as_str().expect("a name");
                assert!(
                    !body.contains(name) && !sent[0].data.contains(name),
                    "{name}"
                );
            }
        }
        let digits: Vec<&str> = body
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() >= 6)
            .collect();
        assert!(digits.is_empty(), "no identity number: {digits:?}");
    }

    // Once a day: a second round the same day sends nothing.
    assert_eq!(send(&t, &mailer).await, 0);
    assert_eq!(taken.lock().expect("sink").len(), 1);

    // The next day, when the server cannot be reached, nothing is lost:
    // the day's digest goes out in the next round.
    t.clock.advance(jiff::SignedDuration::from_hours(24));
    let down = SmtpMailer::new(&config("smtp://127.0.0.1:9")).expect("a mailer");
    assert_eq!(send(&t, &down).await, 0);
    assert_eq!(send(&t, &mailer).await, 1, "the next day's digest");
    let sent = taken.lock().expect("sink");
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|m| m.to == vec![KOMMUN_CASEWORKER.to_string()]),
        "never to the coordinator who turned it off"
    );
}

#[tokio::test]
async fn a_referral_reaches_the_receivers_inbox_and_its_answer_the_senders() {
    let t = TestApp::new().await;
    let [coach, hm] = t.browsers([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let [coach_token, hm_token] = t.tokens([KOMMUN_CASEWORKER, COORDINATOR]).await;
    let kommun = t.org_of(&coach_token).await;
    let hela = t.org_of(&hm_token).await;
    let unread = |token: String| {
        let t = &t;
        async move { t.get("/api/v1/inbox", Some(&token)).await.json()["unread"].as_i64() }
    };
    let before = unread(hm_token.clone()).await.expect("a count");
    let ayan = t
        .register(&coach_token, &new_participant(kommun, "Ayan"))
        .await;
    let id = t.refer(&coach_token, ayan, hela, "2026-11-25").await;

    // Hela Människan's coordinator has a new message, shown in the menu;
    // it names the referral and the partner, not her.
    assert_eq!(unread(hm_token.clone()).await, Some(before + 1));
    let page = t.page(&hm, "/inbox").await;
    let text = format!("Remiss {id} har kommit från Botkyrka kommun.");
    assert!(page.body.contains(&text), "{}", page.body);
    assert!(!page.body.contains("Ayan"));
    assert!(page.body.contains("class=\"badge\""));
    let inbox = t.get("/api/v1/inbox", Some(&hm_token)).await.json();
    let message = inbox["items"][0]["id"].as_i64().expect("a message");
    assert_eq!(inbox["items"][0]["referral_id"], id);
    // Another's message is not found; her own opens the referral, read.
    let theirs = t
        .json(
            "POST",
            &format!("/api/v1/inbox/{message}/read"),
            &coach_token,
            "{}",
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let to = t
        .post_redirect(&hm, &format!("/inbox/{message}/open"), &[])
        .await;
    assert_eq!(to, format!("/referrals/{id}"));
    assert_eq!(unread(hm_token.clone()).await, Some(before));

    // Her answer reaches the coach who sent it.
    let coach_before = unread(coach_token.clone()).await.expect("a count");
    let step = serde_json::json!({ "state": "accepted", "on_date": "2026-11-25" });
    let r = t
        .json(
            "POST",
            &format!("/api/v1/referrals/{id}/steps"),
            &hm_token,
            &step.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(unread(coach_token.clone()).await, Some(coach_before + 1));
    let page = t.page(&coach, "/inbox").await;
    assert!(
        page.body.contains(&format!(
            "Hela Människan har svarat på remiss {id}: Antagen."
        )),
        "{}",
        page.body
    );
    let to = t.post_redirect(&coach, "/inbox/read-all", &[]).await;
    assert_eq!(to, "/inbox");
    assert_eq!(unread(coach_token).await, Some(0));
}

#[tokio::test]
async fn a_calendar_feed_lists_her_sessions_without_participants_until_revoked() {
    let t = TestApp::new().await;
    let leader = t.browser("larare@folkhogskola.example").await;
    // Her groups' sessions, and those that wait for attendance.
    let page = t.page(&leader, "/my-sessions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mina pass"));

    let r = t.post_form(&leader, "/account/calendar", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let start = r
        .body
        .find("/calendar/")
        .expect("the address is shown once");
    let end = start + r.body[start..].find(".ics").expect("its end") + 4;
    let path = r.body[start..end].to_string();
    let feed = t.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"), "{}", feed.body);
    assert!(feed.body.contains("BEGIN:VEVENT"), "her groups meet");
    // No participant of hers is in it.
    let token = t.token("larare@folkhogskola.example").await;
    let list = t
        .get("/api/v1/participants?per_page=100", Some(&token))
        .await
        .json();
    for p in list["items"].as_array().expect("a list") {
        let name = p["family_name"].as_str().expect("a name");
        assert!(!feed.body.contains(name), "{name}");
    }
    // The page says when it was made but never shows the address again.
    let page = t.page(&leader, "/account/reminders").await;
    assert!(!page.body.contains(&path));
    assert!(page.body.contains("Din kalenderadress skapades"));
    // Revoked: the address is not found; a made-up one neither.
    t.asks_first(
        &leader,
        "/account/calendar/revoke",
        &[],
        "Kalenderadressen slutar gälla direkt",
    )
    .await;
    assert_eq!(t.get(&path, None).await.status, StatusCode::OK, "not yet");
    let to = t.confirmed(&leader, "/account/calendar/revoke", &[]).await;
    assert!(t
        .page(&leader, &to)
        .await
        .body
        .contains("Kalenderadressen är återkallad."));
    assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get("/calendar/not-a-secret.ics", None).await.status,
        StatusCode::NOT_FOUND
    );
}
