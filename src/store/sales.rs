//! Sales and their invoice numbers, and the index of bills awaiting payment.

use redb::ReadableTable;

use super::repo::{
    Tables, add_to_store_index, bump_counter, claim_unique, decode_from, load, of_customer, save,
    store_range,
};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{CustomerId, FinancialYear, Sale, SaleId, SaleStatus, StoreId};

/// The next invoice serial of `year` for the store. Taken inside the transaction that
/// issues the invoice, so serials have no gaps and no repeats.
pub fn next_invoice_serial(
    w: &mut Writer,
    store: StoreId,
    year: FinancialYear,
) -> Result<u64, StoreError> {
    bump_counter(w, store, &format!("invoice:{}", year.start_year()), 1)
}

/// Claims the invoice number a sale has just been given (none before, or `old` had
/// none), so no two sales of a store share one.
fn claim_invoice(w: &mut Writer, old: Option<&Sale>, new: &Sale) -> Result<(), StoreError> {
    match (&new.invoice_no, old.and_then(|o| o.invoice_no.as_ref())) {
        (Some(invoice), None) => claim_unique(
            w,
            tables::SALES_BY_INVOICE,
            new.store_id,
            invoice.as_str(),
            new.id.as_u128(),
            "invoice number",
        ),
        _ => Ok(()),
    }
}

pub fn insert_sale(w: &mut Writer, sale: &Sale) -> Result<(), StoreError> {
    let (store, id) = (sale.store_id, sale.id.as_u128());
    claim_invoice(w, None, sale)?;
    add_to_store_index(w, tables::SALES_BY_STORE, store, id)?;
    w.tx.open_table(tables::SALES_BY_CUSTOMER)?
        .insert((store.as_u128(), sale.customer_id.as_u128(), id), ())?;
    mark_pending(w, sale)?;
    super::customer_values::sale_saved(w, None, sale)?;
    super::sale_days::sale_saved(w, None, sale)?;
    super::figures::sale_saved(w, None, sale)?;
    super::gst_days::sale_saved(w, None, sale)?;
    super::customer_cash::sale_saved(w, None, sale)?;
    save(w, tables::SALES, id, sale)?;
    w.log(store, EntityKind::Sale, id, ChangeOp::Created)
}

/// Saves a sale that moved on (corrected, completed, cancelled, refunded). An invoice
/// number, once given, is claimed here and never released; a pending bill corrected to
/// another customer moves to that customer's sales.
pub fn update_sale(w: &mut Writer, old: &Sale, new: &Sale) -> Result<(), StoreError> {
    let (store, id) = (new.store_id, new.id.as_u128());
    claim_invoice(w, Some(old), new)?;
    if old.customer_id != new.customer_id {
        let mut by_customer = w.tx.open_table(tables::SALES_BY_CUSTOMER)?;
        by_customer.remove((store.as_u128(), old.customer_id.as_u128(), id))?;
        by_customer.insert((store.as_u128(), new.customer_id.as_u128(), id), ())?;
    }
    mark_pending(w, new)?;
    super::customer_values::sale_saved(w, Some(old), new)?;
    super::sale_days::sale_saved(w, Some(old), new)?;
    super::figures::sale_saved(w, Some(old), new)?;
    super::gst_days::sale_saved(w, Some(old), new)?;
    super::customer_cash::sale_saved(w, Some(old), new)?;
    save(w, tables::SALES, id, new)?;
    w.log(store, EntityKind::Sale, id, ChangeOp::Updated)
}

/// Keeps `SALES_PENDING` in step with a sale: in while PENDING, out otherwise.
fn mark_pending(w: &Writer, sale: &Sale) -> Result<(), StoreError> {
    let mut pending = w.tx.open_table(tables::SALES_PENDING)?;
    let key = (sale.store_id.as_u128(), sale.id.as_u128());
    if sale.status == SaleStatus::Pending {
        pending.insert(key, ())?;
    } else {
        pending.remove(key)?;
    }
    Ok(())
}

/// A sale of the scope's store (and floor, for a Floor Manager's scope).
pub fn sale(tx: &impl Tables, scope: &Scope, id: SaleId) -> Result<Option<Sale>, StoreError> {
    let found: Option<Sale> = load(tx, tables::SALES, id.as_u128())?;
    Ok(found.filter(|s| scope.covers(s.store_id, Some(s.floor_id))))
}

/// Up to `limit` of a customer's sales inside the scope, newest first. A customer has
/// tens of sales, not thousands.
pub fn sales_of_customer(
    tx: &impl Tables,
    scope: &Scope,
    customer: CustomerId,
    limit: usize,
) -> Result<Vec<Sale>, StoreError> {
    of_customer(
        tx,
        tables::SALES_BY_CUSTOMER,
        tables::SALES,
        (scope.store_id(), customer.as_u128()),
        limit,
        |s: &Sale| scope.covers(s.store_id, Some(s.floor_id)),
    )
}

/// The newest sales of the scope (a floor's own for a Floor Manager), up to `limit`.
pub fn recent_sales(
    tx: &impl Tables,
    scope: &Scope,
    before: Option<SaleId>,
    limit: usize,
) -> Result<Vec<Sale>, StoreError> {
    let index = tx.open(tables::SALES_BY_STORE)?;
    let records = tx.open(tables::SALES)?;
    let mut out = Vec::new();
    let s = scope.store_id().as_u128();
    // Sale ids grow with time, so "older than this sale" is a key range.
    let end = before.map_or(u128::MAX, |id| id.as_u128().saturating_sub(1));
    for entry in index.range((s, 0)..=(s, end))?.rev() {
        let id = entry?.0.value().1;
        if out.len() == limit {
            break;
        }
        if let Some(sale) = decode_from::<Sale>(&records, id)?
            && scope.covers(sale.store_id, Some(sale.floor_id))
        {
            out.push(sale);
        }
    }
    Ok(out)
}

/// Up to `limit` of the scope's bills awaiting payment (PENDING), the longest waiting
/// first. Read from their own index, so the cost follows the pending bills, not every
/// sale the store ever made.
pub fn pending_sales(
    tx: &impl Tables,
    scope: &Scope,
    limit: usize,
) -> Result<Vec<Sale>, StoreError> {
    let index = tx.open(tables::SALES_PENDING)?;
    let records = tx.open(tables::SALES)?;
    let mut out = Vec::new();
    for id in store_range(&index, scope.store_id(), false)? {
        if out.len() == limit {
            break;
        }
        let id = id?;
        let sale: Sale = decode_from(&records, id)?
            .ok_or_else(|| StoreError::Codec("the pending index names a missing sale".into()))?;
        if scope.covers(sale.store_id, Some(sale.floor_id)) {
            out.push(sale);
        }
    }
    Ok(out)
}

/// Where a register read finds its candidate sales, before any other filter.
#[derive(Debug, Clone)]
pub enum SaleCandidates {
    /// Every sale of the store.
    All,
    /// The bills awaiting payment, from their own index.
    Pending,
    /// These sales only (found through another index), any order.
    Ids(Vec<u128>),
}

/// The ids of the store's invoiced sales whose number `matches` says yes to, read from
/// the invoice-number index alone (no sale is decoded to look).
pub fn ids_by_invoice(
    tx: &impl Tables,
    scope: &Scope,
    matches: impl Fn(&str) -> bool,
) -> Result<Vec<u128>, StoreError> {
    let index = tx.open(tables::SALES_BY_INVOICE)?;
    let s = scope.store_id().as_u128();
    let mut out = Vec::new();
    // Store ids are UUIDv7, whose top bits are never all ones, so `s + 1` cannot overflow.
    for entry in index.range((s, "")..(s + 1, ""))? {
        let (key, id) = entry?;
        if matches(key.value().1) {
            out.push(id.value());
        }
    }
    Ok(out)
}

/// Hands `visit` each sale of the scope among `candidates` whose id is at most
/// `newest` (sale ids grow with the time a bill is drawn up), newest first, until it
/// answers `false`.
pub fn walk_sales(
    tx: &impl Tables,
    scope: &Scope,
    candidates: SaleCandidates,
    newest: u128,
    visit: &mut dyn FnMut(Sale) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let records = tx.open(tables::SALES)?;
    let s = scope.store_id().as_u128();
    let (by_store, pending) = (
        tx.open(tables::SALES_BY_STORE)?,
        tx.open(tables::SALES_PENDING)?,
    );
    let ids: Box<dyn Iterator<Item = Result<u128, StoreError>>> = match candidates {
        SaleCandidates::All | SaleCandidates::Pending => {
            let index = if matches!(candidates, SaleCandidates::All) {
                &by_store
            } else {
                &pending
            };
            Box::new(
                index
                    .range((s, 0)..=(s, newest))?
                    .rev()
                    .map(|e| Ok(e?.0.value().1)),
            )
        }
        SaleCandidates::Ids(mut ids) => {
            ids.retain(|id| *id <= newest);
            ids.sort_unstable_by(|a, b| b.cmp(a));
            Box::new(ids.into_iter().map(Ok))
        }
    };
    for id in ids {
        let Some(sale) = decode_from::<Sale>(&records, id?)? else {
            continue;
        };
        if scope.covers(sale.store_id, Some(sale.floor_id)) && !visit(sale)? {
            break;
        }
    }
    Ok(())
}
