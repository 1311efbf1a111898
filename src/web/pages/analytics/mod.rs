//! The analytics pages under `/reports/…`: each file is one report with its exports.

mod customers;
mod products;
mod report_form;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::REPORTS_CUSTOMERS, get(customers::show))
        .route(paths::REPORTS_CUSTOMERS_CSV, get(customers::csv))
        .route(paths::REPORTS_CUSTOMERS_XLSX, get(customers::xlsx))
        .route(paths::REPORTS_PRODUCTS, get(products::show))
        .route(paths::REPORTS_PRODUCTS_CSV, get(products::csv))
        .route(paths::REPORTS_PRODUCTS_XLSX, get(products::xlsx))
}
