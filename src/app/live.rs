//! Opening a live-events stream: who may, what group they join, and the stream itself,
//! which replays what a reconnecting tablet missed, then passes on the hub's events
//! until its session ends or locks.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::{Actor, Crm, Error, Permission};
use crate::domain::UserId;
use crate::live::{
    HEARTBEAT_FRAME, LiveEvent, OpenStream, RETRY_FRAME, Signal, Start, Subscription, View, Who,
    events_for, readable_areas, resync_frame,
};

/// The group `actor` joins: exactly what their reads may cover.
fn view_of(actor: &Actor) -> View {
    View {
        store: actor.store_id,
        every_floor: actor.may(Permission::EveryFloor),
        floor: actor.floor_id,
        key_areas: actor.key.as_ref().map(|key| readable_areas(&key.scope)),
    }
}

/// Who a stream belongs to, and how its right to go on is checked again.
#[derive(Clone)]
struct Holder {
    crm: Crm,
    token: Arc<str>,
    token_hash: [u8; 32],
    /// The person, or the API key, whose change may end the stream.
    principal: u128,
    user: UserId,
    view: View,
}

impl Holder {
    /// Whether the session (or key) is still live and unlocked, and still sees what
    /// it saw when the stream opened; a change of floor or role ends the stream, and
    /// the reconnect joins the right group.
    async fn may_go_on(&self) -> bool {
        let (crm, token, view) = (self.crm.clone(), self.token.clone(), self.view);
        crm.run(move |crm| {
            Ok(crm
                .peek_session(&token)
                .map(|actor| view_of(&actor) == view))
        })
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(false)
    }

    fn concerns(&self, signal: Signal) -> bool {
        match signal {
            Signal::Session(hash) => hash == self.token_hash,
            Signal::Principal(id) => id == self.principal || id == self.user.as_u128(),
        }
    }

    /// Whether `event`, already matched to this stream's group, is for this person.
    fn keeps(&self, event: &LiveEvent) -> bool {
        match event.audience.who {
            Who::Person(user) => user == self.user,
            _ => true,
        }
    }
}

struct Streaming {
    holder: Holder,
    events: tokio::sync::broadcast::Receiver<Arc<LiveEvent>>,
    signals: tokio::sync::broadcast::Receiver<Signal>,
    pending: VecDeque<Bytes>,
    /// The newest change this stream has sent or passed over.
    last: u64,
    heartbeat: tokio::time::Interval,
    /// Events were missed from the group's buffer: rejoin before reading on.
    lagged: bool,
    _open: OpenStream,
}

impl Crm {
    /// A stream of the changes `actor` may see, as Server-Sent Events frames, starting
    /// after `last_event_id` (what a reconnecting browser sends) or now.
    pub async fn open_event_stream(
        &self,
        actor: &Actor,
        token: &str,
        last_event_id: Option<u64>,
    ) -> Result<impl Stream<Item = Bytes> + Send + 'static, Error> {
        if self.live.open_streams() >= self.config.live.max_streams {
            return Err(Error::TooManyRequests {
                message: "too many live streams are open on the box; this page will try again"
                    .into(),
                retry_after_secs: 30,
            });
        }
        let holder = Holder {
            crm: self.clone(),
            token: token.into(),
            token_hash: super::auth::token_hash(token),
            principal: actor
                .key
                .as_ref()
                .map_or(actor.user_id.as_u128(), |k| k.id.as_u128()),
            user: actor.user_id,
            view: view_of(actor),
        };
        let mut state = begin(holder, last_event_id).await?;
        state.pending.push_front(Bytes::from_static(RETRY_FRAME));
        Ok(futures_util::stream::unfold(state, next_frame))
    }

    /// The events of the changes after `after` up to `upto`, read again from the log.
    async fn logged_events(&self, after: u64, upto: u64) -> Result<Vec<LiveEvent>, Error> {
        self.run(move |crm| {
            let count = usize::try_from(upto.saturating_sub(after)).unwrap_or(usize::MAX);
            Ok(crm.db.read(|rx| {
                let changes = rx.changes_after(after, count)?;
                events_for(rx, &changes)
            })?)
        })
        .await
    }
}

/// Joins the holder's group after `after` and lines up what it missed.
async fn begin(holder: Holder, after: Option<u64>) -> Result<Streaming, Error> {
    let crm = holder.crm.clone();
    let Subscription {
        events,
        signals,
        start,
        open,
    } = crm
        .live
        .subscribe(holder.view, after)
        .ok_or_else(|| Error::TooManyRequests {
            message: "the server is restarting; this page will try again".into(),
            retry_after_secs: 5,
        })?;
    let frames = |events: &[Arc<LiveEvent>]| -> Vec<Bytes> {
        events
            .iter()
            .filter(|e| holder.keeps(e))
            .map(|e| e.frame.clone())
            .collect()
    };
    let mut pending = VecDeque::new();
    let last = match start {
        Start::Resync { through } => {
            pending.push_back(resync_frame(through));
            through
        }
        Start::Replay { backlog, through } => {
            pending.extend(frames(&backlog));
            through
        }
        Start::FromLog {
            after,
            upto,
            backlog,
            through,
        } => {
            let view = holder.view;
            let logged: Vec<Arc<LiveEvent>> = crm
                .logged_events(after, upto)
                .await?
                .into_iter()
                .filter(|e| view.sees(&e.audience))
                .map(Arc::new)
                .collect();
            pending.extend(frames(&logged));
            pending.extend(frames(&backlog));
            through
        }
    };
    let period = Duration::from_secs(crm.config.live.heartbeat_secs);
    let first = tokio::time::Instant::now() + period + spread(period);
    let mut heartbeat = tokio::time::interval_at(first, period);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    Ok(Streaming {
        holder,
        events,
        signals,
        pending,
        last,
        heartbeat,
        lagged: false,
        _open: open,
    })
}

/// A share of `period` that differs from one stream to the next, so that the streams
/// of tablets that connected together (after a Wi-Fi drop, or a restart) do not all
/// check their sessions in the same instant.
fn spread(period: Duration) -> Duration {
    static OPENED: AtomicU64 = AtomicU64::new(0);
    // The golden ratio's fraction spreads successive streams evenly over the period.
    let n = OPENED.fetch_add(1, Ordering::Relaxed);
    let fraction = (n as f64 * 0.618_033_988_749_895).fract();
    period.mul_f64(fraction)
}

/// Events sent together at most, when several wait for a stream at once.
const GATHER: usize = 64;

/// The stream's next frame, or `None` when it ends.
async fn next_frame(mut state: Streaming) -> Option<(Bytes, Streaming)> {
    loop {
        if let Some(frame) = state.pending.pop_front() {
            return Some((frame, state));
        }
        if std::mem::take(&mut state.lagged) {
            let holder = state.holder.clone();
            state = Box::pin(begin(holder, Some(state.last))).await.ok()?;
            continue;
        }
        tokio::select! {
            received = state.events.recv() => match received {
                Ok(event) => {
                    state.take(&event);
                    state.gather();
                }
                // Too slow for the group's buffer: join again after the last change
                // handled, catching up from the hub's recent events or the change log.
                // Boxed, so that every stream's waiting state stays small.
                Err(RecvError::Lagged(_)) => state.lagged = true,
                Err(RecvError::Closed) => return None,
            },
            signal = state.signals.recv() => {
                let recheck = match signal {
                    Ok(signal) => state.holder.concerns(signal),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                };
                if recheck && !Box::pin(state.holder.may_go_on()).await {
                    return None;
                }
            }
            _ = state.heartbeat.tick() => {
                if !Box::pin(state.holder.may_go_on()).await {
                    return None;
                }
                return Some((Bytes::from_static(HEARTBEAT_FRAME), state));
            }
        }
    }
}

impl Streaming {
    /// Lines up `event` unless it was sent already or is someone else's notice.
    fn take(&mut self, event: &LiveEvent) {
        if event.seq <= self.last {
            return;
        }
        self.last = event.seq;
        if self.holder.keeps(event) {
            self.pending.push_back(event.frame.clone());
        }
    }

    /// Takes the events already waiting and joins them into one write, so that a
    /// stream that fell behind during a burst catches up in one go rather than one
    /// socket write per event.
    fn gather(&mut self) {
        for _ in 0..GATHER {
            match self.events.try_recv() {
                Ok(event) => self.take(&event),
                Err(TryRecvError::Lagged(_)) => {
                    // The receiver has moved past what it missed: only a rejoin can
                    // give it back.
                    self.lagged = true;
                    break;
                }
                // Closing is seen by the next `recv`.
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        if self.pending.len() > 1 {
            let size = self.pending.iter().map(Bytes::len).sum();
            let mut joined = bytes::BytesMut::with_capacity(size);
            for frame in self.pending.drain(..) {
                joined.extend_from_slice(&frame);
            }
            self.pending.push_back(joined.freeze());
        }
    }
}
