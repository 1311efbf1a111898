//! A mapping checked against a file's headers: which cell of a row fills which field,
//! and the problems of one row, named by line and column.

use serde::Serialize;
use utoipa::ToSchema;

use super::fields::{fields_of, spec};
use crate::app::Error;
use crate::domain::{FieldErrors, ImportKind, MappedColumn};
use crate::reports::import::{CellProblem, SheetCell, SheetRow};

/// One thing wrong with a row, said so the person can find the cell and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowProblem {
    /// The row as the spreadsheet numbers it.
    pub line: u32,
    /// The file's column header ("Mobile"), or empty for a row-wide problem.
    pub column: String,
    pub message: String,
}

/// The mapping of one file: for each field, the index of the column that fills it.
#[derive(Debug, Clone)]
pub struct Columns {
    kind: ImportKind,
    /// `(field key, column index, header)`.
    mapped: Vec<(&'static str, usize, String)>,
    width: usize,
}

impl Columns {
    /// Checks `mapping` against the file's `headers`: each field known and mapped once,
    /// each header present, and every required field mapped.
    pub fn new(
        kind: ImportKind,
        headers: &[String],
        mapping: &[MappedColumn],
    ) -> Result<Self, Error> {
        let mut errors = FieldErrors::new();
        let mut mapped: Vec<(&'static str, usize, String)> = Vec::new();
        for column in mapping {
            let Some(field) = spec(kind, &column.field) else {
                let known: Vec<&str> = fields_of(kind).iter().map(|f| f.key).collect();
                errors.add(
                    "mapping",
                    format!(
                        "'{}' is not a field of {}; use one of {}",
                        column.field,
                        kind.as_str(),
                        known.join(", ")
                    ),
                );
                continue;
            };
            let Some(index) = headers.iter().position(|h| h == &column.header) else {
                errors.add(
                    "mapping",
                    format!(
                        "the file has no column '{}' (for {}); its columns are: {}",
                        column.header,
                        field.label,
                        headers.join(", ")
                    ),
                );
                continue;
            };
            if mapped.iter().any(|(key, _, _)| *key == field.key) {
                errors.add(
                    "mapping",
                    format!("{} is mapped twice; choose one column for it", field.label),
                );
                continue;
            }
            mapped.push((field.key, index, column.header.clone()));
        }
        let missing: Vec<&str> = fields_of(kind)
            .iter()
            .filter(|f| f.required && !mapped.iter().any(|(key, _, _)| *key == f.key))
            .map(|f| f.label)
            .collect();
        if !missing.is_empty() {
            errors.add(
                "mapping",
                format!(
                    "choose the column that holds {}: every {} needs it",
                    missing.join(" and "),
                    kind.one()
                ),
            );
        }
        errors.into_result()?;
        Ok(Self {
            kind,
            mapped,
            width: headers.len(),
        })
    }

    pub fn kind(&self) -> ImportKind {
        self.kind
    }

    pub fn is_mapped(&self, field: &str) -> bool {
        self.mapped.iter().any(|(key, _, _)| *key == field)
    }

    /// The header of the column that fills `field`.
    pub fn header(&self, field: &str) -> &str {
        self.mapped
            .iter()
            .find(|(key, _, _)| *key == field)
            .map_or("", |(_, _, header)| header.as_str())
    }

    /// The cell of `row` that fills `field` (empty when no column does).
    pub fn cell<'r>(&self, row: &'r SheetRow, field: &str) -> &'r SheetCell {
        static EMPTY: SheetCell = SheetCell::Empty;
        self.mapped
            .iter()
            .find(|(key, _, _)| *key == field)
            .and_then(|(_, index, _)| row.cells.get(*index))
            .unwrap_or(&EMPTY)
    }

    /// The column index that fills `field`.
    pub fn index(&self, field: &str) -> Option<usize> {
        self.mapped
            .iter()
            .find(|(key, _, _)| *key == field)
            .map(|(_, index, _)| *index)
    }

    /// The mapped cells that hold an Excel error value (`#N/A`, `#REF!`…): a formula that
    /// found nothing, which must not be stored as if it were a locality or a name.
    pub fn excel_errors(&self, row: &SheetRow) -> Vec<RowProblem> {
        const ERRORS: &[&str] = &[
            "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
        ];
        self.mapped
            .iter()
            .filter_map(|(_, index, header)| match row.cells.get(*index) {
                Some(SheetCell::Text(text)) if ERRORS.contains(&text.trim()) => Some(RowProblem {
                    line: row.line,
                    column: header.clone(),
                    message: format!(
                        "is {}, an Excel error: the formula behind it found nothing; clear the cell or fix the formula",
                        text.trim()
                    ),
                }),
                _ => None,
            })
            .collect()
    }

    /// A row with more values than the header has columns has lost its alignment (an
    /// unquoted comma): nothing in it can be trusted.
    pub fn check_width(&self, row: &SheetRow) -> Result<(), RowProblem> {
        let extra = row
            .cells
            .iter()
            .skip(self.width)
            .any(|c| *c != SheetCell::Empty);
        if extra {
            return Err(RowProblem {
                line: row.line,
                column: String::new(),
                message: format!(
                    "has {} values but the header has {} columns; a value with a comma in it needs quotes",
                    row.cells.iter().filter(|c| **c != SheetCell::Empty).count(),
                    self.width
                ),
            });
        }
        Ok(())
    }
}

/// The problems found in one row, each under its column.
#[derive(Debug, Default)]
pub struct Problems {
    line: u32,
    found: Vec<RowProblem>,
}

impl Problems {
    pub fn new(line: u32) -> Self {
        Self {
            line,
            found: Vec::new(),
        }
    }

    pub fn add(&mut self, column: &str, message: impl Into<String>) {
        self.found.push(RowProblem {
            line: self.line,
            column: column.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps a cell parser's value, or its problem under the field's column.
    pub fn cell<T>(
        &mut self,
        columns: &Columns,
        field: &str,
        read: Result<Option<T>, CellProblem>,
    ) -> Option<T> {
        match read {
            Ok(value) => value,
            Err(problem) => {
                self.add(columns.header(field), problem.message());
                None
            }
        }
    }

    /// Files the form checks' field errors under the columns that filled those fields.
    pub fn fields(&mut self, columns: &Columns, errors: &FieldErrors) {
        for (field, message) in errors.iter() {
            let header = columns.header(field);
            let column = if header.is_empty() {
                field.as_str()
            } else {
                header
            };
            self.add(column, message.clone());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    pub fn into_vec(self) -> Vec<RowProblem> {
        self.found
    }
}
