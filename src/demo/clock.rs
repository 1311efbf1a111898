//! When demo records happen: moments during shop hours in the store's time zone, all
//! of them before the moment the demo was made.
//!
//! The store's history runs up to yesterday's closing, so the same seed makes the same
//! customers and sales whatever the time of day; only today's rate board, walk-ins and
//! follow-ups depend on the hour, and each is kept at or before [`Clock::now`].

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use rand::RngExt;
use rand::rngs::StdRng;

/// The shop opens at 11:00 and closes at 20:30.
const OPENING_HOUR: i8 = 11;
const SHOP_HOURS_SECS: i64 = 9 * 3600 + 1800;

/// The moment the demo is made and the store's calendar around it.
#[derive(Debug, Clone)]
pub struct Clock {
    /// When the run started; no record is dated after it.
    pub now: Timestamp,
    pub tz: TimeZone,
    /// `now`'s date in the store's zone.
    pub today: Date,
    /// The last full day of trading, which the store's history runs up to.
    pub yesterday: Date,
}

impl Clock {
    pub fn new(now: Timestamp, tz: TimeZone) -> Self {
        let today = now.to_zoned_datetime(tz.clone()).date();
        let yesterday = today.yesterday().unwrap_or(today);
        Self {
            now,
            tz,
            today,
            yesterday,
        }
    }

    /// `hour:minute` on `day` in the store's zone.
    pub fn at(&self, day: Date, hour: i8, minute: i8) -> Timestamp {
        day.at(hour, minute, 0, 0)
            .to_zoned_datetime(self.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The day `at` falls on in the store's zone.
    pub fn day_of(&self, at: Timestamp) -> Date {
        at.to_zoned_datetime(self.tz.clone()).date()
    }

    /// `day` moved by `days` (negative: earlier).
    pub fn add_days(day: Date, days: i64) -> Date {
        day.checked_add(Span::new().days(days)).unwrap_or(day)
    }

    /// A day between `from` and `to`, both included.
    pub fn day_between(rng: &mut StdRng, from: Date, to: Date) -> Date {
        let days: i64 = (to - from).get_days().into();
        Self::add_days(from, rng.random_range(0..=days.max(0)))
    }

    /// A moment during shop hours on `day`, which must not be after yesterday (use
    /// [`Clock::moment_today`] for today).
    pub fn shop_moment(&self, rng: &mut StdRng, day: Date) -> Timestamp {
        let opening = self.at(day, OPENING_HOUR, 0);
        opening
            .saturating_add(SignedDuration::from_secs(
                rng.random_range(0..SHOP_HOURS_SECS),
            ))
            .unwrap_or(opening)
    }

    /// A moment during shop hours on a day between `from` and `to`, capped at yesterday.
    pub fn shop_moment_between(&self, rng: &mut StdRng, from: Date, to: Date) -> Timestamp {
        let day = Self::day_between(rng, from, to.min(self.yesterday));
        self.shop_moment(rng, day)
    }

    /// A moment after `after` on the same or a later day, up to `days_later` days on,
    /// never after yesterday's closing.
    pub fn later_moment(&self, rng: &mut StdRng, after: Timestamp, days_later: i64) -> Timestamp {
        let first = self.day_of(after);
        let last = Self::add_days(first, days_later).min(self.yesterday);
        let day = Self::day_between(rng, first, last.max(first));
        let moment = self.shop_moment(rng, day);
        if moment > after {
            moment
        } else {
            let closing = self.at(first, 20, 30).max(after);
            let room = closing.duration_since(after).as_secs().max(1);
            after
                .saturating_add(SignedDuration::from_secs(rng.random_range(0..room)))
                .unwrap_or(after)
                .min(self.now)
        }
    }

    /// A moment today between `from_hour` and now (or the hour, if now is earlier: then
    /// a moment between midnight and now).
    pub fn moment_today(&self, rng: &mut StdRng, from_hour: i8, minutes: i64) -> Timestamp {
        let wanted = self
            .at(self.today, from_hour, 0)
            .saturating_add(SignedDuration::from_mins(
                rng.random_range(0..minutes.max(1)),
            ))
            .unwrap_or(self.now);
        if wanted <= self.now {
            return wanted;
        }
        let midnight = self.at(self.today, 0, 0);
        let room = self.now.duration_since(midnight).as_secs().max(0);
        midnight
            .saturating_add(SignedDuration::from_secs(rng.random_range(0..=room)))
            .unwrap_or(midnight)
            .min(self.now)
    }

    /// Whether the shop has opened today by now.
    pub fn open_today(&self) -> bool {
        self.at(self.today, OPENING_HOUR, 0) < self.now
    }

    /// A moment today between opening and now; only when [`Clock::open_today`].
    pub fn moment_since_opening(&self, rng: &mut StdRng) -> Timestamp {
        let opening = self.at(self.today, OPENING_HOUR, 0);
        let room = self
            .now
            .duration_since(opening)
            .as_secs()
            .clamp(0, SHOP_HOURS_SECS);
        opening
            .saturating_add(SignedDuration::from_secs(rng.random_range(0..=room)))
            .unwrap_or(opening)
            .min(self.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn clock(at: &str) -> Clock {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        let now: Timestamp = at.parse().unwrap();
        Clock::new(now, tz)
    }

    #[test]
    fn every_moment_is_before_now_even_before_opening() {
        // 04:25 in Kolkata: the shop has not opened yet today.
        let early = clock("2026-12-06T22:55:00Z");
        assert_eq!(early.today, jiff::civil::date(2026, 12, 7));
        assert!(!early.open_today());
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..500 {
            let from = Clock::add_days(early.today, -30);
            assert!(early.shop_moment_between(&mut rng, from, early.today) < early.now);
            let rate_time = early.moment_today(&mut rng, 10, 45);
            assert!(rate_time <= early.now && early.day_of(rate_time) == early.today);
            let start = early.shop_moment(&mut rng, early.yesterday);
            assert!(early.later_moment(&mut rng, start, 5) <= early.now);
        }
        // 15:00 in Kolkata: moments since opening are today and not after now.
        let open = clock("2026-12-07T09:30:00Z");
        assert!(open.open_today());
        for _ in 0..500 {
            let walk_in = open.moment_since_opening(&mut rng);
            assert!(walk_in <= open.now && open.day_of(walk_in) == open.today);
        }
    }
}
