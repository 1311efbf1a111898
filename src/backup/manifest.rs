//! The manifest: the small plain JSON object written next to each encrypted payload,
//! last, so a backup exists only once it is whole. It names no customer: ids, times,
//! versions, counts per table and the payload's size and SHA-256. The hashes of the
//! parts themselves travel inside the encryption.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::archive::{Contents, FORMAT_VERSION};

/// Names of the two objects of a backup, under `<prefix>/backups/<id>/`.
pub const PAYLOAD_OBJECT: &str = "payload.age";
pub const MANIFEST_OBJECT: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Snapshot format ([`FORMAT_VERSION`]).
    pub format: u16,
    /// Sorts by time: `20261125T043000Z-1a2b`.
    pub id: String,
    pub created_at: Timestamp,
    /// The Sarkar CRM version that took it.
    pub app_version: String,
    /// The store's name, to tell backups of several shops apart in one bucket.
    pub store: String,
    /// The database schema version; a restore migrates it forward like an upgrade.
    pub schema_version: u64,
    /// The newest change in the snapshot.
    pub last_change: u64,
    /// Entries per table and bytes per stored file.
    pub counts: BTreeMap<String, u64>,
    /// Size and SHA-256 of the encrypted payload as uploaded.
    pub payload_bytes: u64,
    pub payload_sha256: String,
    pub compression: String,
    pub encryption: String,
}

impl Manifest {
    pub(super) fn new(
        contents: &Contents,
        created_at: Timestamp,
        store: String,
        schema_version: u64,
        last_change: u64,
        payload_bytes: u64,
        payload_sha256: String,
    ) -> Self {
        Self {
            format: FORMAT_VERSION,
            id: contents.id.clone(),
            created_at,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            store,
            schema_version,
            last_change,
            counts: contents
                .parts
                .iter()
                .map(|p| (p.name.clone(), p.count))
                .collect(),
            payload_bytes,
            payload_sha256,
            compression: "zstd".into(),
            encryption: "age (X25519)".into(),
        }
    }

    /// Records in the store's tables (not indexes): what a person would call its size.
    pub fn count(&self, table: &str) -> u64 {
        self.counts.get(table).copied().unwrap_or(0)
    }
}

/// A new backup id for `at`: the UTC time to the second, and a random tail so two
/// backups in the same second still differ.
pub fn new_id(at: Timestamp) -> String {
    let tail: u16 = rand::random();
    format!("{}-{tail:04x}", at.strftime("%Y%m%dT%H%M%SZ"))
}

/// Whether `id` has the shape [`new_id`] makes (so it is safe in a path).
pub fn is_backup_id(id: &str) -> bool {
    id.len() == 21
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            16 => b == b'-',
            17..=20 => b.is_ascii_hexdigit(),
            _ => b.is_ascii_digit(),
        })
}
