//! Printable documents made on the box: the GST invoice as PDF now, reports later.
//!
//! `pdf` is a small layout layer (A4 pages, measured text, rules) over pdf-writer, and
//! `font` the Noto Sans faces it sets text in (OFL, `fonts/OFL.txt`), embedded as
//! subsets. Documents take what an `app` use case gathered and do no I/O themselves.
//! `charts` draws report figures as SVG in maud markup.

pub mod charts;
mod font;
mod invoice_payments;
mod invoice_pdf;
mod invoice_table;
mod pdf;

pub use invoice_pdf::invoice_pdf;
