//! CSV and delimited text, streamed: the encoding is told from the byte-order mark or
//! from whether the start of the file is valid UTF-8, the separator from the first
//! lines, and the rows are decoded and split as the caller iterates them.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::headers::{clean_header, name_headers, shape_row};
use super::sheet::{SNIFF_BYTES, io_reason};
use super::{Sheet, SheetCell, SheetError, SheetFormat, SheetRow};

/// The separators people's programs write, in the order a tie is settled.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records the separator is judged from.
const SNIFF_RECORDS: usize = 50;

/// True when `head` looks like UTF-16 without a byte-order mark: every other byte of
/// the first characters is zero, as it is for text in Latin letters.
pub(super) fn looks_like_utf16(head: &[u8]) -> bool {
    utf16_without_bom(head).is_some()
}

fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs: Vec<&[u8]> = head.chunks_exact(2).take(32).collect();
    if pairs.len() < 2 {
        return None;
    }
    if pairs
        .iter()
        .all(|p| p.get(1) == Some(&0) && p.first() != Some(&0))
    {
        Some(UTF_16LE)
    } else if pairs
        .iter()
        .all(|p| p.first() == Some(&0) && p.get(1) != Some(&0))
    {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding of a text file, its name as the user is told it, and the length of
/// its byte-order mark. Text that is not valid UTF-8 is read as Windows-1252, which is
/// what Excel's plain "CSV" is on an Indian or Western Windows.
fn detect_encoding(head: &[u8]) -> (&'static Encoding, &'static str, usize) {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return (UTF_8, "UTF-8 with BOM", 3);
    }
    if head.starts_with(b"\xFF\xFE") {
        return (UTF_16LE, "UTF-16LE", 2);
    }
    if head.starts_with(b"\xFE\xFF") {
        return (UTF_16BE, "UTF-16BE", 2);
    }
    if let Some(encoding) = utf16_without_bom(head) {
        let name = if encoding == UTF_16LE {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return (encoding, name, 0);
    }
    match std::str::from_utf8(head) {
        Ok(_) => (UTF_8, "UTF-8", 0),
        // A character cut in two by the end of the sniffed bytes is still UTF-8.
        Err(err) if err.error_len().is_none() && head.len() == SNIFF_BYTES => (UTF_8, "UTF-8", 0),
        Err(_) => (WINDOWS_1252, "Windows-1252", 0),
    }
}

/// The separator that splits the first records into the same number of fields, the
/// most fields winning; `,` when no line has any of them (a one-column file).
fn sniff_delimiter(text: &str, cut_short: bool) -> u8 {
    let mut best: Option<((bool, usize, usize), u8)> = None;
    for delimiter in DELIMITERS {
        let mut counts = record_counts(text, delimiter);
        // The last record of a cut-off sample is likely cut off too.
        if cut_short && counts.len() > 1 {
            counts.pop();
        }
        counts.retain(|&(blank, _)| !blank);
        let counts: Vec<usize> = counts.into_iter().map(|(_, n)| n).collect();
        let Some(mode) = mode(&counts) else { continue };
        if mode == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&n| n == mode).count();
        let score = (agreeing == counts.len(), agreeing, mode);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, delimiter));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// The most common count, the larger one on a tie.
fn mode(counts: &[usize]) -> Option<usize> {
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for &n in counts {
        match tally.iter_mut().find(|(value, _)| *value == n) {
            Some((_, times)) => *times += 1,
            None => tally.push((n, 1)),
        }
    }
    tally
        .into_iter()
        .max_by_key(|&(value, times)| (times, value))
        .map(|(value, _)| value)
}

/// For each of the first records: whether it is blank, and how many times `delimiter`
/// occurs outside quotes. A line break inside quotes does not end a record.
fn record_counts(text: &str, delimiter: u8) -> Vec<(bool, usize)> {
    let delimiter = char::from(delimiter);
    let mut records = Vec::new();
    let (mut quoted, mut count, mut blank) = (false, 0, true);
    for c in text.chars() {
        if records.len() == SNIFF_RECORDS {
            return records;
        }
        match c {
            '"' => {
                quoted = !quoted;
                blank = false;
            }
            '\n' if !quoted => {
                records.push((blank, count));
                (count, blank) = (0, true);
            }
            '\r' => {}
            c if c == delimiter && !quoted => {
                count += 1;
                blank = false;
            }
            c if !c.is_whitespace() && c != '\u{FEFF}' => blank = false,
            _ => {}
        }
    }
    if !blank || count > 0 {
        records.push((blank, count));
    }
    records
}

/// Opens a text file as CSV: decides encoding and separator from `head` (the file's
/// first bytes), reads up to the header row, and leaves the rest to be streamed.
pub(super) fn open_csv(path: &Path, file: String, head: &[u8]) -> Result<Sheet, SheetError> {
    let (encoding, encoding_name, bom) = detect_encoding(head);
    let sample = head.get(bom..).unwrap_or_default();
    let (text, _) = encoding.decode_without_bom_handling(sample);
    let delimiter = sniff_delimiter(&text, head.len() == SNIFF_BYTES);
    let open_error = |err: std::io::Error| SheetError::Open {
        file: file.clone(),
        reason: io_reason(&err),
    };
    let mut handle = File::open(path).map_err(open_error)?;
    // UTF-8 is read as it is, past its BOM: a value that is not valid UTF-8 (a file
    // whose Windows-1252 bytes start after the sniffed 64 KiB) is then decoded as
    // Windows-1252 by itself, where a decoder would have turned it into U+FFFD.
    let decoded: Box<dyn Read + Send> = if encoding == UTF_8 {
        handle
            .seek(SeekFrom::Start(bom as u64))
            .map_err(open_error)?;
        Box::new(handle)
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .strip_bom(true)
                .build(handle),
        )
    };
    // Records end at a line feed, so a CRLF line is counted when it ends (the CR is
    // trimmed off its last value), and blank lines are marked so csv reads them as
    // records instead of skipping them: either way each record's position is its line.
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(MarkBlankLines::new(decoded))
        .into_byte_records();
    let (header_line, headers) = loop {
        match records.next() {
            None => return Err(SheetError::Empty { file }),
            Some(Err(err)) => return Err(row_error(&file, &err, 1)),
            Some(Ok(record)) => {
                let mut cleaned: Vec<String> = record
                    .iter()
                    .map(|field| clean_header(&String::from_utf8_lossy(field)))
                    .collect();
                // Columns past the last header (`a;b;c;` ends in one) are dropped here;
                // a value in such a column is kept as an extra cell of its row.
                while cleaned.last().is_some_and(String::is_empty) {
                    cleaned.pop();
                }
                if !cleaned.is_empty() {
                    break (line_of(&record), name_headers(cleaned));
                }
            }
        }
    };
    let width = headers.len();
    let mut last_line = header_line;
    let mut failed = false;
    let rows = records.filter_map(move |result| {
        if failed {
            return None;
        }
        match result {
            Ok(record) => {
                last_line = line_of(&record);
                let cells: Vec<SheetCell> = record.iter().map(field_cell).collect();
                if cells.iter().all(SheetCell::is_empty) {
                    return None;
                }
                Some(Ok(SheetRow {
                    line: last_line,
                    cells: shape_row(cells, width),
                }))
            }
            Err(err) => {
                // A read error does not go away by reading on: it is reported once.
                failed = true;
                Some(Err(row_error(&file, &err, last_line.saturating_add(1))))
            }
        }
    });
    let format = SheetFormat::Csv {
        encoding: encoding_name,
        delimiter,
    };
    Ok(Sheet::new(
        headers,
        header_line,
        format,
        Box::new(rows.fuse()),
    ))
}

/// A value as a cell: trimmed, with the line breaks inside it (CRLF from Windows, or
/// the CR that marks a blank line) made plain line feeds.
fn field_cell(field: &[u8]) -> SheetCell {
    let text = match std::str::from_utf8(field) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(field).0,
    };
    if text.contains('\r') {
        SheetCell::text(&text.replace("\r\n", "\n"))
    } else {
        SheetCell::text(&text)
    }
}

/// Puts a CR before the line feed of every empty line (and of one at the very start),
/// so csv, which skips empty lines without counting them in a record's position,
/// reads each as a record of one blank value. Inside a quoted value the CR is taken
/// out again by [`field_cell`].
struct MarkBlankLines<R> {
    inner: R,
    at_line_start: bool,
    chunk: Box<[u8]>,
    out: Vec<u8>,
    taken: usize,
}

impl<R> MarkBlankLines<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            at_line_start: true,
            chunk: vec![0; 16 * 1024].into_boxed_slice(),
            out: Vec::with_capacity(17 * 1024),
            taken: 0,
        }
    }
}

impl<R: std::io::Read> std::io::Read for MarkBlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.taken == self.out.len() {
            self.out.clear();
            self.taken = 0;
            let n = self.inner.read(&mut self.chunk)?;
            for &byte in self.chunk.get(..n).unwrap_or_default() {
                if byte == b'\n' && self.at_line_start {
                    self.out.push(b'\r');
                }
                self.out.push(byte);
                self.at_line_start = byte == b'\n';
            }
        }
        let ready = self.out.get(self.taken..).unwrap_or_default();
        let n = ready.len().min(buf.len());
        buf[..n].copy_from_slice(&ready[..n]);
        self.taken += n;
        Ok(n)
    }
}

fn line_of(record: &csv::ByteRecord) -> u32 {
    record
        .position()
        .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX))
}

fn row_error(file: &str, err: &csv::Error, fallback_line: u32) -> SheetError {
    let line = err.position().map_or(fallback_line, |p| {
        u32::try_from(p.line()).unwrap_or(u32::MAX)
    });
    let reason = match err.kind() {
        csv::ErrorKind::Io(io) => io_reason(io),
        _ => "the text is not valid CSV".to_owned(),
    };
    SheetError::Row {
        file: file.to_owned(),
        line,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_every_line_agrees_on() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n", false), b',');
        assert_eq!(
            sniff_delimiter("Name;Amount\nRavi;1,50,000\nSita;2,000\n", false),
            b';'
        );
        assert_eq!(sniff_delimiter("a\tb\n\"x,y\"\t2\n", false), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n", false), b'|');
        assert_eq!(sniff_delimiter("Name\nRavi\n", false), b',');
        assert_eq!(
            sniff_delimiter("a,b\n\"multi\nline, with comma\",2\n", false),
            b','
        );
    }

    #[test]
    fn the_encoding_is_told_from_the_bytes() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFa,b").1, "UTF-8 with BOM");
        assert_eq!(detect_encoding(b"\xFF\xFEa\0,\0").1, "UTF-16LE");
        assert_eq!(detect_encoding(b"\xFE\xFF\0a\0,").1, "UTF-16BE");
        assert_eq!(detect_encoding(b"a\0,\0b\0").1, "UTF-16LE");
        assert_eq!(detect_encoding("Café,₹".as_bytes()).1, "UTF-8");
        assert_eq!(detect_encoding(b"Caf\xE9,\x80 5").1, "Windows-1252");
    }
}
