//! Encrypted backups: a logical snapshot of every table (and the stored files) from one
//! read transaction, compressed with zstd, encrypted with age to the owner's public
//! keys, queued on the box and uploaded to S3-compatible buckets or folders; listing,
//! retention, verifying and restoring.
//!
//! It reads the database through `store::export` only; it knows nothing of HTTP or of
//! the pages that show its status.

mod archive;
pub mod commands;
mod destination;
mod keys;
mod manifest;
mod restore;
mod retention;
mod schedule;
mod service;
mod snapshot;
mod state;

pub use archive::{Contents, PartInfo, PartKind};
pub use destination::{Listing, Remote, Uploaded};
pub use keys::{Identities, RecoveryKey, generate as generate_key, identity_file};
pub use manifest::{MANIFEST_OBJECT, Manifest, PAYLOAD_OBJECT};
pub use restore::{fetch_and_unpack, unpack};
pub use retention::Keep;
pub use service::{Backups, RunEvent, RunReport};
pub use snapshot::{Snapshot, SnapshotSource, Step, take as take_snapshot};
pub use state::{BackupStatus, DestinationStatus, State, Success, read_state, status};

use std::path::Path;

use crate::store::export::ExportError;

/// The folder in the data directory that holds the backup state and the local queue.
pub const BACKUP_DIR: &str = "backups";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backups are not set up: add `recipients` and a [[backup.destination]] to the [backup] section of the configuration (see `sarkar-crm print-default-config`)"
    )]
    NotConfigured,
    #[error(
        "backup.recipients is empty: run `sarkar-crm backup keygen` and add the age1… key it prints"
    )]
    NoRecipients,
    #[error("cannot encrypt the backup: {0}")]
    Encrypt(String),
    #[error("cannot use the identity file {path}: {message}")]
    Identity { path: String, message: String },
    #[error("the passphrase {0}")]
    Passphrase(String),
    #[error(
        "backup {id} was not encrypted to this key: use the recovery key whose public key (age1…) was in backup.recipients when it was taken"
    )]
    WrongIdentity { id: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the database for the snapshot: {0}")]
    Export(#[from] ExportError),
    #[error("backup destination `{name}`: {message}")]
    Destination { name: String, message: String },
    #[error(
        "backup {id} is not in destination `{destination}`; `sarkar-crm backup list` shows what is"
    )]
    NoSuchBackup { destination: String, id: String },
    #[error("destination `{destination}` holds no finished backup yet")]
    NoBackups { destination: String },
    #[error("backup {id} failed verification: {message}")]
    Invalid { id: String, message: String },
    #[error("cannot restore: {0}")]
    Restore(String),
    #[error("{0}")]
    Internal(String),
}

impl BackupError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn remote(name: &str, error: object_store::Error) -> Self {
        Self::Destination {
            name: name.to_owned(),
            message: describe_remote(&error),
        }
    }
}

/// object_store's messages carry the whole chain; the first line says what happened.
fn describe_remote(error: &object_store::Error) -> String {
    match error {
        object_store::Error::NotFound { path, .. } => format!("{path} was not found"),
        object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => {
            format!("the credentials were refused ({error})")
        }
        other => other.to_string(),
    }
}
