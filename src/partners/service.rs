//! The rules of partners and their keys: addresses parsed once, keys shown once and stored as a
//! hash, known live (or forgotten) on this instance at once; every change audited.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;
use uuid::Uuid;

use super::json::{IssuedKey, KeyInput, KeyJson, PartnerInput, PartnerJson};
use super::keys::{generate, ApiKey, KeyStore};
use super::model::{PartnerFields, PartnerRow};
use super::queries;
use crate::audit::model::NewAuditEntry;
use crate::audit::service as audit;
use crate::auth::StaffUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{PageRequest, Paginated};
use crate::middleware::RequestId;
use crate::state::AppState;
use crate::values::Email;

fn fields(input: &PartnerInput) -> ApiResult<PartnerFields> {
    Ok(PartnerFields {
        institution: input.institution.clone(),
        contact_name: input.contact_name.clone(),
        contact_email: input
            .contact_email
            .as_deref()
            .map(|e| Email::from_field(e, "contact_email").map(Email::into_inner))
            .transpose()?,
        notes: input.notes.clone(),
    })
}

async fn partner(conn: &mut AsyncPgConnection, id: Uuid) -> ApiResult<PartnerRow> {
    queries::find(conn, id).await?.ok_or_else(|| ApiError::not_found("partner"))
}

/// Partner institutions, by name.
pub async fn list(state: &AppState, page: PageRequest) -> ApiResult<Paginated<PartnerJson>> {
    let (rows, total) = queries::list(&mut *state.pool.get().await?, page).await?;
    Ok(Paginated::new(rows.into_iter().map(|(p, n)| PartnerJson::new(p, n)).collect(), total, page))
}

pub async fn create(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    input: &PartnerInput,
) -> ApiResult<PartnerJson> {
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let row = queries::insert(conn, &fields(input)?).await?;
            let details = json!({ "institution": row.institution });
            audit::record(
                conn,
                NewAuditEntry::by_staff(admin, "partner.create", "partner", row.id, request_id, details),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(PartnerJson::new(row, 0))
}

pub async fn get(state: &AppState, id: Uuid) -> ApiResult<PartnerJson> {
    let mut conn = state.pool.get().await?;
    let row = partner(&mut conn, id).await?;
    let keys = queries::active_keys(&mut conn, row.id).await?;
    Ok(PartnerJson::new(row, keys))
}

pub async fn replace(
    state: &AppState,
    admin: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    input: &PartnerInput,
) -> ApiResult<PartnerJson> {
    let mut conn = state.pool.get().await?;
    let (row, keys) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            partner(conn, id).await?;
            let row = queries::update(conn, id, &fields(input)?).await?;
            let details = json!({ "institution": row.institution });
            audit::record(conn, NewAuditEntry::by_staff(admin, "partner.update", "partner", id, request_id, details))
                .await?;
            Ok((row, queries::active_keys(conn, id).await?))
        })
        .await?;
    Ok(PartnerJson::new(row, keys))
}

/// A partner's keys, with this instance's counted use written first so the figures are current.
pub async fn list_keys(state: &AppState, keys: &KeyStore, id: Uuid) -> ApiResult<Vec<KeyJson>> {
    keys.flush().await.map_err(ApiError::Internal)?;
    let mut conn = state.pool.get().await?;
    partner(&mut conn, id).await?;
    Ok(queries::keys_of(&mut conn, id).await?.into_iter().map(Into::into).collect())
}

/// A new key for the partner: the answer holds the key itself, this once.
pub async fn issue_key(
    state: &AppState,
    keys: &KeyStore,
    admin: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    input: &KeyInput,
) -> ApiResult<IssuedKey> {
    let (key, prefix, hash) = generate();
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction::<_, ApiError, _>(async |conn| {
            partner(conn, id).await?;
            let row = queries::insert_key(conn, id, &input.name, &prefix, &hash).await?;
            let details = json!({ "key_id": row.id, "prefix": row.prefix, "name": row.name });
            audit::record(
                conn,
                NewAuditEntry::by_staff(admin, "partner.key.issue", "partner", id, request_id, details),
            )
            .await?;
            Ok(row)
        })
        .await?;
    // Known live at once on this instance, so its first reads spend no anonymous budget.
    keys.remember(hash, ApiKey { id: row.id, partner_id: id });
    Ok(IssuedKey { key_info: row.into(), key })
}

/// Revokes a key: refused (401) from now on, on this instance at once.
pub async fn revoke_key(
    state: &AppState,
    keys: &KeyStore,
    admin: &StaffUser,
    request_id: &RequestId,
    id: Uuid,
    key_id: Uuid,
) -> ApiResult<KeyJson> {
    let mut conn = state.pool.get().await?;
    let (row, hash) = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let revoked = queries::revoke(conn, id, key_id).await?.ok_or_else(|| ApiError::not_found("key"))?;
            let details = json!({ "key_id": key_id, "prefix": revoked.0.prefix });
            audit::record(
                conn,
                NewAuditEntry::by_staff(admin, "partner.key.revoke", "partner", id, request_id, details),
            )
            .await?;
            Ok(revoked)
        })
        .await?;
    keys.forget(&hash);
    Ok(row.into())
}
