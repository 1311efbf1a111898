//! The publisher: follows the change log after each commit and hands the hub the
//! events of what is new, reading each changed record once.

use std::sync::Arc;

use tokio::sync::watch;

use super::event::events_for;
use super::hub::{Hub, Signal};
use crate::store::{Change, Db, EntityKind, StoreError};

/// Changes read from the log per step.
const BATCH: usize = 1_000;

/// Publishes every change after the hub's last one; returns when caught up.
pub fn catch_up(hub: &Hub, db: &Db) -> Result<(), StoreError> {
    let durable = db.durable_change();
    loop {
        let after = hub.published();
        let (changes, events) = db.read(|rx| -> Result<_, StoreError> {
            let mut changes = rx.changes_after(after, BATCH)?;
            // Nobody hears of a change before it is on disk (see `store::group_commit`).
            changes.retain(|change| change.seq <= durable);
            let events = events_for(rx, &changes)?;
            Ok((changes, events))
        })?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(());
        };
        for change in &changes {
            signal_streams(hub, change);
        }
        hub.publish(events, last);
    }
}

/// A person or key that changed may have lost the right to what their streams show.
fn signal_streams(hub: &Hub, change: &Change) {
    if matches!(change.kind, EntityKind::User | EntityKind::ApiKey) {
        hub.signal(Signal::Principal(change.id));
    }
}

/// Follows the change log until `stop` changes or the database goes away.
pub fn spawn_publisher(
    hub: Arc<Hub>,
    db: Db,
    mut stop: watch::Receiver<()>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut committed = db.subscribe();
        loop {
            let (hub, db) = (hub.clone(), db.clone());
            match tokio::task::spawn_blocking(move || catch_up(&hub, &db)).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => {
                    tracing::error!(%err, "live events could not read the change log; will retry on the next change")
                }
                Err(err) => tracing::error!(%err, "live events task failed"),
            }
            tokio::select! {
                changed = committed.changed() => if changed.is_err() { break },
                _ = stop.changed() => break,
            }
        }
    })
}
