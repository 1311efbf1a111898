//! A page's file upload: a `multipart/form-data` form whose file is streamed into the
//! stored files' `incoming/` folder. The form's CSRF token travels inside the multipart
//! body, so it is read with the file and checked before anything is kept; a file that
//! cannot be received is handed back as an error the page shows beside its form.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::HeaderMap;

use super::error::PageError;
use super::session::{CSRF_FIELD, FormData, Viewer, csrf_header, csrf_matches, from_this_site};
use crate::app::files::Incoming;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::uploads;

/// Receives the form's `file` part, up to `limit` bytes. `Err` is a request to refuse
/// (from another site, without the session's token); `Ok(Err(..))` is a file the page
/// sends back with the message (too large, not a form, no file in it).
pub async fn receive_page_file(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    form: Result<Multipart, MultipartRejection>,
    limit: u64,
) -> Result<Result<Incoming, AppError>, PageError> {
    if !from_this_site(headers) {
        return Err(PageError::CrossSite);
    }
    let received = match form {
        Ok(form) => uploads::receive_file(state, form, limit).await,
        Err(rejection) => Err(rejection.into()),
    };
    let upload = match received {
        Ok(upload) => upload,
        Err(err) => return Ok(Err(err)),
    };
    // Owned by the `Incoming` from here, which removes the file whatever happens next.
    let incoming = Incoming {
        path: upload.path.clone(),
        name: upload.file_name.clone(),
    };
    let token = upload
        .field(CSRF_FIELD)
        .map(|t| FormData::from_pairs(vec![(CSRF_FIELD.to_owned(), t.to_owned())]));
    if !csrf_matches(csrf_header(headers), token.as_ref(), &viewer.csrf) {
        return Err(PageError::StaleForm);
    }
    Ok(Ok(incoming))
}

/// A refusal of the app's or of the upload as a sentence for the page: "The file is
/// 3 MB, larger than…", with a capital and a full stop.
pub fn refusal_sentence(message: &str) -> String {
    let message = message.trim();
    let mut said = if message.starts_with("is ") {
        format!("The file {message}")
    } else {
        let mut chars = message.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    };
    if !said.ends_with('.') {
        said.push('.');
    }
    said
}

#[cfg(test)]
mod tests {
    use super::refusal_sentence;

    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(
            refusal_sentence("is 3 MB, larger than the 2 MB a logo may be"),
            "The file is 3 MB, larger than the 2 MB a logo may be."
        );
        assert_eq!(
            refusal_sentence("this file holds HTML (a web page)."),
            "This file holds HTML (a web page)."
        );
    }
}
