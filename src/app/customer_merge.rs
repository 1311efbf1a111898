//! Merging duplicate customers, undoing a merge, and the list of possible duplicates.
//! A Business Admin merges any two customers; a Floor Manager those of their own floor.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{Actor, Crm, Error};
use crate::domain::{
    Area, Customer, CustomerId, CustomerMerge, FieldErrors, MergeChoices, MergeId, Side,
    merged_customer,
};
use crate::store::customer_merges as repo;
use crate::store::match_keys::{DuplicateCursor, DuplicatePage, duplicate_pairs};
use crate::store::{StoreError, customers};

/// Which side each field is kept from: `survivor` or `other`. A field left out keeps
/// the survivor's value, or the other's when the survivor's is empty. Tags and
/// preferences are always both kept.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeFieldsInput {
    pub name: Option<Side>,
    pub phone: Option<Side>,
    pub email: Option<Side>,
    pub gender: Option<Side>,
    pub date_of_birth: Option<Side>,
    pub anniversary: Option<Side>,
    pub address: Option<Side>,
    pub pan: Option<Side>,
    pub notes: Option<Side>,
    pub home_floor: Option<Side>,
    pub status: Option<Side>,
}

impl From<MergeFieldsInput> for MergeChoices {
    fn from(f: MergeFieldsInput) -> Self {
        MergeChoices {
            name: f.name,
            phone: f.phone,
            email: f.email,
            gender: f.gender,
            date_of_birth: f.date_of_birth,
            anniversary: f.anniversary,
            address: f.address,
            pan: f.pan,
            notes: f.notes,
            home_floor: f.home_floor,
            status: f.status,
        }
    }
}

/// Two records of one customer to merge: `other_id` is merged into `survivor_id`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    pub survivor_id: Uuid,
    pub other_id: Uuid,
    #[serde(default)]
    pub fields: MergeFieldsInput,
}

/// A merge made: the record of it (what undo needs) and the survivor as it now is.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    pub merge: CustomerMerge,
    pub survivor: Customer,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicatesQuery {
    /// How many pairs: 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
}

/// Loads a live customer of the actor's store for a merge, or says what is wrong with
/// `field`.
fn live_customer(
    w: &crate::store::Writer,
    actor: &Actor,
    id: CustomerId,
    field: &str,
) -> Result<Customer, Error> {
    let customer =
        customers::customer(w, &actor.store_scope(), id)?.ok_or(Error::NotFound("customer"))?;
    if customer.deleted_at.is_some() {
        return Err(Error::field(
            field,
            format!(
                "{} ({}) was removed; only customers on file can be merged",
                customer.code(),
                customer.name
            ),
        ));
    }
    actor.require_floor(customer.home_floor_id, "customer")?;
    Ok(customer)
}

fn conflict(message: String) -> Error {
    Error::Conflict {
        message,
        field: None,
        existing_id: None,
    }
}

impl Crm {
    /// Merges `other_id` into `survivor_id` as `input.fields` choose. Nothing is stored
    /// unless every check passes.
    pub fn merge_customers(&self, actor: &Actor, input: MergeInput) -> Result<MergeOutcome, Error> {
        actor.require_write(Area::Customers)?;
        let (keep_id, other_id) = (
            CustomerId::from_uuid(input.survivor_id),
            CustomerId::from_uuid(input.other_id),
        );
        if keep_id == other_id {
            let mut errors = FieldErrors::new();
            errors.add(
                "other_id",
                "is the survivor itself; pick two different customers to merge",
            );
            return Err(Error::Invalid(errors));
        }
        let choices = MergeChoices::from(input.fields);
        self.db.write(actor.author(), |w| {
            let keep = live_customer(w, actor, keep_id, "survivor_id")?;
            let other = live_customer(w, actor, other_id, "other_id")?;
            let survivor = merged_customer(&keep, &other, &choices, w.now());
            let merge = repo::merge_customers(w, &keep, &other, &survivor, actor.user_id)?;
            Ok(MergeOutcome { merge, survivor })
        })
    }

    /// Undoes a merge: both customers as they were, each record back with its own. Refused
    /// (409) when something since makes that unsafe.
    pub fn undo_merge(&self, actor: &Actor, id: MergeId) -> Result<CustomerMerge, Error> {
        actor.require_write(Area::Customers)?;
        let scope = actor.store_scope();
        self.db.write(actor.author(), |w| {
            let merge = repo::merge(w, &scope, id)?.ok_or(Error::NotFound("merge"))?;
            let (code, merged_code) = (merge.survivor_before.code(), merge.merged_before.code());
            if merge.undone_at.is_some() {
                return Err(conflict("this merge has already been undone".into()));
            }
            let survivor = customers::customer(w, &scope, merge.survivor_id)?
                .ok_or(Error::NotFound("customer"))?;
            let merged = customers::customer(w, &scope, merge.merged_id)?
                .ok_or(Error::NotFound("customer"))?;
            actor.require_floor(survivor.home_floor_id, "customer")?;
            actor.require_floor(merge.merged_before.home_floor_id, "customer")?;
            if repo::merged_into(w, merge.store_id, merge.survivor_id)?.is_some() {
                return Err(conflict(format!(
                    "{code} has since been merged into another customer; undo that merge first"
                )));
            }
            if survivor.deleted_at.is_some() {
                return Err(conflict(format!(
                    "{code} was removed after the merge; restore it first, then undo the merge"
                )));
            }
            if merged.deleted_at.is_none() {
                return Err(conflict(format!("{merged_code} is on file again already")));
            }
            if let Some(later) = repo::merges_into(w, merge.store_id, merge.survivor_id)?
                .into_iter()
                .find(|m| m.merged_at > merge.merged_at)
            {
                return Err(conflict(format!(
                    "{} was merged into {code} after this; undo that merge first",
                    later.merged_before.code()
                )));
            }
            repo::undo_merge(w, &merge, &survivor, &merged, actor.user_id).map_err(|e| match e {
                StoreError::Duplicate { .. } => conflict(format!(
                    "a phone number of {code} or {merged_code} now belongs to another customer; \
                     the merge cannot be undone while it does"
                )),
                other => other.into(),
            })
        })
    }

    /// A page of pairs of live customers who may be one person. A Floor Manager sees
    /// the pairs they may merge: customers of their floor.
    pub fn possible_duplicates(
        &self,
        actor: &Actor,
        query: &DuplicatesQuery,
    ) -> Result<DuplicatePage, Error> {
        actor.require_read(Area::Customers)?;
        let limit = match query.limit {
            None => 50,
            Some(n @ 1..=200) => n as usize,
            Some(_) => {
                let mut errors = FieldErrors::new();
                errors.add("limit", "must be 1 to 200");
                return Err(Error::BadQuery(errors));
            }
        };
        let cursor = match query.cursor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(DuplicateCursor::decode(text).ok_or_else(|| {
                let mut errors = FieldErrors::new();
                errors.add(
                    "cursor",
                    "pass back the `next` of the previous page unchanged",
                );
                Error::BadQuery(errors)
            })?),
        };
        let keep = |c: &Customer| actor.may_work_on(c.home_floor_id);
        Ok(self
            .db
            .read(|rx| duplicate_pairs(rx, &actor.store_scope(), cursor.as_ref(), limit, &keep))?)
    }
}
