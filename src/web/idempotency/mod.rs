//! A press is one action: requests that carry an idempotency key are run once per
//! signed-in user and key, and a repeat gets the first answer again.
//!
//! Where the key comes from:
//! - The API takes the `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header)
//!   on `POST` and `PATCH`, except the sign-in routes under `/api/auth/`, whose answers
//!   carry credentials that must never be handed out twice.
//! - Page forms carry a one-time key the server drew into a hidden field
//!   ([`IDEMPOTENCY_FIELD`], rendered by `pages::shell::forms::form_keys` beside the
//!   CSRF token).
//!
//! What happens to a keyed request, in one layer in front of every handler:
//! - Same user, key and request (method, address and body) as one that finished: its
//!   answer is sent again, status, headers and body, and nothing runs.
//! - Same user and key with a different request: 422, and nothing runs.
//! - Any request with a key whose first request is still running (a double tap): it
//!   waits for the first, then is treated as above. Waiting rather than answering 409
//!   is what a double tap needs: the second press shows what the first did. The
//!   request timeout bounds the wait.
//! - A request without a session, or whose session or CSRF token does not hold, is
//!   passed on untouched: the handler refuses it as it always does.
//!
//! Which answers are kept: only those of requests that went through. For the API that
//! is a success (2xx). A refusal is not kept, not even a 422: many depend on what is
//! stored (the counter's rules look at the bill as saved and the customer's cash that
//! day, a clash at the phones on file), so a retry with the same key once the cause is
//! put right must run again. For pages it is a form that went through (a 303 to the
//! next page, or htmx's `HX-Redirect`): a refused form is drawn again for correcting,
//! and its corrected copy must run under the same key. Requests without a key pass
//! through untouched.

mod keys;
mod openapi;

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

pub use keys::Limits;
use keys::{Answer, Begin, KeyStore, Slot};
pub use openapi::{IdempotencyHeader, keyed_operations};

use super::error::AppError;
use super::extract::{TokenSource, session_token};
use super::pages::shell::error::{PageError, error_page};
use super::pages::shell::session::{
    FormData, csrf_header, csrf_matches, csrf_token, from_this_site,
};
use crate::app::Crm;

/// The API's header.
pub const IDEMPOTENCY_HEADER: HeaderName = HeaderName::from_static("idempotency-key");
/// The hidden field of page forms.
pub const IDEMPOTENCY_FIELD: &str = "_idempotency_key";
/// The longest key taken; the draft leaves it to the server, and a UUID is 36.
pub const MAX_KEY_LENGTH: usize = 255;

/// The layer's state: the app (to know who is asking), the keys, and the API
/// operations that honour a key.
#[derive(Debug, Clone)]
pub struct Idempotency {
    crm: Crm,
    keys: Arc<KeyStore>,
    max_body: usize,
    api_operations: Arc<ApiOperations>,
}

/// The API operations that take the header, as the router matches them: the method
/// and the path template (`/api/sales/{id}/complete`).
pub type ApiOperations = std::collections::HashSet<(Method, String)>;

impl Idempotency {
    /// The layer for the API operations `api_operations` (see
    /// [`keyed_operations`]) and every page form.
    pub fn new(crm: Crm, limits: Limits, api_operations: ApiOperations) -> Self {
        let max_body = crm.config().server.max_body_bytes;
        Self {
            crm,
            keys: KeyStore::new(limits),
            max_body,
            api_operations: Arc::new(api_operations),
        }
    }
}

/// Who the request is for: the API's clients or people at a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Api,
    Page,
}

impl Surface {
    /// Only an operation the API serves takes a key: a method or an address it does
    /// not serve is left to the router to answer 405 or 404, whatever key it carries.
    fn of(parts: &Parts, api_operations: &ApiOperations) -> Option<Self> {
        let path = parts.uri.path();
        if path.starts_with("/api/") {
            let served = parts
                .extensions
                .get::<MatchedPath>()
                .is_some_and(|matched| {
                    api_operations.contains(&(parts.method.clone(), matched.as_str().to_owned()))
                });
            (served && parts.headers.contains_key(IDEMPOTENCY_HEADER)).then_some(Surface::Api)
        } else {
            let form = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            (parts.method == Method::POST && form).then_some(Surface::Page)
        }
    }

    /// Whether an answer is kept for repeats (see the module's notes).
    fn keeps(self, response: &Response) -> bool {
        let status = response.status();
        match self {
            Surface::Api => status.is_success(),
            Surface::Page => {
                (status.is_redirection() && response.headers().contains_key(header::LOCATION))
                    || (status == StatusCode::NO_CONTENT
                        && response.headers().contains_key("hx-redirect"))
            }
        }
    }

    fn refuse(
        self,
        status: StatusCode,
        kind: &'static str,
        api: &str,
        page: (&str, &str),
    ) -> Response {
        match self {
            Surface::Api => AppError::new(status, kind, api.to_owned()).into_response(),
            Surface::Page => error_page(status, page.0, page.1),
        }
    }
}

/// The layer: runs a keyed request once per user and key (see the module's notes).
pub async fn run_once(State(guard): State<Idempotency>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Some(surface) = Surface::of(&parts, &guard.api_operations) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let too_large = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|length| length > guard.max_body);
    let bytes = if too_large {
        None
    } else {
        axum::body::to_bytes(body, guard.max_body).await.ok()
    };
    let Some(bytes) = bytes else {
        return match surface {
            Surface::Api => AppError::field(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body",
                "is too large; send less data in one request",
            )
            .into_response(),
            Surface::Page => PageError::TooLarge.into_response(),
        };
    };
    let form = (surface == Surface::Page).then(|| FormData::parse(&bytes));
    let key = match surface {
        Surface::Api => parts
            .headers
            .get(IDEMPOTENCY_HEADER)
            .map(|v| v.to_str().unwrap_or("")),
        Surface::Page => form.as_ref().and_then(|f| f.get(IDEMPOTENCY_FIELD)),
    };
    let key = match key.map(parse_key) {
        None => {
            return next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
        }
        Some(Some(key)) => key,
        Some(None) => {
            return surface.refuse(
                StatusCode::BAD_REQUEST,
                "idempotency-key-invalid",
                "the Idempotency-Key header must be 1 to 255 visible characters, such as a UUID, optionally in double quotes",
                ("This form is damaged", "Open the form again from the menu and fill it in once more"),
            );
        }
    };
    let Some(user) = signed_in_user(&guard.crm, &parts, form.as_ref()).await else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    let slot = Slot { user, key };
    let fingerprint = fingerprint(&parts, &bytes);
    loop {
        match guard.keys.begin(slot.clone(), fingerprint, Instant::now()) {
            Begin::Replay(answer) => return replay(&answer),
            Begin::Mismatch => {
                return surface.refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    "this Idempotency-Key was already used for a different request; send a new key with each new request",
                    ("This form was already sent", "It was saved the first time it was sent. To add another, open the form again"),
                );
            }
            Begin::Wait(mut finished) => {
                // The first request drops its side when it ends, which wakes this one.
                let _ = finished.changed().await;
            }
            Begin::Run(ticket) => {
                let response = next
                    .run(Request::from_parts(parts, Body::from(bytes)))
                    .await;
                if !surface.keeps(&response) {
                    ticket.finish(None, Instant::now());
                    return response;
                }
                let (answer, response) = keep(response, guard.keys.limits().answer_bytes).await;
                ticket.finish(answer, Instant::now());
                return response;
            }
        }
    }
}

/// A new key for a page form: 128 random bits, so two forms never share one.
pub fn one_time_key() -> String {
    let mut raw = [0u8; 16];
    rand::fill(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// A key as sent: visible ASCII, at most [`MAX_KEY_LENGTH`] long; the draft writes it
/// as a quoted string, and a bare one is taken too.
fn parse_key(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let key = raw
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(raw);
    let visible = key.bytes().all(|b| b.is_ascii_graphic() && b != b'"');
    (!key.is_empty() && key.len() <= MAX_KEY_LENGTH && visible).then(|| key.to_owned())
}

/// The user behind the request, when its session holds and, for the browser's cookie,
/// the request came from this site with the session's CSRF token, as the handlers
/// themselves require. Anything less is left to the handler to refuse.
async fn signed_in_user(
    crm: &Crm,
    parts: &Parts,
    form: Option<&FormData>,
) -> Option<crate::domain::UserId> {
    let (token, source) = session_token(parts)?;
    if source == TokenSource::Cookie
        && !(from_this_site(&parts.headers)
            && csrf_matches(csrf_header(&parts.headers), form, &csrf_token(&token)))
    {
        return None;
    }
    crm.run(move |crm| crm.authenticate_api(&token, None))
        .await
        .ok()
        .map(|actor| actor.user_id)
}

fn fingerprint(parts: &Parts, body: &Bytes) -> keys::Fingerprint {
    let mut hash = Sha256::new();
    hash.update(parts.method.as_str().as_bytes());
    hash.update(b"\n");
    let target = parts.uri.path_and_query().map_or("", |pq| pq.as_str());
    hash.update(target.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().into()
}

/// Reads the answer's body so it can be kept, and gives the response back whole.
/// An answer of unknown or too great a size is not kept.
async fn keep(response: Response, limit: usize) -> (Option<Answer>, Response) {
    let fits = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|size| usize::try_from(size).is_ok_and(|size| size <= limit));
    if !fits {
        return (None, response);
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        // A body of known size that cannot be read is a fault of the handler's answer.
        tracing::error!("an answer to keep for an idempotency key could not be read");
        return (
            None,
            AppError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong; try again",
            )
            .into_response(),
        );
    };
    let mut headers = parts.headers.clone();
    headers.remove(header::SET_COOKIE);
    headers.remove(header::DATE);
    let answer = Answer {
        status: parts.status,
        headers,
        body: bytes.clone(),
    };
    (Some(answer), Response::from_parts(parts, Body::from(bytes)))
}

fn replay(answer: &Answer) -> Response {
    let mut response = Response::new(Body::from(answer.body.clone()));
    *response.status_mut() = answer.status;
    *response.headers_mut() = answer.headers.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_text_of_bounded_length_quoted_or_not() {
        assert_eq!(parse_key("\"abc-1\"").as_deref(), Some("abc-1"));
        assert_eq!(parse_key(" abc-1 ").as_deref(), Some("abc-1"));
        assert_eq!(parse_key(""), None);
        assert_eq!(parse_key("\"\""), None);
        assert_eq!(parse_key("a b"), None);
        assert_eq!(
            parse_key(&"k".repeat(MAX_KEY_LENGTH)).map(|k| k.len()),
            Some(255)
        );
        assert_eq!(parse_key(&"k".repeat(MAX_KEY_LENGTH + 1)), None);
    }
}
