//! Stored files: product photos, customer documents and the store's logo. Each use case
//! checks who may do it, reads the upload (its type from its bytes, never its name),
//! writes its blobs first and the record that names them after, in that order, so a
//! record never points at a missing file.
//!
//! Decoding and resizing images is slow work: callers run these functions on a
//! blocking thread (`Crm::run`). The bytes' handling lives in `blobs`; this module
//! decides what may be stored and by whom.

mod clean_up;
mod documents;
mod logo;
mod logo_cache;
mod media;
mod photos;
mod slots;

use std::io::Read;
use std::path::PathBuf;

pub use clean_up::CLEAN_UP_GRACE;
pub use documents::may_see_documents;
pub(crate) use logo_cache::LogoCache;
pub use media::Media;
pub use photos::MAX_PHOTOS;
pub(crate) use slots::ImageSlots;

use super::{Crm, Error};
use crate::blobs::images::{ImageError, ImageLimits, Prepared, prepare_photo};
use crate::blobs::sniff::{self, NotAllowed};
use crate::blobs::{BlobError, Blobs};
use crate::domain::{FileCopy, FileType, InvalidValue, Text};

/// An upload waiting in the blob folder's `incoming/` under `path`, as the person named
/// it. Whatever happens to it, the use case that takes it removes it.
#[derive(Debug)]
pub struct Incoming {
    pub path: PathBuf,
    pub name: String,
}

impl Drop for Incoming {
    fn drop(&mut self) {
        // Adopted files have been moved already; anything else is left-over bytes.
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Crm {
    /// The same application, keeping stored files in `blobs`.
    pub fn with_files(self, blobs: Blobs) -> Self {
        self.changed(|shared| shared.blobs = Some(blobs))
    }

    /// Makes the copies of the picture at `path`, waiting for an image slot first.
    fn prepare(&self, path: &std::path::Path, widths: &[u32]) -> Result<Prepared, Error> {
        let _slot = self.image_slots.take()?;
        prepare_photo(path, widths, &limits()).map_err(image_error)
    }

    pub(crate) fn blobs(&self) -> Result<&Blobs, Error> {
        self.blobs
            .as_ref()
            .ok_or_else(|| Error::internal_message("the files folder is not open in this process"))
    }

    /// A new file to stream an upload into, in the blob folder's `incoming/`.
    pub fn incoming_path(&self) -> Result<PathBuf, Error> {
        let (path, _file) = self.blobs()?.incoming().map_err(blob_error)?;
        Ok(path)
    }
}

impl From<BlobError> for Error {
    fn from(err: BlobError) -> Self {
        blob_error(err)
    }
}

fn blob_error(err: BlobError) -> Error {
    Error::internal("handling a stored file", err)
}

/// What the upload is, from its first bytes, and its cleaned-up name; refuses what
/// `accept` does not take, and anything over `max_bytes`.
fn examine(
    incoming: &Incoming,
    max_bytes: u64,
    accept: &[FileType],
    wanted: &str,
) -> Result<(FileType, Text<120>, u64), Error> {
    let name =
        sniff::check_file_name(&incoming.name).map_err(|e| Error::field("file", e.to_string()))?;
    let name =
        Text::<120>::parse(&name).map_err(|e: InvalidValue| Error::field("file", e.to_string()))?;
    let mut head = [0u8; 64];
    let (read, size) = {
        let mut file = std::fs::File::open(&incoming.path)
            .map_err(|e| Error::internal("reading an upload", e))?;
        let size = file
            .metadata()
            .map_err(|e| Error::internal("reading an upload", e))?
            .len();
        (read_head(&mut file, &mut head)?, size)
    };
    if size > max_bytes {
        return Err(Error::field(
            "file",
            format!(
                "is {}, larger than the {} a {wanted} may be; make it smaller and upload it again",
                crate::domain::format_size(size),
                crate::domain::format_size(max_bytes),
            ),
        ));
    }
    // What the file is comes from its bytes; what it should be, from this use.
    let found = sniff::sniff(&head[..read]).map_err(|e: NotAllowed| {
        let text = e.to_string();
        let what = text.split(';').next().unwrap_or(&text);
        Error::field(
            "file",
            format!("{what}; a {wanted} must be {}", either(accept)),
        )
    })?;
    if found == FileType::Heic {
        // Said with what to change on the phone, rather than only what is accepted.
        return Err(Error::field("file", ImageError::Heic.to_string()));
    }
    if !accept.contains(&found) {
        return Err(Error::field(
            "file",
            format!(
                "is a {} file; a {wanted} must be {}",
                type_name(found),
                either(accept)
            ),
        ));
    }
    Ok((found, name, size))
}

fn read_head(file: &mut std::fs::File, head: &mut [u8]) -> Result<usize, Error> {
    let mut filled = 0;
    while filled < head.len() {
        let n = file
            .read(&mut head[filled..])
            .map_err(|e| Error::internal("reading an upload", e))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// "JPEG, PNG or WebP".
fn either(types: &[FileType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| type_name(*t)).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn type_name(t: FileType) -> &'static str {
    match t {
        FileType::Jpeg => "JPEG",
        FileType::Png => "PNG",
        FileType::Webp => "WebP",
        FileType::Heic => "HEIC",
        FileType::Pdf => "PDF",
    }
}

impl Crm {
    /// Stores the copies made of a picture and answers them as records keep them,
    /// narrowest first.
    fn store_copies(&self, prepared: &Prepared) -> Result<Vec<FileCopy>, Error> {
        let blobs = self.blobs()?;
        let mut copies = Vec::with_capacity(prepared.copies.len());
        for copy in &prepared.copies {
            copies.push(FileCopy {
                width: copy.width,
                height: copy.height,
                file_type: copy.file_type,
                content: blobs.put_bytes(&copy.bytes)?,
                bytes: copy.bytes.len() as u64,
            });
        }
        Ok(copies)
    }
}

/// An image that cannot be used, said to the person who chose it.
fn image_error(err: ImageError) -> Error {
    match err {
        ImageError::Io(e) => Error::internal("reading an image", e),
        other => Error::field("file", other.to_string()),
    }
}

fn limits() -> ImageLimits {
    ImageLimits::default()
}
