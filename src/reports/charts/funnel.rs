//! The walk-in → inquiry → sale funnel, each stage a centred bar as wide as its share
//! of the first, with the conversion from the stage before.

use maud::{Markup, html};

use super::scale::{Tenths, percent, share, share_bp};
use super::{ChartText, VIEW_WIDTH, empty, figure};
use crate::domain::group_indian;

/// One stage of the funnel and how many reached it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelStage {
    pub label: String,
    pub count: u64,
}

/// What an empty funnel says.
pub const NO_WALK_INS: &str = "No walk-ins in this period";

const ROW: i64 = 56;
const WIDTH: Tenths = Tenths::units(VIEW_WIDTH - 16);

/// The stages in order, the first full width.
pub fn funnel_chart(text: &ChartText<'_>, stages: &[FunnelStage]) -> Markup {
    let first = stages.first().map_or(0, |s| s.count);
    if first == 0 {
        return empty(text, NO_WALK_INS);
    }
    let height = ROW * i64::try_from(stages.len()).unwrap_or(0) + 8;
    let rows = conversions(stages);
    html! {
        (figure(text, height, html! {
            @for (index, (stage, from_previous)) in rows.iter().enumerate() {
                @let top = ROW * i64::try_from(index).unwrap_or(0);
                @let width = share(count(stage), count(&stages[0]), WIDTH).min(WIDTH);
                @let x = Tenths((Tenths::units(VIEW_WIDTH).0 - width.0) / 2);
                g.chart-row {
                    text.chart-label x="8" y=(top + 20) { (stage.label) ": " (group_indian(stage.count)) }
                    @if let (Some(bp), Some(before)) = (from_previous, index.checked_sub(1).and_then(|i| stages.get(i))) {
                        text.chart-value x=(VIEW_WIDTH - 8) y=(top + 20) text-anchor="end" {
                            (percent(*bp)) " of " (before.label)
                        }
                    }
                    rect.chart-bar x=(x) y=(top + 28) width=(width) height="20" rx="2" {}
                }
            }
        }, html! {
            table.chart-table {
                thead { tr {
                    th scope="col" { "Stage" } th scope="col" { "Count" }
                    th scope="col" { "Of the stage before" } th scope="col" { "Of the first" }
                } }
                tbody {
                    @for (stage, from_previous) in &rows {
                        tr {
                            th scope="row" { (stage.label) }
                            td.num { (group_indian(stage.count)) }
                            td.num { @if let Some(bp) = from_previous { (percent(*bp)) } }
                            td.num { @if let Some(bp) = share_bp(count(stage), count(&stages[0])) { (percent(bp)) } }
                        }
                    }
                }
            }
        }))
    }
}

fn count(stage: &FunnelStage) -> i64 {
    i64::try_from(stage.count).unwrap_or(i64::MAX)
}

/// Each stage with its conversion from the stage before, in basis points.
fn conversions(stages: &[FunnelStage]) -> Vec<(&FunnelStage, Option<i64>)> {
    stages
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            let before = index.checked_sub(1).and_then(|i| stages.get(i));
            (stage, before.and_then(|b| share_bp(count(stage), count(b))))
        })
        .collect()
}
