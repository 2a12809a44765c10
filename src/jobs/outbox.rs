//! The transactional outbox. A request calls `enqueue` inside its own transaction, so a message
//! exists exactly when the change that caused it committed, and nothing is ever sent inside a
//! request. The worker claims due messages one at a time with `FOR UPDATE SKIP LOCKED` (so any
//! number of instances can run it), sends each, and retries failures with exponential backoff
//! until `OUTBOX_MAX_ATTEMPTS`, after which the message is `failed` with its last error kept.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use tokio::sync::Notify;

use super::mailer::{Delivery, Mailer};
use crate::config::Config;
use crate::db::schema::{idempotency_keys, outbox};
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

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub headers: serde_json::Value,
    pub attempts: i32,
}

/// Writes the message into the outbox, inside the caller's transaction.
pub async fn enqueue(conn: &mut AsyncPgConnection, message: Message) -> QueryResult<()> {
    let headers: serde_json::Map<String, serde_json::Value> =
        message.headers.into_iter().map(|(k, v)| (k.to_string(), v.into())).collect();
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(message.kind),
            outbox::recipient.eq(message.to),
            outbox::subject.eq(message.subject),
            outbox::body.eq(message.body),
            outbox::headers.eq(serde_json::Value::Object(headers)),
        ))
        .execute(conn)
        .await?;
    Ok(())
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
                    .filter(outbox::status.eq("pending").and(outbox::next_attempt_at.le(diesel::dsl::now)))
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
                match self.mailer.deliver(&row).await {
                    Ok(delivery) => {
                        let status = match delivery {
                            Delivery::Sent => "sent",
                            Delivery::Logged => "logged",
                        };
                        tracing::info!(outbox_id = row.id, kind = %row.kind, status, "message delivered");
                        diesel::update(target)
                            .set((
                                outbox::status.eq(status),
                                outbox::attempts.eq(attempts),
                                outbox::sent_at.eq(diesel::dsl::now),
                                outbox::last_error.eq(None::<String>),
                            ))
                            .execute(conn)
                            .await?;
                    }
                    Err(error) if attempts >= self.max_attempts => {
                        let shown = redact_addresses(&error);
                        tracing::error!(outbox_id = row.id, kind = %row.kind, attempts, error = %shown, "message failed for good");
                        diesel::update(target)
                            .set((outbox::status.eq("failed"), outbox::attempts.eq(attempts), outbox::last_error.eq(error)))
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

    /// Idempotency keys are kept for a day.
    async fn housekeeping(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        let day_ago = Utc::now() - chrono::Duration::hours(24);
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(day_ago)))
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// Runs until the runtime stops: drains the outbox whenever a request wakes it, and at least
    /// every `OUTBOX_POLL_MS` (for retries that fell due, and messages written by other instances).
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_housekeeping = std::time::Instant::now() - Duration::from_secs(3600);
            loop {
                if let Err(e) = self.drain().await {
                    tracing::warn!(error = format!("{e:#}"), "the outbox worker could not run");
                }
                if last_housekeeping.elapsed() > Duration::from_secs(600) {
                    last_housekeeping = std::time::Instant::now();
                    if let Err(e) = self.housekeeping().await {
                        tracing::warn!(error = format!("{e:#}"), "outbox housekeeping failed");
                    }
                }
                tokio::select! {
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
