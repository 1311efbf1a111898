//! The category tree: every role reads it, the admin shapes it.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Actor, Crm, Error, Permission};
use crate::domain::Area;
use crate::domain::{Category, CategoryId, FieldErrors, PersonName, Text};
use crate::store::catalogue as repo;
use crate::store::{ChangeOp, Deleted};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    #[schema(schema_with = super::field_schemas::person_name)]
    pub name: String,
    /// The category this one sits under; empty for a top-level category.
    pub parent_id: Option<Uuid>,
    #[schema(schema_with = super::field_schemas::optional_text::<500>)]
    pub description: Option<String>,
}

/// The making charge as entered: exactly one of the three kinds.
impl Crm {
    pub fn list_categories(&self, actor: &Actor) -> Result<Vec<Category>, Error> {
        actor.require_read(Area::Catalogue)?;
        Ok(self
            .db
            .read(|rx| repo::categories(rx, &actor.store_scope(), Deleted::Hide))?)
    }

    pub fn get_category(&self, actor: &Actor, id: CategoryId) -> Result<Category, Error> {
        actor.require_read(Area::Catalogue)?;
        self.db
            .read(|rx| repo::category(rx, &actor.store_scope(), id))?
            .filter(|c| c.deleted_at.is_none())
            .ok_or(Error::NotFound("category"))
    }

    /// Parses a category and checks its place in the tree: the parent exists, the
    /// move makes no cycle, and no sibling has the same name.
    fn parse_category(
        &self,
        actor: &Actor,
        id: CategoryId,
        input: &CategoryInput,
    ) -> Result<(PersonName, Option<CategoryId>, Text<500>), Error> {
        let mut e = FieldErrors::new();
        let name = e.check("name", PersonName::parse(&input.name));
        let description = e.check(
            "description",
            Text::parse(input.description.as_deref().unwrap_or("")),
        );
        let parent = input.parent_id.map(CategoryId::from_uuid);
        let all = self.list_categories(actor)?;
        if let Some(parent) = parent {
            let mut cursor = Some(parent);
            let mut steps = 0;
            while let Some(current) = cursor {
                if current == id {
                    e.add(
                        "parent_id",
                        "a category cannot sit under itself or one of its own sub-categories",
                    );
                    break;
                }
                let Some(node) = all.iter().find(|c| c.id == current) else {
                    e.add("parent_id", "no such category in this store");
                    break;
                };
                cursor = node.parent_id;
                steps += 1;
                if steps > 64 {
                    break;
                }
            }
        }
        if let Some(name) = &name
            && all.iter().any(|c| {
                c.id != id
                    && c.parent_id == parent
                    && c.name.as_str().eq_ignore_ascii_case(name.as_str())
            })
        {
            e.add(
                "name",
                "a category with this name already sits here; choose another name",
            );
        }
        match (name, description) {
            (Some(name), Some(description)) if e.is_empty() => Ok((name, parent, description)),
            _ => Err(e.into()),
        }
    }

    pub fn create_category(&self, actor: &Actor, input: CategoryInput) -> Result<Category, Error> {
        actor.require_write(Area::Catalogue)?;
        actor.require(Permission::ManageCategories)?;
        let id = CategoryId::new();
        let (name, parent_id, description) = self.parse_category(actor, id, &input)?;
        self.db.write(actor.author(), |w| {
            let category = Category {
                id,
                store_id: actor.store_id,
                name,
                parent_id,
                description,
                created_at: w.now(),
                updated_at: w.now(),
                deleted_at: None,
            };
            repo::insert_category(w, &category)?;
            Ok(category)
        })
    }

    pub fn update_category(
        &self,
        actor: &Actor,
        id: CategoryId,
        input: CategoryInput,
    ) -> Result<Category, Error> {
        actor.require_write(Area::Catalogue)?;
        actor.require(Permission::ManageCategories)?;
        let (name, parent_id, description) = self.parse_category(actor, id, &input)?;
        self.db.write(actor.author(), |w| {
            let old = repo::category(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("category"))?;
            let category = Category {
                name,
                parent_id,
                description,
                updated_at: w.now(),
                ..old
            };
            repo::update_category(w, &category, ChangeOp::Updated)?;
            Ok(category)
        })
    }

    /// Removes a category that has no live sub-categories. Products keep their link;
    /// they simply show as uncategorised until moved.
    pub fn delete_category(&self, actor: &Actor, id: CategoryId) -> Result<(), Error> {
        actor.require_write(Area::Catalogue)?;
        actor.require(Permission::ManageCategories)?;
        if self
            .list_categories(actor)?
            .iter()
            .any(|c| c.parent_id == Some(id))
        {
            return Err(Error::Conflict {
                message: "this category has sub-categories; move or remove them first".into(),
                field: None,
                existing_id: None,
            });
        }
        self.db.write(actor.author(), |w| {
            let old = repo::category(w, &actor.store_scope(), id)?
                .filter(|c| c.deleted_at.is_none())
                .ok_or(Error::NotFound("category"))?;
            let category = Category {
                deleted_at: Some(w.now()),
                updated_at: w.now(),
                ..old
            };
            repo::update_category(w, &category, ChangeOp::Deleted)?;
            Ok(())
        })
    }
}
