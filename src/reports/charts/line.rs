//! A line chart of a daily or weekly series: what was taken drawn solid with its
//! area, the forecast dashed inside its shaded band, and a line at today.

use jiff::civil::Date;
use maud::{Markup, html};

use super::scale::{Axis, Tenths, rupees_short};
use super::{ChartText, NO_SALES, VIEW_WIDTH, empty, figure};
use crate::domain::{Paise, format_date};

/// One day (or the first day of a week) of the series. `band` is the forecast's
/// interval where there is one; `forecast` marks a figure not yet taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesPoint {
    pub day: Date,
    pub amount: Paise,
    pub band: Option<(Paise, Paise)>,
    pub forecast: bool,
}

const HEIGHT: i64 = 270;
const LEFT: Tenths = Tenths::units(84);
const RIGHT: Tenths = Tenths::units(VIEW_WIDTH - 12);
const TOP: Tenths = Tenths::units(28);
const BOTTOM: Tenths = Tenths::units(HEIGHT - 40);

/// The series as a line, its interval as a band, and `today` as a marker.
pub fn line_chart(text: &ChartText<'_>, points: &[SeriesPoint], today: Option<Date>) -> Markup {
    if points.is_empty() {
        return empty(text, NO_SALES);
    }
    let mut values: Vec<i64> = points.iter().map(|p| p.amount.get()).collect();
    values.extend(
        points
            .iter()
            .filter_map(|p| p.band)
            .flat_map(|(low, high)| [low.get(), high.get()]),
    );
    let axis = Axis::around(
        values.iter().copied().min().unwrap_or(0),
        values.iter().copied().max().unwrap_or(0),
    );
    let plot = Plot {
        axis,
        count: points.len(),
    };
    let actual: Vec<usize> = (0..points.len()).filter(|i| !points[*i].forecast).collect();
    // The forecast line starts from the last figure taken so the two lines join.
    let forecast: Vec<usize> = (0..points.len())
        .filter(|i| points[*i].forecast || points.get(i + 1).is_some_and(|next| next.forecast))
        .collect();
    let banded: Vec<usize> = (0..points.len())
        .filter(|i| points[*i].band.is_some())
        .collect();
    let zero = plot.y(0);
    let today_x = today
        .and_then(|day| points.iter().position(|p| p.day >= day))
        .map(|i| plot.x(i));
    let last = points.len() - 1;
    let has_band = !banded.is_empty();
    html! {
        (figure(text, HEIGHT, html! {
            @for tick in axis.ticks() {
                line.chart-grid x1=(LEFT) x2=(RIGHT) y1=(plot.y(tick)) y2=(plot.y(tick)) {}
                text.chart-label x=(Tenths(LEFT.0 - 60)) y=(Tenths(plot.y(tick).0 + 50)) text-anchor="end" {
                    (rupees_short(Paise::new(tick)))
                }
            }
            @if has_band {
                path.chart-band d=(band_path(&plot, points, &banded)) {}
            }
            @if actual.len() > 1 {
                path.chart-area d={ (polyline(&plot, points, &actual)) " L" (plot.x(*actual.last().unwrap_or(&0))) " " (zero) " L" (plot.x(actual[0])) " " (zero) " Z" } {}
                path.chart-line d=(polyline(&plot, points, &actual)) fill="none" stroke="currentColor" {}
            }
            @if forecast.len() > 1 {
                path.chart-line-forecast d=(polyline(&plot, points, &forecast)) fill="none" stroke="currentColor" stroke-dasharray="6 4" {}
            }
            @for index in actual.iter().chain(&forecast).filter(|_| points.len() == 1) {
                circle.chart-dot cx=(plot.x(*index)) cy=(plot.y(points[*index].amount.get())) r="4" {}
            }
            line.chart-axis x1=(LEFT) x2=(RIGHT) y1=(zero) y2=(zero) stroke="currentColor" {}
            @if let Some(x) = today_x {
                line.chart-today x1=(x) x2=(x) y1=(TOP) y2=(BOTTOM) stroke="currentColor" stroke-dasharray="3 3" {}
                text.chart-label x=(x) y="20" text-anchor="middle" { "Today" }
            }
            text.chart-label x=(LEFT) y=(HEIGHT - 12) text-anchor="start" { (short_date(points[0].day)) }
            @if last > 0 {
                text.chart-label x=(RIGHT) y=(HEIGHT - 12) text-anchor="end" { (short_date(points[last].day)) }
            }
        }, table(points, has_band)))
    }
}

/// Where points and values go on the plot.
struct Plot {
    axis: Axis,
    count: usize,
}

impl Plot {
    fn x(&self, index: usize) -> Tenths {
        let width = Tenths(RIGHT.0 - LEFT.0);
        if self.count < 2 {
            return Tenths(LEFT.0 + width.0 / 2);
        }
        let index = i64::try_from(index).unwrap_or(0);
        let gaps = i64::try_from(self.count - 1).unwrap_or(1);
        Tenths(LEFT.0 + super::scale::share(index, gaps, width).0)
    }

    fn y(&self, value: i64) -> Tenths {
        Tenths(
            TOP.0
                + self
                    .axis
                    .distance_from_top(value, Tenths(BOTTOM.0 - TOP.0))
                    .0,
        )
    }
}

fn polyline(plot: &Plot, points: &[SeriesPoint], indices: &[usize]) -> String {
    let mut d = String::new();
    for (n, index) in indices.iter().enumerate() {
        let command = if n == 0 { "M" } else { " L" };
        let y = plot.y(points[*index].amount.get());
        d.push_str(&format!("{command}{} {y}", plot.x(*index)));
    }
    d
}

/// The band's outline: along the highs, then back along the lows.
fn band_path(plot: &Plot, points: &[SeriesPoint], indices: &[usize]) -> String {
    let mut corners: Vec<(Tenths, Tenths)> = Vec::with_capacity(indices.len() * 2);
    for index in indices {
        if let Some((_, high)) = points[*index].band {
            corners.push((plot.x(*index), plot.y(high.get())));
        }
    }
    for index in indices.iter().rev() {
        if let Some((low, _)) = points[*index].band {
            corners.push((plot.x(*index), plot.y(low.get())));
        }
    }
    let mut d = String::new();
    for (n, (x, y)) in corners.iter().enumerate() {
        d.push_str(&format!("{}{x} {y}", if n == 0 { "M" } else { " L" }));
    }
    d.push_str(" Z");
    d
}

fn short_date(day: Date) -> String {
    day.strftime("%-d %b %Y").to_string()
}

fn table(points: &[SeriesPoint], has_band: bool) -> Markup {
    html! {
        table.chart-table {
            thead { tr {
                th scope="col" { "Day" }
                th scope="col" { "Amount" }
                @if has_band { th scope="col" { "Likely from" } th scope="col" { "Likely to" } }
            } }
            tbody {
                @for point in points {
                    tr {
                        th scope="row" { (format_date(point.day)) @if point.forecast { " (forecast)" } }
                        td.num { (point.amount) }
                        @if has_band {
                            @if let Some((low, high)) = point.band {
                                td.num { (low) } td.num { (high) }
                            } @else {
                                td {} td {}
                            }
                        }
                    }
                }
            }
        }
    }
}
