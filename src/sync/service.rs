//! The change feed and the export: cursors, pages of changes with each live resource as it is
//! now, and the whole published library in batches, encoded as NDJSON or CSV.

use actix_web::web;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel_async::AsyncConnection;
use futures_util::StreamExt;
use uuid::Uuid;

use super::json::{ChangeJson, ChangeKind, ChangesMeta, ChangesPage, ChangesQuery, ExportFormat, ExportRow};
use super::queries;
use crate::error::{ApiError, ApiResult, FieldCode};
use crate::extract::respond::{defuse, Streamed};
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

/// The whole published library as a stream: one batch per step, each on a connection taken for
/// it and given back, so a slow reader holds none.
pub fn export(state: web::Data<AppState>, library: web::Data<Library>, format: ExportFormat) -> Streamed {
    let start = (state, library, None::<Uuid>, false);
    let batches = futures_util::stream::unfold(start, move |(state, library, after, done)| async move {
        if done {
            return None;
        }
        let batch = async {
            let mut conn = state.reads.bulk().await?;
            // A large library may rightly take longer than `DATABASE_STATEMENT_TIMEOUT_MS`.
            let resources = conn
                .transaction::<_, ApiError, _>(async |conn| {
                    crate::db::lift_statement_timeout(conn).await?;
                    let cards = queries::published_after(conn, after, EXPORT_BATCH).await?;
                    library::published_json(&library, conn, cards).await
                })
                .await?;
            Ok::<_, ApiError>(resources.into_iter().map(ExportRow::from).collect::<Vec<_>>())
        }
        .await;
        match batch {
            Err(e) => {
                tracing::error!(error = %e, "the export stopped");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("the export stopped")),
                    (state, library, after, true),
                ))
            }
            Ok(rows) if rows.is_empty() => None,
            Ok(rows) => {
                let last = rows.last().map(|r| r.id);
                let done = (rows.len() as i64) < EXPORT_BATCH;
                Some((encode(format, rows), (state, library, last, done)))
            }
        }
    });
    let (content_type, extension, head) = match format {
        ExportFormat::Ndjson => ("application/x-ndjson", "ndjson", web::Bytes::new()),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv", csv_head()),
    };
    let body = futures_util::stream::once(async move { Ok(head) }).chain(batches).boxed();
    Streamed { content_type, filename: format!("social-mission-library.{extension}"), body }
}

fn csv_head() -> web::Bytes {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(ExportRow::CSV_HEADER).expect("writing to memory");
    web::Bytes::from(writer.into_inner().expect("writing to memory"))
}

fn encode(format: ExportFormat, rows: Vec<ExportRow>) -> Result<web::Bytes, actix_web::Error> {
    let mut out = Vec::with_capacity(rows.len() * 600);
    match format {
        ExportFormat::Ndjson => {
            for row in rows {
                serde_json::to_writer(&mut out, &row).map_err(actix_web::error::ErrorInternalServerError)?;
                out.push(b'\n');
            }
        }
        ExportFormat::Csv => {
            let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
            for row in rows {
                writer
                    .write_record(row.csv_record().map(defuse))
                    .map_err(actix_web::error::ErrorInternalServerError)?;
            }
            out = writer.into_inner().map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
        }
    }
    Ok(web::Bytes::from(out))
}
