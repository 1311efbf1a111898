//! The logo record every page's header draws, kept in memory: each whole page would
//! otherwise open a read transaction, an index range and a record decode for a value
//! that changes a few times in a store's life. Setting or removing the logo forgets it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::{StoreId, StoredFile};

/// A box serves one store; past this many the map starts again, which costs a read,
/// never a wrong answer.
const STORES_KEPT: usize = 8;

/// One entry per store: its logo, or that it has none. A generation number guards
/// against a reader who read the database before a change and would keep what it read
/// after the change forgot it.
#[derive(Debug, Default)]
pub(crate) struct LogoCache {
    inner: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    generation: u64,
    logos: HashMap<StoreId, Option<Arc<StoredFile>>>,
}

/// What a reader noted before reading the database, to hand back with what it read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket(u64);

impl LogoCache {
    /// The store's logo as kept, or a ticket to keep it with once read.
    pub(crate) fn get(&self, store: StoreId) -> Result<Option<Arc<StoredFile>>, Ticket> {
        // A poisoned lock only means another thread panicked mid-insert; the map is
        // still a map, and a missing entry is merely read again.
        let kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match kept.logos.get(&store) {
            Some(logo) => Ok(logo.clone()),
            None => Err(Ticket(kept.generation)),
        }
    }

    /// Keeps `logo` for `store`, unless the logo changed since `ticket` was given.
    pub(crate) fn keep(&self, store: StoreId, ticket: Ticket, logo: Option<Arc<StoredFile>>) {
        let mut kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if kept.generation != ticket.0 {
            return;
        }
        if kept.logos.len() >= STORES_KEPT && !kept.logos.contains_key(&store) {
            kept.logos.clear();
        }
        kept.logos.insert(store, logo);
    }

    /// Forgets the store's logo after it was set or removed.
    pub(crate) fn forget(&self, store: StoreId) {
        let mut kept = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        kept.generation += 1;
        kept.logos.remove(&store);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_from_before_a_change_is_not_kept() {
        let cache = LogoCache::default();
        let store = StoreId::new();
        let ticket = cache.get(store).expect_err("nothing kept yet");
        cache.forget(store);
        cache.keep(store, ticket, None);
        assert!(cache.get(store).is_err(), "the stale read was dropped");
        let ticket = cache.get(store).expect_err("still nothing kept");
        cache.keep(store, ticket, None);
        assert_eq!(cache.get(store).ok(), Some(None), "no logo, kept");
    }

    #[test]
    fn past_its_size_the_map_starts_again() {
        let cache = LogoCache::default();
        let first = StoreId::new();
        for store in std::iter::once(first).chain((0..STORES_KEPT).map(|_| StoreId::new())) {
            let ticket = cache.get(store).expect_err("new store");
            cache.keep(store, ticket, None);
        }
        assert!(cache.get(first).is_err(), "the first store was let go");
    }
}
