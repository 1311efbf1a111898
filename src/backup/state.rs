//! What the box remembers about its backups (`backups/state.json`): the last snapshot,
//! each destination's last success and failure, and the snapshots queued for upload.
//! [`status`] turns it and the configuration into what the admin page, `/metrics` and
//! `doctor` show; it needs no database, so `doctor` reads it with the server stopped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{BACKUP_DIR, BackupError, schedule};
use crate::config::{Config, Target};

const STATE_FILE: &str = "state.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// When the newest snapshot was taken (whether or not it is uploaded yet).
    pub last_snapshot: Option<Timestamp>,
    /// Why the last attempt to take a snapshot failed, until one succeeds.
    #[serde(default)]
    pub snapshot_error: Option<String>,
    #[serde(default)]
    pub destinations: BTreeMap<String, DestinationState>,
    /// Snapshots on the box waiting to be uploaded, oldest first.
    #[serde(default)]
    pub queue: Vec<Queued>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationState {
    pub last_success: Option<Success>,
    pub last_attempt: Option<Timestamp>,
    /// Why the last upload failed; cleared by a success.
    pub last_error: Option<String>,
    /// Uploads failed in a row; the wait before the next try doubles with each.
    pub failures: u32,
    pub retry_at: Option<Timestamp>,
}

/// The newest backup known to be whole in a destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    pub id: String,
    /// When its snapshot was taken: what the data is as of.
    pub taken_at: Timestamp,
    pub uploaded_at: Timestamp,
    /// Size of the encrypted payload.
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub id: String,
    pub taken_at: Timestamp,
    /// Destinations it still has to reach.
    pub pending: Vec<String>,
}

pub(super) fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUP_DIR)
}

/// Reads the state file; a box that never backed up has an empty state.
pub fn read_state(data_dir: &Path) -> Result<State, BackupError> {
    let path = backup_dir(data_dir).join(STATE_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            BackupError::io(
                &path,
                std::io::Error::other(format!(
                    "not a backup state file ({e}); delete it to start afresh"
                )),
            )
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(err) => Err(BackupError::io(&path, err)),
    }
}

pub(super) fn write_state(data_dir: &Path, state: &State) -> Result<(), BackupError> {
    let dir = backup_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| BackupError::io(&dir, e))?;
    let bytes = serde_json::to_vec_pretty(state).expect("the state serialises");
    super::snapshot::write_atomically(&dir.join(STATE_FILE), &bytes)
}

/// Everything the admin page shows about backups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupStatus {
    /// Whether any destination is configured.
    pub configured: bool,
    pub recipients: usize,
    pub last_snapshot: Option<Timestamp>,
    pub snapshot_error: Option<String>,
    /// When the next snapshot is due (in the past: now, or at the server's next start).
    pub next_due: Option<Timestamp>,
    /// Snapshots waiting on the box to be uploaded.
    pub queued: usize,
    pub warn_after_hours: u32,
    pub destinations: Vec<DestinationStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationStatus {
    pub name: String,
    /// Where it is (bucket and endpoint, or folder); never credentials.
    pub place: String,
    pub last_success: Option<Success>,
    pub last_attempt: Option<Timestamp>,
    pub last_error: Option<String>,
    pub retry_at: Option<Timestamp>,
    /// Snapshots on the box not yet uploaded here.
    pub waiting: usize,
    /// No success yet, or the last is older than `backup.warn_after_hours`.
    pub overdue: bool,
}

impl BackupStatus {
    /// Whether any destination is overdue.
    pub fn any_overdue(&self) -> bool {
        self.destinations.iter().any(|d| d.overdue)
    }
}

/// Where a destination is, for people.
pub fn describe(target: &Target) -> String {
    match target {
        Target::Dir { path } => format!("folder {}", path.display()),
        Target::S3(s3) => {
            let at = s3.endpoint.as_deref().unwrap_or("AWS S3");
            if s3.prefix.is_empty() {
                format!("bucket {} at {at}", s3.bucket)
            } else {
                format!("bucket {}/{} at {at}", s3.bucket, s3.prefix)
            }
        }
    }
}

pub fn status(config: &Config, state: &State, now: Timestamp) -> BackupStatus {
    let backup = &config.backup;
    let limit = SignedDuration::from_hours(i64::from(backup.warn_after_hours));
    let destinations = backup
        .destination
        .iter()
        .map(|destination| {
            let remembered = state
                .destinations
                .get(&destination.name)
                .cloned()
                .unwrap_or_default();
            let overdue = remembered
                .last_success
                .as_ref()
                .is_none_or(|s| now.duration_since(s.taken_at) > limit);
            DestinationStatus {
                name: destination.name.clone(),
                place: describe(&destination.target),
                waiting: state
                    .queue
                    .iter()
                    .filter(|q| q.pending.contains(&destination.name))
                    .count(),
                last_success: remembered.last_success,
                last_attempt: remembered.last_attempt,
                last_error: remembered.last_error,
                retry_at: remembered.retry_at,
                overdue,
            }
        })
        .collect();
    BackupStatus {
        configured: !backup.destination.is_empty(),
        recipients: backup.recipients.len(),
        last_snapshot: state.last_snapshot,
        snapshot_error: state.snapshot_error.clone(),
        next_due: if backup.destination.is_empty() {
            None
        } else {
            schedule::next_due(
                state.last_snapshot,
                backup.every_hours,
                backup.nightly_at.0,
                &config.time_zone(),
            )
        },
        queued: state.queue.len(),
        warn_after_hours: backup.warn_after_hours,
        destinations,
    }
}
