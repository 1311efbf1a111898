//! Forecast tests on series built from known factors, flat series, empty and gappy
//! history, and backtest figures worked out by hand.

use jiff::civil::{Date, Weekday, date};

use super::*;
use crate::domain::jewellery_calendar::{Season, days_from};

/// ₹1 lakh, an ordinary weekday's takings in the synthetic store.
const ORDINARY: i64 = 1_00_000_00;

/// The synthetic store's truth, in ppm: Sundays ×1.35, the wedding seasons and the
/// monsoon, ten days of Dhanteras run-up ×1.8, Dhanteras ×9, the next two days ×3,
/// and Akshaya Tritiya ×5.
fn known_shape(day: Date) -> i64 {
    let mut factor = i128::from(PPM);
    let mut times = |f: i64| factor = factor * i128::from(f) / i128::from(PPM);
    if day.weekday() == Weekday::Sunday {
        times(1_350_000);
    }
    times(match Season::of(day) {
        Season::WinterWeddings => 1_600_000,
        Season::SpringWeddings => 1_400_000,
        Season::SummerWeddings => 1_500_000,
        Season::MonsoonLull => 700_000,
        Season::Ordinary => PPM,
    });
    match days_from(Festival::Dhanteras, day, 10) {
        Some(0) => times(9 * PPM),
        Some(1 | 2) => times(3 * PPM),
        Some(-10..=-1) => times(1_800_000),
        _ => {}
    }
    if days_from(Festival::AkshayaTritiya, day, 0) == Some(0) {
        times(5 * PPM);
    }
    i64::try_from(factor).unwrap()
}

fn known_takings(day: Date) -> Paise {
    Paise::new(ORDINARY * known_shape(day) / PPM)
}

fn series(first: Date, until: Date, takings: impl Fn(Date) -> Paise) -> Vec<(Date, Paise)> {
    std::iter::successors(Some(first), |d| d.tomorrow().ok())
        .take_while(|d| *d < until)
        .map(|d| (d, takings(d)))
        .collect()
}

fn within(actual: Paise, expected: Paise, tolerance_bp: i64) -> bool {
    let miss = i128::from((actual.get() - expected.get()).abs());
    miss * 10_000 <= i128::from(expected.get().abs()) * i128::from(tolerance_bp)
}

#[test]
fn a_store_with_known_factors_is_forecast_within_two_percent() {
    // Four years and nine months, Diwali on 4 Nov 2021, 24 Oct 2022, 12 Nov 2023,
    // 31 Oct 2024; the forecast runs over Dhanteras 2025 on 18 October.
    let from = date(2025, 10, 1);
    let history = series(date(2021, 1, 1), from, known_takings);
    let result = forecast(&history, from).unwrap();

    let truth = |days: usize| -> Paise {
        let total: i64 = result.days[..days]
            .iter()
            .map(|d| known_takings(d.day).get())
            .sum();
        Paise::new(total)
    };
    assert!(
        within(result.next_30.expected, truth(30), 200),
        "{:?} vs {}",
        result.next_30,
        truth(30)
    );
    assert!(
        within(result.next_90.expected, truth(90), 200),
        "{:?} vs {}",
        result.next_90,
        truth(90)
    );

    let dhanteras = result
        .days
        .iter()
        .find(|d| d.day == date(2025, 10, 18))
        .unwrap();
    assert!(
        within(dhanteras.expected, known_takings(dhanteras.day), 300),
        "{dhanteras:?}"
    );
    let ordinary_tuesday = result
        .days
        .iter()
        .find(|d| d.day == date(2025, 10, 7))
        .unwrap();
    assert!(dhanteras.expected.get() > 5 * ordinary_tuesday.expected.get());

    // Weekday factors are against the average day, so compare Sunday with Tuesday.
    let [_, tuesday, _, _, _, _, sunday] = result.factors.weekday_ppm;
    let relative = i128::from(sunday) * i128::from(PPM) / i128::from(tuesday);
    assert!(
        (1_320_000..=1_380_000).contains(&relative),
        "{sunday} / {tuesday}"
    );
    let uplift = result
        .factors
        .festivals
        .iter()
        .find(|f| f.festival == Festival::Dhanteras && f.offset == 0)
        .unwrap();
    assert!(
        (8_500_000..=9_500_000).contains(&uplift.uplift_ppm),
        "{uplift:?}"
    );
}

#[test]
fn the_interval_holds_the_forecast_and_the_backtest_is_accurate_on_a_clean_store() {
    let from = date(2025, 10, 1);
    let history = series(date(2021, 1, 1), from, known_takings);
    let result = forecast(&history, from).unwrap();
    for window in [result.next_30, result.next_90] {
        assert!(window.low <= window.high, "{window:?}");
        assert_eq!(window.backtest.windows, 365 - window.days + 1);
        assert!(window.backtest.mape_bp.unwrap() < 300, "{window:?}");
    }
    assert_eq!(result.days.len(), 90);
    assert_eq!(result.days[0].day, from);
}

#[test]
fn a_flat_series_gives_a_flat_forecast_with_no_error() {
    let from = date(2024, 6, 1);
    let history = series(date(2022, 6, 1), from, |_| Paise::new(50_000_00));
    let result = forecast(&history, from).unwrap();
    for day in &result.days {
        assert_eq!(day.expected, Paise::new(50_000_00), "{day:?}");
        assert_eq!((day.low, day.high), (day.expected, day.expected));
    }
    assert_eq!(result.next_30.expected, Paise::new(30 * 50_000_00));
    assert_eq!(result.next_90.expected, Paise::new(90 * 50_000_00));
    assert_eq!(result.next_30.backtest.mape_bp, Some(0));
    assert_eq!(
        result.next_30.backtest.inside,
        result.next_30.backtest.windows
    );
    assert_eq!(result.factors.level, Paise::new(50_000_00));
}

#[test]
fn short_history_is_refused_with_how_much_there_is() {
    let from = date(2025, 1, 1);
    let history = series(date(2023, 11, 29), from, |_| Paise::new(1_000_00));
    assert_eq!(history.len(), 399);
    let refusal = forecast(&history, from).unwrap_err();
    assert_eq!(
        refusal,
        ForecastError::NotEnoughHistory {
            days: 399,
            needs: 400
        }
    );
    assert_eq!(
        refusal.to_string(),
        "not enough history: 399 days, needs 400"
    );
    assert_eq!(
        forecast(&[], from),
        Err(ForecastError::NotEnoughHistory {
            days: 0,
            needs: 400
        })
    );
}

#[test]
fn zero_days_gaps_refunds_and_later_days_do_not_break_it() {
    let from = date(2025, 1, 1);
    let zeros = series(date(2023, 1, 1), from, |_| Paise::ZERO);
    let result = forecast(&zeros, from).unwrap();
    assert!(result.days.iter().all(|d| d.expected == Paise::ZERO));
    assert_eq!(result.next_90.expected, Paise::ZERO);
    assert_eq!(result.next_30.backtest.mape_bp, None);

    // A sale a week, given out of order, one refund-heavy day, a day repeated and
    // days after `from` that must be ignored.
    let mut sparse: Vec<(Date, Paise)> = series(date(2023, 1, 1), from, |d| {
        if d.weekday() == Weekday::Saturday {
            Paise::new(7_000_00)
        } else {
            Paise::ZERO
        }
    })
    .into_iter()
    .filter(|(_, p)| *p != Paise::ZERO)
    .rev()
    .collect();
    sparse.push((date(2024, 3, 5), Paise::new(-40_000_00)));
    sparse.push((date(2024, 3, 9), Paise::new(1_000_00)));
    sparse.push((date(2025, 2, 1), Paise::new(99_99_999_00)));
    let result = forecast(&sparse, from).unwrap();
    assert_eq!(result.history_days, 731 - 6);
    let week: i64 = result.days[..7].iter().map(|d| d.expected.get()).sum();
    assert!((5_000_00..9_000_00).contains(&week), "{week}");
    assert!(result.next_90.low <= result.next_90.high);
}

#[test]
fn history_older_than_ten_years_is_not_read() {
    let from = date(2024, 6, 1);
    let mut history = series(date(2022, 6, 1), from, |_| Paise::new(50_000_00));
    history.push((date(1900, 1, 1), Paise::new(99_00_000_00)));
    let result = forecast(&history, from).unwrap();
    assert_eq!(result.history_days, 731);
    assert_eq!(result.next_30.expected, Paise::new(30 * 50_000_00));

    history.push((date(2014, 6, 1), Paise::ZERO));
    assert_eq!(forecast(&history, from).unwrap().history_days, 3_653);
}

#[test]
fn a_year_and_a_bit_still_forecasts_with_shrunk_seasons() {
    let from = date(2025, 10, 1);
    let history = series(date(2024, 8, 1), from, known_takings);
    let result = forecast(&history, from).unwrap();
    assert!(result.next_30.expected > Paise::ZERO);
    // Seen in one year only, December's weddings against October's ordinary trade
    // (truly ×1.6) are trusted about two-thirds of the way from 1.0.
    let december = result.factors.season(date(2024, 12, 5));
    let october = result.factors.season(date(2024, 10, 20));
    let relative = i128::from(december) * i128::from(PPM) / i128::from(october);
    assert!(
        (1_300_000..=1_450_000).contains(&relative),
        "{december} / {october}"
    );
}

#[test]
fn backtest_figures_match_a_hand_count() {
    // Forecast 100 each time; actual 80, 90, 100, 110, 120, 150, 0, 100, 95, 105.
    let actuals = [80, 90, 100, 110, 120, 150, 0, 100, 95, 105];
    let outcomes: Vec<WindowOutcome> = actuals
        .iter()
        .map(|a| WindowOutcome {
            forecast: 100,
            actual: *a,
        })
        .collect();
    let summary = summarise(30, &outcomes);
    assert_eq!(summary.windows, 10);
    // Errors of the nine non-zero actuals, in bp of the actual: 2500, 1111, 0, 909,
    // 1667, 3333, 0, 526, 476 → 10522 / 9 = 1169.
    assert_eq!(summary.mape_bp, Some(1_169));
    // Ratios sorted: 0, .80, .90, .95, 1.00, 1.00, 1.05, 1.10, 1.20, 1.50; the 10th
    // percentile is the 1st, the 90th the 9th.
    assert_eq!(summary.low_ratio_ppm, Some(0));
    assert_eq!(summary.high_ratio_ppm, Some(1_200_000));
    assert_eq!(summary.inside, 9);
    assert_eq!(summary.coverage_bp(), Some(9_000));
    assert_eq!(summary.interval(1_000), (0, 1_200));
}

#[test]
fn the_forecast_is_the_same_every_time() {
    let from = date(2025, 10, 1);
    let history = series(date(2023, 1, 1), from, known_takings);
    assert_eq!(forecast(&history, from), forecast(&history, from));
}
