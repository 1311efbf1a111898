//! The exports of the customer and product analytics: a segment's call list, and the
//! stock by days on the shelf with the pieces not sold in 180 days, as typed tables for
//! the shared CSV and Excel writers.

use jiff::tz::TimeZone;

use super::table::{Cell, Column, ExportError, Kind, Table};
use super::{CsvTable, XlsxBook};
use crate::app::customer_analytics::CallRow;
use crate::app::product_analytics::{AGE_BUCKETS, ProductAnalytics, UnsoldPiece};

/// The columns of a segment's call list.
pub fn call_list_table(segment: &str) -> Table {
    Table::new(
        segment,
        vec![
            Column::new("Customer", Kind::Text),
            Column::new("Name", Kind::Text),
            Column::new("Phone", Kind::Text),
            Column::new("WhatsApp", Kind::Text),
            Column::new("Last purchase", Kind::DateTime),
            Column::new("Days since", Kind::Count),
            Column::new("Bills", Kind::Count),
            Column::new("Lifetime value", Kind::Money),
        ],
    )
}

/// `https://wa.me/919831000101`: a chat with the customer's number (no `+`).
pub fn whatsapp_link(row: &CallRow) -> String {
    format!("https://wa.me/{}", row.phone.e164().trim_start_matches('+'))
}

pub fn call_list_row(row: &CallRow) -> Vec<Cell> {
    vec![
        Cell::text(&row.code),
        Cell::text(&row.name),
        Cell::Text(row.phone.national_spaced()),
        Cell::text(whatsapp_link(row)),
        row.last_purchase.map_or(Cell::Blank, Cell::DateTime),
        row.days_since
            .map_or(Cell::Blank, |d| Cell::Count(i64::from(d))),
        Cell::Count(i64::try_from(row.purchases).unwrap_or(i64::MAX)),
        Cell::Money(row.lifetime_value),
    ]
}

/// `0–30 days`, `over 365 days`.
pub fn age_label(bucket: usize) -> String {
    match AGE_BUCKETS.get(bucket) {
        Some((first, Some(last))) => format!("{first}–{last} days"),
        Some((first, None)) => format!("over {} days", first - 1),
        None => String::new(),
    }
}

fn ageing_table() -> Table {
    Table::new(
        "Stock by days on the shelf",
        vec![
            Column::new("Days on the shelf", Kind::Text),
            Column::new("Pieces", Kind::Count),
            Column::new("Net weight", Kind::Weight),
            Column::new("Gross weight", Kind::Weight),
            Column::new("Value at today's rate", Kind::Money),
            Column::new("Pieces without a rate", Kind::Count),
        ],
    )
}

fn unsold_table() -> Table {
    Table::new(
        "Not sold in 180 days",
        vec![
            Column::new("Tag", Kind::Text),
            Column::new("Name", Kind::Text),
            Column::new("Purity", Kind::Text),
            Column::new("In stock", Kind::Count),
            Column::new("Net weight", Kind::Weight),
            Column::new("Added", Kind::DateTime),
            Column::new("Days on the shelf", Kind::Count),
            Column::new("Value at today's rate", Kind::Money),
        ],
    )
}

fn unsold_row(piece: &UnsoldPiece) -> Vec<Cell> {
    vec![
        Cell::text(&piece.sku),
        Cell::text(&piece.name),
        Cell::text(piece.purity.label()),
        Cell::Count(piece.in_stock),
        Cell::Weight(piece.net),
        Cell::DateTime(piece.added),
        Cell::Count(i64::from(piece.days_on_shelf)),
        piece.value.map_or(Cell::Blank, Cell::Money),
    ]
}

fn ageing_rows(report: &ProductAnalytics) -> impl Iterator<Item = Vec<Cell>> + '_ {
    report.ageing.iter().enumerate().map(|(i, sums)| {
        vec![
            Cell::text(age_label(i)),
            Cell::Count(sums.pieces),
            Cell::Weight(sums.net),
            Cell::Weight(sums.gross),
            Cell::Money(sums.value),
            Cell::Count(sums.unpriced),
        ]
    })
}

/// The products report as a workbook: the ageing sheet, then the unsold pieces.
pub fn products_xlsx(report: &ProductAnalytics, zone: TimeZone) -> Result<Vec<u8>, ExportError> {
    let mut book = XlsxBook::new(zone);
    book.begin(&ageing_table())?;
    for row in ageing_rows(report) {
        book.row(&row)?;
    }
    book.begin(&unsold_table())?;
    for piece in &report.unsold {
        book.row(&unsold_row(piece))?;
    }
    let mut out = std::io::Cursor::new(Vec::new());
    book.finish(&mut out)?;
    Ok(out.into_inner())
}

/// The products report as one CSV table: a row per shelf age (`Section` "Ageing"),
/// then a row per unsold piece (`Section` "Not sold in 180 days"); each section fills
/// its own columns and leaves the other's blank.
pub fn products_csv(report: &ProductAnalytics, zone: TimeZone) -> Result<Vec<u8>, ExportError> {
    let ageing = ageing_table();
    let unsold = unsold_table();
    let mut columns = vec![Column::new("Section", Kind::Text)];
    columns.extend(ageing.columns.iter().cloned());
    columns.extend(unsold.columns.iter().cloned());
    let (a, u) = (ageing.columns.len(), unsold.columns.len());
    let mut csv = CsvTable::begin(Vec::new(), Table::new("Products", columns), zone)?;
    for row in ageing_rows(report) {
        let mut cells = vec![Cell::text("Ageing")];
        cells.extend(row);
        cells.extend(std::iter::repeat_n(Cell::Blank, u));
        csv.row(&cells)?;
    }
    for piece in &report.unsold {
        let mut cells = vec![Cell::text("Not sold in 180 days")];
        cells.extend(std::iter::repeat_n(Cell::Blank, a));
        cells.extend(unsold_row(piece));
        csv.row(&cells)?;
    }
    csv.finish()
}
