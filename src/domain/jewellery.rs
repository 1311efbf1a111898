//! Metals, purities, BIS hallmark HUIDs and making charges.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{BasisPoints, InvalidValue, Paise};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Metal {
    Gold,
    Silver,
    Platinum,
    /// Diamonds, gemstones and anything not priced by a metal rate.
    Other,
}

impl Metal {
    pub const ALL: &'static [Metal] = &[Metal::Gold, Metal::Silver, Metal::Platinum, Metal::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Metal::Gold => "GOLD",
            Metal::Silver => "SILVER",
            Metal::Platinum => "PLATINUM",
            Metal::Other => "OTHER",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metal::Gold => "Gold",
            Metal::Silver => "Silver",
            Metal::Platinum => "Platinum",
            Metal::Other => "Other",
        }
    }
}

impl std::str::FromStr for Metal {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase();
        Metal::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == wanted)
            .ok_or_else(|| {
                InvalidValue::new(format!(
                    "'{}' is not one of GOLD, SILVER, PLATINUM, OTHER",
                    s.trim()
                ))
            })
    }
}

/// Gold karats that BIS hallmarks, as fineness per thousand.
const GOLD_GRADES: &[(u16, &str)] = &[
    (999, "24K"),
    (995, "24K 995"),
    (958, "23K"),
    (916, "22K"),
    (833, "20K"),
    (750, "18K"),
    (585, "14K"),
    (375, "9K"),
];
const SILVER_GRADES: &[u16] = &[999, 970, 925, 900, 835, 800];
const PLATINUM_GRADES: &[u16] = &[999, 950, 900, 850];

/// Fineness in parts per thousand (22K gold is 916, sterling silver 925), valid for
/// its metal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Purity {
    metal: Metal,
    fineness: u16,
}

impl Purity {
    /// Reads `22K`, `22k`, `22 carat`, `916` (gold) or `925` (silver), checked against
    /// the grades hallmarked for the metal.
    pub fn parse(metal: Metal, input: &str) -> Result<Self, InvalidValue> {
        let s = input.trim().to_ascii_uppercase();
        let karat = s
            .strip_suffix("CARAT")
            .or_else(|| s.strip_suffix("KT"))
            .or_else(|| s.strip_suffix('K'))
            .map(str::trim);
        let fineness = match (metal, karat) {
            (Metal::Gold, Some(k)) => {
                let label = format!("{k}K");
                GOLD_GRADES
                    .iter()
                    .find(|(_, l)| *l == label)
                    .map(|(f, _)| *f)
                    .ok_or_else(|| InvalidValue::new(format!("'{input}' is not a hallmarked gold purity; use 24K, 23K, 22K, 20K, 18K, 14K or 9K")))?
            }
            (_, Some(_)) => {
                return Err(InvalidValue::new(format!(
                    "karats apply to gold only; give {} purity as fineness, e.g. 925",
                    metal.label().to_lowercase()
                )));
            }
            (_, None) => s.parse::<u16>().map_err(|_| {
                InvalidValue::new(format!(
                    "'{input}' is not a purity; use e.g. 22K for gold or 925 for silver"
                ))
            })?,
        };
        Self::from_fineness(metal, fineness)
    }

    pub fn from_fineness(metal: Metal, fineness: u16) -> Result<Self, InvalidValue> {
        let allowed: Vec<u16> = match metal {
            Metal::Gold => GOLD_GRADES.iter().map(|(f, _)| *f).collect(),
            Metal::Silver => SILVER_GRADES.to_vec(),
            Metal::Platinum => PLATINUM_GRADES.to_vec(),
            Metal::Other => (1..=1000).collect(),
        };
        if !allowed.contains(&fineness) {
            let list: Vec<String> = allowed.iter().map(u16::to_string).collect();
            return Err(InvalidValue::new(format!(
                "{fineness} is not a {} purity; use one of {}",
                metal.label().to_lowercase(),
                list.join(", ")
            )));
        }
        Ok(Self { metal, fineness })
    }

    pub fn metal(self) -> Metal {
        self.metal
    }

    pub fn fineness(self) -> u16 {
        self.fineness
    }

    /// Karats are shown for gold (`22K`), fineness for other metals (`925`).
    pub fn label(self) -> String {
        if self.metal == Metal::Gold
            && let Some((_, label)) = GOLD_GRADES.iter().find(|(f, _)| *f == self.fineness)
        {
            return (*label).to_owned();
        }
        self.fineness.to_string()
    }
}

impl std::fmt::Display for Purity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// BIS Hallmark Unique ID: six characters, letters and digits (`AB12C3`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Huid(String);

impl Huid {
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let huid = input.trim().to_ascii_uppercase();
        if huid.len() != 6 || !huid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(InvalidValue::new(
                "is not a HUID: it is 6 letters and digits, as engraved on the piece, e.g. AB12C3",
            ));
        }
        Ok(Self(huid))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Huid {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Huid> for String {
    fn from(value: Huid) -> String {
        value.0
    }
}

impl std::fmt::Display for Huid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The jeweller's labour charge: per gram of net weight, a percentage of the metal
/// value, or a flat amount per piece. In JSON: `{"per_gram_paise": 45000}`,
/// `{"percent_bp": 1200}` or `{"flat_paise": 250000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MakingCharge {
    #[schema(value_type = i64)]
    PerGramPaise(Paise),
    #[schema(value_type = u32)]
    PercentBp(BasisPoints),
    #[schema(value_type = i64)]
    FlatPaise(Paise),
}

impl MakingCharge {
    /// The charge for a piece of `net_mg` milligrams whose metal is worth `metal_value`.
    pub fn amount(self, net_mg: super::Milligrams, metal_value: Paise) -> Paise {
        match self {
            MakingCharge::PerGramPaise(rate) => Paise::new(super::money::round_div(
                i128::from(rate.get()) * i128::from(net_mg.get()),
                1000,
            ) as i64),
            MakingCharge::PercentBp(bp) => metal_value.percent(bp),
            MakingCharge::FlatPaise(flat) => flat,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Milligrams;

    #[test]
    fn purity_for_each_metal() {
        assert_eq!(Purity::parse(Metal::Gold, "22k").unwrap().fineness(), 916);
        assert_eq!(Purity::parse(Metal::Gold, "916").unwrap().label(), "22K");
        assert_eq!(
            Purity::parse(Metal::Gold, "18 carat").unwrap().fineness(),
            750
        );
        assert_eq!(Purity::parse(Metal::Silver, "925").unwrap().label(), "925");
        assert!(Purity::parse(Metal::Gold, "21K").is_err());
        assert!(Purity::parse(Metal::Silver, "22K").is_err());
        assert!(Purity::parse(Metal::Platinum, "925").is_err());
    }

    #[test]
    fn huid_shape() {
        assert_eq!(Huid::parse("ab12c3").unwrap().as_str(), "AB12C3");
        assert!(Huid::parse("AB12C").is_err());
        assert!(Huid::parse("AB-2C3").is_err());
    }

    #[test]
    fn making_charge_amounts() {
        let net = Milligrams::new(10_500).unwrap();
        let per_gram = MakingCharge::PerGramPaise(Paise::new(450_00));
        assert_eq!(per_gram.amount(net, Paise::ZERO), Paise::new(4_725_00));
        let percent = MakingCharge::PercentBp(BasisPoints::new(1_200).unwrap());
        assert_eq!(
            percent.amount(net, Paise::new(1_00_000_00)),
            Paise::new(12_000_00)
        );
    }
}
