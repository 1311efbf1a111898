//! The one error type at the HTTP edge, and what to return from where.
//!
//! - Handlers return `Result<_, AppError>`; `?` on an [`app::Error`] converts.
//! - Extractors reject with `AppError` too, so malformed JSON, unknown fields, bad
//!   query values and oversized bodies all answer as RFC 9457 problem+json.
//! - The message shown is written for people; internal details are logged once here
//!   and never sent.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`/problems/validation`, …).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong and what to do, for people.
    pub detail: String,
    /// Per-field messages, keyed by the input field name (`phone`, `address.pincode`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, String>,
    /// For a conflict: the id of the record that already holds the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
}

#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    kind: &'static str,
    detail: String,
    errors: BTreeMap<String, String>,
    existing_id: Option<String>,
    /// Seconds to wait before trying again, sent as `Retry-After`.
    retry_after_secs: Option<u64>,
}

impl AppError {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            detail: detail.into(),
            errors: BTreeMap::new(),
            existing_id: None,
            retry_after_secs: None,
        }
    }

    /// A problem with one named input field.
    pub fn field(status: StatusCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        let field = field.into();
        let mut err = Self::new(status, "validation", format!("{field}: {message}"));
        err.errors.insert(field, message);
        err
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("{what} not found; it may have been removed, or the link is wrong"),
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What a page says about it: the per-field messages, or the detail.
    pub fn message(&self) -> String {
        if self.errors.is_empty() {
            self.detail.clone()
        } else {
            self.errors.values().cloned().collect::<Vec<_>>().join(" ")
        }
    }
}

impl From<app::Error> for AppError {
    fn from(err: app::Error) -> Self {
        match err {
            app::Error::Invalid(fields) => {
                let detail = format!("Please correct: {fields}");
                let mut out = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", detail);
                out.errors = fields.into_map();
                out
            }
            app::Error::BadQuery(parameters) => {
                let detail = format!("Please correct: {parameters}");
                let mut out = Self::new(StatusCode::BAD_REQUEST, "validation", detail);
                out.errors = parameters.into_map();
                out
            }
            app::Error::NotFound(what) => Self::not_found(what),
            app::Error::Forbidden(message) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            app::Error::Unauthorized(message) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            }
            app::Error::Conflict {
                message,
                field,
                existing_id,
            } => {
                let mut out = Self::new(StatusCode::CONFLICT, "conflict", message.clone());
                if let Some(field) = field {
                    out.errors.insert(field.to_owned(), message);
                }
                out.existing_id = existing_id;
                out
            }
            app::Error::TooManyRequests {
                message,
                retry_after_secs,
            } => {
                let mut out =
                    Self::new(StatusCode::TOO_MANY_REQUESTS, "too-many-requests", message);
                out.retry_after_secs = Some(retry_after_secs);
                out
            }
            app::Error::Internal(internal) => {
                tracing::error!(error = %error_chain(&internal), "request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on the server; try again, and if it keeps happening tell the technician",
                )
            }
        }
    }
}

/// An error and every cause under it, joined with ": ", for the log: the context
/// ("hashing a password") and what actually failed (the I/O or database error).
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = Problem {
            kind: format!("/problems/{}", self.kind),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
            existing_id: self.existing_id,
        };
        let mut response = (self.status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logged_chain_holds_the_context_and_the_inner_error() {
        let err = app::Error::internal(
            "reading the size of the database file",
            std::io::Error::other("permission denied"),
        );
        assert_eq!(
            error_chain(&err),
            "reading the size of the database file: permission denied"
        );
    }

    #[test]
    fn the_logged_chain_reaches_a_database_error() {
        let err = app::Error::from(crate::store::StoreError::Codec(
            "a record is cut short".into(),
        ));
        let logged = error_chain(&err);
        assert!(logged.starts_with("the database failed: "), "{logged}");
        assert!(logged.contains("a record is cut short"), "{logged}");
    }

    #[test]
    fn an_internal_error_shows_only_the_friendly_message() {
        let err = AppError::from(app::Error::internal(
            "hashing a password",
            std::io::Error::other("secret detail"),
        ));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!err.detail.contains("secret detail"), "{}", err.detail);
        assert!(err.detail.contains("try again"), "{}", err.detail);
    }
}
