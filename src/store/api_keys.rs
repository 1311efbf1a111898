//! Integrations' API keys: the records, found by store for the list and by the SHA-256
//! of their secret for each request.

use redb::ReadableTable;

use super::repo::{Tables, add_to_store_index, load, save, store_ids};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{ApiKey, ApiKeyId};

/// A key of the scope's store; `None` for another store's key.
pub fn key(tx: &impl Tables, scope: &Scope, id: ApiKeyId) -> Result<Option<ApiKey>, StoreError> {
    let found: Option<ApiKey> = load(tx, tables::API_KEYS, id.as_u128())?;
    Ok(found.filter(|k| k.store_id == scope.store_id()))
}

/// The store's keys, newest first, revoked ones included.
pub fn keys(tx: &impl Tables, scope: &Scope) -> Result<Vec<ApiKey>, StoreError> {
    let mut keys = Vec::new();
    for id in store_ids(tx, tables::API_KEYS_BY_STORE, scope.store_id(), true)? {
        if let Some(key) = load::<ApiKey>(tx, tables::API_KEYS, id)? {
            keys.push(key);
        }
    }
    Ok(keys)
}

/// The key whose secret hashes to `secret_hash`, whatever its store. Used only to
/// establish who is asking, before any scope exists.
pub fn key_for_sign_in(
    tx: &impl Tables,
    secret_hash: &[u8; 32],
) -> Result<Option<ApiKey>, StoreError> {
    let index = tx.open(tables::API_KEYS_BY_HASH)?;
    let id = index.get(secret_hash.as_slice())?.map(|v| v.value());
    drop(index);
    match id {
        Some(id) => load(tx, tables::API_KEYS, id),
        None => Ok(None),
    }
}

pub fn insert_key(w: &mut Writer, key: &ApiKey) -> Result<(), StoreError> {
    {
        let mut index = w.tx.open_table(tables::API_KEYS_BY_HASH)?;
        if let Some(existing) = index.get(key.secret_hash.as_slice())?.map(|v| v.value()) {
            return Err(StoreError::Duplicate {
                what: "API key",
                existing,
            });
        }
        index.insert(key.secret_hash.as_slice(), key.id.as_u128())?;
    }
    add_to_store_index(w, tables::API_KEYS_BY_STORE, key.store_id, key.id.as_u128())?;
    save(w, tables::API_KEYS, key.id.as_u128(), key)?;
    w.log(
        key.store_id,
        EntityKind::ApiKey,
        key.id.as_u128(),
        ChangeOp::Created,
    )
}

/// Saves a revoked key. Its secret still finds it, so a request with it is told the
/// key was revoked rather than that it is unknown.
pub fn revoke_key(w: &mut Writer, key: &ApiKey) -> Result<(), StoreError> {
    save(w, tables::API_KEYS, key.id.as_u128(), key)?;
    w.log(
        key.store_id,
        EntityKind::ApiKey,
        key.id.as_u128(),
        ChangeOp::Revoked,
    )
}

/// Saves when and from where a key was last used. Bookkeeping like a session's last
/// request, not a change anyone made, so it writes no change-log entry.
pub fn note_use(w: &mut Writer, key: &ApiKey) -> Result<(), StoreError> {
    save(w, tables::API_KEYS, key.id.as_u128(), key)
}

/// Migration 9: the tables of API keys, made empty so reads never meet a missing one.
pub(super) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::API_KEYS)?;
    tx.open_table(tables::API_KEYS_BY_STORE)?;
    tx.open_table(tables::API_KEYS_BY_HASH)?;
    Ok(())
}
