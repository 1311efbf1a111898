//! The products report (`/reports/products`): sell-through by category and by metal and
//! purity over the chosen days, the stock by days on the shelf valued at today's rates,
//! and the pieces not sold in 180 days, each linking to its product page; the ageing and
//! the unsold list download as CSV or Excel.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::report_form::{download, downloads, export_failed, kept_query, range_form};
use crate::app::Permission;
use crate::app::product_analytics::{
    ProductAnalytics, ProductReportQuery, SellThrough, UNSOLD_DAYS,
};
use crate::domain::{Category, CategoryId, FieldErrors, format_date};
use crate::reports::ExportFormat;
use crate::reports::charts::{Bar, ChartText, bar_chart};
use crate::reports::customer_product_exports::{age_label, products_csv, products_xlsx};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::forms::{list_status, listed};
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::{FormData, Params, Viewer};
use crate::web::paths;

const KEPT: [&str; 3] = ["from", "to", "floor_id"];
/// The unsold pieces the page lists; the exports hold every one.
const UNSOLD_SHOWN: usize = 200;

fn query_of(params: &FormData) -> ProductReportQuery {
    ProductReportQuery {
        from: params.text("from"),
        to: params.text("to"),
        floor_id: params.text("floor_id"),
    }
}

/// `GET /reports/products`. A filter that cannot be read is explained above the report
/// (422), never a failure.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    let query = query_of(&params);
    let actor = viewer.actor.clone();
    let (floors, categories, result) = state
        .crm
        .run(move |crm| {
            let floors = crm.list_floors(&actor, Deleted::Hide)?;
            let categories = crm.list_categories(&actor)?;
            Ok((floors, categories, crm.product_analytics(&actor, &query)))
        })
        .await?;
    let mut errors = FieldErrors::new();
    let report = listed(result, &mut errors)?;
    let params = super::customers::with_range(
        params,
        report.as_ref().map(|r| (r.filter.from, r.filter.to)),
    );
    let every_floor = viewer.actor.may(Permission::EveryFloor);
    let query = kept_query(&params, &KEPT);
    let content = html! {
        (range_form(&paths::reports_products(), &params, every_floor.then_some(floors.as_slice()), &errors, html! {}))
        @if !every_floor { p.hint.report-scope { "Your floor's stock and sales only." } }
        @if let Some(report) = &report {
            (ageing(report))
            div.cards {
                (sell_through_by_category(report, &categories))
                (sell_through_by_purity(report))
            }
            (unsold(report))
        }
    };
    let actions = downloads(
        paths::reports_products_csv().with_query(&query),
        paths::reports_products_xlsx().with_query(&query),
        "ageing and the unsold pieces",
    );
    Ok((
        list_status(&errors),
        page(&viewer, "Product analytics", actions, content),
    )
        .into_response())
}

fn rate(s: &SellThrough) -> Markup {
    html! {
        @match s.rate_bp() {
            Some(bp) => {
                meter min="0" max="10000" value=(bp) aria-hidden="true" {}
                " " span.nowrap { (bp / 100) "." (format!("{:02}", bp % 100)) "%" }
            }
            None => { "—" }
        }
    }
}

fn category_name(categories: &[Category], id: Option<CategoryId>) -> String {
    match id {
        None => "No category".to_owned(),
        Some(id) => categories.iter().find(|c| c.id == id).map_or_else(
            || "A removed category".to_owned(),
            |c| c.name.as_str().to_owned(),
        ),
    }
}

fn sell_through_by_category(r: &ProductAnalytics, categories: &[Category]) -> Markup {
    html! {
        section.card #sell-through-category aria-labelledby="stc-title" {
            h2 #stc-title { "Sell-through by category" }
            p.hint { "Pieces sold " (format_date(r.filter.from)) " to " (format_date(r.filter.to)) " ÷ (sold + in stock now)." }
            div.table-scroll {
                table.list {
                    thead { tr { th { "Category" } th.num { "Sold" } th.num { "In stock" } th { "Sell-through" } } }
                    tbody {
                        @for (id, s) in &r.by_category {
                            tr {
                                td { @if let Some(id) = id { a href=(paths::products().with("category_id", id)) { (category_name(categories, Some(*id))) } } @else { (category_name(categories, None)) } }
                                td.num { (s.sold) }
                                td.num { (s.in_stock) }
                                td.sell-through { (rate(s)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn sell_through_by_purity(r: &ProductAnalytics) -> Markup {
    html! {
        section.card #sell-through-purity aria-labelledby="stp-title" {
            h2 #stp-title { "Sell-through by metal and purity" }
            div.table-scroll {
                table.list {
                    thead { tr { th { "Purity" } th.num { "Sold" } th.num { "In stock" } th { "Sell-through" } } }
                    tbody {
                        @for (purity, s) in &r.by_purity {
                            tr {
                                td { (purity.label()) " " (purity.metal().label().to_lowercase()) }
                                td.num { (s.sold) }
                                td.num { (s.in_stock) }
                                td.sell-through { (rate(s)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn ageing(r: &ProductAnalytics) -> Markup {
    html! {
        section.card.wide #ageing aria-labelledby="ageing-title" {
            h2 #ageing-title { "Stock by days on the shelf" }
            (bar_chart(&ChartText {
                id: "ageing-chart",
                title: "Value of the stock at today's rates, by days on the shelf",
                description: "One bar per shelf age, from pieces added in the last 30 days to those over a year old.",
            }, &r.ageing.iter().enumerate().map(|(i, s)| Bar {
                label: age_label(i),
                amount: s.value,
                href: None,
            }).collect::<Vec<_>>()))
            p.hint { "Pieces in stock now, by the day each was added. Value is what they would sell for today before GST: metal at today's rate, making and stones, or the fixed price, as a bill prices a line." }
            div.table-scroll {
                table.list {
                    thead { tr { th { "Days on shelf" } th.num { "Pieces" } th.num { "Net weight" } th.num { "Value today" } } }
                    tbody {
                        @for (i, s) in r.ageing.iter().enumerate() {
                            tr {
                                td { (age_label(i)) }
                                td.num { (s.pieces) }
                                td.num.nowrap { (s.net) }
                                td.num.nowrap { (s.value) @if s.unpriced > 0 { br; span.muted { (s.unpriced) " without a rate today" } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn unsold(r: &ProductAnalytics) -> Markup {
    html! {
        section.card.wide #unsold aria-labelledby="unsold-title" {
            h2 #unsold-title { "Not sold in " (UNSOLD_DAYS) " days (" (r.unsold.len()) ")" }
            p.hint { "In stock " (UNSOLD_DAYS) " days or more, and no piece of it sold in the last " (UNSOLD_DAYS) " days. Oldest first." }
            @if r.unsold.is_empty() { p.empty { "Every piece on the shelf that long has sold lately." } }
            @else {
                div.table-scroll {
                    table.list #unsold-list {
                        thead { tr { th { "Piece" } th { "Purity" } th.num { "In stock" } th.num { "Net weight" } th.num { "Days" } th.num { "Value today" } } }
                        tbody {
                            @for u in r.unsold.iter().take(UNSOLD_SHOWN) {
                                tr {
                                    td { a href=(paths::product(u.id)) { (u.name) } br; span.muted.code { (u.sku) } }
                                    td { (u.purity.label()) }
                                    td.num { (u.in_stock) }
                                    td.num.nowrap { (u.net) }
                                    td.num { (u.days_on_shelf) }
                                    td.num.nowrap { @match u.value { Some(v) => { (v) } None => { span.muted { "rate not set" } } } }
                                }
                            }
                        }
                    }
                }
                @if r.unsold.len() > UNSOLD_SHOWN { p.hint { "The oldest " (UNSOLD_SHOWN) " are shown; the CSV and Excel files hold all " (r.unsold.len()) "." } }
            }
        }
    }
}

async fn export(
    state: AppState,
    viewer: Viewer,
    params: FormData,
    kind: ExportFormat,
) -> Result<Response, PageError> {
    let query = query_of(&params);
    let actor = viewer.actor.clone();
    let zone = state.crm.config().time_zone();
    let (name, bytes) = state
        .crm
        .run(move |crm| {
            let report = crm.product_analytics(&actor, &query)?;
            let bytes = match kind {
                ExportFormat::Csv => products_csv(&report, zone),
                ExportFormat::Xlsx => products_xlsx(&report, zone),
            }
            .map_err(export_failed)?;
            Ok((format!("products-{}", report.today), bytes))
        })
        .await?;
    Ok(download(kind, &name, bytes))
}

/// `GET /reports/products.csv`: ageing and the unsold pieces in one table.
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    export(state, viewer, params, ExportFormat::Csv).await
}

/// `GET /reports/products.xlsx`: an ageing sheet and an unsold sheet.
pub async fn xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Response, PageError> {
    export(state, viewer, params, ExportFormat::Xlsx).await
}
