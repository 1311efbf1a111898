//! Rounding the amount payable to the rupee, as Indian invoices do on their "Round off"
//! line. The GST figures and the bill's total stay exact to the paisa; only what the
//! customer pays is rounded.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{InvalidValue, Paise};

/// How a store rounds the amount payable. Stored on the store record by variant index:
/// only ever append variants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoundOff {
    /// To the nearest rupee, 50 paise and up rounding up (₹2,647.50 → ₹2,648).
    #[default]
    NearestRupee,
    /// No rounding: the amount payable is the total to the paisa.
    None,
}

impl RoundOff {
    pub const ALL: [RoundOff; 2] = [RoundOff::NearestRupee, RoundOff::None];

    /// How the setting is spelled in the API and in forms.
    pub const fn as_str(self) -> &'static str {
        match self {
            RoundOff::NearestRupee => "NEAREST_RUPEE",
            RoundOff::None => "NONE",
        }
    }

    /// How the settings page says it.
    pub const fn label(self) -> &'static str {
        match self {
            RoundOff::NearestRupee => "To the nearest rupee (50 paise and up round up)",
            RoundOff::None => "No rounding (pay to the paisa)",
        }
    }

    /// What is added to `total` to make the amount payable: −49 to +50 paise under
    /// `NearestRupee`, and always 0 under `None`.
    pub fn round_off(self, total: Paise) -> Paise {
        match self {
            RoundOff::None => Paise::ZERO,
            RoundOff::NearestRupee => {
                let paise = total.get().rem_euclid(100);
                if paise == 0 {
                    Paise::ZERO
                } else if paise >= 50 {
                    Paise::new(100 - paise)
                } else {
                    Paise::new(-paise)
                }
            }
        }
    }

    /// The total, its round-off and the amount payable; `None` if the payable would not
    /// fit in paise.
    pub fn apply(self, total: Paise) -> Option<Payable> {
        let round_off = self.round_off(total);
        Some(Payable {
            round_off,
            payable: total.checked_add(round_off)?,
        })
    }
}

impl std::fmt::Display for RoundOff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RoundOff {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase().replace(['-', ' '], "_");
        RoundOff::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| {
                InvalidValue::new(format!(
                    "'{}' is not a way of rounding; choose NEAREST_RUPEE or NONE",
                    s.trim()
                ))
            })
    }
}

/// A bill's amount payable and the round-off that made it from the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payable {
    pub round_off: Paise,
    pub payable: Paise,
}

/// A round-off as the invoice prints it: always signed, with a true minus sign
/// (`+₹0.34`, `−₹0.66`, `₹0.00`).
pub fn format_round_off(round_off: Paise) -> String {
    let magnitude = Paise::new(round_off.get().saturating_abs());
    match round_off.get().signum() {
        1 => format!("+{magnitude}"),
        -1 => format!("\u{2212}{magnitude}"),
        _ => magnitude.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nearest_rupee_rounds_half_up_as_invoices_do() {
        let r = RoundOff::NearestRupee;
        assert_eq!(r.round_off(Paise::new(2_647_66)), Paise::new(34));
        assert_eq!(r.round_off(Paise::new(2_647_50)), Paise::new(50));
        assert_eq!(r.round_off(Paise::new(2_647_49)), Paise::new(-49));
        assert_eq!(r.round_off(Paise::new(2_647_01)), Paise::new(-1));
        assert_eq!(r.round_off(Paise::new(2_647_00)), Paise::ZERO);
        assert_eq!(r.round_off(Paise::ZERO), Paise::ZERO);
        let bill = r.apply(Paise::new(2_647_66)).unwrap();
        assert_eq!(bill.payable, Paise::from_rupees(2_648));
        assert_eq!(
            r.apply(Paise::new(2_647_34)).unwrap().payable,
            Paise::from_rupees(2_647)
        );
    }

    #[test]
    fn no_rounding_pays_the_total_to_the_paisa() {
        let bill = RoundOff::None.apply(Paise::new(2_647_66)).unwrap();
        assert_eq!(bill.round_off, Paise::ZERO);
        assert_eq!(bill.payable, Paise::new(2_647_66));
    }

    #[test]
    fn the_largest_amounts_round_without_overflowing() {
        // i64::MAX ends in 07 paise, so it rounds down; rounding never leaves i64.
        let top = RoundOff::NearestRupee.apply(Paise::new(i64::MAX)).unwrap();
        assert_eq!(top.round_off, Paise::new(-7));
        assert_eq!(top.payable.get() % 100, 0);
        let bottom = RoundOff::NearestRupee.apply(Paise::new(i64::MIN)).unwrap();
        assert_eq!(bottom.payable.get() % 100, 0);
    }

    #[test]
    fn the_setting_reads_as_spelled_and_defaults_to_the_rupee() {
        assert_eq!(RoundOff::default(), RoundOff::NearestRupee);
        assert_eq!(
            "nearest-rupee".parse::<RoundOff>().unwrap(),
            RoundOff::NearestRupee
        );
        assert_eq!("NONE".parse::<RoundOff>().unwrap(), RoundOff::None);
        assert!("ten rupees".parse::<RoundOff>().is_err());
        for r in RoundOff::ALL {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
    }

    #[test]
    fn round_offs_print_with_their_sign() {
        assert_eq!(format_round_off(Paise::new(34)), "+₹0.34");
        assert_eq!(format_round_off(Paise::new(-66)), "\u{2212}₹0.66");
        assert_eq!(format_round_off(Paise::ZERO), "₹0.00");
    }

    proptest! {
        #[test]
        fn rounding_moves_at_most_fifty_paise_to_a_whole_rupee(total in 0i64..1_000_000_000_00) {
            let total = Paise::new(total);
            let near = RoundOff::NearestRupee.apply(total).unwrap();
            prop_assert!((-49..=50).contains(&near.round_off.get()));
            prop_assert_eq!(near.payable.get() % 100, 0);
            prop_assert_eq!(near.payable.get() - total.get(), near.round_off.get());
            let none = RoundOff::None.apply(total).unwrap();
            prop_assert_eq!(none.payable, total);
            prop_assert_eq!(none.round_off, Paise::ZERO);
        }
    }
}
