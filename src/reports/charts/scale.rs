//! The arithmetic under the charts: round axis steps, ₹ lakh/crore labels, one-decimal
//! percentages and drawing coordinates, all in integers.
//!
//! Coordinates are kept in tenths of a `viewBox` unit so bars stay proportional to
//! the paisa-exact amounts without bringing floats near money.

use std::fmt;

use crate::domain::{Paise, group_indian};

/// A position or length in tenths of a `viewBox` unit, written as `123.4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(pub i64);

impl Tenths {
    pub const fn units(units: i64) -> Tenths {
        Tenths(units * 10)
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        if abs.is_multiple_of(10) {
            write!(f, "{sign}{}", abs / 10)
        } else {
            write!(f, "{sign}{}.{}", abs / 10, abs % 10)
        }
    }
}

/// `part / whole` of `length`, rounded; zero when `whole` is zero.
pub fn share(part: i64, whole: i64, length: Tenths) -> Tenths {
    if whole == 0 {
        return Tenths(0);
    }
    let scaled = i128::from(part) * i128::from(length.0);
    let whole = i128::from(whole);
    let (quotient, remainder) = (scaled / whole, scaled % whole);
    // Rounds half away from zero, as the invoices do.
    let rounded = if 2 * remainder.abs() >= whole.abs() {
        quotient + scaled.signum() * whole.signum()
    } else {
        quotient
    };
    Tenths(i64::try_from(rounded).unwrap_or(0))
}

/// A value axis from `low` to `high` paise in round `step`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    pub low: i64,
    pub high: i64,
    pub step: i64,
}

impl Axis {
    /// A round axis holding every value in `low..=high` and zero, in about four steps.
    pub fn around(low: i64, high: i64) -> Axis {
        let (mut low, mut high) = (low.min(0), high.max(0));
        if low == high {
            high = low + 100_00;
        }
        let raw = (i128::from(high) - i128::from(low) + 3) / 4;
        let mut magnitude: i128 = 1;
        while magnitude * 10 <= raw {
            magnitude *= 10;
        }
        // Steps of 1, 2, 2.5 and 5 times a power of ten read well as lakh and crore.
        let step = [10, 20, 25, 50, 100]
            .iter()
            .map(|m| m * magnitude / 10)
            .find(|step| *step >= raw)
            .unwrap_or(10 * magnitude);
        let step = i64::try_from(step).unwrap_or(i64::MAX / 8);
        low = low.div_euclid(step) * step;
        high = -((-high).div_euclid(step) * step);
        Axis { low, high, step }
    }

    /// The tick values from low to high.
    pub fn ticks(&self) -> Vec<i64> {
        std::iter::successors(Some(self.low), |t| t.checked_add(self.step))
            .take_while(|t| *t <= self.high)
            .collect()
    }

    /// How far `value` is from the top of an axis `length` long.
    pub fn distance_from_top(&self, value: i64, length: Tenths) -> Tenths {
        share(self.high - value, self.high - self.low, length)
    }
}

/// An amount as an axis or bar label: `₹45,000`, `₹12.5 L`, `₹2.25 Cr`, `₹1,250 Cr`.
pub fn rupees_short(amount: Paise) -> String {
    const LAKH: u64 = 1_00_000 * 100;
    const CRORE: u64 = 100 * LAKH;
    let sign = if amount.get() < 0 { "-" } else { "" };
    let paise = amount.get().unsigned_abs();
    let (unit, suffix) = match paise {
        p if p >= CRORE => (CRORE, " Cr"),
        p if p >= LAKH => (LAKH, " L"),
        p => return format!("{sign}₹{}", group_indian((p + 50) / 100)),
    };
    let hundredths = (u128::from(paise) * 100 + u128::from(unit) / 2) / u128::from(unit);
    let whole = u64::try_from(hundredths / 100).unwrap_or(u64::MAX);
    let fraction = hundredths % 100;
    let fraction = match fraction {
        0 => String::new(),
        f if f % 10 == 0 => format!(".{}", f / 10),
        f => format!(".{f:02}"),
    };
    format!("{sign}₹{}{fraction}{suffix}", group_indian(whole))
}

/// Basis points as a percentage with one decimal: `12.5%`, `-3.0%`.
pub fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let tenths = (bp.unsigned_abs() + 5) / 10;
    format!("{sign}{}.{}%", tenths / 10, tenths % 10)
}

/// `part` as basis points of `whole`, rounded; `None` when `whole` is zero.
pub fn share_bp(part: i64, whole: i64) -> Option<i64> {
    // `share` scales to a length; 10,000 of them are the basis points of a whole.
    (whole != 0).then(|| share(part, whole, Tenths(10_000)).0)
}

/// A horizontal extent for bars of both signs: where zero sits and how long the
/// largest bar on each side may be.
#[derive(Debug, Clone, Copy)]
pub struct BarScale {
    left: Tenths,
    width: Tenths,
    most_negative: i64,
    most_positive: i64,
}

impl BarScale {
    pub fn new(left: Tenths, width: Tenths, amounts: impl Iterator<Item = i64>) -> BarScale {
        let (mut most_negative, mut most_positive) = (0i64, 0i64);
        for amount in amounts {
            most_negative = most_negative.max(amount.saturating_neg());
            most_positive = most_positive.max(amount);
        }
        BarScale {
            left,
            width,
            most_negative,
            most_positive,
        }
    }

    fn span(&self) -> i64 {
        self.most_negative.saturating_add(self.most_positive)
    }

    /// Where the zero line is.
    pub fn zero(&self) -> Tenths {
        Tenths(self.left.0 + share(self.most_negative, self.span(), self.width).0)
    }

    /// The bar for `amount`: its left edge and width.
    pub fn bar(&self, amount: i64) -> (Tenths, Tenths) {
        let length = share(amount.saturating_abs(), self.span(), self.width);
        if amount < 0 {
            (Tenths(self.zero().0 - length.0), length)
        } else {
            (self.zero(), length)
        }
    }
}
