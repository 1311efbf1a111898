//! The owner's figures: the sums of every fact (`domain::sale_facts`) per day and per
//! month, per floor, member of staff, facet and member, kept in the write transaction of
//! every sale, interaction and customer write. Reports read a few hundred of these rows
//! instead of the sales themselves: a month or a financial year is its month rows, and
//! the days of a month not yet over are its day rows.
//!
//! Like the register's day summary (`sale_days`), the sums are dated in the store's zone
//! and worked out again from the records whenever that zone changes, after the migration
//! that added them, and on demand ([`rebuild`]).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use redb::{ReadableTable, WriteTransaction};

use super::codec::decode;
use super::repo::{Tables, load};
use super::sale_days::day_number;
use super::{Scope, StoreError, Writer};
use crate::domain::sale_facts::{
    Facet, Fact, Measures, add_measures, customer_facts, interaction_facts, registered_on,
    sale_facts,
};
use crate::domain::{Customer, Interaction, Sale};

use super::tables::{FIGURES, FigureKey};

const DAY: u8 = 0;
const MONTH: u8 = 1;

/// The rows a rebuild keeps in memory before it adds them into the table, so a
/// rebuild of a large store stays within a few tens of megabytes.
const REBUILD_BATCH: usize = 200_000;

fn month_number(day: Date) -> u32 {
    day_number(day) / 100
}

fn keys_of(store: u128, fact: &Fact) -> [FigureKey; 2] {
    let facet = fact.facet.number();
    let tail = |grain, period| {
        (
            store,
            grain,
            facet,
            period,
            fact.floor,
            fact.staff,
            fact.member,
        )
    };
    [
        tail(DAY, day_number(fact.day)),
        tail(MONTH, month_number(fact.day)),
    ]
}

fn overflow() -> StoreError {
    StoreError::Codec("the owner's figures left the range of their sums".into())
}

/// The facts' sums by key, `sign` 1 to add them, -1 to take them away.
fn collect(
    store: u128,
    facts: &[Fact],
    sign: i64,
    into: &mut BTreeMap<FigureKey, Measures>,
) -> Result<(), StoreError> {
    for fact in facts {
        let mut signed = fact.measures;
        for m in &mut signed {
            *m = m.checked_mul(sign).ok_or_else(overflow)?;
        }
        for key in keys_of(store, fact) {
            add_measures(into.entry(key).or_default(), &signed).ok_or_else(overflow)?;
        }
    }
    Ok(())
}

/// Adds each change into the table; a row whose sums all come to zero is removed.
fn apply(tx: &WriteTransaction, changes: BTreeMap<FigureKey, Measures>) -> Result<(), StoreError> {
    let mut table = tx.open_table(FIGURES)?;
    for (key, change) in changes {
        if change == Measures::default() {
            continue;
        }
        let mut sum = table.get(key)?.map(|v| v.value()).unwrap_or_default();
        add_measures(&mut sum, &change).ok_or_else(overflow)?;
        if sum == Measures::default() {
            table.remove(key)?;
        } else {
            table.insert(key, sum)?;
        }
    }
    Ok(())
}

fn registered(w: &impl Tables, sale: &Sale, zone: &TimeZone) -> Result<Option<Date>, StoreError> {
    let customer: Option<Customer> = load(w, super::tables::CUSTOMERS, sale.customer_id.as_u128())?;
    Ok(customer.map(|c| registered_on(&c, zone)))
}

fn facts_of_sale(w: &impl Tables, sale: &Sale, zone: &TimeZone) -> Result<Vec<Fact>, StoreError> {
    let registered = registered(w, sale, zone)?;
    sale_facts(sale, zone, registered).ok_or_else(overflow)
}

/// Moves a sale's part of the figures from `old` (none: a new sale) to `new`.
pub(super) fn sale_saved(w: &Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    let store = new.store_id.as_u128();
    let mut changes = BTreeMap::new();
    if let Some(old) = old {
        collect(store, &facts_of_sale(w, old, &w.zone)?, -1, &mut changes)?;
    }
    collect(store, &facts_of_sale(w, new, &w.zone)?, 1, &mut changes)?;
    apply(&w.tx, changes)
}

pub(super) fn interaction_saved(w: &Writer, interaction: &Interaction) -> Result<(), StoreError> {
    let mut changes = BTreeMap::new();
    let facts = interaction_facts(interaction, &w.zone);
    collect(interaction.store_id.as_u128(), &facts, 1, &mut changes)?;
    apply(&w.tx, changes)
}

/// Moves a customer's registration between floors when their home floor changes.
pub(super) fn customer_saved(
    w: &Writer,
    old: Option<&Customer>,
    new: &Customer,
) -> Result<(), StoreError> {
    let store = new.store_id.as_u128();
    let mut changes = BTreeMap::new();
    if let Some(old) = old {
        collect(store, &customer_facts(old, &w.zone), -1, &mut changes)?;
    }
    collect(store, &customer_facts(new, &w.zone), 1, &mut changes)?;
    apply(&w.tx, changes)
}

/// Takes a customer out of the figures as if it had never been stored (an undone import).
pub(super) fn customer_purged(w: &Writer, old: &Customer) -> Result<(), StoreError> {
    let mut changes = BTreeMap::new();
    collect(
        old.store_id.as_u128(),
        &customer_facts(old, &w.zone),
        -1,
        &mut changes,
    )?;
    apply(&w.tx, changes)
}

/// Works every figure out again from the sales, interactions and customers stored,
/// replacing what the table held.
pub(super) fn rebuild(tx: &WriteTransaction, zone: &TimeZone) -> Result<(), StoreError> {
    tx.open_table(FIGURES)?.retain(|_, _| false)?;
    let mut pending: BTreeMap<FigureKey, Measures> = BTreeMap::new();
    let flush = |pending: &mut BTreeMap<FigureKey, Measures>| apply(tx, std::mem::take(pending));
    let customers = tx.open_table(super::tables::CUSTOMERS)?;
    let registered_of = |sale: &Sale| -> Result<Option<Date>, StoreError> {
        let found = customers.get(sale.customer_id.as_u128())?;
        Ok(found
            .map(|bytes| decode::<Customer>(bytes.value()))
            .transpose()?
            .map(|c| registered_on(&c, zone)))
    };
    for entry in tx.open_table(super::tables::SALES)?.iter()? {
        let sale: Sale = decode(entry?.1.value())?;
        let facts = sale_facts(&sale, zone, registered_of(&sale)?).ok_or_else(overflow)?;
        collect(sale.store_id.as_u128(), &facts, 1, &mut pending)?;
        if pending.len() >= REBUILD_BATCH {
            flush(&mut pending)?;
        }
    }
    for entry in tx.open_table(super::tables::INTERACTIONS)?.iter()? {
        let interaction: Interaction = decode(entry?.1.value())?;
        let facts = interaction_facts(&interaction, zone);
        collect(interaction.store_id.as_u128(), &facts, 1, &mut pending)?;
        if pending.len() >= REBUILD_BATCH {
            flush(&mut pending)?;
        }
    }
    for entry in customers.iter()? {
        let customer: Customer = decode(entry?.1.value())?;
        let facts = customer_facts(&customer, zone);
        collect(customer.store_id.as_u128(), &facts, 1, &mut pending)?;
        if pending.len() >= REBUILD_BATCH {
            flush(&mut pending)?;
        }
    }
    flush(&mut pending)
}

/// One row of the figures as a report reads it: the day (the first of the month for a
/// month row), floor, member of staff and member, and the sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureRow {
    pub day: Date,
    pub floor: u128,
    pub staff: u128,
    pub member: u128,
    pub measures: Measures,
}

/// How finely a report reads the figures: by day, or by whole months where it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// Every day's rows: for reports grouped by day or week.
    Days,
    /// Month rows for the months wholly inside the range, day rows for the rest.
    Months,
}

fn date_of(grain: u8, period: u32) -> Option<Date> {
    let (year, month, day) = if grain == MONTH {
        (period / 100, period % 100, 1)
    } else {
        (period / 10_000, (period / 100) % 100, period % 100)
    };
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// Hands `visit` every row of `facet` dated from `from` to `to` (inclusive) inside the
/// scope (a Floor Manager's floor only), reading month rows for the whole months of the
/// range when `grain` allows.
pub fn visit_figures(
    tx: &impl Tables,
    scope: &Scope,
    facet: Facet,
    (from, to): (Date, Date),
    grain: Grain,
    visit: &mut dyn FnMut(FigureRow),
) -> Result<(), StoreError> {
    if from > to {
        return Ok(());
    }
    let table = tx.open(FIGURES)?;
    let store = scope.store_id().as_u128();
    let floor = scope.floor_id().map(|f| f.as_u128());
    let facet = facet.number();
    let mut read = |grain: u8, first: u32, last: u32| -> Result<(), StoreError> {
        let range = (store, grain, facet, first, 0, 0, 0)
            ..=(store, grain, facet, last, u128::MAX, u128::MAX, u128::MAX);
        for entry in table.range(range)? {
            let (key, value) = entry?;
            let (_, _, _, period, f, staff, member) = key.value();
            if floor.is_some_and(|own| own != f) {
                continue;
            }
            let day = date_of(grain, period)
                .ok_or_else(|| StoreError::Codec(format!("a figure is dated {period}")))?;
            visit(FigureRow {
                day,
                floor: f,
                staff,
                member,
                measures: value.value(),
            });
        }
        Ok(())
    };
    if grain == Grain::Days {
        return read(DAY, day_number(from), day_number(to));
    }
    // Whole months inside the range come from month rows; the ragged ends from days.
    let first_whole = if from.day() == 1 {
        from
    } else {
        first_of_next_month(from)?
    };
    let last_whole_end = if to == to.last_of_month() {
        to
    } else {
        to.first_of_month().yesterday().map_err(date_error)?
    };
    if first_whole > last_whole_end {
        return read(DAY, day_number(from), day_number(to));
    }
    if from < first_whole {
        read(
            DAY,
            day_number(from),
            day_number(first_whole.yesterday().map_err(date_error)?),
        )?;
    }
    read(
        MONTH,
        month_number(first_whole),
        month_number(last_whole_end),
    )?;
    if to > last_whole_end {
        read(DAY, day_number(to.first_of_month()), day_number(to))?;
    }
    Ok(())
}

fn date_error(e: jiff::Error) -> StoreError {
    StoreError::Codec(format!("a report's dates: {e}"))
}

fn first_of_next_month(day: Date) -> Result<Date, StoreError> {
    day.last_of_month().tomorrow().map_err(date_error)
}

/// Schema version 10: the figures' table, and each stored sale's lines' categories and
/// place of supply (sale format 6), taken from the catalogue and the customer as they
/// are now, the best knowledge there is of bills drawn up before. The figures are then
/// worked out with the sale-day summary, dated in the configured zone (`sale_days`).
pub(super) fn migrate(tx: &WriteTransaction) -> Result<(), StoreError> {
    use crate::domain::gst_states::StateCode;
    use crate::domain::{Product, Store};
    tx.open_table(FIGURES)?;
    let mut sales = tx.open_table(super::tables::SALES)?;
    let products = tx.open_table(super::tables::PRODUCTS)?;
    let customers = tx.open_table(super::tables::CUSTOMERS)?;
    let stores = tx.open_table(super::tables::STORES)?;
    let mut rewritten: Vec<(u128, Vec<u8>)> = Vec::new();
    for entry in sales.iter()? {
        let (id, bytes) = entry?;
        let mut sale: Sale = decode(bytes.value())?;
        if sale.line_categories.len() == sale.lines.len() && sale.place_of_supply.is_some() {
            continue;
        }
        let mut categories = Vec::with_capacity(sale.lines.len());
        for line in &sale.lines {
            let product = products
                .get(line.product_id.as_u128())?
                .map(|b| decode::<Product>(b.value()))
                .transpose()?;
            categories.push(product.and_then(|p| p.category_id));
        }
        sale.line_categories = categories;
        let customer_state = customers
            .get(sale.customer_id.as_u128())?
            .map(|b| decode::<Customer>(b.value()))
            .transpose()?
            .and_then(|c| StateCode::of(c.address.state.as_str()));
        let store_state = stores
            .get(sale.store_id.as_u128())?
            .map(|b| decode::<Store>(b.value()))
            .transpose()?
            .and_then(|s| StateCode::of(s.state_code.as_str()));
        sale.place_of_supply = customer_state.or(store_state);
        rewritten.push((id.value(), super::codec::encode(&sale)?));
    }
    for (id, bytes) in rewritten {
        sales.insert(id, bytes.as_slice())?;
    }
    super::sale_days::forget_zone(tx)
}

/// One stored figure, as [`stored_figures`] lists them: `by_month` for a month's row
/// (`period` is `yyyymm`), else a day's (`yyyymmdd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredFigure {
    pub by_month: bool,
    pub facet: u8,
    pub period: u32,
    pub floor: u128,
    pub staff: u128,
    pub member: u128,
    pub measures: Measures,
}

/// Every figure the store keeps, in key order: for checking the sums against a recount
/// of the records (tests, `doctor`), never for request handling.
pub fn stored_figures(
    tx: &impl Tables,
    store: crate::domain::StoreId,
) -> Result<Vec<StoredFigure>, StoreError> {
    let table = tx.open(FIGURES)?;
    let s = store.as_u128();
    let mut out = Vec::new();
    let range = (s, 0, 0, 0, 0, 0, 0)
        ..=(
            s,
            u8::MAX,
            u8::MAX,
            u32::MAX,
            u128::MAX,
            u128::MAX,
            u128::MAX,
        );
    for entry in table.range(range)? {
        let (key, value) = entry?;
        let (_, grain, facet, period, floor, staff, member) = key.value();
        out.push(StoredFigure {
            by_month: grain == MONTH,
            facet,
            period,
            floor,
            staff,
            member,
            measures: value.value(),
        });
    }
    Ok(out)
}
