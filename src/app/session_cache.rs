//! Who a session token belongs to, kept in memory so that an ordinary request needs no
//! database read (and no hop to a blocking thread) to find out.
//!
//! An entry stands only while the database's sign-in epoch has not moved since it was
//! read: every commit that changes a session, a person or an account moves it
//! (`Db::sign_in_epoch`), so a sign-out, a password change or a deactivated account is
//! never answered from a stale entry. Expiry, idleness and a locked screen are checked
//! on every request as before; only the two records are kept.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::domain::{Session, User};

/// Sessions kept at most; past it the cache starts again empty. A store has a few dozen
/// tablets and people, so this is only a bound against a flood of sign-ins.
const CAPACITY: usize = 4_096;

/// A session and the person it signs in, as read together.
#[derive(Debug)]
pub(super) struct SessionRecords {
    pub session: Session,
    pub user: User,
}

/// A kept value and the sign-in epoch it was read at.
type Entry<V> = (u64, Arc<V>);

/// Kept values by token hash.
#[derive(Debug)]
pub(super) struct SessionCache<V = SessionRecords> {
    entries: RwLock<HashMap<[u8; 32], Entry<V>>>,
}

impl<V> Default for SessionCache<V> {
    fn default() -> Self {
        Self {
            entries: RwLock::default(),
        }
    }
}

impl<V> SessionCache<V> {
    /// The records of the session with this token hash, if they were read at `epoch`.
    pub fn get(&self, hash: &[u8; 32], epoch: u64) -> Option<Arc<V>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(hash)
            .filter(|(read_at, _)| *read_at == epoch)
            .map(|(_, records)| records.clone())
    }

    /// Keeps records read at `epoch` (read before the records were).
    pub fn put(&self, hash: [u8; 32], epoch: u64, records: Arc<V>) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&hash) {
            entries.clear();
        }
        entries.insert(hash, (epoch, records));
    }

    pub fn forget(&self, hash: &[u8; 32]) {
        self.entries
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_read_before_the_epoch_moved_is_not_given() {
        let cache = SessionCache::<u32>::default();
        cache.put([1; 32], 7, Arc::new(1));
        assert_eq!(cache.get(&[1; 32], 7).as_deref(), Some(&1));
        assert!(cache.get(&[1; 32], 8).is_none());
        cache.forget(&[1; 32]);
        assert!(cache.get(&[1; 32], 7).is_none());
    }

    #[test]
    fn the_cache_stays_within_its_bound() {
        let cache = SessionCache::<u32>::default();
        for n in 0..=CAPACITY {
            let mut hash = [0; 32];
            hash[..8].copy_from_slice(&(n as u64).to_le_bytes());
            cache.put(hash, 1, Arc::new(1));
        }
        let kept = cache.entries.read().expect("lock").len();
        assert!(kept <= CAPACITY, "{kept}");
    }
}
