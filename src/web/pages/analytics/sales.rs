//! The sales analytics page (`/reports/sales`): the totals of a span, a chart of its
//! groups (a line over time, bars otherwise), the table of the same figures with each
//! group linked to the records behind it, and the revenue forecast.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::forecast_section::forecast_section;
use super::sales_form::{Choices, form, query_text, with_query};
use crate::app::figures::FigureFilter;
use crate::app::{Group, GroupRow, MeasureValue, Permission, SalesAnalytics, share_bp};
use crate::domain::FieldErrors;
use crate::reports::charts::{
    Bar, ChartText, SeriesPoint, bar_chart, line_chart, percent, rupees_short,
};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::assets;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{Params, Viewer};
use crate::web::paths::{self, Link};

/// `GET /reports/sales`: by default this financial year to date by month. A query that
/// cannot be read is explained beside its field (with a 4xx), never a failure.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let query = listed(query_text(&params).parse(), &mut errors)?;
    let actor = viewer.actor.clone();
    let (floors, categories, staff, found) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let categories = crm.list_categories(&actor)?;
            let staff = crm.staff_names(&actor)?;
            let found = match query {
                Some(query) => match crm.sales_analytics(&actor, &query) {
                    Ok(analytics) => {
                        let filter = FigureFilter {
                            floor: query.floor,
                            staff: query.salesperson,
                        };
                        let outlook = crm.revenue_forecast(&actor, filter)?;
                        Ok(Some((analytics, outlook)))
                    }
                    Err(e) => Err(e),
                },
                None => Ok(None),
            };
            Ok((floors, categories, staff, found))
        })
        .await?;
    let found = listed(found, &mut errors)?.flatten();
    let choices = Choices {
        floors: &floors,
        categories: &categories,
        staff: &staff,
        every_floor: viewer.actor.may(Permission::EveryFloor),
    };
    let content = html! {
        link rel="stylesheet" href=(assets::url("charts.css"));
        link rel="stylesheet" href=(assets::url("analytics.css"));
        (form(&params, &choices, &errors))
        @if let Some((analytics, outlook)) = &found {
            (totals(analytics))
            section.card.wide.report-chart #analytics-chart { (chart(analytics)) }
            (table(analytics))
            (forecast_section(outlook))
        }
    };
    let actions = html! {
        a.button #export-csv href=(with_query(paths::reports_sales_csv(), &params)) download { (icon("download")) "CSV" }
        a.button #export-xlsx href=(with_query(paths::reports_sales_xlsx(), &params)) download { (icon("download")) "Excel" }
        a.button href=(paths::reports_floors()) { (icon("layers")) "Floors" }
    };
    Ok((
        list_status(&errors),
        page(&viewer, "Sales analytics", actions, content),
    )
        .into_response())
}

/// A figure as the page shows it: money in ₹ (lakh and crore when `short`), grams
/// with three decimals, counts grouped the Indian way.
pub fn shown(value: MeasureValue, short: bool) -> String {
    match value {
        MeasureValue::Count(n) => {
            let grouped = crate::domain::group_indian(n.unsigned_abs());
            if n < 0 {
                format!("-{grouped}")
            } else {
                grouped
            }
        }
        MeasureValue::Money(p) if short => rupees_short(p),
        MeasureValue::Money(p) => p.to_string(),
        MeasureValue::Weight(w) => w.to_string(),
    }
}

fn totals(a: &SalesAnalytics) -> Markup {
    html! {
        section.card.wide #analytics-totals aria-label="Totals of the span" {
            h2 { (a.from.strftime("%-d %b %Y")) " to " (a.to.strftime("%-d %b %Y")) }
            dl.figures {
                @for measure in a.source.measures() {
                    @let value = measure.value(&a.total);
                    div {
                        dt { (measure.title()) }
                        dd.num title=(shown(value, false)) { (shown(value, true)) }
                    }
                }
            }
            @if a.source != crate::app::Source::Bills {
                p.hint { "Refunds are not split by category, metal or payment mode; group by a span of time, floor or salesperson without these filters to see them." }
            }
        }
    }
}

/// Where the records behind a row are listed: the sales register for the row's span,
/// floor, salesperson and payment mode, or the catalogue for a category or purity.
fn records(a: &SalesAnalytics, row: &GroupRow) -> Link {
    let q = &a.query;
    match row.group {
        Group::Category(Some(id)) => return paths::products().with("category_id", id),
        Group::Purity(p) => {
            return paths::products()
                .with("metal", p.metal().as_str())
                .with("purity", p.label());
        }
        _ => {}
    }
    let (from, to) = match row.group {
        Group::Period { from, to } => (from, to),
        _ => (a.from, a.to),
    };
    let mut link = paths::sales().with("from", from).with("to", to);
    let floor = match row.group {
        Group::Floor(id) => Some(id),
        _ => q.floor,
    };
    let staff = match row.group {
        Group::Staff(id) => Some(id),
        _ => q.salesperson,
    };
    let payment = match row.group {
        Group::Payment(m) => Some(m),
        _ => q.payment,
    };
    if let Some(f) = floor {
        link = link.with("floor_id", f);
    }
    if let Some(s) = staff {
        link = link.with("salesperson_id", s);
    }
    if let Some(m) = payment {
        link = link.with("payment", m.as_str());
    }
    link
}

fn chart(a: &SalesAnalytics) -> Markup {
    let main = a.source.main_measure();
    let amount = |row: &GroupRow| match main.value(&row.figures) {
        MeasureValue::Money(p) => p,
        _ => crate::domain::Paise::ZERO,
    };
    let title = format!(
        "{} by {}",
        main.title(),
        a.query.group_by.label().to_lowercase()
    );
    let description = format!(
        "{} from {} to {}, {} groups; the table below holds every figure.",
        main.title(),
        a.from,
        a.to,
        a.rows.len()
    );
    let text = ChartText {
        id: "analytics-figure",
        title: &title,
        description: &description,
    };
    if a.query.group_by.is_time() {
        let points: Vec<SeriesPoint> = a
            .rows
            .iter()
            .filter_map(|row| match row.group {
                Group::Period { from, .. } => Some(SeriesPoint {
                    day: from,
                    amount: amount(row),
                    band: None,
                    forecast: false,
                }),
                _ => None,
            })
            .collect();
        line_chart(&text, &points, None)
    } else {
        let bars: Vec<Bar> = a
            .rows
            .iter()
            .map(|row| Bar {
                label: row.label.clone(),
                amount: amount(row),
                href: Some(records(a, row).to_string()),
            })
            .collect();
        bar_chart(&text, &bars)
    }
}

fn table(a: &SalesAnalytics) -> Markup {
    let measures = a.source.measures();
    let whole = a.total.main_amount(a.source);
    html! {
        section.card.wide #analytics-table-card {
            div.table-scroll {
                table.list #analytics-table {
                    thead { tr {
                        th { (a.query.group_by.label()) }
                        @for m in measures { th.num { (m.title()) } }
                        th.num { "Share" }
                    } }
                    tbody {
                        @for row in &a.rows {
                            tr {
                                td { a href=(records(a, row)) { (row.label) } }
                                @for m in measures { td.num.nowrap { (shown(m.value(&row.figures), false)) } }
                                td.num { (row.share_bp.map_or_else(|| "–".to_owned(), percent)) }
                            }
                        }
                    }
                    tfoot { tr {
                        th { "Total" }
                        @for m in measures { td.num.nowrap { (shown(m.value(&a.total), false)) } }
                        td.num { (share_bp(whole, whole).map_or_else(|| "–".to_owned(), percent)) }
                    } }
                }
            }
            @if a.rows.is_empty() { p.empty { "No sales in this span." } }
        }
    }
}
