//! The backup service: takes snapshots into the local queue (`backups/queue`), uploads
//! them to every destination, retries failed uploads later with a growing wait (the
//! internet may be down for hours), applies retention, and runs on the schedule.
//! The uploads themselves are in `upload.rs`.

mod upload;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;

use super::BackupError;
use super::destination::Uploaded;
use super::manifest::Manifest;
use super::snapshot::{self, SnapshotSource, Step};
use super::state::{self, BackupStatus, Queued, State, backup_dir};
use crate::config::Config;
use crate::store::Db;

const QUEUE_DIR: &str = "queue";
/// The scheduler looks at the clock this often, and when asked to back up now.
const TICK: Duration = Duration::from_secs(60);
/// The longest wait between attempts at a failing destination.
const MAX_RETRY_WAIT_MINUTES: i64 = 60;

/// What happens during a run, for a console or a log.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Snapshot {
        table_or_file: String,
        count: u64,
    },
    SnapshotTaken {
        id: String,
        bytes: u64,
    },
    Uploaded {
        destination: String,
        id: String,
        progress: Uploaded,
    },
    UploadDone {
        destination: String,
        id: String,
    },
    UploadFailed {
        destination: String,
        id: String,
        error: String,
    },
    Removed {
        destination: String,
        id: String,
    },
}

pub type Progress = Arc<dyn Fn(RunEvent) + Send + Sync>;

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// The snapshot taken, when one was.
    pub snapshot: Option<Manifest>,
    /// `(destination, backup id)` uploaded.
    pub uploaded: Vec<(String, String)>,
    /// `(destination, why)` that failed; the snapshot waits in the queue for them.
    pub failed: Vec<(String, String)>,
}

/// The backup service of one data directory. Cheap to clone.
#[derive(Clone)]
pub struct Backups {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<Config>,
    data_dir: PathBuf,
    db: Db,
    /// Files to include, relative to the data directory (the certificates).
    files: Vec<String>,
    /// The stored files' folder: photos and documents the records name go in too.
    blobs: crate::blobs::Blobs,
    state: Mutex<State>,
    /// One run at a time: a snapshot or upload in progress finishes before the next.
    running: tokio::sync::Mutex<()>,
    /// Set by "Back up now"; the scheduler takes a snapshot at its next look.
    asked: std::sync::atomic::AtomicBool,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for Backups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backups")
            .field("data_dir", &self.inner.data_dir)
            .finish_non_exhaustive()
    }
}

impl Backups {
    /// Loads the state of `data_dir`'s backups and tidies the queue: snapshots cut off
    /// half-written are removed, and the queue lists only whole ones.
    pub fn open(
        config: Arc<Config>,
        data_dir: &Path,
        db: Db,
        files: Vec<String>,
    ) -> Result<Self, BackupError> {
        let mut state = state::read_state(data_dir)?;
        let queue_dir = backup_dir(data_dir).join(QUEUE_DIR);
        if let Ok(entries) = std::fs::read_dir(&queue_dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                let id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                let queued = state.queue.iter().any(|q| q.id == id);
                let ext = path.extension().and_then(|s| s.to_str());
                if !queued || matches!(ext, Some("partial" | "tmp")) {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        state.queue.retain(|q| {
            queue_dir.join(format!("{}.age", q.id)).exists()
                && queue_dir.join(format!("{}.json", q.id)).exists()
        });
        let names: Vec<&str> = config
            .backup
            .destination
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        for queued in &mut state.queue {
            queued.pending.retain(|p| names.contains(&p.as_str()));
        }
        state.queue.retain(|q| !q.pending.is_empty());
        let blobs = crate::blobs::Blobs::open(data_dir)
            .map_err(|e| BackupError::Internal(format!("cannot open the stored files: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                data_dir: data_dir.to_owned(),
                db,
                files,
                blobs,
                state: Mutex::new(state),
                running: tokio::sync::Mutex::new(()),
                asked: false.into(),
                wake: tokio::sync::Notify::new(),
            }),
        })
    }

    /// The stored files' folder the backups read, for the rest of the server to share
    /// (so a clean-up waits while a backup copies).
    pub fn blobs(&self) -> &crate::blobs::Blobs {
        &self.inner.blobs
    }

    pub fn status(&self) -> BackupStatus {
        let state = self.state();
        state::status(&self.inner.config, &state, Timestamp::now())
    }

    fn state(&self) -> State {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Changes the state and writes it down at once.
    fn update(&self, change: impl FnOnce(&mut State)) -> Result<(), BackupError> {
        let mut state = self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut state);
        state::write_state(&self.inner.data_dir, &state)
    }

    fn queue_dir(&self) -> PathBuf {
        backup_dir(&self.inner.data_dir).join(QUEUE_DIR)
    }

    /// Asks the scheduler to take a backup now; returns at once.
    pub fn request(&self) {
        self.inner
            .asked
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    /// Takes a snapshot and uploads it (and anything still queued) to `only`, or to every
    /// destination; failed destinations keep it queued for the next run.
    pub async fn run_now(
        &self,
        only: Option<&str>,
        progress: Progress,
    ) -> Result<RunReport, BackupError> {
        let config = &self.inner.config.backup;
        if config.destination.is_empty() {
            return Err(BackupError::NotConfigured);
        }
        let targets: Vec<String> = match only {
            Some(name) => vec![
                config
                    .destination_named(name)
                    .map_err(|message| BackupError::Destination {
                        name: name.to_owned(),
                        message,
                    })?
                    .name
                    .clone(),
            ],
            None => config.destination.iter().map(|d| d.name.clone()).collect(),
        };
        let _running = self.inner.running.lock().await;
        let manifest = self.snapshot(targets.clone(), progress.clone()).await?;
        let mut report = self.drain(Some(&targets), true, progress).await;
        report.snapshot = Some(manifest);
        Ok(report)
    }

    /// Runs the schedule until `stop` changes: a snapshot when one is due or asked for,
    /// then uploads of whatever is queued and not waiting out a failure.
    pub async fn run_schedule(self, mut stop: tokio::sync::watch::Receiver<()>) {
        if self.inner.config.backup.destination.is_empty() {
            return;
        }
        loop {
            self.tick().await;
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = self.inner.wake.notified() => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn tick(&self) {
        let _running = self.inner.running.lock().await;
        let asked = self
            .inner
            .asked
            .swap(false, std::sync::atomic::Ordering::SeqCst);
        let due = self
            .status()
            .next_due
            .is_some_and(|due| due <= Timestamp::now());
        let progress: Progress = Arc::new(log_event);
        if asked || due {
            let all = self
                .inner
                .config
                .backup
                .destination
                .iter()
                .map(|d| d.name.clone())
                .collect();
            if let Err(err) = self.snapshot(all, progress.clone()).await {
                tracing::error!(%err, "could not take a backup snapshot");
            }
        }
        self.drain(None, asked, progress).await;
    }

    /// Takes a snapshot into the queue, for `targets`.
    async fn snapshot(
        &self,
        targets: Vec<String>,
        progress: Progress,
    ) -> Result<Manifest, BackupError> {
        let backups = self.clone();
        let events = progress.clone();
        let taken = tokio::task::spawn_blocking(move || {
            let inner = &backups.inner;
            let store = inner
                .db
                .read(crate::store::org::only_store)
                .ok()
                .flatten()
                .map(|s| s.name.to_string())
                .unwrap_or_else(|| inner.config.store.name.clone());
            let files: Vec<&str> = inner.files.iter().map(String::as_str).collect();
            let source = SnapshotSource {
                db: &inner.db,
                data_dir: &inner.data_dir,
                files: &files,
                blobs: Some(&inner.blobs),
                store,
            };
            let report = |step: Step<'_>| {
                let (name, count) = match step {
                    Step::Table { name, entries } => (name, entries),
                    Step::File { name, bytes } => (name, bytes),
                };
                events(RunEvent::Snapshot {
                    table_or_file: name.to_owned(),
                    count,
                });
            };
            snapshot::take(
                &source,
                &inner.config.backup.recipients,
                &backups.queue_dir(),
                &report,
            )
        })
        .await
        .map_err(|e| BackupError::Internal(format!("the snapshot task failed: {e}")))?;
        let snapshot = match taken {
            Ok(snapshot) => snapshot,
            Err(err) => {
                let message = err.to_string();
                let _ = self.update(|s| s.snapshot_error = Some(message));
                return Err(err);
            }
        };
        let manifest = snapshot.manifest;
        progress(RunEvent::SnapshotTaken {
            id: manifest.id.clone(),
            bytes: manifest.payload_bytes,
        });
        let limit = self.inner.config.backup.queue_limit as usize;
        let mut dropped = Vec::new();
        self.update(|state| {
            state.last_snapshot = Some(manifest.created_at);
            state.snapshot_error = None;
            state.queue.push(Queued {
                id: manifest.id.clone(),
                taken_at: manifest.created_at,
                pending: targets,
            });
            while state.queue.len() > limit {
                dropped.push(state.queue.remove(0).id);
            }
        })?;
        for id in dropped {
            tracing::warn!(%id, "the backup queue is full: dropped the oldest snapshot that was never uploaded");
            self.remove_queued_files(&id);
        }
        Ok(manifest)
    }

    fn remove_queued_files(&self, id: &str) {
        for ext in ["age", "json"] {
            let _ = std::fs::remove_file(self.queue_dir().join(format!("{id}.{ext}")));
        }
    }
}

fn log_event(event: RunEvent) {
    match event {
        RunEvent::SnapshotTaken { id, bytes } => {
            tracing::info!(%id, bytes, "took a backup snapshot")
        }
        RunEvent::UploadDone { destination, id } => {
            tracing::info!(%destination, %id, "uploaded a backup")
        }
        RunEvent::UploadFailed {
            destination,
            id,
            error,
        } => tracing::warn!(%destination, %id, %error, "a backup upload failed; it stays queued"),
        RunEvent::Removed { destination, id } => {
            tracing::info!(%destination, %id, "removed an old backup (retention)")
        }
        RunEvent::Snapshot { .. } | RunEvent::Uploaded { .. } => {}
    }
}
