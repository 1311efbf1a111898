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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FloorId, StoreId};
    use crate::live::{Audience, Who};

    fn event(seq: u64, store: StoreId, who: Who) -> LiveEvent {
        LiveEvent {
            seq,
            audience: Audience {
                store,
                who,
                area: None,
            },
            frame: bytes::Bytes::from(format!("id: {seq}\n\n")),
        }
    }

    fn view(store: StoreId, floor: Option<FloorId>) -> View {
        View {
            store,
            every_floor: floor.is_none(),
            floor,
            key_areas: None,
        }
    }

    fn seqs(start: &Start) -> Vec<u64> {
        match start {
            Start::Replay { backlog, .. } | Start::FromLog { backlog, .. } => {
                backlog.iter().map(|e| e.seq).collect()
            }
            Start::Resync { .. } => Vec::new(),
        }
    }

    #[test]
    fn a_reconnect_is_given_what_its_group_missed_from_memory_or_the_log() {
        let (store, floor, other) = (StoreId::new(), FloorId::new(), FloorId::new());
        let hub = Hub::new(10, 100);
        let events = (11..=20)
            .map(|seq| {
                let who = if seq % 2 == 0 {
                    Who::Floor(other)
                } else {
                    Who::Everyone
                };
                event(seq, store, who)
            })
            .collect();
        hub.publish(events, 21);
        let manager = view(store, Some(floor));
        let start = hub.subscribe(manager, Some(14)).expect("open").start;
        assert_eq!(
            seqs(&start),
            vec![15, 17, 19],
            "only what the floor may see"
        );
        assert!(matches!(start, Start::Replay { through: 21, .. }));
        // Before what memory holds: the log is read from 5 up to 10 first.
        let start = hub.subscribe(manager, Some(5)).expect("open").start;
        assert!(matches!(
            start,
            Start::FromLog {
                after: 5,
                upto: 10,
                through: 21,
                ..
            }
        ));
        assert_eq!(seqs(&start).len(), 5);
        // An id the hub never gave, and one too far back.
        let start = hub.subscribe(manager, Some(99)).expect("open").start;
        assert!(matches!(start, Start::Resync { through: 21 }));
        let small = Hub::new(500, 100);
        let start = small.subscribe(manager, Some(300)).expect("open").start;
        assert!(matches!(start, Start::Resync { through: 500 }));
    }

    #[test]
    fn each_group_receives_only_its_events_and_closing_ends_every_stream() {
        let (store, one, two) = (StoreId::new(), FloorId::new(), FloorId::new());
        let hub = Hub::new(0, 100);
        let mut first = hub.subscribe(view(store, Some(one)), None).expect("open");
        let mut whole = hub.subscribe(view(store, None), None).expect("open");
        assert_eq!(hub.open_streams(), 2);
        hub.publish(
            vec![
                event(1, store, Who::Floor(two)),
                event(2, store, Who::Floor(one)),
            ],
            2,
        );
        assert_eq!(first.events.try_recv().expect("its floor's").seq, 2);
        assert!(first.events.try_recv().is_err(), "nothing else");
        assert_eq!(whole.events.try_recv().expect("the first").seq, 1);
        assert_eq!(whole.events.try_recv().expect("the second").seq, 2);
        hub.close();
        assert!(matches!(
            first.events.try_recv(),
            Err(broadcast::error::TryRecvError::Closed)
        ));
        assert!(hub.subscribe(view(store, None), None).is_none());
        drop((first, whole));
        assert_eq!(hub.open_streams(), 0);
    }
}
