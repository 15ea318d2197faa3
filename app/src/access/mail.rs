//! Outgoing customer email over SMTP (lettre).

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The SMTP server and what customer emails say.
#[derive(Clone)]
pub struct MailConfig {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reset_url: String,
    server: String,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl MailConfig {
    /// From an SMTP URL (`smtp://host:port`, `smtps://user:pass@host`,
    /// `smtp://host?tls=required`), the sender, and the brand's password-reset page.
    pub fn new(smtp_url: &str, from: &str, reset_url: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL {smtp_url:?} is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("MAIL_FROM {from:?} is not an address: {e}"))?;
        let server = smtp_url
            .rsplit_once('@')
            .map(|(_, host)| host)
            .unwrap_or(smtp_url)
            .to_string();
        Ok(Self {
            transport,
            from,
            reset_url: reset_url.to_string(),
            server,
        })
    }

    /// Sends the password-reset email to `to` (`name` for the greeting).
    pub async fn send_password_reset(&self, to: &str, name: Option<&str>) -> Result<(), String> {
        let mailbox = match name {
            Some(name) => format!("{name} <{to}>"),
            None => to.to_string(),
        };
        let to = mailbox
            .parse::<Mailbox>()
            .or_else(|_| to.parse::<Mailbox>())
            .map_err(|e| format!("the customer's email address is not deliverable: {e}"))?;
        let greeting = name
            .map(|n| format!("Hello {n},"))
            .unwrap_or("Hello,".into());
        let body = format!(
            "{greeting}\n\nOur customer care team has sent you this email because you asked to \
             reset your password.\n\nChoose a new password here:\n{}\n\nIf you did not ask for \
             this, you can ignore this email: your password has not changed.\n",
            self.reset_url
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Reset your password")
            .body(body)
            .map_err(|e| format!("could not build the email: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            format!(
                "the mail server {} did not take the email: {e}",
                self.server
            )
        })
    }
}
