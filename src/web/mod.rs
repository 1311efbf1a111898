//! HTTP: the router, extractors, the error edge and the JSON API. Handlers extract
//! input, call one `app` function and render; they never open a database transaction.

pub mod api;
pub mod assets;
pub mod client_address;
pub mod error;
pub mod exports;
pub mod extract;
mod health;
pub mod idempotency;
pub mod metrics;
pub mod pages;
pub mod paths;
pub mod rate_limit;
pub mod serve_file;
pub mod uploads;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use std::sync::Arc;

use crate::app::Crm;
use crate::net::pairing::Pairing;
use error::AppError;

/// Answers smaller than this go out as they are (see the compression layer).
const COMPRESS_ABOVE_BYTES: u64 = 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub crm: Crm,
    /// Whether browsers reach the app over HTTPS, which decides the session cookie's
    /// `Secure` flag and `__Host-` name.
    pub https: bool,
    /// The box's addresses and CA, for the pairing page; `None` over plain HTTP.
    pub pairing: Option<Arc<Pairing>>,
    /// How many list exports may run at once (`web::exports`).
    pub exports: exports::ExportSlots,
}

/// The whole HTTP surface: the pages, their assets, the API, its OpenAPI document, the
/// health check and the metrics.
///
/// `pairing` is given when the app is served over HTTPS with the box's own CA: the CA
/// is then offered at `/ca.pem` too, `/pair` shows how tablets join, and cookies are
/// marked `Secure`.
pub fn router(
    crm: Crm,
    pairing: Option<Arc<Pairing>>,
    connections: Option<metrics::ConnectionCount>,
) -> Router {
    let config = crm.config().clone();
    let https = pairing.is_some();
    let ca_pem = pairing.as_ref().map(|p| p.ca_pem.clone());
    let (api, mut openapi) = api::router().split_for_parts();
    utoipa::Modify::modify(&idempotency::IdempotencyHeader, &mut openapi);
    // After the header, whose operations it documents the reused-key refusal of.
    utoipa::Modify::modify(&api::problems::CommonProblems, &mut openapi);
    let keyed_operations = idempotency::keyed_operations(&openapi);
    let openapi_json = std::sync::Arc::new(openapi.to_pretty_json().unwrap_or_default());
    // On the API's own routes only: pages are not limited, and a request refused here
    // never reaches its handler.
    let api = api.layer(axum::middleware::from_fn_with_state(
        rate_limit::RateLimits::new(&config.rate_limits),
        rate_limit::limit,
    ));
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
    .route(
        paths::CA_PEM,
        axum::routing::get(move || {
            let pem = ca_pem.clone();
            async move {
                match pem {
                    Some(pem) => crate::net::redirect::ca(pem).await,
                    None => not_found(axum::http::Uri::from_static(paths::CA_PEM)).await,
                }
            }
        }),
    )
    .route(paths::FAVICON_ICO, axum::routing::get(favicon))
    .route(paths::FAVICON_SVG, axum::routing::get(favicon))
    .route("/assets/{*name}", axum::routing::get(assets::serve))
    .merge(pages::router())
    .fallback(not_found)
    .method_not_allowed_fallback(|| async {
        AppError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "this address does not accept that method; see /api/openapi.json",
        )
    })
    .layer(DefaultBodyLimit::max(config.server.max_body_bytes))
    // Inside the timeout, which so bounds a repeat's wait for its first request, and
    // inside the headers and compression layers, so a kept answer is the handler's own.
    .layer(axum::middleware::from_fn_with_state(
        idempotency::Idempotency::new(
            crm.clone(),
            idempotency::Limits::default(),
            keyed_operations,
        ),
        idempotency::run_once,
    ))
    .layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(config.server.request_timeout_secs),
    ))
    .layer(axum::middleware::map_response(security_headers))
    .layer(
        CompressionLayer::new()
            // On the store's Wi-Fi the fastest level already shrinks a page about as
            // much as the wire needs; the default level took a third of a page's CPU.
            .quality(tower_http::CompressionLevel::Fastest)
            // An Excel file is a zip already: compressing it again only spends the CPU.
            // An answer under a kilobyte fits one packet either way, and setting up a
            // compressor for it cost more than the rest of a `/healthz` request.
            .compress_when(
                SizeAbove::new(COMPRESS_ABOVE_BYTES)
                    .and(NotForContentType::GRPC)
                    .and(NotForContentType::IMAGES)
                    .and(NotForContentType::SSE)
                    .and(NotForContentType::const_new("font/"))
                    .and(NotForContentType::const_new(
                        crate::reports::ExportFormat::XLSX_TYPE,
                    )),
            ),
    )
    .layer(TraceLayer::new_for_http())
    .layer(axum::middleware::map_response(
        move |response: axum::response::Response| strict_transport(https, response),
    ))
    // Outside every layer that reads the session cookie, so they all know which one counts.
    .layer(axum::Extension(if https {
        extract::Transport::Https
    } else {
        extract::Transport::Http
    }))
    // Outermost, so the timeout's and every other layer's answers are counted too.
    .layer(axum::middleware::from_fn_with_state(
        metrics::HttpMetrics::counting(connections),
        metrics::record,
    ))
    .with_state(AppState {
        crm,
        https,
        pairing,
        exports: exports::ExportSlots::default(),
    })
}

/// Nothing here: a page for people, problem+json for API clients.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "there is nothing at this address; see /api/openapi.json for the API",
        )
        .into_response()
    } else {
        pages::shell::error::error_page(
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is nothing at this address. Use the menu or the search box to find what you need.",
        )
    }
}

/// Headers every answer carries. Pages may load only this site's own files, may not be
/// framed by another site, and run no inline script (htmx is configured to need none).
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::HeaderValue;
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        axum::http::header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.as_bytes());
    // `application/json` and `application/problem+json`: what the API answers.
    let is_html_or_json = content_type.is_some_and(|v| {
        v.starts_with(b"text/html")
            || (v.starts_with(b"application/")
                && v.split(|b| *b == b';')
                    .next()
                    .is_some_and(|essence| essence.ends_with(b"json")))
    });
    if is_html_or_json && !headers.contains_key(axum::http::header::CACHE_CONTROL) {
        // Pages and API answers show private data; never keep them in a shared cache,
        // a proxy's or the back button's.
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// Over HTTPS, tells browsers to use nothing else for this host for a year, so a
/// device on the store network cannot talk them down to plain HTTP (or plant a cookie
/// there). Plain-HTTP answers do not carry it: browsers ignore it there anyway.
async fn strict_transport(
    https: bool,
    mut response: axum::response::Response,
) -> axum::response::Response {
    if https {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
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
