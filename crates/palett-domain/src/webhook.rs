//! Events for other systems: webhooks. What may leave palett in a webhook
//! is decided here: the kind of event, the partnership and the id of what
//! it is about (a participant, a referral, a consent), and when it
//! happened. Never a name, an identity number or any other personal data:
//! a receiver that needs more asks the API with a token of its own.
//!
//! A delivery is signed with the endpoint's secret:
//!
//! ```text
//! Palett-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">
//! ```
//!
//! A receiver recomputes the HMAC over the timestamp, a dot and the raw
//! body, compares in constant time and refuses a timestamp older than a
//! few minutes (a replayed delivery): [`verify`] does exactly that.

use crate::error::FieldErrors;
use crate::values::{code, parse_text, text_enum, text_input, TextKind};
use hmac::{Hmac, Mac};
use sha2::Sha256;

text_enum!(
    /// What happened, as a webhook tells it.
    EventKind, "webhook-kind" {
        ParticipantRegistered = "participant_registered",
        ParticipantEnrolled = "participant_enrolled",
        ParticipantExited = "participant_exited",
        EnrolmentChanged = "enrolment_changed",
        ReferralChanged = "referral_changed",
        ConsentWithdrawn = "consent_withdrawn",
    }
);

text_enum!(
    /// Where a delivery stands: waiting for its (next) attempt, delivered,
    /// or given up after the last attempt of [`BACKOFF_SECS`].
    DeliveryStatus, "webhook-status" {
        Pending = "pending",
        Delivered = "delivered",
        Failed = "failed",
    }
);

/// The name of the signature header.
pub const SIGNATURE_HEADER: &str = "Palett-Signature";

/// How long a receiver should accept a signed timestamp (five minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// The wait after each failed attempt: 1 minute, 5 minutes, 30 minutes,
/// 2 hours, 12 hours; after the sixth failed attempt it is given up.
pub const BACKOFF_SECS: [i64; 5] = [60, 300, 1800, 7200, 43200];

/// The moment of the next attempt after `attempts` failed attempts (1 for
/// the first failure) at `now`, or `None`: give up.
pub fn next_attempt(attempts: i64, now: i64) -> Option<i64> {
    let i = usize::try_from(attempts.checked_sub(1)?).ok()?;
    BACKOFF_SECS.get(i).map(|wait| now + wait)
}

/// Error codes of an endpoint's fields.
pub mod error {
    pub const URL: &str = "error-webhook-url";
    pub const HTTPS: &str = "error-webhook-https";
    pub const KINDS: &str = "error-webhook-kinds";
    pub const PRIVATE: &str = "error-webhook-private-address";
}

/// Whether an address is on the public internet: a webhook may go only
/// there, so that an endpoint cannot make palett reach into the network
/// it runs in (loopback, private and shared networks, link-local
/// addresses such as a cloud's metadata service, multicast, documentation
/// and reserved ranges; an IPv6 address that carries an IPv4 one is judged
/// by that one).
pub fn is_public(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                // Shared address space (carrier-grade NAT), 100.64.0.0/10.
                || (a == 100 && (64..128).contains(&b))
                // IETF protocol assignments, 192.0.0.0/24.
                || (a == 192 && b == 0 && c == 0)
                // Benchmarking, 198.18.0.0/15.
                || (a == 198 && (18..20).contains(&b))
                // Reserved, 240.0.0.0/4.
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                let [a, b] = hi.to_be_bytes();
                let [c, d] = lo.to_be_bytes();
                is_public(IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, d)))
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32
            // bits, 6to4 (2002::/16) in the 32 bits after the prefix.
            if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return embedded(seg[6], seg[7]);
            }
            if seg[0] == 0x2002 {
                return embedded(seg[1], seg[2]);
            }
            // Only global unicast (2000::/3), less Teredo (2001::/32),
            // documentation (2001:db8::/32) and the local-use NAT64
            // prefix (64:ff9b:1::/48, outside 2000::/3 anyway).
            (seg[0] & 0xe000) == 0x2000 && !(seg[0] == 0x2001 && (seg[1] == 0 || seg[1] == 0x0db8))
        }
    }
}

text_input!(
    /// An endpoint as an administrator submits it.
    EndpointInput {
        url,
        /// Event kinds, a repeated field.
        kinds: Vec<String>,
        description,
    }
);

/// An endpoint to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSpec {
    pub url: String,
    pub kinds: Vec<EventKind>,
    pub description: Option<String>,
}

/// Where a delivery goes, taken apart: scheme, host, port and the path with
/// its query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Target {
    /// Parse an absolute `https://` URL (or `http://`, which only
    /// [`EndpointInput::parse`] with `allow_local` lets through, and only
    /// to this machine). No user name or password, no fragment.
    pub fn parse(url: &str) -> Result<Target, &'static str> {
        let url = url.trim();
        let (https, rest) = if let Some(r) = strip_prefix_ci(url, "https://") {
            (true, r)
        } else if let Some(r) = strip_prefix_ci(url, "http://") {
            (false, r)
        } else {
            return Err(error::HTTPS);
        };
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.contains('#') {
            return Err(error::URL);
        }
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_string()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_string()),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(error::URL);
        }
        let default_port = if https { 443 } else { 80 };
        let port_of = |p: &str| p.parse::<u16>().map_err(|_| error::URL);
        // An IPv6 address is in brackets, with the port after them.
        let (host, port) = if authority.starts_with('[') {
            match authority.split_once(']') {
                Some((h, "")) => (&authority[..=h.len()], default_port),
                Some((h, p)) => (
                    &authority[..=h.len()],
                    port_of(p.strip_prefix(':').ok_or(error::URL)?)?,
                ),
                None => return Err(error::URL),
            }
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, port_of(p)?),
                None => (authority, default_port),
            }
        };
        let host = host.to_ascii_lowercase();
        let valid_host = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
        if !valid_host || port == 0 {
            return Err(error::URL);
        }
        Ok(Target {
            https,
            host,
            port,
            path,
        })
    }

    /// Whether the host is this machine (a test's or a developer's server).
    pub fn is_local(&self) -> bool {
        matches!(self.host.as_str(), "127.0.0.1" | "localhost" | "[::1]")
    }

    /// The host as an IP address, when it is written as one.
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        self.host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok()
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &s[prefix.len()..])
}

impl EndpointInput {
    /// Parse the endpoint: an HTTPS URL (plain HTTP only to this machine
    /// and only when `allow_local`, a development and test setting), at
    /// least one event kind, an optional description.
    pub fn parse(&self, allow_local: bool) -> Result<EndpointSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let url = if self.url.trim().is_empty() {
            e.push("url", code::REQUIRED);
            None
        } else if self.url.trim().len() > 500 {
            e.push("url", code::TOO_LONG);
            None
        } else {
            match Target::parse(&self.url) {
                // An address inside a network (the name of one is checked
                // again when each delivery resolves it).
                Ok(t) if t.https && (t.is_local() || t.ip().is_some_and(|ip| !is_public(ip))) => {
                    e.push("url", error::PRIVATE);
                    None
                }
                Ok(t) if t.https || (allow_local && t.is_local()) => {
                    Some(self.url.trim().to_string())
                }
                Ok(_) => {
                    e.push("url", error::HTTPS);
                    None
                }
                Err(c) => {
                    e.push("url", c);
                    None
                }
            }
        };
        let mut kinds = Vec::new();
        for k in &self.kinds {
            match EventKind::parse(k.trim()) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => {
                    e.push("kinds", error::KINDS);
                    break;
                }
            }
        }
        if kinds.is_empty() && e.for_field("kinds").is_none() {
            e.push("kinds", error::KINDS);
        }
        kinds.sort();
        let description = e.take("description", parse_text(&self.description, TextKind::LINE));
        match (url, description) {
            (Some(url), Some(description)) if e.is_empty() => Ok(EndpointSpec {
                url,
                kinds,
                description,
            }),
            _ => Err(e),
        }
    }
}

/// What a delivery says: ids and kinds, never personal data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    /// The delivery's id: the same on every attempt, so a receiver can
    /// ignore one it has seen.
    pub id: i64,
    pub kind: String,
    pub partnership_id: i64,
    /// What the event is about: the participant, referral or consent.
    pub subject_id: i64,
    /// RFC 3339, UTC.
    pub occurred_at: String,
}

impl Payload {
    /// The body as sent: compact JSON in the field order above.
    pub fn body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)]
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `Palett-Signature` header's value for `body` sent at `t`.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let tag = mac(secret, t, body).finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// Why a receiver refuses a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The header is missing a part or is not of this form.
    Malformed,
    /// The timestamp is further than [`TOLERANCE_SECS`] from now.
    Stale,
    /// The HMAC does not match: another secret, or a changed body.
    Mismatch,
}

/// Check a delivery as a receiver should: the header's timestamp within
/// `tolerance` seconds of `now`, and its `v1` the HMAC of "<t>.<body>"
/// under `secret`, compared in constant time.
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance: i64,
) -> Result<(), Refusal> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = decode_hex(v),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(Refusal::Malformed);
    };
    if (now - t).abs() > tolerance {
        return Err(Refusal::Stale);
    }
    mac(secret, t, body)
        .verify_slice(&v1)
        .map_err(|_| Refusal::Mismatch)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;

    fn input(url: &str, kinds: &[&str]) -> EndpointInput {
        EndpointInput {
            url: url.into(),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            description: "Partner's case system".into(),
        }
    }

    #[test]
    fn a_webhook_may_not_point_into_the_network_palett_runs_in() {
        for url in [
            "https://127.0.0.1/in",
            "https://localhost:8443/in",
            "https://10.1.2.3/in",
            "https://172.16.0.9/in",
            "https://192.168.1.10/in",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/in",
            "https://0.0.0.0/in",
            "https://[::1]/in",
            "https://[fd00::1]/in",
            "https://[fe80::1]/in",
            "https://[::ffff:10.0.0.1]/in",
            "https://[64:ff9b::a9fe:a9fe]/in",
            "https://[2002:c0a8:0101::1]/in",
            "https://[2001:0:4136:e378::1]/in",
            "https://[fec0::1]/in",
            "https://[100::1]/in",
        ] {
            assert_eq!(
                codes(input(url, &["participant_exited"]).parse(true)),
                vec![("url".into(), error::PRIVATE)],
                "{url}"
            );
        }
        for ip in [
            "93.184.215.14",
            "2a00:1450:4010:c05::64",
            "::ffff:93.184.215.14",
        ] {
            assert!(is_public(ip.parse().expect("an address")), "{ip}");
        }
        assert!(input("https://93.184.215.14/in", &["participant_exited"])
            .parse(false)
            .is_ok());
    }

    #[test]
    fn only_https_unless_local_delivery_is_allowed_for_tests() {
        let ok = input(
            "https://hooks.example.org/palett?x=1",
            &["participant_exited"],
        )
        .parse(false)
        .expect("https");
        assert_eq!(ok.kinds, vec![EventKind::ParticipantExited]);
        let t = Target::parse(&ok.url).expect("target");
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("hooks.example.org", 443, "/palett?x=1")
        );
        assert_eq!(
            codes(input("http://hooks.example.org/", &["participant_exited"]).parse(true)),
            vec![("url".into(), error::HTTPS)]
        );
        assert_eq!(
            codes(input("http://127.0.0.1:8080/in", &["participant_exited"]).parse(false)),
            vec![("url".into(), error::HTTPS)]
        );
        assert!(input("http://127.0.0.1:8080/in", &["participant_exited"])
            .parse(true)
            .is_ok());
        let v6 = Target::parse("https://[::1]:8443/in").expect("IPv6");
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.is_local()),
            ("[::1]", 8443, true)
        );
        assert_eq!(Target::parse("https://[::1]/").expect("IPv6").port, 443);
        assert_eq!(Target::parse("https://example.org:x/"), Err(error::URL));
        assert_eq!(
            codes(input("https://user:pw@example.org/", &[]).parse(false)),
            vec![("url".into(), error::URL), ("kinds".into(), error::KINDS)]
        );
        assert_eq!(
            codes(input("not a url", &["nonsense"]).parse(false)),
            vec![("url".into(), error::HTTPS), ("kinds".into(), error::KINDS)]
        );
    }

    #[test]
    fn a_signature_verifies_only_with_its_secret_body_and_time() {
        let body = br#"{"id":1}"#;
        let header = sign("s3cret", 1_000, body);
        assert!(header.starts_with("t=1000,v1="));
        assert_eq!(
            verify("s3cret", &header, body, 1_010, TOLERANCE_SECS),
            Ok(())
        );
        assert_eq!(
            verify("other", &header, body, 1_010, TOLERANCE_SECS),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &header, br#"{"id":2}"#, 1_010, TOLERANCE_SECS),
            Err(Refusal::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &header, body, 1_000 + 301, TOLERANCE_SECS),
            Err(Refusal::Stale)
        );
        assert_eq!(
            verify("s3cret", "v1=00", body, 1_000, TOLERANCE_SECS),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn backoff_waits_longer_each_time_then_gives_up() {
        let waits: Vec<Option<i64>> = (1..=6).map(|n| next_attempt(n, 0)).collect();
        assert_eq!(
            waits,
            vec![
                Some(60),
                Some(300),
                Some(1800),
                Some(7200),
                Some(43200),
                None
            ]
        );
        assert_eq!(next_attempt(0, 0), None);
    }

    #[test]
    fn the_payload_carries_ids_and_kinds_only() {
        let p = Payload {
            id: 7,
            kind: EventKind::ParticipantExited.as_str().into(),
            partnership_id: 1,
            subject_id: 42,
            occurred_at: "2026-11-25T10:00:00Z".into(),
        };
        assert_eq!(
            p.body(),
            r#"{"id":7,"kind":"participant_exited","partnership_id":1,"subject_id":42,"occurred_at":"2026-11-25T10:00:00Z"}"#
        );
    }
}
