//! Import batches, the records each one wrote, and the column mappings kept by name.
//!
//! A batch is bookkeeping about changes, not a change itself: the customers and
//! products it writes get their own change-log entries, and the batch keeps the range
//! of them. What the rows become is decided in `app::imports`.

use redb::{ReadableTable, WriteTransaction};

use super::codec::{decode, encode};
use super::repo::{Tables, decode_from};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{ImportBatch, ImportId, ImportItem, ImportKind, SavedMapping, StoreId};

pub(super) fn create_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::IMPORTS)?;
    tx.open_table(tables::IMPORTS_BY_STORE)?;
    tx.open_table(tables::IMPORT_ITEMS)?;
    tx.open_table(tables::IMPORT_MAPPINGS)?;
    Ok(())
}

/// Saves a batch as it now stands (new or changed), with its change-log entry.
pub fn save_batch(w: &mut Writer, batch: &ImportBatch) -> Result<(), StoreError> {
    let (store, id) = (batch.store_id.as_u128(), batch.id.as_u128());
    let earlier =
        w.tx.open_table(tables::IMPORTS)?
            .insert(id, encode(batch)?.as_slice())?
            .is_some();
    w.tx.open_table(tables::IMPORTS_BY_STORE)?
        .insert((store, id), ())?;
    let op = if earlier {
        ChangeOp::Updated
    } else {
        ChangeOp::Created
    };
    w.log(batch.store_id, EntityKind::Import, id, op)
}

/// Forgets a batch that was never written (a draft given up).
pub fn remove_batch(w: &mut Writer, batch: &ImportBatch) -> Result<(), StoreError> {
    let (store, id) = (batch.store_id.as_u128(), batch.id.as_u128());
    w.tx.open_table(tables::IMPORTS)?.remove(id)?;
    w.tx.open_table(tables::IMPORTS_BY_STORE)?
        .remove((store, id))?;
    w.log(batch.store_id, EntityKind::Import, id, ChangeOp::Deleted)
}

/// A batch of the scope's store; `None` for another store's.
pub fn batch(
    tx: &impl Tables,
    scope: &Scope,
    id: ImportId,
) -> Result<Option<ImportBatch>, StoreError> {
    let table = tx.open(tables::IMPORTS)?;
    let found: Option<ImportBatch> = decode_from(&table, id.as_u128())?;
    Ok(found.filter(|b| b.store_id == scope.store_id()))
}

/// The store's newest batches first, at most `limit`.
pub fn batches(
    tx: &impl Tables,
    scope: &Scope,
    limit: usize,
) -> Result<Vec<ImportBatch>, StoreError> {
    let index = tx.open(tables::IMPORTS_BY_STORE)?;
    let records = tx.open(tables::IMPORTS)?;
    let s = scope.store_id().as_u128();
    let mut out = Vec::new();
    for entry in index.range((s, 0)..=(s, u128::MAX))?.rev().take(limit) {
        let id = entry?.0.value().1;
        if let Some(batch) = decode_from::<ImportBatch>(&records, id)? {
            out.push(batch);
        }
    }
    Ok(out)
}

/// Every batch of every store left in a running state: after a crash or a stop, the
/// server finishes what they were doing (a commit is rolled back, an undo completed).
pub fn unfinished_batches(tx: &impl Tables) -> Result<Vec<ImportBatch>, StoreError> {
    let table = tx.open(tables::IMPORTS)?;
    let mut out = Vec::new();
    for entry in table.iter()? {
        let batch: ImportBatch = decode(entry?.1.value())?;
        if batch.state.is_running() {
            out.push(batch);
        }
    }
    Ok(out)
}

/// Keeps item `n` of a batch.
pub fn put_item(
    w: &mut Writer,
    batch: ImportId,
    n: u32,
    item: &ImportItem,
) -> Result<(), StoreError> {
    w.tx.open_table(tables::IMPORT_ITEMS)?
        .insert((batch.as_u128(), n), encode(item)?.as_slice())?;
    Ok(())
}

/// Forgets item `n` of a batch (once undone).
pub fn remove_item(w: &mut Writer, batch: ImportId, n: u32) -> Result<(), StoreError> {
    w.tx.open_table(tables::IMPORT_ITEMS)?
        .remove((batch.as_u128(), n))?;
    Ok(())
}

/// Up to `limit` of a batch's items, last written first, from before `before` (all of
/// them when `None`): undo takes records back in the reverse order they were written.
pub fn items_before(
    tx: &impl Tables,
    batch: ImportId,
    before: Option<u32>,
    limit: usize,
) -> Result<Vec<(u32, ImportItem)>, StoreError> {
    let table = tx.open(tables::IMPORT_ITEMS)?;
    let b = batch.as_u128();
    let end = before.unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(limit.min(4096));
    for entry in table.range((b, 0)..(b, end))?.rev().take(limit) {
        let (key, value) = entry?;
        out.push((key.value().1, decode(value.value())?));
    }
    Ok(out)
}

/// How many items a batch keeps.
pub fn item_count(tx: &impl Tables, batch: ImportId) -> Result<u32, StoreError> {
    let table = tx.open(tables::IMPORT_ITEMS)?;
    let b = batch.as_u128();
    let last = table
        .range((b, 0)..=(b, u32::MAX))?
        .next_back()
        .transpose()?;
    Ok(last.map_or(0, |(key, _)| key.value().1.saturating_add(1)))
}

fn kind_key(kind: ImportKind) -> u8 {
    match kind {
        ImportKind::Customers => 0,
        ImportKind::Products => 1,
    }
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Keeps a mapping under its name, replacing one of the same name and kind.
pub fn save_mapping(
    w: &mut Writer,
    store: StoreId,
    mapping: &SavedMapping,
) -> Result<(), StoreError> {
    let key = name_key(&mapping.name);
    w.tx.open_table(tables::IMPORT_MAPPINGS)?.insert(
        (store.as_u128(), kind_key(mapping.kind), key.as_str()),
        encode(mapping)?.as_slice(),
    )?;
    Ok(())
}

/// The mapping of `kind` kept as `name` (in any letter case).
pub fn mapping(
    tx: &impl Tables,
    scope: &Scope,
    kind: ImportKind,
    name: &str,
) -> Result<Option<SavedMapping>, StoreError> {
    let table = tx.open(tables::IMPORT_MAPPINGS)?;
    let key = name_key(name);
    let found = table.get((scope.store_id().as_u128(), kind_key(kind), key.as_str()))?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

/// The store's mappings of `kind`, by name.
pub fn mappings(
    tx: &impl Tables,
    scope: &Scope,
    kind: ImportKind,
) -> Result<Vec<SavedMapping>, StoreError> {
    let table = tx.open(tables::IMPORT_MAPPINGS)?;
    let (s, k) = (scope.store_id().as_u128(), kind_key(kind));
    let mut out = Vec::new();
    for entry in table.range((s, k, "")..(s, k + 1, ""))? {
        out.push(decode(entry?.1.value())?);
    }
    Ok(out)
}
