//! Merging two records of one customer: which side each field is kept from, the
//! survivor that results, and the record of a merge that holds all its undo needs.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::time::{micros, micros_opt};
use super::{
    Customer, CustomerId, CustomerPreferences, Email, FollowUpId, InteractionId, MergeId, Phone,
    SaleId, StoreId, UserId,
};

/// Which customer's value of a field the survivor keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The customer who stays.
    Survivor,
    /// The customer merged away.
    Other,
}

/// The side each field is kept from; a field left out keeps the survivor's value, or
/// the other's when the survivor has none. Tags and preferences are always unioned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeChoices {
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

/// The value of `choice`'s side, or by default the survivor's unless it is empty.
fn pick<T: Clone>(choice: Option<Side>, keep: &T, other: &T, empty: impl Fn(&T) -> bool) -> T {
    match choice {
        Some(Side::Survivor) => keep.clone(),
        Some(Side::Other) => other.clone(),
        None if empty(keep) => other.clone(),
        None => keep.clone(),
    }
}

/// The survivor as the merge leaves it: `keep`'s record (id, number, store, when and by
/// whom it was added) with each field from the side `choices` says.
pub fn merged_customer(
    keep: &Customer,
    other: &Customer,
    choices: &MergeChoices,
    now: Timestamp,
) -> Customer {
    let mut tags = keep.tags.clone();
    tags.extend(
        other
            .tags
            .iter()
            .filter(|t| !keep.tags.contains(t))
            .cloned(),
    );
    Customer {
        name: pick(choices.name, &keep.name, &other.name, |_| false),
        phone: pick(choices.phone, &keep.phone, &other.phone, |_| false),
        email: pick(choices.email, &keep.email, &other.email, Option::is_none),
        gender: pick(choices.gender, &keep.gender, &other.gender, Option::is_none),
        date_of_birth: pick(
            choices.date_of_birth,
            &keep.date_of_birth,
            &other.date_of_birth,
            Option::is_none,
        ),
        anniversary: pick(
            choices.anniversary,
            &keep.anniversary,
            &other.anniversary,
            Option::is_none,
        ),
        address: pick(choices.address, &keep.address, &other.address, |a| {
            a.lines().is_empty() && a.pincode.is_none()
        }),
        pan: pick(choices.pan, &keep.pan, &other.pan, Option::is_none),
        notes: pick(choices.notes, &keep.notes, &other.notes, |n| {
            n.as_str().is_empty()
        }),
        home_floor_id: pick(
            choices.home_floor,
            &keep.home_floor_id,
            &other.home_floor_id,
            Option::is_none,
        ),
        status: pick(choices.status, &keep.status, &other.status, |_| false),
        preferences: union_preferences(&keep.preferences, &other.preferences),
        tags,
        updated_at: now,
        ..keep.clone()
    }
}

fn union_preferences(a: &CustomerPreferences, b: &CustomerPreferences) -> CustomerPreferences {
    fn union<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
        let mut out = a.to_vec();
        out.extend(b.iter().filter(|x| !a.contains(x)).cloned());
        out
    }
    CustomerPreferences {
        categories: union(&a.categories, &b.categories),
        metals: union(&a.metals, &b.metals),
        purities: union(&a.purities, &b.purities),
        // The widest budget either record gave.
        budget_min: a.budget_min.into_iter().chain(b.budget_min).min(),
        budget_max: a.budget_max.into_iter().chain(b.budget_max).max(),
    }
}

/// One merge of `merged_id` into `survivor_id`, with everything undoing it needs: both
/// records as they were, the numbers and e-mails that now lead to the survivor, and
/// every record that moved. Kept after an undo (with `undone` set), for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMerge {
    pub id: MergeId,
    pub store_id: StoreId,
    pub survivor_id: CustomerId,
    pub merged_id: CustomerId,
    pub survivor_before: Customer,
    pub merged_before: Customer,
    /// Numbers that now find the survivor though it does not have them: the one of the
    /// two it did not keep, and the aliases the merged customer had.
    pub alias_phones: Vec<Phone>,
    /// E-mails search still finds the survivor by, likewise.
    pub alias_emails: Vec<Email>,
    /// Of `alias_phones`, those that were the merged customer's aliases (from its own
    /// earlier merges): an undo gives them back to it.
    pub merged_aliases: Vec<Phone>,
    pub sales: Vec<SaleId>,
    pub interactions: Vec<InteractionId>,
    pub follow_ups: Vec<FollowUpId>,
    pub merged_by: UserId,
    #[serde(with = "micros")]
    pub merged_at: Timestamp,
    #[serde(with = "micros_opt")]
    pub undone_at: Option<Timestamp>,
    pub undone_by: Option<UserId>,
}
