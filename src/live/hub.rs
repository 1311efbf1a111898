//! The hub: the published events, the groups of streams waiting for them, and the
//! recent events a reconnecting tablet is given again.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use super::audience::View;
use super::event::LiveEvent;

/// Events each group's channel holds for its slowest stream before that stream is
/// told it lagged (it then catches up from the recent events or the change log).
const GROUP_BUFFER: usize = 256;
/// Events kept in memory for reconnects; older ones are read again from the change log.
const RECENT_EVENTS: usize = 4096;
/// Signals held for streams that have not looked at them yet.
const SIGNAL_BUFFER: usize = 64;

/// Tells open streams to check whether they may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The session with this token hash ended or was locked.
    Session([u8; 32]),
    /// This person or API key changed (role, floor, deactivated, revoked).
    Principal(u128),
}

/// How a new stream begins.
#[derive(Debug)]
pub enum Start {
    /// Send `backlog` (already limited to the stream's group), then live events after
    /// `through`.
    Replay {
        backlog: Vec<Arc<LiveEvent>>,
        through: u64,
    },
    /// The client's last event is older than memory holds: read the changes after
    /// `after` up to `upto` from the change log first, then as [`Start::Replay`].
    FromLog {
        after: u64,
        upto: u64,
        backlog: Vec<Arc<LiveEvent>>,
        through: u64,
    },
    /// What was missed cannot be given exactly: tell the page to redraw, then go on
    /// after `through`.
    Resync { through: u64 },
}

#[derive(Debug)]
pub struct Subscription {
    pub events: broadcast::Receiver<Arc<LiveEvent>>,
    pub signals: broadcast::Receiver<Signal>,
    pub start: Start,
    pub open: OpenStream,
}

/// Counts a stream as open for as long as it lives.
#[derive(Debug)]
pub struct OpenStream(Arc<Hub>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Debug)]
struct State {
    groups: HashMap<View, broadcast::Sender<Arc<LiveEvent>>>,
    recent: VecDeque<Arc<LiveEvent>>,
    /// Every event after this sequence is in `recent`.
    recent_after: u64,
    /// The newest change published, whether or not it made an event.
    published: u64,
    closed: bool,
}

#[derive(Debug)]
pub struct Hub {
    state: Mutex<State>,
    signals: broadcast::Sender<Signal>,
    streams: AtomicUsize,
    events: AtomicU64,
    /// How far back a reconnect may be given what it missed, in changes.
    replay_limit: u64,
}

impl Hub {
    /// A hub whose first event will follow change `published`.
    pub fn new(published: u64, replay_limit: u64) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State {
                groups: HashMap::new(),
                recent: VecDeque::new(),
                recent_after: published,
                published,
                closed: false,
            }),
            signals: broadcast::channel(SIGNAL_BUFFER).0,
            streams: AtomicUsize::new(0),
            events: AtomicU64::new(0),
            replay_limit,
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing in the state is left half-changed by a panic: each field is set whole.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Joins `view`'s group, starting after `after` (a `Last-Event-ID`) or now.
    /// `None` once the server is stopping.
    pub fn subscribe(self: &Arc<Self>, view: View, after: Option<u64>) -> Option<Subscription> {
        let mut state = self.state();
        if state.closed {
            return None;
        }
        let events = state
            .groups
            .entry(view)
            .or_insert_with(|| broadcast::channel(GROUP_BUFFER).0)
            .subscribe();
        let through = state.published;
        let backlog = |after: u64| -> Vec<Arc<LiveEvent>> {
            state
                .recent
                .iter()
                .filter(|e| e.seq > after && view.sees(&e.audience))
                .cloned()
                .collect()
        };
        let start = match after {
            None => Start::Replay {
                backlog: Vec::new(),
                through,
            },
            Some(after) if after > through => Start::Resync { through },
            Some(after) if after >= state.recent_after => Start::Replay {
                backlog: backlog(after),
                through,
            },
            Some(after) if state.recent_after - after <= self.replay_limit => Start::FromLog {
                after,
                upto: state.recent_after,
                backlog: backlog(state.recent_after),
                through,
            },
            Some(_) => Start::Resync { through },
        };
        drop(state);
        self.streams.fetch_add(1, Ordering::Relaxed);
        Some(Subscription {
            events,
            signals: self.signals.subscribe(),
            start,
            open: OpenStream(self.clone()),
        })
    }

    /// Sends each event to the groups that may see it, and notes that every change up to
    /// `through` is published. Groups no stream listens to any more are dropped.
    pub fn publish(&self, events: Vec<LiveEvent>, through: u64) {
        let mut state = self.state();
        state.groups.retain(|_, group| group.receiver_count() > 0);
        for event in events {
            let event = Arc::new(event);
            for (view, group) in &state.groups {
                if view.sees(&event.audience) {
                    // No receiver between the retain and now is not an error.
                    let _ = group.send(event.clone());
                }
            }
            if state.recent.len() == RECENT_EVENTS
                && let Some(oldest) = state.recent.pop_front()
            {
                state.recent_after = oldest.seq;
            }
            state.recent.push_back(event);
            self.events.fetch_add(1, Ordering::Relaxed);
        }
        state.published = state.published.max(through);
    }

    /// The newest change published.
    pub fn published(&self) -> u64 {
        self.state().published
    }

    pub fn signal(&self, signal: Signal) {
        // No stream open is not an error.
        let _ = self.signals.send(signal);
    }

    /// Ends every stream (the server is stopping) and refuses new ones, so a graceful
    /// shutdown does not wait for tablets that would never hang up.
    pub fn close(&self) {
        let mut state = self.state();
        state.closed = true;
        state.groups.clear();
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.streams.load(Ordering::Relaxed)
    }

    /// Events published since the start.
    pub fn events_published(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }
}
