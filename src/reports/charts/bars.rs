//! Horizontal bars of labelled amounts (sales by floor, category, payment mode or
//! salesperson), each optionally a link to the records behind it.

use maud::{Markup, html};

use super::scale::{BarScale, Tenths, rupees_short};
use super::{ChartText, NO_SALES, VIEW_WIDTH, empty, figure};
use crate::domain::Paise;

/// One bar: what it is, how much, and where its records are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub amount: Paise,
    pub href: Option<String>,
}

/// Each row is a label line with the amount at its right, and the bar under it.
const ROW: i64 = 50;
const LEFT: Tenths = Tenths::units(8);
const WIDTH: Tenths = Tenths::units(VIEW_WIDTH - 16);

/// The bars, longest amount full width; refunds (negative amounts) grow left of a
/// zero line.
pub fn bar_chart(text: &ChartText<'_>, bars: &[Bar]) -> Markup {
    if bars.is_empty() {
        return empty(text, NO_SALES);
    }
    let scale = BarScale::new(LEFT, WIDTH, bars.iter().map(|b| b.amount.get()));
    let height = ROW * i64::try_from(bars.len()).unwrap_or(0) + 8;
    let has_negative = bars.iter().any(|b| b.amount < Paise::ZERO);
    html! {
        (figure(text, height, html! {
            @for (index, bar) in bars.iter().enumerate() {
                @let top = ROW * i64::try_from(index).unwrap_or(0);
                @if let Some(href) = &bar.href {
                    a href=(href) { (row(&scale, bar, top)) }
                } @else {
                    (row(&scale, bar, top))
                }
            }
            @if has_negative {
                line.chart-axis x1=(scale.zero()) x2=(scale.zero()) y1="0" y2=(height) stroke="currentColor" {}
            }
        }, table(bars)))
    }
}

fn row(scale: &BarScale, bar: &Bar, top: i64) -> Markup {
    let (x, width) = scale.bar(bar.amount.get());
    let class = if bar.amount < Paise::ZERO {
        "chart-bar chart-bar-negative"
    } else {
        "chart-bar"
    };
    html! {
        g.chart-row {
            text.chart-label x=(LEFT) y=(top + 20) { (bar.label) }
            text.chart-value x=(Tenths(LEFT.0 + WIDTH.0)) y=(top + 20) text-anchor="end" { (rupees_short(bar.amount)) }
            rect class=(class) x=(x) y=(top + 28) width=(width) height="16" rx="2" {}
        }
    }
}

fn table(bars: &[Bar]) -> Markup {
    html! {
        table.chart-table {
            thead { tr { th scope="col" { "" } th scope="col" { "Amount" } } }
            tbody {
                @for bar in bars {
                    tr {
                        th scope="row" {
                            @if let Some(href) = &bar.href { a href=(href) { (bar.label) } } @else { (bar.label) }
                        }
                        td.num { (bar.amount) }
                    }
                }
            }
        }
    }
}
