//! The dashboard (`/`): today's figures for the store and each floor, the customers
//! added most recently, and the catalogue lines running out.

use axum::extract::State;
use maud::{Markup, html};

use crate::app::{LOW_STOCK, Permission};
use crate::domain::group_indian;
use crate::web::AppState;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::layout::page;
use crate::web::pages::shell::session::Viewer;
use crate::web::paths;

/// `GET /`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    uri: axum::http::Uri,
) -> Result<Markup, PageError> {
    let params =
        crate::web::pages::shell::session::FormData::parse(uri.query().unwrap_or("").as_bytes());
    let actor = viewer.actor.clone();
    // Only the owner can act on backups, so only the owner is told about them here.
    let (board, backups) = state
        .crm
        .run(move |crm| {
            let backups = actor
                .may(Permission::ManageBackups)
                .then(|| crm.backup_status(&actor))
                .transpose()?;
            Ok((crm.dashboard(&actor)?, backups))
        })
        .await?;
    let tz = state.crm.config().time_zone();
    let today = crate::domain::format_date(state.crm.today());
    let pieces: u64 = board.floors.iter().map(|f| f.pieces).sum();
    let floors: Vec<_> = board.floors.iter().map(|f| f.floor.clone()).collect();
    let actions = html! {
        (crate::web::pages::activity::walk_in_button(&viewer, &floors))
        a.button.primary href=(paths::new_customer()) { (icon("plus")) "Add customer" }
    };
    let content = html! {
        (crate::web::pages::shell::components::done_notice(params.get("done")))
        @if let Some(backups) = &backups { (crate::web::pages::backups::dashboard_notice(backups)) }
        p.lead { "Today, " (today) }
        div.tiles {
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
        div.cards {
            section.card {
                h2 { "Recently added customers" }
                @if board.recent.is_empty() {
                    p.empty { "No customers yet. " a href=(paths::new_customer()) { "Add the first one" } }
                } @else {
                    ul.plain-list #recent-customers {
                        @for c in &board.recent {
                            li {
                                a href=(paths::customer(c.id)) { (c.name.as_str()) }
                                span.sub { (c.code()) " · " (when(c.created_at, &tz)) }
                            }
                        }
                    }
                }
            }
            section.card #low-stock {
                h2 { "Running out (" (LOW_STOCK) " piece or none left)" }
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
    };
    Ok(page(&viewer, "Dashboard", actions, content))
}
