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

/// Paise as a plain rupee figure for an input box: `5000000` → `50000`, `5050` → `50.50`.
pub fn paise_for_input(paise: i64) -> String {
    if paise % 100 == 0 {
        (paise / 100).to_string()
    } else {
        format!("{}.{:02}", paise / 100, (paise % 100).abs())
    }
}

/// Milligrams as grams for an input box: `25450` → `25.45`, `4000` → `4`.
pub fn grams_for_input(mg: i64) -> String {
    let text = format!("{}.{:03}", mg / 1000, (mg % 1000).abs());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Basis points as a percent for an input box: `1250` → `12.5`.
pub fn percent_for_input(bp: u32) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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
    fn paise_fill_an_input_box_as_plain_rupees() {
        assert_eq!(paise_for_input(50_50), "50.50");
        assert_eq!(paise_for_input(50_000_00), "50000");
    }
}
