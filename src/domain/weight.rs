//! Weights in whole milligrams; jewellers read them in grams to three decimals.

use serde::{Deserialize, Serialize};

use super::InvalidValue;
use super::typed_amount::{AmountKind, ParseAmountError, read_scaled};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Milligrams(i64);

impl Milligrams {
    pub const ZERO: Milligrams = Milligrams(0);

    /// A weight someone entered: zero or more and below 100 kg, which no single piece
    /// in a jewellery shop reaches.
    pub fn new(mg: i64) -> Result<Self, InvalidValue> {
        if mg < 0 {
            return Err(InvalidValue::new("must not be negative"));
        }
        if mg > 100_000_000 {
            return Err(InvalidValue::new("is too heavy (limit 100 kg)"));
        }
        Ok(Self(mg))
    }

    pub fn positive(mg: i64) -> Result<Self, InvalidValue> {
        if mg == 0 {
            return Err(InvalidValue::new("must be more than zero"));
        }
        Self::new(mg)
    }

    /// A weight as people type it, in grams (`12.345`, `25.45 g`, `1,250 g`): at most
    /// three decimals, zero or more, and below the 100 kg [`Milligrams::new`] allows.
    /// Reads back everything [`Milligrams`] displays.
    pub fn parse_grams(raw: &str) -> Result<Self, ParseAmountError> {
        let mg = read_scaled(raw, AmountKind::Grams)?;
        Self::new(mg).map_err(|_| ParseAmountError::TooLarge {
            raw: raw.trim().to_owned(),
            limit: "the limit is 100 kg (100000 g)",
        })
    }

    /// A total of weights the store worked out (grams sold in a year pass the 100 kg
    /// any one piece is kept below); never something a person typed.
    pub const fn total(mg: i64) -> Self {
        Self(mg)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn checked_sub(self, other: Milligrams) -> Option<Milligrams> {
        let diff = self.0.checked_sub(other.0)?;
        (diff >= 0).then_some(Milligrams(diff))
    }
}

/// `12.345 g`.
impl std::fmt::Display for Milligrams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03} g", self.0 / 1000, self.0 % 1000)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn every_weight_reads_back_as_displayed(mg in 0..=100_000_000_i64) {
            let weight = Milligrams::new(mg).unwrap();
            prop_assert_eq!(Milligrams::parse_grams(&weight.to_string()), Ok(weight));
        }
    }

    #[test]
    fn typed_grams_are_read_to_the_milligram() {
        assert_eq!(Milligrams::parse_grams("12.345").unwrap().get(), 12_345);
        assert_eq!(Milligrams::parse_grams("1,250 g").unwrap().get(), 1_250_000);
        let heavy = Milligrams::parse_grams("100000.001").unwrap_err();
        assert!(heavy.to_string().contains("100 kg"), "{heavy}");
        let fine = Milligrams::parse_grams("1.2345").unwrap_err();
        assert!(fine.to_string().contains("more than 3 decimals"), "{fine}");
        assert!(matches!(
            Milligrams::parse_grams("-2"),
            Err(ParseAmountError::Negative { .. })
        ));
    }

    #[test]
    fn shows_grams_to_three_places() {
        assert_eq!(Milligrams::new(12_345).unwrap().to_string(), "12.345 g");
        assert_eq!(Milligrams::new(50).unwrap().to_string(), "0.050 g");
    }

    #[test]
    fn refuses_negative_and_absurd_weights() {
        assert!(Milligrams::new(-1).is_err());
        assert!(Milligrams::positive(0).is_err());
        assert!(Milligrams::new(100_000_001).is_err());
    }
}
