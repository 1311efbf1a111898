//! Committing and undoing a batch, finishing the ones a stop interrupted, and the file
//! of refused rows to fix and import again.

use super::plan::Pass;
use super::write::{self, TakenBack};
use super::{Crm, ImportView, area};
use crate::app::{Actor, Error, Permission};
use crate::domain::{ImportBatch, ImportId, ImportState};
use crate::store::{Scope, imports as repo, people};

/// How many records an undo names when it refuses.
const REFUSALS_NAMED: usize = 5;

fn busy() -> Error {
    Error::Conflict {
        message: "another import is being written or undone; wait for it to finish (its page shows how far it has got)".into(),
        field: None,
        existing_id: None,
    }
}

impl Crm {
    fn save_batch(&self, actor: &Actor, batch: &ImportBatch) -> Result<(), Error> {
        self.db
            .write(actor.author(), |w| repo::save_batch(w, batch))?;
        Ok(())
    }

    /// Starts writing a draft: the mapping must be complete, and with `strict` no row
    /// may have a problem. Marks the batch `COMMITTING` and claims the box's import
    /// slot; [`Crm::run_import_commit`] then writes it (on a blocking thread).
    pub fn begin_import_commit(
        &self,
        actor: &Actor,
        id: ImportId,
        strict: bool,
    ) -> Result<ImportView, Error> {
        let mut batch = self.import_batch(actor, id)?;
        actor.require_write(area(batch.kind))?;
        if batch.state != ImportState::Draft {
            return Err(super::settings::not_a_draft(&batch));
        }
        // Only a strict commit needs every row checked first; otherwise the rows are
        // counted (for the progress bar) and checked once, as they are written.
        let rows = if strict {
            let plan = self.plan_rows(actor, &batch, Pass::Check, &mut |_, _| {})?;
            if plan.counts.refuse > 0 {
                let first: Vec<String> = plan
                    .problems
                    .iter()
                    .take(REFUSALS_NAMED)
                    .map(|p| format!("row {}, {}: {}", p.line, p.column, p.message))
                    .collect();
                return Err(Error::field(
                    "file",
                    format!(
                        "{} of {} rows have problems ({}); nothing was imported. Fix them, or import without strict to leave them out",
                        plan.counts.refuse,
                        plan.counts.rows,
                        first.join("; ")
                    ),
                ));
            }
            plan.counts.rows
        } else {
            let (sheet, _, _) = self.reopen(&batch)?;
            u32::try_from(sheet.count()).unwrap_or(u32::MAX)
        };
        if rows == 0 {
            return Err(Error::field(
                "file",
                "the file has no rows under its header; nothing to import",
            ));
        }
        if !self.imports.start(batch.id, rows) {
            return Err(busy());
        }
        batch.state = ImportState::Committing;
        batch.message.clear();
        if let Err(err) = self.save_batch(actor, &batch) {
            self.imports.finish(batch.id);
            return Err(err);
        }
        self.import_view(actor, id)
    }

    /// Writes a batch that [`Crm::begin_import_commit`] started. A failure part-way
    /// takes back what was written and leaves the batch `FAILED` with the reason.
    pub fn run_import_commit(&self, actor: &Actor, id: ImportId) -> Result<ImportView, Error> {
        self.write_import(actor, id, write::CHUNK)
    }

    /// As [`Crm::run_import_commit`], in larger transactions: for the console, where
    /// the server is stopped and no sale waits on the writer.
    pub fn run_import_commit_alone(
        &self,
        actor: &Actor,
        id: ImportId,
    ) -> Result<ImportView, Error> {
        self.write_import(actor, id, write::CONSOLE_CHUNK)
    }

    fn write_import(&self, actor: &Actor, id: ImportId, chunk: usize) -> Result<ImportView, Error> {
        let mut batch = self.import_batch(actor, id)?;
        if batch.state != ImportState::Committing {
            return Err(super::settings::not_a_draft(&batch));
        }
        let author = actor.author();
        let progress = |done| self.imports.advance(id, done);
        let result = (|| {
            let (sheet, columns, orders) = self.reopen(&batch)?;
            with_target!(self, actor, batch, orders, |target| write::commit(
                &self.db,
                &author,
                &target,
                &mut batch,
                &columns,
                sheet,
                write::Pace {
                    rows: chunk,
                    progress: &progress
                }
            ))
        })();
        match result {
            Ok(written) => {
                batch.state = ImportState::Committed;
                batch.counts = written.counts;
                batch.changes = written.changes;
                batch.committed_at = Some(crate::domain::now());
                batch.message = written
                    .problems
                    .first()
                    .map(|p| {
                        format!(
                            "{} rows were left out for problems, the first: row {}, {}: {}",
                            written.counts.refused, p.line, p.column, p.message
                        )
                    })
                    .unwrap_or_default();
            }
            Err(err) => {
                tracing::error!(import = %id, error = %err, "an import failed; taking back what it wrote");
                let reason = match &err {
                    Error::Internal(_) => "the database could not write it".to_owned(),
                    other => other.to_string(),
                };
                let taken = self.take_back(actor, &batch, &author)?;
                batch.state = ImportState::Failed;
                batch.counts = Default::default();
                batch.changes = None;
                batch.undo_changes = taken.changes;
                batch.message = format!("the import stopped ({reason}) and nothing of it was kept");
            }
        }
        self.imports.finish(id);
        self.save_batch(actor, &batch)?;
        self.import_view(actor, id)
    }

    fn take_back(
        &self,
        actor: &Actor,
        batch: &ImportBatch,
        author: &crate::store::Author,
    ) -> Result<TakenBack, Error> {
        let progress = |done| self.imports.advance(batch.id, done);
        let orders = Default::default();
        with_target!(self, actor, batch, orders, |target| write::take_back(
            &self.db, author, &target, batch, &progress
        ))
    }

    /// Starts taking a committed batch back: refused, naming the records, if any of
    /// them changed since or (a customer it added) gained a bill, visit or follow-up.
    pub fn begin_import_undo(&self, actor: &Actor, id: ImportId) -> Result<ImportView, Error> {
        let mut batch = self.import_batch(actor, id)?;
        actor.require_write(area(batch.kind))?;
        if batch.state != ImportState::Committed {
            return Err(Error::Conflict {
                message: format!(
                    "this import is {}; only a written import can be undone",
                    batch.state.as_str().to_lowercase()
                ),
                field: None,
                existing_id: None,
            });
        }
        if batch.created_by != actor.user_id && !actor.may(Permission::EveryFloor) {
            return Err(Error::Forbidden(
                "only the person who imported this file, or a Business Admin, can undo it".into(),
            ));
        }
        let orders = Default::default();
        let (refusals, total) = with_target!(self, actor, batch, orders, |target| {
            write::undo_refusals(&self.db, &target, &batch, REFUSALS_NAMED)
        })?;
        if total > 0 {
            let more = total.saturating_sub(refusals.len() as u32);
            let more = if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            };
            return Err(Error::Conflict {
                message: format!(
                    "this import cannot be undone without losing work done since: {}{more}",
                    refusals.join("; ")
                ),
                field: None,
                existing_id: None,
            });
        }
        let items = self.db.read(|rx| repo::item_count(rx, batch.id))?;
        if !self.imports.start(batch.id, items) {
            return Err(busy());
        }
        batch.state = ImportState::Undoing;
        if let Err(err) = self.save_batch(actor, &batch) {
            self.imports.finish(batch.id);
            return Err(err);
        }
        self.import_view(actor, id)
    }

    /// Takes back a batch that [`Crm::begin_import_undo`] started.
    pub fn run_import_undo(&self, actor: &Actor, id: ImportId) -> Result<ImportView, Error> {
        let mut batch = self.import_batch(actor, id)?;
        if batch.state != ImportState::Undoing {
            return Err(super::settings::not_a_draft(&batch));
        }
        let result = self.take_back(actor, &batch, &actor.author());
        self.imports.finish(id);
        let taken = result?;
        batch.undo_changes = match (batch.undo_changes, taken.changes) {
            (Some((a, _)), Some((_, b))) => Some((a, b)),
            (earlier, now) => now.or(earlier),
        };
        if taken.left.is_empty() {
            batch.state = ImportState::Undone;
            batch.undone_by = Some(actor.user_id);
            batch.undone_at = Some(crate::domain::now());
            batch.message.clear();
        } else {
            // Records changed while the undo ran stay; the batch keeps them, so an undo
            // can be tried again once they are sorted out.
            batch.state = ImportState::Committed;
            batch.message = format!("partly undone; left in place: {}", batch_left(&taken.left));
        }
        self.save_batch(actor, &batch)?;
        self.import_view(actor, id)
    }

    /// Finishes what a stop interrupted: a commit is taken back (it never finished, so
    /// none of it stays), an undo is completed. Run at start-up, before serving.
    pub fn finish_interrupted_imports(&self) -> Result<usize, Error> {
        let unfinished = self.db.read(repo::unfinished_batches)?;
        for mut batch in unfinished.iter().cloned() {
            let actor = self.batch_actor(&batch)?;
            tracing::warn!(import = %batch.id, state = batch.state.as_str(), "finishing an import the last stop interrupted");
            let taken = self.take_back(&actor, &batch, &actor.author())?;
            batch.undo_changes = taken.changes;
            if batch.state == ImportState::Committing {
                batch.state = ImportState::Failed;
                batch.counts = Default::default();
                batch.message = "the server stopped while writing this import, so nothing of it was kept; import the file again".into();
            } else {
                batch.state = ImportState::Undone;
                batch.undone_at = Some(crate::domain::now());
            }
            self.save_batch(&actor, &batch)?;
        }
        Ok(unfinished.len())
    }

    /// The person who made a batch, acting again to finish it after a stop.
    fn batch_actor(&self, batch: &ImportBatch) -> Result<Actor, Error> {
        let scope = Scope::store(batch.store_id);
        let user = self
            .db
            .read(|rx| people::user(rx, &scope, batch.created_by))?
            .ok_or_else(|| Error::internal_message("an import names a person who is not stored"))?;
        Ok(Actor {
            user_id: user.id,
            username: user.username,
            name: user.name,
            // Finishing takes back only what the batch itself wrote, whoever wrote it.
            role: crate::domain::UserRole::BusinessAdmin,
            store_id: user.store_id,
            floor_id: None,
            origin: crate::store::Origin {
                address: None,
                device: "start-up".into(),
                api_key: None,
            },
            key: None,
        })
    }

    /// The rows of a draft's file that have problems, as a CSV of the file's own columns
    /// plus a "Problems" column: fix it in Excel and import it again.
    pub fn import_problems_csv(&self, actor: &Actor, id: ImportId) -> Result<Vec<u8>, Error> {
        let batch = self.import_batch(actor, id)?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let failed = |e: csv::Error| Error::internal("writing the problem rows", e);
        let mut header = batch.headers.clone();
        header.push("Problems".into());
        out.write_record(&header).map_err(failed)?;
        let mut error = None;
        self.plan_rows(actor, &batch, Pass::Check, &mut |row, problems| {
            let mut record: Vec<String> = batch
                .headers
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    row.cells
                        .get(i)
                        .map(crate::reports::import::cell_text)
                        .unwrap_or_default()
                })
                .collect();
            let said: Vec<String> = problems
                .iter()
                .map(|p| {
                    if p.column.is_empty() {
                        format!("row {}: {}", p.line, p.message)
                    } else {
                        format!("{}: {}", p.column, p.message)
                    }
                })
                .collect();
            record.push(said.join("; "));
            if let Err(e) = out.write_record(&record) {
                error.get_or_insert(e);
            }
        })?;
        if let Some(e) = error {
            return Err(failed(e));
        }
        out.into_inner()
            .map_err(|e| Error::internal("writing the problem rows", e.into_error()))
    }
}

fn batch_left(left: &[String]) -> String {
    let mut said: Vec<&str> = left
        .iter()
        .take(REFUSALS_NAMED)
        .map(String::as_str)
        .collect();
    let more = left.len().saturating_sub(said.len());
    let tail = format!("and {more} more");
    if more > 0 {
        said.push(&tail);
    }
    said.join("; ")
}
