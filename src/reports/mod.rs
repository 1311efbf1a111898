//! Printable documents and exports made on the box: the GST invoice as PDF, and lists
//! and reports as CSV and Excel files.
//!
//! `gst_export` and `gst_pdf` give the accountant the month's GST summary as a
//! workbook, CSV files and a PDF.
//!
//! `table` describes an export as typed columns fed a row at a time; `csv_export` and
//! `xlsx_export` write such tables (a workbook holds several) in bounded memory.
//!
//! `pdf` is a small layout layer (A4 pages, measured text, rules) over pdf-writer, and
//! `font` the Noto Sans faces it sets text in (OFL, `fonts/OFL.txt`), embedded as
//! subsets. Documents take what an `app` use case gathered and do no I/O themselves.
//! `charts` draws report figures as SVG in maud markup.
//!
//! `import` goes the other way: it reads the CSV and Excel files stores bring from
//! other programs into typed rows, and their cells into phones, dates, amounts and
//! weights, each refusal a message the user can act on.

pub mod amounts;
pub mod charts;
pub mod csv_export;
pub mod customer_product_exports;
mod font;
pub mod gst_export;
mod gst_pdf;
pub mod import;
mod invoice_payments;
mod invoice_pdf;
mod invoice_table;
mod list_exports;
mod opening_lines;
mod opening_pdf;
pub mod opening_xlsx;
mod pdf;
mod pdf_image;
pub mod table;
pub mod xlsx_export;

pub use csv_export::CsvTable;
pub use gst_export::{GstCsv, gst_csv, gst_workbook};
pub use gst_pdf::gst_pdf;
pub use invoice_pdf::invoice_pdf;
pub use list_exports::{ExportFormat, export_file_name, list_name, table_of, write_list_export};
pub use opening_lines::{LineKind, SummaryLine};
pub use opening_pdf::opening_pdf;
pub use table::{Cell, Column, ExportError, Kind, Table};
pub use xlsx_export::XlsxBook;
