//! Categories and products.

use redb::ReadableTable;

use super::repo::{
    Listed, Listing, Tables, add_to_store_index, counter, decode_from, load, order_range, save,
    sort_key, store_ids, store_range,
};
use super::{
    ChangeOp, Deleted, EntityKind, Page, PageRequest, Scope, StoreError, Writer, collect_page,
    tables,
};
use crate::domain::{Category, CategoryId, FloorId, Metal, Product, ProductId, Sku, StoreId};

const LIVE_PRODUCTS: &str = "products";

/// One product per tag number among the live products of a store.
const LISTED: Listed = Listed {
    unique: tables::PRODUCTS_BY_SKU,
    unique_what: "tag number (SKU)",
    live: tables::PRODUCTS_BY_STORE,
    removed: tables::PRODUCTS_REMOVED,
    by_name: tables::PRODUCTS_BY_NAME,
    live_counter: LIVE_PRODUCTS,
};

fn listing(p: &Product) -> Listing<'_> {
    Listing {
        unique_key: p.sku.as_str(),
        name: p.name.as_str(),
        live: p.deleted_at.is_none(),
    }
}

pub fn category(
    tx: &impl Tables,
    scope: &Scope,
    id: CategoryId,
) -> Result<Option<Category>, StoreError> {
    let found: Option<Category> = load(tx, tables::CATEGORIES, id.as_u128())?;
    Ok(found.filter(|c| c.store_id == scope.store_id()))
}

/// Every category of the store (a store has hundreds at most), by name.
pub fn categories(
    tx: &impl Tables,
    scope: &Scope,
    deleted: Deleted,
) -> Result<Vec<Category>, StoreError> {
    let mut out = Vec::new();
    for id in store_ids(tx, tables::CATEGORIES_BY_STORE, scope.store_id(), false)? {
        if let Some(category) = load::<Category>(tx, tables::CATEGORIES, id)?
            && deleted.admits(category.deleted_at)
        {
            out.push(category);
        }
    }
    out.sort_by_key(|c| sort_key(c.name.as_str()));
    Ok(out)
}

pub fn insert_category(w: &mut Writer, category: &Category) -> Result<(), StoreError> {
    add_to_store_index(
        w,
        tables::CATEGORIES_BY_STORE,
        category.store_id,
        category.id.as_u128(),
    )?;
    save(w, tables::CATEGORIES, category.id.as_u128(), category)?;
    w.log(
        category.store_id,
        EntityKind::Category,
        category.id.as_u128(),
        ChangeOp::Created,
    )
}

pub fn update_category(
    w: &mut Writer,
    category: &Category,
    op: ChangeOp,
) -> Result<(), StoreError> {
    save(w, tables::CATEGORIES, category.id.as_u128(), category)?;
    w.log(
        category.store_id,
        EntityKind::Category,
        category.id.as_u128(),
        op,
    )
}

pub fn product(
    tx: &impl Tables,
    scope: &Scope,
    id: ProductId,
) -> Result<Option<Product>, StoreError> {
    let found: Option<Product> = load(tx, tables::PRODUCTS, id.as_u128())?;
    Ok(found.filter(|p| p.store_id == scope.store_id()))
}

/// The live product of the scope's store with tag number `sku`, if any.
pub fn product_by_sku(
    tx: &impl Tables,
    scope: &Scope,
    sku: &Sku,
) -> Result<Option<Product>, StoreError> {
    let index = tx.open(tables::PRODUCTS_BY_SKU)?;
    let id = index
        .get((scope.store_id().as_u128(), sku.as_str()))?
        .map(|v| v.value());
    drop(index);
    match id {
        Some(id) => product(tx, scope, ProductId::from_u128(id)),
        None => Ok(None),
    }
}

/// The first `limit` products of the scope's store whose tag number starts with
/// `prefix`, in tag-number order, that `keep` accepts; at most `scan` index entries are
/// read, so a short prefix in a big catalogue costs a bounded read.
pub fn products_by_sku_prefix(
    tx: &impl Tables,
    scope: &Scope,
    prefix: &Sku,
    limit: usize,
    scan: usize,
    keep: impl Fn(&Product) -> bool,
) -> Result<Vec<Product>, StoreError> {
    let index = tx.open(tables::PRODUCTS_BY_SKU)?;
    let store = scope.store_id().as_u128();
    // Tag numbers are ASCII letters, digits and `-/.`, all below DEL, so every tag that
    // starts with the prefix sorts before the prefix followed by DEL.
    let end = format!("{}\u{7f}", prefix.as_str());
    let mut ids = Vec::new();
    for entry in index
        .range((store, prefix.as_str())..(store, end.as_str()))?
        .take(scan)
    {
        ids.push(entry?.1.value());
    }
    drop(index);
    let mut found = Vec::new();
    for id in ids {
        if found.len() == limit {
            break;
        }
        if let Some(p) = product(tx, scope, ProductId::from_u128(id))?
            && keep(&p)
        {
            found.push(p);
        }
    }
    Ok(found)
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub floor: Option<FloorId>,
    pub metal: Option<Metal>,
    pub category: Option<CategoryId>,
    pub in_stock: Option<bool>,
    pub deleted: Deleted,
}

impl ProductFilter {
    fn is_unfiltered(&self) -> bool {
        self.floor.is_none()
            && self.metal.is_none()
            && self.category.is_none()
            && self.in_stock.is_none()
            && self.deleted == Deleted::Hide
    }

    fn matches(&self, p: &Product) -> bool {
        self.deleted.admits(p.deleted_at)
            && self.floor.is_none_or(|f| p.floor_id == f)
            && self.metal.is_none_or(|m| p.metal == m)
            && self.category.is_none_or(|c| p.category_id == Some(c))
            && self
                .in_stock
                .is_none_or(|wanted| (p.stock_qty > 0) == wanted)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductOrder {
    #[default]
    Newest,
    Oldest,
    Name,
    NameDesc,
    Sku,
    SkuDesc,
}

/// One page of the store's products; see [`super::customers::list_customers`] for
/// how pages are read. Removed products are listed newest first.
pub fn list_products(
    tx: &impl Tables,
    scope: &Scope,
    filter: &ProductFilter,
    order: ProductOrder,
    request: PageRequest,
) -> Result<Page<Product>, StoreError> {
    use ProductOrder::*;
    let store = scope.store_id();
    let total = if filter.is_unfiltered() {
        Some(counter(tx, store, LIVE_PRODUCTS)?)
    } else {
        None
    };
    let records = tx.open(tables::PRODUCTS)?;
    let (live, by_name, by_sku, removed) = (
        tx.open(tables::PRODUCTS_BY_STORE)?,
        tx.open(tables::PRODUCTS_BY_NAME)?,
        tx.open(tables::PRODUCTS_BY_SKU)?,
        tx.open(tables::PRODUCTS_REMOVED)?,
    );
    let s = store.as_u128();
    let sku_ids = |descending: bool| -> Result<
        Box<dyn Iterator<Item = Result<u128, StoreError>> + '_>,
        StoreError,
    > {
        let ids = by_sku
            .range((s, "")..(s + 1, ""))?
            .map(|e| Ok(e?.1.value()));
        Ok(if descending {
            Box::new(ids.rev())
        } else {
            Box::new(ids)
        })
    };
    let ids = match (filter.deleted, order) {
        (Deleted::Only, _) => store_range(&removed, store, true)?,
        (Deleted::Hide, Newest) => store_range(&live, store, true)?,
        (Deleted::Hide, Oldest) => store_range(&live, store, false)?,
        (Deleted::Hide, Name) => order_range(&by_name, store, false)?,
        (Deleted::Hide, NameDesc) => order_range(&by_name, store, true)?,
        (Deleted::Hide, Sku) => sku_ids(false)?,
        (Deleted::Hide, SkuDesc) => sku_ids(true)?,
    };
    let load = |id: Result<u128, StoreError>| -> Result<Product, StoreError> {
        decode_from(&records, id?)?
            .ok_or_else(|| StoreError::Codec("a product index names a missing product".into()))
    };
    let skip = if total.is_some() { request.offset() } else { 0 };
    collect_page(
        ids.skip(skip).map(load),
        |p| filter.matches(p),
        request,
        total,
        skip,
    )
}

pub fn insert_product(w: &mut Writer, product: &Product) -> Result<(), StoreError> {
    let (store, id) = (product.store_id, product.id.as_u128());
    LISTED.insert(w, store, id, listing(product))?;
    save(w, tables::PRODUCTS, id, product)?;
    w.log(store, EntityKind::Product, id, ChangeOp::Created)
}

/// Saves a changed product. A deleted product gives up its tag number so the tag can
/// be reused; restoring claims it again (and fails if another product took it).
pub fn update_product(
    w: &mut Writer,
    old: &Product,
    new: &Product,
    op: ChangeOp,
) -> Result<(), StoreError> {
    let (store, id) = (new.store_id, new.id.as_u128());
    LISTED.update(w, store, id, listing(old), listing(new))?;
    save(w, tables::PRODUCTS, id, new)?;
    w.log(store, EntityKind::Product, id, op)
}

/// Takes back a product that an import added, as if it had never been stored: the
/// record and its index entries go, and the change log says it was deleted.
pub fn purge_product(w: &mut Writer, old: &Product) -> Result<(), StoreError> {
    let (store, id) = (old.store_id, old.id.as_u128());
    let mut gone = old.clone();
    gone.deleted_at = Some(old.deleted_at.unwrap_or(w.now()));
    LISTED.update(w, store, id, listing(old), listing(&gone))?;
    w.tx.open_table(tables::PRODUCTS_REMOVED)?
        .remove((store.as_u128(), id))?;
    w.tx.open_table(tables::PRODUCTS)?.remove(id)?;
    w.log(store, EntityKind::Product, id, ChangeOp::Deleted)
}

/// How many product records exist in all stores, removed ones included.
pub fn count_all_for_indexing(tx: &impl Tables) -> Result<u64, StoreError> {
    use redb::ReadableTableMetadata;
    Ok(tx.open(tables::PRODUCTS)?.len()?)
}

/// Every product record of every store, for building the search index.
pub fn for_each_for_indexing<E: From<StoreError>>(
    tx: &impl Tables,
    f: &mut dyn FnMut(Product) -> Result<(), E>,
) -> Result<(), E> {
    let table = tx.open(tables::PRODUCTS)?;
    for entry in table.iter().map_err(StoreError::from)? {
        let (_, bytes) = entry.map_err(StoreError::from)?;
        f(super::codec::decode(bytes.value())?)?;
    }
    Ok(())
}

/// One product by id whatever its store, for the search index following the change log.
pub fn product_for_indexing(
    tx: &impl Tables,
    id: ProductId,
) -> Result<Option<Product>, StoreError> {
    load(tx, tables::PRODUCTS, id.as_u128())
}

/// The live products of the scope's store, oldest first: the dashboard's stock
/// figures. A store's catalogue is thousands of lines, not millions.
pub fn live_products(tx: &impl Tables, scope: &Scope) -> Result<Vec<Product>, StoreError> {
    products_of_store_for_indexing(tx, scope.store_id())
}

/// The live products of a store, for re-indexing them after a category changes.
pub fn products_of_store_for_indexing(
    tx: &impl Tables,
    store: StoreId,
) -> Result<Vec<Product>, StoreError> {
    let records = tx.open(tables::PRODUCTS)?;
    let mut out = Vec::new();
    for id in store_ids(tx, tables::PRODUCTS_BY_STORE, store, false)? {
        if let Some(product) = decode_from(&records, id)? {
            out.push(product);
        }
    }
    Ok(out)
}
