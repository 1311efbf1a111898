//! Dates as Indian staff read them, and the April–March financial year.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The current time at the precision records store (microseconds), so a value read
/// back equals the value written.
pub fn now() -> Timestamp {
    Timestamp::from_microsecond(Timestamp::now().as_microsecond()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// `24 Nov 2026`.
pub fn format_date(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// `24 Nov 2026, 18:05` in the store's time zone.
pub fn format_date_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%-d %b %Y, %H:%M")
        .to_string()
}

/// How long ago, or how long, in the largest sensible unit: `less than a minute`,
/// `1 minute`, `40 minutes`, `1 hour`, `30 hours`, and days from 48 hours on.
pub fn format_elapsed(elapsed: SignedDuration) -> String {
    let minutes = elapsed.as_mins().max(0);
    match minutes {
        0 => "less than a minute".to_owned(),
        1 => "1 minute".to_owned(),
        2..=59 => format!("{minutes} minutes"),
        60..=119 => "1 hour".to_owned(),
        120..=2879 => format!("{} hours", minutes / 60),
        _ => format!("{} days", minutes / (24 * 60)),
    }
}

/// An Indian financial year, 1 April to 31 March, named by its first calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i16);

impl FinancialYear {
    pub fn containing(date: Date) -> Self {
        if date.month() >= 4 {
            Self(date.year())
        } else {
            Self(date.year() - 1)
        }
    }

    pub fn start_year(self) -> i16 {
        self.0
    }

    /// `2026-27`, as printed on reports (and in invoice numbers issued before the short
    /// form).
    pub fn label(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1) % 100)
    }

    /// `26-27`, as printed in invoice numbers.
    pub fn short_label(self) -> String {
        format!(
            "{:02}-{:02}",
            self.0.rem_euclid(100),
            (self.0 + 1).rem_euclid(100)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_short_label_keeps_two_digits_of_each_year() {
        assert_eq!(
            FinancialYear::containing(date(2026, 11, 24)).short_label(),
            "26-27"
        );
        assert_eq!(
            FinancialYear::containing(date(2100, 1, 1)).short_label(),
            "99-00"
        );
        assert_eq!(
            FinancialYear::containing(date(2009, 4, 1)).short_label(),
            "09-10"
        );
    }

    #[test]
    fn financial_year_turns_on_first_april() {
        assert_eq!(
            FinancialYear::containing(date(2027, 3, 31)).label(),
            "2026-27"
        );
        assert_eq!(
            FinancialYear::containing(date(2027, 4, 1)).label(),
            "2027-28"
        );
        assert_eq!(
            FinancialYear::containing(date(2099, 12, 1)).label(),
            "2099-00"
        );
    }

    #[test]
    fn backup_ages_read_in_minutes_then_hours() {
        let mins = SignedDuration::from_mins;
        let age = format_elapsed;
        assert_eq!(age(mins(0)), "less than a minute");
        assert_eq!(age(mins(1)), "1 minute");
        assert_eq!(age(mins(59)), "59 minutes");
        assert_eq!(age(mins(61)), "1 hour");
        assert_eq!(age(mins(30 * 60 + 5)), "30 hours");
        assert_eq!(age(mins(-5)), "less than a minute");
    }

    #[test]
    fn dates_read_like_a_person_writes_them() {
        assert_eq!(format_date(date(2026, 11, 24)), "24 Nov 2026");
        let at: Timestamp = "2026-11-24T12:35:00Z".parse().unwrap();
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        assert_eq!(format_date_time(at, &tz), "24 Nov 2026, 18:05");
    }
}

/// Stores a `Timestamp` as whole microseconds since the Unix epoch: compact and cheap
/// to decode, which matters when a million records are read for a reindex.
pub mod micros {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        at.as_microsecond().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let us = i64::deserialize(d)?;
        Timestamp::from_microsecond(us).map_err(serde::de::Error::custom)
    }
}

/// [`micros`] for an optional timestamp.
pub mod micros_opt {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(at: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        at.map(|t| t.as_microsecond()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(|us| Timestamp::from_microsecond(us).map_err(serde::de::Error::custom))
            .transpose()
    }
}
