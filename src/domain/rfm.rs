//! RFM segments: who a customer is to the store by recency (days since their last
//! purchase), frequency (completed bills) and monetary value (lifetime value), so the
//! owner knows whom to call. The thresholds are fixed, jeweller-sensible ones rather
//! than worked out from each store's own spread: a small store's spread moves with
//! every bill, and a list someone calls from should not change meaning overnight.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CustomerValue, Paise};

/// A customer worth ₹2,00,000 or more over their lifetime: a bridal set, or several
/// good pieces.
pub const HIGH_VALUE: Paise = Paise::from_rupees(2_00_000);
/// Three or more completed bills: someone who comes back.
pub const FREQUENT_PURCHASES: u64 = 3;
/// Bought within 180 days: jewellery is bought a few times a year, around festivals
/// and weddings, not every month.
pub const RECENT_DAYS: i32 = 180;
/// Not seen for more than a year: past one whole festival and wedding season.
pub const LAPSED_DAYS: i32 = 365;
/// A first purchase within 90 days is a new customer to welcome back.
pub const NEW_DAYS: i32 = 90;

/// The segments, in the order a customer is tested for them: each customer who has
/// bought is in exactly one, the first whose rule they meet.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Champions,
    Loyal,
    New,
    AtRisk,
    LapsedHighSpenders,
    NeedsAttention,
    Lapsed,
}

impl Segment {
    pub const ALL: [Segment; 7] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::New,
        Segment::AtRisk,
        Segment::LapsedHighSpenders,
        Segment::NeedsAttention,
        Segment::Lapsed,
    ];

    /// The word in a query string and an export's file name.
    pub fn slug(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::Loyal => "loyal",
            Segment::New => "new",
            Segment::AtRisk => "at_risk",
            Segment::LapsedHighSpenders => "lapsed_high_spenders",
            Segment::NeedsAttention => "needs_attention",
            Segment::Lapsed => "lapsed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::New => "New",
            Segment::AtRisk => "At risk",
            Segment::LapsedHighSpenders => "Lapsed high spenders",
            Segment::NeedsAttention => "Needs attention",
            Segment::Lapsed => "Lapsed",
        }
    }

    /// The rule, in one line, as the page shows it.
    pub fn rule(self) -> &'static str {
        match self {
            Segment::Champions => {
                "Bought in the last 180 days, 3 or more bills, lifetime value ₹2,00,000 or more."
            }
            Segment::Loyal => "3 or more bills and bought within the last year.",
            Segment::New => "One bill so far, bought in the last 90 days.",
            Segment::AtRisk => "Lifetime value ₹2,00,000 or more, last bought 181 to 365 days ago.",
            Segment::LapsedHighSpenders => {
                "Lifetime value ₹2,00,000 or more, no purchase for over a year."
            }
            Segment::NeedsAttention => "Bought within the last year, but not often or much yet.",
            Segment::Lapsed => "Everyone else who has bought: nothing for over a year.",
        }
    }
}

/// Whole days from `last` to `today` in the store's zone (0 for a purchase today).
pub fn days_since(last: Timestamp, today: Date, zone: &TimeZone) -> i32 {
    let day = last.to_zoned_datetime(zone.clone()).date();
    today
        .since(day)
        .map_or(i32::MAX, |span| span.get_days())
        .max(0)
}

/// The segment of a customer with `value` on `today`; `None` for one who never bought.
pub fn segment_of(value: &CustomerValue, today: Date, zone: &TimeZone) -> Option<Segment> {
    let last = value.last_purchase?;
    if value.purchases == 0 {
        return None;
    }
    let recency = days_since(last, today, zone);
    let frequent = value.purchases >= FREQUENT_PURCHASES;
    let high = value.lifetime_value >= HIGH_VALUE;
    Some(if recency <= RECENT_DAYS && frequent && high {
        Segment::Champions
    } else if frequent && recency <= LAPSED_DAYS {
        Segment::Loyal
    } else if value.purchases == 1 && recency <= NEW_DAYS {
        Segment::New
    } else if high && recency <= LAPSED_DAYS && recency > RECENT_DAYS {
        Segment::AtRisk
    } else if high && recency > LAPSED_DAYS {
        Segment::LapsedHighSpenders
    } else if recency <= LAPSED_DAYS {
        Segment::NeedsAttention
    } else {
        Segment::Lapsed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(rupees: i64, purchases: u64, days_ago: i64) -> CustomerValue {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let today: Date = "2026-10-01".parse().unwrap();
        let day = today.checked_sub(jiff::Span::new().days(days_ago)).unwrap();
        let at = zone.to_timestamp(day.at(12, 0, 0, 0)).unwrap();
        CustomerValue {
            lifetime_value: Paise::from_rupees(rupees),
            last_purchase: Some(at),
            purchases,
            walk_ins: 0,
        }
    }

    #[test]
    fn each_buyer_lands_in_the_first_segment_whose_rule_they_meet() {
        let zone = TimeZone::get("Asia/Kolkata").unwrap();
        let today: Date = "2026-10-01".parse().unwrap();
        let cases = [
            (customer(3_00_000, 4, 10), Segment::Champions),
            (customer(2_00_000, 3, 180), Segment::Champions),
            (customer(2_00_000, 3, 181), Segment::Loyal),
            (customer(50_000, 5, 300), Segment::Loyal),
            (customer(40_000, 1, 90), Segment::New),
            (customer(40_000, 1, 91), Segment::NeedsAttention),
            (customer(2_50_000, 2, 181), Segment::AtRisk),
            (customer(2_50_000, 1, 365), Segment::AtRisk),
            (customer(2_50_000, 2, 366), Segment::LapsedHighSpenders),
            (customer(9_00_000, 6, 400), Segment::LapsedHighSpenders),
            (customer(2_50_000, 2, 30), Segment::NeedsAttention),
            (customer(10_000, 2, 366), Segment::Lapsed),
        ];
        for (value, expected) in cases {
            assert_eq!(
                segment_of(&value, today, &zone),
                Some(expected),
                "{value:?}"
            );
        }
        assert_eq!(segment_of(&CustomerValue::default(), today, &zone), None);
    }

    #[test]
    fn slugs_read_back() {
        for segment in Segment::ALL {
            assert_eq!(Segment::from_slug(segment.slug()), Some(segment));
        }
        assert_eq!(Segment::from_slug("vip"), None);
    }
}
