//! Stores and their floors.

use redb::ReadableTable;

use super::repo::{Tables, add_to_store_index, claim_unique, load, save, store_ids};
use super::{ChangeOp, Deleted, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{Floor, FloorId, Store, StoreId};

/// Finds a store by name for the command line (`user add --store`). Request handling
/// reads its store through [`store`], which takes a scope.
pub fn find_store_by_name(tx: &impl Tables, name: &str) -> Result<Option<Store>, StoreError> {
    let index = tx.open(tables::STORES_BY_NAME)?;
    let id = index
        .get(name.trim().to_lowercase().as_str())?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => load(tx, tables::STORES, id),
        None => Ok(None),
    }
}

/// The box's store when it has exactly one (it nearly always does), for commands that
/// name no store. Deliberately unscoped: it is how a scope is found in the first place.
pub fn only_store(tx: &impl Tables) -> Result<Option<Store>, StoreError> {
    let index = tx.open(tables::STORES_BY_NAME)?;
    let mut ids = Vec::new();
    for entry in index.iter()?.take(2) {
        ids.push(entry?.1.value());
    }
    drop(index);
    let id = match ids.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    match id {
        Some(id) => load(tx, tables::STORES, id),
        None => Ok(None),
    }
}

pub fn insert_store(w: &mut Writer, store: &Store) -> Result<(), StoreError> {
    let key = store.name.as_str().to_lowercase();
    {
        let mut index = w.tx.open_table(tables::STORES_BY_NAME)?;
        if let Some(existing) = index.get(key.as_str())?.map(|v| v.value()) {
            return Err(StoreError::Duplicate {
                what: "store name",
                existing,
            });
        }
        index.insert(key.as_str(), store.id.as_u128())?;
    }
    save(w, tables::STORES, store.id.as_u128(), store)?;
    w.log(
        store.id,
        EntityKind::Store,
        store.id.as_u128(),
        ChangeOp::Created,
    )
}

/// The scope's own store.
pub fn store(tx: &impl Tables, scope: &Scope) -> Result<Option<Store>, StoreError> {
    load(tx, tables::STORES, scope.store_id().as_u128())
}

/// Saves a store's settings. The name is not changed here: the command line finds the
/// store by it.
pub fn update_store(w: &mut Writer, store: &Store) -> Result<(), StoreError> {
    save(w, tables::STORES, store.id.as_u128(), store)?;
    w.log(
        store.id,
        EntityKind::Store,
        store.id.as_u128(),
        ChangeOp::Updated,
    )
}

/// A floor of the scope's store, deleted or not; `None` if it belongs to another store.
pub fn floor(tx: &impl Tables, scope: &Scope, id: FloorId) -> Result<Option<Floor>, StoreError> {
    let found: Option<Floor> = load(tx, tables::FLOORS, id.as_u128())?;
    Ok(found.filter(|f| f.store_id == scope.store_id()))
}

/// The store's floors from the ground up.
pub fn floors(tx: &impl Tables, scope: &Scope, deleted: Deleted) -> Result<Vec<Floor>, StoreError> {
    let mut floors = Vec::new();
    for id in store_ids(tx, tables::FLOORS_BY_STORE, scope.store_id(), false)? {
        if let Some(floor) = load::<Floor>(tx, tables::FLOORS, id)?
            && deleted.admits(floor.deleted_at)
        {
            floors.push(floor);
        }
    }
    floors.sort_by(|a, b| (a.level, a.name.as_str()).cmp(&(b.level, b.name.as_str())));
    Ok(floors)
}

pub fn find_floor_by_name(
    tx: &impl Tables,
    store: StoreId,
    name: &str,
) -> Result<Option<Floor>, StoreError> {
    let index = tx.open(tables::FLOORS_BY_NAME)?;
    let key = name.trim().to_lowercase();
    let id = index
        .get((store.as_u128(), key.as_str()))?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => load(tx, tables::FLOORS, id),
        None => Ok(None),
    }
}

pub fn insert_floor(w: &mut Writer, floor: &Floor) -> Result<(), StoreError> {
    let key = floor.name.as_str().to_lowercase();
    claim_unique(
        w,
        tables::FLOORS_BY_NAME,
        floor.store_id,
        &key,
        floor.id.as_u128(),
        "floor name",
    )?;
    add_to_store_index(
        w,
        tables::FLOORS_BY_STORE,
        floor.store_id,
        floor.id.as_u128(),
    )?;
    save(w, tables::FLOORS, floor.id.as_u128(), floor)?;
    w.log(
        floor.store_id,
        EntityKind::Floor,
        floor.id.as_u128(),
        ChangeOp::Created,
    )
}

/// Saves a changed floor; `op` says whether it was an edit, a delete or a restore.
pub fn update_floor(
    w: &mut Writer,
    old: &Floor,
    new: &Floor,
    op: ChangeOp,
) -> Result<(), StoreError> {
    let (old_key, new_key) = (
        old.name.as_str().to_lowercase(),
        new.name.as_str().to_lowercase(),
    );
    if old_key != new_key {
        claim_unique(
            w,
            tables::FLOORS_BY_NAME,
            new.store_id,
            &new_key,
            new.id.as_u128(),
            "floor name",
        )?;
        super::repo::release_unique(w, tables::FLOORS_BY_NAME, old.store_id, &old_key)?;
    }
    save(w, tables::FLOORS, new.id.as_u128(), new)?;
    w.log(new.store_id, EntityKind::Floor, new.id.as_u128(), op)
}
