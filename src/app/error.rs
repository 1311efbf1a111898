//! What a use case returns when it cannot do what was asked.
//!
//! Each variant carries a message written for the person at the counter; the web
//! layer maps variants to HTTP statuses. `Internal` details are logged there, never shown.

use crate::domain::FieldErrors;
use crate::store::StoreError;

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
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Invalid(errors)
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
            other => Error::Internal(other.to_string()),
        }
    }
}
