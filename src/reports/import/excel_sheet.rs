//! Excel workbooks (.xlsx and the older .xls) through calamine: the first sheet with
//! data, its title rows skipped, a two-row header under merged group cells joined into
//! one name per column, and cells typed as Excel typed them.

use std::path::Path;

use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx, open_workbook};

use super::cells::cell_text;
use super::headers::{clean_header, name_headers, shape_row};
use super::{Sheet, SheetCell, SheetError, SheetFormat, SheetRow};

/// Opens an .xlsx file (a zip). A zip that is not a workbook is named for what it is.
pub(super) fn open_xlsx(path: &Path, file: &str, head: &[u8]) -> Result<Sheet, SheetError> {
    let Ok(mut book) = open_workbook::<Xlsx<_>, _>(path) else {
        return Err(zip_error(file, head));
    };
    let (name, range) = first_sheet_with_data(&mut book, file)?;
    // Merged cells only help find the header; a sheet whose merges cannot be read is
    // still read, with each header row taken as it is.
    let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
    read_range(file, SheetFormat::Xlsx { sheet: name }, range, &merges)
}

/// Opens an .xls file (an OLE compound file, as Excel 97–2003 wrote them; a workbook
/// protected with a password is one too, and is refused here).
pub(super) fn open_xls(path: &Path, file: &str) -> Result<Sheet, SheetError> {
    let Ok(mut book) = open_workbook::<Xls<_>, _>(path) else {
        return Err(SheetError::Workbook {
            file: file.to_owned(),
        });
    };
    let (name, range) = first_sheet_with_data(&mut book, file)?;
    let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
    read_range(file, SheetFormat::Xls { sheet: name }, range, &merges)
}

fn zip_error(file: &str, head: &[u8]) -> SheetError {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let unsupported = |kind| SheetError::Unsupported {
        file: file.to_owned(),
        kind,
    };
    if has(b"opendocument.spreadsheet") {
        return unsupported("an OpenDocument spreadsheet (.ods)");
    }
    if has(b"workbook.bin") {
        return unsupported("an Excel binary workbook (.xlsb)");
    }
    let kind = if has(b"word/") {
        "a Word document"
    } else if has(b"ppt/") {
        "a PowerPoint presentation"
    } else if has(b"xl/") {
        return SheetError::Workbook {
            file: file.to_owned(),
        };
    } else {
        "a zip archive"
    };
    SheetError::NotASpreadsheet {
        file: file.to_owned(),
        kind,
    }
}

fn first_sheet_with_data<RS, R>(
    book: &mut R,
    file: &str,
) -> Result<(String, Range<Data>), SheetError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let mut any_read = false;
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        any_read = true;
        if range
            .used_cells()
            .any(|(_, _, data)| !to_cell(data).is_empty())
        {
            return Ok((name, range));
        }
    }
    let file = file.to_owned();
    Err(if any_read {
        SheetError::NoSheetWithData { file }
    } else {
        SheetError::Workbook { file }
    })
}

/// The cells of one row of `range`, `row` counted from the range's first row.
fn row_cells(range: &Range<Data>, row: usize) -> Vec<SheetCell> {
    (0..range.width())
        .map(|col| range.get((row, col)).map_or(SheetCell::Empty, to_cell))
        .collect()
}

fn filled(cells: &[SheetCell]) -> usize {
    cells.iter().filter(|c| !c.is_empty()).count()
}

fn read_range(
    file: &str,
    format: SheetFormat,
    range: Range<Data>,
    merges: &[Dimensions],
) -> Result<Sheet, SheetError> {
    let no_data = || SheetError::NoSheetWithData {
        file: file.to_owned(),
    };
    let (top, left) = range.start().ok_or_else(no_data)?;
    let height = range.height();
    // Titles above the header ("Sarkar Jewellers — customer list", merged across the
    // sheet) have one value; the header is the first row with more. A one-column
    // sheet has no such row, and its first row with a value is the header.
    let header = (0..height)
        .find(|&r| filled(&row_cells(&range, r)) >= 2)
        .or_else(|| (0..height).find(|&r| filled(&row_cells(&range, r)) >= 1))
        .ok_or_else(no_data)?;
    let abs_row = move |r: usize| top.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
    let top_cells = row_cells(&range, header);
    let sub_cells = row_cells(&range, header + 1);
    // Group headers: cells of the header row merged across several columns. Each
    // relative column under one is paired with the column holding the group's text.
    let groups: Vec<(usize, usize)> = merges
        .iter()
        .filter(|m| m.start.0 == abs_row(header) && m.end.1 > m.start.1)
        .flat_map(|m| {
            let first = m.start.1.saturating_sub(left) as usize;
            (m.start.1..=m.end.1)
                .filter(|&c| c >= left)
                .map(move |c| ((c - left) as usize, first))
        })
        .collect();
    let two_rows = groups
        .iter()
        .any(|&(col, _)| sub_cells.get(col).is_some_and(|c| !c.is_empty()));
    let cleaned: Vec<String> = (0..range.width())
        .map(|col| {
            let above = groups
                .iter()
                .find(|&&(c, _)| c == col)
                .map_or(col, |&(_, first)| first);
            let text = |cells: &[SheetCell], at: usize| {
                cells
                    .get(at)
                    .map(cell_text)
                    .map(|t| clean_header(&t))
                    .unwrap_or_default()
            };
            let upper = text(&top_cells, if two_rows { above } else { col });
            let lower = if two_rows {
                text(&sub_cells, col)
            } else {
                String::new()
            };
            [upper, lower]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let first_data = header + if two_rows { 2 } else { 1 };
    // A column is kept if it has a header or any value; blank columns at the right
    // (formatting Excel remembers past the data) are dropped.
    let mut width = cleaned
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    for (row, col, data) in range.used_cells() {
        if row >= first_data && col >= width && !to_cell(data).is_empty() {
            width = col + 1;
        }
    }
    let headers = name_headers(cleaned.into_iter().take(width).collect());
    let header_line = abs_row(first_data - 1).saturating_add(1);
    let rows = (first_data..height).filter_map(move |r| {
        let cells = row_cells(&range, r);
        if cells.iter().all(SheetCell::is_empty) {
            return None;
        }
        Some(Ok(SheetRow {
            line: abs_row(r).saturating_add(1),
            cells: shape_row(cells, width),
        }))
    });
    Ok(Sheet::new(headers, header_line, format, Box::new(rows)))
}

/// A calamine value as a sheet cell: dates with a date format become dates (with the
/// time when there is one), error values their text (`#N/A`), numbers stay numbers.
fn to_cell(data: &Data) -> SheetCell {
    match data {
        Data::Empty => SheetCell::Empty,
        Data::String(s) => SheetCell::text(s),
        Data::Int(i) => SheetCell::Number(*i as f64),
        Data::Float(f) => SheetCell::Number(*f),
        Data::Bool(b) => SheetCell::Bool(*b),
        Data::Error(e) => SheetCell::Text(e.to_string()),
        Data::DurationIso(s) => SheetCell::text(s),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DateTime(dt) => {
            // A time of day alone (below one day) and durations are not dates.
            if dt.is_duration() || dt.as_f64() < 1.0 {
                return SheetCell::Number(dt.as_f64());
            }
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let Ok(date) = jiff::civil::Date::new(y as i16, mo as i8, d as i8) else {
                // 1900-02-29, the day Excel invents; the number says what was typed.
                return SheetCell::Number(dt.as_f64());
            };
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                return SheetCell::Date(date);
            }
            let time =
                jiff::civil::Time::new(h as i8, mi as i8, s as i8, i32::from(ms) * 1_000_000);
            time.map_or(SheetCell::Date(date), |t| {
                SheetCell::DateTime(date.to_datetime(t))
            })
        }
    }
}

fn iso_cell(s: &str) -> SheetCell {
    if let Ok(date) = s.parse::<jiff::civil::Date>() {
        return SheetCell::Date(date);
    }
    match s.parse::<jiff::civil::DateTime>() {
        Ok(dt) if dt.time() == jiff::civil::Time::midnight() => SheetCell::Date(dt.date()),
        Ok(dt) => SheetCell::DateTime(dt),
        Err(_) => SheetCell::text(s),
    }
}
