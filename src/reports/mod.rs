//! Printable documents and exports made on the box: the GST invoice as PDF, and lists
//! and reports as CSV and Excel files.
//!
//! `table` describes an export as typed columns fed a row at a time; `csv_export` and
//! `xlsx_export` write such tables (a workbook holds several) in bounded memory.
//!
//! `pdf` is a small layout layer (A4 pages, measured text, rules) over pdf-writer, and
//! `font` the Noto Sans faces it sets text in (OFL, `fonts/OFL.txt`), embedded as
//! subsets. Documents take what an `app` use case gathered and do no I/O themselves.
//! `charts` draws report figures as SVG in maud markup.

pub mod charts;
pub mod csv_export;
mod font;
mod invoice_payments;
mod invoice_pdf;
mod invoice_table;
mod pdf;
pub mod table;
pub mod xlsx_export;

pub use csv_export::CsvTable;
pub use invoice_pdf::invoice_pdf;
pub use table::{Cell, Column, ExportError, Kind, Table};
pub use xlsx_export::XlsxBook;
