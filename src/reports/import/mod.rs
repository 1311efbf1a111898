//! Reading customer and product lists that stores bring from other programs: CSV and
//! text files in whatever encoding and separator Excel or a billing program wrote, and
//! Excel workbooks (.xlsx, .xls).
//!
//! Two layers, both free of the store: `sheet` opens a file and yields its header and
//! rows as typed cells ([`SheetCell`]), streaming CSV so a million-row file is never
//! held in memory; `cells` reads one cell as a phone, date, amount, weight, purity and
//! so on, answering a [`CellProblem`] whose message names the value and says how to
//! write it. The import flow (mapping columns, preview, commit) is built on these.

mod cells;
mod csv_sheet;
mod dates;
mod excel_sheet;
mod headers;
mod purity;
mod sheet;

#[cfg(test)]
mod cells_props;
#[cfg(test)]
mod cells_tests;
#[cfg(test)]
mod sheet_tests;

pub use cells::{
    CellProblem, DateOrder, cell_text, excel_serial_to_date, infer_date_order, parse_amount,
    parse_count, parse_date, parse_metal, parse_phone, parse_purity, parse_weight, parse_yes_no,
};
pub use sheet::{Sheet, SheetCell, SheetError, SheetFormat, SheetRow, open_sheet};
