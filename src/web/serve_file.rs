//! Sending stored files: the catalogue's photos and the logo at addresses named by
//! their content (kept by browsers for a year), and customers' documents, which no
//! browser or proxy may keep. Bytes are streamed from the disk, never read whole.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio_util::io::ReaderStream;

use crate::app::files::Media;
use crate::domain::{FileType, StoredFile};

/// A product photo's copy or the logo, which browsers keep for a year under its
/// content-named address.
pub fn public(media: Media, etag: &str) -> Response {
    let mut response = stream(media.file, media.file_type, media.bytes);
    let h = response.headers_mut();
    // Private: a shared cache on the way (there is none on a shop's LAN, but a phone's
    // carrier may have one) does not keep the catalogue.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, etag);
    }
    response
}

/// A customer's document: shown in the browser, or saved with its own name when
/// `download`; never kept by the browser.
pub fn private(file: &StoredFile, bytes: std::fs::File, download: bool) -> Response {
    let mut response = stream(bytes, file.file_type, file.bytes);
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let disposition = format!(
        "{}; filename=\"{}\"",
        if download { "attachment" } else { "inline" },
        download_name(file)
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn stream(file: std::fs::File, file_type: FileType, bytes: u64) -> Response {
    let body = Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)));
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file_type.mime()),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes));
    // The type is the one found in the bytes; the browser must not guess another
    // (an HTML page inside a "photo").
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The name a saved document gets: its upload name, kept to plain characters, with
/// the extension its bytes call for.
fn download_name(file: &StoredFile) -> String {
    let stem = file
        .name
        .as_str()
        .rsplit_once('.')
        .map_or(file.name.as_str(), |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim();
    let stem = if clean.is_empty() { "document" } else { clean };
    format!("{stem}.{}", file.file_type.extension())
}
