//! At most [`IMAGE_SLOTS`] pictures are decoded at once. Decoding the largest picture
//! allowed takes up to about 0.75 GB for a moment; uploads arriving together from
//! several tablets wait their turn rather than add up, and past a short wait are told
//! to try again.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::app::Error;

/// Pictures decoded at once: one per core of the box.
pub const IMAGE_SLOTS: usize = 2;
/// How long an upload waits for a slot before it is told to try again.
const LONGEST_WAIT: Duration = Duration::from_secs(20);

/// The slots, and the count of those in use.
#[derive(Debug, Default)]
pub struct ImageSlots {
    busy: Mutex<usize>,
    freed: Condvar,
}

/// A slot held; dropping it frees it.
#[derive(Debug)]
pub struct Slot<'a>(&'a ImageSlots);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(PoisonError::into_inner);
        *busy = busy.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

impl ImageSlots {
    /// Waits (on a blocking thread) for a free slot, up to [`LONGEST_WAIT`].
    pub fn take(&self) -> Result<Slot<'_>, Error> {
        let deadline = Instant::now() + LONGEST_WAIT;
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        while *busy >= IMAGE_SLOTS {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::TooManyRequests {
                    message:
                        "the box is busy making copies of other photos; try again in a few seconds"
                            .into(),
                    retry_after_secs: 5,
                });
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *busy += 1;
        Ok(Slot(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_than_the_slots_are_held_and_a_freed_one_is_taken_again() {
        let slots = ImageSlots::default();
        let first = slots.take().expect("a slot");
        let second = slots.take().expect("a second slot");
        assert_eq!(*slots.busy.lock().unwrap(), IMAGE_SLOTS);
        drop(first);
        let third = slots.take().expect("the freed slot");
        drop((second, third));
        assert_eq!(*slots.busy.lock().unwrap(), 0);
    }
}
