//! The bounded, in-memory record of requests sent with an idempotency key: which are
//! running, and the answer each finished one gave, so that a repeat gets that answer.
//!
//! Keys live in memory rather than in redb. A key guards against a double tap or a
//! retry a second or two after the first request; a power cut between the two would
//! also drop the second request's connection, and the client then sees the first
//! one's record on reload. Keeping the answers out of the database also keeps them
//! out of backups and off the durable-write path of every create.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use tokio::sync::watch;

use crate::domain::UserId;

/// How many answers are kept, how large they may be, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Finished answers kept at most; the oldest go first.
    pub entries: usize,
    /// The bodies of all kept answers together, in bytes.
    pub total_bytes: usize,
    /// One answer's body; a larger one is not kept (no create answers with that much).
    pub answer_bytes: usize,
    /// How long an answer is replayed for.
    pub keep_for: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            entries: 10_000,
            total_bytes: 16 * 1024 * 1024,
            answer_bytes: 256 * 1024,
            keep_for: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// A key as one user sent it: keys are never shared between users.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slot {
    pub user: UserId,
    pub key: String,
}

/// The SHA-256 of what a request asked for (method, address, body), so that a key
/// reused for a different request is noticed.
pub type Fingerprint = [u8; 32];

/// A finished request's answer, as it is replayed.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Debug)]
enum Entry {
    Running {
        finished: watch::Receiver<()>,
    },
    Done {
        fingerprint: Fingerprint,
        answer: Arc<Answer>,
        at: Instant,
    },
}

/// What to do with a request that carries a key.
#[derive(Debug)]
pub enum Begin {
    /// The key is new (or its answer expired, or its first request ended without one):
    /// run the request, then hand its answer to the ticket.
    Run(Ticket),
    /// The same request finished before: send its answer again.
    Replay(Arc<Answer>),
    /// The key was used for a different request.
    Mismatch,
    /// A request with this key is running now: wait for it, then ask again.
    Wait(watch::Receiver<()>),
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<Slot, Entry>,
    /// How many entries are finished answers, and the size of their bodies.
    answers: usize,
    body_bytes: usize,
}

/// The keys of every user, shared by all requests.
#[derive(Debug)]
pub struct KeyStore {
    inner: Mutex<Inner>,
    limits: Limits,
}

impl KeyStore {
    pub fn new(limits: Limits) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(Inner::default()),
            limits,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Looks `slot` up for a request with `fingerprint`, marking it running when it is
    /// free.
    pub fn begin(self: &Arc<Self>, slot: Slot, fingerprint: Fingerprint, now: Instant) -> Begin {
        let mut inner = self.lock();
        match inner.entries.get(&slot) {
            // Whatever the request, it waits: whether it repeats the first or clashes
            // with it depends on whether the first is kept.
            Some(Entry::Running { finished }) => return Begin::Wait(finished.clone()),
            Some(Entry::Done {
                fingerprint: first,
                answer,
                at,
            }) if now.duration_since(*at) < self.limits.keep_for => {
                return if *first == fingerprint {
                    Begin::Replay(answer.clone())
                } else {
                    Begin::Mismatch
                };
            }
            _ => {}
        }
        let (done, finished) = watch::channel(());
        inner.remove(&slot);
        inner
            .entries
            .insert(slot.clone(), Entry::Running { finished });
        Begin::Run(Ticket {
            store: Some(self.clone()),
            slot,
            fingerprint,
            _done: done,
        })
    }

    /// How many answers are kept now (for tests of the bounds).
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.lock().answers
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the map whole (every change is one
        // insert or remove), so a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    fn remove(&mut self, slot: &Slot) {
        if let Some(Entry::Done { answer, .. }) = self.entries.remove(slot) {
            self.answers -= 1;
            self.body_bytes -= answer.body.len();
        }
    }

    fn keep(&mut self, slot: Slot, fingerprint: Fingerprint, answer: Answer, at: Instant) {
        self.remove(&slot);
        self.answers += 1;
        self.body_bytes += answer.body.len();
        let answer = Arc::new(answer);
        self.entries.insert(
            slot,
            Entry::Done {
                fingerprint,
                answer,
                at,
            },
        );
    }

    fn over(&self, limits: &Limits) -> bool {
        self.answers > limits.entries || self.body_bytes > limits.total_bytes
    }

    /// Drops expired answers, then the oldest, until the kept answers fit the limits.
    fn make_room(&mut self, limits: &Limits, now: Instant) {
        if !self.over(limits) {
            return;
        }
        let expired: Vec<Slot> = self
            .entries
            .iter()
            .filter(|(_, e)| {
                matches!(e, Entry::Done { at, .. } if now.duration_since(*at) >= limits.keep_for)
            })
            .map(|(slot, _)| slot.clone())
            .collect();
        for slot in &expired {
            self.remove(slot);
        }
        while self.over(limits) {
            let oldest = self
                .entries
                .iter()
                .filter_map(|(slot, e)| match e {
                    Entry::Done { at, .. } => Some((*at, slot)),
                    Entry::Running { .. } => None,
                })
                .min_by_key(|(at, _)| *at)
                .map(|(_, slot)| slot.clone());
            match oldest {
                Some(slot) => self.remove(&slot),
                None => break,
            }
        }
    }
}

/// The right to run a keyed request. Finishing it keeps the answer (or frees the key);
/// dropping it unfinished (the client went away) frees the key. Either way, requests
/// waiting on the key wake up.
#[derive(Debug)]
pub struct Ticket {
    store: Option<Arc<KeyStore>>,
    slot: Slot,
    fingerprint: Fingerprint,
    /// Dropped with the ticket, which is what wakes the waiting requests.
    _done: watch::Sender<()>,
}

impl Ticket {
    /// Keeps `answer` for repeats, or, with `None`, frees the key for another try.
    pub fn finish(mut self, answer: Option<Answer>, now: Instant) {
        let Some(store) = self.store.take() else {
            return;
        };
        let limits = store.limits;
        let mut inner = store.lock();
        inner.remove(&self.slot);
        if let Some(answer) = answer.filter(|a| a.body.len() <= limits.answer_bytes) {
            inner.keep(self.slot.clone(), self.fingerprint, answer, now);
            inner.make_room(&limits, now);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            store.lock().remove(&self.slot);
        }
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
