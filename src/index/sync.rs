//! Keeps the index in step with Postgres on every instance.
//!
//! Statement triggers on `resources`, `resource_terms` and `vocabulary_terms` call
//! `pg_notify('library_changes', …)` with the changed resource ids (or `*` for a large change,
//! `taxonomy` for the vocabularies); Postgres delivers notifications when the transaction commits.
//! The same connection follows other channels for features that keep shared data in memory
//! (`Subscriber`: the partners' keys).
//! One dedicated connection listens (diesel has no notification API, so this uses the
//! `tokio-postgres` client that diesel-async is built on). While it is connected nothing is
//! missed; when it drops, the index stops answering (callers fall back to SQL) until it has
//! reconnected and reloaded everything.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_postgres::AsyncMessage;
use uuid::Uuid;

use super::LibraryIndex;

pub const CHANNEL: &str = "library_changes";

enum Event {
    Payload(String, String),
    Closed,
}

/// Another channel the same connection follows, for what every instance must learn at once (a
/// revoked API key): `payload` is called with each notification as it arrives; `lost` when the
/// connection drops (notifications may be missed until `resumed`, called once it listens again,
/// and once at start).
pub struct Subscriber {
    pub channel: &'static str,
    pub payload: Box<dyn Fn(&str) + Send + Sync>,
    pub lost: Box<dyn Fn() + Send + Sync>,
    pub resumed: Box<dyn Fn() + Send + Sync>,
}

/// Connects, listens and loads the index; then keeps it current, and tells `subscribers` of
/// their channels, in a background task until `stop` (dropping the listening connection).
/// Returns once the first load is done.
pub async fn start(
    index: Arc<LibraryIndex>,
    database_url: String,
    subscribers: Vec<Subscriber>,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let channels: Vec<&'static str> = subscribers.iter().map(|s| s.channel).collect();
    let listener = listen(&database_url, &channels).await?;
    index.reload_all().await?;
    index.learn_written_words();
    subscribers.iter().for_each(|s| (s.resumed)());
    Ok(tokio::spawn(async move {
        tokio::select! {
            _ = stop.cancelled() => {}
            _ = follow(index, database_url, subscribers, listener) => {}
        }
    }))
}

/// The listening connection: notifications arrive on `events` while `_client` is kept.
struct Listener {
    _client: tokio_postgres::Client,
    events: mpsc::UnboundedReceiver<Event>,
}

async fn listen(database_url: &str, others: &[&str]) -> anyhow::Result<Listener> {
    let (client, mut connection) = tokio_postgres::connect(database_url, tokio_postgres::NoTls).await?;
    let (tx, events) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(Event::Payload(n.channel().to_string(), n.payload().to_string())).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "library notification connection lost");
                    break;
                }
            }
        }
        let _ = tx.send(Event::Closed);
    });
    for channel in std::iter::once(&CHANNEL).chain(others) {
        client.batch_execute(&format!("LISTEN {channel}")).await?;
    }
    Ok(Listener { _client: client, events })
}

async fn follow(index: Arc<LibraryIndex>, database_url: String, subscribers: Vec<Subscriber>, mut listener: Listener) {
    let channels: Vec<&'static str> = subscribers.iter().map(|s| s.channel).collect();
    loop {
        match apply(&index, &subscribers, &mut listener.events).await {
            Ok(()) => return, // the service is shutting down
            Err(()) => {
                index.mark_stale();
                subscribers.iter().for_each(|s| (s.lost)());
            }
        }
        // Reconnect, then reload everything: notifications sent meanwhile are lost.
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            match listen(&database_url, &channels).await {
                Ok(fresh) => match index.reload_all().await {
                    Ok(()) => {
                        index.learn_written_words();
                        listener = fresh;
                        subscribers.iter().for_each(|s| (s.resumed)());
                        break;
                    }
                    Err(e) => tracing::warn!(error = %e, "search index reload failed; retrying"),
                },
                Err(e) => tracing::warn!(error = %e, "cannot listen for library changes; retrying"),
            }
        }
    }
}

/// Applies notifications as they come, a batch at a time. `Err` when the connection closed.
async fn apply(
    index: &Arc<LibraryIndex>,
    subscribers: &[Subscriber],
    events: &mut mpsc::UnboundedReceiver<Event>,
) -> Result<(), ()> {
    while let Some(first) = events.recv().await {
        let mut ids = HashSet::new();
        let (mut everything, mut taxonomy, mut closed) = (false, false, false);
        let mut take = |event: Event| match event {
            Event::Closed => closed = true,
            Event::Payload(c, p) if c != CHANNEL => {
                subscribers.iter().filter(|s| s.channel == c).for_each(|s| (s.payload)(&p));
            }
            Event::Payload(_, p) if p == "*" => everything = true,
            Event::Payload(_, p) if p == "taxonomy" => taxonomy = true,
            Event::Payload(_, p) => ids.extend(p.split(',').filter_map(|s| Uuid::parse_str(s).ok())),
        };
        take(first);
        while let Ok(event) = events.try_recv() {
            take(event);
        }
        if closed {
            return Err(());
        }
        let result = if everything {
            let loaded = index.reload_all().await;
            // A large change may bring many new words.
            index.learn_written_words();
            loaded
        } else {
            let ids: Vec<Uuid> = ids.into_iter().collect();
            match index.refresh(&ids).await {
                Ok(()) if taxonomy => index.refresh_taxonomy().await,
                other => other,
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not apply a library change; reloading");
            return Err(());
        }
    }
    Ok(())
}
