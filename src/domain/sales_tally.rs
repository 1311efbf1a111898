//! What a set of sales adds up to in the sales register (bills, invoiced bills, amount
//! payable, refunds, cash kept), and the day the register dates a sale on. Shared by the
//! register's scan and the per-day summary the store keeps, so the two cannot disagree.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Paise, Sale, SaleStatus};

/// The totals of some sales. Every operation is checked: `None` means a total left the
/// range of its type, which only damaged data can cause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesTally {
    /// Every bill counted, whatever its status.
    pub bills: u64,
    /// The bills that were invoiced (completed, or refunded since).
    pub invoiced: u64,
    /// The amount payable of the invoiced bills; pending and cancelled bills are left out.
    pub payable: Paise,
    /// What refunds paid back on those bills.
    pub refunded: Paise,
    /// The cash the store kept on those bills (tendered less change given).
    pub cash: Paise,
}

/// The moment the register dates a sale by: a completed (or since refunded) bill by its
/// completion, any other by when it was drawn up.
pub fn register_time(sale: &Sale) -> Timestamp {
    sale.completed_at.unwrap_or(sale.created_at)
}

/// The day, in the store's zone, the register dates a sale on.
pub fn register_day(sale: &Sale, zone: &TimeZone) -> Date {
    register_time(sale).to_zoned_datetime(zone.clone()).date()
}

impl SalesTally {
    /// What one sale counts for.
    pub fn of(sale: &Sale) -> Option<Self> {
        if !matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
            return Some(Self {
                bills: 1,
                ..Self::default()
            });
        }
        let refunded = sale
            .refunds
            .iter()
            .try_fold(0_i64, |sum, r| sum.checked_add(r.amount.get()))?;
        Some(Self {
            bills: 1,
            invoiced: 1,
            payable: sale.payable(),
            refunded: Paise::new(refunded),
            cash: sale.cash_kept(),
        })
    }

    /// Both tallies together.
    pub fn plus(self, other: Self) -> Option<Self> {
        let paise = |a: Paise, b: Paise| a.get().checked_add(b.get()).map(Paise::new);
        Some(Self {
            bills: self.bills.checked_add(other.bills)?,
            invoiced: self.invoiced.checked_add(other.invoiced)?,
            payable: paise(self.payable, other.payable)?,
            refunded: paise(self.refunded, other.refunded)?,
            cash: paise(self.cash, other.cash)?,
        })
    }

    /// This tally without `other`, which it must contain: no count may go below zero.
    pub fn minus(self, other: Self) -> Option<Self> {
        let paise = |a: Paise, b: Paise| a.get().checked_sub(b.get()).map(Paise::new);
        Some(Self {
            bills: self.bills.checked_sub(other.bills)?,
            invoiced: self.invoiced.checked_sub(other.invoiced)?,
            payable: paise(self.payable, other.payable)?,
            refunded: paise(self.refunded, other.refunded)?,
            cash: paise(self.cash, other.cash)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(bills: u64, invoiced: u64, payable: i64, refunded: i64, cash: i64) -> SalesTally {
        SalesTally {
            bills,
            invoiced,
            payable: Paise::new(payable),
            refunded: Paise::new(refunded),
            cash: Paise::new(cash),
        }
    }

    #[test]
    fn taking_away_what_was_added_gives_back_the_tally() {
        let day = tally(7, 5, 12_34_567_00, 10_000_00, 1_99_999_00);
        let sale = tally(1, 1, 2_647_66, 0, 2_648_00);
        let with = day.plus(sale).unwrap();
        assert_eq!(with, tally(8, 6, 12_37_214_66, 10_000_00, 2_02_647_00));
        assert_eq!(with.minus(sale), Some(day));
    }

    #[test]
    fn a_tally_never_goes_below_zero_nor_past_its_range() {
        let one = tally(1, 0, 0, 0, 0);
        assert_eq!(SalesTally::default().minus(one), None);
        let full = tally(u64::MAX, 0, 0, 0, 0);
        assert_eq!(full.plus(one), None);
        let rich = tally(1, 1, i64::MAX, 0, 0);
        assert_eq!(rich.plus(tally(1, 1, 1, 0, 0)), None);
    }
}
