//! This period against the same period last year: for each figure two bars, this
//! year's above last year's, with the change in per cent.

use maud::{Markup, html};

use super::scale::{BarScale, Tenths, percent, rupees_short, share_bp};
use super::{ChartText, NO_SALES, VIEW_WIDTH, empty, figure};
use crate::domain::Paise;

/// One figure in both periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonRow {
    pub label: String,
    pub this_period: Paise,
    pub last_year: Paise,
}

const ROW: i64 = 84;
const LEFT: Tenths = Tenths::units(8);
const WIDTH: Tenths = Tenths::units(VIEW_WIDTH - 16);

/// The rows, both periods on one scale; `periods` names them (for example
/// `("Apr–Dec 2026", "Apr–Dec 2025")`).
pub fn comparison_chart(
    text: &ChartText<'_>,
    periods: (&str, &str),
    rows: &[ComparisonRow],
) -> Markup {
    if rows.is_empty()
        || rows
            .iter()
            .all(|r| r.this_period == Paise::ZERO && r.last_year == Paise::ZERO)
    {
        return empty(text, NO_SALES);
    }
    let scale = BarScale::new(
        LEFT,
        WIDTH,
        rows.iter()
            .flat_map(|r| [r.this_period.get(), r.last_year.get()]),
    );
    let height = ROW * i64::try_from(rows.len()).unwrap_or(0) + 8;
    html! {
        (figure(text, height, html! {
            @for (index, row) in rows.iter().enumerate() {
                @let top = ROW * i64::try_from(index).unwrap_or(0);
                @let (this_x, this_width) = scale.bar(row.this_period.get());
                @let (last_x, last_width) = scale.bar(row.last_year.get());
                g.chart-row {
                    text.chart-label x=(LEFT) y=(top + 20) { (row.label) }
                    text.chart-value x=(Tenths(LEFT.0 + WIDTH.0)) y=(top + 20) text-anchor="end" { (change(row)) }
                    rect.chart-bar x=(this_x) y=(top + 28) width=(this_width) height="14" rx="2" {}
                    text.chart-value x=(LEFT) y=(top + 58) { (periods.0) ": " (rupees_short(row.this_period)) }
                    rect.chart-bar-previous x=(last_x) y=(top + 62) width=(last_width) height="8" rx="2" {}
                    text.chart-value x=(Tenths(LEFT.0 + WIDTH.0)) y=(top + 58) text-anchor="end" { (periods.1) ": " (rupees_short(row.last_year)) }
                }
            }
        }, html! {
            table.chart-table {
                thead { tr {
                    th scope="col" { "" } th scope="col" { (periods.0) } th scope="col" { (periods.1) } th scope="col" { "Change" }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            th scope="row" { (row.label) }
                            td.num { (row.this_period) }
                            td.num { (row.last_year) }
                            td.num { (change(row)) }
                        }
                    }
                }
            }
        }))
    }
}

/// The change against last year: `+12.5%`, `-3.0%`, or `new` when last year had none.
pub fn change(row: &ComparisonRow) -> String {
    let difference = row.this_period.get().saturating_sub(row.last_year.get());
    match share_bp(difference, row.last_year.get().saturating_abs()) {
        Some(bp) if bp > 0 => format!("+{}", percent(bp)),
        Some(bp) => percent(bp),
        None if row.this_period == Paise::ZERO => "no sales either year".to_owned(),
        None => "new this year".to_owned(),
    }
}
