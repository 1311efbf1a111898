//! Who is asking: the signed-in user with their role, store and floor.

use crate::domain::{FloorId, PersonName, StoreId, UserId, UserRole, Username};
use crate::store::{Author, Origin, Scope};

use super::{Error, KeyGrant, Permission};

/// Established once per request from the session; every use case takes one.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    pub username: Username,
    pub name: PersonName,
    pub role: UserRole,
    pub store_id: StoreId,
    /// A Floor Manager's floor; `None` for a Business Admin.
    pub floor_id: Option<FloorId>,
    /// Where the request came from (device, address, API key); every change this actor
    /// makes carries it into the audit trail.
    pub origin: Origin,
    /// The API key the request was made with; `None` for a person's session. The key
    /// acts as its creator, narrowed by its scope.
    pub key: Option<KeyGrant>,
}

impl Actor {
    /// Who writes, and from where, for the change log.
    pub fn author(&self) -> Author {
        Author {
            user: Some(self.user_id),
            origin: Some(self.origin.clone()),
        }
    }

    /// The same person, with the client address the request came from.
    pub fn from_address(mut self, address: Option<std::net::IpAddr>) -> Self {
        self.origin.address = address;
        self
    }

    /// The whole store: for reading customers and the catalogue, which every role may.
    pub fn store_scope(&self) -> Scope {
        Scope::store(self.store_id)
    }

    /// What of the floors' own records (sales, interactions, follow-ups) this person
    /// works with: their floor, or the whole store for someone who works on every floor.
    /// A Floor Manager with no floor sees none rather than all.
    pub fn floor_scope(&self) -> Result<Scope, Error> {
        match (self.may(Permission::EveryFloor), self.floor_id) {
            (true, _) => Ok(self.store_scope()),
            (false, Some(floor)) => Ok(Scope::floor(self.store_id, floor)),
            (false, None) => Err(Error::Forbidden(
                "you have no floor assigned; ask the store owner to set your floor".into(),
            )),
        }
    }

    /// Whether this person works on any floor at all (so may add a sale or a product):
    /// everyone but a Floor Manager who has not been given a floor yet.
    pub fn works_on_a_floor(&self) -> bool {
        self.floor_scope().is_ok()
    }

    /// Whether this person may change something that belongs to `floor` (`None`:
    /// belongs to no floor in particular, which any floor may look after).
    pub fn may_work_on(&self, floor: Option<FloorId>) -> bool {
        self.may(Permission::EveryFloor) || floor.is_none() || floor == self.floor_id
    }

    pub fn require_floor(&self, floor: Option<FloorId>, what: &str) -> Result<(), Error> {
        if self.may_work_on(floor) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this {what} belongs to another floor; a Floor Manager can change only their own floor's {what}s"
            )))
        }
    }
}
