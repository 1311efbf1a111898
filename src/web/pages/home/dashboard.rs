//! The dashboard (`/`): today's figures for the store and each floor, the customers
//! added most recently, and the catalogue lines running out, redrawn as sales, customers
//! and stock change.

use axum::extract::State;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::figures::BillSums;
use crate::app::{Dashboard, DashboardOverview, LOW_STOCK, Permission};
use crate::domain::words::plural;
use crate::domain::{format_date, group_indian};
use crate::reports::amounts::lakh_crore;
use crate::web::AppState;
use crate::web::pages::activity::walk_in_button;
use crate::web::pages::backups::dashboard_notice;
use crate::web::pages::shell::components::{done_notice, icon};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::live::{Kind, Region};
use crate::web::pages::shell::session::{Params, Viewer};
use crate::web::paths;

/// `GET /`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let overview = state
        .crm
        .run(move |crm| crm.dashboard_overview(&actor))
        .await?;
    let slowed = if viewer.actor.may(Permission::ManageTeam) {
        let actor = viewer.actor.clone();
        state
            .crm
            .run(move |crm| crm.slowed_accounts(&actor))
            .await?
            .len()
    } else {
        0
    };
    let tz = state.crm.config().time_zone();
    let today = format_date(state.crm.today());
    Ok(view(
        &viewer,
        &overview,
        &today,
        params.get("done"),
        &tz,
        slowed,
    ))
}

/// The dashboard for `today`; `done` is what was just saved (`?done=`).
fn view(
    viewer: &Viewer,
    overview: &DashboardOverview,
    today: &str,
    done: Option<&str>,
    tz: &TimeZone,
    slowed_accounts: usize,
) -> Markup {
    let board = &overview.board;
    let floors: Vec<_> = board.floors.iter().map(|f| f.floor.clone()).collect();
    let actions = html! {
        (walk_in_button(viewer, &floors))
        a.button.primary href=(paths::new_customer()) { (icon("plus")) "Add customer" }
    };
    let content = html! {
        (done_notice(done))
        @if let Some(backups) = &overview.backups { (dashboard_notice(backups)) }
        @if slowed_accounts > 0 {
            div.alert.warning role="alert" #sign-in-alerts-notice {
                "Repeated wrong passwords on " (plural(i64::try_from(slowed_accounts).unwrap_or(i64::MAX), "account", "accounts"))
                ": further tries are being slowed down. "
                a href=(paths::team().at("sign-in-alerts")) { "See who on the Team page" }
            }
        }
        p.lead {
            "Today, " (today) " · "
            a #opening-report-link href=(paths::opening_report()) { "Yesterday's opening report" }
        }
        (Region::new("dashboard-live", LIVE_ON).wrap(html! {
            (tiles(board, overview.sold_today.as_ref()))
            (floors_today(viewer, board))
            div.cards {
                (recent_customers(board, tz))
                (running_out(board))
            }
        }))
    };
    page(viewer, "Dashboard", actions, content)
}

/// What the figures below are drawn from: bills, customers, stock and the floors.
const LIVE_ON: &[Kind] = &[Kind::Sale, Kind::Customer, Kind::Product, Kind::Floor];

/// The store's headline figures; today's bills are a Floor Manager's floor's only.
fn tiles(board: &Dashboard, sold_today: Option<&BillSums>) -> Markup {
    let pieces: u64 = board.floors.iter().map(|f| f.pieces).sum();
    html! {
        div.tiles.dashboard-tiles {
            @if let Some(sold) = sold_today {
                a.tile href=(paths::sales()) {
                    span.tile-label { "Sold today" }
                    // In lakh above a lakh, so the figure fits its tile; the exact
                    // amount is its title.
                    span.tile-figure #figure-sold-today title=(sold.payable) { (lakh_crore(sold.payable)) }
                }
                a.tile href=(paths::sales()) {
                    span.tile-label { "Bills today" }
                    span.tile-figure #figure-bills-today { (group_indian(u64::try_from(sold.bills).unwrap_or(0))) }
                }
            }
            a.tile href=(paths::customers()) {
                span.tile-label { "Customers" }
                span.tile-figure #figure-customers { (group_indian(board.customers_total)) }
            }
            div.tile {
                span.tile-label { "Added today" }
                span.tile-figure #figure-added-today { (group_indian(board.added_today as u64)) }
            }
            a.tile href=(paths::products().with("in_stock", "true")) {
                span.tile-label { "Pieces in stock" }
                span.tile-figure { (group_indian(pieces)) }
            }
            a.tile.attention[board.low_stock_total > 0] href="#low-stock" {
                span.tile-label { "Lines running out" }
                span.tile-figure { (group_indian(board.low_stock_total as u64)) }
            }
        }
    }
}

/// Each floor's figures, or how to add the first floor.
fn floors_today(viewer: &Viewer, board: &Dashboard) -> Markup {
    html! {
        section.card.wide {
            h2 { "Floors today" }
            @if board.floors.is_empty() {
                p.empty { "No floors yet. "
                    @if viewer.actor.may(Permission::ManageFloors) { a href=(paths::floors()) { "Add the store's floors" } } }
            } @else {
                table.list #floor-figures {
                    thead { tr {
                        th scope="col" { "Floor" }
                        th scope="col" .num { "New customers" }
                        th scope="col" .num { "Lines" }
                        th scope="col" .num { "Pieces" }
                        th scope="col" .num { "Running out" }
                    } }
                    tbody {
                        @for f in &board.floors {
                            tr {
                                td { a href=(paths::products().with("floor_id", f.floor.id)) { (f.floor.name.as_str()) } }
                                td.num { (f.added_today) }
                                td.num { (group_indian(f.lines as u64)) }
                                td.num { (group_indian(f.pieces)) }
                                td.num { (f.low_stock) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn recent_customers(board: &Dashboard, tz: &TimeZone) -> Markup {
    html! {
        section.card {
            h2 { "Recently added customers" }
            @if board.recent.is_empty() {
                p.empty { "No customers yet. " a href=(paths::new_customer()) { "Add the first one" } }
            } @else {
                ul.plain-list #recent-customers {
                    @for c in &board.recent {
                        li {
                            a href=(paths::customer(c.id)) { (c.name.as_str()) }
                            span.sub { (c.code()) " · " (when(c.created_at, tz)) }
                        }
                    }
                }
            }
        }
    }
}

/// The lines with [`LOW_STOCK`] pieces or fewer, fewest first.
fn running_out(board: &Dashboard) -> Markup {
    html! {
        section.card #low-stock {
            h2 { "Running out (" (plural(LOW_STOCK, "piece", "pieces")) " or none left)" }
            @if board.low_stock.is_empty() {
                p.empty { "Nothing is running out." }
            } @else {
                ul.plain-list {
                    @for p in &board.low_stock {
                        li {
                            a href=(paths::product(p.id)) { (p.name.as_str()) }
                            span.sub { (p.sku.as_str()) " · "
                                @if p.stock_qty == 0 { strong.danger-text { "none left" } } @else { (p.stock_qty) " left" } }
                        }
                    }
                }
                @if board.low_stock_total > board.low_stock.len() {
                    p.hint { (board.low_stock_total - board.low_stock.len()) " more lines are running out." }
                }
            }
        }
    }
}
