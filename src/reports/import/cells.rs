//! Reading one cell as a value of the store: a phone, an amount, a weight, a purity,
//! a metal, a count, yes or no (dates are in `dates`). Pure functions, no I/O; each
//! answers `Ok(None)` for an empty cell and a [`CellProblem`] naming the value and
//! saying how to write it for anything it cannot read without guessing.

use crate::domain::{Milligrams, Paise, Phone};

use super::SheetCell;

pub use super::dates::{DateOrder, excel_serial_to_date, infer_date_order, parse_date};
pub use super::purity::{parse_metal, parse_purity};

/// Why a cell cannot be read: a full sentence naming the value and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CellProblem(String);

impl CellProblem {
    /// Control characters in the message (from a value that had them) are shown as
    /// escapes, so a message never carries a raw line break or NUL into a page.
    pub(super) fn new(message: impl Into<String>) -> Self {
        let message: String = message.into();
        if !message.chars().any(char::is_control) {
            return Self(message);
        }
        Self(
            message
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_debug().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

/// Trimmed text for name, address and notes columns: whole numbers without ".0" (a
/// PIN typed as a number reads 700019), dates as YYYY-MM-DD.
pub fn cell_text(cell: &SheetCell) -> String {
    match cell {
        SheetCell::Empty => String::new(),
        SheetCell::Text(s) => s.trim().to_owned(),
        SheetCell::Number(n) => number_text(*n),
        SheetCell::Date(d) => d.to_string(),
        SheetCell::DateTime(dt) if dt.second() == 0 && dt.subsec_nanosecond() == 0 => {
            dt.strftime("%Y-%m-%d %H:%M").to_string()
        }
        SheetCell::DateTime(dt) => dt.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        SheetCell::Bool(true) => "TRUE".to_owned(),
        SheetCell::Bool(false) => "FALSE".to_owned(),
    }
}

/// A number as Excel shows it in a General cell: whole numbers without a decimal
/// point (every digit of 9830012345 kept), others in their shortest exact form.
pub(super) fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A number rounded to the 15 significant digits Excel keeps, as decimal text: a
/// computed 0.30000000000000004 reads as the 0.3 Excel shows.
pub(super) fn excel_decimal(n: f64) -> String {
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    number_text(rounded)
}

/// How a value is named in a message: trimmed, and cut short if it is very long.
pub(super) fn shown(cell: &SheetCell) -> String {
    let text = cell_text(cell);
    if text.chars().count() <= 80 {
        return text;
    }
    let mut cut: String = text.chars().take(77).collect();
    cut.push('…');
    cut
}

/// A problem from a domain parser that quoted `used` (the text it was given), told
/// about `shown` (what the cell holds) instead.
fn retold(message: &str, used: &str, shown: &str) -> CellProblem {
    CellProblem::new(message.replacen(&format!("'{used}'"), &format!("'{shown}'"), 1))
}

pub(super) fn kind_of(cell: &SheetCell) -> &'static str {
    match cell {
        SheetCell::Date(_) | SheetCell::DateTime(_) => "a date",
        SheetCell::Bool(_) => "a yes/no value",
        SheetCell::Number(_) => "a number",
        SheetCell::Empty | SheetCell::Text(_) => "text",
    }
}

/// An Indian mobile number in any usual form (`+91 98300 12345`, `098300-12345`,
/// `919830012345`, or a number cell 9830012345).
pub fn parse_phone(cell: &SheetCell) -> Result<Option<Phone>, CellProblem> {
    let shown = shown(cell);
    let text = match cell {
        SheetCell::Empty => return Ok(None),
        SheetCell::Number(n) if n.is_finite() && n.fract() == 0.0 && *n > 0.0 && *n < 1e15 => {
            number_text(*n)
        }
        SheetCell::Text(s) if s.trim().is_empty() => return Ok(None),
        SheetCell::Text(s) => s.trim().to_owned(),
        other => {
            return Err(CellProblem::new(format!(
                "'{shown}' is {}, not a mobile number; write 10 digits, e.g. 98300 12345",
                kind_of(other)
            )));
        }
    };
    if is_scientific(&text) {
        return Err(CellProblem::new(format!(
            "'{shown}' is a number in scientific notation: the column was stored as a number and its last digits were lost; in Excel format the column as Text, type the numbers again (or export them again) and import the file"
        )));
    }
    let parts = text
        .split(['/', ',', ';', '&', '|', '\n'])
        .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
        .count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if parts > 1 || digits >= 20 {
        return Err(CellProblem::new(format!(
            "'{shown}' has two numbers; keep one mobile number in the cell and put the other in the notes"
        )));
    }
    // A number saved by a program as a decimal ("9830012345.0") keeps its digits.
    let text = match text.strip_suffix(".0") {
        Some(whole) if whole.bytes().all(|b| b.is_ascii_digit()) => whole.to_owned(),
        _ => text,
    };
    Phone::parse(&text)
        .map(Some)
        .map_err(|err| CellProblem::new(format!("'{shown}' {err}")))
}

/// `9.83E+09`, `9.830012345e9`: what Excel shows of a long number in a General cell.
fn is_scientific(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some((mantissa, exponent)) = lower.split_once('e') else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && digits(exponent)
}

/// Rupees: `₹ 1,23,456.50`, `Rs. 1234`, `Rs 1,234/-`, `INR 1234`, `1234.5` or a number
/// cell. Never below zero and never more than two decimals: paise are not guessed.
pub fn parse_amount(cell: &SheetCell) -> Result<Option<Paise>, CellProblem> {
    let shown = shown(cell);
    let text = match cell {
        SheetCell::Empty => return Ok(None),
        SheetCell::Text(s) if s.trim().is_empty() => return Ok(None),
        SheetCell::Text(s) => s.trim().to_owned(),
        SheetCell::Number(n) if n.is_finite() => excel_decimal(*n),
        other => {
            return Err(CellProblem::new(format!(
                "'{shown}' is {}, not an amount in rupees; write it like 50000 or 50,000.50",
                kind_of(other)
            )));
        }
    };
    let paise =
        Paise::parse_rupees(&text).map_err(|err| retold(&err.to_string(), &text, &shown))?;
    Paise::non_negative(paise.get())
        .map(Some)
        .map_err(|err| CellProblem::new(format!("'{shown}' {err}")))
}

/// A weight in grams unless it says otherwise: `12.345`, `12.345 g`, `12.345gm`,
/// `12.345 gms`, `12345 mg`, `1.2 kg` or a number cell. At most a milligram's
/// precision; zero is a weight (a piece without stones has stone weight 0).
pub fn parse_weight(cell: &SheetCell) -> Result<Option<Milligrams>, CellProblem> {
    let shown = shown(cell);
    let text = match cell {
        SheetCell::Empty => return Ok(None),
        SheetCell::Text(s) if s.trim().is_empty() => return Ok(None),
        SheetCell::Text(s) => s.trim().to_owned(),
        SheetCell::Number(n) if n.is_finite() => excel_decimal(*n),
        other => {
            return Err(CellProblem::new(format!(
                "'{shown}' is {}, not a weight; write grams like 12.345",
                kind_of(other)
            )));
        }
    };
    let lower = text.to_lowercase();
    let (number, unit) = split_unit(&lower);
    let grams = |raw: &str| {
        Milligrams::parse_grams(raw).map_err(|err| retold(&err.to_string(), raw.trim(), &shown))
    };
    let mg = match unit {
        Unit::Grams => grams(number)?,
        Unit::Milligrams => {
            let whole = number.replace(',', "");
            if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
                // Let the gram reader say what is wrong ("below zero", "not a weight").
                let grams_as_mg = grams(number)?.get();
                if grams_as_mg % 1000 != 0 {
                    return Err(CellProblem::new(format!(
                        "'{shown}' has a fraction of a milligram; write milligrams as a whole number, e.g. 12345 mg"
                    )));
                }
            }
            let mg: i64 = whole.parse().unwrap_or(i64::MAX);
            Milligrams::new(mg).map_err(|err| CellProblem::new(format!("'{shown}' {err}")))?
        }
        Unit::Kilograms => {
            let grams_as_mg = grams(number)?.get();
            let mg = grams_as_mg.checked_mul(1000).unwrap_or(i64::MAX);
            Milligrams::new(mg).map_err(|err| CellProblem::new(format!("'{shown}' {err}")))?
        }
    };
    Ok(Some(mg))
}

#[derive(Clone, Copy)]
enum Unit {
    Grams,
    Milligrams,
    Kilograms,
}

/// The number and the unit of a lower-cased weight; grams when it names none.
fn split_unit(lower: &str) -> (&str, Unit) {
    const UNITS: &[(&str, Unit)] = &[
        ("milligrams", Unit::Milligrams),
        ("mgs", Unit::Milligrams),
        ("mg", Unit::Milligrams),
        ("kilograms", Unit::Kilograms),
        ("kgs", Unit::Kilograms),
        ("kg", Unit::Kilograms),
        ("grams", Unit::Grams),
        ("gram", Unit::Grams),
        ("gms", Unit::Grams),
        ("grm", Unit::Grams),
        ("gm", Unit::Grams),
        ("g", Unit::Grams),
    ];
    for (suffix, unit) in UNITS {
        if let Some(number) = lower.strip_suffix(suffix) {
            return (number.trim_end(), *unit);
        }
    }
    (lower, Unit::Grams)
}

/// A stock quantity: `3`, `3 pcs`, `3 nos`, or a number cell holding a whole number.
pub fn parse_count(cell: &SheetCell) -> Result<Option<u32>, CellProblem> {
    let shown = shown(cell);
    let refuse = || {
        CellProblem::new(format!(
            "'{shown}' is not a number of pieces; write a whole number like 3"
        ))
    };
    match cell {
        SheetCell::Empty => Ok(None),
        SheetCell::Text(s) if s.trim().is_empty() => Ok(None),
        SheetCell::Number(n) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 => {
            u32::try_from(*n as i64).map(Some).map_err(|_| refuse())
        }
        SheetCell::Text(s) => {
            let lower = s.trim().to_lowercase();
            let number = [
                "pieces", "piece", "pcs.", "pcs", "pc", "nos.", "nos", "no.", "units",
            ]
            .iter()
            .find_map(|unit| lower.strip_suffix(unit))
            .unwrap_or(&lower)
            .trim();
            let number = number.strip_suffix(".0").unwrap_or(number).replace(',', "");
            if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(refuse());
            }
            number.parse::<u32>().map(Some).map_err(|_| refuse())
        }
        _ => Err(refuse()),
    }
}

/// Yes or no: `Yes`, `No`, `Y`, `N`, `True`, `False`, `1`, `0`, `Active`, `Inactive`,
/// or Excel's TRUE and FALSE.
pub fn parse_yes_no(cell: &SheetCell) -> Result<Option<bool>, CellProblem> {
    let shown = shown(cell);
    let refuse = || CellProblem::new(format!("'{shown}' is not yes or no; write Yes or No"));
    match cell {
        SheetCell::Empty => Ok(None),
        SheetCell::Bool(b) => Ok(Some(*b)),
        SheetCell::Number(n) if *n == 1.0 => Ok(Some(true)),
        SheetCell::Number(n) if *n == 0.0 => Ok(Some(false)),
        SheetCell::Text(s) => match s.trim().to_lowercase().as_str() {
            "" => Ok(None),
            "yes" | "y" | "true" | "t" | "1" | "active" | "on" => Ok(Some(true)),
            "no" | "n" | "false" | "f" | "0" | "inactive" | "off" => Ok(Some(false)),
            _ => Err(refuse()),
        },
        _ => Err(refuse()),
    }
}
