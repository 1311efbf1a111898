//! Sales: line items priced and locked at the time of sale, split payments, invoice numbers.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{
    BasisPoints, CustomerId, FinancialYear, FloorId, Gstin, Huid, InvalidValue, MakingCharge,
    Metal, Milligrams, Paise, PaymentMethod, PersonName, ProductId, Purity, SaleId, SaleStatus,
    Sku, StoreId, Text, UserId,
};

/// A GST invoice number: `<prefix>/<financial year>/<serial>`, at most 16 characters
/// (GST rule 46), e.g. `SJ/2026-27/000123`… which is 17, so the serial is sized to fit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InvoiceNo(String);

impl InvoiceNo {
    /// Builds the number for `serial` in `year`, using as many serial digits as fit in
    /// 16 characters (at least 4).
    pub fn new(prefix: &str, year: FinancialYear, serial: u32) -> Result<Self, InvalidValue> {
        let head = format!("{prefix}/{}/", year.label());
        let room = 16usize.saturating_sub(head.len());
        if room < 4 {
            return Err(InvalidValue::new(format!(
                "invoice prefix '{prefix}' is too long: keep it to {} characters so numbers fit GST's 16",
                prefix.len().saturating_sub(4 - room)
            )));
        }
        let digits = serial.to_string();
        if digits.len() > room {
            return Err(InvalidValue::new(
                "invoice serial has run out of digits for this year",
            ));
        }
        Ok(Self(format!("{head}{serial:0room$}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Old gold handed over the counter, valued at the day's rate less a melting deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OldGold {
    pub weight: Milligrams,
    pub purity: Purity,
    pub deduction: BasisPoints,
    pub value: Paise,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub method: PaymentMethod,
    pub amount: Paise,
    /// UPI reference, card slip number or bank UTR.
    pub reference: Text<100>,
    pub old_gold: Option<OldGold>,
}

/// One line of a bill, copied from the product and priced at the rate of the day, so
/// later catalogue or rate changes never alter an issued invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleLine {
    pub product_id: ProductId,
    pub sku: Sku,
    pub description: PersonName,
    pub metal: Metal,
    pub purity: Purity,
    pub huid: Option<Huid>,
    pub quantity: u32,
    pub gross_weight: Milligrams,
    pub net_weight: Milligrams,
    pub rate_per_gram: Paise,
    pub metal_value: Paise,
    pub making_charge: MakingCharge,
    pub making_amount: Paise,
    pub stone_value: Paise,
    pub discount: Paise,
    /// metal + making + stones − discount: what GST is charged on.
    pub taxable_value: Paise,
}

/// Pieces taken back from a completed sale, and the money returned for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// `(line index, quantity)` for each line returned.
    pub lines: Vec<(u32, u32)>,
    /// What was paid back, GST included.
    pub amount: Paise,
    pub reason: Text<500>,
    pub staff_id: UserId,
    #[serde(with = "micros")]
    pub at: Timestamp,
}

/// Whether the seller was registered under GST when the bill was drawn up. It decides
/// whether the bill charges GST and whether it is a tax invoice or a bill of supply,
/// and is kept on the sale so that registering later never turns an old bill of
/// supply into a tax invoice (nor the other way round).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SellerGst {
    /// Registered under this GSTIN: GST charged, a tax invoice.
    Registered(Gstin),
    /// Not registered: no GST may be collected, so none is charged; a bill of supply.
    Unregistered,
    /// Drawn up before bills kept this (sale format 3 and older). Those bills charged
    /// GST, so they stay tax invoices and show the store's GSTIN as it is now, as they
    /// always did.
    NotKept,
}

impl SellerGst {
    /// Whether the bill charges GST (a tax invoice) rather than being a bill of supply.
    pub fn charges_gst(&self) -> bool {
        !matches!(self, Self::Unregistered)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
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
    /// Returns against this sale, oldest first; a sale whose every piece came back is
    /// REFUNDED.
    pub refunds: Vec<Refund>,
    /// The Form 60 declaration taken from a customer without a PAN (its reference).
    pub form60: Option<Text<100>>,
    /// What was added to `total` to round the amount payable under the store's setting
    /// when the bill was drawn up (−49 to +50 paise, or 0); format version 3.
    pub round_off: Paise,
    /// Cash handed back because the cash tendered was more than was due.
    pub change_given: Paise,
    /// The seller's GST registration when the bill was drawn up; format version 4.
    pub seller_gst: SellerGst,
}

impl Sale {
    /// What the customer pays: the total plus its round-off. Both were checked to fit
    /// when the bill was drawn up.
    pub fn payable(&self) -> Paise {
        Paise::new(self.total.get().saturating_add(self.round_off.get()))
    }

    /// The cash the store keeps: the cash tendered less the change given back. This is
    /// what counts for the s.269ST limit and the KYC total.
    pub fn cash_kept(&self) -> Paise {
        let tendered = super::billing::cash_in(&self.payments);
        Paise::new(tendered.get().saturating_sub(self.change_given.get()))
    }

    /// The cash tendered over the counter, before the change.
    pub fn cash_tendered(&self) -> Paise {
        super::billing::cash_in(&self.payments)
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

impl From<SaleV3> for Sale {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_numbers_fit_sixteen_characters() {
        let fy = FinancialYear::containing(jiff::civil::date(2026, 11, 24));
        let no = InvoiceNo::new("SJ", fy, 123).unwrap();
        assert_eq!(no.as_str(), "SJ/2026-27/00123");
        assert_eq!(no.as_str().len(), 16);
        assert!(InvoiceNo::new("SARKAR", fy, 1).is_err());
        assert!(InvoiceNo::new("SJ", fy, 100_000).is_err());
    }
}
