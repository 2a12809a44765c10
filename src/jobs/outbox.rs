//! The transactional outbox. A request calls `enqueue` inside its own transaction, so a message
//! exists exactly when the change that caused it committed, and nothing is ever sent inside a
//! request. The worker claims due messages one at a time with `FOR UPDATE SKIP LOCKED` (so any
//! number of instances can run it), sends each, and retries failures with exponential backoff
//! until `OUTBOX_MAX_ATTEMPTS`, after which the message is `failed` with its last error kept.
//!
//! A message's body and headers carry links with live tokens, so they are stored sealed with the
//! data key (`crypto`), and a sent message loses them at once; the retention period
//! (`RETENTION_MESSAGES_DAYS`) then deletes the row. Logged and failed messages keep their sealed
//! body until then (development reads them with `social-mission-api mail`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use tokio::sync::Notify;

use super::mailer::{Delivery, Mailer};
use crate::config::Config;
use crate::crypto::DataKey;
use crate::db::schema::outbox;
use crate::db::DbPool;

/// A message to send: plain text, with extra headers (such as `List-Unsubscribe`).
#[derive(Debug, Clone)]
pub struct Message {
    /// What the message is, for the log and the table (`newsletter.confirm`, ...).
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

/// Where a message is: `pending` until the worker sends it (`sent`), writes it to the log
/// instead (`logged`, no SMTP configured), or gives up (`failed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum OutboxStatus {
    Pending,
    Sent,
    Logged,
    Failed,
}
crate::text_enum!(OutboxStatus { Pending = "pending", Sent = "sent", Logged = "logged", Failed = "failed" });

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub sealed: Option<Vec<u8>>,
    /// Only rows written before bodies were sealed, until `seal_legacy` runs.
    pub body: Option<String>,
    pub headers: Option<serde_json::Value>,
    pub attempts: i32,
}

/// What is sealed: the body and the extra headers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Content {
    pub body: String,
    pub headers: serde_json::Map<String, serde_json::Value>,
}

impl Content {
    pub fn seal(&self, key: &DataKey) -> Vec<u8> {
        key.seal(&serde_json::to_vec(self).expect("content serialises"))
    }
}

impl OutboxRow {
    /// The body and headers, opened with the data key (a legacy row's as they are).
    pub fn content(&self, key: &DataKey) -> Result<Content, String> {
        match (&self.sealed, &self.body) {
            (Some(sealed), _) => {
                let plain = key.open(sealed).map_err(|e| e.to_string())?;
                serde_json::from_slice(&plain).map_err(|e| format!("a sealed message is not readable: {e}"))
            }
            (None, Some(body)) => Ok(Content {
                body: body.clone(),
                headers: self.headers.as_ref().and_then(|h| h.as_object().cloned()).unwrap_or_default(),
            }),
            (None, None) => Err("the message's body was already removed".into()),
        }
    }
}

/// Writes the message into the outbox, sealed, inside the caller's transaction.
pub async fn enqueue(conn: &mut AsyncPgConnection, key: &DataKey, message: Message) -> QueryResult<()> {
    let content = Content {
        body: message.body,
        headers: message.headers.into_iter().map(|(k, v)| (k.to_string(), v.into())).collect(),
    };
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(message.kind),
            outbox::recipient.eq(message.to),
            outbox::subject.eq(message.subject),
            outbox::sealed.eq(content.seal(key)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The latest messages as text, opened (for `social-mission-api mail` in development).
pub async fn latest(
    conn: &mut AsyncPgConnection,
    key: &DataKey,
    to: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut query = outbox::table.order(outbox::id.desc()).limit(limit.max(1)).into_boxed();
    if let Some(to) = to {
        // Every recipient is a valid address: nothing was sent to a text that is not one.
        let Ok(to) = crate::values::Email::parse(to) else { return Ok(Vec::new()) };
        query = query.filter(outbox::recipient.eq(to.into_inner()));
    }
    let rows: Vec<(OutboxRow, OutboxStatus)> =
        query.select((OutboxRow::as_select(), outbox::status)).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(row, status)| {
            let body = match row.content(key) {
                Ok(content) => content.body,
                Err(why) => format!("({why})"),
            };
            let status = status.as_str();
            format!("#{} {} [{status}] to {}\nSubject: {}\n\n{}\n", row.id, row.kind, row.recipient, row.subject, body)
        })
        .collect())
}

/// Seals the bodies of rows written before bodies were sealed (run once at start-up; a no-op after).
pub async fn seal_legacy(conn: &mut AsyncPgConnection, key: &DataKey) -> QueryResult<usize> {
    let rows: Vec<OutboxRow> =
        outbox::table.filter(outbox::body.is_not_null()).select(OutboxRow::as_select()).load(conn).await?;
    for row in &rows {
        let Ok(content) = row.content(key) else { continue };
        diesel::update(outbox::table.find(row.id))
            .set((
                outbox::sealed.eq(content.seal(key)),
                outbox::body.eq(None::<String>),
                outbox::headers.eq(None::<serde_json::Value>),
            ))
            .execute(conn)
            .await?;
    }
    Ok(rows.len())
}

/// How long to wait before the attempt after `attempts` failed ones: base × 2^(attempts-1), at most an hour.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(20));
    base.saturating_mul(factor).min(Duration::from_secs(3600))
}

/// SMTP servers quote addresses in their errors (`550 <ada@example.org>: unknown user`); the
/// log gets the error with every word that holds an `@` replaced, the outbox row keeps it whole.
pub fn redact_addresses(text: &str) -> String {
    text.split(' ').map(|word| if word.contains('@') { "<address>" } else { word }).collect::<Vec<_>>().join(" ")
}

#[derive(Clone)]
pub struct Worker {
    pool: DbPool,
    key: DataKey,
    mailer: Arc<Mailer>,
    max_attempts: i32,
    retry_base: Duration,
    poll: Duration,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(config: &Config, pool: DbPool, wake: Arc<Notify>) -> anyhow::Result<Self> {
        Ok(Self {
            pool,
            key: DataKey::derive(&config.data_key_secret),
            mailer: Arc::new(Mailer::from_config(config)?),
            max_attempts: config.outbox_max_attempts.max(1),
            retry_base: config.outbox_retry_base,
            poll: config.outbox_poll,
            wake,
        })
    }

    /// Claims one due message, delivers it and records the outcome; false when none was due.
    /// The row stays locked while it is sent, so no other worker sends it at the same time; if
    /// the process dies mid-send, the lock goes with it and the message is tried again.
    pub async fn run_once(&self) -> anyhow::Result<bool> {
        let mut conn = self.pool.get().await?;
        let worked = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let row = outbox::table
                    .filter(outbox::status.eq(OutboxStatus::Pending).and(outbox::next_attempt_at.le(diesel::dsl::now)))
                    .order((outbox::next_attempt_at, outbox::id))
                    .limit(1)
                    .for_update()
                    .skip_locked()
                    .select(OutboxRow::as_select())
                    .first(conn)
                    .await
                    .optional()?;
                let Some(row) = row else { return Ok(false) };
                let attempts = row.attempts + 1;
                let target = outbox::table.find(row.id);
                let delivered = match row.content(&self.key) {
                    Ok(content) => self.mailer.deliver(&row, &content).await,
                    Err(error) => Err(error),
                };
                match delivered {
                    Ok(delivery) => {
                        let status = match delivery {
                            Delivery::Sent => OutboxStatus::Sent,
                            Delivery::Logged => OutboxStatus::Logged,
                        };
                        tracing::info!(outbox_id = row.id, kind = %row.kind, status = status.as_str(), "message delivered");
                        // A sent message's links are in the recipient's mailbox now; the copy here goes.
                        let keep = (delivery == Delivery::Logged).then_some(row.sealed);
                        diesel::update(target)
                            .set((
                                outbox::status.eq(status),
                                outbox::attempts.eq(attempts),
                                outbox::sent_at.eq(diesel::dsl::now),
                                outbox::last_error.eq(None::<String>),
                                outbox::sealed.eq(keep.flatten()),
                                outbox::body.eq(None::<String>),
                                outbox::headers.eq(None::<serde_json::Value>),
                            ))
                            .execute(conn)
                            .await?;
                    }
                    Err(error) if attempts >= self.max_attempts => {
                        let shown = redact_addresses(&error);
                        tracing::error!(outbox_id = row.id, kind = %row.kind, attempts, error = %shown, "message failed for good");
                        diesel::update(target)
                            .set((outbox::status.eq(OutboxStatus::Failed), outbox::attempts.eq(attempts), outbox::last_error.eq(error)))
                            .execute(conn)
                            .await?;
                    }
                    Err(error) => {
                        let wait = backoff(self.retry_base, attempts);
                        let next: DateTime<Utc> = Utc::now() + wait;
                        let shown = redact_addresses(&error);
                        tracing::warn!(outbox_id = row.id, kind = %row.kind, attempts, error = %shown, retry_in_ms = wait.as_millis() as u64, "message not sent; will retry");
                        diesel::update(target)
                            .set((
                                outbox::attempts.eq(attempts),
                                outbox::next_attempt_at.eq(next),
                                outbox::last_error.eq(error),
                            ))
                            .execute(conn)
                            .await?;
                    }
                }
                Ok(true)
            })
            .await?;
        Ok(worked)
    }

    /// Delivers every message that is due now; returns how many were handled.
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let mut handled = 0;
        while self.run_once().await? {
            handled += 1;
        }
        Ok(handled)
    }

    /// Runs until `stop` (a message being sent then is finished first): drains the outbox whenever
    /// a request wakes it, and at least every `OUTBOX_POLL_MS` (for retries that fell due, and
    /// messages written by other instances).
    pub fn spawn(self, stop: tokio_util::sync::CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.drain().await {
                    tracing::warn!(error = format!("{e:#}"), "the outbox worker could not run");
                }
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(self.poll) => {}
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_out_of_logged_errors() {
        assert_eq!(
            redact_addresses("SMTP: 550 <ada@example.org>: Recipient address rejected"),
            "SMTP: 550 <address> Recipient address rejected"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 40), Duration::from_secs(3600));
    }
}
