//! The change feed and the export: cursors, pages of changes with each live resource as it is
//! now, and the whole published library in batches, encoded as NDJSON or CSV.

use actix_web::web;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel_async::AsyncPgConnection;
use futures_util::StreamExt;
use uuid::Uuid;

use super::json::{ChangeJson, ChangeKind, ChangesMeta, ChangesPage, ChangesQuery, ExportFormat, ExportRow};
use super::queries;
use crate::db::reads::Streaming;
use crate::error::{ApiError, ApiResult, FieldCode};
use crate::extract::respond::{defuse, Streamed};
use crate::resources::cache::Vocabularies;
use crate::resources::json::ResourceJson;
use crate::resources::model::ResourceCard;
use crate::resources::queries as resources;
use crate::resources::service::{self as library, Library};
use crate::state::AppState;

fn cursor_of(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1:{seq}"))
}

fn position(cursor: &str) -> ApiResult<i64> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("c1:").and_then(|n| n.parse::<i64>().ok()))
        .filter(|n| *n >= 0)
        .ok_or_else(|| ApiError::invalid("cursor", FieldCode::InvalidCursor, "is not a cursor this feed gave out"))
}

/// A page of changes after the cursor (from the start without one).
pub async fn changes(state: &AppState, library: &Library, query: &ChangesQuery) -> ApiResult<ChangesPage> {
    let after = match &query.cursor {
        Some(cursor) => position(cursor)?,
        None => 0,
    };
    let limit = i64::from(query.limit.unwrap_or(100));
    let mut conn = state.reads.bulk().await?;
    let mut rows = queries::changes_after(&mut conn, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let live: Vec<Uuid> = rows.iter().filter(|row| row.kind.is_published()).map(|row| row.resource_id).collect();
    let cards = resources::published_cards(&mut conn, &live).await?;
    let mut cards: std::collections::HashMap<Uuid, _> =
        library::published_json(library, &mut conn, cards).await?.into_iter().map(|json| (json.id, json)).collect();
    let last = rows.last().map_or(after, |row| row.seq);
    let data = rows
        .into_iter()
        .map(|row| {
            let resource = match row.kind {
                // The same resource may change twice in a page: each entry gets the current state.
                ChangeKind::Created | ChangeKind::Updated => cards.get(&row.resource_id).cloned(),
                _ => None,
            };
            ChangeJson { kind: row.kind, id: row.resource_id, slug: row.slug, changed_at: row.changed_at, resource }
        })
        .collect();
    cards.clear();
    Ok(ChangesPage {
        data,
        meta: ChangesMeta { next_cursor: more.then(|| cursor_of(last)), resume_cursor: cursor_of(last) },
    })
}

const EXPORT_BATCH: i64 = 1000;

/// The bytes of each piece the export is sent in: under glibc's mmap threshold (256 KB, see
/// `allocator.rs`), so every piece is a reused heap block. A whole batch at once (about 2 MB)
/// was a fresh mapping each time, faulted in page by page, copied into the connection's write
/// buffer grown as large, and unmapped again: a fifth of the export's time.
const EXPORT_PIECE: usize = 64 * 1024;

/// Batches the export reads and encodes ahead of what the client has taken.
const EXPORT_AHEAD: usize = 2;

/// The whole published library as a stream, on a connection of its own (`Reads::streaming`) held
/// until the stream ends; 503 when it cannot be had.
///
/// A task of its own reads the batches (`read_ahead`) and has each encoded on a blocking thread,
/// up to `EXPORT_AHEAD` batches ahead of the client, so Postgres produces the next batch while
/// this one is encoded and sent. Read, encoded and sent in turn, each waited for the others and
/// the export took about a quarter longer (`bench/RESULTS.md`, session 17). Memory stays constant (a
/// few batches), each batch is its own short query, so a slow client holds no snapshot open for
/// the whole download, and a client that goes away ends the reading at the next batch.
pub async fn export(state: &AppState, library: web::Data<Library>, format: ExportFormat) -> ApiResult<Streamed> {
    let streaming = state
        .reads
        .streaming()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "no database connection for the export");
            ApiError::Unavailable("the database is unavailable; try again shortly".into())
        })?
        .ok_or_else(|| ApiError::Unavailable("too many exports are running; try again shortly".into()))?;
    let (sender, receiver) = tokio::sync::mpsc::channel(EXPORT_AHEAD);
    let Streaming { conn, place } = streaming;
    tokio::spawn(read_ahead(conn, library, format, sender));
    // The place among the exports at once is the response's until it has been sent (or the client
    // went away), so the batches read ahead count too.
    let batches = futures_util::stream::unfold((receiver, place), |(mut receiver, place)| async move {
        let pieces = match receiver.recv().await? {
            Ahead::Encoding(encoding) => encoding.await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "the export's encoding failed");
                vec![Err(STOPPED.to_string())]
            }),
            Ahead::Failed => vec![Err(STOPPED.to_string())],
        };
        Some((pieces, (receiver, place)))
    })
    .flat_map(futures_util::stream::iter)
    .map(|piece| piece.map_err(actix_web::error::ErrorInternalServerError));
    let (content_type, extension, head) = match format {
        ExportFormat::Ndjson => ("application/x-ndjson", "ndjson", web::Bytes::new()),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv", csv_head()),
    };
    let body = futures_util::stream::once(async move { Ok(head) }).chain(batches).boxed();
    Ok(Streamed { content_type, filename: format!("social-mission-library.{extension}"), body })
}

/// A piece of the export's body, or why it stopped.
type Piece = Result<web::Bytes, String>;

/// What the client's stream ends with when the export cannot go on (the log says why).
const STOPPED: &str = "the export stopped";

/// A batch read ahead: being encoded, or the reading that failed (the last).
enum Ahead {
    Encoding(tokio::task::JoinHandle<Vec<Piece>>),
    Failed,
}

/// Reads the published library in batches in id order and starts encoding each, sending them
/// in order until the last batch, a failure, or the stream's end (the client went away).
async fn read_ahead(
    mut conn: AsyncPgConnection,
    library: web::Data<Library>,
    format: ExportFormat,
    sender: tokio::sync::mpsc::Sender<Ahead>,
) {
    let mut after = Uuid::nil();
    loop {
        let read = async {
            let cards = queries::published_after(&mut conn, after, EXPORT_BATCH).await?;
            Ok::<_, ApiError>((cards, library.vocabularies(&mut conn).await?))
        };
        let (cards, vocabularies) = match read.await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "the export stopped");
                let _ = sender.send(Ahead::Failed).await;
                return;
            }
        };
        let last = (cards.len() as i64) < EXPORT_BATCH;
        if let Some(card) = cards.last() {
            after = card.id;
            let encoding = tokio::task::spawn_blocking(move || encode(format, cards, &vocabularies));
            if sender.send(Ahead::Encoding(encoding)).await.is_err() {
                return;
            }
        }
        if last {
            return;
        }
    }
}

fn csv_head() -> web::Bytes {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(ExportRow::CSV_HEADER).expect("writing to memory");
    web::Bytes::from(writer.into_inner().expect("writing to memory"))
}

/// A batch as pieces of about `EXPORT_PIECE` bytes (the error is a message: a stream's item is
/// held across its awaits, so it must be `Send`, which actix's error is not).
fn encode(format: ExportFormat, cards: Vec<ResourceCard>, vocabularies: &Vocabularies) -> Vec<Piece> {
    let rows = cards.into_iter().map(|card| ExportRow::from(ResourceJson::from_card(card, &vocabularies.terms)));
    let piece = || Vec::with_capacity(EXPORT_PIECE + 8 * 1024);
    let mut pieces = Vec::new();
    match format {
        ExportFormat::Ndjson => {
            let mut out = piece();
            for row in rows {
                if let Err(e) = serde_json::to_writer(&mut out, &row) {
                    pieces.push(Err(e.to_string()));
                    return pieces;
                }
                out.push(b'\n');
                if out.len() >= EXPORT_PIECE {
                    pieces.push(Ok(web::Bytes::from(std::mem::replace(&mut out, piece()))));
                }
            }
            pieces.push(Ok(web::Bytes::from(out)));
        }
        ExportFormat::Csv => {
            let writer = || csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(piece());
            let mut out = writer();
            for row in rows {
                if let Err(e) = out.write_record(row.csv_record().map(defuse)) {
                    pieces.push(Err(e.to_string()));
                    return pieces;
                }
                if out.get_ref().len() >= EXPORT_PIECE {
                    let full = std::mem::replace(&mut out, writer());
                    pieces.push(full.into_inner().map(web::Bytes::from).map_err(|e| e.to_string()));
                }
            }
            pieces.push(out.into_inner().map(web::Bytes::from).map_err(|e| e.to_string()));
        }
    }
    pieces
}
