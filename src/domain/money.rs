//! Money as whole paise and percentages as basis points; never floats.

use serde::{Deserialize, Serialize};

use super::InvalidValue;
use super::typed_amount::{AmountKind, ParseAmountError, read_scaled};

/// An amount of Indian money in paise (1 rupee = 100 paise). May be negative for
/// differences such as refunds; amounts entered by people are parsed with
/// [`Paise::non_negative`].
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Paise(i64);

impl Paise {
    pub const ZERO: Paise = Paise(0);

    pub const fn new(paise: i64) -> Self {
        Self(paise)
    }

    pub const fn from_rupees(rupees: i64) -> Self {
        Self(rupees * 100)
    }

    /// ₹1,000 crore: no amount entered, no line and no bill comes near it, and sums of
    /// millions of amounts below it still fit in 64 bits.
    pub const LIMIT: Paise = Paise(1_000 * 1_00_00_000 * 100);

    /// An amount a person entered: zero or more, and below [`Paise::LIMIT`] so sums of
    /// many of them cannot overflow.
    pub fn non_negative(paise: i64) -> Result<Self, InvalidValue> {
        if paise < 0 {
            return Err(InvalidValue::new("must not be negative"));
        }
        if paise >= Self::LIMIT.0 {
            return Err(InvalidValue::new("is too large (limit ₹1,000 crore)"));
        }
        Ok(Self(paise))
    }

    /// Rupees as people type them: `50000`, `1,23,456.50` (lakh commas) or `123,456.50`
    /// (western), with `₹`, `Rs` or `INR` before and spaces anywhere; at most two
    /// decimals and never below zero. Reads back everything [`Paise`] displays.
    pub fn parse_rupees(raw: &str) -> Result<Paise, ParseAmountError> {
        read_scaled(raw, AmountKind::Rupees).map(Paise)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Paise) -> Option<Paise> {
        self.0.checked_add(other.0).map(Paise)
    }

    pub fn checked_sub(self, other: Paise) -> Option<Paise> {
        self.0.checked_sub(other.0).map(Paise)
    }

    /// `self × bp / 10,000`, rounded half away from zero to the paisa.
    pub fn percent(self, bp: BasisPoints) -> Paise {
        let product = i128::from(self.0) * i128::from(bp.get());
        Paise(round_div(product, 10_000) as i64)
    }
}

/// Divides rounding half away from zero, as Indian invoices round tax to the paisa.
pub(crate) fn round_div(numerator: i128, denominator: i128) -> i128 {
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    }
}

/// `₹1,23,45,678.50`: rupees with Indian digit grouping and always two paise digits.
impl std::fmt::Display for Paise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}₹{}.{:02}", group_indian(abs / 100), abs % 100)
    }
}

/// Groups digits the Indian way: the last three together, then pairs (`1,23,45,678`).
pub fn group_indian(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() <= 3 {
        return digits;
    }
    let (head, tail) = digits.split_at(digits.len() - 3);
    let mut out = String::with_capacity(digits.len() + digits.len() / 2);
    let lead = head.len() % 2;
    for (i, ch) in head.chars().enumerate() {
        if i > 0 && (i + 2 - lead) % 2 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out.push(',');
    out.push_str(tail);
    out
}

/// A percentage in basis points (1% = 100 bp), from 0 to 100%.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct BasisPoints(u32);

impl BasisPoints {
    pub fn new(bp: i64) -> Result<Self, InvalidValue> {
        if !(0..=10_000).contains(&bp) {
            return Err(InvalidValue::new(
                "must be between 0 and 10000 basis points (0% to 100%)",
            ));
        }
        Ok(Self(bp as u32))
    }

    /// A percentage as people type it (`12`, `12.5`, `12.25 %`), from 0 to 100 with at
    /// most two decimals. Reads back everything [`BasisPoints`] displays.
    pub fn parse_percent(raw: &str) -> Result<Self, ParseAmountError> {
        let bp = read_scaled(raw, AmountKind::Percent)?;
        u32::try_from(bp)
            .ok()
            .filter(|bp| *bp <= 10_000)
            .map(Self)
            .ok_or_else(|| ParseAmountError::TooLarge {
                raw: raw.trim().to_owned(),
                limit: "a percentage is at most 100",
            })
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// For constants known to be in range.
    pub(crate) const fn from_const(bp: u32) -> Self {
        assert!(bp <= 10_000);
        Self(bp)
    }
}

impl std::fmt::Display for BasisPoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        match self.0 % 100 {
            0 => write!(f, "{whole}%"),
            frac if frac % 10 == 0 => write!(f, "{whole}.{}%", frac / 10),
            frac => write!(f, "{whole}.{frac:02}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `123,456,789.50`: the same amount grouped the western way.
    fn western(paise: i64) -> String {
        let rupees = (paise / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in rupees.chars().enumerate() {
            if i > 0 && (rupees.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{grouped}.{:02}", paise % 100)
    }

    proptest! {
        #[test]
        fn every_amount_reads_back_as_displayed(paise in 0..=i64::MAX) {
            let shown = Paise::new(paise).to_string();
            prop_assert_eq!(Paise::parse_rupees(&shown), Ok(Paise::new(paise)));
            prop_assert_eq!(Paise::parse_rupees(&western(paise)), Ok(Paise::new(paise)));
        }

        #[test]
        fn a_negative_amount_is_refused_as_negative(paise in i64::MIN..0) {
            let shown = Paise::new(paise).to_string();
            let refused = matches!(
                Paise::parse_rupees(&shown),
                Err(ParseAmountError::Negative { .. })
            );
            prop_assert!(refused, "{shown}");
        }

        #[test]
        fn every_percentage_reads_back_as_displayed(bp in 0..=10_000_i64) {
            let percent = BasisPoints::new(bp).unwrap();
            prop_assert_eq!(BasisPoints::parse_percent(&percent.to_string()), Ok(percent));
        }
    }

    #[test]
    fn indian_grouping() {
        assert_eq!(group_indian(0), "0");
        assert_eq!(group_indian(999), "999");
        assert_eq!(group_indian(1_000), "1,000");
        assert_eq!(group_indian(12_345), "12,345");
        assert_eq!(group_indian(1_23_456), "1,23,456");
        assert_eq!(group_indian(12_34_567), "12,34,567");
        assert_eq!(group_indian(1_23_45_678), "1,23,45,678");
        assert_eq!(group_indian(12_34_56_78_901), "12,34,56,78,901");
    }

    #[test]
    fn rupee_display() {
        assert_eq!(Paise::new(1_23_45_678_50).to_string(), "₹1,23,45,678.50");
        assert_eq!(Paise::new(5).to_string(), "₹0.05");
        assert_eq!(Paise::new(-2_00_000_00).to_string(), "-₹2,00,000.00");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        let three = BasisPoints::new(300).unwrap();
        assert_eq!(Paise::new(1_00_000).percent(three), Paise::new(3_000));
        // 1.5% of 333 paise is 4.995 paise, which rounds to 5.
        assert_eq!(
            Paise::new(333).percent(BasisPoints::new(150).unwrap()),
            Paise::new(5)
        );
        assert_eq!(
            Paise::new(-333).percent(BasisPoints::new(150).unwrap()),
            Paise::new(-5)
        );
    }

    #[test]
    fn typed_percentages_are_capped_at_one_hundred() {
        assert_eq!(BasisPoints::parse_percent("100").unwrap().get(), 10_000);
        assert_eq!(BasisPoints::parse_percent("0.01%").unwrap().get(), 1);
        let over = BasisPoints::parse_percent("100.01").unwrap_err();
        assert!(over.to_string().contains("at most 100"), "{over}");
        assert!(BasisPoints::parse_percent("-3").is_err());
    }

    #[test]
    fn bad_amounts_are_refused() {
        assert!(Paise::non_negative(-1).is_err());
        assert!(BasisPoints::new(10_001).is_err());
        assert_eq!(BasisPoints::new(150).unwrap().to_string(), "1.5%");
        assert_eq!(BasisPoints::new(1_225).unwrap().to_string(), "12.25%");
    }
}
