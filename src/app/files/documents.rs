//! A customer's documents: the PAN card or Form 60 a large sale needs, address proof,
//! signed estimates. Private: only the Business Admins and the Floor Managers of the
//! customer's home floor see them (a customer with no home floor: the admins only),
//! and every opening or download is kept on the customer's timeline.
//!
//! To anyone else a document does not exist (404), so its presence is not told.

use super::{Incoming, examine};
use crate::app::{Actor, Crm, Error, Permission};
use crate::domain::{
    Area, Customer, CustomerId, FileId, FileKind, FileOwner, FileType, FileView, StoredFile,
};
use crate::store::{Tables, customers, files as repo};

/// Documents one customer may have.
pub const MAX_DOCUMENTS: usize = 50;
/// The width of the copy made (and not kept) to check that a photo of a document decodes.
const CHECK_WIDTH: u32 = 240;

const DOCUMENT_TYPES: [FileType; 4] =
    [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Webp];

/// Whether `actor` may see the documents of `customer`.
pub fn may_see_documents(actor: &Actor, customer: &Customer) -> bool {
    actor.may(Permission::EveryFloor)
        || (customer.home_floor_id.is_some() && customer.home_floor_id == actor.floor_id)
}

impl Crm {
    /// A customer's documents, oldest first; `None` when the actor may not see them.
    pub fn customer_documents(
        &self,
        actor: &Actor,
        id: CustomerId,
    ) -> Result<Option<Vec<StoredFile>>, Error> {
        let customer = self.get_customer(actor, id)?;
        if !may_see_documents(actor, &customer) {
            return Ok(None);
        }
        let documents = self
            .db
            .read(|rx| repo::files_of(rx, actor.store_id, FileOwner::Customer(id)))?;
        Ok(Some(documents))
    }

    /// Keeps a document for a customer, as uploaded. A photo of one is decoded first (a
    /// small copy made and thrown away), so a picture that is not one, or a bomb, is
    /// refused like a product photo.
    pub fn add_customer_document(
        &self,
        actor: &Actor,
        id: CustomerId,
        kind: FileKind,
        incoming: Incoming,
    ) -> Result<StoredFile, Error> {
        actor.require_write(Area::Customers)?;
        if !kind.is_document() {
            return Err(Error::field(
                "kind",
                "is not a kind of document: use pan_card, form_60, address_proof, signed_estimate or other_document",
            ));
        }
        self.document_customer(actor, id)?;
        let max = self.config().files.document_max_bytes();
        let (file_type, name, size) = examine(&incoming, max, &DOCUMENT_TYPES, "document")?;
        let dimensions = if file_type.is_image() {
            let prepared = self.prepare(&incoming.path, &[CHECK_WIDTH])?;
            Some((prepared.width, prepared.height))
        } else {
            None
        };
        let (content, bytes) = self.blobs()?.adopt(&incoming.path)?;
        debug_assert_eq!(bytes, size);
        self.db.write(actor.author(), |w| {
            let customer = readable_customer(w, actor, id)?;
            if !may_see_documents(actor, &customer) {
                return Err(not_theirs());
            }
            let documents = repo::files_of(w, actor.store_id, FileOwner::Customer(id))?;
            if documents.len() >= MAX_DOCUMENTS {
                return Err(Error::field(
                    "file",
                    format!(
                        "{} already has {MAX_DOCUMENTS} documents; remove one to add another",
                        customer.name
                    ),
                ));
            }
            let document = StoredFile {
                id: FileId::new(),
                store_id: actor.store_id,
                owner: FileOwner::Customer(id),
                kind,
                name,
                file_type,
                content,
                bytes,
                dimensions,
                copies: Vec::new(),
                upload: content,
                cover: false,
                added_by: actor.user_id,
                added_at: w.now(),
            };
            repo::save_file(w, None, &document)?;
            Ok(document)
        })
    }

    /// Opens a customer's document (or its preview) for `actor`, recording the view on
    /// the customer's timeline first.
    pub fn open_customer_document(
        &self,
        actor: &Actor,
        id: CustomerId,
        document: FileId,
        download: bool,
    ) -> Result<(StoredFile, std::fs::File), Error> {
        actor.require_read(Area::Customers)?;
        let found = self
            .db
            .write(actor.author(), |w| -> Result<StoredFile, Error> {
                let customer = readable_customer(w, actor, id)?;
                let found = repo::file(w, &actor.store_scope(), document)?
                    .filter(|f| {
                        f.owner == FileOwner::Customer(id) && may_see_documents(actor, &customer)
                    })
                    .ok_or(Error::NotFound("document"))?;
                let view = FileView {
                    file_id: found.id,
                    customer_id: id,
                    kind: found.kind,
                    name: found.name.clone(),
                    by: actor.user_id,
                    download,
                    at: w.now(),
                };
                repo::record_view(w, actor.store_id, &view)?;
                Ok(found)
            })?;
        let file = self.blobs()?.open_blob(found.content)?;
        Ok((found, file))
    }

    /// Removes a customer's document (Business Admins only: a PAN or Form 60 may be
    /// what makes a large sale lawful).
    pub fn remove_customer_document(
        &self,
        actor: &Actor,
        id: CustomerId,
        document: FileId,
    ) -> Result<(), Error> {
        actor.require_write(Area::Customers)?;
        self.db.write(actor.author(), |w| {
            let customer = readable_customer(w, actor, id)?;
            let found = repo::file(w, &actor.store_scope(), document)?
                .filter(|f| f.owner == FileOwner::Customer(id) && may_see_documents(actor, &customer))
                .ok_or(Error::NotFound("document"))?;
            if !actor.may(Permission::EveryFloor) {
                return Err(Error::Forbidden(
                    "only a Business Admin removes a customer's document: a PAN card or Form 60 may be what a large sale was made on".into(),
                ));
            }
            repo::remove_file(w, &found)?;
            Ok(())
        })
    }

    /// Whether `actor` may add a document for the customer: asked before an upload is
    /// read, so a refused person's file is never received.
    pub fn may_add_customer_document(&self, actor: &Actor, id: CustomerId) -> Result<(), Error> {
        actor.require_write(Area::Customers)?;
        self.document_customer(actor, id).map(|_| ())
    }

    /// The customer a document is being added to, if the actor may add one.
    fn document_customer(&self, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
        let customer = self.get_customer(actor, id)?;
        if customer.deleted_at.is_some() {
            return Err(Error::field(
                "customer",
                "is removed; restore the customer first",
            ));
        }
        if !may_see_documents(actor, &customer) {
            return Err(not_theirs());
        }
        Ok(customer)
    }
}

fn readable_customer(tx: &impl Tables, actor: &Actor, id: CustomerId) -> Result<Customer, Error> {
    customers::customer(tx, &actor.store_scope(), id)?
        .filter(|c| c.deleted_at.is_none() || actor.may(Permission::SeeRemoved))
        .ok_or(Error::NotFound("customer"))
}

fn not_theirs() -> Error {
    Error::Forbidden(
        "a customer's documents are kept by the Business Admins and the Floor Managers of the customer's home floor; ask one of them".into(),
    )
}
