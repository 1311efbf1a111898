//! CSV export of one [`Table`]: a header row, then each row as it comes, in plain
//! machine-readable values (rupees `39222.40`, grams `12.345`, days `2026-12-07`,
//! times `2026-12-07 10:15` in the store's zone).

use std::io::Write;

use jiff::tz::TimeZone;

use super::table::{Cell, ExportError, Table, check_row, plain_grams, plain_percent, plain_rupees};

/// Excel reads a CSV file without a byte-order mark in the computer's legacy code page,
/// which turns ₹ and Bengali or Devanagari names into mojibake; with the mark it reads
/// UTF-8. Other readers (the `csv` crate, LibreOffice, Python) skip or accept it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes one table as CSV to `out`, a row at a time.
#[derive(Debug)]
pub struct CsvTable<W: Write> {
    table: Table,
    zone: TimeZone,
    out: csv::Writer<W>,
    fields: Vec<String>,
}

impl<W: Write> CsvTable<W> {
    /// Starts the file: the byte-order mark and the header row.
    pub fn begin(mut out: W, table: Table, zone: TimeZone) -> Result<Self, ExportError> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(table.columns.iter().map(|c| c.title.as_str()))?;
        Ok(Self {
            fields: Vec::with_capacity(table.columns.len()),
            table,
            zone,
            out,
        })
    }

    /// Writes one row; it must have a cell for each column.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        check_row(&self.table, cells)?;
        self.fields.clear();
        for cell in cells {
            let field = match cell {
                Cell::Blank => String::new(),
                Cell::Text(text) => defuse_formula(text),
                Cell::Count(n) => n.to_string(),
                Cell::Money(amount) => plain_rupees(*amount),
                Cell::Weight(weight) => plain_grams(*weight),
                Cell::Percent(rate) => plain_percent(*rate),
                Cell::Date(day) => day.to_string(),
                Cell::DateTime(at) => at
                    .to_zoned_datetime(self.zone.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
            };
            self.fields.push(field);
        }
        self.out.write_record(&self.fields)?;
        Ok(())
    }

    /// Flushes what is buffered and hands the output back.
    pub fn finish(self) -> Result<W, ExportError> {
        self.out
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))
    }
}

/// A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-` or `@`
/// (or a tab or carriage return before one) as a formula, so a customer named
/// `=HYPERLINK(…)` on a tablet would become a live link on the owner's laptop. The
/// usual defence: such text gets a leading `'`, which shows it as the text it was.
fn defuse_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Milligrams, Paise};
    use crate::reports::table::{Column, Kind};

    #[test]
    fn values_are_plain_and_awkward_names_are_quoted() {
        let table = Table::new(
            "Sales",
            vec![
                Column::new("Customer", Kind::Text),
                Column::new("Total (₹)", Kind::Money),
                Column::new("Gross weight (g)", Kind::Weight),
                Column::new("Day", Kind::Date),
                Column::new("Billed at", Kind::DateTime),
            ],
        );
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let mut csv = CsvTable::begin(Vec::new(), table, zone).unwrap();
        let at: jiff::Timestamp = "2026-12-07T04:45:00Z".parse().unwrap();
        csv.row(&[
            Cell::text("সুমিতা \"Sumi\" দাস, Kolkata"),
            Cell::Money(Paise::new(3_922_240)),
            Cell::Weight(Milligrams::new(12_345).unwrap()),
            Cell::Date(jiff::civil::date(2026, 12, 7)),
            Cell::DateTime(at),
        ])
        .unwrap();
        assert!(csv.row(&[Cell::Blank]).is_err());
        let bytes = csv.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}Customer,Total (₹),Gross weight (g),Day,Billed at\r\n\
             \"সুমিতা \"\"Sumi\"\" দাস, Kolkata\",39222.40,12.345,2026-12-07,2026-12-07 10:15\r\n"
        );
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() {
        let table = Table::new("Customers", vec![Column::new("Name", Kind::Text)]);
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let mut csv = CsvTable::begin(Vec::new(), table, zone).unwrap();
        for name in [
            "=HYPERLINK(\"http://x\")",
            "+91 98300",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "Ray = Roy",
        ] {
            csv.row(&[Cell::text(name)]).unwrap();
        }
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        let names: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            names,
            [
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
                "'+91 98300",
                "'-2+3",
                "'@SUM(A1)",
                "'\tx",
                "Ray = Roy"
            ]
        );
    }
}
