//! When the next backup is due: `every_hours` after the last one, or the next nightly
//! time after it, whichever comes first. Pure, so it is tested without a clock.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The next time a snapshot is due. With no snapshot yet it is due at once.
pub fn next_due(
    last: Option<Timestamp>,
    every_hours: u32,
    nightly_at: Option<jiff::civil::Time>,
    tz: &TimeZone,
) -> Option<Timestamp> {
    let Some(last) = last else {
        return (every_hours > 0 || nightly_at.is_some()).then(Timestamp::now);
    };
    let interval = (every_hours > 0)
        .then(|| {
            last.checked_add(SignedDuration::from_hours(i64::from(every_hours)))
                .ok()
        })
        .flatten();
    let nightly = nightly_at.and_then(|time| {
        let local = last.to_zoned_datetime(tz.clone());
        let today = local
            .date()
            .to_datetime(time)
            .to_zoned_datetime(tz.clone())
            .ok()?;
        let next = if today.timestamp() > last {
            today
        } else {
            local
                .date()
                .tomorrow()
                .ok()?
                .to_datetime(time)
                .to_zoned_datetime(tz.clone())
                .ok()?
        };
        Some(next.timestamp())
    });
    match (interval, nightly) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn every_six_hours_plus_a_nightly_one() {
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        let two_thirty = Some(jiff::civil::time(2, 30, 0, 0));
        // 18:00 Kolkata: six hours later is midnight, before 02:30.
        assert_eq!(
            next_due(Some(at("2026-11-24T12:30:00Z")), 6, two_thirty, &kolkata),
            Some(at("2026-11-24T18:30:00Z"))
        );
        // 23:00 Kolkata: the nightly 02:30 comes before 05:00.
        assert_eq!(
            next_due(Some(at("2026-11-24T17:30:00Z")), 6, two_thirty, &kolkata),
            Some(at("2026-11-24T21:00:00Z"))
        );
        // Nightly only.
        assert_eq!(
            next_due(Some(at("2026-11-24T21:00:00Z")), 0, two_thirty, &kolkata),
            Some(at("2026-11-25T21:00:00Z"))
        );
        assert_eq!(
            next_due(Some(at("2026-11-24T21:00:00Z")), 0, None, &kolkata),
            None
        );
    }

    #[test]
    fn the_first_backup_is_due_at_once() {
        let before = Timestamp::now();
        let due = next_due(None, 6, None, &TimeZone::UTC).unwrap();
        assert!(due >= before && due <= Timestamp::now());
        assert_eq!(next_due(None, 0, None, &TimeZone::UTC), None);
    }
}
