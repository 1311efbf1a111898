//! The backups as the owner sees them: the status for the admin page and the API, and
//! "Back up now". The work itself lives in `backup`; this adds who may see and ask, and
//! is how `web` sees backups at all.

use super::{Actor, Crm, Error, Permission};
use crate::config::Config;

pub use crate::backup::{BackupStatus, DestinationStatus, Success};

impl Crm {
    /// Where backups stand: last success per destination, its size, the next one, and
    /// whether any is overdue. Business Admins only.
    pub fn backup_status(&self, actor: &Actor) -> Result<BackupStatus, Error> {
        actor.require(Permission::ManageBackups)?;
        Ok(self.backup_vitals())
    }

    /// Asks for a backup now; the server takes and uploads it in the background (a
    /// large store takes a while) and the status shows the result. Business Admins only.
    pub fn request_backup(&self, actor: &Actor) -> Result<BackupStatus, Error> {
        actor.require(Permission::ManageBackups)?;
        let Some(backups) = &self.backups else {
            return Err(conflict("backups are not running in this process"));
        };
        let status = backups.status();
        if !status.configured {
            return Err(conflict(
                "backups are not set up yet: the technician adds the owner's public key (backup.recipients) and a [[backup.destination]] to the configuration",
            ));
        }
        backups.request();
        Ok(status)
    }

    /// The same status for monitoring (`/metrics`), read without an actor: it names
    /// destinations, times and sizes, never a customer, product or sale. A process
    /// without the backup service (a command) reports the configuration alone.
    pub fn backup_vitals(&self) -> BackupStatus {
        match &self.backups {
            Some(backups) => backups.status(),
            None => status_without_service(&self.config, jiff::Timestamp::now()),
        }
    }
}

/// What a process without the backup service knows at `now`: the configured
/// destinations, none of them backed up yet.
pub fn status_without_service(config: &Config, now: jiff::Timestamp) -> BackupStatus {
    crate::backup::status(config, &crate::backup::State::default(), now)
}

fn conflict(message: &str) -> Error {
    Error::Conflict {
        message: message.to_owned(),
        field: None,
        existing_id: None,
    }
}
