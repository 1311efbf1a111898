//! Customers: one per phone number in a store, numbered `C-000123` in order of arrival.

use super::customer_values::ValueOrder;
use super::repo::{
    IndexPosition, Listed, Listing, Positioned, Tables, Walked, bump_counter, counter, decode_from,
    load, order_range_after, save, store_range_after,
};
use super::{
    ChangeOp, Deleted, EntityKind, Page, PageRequest, Scope, StoreError, Writer, collect_page,
    tables,
};
use crate::domain::{Customer, CustomerId, CustomerStatus, FloorId, Phone, StoreId, Tag};
use redb::ReadableTable;

const LIVE_CUSTOMERS: &str = "customers";

/// One customer per phone number among the live customers of a store.
const LISTED: Listed = Listed {
    unique: tables::CUSTOMERS_BY_PHONE,
    unique_what: "phone number",
    live: tables::CUSTOMERS_BY_STORE,
    removed: tables::CUSTOMERS_REMOVED,
    by_name: tables::CUSTOMERS_BY_NAME,
    live_counter: LIVE_CUSTOMERS,
};

fn listing(c: &Customer) -> Listing<'_> {
    Listing {
        unique_key: c.phone.e164(),
        name: c.name.as_str(),
        live: c.deleted_at.is_none(),
    }
}
const NEXT_NUMBER: &str = "customer_number";

/// A customer of the scope's store, deleted or not; `None` for another store's.
pub fn customer(
    tx: &impl Tables,
    scope: &Scope,
    id: CustomerId,
) -> Result<Option<Customer>, StoreError> {
    let found: Option<Customer> = load(tx, tables::CUSTOMERS, id.as_u128())?;
    Ok(found.filter(|c| c.store_id == scope.store_id()))
}

/// The live customer of the scope's store who has `phone`, if any.
pub fn customer_by_phone(
    tx: &impl Tables,
    scope: &Scope,
    phone: &Phone,
) -> Result<Option<Customer>, StoreError> {
    let index = tx.open(tables::CUSTOMERS_BY_PHONE)?;
    let id = index
        .get((scope.store_id().as_u128(), phone.e164()))?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => customer(tx, scope, CustomerId::from_u128(id)),
        None => Ok(None),
    }
}

/// The customer of the scope's store numbered `number` (`C-000123` is 123), removed or not.
pub fn customer_by_number(
    tx: &impl Tables,
    scope: &Scope,
    number: u64,
) -> Result<Option<Customer>, StoreError> {
    let index = tx.open(tables::CUSTOMERS_BY_NUMBER)?;
    let id = index
        .get((scope.store_id().as_u128(), number))?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => customer(tx, scope, CustomerId::from_u128(id)),
        None => Ok(None),
    }
}

/// A customer's day of the year that My day looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Birthday = 0,
    Anniversary = 1,
}

/// The occasion-index keys of a customer: none once removed.
pub(super) fn occasion_keys(c: &Customer) -> Vec<(u16, u8)> {
    if c.deleted_at.is_some() {
        return Vec::new();
    }
    [
        (Occasion::Birthday, c.date_of_birth),
        (Occasion::Anniversary, c.anniversary),
    ]
    .into_iter()
    .filter_map(|(kind, date)| {
        let date = date?;
        let day = u16::try_from(date.month()).ok()? * 100 + u16::try_from(date.day()).ok()?;
        Some((day, kind as u8))
    })
    .collect()
}

/// Brings the occasion index in line with a customer as now saved (`old` as it was).
pub(super) fn index_occasions(
    w: &mut Writer,
    old: Option<&Customer>,
    new: &Customer,
) -> Result<(), StoreError> {
    let (before, after) = (
        old.map(occasion_keys).unwrap_or_default(),
        occasion_keys(new),
    );
    if before == after {
        return Ok(());
    }
    let mut index = w.tx.open_table(tables::CUSTOMERS_BY_OCCASION)?;
    let (store, id) = (new.store_id.as_u128(), new.id.as_u128());
    for (day, kind) in before {
        index.remove((store, day, kind, id))?;
    }
    for (day, kind) in after {
        index.insert((store, day, kind, id), ())?;
    }
    Ok(())
}

/// The scope's live customers whose birthday or anniversary falls on `month`/`day` (in
/// any year), as `(occasion, customer)`. A Floor Manager's scope gives the customers
/// whose home floor is theirs.
pub fn customers_on_day(
    tx: &impl Tables,
    scope: &Scope,
    month: i8,
    day: i8,
) -> Result<Vec<(Occasion, Customer)>, StoreError> {
    let Ok(key) = u16::try_from(i16::from(month) * 100 + i16::from(day)) else {
        return Ok(Vec::new());
    };
    let index = tx.open(tables::CUSTOMERS_BY_OCCASION)?;
    let records = tx.open(tables::CUSTOMERS)?;
    let s = scope.store_id().as_u128();
    let mut out = Vec::new();
    for entry in index.range((s, key, 0, 0)..=(s, key, u8::MAX, u128::MAX))? {
        let (_, _, kind, id) = entry?.0.value();
        let Some(customer) = decode_from::<Customer>(&records, id)? else {
            continue;
        };
        if scope.floor_id().is_some() && customer.home_floor_id != scope.floor_id() {
            continue;
        }
        let occasion = if kind == Occasion::Birthday as u8 {
            Occasion::Birthday
        } else {
            Occasion::Anniversary
        };
        out.push((occasion, customer));
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub status: Option<CustomerStatus>,
    pub home_floor: Option<FloorId>,
    pub tag: Option<Tag>,
    pub deleted: Deleted,
}

impl CustomerFilter {
    fn is_unfiltered(&self) -> bool {
        self.status.is_none()
            && self.home_floor.is_none()
            && self.tag.is_none()
            && self.deleted == Deleted::Hide
    }

    fn matches(&self, c: &Customer) -> bool {
        self.deleted.admits(c.deleted_at)
            && self.status.is_none_or(|s| c.status == s)
            && self.home_floor.is_none_or(|f| c.home_floor_id == Some(f))
            && self.tag.as_ref().is_none_or(|t| c.tags.contains(t))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerOrder {
    #[default]
    Newest,
    Oldest,
    Name,
    NameDesc,
    /// By a customer's totals; `true` puts the largest (or latest) first.
    Totals(ValueOrder, bool),
}

/// One page of the store's customers. Reads only as many records as the page needs
/// (plus those a filter passes over), never the whole store; removed customers are
/// listed newest first whatever the order asked for.
pub fn list_customers(
    tx: &impl Tables,
    scope: &Scope,
    filter: &CustomerFilter,
    order: CustomerOrder,
    request: PageRequest,
) -> Result<Page<Customer>, StoreError> {
    let store = scope.store_id();
    let total = if filter.is_unfiltered() {
        Some(counter(tx, store, LIVE_CUSTOMERS)?)
    } else {
        None
    };
    let indexes = CustomerIndexes::open(tx, order)?;
    let ids = indexes.walk(store, filter.deleted, order, None)?;
    let load = |entry: Result<(IndexPosition, u128), StoreError>| indexes.load(entry?.1);
    // The indexes hold live customers only, so with no filter earlier pages are
    // skipped by key alone, without reading their records.
    let skip = if total.is_some() { request.offset() } else { 0 };
    collect_page(
        ids.skip(skip).map(load),
        |c| filter.matches(c),
        request,
        total,
        skip,
    )
}

/// Up to `per_page` of the store's customers in `order` under `filter`, from just past
/// `after`, with the position of the last one when the page is full (more may follow).
/// A walk through the whole list this way reads each index entry once, where pages by
/// number would count through every page before theirs.
pub fn customers_after(
    tx: &impl Tables,
    scope: &Scope,
    filter: &CustomerFilter,
    order: CustomerOrder,
    after: Option<&IndexPosition>,
    per_page: usize,
) -> Result<Walked<Customer>, StoreError> {
    let indexes = CustomerIndexes::open(tx, order)?;
    let mut page = Vec::with_capacity(per_page);
    for entry in indexes.walk(scope.store_id(), filter.deleted, order, after)? {
        let (position, id) = entry?;
        let customer = indexes.load(id)?;
        if !filter.matches(&customer) {
            continue;
        }
        page.push(customer);
        if page.len() >= per_page {
            return Ok(Walked {
                items: page,
                next: Some(position),
            });
        }
    }
    Ok(Walked {
        items: page,
        next: None,
    })
}

/// The tables a walk through the customers list reads.
struct CustomerIndexes<'a, T: Tables + 'a> {
    records: T::Table<'a, u128, &'static [u8]>,
    live: T::Table<'a, (u128, u128), ()>,
    removed: T::Table<'a, (u128, u128), ()>,
    by_name: T::Table<'a, (u128, &'static str, u128), ()>,
    by_totals: Option<T::Table<'a, (u128, &'static str, u128), ()>>,
}

impl<'a, T: Tables + 'a> CustomerIndexes<'a, T> {
    fn open(tx: &'a T, order: CustomerOrder) -> Result<Self, StoreError> {
        Ok(Self {
            records: tx.open(tables::CUSTOMERS)?,
            live: tx.open(tables::CUSTOMERS_BY_STORE)?,
            removed: tx.open(tables::CUSTOMERS_REMOVED)?,
            by_name: tx.open(tables::CUSTOMERS_BY_NAME)?,
            by_totals: match order {
                CustomerOrder::Totals(totals, _) => Some(tx.open(totals.index())?),
                _ => None,
            },
        })
    }

    /// The store's customer ids in `order`, from just past `after`: removed customers
    /// newest first whatever the order, live ones through the order's index.
    fn walk(
        &self,
        store: StoreId,
        deleted: Deleted,
        order: CustomerOrder,
        after: Option<&IndexPosition>,
    ) -> Result<Positioned<'_>, StoreError> {
        let by_id = || match after {
            None => Ok(None),
            Some(IndexPosition::Id(id)) => Ok(Some(*id)),
            Some(IndexPosition::Key(..)) => Err(misplaced()),
        };
        let by_key = || match after {
            None => Ok(None),
            Some(IndexPosition::Key(key, id)) => Ok(Some((key.as_str(), *id))),
            Some(IndexPosition::Id(_)) => Err(misplaced()),
        };
        match (deleted, order) {
            (Deleted::Only, _) => store_range_after(&self.removed, store, true, by_id()?),
            (Deleted::Hide, CustomerOrder::Newest) => {
                store_range_after(&self.live, store, true, by_id()?)
            }
            (Deleted::Hide, CustomerOrder::Oldest) => {
                store_range_after(&self.live, store, false, by_id()?)
            }
            (Deleted::Hide, CustomerOrder::Name) => {
                order_range_after(&self.by_name, store, false, by_key()?)
            }
            (Deleted::Hide, CustomerOrder::NameDesc) => {
                order_range_after(&self.by_name, store, true, by_key()?)
            }
            (Deleted::Hide, CustomerOrder::Totals(_, descending)) => match &self.by_totals {
                Some(index) => order_range_after(index, store, descending, by_key()?),
                None => order_range_after(&self.by_name, store, false, by_key()?),
            },
        }
    }

    fn load(&self, id: u128) -> Result<Customer, StoreError> {
        decode_from(&self.records, id)?
            .ok_or_else(|| StoreError::Codec("a customer index names a missing customer".into()))
    }
}

/// A position from one order's index handed to another's: a caller's mistake.
fn misplaced() -> StoreError {
    StoreError::Codec("a list position from another order of the customers list".into())
}

/// Gives a new customer the store's next number, then saves it with its indexes.
/// `customer.number` is overwritten; the stored record is returned.
pub fn insert_customer(w: &mut Writer, mut customer: Customer) -> Result<Customer, StoreError> {
    let (store, id) = (customer.store_id, customer.id.as_u128());
    LISTED.insert(w, store, id, listing(&customer))?;
    customer.number = bump_counter(w, store, NEXT_NUMBER, 1)?;
    w.tx.open_table(tables::CUSTOMERS_BY_NUMBER)?
        .insert((store.as_u128(), customer.number), id)?;
    save(w, tables::CUSTOMERS, id, &customer)?;
    index_occasions(w, None, &customer)?;
    super::match_keys::customer_saved(w, None, &customer)?;
    super::customer_values::customer_saved(w, None, &customer)?;
    super::figures::customer_saved(w, None, &customer)?;
    w.log(store, EntityKind::Customer, id, ChangeOp::Created)?;
    Ok(customer)
}

/// Saves a changed customer. A deleted customer gives up their phone number, so a new
/// record can be made for it; restoring claims it back.
pub fn update_customer(
    w: &mut Writer,
    old: &Customer,
    new: &Customer,
    op: ChangeOp,
) -> Result<(), StoreError> {
    let (store, id) = (new.store_id, new.id.as_u128());
    LISTED.update(w, store, id, listing(old), listing(new))?;
    save(w, tables::CUSTOMERS, id, new)?;
    index_occasions(w, Some(old), new)?;
    super::match_keys::customer_saved(w, Some(old), new)?;
    super::customer_merges::customer_saved(w, Some(old), new)?;
    super::customer_values::customer_saved(w, Some(old), new)?;
    super::figures::customer_saved(w, Some(old), new)?;
    w.log(store, EntityKind::Customer, id, op)
}

/// Takes back a customer that an import added, as if it had never been stored: the
/// record and every index entry go, and the change log says it was deleted. Only for a
/// customer nothing refers to (see [`customer_has_history`]). Its number is not given
/// out again, since a printout or an export may already name it.
pub fn purge_customer(w: &mut Writer, old: &Customer) -> Result<(), StoreError> {
    let (store, id) = (old.store_id, old.id.as_u128());
    let mut gone = old.clone();
    gone.deleted_at = Some(old.deleted_at.unwrap_or(w.now()));
    LISTED.update(w, store, id, listing(old), listing(&gone))?;
    index_occasions(w, Some(old), &gone)?;
    super::match_keys::customer_saved(w, Some(old), &gone)?;
    super::customer_values::customer_saved(w, Some(old), &gone)?;
    let s = store.as_u128();
    w.tx.open_table(tables::CUSTOMERS_REMOVED)?
        .remove((s, id))?;
    w.tx.open_table(tables::CUSTOMERS_BY_NUMBER)?
        .remove((s, old.number))?;
    w.tx.open_table(tables::CUSTOMER_VALUES)?.remove((s, id))?;
    super::figures::customer_purged(w, old)?;
    w.tx.open_table(tables::CUSTOMERS)?.remove(id)?;
    w.log(store, EntityKind::Customer, id, ChangeOp::Deleted)
}

/// Whether anything refers to the customer: a bill, a visit or call, a follow-up.
pub fn customer_has_history(
    tx: &impl Tables,
    store: StoreId,
    id: CustomerId,
) -> Result<bool, StoreError> {
    let (s, c) = (store.as_u128(), id.as_u128());
    // A merge into the customer names it too (undoing the merge needs it).
    let defs = [
        tables::SALES_BY_CUSTOMER,
        tables::INTERACTIONS_BY_CUSTOMER,
        tables::FOLLOW_UPS_BY_CUSTOMER,
        tables::CUSTOMER_MERGES_BY_SURVIVOR,
    ];
    for def in defs {
        let table = tx.open(def)?;
        if table.range((s, c, 0)..=(s, c, u128::MAX))?.next().is_some() {
            return Ok(true);
        }
    }
    let merged = tx.open(tables::CUSTOMERS_MERGED_INTO)?;
    Ok(merged.get((s, c))?.is_some())
}

/// Live customers in the store, from the counter kept with every write.
pub fn customer_count(tx: &impl Tables, scope: &Scope) -> Result<u64, StoreError> {
    counter(tx, scope.store_id(), LIVE_CUSTOMERS)
}

/// The store's live customers added at or after `since`, newest first, at most `limit`.
/// Reads only those customers: ids are time-ordered, so this is a range of keys.
pub fn customers_added_since(
    tx: &impl Tables,
    scope: &Scope,
    since: jiff::Timestamp,
    limit: usize,
) -> Result<Vec<Customer>, StoreError> {
    let index = tx.open(tables::CUSTOMERS_BY_STORE)?;
    let records = tx.open(tables::CUSTOMERS)?;
    let s = scope.store_id().as_u128();
    let mut out = Vec::new();
    for entry in index
        .range((s, crate::domain::first_key_at(since))..=(s, u128::MAX))?
        .rev()
    {
        if out.len() == limit {
            break;
        }
        let id = entry?.0.value().1;
        if let Some(customer) = decode_from::<Customer>(&records, id)?
            && customer.deleted_at.is_none()
        {
            out.push(customer);
        }
    }
    Ok(out)
}

/// How many customer records exist in all stores, removed ones included.
pub fn count_all_for_indexing(tx: &impl Tables) -> Result<u64, StoreError> {
    use redb::ReadableTableMetadata;
    Ok(tx.open(tables::CUSTOMERS)?.len()?)
}

/// Every customer record of every store, for building the search index. Request
/// handling never calls this: it reads through a [`Scope`].
pub fn for_each_for_indexing<E: From<StoreError>>(
    tx: &impl Tables,
    f: &mut dyn FnMut(Customer) -> Result<(), E>,
) -> Result<(), E> {
    let table = tx.open(tables::CUSTOMERS)?;
    for entry in table.iter().map_err(StoreError::from)? {
        let (_, bytes) = entry.map_err(StoreError::from)?;
        f(super::codec::decode(bytes.value())?)?;
    }
    Ok(())
}

/// One customer by id whatever its store, for the search index following the change log.
pub fn customer_for_indexing(
    tx: &impl Tables,
    id: CustomerId,
) -> Result<Option<Customer>, StoreError> {
    load(tx, tables::CUSTOMERS, id.as_u128())
}
