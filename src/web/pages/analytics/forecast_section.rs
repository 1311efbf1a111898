//! The revenue forecast on the sales analytics page: the last 90 days taken and the
//! next 90 forecast with their band, and in words what the next 30 and 90 days are
//! expected to bring, how wide the interval is, and how far off the same forecast was
//! on the year held out. Without enough history it says so, and why.

use maud::{Markup, html};

use crate::app::RevenueOutlook;
use crate::domain::forecast::{ForecastError, WindowForecast};
use crate::reports::charts::{ChartText, SeriesPoint, line_chart, percent, rupees_short};

/// Days of takings drawn before the forecast starts.
const SHOWN_HISTORY: usize = 90;

fn window_text(w: &WindowForecast) -> Markup {
    html! {
        p.forecast-window #(format!("forecast-{}", w.days)) {
            strong { "Next " (w.days) " days: expected " (rupees_short(w.expected)) }
            " (" (rupees_short(w.low)) "–" (rupees_short(w.high)) "). "
            @match w.backtest.mape_bp {
                Some(bp) => {
                    "On the last year held out, the " (w.days) "-day forecast was off by "
                    (percent(bp)) " on average"
                    @if let Some(c) = w.backtest.coverage_bp() {
                        ", and " (percent(c)) " of its " (w.backtest.windows) " windows fell inside the interval"
                    }
                    "."
                }
                None => { "The year held out took nothing to measure the forecast against." }
            }
        }
    }
}

pub fn forecast_section(outlook: &RevenueOutlook) -> Markup {
    html! {
        section.card.wide #forecast aria-labelledby="forecast-title" {
            h2 #forecast-title { "Revenue forecast" }
            @match &outlook.forecast {
                Ok(forecast) => {
                    (window_text(&forecast.next_30))
                    (window_text(&forecast.next_90))
                    @let taken = outlook.history.iter().rev().take(SHOWN_HISTORY).rev().map(|(day, amount)| SeriesPoint {
                        day: *day,
                        amount: *amount,
                        band: None,
                        forecast: false,
                    });
                    @let ahead = forecast.days.iter().map(|d| SeriesPoint {
                        day: d.day,
                        amount: d.expected,
                        band: Some((d.low, d.high)),
                        forecast: true,
                    });
                    @let points: Vec<SeriesPoint> = taken.chain(ahead).collect();
                    (line_chart(&ChartText {
                        id: "forecast-chart",
                        title: "Takings per day: the last 90 days and the next 90 forecast",
                        description: "A solid line for what was taken (sales less refunds), a dashed line for the forecast inside its shaded interval.",
                    }, &points, Some(forecast.from)))
                    p.hint {
                        "Learnt from " (forecast.history_days) " days of sales less refunds, knowing the weekday, the wedding seasons and the festivals (Dhanteras and Diwali, Navratri and Dussehra, Akshaya Tritiya, Poila Baishakh). "
                        "The interval holds the middle 80% of how the same forecast did on the year held out; a growing or shrinking store widens it."
                    }
                }
                Err(ForecastError::NotEnoughHistory { days, needs }) => {
                    p.forecast-refused #forecast-refused {
                        "No forecast yet: it needs " (needs) " days of sales to learn from and to test itself on a year held out, and there are "
                        (days) ". A forecast made from less would be a guess."
                    }
                }
            }
        }
    }
}
