//! The owner's analytics pages under `/reports/…`, each file one report with its
//! exports: sales (with the revenue forecast), the floors' funnel, customers and products.

mod customers;
mod floors;
mod forecast_section;
mod products;
mod report_form;
mod sales;
mod sales_export;
mod sales_form;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sales_routes())
        .merge(floors_routes())
        .merge(people_routes())
}

fn sales_routes() -> Router<AppState> {
    Router::new()
        .route(paths::REPORTS_SALES, get(sales::show))
        .route(paths::REPORTS_SALES_CSV, get(sales_export::csv))
        .route(paths::REPORTS_SALES_XLSX, get(sales_export::xlsx))
}

fn floors_routes() -> Router<AppState> {
    Router::new().route(paths::REPORTS_FLOORS, get(floors::show))
}

fn people_routes() -> Router<AppState> {
    Router::new()
        .route(paths::REPORTS_CUSTOMERS, get(customers::show))
        .route(paths::REPORTS_CUSTOMERS_CSV, get(customers::csv))
        .route(paths::REPORTS_CUSTOMERS_XLSX, get(customers::xlsx))
        .route(paths::REPORTS_PRODUCTS, get(products::show))
        .route(paths::REPORTS_PRODUCTS_CSV, get(products::csv))
        .route(paths::REPORTS_PRODUCTS_XLSX, get(products::xlsx))
}
