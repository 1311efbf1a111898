//! Setting a store up from the command line: creating the store and its floors on
//! first use, and adding users before anyone can sign in to do it from a page.

use super::auth::check_new_password;
use super::settings::StoreRegistration;
use super::users::{Contact, staff_member};
use super::{Crm, Error};
use crate::domain::{
    FieldErrors, Floor, FloorId, PersonName, RoundOff, Store, StoreId, Text, User, UserRole,
    Username,
};
use crate::store::{Scope, StoreError, org, people};

/// A user as `sarkar-crm user add` describes one.
#[derive(Debug, Clone)]
pub struct CliUser {
    pub username: String,
    pub password: String,
    pub name: Option<String>,
    pub role: UserRole,
    pub store: Option<String>,
    pub floor: Option<String>,
}

impl Crm {
    /// The store called `name`, created if it does not exist yet.
    pub fn ensure_store(&self, name: &str) -> Result<Store, Error> {
        let name = PersonName::parse(name).map_err(|e| Error::field("store", e.0))?;
        if let Some(store) = self
            .db
            .read(|rx| org::find_store_by_name(rx, name.as_str()))?
        {
            return Ok(store);
        }
        let state_code = Text::parse(&self.config.store.state_code)
            .map_err(|e| Error::field("state_code", e.0))?;
        self.db.write(None, |w| {
            let store = Store {
                id: StoreId::new(),
                name,
                gstin: None,
                state_code,
                address: Text::default(),
                created_at: w.now(),
                round_off: RoundOff::default(),
            };
            org::insert_store(w, &store)?;
            Ok(store)
        })
    }

    /// The store's floor called `name`, created (one level above the highest) if new.
    pub fn ensure_floor(&self, store: StoreId, name: &str) -> Result<Floor, Error> {
        let name = PersonName::parse(name).map_err(|e| Error::field("floor", e.0))?;
        if let Some(floor) = self
            .db
            .read(|rx| org::find_floor_by_name(rx, store, name.as_str()))?
        {
            return Ok(floor);
        }
        self.db.write(None, |w| {
            let level = org::floors(w, &Scope::store(store), crate::store::Deleted::Hide)?
                .iter()
                .map(|f| f.level + 1)
                .max()
                .unwrap_or(0);
            let floor = Floor {
                id: FloorId::new(),
                store_id: store,
                name,
                level,
                description: Text::default(),
                created_at: w.now(),
                updated_at: w.now(),
                deleted_at: None,
            };
            org::insert_floor(w, &floor)?;
            Ok(floor)
        })
    }

    /// Adds a user as the command line asks, creating their store and floor if needed.
    pub async fn add_user_from_cli(&self, input: CliUser) -> Result<User, Error> {
        self.add_cli_user(input, false, None).await
    }

    /// Adds the box's first user and records their store's GST registration with it,
    /// refusing if anyone was added meanwhile.
    pub(super) async fn add_first_user(
        &self,
        input: CliUser,
        registration: StoreRegistration,
    ) -> Result<User, Error> {
        self.add_cli_user(input, true, Some(registration)).await
    }

    /// The store a command means when it names none: the box's only store, or else the
    /// one called `store.name` in the configuration (created if need be).
    pub fn default_store(&self) -> Result<Store, Error> {
        match self.db.read(org::only_store)? {
            Some(store) => Ok(store),
            None => self.ensure_store(&self.config.store.name),
        }
    }

    async fn add_cli_user(
        &self,
        input: CliUser,
        first_only: bool,
        registration: Option<StoreRegistration>,
    ) -> Result<User, Error> {
        let mut errors = FieldErrors::new();
        let (username, name) = check_cli_user(&input, &mut errors);
        errors.clone().into_result()?;
        let (Some(username), Some(name)) = (username, name) else {
            return Err(errors.into());
        };
        if self
            .db
            .read(|rx| people::find_user_by_username(rx, username.as_str()))?
            .is_some()
        {
            return Err(Error::Conflict {
                message: format!("the username '{username}' is taken"),
                field: Some("username"),
                existing_id: None,
            });
        }
        let store = match &input.store {
            Some(name) => self.ensure_store(name)?,
            None => self.default_store()?,
        };
        let floor_id = match &input.floor {
            Some(floor) => Some(self.ensure_floor(store.id, floor)?.id),
            None => None,
        };
        let hash = self.hash_password(input.password).await?;
        let contact = Contact {
            name,
            email: None,
            phone: None,
        };
        let (user, account) = staff_member(store.id, username, contact, input.role, floor_id, hash);
        let taken = || Error::Conflict {
            message: format!("the username '{}' is taken", user.username),
            field: Some("username"),
            existing_id: None,
        };
        self.db.write(None, |w| -> Result<(), Error> {
            if first_only && people::any_user(w)? {
                return Err(Error::Conflict {
                    message: "someone has just set this box up; sign in instead".into(),
                    field: None,
                    existing_id: None,
                });
            }
            people::insert_user(w, &user, &account).map_err(|e| match e {
                StoreError::Duplicate { .. } => taken(),
                other => other.into(),
            })?;
            if let Some(registration) = registration {
                let old =
                    org::store(w, &Scope::store(store.id))?.ok_or(Error::NotFound("store"))?;
                org::update_store(w, &registration.applied_to(old))?;
            }
            Ok(())
        })?;
        Ok(user)
    }
}

/// The username, name and floor of a user as the command line gives them, each problem
/// noted in `errors` (the setup page checks them with its own fields this way).
pub(super) fn check_cli_user(
    input: &CliUser,
    errors: &mut FieldErrors,
) -> (Option<Username>, Option<PersonName>) {
    let username = errors.check("username", Username::parse(&input.username));
    if let Err(message) = check_new_password(&input.password) {
        errors.add("password", message);
    }
    let display = input.name.clone().unwrap_or_else(|| input.username.clone());
    let name = errors.check("name", PersonName::parse(&display));
    match (input.role, &input.floor) {
        (UserRole::FloorManager, None) => errors.add("floor", "a floor-manager needs --floor NAME"),
        (UserRole::BusinessAdmin, Some(_)) => errors.add(
            "floor",
            "a business-admin works on every floor; leave out --floor",
        ),
        _ => {}
    }
    (username, name)
}
