//! Group commit: concurrent writers share one fsync.
//!
//! Each writer still runs in its own redb write transaction, so a writer that is refused
//! rolls back its own changes and nobody else's. (One shared transaction cannot do that:
//! redb takes a savepoint only before a transaction has written anything.) A writer that
//! knows another is queued behind it commits without syncing (`Durability::None`); the
//! last of the queue commits durably, and redb writes every earlier commit out with it.
//! Nobody is answered before a durable commit covers their change; if the queue ends in
//! a refusal, a waiting writer makes an empty durable commit for the others.
//!
//! What this does not do: hide a commit from readers until it is durable. Another request
//! can read a change in the millisecond before its fsync; the change-log followers (live
//! events, the search index) are told only of durable changes.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use redb::Durability;

/// At most this many commits wait for one fsync: past it the next writer syncs even with
/// others queued, so a steady crowd cannot keep a change waiting for ever.
const MAX_BATCH: u64 = 64;

#[derive(Debug, Default)]
pub(super) struct GroupCommit {
    state: Mutex<State>,
    durable_now: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Writers between joining and finishing (committed or refused).
    in_flight: usize,
    /// Commits so far, durable or not; a commit's number is its place in this count.
    commits: u64,
    /// Every commit numbered up to this one is on disk.
    durable: u64,
    /// A writer is making an empty durable commit for the others.
    flushing: bool,
    /// Commits made outside the group (bulk writes), each synced on its own.
    bulk: u64,
    /// fsyncs: durable commits, empty ones included.
    syncs: u64,
}

/// How many commits the database has made since it opened, and how many fsyncs they
/// took; the difference is what group commit saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteCounts {
    pub commits: u64,
    pub syncs: u64,
}

/// A writer's place in the group, from joining to its commit. Dropping it without
/// [`Ticket::committed`] (a refusal, an error, a panic) leaves the group.
pub(super) struct Ticket<'a> {
    group: &'a GroupCommit,
    done: bool,
}

impl GroupCommit {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins before asking redb for the write transaction, so the writer ahead knows it
    /// is not the last.
    pub fn join(&self) -> Ticket<'_> {
        self.lock().in_flight += 1;
        Ticket {
            group: self,
            done: false,
        }
    }

    /// The commits so far; a durable commit that begins now covers them all.
    pub fn commits(&self) -> u64 {
        self.lock().commits
    }

    pub fn counts(&self) -> WriteCounts {
        let state = self.lock();
        WriteCounts {
            commits: state.commits + state.bulk,
            syncs: state.syncs,
        }
    }

    /// Notes a durable commit outside the group (a bulk write), which made everything up
    /// to `covered` durable.
    pub fn bulk_committed(&self, covered: u64) {
        let mut state = self.lock();
        state.bulk += 1;
        state.syncs += 1;
        if covered > state.durable {
            state.durable = covered;
            self.durable_now.notify_all();
        }
    }

    /// Waits until commit `number` is durable, making an empty durable commit with
    /// `flush` when no writer in flight will make one.
    pub fn wait_durable<E>(&self, number: u64, flush: impl Fn() -> Result<(), E>) -> Result<(), E> {
        let mut state = self.lock();
        loop {
            if state.durable >= number {
                return Ok(());
            }
            if state.in_flight == 0 && !state.flushing {
                state.flushing = true;
                let covered = state.commits;
                drop(state);
                let flushed = flush();
                state = self.lock();
                state.flushing = false;
                if flushed.is_ok() {
                    state.syncs += 1;
                    state.durable = state.durable.max(covered);
                }
                self.durable_now.notify_all();
                flushed?;
                continue;
            }
            state = self
                .durable_now
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Ticket<'_> {
    /// How this writer's transaction should commit: without syncing when another writer
    /// is queued behind it (whose durable commit will carry this one) and the batch
    /// waiting for a sync is not full.
    pub fn durability(&self) -> Durability {
        let state = self.group.lock();
        if state.in_flight > 1 && state.commits - state.durable < MAX_BATCH {
            Durability::None
        } else {
            Durability::Immediate
        }
    }

    /// Records this writer's commit, made with `durability`; returns its number.
    pub fn committed(mut self, durability: Durability) -> u64 {
        self.done = true;
        let mut state = self.group.lock();
        state.in_flight -= 1;
        state.commits += 1;
        let number = state.commits;
        if matches!(durability, Durability::Immediate) {
            state.durable = number;
            state.syncs += 1;
        }
        // Waiters re-check: a durable commit releases them; the last writer in flight
        // leaving lets one of them flush.
        self.group.durable_now.notify_all();
        number
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut state = self.group.lock();
            state.in_flight -= 1;
            self.group.durable_now.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_writer_syncs_its_own_commit() {
        let group = GroupCommit::default();
        let ticket = group.join();
        assert!(matches!(ticket.durability(), Durability::Immediate));
        let number = ticket.committed(Durability::Immediate);
        group
            .wait_durable(number, || -> Result<(), ()> { panic!("nothing to flush") })
            .expect("durable");
    }

    #[test]
    fn a_writer_with_one_queued_behind_it_leaves_the_sync_to_that_one() {
        let group = GroupCommit::default();
        let first = group.join();
        let second = group.join();
        assert!(matches!(first.durability(), Durability::None));
        let number = first.committed(Durability::None);
        assert!(matches!(second.durability(), Durability::Immediate));
        second.committed(Durability::Immediate);
        group
            .wait_durable(number, || -> Result<(), ()> { panic!("already durable") })
            .expect("durable");
    }

    #[test]
    fn when_the_writer_behind_is_refused_the_one_waiting_flushes() {
        let group = GroupCommit::default();
        let first = group.join();
        let second = group.join();
        let number = first.committed(Durability::None);
        drop(second);
        let flushes = std::cell::Cell::new(0);
        group
            .wait_durable(number, || -> Result<(), ()> {
                flushes.set(flushes.get() + 1);
                Ok(())
            })
            .expect("durable");
        assert_eq!(flushes.get(), 1);
        assert_eq!(
            group.counts(),
            WriteCounts {
                commits: 1,
                syncs: 1
            }
        );
    }

    #[test]
    fn a_full_batch_syncs_even_with_writers_queued() {
        let group = GroupCommit::default();
        let _behind = group.join();
        for _ in 0..MAX_BATCH {
            let ticket = group.join();
            assert!(matches!(ticket.durability(), Durability::None));
            ticket.committed(Durability::None);
        }
        assert!(matches!(group.join().durability(), Durability::Immediate));
    }
}

#[cfg(test)]
mod with_a_database {
    use std::sync::mpsc;

    use super::WriteCounts;
    use crate::domain::StoreId;
    use crate::store::{ChangeOp, Db, EntityKind, StoreError};

    const WRITERS: usize = 6;
    const REFUSED: u128 = 3;

    /// Why a writer of the test failed.
    #[derive(Debug, PartialEq)]
    enum Failed {
        Store(String),
        Refused(u128),
    }

    impl From<StoreError> for Failed {
        fn from(err: StoreError) -> Self {
            Failed::Store(err.to_string())
        }
    }

    /// Six writers in one batch: the first holds the write transaction until the other
    /// five are queued, so they all commit behind it and share one fsync; the fourth is
    /// refused after writing its change-log entry.
    #[test]
    fn a_refused_writer_in_a_batch_commits_the_others_and_keeps_its_own_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(
            &dir.path().join("db.redb"),
            1 << 20,
            &jiff::tz::TimeZone::UTC,
        )
        .expect("open");
        let store = StoreId::from_u128(1);
        let (holding, held) = mpsc::channel();
        let results = std::thread::scope(|scope| {
            let first = {
                let db = db.clone();
                scope.spawn(move || {
                    db.write(None, |w| -> Result<u64, Failed> {
                        holding.send(()).expect("the test listens");
                        while db.group.lock().in_flight < WRITERS {
                            std::thread::yield_now();
                        }
                        w.log(store, EntityKind::Customer, 0, ChangeOp::Created)?;
                        Ok(w.last_logged().expect("logged"))
                    })
                })
            };
            held.recv().expect("the first writer holds the transaction");
            let others: Vec<_> = (1..WRITERS as u128)
                .map(|n| {
                    let db = db.clone();
                    scope.spawn(move || {
                        db.write(None, |w| -> Result<u64, Failed> {
                            w.log(store, EntityKind::Customer, n, ChangeOp::Created)?;
                            if n == REFUSED {
                                return Err(Failed::Refused(n));
                            }
                            Ok(w.last_logged().expect("logged"))
                        })
                    })
                })
                .collect();
            std::iter::once(first)
                .chain(others)
                .map(|writer| writer.join().expect("no panic"))
                .collect::<Vec<_>>()
        });

        for (n, result) in results.iter().enumerate() {
            if n as u128 == REFUSED {
                assert_eq!(result, &Err(Failed::Refused(REFUSED)));
            } else {
                assert!(result.is_ok(), "writer {n}: {result:?}");
            }
        }
        assert_eq!(
            db.write_counts(),
            WriteCounts {
                commits: WRITERS as u64 - 1,
                syncs: 1
            },
            "five commits, one fsync"
        );
        let changes = db
            .read(|rx| rx.changes_after(0, 100))
            .expect("read the log");
        let seqs: Vec<u64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(seqs, (1..WRITERS as u64).collect::<Vec<_>>(), "gap-free");
        let mut ids: Vec<u128> = changes.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![0, 1, 2, 4, 5], "the refused writer left nothing");
        assert_eq!(db.durable_change(), WRITERS as u64 - 1);
    }
}
