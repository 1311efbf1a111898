//! The cash each customer paid on each day, kept in the write transaction of every sale
//! write, so completing a bill reads a year of day rows for the counter's cash rules
//! instead of every sale the customer ever made.
//!
//! A sale counts on the day it was completed, in the store's zone (the `Writer`'s), as
//! the counter's rules date it: its cash kept (tendered less change) towards the day
//! while it is COMPLETED (a bill taken back no longer counts towards the s.269ST
//! limit), and towards the financial year while it is COMPLETED or REFUNDED (the KYC
//! flag counts cash taken, even if refunded later).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use redb::{ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::Tables;
use super::sale_days::day_number;
use super::{Scope, StoreError, Writer, tables};
use crate::domain::{CustomerId, FinancialYear, Paise, Sale, SaleStatus};

/// `(store, customer, yyyymmdd in the store's zone)`.
type CashKey = (u128, u128, u32);

/// The cash the store kept from a customer in completed sales: on one day (what the
/// s.269ST limit counts) and in that day's financial year up to and including the day
/// (what the KYC flag counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CashKept {
    pub on_day: Paise,
    pub in_year: Paise,
}

/// Where `sale` counts and what: `(key, cash still counted on its day, cash counted in
/// its year)`; `None` for a sale never completed or since cancelled.
fn share_of(sale: &Sale, zone: &TimeZone) -> Option<(CashKey, tables::CashTotals)> {
    let done = sale.completed_at?;
    let cash = sale.cash_kept().get();
    let (on_day, in_year) = match sale.status {
        SaleStatus::Completed => (cash, cash),
        SaleStatus::Refunded => (0, cash),
        SaleStatus::Pending | SaleStatus::Cancelled => return None,
    };
    let day = done.to_zoned_datetime(zone.clone()).date();
    let key = (
        sale.store_id.as_u128(),
        sale.customer_id.as_u128(),
        day_number(day),
    );
    Some((key, (on_day, in_year)))
}

fn overflow() -> StoreError {
    StoreError::Codec("a customer's cash on a day left the range of paise".into())
}

/// Adds `share` (or takes it off, `sign` -1) to the row at `key`, removing a row that
/// comes to nothing.
fn apply(
    table: &mut redb::Table<CashKey, tables::CashTotals>,
    key: CashKey,
    (on_day, in_year): tables::CashTotals,
    sign: i64,
) -> Result<(), StoreError> {
    let (day_now, year_now) = table.get(key)?.map_or((0, 0), |v| v.value());
    let day = on_day
        .checked_mul(sign)
        .and_then(|d| day_now.checked_add(d))
        .ok_or_else(overflow)?;
    let year = in_year
        .checked_mul(sign)
        .and_then(|y| year_now.checked_add(y))
        .ok_or_else(overflow)?;
    if day < 0 || year < 0 {
        return Err(StoreError::Codec(
            "a customer's cash on a day lacks a sale it counted".into(),
        ));
    }
    if (day, year) == (0, 0) {
        table.remove(key)?;
    } else {
        table.insert(key, (day, year))?;
    }
    Ok(())
}

/// Moves a sale's cash from where `old` (none: a new sale) counted to where `new` does.
pub(super) fn sale_saved(w: &Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    let before = old.and_then(|o| share_of(o, &w.zone));
    let after = share_of(new, &w.zone);
    if before == after {
        return Ok(());
    }
    let mut table = w.tx.open_table(tables::CUSTOMER_CASH_DAYS)?;
    if let Some((key, share)) = before {
        apply(&mut table, key, share, -1)?;
    }
    if let Some((key, share)) = after {
        apply(&mut table, key, share, 1)?;
    }
    Ok(())
}

/// The cash kept from `customer` on `day` (sales still COMPLETED) and in its financial
/// year up to and including `day` (COMPLETED or REFUNDED), read from the day rows.
pub fn cash_kept(
    tx: &impl Tables,
    scope: &Scope,
    customer: CustomerId,
    day: Date,
) -> Result<CashKept, StoreError> {
    let table = tx.open(tables::CUSTOMER_CASH_DAYS)?;
    let (s, c) = (scope.store_id().as_u128(), customer.as_u128());
    let year = FinancialYear::containing(day).start_year();
    let year_start = day_number(jiff::civil::date(year, 4, 1));
    let today = day_number(day);
    let mut kept = CashKept::default();
    for entry in table.range((s, c, year_start)..=(s, c, today))? {
        let (key, value) = entry?;
        let (on_day, in_year) = value.value();
        kept.in_year = kept
            .in_year
            .checked_add(Paise::new(in_year))
            .ok_or_else(overflow)?;
        if key.value().2 == today {
            kept.on_day = Paise::new(on_day);
        }
    }
    Ok(kept)
}

/// Schema version 7: the table, empty. Dating a sale needs the configured zone, which
/// the numbered migrations are not given, so [`rebuild`] fills it when the per-day
/// summaries are next dated (this migration asks for that).
pub(super) fn create_table(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::CUSTOMER_CASH_DAYS)?;
    super::sale_days::forget_zone(tx)
}

/// Works every customer's cash per day out from the sales stored, dated in `zone`.
pub(super) fn rebuild(tx: &WriteTransaction, zone: &TimeZone) -> Result<(), StoreError> {
    let mut table = tx.open_table(tables::CUSTOMER_CASH_DAYS)?;
    table.retain(|_, _| false)?;
    for entry in tx.open_table(tables::SALES)?.iter()? {
        let sale: Sale = decode(entry?.1.value())?;
        if let Some((key, share)) = share_of(&sale, zone) {
            apply(&mut table, key, share, 1)?;
        }
    }
    Ok(())
}
