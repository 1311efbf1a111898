//! Notifications and who has read them: one record per notification, a per-store index
//! in time order that carries each one's audience, the dedupe keys that make every
//! event notify once, and each person's read state (a mark, plus single reads above it).
//!
//! Bounded by design: a store keeps its newest [`MAX_KEPT`] notifications (older ones go
//! in the write that adds one), dedupe keys are forgotten after [`KEYS_KEPT_DAYS`], and
//! the bell's count reads index entries only, never records. Read marks are a person's
//! own view and are not change-logged; a new notification is.

use redb::{ReadableTable, WriteTransaction};

use super::codec::{decode, encode};
use super::repo::{Tables, load};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{Notification, NotificationAudience, NotificationId, StoreId, UserId};

/// How many notifications a store keeps.
pub const MAX_KEPT: u64 = 2_000;
/// How long a dedupe key is remembered: longer than any look-back for something due.
pub const KEYS_KEPT_DAYS: i64 = 60;
/// How many expired dedupe keys one write forgets at most.
const KEYS_FORGOTTEN_PER_WRITE: usize = 16;
const COUNTER: &str = "notifications";

/// Version 12: the notification tables, empty.
pub(super) fn create_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::NOTIFICATIONS)?;
    tx.open_table(tables::NOTIFICATIONS_BY_STORE)?;
    tx.open_table(tables::NOTIFICATION_KEYS)?;
    tx.open_table(tables::NOTIFICATION_KEYS_BY_TIME)?;
    tx.open_table(tables::NOTIFICATIONS_READ_UP_TO)?;
    tx.open_table(tables::NOTIFICATIONS_READ)?;
    Ok(())
}

/// A notification of the scope's store (whoever it is for: the caller decides that).
pub fn notification(
    tx: &impl Tables,
    scope: &Scope,
    id: NotificationId,
) -> Result<Option<Notification>, StoreError> {
    let found: Option<Notification> = load(tx, tables::NOTIFICATIONS, id.as_u128())?;
    Ok(found.filter(|n| n.store_id == scope.store_id()))
}

/// Whether a notification with `key` was already made in `store` (and is remembered).
pub fn already_made(tx: &impl Tables, store: StoreId, key: &str) -> Result<bool, StoreError> {
    let keys = tx.open(tables::NOTIFICATION_KEYS)?;
    Ok(keys.get((store.as_u128(), key))?.is_some())
}

/// Saves `notification` unless its dedupe key was made before; returns whether it was
/// saved. Removes the store's oldest beyond [`MAX_KEPT`] and a few expired keys in the
/// same transaction, and logs the new one.
pub fn insert(w: &mut Writer, notification: &Notification) -> Result<bool, StoreError> {
    let (s, id) = (notification.store_id.as_u128(), notification.id.as_u128());
    let at = notification.created_at.as_microsecond();
    {
        let mut keys = w.tx.open_table(tables::NOTIFICATION_KEYS)?;
        if keys.get((s, notification.dedupe_key.as_str()))?.is_some() {
            return Ok(false);
        }
        keys.insert((s, notification.dedupe_key.as_str()), at)?;
        w.tx.open_table(tables::NOTIFICATION_KEYS_BY_TIME)?
            .insert((s, at, notification.dedupe_key.as_str()), ())?;
    }
    forget_old_keys(w, s, w.now().as_microsecond())?;
    w.tx.open_table(tables::NOTIFICATIONS)?
        .insert(id, encode(notification)?.as_slice())?;
    w.tx.open_table(tables::NOTIFICATIONS_BY_STORE)?
        .insert((s, id), notification.audience.to_key())?;
    let kept = super::repo::bump_counter(w, notification.store_id, COUNTER, 1)?;
    if kept > MAX_KEPT {
        let removed = remove_oldest(w, s, kept - MAX_KEPT)?;
        let delta = i64::try_from(removed).unwrap_or(i64::MAX);
        super::repo::bump_counter(w, notification.store_id, COUNTER, -delta)?;
    }
    w.log(
        notification.store_id,
        EntityKind::Notification,
        id,
        ChangeOp::Created,
    )?;
    Ok(true)
}

fn forget_old_keys(w: &Writer, s: u128, now_micros: i64) -> Result<(), StoreError> {
    let cutoff = now_micros.saturating_sub(KEYS_KEPT_DAYS * 24 * 3600 * 1_000_000);
    let mut by_time = w.tx.open_table(tables::NOTIFICATION_KEYS_BY_TIME)?;
    let mut keys = w.tx.open_table(tables::NOTIFICATION_KEYS)?;
    let expired: Vec<(i64, String)> = by_time
        .range((s, i64::MIN, "")..(s, cutoff, ""))?
        .take(KEYS_FORGOTTEN_PER_WRITE)
        .map(|e| {
            let entry = e?;
            let (_, at, key) = entry.0.value();
            Ok((at, key.to_owned()))
        })
        .collect::<Result<_, StoreError>>()?;
    for (at, key) in expired {
        by_time.remove((s, at, key.as_str()))?;
        keys.remove((s, key.as_str()))?;
    }
    Ok(())
}

fn remove_oldest(w: &Writer, s: u128, count: u64) -> Result<u64, StoreError> {
    let mut index = w.tx.open_table(tables::NOTIFICATIONS_BY_STORE)?;
    let mut records = w.tx.open_table(tables::NOTIFICATIONS)?;
    let oldest: Vec<u128> = index
        .range((s, 0)..=(s, u128::MAX))?
        .take(usize::try_from(count).unwrap_or(usize::MAX))
        .map(|e| Ok(e?.0.value().1))
        .collect::<Result<_, StoreError>>()?;
    for id in &oldest {
        index.remove((s, *id))?;
        records.remove(*id)?;
    }
    Ok(oldest.len() as u64)
}

/// One person, as far as notifications go: whose marks to read, and which audiences
/// they belong to (`NotificationAudience::includes`, asked by the caller).
pub struct Audience<'a> {
    pub user: UserId,
    pub sees: &'a dyn Fn(NotificationAudience) -> bool,
}

impl std::fmt::Debug for Audience<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audience")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Up to `limit` of the notifications `who` sees in the scope's store, newest first,
/// each with whether they have read it.
pub fn list(
    tx: &impl Tables,
    scope: &Scope,
    who: &Audience<'_>,
    limit: usize,
) -> Result<Vec<(Notification, bool)>, StoreError> {
    let s = scope.store_id().as_u128();
    let index = tx.open(tables::NOTIFICATIONS_BY_STORE)?;
    let records = tx.open(tables::NOTIFICATIONS)?;
    let marks = Marks::read(tx, s, who.user)?;
    let single = tx.open(tables::NOTIFICATIONS_READ)?;
    let mut out = Vec::new();
    for entry in index.range((s, 0)..=(s, u128::MAX))?.rev() {
        if out.len() >= limit {
            break;
        }
        let (key, audience) = entry?;
        let id = key.value().1;
        if !NotificationAudience::from_key(audience.value()).is_some_and(who.sees) {
            continue;
        }
        let Some(bytes) = records.get(id)? else {
            continue;
        };
        let notification: Notification = decode(bytes.value())?;
        let read = marks.is_read(&single, id)?;
        out.push((notification, read));
    }
    Ok(out)
}

/// How many notifications `who` has not read, counting at most `cap`: reads index
/// entries newer than the person's mark only (at most [`MAX_KEPT`]), never a record.
pub fn unread_count(
    tx: &impl Tables,
    scope: &Scope,
    who: &Audience<'_>,
    cap: u32,
) -> Result<u32, StoreError> {
    let s = scope.store_id().as_u128();
    let index = tx.open(tables::NOTIFICATIONS_BY_STORE)?;
    let marks = Marks::read(tx, s, who.user)?;
    let single = tx.open(tables::NOTIFICATIONS_READ)?;
    let mut count = 0;
    let after = marks.up_to.saturating_add(1);
    for entry in index.range((s, after)..=(s, u128::MAX))?.rev() {
        if count >= cap {
            break;
        }
        let (key, audience) = entry?;
        let id = key.value().1;
        if NotificationAudience::from_key(audience.value()).is_some_and(who.sees)
            && !marks.is_read(&single, id)?
        {
            count += 1;
        }
    }
    Ok(count)
}

/// What one person has read.
struct Marks {
    store: u128,
    user: u128,
    up_to: u128,
}

impl Marks {
    fn read(tx: &impl Tables, store: u128, user: UserId) -> Result<Self, StoreError> {
        let table = tx.open(tables::NOTIFICATIONS_READ_UP_TO)?;
        let up_to = table.get((store, user.as_u128()))?.map_or(0, |v| v.value());
        Ok(Self {
            store,
            user: user.as_u128(),
            up_to,
        })
    }

    fn is_read(
        &self,
        single: &impl ReadableTable<(u128, u128, u128), ()>,
        id: u128,
    ) -> Result<bool, StoreError> {
        if id <= self.up_to {
            return Ok(true);
        }
        Ok(single.get((self.store, self.user, id))?.is_some())
    }
}

/// Marks everything in the store up to now read for `user`, forgetting the single reads
/// the mark now covers.
pub fn mark_all_read(w: &Writer, store: StoreId, user: UserId) -> Result<(), StoreError> {
    let (s, u) = (store.as_u128(), user.as_u128());
    let newest = {
        let index = w.tx.open_table(tables::NOTIFICATIONS_BY_STORE)?;
        let last = index.range((s, 0)..=(s, u128::MAX))?.next_back();
        match last {
            Some(entry) => entry?.0.value().1,
            None => return Ok(()),
        }
    };
    let mut marks = w.tx.open_table(tables::NOTIFICATIONS_READ_UP_TO)?;
    let before = marks.get((s, u))?.map_or(0, |v| v.value());
    if newest <= before {
        return Ok(());
    }
    marks.insert((s, u), newest)?;
    let mut single = w.tx.open_table(tables::NOTIFICATIONS_READ)?;
    single.retain_in((s, u, 0)..=(s, u, newest), |_, _| false)?;
    Ok(())
}

/// Marks the notifications `ids` read for `user` (those above their mark), forgetting
/// single reads of notifications the store no longer keeps.
pub fn mark_read(
    w: &Writer,
    store: StoreId,
    user: UserId,
    ids: &[NotificationId],
) -> Result<(), StoreError> {
    let (s, u) = (store.as_u128(), user.as_u128());
    let up_to =
        w.tx.open_table(tables::NOTIFICATIONS_READ_UP_TO)?
            .get((s, u))?
            .map_or(0, |v| v.value());
    let oldest_kept = {
        let index = w.tx.open_table(tables::NOTIFICATIONS_BY_STORE)?;
        let first = index.range((s, 0)..=(s, u128::MAX))?.next();
        match first {
            Some(entry) => entry?.0.value().1,
            None => return Ok(()),
        }
    };
    let mut single = w.tx.open_table(tables::NOTIFICATIONS_READ)?;
    for id in ids {
        let id = id.as_u128();
        if id > up_to && id >= oldest_kept {
            single.insert((s, u, id), ())?;
        }
    }
    single.retain_in((s, u, 0)..(s, u, oldest_kept), |_, _| false)?;
    Ok(())
}

/// Every store on the box, for the tasks that work on all of them (the scheduler); not
/// for request handling, which reads through a scope.
pub fn every_store(tx: &impl Tables) -> Result<Vec<StoreId>, StoreError> {
    let stores = tx.open(tables::STORES)?;
    stores
        .iter()?
        .map(|e| Ok(StoreId::from_u128(e?.0.value())))
        .collect()
}
