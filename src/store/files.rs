//! Stored files' records (product photos, customer documents, the logo), the index of
//! each owner's files, the index of blobs in use, and the views of customer documents
//! kept for the timeline.
//!
//! The blobs themselves are on disk (`blobs`); a record is committed only after its
//! blobs are, and [`contents_in_use`] tells the clean-up which blobs to keep.

use std::collections::HashSet;

use redb::{ReadableTable, WriteTransaction};

use super::codec::{decode, encode};
use super::repo::{Tables, decode_from};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{ContentHash, CustomerId, FileId, FileOwner, FileView, StoreId, StoredFile};

pub(super) fn create_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::FILES)?;
    tx.open_table(tables::FILES_BY_OWNER)?;
    tx.open_table(tables::FILES_BY_CONTENT)?;
    tx.open_table(tables::FILE_VIEWS)?;
    Ok(())
}

/// A file of the scope's store; `None` for another store's.
pub fn file(tx: &impl Tables, scope: &Scope, id: FileId) -> Result<Option<StoredFile>, StoreError> {
    let table = tx.open(tables::FILES)?;
    let found: Option<StoredFile> = decode_from(&table, id.as_u128())?;
    Ok(found.filter(|f| f.store_id == scope.store_id()))
}

/// An owner's files, oldest first (the order they were added).
pub fn files_of(
    tx: &impl Tables,
    store: StoreId,
    owner: FileOwner,
) -> Result<Vec<StoredFile>, StoreError> {
    let index = tx.open(tables::FILES_BY_OWNER)?;
    let records = tx.open(tables::FILES)?;
    let (s, o) = (store.as_u128(), owner.key(store));
    let mut out = Vec::new();
    for entry in index.range((s, o, 0)..=(s, o, u128::MAX))? {
        let id = entry?.0.value().2;
        if let Some(file) = decode_from::<StoredFile>(&records, id)? {
            out.push(file);
        }
    }
    Ok(out)
}

/// The files of a blob in the scope's store: who may be shown it decides from these.
pub fn files_with_content(
    tx: &impl Tables,
    scope: &Scope,
    content: ContentHash,
) -> Result<Vec<StoredFile>, StoreError> {
    let index = tx.open(tables::FILES_BY_CONTENT)?;
    let records = tx.open(tables::FILES)?;
    let key: &[u8] = content.as_bytes();
    let mut out = Vec::new();
    for entry in index.range((key, 0)..=(key, u128::MAX))? {
        let id = entry?.0.value().1;
        if let Some(file) = decode_from::<StoredFile>(&records, id)?
            && file.store_id == scope.store_id()
        {
            out.push(file);
        }
    }
    Ok(out)
}

/// Saves a file record (new or changed), with its indexes and change-log entry.
pub fn save_file(
    w: &mut Writer,
    old: Option<&StoredFile>,
    file: &StoredFile,
) -> Result<(), StoreError> {
    let id = file.id.as_u128();
    super::repo::save(w, tables::FILES, id, file)?;
    if let Some(old) = old {
        unindex(w, old)?;
    }
    index(w, file)?;
    let op = if old.is_some() {
        ChangeOp::Updated
    } else {
        ChangeOp::Created
    };
    w.log(file.store_id, EntityKind::File, id, op)
}

/// Forgets a file record; its blobs go at the next clean-up unless another record
/// uses them.
pub fn remove_file(w: &mut Writer, file: &StoredFile) -> Result<(), StoreError> {
    let id = file.id.as_u128();
    w.tx.open_table(tables::FILES)?.remove(id)?;
    unindex(w, file)?;
    w.log(file.store_id, EntityKind::File, id, ChangeOp::Deleted)
}

fn index(w: &Writer, file: &StoredFile) -> Result<(), StoreError> {
    let (s, id) = (file.store_id.as_u128(), file.id.as_u128());
    w.tx.open_table(tables::FILES_BY_OWNER)?
        .insert((s, file.owner.key(file.store_id), id), ())?;
    let mut by_content = w.tx.open_table(tables::FILES_BY_CONTENT)?;
    for content in file.contents() {
        by_content.insert((content.as_bytes().as_slice(), id), ())?;
    }
    Ok(())
}

fn unindex(w: &Writer, file: &StoredFile) -> Result<(), StoreError> {
    let (s, id) = (file.store_id.as_u128(), file.id.as_u128());
    w.tx.open_table(tables::FILES_BY_OWNER)?
        .remove((s, file.owner.key(file.store_id), id))?;
    let mut by_content = w.tx.open_table(tables::FILES_BY_CONTENT)?;
    for content in file.contents() {
        by_content.remove((content.as_bytes().as_slice(), id))?;
    }
    Ok(())
}

/// Every blob some record uses, in any store.
pub fn contents_in_use(tx: &impl Tables) -> Result<HashSet<ContentHash>, StoreError> {
    let index = tx.open(tables::FILES_BY_CONTENT)?;
    let mut wanted = HashSet::new();
    for entry in index.iter()? {
        let (key, _) = entry?;
        let bytes: [u8; 32] = key
            .value()
            .0
            .try_into()
            .map_err(|_| StoreError::Codec("a content hash is not 32 bytes".into()))?;
        wanted.insert(ContentHash::from_bytes(bytes));
    }
    Ok(wanted)
}

/// Keeps a view or download of a customer's document for the timeline and the audit
/// trail.
pub fn record_view(w: &mut Writer, store: StoreId, view: &FileView) -> Result<(), StoreError> {
    let key = (
        store.as_u128(),
        view.customer_id.as_u128(),
        FileId::new().as_u128(),
    );
    w.tx.open_table(tables::FILE_VIEWS)?
        .insert(key, encode(view)?.as_slice())?;
    w.log(
        store,
        EntityKind::File,
        view.file_id.as_u128(),
        ChangeOp::Viewed,
    )
}

/// A customer's document views, newest first, at most `limit`.
pub fn views_of_customer(
    tx: &impl Tables,
    store: StoreId,
    customer: CustomerId,
    limit: usize,
) -> Result<Vec<FileView>, StoreError> {
    let table = tx.open(tables::FILE_VIEWS)?;
    let (s, c) = (store.as_u128(), customer.as_u128());
    let mut out = Vec::new();
    for entry in table
        .range((s, c, 0)..=(s, c, u128::MAX))?
        .rev()
        .take(limit)
    {
        out.push(decode(entry?.1.value())?);
    }
    Ok(out)
}
