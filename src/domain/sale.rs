//! Sales: line items priced and locked at the time of sale, split payments, invoice numbers.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::gst_states::StateCode;
use super::time::{micros, micros_opt};
use super::{
    BasisPoints, CategoryId, CustomerId, FinancialYear, FloorId, Gstin, Huid, InvalidValue,
    MakingCharge, Metal, Milligrams, Paise, PaymentMethod, PersonName, ProductId, Purity, SaleId,
    SaleStatus, Sku, StoreId, Text, UserId,
};

/// A GST invoice number: `<prefix>/<financial year>/<serial>`, at most 16 characters
/// (GST rule 46), e.g. `SJ/26-27/000123`. The year is written short so the serial keeps
/// at least six digits (a festival year can pass 99,999 bills); numbers issued before
/// in the long form (`SJ/2026-27/00123`) stay as they were, and the two forms can never
/// be equal because their year parts differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InvoiceNo(String);

impl InvoiceNo {
    /// GST's limit on an invoice number's length (rule 46(b)).
    pub const MAX_CHARS: usize = 16;
    /// The fewest serial digits a number keeps room for.
    pub const MIN_SERIAL_DIGITS: usize = 6;

    /// Refuses a prefix that would leave fewer than [`Self::MIN_SERIAL_DIGITS`] for the
    /// serial within [`Self::MAX_CHARS`].
    pub fn check_prefix(prefix: &str) -> Result<(), InvalidValue> {
        // `/yy-yy/` takes seven characters whatever the year.
        let longest = Self::MAX_CHARS - Self::MIN_SERIAL_DIGITS - "/26-27/".len();
        if prefix.chars().count() > longest {
            return Err(InvalidValue::new(format!(
                "invoice prefix '{prefix}' is too long: keep it to {longest} characters so numbers keep six serial digits within GST's 16 characters"
            )));
        }
        Ok(())
    }

    /// Builds the number for `serial` in `year`: the serial padded to six digits, and
    /// allowed as many more as fit in 16 characters.
    pub fn new(prefix: &str, year: FinancialYear, serial: u32) -> Result<Self, InvalidValue> {
        Self::check_prefix(prefix)?;
        let head = format!("{prefix}/{}/", year.short_label());
        let room = Self::MAX_CHARS.saturating_sub(head.chars().count());
        let width = Self::MIN_SERIAL_DIGITS;
        let number = format!("{head}{serial:0width$}");
        if number.chars().count() - head.chars().count() > room {
            return Err(InvalidValue::new(
                "invoice serial has run out of digits for this year",
            ));
        }
        Ok(Self(number))
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

/// A pending bill corrected (re-priced from what the counter entered again): who did
/// it, when, and what was payable before and after, so its history is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub staff_id: UserId,
    #[serde(with = "micros")]
    pub at: Timestamp,
    pub payable_before: Paise,
    pub payable_after: Paise,
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
    /// Each time the bill was corrected while PENDING, oldest first; format version 5.
    pub corrections: Vec<Correction>,
    /// The catalogue category of each line's piece when the bill was drawn up, in line
    /// order, so the owner's figures by category never move when a piece is filed
    /// elsewhere later; format version 6.
    pub line_categories: Vec<Option<CategoryId>>,
    /// Where the bill was supplied (the customer's state, or the store's when the
    /// customer gave none) when it was drawn up; `None` only on a bill of a version
    /// before 6 that the migration could not place. Format version 6.
    pub place_of_supply: Option<StateCode>,
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

    /// The category line `index` was sold under, if it had one.
    pub fn line_category(&self, index: usize) -> Option<CategoryId> {
        self.line_categories.get(index).copied().flatten()
    }

    /// The cash tendered over the counter, before the change.
    pub fn cash_tendered(&self) -> Paise {
        super::billing::cash_in(&self.payments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_numbers_fit_sixteen_characters() {
        let fy = FinancialYear::containing(jiff::civil::date(2026, 11, 24));
        let no = InvoiceNo::new("SJ", fy, 123).unwrap();
        assert_eq!(no.as_str(), "SJ/26-27/000123");
        for (serial, expected) in [
            (99_999, "SJ/26-27/099999"),
            (100_000, "SJ/26-27/100000"),
            (999_999, "SJ/26-27/999999"),
            (1_000_000, "SJ/26-27/1000000"),
        ] {
            let no = InvoiceNo::new("SJ", fy, serial).unwrap();
            assert_eq!(no.as_str(), expected);
            assert!(no.as_str().len() <= 16, "{expected}");
        }
        assert!(InvoiceNo::new("SJ", fy, 10_000_000).is_err());
        // The longest prefix still keeps six digits, and runs out only past them.
        assert_eq!(
            InvoiceNo::new("GJ1", fy, 999_999).unwrap().as_str(),
            "GJ1/26-27/999999"
        );
        assert!(InvoiceNo::new("GJ1", fy, 1_000_000).is_err());
        let refused = InvoiceNo::new("SARK", fy, 1).unwrap_err().0;
        assert!(refused.contains("keep it to 3 characters"), "{refused}");
    }

    #[test]
    fn the_short_year_form_never_equals_a_long_year_one() {
        // Numbers issued before the short form kept the whole first year; a new number
        // of any serial differs from each of them in its year part.
        let fy = FinancialYear::containing(jiff::civil::date(2026, 11, 24));
        let old = format!("SJ/{}/{:05}", fy.label(), 123);
        for serial in [1, 123, 99_999, 1_000_000] {
            let new = InvoiceNo::new("SJ", fy, serial).unwrap();
            assert_ne!(new.as_str(), old);
            assert!(!new.as_str().starts_with("SJ/2026-27/"));
        }
    }
}
