//! The demo mail outbox and the audit log.

use super::{Db, DbResult};

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxMail {
    /// `email`, or `sms` for a text message to a mobile number (`to`).
    pub channel: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339, UTC.
    pub sent_at: String,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    channel: String,
    to_addr: String,
    subject: String,
    body: String,
    sent_at: i64,
}

/// One security event. Never holds a password, a code, a session id or a card number.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub event: &'a str,
    pub online_user_id: Option<i64>,
    pub login_key: Option<&'a str>,
    pub client_addr: &'a str,
    pub detail: &'a str,
}

impl Db {
    pub async fn push_outbox(
        &self,
        channel: &str,
        to: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO outbox (channel, to_addr, subject, body, sent_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(channel)
        .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Newest first.
    pub async fn outbox(&self, limit: i64) -> DbResult<Vec<OutboxMail>> {
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT channel, to_addr, subject, body, sent_at FROM outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMail {
                channel: r.channel,
                to: r.to_addr,
                subject: r.subject,
                body: r.body,
                sent_at: rfc3339(r.sent_at),
            })
            .collect())
    }

    pub async fn audit(&self, entry: &AuditEntry<'_>, now: i64) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, event, online_user_id, login_key, client_addr, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now)
        .bind(entry.event)
        .bind(entry.online_user_id)
        .bind(entry.login_key)
        .bind(entry.client_addr)
        .bind(entry.detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
