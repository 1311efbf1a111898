//! A table of typed columns, the shape every export shares: a list or a report is
//! described as [`Column`]s of a [`Kind`] and fed to a writer one row of [`Cell`]s at a time.
//!
//! The two writers are [`CsvTable`](super::csv_export::CsvTable) (one table per file)
//! and [`XlsxBook`](super::xlsx_export::XlsxBook) (a workbook of named tables, one
//! sheet each). Neither keeps rows: a row is written and forgotten, so an export of any
//! size runs in bounded memory. To export a report of several tables:
//!
//! ```text
//! let mut book = XlsxBook::new(tz)?;
//! book.begin(&Table::new("Sales register", vec![Column::new("Invoice", Kind::Text), …]))?;
//! book.row(&[Cell::text(number), Cell::Money(total)])?;
//! book.begin(&Table::new("HSN summary", …))?;   // the next sheet
//! book.finish(&mut file)?;
//! ```

use jiff::Timestamp;
use jiff::civil::Date;

use crate::domain::{BasisPoints, Milligrams, Paise};

/// What a column holds, which decides how each writer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A whole number: bills, pieces, visits.
    Count,
    /// Rupees, kept as paise.
    Money,
    /// Grams, kept as milligrams.
    Weight,
    /// A rate in basis points (300 = 3.00 %).
    Percent,
    /// A calendar day.
    Date,
    /// An instant, shown in the store's time zone to the minute.
    DateTime,
}

/// One column: its heading and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: String,
    pub kind: Kind,
}

impl Column {
    pub fn new(title: impl Into<String>, kind: Kind) -> Self {
        Self {
            title: title.into(),
            kind,
        }
    }
}

/// A named table: the sheet's name in a workbook, the file's subject in a CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Self {
        Self {
            name: name.into(),
            columns,
        }
    }
}

/// One value of a row. [`Cell::Blank`] fits any column; any other cell must match its
/// column's [`Kind`], or the writer refuses the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Blank,
    Text(String),
    Count(i64),
    Money(Paise),
    Weight(Milligrams),
    Percent(BasisPoints),
    Date(Date),
    DateTime(Timestamp),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell::Text(text.into())
    }

    /// The kind of column this cell belongs in; `None` for a blank, which fits any.
    pub fn kind(&self) -> Option<Kind> {
        Some(match self {
            Cell::Blank => return None,
            Cell::Text(_) => Kind::Text,
            Cell::Count(_) => Kind::Count,
            Cell::Money(_) => Kind::Money,
            Cell::Weight(_) => Kind::Weight,
            Cell::Percent(_) => Kind::Percent,
            Cell::Date(_) => Kind::Date,
            Cell::DateTime(_) => Kind::DateTime,
        })
    }
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the CSV file: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the Excel file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A row that does not fit its table: a mistake in the code describing it.
    #[error("a row does not fit table '{table}': {problem}")]
    Shape { table: String, problem: String },
}

/// Checks that a row has one cell per column and each cell fits its column.
pub(super) fn check_row(table: &Table, cells: &[Cell]) -> Result<(), ExportError> {
    let shape = |problem: String| ExportError::Shape {
        table: table.name.clone(),
        problem,
    };
    if cells.len() != table.columns.len() {
        return Err(shape(format!(
            "{} cells for {} columns",
            cells.len(),
            table.columns.len()
        )));
    }
    for (cell, column) in cells.iter().zip(&table.columns) {
        if cell.kind().is_some_and(|kind| kind != column.kind) {
            return Err(shape(format!(
                "column '{}' holds {:?} values, not {:?}",
                column.title,
                column.kind,
                cell.kind()
            )));
        }
    }
    Ok(())
}

/// `39222.40`: rupees with two decimals and no grouping, worked out in whole paise.
pub fn plain_rupees(amount: Paise) -> String {
    let paise = amount.get();
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `12.345`: grams with three decimals, worked out in whole milligrams.
pub fn plain_grams(weight: Milligrams) -> String {
    let mg = weight.get();
    let sign = if mg < 0 { "-" } else { "" };
    let abs = mg.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

/// `3.00`: a percentage with two decimals.
pub fn plain_percent(rate: BasisPoints) -> String {
    let bp = rate.get();
    format!("{}.{:02}", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_exactly_without_grouping() {
        assert_eq!(plain_rupees(Paise::new(3_922_240)), "39222.40");
        assert_eq!(plain_rupees(Paise::new(5)), "0.05");
        assert_eq!(plain_rupees(Paise::new(-1_205)), "-12.05");
        assert_eq!(plain_grams(Milligrams::new(12_345).unwrap()), "12.345");
        assert_eq!(plain_grams(Milligrams::new(7).unwrap()), "0.007");
        assert_eq!(plain_percent(BasisPoints::new(300).unwrap()), "3.00");
        assert_eq!(plain_percent(BasisPoints::new(1_250).unwrap()), "12.50");
    }

    #[test]
    fn a_row_must_fit_its_table() {
        let table = Table::new(
            "t",
            vec![Column::new("a", Kind::Text), Column::new("b", Kind::Money)],
        );
        assert!(check_row(&table, &[Cell::text("x"), Cell::Money(Paise::new(1))]).is_ok());
        assert!(check_row(&table, &[Cell::Blank, Cell::Blank]).is_ok());
        assert!(check_row(&table, &[Cell::text("x")]).is_err());
        assert!(check_row(&table, &[Cell::Count(1), Cell::Money(Paise::new(1))]).is_err());
    }
}
