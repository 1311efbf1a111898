//! What the person chooses for a draft import: the mapping (or a saved one by name),
//! what to do with duplicates, row by row if need be, and the floor for products.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Crm;
use super::fields::{in_field_order, spec};
use crate::app::{Actor, Error};
use crate::domain::{
    DuplicateAction, FieldErrors, FloorId, ImportBatch, MappedColumn, SavedMapping,
};
use crate::store::{Deleted, imports as repo, org};

/// Changes to a draft import; anything left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// The whole mapping: which column fills which field. Fields left out are not
    /// imported.
    pub mapping: Option<Vec<MappedColumn>>,
    /// Use the mapping saved under this name instead.
    pub mapping_name: Option<String>,
    /// Keep the mapping (as it stands after this change) under this name.
    pub save_mapping_as: Option<String>,
    /// What to do with rows that match a stored record or an earlier row (default
    /// `skip`).
    pub on_duplicate: Option<DuplicateAction>,
    /// Rows handled otherwise than `on_duplicate` says; replaces the earlier list.
    pub rows: Option<Vec<RowChoice>>,
    /// Products: the floor of rows that name none.
    pub default_floor_id: Option<Uuid>,
}

/// What to do with one row that matches.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RowChoice {
    /// The row's number in the file, as the preview shows it.
    pub line: u32,
    pub action: DuplicateAction,
}

/// A file's name as shown in lists: its last part, at most 120 characters, with no
/// control characters. It is never used as a path.
pub fn file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if clean.trim().is_empty() {
        "upload".into()
    } else {
        clean.trim().to_owned()
    }
}

pub fn not_a_draft(batch: &ImportBatch) -> Error {
    Error::Conflict {
        message: format!(
            "this import is {} already; only an import not yet written can be changed",
            batch.state.as_str().to_lowercase()
        ),
        field: None,
        existing_id: None,
    }
}

impl Crm {
    /// Applies `settings` to a draft, answering the mapping to keep by name, if asked;
    /// the caller saves both in one transaction.
    pub(super) fn apply_settings(
        &self,
        actor: &Actor,
        batch: &mut ImportBatch,
        settings: ImportSettings,
    ) -> Result<Option<SavedMapping>, Error> {
        let scope = actor.store_scope();
        let mut errors = FieldErrors::new();
        if let Some(name) = settings
            .mapping_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
        {
            match self
                .db
                .read(|rx| repo::mapping(rx, &scope, batch.kind, name))?
            {
                Some(saved) => batch.mapping = saved.columns,
                None => {
                    let saved = self.db.read(|rx| repo::mappings(rx, &scope, batch.kind))?;
                    let names: Vec<&str> = saved.iter().map(|m| m.name.as_str()).collect();
                    errors.add(
                        "mapping_name",
                        if names.is_empty() {
                            format!(
                                "no mapping is saved as '{name}'; none is saved yet for {}",
                                batch.kind.as_str()
                            )
                        } else {
                            format!(
                                "no mapping is saved as '{name}'; saved ones are {}",
                                names.join(", ")
                            )
                        },
                    );
                }
            }
        }
        if let Some(mapping) = settings.mapping {
            for column in &mapping {
                if spec(batch.kind, &column.field).is_none() {
                    errors.add(
                        "mapping",
                        format!(
                            "'{}' is not a field of {}",
                            column.field,
                            batch.kind.as_str()
                        ),
                    );
                } else if !batch.headers.contains(&column.header) {
                    errors.add(
                        "mapping",
                        format!("the file has no column '{}'", column.header),
                    );
                }
            }
            let mut fields: Vec<&str> = mapping.iter().map(|m| m.field.as_str()).collect();
            fields.sort_unstable();
            if fields.windows(2).any(|w| w[0] == w[1]) {
                errors.add("mapping", "a field is mapped to two columns; choose one");
            }
            batch.mapping = in_field_order(batch.kind, mapping);
        }
        if let Some(action) = settings.on_duplicate {
            batch.on_duplicate = action;
        }
        if let Some(rows) = settings.rows {
            batch.row_actions = rows.iter().map(|r| (r.line, r.action)).collect();
            batch.row_actions.sort_by_key(|(line, _)| *line);
            batch.row_actions.dedup_by_key(|(line, _)| *line);
        }
        if let Some(floor) = settings.default_floor_id {
            let floor = FloorId::from_uuid(floor);
            let known = self.db.read(|rx| org::floors(rx, &scope, Deleted::Hide))?;
            if !known.iter().any(|f| f.id == floor) {
                errors.add("default_floor_id", "no such floor in this store");
            } else if !actor.may_work_on(Some(floor)) {
                errors.add(
                    "default_floor_id",
                    "is another floor; a Floor Manager imports to their own floor only",
                );
            }
            batch.default_floor = Some(floor);
        }
        if let Some(name) = settings.save_mapping_as.as_deref() {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
                errors.add(
                    "save_mapping_as",
                    "give the mapping a name of 1 to 60 characters, e.g. Tally export",
                );
            }
        }
        errors.into_result()?;
        Ok(settings
            .save_mapping_as
            .as_deref()
            .map(|name| SavedMapping {
                name: name.trim().to_owned(),
                kind: batch.kind,
                columns: batch.mapping.clone(),
                saved_by: actor.user_id,
                saved_at: crate::domain::now(),
            }))
    }
}
