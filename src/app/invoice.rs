//! The invoice of a completed sale (a GST tax invoice, or a bill of supply when the
//! store was not registered under GST): everything the printed page and the PDF show,
//! gathered once so both say exactly the same thing, the store's logo included.

use std::sync::Arc;

use jiff::civil::Date;

use super::sale_views::{SaleParts, load_parts};
use super::{Actor, Crm, Error};
use crate::domain::Area;
use crate::domain::gst_states::{StateCode, state_name};
use crate::domain::words::amount_in_words;
use crate::domain::{
    Customer, FileCopy, Gstin, Sale, SaleId, SaleStatus, SellerGst, Store, StoredFile,
};
use crate::store::org;

/// HSN code of articles of jewellery and parts thereof, of precious metal (chapter 71).
pub const HSN_JEWELLERY: &str = "7113";

/// What a bill of supply says in place of the tax: an unregistered seller collects none.
pub const NOT_REGISTERED_NOTE: &str =
    "The seller is not registered under GST; no GST is charged on this bill.";

/// The logo copy the PDF embeds: drawn about 1.5 inches wide at most, 320 pixels print
/// at 200 dpi or better, and the file stays a few kilobytes.
const PDF_LOGO_WIDTH: u32 = 320;

/// The logo's copy as the PDF embeds it: its size and type, and its bytes.
#[derive(Clone)]
pub struct LogoImage {
    pub copy: FileCopy,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for LogoImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogoImage")
            .field("copy", &self.copy)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct Invoice {
    pub sale: Sale,
    pub store: Store,
    /// `West Bengal (19)`.
    pub store_state: String,
    pub customer: Customer,
    /// Where the bill was supplied, kept on the sale: the customer's state when their
    /// address named one, else the store's (goods handed over the counter).
    pub place_of_supply: String,
    pub floor_name: String,
    pub staff_name: String,
    /// The day the invoice was issued, in the store's time zone.
    pub issued_on: Date,
    /// "Rupees One Lakh … Only".
    pub amount_in_words: String,
    /// The day of each of `sale.refunds`, in the store's time zone.
    pub refunded_on: Vec<Date>,
    /// The store's logo, which the printed page draws by its address.
    pub logo: Option<Arc<StoredFile>>,
    /// The logo's bytes for the PDF, which embeds them; only
    /// [`Crm::invoice_with_logo_image`] reads them.
    pub logo_image: Option<LogoImage>,
}

impl Invoice {
    /// The invoice's number, as printed and as the PDF file is named.
    pub fn number(&self) -> &str {
        self.sale.invoice_no.as_ref().map_or("", |n| n.as_str())
    }

    /// Whether the tax is split CGST + SGST (a sale within the store's state).
    pub fn is_intra_state(&self) -> bool {
        self.sale.igst.get() == 0
    }

    /// Whether this is a bill of supply: drawn up while the store was not registered
    /// under GST, so it charges no GST and may not be called a tax invoice.
    pub fn is_bill_of_supply(&self) -> bool {
        !self.sale.seller_gst.charges_gst()
    }

    /// "Tax invoice" or "Bill of supply": what the document is headed (in capitals).
    pub fn title(&self) -> &'static str {
        if self.is_bill_of_supply() {
            "Bill of supply"
        } else {
            "Tax invoice"
        }
    }

    /// The GSTIN the bill was drawn up under; for bills older than that record, the
    /// store's GSTIN as it is now, which is what they always showed.
    pub fn seller_gstin(&self) -> Option<&Gstin> {
        match &self.sale.seller_gst {
            SellerGst::Registered(gstin) => Some(gstin),
            SellerGst::Unregistered => None,
            SellerGst::NotKept => self.store.gstin.as_ref(),
        }
    }
}

fn state_label(code: &str) -> String {
    state_name(code).map_or_else(|| code.to_owned(), |name| format!("{name} ({code})"))
}

impl Crm {
    /// The invoice of a sale the person may see. A sale that is still pending or was
    /// cancelled has no invoice (404 would hide that it exists, so it is a 409).
    pub fn invoice(&self, actor: &Actor, id: SaleId) -> Result<Invoice, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let tz = self.config.time_zone();
        let (parts, store) = self.db.read(|rx| {
            let parts = load_parts(rx, &scope, id)?;
            let store = org::store(rx, &scope.store_only())?.ok_or(Error::NotFound("store"))?;
            Ok::<_, Error>((parts, store))
        })?;
        let SaleParts {
            sale,
            customer,
            floor_name,
            staff_name,
        } = parts;
        let (Some(_), Some(issued)) = (&sale.invoice_no, sale.completed_at) else {
            return Err(Error::Conflict {
                message: format!(
                    "this sale is {}; an invoice is issued when the sale is completed",
                    sale.status
                ),
                field: Some("status"),
                existing_id: None,
            });
        };
        debug_assert!(matches!(
            sale.status,
            SaleStatus::Completed | SaleStatus::Refunded
        ));
        // Where the bill was supplied was kept when it was drawn up; a customer who moves
        // later does not move their old invoices.
        let place = sale
            .place_of_supply
            .map_or_else(|| state_label(store.state_code.as_str()), StateCode::label);
        let logo = self.store_logo(actor.store_id)?;
        Ok(Invoice {
            logo,
            logo_image: None,
            store_state: state_label(store.state_code.as_str()),
            place_of_supply: place,
            floor_name,
            staff_name,
            issued_on: issued.to_zoned_datetime(tz.clone()).date(),
            refunded_on: sale
                .refunds
                .iter()
                .map(|r| r.at.to_zoned_datetime(tz.clone()).date())
                .collect(),
            amount_in_words: amount_in_words(sale.payable()),
            sale,
            store,
            customer,
        })
    }

    /// The invoice with the logo's bytes, for the PDF. A logo that cannot be read
    /// leaves the PDF without it rather than refusing the customer their invoice.
    pub fn invoice_with_logo_image(&self, actor: &Actor, id: SaleId) -> Result<Invoice, Error> {
        let mut invoice = self.invoice(actor, id)?;
        if invoice.logo.is_some() {
            invoice.logo_image = match self.store_logo_bytes(actor.store_id, PDF_LOGO_WIDTH) {
                Ok(image) => image.map(|(copy, bytes)| LogoImage { copy, bytes }),
                Err(err) => {
                    tracing::warn!(%err, "the logo could not be read; the invoice PDF goes without it");
                    None
                }
            };
        }
        Ok(invoice)
    }
}
