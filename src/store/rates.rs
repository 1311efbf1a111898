//! The daily metal rates: every rate set is kept; the newest per purity is in force.

use redb::ReadableTable;

use super::repo::{Tables, decode_from, save_in_place_of};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, tables};
use crate::domain::{Metal, MetalRate, Purity};

fn metal_key(metal: Metal) -> u8 {
    Metal::ALL
        .iter()
        .position(|m| *m == metal)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// The rate in force for `purity` in the scope's store, if one was ever set.
pub fn current_rate(
    tx: &impl Tables,
    scope: &Scope,
    purity: Purity,
) -> Result<Option<MetalRate>, StoreError> {
    Ok(rate_history(tx, scope, purity, 1)?.pop())
}

/// The latest `limit` rates set for `purity`, newest first.
pub fn rate_history(
    tx: &impl Tables,
    scope: &Scope,
    purity: Purity,
    limit: usize,
) -> Result<Vec<MetalRate>, StoreError> {
    let index = tx.open(tables::RATES_BY_PURITY)?;
    let records = tx.open(tables::RATES)?;
    let (s, m, f) = (
        scope.store_id().as_u128(),
        metal_key(purity.metal()),
        purity.fineness(),
    );
    let mut out = Vec::new();
    for entry in index.range((s, m, f, 0)..=(s, m, f, u128::MAX))?.rev() {
        if out.len() == limit {
            break;
        }
        let id = entry?.0.value().3;
        if let Some(rate) = decode_from::<MetalRate>(&records, id)? {
            out.push(rate);
        }
    }
    Ok(out)
}

/// Keeps a newly set rate; its change-log entry shows the rate it replaces as "before".
pub fn insert_rate(w: &mut Writer, rate: &MetalRate) -> Result<(), StoreError> {
    let id = rate.id.as_u128();
    let replaced = current_rate(w, &Scope::store(rate.store_id), rate.purity)?;
    w.tx.open_table(tables::RATES_BY_PURITY)?.insert(
        (
            rate.store_id.as_u128(),
            metal_key(rate.purity.metal()),
            rate.purity.fineness(),
            id,
        ),
        (),
    )?;
    save_in_place_of(w, tables::RATES, id, rate, replaced.as_ref())?;
    w.log(rate.store_id, EntityKind::Rate, id, ChangeOp::Created)
}
