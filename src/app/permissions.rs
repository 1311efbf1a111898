//! What each role may do: every permission rule of the app, written once.
//!
//! Use cases call [`Actor::require`] before they look at their input; pages ask
//! [`Actor::may`] whether to offer an action, and the API's extractor asks the same
//! question before it reads a request's body. Nothing outside this module looks at a
//! role to decide what someone may do. Which *records* a person may touch (their own
//! floor's sales, a customer of their floor) is the scope's business: see
//! [`Actor::floor_scope`] and [`Actor::may_work_on`].

use crate::domain::UserRole;

use super::key_scope::key_allows;
use super::{Actor, Error};

/// Something not every role may do. Everything else (reading customers, the catalogue,
/// the category tree, the floors, the store's details and the day's rates; working on
/// one's own floor) is open to every signed-in member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Work on every floor's sales, stock, interactions and follow-ups, and choose the
    /// floor in forms, rather than only one's own floor.
    EveryFloor,
    /// See removed customers, products and floors.
    SeeRemoved,
    /// Bring a removed customer back.
    RestoreCustomers,
    /// Give a follow-up to another member of staff.
    AssignFollowUps,
    /// Add, rename, move and remove categories.
    ManageCategories,
    /// Add, change, remove and restore floors.
    ManageFloors,
    /// See the team; add, change and remove staff.
    ManageTeam,
    /// Change the GSTIN, GST state code and address that invoices print.
    ChangeStoreSettings,
    /// Set the day's metal rates.
    SetRates,
    /// See where the backups stand and take one now.
    ManageBackups,
    /// Read the audit trail: every change in the store, who made it and from where.
    ReadAuditTrail,
    /// Make, list and revoke integrations' API keys.
    ManageApiKeys,
}

impl Permission {
    /// Whether `role` has this permission. The match names every permission a Floor
    /// Manager lacks, so a new permission cannot be added without deciding it for them.
    pub fn granted_to(self, role: UserRole) -> bool {
        match role {
            UserRole::BusinessAdmin => true,
            UserRole::FloorManager => match self {
                Permission::EveryFloor
                | Permission::SeeRemoved
                | Permission::RestoreCustomers
                | Permission::AssignFollowUps
                | Permission::ManageCategories
                | Permission::ManageFloors
                | Permission::ManageTeam
                | Permission::ChangeStoreSettings
                | Permission::SetRates
                | Permission::ManageBackups
                | Permission::ReadAuditTrail
                | Permission::ManageApiKeys => false,
            },
        }
    }

    /// What the permission lets one do, to finish "only a Business Admin can …".
    pub fn doing(self) -> &'static str {
        match self {
            Permission::EveryFloor => "work on every floor",
            Permission::SeeRemoved => "see removed customers, products and floors",
            Permission::RestoreCustomers => "restore customers",
            Permission::AssignFollowUps => "give a follow-up to someone else",
            Permission::ManageCategories => "change the categories",
            Permission::ManageFloors => "manage the floors",
            Permission::ManageTeam => "see and manage the team",
            Permission::ChangeStoreSettings => "change the store's settings",
            Permission::SetRates => "set the day's metal rates",
            Permission::ManageBackups => "see and start the backups",
            Permission::ReadAuditTrail => "read the audit trail",
            Permission::ManageApiKeys => "make and revoke API keys",
        }
    }
}

impl Actor {
    /// Whether this person (or the API key acting as them) may do what `permission`
    /// names.
    pub fn may(&self, permission: Permission) -> bool {
        permission.granted_to(self.role)
            && self
                .key
                .as_ref()
                .is_none_or(|key| key_allows(&key.scope, permission))
    }

    /// Refuses, with a message saying who may, unless this person has `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), Error> {
        if let Some(key) = &self.key
            && !key_allows(&key.scope, permission)
        {
            return Err(key.refusal(permission));
        }
        if self.may(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "only a Business Admin can {}; ask the store owner",
                permission.doing()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FloorId, PersonName, StoreId, UserId, Username};

    const ALL: [Permission; 11] = [
        Permission::EveryFloor,
        Permission::SeeRemoved,
        Permission::RestoreCustomers,
        Permission::AssignFollowUps,
        Permission::ManageCategories,
        Permission::ManageFloors,
        Permission::ManageTeam,
        Permission::ChangeStoreSettings,
        Permission::SetRates,
        Permission::ManageBackups,
        Permission::ManageApiKeys,
    ];

    fn actor(role: UserRole, floor_id: Option<FloorId>) -> Actor {
        Actor {
            user_id: UserId::new(),
            username: Username::parse("someone").expect("username"),
            name: PersonName::parse("Someone").expect("name"),
            role,
            store_id: StoreId::new(),
            floor_id,
            origin: crate::store::Origin::default(),
            key: None,
        }
    }

    #[test]
    fn a_business_admin_may_do_everything() {
        let admin = actor(UserRole::BusinessAdmin, None);
        for permission in ALL {
            assert!(admin.may(permission), "{permission:?}");
            assert!(admin.require(permission).is_ok(), "{permission:?}");
        }
    }

    #[test]
    fn a_floor_manager_is_refused_with_a_message_naming_who_may() {
        let manager = actor(UserRole::FloorManager, Some(FloorId::new()));
        for permission in ALL {
            assert!(!manager.may(permission), "{permission:?}");
            match manager.require(permission) {
                Err(Error::Forbidden(message)) => {
                    assert!(
                        message.starts_with("only a Business Admin can "),
                        "{message}"
                    );
                    assert!(message.contains(permission.doing()), "{message}");
                }
                other => panic!("{permission:?}: expected Forbidden, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_floor_manager_works_only_on_their_own_floor() {
        let own = FloorId::new();
        let manager = actor(UserRole::FloorManager, Some(own));
        assert!(manager.may_work_on(Some(own)));
        assert!(manager.may_work_on(None));
        assert!(!manager.may_work_on(Some(FloorId::new())));
        let admin = actor(UserRole::BusinessAdmin, None);
        assert!(admin.may_work_on(Some(FloorId::new())));
    }
}
