//! The forecast's model and its fit: level × weekday × half-month season × festival
//! uplift, every factor measured from the store's own history.
//!
//! Festival effects are keyed by the number of days from the festival, not by the
//! calendar date, because Dhanteras moves by up to three weeks from year to year. The
//! weekday and season factors are measured on ordinary days only, so a Dhanteras
//! rush does not make October look like a good month.

use jiff::civil::Date;

use super::fixed::{PPM, clamp_factor, clamp_i64, ratio_ppm, scale, shrink_single};
use crate::domain::jewellery_calendar::{Festival, Season, days_from};

/// The days around each festival whose sales are measured separately: Dhanteras
/// from ten days before (the run-up) to three after (Diwali falls one or two days
/// after it), Navratri and Durga Puja up to Dussehra, and three days of run-up to
/// Akshaya Tritiya and Poila Baishakh plus the day after. A day in two windows
/// belongs to the first listed.
pub const FESTIVAL_WINDOWS: [(Festival, i64, i64); 4] = [
    (Festival::Dhanteras, -10, 3),
    (Festival::Dussehra, -9, 0),
    (Festival::AkshayaTritiya, -3, 1),
    (Festival::PoilaBaishakh, -3, 1),
];

/// How many season slots there are: see [`season_slot`].
pub const SEASON_SLOTS: usize = 48;

/// The season slot a day falls in: its half-month (1–15 and 16–end), split again
/// where a wedding season starts or ends inside it, because muhurat windows open and
/// close mid-month (15 November, 10 March). Slot = half-month × 2, plus one on
/// wedding-season days; 0 is 1–15 January outside the season.
pub fn season_slot(day: Date) -> usize {
    let month = usize::try_from(day.month() - 1).unwrap_or(0);
    let half = month * 2 + usize::from(day.day() > 15);
    half * 2 + usize::from(Season::of(day).is_wedding_season())
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(day: Date) -> usize {
    usize::try_from(day.weekday().to_monday_zero_offset()).unwrap_or(0)
}

/// Which festival window (and which day of it) a day is, if any: the index into a
/// flat list of all the windows' days.
pub fn festival_key(day: Date) -> Option<usize> {
    let mut base = 0;
    for (festival, first, last) in FESTIVAL_WINDOWS {
        let reach = first.abs().max(last.abs());
        if let Some(offset) = days_from(festival, day, reach)
            && (first..=last).contains(&offset)
        {
            return usize::try_from(base + offset - first).ok();
        }
        base += last - first + 1;
    }
    None
}

/// How many festival-window days there are in all.
pub fn festival_key_count() -> usize {
    FESTIVAL_WINDOWS
        .iter()
        .map(|(_, first, last)| usize::try_from(last - first + 1).unwrap_or(0))
        .sum()
}

/// The festival and day offset a key stands for.
pub fn festival_of_key(key: usize) -> Option<(Festival, i64)> {
    let mut base = 0usize;
    for (festival, first, last) in FESTIVAL_WINDOWS {
        let len = usize::try_from(last - first + 1).unwrap_or(0);
        if key < base + len {
            return Some((festival, first + i64::try_from(key - base).ok()?));
        }
        base += len;
    }
    None
}

/// The fitted shape of the jewellery year; [`Model::shape`] of a day is how busy it
/// is against an ordinary day, in ppm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// Monday first.
    pub weekday_ppm: [i64; 7],
    /// By [`season_slot`].
    pub season_ppm: [i64; SEASON_SLOTS],
    /// By [`festival_key`].
    pub festival_ppm: Vec<i64>,
}

/// A day of history: its date and takings in paise (zero on days without sales,
/// negative when refunds outweighed sales).
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub date: Date,
    pub paise: i64,
}

impl Model {
    /// Measures the factors from `days`.
    pub fn fit(days: &[Day]) -> Model {
        let ordinary: Vec<&Day> = days
            .iter()
            .filter(|d| festival_key(d.date).is_none())
            .collect();
        let weekday_ppm = weekday_factors(&ordinary);
        let season_ppm = season_factors(&ordinary, &weekday_ppm);
        let mut model = Model {
            weekday_ppm,
            season_ppm,
            festival_ppm: vec![PPM; festival_key_count()],
        };
        model.festival_ppm = festival_factors(days, &model, &ordinary);
        model
    }

    /// How busy `day` is against an ordinary day, in ppm.
    pub fn shape(&self, day: Date) -> i64 {
        let festival = festival_key(day)
            .and_then(|key| self.festival_ppm.get(key).copied())
            .unwrap_or(PPM);
        let weekday = self.weekday_ppm[weekday_index(day)];
        let season = self.season_ppm[season_slot(day)];
        clamp_i64(scale(scale(i128::from(weekday), season), festival))
    }
}

/// Sum and count, for means taken in integers.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    sum: i128,
    count: i128,
}

impl Tally {
    fn add(&mut self, value: i128) {
        self.sum = self.sum.saturating_add(value);
        self.count += 1;
    }
}

/// Each weekday's mean against the mean of all ordinary days.
fn weekday_factors(ordinary: &[&Day]) -> [i64; 7] {
    let mut by_weekday = [Tally::default(); 7];
    let mut all = Tally::default();
    for day in ordinary {
        by_weekday[weekday_index(day.date)].add(i128::from(day.paise));
        all.add(i128::from(day.paise));
    }
    by_weekday.map(|tally| {
        // Mean of the weekday / overall mean = (sum_w × n) / (sum × n_w).
        ratio_ppm(
            tally.sum.saturating_mul(all.count),
            all.sum.saturating_mul(tally.count),
        )
        .filter(|_| tally.count > 0)
        .map_or(PPM, clamp_factor)
    })
}

/// Each season slot's mean, weekday effect taken out, against the mean of all
/// ordinary days; slots never seen stay at 1.0.
fn season_factors(ordinary: &[&Day], weekday_ppm: &[i64; 7]) -> [i64; SEASON_SLOTS] {
    let mut by_half = [Tally::default(); SEASON_SLOTS];
    let mut years: [Vec<i16>; SEASON_SLOTS] = std::array::from_fn(|_| Vec::new());
    let mut all = Tally::default();
    for day in ordinary {
        let weekday = weekday_ppm[weekday_index(day.date)];
        let Some(value) = ratio_ppm(i128::from(day.paise), i128::from(weekday)) else {
            continue;
        };
        let half = season_slot(day.date);
        by_half[half].add(i128::from(value));
        all.add(i128::from(value));
        if !years[half].contains(&day.date.year()) {
            years[half].push(day.date.year());
        }
    }
    let mut out = [PPM; SEASON_SLOTS];
    for (half, tally) in by_half.iter().enumerate() {
        if tally.count == 0 {
            continue;
        }
        if let Some(factor) = ratio_ppm(
            tally.sum.saturating_mul(all.count),
            all.sum.saturating_mul(tally.count),
        ) {
            out[half] = clamp_factor(shrink_single(factor, years[half].len()));
        }
    }
    out
}

/// Each festival day's takings against what an ordinary day with the same weekday
/// and season would have taken, over every year it occurs in.
fn festival_factors(days: &[Day], partial: &Model, ordinary: &[&Day]) -> Vec<i64> {
    let mut ordinary_shape = Tally::default();
    let mut ordinary_paise = Tally::default();
    for day in ordinary {
        ordinary_shape.add(i128::from(partial.shape(day.date)));
        ordinary_paise.add(i128::from(day.paise));
    }
    // What an ordinary day of shape 1.0 takes, in paise.
    let Some(level_paise) = ratio_ppm(ordinary_paise.sum, ordinary_shape.sum) else {
        return vec![PPM; festival_key_count()];
    };
    let mut actual = vec![Tally::default(); festival_key_count()];
    let mut expected = vec![0i128; festival_key_count()];
    for day in days {
        let Some(key) = festival_key(day.date) else {
            continue;
        };
        actual[key].add(i128::from(day.paise));
        expected[key] =
            expected[key].saturating_add(scale(i128::from(partial.shape(day.date)), level_paise));
    }
    actual
        .iter()
        .zip(&expected)
        .map(|(tally, expected)| {
            if tally.count == 0 {
                return PPM;
            }
            ratio_ppm(tally.sum, *expected).map_or(PPM, |f| {
                clamp_factor(shrink_single(f, tally.count as usize))
            })
        })
        .collect()
}
