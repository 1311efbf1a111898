//! Header names as people see them, and rows cut to the header's width: shared by the
//! CSV and the Excel readers so both name and shape columns the same way.

use super::SheetCell;

/// Cleans one header cell: invisible characters (byte-order marks, zero-width spaces)
/// removed, ends trimmed and inner runs of whitespace (line breaks included, which
/// wrapped Excel headers have) made one space.
pub(super) fn clean_header(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{00AD}'
            | '\u{200E}'
            | '\u{200F}'
    )
}

/// Final header names from cleaned cells: trailing blank headers are dropped (the
/// caller decides which blank columns may go), a blank header in the middle is named
/// after its column letter ("Column F"), and a repeated name gets " (2)", " (3)"… so
/// every column can be told apart in the mapping.
pub(super) fn name_headers(mut cleaned: Vec<String>) -> Vec<String> {
    while cleaned.last().is_some_and(String::is_empty) {
        cleaned.pop();
    }
    let mut names: Vec<String> = Vec::with_capacity(cleaned.len());
    for (index, name) in cleaned.into_iter().enumerate() {
        let base = if name.is_empty() {
            format!("Column {}", column_letters(index))
        } else {
            name
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while names.iter().any(|x| x.eq_ignore_ascii_case(&candidate)) {
            candidate = format!("{base} ({n})");
            n += 1;
        }
        names.push(candidate);
    }
    names
}

/// Spreadsheet column letters for a zero-based index: 0 → A, 25 → Z, 26 → AA.
pub(super) fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Cuts or pads a row to `width` cells: empty cells past the header are dropped, but
/// a value past it is kept (with the empties before it) so the caller can report the
/// row as having more values than the header has columns.
pub(super) fn shape_row(mut cells: Vec<SheetCell>, width: usize) -> Vec<SheetCell> {
    let used = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    cells.truncate(used.max(width));
    cells.resize(width.max(cells.len()), SheetCell::Empty);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_cleaned_named_and_told_apart() {
        let cleaned: Vec<String> = [
            "\u{FEFF} Name ",
            "Mobile\r\nNo",
            "",
            "name",
            "Mobile No",
            "",
            "",
        ]
        .into_iter()
        .map(clean_header)
        .collect();
        assert_eq!(
            name_headers(cleaned),
            ["Name", "Mobile No", "Column C", "name (2)", "Mobile No (2)"]
        );
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn rows_take_the_header_width_but_keep_extra_values() {
        let t = |s: &str| SheetCell::Text(s.to_owned());
        assert_eq!(
            shape_row(vec![t("a")], 3),
            [t("a"), SheetCell::Empty, SheetCell::Empty]
        );
        assert_eq!(
            shape_row(
                vec![t("a"), SheetCell::Empty, SheetCell::Empty, SheetCell::Empty],
                2
            ),
            [t("a"), SheetCell::Empty]
        );
        assert_eq!(
            shape_row(
                vec![t("a"), t("b"), SheetCell::Empty, t("c"), SheetCell::Empty],
                2
            ),
            [t("a"), t("b"), SheetCell::Empty, t("c")]
        );
    }
}
