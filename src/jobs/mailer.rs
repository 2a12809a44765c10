//! Where the outbox's messages go: an SMTP server (`SMTP_URL`, through `lettre`), or, when it is
//! unset, nowhere: the message is logged by id, kind and subject (never its recipient or body, which
//! carry personal data and secrets) and stays in the `outbox` table, sealed, with status `logged`
//! (`social-mission-api mail` shows it in development).

use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::outbox::{Content, OutboxRow};
use crate::config::Config;

pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Logged,
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let Some(url) = &config.smtp_url else { return Ok(Self::Log) };
        let from: Mailbox =
            config.mail_from.parse().with_context(|| format!("MAIL_FROM `{}` is not a mailbox", config.mail_from))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .context("SMTP_URL is not a valid SMTP URL (smtp://host:port, smtps://user:pass@host)")?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self::Smtp { transport, from })
    }

    /// Sends one message; an `Err` carries the reason, to be recorded in the outbox.
    pub async fn deliver(&self, row: &OutboxRow, content: &Content) -> Result<Delivery, String> {
        match self {
            Self::Log => {
                tracing::info!(
                    outbox_id = row.id,
                    kind = %row.kind,
                    subject = %row.subject,
                    "SMTP_URL is unset: the message is kept in the outbox table, not sent"
                );
                Ok(Delivery::Logged)
            }
            Self::Smtp { transport, from } => {
                let message = build(from, row, content)?;
                transport.send(message).await.map_err(|e| format!("SMTP: {e}"))?;
                Ok(Delivery::Sent)
            }
        }
    }
}

fn build(from: &Mailbox, row: &OutboxRow, content: &Content) -> Result<Message, String> {
    let to: Mailbox = row.recipient.parse().map_err(|e| format!("the recipient is not a valid address: {e}"))?;
    let mut builder =
        Message::builder().from(from.clone()).to(to).subject(&row.subject).header(ContentType::TEXT_PLAIN);
    for (name, value) in &content.headers {
        let name = HeaderName::new_from_ascii(name.clone()).map_err(|e| format!("header {name}: {e}"))?;
        builder = builder.raw_header(HeaderValue::new(name, value.as_str().unwrap_or_default().to_string()));
    }
    builder.body(content.body.clone()).map_err(|e| format!("building the message: {e}"))
}
