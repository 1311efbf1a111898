//! The owner's analytics pages: sales (`/reports/sales`, with its exports and the
//! revenue forecast) and the floors' funnel (`/reports/floors`).

mod floors;
mod forecast_section;
mod sales;
mod sales_export;
mod sales_form;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new().merge(sales_routes()).merge(floors_routes())
}

fn sales_routes() -> Router<AppState> {
    Router::new()
        .route(paths::REPORT_SALES, get(sales::show))
        .route(paths::REPORT_SALES_CSV, get(sales_export::csv))
        .route(paths::REPORT_SALES_XLSX, get(sales_export::xlsx))
}

fn floors_routes() -> Router<AppState> {
    Router::new().route(paths::REPORT_FLOORS, get(floors::show))
}
