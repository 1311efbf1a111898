//! A bulk import of customers or products from a spreadsheet: the batch that records
//! what it did (so it can be undone as a whole), and the column mappings kept by name.
//!
//! Reading the file and deciding what each row becomes lives in `app::imports`; this
//! module only holds the records.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time::{micros, micros_opt};
use super::{ImportId, StoreId, UserId};

/// What a file brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Customers,
    Products,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Products => "products",
        }
    }

    /// One record of the kind, for sentences: "customer", "product".
    pub fn one(self) -> &'static str {
        match self {
            ImportKind::Customers => "customer",
            ImportKind::Products => "product",
        }
    }
}

/// Where a batch is in its life. A batch is drawn up (`DRAFT`) when the file is
/// uploaded, written in chunks (`COMMITTING`), and can later be taken back as a whole
/// (`UNDOING`, then `UNDONE`). A commit that fails part-way is rolled back and ends
/// `FAILED`, with nothing of it stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportState {
    Draft,
    Committing,
    Committed,
    Undoing,
    Undone,
    Failed,
}

impl ImportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportState::Draft => "DRAFT",
            ImportState::Committing => "COMMITTING",
            ImportState::Committed => "COMMITTED",
            ImportState::Undoing => "UNDOING",
            ImportState::Undone => "UNDONE",
            ImportState::Failed => "FAILED",
        }
    }

    /// Whether a job is writing the batch now.
    pub fn is_running(self) -> bool {
        matches!(self, ImportState::Committing | ImportState::Undoing)
    }
}

/// What to do with a row that matches a record already stored (or an earlier row of
/// the same file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateAction {
    /// Add it as a new record anyway (refused when the phone or tag number is taken).
    Create,
    /// Fill the stored record's empty fields from the row; nothing filled is overwritten.
    Update,
    /// Write the row's non-empty fields over the stored record's.
    Overwrite,
    /// Leave the stored record as it is and the row out.
    Skip,
}

impl DuplicateAction {
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateAction::Create => "create",
            DuplicateAction::Update => "update",
            DuplicateAction::Overwrite => "overwrite",
            DuplicateAction::Skip => "skip",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "create" => Some(DuplicateAction::Create),
            "update" | "fill" => Some(DuplicateAction::Update),
            "overwrite" => Some(DuplicateAction::Overwrite),
            "skip" => Some(DuplicateAction::Skip),
            _ => None,
        }
    }
}

/// One field of the record filled from one column of the file, by the column's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MappedColumn {
    /// The record's field: `name`, `phone`, `address.city`, `gross_weight`…
    pub field: String,
    /// The header of the file's column, as the file spells it.
    pub header: String,
}

/// How many rows a batch read, and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportCounts {
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    /// Rows left out because they have a problem.
    pub refused: u32,
}

/// An import: the file as uploaded, the mapping and choices, and (once written) the
/// change-log entries it made. The records it touched are its [`ImportItem`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBatch {
    pub id: ImportId,
    pub store_id: StoreId,
    pub kind: ImportKind,
    /// The file's name as uploaded (for the list), never used as a path.
    pub file_name: String,
    /// "CSV, Windows-1252, separated by ';'".
    pub format: String,
    pub headers: Vec<String>,
    pub mapping: Vec<MappedColumn>,
    pub on_duplicate: DuplicateAction,
    /// Rows (by line) whose duplicate is handled otherwise than `on_duplicate` says.
    pub row_actions: Vec<(u32, DuplicateAction)>,
    /// Where products whose row names no floor go.
    pub default_floor: Option<super::FloorId>,
    pub state: ImportState,
    pub counts: ImportCounts,
    /// The first and last change-log entries the commit made.
    pub changes: Option<(u64, u64)>,
    /// The first and last change-log entries the undo made.
    pub undo_changes: Option<(u64, u64)>,
    /// Why the commit or undo did not go through, when it did not.
    pub message: String,
    pub created_by: UserId,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub committed_at: Option<Timestamp>,
    pub undone_by: Option<UserId>,
    #[serde(with = "micros_opt")]
    pub undone_at: Option<Timestamp>,
}

impl ImportBatch {
    /// What `line` should do if it matches a stored record.
    pub fn action_for(&self, line: u32) -> DuplicateAction {
        self.chosen_for(line).unwrap_or(self.on_duplicate)
    }

    /// What was chosen for `line` itself, if anything (a row that only looks like a
    /// stored customer is added unless it was chosen to be skipped).
    pub fn chosen_for(&self, line: u32) -> Option<DuplicateAction> {
        self.row_actions
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, action)| *action)
    }
}

/// One record a committed batch created or changed: enough to take it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportItem {
    /// The file's row it came from.
    pub line: u32,
    /// The customer's or product's id.
    pub entity: u128,
    /// The record as it was before the import changed it, encoded as stored; `None`
    /// when the import created it.
    pub before: Option<Vec<u8>>,
    /// When the import wrote it: if the record changed after that, an undo would lose
    /// someone's work, so it refuses.
    #[serde(with = "micros")]
    pub written_at: Timestamp,
}

/// A mapping kept under a name ("Tally export", "Old billing program") for next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub name: String,
    pub kind: ImportKind,
    pub columns: Vec<MappedColumn>,
    pub saved_by: UserId,
    #[serde(with = "micros")]
    pub saved_at: Timestamp,
}
