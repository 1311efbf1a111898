//! What a request made with an API key may do: the key acts as the Business Admin who
//! made it, narrowed by its scope. Use cases ask [`Actor::require_access`] for the area
//! they read or change; [`Actor::require`] asks [`key_allows`] for the permissions.

use crate::domain::{Access, ApiKeyId, Area, KeyScope};

use super::{Actor, Error, Permission};

/// The key a request was made with, carried by its [`Actor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub id: ApiKeyId,
    pub name: String,
    pub scope: KeyScope,
}

/// Whether a key of `scope` may use `permission` (its creator's role decides the rest).
/// Managing the team, the floors, the store's settings, backups and keys is a person's
/// business: no key may, whatever its scope, so a leaked key cannot make itself more.
pub(super) fn key_allows(scope: &KeyScope, permission: Permission) -> bool {
    let writes = |area| {
        scope
            .access(area)
            .is_some_and(|access| access.allows(Access::ReadWrite))
    };
    match permission {
        // Which records are read, not what is done with them.
        Permission::EveryFloor | Permission::SeeRemoved => true,
        Permission::RestoreCustomers => writes(Area::Customers),
        Permission::AssignFollowUps => writes(Area::Activity),
        Permission::ManageCategories => writes(Area::Catalogue),
        Permission::SetRates => writes(Area::Rates),
        Permission::ManageFloors
        | Permission::ManageTeam
        | Permission::ChangeStoreSettings
        | Permission::ManageBackups
        | Permission::ReadAuditTrail
        | Permission::ManageApiKeys => false,
    }
}

impl KeyGrant {
    /// Why this key may not use `permission`, naming its scope.
    pub(super) fn refusal(&self, permission: Permission) -> Error {
        let every_area = KeyScope::Areas(Area::ALL.map(|a| (a, Access::ReadWrite)).to_vec());
        let why = if key_allows(&every_area, permission) {
            format!("it may not {}", permission.doing())
        } else {
            format!("no API key may {}", permission.doing())
        };
        Error::Forbidden(format!(
            "the API key \"{}\" has the scope {}; {why}",
            self.name,
            self.scope.describe()
        ))
    }
}

impl Actor {
    /// Refuses a request made with an API key whose scope does not give `access` to
    /// `area`, naming the key's scope; a person's session passes.
    pub fn require_access(&self, area: Area, access: Access) -> Result<(), Error> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        if key
            .scope
            .access(area)
            .is_some_and(|given| given.allows(access))
        {
            return Ok(());
        }
        let doing = match access {
            Access::Read => "read",
            Access::ReadWrite => "change",
        };
        Err(Error::Forbidden(format!(
            "the API key \"{}\" has the scope {}; it may not {doing} {}. Ask the store owner for a key whose scope includes it",
            key.name,
            key.scope.describe(),
            area.as_str()
        )))
    }

    /// Refuses a request made with any API key: for what only a person may do (their
    /// own profile and password).
    pub fn require_person(&self, doing: &str) -> Result<(), Error> {
        match &self.key {
            None => Ok(()),
            Some(key) => Err(Error::Forbidden(format!(
                "the API key \"{}\" (scope {}) may not {doing}; only a person signed in may",
                key.name,
                key.scope.describe()
            ))),
        }
    }

    /// Shorthand for [`Actor::require_access`] with read access.
    pub fn require_read(&self, area: Area) -> Result<(), Error> {
        self.require_access(area, Access::Read)
    }

    /// Shorthand for [`Actor::require_access`] with read and write access.
    pub fn require_write(&self, area: Area) -> Result<(), Error> {
        self.require_access(area, Access::ReadWrite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_may_manage_people_or_the_box() {
        let everything = KeyScope::Areas(Area::ALL.map(|a| (a, Access::ReadWrite)).to_vec());
        for permission in [
            Permission::ManageFloors,
            Permission::ManageTeam,
            Permission::ChangeStoreSettings,
            Permission::ManageBackups,
            Permission::ManageApiKeys,
        ] {
            assert!(!key_allows(&everything, permission), "{permission:?}");
        }
        assert!(key_allows(&everything, Permission::SetRates));
        assert!(!key_allows(&KeyScope::ReadOnly, Permission::SetRates));
        assert!(key_allows(&KeyScope::ReadOnly, Permission::EveryFloor));
    }
}
