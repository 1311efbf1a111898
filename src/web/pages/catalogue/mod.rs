//! The catalogue: products (grid, own page, form), the category tree, and the day's
//! metal rates that price them.

mod categories;
mod product_form;
mod product_page;
mod products;
mod rates;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::CATEGORIES,
            get(categories::list).post(categories::create),
        )
        .route(
            paths::CATEGORY,
            get(categories::show).post(categories::update),
        )
        .route(paths::DELETE_CATEGORY, post(categories::delete))
        .route(paths::RATES, get(rates::show).post(rates::update))
        .route(paths::RATE_STRIP, get(rates::strip))
        .route(
            paths::PRODUCTS,
            get(products::list).post(product_page::create),
        )
        .route(paths::NEW_PRODUCT, get(product_page::new_form))
        .route(
            paths::PRODUCT,
            get(product_page::show).post(product_page::update),
        )
        .route(paths::EDIT_PRODUCT, get(product_page::edit_form))
        .route(paths::DELETE_PRODUCT, post(product_page::delete))
}
