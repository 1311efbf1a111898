//! An import as the page and the API show it: the batch, its mapping against the file's
//! columns, and (for a draft) the preview of every row.

use jiff::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::columns::Columns;
use super::fields::fields_of;
use super::jobs::Progress;
use super::plan::{Pass, Plan, plan};
use super::{Crm, with_target};
use crate::app::{Actor, Error};
use crate::domain::{
    DuplicateAction, ImportBatch, ImportCounts, ImportId, ImportKind, ImportState, MappedColumn,
};
use crate::store::imports as repo;

/// One field of the mapping form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldView {
    pub field: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// The file's column that fills it, if one does.
    pub header: Option<String>,
}

/// An import, as the page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportView {
    pub id: Uuid,
    pub kind: ImportKind,
    pub state: ImportState,
    pub file_name: String,
    /// How the file was read: "CSV, Windows-1252, separated by ';'".
    pub format: String,
    pub headers: Vec<String>,
    pub mapping: Vec<MappedColumn>,
    pub fields: Vec<FieldView>,
    /// What is wrong with the mapping (a required field with no column…); nothing can
    /// be imported until it is put right.
    pub mapping_problems: Vec<String>,
    pub on_duplicate: DuplicateAction,
    /// Rows handled otherwise than `on_duplicate` says.
    pub row_actions: Vec<RowAction>,
    pub default_floor_id: Option<Uuid>,
    /// A draft's preview: what every row will become, the problems by row and column.
    pub preview: Option<Plan>,
    /// What the commit wrote (once written).
    pub counts: ImportCounts,
    pub progress: Option<Progress>,
    /// Why the commit or undo did not go through, or what an undo had to leave.
    pub message: String,
    /// The first and last change-log entries the commit made.
    pub changes: Option<[u64; 2]>,
    /// The first and last change-log entries the undo made.
    pub undo_changes: Option<[u64; 2]>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub committed_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub undone_at: Option<Timestamp>,
    /// The names of the mappings saved for this kind of file.
    pub saved_mappings: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct RowAction {
    pub line: u32,
    pub action: DuplicateAction,
}

/// One import in the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportListRow {
    pub id: Uuid,
    pub kind: ImportKind,
    pub state: ImportState,
    pub file_name: String,
    pub counts: ImportCounts,
    pub progress: Option<Progress>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl ImportListRow {
    pub fn of(batch: &ImportBatch, progress: Option<Progress>) -> Self {
        Self {
            id: batch.id.as_uuid(),
            kind: batch.kind,
            state: batch.state,
            file_name: batch.file_name.clone(),
            counts: batch.counts,
            progress,
            created_at: batch.created_at,
        }
    }
}

fn range(r: Option<(u64, u64)>) -> Option<[u64; 2]> {
    r.map(|(a, b)| [a, b])
}

impl Crm {
    /// An import; a draft comes with the preview of its file under its mapping.
    pub fn import_view(&self, actor: &Actor, id: ImportId) -> Result<ImportView, Error> {
        self.import_view_after(actor, id, Pass::Preview)
    }

    /// The import, its draft's rows read by `pass`.
    pub(super) fn import_view_after(
        &self,
        actor: &Actor,
        id: ImportId,
        pass: Pass,
    ) -> Result<ImportView, Error> {
        let batch = self.import_batch(actor, id)?;
        let mut mapping_problems = Vec::new();
        let preview = if batch.state == ImportState::Draft {
            match self.plan_rows(actor, &batch, pass, &mut |_, _| {}) {
                Ok(plan) => Some(plan),
                Err(Error::Invalid(errors)) => {
                    mapping_problems = errors.iter().map(|(_, m)| m.clone()).collect();
                    None
                }
                Err(other) => return Err(other),
            }
        } else {
            None
        };
        let saved = self
            .db
            .read(|rx| repo::mappings(rx, &actor.store_scope(), batch.kind))?;
        let fields = fields_of(batch.kind)
            .iter()
            .map(|f| FieldView {
                field: f.key,
                label: f.label,
                required: f.required,
                header: batch
                    .mapping
                    .iter()
                    .find(|m| m.field == f.key)
                    .map(|m| m.header.clone()),
            })
            .collect();
        Ok(ImportView {
            id: batch.id.as_uuid(),
            kind: batch.kind,
            state: batch.state,
            file_name: batch.file_name.clone(),
            format: batch.format.clone(),
            headers: batch.headers.clone(),
            mapping: batch.mapping.clone(),
            fields,
            mapping_problems,
            on_duplicate: batch.on_duplicate,
            row_actions: batch
                .row_actions
                .iter()
                .map(|(line, action)| RowAction {
                    line: *line,
                    action: *action,
                })
                .collect(),
            default_floor_id: batch.default_floor.map(|f| f.as_uuid()),
            preview,
            counts: batch.counts,
            progress: self.imports.progress(batch.id),
            message: batch.message.clone(),
            changes: range(batch.changes),
            undo_changes: range(batch.undo_changes),
            created_at: batch.created_at,
            committed_at: batch.committed_at,
            undone_at: batch.undone_at,
            saved_mappings: saved.into_iter().map(|m| m.name).collect(),
        })
    }

    /// Every row of a draft's file read against its mapping and the store as it is now.
    pub(super) fn plan_rows(
        &self,
        actor: &Actor,
        batch: &ImportBatch,
        pass: Pass,
        on_refused: &mut dyn FnMut(&crate::reports::import::SheetRow, &[super::RowProblem]),
    ) -> Result<Plan, Error> {
        let (sheet, columns, orders) = self.reopen(batch)?;
        let shown = |columns: &Columns| -> Vec<&'static str> {
            fields_of(batch.kind)
                .iter()
                .filter(|f| columns.is_mapped(f.key))
                .map(|f| f.key)
                .collect()
        };
        let keys = shown(&columns);
        with_target!(self, actor, batch, orders, |target| self.db.read(|rx| {
            plan(
                &target,
                rx,
                pass,
                batch,
                &columns,
                sheet,
                |row| super::kinds::ImportTarget::values(&target, row, &keys),
                on_refused,
            )
        }))
    }
}
