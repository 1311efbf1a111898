//! How values read on a page: seed enum spellings as words, times in the store's zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::components::sentence;
use crate::domain::format_date_time;

/// `BUSINESS_ADMIN` → `Business admin`, `WALK_IN` → `Walk in`.
pub fn label(seed: &str) -> String {
    sentence(&seed.replace('_', " ").to_lowercase())
}

/// `24 Nov 2026, 18:05 IST`.
pub fn when(at: Timestamp, tz: &TimeZone) -> String {
    let abbreviation = at.to_zoned_datetime(tz.clone()).strftime("%Z").to_string();
    format!("{} {abbreviation}", format_date_time(at, tz))
}

/// A rupee amount as typed (`50000`, `50,000`, `₹ 1,20,000.50`) in paise, or a message.
pub fn rupees_to_paise(raw: &str) -> Result<i64, String> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '₹'))
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let bad = || format!("'{raw}' is not an amount in rupees; write it like 50000 or 50,000.50");
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return Err(bad());
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let rupees: i64 = whole.parse().map_err(|_| bad())?;
    let paise: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    rupees
        .checked_mul(100)
        .and_then(|p| p.checked_add(paise))
        .ok_or_else(bad)
}

/// Paise as a plain rupee figure for an input box: `5000000` → `50000`, `5050` → `50.50`.
pub fn paise_for_input(paise: i64) -> String {
    if paise % 100 == 0 {
        (paise / 100).to_string()
    } else {
        format!("{}.{:02}", paise / 100, (paise % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_spellings_read_as_words() {
        assert_eq!(label("BUSINESS_ADMIN"), "Business admin");
        assert_eq!(label("ACTIVE"), "Active");
    }

    #[test]
    fn rupees_are_read_as_staff_type_them() {
        assert_eq!(rupees_to_paise("50000"), Ok(50_000_00));
        assert_eq!(rupees_to_paise("₹ 1,20,000.5"), Ok(1_20_000_50));
        assert!(rupees_to_paise("12.345").is_err());
        assert!(rupees_to_paise("-5").is_err());
        assert!(rupees_to_paise("abc").is_err());
        assert_eq!(paise_for_input(50_50), "50.50");
    }
}
