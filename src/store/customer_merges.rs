//! Merges of duplicate customers: moving a customer's sales, interactions and
//! follow-ups to the survivor in one write transaction, the numbers and e-mails that
//! still lead to the survivor (aliases), and undoing a merge.
//!
//! An alias number is an entry of the phone index pointing at the survivor, so a
//! look-up at the counter by the old number finds the survivor and no new customer can
//! take it: one customer per number stays true. The aliases of a customer are those of
//! the merges into it still in force (`CUSTOMER_MERGES_BY_SURVIVOR`).

use redb::ReadableTable;

use super::repo::{Tables, claim_unique, load, save};
use super::{ChangeOp, EntityKind, Scope, StoreError, Writer, activity, customers, sales, tables};
use crate::domain::{
    Customer, CustomerId, CustomerMerge, Email, FollowUp, FollowUpId, Interaction, InteractionId,
    MergeId, Phone, Sale, SaleId, StoreId, UserId,
};

/// A merge of the scope's store, in force or undone.
pub fn merge(
    tx: &impl Tables,
    scope: &Scope,
    id: MergeId,
) -> Result<Option<CustomerMerge>, StoreError> {
    let found: Option<CustomerMerge> = load(tx, tables::CUSTOMER_MERGES, id.as_u128())?;
    Ok(found.filter(|m| m.store_id == scope.store_id()))
}

/// The merges into `survivor` still in force, oldest first.
pub fn merges_into(
    tx: &impl Tables,
    store: StoreId,
    survivor: CustomerId,
) -> Result<Vec<CustomerMerge>, StoreError> {
    let index = tx.open(tables::CUSTOMER_MERGES_BY_SURVIVOR)?;
    let (s, c) = (store.as_u128(), survivor.as_u128());
    let mut out = Vec::new();
    for entry in index.range((s, c, 0)..=(s, c, u128::MAX))? {
        let id = entry?.0.value().2;
        let merge: CustomerMerge = load(tx, tables::CUSTOMER_MERGES, id)?
            .ok_or_else(|| StoreError::Codec("a merge index names a missing merge".into()))?;
        out.push(merge);
    }
    Ok(out)
}

/// The merge in force that took `customer` into another, if any.
pub fn merged_into(
    tx: &impl Tables,
    store: StoreId,
    customer: CustomerId,
) -> Result<Option<MergeId>, StoreError> {
    let index = tx.open(tables::CUSTOMERS_MERGED_INTO)?;
    let found = index.get((store.as_u128(), customer.as_u128()))?;
    Ok(found.map(|id| MergeId::from_u128(id.value())))
}

/// The numbers and e-mails that find `customer` though it does not have them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
}

pub fn aliases(
    tx: &impl Tables,
    store: StoreId,
    customer: CustomerId,
) -> Result<Aliases, StoreError> {
    let mut out = Aliases::default();
    for merge in merges_into(tx, store, customer)? {
        out.phones.extend(merge.alias_phones);
        out.emails.extend(merge.alias_emails);
    }
    Ok(out)
}

/// The aliases of every customer that has any, for building the search index. Request
/// handling never calls this: it reads through a [`Scope`].
pub fn all_aliases_for_indexing(
    tx: &impl Tables,
) -> Result<std::collections::HashMap<CustomerId, Aliases>, StoreError> {
    let index = tx.open(tables::CUSTOMER_MERGES_BY_SURVIVOR)?;
    let mut out: std::collections::HashMap<CustomerId, Aliases> = Default::default();
    for entry in index.iter()? {
        let (_, survivor, id) = entry?.0.value();
        let merge: CustomerMerge = load(tx, tables::CUSTOMER_MERGES, id)?
            .ok_or_else(|| StoreError::Codec("a merge index names a missing merge".into()))?;
        let kept = out.entry(CustomerId::from_u128(survivor)).or_default();
        kept.phones.extend(merge.alias_phones);
        kept.emails.extend(merge.alias_emails);
    }
    Ok(out)
}

/// The ids of a customer's records in a `(store, customer, id)` index, all of them.
fn ids_of(
    w: &Writer,
    index: tables::CustomerIndex,
    store: StoreId,
    customer: CustomerId,
) -> Result<Vec<u128>, StoreError> {
    let table = w.tx.open_table(index)?;
    let (s, c) = (store.as_u128(), customer.as_u128());
    table
        .range((s, c, 0)..=(s, c, u128::MAX))?
        .map(|entry| Ok(entry?.0.value().2))
        .collect()
}

/// Moves a sale to `to`: its customer index entry, the totals and figures it counts
/// in, its cash per day (all through `update_sale`); nothing else of the bill changes.
fn move_sale(w: &mut Writer, id: u128, from: CustomerId, to: CustomerId) -> Result<(), StoreError> {
    let Some(old) = load::<Sale>(w, tables::SALES, id)? else {
        return Ok(());
    };
    if old.customer_id != from {
        return Ok(());
    }
    let new = Sale {
        customer_id: to,
        ..old.clone()
    };
    sales::update_sale(w, &old, &new)
}

fn move_interaction(
    w: &mut Writer,
    id: u128,
    from: CustomerId,
    to: CustomerId,
) -> Result<(), StoreError> {
    let Some(old) = load::<Interaction>(w, tables::INTERACTIONS, id)? else {
        return Ok(());
    };
    if old.customer_id != from {
        return Ok(());
    }
    let s = old.store_id.as_u128();
    let mut index = w.tx.open_table(tables::INTERACTIONS_BY_CUSTOMER)?;
    index.remove((s, from.as_u128(), id))?;
    index.insert((s, to.as_u128(), id), ())?;
    drop(index);
    let new = Interaction {
        customer_id: to,
        ..old
    };
    save(w, tables::INTERACTIONS, id, &new)?;
    w.log(new.store_id, EntityKind::Interaction, id, ChangeOp::Updated)
}

fn move_follow_up(
    w: &mut Writer,
    id: u128,
    from: CustomerId,
    to: CustomerId,
) -> Result<(), StoreError> {
    let Some(old) = load::<FollowUp>(w, tables::FOLLOW_UPS, id)? else {
        return Ok(());
    };
    if old.customer_id != from {
        return Ok(());
    }
    let s = old.store_id.as_u128();
    let mut index = w.tx.open_table(tables::FOLLOW_UPS_BY_CUSTOMER)?;
    index.remove((s, from.as_u128(), id))?;
    index.insert((s, to.as_u128(), id), ())?;
    drop(index);
    let new = FollowUp {
        customer_id: to,
        ..old.clone()
    };
    activity::update_follow_up(w, &old, &new)
}

/// Points each number at `to` in the phone index, or takes it out (`to` = `None`).
fn point_phones(
    w: &Writer,
    store: StoreId,
    phones: &[Phone],
    to: Option<CustomerId>,
) -> Result<(), StoreError> {
    for phone in phones {
        match to {
            Some(to) => claim_unique(
                w,
                tables::CUSTOMERS_BY_PHONE,
                store,
                phone.e164(),
                to.as_u128(),
                "phone number",
            )?,
            None => {
                w.tx.open_table(tables::CUSTOMERS_BY_PHONE)?
                    .remove((store.as_u128(), phone.e164()))?;
            }
        }
    }
    Ok(())
}

/// Keeps a customer's aliases with them while they are live: a removed customer gives
/// their alias numbers and e-mails up, as they give up their own; a restored one (or
/// one whose merge is undone) claims them back.
pub(super) fn customer_saved(
    w: &Writer,
    old: Option<&Customer>,
    new: &Customer,
) -> Result<(), StoreError> {
    let was_live = old.is_some_and(|c| c.deleted_at.is_none());
    let is_live = new.deleted_at.is_none();
    if was_live == is_live || old.is_none() {
        return Ok(());
    }
    let kept = aliases(w, new.store_id, new.id)?;
    point_phones(w, new.store_id, &kept.phones, is_live.then_some(new.id))?;
    super::match_keys::alias_emails(w, new.store_id, new.id, &kept.emails, is_live)
}

/// Merges `other` into `keep`, which becomes `survivor` (its fields as chosen): every
/// sale, interaction and follow-up of `other` moves to it, `other` is removed, and the
/// number and e-mail the survivor did not keep become its aliases. One transaction;
/// each record touched has its change-log entry.
pub fn merge_customers(
    w: &mut Writer,
    keep: &Customer,
    other: &Customer,
    survivor: &Customer,
    by: UserId,
) -> Result<CustomerMerge, StoreError> {
    let store = keep.store_id;
    let (from, to) = (other.id, keep.id);
    let sale_ids = ids_of(w, tables::SALES_BY_CUSTOMER, store, from)?;
    let interaction_ids = ids_of(w, tables::INTERACTIONS_BY_CUSTOMER, store, from)?;
    let follow_up_ids = ids_of(w, tables::FOLLOW_UPS_BY_CUSTOMER, store, from)?;
    for id in &sale_ids {
        move_sale(w, *id, from, to)?;
    }
    for id in &interaction_ids {
        move_interaction(w, *id, from, to)?;
    }
    for id in &follow_up_ids {
        move_follow_up(w, *id, from, to)?;
    }
    let earlier = aliases(w, store, from)?;
    let gone = Customer {
        deleted_at: Some(w.now()),
        updated_at: w.now(),
        ..other.clone()
    };
    // Removing `other` frees its number (and its aliases) for the survivor to hold.
    customers::update_customer(w, other, &gone, ChangeOp::Deleted)?;
    customers::update_customer(w, keep, survivor, ChangeOp::Updated)?;
    let mut alias_phones: Vec<Phone> = Vec::new();
    for phone in [&keep.phone, &other.phone]
        .into_iter()
        .chain(&earlier.phones)
    {
        if *phone != survivor.phone && !alias_phones.contains(phone) {
            alias_phones.push(phone.clone());
        }
    }
    let mut alias_emails: Vec<Email> = Vec::new();
    let own = [&keep.email, &other.email].into_iter().flatten();
    for email in own.chain(&earlier.emails) {
        if survivor.email.as_ref() != Some(email) && !alias_emails.contains(email) {
            alias_emails.push(email.clone());
        }
    }
    point_phones(w, store, &alias_phones, Some(to))?;
    super::match_keys::alias_emails(w, store, to, &alias_emails, true)?;
    let merge = CustomerMerge {
        id: MergeId::new(),
        store_id: store,
        survivor_id: to,
        merged_id: from,
        survivor_before: keep.clone(),
        merged_before: other.clone(),
        alias_phones,
        alias_emails,
        merged_aliases: earlier.phones,
        sales: sale_ids.into_iter().map(SaleId::from_u128).collect(),
        interactions: interaction_ids
            .into_iter()
            .map(InteractionId::from_u128)
            .collect(),
        follow_ups: follow_up_ids
            .into_iter()
            .map(FollowUpId::from_u128)
            .collect(),
        merged_by: by,
        merged_at: w.now(),
        undone_at: None,
        undone_by: None,
    };
    super::customer_values::recount(w, store, from)?;
    super::customer_values::recount(w, store, to)?;
    index_merge(w, &merge, true)?;
    save(w, tables::CUSTOMER_MERGES, merge.id.as_u128(), &merge)?;
    w.log(
        store,
        EntityKind::CustomerMerge,
        merge.id.as_u128(),
        ChangeOp::Created,
    )?;
    Ok(merge)
}

/// Puts a merge in force in the indexes, or takes it out.
fn index_merge(w: &Writer, merge: &CustomerMerge, in_force: bool) -> Result<(), StoreError> {
    let s = merge.store_id.as_u128();
    let by_survivor = (s, merge.survivor_id.as_u128(), merge.id.as_u128());
    let merged = (s, merge.merged_id.as_u128());
    let mut survivors = w.tx.open_table(tables::CUSTOMER_MERGES_BY_SURVIVOR)?;
    let mut into = w.tx.open_table(tables::CUSTOMERS_MERGED_INTO)?;
    if in_force {
        survivors.insert(by_survivor, ())?;
        into.insert(merged, merge.id.as_u128())?;
    } else {
        survivors.remove(by_survivor)?;
        into.remove(merged)?;
    }
    Ok(())
}

/// Undoes `merge`: both customers as they were before it, each moved record back with
/// the customer it came from, the aliases gone. The caller has checked that nothing
/// since makes this unsafe; a number taken since comes back as `Duplicate`.
pub fn undo_merge(
    w: &mut Writer,
    merge: &CustomerMerge,
    survivor_now: &Customer,
    merged_now: &Customer,
    by: UserId,
) -> Result<CustomerMerge, StoreError> {
    let store = merge.store_id;
    let (from, to) = (merge.survivor_id, merge.merged_id);
    // Out of force first, so the survivor's aliases are this merge's no longer.
    index_merge(w, merge, false)?;
    point_phones(w, store, &merge.alias_phones, None)?;
    super::match_keys::alias_emails(w, store, from, &merge.alias_emails, false)?;
    customers::update_customer(w, survivor_now, &merge.survivor_before, ChangeOp::Updated)?;
    customers::update_customer(w, merged_now, &merge.merged_before, ChangeOp::Restored)?;
    for id in &merge.sales {
        move_sale(w, id.as_u128(), from, to)?;
    }
    for id in &merge.interactions {
        move_interaction(w, id.as_u128(), from, to)?;
    }
    for id in &merge.follow_ups {
        move_follow_up(w, id.as_u128(), from, to)?;
    }
    super::customer_values::recount(w, store, from)?;
    super::customer_values::recount(w, store, to)?;
    let undone = CustomerMerge {
        undone_at: Some(w.now()),
        undone_by: Some(by),
        ..merge.clone()
    };
    save(w, tables::CUSTOMER_MERGES, merge.id.as_u128(), &undone)?;
    w.log(
        store,
        EntityKind::CustomerMerge,
        merge.id.as_u128(),
        ChangeOp::Updated,
    )?;
    Ok(undone)
}

/// Schema version 13: the merge tables, empty.
pub(super) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
    tx.open_table(tables::CUSTOMER_MERGES)?;
    tx.open_table(tables::CUSTOMER_MERGES_BY_SURVIVOR)?;
    tx.open_table(tables::CUSTOMERS_MERGED_INTO)?;
    super::match_keys::create_table(tx)
}
