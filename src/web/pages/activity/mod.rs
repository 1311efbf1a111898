//! The work with customers between sales: interactions, follow-ups, walk-ins, the
//! customer's timeline, My day and the pipeline.

mod customer_panel;
mod fields;
mod handlers;
mod my_day;
mod pipeline;
mod walk_in;

/// What the customer's page shows of the customer's activity.
pub use customer_panel::{forms, open_follow_ups, shown_in, timeline};
/// A refused activity form, and the notice after one was saved.
pub use fields::{Failed, notice};
/// The "Walk-in" button (dashboard, customer list).
pub use walk_in::button as walk_in_button;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            paths::CUSTOMER_INTERACTIONS,
            post(handlers::log_interaction),
        )
        .route(paths::CUSTOMER_FOLLOW_UPS, post(handlers::add_follow_up))
        .route(
            paths::CUSTOMER_TIMELINE,
            get(customer_panel::timeline_fragment),
        )
        .route(paths::CUSTOMER_HAND_OFF, post(handlers::hand_off))
        .route(paths::FOLLOW_UP, post(handlers::change_follow_up))
        .route(paths::WALK_INS, post(walk_in::create))
        .route(paths::NEW_WALK_IN, get(walk_in::new_form))
        .route(paths::MY_DAY, get(my_day::show))
        .route(paths::PIPELINE, get(pipeline::show))
}
