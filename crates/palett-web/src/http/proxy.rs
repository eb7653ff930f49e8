//! The client's address behind reverse proxies. `X-Forwarded-For` is read
//! only when the connection comes from a proxy the operator named as
//! trusted; then the right-most address in it that is not itself a trusted
//! proxy is the client (addresses further left were written by the client
//! and prove nothing).

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// None: the socket peer is the client.
    pub fn none() -> Self {
        Self::default()
    }

    /// A comma- or space-separated list of addresses and networks
    /// (`127.0.0.1, 10.0.0.0/8, ::1`). The error names the entry that is
    /// neither.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an address or network: {s}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address: the peer's, unless the peer is trusted and
    /// says whom it forwards for.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Every X-Forwarded-For header, in order, as one list.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.trusts(client) {
                        break;
                    }
                }
                // Garbage: the hop that wrote it is the last one we know.
                Err(_) => break,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").expect("list");
        let h = headers(&["198.51.100.7"]);
        assert_eq!(trusted.client(ip("10.1.2.3"), &h), ip("198.51.100.7"));
        assert_eq!(trusted.client(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        assert_eq!(
            TrustedProxies::none().client(ip("10.1.2.3"), &h),
            ip("10.1.2.3")
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("list");
        // The client wrote the first entry herself; the proxies appended.
        let h = headers(&["1.2.3.4, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &h), ip("198.51.100.7"));
        let h = headers(&["1.2.3.4, not-an-address, 10.0.0.3"]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &h), ip("10.0.0.3"));
        let h = headers(&["::ffff:198.51.100.8"]);
        assert_eq!(trusted.client(ip("10.0.0.1"), &h), ip("198.51.100.8"));
    }

    #[test]
    fn a_list_that_does_not_parse_names_the_entry() {
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/8 proxy.example"),
            Err("not an address or network: proxy.example".to_string())
        );
        assert_eq!(
            TrustedProxies::parse("").expect("empty"),
            TrustedProxies::none()
        );
        assert!(TrustedProxies::parse("::1,fd00::/8")
            .expect("v6")
            .trusts(ip("fd00::5")));
    }
}
