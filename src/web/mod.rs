//! HTTP: the router, extractors, the error edge and the JSON API. Handlers extract
//! input, call one `app` function and render; they never open a database transaction.

pub mod api;
pub mod error;
pub mod extract;
mod health;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::Crm;
use error::AppError;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub crm: Crm,
}

/// The whole HTTP surface: the API, its OpenAPI document and the health check.
pub fn router(crm: Crm) -> Router {
    let config = crm.config().clone();
    let (api, openapi) = api::router().split_for_parts();
    let openapi_json = std::sync::Arc::new(openapi.to_pretty_json().unwrap_or_default());
    api.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let body = openapi_json.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    body.as_ref().clone(),
                )
            }
        }),
    )
    .route("/favicon.ico", axum::routing::get(favicon))
    .route("/favicon.svg", axum::routing::get(favicon))
    .fallback(|| async {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "there is nothing at this address; see /api/openapi.json for the API",
        )
    })
    .method_not_allowed_fallback(|| async {
        AppError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "this address does not accept that method; see /api/openapi.json",
        )
    })
    .layer(DefaultBodyLimit::max(config.server.max_body_bytes))
    .layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(config.server.request_timeout_secs),
    ))
    .layer(TraceLayer::new_for_http())
    .with_state(AppState { crm })
}

/// The store's icon, so browsers opening the address get one. Embedded in the binary.
async fn favicon() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../assets/favicon.svg"),
    )
}
