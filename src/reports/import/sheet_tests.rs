//! Opening the fixtures in `tests/fixtures/import/`, made by the programs stores use
//! (see `make_fixtures.py` there), and files that are not spreadsheets at all.

use std::path::PathBuf;

use jiff::civil::date;

use super::{SheetCell, SheetError, SheetFormat, SheetRow, open_sheet};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn text(s: &str) -> SheetCell {
    SheetCell::Text(s.to_owned())
}

/// Opens a fixture and reads every row, failing the test on any error.
fn read(name: &str) -> (super::Sheet, Vec<SheetRow>) {
    let mut sheet = open_sheet(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let rows: Vec<SheetRow> = sheet
        .by_ref()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (sheet, rows)
}

fn lines(rows: &[SheetRow]) -> Vec<u32> {
    rows.iter().map(|r| r.line).collect()
}

fn cell(rows: &[SheetRow], line: u32, col: usize) -> &SheetCell {
    let row = rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no line {line}"));
    &row.cells[col]
}

#[test]
fn an_openpyxl_workbook_with_a_title_and_a_merged_group_header() {
    let (sheet, rows) = read("customers_openpyxl.xlsx");
    assert_eq!(
        sheet.format,
        SheetFormat::Xlsx {
            sheet: "Customers".into()
        }
    );
    assert_eq!(sheet.format.describe(), "Excel workbook, sheet “Customers”");
    assert_eq!(
        sheet.headers,
        [
            "Cust Name",
            "Mobile",
            "D.O.B.",
            "Anniv",
            "Locality",
            "Address City",
            "Address PIN"
        ]
    );
    assert_eq!(sheet.header_line, 3);
    assert_eq!(lines(&rows), (4..=13).collect::<Vec<_>>());
    assert!(rows.iter().all(|r| r.cells.len() == 7));
    assert_eq!(cell(&rows, 4, 0), &text("Sumita Sarkar"));
    assert_eq!(cell(&rows, 4, 2), &SheetCell::Date(date(1985, 8, 15)));
    assert_eq!(cell(&rows, 4, 6), &SheetCell::Number(700019.0));
    // The phone typed as a number keeps all ten digits.
    assert_eq!(cell(&rows, 5, 1), &SheetCell::Number(9830012346.0));
    assert_eq!(super::cell_text(cell(&rows, 5, 1)), "9830012346");
    assert_eq!(cell(&rows, 5, 3), &SheetCell::Empty);
    assert_eq!(cell(&rows, 6, 4), &text("#N/A"));
    // The two bad rows are read as they are; the cell parsers judge them.
    assert!(super::parse_phone(cell(&rows, 7, 1)).is_err());
    assert_eq!(cell(&rows, 9, 2), &text("31/02/1990"));
    let problem = super::parse_date(cell(&rows, 9, 2), None).unwrap_err();
    assert_eq!(
        problem.message(),
        "'31/02/1990' is not a date: February 1990 has 28 days"
    );
}

#[test]
fn an_excel_csv_utf8_with_bom_crlf_and_quoted_fields() {
    let (sheet, rows) = read("customers_excel_utf8_bom.csv");
    assert_eq!(
        sheet.format.describe(),
        "CSV, UTF-8 with BOM, separated by ','"
    );
    assert_eq!(
        sheet.headers,
        [
            "Name",
            "Mobile",
            "Date of Birth",
            "City",
            "Last Purchase",
            "Notes"
        ]
    );
    assert_eq!(sheet.header_line, 1);
    // Line 4 is blank; the record from line 5 runs on to line 6 inside its quotes.
    assert_eq!(lines(&rows), [2, 3, 5, 7, 8]);
    assert_eq!(cell(&rows, 2, 4), &text("₹ 1,23,456.50"));
    assert_eq!(cell(&rows, 5, 5), &text("Wants a necklace,\nnot earrings"));
    assert_eq!(cell(&rows, 8, 3), &text("Kolkata, Salt Lake"));
    assert_eq!(cell(&rows, 3, 5), &SheetCell::Empty);
    let amount = super::parse_amount(cell(&rows, 2, 4)).unwrap_or_default();
    assert_eq!(amount.map(|p| p.get()), Some(1_23_456_50));
}

#[test]
fn a_windows_1252_csv_with_semicolons() {
    let (sheet, rows) = read("customers_windows1252.csv");
    assert_eq!(
        sheet.format,
        SheetFormat::Csv {
            encoding: "Windows-1252",
            delimiter: b';'
        }
    );
    assert_eq!(
        sheet.format.describe(),
        "CSV, Windows-1252, separated by ';'"
    );
    assert_eq!(
        sheet.headers,
        ["Name", "Phone", "Birthday", "City", "Spent", "Notes"]
    );
    assert_eq!(lines(&rows), [2, 3, 4]);
    assert_eq!(cell(&rows, 2, 0), &text("René D'Souza"));
    assert_eq!(cell(&rows, 2, 5), &text("Café owner"));
    assert_eq!(cell(&rows, 3, 5), &text("Paid € 120 in Lisbon"));
    assert_eq!(cell(&rows, 2, 4), &text("Rs. 45,000"));
    let amount = super::parse_amount(cell(&rows, 3, 4)).unwrap_or_default();
    assert_eq!(amount.map(|p| p.get()), Some(1_250_50));
    let zoe = super::parse_date(cell(&rows, 4, 2), None).unwrap_or_default();
    assert_eq!(zoe, Some(date(1992, 2, 29)));
}

#[test]
fn a_semicolon_csv_whose_lines_end_in_a_separator() {
    let (sheet, rows) = read("products_semicolon.csv");
    assert_eq!(sheet.format.describe(), "CSV, UTF-8, separated by ';'");
    assert_eq!(
        sheet.headers,
        [
            "Tag No",
            "Item Name",
            "Metal",
            "Purity",
            "Gross Wt",
            "Net Wt",
            "Stone Wt",
            "HUID",
            "Making",
            "Qty"
        ]
    );
    assert_eq!(lines(&rows), (2..=9).collect::<Vec<_>>());
    assert!(
        rows.iter().all(|r| r.cells.len() == 10),
        "the empty last column is dropped"
    );
    assert_eq!(cell(&rows, 5, 3), &text("21K"));
    assert!(super::parse_purity(cell(&rows, 5, 3), None).is_err());
}

#[test]
fn an_excel_97_workbook_written_by_xlwt() {
    let (sheet, rows) = read("products.xls");
    assert_eq!(
        sheet.format,
        SheetFormat::Xls {
            sheet: "Stock".into()
        }
    );
    assert_eq!(sheet.headers.len(), 11);
    assert_eq!(sheet.headers.last().map(String::as_str), Some("Received"));
    assert_eq!(sheet.header_line, 1);
    assert_eq!(lines(&rows), (2..=9).collect::<Vec<_>>());
    assert_eq!(cell(&rows, 2, 4), &SheetCell::Number(24.5));
    assert_eq!(cell(&rows, 2, 10), &SheetCell::Date(date(2026, 4, 1)));
    let weight = super::parse_weight(cell(&rows, 2, 5)).unwrap_or_default();
    assert_eq!(weight.map(|w| w.get()), Some(23_100));
}

#[test]
fn excel_unicode_text_in_utf16_with_tabs() {
    let (sheet, rows) = read("customers_unicode_text.txt");
    assert_eq!(sheet.format.describe(), "CSV, UTF-16LE, separated by tabs");
    assert_eq!(sheet.headers, ["Name", "Mobile", "City", "Spent"]);
    assert_eq!(lines(&rows), [2, 3, 4]);
    assert_eq!(cell(&rows, 2, 0), &text("সুমিতা সরকার"));
    assert_eq!(cell(&rows, 2, 3), &text("₹ 1,23,456.50"));
    assert_eq!(cell(&rows, 4, 3), &SheetCell::Empty);
}

fn refusal(bytes: &[u8], name: &str) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the test file");
    match open_sheet(&path) {
        Ok(sheet) => panic!("{name} was opened: {sheet:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn files_that_are_not_spreadsheets_are_refused_by_what_they_are() {
    assert_eq!(
        refusal(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "customers.csv"),
        "“customers.csv” is a PDF, not a spreadsheet; save it as CSV or Excel (.xlsx)"
    );
    let png = refusal(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "list.xlsx");
    assert!(png.contains("a PNG image, not a spreadsheet"), "{png}");
    let html = refusal(
        b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table>",
        "list.xls",
    );
    assert!(html.contains("a web page (HTML)"), "{html}");
    let binary = refusal(b"\x01\x02\0\0\x05\x06binary", "data.csv");
    assert!(binary.contains("a binary file"), "{binary}");
    let zip = refusal(b"PK\x03\x04\x14\0\0\0\0\0word/document.xml", "letter.xlsx");
    assert!(zip.contains("a Word document"), "{zip}");
    let ods = refusal(
        b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        "list.ods",
    );
    assert_eq!(
        ods,
        "“list.ods” is an OpenDocument spreadsheet (.ods), which cannot be imported; save it as Excel (.xlsx) or CSV"
    );
    let ole = refusal(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", "locked.xls");
    assert!(
        ole.contains("damaged or protected with a password"),
        "{ole}"
    );
}

#[test]
fn an_empty_file_is_refused_and_a_header_alone_has_no_rows() {
    assert_eq!(
        refusal(b"", "empty.csv"),
        "“empty.csv” is empty: the file is empty or has only blank lines; export the list again"
    );
    assert!(refusal(b"\r\n\r\n ; ;\r\n", "blank.csv").contains("is empty"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("header.csv");
    std::fs::write(&path, "\u{FEFF}Name,Mobile\r\n").expect("write");
    let mut sheet = open_sheet(&path).expect("a header alone opens");
    assert_eq!(sheet.headers, ["Name", "Mobile"]);
    assert!(sheet.next().is_none());
    let missing = open_sheet(&dir.path().join("gone.csv"))
        .map(|_| ())
        .unwrap_err();
    assert!(matches!(missing, SheetError::Open { .. }));
    assert_eq!(
        missing.to_string(),
        "could not open “gone.csv”: the file does not exist; check that the file is still there and try again"
    );
}

#[test]
fn csv_headers_are_cleaned_and_rows_keep_extra_values() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("odd.csv");
    let body = "\n Name ,\u{200B}Mobile,,Name,\nRavi,98300 12345,x,y\nSita,,,,,,extra\n\n,,\n";
    std::fs::write(&path, body).expect("write");
    let (sheet, rows) = {
        let mut sheet = open_sheet(&path).expect("opens");
        let rows: Vec<SheetRow> = sheet.by_ref().collect::<Result<_, _>>().expect("rows");
        (sheet, rows)
    };
    assert_eq!(sheet.headers, ["Name", "Mobile", "Column C", "Name (2)"]);
    assert_eq!(sheet.header_line, 2);
    assert_eq!(lines(&rows), [3, 4]);
    assert_eq!(rows[1].cells.len(), 7, "a value past the header is kept");
    assert_eq!(rows[1].cells[6], text("extra"));
}

#[test]
fn a_large_csv_is_streamed_not_loaded() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("big.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(file, "Name;Mobile;Spent").expect("write");
    for i in 0..100_000_u32 {
        writeln!(file, "Customer {i};98300{i:05};Rs. {i}").expect("write");
    }
    drop(file);
    let sheet = open_sheet(&path).expect("opens");
    let mut count = 0;
    let mut last = 0;
    for row in sheet {
        let row = row.expect("row");
        count += 1;
        last = row.line;
    }
    assert_eq!((count, last), (100_000, 100_001));
}

#[test]
fn windows_1252_after_the_sniffed_start_is_still_read() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("late.csv");
    let mut file = std::fs::File::create(&path).expect("create");
    file.write_all(b"Name,City\n").expect("write");
    for i in 0..5_000 {
        writeln!(file, "Customer {i},Kolkata").expect("write");
    }
    file.write_all(b"Ren\xE9,Panaji\n").expect("write");
    drop(file);
    let sheet = open_sheet(&path).expect("opens");
    assert_eq!(sheet.format.describe(), "CSV, UTF-8, separated by ','");
    let last = sheet.last().expect("rows").expect("row");
    assert_eq!((last.line, &last.cells[0]), (5_002, &text("René")));
}
