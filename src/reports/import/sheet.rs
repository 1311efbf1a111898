//! An opened spreadsheet file: its header and a stream of typed rows, whatever the
//! file's kind, which is decided from its first bytes and never from its name.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{csv_sheet, excel_sheet};

/// How much of the start of a file is read to tell its kind, encoding and separator.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Empty,
    Text(String),
    Number(f64),
    Date(jiff::civil::Date),
    DateTime(jiff::civil::DateTime),
    Bool(bool),
}

impl SheetCell {
    /// True for an empty cell (text cells are trimmed when read, so a cell of spaces
    /// is already [`SheetCell::Empty`]).
    pub fn is_empty(&self) -> bool {
        matches!(self, SheetCell::Empty)
    }

    /// Text trimmed, with empty text read as [`SheetCell::Empty`].
    pub(super) fn text(raw: &str) -> SheetCell {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            SheetCell::Empty
        } else {
            SheetCell::Text(trimmed.to_owned())
        }
    }
}

/// One data row. `line` is the row number the user sees: Excel's row number, or the
/// CSV line number counting the header as 1 (a record with a line break inside a
/// quoted field is counted at its first line). `cells` has one entry per header; a
/// row with more values than headers keeps the extra values after them, so the caller
/// can say "row 12 has 9 values but the header has 8 columns".
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub line: u32,
    pub cells: Vec<SheetCell>,
}

/// What kind of file was read, to tell the user ("CSV, Windows-1252, separated by ';'").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetFormat {
    /// `encoding` is one of "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE",
    /// "Windows-1252".
    Csv {
        encoding: &'static str,
        delimiter: u8,
    },
    Xlsx {
        sheet: String,
    },
    Xls {
        sheet: String,
    },
}

impl SheetFormat {
    /// `CSV, Windows-1252, separated by ';'` or `Excel workbook, sheet “Customers”`.
    pub fn describe(&self) -> String {
        match self {
            SheetFormat::Csv {
                encoding,
                delimiter,
            } => {
                let separator = match delimiter {
                    b'\t' => "tabs".to_owned(),
                    other => format!("'{}'", char::from(*other)),
                };
                format!("CSV, {encoding}, separated by {separator}")
            }
            SheetFormat::Xlsx { sheet } => format!("Excel workbook, sheet “{sheet}”"),
            SheetFormat::Xls { sheet } => {
                format!("Excel 97–2003 workbook (.xls), sheet “{sheet}”")
            }
        }
    }
}

/// Why a file cannot be read as a spreadsheet. Every message says what is wrong and
/// what to do, names the file by its name only, and never shows internal details.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("could not open “{file}”: {reason}; check that the file is still there and try again")]
    Open { file: String, reason: String },
    #[error("“{file}” is empty: the file is empty or has only blank lines; export the list again")]
    Empty { file: String },
    #[error("“{file}” is {kind}, not a spreadsheet; save it as CSV or Excel (.xlsx)")]
    NotASpreadsheet { file: String, kind: &'static str },
    #[error("“{file}” is {kind}, which cannot be imported; save it as Excel (.xlsx) or CSV")]
    Unsupported { file: String, kind: &'static str },
    #[error(
        "“{file}” could not be read as an Excel workbook: it may be damaged or protected with a password; open it in Excel and save it again as .xlsx or CSV"
    )]
    Workbook { file: String },
    #[error("“{file}” has no sheet with data; check that you picked the right workbook")]
    NoSheetWithData { file: String },
    #[error(
        "line {line} of “{file}” could not be read: {reason}; save the file again as CSV and retry"
    )]
    Row {
        file: String,
        line: u32,
        reason: String,
    },
}

/// An opened file: its headers and a streaming iterator of its data rows. CSV is read
/// as it is iterated, never whole into memory; an Excel sheet is loaded by calamine.
pub struct Sheet {
    pub headers: Vec<String>,
    /// The row number of the (last) header row, counted as [`SheetRow::line`] is.
    pub header_line: u32,
    pub format: SheetFormat,
    rows: Box<dyn Iterator<Item = Result<SheetRow, SheetError>> + Send>,
}

impl Sheet {
    pub(super) fn new(
        headers: Vec<String>,
        header_line: u32,
        format: SheetFormat,
        rows: Box<dyn Iterator<Item = Result<SheetRow, SheetError>> + Send>,
    ) -> Self {
        Self {
            headers,
            header_line,
            format,
            rows,
        }
    }
}

impl Iterator for Sheet {
    type Item = Result<SheetRow, SheetError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

impl std::fmt::Debug for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet")
            .field("headers", &self.headers)
            .field("header_line", &self.header_line)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Opens `path`, deciding its kind from its bytes: a zip is read as .xlsx, an OLE
/// compound file as .xls, and anything else that is text as CSV. PDFs, images, web
/// pages and other binary files are refused with a message saying what they are.
pub fn open_sheet(path: &Path) -> Result<Sheet, SheetError> {
    let file_name = path.file_name().map_or_else(
        || "the file".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let open_error = |err: std::io::Error| SheetError::Open {
        file: file_name.clone(),
        reason: io_reason(&err),
    };
    let mut file = File::open(path).map_err(open_error)?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut file)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(open_error)?;
    if head.is_empty() {
        return Err(SheetError::Empty { file: file_name });
    }
    if head.starts_with(b"PK\x03\x04") {
        return excel_sheet::open_xlsx(path, &file_name, &head);
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return excel_sheet::open_xls(path, &file_name);
    }
    if let Some(kind) = foreign_kind(&head) {
        return Err(SheetError::NotASpreadsheet {
            file: file_name,
            kind,
        });
    }
    csv_sheet::open_csv(path, file_name, &head)
}

/// The OS error in words, without the path it names (the user knows the file).
pub(super) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission to read it was refused".to_owned(),
        _ => {
            let text = err.to_string();
            // The OS message ends in "(os error 5)", which means nothing to a shop.
            match text.split_once(" (os error") {
                Some((words, _)) => words.to_lowercase(),
                None => text.to_lowercase(),
            }
        }
    }
}

/// What a file that is not a spreadsheet is, from its first bytes, when it can be said.
fn foreign_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"RIFF", "a media file"),
        (b"\x1F\x8B", "a compressed (gzip) file"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"{\\rtf", "a Word (RTF) document"),
        (b"\x7FELF", "a program"),
        (b"MZ", "a Windows program"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(kind);
    }
    let start: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if start.starts_with(b"<!doctype html") || start.starts_with(b"<html") {
        return Some("a web page (HTML)");
    }
    if start.starts_with(b"<?xml") {
        // Excel 2003's "XML Spreadsheet" is the one XML file a shop is likely to have.
        let spreadsheet = head.windows(11).any(|w| w == b"Excel.Sheet");
        return Some(if spreadsheet {
            "an Excel 2003 XML spreadsheet"
        } else {
            "an XML file"
        });
    }
    // Text in UTF-16 has a zero in every other byte; any other text has none.
    let utf16 = head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
        || csv_sheet::looks_like_utf16(head);
    if !utf16 && head.contains(&0) {
        return Some("a binary file");
    }
    None
}
