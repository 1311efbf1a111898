//! The appliance's own vital signs for monitoring: database size and how far the
//! search index trails the change log. Nothing here names a customer or a record.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{Crm, Error};

/// How long a health check's read of the database stands for the checks after it.
const HEALTH_READ_STANDS: Duration = Duration::from_secs(1);

/// When the database last answered a health check.
#[derive(Debug, Default)]
pub(super) struct HealthReads(Mutex<Option<Instant>>);

/// Figures about the store's machinery, read without an actor: they carry no data of
/// any customer, product or sale, so a monitoring scraper may read them unsigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vitals {
    /// The size of the database file in bytes.
    pub database_bytes: u64,
    /// The sequence number of the newest committed change.
    pub last_change: u64,
    /// The newest change the search index reflects; `None` in a process without one.
    pub index_applied: Option<u64>,
    /// Live events published since the server started.
    pub live_events: u64,
    /// Live-events streams open now.
    pub live_streams: u64,
    /// Database commits and the fsyncs they took since the server started.
    pub writes: crate::store::WriteCounts,
}

impl Vitals {
    /// Changes committed but not yet searchable. The index is read after the change
    /// log, so it may already be past the sequence read; that counts as no lag.
    pub fn index_lag(&self) -> Option<u64> {
        self.index_applied
            .map(|applied| self.last_change.saturating_sub(applied))
    }
}

impl Crm {
    /// The newest durable change, once the database has answered a read within the last
    /// second: a probe many times a second (a load balancer, a watchdog) reads it once.
    pub async fn health(&self) -> Result<u64, Error> {
        let recent = *self
            .health_reads
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if recent.is_some_and(|at| at.elapsed() < HEALTH_READ_STANDS) {
            return Ok(self.db.durable_change());
        }
        let last = self.run(|crm| crm.last_change()).await?;
        *self
            .health_reads
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
        Ok(last.max(self.db.durable_change()))
    }

    /// Reads the vital signs; fails only when the database cannot be read.
    pub fn vitals(&self) -> Result<Vitals, Error> {
        let last_change = self.last_change()?;
        let database_bytes = self
            .db
            .file_size()
            .map_err(|e| Error::internal("reading the size of the database file", e))?;
        Ok(Vitals {
            database_bytes,
            last_change,
            index_applied: self.search.as_deref().map(|index| index.applied()),
            live_events: self.live.events_published(),
            live_streams: u64::try_from(self.live.open_streams()).unwrap_or(u64::MAX),
            writes: self.db.write_counts(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Vitals;

    #[test]
    fn an_index_ahead_of_the_sequence_read_has_no_lag() {
        let vitals = |last_change, index_applied| Vitals {
            database_bytes: 1,
            last_change,
            index_applied,
            live_events: 0,
            live_streams: 0,
            writes: Default::default(),
        };
        assert_eq!(vitals(10, Some(7)).index_lag(), Some(3));
        assert_eq!(vitals(10, Some(12)).index_lag(), Some(0));
        assert_eq!(vitals(10, None).index_lag(), None);
    }
}
