//! The first screen and the search box every page carries: the dashboard and the
//! search suggestions.

mod dashboard;
mod search;

use axum::Router;
use axum::routing::get;

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::HOME, get(dashboard::show))
        .route(paths::SEARCH_SUGGEST, get(search::suggest))
}
