//! Helpers every repository shares: opening tables from either kind of transaction,
//! loading and saving records, walking a store's index, and per-store counters.

use std::ops::Bound;

use redb::{Key, ReadableTable, TableDefinition, Value};

use super::codec::{Record, decode, encode};
use super::tables::{self, RecordTable, StoreIndex};
use super::{Reader, StoreError, Writer};
use crate::domain::StoreId;

/// Opens tables for reading from a read or a write transaction, so the same read
/// functions serve request handling and read-modify-write inside a write transaction.
pub trait Tables {
    type Table<'a, K: Key + 'static, V: Value + 'static>: ReadableTable<K, V>
    where
        Self: 'a;

    fn open<'a, K: Key + 'static, V: Value + 'static>(
        &'a self,
        def: TableDefinition<'static, K, V>,
    ) -> Result<Self::Table<'a, K, V>, StoreError>;
}

impl Tables for Reader {
    type Table<'a, K: Key + 'static, V: Value + 'static> = redb::ReadOnlyTable<K, V>;

    fn open<'a, K: Key + 'static, V: Value + 'static>(
        &'a self,
        def: TableDefinition<'static, K, V>,
    ) -> Result<Self::Table<'a, K, V>, StoreError> {
        Ok(self.tx.open_table(def)?)
    }
}

impl Tables for Writer {
    type Table<'a, K: Key + 'static, V: Value + 'static> = redb::Table<'a, K, V>;

    fn open<'a, K: Key + 'static, V: Value + 'static>(
        &'a self,
        def: TableDefinition<'static, K, V>,
    ) -> Result<Self::Table<'a, K, V>, StoreError> {
        Ok(self.tx.open_table(def)?)
    }
}

pub(crate) fn load<R: Record>(
    tx: &impl Tables,
    def: RecordTable,
    id: u128,
) -> Result<Option<R>, StoreError> {
    let table = tx.open(def)?;
    let found = table.get(id)?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

/// Writes `record` under `id`, noting for its change-log entry which fields changed:
/// the record as it was comes back from the same insert (no extra look-up) and is
/// compared with the new one. Records that keep secrets note nothing.
pub(crate) fn save<R: Record>(
    w: &mut Writer,
    def: RecordTable,
    id: u128,
    record: &R,
) -> Result<(), StoreError> {
    let bytes = encode(record)?;
    let previous = {
        let mut table = w.tx.open_table(def)?;
        table
            .insert(id, bytes.as_slice())?
            .map(|old| old.value().to_vec())
    };
    let before: Option<R> = match previous {
        Some(old) if !R::KEEPS_SECRETS => Some(decode(&old)?),
        _ => None,
    };
    note_diff(w, id, before.as_ref(), record);
    Ok(())
}

/// Writes a new record `record` under `id` that takes the place of `earlier` (a rate
/// that replaces the one in force), noting its fields against that one.
pub(crate) fn save_in_place_of<R: Record>(
    w: &mut Writer,
    def: RecordTable,
    id: u128,
    record: &R,
    earlier: Option<&R>,
) -> Result<(), StoreError> {
    let bytes = encode(record)?;
    w.tx.open_table(def)?.insert(id, bytes.as_slice())?;
    note_diff(w, id, earlier, record);
    Ok(())
}

fn note_diff<R: Record>(w: &mut Writer, id: u128, before: Option<&R>, after: &R) {
    if !R::KEEPS_SECRETS {
        w.keep_diff(id, super::field_diff::diff(before, after));
    }
}

/// Ids of one store's records from a `(store, id)` index, newest first or oldest first.
pub(crate) fn store_ids(
    tx: &impl Tables,
    def: StoreIndex,
    store: StoreId,
    newest_first: bool,
) -> Result<Vec<u128>, StoreError> {
    let table = tx.open(def)?;
    let s = store.as_u128();
    let ids = table
        .range((s, 0)..=(s, u128::MAX))?
        .map(|entry| Ok(entry?.0.value().1));
    if newest_first {
        ids.rev().collect()
    } else {
        ids.collect()
    }
}

/// Moves a record between a store's live index and its removed index.
pub(crate) fn move_between_indexes(
    w: &Writer,
    from: StoreIndex,
    to: StoreIndex,
    store: StoreId,
    id: u128,
) -> Result<(), StoreError> {
    w.tx.open_table(from)?.remove((store.as_u128(), id))?;
    w.tx.open_table(to)?.insert((store.as_u128(), id), ())?;
    Ok(())
}

/// A store's ids from a `(store, id)` index, newest first or oldest first, read lazily.
pub(crate) fn store_range<'t>(
    table: &'t impl ReadableTable<(u128, u128), ()>,
    store: StoreId,
    newest_first: bool,
) -> Result<Box<dyn Iterator<Item = Result<u128, StoreError>> + 't>, StoreError> {
    let ids = store_range_after(table, store, newest_first, None)?;
    Ok(Box::new(ids.map(|entry| Ok(entry?.1))))
}

/// A store's ids from a `(store, key, id)` order index, ascending or descending.
pub(crate) fn order_range<'t>(
    table: &'t impl ReadableTable<(u128, &'static str, u128), ()>,
    store: StoreId,
    descending: bool,
) -> Result<Box<dyn Iterator<Item = Result<u128, StoreError>> + 't>, StoreError> {
    let ids = order_range_after(table, store, descending, None)?;
    Ok(Box::new(ids.map(|entry| Ok(entry?.1))))
}

/// Where a walk through an index stopped: the key of the last entry read, so the next
/// page starts just past it without counting its way through the pages before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPosition {
    /// In a `(store, id)` index.
    Id(u128),
    /// In a `(store, key, id)` order index.
    Key(String, u128),
}

/// A page of a walk through a list: its items, and where to go on from when the page
/// is full (more may follow).
#[derive(Debug, Clone)]
pub struct Walked<T> {
    pub items: Vec<T>,
    pub next: Option<IndexPosition>,
}

/// Entries of an index with their positions, read lazily.
pub(crate) type Positioned<'t> =
    Box<dyn Iterator<Item = Result<(IndexPosition, u128), StoreError>> + 't>;

/// Like [`store_range`], starting just past `after` (in the walk's direction) and
/// saying where each id sits.
pub(crate) fn store_range_after<'t>(
    table: &'t impl ReadableTable<(u128, u128), ()>,
    store: StoreId,
    newest_first: bool,
    after: Option<u128>,
) -> Result<Positioned<'t>, StoreError> {
    let s = store.as_u128();
    let (low, high) = match (after, newest_first) {
        (None, _) => (Bound::Included((s, 0)), Bound::Included((s, u128::MAX))),
        (Some(id), false) => (Bound::Excluded((s, id)), Bound::Included((s, u128::MAX))),
        (Some(id), true) => (Bound::Included((s, 0)), Bound::Excluded((s, id))),
    };
    let ids = table.range((low, high))?.map(|entry| {
        let id = entry?.0.value().1;
        Ok((IndexPosition::Id(id), id))
    });
    Ok(if newest_first {
        Box::new(ids.rev())
    } else {
        Box::new(ids)
    })
}

/// Like [`order_range`], starting just past `after` (in the walk's direction) and
/// saying where each id sits.
pub(crate) fn order_range_after<'t>(
    table: &'t impl ReadableTable<(u128, &'static str, u128), ()>,
    store: StoreId,
    descending: bool,
    after: Option<(&str, u128)>,
) -> Result<Positioned<'t>, StoreError> {
    let s = store.as_u128();
    // Store ids are UUIDv7, whose top bits are never all ones, so `s + 1` cannot overflow.
    let (low, high) = match (after, descending) {
        (None, _) => (Bound::Included((s, "", 0)), Bound::Excluded((s + 1, "", 0))),
        (Some((key, id)), false) => (
            Bound::Excluded((s, key, id)),
            Bound::Excluded((s + 1, "", 0)),
        ),
        (Some((key, id)), true) => (Bound::Included((s, "", 0)), Bound::Excluded((s, key, id))),
    };
    let ids = table.range((low, high))?.map(|entry| {
        let entry = entry?;
        let (_, key, id) = entry.0.value();
        Ok((IndexPosition::Key(key.to_owned(), id), id))
    });
    Ok(if descending {
        Box::new(ids.rev())
    } else {
        Box::new(ids)
    })
}

pub(crate) fn add_to_store_index(
    w: &Writer,
    def: StoreIndex,
    store: StoreId,
    id: u128,
) -> Result<(), StoreError> {
    w.tx.open_table(def)?.insert((store.as_u128(), id), ())?;
    Ok(())
}

/// Reserves a unique key within a store, or reports who already holds it.
pub(crate) fn claim_unique(
    w: &Writer,
    def: tables::UniqueIndex,
    store: StoreId,
    key: &str,
    id: u128,
    what: &'static str,
) -> Result<(), StoreError> {
    let mut table = w.tx.open_table(def)?;
    let existing = table.get((store.as_u128(), key))?.map(|v| v.value());
    match existing {
        Some(other) if other != id => Err(StoreError::Duplicate {
            what,
            existing: other,
        }),
        _ => {
            table.insert((store.as_u128(), key), id)?;
            Ok(())
        }
    }
}

pub(crate) fn release_unique(
    w: &Writer,
    def: tables::UniqueIndex,
    store: StoreId,
    key: &str,
) -> Result<(), StoreError> {
    w.tx.open_table(def)?.remove((store.as_u128(), key))?;
    Ok(())
}

pub(crate) fn counter(tx: &impl Tables, store: StoreId, name: &str) -> Result<u64, StoreError> {
    let table = tx.open(tables::COUNTERS)?;
    Ok(table
        .get((store.as_u128(), name))?
        .map(|v| v.value())
        .unwrap_or(0))
}

/// Adds `delta` to a counter and returns the new value.
pub(crate) fn bump_counter(
    w: &Writer,
    store: StoreId,
    name: &str,
    delta: i64,
) -> Result<u64, StoreError> {
    let mut table = w.tx.open_table(tables::COUNTERS)?;
    let key = (store.as_u128(), name);
    let current = table.get(key)?.map(|v| v.value()).unwrap_or(0);
    let next = current.saturating_add_signed(delta);
    table.insert(key, next)?;
    Ok(next)
}

/// Decodes a record from a table that is already open (for walking many records).
/// Up to `limit` of a customer's records through a `(store, customer, id)` index,
/// newest first, keeping those `keep` accepts (the caller's scope). A customer has tens
/// of sales, interactions or follow-ups, not thousands.
pub(crate) fn of_customer<R: Record>(
    tx: &impl Tables,
    index: TableDefinition<'static, (u128, u128, u128), ()>,
    records: RecordTable,
    (store, customer): (StoreId, u128),
    limit: usize,
    keep: impl Fn(&R) -> bool,
) -> Result<Vec<R>, StoreError> {
    let index = tx.open(index)?;
    let records = tx.open(records)?;
    let s = store.as_u128();
    let mut out = Vec::new();
    for entry in index
        .range((s, customer, 0)..=(s, customer, u128::MAX))?
        .rev()
    {
        if out.len() == limit {
            break;
        }
        let id = entry?.0.value().2;
        let record: R = decode_from(&records, id)?.ok_or_else(|| {
            StoreError::Codec(format!("a customer index names a missing record {id:x}"))
        })?;
        if keep(&record) {
            out.push(record);
        }
    }
    Ok(out)
}

pub(crate) fn decode_from<R: Record>(
    table: &impl ReadableTable<u128, &'static [u8]>,
    id: u128,
) -> Result<Option<R>, StoreError> {
    let found = table.get(id)?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

/// Keeps an order index in step with a record's sort key.
pub(crate) fn move_in_order_index(
    w: &Writer,
    def: tables::OrderIndex,
    store: StoreId,
    id: u128,
    old_key: Option<&str>,
    new_key: Option<&str>,
) -> Result<(), StoreError> {
    if old_key == new_key {
        return Ok(());
    }
    let mut table = w.tx.open_table(def)?;
    if let Some(old) = old_key {
        table.remove((store.as_u128(), old, id))?;
    }
    if let Some(new) = new_key {
        table.insert((store.as_u128(), new, id), ())?;
    }
    Ok(())
}

/// The key a name sorts under: lower-cased, so "das" and "Das" sit together.
pub(crate) fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

/// The indexes a soft-deletable, listed record (customer, product) keeps in step with
/// it: a unique key (phone, SKU) held only while the record is live, the live and
/// removed id indexes, the name order (live records only) and the live count.
#[derive(Clone, Copy)]
pub(crate) struct Listed {
    pub unique: tables::UniqueIndex,
    pub unique_what: &'static str,
    pub live: StoreIndex,
    pub removed: StoreIndex,
    pub by_name: tables::OrderIndex,
    pub live_counter: &'static str,
}

/// What of a record its [`Listed`] indexes look at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    pub unique_key: &'a str,
    pub name: &'a str,
    pub live: bool,
}

impl Listed {
    pub(crate) fn insert(
        &self,
        w: &Writer,
        store: StoreId,
        id: u128,
        new: Listing<'_>,
    ) -> Result<(), StoreError> {
        claim_unique(w, self.unique, store, new.unique_key, id, self.unique_what)?;
        move_in_order_index(w, self.by_name, store, id, None, Some(&sort_key(new.name)))?;
        add_to_store_index(w, self.live, store, id)?;
        bump_counter(w, store, self.live_counter, 1)?;
        Ok(())
    }

    /// Moves the record's index entries from how it was to how it is: a removed record
    /// gives up its unique key and leaves the live lists; a restored one claims them back.
    pub(crate) fn update(
        &self,
        w: &Writer,
        store: StoreId,
        id: u128,
        old: Listing<'_>,
        new: Listing<'_>,
    ) -> Result<(), StoreError> {
        let old_key = old.live.then_some(old.unique_key);
        let new_key = new.live.then_some(new.unique_key);
        if old_key != new_key {
            if let Some(key) = new_key {
                claim_unique(w, self.unique, store, key, id, self.unique_what)?;
            }
            if let Some(key) = old_key {
                release_unique(w, self.unique, store, key)?;
            }
        }
        let old_name = old.live.then(|| sort_key(old.name));
        let new_name = new.live.then(|| sort_key(new.name));
        move_in_order_index(
            w,
            self.by_name,
            store,
            id,
            old_name.as_deref(),
            new_name.as_deref(),
        )?;
        match (old.live, new.live) {
            (true, false) => {
                move_between_indexes(w, self.live, self.removed, store, id)?;
                bump_counter(w, store, self.live_counter, -1)?;
            }
            (false, true) => {
                move_between_indexes(w, self.removed, self.live, store, id)?;
                bump_counter(w, store, self.live_counter, 1)?;
            }
            _ => {}
        }
        Ok(())
    }
}
