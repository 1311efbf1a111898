//! The counter: the sales register, the bill form, a sale's own page (correct,
//! complete, cancel, take pieces back) and the printable GST invoice.

mod bill_form;
mod correct;
mod counter_rules;
mod invoice;
mod register;
mod sale_page;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::SALES, get(register::list))
        .route(
            paths::NEW_SALE,
            get(register::new_form).post(register::submit),
        )
        .route(paths::SALE, get(sale_page::show))
        .route(paths::EDIT_SALE, get(correct::form).post(correct::submit))
        .route(paths::COMPLETE_SALE, post(sale_page::complete))
        .route(paths::CANCEL_SALE, post(sale_page::cancel))
        .route(paths::REFUND_SALE, post(sale_page::refund))
        .route(paths::INVOICE, get(invoice::show))
}
