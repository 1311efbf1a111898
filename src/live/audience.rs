//! Who may see a change: worked out once per change from the record it names, then
//! matched against each group of streams (a [`View`]), never against each stream.

use crate::domain::{Area, FloorId, KeyScope, StoreId, UserId};

/// The people a change may reach, inside one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    pub store: StoreId,
    pub who: Who,
    /// The API-key area the record belongs to; `None` for what every key may read
    /// (the store's name and floors) or no key may (the team, the keys).
    pub area: Option<Area>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Everyone of the store: customers, the catalogue, rates, floors.
    Everyone,
    /// The Business Admins and the Floor Managers of one floor: a floor's sales,
    /// interactions and follow-ups, exactly as reads are scoped.
    Floor(FloorId),
    /// The Floor Managers of one floor only (not the admins): a notice meant for the
    /// people working that floor.
    FloorOnly(FloorId),
    /// Business Admins only, and never an API key: the team, API keys, system alerts.
    Admins,
    /// Every person of the store, but no API key: a notice for everyone.
    EveryPerson,
    /// One person (a notice of theirs). Every group of the store passes it on, and each
    /// stream keeps only its own person's: a comparison of two ids.
    Person(UserId),
    /// No one: sign-ins and sign-outs, and records that can no longer be read.
    Nobody,
}

/// What one group of streams may see: everyone in a group sees exactly the same
/// events, so the hub decides once per group, whatever the number of tablets in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    pub store: StoreId,
    /// Works on every floor (a Business Admin, or a key acting for one).
    pub every_floor: bool,
    /// The floor of a Floor Manager; `None` for an admin, or a Floor Manager who has no
    /// floor yet (who then sees only what the whole store shares).
    pub floor: Option<FloorId>,
    /// The areas an API key may read, one bit per [`Area`]; `None` for a person.
    pub key_areas: Option<u8>,
}

fn area_bit(area: Area) -> u8 {
    let index = Area::ALL.iter().position(|a| *a == area).unwrap_or(0);
    1 << index
}

/// The areas `scope` lets a key read, as [`View::key_areas`] keeps them.
pub fn readable_areas(scope: &KeyScope) -> u8 {
    Area::ALL
        .iter()
        .filter(|area| scope.access(**area).is_some())
        .fold(0, |bits, area| bits | area_bit(*area))
}

impl View {
    /// Whether this group may see a change with `audience`.
    pub fn sees(&self, audience: &Audience) -> bool {
        if audience.store != self.store {
            return false;
        }
        if let Some(areas) = self.key_areas {
            let area_allowed = match audience.area {
                Some(area) => areas & area_bit(area) != 0,
                None => !matches!(audience.who, Who::Admins),
            };
            if !area_allowed
                || matches!(
                    audience.who,
                    Who::Person(_) | Who::FloorOnly(_) | Who::EveryPerson
                )
            {
                // Notices are for people; a key reads records.
                return false;
            }
        }
        match audience.who {
            Who::Everyone | Who::EveryPerson | Who::Person(_) => true,
            Who::Floor(floor) => self.every_floor || self.floor == Some(floor),
            Who::FloorOnly(floor) => !self.every_floor && self.floor == Some(floor),
            Who::Admins => self.every_floor && self.key_areas.is_none(),
            Who::Nobody => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Access;

    fn view(store: StoreId, floor: Option<FloorId>) -> View {
        View {
            store,
            every_floor: floor.is_none(),
            floor,
            key_areas: None,
        }
    }

    #[test]
    fn a_floor_manager_sees_their_floor_and_the_shared_records_only() {
        let (store, other_store) = (StoreId::new(), StoreId::new());
        let (one, two) = (FloorId::new(), FloorId::new());
        let manager = view(store, Some(one));
        let at = |who, area| Audience {
            store,
            who,
            area: Some(area),
        };
        assert!(manager.sees(&at(Who::Floor(one), Area::Sales)));
        assert!(!manager.sees(&at(Who::Floor(two), Area::Sales)));
        assert!(manager.sees(&at(Who::Everyone, Area::Customers)));
        assert!(!manager.sees(&at(Who::Admins, Area::Customers)));
        assert!(!manager.sees(&at(Who::Nobody, Area::Customers)));
        let elsewhere = Audience {
            store: other_store,
            who: Who::Everyone,
            area: None,
        };
        assert!(!manager.sees(&elsewhere));
        let admin = view(store, None);
        assert!(admin.sees(&at(Who::Floor(two), Area::Sales)));
        assert!(admin.sees(&at(Who::Admins, Area::Customers)));
        assert!(!admin.sees(&at(Who::FloorOnly(two), Area::Sales)));
        assert!(manager.sees(&at(Who::FloorOnly(one), Area::Sales)));
    }

    #[test]
    fn a_key_sees_only_the_areas_it_may_read_and_no_admin_records() {
        let store = StoreId::new();
        let scope = KeyScope::Areas(vec![(Area::Catalogue, Access::Read)]);
        let key = View {
            key_areas: Some(readable_areas(&scope)),
            ..view(store, None)
        };
        let at = |who, area| Audience { store, who, area };
        assert!(key.sees(&at(Who::Everyone, Some(Area::Catalogue))));
        assert!(!key.sees(&at(Who::Everyone, Some(Area::Customers))));
        assert!(!key.sees(&at(Who::Floor(FloorId::new()), Some(Area::Sales))));
        assert!(key.sees(&at(Who::Everyone, None)));
        assert!(!key.sees(&at(Who::Admins, None)));
        assert!(!key.sees(&at(Who::Person(UserId::new()), None)));
        assert!(!key.sees(&at(Who::EveryPerson, None)));
        assert!(view(store, Some(FloorId::new())).sees(&at(Who::EveryPerson, None)));
    }
}
