//! Serving the catalogue's photos and the logo by their content hash: a URL that never
//! changes what it answers, so browsers keep it for a year. A hash that only a
//! customer's document uses is not served here (those go through their own page, which
//! checks who asks and records the view).

use super::Crm;
use crate::app::{Actor, Error};
use crate::domain::{Area, ContentHash, FileKind, FileType};
use crate::store::files as repo;

/// A photo copy or logo ready to send.
#[derive(Debug)]
pub struct Media {
    pub file_type: FileType,
    pub bytes: u64,
    pub file: std::fs::File,
}

impl Crm {
    /// The bytes of a product photo copy or of the logo, for anyone of the store.
    pub fn open_media(&self, actor: &Actor, content: ContentHash) -> Result<Media, Error> {
        let files = self
            .db
            .read(|rx| repo::files_with_content(rx, &actor.store_scope(), content))?;
        let public = files.iter().find_map(|f| {
            let allowed = match f.kind {
                FileKind::Logo => true,
                FileKind::ProductPhoto => actor.require_read(Area::Catalogue).is_ok(),
                _ => false,
            };
            if !allowed {
                return None;
            }
            if f.content == content {
                return Some((f.file_type, f.bytes));
            }
            f.copies
                .iter()
                .find(|c| c.content == content)
                .map(|c| (c.file_type, c.bytes))
        });
        let (file_type, bytes) = public.ok_or(Error::NotFound("photo"))?;
        let file = self.blobs()?.open_blob(content)?;
        Ok(Media {
            file_type,
            bytes,
            file,
        })
    }
}
