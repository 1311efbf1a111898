//! The imports being written now: one at a time on the box, with how far each has got,
//! for the page's progress bar.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ImportId;

/// How far a commit or undo has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

/// Where uploads wait, and the job running now. Only one import is written at a
/// time: two would compete for the single writer and the counter would feel both.
#[derive(Debug, Default)]
pub struct ImportJobs {
    dir: Option<PathBuf>,
    running: Mutex<HashMap<ImportId, Progress>>,
}

impl ImportJobs {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            running: Mutex::new(HashMap::new()),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ImportId, Progress>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims the box's one import slot for `id`, waiting a few seconds for one that
    /// is finishing; `false` when another import still holds it.
    pub fn start(&self, id: ImportId, total: u32) -> bool {
        for _ in 0..250 {
            {
                let mut running = self.lock();
                if !running.keys().any(|other| *other != id) {
                    running.insert(id, Progress { done: 0, total });
                    return true;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }

    pub fn advance(&self, id: ImportId, done: u32) {
        if let Some(p) = self.lock().get_mut(&id) {
            p.done = done.min(p.total.max(done));
        }
    }

    pub fn finish(&self, id: ImportId) {
        self.lock().remove(&id);
    }

    pub fn progress(&self, id: ImportId) -> Option<Progress> {
        self.lock().get(&id).copied()
    }
}
