//! Excel export: a workbook of named [`Table`]s, one sheet each, written with
//! rust_xlsxwriter in constant-memory mode (each row goes to a temporary file as it is
//! written, so no sheet is ever held in memory).
//!
//! Cells are typed: amounts are numbers shown as rupees with Indian grouping
//! (₹1,23,45,678.50), weights numbers shown as `12.345 g`, days and times real Excel
//! dates. Every sheet has a bold, frozen header row with a filter on it.

use std::io::{Seek, Write};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use super::table::{Cell, ExportError, Kind, Table, check_row};

/// Excel's number format cannot group digits in lakhs and crores directly; its
/// conditional sections can: crores and lakhs get their own pattern. Excel allows only
/// two conditions, so negative amounts (refunds) fall to the last, Western-grouped one.
const RUPEES: &str =
    r###"[>=10000000]"₹"##\,##\,##\,##0.00;[>=100000]"₹"##\,##\,##0.00;"₹"#,##0.00"###;
const GRAMS: &str = r#"0.000 "g""#;
const PERCENT: &str = "0.00%";
const COUNT: &str = "0";
const DAY: &str = "dd-mm-yyyy";
const DAY_TIME: &str = "dd-mm-yyyy hh:mm";

/// Rows a sheet holds, the header included; a longer table goes on in a second sheet.
const SHEET_ROWS: u32 = 1_048_576;

/// The formats every sheet shares.
#[derive(Debug)]
struct Formats {
    header: Format,
    money: Format,
    weight: Format,
    percent: Format,
    count: Format,
    day: Format,
    day_time: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold().set_background_color("#F2E6C9"),
            money: Format::new().set_num_format(RUPEES),
            weight: Format::new().set_num_format(GRAMS),
            percent: Format::new().set_num_format(PERCENT),
            count: Format::new().set_num_format(COUNT),
            day: Format::new().set_num_format(DAY),
            day_time: Format::new().set_num_format(DAY_TIME),
        }
    }
}

/// The sheet being written.
#[derive(Debug)]
struct OpenSheet {
    index: usize,
    table: Table,
    /// How many sheets this table has filled before this one.
    part: u32,
    next_row: u32,
}

/// A workbook being written, one table (sheet) after another.
pub struct XlsxBook {
    workbook: Workbook,
    zone: TimeZone,
    formats: Formats,
    open: Option<OpenSheet>,
    names: Vec<String>,
}

impl std::fmt::Debug for XlsxBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxBook")
            .field("sheets", &self.names)
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}

impl XlsxBook {
    /// An empty workbook; times are shown in `zone`, the store's.
    pub fn new(zone: TimeZone) -> Self {
        Self {
            workbook: Workbook::new(),
            zone,
            formats: Formats::new(),
            open: None,
            names: Vec::new(),
        }
    }

    /// Starts a new sheet for `table`, ending the one before.
    pub fn begin(&mut self, table: &Table) -> Result<(), ExportError> {
        self.close_sheet()?;
        self.open_sheet(table.clone(), 0)
    }

    /// Writes one row of the current table.
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        let Some(open) = &self.open else {
            return Err(ExportError::Shape {
                table: String::new(),
                problem: "a row came before any table was begun".into(),
            });
        };
        check_row(&open.table, cells)?;
        if open.next_row >= SHEET_ROWS {
            let (table, part) = (open.table.clone(), open.part + 1);
            self.close_sheet()?;
            self.open_sheet(table, part)?;
        }
        let Some(open) = &mut self.open else {
            return Ok(());
        };
        let row = open.next_row;
        open.next_row += 1;
        let sheet = self.workbook.worksheet_from_index(open.index)?;
        for (col, cell) in (0_u16..).zip(cells) {
            write_cell(sheet, &self.formats, &self.zone, row, col, cell)?;
        }
        Ok(())
    }

    /// Ends the last sheet and writes the whole file to `out`.
    pub fn finish<W: Write + Seek + Send>(mut self, out: W) -> Result<(), ExportError> {
        self.close_sheet()?;
        if self.workbook.worksheets().is_empty() {
            self.workbook.add_worksheet();
        }
        self.workbook.save_to_writer(out)?;
        Ok(())
    }

    fn open_sheet(&mut self, table: Table, part: u32) -> Result<(), ExportError> {
        let name = self.sheet_name(&table.name, part);
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(&name)?;
        for (col, column) in (0_u16..).zip(&table.columns) {
            sheet.set_column_width(col, width(column.kind, &column.title))?;
            sheet.write_string_with_format(0, col, &column.title, &self.formats.header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        self.names.push(name);
        self.open = Some(OpenSheet {
            index: self.workbook.worksheets().len() - 1,
            table,
            part,
            next_row: 1,
        });
        Ok(())
    }

    /// Puts the filter on the finished sheet's header, over every row written.
    fn close_sheet(&mut self) -> Result<(), ExportError> {
        if let Some(open) = self.open.take() {
            let last_col =
                u16::try_from(open.table.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
            let sheet = self.workbook.worksheet_from_index(open.index)?;
            sheet.autofilter(0, 0, open.next_row - 1, last_col)?;
        }
        Ok(())
    }

    /// A name Excel accepts (31 characters, none of `[]:*?/\`), unique in the book.
    fn sheet_name(&self, wanted: &str, part: u32) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
            .collect();
        let clean = clean.trim_matches('\'').trim();
        let base = if clean.is_empty() { "Sheet" } else { clean };
        let mut number = part + 1;
        loop {
            let suffix = if number == 1 {
                String::new()
            } else {
                format!(" ({number})")
            };
            let room = 31 - suffix.chars().count();
            let name: String = base.chars().take(room).collect::<String>() + &suffix;
            if !self.names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                return name;
            }
            number += 1;
        }
    }
}

/// A width (in characters) that fits the column's values and its heading.
fn width(kind: Kind, title: &str) -> f64 {
    let values: u16 = match kind {
        Kind::Text => 24,
        Kind::Count | Kind::Percent => 9,
        Kind::Money => 16,
        Kind::Weight => 12,
        Kind::Date => 12,
        Kind::DateTime => 17,
    };
    let heading = u16::try_from(title.chars().count() + 2).unwrap_or(u16::MAX);
    f64::from(values.max(heading).min(60))
}

fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    zone: &TimeZone,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), ExportError> {
    // Excel keeps every number as a double; paise and milligrams below 2^53 convert
    // exactly, and the division is the last step, so each cell shows the exact amount.
    let number = |n: i64, per: f64| n as f64 / per;
    match cell {
        Cell::Blank => {}
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Count(n) => {
            sheet.write_number_with_format(row, col, number(*n, 1.0), &formats.count)?;
        }
        Cell::Money(amount) => {
            sheet.write_number_with_format(
                row,
                col,
                number(amount.get(), 100.0),
                &formats.money,
            )?;
        }
        Cell::Weight(weight) => {
            let grams = number(weight.get(), 1000.0);
            sheet.write_number_with_format(row, col, grams, &formats.weight)?;
        }
        Cell::Percent(rate) => {
            let fraction = f64::from(rate.get()) / 10_000.0;
            sheet.write_number_with_format(row, col, fraction, &formats.percent)?;
        }
        Cell::Date(day) => {
            sheet.write_datetime_with_format(row, col, excel_day(*day)?, &formats.day)?;
        }
        Cell::DateTime(at) => {
            let when = excel_time(*at, zone)?;
            sheet.write_datetime_with_format(row, col, when, &formats.day_time)?;
        }
    }
    Ok(())
}

fn excel_day(day: Date) -> Result<ExcelDateTime, ExportError> {
    let year = u16::try_from(day.year()).unwrap_or(0);
    let month = u8::try_from(day.month()).unwrap_or(0);
    let d = u8::try_from(day.day()).unwrap_or(0);
    Ok(ExcelDateTime::from_ymd(year, month, d)?)
}

fn excel_time(at: Timestamp, zone: &TimeZone) -> Result<ExcelDateTime, ExportError> {
    let local = at.to_zoned_datetime(zone.clone()).datetime();
    let hour = u16::try_from(local.hour()).unwrap_or(0);
    let minute = u8::try_from(local.minute()).unwrap_or(0);
    let second = u32::try_from(local.second()).unwrap_or(0);
    Ok(excel_day(local.date())?.and_hms(hour, minute, second)?)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::domain::{Milligrams, Paise};
    use crate::reports::table::Column;

    #[test]
    fn a_workbook_of_two_tables_holds_typed_cells() {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let mut book = XlsxBook::new(zone);
        book.begin(&Table::new(
            "Sales: April/May",
            vec![
                Column::new("Customer", Kind::Text),
                Column::new("Total", Kind::Money),
                Column::new("Weight", Kind::Weight),
                Column::new("Billed at", Kind::DateTime),
            ],
        ))
        .unwrap();
        let at: Timestamp = "2026-12-07T04:45:00Z".parse().unwrap();
        book.row(&[
            Cell::text("সুমিতা দাস"),
            Cell::Money(Paise::new(1_234_567_850)),
            Cell::Weight(Milligrams::new(12_345).unwrap()),
            Cell::DateTime(at),
        ])
        .unwrap();
        book.begin(&Table::new("HSN", vec![Column::new("Bills", Kind::Count)]))
            .unwrap();
        book.row(&[Cell::Count(7)]).unwrap();
        let mut file = Cursor::new(Vec::new());
        book.finish(&mut file).unwrap();

        let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(file.into_inner())).unwrap();
        assert_eq!(xlsx.sheet_names(), ["Sales- April-May", "HSN"]);
        let sales = xlsx.worksheet_range("Sales- April-May").unwrap();
        assert_eq!(sales.get((1, 0)), Some(&Data::String("সুমিতা দাস".into())));
        assert_eq!(sales.get((1, 1)), Some(&Data::Float(12_345_678.50)));
        assert_eq!(sales.get((1, 2)), Some(&Data::Float(12.345)));
        let Some(Data::DateTime(when)) = sales.get((1, 3)) else {
            panic!("the time is not a date cell: {:?}", sales.get((1, 3)));
        };
        // 2026-12-07 10:15 in the store's zone: day 46363 after Excel's epoch, 10:15 in.
        assert!((when.as_f64() - (46_363.0 + 615.0 / 1_440.0)).abs() < 1e-9);
        let hsn = xlsx.worksheet_range("HSN").unwrap();
        assert_eq!(hsn.get((1, 0)), Some(&Data::Float(7.0)));
    }
}
