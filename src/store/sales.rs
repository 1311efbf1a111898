//! Sales and their invoice numbers.

use super::repo::{add_to_store_index, bump_counter, claim_unique, save};
use super::{ChangeOp, EntityKind, StoreError, Writer, tables};
use crate::domain::{FinancialYear, Sale, StoreId};

/// The next invoice serial of `year` for the store. Taken inside the transaction that
/// issues the invoice, so serials have no gaps and no repeats.
pub fn next_invoice_serial(
    w: &mut Writer,
    store: StoreId,
    year: FinancialYear,
) -> Result<u64, StoreError> {
    bump_counter(w, store, &format!("invoice:{}", year.start_year()), 1)
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
