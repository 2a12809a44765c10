//! `GET /resources/changes` and `GET /resources/export`.

use actix_web::{get, web};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use diesel_async::AsyncConnection;
use futures_util::StreamExt;
use uuid::Uuid;

use super::json::{
    ChangeJson, ChangeKind, ChangesMeta, ChangesPage, ChangesQuery, ExportFormat, ExportQuery, ExportRow,
};
use super::queries;
use crate::error::{ApiError, ApiResult};
use crate::extract::respond::defuse;
use crate::extract::respond::Streamed;
use crate::extract::ValidQuery;
use crate::resources::queries as resources;
use crate::resources::routes::Terms;
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
        .ok_or_else(|| ApiError::invalid("cursor", "invalid_cursor", "is not a cursor this feed gave out"))
}

/// Every change to the published library in the order it committed.
///
/// `created` and `updated` carry the resource as it is now; `unpublished` and `deleted` are
/// tombstones with the id and slug. Replaying the feed from the start, or from the last cursor,
/// leaves a mirror holding exactly the published library: a change that commits late is never
/// skipped (changes are numbered under a lock held until commit). Poll with `meta.resume_cursor`.
#[utoipa::path(
    tag = "partners",
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources/changes")]
pub async fn changes(
    state: web::Data<AppState>,
    ValidQuery(query): ValidQuery<ChangesQuery>,
) -> ApiResult<web::Json<ChangesPage>> {
    let after = match &query.cursor {
        Some(cursor) => position(cursor)?,
        None => 0,
    };
    let limit = i64::from(query.limit.unwrap_or(100));
    let mut conn = state.pool.get().await?;
    let mut rows = queries::changes_after(&mut conn, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let live: Vec<Uuid> = rows.iter().filter(|(_, _, kind, _, _)| kind.is_published()).map(|(_, id, ..)| *id).collect();
    let terms = Terms::current(&state, &mut conn).await?;
    let mut cards: std::collections::HashMap<Uuid, _> = resources::published_cards(&mut conn, &live)
        .await?
        .into_iter()
        .map(|card| (card.id, terms.card_json(card)))
        .collect();
    let last = rows.last().map_or(after, |(seq, ..)| *seq);
    let data = rows
        .into_iter()
        .map(|(_, id, kind, slug, changed_at)| {
            let resource = match kind {
                // The same resource may change twice in a page: each entry gets the current state.
                ChangeKind::Created | ChangeKind::Updated => cards.get(&id).cloned(),
                _ => None,
            };
            ChangeJson { kind, id, slug, changed_at, resource }
        })
        .collect();
    cards.clear();
    Ok(web::Json(ChangesPage {
        data,
        meta: ChangesMeta { next_cursor: more.then(|| cursor_of(last)), resume_cursor: cursor_of(last) },
    }))
}

const EXPORT_BATCH: i64 = 1000;

/// The whole published library, streamed in constant memory: NDJSON (one resource per line) or
/// CSV (RFC 4180, UTF-8 with a byte-order mark), the taxonomy as slugs, in id order. NDJSON is the
/// exact form: in CSV a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
/// `@`, tab or carriage return) gets a leading `'`.
#[utoipa::path(
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every published resource", content(
            (ExportRow = "application/x-ndjson"),
            (String = "text/csv"),
        ), headers(("Content-Disposition" = String))),
        (status = 422, response = crate::openapi::Invalid),
    )
)]
#[get("/resources/export")]
pub async fn export(state: web::Data<AppState>, ValidQuery(query): ValidQuery<ExportQuery>) -> ApiResult<Streamed> {
    let format = query.format.unwrap_or_default();
    // One batch per step: a connection is taken for each and given back, so a slow reader holds none.
    let batches = futures_util::stream::unfold((state, None::<Uuid>, false), move |(state, after, done)| async move {
        if done {
            return None;
        }
        let batch = async {
            let mut conn = state.pool.get().await?;
            // A large library may rightly take longer than `DATABASE_STATEMENT_TIMEOUT_MS`.
            let (cards, terms) = conn
                .transaction::<_, ApiError, _>(async |conn| {
                    crate::db::lift_statement_timeout(conn).await?;
                    let cards = queries::published_after(conn, after, EXPORT_BATCH).await?;
                    Ok((cards, Terms::current(&state, conn).await?))
                })
                .await?;
            Ok::<_, ApiError>(cards.into_iter().map(|c| ExportRow::from(terms.card_json(c))).collect::<Vec<_>>())
        }
        .await;
        match batch {
            Err(e) => {
                tracing::error!(error = %e, "the export stopped");
                Some((Err(actix_web::error::ErrorInternalServerError("the export stopped")), (state, after, true)))
            }
            Ok(rows) if rows.is_empty() => None,
            Ok(rows) => {
                let last = rows.last().map(|r| r.id);
                let done = (rows.len() as i64) < EXPORT_BATCH;
                Some((encode(format, rows), (state, last, done)))
            }
        }
    });
    let (content_type, extension, head) = match format {
        ExportFormat::Ndjson => ("application/x-ndjson", "ndjson", web::Bytes::new()),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv", csv_head()),
    };
    let body = futures_util::stream::once(async move { Ok(head) }).chain(batches).boxed();
    Ok(Streamed { content_type, filename: format!("social-mission-library.{extension}"), body })
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
