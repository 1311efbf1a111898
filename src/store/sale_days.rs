//! What each day's sales add up to, per floor, salesperson and status, kept in the write
//! transaction of every sale write, so the sales register's totals read a few hundred
//! summary rows instead of every sale.
//!
//! Days are the store's own (the configured time zone): a sale completed at 00:30 in
//! Kolkata belongs to that Kolkata day, which a UTC day would put on the day before.
//! The database records the zone the summary is dated in, and opening it under another
//! zone works the summary out again (see [`follow_zone`]).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use redb::{Database, ReadableDatabase, ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::Tables;
use super::{Scope, StoreError, Writer, tables};
use crate::domain::{FloorId, Paise, Sale, SaleStatus, SalesTally, UserId, register_day};

/// `(store, yyyymmdd, floor, salesperson, status)`.
type DayKey = (u128, u32, u128, u128, u8);

const ZONE_KEY: &str = "zone";

/// Which sales of the summary to add up; `None` leaves a field open.
#[derive(Debug, Clone, Copy, Default)]
pub struct SaleDaysQuery {
    /// First and last day (inclusive) in the store's zone.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub floor: Option<FloorId>,
    pub salesperson: Option<UserId>,
    pub status: Option<SaleStatus>,
}

/// A day as the number `yyyymmdd`, which sorts as the days do. Sales are dated after
/// 1970; a filter's day before year 0 counts as the earliest.
pub(super) fn day_number(day: Date) -> u32 {
    let year = u32::try_from(day.year()).unwrap_or(0);
    year * 10_000
        + u32::from(day.month().unsigned_abs()) * 100
        + u32::from(day.day().unsigned_abs())
}

fn status_number(status: SaleStatus) -> u8 {
    match status {
        SaleStatus::Pending => 0,
        SaleStatus::Completed => 1,
        SaleStatus::Cancelled => 2,
        SaleStatus::Refunded => 3,
    }
}

fn key_of(sale: &Sale, zone: &TimeZone) -> DayKey {
    (
        sale.store_id.as_u128(),
        day_number(register_day(sale, zone)),
        sale.floor_id.as_u128(),
        sale.staff_id.as_u128(),
        status_number(sale.status),
    )
}

fn tally_of(sale: &Sale) -> Result<SalesTally, StoreError> {
    SalesTally::of(sale).ok_or_else(|| overflow("a sale's refunds"))
}

fn overflow(what: &str) -> StoreError {
    StoreError::Codec(format!("{what} left the range of the day's sales totals"))
}

fn to_stored(t: SalesTally) -> tables::DayTotals {
    (
        t.bills,
        t.invoiced,
        t.payable.get(),
        t.refunded.get(),
        t.cash.get(),
    )
}

fn from_stored((bills, invoiced, payable, refunded, cash): tables::DayTotals) -> SalesTally {
    SalesTally {
        bills,
        invoiced,
        payable: Paise::new(payable),
        refunded: Paise::new(refunded),
        cash: Paise::new(cash),
    }
}

/// Moves a sale's part of the summary from `old` (none: a new sale) to `new`: off the
/// day, floor, salesperson and status it had, onto the ones it has.
pub(super) fn sale_saved(w: &Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    let after = (key_of(new, &w.zone), tally_of(new)?);
    let before = old
        .map(|o| Ok::<_, StoreError>((key_of(o, &w.zone), tally_of(o)?)))
        .transpose()?;
    if before == Some(after) {
        return Ok(());
    }
    let mut days = w.tx.open_table(tables::SALE_DAYS)?;
    if let Some((key, tally)) = before {
        let current = days.get(key)?.map(|v| from_stored(v.value()));
        let left = current.and_then(|c| c.minus(tally)).ok_or_else(|| {
            StoreError::Codec("the day's sales totals lack a sale they counted".into())
        })?;
        if left == SalesTally::default() {
            days.remove(key)?;
        } else {
            days.insert(key, to_stored(left))?;
        }
    }
    let (key, tally) = after;
    let current = days
        .get(key)?
        .map(|v| from_stored(v.value()))
        .unwrap_or_default();
    let sum = current.plus(tally).ok_or_else(|| overflow("a sale"))?;
    days.insert(key, to_stored(sum))?;
    Ok(())
}

/// What the scope's sales matching `query` add up to, read from the summary alone. A
/// Floor Manager's scope counts their floor only.
pub fn sale_days_tally(
    tx: &impl Tables,
    scope: &Scope,
    query: &SaleDaysQuery,
) -> Result<SalesTally, StoreError> {
    let days = tx.open(tables::SALE_DAYS)?;
    let s = scope.store_id().as_u128();
    let first = query.from.map_or(0, day_number);
    let last = query.to.map_or(u32::MAX, day_number);
    let floor = scope.floor_id().or(query.floor).map(|f| f.as_u128());
    let floor_conflict = scope
        .floor_id()
        .zip(query.floor)
        .is_some_and(|(own, asked)| own != asked);
    if floor_conflict || first > last {
        return Ok(SalesTally::default());
    }
    let salesperson = query.salesperson.map(|u| u.as_u128());
    let status = query.status.map(status_number);
    let mut total = SalesTally::default();
    let range = (s, first, 0, 0, 0)..=(s, last, u128::MAX, u128::MAX, u8::MAX);
    for entry in days.range(range)? {
        let (key, value) = entry?;
        let (_, _, f, u, st) = key.value();
        if floor.is_none_or(|want| want == f)
            && salesperson.is_none_or(|want| want == u)
            && status.is_none_or(|want| want == st)
        {
            total = total
                .plus(from_stored(value.value()))
                .ok_or_else(|| overflow("the days asked for"))?;
        }
    }
    Ok(total)
}

/// Schema version 6: the summary's tables, empty. [`follow_zone`] fills them in the
/// same transaction, because dating a sale needs the configured zone, which the
/// numbered migrations are not given.
pub(super) fn create_tables(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::SALE_DAYS)?;
    tx.open_table(tables::SALE_DAYS_ZONE)?;
    Ok(())
}

fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name()
        .map_or_else(|| format!("{zone:?}"), str::to_owned)
}

/// Whether the summary of a migrated database is dated in `zone` already.
pub(super) fn dated_in(db: &Database, zone: &TimeZone) -> Result<bool, StoreError> {
    let tx = db.begin_read()?;
    let recorded = tx.open_table(tables::SALE_DAYS_ZONE)?.get(ZONE_KEY)?;
    Ok(recorded.is_some_and(|name| name.value() == zone_name(zone)))
}

/// Works the whole summary (and each customer's cash per day) out from the sales stored
/// when it is not dated in `zone` yet: after migrations 6 and 7, or when the configured
/// zone changed.
pub(super) fn follow_zone(tx: &WriteTransaction, zone: &TimeZone) -> Result<(), StoreError> {
    let name = zone_name(zone);
    let mut recorded = tx.open_table(tables::SALE_DAYS_ZONE)?;
    if recorded.get(ZONE_KEY)?.is_some_and(|n| n.value() == name) {
        return Ok(());
    }
    tracing::info!(zone = %name, "working out each day's sales totals");
    let mut sums: BTreeMap<DayKey, SalesTally> = BTreeMap::new();
    for entry in tx.open_table(tables::SALES)?.iter()? {
        let sale: Sale = decode(entry?.1.value())?;
        let slot = sums.entry(key_of(&sale, zone)).or_default();
        *slot = slot
            .plus(tally_of(&sale)?)
            .ok_or_else(|| overflow("a sale"))?;
    }
    let mut days = tx.open_table(tables::SALE_DAYS)?;
    days.retain(|_, _| false)?;
    for (key, tally) in sums {
        days.insert(key, to_stored(tally))?;
    }
    super::customer_cash::rebuild(tx, zone)?;
    super::figures::rebuild(tx, zone)?;
    super::gst_days::rebuild(tx, zone)?;
    recorded.insert(ZONE_KEY, name.as_str())?;
    Ok(())
}

/// Forgets the zone the summaries are dated in, so [`follow_zone`] works them all out
/// again in the same transaction: for a migration adding a summary dated in the zone.
pub(super) fn forget_zone(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::SALE_DAYS_ZONE)?.remove(ZONE_KEY)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_sort_as_the_days_do() {
        let days = [
            jiff::civil::date(1970, 1, 1),
            jiff::civil::date(2026, 3, 31),
            jiff::civil::date(2026, 4, 1),
            jiff::civil::date(2026, 12, 7),
            jiff::civil::date(2027, 1, 1),
        ];
        let numbers: Vec<u32> = days.iter().map(|d| day_number(*d)).collect();
        assert_eq!(numbers[3], 2026_12_07);
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        assert_eq!(day_number(jiff::civil::date(-5, 1, 1)), 101);
    }
}
