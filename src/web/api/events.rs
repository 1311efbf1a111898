//! `GET /api/events`: the live store as Server-Sent Events.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiQuery, Auth, session_token};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Start after this change, as `Last-Event-ID` does (which wins when both are
    /// sent): a page passes the change its content was drawn at, so nothing made while
    /// it loaded is missed.
    #[param(minimum = 0)]
    #[serde(default, deserialize_with = "event_id")]
    pub after: Option<u64>,
}

const BAD_EVENT_ID: &str =
    "must be the id of an event from this stream, a whole number of 0 or more";

/// `after` as a sequence number, refused with what it must be rather than the parser's
/// words.
fn event_id<'de, D: serde::Deserializer<'de>>(from: D) -> Result<Option<u64>, D::Error> {
    let text = String::deserialize(from)?;
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(BAD_EVENT_ID))
}

/// The changes the caller may see, as they are committed, in change-log order:
/// `id:` is the change's sequence number, `event:` what kind of record changed
/// (`customer`, `sale`, `product`, `rate`, `interaction`, `follow-up`, `notification`…)
/// and `data:` a JSON object (`seq`, `kind`, `op`, `id`, `at`, and where the record has
/// them `floor`, `customer`, `status`, `invoice`, `total_paise`, `name`, `stock`, and a
/// notification's `title`, `body`, `link`, `urgent`). A client
/// reconnecting with `Last-Event-ID` is sent exactly what it missed, in order; when
/// that lies further back than the box keeps, one `resync` event instead. A comment
/// line comes every `live.heartbeat_secs` seconds; the stream ends when the session
/// ends or locks.
#[utoipa::path(get, path = "/api/events", tag = "live", params(EventsQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "The `id` of the last event received, when reconnecting")),
    responses(
        (status = 200, description = "An endless stream of events", content_type = "text/event-stream", body = String),
        (status = 400, body = Problem),
        (status = 401, body = Problem),
        (status = 429, body = Problem)))]
pub async fn live_events(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<EventsQuery>,
    parts: Parts,
) -> Result<Response, AppError> {
    let last_event_id = match parts.headers.get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    AppError::new(
                        StatusCode::BAD_REQUEST,
                        "bad-last-event-id",
                        format!("the Last-Event-ID header {BAD_EVENT_ID}"),
                    )
                })?,
        ),
        None => query.after,
    };
    let token = session_token(&parts)
        .map(|(token, _)| token)
        .unwrap_or_default();
    let events = state
        .crm
        .open_event_stream(&actor, &token, last_event_id)
        .await?;
    let mut response = Response::new(Body::from_stream(events.map(Ok::<_, Infallible>)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Tells any proxy in front of the box not to hold frames back.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}
