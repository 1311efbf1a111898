//! The GST sales register's index: each invoiced bill under the day it was completed,
//! and each return under the day it was made, kept in the write transaction of every
//! sale write, so a month's register reads that month's bills and returns alone.
//!
//! Days are the store's own (the configured zone), like the figures' (`figures`): the
//! index is worked out again whenever the zone changes (`sale_days::follow_zone`), after
//! the migration that added it, and with the figures on demand.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use redb::{ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::Tables;
use super::sale_days::day_number;
use super::tables::{self, GST_DAYS};
use super::{Scope, StoreError, Writer};
use crate::domain::{Sale, SaleId, SaleStatus};

type GstKey = (u128, u32, u8, u128, u32);

/// Kinds of entry in `GST_DAYS`: an invoice (its return number is 0) or a return (the
/// return's place in the sale's list of returns).
const INVOICE: u8 = 0;
const RETURN: u8 = 1;

/// One entry of the register's index: an invoiced bill, or one of its returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GstEntry {
    /// A bill invoiced on the day.
    Invoice(SaleId),
    /// The bill's return at this place in its list of returns, made on the day.
    Return(SaleId, usize),
}

fn day_of(at: Timestamp, zone: &TimeZone) -> u32 {
    day_number(at.to_zoned_datetime(zone.clone()).date())
}

/// The index keys of a sale as it stands: none while pending or once cancelled.
fn keys_of(sale: &Sale, zone: &TimeZone) -> BTreeSet<GstKey> {
    let mut keys = BTreeSet::new();
    if !matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded) {
        return keys;
    }
    let (store, id) = (sale.store_id.as_u128(), sale.id.as_u128());
    let invoiced = sale.completed_at.unwrap_or(sale.created_at);
    keys.insert((store, day_of(invoiced, zone), INVOICE, id, 0));
    for (place, refund) in sale.refunds.iter().enumerate() {
        let place = u32::try_from(place).unwrap_or(u32::MAX);
        keys.insert((store, day_of(refund.at, zone), RETURN, id, place));
    }
    keys
}

/// Moves a sale's entries from what `old` (none: a new sale) had to what `new` has.
pub(super) fn sale_saved(w: &Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    let before = old.map(|o| keys_of(o, &w.zone)).unwrap_or_default();
    let after = keys_of(new, &w.zone);
    if before == after {
        return Ok(());
    }
    let mut index = w.tx.open_table(GST_DAYS)?;
    for key in before.difference(&after) {
        index.remove(*key)?;
    }
    for key in after.difference(&before) {
        index.insert(*key, ())?;
    }
    Ok(())
}

/// The invoices and returns of the scope's store dated from `from` to `to` (inclusive),
/// day by day, each day's invoices before its returns. The register is the whole
/// store's, so a floor scope reads nothing here: GST is filed for the store.
pub fn gst_entries(
    tx: &impl Tables,
    scope: &Scope,
    (from, to): (Date, Date),
) -> Result<Vec<GstEntry>, StoreError> {
    if scope.floor_id().is_some() || from > to {
        return Ok(Vec::new());
    }
    let index = tx.open(GST_DAYS)?;
    let store = scope.store_id().as_u128();
    let range =
        (store, day_number(from), 0, 0, 0)..=(store, day_number(to), u8::MAX, u128::MAX, u32::MAX);
    let mut out = Vec::new();
    for entry in index.range(range)? {
        let (_, _, kind, sale, place) = entry?.0.value();
        let id = SaleId::from_uuid(uuid::Uuid::from_u128(sale));
        out.push(if kind == INVOICE {
            GstEntry::Invoice(id)
        } else {
            GstEntry::Return(id, usize::try_from(place).unwrap_or(usize::MAX))
        });
    }
    Ok(out)
}

/// Schema version 11: the index's table, empty; it is filled with the other summaries
/// dated in the zone (`sale_days::follow_zone`), which the migration asks for.
pub(super) fn migrate(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(GST_DAYS)?;
    super::sale_days::forget_zone(tx)
}

/// Works the whole index out again from the sales stored, dated in `zone`.
pub(super) fn rebuild(tx: &WriteTransaction, zone: &TimeZone) -> Result<(), StoreError> {
    let mut index = tx.open_table(GST_DAYS)?;
    index.retain(|_, _| false)?;
    for entry in tx.open_table(tables::SALES)?.iter()? {
        let sale: Sale = decode(entry?.1.value())?;
        for key in keys_of(&sale, zone) {
            index.insert(key, ())?;
        }
    }
    Ok(())
}
