//! Getting in: the sign-in page, signing out, the tablet's lock screen, and the
//! one-time setup page of a new box.

mod first_run;
mod login;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::LOGIN, get(login::show).post(login::submit))
        .route(paths::SETUP, get(first_run::show).post(first_run::submit))
        .route(paths::LOGOUT, post(login::logout))
        .route(paths::LOCK, post(login::lock))
        .route(paths::UNLOCK, post(login::unlock))
}
