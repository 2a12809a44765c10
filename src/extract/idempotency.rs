//! Public POSTs: the per-address rate limit and `Idempotency-Key`
//! (draft-ietf-httpapi-idempotency-key-header). With a key, the first answer is stored in the same
//! transaction as the record it describes, so it is replayed for the same key and body and no
//! second record is ever made; the same key with another body is a 422; a repeat while the first
//! is still being processed is a 409. Keys live for a day. Failed requests release their key, so a
//! corrected retry may use it again. Hand-written: no crate does this for actix-web with the
//! answer committed together with the request's own writes.

use std::future::{ready, Ready};

use actix_web::body::BoxBody;
use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest, HttpResponse, Responder};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::crypto::DataKey;
use crate::db::schema::idempotency_keys;
use crate::error::{ApiError, ApiResult, FieldCode, ProblemType};
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// SHA-256 of the raw request body, left in the request's extensions by `ValidJson` when the
/// request carries an `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct BodyDigest(pub Vec<u8>);

/// A POST's `Idempotency-Key`, if any, well formed (1 to 255 visible ASCII characters,
/// optionally quoted). Budgets are not its business: they come with the route's group (`routes.rs`).
#[derive(Clone)]
pub struct Idempotency {
    key: Option<String>,
    /// The request it came with: its method, path and body digest scope and check the key.
    request: HttpRequest,
    /// Seals the stored answer: a registration's holds its manage token.
    data_key: DataKey,
}

impl FromRequest for Idempotency {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req))
    }
}

fn parse(req: &HttpRequest) -> Result<Idempotency, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered");
    let key = match req.headers().get(IDEMPOTENCY_KEY) {
        None => None,
        Some(value) => {
            let text = value.to_str().ok().map(|v| v.trim().trim_matches('"')).unwrap_or_default();
            if text.is_empty() || text.len() > 255 || !text.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ApiError::BadRequest(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)".into(),
                ));
            }
            Some(text.to_string())
        }
    };
    Ok(Idempotency { key, request: req.clone(), data_key: state.data_key.clone() })
}

/// A JSON answer that can be stored and replayed byte for byte.
#[derive(Debug, Clone)]
pub struct Stored {
    pub status: StatusCode,
    pub body: String,
    pub location: Option<String>,
    replayed: bool,
}

impl Stored {
    pub fn new<T: Serialize>(status: StatusCode, body: &T, location: Option<String>) -> Self {
        Self { status, body: serde_json::to_string(body).expect("answers serialise"), location, replayed: false }
    }
}

impl Responder for Stored {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/json");
        if let Some(location) = self.location {
            response.insert_header((header::LOCATION, location));
        }
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.body(self.body)
    }
}

/// What `begin` found: a stored answer to replay, or the go-ahead (holding the key, if any).
pub enum Begin {
    Replay(Stored),
    Proceed(Claim),
}

/// The right to process this request under its key; `store` its answer inside the transaction
/// that makes the record, then `settle`.
pub struct Claim {
    key: Option<(String, String)>,
    data_key: DataKey,
}

#[derive(Queryable)]
struct KeyRow {
    request_hash: Vec<u8>,
    response_status: Option<i16>,
    response_sealed: Option<Vec<u8>>,
    response_location: Option<String>,
}

impl Idempotency {
    /// Runs `work` at most once per key: a repeat of the request gets the stored answer (a
    /// different request with the same key a 422), and the claim is settled with the outcome.
    pub async fn once(
        &self,
        conn: &mut AsyncPgConnection,
        work: impl AsyncFnOnce(&mut AsyncPgConnection, &Claim) -> ApiResult<Stored>,
    ) -> ApiResult<Stored> {
        let claim = match self.begin(conn).await? {
            Begin::Replay(answer) => return Ok(answer),
            Begin::Proceed(claim) => claim,
        };
        let result = work(conn, &claim).await;
        claim.settle(conn, result).await
    }

    /// Claims the key (in its own statement, so a concurrent repeat sees it at once).
    pub async fn begin(&self, conn: &mut AsyncPgConnection) -> ApiResult<Begin> {
        let req = &self.request;
        let data_key = self.data_key.clone();
        let Some(key) = self.key.clone() else { return Ok(Begin::Proceed(Claim { key: None, data_key })) };
        let scope = format!("{} {}", req.method(), req.path());
        let hash = req.extensions().get::<BodyDigest>().map(|d| d.0.clone()).unwrap_or_default();
        let inserted = diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::scope.eq(&scope),
                idempotency_keys::key.eq(&key),
                idempotency_keys::request_hash.eq(&hash),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 1 {
            return Ok(Begin::Proceed(Claim { key: Some((scope, key)), data_key }));
        }
        let row: KeyRow = idempotency_keys::table
            .find((&scope, &key))
            .select((
                idempotency_keys::request_hash,
                idempotency_keys::response_status,
                idempotency_keys::response_sealed,
                idempotency_keys::response_location,
            ))
            .first(conn)
            .await?;
        if row.request_hash != hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                FieldCode::KeyReused,
                "was already used with a different request body; send a new key for a new request",
            ));
        }
        match (row.response_status, row.response_sealed) {
            (Some(status), Some(sealed)) => {
                let body = data_key
                    .open(&sealed)
                    .ok()
                    .and_then(|plain| String::from_utf8(plain).ok())
                    .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a stored answer could not be opened")))?;
                Ok(Begin::Replay(Stored {
                    status: StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
                    body,
                    location: row.response_location,
                    replayed: true,
                }))
            }
            _ => Err(ApiError::refused(
                ProblemType::RequestInFlight,
                "a request with this Idempotency-Key is still being processed; retry in a moment",
            )),
        }
    }
}

impl Claim {
    /// Saves the answer under the key; call inside the transaction that makes the record.
    pub async fn store(&self, conn: &mut AsyncPgConnection, answer: &Stored) -> ApiResult<()> {
        if let Some((scope, key)) = &self.key {
            diesel::update(idempotency_keys::table.find((scope, key)))
                .set((
                    idempotency_keys::response_status.eq(answer.status.as_u16() as i16),
                    idempotency_keys::response_sealed.eq(self.data_key.seal(answer.body.as_bytes())),
                    idempotency_keys::response_location.eq(&answer.location),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// After the transaction: a failed request releases its key, so a corrected retry can use it.
    pub async fn settle(self, conn: &mut AsyncPgConnection, result: ApiResult<Stored>) -> ApiResult<Stored> {
        if let (Err(_), Some((scope, key))) = (&result, &self.key) {
            let _ = diesel::delete(
                idempotency_keys::table.find((scope, key)).filter(idempotency_keys::response_status.is_null()),
            )
            .execute(conn)
            .await;
        }
        result
    }
}

/// The `Idempotency-Key` header, as documented on every public POST.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only its derived documentation is used
pub struct IdempotencyHeader {
    /// A unique value per submission (a UUID): a retry with the same key and body replays the
    /// first answer (`Idempotent-Replayed: true`) and never makes a second record; the same key
    /// with another body is a 422; a repeat while the first is in flight is a 409. Kept for 24 hours.
    #[param(rename = "Idempotency-Key", min_length = 1, max_length = 255)]
    idempotency_key: Option<String>,
}
