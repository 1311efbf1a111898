//! A product's photos: adding one (copies made on the box, upright, without EXIF),
//! choosing the cover, removing one, and the covers the catalogue grid shows.
//!
//! Anyone may look at the catalogue's photos; adding, choosing and removing follow the
//! product's own rule: a Floor Manager changes their own floor's products only.

use std::collections::HashMap;

use super::{Incoming, examine};
use crate::app::{Actor, Crm, Error, Permission};
use crate::blobs::hash_file;
use crate::blobs::images::PHOTO_WIDTHS;
use crate::domain::{Area, FileId, FileKind, FileOwner, FileType, Product, ProductId, StoredFile};
use crate::store::{Writer, catalogue, files as repo};

/// Photos one product may have: enough for every side of a necklace set, few enough
/// that the product page stays quick on a tablet.
pub const MAX_PHOTOS: usize = 12;

const PHOTO_TYPES: [FileType; 3] = [FileType::Jpeg, FileType::Png, FileType::Webp];

impl Crm {
    /// A product's photos, the cover first, then in the order they were added.
    pub fn product_photos(&self, actor: &Actor, id: ProductId) -> Result<Vec<StoredFile>, Error> {
        let product = self.get_product(actor, id)?;
        let mut photos = self
            .db
            .read(|rx| repo::files_of(rx, actor.store_id, FileOwner::Product(product.id)))?;
        photos.sort_by_key(|p| !p.cover);
        Ok(photos)
    }

    /// Whether `actor` may add a photo to the product: asked before an upload is read,
    /// so a refused person's file is never received.
    pub fn may_add_product_photo(&self, actor: &Actor, id: ProductId) -> Result<(), Error> {
        actor.require_write(Area::Catalogue)?;
        let product = self.get_product(actor, id)?;
        changeable(actor, &product)
    }

    /// Adds a photo to a product: the first becomes the cover. The same photo twice on
    /// one product is refused; on another product its copies are stored only once.
    pub fn add_product_photo(
        &self,
        actor: &Actor,
        id: ProductId,
        incoming: Incoming,
    ) -> Result<StoredFile, Error> {
        // Checked before the slow work, and again in the write.
        self.may_add_product_photo(actor, id)?;
        let max = self.config().files.photo_max_bytes();
        let (_, name, _) = examine(&incoming, max, &PHOTO_TYPES, "product photo")?;
        let (upload, _) = hash_file(&incoming.path)?;
        let prepared = self.prepare(&incoming.path, &PHOTO_WIDTHS)?;
        let copies = self.store_copies(&prepared)?;
        let largest = *copies
            .last()
            .ok_or_else(|| Error::internal_message("a photo gave no copies"))?;
        self.db.write(actor.author(), |w| {
            let product = live_product(w, actor, id)?;
            changeable(actor, &product)?;
            let photos = repo::files_of(w, actor.store_id, FileOwner::Product(id))?;
            if photos.iter().any(|p| p.upload == upload) {
                return Err(Error::Conflict {
                    message: format!("this photo is already on {}", product.sku),
                    field: Some("file"),
                    existing_id: None,
                });
            }
            if photos.len() >= MAX_PHOTOS {
                return Err(Error::field(
                    "file",
                    format!(
                        "{} already has {MAX_PHOTOS} photos; remove one to add another",
                        product.sku
                    ),
                ));
            }
            let photo = StoredFile {
                id: FileId::new(),
                store_id: actor.store_id,
                owner: FileOwner::Product(id),
                kind: FileKind::ProductPhoto,
                name,
                file_type: largest.file_type,
                content: largest.content,
                bytes: largest.bytes,
                dimensions: Some((prepared.width, prepared.height)),
                copies,
                upload,
                cover: photos.is_empty(),
                added_by: actor.user_id,
                added_at: w.now(),
            };
            repo::save_file(w, None, &photo)?;
            Ok(photo)
        })
    }

    /// Makes one of a product's photos its cover (the one the catalogue grid shows).
    pub fn set_cover_photo(
        &self,
        actor: &Actor,
        id: ProductId,
        photo: FileId,
    ) -> Result<StoredFile, Error> {
        actor.require_write(Area::Catalogue)?;
        self.db.write(actor.author(), |w| {
            let product = live_product(w, actor, id)?;
            changeable(actor, &product)?;
            let photos = repo::files_of(w, actor.store_id, FileOwner::Product(id))?;
            let chosen = photos
                .iter()
                .find(|p| p.id == photo)
                .cloned()
                .ok_or(Error::NotFound("photo"))?;
            for old in photos.iter().filter(|p| p.cover != (p.id == photo)) {
                let new = StoredFile {
                    cover: old.id == photo,
                    ..old.clone()
                };
                repo::save_file(w, Some(old), &new)?;
            }
            Ok(StoredFile {
                cover: true,
                ..chosen
            })
        })
    }

    /// Removes a photo; when it was the cover, the next photo becomes the cover. Its
    /// copies leave the disk at the next clean-up unless another product uses them.
    pub fn remove_product_photo(
        &self,
        actor: &Actor,
        id: ProductId,
        photo: FileId,
    ) -> Result<(), Error> {
        actor.require_write(Area::Catalogue)?;
        self.db.write(actor.author(), |w| {
            let product = live_product(w, actor, id)?;
            changeable(actor, &product)?;
            let photos = repo::files_of(w, actor.store_id, FileOwner::Product(id))?;
            let gone = photos
                .iter()
                .find(|p| p.id == photo)
                .ok_or(Error::NotFound("photo"))?;
            repo::remove_file(w, gone)?;
            if gone.cover
                && let Some(next) = photos.iter().find(|p| p.id != photo)
            {
                let new = StoredFile {
                    cover: true,
                    ..next.clone()
                };
                repo::save_file(w, Some(next), &new)?;
            }
            Ok(())
        })
    }

    /// The cover photo of each of `products` that has one, for a grid of them.
    pub fn cover_photos(
        &self,
        actor: &Actor,
        products: &[ProductId],
    ) -> Result<HashMap<ProductId, StoredFile>, Error> {
        actor.require_read(Area::Catalogue)?;
        let covers = self.db.read(|rx| -> Result<_, Error> {
            let mut covers = HashMap::new();
            for id in products {
                let photos = repo::files_of(rx, actor.store_id, FileOwner::Product(*id))?;
                if let Some(cover) = photos.into_iter().find(|p| p.cover) {
                    covers.insert(*id, cover);
                }
            }
            Ok(covers)
        })?;
        Ok(covers)
    }
}

fn live_product(w: &Writer, actor: &Actor, id: ProductId) -> Result<Product, Error> {
    catalogue::product(w, &actor.store_scope(), id)?
        .filter(|p| p.deleted_at.is_none())
        .ok_or(Error::NotFound("product"))
}

fn changeable(actor: &Actor, product: &Product) -> Result<(), Error> {
    if product.deleted_at.is_some() && !actor.may(Permission::SeeRemoved) {
        return Err(Error::NotFound("product"));
    }
    if product.deleted_at.is_some() {
        return Err(Error::field(
            "product",
            "is removed; restore it before changing its photos",
        ));
    }
    actor.require_floor(Some(product.floor_id), "product")
}
