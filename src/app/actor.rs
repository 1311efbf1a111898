//! Who is asking: the signed-in user with their role, store and floor.

use crate::domain::{FloorId, PersonName, StoreId, UserId, UserRole, Username};
use crate::store::Scope;

use super::Error;

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
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == UserRole::BusinessAdmin
    }

    /// The whole store: for reading customers and the catalogue, which every role may.
    pub fn store_scope(&self) -> Scope {
        Scope::store(self.store_id)
    }

    /// What of the floors' own records (sales, interactions, follow-ups) this person
    /// works with: their floor, or the whole store for an admin. A Floor Manager with no
    /// floor sees none rather than all.
    pub fn floor_scope(&self) -> Result<Scope, Error> {
        match (self.is_admin(), self.floor_id) {
            (true, _) => Ok(self.store_scope()),
            (false, Some(floor)) => Ok(Scope::floor(self.store_id, floor)),
            (false, None) => Err(Error::Forbidden(
                "you have no floor assigned; ask the store owner to set your floor".into(),
            )),
        }
    }

    pub fn require_admin(&self, doing: &str) -> Result<(), Error> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "only a Business Admin can {doing}; ask the store owner"
            )))
        }
    }

    /// Whether this person may change something that belongs to `floor` (`None`:
    /// belongs to no floor in particular, which any floor may look after).
    pub fn may_work_on(&self, floor: Option<FloorId>) -> bool {
        self.is_admin() || floor.is_none() || floor == self.floor_id
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
