//! The store's logo: on the pages, the A4 invoice, the roll slip and the PDF. One at a
//! time; a new one replaces the old. Set by whoever may change the store's settings.
//! Every page's header asks for it, so the record is kept in memory (`logo_cache`)
//! until it is set or removed.

use std::sync::Arc;

use super::{Incoming, examine};
use crate::app::{Actor, Crm, Error, Permission};
use crate::blobs::hash_file;
use crate::domain::{FileCopy, FileId, FileKind, FileOwner, FileType, StoreId, StoredFile};
use crate::store::files as repo;

/// Widths of the logo's copies: the page header, the printed invoice, the PDF.
pub const LOGO_WIDTHS: [u32; 3] = [160, 320, 640];

const LOGO_TYPES: [FileType; 3] = [FileType::Png, FileType::Jpeg, FileType::Webp];

impl Crm {
    /// The store's logo, if it has one.
    pub fn store_logo(&self, store: StoreId) -> Result<Option<Arc<StoredFile>>, Error> {
        let ticket = match self.logo_cache.get(store) {
            Ok(kept) => return Ok(kept),
            Err(ticket) => ticket,
        };
        let files = self
            .db
            .read(|rx| repo::files_of(rx, store, FileOwner::Store))?;
        let logo = files
            .into_iter()
            .rev()
            .find(|f| f.kind == FileKind::Logo)
            .map(Arc::new);
        self.logo_cache.keep(store, ticket, logo.clone());
        Ok(logo)
    }

    /// The logo's bytes at about `width` pixels, for a printout or a PDF.
    pub fn store_logo_bytes(
        &self,
        store: StoreId,
        width: u32,
    ) -> Result<Option<(FileCopy, Vec<u8>)>, Error> {
        let Some(logo) = self.store_logo(store)? else {
            return Ok(None);
        };
        let Some(copy) = logo.copy_for(width).copied() else {
            return Ok(None);
        };
        Ok(Some((copy, self.blobs()?.read(copy.content)?)))
    }

    /// Sets the store's logo (PNG with transparency is kept transparent).
    pub fn set_store_logo(&self, actor: &Actor, incoming: Incoming) -> Result<StoredFile, Error> {
        actor.require(Permission::ChangeStoreSettings)?;
        let max = self.config().files.logo_max_bytes();
        let (_, name, _) = examine(&incoming, max, &LOGO_TYPES, "logo")?;
        let (upload, _) = hash_file(&incoming.path)?;
        let prepared = self.prepare(&incoming.path, &LOGO_WIDTHS)?;
        let copies = self.store_copies(&prepared)?;
        let largest = *copies
            .last()
            .ok_or_else(|| Error::internal_message("a logo gave no copies"))?;
        let saved = self.db.write(actor.author(), |w| {
            for old in repo::files_of(w, actor.store_id, FileOwner::Store)? {
                repo::remove_file(w, &old)?;
            }
            let logo = StoredFile {
                id: FileId::new(),
                store_id: actor.store_id,
                owner: FileOwner::Store,
                kind: FileKind::Logo,
                name,
                file_type: largest.file_type,
                content: largest.content,
                bytes: largest.bytes,
                dimensions: Some((prepared.width, prepared.height)),
                copies,
                upload,
                cover: false,
                added_by: actor.user_id,
                added_at: w.now(),
            };
            repo::save_file(w, None, &logo)?;
            Ok(logo)
        });
        // Forgotten after the commit, so no page can keep the old one past it.
        self.logo_cache.forget(actor.store_id);
        saved
    }

    /// Takes the logo off the pages and the invoices.
    pub fn remove_store_logo(&self, actor: &Actor) -> Result<(), Error> {
        actor.require(Permission::ChangeStoreSettings)?;
        let removed = self.db.write(actor.author(), |w| {
            let logos = repo::files_of(w, actor.store_id, FileOwner::Store)?;
            if logos.is_empty() {
                return Err(Error::NotFound("logo"));
            }
            for old in logos {
                repo::remove_file(w, &old)?;
            }
            Ok(())
        });
        self.logo_cache.forget(actor.store_id);
        removed
    }
}
