//! What a use case returns when it cannot do what was asked.
//!
//! Each variant carries a message written for the person at the counter; the web
//! layer maps variants to HTTP statuses. `Internal` details are logged there, with
//! the whole chain of causes, and never shown.

use crate::domain::FieldErrors;
use crate::search::SearchError;
use crate::store::StoreError;

/// The underlying error of an [`InternalError`], kept so the log can name the cause.
type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Some fields are wrong; each message says how to fix its field.
    #[error("some fields need correcting: {0}")]
    Invalid(FieldErrors),
    /// A query parameter that says which part of a list to read (`limit`, `cursor`…)
    /// cannot be used; each message names the parameter and how to fix it.
    #[error("the list cannot be read that way: {0}")]
    BadQuery(FieldErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Signed in, but this role or floor may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Not signed in, or the sign-in has expired or failed.
    #[error("{0}")]
    Unauthorized(String),
    /// The change clashes with data already stored (a phone number already in use…).
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<&'static str>,
        existing_id: Option<String>,
    },
    /// Too many attempts (wrong passwords) or too many at once: try again after
    /// `retry_after_secs` seconds.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// Something failed that the person cannot fix: a broken disk, a bug.
    #[error(transparent)]
    Internal(InternalError),
}

/// What the code was doing when it failed, and the error it met (if any), which stays
/// reachable through [`std::error::Error::source`].
#[derive(Debug)]
pub struct InternalError {
    context: String,
    cause: Option<Cause>,
}

impl std::fmt::Display for InternalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.context)
    }
}

impl std::error::Error for InternalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

impl Error {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Invalid(errors)
    }

    /// An internal failure while doing `context` (said as what was being done:
    /// "hashing a password"), keeping `cause` for the log.
    pub fn internal(context: impl Into<String>, cause: impl Into<Cause>) -> Self {
        Error::Internal(InternalError {
            context: context.into(),
            cause: Some(cause.into()),
        })
    }

    /// An internal failure with no underlying error: a state the code should never
    /// reach, such as a record naming another that does not exist.
    pub fn internal_message(message: impl Into<String>) -> Self {
        Error::Internal(InternalError {
            context: message.into(),
            cause: None,
        })
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate { what, .. } => Error::Conflict {
                message: format!("that {what} is already in use"),
                field: None,
                existing_id: None,
            },
            other => Error::internal("the database failed", other),
        }
    }
}

impl From<SearchError> for Error {
    fn from(err: SearchError) -> Self {
        Error::internal("the search index failed", err)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn an_internal_error_keeps_its_cause() {
        let err = Error::internal("reading the rates", std::io::Error::other("disk on fire"));
        assert_eq!(err.to_string(), "reading the rates");
        let cause = err.source().expect("the cause is kept");
        assert_eq!(cause.to_string(), "disk on fire");
    }

    #[test]
    fn a_database_failure_keeps_the_store_error() {
        let err = Error::from(StoreError::Codec("a record is cut short".into()));
        assert!(matches!(err, Error::Internal(_)), "{err:?}");
        let cause = err.source().expect("the store error is kept");
        assert!(
            cause.to_string().contains("a record is cut short"),
            "{cause}"
        );
    }

    #[test]
    fn a_message_alone_has_no_cause() {
        let err = Error::internal_message("a follow-up names a missing customer");
        assert_eq!(err.to_string(), "a follow-up names a missing customer");
        assert!(err.source().is_none());
    }
}
