//! Floors of the store: everyone reads them, the admin manages them.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{Actor, Crm, Error, Permission};
use crate::domain::{FieldErrors, Floor, FloorId, PersonName, Text};
use crate::store::{ChangeOp, Deleted, StoreError, org};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloorInput {
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    /// 0 for the ground floor, 1 for the first, -1 for a basement.
    #[schema(minimum = -5, maximum = 100)]
    pub level: i16,
    #[schema(schema_with = super::field_schemas::optional_text::<500>)]
    pub description: Option<String>,
}

struct ParsedFloor {
    name: PersonName,
    level: i16,
    description: Text<500>,
}

fn parse_floor(input: &FloorInput) -> Result<ParsedFloor, Error> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", PersonName::parse(&input.name));
    if !(-5..=100).contains(&input.level) {
        errors.add("level", "must be between -5 (basement) and 100");
    }
    let description = errors.check(
        "description",
        Text::parse(input.description.as_deref().unwrap_or("")),
    );
    match (name, description) {
        (Some(name), Some(description)) if errors.is_empty() => Ok(ParsedFloor {
            name,
            level: input.level,
            description,
        }),
        _ => Err(errors.into()),
    }
}

fn name_taken(err: StoreError) -> Error {
    match err {
        StoreError::Duplicate { .. } => Error::Conflict {
            message: "this store already has a floor with that name; choose another name".into(),
            field: Some("name"),
            existing_id: None,
        },
        other => other.into(),
    }
}

impl Crm {
    pub fn list_floors(&self, actor: &Actor, deleted: Deleted) -> Result<Vec<Floor>, Error> {
        if deleted == Deleted::Only {
            actor.require(Permission::SeeRemoved)?;
        }
        Ok(self
            .db
            .read(|rx| org::floors(rx, &actor.store_scope(), deleted))?)
    }

    pub fn get_floor(&self, actor: &Actor, id: FloorId) -> Result<Floor, Error> {
        self.db
            .read(|rx| org::floor(rx, &actor.store_scope(), id))?
            .filter(|f| f.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
            .ok_or(Error::NotFound("floor"))
    }

    pub fn create_floor(&self, actor: &Actor, input: FloorInput) -> Result<Floor, Error> {
        actor.require(Permission::ManageFloors)?;
        let parsed = parse_floor(&input)?;
        self.db.write(actor.author(), |w| {
            let floor = Floor {
                id: FloorId::new(),
                store_id: actor.store_id,
                name: parsed.name,
                level: parsed.level,
                description: parsed.description,
                created_at: w.now(),
                updated_at: w.now(),
                deleted_at: None,
            };
            org::insert_floor(w, &floor).map_err(name_taken)?;
            Ok(floor)
        })
    }

    pub fn update_floor(
        &self,
        actor: &Actor,
        id: FloorId,
        input: FloorInput,
    ) -> Result<Floor, Error> {
        actor.require(Permission::ManageFloors)?;
        let parsed = parse_floor(&input)?;
        self.db.write(actor.author(), |w| {
            let old = org::floor(w, &actor.store_scope(), id)?
                .filter(|f| f.deleted_at.is_none())
                .ok_or(Error::NotFound("floor"))?;
            let floor = Floor {
                name: parsed.name,
                level: parsed.level,
                description: parsed.description,
                updated_at: w.now(),
                ..old.clone()
            };
            org::update_floor(w, &old, &floor, ChangeOp::Updated).map_err(name_taken)?;
            Ok(floor)
        })
    }

    /// Removes a floor (soft delete). Its products and staff keep pointing at it until
    /// moved, so an admin can restore it without losing anything.
    pub fn delete_floor(&self, actor: &Actor, id: FloorId) -> Result<(), Error> {
        self.set_floor_deleted(actor, id, true)
    }

    pub fn restore_floor(&self, actor: &Actor, id: FloorId) -> Result<Floor, Error> {
        self.set_floor_deleted(actor, id, false)?;
        self.get_floor(actor, id)
    }

    fn set_floor_deleted(&self, actor: &Actor, id: FloorId, delete: bool) -> Result<(), Error> {
        actor.require(Permission::ManageFloors)?;
        self.db.write(actor.author(), |w| {
            let old = org::floor(w, &actor.store_scope(), id)?
                .filter(|f| f.deleted_at.is_none() == delete)
                .ok_or(Error::NotFound("floor"))?;
            let deleted_at = delete.then(|| w.now());
            let floor = Floor {
                deleted_at,
                updated_at: w.now(),
                ..old.clone()
            };
            let op = if delete {
                ChangeOp::Deleted
            } else {
                ChangeOp::Restored
            };
            org::update_floor(w, &old, &floor, op)?;
            Ok(())
        })
    }
}
