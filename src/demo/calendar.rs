//! When a Kolkata jeweller sells: festivals, wedding seasons, Sundays; what gold,
//! silver and platinum cost on a given day, and the rate boards the owner set.

use jiff::civil::{Date, date};
use rand::RngExt;
use rand::rngs::StdRng;

use super::clock::Clock;
use crate::domain::jewellery_calendar::{Festival, festival_dates};
use crate::domain::{Metal, MetalRate, Paise, Purity, RateId, StoreId, UserId, board_purities};

fn days_between(a: Date, b: Date) -> i64 {
    (b - a).get_days().into()
}

/// How busy a day is compared with an ordinary weekday (1.0).
pub fn demand(day: Date) -> f64 {
    let mut weight = 1.0;
    // Bengali wedding season: mid-November to early March, and late April to June.
    let m = day.month();
    if matches!(m, 11 | 12 | 1 | 2) || (m == 3 && day.day() < 10) || matches!(m, 5 | 6) {
        weight *= 1.6;
    }
    if matches!(m, 7 | 8) {
        weight *= 0.7; // monsoon lull
    }
    // Festival dates come from the jewellery calendar's table (2019–2032).
    for festival in festival_dates(Festival::Dhanteras) {
        let d = days_between(festival, day);
        if (-10..=2).contains(&d) {
            weight *= match d {
                0 => 9.0,
                -1 | 1 => 4.0,
                2 => 3.0,
                _ => 1.8,
            };
        }
    }
    for festival in
        festival_dates(Festival::AkshayaTritiya).chain(festival_dates(Festival::PoilaBaishakh))
    {
        let d = days_between(festival, day);
        if d == 0 {
            weight *= 5.0;
        } else if (-3..0).contains(&d) {
            weight *= 1.8;
        }
    }
    if day.weekday() == jiff::civil::Weekday::Sunday {
        weight *= 1.35;
    }
    weight
}

/// A smooth, believable rate curve through figures jewellers quoted (₹ per gram of
/// fine metal), linearly interpolated between points.
fn fine_rate_rupees(metal: Metal, day: Date) -> f64 {
    let points: &[(Date, f64)] = match metal {
        Metal::Gold => &[
            (date(2024, 1, 1), 6_350.0),
            (date(2024, 11, 1), 8_050.0),
            (date(2025, 4, 20), 9_800.0),
            (date(2025, 10, 15), 12_950.0),
            (date(2026, 3, 1), 12_400.0),
            (date(2026, 11, 30), 13_600.0),
            (date(2027, 6, 30), 13_900.0),
            (date(2027, 12, 31), 14_350.0),
        ],
        Metal::Silver => &[
            (date(2024, 1, 1), 76.0),
            (date(2024, 11, 1), 98.0),
            (date(2025, 4, 20), 100.0),
            (date(2025, 10, 15), 175.0),
            (date(2026, 11, 30), 168.0),
            (date(2027, 12, 31), 181.0),
        ],
        Metal::Platinum | Metal::Other => &[
            (date(2024, 1, 1), 2_650.0),
            (date(2025, 6, 1), 3_300.0),
            (date(2025, 10, 15), 5_100.0),
            (date(2026, 11, 30), 5_300.0),
            (date(2027, 12, 31), 5_480.0),
        ],
    };
    let (first, last) = (points[0], points[points.len() - 1]);
    // A small daily wobble so consecutive days differ, as real rates do.
    let wobble = 1.0 + 0.004 * ((days_between(first.0, day) as f64) * 0.9).sin();
    if day <= first.0 {
        return first.1 * wobble;
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if day <= b.0 {
            let span = days_between(a.0, b.0) as f64;
            let t = days_between(a.0, day) as f64 / span;
            return (a.1 + (b.1 - a.1) * t) * wobble;
        }
    }
    last.1 * wobble
}

/// How many days of rate boards the demo store has: a year, today included.
pub const RATE_DAYS: i64 = 365;

/// One board a day for the last [`RATE_DAYS`] days, each purity of the board priced
/// from the curve, set in the morning before the shop opens (today's at or before the
/// run), by `set_by`.
pub fn daily_boards(
    rng: &mut StdRng,
    clock: &Clock,
    store: StoreId,
    set_by: UserId,
) -> Vec<MetalRate> {
    let purities = board_purities();
    let mut out = Vec::with_capacity(purities.len() * RATE_DAYS as usize);
    for back in (0..RATE_DAYS).rev() {
        let day = Clock::add_days(clock.today, -back);
        let set_at = if back == 0 {
            clock.moment_today(rng, 10, 45)
        } else {
            clock.at(day, 10, rng.random_range(0..45))
        };
        for &purity in &purities {
            out.push(MetalRate {
                id: RateId::created_at(set_at),
                store_id: store,
                purity,
                per_gram: rate_per_gram(purity, day),
                set_by,
                set_at,
            });
        }
    }
    out
}

/// The day's selling rate for a purity, in paise per gram.
pub fn rate_per_gram(purity: Purity, day: Date) -> Paise {
    let fine = fine_rate_rupees(purity.metal(), day);
    let rupees = fine * f64::from(purity.fineness()) / 999.0;
    Paise::new((rupees * 100.0).round() as i64)
}

/// `count` sale days between `from` and `to`, drawn by each day's demand, sorted.
pub fn seasonal_days(rng: &mut StdRng, from: Date, to: Date, count: usize) -> Vec<Date> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        days.push(day);
        day = day.tomorrow().unwrap_or(to);
        if day == to && days.last() == Some(&to) {
            break;
        }
    }
    let weights: Vec<f64> = days.iter().map(|d| demand(*d)).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut running = 0.0;
    for w in &weights {
        running += w / total;
        cumulative.push(running);
    }
    let mut picked: Vec<Date> = (0..count)
        .map(|_| {
            let roll: f64 = rng.random();
            let index = cumulative
                .partition_point(|c| *c < roll)
                .min(days.len() - 1);
            days[index]
        })
        .collect();
    picked.sort();
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhanteras_is_the_busiest_day() {
        assert!(demand(date(2025, 10, 18)) > 5.0 * demand(date(2025, 9, 10)));
    }

    /// The demo read its festival dates from its own short lists before the jewellery
    /// calendar existed; on the days those lists covered the demand is unchanged.
    #[test]
    fn demand_on_the_festival_days_the_demo_always_had_is_unchanged() {
        let cases = [
            (date(2024, 10, 29), 9.0),             // Dhanteras, a Tuesday
            (date(2025, 10, 18), 9.0),             // Dhanteras, a Saturday
            (date(2025, 4, 30), 5.0),              // Akshaya Tritiya
            (date(2026, 4, 15), 5.0),              // Poila Baishakh
            (date(2026, 4, 17), 1.8),              // two days before Akshaya Tritiya
            (date(2026, 11, 6), 1.6 * 9.0),        // Dhanteras in the wedding season
            (date(2026, 11, 1), 1.6 * 1.8 * 1.35), // a run-up Sunday
        ];
        for (day, expected) in cases {
            assert!(
                (demand(day) - expected).abs() < 1e-9,
                "{day}: {}",
                demand(day)
            );
        }
    }

    #[test]
    fn the_curve_moves_gently_from_day_to_day() {
        let gold = Purity::parse(Metal::Gold, "22K").unwrap();
        let mut day = date(2025, 1, 1);
        while day < date(2027, 12, 31) {
            let next = day.tomorrow().unwrap();
            let (a, b) = (rate_per_gram(gold, day), rate_per_gram(gold, next));
            let step = (b.get() - a.get()).abs() as f64 / a.get() as f64;
            assert!(a != b && step < 0.01, "{day}: {a} then {b}");
            day = next;
        }
    }

    #[test]
    fn twenty_two_karat_costs_less_than_twenty_four() {
        let day = date(2026, 11, 24);
        let k22 = rate_per_gram(Purity::parse(Metal::Gold, "22K").unwrap(), day);
        let k24 = rate_per_gram(Purity::parse(Metal::Gold, "24K").unwrap(), day);
        assert!(k22 < k24 && k22.get() > 10_000_00, "{k22} {k24}");
    }
}
