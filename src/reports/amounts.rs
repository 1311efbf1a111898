//! Report figures as the owner reads them: long rupee amounts in lakh and crore, and
//! the change on last year as an arrow and a percentage.

use crate::domain::{Paise, group_indian};

const LAKH: u64 = 1_00_000 * 100;
const CRORE: u64 = 1_00_00_000 * 100;

/// `₹12.35 lakh`, `₹3.20 crore`; amounts under a lakh in full (`₹45,210.50`). Lakh and
/// crore are given to two decimals, rounded down, so a figure never reads more than it is.
pub fn lakh_crore(amount: Paise) -> String {
    let paise = amount.get();
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    let (unit, name) = if abs >= CRORE {
        (CRORE, "crore")
    } else if abs >= LAKH {
        (LAKH, "lakh")
    } else {
        return amount.to_string();
    };
    let hundredths = abs / (unit / 100);
    format!(
        "{sign}₹{}.{:02} {name}",
        group_indian(hundredths / 100),
        hundredths % 100
    )
}

/// Which way a figure moved on last year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Level,
}

/// The change from `last` to `this` in basis points of `last` (rounded toward zero);
/// `None` when last year had nothing to compare with.
pub fn change_bp(this: i64, last: i64) -> Option<(Trend, i64)> {
    if last == 0 {
        return None;
    }
    let diff = i128::from(this) - i128::from(last);
    let bp = diff * 10_000 / i128::from(last).abs();
    let trend = match diff.signum() {
        1 => Trend::Up,
        -1 => Trend::Down,
        _ => Trend::Level,
    };
    Some((trend, i64::try_from(bp).unwrap_or(i64::MAX)))
}

/// `▲ 12.5%`, `▼ 3%`, `= 0%`; `new` when last year had nothing.
pub fn change_text(this: i64, last: i64) -> String {
    match change_bp(this, last) {
        None if this == 0 => "–".to_owned(),
        None => "new".to_owned(),
        Some((trend, bp)) => {
            let arrow = match trend {
                Trend::Up => "▲",
                Trend::Down => "▼",
                Trend::Level => "=",
            };
            let abs = bp.unsigned_abs();
            let whole = abs / 100;
            let tenths = (abs % 100) / 10;
            if tenths == 0 {
                format!("{arrow} {whole}%")
            } else {
                format!("{arrow} {whole}.{tenths}%")
            }
        }
    }
}

/// A share in basis points as a percentage: `3333` → `33.3%`.
pub fn percent_text(bp: i64) -> String {
    let tenths = bp / 10;
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, (tenths % 10).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_amounts_read_in_lakh_and_crore_never_rounded_up() {
        assert_eq!(lakh_crore(Paise::new(45_210_50)), "₹45,210.50");
        assert_eq!(lakh_crore(Paise::new(12_34_999_99)), "₹12.34 lakh");
        assert_eq!(lakh_crore(Paise::new(1_00_000_00)), "₹1.00 lakh");
        assert_eq!(lakh_crore(Paise::new(3_20_00_000_00)), "₹3.20 crore");
        assert_eq!(lakh_crore(Paise::new(-2_50_000_00)), "-₹2.50 lakh");
        assert_eq!(
            lakh_crore(Paise::new(12_345_67_00_000_00)),
            "₹12,345.67 crore"
        );
    }

    #[test]
    fn changes_on_last_year_carry_an_arrow() {
        assert_eq!(change_text(112_50, 100_00), "▲ 12.5%");
        assert_eq!(change_text(97, 100), "▼ 3%");
        assert_eq!(change_text(100, 100), "= 0%");
        assert_eq!(change_text(5, 0), "new");
        assert_eq!(change_text(0, 0), "–");
        assert_eq!(change_text(0, 40), "▼ 100%");
        assert_eq!(change_bp(-50, -100), Some((Trend::Up, 5_000)));
        assert_eq!(percent_text(3_333), "33.3%");
        assert_eq!(percent_text(10_000), "100%");
    }
}
