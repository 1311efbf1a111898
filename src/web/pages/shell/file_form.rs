//! A page's form that sends one file (a product photo, a customer's document): the
//! browser's `multipart/form-data` body streamed to the stored files' `incoming/` folder
//! by `web::uploads`, with the same checks as every other form (from this site, with this
//! session's CSRF token). A file that is refused comes back as a [`Refusal`], which the
//! page draws beside its form, rather than as an error page: the person chose a wrong
//! file, and the next thing they do is choose another.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{HeaderMap, StatusCode};

use super::components::sentence;
use super::error::PageError;
use super::form_flow::save_errors;
use super::session::{FormData, Viewer, csrf_header, csrf_matches, from_this_site};
use crate::app::Error;
use crate::app::files::Incoming;
use crate::web::{AppState, uploads};

/// Why a file was not kept, said to the person who chose it, and the page's status.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    /// The refusal of a use case that looked at the file (not a photo, too big once
    /// read, the same photo twice); anything that is not about the file (not found, not
    /// allowed, a fault) goes to the error page.
    pub fn of(err: Error) -> Result<Self, PageError> {
        let (status, errors) = save_errors(err, "file")?;
        let message = errors
            .iter()
            .map(|(_, message)| about_the_file(message))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self { status, message })
    }
}

/// A field's message as a sentence about the file: the app's field messages may be a
/// predicate (`is a PDF file; …`) to read after the field's name.
fn about_the_file(message: &str) -> String {
    let message = message.trim_end_matches('.');
    if message.starts_with("is ") || message.starts_with("has ") {
        format!("The file {message}.")
    } else {
        format!("{}.", sentence(message))
    }
}

/// The file a form sent, waiting in `incoming/`, and its other fields.
#[derive(Debug)]
pub struct FileForm {
    pub incoming: Incoming,
    pub fields: FormData,
}

/// Reads a form that sends one file of at most `limit` bytes. A form from another site
/// or without this session's token is refused outright (and its file deleted); a file
/// that cannot be received (too large, not a form) is a [`Refusal`] for the page to show.
pub async fn receive(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    form: Result<Multipart, MultipartRejection>,
    limit: u64,
) -> Result<Result<FileForm, Refusal>, PageError> {
    if !from_this_site(headers) {
        return Err(PageError::CrossSite);
    }
    let received = match form {
        Ok(form) => uploads::receive_file(state, form, limit).await,
        Err(rejection) => Err(rejection.into()),
    };
    let upload = match received {
        Ok(upload) => upload,
        Err(err) => {
            return Ok(Err(Refusal {
                status: err.status(),
                message: about_the_file(&err.message()),
            }));
        }
    };
    let fields = FormData::from_pairs(upload.fields);
    // The file is an `Incoming` from here on, which deletes it unless a use case keeps it.
    let incoming = Incoming {
        path: upload.path,
        name: upload.file_name,
    };
    if !csrf_matches(csrf_header(headers), Some(&fields), &viewer.csrf) {
        return Err(PageError::StaleForm);
    }
    Ok(Ok(FileForm { incoming, fields }))
}
