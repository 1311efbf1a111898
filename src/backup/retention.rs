//! Which backups to keep: the newest of each of the last N hours, days, weeks and
//! months (in the store's time zone), and always the newest of all. Pure, so it is
//! tested without a bucket.

use jiff::Timestamp;
use jiff::tz::TimeZone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    pub hourly: u32,
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

/// Numbers a backup's local time by the hour, day, week or month it falls in.
type PeriodOf = fn(&jiff::ZonedDateTime) -> i64;

/// The ids among `backups` that no rule keeps.
pub fn to_remove(backups: &[(String, Timestamp)], keep: Keep, tz: &TimeZone) -> Vec<String> {
    let mut newest_first: Vec<&(String, Timestamp)> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let mut kept = vec![false; newest_first.len()];
    if let Some(first) = kept.first_mut() {
        *first = true;
    }
    let periods: [(u32, PeriodOf); 4] = [
        (keep.hourly, |t| {
            i64::from(t.year()) * 1_000_000 + i64::from(t.day_of_year()) * 100 + i64::from(t.hour())
        }),
        (keep.daily, |t| {
            i64::from(t.year()) * 1000 + i64::from(t.day_of_year())
        }),
        (keep.weekly, |t| {
            let week = t.date().iso_week_date();
            i64::from(week.year()) * 100 + i64::from(week.week())
        }),
        (keep.monthly, |t| {
            i64::from(t.year()) * 100 + i64::from(t.month())
        }),
    ];
    for (limit, period_of) in periods {
        let mut last_period = None;
        let mut count = 0;
        for (index, (_, at)) in newest_first.iter().enumerate() {
            if count >= limit {
                break;
            }
            let period = period_of(&at.to_zoned_datetime(tz.clone()));
            if last_period != Some(period) {
                last_period = Some(period);
                kept[index] = true;
                count += 1;
            }
        }
    }
    newest_first
        .iter()
        .zip(kept)
        .filter(|(_, keep)| !keep)
        .map(|((id, _), _)| id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn ids(list: &[(&str, &str)]) -> Vec<(String, Timestamp)> {
        list.iter().map(|(id, t)| (id.to_string(), at(t))).collect()
    }

    #[test]
    fn keeps_the_newest_of_each_period_up_to_the_limits() {
        let tz = TimeZone::get("Asia/Kolkata").unwrap();
        // Four backups a day (every 6 hours) for ten days.
        let mut backups = Vec::new();
        for day in 1..=10 {
            for hour in [0, 6, 12, 18] {
                backups.push((
                    format!("d{day:02}h{hour:02}"),
                    at(&format!("2026-11-{day:02}T{hour:02}:00:00Z")),
                ));
            }
        }
        let keep = Keep {
            hourly: 3,
            daily: 4,
            weekly: 0,
            monthly: 0,
        };
        let removed = to_remove(&backups, keep, &tz);
        let kept: Vec<&str> = backups
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !removed.iter().any(|r| r == id))
            .collect();
        // The last three hourly slots, and the newest backup of each of the last four
        // local days (18:00Z is 23:30 in Kolkata, the day's last).
        assert_eq!(
            kept,
            ["d07h18", "d08h18", "d09h18", "d10h06", "d10h12", "d10h18"]
        );
    }

    #[test]
    fn always_keeps_the_newest_even_with_every_limit_at_zero() {
        let tz = TimeZone::UTC;
        let backups = ids(&[("a", "2026-01-01T00:00:00Z"), ("b", "2026-02-01T00:00:00Z")]);
        let zero = Keep {
            hourly: 0,
            daily: 0,
            weekly: 0,
            monthly: 0,
        };
        assert_eq!(to_remove(&backups, zero, &tz), ["a"]);
        assert!(to_remove(&[], zero, &tz).is_empty());
    }

    #[test]
    fn monthly_and_weekly_reach_back_further_than_daily() {
        let tz = TimeZone::UTC;
        let backups = ids(&[
            ("jan", "2026-01-15T00:00:00Z"),
            ("feb", "2026-02-15T00:00:00Z"),
            ("mar-a", "2026-03-02T00:00:00Z"),
            ("mar-b", "2026-03-20T00:00:00Z"),
        ]);
        let keep = Keep {
            hourly: 0,
            daily: 1,
            weekly: 0,
            monthly: 2,
        };
        assert_eq!(to_remove(&backups, keep, &tz), ["mar-a", "jan"]);
    }
}
