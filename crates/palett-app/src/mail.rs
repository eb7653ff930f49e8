//! Sending e-mail: palett's one outbound message, the daily digest, goes
//! through SMTP with lettre (STARTTLS or TLS by rustls with the system's
//! certificates). Off unless a server is configured.

use std::future::Future;

/// Where e-mail goes and whom it is from.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The SMTP server as lettre reads it: `smtp://host:587?tls=required`
    /// (STARTTLS), `smtps://host:465` (TLS), `smtp://host:25` (no TLS: a
    /// server on the same machine only), user and password before the host.
    pub url: String,
    /// The sender, `palett <palett@example.org>`.
    pub from: String,
    /// The address palett is reached at, for the link in a digest.
    pub base_url: String,
}

/// Sends one plain-text message.
pub trait Mailer: Send + Sync {
    fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

/// A mailer speaking SMTP to the configured server.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    /// The mailer of `config`; an error names what does not parse.
    pub fn new(config: &MailConfig) -> Result<Self, String> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("the SMTP address: {e}"))?
            .build();
        let from = config
            .from
            .parse()
            .map_err(|e| format!("the sender's address: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }
}

impl Mailer for SmtpMailer {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        use lettre::AsyncTransport;
        let to: lettre::message::Mailbox = to.parse().map_err(|e| format!("{e}"))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("{e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e}"))
    }
}
