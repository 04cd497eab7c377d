//! Outgoing mail and SMS: SMTP through lettre and an SMS gateway's HTTP API when configured, or, in
//! demo mode, the outbox table shown at `/dev/outbox`. Bodies may hold one-time codes, so they are
//! never logged.

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
            Mailer::Outbox => Ok(db.push_outbox("email", to, subject, body, now).await?),
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

/// Text messages to mobile numbers (one-time codes for a new number).
#[derive(Clone)]
pub enum Sms {
    Outbox,
    /// `POST url` with `{"to": number, "body": text}` and the key as a bearer token.
    Gateway {
        client: reqwest::Client,
        url: String,
        key: String,
    },
    /// Outside demo mode with no gateway configured: nothing can be sent by SMS.
    Unavailable,
}

impl Sms {
    pub fn from_config(demo: bool, gateway: Option<(&str, &str)>) -> Self {
        match (demo, gateway) {
            (true, _) => Sms::Outbox,
            (false, Some((url, key))) => Sms::Gateway {
                client: reqwest::Client::new(),
                url: url.to_string(),
                key: key.to_string(),
            },
            (false, None) => Sms::Unavailable,
        }
    }

    pub fn available(&self) -> bool {
        !matches!(self, Sms::Unavailable)
    }

    pub async fn send(&self, db: &Db, to: &str, body: &str, now: i64) -> Result<(), MailError> {
        match self {
            Sms::Outbox => Ok(db.push_outbox("sms", to, "SMS", body, now).await?),
            Sms::Gateway { client, url, key } => {
                let answer = client
                    .post(url)
                    .bearer_auth(key)
                    .timeout(std::time::Duration::from_secs(10))
                    .json(&serde_json::json!({ "to": to, "body": body }))
                    .send()
                    .await
                    .map_err(|e| MailError::Send(e.without_url().to_string()))?;
                if answer.status().is_success() {
                    Ok(())
                } else {
                    Err(MailError::Send(format!(
                        "SMS gateway answered {}",
                        answer.status()
                    )))
                }
            }
            Sms::Unavailable => Err(MailError::Config("no SMS gateway configured".into())),
        }
    }
}
