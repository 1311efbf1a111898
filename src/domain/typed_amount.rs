//! Reading amounts as people type them (`₹1,23,456.50`, `12.345 g`, `12.5%`): the one
//! decimal reader behind `Paise::parse_rupees`, `Milligrams::parse_grams` and
//! `BasisPoints::parse_percent`, and the error each of them answers with.

/// What kind of amount was being read, which sets the wording of its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountKind {
    Rupees,
    Grams,
    Percent,
}

impl AmountKind {
    /// How many decimals the unit allows: paise, milligrams, basis points.
    pub(super) const fn places(self) -> usize {
        match self {
            AmountKind::Rupees | AmountKind::Percent => 2,
            AmountKind::Grams => 3,
        }
    }

    fn example(self) -> &'static str {
        match self {
            AmountKind::Rupees => "write it like 50000 or 50,000.50",
            AmountKind::Grams => "write grams like 12.345",
            AmountKind::Percent => "write it like 12 or 12.5",
        }
    }
}

/// Why typed text is not an amount; the message says what is wrong and how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseAmountError {
    #[error("{}", malformed(*.kind, .raw))]
    Malformed { kind: AmountKind, raw: String },
    #[error(
        "'{raw}' has its commas in odd places; write it like 1,23,456.50 or 123,456.50 (or with no commas)"
    )]
    Grouping { raw: String },
    #[error("'{raw}' is below zero; write it without a minus sign")]
    Negative { raw: String },
    #[error("'{raw}' has more than {} decimals; {}", .kind.places(), .kind.example())]
    TooPrecise { kind: AmountKind, raw: String },
    #[error("'{raw}' is too large; {limit}")]
    TooLarge { raw: String, limit: &'static str },
}

fn malformed(kind: AmountKind, raw: &str) -> String {
    let what = match kind {
        AmountKind::Rupees => "an amount in rupees",
        AmountKind::Grams => "a weight",
        AmountKind::Percent => "a percentage",
    };
    format!("'{raw}' is not {what}; {}", kind.example())
}

/// Reads `raw` as a non-negative decimal of `kind`, scaled to its smallest unit (paise,
/// milligrams, basis points). Only the syntax and `i64`'s range are checked here.
pub(super) fn read_scaled(raw: &str, kind: AmountKind) -> Result<i64, ParseAmountError> {
    let shown = raw.trim();
    let malformed = || ParseAmountError::Malformed {
        kind,
        raw: shown.to_owned(),
    };
    // Spaces carry no meaning (`₹ 50 000`); a lakh written `1,00,000` or `100,000` alike.
    let compact: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    // A minus sign may come before the unit (`-₹5`, as amounts are displayed) or after it.
    let (signed, unsigned) = match compact.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let number = strip_unit(unsigned, kind).ok_or_else(malformed)?;
    let (signed, number) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (signed, number),
    };
    if signed {
        return Err(if number.starts_with(|c: char| c.is_ascii_digit()) {
            ParseAmountError::Negative {
                raw: shown.to_owned(),
            }
        } else {
            malformed()
        });
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole.replace(',', "").as_str()) || !(fraction.is_empty() || digits(fraction)) {
        return Err(malformed());
    }
    if whole.contains(',') && !well_grouped(whole) {
        return Err(ParseAmountError::Grouping {
            raw: shown.to_owned(),
        });
    }
    let places = kind.places();
    if fraction.len() > places {
        return Err(ParseAmountError::TooPrecise {
            kind,
            raw: shown.to_owned(),
        });
    }
    let too_large = || ParseAmountError::TooLarge {
        raw: shown.to_owned(),
        limit: "no amount comes near that; check the digits",
    };
    let whole: i64 = whole.replace(',', "").parse().map_err(|_| too_large())?;
    let fraction: i64 = if places == 0 {
        0
    } else {
        format!("{fraction:0<places$}")
            .parse()
            .map_err(|_| malformed())?
    };
    whole
        .checked_mul(10_i64.pow(places as u32))
        .and_then(|scaled| scaled.checked_add(fraction))
        .ok_or_else(too_large)
}

/// The number without its unit: `₹`, `Rs`, `Rs.` or `INR` before rupees and `/-` after
/// them; `g` after grams; `%` after a percentage. `None` when the unit is another's.
fn strip_unit(text: &str, kind: AmountKind) -> Option<&str> {
    match kind {
        AmountKind::Rupees => {
            let lower = text.to_ascii_lowercase();
            let prefix = ["₹", "rs.", "rs", "inr"]
                .into_iter()
                .find(|p| lower.starts_with(p))
                .map_or(0, str::len);
            let rest = &text[prefix..];
            Some(rest.strip_suffix("/-").unwrap_or(rest))
        }
        AmountKind::Grams => Some(
            text.strip_suffix(['g', 'G'])
                .or_else(|| text.strip_suffix("gm"))
                .unwrap_or(text),
        ),
        AmountKind::Percent => Some(text.strip_suffix('%').unwrap_or(text)),
    }
}

/// Commas as Indian (`12,34,567`) or western (`1,234,567`) grouping: three digits after
/// the last comma, groups of two (Indian) or three (western) before it, and one to
/// three digits in front.
fn well_grouped(whole: &str) -> bool {
    let groups: Vec<&str> = whole.split(',').collect();
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    let sized = |n: usize| middle.iter().all(|g| g.len() == n);
    (1..=3).contains(&first.len()) && last.len() == 3 && (sized(2) || sized(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rupees(raw: &str) -> Result<i64, ParseAmountError> {
        read_scaled(raw, AmountKind::Rupees)
    }

    #[test]
    fn rupees_are_read_with_any_usual_grouping_and_sign_of_the_currency() {
        for (raw, paise) in [
            ("50000", 50_000_00),
            ("50,000", 50_000_00),
            ("1,23,456.50", 1_23_456_50),
            ("123,456.50", 1_23_456_50),
            ("₹2,647.66", 2_647_66),
            ("₹ 1,20,000.5", 1_20_000_50),
            ("Rs. 500", 500_00),
            ("rs 500/-", 500_00),
            ("INR 12", 12_00),
            (" 0.05 ", 5),
            ("7.", 7_00),
            ("12,34,56,789", 12_34_56_789_00),
        ] {
            assert_eq!(rupees(raw), Ok(paise), "{raw}");
        }
    }

    #[test]
    fn odd_rupee_text_says_what_is_wrong() {
        let message = |raw: &str| rupees(raw).unwrap_err().to_string();
        assert_eq!(
            message("abc"),
            "'abc' is not an amount in rupees; write it like 50000 or 50,000.50"
        );
        for negative in ["-5", "-₹2,000.50", "₹-5", "Rs -12"] {
            let said = message(negative);
            assert!(said.contains("below zero"), "{negative}: {said}");
        }
        assert!(message("12.345").contains("more than 2 decimals"));
        assert!(message("50,00").contains("commas in odd places"));
        assert!(message("1,2345").contains("commas in odd places"));
        assert!(message("1,23,4567").contains("commas in odd places"));
        assert!(message("99999999999999999999").contains("too large"));
        for bad in ["", "₹", ".5", "1.2.3", "12e3", "+5", "5 g", "0x10", "१००"] {
            assert!(
                matches!(rupees(bad), Err(ParseAmountError::Malformed { .. })),
                "{bad}: {:?}",
                rupees(bad)
            );
        }
    }

    #[test]
    fn grams_and_percentages_keep_their_own_decimals_and_units() {
        assert_eq!(read_scaled("12.345", AmountKind::Grams), Ok(12_345));
        assert_eq!(read_scaled(" 25.45 g", AmountKind::Grams), Ok(25_450));
        assert_eq!(read_scaled("4 gm", AmountKind::Grams), Ok(4_000));
        assert!(read_scaled("12.3456", AmountKind::Grams).is_err());
        assert!(
            read_scaled("32,5g0", AmountKind::Grams)
                .unwrap_err()
                .to_string()
                .contains("write grams like 12.345")
        );
        assert_eq!(read_scaled("12.5%", AmountKind::Percent), Ok(1_250));
        assert_eq!(read_scaled("12", AmountKind::Percent), Ok(1_200));
        assert!(read_scaled("12.345", AmountKind::Percent).is_err());
        assert!(read_scaled("₹12", AmountKind::Percent).is_err());
    }
}
