//! The backtest: the last year of history held out, the model fitted on what came
//! before, and every 30- or 90-day window of the held-out year forecast and compared
//! with what the store actually took. Its errors give the forecast's interval.

use super::fixed::{clamp_i64, quantile, ratio_ppm, scale};
use super::model::{Day, Model};
use super::{HOLDOUT_DAYS, level_at};
use crate::domain::money::round_div;

/// The interval covers the middle 80% of the backtest's outcomes: from the 10th to
/// the 90th percentile of actual ÷ forecast.
pub const LOW_QUANTILE_BP: usize = 1_000;
pub const HIGH_QUANTILE_BP: usize = 9_000;

/// One forecast window of the backtest: what was forecast and what happened, in
/// paise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowOutcome {
    pub forecast: i128,
    pub actual: i128,
}

/// How the model did on the held-out year for one window length.
///
/// The windows start on consecutive days, so they overlap and a bad fortnight shows
/// up in many of them: `windows` counts forecasts made, not independent trials. The
/// interval is fitted to these same windows, so `inside` is near 80% by
/// construction; it shows how the quantiles fell, and `mape_bp` is the figure to
/// read for accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backtest {
    pub horizon_days: u32,
    /// Windows forecast across the held-out year.
    pub windows: u32,
    /// Mean absolute percentage error of the window totals, in basis points of the
    /// actual total (windows that took nothing are left out); `None` when no window
    /// took anything.
    pub mape_bp: Option<i64>,
    /// Actual ÷ forecast at the low and high ends of the interval, in ppm; `None`
    /// when no window had a positive forecast to compare with.
    pub low_ratio_ppm: Option<i64>,
    pub high_ratio_ppm: Option<i64>,
    /// Windows whose actual total fell inside their interval.
    pub inside: u32,
}

impl Backtest {
    /// The share of windows whose actual fell inside the interval, in basis points.
    pub fn coverage_bp(&self) -> Option<i64> {
        (self.windows > 0)
            .then(|| round_div(i128::from(self.inside) * 10_000, i128::from(self.windows)))
            .map(clamp_i64)
    }

    /// The interval around a forecast total, in paise: the forecast itself at both
    /// ends when the backtest had nothing to measure.
    pub fn interval(&self, forecast: i128) -> (i128, i128) {
        match (self.low_ratio_ppm, self.high_ratio_ppm) {
            (Some(low), Some(high)) if forecast > 0 => {
                (scale(forecast, low), scale(forecast, high))
            }
            _ => (forecast, forecast),
        }
    }
}

/// Works out the error figures and the interval from the windows' outcomes.
pub fn summarise(horizon_days: u32, outcomes: &[WindowOutcome]) -> Backtest {
    let mut error_sum = 0i128;
    let mut error_count = 0i128;
    let mut ratios = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        if outcome.actual != 0 {
            let miss = (outcome.actual - outcome.forecast).abs();
            error_sum += round_div(miss.saturating_mul(10_000), outcome.actual.abs());
            error_count += 1;
        }
        if outcome.forecast > 0 {
            ratios.extend(ratio_ppm(outcome.actual, outcome.forecast));
        }
    }
    ratios.sort_unstable();
    let low = quantile(&ratios, LOW_QUANTILE_BP);
    let high = quantile(&ratios, HIGH_QUANTILE_BP);
    let inside = match (low, high) {
        (Some(low), Some(high)) => ratios.iter().filter(|r| (low..=high).contains(*r)).count(),
        _ => 0,
    };
    Backtest {
        horizon_days,
        windows: u32::try_from(outcomes.len()).unwrap_or(u32::MAX),
        mape_bp: (error_count > 0).then(|| clamp_i64(round_div(error_sum, error_count))),
        low_ratio_ppm: low,
        high_ratio_ppm: high,
        inside: u32::try_from(inside).unwrap_or(u32::MAX),
    }
}

/// Holds out the last [`HOLDOUT_DAYS`] of `days`, fits on the rest and forecasts
/// every `horizon`-day window of the held-out year. Each window's level comes from
/// the year before its first day, as a live forecast made that morning would have it.
pub fn run(days: &[Day], horizon: usize) -> Backtest {
    let holdout_start = days.len().saturating_sub(HOLDOUT_DAYS);
    let model = Model::fit(&days[..holdout_start]);
    let shapes: Vec<i64> = days.iter().map(|day| model.shape(day.date)).collect();
    let mut outcomes = Vec::new();
    let mut origin = holdout_start;
    while origin + horizon <= days.len() {
        let level = level_at(days, &shapes, origin);
        let window = origin..origin + horizon;
        let forecast = shapes[window.clone()]
            .iter()
            .map(|shape| scale(level, *shape))
            .sum();
        let actual = days[window].iter().map(|day| i128::from(day.paise)).sum();
        outcomes.push(WindowOutcome { forecast, actual });
        origin += 1;
    }
    summarise(u32::try_from(horizon).unwrap_or(u32::MAX), &outcomes)
}
