//! Values worked out from the store and kept until the next change or the next day:
//! the dashboard's figures and the opening report's occasions read many records, and
//! are looked at far more often than the store changes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use jiff::civil::Date;

/// One value per key, each with the change-log sequence and day it is true for. A
/// value is given back only while both still hold. At most `capacity` keys are kept;
/// past that the map starts again, which costs a recount, never a wrong answer.
#[derive(Debug)]
pub(super) struct KeptUntilChange<K, V> {
    entries: Mutex<HashMap<K, (u64, Date, V)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> KeptUntilChange<K, V> {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The value kept for `key`, if it was worked out at change `seq` on `day`.
    pub(super) fn get(&self, key: &K, seq: u64, day: Date) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(s, d, _)| (*s, *d) == (seq, day))
            .map(|(_, _, value)| value.clone())
    }

    /// Keeps `value` for `key`, worked out at change `seq` on `day`.
    pub(super) fn keep(&self, key: K, seq: u64, day: Date, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, (seq, day, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_value_holds_for_its_change_and_day_only() {
        let kept = KeptUntilChange::new(2);
        let day = date(2026, 12, 7);
        kept.keep("a", 5, day, 1);
        assert_eq!(kept.get(&"a", 5, day), Some(1));
        assert_eq!(kept.get(&"a", 6, day), None, "after a change");
        assert_eq!(kept.get(&"a", 5, date(2026, 12, 8)), None, "the next day");
        kept.keep("b", 5, day, 2);
        kept.keep("c", 5, day, 3);
        assert_eq!(
            kept.get(&"a", 5, day),
            None,
            "past capacity it starts again"
        );
        assert_eq!(kept.get(&"c", 5, day), Some(3));
    }
}
