//! The customers: the list with its search and filters, the customer's own page with
//! their documents, and the form that adds and edits one. The activity half of a customer's page (timeline,
//! follow-ups) is in `activity`.

mod documents;
mod form;
mod list;
mod merge;
mod page;
mod page_view;

/// The customer's page, drawn again by the activity forms that post from it.
pub use page::render as customer_page;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::CUSTOMERS, get(list::list).post(page::create))
        .route(paths::NEW_CUSTOMER, get(page::new_form))
        .route(paths::CUSTOMER_DUPLICATES, get(merge::duplicates))
        .route(
            paths::CUSTOMER_MERGE,
            get(merge::compare).post(merge::merge),
        )
        .route(
            paths::UNDO_CUSTOMER_MERGE,
            get(merge::undo_form).post(merge::undo),
        )
        .route(paths::CUSTOMER, get(page::show).post(page::update))
        .route(paths::EDIT_CUSTOMER, get(page::edit_form))
        .route(paths::DELETE_CUSTOMER, post(page::delete))
        .route(paths::RESTORE_CUSTOMER, post(page::restore))
        // A document is streamed to disk with its own limit (`files.document_max_mb`),
        // not held to the one for forms.
        .route(
            paths::CUSTOMER_DOCUMENTS,
            post(documents::add).layer(DefaultBodyLimit::disable()),
        )
        .route(paths::REMOVE_CUSTOMER_DOCUMENT, post(documents::remove))
}
