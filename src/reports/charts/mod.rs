//! Charts drawn on the server as SVG inside maud markup: a daily or weekly line with
//! the forecast's band, horizontal bars of labelled amounts, the walk-in → sale
//! funnel, and this period against last year. No script draws them.
//!
//! Every chart is a `<figure class="chart">` holding an `<svg role="img">` with its
//! `<title>` and `<desc>`, and a `<details>` with a table of the same figures, both
//! drawn from the same data so they cannot disagree. The `viewBox` is
//! [`VIEW_WIDTH`] wide and the SVG takes the width it is given, so text set at
//! [`FONT_SIZE`] is at least 12 px on a 360 px phone and grows on a tablet or A4.
//! Colours come from classes styled in `assets/charts.css` with the app's palette, and
//! fall back to `currentColor`, so print and dark modes follow the page. Amounts are
//! labelled in ₹, lakh and crore with Indian grouping.

mod bars;
mod comparison;
mod funnel;
mod line;
mod scale;
#[cfg(test)]
mod tests;

use maud::{Markup, html};

pub use bars::{Bar, bar_chart};
pub use comparison::{ComparisonRow, comparison_chart};
pub use funnel::{FunnelStage, funnel_chart};
pub use line::{SeriesPoint, line_chart};
pub use scale::{percent, rupees_short};

/// The `viewBox` width every chart is drawn in.
pub const VIEW_WIDTH: i64 = 480;
/// Text size in `viewBox` units: 16 × 360 / 480 = 12 px on a 360 px wide phone.
pub const FONT_SIZE: i64 = 16;
const _: () = assert!(
    FONT_SIZE * 360 / VIEW_WIDTH >= 12,
    "text under 12 px on a phone"
);
/// What an empty chart says instead of drawing empty axes.
pub const NO_SALES: &str = "No sales in this period";

/// What a chart is called and says, for its caption and for screen readers. `id`
/// must be unique on the page: it names the `<title>` and `<desc>` elements.
#[derive(Debug, Clone, Copy)]
pub struct ChartText<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// The figure around a chart: caption, the SVG with its title and description, and
/// the figures as a table under a `<details>`.
fn figure(text: &ChartText<'_>, height: i64, body: Markup, table: Markup) -> Markup {
    let title_id = format!("{}-title", text.id);
    let desc_id = format!("{}-desc", text.id);
    html! {
        figure.chart id=(text.id) {
            figcaption.chart-caption { (text.title) }
            svg.chart-svg xmlns="http://www.w3.org/2000/svg"
                viewBox={ "0 0 " (VIEW_WIDTH) " " (height) }
                width="100%" role="img" aria-labelledby={ (title_id) " " (desc_id) }
                font-size=(FONT_SIZE) fill="currentColor" {
                title id=(title_id) { (text.title) }
                desc id=(desc_id) { (text.description) }
                (body)
            }
            details.chart-figures {
                summary { "The figures as a table" }
                (table)
            }
        }
    }
}

/// The chart drawn when there is nothing to draw: the message, in the SVG and in the
/// table, so a reader of either learns the same.
fn empty(text: &ChartText<'_>, message: &str) -> Markup {
    figure(
        text,
        80,
        html! {
            text.chart-empty x=(VIEW_WIDTH / 2) y="46" text-anchor="middle" { (message) }
        },
        html! { p.chart-empty { (message) } },
    )
}
