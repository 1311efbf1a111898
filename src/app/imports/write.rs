//! Writing a batch and taking it back, a chunk of rows per write transaction so the
//! counter's sales are never kept waiting for long.
//!
//! A commit is all or nothing: if a chunk fails (a full disk, a stop), the chunks
//! already written are taken back with the same steps as an undo, and the batch ends
//! `FAILED`. Every record written is kept as an item of the batch first, in the same
//! transaction, so nothing can be written that undo does not know about.

use std::collections::HashMap;

use super::columns::{Columns, RowProblem};
use super::kinds::ImportTarget;
use super::plan::{Decision, PROBLEMS_SHOWN, decide};
use crate::app::Error;
use crate::domain::{DuplicateAction, ImportBatch, ImportCounts, ImportItem};
use crate::reports::import::{Sheet, SheetRow};
use crate::store::{Author, Db, imports as repo};

/// Rows per write transaction while the server runs: small enough that a sale waits a
/// few milliseconds at most, large enough that a million rows are not a million commits.
pub const CHUNK: usize = 2_000;
/// Rows per write transaction at the console, where no counter is waiting (the server
/// is stopped): fewer, larger commits, so an index page touched by many rows is written
/// once per chunk. 50,000 took a million-row import from about 61 s to 55 s against
/// 20,000, and its peak memory down, not up (README, "Importing a million customers").
pub const CONSOLE_CHUNK: usize = 50_000;

/// How a commit goes: rows per write transaction, and whom to tell after each.
pub struct Pace<'a> {
    pub rows: usize,
    pub progress: &'a dyn Fn(u32),
}

/// What a commit wrote, and the rows it left out.
#[derive(Debug, Default)]
pub struct Written {
    pub counts: ImportCounts,
    pub problems: Vec<RowProblem>,
    pub changes: Option<(u64, u64)>,
}

/// Writes every row of `sheet`, `CHUNK` rows per transaction, calling `progress` with
/// the rows done after each. The batch is saved with its counts in each transaction.
pub fn commit<T: ImportTarget>(
    db: &Db,
    author: &Author,
    target: &T,
    batch: &mut ImportBatch,
    columns: &Columns,
    sheet: Sheet,
    pace: Pace<'_>,
) -> Result<Written, Error> {
    let mut written = Written::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut items = 0u32;
    let mut rows = sheet.peekable();
    while rows.peek().is_some() {
        let mut chunk: Vec<SheetRow> = Vec::with_capacity(pace.rows);
        for row in rows.by_ref().take(pace.rows) {
            chunk.push(row.map_err(|e| Error::field("file", e.to_string()))?);
        }
        // Rows are read before the transaction opens, so it holds the writer only
        // for the writes.
        let read: Vec<Result<T::Row, Vec<RowProblem>>> =
            chunk.iter().map(|row| target.read(row, columns)).collect();
        db.write_bulk(author.clone(), |w| -> Result<(), Error> {
            let first = w.next_change_seq()?;
            for row in read {
                written.counts.rows += 1;
                let row = match row {
                    Ok(row) => row,
                    Err(problems) => {
                        refused(&mut written, problems);
                        continue;
                    }
                };
                let line = T::line(&row);
                let key = T::file_key(&row);
                let existing = target.find(w, &row)?;
                let matched = existing.as_ref().map(T::describe).or_else(|| {
                    seen.get(&key)
                        .map(|earlier| format!("row {earlier} of this file"))
                });
                seen.entry(key).or_insert(line);
                let decided = match (&matched, batch.chosen_for(line)) {
                    // A row that only looked like another, chosen to be skipped.
                    (None, Some(DuplicateAction::Skip)) => Decision::Skip,
                    _ => decide(matched.as_deref(), batch.action_for(line)),
                };
                let outcome = match decided {
                    Decision::Skip => {
                        written.counts.skipped += 1;
                        continue;
                    }
                    Decision::Refuse(message) => Err(message),
                    Decision::Create => target.create(w, row)?.map(|id| (id, None)),
                    Decision::Update { overwrite } => match existing {
                        Some(old) => target
                            .update(w, &old, &row, overwrite)?
                            .map(|changed| changed.map(|(id, before)| (id, Some(before)))),
                        None => Ok(None),
                    }
                    .and_then(|changed| changed.ok_or_else(String::new)),
                };
                match outcome {
                    Ok((entity, before)) => {
                        if before.is_some() {
                            written.counts.updated += 1;
                        } else {
                            written.counts.created += 1;
                        }
                        let item = ImportItem {
                            line,
                            entity,
                            before,
                            written_at: w.now(),
                        };
                        repo::put_item(w, batch.id, items, &item)?;
                        items += 1;
                    }
                    // The row matched and changes nothing.
                    Err(message) if message.is_empty() => written.counts.skipped += 1,
                    Err(message) => refused(
                        &mut written,
                        vec![RowProblem {
                            line,
                            column: String::new(),
                            message,
                        }],
                    ),
                }
            }
            if let Some(last) = w.last_logged() {
                let start = written.changes.map_or(first, |(start, _)| start);
                written.changes = Some((start, last));
            }
            batch.counts = written.counts;
            batch.changes = written.changes;
            repo::save_batch(w, batch)?;
            Ok(())
        })?;
        (pace.progress)(written.counts.rows);
    }
    Ok(written)
}

fn refused(written: &mut Written, problems: Vec<RowProblem>) {
    written.counts.refused += 1;
    let room = PROBLEMS_SHOWN.saturating_sub(written.problems.len());
    written.problems.extend(problems.into_iter().take(room));
}

/// What an undo took back, and what it had to leave.
#[derive(Debug, Default)]
pub struct TakenBack {
    pub records: u32,
    pub left: Vec<String>,
    pub changes: Option<(u64, u64)>,
}

/// Takes back every item of a batch, newest first, `CHUNK` per transaction; each item
/// is forgotten in the transaction that takes it back, so an undo stopped half-way
/// carries on where it stopped.
pub fn take_back<T: ImportTarget>(
    db: &Db,
    author: &Author,
    target: &T,
    batch: &ImportBatch,
    progress: &dyn Fn(u32),
) -> Result<TakenBack, Error> {
    let mut done = TakenBack::default();
    let mut before: Option<u32> = None;
    loop {
        let items = db.read(|rx| repo::items_before(rx, batch.id, before, CHUNK))?;
        let Some((oldest, _)) = items.last() else {
            break;
        };
        before = Some(*oldest);
        db.write_bulk(author.clone(), |w| -> Result<(), Error> {
            let first = w.next_change_seq()?;
            for (n, item) in &items {
                let result = match &item.before {
                    None => target.take_back_created(w, item.entity, item.written_at)?,
                    Some(bytes) => {
                        target.put_back_updated(w, item.entity, bytes, item.written_at)?
                    }
                };
                match result {
                    Ok(()) => {
                        repo::remove_item(w, batch.id, *n)?;
                        done.records += 1;
                    }
                    Err(refusal) => done.left.push(format!("row {}: {refusal}", item.line)),
                }
            }
            if let Some(last) = w.last_logged() {
                let start = done.changes.map_or(first, |(start, _)| start);
                done.changes = Some((start, last));
            }
            Ok(())
        })?;
        progress(done.records);
    }
    Ok(done)
}

/// The records of a batch that cannot be taken back without losing someone's work,
/// at most `limit` of them, and how many there are. A record the batch wrote twice (a
/// row repeating an earlier one) is checked against the last write, since undo puts
/// the earlier state back first.
pub fn undo_refusals<T: ImportTarget>(
    db: &Db,
    target: &T,
    batch: &ImportBatch,
    limit: usize,
) -> Result<(Vec<String>, u32), Error> {
    // entity → (its newest item's line and write time, whether the batch created it)
    let mut touched: HashMap<u128, (u32, jiff::Timestamp, bool)> = HashMap::new();
    let mut before: Option<u32> = None;
    loop {
        let items = db.read(|rx| repo::items_before(rx, batch.id, before, CHUNK))?;
        let Some((oldest, _)) = items.last() else {
            break;
        };
        before = Some(*oldest);
        for (_, item) in items {
            let created = item.before.is_none();
            touched
                .entry(item.entity)
                .and_modify(|seen| seen.2 |= created)
                .or_insert((item.line, item.written_at, created));
        }
    }
    let mut refusals = Vec::new();
    let mut total = 0u32;
    let mut entities: Vec<_> = touched.into_iter().collect();
    entities.sort_by_key(|(_, (line, _, _))| *line);
    for group in entities.chunks(CHUNK) {
        db.read(|rx| -> Result<(), Error> {
            for (entity, (line, written_at, created)) in group {
                if let Some(refusal) = target.check_undo(rx, *entity, *written_at, *created)? {
                    total += 1;
                    if refusals.len() < limit {
                        refusals.push(format!("row {line}: {refusal}"));
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok((refusals, total))
}
