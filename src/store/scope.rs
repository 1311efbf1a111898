//! The part of the data a request may read: always one store, sometimes one floor.

use crate::domain::{FloorId, StoreId};

/// Built by the app layer from the signed-in user; every read for a request takes one,
/// so no request can read another store's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    store: StoreId,
    floor: Option<FloorId>,
}

impl Scope {
    /// The whole store.
    pub fn store(store: StoreId) -> Self {
        Self { store, floor: None }
    }

    /// The same store without the floor limit: for records every floor shares (the
    /// customer and the catalogue behind a floor's sale).
    pub fn store_only(&self) -> Self {
        Self::store(self.store)
    }

    /// One floor of a store: what a Floor Manager works on.
    pub fn floor(store: StoreId, floor: FloorId) -> Self {
        Self {
            store,
            floor: Some(floor),
        }
    }

    pub fn store_id(&self) -> StoreId {
        self.store
    }

    pub fn floor_id(&self) -> Option<FloorId> {
        self.floor
    }

    /// Whether a record of `store`, on `floor` (if it has one), lies inside this scope.
    pub fn covers(&self, store: StoreId, floor: Option<FloorId>) -> bool {
        store == self.store && (self.floor.is_none() || self.floor == floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_floor_scope_covers_only_its_floor_of_its_store() {
        let (store, other_store) = (StoreId::new(), StoreId::new());
        let (floor, other_floor) = (FloorId::new(), FloorId::new());
        let whole = Scope::store(store);
        assert!(whole.covers(store, Some(floor)) && whole.covers(store, None));
        assert!(!whole.covers(other_store, Some(floor)));
        let one = Scope::floor(store, floor);
        assert!(one.covers(store, Some(floor)));
        assert!(!one.covers(store, Some(other_floor)) && !one.covers(store, None));
    }
}
