//! Sales and their invoice numbers.

use redb::ReadableTable;

use super::repo::{Tables, add_to_store_index, bump_counter, claim_unique, load, save};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{CustomerId, FinancialYear, Sale, SaleId, StoreId};

/// A sale of the scope's store, if the scope's floor (when it has one) made it.
pub fn sale(tx: &impl Tables, scope: &Scope, id: SaleId) -> Result<Option<Sale>, StoreError> {
    let found: Option<Sale> = load(tx, tables::SALES, id.as_u128())?;
    Ok(found.filter(|s| scope.covers(s.store_id, Some(s.floor_id))))
}

/// The next invoice serial of `year` for the store. Taken inside the transaction that
/// issues the invoice, so serials have no gaps and no repeats.
pub fn next_invoice_serial(
    w: &mut Writer,
    store: StoreId,
    year: FinancialYear,
) -> Result<u64, StoreError> {
    bump_counter(w, store, &format!("invoice:{}", year.start_year()), 1)
}

/// Ids of a customer's sales, oldest first.
pub fn sales_of_customer(
    tx: &impl Tables,
    scope: &Scope,
    customer: CustomerId,
) -> Result<Vec<SaleId>, StoreError> {
    let table = tx.open(tables::SALES_BY_CUSTOMER)?;
    let (s, c) = (scope.store_id().as_u128(), customer.as_u128());
    let mut ids = Vec::new();
    for entry in table.range((s, c, 0)..=(s, c, u128::MAX))? {
        ids.push(SaleId::from_u128(entry?.0.value().2));
    }
    Ok(ids)
}

pub fn insert_sale(w: &mut Writer, sale: &Sale) -> Result<(), StoreError> {
    let (store, id) = (sale.store_id, sale.id.as_u128());
    if let Some(invoice) = &sale.invoice_no {
        claim_unique(
            w,
            tables::SALES_BY_INVOICE,
            store,
            invoice.as_str(),
            id,
            "invoice number",
        )?;
    }
    add_to_store_index(w, tables::SALES_BY_STORE, store, id)?;
    w.tx.open_table(tables::SALES_BY_CUSTOMER)?
        .insert((store.as_u128(), sale.customer_id.as_u128(), id), ())?;
    save(w, tables::SALES, id, sale)?;
    w.log(store, EntityKind::Sale, id, ChangeOp::Created)
}
