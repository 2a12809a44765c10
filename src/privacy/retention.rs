//! Retention: what the service keeps about people only as long as it needs it. A background task
//! of every instance (`spawn`): at start and every ten minutes; each statement is idempotent, so
//! instances may run it at the same time.
//!
//! - messages that were sent, logged or failed: deleted `RETENTION_MESSAGES_DAYS` after they were written;
//! - `Idempotency-Key` records with their stored answers: deleted after `RETENTION_IDEMPOTENCY_HOURS`;
//! - registrations of an edition that ended more than `RETENTION_REGISTRATIONS_DAYS` ago: their
//!   personal data (name, email, institution, role, profession, needs) is removed; the code, type,
//!   status, payment and check-in stay for the Alliance's counts.

use std::time::Duration;

use chrono::{Datelike, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::config::Config;
use crate::db::schema::{conferences, idempotency_keys, outbox, registrations};
use crate::db::DbPool;
use crate::jobs::outbox::OutboxStatus;

#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub messages: Duration,
    pub idempotency: Duration,
    pub registrations: Duration,
}

/// What one run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub messages: usize,
    pub idempotency_keys: usize,
    pub registrations: usize,
}

/// `period` before now; a period longer than the calendar reaches back to its start.
fn ago(period: Duration) -> chrono::DateTime<Utc> {
    chrono::Duration::from_std(period)
        .ok()
        .and_then(|period| Utc::now().checked_sub_signed(period))
        .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC)
}

impl Retention {
    pub fn from_config(config: &Config) -> Self {
        Self {
            messages: config.retention_messages,
            idempotency: config.retention_idempotency,
            registrations: config.retention_registrations,
        }
    }

    pub async fn run(&self, conn: &mut AsyncPgConnection) -> QueryResult<Purged> {
        let messages = diesel::delete(
            outbox::table
                .filter(outbox::status.ne(OutboxStatus::Pending))
                .filter(outbox::created_at.lt(ago(self.messages))),
        )
        .execute(conn)
        .await?;
        let idempotency_keys =
            diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(ago(self.idempotency))))
                .execute(conn)
                .await?;
        let ended_before = ago(self.registrations).date_naive();
        // An edition without dates ended with its year.
        let past = conferences::table
            .filter(
                conferences::ends_on
                    .lt(ended_before)
                    .or(conferences::ends_on.is_null().and(conferences::year.lt(ended_before.year()))),
            )
            .select(conferences::id);
        let ids: Vec<uuid::Uuid> = registrations::table
            .filter(registrations::conference_id.eq_any(past))
            .filter(registrations::name.ne(super::model::ERASED).or(registrations::email.is_not_null()))
            .select(registrations::id)
            .load(conn)
            .await?;
        let registrations = super::queries::strip_registrations(conn, &ids).await?;
        let purged = Purged { messages, idempotency_keys, registrations };
        if purged != Purged::default() {
            tracing::info!(
                messages = purged.messages,
                idempotency_keys = purged.idempotency_keys,
                registrations = purged.registrations,
                "retention: removed what was past its period"
            );
        }
        Ok(purged)
    }
}

/// How often a running instance applies the periods.
const EVERY: Duration = Duration::from_secs(600);

/// How soon a pass that could not run is tried again: at start every pooled connection may be
/// busy for a while (the search index loading), and an instance restarted more often than `EVERY`
/// would otherwise never apply the periods.
const RETRY: Duration = Duration::from_secs(30);

/// The wait before the next pass, after one that ran or failed.
fn next_pass<T, E>(outcome: &Result<T, E>) -> Duration {
    if outcome.is_ok() {
        EVERY
    } else {
        RETRY
    }
}

impl Retention {
    /// Deletes what is past its period in one transaction; a backlog may take longer than a
    /// request's statement timeout, which this transaction lifts.
    pub async fn apply(&self, pool: &DbPool) -> anyhow::Result<Purged> {
        let mut conn = pool.get().await?;
        let purged = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                crate::db::lift_statement_timeout(conn).await?;
                self.run(conn).await
            })
            .await?;
        Ok(purged)
    }

    /// Applies the periods now and every ten minutes (30 seconds after a pass that could not run),
    /// until `stop`.
    pub fn spawn(self, pool: DbPool, stop: tokio_util::sync::CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let outcome = self.apply(&pool).await;
                if let Err(e) = &outcome {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        retry_in_seconds = RETRY.as_secs(),
                        "retention could not run"
                    );
                }
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(next_pass(&outcome)) => {}
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_period_gives_a_time_and_never_panics() {
        assert!(ago(Duration::from_secs(86_400)) < Utc::now());
        assert_eq!(ago(Duration::from_secs(u64::MAX)), chrono::DateTime::<Utc>::MIN_UTC);
        assert_eq!(ago(Duration::from_secs(100_000_000 * 86_400)), chrono::DateTime::<Utc>::MIN_UTC);
    }

    #[test]
    fn a_pass_that_could_not_run_is_tried_again_soon() {
        assert_eq!(next_pass(&Ok::<_, ()>(())), EVERY);
        assert_eq!(next_pass(&Err::<(), _>("no connection")), RETRY);
        assert!(RETRY < EVERY);
    }
}
