//! The revenue forecast for the next 30 and 90 days, and its backtest on the last
//! year, from a store's daily takings.
//!
//! The model is meant to be explained to the owner in a sentence: an ordinary day
//! takes the *level* (the last year's takings with the calendar taken out), times a
//! *weekday* factor, times a *season* factor for the half-month (split where a
//! wedding-muhurat season opens or closes; the monsoon lull shows up here too),
//! times a *festival uplift* for the days around Dhanteras and Diwali, Navratri and
//! Dussehra, Akshaya Tritiya and Poila Baishakh, counted from
//! each year's festival date (see [`crate::domain::jewellery_calendar`]). Factors are
//! integers in parts per million and money stays in paise (see `fixed`), so no float
//! touches a rupee.
//!
//! The interval is not assumed: the last year is held out, every 30- and 90-day
//! window in it is forecast from what came before, and the 10th and 90th percentiles
//! of actual ÷ forecast become the interval's ends. Trend beyond the last year's
//! level is not modelled; a growing or shrinking store shows up as a wider interval.
//! The calendar knows festivals from 2019 to 2032; outside those years festival days
//! count as ordinary days, so the table needs extending before 2033.

mod backtest;
mod fixed;
mod model;
#[cfg(test)]
mod tests;

use jiff::civil::Date;

pub use backtest::{Backtest, HIGH_QUANTILE_BP, LOW_QUANTILE_BP, WindowOutcome, summarise};
pub use fixed::PPM;
use fixed::{clamp_i64, ratio_ppm, scale};
pub use model::FESTIVAL_WINDOWS;
pub use model::SEASON_SLOTS;
use model::{Day, Model, festival_of_key, season_slot, weekday_index};

use super::Paise;
use super::jewellery_calendar::Festival;

/// Fewer days than this and there is no year to hold out plus a little to fit on.
pub const MIN_HISTORY_DAYS: usize = 400;
/// The backtest holds out the last year.
pub const HOLDOUT_DAYS: usize = 365;
/// The level is measured over the last year, so every season counts once.
pub const LEVEL_DAYS: usize = 365;
/// The two windows forecast.
pub const SHORT_HORIZON: usize = 30;
pub const LONG_HORIZON: usize = 90;
/// At most ten years before `from` are read: older trade says little about next
/// month, and a mistyped year 1900 must not make a forecast walk a century of days.
pub const MAX_HISTORY_DAYS: i32 = 3_653;

/// Why no forecast could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForecastError {
    #[error("not enough history: {days} days, needs {needs}")]
    NotEnoughHistory { days: usize, needs: usize },
}

/// One day of the forecast, for charting. `low` and `high` spread the 30-day window's
/// interval (the 90-day one after day 30) over the day, giving a band to draw; they
/// are not an interval for that single day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayForecast {
    pub day: Date,
    pub expected: Paise,
    pub low: Paise,
    pub high: Paise,
}

/// The forecast total for the next `days` days, its interval and how the same
/// forecast did on the held-out year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowForecast {
    pub days: u32,
    pub expected: Paise,
    pub low: Paise,
    pub high: Paise,
    pub backtest: Backtest,
}

/// One festival day's fitted uplift: `offset` days from the festival (negative
/// before it), selling `uplift_ppm` / 1,000,000 times an ordinary day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FestivalUplift {
    pub festival: Festival,
    pub offset: i64,
    pub uplift_ppm: i64,
}

/// The fitted factors, for showing the owner why the forecast says what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factors {
    /// What an ordinary day (every factor 1.0) takes now.
    pub level: Paise,
    /// Monday first, in ppm.
    pub weekday_ppm: [i64; 7],
    /// By season slot (half-month, split at wedding-season edges), in ppm; read a
    /// day's with [`Factors::season`].
    pub season_ppm: [i64; SEASON_SLOTS],
    pub festivals: Vec<FestivalUplift>,
}

impl Factors {
    pub fn weekday(&self, day: Date) -> i64 {
        self.weekday_ppm[weekday_index(day)]
    }

    pub fn season(&self, day: Date) -> i64 {
        self.season_ppm[season_slot(day)]
    }
}

/// The forecast from a morning: the next 90 days, day by day, and the 30- and
/// 90-day totals with their intervals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// The first forecast day.
    pub from: Date,
    /// Days of history used, from the first day given to the day before `from`.
    pub history_days: usize,
    pub days: Vec<DayForecast>,
    pub next_30: WindowForecast,
    pub next_90: WindowForecast,
    pub factors: Factors,
}

/// Forecasts the 90 days starting at `from` from the daily takings before it.
///
/// `history` should hold every day, zero on days without sales; days it leaves out
/// count as zero, days given twice are added, and days on or after `from` are not
/// used. Refuses with [`ForecastError::NotEnoughHistory`] below
/// [`MIN_HISTORY_DAYS`] rather than invent figures.
pub fn forecast(history: &[(Date, Paise)], from: Date) -> Result<Forecast, ForecastError> {
    let days = daily_series(history, from);
    if days.len() < MIN_HISTORY_DAYS {
        return Err(ForecastError::NotEnoughHistory {
            days: days.len(),
            needs: MIN_HISTORY_DAYS,
        });
    }
    let short_backtest = backtest::run(&days, SHORT_HORIZON);
    let long_backtest = backtest::run(&days, LONG_HORIZON);

    let model = Model::fit(&days);
    let shapes: Vec<i64> = days.iter().map(|day| model.shape(day.date)).collect();
    let level = level_at(&days, &shapes, days.len());
    let future: Vec<(Date, i128)> = following_days(from, LONG_HORIZON)
        .into_iter()
        .map(|day| (day, scale(level, model.shape(day))))
        .collect();
    let total = |horizon: usize| future.iter().take(horizon).map(|(_, v)| *v).sum::<i128>();
    let next_30 = window(SHORT_HORIZON, total(SHORT_HORIZON), short_backtest);
    let next_90 = window(LONG_HORIZON, total(LONG_HORIZON), long_backtest);
    let days_out = future
        .iter()
        .enumerate()
        .map(|(index, (day, expected))| {
            let backtest = if index < SHORT_HORIZON {
                short_backtest
            } else {
                long_backtest
            };
            let (low, high) = backtest.interval(*expected);
            DayForecast {
                day: *day,
                expected: paise(*expected),
                low: paise(low),
                high: paise(high),
            }
        })
        .collect();
    Ok(Forecast {
        from,
        history_days: days.len(),
        days: days_out,
        next_30,
        next_90,
        factors: factors(&model, level),
    })
}

fn window(days: usize, expected: i128, backtest: Backtest) -> WindowForecast {
    let (low, high) = backtest.interval(expected);
    WindowForecast {
        days: u32::try_from(days).unwrap_or(u32::MAX),
        expected: paise(expected),
        low: paise(low),
        high: paise(high),
        backtest,
    }
}

fn paise(value: i128) -> Paise {
    Paise::new(clamp_i64(value))
}

fn factors(model: &Model, level: i128) -> Factors {
    let festivals = model
        .festival_ppm
        .iter()
        .enumerate()
        .filter_map(|(key, uplift_ppm)| {
            festival_of_key(key).map(|(festival, offset)| FestivalUplift {
                festival,
                offset,
                uplift_ppm: *uplift_ppm,
            })
        })
        .collect();
    Factors {
        level: paise(level),
        weekday_ppm: model.weekday_ppm,
        season_ppm: model.season_ppm,
        festivals,
    }
}

/// What an ordinary day takes as of `origin`: the takings of the [`LEVEL_DAYS`]
/// before it divided by how busy the calendar made those days, in paise.
pub(crate) fn level_at(days: &[Day], shapes: &[i64], origin: usize) -> i128 {
    let start = origin.saturating_sub(LEVEL_DAYS);
    let taken: i128 = days[start..origin]
        .iter()
        .map(|d| i128::from(d.paise))
        .sum();
    let busy: i128 = shapes[start..origin].iter().map(|s| i128::from(*s)).sum();
    ratio_ppm(taken, busy).map_or(0, i128::from)
}

/// Every day from the first in `history` (at most [`MAX_HISTORY_DAYS`] back) to the
/// day before `from`, with that day's takings (missing days zero, repeated days
/// added).
fn daily_series(history: &[(Date, Paise)], from: Date) -> Vec<Day> {
    let earliest = from
        .checked_sub(jiff::Span::new().days(MAX_HISTORY_DAYS))
        .unwrap_or(Date::MIN);
    let mut kept: Vec<(Date, i64)> = history
        .iter()
        .filter(|(day, _)| earliest <= *day && *day < from)
        .map(|(day, amount)| (*day, amount.get()))
        .collect();
    kept.sort_by_key(|(day, _)| *day);
    let Some(&(first, _)) = kept.first() else {
        return Vec::new();
    };
    let mut given = kept.into_iter().peekable();
    let mut out = Vec::new();
    let mut day = first;
    while day < from {
        let mut takings = 0i64;
        while let Some((_, amount)) = given.next_if(|(on, _)| *on == day) {
            takings = takings.saturating_add(amount);
        }
        out.push(Day {
            date: day,
            paise: takings,
        });
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// `count` days starting at `from` (fewer at the end of the calendar).
fn following_days(from: Date, count: usize) -> Vec<Date> {
    std::iter::successors(Some(from), |day| day.tomorrow().ok())
        .take(count)
        .collect()
}
