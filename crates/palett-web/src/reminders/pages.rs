//! The inbox and the reminder choices.

use crate::http::caller::Caller;
use crate::http::error::Answer;
use crate::http::forms::FormData;
use crate::http::{AppState, Id};
use crate::i18n::Tr;
use crate::participants::list::id_of;
use crate::ui::views::*;
use crate::ui::{render, when};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect};
use palett_app::inbox::{About, InboxMessage};
use palett_app::paging::Page;
use palett_domain::reminder::InboxKind;

#[derive(serde::Deserialize, Default)]
pub struct InboxQuery {
    pub(crate) page: Option<String>,
}

/// What a message says: which referral, which partner, what happened.
pub(crate) fn message_text(t: Tr, m: &InboxMessage) -> String {
    let partner = m
        .other_organisation
        .clone()
        .unwrap_or_else(|| t.get("inbox-outside"));
    let referral = m.referral_id.map(|id| id.to_string()).unwrap_or_default();
    match m.kind {
        InboxKind::ReferralReceived => t.with(
            "inbox-referral-received",
            &[("referral", referral), ("partner", partner)],
        ),
        InboxKind::ConsentWithdrawnByHer => t.with(
            "inbox-consent-withdrawn-by-her",
            &[(
                "participant",
                m.participant_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            )],
        ),
        InboxKind::ConsentTalkAsked => t.with(
            "inbox-consent-talk-asked",
            &[(
                "participant",
                m.participant_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            )],
        ),
        InboxKind::ReferralAnswered => t.with(
            "inbox-referral-answered",
            &[
                ("referral", referral),
                ("partner", partner),
                (
                    "state",
                    m.state.map(|s| t.get(&s.message_id())).unwrap_or_default(),
                ),
            ],
        ),
    }
}

pub async fn inbox(State(s): State<AppState>, c: Caller, Query(q): Query<InboxQuery>) -> Answer {
    let t = c.tr();
    let page = Page::new(id_of(&q.page), Some(25));
    let inbox = s.app.inbox(&c.ctx(), page).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(&c, t.get("nav-inbox"), "inbox", "/inbox"),
    );
    p.intro = Some(t.get("inbox-intro"));
    if inbox.unread > 0 {
        p.blocks.push(Block::Form(FormBlock {
            action: "/inbox/read-all".into(),
            submit: t.get("inbox-read-all"),
            secondary: true,
            ..FormBlock::default()
        }));
    }
    p.links
        .push(("/account/reminders".into(), t.get("reminders-title")));
    p.tables.push(Table {
        heading: Some(t.with(
            "inbox-count",
            &[
                ("count", inbox.total.to_string()),
                ("unread", inbox.unread.to_string()),
            ],
        )),
        head: ["field-when", "inbox-message", "field-status", "actions"]
            .iter()
            .map(|id| t.get(id))
            .collect(),
        rows: inbox
            .items
            .iter()
            .map(|m| {
                vec![
                    Cell::text(when(m.created_at)),
                    Cell::text(message_text(t, m)),
                    Cell::text(if m.read {
                        t.get("inbox-read")
                    } else {
                        t.get("inbox-unread")
                    }),
                    Cell::button(t.get("inbox-open"), format!("/inbox/{}/open", m.id)),
                ]
            })
            .collect(),
    });
    p.pager = Pager::new(t, "/inbox", &[], page.number, page.count(inbox.total));
    Ok(render(p))
}

/// Open a message: read, then on to its referral.
pub async fn open(State(s): State<AppState>, c: Caller, Id(id): Id) -> Answer {
    let to = match s.app.open_message(&c.ctx(), id).await? {
        About::Referral(referral) => format!("/referrals/{referral}"),
        About::Participant(participant) => format!("/participants/{participant}"),
        About::Nothing => "/inbox".into(),
    };
    Ok(Redirect::to(&to).into_response())
}

pub async fn read_all(State(s): State<AppState>, c: Caller) -> Answer {
    s.app.read_all_messages(&c.ctx()).await?;
    Ok(Redirect::to("/inbox").into_response())
}

async fn reminders_page(s: &AppState, c: &Caller, shown: Vec<Block>) -> Answer {
    let t = c.tr();
    let (digest, feed) = s.app.reminder_choices(&c.ctx()).await?;
    let mut p = TablePage::new(
        t,
        Layout::for_caller(c, t.get("reminders-title"), "inbox", "/account/reminders"),
    );
    p.intro = Some(t.get("reminders-intro"));
    p.blocks.push(Block::Heading(t.get("digest-heading")));
    p.blocks.push(Block::Text(t.get("digest-explained")));
    p.blocks.push(Block::Text(t.get(if digest {
        "digest-is-on"
    } else {
        "digest-is-off"
    })));
    p.blocks.push(Block::Form(FormBlock {
        action: "/account/reminders/digest".into(),
        hidden: vec![("on".into(), if digest { "0" } else { "1" }.into())],
        submit: t.get(if digest {
            "digest-turn-off"
        } else {
            "digest-turn-on"
        }),
        ..FormBlock::default()
    }));
    p.blocks.push(Block::Heading(t.get("calendar-heading")));
    p.blocks.push(Block::Text(t.get("calendar-explained")));
    p.blocks.extend(shown);
    match feed {
        Some(made) => {
            p.blocks.push(Block::Text(
                t.with("calendar-made", &[("when", when(made))]),
            ));
            p.blocks.push(Block::Form(FormBlock {
                action: "/account/calendar".into(),
                submit: t.get("calendar-renew"),
                secondary: true,
                ..FormBlock::default()
            }));
            p.blocks.push(Block::Form(FormBlock {
                action: "/account/calendar/revoke".into(),
                submit: t.get("calendar-revoke"),
                secondary: true,
                ..FormBlock::default()
            }));
        }
        None => p.blocks.push(Block::Form(FormBlock {
            action: "/account/calendar".into(),
            submit: t.get("calendar-create"),
            ..FormBlock::default()
        })),
    }
    Ok(render(p))
}

pub async fn reminders(State(s): State<AppState>, c: Caller) -> Answer {
    reminders_page(&s, &c, Vec::new()).await
}

pub async fn set_digest(State(s): State<AppState>, c: Caller, form: FormData) -> Answer {
    s.app
        .set_daily_digest(&c.ctx(), form.get("on") == "1")
        .await?;
    Ok(Redirect::to("/account/reminders").into_response())
}

/// A new secret address, shown once.
pub async fn new_feed(State(s): State<AppState>, c: Caller, headers: HeaderMap) -> Answer {
    let t = c.tr();
    let secret = s.app.new_calendar_feed(&c.ctx()).await?;
    let shown = vec![
        Block::Alert(t.get("calendar-created")),
        Block::Code(format!(
            "{}/calendar/{secret}.ics",
            crate::http::origin(&s, &headers)
        )),
    ];
    let mut resp = reminders_page(&s, &c, shown).await?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Turn the calendar feed off once confirmed; unconfirmed, the page that
/// says what it means.
pub async fn revoke_feed(State(s): State<AppState>, c: Caller, f: FormData) -> Answer {
    if !f.confirmed() {
        let t = c.tr();
        return Ok(crate::ui::confirm_spec(
            t.get("calendar-revoke"),
            "inbox",
            "/account/calendar/revoke".into(),
            (t.get("confirm-calendar-revoke"), t.get("calendar-revoke")),
            "/account/reminders",
        )
        .blank(&c, &f));
    }
    s.app.revoke_calendar_feed(&c.ctx()).await?;
    Ok(Redirect::to("/account/reminders?done=calendar-revoked").into_response())
}
