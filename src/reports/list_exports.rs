//! The lists (customers, products, sales, follow-ups) as export tables, and the one
//! function that writes any of them as CSV or Excel: [`write_list_export`].
//!
//! Rows come a page at a time from the `app` export use cases, which decide what the
//! person may see exactly as the list does; each page is written and dropped, so the
//! memory an export takes does not grow with the list.

use std::io::{Seek, SeekFrom, Write};

use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

use super::table::{Cell, Column, ExportError, Kind, Table};
use super::{CsvTable, XlsxBook};
use crate::app::{
    Actor, Crm, CustomerExportRow, Error, FollowUpExportRow, ListExport, ProductExportRow, SaleRow,
};
use crate::domain::{Milligrams, Paise};

/// The two file types every list exports as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// UTF-8 CSV with a header row.
    #[default]
    Csv,
    /// An Excel workbook (`.xlsx`) with typed cells.
    Xlsx,
}

impl ExportFormat {
    pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
    pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => Self::CSV_TYPE,
            ExportFormat::Xlsx => Self::XLSX_TYPE,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" | "excel" => Ok(ExportFormat::Xlsx),
            other => Err(format!(
                "'{other}' is not an export format; use csv or xlsx"
            )),
        }
    }
}

/// The list's name in file names and sheet titles.
pub fn list_name(list: &ListExport) -> &'static str {
    match list {
        ListExport::Customers(_) => "customers",
        ListExport::Products(_) => "products",
        ListExport::Sales(_) => "sales",
        ListExport::FollowUps(_) => "follow-ups",
    }
}

/// `sarkar-jewellers-sales-2026-12-07.xlsx`: the store, the list and the day, in
/// letters any file system and `Content-Disposition` header take.
pub fn export_file_name(store: &str, list: &ListExport, day: Date, format: ExportFormat) -> String {
    let mut slug = String::new();
    for c in store.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let store = if slug.is_empty() { "store" } else { slug };
    format!("{store}-{}-{day}.{}", list_name(list), format.extension())
}

/// Writes every row of `list` that `actor` may see to `out` as `format`, and says how
/// many rows there were. An Excel file is put together in an unnamed temporary file
/// (deleted when closed) and then copied to `out`, since a workbook is a zip whose
/// directory is written last.
pub fn write_list_export<W: Write>(
    crm: &Crm,
    actor: &Actor,
    list: &ListExport,
    format: ExportFormat,
    mut out: W,
) -> Result<u64, Error> {
    let zone = crm.config().time_zone();
    let table = table_of(list);
    match format {
        ExportFormat::Csv => {
            let mut csv = CsvTable::begin(out, table, zone).map_err(failed)?;
            let rows = feed(crm, actor, list, &mut |cells| csv.row(cells))?;
            let mut out = csv.finish().map_err(failed)?;
            out.flush().map_err(|e| failed(e.into()))?;
            Ok(rows)
        }
        ExportFormat::Xlsx => {
            let mut book = XlsxBook::new(zone);
            book.begin(&table).map_err(failed)?;
            let rows = feed(crm, actor, list, &mut |cells| book.row(cells))?;
            let mut file = tempfile::tempfile().map_err(|e| failed(e.into()))?;
            book.finish(&mut file).map_err(failed)?;
            file.seek(SeekFrom::Start(0))
                .and_then(|_| std::io::copy(&mut file, &mut out))
                .and_then(|_| out.flush())
                .map_err(|e| failed(e.into()))?;
            Ok(rows)
        }
    }
}

fn failed(err: ExportError) -> Error {
    Error::internal("writing an export", err)
}

type RowSink<'a> = dyn FnMut(&[Cell]) -> Result<(), ExportError> + 'a;

/// Reads the list page by page and hands each row's cells to `sink`.
fn feed(crm: &Crm, actor: &Actor, list: &ListExport, sink: &mut RowSink) -> Result<u64, Error> {
    let mut put = |cells: Vec<Cell>| sink(&cells).map_err(failed);
    match list {
        ListExport::Customers(query) => crm.export_customers(actor, query, &mut |rows| {
            rows.into_iter().try_for_each(|r| put(customer_cells(r)))
        }),
        ListExport::Products(query) => crm.export_products(actor, query, &mut |rows| {
            rows.into_iter().try_for_each(|r| put(product_cells(r)))
        }),
        ListExport::Sales(filter) => crm.export_sales(actor, filter, &mut |rows| {
            rows.into_iter().try_for_each(|r| put(sale_cells(r)))
        }),
        ListExport::FollowUps(query) => crm.export_follow_ups(actor, query, &mut |rows| {
            rows.into_iter().try_for_each(|r| put(follow_up_cells(r)))
        }),
    }
}

fn columns(spec: &[(&str, Kind)]) -> Vec<Column> {
    spec.iter()
        .map(|(title, kind)| Column::new(*title, *kind))
        .collect()
}

/// The columns of `list`'s export.
pub fn table_of(list: &ListExport) -> Table {
    use Kind::{Count, Date, DateTime, Money, Text, Weight};
    let spec: &[(&str, Kind)] = match list {
        // The importable columns carry the import's field labels, so an exported file
        // edited in Excel maps itself when it is imported back.
        ListExport::Customers(_) => &[
            ("Code", Text),
            ("Name", Text),
            ("Phone", Text),
            ("Email", Text),
            ("Status", Text),
            ("Home floor", Text),
            ("Tags", Text),
            ("Date of birth", Date),
            ("Anniversary", Date),
            ("Gender", Text),
            ("Address line 1", Text),
            ("Address line 2", Text),
            ("Locality", Text),
            ("City", Text),
            ("State", Text),
            ("PIN code", Text),
            ("PAN", Text),
            ("Notes", Text),
            ("Lifetime value", Money),
            ("Purchases", Count),
            ("Last purchase", DateTime),
            ("Added", DateTime),
        ],
        ListExport::Products(_) => &[
            ("Tag number", Text),
            ("Name", Text),
            ("Description", Text),
            ("Category", Text),
            ("Floor", Text),
            ("Metal", Text),
            ("Purity", Text),
            ("Gross weight", Weight),
            ("Stone weight", Weight),
            ("Net weight", Weight),
            ("Making charge", Text),
            ("Stone value", Money),
            ("Fixed price", Money),
            ("HUID", Text),
            ("In stock", Count),
            ("Active", Text),
            ("Added", DateTime),
        ],
        ListExport::Sales(_) => &[
            ("Invoice", Text),
            ("Status", Text),
            ("Dated", DateTime),
            ("Customer code", Text),
            ("Customer", Text),
            ("Floor", Text),
            ("Pieces", Count),
            ("Gross weight", Weight),
            ("Net weight", Weight),
            ("Taxable value", Money),
            ("CGST", Money),
            ("SGST", Money),
            ("IGST", Money),
            ("Total", Money),
            ("Round-off", Money),
            ("Payable", Money),
            ("Paid by", Text),
        ],
        ListExport::FollowUps(_) => &[
            ("Due", DateTime),
            ("Status", Text),
            ("Kind", Text),
            ("Customer code", Text),
            ("Customer", Text),
            ("Phone", Text),
            ("Owner", Text),
            ("Floor", Text),
            ("Notes", Text),
            ("Outcome", Text),
            ("Completed", DateTime),
        ],
    };
    let name = match list {
        ListExport::Customers(_) => "Customers",
        ListExport::Products(_) => "Products",
        ListExport::Sales(_) => "Sales",
        ListExport::FollowUps(_) => "Follow-ups",
    };
    Table::new(name, columns(spec))
}

fn text_or_blank(text: Option<String>) -> Cell {
    text.filter(|t| !t.is_empty())
        .map_or(Cell::Blank, Cell::Text)
}

fn customer_cells(row: CustomerExportRow) -> Vec<Cell> {
    let CustomerExportRow {
        customer: c,
        value,
        home_floor,
    } = row;
    let tags = c
        .tags
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        Cell::Text(c.code()),
        Cell::Text(c.name.to_string()),
        Cell::Text(c.phone.national_spaced()),
        text_or_blank(c.email.map(|e| e.to_string())),
        Cell::text(c.status.as_str()),
        text_or_blank(Some(home_floor)),
        text_or_blank(Some(tags)),
        c.date_of_birth.map_or(Cell::Blank, Cell::Date),
        c.anniversary.map_or(Cell::Blank, Cell::Date),
        text_or_blank(c.gender.map(|g| g.as_str().to_owned())),
        text_or_blank(Some(c.address.line1.to_string())),
        text_or_blank(Some(c.address.line2.to_string())),
        text_or_blank(Some(c.address.locality.to_string())),
        text_or_blank(Some(c.address.city.to_string())),
        text_or_blank(Some(c.address.state.to_string())),
        text_or_blank(c.address.pincode.map(|p| p.to_string())),
        text_or_blank(c.pan.map(|p| p.to_string())),
        text_or_blank(Some(c.notes.to_string())),
        Cell::Money(value.lifetime_value),
        Cell::Count(i64::try_from(value.purchases).unwrap_or(i64::MAX)),
        value.last_purchase.map_or(Cell::Blank, Cell::DateTime),
        Cell::DateTime(c.created_at),
    ]
}

fn product_cells(row: ProductExportRow) -> Vec<Cell> {
    let ProductExportRow {
        product: p,
        floor,
        category,
    } = row;
    vec![
        Cell::Text(p.sku.to_string()),
        Cell::Text(p.name.to_string()),
        text_or_blank(Some(p.description.to_string())),
        text_or_blank(Some(category)),
        Cell::Text(floor),
        Cell::text(p.metal.as_str()),
        Cell::Text(p.purity.to_string()),
        Cell::Weight(p.gross_weight),
        Cell::Weight(p.stone_weight),
        Cell::Weight(p.net_weight()),
        Cell::Text(crate::app::imports::write_making(p.making_charge)),
        Cell::Money(p.stone_value),
        p.fixed_price.map_or(Cell::Blank, Cell::Money),
        text_or_blank(p.huid.map(|h| h.to_string())),
        Cell::Count(i64::from(p.stock_qty)),
        Cell::text(if p.active { "Yes" } else { "No" }),
        Cell::DateTime(p.created_at),
    ]
}

/// A bill's pieces and weights added up; a sum past what [`Milligrams`] holds (no
/// bill's pieces weigh 100 kg together) is left blank rather than shown wrong.
fn bill_weights(row: &SaleRow) -> (i64, Cell, Cell) {
    let lines = &row.sale.lines;
    let pieces = lines.iter().map(|l| i64::from(l.quantity)).sum();
    let total = |weigh: fn(&crate::domain::SaleLine) -> i64| {
        lines
            .iter()
            .try_fold(0_i64, |sum, line| sum.checked_add(weigh(line)))
            .and_then(|mg| Milligrams::new(mg).ok())
            .map_or(Cell::Blank, Cell::Weight)
    };
    (
        pieces,
        total(|l| l.gross_weight.get()),
        total(|l| l.net_weight.get()),
    )
}

fn sale_cells(row: SaleRow) -> Vec<Cell> {
    let (pieces, gross, net) = bill_weights(&row);
    let SaleRow {
        sale: s,
        customer_name,
        customer_code,
        floor_name,
    } = row;
    let mut paid_by: Vec<&str> = s.payments.iter().map(|p| p.method.as_str()).collect();
    paid_by.dedup();
    vec![
        text_or_blank(s.invoice_no.as_ref().map(|n| n.as_str().to_owned())),
        Cell::text(s.status.as_str()),
        Cell::DateTime(s.completed_at.unwrap_or(s.created_at)),
        Cell::Text(customer_code),
        Cell::Text(customer_name),
        Cell::Text(floor_name),
        Cell::Count(pieces),
        gross,
        net,
        Cell::Money(s.taxable_value),
        Cell::Money(s.cgst),
        Cell::Money(s.sgst),
        Cell::Money(s.igst),
        Cell::Money(s.total),
        Cell::Money(s.round_off),
        Cell::Money(Paise::new(s.total.get().saturating_add(s.round_off.get()))),
        text_or_blank(Some(paid_by.join("; "))),
    ]
}

fn follow_up_cells(row: FollowUpExportRow) -> Vec<Cell> {
    let f = row.follow_up;
    vec![
        Cell::DateTime(f.due_at),
        Cell::text(f.status.as_str()),
        Cell::text(f.kind.as_str()),
        Cell::Text(row.customer_code),
        Cell::Text(row.customer_name),
        Cell::Text(row.customer_phone),
        Cell::Text(row.owner),
        Cell::Text(row.floor),
        text_or_blank(Some(f.notes.to_string())),
        text_or_blank(Some(f.outcome.to_string())),
        f.completed_at.map_or(Cell::Blank, Cell::DateTime),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::SalesFilter;

    #[test]
    fn file_names_say_store_list_and_day() {
        let sales = ListExport::Sales(SalesFilter::default());
        let day = jiff::civil::date(2026, 12, 7);
        assert_eq!(
            export_file_name("Sarkar & Sons Jewellers", &sales, day, ExportFormat::Xlsx),
            "sarkar-sons-jewellers-sales-2026-12-07.xlsx"
        );
        assert_eq!(
            export_file_name("সরকার", &sales, day, ExportFormat::Csv),
            "store-sales-2026-12-07.csv"
        );
        assert_eq!("XLSX".parse(), Ok(ExportFormat::Xlsx));
        assert!("pdf".parse::<ExportFormat>().is_err());
    }
}
