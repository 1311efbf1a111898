//! Uploading what waits in the queue: each snapshot to each destination it still
//! needs, what a success or a failure leaves in the state (a failure waits 1, 2, 4 …
//! 60 minutes before the next try), and retention once a backup is whole.

use jiff::{SignedDuration, Timestamp};

use super::{Backups, MAX_RETRY_WAIT_MINUTES, Progress, RunEvent, RunReport};
use crate::backup::BackupError;
use crate::backup::destination::Remote;
use crate::backup::manifest::Manifest;
use crate::backup::retention::{self, Keep};
use crate::backup::state::{Queued, Success};

impl Backups {
    /// Uploads queued snapshots, oldest first, to `only` (or every destination they
    /// still need); `now` ignores the wait after earlier failures.
    pub(super) async fn drain(
        &self,
        only: Option<&[String]>,
        now: bool,
        progress: Progress,
    ) -> RunReport {
        let mut report = RunReport::default();
        let queue = self.state().queue;
        for queued in queue {
            for name in &queued.pending {
                if only.is_some_and(|only| !only.contains(name)) {
                    continue;
                }
                let waiting = self
                    .state()
                    .destinations
                    .get(name)
                    .and_then(|d| d.retry_at)
                    .is_some_and(|at| at > Timestamp::now());
                if waiting && !now {
                    continue;
                }
                match self.upload(&queued, name, progress.clone()).await {
                    Ok(manifest) => {
                        report.uploaded.push((name.clone(), queued.id.clone()));
                        progress(RunEvent::UploadDone {
                            destination: name.clone(),
                            id: queued.id.clone(),
                        });
                        self.record_success(name, &manifest);
                        self.prune(name, progress.clone()).await;
                    }
                    Err(err) => {
                        let error = err.to_string();
                        progress(RunEvent::UploadFailed {
                            destination: name.clone(),
                            id: queued.id.clone(),
                            error: error.clone(),
                        });
                        report.failed.push((name.clone(), error.clone()));
                        self.record_failure(name, error);
                    }
                }
            }
        }
        let finished: Vec<String> = {
            let state = self.state();
            state
                .queue
                .iter()
                .filter(|q| q.pending.is_empty())
                .map(|q| q.id.clone())
                .collect()
        };
        if !finished.is_empty() {
            let _ = self.update(|s| s.queue.retain(|q| !q.pending.is_empty()));
            for id in finished {
                self.remove_queued_files(&id);
            }
        }
        report
    }

    async fn upload(
        &self,
        queued: &Queued,
        name: &str,
        progress: Progress,
    ) -> Result<Manifest, BackupError> {
        let config = &self.inner.config.backup;
        let destination =
            config
                .destination_named(name)
                .map_err(|message| BackupError::Destination {
                    name: name.to_owned(),
                    message,
                })?;
        let remote = Remote::open(destination)?;
        remote.put_sealed_keys(&config.sealed_keys).await?;
        let queue_dir = self.queue_dir();
        let manifest_path = queue_dir.join(format!("{}.json", queued.id));
        let manifest: Manifest = std::fs::read(&manifest_path)
            .map_err(|e| BackupError::io(&manifest_path, e))
            .and_then(|bytes| {
                serde_json::from_slice(&bytes)
                    .map_err(|e| BackupError::io(&manifest_path, std::io::Error::other(e)))
            })?;
        let (id, destination) = (queued.id.clone(), name.to_owned());
        remote
            .upload(
                &manifest,
                &queue_dir.join(format!("{}.age", queued.id)),
                (config.part_size_mib * 1024 * 1024) as usize,
                config.upload_limit_kib_per_sec * 1024,
                &move |step| {
                    progress(RunEvent::Uploaded {
                        destination: destination.clone(),
                        id: id.clone(),
                        progress: step,
                    })
                },
            )
            .await?;
        Ok(manifest)
    }

    fn record_success(&self, name: &str, manifest: &Manifest) {
        let now = Timestamp::now();
        let result = self.update(|state| {
            let remembered = state.destinations.entry(name.to_owned()).or_default();
            let newer = remembered
                .last_success
                .as_ref()
                .is_none_or(|s| s.taken_at <= manifest.created_at);
            if newer {
                remembered.last_success = Some(Success {
                    id: manifest.id.clone(),
                    taken_at: manifest.created_at,
                    uploaded_at: now,
                    bytes: manifest.payload_bytes,
                });
            }
            remembered.last_attempt = Some(now);
            remembered.last_error = None;
            remembered.failures = 0;
            remembered.retry_at = None;
            if let Some(queued) = state.queue.iter_mut().find(|q| q.id == manifest.id) {
                queued.pending.retain(|p| p != name);
            }
        });
        if let Err(err) = result {
            tracing::error!(%err, "could not write the backup state");
        }
    }

    fn record_failure(&self, name: &str, error: String) {
        let now = Timestamp::now();
        let result = self.update(|state| {
            let remembered = state.destinations.entry(name.to_owned()).or_default();
            remembered.failures = remembered.failures.saturating_add(1);
            let minutes = 1i64 << remembered.failures.min(6).saturating_sub(1);
            let wait = SignedDuration::from_mins(minutes.min(MAX_RETRY_WAIT_MINUTES));
            remembered.last_attempt = Some(now);
            remembered.last_error = Some(error);
            remembered.retry_at = now.checked_add(wait).ok();
        });
        if let Err(err) = result {
            tracing::error!(%err, "could not write the backup state");
        }
    }

    /// Applies retention in a destination, and removes uploads that never finished.
    async fn prune(&self, name: &str, progress: Progress) {
        let config = &self.inner.config.backup;
        let Ok(destination) = config.destination_named(name) else {
            return;
        };
        let pruned = async {
            let remote = Remote::open(destination)?;
            let listing = remote.list().await?;
            let backups: Vec<(String, Timestamp)> = listing
                .backups
                .iter()
                .map(|m| (m.id.clone(), m.created_at))
                .collect();
            let keep = Keep {
                hourly: config.keep_hourly,
                daily: config.keep_daily,
                weekly: config.keep_weekly,
                monthly: config.keep_monthly,
            };
            let mut remove = retention::to_remove(&backups, keep, &self.inner.config.time_zone());
            remove.extend(listing.unfinished);
            for id in remove {
                remote.delete(&id).await?;
                progress(RunEvent::Removed {
                    destination: name.to_owned(),
                    id,
                });
            }
            Ok::<_, BackupError>(())
        };
        if let Err(err) = pruned.await {
            tracing::warn!(destination = name, %err, "could not apply backup retention");
        }
    }
}
