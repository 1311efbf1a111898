//! Running the store: the team, the floors, the store's own settings and logo, the audit
//! trail, one's profile, pairing a tablet with the box, and integrations' API keys.

mod api_keys;
mod audit;
mod floors;
mod logo;
mod pair;
mod profile;
mod sign_in_alerts;
mod store;
mod team;

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;
use crate::web::paths;

/// This area's addresses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::FLOORS, get(floors::list).post(floors::create))
        .route(paths::FLOOR, get(floors::show).post(floors::update))
        .route(paths::DELETE_FLOOR, post(floors::delete))
        .route(paths::RESTORE_FLOOR, post(floors::restore))
        .route(paths::TEAM, get(team::list).post(team::create))
        .route(paths::TEAM_MEMBER, get(team::show).post(team::update))
        .route(paths::DELETE_TEAM_MEMBER, post(team::delete))
        .route(paths::LET_TRY_AGAIN, post(sign_in_alerts::let_try_again))
        .route(paths::PROFILE, get(profile::show).post(profile::update))
        .route(paths::PROFILE_PASSWORD, post(profile::change_password))
        .route(paths::SETTINGS, get(store::show).post(store::update))
        .route(
            paths::STORE_LOGO,
            // The upload enforces the logo's own limit as it streams.
            post(logo::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(paths::REMOVE_STORE_LOGO, post(logo::remove))
        .route(paths::PAIR, get(pair::show))
        .route(paths::AUDIT, get(audit::show))
        .route(paths::API_KEYS, get(api_keys::show).post(api_keys::create))
        .route(paths::REVOKE_API_KEY, post(api_keys::revoke))
}
