//! The change log: one entry per mutation, written in the mutation's own transaction.
//!
//! Followers (search index, live events, audit view, backups) read entries by sequence
//! number and re-read the record they name, so they can only ever see committed data,
//! and after a crash they resume from the last sequence they applied.

use std::net::IpAddr;

use jiff::Timestamp;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::codec::{decode, encode};
use super::{Reader, StoreError, tables};
use crate::domain::{FloorId, StoreId, UserId};

/// What kind of record a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    Store,
    Floor,
    User,
    Session,
    Category,
    Product,
    Customer,
    Interaction,
    FollowUp,
    Sale,
    Preference,
    Rate,
    /// An integration's API key (appended last, so older entries still decode).
    ApiKey,
    /// A notification for a person, a floor or the admins (appended last).
    Notification,
    /// An import batch: drawn up, written, undone or given up (appended last). The
    /// customers and products it writes have entries of their own.
    Import,
    /// A merge of two customers' records into one, or its undoing (appended last).
    CustomerMerge,
    /// A stored file (a product photo, a customer document, the logo), or a view of a
    /// customer document (appended last).
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
    Restored,
    /// A sign-in or a password change: recorded for the audit trail.
    SignedIn,
    SignedOut,
    PasswordChanged,
    /// An API key was revoked (appended last, so older entries still decode).
    Revoked,
    /// A customer document was opened or downloaded (appended last).
    Viewed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    #[serde(with = "crate::domain::time_micros")]
    pub at: Timestamp,
    pub store_id: StoreId,
    /// Who made the change; `None` for the command line and migrations.
    pub actor: Option<UserId>,
    pub kind: EntityKind,
    pub id: u128,
    pub op: ChangeOp,
}

/// Where a change came from, kept beside its change-log entry for the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The client's address as the server saw it, when the change came over the network.
    pub address: Option<IpAddr>,
    /// The browser or program that signed in, as it named itself.
    pub device: String,
    /// The integration key the change was made with, when not a person's session.
    pub api_key: Option<u128>,
}

/// Who writes a transaction, and from where; the change log records both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    /// `None` for the command line and migrations.
    pub user: Option<UserId>,
    pub origin: Option<Origin>,
}

impl From<Option<UserId>> for Author {
    fn from(user: Option<UserId>) -> Self {
        Self { user, origin: None }
    }
}

/// What the audit trail knows about a change beyond its log entry; stored under the
/// same sequence number, only for changes that have something to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDetails {
    pub origin: Option<Origin>,
    /// The floor the changed record belongs to, as it was saved (kept at write time, so
    /// the trail can be filtered by floor without reading every record back, and shows
    /// the floor a record had when it changed, even if it moved later).
    pub floor: Option<FloorId>,
    /// The record's fields that the change set or altered, in the record's own order.
    pub fields: Vec<FieldChange>,
    /// How many more fields changed than are kept in `fields`.
    pub more_fields: u32,
}

/// One field of a record before and after a change, as plain text (`None`: empty or
/// absent). Secrets read "changed", never their value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Where the field sits in the record: `fixed_price`, `lines[0].discount`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Change details as version 1 kept them: where the change came from, nothing more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDetailsV1 {
    pub origin: Option<Origin>,
}

impl From<ChangeDetailsV1> for ChangeDetails {
    fn from(v1: ChangeDetailsV1) -> Self {
        Self {
            origin: v1.origin,
            ..Self::default()
        }
    }
}

impl ChangeDetails {
    fn is_empty(&self) -> bool {
        self.origin.is_none() && self.floor.is_none() && self.fields.is_empty()
    }
}

/// Appends an entry after the last one, inside the caller's write transaction.
pub(super) fn append(tx: &redb::WriteTransaction, mut change: Change) -> Result<u64, StoreError> {
    let mut table = tx.open_table(tables::CHANGES)?;
    let seq = match table.last()? {
        Some((key, _)) => key.value() + 1,
        None => 1,
    };
    change.seq = seq;
    table.insert(seq, encode(&change)?.as_slice())?;
    Ok(seq)
}

/// Keeps `details` under the entry `seq`, inside the caller's write transaction.
pub(super) fn append_details(
    tx: &redb::WriteTransaction,
    seq: u64,
    details: &ChangeDetails,
) -> Result<(), StoreError> {
    if details.is_empty() {
        return Ok(());
    }
    let mut table = tx.open_table(tables::CHANGE_DETAILS)?;
    table.insert(seq, encode(details)?.as_slice())?;
    Ok(())
}

impl Reader {
    /// Up to `limit` entries after `after`, oldest first.
    pub fn changes_after(&self, after: u64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let table = self.tx.open_table(tables::CHANGES)?;
        let mut out = Vec::new();
        for entry in table.range(after.saturating_add(1)..)?.take(limit) {
            let (_, value) = entry?;
            out.push(decode(value.value())?);
        }
        Ok(out)
    }

    /// Up to `limit` entries before `before` (all of them when it is past the end),
    /// newest first: how the audit trail reads the log.
    pub fn changes_before(&self, before: u64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let table = self.tx.open_table(tables::CHANGES)?;
        let mut out = Vec::new();
        for entry in table.range(..before)?.rev().take(limit) {
            let (_, value) = entry?;
            out.push(decode(value.value())?);
        }
        Ok(out)
    }

    /// The sequence number of the first entry made at or after `at` (one past the last
    /// entry when none was), found by halving: entries are appended in time order, so
    /// a day's entries start where this says, without reading the ones after them.
    pub fn first_change_at_or_after(&self, at: Timestamp) -> Result<u64, StoreError> {
        let table = self.tx.open_table(tables::CHANGES)?;
        let mut low = table.first()?.map(|(k, _)| k.value()).unwrap_or(1);
        let mut high = table.last()?.map(|(k, _)| k.value() + 1).unwrap_or(low);
        while low < high {
            let middle = low + (high - low) / 2;
            // Sequence numbers have no gaps, but a missing one would read as "later".
            let made = match table.get(middle)? {
                Some(bytes) => decode::<Change>(bytes.value())?.at,
                None => Timestamp::MAX,
            };
            if made < at {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        Ok(low)
    }

    /// What the audit trail keeps about change `seq` beyond its log entry (empty when
    /// it kept nothing: changes from the command line, or from before it was kept).
    pub fn change_details(&self, seq: u64) -> Result<ChangeDetails, StoreError> {
        let table = self.tx.open_table(tables::CHANGE_DETAILS)?;
        let found = table.get(seq)?;
        Ok(found
            .map(|bytes| decode(bytes.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// The sequence number of the newest entry, 0 when the log is empty.
    pub fn last_change_seq(&self) -> Result<u64, StoreError> {
        let table = self.tx.open_table(tables::CHANGES)?;
        Ok(table.last()?.map(|(k, _)| k.value()).unwrap_or(0))
    }
}
