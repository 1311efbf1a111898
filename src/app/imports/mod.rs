//! Imports of customers and products from CSV and Excel files: upload, column mapping
//! (guessed, editable, kept by name), a preview of every row with its problems and
//! duplicates, an all-or-nothing commit in chunks, and undo of a batch as a whole.
//!
//! The page, the API and the console all go through the `Crm` methods here. Reading
//! the file's bytes is `reports::import`; the records' storage is `store::imports`.

mod columns;
mod customer_rows;
pub mod fields;
mod jobs;
mod kinds;
mod plan;
mod product_rows;
mod settings;
mod view;
mod write;

use std::path::{Path, PathBuf};

pub use columns::RowProblem;
pub use jobs::{ImportJobs, Progress};
pub use plan::{MATCHES_SHOWN, Plan, PlanCounts, ROWS_SHOWN, RowOutcome, RowPreview};
pub use product_rows::{read_making, write_making};
pub use settings::{ImportSettings, RowChoice};
pub use view::{FieldView, ImportListRow, ImportView};

use columns::Columns;
use customer_rows::CustomerContext;
use kinds::{Customers, Products};
use product_rows::ProductContext;

use super::{Actor, Crm, Error, Permission};
use crate::domain::{Area, ImportBatch, ImportId, ImportKind, ImportState, SavedMapping};
use crate::reports::import::{Sheet, infer_date_order, open_sheet};
use crate::store::{Deleted, catalogue, imports as repo, org};
use plan::Pass;

/// How many rows of a file are read to tell how it writes its dates.
const DATE_SAMPLE: usize = 1_000;

fn area(kind: ImportKind) -> Area {
    match kind {
        ImportKind::Customers => Area::Customers,
        ImportKind::Products => Area::Catalogue,
    }
}

/// An import that the file could not be read for: a message for the person, as a
/// problem with the `file` they sent.
fn unreadable(err: impl std::fmt::Display) -> Error {
    Error::field("file", err.to_string())
}

impl Crm {
    /// The folder uploaded files wait in until they are imported.
    fn uploads(&self) -> Result<&Path, Error> {
        self.imports
            .dir()
            .ok_or_else(|| Error::internal_message("no folder for uploaded files was set up"))
    }

    /// Where a batch's file is kept.
    pub fn import_file(&self, id: ImportId) -> Result<PathBuf, Error> {
        Ok(self.uploads()?.join(format!("{id}.upload")))
    }

    /// A fresh path in the uploads folder to receive an upload into; hand it to
    /// [`Crm::draft_import`] once written.
    pub fn staging_path(&self) -> Result<PathBuf, Error> {
        let dir = self.uploads()?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::internal("making the uploads folder", e))?;
        Ok(dir.join(format!("{}.part", uuid::Uuid::now_v7())))
    }

    /// Deletes uploads nobody finished sending (an hour old) and files of imports
    /// uploaded a week ago or more (a draft then has to be uploaded again).
    pub fn clean_old_uploads(&self) -> Result<usize, Error> {
        let Some(dir) = self.imports.dir() else {
            return Ok(0);
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(0);
        };
        let now = std::time::SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .unwrap_or_default();
            let keep_for = match path.extension().and_then(|e| e.to_str()) {
                Some("part") => 3600,
                Some("upload") => 7 * 24 * 3600,
                _ => continue,
            };
            if age.as_secs() >= keep_for && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// A batch of the actor's store that the actor may work with.
    fn import_batch(&self, actor: &Actor, id: ImportId) -> Result<ImportBatch, Error> {
        let batch = self
            .db
            .read(|rx| repo::batch(rx, &actor.store_scope(), id))?
            .ok_or(Error::NotFound("import"))?;
        actor.require_read(area(batch.kind))?;
        Ok(batch)
    }

    /// Reads `staged` (a file just uploaded into [`Crm::staging_path`], or a file given
    /// at the console) and draws up a batch from it: the mapping guessed from its
    /// headers (or the saved mapping `settings` names), and its preview. The file is
    /// moved into the uploads folder; one that cannot be read is deleted, with nothing
    /// stored.
    pub fn draft_import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        staged: &Path,
        settings: ImportSettings,
    ) -> Result<ImportView, Error> {
        self.draft_import_for(actor, kind, file_name, staged, settings, Pass::Preview)
    }

    /// As [`Crm::draft_import`], for the console, which prints the counts and the
    /// problems but no look-alike warnings: those are not looked for.
    pub fn draft_import_at_console(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        staged: &Path,
        settings: ImportSettings,
    ) -> Result<ImportView, Error> {
        self.draft_import_for(actor, kind, file_name, staged, settings, Pass::Check)
    }

    fn draft_import_for(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        staged: &Path,
        settings: ImportSettings,
        pass: Pass,
    ) -> Result<ImportView, Error> {
        let drafted = self.draft_batch(actor, kind, file_name, staged, settings);
        if drafted.is_err() {
            let _ = std::fs::remove_file(staged);
        }
        let (batch, keep) = drafted?;
        let kept = self.import_file(batch.id)?;
        std::fs::rename(staged, &kept).map_err(|e| Error::internal("keeping an upload", e))?;
        self.save_draft(actor, &batch, keep.as_ref())?;
        self.import_view_after(actor, batch.id, pass)
    }

    fn draft_batch(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        staged: &Path,
        settings: ImportSettings,
    ) -> Result<(ImportBatch, Option<SavedMapping>), Error> {
        actor.require_write(area(kind))?;
        let sheet = open_sheet(staged).map_err(unreadable)?;
        let now = crate::domain::now();
        let mut batch = ImportBatch {
            id: ImportId::new(),
            store_id: actor.store_id,
            kind,
            file_name: settings::file_name(file_name),
            format: sheet.format.describe(),
            mapping: fields::guess_mapping(kind, &sheet.headers),
            headers: sheet.headers.clone(),
            on_duplicate: crate::domain::DuplicateAction::Skip,
            row_actions: Vec::new(),
            default_floor: None,
            state: ImportState::Draft,
            counts: Default::default(),
            changes: None,
            undo_changes: None,
            message: String::new(),
            created_by: actor.user_id,
            created_at: now,
            committed_at: None,
            undone_by: None,
            undone_at: None,
        };
        let keep = self.apply_settings(actor, &mut batch, settings)?;
        Ok((batch, keep))
    }

    /// Saves a draft, and the mapping it is to keep by name, in one transaction.
    fn save_draft(
        &self,
        actor: &Actor,
        batch: &ImportBatch,
        keep: Option<&SavedMapping>,
    ) -> Result<(), Error> {
        self.db.write(actor.author(), |w| {
            if let Some(mapping) = keep {
                repo::save_mapping(w, actor.store_id, mapping)?;
            }
            repo::save_batch(w, batch)
        })?;
        Ok(())
    }

    /// Changes a draft's mapping or choices (and keeps the mapping by name when asked),
    /// and answers the new preview.
    pub fn update_import(
        &self,
        actor: &Actor,
        id: ImportId,
        settings: ImportSettings,
    ) -> Result<ImportView, Error> {
        let mut batch = self.import_batch(actor, id)?;
        actor.require_write(area(batch.kind))?;
        if batch.state != ImportState::Draft {
            return Err(settings::not_a_draft(&batch));
        }
        let keep = self.apply_settings(actor, &mut batch, settings)?;
        self.save_draft(actor, &batch, keep.as_ref())?;
        self.import_view(actor, id)
    }

    /// Gives up a draft: its record and its file go; nothing was written from it.
    pub fn discard_import(&self, actor: &Actor, id: ImportId) -> Result<(), Error> {
        let batch = self.import_batch(actor, id)?;
        actor.require_write(area(batch.kind))?;
        if batch.state != ImportState::Draft {
            return Err(settings::not_a_draft(&batch));
        }
        self.db
            .write(actor.author(), |w| repo::remove_batch(w, &batch))?;
        let _ = std::fs::remove_file(self.import_file(id)?);
        Ok(())
    }

    /// How far the import being written now has got.
    pub fn import_progress(&self, id: ImportId) -> Option<Progress> {
        self.imports.progress(id)
    }

    /// The store's imports, newest first.
    pub fn list_imports(&self, actor: &Actor) -> Result<Vec<ImportListRow>, Error> {
        let batches = self
            .db
            .read(|rx| repo::batches(rx, &actor.store_scope(), 100))?;
        Ok(batches
            .into_iter()
            .filter(|b| actor.require_read(area(b.kind)).is_ok())
            .map(|b| ImportListRow::of(&b, self.imports.progress(b.id)))
            .collect())
    }

    /// Opens a batch's file again, with the rows' date order read from its first rows.
    fn reopen(&self, batch: &ImportBatch) -> Result<(Sheet, Columns, DateOrders), Error> {
        let path = self.import_file(batch.id)?;
        if !path.exists() {
            return Err(Error::Conflict {
                message: "the uploaded file is no longer kept (uploads are kept for 7 days, and until the server restarts after an import); upload it again".into(),
                field: Some("file"),
                existing_id: None,
            });
        }
        let sample = open_sheet(&path).map_err(unreadable)?;
        let columns = Columns::new(batch.kind, &sample.headers, &batch.mapping)?;
        let orders = DateOrders::sample(sample, &columns);
        let sheet = open_sheet(&path).map_err(unreadable)?;
        Ok((sheet, columns, orders))
    }

    fn customer_target<'a>(
        &self,
        actor: &'a Actor,
        orders: &DateOrders,
    ) -> Result<Customers<'a>, Error> {
        let floors = self.floor_names(actor)?;
        Ok(Customers {
            actor,
            ctx: CustomerContext {
                today: self.today(),
                floors,
                birth_order: orders.birth,
                anniversary_order: orders.anniversary,
            },
        })
    }

    fn product_target<'a>(
        &self,
        actor: &'a Actor,
        batch: &ImportBatch,
    ) -> Result<Products<'a>, Error> {
        let floors = self.floor_names(actor)?;
        let scope = actor.store_scope();
        let all = self
            .db
            .read(|rx| catalogue::categories(rx, &scope, Deleted::Hide))?;
        let mut categories = Vec::new();
        for c in &all {
            categories.push((c.name.as_str().to_lowercase(), c.id));
            if let Some(parent) = c.parent_id.and_then(|p| all.iter().find(|o| o.id == p)) {
                let path = format!("{} > {}", parent.name, c.name).to_lowercase();
                categories.push((path, c.id));
            }
        }
        let default_floor = batch
            .default_floor
            .or(if actor.may(Permission::EveryFloor) {
                None
            } else {
                actor.floor_id
            });
        let default_floor = default_floor.or(match floors.as_slice() {
            [(_, only)] => Some(*only),
            _ => None,
        });
        Ok(Products {
            actor,
            ctx: ProductContext {
                floors,
                default_floor,
                categories,
            },
        })
    }

    fn floor_names(&self, actor: &Actor) -> Result<Vec<(String, crate::domain::FloorId)>, Error> {
        let scope = actor.store_scope();
        let floors = self.db.read(|rx| org::floors(rx, &scope, Deleted::Hide))?;
        Ok(floors
            .into_iter()
            .map(|f| (f.name.as_str().to_lowercase(), f.id))
            .collect())
    }
}

/// How a file writes its dates, per date column, read from its first rows.
#[derive(Debug, Clone, Copy, Default)]
struct DateOrders {
    birth: Option<crate::reports::import::DateOrder>,
    anniversary: Option<crate::reports::import::DateOrder>,
}

impl DateOrders {
    fn sample(sheet: Sheet, columns: &Columns) -> Self {
        let rows: Vec<_> = sheet.take(DATE_SAMPLE).filter_map(Result::ok).collect();
        let order = |field: &str| {
            let index = columns.index(field)?;
            infer_date_order(rows.iter().filter_map(|r| r.cells.get(index)))
        };
        Self {
            birth: order("date_of_birth"),
            anniversary: order("anniversary"),
        }
    }
}

/// Runs `f` with the import target of the batch's kind.
macro_rules! with_target {
    ($crm:expr, $actor:expr, $batch:expr, $orders:expr, |$target:ident| $body:expr) => {
        match $batch.kind {
            crate::domain::ImportKind::Customers => {
                let $target = $crm.customer_target($actor, &$orders)?;
                $body
            }
            crate::domain::ImportKind::Products => {
                let $target = $crm.product_target($actor, &$batch)?;
                $body
            }
        }
    };
}
use with_target;

mod running;
