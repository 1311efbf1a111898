//! The change log: one entry per mutation, written in the mutation's own transaction.
//!
//! Followers (search index, live events, audit view, backups) read entries by sequence
//! number and re-read the record they name, so they can only ever see committed data,
//! and after a crash they resume from the last sequence they applied.

use jiff::Timestamp;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::codec::{decode, encode};
use super::{Reader, StoreError, tables};
use crate::domain::{StoreId, UserId};

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

    /// The sequence number of the newest entry, 0 when the log is empty.
    pub fn last_change_seq(&self) -> Result<u64, StoreError> {
        let table = self.tx.open_table(tables::CHANGES)?;
        Ok(table.last()?.map(|(k, _)| k.value()).unwrap_or(0))
    }
}
