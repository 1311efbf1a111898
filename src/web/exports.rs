//! Sending a list export to a browser or an API client: the file is written on a
//! blocking thread and streamed to the client as it is written, through a small bounded
//! channel, so neither the list nor the file is ever held in memory; a slow client slows
//! the export down instead of letting it pile up.
//!
//! At most [`CONCURRENT_EXPORTS`] exports run at once; another is refused at once with
//! 429 and `Retry-After` rather than queued, so a busy box never piles up exports.

use std::io::{self, Write};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use crate::app::{Actor, Crm, Error, ListExport};
use crate::reports::{ExportFormat, export_file_name, write_list_export};

/// Exports that may run at the same time; the box has few cores and each export keeps
/// one busy.
pub const CONCURRENT_EXPORTS: usize = 2;

/// Bytes gathered before a piece of the file is handed to the client.
const CHUNK: usize = 64 * 1024;

/// Pieces waiting for the client at most: with [`CHUNK`], half a megabyte per export.
const CHUNKS_IN_FLIGHT: usize = 8;

/// A finished file as a download named `file_name`, never kept by the browser's cache
/// (reports carry figures that change; a cached one would be stale and another's).
pub fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How long a refused export is told to wait before asking again.
const BUSY_RETRY_SECS: u64 = 10;

/// Header saying how many rows the export holds, when that was known before it began.
pub const ROWS_HEADER: &str = "x-export-rows";

/// The places an export may run in.
#[derive(Debug, Clone)]
pub struct ExportSlots(Arc<Semaphore>);

impl Default for ExportSlots {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(CONCURRENT_EXPORTS)))
    }
}

impl ExportSlots {
    fn take(&self) -> Result<OwnedSemaphorePermit, Error> {
        self.0
            .clone()
            .try_acquire_owned()
            .map_err(|_| Error::TooManyRequests {
                message: format!(
                    "{CONCURRENT_EXPORTS} exports are already being prepared; try again in a few seconds"
                ),
                retry_after_secs: BUSY_RETRY_SECS,
            })
    }
}

/// The export of `list` as `format`, streaming: refused (with nothing written) when the
/// person may not see the list or a filter is wrong, exactly as the list would refuse.
pub async fn export_response(
    crm: &Crm,
    slots: &ExportSlots,
    actor: Actor,
    list: ListExport,
    format: ExportFormat,
) -> Result<Response, Error> {
    let permit = slots.take()?;
    let (actor, list, rows, store) = crm
        .run(move |crm| {
            let rows = crm.check_export(&actor, &list)?;
            let store = crm.store_settings(&actor)?.name.to_string();
            Ok((actor, list, rows, store))
        })
        .await?;
    let file_name = export_file_name(&store, &list, crm.today(), format);
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let writer_crm = crm.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let out = ChannelWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        if let Err(err) = write_list_export(&writer_crm, &actor, &list, format, out) {
            tracing::warn!(error = %crate::web::error::error_chain(&err), "an export stopped part way");
            // The client sees the download broken off rather than a file cut short.
            let _ = sender.blocking_send(Err(io::Error::other("the export stopped part way")));
        }
    });
    let mut response = Response::new(Body::from_stream(Chunks(receiver)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!("attachment; filename=\"{file_name}\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(rows) = rows {
        headers.insert(ROWS_HEADER, HeaderValue::from(rows));
    }
    Ok(response)
}

/// The pieces of the file as the HTTP body takes them. Unlike `stream::unfold` it may be
/// asked again after it ended (the compression layer does), and answers "ended" again.
struct Chunks(mpsc::Receiver<Result<Bytes, io::Error>>);

impl futures_util::Stream for Chunks {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// Hands what is written to the HTTP body in pieces, waiting while the client is
/// [`CHUNKS_IN_FLIGHT`] pieces behind; a client that went away ends the export.
struct ChannelWriter {
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
