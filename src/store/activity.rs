//! Interactions and follow-ups: a customer's timeline, each floor's log, and the open
//! follow-ups by owner and by floor in order of due time.
//!
//! The open-follow-up indexes hold exactly the PENDING and RESCHEDULED follow-ups,
//! keyed by due time; [`update_follow_up`] moves an entry when the due time changes and
//! drops it when the follow-up is completed or cancelled, in the same transaction.

use redb::ReadableTable;

use super::repo::{Tables, decode_from, load, of_customer, save, store_ids};
use super::{
    ChangeOp, EntityKind, Page, PageRequest, Scope, StoreError, Writer, collect_page, tables,
};
use crate::domain::{
    CustomerId, FloorId, FollowUp, FollowUpId, FollowUpStatus, Interaction, InteractionId, UserId,
};

/// Keys read lazily from an index, in the order wanted.
type Keys<'t, K> = Box<dyn Iterator<Item = Result<K, StoreError>> + 't>;

/// Merges streams that are each already in order into one stream in that order
/// (largest first when `descending`). Used to read a whole store from per-floor indexes:
/// a store has a handful of floors, so this is a few cursors, never a scan.
fn merged<'t, K: Ord + Copy + 't>(mut streams: Vec<Keys<'t, K>>, descending: bool) -> Keys<'t, K> {
    let mut heads: Vec<Option<Result<K, StoreError>>> =
        streams.iter_mut().map(|s| s.next()).collect();
    Box::new(std::iter::from_fn(move || {
        if let Some(i) = heads.iter().position(|h| matches!(h, Some(Err(_)))) {
            let failed = heads[i].take();
            heads.iter_mut().for_each(|h| *h = None);
            return failed;
        }
        let (best, _) = heads
            .iter()
            .enumerate()
            .filter_map(|(i, h)| match h {
                Some(Ok(key)) => Some((i, *key)),
                _ => None,
            })
            .reduce(|a, b| {
                let better = if descending { b.1 > a.1 } else { b.1 < a.1 };
                if better { b } else { a }
            })?;
        let out = heads[best].take();
        heads[best] = streams[best].next();
        out
    }))
}

fn missing(what: &str) -> StoreError {
    StoreError::Codec(format!("an index names a missing {what}"))
}

// ---- interactions ----

/// An interaction inside the scope (its store, and its floor for a floor scope).
pub fn interaction(
    tx: &impl Tables,
    scope: &Scope,
    id: InteractionId,
) -> Result<Option<Interaction>, StoreError> {
    let found: Option<Interaction> = load(tx, tables::INTERACTIONS, id.as_u128())?;
    Ok(found.filter(|i| scope.covers(i.store_id, Some(i.floor_id))))
}

/// Saves a new interaction with its customer and floor index entries. Give it an id
/// made at its `occurred_at` (`InteractionId::created_at`), so the indexes, which are
/// in id order, list interactions in the order they happened.
pub fn insert_interaction(w: &mut Writer, interaction: &Interaction) -> Result<(), StoreError> {
    let (s, id) = (interaction.store_id.as_u128(), interaction.id.as_u128());
    w.tx.open_table(tables::INTERACTIONS_BY_CUSTOMER)?
        .insert((s, interaction.customer_id.as_u128(), id), ())?;
    w.tx.open_table(tables::INTERACTIONS_BY_FLOOR)?
        .insert((s, interaction.floor_id.as_u128(), id), ())?;
    super::customer_values::interaction_logged(w, interaction)?;
    super::figures::interaction_saved(w, interaction)?;
    save(w, tables::INTERACTIONS, id, interaction)?;
    w.log(
        interaction.store_id,
        EntityKind::Interaction,
        id,
        ChangeOp::Created,
    )
}

/// Which interactions to list; both `None` lists every floor the scope covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct InteractionFilter {
    pub customer: Option<CustomerId>,
    pub floor: Option<FloorId>,
}

/// One page of interactions in the scope, newest first.
pub fn list_interactions(
    tx: &impl Tables,
    scope: &Scope,
    filter: InteractionFilter,
    request: PageRequest,
) -> Result<Page<Interaction>, StoreError> {
    let s = scope.store_id().as_u128();
    let floor = filter.floor.or(scope.floor_id());
    let records = tx.open(tables::INTERACTIONS)?;
    let load = |id: Result<u128, StoreError>| -> Result<Interaction, StoreError> {
        decode_from(&records, id?)?.ok_or_else(|| missing("interaction"))
    };
    let keep = |i: &Interaction| {
        scope.covers(i.store_id, Some(i.floor_id)) && floor.is_none_or(|f| i.floor_id == f)
    };
    if let Some(customer) = filter.customer {
        let index = tx.open(tables::INTERACTIONS_BY_CUSTOMER)?;
        let c = customer.as_u128();
        let ids = index
            .range((s, c, 0)..=(s, c, u128::MAX))?
            .rev()
            .map(|e| Ok(e?.0.value().2));
        return collect_page(ids.map(load), keep, request, None, 0);
    }
    let index = tx.open(tables::INTERACTIONS_BY_FLOOR)?;
    let floor_ids = |f: u128| -> Result<Keys<'_, u128>, StoreError> {
        Ok(Box::new(
            index
                .range((s, f, 0)..=(s, f, u128::MAX))?
                .rev()
                .map(|e| Ok(e?.0.value().2)),
        ))
    };
    if let Some(f) = floor {
        if !scope.covers(scope.store_id(), Some(f)) {
            return collect_page(std::iter::empty(), keep, request, None, 0);
        }
        // Nothing on one floor's index is filtered out, so earlier pages are skipped
        // by key without reading their records.
        let skip = request.offset();
        let ids = floor_ids(f.as_u128())?.skip(skip);
        return collect_page(ids.map(load), keep, request, None, skip);
    }
    let mut streams = Vec::new();
    for f in store_ids(tx, tables::FLOORS_BY_STORE, scope.store_id(), false)? {
        streams.push(floor_ids(f)?);
    }
    collect_page(merged(streams, true).map(load), keep, request, None, 0)
}

// ---- follow-ups ----

/// A follow-up inside the scope.
pub fn follow_up(
    tx: &impl Tables,
    scope: &Scope,
    id: FollowUpId,
) -> Result<Option<FollowUp>, StoreError> {
    let found: Option<FollowUp> = load(tx, tables::FOLLOW_UPS, id.as_u128())?;
    Ok(found.filter(|f| scope.covers(f.store_id, Some(f.floor_id))))
}

fn is_open(status: FollowUpStatus) -> bool {
    matches!(
        status,
        FollowUpStatus::Pending | FollowUpStatus::Rescheduled
    )
}

/// The `(owner, due)` and `(floor, due)` keys of a follow-up, if it is open.
type OpenKeys = ((u128, u128, i64, u128), (u128, u128, i64, u128));

fn open_keys(f: &FollowUp) -> Option<OpenKeys> {
    let (s, due, id) = (
        f.store_id.as_u128(),
        f.due_at.as_microsecond(),
        f.id.as_u128(),
    );
    is_open(f.status).then_some((
        (s, f.owner_id.as_u128(), due, id),
        (s, f.floor_id.as_u128(), due, id),
    ))
}

fn move_open(w: &Writer, old: Option<OpenKeys>, new: Option<OpenKeys>) -> Result<(), StoreError> {
    if old == new {
        return Ok(());
    }
    let mut by_owner = w.tx.open_table(tables::OPEN_FOLLOW_UPS_BY_OWNER)?;
    let mut by_floor = w.tx.open_table(tables::OPEN_FOLLOW_UPS_BY_FLOOR)?;
    if let Some((owner, floor)) = old {
        by_owner.remove(owner)?;
        by_floor.remove(floor)?;
    }
    if let Some((owner, floor)) = new {
        by_owner.insert(owner, ())?;
        by_floor.insert(floor, ())?;
    }
    Ok(())
}

pub fn insert_follow_up(w: &mut Writer, follow_up: &FollowUp) -> Result<(), StoreError> {
    let (s, id) = (follow_up.store_id.as_u128(), follow_up.id.as_u128());
    w.tx.open_table(tables::FOLLOW_UPS_BY_CUSTOMER)?
        .insert((s, follow_up.customer_id.as_u128(), id), ())?;
    move_open(w, None, open_keys(follow_up))?;
    save(w, tables::FOLLOW_UPS, id, follow_up)?;
    w.log(
        follow_up.store_id,
        EntityKind::FollowUp,
        id,
        ChangeOp::Created,
    )
}

/// Saves a changed follow-up, keeping the open indexes in step with its status, due
/// time and owner.
pub fn update_follow_up(w: &mut Writer, old: &FollowUp, new: &FollowUp) -> Result<(), StoreError> {
    move_open(w, open_keys(old), open_keys(new))?;
    save(w, tables::FOLLOW_UPS, new.id.as_u128(), new)?;
    w.log(
        new.store_id,
        EntityKind::FollowUp,
        new.id.as_u128(),
        ChangeOp::Updated,
    )
}

/// Up to `limit` of a customer's follow-ups inside the scope, newest first.
pub fn follow_ups_of_customer(
    tx: &impl Tables,
    scope: &Scope,
    customer: CustomerId,
    limit: usize,
) -> Result<Vec<FollowUp>, StoreError> {
    of_customer(
        tx,
        tables::FOLLOW_UPS_BY_CUSTOMER,
        tables::FOLLOW_UPS,
        (scope.store_id(), customer.as_u128()),
        limit,
        |f: &FollowUp| scope.covers(f.store_id, Some(f.floor_id)),
    )
}

/// Whose open follow-ups to read.
#[derive(Debug, Clone, Copy)]
pub enum OpenOf {
    Owner(UserId),
    Floor(FloorId),
    /// Every floor the scope covers.
    Scope,
}

/// Due times in microseconds: `from` inclusive, `before` exclusive.
#[derive(Debug, Clone, Copy)]
pub struct DueRange {
    pub from: i64,
    pub before: i64,
}

impl DueRange {
    pub const ALL: DueRange = DueRange {
        from: i64::MIN,
        before: i64::MAX,
    };
}

/// `(due, id)` of the open follow-ups of one owner or floor due within `due`.
fn due_range<'t>(
    table: &'t impl ReadableTable<(u128, u128, i64, u128), ()>,
    store: u128,
    who: u128,
    due: DueRange,
) -> Result<Keys<'t, (i64, u128)>, StoreError> {
    let last = due.before.saturating_sub(1);
    if due.from > last {
        return Ok(Box::new(std::iter::empty()));
    }
    Ok(Box::new(
        table
            .range((store, who, due.from, 0)..=(store, who, last, u128::MAX))?
            .map(|e| {
                let (_, _, due, id) = e?.0.value();
                Ok((due, id))
            }),
    ))
}

/// One page of open follow-ups in the scope, soonest due first, that `keep` admits.
pub fn open_follow_ups(
    tx: &impl Tables,
    scope: &Scope,
    of: OpenOf,
    due: DueRange,
    keep: impl Fn(&FollowUp) -> bool,
    request: PageRequest,
) -> Result<Page<FollowUp>, StoreError> {
    let s = scope.store_id().as_u128();
    let records = tx.open(tables::FOLLOW_UPS)?;
    let by_owner = tx.open(tables::OPEN_FOLLOW_UPS_BY_OWNER)?;
    let by_floor = tx.open(tables::OPEN_FOLLOW_UPS_BY_FLOOR)?;
    let keys = match of {
        OpenOf::Owner(owner) => due_range(&by_owner, s, owner.as_u128(), due)?,
        OpenOf::Floor(floor) => due_range(&by_floor, s, floor.as_u128(), due)?,
        OpenOf::Scope => match scope.floor_id() {
            Some(floor) => due_range(&by_floor, s, floor.as_u128(), due)?,
            None => {
                let mut streams = Vec::new();
                for f in store_ids(tx, tables::FLOORS_BY_STORE, scope.store_id(), false)? {
                    streams.push(due_range(&by_floor, s, f, due)?);
                }
                merged(streams, false)
            }
        },
    };
    let load = |key: Result<(i64, u128), StoreError>| -> Result<FollowUp, StoreError> {
        decode_from(&records, key?.1)?.ok_or_else(|| missing("follow-up"))
    };
    collect_page(
        keys.map(load),
        |f| scope.covers(f.store_id, Some(f.floor_id)) && keep(f),
        request,
        None,
        0,
    )
}
