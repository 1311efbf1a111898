//! The catalogue: products (grid, own page, form, photos), the category tree, and the
//! day's metal rates that price them.

mod categories;
mod category_tree;
mod product_form;
mod product_page;
mod product_photos;
mod products;
mod rates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
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
        // A photo is streamed to disk with its own limit (`files.photo_max_mb`), not
        // held to the one for forms.
        .route(
            paths::PRODUCT_PHOTOS,
            post(product_photos::add).layer(DefaultBodyLimit::disable()),
        )
        .route(paths::PRODUCT_COVER, post(product_photos::make_cover))
        .route(paths::REMOVE_PRODUCT_PHOTO, post(product_photos::remove))
}
