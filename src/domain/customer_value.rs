//! What a customer is worth to the store: lifetime value, last purchase and visits,
//! worked out from their sales and walk-ins as each one is saved.

use jiff::Timestamp;

use super::{CustomerStatus, InteractionType, Paise, Sale, SaleStatus};

/// A customer's running totals. Lifetime value is what completed bills were payable,
/// less what refunds paid back; pending and cancelled bills count for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CustomerValue {
    pub lifetime_value: Paise,
    pub last_purchase: Option<Timestamp>,
    /// Completed bills (refunded ones too: the customer did come in and buy).
    pub purchases: u64,
    /// Walk-ins logged on the customer's timeline.
    pub walk_ins: u64,
}

/// What one sale adds to its customer's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SaleContribution {
    pub value: i64,
    pub purchases: u64,
    pub completed_at: Option<Timestamp>,
}

impl SaleContribution {
    /// A sale counts once it is completed; a refund lowers what it counts for.
    pub fn of(sale: &Sale) -> Self {
        if !matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
            return Self::default();
        }
        let refunded = sale
            .refunds
            .iter()
            .fold(0_i64, |sum, r| sum.saturating_add(r.amount.get()));
        Self {
            value: sale.payable().get().saturating_sub(refunded),
            purchases: 1,
            completed_at: sale.completed_at,
        }
    }
}

impl CustomerValue {
    /// Visits, as the customer page explains them: each walk-in logged and each
    /// completed bill.
    pub fn visits(&self) -> u64 {
        self.purchases.saturating_add(self.walk_ins)
    }

    /// The totals after a sale moved from `old` (none for a new sale) to `new`.
    /// `None` when the lifetime value would leave the range of paise.
    pub fn with_sale(self, old: SaleContribution, new: SaleContribution) -> Option<Self> {
        let value = self
            .lifetime_value
            .get()
            .checked_sub(old.value)?
            .checked_add(new.value)?;
        let purchases = self
            .purchases
            .checked_sub(old.purchases)?
            .checked_add(new.purchases)?;
        Some(Self {
            lifetime_value: Paise::new(value),
            last_purchase: self.last_purchase.max(new.completed_at),
            purchases,
            walk_ins: self.walk_ins,
        })
    }

    /// The totals after an interaction was logged: only a walk-in is a visit of its own
    /// (a completed sale logs a SALE entry, already counted as a purchase).
    pub fn with_interaction(self, kind: InteractionType) -> Self {
        if kind == InteractionType::WalkIn {
            Self {
                walk_ins: self.walk_ins.saturating_add(1),
                ..self
            }
        } else {
            self
        }
    }
}

/// Where a customer stands once a bill of theirs is completed. A prospect who buys is
/// converted; so is an inactive customer's first purchase, while an inactive customer
/// who had bought before is simply active again. Active and converted stay as they are.
pub fn status_after_purchase(status: CustomerStatus, bought_before: bool) -> CustomerStatus {
    match status {
        CustomerStatus::Prospect => CustomerStatus::Converted,
        CustomerStatus::Inactive if bought_before => CustomerStatus::Active,
        CustomerStatus::Inactive => CustomerStatus::Converted,
        CustomerStatus::Active | CustomerStatus::Converted => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_converts_prospects_and_brings_inactive_customers_back() {
        use CustomerStatus::*;
        for (status, bought_before, after) in [
            (Prospect, false, Converted),
            (Prospect, true, Converted),
            (Inactive, false, Converted),
            (Inactive, true, Active),
            (Active, false, Active),
            (Active, true, Active),
            (Converted, false, Converted),
            (Converted, true, Converted),
        ] {
            assert_eq!(
                status_after_purchase(status, bought_before),
                after,
                "{status} (bought before: {bought_before})"
            );
        }
    }

    #[test]
    fn a_refund_lowers_the_value_and_keeps_the_purchase() {
        let bought = SaleContribution {
            value: 50_000_00,
            purchases: 1,
            completed_at: Some(Timestamp::UNIX_EPOCH),
        };
        let refunded = SaleContribution {
            value: 20_000_00,
            ..bought
        };
        let value = CustomerValue::default()
            .with_sale(SaleContribution::default(), bought)
            .unwrap()
            .with_sale(bought, refunded)
            .unwrap()
            .with_interaction(InteractionType::WalkIn)
            .with_interaction(InteractionType::PhoneCall);
        assert_eq!(value.lifetime_value, Paise::new(20_000_00));
        assert_eq!((value.purchases, value.walk_ins, value.visits()), (1, 1, 2));
        assert_eq!(value.last_purchase, Some(Timestamp::UNIX_EPOCH));
        let huge = SaleContribution {
            value: i64::MAX,
            ..bought
        };
        assert_eq!(value.with_sale(SaleContribution::default(), huge), None);
    }
}
