//! Outgoing mail: SMTP through lettre when configured, or, in demo mode, the outbox table shown at
//! `/dev/outbox`. Bodies may hold one-time codes, so they are never logged.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::store::Db;

#[derive(Clone)]
pub enum Mailer {
    Outbox,
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("mail could not be sent: {0}")]
    Send(String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

impl Mailer {
    pub fn from_config(demo: bool, smtp_url: Option<&str>, from: &str) -> Result<Self, MailError> {
        match (demo, smtp_url) {
            (true, _) => Ok(Mailer::Outbox),
            (false, Some(url)) => Ok(Mailer::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Config(e.to_string()))?
                    .build(),
                from: from
                    .parse()
                    .map_err(|e: lettre::address::AddressError| MailError::Config(e.to_string()))?,
            }),
            (false, None) => Err(MailError::Config("no SMTP server configured".into())),
        }
    }

    pub async fn send(
        &self,
        db: &Db,
        to: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<(), MailError> {
        match self {
            Mailer::Outbox => Ok(db.push_outbox(to, subject, body, now).await?),
            Mailer::Smtp { transport, from } => {
                let message = Message::builder()
                    .from(from.clone())
                    .to(to.parse().map_err(|e: lettre::address::AddressError| {
                        MailError::Send(e.to_string())
                    })?)
                    .subject(subject)
                    .body(body.to_string())
                    .map_err(|e| MailError::Send(e.to_string()))?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::Send(e.to_string()))
            }
        }
    }
}
