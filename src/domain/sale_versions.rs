//! Sales as earlier format versions stored them, and how each reads as today's
//! [`Sale`]: the store converts old records as it reads them (see `store::codec`).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::sale::{InvoiceNo, Payment, Refund, Sale, SaleLine, SellerGst};
use super::time::{micros, micros_opt};
use super::{CustomerId, FloorId, Paise, SaleId, SaleStatus, StoreId, Text, UserId};

/// A sale as format version 4 stored it, before its corrections were kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV4 {
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
    pub refunds: Vec<Refund>,
    pub form60: Option<Text<100>>,
    pub round_off: Paise,
    pub change_given: Paise,
    pub seller_gst: SellerGst,
}

impl From<SaleV4> for Sale {
    /// Bills before version 5 were never corrected: there was no way to.
    fn from(v4: SaleV4) -> Self {
        Self {
            id: v4.id,
            store_id: v4.store_id,
            floor_id: v4.floor_id,
            customer_id: v4.customer_id,
            status: v4.status,
            invoice_no: v4.invoice_no,
            lines: v4.lines,
            bill_discount: v4.bill_discount,
            taxable_value: v4.taxable_value,
            cgst: v4.cgst,
            sgst: v4.sgst,
            igst: v4.igst,
            total: v4.total,
            payments: v4.payments,
            staff_id: v4.staff_id,
            notes: v4.notes,
            created_at: v4.created_at,
            completed_at: v4.completed_at,
            updated_at: v4.updated_at,
            refunds: v4.refunds,
            form60: v4.form60,
            round_off: v4.round_off,
            change_given: v4.change_given,
            seller_gst: v4.seller_gst,
            corrections: Vec::new(),
        }
    }
}

/// A sale as format version 3 stored it, before the seller's GST registration was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV3 {
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
    pub refunds: Vec<Refund>,
    pub form60: Option<Text<100>>,
    pub round_off: Paise,
    pub change_given: Paise,
}

impl From<SaleV3> for SaleV4 {
    /// Every bill before version 4 charged GST whatever the store's registration.
    fn from(v3: SaleV3) -> Self {
        Self {
            id: v3.id,
            store_id: v3.store_id,
            floor_id: v3.floor_id,
            customer_id: v3.customer_id,
            status: v3.status,
            invoice_no: v3.invoice_no,
            lines: v3.lines,
            bill_discount: v3.bill_discount,
            taxable_value: v3.taxable_value,
            cgst: v3.cgst,
            sgst: v3.sgst,
            igst: v3.igst,
            total: v3.total,
            payments: v3.payments,
            staff_id: v3.staff_id,
            notes: v3.notes,
            created_at: v3.created_at,
            completed_at: v3.completed_at,
            updated_at: v3.updated_at,
            refunds: v3.refunds,
            form60: v3.form60,
            round_off: v3.round_off,
            change_given: v3.change_given,
            seller_gst: SellerGst::NotKept,
        }
    }
}

/// A sale as format version 2 stored it, before the round-off and the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleV2 {
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
    pub refunds: Vec<Refund>,
    pub form60: Option<Text<100>>,
}

impl From<SaleV2> for SaleV3 {
    /// Bills drawn up before rounding were paid to the paisa and gave no change.
    fn from(v2: SaleV2) -> Self {
        Self {
            id: v2.id,
            store_id: v2.store_id,
            floor_id: v2.floor_id,
            customer_id: v2.customer_id,
            status: v2.status,
            invoice_no: v2.invoice_no,
            lines: v2.lines,
            bill_discount: v2.bill_discount,
            taxable_value: v2.taxable_value,
            cgst: v2.cgst,
            sgst: v2.sgst,
            igst: v2.igst,
            total: v2.total,
            payments: v2.payments,
            staff_id: v2.staff_id,
            notes: v2.notes,
            created_at: v2.created_at,
            completed_at: v2.completed_at,
            updated_at: v2.updated_at,
            refunds: v2.refunds,
            form60: v2.form60,
            round_off: Paise::ZERO,
            change_given: Paise::ZERO,
        }
    }
}

/// A sale as format version 1 stored it, before refunds and Form 60.
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

impl From<SaleV1> for SaleV2 {
    fn from(v1: SaleV1) -> Self {
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
            refunds: Vec::new(),
            form60: None,
        }
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
