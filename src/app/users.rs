//! The team: an admin adds, changes and removes staff; everyone manages their profile.

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::check_new_password;
use super::{Actor, Crm, Error, Permission};
use crate::domain::{
    Account, Email, FieldErrors, FloorId, PersonName, Phone, StoreId, User, UserId, UserRole,
    Username,
};
use crate::store::{ChangeOp, Deleted, StoreError, org, people};

/// The names of a store's staff, removed ones included (they still did what they did).
#[derive(Debug, Clone, Default)]
pub struct StaffNames(HashMap<UserId, String>);

impl StaffNames {
    pub fn name(&self, id: UserId) -> &str {
        self.0
            .get(&id)
            .map_or("a former member of staff", String::as_str)
    }

    /// Everyone, by name.
    pub fn by_name(&self) -> Vec<(UserId, &str)> {
        let mut all: Vec<_> = self.0.iter().map(|(id, n)| (*id, n.as_str())).collect();
        all.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
        all
    }
}

/// A new member of staff, as the admin fills it in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    /// 3 to 32 letters, digits, `.`, `_` or `-`; kept in lower case.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[A-Za-z0-9._-]{3,32}[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub username: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    pub role: UserRole,
    /// Required for a Floor Manager; must be empty for a Business Admin.
    pub floor_id: Option<Uuid>,
    /// At most 254 bytes.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^@\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+@(?:[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+\.)+[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub email: Option<String>,
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[ .()\-]*(?:\+[ .()\-]*9[ .()\-]*1[ .()\-]*|0[ .()\-]*0[ .()\-]*9[ .()\-]*1[ .()\-]*|9[ .()\-]*1[ .()\-]*|0[ .()\-]*)?[6-9](?:[ .()\-]*[0-9]){9}[ .()\-]*)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: Option<String>,
}

/// What an admin can change about a member of staff (not the password).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdateInput {
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    pub role: UserRole,
    pub floor_id: Option<Uuid>,
    /// At most 254 bytes.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^@\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+@(?:[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+\.)+[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub email: Option<String>,
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[ .()\-]*(?:\+[ .()\-]*9[ .()\-]*1[ .()\-]*|0[ .()\-]*0[ .()\-]*9[ .()\-]*1[ .()\-]*|9[ .()\-]*1[ .()\-]*|0[ .()\-]*)?[6-9](?:[ .()\-]*[0-9]){9}[ .()\-]*)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: Option<String>,
    /// Switching a user off signs them out everywhere and stops new sign-ins.
    pub active: bool,
}

/// What anyone can change about themselves. Changing the password needs the current one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    /// At most 254 bytes.
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^@\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+@(?:[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+\.)+[^@.\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub email: Option<String>,
    #[schema(
        pattern = r"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[ .()\-]*(?:\+[ .()\-]*9[ .()\-]*1[ .()\-]*|0[ .()\-]*0[ .()\-]*9[ .()\-]*1[ .()\-]*|9[ .()\-]*1[ .()\-]*|0[ .()\-]*)?[6-9](?:[ .()\-]*[0-9]){9}[ .()\-]*)?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub phone: Option<String>,
    /// Needed with `new_password`.
    pub current_password: Option<String>,
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: Option<String>,
}

pub(super) struct Contact {
    pub(super) name: PersonName,
    pub(super) email: Option<Email>,
    pub(super) phone: Option<Phone>,
}

fn parse_contact(
    errors: &mut FieldErrors,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Option<Contact> {
    let name = errors.check("name", PersonName::parse(name));
    let email = errors.check("email", non_blank(email).map(Email::parse).transpose());
    let phone = errors.check("phone", non_blank(phone).map(Phone::parse).transpose());
    Some(Contact {
        name: name?,
        email: email?,
        phone: phone?,
    })
}

/// A new, active member of staff and their password account.
pub(super) fn staff_member(
    store_id: StoreId,
    username: Username,
    contact: Contact,
    role: UserRole,
    floor_id: Option<FloorId>,
    password_hash: String,
) -> (User, Account) {
    let now = crate::domain::now();
    let user = User {
        id: UserId::new(),
        store_id,
        username,
        name: contact.name,
        email: contact.email,
        phone: contact.phone,
        role,
        floor_id,
        active: true,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    let account = Account {
        user_id: user.id,
        password_hash,
        password_changed_at: now,
    };
    (user, account)
}

pub(super) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

impl Crm {
    /// Every member of staff's name, for showing who did what.
    pub fn staff_names(&self, actor: &Actor) -> Result<StaffNames, Error> {
        let store = actor.store_scope();
        self.db.read(|rx| -> Result<StaffNames, Error> {
            let mut names = HashMap::new();
            for deleted in [Deleted::Hide, Deleted::Only] {
                for user in people::users(rx, &store, deleted)? {
                    names.insert(user.id, user.name.as_str().to_owned());
                }
            }
            Ok(StaffNames(names))
        })
    }

    /// Checks that a role and floor fit together and that the floor is one of the store's.
    fn parse_role_floor(
        &self,
        actor: &Actor,
        errors: &mut FieldErrors,
        role: UserRole,
        floor: Option<Uuid>,
    ) -> Result<Option<FloorId>, Error> {
        match (role, floor) {
            (UserRole::BusinessAdmin, Some(_)) => {
                errors.add(
                    "floor_id",
                    "a Business Admin works on every floor; leave the floor empty",
                );
                Ok(None)
            }
            (UserRole::BusinessAdmin, None) => Ok(None),
            (UserRole::FloorManager, None) => {
                errors.add("floor_id", "choose the floor this Floor Manager works on");
                Ok(None)
            }
            (UserRole::FloorManager, Some(raw)) => {
                let id = FloorId::from_uuid(raw);
                let floor = self
                    .db
                    .read(|rx| org::floor(rx, &actor.store_scope(), id))?;
                match floor {
                    Some(f) if f.deleted_at.is_none() => Ok(Some(id)),
                    _ => {
                        errors.add(
                            "floor_id",
                            "no such floor in this store; pick one from the floors list",
                        );
                        Ok(None)
                    }
                }
            }
        }
    }

    /// An admin adds a member of staff to their store.
    pub async fn create_user(&self, actor: &Actor, input: NewUserInput) -> Result<User, Error> {
        actor.require(Permission::ManageTeam)?;
        let mut errors = FieldErrors::new();
        let username = errors.check("username", Username::parse(&input.username));
        if let Err(message) = check_new_password(&input.password) {
            errors.add("password", message);
        }
        let contact = parse_contact(
            &mut errors,
            &input.name,
            input.email.as_deref(),
            input.phone.as_deref(),
        );
        let floor_id = self.parse_role_floor(actor, &mut errors, input.role, input.floor_id)?;
        errors.clone().into_result()?;
        let (Some(username), Some(contact)) = (username, contact) else {
            return Err(errors.into());
        };
        let hash = self.hash_password(input.password).await?;
        let actor = actor.clone();
        self.run(move |crm| {
            let (user, account) = staff_member(
                actor.store_id,
                username,
                contact,
                input.role,
                floor_id,
                hash,
            );
            crm.db
                .write(Some(actor.user_id), |w| {
                    people::insert_user(w, &user, &account)
                })
                .map_err(|e| match e {
                    StoreError::Duplicate { .. } => Error::Conflict {
                        message: format!(
                            "the username '{}' is taken; choose another",
                            user.username
                        ),
                        field: Some("username"),
                        existing_id: None,
                    },
                    other => other.into(),
                })?;
            Ok(user)
        })
        .await
    }

    pub fn list_users(&self, actor: &Actor, deleted: Deleted) -> Result<Vec<User>, Error> {
        actor.require(Permission::ManageTeam)?;
        Ok(self
            .db
            .read(|rx| people::users(rx, &actor.store_scope(), deleted))?)
    }

    pub fn get_user(&self, actor: &Actor, id: UserId) -> Result<User, Error> {
        if id != actor.user_id {
            actor.require(Permission::ManageTeam)?;
        }
        self.db
            .read(|rx| people::user(rx, &actor.store_scope(), id))?
            .filter(|u| u.deleted_at.is_none())
            .ok_or(Error::NotFound("user"))
    }

    pub fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        input: UserUpdateInput,
    ) -> Result<User, Error> {
        actor.require(Permission::ManageTeam)?;
        let mut errors = FieldErrors::new();
        let contact = parse_contact(
            &mut errors,
            &input.name,
            input.email.as_deref(),
            input.phone.as_deref(),
        );
        let floor_id = self.parse_role_floor(actor, &mut errors, input.role, input.floor_id)?;
        if id == actor.user_id && (input.role != actor.role || !input.active) {
            errors.add(
                "role",
                "you cannot demote or switch off yourself; ask another Business Admin",
            );
        }
        errors.clone().into_result()?;
        let Some(contact) = contact else {
            return Err(errors.into());
        };
        self.db.write(actor.author(), |w| {
            let old = people::user(w, &actor.store_scope(), id)?
                .filter(|u| u.deleted_at.is_none())
                .ok_or(Error::NotFound("user"))?;
            let user = User {
                name: contact.name,
                email: contact.email,
                phone: contact.phone,
                role: input.role,
                floor_id,
                active: input.active,
                updated_at: w.now(),
                ..old
            };
            people::update_user(w, &user, ChangeOp::Updated)?;
            Ok(user)
        })
    }

    /// Removes a member of staff (soft delete): they are signed out and cannot sign in.
    pub fn delete_user(&self, actor: &Actor, id: UserId) -> Result<(), Error> {
        actor.require(Permission::ManageTeam)?;
        if id == actor.user_id {
            return Err(Error::Forbidden(
                "you cannot remove yourself; ask another Business Admin".into(),
            ));
        }
        self.db.write(actor.author(), |w| {
            let old = people::user(w, &actor.store_scope(), id)?
                .filter(|u| u.deleted_at.is_none())
                .ok_or(Error::NotFound("user"))?;
            let user = User {
                deleted_at: Some(w.now()),
                updated_at: w.now(),
                ..old
            };
            people::update_user(w, &user, ChangeOp::Deleted)?;
            Ok(())
        })
    }

    pub fn profile(&self, actor: &Actor) -> Result<User, Error> {
        self.get_user(actor, actor.user_id)
    }

    /// Changes one's own password, keeping the name and contact details: `current` must
    /// be the password now in use. Every device is signed out, this one included.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: String,
        new: String,
    ) -> Result<(), Error> {
        let me = actor.clone();
        let user = self.run(move |crm| crm.profile(&me)).await?;
        let input = ProfileInput {
            name: user.name.as_str().to_owned(),
            email: user.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: user.phone.as_ref().map(|p| p.e164().to_owned()),
            current_password: Some(current),
            new_password: Some(new),
        };
        self.update_profile(actor, input).await.map(|_| ())
    }

    /// Changes one's own name and contact details, and the password if both the current
    /// and a new one are given. A password change signs out every device, this one included.
    pub async fn update_profile(&self, actor: &Actor, input: ProfileInput) -> Result<User, Error> {
        actor.require_person("change a profile or a password")?;
        let mut errors = FieldErrors::new();
        let contact = parse_contact(
            &mut errors,
            &input.name,
            input.email.as_deref(),
            input.phone.as_deref(),
        );
        let new_password = non_blank(input.new_password.as_deref()).map(str::to_owned);
        if let Some(new) = &new_password {
            if let Err(message) = check_new_password(new) {
                errors.add("new_password", message);
            }
            let current = self
                .db
                .read(|rx| people::account(rx, actor.user_id))?
                .ok_or(Error::NotFound("user"))?;
            let given = input.current_password.clone().unwrap_or_default();
            if !self.verify_password(given, current.password_hash).await? {
                errors.add("current_password", "is not your current password");
            }
        }
        errors.clone().into_result()?;
        let Some(contact) = contact else {
            return Err(errors.into());
        };
        let hash = match new_password {
            Some(new) => Some(self.hash_password(new).await?),
            None => None,
        };
        let actor = actor.clone();
        self.run(move |crm| {
            crm.db.write(actor.author(), |w| {
                let old = people::user(w, &actor.store_scope(), actor.user_id)?
                    .ok_or(Error::NotFound("user"))?;
                let user = User {
                    name: contact.name,
                    email: contact.email,
                    phone: contact.phone,
                    updated_at: w.now(),
                    ..old
                };
                people::update_user(w, &user, ChangeOp::Updated)?;
                if let Some(password_hash) = hash {
                    let account = Account {
                        user_id: user.id,
                        password_hash,
                        password_changed_at: w.now(),
                    };
                    people::set_account(w, &user, &account)?;
                }
                Ok(user)
            })
        })
        .await
    }
}
