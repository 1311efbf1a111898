//! Receiving a file: a `multipart/form-data` body whose `file` part is streamed to disk
//! as it arrives (never held whole in memory), with the form's other fields read
//! alongside. Import files go to the uploads folder; photos and documents to the
//! stored files' `incoming/` folder.

use axum::extract::Multipart;
use axum::http::StatusCode;
use tokio::io::AsyncWriteExt;

use super::AppState;
use super::error::AppError;

/// An upload written to disk, with the form's text fields.
#[derive(Debug)]
pub struct Upload {
    pub file_name: String,
    pub path: std::path::PathBuf,
    pub fields: Vec<(String, String)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
}

impl From<axum::extract::multipart::MultipartRejection> for AppError {
    fn from(_: axum::extract::multipart::MultipartRejection) -> Self {
        AppError::new(
            StatusCode::BAD_REQUEST,
            "not-a-form",
            "send the file as multipart/form-data, with the spreadsheet in a part named `file`",
        )
    }
}

/// Text fields of the form are short; anything longer is not one of ours.
const MAX_FIELD_BYTES: usize = 4096;

fn bad(message: impl Into<String>) -> AppError {
    AppError::field(StatusCode::UNPROCESSABLE_ENTITY, "file", message)
}

/// Reads the form, streaming its `file` part into a new file in the uploads folder. A
/// failed upload leaves no file behind.
pub async fn receive(state: &AppState, form: Multipart) -> Result<Upload, AppError> {
    let path = state.crm.staging_path()?;
    let limit = state.crm.config().import.max_upload_bytes();
    receive_into(path, form, limit, "the spreadsheet", too_large).await
}

/// Reads a photo's or document's form, streaming its `file` part into the stored
/// files' `incoming/` folder; more than `limit` bytes is refused with 413.
pub async fn receive_file(
    state: &AppState,
    form: Multipart,
    limit: u64,
) -> Result<Upload, AppError> {
    let path = state.crm.incoming_path()?;
    let mib = limit / (1024 * 1024);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    receive_into(path, form, limit, "the file", move || {
        AppError::field(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file",
            format!("the file is larger than the {mib} MB this server accepts for it; make it smaller (a photo at a lower resolution, a PDF scanned in black and white) and upload it again"),
        )
    })
    .await
}

async fn receive_into(
    path: std::path::PathBuf,
    mut form: Multipart,
    limit: usize,
    what: &str,
    too_large: impl Fn() -> AppError,
) -> Result<Upload, AppError> {
    let result = read_form(&path, &mut form, limit, &too_large).await;
    match result {
        Ok((Some(file_name), fields)) => Ok(Upload {
            file_name,
            path,
            fields,
        }),
        Ok((None, _)) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(bad(format!(
                "send {what} as the form's `file` part (multipart/form-data)"
            )))
        }
        Err(err) => {
            let _ = tokio::fs::remove_file(&path).await;
            Err(err)
        }
    }
}

fn too_large() -> AppError {
    AppError::field(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file",
        "the file is larger than this server accepts (import.max_upload_mb); import it at the console with `sarkar-crm import`, or split it",
    )
}

async fn read_form(
    path: &std::path::Path,
    form: &mut Multipart,
    limit: usize,
    too_large: &impl Fn() -> AppError,
) -> Result<(Option<String>, Vec<(String, String)>), AppError> {
    let mut received = 0usize;
    let mut file_name = None;
    let mut fields = Vec::new();
    let rejected = |e: axum::extract::multipart::MultipartError| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            bad(format!("the upload could not be read: {}", e.body_text()))
        }
    };
    while let Some(mut part) = form.next_field().await.map_err(rejected)? {
        let name = part.name().unwrap_or_default().to_owned();
        if name == "file" {
            // A page that offers two ways of choosing the file (the camera, or the files)
            // sends the one left empty as a part with no file name and no bytes.
            let first = part.chunk().await.map_err(rejected)?;
            if part.file_name() == Some("") && first.as_ref().is_none_or(|c| c.is_empty()) {
                continue;
            }
            if file_name.is_some() {
                return Err(bad("send one file at a time"));
            }
            file_name = Some(part.file_name().unwrap_or("upload").to_owned());
            let mut out = tokio::fs::File::create(path)
                .await
                .map_err(|e| crate::app::Error::internal("saving an upload", e))?;
            let mut next = first;
            while let Some(chunk) = next {
                received = received.saturating_add(chunk.len());
                if received > limit {
                    return Err(too_large());
                }
                out.write_all(&chunk)
                    .await
                    .map_err(|e| crate::app::Error::internal("saving an upload", e))?;
                next = part.chunk().await.map_err(rejected)?;
            }
            out.flush()
                .await
                .map_err(|e| crate::app::Error::internal("saving an upload", e))?;
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = part.chunk().await.map_err(rejected)? {
                value.extend_from_slice(&chunk);
                if value.len() > MAX_FIELD_BYTES {
                    return Err(bad(format!("the form field `{name}` is too long")));
                }
            }
            let value = String::from_utf8(value)
                .map_err(|_| bad(format!("the form field `{name}` is not text")))?;
            fields.push((name, value));
        }
    }
    Ok((file_name, fields))
}
