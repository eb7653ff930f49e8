//! The daily digest's text, in Swedish with English below: how many of
//! each worklist item wait, how many messages are unread, and the link to
//! palett. Nothing else goes into it (the counts are all
//! [`Digest`] holds: no name, no identity number).

use crate::i18n::{Lang, Tr};
use palett_domain::reminder::Digest;

/// The subject and body of a digest, for palett at `base_url`.
pub fn compose(base_url: &str, d: &Digest) -> (String, String) {
    let base = base_url.trim_end_matches('/');
    let total = ("count", d.total().to_string());
    let (sv, en) = (Tr::new(Lang::Sv), Tr::new(Lang::En));
    let subject = format!(
        "{} / {}",
        sv.with("digest-subject", std::slice::from_ref(&total)),
        en.with("digest-subject", &[total])
    );
    let part = |t: Tr| {
        let mut lines = vec![t.get("digest-intro"), String::new()];
        for (item, n) in d.waiting() {
            lines.push(format!(
                "- {}",
                t.with(&item.message_id(), &[("count", n.to_string())])
            ));
        }
        if d.unread > 0 {
            lines.push(format!(
                "- {}",
                t.with("digest-unread", &[("count", d.unread.to_string())])
            ));
        }
        lines.push(String::new());
        lines.push(t.with("digest-link", &[("url", format!("{base}/"))]));
        lines.push(t.with(
            "digest-footer",
            &[("url", format!("{base}/account/reminders"))],
        ));
        lines.join("\n")
    };
    (subject, format!("{}\n\n-----\n\n{}\n", part(sv), part(en)))
}
