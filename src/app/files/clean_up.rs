//! Removing blobs no record uses any more (a removed photo, a replaced logo) and
//! uploads that never became a record (a stop part-way, a refused file).

use std::time::Duration;

use super::Crm;
use crate::app::Error;
use crate::blobs::Usage;
use crate::store::files as repo;

/// How old an unused blob must be before the clean-up that runs while the server
/// serves removes it: an upload writes its blobs before the record that names them
/// commits, and no upload takes this long.
pub const CLEAN_UP_GRACE: Duration = Duration::from_secs(60 * 60);

impl Crm {
    /// Removes the blobs no record uses that are older than `grace` (zero at start-up,
    /// when no upload can be running), and says what went.
    pub fn clean_up_files(&self, grace: Duration) -> Result<Usage, Error> {
        let blobs = self.blobs()?;
        // The wanted list is read first: a blob written or used again after it is
        // young, and the grace keeps it.
        let wanted = self.db.read(repo::contents_in_use)?;
        let removed = blobs.clean_up(&wanted, grace)?;
        if removed.files > 0 {
            tracing::info!(
                files = removed.files,
                bytes = removed.bytes,
                "removed stored files no record uses"
            );
        }
        Ok(removed)
    }
}
