//! The webhook worker's HTTP client: one POST over HTTP/1.1, HTTPS through
//! rustls with the system's root certificates (plain HTTP only reaches
//! here for a local endpoint a test or developer allowed), within a
//! timeout. The answer's status is all palett reads of it.

use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use palett_domain::webhook::{is_public, Target};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{self, pki_types::ServerName};

/// The TLS settings, made once: the system's roots.
fn tls() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            Arc::new(
                rustls::ClientConfig::builder()
                    .with_root_certificates(roots)
                    .with_no_client_auth(),
            )
        })
        .clone()
}

/// POST `body` as JSON to `url` with `headers`; the answer's status code,
/// or why there was none (no personal data: the body has none either).
/// Plain HTTP to this machine only with `allow_local` (the test and
/// development setting).
pub(crate) async fn post(
    url: &str,
    headers: &[(&'static str, String)],
    body: String,
    timeout: Duration,
    allow_local: bool,
) -> Result<u16, String> {
    tokio::time::timeout(timeout, post_now(url, headers, body, allow_local))
        .await
        .unwrap_or_else(|_| Err("timed out".into()))
}

async fn post_now(
    url: &str,
    headers: &[(&'static str, String)],
    body: String,
    allow_local: bool,
) -> Result<u16, String> {
    let t = Target::parse(url).map_err(|_| "invalid URL".to_string())?;
    if !t.https && !allow_local {
        return Err("plain HTTP is not allowed: refused".into());
    }
    let host = t
        .host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    // Resolved once and connected to what was vetted: HTTPS only to public
    // addresses (a name that resolves into palett's own network is
    // refused, also when it changes after registration), plain HTTP only
    // to this machine (a local endpoint allowed for tests).
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), t.port))
        .await
        .map_err(|e| format!("resolve: {e}"))?
        .filter(|a| {
            if t.https {
                is_public(a.ip())
            } else {
                a.ip().is_loopback()
            }
        })
        .collect();
    if addresses.is_empty() {
        return Err("the address is not a public one: refused".into());
    }
    let tcp = TcpStream::connect(&addresses[..])
        .await
        .map_err(|e| format!("connect: {e}"))?;
    if t.https {
        let name = ServerName::try_from(host).map_err(|_| "invalid host name".to_string())?;
        let tls = tokio_rustls::TlsConnector::from(tls())
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS: {e}"))?;
        send(tls, &t, headers, body).await
    } else {
        send(tcp, &t, headers, body).await
    }
}

async fn send<S>(
    io: S,
    t: &Target,
    headers: &[(&'static str, String)],
    body: String,
) -> Result<u16, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let default_port = if t.https { 443 } else { 80 };
    let authority = if t.port == default_port {
        t.host.clone()
    } else {
        format!("{}:{}", t.host, t.port)
    };
    let mut req = hyper::Request::post(t.path.as_str())
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "palett-webhooks/1");
    for (name, value) in headers {
        req = req.header(*name, value.as_str());
    }
    let req = req
        .body(http_body_util::Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let res = sender
        .send_request(req)
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    Ok(res.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_name_that_resolves_into_this_network_is_not_posted_to() {
        // `localhost` resolves to loopback: refused before any connection,
        // as a registered name that later resolves inward would be.
        for url in ["https://localhost:9/in", "https://127.0.0.1:9/in"] {
            let answer = post(url, &[], "{}".into(), Duration::from_secs(5), true).await;
            assert_eq!(
                answer,
                Err("the address is not a public one: refused".to_string()),
                "{url}"
            );
        }
        // A plain HTTP endpoint (from before, or an archive) without the
        // development setting.
        assert_eq!(
            post(
                "http://127.0.0.1:9/in",
                &[],
                "{}".into(),
                Duration::from_secs(5),
                false
            )
            .await,
            Err("plain HTTP is not allowed: refused".to_string())
        );
    }
}
