//! Sales as earlier format versions stored them, and how each reads as today's
//! [`Sale`]: the store converts old records as it reads them (see `store::codec`).
//!
//! Each version only appended fields to the one before, and postcard writes a struct as
//! its fields one after another with nothing around them, so a version is the previous
//! one followed by what it added: the same bytes as the flat record it was.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::sale::{Correction, InvoiceNo, Payment, Refund, Sale, SaleLine, SellerGst};
use super::time::{micros, micros_opt};
use super::{CustomerId, FloorId, Paise, SaleId, SaleStatus, StoreId, Text, UserId};

/// A sale as format version 1 stored it, before refunds and Form 60: the fields every
/// version since has begun with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV1 {
    pub id: SaleId,
    pub store_id: StoreId,
    pub floor_id: FloorId,
    pub customer_id: CustomerId,
    pub status: SaleStatus,
    pub invoice_no: Option<InvoiceNo>,
    pub lines: Vec<SaleLine>,
    pub bill_discount: Paise,
    pub taxable_value: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
    pub total: Paise,
    pub payments: Vec<Payment>,
    pub staff_id: UserId,
    pub notes: Text<1000>,
    #[serde(with = "micros")]
    pub created_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub completed_at: Option<Timestamp>,
    #[serde(with = "micros")]
    pub updated_at: Timestamp,
}

/// A sale as format version 2 stored it: version 1 and its refunds and Form 60.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV2 {
    pub v1: SaleV1,
    pub refunds: Vec<Refund>,
    pub form60: Option<Text<100>>,
}

/// A sale as format version 3 stored it: version 2 and its round-off and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV3 {
    pub v2: SaleV2,
    pub round_off: Paise,
    pub change_given: Paise,
}

/// A sale as format version 4 stored it: version 3 and the seller's GST registration,
/// before its corrections were kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV4 {
    pub v3: SaleV3,
    pub seller_gst: SellerGst,
}

/// A sale as format version 5 stored it: version 4 and its corrections, before the
/// category of each line and the place of supply were kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV5 {
    pub v4: SaleV4,
    pub corrections: Vec<Correction>,
}

impl From<SaleV1> for SaleV2 {
    fn from(v1: SaleV1) -> Self {
        Self {
            v1,
            refunds: Vec::new(),
            form60: None,
        }
    }
}

impl From<SaleV2> for SaleV3 {
    /// Bills drawn up before rounding were paid to the paisa and gave no change.
    fn from(v2: SaleV2) -> Self {
        Self {
            v2,
            round_off: Paise::ZERO,
            change_given: Paise::ZERO,
        }
    }
}

impl From<SaleV3> for SaleV4 {
    /// Every bill before version 4 charged GST whatever the store's registration.
    fn from(v3: SaleV3) -> Self {
        Self {
            v3,
            seller_gst: SellerGst::NotKept,
        }
    }
}

impl From<SaleV4> for SaleV5 {
    /// Bills before version 5 were never corrected: there was no way to.
    fn from(v4: SaleV4) -> Self {
        Self {
            v4,
            corrections: Vec::new(),
        }
    }
}

impl From<SaleV5> for Sale {
    /// Bills before version 6 did not keep their lines' categories nor where they were
    /// supplied; migration 10 writes both from the catalogue and the customer, so a
    /// record read this way is one that migration has not reached.
    fn from(v5: SaleV5) -> Self {
        let SaleV5 { v4, corrections } = v5;
        let SaleV4 { v3, seller_gst } = v4;
        let SaleV3 {
            v2,
            round_off,
            change_given,
        } = v3;
        let SaleV2 {
            v1,
            refunds,
            form60,
        } = v2;
        Self {
            id: v1.id,
            store_id: v1.store_id,
            floor_id: v1.floor_id,
            customer_id: v1.customer_id,
            status: v1.status,
            invoice_no: v1.invoice_no,
            lines: v1.lines,
            bill_discount: v1.bill_discount,
            taxable_value: v1.taxable_value,
            cgst: v1.cgst,
            sgst: v1.sgst,
            igst: v1.igst,
            total: v1.total,
            payments: v1.payments,
            staff_id: v1.staff_id,
            notes: v1.notes,
            created_at: v1.created_at,
            completed_at: v1.completed_at,
            updated_at: v1.updated_at,
            refunds,
            form60,
            round_off,
            change_given,
            seller_gst,
            corrections,
            line_categories: Vec::new(),
            place_of_supply: None,
        }
    }
}

impl From<SaleV4> for Sale {
    fn from(v4: SaleV4) -> Self {
        Sale::from(SaleV5::from(v4))
    }
}

impl From<SaleV3> for Sale {
    fn from(v3: SaleV3) -> Self {
        Sale::from(SaleV4::from(v3))
    }
}

impl From<SaleV2> for Sale {
    fn from(v2: SaleV2) -> Self {
        Sale::from(SaleV3::from(v2))
    }
}

impl From<SaleV1> for Sale {
    fn from(v1: SaleV1) -> Self {
        Sale::from(SaleV2::from(v1))
    }
}
