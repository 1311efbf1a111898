//! Dates as spreadsheets hold them: real date cells, Excel serial numbers, and text in
//! the forms Indian offices type (`15/08/1990`, `15-Aug-1990`, `1990-08-15`…), with the
//! day-or-month question answered by the column, never guessed per cell.

use jiff::civil::Date;

use super::SheetCell;
use super::cells::{CellProblem, kind_of, number_text, shown};

/// Which part of `03/04/1990` is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `03/04/1990` is 3 April: the Indian (and British) way.
    DayFirst,
    /// `03/04/1990` is March 4: the American way, and what US-set Excel writes.
    MonthFirst,
}

/// What the text dates of a column say about their order: day first if any has a first
/// part above 12 (`15/08/1990`), month first if none does but some has a second part
/// above 12 (`08/15/1990`), `None` if no date tells. The caller then uses day first,
/// the Indian default, and may say so.
pub fn infer_date_order<'a>(cells: impl Iterator<Item = &'a SheetCell>) -> Option<DateOrder> {
    let mut month_first = false;
    for cell in cells {
        let SheetCell::Text(text) = cell else {
            continue;
        };
        let Some(NumericDate {
            first,
            second,
            iso: false,
            ..
        }) = numeric_parts(text)
        else {
            continue;
        };
        if first > 12 && second <= 12 {
            return Some(DateOrder::DayFirst);
        }
        month_first |= second > 12 && first <= 12;
    }
    month_first.then_some(DateOrder::MonthFirst)
}

/// An Excel serial date (days since 1899-12-30, the fraction being the time of day) as
/// a date between 1900 and 2100; `None` outside that range. Excel counts a 29 February
/// 1900 that never was (serial 60), so serials before it are one day off and it is
/// itself no date.
pub fn excel_serial_to_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..73_416.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let (epoch, days) = match days {
        1..=59 => (Date::constant(1899, 12, 31), days),
        60 => return None,
        _ => (Date::constant(1899, 12, 30), days),
    };
    let date = epoch.checked_add(jiff::Span::new().days(days)).ok()?;
    (1900..=2100).contains(&date.year()).then_some(date)
}

const EXAMPLE: &str = "write dates like 15/08/1990 or 1990-08-15";

/// A date between 1900 and 2100 from a date cell, an Excel serial number, or text in
/// ISO (`1990-08-15`), numeric (`15/08/1990`, `15-08-1990`, `15.08.1990`, `15/8/90`) or
/// named-month form (`15 Aug 1990`, `15-Aug-1990`, `Aug 15, 1990`, `15th August 1990`).
///
/// `order` says which part of a numeric date is the day; with `None`, a date whose first
/// two parts could each be the month (`03/04/1990`) is a problem rather than a guess.
/// A date that can be read only one way (`15/08/1990`, `08/15/1990`) is read that way
/// whatever `order` says.
/// Two-digit years are read with a fixed pivot: 00–30 are 2000–2030, 31–99 are
/// 1931–1999 (a birth year of '45 is 1945; an anniversary of '24 is 2024).
pub fn parse_date(cell: &SheetCell, order: Option<DateOrder>) -> Result<Option<Date>, CellProblem> {
    let shown = shown(cell);
    let in_range = |date: Date| {
        if (1900..=2100).contains(&date.year()) {
            Ok(Some(date))
        } else {
            Err(CellProblem::new(format!(
                "'{shown}' is not a date this shop would hold: the year {} is outside 1900–2100",
                date.year()
            )))
        }
    };
    match cell {
        SheetCell::Empty => Ok(None),
        SheetCell::Date(date) => in_range(*date),
        SheetCell::DateTime(dt) => in_range(dt.date()),
        SheetCell::Number(n) => excel_serial_to_date(*n).map(Some).ok_or_else(|| {
            CellProblem::new(format!(
                "'{}' is a number, not a date (as an Excel date number it falls outside 1900–2100); {EXAMPLE}",
                number_text(*n)
            ))
        }),
        SheetCell::Bool(_) => Err(CellProblem::new(format!(
            "'{shown}' is {}, not a date; {EXAMPLE}",
            kind_of(cell)
        ))),
        SheetCell::Text(text) if text.trim().is_empty() => Ok(None),
        SheetCell::Text(text) => parse_text(text.trim(), order, &shown),
    }
}

fn parse_text(
    text: &str,
    order: Option<DateOrder>,
    shown: &str,
) -> Result<Option<Date>, CellProblem> {
    let not_a_date = || CellProblem::new(format!("'{shown}' is not a date; {EXAMPLE}"));
    if let Some(parts) = numeric_parts(text) {
        let (day, month) = match (parts.first, parts.second) {
            (first, second) if parts.iso => (second, first),
            (first, second) if first > 12 && second > 12 => {
                return Err(CellProblem::new(format!(
                    "'{shown}' is not a date: neither {first} nor {second} can be a month; {EXAMPLE}"
                )));
            }
            (first, second) if first > 12 || first == second => (first, second),
            (first, second) if second > 12 => (second, first),
            (first, second) => match order {
                Some(DateOrder::DayFirst) => (first, second),
                Some(DateOrder::MonthFirst) => (second, first),
                None => {
                    let year = parts.year;
                    let (d1, m1) = (first, month_name(second));
                    let (m2, d2) = (month_name(first), second);
                    return Err(CellProblem::new(format!(
                        "'{shown}' is unclear: {d1} {m1} or {m2} {d2} — the column's other dates do not say which; write it as {year}-{second:02}-{first:02}"
                    )));
                }
            },
        };
        return checked_date(parts.year, month, day, shown);
    }
    let named = named_month(text).ok_or_else(not_a_date)?;
    checked_date(named.year, named.month, named.day, shown)
}

/// A date's parts as read from numeric text: `first`, `second` in the order written
/// (day and month in either order, or month and day of an ISO date).
struct NumericDate {
    first: u32,
    second: u32,
    year: i32,
    iso: bool,
}

/// Reads `15/08/1990`, `15-8-90`, `15.08.1990` or ISO `1990-08-15` (also with `/`), and
/// ignores a time after the date (`15/08/1990 00:00:00`, as some exports add).
fn numeric_parts(text: &str) -> Option<NumericDate> {
    let date = text.trim().split([' ', 'T']).next()?;
    let separator = date.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = date.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    if a.len() == 4 {
        return (c.len() <= 2 && b.len() <= 2).then_some(NumericDate {
            first: b_n,
            second: c_n,
            year: a_n as i32,
            iso: true,
        });
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = match c.len() {
        4 => c_n as i32,
        2 => two_digit_year(c_n),
        _ => return None,
    };
    Some(NumericDate {
        first: a_n,
        second: b_n,
        year,
        iso: false,
    })
}

/// 00–30 are this century's, 31–99 the last's (see [`parse_date`]).
fn two_digit_year(yy: u32) -> i32 {
    if yy <= 30 {
        2000 + yy as i32
    } else {
        1900 + yy as i32
    }
}

struct NamedDate {
    day: u32,
    month: u32,
    year: i32,
}

/// Reads `15 Aug 1990`, `15-Aug-90`, `Aug 15, 1990`, `15th August 1990`.
fn named_month(text: &str) -> Option<NamedDate> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ',' | '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let (day, month, year) = match month_number(a) {
        Some(month) => (b, month, c),
        None => (a, month_number(b)?, c),
    };
    let day = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| day.strip_suffix(s))
        .unwrap_or(day);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(day) || day.len() > 2 || !digits(year) {
        return None;
    }
    let year: u32 = year.parse().ok()?;
    let year = match c.len() {
        4 => year as i32,
        2 => two_digit_year(year),
        _ => return None,
    };
    Some(NamedDate {
        day: day.parse().ok()?,
        month,
        year,
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `aug`, `august` and `sept` name months; other prefixes do not.
fn month_number(word: &str) -> Option<u32> {
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))
        .map(|i| i as u32 + 1)
}

fn month_name(month: u32) -> String {
    let name = MONTHS
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn checked_date(year: i32, month: u32, day: u32, shown: &str) -> Result<Option<Date>, CellProblem> {
    if !(1900..=2100).contains(&year) {
        return Err(CellProblem::new(format!(
            "'{shown}' is not a date this shop would hold: the year {year} is outside 1900–2100"
        )));
    }
    if !(1..=12).contains(&month) {
        return Err(CellProblem::new(format!(
            "'{shown}' is not a date: there is no month {month}; {EXAMPLE}"
        )));
    }
    let (y, m) = (year as i16, month as i8);
    let days = Date::new(y, m, 1).map(|d| d.days_in_month()).unwrap_or(31);
    match i8::try_from(day).ok().and_then(|d| Date::new(y, m, d).ok()) {
        Some(date) if day >= 1 => Ok(Some(date)),
        _ => Err(CellProblem::new(format!(
            "'{shown}' is not a date: {} {year} has {days} days",
            month_name(month)
        ))),
    }
}
