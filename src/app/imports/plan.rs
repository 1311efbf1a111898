//! Reading a whole file against a mapping: what each row becomes, without writing. The
//! preview shows it; the commit writes it the same way, chunk by chunk.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::columns::{Columns, RowProblem};
use super::kinds::ImportTarget;
use crate::app::Error;
use crate::domain::{DuplicateAction, ImportBatch};
use crate::reports::import::{Sheet, SheetRow};
use crate::store::Tables;

/// The rows of a preview shown in full: the first few, then those that need a look.
pub const ROWS_SHOWN: usize = 50;
/// At most this many rows that match a record or another row are listed one by one.
pub const MATCHES_SHOWN: usize = 500;
/// At most this many problems are listed; the count says how many there are.
pub const PROBLEMS_SHOWN: usize = 1_000;

/// What will happen to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RowOutcome {
    Create,
    Update,
    Skip,
    /// Left out: the row has a problem.
    Refuse,
}

/// One row of the preview as it will be stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowPreview {
    pub line: u32,
    pub outcome: RowOutcome,
    /// The record or earlier row this one matches: "C-000123 Subhajit Chowdhury",
    /// "row 5".
    pub matches: Option<String>,
    /// What applies to this row when it matches: the file's default or its own.
    pub action: Option<DuplicateAction>,
    /// The values read, in the mapping's order (empty for a refused row).
    pub values: Vec<String>,
    pub problems: Vec<RowProblem>,
    pub warning: Option<String>,
}

/// Counts of what the rows will become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlanCounts {
    pub rows: u32,
    pub create: u32,
    pub update: u32,
    pub skip: u32,
    pub refuse: u32,
    /// Rows that match a stored record or an earlier row of the file.
    pub duplicates: u32,
}

/// The whole file read against a mapping.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Plan {
    pub counts: PlanCounts,
    pub rows: Vec<RowPreview>,
    pub problems: Vec<RowProblem>,
    pub problems_total: u32,
}

/// What a row becomes given the stored record or earlier row it matches.
pub enum Decision {
    Create,
    Update { overwrite: bool },
    Skip,
    Refuse(String),
}

pub fn decide(matched: Option<&str>, action: DuplicateAction) -> Decision {
    let Some(matched) = matched else {
        return Decision::Create;
    };
    match action {
        DuplicateAction::Create => Decision::Refuse(format!(
            "matches {matched}; a second record with the same number cannot be added, so choose update or skip"
        )),
        DuplicateAction::Update => Decision::Update { overwrite: false },
        DuplicateAction::Overwrite => Decision::Update { overwrite: true },
        DuplicateAction::Skip => Decision::Skip,
    }
}

/// What a pass over the rows is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The preview a person reads: also says which new rows look like a stored customer
    /// or an earlier row (a warning; it changes no outcome).
    Preview,
    /// Only the outcomes and problems (a strict commit, the problem rows, the console,
    /// which shows no warnings): the look-alike search is skipped.
    Check,
}

/// Reads every row of `sheet` against the store as it is now, keeping the first rows,
/// every matched row (up to [`MATCHES_SHOWN`]) and the problems.
#[allow(clippy::too_many_arguments)]
pub fn plan<T: ImportTarget>(
    target: &T,
    tx: &impl Tables,
    pass: Pass,
    batch: &ImportBatch,
    columns: &Columns,
    sheet: Sheet,
    show: impl Fn(&T::Row) -> Vec<String>,
    on_refused: &mut dyn FnMut(&SheetRow, &[RowProblem]),
) -> Result<Plan, Error> {
    let mut plan = Plan::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut look_alikes = super::kinds::LookAlikes::default();
    let mut matched_shown = 0usize;
    for row in sheet {
        let row: SheetRow = row.map_err(|e| Error::field("file", e.to_string()))?;
        plan.counts.rows += 1;
        let read = match target.read(&row, columns) {
            Ok(read) => read,
            Err(problems) => {
                on_refused(&row, &problems);
                refuse(&mut plan, row.line, problems);
                continue;
            }
        };
        let line = T::line(&read);
        let key = T::file_key(&read);
        let existing = target.find(tx, &read).map_err(Error::from)?;
        let earlier = seen.get(&key).copied();
        let matched = match (&existing, earlier) {
            (_, Some(row)) => Some(format!("row {row} of this file")),
            (Some(record), None) => Some(T::describe(record)),
            (None, None) => None,
        };
        if earlier.is_none() {
            seen.insert(key, line);
        }
        // A row that only looks like another is added unless chosen to be skipped.
        let action = match &matched {
            Some(_) => batch.action_for(line),
            None => batch.chosen_for(line).unwrap_or(DuplicateAction::Create),
        };
        let warning = match (&existing, &matched) {
            (Some(e), _) => T::warning(&read, e),
            (None, None) if pass == Pass::Preview => target
                .look_alike(tx, &read, &mut look_alikes)
                .map_err(Error::from)?,
            (None, _) => None,
        };
        let decided = match (&matched, action) {
            (None, DuplicateAction::Skip) => Decision::Skip,
            (None, _) => Decision::Create,
            (Some(_), _) => decide(matched.as_deref(), action),
        };
        let outcome = match decided {
            Decision::Create => RowOutcome::Create,
            Decision::Update { .. } => RowOutcome::Update,
            Decision::Skip => RowOutcome::Skip,
            Decision::Refuse(message) => {
                let problem = RowProblem {
                    line,
                    column: String::new(),
                    message,
                };
                plan.counts.duplicates += 1;
                let values = show(&read);
                on_refused(&row, std::slice::from_ref(&problem));
                refuse(&mut plan, line, vec![problem]);
                if let Some(shown) = plan.rows.iter_mut().rev().find(|r| r.line == line) {
                    shown.matches = matched;
                    shown.action = Some(action);
                    shown.values = values;
                }
                continue;
            }
        };
        match outcome {
            RowOutcome::Create => plan.counts.create += 1,
            RowOutcome::Update => plan.counts.update += 1,
            RowOutcome::Skip => plan.counts.skip += 1,
            RowOutcome::Refuse => plan.counts.refuse += 1,
        }
        let is_match = matched.is_some() || warning.is_some();
        if matched.is_some() {
            plan.counts.duplicates += 1;
        }
        let wanted = plan.rows.len() < ROWS_SHOWN || (is_match && matched_shown < MATCHES_SHOWN);
        if wanted {
            if is_match {
                matched_shown += 1;
            }
            plan.rows.push(RowPreview {
                line,
                outcome,
                action: is_match.then_some(action),
                matches: matched,
                values: show(&read),
                problems: Vec::new(),
                warning,
            });
        }
    }
    Ok(plan)
}

fn refuse(plan: &mut Plan, line: u32, problems: Vec<RowProblem>) {
    plan.counts.refuse += 1;
    plan.problems_total += u32::try_from(problems.len()).unwrap_or(u32::MAX);
    let room = PROBLEMS_SHOWN.saturating_sub(plan.problems.len());
    plan.problems.extend(problems.iter().take(room).cloned());
    if plan.rows.len() < ROWS_SHOWN + MATCHES_SHOWN {
        plan.rows.push(RowPreview {
            line,
            outcome: RowOutcome::Refuse,
            matches: None,
            action: None,
            values: Vec::new(),
            problems,
            warning: None,
        });
    }
}
