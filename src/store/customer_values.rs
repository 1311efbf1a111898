//! Each customer's running totals (lifetime value, last purchase, purchases, walk-ins)
//! and the three orders the customer list sorts by, kept in the write transaction of
//! the sale, refund, walk-in or customer change that moves them.
//!
//! Totals follow the writes rather than being added up per request: a list of 20,000
//! customers sorted by value reads one page of an index, never every sale.

use std::collections::HashMap;

use jiff::Timestamp;
use redb::{ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::Tables;
use super::{Scope, StoreError, Writer, tables};
use crate::domain::{
    Customer, CustomerId, CustomerValue, Interaction, Paise, Sale, SaleContribution, StoreId,
};

/// The orders the totals give the customer list. Each index holds live customers only,
/// every one of them (with zero totals until they buy or walk in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueOrder {
    LifetimeValue,
    LastPurchase,
    Visits,
}

impl ValueOrder {
    const ALL: [ValueOrder; 3] = [Self::LifetimeValue, Self::LastPurchase, Self::Visits];

    pub(super) fn index(self) -> tables::OrderIndex {
        match self {
            Self::LifetimeValue => tables::CUSTOMERS_BY_VALUE,
            Self::LastPurchase => tables::CUSTOMERS_BY_LAST_PURCHASE,
            Self::Visits => tables::CUSTOMERS_BY_VISITS,
        }
    }

    /// The key `value` sorts under: fixed-width digits, so text order is number order.
    /// A customer who never bought sorts before every date.
    fn key(self, value: &CustomerValue) -> String {
        match self {
            Self::LifetimeValue => signed_key(value.lifetime_value.get()),
            Self::LastPurchase => value
                .last_purchase
                .map_or_else(String::new, |at| signed_key(at.as_microsecond())),
            Self::Visits => format!("{:020}", value.visits()),
        }
    }
}

fn signed_key(n: i64) -> String {
    // Shifting by i64::MIN maps the whole i64 range onto 0..2^64 in the same order.
    format!("{:020}", i128::from(n) - i128::from(i64::MIN))
}

type Stored = tables::CustomerTotals;

fn to_stored(v: &CustomerValue) -> Stored {
    (
        v.lifetime_value.get(),
        v.last_purchase.map(Timestamp::as_microsecond),
        v.purchases,
        v.walk_ins,
    )
}

fn from_stored((value, last, purchases, walk_ins): Stored) -> Result<CustomerValue, StoreError> {
    let last_purchase = last
        .map(Timestamp::from_microsecond)
        .transpose()
        .map_err(|e| StoreError::Codec(format!("a customer's last purchase: {e}")))?;
    Ok(CustomerValue {
        lifetime_value: Paise::new(value),
        last_purchase,
        purchases,
        walk_ins,
    })
}

/// A customer's totals (zero for one who has not bought or walked in).
pub fn customer_value(
    tx: &impl Tables,
    scope: &Scope,
    id: CustomerId,
) -> Result<CustomerValue, StoreError> {
    let table = tx.open(tables::CUSTOMER_VALUES)?;
    read(&table, scope.store_id(), id)
}

/// The totals of several customers of the scope's store, for one page of a list.
pub fn customer_values(
    tx: &impl Tables,
    scope: &Scope,
    ids: &[CustomerId],
) -> Result<HashMap<CustomerId, CustomerValue>, StoreError> {
    let table = tx.open(tables::CUSTOMER_VALUES)?;
    ids.iter()
        .map(|id| Ok((*id, read(&table, scope.store_id(), *id)?)))
        .collect()
}

fn read(
    table: &impl ReadableTable<(u128, u128), Stored>,
    store: StoreId,
    id: CustomerId,
) -> Result<CustomerValue, StoreError> {
    match table.get((store.as_u128(), id.as_u128()))? {
        Some(stored) => from_stored(stored.value()),
        None => Ok(CustomerValue::default()),
    }
}

/// Saves a customer's new totals and moves them in the sort orders while they are live.
fn put(
    tx: &WriteTransaction,
    store: StoreId,
    customer: u128,
    old: &CustomerValue,
    new: &CustomerValue,
) -> Result<(), StoreError> {
    let s = store.as_u128();
    tx.open_table(tables::CUSTOMER_VALUES)?
        .insert((s, customer), to_stored(new))?;
    let live = tx
        .open_table(tables::CUSTOMERS_BY_STORE)?
        .get((s, customer))?
        .is_some();
    if live {
        for order in ValueOrder::ALL {
            let (was, now) = (order.key(old), order.key(new));
            if was != now {
                let mut index = tx.open_table(order.index())?;
                index.remove((s, was.as_str(), customer))?;
                index.insert((s, now.as_str(), customer), ())?;
            }
        }
    }
    Ok(())
}

/// Moves a sale's part of its customer's totals from `old` (none: a new sale) to `new`.
pub(super) fn sale_saved(w: &Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    let before = old.map(SaleContribution::of).unwrap_or_default();
    let after = SaleContribution::of(new);
    match old {
        // A sale moved to another customer (a merge, a pending bill corrected) leaves
        // the one's totals and joins the other's.
        Some(old) if old.customer_id != new.customer_id => {
            add_sale(
                w,
                old.store_id,
                old.customer_id,
                before,
                SaleContribution::default(),
            )?;
            add_sale(
                w,
                new.store_id,
                new.customer_id,
                SaleContribution::default(),
                after,
            )
        }
        _ if before == after => Ok(()),
        _ => add_sale(w, new.store_id, new.customer_id, before, after),
    }
}

fn add_sale(
    w: &Writer,
    store: StoreId,
    customer: CustomerId,
    before: SaleContribution,
    after: SaleContribution,
) -> Result<(), StoreError> {
    if before == after {
        return Ok(());
    }
    let table = w.tx.open_table(tables::CUSTOMER_VALUES)?;
    let current = read(&table, store, customer)?;
    drop(table);
    let next = current
        .with_sale(before, after)
        .ok_or_else(|| StoreError::Codec("a customer's lifetime value overflowed".into()))?;
    put(&w.tx, store, customer.as_u128(), &current, &next)
}

/// Works a customer's totals out again from their sales and interactions, as the
/// backfill does: after a merge or its undo, whose moves cannot take a last purchase
/// back by subtraction. A customer has tens of these records, not thousands.
pub(super) fn recount(w: &Writer, store: StoreId, customer: CustomerId) -> Result<(), StoreError> {
    let (s, c) = (store.as_u128(), customer.as_u128());
    let mut next = CustomerValue::default();
    let sales = w.tx.open_table(tables::SALES)?;
    for entry in
        w.tx.open_table(tables::SALES_BY_CUSTOMER)?
            .range((s, c, 0)..=(s, c, u128::MAX))?
    {
        let id = entry?.0.value().2;
        let Some(bytes) = sales.get(id)? else {
            continue;
        };
        let sale: Sale = decode(bytes.value())?;
        next = next
            .with_sale(SaleContribution::default(), SaleContribution::of(&sale))
            .ok_or_else(|| StoreError::Codec("a customer's lifetime value overflowed".into()))?;
    }
    let interactions = w.tx.open_table(tables::INTERACTIONS)?;
    for entry in
        w.tx.open_table(tables::INTERACTIONS_BY_CUSTOMER)?
            .range((s, c, 0)..=(s, c, u128::MAX))?
    {
        let id = entry?.0.value().2;
        if let Some(bytes) = interactions.get(id)? {
            let interaction: Interaction = decode(bytes.value())?;
            next = next.with_interaction(interaction.kind);
        }
    }
    let table = w.tx.open_table(tables::CUSTOMER_VALUES)?;
    let current = read(&table, store, customer)?;
    drop(table);
    if next == current {
        return Ok(());
    }
    put(&w.tx, store, c, &current, &next)
}

/// Counts a walk-in as a visit.
pub(super) fn interaction_logged(w: &Writer, interaction: &Interaction) -> Result<(), StoreError> {
    let table = w.tx.open_table(tables::CUSTOMER_VALUES)?;
    let current = read(&table, interaction.store_id, interaction.customer_id)?;
    drop(table);
    let next = current.with_interaction(interaction.kind);
    if next == current {
        return Ok(());
    }
    put(
        &w.tx,
        interaction.store_id,
        interaction.customer_id.as_u128(),
        &current,
        &next,
    )
}

/// Keeps the sort orders to live customers: a removed customer leaves them, a new or
/// restored one joins them with the totals they have.
pub(super) fn customer_saved(
    w: &Writer,
    old: Option<&Customer>,
    new: &Customer,
) -> Result<(), StoreError> {
    let was_live = old.is_some_and(|c| c.deleted_at.is_none());
    let is_live = new.deleted_at.is_none();
    if was_live == is_live {
        return Ok(());
    }
    let table = w.tx.open_table(tables::CUSTOMER_VALUES)?;
    let value = read(&table, new.store_id, new.id)?;
    drop(table);
    list(&w.tx, new.store_id, new.id.as_u128(), &value, is_live)
}

fn list(
    tx: &WriteTransaction,
    store: StoreId,
    customer: u128,
    value: &CustomerValue,
    live: bool,
) -> Result<(), StoreError> {
    for order in ValueOrder::ALL {
        let mut index = tx.open_table(order.index())?;
        let key = (store.as_u128(), order.key(value), customer);
        if live {
            index.insert((key.0, key.1.as_str(), key.2), ())?;
        } else {
            index.remove((key.0, key.1.as_str(), key.2))?;
        }
    }
    Ok(())
}

/// Schema version 5: every customer's totals worked out from the sales and walk-ins
/// already stored (each sale and interaction read once), and the sort orders filled.
pub(super) fn backfill(tx: &WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::CUSTOMER_VALUES)?;
    for order in ValueOrder::ALL {
        tx.open_table(order.index())?;
    }
    let mut totals: HashMap<(StoreId, CustomerId), CustomerValue> = HashMap::new();
    for entry in tx.open_table(tables::SALES)?.iter()? {
        let sale: Sale = decode(entry?.1.value())?;
        let slot = totals.entry((sale.store_id, sale.customer_id)).or_default();
        *slot = slot
            .with_sale(SaleContribution::default(), SaleContribution::of(&sale))
            .ok_or_else(|| StoreError::Codec("a customer's lifetime value overflowed".into()))?;
    }
    for entry in tx.open_table(tables::INTERACTIONS)?.iter()? {
        let interaction: Interaction = decode(entry?.1.value())?;
        let slot = totals
            .entry((interaction.store_id, interaction.customer_id))
            .or_default();
        *slot = slot.with_interaction(interaction.kind);
    }
    let mut values = tx.open_table(tables::CUSTOMER_VALUES)?;
    for ((store, customer), value) in &totals {
        values.insert((store.as_u128(), customer.as_u128()), to_stored(value))?;
    }
    drop(values);
    for entry in tx.open_table(tables::CUSTOMERS)?.iter()? {
        let customer: Customer = decode(entry?.1.value())?;
        if customer.deleted_at.is_none() {
            let value = totals
                .get(&(customer.store_id, customer.id))
                .copied()
                .unwrap_or_default();
            list(tx, customer.store_id, customer.id.as_u128(), &value, true)?;
        }
    }
    Ok(())
}

/// The key a lifetime value of `value` sorts under in [`ValueOrder::LifetimeValue`].
pub fn value_key(value: Paise) -> String {
    signed_key(value.get())
}

/// The key a last purchase at `at` sorts under in [`ValueOrder::LastPurchase`].
pub fn purchase_key(at: Timestamp) -> String {
    signed_key(at.as_microsecond())
}

/// Where a walk down an order index stands: the key and customer last handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPosition {
    pub key: String,
    pub customer: CustomerId,
}

/// Walks the live customers of the scope's store down `order`, largest key first,
/// from just below `below` (the top without it) to `lowest` (inclusive), handing each
/// one's position and totals to `visit` until it answers `false`. Reads the index and
/// one totals row per customer, nothing else; the caller bounds the walk.
pub fn walk_down(
    tx: &impl Tables,
    scope: &Scope,
    order: ValueOrder,
    below: Option<&OrderPosition>,
    lowest: &str,
    visit: &mut dyn FnMut(OrderPosition, CustomerValue) -> bool,
) -> Result<(), StoreError> {
    let index = tx.open(order.index())?;
    let values = tx.open(tables::CUSTOMER_VALUES)?;
    let store = scope.store_id();
    let s = store.as_u128();
    let entries = match below {
        Some(at) => index.range((s, lowest, 0)..(s, at.key.as_str(), at.customer.as_u128()))?,
        // Store ids are UUIDv7, whose top bits are never all ones, so `s + 1` cannot overflow.
        None => index.range((s, lowest, 0)..(s + 1, "", 0))?,
    };
    for entry in entries.rev() {
        let entry = entry?;
        let (_, text, id) = entry.0.value();
        let customer = CustomerId::from_u128(id);
        let value = read(&values, store, customer)?;
        let position = OrderPosition {
            key: text.to_owned(),
            customer,
        };
        if !visit(position, value) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_keys_sort_as_the_numbers_do() {
        let numbers = [i64::MIN, -1_00, -1, 0, 1, 99, 1_00_000_00, i64::MAX];
        let keys: Vec<String> = numbers.iter().map(|n| signed_key(*n)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(keys.iter().all(|k| k.len() == 20));
        let never = ValueOrder::LastPurchase.key(&CustomerValue::default());
        assert!(never < signed_key(0), "no purchase sorts before every date");
    }
}
