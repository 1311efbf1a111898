//! Opening a live-events stream: who may, what group they join, and the stream itself,
//! which replays what a reconnecting tablet missed, then passes on the hub's events
//! until its session ends or locks.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

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
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    Ok(Streaming {
        holder,
        events,
        signals,
        pending,
        last,
        heartbeat,
        _open: open,
    })
}

/// The stream's next frame, or `None` when it ends.
async fn next_frame(mut state: Streaming) -> Option<(Bytes, Streaming)> {
    loop {
        if let Some(frame) = state.pending.pop_front() {
            return Some((frame, state));
        }
        tokio::select! {
            received = state.events.recv() => match received {
                Ok(event) => {
                    if event.seq <= state.last {
                        continue;
                    }
                    state.last = event.seq;
                    if state.holder.keeps(&event) {
                        return Some((event.frame.clone(), state));
                    }
                }
                // Too slow for the group's buffer: join again after the last change
                // handled, catching up from the hub's recent events or the change log.
                Err(RecvError::Lagged(_)) => {
                    let holder = state.holder.clone();
                    state = begin(holder, Some(state.last)).await.ok()?;
                }
                Err(RecvError::Closed) => return None,
            },
            signal = state.signals.recv() => {
                let recheck = match signal {
                    Ok(signal) => state.holder.concerns(signal),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return None,
                };
                if recheck && !state.holder.may_go_on().await {
                    return None;
                }
            }
            _ = state.heartbeat.tick() => {
                if !state.holder.may_go_on().await {
                    return None;
                }
                return Some((Bytes::from_static(HEARTBEAT_FRAME), state));
            }
        }
    }
}
