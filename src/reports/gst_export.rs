//! The GST summary as the accountant files from it: an Excel workbook of five sheets
//! ("B2C (others)", "HSN summary", "Sales register", "Credit notes", "Totals") and CSV
//! files of the register, the B2C summary or the HSN summary, all written through the
//! shared table writer (`table`, `xlsx_export`, `csv_export`): amounts as ₹ numbers,
//! weights as grams, days as dates. Credit notes are negative, as they reduce the month.

use std::io::Cursor;

use jiff::tz::TimeZone;

use super::csv_export::CsvTable;
use super::table::{Cell, Column, ExportError, Kind, Table};
use super::xlsx_export::XlsxBook;
use crate::app::{GstSummary, HsnRow, InvoiceRow, JEWELLERY_RATE, PlaceRow, ReturnRow, TaxSums};
use crate::domain::gst_states::{StateCode, state_name};
use crate::domain::{Milligrams, Paise};

/// Which table a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GstCsv {
    /// Invoices, then credit notes.
    Register,
    B2c,
    Hsn,
}

impl GstCsv {
    /// `register`, `b2c` or `hsn`, as the query names them.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "register" => Some(Self::Register),
            "b2c" => Some(Self::B2c),
            "hsn" => Some(Self::Hsn),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::B2c => "b2c",
            Self::Hsn => "hsn",
        }
    }
}

fn columns(spec: &[(&str, Kind)]) -> Vec<Column> {
    spec.iter().map(|(t, k)| Column::new(*t, *k)).collect()
}

/// `19-West Bengal`, the way GSTR-1 writes a place of supply.
pub fn place_label(place: Option<StateCode>) -> String {
    place.map_or_else(
        || "Not known".to_owned(),
        |p| {
            let code = p.code();
            state_name(&code).map_or_else(|| code.clone(), |name| format!("{code}-{name}"))
        },
    )
}

fn negative(amount: Paise) -> Paise {
    Paise::new(amount.get().saturating_neg())
}

fn tax_cells(tax: TaxSums, sign: fn(Paise) -> Paise) -> [Cell; 5] {
    [
        Cell::Money(sign(tax.taxable)),
        Cell::Money(sign(tax.cgst)),
        Cell::Money(sign(tax.sgst)),
        Cell::Money(sign(tax.igst)),
        Cell::Money(sign(tax.total())),
    ]
}

const TAX_COLUMNS: [(&str, Kind); 5] = [
    ("Taxable value", Kind::Money),
    ("CGST", Kind::Money),
    ("SGST", Kind::Money),
    ("IGST", Kind::Money),
    ("Total", Kind::Money),
];

fn register_table(name: &str) -> Table {
    let mut spec = vec![
        ("Document", Kind::Text),
        ("Invoice no.", Kind::Text),
        ("Invoice date", Kind::Date),
        ("Return date", Kind::Date),
        ("Customer", Kind::Text),
        ("Supply type", Kind::Text),
        ("Place of supply", Kind::Text),
    ];
    spec.extend(TAX_COLUMNS);
    spec.extend([
        ("Round-off", Kind::Money),
        ("Amount", Kind::Money),
        ("Status", Kind::Text),
    ]);
    Table::new(name, columns(&spec))
}

fn invoice_cells(row: &InvoiceRow) -> Vec<Cell> {
    let mut cells = vec![
        Cell::text("Invoice"),
        Cell::text(&row.invoice_no),
        Cell::Date(row.date),
        Cell::Blank,
        Cell::text(&row.customer),
        Cell::text("B2C"),
        Cell::text(place_label(row.place_of_supply)),
    ];
    cells.extend(tax_cells(row.tax, |p| p));
    cells.extend([
        Cell::Money(row.round_off),
        Cell::Money(row.payable),
        Cell::text(row.status.to_string()),
    ]);
    cells
}

fn credit_cells(row: &ReturnRow) -> Vec<Cell> {
    let mut cells = vec![
        Cell::text("Credit note"),
        Cell::text(&row.invoice_no),
        Cell::Date(row.invoiced_on),
        Cell::Date(row.date),
        Cell::text(&row.customer),
        Cell::text("B2C"),
        Cell::text(place_label(row.place_of_supply)),
    ];
    cells.extend(tax_cells(row.tax, negative));
    cells.extend([
        Cell::Money(negative(row.round_off())),
        Cell::Money(negative(row.amount)),
        Cell::text("Returned"),
    ]);
    cells
}

fn b2c_table() -> Table {
    let mut spec = vec![
        ("Type", Kind::Text),
        ("Place of supply", Kind::Text),
        ("Supply", Kind::Text),
        ("Rate", Kind::Percent),
    ];
    spec.extend(TAX_COLUMNS);
    Table::new("B2C (others)", columns(&spec))
}

fn b2c_cells(row: &PlaceRow) -> Vec<Cell> {
    let supply = if row.inter_state {
        "Inter-state"
    } else {
        "Intra-state"
    };
    let mut cells = vec![
        // GSTR-1's type for supplies not made through an e-commerce operator.
        Cell::text("OE"),
        Cell::text(place_label(row.place)),
        Cell::text(supply),
        Cell::Percent(JEWELLERY_RATE),
    ];
    cells.extend(tax_cells(row.net(), |p| p));
    cells
}

fn hsn_table() -> Table {
    let mut spec = vec![
        ("HSN", Kind::Text),
        ("Description", Kind::Text),
        ("UQC", Kind::Text),
        ("Total quantity", Kind::Weight),
        ("Rate", Kind::Percent),
    ];
    spec.extend(TAX_COLUMNS);
    Table::new("HSN summary", columns(&spec))
}

fn hsn_cells(row: &HsnRow) -> Vec<Cell> {
    let mut cells = vec![
        Cell::text(row.hsn),
        Cell::text(row.description),
        Cell::text(HsnRow::UQC),
        Cell::Weight(row.net_weight),
        Cell::Percent(JEWELLERY_RATE),
    ];
    cells.extend(tax_cells(row.tax, |p| p));
    cells
}

fn totals_table() -> Table {
    let mut spec = vec![("Table", Kind::Text), ("Rows", Kind::Count)];
    spec.extend(TAX_COLUMNS);
    Table::new("Totals", columns(&spec))
}

fn overflow() -> ExportError {
    ExportError::Shape {
        table: "Totals".into(),
        problem: "the GST summary's totals overflowed".into(),
    }
}

/// The rows of the totals sheet: the register, the B2C and the HSN totals, which agree.
fn totals_rows(summary: &GstSummary) -> Result<Vec<Vec<Cell>>, ExportError> {
    let count = |n: usize| Cell::Count(i64::try_from(n).unwrap_or(i64::MAX));
    let line = |name: &str, rows: usize, tax: TaxSums| {
        let mut cells = vec![Cell::text(name), count(rows)];
        cells.extend(tax_cells(tax, |p| p));
        cells
    };
    let invoices = TaxSums::sum(summary.invoices.iter().map(|r| r.tax)).ok_or_else(overflow)?;
    let returns = TaxSums::sum(summary.returns.iter().map(|r| r.tax)).ok_or_else(overflow)?;
    let mut credit = vec![Cell::text("Credit notes"), count(summary.returns.len())];
    credit.extend(tax_cells(returns, negative));
    Ok(vec![
        line("Invoices", summary.invoices.len(), invoices),
        credit,
        line(
            "Sales register (invoices less credit notes)",
            summary.invoices.len() + summary.returns.len(),
            summary.register_total().ok_or_else(overflow)?,
        ),
        line(
            "B2C (others)",
            summary.b2c.len(),
            summary.b2c_total().ok_or_else(overflow)?,
        ),
        line(
            "HSN summary",
            summary.hsn.len(),
            summary.hsn_total().ok_or_else(overflow)?,
        ),
    ])
}

/// The whole summary as an Excel workbook.
pub fn gst_workbook(summary: &GstSummary, zone: TimeZone) -> Result<Vec<u8>, ExportError> {
    let mut book = XlsxBook::new(zone);
    book.begin(&b2c_table())?;
    for row in &summary.b2c {
        book.row(&b2c_cells(row))?;
    }
    book.begin(&hsn_table())?;
    for row in &summary.hsn {
        book.row(&hsn_cells(row))?;
    }
    book.begin(&register_table("Sales register"))?;
    for row in &summary.invoices {
        book.row(&invoice_cells(row))?;
    }
    book.begin(&register_table("Credit notes"))?;
    for row in &summary.returns {
        book.row(&credit_cells(row))?;
    }
    book.begin(&totals_table())?;
    for cells in totals_rows(summary)? {
        book.row(&cells)?;
    }
    let mut out = Cursor::new(Vec::new());
    book.finish(&mut out)?;
    Ok(out.into_inner())
}

/// One of the summary's tables as a CSV file.
pub fn gst_csv(
    summary: &GstSummary,
    which: GstCsv,
    zone: TimeZone,
) -> Result<Vec<u8>, ExportError> {
    let out = Vec::new();
    let out = match which {
        GstCsv::Register => {
            let mut csv = CsvTable::begin(out, register_table("Sales register"), zone)?;
            for row in &summary.invoices {
                csv.row(&invoice_cells(row))?;
            }
            for row in &summary.returns {
                csv.row(&credit_cells(row))?;
            }
            csv.finish()?
        }
        GstCsv::B2c => {
            let mut csv = CsvTable::begin(out, b2c_table(), zone)?;
            for row in &summary.b2c {
                csv.row(&b2c_cells(row))?;
            }
            csv.finish()?
        }
        GstCsv::Hsn => {
            let mut csv = CsvTable::begin(out, hsn_table(), zone)?;
            for row in &summary.hsn {
                csv.row(&hsn_cells(row))?;
            }
            csv.finish()?
        }
    };
    Ok(out)
}

/// A weight as grams for a summary line (`12.345 g`), negative ones included.
pub fn grams(weight: Milligrams) -> String {
    let mg = weight.get();
    let sign = if mg < 0 { "-" } else { "" };
    let abs = mg.unsigned_abs();
    format!("{sign}{}.{:03} g", abs / 1000, abs % 1000)
}
